"""The network diagram: every neuron as a live heatmap thumbnail, every synapse and bias drawn, TensorFlow-Playground
style, fast enough to redraw on every training snapshot.

Files: ``network_layout`` (geometry), ``network_items`` (text, glyphs, the synapse raster), ``network_render``
(per-frame drawing), ``network_structure`` (text items and placement of a new structure), ``network_interaction``
(hover, tooltips, clicks), ``network_editor`` (the value editor), ``network_overlays`` (legend, diverged banner);
this module keeps the :class:`NetworkView` class and its public API.

What is drawn beyond the network itself: with 2-D data every candidate feature has a row in the input column, the
unused ones faded and unconnected (a click toggles a feature, as in Playground); softmax output neurons show their
class colour; links L1 killed are thin dashed grey; a diverged snapshot shows a red banner and dims the synapses;
a legend in the bottom-left corner (kept free by the layout) gives the colour and width scale. Every value is
clipped in float before any integer cast, so no weight, bias or map value (1e300, ±inf, NaN) draws by accident.

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
* synapses are 2 signs × 6 width bins = 12 ``PlotCurveItem``\\ s (and one for dead links) with
  ``connect="pairs"``; segment end points are built once per layout and an update only re-bins the weights (fixed
  scale, :meth:`NetworkView.set_weight_scale`) and calls ``setData`` on the bins whose membership changed. The
  curves hold the data; one ``_SynapseRaster``
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

import numpy as np
import pyqtgraph as pg
from PyQt6.QtCore import QRectF, Qt, QTimer, pyqtSignal
from PyQt6.QtGui import QBrush, QFontMetricsF
from PyQt6.QtWidgets import QGraphicsPathItem, QGraphicsRectItem, QToolTip, QVBoxLayout, QWidget

from ..engine.features import FEATURES
from ..training.snapshot import Snapshot
from . import colors
from .network_interaction import InteractionMixin, _Hit, _ValueEditor
from .network_items import HOVER_COLOR, OUTLINE_COLOR, _font, _Glyph, _SynapseRaster, _Text
from .network_layout import (
    BIN_ALPHAS,
    BIN_WIDTHS,
    N_WIDTH_BINS,
    _Layout,
)
from .network_overlays import DivergedBanner, Legend
from .network_render import RenderMixin
from .network_structure import StructureMixin

__all__ = ["BIN_ALPHAS", "BIN_WIDTHS", "N_WIDTH_BINS", "NetworkView", "_Hit", "_ValueEditor"]


class NetworkView(InteractionMixin, StructureMixin, RenderMixin, QWidget):
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
    sigFeatureToggled(name)
        An input node was clicked (2-D data, where every candidate feature is drawn, unused ones faded): the
        owner adds feature ``name`` to the inputs or removes it.

    The view never changes the network itself; the owner applies the edits and sends a new snapshot.
    """

    sigNodeHovered = pyqtSignal(int, int)
    sigWeightEdited = pyqtSignal(int, int, int, int, float)
    sigBiasEdited = pyqtSignal(int, int, int, float)
    sigNeuronCountChangeRequested = pyqtSignal(int, int)
    sigLayerCountChangeRequested = pyqtSignal(int)
    sigFeatureToggled = pyqtSignal(str)

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
        self._candidates: tuple[str, ...] = ()
        self._input_rows: tuple[int, ...] = ()
        self._out_luts32: np.ndarray | None = None
        self._out_rows = np.zeros((0, 1), np.intp)
        self._diverged = False
        self._editor = None

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
        self._dead_bin = pg.PlotCurveItem(connect="pairs", skipFiniteCheck=True, antialias=False)
        self._dead_bin.setSegmentedLineMode("on")
        self.vb.addItem(self._dead_bin, ignoreBounds=True)
        self._raster = _SynapseRaster(self._bins, under=[self._dead_bin])
        self._raster.setZValue(1)
        for item in [*self._bins, self._dead_bin]:  # data holders: the raster item draws them
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
        viewport = self.graphics.viewport()
        self.legend = Legend(viewport)
        self.legend.set_scale(self._weight_scale)
        self.banner = DivergedBanner(viewport)
        self._place_overlays()

    # ------------------------------------------------------------------ public API
    def update_snapshot(self, snap: Snapshot) -> None:
        """Draw ``snap``: rebuild the layout if the structure or generation changed, else only refresh the data."""
        key = (snap.generation, tuple(snap.sizes), tuple(snap.feature_names), tuple(snap.activations), snap.output)
        self._snap = snap
        self._set_diverged(bool(snap.diverged))
        if key != self._key or self._layout is None:
            self._key = key
            self._close_editor()  # its indices belong to the old network
            self._rebuild()
            self.fit()
            return
        self._render(force=False)
        if self._hover is not None and QToolTip.isVisible():
            self._show_tip(self._tooltip_for(self._hover))

    def set_weight_scale(self, max_abs: float) -> None:
        """Fix the synapse width scale: ``|w| ≥ max_abs`` gets the thickest line (also the biases' colour scale)."""
        max_abs = float(max_abs)
        if not (max_abs > 0 and np.isfinite(max_abs)):
            raise ValueError("weight scale must be positive and finite")
        if max_abs != self._weight_scale:
            self._weight_scale = max_abs
            self.legend.set_scale(max_abs)
            self._place_overlays()
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
                self._render_ghosts()
                self._render(force=False)

    def is_diverged(self) -> bool:
        """Whether the diverged state (banner, dimmed synapses) is shown."""
        return self._diverged

    def dead_bin(self):
        """The curve item holding the dead links (L1), drawn thin, dashed and grey."""
        return self._dead_bin

    def input_candidates(self) -> tuple[str, ...]:
        """Feature names of the input column's rows, top to bottom (every feature for 2-D data, else the inputs)."""
        return self._candidates

    def input_rect(self, name: str) -> tuple[float, float, float, float]:
        """``x, y, w, h`` of the input node of feature ``name``, used or not, in view coordinates."""
        lay = self._layout
        row = self._candidates.index(name)
        s = lay.s
        k = np.flatnonzero(lay.input_rows == row)
        if k.size:
            return float(lay.node_x[k[0]]), float(lay.node_y[k[0]]), s, s
        g = int(np.flatnonzero(lay.ghost_rows == row)[0])
        return float(lay.ghost_x[g]), float(lay.ghost_y[g]), s, s

    def synapse_bins(self) -> list:
        """The synapse curve items (data holders drawn by one raster item): positive bins thin → thick, then
        negative bins thin → thick; ``item.getData()`` gives the segment end points in pairs. Dead links are in
        :meth:`dead_bin` instead."""
        return list(self._bins)

    def node_image(self) -> np.ndarray:
        """A copy of the current atlas, ``(H, W, 4)`` uint8 RGBA (thumbnails and bias squares)."""
        return self._atlas.copy()

    def drawn_sizes(self) -> tuple[int, ...]:
        """Units per layer of the network drawn now, inputs first (``()`` before the first snapshot)."""
        lay = self._layout
        return () if lay is None else tuple(int(n) for n in np.diff(lay.starts))

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

    # ------------------------------------------------------------------ state shown over the network
    @staticmethod
    def _features_choosable(snap: Snapshot) -> bool:
        """2-D data whose inputs are Playground features: every candidate feature is drawn and clickable."""
        if not snap.feature_names or not all(n in FEATURES for n in snap.feature_names):
            return False
        ds = snap.dataset
        return ds is None or (getattr(ds, "domain", None) is not None and getattr(ds, "n_features", 2) == 2)

    def _set_diverged(self, on: bool) -> None:
        """Show or clear the diverged state: the banner, synapses and maps dimmed."""
        if on != self._diverged:
            self._diverged = on
            self.banner.setVisible(on)
            self._place_overlays()
            self._raster.setOpacity(0.3 if on else 1.0)
            self._image.setOpacity(0.55 if on else 1.0)

    def _place_overlays(self) -> None:
        viewport = self.graphics.viewport()
        w, h = viewport.width(), viewport.height()
        self.legend.place(w, h)
        self.banner.place(w, h, self.legend.geometry())
        self.legend.raise_()
        self.banner.raise_()

    def resizeEvent(self, ev) -> None:
        super().resizeEvent(ev)
        self._place_overlays()
