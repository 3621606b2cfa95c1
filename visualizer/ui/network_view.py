"""The network diagram: every neuron as a live heatmap thumbnail, every synapse and bias drawn, TensorFlow-Playground
style, fast enough to redraw on every training snapshot.

Files: ``network_layout`` (geometry), ``network_items`` (text, glyphs, the synapse raster), ``network_render``
(per-frame drawing), ``network_interaction`` (hover, tooltips, clicks, the value editor); this module keeps the
:class:`NetworkView` class, its public API and the structure (text items, layout of a new network).

Drawing model
-------------
Layers are columns, inputs on the left, outputs on the right. The scene is laid out in *pixel units* of the current
widget size (at "fit" one view unit is one screen pixel), so fonts, node sizes and gaps are chosen in pixels and
never overlap; wheel zoom and drag pan are free, double-click fits again.

The number of graphics items is small and independent of the network's size:

* all node thumbnails **and** all bias squares are one RGBA ``ImageItem`` (the *atlas*). The layout snaps every node
  to an integer texel grid (``t × t`` texels per node, ``t ≤ 28``); each update takes ``t × t`` strided samples of
  every neuron's ``R × R`` map with one precomputed ``np.take`` per layer, maps the values to lookup-table indices
  with fixed levels (tanh/linear/ReLU clipped to −1 … 1, sigmoid/softmax 0 … 1 stretched to −1 … 1, inputs scaled by
  their largest magnitude) and scatters ``PLAYGROUND_LUT`` colours into the atlas through precomputed flat indices;
* synapses are 2 signs × 6 width bins = 12 ``PlotCurveItem``\\ s with ``connect="pairs"``; segment end points are
  built once per layout and an update only re-bins the weights (fixed scale, :meth:`NetworkView.set_weight_scale`)
  and calls ``setData`` on the bins whose membership changed. The curves hold the data; one ``_SynapseRaster``
  item draws all bins into a cached screen-resolution image, re-rasterised only when a bin or the zoom changed, so
  the per-frame atlas update does not redraw every line;
* node and bias outlines are one static ``QGraphicsPathItem``; captions, labels and the +/− glyphs are a few dozen
  ``TextItem``\\ s, rebuilt only when the structure changes.

Performance notes
-----------------
Measured with ``python benchmarks/network_view.py`` on a 2-core VM, 900 × 600 px, 100 × 100 grid, a new training
snapshot (one epoch later: new maps, weights and bins) every frame at 50 frames/s:

* Playground's largest network (7 inputs, 6 × 8 tanh, 1 output): ``update_snapshot`` 1.1–1.3 ms median, repaint
  2.8–3.1 ms median, all GUI work of this view 4.3–4.7 ms per frame on average (worst 14–19 ms).
* 10 hidden layers × 64 (37 000 synapses): ``update_snapshot`` 0.9–1.0 ms, repaint ~2 ms, 5.8–6.4 ms per frame
  on average; above 3 000 synapses lines lose antialiasing and the bins are re-rasterised at most 4 times a second
  (about 50 ms each, the worst frames).

What did not work: drawing the 12 curves directly costs 4.5 ms per repaint on the largest Playground network and
~45 ms at 10 × 64; Qt's own item cache (``DeviceCoordinateCache``) was 10–20× slower whenever a bin changed;
lines wider than 1 px cost ~10× more than hairlines in Qt's raster engine (hence the two thinnest
bins are ≤ 1 px), and translucent lines drawn into an image without a clip rectangle are ~25× slower.
"""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pyqtgraph as pg
from PyQt6.QtCore import QRectF, Qt, QTimer, pyqtSignal
from PyQt6.QtGui import QBrush, QFontMetricsF
from PyQt6.QtWidgets import QGraphicsPathItem, QGraphicsRectItem, QToolTip, QVBoxLayout, QWidget

from ..engine.features import LABELS
from ..training.snapshot import Snapshot
from . import colors
from .network_interaction import InteractionMixin, _Hit, _ValueEditor
from .network_items import HOVER_COLOR, OUTLINE_COLOR, TEXT_COLOR, _font, _Glyph, _SynapseRaster, _Text
from .network_layout import (
    BIN_ALPHAS,
    BIN_WIDTHS,
    DEFAULT_SIZE,
    DENSE_SYNAPSES,
    MIN_ROW_PITCH_PX,
    N_WIDTH_BINS,
    _Layout,
)
from .network_render import _LUT_GAIN_OFFSET, RenderMixin

__all__ = ["BIN_ALPHAS", "BIN_WIDTHS", "N_WIDTH_BINS", "NetworkView", "_Hit", "_ValueEditor"]


class NetworkView(InteractionMixin, RenderMixin, QWidget):
    """Live diagram of a feed-forward network: thumbnails, synapses, biases, structure glyphs, hover and editing.

    Signals
    -------
    sigNodeHovered(layer, index)
        The hovered neuron changed (``layer`` 0 = inputs, ``i`` = weight layer ``i``'s outputs); ``(-1, -1)``
        when the cursor leaves the neurons.
    sigWeightEdited(generation, layer, i, j, value)
        The user typed a new value for ``weights[layer][i, j]`` of the network of snapshot generation
        ``generation`` (the one clicked; the worker drops the edit if the network changed since).
    sigBiasEdited(generation, layer, j, value)
        The user typed a new value for ``biases[layer][j]`` (``generation`` as above).
    sigNeuronCountChangeRequested(hidden_index, delta)
        A "+"/"−" glyph above hidden layer ``hidden_index`` (0-based) was clicked.
    sigLayerCountChangeRequested(delta)
        The "+"/"−" glyph beside the hidden-layer count was clicked.

    The view never changes the network itself; the owner applies the edits and sends a new snapshot.
    """

    sigNodeHovered = pyqtSignal(int, int)
    sigWeightEdited = pyqtSignal(int, int, int, int, float)
    sigBiasEdited = pyqtSignal(int, int, int, float)
    sigNeuronCountChangeRequested = pyqtSignal(int, int)
    sigLayerCountChangeRequested = pyqtSignal(int)

    def __init__(self, parent: QWidget | None = None, max_hidden_layers: int = 10, max_neurons: int = 64):
        super().__init__(parent)
        self.max_hidden_layers = max_hidden_layers
        self.max_neurons = max_neurons
        self._weight_scale = 2.0
        self._thumbnails = True
        self._snap: Snapshot | None = None
        self._key = None
        self._layout: _Layout | None = None
        self._fitted = True
        self._hover: _Hit | None = None
        self._hover_node = (-1, -1)
        self._tip_text = ""
        self._codes: np.ndarray | None = None
        self._atlas = np.zeros((1, 1, 4), np.uint8)
        self._vals = np.zeros((0, 0), np.float32)
        self._gain = np.zeros((0, 1), np.float32)
        self._offset = np.zeros((0, 1), np.float32)
        self._sample_idx: dict[tuple[int, int], np.ndarray] = {}
        self._input_scale_src = None
        self._texts: list[_Text] = []
        self._captions: list[tuple[_Text, str, str, float, float]] = []
        self._glyphs: dict[tuple, _Glyph] = {}
        self._glyph_pairs: list[tuple[_Glyph, _Glyph, float]] = []
        self._input_labels: list[_Text] = []
        self._output_labels: list[_Text] = []
        self._label_h = QFontMetricsF(_font()).height()

        self.graphics = pg.GraphicsView(background="w")
        self.graphics.setToolTipDuration(-1)
        self.vb = pg.ViewBox(lockAspect=True, invertY=True, enableMenu=False, defaultPadding=0.0)
        self.graphics.setCentralItem(self.vb)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.graphics)

        self._bins: list[pg.PlotCurveItem] = []
        for color in (colors.POSITIVE, colors.NEGATIVE):
            for b in range(N_WIDTH_BINS):
                item = pg.PlotCurveItem(connect="pairs", skipFiniteCheck=True, antialias=True)
                item.setSegmentedLineMode("on")
                item.setZValue(1 + b * 0.01)
                item._sign_color = color  # type: ignore[attr-defined]
                item._bin = b  # type: ignore[attr-defined]
                self.vb.addItem(item, ignoreBounds=True)
                self._bins.append(item)
        self._raster = _SynapseRaster(self._bins)
        self._raster.setZValue(1)
        for item in self._bins:  # data holders: the raster item draws them
            item.hide()
        self.vb.addItem(self._raster, ignoreBounds=True)
        self._dense = False
        self._last_rebin = 0.0
        self._rebin_timer = QTimer(self)
        self._rebin_timer.setSingleShot(True)
        self._rebin_timer.timeout.connect(self._on_rebin_timer)
        self._syn_highlight = pg.PlotCurveItem(connect="pairs", skipFiniteCheck=True, antialias=True)
        self._syn_highlight.setZValue(2)
        self.vb.addItem(self._syn_highlight, ignoreBounds=True)
        self._image = pg.ImageItem(axisOrder="row-major")
        self._image.setZValue(3)
        self.vb.addItem(self._image, ignoreBounds=True)
        self._outline = QGraphicsPathItem()
        self._outline.setPen(pg.mkPen(OUTLINE_COLOR, width=1.0))  # mkPen's pens are cosmetic
        self._outline.setZValue(4)
        self._outline.setCacheMode(QGraphicsPathItem.CacheMode.DeviceCoordinateCache)
        self.vb.addItem(self._outline, ignoreBounds=True)
        self._hover_rect = QGraphicsRectItem()
        self._hover_rect.setPen(pg.mkPen(HOVER_COLOR, width=2.0))
        self._hover_rect.setBrush(QBrush(Qt.BrushStyle.NoBrush))
        self._hover_rect.setZValue(5)
        self._hover_rect.hide()
        self.vb.addItem(self._hover_rect, ignoreBounds=True)
        self._base_alpha = 1.0
        self._pens_for = None
        self._apply_bin_pens(1.0, True)

        scene = self.graphics.scene()
        # hover follows every mouse move (the scene's sigMouseMoved drops moves closer than 1/60 s, which can leave
        # a stale hover when the cursor stops); the hit test is cheap enough for all of them
        self.graphics.viewport().installEventFilter(self)
        scene.sigMouseClicked.connect(self._on_mouse_clicked)
        self.vb.sigResized.connect(self._on_view_resized)
        self.vb.sigRangeChangedManually.connect(self._on_range_changed_manually)
        self.vb.sigTransformChanged.connect(self._on_transform_changed)
        self.setMinimumSize(200, 150)

    # ------------------------------------------------------------------ public API
    def update_snapshot(self, snap: Snapshot) -> None:
        """Draw ``snap``: rebuild the layout if the structure or generation changed, else only refresh the data."""
        key = (snap.generation, tuple(snap.sizes), tuple(snap.feature_names), tuple(snap.activations), snap.output)
        self._snap = snap
        if key != self._key or self._layout is None:
            self._key = key
            self._rebuild()
            self.fit()
            return
        self._render(force=False)
        if self._hover is not None and QToolTip.isVisible():
            self._show_tip(self._tooltip_for(self._hover))

    def set_weight_scale(self, max_abs: float) -> None:
        """Fix the synapse width scale: ``|w| ≥ max_abs`` gets the thickest line (also the biases' colour scale)."""
        max_abs = float(max_abs)
        if not max_abs > 0:
            raise ValueError("weight scale must be positive")
        if max_abs != self._weight_scale:
            self._weight_scale = max_abs
            if self._layout is not None:
                self._render(force=True)

    def weight_scale(self) -> float:
        return self._weight_scale

    def set_thumbnails_visible(self, on: bool) -> None:
        """Show each neuron's activation map (``True``) or flat grey squares (``False``, cheaper)."""
        on = bool(on)
        if on != self._thumbnails:
            self._thumbnails = on
            if self._layout is not None:
                self._render(force=False)

    def synapse_bins(self) -> list:
        """The synapse curve items (data holders drawn by one raster item): positive bins thin → thick, then
        negative bins thin → thick; ``item.getData()`` gives the segment end points in pairs."""
        return list(self._bins)

    def node_image(self) -> np.ndarray:
        """A copy of the current atlas, ``(H, W, 4)`` uint8 RGBA (thumbnails and bias squares)."""
        return self._atlas.copy()

    def node_rects(self) -> np.ndarray:
        """``(n_nodes, 4)`` array of ``x, y, w, h`` in view coordinates, inputs first, layer by layer."""
        lay = self._layout
        if lay is None:
            return np.zeros((0, 4))
        n = lay.n_nodes
        return np.column_stack([lay.node_x, lay.node_y, np.full(n, lay.s), np.full(n, lay.s)])

    def bias_rects(self) -> np.ndarray:
        """``(n_biases, 4)`` array of ``x, y, w, h`` of the bias squares, in the order of the non-input nodes."""
        lay = self._layout
        if lay is None:
            return np.zeros((0, 4))
        n = len(lay.bias_x)
        return np.column_stack([lay.bias_x, lay.bias_y, np.full(n, lay.bias_s), np.full(n, lay.bias_s)])

    def synapse_segment(self, layer: int, i: int, j: int) -> tuple[float, float, float, float]:
        """End points ``x0, y0, x1, y1`` of the synapse ``weights[layer][i, j]`` in view coordinates."""
        lay = self._layout
        assert lay is not None
        n_out = self._snap.sizes[layer + 1]
        k = lay.syn_starts[layer] + i * n_out + j
        return float(lay.sx0[k]), float(lay.sy0[k]), float(lay.sx1[k]), float(lay.sy1[k])

    def fit(self) -> None:
        """Lay the network out for the current widget size and show all of it (also on double-click)."""
        if self._layout is None:
            return
        w, h = self._view_size()
        vw, vh = self._layout.view_size
        if abs(w - vw) > 0.5 or abs(h - vh) > 0.5:
            self._relayout()
        lay = self._layout
        self.vb.setRange(QRectF(0.0, 0.0, lay.width, lay.height), padding=0.0)
        self._fitted = True
        self._update_label_visibility()

    # ------------------------------------------------------------------ structure
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
        # input and output labels
        for name in snap.feature_names:
            self._input_labels.append(self._add_text(_Text(LABELS.get(name, name), label_font)))
        n_out = sizes[-1]
        if n_out > 1:
            for k in range(n_out):
                color = colors.CLASS_COLORS[k % len(colors.CLASS_COLORS)] if snap.output == "softmax" else TEXT_COLOR
                text = f"class {k + 1}" if snap.output == "softmax" else f"out {k + 1}"
                self._output_labels.append(self._add_text(_Text(text, label_font, color=color)))
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
        min_h = top + 12 + max(sizes) * MIN_ROW_PITCH_PX
        if w < min_w or h < min_h:
            scale = max(min_w / w, min_h / h)
            w, h = w * scale, h * scale
        label_pitch = (self._label_h + 2, self._label_h + 2 if self._output_labels else 0.0)
        lay = self._layout = _Layout(sizes, w, h, left, right, top, label_pitch)
        lay.view_size = self._view_size()  # the widget size it was made for (w, h may be larger: virtual size)
        self._atlas = np.zeros((*lay.atlas_shape, 4), np.uint8)
        self._atlas32 = self._atlas.view(np.uint32).reshape(-1)
        self._vals = np.empty((lay.n_nodes, lay.t * lay.t), np.float32)
        self._idx = np.empty((lay.n_nodes, lay.t * lay.t), np.uint8)
        self._image.setImage(self._atlas, autoLevels=False)
        self._image.setRect(lay.atlas_rect)
        self._outline.setPath(lay.outline_path())
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
        for k, item in enumerate(self._input_labels):
            item.place(lay.node_x[k], lay.node_y[k] + lay.s / 2, 1.0, 0.5, dx=-8)
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
