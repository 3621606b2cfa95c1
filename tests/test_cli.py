"""The command line: help, version, one-line errors with exit 2, and --screenshot."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from visualizer import __version__
from visualizer.app import build_parser, config_from_args


def run(*args, timeout=120):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-m", "visualizer", *args], capture_output=True, text=True,
                          timeout=timeout, env=env)


def test_help_and_version():
    out = run("--help")
    assert out.returncode == 0
    for option in ("--dataset", "--layers", "--activation", "--learning-rate", "--seed", "--screenshot", "--epochs"):
        assert option in out.stdout
    out = run("--version")
    assert out.returncode == 0 and __version__ in out.stdout


@pytest.mark.parametrize(
    "args",
    [
        ("--layers", "4,x"),
        ("--layers", "4,0"),
        ("--layers", ",".join(["2"] * 11)),
        ("--learning-rate", "-1"),
        ("--learning-rate", "fast"),
        ("--dataset", "nope"),
        ("--activation", "softsign"),
        ("--seed", "-3"),
        ("--features", "x1,x9"),
        ("--epochs", "5"),
        ("--noise", "80"),
    ],
)
def test_bad_values_give_one_line_and_exit_2(args):
    parser = build_parser()
    with pytest.raises(SystemExit) as exc:
        ns = parser.parse_args(list(args))
        config_from_args(ns, parser)
        if ns.epochs is not None and not ns.screenshot:
            parser.error("argument --epochs: only with --screenshot")
    assert exc.value.code == 2


def test_bad_value_message_is_one_line():
    out = run("--layers", "4,x")
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "--layers" in lines[0]


def test_options_build_the_config():
    parser = build_parser()
    ns = parser.parse_args(["--dataset", "spiral", "--layers", "8,8,6", "--activation", "relu",
                            "--learning-rate", "0.01", "--seed", "7", "--features", "x1,x2,sin_x1"])
    config = config_from_args(ns, parser)
    assert config.dataset == "spiral" and config.hidden == (8, 8, 6) and config.activation == "relu"
    assert config.learning_rate == 0.01 and config.seed == 7 and config.features == ("x1", "x2", "sin_x1")


def test_screenshot_trains_and_writes_a_png(tmp_path):
    path = tmp_path / "out.png"
    out = run("--screenshot", str(path), "--epochs", "20", "--layers", "3")
    assert out.returncode == 0, out.stderr
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    from PyQt6.QtGui import QImage

    image = QImage(str(path))
    assert image.width() >= 1000 and image.height() >= 600
