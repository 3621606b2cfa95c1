"""Per-frame drawing of the network diagram: thumbnails and bias squares into the atlas image, synapse weights
into width bins, pens that follow the zoom, labels that hide when they would overlap.

:class:`RenderMixin` is one part of :class:`~visualizer.ui.network_view.NetworkView`; it works on the view's state.
"""

from __future__ import annotations

import time

import numpy as np
import pyqtgraph as pg
from PyQt6.QtCore import Qt

from ..engine.features import FEATURES
from ..training.snapshot import Snapshot
from . import colors
from .network_items import DEAD_COLOR, HOVER_COLOR, _rgba
from .network_layout import BIN_ALPHAS, BIN_WIDTHS, DENSE_REBIN_INTERVAL_S, N_WIDTH_BINS, SYNAPSE_REBIN_INTERVAL_S

# fixed-level mapping of each activation to lookup-table positions: index = clip(a·gain + offset, 0, 255)
_LUT_GAIN_OFFSET = {
    "tanh": (127.5, 128.0),
    "linear": (127.5, 128.0),
    "relu": (127.5, 128.0),
    "leaky_relu": (127.5, 128.0),
    "sigmoid": (255.0, 0.5),
    "softmax": (255.0, 0.5),
}

_LUT32 = np.ascontiguousarray(colors.PLAYGROUND_LUT).view(np.uint32).ravel()
_GREY32 = _LUT32[128]
DEAD_BIN = 2 * N_WIDTH_BINS
"""Code of the dead links (L1) in the binning: their own bin, drawn dashed grey."""
GHOST_FADE = 0.7
"""Unused input features are drawn as their map mixed this much with white."""


def weight_image_side(n_inputs: int) -> int | None:
    """The side of the square image ``n_inputs`` pixels make (64 → 8), for inputs that are an image (at least
    16 pixels), else None."""
    side = round(n_inputs**0.5)
    return side if n_inputs >= 16 and side * side == n_inputs else None


def class_luts32(n_classes: int) -> np.ndarray:
    """``(n_classes, 256)`` RGBA-as-uint32 tables from neutral grey (probability 0) to each class colour (1)."""
    grey = np.array(colors.hex_to_rgb(colors.GREY), dtype=np.float64)
    t = np.linspace(0.0, 1.0, 256)[None, :, None]
    rgb = grey + (colors.class_rgb(n_classes)[:, None, :] - grey) * t
    lut = np.empty((n_classes, 256, 4), np.uint8)
    lut[..., :3] = np.clip(np.round(rgb), 0, 255).astype(np.uint8)
    lut[..., 3] = 255
    return np.ascontiguousarray(lut).view(np.uint32)[..., 0]


def weight_codes(w: np.ndarray, scale: float) -> np.ndarray:
    """Bin code per weight: ``0 … N_WIDTH_BINS − 1`` by ``|w| / scale`` for ``w ≥ 0``, the same plus
    ``N_WIDTH_BINS`` for ``w < 0``. The magnitude is clipped *in float* before any integer cast, so huge weights
    (1e300, ±inf) get the thickest bin; NaN gets the thinnest."""
    with np.errstate(over="ignore", invalid="ignore"):
        mag = np.abs(w) * (N_WIDTH_BINS / scale)
        np.minimum(mag, N_WIDTH_BINS - 1, out=mag)
    mag[~(mag >= 0.0)] = 0.0  # NaN
    codes = mag.astype(np.intp)
    codes += N_WIDTH_BINS * (w < 0)
    return codes


def bias_indices(biases: np.ndarray, scale: float) -> np.ndarray:
    """Lookup-table index per bias (128 = 0, clipped at ±scale); computed in float64 so 1e30 or 1e300 never
    becomes float32 infinity, NaN gives the neutral middle."""
    with np.errstate(over="ignore", invalid="ignore"):
        b = np.asarray(biases, dtype=np.float64) * (127.5 / scale) + 128.0
        np.clip(b, 0.0, 255.0, out=b)
    b[np.isnan(b)] = 128.0
    return b.astype(np.uint8)



class RenderMixin:
    """Drawing of the data of a snapshot (part of :class:`NetworkView`)."""

    def _apply_bin_pens(self, width_scale: float, antialias: bool, alpha: float = 1.0) -> None:
        for item in self._bins:
            b = item._bin
            color = _rgba(item._sign_color, BIN_ALPHAS[b] * alpha)
            pen = pg.mkPen(color, width=max(0.5, BIN_WIDTHS[b] * width_scale))
            pen.setCapStyle(Qt.PenCapStyle.FlatCap)
            item.setPen(pen)
            item.opts["antialias"] = antialias
        dead = pg.mkPen(_rgba(DEAD_COLOR, 0.8), width=1.0, style=Qt.PenStyle.DashLine)
        dead.setCapStyle(Qt.PenCapStyle.FlatCap)
        self._dead_bin.setPen(dead)
        self._syn_highlight.setPen(pg.mkPen(_rgba(HOVER_COLOR, 0.55), width=max(2.0, 6.0 * width_scale)))

    # ------------------------------------------------------------------ per-frame drawing
    def _render(self, force: bool) -> None:
        self._render_nodes()
        self._render_synapses(force)

    def _sample_index(self, R: int, t: int) -> np.ndarray:
        """Flat indices of ``t × t`` samples of an ``R × R`` map, top row = largest x2 (y axis points up)."""
        key = (R, t)
        idx = self._sample_idx.get(key)
        if idx is None:
            centres = ((np.arange(t) + 0.5) * R / t).astype(np.intp)
            rows = (R - 1 - centres)[:, None]
            idx = self._sample_idx[key] = (rows * R + centres[None, :]).ravel()
        return idx

    def _grid_ok(self, snap: Snapshot) -> bool:
        g = snap.grid
        if g is None or len(g.layers) != len(snap.sizes) - 1 or g.inputs.shape[0] != snap.sizes[0]:
            return False
        return all(m.shape[0] == n for m, n in zip(g.layers, snap.sizes[1:], strict=True))

    def _render_nodes(self) -> None:
        snap, lay = self._snap, self._layout
        atlas32 = self._atlas32
        if self._thumbnails and self._grid_ok(snap):
            grid = snap.grid
            R = grid.inputs.shape[-1]
            sidx = self._sample_index(R, lay.t)
            vals = self._vals
            starts = lay.starts
            maps = [grid.inputs, *grid.layers]
            for c, m in enumerate(maps):
                np.take(m.reshape(m.shape[0], -1), sidx, axis=1, out=vals[starts[c] : starts[c + 1]], mode="clip")
            if self._input_scale_src is not grid.inputs:
                # inputs never change within a generation: scale each feature by its largest magnitude
                peak = np.abs(grid.inputs.reshape(grid.inputs.shape[0], -1)).max(axis=1)
                self._gain[: starts[1], 0] = 127.5 / np.maximum(peak, 1e-12)
                self._input_scale_src = grid.inputs
            vals *= self._gain
            vals += self._offset
            np.clip(vals, 0.0, 255.0, out=vals)
            nan = self._nan_mask
            np.isnan(vals, out=nan)
            if nan.any():
                vals[nan] = 128.0  # a NaN map is neutral grey, never a cast's accident
            self._idx[...] = vals
            atlas32[lay.node_dest] = _LUT32[self._idx]
            if self._out_luts32 is not None:
                # several classes: each output neuron's map in its class colour (probability 0 = grey)
                first = starts[-2]
                atlas32[lay.node_dest[first:]] = self._out_luts32[self._out_rows, self._idx[first:]]
        else:
            atlas32[lay.node_dest] = _GREY32
            if self._thumbnails:
                self._render_weight_images(atlas32)
        atlas32[lay.bias_dest] = _LUT32[bias_indices(np.concatenate(snap.biases), self._weight_scale)][:, None]
        self._image.setImage(self._atlas, autoLevels=False)

    def _render_weight_images(self, atlas32: np.ndarray) -> None:
        """Image inputs (digits: 64 = 8 × 8 pixels): the input block shows the average training image, and each
        first-layer neuron its incoming weights as the image they weigh — blue where ink pushes it up, orange
        where ink pushes it down; full colour at the layer's largest weight (at most |w| max) — so one watches
        the neurons learn strokes."""
        snap, lay = self._snap, self._layout
        side = lay.image_side
        if side is None:
            return
        ds = snap.dataset
        if ds is not None and getattr(self, "_mean_image_of", None) is not ds and ds.n_features == side * side:
            # the input block shows the average training image (blue = ink), one colour per pixel cell
            X = np.asarray(ds.X_train if ds.n_train else ds.X, dtype=np.float64)
            mean = X.mean(axis=0) if X.shape[0] else np.zeros(side * side)
            peak = float(np.abs(mean).max()) or 1.0
            self._mean_image = _LUT32[np.clip(128.0 + 127.0 * mean / peak, 0, 255).astype(np.intp)]
            self._mean_image_of = ds
        if getattr(self, "_mean_image_of", None) is ds and ds is not None:
            atlas32[lay.node_dest[: side * side]] = self._mean_image[:, None]
        if len(snap.weights) < 2:
            return  # no hidden layer: the output's weights are the synapses already
        t = lay.t
        key = (side, t)
        if getattr(self, "_weight_image_key", None) != key:
            cells = (np.arange(t) * side // t).astype(np.intp)
            self._weight_image_idx = (cells[:, None] * side + cells[None, :]).ravel()
            self._weight_image_key = key
        w = np.asarray(snap.weights[0], dtype=np.float32).T  # (n_hidden, side²)
        vals = np.take(w, self._weight_image_idx, axis=1)
        vals = np.nan_to_num(vals, nan=0.0, posinf=1e30, neginf=-1e30)
        # one contrast for the whole layer (the largest incoming weight is full colour): the images compare, and
        # the small weights of a fresh network still show their pattern
        peak = float(np.abs(vals).max()) if vals.size else 0.0
        scale = min(peak, self._weight_scale) if peak > 0 else 1.0
        idx = np.clip(vals * (127.5 / scale) + 128.0, 0.0, 255.0).astype(np.intp)
        first = lay.starts[1]
        atlas32[lay.node_dest[first : first + w.shape[0]]] = _LUT32[idx]

    def _render_synapses(self, force: bool) -> None:
        snap, lay = self._snap, self._layout
        if self._dense and not force:
            # dense networks: re-bin at most every DENSE_REBIN_INTERVAL_S; a timer draws the last weights
            wait = self._last_rebin + DENSE_REBIN_INTERVAL_S - time.monotonic()
            if wait > 0:
                if not self._rebin_timer.isActive():
                    self._rebin_timer.start(max(1, int(1000 * wait)))
                return
        elif not force and snap.running and time.monotonic() - self._last_rebin < SYNAPSE_REBIN_INTERVAL_S:
            return  # while training, the next frame (a sixtieth of a second away) draws the newest weights
        self._last_rebin = time.monotonic()
        w = np.concatenate([np.ravel(x) for x in snap.weights])
        codes = weight_codes(w, self._weight_scale)
        dead = snap.dead
        if dead is not None and len(dead) == len(snap.weights):
            mask = np.concatenate([np.ravel(m) for m in dead])
            if mask.shape == codes.shape:
                codes[mask] = DEAD_BIN
        prev = self._codes
        if force or prev is None or prev.shape != codes.shape:
            changed_bins = range(2 * N_WIDTH_BINS + 1)
        else:
            diff = codes != prev
            if not diff.any():
                return
            changed_bins = np.unique(np.concatenate([codes[diff], prev[diff]])).tolist()
        self._codes = codes
        for b in changed_bins:
            sel = np.flatnonzero(codes == b)
            item = self._dead_bin if b == DEAD_BIN else self._bins[b]
            item.setData(lay.pair_x[sel].ravel(), lay.pair_y[sel].ravel())
        self._raster.invalidate()

    def _render_ghosts(self) -> None:
        """Paint the unused candidate inputs once per layout: their feature's map, faded (flat pale grey without a
        grid). They never change within a layout."""
        lay, snap = self._layout, self._snap
        if not len(lay.ghost_rows):
            return
        names = [self._candidates[r] for r in lay.ghost_rows]
        grid = snap.grid
        if grid is None or not self._thumbnails:
            self._atlas32[lay.ghost_dest] = _LUT32[128]
            return
        xs = np.asarray(grid.xs, dtype=np.float64)
        R = len(xs)
        x1, x2 = np.meshgrid(xs, xs)  # row iy is x2 = xs[iy]
        points = np.column_stack([x1.ravel(), x2.ravel()])
        sidx = self._sample_index(R, lay.t)
        maps = np.stack([np.asarray(FEATURES[n](points), dtype=np.float64)[sidx] for n in names])
        peak = np.maximum(np.abs(maps).max(axis=1, keepdims=True), 1e-12)
        idx = np.clip(maps / peak * 127.5 + 128.0, 0, 255).astype(np.intp)
        rgb = colors.PLAYGROUND_LUT[idx][..., :3].astype(np.float64)
        faded = np.empty((*idx.shape, 4), np.uint8)
        faded[..., :3] = np.round(rgb + (255.0 - rgb) * GHOST_FADE).astype(np.uint8)
        faded[..., 3] = 255
        self._atlas32[lay.ghost_dest] = np.ascontiguousarray(faded).view(np.uint32)[..., 0]

    def _on_rebin_timer(self) -> None:
        if self._layout is not None and self._snap is not None:
            self._render_synapses(force=False)

    def _update_pens(self, zoom: float) -> None:
        """Line widths follow the node size on screen; a dense mesh gets more opaque as zooming spreads it out."""
        lay = self._layout
        width_scale = round(float(np.clip(lay.s * zoom / 44.0, 0.3, 1.0)), 2)
        alpha = round(float(np.clip(self._base_alpha * zoom, self._base_alpha, 1.0)), 2)
        if (width_scale, alpha) != self._pens_for:
            self._pens_for = (width_scale, alpha)
            self._apply_bin_pens(width_scale, self._antialias, alpha)
            self._raster.invalidate()

    def _update_label_visibility(self) -> None:
        """Shorten or hide captions and labels that would overlap at the current zoom."""
        lay = self._layout
        if lay is None:
            return
        ppu = 1.0 / self._pixel_size()
        pitch = lay.col_pitch * ppu
        for item, full, short, w_full, w_short in self._captions:
            if w_full + 6 <= pitch:
                item.set_text(full)
                item.setVisible(True)
            elif w_short + 4 <= pitch:
                item.set_text(short)
                item.setVisible(True)
            else:
                item.setVisible(False)
        for plus, minus, w in self._glyph_pairs:
            plus.setVisible(w + 6 <= pitch)
            minus.setVisible(w + 6 <= pitch)
        inputs_fit = bool(lay.col_row_pitch[0] * ppu >= 0.9 * self._label_h) or bool(lay.image_side)
        outputs_fit = bool(lay.col_row_pitch[-1] * ppu >= 0.9 * self._label_h)
        for item in self._input_labels:
            item.setVisible(inputs_fit)
        for item in self._output_labels:
            item.setVisible(outputs_fit)
