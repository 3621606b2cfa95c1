"""The undoable point store behind the data-editing tool: add, erase and clear points, undo and redo.

:class:`PointStore` holds the current :class:`~.dataset.Dataset` (immutable: every edit makes a new one, so a data
set already handed to the training thread or a view never changes under it) and a bounded history of the data sets
before and after each edit.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from .dataset import Dataset

__all__ = ["MAX_HISTORY", "PointStore"]

MAX_HISTORY = 200
"""Undo steps kept; the oldest are forgotten beyond this."""


class PointStore:
    """The current data set and its edit history.

    Parameters
    ----------
    dataset : Dataset
        The starting data (any number of features; :meth:`remove_near` and drawing use the first two).
    max_history : int, default :data:`MAX_HISTORY`
        Undo steps kept.

    Notes
    -----
    Every successful edit that changes something pushes one undo step and clears the redo steps; an edit that
    changes nothing (adding 0 points, erasing where there is no point, clearing an empty set) pushes nothing and
    returns 0 / False. Memory: each step keeps one Dataset (for 5,000 points of 2 features, 120 kB).

    Erasing and clearing may leave a data set with no training rows (``dataset.n_train == 0``), or a
    classification set in which some class has no point: a :class:`~visualizer.engine.trainer.Trainer` cannot be
    built on an empty training set, so the caller pauses training until a point is added (``has_training_data``).
    """

    def __init__(self, dataset: Dataset, max_history: int = MAX_HISTORY) -> None:
        if not isinstance(dataset, Dataset):
            raise TypeError(f"PointStore needs a Dataset, not {type(dataset).__name__}")
        if max_history < 1:
            raise ValueError("max_history must be at least 1")
        self._dataset = dataset
        self._undo: list[Dataset] = []
        self._redo: list[Dataset] = []
        self.max_history = int(max_history)

    # ------------------------------------------------------------------ state
    @property
    def dataset(self) -> Dataset:
        """The current data set (immutable)."""
        return self._dataset

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    @property
    def has_training_data(self) -> bool:
        """Whether the current data set has a training row (training is possible)."""
        return self._dataset.n_train > 0

    @property
    def undo_steps(self) -> int:
        return len(self._undo)

    def _push(self, new: Dataset) -> None:
        self._undo.append(self._dataset)
        if len(self._undo) > self.max_history:
            del self._undo[0]
        self._redo.clear()
        self._dataset = new

    def reset(self, dataset: Dataset) -> None:
        """Start over with other data (a new data set was chosen): the history is forgotten."""
        if not isinstance(dataset, Dataset):
            raise TypeError(f"PointStore needs a Dataset, not {type(dataset).__name__}")
        self._dataset = dataset
        self._undo.clear()
        self._redo.clear()

    # ------------------------------------------------------------------ edits
    def add(self, points, values, to_test: bool = False) -> int:
        """Add points with their class indices (classification) or targets (regression).

        Parameters
        ----------
        points : array_like, shape (n, d) or (d,)
            Inputs, ``d`` the data set's number of features.
        values : array_like, shape (n,) or scalar
            Class indices in ``[0, n_classes)`` or finite regression targets.
        to_test : bool, default False
            Append to the test part instead of the training part.

        Returns
        -------
        int
            Points added (0 adds nothing and pushes no undo step).

        Raises
        ------
        ValueError
            Wrong shapes, non-finite values, a class index out of range (nothing changes).
        """
        P = np.asarray(points, dtype=np.float64)
        if P.ndim == 1:
            P = P.reshape(1, -1)
        if P.ndim == 2 and P.shape[0] == 0:
            return 0
        new = self._dataset.with_points(P, values, train=not to_test)
        self._push(new)
        return int(P.shape[0])

    def remove_near(self, x: float, y: float, radius: float) -> int:
        """Remove every point (training and test) within ``radius`` of ``(x, y)`` in the first two features.

        Returns the number removed; 0 changes nothing (no undo step). The result may have no training rows (see
        the class Notes).
        """
        ds = self._dataset
        if not (np.isfinite(x) and np.isfinite(y) and np.isfinite(radius)) or radius < 0:
            raise ValueError("x, y and radius must be finite, radius >= 0")
        if ds.n_features < 2:
            d2 = (ds.X[:, 0] - x) ** 2
        else:
            d2 = (ds.X[:, 0] - x) ** 2 + (ds.X[:, 1] - y) ** 2
        remove = d2 <= radius * radius
        count = int(remove.sum())
        if count == 0:
            return 0
        keep = ~remove
        n_train = int(keep[: ds.n_train].sum())
        self._push(dataclasses.replace(ds, X=ds.X[keep], y=ds.y[keep], n_train=n_train))
        return count

    def clear(self) -> bool:
        """Remove every point (an empty canvas to draw on); False, and no undo step, if it was empty already."""
        ds = self._dataset
        if ds.n_samples == 0:
            return False
        self._push(dataclasses.replace(ds, X=ds.X[:0], y=ds.y[:0], n_train=0))
        return True

    # ------------------------------------------------------------------ history
    def undo(self) -> bool:
        """Go back one edit; False when there is nothing to undo."""
        if not self._undo:
            return False
        self._redo.append(self._dataset)
        self._dataset = self._undo.pop()
        return True

    def redo(self) -> bool:
        """Redo the last undone edit; False when there is nothing to redo."""
        if not self._redo:
            return False
        self._undo.append(self._dataset)
        self._dataset = self._redo.pop()
        return True
