"""A one-line label that elides what does not fit (…) instead of wrapping onto more lines.

``text()`` is the whole text and the tooltip shows it, so nothing is lost when the panel is narrow.
"""

from __future__ import annotations

from PyQt6.QtCore import Qt
from PyQt6.QtWidgets import QLabel, QSizePolicy, QWidget


class ElidedLabel(QLabel):
    """Plain-text label on one line, elided at the right to its width; ``text()`` returns the full text."""

    def __init__(self, text: str = "", parent: QWidget | None = None, tooltip: str = ""):
        super().__init__(parent)
        self._full = ""
        self._tooltip = tooltip
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(False)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setText(text)

    def text(self) -> str:
        return self._full

    def setText(self, text: str) -> None:
        self._full = text
        self._elide()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        width = max(0, self.contentsRect().width())
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, width) if width else ""
        if shown != super().text():  # unchanged text: no relayout, no repaint (it is set ten times a second)
            super().setText(shown)
        parts = [p for p in (self._full if shown != self._full else "", self._tooltip) if p]
        tip = "\n\n".join(parts)
        if tip != self.toolTip():
            self.setToolTip(tip)
