"""The table view: every row of a small data set (≤ :data:`MAX_ROWS`) with the network's answer.

For data that is not a 2-D plane — the logic gates, the tutorials' tables, Iris — a map of the input plane would
be a lie, so the output panel shows the data itself: one row per example, its set (training or test), its
inputs, its target, the network's output and whether that is right (classification) or how far off it is
(regression). Wrong rows are tinted red, right ones green.

The network's outputs come from the snapshot: ``snap.predictions``, shape ``(n, n_out)`` (or ``(n,)``), one row
per data-set row in the data set's order (training rows first). With one output unit a class is read as
Playground reads it (tanh/linear > 0, sigmoid > 0.5); with several it is the arg-max, shown with its probability.
"""

from __future__ import annotations

import math

import numpy as np
from PyQt6.QtCore import Qt
from PyQt6.QtGui import QBrush, QColor
from PyQt6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from ..training.snapshot import Snapshot
from .numbers import format_number

MAX_ROWS = 200
"""Data sets with at most this many rows are shown as a table (larger ones as a map or a slice of one)."""

RIGHT_BRUSH = QBrush(QColor("#e3f4e1"))
WRONG_BRUSH = QBrush(QColor("#fbe0de"))
NO_BRUSH = QBrush()


def predictions_of(snap) -> np.ndarray | None:
    """The snapshot's per-row outputs as ``(n, n_out)`` float64, or None if it has none for its data set."""
    pred = getattr(snap, "predictions", None)
    ds = getattr(snap, "dataset", None)
    if pred is None or ds is None:
        return None
    pred = np.asarray(pred, dtype=np.float64)
    if pred.ndim == 1:
        pred = pred[:, None]
    if pred.ndim != 2 or pred.shape[0] != ds.n_samples:
        return None
    return pred


def predicted_classes(outputs: np.ndarray, output_activation: str) -> np.ndarray:
    """The class each row of ``outputs`` ``(n, n_out)`` stands for (NaN rows give -1)."""
    if outputs.shape[1] == 1:
        threshold = 0.5 if output_activation == "sigmoid" else 0.0
        cls = (outputs[:, 0] > threshold).astype(np.int64)
        cls[~np.isfinite(outputs[:, 0])] = -1
        return cls
    finite = np.isfinite(outputs).all(axis=1)
    cls = np.argmax(np.where(np.isfinite(outputs), outputs, -np.inf), axis=1).astype(np.int64)
    cls[~finite] = -1
    return cls


def table_rows(snap) -> tuple[list[str], list[list[str]], list[bool | None]]:
    """The table's header, its rows as text and each row's verdict (True right, False wrong, None unknown).

    Columns: set (train/test), target, output, "correct?" (classification) or "error" (regression), then one
    per input — the answer first, so that a narrow panel shows it without scrolling.
    """
    ds = snap.dataset
    cls = ds.is_classification
    header = ["set", "target", "output", "correct?" if cls else "error", *ds.feature_names]
    outputs = predictions_of(snap)
    output_act = getattr(snap, "output", "tanh")
    names = ds.class_names
    pred_cls = predicted_classes(outputs, output_act) if (cls and outputs is not None) else None
    rows, verdicts = [], []
    for i in range(ds.n_samples):
        row = ["train" if i < ds.n_train else "test"]
        y = ds.y[i]
        row.append(names[int(y)] if cls else format_number(float(y), 4))
        verdict = None
        if outputs is None:
            row += ["…", ""]
        elif cls:
            k = int(pred_cls[i])
            if k < 0:
                row += ["NaN", "?"]
            else:
                if outputs.shape[1] == 1:
                    text = f"{names[k]} ({format_number(float(outputs[i, 0]), 3)})"
                else:
                    text = f"{names[k]} ({100.0 * float(outputs[i, k]):.0f} %)"
                verdict = k == int(y)
                row += [text, "✓" if verdict else "✗"]
        else:
            out = float(outputs[i, 0])
            err = out - float(y)
            row += [format_number(out, 4), format_number(err, 3)]
            if math.isfinite(err):
                scale = max(1e-12, float(np.ptp(ds.y)) if ds.n_samples > 1 else abs(float(y)) or 1.0)
                verdict = abs(err) <= 0.1 * scale
        row += [format_number(float(v), 4) for v in ds.X[i]]
        rows.append(row)
        verdicts.append(verdict)
    return header, rows, verdicts


class TableView(QWidget):
    """Inputs, target, output and verdict of every row of a small data set, updated with each snapshot."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.caption.setStyleSheet("color: #333;")
        self.table = QTableWidget()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.verticalHeader().setDefaultSectionSize(20)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.caption)
        layout.addWidget(self.table, 1)
        self.setToolTip("Every example of the data set: its inputs, the target, the network's output and whether "
                        "it is right.\nGreen: right · red: wrong. Training rows first, then test rows.")
        self._dataset = None
        self._shape: tuple[int, int] | None = None
        self.verdicts: list[bool | None] = []

    def update_snapshot(self, snap: Snapshot) -> None:
        ds = snap.dataset
        if ds is None:
            return
        header, rows, verdicts = table_rows(snap)
        if ds is not self._dataset or self._shape != (len(rows), len(header)):
            self._dataset = ds
            self._shape = (len(rows), len(header))
            self.table.clear()
            self.table.setRowCount(len(rows))
            self.table.setColumnCount(len(header))
            self.table.setHorizontalHeaderLabels(header)
            self.table.setVerticalHeaderLabels([str(i + 1) for i in range(len(rows))])
            for r in range(len(rows)):
                for c in range(len(header)):
                    item = QTableWidgetItem()
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                    self.table.setItem(r, c, item)
        for r, (row, verdict) in enumerate(zip(rows, verdicts, strict=True)):
            brush = NO_BRUSH if verdict is None else (RIGHT_BRUSH if verdict else WRONG_BRUSH)
            for c, text in enumerate(row):
                item = self.table.item(r, c)
                if item.text() != text:
                    item.setText(text)
                if c in (2, 3):  # output and verdict
                    item.setBackground(brush)
        self.verdicts = verdicts
        known = [v for v in verdicts if v is not None]
        right = sum(known)
        what = "right" if ds.is_classification else "within 10 % of the target range"
        self.caption.setText(f"<b>{ds.name}</b>: {ds.n_samples} rows ({ds.n_train} training), "
                             f"{ds.n_features} input{'s' if ds.n_features != 1 else ''} — "
                             + (f"{right} of {len(known)} {what}" if known else "no output yet"))

    def cell_text(self, row: int, column: int) -> str:
        """The text shown in one cell (tests read it)."""
        item = self.table.item(row, column)
        return "" if item is None else item.text()
