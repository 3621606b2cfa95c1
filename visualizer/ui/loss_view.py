"""Loss and accuracy per epoch.

Two stacked plots share the epoch axis: the loss (training grey, test dark; log scale on a toggle) and the
accuracy (classification) or RMSE (regression). Curves use pyqtgraph's automatic peak downsampling and clip to
the visible range, so drawing stays fast however long the history grows; data are only re-sent when the history
has grown.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PyQt6.QtCore import QSize
from PyQt6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ..training.snapshot import Snapshot

TRAIN_COLOR = "#9a9a9a"
TEST_COLOR = "#1f1f1f"


def _fmt(value: float, percent: bool = False) -> str:
    if not math.isfinite(value):
        return "–"
    return f"{100 * value:.1f} %" if percent else f"{value:.4f}"


class LossView(QWidget):
    """Training and test loss, and accuracy or RMSE, per epoch."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.summary = QLabel("Test loss –   Training loss –")
        self.summary.setToolTip("Loss on the held-out test data and on the training data after the last epoch.")
        self.summary.setStyleSheet("font-size: 11pt; color: #222; padding: 2px 4px;")
        self.graphics = pg.GraphicsLayoutWidget()
        self.graphics.setBackground("w")
        self.loss_plot = self.graphics.addPlot(row=0, col=0)
        self.metric_plot = self.graphics.addPlot(row=1, col=0)
        self.graphics.ci.layout.setRowStretchFactor(0, 3)
        self.graphics.ci.layout.setRowStretchFactor(1, 2)
        self.metric_plot.setXLink(self.loss_plot)
        for plot in (self.loss_plot, self.metric_plot):
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
        self.train_curve = self.loss_plot.plot(pen=pg.mkPen(TRAIN_COLOR, width=2), name="training")
        self.test_curve = self.loss_plot.plot(pen=pg.mkPen(TEST_COLOR, width=2), name="test")
        self.train_metric = self.metric_plot.plot(pen=pg.mkPen(TRAIN_COLOR, width=2))
        self.test_metric = self.metric_plot.plot(pen=pg.mkPen(TEST_COLOR, width=2))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.summary)
        layout.addWidget(self.graphics)
        self.setToolTip("Loss per epoch: training (grey) and test (dark). Below: accuracy or RMSE.")
        self._n = -1
        self._history_id = None
        self._task = None
        self.log_scale = False

    def set_log_scale(self, on: bool) -> None:
        self.log_scale = bool(on)
        self.loss_plot.setLogMode(y=self.log_scale)

    def update_snapshot(self, snap: Snapshot) -> None:
        h = snap.history
        n = len(h.get("train_loss", ()))
        if snap.task != self._task:
            self._task = snap.task
            if snap.task == "regression":
                self.metric_plot.setLabel("left", "RMSE")
                self.metric_plot.enableAutoRange(axis="y")
            else:
                self.metric_plot.setLabel("left", "accuracy")
                self.metric_plot.setYRange(0.0, 1.0, padding=0.02)
        if n == self._n and id(h.get("train_loss")) == self._history_id:
            return
        self._n = n
        self._history_id = id(h.get("train_loss"))
        if n == 0:
            for curve in (self.train_curve, self.test_curve, self.train_metric, self.test_metric):
                curve.setData([], [])
            self.summary.setText("Test loss –   Training loss –")
            return
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
        pct = snap.task == "classification"
        label = "accuracy" if pct else "RMSE"
        self.summary.setText(
            f"Test loss <b>{_fmt(snap.last('test_loss'))}</b> &nbsp; Training loss <b>{_fmt(snap.last('train_loss'))}"
            f"</b> &nbsp; Test {label} <b>{_fmt(snap.last('test_metric'), pct)}</b>"
        )

    def curve_data(self) -> tuple[np.ndarray, np.ndarray]:
        """``(x, y)`` of the training-loss curve as drawn (tests)."""
        return self.train_curve.getData()

    def sizeHint(self) -> QSize:
        return QSize(360, 260)
