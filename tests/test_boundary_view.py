"""The output view: no NaN or infinity reaches a colour, a diverged run looks diverged, class colours are safe."""

from __future__ import annotations

import itertools
from dataclasses import replace
from types import SimpleNamespace

import numpy as np
import pytest

from visualizer.engine.experiment import Config, build
from visualizer.training.snapshot import Snapshot
from visualizer.ui import colors
from visualizer.ui.boundary_view import BoundaryView, class_blend, finite_signed, greyed


def make_snapshot(generation=1, **config) -> Snapshot:
    exp = build(Config(**config), grid_resolution=40)
    return Snapshot.of(exp, generation=generation)


def with_output(snap: Snapshot, output: np.ndarray, **changes) -> Snapshot:
    grid = replace(snap.grid, layers=[*snap.grid.layers[:-1], output])
    return replace(snap, grid=grid, serial=snap.serial + 1, **changes)


def blown_up(output: np.ndarray) -> np.ndarray:
    """What a diverged network gives over the grid: ±inf and NaN."""
    bad = np.full(output.shape, np.inf)
    bad[..., ::2, :] = -np.inf
    bad[..., ::3] = np.nan
    return bad


@pytest.fixture
def view(qtbot):
    v = BoundaryView()
    qtbot.addWidget(v)
    v.resize(400, 400)
    v.show()
    qtbot.waitExposed(v)
    return v


def overlay_text(v: BoundaryView) -> str:
    return " ".join(v.overlay.textItem.toPlainText().split())


def test_diverged_map_is_the_last_finite_one_greyed_with_a_message(view):
    snap = make_snapshot()
    view.update_snapshot(snap)
    before = view.image_data()
    assert before.ndim == 2 and not view.overlay.isVisible()
    diverged = with_output(snap, blown_up(snap.grid.output), diverged=True)
    view.update_snapshot(diverged)
    image = view.image_data()
    assert image.shape == (*before.shape, 3) and image.dtype == np.uint8
    assert np.array_equal(image, greyed(colors.colorize_diverging(before, lut=colors.BACKGROUND_LUT)))
    assert (image[..., 0] == image[..., 1]).all() and (image[..., 1] == image[..., 2]).all()  # grey, not data
    assert image.min() >= 150  # never black
    assert view.overlay.isVisible()
    assert overlay_text(view) == "Diverged — lower the learning rate and press Reset (R)"
    # the rendered widget: the old code painted the whole map black (±inf)
    picture = view.grab().toImage()
    w, h = picture.width(), picture.height()
    dark = sum(1 for x in range(0, w, 4) for y in range(0, h, 4)
               if max(picture.pixelColor(x, y).getRgb()[:3]) < 60)
    assert dark / ((w // 4 + 1) * (h // 4 + 1)) < 0.03
    # Reset recovers: a finite, non-diverged snapshot is drawn as data again
    view.update_snapshot(replace(snap, serial=snap.serial + 2))
    assert not view.overlay.isVisible()
    np.testing.assert_array_equal(view.image_data(), before)


def test_diverged_without_a_finite_map_yet_is_grey_not_black(view):
    snap = make_snapshot()
    view.update_snapshot(with_output(snap, blown_up(snap.grid.output), diverged=True))
    image = view.image_data()
    assert image.dtype == np.uint8 and image.min() >= 150
    assert view.overlay.isVisible()


def test_diverged_with_finite_weights_greys_the_current_map(view):
    snap = make_snapshot()
    view.update_snapshot(replace(snap, diverged=True))
    values = finite_signed(snap.grid.output[0])
    assert np.array_equal(view.image_data(), greyed(colors.colorize_diverging(values, lut=colors.BACKGROUND_LUT)))


def test_nonfinite_values_never_reach_the_colour_scale(view):
    """NaN pixels were painted orange, ±inf saturated; now NaN is neutral and ±inf the scale's ends."""
    snap = make_snapshot()
    out = snap.grid.output.copy()
    out[0, :5] = np.nan
    out[0, 5:10] = np.inf
    out[0, 10:15] = -np.inf
    out[0, 15:20] = 1e30
    view.update_snapshot(with_output(snap, out))
    image = view.image_data()
    assert np.isfinite(image).all() and image.min() >= -1 and image.max() <= 1
    assert (image[:5] == 0).all() and (image[5:10] == 1).all() and (image[10:15] == -1).all()
    assert (image[15:20] == 1).all()
    # a hovered neuron's map and an input's map with non-finite values
    layers = [np.full_like(layer, np.nan) for layer in snap.grid.layers]
    inputs = snap.grid.inputs.copy()
    inputs[0, 0, 0] = np.inf
    view.update_snapshot(replace(snap, grid=replace(snap.grid, layers=layers, inputs=inputs)))
    for layer, index in ((1, 0), (0, 0), (len(snap.sizes) - 1, 0)):
        view.show_neuron(layer, index)
        image = view.image_data()
        assert np.isfinite(image).all() and np.abs(image).max() <= 1
    view.show_neuron(-1, -1)


def test_class_blend_with_nonfinite_probabilities():
    probs = np.full((3, 4, 4), np.nan)
    probs[:, 0, 0] = [np.inf, 0.0, 0.0]
    rgb = class_blend(probs, discretize=False)
    assert rgb.dtype == np.uint8
    uniform = class_blend(np.full((3, 1, 1), 1 / 3), discretize=False)
    assert np.array_equal(rgb[1, 1], uniform[0, 0])  # NaN: no class is favoured
    assert np.array_equal(class_blend(probs, discretize=True)[0, 0], colors.class_rgb(3)[0].astype(np.uint8))


def test_three_classes_diverged_is_greyed(view):
    snap = make_snapshot(dataset="blobs", n_classes=4)
    assert snap.grid.output.shape[0] == 4
    view.update_snapshot(snap)
    view.update_snapshot(with_output(snap, blown_up(snap.grid.output), diverged=True))
    image = view.image_data()
    assert image.dtype == np.uint8 and (image[..., 0] == image[..., 2]).all()


def fake_dataset(X, y, task="classification"):
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    return SimpleNamespace(n_features=2, domain=(-6.0, 6.0), task=task, X_train=X, y_train=y,
                           X_test=X[:0], y_test=y[:0])


def test_points_with_nonfinite_coordinates_or_labels_are_left_out(view):
    snap = make_snapshot()
    X = [[0.0, 0.0], [np.nan, 1.0], [1.0, np.inf], [2.0, 2.0], [3.0, 3.0]]
    view.update_snapshot(replace(snap, dataset=fake_dataset(X, [0, 1, 1, 1, 0])))
    x, y = view.train_points.getData()
    assert list(x) == [0.0, 2.0, 3.0] and list(y) == [0.0, 2.0, 3.0]
    # regression targets that are NaN or huge: drawn with the scale's neutral or end colour, no IndexError
    view.update_snapshot(replace(snap, dataset=fake_dataset(X, [np.nan, 0.0, 0.0, 1e300, -np.inf], "regression")))
    x, _y = view.train_points.getData()
    assert list(x) == [0.0, 2.0, 3.0]
    brushes = [b.color().getRgb()[:3] for b in view.train_points.data["brush"]]
    assert brushes[0] == tuple(int(c) for c in colors.PLAYGROUND_LUT[128][:3])


# ---------------------------------------------------------------------------------------------- class palette
_CVD = {  # Machado, Oliveira & Fernandes (2009), severity 1, on linear RGB
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                     [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]],
    "typical": np.eye(3),
}


def _lab(rgb255: np.ndarray, matrix) -> np.ndarray:
    c = rgb255 / 255.0
    linear = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    linear = np.clip(linear @ np.asarray(matrix).T, 0, 1)
    xyz = linear @ np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]).T
    xyz = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


@pytest.mark.parametrize("vision", sorted(_CVD))
def test_class_palette_stays_distinct_under_colour_blindness(vision):
    """Any two of the first 8 class colours stay ≥ 15 CIELAB units apart under simulated colour blindness."""
    labs = [_lab(np.array(colors.hex_to_rgb(colors.class_color(k)), dtype=float), _CVD[vision]) for k in range(8)]
    worst = min((np.linalg.norm(labs[i] - labs[j]), i, j) for i, j in itertools.combinations(range(8), 2))
    assert worst[0] >= 15, f"classes {worst[1]} and {worst[2]} look alike under {vision} (ΔE {worst[0]:.1f})"


def test_class_colours_are_one_palette():
    assert colors.class_color(0) == colors.ORANGE and colors.class_color(1) == colors.BLUE  # two-class case
    assert len(set(colors.CLASS_COLORS)) == len(colors.CLASS_COLORS)
    for k in range(12):
        assert tuple(colors.class_rgb(12)[k]) == colors.hex_to_rgb(colors.class_color(k))
    assert colors.class_color(len(colors.CLASS_COLORS)) == colors.class_color(0)


def test_hovered_neuron_gone_after_a_rebuild(view):
    """Hovering neuron 4 of hidden layer 1, the network is rebuilt with 2 neurons there: no IndexError."""
    view.update_snapshot(make_snapshot(hidden=(4, 2)))
    view.show_neuron(1, 3)
    assert view.caption.isVisible()
    view.update_snapshot(make_snapshot(hidden=(2,), generation=2))
    assert not view.caption.isVisible()
    assert view.image_data().ndim == 2


def test_a_new_run_does_not_fall_back_on_the_old_runs_map(view):
    snap = make_snapshot()
    trained = replace(snap, epoch=50)
    view.update_snapshot(trained)
    old = view.image_data()
    rebuilt = make_snapshot(generation=2, seed=7)
    view.update_snapshot(with_output(rebuilt, blown_up(rebuilt.grid.output), diverged=True))
    assert not np.array_equal(view.image_data(), greyed(colors.colorize_diverging(old, lut=colors.BACKGROUND_LUT)))
    assert view.overlay.isVisible()


def test_window_diverged_run_then_reset(qtbot):
    """A learning rate of 10 on ReLU regression diverges at once: both views say so; R recovers."""
    from PyQt6.QtCore import Qt

    from visualizer.ui.main_window import MainWindow

    win = MainWindow(Config(dataset="reg_plane", activation="relu", hidden=(8, 8), learning_rate=10.0),
                     use_settings=False)
    qtbot.addWidget(win)
    win.resize(1280, 720)
    win.show()
    qtbot.waitExposed(win)
    try:
        win.controller.play()
        qtbot.waitUntil(lambda: win.controller.latest is not None and win.controller.latest.diverged
                        and win._drawn_serial >= win.controller.latest.serial, timeout=20_000)
        bv = win.boundary_view
        assert bv.overlay.isVisible()
        image = bv.image_data()
        assert image.dtype == np.uint8 and (image[..., 0] == image[..., 2]).all() and image.min() >= 150
        assert win.loss_view.diverged_line.isVisible() and "Diverged" in win.loss_view.summary_text()
        win.activateWindow()
        qtbot.keyClick(win, Qt.Key.Key_R)
        qtbot.waitUntil(lambda: not win.controller.latest.diverged and win.controller.latest.epoch == 0
                        and win._drawn_serial >= win.controller.latest.serial, timeout=20_000)
        assert not bv.overlay.isVisible()
        assert bv.image_data().ndim == 2  # drawn as data again
        assert not win.loss_view.diverged_line.isVisible()
    finally:
        win.shutdown()
