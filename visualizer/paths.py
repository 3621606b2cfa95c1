"""Where the shipped resources live (pure Python, no Qt).

In a wheel, ``resources/`` is installed inside the package as ``visualizer/resources``; in a source checkout
(editable install, or running from the tree) it is the ``resources/`` folder beside ``visualizer/``.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def resources_dir() -> Path:
    """Return the folder that holds the shipped resources (icon, data sets, desktop entry)."""
    for candidate in (_PACKAGE_DIR / "resources", _PACKAGE_DIR.parent / "resources"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("NN Visualizer's resources/ folder is missing from this installation")


def resource(name: str) -> Path:
    """Return the path of one shipped resource file, e.g. ``resource("iris.csv")``."""
    path = resources_dir() / name
    if not path.exists():
        raise FileNotFoundError(f"resource {name!r} not found in {resources_dir()}")
    return path
