"""Image inputs in the network view: the 64 pixels of a digit are one 8×8 block, and each first-layer neuron shows
its incoming weights as an 8×8 image that changes as it learns."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from visualizer.engine.experiment import Config, build
from visualizer.training.snapshot import Snapshot
from visualizer.ui.network_render import _LUT32
from visualizer.ui.network_view import NetworkView


@pytest.fixture
def view(qtbot):
    v = NetworkView()
    qtbot.addWidget(v)
    v.resize(900, 600)
    v.show()
    qtbot.waitExposed(v)
    return v


def digits_snapshot(hidden=(32,)) -> Snapshot:
    return Snapshot.of(build(Config(dataset="digits", hidden=hidden)))


def cell(view, node: int) -> np.ndarray:
    """The atlas texels of one node, (t, t) uint32, without the corner its bias square covers."""
    lay = view._layout
    texels = view._atlas32[lay.node_dest[node]].reshape(lay.t, lay.t).copy()
    half = lay.bt // 2
    texels[lay.t - half :, :half] = 0
    return texels


def weight_image_texels(view, snap, j) -> np.ndarray:
    """What hidden neuron j must show: its 64 incoming weights as 8×8, nearest-sampled to t×t, on the layer's
    contrast."""
    t = view._layout.t
    w = np.asarray(snap.weights[0], dtype=np.float32)
    scale = min(float(np.abs(w).max()), view._weight_scale)
    img = w[:, j].reshape(8, 8)
    cells = np.arange(t) * 8 // t
    sampled = img[cells[:, None], cells[None, :]]
    texels = _LUT32[np.clip(sampled * (127.5 / scale) + 128.0, 0, 255).astype(np.intp)]
    half = view._layout.bt // 2
    texels[t - half :, :half] = 0
    return texels


def test_digit_inputs_are_one_block_and_neurons_show_weight_images(view):
    snap = digits_snapshot()
    view.update_snapshot(snap)
    lay = view._layout
    assert lay.image_side == 8
    assert view.drawn_sizes() == tuple(snap.sizes)  # the block counts as one layer of 64 inputs
    # the 64 input cells touch: an 8 × 8 block, row-major like the image
    x, y = lay.node_x[:64].reshape(8, 8), lay.node_y[:64].reshape(8, 8)
    assert np.allclose(np.diff(x, axis=1), lay.s) and np.allclose(np.diff(y, axis=0), lay.s)
    # the hidden column gets the height of 32 nodes, not 64: bigger nodes than a 64-row column would allow
    assert lay.s >= 0.75 * (600 - 100) / 64
    # one label for the block, not 64
    assert len(view._input_labels) == 1 and view._input_labels[0].toPlainText() == "8×8"
    for j in (0, 5, 31):
        assert np.array_equal(cell(view, 64 + j), weight_image_texels(view, snap, j))
    # learning: new weights, new images
    w0 = np.array(snap.weights[0])
    w0[:, 5] = np.linspace(-1, 1, 64)
    learned = replace(snap, weights=(w0, *snap.weights[1:]), serial=snap.serial + 1)
    view.update_snapshot(learned)
    assert np.array_equal(cell(view, 64 + 5), weight_image_texels(view, learned, 5))
    assert not np.array_equal(cell(view, 64 + 5), weight_image_texels(view, snap, 5))
    # the output labels are the digits' class names
    assert [it.toPlainText() for it in view._output_labels] == list(snap.dataset.class_names)


def test_a_plane_keeps_its_column(view):
    view.update_snapshot(Snapshot.of(build(Config(), grid_resolution=20)))
    assert view._layout.image_side is None
