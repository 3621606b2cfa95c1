"""Views inside the hidden layers, in the window: the transformed-space points are the layer's activations (two
neurons, or the principal components), the first-layer lines are the neurons' w·x + b = 0, a dead ReLU unit is
marked, the gradient-size plot and the histograms follow training, and the vanishing-gradients lesson opens the
gradient plot."""

from __future__ import annotations

import numpy as np
import pytest
from PyQt6.QtCore import Qt
from window_helpers import open_window

from visualizer.engine.experiment import Config, build

TIMEOUT = 20_000


@pytest.fixture
def win(qtbot):
    w = open_window(qtbot, Config(activation="relu", hidden=(4, 3), init="he", seed=2), (1366, 768), full_speed=False)
    yield w
    w.shutdown()


def train(qtbot, win, epochs: int):
    target = win.controller.latest.epoch + epochs
    for _ in range(epochs):
        win.controller.step_epoch()
        qtbot.waitUntil(lambda: win.controller._worker._pending_steps < 3, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: win.controller.latest.epoch == target, timeout=TIMEOUT)
    return win.controller.latest


def click_tab(qtbot, win, widget):
    bar = win.loss_tabs.tabBar()
    index = win.loss_tabs.indexOf(widget)
    bar.setCurrentIndex(index)  # scrolls the tab into view first
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    assert win.loss_tabs.currentWidget() is widget


def layer_activations(snap):
    exp = build(snap.config, snap.dataset)
    for layer, (w, b) in enumerate(zip(snap.weights, snap.biases, strict=True)):
        exp.network.weights[layer] = w
        exp.network.biases[layer] = b
    F = np.concatenate([exp.trainer.Xa_train[:-1].T, exp.trainer.Xa_test[:-1].T])
    return exp.network.forward_all(F)


def test_transformed_space_points_are_the_layer_activations(qtbot, win):
    snap = train(qtbot, win, 3)
    hv = win.hidden_views
    click_tab(qtbot, win, hv.transformed)
    view = hv.transformed
    view.choose(1, (2, 0))  # hidden layer 1 through its neurons 3 and 1
    acts = layer_activations(snap)
    assert np.array_equal(view.result.points, acts[1][:, [2, 0]])
    assert view.result.lines is not None and view.result.lines.shape[-1] == 2
    view.choose(2, None)  # PCA of hidden layer 2
    ts = view.result
    A = acts[2]
    assert np.allclose(ts.points, (A - A.mean(axis=0)) @ ts.basis.T)
    assert np.allclose(ts.basis @ ts.basis.T, np.eye(2), atol=1e-12) or np.linalg.matrix_rank(A - A.mean(0)) < 2
    view.choose(3, None)  # the output: one neuron, against 0
    assert np.array_equal(view.result.points[:, 0], layer_activations(win.controller.latest)[3][:, 0])


def test_first_layer_lines_are_the_neurons_lines(qtbot, win):
    snap = train(qtbot, win, 2)
    hv = win.hidden_views
    hv.act_lines.trigger()
    assert hv.act_lines.isChecked()
    W, b = snap.weights[0], snap.biases[0]
    drawn = [s for s in hv.line_segments if s is not None]
    assert drawn and len(hv.line_segments) == W.shape[1]
    for j, seg in enumerate(hv.line_segments):
        if seg is None:
            continue
        for x, y in seg:
            assert abs(W[0, j] * x + W[1, j] * y + b[j]) < 1e-9 * max(1.0, abs(b[j]))
    x, _y = hv.lines.getData()
    assert len(x) == 2 * len(drawn)
    hv.act_lines.trigger()
    assert hv.lines.getData()[0] is None or len(hv.lines.getData()[0]) == 0


def test_a_dead_relu_unit_is_marked(qtbot, win):
    gen = win.controller.latest.generation
    win.controller.edit_bias(gen, 0, 1, -1000.0)  # unit 2 of the first hidden layer never fires
    qtbot.waitUntil(lambda: win.controller.latest.biases[0][1] == -1000.0, timeout=TIMEOUT)
    win.hidden_views.refresh(force=True)
    dead, _sat = win.hidden_views.marks.marked()
    assert (1, 1) in dead
    assert not win.hidden_views.marks.item.path().isEmpty()


def test_gradient_sizes_and_histograms_follow_training(qtbot, win):
    hv = win.hidden_views
    click_tab(qtbot, win, hv.gradients)
    snap = train(qtbot, win, 4)
    hv.refresh(force=True)
    epochs, norms = snap.grad_history
    assert len(hv.gradients.curves) == 3
    x, y = hv.gradients.curves[0].getData()  # log10 of the sizes (a log axis)
    assert np.array_equal(x, epochs.astype(float)) and np.allclose(10.0**y, norms[:, 0], rtol=1e-12)
    click_tab(qtbot, win, hv.histograms)
    hist = hv.histograms.weights
    assert [int(c.sum()) for c in hist.counts] == [w.size for w in snap.weights]
    g = hv.histograms.gradients
    assert [int(c.sum()) + z for c, z in zip(g.counts, g.zeros, strict=True)] == [x.size for x in snap.gradients]


def test_vanishing_gradients_lesson_shows_the_gradient_plot(qtbot, win):
    gen = win.controller.latest.generation
    win.lessons.open_lesson("vanishing_gradients", "sigmoid")
    qtbot.waitUntil(lambda: win.controller.latest.generation > gen, timeout=TIMEOUT)
    assert win.loss_tabs.currentWidget() is win.hidden_views.gradients
    snap = train(qtbot, win, 2)
    norms = snap.grad_history[1][-1]
    assert norms[0] < norms[-1] / 10  # the first layers starve
    win.lessons.leave()
    assert win.loss_tabs.currentIndex() == 0
