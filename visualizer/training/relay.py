"""The training thread's QObject: runs the training loop in a child process and relays to it (or runs it itself).

Why a child process
-------------------
Training and drawing are both Python that holds the interpreter lock most of the time: the engine's loop is ~50
numpy calls on tiny arrays per step, pyqtgraph paints in Python. In one process they take turns, so at 60
frames/s with 5–7 ms of GUI work per frame the loop cannot get more than ~0.6 of the engine's speed, on two
cores or twenty (measured: ``benchmarks/gil_share.py`` and ``benchmarks/README.md``). A child process has its own
interpreter lock: the engine trains on one core while the GUI draws on the other.

Shape
-----
* The child (:mod:`visualizer.training.child`) runs :class:`~visualizer.training.worker.TrainingLoop` — the very
  loop of the in-thread mode, command checks included — on the experiment. Started with ``python -m`` (a fresh
  interpreter, like multiprocessing's *spawn*: forking a process with Qt threads is unsafe), when the window
  starts its training thread.
* This thread is the relay and stays the one owner of training towards the GUI: the thread-safe API is the loop's
  (``submit``, ``set_running``, ``request_snapshot``, ``request_quit``), commands go to the child in order, at most
  :data:`~visualizer.training.worker.MAX_PENDING_STEPS` step commands wait (counted here until the child takes
  them), and snapshots come back as :class:`~visualizer.training.snapshot.Snapshot` s by the same queued signal.
* The child sends a snapshot's small parts (weights, biases, statistics, new history rows only); this thread keeps
  the history (append-only arrays, so snapshots share them) and computes the **grid pass** on the snapshot's
  weights, a layer at a time and only while the GUI is not drawing (numpy releases the interpreter lock in its
  products and ufuncs). While training runs, a snapshot carries the newest finished grid (the maps may be one pass
  behind the weights on big networks); paused, it waits for its own.
* A child that dies is reported (:attr:`sigError`) and restarted, paused, from the last configuration and data;
  the thread goes on. If no child can start at all, the loop runs in this thread (as with
  ``NN_VISUALIZER_INPROCESS=1``).
* Quit: the child is told, waited for ≤ :data:`QUIT_WAIT_S`, then killed; nothing is left behind.
"""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import math
import os
import queue
import socket
import struct
import subprocess
import sys
import threading
import time
from multiprocessing.connection import Connection, wait

from PyQt6.QtCore import QObject, pyqtSignal, pyqtSlot

from ..engine.data import Dataset
from .child import DatasetRef, Payload
from .relay_parts import HistoryCopy, Wake
from .snapshot import Snapshot
from .worker import TrainingLoop

INPROCESS_ENV = "NN_VISUALIZER_INPROCESS"
"""Set to 1 to train in the training thread instead of a child process."""

HELLO_TIMEOUT_S = 30.0
"""How long a starting child may take to answer before training falls back to the thread."""

FIRST_FRAME_WAIT_S = 0.5
"""At most this long the child's start waits for the first frame to be drawn (spawning competes with it for CPU)."""

PIN_ENV = "NN_VISUALIZER_PIN"
"""Set to 0 to leave the child free to run on any core (see :meth:`TrainingWorker._pin`)."""

SOCKET_BUFFER = 4 << 20
"""Bytes asked for each end's socket buffers (the kernel caps it at ``net.core.wmem_max``)."""

QUIT_WAIT_S = 0.25
"""How long quit waits for the child to end by itself before killing it."""

GRID_SLICE_S = 0.004
"""Grid work between checks of the GUI's frame (the pass yields to a frame being drawn)."""

GRID_SHARE = 0.3
"""While training runs, grid passes take at most this share of a core (after a pass of ``t`` CPU seconds the next
starts ``t·(1/GRID_SHARE − 1)`` later): the core the child does not use is the GUI's first. On Playground's
largest network (a pass ≈ 0.5–2 ms) that is every frame; at 10 × 64 (10–21 ms at the 65 points per axis
``grid.resolution_for`` gives it) the neuron maps follow at ~12–30 Hz while frames, weights and loss go on at the
frame rate. Paused, every snapshot gets its own pass at once."""

MAX_RESTARTS = 3
"""Child deaths within :data:`RESTART_WINDOW_S` after which the thread gives up (reported as a dead thread)."""
RESTART_WINDOW_S = 30.0


def process_mode_default() -> bool:
    return os.environ.get(INPROCESS_ENV, "").strip().lower() not in ("1", "true", "yes", "on")


class _ChildGoneError(Exception):
    pass


class TrainingWorker(TrainingLoop, QObject):
    """The training thread's object (see the module docstring and :class:`TrainingLoop`).

    Parameters
    ----------
    config, dataset, first_serial, first_generation
        As :class:`TrainingLoop`.
    process : bool or None
        Train in a child process (True) or in this thread (False); None: a child process unless the environment
        variable ``NN_VISUALIZER_INPROCESS`` is 1.
    """

    sigSnapshot = pyqtSignal(object)
    sigStopped = pyqtSignal(str)
    sigError = pyqtSignal(str)
    sigNote = pyqtSignal(str)
    sigStepThrough = pyqtSignal(object)
    sigRunningChanged = pyqtSignal(bool)
    finished = pyqtSignal()

    def __init__(self, config, dataset=None, first_serial: int = 0, first_generation: int = 0,
                 process: bool | None = None):
        super().__init__(config, dataset, first_serial=first_serial, first_generation=first_generation)
        self.process_mode = process_mode_default() if process is None else bool(process)
        """True while training runs in a child process (False after falling back to the thread)."""
        self.child: subprocess.Popen | None = None
        self.child_start_s: float | None = None  # spawn to first word, for the benchmarks
        if self.process_mode:
            self._wake = Wake()

    # ------------------------------------------------------------------ GUI thread
    def set_gui_busy(self, busy: bool) -> None:
        super().set_gui_busy(busy)
        if not busy and self.process_mode:
            self._wake.set()  # grid work may go on

    # ------------------------------------------------------------------ the thread
    @pyqtSlot()
    def run(self) -> None:
        self.thread_ident = threading.get_ident()  # for the benchmarks' CPU clocks
        if self.process_mode:
            try:
                started = self._start_child()
            except BaseException as err:
                self._report(err, "starting the training process", "training runs in the training thread")
                started = False
            if started:
                try:
                    self._relay()
                except BaseException as err:
                    self._report(err, "the training relay", "the training thread stopped")
                finally:
                    self._stop_child()
                    self._running.clear()
                    self._wake.close()
                    self.finished.emit()
                return
            self._fall_back()
        super().run()

    def _fall_back(self) -> None:
        """Train in this thread from here on (commands already queued stay queued for the loop)."""
        self._stop_child()
        self.process_mode = False
        wake = self._wake
        self._wake = threading.Event()
        if wake.is_set():
            self._wake.set()
        if isinstance(wake, Wake):
            wake.close()

    # ------------------------------------------------------------------ child process
    def _start_child(self) -> bool:
        """Start a child and wait for its first word; False if it cannot start (quit also ends the wait)."""
        import visualizer

        root = os.path.dirname(os.path.dirname(os.path.abspath(visualizer.__file__)))
        env = dict(os.environ)
        env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            env.setdefault(var, "1")  # the child trains on one core
        if self._first_snapshot():  # before spawning: the first frame waits neither for the child nor its start-up
            deadline = time.perf_counter() + FIRST_FRAME_WAIT_S
            while not (self._snapshot_wanted.is_set() or self._quit.is_set()) and time.perf_counter() < deadline:
                self._snapshot_wanted.wait(0.01)  # drawn: the GUI asks for the next one
        ours, theirs = socket.socketpair()
        for end in (ours, theirs):
            for option in (socket.SO_SNDBUF, socket.SO_RCVBUF):
                with contextlib.suppress(OSError):  # Linux caps the size; other systems may refuse it: as it was
                    end.setsockopt(socket.SOL_SOCKET, option, SOCKET_BUFFER)
        t0 = time.perf_counter()
        try:
            self.child = subprocess.Popen(
                [sys.executable, "-m", "visualizer.training.child", str(theirs.fileno())],
                pass_fds=(theirs.fileno(),), env=env, stdin=subprocess.DEVNULL, close_fds=True,
            )
        except OSError:
            ours.close()
            return False
        finally:
            theirs.close()
        self._pin(self.child.pid)
        # a child that stops reading (frozen) must not block this thread for good: sends give up after 1 s
        ours.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, struct.pack("ll", 1, 0))
        self._conn = Connection(ours.detach())
        self._datasets: dict[int, object] = {}
        self._tokens = itertools.count(1)
        self._run_seq = 0
        self._sent_running = self._running.is_set()
        self._conn.send(("start", self._config, self._ref(self._dataset), self._generation, self.epochs_per_second,
                         self._sent_running, self._run_seq))
        deadline = time.perf_counter() + HELLO_TIMEOUT_S
        while not self._quit.is_set():
            if wait([self._conn], timeout=0.05):
                try:
                    message = self._conn.recv()
                except (EOFError, OSError):
                    return False
                if message[0] == "hello":
                    self.child_start_s = time.perf_counter() - t0
                    self._history = HistoryCopy()
                    self._layout = None  # (shadow network, grid evaluator, data set)
                    self._payload = None  # newest Payload not yet emitted (its history view taken on arrival)
                    self._grid_job = None  # (GridPass, payload it is for)
                    self._grid = None  # (GridResult, payload it is for) newest finished, current layout
                    self._grid_cpu = 0.0  # CPU seconds of the pass in progress
                    self._grid_rest_until = 0.0  # no new pass before (perf_counter), while training runs
                    self._asked = False  # a snapshot was asked of the child and has not arrived
                    return True
            if time.perf_counter() > deadline or self.child.poll() is not None:
                return False
        return True  # quit while starting: the relay ends at once

    @staticmethod
    def _pin(pid: int) -> None:
        """Keep the child on one core (the last this process may use). Free to move, it was preempted ~270×/s
        (each snapshot it sent woke this thread where it ran) and, on a VM, trained up to a third slower per CPU
        second than on a fixed core. The GUI and this thread stay free: pinning them off that core as well gave
        the child 0.95 of it but cost frames at 10 × 64 (47 instead of 51 frames/s). Nothing is pinned with fewer
        than two cores, where the system cannot, or with NN_VISUALIZER_PIN=0."""
        if os.environ.get(PIN_ENV, "").strip().lower() in ("0", "false", "no", "off"):
            return
        try:
            cpus = sorted(os.sched_getaffinity(os.getpid()))  # the process's (its main thread's), not this thread's
            if len(cpus) < 2:
                return
            os.sched_setaffinity(pid, {cpus[-1]})
        except (AttributeError, OSError):  # no such call here (macOS, Windows), or not allowed: unpinned
            pass

    def _first_snapshot(self) -> bool:
        """While the child starts (~0.3–1 s: a Python interpreter, numpy), show the network it is going to build:
        built here the same way (same seed), once — the first frame does not wait for the child."""
        if self._serial > 0 or not self._snapshot_wanted.is_set():
            return False
        try:
            exp = self._build(self._config, self._dataset)
            self._serial += 1
            snap = Snapshot.of(exp, serial=self._serial, generation=self._generation + 1, running=False,
                               stats=exp.trainer.statistics(), config=self._config)
        except Exception:  # the child builds it too, and reports what went wrong
            return False
        if self._dataset is None:
            self._dataset = exp.dataset  # the child trains on this very data set: snapshots carry this object
        self._snapshot_wanted.clear()
        self.sigSnapshot.emit(snap)
        return True

    def _stop_child(self) -> None:
        child = self.child
        if child is None:
            return
        conn = getattr(self, "_conn", None)
        if conn is not None:
            with contextlib.suppress(OSError):
                conn.send(("quit",))
        try:
            child.wait(QUIT_WAIT_S)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
        if conn is not None:
            conn.close()
            self._conn = None

    def _ref(self, dataset):
        if isinstance(dataset, Dataset):
            token = next(self._tokens)
            self._datasets[token] = dataset
            return DatasetRef(token, dataset)
        return dataset

    # ------------------------------------------------------------------ relay loop
    def _relay(self) -> None:
        deaths: list[float] = []
        while not self._quit.is_set():
            try:
                self._relay_once()
            except _ChildGoneError as gone:
                if self._quit.is_set():
                    return
                if not self._restart_child(str(gone), deaths):
                    return
            except Exception as err:  # a bug here: report, go on (the thread never dies)
                self._report(err, "the training relay", "training goes on")
                time.sleep(0.05)

    def _relay_once(self) -> None:
        if not self._gui_idle.is_set():
            # A frame is being drawn: leave the interpreter lock to it (on a busy machine a thread preempted while
            # holding the lock stalls the frame). Messages wait in the socket meanwhile.
            self._gui_idle.wait(0.05)
        conn = self._conn
        self._forward()
        timeout = 0.05
        if self._grid_job is not None:
            timeout = 0.0 if self._gui_idle.is_set() else 0.002
        elif self._grid_due():
            timeout = min(timeout, max(0.0, self._grid_rest_until - time.perf_counter()))
        ready = wait([conn, self._wake.r], timeout=timeout)
        self._wake.clear()
        self._wake.drain()
        if conn in ready:
            try:
                while conn.poll():
                    self._receive(conn.recv())
            except (EOFError, OSError):
                raise _ChildGoneError(self._exit_text()) from None
        if self._quit.is_set():
            return
        self._forward()
        self._grid_work()
        self._maybe_emit()

    def _send(self, *message) -> None:
        try:
            self._conn.send(message)
        except OSError:
            raise _ChildGoneError(self._exit_text()) from None

    def _forward(self) -> None:
        running = self._running.is_set()
        if running != self._sent_running:
            self._run_seq += 1
            self._sent_running = running
            self._send("run", running, self._run_seq)
        while True:
            try:
                command, args = self._commands.get_nowait()
            except queue.Empty:
                break
            if command == "speed":
                try:
                    pace = float(args[0])
                except (TypeError, ValueError, IndexError):
                    pace = math.nan
                if math.isfinite(pace) and pace >= 0:
                    self.epochs_per_second = pace
            args = tuple(self._ref(a) for a in args)  # data sets (data, replace_data, load…) go by token
            self._send("cmd", command, args)
        # While training runs one snapshot is always on its way, so the next frame's is here when the GUI asks
        # (at most a frame old); paused, only when asked (a step's result is the very next snapshot).
        if not self._asked and self._payload is None and (running or self._snapshot_wanted.is_set()):
            self._asked = True
            self._send("want")

    def _receive(self, message) -> None:
        kind = message[0]
        if kind == "sigSnapshot":
            self._asked = False
            self._take(message[1])
        elif kind == "sigRunningChanged":
            running, seq = message[1], message[2]
            if seq == self._run_seq and not running:  # else a newer play/pause is on its way to the child
                self._running.clear()
                self._sent_running = False
                self.sigRunningChanged.emit(False)
        elif kind == "step_dequeued":
            with self._pending_lock:
                self._pending_steps = max(0, self._pending_steps - 1)
        elif kind == "sigStopped":
            self.sigStopped.emit(message[1])
        elif kind == "sigError":
            self.sigError.emit(message[1])
        elif kind == "sigNote":
            self.sigNote.emit(message[1])
        elif kind == "sigStepThrough":
            self.sigStepThrough.emit(message[1])
        elif kind == "exit" and not message[1] and not self._quit.is_set():
            self._quit.set()  # the loop ended by itself (it could not build): the thread ends with it
            self._running.clear()

    def _take(self, payload: Payload) -> None:
        if payload.layout is not None:
            network, grid, data = payload.layout
            if isinstance(data, int):
                data, token = self._datasets.get(data), data
                for old in [t for t in self._datasets if t < token]:
                    del self._datasets[old]
            self._layout = (network, grid, data)
            self._grid_job = self._grid = None
        restart, rows = payload.history
        if restart:
            self._history = HistoryCopy()
        self._history.extend(rows)
        snap = dataclasses.replace(payload.snap, history=self._history.view(), dataset=self._layout[2])
        self._payload = self._last = snap

    # ------------------------------------------------------------------ grid and snapshots
    def _grid_due(self) -> bool:
        """A snapshot waits whose grid pass has not begun (it begins once the rest after the last pass is over).
        Without one the loop sleeps until a message or the GUI's request wakes it: a held snapshot with its pass
        done must not make it spin."""
        snap = self._payload
        if snap is None or self._layout is None or self._layout[1] is None:
            return False
        return self._grid is None or self._grid[1] is not snap

    def _grid_work(self) -> None:
        network, grid, _ = self._layout if self._layout is not None else (None, None, None)
        if grid is None:
            return
        if self._grid_job is None:
            snap = self._payload
            if snap is None or (self._grid is not None and self._grid[1] is snap):
                return
            if snap.running and self._grid is not None and time.perf_counter() < self._grid_rest_until:
                return  # the newest finished pass goes with the snapshots meanwhile
            for dst, src in zip(network.weights, snap.weights, strict=True):
                dst[...] = src
            for dst, src in zip(network.biases, snap.biases, strict=True):
                dst[...] = src
            self._grid_job = (grid.start(network), snap)
        if not self._gui_idle.is_set():
            return
        job, snap = self._grid_job
        c0 = time.thread_time()
        done = job.advance(GRID_SLICE_S)
        self._grid_cpu += time.thread_time() - c0
        if done:
            self._grid = (job.result(), snap)
            self._grid_job = None
            self._grid_rest_until = time.perf_counter() + self._grid_cpu * (1.0 / GRID_SHARE - 1.0)
            self._grid_cpu = 0.0

    def _maybe_emit(self) -> None:
        snap = self._payload
        if snap is None or not self._snapshot_wanted.is_set():
            return
        grid = None
        if self._layout is not None and self._layout[1] is not None:
            if self._grid is not None and (self._grid[1] is snap or snap.running):
                grid = self._grid[0]
            else:
                return  # its own pass is on its way (paused), or the first of this layout
        self._snapshot_wanted.clear()
        self._payload = None
        self._serial += 1
        self.sigSnapshot.emit(dataclasses.replace(snap, serial=self._serial, grid=grid))
        self._forward()  # ask for the next one now: it arrives while this one is drawn

    # ------------------------------------------------------------------ failures
    def _exit_text(self) -> str:
        child = self.child
        code = None
        if child is not None:
            try:
                code = child.wait(0.2)
            except subprocess.TimeoutExpired:
                child.kill()
                code = child.wait()
        return f"the training process ended unexpectedly (exit code {code})"

    def _restart_child(self, why: str, deaths: list[float]) -> bool:
        """Start a new child from the newest configuration and data (paused, from its initial weights); False
        when children keep dying (the thread then ends, which the controller reports as a dead thread)."""
        now = time.perf_counter()
        deaths[:] = [t for t in deaths if now - t < RESTART_WINDOW_S] + [now]
        self._stop_child()
        was_running = self._running.is_set()
        self._running.clear()
        if was_running:
            self.sigRunningChanged.emit(False)
        snap = getattr(self, "_last", None)
        config = snap.config if snap is not None and snap.config is not None else self._config
        dataset = self._layout[2] if self._layout is not None else self._dataset
        if snap is not None:
            self._generation = snap.generation  # the new child's network is the next generation: stale edits drop
        if len(deaths) > MAX_RESTARTS:
            self.sigError.emit(f"Internal error: {why} {len(deaths)} times; the training thread stopped.")
            return False
        self.sigError.emit(f"Internal error: {why}; training restarted, paused, from the initial weights.")
        self._config, self._dataset = config, dataset
        self._commands = queue.SimpleQueue()  # commands for the dead child's network are void
        with self._pending_lock:
            self._pending_steps = 0
        self._snapshot_wanted.set()
        if not self._start_child():
            self.sigError.emit("Internal error: the training process could not be restarted; the training thread "
                               "stopped.")
            return False
        return True
