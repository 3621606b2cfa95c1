"""``Network.gradients`` against central finite differences of ``Network.loss_value``, in float64.

Every sensible activation × output × loss × regularization combination is checked, plus networks without
biases and several architectures. The error measure is the vector-level relative error
``||num − ana|| / (||num|| + ||ana||)`` over all parameters, with step ``h = 1e-5``; it must stay below 1e-6.

ReLU, leaky ReLU and the L1 penalty have kinks (at a pre-activation or weight of 0) where the derivative jumps;
a finite difference that straddles one is meaningless, so the inputs and weights are redrawn until no hidden
pre-activation and (with L1) no weight lies within 1e-3 of 0 — a step of 1e-5 cannot cross such a margin.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from visualizer.engine import HIDDEN_ACTIVATIONS, Network

H = 1e-5
TOL = 1e-6
KINK_MARGIN = 1e-3

# (output activation, loss): squared with every output, and the probability losses with the outputs that make
# probabilities — the canonical pairs (simplified delta O − T) and the two non-canonical ones.
OUTPUT_LOSS = [
    ("sigmoid", "squared"),
    ("tanh", "squared"),
    ("softmax", "squared"),
    ("linear", "squared"),
    ("sigmoid", "binary_crossentropy"),
    ("softmax", "crossentropy"),
    ("sigmoid", "crossentropy"),
    ("softmax", "binary_crossentropy"),
]

REGULARIZATION = {"none": (0.0, 0.0), "l1": (0.01, 0.0), "l2": (0.0, 0.03), "l1+l2": (0.01, 0.03)}


def make_targets(rng: np.random.Generator, n: int, n_out: int, output: str, loss: str) -> np.ndarray:
    if loss == "crossentropy" or output == "softmax":
        Y = np.zeros((n, n_out))
        Y[np.arange(n), rng.integers(0, n_out, n)] = 1.0
        return Y
    if loss == "binary_crossentropy":
        return rng.integers(0, 2, (n, n_out)).astype(np.float64)
    if output == "tanh":
        return rng.uniform(-1.0, 1.0, (n, n_out))
    if output == "sigmoid":
        return rng.uniform(0.0, 1.0, (n, n_out))
    return rng.normal(0.0, 1.0, (n, n_out))


def has_kinks(net: Network) -> bool:
    """True if some hidden activation or the L1 penalty is non-smooth where the check would probe."""
    return any(a in ("relu", "leaky_relu") for a in net.activations) or net.l1 > 0


def near_kink(net: Network, X: np.ndarray) -> bool:
    if any(a in ("relu", "leaky_relu") for a in net.activations):
        for z in net.pre_activations(X)[:-1]:  # hidden layers only
            if np.min(np.abs(z)) < KINK_MARGIN:
                return True
    return net.l1 > 0 and any(np.min(np.abs(W)) < KINK_MARGIN for W in net.weights)


def setup(sizes, activation, output, loss, l1=0.0, l2=0.0, bias=True, n=7, seed=0):
    """A network and a batch with no kink within reach of the finite differences (redrawn until so)."""
    rng = np.random.default_rng(seed)
    for attempt in range(200):
        net = Network(
            sizes,
            activation=activation,
            output=output,
            loss=loss,
            l1=l1,
            l2=l2,
            seed=seed + 1000 * attempt,
            init="uniform",
            bias=bias,
        )
        X = rng.normal(0.0, 1.0, (n, sizes[0]))
        if not (has_kinks(net) and near_kink(net, X)):
            break
    else:  # pragma: no cover - would mean the margin is far too large
        raise AssertionError("could not draw a kink-free setup")
    Y = make_targets(rng, n, sizes[-1], output, loss)
    return net, X, Y


def numerical_gradients(net: Network, X: np.ndarray, Y: np.ndarray):
    """Central differences of ``loss_value`` for every weight and bias, perturbed through the live views."""
    out = []
    for params in (net.weights, net.biases):
        grads = []
        for P in params:
            G = np.empty_like(P)
            for idx in np.ndindex(P.shape):
                orig = P[idx]
                P[idx] = orig + H
                plus = net.loss_value(X, Y)
                P[idx] = orig - H
                minus = net.loss_value(X, Y)
                P[idx] = orig
                G[idx] = (plus - minus) / (2 * H)
            grads.append(G)
        out.append(grads)
    return out


def rel_error(num: list[np.ndarray], ana: list[np.ndarray]) -> float:
    a = np.concatenate([x.ravel() for x in num])
    b = np.concatenate([x.ravel() for x in ana])
    denom = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if denom == 0 else float(np.linalg.norm(a - b) / denom)


def check(net: Network, X: np.ndarray, Y: np.ndarray) -> None:
    before = net.params.copy()
    loss, dW, db = net.gradients(X, Y)
    np.testing.assert_array_equal(net.params, before, err_msg="gradients() changed the parameters")
    assert loss == pytest.approx(net.loss_value(X, Y), rel=1e-12, abs=1e-15)
    assert [g.shape for g in dW] == [W.shape for W in net.weights]
    assert [g.shape for g in db] == [b.shape for b in net.biases]
    num_dW, num_db = numerical_gradients(net, X, Y)
    if net.bias:
        err = rel_error(num_dW + num_db, dW + db)
    else:
        # Biases are fixed at 0 and not trained: their reported gradient is 0 (their numerical one is not).
        for g in db:
            np.testing.assert_array_equal(g, 0.0)
        err = rel_error(num_dW, dW)
    assert err < TOL, f"relative error {err:.3g} >= {TOL}"


def n_outputs(output: str) -> int:
    return 3 if output == "softmax" else 2


@pytest.mark.parametrize("reg", list(REGULARIZATION))
@pytest.mark.parametrize(("output", "loss"), OUTPUT_LOSS, ids=[f"{o}-{l}" for o, l in OUTPUT_LOSS])
@pytest.mark.parametrize("activation", HIDDEN_ACTIVATIONS)
def test_gradient_matches_finite_differences(activation, output, loss, reg):
    l1, l2 = REGULARIZATION[reg]
    net, X, Y = setup([3, 5, 4, n_outputs(output)], activation, output, loss, l1=l1, l2=l2)
    check(net, X, Y)


@pytest.mark.parametrize("reg", list(REGULARIZATION))
@pytest.mark.parametrize(("output", "loss"), OUTPUT_LOSS, ids=[f"{o}-{l}" for o, l in OUTPUT_LOSS])
@pytest.mark.parametrize("activation", ["sigmoid", "relu"])
def test_gradient_without_biases(activation, output, loss, reg):
    l1, l2 = REGULARIZATION[reg]
    net, X, Y = setup([3, 4, n_outputs(output)], activation, output, loss, l1=l1, l2=l2, bias=False)
    check(net, X, Y)


ARCHITECTURES = {
    "no-hidden": [2, 1],
    "no-hidden-multi": [4, 3],
    "one-hidden": [3, 6, 1],
    "three-hidden": [2, 5, 3, 4, 2],
    "wide": [3, 16, 1],
    "playground-max": [2, 8, 8, 8, 8, 8, 8, 1],
}

COMBOS = [
    ("tanh", "tanh", "squared", 0.0, 0.0),
    ("relu", "sigmoid", "binary_crossentropy", 0.0, 0.01),
    ("sigmoid", "softmax", "crossentropy", 0.005, 0.0),
    ("leaky_relu", "linear", "squared", 0.005, 0.01),
]


@pytest.mark.parametrize(
    ("activation", "output", "loss", "l1", "l2"), COMBOS, ids=[f"{a}-{o}-{lo}" for a, o, lo, *_ in COMBOS]
)
@pytest.mark.parametrize("arch", list(ARCHITECTURES))
def test_gradient_architectures(arch, activation, output, loss, l1, l2):
    sizes = list(ARCHITECTURES[arch])
    if output == "softmax" and sizes[-1] < 2:
        sizes[-1] = 3
    net, X, Y = setup(sizes, activation, output, loss, l1=l1, l2=l2)
    check(net, X, Y)


@pytest.mark.parametrize("bias", [True, False], ids=["bias", "no-bias"])
def test_gradient_mixed_activations_per_layer(bias):
    net, X, Y = setup(
        [3, 6, 5, 4, 3], ["relu", "tanh", "sigmoid"], "softmax", "crossentropy", l1=0.002, l2=0.004, bias=bias
    )
    check(net, X, Y)


@pytest.mark.parametrize("n", [1, 2, 10, 33])
def test_gradient_batch_sizes(n):
    net, X, Y = setup([2, 4, 2, 1], "tanh", "tanh", "squared", n=n, seed=n)
    check(net, X, Y)


def test_gradient_is_a_mean_over_the_batch():
    """The loss and its gradient are averages: the same batch twice gives the same values."""
    net, X, Y = setup([3, 5, 2], "tanh", "sigmoid", "binary_crossentropy", l2=0.01)
    loss1, dW1, db1 = net.gradients(X, Y)
    loss2, dW2, db2 = net.gradients(np.vstack([X, X]), np.vstack([Y, Y]))
    assert loss2 == pytest.approx(loss1, rel=1e-13)
    for a, b in itertools.chain(zip(dW1, dW2, strict=True), zip(db1, db2, strict=True)):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-15)


def test_gradients_of_different_batches_are_independent():
    """Scratch buffers are shared per batch size: results handed out earlier must not change afterwards."""
    net, X, Y = setup([2, 4, 1], "tanh", "tanh", "squared", n=6)
    _, dW, db = net.gradients(X, Y)
    kept = [g.copy() for g in dW + db]
    net.gradients(X[::-1] * 2.0, Y[::-1])
    for g, k in zip(dW + db, kept, strict=True):
        np.testing.assert_array_equal(g, k)


def test_regularization_gradient_excludes_biases():
    net, X, Y = setup([2, 3, 1], "tanh", "linear", "squared")
    _, dW0, db0 = net.gradients(X, Y)
    net.l1, net.l2 = 0.1, 0.2
    _, dW1, db1 = net.gradients(X, Y)
    for W, a, b in zip(net.weights, dW0, dW1, strict=True):
        np.testing.assert_allclose(b - a, 0.1 * np.sign(W) + 0.2 * W, rtol=1e-12, atol=1e-15)
    for a, b in zip(db0, db1, strict=True):
        np.testing.assert_array_equal(a, b)
