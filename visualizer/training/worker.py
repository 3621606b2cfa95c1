"""The training loop, running in its own QThread.

The :class:`TrainingWorker` is a ``QObject`` created without a parent and moved to a ``QThread`` by the
:class:`~visualizer.training.controller.TrainingController`. Its :meth:`run` slot is a busy loop that owns the
engine's :class:`~visualizer.engine.experiment.Experiment` for its whole life: nothing else touches the live
arrays. Because the loop never returns to the thread's event loop, the GUI does not talk to it through slots;
it uses thread-safe state instead (Orange3's cooperative-cancel idea):

* ``threading.Event`` flags for *running* and *quit*, read between epochs (and between mini-batches when an
  epoch is long), so pause takes effect within one epoch or ~20 ms, whichever is shorter;
* a command queue (weight edits, single steps, live settings, rebuilds) drained between epochs;
* a *snapshot wanted* flag: the GUI sets it when it has drawn the previous snapshot, so snapshots are produced
  no faster than the GUI can draw them, and each one is the newest state (nothing stale queues up).

Snapshots are emitted with a queued signal and contain copies only.

Performance notes
-----------------
Training and drawing share one interpreter lock, and PyQt releases it around every Qt call, so while the loop
runs, each Python callback during a paint (pyqtgraph items paint in Python) waits for the loop to give the lock
back — up to the interpreter's switch interval per callback. Measured on the Playground-maximum network, that
stretched a 4 ms frame to 40–80 ms. So the GUI announces its frames (:meth:`set_gui_busy`), and the loop waits
between epochs while a frame is drawn and painted: the frame then costs what it costs alone, and training gets
the rest of each frame interval. See ``benchmarks/live.py`` for the numbers.
"""

from __future__ import annotations

import queue
import threading
import time
import traceback
from collections import deque

from PyQt6.QtCore import QObject, pyqtSignal, pyqtSlot

from ..engine.experiment import DATA_FIELDS, LIVE_FIELDS, Config, Experiment, build
from .snapshot import Snapshot


class TrainingWorker(QObject):
    """Owns an :class:`Experiment` and trains it in a loop; see the module docstring.

    Parameters
    ----------
    config : Config
        The experiment to build when the loop starts (in the worker thread).
    dataset : Dataset, optional
        Data to use instead of generating ``config.dataset``.
    """

    sigSnapshot = pyqtSignal(object)
    sigStopped = pyqtSignal(str)
    sigError = pyqtSignal(str)
    sigRunningChanged = pyqtSignal(bool)
    finished = pyqtSignal()

    def __init__(self, config: Config, dataset=None):
        super().__init__()  # no parent: it is moved to a QThread
        self._config = config
        self._dataset = dataset
        self._exp: Experiment | None = None
        self._running = threading.Event()
        self._quit = threading.Event()
        self._wake = threading.Event()
        self._snapshot_wanted = threading.Event()
        self._snapshot_wanted.set()
        self._gui_idle = threading.Event()  # cleared while the GUI thread draws a frame
        self._gui_idle.set()
        self._commands: queue.SimpleQueue = queue.SimpleQueue()
        self.epochs_per_second: float = 0.0  # 0 = as fast as possible; read by the loop
        self.slice_s: float = 0.004  # work between voluntary GIL releases
        self._serial = 0
        self._generation = 0
        self._dirty = True
        self._speed = deque(maxlen=64)  # (time, steps, epochs)

    # ------------------------------------------------------------------ thread-safe API (any thread)
    def set_running(self, on: bool) -> None:
        if on:
            self._running.set()
        else:
            self._running.clear()
        self._dirty = True  # the next snapshot reports the new state
        self._wake.set()

    def is_running(self) -> bool:
        return self._running.is_set()

    def request_quit(self) -> None:
        self._quit.set()
        self._running.clear()
        self._wake.set()

    def set_gui_busy(self, busy: bool) -> None:
        """The GUI thread is drawing (True) or done (False); the loop waits between epochs while it draws."""
        if busy:
            self._gui_idle.clear()
        else:
            self._gui_idle.set()

    def request_snapshot(self) -> None:
        """The GUI is ready to draw another snapshot."""
        self._snapshot_wanted.set()
        self._wake.set()

    def submit(self, command: str, *args) -> None:
        """Queue a command for the loop: ``step_epoch``, ``step_batch``, ``reset``, ``config``, ``data``,
        ``edit_weight``, ``edit_bias``."""
        self._commands.put((command, args))
        self._wake.set()

    # ------------------------------------------------------------------ the loop (worker thread)
    @pyqtSlot()
    def run(self) -> None:
        try:
            self._exp = build(self._config, self._dataset)
            self._generation += 1
            self._loop()
        except Exception:  # pragma: no cover - reported to the GUI, never raised into Qt
            self.sigError.emit(traceback.format_exc())
        finally:
            self.finished.emit()

    def _loop(self) -> None:
        next_due = time.perf_counter()
        while not self._quit.is_set():
            self._drain_commands()
            if self._quit.is_set():
                break
            if self._running.is_set():
                pace = self.epochs_per_second
                now = time.perf_counter()
                if pace > 0 and now < next_due:
                    self._maybe_snapshot()
                    self._wake.wait(min(next_due - now, 0.05))
                    self._wake.clear()
                    continue
                reason = self._train_slice(1 if pace > 0 else None)
                if pace > 0:
                    next_due = max(next_due + 1.0 / pace, time.perf_counter() - 0.25)
                else:
                    next_due = time.perf_counter()
                if reason:
                    self._finish_run(reason)
                self._maybe_snapshot()
                time.sleep(0)  # hand the GIL to the GUI thread if it is waiting
            else:
                self._maybe_snapshot()
                self._wake.wait(0.05)
                self._wake.clear()
                next_due = time.perf_counter()

    def _train_slice(self, max_epochs: int | None) -> str | None:
        """Train whole epochs for about ``slice_s`` seconds (or ``max_epochs``); returns a stop reason."""
        trainer = self._exp.trainer
        t0 = time.perf_counter()
        deadline = t0 + self.slice_s
        done = 0
        reason = None
        gui_idle = self._gui_idle
        while True:
            if not gui_idle.is_set():
                gui_idle.wait(0.1)  # let the frame finish without fighting it for the GIL
            if trainer.n_train // max(trainer.batch_size, 1) > 64 and self._epoch_is_slow():
                reason = self._train_batches(deadline)
                if reason is None and trainer.mid_epoch:
                    break  # epoch continues next slice; keeps pause and commands responsive
            else:
                reason = trainer.run_epoch()
            done += 1
            self._dirty = True
            if reason or (max_epochs and done >= max_epochs) or time.perf_counter() >= deadline:
                break
            if not self._running.is_set() or self._quit.is_set() or self._snapshot_wanted.is_set():
                break
        self._speed.append((time.perf_counter(), trainer.steps, trainer.epoch))
        return reason

    def _epoch_is_slow(self) -> bool:
        if len(self._speed) < 2:
            return True
        (t0, _, e0), (t1, _, e1) = self._speed[0], self._speed[-1]
        return e1 == e0 or (t1 - t0) / max(e1 - e0, 1) > 0.02

    def _train_batches(self, deadline: float) -> str | None:
        trainer = self._exp.trainer
        while True:
            reason = trainer.step_batch()
            if reason or not trainer.mid_epoch:
                return reason
            if time.perf_counter() >= deadline or not self._running.is_set() or self._quit.is_set():
                return None

    def _finish_run(self, reason: str) -> None:
        self._running.clear()
        self.sigRunningChanged.emit(False)
        self.sigStopped.emit(reason)
        self._dirty = True
        self._snapshot_wanted.set()  # the final state must reach the GUI

    def _drain_commands(self) -> None:
        while True:
            try:
                command, args = self._commands.get_nowait()
            except queue.Empty:
                return
            try:
                self._apply(command, *args)
            except ValueError as err:
                self.sigError.emit(str(err))
            self._dirty = True

    def _apply(self, command: str, *args) -> None:
        exp = self._exp
        trainer = exp.trainer
        if command == "step_epoch":
            reason = trainer.run_epoch()
            if reason:
                self.sigStopped.emit(reason)
        elif command == "step_batch":
            reason = trainer.step_batch()
            if reason:
                self.sigStopped.emit(reason)
        elif command == "reset":
            (new_weights,) = args
            trainer.reset(new_weights=new_weights)
            self._config = self._config.replace(seed=exp.network.seed)
            exp.config = exp.config.replace(seed=exp.network.seed)
            self._speed.clear()
        elif command == "config":
            (config,) = args
            self._set_config(config)
        elif command == "data":
            config, dataset = args
            self._rebuild(config, dataset)
        elif command == "edit_weight":
            layer, i, j, value = args
            exp.network.weights[layer][i, j] = float(value)
        elif command == "edit_bias":
            layer, j, value = args
            exp.network.biases[layer][j] = float(value)
        elif command == "speed":
            (self.epochs_per_second,) = args
        else:
            raise ValueError(f"unknown worker command {command!r}")

    def _set_config(self, config: Config) -> None:
        old = self._config
        changed = {f for f in config.to_dict() if getattr(config, f) != getattr(old, f)}
        if changed <= LIVE_FIELDS | {"stop"}:
            self._exp.apply_live(config)
            self._config = config
        else:
            new_data = changed & DATA_FIELDS
            self._rebuild(config, None if new_data else self._dataset)

    def _rebuild(self, config: Config, dataset) -> None:
        """Build a new experiment; on failure (ValueError) the running one stays as it was."""
        self._exp = build(config, dataset)
        self._config, self._dataset = config, dataset
        self._generation += 1
        self._speed.clear()

    def _maybe_snapshot(self) -> None:
        if self._snapshot_wanted.is_set() and self._dirty:
            self._snapshot_wanted.clear()
            self._dirty = False
            self.sigSnapshot.emit(self.snapshot())

    def _rates(self) -> tuple[float, float]:
        if len(self._speed) < 2 or not self._running.is_set():
            return 0.0, 0.0
        now = self._speed[-1][0]
        t0, s0, e0 = next((s for s in self._speed if now - s[0] <= 1.0), self._speed[0])
        t1, s1, e1 = self._speed[-1]
        dt = t1 - t0
        return ((s1 - s0) / dt, (e1 - e0) / dt) if dt > 0 else (0.0, 0.0)

    def snapshot(self) -> Snapshot:
        """A copy of the current state (worker thread only)."""
        exp = self._exp
        self._serial += 1
        steps_per_s, epochs_per_s = self._rates()
        return Snapshot.of(
            exp,
            serial=self._serial,
            generation=self._generation,
            running=self._running.is_set(),
            steps_per_s=steps_per_s,
            epochs_per_s=epochs_per_s,
            stats=exp.trainer.statistics(),
            config=self._config,
        )

