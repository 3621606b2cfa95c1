"""The command line's --lesson and --step-through: the list, one-line errors, and headless screenshots that print
the usual summary line."""

from __future__ import annotations

import os
import subprocess
import sys

from visualizer.engine import lessons


def run(*args, timeout=120):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-m", "visualizer", *args], capture_output=True, text=True,
                          timeout=timeout, env=env)


def test_lesson_list_prints_every_lesson():
    out = run("--lesson", "list")
    assert out.returncode == 0, out.stderr
    names = [line.split()[0] for line in out.stdout.splitlines()]
    assert names == list(lessons.lesson_names())
    assert "xor:single" in out.stdout


def test_an_unknown_lesson_or_variant_is_one_line_and_status_2():
    for value in ("nope", "xor:nope"):
        out = run("--lesson", value)
        assert out.returncode == 2
        assert len(out.stderr.strip().splitlines()) == 1 and "--lesson list" in out.stderr
    out = run("--step-through", "backward")
    assert out.returncode == 2 and "only with --screenshot" in out.stderr


def test_lesson_screenshot_with_step_through(tmp_path):
    path = tmp_path / "lesson.png"
    out = run("--screenshot", str(path), "--lesson", "tutorial_003", "--epochs", "50", "--step-through",
              "backward", "--size", "1366x768")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().startswith("epochs 50 · training loss")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_mcculloch_pitts_lesson_screenshot_needs_no_training(tmp_path):
    path = tmp_path / "mp.png"
    out = run("--screenshot", str(path), "--lesson", "mcculloch_pitts:or")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().startswith("epochs 0")
