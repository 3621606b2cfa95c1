"""Inside the hidden layers: views of what each layer does, drawn from snapshots with the engine's functions.

* **Transformed space** (a tab beside the loss): the data points and the input plane's grid lines mapped through a
  chosen layer, seen through two of its neurons or its first two principal components
  (:func:`~visualizer.engine.hidden.transformed_space`, ConvNetJS's view for any layer), live;
* **Gradients**: each weight layer's gradient size over the epochs (:attr:`Trainer.grad_history`, log scale) —
  vanishing gradients show as the first layers' curves far below the last ones';
* **Histograms**: each layer's weights and last gradient (``log10 |g|``) on shared bins
  (:func:`~visualizer.engine.hidden.layer_histograms`);
* **First-layer lines** (View menu, a toggle): each first-layer neuron's line ``w·x + b = 0`` on the output map
  (:func:`~visualizer.engine.hidden.first_layer_lines`), for networks whose inputs are X₁ and X₂;
* **dead and saturated neurons** marked on the network view: a red cross over a ReLU unit inactive on every training
  sample, a violet ring around a tanh / sigmoid unit saturated on at least half of them
  (:func:`~visualizer.engine.hidden.neuron_health`).

The snapshot carries copies of the weights, so these are computed in the GUI thread on a copy of the network,
at most :data:`UPDATE_HZ` times a second and only for what is on screen.
"""

from __future__ import annotations

import time

import numpy as np
import pyqtgraph as pg
from PyQt6.QtCore import QObject, QRectF, QSize, QTimer
from PyQt6.QtGui import QAction, QColor, QPainterPath, QPen
from PyQt6.QtWidgets import QComboBox, QGraphicsPathItem, QHBoxLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from ..engine import hidden
from ..engine.data import normalize
from ..engine.features import FEATURES, feature_matrix
from ..engine.network import Network
from . import colors

UPDATE_HZ = 5.0
"""The views and marks follow training at most this often."""
DEAD_COLOR = "#d32f2f"
SATURATED_COLOR = "#8e24aa"
SATURATED_SHARE = 0.5
"""A tanh / sigmoid unit is marked saturated when it is within 1 % of a limit on at least this share of samples."""
LAYER_COLORS = ("#1565c0", "#ef6c00", "#2e7d32", "#6a1b9a", "#c62828", "#00838f", "#5d4037", "#9e9d24",
                "#ad1457", "#37474f", "#283593")


def network_of(snap) -> Network:
    """An engine network with the snapshot's shape and (copied) weights."""
    net = Network(snap.sizes, activation=list(snap.activations) if snap.activations else "tanh",
                  output=snap.output, loss="squared")
    for layer, (w, b) in enumerate(zip(snap.weights, snap.biases, strict=True)):
        net.weights[layer] = w
        net.biases[layer] = b
    return net


class Inputs:
    """The snapshot's data as the network sees it: the plane → features → normalization, as ``build`` does."""

    def __init__(self, snap):
        ds = snap.dataset
        self.plane = (ds is not None and getattr(ds, "domain", None) is not None and ds.n_features == 2
                      and all(f in FEATURES for f in snap.feature_names))
        self.features = tuple(snap.feature_names)
        self.domain = ds.domain if self.plane else None
        X = np.asarray(ds.X, dtype=np.float64)
        F = feature_matrix(X, self.features) if self.plane else X
        self.norm = None
        config = snap.config
        if config is not None and getattr(config, "normalization", None):
            _, self.norm = normalize(F[: ds.n_train], config.normalization)
        self.X = X
        self.F = self.transform(X)
        self.y = np.asarray(ds.y)
        self.n_train = ds.n_train

    def transform(self, P: np.ndarray) -> np.ndarray:
        F = feature_matrix(P, self.features) if self.plane else np.asarray(P, dtype=np.float64)
        if self.norm is not None:
            F = (F - self.norm[0]) / self.norm[1]
        return F


class _SmallView(QWidget):
    """A tab beside the loss that never asks for more room than the loss view: the window's fit to small
    screens stays as it was (a tab widget's minimum is the largest of its pages')."""

    def sizeHint(self) -> QSize:
        return QSize(300, 200)

    def minimumSizeHint(self) -> QSize:
        return QSize(60, 60)


def _small_plot() -> pg.PlotWidget:
    plot = pg.PlotWidget(background="w")
    plot.setMenuEnabled(False)
    plot.hideButtons()
    plot.setMinimumSize(40, 30)
    return plot


def _point_brushes(snap, y) -> list:
    if snap.task == "regression":
        y = np.asarray(y, dtype=np.float64)
        m = float(np.nanmax(np.abs(y))) if y.size else 1.0
        rgba = colors.colorize_diverging(np.clip(y / (m or 1.0), -1, 1))
        return [pg.mkBrush(*c) for c in rgba]
    palette = [pg.mkBrush(colors.class_color(k)) for k in range(len(colors.CLASS_COLORS))]
    return [palette[int(c) % len(palette)] for c in y]


class TransformedSpaceView(_SmallView):
    """Data and grid lines through a layer: choose the layer and two neurons, or principal components."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        row = QHBoxLayout()
        row.addWidget(QLabel("Layer"))
        self.layer = QComboBox()
        self.layer.setMinimumContentsLength(6)
        self.layer.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.layer.setToolTip("The layer whose activations are the coordinates")
        row.addWidget(self.layer)
        self.axes = QComboBox()
        self.axes.addItem("PCA", "pca")
        self.axes.addItem("two neurons", "units")
        self.axes.setToolTip("The first two principal components of the layer's activations, or two of its neurons")
        row.addWidget(self.axes)
        self.unit_a, self.unit_b = QSpinBox(), QSpinBox()
        for box in (self.unit_a, self.unit_b):
            box.setMinimum(1)
            box.setToolTip("Neuron of the layer (1 = top)")
            row.addWidget(box)
        row.addStretch(1)
        lay.addLayout(row)
        self.plot = _small_plot()
        lay.addWidget(self.plot, 1)
        self.lines = pg.PlotCurveItem(pen=pg.mkPen("#9e9e9e", width=1), connect="finite")
        self.plot.addItem(self.lines)
        self.points = pg.ScatterPlotItem(size=5, pen=pg.mkPen("w", width=0.5))
        self.plot.addItem(self.points)
        self.result: hidden.TransformedSpace | None = None
        self._reference = None
        self._sizes = None
        self.owner = None
        for w in (self.layer, self.axes):
            w.currentIndexChanged.connect(self._changed)
        for box in (self.unit_a, self.unit_b):
            box.valueChanged.connect(self._changed)

    def _changed(self, *_args) -> None:
        self._reference = None
        self.unit_a.setEnabled(self.axes.currentData() == "units")
        self.unit_b.setEnabled(self.axes.currentData() == "units")
        if self.owner is not None:
            self.owner.refresh(force=True)

    def _sync_structure(self, sizes) -> None:
        if sizes == self._sizes:
            return
        self._sizes = sizes
        last = len(sizes) - 1
        blocked = [w.blockSignals(True) for w in (self.layer, self.unit_a, self.unit_b)]
        keep = self.layer.currentData()
        self.layer.clear()
        for col in range(1, len(sizes)):
            name = "output" if col == last else f"hidden layer {col}"
            self.layer.addItem(f"{name} ({sizes[col]})", col)
        index = self.layer.findData(keep)
        self.layer.setCurrentIndex(index if index >= 0 else 0)
        for w, b in zip((self.layer, self.unit_a, self.unit_b), blocked, strict=True):
            w.blockSignals(b)
        self._reference = None

    def choose(self, layer: int, units: tuple[int, int] | None = None) -> None:
        """Show ``layer`` (column index) through ``units`` (0-based neurons) or its principal components."""
        self.layer.setCurrentIndex(max(0, self.layer.findData(layer)))
        if units is None:
            self.axes.setCurrentIndex(0)
        else:
            self.axes.setCurrentIndex(1)
            self.unit_a.setValue(units[0] + 1)
            self.unit_b.setValue(units[1] + 1)
        self._changed()

    def draw(self, snap, net: Network, inputs: Inputs) -> None:
        self._sync_structure(tuple(snap.sizes))
        layer = self.layer.currentData()
        if layer is None:
            return
        width = snap.sizes[layer]
        for box in (self.unit_a, self.unit_b):
            box.blockSignals(True)
            box.setMaximum(width)
            box.blockSignals(False)
        units = None
        if self.axes.currentData() == "units":
            units = (min(self.unit_a.value(), width) - 1, min(self.unit_b.value(), width) - 1)
        grid = hidden.grid_lines(inputs.domain) if inputs.plane else None
        with np.errstate(all="ignore"):
            ts = hidden.transformed_space(net, layer, inputs.X, grid, units=units, transform=inputs.transform,
                                          reference=self._reference)
        self._reference = ts.basis
        self.result = ts
        if ts.lines is not None:
            L = ts.lines
            sep = np.full((L.shape[0], 1, 2), np.nan)
            flat = np.concatenate([L, sep], axis=1).reshape(-1, 2)
            self.lines.setData(flat[:, 0], flat[:, 1])
        else:
            self.lines.setData([], [])
        P = ts.points
        keep = np.isfinite(P).all(axis=1)
        self.points.setSize(11 if len(P) <= 50 else 5)  # a table of a few rows: points you can see
        self.points.setData(pos=P[keep], brush=[b for b, k in zip(_point_brushes(snap, inputs.y), keep,
                                                                    strict=True) if k])
        self.plot.setLabel("bottom", ts.axes[0])
        self.plot.setLabel("left", ts.axes[1])


class GradientSizeView(_SmallView):
    """Per weight layer, the gradient's size over the epochs (log scale)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        self.plot = _small_plot()
        self.plot.setLogMode(False, True)
        self.plot.setLabel("bottom", "epoch")
        self.plot.setLabel("left", "‖gradient‖")
        self.plot.getAxis("left").enableAutoSIPrefix(False)
        self.legend = self.plot.addLegend(offset=(-5, 5), labelTextSize="7pt")
        lay.addWidget(self.plot, 1)
        self.curves: list[pg.PlotDataItem] = []

    def draw(self, snap) -> None:
        history = snap.grad_history
        if history is None:
            return
        epochs, norms = history
        n_layers = len(snap.sizes) - 1
        if len(self.curves) != n_layers:
            for c in self.curves:
                self.plot.removeItem(c)
            self.legend.clear()
            self.curves = []
            for layer in range(n_layers):
                name = f"layer {layer + 1}" + (" (→ output)" if layer == n_layers - 1 else "")
                curve = self.plot.plot([], [], pen=pg.mkPen(LAYER_COLORS[layer % len(LAYER_COLORS)], width=1.5),
                                       name=name)
                self.curves.append(curve)
        for layer, curve in enumerate(self.curves):
            if norms.shape[0] and layer < norms.shape[1]:
                y = norms[:, layer]
                ok = np.isfinite(y) & (y > 0)
                curve.setData(epochs[ok].astype(np.float64), y[ok])
            else:
                curve.setData([], [])


class HistogramView(_SmallView):
    """Per layer, histograms of the weights and of the last gradient (``log10 |g|``), on shared bins."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        self.weights_plot = _small_plot()
        self.grads_plot = _small_plot()
        self.weights_plot.setLabel("bottom", "weight")
        self.grads_plot.setLabel("bottom", "log₁₀ |gradient|")
        for p in (self.weights_plot, self.grads_plot):
            p.setLabel("left", "count")
            lay.addWidget(p, 1)
        self.weights: hidden.Histograms | None = None
        self.gradients: hidden.Histograms | None = None

    @staticmethod
    def _draw(plot, hist: hidden.Histograms) -> None:
        plot.clear()
        for layer, counts in enumerate(hist.counts):
            plot.addItem(pg.PlotCurveItem(hist.edges, counts, stepMode="center",
                                          pen=pg.mkPen(LAYER_COLORS[layer % len(LAYER_COLORS)], width=1.5)))

    def draw(self, snap) -> None:
        self.weights = hidden.layer_histograms(list(snap.weights))
        self._draw(self.weights_plot, self.weights)
        if snap.gradients is not None:
            self.gradients = hidden.layer_histograms(list(snap.gradients), log=True)
            self._draw(self.grads_plot, self.gradients)


class HealthMarks:
    """Dead ReLU units (red cross) and saturated tanh / sigmoid units (violet ring) on the network view."""

    def __init__(self, view):
        self.view = view
        self.item = QGraphicsPathItem()
        self.item.setZValue(5.5)
        view.vb.addItem(self.item, ignoreBounds=True)
        self.sat_item = QGraphicsPathItem()
        self.sat_item.setZValue(5.5)
        view.vb.addItem(self.sat_item, ignoreBounds=True)
        for item, color in ((self.item, DEAD_COLOR), (self.sat_item, SATURATED_COLOR)):
            pen = QPen(QColor(color), 2.5)
            pen.setCosmetic(True)
            item.setPen(pen)
        self.health: list[dict] = []
        self._last = None
        self._layout_drawn = None
        view.vb.sigTransformChanged.connect(self._on_transform)

    def _on_transform(self, *_args) -> None:
        if self._last is not None and self.view._layout is not self._layout_drawn:
            self.draw(*self._last)  # a new layout (a resize, another network): the marks move with it

    def draw(self, snap, net: Network, inputs: Inputs) -> None:
        self._last = (snap, net, inputs)
        lay = self._layout_drawn = self.view._layout
        dead_path, sat_path = QPainterPath(), QPainterPath()
        if lay is not None and tuple(getattr(self.view._snap, "sizes", ())) == tuple(snap.sizes):
            with np.errstate(all="ignore"):
                self.health = hidden.neuron_health(net, inputs.F[: inputs.n_train])
            s = lay.s
            for k, h in enumerate(self.health):
                col = k + 1
                for unit in range(len(h["dead"])):
                    node = lay.starts[col] + unit
                    x, y = float(lay.node_x[node]), float(lay.node_y[node])
                    if h["dead"][unit]:
                        dead_path.moveTo(x, y)
                        dead_path.lineTo(x + s, y + s)
                        dead_path.moveTo(x + s, y)
                        dead_path.lineTo(x, y + s)
                    elif h["saturated"][unit] >= SATURATED_SHARE:
                        sat_path.addEllipse(QRectF(x - 6, y - 6, s + 12, s + 12))  # outside a lit frame
        self.item.setPath(dead_path)
        self.sat_item.setPath(sat_path)

    def marked(self) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
        """``(dead, saturated)`` as (column, unit) pairs."""
        dead, sat = [], []
        for k, h in enumerate(self.health):
            dead += [(k + 1, int(u)) for u in np.flatnonzero(h["dead"])]
            sat += [(k + 1, int(u)) for u in np.flatnonzero(~h["dead"] & (h["saturated"] >= SATURATED_SHARE))]
        return dead, sat


class HiddenViews(QObject):
    """The views above, installed in a window; see the module docstring."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.transformed = TransformedSpaceView()
        self.transformed.owner = self
        self.gradients = GradientSizeView()
        self.histograms = HistogramView()
        tabs = window.loss_tabs
        tabs.addTab(self.transformed, "Layers")
        tabs.setTabToolTip(tabs.indexOf(self.transformed),
                           "Transformed space: the data and the input grid through a layer (two neurons or PCA)")
        tabs.addTab(self.gradients, "Gradients")
        tabs.setTabToolTip(tabs.indexOf(self.gradients), "Each layer's gradient size over time (vanishing gradients)")
        tabs.addTab(self.histograms, "Histograms")
        tabs.setTabToolTip(tabs.indexOf(self.histograms), "Each layer's weights and last gradients")
        tabs.currentChanged.connect(lambda _i: self.refresh(force=True))
        self.act_lines = QAction("First-layer lines on the output map", window)
        self.act_lines.setCheckable(True)
        self.act_lines.setToolTip("Draw each first-layer neuron's line w·x + b = 0 on the output map (inputs X₁, X₂)")
        self.act_lines.toggled.connect(lambda _on: self.refresh(force=True))
        for menu_action in window.menuBar().actions():
            if menu_action.menu() is not None and menu_action.text().replace("&", "") == "View":
                menu_action.menu().addSeparator()
                menu_action.menu().addAction(self.act_lines)
        self.lines = pg.PlotCurveItem(pen=pg.mkPen("#212121", width=1.5, style=pg.QtCore.Qt.PenStyle.DashLine),
                                      connect="pairs")
        self.lines.setZValue(12)
        window.boundary_view.plot.addItem(self.lines)
        self.line_segments: list = []
        self.marks = HealthMarks(window.network_view)
        self._last = 0.0
        self._inputs_key = None
        self._inputs: Inputs | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(lambda: self.refresh(force=True))
        window.controller.sigSnapshot.connect(lambda _s: self.refresh())

    def shutdown(self) -> None:
        self._timer.stop()

    def show_for_lesson(self, views) -> None:
        """A lesson's view hints: lines on the map, and which tab to show."""
        views = tuple(views)
        self.act_lines.setChecked("first_layer_lines" in views)
        tabs = self.window.loss_tabs
        for hint, widget in (("grad_norms", self.gradients), ("transformed_space", self.transformed),
                             ("histograms", self.histograms)):
            if hint in views:
                tabs.setCurrentWidget(widget)
                break
        else:
            tabs.setCurrentIndex(0)

    def refresh(self, force: bool = False) -> None:
        """Redraw what is on screen from the newest snapshot (at most :data:`UPDATE_HZ` times a second)."""
        window = self.window
        if getattr(window, "_closing", False):
            return
        snap = window.controller.latest
        if snap is None or snap.dataset is None:
            return
        now = time.perf_counter()
        if not force and now - self._last < 1.0 / UPDATE_HZ:
            if not self._timer.isActive():
                self._timer.start(int(1000 / UPDATE_HZ))
            return
        self._last = now
        try:
            self._draw(snap)
        except (ValueError, IndexError, TypeError, np.linalg.LinAlgError) as err:  # never break the window
            window.statusBar().showMessage(f"Hidden-layer views: {type(err).__name__}: {err}", 5000)

    def inputs(self, snap) -> Inputs:
        key = (id(snap.dataset), snap.feature_names, getattr(snap.config, "normalization", None))
        if key != self._inputs_key:
            self._inputs_key = key
            self._inputs = Inputs(snap)
        return self._inputs

    def _draw(self, snap) -> None:
        current = self.window.loss_tabs.currentWidget()
        net = network_of(snap)
        inputs = self.inputs(snap)
        if current is self.transformed:
            self.transformed.draw(snap, net, inputs)
        elif current is self.gradients:
            self.gradients.draw(snap)
        elif current is self.histograms:
            self.histograms.draw(snap)
        self._draw_lines(snap, net, inputs)
        self.marks.draw(snap, net, inputs)

    def _draw_lines(self, snap, net: Network, inputs: Inputs) -> None:
        self.line_segments = []
        if not self.act_lines.isChecked() or not inputs.plane or set(inputs.features) != {"x1", "x2"}:
            self.lines.setData([], [])
            return
        if inputs.features == ("x2", "x1"):  # the engine's lines are in (x1, x2) order
            net.weights[0] = net.weights[0][::-1].copy()
        norm = inputs.norm
        if norm is not None and inputs.features == ("x2", "x1"):
            norm = (norm[0][::-1], norm[1][::-1])
        segments = hidden.first_layer_lines(net, inputs.domain, norm)
        self.line_segments = segments
        xs, ys = [], []
        for seg in segments:
            if seg is not None:
                (x0, y0), (x1, y1) = seg
                xs += [x0, x1]
                ys += [y0, y1]
        self.lines.setData(np.array(xs, dtype=np.float64), np.array(ys, dtype=np.float64))


def install(window) -> HiddenViews:
    """Add the hidden-layer views to ``window`` (tabs beside the loss, a View-menu toggle, marks)."""
    views = HiddenViews(window)
    window.hidden_views = views
    return views
