"""A vertical colour bar: what the colours of a continuous map (a regression output) mean, with its range.

The bar paints the lookup table it is given from ``low`` (bottom) to ``high`` (top) and labels both ends and the
middle with :func:`~visualizer.ui.numbers.format_number`, so any range (1e-300 … 1e300, NaN) gives short labels.
"""

from __future__ import annotations

import math

import numpy as np
from PyQt6.QtCore import QRectF, QSize, Qt
from PyQt6.QtGui import QColor, QFont, QLinearGradient, QPainter, QPen
from PyQt6.QtWidgets import QSizePolicy, QWidget

from . import colors
from .numbers import format_number


class ColorBar(QWidget):
    """A vertical gradient through ``lut`` labelled with the value of its ends and its middle."""

    BAR_WIDTH = 12

    def __init__(self, lut: np.ndarray = colors.BACKGROUND_LUT, parent: QWidget | None = None):
        super().__init__(parent)
        self._lut = np.asarray(lut)
        self._low, self._high = -1.0, 1.0
        self._title = ""
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)
        self.setMinimumHeight(80)

    def set_range(self, low: float, high: float, title: str = "") -> None:
        """Show the scale from ``low`` (bottom colour) to ``high`` (top colour); ``title`` names the quantity."""
        if (low, high, title) != (self._low, self._high, self._title):
            self._low, self._high, self._title = float(low), float(high), str(title)
            self.setToolTip(f"Colour scale{' of ' + title if title else ''}: {self.labels()[0]} (bottom) … "
                            f"{self.labels()[-1]} (top)")
            self.update()

    def levels(self) -> tuple[float, float]:
        """The range shown: (bottom value, top value)."""
        return self._low, self._high

    def labels(self) -> list[str]:
        """The tick labels, bottom to top."""
        mid = 0.5 * (self._low + self._high) if math.isfinite(self._low + self._high) else math.nan
        return [format_number(v, 3) for v in (self._low, mid, self._high)]

    def sizeHint(self) -> QSize:
        return QSize(self.BAR_WIDTH + 8 + self.fontMetrics().horizontalAdvance("−0.000e+00") // 1, 200)

    def minimumSizeHint(self) -> QSize:
        return QSize(self.sizeHint().width(), 80)

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        font = QFont(self.font())
        font.setPointSizeF(max(6.0, font.pointSizeF() * 0.85))
        painter.setFont(font)
        fm = painter.fontMetrics()
        top, bottom = fm.height() // 2 + 2, self.height() - fm.height() // 2 - 2
        if bottom - top < 10:
            painter.end()
            return
        bar = QRectF(2, top, self.BAR_WIDTH, bottom - top)
        grad = QLinearGradient(0, bottom, 0, top)
        n = len(self._lut)
        for k in range(0, n, max(1, n // 32)):
            r, g, b = (int(c) for c in self._lut[k][:3])
            grad.setColorAt(k / (n - 1), QColor(r, g, b))
        r, g, b = (int(c) for c in self._lut[-1][:3])
        grad.setColorAt(1.0, QColor(r, g, b))
        painter.fillRect(bar, grad)
        painter.setPen(QPen(QColor("#777")))
        painter.drawRect(bar)
        painter.setPen(QColor("#333"))
        x = int(bar.right()) + 4
        for text, y in zip(self.labels(), (bottom, 0.5 * (top + bottom), top), strict=True):
            painter.drawLine(int(bar.right()), int(y), int(bar.right()) + 2, int(y))
            painter.drawText(QRectF(x, y - fm.height() / 2, self.width() - x, fm.height()),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
        painter.end()
