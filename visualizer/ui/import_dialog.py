"""File ▸ Import data…: a dialog that previews a CSV file and reads it with the user's choices.

It shows the first rows (a table), and lets the user choose the feature columns (checkable), the label column,
classification or regression, the normalization (none, min-max to [0, 1], standardize) and the share of training
rows. *Import* reads the whole file with :func:`~visualizer.engine.data.read_csv`; a malformed file gets the
reader's message — naming the line and the problem — in red inside the dialog, which stays open, and nothing
else happens: the running session (data, weights, epoch, history) is untouched until a file reads. Then
:attr:`ImportDialog.sigImport` carries the data set and the dialog closes.

Two-feature data get an input plane (a square domain around the points), so the output map, the neuron maps and
the drawing tool work on them as on the generated sets.
"""

from __future__ import annotations

import dataclasses
import math
import os

import numpy as np
from PyQt6.QtCore import Qt, pyqtSignal
from PyQt6.QtGui import QColor
from PyQt6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..engine.data import CSVFormatError, preview_csv, read_csv

PREVIEW_ROWS = 10
ERROR_STYLE = "color: #c62828; font-weight: bold;"
SPLIT_NAME = "split"

NORMALIZATION_CHOICES = (
    ("None (the values as they are)", None),
    ("Min-max to [0, 1]", "minmax"),
    ("Standardize (mean 0, standard deviation 1)", "standard"),
)
TASK_CHOICES = (("Classification", "classification"), ("Regression", "regression"))


def plane_domain(X: np.ndarray) -> tuple[float, float]:
    """A square domain (low, high) for both axes that holds every point of ``X`` (n, 2), with a 5 % margin."""
    lo, hi = float(np.min(X)), float(np.max(X))
    span = hi - lo
    if not (math.isfinite(span) and span > 1e-12 * max(1.0, abs(lo), abs(hi))):
        centre = 0.5 * (lo + hi) if math.isfinite(lo + hi) else 0.0
        return (centre - 1.0, centre + 1.0)
    return (lo - 0.05 * span, hi + 0.05 * span)


def _is_number(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except (TypeError, ValueError):
        return False


class ImportDialog(QDialog):
    """Preview a CSV file and read it with the chosen columns, task and normalization.

    Parameters
    ----------
    path : str
        The file.
    train_fraction : float
        The initial share of training rows (the window passes its own).

    Signals
    -------
    sigImport(Dataset, object)
        The file read with the user's choices, and the normalization chosen (already applied to the data set;
        None for the experiment). Emitted once, as the dialog closes.
    """

    sigImport = pyqtSignal(object, object)

    def __init__(self, path: str, parent: QWidget | None = None, train_fraction: float = 0.5):
        super().__init__(parent)
        self.path = str(path)
        self.dataset = None
        self.preview = None
        self.setWindowTitle(f"Import data — {os.path.basename(self.path)}")
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)

        self.file_label = QLabel(self.path)
        self.file_label.setWordWrap(True)
        self.file_label.setStyleSheet("color: #444;")
        layout.addWidget(self.file_label)

        self.table = QTableWidget()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setToolTip(f"The first {PREVIEW_ROWS} rows of the file.")
        self.table.setMinimumHeight(150)
        layout.addWidget(self.table, 1)

        choices = QHBoxLayout()
        self.features = QListWidget()
        self.features.setToolTip("The input columns: tick the ones the network sees.")
        self.features.setMaximumHeight(150)
        self.features.itemChanged.connect(self._on_choice)
        feature_box = QVBoxLayout()
        feature_box.addWidget(QLabel("Feature columns"))
        feature_box.addWidget(self.features)
        choices.addLayout(feature_box, 1)

        form = QFormLayout()
        self.label_column = QComboBox()
        self.label_column.setToolTip("The column the network learns to predict.")
        self.label_column.currentIndexChanged.connect(self._on_label_column)
        form.addRow("Label column", self.label_column)
        self.task = QComboBox()
        for text, key in TASK_CHOICES:
            self.task.addItem(text, key)
        self.task.setToolTip("Classification: the labels are classes (names or a few whole numbers). "
                             "Regression: the label is a number to predict.")
        self.task.currentIndexChanged.connect(self._on_choice)
        form.addRow("Problem type", self.task)
        self.normalization = QComboBox()
        for text, key in NORMALIZATION_CHOICES:
            self.normalization.addItem(text, key)
        self.normalization.setToolTip("Scale each feature column (fitted on the training rows): min-max maps its "
                                      "range onto [0, 1], standardize gives it mean 0 and standard deviation 1.")
        self.normalization.currentIndexChanged.connect(self._on_choice)
        form.addRow("Normalization", self.normalization)
        self.train_percent = QSpinBox()
        self.train_percent.setRange(10, 100)
        self.train_percent.setSingleStep(10)
        self.train_percent.setSuffix(" %")
        self.train_percent.setValue(max(10, min(100, round(train_fraction * 100))))
        self.train_percent.setToolTip("Share of the (shuffled) rows used for training; the rest is test data. "
                                      "A 'split' column (train/test per row) decides instead.")
        form.addRow("Training data", self.train_percent)
        choices.addLayout(form, 1)
        layout.addLayout(choices)

        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.setProperty("error", False)
        layout.addWidget(self.message)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.addButton("Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setDefault(True)
        self.buttons.accepted.connect(self.read)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        self._updating = False
        self._load_preview()

    # ------------------------------------------------------------------ preview
    def _load_preview(self) -> None:
        try:
            preview = preview_csv(self.path, PREVIEW_ROWS)
        except CSVFormatError as err:
            self.preview = None
            self.import_button.setEnabled(False)
            self.show_error(f"This file cannot be imported: {err}")
            return
        self.preview = preview
        self._updating = True
        try:
            header = list(preview.header)
            self.table.setColumnCount(len(header))
            self.table.setRowCount(len(preview.rows))
            self.table.setHorizontalHeaderLabels(header)
            for i, row in enumerate(preview.rows):
                for j, cell in enumerate(row[: len(header)]):
                    self.table.setItem(i, j, QTableWidgetItem(cell))
            self.table.resizeColumnsToContents()
            numeric = [all(_is_number(row[j]) for row in preview.rows if j < len(row)) for j in range(len(header))]
            self.features.clear()
            self.label_column.clear()
            for j, name in enumerate(header):
                item = QListWidgetItem(name)
                item.setData(Qt.ItemDataRole.UserRole, j)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                is_split = name.strip().casefold() == SPLIT_NAME
                on = numeric[j] and not is_split and j != preview.label_column
                item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
                if is_split:
                    item.setToolTip("The file's train/test split (not a feature).")
                elif not numeric[j]:
                    item.setToolTip("Not numbers in the first rows: this column cannot be a feature.")
                self.features.addItem(item)
                self.label_column.addItem(name, j)
            self.label_column.setCurrentIndex(max(0, preview.label_column))
            self.task.setCurrentIndex(max(0, self.task.findData(preview.task)))
            self.train_percent.setEnabled(not self.has_split_column())
        finally:
            self._updating = False
        self._sync_label_item()
        self._paint_columns()
        if preview.problems:
            self.show_error("As guessed, this file does not read: " + " · ".join(preview.problems)
                            + " — choose other columns, or fix the file.")
        else:
            self.show_info(f"{len(header)} columns. Choose the inputs and the label, then Import.")

    def has_split_column(self) -> bool:
        return self.preview is not None and any(h.strip().casefold() == SPLIT_NAME for h in self.preview.header)

    def _sync_label_item(self) -> None:
        """The label column cannot also be a feature: its item is unticked and disabled."""
        label = self.label_column.currentData()
        self._updating = True
        try:
            for i in range(self.features.count()):
                item = self.features.item(i)
                flags = item.flags()
                if item.data(Qt.ItemDataRole.UserRole) == label:
                    item.setCheckState(Qt.CheckState.Unchecked)
                    item.setFlags(flags & ~Qt.ItemFlag.ItemIsEnabled)
                else:
                    item.setFlags(flags | Qt.ItemFlag.ItemIsEnabled)
        finally:
            self._updating = False

    def _on_label_column(self, _index: int) -> None:
        if self._updating:
            return
        previous = getattr(self, "_label", None)
        self._sync_label_item()
        if previous is not None and previous != self.label_column.currentData():
            # the old label column may be a feature now: tick it if its cells are numbers
            for i in range(self.features.count()):
                item = self.features.item(i)
                if item.data(Qt.ItemDataRole.UserRole) == previous and not item.toolTip():
                    item.setCheckState(Qt.CheckState.Checked)
        self._label = self.label_column.currentData()
        self._on_choice()

    def _on_choice(self, *_args) -> None:
        if not self._updating and self.preview is not None:
            self.show_info("")
            self._paint_columns()

    def _paint_columns(self) -> None:
        """The preview says what each column is: the label column tinted, columns left out greyed."""
        label, features = self.label_column.currentData(), set(self.feature_columns())
        for j in range(self.table.columnCount()):
            background = QColor("#dcebf7") if j == label else QColor(0, 0, 0, 0)
            foreground = QColor("#222") if j == label or j in features else QColor("#aaa")
            for i in range(self.table.rowCount()):
                item = self.table.item(i, j)
                if item is not None:
                    item.setBackground(background)
                    item.setForeground(foreground)

    # ------------------------------------------------------------------ choices
    def feature_columns(self) -> list[int]:
        return [self.features.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.features.count())
                if self.features.item(i).checkState() == Qt.CheckState.Checked]

    def set_feature_columns(self, columns) -> None:
        """Tick exactly ``columns`` (indices) as features (the label column stays unticked)."""
        wanted = set(columns)
        for i in range(self.features.count()):
            item = self.features.item(i)
            j = item.data(Qt.ItemDataRole.UserRole)
            on = j in wanted and j != self.label_column.currentData()
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def chosen_normalization(self) -> str | None:
        return self.normalization.currentData()

    # ------------------------------------------------------------------ messages
    def show_error(self, text: str) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setProperty("error", True)

    def show_info(self, text: str) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #444;")
        self.message.setProperty("error", False)

    def has_error(self) -> bool:
        return bool(self.message.property("error"))

    # ------------------------------------------------------------------ reading
    def read(self) -> bool:
        """Read the whole file with the choices; on success emit :attr:`sigImport` and close (True), else show the
        problem in the dialog and stay open (False). Nothing outside the dialog changes on failure."""
        if self.preview is None:
            return False
        features = self.feature_columns()
        if not features:
            self.show_error("Choose at least one feature column.")
            return False
        try:
            dataset = read_csv(
                self.path,
                label_column=int(self.label_column.currentData()),
                feature_columns=features,
                task=self.task.currentData(),
                normalization=self.chosen_normalization(),
                train_fraction=self.train_percent.value() / 100.0,
                seed=0,
            )
            if dataset.n_train < 1:
                raise CSVFormatError("no training rows: choose a larger share of training data")
            if dataset.n_features == 2:
                dataset = dataclasses.replace(dataset, domain=plane_domain(dataset.X))
        except (CSVFormatError, ValueError) as err:
            self.show_error(f"Not imported: {err}")
            return False
        self.dataset = dataset
        self.show_info(f"Read {dataset.n_samples:,d} rows.")
        self.sigImport.emit(dataset, None)
        self.accept()
        return True


def main(argv: list[str] | None = None) -> int:
    """``python -m visualizer.ui.import_dialog FILE.csv OUT.png``: a PNG of the dialog on FILE.csv (for the README;
    runs without a screen)."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("usage: python -m visualizer.ui.import_dialog FILE.csv OUT.png", file=sys.stderr)
        return 2
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PyQt6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    dialog = ImportDialog(args[0])
    dialog.resize(640, 520)
    dialog.show()
    app.processEvents()
    ok = dialog.grab().save(args[1], "PNG")
    dialog.close()
    if not ok:
        print(f"could not write {args[1]}", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
