"""The McCulloch-Pitts neuron (1943) of tutorial 004: a weighted sum compared against a threshold.

With weights (1, 1) a threshold of 0.5 makes an OR gate and 1.5 an AND gate; one input with weight −1 and
threshold −0.5 makes a NOT gate. The same unit is a :class:`~visualizer.engine.network.Network` ``[n, 1]`` with a
linear output, weights ``w``, bias ``−threshold`` and a step at 0.
"""

from __future__ import annotations

import itertools
from typing import NamedTuple

import numpy as np

__all__ = ["TruthTable", "threshold_line", "threshold_unit", "truth_table"]


def threshold_unit(X, weights, threshold: float) -> np.ndarray:
    """Output of a McCulloch-Pitts unit: 1 where ``X · weights >= threshold``, else 0.

    Parameters
    ----------
    X : array_like, shape (n, d) or (d,)
        Input signals, one row per case (one case may be a flat vector).
    weights : array_like, shape (d,)
    threshold : float

    Returns
    -------
    ndarray of int64, shape (n,)

    Examples
    --------
    >>> threshold_unit([[0, 0], [0, 1], [1, 0], [1, 1]], [1, 1], 0.5).tolist()  # OR
    [0, 1, 1, 1]
    >>> threshold_unit([[0], [1]], [-1], -0.5).tolist()  # NOT
    [1, 0]
    """
    X = np.atleast_2d(np.asarray(X, dtype=np.float64))
    w = np.asarray(weights, dtype=np.float64)
    if w.ndim != 1:
        raise ValueError(f"weights must be a flat vector of shape (d,), got shape {w.shape}")
    if X.ndim != 2 or X.shape[1] != w.shape[0]:
        raise ValueError(f"inputs must have shape (n, {w.shape[0]}), got {X.shape}")
    return (X @ w >= float(threshold)).astype(np.int64)


class TruthTable(NamedTuple):
    """A McCulloch-Pitts unit's truth table: one row per input case."""

    inputs: np.ndarray
    """(n, d) 0/1 inputs, in counting order ((0, 0), (0, 1), (1, 0), (1, 1) for two inputs)."""
    sums: np.ndarray
    """(n,) weighted sums ``Σ wᵢ·xᵢ``."""
    outputs: np.ndarray
    """(n,) int64: 1 where the sum reaches the threshold."""


def truth_table(weights, threshold: float, X=None) -> TruthTable:
    """The truth table of a unit with ``weights`` and ``threshold`` over every 0/1 input case (or over ``X``).

    >>> truth_table([1, 1], 1.5).outputs.tolist()  # AND
    [0, 0, 0, 1]
    >>> truth_table([-1], -0.5).outputs.tolist()  # NOT
    [1, 0]
    """
    w = np.asarray(weights, dtype=np.float64)
    if w.ndim != 1 or w.shape[0] < 1:
        raise ValueError(f"weights must be a flat vector of at least one weight, got shape {w.shape}")
    if X is None:
        X = np.array(list(itertools.product((0.0, 1.0), repeat=w.shape[0])))
    X = np.atleast_2d(np.asarray(X, dtype=np.float64))
    out = threshold_unit(X, w, threshold)
    return TruthTable(X, X @ w, out)


def threshold_line(weights, threshold: float, domain: tuple[float, float] = (-0.25, 1.25)):
    """The line ``w₁·x₁ + w₂·x₂ = θ`` of a two-input unit as a segment ``((x, y), (x, y))`` clipped to the
    square ``domain × domain`` (the input square with a margin), or None if it misses the square or both
    weights are 0. The unit fires on the side the weight vector points to (and on the line itself).

    >>> threshold_line([1, 1], 1.5, (0, 2))  # AND: x₁ + x₂ = 1.5
    ((0.0, 1.5), (1.5, 0.0))
    """
    from .hidden import _clip_line

    w = np.asarray(weights, dtype=np.float64)
    if w.shape != (2,):
        raise ValueError(f"a threshold line needs exactly 2 weights, got shape {w.shape}")
    if w[0] == 0 and w[1] == 0:
        return None
    return _clip_line(float(w[0]), float(w[1]), -float(threshold), float(domain[0]), float(domain[1]))
