"""Activation functions as lookup tables, in the style of scikit-learn's ``neural_network/_base.py``.

Every function works in place on pre-allocated buffers so that a training step allocates nothing.

``ACTIVATIONS[name](Z, out)``
    writes ``f(Z)`` into ``out``; ``Z`` may be overwritten (it is scratch) and ``out`` may be ``Z`` itself.
``DERIVATIVES[name](A, delta, tmp)``
    multiplies ``delta`` in place by ``f'(z)``, expressed through the activation ``A = f(z)`` itself, as the
    tutorials do (``sigmoid_derivative(x) = x * (1 - x)`` where ``x`` is the neuron's output). ``tmp`` is a
    contiguous scratch buffer of ``delta``'s shape.
``DERIVATIVE_FACTORS[name](A, out)``
    writes ``f'(z)`` itself (through ``A``) into ``out``; ``None`` for linear.
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


class _Constants:
    """Scalar operands as read-only 0-d arrays of one dtype.

    A Python float operand costs a ufunc call on a tiny array about twice as much as a 0-d array of the array's
    own dtype does (NumPy converts the float and resolves its weak type on every call), and training calls
    these functions tens of thousands of times per second. Matching the dtype keeps float32 grid passes in
    float32.
    """

    __slots__ = ("half", "one", "slope", "zero")

    def __init__(self, dtype: np.dtype):
        def c(value: float) -> np.ndarray:
            a = np.array(value, dtype=dtype)
            a.flags.writeable = False
            return a

        self.zero = c(0.0)
        self.one = c(1.0)
        self.half = c(0.5)
        self.slope = c(LEAKY_SLOPE)


class _ConstantTable(dict):
    def __missing__(self, dtype):
        k = self[dtype] = _Constants(dtype)
        return k


_K = _ConstantTable()


def _sigmoid(Z: np.ndarray, out: np.ndarray) -> None:
    # σ(z) = 1 / (1 + e^(−z)) = ½ + ½·tanh(z / 2): four ufunc calls instead of five (a clamp against exp
    # overflow, negate, exp, add, reciprocal), no overflow anywhere, and tanh is the fastest transcendental
    # numpy has. Absolute error stays at rounding level (~1e-16); outputs below ~1e-17 round to exactly 0.
    half = _K[Z.dtype].half
    np.multiply(Z, half, Z)
    np.tanh(Z, Z)
    np.multiply(Z, half, Z)
    np.add(Z, half, out)


def _tanh(Z: np.ndarray, out: np.ndarray) -> None:
    np.tanh(Z, out)


def _relu(Z: np.ndarray, out: np.ndarray) -> None:
    np.maximum(Z, _K[Z.dtype].zero, out=out)


def _leaky_relu(Z: np.ndarray, out: np.ndarray) -> None:
    # max(z, a*z) equals leaky ReLU for 0 < a < 1.
    np.maximum(Z, np.multiply(Z, _K[Z.dtype].slope), out=out)


def _linear(Z: np.ndarray, out: np.ndarray) -> None:
    if out is not Z:
        np.copyto(out, Z)


def _softmax(Z: np.ndarray, out: np.ndarray) -> None:
    Z -= Z.max(axis=0, keepdims=True)
    np.exp(Z, out=out)
    out /= out.sum(axis=0, keepdims=True)


def _d_sigmoid(A: np.ndarray, delta: np.ndarray, tmp: np.ndarray) -> None:
    np.subtract(_K[A.dtype].one, A, tmp)
    np.multiply(tmp, A, tmp)
    np.multiply(delta, tmp, delta)


def _d_tanh(A: np.ndarray, delta: np.ndarray, tmp: np.ndarray) -> None:
    np.multiply(A, A, tmp)
    np.subtract(_K[A.dtype].one, tmp, tmp)
    np.multiply(delta, tmp, delta)


def _d_relu(A: np.ndarray, delta: np.ndarray, tmp: np.ndarray) -> None:
    # heaviside(a, 0) is 1 where a > 0, else 0, computed directly in floating point (np.greater would make
    # booleans and cast them).
    np.heaviside(A, _K[A.dtype].zero, tmp)
    np.multiply(delta, tmp, delta)


def _d_leaky_relu(A: np.ndarray, delta: np.ndarray, tmp: np.ndarray) -> None:
    k = _K[A.dtype]
    np.heaviside(A, k.zero, tmp)  # 1 where a > 0, else 0
    np.maximum(tmp, k.slope, out=tmp)  # 1 where a > 0, else the slope
    np.multiply(delta, tmp, delta)


def _d_linear(A: np.ndarray, delta: np.ndarray, tmp: np.ndarray) -> None:
    return None


def _d_softmax(A: np.ndarray, delta: np.ndarray, tmp: np.ndarray) -> None:
    # Jacobian-vector product of softmax: a * (g - sum(g * a)).
    np.multiply(delta, A, out=tmp)
    s = tmp.sum(axis=0, keepdims=True)
    delta -= s
    delta *= A


# Derivative factors f'(z), expressed through the activation a = f(z), written into ``out``. The network uses
# them to compute the factors of all hidden layers in one call on one contiguous block when the layers share
# an activation, then only multiplies per layer (see Network._backward).


def _f_sigmoid(A: np.ndarray, out: np.ndarray) -> None:
    np.subtract(_K[A.dtype].one, A, out)
    np.multiply(out, A, out)


def _f_tanh(A: np.ndarray, out: np.ndarray) -> None:
    np.multiply(A, A, out)
    np.subtract(_K[A.dtype].one, out, out)


def _f_relu(A: np.ndarray, out: np.ndarray) -> None:
    np.heaviside(A, _K[A.dtype].zero, out)


def _f_leaky_relu(A: np.ndarray, out: np.ndarray) -> None:
    k = _K[A.dtype]
    np.heaviside(A, k.zero, out)
    np.maximum(out, k.slope, out=out)


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

DERIVATIVE_FACTORS = {
    "sigmoid": _f_sigmoid,
    "tanh": _f_tanh,
    "relu": _f_relu,
    "leaky_relu": _f_leaky_relu,
    "linear": None,
}
"""``DERIVATIVE_FACTORS[name](A, out)`` writes ``f'(z)`` (through ``A = f(z)``) into ``out``, same values as
:data:`DERIVATIVES` multiplies by; ``None`` where the factor is 1 (linear). Hidden activations only."""

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
