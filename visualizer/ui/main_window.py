"""The main window: network in the centre, data on the left, output and loss on the right.

The window owns a :class:`~visualizer.training.controller.TrainingController`. A frame timer draws the newest
snapshot (if there is one it has not drawn) and then asks the worker for the next, so the worker never produces
snapshots faster than they are drawn and a slow frame never queues stale ones. Drawing never blocks training:
the worker only builds a snapshot when asked.
"""

from __future__ import annotations

import math
import time
from collections import deque

from PyQt6.QtCore import QBuffer, QByteArray, QCoreApplication, QEvent, QIODevice, QRect, QSettings, Qt, QTimer
from PyQt6.QtGui import QAction, QGuiApplication, QKeySequence
from PyQt6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDockWidget,
    QFrame,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QScrollArea,
    QStackedWidget,
    QStyle,
    QTabWidget,
    QTextEdit,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from .. import __version__
from ..engine.experiment import Config
from ..settings import load_config, load_display, save_config, save_display
from ..training.controller import TrainingController
from ..training.snapshot import Snapshot
from .boundary_view import BoundaryView
from .confusion_view import ConfusionView
from .controls import DataPanel, DisplayPanel, HyperToolbar
from .data_editor import DataEditor
from .digits_view import DigitsView, image_side
from .loss_view import LossView
from .network_view import NetworkView
from .numbers import format_number
from .table_view import MAX_ROWS, TableView

FRAME_INTERVAL_MS = 16

DEFAULT_SIZE = (1500, 900)
FRAME_ALLOWANCE = (16, 40)
"""Room left for the window manager's borders and title bar (not known before the window is shown)."""
SPEED_WINDOW_S = 2.0
"""Training speed is measured over the last SPEED_WINDOW_S seconds, or further back (up to SPEED_HISTORY_S)
at slow paces, so that the status line never says 0 epochs/s while epochs go by."""
SPEED_HISTORY_S = 10.0
SPEED_MIN_SPAN_S = 0.5
"""Until the samples span this long the status line says it is measuring."""

SHORTCUTS = (
    ("Space", "Play / pause training"),
    ("→ (Right)", "Train one epoch"),
    ("Shift+→", "Train one mini-batch"),
    ("R", "Reset: the same initial weights again"),
    ("Shift+R", "Reset with new random weights"),
    ("G", "Regenerate the data"),
    ("T", "Step through one training step: → / ← move the stages, Esc leaves"),
    ("D", "Draw data on the output map (click: add, right-click: the other class, Shift+click: erase)"),
    ("1 … 9, 0", "While drawing: the class to draw"),
    ("Ctrl+Z / Ctrl+Shift+Z", "Undo / redo a data edit"),
    ("Ctrl+O", "Import data from a CSV file (or drop the file on the window)"),
    ("Ctrl+S", "Save a screenshot of the window"),
    ("Esc", "Leave a text field (the shortcuts work again)"),
    ("F1", "Keyboard shortcuts"),
    ("Ctrl+Q", "Quit"),
)


class MainWindow(QMainWindow):
    """NN Visualizer's window.

    Parameters
    ----------
    config : Config
        The experiment to start with.
    use_settings : bool
        Restore and save geometry and the last settings with ``QSettings``.
    dataset : Dataset, optional
        Train on this data instead of generating ``config.dataset`` (a CSV file or a function from the command
        line).
    """

    def __init__(self, config: Config | None = None, use_settings: bool = True, dataset=None):
        super().__init__()
        self._use_settings = use_settings
        settings = QSettings() if use_settings else None
        self.settings_notes: list[str] = []  # what was ignored of the remembered settings (shown on start)
        if config is None:
            config = self._load_config(settings) or Config()
        self._config = config
        self.setWindowTitle("NN Visualizer")
        self.controller = TrainingController(config, dataset, parent=self)  # dataset: --data / --function
        self._drawn_serial = 0
        self._drawn_at = deque(maxlen=120)
        self._closing = False

        # --- views
        self.network_view = NetworkView()
        self.boundary_view = BoundaryView()
        self.data_editor = DataEditor(self.boundary_view)  # draw, erase, undo points on the output map
        self.table_view = TableView()  # small data sets that are not a plane: every row with its output
        self.digits_view = DigitsView()  # images: test digits with their probabilities
        self.loss_view = LossView()
        self.confusion_view = ConfusionView()
        self.data_panel = DataPanel()
        self.display_panel = DisplayPanel()
        self.hyper_toolbar = HyperToolbar(self)

        central = QWidget()
        lay = QVBoxLayout(central)
        lay.setContentsMargins(4, 4, 4, 4)
        self.headline = QLabel()
        self.headline.setStyleSheet("font-size: 10pt; color: #444;")
        self.headline.setWordWrap(True)
        self.headline.setToolTip("What you are looking at.")
        lay.addWidget(self.headline)
        lay.addWidget(self.network_view, 1)
        self.setCentralWidget(central)

        self._build_actions()
        self._build_toolbars()
        self._build_docks()
        self._build_menus()
        self._build_statusbar()
        self._connect()
        from .stepthrough_mode import install as install_stepthrough

        install_stepthrough(self)  # issue 10: the step-through mode (T), its network overlay and formula panel
        from .lessons_menu import install as install_lessons

        install_lessons(self)  # issue 10: the Lessons menu and the lesson panel
        from .hidden_views import install as install_hidden_views

        install_hidden_views(self)  # issue 10: transformed space, gradients, histograms, neuron lines and marks

        self.data_panel.set_config(config)
        self.hyper_toolbar.set_config(config)
        self.fit_to_screen()
        self._docks_fitted = False  # the first show sizes the docks for the window's width
        self._restored_docks = settings is not None and isinstance(settings.value("windowState"), QByteArray)
        if settings is not None:
            self._restore_layout(settings)
            self.clamp_to_screen()

        # Keyboard focus starts on the network, so Space plays instead of typing into a control; the window's
        # one-key shortcuts win over every control but a text field being edited (see eventFilter).
        self.network_view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.network_view.setFocus()
        self._speed_samples: deque = deque()  # (time, generation, epoch, steps) of drawn snapshots while running
        self.last_save_error: str | None = None
        QApplication.instance().installEventFilter(self)

        # One frame per new snapshot, at most one per FRAME_INTERVAL_MS: drawn as soon as it arrives if the last
        # frame is old enough, else when the interval is up (a periodic timer would add up to a tick of latency).
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_frame)
        self._last_frame = 0.0
        self.setAcceptDrops(True)  # a .csv dropped on the window opens the import dialog
        self.controller.start()

    # ------------------------------------------------------------------ construction
    def _action(self, text, slot, shortcut=None, tip="", icon=None, checkable=False) -> QAction:
        action = QAction(text, self)
        if icon is not None:
            action.setIcon(self.style().standardIcon(icon))
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.setToolTip(f"{tip} ({QKeySequence(shortcut).toString()})" if shortcut else tip)
        action.setStatusTip(tip)
        action.setCheckable(checkable)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        sp = QStyle.StandardPixmap
        self.act_play = self._action("Play", self.controller.toggle, "Space", "Start or pause training",
                                     sp.SP_MediaPlay)
        self.act_step_epoch = self._action("Step epoch", self.controller.step_epoch, "Right",
                                           "Train exactly one epoch (every training point once)",
                                           sp.SP_MediaSeekForward)
        self.act_step_batch = self._action("Step batch", self.controller.step_batch, "Shift+Right",
                                           "Train on one mini-batch", sp.SP_MediaSkipForward)
        self.act_reset = self._action("Reset", lambda: self.controller.reset(False), "R",
                                      "Start over with the same initial weights", sp.SP_BrowserReload)
        self.act_new_weights = self._action("New weights", self._on_new_weights, "Shift+R",
                                            "Start over with new random initial weights", sp.SP_DialogResetButton)
        self.act_regenerate = self._action("Regenerate data", self._on_regenerate, "G",
                                           "Draw a new sample of the data set")
        self.act_screenshot = self._action("Save screenshot…", self._on_save_screenshot, "Ctrl+S",
                                           "Save a PNG of the whole window")
        self.act_quit = self._action("Quit", self.close, "Ctrl+Q", "Quit NN Visualizer")
        self.act_shortcuts = self._action("Keyboard shortcuts", self._on_shortcuts, "F1", "List the shortcuts")
        self.act_about = self._action("About NN Visualizer", self._on_about, None, "Version and credits")
        self.act_import = self._action("Import data…", lambda: self.import_data(), "Ctrl+O",
                                       "Train on a CSV file: choose its columns, task and normalization")
        self.act_export = self._action("Export data…", lambda: self.export_data(), None,
                                       "Save the current data (training and test points, labelled) as a CSV file")
        self.addActions(self.data_editor.window_actions())  # D, Ctrl+Z, Ctrl+Shift+Z, 1…9 0

    def _build_toolbars(self) -> None:
        bar = QToolBar("Training", self)
        bar.setObjectName("training")
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
        for act in (self.act_reset, self.act_new_weights, self.act_play, self.act_step_batch, self.act_step_epoch):
            bar.addAction(act)
        self.epoch_label = QLabel("Epoch 000,000")
        self.epoch_label.setStyleSheet("font-size: 16pt; color: #222; padding: 0 14px;")
        self.epoch_label.setToolTip("Epochs trained: one epoch is one pass over all training points.")
        bar.addWidget(self.epoch_label)
        bar.addSeparator()
        bar.addWidget(self.hyper_toolbar.speed_widget)  # the pace belongs beside Play, always in sight
        self.training_toolbar = bar
        self.addToolBar(bar)
        self.addToolBarBreak()
        self.addToolBar(self.hyper_toolbar)

    def _dock(self, title: str, name: str, widget: QWidget, area) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
        )
        self.addDockWidget(area, dock)
        return dock

    def _build_docks(self) -> None:
        left, right = Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea
        # The data panel scrolls when the screen is short, instead of pushing the window off it.
        self.data_scroll = QScrollArea()
        self.data_scroll.setWidget(self.data_panel)
        self.data_scroll.setWidgetResizable(True)
        self.data_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.data_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        panel_width = max(self.data_panel.minimumWidth(), self.data_panel.minimumSizeHint().width())
        self.data_scroll.setMinimumWidth(panel_width + self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
                                         + 2)
        self.data_scroll.setMinimumHeight(120)
        self.dock_data = self._dock("Data", "data", self.data_scroll, left)
        output = QWidget()
        out_lay = QVBoxLayout(output)
        out_lay.setContentsMargins(0, 0, 0, 0)
        self.output_stack = QStackedWidget()
        for view in (self.boundary_view, self.table_view, self.digits_view):
            self.output_stack.addWidget(view)
        out_lay.addWidget(self.output_stack, 1)
        out_lay.addWidget(self.data_editor)
        out_lay.addWidget(self.display_panel)
        self.dock_output = self._dock("Output", "output", output, right)
        self.loss_tabs = QTabWidget()
        self.loss_tabs.setDocumentMode(True)
        self.loss_tabs.addTab(self.loss_view, "Loss")
        self.loss_tabs.addTab(self.confusion_view, "Confusion")
        self.loss_tabs.setTabToolTip(1, "Confusion matrix of the test set: counts by true and predicted class, "
                                        "and each class's recall (classification)")
        self.loss_tabs.currentChanged.connect(self._on_loss_tab)
        self.dock_loss = self._dock("Loss", "loss", self.loss_tabs, right)
        self.fit_docks(*DEFAULT_SIZE)

    # ------------------------------------------------------------------ screen fitting
    def available_geometry(self) -> QRect:
        """The part of the window's screen not taken by panels and task bars."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        return screen.availableGeometry() if screen is not None else QRect(0, 0, *DEFAULT_SIZE)

    def fit_to_screen(self, available: QRect | None = None) -> None:
        """Open at the default size, or smaller to fit ``available`` (default: the screen's available area),
        centred on it."""
        avail = available if available is not None else self.available_geometry()
        w = min(DEFAULT_SIZE[0], avail.width() - FRAME_ALLOWANCE[0])
        h = min(DEFAULT_SIZE[1], avail.height() - FRAME_ALLOWANCE[1])
        hint = self.minimumSizeHint()
        w, h = max(w, hint.width()), max(h, hint.height())
        self.resize(w, h)
        self.move(avail.x() + max(0, (avail.width() - w - FRAME_ALLOWANCE[0]) // 2),
                  avail.y() + max(0, (avail.height() - h - FRAME_ALLOWANCE[1]) // 2))
        self.fit_docks(w, h)

    def clamp_to_screen(self, available: QRect | None = None) -> None:
        """Bring a restored geometry back onto ``available``: no larger than it, and inside it."""
        avail = available if available is not None else self.available_geometry()
        if self.isMaximized() or self.isFullScreen():
            return
        hint = self.minimumSizeHint()
        w = max(hint.width(), min(self.width(), avail.width() - FRAME_ALLOWANCE[0]))
        h = max(hint.height(), min(self.height(), avail.height() - FRAME_ALLOWANCE[1]))
        if (w, h) != (self.width(), self.height()):
            self.resize(w, h)
        x = min(max(self.x(), avail.left()), avail.left() + max(0, avail.width() - w - FRAME_ALLOWANCE[0]))
        y = min(max(self.y(), avail.top()), avail.top() + max(0, avail.height() - h - FRAME_ALLOWANCE[1]))
        if (x, y) != (self.x(), self.y()):
            self.move(x, y)

    def fit_docks(self, width: int | None = None, height: int | None = None) -> None:
        """Share the width: about a fifth for the data panel, the network at least half, the rest for output
        and loss; output above loss at about 3 : 2 (the output panel holds the map, the drawing strip and the
        display options; the loss panel its tabs)."""
        width = width or self.width()
        height = height or self.height()
        data = int(min(320, max(self.data_scroll.minimumWidth(), 0.2 * width)))
        right = int(min(620, max(300, 0.46 * width - data)))
        self.resizeDocks([self.dock_data, self.dock_output], [data, right], Qt.Orientation.Horizontal)
        rest = max(300, height - 170)
        self.resizeDocks([self.dock_output, self.dock_loss], [int(rest * 0.6), int(rest * 0.4)],
                         Qt.Orientation.Vertical)

    def network_share(self) -> float:
        """The network view's share of the window's width."""
        return self.network_view.width() / max(1, self.width())

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._docks_fitted:
            # sized for the width the window is shown at (after --size or a restored geometry), unless a
            # remembered layout already leaves the network at least half the width
            self._docks_fitted = True
            if not self._restored_docks:
                self.fit_docks()
            QTimer.singleShot(0, self._check_network_share)

    def _check_network_share(self) -> None:
        if self.network_share() < 0.5 and not self._closing:
            self.fit_docks()

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addAction(self.act_import)
        file_menu.addAction(self.act_export)
        file_menu.addSeparator()
        file_menu.addAction(self.act_screenshot)
        file_menu.addSeparator()
        file_menu.addAction(self.act_quit)
        edit_menu = bar.addMenu("&Edit")
        ed = self.data_editor
        for act in (ed.act_undo, ed.act_redo, None, ed.act_draw, ed.act_erase, ed.act_clear):
            edit_menu.addSeparator() if act is None else edit_menu.addAction(act)
        train_menu = bar.addMenu("&Training")
        for act in (self.act_play, self.act_step_epoch, self.act_step_batch, None, self.act_reset,
                    self.act_new_weights, self.act_regenerate):
            train_menu.addSeparator() if act is None else train_menu.addAction(act)
        view_menu = bar.addMenu("&View")
        for dock in (self.dock_data, self.dock_output, self.dock_loss):
            view_menu.addAction(dock.toggleViewAction())
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.act_shortcuts)
        help_menu.addAction(self.act_about)

    def _build_statusbar(self) -> None:
        self.speed_label = QLabel()
        self.speed_label.setToolTip("Training speed (gradient steps and epochs per second) and drawing speed.")
        self.statusBar().addPermanentWidget(self.speed_label)
        self.statusBar().showMessage("Press Space to start training.")

    def _connect(self) -> None:
        c = self.controller
        c.sigSnapshot.connect(self._on_snapshot_arrived)
        c.sigRunningChanged.connect(self._on_running_changed)
        c.sigStopped.connect(self._on_stopped)
        c.sigError.connect(self._on_error)
        c.sigNote.connect(self._on_note)
        c.sigThreadDied.connect(self._on_thread_died)
        self.data_panel.sigChanged.connect(self._on_config_edit)
        self.data_panel.sigRegenerate.connect(self._on_regenerate)
        self.hyper_toolbar.sigChanged.connect(self._on_config_edit)
        self.hyper_toolbar.sigSpeedChanged.connect(c.set_speed)
        c.set_speed(self.hyper_toolbar.speed_value())  # the default pace (the worker starts flat out)
        self.data_panel.sigRejected.connect(self._on_rejected)
        self.hyper_toolbar.sigRejected.connect(self._on_rejected)
        nv = self.network_view
        nv.sigNodeHovered.connect(self.boundary_view.show_neuron)
        nv.sigWeightEdited.connect(c.edit_weight)  # (generation, layer, i, j, value): stale edits are dropped
        nv.sigBiasEdited.connect(c.edit_bias)
        nv.sigNeuronCountChangeRequested.connect(self.data_panel.change_neuron_count)
        nv.sigLayerCountChangeRequested.connect(self.data_panel.change_layer_count)
        nv.sigFeatureToggled.connect(self._on_feature_toggled)
        self.data_editor.sigDataEdited.connect(self._on_data_edited)
        self.data_editor.sigMessage.connect(self._on_note)
        self.data_editor.act_draw.toggled.connect(self._on_draw_toggled)
        self.data_editor.destination.currentIndexChanged.connect(  # points drawn into the test set are seen
            lambda _i: self.data_editor.to_test() and self.display_panel.show_test.setChecked(True))
        dp = self.display_panel
        dp.sigShowTest.connect(self.boundary_view.set_show_test)
        self.boundary_view.sigSliceAxes.connect(lambda i, j: self._on_config_edit({"slice_axes": (i, j)}))
        dp.sigDiscretize.connect(self.boundary_view.set_discretize)
        dp.sigLogScale.connect(self.loss_view.set_log_scale)
        dp.sigThumbnails.connect(nv.set_thumbnails_visible)
        dp.sigWeightScale.connect(nv.set_weight_scale)

    # ------------------------------------------------------------------ config edits
    @property
    def config(self) -> Config:
        return self._config

    def apply_config(self, config: Config) -> None:
        """Switch to ``config`` (live where possible, else rebuild) and sync the controls."""
        self._config = config
        self.controller.set_config(config)
        self.data_panel.set_config(config)
        self.hyper_toolbar.set_config(config)

    def _on_config_edit(self, changes: dict) -> None:
        try:
            config = self._config.replace(**changes)
        except ValueError as err:
            self.statusBar().showMessage(str(err), 5000)
            self.data_panel.set_config(self._config)
            self.hyper_toolbar.set_config(self._config)
            return
        if config != self._config:
            self.apply_config(config)

    def _on_feature_toggled(self, name: str) -> None:
        """A click on an input node of the network view: add or remove that feature (never the last one)."""
        current = tuple(self._config.features)
        if name in current:
            if len(current) == 1:
                self.statusBar().showMessage("The network needs at least one input: add another feature first.", 5000)
                return
            features = tuple(n for n in current if n != name)
        else:
            features = (*current, name)
        self._on_config_edit({"features": features})

    def _on_regenerate(self) -> None:
        self._on_config_edit({"data_seed": (self._config.data_seed + 1) % 2**31})

    def _on_new_weights(self) -> None:
        self.controller.reset(True)
        self._config = self.controller.config
        self.hyper_toolbar.set_config(self._config)

    # ------------------------------------------------------------------ user data: drawn, imported, exported
    def _on_data_edited(self, dataset) -> None:
        """Points drawn, erased or cleared (or an undo): the running network trains on them from its next epoch,
        nothing reset. With no training point left, training pauses until one is drawn."""
        if dataset.n_train == 0:
            self.controller.pause()
            self.statusBar().showMessage("No training points: training paused — draw some (or Ctrl+Z).", 8000)
            return
        self.controller.replace_data(dataset)

    def _on_draw_toggled(self, on: bool) -> None:
        """Drawing and the step-through mode both take clicks on the map: turning one on leaves the other."""
        mode = getattr(self, "stepthrough", None)
        if on and mode is not None and mode.active:
            mode.leave()

    def choose_import_path(self) -> str:
        """Ask for a CSV file to import ("" if cancelled). Tests replace this (no native dialog)."""
        from PyQt6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(self, "Import data", "", "CSV files (*.csv *.tsv *.txt);;All files (*)")
        return path

    def choose_export_path(self) -> str:
        """Ask where to save the data as CSV ("" if cancelled). Tests replace this (no native dialog)."""
        from PyQt6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getSaveFileName(self, "Export data", "data.csv", "CSV files (*.csv)")
        return path

    def import_data(self, path: str | None = None):
        """File ▸ Import data… (and a .csv dropped on the window): open the import dialog on ``path`` (asked for
        when None). The session changes only when the dialog is accepted with data it could read; returns the
        dialog (None if no file was chosen)."""
        from .import_dialog import ImportDialog

        if path is None:
            path = self.choose_import_path()
        if not path or self._closing:
            return None
        old = getattr(self, "import_dialog", None)
        if old is not None:
            old.close()
        dialog = ImportDialog(path, self, train_fraction=self._config.train_fraction)
        dialog.sigImport.connect(self._apply_import)
        self.import_dialog = dialog
        dialog.open()
        return dialog

    def _apply_import(self, dataset, normalization) -> None:
        """Train a new network on imported data (with its normalization); the old session is replaced."""
        try:
            config = self._config.replace(normalization=normalization)
        except ValueError as err:
            self.statusBar().showMessage(f"Data not imported: {err}", 8000)
            return
        self._config = config
        self.controller.set_data(config, dataset)
        self.statusBar().showMessage(
            f"Imported {dataset.name}: {dataset.n_samples:,d} rows, {dataset.n_features} inputs, "
            f"{dataset.task}" + (f" ({dataset.n_classes} classes)" if dataset.is_classification else ""), 8000)

    def export_data(self, path: str | None = None) -> bool:
        """File ▸ Export data…: write the current data (training rows, then test rows, labelled) as CSV."""
        from ..engine.data import write_csv

        dataset = self.data_editor.dataset
        if dataset is None and self.controller.latest is not None:
            dataset = self.controller.latest.dataset
        if dataset is None:
            self.statusBar().showMessage("No data to export yet.", 5000)
            return False
        if path is None:
            path = self.choose_export_path()
        if not path:
            return False
        try:
            write_csv(dataset, path)
        except (OSError, ValueError) as err:
            self.statusBar().showMessage(f"Could not export the data to {path}: {err}", 10000)
            return False
        self.statusBar().showMessage(
            f"Exported {dataset.n_samples:,d} points ({dataset.n_train:,d} training) to {path}", 5000)
        return True

    @staticmethod
    def _dropped_csv(event) -> str | None:
        mime = event.mimeData()
        if mime is None or not mime.hasUrls():
            return None
        for url in mime.urls():
            if url.isLocalFile() and url.toLocalFile().lower().endswith((".csv", ".tsv", ".txt")):
                return url.toLocalFile()
        return None

    def dragEnterEvent(self, event) -> None:
        if self._dropped_csv(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        self.dragEnterEvent(event)

    def dropEvent(self, event) -> None:
        path = self._dropped_csv(event)
        if path:
            event.acceptProposedAction()
            self.import_data(path)
        else:
            event.ignore()

    # ------------------------------------------------------------------ drawing
    def _on_snapshot_arrived(self, _snap: Snapshot) -> None:
        if self._timer.isActive() or self._closing:
            return
        wait_ms = FRAME_INTERVAL_MS - (time.perf_counter() - self._last_frame) * 1000.0
        if wait_ms <= 0:
            self._on_frame()
        else:
            self._timer.start(math.ceil(wait_ms))

    def _on_frame(self) -> None:
        snap = self.controller.latest
        if snap is not None and snap.serial > self._drawn_serial and not self._closing:
            self._last_frame = time.perf_counter()
            self.controller.set_gui_busy(True)
            try:
                self.draw(snap)
                # Paint now, while the training loop waits, instead of later while it competes for the GIL.
                QCoreApplication.sendPostedEvents()
            finally:
                self.controller.set_gui_busy(False)
            self.controller.request_snapshot()

    def draw(self, snap: Snapshot) -> None:
        """Draw one snapshot in every view."""
        self._drawn_serial = snap.serial
        self.data_editor.sync(snap.dataset)  # before the output view: an edit on its way stays drawn
        self.network_view.update_snapshot(snap)
        self.draw_output(snap)
        self.loss_view.update_snapshot(snap)
        self.loss_tabs.setTabEnabled(1, snap.task == "classification")
        if self.loss_tabs.currentWidget() is self.confusion_view:
            self.confusion_view.update_snapshot(snap)
        self.epoch_label.setText(f"Epoch {snap.epoch:07,d}")
        now = time.perf_counter()
        self._drawn_at.append(now)
        self.speed_label.setText(self._speed_text(snap, now))
        self.headline.setText(self._headline(snap))

    @staticmethod
    def output_kind(snap: Snapshot) -> str:
        """Which view shows the output: ``"map"`` (a plane, or a slice through one), ``"digits"`` (square images
        with 16 or more pixels) or ``"table"`` (other data of at most MAX_ROWS rows)."""
        ds = snap.dataset
        if ds is None or (ds.domain is not None and ds.n_features == 2):
            return "map"
        if ds.n_features >= 16 and image_side(ds.n_features) is not None and ds.is_classification:
            return "digits"
        if ds.n_samples <= MAX_ROWS:
            return "table"
        return "map"  # a slice through two features (the view says so), or nothing for one input

    def draw_output(self, snap: Snapshot) -> None:
        """Draw the output in the view that suits the data (only that one: the others are hidden)."""
        view = {"map": self.boundary_view, "table": self.table_view, "digits": self.digits_view}[
            self.output_kind(snap)]
        if self.output_stack.currentWidget() is not view:
            self.output_stack.setCurrentWidget(view)
        view.update_snapshot(snap)

    def _on_loss_tab(self, _index: int) -> None:
        snap = self.controller.latest
        if snap is not None and self.loss_tabs.currentWidget() is self.confusion_view:
            self.confusion_view.update_snapshot(snap)

    def training_speed(self, snap: Snapshot, now: float) -> tuple[float, float] | None:
        """(epochs/s, steps/s) measured from the snapshots drawn while training, None until measurable.

        Over at least the last SPEED_WINDOW_S seconds (further back at slow paces, when snapshots are seconds
        apart, up to SPEED_HISTORY_S), so a paced run of 1 epoch/s reads 1, not 0. Starts afresh after Reset or
        a rebuild.
        """
        samples = self._speed_samples
        if not snap.running:
            samples.clear()
            return None
        if samples and (samples[-1][1] != snap.generation or snap.epoch < samples[-1][2]
                        or snap.steps < samples[-1][3]):
            samples.clear()  # Reset or a new network: the old pace says nothing about the new one
        samples.append((now, snap.generation, snap.epoch, snap.steps))
        while samples and now - samples[0][0] > SPEED_HISTORY_S:
            samples.popleft()
        if len(samples) < 2:
            return None
        start = samples[0]
        for sample in samples:  # oldest first: the newest sample at least SPEED_WINDOW_S old, if any
            if now - sample[0] < SPEED_WINDOW_S:
                break
            start = sample
        dt = now - start[0]
        if dt < SPEED_MIN_SPAN_S:
            return None
        return (snap.epoch - start[2]) / dt, (snap.steps - start[3]) / dt

    def _speed_text(self, snap: Snapshot, now: float) -> str:
        fps = self.frames_per_second()
        if not snap.running:
            return f"{'Stopped' if snap.stop_reason else 'Paused'} · epoch {snap.epoch:,d}"
        speed = self.training_speed(snap, now)
        if speed is None:
            return f"Training · measuring speed… · {fps:.0f} frames/s"
        epochs, steps = speed
        return (f"{format_number(epochs, 3)} epochs/s · {format_number(steps, 3)} steps/s · "
                f"{fps:.0f} frames/s")

    def frames_per_second(self) -> float:
        now = time.perf_counter()
        recent = [t for t in self._drawn_at if now - t <= 1.0]
        if len(recent) < 2:
            return 0.0
        return (len(recent) - 1) / max(recent[-1] - recent[0], 1e-9)

    @staticmethod
    def _headline(snap: Snapshot) -> str:
        hidden = snap.sizes[1:-1]
        shape = " → ".join(str(s) for s in snap.sizes)
        what = "classes" if snap.task == "classification" else "a value"
        return (
            f"A network of {len(hidden)} hidden layer{'s' if len(hidden) != 1 else ''} ({shape} neurons) learns to "
            f"predict {what} from {snap.sizes[0]} input{'s' if snap.sizes[0] != 1 else ''}. "
            "Blue = positive, orange = negative; line width = weight size. Hover a neuron to see its map."
        )

    # ------------------------------------------------------------------ events
    def _on_running_changed(self, running: bool) -> None:
        sp = QStyle.StandardPixmap
        self.act_play.setText("Pause" if running else "Play")
        self.act_play.setIcon(self.style().standardIcon(sp.SP_MediaPause if running else sp.SP_MediaPlay))
        if running:
            self.statusBar().showMessage("Training…")
        else:
            self.statusBar().clearMessage()

    def _on_stopped(self, reason: str) -> None:
        self.statusBar().showMessage(f"Stopped: {reason}", 10000)

    def _on_error(self, message: str) -> None:
        self.statusBar().showMessage(message.strip().splitlines()[-1], 10000)
        # the worker kept its running experiment: show its settings again
        self.controller.forget_pending_config()
        self._config = self.controller.config
        self.data_panel.set_config(self._config)
        self.hyper_toolbar.set_config(self._config)

    def _on_note(self, text: str) -> None:
        self.statusBar().showMessage(text, 5000)

    def _on_thread_died(self, why: str) -> None:
        """The training thread ended by itself: say so and offer a restart (a button beside the speed)."""
        from PyQt6.QtWidgets import QPushButton

        self.statusBar().showMessage(f"{why or 'The training thread stopped.'} Click “Restart training” to go on.")
        if getattr(self, "restart_button", None) is None:
            self.restart_button = QPushButton("Restart training")
            self.restart_button.setToolTip("Start a new training thread with the current settings (initial weights)")
            self.restart_button.clicked.connect(self._on_restart_thread)
            self.statusBar().addPermanentWidget(self.restart_button)
        self.restart_button.show()

    def _on_restart_thread(self) -> None:
        self.controller.restart()
        self.restart_button.hide()
        self._config = self.controller.config
        self.data_panel.set_config(self._config)
        self.hyper_toolbar.set_config(self._config)
        self.statusBar().showMessage("Training thread restarted from the initial weights.", 5000)

    def _on_save_screenshot(self) -> None:
        from PyQt6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getSaveFileName(self, "Save screenshot", "nn-visualizer.png", "PNG images (*.png)")
        if path:
            self.save_screenshot_reporting(path)

    def save_screenshot(self, path: str) -> bool:
        """Write a PNG of the whole window; on failure False, with the reason in ``last_save_error``."""
        self.last_save_error = None
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        if not self.grab().save(buffer, "PNG"):
            self.last_save_error = "the window could not be encoded as PNG"
            return False
        buffer.close()
        try:
            with open(path, "wb") as f:
                f.write(bytes(data))
        except OSError as err:
            self.last_save_error = err.strerror or str(err)
            return False
        return True

    def save_screenshot_reporting(self, path: str) -> bool:
        """Save a PNG and say how it went: the path in the status bar, and a warning naming the path and the
        reason if it could not be written (non-blocking)."""
        if self.save_screenshot(path):
            self.statusBar().showMessage(f"Screenshot saved to {path}", 5000)
            return True
        message = f"Could not save the screenshot to {path}: {self.last_save_error}."
        self.statusBar().showMessage(message, 15000)
        box = QMessageBox(QMessageBox.Icon.Warning, "Screenshot not saved", message,
                          QMessageBox.StandardButton.Ok, self)
        box.setInformativeText("Choose another folder or file name (Ctrl+S).")
        box.open()
        self.save_error_box = box
        return False

    def _on_rejected(self, message: str) -> None:
        self.statusBar().showMessage(message, 8000)

    # ------------------------------------------------------------------ keyboard
    @staticmethod
    def is_text_field(widget) -> bool:
        """Whether ``widget`` takes typed text (keys there are typing, not shortcuts)."""
        if isinstance(widget, QComboBox):
            return widget.isEditable()
        return isinstance(widget, (QLineEdit, QAbstractSpinBox, QTextEdit, QPlainTextEdit))

    def eventFilter(self, obj, event) -> bool:
        """Window shortcuts win over sliders, lists, buttons and non-editable combo boxes (→ steps an epoch,
        Space plays …) but not over a text field being edited; Esc leaves a text field (dropping the unfinished
        edit) and Enter, once the field accepted it, gives the keyboard back to the network view."""
        kind = event.type()
        if kind != QEvent.Type.KeyPress and kind != QEvent.Type.ShortcutOverride:
            return False
        if self._closing or not isinstance(obj, QWidget) or obj is not QApplication.focusWidget():
            return False  # handled once, where the key arrives (not again as it propagates to the parents)
        top = obj.window()
        if top is not self and not (isinstance(top, QDockWidget) and top.parentWidget() is self):
            return False  # another window (a dialog, a popup); a floating panel of this window counts as it
        if self.is_text_field(obj):
            # (the network view's own value editor handles Esc and Enter itself)
            if (kind == QEvent.Type.KeyPress and event.modifiers() == Qt.KeyboardModifier.NoModifier
                    and not self.network_view.isAncestorOf(obj)):
                if event.key() == Qt.Key.Key_Escape:
                    self.leave_field()
                    return True
                if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                    QTimer.singleShot(0, lambda w=obj: self._after_enter(w))
            return False
        action = self._key_actions().get(QKeySequence(event.keyCombination()).toString())
        if action is None or not action.isEnabled():
            return False
        if kind == QEvent.Type.ShortcutOverride:
            event.accept()  # the key goes to the focus widget as a key press, caught here below
            return True
        if not event.isAutoRepeat() or action is self.act_step_epoch or action is self.act_step_batch:
            action.trigger()
        return True

    def _key_actions(self) -> dict:
        keys = getattr(self, "_key_action_map", None)
        if keys is None:
            keys = {a.shortcut().toString(): a for a in self.actions() if not a.shortcut().isEmpty()}
            self._key_action_map = keys
        return keys

    def leave_field(self) -> None:
        """Drop the unfinished edit of a text field and give the keyboard back to the network view."""
        self.data_panel.set_config(self._config)
        self.hyper_toolbar.set_config(self._config)
        self.network_view.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _after_enter(self, widget: QWidget) -> None:
        if self._closing or QApplication.focusWidget() is not widget:
            return
        field = widget
        while field is not None and field.property("rejected") is None:
            field = field.parentWidget()
        if field is None or not field.property("rejected"):
            self.network_view.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _on_shortcuts(self) -> None:
        rows = "".join(f"<tr><td><b>{k}</b></td><td>&nbsp;&nbsp;{v}</td></tr>" for k, v in SHORTCUTS)
        box = QMessageBox(self)
        box.setWindowTitle("Keyboard shortcuts")
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(f"<table>{rows}</table>")
        box.open()
        self._shortcuts_box = box

    def _on_about(self) -> None:
        box = QMessageBox(self)
        box.setWindowTitle("About NN Visualizer")
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(
            f"<h3>NN Visualizer {__version__}</h3>"
            "<p>Watch a neural network learn, live: neurons, synapses, loss and decision boundary.</p>"
            "<p>Data sets and defaults follow TensorFlow Playground. Built with PyQt6, pyqtgraph and numpy.</p>"
        )
        box.open()
        self._about_box = box

    # ------------------------------------------------------------------ settings and shutdown
    def _load_config(self, settings: QSettings | None) -> Config | None:
        config, notes = load_config(settings)
        self.settings_notes += notes
        return config

    def _restore_layout(self, settings: QSettings) -> None:
        geometry = settings.value("geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        state = settings.value("windowState")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        display, notes = load_display(settings)
        self.settings_notes += notes
        dp = self.display_panel
        for key, box in (("showTest", dp.show_test), ("discretize", dp.discretize),
                         ("logScale", dp.log_scale), ("thumbnails", dp.thumbnails)):
            if key in display:
                box.setChecked(display[key])
        if "weightScale" in display:
            dp.weight_scale.setValue(display["weightScale"])
        if self.settings_notes:
            self.statusBar().showMessage(" · ".join(self.settings_notes))

    def _save_settings(self) -> None:
        settings = QSettings()
        settings.setValue("geometry", self.saveGeometry())
        settings.setValue("windowState", self.saveState())
        save_config(settings, self._config)
        dp = self.display_panel
        save_display(settings, {"showTest": dp.show_test.isChecked(), "discretize": dp.discretize.isChecked(),
                                "logScale": dp.log_scale.isChecked(), "thumbnails": dp.thumbnails.isChecked(),
                                "weightScale": dp.weight_scale.value()})

    def shutdown(self) -> None:
        """Stop drawing and the training thread (idempotent)."""
        self._closing = True
        self._timer.stop()
        self.stepthrough.shutdown()  # its animation timer and event filters
        self.lessons.shutdown()
        self.hidden_views.shutdown()
        if getattr(self, "import_dialog", None) is not None:
            self.import_dialog.close()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.controller.shutdown(1000)

    def closeEvent(self, event) -> None:
        if self._use_settings:
            self._save_settings()
        self.shutdown()
        super().closeEvent(event)
