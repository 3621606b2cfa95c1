"""The lesson panel: a lesson's short text, its variants, and what the lesson asks to see beside the network.

* every lesson: title, text (the tutorial's own words and numbers), a variant chooser, *Leave lesson (Esc)*;
* McCulloch-Pitts: editable weights and threshold, the live truth table (inputs, weighted sum, output) computed by
  the engine's :func:`~visualizer.engine.mcculloch_pitts.truth_table`, and the threshold line
  ``w₁·x₁ + w₂·x₂ = θ`` drawn on the input square;
* the tutorials' networks: their final outputs in a table beside the tutorial's printed ones.

The panel shows; :class:`~visualizer.ui.lessons_menu.LessonController` sets lessons up and applies the edits.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PyQt6.QtCore import Qt, pyqtSignal
from PyQt6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ..engine.mcculloch_pitts import threshold_line, truth_table
from ..engine.network import Network
from . import colors
from .numbers import format_number


def network_outputs(snap, X) -> np.ndarray:
    """The snapshot's network applied to inputs ``X`` (n, n_in), by the engine's forward pass."""
    net = Network(snap.sizes, activation=list(snap.activations) if snap.activations else "tanh",
                  output=snap.output, loss="squared")
    for layer, (w, b) in enumerate(zip(snap.weights, snap.biases, strict=True)):
        net.weights[layer] = w
        net.biases[layer] = b
    with np.errstate(all="ignore"):
        return net.forward(np.asarray(X, dtype=np.float64))


def _item(text: str, tip: str = "") -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    item.setTextAlignment(int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter))
    if tip:
        item.setToolTip(tip)
    return item


def _table() -> QTableWidget:
    table = QTableWidget()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(20)
    table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return table


class TruthTableEditor(QGroupBox):
    """McCulloch-Pitts unit: weight and threshold boxes, the live truth table and the threshold line.

    Signals
    -------
    sigChanged(weights: tuple, threshold: float)
    """

    sigChanged = pyqtSignal(object, float)

    def __init__(self, parent: QWidget | None = None):
        super().__init__("The unit: fires (1) when Σ wᵢ·xᵢ ≥ θ", parent)
        lay = QVBoxLayout(self)
        self.boxes_row = QGridLayout()
        lay.addLayout(self.boxes_row)
        self.weight_boxes: list[QDoubleSpinBox] = []
        self.threshold_box = self._box(-10.0, 10.0)
        self.threshold_box.setToolTip("Threshold θ: the unit fires when the weighted sum reaches it")
        self.threshold_box.valueChanged.connect(self._on_edit)
        self.table = _table()
        lay.addWidget(self.table)
        self.plot = pg.PlotWidget(background="w")
        self.plot.setAspectLocked(True)
        self.plot.setMouseEnabled(False, False)
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.plot.setFixedHeight(150)
        self.plot.setRange(xRange=(-0.4, 1.4), yRange=(-0.4, 1.4), padding=0)
        self.plot.setToolTip("The input square: corners that fire in blue, silent ones in orange; the line "
                             "w₁·x₁ + w₂·x₂ = θ between them")
        self.points = pg.ScatterPlotItem(size=14, pen=pg.mkPen("#333"))
        self.plot.addItem(self.points)
        self.line = pg.PlotCurveItem(pen=pg.mkPen("#d32f2f", width=2))
        self.plot.addItem(self.line)
        lay.addWidget(self.plot)
        self.note = QLabel()
        self.note.setWordWrap(True)
        lay.addWidget(self.note)
        self._setting = False

    @staticmethod
    def _box(lo: float, hi: float) -> QDoubleSpinBox:
        box = QDoubleSpinBox()
        box.setRange(lo, hi)
        box.setDecimals(2)
        box.setSingleStep(0.1)
        box.setKeyboardTracking(True)
        return box

    def set_unit(self, weights, threshold: float) -> None:
        """Show a unit with ``weights`` and ``threshold`` (no signal)."""
        weights = [float(w) for w in weights]
        self._setting = True
        try:
            while len(self.weight_boxes) > len(weights):
                box = self.weight_boxes.pop()
                box.setParent(None)
                box.deleteLater()
            while len(self.weight_boxes) < len(weights):
                box = self._box(-10.0, 10.0)
                k = len(self.weight_boxes)
                box.setToolTip(f"Weight w{k + 1} of input x{k + 1}")
                box.valueChanged.connect(self._on_edit)
                self.weight_boxes.append(box)
            while self.boxes_row.count():
                widget = self.boxes_row.takeAt(0).widget()
                if isinstance(widget, QLabel):
                    widget.deleteLater()
            for k, box in enumerate(self.weight_boxes):
                self.boxes_row.addWidget(QLabel(f"w{k + 1}"), 0, 2 * k)
                self.boxes_row.addWidget(box, 0, 2 * k + 1)
                box.setValue(weights[k])
            n = len(self.weight_boxes)
            self.boxes_row.addWidget(QLabel("θ"), 0, 2 * n)
            self.boxes_row.addWidget(self.threshold_box, 0, 2 * n + 1)
            self.threshold_box.setValue(float(threshold))
        finally:
            self._setting = False
        self.refresh()

    def weights(self) -> tuple[float, ...]:
        return tuple(box.value() for box in self.weight_boxes)

    def threshold(self) -> float:
        return self.threshold_box.value()

    def _on_edit(self, *_args) -> None:
        if self._setting:
            return
        self.refresh()
        self.sigChanged.emit(self.weights(), self.threshold())

    def refresh(self) -> None:
        """Recompute the truth table and the line from the boxes."""
        w, theta = np.array(self.weights()), self.threshold()
        if w.size == 0:
            return
        tt = truth_table(w, theta)
        d = w.shape[0]
        headers = [f"x{k + 1}" for k in range(d)] + ["Σ wᵢ·xᵢ", "output"]
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setRowCount(len(tt.outputs))
        for r in range(len(tt.outputs)):
            for c in range(d):
                self.table.setItem(r, c, _item(format_number(tt.inputs[r, c])))
            self.table.setItem(r, d, _item(format_number(tt.sums[r]),
                                           f"{format_number(tt.sums[r])} {'≥' if tt.outputs[r] else '<'} θ = "
                                           f"{format_number(theta)}"))
            out = _item(str(int(tt.outputs[r])))
            out.setBackground(pg.mkColor(colors.POSITIVE if tt.outputs[r] else colors.NEGATIVE).lighter(170))
            self.table.setItem(r, d + 1, out)
        self.table.setFixedHeight(self.table.horizontalHeader().height() + 20 * len(tt.outputs) + 6)
        self.outputs = tt.outputs
        self._draw_square(tt, w, theta)

    def _draw_square(self, tt, w: np.ndarray, theta: float) -> None:
        X = tt.inputs if tt.inputs.shape[1] == 2 else np.column_stack([tt.inputs[:, 0], np.zeros(len(tt.inputs))])
        brushes = [pg.mkBrush(colors.POSITIVE if o else colors.NEGATIVE) for o in tt.outputs]
        self.points.setData(pos=X, brush=brushes)
        lo, hi = -0.4, 1.4
        if w.shape[0] == 2:
            segment = threshold_line(w, theta, (lo, hi))  # the engine's w₁·x₁ + w₂·x₂ = θ, clipped to the view
            self.segment = segment
            if segment is None:
                self.line.setData([], [])
            else:
                (x0, y0), (x1, y1) = segment
                self.line.setData([x0, x1], [y0, y1])
        elif abs(w[0]) > 1e-12:  # one input: the threshold x = θ / w on its axis
            x = theta / w[0]
            self.segment = ((x, lo), (x, hi))
            self.line.setData([x, x], [lo, hi])
        else:
            self.segment = None
            self.line.setData([], [])


class LessonPanel(QWidget):
    """The lesson's text, variants and extras; see the module docstring.

    Signals
    -------
    sigVariant(str)
        Another variant was chosen.
    sigLeave()
        *Leave lesson* was clicked.
    """

    sigVariant = pyqtSignal(str)
    sigLeave = pyqtSignal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 4, 6, 4)
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-weight: bold; font-size: 11pt;")
        lay.addWidget(self.title)
        row = QHBoxLayout()
        self.variant_label = QLabel("Variant")
        row.addWidget(self.variant_label)
        self.variants = QComboBox()
        self.variants.activated.connect(lambda i: self.sigVariant.emit(self.variants.itemData(i)))
        row.addWidget(self.variants, 1)
        lay.addLayout(row)
        self.text = QTextBrowser()
        self.text.setOpenExternalLinks(False)
        self.text.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        lay.addWidget(self.text, 2)
        self.unit = TruthTableEditor()
        lay.addWidget(self.unit)
        self.expected_box = QGroupBox("The tutorial's outputs beside the network's")
        exp_lay = QVBoxLayout(self.expected_box)
        self.expected = _table()
        self.expected.setMinimumHeight(120)
        exp_lay.addWidget(self.expected)
        self.expected_note = QLabel()
        self.expected_note.setWordWrap(True)
        exp_lay.addWidget(self.expected_note)
        lay.addWidget(self.expected_box, 1)
        self.leave_button = QPushButton("Leave lesson (Esc)")
        self.leave_button.clicked.connect(self.sigLeave)
        lay.addWidget(self.leave_button)
        self.lesson = None

    def show_lesson(self, lesson, variant: str | None) -> None:
        """Show a resolved lesson (``variant``: the chosen variant's name, or None)."""
        self.lesson = lesson
        self.title.setText(lesson.title)
        paragraphs = [p for p in lesson.text.split("\n\n") if p.strip()]
        tutorial = f"<p style='color:#666'>Tutorial {lesson.tutorial}</p>" if lesson.tutorial else ""
        self.text.setHtml(tutorial + "".join(f"<p>{p}</p>" for p in paragraphs))
        self.variants.clear()
        for v in getattr(lesson, "variants", ()):
            self.variants.addItem(v.title, v.name)
        has_variants = self.variants.count() > 0
        self.variants.setVisible(has_variants)
        self.variant_label.setVisible(has_variants)
        if variant is not None:
            index = self.variants.findData(variant)
            if index >= 0:
                self.variants.setCurrentIndex(index)
        self.unit.setVisible(lesson.mp is not None)
        if lesson.mp is not None:
            self.unit.set_unit(lesson.mp.weights, lesson.mp.threshold)
            self.unit.note.setText(
                "XOR: no weights and threshold make this unit fire on (0, 1) and (1, 0) but not on (0, 0) and "
                "(1, 1) — one straight line cannot separate the two diagonals." if len(lesson.mp.weights) == 2 else
                "NOT: one input; a negative weight and a negative threshold invert it.")
        self.expected_box.setVisible(lesson.expected is not None)
        if lesson.expected is not None:
            self._fill_expected(None)

    def update_snapshot(self, snap) -> None:
        """Fill the network's column of the expected-outputs table from the newest snapshot."""
        if self.lesson is not None and self.lesson.expected is not None and self.isVisible():
            self._fill_expected(snap)

    def _fill_expected(self, snap) -> None:
        exp = self.lesson.expected
        X = np.asarray(exp.inputs, dtype=np.float64)
        want = np.asarray(exp.outputs, dtype=np.float64)
        got = None
        if snap is not None and snap.sizes[0] == X.shape[1] and snap.sizes[-1] == 1:
            got = network_outputs(snap, X)[:, 0]
        headers = ["inputs", "tutorial", "network", "|Δ|"]
        table = self.expected
        table.setColumnCount(len(headers))
        table.setHorizontalHeaderLabels(headers)
        table.setRowCount(len(X))
        for r in range(len(X)):
            table.setItem(r, 0, _item("[" + ", ".join(format_number(v) for v in X[r]) + "]"))
            table.setItem(r, 1, _item(format_number(want[r], 6)))
            table.setItem(r, 2, _item("–" if got is None else format_number(got[r], 6)))
            if got is None:
                table.setItem(r, 3, _item("–"))
            else:
                diff = abs(got[r] - want[r])
                item = _item(format_number(diff, 3) + (" ✓" if diff <= exp.tolerance else ""))
                table.setItem(r, 3, item)
        table.resizeColumnsToContents()
        epoch = "" if snap is None else f" Network after {snap.epoch:,} epochs."
        self.expected_note.setText(f"Tutorial: {exp.source}.{epoch} ✓ = within {format_number(exp.tolerance)}.")
        self.network_column = got

    def expected_cells(self) -> list[list[str]]:
        t = self.expected
        return [[t.item(r, c).text() for c in range(t.columnCount())] for r in range(t.rowCount())]
