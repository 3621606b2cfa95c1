"""GUI-thread owner of the training thread.

The :class:`TrainingController` creates the :class:`~visualizer.training.worker.TrainingWorker` (no parent),
moves it to a ``QThread`` it owns, relays the worker's signals on the GUI thread and keeps only the newest
snapshot. Views never talk to the worker or the engine directly.
"""

from __future__ import annotations

from PyQt6.QtCore import QObject, QThread, pyqtSignal

from ..engine.experiment import Config
from .snapshot import Snapshot
from .worker import TrainingWorker


class TrainingController(QObject):
    """Starts, steers and stops the training thread.

    Signals
    -------
    sigSnapshot(Snapshot)
        A newer snapshot arrived (GUI thread). Draw :attr:`latest` on a timer rather than on every signal.
    sigStopped(str)
        Training stopped by itself (a stop criterion or divergence), with the reason.
    sigRunningChanged(bool)
    sigError(str)
    """

    sigSnapshot = pyqtSignal(object)
    sigStopped = pyqtSignal(str)
    sigRunningChanged = pyqtSignal(bool)
    sigError = pyqtSignal(str)

    def __init__(self, config: Config, dataset=None, parent: QObject | None = None):
        super().__init__(parent)
        self._config = config
        self.latest: Snapshot | None = None
        self._thread = QThread()
        self._thread.setObjectName("training")
        self._worker = TrainingWorker(config, dataset)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.finished.connect(self._thread.quit)
        self._worker.sigSnapshot.connect(self._on_snapshot)
        self._worker.sigStopped.connect(self.sigStopped)
        self._worker.sigError.connect(self.sigError)
        self._worker.sigRunningChanged.connect(self.sigRunningChanged)

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> None:
        """Start the thread (the worker builds the experiment there and waits, paused)."""
        if not self._thread.isRunning():
            self._thread.start()

    def shutdown(self, timeout_ms: int = 1000) -> bool:
        """Stop the loop and the thread; True if it ended within ``timeout_ms``."""
        self._worker.request_quit()
        if not self._thread.isRunning():
            return True
        self._thread.quit()
        return self._thread.wait(timeout_ms)

    def is_alive(self) -> bool:
        return self._thread.isRunning()

    # ------------------------------------------------------------------ steering
    @property
    def config(self) -> Config:
        return self._config

    def is_running(self) -> bool:
        return self._worker.is_running()

    def play(self) -> None:
        if not self._worker.is_running():
            self._worker.set_running(True)
            self.sigRunningChanged.emit(True)

    def pause(self) -> None:
        if self._worker.is_running():
            self._worker.set_running(False)
            self.sigRunningChanged.emit(False)

    def toggle(self) -> None:
        self.pause() if self._worker.is_running() else self.play()

    def step_epoch(self) -> None:
        self.pause()
        self._worker.submit("step_epoch")

    def step_batch(self) -> None:
        self.pause()
        self._worker.submit("step_batch")

    def reset(self, new_weights: bool = False) -> None:
        """Start over with the same initial weights, or with new ones."""
        self.pause()
        if new_weights:
            self._config = self._config.replace(seed=self._config.seed + 1)
        self._worker.submit("reset", new_weights)

    def set_config(self, config: Config) -> None:
        """Apply a new configuration: live fields at once, anything else by rebuilding the network."""
        self._config = config
        self._worker.submit("config", config)

    def forget_pending_config(self) -> None:
        """After the worker rejected a configuration: take back the one it is running (from the newest snapshot)."""
        if self.latest is not None and self.latest.config is not None:
            self._config = self.latest.config

    def set_data(self, config: Config, dataset) -> None:
        """Train on a given data set (user data) with ``config``; rebuilds."""
        self._config = config
        self._worker.submit("data", config, dataset)

    def set_speed(self, epochs_per_second: float) -> None:
        """Limit training to ``epochs_per_second`` (0: as fast as possible)."""
        self._worker.submit("speed", float(epochs_per_second))

    def edit_weight(self, layer: int, i: int, j: int, value: float) -> None:
        self._worker.submit("edit_weight", layer, i, j, value)

    def edit_bias(self, layer: int, j: int, value: float) -> None:
        self._worker.submit("edit_bias", layer, j, value)

    def set_gui_busy(self, busy: bool) -> None:
        """Tell the loop a frame is being drawn (it waits between epochs meanwhile)."""
        self._worker.set_gui_busy(busy)

    def request_snapshot(self) -> None:
        """Tell the worker the GUI has drawn and is ready for the next snapshot."""
        self._worker.request_snapshot()

    # ------------------------------------------------------------------ relays
    def _on_snapshot(self, snap: Snapshot) -> None:
        if self.latest is None or snap.serial > self.latest.serial:
            self.latest = snap
            self.sigSnapshot.emit(snap)
