"""Drawing data on the output map with real mouse and key events: add, paint, erase, undo, redo — while training.

Points are clicked at view coordinates mapped from data coordinates through the boundary view's ViewBox.
"""

from __future__ import annotations

import numpy as np
import pytest
import window_helpers
from PyQt6.QtCore import QPoint, QPointF, Qt
from window_helpers import TIMEOUT, wait_snapshot

from visualizer.engine.experiment import Config
from visualizer.ui.main_window import MainWindow

LEFT, RIGHT = Qt.MouseButton.LeftButton, Qt.MouseButton.RightButton
SHIFT, CTRL = Qt.KeyboardModifier.ShiftModifier, Qt.KeyboardModifier.ControlModifier


def open_window(qtbot, config: Config) -> MainWindow:
    win = window_helpers.open_window(qtbot, config)
    qtbot.waitUntil(lambda: win.data_editor.dataset is not None, timeout=TIMEOUT)  # its first snapshot drawn
    return win


@pytest.fixture
def window(qtbot):
    win = open_window(qtbot, Config())
    yield win
    win.shutdown()


def viewport_pos(win, x: float, y: float) -> QPoint:
    """The boundary view's viewport pixel that shows data point (x, y)."""
    plot = win.boundary_view.plot
    scene = plot.plotItem.vb.mapViewToScene(QPointF(x, y))
    return plot.mapFromScene(scene)


def click(qtbot, win, x, y, button=LEFT, modifier=Qt.KeyboardModifier.NoModifier):
    qtbot.mouseClick(win.boundary_view.plot.viewport(), button, modifier, viewport_pos(win, x, y))


def pixel(win) -> float:
    """The size of one screen pixel in data units."""
    w, h = win.boundary_view.plot.plotItem.vb.viewPixelSize()
    return max(abs(w), abs(h))


def draw_mode(qtbot, win) -> None:
    qtbot.mouseClick(win.data_editor.draw_button, LEFT)
    assert win.data_editor.active


def test_clicks_add_points_of_the_right_class_where_clicked(qtbot, window):
    editor = window.data_editor
    before = editor.dataset
    click(qtbot, window, 2.0, -3.0)
    assert editor.dataset is before  # draw mode is off: a click draws nothing
    draw_mode(qtbot, window)
    click(qtbot, window, 2.0, -3.0)
    ds = editor.dataset
    n = before.n_train
    assert ds.n_train == n + 1 and ds.n_samples == before.n_samples + 1
    np.testing.assert_allclose(ds.X[n], (2.0, -3.0), atol=1.5 * pixel(window))
    assert ds.y[n] == 1  # left button: the chosen class, blue (+1) for two classes
    click(qtbot, window, -4.0, 1.0, RIGHT)
    ds = editor.dataset
    np.testing.assert_allclose(ds.X[n + 1], (-4.0, 1.0), atol=1.5 * pixel(window))
    assert ds.y[n + 1] == 0  # right button: the other class
    # the view draws the new points at once, and the training thread gets them
    x, _y = window.boundary_view.train_points.getData()
    assert len(x) == ds.n_train
    wait_snapshot(qtbot, window, lambda s: s.dataset is ds)


def test_test_set_choice_and_a_drag_paints_one_undo_step(qtbot, window):
    editor = window.data_editor
    draw_mode(qtbot, window)
    assert not window.boundary_view.show_test
    editor.destination.setCurrentIndex(1)  # test set
    assert window.boundary_view.show_test  # the test points show: what is drawn there is seen
    before = editor.dataset
    viewport = window.boundary_view.plot.viewport()
    start, end = viewport_pos(window, -5.0, -5.0), viewport_pos(window, 5.0, -5.0)
    qtbot.mousePress(viewport, LEFT, pos=start)
    for t in np.linspace(0.0, 1.0, 21)[1:]:
        qtbot.mouseMove(viewport, QPoint(round(start.x() + t * (end.x() - start.x())), start.y()))
    qtbot.mouseRelease(viewport, LEFT, pos=end)
    ds = editor.dataset
    added = ds.n_samples - before.n_samples
    assert added >= 5
    assert ds.n_train == before.n_train  # all to the test set
    np.testing.assert_allclose(ds.X_test[-added:, 1], -5.0, atol=1.5 * pixel(window))
    qtbot.keyClick(window.network_view, Qt.Key.Key_Z, CTRL)
    assert editor.dataset is before  # the whole stroke was one step


def test_shift_click_erases_and_ctrl_z_ctrl_shift_z(qtbot, window):
    editor = window.data_editor
    draw_mode(qtbot, window)
    before = editor.dataset
    target = before.X[0]
    click(qtbot, window, float(target[0]), float(target[1]), modifier=SHIFT)
    after = editor.dataset
    assert after.n_samples < before.n_samples
    assert np.min(np.hypot(*(after.X - target).T)) > 0.5 * pixel(window)  # nothing left right there
    qtbot.keyClick(window.network_view, Qt.Key.Key_Z, CTRL)
    assert editor.dataset is before
    qtbot.keyClick(window.network_view, Qt.Key.Key_Z, CTRL | SHIFT)
    assert editor.dataset is after
    assert window.data_editor.act_undo.isEnabled() and not window.data_editor.act_redo.isEnabled()
    # the erase tool erases with a plain click
    qtbot.mouseClick(editor.erase_button, LEFT)
    other = after.X[-1]
    click(qtbot, window, float(other[0]), float(other[1]))
    assert np.min(np.hypot(*(editor.dataset.X - other).T)) > 0.5 * pixel(window)
    qtbot.keyClick(window.network_view, Qt.Key.Key_Z, CTRL)
    assert editor.dataset is after
    # Clear empties, and training pauses without training points
    window.controller.play()
    qtbot.mouseClick(editor.clear_button, LEFT)
    assert editor.dataset.n_samples == 0
    assert not window.controller.is_running()
    qtbot.keyClick(window.network_view, Qt.Key.Key_Z, CTRL)
    assert editor.dataset is after


def test_keys_pick_the_class_of_a_multi_class_problem(qtbot):
    win = open_window(qtbot, Config(dataset="blobs", n_classes=4))
    try:
        editor = win.data_editor
        draw_mode(qtbot, win)
        assert editor.klass.count() == 4
        qtbot.keyClick(win.network_view, Qt.Key.Key_3)
        assert editor.selected_class() == 2
        click(qtbot, win, 1.0, 1.0)
        click(qtbot, win, 1.5, 1.0, RIGHT)
        ds = editor.dataset
        assert list(ds.y[ds.n_train - 2: ds.n_train]) == [2, 2]
        qtbot.keyClick(win.network_view, Qt.Key.Key_1)
        click(qtbot, win, -1.0, 1.0)
        assert editor.dataset.y[editor.dataset.n_train - 1] == 0
        qtbot.keyClick(win.network_view, Qt.Key.Key_9)  # no ninth class: nothing changes
        assert editor.selected_class() == 0
    finally:
        win.shutdown()


def test_regression_draws_the_chosen_target(qtbot):
    win = open_window(qtbot, Config(dataset="reg_plane"))
    try:
        editor = win.data_editor
        draw_mode(qtbot, win)
        assert editor.target.isVisible() and not editor.klass.isVisible()
        editor.target.setValue(0.75)
        click(qtbot, win, 0.0, 0.0)
        click(qtbot, win, 1.0, 0.0, RIGHT)
        ds = editor.dataset
        assert list(ds.y[ds.n_train - 2: ds.n_train]) == [0.75, -0.75]
    finally:
        win.shutdown()


def test_training_keeps_running_across_edits(qtbot, window):
    editor = window.data_editor
    window.controller.play()
    first = wait_snapshot(qtbot, window, lambda s: s.epoch >= 5)
    draw_mode(qtbot, window)
    for k in range(5):
        click(qtbot, window, -5.0 + 2 * k, 4.0, LEFT if k % 2 else RIGHT)
        qtbot.wait(20)
    ds = editor.dataset
    snap = wait_snapshot(qtbot, window, lambda s: s.dataset is ds and s.epoch > first.epoch + 5)
    assert snap.running
    assert snap.generation == first.generation  # the same network: not rebuilt, weights not reset
    assert len(snap.history["train_loss"]) == snap.epoch  # history carries on from before the edits
    # a structural change later rebuilds the network but keeps the drawn points
    window._on_config_edit({"hidden": (3,)})
    rebuilt = wait_snapshot(qtbot, window, lambda s: s.sizes == (2, 3, 1))
    assert rebuilt.dataset is ds and editor.dataset is ds
    # new data (Regenerate) starts a new edit history
    window._on_regenerate()
    fresh = wait_snapshot(qtbot, window, lambda s: s.dataset is not ds and s.config.data_seed == 1)
    qtbot.waitUntil(lambda: editor.dataset is fresh.dataset, timeout=TIMEOUT)
    assert not editor.act_undo.isEnabled()


def test_drawing_needs_a_plane(qtbot):
    win = open_window(qtbot, Config(dataset="iris"))
    try:
        editor = win.data_editor
        assert not editor.act_draw.isEnabled() and not editor.draw_button.isEnabled() and not editor.isVisible()
        before = editor.dataset
        qtbot.keyClick(win.network_view, Qt.Key.Key_D)
        assert not editor.active
        qtbot.keyClick(win.network_view, Qt.Key.Key_Z, CTRL)
        assert editor.dataset is before
    finally:
        win.shutdown()


def test_drawing_and_step_through_take_turns(qtbot, window):
    mode = getattr(window, "stepthrough", None)
    if mode is None:
        pytest.skip("no step-through mode in this window")
    editor = window.data_editor
    draw_mode(qtbot, window)
    mode.enter()
    assert mode.active and not editor.act_draw.isChecked()
    before = editor.dataset
    click(qtbot, window, 1.0, 1.0, RIGHT)
    assert editor.dataset is before and not editor._stroke  # the click belongs to the step-through mode
    qtbot.mouseClick(editor.draw_button, LEFT)
    assert editor.active and not mode.active
    click(qtbot, window, 1.0, 1.0, RIGHT)
    assert editor.dataset.n_samples == before.n_samples + 1


def test_random_edits_while_training(qtbot, window):
    """A seeded mix of clicks, drags, erases, clears, undos and redos while training runs: the training thread
    never errs, and once the edits stop it trains on exactly the data the editor shows."""
    import random

    rng = random.Random(7)
    editor = window.data_editor
    errors, notes = [], []
    window.controller.sigError.connect(errors.append)
    window.controller.sigNote.connect(notes.append)
    window.controller.play()
    draw_mode(qtbot, window)
    viewport = window.boundary_view.plot.viewport()
    for _ in range(60):
        u = rng.random()
        x, y = rng.uniform(-6, 6), rng.uniform(-6, 6)
        if u < 0.35:
            click(qtbot, window, x, y, rng.choice([LEFT, RIGHT]))
        elif u < 0.45:
            start, end = viewport_pos(window, x, y), viewport_pos(window, -x, y)
            qtbot.mousePress(viewport, LEFT, pos=start)
            qtbot.mouseMove(viewport, QPoint((start.x() + end.x()) // 2, start.y()))
            qtbot.mouseMove(viewport, end)
            qtbot.mouseRelease(viewport, LEFT, pos=end)
        elif u < 0.6 and editor.dataset.n_samples:
            px, py = editor.dataset.X[rng.randrange(editor.dataset.n_samples)]
            click(qtbot, window, float(px), float(py), modifier=SHIFT)
        elif u < 0.75:
            qtbot.keyClick(window.network_view, Qt.Key.Key_Z, CTRL)
        elif u < 0.85:
            qtbot.keyClick(window.network_view, Qt.Key.Key_Z, CTRL | SHIFT)
        elif u < 0.9:
            editor.destination.setCurrentIndex(rng.randrange(2))
        elif u < 0.93:
            qtbot.mouseClick(editor.clear_button, LEFT)
            window.controller.play()  # (clearing paused it)
        else:
            qtbot.wait(30)
    while editor.dataset.n_train == 0 and editor.act_undo.isEnabled():
        qtbot.keyClick(window.network_view, Qt.Key.Key_Z, CTRL)
    if editor.dataset.n_train == 0:
        editor.destination.setCurrentIndex(0)
        click(qtbot, window, 0.0, 0.0)
    window.controller.play()
    ds = editor.dataset
    snap = wait_snapshot(qtbot, window, lambda s: s.dataset is ds and s.running)
    wait_snapshot(qtbot, window, lambda s: s.epoch > snap.epoch + 2)
    assert not [e for e in errors if "Traceback" in e]
    assert not [n for n in notes if "Data not applied" in n]
    assert window.controller.is_alive()
