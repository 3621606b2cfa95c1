"""The :class:`Dataset` every part of the engine trains on, and :func:`normalize`.

A :class:`Dataset` holds raw (un-normalized) inputs whose rows are already in their final order: rows
``[0, n_train)`` are the training set, rows ``[n_train, n)`` the test set.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np

__all__ = ["Dataset", "normalize"]


@dataclass(frozen=True, eq=False)
class Dataset:
    """An immutable data set whose rows are split into a training part followed by a test part.

    Attributes
    ----------
    name : str
        Short identifier, e.g. ``"circle"``.
    X : numpy.ndarray, shape (n, d), float64
        Raw inputs; rows ``[0, n_train)`` are the training set, rows ``[n_train, n)`` the test set.
    y : numpy.ndarray, shape (n,)
        int64 class index ``0 .. n_classes - 1`` for classification, float64 target for regression.
    task : str
        ``"classification"`` or ``"regression"``.
    n_classes : int
        At least 2 for classification, 0 for regression.
    n_train : int
        Number of training rows, ``0 <= n_train <= n`` (the test part may be empty).
    feature_names : tuple of str, length d
        Name of each input column, e.g. ``("x1", "x2")``.
    class_names : tuple of str, length n_classes
        Name of each class (``("orange", "blue")``, ``("setosa", ...)``); ``()`` for regression. For
        classification an empty tuple is replaced by ``("class 1", "class 2", ...)``.
    domain : tuple of float or None
        ``(-6.0, 6.0)`` for the 2-D playground sets (both axes of the square input plane); None otherwise.
    image_shape : tuple of int or None
        ``(rows, columns)`` when each row of ``X`` is an image read row by row (``(8, 8)`` for ``"digits"``), so a
        view can draw inputs and first-layer weights as pictures; ``rows * columns == d``. None otherwise.

    Notes
    -----
    The constructor validates everything and stores *read-only copies* of ``X`` and ``y`` (so the views
    returned by :attr:`X_train` and friends are read-only too); copy them before modifying anything in place.
    Equality is identity (``eq=False``), so data sets are hashable.
    """

    name: str
    X: np.ndarray
    y: np.ndarray
    task: str
    n_classes: int
    n_train: int
    feature_names: tuple[str, ...]
    class_names: tuple[str, ...] = ()
    domain: tuple[float, float] | None = None
    image_shape: tuple[int, int] | None = None

    def __post_init__(self) -> None:
        if self.task not in ("classification", "regression"):
            raise ValueError(f"task must be 'classification' or 'regression', not {self.task!r}")
        X = np.array(self.X, dtype=np.float64, copy=True)
        if X.ndim != 2:
            raise ValueError(f"X must be a 2-D array of shape (n, d), got shape {X.shape}")
        n, d = X.shape
        if d < 1:
            raise ValueError("X needs at least one feature column")
        if not np.all(np.isfinite(X)):
            raise ValueError("X contains NaN or infinite values")
        y_raw = np.asarray(self.y)
        if y_raw.shape != (n,):
            raise ValueError(f"y must have shape ({n},) to match X, got shape {y_raw.shape}")
        feature_names = tuple(str(f) for f in self.feature_names)
        if len(feature_names) != d:
            raise ValueError(f"feature_names has {len(feature_names)} names but X has {d} columns")
        if isinstance(self.n_train, bool) or not isinstance(self.n_train, (int, np.integer)):
            raise ValueError(f"n_train must be an integer, not {self.n_train!r}")
        n_train = int(self.n_train)
        if not 0 <= n_train <= n:
            raise ValueError(f"n_train must be between 0 and {n}, got {n_train}")
        n_classes = int(self.n_classes)
        class_names = tuple(str(c) for c in self.class_names)
        if self.task == "classification":
            if n_classes < 2:
                raise ValueError(f"classification needs n_classes >= 2, got {n_classes}")
            y = _as_class_indices(y_raw, n_classes, "y")
            if not class_names:
                class_names = tuple(f"class {k + 1}" for k in range(n_classes))
            if len(class_names) != n_classes:
                raise ValueError(f"class_names has {len(class_names)} names but n_classes is {n_classes}")
        else:
            if n_classes != 0:
                raise ValueError(f"regression needs n_classes == 0, got {n_classes}")
            if class_names:
                raise ValueError("regression data sets have no class_names")
            y = _as_targets(y_raw, "y")
        domain = self.domain
        if domain is not None:
            lo, hi = (float(v) for v in domain)
            if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
                raise ValueError(f"domain must be a finite (low, high) pair with low < high, got {domain!r}")
            domain = (lo, hi)
        image_shape = self.image_shape
        if image_shape is not None:
            image_shape = tuple(int(v) for v in image_shape)
            if len(image_shape) != 2 or min(image_shape) < 1 or image_shape[0] * image_shape[1] != d:
                raise ValueError(f"image_shape must be (rows, columns) with rows * columns == {d}, got {image_shape!r}")
        X.setflags(write=False)
        y.setflags(write=False)
        for field, value in (
            ("X", X),
            ("y", y),
            ("n_classes", n_classes),
            ("n_train", n_train),
            ("feature_names", feature_names),
            ("class_names", class_names),
            ("domain", domain),
            ("image_shape", image_shape),
        ):
            object.__setattr__(self, field, value)

    def __repr__(self) -> str:
        n, d = self.X.shape
        return (
            f"Dataset(name={self.name!r}, task={self.task!r}, n={n}, n_train={self.n_train}, d={d}, "
            f"n_classes={self.n_classes})"
        )

    @property
    def X_train(self) -> np.ndarray:
        """Training inputs, shape (n_train, d) (a read-only view)."""
        return self.X[: self.n_train]

    @property
    def y_train(self) -> np.ndarray:
        """Training labels or targets, shape (n_train,) (a read-only view)."""
        return self.y[: self.n_train]

    @property
    def X_test(self) -> np.ndarray:
        """Test inputs, shape (n - n_train, d) (a read-only view; may have 0 rows)."""
        return self.X[self.n_train :]

    @property
    def y_test(self) -> np.ndarray:
        """Test labels or targets, shape (n - n_train,) (a read-only view; may be empty)."""
        return self.y[self.n_train :]

    @property
    def n_samples(self) -> int:
        """Total number of rows, training plus test."""
        return int(self.X.shape[0])

    @property
    def n_features(self) -> int:
        """Number of input columns ``d``."""
        return int(self.X.shape[1])

    @property
    def is_classification(self) -> bool:
        """True for a classification set, False for regression."""
        return self.task == "classification"

    def with_points(self, X_new: np.ndarray, y_new: np.ndarray, train: bool = True) -> Dataset:
        """Return a new data set with extra points (e.g. added by clicking on the input plane).

        Parameters
        ----------
        X_new : array_like, shape (m, d) or (d,)
            The new inputs; a 1-D array is one point.
        y_new : array_like, shape (m,) or scalar
            Their class indices (integers in ``[0, n_classes)``) or regression targets.
        train : bool, default True
            Append the points to the end of the training part (shifting the test part back) if True, else
            to the end of the test part.

        Returns
        -------
        Dataset
            A new data set; this one is unchanged.

        Raises
        ------
        ValueError
            If the shapes do not match, a value is not finite, or a class index is out of range.
        """
        X_add = np.array(X_new, dtype=np.float64)
        if X_add.ndim == 1:
            X_add = X_add.reshape(1, -1)
        if X_add.ndim != 2 or X_add.shape[1] != self.n_features:
            raise ValueError(
                f"X_new must have shape (m, {self.n_features}) or ({self.n_features},), got {np.shape(X_new)}"
            )
        y_add = np.atleast_1d(np.asarray(y_new))
        if y_add.shape != (X_add.shape[0],):
            raise ValueError(f"y_new must have shape ({X_add.shape[0]},) to match X_new, got {y_add.shape}")
        if not np.all(np.isfinite(X_add)):
            raise ValueError("X_new contains NaN or infinite values")
        if self.is_classification:
            y_add = _as_class_indices(y_add, self.n_classes, "y_new")
        else:
            y_add = _as_targets(y_add, "y_new")
        k = self.n_train if train else self.n_samples
        X = np.concatenate([self.X[:k], X_add, self.X[k:]])
        y = np.concatenate([self.y[:k], y_add, self.y[k:]])
        n_train = self.n_train + X_add.shape[0] if train else self.n_train
        return dataclasses.replace(self, X=X, y=y, n_train=n_train)


def _as_class_indices(y: np.ndarray, n_classes: int, what: str) -> np.ndarray:
    """Return ``y`` as int64 class indices, checking they are whole numbers in ``[0, n_classes)``."""
    if y.dtype.kind not in "iub":
        if y.dtype.kind != "f":
            raise ValueError(f"{what} must hold integer class indices, got dtype {y.dtype}")
        if not np.all(np.isfinite(y)) or np.any(y != np.round(y)):
            raise ValueError(f"{what} must hold whole-number class indices")
    out = np.array(y, dtype=np.int64, copy=True)
    if out.size and (out.min() < 0 or out.max() >= n_classes):
        raise ValueError(f"{what} holds class indices outside 0..{n_classes - 1}")
    return out


def _as_targets(y: np.ndarray, what: str) -> np.ndarray:
    """Return ``y`` as float64 regression targets, checking they are finite."""
    if y.dtype.kind not in "iubf":
        raise ValueError(f"{what} must hold numbers, got dtype {y.dtype}")
    out = np.array(y, dtype=np.float64, copy=True)
    if not np.all(np.isfinite(out)):
        raise ValueError(f"{what} contains NaN or infinite values")
    return out


# ----------------------------------------------------------------------------------------------------------
# Normalization
# ----------------------------------------------------------------------------------------------------------


def normalize(
    X: np.ndarray, method: str = "minmax", stats: tuple[np.ndarray, np.ndarray] | None = None
) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """Scale each input column, as tutorial 000 does before training.

    Parameters
    ----------
    X : array_like, shape (n, d)
        Inputs. May have 0 rows when ``stats`` is given (e.g. an empty test set).
    method : {"minmax", "standard"}, default "minmax"
        ``"minmax"`` maps each column's range onto ``[0, 1]``; ``"standard"`` gives each column mean 0 and
        variance 1 (population variance, ``ddof=0``). Ignored when ``stats`` is given.
    stats : tuple of two arrays of shape (d,), optional
        ``(offset, scale)`` to apply instead of fitting them on ``X``; pass the training set's stats when
        normalizing test data or points of the input plane.

    Returns
    -------
    X_normalized : numpy.ndarray, shape (n, d), float64
        ``(X - offset) / scale``, a new array.
    stats : tuple of two numpy.ndarray of shape (d,)
        ``(offset, scale)``; ``offset`` is the column minimum (minmax) or mean (standard), ``scale`` the
        column range or standard deviation, replaced by 1 for a constant column so nothing divides by zero.

    Raises
    ------
    ValueError
        For an unknown method, ``X`` not 2-D, fitting on 0 rows, or ``stats`` of the wrong shape.
    """
    if method not in ("minmax", "standard"):
        raise ValueError(f"unknown normalization method {method!r}; valid methods are: minmax, standard")
    A = np.asarray(X, dtype=np.float64)
    if A.ndim != 2:
        raise ValueError(f"X must be a 2-D array of shape (n, d), got shape {A.shape}")
    d = A.shape[1]
    if stats is None:
        if A.shape[0] == 0:
            raise ValueError("cannot fit normalization statistics on an empty X")
        if method == "minmax":
            offset = A.min(axis=0)
            scale = A.max(axis=0) - offset
        else:
            offset = A.mean(axis=0)
            scale = A.std(axis=0)
        # A constant column (up to rounding) gets scale 1, so it maps to 0 instead of dividing by ~0.
        tiny = scale <= 1e-12 * np.maximum(1.0, np.abs(offset))
        scale = np.where(tiny, 1.0, scale)
    else:
        offset = np.array(stats[0], dtype=np.float64).reshape(-1)
        scale = np.array(stats[1], dtype=np.float64).reshape(-1)
        if offset.shape != (d,) or scale.shape != (d,):
            raise ValueError(f"stats must be two arrays of shape ({d},), got {offset.shape} and {scale.shape}")
        if not (np.all(np.isfinite(offset)) and np.all(np.isfinite(scale)) and np.all(scale != 0)):
            raise ValueError("stats must be finite, with a non-zero scale")
    return (A - offset) / scale, (offset, scale)
