"""One vectorised pass over a grid of the input plane that yields every neuron's activation.

The decision-boundary heatmap and every neuron's thumbnail come from a single :meth:`GridEvaluator.evaluate`
call. It runs in float32 (drawing does not need float64), in column layout ``(units, R·R)`` so that each
neuron's map is one contiguous row that reshapes to ``(R, R)`` without copying.

Performance notes
-----------------
At R = 100 on Playground's largest network (six hidden layers of 8 tanh units) a pass is 7 small matrix products
and 7 vectorised ``tanh`` calls over 80 000 floats each: about 1 ms on one core. The input features of the grid
never change, so they are computed once per evaluator.

Huge weights
------------
Whatever the weights (a diverging run, a user's edit of 1e300), the maps are finite float32: weights and every
unbounded activation (linear, ReLU) are clipped to ±:data:`CLIP`, so no product or sum of a layer can overflow
float32 and no ±inf or NaN reaches a drawing.
"""

from __future__ import annotations

import functools
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from .activations import ACTIVATIONS
from .features import feature_matrix
from .network import Network

CLIP = 1e15
"""Magnitude at which weights, inputs and unbounded activations are clipped in the grid's float32 pass: a layer's
sums stay below ``(n_in + 1)·CLIP²`` ≈ 1e32 for any sane width, well inside float32's 3.4e38."""

_UNBOUNDED = frozenset({"linear", "relu", "leaky_relu"})

FULL_RESOLUTION = 100
"""Grid points per axis of the output map and every neuron's map (Playground's density)."""
FULL_WORK = 16_384
"""Multiply-adds per grid point (Σ (n_in + 1)·n_out over the layers) up to which a pass runs at FULL_RESOLUTION:
four hidden layers of 64 and less. Bigger networks get fewer points (:func:`resolution_for`)."""
LEAST_RESOLUTION = 50


def resolution_for(sizes) -> int:
    """Grid points per axis for a network of layer ``sizes``: :data:`FULL_RESOLUTION`, or fewer so that a pass
    costs at most about as much as at :data:`FULL_WORK` (never below :data:`LEAST_RESOLUTION`).

    A pass costs ``R² × work`` multiply-adds and as many activations: at 10 hidden layers of 64 (38,000 per
    point) R = 100 took 27 ms with AVX-512 and 43 ms without on a 2-core laptop-class machine, a third of a core
    at the rate the maps follow training; R = 65 takes 2.4× less. What is drawn loses little: a neuron's map is
    at most 28 texels wide in the network view (~8 at that size), and the output map is drawn ~350 px wide,
    smoothed, from 65 points per axis instead of 100.
    """
    sizes = [int(n) for n in sizes]
    work = sum((a + 1) * b for a, b in pairwise(sizes))
    if work <= FULL_WORK:
        return FULL_RESOLUTION
    return max(LEAST_RESOLUTION, int(FULL_RESOLUTION * math.sqrt(FULL_WORK / work)))


ROWS_PER_SLICE = 16
"""A sliced pass (:meth:`GridPass.advance` with a budget) computes at most this many units of a layer between
checks of the clock: ~1 ms at R = 100 on a 2-core laptop without AVX-512, where a layer of 64 units is 3–4 ms, so
whoever interleaves the pass with other work (the training relay hands out snapshots) waits at most that long."""


def _finite32(values: np.ndarray) -> np.ndarray:
    """``values`` as float32 within ±CLIP, NaN as 0 (a fresh array).

    Bare ufuncs (~4 µs on a layer's weights) rather than ``np.nan_to_num`` + ``np.clip`` (~22 µs): it runs for
    every layer of every grid pass, and on Playground's largest network that was 0.15 ms of a ~1 ms pass."""
    out = np.minimum(np.maximum(values, -CLIP), CLIP).astype(np.float32, order="C")  # ±inf → ±CLIP, NaN stays
    nan = out != out
    if nan.any():
        out[nan] = 0.0
    return out


_ONE = np.float32(1.0)
_TWO = np.float32(2.0)


def _tanh_exp(H: np.ndarray) -> None:
    """In place: ``H`` holds ``2z``; becomes ``tanh(z) = 1 − 2 / (e^(2z) + 1)`` (exp overflow gives exactly ±1)."""
    np.exp(H, out=H)
    np.add(H, _ONE, out=H)
    np.divide(_TWO, H, out=H)
    np.subtract(_ONE, H, out=H)


def _sigmoid_exp(H: np.ndarray) -> None:
    """In place: ``H`` holds ``−z``; becomes ``σ(z) = 1 / (1 + e^(−z))``."""
    np.exp(H, out=H)
    np.add(H, _ONE, out=H)
    np.divide(_ONE, H, out=H)


def _in_place(activation):
    """``ACTIVATIONS[name]`` (which takes ``(Z, out)``) as a one-argument in-place function."""
    return lambda H: activation(H, H)


#: activation → (factor folded into the weights, in-place function of the scaled sums)
_EXP_FORM = {"tanh": (_TWO, _tanh_exp), "sigmoid": (-_ONE, _sigmoid_exp)}


@functools.cache
def exp_tanh_is_faster() -> bool:
    """Whether ``1 − 2/(e^(2z)+1)`` (4 ufunc calls) beats ``np.tanh`` on this machine, in float32, measured once.

    numpy picks its SIMD kernels at import: with AVX-512 its float32 ``tanh`` costs ~0.4 ns a value and wins;
    with AVX2 only it costs ~2.4 ns against ~1.5 for the exp form, and with SSE only ~18 against ~3.
    """
    Z = np.linspace(-4.0, 4.0, 16 * 4096, dtype=np.float32).reshape(16, 4096)
    H = np.empty_like(Z)

    def best(fn) -> float:
        times = []
        for _ in range(7):
            np.copyto(H, Z)
            t0 = time.perf_counter()
            fn(H)
            times.append(time.perf_counter() - t0)
        return min(times)

    with np.errstate(all="ignore"):
        t_numpy = best(lambda a: np.tanh(a, out=a))
        t_exp = best(_tanh_exp)
    return t_exp < 0.8 * t_numpy


@dataclass(frozen=True, eq=False)
class GridResult:
    """Activations over the grid; row ``iy`` of every map is ``x2 = ys[iy]``, column ``ix`` is ``x1 = xs[ix]``.

    Attributes
    ----------
    inputs : ndarray, shape (n_in, R, R)
        Each input feature's value.
    layers : list of ndarray, shapes (sizes[i], R, R) for i = 1 … n_layers
        Each hidden layer's activations, then the output layer's.
    xs : ndarray, shape (R,)
        Grid coordinates along both axes.
    """

    inputs: np.ndarray
    layers: list[np.ndarray]
    xs: np.ndarray

    @property
    def output(self) -> np.ndarray:
        """The output layer's activations, shape (n_out, R, R)."""
        return self.layers[-1]


class GridEvaluator:
    """Evaluates networks over an ``R × R`` grid of a square input domain.

    Parameters
    ----------
    features : sequence of str
        Feature names (see :mod:`visualizer.engine.features`) that turn a point into network inputs.
    domain : (float, float)
        The square's lower and upper bound on both axes (Playground: −6 … 6).
    resolution : int
        ``R``, points per axis.
    normalization : (ndarray, ndarray) or None
        ``(offset, scale)`` applied to the features, as fitted on the training set.
    fast_tanh : bool or None
        Compute tanh and sigmoid units from ``np.exp`` (4 and 3 ufunc calls) instead of ``np.tanh``: the same
        values to float32 rounding (≤ 3e-7 per unit, a few 1e-5 after ten layers of 64, far below one colour
        step of 1/128), 1.6× faster without AVX-512 and 6× with SSE only. ``None``: whichever is faster here
        (:func:`exp_tanh_is_faster`).
    """

    def __init__(
        self,
        features: Sequence[str],
        domain: tuple[float, float] = (-6.0, 6.0),
        resolution: int = 100,
        normalization: tuple[np.ndarray, np.ndarray] | None = None,
        fast_tanh: bool | None = None,
    ):
        if resolution < 2:
            raise ValueError("grid resolution must be at least 2")
        self.features = tuple(features)
        self.domain = (float(domain[0]), float(domain[1]))
        self.resolution = int(resolution)
        self.fast_tanh = exp_tanh_is_faster() if fast_tanh is None else bool(fast_tanh)
        R = self.resolution
        self.xs = np.linspace(self.domain[0], self.domain[1], R)
        gx, gy = np.meshgrid(self.xs, self.xs)  # gy varies along rows
        points = np.column_stack([gx.ravel(), gy.ravel()])
        F = feature_matrix(points, self.features)
        if normalization is not None:
            offset, scale = normalization
            F = (F - offset) / scale
        self._XaT = np.ones((F.shape[1] + 1, R * R), dtype=np.float32)
        self._XaT[:-1] = _finite32(F.T)
        inputs = self._XaT[:-1].reshape(F.shape[1], R, R)
        inputs.flags.writeable = False
        self.inputs = inputs

    def evaluate(self, net: Network) -> GridResult:
        """Run ``net`` over the grid in float32 and return fresh arrays (safe to hand to another thread)."""
        grid_pass = self.start(net)
        grid_pass.advance(math.inf)  # every layer in one call
        return grid_pass.result()

    def start(self, net: Network) -> GridPass:
        """Begin a pass over ``net`` that runs in slices (:meth:`GridPass.advance`); the weights are copied now, so
        the network may train on between slices and the result is the network as it was here."""
        if net.n_inputs != self._XaT.shape[0] - 1:
            raise ValueError(f"network takes {net.n_inputs} inputs, grid has {self._XaT.shape[0] - 1} features")
        return GridPass(self, net)


class GridPass:
    """One grid pass computed a layer at a time, so a caller can interleave other work (e.g. training epochs).

    Created by :meth:`GridEvaluator.start`, which copies the weights (float32, clipped) at once; every
    :meth:`advance` computes the next layer(s) into fresh arrays. Layers cost about ``n_out · R²`` multiply-adds
    per input plus one activation per value: ~0.1 ms per layer on Playground's largest network, ~1–3 ms per layer
    of 64 units at R = 100.
    """

    def __init__(self, grid: GridEvaluator, net: Network):
        self._grid = grid
        self._R2 = grid._XaT.shape[1]
        params = getattr(net, "params", None)
        # one check for the whole network (~2 µs); the clipping conversion only when something is out of range
        sane = params is not None and params.size > 0 and params.min() >= -CLIP and params.max() <= CLIP  # NaN: False
        steps = []  # per layer: (weights (n_out, n_in + 1) float32 C-contiguous copy, in-place activation, clip)
        last = net.n_layers - 1
        for i, block in enumerate(net._blocks):
            name = net.layer_activation(i)
            WT = np.array(block.T, dtype=np.float32, order="C") if sane else _finite32(block.T)
            if grid.fast_tanh and name in _EXP_FORM:
                factor, activate = _EXP_FORM[name]
                WT *= factor  # fold the exp form's argument scale into the weights
            else:
                activate = _in_place(ACTIVATIONS[name])
            steps.append((WT, activate, name in _UNBOUNDED, i == last, name != "softmax"))
        self._steps = steps
        self._prev = grid._XaT
        self._layers: list[np.ndarray] = []
        self._A: np.ndarray | None = None  # the layer in progress (with its row of ones unless it is the output)
        self._row = 0  # its rows (units) computed so far

    @property
    def done(self) -> bool:
        return len(self._layers) == len(self._steps)

    def advance(self, budget_s: float = 0.0) -> bool:
        """Compute the next :data:`ROWS_PER_SLICE` units (a whole layer if it has no more, or is a softmax), and
        more while less than ``budget_s`` seconds have passed; True when done. Whatever the budget, the maps are the
        same."""
        R = self._grid.resolution
        R2 = self._R2
        layers, steps = self._layers, self._steps
        timed = budget_s != math.inf
        t_end = time.perf_counter() + budget_s if timed else 0.0
        prev = self._prev
        with np.errstate(all="ignore"):
            while len(layers) < len(steps):
                WT, activate, clip, last, by_rows = steps[len(layers)]
                n_out = WT.shape[0]
                if self._A is None:
                    if last:
                        self._A = np.empty((n_out, R2), dtype=np.float32)
                    else:
                        self._A = np.empty((n_out + 1, R2), dtype=np.float32)
                        self._A[-1] = 1.0
                    self._row = 0
                j0 = self._row
                j1 = min(n_out, j0 + ROWS_PER_SLICE) if by_rows else n_out  # evaluate() too: the same sums
                H = self._A[j0:j1]  # C-contiguous rows: a unit's map is one row
                np.dot(WT[j0:j1], prev, out=H)
                activate(H)
                if clip:
                    np.clip(H, -CLIP, CLIP, out=H)
                self._row = j1
                if j1 == n_out:
                    layers.append(self._A[:n_out].reshape(n_out, R, R))
                    prev, self._A = self._A, None
                if timed and time.perf_counter() >= t_end:
                    break
        self._prev = prev
        return len(layers) == len(steps)

    def result(self) -> GridResult:
        """The finished pass (call once :meth:`advance` returned True)."""
        if not self.done:
            raise RuntimeError("grid pass not finished: call advance() until it returns True")
        grid = self._grid
        return GridResult(inputs=grid.inputs, layers=list(self._layers), xs=grid.xs)
