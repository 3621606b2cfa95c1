"""The trainer's per-epoch records: losses and metrics (:class:`History`), gradient norms (:class:`GradNormHistory`)."""

from __future__ import annotations

import math

import numpy as np


class History:
    """Append-only per-epoch records in amortised-doubling numpy arrays.

    ``view()`` returns read-only views of the filled part; since filled entries are never rewritten and growing
    allocates a new array, a view handed to another thread stays valid and unchanged.
    """

    FIELDS = ("train_loss", "test_loss", "train_metric", "test_metric")

    def __init__(self, capacity: int = 1024):
        self.n = 0
        self._data = np.full((len(self.FIELDS), capacity), np.nan)

    def append(self, *values: float) -> None:
        if self.n == self._data.shape[1]:
            grown = np.full((len(self.FIELDS), 2 * self.n), np.nan)
            grown[:, : self.n] = self._data
            self._data = grown
        self._data[:, self.n] = values
        self.n += 1

    def view(self) -> dict[str, np.ndarray]:
        block = self._data[:, : self.n]
        block.flags.writeable = False
        return dict(zip(self.FIELDS, block, strict=True))

    def last(self, field: str) -> float:
        return float(self._data[self.FIELDS.index(field), self.n - 1]) if self.n else math.nan

    def state_dict(self) -> dict:
        return {"data": self._data[:, : self.n].copy()}

    def load_state_dict(self, state: dict) -> None:
        data = np.asarray(state["data"], dtype=np.float64)
        self.n = data.shape[1]
        self._data = np.full((len(self.FIELDS), max(1024, 2 * self.n)), np.nan)
        self._data[:, : self.n] = data


class GradNormHistory:
    """Per weight layer, the size (L2 norm, weights and bias) of the last step's gradient, once per epoch.

    Bounded: at most ``capacity`` rows are kept. When full, every other row goes and from then on only every
    ``stride``-th epoch is recorded (the stride doubles each time), so a long run keeps an evenly thinned
    picture of its whole history in constant memory.
    """

    def __init__(self, n_layers: int, capacity: int = 1024):
        self.capacity = max(2, int(capacity))
        self.stride = 1
        self.n = 0
        self._epochs = np.zeros(self.capacity, dtype=np.int64)
        self._norms = np.zeros((self.capacity, n_layers))

    def append(self, epoch: int, norms: np.ndarray) -> None:
        if epoch % self.stride:
            return
        if self.n == self.capacity:
            self.stride *= 2
            keep = np.flatnonzero(self._epochs % self.stride == 0)
            k = keep.shape[0]
            self._epochs[:k] = self._epochs[keep]
            self._norms[:k] = self._norms[keep]
            self.n = k
            if epoch % self.stride:
                return
        self._epochs[self.n] = epoch
        self._norms[self.n] = norms
        self.n += 1

    def view(self) -> tuple[np.ndarray, np.ndarray]:
        """``(epochs (k,), norms (k, n_layers))``, copies: epoch numbers and the per-layer gradient norms."""
        return self._epochs[: self.n].copy(), self._norms[: self.n].copy()
