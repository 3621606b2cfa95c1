"""The confusion matrix of a classification: how many test examples of each class went to each class.

Rows are the true classes, columns the predicted ones (the diagonal is right); the last column is each class's
recall (its diagonal count over its row total). Cells are shaded by their share of the row, in the class colour
on the diagonal and red off it, so the mistakes a network makes stand out. The counts come from the snapshot:
``snap.confusion`` (or ``snap.stats["confusion"]``), a ``(k, k)`` integer array, true class × predicted class,
counted on the test set (the training set when there is no test set).
"""

from __future__ import annotations

import time

import numpy as np
from PyQt6.QtCore import Qt
from PyQt6.QtGui import QBrush, QColor
from PyQt6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from . import colors
from .numbers import format_number

MAX_RATE = 10.0
"""Refreshes per second while training runs."""


def confusion_of(snap) -> np.ndarray | None:
    """The snapshot's confusion matrix ``(k, k)`` (true × predicted), or None."""
    matrix = getattr(snap, "confusion", None)
    if matrix is None:
        stats = getattr(snap, "stats", None) or {}
        matrix = stats.get("confusion")
    if matrix is None:
        return None
    matrix = np.asarray(matrix)
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1] or matrix.shape[0] < 2:
        return None
    return np.nan_to_num(matrix.astype(np.float64), nan=0.0, posinf=0.0, neginf=0.0)


def recall(matrix: np.ndarray) -> np.ndarray:
    """Per-class recall (diagonal over row total); NaN for a class with no examples."""
    totals = matrix.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(totals > 0, np.diag(matrix) / np.where(totals > 0, totals, 1.0), np.nan)


def _mix(color: str, share: float) -> QColor:
    r, g, b = colors.hex_to_rgb(colors.lighten(color, 1.0 - 0.75 * float(np.clip(share, 0.0, 1.0))))
    return QColor(r, g, b)


class ConfusionView(QWidget):
    """Counts per (true class, predicted class) and per-class recall, for a classification."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.caption = QLabel("Confusion matrix: a classification's test examples by true and predicted class.")
        self.caption.setWordWrap(True)
        self.caption.setStyleSheet("color: #333;")
        self.table = QTableWidget()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        for header in (self.table.horizontalHeader(), self.table.verticalHeader()):
            header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
            header.setMinimumSectionSize(18)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.caption)
        layout.addWidget(self.table, 1)
        self.setToolTip("Rows: the true class · columns: the class the network predicts · last column: recall "
                        "(the share of each class found).\nThe diagonal counts right answers.")
        self.matrix: np.ndarray | None = None
        self._names: tuple[str, ...] = ()
        self._split = "test"
        self._dataset = None
        self._last_update = 0.0

    def update_snapshot(self, snap) -> None:
        """Show the snapshot's counts: only when they changed, and while training runs at most MAX_RATE times a
        second (the final state is always drawn)."""
        now = time.perf_counter()
        if getattr(snap, "running", False) and now - self._last_update < 1.0 / MAX_RATE:
            return
        matrix = confusion_of(snap)
        split = getattr(snap, "eval_split", "test")
        if (matrix is not None and self.matrix is not None and matrix.shape == self.matrix.shape
                and np.array_equal(matrix, self.matrix) and split == self._split
                and getattr(snap, "dataset", None) is self._dataset):
            return
        self._last_update = now
        self._split, self._dataset = split, getattr(snap, "dataset", None)
        self.matrix = matrix
        if matrix is None:
            if self.table.rowCount():
                self.table.setRowCount(0)
                self.table.setColumnCount(0)
            task = getattr(snap, "task", "classification")
            self.caption.setText("No confusion matrix: this is a regression." if task == "regression"
                                 else "Confusion matrix: waiting for the first evaluation.")
            return
        k = matrix.shape[0]
        ds = getattr(snap, "dataset", None)
        names = tuple(ds.class_names) if ds is not None and len(ds.class_names) == k else tuple(
            str(i + 1) for i in range(k))
        if names != self._names or self.table.rowCount() != k:
            self._names = names
            self.table.clear()
            self.table.setRowCount(k)
            self.table.setColumnCount(k + 1)
            short = [n if len(n) <= 8 else n[:7] + "…" for n in names]
            self.table.setHorizontalHeaderLabels([*short, "recall"])
            self.table.setVerticalHeaderLabels(short)
            for r in range(k):
                self.table.verticalHeaderItem(r).setForeground(QBrush(QColor(colors.class_color(r))))
                self.table.verticalHeaderItem(r).setToolTip(f"true class {names[r]}")
                for c in range(k + 1):
                    item = QTableWidgetItem()
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                    self.table.setItem(r, c, item)
        totals = matrix.sum(axis=1)
        rec = recall(matrix)
        for r in range(k):
            for c in range(k):
                count = matrix[r, c]
                item = self.table.item(r, c)
                item.setText(f"{round(count):d}")
                share = count / totals[r] if totals[r] > 0 else 0.0
                item.setBackground(_mix(colors.class_color(r) if r == c else "#d62728", share))
                item.setToolTip(f"{round(count)} examples of {names[r]} predicted as {names[c]}")
            item = self.table.item(r, k)
            item.setText("—" if np.isnan(rec[r]) else f"{100.0 * rec[r]:.0f} %")
        total = matrix.sum()
        accuracy = np.trace(matrix) / total if total > 0 else float("nan")
        split = "training" if split == "train" else "test"
        self.caption.setText(f"{int(total)} {split} examples · accuracy {format_number(100.0 * accuracy, 3)} % · "
                             "rows: true class, columns: predicted")

    def cell_text(self, row: int, column: int) -> str:
        """The text of one cell (``column == k`` is the recall)."""
        item = self.table.item(row, column)
        return "" if item is None else item.text()
