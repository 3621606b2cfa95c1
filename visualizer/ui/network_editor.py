"""The small editor that opens on a clicked synapse or bias.

It is a child widget of the network view, not a separate popup window with its own event loop: the window's
shortcuts (Ctrl+Q …) and closing the window keep working while it is open, and closing the window closes it.
Typed text goes through :func:`visualizer.ui.numbers.parse_number` (decimal point or comma, scientific notation);
anything else, or a value beyond ±:data:`MAX_EDIT`, is refused visibly — a red frame and the reason in the editor
— and the old value stays.
"""

from __future__ import annotations

import contextlib
import math

from PyQt6.QtCore import QPoint, Qt, pyqtSignal
from PyQt6.QtWidgets import QApplication, QFrame, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from .numbers import format_number, parse_number

MAX_EDIT = 1000.0
"""Largest magnitude a weight or bias can be set to by hand (a tanh network saturates long before)."""

_REJECTED = "QLineEdit { border: 2px solid #d62728; border-radius: 2px; padding: 1px; }"


class ValueEditor(QFrame):
    """Title, a text field with the current value, OK and Cancel. Enter or OK applies a valid value
    (:attr:`sigValue`, then closes); Escape, Cancel or focus moving elsewhere closes without a change."""

    sigValue = pyqtSignal(float)
    sigClosed = pyqtSignal()

    def __init__(self, title: str, current: float, parent: QWidget):
        super().__init__(parent)
        self.setObjectName("valueEditor")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setStyleSheet("#valueEditor { background: white; border: 1px solid #9aa0a6; border-radius: 3px; }")
        self.current = float(current)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(4)
        layout.addWidget(QLabel(title))
        self.edit = QLineEdit(format_number(self.current, digits=6))
        self.edit.setToolTip(f"A number between −{format_number(MAX_EDIT)} and {format_number(MAX_EDIT)}: "
                             "0.5, 0,5 or 5e-1. Enter applies, Escape cancels.")
        self.edit.selectAll()
        self.edit.returnPressed.connect(self.apply)
        self.edit.textEdited.connect(self._clear_message)
        layout.addWidget(self.edit)
        self.message = QLabel()
        self.message.setStyleSheet("color: #d62728;")
        self.message.setWordWrap(True)
        self.message.hide()
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.ok = QPushButton("OK")
        self.ok.clicked.connect(self.apply)
        self.cancel = QPushButton("Cancel")
        self.cancel.clicked.connect(self.close)
        for b in (self.ok, self.cancel):
            b.setAutoDefault(False)
            buttons.addWidget(b)
        layout.addLayout(buttons)
        self._shown_text = self.edit.text()
        self._closed = False
        QApplication.instance().focusChanged.connect(self._on_focus_changed)

    def open_at(self, pos: QPoint) -> None:
        """Show with the top-left corner at ``pos`` (parent coordinates), kept inside the parent; focus the field."""
        self.adjustSize()
        self.setMinimumWidth(max(self.width(), 220))
        self.adjustSize()
        parent = self.parentWidget()
        x = min(max(0, pos.x()), max(0, parent.width() - self.width()))
        y = min(max(0, pos.y()), max(0, parent.height() - self.height()))
        self.move(x, y)
        self.show()
        self.raise_()
        self.edit.setFocus(Qt.FocusReason.PopupFocusReason)

    def is_rejected(self) -> bool:
        """Whether the last try was refused (the red frame and message are shown)."""
        return not self.message.isHidden()

    def apply(self) -> None:
        text = self.edit.text()
        if text == self._shown_text:  # unchanged: keep the exact value, not its rounded label
            self.close()
            return
        try:
            value = parse_number(text)
        except ValueError as err:
            self._reject(str(err))
            return
        if not math.isfinite(value) or abs(value) > MAX_EDIT:
            self._reject(f"{format_number(value)} is too large: type a value between −{format_number(MAX_EDIT)} "
                         f"and {format_number(MAX_EDIT)}")
            return
        self.sigValue.emit(value)
        self.close()

    def _reject(self, message: str) -> None:
        self.edit.setStyleSheet(_REJECTED)
        self.message.setText(message + " — the value is unchanged.")
        self.message.show()
        self.adjustSize()
        self.edit.setFocus()
        self.edit.selectAll()

    def _clear_message(self, *_args) -> None:
        if not self.message.isHidden():
            self.edit.setStyleSheet("")
            self.message.hide()
            self.adjustSize()

    def keyPressEvent(self, ev) -> None:
        if ev.key() == Qt.Key.Key_Escape:
            ev.accept()
            self.close()
            return
        super().keyPressEvent(ev)

    def _on_focus_changed(self, _old, new) -> None:
        # a click elsewhere (focus leaving the editor) cancels; focus leaving the application does not
        if new is not None and new is not self and not self.isAncestorOf(new):
            self.close()

    def closeEvent(self, ev) -> None:
        if not self._closed:
            self._closed = True
            with contextlib.suppress(TypeError):
                QApplication.instance().focusChanged.disconnect(self._on_focus_changed)
            self.sigClosed.emit()
            self.deleteLater()
        super().closeEvent(ev)
