"""The training loop in a child process (``python -m visualizer.training.child FD``): no Qt here.

The parent's training thread (:class:`~visualizer.training.relay.TrainingWorker`) starts this module with one end
of a socket pair as file descriptor ``FD`` and talks to it with pickled messages
(:class:`multiprocessing.connection.Connection`):

parent → child
    ``("start", config, dataset, first_generation, pace, running, run_seq)`` once, first; then
    ``("run", on, seq)`` play/pause, ``("cmd", name, args)`` a command for :meth:`TrainingLoop._apply` (validated
    there, as in the thread), ``("want",)`` the parent is ready for the next snapshot, ``("quit",)``.
    A :class:`DatasetRef` stands for a data set the parent sent: the child answers with its token, so the parent's
    snapshots carry the parent's own object (the data editor knows its data sets by identity).
child → parent
    ``("hello",)`` once the loop is built, then ``(signal name, args…)`` for every signal of the loop:
    ``sigSnapshot`` carries a :class:`Payload` (a :class:`Snapshot` without grid, history and data set; the
    history's new rows; the network layout when it changed); ``sigRunningChanged`` carries the ``seq`` of the last
    play/pause it applied; ``("step_dequeued",)`` a step command left the queue; ``("exit", asked)`` the loop ended.

A reader thread turns the parent's messages into the loop's thread-safe calls (the same ones the GUI thread makes
in the in-thread mode), so the loop itself is exactly the thread's: pause, commands and quit are seen between
epochs or mini-batches. End of file on the socket (the parent died) means quit.
"""

from __future__ import annotations

import contextlib
import os
import sys

CHILD_NICE = int(os.environ.get("NN_VISUALIZER_CHILD_NICE") or 5)
"""The child's scheduling niceness: where cores are short, the window's frames come before training (the thread
mode had the loop wait while a frame was drawn); with a core to itself the child trains at full speed anyway."""

if __name__ == "__main__":  # before numpy's import: the start-up competes with the window's first frames
    with contextlib.suppress(OSError, AttributeError):
        os.nice(CHILD_NICE)

import threading  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from multiprocessing.connection import Connection  # noqa: E402

from .snapshot import Snapshot  # noqa: E402
from .worker import TrainingLoop  # noqa: E402


@dataclass(frozen=True)
class DatasetRef:
    """A data set sent by the parent, with the token the parent keeps it under."""

    token: int
    dataset: object


@dataclass(frozen=True)
class Payload:
    """What a snapshot sends: ``snap`` without grid, history and data set; ``history``: ``(restart, rows)`` — the
    rows (field → new values) to append to the parent's copy, after starting a new one if ``restart``;
    ``layout``: None, or ``(network, grid evaluator, data set token or data set)`` when one of them changed."""

    snap: Snapshot
    history: tuple[bool, dict]
    layout: tuple | None


class _Out:
    """A signal of the child's loop: ``emit`` sends ``(name, *args)`` to the parent."""

    def __init__(self, loop: ChildLoop, name: str):
        self._loop, self._name = loop, name

    def emit(self, *args) -> None:
        self._loop.send(self._name, *args)


class ChildLoop(TrainingLoop):
    """The training loop of the child process: signals are messages, snapshots are :class:`Payload` s."""

    def __init__(self, conn: Connection, config, dataset, first_generation: int):
        self._conn = conn
        self._send_lock = threading.Lock()
        self._tokens: dict[int, tuple[int, object]] = {}  # id(data set) → (token, data set): held, so ids stay unique
        super().__init__(config, self._resolve(dataset), first_generation=first_generation)
        for name in ("sigSnapshot", "sigStopped", "sigError", "sigNote", "sigStepThrough", "finished"):
            setattr(self, name, _Out(self, name))
        self.sigRunningChanged = _Out(self, "sigRunningChanged")
        self.run_seq = 0
        self._sent_layout: tuple = (None, None, None)  # the objects last described (held: ids stay unique)
        self._sent_history = (None, 0)  # (history object, rows sent)

    def send(self, *message) -> None:
        if message[0] == "sigRunningChanged":
            message = (*message, self.run_seq)
        with self._send_lock:
            self._conn.send(message)

    def _resolve(self, value):
        if isinstance(value, DatasetRef):
            self._tokens[id(value.dataset)] = (value.token, value.dataset)
            if len(self._tokens) > 16:  # data sets go in order: the oldest one no longer in use goes
                current = getattr(self._exp, "dataset", None)
                old = min((t, key) for key, (t, d) in self._tokens.items() if d is not current)
                del self._tokens[old[1]]
            return value.dataset
        return value

    def command(self, name: str, args: tuple) -> None:
        """A command from the parent (its step bound is kept there): into the queue, as ``submit`` does."""
        args = tuple(self._resolve(a) for a in args)
        if name in ("step_epoch", "step_batch"):
            with self._pending_lock:
                self._pending_steps += 1
        self._commands.put((name, args))
        self._wake.set()

    def _step_dequeued(self) -> None:
        self.send("step_dequeued")

    def snapshot(self) -> Payload:
        exp = self._exp
        self._serial += 1
        steps_per_s, epochs_per_s = self._rates()
        stats, evaluation = self._measures()
        snap = Snapshot.of(
            exp,
            serial=self._serial,
            generation=self._generation,
            with_grid=False,
            running=self._running.is_set(),
            steps_per_s=steps_per_s,
            epochs_per_s=epochs_per_s,
            stats=stats,
            config=self._config,
            history={},
            dataset=None,
            evaluation=evaluation,
        )
        layout = None
        objects = (exp.network, exp.grid, exp.dataset)
        if any(a is not b for a, b in zip(objects, self._sent_layout, strict=True)):
            self._sent_layout = objects
            token = self._tokens.get(id(exp.dataset))
            layout = (exp.network, exp.grid, token[0] if token is not None else exp.dataset)
        history = exp.trainer.history
        sent_obj, sent_n = self._sent_history
        view = history.view()
        n = len(next(iter(view.values()))) if view else 0
        restart = history is not sent_obj or n < sent_n
        start = 0 if restart else sent_n
        rows = {name: values[start:n].copy() for name, values in view.items()}
        self._sent_history = (history, n)
        return Payload(snap, (restart, rows), layout)


def main(argv: list[str]) -> int:
    conn = Connection(int(argv[0]))
    try:
        message = conn.recv()
    except (EOFError, OSError):
        return 0
    _, config, dataset, first_generation, pace, running, run_seq = message
    loop = ChildLoop(conn, config, dataset, first_generation)
    loop.epochs_per_second = pace
    loop.run_seq = run_seq
    if running:
        loop.set_running(True)

    def read() -> None:
        try:
            while True:
                message = conn.recv()
                kind = message[0]
                if kind == "run":
                    loop.run_seq = message[2]
                    loop.set_running(message[1])
                elif kind == "cmd":
                    loop.command(message[1], message[2])
                elif kind == "want":
                    loop.request_snapshot()
                elif kind == "quit":
                    break
        except (EOFError, OSError):
            pass  # the parent is gone
        finally:
            loop.request_quit()

    threading.Thread(target=read, name="commands", daemon=True).start()
    loop.send("hello")
    loop.run()
    with contextlib.suppress(OSError):
        loop.send("exit", loop._quit.is_set())
    return 0


if __name__ == "__main__":
    from visualizer.training.child import main as _main  # the module by its name: what the parent unpickles

    code = _main(sys.argv[1:])
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)  # no interpreter teardown: quit must be quick (the reader thread may still block in recv)
