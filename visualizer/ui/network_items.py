"""Graphics items of the network diagram: pixel-anchored text, the clickable +/− glyphs, and the raster item that
draws every synapse bin from one cached image."""

from __future__ import annotations

from itertools import pairwise, zip_longest

import numpy as np
import pyqtgraph as pg
from PyQt6.QtCore import QRectF, Qt
from PyQt6.QtGui import QColor, QFont, QImage, QPainter, QTransform
from pyqtgraph.graphicsItems.PlotCurveItem import arrayToLineSegments

TEXT_COLOR = "#3c4043"
"""Dark grey for captions and labels."""
MUTED_COLOR = "#a0a4a8"
OUTLINE_COLOR = "#9aa0a6"
HOVER_COLOR = "#202124"
DEAD_COLOR = "#80868b"
"""Dead links (L1 carried the weight to exactly 0): thin dashed grey."""

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

    def __init__(self, bins: list[pg.PlotCurveItem], under: list[pg.PlotCurveItem] = ()):
        super().__init__()
        self._bins = bins
        self._under = list(under)  # drawn first, as they are (the dead links)
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
            for item in self._under:
                x, y = item.getData()
                if x is not None and len(x):
                    painter.setPen(item.opts["pen"])
                    painter.drawLines(*arrayToLineSegments(x, y, connect="pairs", finiteCheck=False).drawargs())
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
