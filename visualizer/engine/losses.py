"""Loss functions as lookup tables.

``LOSSES[name](O, T)`` returns the mean loss over samples for outputs ``O`` and targets ``T`` (both
``(n_samples, n_outputs)``). ``OUTPUT_GRADIENTS[name](O, T, out)`` writes ``∂L/∂O`` (per sample, not yet divided
by ``n_samples``) into ``out``. Where the output activation and the loss belong together (sigmoid with binary
cross-entropy, softmax with cross-entropy) the network uses the simplified output delta ``O − T`` instead.
"""

from __future__ import annotations

import numpy as np

EPS = 1e-12
"""Probabilities are clipped to [EPS, 1 − EPS] inside logarithms, as scikit-learn does."""


def squared_loss(O: np.ndarray, T: np.ndarray) -> float:
    """½·Σ(o − t)² summed over outputs, averaged over samples (the tutorials' and Playground's cost)."""
    d = O - T
    return 0.5 * float(np.einsum("ij,ij->", d, d)) / O.shape[0]


def binary_crossentropy(O: np.ndarray, T: np.ndarray) -> float:
    """−Σ[t·log o + (1 − t)·log(1 − o)] summed over outputs, averaged over samples."""
    P = np.clip(O, EPS, 1.0 - EPS)
    return -float(np.sum(T * np.log(P) + (1.0 - T) * np.log1p(-P))) / O.shape[0]


def crossentropy(O: np.ndarray, T: np.ndarray) -> float:
    """−Σ t·log o summed over outputs (one-hot targets), averaged over samples."""
    P = np.clip(O, EPS, 1.0)
    return -float(np.sum(T * np.log(P))) / O.shape[0]


def _g_squared(O: np.ndarray, T: np.ndarray, out: np.ndarray) -> None:
    np.subtract(O, T, out=out)


def _g_binary_crossentropy(O: np.ndarray, T: np.ndarray, out: np.ndarray) -> None:
    P = np.clip(O, EPS, 1.0 - EPS)
    np.divide(P - T, P * (1.0 - P), out=out)


def _g_crossentropy(O: np.ndarray, T: np.ndarray, out: np.ndarray) -> None:
    np.divide(-T, np.clip(O, EPS, 1.0), out=out)


LOSSES = {
    "squared": squared_loss,
    "binary_crossentropy": binary_crossentropy,
    "crossentropy": crossentropy,
}

OUTPUT_GRADIENTS = {
    "squared": _g_squared,
    "binary_crossentropy": _g_binary_crossentropy,
    "crossentropy": _g_crossentropy,
}

# (output activation, loss) pairs whose output delta simplifies to O − T.
CANONICAL_PAIRS = {("sigmoid", "binary_crossentropy"), ("softmax", "crossentropy")}

# Losses that take logarithms of the outputs: the output activation must produce values in (0, 1).
NEEDS_PROBABILITIES = {"binary_crossentropy", "crossentropy"}

FORMULAS = {
    "squared": "L = ½ Σ (o − t)²",
    "binary_crossentropy": "L = −Σ [t·ln o + (1 − t)·ln(1 − o)]",
    "crossentropy": "L = −Σ t·ln o",
}
