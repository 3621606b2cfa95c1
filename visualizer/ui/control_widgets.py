"""What the control panels share: data set and activation titles, the pace ladder, the rejection mark on a
text field, data set thumbnails, the labelled slider and the learning/regularization rate combo box.
"""

from __future__ import annotations

import numpy as np
from PyQt6.QtCore import QSize, Qt, pyqtSignal
from PyQt6.QtGui import QColor, QIcon, QPainter, QPixmap
from PyQt6.QtWidgets import (
    QComboBox,
    QLabel,
    QListWidget,
    QSlider,
    QStyle,
    QWidget,
)

from ..engine.data import CLASSIFICATION_2D, DATASETS, REGRESSION_2D, make_dataset
from . import colors
from .numbers import format_number, parse_number

DATASET_TITLES = {
    "circle": "Circle",
    "xor": "XOR",  # short: three thumbnails side by side on a laptop screen (the tooltip says "Exclusive or")
    "gauss": "Gaussian",
    "spiral": "Spiral",
    "moons": "Two moons",
    "blobs": "Blobs",
    "reg_plane": "Plane",
    "reg_gauss": "Multi-Gaussian",
    # tables and images (not a plane): the second section of the picker
    "xor_gate": "XOR table",
    "and": "AND table",
    "or": "OR table",
    "not": "NOT table",
    "tutorial_000": "Tutorial 000 table",
    "tutorial_003": "Tutorial 003 table",
    "tutorial_004": "Tutorial 004 table",
    "iris": "Iris (4 features, 3 classes)",
    "digits": "Digits (8×8 images, 10 classes)",
}


def other_datasets() -> tuple[str, ...]:
    """The data sets that are not a generated plane (tables, Iris, digits), in the picker's order: the XOR table
    first (the classic), then the gates, the tutorials' tables, Iris and digits."""
    planes = set(CLASSIFICATION_2D) | set(REGRESSION_2D)
    names = [n for n in DATASETS if n not in planes]
    return tuple(sorted(names, key=lambda n: (n != "xor_gate", names.index(n))))

ACTIVATION_TITLES = {
    "tanh": "Tanh",
    "sigmoid": "Sigmoid",
    "relu": "ReLU",
    "leaky_relu": "Leaky ReLU",
    "linear": "Linear",
}

SPEEDS = (("1 epoch/s", 1), ("3 epochs/s", 3), ("10 epochs/s", 10), ("20 epochs/s", 20), ("60 epochs/s", 60),
          ("200 epochs/s", 200), ("As fast as possible", 0))
DEFAULT_SPEED = 20
"""Epochs per second on a first launch: the circle takes about three seconds to resolve, slow enough to watch
(as fast as possible it is solved in a third of a second), and "As fast as possible" is one click away."""

REJECTED_STYLE = "border: 2px solid #d62728;"


def mark_rejected(widget: QWidget, message: str | None, tooltip: str) -> None:
    """Show (``message``) or clear (None) a visible rejection on a text field: red frame and the reason as its
    tooltip; the dynamic property ``rejected`` says which (tests and style sheets read it)."""
    widget.setProperty("rejected", message is not None)
    widget.setStyleSheet(REJECTED_STYLE if message is not None else "")
    widget.setToolTip(f"{message}\n\n{tooltip}" if message is not None else tooltip)


def dataset_icon(name: str, size: int = 56, n_classes: int = 3) -> QIcon:
    """A thumbnail of a data set: its points in their class colours (or target colours for regression)."""
    ds = make_dataset(name, seed=0, n_classes=n_classes)
    pix = QPixmap(size, size)
    pix.fill(QColor("#ffffff"))
    painter = QPainter(pix)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    lo, hi = ds.domain
    X = (np.asarray(ds.X) - lo) / (hi - lo) * (size - 4) + 2
    if ds.task == "regression":
        rgba = colors.colorize_diverging(np.clip(ds.y, -1, 1))
        cols = [QColor(int(r), int(g), int(b)) for r, g, b, _ in rgba]
    else:
        palette = [QColor(c) for c in colors.CLASS_COLORS]
        cols = [palette[int(c) % len(palette)] for c in ds.y]
    step = max(1, len(X) // 250)
    for (x, y), c in zip(X[::step], cols[::step], strict=True):
        painter.setBrush(c)
        painter.drawEllipse(int(x) - 2, int(size - y) - 2, 4, 4)
    painter.setPen(QColor("#bbbbbb"))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRect(0, 0, size - 1, size - 1)
    painter.end()
    return QIcon(pix)


def _labelled_slider(minimum: int, maximum: int, step: int, tooltip: str, suffix: str = "") -> tuple:
    slider = QSlider(Qt.Orientation.Horizontal)
    slider.setRange(minimum, maximum)
    slider.setSingleStep(step)
    slider.setPageStep(step)
    slider.setTickInterval(step)
    slider.setToolTip(tooltip)
    value = QLabel()
    value.setMinimumWidth(44)
    value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    slider.valueChanged.connect(lambda v: value.setText(f"{v}{suffix}"))
    return slider, value


class _ThumbnailList(QListWidget):
    """The data set thumbnails, always three to a row (grid cells share the width), so all six show at once
    even in the narrow data panel of a laptop screen."""

    COLUMNS = 3

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        # the icon layout keeps room for a vertical scroll bar even when none is shown
        room = self.viewport().width() - self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent) - 4
        width = max(56, room // self.COLUMNS)
        if width != self.gridSize().width():
            self.setGridSize(QSize(width, self.gridSize().height()))


def _float_text(value: float) -> str:
    return format_number(value, digits=6)


class _RateCombo(QComboBox):
    """An editable combo box offering a ladder of rates and accepting any number from ``minimum`` to
    ``maximum`` typed as a person types it (decimal point or comma, scientific notation). Anything else is
    refused visibly (red frame, the reason in the tooltip and ``sigRejected``) and the old value is kept."""

    sigValue = pyqtSignal(float)
    sigRejected = pyqtSignal(str)

    def __init__(self, ladder, minimum: float, tooltip: str, name: str, maximum: float = 1e6):
        super().__init__()
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setCompleter(None)  # no inline completion: a typed "0" must not become the ladder's 0.00001
        self._minimum, self._maximum, self._name, self._tip = minimum, maximum, name, tooltip
        for v in ladder:
            self.addItem(_float_text(v), v)
        self.setProperty("rejected", False)
        self.setToolTip(tooltip)
        self.setMinimumContentsLength(7)
        self.activated.connect(self._on_commit)
        self.lineEdit().editingFinished.connect(self._on_commit)
        self._value = float(ladder[0])

    def set_value(self, value: float) -> None:
        self._value = float(value)
        blocked = self.blockSignals(True)
        self.setEditText(_float_text(value))
        self.blockSignals(blocked)
        mark_rejected(self, None, self._tip)

    def value(self) -> float:
        return self._value

    def is_rejected(self) -> bool:
        return bool(self.property("rejected"))

    def _check(self, text: str) -> float:
        value = parse_number(text)
        low = "positive" if self._minimum > 0 else "0 or more"
        if value < self._minimum or (self._minimum == 0 and value < 0) or value > self._maximum:
            raise ValueError(f"{format_number(value)} is out of range: a {self._name} is {low}, "
                             f"at most {format_number(self._maximum)}")
        return value

    def _on_commit(self, *_args) -> None:
        try:
            value = self._check(self.currentText())
        except ValueError as err:
            message = f"{self._name.capitalize()} not changed (still {_float_text(self._value)}): {err}"
            mark_rejected(self, message, self._tip)
            self.sigRejected.emit(message)
            return
        mark_rejected(self, None, self._tip)
        if value != self._value:
            self._value = value
            self.sigValue.emit(value)
