"""Activation functions as lookup tables, in the style of scikit-learn's ``neural_network/_base.py``.

Every function works in place on pre-allocated buffers so that a training step allocates nothing.

``ACTIVATIONS[name](Z, out)``
    writes ``f(Z)`` into ``out``; ``Z`` may be overwritten (it is scratch) and ``out`` may be ``Z`` itself.
``DERIVATIVES[name](A, delta, tmp)``
    multiplies ``delta`` in place by ``f'(z)``, expressed through the activation ``A = f(z)`` itself, as the
    tutorials do (``sigmoid_derivative(x) = x * (1 - x)`` where ``x`` is the neuron's output). ``tmp`` is a
    contiguous scratch buffer of ``delta``'s shape.
``FORMULAS[name]``
    the human-readable formula shown in tooltips and the step-through view.

Internally the network keeps activations in *column layout*, ``(n_units, n_samples)``, so that every hidden layer
is one contiguous block (see :mod:`visualizer.engine.network`); softmax therefore normalises over axis 0. The
public :func:`apply` takes the usual ``(n_samples, n_units)``.
"""

from __future__ import annotations

import numpy as np

LEAKY_SLOPE = 0.01
"""Slope of leaky ReLU for negative inputs."""


def _sigmoid(Z: np.ndarray, out: np.ndarray) -> None:
    # 1 / (1 + exp(-z)), clipped so exp never overflows (the result is exactly 0 or 1 there anyway).
    np.clip(Z, -500.0, 500.0, out=Z)
    np.negative(Z, out=Z)
    np.exp(Z, out=Z)
    Z += 1.0
    np.reciprocal(Z, out=out)


def _tanh(Z: np.ndarray, out: np.ndarray) -> None:
    np.tanh(Z, out=out)


def _relu(Z: np.ndarray, out: np.ndarray) -> None:
    np.maximum(Z, 0.0, out=out)


def _leaky_relu(Z: np.ndarray, out: np.ndarray) -> None:
    # max(z, a*z) equals leaky ReLU for 0 < a < 1.
    np.maximum(Z, Z * LEAKY_SLOPE, out=out)


def _linear(Z: np.ndarray, out: np.ndarray) -> None:
    if out is not Z:
        np.copyto(out, Z)


def _softmax(Z: np.ndarray, out: np.ndarray) -> None:
    Z -= Z.max(axis=0, keepdims=True)
    np.exp(Z, out=out)
    out /= out.sum(axis=0, keepdims=True)


def _d_sigmoid(A: np.ndarray, delta: np.ndarray, tmp: np.ndarray) -> None:
    np.subtract(1.0, A, out=tmp)
    tmp *= A
    delta *= tmp


def _d_tanh(A: np.ndarray, delta: np.ndarray, tmp: np.ndarray) -> None:
    np.multiply(A, A, out=tmp)
    np.subtract(1.0, tmp, out=tmp)
    delta *= tmp


def _d_relu(A: np.ndarray, delta: np.ndarray, tmp: np.ndarray) -> None:
    np.greater(A, 0.0, out=tmp)
    delta *= tmp


def _d_leaky_relu(A: np.ndarray, delta: np.ndarray, tmp: np.ndarray) -> None:
    np.greater(A, 0.0, out=tmp)
    tmp *= 1.0 - LEAKY_SLOPE
    tmp += LEAKY_SLOPE
    delta *= tmp


def _d_linear(A: np.ndarray, delta: np.ndarray, tmp: np.ndarray) -> None:
    return None


def _d_softmax(A: np.ndarray, delta: np.ndarray, tmp: np.ndarray) -> None:
    # Jacobian-vector product of softmax: a * (g - sum(g * a)).
    np.multiply(delta, A, out=tmp)
    s = tmp.sum(axis=0, keepdims=True)
    delta -= s
    delta *= A


ACTIVATIONS = {
    "sigmoid": _sigmoid,
    "tanh": _tanh,
    "relu": _relu,
    "leaky_relu": _leaky_relu,
    "linear": _linear,
    "softmax": _softmax,
}

DERIVATIVES = {
    "sigmoid": _d_sigmoid,
    "tanh": _d_tanh,
    "relu": _d_relu,
    "leaky_relu": _d_leaky_relu,
    "linear": _d_linear,
    "softmax": _d_softmax,
}

FORMULAS = {
    "sigmoid": "σ(z) = 1 / (1 + e^(−z)),  σ′ = σ·(1 − σ)",
    "tanh": "tanh(z) = (e^z − e^(−z)) / (e^z + e^(−z)),  tanh′ = 1 − tanh²",
    "relu": "ReLU(z) = max(0, z),  ReLU′ = 1 if z > 0 else 0",
    "leaky_relu": f"LeakyReLU(z) = max({LEAKY_SLOPE}·z, z),  slope {LEAKY_SLOPE} below 0",
    "linear": "f(z) = z,  f′ = 1",
    "softmax": "softmax(z)ᵢ = e^(zᵢ) / Σⱼ e^(zⱼ)",
}

HIDDEN_ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu", "linear")
OUTPUT_ACTIVATIONS = ("sigmoid", "tanh", "softmax", "linear")

# Output ranges, for target encoding and for saturation statistics: (low, high).
RANGES = {
    "sigmoid": (0.0, 1.0),
    "tanh": (-1.0, 1.0),
    "softmax": (0.0, 1.0),
    "relu": (0.0, np.inf),
    "leaky_relu": (-np.inf, np.inf),
    "linear": (-np.inf, np.inf),
}


def apply(name: str, Z: np.ndarray) -> np.ndarray:
    """Return ``f(Z)`` for ``Z`` of shape ``(n_samples, n_units)`` as a new array (tests, teaching views)."""
    ZT = np.array(np.atleast_2d(Z).T, dtype=np.float64, order="C", copy=True)
    out = np.empty_like(ZT)
    ACTIVATIONS[name](ZT, out)
    return out.T.copy()
