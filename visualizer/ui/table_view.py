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
import time

import numpy as np
from PyQt6.QtCore import Qt
from PyQt6.QtGui import QBrush, QColor
from PyQt6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from ..training.snapshot import Snapshot
from .numbers import format_number

MAX_ROWS = 200
"""Data sets with at most this many rows are shown as a table (larger ones as a map or a slice of one)."""

MAX_RATE = 10.0
"""Refreshes per second while training runs (a table of numbers needs no 60 frames per second)."""

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


def answers(snap) -> list[tuple[str, str, bool | None]]:
    """Per row of the snapshot's data set: the output's text, the verdict's text ("✓"/"✗", or the error for a
    regression) and the verdict (True right, False wrong, None unknown)."""
    ds = snap.dataset
    cls = ds.is_classification
    outputs = predictions_of(snap)
    if outputs is None:
        return [("…", "", None)] * ds.n_samples
    names = ds.class_names
    out = []
    if cls:
        pred_cls = predicted_classes(outputs, getattr(snap, "output", "tanh"))
        for i in range(ds.n_samples):
            k = int(pred_cls[i])
            if k < 0:
                out.append(("NaN", "?", None))
                continue
            if outputs.shape[1] == 1:
                text = f"{names[k]} ({format_number(float(outputs[i, 0]), 3)})"
            else:
                text = f"{names[k]} ({100.0 * float(outputs[i, k]):.0f} %)"
            right = k == int(ds.y[i])
            out.append((text, "✓" if right else "✗", right))
        return out
    y = np.asarray(ds.y, dtype=np.float64)
    scale = max(1e-12, float(np.ptp(y)) if ds.n_samples > 1 else (abs(float(y[0])) or 1.0))
    for i in range(ds.n_samples):
        value = float(outputs[i, 0])
        err = value - float(y[i])
        out.append((format_number(value, 4), format_number(err, 3), abs(err) <= 0.1 * scale if math.isfinite(err)
                    else None))
    return out


def static_columns(ds) -> tuple[list[str], list[list[str]]]:
    """The header and, per row, the texts that do not change while training: set, target, inputs."""
    cls = ds.is_classification
    header = ["set", "target", "output", "correct?" if cls else "error", *ds.feature_names]
    rows = []
    for i in range(ds.n_samples):
        y = ds.y[i]
        rows.append(["train" if i < ds.n_train else "test",
                     ds.class_names[int(y)] if cls else format_number(float(y), 4),
                     *(format_number(float(v), 4) for v in ds.X[i])])
    return header, rows


def table_rows(snap) -> tuple[list[str], list[list[str]], list[bool | None]]:
    """The table's header, its rows as text and each row's verdict (True right, False wrong, None unknown).

    Columns: set (train/test), target, output, "correct?" (classification) or "error" (regression), then one
    per input — the answer first, so that a narrow panel shows it without scrolling.
    """
    header, static = static_columns(snap.dataset)
    rows, verdicts = [], []
    for row, (output, verdict_text, verdict) in zip(static, answers(snap), strict=True):
        rows.append([row[0], row[1], output, verdict_text, *row[2:]])
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
        self._shown: list = []  # per row, the (output, verdict text, verdict) drawn
        self._last_update = 0.0
        self.verdicts: list[bool | None] = []

    def update_snapshot(self, snap: Snapshot) -> None:
        """Show the snapshot's outputs. The inputs, targets and sets are written once per data set; while training
        runs the outputs are refreshed at most MAX_RATE times a second (the final state is always drawn)."""
        ds = snap.dataset
        if ds is None:
            return
        now = time.perf_counter()
        new_data = ds is not self._dataset
        if not new_data and getattr(snap, "running", False) and now - self._last_update < 1.0 / MAX_RATE:
            return
        self._last_update = now
        if new_data:
            self._fill(ds)
        rows = answers(snap)
        shown = self._shown
        for r, answer in enumerate(rows):
            if shown[r] == answer:
                continue
            output, verdict_text, verdict = answer
            brush = NO_BRUSH if verdict is None else (RIGHT_BRUSH if verdict else WRONG_BRUSH)
            for c, text in ((2, output), (3, verdict_text)):
                item = self.table.item(r, c)
                item.setText(text)
                if shown[r] is None or shown[r][2] != verdict:
                    item.setBackground(brush)
            shown[r] = answer
        self.verdicts = [a[2] for a in rows]
        known = [v for v in self.verdicts if v is not None]
        right = sum(known)
        what = "right" if ds.is_classification else "within 10 % of the target range"
        self.caption.setText(f"<b>{ds.name}</b>: {ds.n_samples} rows ({ds.n_train} training), "
                             f"{ds.n_features} input{'s' if ds.n_features != 1 else ''} — "
                             + (f"{right} of {len(known)} {what}" if known else "no output yet"))

    def _fill(self, ds) -> None:
        """A new data set: every cell written once; outputs empty until the first answers."""
        self._dataset = ds
        header, static = static_columns(ds)
        table = self.table
        table.setUpdatesEnabled(False)
        try:
            table.clear()
            table.setRowCount(len(static))
            table.setColumnCount(len(header))
            table.setHorizontalHeaderLabels(header)
            table.setVerticalHeaderLabels([str(i + 1) for i in range(len(static))])
            for r, row in enumerate(static):
                for c, text in enumerate([row[0], row[1], "", "", *row[2:]]):
                    item = QTableWidgetItem(text)
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                    table.setItem(r, c, item)
        finally:
            table.setUpdatesEnabled(True)
        self._shown: list = [None] * len(static)

    def cell_text(self, row: int, column: int) -> str:
        """The text shown in one cell (tests read it)."""
        item = self.table.item(row, column)
        return "" if item is None else item.text()
