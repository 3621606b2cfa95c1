"""Input features derived from a 2-D point, as in TensorFlow Playground.

``FEATURES[name](X)`` maps raw points ``X`` (n, 2) to one feature column (n,).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

FEATURES = {
    "x1": lambda X: X[:, 0],
    "x2": lambda X: X[:, 1],
    "x1^2": lambda X: X[:, 0] * X[:, 0],
    "x2^2": lambda X: X[:, 1] * X[:, 1],
    "x1*x2": lambda X: X[:, 0] * X[:, 1],
    "sin_x1": lambda X: np.sin(X[:, 0]),
    "sin_x2": lambda X: np.sin(X[:, 1]),
}
"""Feature name → function of the raw (n, 2) points."""

LABELS = {
    "x1": "X₁",
    "x2": "X₂",
    "x1^2": "X₁²",
    "x2^2": "X₂²",
    "x1*x2": "X₁X₂",
    "sin_x1": "sin(X₁)",
    "sin_x2": "sin(X₂)",
}
"""Feature name → label drawn beside the input node."""

DEFAULT_FEATURES = ("x1", "x2")


def check_features(names: Sequence[str]) -> tuple[str, ...]:
    """Validate a feature selection and return it in canonical order."""
    names = tuple(names)
    if not names:
        raise ValueError("select at least one input feature")
    for n in names:
        if n not in FEATURES:
            raise ValueError(f"unknown feature {n!r}; choose from: {', '.join(FEATURES)}")
    return tuple(n for n in FEATURES if n in names)


def feature_matrix(X: np.ndarray, names: Sequence[str], dtype=np.float64) -> np.ndarray:
    """Feature columns of raw 2-D points.

    Parameters
    ----------
    X : ndarray, shape (n, 2)
    names : sequence of str
        Keys of :data:`FEATURES`.

    Returns
    -------
    ndarray, shape (n, len(names))
    """
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"derived features need 2-D points of shape (n, 2), got {X.shape}")
    names = tuple(names)
    out = np.empty((X.shape[0], len(names)), dtype=dtype)
    for n in names:
        if n not in FEATURES:
            raise ValueError(f"unknown feature {n!r}; choose from: {', '.join(FEATURES)}")
    for j, name in enumerate(names):
        out[:, j] = FEATURES[name](X)
    return out
