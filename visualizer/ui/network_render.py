"""Per-frame drawing of the network diagram: thumbnails and bias squares into the atlas image, synapse weights
into width bins, pens that follow the zoom, labels that hide when they would overlap.

:class:`RenderMixin` is one part of :class:`~visualizer.ui.network_view.NetworkView`; it works on the view's state.
"""

from __future__ import annotations

import time

import numpy as np
import pyqtgraph as pg
from PyQt6.QtCore import Qt

from ..training.snapshot import Snapshot
from . import colors
from .network_items import HOVER_COLOR, _rgba
from .network_layout import BIN_ALPHAS, BIN_WIDTHS, DENSE_REBIN_INTERVAL_S, N_WIDTH_BINS

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
            with np.errstate(invalid="ignore"):
                self._idx[...] = vals
            atlas32[lay.node_dest] = _LUT32[self._idx]
        else:
            atlas32[lay.node_dest] = _GREY32
        b = np.concatenate(snap.biases).astype(np.float32)
        b *= 127.5 / self._weight_scale
        b += 128.0
        np.clip(b, 0.0, 255.0, out=b)
        with np.errstate(invalid="ignore"):
            bi = b.astype(np.uint8)
        atlas32[lay.bias_dest] = _LUT32[bi][:, None]
        self._image.setImage(self._atlas, autoLevels=False)

    def _render_synapses(self, force: bool) -> None:
        snap, lay = self._snap, self._layout
        if self._dense and not force:
            # dense networks: re-bin at most every DENSE_REBIN_INTERVAL_S; a timer draws the last weights
            wait = self._last_rebin + DENSE_REBIN_INTERVAL_S - time.monotonic()
            if wait > 0:
                if not self._rebin_timer.isActive():
                    self._rebin_timer.start(max(1, int(1000 * wait)))
                return
        self._last_rebin = time.monotonic()
        w = np.concatenate([np.ravel(x) for x in snap.weights])
        with np.errstate(invalid="ignore"):
            codes = np.minimum((np.abs(w) * (N_WIDTH_BINS / self._weight_scale)).astype(np.intp), N_WIDTH_BINS - 1)
        codes[codes < 0] = 0
        codes += N_WIDTH_BINS * (w < 0)
        prev = self._codes
        if force or prev is None or prev.shape != codes.shape:
            changed_bins = range(2 * N_WIDTH_BINS)
        else:
            diff = codes != prev
            if not diff.any():
                return
            changed_bins = np.unique(np.concatenate([codes[diff], prev[diff]])).tolist()
        self._codes = codes
        for b in changed_bins:
            sel = np.flatnonzero(codes == b)
            self._bins[b].setData(lay.pair_x[sel].ravel(), lay.pair_y[sel].ravel())
        self._raster.invalidate()

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
        inputs_fit = bool(lay.col_row_pitch[0] * ppu >= 0.9 * self._label_h)
        outputs_fit = bool(lay.col_row_pitch[-1] * ppu >= 0.9 * self._label_h)
        for item in self._input_labels:
            item.setVisible(inputs_fit)
        for item in self._output_labels:
            item.setVisible(outputs_fit)
