"""The step-through mode in the window, driven with real key and mouse events: T enters it and pauses, a click on
the output map picks the nearest training point, → walks Forward → Loss → Backward → Update, the numbers drawn are
the engine's (forward values, loss terms, deltas, gradients, updated weights) for sigmoid, tanh, ReLU and softmax
networks, one sample and a mini-batch, mean and sum; → on Update takes one engine step bit for bit (SGD, Adam)."""

from __future__ import annotations

import numpy as np
import pytest
from PyQt6.QtCore import QPoint, QPointF, Qt
from PyQt6.QtWidgets import QApplication

from visualizer.engine.experiment import Config, build
from visualizer.engine.stepthrough import record_step
from visualizer.ui.main_window import MainWindow
from visualizer.ui.stepthrough_mode import STAGES

TIMEOUT = 20_000


def open_window(qtbot, config: Config) -> MainWindow:
    win = MainWindow(config, use_settings=False)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    qtbot.waitUntil(lambda: win.controller.latest is not None and win._drawn_serial >= win.controller.latest.serial,
                    timeout=TIMEOUT)
    win.activateWindow()
    win.network_view.setFocus(Qt.FocusReason.MouseFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is win.network_view, timeout=2000)
    return win


@pytest.fixture
def windows(qtbot):
    opened = []

    def make(config: Config) -> MainWindow:
        win = open_window(qtbot, config)
        opened.append(win)
        return win

    yield make
    for win in opened:
        win.shutdown()


def enter(qtbot, win) -> None:
    qtbot.keyClick(win.network_view, Qt.Key.Key_T)
    assert win.stepthrough.active
    qtbot.waitUntil(lambda: win.stepthrough.record is not None, timeout=TIMEOUT)


def wait_record(qtbot, win, indices) -> None:
    qtbot.waitUntil(lambda: win.stepthrough.record is not None
                    and tuple(win.stepthrough.record.indices) == tuple(indices), timeout=TIMEOUT)


def click_point(qtbot, win, k: int, shift: bool = False) -> None:
    """A real click on training point ``k`` of the output map."""
    ds = win.controller.latest.dataset
    x, y = ds.X_train[k]
    plot = win.boundary_view.plot
    scene = plot.plotItem.vb.mapViewToScene(QPointF(float(x), float(y)))
    pos = plot.mapFromScene(scene)
    mods = Qt.KeyboardModifier.ShiftModifier if shift else Qt.KeyboardModifier.NoModifier
    qtbot.mouseClick(plot.viewport(), Qt.MouseButton.LeftButton, mods, QPoint(pos.x(), pos.y()))


def distinct_point(win) -> int:
    """A training point with no other within a few pixels (so a click picks exactly it)."""
    X = np.asarray(win.controller.latest.dataset.X_train)
    d = np.sqrt(((X[:, None] - X[None]) ** 2).sum(-1)) + np.eye(len(X)) * 1e9
    return int(np.argmax(d.min(axis=1)))


def engine_record(win, indices):
    """The engine's own numbers for the window's current network: the same config built afresh, stepped as the
    window stepped, then recorded."""
    exp = build(win.controller.latest.config, win.controller.latest.dataset)
    for w, wn in zip(win.controller.latest.weights, exp.network.weights, strict=True):
        assert np.array_equal(w, wn)
    return exp, record_step(exp.trainer, indices)


def walk_and_check(qtbot, win, indices) -> None:
    """→ through the four stages, comparing every drawn number with the engine's."""
    mode, overlay = win.stepthrough, win.stepthrough_overlay
    exp, rec = engine_record(win, indices)
    net = exp.network
    X, T = exp.trainer.rows(indices)
    acts = net.forward_all(X[:-1].T)
    _loss, dW, db = net.gradients(X[:-1].T, T.T, exp.trainer.batch_reduction)
    shown_rec = mode.record
    assert shown_rec.reduction == exp.trainer.batch_reduction
    last = len(net.sizes) - 1
    for stage in range(4):
        assert mode.stage == stage and overlay.bar.current_text() == STAGES[stage]
        overlay.finish_animation()
        shown = overlay.shown
        assert shown, STAGES[stage]
        for key, values in shown.items():
            kind = key[0]
            if STAGES[stage] == "Forward" and kind == "node":
                col, unit = key[1:]
                assert values["out"] == acts[col][overlay.sample, unit]
                if col:
                    assert values["net"] == rec.net[col - 1][overlay.sample, unit]
            elif STAGES[stage] == "Loss" and kind == "node":
                col, unit = key[1:]
                assert col == last
                assert values["out"] == acts[-1][overlay.sample, unit]
                assert values["target"] == T[unit, overlay.sample]
                assert values["loss"] == rec.loss_terms[overlay.sample]
            elif STAGES[stage] == "Backward" and kind == "node":
                col, unit = key[1:]
                assert values["delta"] == rec.delta[col - 1][overlay.sample, unit]
            elif STAGES[stage] == "Update" and kind == "synapse":
                layer, i, j = key[1:]
                assert values["old"] == net.weights[layer][i, j]
                assert values["new"] == rec.weights_after[layer][i, j]
            elif STAGES[stage] == "Update" and kind == "bias":
                col, unit = key[1:]
                assert values["old"] == net.biases[col - 1][unit]
                assert values["new"] == rec.biases_after[col - 1][unit]
        if STAGES[stage] == "Backward":
            # the synapses drawn by gradient: the engine's reduced gradient (as Network.gradients has it)
            for layer in range(len(dW)):
                np.testing.assert_allclose(shown_rec.grad_w[layer], dW[layer], rtol=1e-12, atol=1e-15)
                np.testing.assert_allclose(shown_rec.grad_b[layer], db[layer], rtol=1e-12, atol=1e-15)
            assert overlay.grad_scale == max(float(np.abs(g).max()) for g in shown_rec.grad_w)
            # hover-free selection of a synapse: its gradient label and formula
            mode.set_selected(("synapse", 0, 0, 0))
            assert overlay.shown[("synapse", 0, 0, 0)]["grad"] == rec.grad_w[0][0, 0]
            assert "∂L/∂w" in win.formula_panel.formula()
            mode.set_selected(None)
        if STAGES[stage] == "Update":
            for a, b in zip(shown_rec.weights_after, rec.weights_after, strict=True):
                assert np.array_equal(a, b)
            mode.set_selected(("synapse", last - 1, 0, 0))
            text = win.formula_panel.formula()
            assert "→" in text
        if stage < 3:
            qtbot.keyClick(win.network_view, Qt.Key.Key_Right)


# ------------------------------------------------------------------------------------------------ entering
def test_t_enters_the_mode_and_pauses_esc_leaves(qtbot, windows):
    win = windows(Config(hidden=(3,)))
    qtbot.keyClick(win.network_view, Qt.Key.Key_Space)
    assert win.controller.is_running()
    qtbot.keyClick(win.network_view, Qt.Key.Key_T)
    assert win.stepthrough.active and not win.controller.is_running()
    assert win.formula_panel.dock.isVisible() and win.stepthrough_overlay.bar.isVisible()
    qtbot.waitUntil(lambda: win.stepthrough.record is not None, timeout=TIMEOUT)
    epoch = win.controller.latest.epoch
    qtbot.keyClick(win.network_view, Qt.Key.Key_Right)  # a stage, not an epoch
    assert win.stepthrough.stage == 1
    qtbot.keyClick(win.network_view, Qt.Key.Key_Left)
    assert win.stepthrough.stage == 0
    bar = win.stepthrough_overlay.bar
    qtbot.mouseClick(bar.stage_labels[2], Qt.MouseButton.LeftButton)  # a click on "3 Backward"
    assert win.stepthrough.stage == 2 and bar.current_text() == "Backward"
    qtbot.mouseClick(bar.stage_labels[0], Qt.MouseButton.LeftButton)
    assert win.stepthrough.stage == 0
    qtbot.wait(150)
    assert win.controller.latest.epoch == epoch
    qtbot.keyClick(win.network_view, Qt.Key.Key_Escape)
    assert not win.stepthrough.active and not win.formula_panel.dock.isVisible()
    assert win.controller.is_running()  # it trained before the mode: leaving resumes
    serial = win.controller.latest.serial
    qtbot.keyClick(win.network_view, Qt.Key.Key_Space)
    assert not win.controller.is_running()
    qtbot.waitUntil(lambda: win.controller.latest.serial > serial and not win.controller.latest.running,
                    timeout=TIMEOUT)  # a snapshot taken after the pause
    qtbot.wait(100)
    epoch = win.controller.latest.epoch
    qtbot.keyClick(win.network_view, Qt.Key.Key_Right)  # → steps an epoch again
    qtbot.waitUntil(lambda: win.controller.latest.epoch == epoch + 1, timeout=TIMEOUT)
    qtbot.keyClick(win.network_view, Qt.Key.Key_T)  # entered while paused: leaving stays paused
    qtbot.keyClick(win.network_view, Qt.Key.Key_Escape)
    assert not win.controller.is_running()


def test_the_toolbar_button_and_the_menu_enter_the_mode(qtbot, windows):
    win = windows(Config(hidden=(2,)))
    button = win.training_toolbar.widgetForAction(win.stepthrough.act_mode)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert win.stepthrough.active
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert not win.stepthrough.active
    menu = next(a.menu() for a in win.menuBar().actions() if a.text().replace("&", "") == "Training")
    assert win.stepthrough.act_mode in menu.actions()


def test_clicking_a_point_picks_it_and_shift_click_makes_a_batch(qtbot, windows):
    win = windows(Config(hidden=(3,)))
    enter(qtbot, win)
    k = distinct_point(win)
    click_point(qtbot, win, k)
    wait_record(qtbot, win, (k,))
    assert win.stepthrough.indices == (k,)
    assert np.array_equal(win.stepthrough.marker.data["x"], [win.controller.latest.dataset.X_train[k][0]])
    X = np.asarray(win.controller.latest.dataset.X_train)
    others = np.argsort(((X - X[k]) ** 2).sum(1))[::-1][:2]  # far away points: no ambiguity
    for o in others:
        click_point(qtbot, win, int(o), shift=True)
    expected = (k, *map(int, others))
    wait_record(qtbot, win, expected)
    assert win.stepthrough.record.n == 3
    overlay = win.stepthrough_overlay
    qtbot.keyClick(win.network_view, Qt.Key.Key_Down)  # the neurons show the batch's second sample
    overlay.finish_animation()
    assert overlay.sample == 1
    last = len(win.stepthrough.record.sizes) - 1
    assert overlay.shown[("node", last, 0)]["out"] == win.stepthrough.record.out[-1][1, 0]
    qtbot.keyClick(win.network_view, Qt.Key.Key_Up)
    assert overlay.sample == 0
    assert QApplication.focusWidget() is win.network_view  # the keys still move the stages after a click
    qtbot.keyClick(win.network_view, Qt.Key.Key_B)  # the trainer's next mini-batch
    qtbot.waitUntil(lambda: win.stepthrough.record.n == win.config.batch_size, timeout=TIMEOUT)


# ------------------------------------------------------------------------------------------------ the numbers
NETWORKS = {
    "sigmoid": Config(hidden=(3,), activation="sigmoid", output="sigmoid", loss="squared"),
    "tanh": Config(hidden=(3, 2), activation="tanh"),
    "relu": Config(hidden=(4,), activation="relu", init="he", seed=3),
    "softmax": Config(dataset="blobs", n_classes=3, hidden=(3,), activation="tanh"),
}


@pytest.mark.parametrize("name", list(NETWORKS))
def test_numbers_shown_are_the_engines(qtbot, windows, name):
    win = windows(NETWORKS[name])
    enter(qtbot, win)
    k = distinct_point(win)
    click_point(qtbot, win, k)
    wait_record(qtbot, win, (k,))
    walk_and_check(qtbot, win, (k,))
    # a mini-batch, mean then sum
    X = np.asarray(win.controller.latest.dataset.X_train)
    far = [int(o) for o in np.argsort(((X - X[k]) ** 2).sum(1))[::-1][:2]]
    for o in far:
        click_point(qtbot, win, o, shift=True)
    batch = (k, *far)
    wait_record(qtbot, win, batch)
    assert win.stepthrough.stage == 0
    walk_and_check(qtbot, win, batch)
    assert "(1/3)" in win.formula_panel.formula() or "mean" in win.formula_panel.formula()
    qtbot.keyClick(win.network_view, Qt.Key.Key_Left)
    qtbot.keyClick(win.network_view, Qt.Key.Key_Left)
    qtbot.keyClick(win.network_view, Qt.Key.Key_Left)
    win.formula_panel.set_reduction("sum")
    qtbot.waitUntil(lambda: win.stepthrough.record.reduction == "sum", timeout=TIMEOUT)
    assert win.controller.latest.config.batch_reduction == "sum"
    assert win.stepthrough.stage == 0
    walk_and_check(qtbot, win, batch)
    win.stepthrough.set_stage(1)
    assert "(sum)" in win.formula_panel.formula()


# ------------------------------------------------------------------------------------------------ Update
@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_update_is_one_engine_step_bit_for_bit(qtbot, windows, optimizer):
    config = Config(hidden=(3,), optimizer=optimizer, learning_rate=0.1)
    win = windows(config)
    exp = build(config)
    enter(qtbot, win)
    steps = []
    for k in (distinct_point(win), 0):
        click_point(qtbot, win, k) if k else win.stepthrough.pick(0)
        wait_record(qtbot, win, (k,))
        shown_after = win.stepthrough.record.params_after
        for _ in range(3):
            qtbot.keyClick(win.network_view, Qt.Key.Key_Right)
        assert win.stepthrough.stage == 3
        before = win.controller.latest.steps
        qtbot.keyClick(win.network_view, Qt.Key.Key_Right)  # → on Update: the step
        qtbot.waitUntil(lambda b=before: win.controller.latest.steps == b + 1, timeout=TIMEOUT)
        steps.append(k)
        assert exp.trainer.step_on([k])
        snap = win.controller.latest
        for w, b, wn, bn in zip(snap.weights, snap.biases, exp.network.weights, exp.network.biases, strict=True):
            assert np.array_equal(w, wn) and np.array_equal(b, bn)
        assert np.array_equal(exp.network.params, shown_after)  # what Update showed is where it went
        qtbot.waitUntil(lambda: win.stepthrough.stage == 0 and win.stepthrough.record is not None
                        and np.array_equal(win.stepthrough.record.params_before, exp.network.params),
                        timeout=TIMEOUT)
    assert win.stepthrough.active  # still in the mode, on the new network
    qtbot.keyClick(win.network_view, Qt.Key.Key_Escape)
    qtbot.keyClick(win.network_view, Qt.Key.Key_Space)
    assert win.controller.is_running()
    win.controller.pause()


def test_play_leaves_the_mode(qtbot, windows):
    win = windows(Config(hidden=(2,)))
    enter(qtbot, win)
    qtbot.keyClick(win.network_view, Qt.Key.Key_Space)
    assert not win.stepthrough.active and win.controller.is_running()
    win.controller.pause()


def test_a_stale_step_is_dropped_by_the_worker(qtbot, windows):
    win = windows(Config(hidden=(2,)))
    enter(qtbot, win)
    gen = win.controller.latest.generation
    with qtbot.waitSignal(win.controller.sigNote, timeout=TIMEOUT):
        win.controller.apply_step(gen + 5, (0,))
    with qtbot.waitSignal(win.controller.sigNote, timeout=TIMEOUT):
        win.controller.apply_step(gen, (10**6,))
    with qtbot.waitSignal(win.controller.sigNote, timeout=TIMEOUT):
        win.controller.request_stepthrough(gen, ())
    assert win.controller.is_alive()
    assert win.controller.latest.steps == 0


def test_a_row_of_the_data_table_picks_it(qtbot, windows):
    win = windows(Config(hidden=(2,)))
    gen = win.controller.latest.generation
    win.lessons.open_lesson("tutorial_003")
    qtbot.waitUntil(lambda: win.controller.latest.generation > gen and win.output_stack.currentWidget()
                    is win.table_view, timeout=TIMEOUT)
    enter(qtbot, win)
    table = win.table_view.table
    rect = table.visualItemRect(table.item(2, 1))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    wait_record(qtbot, win, (2,))
    assert np.array_equal(win.stepthrough.record.inputs[0], win.controller.latest.dataset.X[2])


def test_a_selection_in_a_layer_that_goes_away_is_forgotten(qtbot, windows):
    """Found by the random-action test: a synapse selected in the last layer, then a hidden layer removed."""
    win = windows(Config(hidden=(3, 2)))
    enter(qtbot, win)
    win.stepthrough.set_selected(("synapse", 2, 1, 0))
    qtbot.keyClick(win.network_view, Qt.Key.Key_Right)
    qtbot.keyClick(win.network_view, Qt.Key.Key_Right)  # Backward: animated, redrawn on every tick
    gen = win.controller.latest.generation
    win._on_config_edit({"hidden": (3,)})
    qtbot.waitUntil(lambda: win.stepthrough.payload is not None and win.stepthrough.payload["generation"] > gen,
                    timeout=TIMEOUT)
    qtbot.wait(600)  # animation ticks on the new network
    assert win.stepthrough.focus is None
    win.stepthrough_overlay.finish_animation()
    assert "output" in win.formula_panel.title.text()


def test_rows_that_the_new_data_does_not_have_fall_back_to_the_first(qtbot, windows):
    win = windows(Config(hidden=(2,)))
    enter(qtbot, win)
    n = win.controller.latest.dataset.n_train
    win.stepthrough.pick(n - 1)
    wait_record(qtbot, win, (n - 1,))
    win._on_config_edit({"train_fraction": 0.1})  # far fewer training rows
    qtbot.waitUntil(lambda: win.stepthrough.payload is not None
                    and win.stepthrough.payload["generation"] == win.controller.latest.generation
                    and win.controller.latest.dataset.n_train < n, timeout=TIMEOUT)
    assert win.stepthrough.indices == (0,) and win.stepthrough.record.indices == (0,)
