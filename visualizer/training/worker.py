"""The training loop: in the training QThread, or in a child process that the thread relays to.

:class:`TrainingLoop` (here, without Qt, so that a child process can run it) is the loop that owns the engine's
:class:`~visualizer.engine.experiment.Experiment` for its whole life: nothing else touches the live arrays. The
:class:`~visualizer.training.relay.TrainingWorker` is the ``QObject`` created without a parent and moved to a
``QThread`` by the :class:`~visualizer.training.controller.TrainingController`; its :meth:`run` slot either runs
this loop in the thread (``NN_VISUALIZER_INPROCESS=1``, or when no child process can start) or starts the loop in a
child process (:mod:`visualizer.training.child`) and relays commands and snapshots (see
:mod:`visualizer.training.relay` for why: two interpreter locks, two cores). Because the loop never returns to
the thread's event loop, the GUI does not talk to it through slots; it uses thread-safe state instead (Orange3's
cooperative-cancel idea):

* ``threading.Event`` flags for *running* and *quit*, read between epochs (and between mini-batches when an
  epoch is long), so pause takes effect within one epoch or ~20 ms, whichever is shorter;
* a command queue (weight edits, single steps, live settings, rebuilds) drained between epochs; at most
  :data:`MAX_PENDING_STEPS` single-step commands wait in it (→ held down with key autorepeat would otherwise queue
  steps without bound), the excess is dropped;
* a *snapshot wanted* flag: the GUI sets it when it has drawn the previous snapshot, so snapshots are produced
  no faster than the GUI can draw them, and each one is the newest state (nothing stale queues up).

Snapshots are emitted with a queued signal and contain copies only.

Robustness
----------
The loop never dies on a command or a bug, because the GUI cannot do anything without it:

* every command is checked against the network it was made for: weight and bias edits carry the generation of the
  snapshot they were made on and are dropped (with a note, :attr:`sigNote`) when the network was rebuilt since,
  or when their indices or value do not fit;
* any unexpected exception in a command, a training slice or a snapshot is caught: its traceback goes out by
  :attr:`sigError` (the last line is a sentence for the status bar), training pauses, and the loop goes on with
  the network it has (Reset, a new setting or Play work afterwards);
* quit is checked between commands (queued ones are abandoned), between epochs and between the mini-batches of a
  single-step epoch or of a slow epoch, so the thread ends within one mini-batch or one snapshot.

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
import sys
import threading
import time
import traceback
from collections import deque

from ..engine.experiment import Config, Experiment, build
from .commands import CommandsMixin, DroppedCommandError
from .snapshot import Snapshot, evaluation_fields

MEASURE_INTERVAL_S = 0.1
"""While training runs, snapshots measure the network's health and test-set evaluation at most this often (the
views show them as text and tables, redrawn at most ten times a second); see :meth:`TrainingLoop._measures`."""

MAX_PENDING_STEPS = 3
"""Single-step commands (``step_epoch``, ``step_batch``) allowed to wait in the queue; more are dropped."""

STEP_COMMANDS = frozenset({"step_epoch", "step_batch"})


def __getattr__(name: str):
    if name == "TrainingWorker":  # the QObject lives in relay.py: importing this module must not import Qt
        from .relay import TrainingWorker

        return TrainingWorker
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class TrainingLoop(CommandsMixin):
    """Owns an :class:`Experiment` and trains it in a loop; see the module docstring.

    Without Qt: a subclass provides the signals (objects with ``emit``) named below — the QThread's
    :class:`~visualizer.training.relay.TrainingWorker` as Qt signals, the child process's loop as messages to its
    parent.

    Parameters
    ----------
    config : Config
        The experiment to build when the loop starts (in the worker thread).
    dataset : Dataset, optional
        Data to use instead of generating ``config.dataset``.
    first_serial, first_generation : int
        Numbering to continue from (a restarted worker goes on where its dead predecessor stopped, so the GUI
        takes its snapshots as newer ones and rebuilds its views).

    Signals
    -------
    sigError(str)
        A rejected setting (one line), or the traceback of an unexpected exception whose last line says what
        happened; training is paused then.
    sigNote(str)
        A dropped command (stale or out-of-range edit), one line for the status bar.
    """

    def __init__(self, config: Config, dataset=None, first_serial: int = 0, first_generation: int = 0):
        super().__init__()  # the QObject of a TrainingWorker: no parent, it is moved to a QThread
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
        self._serial = int(first_serial)
        self._generation = int(first_generation)
        self._pending_steps = 0  # step commands in the queue (bounded by MAX_PENDING_STEPS)
        self._pending_lock = threading.Lock()
        self._dirty = True
        self._speed = deque(maxlen=64)  # (time, steps, epochs)
        self._measured = None  # (key, time, stats, evaluation fields) of the newest measurements: _measures()

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
        """End the loop as soon as possible: queued commands are abandoned, a long epoch stops at its next
        mini-batch."""
        self._quit.set()
        self._running.clear()
        self._gui_idle.set()
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

    def submit(self, command: str, *args) -> bool:
        """Queue a command for the loop: ``step_epoch``, ``step_batch``, ``reset``, ``config``, ``data``,
        ``replace_data`` (dataset: same network, optimizer and generation; from the next epoch on),
        ``edit_weight`` (generation, layer, i, j, value), ``edit_bias`` (generation, layer, j, value), ``speed``,
        ``load`` (config, dataset, flat parameters or None: rebuild, then start from those weights — a lesson),
        ``stepthrough`` (generation, indices or None for the next mini-batch: the step-through records of one step
        on those training rows, computed on a copy and sent by :attr:`sigStepThrough`), ``apply_step`` (generation,
        indices: exactly one training step on those rows, :meth:`Trainer.step_on`).

        Returns False if the command was dropped: a step while :data:`MAX_PENDING_STEPS` steps still wait.
        """
        if command in STEP_COMMANDS:
            with self._pending_lock:
                if self._pending_steps >= MAX_PENDING_STEPS:
                    return False
                self._pending_steps += 1
        self._commands.put((command, args))
        self._wake.set()
        return True

    # ------------------------------------------------------------------ the loop (worker thread)
    def run(self) -> None:
        try:
            try:
                self._exp = self._build(self._config, self._dataset)
            except Exception as err:
                self._report(err, "building the network", "the training thread stopped")
                return
            self._generation += 1
            self._loop()
        except BaseException as err:  # never raised into Qt (PyQt would abort the process)
            self._report(err, "the training loop", "the training thread stopped")
        finally:
            self._running.clear()
            self.finished.emit()

    def _loop(self) -> None:
        next_due = time.perf_counter()
        while not self._quit.is_set():
            try:
                next_due = self._iterate(next_due)
            except Exception as err:  # a bug outside commands, slices and snapshots: report, pause, go on
                self._crashed(err, "the training loop")
                self._wake.wait(0.05)  # no busy loop if it keeps failing
                self._wake.clear()

    def _iterate(self, next_due: float) -> float:
        """One pass of the loop: commands, then a training slice or a wait; returns when the next epoch is due."""
        self._drain_commands()
        if self._quit.is_set():
            return next_due
        if self._running.is_set():
            pace = self.epochs_per_second
            now = time.perf_counter()
            if pace > 0 and now < next_due:
                self._maybe_snapshot()
                self._wake.wait(min(next_due - now, 0.05))
                self._wake.clear()
                return next_due
            try:
                reason = self._train_slice(1 if pace > 0 else None)
            except Exception as err:
                self._crashed(err, "training")
                return time.perf_counter()
            if pace > 0:
                next_due = max(next_due + 1.0 / pace, time.perf_counter() - 0.25)
            else:
                next_due = time.perf_counter()
            if reason:
                self._finish_run(reason)
            self._maybe_snapshot()
            time.sleep(0)  # hand the GIL to the GUI thread if it is waiting
            return next_due
        self._maybe_snapshot()
        self._wake.wait(0.05)
        self._wake.clear()
        return time.perf_counter()

    # ------------------------------------------------------------------ failures (worker thread)
    def _report(self, err: BaseException, where: str, outcome: str = "training paused") -> None:
        """Send the traceback of ``err`` by sigError, with a last line for the status bar."""
        tb = traceback.format_exc()
        sys.stderr.write(tb)
        what = f"{type(err).__name__}: {err}"
        if len(what) > 160:
            what = what[:157] + "…"
        self.sigError.emit(f"{tb}Internal error in {where} ({what}); {outcome}.")

    def _crashed(self, err: Exception, where: str, dirty: bool = True) -> None:
        """An unexpected exception: report it and pause; the loop and the network stay usable."""
        if self._running.is_set():
            self._running.clear()
            self.sigRunningChanged.emit(False)
        self._report(err, where)  # after the pause: the window clears its status line when training stops
        self._dirty = dirty  # the next snapshot shows the paused state

    def _train_slice(self, max_epochs: int | None) -> str | None:
        """Train for about ``slice_s`` seconds (or ``max_epochs``): whole epochs, or the next part of an epoch longer
        than the slice; returns a stop reason."""
        trainer = self._exp.trainer
        t0 = time.perf_counter()
        deadline = t0 + self.slice_s
        done = 0
        reason = None
        gui_idle = self._gui_idle
        while True:
            if not gui_idle.is_set():
                gui_idle.wait(0.1)  # let the frame finish without fighting it for the GIL
            # An epoch longer than the slice stops at the slice's end and goes on in the next one, so that
            # snapshots, pause, quit and commands never wait for a whole epoch (at 10 × 64 without AVX-512 an epoch
            # is 16–25 ms, longer than a frame).
            if trainer.n_train // max(trainer.batch_size, 1) > 1 and self._epoch_is_slow():
                reason = trainer.run_epoch(deadline=deadline)
                if reason is None and trainer.mid_epoch:
                    self._dirty = True  # new weights: a snapshot asked for goes out now, not at the epoch's end
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
        return e1 == e0 or (t1 - t0) / max(e1 - e0, 1) > self.slice_s

    def _finish_run(self, reason: str) -> None:
        self._running.clear()
        self.sigRunningChanged.emit(False)
        self.sigStopped.emit(reason)
        self._dirty = True
        self._snapshot_wanted.set()  # the final state must reach the GUI

    def _drain_commands(self) -> None:
        while not self._quit.is_set():  # on quit, whatever is still queued is abandoned
            try:
                command, args = self._commands.get_nowait()
            except queue.Empty:
                return
            if command in STEP_COMMANDS:
                with self._pending_lock:
                    self._pending_steps -= 1
                self._step_dequeued()
            try:
                self._apply(command, *args)
            except DroppedCommandError as note:
                self.sigNote.emit(str(note))
            except ValueError as err:
                if command in ("config", "data", "load"):  # the engine rejected a setting: the old network runs on
                    self.sigError.emit(str(err))
                else:
                    self._crashed(err, f"the {command!r} command")
            except Exception as err:
                self._crashed(err, f"the {command!r} command")
            self._dirty = True
            self._measured = None  # an edit, a new rate, a Reset…: the next snapshot measures afresh

    @staticmethod
    def _build(config: Config, dataset) -> Experiment:
        return build(config, dataset)  # this module's ``build``: tests replace it

    def _step_dequeued(self) -> None:
        """A step command left the queue (the child process tells its parent, which bounds the steps waiting)."""

    def _maybe_snapshot(self) -> None:
        if self._snapshot_wanted.is_set() and self._dirty and not self._quit.is_set():
            self._snapshot_wanted.clear()
            self._dirty = False
            try:
                snap = self.snapshot()
            except Exception as err:
                # The GUI still waits for one: try again after the next change (a command, Reset…), not in a loop.
                self._snapshot_wanted.set()
                self._crashed(err, "taking a snapshot", dirty=False)
                return
            self.sigSnapshot.emit(snap)

    def _rates(self) -> tuple[float, float]:
        if len(self._speed) < 2 or not self._running.is_set():
            return 0.0, 0.0
        now = self._speed[-1][0]
        t0, s0, e0 = next((s for s in self._speed if now - s[0] <= 1.0), self._speed[0])
        t1, s1, e1 = self._speed[-1]
        dt = t1 - t0
        return ((s1 - s0) / dt, (e1 - e0) / dt) if dt > 0 else (0.0, 0.0)

    def _measures(self) -> tuple[dict, dict]:
        """The network's health statistics and its evaluation on the test set, for the next snapshot.

        Both pass every training or test row through the network (4 ms a snapshot at 10 hidden layers of 64, half
        an epoch) and are shown as text and tables that change at most ten times a second. So while training runs
        they are measured at most every :data:`MEASURE_INTERVAL_S` and the snapshots in between carry the last
        measurement; paused, after any command and for a new network, each snapshot measures its own state.
        """
        exp = self._exp
        trainer = exp.trainer
        now = time.perf_counter()
        key = (id(exp), id(trainer), self._generation)
        cached = self._measured
        if (cached is not None and cached[0] == key and self._running.is_set()
                and now - cached[1] < MEASURE_INTERVAL_S):
            return cached[2], cached[3]
        stats = trainer.statistics()
        evaluation = evaluation_fields(trainer, exp.dataset)
        self._measured = (key, now, stats, evaluation)
        return stats, evaluation

    def snapshot(self) -> Snapshot:
        """A copy of the current state (worker thread only)."""
        exp = self._exp
        self._serial += 1
        steps_per_s, epochs_per_s = self._rates()
        stats, evaluation = self._measures()
        return Snapshot.of(
            exp,
            serial=self._serial,
            generation=self._generation,
            running=self._running.is_set(),
            steps_per_s=steps_per_s,
            epochs_per_s=epochs_per_s,
            stats=stats,
            config=self._config,
            evaluation=evaluation,
        )

