"""NetworkView under issue 7: any weight value draws sanely, the diverged and dead-link states, class colours, input
features chosen by clicking, the legend, and the value editor driven by real key events."""

from __future__ import annotations

import numpy as np
import pytest
from PyQt6.QtCore import QPoint, QPointF, QRect, Qt
from PyQt6.QtWidgets import QApplication

from visualizer.engine.experiment import Config, build
from visualizer.engine.features import FEATURES
from visualizer.engine.grid import GridResult
from visualizer.training.snapshot import Snapshot
from visualizer.ui import colors
from visualizer.ui.main_window import MainWindow
from visualizer.ui.network_render import DEAD_BIN, bias_indices, weight_codes
from visualizer.ui.network_view import N_WIDTH_BINS, NetworkView


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


def bin_counts(v: NetworkView) -> np.ndarray:
    return np.array([0 if item.getData()[0] is None else len(item.getData()[0]) // 2 for item in v.synapse_bins()])


def to_viewport(view: NetworkView, x: float, y: float) -> QPoint:
    return view.graphics.mapFromScene(view.vb.mapViewToScene(QPointF(x, y)))


def click_view_point(qtbot, view: NetworkView, x: float, y: float) -> None:
    pos = to_viewport(view, x, y)
    qtbot.mouseMove(view.graphics.viewport(), pos)
    qtbot.mouseClick(view.graphics.viewport(), Qt.MouseButton.LeftButton, pos=pos)


# ---------------------------------------------------------------------- extreme values
def test_huge_weights_get_the_thickest_bin_and_nan_the_thinnest():
    w = np.array([1e30, 1e300, -1e300, np.nan, np.inf, -np.inf, 0.1, -0.1])
    codes = weight_codes(w, 2.0)
    top = N_WIDTH_BINS - 1
    # an int cast of |w|·3 overflows above ~3e18: the largest weights came out thinnest before
    assert codes.tolist() == [top, top, N_WIDTH_BINS + top, 0, top, N_WIDTH_BINS + top, 0, N_WIDTH_BINS]


def test_huge_biases_keep_their_colour():
    b = np.array([1e30, 1e300, -1e300, np.nan, 1e39, 0.0])
    assert bias_indices(b, 2.0).tolist() == [255, 255, 0, 128, 255, 128]


def test_view_draws_extreme_weights_and_biases(view):
    snap = make_snapshot()
    weights = tuple(np.full_like(w, v) for w, v in zip(snap.weights, (1e30, 1e300, -1e300), strict=True))
    biases = tuple(np.full_like(b, v) for b, v in zip(snap.biases, (1e30, np.nan, -1e300), strict=True))
    view.update_snapshot(with_(snap, weights=weights, biases=biases))
    counts = bin_counts(view)
    n0, n1, n2 = (w.size for w in weights)
    assert counts[N_WIDTH_BINS - 1] == n0 + n1  # 1e30 and 1e300: thickest positive
    assert counts[2 * N_WIDTH_BINS - 1] == n2  # −1e300: thickest negative
    nan_weights = tuple(np.full_like(w, np.nan) for w in snap.weights)
    view.update_snapshot(with_(snap, weights=nan_weights, biases=biases))
    assert bin_counts(view)[0] == sum(w.size for w in nan_weights)  # NaN: thinnest, never an overflow's accident
    atlas = view.node_image().reshape(-1, 4)
    lay = view._layout
    centre = (lay.bt // 2) * lay.bt + lay.bt // 2
    bias_colours = atlas[lay.bias_dest[:, centre]]
    lut = colors.PLAYGROUND_LUT
    n_h1, n_h2 = snap.sizes[1], snap.sizes[2]
    assert np.all(bias_colours[:n_h1] == lut[255])
    assert np.all(bias_colours[n_h1 : n_h1 + n_h2] == lut[128])  # NaN: neutral grey
    assert np.all(bias_colours[n_h1 + n_h2 :] == lut[0])


def test_nan_and_infinite_maps_draw_grey_or_saturated(view):
    snap = make_snapshot((3,))
    g = snap.grid
    out = np.full_like(g.layers[-1], np.nan)
    out[..., : out.shape[-1] // 2] = np.inf
    view.update_snapshot(with_(snap, grid=GridResult(inputs=g.inputs, layers=[g.layers[0], out], xs=g.xs)))
    lay = view._layout
    t = lay.t
    right_half = lay.node_dest[-1].reshape(t, t)[:, t // 2 :].ravel()  # clear of the bias square
    colours = {tuple(c) for c in view.node_image().reshape(-1, 4)[right_half].tolist()}
    assert colours <= {tuple(colors.PLAYGROUND_LUT[128]), tuple(colors.PLAYGROUND_LUT[255])}


# ---------------------------------------------------------------------- diverged, dead links
def test_diverged_state_shows_a_banner_and_dims_until_a_normal_snapshot(view):
    snap = make_snapshot()
    view.update_snapshot(snap)
    assert not view.banner.isVisibleTo(view) and not view.is_diverged()
    view.update_snapshot(with_(snap, diverged=True))
    assert view.is_diverged() and view.banner.isVisibleTo(view)
    assert "Diverged" in view.banner.text() and "Lower the learning rate" in view.banner.text()
    assert "Reset" in view.banner.text()
    assert view._raster.opacity() < 0.5
    # the banner is inside the view, beside the legend, over no node
    r = view.banner.geometry()
    vp = view.graphics.viewport().rect()
    assert vp.contains(r) and not r.intersects(view.legend.geometry())
    for x, y, w, h in view.node_rects():
        assert not r.intersects(QRect(to_viewport(view, x, y), to_viewport(view, x + w, y + h)))
    view.update_snapshot(with_(snap, diverged=False))
    assert not view.is_diverged() and not view.banner.isVisibleTo(view)
    assert view._raster.opacity() == 1.0


def test_dead_links_are_drawn_apart_and_say_so(view):
    snap = make_snapshot()
    dead = tuple(np.zeros(w.shape, bool) for w in snap.weights)
    dead[0][1, 2] = True
    dead[1][0, 1] = True
    weights = tuple(w.copy() for w in snap.weights)
    weights[0][1, 2] = weights[1][0, 1] = 0.0
    view.update_snapshot(with_(snap, weights=weights, dead=dead))
    x, _y = view.dead_bin().getData()
    assert len(x) // 2 == 2
    assert bin_counts(view).sum() == sum(w.size for w in weights) - 2
    pen = view.dead_bin().opts["pen"]
    assert pen.style() == Qt.PenStyle.DashLine and pen.widthF() <= 1.0
    x0, y0, x1, y1 = view.synapse_segment(0, 1, 2)
    hit = view._hover_at((x0 + 0.8 * (x1 - x0), y0 + 0.8 * (y1 - y0)))
    assert (hit.kind, hit.a, hit.b, hit.c) == ("synapse", 0, 1, 2)
    assert "dead (L1 carried it to 0)" in view._tip_text
    # a live link's tooltip does not say so; without dead links the bin empties
    view.update_snapshot(with_(snap, dead=None))
    x, _y = view.dead_bin().getData()
    assert x is None or len(x) == 0
    assert DEAD_BIN == 2 * N_WIDTH_BINS


# ---------------------------------------------------------------------- class colours
def test_output_neurons_of_several_classes_use_their_class_colours(view):
    snap = make_snapshot((3,), dataset="blobs", n_classes=4)
    assert snap.output == "softmax" and snap.sizes[-1] == 4
    g = snap.grid
    ones = np.ones_like(g.layers[-1])  # every class at probability 1: each map in full class colour
    view.update_snapshot(with_(snap, grid=GridResult(inputs=g.inputs, layers=[g.layers[0], ones], xs=g.xs)))
    lay = view._layout
    atlas = view.node_image().reshape(-1, 4)
    t = lay.t
    for k in range(4):
        texel = atlas[lay.node_dest[lay.starts[-2] + k, (t // 2) * t + t - 2]]  # right half: no bias square
        assert tuple(texel[:3]) == colors.hex_to_rgb(colors.CLASS_COLORS[k]), k
    # probability 0 is the neutral grey, not orange
    zeros = np.zeros_like(g.layers[-1])
    view.update_snapshot(with_(snap, grid=GridResult(inputs=g.inputs, layers=[g.layers[0], zeros], xs=g.xs)))
    texel = view.node_image().reshape(-1, 4)[lay.node_dest[lay.starts[-2], (t // 2) * t + t - 2]]
    assert tuple(texel[:3]) == colors.hex_to_rgb(colors.GREY)


# ---------------------------------------------------------------------- features by clicking
def test_all_candidate_features_are_drawn_and_clicks_toggle_them(view, qtbot):
    snap = make_snapshot(features=("x1", "x2"))
    view.update_snapshot(snap)
    assert view.input_candidates() == tuple(FEATURES)
    assert len(view.node_rects()) == sum(snap.sizes)  # the network's own nodes: the engine's shape
    rows = [view.input_rect(name) for name in FEATURES]
    assert len({(x, y) for x, y, _w, _h in rows}) == len(FEATURES)
    texts = [item.toPlainText() for item in view._texts]
    assert "sin(X₂)" in texts and "X₁X₂" in texts
    toggled = []
    view.sigFeatureToggled.connect(toggled.append)
    x, y, w, h = view.input_rect("x1*x2")  # not an input: greyed, no synapse
    click_view_point(qtbot, view, x + w / 2, y + h / 2)
    x, y, w, h = view.input_rect("x2")  # an input: clicking removes it
    click_view_point(qtbot, view, x + w / 2, y + h / 2)
    assert toggled == ["x1*x2", "x2"]
    # hovering a greyed feature says what a click does
    x, y, w, h = view.input_rect("sin_x1")
    view._hover_at((x + w / 2, y + h / 2))
    assert "click to add" in view._tip_text


def test_inputs_of_non_plane_data_are_not_toggled(view):
    snap = make_snapshot(features=("x1", "x2"))
    view.update_snapshot(with_(snap, feature_names=("age", "height"), generation=2))
    assert view.input_candidates() == ("age", "height")
    toggled = []
    view.sigFeatureToggled.connect(toggled.append)
    x, y, w, h = view.node_rects()[0]
    assert not view._click_at(QPointF(x + w / 2, y + h / 2))
    assert toggled == []


@pytest.fixture
def window(qtbot):
    win = MainWindow(Config(), use_settings=False)
    qtbot.addWidget(win)
    win.resize(1400, 860)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.shutdown()


def wait_features(qtbot, win, features):
    qtbot.waitUntil(lambda: win.controller.latest is not None
                    and tuple(win.controller.latest.feature_names) == features
                    and win._drawn_serial >= win.controller.latest.serial, timeout=10_000)


def test_clicking_input_nodes_changes_the_features_in_the_window(qtbot, window):
    view = window.network_view
    wait_features(qtbot, window, ("x1", "x2"))
    x, y, w, h = view.input_rect("sin_x1")
    click_view_point(qtbot, view, x + w / 2, y + h / 2)
    wait_features(qtbot, window, ("x1", "x2", "sin_x1"))
    assert window.data_panel.features["sin_x1"].isChecked()
    for name in ("x2", "sin_x1"):
        x, y, w, h = view.input_rect(name)
        click_view_point(qtbot, view, x + w / 2, y + h / 2)
    wait_features(qtbot, window, ("x1",))
    # the last input is refused, with a message
    x, y, w, h = view.input_rect("x1")
    click_view_point(qtbot, view, x + w / 2, y + h / 2)
    assert "at least one input" in window.statusBar().currentMessage()
    assert window.config.features == ("x1",)


# ---------------------------------------------------------------------- legend
def test_legend_shows_the_scale_in_the_bottom_left_corner_clear_of_the_network(view):
    view.update_snapshot(make_snapshot((8,) * 6, features=tuple(FEATURES)))
    legend = view.legend
    assert legend.isVisibleTo(view)
    texts = " ".join(legend.texts())
    assert "−2" in texts and "+2" in texts and "|w|" in texts and "bias" in texts and "dead" in texts
    view.set_weight_scale(0.5)
    texts = " ".join(legend.texts())
    assert "−0.5" in texts and "+0.5" in texts and "−2" not in texts
    vp = view.graphics.viewport().rect()
    r = legend.geometry()
    assert vp.contains(r) and r.left() < 20 and r.bottom() > vp.height() - 20
    # no node is under it
    for x, y, w, h in [*view.node_rects(), *(view.input_rect(n) for n in FEATURES)]:
        a, b = to_viewport(view, x, y), to_viewport(view, x + w, y + h)
        assert not r.intersects(QRect(a, b)), (x, y)


# ---------------------------------------------------------------------- value editor
def open_weight_editor(qtbot, view, layer=0, i=0, j=0):
    x0, y0, x1, y1 = view.synapse_segment(layer, i, j)
    click_view_point(qtbot, view, x0 + 0.8 * (x1 - x0), y0 + 0.8 * (y1 - y0))
    qtbot.waitUntil(lambda: view.editor() is not None and view.editor().edit.hasFocus())
    return view.editor()


def type_into(qtbot, editor, text):
    editor.edit.selectAll()
    qtbot.keyClick(editor.edit, Qt.Key.Key_Backspace)
    qtbot.keyClicks(editor.edit, text)
    qtbot.keyClick(editor.edit, Qt.Key.Key_Return)


@pytest.mark.parametrize(("typed", "value"), [("1e3", 1000.0), ("0,5", 0.5), ("-2.5E-1", -0.25), (" 3 ", 3.0)])
def test_editor_reads_what_a_person_types(view, qtbot, typed, value):
    snap = make_snapshot()
    view.update_snapshot(snap)
    edits = []
    view.sigWeightEdited.connect(lambda *args: edits.append(args))
    editor = open_weight_editor(qtbot, view, 0, 1, 2)
    type_into(qtbot, editor, typed)
    assert edits == [(snap.generation, 0, 1, 2, value)]
    qtbot.waitUntil(lambda: view.editor() is None)


@pytest.mark.parametrize("typed", ["abc", "1e4", "-5000", "nan", "inf", ""])
def test_editor_refuses_visibly_and_keeps_the_old_value(view, qtbot, typed):
    view.update_snapshot(make_snapshot())
    edits = []
    view.sigWeightEdited.connect(lambda *args: edits.append(args))
    editor = open_weight_editor(qtbot, view)
    type_into(qtbot, editor, typed)
    assert edits == []
    assert view.editor() is editor and editor.is_rejected()
    assert editor.message.text() and "2px solid" in editor.edit.styleSheet()
    # typing again clears the mark; a good value then goes through
    type_into(qtbot, editor, "0.25")
    assert [e[-1] for e in edits] == [0.25]


def test_editor_escape_cancels_and_unchanged_text_keeps_the_exact_value(view, qtbot):
    view.update_snapshot(make_snapshot())
    edits = []
    view.sigBiasEdited.connect(lambda *args: edits.append(args))
    x, y, w, h = view.bias_rects()[0]
    click_view_point(qtbot, view, x + w / 2, y + h / 2)
    qtbot.waitUntil(lambda: view.editor() is not None)
    editor = view.editor()
    qtbot.keyClick(editor.edit, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: view.editor() is None)
    assert view.hasFocus()  # keys go back to the window's shortcuts
    click_view_point(qtbot, view, x + w / 2, y + h / 2)
    qtbot.waitUntil(lambda: view.editor() is not None)
    qtbot.keyClick(view.editor().edit, Qt.Key.Key_Return)  # unchanged: nothing rounded is written back
    assert edits == []


def test_editor_is_not_modal_ctrl_q_and_close_work(qtbot, window):
    view = window.network_view
    qtbot.waitUntil(lambda: window._drawn_serial > 0, timeout=10_000)
    editor = open_weight_editor(qtbot, view)
    assert QApplication.activePopupWidget() is None and QApplication.activeModalWidget() is None
    quits = []
    window.act_quit.triggered.connect(lambda: quits.append(True))
    qtbot.keyClick(editor.edit, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: quits == [True], timeout=2000)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=2000)
    assert view.editor() is None or not view.editor().isVisible()


def test_tooltips_show_any_value_in_a_bounded_label(view):
    snap = make_snapshot()
    weights = tuple(np.full_like(w, -1.234567e256) for w in snap.weights)
    biases = tuple(np.full_like(b, 1e300) for b in snap.biases)
    view.update_snapshot(with_(snap, weights=weights, biases=biases))
    x0, y0, x1, y1 = view.synapse_segment(1, 0, 0)
    view._hover_at((x0 + 0.8 * (x1 - x0), y0 + 0.8 * (y1 - y0)))
    assert "w = -1.23e+256  (from" in view._tip_text  # was printed with .4f: 257 digits
    view._hover_at(tuple(v + 2 for v in view.bias_rects()[0][:2]))
    assert "b = 1.00e+300  (bias" in view._tip_text
    x, y, w, _h = view.node_rects()[-1]
    view._hover_at((x + w - 2, y + 2))
    assert view._tip_text.endswith("b = 1.00e+300")
    assert max(len(line) for line in view._tip_text.splitlines()) < 80
