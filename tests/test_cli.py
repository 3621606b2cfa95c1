"""The command line: help, version, one-line errors with exit 2, and --screenshot."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from visualizer import __version__
from visualizer.app import NO_WINDOW_ADVICE, no_display_problem
from visualizer.cli import build_parser, config_from_args, parse
from visualizer.engine.experiment import build
from visualizer.settings import SIZE_MAX, SIZE_MIN


def run(*args, timeout=120, **env_changes):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **env_changes}
    env = {k: v for k, v in env.items() if v is not None}
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
        ("--seed", str(2**31)),
        ("--seed", str(2**40)),
        ("--seed", "9" * 5000),
        ("--batch-size", str(2**31)),
        ("--batch-size", "0"),
        ("--learning-rate", "nan"),
        ("--learning-rate", "inf"),
        ("--learning-rate", "1e400"),
        ("--noise", "nan"),
        ("--layers", "4,,2"),
        ("--features", ","),
        ("--size", "100x100"),
        ("--size", "-5x-5"),
        ("--size", "x"),
        ("--screenshot", "x.png", "--epochs", "99999999999999"),
        ("--screenshot", "x.png", "--epochs", "1000001"),
        ("--screenshot", ""),
    ],
)
def test_bad_values_give_one_line_and_exit_2(args, capsys):
    with pytest.raises(SystemExit) as exc:
        parse(list(args))
    assert exc.value.code == 2
    lines = capsys.readouterr().err.strip().splitlines()
    option = next(a for a in args if (a.startswith("--") and a != "--screenshot") or a == args[-2])
    assert len(lines) == 1 and lines[0].startswith("nn-visualizer: error: argument " + option), lines


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


def test_seed_and_batch_size_at_their_limits_are_accepted():
    _, config, _ = parse(["--seed", str(2**31 - 1), "--batch-size", "10000"])
    assert config.seed == 2**31 - 1 and config.batch_size == 10_000
    build(config, grid_resolution=2)


def test_a_huge_size_is_clamped_not_refused():
    assert parse(["--size", "100000x100000"])[2] == (SIZE_MAX, SIZE_MAX)
    assert parse(["--size", "1500X900"])[2] == (1500, 900)


# ------------------------------------------------------------------ fuzz of the parse-and-check stage
OPTIONS = ["--dataset", "--layers", "--activation", "--learning-rate", "--lr", "--batch-size", "--noise",
           "--features", "--seed", "--screenshot", "--epochs", "--size", "--fresh", "--bogus", "-x", "--"]
VALUES = st.one_of(
    st.sampled_from(["0", "1", "-1", "4,2", "4,,2", "x1,x2", "x9", "spiral", "relu", "nan", "inf", "-inf", "1e400",
                     "0.03", "0,5", "1500x900", "100000x100000", "0x0", "", " ", "2147483647", "2147483648",
                     str(2**40), str(10**30), "9" * 5000, "a.png", "none", "tanh", "1_000", "²", "\x00"]),
    st.integers(-(2**64), 2**64).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.text(max_size=20),
)


@settings(max_examples=250, derandomize=True, deadline=None)
@given(argv=st.lists(st.one_of(st.sampled_from(OPTIONS), VALUES), max_size=8))
def test_fuzz_the_command_line(argv):
    """Any argv: either one line naming the problem and exit status 2, or a valid config and size."""
    err, out = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
            args, config, size = parse(argv)
    except SystemExit as exc:
        assert exc.code == 2, (argv, exc.code)
        lines = err.getvalue().strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("nn-visualizer: error: "), (argv, err.getvalue())
        return
    if config is not None:
        build(config, grid_resolution=2)
    if size is not None:
        assert SIZE_MIN[0] <= size[0] <= SIZE_MAX and SIZE_MIN[1] <= size[1] <= SIZE_MAX
    assert args.epochs is None or (args.screenshot and 0 <= args.epochs <= 1_000_000)


# ------------------------------------------------------------------ real runs: no traceback, no signal, no hang
def test_screenshot_of_training_that_stops_early_writes_the_png_and_says_why(tmp_path):
    path = tmp_path / "diverged.png"
    out = run("--screenshot", str(path), "--epochs", "2000", "--dataset", "reg_plane", "--activation", "linear",
              "--learning-rate", "10", timeout=60)
    assert out.returncode == 0, out.stderr
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "stopped at epoch" in lines[0] and "iverge" in lines[0], out.stderr


def test_screenshot_gives_up_after_its_safety_timeout(tmp_path):
    path = tmp_path / "slow.png"
    out = run("--screenshot", str(path), "--epochs", "1000000", timeout=60, NN_VISUALIZER_TIMEOUT="1")
    assert out.returncode == 1
    assert path.exists()
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "timed out" in lines[0], out.stderr


def test_a_size_larger_than_any_screen_is_clamped(tmp_path):
    from PyQt6.QtGui import QImage

    path = tmp_path / "wide.png"
    out = run("--screenshot", str(path), "--epochs", "0", "--size", "100000x700", timeout=60)
    assert out.returncode == 0, out.stderr
    image = QImage(str(path))
    assert image.width() == SIZE_MAX and image.height() == 700


def test_bad_values_in_a_real_run():
    out = run("--seed", str(2**40), "--size", "100000x100000", "--screenshot", "never.png", "--epochs",
              "99999999999999", timeout=30)
    assert out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1, out.stderr


def test_without_a_display_one_line_says_what_to_do():
    out = run("--fresh", timeout=30, DISPLAY=None, WAYLAND_DISPLAY=None, QT_QPA_PLATFORM=None)
    assert out.returncode == 1, out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "QT_QPA_PLATFORM=offscreen" in lines[0] and "libxcb-cursor0" in lines[0]


def test_when_qt_cannot_open_the_display_one_line_says_what_to_do():
    # a display that does not exist: Qt's xcb plugin gives up (it would abort with status 134)
    out = run("--fresh", timeout=30, DISPLAY=":93", WAYLAND_DISPLAY=None, QT_QPA_PLATFORM=None)
    assert out.returncode == 1, out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "Qt could not open a window" in lines[0] and NO_WINDOW_ADVICE in lines[0]


@pytest.mark.parametrize(
    ("env", "platform", "problem"),
    [
        ({}, "linux", True),
        ({"DISPLAY": ":0"}, "linux", False),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", False),
        ({"QT_QPA_PLATFORM": "offscreen"}, "linux", False),
        ({"QT_QPA_PLATFORM": "xcb"}, "linux", True),
        ({}, "darwin", False),
        ({}, "win32", False),
    ],
)
def test_no_display_problem(env, platform, problem):
    assert (no_display_problem(env, platform) is not None) == problem


def test_a_window_size_is_fitted_to_the_screen(monkeypatch, capsys):
    from PyQt6.QtCore import QRect

    from visualizer.app import _fit

    class Screen:
        def availableGeometry(self):
            return QRect(0, 0, 1366, 738)

    class Window:
        def screen(self):
            return Screen()

    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    assert _fit((5120, 5120), Window()) == (1366, 738)
    assert "1366x738" in capsys.readouterr().err
    assert _fit((1200, 700), Window()) == (1200, 700)
