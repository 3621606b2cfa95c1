"""The Lessons menu in the window: every lesson loads with its text, data and network (the engine's
build_lesson, starting weights included); the McCulloch-Pitts truth table follows edited weights and reaches the
live unit; the tutorials' lessons show their printed outputs beside the network's and end within 0.01 of them;
Esc leaves a lesson and restores the settings from before it."""

from __future__ import annotations

import numpy as np
import pytest
from PyQt6.QtCore import Qt
from PyQt6.QtWidgets import QApplication

from visualizer.engine import lessons as engine_lessons
from visualizer.engine.experiment import Config
from visualizer.ui.main_window import MainWindow

TIMEOUT = 30_000


@pytest.fixture
def win(qtbot):
    w = MainWindow(Config(hidden=(3,)), use_settings=False)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    qtbot.waitExposed(w)
    qtbot.waitUntil(lambda: w.controller.latest is not None, timeout=TIMEOUT)
    w.activateWindow()
    w.network_view.setFocus(Qt.FocusReason.MouseFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is w.network_view, timeout=2000)
    yield w
    w.shutdown()


def wait_gen(qtbot, win, old_gen):
    qtbot.waitUntil(lambda: win.controller.latest.generation > old_gen, timeout=TIMEOUT)
    return win.controller.latest


def test_the_menu_lists_every_lesson(win):
    menu = win.lessons.menu
    assert menu.title().replace("&", "") == "Lessons"
    for name in engine_lessons.lesson_names():
        assert any(key[0] == name for key in win.lessons.actions)


@pytest.mark.parametrize("name", engine_lessons.lesson_names())
def test_each_lesson_loads_with_its_text_data_and_network(qtbot, win, name):
    gen = win.controller.latest.generation
    lesson = engine_lessons.get_lesson(name)
    key = next(k for k in win.lessons.actions if k[0] == name)
    win.lessons.actions[key].trigger()  # the menu entry
    snap = wait_gen(qtbot, win, gen)
    resolved = engine_lessons.resolve(name, key[1])
    exp = engine_lessons.build_lesson(name, key[1])
    assert win.lessons.dock.isVisible()
    assert win.lessons.panel.title.text() == resolved.title
    assert lesson.text.split(".")[0] in win.lessons.panel.text.toPlainText()
    assert snap.sizes == exp.network.sizes and snap.output == exp.network.output
    for a, b in zip(snap.weights, exp.network.weights, strict=True):
        assert np.array_equal(a, b)  # the lesson's own starting weights (numpy seed, unit, bias value)
    for a, b in zip(snap.biases, exp.network.biases, strict=True):
        assert np.array_equal(a, b)
    assert np.array_equal(snap.dataset.X, exp.dataset.X) and np.array_equal(snap.dataset.y, exp.dataset.y)
    assert snap.config.learning_rate == exp.config.learning_rate
    assert snap.config.batch_reduction == exp.config.batch_reduction
    assert snap.config.batch_size == exp.trainer.batch_size
    assert win.lessons.panel.unit.isVisible() == (resolved.mp is not None)
    assert win.lessons.panel.expected_box.isVisible() == (resolved.expected is not None)


def test_escape_leaves_the_lesson_and_restores_the_settings(qtbot, win):
    before = win.config
    gen = win.controller.latest.generation
    win.lessons.open_lesson("xor")
    gen = wait_gen(qtbot, win, gen).generation
    assert win.config != before
    qtbot.keyClick(win.network_view, Qt.Key.Key_T)  # Esc leaves the step-through first …
    assert win.stepthrough.active
    qtbot.keyClick(win.network_view, Qt.Key.Key_Escape)
    assert not win.stepthrough.active and win.lessons.active()
    qtbot.keyClick(win.network_view, Qt.Key.Key_Escape)  # … then the lesson
    assert not win.lessons.active() and not win.lessons.dock.isVisible()
    snap = wait_gen(qtbot, win, gen)
    assert win.config == before and snap.config == before
    assert snap.sizes == (2, 3, 1)


def test_mcculloch_pitts_truth_table_follows_the_edited_weights(qtbot, win):
    gen = win.controller.latest.generation
    win.lessons.open_lesson("mcculloch_pitts", "and")
    gen = wait_gen(qtbot, win, gen).generation
    unit = win.lessons.panel.unit
    assert unit.outputs.tolist() == [0, 0, 0, 1]  # AND
    box = unit.threshold_box
    box.setFocus()
    box.selectAll()
    qtbot.keyClicks(box, "0.5")  # typed: OR
    assert unit.outputs.tolist() == [0, 1, 1, 1]
    assert [unit.table.item(r, 3).text() for r in range(4)] == ["0", "1", "1", "1"]
    assert [unit.table.item(r, 2).text() for r in range(4)] == ["0", "1", "1", "2"]
    # the live unit follows: bias −θ
    qtbot.waitUntil(lambda: win.controller.latest.biases[0][0] == -0.5, timeout=TIMEOUT)
    w1 = unit.weight_boxes[0]
    w1.setFocus()
    w1.selectAll()
    qtbot.keyClicks(w1, "-1")  # w = (−1, 1), θ = 0.5: only (0, 1) fires
    assert unit.outputs.tolist() == [0, 1, 0, 0]
    (x0, y0), (x1, y1) = unit.segment  # the threshold line drawn: −x₁ + x₂ = 0.5
    assert abs(-x0 + y0 - 0.5) < 1e-12 and abs(-x1 + y1 - 0.5) < 1e-12
    expected = engine_lessons.truth_table([-1.0, 1.0], 0.5).outputs
    assert unit.outputs.tolist() == expected.tolist()
    qtbot.waitUntil(lambda: win.controller.latest.weights[0][0, 0] == -1.0, timeout=TIMEOUT)
    assert win.controller.latest.generation == gen
    # NOT: one input
    win.lessons.open_lesson("mcculloch_pitts", "not")
    wait_gen(qtbot, win, gen)
    assert len(unit.weight_boxes) == 1 and unit.outputs.tolist() == [1, 0]


@pytest.mark.parametrize("name", ["tutorial_003", pytest.param("tutorial_000", marks=pytest.mark.long)])
def test_tutorial_lessons_end_within_001_of_the_printed_outputs(qtbot, win, name):
    """In the window, trained by the worker at full speed (000's 60,000 epochs take ~30 s: --long)."""
    gen = win.controller.latest.generation
    win.lessons.open_lesson(name)
    wait_gen(qtbot, win, gen)
    win.hyper_toolbar.set_speed(0)
    qtbot.keyClick(win.network_view, Qt.Key.Key_Space)
    epochs = engine_lessons.get_lesson(name).training.epochs
    qtbot.waitUntil(lambda: win.controller.latest.epoch == epochs and not win.controller.latest.running,
                    timeout=120_000)
    panel = win.lessons.panel
    qtbot.waitUntil(lambda: panel.network_column is not None and f"{epochs:,}" in panel.expected_note.text(),
                    timeout=TIMEOUT)
    want = np.array(engine_lessons.get_lesson(name).expected.outputs)
    assert np.all(np.abs(panel.network_column - want) <= 0.01)
    assert all(row[3].endswith("✓") for row in panel.expected_cells())


def test_reset_in_a_lesson_starts_from_the_lessons_own_weights(qtbot, win):
    gen = win.controller.latest.generation
    win.lessons.open_lesson("tutorial_003")
    gen = wait_gen(qtbot, win, gen).generation
    start = [w.copy() for w in win.controller.latest.weights]
    for _ in range(3):
        qtbot.keyClick(win.network_view, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: win.controller.latest.epoch == 3, timeout=TIMEOUT)
    assert not np.array_equal(win.controller.latest.weights[0], start[0])
    qtbot.keyClick(win.network_view, Qt.Key.Key_R)
    snap = wait_gen(qtbot, win, gen)
    assert snap.epoch == 0 and np.array_equal(snap.weights[0], start[0])  # np.random.seed(1), as the tutorial
    assert win.lessons.active()
