"""The network diagram: every neuron as a live heatmap thumbnail, every synapse and bias drawn, TensorFlow-Playground
style, fast enough to redraw on every training snapshot.

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
Measured with :func:`_bench` (``QT_QPA_PLATFORM=offscreen python -m visualizer.ui.network_view``) on a 2-core VM,
900 × 600 px, 100 × 100 grid, a new training snapshot (one epoch later: new maps, weights and bins) every frame at
50 frames/s:

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

import math
import time
from dataclasses import dataclass
from itertools import pairwise, zip_longest

import numpy as np
import pyqtgraph as pg
from PyQt6.QtCore import QEvent, QRectF, Qt, QTimer, pyqtSignal
from PyQt6.QtGui import (
    QBrush,
    QColor,
    QCursor,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QImage,
    QPainter,
    QPainterPath,
    QTransform,
)
from PyQt6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QGraphicsPathItem,
    QGraphicsRectItem,
    QLabel,
    QToolTip,
    QVBoxLayout,
    QWidget,
)
from pyqtgraph.graphicsItems.PlotCurveItem import arrayToLineSegments

from ..engine.activations import FORMULAS
from ..engine.features import LABELS
from ..training.snapshot import Snapshot
from . import colors

TEXT_COLOR = "#3c4043"
"""Dark grey for captions and labels."""
MUTED_COLOR = "#a0a4a8"
OUTLINE_COLOR = "#9aa0a6"
HOVER_COLOR = "#202124"

N_WIDTH_BINS = 6
"""Synapse width classes per sign; bin ``b`` holds ``b/6 ≤ |w|/max_abs < (b+1)/6``, the last also ``|w| ≥ max_abs``."""
BIN_WIDTHS = (0.6, 1.0, 1.8, 2.6, 3.6, 5.0)
"""Line width in pixels per bin (for nodes of 44 px and more; thinner for smaller nodes). Qt's raster engine
draws lines of at most 1 px about ten times faster than wider ones, so the two thinnest bins — most synapses
of a fresh network — stay at or below 1 px."""
BIN_ALPHAS = (0.30, 0.45, 0.60, 0.75, 0.88, 1.0)
"""Opacity per bin: thin synapses recede."""

MAX_NODE_PX = 56.0
MAX_THUMB_TEXELS = 28
MIN_ROW_PITCH_PX = 6.0
DENSE_SYNAPSES = 3000
"""Above this many synapses lines are drawn without antialiasing, into one cached image re-binned ≤ 4×/s."""
DENSE_REBIN_INTERVAL_S = 0.25
DEFAULT_SIZE = (900.0, 600.0)

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


def _font(point_size: float = 9.0, bold: bool = False) -> QFont:
    font = QFont()
    font.setPointSizeF(point_size)
    font.setBold(bold)
    return font


def _rgba(color: str, alpha: float = 1.0) -> QColor:
    c = QColor(color)
    c.setAlphaF(alpha)
    return c


class _Text(pg.TextItem):
    """A ``TextItem`` whose anchor is given as a pixel offset from its position (zoom never changes the gap)."""

    def __init__(self, text: str, font: QFont, color: str = TEXT_COLOR, **kwargs):
        super().__init__(text=text, color=color, **kwargs)
        self.textItem.document().setDocumentMargin(1)
        self.setFont(font)
        self._offset = (0.0, 0.0)
        self._frac = (0.0, 0.0)

    def size_px(self) -> tuple[float, float]:
        r = self.textItem.boundingRect()
        return r.width(), r.height()

    def place(self, x: float, y: float, fx: float = 0.0, fy: float = 0.0, dx: float = 0.0, dy: float = 0.0) -> None:
        """Put the point ``(fx, fy)`` of the text box (0…1 fractions) at view point ``(x, y)`` + ``(dx, dy)`` px."""
        self._frac = (fx, fy)
        self._offset = (dx, dy)
        self.setPos(x, y)
        self._update_anchor()

    def _update_anchor(self) -> None:
        w, h = self.size_px()
        fx, fy = self._frac
        dx, dy = self._offset
        self.setAnchor((fx - dx / max(w, 1.0), fy - dy / max(h, 1.0)))

    def set_text(self, text: str) -> None:
        if text != self.toPlainText():
            self.setText(text)
            self._update_anchor()


class _Glyph(_Text):
    """A small clickable "+" / "−" button drawn in the scene."""

    def __init__(self, text: str, tooltip: str, callback, enabled: bool = True):
        super().__init__(
            text,
            _font(10.0, bold=True),
            color=TEXT_COLOR if enabled else MUTED_COLOR,
            border=pg.mkPen("#c4c7ca"),
            fill=pg.mkBrush("#f1f3f4"),
        )
        self.textItem.document().setDocumentMargin(0)
        self._callback = callback
        self._enabled = enabled
        self.setToolTip(tooltip)
        self.setAcceptHoverEvents(True)
        if enabled:
            self.setCursor(Qt.CursorShape.PointingHandCursor)

    def hoverEvent(self, ev) -> None:
        if not self._enabled:
            return
        if ev.isExit():
            self.fill = pg.mkBrush("#f1f3f4")
        else:
            ev.acceptClicks(Qt.MouseButton.LeftButton)
            self.fill = pg.mkBrush("#d7dadd")
        self.update()

    def mouseClickEvent(self, ev) -> None:
        if ev.button() == Qt.MouseButton.LeftButton:
            ev.accept()
            if self._enabled:
                self._callback()


class _SynapseRaster(pg.GraphicsObject):
    """Paints the synapse bins of a dense network from one cached screen-resolution image.

    Rasterising tens of thousands of lines takes tens of milliseconds, and every atlas update repaints the area
    under them. This item draws the (hidden) bin curves into an image only when their data or the view transform
    changed, and otherwise just blits it. (Qt's own item cache re-rasterises per exposed rectangle, which is far
    slower here.)
    """

    CHUNKS = 16

    def __init__(self, bins: list[pg.PlotCurveItem]):
        super().__init__()
        self._bins = bins
        self._rect = QRectF()
        self._image: QImage | None = None
        self._key = None
        self._version = 0

    def set_rect(self, rect: QRectF) -> None:
        self.prepareGeometryChange()
        self._rect = QRectF(rect)
        self.invalidate()

    def invalidate(self) -> None:
        self._version += 1
        self.update()

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(self, p, *_args) -> None:
        device = p.device()
        if device is None or self._rect.isEmpty():
            return
        t = p.deviceTransform()
        dpr = device.devicePixelRatioF()
        area = t.mapRect(self._rect).toAlignedRect()
        # The device transform = world transform × redirection (the viewport's offset inside the window's backing
        # store, and the pixel ratio): map the viewport's own rectangle through the redirection to clip.
        world_inverse, ok = p.worldTransform().inverted()
        redirection = world_inverse * t if ok else QTransform()
        visible = redirection.mapRect(QRectF(0, 0, device.width(), device.height())).toAlignedRect()
        area = area.intersected(visible)
        if area.isEmpty():
            return
        key = (t.m11(), t.m12(), t.m21(), t.m22(), t.dx(), t.dy(), area.x(), area.y(), area.width(), area.height())
        key = (*key, self._version)
        if key != self._key or self._image is None:
            # opaque white like the background: blending into a transparent image is ~15× slower in Qt's raster
            image = QImage(area.width(), area.height(), QImage.Format.Format_RGB32)
            image.fill(QColor("white"))
            image.setDevicePixelRatio(dpr)  # cosmetic pen widths stay in logical pixels, as when drawn directly
            painter = QPainter(image)
            # with a clip set, Qt's raster engine takes a ~25× faster path for thin translucent lines (measured)
            painter.setClipRect(QRectF(0, 0, area.width() / dpr, area.height() / dpr))
            to_logical = QTransform.fromTranslate(-area.x(), -area.y()) * QTransform.fromScale(1 / dpr, 1 / dpr)
            painter.setTransform(t * to_logical)
            # blending depends on drawing order: interleave signs in small chunks so neither colour paints over
            # the other, thin bins first
            n = len(self._bins) // 2
            for b in range(n):
                parts = []
                for item in (self._bins[b], self._bins[n + b]):
                    x, y = item.getData()
                    if x is None or len(x) == 0:
                        continue
                    k = max(1, min(self.CHUNKS, len(x) // 64))
                    bounds = 2 * np.linspace(0, len(x) // 2, k + 1).astype(int)
                    parts.append([(item.opts["pen"], x[i:j], y[i:j]) for i, j in pairwise(bounds)])
                for chunks in zip_longest(*parts):
                    for chunk in chunks:
                        if chunk is not None:
                            pen, x, y = chunk
                            painter.setPen(pen)
                            segments = arrayToLineSegments(x, y, connect="pairs", finiteCheck=False)
                            painter.drawLines(*segments.drawargs())
            painter.end()
            self._image, self._key = image, key
        # Draw back through the inverse of the device transform, not with resetTransform(): when a parent renders
        # this view (QWidget.grab of the main window) the painter carries a redirection offset that
        # resetTransform() would apply twice.
        inverse, ok = t.inverted()
        if ok:
            target = inverse.mapRect(QRectF(area))
            p.drawImage(target, self._image, QRectF(0, 0, self._image.width(), self._image.height()))


class _ValueEditor(QDialog):
    """A small popup at the cursor with one spin box; Enter applies, Escape or a click elsewhere cancels."""

    def __init__(self, title: str, current: float, parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Popup)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        label = QLabel(title)
        layout.addWidget(label)
        self.spin = QDoubleSpinBox()
        self.spin.setDecimals(4)
        self.spin.setRange(-1000.0, 1000.0)
        self.spin.setSingleStep(0.1)
        self.spin.setValue(float(current))
        self.spin.selectAll()
        layout.addWidget(self.spin)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.spin.setFocus()


@dataclass
class _Hit:
    """What is under the cursor: ``kind`` is ``"node"``, ``"bias"`` or ``"synapse"``.

    ``node``/``bias``: ``a`` = column (0 = inputs), ``b`` = unit. ``synapse``: ``a`` = weight layer, ``b`` = source
    unit, ``c`` = target unit.
    """

    kind: str
    a: int
    b: int
    c: int = -1


class _Layout:
    """Geometry of one structure at one widget size: everything per-frame updates need, precomputed."""

    def __init__(
        self,
        sizes: tuple[int, ...],
        width: float,
        height: float,
        left: float,
        right: float,
        top: float,
        label_pitch: tuple[float, float] = (0.0, 0.0),
    ):
        n_cols = len(sizes)
        max_n = max(sizes)
        bottom = 12.0
        avail_w = max(width - left - right, 10.0)
        avail_h = max(height - top - bottom, 10.0)
        # node size: at most MAX_NODE_PX, ≤ 0.75 of the row pitch, ≤ 0.45 of the column pitch
        s = min(MAX_NODE_PX, 0.75 * avail_h / max_n, 0.45 * avail_w / (n_cols - 1 + 0.45))
        self.u = u = max(s / MAX_THUMB_TEXELS, 1.0)
        self.t = t = max(2, round(s / u))
        self.s = s = t * u
        # pitches in whole texels, so nodes sit on the atlas grid and never touch
        row_pitch = max(t + 1, math.floor(min(avail_h / max_n, 1.6 * s) / u))
        # the labelled columns (inputs, outputs) get at least a text line per row if there is room
        pitches = [row_pitch] * n_cols
        for c, need in ((0, label_pitch[0]), (n_cols - 1, label_pitch[1])):
            pitches[c] = max(row_pitch, min(math.floor(avail_h / sizes[c] / u), math.ceil(need / u)))
        col_pitch = max(2 * t, math.floor(min((avail_w - s) / (n_cols - 1), max(4.5 * s, 150.0)) / u))
        net_w = ((n_cols - 1) * col_pitch + t) * u
        net_h = (max_n * row_pitch - (row_pitch - t)) * u
        x_left = left + (avail_w - net_w) / 2
        y_top = top + (avail_h - net_h) / 2
        X0 = round(x_left / u)
        Ymid = round((y_top + net_h / 2) / u)
        self.col_pitch = col_pitch * u
        self.row_pitch = row_pitch * u
        self.col_row_pitch = np.array(pitches) * u
        self.header_y = (Ymid - (max_n * row_pitch - (row_pitch - t)) / 2) * u - 10.0
        self.width, self.height = width, height

        # nodes, in texels: column c, unit k
        self.starts = np.concatenate([[0], np.cumsum(sizes)]).astype(int)
        tx, ty, col = [], [], []
        for c, n in enumerate(sizes):
            col_h = n * pitches[c] - (pitches[c] - t)
            y0 = Ymid - col_h // 2
            tx.append(np.full(n, X0 + c * col_pitch))
            ty.append(y0 + np.arange(n) * pitches[c])
            col.append(np.full(n, c))
        tx = np.concatenate(tx)
        ty = np.concatenate(ty)
        self.col_of = np.concatenate(col)
        self.col_x = (X0 + np.arange(n_cols) * col_pitch) * u
        # bias squares (every non-input node): bt texels, half over the node's lower-left corner
        bt = self.bt = max(2, round(0.26 * t))
        half = bt // 2
        first = sizes[0]
        bx = tx[first:] - bt + half
        by = ty[first:] + t - half
        # atlas covers nodes and biases
        ox = int(min(tx.min(), bx.min()))
        oy = int(min(ty.min(), by.min()))
        aw = int(max(tx.max() + t, (bx + bt).max()) - ox)
        ah = int(max(ty.max() + t, (by + bt).max()) - oy)
        self.atlas_shape = (ah, aw)
        self.atlas_rect = QRectF(ox * u, oy * u, aw * u, ah * u)
        r = np.arange(t)
        rows = (ty - oy)[:, None, None] + r[None, :, None]
        cols = (tx - ox)[:, None, None] + r[None, None, :]
        self.node_dest = (rows * aw + cols).reshape(len(tx), t * t).astype(np.intp)
        rb = np.arange(bt)
        brows = (by - oy)[:, None, None] + rb[None, :, None]
        bcols = (bx - ox)[:, None, None] + rb[None, None, :]
        self.bias_dest = (brows * aw + bcols).reshape(len(bx), bt * bt).astype(np.intp)
        # scene coordinates
        self.node_x = tx * u
        self.node_y = ty * u
        self.bias_x = bx * u
        self.bias_y = by * u
        self.bias_s = bt * u

        # synapses: weight layer l, W[j, k] (row-major), from source's right edge to target's left edge
        xs0, ys0, xs1, ys1 = [], [], [], []
        syn_starts = [0]
        for lay in range(n_cols - 1):
            a, b = self.starts[lay], self.starts[lay + 1]
            c2 = self.starts[lay + 2]
            n_in, n_out = b - a, c2 - b
            xs0.append(np.full(n_in * n_out, self.node_x[a] + s))
            ys0.append(np.repeat(self.node_y[a:b] + s / 2, n_out))
            xs1.append(np.full(n_in * n_out, self.node_x[b]))
            ys1.append(np.tile(self.node_y[b:c2] + s / 2, n_in))
            syn_starts.append(syn_starts[-1] + n_in * n_out)
        self.syn_starts = np.array(syn_starts)
        self.sx0 = np.concatenate(xs0)
        self.sy0 = np.concatenate(ys0)
        self.sx1 = np.concatenate(xs1)
        self.sy1 = np.concatenate(ys1)
        self.pair_x = np.column_stack([self.sx0, self.sx1])
        self.pair_y = np.column_stack([self.sy0, self.sy1])

    @property
    def n_nodes(self) -> int:
        return len(self.node_x)

    def outline_path(self) -> QPainterPath:
        """Outlines of nodes and bias squares (none for tiny nodes, where a frame would hide the map)."""
        path = QPainterPath()
        s, bs = self.s, self.bias_s
        if s < 10:
            return path
        for x, y in zip(self.node_x.tolist(), self.node_y.tolist(), strict=True):
            path.addRect(QRectF(x, y, s, s))
        for x, y in zip(self.bias_x.tolist(), self.bias_y.tolist(), strict=True):
            path.addRect(QRectF(x, y, bs, bs))
        return path


class NetworkView(QWidget):
    """Live diagram of a feed-forward network: thumbnails, synapses, biases, structure glyphs, hover and editing.

    Signals
    -------
    sigNodeHovered(layer, index)
        The hovered neuron changed (``layer`` 0 = inputs, ``i`` = weight layer ``i``'s outputs); ``(-1, -1)``
        when the cursor leaves the neurons.
    sigWeightEdited(layer, i, j, value)
        The user typed a new value for ``weights[layer][i, j]``.
    sigBiasEdited(layer, j, value)
        The user typed a new value for ``biases[layer][j]``.
    sigNeuronCountChangeRequested(hidden_index, delta)
        A "+"/"−" glyph above hidden layer ``hidden_index`` (0-based) was clicked.
    sigLayerCountChangeRequested(delta)
        The "+"/"−" glyph beside the hidden-layer count was clicked.

    The view never changes the network itself; the owner applies the edits and sends a new snapshot.
    """

    sigNodeHovered = pyqtSignal(int, int)
    sigWeightEdited = pyqtSignal(int, int, int, float)
    sigBiasEdited = pyqtSignal(int, int, float)
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

    # ------------------------------------------------------------------ hit testing and hover
    def _hit_test(self, x: float, y: float) -> _Hit | None:
        lay, snap = self._layout, self._snap
        if lay is None:
            return None
        px = self._pixel_size()
        pad = 2.0 * px
        # biases first (they sit over the node's corner)
        bs = lay.bias_s
        inside = (x >= lay.bias_x - pad) & (x <= lay.bias_x + bs + pad) & (y >= lay.bias_y - pad)
        inside &= y <= lay.bias_y + bs + pad
        k = np.flatnonzero(inside)
        if k.size:
            node = int(k[0]) + lay.starts[1]
            c = int(lay.col_of[node])
            return _Hit("bias", c, node - int(lay.starts[c]))
        s = lay.s
        inside = (x >= lay.node_x - pad) & (x <= lay.node_x + s + pad) & (y >= lay.node_y - pad)
        inside &= y <= lay.node_y + s + pad
        k = np.flatnonzero(inside)
        if k.size:
            node = int(k[0])
            c = int(lay.col_of[node])
            return _Hit("node", c, node - int(lay.starts[c]))
        # synapses: only the weight layer whose gap contains x
        col = np.searchsorted(lay.col_x + s, x) - 1
        if not 0 <= col < len(snap.sizes) - 1 or x > lay.col_x[col + 1]:
            return None
        a, b = lay.syn_starts[col], lay.syn_starts[col + 1]
        x0, y0, x1, y1 = lay.sx0[a:b], lay.sy0[a:b], lay.sx1[a:b], lay.sy1[a:b]
        dx, dy = x1 - x0, y1 - y0
        tt = np.clip(((x - x0) * dx + (y - y0) * dy) / (dx * dx + dy * dy), 0.0, 1.0)
        d2 = (x0 + tt * dx - x) ** 2 + (y0 + tt * dy - y) ** 2
        m = int(np.argmin(d2))
        if d2[m] > (5.0 * px) ** 2:
            return None
        n_out = snap.sizes[col + 1]
        return _Hit("synapse", int(col), m // n_out, m % n_out)

    def _pixel_size(self) -> float:
        """View units per screen pixel (1 at fit)."""
        try:
            px = self.vb.viewPixelSize()[0]
        except Exception:  # view not laid out yet
            return 1.0
        return float(px) if np.isfinite(px) and px > 0 else 1.0

    def _hover_at(self, view_point) -> _Hit | None:
        """Handle the cursor at ``view_point`` (QPointF or (x, y) in view coordinates): highlight, tooltip, signal."""
        if self._layout is None:
            return None
        x, y = (view_point.x(), view_point.y()) if hasattr(view_point, "x") else view_point
        hit = self._hit_test(float(x), float(y))
        if hit != self._hover:
            self._hover = hit
            self._mark_hover(hit)
        if hit is None:
            self._hide_tip()
        else:
            self._show_tip(self._tooltip_for(hit))
        return hit

    def _mark_hover(self, hit: _Hit | None) -> None:
        """Outline the hovered node or bias, or darken the hovered synapse; emit the hovered node."""
        lay = self._layout
        if hit is None or hit.kind == "synapse":
            self._hover_rect.hide()
            self._set_hover_node(-1, -1)
        else:
            node = lay.starts[hit.a] + hit.b
            if hit.kind == "node":
                rect = QRectF(lay.node_x[node], lay.node_y[node], lay.s, lay.s)
            else:
                k = node - lay.starts[1]
                rect = QRectF(lay.bias_x[k], lay.bias_y[k], lay.bias_s, lay.bias_s)
            self._hover_rect.setRect(rect)
            self._hover_rect.show()
            self._set_hover_node(hit.a, hit.b)
        if hit is not None and hit.kind == "synapse":
            x0, y0, x1, y1 = self.synapse_segment(hit.a, hit.b, hit.c)
            self._syn_highlight.setData([x0, x1], [y0, y1])
        else:
            self._syn_highlight.setData([], [])

    def _set_hover_node(self, layer: int, index: int) -> None:
        if (layer, index) != self._hover_node:
            self._hover_node = (layer, index)
            self.sigNodeHovered.emit(layer, index)

    def _can_show_tips(self) -> bool:
        # headless platforms have no tooltip windows (and warn when asked to raise one)
        return self.isVisible() and QGuiApplication.platformName() not in ("offscreen", "minimal")

    def _show_tip(self, text: str) -> None:
        self._tip_text = text
        if self._can_show_tips():
            QToolTip.showText(QCursor.pos(), text, self.graphics)

    def _hide_tip(self) -> None:
        if self._tip_text:
            self._tip_text = ""
            if self._can_show_tips():
                QToolTip.hideText()

    def _unit_name(self, layer: int, index: int) -> str:
        snap = self._snap
        if layer == 0:
            name = snap.feature_names[index]
            return LABELS.get(name, name)
        if layer == len(snap.sizes) - 1:
            return "output" if snap.sizes[-1] == 1 else f"output {index + 1}"
        return f"h{layer},{index + 1}"

    def _tooltip_for(self, hit: _Hit) -> str:
        snap = self._snap
        last = len(snap.sizes) - 1
        if hit.kind == "synapse":
            w = float(snap.weights[hit.a][hit.b, hit.c])
            src, dst = self._unit_name(hit.a, hit.b), self._unit_name(hit.a + 1, hit.c)
            return (
                f"w = {w:.4f}  (from {src} to {dst})\n"
                f"contributes w·a to z of {dst}, where a is the activation of {src}\n"
                "click to edit"
            )
        name = self._unit_name(hit.a, hit.b)
        if hit.kind == "bias":
            b = float(snap.biases[hit.a - 1][hit.b])
            return f"b = {b:.4f}  (bias of {name})\nadds b to z = Σ wᵢ·aᵢ + b\nclick to edit"
        if hit.a == 0:
            feature = snap.feature_names[hit.b]
            return f"{name}: input {hit.b + 1} (feature {feature})\nfeeds every neuron of the next layer"
        act = snap.activations[hit.a - 1] if hit.a < last else snap.output
        where = "output layer" if hit.a == last else f"hidden layer {hit.a}"
        b = float(snap.biases[hit.a - 1][hit.b])
        return (
            f"{name}: {where}, neuron {hit.b + 1}\n"
            f"activation {act}: {FORMULAS.get(act, act)}\n"
            f"z = Σ wᵢ·aᵢ + b,   a = {act}(z)\n"
            f"b = {b:.4f}"
        )

    # ------------------------------------------------------------------ clicks and editing
    def _click_at(self, view_point) -> bool:
        """Handle a left click at ``view_point``: edit the synapse or bias there. Returns whether one was hit."""
        if self._layout is None:
            return False
        x, y = (view_point.x(), view_point.y()) if hasattr(view_point, "x") else view_point
        hit = self._hit_test(float(x), float(y))
        if hit is None or hit.kind == "node":
            return False
        snap = self._snap
        if hit.kind == "synapse":
            current = float(snap.weights[hit.a][hit.b, hit.c])
            src, dst = self._unit_name(hit.a, hit.b), self._unit_name(hit.a + 1, hit.c)
            value = self._ask_value(f"Weight from {src} to {dst}", current)
            if value is not None:
                self.sigWeightEdited.emit(hit.a, hit.b, hit.c, float(value))
        else:
            current = float(snap.biases[hit.a - 1][hit.b])
            value = self._ask_value(f"Bias of {self._unit_name(hit.a, hit.b)}", current)
            if value is not None:
                self.sigBiasEdited.emit(hit.a - 1, hit.b, float(value))
        return True

    def _ask_value(self, title: str, current: float) -> float | None:
        """Ask for a new value in a small popup at the cursor; ``None`` if cancelled (tests monkeypatch this)."""
        QToolTip.hideText()
        editor = _ValueEditor(title, current, self)
        editor.adjustSize()
        editor.move(QCursor.pos())
        if editor.exec() == QDialog.DialogCode.Accepted:
            return float(editor.spin.value())
        return None

    # ------------------------------------------------------------------ event handlers
    def _on_mouse_moved(self, scene_pos) -> None:
        if self._layout is None:
            return
        if not self.vb.sceneBoundingRect().contains(scene_pos):
            self._on_leave()
            return
        self._hover_at(self.vb.mapSceneToView(scene_pos))

    def _on_mouse_clicked(self, ev) -> None:
        if ev.isAccepted():  # a glyph took it
            return
        if ev.double():
            self.fit()
            ev.accept()
            return
        if ev.button() != Qt.MouseButton.LeftButton:
            return
        if self._click_at(self.vb.mapSceneToView(ev.scenePos())):
            ev.accept()

    def _on_leave(self) -> None:
        if self._hover is not None:
            self._hover = None
            self._mark_hover(None)
        self._hide_tip()

    def leaveEvent(self, ev) -> None:
        self._on_leave()
        super().leaveEvent(ev)

    def eventFilter(self, obj, ev) -> bool:
        if obj is self.graphics.viewport():
            kind = ev.type()
            if kind == QEvent.Type.MouseMove:
                self._on_mouse_moved(self.graphics.mapToScene(ev.position().toPoint()))
            elif kind == QEvent.Type.Leave:
                self._on_leave()
        return super().eventFilter(obj, ev)

    def _on_view_resized(self, *_args) -> None:
        if self._layout is not None and self._fitted:
            self.fit()
        else:
            self._update_label_visibility()

    def _on_range_changed_manually(self, *_args) -> None:
        self._fitted = False

    def _on_transform_changed(self, *_args) -> None:
        self._update_label_visibility()
        if self._layout is not None:
            self._update_pens(1.0 / self._pixel_size())

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


# ---------------------------------------------------------------------- benchmark
def _bench(hidden=(8, 8, 8, 8, 8, 8), n_features: int = 7, frames: int = 200, size=(900, 600)) -> float:
    """Time :meth:`NetworkView.update_snapshot` and the repaint, with new weights and maps on every frame.

    Forty snapshots, one per training epoch (so every frame changes weights, maps and some synapse bins), are
    drawn in turn, paced at 50 frames/s as the window does. Prints the median update, the median repaint (event
    processing after the update) and the mean and worst GUI work per frame; returns the median update in ms.
    Run ``QT_QPA_PLATFORM=offscreen python -m visualizer.ui.network_view``.
    """
    from PyQt6.QtWidgets import QApplication

    from ..engine.experiment import Config, build
    from ..engine.features import FEATURES

    app = QApplication.instance() or QApplication([])
    exp = build(Config(features=tuple(FEATURES)[:n_features], hidden=tuple(hidden), learning_rate=0.03))
    net = exp.network
    snaps = []
    for i in range(40):
        exp.trainer.run_epoch()
        snaps.append(Snapshot.of(exp, serial=i + 1))
    view = NetworkView()
    view.resize(*size)
    view.show()
    app.processEvents()
    view.update_snapshot(snaps[0])
    app.processEvents()
    updates, paints, totals = [], [], []
    for i in range(frames):
        t0 = time.perf_counter()
        view.update_snapshot(snaps[i % len(snaps)])
        t1 = time.perf_counter()
        app.processEvents()  # the repaint (and the dense re-bin timer) happen here, as in the window
        t2 = time.perf_counter()
        updates.append(t1 - t0)
        paints.append(t2 - t1)
        totals.append(t2 - t0)
        time.sleep(max(0.0, 0.02 - (time.perf_counter() - t0)))
    update_ms = 1000 * float(np.median(updates))
    print(
        f"sizes {list(net.sizes)}: update_snapshot median {update_ms:.2f} ms, "
        f"repaint median {1000 * np.median(paints):.2f} ms, "
        f"all GUI work per frame mean {1000 * np.mean(totals):.2f} ms, max {1000 * np.max(totals):.1f} ms"
    )
    view.close()
    return update_ms


if __name__ == "__main__":
    _bench()
    _bench(hidden=(64,) * 10, n_features=2, frames=100)
