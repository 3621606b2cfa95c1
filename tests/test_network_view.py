"""NetworkView: layout for any structure, drawing follows the data, hover, editing and structure glyphs."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pytest
from PyQt6.QtCore import QPointF, Qt

from visualizer.engine.experiment import Config, build
from visualizer.engine.grid import GridResult
from visualizer.training.snapshot import Snapshot
from visualizer.ui import colors
from visualizer.ui.network_view import N_WIDTH_BINS, NetworkView
from visualizer.ui.numbers import format_number


def make_snapshot(hidden=(4, 2), generation=1, features=("x1", "x2"), **config) -> Snapshot:
    exp = build(Config(hidden=tuple(hidden), features=features, **config), grid_resolution=40)
    return Snapshot.of(exp, generation=generation)


def with_(snap: Snapshot, **changes) -> Snapshot:
    fields = {name: getattr(snap, name) for name in snap.__dataclass_fields__}
    fields.update(changes)
    fields["serial"] = snap.serial + 1
    return Snapshot(**fields)


@pytest.fixture
def view(qtbot):
    v = NetworkView()
    qtbot.addWidget(v)
    v.resize(900, 600)
    v.show()
    qtbot.waitExposed(v)
    return v


def bin_data(v: NetworkView) -> list[np.ndarray]:
    out = []
    for item in v.synapse_bins():
        x, y = item.getData()
        out.append(np.concatenate([[] if x is None else x, [] if y is None else y]))
    return out


def bin_counts(v: NetworkView) -> np.ndarray:
    return np.array([0 if item.getData()[0] is None else len(item.getData()[0]) // 2 for item in v.synapse_bins()])


def assert_no_overlap(rects: np.ndarray) -> None:
    x, y, w, h = rects.T
    ox = (x[:, None] < x[None, :] + w[None, :]) & (x[None, :] < x[:, None] + w[:, None])
    oy = (y[:, None] < y[None, :] + h[None, :]) & (y[None, :] < y[:, None] + h[:, None])
    overlap = ox & oy
    np.fill_diagonal(overlap, False)
    assert not overlap.any()


def centre(rect) -> QPointF:
    x, y, w, h = rect
    return QPointF(x + w / 2, y + h / 2)


@pytest.mark.parametrize("hidden", [(4, 2), (), (64,) * 10, (1,), (8,) * 6])
def test_layout_for_any_structure(view, hidden):
    snap = make_snapshot(hidden)
    view.update_snapshot(snap)
    rects = view.node_rects()
    assert rects.shape == (sum(snap.sizes), 4)
    assert np.all(rects[:, 2] > 0)
    assert_no_overlap(rects)
    assert_no_overlap(view.bias_rects())
    # one column per layer, left to right; everything inside the fitted view
    starts = np.cumsum([0, *snap.sizes])
    col_x = [rects[a:b, 0] for a, b in pairwise(starts)]
    assert all(np.all(c == c[0]) for c in col_x)
    assert all(a[0] < b[0] for a, b in pairwise(col_x))
    (x0, x1), (y0, y1) = view.vb.viewRange()
    assert rects[:, 0].min() >= x0 and (rects[:, 0] + rects[:, 2]).max() <= x1
    assert rects[:, 1].min() >= y0 and (rects[:, 1] + rects[:, 3]).max() <= y1
    # every synapse is in exactly one bin
    n_syn = sum(w.size for w in snap.weights)
    assert bin_counts(view).sum() == n_syn
    assert len(view.synapse_bins()) == 2 * N_WIDTH_BINS


def test_captions_and_labels(view):
    view.update_snapshot(make_snapshot((4, 1), features=("x1", "sin_x2")))
    texts = [item.toPlainText() for item in view._texts]
    for expected in ("Input", "4 neurons", "1 neuron", "Output", "X₁", "sin(X₂)", "2 HIDDEN LAYERS"):
        assert expected in texts


def test_changed_weights_change_synapse_bins(view):
    snap = make_snapshot()
    view.update_snapshot(snap)
    before = bin_data(view)
    weights = tuple(-3 * w for w in snap.weights)
    view.update_snapshot(with_(snap, weights=weights))
    after = bin_data(view)
    assert any(a.shape != b.shape or not np.array_equal(a, b) for a, b in zip(before, after, strict=True))
    counts = bin_counts(view)
    # signs flipped: the positive synapses are now in the negative bins
    assert counts[N_WIDTH_BINS:].sum() == sum(int((w < 0).sum()) for w in weights)


def test_changed_grid_changes_node_image(view):
    snap = make_snapshot()
    view.update_snapshot(snap)
    before = view.node_image()
    g = snap.grid
    flipped = GridResult(inputs=g.inputs, layers=[-m for m in g.layers], xs=g.xs)
    view.update_snapshot(with_(snap, grid=flipped))
    assert not np.array_equal(before, view.node_image())


def test_without_grid_or_thumbnails_nodes_are_grey(view):
    snap = make_snapshot()
    view.update_snapshot(snap)
    lay = view._layout
    grey = colors.PLAYGROUND_LUT[128]  # the scale's neutral middle

    def node_centre_colour(k):
        r, c = divmod(int(lay.node_dest[k, (lay.t // 2) * lay.t + lay.t // 2]), lay.atlas_shape[1])
        return view.node_image()[r, c]

    assert not all(np.array_equal(node_centre_colour(k), grey) for k in range(lay.n_nodes))
    view.set_thumbnails_visible(False)
    assert all(np.array_equal(node_centre_colour(k), grey) for k in range(lay.n_nodes))
    view.set_thumbnails_visible(True)
    view.update_snapshot(with_(snap, grid=None))
    assert all(np.array_equal(node_centre_colour(k), grey) for k in range(lay.n_nodes))


def test_structure_change_relayouts(view):
    view.update_snapshot(make_snapshot((4, 2)))
    assert len(view.node_rects()) == 9
    view.update_snapshot(make_snapshot((5, 3, 3), generation=2))
    assert len(view.node_rects()) == 2 + 5 + 3 + 3 + 1
    assert ("neuron", 2, 1) in view._glyphs
    assert bin_counts(view).sum() == 2 * 5 + 5 * 3 + 3 * 3 + 3
    # a new generation with the same sizes rebuilds too (and does not fail)
    view.update_snapshot(make_snapshot((5, 3, 3), generation=3))
    assert len(view.node_rects()) == 14


def test_hover_emits_node_and_leaves(view, qtbot):
    snap = make_snapshot()
    view.update_snapshot(snap)
    seen = []
    view.sigNodeHovered.connect(lambda layer, index: seen.append((layer, index)))
    rects = view.node_rects()
    view._hover_at(centre(rects[2 + 3]))  # hidden layer 1, neuron 4
    assert seen == [(1, 3)]
    assert "tanh" in view._tip_text and "z = Σ wᵢ·aᵢ + b" in view._tip_text
    view._hover_at(centre(rects[2 + 3]))  # no repeat while on the same node
    view._hover_at(centre(rects[0]))  # input X₁
    view._hover_at(centre(rects[-1]))  # the output: layer 3 of sizes (2, 4, 2, 1)
    assert seen[1:] == [(0, 0), (3, 0)]
    view._hover_at((rects[:, 0].min() - 200, rects[:, 1].min() - 200))
    assert seen[-1] == (-1, -1)
    assert view._tip_text == ""


def test_hover_synapse_shows_weight(view):
    snap = make_snapshot()
    view.update_snapshot(snap)
    x0, y0, x1, y1 = view.synapse_segment(1, 3, 1)
    hit = view._hover_at((x0 + 0.7 * (x1 - x0), y0 + 0.7 * (y1 - y0)))
    assert (hit.kind, hit.a, hit.b, hit.c) == ("synapse", 1, 3, 1)
    assert f"w = {format_number(snap.weights[1][3, 1])}" in view._tip_text
    assert "from h1,4 to h2,2" in view._tip_text


def test_click_synapse_edits_weight(view, monkeypatch):
    view.update_snapshot(make_snapshot())
    asked = []
    monkeypatch.setattr(view, "_ask_value", lambda title, current, _apply: asked.append((title, current)) or 0.75)
    edits = []
    view.sigWeightEdited.connect(lambda *args: edits.append(args))
    # the top-most source and target: no other synapse shares this midpoint
    for layer, i, j in ((0, 0, 0), (1, 0, 0), (2, 1, 0)):
        x0, y0, x1, y1 = view.synapse_segment(layer, i, j)
        assert view._click_at(QPointF((x0 + x1) / 2, (y0 + y1) / 2))
        assert edits[-1] == (1, layer, i, j, 0.75)  # generation 1
    assert asked[0][1] == pytest.approx(view._snap.weights[0][0, 0])
    # cancelled: nothing emitted
    monkeypatch.setattr(view, "_ask_value", lambda title, current, _apply: None)
    x0, y0, x1, y1 = view.synapse_segment(0, 0, 0)
    view._click_at(QPointF((x0 + x1) / 2, (y0 + y1) / 2))
    assert len(edits) == 3


def test_click_bias_edits_bias(view, monkeypatch):
    snap = make_snapshot()
    view.update_snapshot(snap)
    monkeypatch.setattr(view, "_ask_value", lambda title, current, _apply: -0.5)
    edits = []
    view.sigBiasEdited.connect(lambda *args: edits.append(args))
    biases = view.bias_rects()
    assert len(biases) == 4 + 2 + 1  # every non-input neuron, the output too
    assert view._click_at(centre(biases[-1]))
    assert edits == [(1, 2, 0, -0.5)]
    assert view._click_at(centre(biases[1]))  # hidden layer 1, neuron 2
    assert edits[-1] == (1, 0, 1, -0.5)
    view._hover_at(centre(biases[1]))
    assert "b = 0.1  (bias" in view._tip_text
    # clicking a node (away from its bias) edits nothing
    assert not view._click_at(centre(view.node_rects()[3]))


def click_item(qtbot, view, item):
    rect = item.sceneBoundingRect()
    pos = view.graphics.mapFromScene(rect.center())
    qtbot.mouseMove(view.graphics.viewport(), pos)
    qtbot.mouseClick(view.graphics.viewport(), Qt.MouseButton.LeftButton, pos=pos)


def test_structure_glyphs_emit(view, qtbot):
    view.update_snapshot(make_snapshot((4, 2)))
    neurons, layers = [], []
    view.sigNeuronCountChangeRequested.connect(lambda h, d: neurons.append((h, d)))
    view.sigLayerCountChangeRequested.connect(layers.append)
    click_item(qtbot, view, view._glyphs[("neuron", 1, 1)])
    click_item(qtbot, view, view._glyphs[("neuron", 0, -1)])
    click_item(qtbot, view, view._glyphs[("layer", 1)])
    click_item(qtbot, view, view._glyphs[("layer", -1)])
    assert neurons == [(1, 1), (0, -1)]
    assert layers == [1, -1]
    assert view._glyphs[("layer", 1)].toolTip()


def test_glyphs_disabled_at_limits(view, qtbot):
    view.update_snapshot(make_snapshot((1,)))
    neurons, layers = [], []
    view.sigNeuronCountChangeRequested.connect(lambda h, d: neurons.append((h, d)))
    view.sigLayerCountChangeRequested.connect(layers.append)
    click_item(qtbot, view, view._glyphs[("neuron", 0, -1)])  # one neuron left
    view.update_snapshot(make_snapshot((), generation=2))
    click_item(qtbot, view, view._glyphs[("layer", -1)])  # no hidden layer to remove
    assert neurons == [] and layers == []


def test_weight_scale_changes_binning(view):
    snap = make_snapshot()
    weights = tuple(np.full_like(w, 0.5) for w in snap.weights)
    view.update_snapshot(with_(snap, weights=weights))
    n_syn = sum(w.size for w in weights)
    assert bin_counts(view)[int(0.5 / 2.0 * N_WIDTH_BINS)] == n_syn  # default scale 2
    view.set_weight_scale(0.5)
    assert bin_counts(view)[N_WIDTH_BINS - 1] == n_syn  # |w| ≥ max_abs: thickest
    view.set_weight_scale(100.0)
    assert bin_counts(view)[0] == n_syn
    with pytest.raises(ValueError):
        view.set_weight_scale(0)


def test_resize_and_fit_keep_nodes_apart(view, qtbot):
    view.update_snapshot(make_snapshot((8,) * 6, features=("x1", "x2", "x1^2", "x2^2", "x1*x2", "sin_x1", "sin_x2")))
    view.resize(500, 350)
    qtbot.waitUntil(lambda: view._layout.view_size[0] < 600)
    assert_no_overlap(view.node_rects())
    view.vb.scaleBy((2.0, 2.0))  # zoom out: labels that no longer fit are hidden or shortened
    view.vb.sigRangeChangedManually.emit(None)
    view.fit()
    assert view._fitted


def test_activation_levels_are_fixed(view):
    """A sigmoid/softmax output of 0.5 and a tanh output of 0 are both the neutral grey."""
    for kwargs, neutral in (({"output": "sigmoid", "loss": "binary_crossentropy"}, 0.5), ({}, 0.0)):
        snap = make_snapshot((3,), generation=len(kwargs) + 1, **kwargs)
        g = snap.grid
        layers = [*g.layers[:-1], np.full_like(g.layers[-1], neutral)]
        view.update_snapshot(with_(snap, grid=GridResult(inputs=g.inputs, layers=layers, xs=g.xs)))
        lay = view._layout
        out = lay.node_dest[-1]
        flat = view.node_image().reshape(-1, 4)[out]
        grey = colors.PLAYGROUND_LUT[128]
        neutral_texels = np.all(np.abs(flat.astype(int) - grey.astype(int)) <= 2, axis=1)
        assert neutral_texels.mean() > 0.9  # all but the corner under the bias square


def test_mouse_move_hovers_and_leaving_clears(view, qtbot):
    view.update_snapshot(make_snapshot())
    seen = []
    view.sigNodeHovered.connect(lambda layer, index: seen.append((layer, index)))
    node = view.node_rects()[2 + 1]  # hidden layer 1, neuron 2
    pos = view.graphics.mapFromScene(view.vb.mapViewToScene(centre(node)))
    qtbot.mouseMove(view.graphics.viewport(), pos)
    qtbot.waitUntil(lambda: seen == [(1, 1)])
    qtbot.mouseMove(view.graphics.viewport(), view.graphics.mapFromScene(view.vb.mapViewToScene(QPointF(2, 2))))
    qtbot.waitUntil(lambda: seen[-1] == (-1, -1))


def test_dense_network_rebins_a_little_later(view, qtbot):
    """Above DENSE_SYNAPSES weights, bins update at most 4×/s, and the last weights are always drawn."""
    snap = make_snapshot((64,) * 10)
    view.update_snapshot(snap)
    before = bin_counts(view)
    flipped = with_(snap, weights=tuple(-w for w in snap.weights))
    view.update_snapshot(flipped)  # right after the layout: deferred
    qtbot.waitUntil(lambda: not np.array_equal(bin_counts(view), before), timeout=2000)
    n_neg = sum(int((w < 0).sum()) for w in flipped.weights)
    assert bin_counts(view)[N_WIDTH_BINS:].sum() == n_neg
