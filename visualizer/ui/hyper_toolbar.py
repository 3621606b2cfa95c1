"""The hyperparameter toolbar: learning rate, activation, regularization, batch size, optimizer … and the pace.

See :mod:`visualizer.ui.controls` for how the controls report their edits.
"""

from __future__ import annotations

from PyQt6.QtCore import Qt, pyqtSignal
from PyQt6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..engine.activations import FORMULAS, HIDDEN_ACTIVATIONS
from ..engine.experiment import PLAYGROUND_LEARNING_RATES, PLAYGROUND_REG_RATES, Config
from ..engine.network import INITS
from ..engine.optimizers import OPTIMIZERS
from .control_widgets import (
    ACTIVATION_TITLES,
    DEFAULT_SPEED,
    SPEEDS,
    _RateCombo,
)


class HyperToolbar(QToolBar):
    """Playground's top bar: learning rate, activation, regularization and its rate, plus optimizer,
    initialization, seed and training speed."""

    sigChanged = pyqtSignal(dict)
    sigSpeedChanged = pyqtSignal(float)
    sigRejected = pyqtSignal(str)
    """A typed value was refused (the message says why and what is accepted); the old value is kept."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__("Hyperparameters", parent)
        self.setObjectName("hyperparameters")
        self._updating = False
        self.learning_rate = _RateCombo(PLAYGROUND_LEARNING_RATES, 1e-12,
                                        "Learning rate: step size of gradient descent (applies live). "
                                        "Pick from Playground's ladder or type any positive value, "
                                        "e.g. 0.03, 0,03 or 3e-2.", "learning rate")
        self.learning_rate.sigValue.connect(lambda v: self._emit(learning_rate=v))
        self.learning_rate.sigRejected.connect(self.sigRejected)
        self._add("Learning rate", self.learning_rate)

        self.activation = QComboBox()
        for name in HIDDEN_ACTIVATIONS:
            self.activation.addItem(ACTIVATION_TITLES[name], name)
            self.activation.setItemData(self.activation.count() - 1, FORMULAS[name], Qt.ItemDataRole.ToolTipRole)
        self.activation.setToolTip("Activation function of the hidden neurons (rebuilds the network).")
        self.activation.currentIndexChanged.connect(
            lambda i: self._emit(activation=self.activation.itemData(i)))
        self._add("Activation", self.activation)

        self.regularization = QComboBox()
        for text, key in (("None", "none"), ("L1", "l1"), ("L2", "l2")):
            self.regularization.addItem(text, key)
        self.regularization.setToolTip("Penalty on large weights: L1 = rate·Σ|w|, L2 = rate·½Σw² (applies live; "
                                       "biases are not regularized).")
        self.regularization.currentIndexChanged.connect(
            lambda i: self._emit(regularization=self.regularization.itemData(i)))
        self._add("Regularization", self.regularization)

        self.reg_rate = _RateCombo(PLAYGROUND_REG_RATES, 0.0, "Regularization rate (applies live): 0 or more, "
                                   "e.g. 0.001, 0,001 or 1e-3.", "regularization rate")
        self.reg_rate.sigValue.connect(lambda v: self._emit(reg_rate=v))
        self.reg_rate.sigRejected.connect(self.sigRejected)
        self._add("Regularization rate", self.reg_rate)

        self.optimizer = QComboBox()
        for name, title in (("sgd", "SGD"), ("momentum", "Momentum"), ("adam", "Adam")):
            if name in OPTIMIZERS:
                self.optimizer.addItem(title, name)
        self.optimizer.setToolTip("Update rule: plain gradient descent, with momentum (β = 0.9), or Adam.")
        self.optimizer.currentIndexChanged.connect(lambda i: self._emit(optimizer=self.optimizer.itemData(i)))
        self._add("Optimizer", self.optimizer)

        self.init = QComboBox()
        for name, title in zip(INITS, ("Playground ±0.5", "Uniform ±1", "Xavier", "He"), strict=True):
            self.init.addItem(title, name)
        self.init.setToolTip("Initial weights: Playground's U(−0.5, 0.5) with biases 0.1, the tutorials' "
                             "U(−1, 1), Xavier (Glorot) or He.")
        self.init.currentIndexChanged.connect(lambda i: self._emit(init=self.init.itemData(i)))
        self._add("Init", self.init)

        self.seed = QSpinBox()
        self.seed.setRange(0, 2**31 - 1)
        self.seed.setToolTip("Seed of the initial weights: the same seed gives the same network again.")
        self.seed.editingFinished.connect(lambda: self._emit(seed=int(self.seed.value())))
        self._add("Seed", self.seed)

        # The training pace lives here (sigSpeedChanged) but is shown on the main training toolbar:
        # the window places speed_widget there.
        self.speed = QComboBox()
        for text, value in SPEEDS:
            self.speed.addItem(text, value)
        self.speed.setCurrentIndex(self.speed.findData(DEFAULT_SPEED))
        self.speed.setToolTip("Training pace: epochs per second, slow enough to follow, or as fast as possible.")
        self.full_speed = QToolButton()
        self.full_speed.setText("Full speed")
        self.full_speed.setCheckable(True)
        self.full_speed.setToolTip("Train as fast as possible (click again for the previous pace).")
        self._paced = float(DEFAULT_SPEED)
        self.speed.currentIndexChanged.connect(self._on_speed)
        self.full_speed.toggled.connect(self._on_full_speed)
        self.speed_widget = QWidget()
        row = QHBoxLayout(self.speed_widget)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4)
        row.addWidget(self._captioned("Speed", self.speed))
        row.addWidget(self.full_speed, 0, Qt.AlignmentFlag.AlignBottom)
        self.speed_widget.setToolTip(self.speed.toolTip())

    def speed_value(self) -> float:
        """The chosen pace in epochs per second (0: as fast as possible)."""
        return float(self.speed.currentData())

    def _on_speed(self, index: int) -> None:
        value = float(self.speed.itemData(index))
        if value > 0:
            self._paced = value
        blocked = self.full_speed.blockSignals(True)
        self.full_speed.setChecked(value == 0)
        self.full_speed.blockSignals(blocked)
        self.sigSpeedChanged.emit(value)

    def _on_full_speed(self, on: bool) -> None:
        self.set_speed(0 if on else self._paced)

    @staticmethod
    def _captioned(label: str, widget: QWidget) -> QWidget:
        box = QWidget()
        lay = QVBoxLayout(box)
        lay.setContentsMargins(6, 0, 6, 0)
        lay.setSpacing(1)
        caption = QLabel(label)
        caption.setStyleSheet("color: #555; font-size: 8pt;")
        lay.addWidget(caption)
        lay.addWidget(widget)
        box.setToolTip(widget.toolTip())
        return box

    def _add(self, label: str, widget: QWidget) -> None:
        self.addWidget(self._captioned(label, widget))

    def _emit(self, **changes) -> None:
        if not self._updating:
            self.sigChanged.emit(changes)

    def set_config(self, config: Config) -> None:
        self._updating = True
        try:
            self.learning_rate.set_value(config.learning_rate)
            self.activation.setCurrentIndex(max(0, self.activation.findData(config.activation)))
            self.regularization.setCurrentIndex(max(0, self.regularization.findData(config.regularization)))
            self.reg_rate.set_value(config.reg_rate)
            self.optimizer.setCurrentIndex(max(0, self.optimizer.findData(config.optimizer)))
            self.init.setCurrentIndex(max(0, self.init.findData(config.init)))
            self.seed.setValue(config.seed)
        finally:
            self._updating = False

    def set_speed(self, epochs_per_second: float) -> None:
        """Choose a pace offered by the speed box (others are ignored); emits ``sigSpeedChanged`` if it changes."""
        index = self.speed.findData(epochs_per_second)
        if index >= 0:
            self.speed.setCurrentIndex(index)
