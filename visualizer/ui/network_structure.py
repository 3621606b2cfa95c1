"""Structure of the network diagram: the text items and glyphs of a new network, and placing everything for the
current widget size.

:class:`StructureMixin` is one part of :class:`~visualizer.ui.network_view.NetworkView`; it works on the view's
state.
"""

from __future__ import annotations

from itertools import pairwise

import numpy as np
from PyQt6.QtCore import QRectF
from PyQt6.QtGui import QFontMetricsF

from ..engine.features import FEATURES, LABELS
from . import colors
from .network_items import MUTED_COLOR, TEXT_COLOR, _font, _Glyph, _Text
from .network_layout import DEFAULT_SIZE, DENSE_SYNAPSES, MIN_ROW_PITCH_PX, _Layout
from .network_overlays import LEGEND_MARGIN
from .network_render import _LUT_GAIN_OFFSET, class_luts32, weight_image_side


class StructureMixin:
    """Text items, glyphs and geometry of one structure (part of :class:`NetworkView`)."""

    def _view_size(self) -> tuple[float, float]:
        r = self.vb.geometry()
        w, h = r.width(), r.height()
        if w < 50 or h < 50:
            w, h = DEFAULT_SIZE
        return float(w), float(h)

    def _clear_texts(self) -> None:
        for item in self._texts:
            self.vb.removeItem(item)
        self._texts.clear()
        self._captions.clear()
        self._glyphs.clear()
        self._glyph_pairs.clear()
        self._input_labels.clear()
        self._output_labels.clear()

    def _add_text(self, item: _Text) -> _Text:
        item.setZValue(6)
        self.vb.addItem(item, ignoreBounds=True)
        self._texts.append(item)
        return item

    def _rebuild(self) -> None:
        """Create the text items and glyphs of a new structure, then lay out."""
        snap = self._snap
        assert snap is not None
        sizes = tuple(snap.sizes)
        n_hidden = len(sizes) - 2
        self._clear_texts()
        self._hover = None
        self._set_hover_node(-1, -1)
        self._hover_rect.hide()
        self._syn_highlight.setData([], [])
        self._codes = None
        self._input_scale_src = None
        cap_font, label_font = _font(9.0), _font(9.0)
        fm = QFontMetricsF(cap_font)
        # captions
        for c, n in enumerate(sizes):
            if c == 0:
                full, short = "Input", "In"
            elif c == len(sizes) - 1:
                full, short = "Output", "Out"
            else:
                full, short = f"{n} neuron{'s' if n != 1 else ''}", f"{n}"
            item = self._add_text(_Text(full, cap_font))
            self._captions.append((item, full, short, fm.horizontalAdvance(full) + 4, fm.horizontalAdvance(short) + 4))
        # neuron +/- glyphs above each hidden layer
        for h in range(n_hidden):
            n = sizes[h + 1]
            plus = _Glyph(
                " + ",
                f"Add a neuron to hidden layer {h + 1}" if n < self.max_neurons else f"At most {self.max_neurons}",
                lambda h=h: self.sigNeuronCountChangeRequested.emit(h, 1),
                enabled=n < self.max_neurons,
            )
            minus = _Glyph(
                " − ",
                f"Remove a neuron from hidden layer {h + 1}" if n > 1 else "A layer needs at least one neuron",
                lambda h=h: self.sigNeuronCountChangeRequested.emit(h, -1),
                enabled=n > 1,
            )
            self._add_text(plus)
            self._add_text(minus)
            self._glyphs[("neuron", h, 1)] = plus
            self._glyphs[("neuron", h, -1)] = minus
            self._glyph_pairs.append((plus, minus, plus.size_px()[0] + minus.size_px()[0] + 6))
        # hidden-layer count toolbar
        plus = _Glyph(
            " + ",
            "Add a hidden layer" if n_hidden < self.max_hidden_layers else f"At most {self.max_hidden_layers}",
            lambda: self.sigLayerCountChangeRequested.emit(1),
            enabled=n_hidden < self.max_hidden_layers,
        )
        minus = _Glyph(
            " − ",
            "Remove the last hidden layer" if n_hidden > 0 else "No hidden layer to remove",
            lambda: self.sigLayerCountChangeRequested.emit(-1),
            enabled=n_hidden > 0,
        )
        self._add_text(plus)
        self._add_text(minus)
        self._glyphs[("layer", 1)] = plus
        self._glyphs[("layer", -1)] = minus
        title = f"{n_hidden} HIDDEN LAYER{'S' if n_hidden != 1 else ''}"
        self._layer_title = self._add_text(_Text(title, _font(9.0, bold=True)))
        # input and output labels; with 2-D data every candidate feature has a row (Playground's way to choose)
        names = tuple(snap.feature_names)
        self._candidates = tuple(FEATURES) if self._features_choosable(snap) else names
        self._input_rows = tuple(self._candidates.index(n) for n in names)
        self._image_side = weight_image_side(sizes[0]) if not self._features_choosable(snap) else None
        if self._image_side:  # an image: one label for the block, not one per pixel
            side = self._image_side
            self._input_labels.append(self._add_text(_Text(f"{side}×{side}", label_font)))
        for name in self._candidates if not self._image_side else ():
            used = name in names
            color = TEXT_COLOR if used else MUTED_COLOR
            self._input_labels.append(self._add_text(_Text(LABELS.get(name, name), label_font, color=color)))
        n_out = sizes[-1]
        ds = getattr(snap, "dataset", None)
        class_names = tuple(ds.class_names) if ds is not None and len(ds.class_names) == n_out else ()
        if n_out > 1:
            for k in range(n_out):
                color = colors.CLASS_COLORS[k % len(colors.CLASS_COLORS)] if snap.output == "softmax" else TEXT_COLOR
                text = f"class {k + 1}" if snap.output == "softmax" else f"out {k + 1}"
                if snap.output == "softmax" and class_names and len(class_names[k]) <= 12:
                    text = class_names[k]
                self._output_labels.append(self._add_text(_Text(text, label_font, color=color)))
        if snap.output == "softmax" and n_out > 1:
            self._out_luts32 = class_luts32(n_out)
            self._out_rows = np.arange(n_out, dtype=np.intp)[:, None]
        else:
            self._out_luts32 = None
        # per-node fixed colour levels
        gains, offsets = [], []
        for c, n in enumerate(sizes):
            act = "tanh" if c == 0 else (snap.activations[c - 1] if c <= n_hidden else snap.output)
            g, o = _LUT_GAIN_OFFSET.get(act, (127.5, 128.0))
            gains.append(np.full(n, g))
            offsets.append(np.full(n, o))
        self._gain = np.concatenate(gains).astype(np.float32)[:, None]
        self._offset = np.concatenate(offsets).astype(np.float32)[:, None]
        n_syn = sum(a * b for a, b in pairwise(sizes))
        self._dense = n_syn > DENSE_SYNAPSES
        self._antialias = not self._dense
        self._rebin_timer.stop()
        self._relayout()

    def _relayout(self) -> None:
        """Compute geometry for the current size and place every item; then redraw all data."""
        snap = self._snap
        assert snap is not None
        sizes = tuple(snap.sizes)
        w, h = self._view_size()
        fm = QFontMetricsF(_font(9.0))
        # margins: input labels on the left, output labels on the right, and room for the end captions
        label_w = max(fm.horizontalAdvance(it.toPlainText()) for it in self._input_labels) + 20
        left = max(label_w, self._captions[0][3] / 2 + 6)
        right = max(self._captions[-1][3] / 2 + 6, 12.0)
        if self._output_labels:
            right = max(right, max(fm.horizontalAdvance(it.toPlainText()) for it in self._output_labels) + 22)
        glyph_h = max((g.size_px()[1] for g in self._glyphs.values()), default=16.0)
        cap_h = self._label_h
        top = 10 + 2 * glyph_h + cap_h + 20
        # minimum virtual size: glyphs and short captions fit side by side, rows at least MIN_ROW_PITCH_PX apart
        min_pitch = max([48.0] + [p[2] + 12 for p in self._glyph_pairs] + [c[4] + 12 for c in self._captions])
        min_w = left + right + (len(sizes) - 1) * min_pitch + 30
        rows = max(self._image_side or 0, *sizes[1:]) if self._image_side else max(sizes)
        min_h = top + 12 + rows * MIN_ROW_PITCH_PX
        if w < min_w or h < min_h:
            scale = max(min_w / w, min_h / h)
            w, h = w * scale, h * scale
        label_pitch = (self._label_h + 2, self._label_h + 2 if self._output_labels else 0.0)
        # keep the legend's corner free: it sits below the network at fit
        bottom = 12.0 + (self.legend.sizeHint().height() + LEGEND_MARGIN) * (w / max(self._view_size()[0], 1.0))
        lay = self._layout = _Layout(sizes, w, h, left, right, top, label_pitch, self._input_rows,
                                     len(self._candidates), bottom=bottom, image_side=self._image_side)
        lay.view_size = self._view_size()  # the widget size it was made for (w, h may be larger: virtual size)
        self._atlas = np.zeros((*lay.atlas_shape, 4), np.uint8)
        self._atlas32 = self._atlas.view(np.uint32).reshape(-1)
        self._vals = np.empty((lay.n_nodes, lay.t * lay.t), np.float32)
        self._idx = np.empty((lay.n_nodes, lay.t * lay.t), np.uint8)
        self._nan_mask = np.empty((lay.n_nodes, lay.t * lay.t), bool)
        self._image.setImage(self._atlas, autoLevels=False)
        self._image.setRect(lay.atlas_rect)
        self._outline.setPath(lay.outline_path())
        self._render_ghosts()
        ys = np.concatenate([lay.sy0, lay.sy1])
        x0, y0 = float(lay.sx0.min()), float(ys.min())
        self._raster.set_rect(QRectF(x0 - 4, y0 - 4, float(lay.sx1.max()) - x0 + 8, float(ys.max()) - y0 + 8))
        # dense layers (many synapses per pixel of height) get fainter lines so that structure stays visible
        net_h = max(float(lay.node_y.max() - lay.node_y.min()) + lay.s, 1.0)
        density = max(a * b for a, b in pairwise(sizes)) / net_h
        self._base_alpha = float(np.clip(np.sqrt(0.6 / max(density, 1e-9)), 0.15, 1.0))
        self._pens_for = None
        self._update_pens(1.0)
        # texts
        y_cap = lay.header_y
        for c, (item, *_rest) in enumerate(self._captions):
            item.place(lay.col_x[c] + lay.s / 2, y_cap, 0.5, 1.0)
        for h_i in range(len(sizes) - 2):
            cx = lay.col_x[h_i + 1] + lay.s / 2
            plus, minus = self._glyphs[("neuron", h_i, 1)], self._glyphs[("neuron", h_i, -1)]
            plus.place(cx, y_cap, 1.0, 1.0, dx=-3, dy=-(cap_h + 3))
            minus.place(cx, y_cap, 0.0, 1.0, dx=3, dy=-(cap_h + 3))
        # toolbar: [+][−] N HIDDEN LAYERS, centred over the hidden columns (or the whole network)
        if len(sizes) > 2:
            cx = (lay.col_x[1] + lay.col_x[-2] + lay.s) / 2
        else:
            cx = (lay.col_x[0] + lay.col_x[-1] + lay.s) / 2
        plus, minus = self._glyphs[("layer", 1)], self._glyphs[("layer", -1)]
        wp, wm = plus.size_px()[0], minus.size_px()[0]
        wt = self._layer_title.size_px()[0]
        total = wp + 4 + wm + 8 + wt
        dy = -(cap_h + 3 + glyph_h + 10)
        plus.place(cx, y_cap, 0.0, 1.0, dx=-total / 2, dy=dy)
        minus.place(cx, y_cap, 0.0, 1.0, dx=-total / 2 + wp + 4, dy=dy)
        self._layer_title.place(cx, y_cap, 0.0, 0.5, dx=-total / 2 + wp + 4 + wm + 8, dy=dy - glyph_h / 2)
        row_y = np.empty(len(self._candidates))
        row_y[lay.input_rows] = lay.node_y[: sizes[0]]
        row_y[lay.ghost_rows] = lay.ghost_y
        if lay.image_side:
            mid = float(lay.node_y[: sizes[0]].min()) + lay.image_side * lay.s / 2
            self._input_labels[0].place(lay.col_x[0], mid, 1.0, 0.5, dx=-8)
        else:
            for k, item in enumerate(self._input_labels):
                item.place(lay.col_x[0], row_y[k] + lay.s / 2, 1.0, 0.5, dx=-8)
        first_out = lay.starts[-2]
        for k, item in enumerate(self._output_labels):
            item.place(lay.node_x[first_out + k] + lay.s, lay.node_y[first_out + k] + lay.s / 2, 0.0, 0.5, dx=6)
        self.vb.setLimits(
            xMin=-lay.width,
            xMax=2 * lay.width,
            yMin=-lay.height,
            yMax=2 * lay.height,
            minXRange=max(lay.s * 2, 20.0),
            maxXRange=3 * lay.width,
            maxYRange=3 * lay.height,
        )
        self._codes = None
        self._render(force=True)
        self._update_label_visibility()
