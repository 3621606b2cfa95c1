"""The engine is pure numpy: nothing under ``visualizer/engine`` may import Qt or pyqtgraph.

Two independent checks: the import statements in the source (catches an import hidden in a function that no
test happens to run), and the modules actually loaded when the whole engine is imported in a fresh interpreter
(catches an indirect import through another package).
"""

from __future__ import annotations

import ast
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import visualizer.engine

FORBIDDEN = ("PyQt6", "PySide6", "PyQt5", "PySide2", "pyqtgraph", "qtpy", "sip")
ENGINE_DIR = Path(visualizer.engine.__file__).resolve().parent
REPO_ROOT = ENGINE_DIR.parent.parent


def engine_sources() -> list[Path]:
    files = sorted(ENGINE_DIR.rglob("*.py"))
    assert len(files) >= 10, f"expected the engine's modules in {ENGINE_DIR}, found {files}"
    return files


def is_forbidden(module: str) -> bool:
    top = module.split(".")[0]
    return top in FORBIDDEN


def test_no_qt_imports_in_engine_sources():
    offenders = []
    for path in engine_sources():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            elif (
                isinstance(node, ast.Call)
                and getattr(node.func, "attr", getattr(node.func, "id", None)) in ("import_module", "__import__")
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                names = [node.args[0].value]
            else:
                continue
            offenders += [f"{path.name}:{node.lineno}: {name}" for name in names if is_forbidden(name)]
    assert not offenders, "the engine must not import Qt or pyqtgraph:\n" + "\n".join(offenders)


def test_importing_the_whole_engine_loads_no_qt():
    submodules = sorted(m.name for m in pkgutil.walk_packages([str(ENGINE_DIR)], prefix="visualizer.engine."))
    assert "visualizer.engine.network" in submodules
    code = f"""
import importlib, json, sys
import visualizer.engine
for name in {submodules!r}:
    importlib.import_module(name)
forbidden = {FORBIDDEN!r}
loaded = sorted(m for m in sys.modules if m.split(".")[0] in forbidden)
print(json.dumps({{"loaded": loaded, "engine": sorted(m for m in sys.modules if m.startswith("visualizer.engine"))}}))
"""
    proc = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO_ROOT,
        env={"PATH": "", "PYTHONPATH": str(REPO_ROOT), "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert report["loaded"] == [], f"importing the engine loaded Qt modules: {report['loaded']}"
    assert set(submodules) <= set(report["engine"])
