"""The map of data that is not a Playground plane: a 2-D slice through two chosen feature columns.

For data with more than two inputs (Iris, the tutorials' tables, an imported CSV) the boundary map cannot show
the whole input space. :class:`SliceGridEvaluator` evaluates the network over the plane of feature columns ``i``
(horizontal) and ``j`` (vertical) while **every other feature is held at its training mean** — the mean of the
raw training rows, before any normalization. The view should say so ("slice through x, y; others at their
training mean"). For data with exactly two inputs but no Playground domain (a two-column CSV) the same evaluator
maps the whole input space (nothing is held).

Axis ranges: each axis spans the column's range over all rows (training and test), widened by :data:`MARGIN` of
that range on both sides (a constant column spans its value ± 1), so every point lies on the map.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .data import Dataset
from .grid import GridEvaluator, GridPass, GridResult, _finite32, exp_tanh_is_faster
from .network import Network

__all__ = ["MARGIN", "SliceGridEvaluator", "SliceGridResult", "slice_axis_range", "slice_grid", "slice_points"]

MARGIN = 0.1
"""Share of a column's range added on each side of a slice's axis."""


@dataclass(frozen=True, eq=False)
class SliceGridResult(GridResult):
    """A :class:`~.grid.GridResult` over a slice: row ``iy`` is feature ``axes[1] = ys[iy]``, column ``ix`` is
    feature ``axes[0] = xs[ix]``; ``inputs`` holds every network input (held ones constant).

    Attributes
    ----------
    ys : ndarray (R,)
        Coordinates along the vertical axis (``xs`` are the horizontal one's).
    axes : (int, int)
        The feature columns of the horizontal and vertical axis.
    fixed : ndarray (d,)
        The value every feature is held at (the training means; the two axes' entries are their means too, unused).
    feature_names : tuple of str
        The data set's feature names (``feature_names[axes[0]]`` labels the horizontal axis).
    """

    ys: np.ndarray = None  # type: ignore[assignment]
    axes: tuple[int, int] = (0, 1)
    fixed: np.ndarray = None  # type: ignore[assignment]
    feature_names: tuple[str, ...] = ()

    @property
    def held(self) -> tuple[int, ...]:
        """The feature columns held at their training mean (all but the two axes)."""
        return tuple(k for k in range(len(self.fixed)) if k not in self.axes)


def slice_axis_range(values: np.ndarray) -> tuple[float, float]:
    """The axis range for one column's values (see the module notes)."""
    v = np.asarray(values, dtype=np.float64)
    if v.size == 0:
        return (-1.0, 1.0)
    lo, hi = float(v.min()), float(v.max())
    if hi - lo <= 1e-12 * max(1.0, abs(lo)):
        return (lo - 1.0, hi + 1.0)
    pad = MARGIN * (hi - lo)
    return (lo - pad, hi + pad)


def _check_axes(dataset: Dataset, i: int, j: int) -> tuple[int, int]:
    d = dataset.n_features
    if d < 2:
        raise ValueError(f"a slice needs at least two feature columns; this data set has {d}")
    for a in (i, j):
        if isinstance(a, bool) or not isinstance(a, (int, np.integer)) or not 0 <= a < d:
            raise ValueError(f"slice axes must be feature columns 0…{d - 1}, got {(i, j)!r}")
    if i == j:
        raise ValueError(f"the two slice axes must be different columns, got {(i, j)!r}")
    return int(i), int(j)


def slice_points(dataset: Dataset, i: int, j: int, resolution: int = 100):
    """Raw input rows over the slice: ``(points (R·R, d), xs (R,), ys (R,), fixed (d,))``; row ``iy * R + ix`` is
    ``x_i = xs[ix], x_j = ys[iy]``, every other column at its training mean ``fixed``."""
    i, j = _check_axes(dataset, i, j)
    R = int(resolution)
    if R < 2:
        raise ValueError("grid resolution must be at least 2")
    train = dataset.X_train if dataset.n_train else dataset.X
    fixed = train.mean(axis=0) if train.shape[0] else np.zeros(dataset.n_features)
    xs = np.linspace(*slice_axis_range(dataset.X[:, i]), R)
    ys = np.linspace(*slice_axis_range(dataset.X[:, j]), R)
    gx, gy = np.meshgrid(xs, ys)
    points = np.tile(fixed, (R * R, 1))
    points[:, i] = gx.ravel()
    points[:, j] = gy.ravel()
    return points, xs, ys, fixed


class _SlicePass(GridPass):
    def result(self) -> SliceGridResult:
        base = super().result()
        g = self._grid
        return SliceGridResult(
            inputs=base.inputs,
            layers=base.layers,
            xs=base.xs,
            ys=g.ys,
            axes=g.axes,
            fixed=g.fixed,
            feature_names=g.feature_names,
        )


class SliceGridEvaluator(GridEvaluator):
    """A :class:`~.grid.GridEvaluator` over the slice through feature columns ``axes`` of ``dataset``.

    Parameters
    ----------
    dataset : Dataset
        Any data set with at least two feature columns; the network's inputs are its columns as they are.
    axes : (int, int), default (0, 1)
        Feature columns of the horizontal and vertical axis.
    resolution : int, default 100
    normalization : (offset, scale) or None
        Applied to the raw slice rows, as fitted on the training set (the experiment's).

    Attributes
    ----------
    axes, xs, ys, fixed, feature_names
        As in :class:`SliceGridResult`. ``domain`` is the horizontal axis's range (for code that expects one).
    """

    def __init__(
        self,
        dataset: Dataset,
        axes: tuple[int, int] = (0, 1),
        resolution: int = 100,
        normalization: tuple[np.ndarray, np.ndarray] | None = None,
        fast_tanh: bool | None = None,
    ):
        i, j = _check_axes(dataset, *axes)
        points, xs, ys, fixed = slice_points(dataset, i, j, resolution)
        self.axes = (i, j)
        self.features = tuple(dataset.feature_names)
        self.feature_names = self.features
        self.resolution = int(resolution)
        self.fast_tanh = exp_tanh_is_faster() if fast_tanh is None else bool(fast_tanh)
        self.xs, self.ys, self.fixed = xs, ys, fixed
        self.xs.flags.writeable = False
        self.ys.flags.writeable = False
        self.fixed.flags.writeable = False
        self.domain = (float(xs[0]), float(xs[-1]))
        self.y_domain = (float(ys[0]), float(ys[-1]))
        F = points
        if normalization is not None:
            offset, scale = normalization
            F = (F - offset) / scale
        R = self.resolution
        self._XaT = np.ones((F.shape[1] + 1, R * R), dtype=np.float32)
        self._XaT[:-1] = _finite32(F.T)
        inputs = self._XaT[:-1].reshape(F.shape[1], R, R)
        inputs.flags.writeable = False
        self.inputs = inputs

    def start(self, net: Network) -> GridPass:
        if net.n_inputs != self._XaT.shape[0] - 1:
            raise ValueError(f"network takes {net.n_inputs} inputs, grid has {self._XaT.shape[0] - 1} features")
        return _SlicePass(self, net)

    def evaluate(self, net: Network) -> SliceGridResult:  # (the same as the base class; typed for the result)
        grid_pass = self.start(net)
        while not grid_pass.advance():
            pass
        return grid_pass.result()


def slice_grid(
    dataset: Dataset,
    i: int = 0,
    j: int = 1,
    resolution: int = 100,
    normalization: tuple[np.ndarray, np.ndarray] | None = None,
) -> SliceGridEvaluator:
    """The evaluator over the slice through columns ``i`` and ``j`` (others at their training mean)."""
    return SliceGridEvaluator(dataset, (i, j), resolution, normalization)
