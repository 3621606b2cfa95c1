"""The data panel (the left dock): problem type, data set, noise, training share, features and hidden layers.

See :mod:`visualizer.ui.controls` for how the controls report their edits.
"""

from __future__ import annotations

import contextlib

from PyQt6.QtCore import QSize, Qt, pyqtSignal
from PyQt6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..engine.data import CLASSIFICATION_2D, DATASETS, POINTS_RANGE, REGRESSION_2D
from ..engine.data.expressions import ExpressionError, function_dataset, parse_expression
from ..engine.experiment import Config
from ..engine.features import FEATURES, LABELS
from ..layers import HELP as LAYERS_HELP
from ..layers import MAX_HIDDEN_LAYERS, MAX_NEURONS, format_hidden, parse_hidden
from ..layers import PLACEHOLDER as LAYERS_PLACEHOLDER
from .control_widgets import (
    DATASET_TITLES,
    _labelled_slider,
    _ThumbnailList,
    dataset_icon,
    mark_rejected,
    other_datasets,
)


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
