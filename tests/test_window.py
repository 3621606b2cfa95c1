"""The live window, headless: training drives the views, controls steer training, closing is clean."""

from __future__ import annotations

import numpy as np
import pytest
from PyQt6.QtCore import QPointF, QSettings
from window_helpers import wait_snapshot

from visualizer.engine.experiment import Config
from visualizer.ui.main_window import MainWindow

TIMEOUT = 20_000


@pytest.fixture
def window(qtbot):
    win = MainWindow(Config(), use_settings=False)
    qtbot.addWidget(win)
    win.hyper_toolbar.set_speed(0)  # flat out: these tests wait for epochs, not for the first-launch pace
    win.resize(1400, 860)
    win.show()
    yield win
    win.shutdown()


def wait_drawn(qtbot, win, snap):
    qtbot.waitUntil(lambda: win._drawn_serial >= snap.serial, timeout=TIMEOUT)


def synapse_data(win) -> list[np.ndarray]:
    out = []
    for item in win.network_view.synapse_bins():
        _x, y = item.getData()
        out.append(np.array([] if y is None else y, dtype=float))
    return out


def test_training_changes_the_drawing(qtbot, window):
    first = wait_snapshot(qtbot, window, lambda s: True)
    wait_drawn(qtbot, window, first)
    synapses_before = synapse_data(window)
    image_before = window.boundary_view.image_data()
    nodes_before = window.network_view.node_image().copy()
    window.controller.play()
    wait_snapshot(qtbot, window, lambda s: s.epoch >= 30)
    window.controller.pause()
    later = wait_snapshot(qtbot, window, lambda s: not s.running)
    wait_drawn(qtbot, window, later)
    assert later.epoch >= 30
    assert window.epoch_label.text().startswith("Epoch")
    assert not np.array_equal(image_before, window.boundary_view.image_data())
    assert not np.array_equal(nodes_before, window.network_view.node_image())
    after = synapse_data(window)
    assert len(after) == len(synapses_before)
    assert any(a.shape != b.shape or not np.array_equal(a, b) for a, b in zip(after, synapses_before, strict=True))
    # the loss view plotted the history, and the network's health
    x, y = window.loss_view.curve_data()
    assert len(x) >= 30 and np.all(np.isfinite(y))
    assert len(later.stats["grad_norm"]) == len(later.sizes) - 1
    assert window.loss_view.health.text().startswith("Gradient size by layer")


def test_learning_rate_applies_without_reset(qtbot, window):
    window.controller.play()
    before = wait_snapshot(qtbot, window, lambda s: s.epoch >= 10)
    combo = window.hyper_toolbar.learning_rate
    combo.setEditText("0.1")
    combo.lineEdit().editingFinished.emit()
    assert window.config.learning_rate == pytest.approx(0.1)
    after = wait_snapshot(qtbot, window, lambda s: s.learning_rate == pytest.approx(0.1))
    window.controller.pause()
    assert after.generation == before.generation  # same network: no rebuild
    assert after.epoch >= before.epoch  # no reset
    assert combo.value() == pytest.approx(0.1)


def test_adding_a_layer_rebuilds_and_shows_it(qtbot, window):
    first = wait_snapshot(qtbot, window, lambda s: True)
    assert first.sizes == (2, 4, 2, 1)
    window.data_panel.change_layer_count(+1)
    snap = wait_snapshot(qtbot, window, lambda s: s.sizes == (2, 4, 2, 2, 1))
    assert snap.generation > first.generation
    wait_drawn(qtbot, window, snap)
    assert len(window.network_view.node_rects()) == sum(snap.sizes)
    assert window.data_panel.layers.text() == "4, 2, 2"
    # neurons per layer from the network view's +/− glyphs
    window.network_view.sigNeuronCountChangeRequested.emit(0, +1)
    snap = wait_snapshot(qtbot, window, lambda s: s.sizes == (2, 5, 2, 2, 1))
    wait_drawn(qtbot, window, snap)
    assert len(window.network_view.node_rects()) == sum(snap.sizes)


def test_pause_stops_the_epoch_counter(qtbot, window):
    window.controller.play()
    wait_snapshot(qtbot, window, lambda s: s.epoch >= 5)
    window.controller.pause()
    paused = wait_snapshot(qtbot, window, lambda s: not s.running)
    qtbot.wait(300)
    assert window.controller.latest.epoch == paused.epoch
    assert not window.controller.is_running()
    window.controller.play()
    wait_snapshot(qtbot, window, lambda s: s.epoch > paused.epoch)
    window.controller.pause()


def test_step_epoch_and_step_batch(qtbot, window):
    wait_snapshot(qtbot, window, lambda s: True)
    window.act_step_batch.trigger()
    snap = wait_snapshot(qtbot, window, lambda s: s.steps == 1)
    assert snap.epoch == 0
    window.act_step_epoch.trigger()  # finishes the epoch the mini-batch began
    snap = wait_snapshot(qtbot, window, lambda s: s.epoch == 1)
    assert snap.steps == 25  # 250 training points in batches of 10
    window.act_step_epoch.trigger()
    snap = wait_snapshot(qtbot, window, lambda s: s.epoch == 2)
    assert snap.steps == 50


def test_editing_a_weight_in_the_view_changes_the_engine(qtbot, window, monkeypatch):
    first = wait_snapshot(qtbot, window, lambda s: True)
    wait_drawn(qtbot, window, first)
    monkeypatch.setattr(window.network_view, "_ask_value", lambda *args, **kw: 1.2345)
    view = window.network_view
    x0, y0, x1, y1 = view.synapse_segment(0, 1, 2)
    # a point near the target end: in the middle, other synapses cross this one
    assert view._click_at(QPointF(x0 + 0.8 * (x1 - x0), y0 + 0.8 * (y1 - y0)))
    snap = wait_snapshot(qtbot, window, lambda s: s.weights[0][1, 2] == 1.2345)
    assert snap.weights[0][1, 2] == 1.2345
    # a bias too, while training (slowly, so that the edit is still visible a frame later)
    window.controller.set_speed(2)
    window.controller.play()
    wait_snapshot(qtbot, window, lambda s: s.epoch >= 1)
    view.sigBiasEdited.emit(view._snap.generation, 2, 0, -0.75)
    snap = wait_snapshot(qtbot, window, lambda s: abs(s.biases[2][0] + 0.75) < 0.2)
    window.controller.pause()
    assert snap.running


def test_reset_restores_the_same_initial_weights(qtbot, window):
    first = wait_snapshot(qtbot, window, lambda s: True)
    window.controller.play()
    wait_snapshot(qtbot, window, lambda s: s.epoch >= 5)
    window.act_reset.trigger()
    snap = wait_snapshot(qtbot, window, lambda s: s.epoch == 0 and not s.running)
    for a, b in zip(first.weights, snap.weights, strict=True):
        np.testing.assert_array_equal(a, b)
    window.act_new_weights.trigger()
    snap = wait_snapshot(qtbot, window, lambda s: not np.array_equal(s.weights[0], first.weights[0]))
    assert snap.epoch == 0
    assert window.config.seed == 1


def test_problem_type_and_data_set_switch(qtbot, window):
    wait_snapshot(qtbot, window, lambda s: True)
    window.data_panel.problem.setCurrentIndex(1)  # regression
    snap = wait_snapshot(qtbot, window, lambda s: s.task == "regression")
    assert snap.output == "linear" and snap.config.dataset == "reg_plane"
    window.data_panel.problem.setCurrentIndex(0)
    for i in range(window.data_panel.datasets.count()):
        if window.data_panel.datasets.item(i).text() == "Blobs":
            window.data_panel.datasets.setCurrentRow(i)
    snap = wait_snapshot(qtbot, window, lambda s: s.n_classes == 3)
    wait_drawn(qtbot, window, snap)
    assert snap.sizes[-1] == 3 and snap.output == "softmax"
    assert window.boundary_view.image_data().shape[-1] == 3  # class colours blended as RGB


def test_closing_mid_training_stops_the_thread(qtbot):
    win = MainWindow(Config(hidden=(8, 8, 8, 8, 8, 8)), use_settings=False)
    win.show()
    win.controller.play()
    wait_snapshot(qtbot, win, lambda s: s.epoch >= 3)
    assert win.controller.is_alive()
    win.close()
    assert not win.controller.is_alive()


def test_settings_are_remembered(qtbot, tmp_path):
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))
    win = MainWindow(None, use_settings=True)
    win.show()
    win._on_config_edit({"learning_rate": 0.3, "hidden": (3,)})
    win.display_panel.show_test.setChecked(True)
    win.close()
    again = MainWindow(None, use_settings=True)
    qtbot.addWidget(again)
    try:
        assert again.config.learning_rate == pytest.approx(0.3)
        assert again.config.hidden == (3,)
        assert again.display_panel.show_test.isChecked()
    finally:
        again.shutdown()
        QSettings().clear()


def test_help_dialogs(qtbot, window):
    window.act_shortcuts.trigger()
    assert "Space" in window._shortcuts_box.text()
    window._shortcuts_box.close()
    window.act_about.trigger()
    from visualizer import __version__

    assert __version__ in window._about_box.text()
    window._about_box.close()
    assert all(a.toolTip() for a in (window.act_play, window.act_reset, window.act_step_epoch))


def test_every_control_has_a_tooltip(window):
    from PyQt6.QtWidgets import (
        QAbstractButton,
        QAbstractSlider,
        QAbstractSpinBox,
        QComboBox,
        QLineEdit,
        QListWidget,
        QScrollBar,
    )

    kinds = (QAbstractButton, QAbstractSlider, QAbstractSpinBox, QComboBox, QLineEdit, QListWidget)
    missing = []
    for panel in (window.data_panel, window.hyper_toolbar, window.display_panel):
        for w in panel.findChildren(kinds):
            if isinstance(w, QLineEdit) and isinstance(w.parent(), (QComboBox, QAbstractSpinBox)):
                continue
            if isinstance(w, QScrollBar) or w.objectName().startswith("qt_"):  # Qt's own internals
                continue
            if not w.toolTip() and not (w.parent() and w.parent().toolTip()):
                missing.append(f"{type(w).__name__} {w.objectName() or getattr(w, 'text', lambda: '')()}")
    assert not missing, missing


def test_network_drawn_inside_the_window_matches_the_view_alone(qtbot):
    """Synapses are cached as an image in device pixels; inside the window the view sits at an offset in the
    window's backing store, which once clipped away every synapse right of (view width) window pixels."""
    from visualizer.engine.features import FEATURES

    win = MainWindow(Config(features=tuple(FEATURES), hidden=(8, 8, 8, 8, 8, 8)), use_settings=False)
    qtbot.addWidget(win)
    win.resize(1500, 900)
    win.show()
    try:
        snap = wait_snapshot(qtbot, win, lambda s: True)
        wait_drawn(qtbot, win, snap)
        view = win.network_view
        alone = view.grab().toImage()
        top_left = view.mapTo(win, view.rect().topLeft())
        inside = win.grab().toImage().copy(top_left.x(), top_left.y(), view.width(), view.height())
        a = np.frombuffer(alone.convertToFormat(alone.Format.Format_RGB32).constBits().asstring(
            alone.sizeInBytes()), np.uint8).reshape(alone.height(), -1, 4)[:, : view.width(), :3].astype(int)
        b = np.frombuffer(inside.convertToFormat(inside.Format.Format_RGB32).constBits().asstring(
            inside.sizeInBytes()), np.uint8).reshape(inside.height(), -1, 4)[:, : view.width(), :3].astype(int)
        assert a.shape == b.shape
        differing = np.mean(np.abs(a - b).sum(axis=2) > 60)
        assert differing < 0.01, f"{differing:.1%} of the pixels differ"
    finally:
        win.shutdown()


def test_a_rejected_configuration_keeps_the_running_network(qtbot, window, monkeypatch):
    first = wait_snapshot(qtbot, window, lambda s: True)
    import visualizer.training.worker as worker_module

    def refuse(config, dataset=None):
        raise ValueError("refused for the test")

    monkeypatch.setattr(worker_module, "build", refuse)
    with qtbot.waitSignal(window.controller.sigError, timeout=TIMEOUT):
        window._on_config_edit({"hidden": (3, 3)})
    assert window.config.hidden == first.config.hidden == (4, 2)
    assert window.data_panel.layers.text() == "4, 2"
    assert "refused" in window.statusBar().currentMessage()
    monkeypatch.undo()
    window._on_config_edit({"hidden": (3,)})
    snap = wait_snapshot(qtbot, window, lambda s: s.sizes == (2, 3, 1))
    assert snap.generation > first.generation


def test_training_on_a_given_data_set(qtbot, window):
    """The seam for user data: the controller hands a ready Dataset to the worker, which rebuilds on it."""
    from visualizer.engine.data import make_dataset

    first = wait_snapshot(qtbot, window, lambda s: True)
    data = make_dataset("moons", noise=0.1, seed=5)
    window.controller.set_data(window.config.replace(dataset="moons"), data)
    snap = wait_snapshot(qtbot, window, lambda s: s.dataset is data)
    assert snap.generation > first.generation and snap.config.dataset == "moons"
