"""The formula panel of the step-through mode: the formula of the hovered or selected neuron or synapse, with the
step's real numbers substituted.

The texts are the engine's (:mod:`visualizer.engine.stepthrough`'s formula functions on the worker's record); this
panel only chooses which one the stage and the item ask for. For sigmoid units trained on the squared error it adds
tutorial 004's form (``Err_j = O_j(1 − O_j)(T_j − O_j)``, ``W_ij ← W_ij + l·Err_j·O_i``) and how it relates to the
gradient form. For a mini-batch it lists every sample's term and their mean or sum.

The combo box *gradient over the batch* is the real engine setting (``Config.batch_reduction``, live): the trainer
uses it for every step, in and out of the mode.
"""

from __future__ import annotations

from PyQt6.QtCore import Qt
from PyQt6.QtGui import QFont, QFontDatabase
from PyQt6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ..engine import stepthrough
from .stepthrough_mode import STAGES, fits

REDUCTION_CHOICES = (
    ("mean", "mean (Playground, PyTorch)"),
    ("sum", "sum (the tutorials)"),
)


def focus_title(record, focus) -> str:
    """A short name for the item the formula is about."""
    last = len(record.sizes) - 1
    kind = focus[0]

    def unit(col: int, k: int) -> str:
        if col == 0:
            return f"input {k + 1}"
        if col == last:
            return "the output" if record.sizes[-1] == 1 else f"output {k + 1}"
        return f"neuron {k + 1} of hidden layer {col}"

    if kind == "synapse":
        layer, i, j = focus[1:]
        return f"synapse from {unit(layer, i)} to {unit(layer + 1, j)}"
    if kind == "bias":
        return f"bias of {unit(focus[1], focus[2])}"
    return unit(focus[1], focus[2])


def formula_text(record, stage: str, focus) -> str:
    """The engine's formula text for ``focus`` (see :class:`~visualizer.ui.stepthrough_mode.StepThroughMode`) at
    ``stage`` (one of :data:`STAGES`); every sample of a mini-batch and their reduction."""
    sample = None if record.n > 1 else 0
    kind = focus[0]
    parts: list[str] = []
    if kind == "synapse":
        layer, i, j = focus[1:]
        if stage == "Forward":
            parts.append(stepthrough.forward_formula(record, layer, j, sample))
        elif stage == "Loss":
            parts.append(stepthrough.loss_formula(record, None if record.n > 1 else 0))
        elif stage == "Backward":
            parts.append(stepthrough.delta_formula(record, layer, j, sample))
            parts.append(stepthrough.gradient_formula(record, layer, i, j, sample))
        else:
            parts.append(stepthrough.gradient_formula(record, layer, i, j, sample))
            parts.append(stepthrough.update_formula(record, layer, i, j))
        if stage in ("Backward", "Update"):
            parts.append(stepthrough.tutorial_formula(record, layer, j, i, sample))
        return "\n\n".join(p for p in parts if p)
    col, unit = focus[1], focus[2]
    if col == 0:
        values = ", ".join(stepthrough._f(v) for v in record.inputs[:, unit])
        return f"input {unit + 1}: x = {values}\n(not computed: the sample's feature, as the trainer has it)"
    layer = col - 1
    last = col == len(record.sizes) - 1
    if kind == "bias":
        if stage in ("Forward", "Loss"):
            parts.append(stepthrough.forward_formula(record, layer, unit, sample))
        elif stage == "Backward":
            parts.append(stepthrough.gradient_formula(record, layer, None, unit, sample))
        else:
            parts.append(stepthrough.gradient_formula(record, layer, None, unit, sample))
            parts.append(stepthrough.update_formula(record, layer, None, unit))
        return "\n\n".join(p for p in parts if p)
    if stage == "Forward" or (stage == "Loss" and not last):
        parts.append(stepthrough.forward_formula(record, layer, unit, sample))
    elif stage == "Loss":
        parts.append(stepthrough.loss_formula(record, None if record.n > 1 else 0))
    elif stage == "Backward":
        parts.append(stepthrough.delta_formula(record, layer, unit, sample))
        if record.bias:
            parts.append(stepthrough.gradient_formula(record, layer, None, unit, sample))
        parts.append("each synapse into this neuron: ∂L/∂w = δ·out of its source (hover one for its numbers)")
        parts.append(stepthrough.tutorial_formula(record, layer, unit, None, sample))
    else:
        parts.append(stepthrough.update_formula(record, layer, None, unit))
        parts.append(stepthrough.tutorial_formula(record, layer, unit, None, sample))
    return "\n\n".join(p for p in parts if p)


def default_focus(record, stage: str) -> tuple:
    """What the panel explains when nothing is hovered or selected: the first output neuron (its delta in
    Backward), or in Update the first synapse into it."""
    last = len(record.sizes) - 1
    if stage == "Update":
        return ("synapse", last - 1, 0, 0)
    return ("node", last, 0)


class FormulaPanel(QWidget):
    """The panel (in its own dock, shown while the mode is on); see the module docstring."""

    def __init__(self, window, mode):
        super().__init__()
        self.window = window
        self.mode = mode
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(3)
        top = QHBoxLayout()
        self.title = QLabel("Step-through: press T")
        self.title.setStyleSheet("font-weight: bold;")
        self.title.setWordWrap(True)
        self.title.setMinimumWidth(60)
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        top.addWidget(self.title, 1)
        top.addWidget(QLabel("Gradient over the batch:"))
        self.reduction = QComboBox()
        for value, text in REDUCTION_CHOICES:
            self.reduction.addItem(text, value)
        self.reduction.setToolTip(
            "How a mini-batch's gradient combines its samples — a real training setting, used by every step:\n"
            "mean: the average of the samples' gradients (TensorFlow Playground, PyTorch's default);\n"
            "sum: their sum (the tutorials add every row's adjustment, and their learning rates assume it).")
        self.reduction.activated.connect(self._on_reduction)
        top.addWidget(self.reduction)
        layout.addLayout(top)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setStyleHint(QFont.StyleHint.Monospace)
        self.text.setFont(font)
        self.text.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # → and ← keep moving the stages
        layout.addWidget(self.text, 1)

        self.dock = QDockWidget("Formula", window)
        self.dock.setObjectName("formula")
        self.dock.setWidget(self)
        self.dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                              | QDockWidget.DockWidgetFeature.DockWidgetFloatable
                              | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        # under the network only: the side columns keep their full height
        window.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
        window.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.dock)
        self.dock.hide()
        self.setMinimumHeight(90)
        mode.sigChanged.connect(self.refresh)
        mode.sigSelectionChanged.connect(self.refresh)
        window.controller.sigSnapshot.connect(self._sync_reduction)
        self._was_active = False

    # ------------------------------------------------------------------ the engine setting
    def _sync_reduction(self, *_args) -> None:
        value = getattr(self.window.config, "batch_reduction", "mean")
        index = self.reduction.findData(value)
        if index >= 0 and index != self.reduction.currentIndex():
            self.reduction.setCurrentIndex(index)

    def set_reduction(self, value: str) -> None:
        """Choose ``"mean"`` or ``"sum"`` (as the combo box does)."""
        index = self.reduction.findData(value)
        if index >= 0:
            self.reduction.setCurrentIndex(index)
            self._on_reduction(index)

    def _on_reduction(self, index: int) -> None:
        value = self.reduction.itemData(index)
        if value != self.window.config.batch_reduction:
            self.window._on_config_edit({"batch_reduction": value})  # live: the worker applies it between steps

    # ------------------------------------------------------------------ text
    def current_focus(self):
        record = self.mode.record
        if record is None:
            return None
        focus = self.mode.focus
        if focus is None or not self._fits(record, focus):
            focus = default_focus(record, STAGES[self.mode.stage])
        return focus

    @staticmethod
    def _fits(record, focus) -> bool:
        return fits(focus, tuple(record.sizes))

    def refresh(self) -> None:
        mode = self.mode
        if mode.active != self._was_active:
            self._was_active = mode.active
            self.dock.setVisible(mode.active)
            if mode.active:
                self._sync_reduction()
                height = max(120, min(200, self.window.height() // 4))
                self.window.resizeDocks([self.dock], [height], Qt.Orientation.Vertical)
        if not mode.active:
            return
        record = mode.record
        if record is None:
            self.title.setText("Step-through: computing…")
            self.text.setPlainText("")
            return
        stage = STAGES[mode.stage]
        focus = self.current_focus()
        try:
            body = formula_text(record, stage, focus)
        except Exception as err:  # a formula the engine cannot write must not break the window
            body = f"(no formula: {type(err).__name__}: {err})"
        how = "hovered" if mode.hovered is not None else ("selected" if mode.selected is not None else "hover or click")
        self.title.setText(f"{stage}: {focus_title(record, focus)}  ({how})")
        if self.text.toPlainText() != body:
            self.text.setPlainText(body)

    def formula(self) -> str:
        """The text shown now."""
        return self.text.toPlainText()
