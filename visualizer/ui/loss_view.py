"""Loss and accuracy per epoch.

Two stacked plots share the epoch axis: the loss (training grey, test dark; log scale on a toggle) and the
accuracy (classification) or RMSE (regression). Curves use pyqtgraph's automatic peak downsampling and clip to
the visible range, so drawing stays fast however long the history grows; data are only re-sent when the history
has grown.

Performance notes
-----------------
Profiling the live window on Playground's largest network showed the axes, not the curves, dominating a frame:
when the epoch range grows every frame, each axis regenerates its ticks and grid (about 10 ms per frame for the
four axes). So the axes change in steps (1, 2, 5 × 10ⁿ; decades on a log scale) rather than with every value,
and while training runs the view redraws at most
``MAX_RATE`` times a second — a loss curve needs no 60 frames per second; the final state is always drawn.
Curves use 1-px cosmetic pens: Qt's raster engine strokes a 2-px antialiased path of ~1000 points about 5× slower
(3.7 ms vs 0.7 ms for two curves, measured).
"""

from __future__ import annotations

import math
import time

import numpy as np
import pyqtgraph as pg
from PyQt6.QtCore import QSize
from PyQt6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ..training.snapshot import Snapshot

MAX_RATE = 10.0
"""Redraws per second while training runs."""

TRAIN_COLOR = "#8c8c8c"
TEST_COLOR = "#1f1f1f"


def nice_ceiling(n: float) -> float:
    """The smallest of … 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50 … that is ≥ ``n`` (1 for n ≤ 0)."""
    if not n > 0:
        return 1.0
    exponent = 10.0 ** math.floor(math.log10(n))
    for factor in (1.0, 2.0, 5.0, 10.0):
        if factor * exponent >= n:
            return factor * exponent
    return 10.0 * exponent


def _fmt(value: float, percent: bool = False) -> str:
    if not math.isfinite(value):
        return "–"
    return f"{100 * value:.1f} %" if percent else f"{value:.4f}"


def health_text(stats: dict) -> str:
    """One line on the network's health from :meth:`Trainer.statistics` (empty without statistics)."""
    if not stats or not stats.get("grad_norm"):
        return ""
    norms = " · ".join(f"{g:.2g}" for g in stats["grad_norm"])
    parts = [f"Gradient size by layer: {norms}"]
    saturated = stats.get("saturated") or []
    if any(saturated):
        parts.append(f"saturated: up to {100 * max(saturated):.0f} % of a layer")
    dead = stats.get("dead") or []
    if any(dead):
        parts.append(f"dead ReLUs: up to {100 * max(dead):.0f} % of a layer")
    return "   ".join(parts)


class LossView(QWidget):
    """Training and test loss, and accuracy or RMSE, per epoch."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.summary = QLabel("Test loss –   Training loss –")
        self.summary.setToolTip("Loss on the held-out test data and on the training data after the last epoch.")
        self.summary.setStyleSheet("font-size: 11pt; color: #222; padding: 2px 4px;")
        self.health = QLabel("")
        self.health.setWordWrap(True)
        self.health.setStyleSheet("font-size: 9pt; color: #555; padding: 0 4px 2px 4px;")
        self.health.setToolTip(
            "Network health after the last step. Gradient size per weight layer (inputs → output): tiny values\n"
            "in the first layers mean vanishing gradients. Saturated: tanh/sigmoid outputs stuck near their\n"
            "limits, where they learn slowly. Dead: ReLU units that output 0 for every training point."
        )
        self.graphics = pg.GraphicsLayoutWidget()
        self.graphics.setBackground("w")
        self.loss_plot = self.graphics.addPlot(row=0, col=0)
        self.metric_plot = self.graphics.addPlot(row=1, col=0)
        self.graphics.ci.layout.setRowStretchFactor(0, 3)
        self.graphics.ci.layout.setRowStretchFactor(1, 2)
        self.metric_plot.setXLink(self.loss_plot)
        for plot in (self.loss_plot, self.metric_plot):
            plot.disableAutoRange()
            plot.showGrid(x=True, y=True, alpha=0.15)
            plot.setMenuEnabled(False)
            plot.hideButtons()
            plot.setClipToView(True)
            plot.setDownsampling(auto=True, mode="peak")
            for name in ("left", "bottom"):
                plot.getAxis(name).enableAutoSIPrefix(False)
                plot.getAxis(name).setPen(pg.mkPen("#666"))
                plot.getAxis(name).setTextPen(pg.mkPen("#333"))
        self.loss_plot.setLabel("left", "loss")
        self.metric_plot.setLabel("bottom", "epoch")
        self.loss_plot.addLegend(offset=(-10, 10), labelTextColor="#333")
        self.train_curve = self.loss_plot.plot(pen=pg.mkPen(TRAIN_COLOR, width=1), name="training")
        self.test_curve = self.loss_plot.plot(pen=pg.mkPen(TEST_COLOR, width=1), name="test")
        self.train_metric = self.metric_plot.plot(pen=pg.mkPen(TRAIN_COLOR, width=1))
        self.test_metric = self.metric_plot.plot(pen=pg.mkPen(TEST_COLOR, width=1))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.summary)
        layout.addWidget(self.health)
        layout.addWidget(self.graphics)
        self.setToolTip("Loss per epoch: training (grey) and test (dark). Below: accuracy or RMSE.")
        self.loss_plot.setXRange(0, 10, padding=0.02)
        self.loss_plot.setYRange(0, 1, padding=0.02)
        self.metric_plot.setYRange(0, 1, padding=0.02)
        self._n = -1
        self._history_id = None
        self._x_max = 0.0
        self._y_range: tuple | None = None
        self._metric_range: tuple | None = None
        self._drawn_at = 0.0
        self._task = None
        self.log_scale = False

    def set_log_scale(self, on: bool) -> None:
        self.log_scale = bool(on)
        self.loss_plot.setLogMode(y=self.log_scale)
        self._y_range = None
        self._fit_loss_range()

    def _fit_loss_range(self) -> None:
        """Set the loss axis to a stepped range that holds every value (log: whole decades)."""
        values = [c.yData for c in (self.train_curve, self.test_curve) if c.yData is not None and len(c.yData)]
        if not values:
            return
        data = np.concatenate(values)
        data = data[np.isfinite(data)]
        if self.log_scale:
            data = data[data > 0]
            if not len(data):
                return
            lo, hi = math.floor(math.log10(data.min())), math.ceil(math.log10(data.max()))
            new = (lo, max(hi, lo + 1))
        else:
            if not len(data):
                return
            new = (0.0, nice_ceiling(float(data.max()) * 1.05))
        if new != self._y_range:
            self._y_range = new
            self.loss_plot.setYRange(*new, padding=0.02)

    def _fit_metric_range(self, snap: Snapshot) -> None:
        if snap.task == "classification":
            new = (0.0, 1.0)
        else:
            data = np.concatenate([snap.history["train_metric"], snap.history["test_metric"]])
            data = data[np.isfinite(data)]
            top = float(data.max()) if len(data) else 1.0
            new = (0.0, nice_ceiling(top * 1.05))
        if new != self._metric_range:
            self._metric_range = new
            self.metric_plot.setYRange(*new, padding=0.02)

    def update_snapshot(self, snap: Snapshot) -> None:
        h = snap.history
        n = len(h.get("train_loss", ()))
        if snap.task != self._task:
            self._task = snap.task
            self.metric_plot.setLabel("left", "RMSE" if snap.task == "regression" else "accuracy")
            self._metric_range = None
        if n == self._n and id(h.get("train_loss")) == self._history_id:
            return
        now = time.perf_counter()
        if snap.running and n > 0 and self._n > 0 and now - self._drawn_at < 1.0 / MAX_RATE:
            return  # skipped frames are caught up by the next one: the history is cumulative
        self._drawn_at = now
        self._n = n
        self._history_id = id(h.get("train_loss"))
        if n == 0:
            for curve in (self.train_curve, self.test_curve, self.train_metric, self.test_metric):
                curve.setData([], [])
            self._x_max = 0.0
            self._y_range = None
            self.loss_plot.setXRange(0, 10, padding=0.02)
            self.summary.setText("Test loss –   Training loss –")
            return
        x_max = nice_ceiling(max(n, 1))
        if x_max != self._x_max:
            self._x_max = x_max
            self.loss_plot.setXRange(0, x_max, padding=0.02)
        x = np.arange(1, n + 1, dtype=np.float64)
        self.train_curve.setData(x, h["train_loss"])
        test_loss = h["test_loss"]
        if np.isfinite(test_loss).any():
            self.test_curve.setData(x, test_loss)
        else:
            self.test_curve.setData([], [])
        self.train_metric.setData(x, h["train_metric"])
        if np.isfinite(h["test_metric"]).any():
            self.test_metric.setData(x, h["test_metric"])
        else:
            self.test_metric.setData([], [])
        self._fit_loss_range()
        self._fit_metric_range(snap)
        pct = snap.task == "classification"
        label = "accuracy" if pct else "RMSE"
        self.health.setText(health_text(snap.stats))
        self.summary.setText(
            f"Test loss <b>{_fmt(snap.last('test_loss'))}</b> &nbsp; Training loss <b>{_fmt(snap.last('train_loss'))}"
            f"</b> &nbsp; Test {label} <b>{_fmt(snap.last('test_metric'), pct)}</b>"
        )

    def curve_data(self) -> tuple[np.ndarray, np.ndarray]:
        """``(x, y)`` of the training-loss curve as drawn (tests)."""
        return self.train_curve.getData()

    def sizeHint(self) -> QSize:
        return QSize(360, 260)
