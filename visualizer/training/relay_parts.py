"""Two pieces of the training relay (:mod:`visualizer.training.relay`) that need no Qt: the parent's copy of the
child's loss history, and the wake-up event that also wakes the relay waiting on its sockets."""

from __future__ import annotations

import contextlib
import os
import threading

import numpy as np

from ..engine.trainer import History


class HistoryCopy:
    """The parent's copy of the child's :class:`~visualizer.engine.trainer.History`: append-only arrays that grow
    by doubling, so a view handed out stays valid and unchanged (as the engine's own)."""

    def __init__(self):
        self.n = 0
        self._data = np.full((len(History.FIELDS), 1024), np.nan)

    def extend(self, rows: dict) -> None:
        k = len(next(iter(rows.values()))) if rows else 0
        if not k:
            return
        if self.n + k > self._data.shape[1]:
            grown = np.full((len(History.FIELDS), max(2 * self._data.shape[1], self.n + k)), np.nan)
            grown[:, : self.n] = self._data[:, : self.n]
            self._data = grown
        for i, name in enumerate(History.FIELDS):
            self._data[i, self.n : self.n + k] = rows[name]
        self.n += k

    def view(self) -> dict:
        block = self._data[:, : self.n]
        block.flags.writeable = False
        return dict(zip(History.FIELDS, block, strict=True))


class Wake(threading.Event):
    """The loop's wake-up event, which also wakes the relay waiting on its sockets (a byte into a pipe)."""

    def __init__(self):
        super().__init__()
        self.r, self.w = os.pipe()
        os.set_blocking(self.r, False)
        os.set_blocking(self.w, False)

    def set(self) -> None:
        super().set()
        with contextlib.suppress(OSError):  # full: it is awake anyway; closed: quitting
            os.write(self.w, b"!")

    def drain(self) -> None:
        try:
            while os.read(self.r, 4096):
                pass
        except (BlockingIOError, OSError):
            pass

    def close(self) -> None:
        for fd in (self.r, self.w):
            with contextlib.suppress(OSError):
                os.close(fd)
