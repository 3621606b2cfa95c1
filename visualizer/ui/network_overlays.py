"""Overlays on the network diagram that stay put while the network zooms and pans: the colour legend (bottom-left)
and the "diverged" banner (top).

Both are plain widgets on the graphics view's viewport: they repaint only when their text changes, so they cost
nothing per frame.
"""

from __future__ import annotations

from typing import ClassVar

from PyQt6.QtCore import QPointF, QRectF, Qt
from PyQt6.QtGui import QColor, QLinearGradient, QPainter, QPen
from PyQt6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QSizePolicy, QWidget

from . import colors
from .network_items import DEAD_COLOR, TEXT_COLOR
from .numbers import format_number

DIVERGED_TEXT = (
    "Diverged — weights frozen at the last finite step.\nLower the learning rate, then Reset (R)."
)
LEGEND_MARGIN = 6
"""Pixels between the legend and the view's edges."""


class _Swatch(QWidget):
    """A small drawn sample: the weight colour scale (``"scale"``), line widths (``"width"``), a bias square
    (``"bias"``) or a dead link (``"dead"``)."""

    SIZES: ClassVar[dict[str, tuple[int, int]]] = {
        "scale": (110, 10), "width": (36, 12), "bias": (10, 10), "dead": (28, 10)
    }

    def __init__(self, kind: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.kind = kind
        self.setFixedSize(*self.SIZES[kind])

    def paintEvent(self, _ev) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        w, h = self.width(), self.height()
        if self.kind == "scale":
            g = QLinearGradient(0, 0, w, 0)
            g.setColorAt(0.0, QColor(colors.NEGATIVE))
            g.setColorAt(0.5, QColor(colors.GREY))
            g.setColorAt(1.0, QColor(colors.POSITIVE))
            p.fillRect(QRectF(0, 0, w, h), g)
            p.setPen(QPen(QColor("#9aa0a6"), 1))
            p.drawRect(QRectF(0.5, 0.5, w - 1, h - 1))
        elif self.kind == "width":  # a wedge: thin at |w| = 0, thick at the scale's end
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor(TEXT_COLOR))
            p.drawPolygon(QPointF(0, h / 2), QPointF(w, h / 2 - 2.5), QPointF(w, h / 2 + 2.5))
        elif self.kind == "bias":
            p.fillRect(QRectF(0, 0, w / 2, h), QColor(colors.NEGATIVE))
            p.fillRect(QRectF(w / 2, 0, w / 2, h), QColor(colors.POSITIVE))
            p.setPen(QPen(QColor("#9aa0a6"), 1))
            p.drawRect(QRectF(0.5, 0.5, w - 1, h - 1))
        else:
            pen = QPen(QColor(DEAD_COLOR), 1.2, Qt.PenStyle.DashLine)
            p.setPen(pen)
            p.drawLine(QPointF(0, h / 2), QPointF(w, h / 2))
        p.end()


def _label(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setStyleSheet(f"color: {TEXT_COLOR}; font-size: 8pt; background: transparent;")
    return label


class Legend(QFrame):
    """What the colours and widths mean, with the weight scale's numbers: "weight −2 [orange…grey…blue] +2",
    "width ∝ |w|, thickest at |w| ≥ 2", the bias square and the dead-link style."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("networkLegend")
        self.setStyleSheet("#networkLegend { background: rgba(255, 255, 255, 215); border: 1px solid #dadce0;"
                           " border-radius: 3px; }")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        grid = QGridLayout(self)
        grid.setContentsMargins(6, 3, 6, 3)
        grid.setHorizontalSpacing(5)
        grid.setVerticalSpacing(2)
        self.low, self.high = _label(), _label()
        scale_row = QHBoxLayout()
        scale_row.setSpacing(4)
        scale_row.addWidget(self.low)
        scale_row.addWidget(_Swatch("scale"))
        scale_row.addWidget(self.high)
        scale_row.addStretch(1)
        grid.addWidget(_label("weight"), 0, 0)
        grid.addLayout(scale_row, 0, 1, 1, 3)
        self.width_text = _label()
        grid.addWidget(_Swatch("width"), 1, 0)
        grid.addWidget(self.width_text, 1, 1, 1, 3)
        grid.addWidget(_Swatch("bias"), 2, 0, Qt.AlignmentFlag.AlignCenter)
        grid.addWidget(_label("bias (same colours)"), 2, 1)
        grid.addWidget(_Swatch("dead"), 2, 2)
        grid.addWidget(_label("dead link (L1)"), 2, 3)
        self.setToolTip(
            "Blue: positive weight or bias (pushes towards the blue class), orange: negative.\n"
            "Line width grows with |w| up to the scale's end (Display panel: weight scale).\n"
            "Dashed grey: a link L1 regularization carried to exactly 0 (dead, never updated again)."
        )
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.set_scale(2.0)

    def set_scale(self, max_abs: float) -> None:
        text = format_number(max_abs)
        self.low.setText(f"−{text}")
        self.high.setText(f"+{text}")
        self.width_text.setText(f"line width ∝ |w|, thickest at |w| ≥ {text}")
        self.adjustSize()

    def texts(self) -> list[str]:
        """Every label's text (tests read the scale here)."""
        return [label.text() for label in self.findChildren(QLabel)]

    def place(self, area_w: int, area_h: int) -> None:
        self.adjustSize()
        self.move(LEGEND_MARGIN, max(0, area_h - self.height() - LEGEND_MARGIN))


class DivergedBanner(QLabel):
    """A red banner at the top of the view while the snapshot says training diverged."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(DIVERGED_TEXT, parent)
        self.setObjectName("divergedBanner")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self.setStyleSheet("#divergedBanner { background: rgba(214, 39, 40, 235); color: white; font-weight: bold;"
                           " padding: 6px 10px; border-radius: 4px; }")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.hide()

    def place(self, area_w: int, area_h: int, legend) -> None:
        """In the bottom strip kept free for the legend, right of it if there is room, else just above it: the
        network, its glyphs and captions stay visible."""
        room = area_w - legend.right() - 2 * LEGEND_MARGIN
        width = max(120, min(room if room >= 300 else area_w - 2 * LEGEND_MARGIN, 520))
        self.setFixedWidth(width)
        self.adjustSize()
        if room >= 300:
            x = legend.right() + LEGEND_MARGIN + (room - width) // 2
            y = area_h - self.height() - LEGEND_MARGIN
        else:
            x = (area_w - width) // 2
            y = legend.top() - self.height() - LEGEND_MARGIN
        self.move(max(0, x), max(0, y))
