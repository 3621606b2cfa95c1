"""The controls: data and features (a side panel), hyperparameters (a toolbar), display options.

Every control edits one or more :class:`~visualizer.engine.experiment.Config` fields and reports the change as
``sigChanged(dict)`` of field → value; the main window merges it into the current config and hands that to the
training controller, which applies live fields (learning rate, regularization, batch size) at once and rebuilds
the network for anything structural. ``set_config`` updates the widgets without emitting.
"""

from __future__ import annotations

import contextlib

import numpy as np
from PyQt6.QtCore import QSize, Qt, pyqtSignal
from PyQt6.QtGui import QColor, QIcon, QPainter, QPixmap
from PyQt6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QSlider,
    QSpinBox,
    QStyle,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..engine.activations import FORMULAS, HIDDEN_ACTIVATIONS
from ..engine.data import CLASSIFICATION_2D, DATASETS, POINTS_RANGE, REGRESSION_2D, make_dataset
from ..engine.data.expressions import ExpressionError, function_dataset, parse_expression
from ..engine.experiment import PLAYGROUND_LEARNING_RATES, PLAYGROUND_REG_RATES, Config
from ..engine.features import FEATURES, LABELS
from ..engine.network import INITS
from ..engine.optimizers import OPTIMIZERS
from ..layers import HELP as LAYERS_HELP
from ..layers import MAX_HIDDEN_LAYERS, MAX_NEURONS, format_hidden, parse_hidden
from ..layers import PLACEHOLDER as LAYERS_PLACEHOLDER
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


class DataPanel(QWidget):
    """Problem type, data set (with thumbnails), split, noise, batch size, features and hidden layers."""

    sigChanged = pyqtSignal(dict)
    sigRegenerate = pyqtSignal()
    sigRejected = pyqtSignal(str)
    """A typed value was refused (the message says why and what is accepted); the old value is kept."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._updating = False
        self._config = Config()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        self.setMinimumWidth(220)

        data_box = QGroupBox("Data set")
        form = QVBoxLayout(data_box)
        self.problem = QComboBox()
        self.problem.addItem("Classification", "classification")
        self.problem.addItem("Regression", "regression")
        self.problem.setToolTip("Classification: predict a class for each point. Regression: predict a value.")
        self.problem.currentIndexChanged.connect(self._on_problem)
        row = QHBoxLayout()
        row.addWidget(QLabel("Problem type"))
        row.addWidget(self.problem, 1)
        form.addLayout(row)

        self.datasets = _ThumbnailList()
        self.datasets.setViewMode(QListWidget.ViewMode.IconMode)
        self.datasets.setIconSize(QSize(44, 44))
        self.datasets.setGridSize(QSize(66, 80))  # widened or narrowed to three columns on resize
        self.datasets.setMovement(QListWidget.Movement.Static)
        self.datasets.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.datasets.setWordWrap(True)
        self.datasets.setMinimumHeight(172)
        self.datasets.setToolTip("Which data set to learn. Click a thumbnail to switch.")
        self.datasets.currentItemChanged.connect(self._on_dataset)
        form.addWidget(self.datasets)

        self.tables = QComboBox()
        self.tables.addItem("— choose a table or images —", None)
        for name in other_datasets():
            self.tables.addItem(DATASET_TITLES.get(name, name), name)
            self.tables.setItemData(self.tables.count() - 1, DATASETS.get(name, name), Qt.ItemDataRole.ToolTipRole)
        self.tables.setToolTip("Data that is not a plane: the logic gates and the tutorials' tables (shown as a "
                               "table), Iris (4 measurements) and the 8×8 handwritten digits.")
        self.tables.activated.connect(self._on_table)
        self.tables_label = QLabel("Tables and images")
        self.tables_label.setStyleSheet("color: #555;")
        form.addWidget(self.tables_label)
        form.addWidget(self.tables)
        self._build_function_entry(form)

        grid = QGridLayout()
        self.classes = QSpinBox()
        self.classes.setRange(3, 10)
        self.classes.setToolTip("Number of classes of the Blobs data set (3 to 10).")
        self.classes.valueChanged.connect(lambda v: self._emit(n_classes=int(v)))
        self.classes_label = QLabel("Classes")
        grid.addWidget(self.classes_label, 0, 0)
        grid.addWidget(self.classes, 0, 1, 1, 2)
        self.ratio, self.ratio_value = _labelled_slider(10, 90, 10, "Share of the points used for training; "
                                                        "the rest is test data.", " %")
        self.ratio.valueChanged.connect(lambda v: self._emit(train_fraction=v / 100.0))
        grid.addWidget(QLabel("Training data"), 1, 0)
        grid.addWidget(self.ratio, 1, 1)
        grid.addWidget(self.ratio_value, 1, 2)
        self.noise, self.noise_value = _labelled_slider(0, 50, 5, "How much the labels are disturbed by noise.")
        self.noise.valueChanged.connect(lambda v: self._emit(noise=v / 100.0))
        grid.addWidget(QLabel("Noise"), 2, 0)
        grid.addWidget(self.noise, 2, 1)
        grid.addWidget(self.noise_value, 2, 2)
        self.batch, self.batch_value = _labelled_slider(1, 30, 1, "Mini-batch size: points per gradient step "
                                                        "(1 = stochastic; applies live).")
        self.batch.valueChanged.connect(lambda v: self._emit(batch_size=int(v)))
        grid.addWidget(QLabel("Batch size"), 3, 0)
        grid.addWidget(self.batch, 3, 1)
        grid.addWidget(self.batch_value, 3, 2)
        self.points = QSpinBox()
        self.points.setRange(*POINTS_RANGE)
        self.points.setSingleStep(100)
        self.points.setKeyboardTracking(False)  # typed digits apply on Enter, not at every keystroke
        self.points.setToolTip(f"How many points a generated data set or a function has "
                               f"({POINTS_RANGE[0]}–{POINTS_RANGE[1]:,}; Playground fixes 500). Makes new data.")
        self.points.valueChanged.connect(lambda v: self._emit(n_points=int(v)))
        grid.addWidget(QLabel("Points"), 4, 0)
        grid.addWidget(self.points, 4, 1, 1, 2)
        form.addLayout(grid)
        self.regenerate = QPushButton("Regenerate data")
        self.regenerate.setToolTip("Draw a new sample of the same data set (new data seed).")
        self.regenerate.clicked.connect(self.sigRegenerate)
        form.addWidget(self.regenerate)
        layout.addWidget(data_box)

        feat_box = QGroupBox("Input features")
        feat_box.setToolTip("Which properties of a point the network sees as inputs.")
        feat_grid = QGridLayout(feat_box)
        self.features: dict[str, QCheckBox] = {}
        for k, name in enumerate(FEATURES):
            box = QCheckBox(LABELS[name])
            box.setToolTip(f"Feed {LABELS[name]} to the network as an input.")
            box.toggled.connect(self._on_features)
            self.features[name] = box
            feat_grid.addWidget(box, k // 2, k % 2)
        layout.addWidget(feat_box)

        net_box = QGroupBox("Hidden layers")
        net_form = QHBoxLayout(net_box)
        self.layers = QLineEdit()
        self.layers.setPlaceholderText(LAYERS_PLACEHOLDER)
        self._layers_tip = LAYERS_HELP + " Press Enter to rebuild the network."
        self.layers.setToolTip(self._layers_tip)
        self.layers.setProperty("rejected", False)
        self.layers.editingFinished.connect(self._on_layers)
        net_form.addWidget(self.layers, 1)
        for text, delta, tip in (("−", -1, "Remove the last hidden layer"), ("+", 1, "Add a hidden layer")):
            button = QPushButton(text)
            button.setFixedWidth(32)
            button.setToolTip(tip)
            button.clicked.connect(lambda _=False, d=delta: self.change_layer_count(d))
            net_form.addWidget(button)
        layout.addWidget(net_box)
        layout.addStretch(1)
        self._fill_datasets("classification")

    # ------------------------------------------------------------------ sync
    def set_config(self, config: Config, task: str | None = None) -> None:
        self._updating = True
        try:
            self._config = config
            task = task or ("regression" if config.dataset in REGRESSION_2D else "classification")
            if config.dataset == "function" and config.function:
                with contextlib.suppress(ExpressionError):
                    task = parse_expression(config.function).task
            self.problem.setCurrentIndex(0 if task == "classification" else 1)
            self._fill_datasets(task)
            plane = False
            for i in range(self.datasets.count()):
                if self.datasets.item(i).data(Qt.ItemDataRole.UserRole) == config.dataset:
                    self.datasets.setCurrentRow(i)
                    plane = True
            if not plane:
                self.datasets.setCurrentRow(-1)  # a table: no thumbnail is current, so a click on one switches
            self.tables.setCurrentIndex(max(0, self.tables.findData(config.dataset)))
            self._set_plane_controls(plane or config.dataset == "function")
            self.points.setValue(config.n_points or (1200 if task == "regression" and config.dataset != "function"
                                                     else 500))
            self.function.setText(config.function or "")
            self._show_function_error(None)
            self.classes.setValue(config.n_classes)
            self.classes.setEnabled(config.dataset == "blobs")
            self.ratio.setValue(round(config.train_fraction * 100))
            self.ratio_value.setText(f"{self.ratio.value()} %")
            self.noise.setValue(round(config.noise * 100))
            self.noise_value.setText(str(self.noise.value()))
            self.batch.setValue(config.batch_size)
            self.batch_value.setText(str(config.batch_size))
            for name, box in self.features.items():
                box.setChecked(name in config.features)
            self.layers.setText(format_hidden(config.hidden))
            mark_rejected(self.layers, None, self._layers_tip)
        finally:
            self._updating = False

    def _emit(self, **changes) -> None:
        if not self._updating:
            self.sigChanged.emit(changes)

    # ------------------------------------------------------------------ handlers
    def _fill_datasets(self, task: str) -> None:
        names = CLASSIFICATION_2D if task == "classification" else REGRESSION_2D
        current = [self.datasets.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.datasets.count())]
        if current == list(names):
            return
        was = self._updating
        self._updating = True
        self.datasets.clear()
        for name in names:
            item = QListWidgetItem(dataset_icon(name), DATASET_TITLES.get(name, name))
            item.setData(Qt.ItemDataRole.UserRole, name)
            item.setToolTip(DATASETS.get(name, name))
            self.datasets.addItem(item)
        self._updating = was

    def _on_problem(self, index: int) -> None:
        if self._updating:
            return
        task = self.problem.itemData(index)
        self._fill_datasets(task)
        self.datasets.setCurrentRow(0)

    def _on_dataset(self, item: QListWidgetItem | None, _previous=None) -> None:
        if item is None:
            return
        name = item.data(Qt.ItemDataRole.UserRole)
        self.classes.setEnabled(name == "blobs")
        if not self._updating:
            self.tables.setCurrentIndex(0)
            self._set_plane_controls(True)
        self._emit(dataset=name)

    def _on_table(self, index: int) -> None:
        """A table or image set chosen in the second section: a classification, no thumbnail current."""
        name = self.tables.itemData(index)
        if name is None or self._updating:
            return
        self._updating = True
        try:
            self.problem.setCurrentIndex(0)
            self._fill_datasets("classification")
            self.datasets.setCurrentRow(-1)
            self.classes.setEnabled(False)
            self._set_plane_controls(False)
        finally:
            self._updating = False
        self._emit(dataset=name)

    def _set_plane_controls(self, plane: bool) -> None:
        """Features and noise belong to the generated planes; a table's inputs are its columns."""
        for box in self.features.values():
            box.setEnabled(plane)
        self.noise.setEnabled(plane)
        self.points.setEnabled(plane)

    # ------------------------------------------------------------------ type a function
    FUNCTION_EXAMPLES = ("x2 > sin(2*x1)", "x1**2 + x2**2 < 9", "abs(x1) + abs(x2) < 4", "x1 * x2 > 0",
                         "0.5*x1 - x2", "sin(x1) * cos(x2)")

    def _build_function_entry(self, form) -> None:
        """A field for a data set defined by an expression in x1, x2 (Enter applies), with examples and the
        parser's message under it when the expression cannot be used."""
        label = QLabel("Or type a function of x1, x2")
        label.setStyleSheet("color: #555;")
        form.addWidget(label)
        row = QHBoxLayout()
        self.function = QLineEdit()
        self.function.setPlaceholderText("e.g. x2 > sin(2*x1)")
        self._function_tip = (
            "A data set from a formula, sampled over the plane with the chosen points and noise. A comparison "
            "(x2 > sin(2*x1), x1**2 + x2**2 < 9) makes two classes (true / false); a number (0.5*x1 - x2) a "
            "regression target. Numbers, x1, x2, + - * / **, comparisons, and/or/not, abs sin cos tan tanh exp log "
            "sqrt sign min max, pi, e. Press Enter to apply.")
        self.function.setToolTip(self._function_tip)
        self.function.setProperty("rejected", False)
        self.function.editingFinished.connect(self._on_function)
        row.addWidget(self.function, 1)
        examples = QToolButton()
        examples.setText("Examples")
        examples.setToolTip("Example functions: choose one to use it")
        examples.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(examples)
        for text in self.FUNCTION_EXAMPLES:
            menu.addAction(text, lambda t=text: self.apply_function(t))
        examples.setMenu(menu)
        self.function_examples = examples
        row.addWidget(examples)
        form.addLayout(row)
        self.function_error = QLabel()
        self.function_error.setWordWrap(True)
        self.function_error.setStyleSheet("color: #c62828;")
        self.function_error.hide()
        form.addWidget(self.function_error)

    def apply_function(self, text: str) -> None:
        """Put ``text`` in the function field and apply it (an example chosen)."""
        self.function.setText(text)
        self._on_function()

    def _show_function_error(self, message: str | None) -> None:
        mark_rejected(self.function, message, self._function_tip)
        self.function_error.setText(message or "")
        self.function_error.setVisible(message is not None)

    def _on_function(self) -> None:
        """Enter in the function field: check the expression (and that it makes a usable data set) here, so a
        bad one changes nothing but shows why; a good one becomes the data set."""
        if self._updating:
            return
        text = self.function.text().strip()
        config = self._config
        if not text or (config.dataset == "function" and text == config.function):
            self._show_function_error(None)
            return
        try:
            function_dataset(parse_expression(text), n_points=config.n_points or 500, noise=config.noise,
                             seed=config.data_seed, train_fraction=config.train_fraction)
        except ValueError as err:  # ExpressionError is one: the parser's message, with the character
            message = f"Function not used: {err}"
            self._show_function_error(message)
            self.sigRejected.emit(message)
            return
        self._show_function_error(None)
        self._emit(dataset="function", function=text)

    def _on_features(self) -> None:
        if self._updating:
            return
        chosen = tuple(n for n, box in self.features.items() if box.isChecked())
        if not chosen:  # at least one input: undo the last uncheck
            self._updating = True
            self.features["x1"].setChecked(True)
            self._updating = False
            chosen = ("x1",)
        self._emit(features=chosen)

    def _on_layers(self) -> None:
        try:
            hidden = parse_hidden(self.layers.text())
        except ValueError as err:
            message = f"Hidden layers not changed: {err}"
            mark_rejected(self.layers, message, self._layers_tip)
            self.sigRejected.emit(message)
            return
        mark_rejected(self.layers, None, self._layers_tip)
        if hidden != self._config.hidden:
            self._emit(hidden=hidden)

    def change_neuron_count(self, hidden_index: int, delta: int) -> None:
        hidden = list(self._config.hidden)
        if not 0 <= hidden_index < len(hidden):
            return
        count = min(MAX_NEURONS, max(1, hidden[hidden_index] + delta))
        if count != hidden[hidden_index]:
            hidden[hidden_index] = count
            self._emit(hidden=tuple(hidden))

    def change_layer_count(self, delta: int) -> None:
        hidden = list(self._config.hidden)
        if delta > 0 and len(hidden) < MAX_HIDDEN_LAYERS:
            hidden.append(hidden[-1] if hidden else 4)
        elif delta < 0 and hidden:
            hidden.pop()
        else:
            return
        self._emit(hidden=tuple(hidden))


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


class DisplayPanel(QWidget):
    """Display options: test points, discretized output, log-scale loss, neuron thumbnails, weight scale."""

    sigShowTest = pyqtSignal(bool)
    sigDiscretize = pyqtSignal(bool)
    sigLogScale = pyqtSignal(bool)
    sigThumbnails = pyqtSignal(bool)
    sigWeightScale = pyqtSignal(float)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QGridLayout(self)  # two columns: fits the narrow output panel of a laptop screen
        layout.setContentsMargins(4, 2, 4, 2)
        layout.setVerticalSpacing(2)
        self.show_test = QCheckBox("Show test data")
        self.show_test.setToolTip("Draw the held-out test points (dark rim) on the output map.")
        self.show_test.toggled.connect(self.sigShowTest)
        self.discretize = QCheckBox("Discretize output")
        self.discretize.setToolTip("Colour the output map by predicted class instead of by confidence.")
        self.discretize.toggled.connect(self.sigDiscretize)
        self.log_scale = QCheckBox("Log loss")
        self.log_scale.setToolTip("Plot the loss on a logarithmic scale.")
        self.log_scale.toggled.connect(self.sigLogScale)
        self.thumbnails = QCheckBox("Neuron maps")
        self.thumbnails.setChecked(True)
        self.thumbnails.setToolTip("Fill every neuron with a small map of its activation over the input plane.")
        self.thumbnails.toggled.connect(self.sigThumbnails)
        self.weight_scale = QDoubleSpinBox()
        self.weight_scale.setRange(0.1, 100.0)
        self.weight_scale.setDecimals(1)
        self.weight_scale.setSingleStep(0.5)
        self.weight_scale.setValue(2.0)
        self.weight_scale.setPrefix("|w| max ")
        self.weight_scale.setToolTip("Synapse width scale: weights of this size or larger get the thickest line.")
        self.weight_scale.valueChanged.connect(self.sigWeightScale)
        for k, w in enumerate((self.show_test, self.discretize, self.log_scale, self.thumbnails, self.weight_scale)):
            layout.addWidget(w, k // 2, k % 2)
        layout.setColumnStretch(2, 1)
