"""The McCulloch-Pitts neuron (1943) of tutorial 004: a weighted sum compared against a threshold.

With weights (1, 1) a threshold of 0.5 makes an OR gate and 1.5 an AND gate; one input with weight −1 and
threshold −0.5 makes a NOT gate. The same unit is a :class:`~visualizer.engine.network.Network` ``[n, 1]`` with a
linear output, weights ``w``, bias ``−threshold`` and a step at 0.
"""

from __future__ import annotations

import numpy as np

__all__ = ["threshold_unit"]


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
