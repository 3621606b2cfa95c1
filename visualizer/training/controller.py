"""GUI-thread owner of the training thread.

The :class:`TrainingController` creates the :class:`~visualizer.training.worker.TrainingWorker` (no parent),
moves it to a ``QThread`` it owns, relays the worker's signals on the GUI thread and keeps only the newest
snapshot. Views never talk to the worker or the engine directly.

It also watches the thread: if it ends without a requested quit (it should not: the worker catches everything),
:attr:`TrainingController.sigThreadDied` says so, and :meth:`TrainingController.restart` starts a new one.
"""

from __future__ import annotations

import contextlib

from PyQt6.QtCore import QObject, QThread, QTimer, pyqtSignal

from ..engine.experiment import Config
from .relay import TrainingWorker
from .snapshot import Snapshot


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
        A rejected setting, or the traceback of an internal error (its last line is for the status bar).
    sigNote(str)
        A command was dropped (an edit made for a network that changed since, …): a short status-bar note.
    sigThreadDied(str)
        The training thread ended although no quit was asked, with the error that ended it (a sentence, or "");
        see :meth:`restart`.
    """

    sigSnapshot = pyqtSignal(object)
    sigStopped = pyqtSignal(str)
    sigRunningChanged = pyqtSignal(bool)
    sigError = pyqtSignal(str)
    sigNote = pyqtSignal(str)
    sigStepThrough = pyqtSignal(object)
    sigThreadDied = pyqtSignal(str)

    WATCHDOG_MS = 1000

    def __init__(self, config: Config, dataset=None, parent: QObject | None = None, process: bool | None = None):
        super().__init__(parent)
        self._process = process  # train in a child process (None: unless NN_VISUALIZER_INPROCESS=1)
        self._config = config
        self._dataset = dataset
        self._speed: float | None = None
        self.latest: Snapshot | None = None
        self._started = False
        self._quitting = False
        self._dead = False
        self._last_error = ""
        self._stuck: list[tuple[QThread, TrainingWorker]] = []  # threads that did not end: never destroy them
        self._watchdog = QTimer(self)
        self._watchdog.setInterval(self.WATCHDOG_MS)
        self._watchdog.timeout.connect(self._check_alive)
        self._make_worker(config, dataset)

    def _make_worker(self, config: Config, dataset, first_serial: int = 0, first_generation: int = 0) -> None:
        thread = QThread()
        thread.setObjectName("training")
        worker = TrainingWorker(config, dataset, first_serial=first_serial, first_generation=first_generation,
                                process=self._process)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.finished.connect(thread.quit)
        thread.finished.connect(self._check_alive)
        worker.sigSnapshot.connect(self._on_snapshot)
        worker.sigStopped.connect(self.sigStopped)
        worker.sigError.connect(self._on_error)
        worker.sigNote.connect(self.sigNote)
        worker.sigStepThrough.connect(self.sigStepThrough)
        worker.sigRunningChanged.connect(self.sigRunningChanged)
        self._thread, self._worker = thread, worker

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> None:
        """Start the thread (the worker builds the experiment there and waits, paused)."""
        if not self._thread.isRunning() and not self._quitting:
            self._started = True
            self._dead = False
            self._thread.start()
            self._watchdog.start()

    def shutdown(self, timeout_ms: int = 1000) -> bool:
        """Stop the loop and the thread; True if it ended within ``timeout_ms`` (if not, this waits up to 5 s
        more: a running QThread must not be destroyed).

        The loop abandons queued commands and checks for quit between mini-batches, so this takes at most one
        mini-batch or one snapshot (well under 0.5 s).
        """
        self._quitting = True
        self._watchdog.stop()
        self._worker.request_quit()
        ended = True
        for thread, worker in [(self._thread, self._worker), *self._stuck]:
            worker.request_quit()
            if thread.isRunning():
                thread.quit()
                if not thread.wait(timeout_ms):
                    ended = False
                    # Qt aborts the process when a running QThread is destroyed: better late than that
                    thread.wait(5000)
        return ended

    def is_alive(self) -> bool:
        return self._thread.isRunning()

    def is_dead(self) -> bool:
        """The thread was started and ended without a requested quit (see :attr:`sigThreadDied`)."""
        return self._dead

    def restart(self) -> None:
        """Replace a dead (or stuck) training thread with a new one, built from the last configuration and data
        the old one was running (the newest snapshot's; else the ones it was started with). Progress is lost:
        training starts again from the initial weights, paused; snapshot numbering goes on, so views rebuild."""
        old_thread, old_worker = self._thread, self._worker
        old_worker.request_quit()
        if old_thread.isRunning():
            old_thread.quit()
            if not old_thread.wait(500):
                self._stuck.append((old_thread, old_worker))
        for signal in (old_worker.sigSnapshot, old_worker.sigStopped, old_worker.sigError, old_worker.sigNote,
                       old_worker.sigRunningChanged, old_worker.sigStepThrough):
            with contextlib.suppress(TypeError):  # not connected
                signal.disconnect()
        snap = self.latest
        if snap is not None and snap.config is not None:
            self._config, self._dataset = snap.config, snap.dataset
        self._make_worker(
            self._config,
            self._dataset,
            first_serial=snap.serial if snap is not None else 0,
            first_generation=snap.generation if snap is not None else 0,
        )
        if self._speed is not None:
            self._worker.submit("speed", self._speed)
        self._last_error = ""
        self.sigRunningChanged.emit(False)
        self.start()

    def _check_alive(self) -> None:
        """Watchdog (timer and thread end): a started thread that is not running, without a quit, died."""
        if not self._started or self._quitting or self._dead or self._thread.isRunning():
            return
        self._dead = True
        self._watchdog.stop()
        self.sigRunningChanged.emit(False)
        self.sigThreadDied.emit(self._why_dead())

    def _why_dead(self) -> str:
        """The last line of the error the worker reported as it stopped, or "" (earlier errors paused only)."""
        lines = self._last_error.strip().splitlines()
        return lines[-1] if lines and "thread stopped" in lines[-1] else ""

    def _on_error(self, message: str) -> None:
        self._last_error = message
        self.sigError.emit(message)

    # ------------------------------------------------------------------ steering
    @property
    def config(self) -> Config:
        return self._config

    def is_running(self) -> bool:
        return self._worker.is_running() and not self._dead

    def play(self) -> None:
        if self._dead:
            self.sigThreadDied.emit(self._why_dead())
            return
        if not self._worker.is_running():
            self._worker.set_running(True)
            self.sigRunningChanged.emit(True)

    def pause(self) -> None:
        if self._worker.is_running():
            self._worker.set_running(False)
            self.sigRunningChanged.emit(False)

    def toggle(self) -> None:
        self.pause() if self._worker.is_running() else self.play()

    def step_epoch(self) -> bool:
        """Pause and train one epoch; False if dropped because a few steps still wait (→ held down)."""
        self.pause()
        return self._worker.submit("step_epoch")

    def step_batch(self) -> bool:
        """Pause and train one mini-batch; False if dropped because a few steps still wait."""
        self.pause()
        return self._worker.submit("step_batch")

    def reset(self, new_weights: bool = False) -> None:
        """Start over with the same initial weights, or with new ones."""
        self.pause()
        if new_weights:
            self._config = self._config.replace(seed=(self._config.seed + 1) % 2**31)  # as Trainer.reset
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
        self._dataset = dataset
        self._worker.submit("data", config, dataset)

    def load(self, config: Config, dataset, params=None) -> None:
        """Rebuild with ``config`` on ``dataset`` (None: generated from the config) and start from the flat
        parameters ``params`` (a lesson's own starting weights; None: the seed's)."""
        self._config = config
        self._dataset = dataset
        self._worker.submit("load", config, dataset, None if params is None else params.copy())

    def replace_data(self, dataset) -> None:
        """Train the running network on ``dataset`` from its next epoch on (points drawn, erased or moved), keeping
        weights, optimizer, epoch, history and the generation (so pending weight edits stay valid). Data that do not
        fit the network (another task, class count or inputs, no training rows) are dropped with a :attr:`sigNote`.
        """
        self._dataset = dataset
        self._worker.submit("replace_data", dataset)

    def set_speed(self, epochs_per_second: float) -> None:
        """Limit training to ``epochs_per_second`` (0: as fast as possible)."""
        self._speed = float(epochs_per_second)
        self._worker.submit("speed", self._speed)

    def edit_weight(self, generation: int, layer: int, i: int, j: int, value: float) -> None:
        """Set ``weights[layer][i, j]`` of the network of snapshot generation ``generation`` (dropped with a
        :attr:`sigNote` if the network changed since, or the indices or value do not fit)."""
        self._worker.submit("edit_weight", generation, layer, i, j, value)

    def edit_bias(self, generation: int, layer: int, j: int, value: float) -> None:
        """Set ``biases[layer][j]`` of the network of snapshot generation ``generation`` (as :meth:`edit_weight`)."""
        self._worker.submit("edit_bias", generation, layer, j, value)

    def request_stepthrough(self, generation: int, indices=None) -> None:
        """Ask for the step-through records of one step on training rows ``indices`` (None: the next mini-batch)
        of the network of generation ``generation``; they arrive by :attr:`sigStepThrough` as a dict with
        ``generation``, ``indices`` and ``record``. Training is not touched."""
        self._worker.submit("stepthrough", generation, None if indices is None else tuple(indices))

    def apply_step(self, generation: int, indices) -> None:
        """Pause and take exactly one training step on training rows ``indices`` (the engine's own step, so the
        network ends bit for bit where it would after that mini-batch); dropped with a note if the network
        changed since ``generation``."""
        self.pause()
        self._worker.submit("apply_step", generation, tuple(indices))

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
