"""The digits panel: test images with the network's predicted probabilities, mistakes first.

For an image data set (the 8×8 handwritten digits: 64 inputs, 10 classes) there is no input plane to map, so
the output panel shows what the network does with real pictures: a grid of test digits, each with a bar per
class (its predicted probability; the true class's bar in green, a wrong winner's in red) and a caption
"true → predicted". The network's mistakes come first (most confident mistakes first), then the right answers
it is least sure of — the interesting ones. Everything is painted by one widget: no per-cell items.

The probabilities come from the snapshot: ``snap.test_probabilities`` (or ``snap.test_probs``), shape
``(n_test, k)``, one row per test row of ``snap.dataset``.

Below the digits, the first hidden layer's incoming weights, one small image per neuron (``snap.weights[0]``
column ``j`` as ``side × side``): blue where ink pushes the neuron up, orange where it pushes it down, full colour
at the layer's largest weight — the strokes each neuron has learned to look for, changing as it learns.
"""

from __future__ import annotations

import math

import numpy as np
from PyQt6.QtCore import QRectF, QSize, Qt
from PyQt6.QtGui import QColor, QFont, QImage, QPainter, QPen
from PyQt6.QtWidgets import QSizePolicy, QWidget

from ..training.snapshot import Snapshot
from . import colors

RIGHT = QColor("#2e7d32")
WRONG = QColor("#c62828")
BAR = QColor("#9e9e9e")


def test_probabilities_of(snap) -> np.ndarray | None:
    """The snapshot's test-set class probabilities ``(n_test, k)``, or None."""
    for name in ("test_probabilities", "test_probs"):
        probs = getattr(snap, name, None)
        if probs is not None:
            break
    ds = getattr(snap, "dataset", None)
    if probs is None or ds is None:
        return None
    probs = np.asarray(probs, dtype=np.float64)
    if probs.ndim != 2 or probs.shape[0] != ds.n_samples - ds.n_train:
        return None
    return np.clip(np.nan_to_num(probs, nan=0.0, posinf=1.0, neginf=0.0), 0.0, 1.0)


def image_side(n_features: int) -> int | None:
    """The side of a square image with ``n_features`` pixels (64 → 8), or None if it is not square."""
    side = round(math.sqrt(n_features))
    return side if side * side == n_features and side >= 2 else None


def mistakes_first(probs: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Indices of the rows ordered: mistakes (most confident first), then right answers (least confident first)."""
    pred = np.argmax(probs, axis=1)
    wrong = pred != y
    p_true = probs[np.arange(len(y)), y]
    p_pred = probs[np.arange(len(y)), pred]
    # mistakes: by the winner's probability, descending; right: by the true class's probability, ascending
    key = np.where(wrong, -p_pred - 2.0, p_true)
    return np.argsort(key, kind="stable")


class DigitsView(QWidget):
    """A grid of test digits with their predicted class probabilities, mistakes first."""

    CELL = QSize(86, 64)
    WEIGHT_PX = 20
    """Side of one neuron's weight image (smaller when the panel is narrow)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(160, 120)
        self.setToolTip("Test digits the network has not trained on, mistakes first (red caption: true → "
                        "predicted).\nBars: the predicted probability of each class 0–9; green = the true class.")
        self._images: np.ndarray | None = None  # (n_test, side, side) uint8 grey, dark ink on white
        self._y: np.ndarray | None = None
        self._probs: np.ndarray | None = None
        self._dataset = None
        self.order: np.ndarray = np.empty(0, dtype=np.int64)
        self.n_wrong = 0
        self.weight_images: np.ndarray | None = None  # (n_hidden, side, side, 4) uint8 RGBA, drawn below the digits

    def update_snapshot(self, snap: Snapshot) -> None:
        ds = snap.dataset
        if ds is None:
            return
        if ds is not self._dataset:
            self._dataset = ds
            side = image_side(ds.n_features)
            X = np.asarray(ds.X_test, dtype=np.float64)
            if side is None or X.shape[0] == 0:
                self._images = None
            else:
                lo, hi = float(np.min(ds.X)), float(np.max(ds.X))
                scaled = (X - lo) / (hi - lo if hi > lo else 1.0)
                self._images = np.ascontiguousarray(
                    (255.0 * (1.0 - scaled)).round().clip(0, 255).astype(np.uint8).reshape(-1, side, side))
            self._y = np.asarray(ds.y_test, dtype=np.int64)
        probs = test_probabilities_of(snap)
        self._probs = probs
        self.weight_images = self._weight_images(snap)
        if probs is None or self._y is None:
            self.order = np.empty(0, dtype=np.int64)
            self.n_wrong = 0
        else:
            self.order = mistakes_first(probs, self._y)
            self.n_wrong = int(np.count_nonzero(np.argmax(probs, axis=1) != self._y))
        self.update()

    @staticmethod
    def _weight_images(snap) -> np.ndarray | None:
        """The first hidden layer's incoming weights as images, RGBA ``(n_hidden, side, side, 4)``, or None."""
        weights = getattr(snap, "weights", None)
        side = image_side(snap.sizes[0]) if getattr(snap, "sizes", None) else None
        if not weights or side is None or len(weights) < 2:
            return None
        w = np.nan_to_num(np.asarray(weights[0], dtype=np.float64), nan=0.0, posinf=1e30, neginf=-1e30)
        peak = float(np.abs(w).max()) if w.size else 0.0
        rgba = colors.colorize_diverging(w.T / (peak if peak > 0 else 1.0))  # (n_hidden, side², 4)
        return np.ascontiguousarray(rgba.reshape(w.shape[1], side, side, 4))

    def _weights_layout(self) -> tuple[int, int, int]:
        """(columns, rows, side in px) of the weight-image grid at the bottom; rows 0 when there is none."""
        if self.weight_images is None:
            return 0, 0, 0
        n = len(self.weight_images)
        px = self.WEIGHT_PX
        cols = max(1, min(n, (self.width() - 8) // (px + 3)))
        if cols < min(n, 8):  # narrow: smaller images rather than many rows
            px = max(12, (self.width() - 8) // min(n, 8) - 3)
            cols = max(1, min(n, (self.width() - 8) // (px + 3)))
        rows = -(-n // cols)
        return cols, rows, px

    def _weights_height(self) -> int:
        _cols, rows, px = self._weights_layout()
        return 0 if rows == 0 else 18 + rows * (px + 3)

    def columns(self) -> int:
        return max(1, self.width() // self.CELL.width())

    def visible_cells(self) -> int:
        """How many digits fit (the header line takes one text row; the weight images keep their room)."""
        rows = max(1, (self.height() - 18 - self._weights_height()) // self.CELL.height())
        return min(len(self.order), rows * self.columns())

    def sizeHint(self) -> QSize:
        return QSize(4 * self.CELL.width(), 3 * self.CELL.height() + 18)

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#ffffff"))
        font = QFont(self.font())
        font.setPointSizeF(max(6.5, font.pointSizeF() * 0.85))
        painter.setFont(font)
        fm = painter.fontMetrics()
        if self._images is None or self._probs is None:
            painter.setPen(QColor("#555"))
            text = ("Test digits appear here with their predicted probabilities." if self._dataset is None
                    or self._images is not None else "No image data (the inputs are not a square image).")
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, text)
            painter.end()
            return
        n = len(self._y)
        painter.setPen(QColor("#333"))
        painter.drawText(QRectF(4, 0, self.width() - 8, 16), Qt.AlignmentFlag.AlignVCenter,
                         f"{self.n_wrong} of {n} test digits wrong ({100.0 * (n - self.n_wrong) / n:.1f} % right) — "
                         "mistakes first")
        cols = self.columns()
        cw, ch = self.CELL.width(), self.CELL.height()
        k = self._probs.shape[1]
        for slot in range(self.visible_cells()):
            i = int(self.order[slot])
            x0, y0 = (slot % cols) * cw, 18 + (slot // cols) * ch
            img = self._images[i]
            side = img.shape[0]
            qimg = QImage(img.data, side, side, side, QImage.Format.Format_Grayscale8)
            pix = 44
            target = QRectF(x0 + 4, y0 + 2, pix, pix)
            painter.drawImage(target, qimg)
            pred = int(np.argmax(self._probs[i]))
            truth = int(self._y[i])
            wrong = pred != truth
            painter.setPen(QPen(WRONG if wrong else QColor("#bbbbbb"), 2 if wrong else 1))
            painter.drawRect(target)
            # one bar per class beside the image
            bx, bw = x0 + 4 + pix + 3, (cw - pix - 12) / max(1, k)
            for c in range(k):
                h = float(self._probs[i, c]) * pix
                colour = RIGHT if c == truth else (WRONG if c == pred else BAR)
                painter.fillRect(QRectF(bx + c * bw, y0 + 2 + pix - h, max(1.0, bw - 0.5), h), colour)
            painter.setPen(WRONG if wrong else RIGHT)
            caption = f"{truth} → {pred}  {100.0 * self._probs[i, pred]:.0f}%" if wrong else (
                f"{truth}  {100.0 * self._probs[i, truth]:.0f}%")
            painter.drawText(QRectF(x0 + 2, y0 + pix + 4, cw - 4, fm.height()), Qt.AlignmentFlag.AlignLeft, caption)
        self._paint_weights(painter)
        painter.end()

    def _paint_weights(self, painter: QPainter) -> None:
        cols, rows, px = self._weights_layout()
        if rows == 0:
            return
        top = self.height() - self._weights_height()
        painter.setPen(QColor("#333"))
        painter.drawText(QRectF(4, top, self.width() - 8, 16), Qt.AlignmentFlag.AlignVCenter,
                         "Hidden neurons' weights — blue: ink raises it, orange: lowers it")
        for k, img in enumerate(self.weight_images):
            side = img.shape[0]
            qimg = QImage(img.data, side, side, 4 * side, QImage.Format.Format_RGBA8888)
            x, y = 4 + (k % cols) * (px + 3), top + 18 + (k // cols) * (px + 3)
            painter.drawImage(QRectF(x, y, px, px), qimg)
