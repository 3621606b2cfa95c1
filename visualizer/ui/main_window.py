"""The main window: network in the centre, data on the left, output and loss on the right.

The window owns a :class:`~visualizer.training.controller.TrainingController`. A frame timer draws the newest
snapshot (if there is one it has not drawn) and then asks the worker for the next, so the worker never produces
snapshots faster than they are drawn and a slow frame never queues stale ones. Drawing never blocks training:
the worker only builds a snapshot when asked.
"""

from __future__ import annotations

from collections import deque

from PyQt6.QtCore import QByteArray, QSettings, Qt, QTimer
from PyQt6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QVBoxLayout,
    QWidget,
)

from ..engine.experiment import Config
from ..settings import load_config, load_display, save_config, save_display
from ..training.controller import TrainingController
from .boundary_view import BoundaryView
from .confusion_view import ConfusionView
from .controls import DataPanel, DisplayPanel, HyperToolbar
from .data_editor import DataEditor
from .digits_view import DigitsView
from .loss_view import LossView
from .network_view import NetworkView
from .table_view import TableView
from .window_actions import SHORTCUTS, WindowActions
from .window_files import WindowFiles
from .window_layout import DEFAULT_SIZE, FRAME_ALLOWANCE, WindowLayout
from .window_status import FRAME_INTERVAL_MS, SPEED_HISTORY_S, SPEED_MIN_SPAN_S, SPEED_WINDOW_S, WindowStatus

__all__ = ["DEFAULT_SIZE", "FRAME_ALLOWANCE", "FRAME_INTERVAL_MS", "SHORTCUTS", "SPEED_HISTORY_S",
           "SPEED_MIN_SPAN_S", "SPEED_WINDOW_S", "MainWindow"]


class MainWindow(WindowActions, WindowLayout, WindowStatus, WindowFiles, QMainWindow):
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
        self._speed_shown = (0.0, False)  # when the speed line was last rewritten, and whether training ran then
        self.last_save_error: str | None = None
        QApplication.instance().installEventFilter(self)

        # One frame per new snapshot, at most one per FRAME_INTERVAL_MS: drawn as soon as it arrives if the last
        # frame is old enough, else when the interval is up (a periodic timer would add up to a tick of latency).
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)  # a coarse timer may fire 5 % late: 57 frames/s, not 60
        self._timer.timeout.connect(self._on_frame)
        self._last_frame = 0.0
        self.setAcceptDrops(True)  # a .csv dropped on the window opens the import dialog
        self.controller.start()

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
