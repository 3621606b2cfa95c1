"""The Network's public surface: validation, live parameter views, shapes, initialisation, copies, and a forward
pass and loss that agree with a plain numpy transcription of the formulas."""

from __future__ import annotations

import numpy as np
import pytest

from visualizer.engine import HIDDEN_ACTIVATIONS, INITS, LOSSES, OUTPUT_ACTIVATIONS, Network
from visualizer.engine.activations import apply


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def reference_forward(X, weights, biases, hidden, output):
    """The textbook formula a_{i+1} = f(a_i · W_i + b_i), independent of the engine."""
    funcs = {
        "sigmoid": sigmoid,
        "tanh": np.tanh,
        "relu": lambda z: np.maximum(z, 0.0),
        "leaky_relu": lambda z: np.where(z > 0, z, 0.01 * z),
        "linear": lambda z: z,
        "softmax": softmax,
    }
    a = np.asarray(X, dtype=np.float64)
    n_layers = len(weights)
    for i, (W, b) in enumerate(zip(weights, biases, strict=True)):
        a = funcs[hidden if i < n_layers - 1 else output](a @ W + b)
    return a


# ---------------------------------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"activation": "swish"}, r"unknown activation 'swish'; choose one of: sigmoid, tanh, relu"),
        ({"activation": "softmax"}, r"unknown activation 'softmax'"),
        ({"output": "relu"}, r"unknown output activation 'relu'; choose one of: sigmoid, tanh, softmax, linear"),
        ({"loss": "hinge"}, r"unknown loss 'hinge'; choose one of: squared, binary_crossentropy, crossentropy"),
        ({"init": "zeros"}, r"unknown initialization 'zeros'"),
        ({"output": "tanh", "loss": "binary_crossentropy"}, r"needs a sigmoid or softmax output"),
        ({"output": "linear", "loss": "crossentropy"}, r"needs a sigmoid or softmax output"),
        ({"activation": ["tanh"]}, r"got 1 activations for 2 hidden layers"),
        ({"activation": ["tanh", "nope"]}, r"unknown activation 'nope'"),
        ({"activation": None}, r"unknown activation None"),
        ({"activation": 3}, r"unknown activation 3"),
        ({"output": None}, r"unknown output activation None"),
        ({"l1": "much"}, r"regularization rates must be numbers >= 0, got 'much'"),
        ({"l2": None}, r"regularization rates must be numbers >= 0"),
        ({"l1": -0.1}, r"regularization rates must be >= 0"),
        ({"l2": -1}, r"regularization rates must be >= 0"),
    ],
)
def test_bad_arguments_raise_clear_value_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Network([2, 4, 2, 1], **kwargs)


def test_regularization_rates_are_validated_when_changed_live():
    net = Network([2, 3, 1], l1=0.1)
    net.l1, net.l2 = 0.0, 0.25
    assert (net.l1, net.l2) == (0.0, 0.25) and net.config()["l2"] == 0.25
    with pytest.raises(ValueError, match="regularization rates must be >= 0"):
        net.l2 = -0.1
    assert net.l2 == 0.25


@pytest.mark.parametrize(
    "sizes", [[], [2], [2, 0, 1], [2, -3, 1], [0, 1], [2, 1.5, 1], [2, True, 1], [2, "4", 1], 3, None]
)
def test_bad_sizes_raise(sizes):
    with pytest.raises(ValueError, match=r"(at least an input and an output|positive integers|sequence of layer)"):
        Network(sizes)


def test_sizes_accept_numpy_integers():
    net = Network(np.array([2, 3, 1]))
    assert net.sizes == (2, 3, 1) and all(type(s) is int for s in net.sizes)


@pytest.mark.parametrize("bad", [np.zeros((4, 3)), np.zeros((4,)), np.zeros((2, 2, 2)), [[1.0, 2.0, 3.0]]])
def test_forward_rejects_wrong_input_shape(bad):
    net = Network([2, 4, 1])
    with pytest.raises(ValueError, match=r"inputs must have shape \(n, 2\)"):
        net.forward(bad)


def test_gradients_reject_wrong_shapes():
    net = Network([2, 4, 3], output="softmax", loss="crossentropy")
    X = np.zeros((5, 2))
    with pytest.raises(ValueError, match=r"targets must have shape \(5, 3\), got \(5, 2\)"):
        net.gradients(X, np.zeros((5, 2)))
    with pytest.raises(ValueError, match=r"targets must have shape \(5, 3\), got \(4, 3\)"):
        net.gradients(X, np.zeros((4, 3)))
    with pytest.raises(ValueError, match=r"inputs must have shape \(n, 2\)"):
        net.gradients(np.zeros((5, 3)), np.zeros((5, 3)))
    with pytest.raises(ValueError, match="at least one sample"):
        net.gradients(np.zeros((0, 2)), np.zeros((0, 3)))


def test_gradients_accept_flat_targets_for_one_output():
    net = Network([2, 3, 1])
    X = np.random.default_rng(0).normal(size=(4, 2))
    y = np.array([1.0, -1.0, 1.0, -1.0])
    a = net.gradients(X, y)
    b = net.gradients(X, y[:, None])
    assert a[0] == b[0]
    for g, h in zip(a[1] + a[2], b[1] + b[2], strict=True):
        np.testing.assert_array_equal(g, h)


# ---------------------------------------------------------------------------------------------- live views


def test_weights_and_biases_are_live_float64_views():
    net = Network([2, 4, 2, 1], activation="tanh", output="tanh", loss="squared", l1=0.0, l2=0.0, seed=0)
    assert [W.shape for W in net.weights] == [(2, 4), (4, 2), (2, 1)]
    assert [b.shape for b in net.biases] == [(4,), (2,), (1,)]
    for arr in (*net.weights, *net.biases):
        assert arr.dtype == np.float64
        assert np.shares_memory(arr, net.params)
    assert net.n_params == sum(W.size + b.size for W, b in zip(net.weights, net.biases, strict=True))


def test_in_place_edits_change_the_network():
    net = Network([2, 4, 2, 1], seed=0)
    X = np.array([[0.5, -1.0], [1.5, 2.0]])
    before = net.forward(X)
    net.weights[0][1, 2] += 0.75
    after = net.forward(X)
    assert not np.allclose(before, after)
    np.testing.assert_allclose(
        after, reference_forward(X, net.weights, net.biases, "tanh", "tanh"), rtol=1e-12, atol=1e-15
    )
    net.biases[2][0] = -3.0
    assert net.params[-1] == -3.0
    np.testing.assert_allclose(
        net.forward(X), reference_forward(X, net.weights, net.biases, "tanh", "tanh"), rtol=1e-12, atol=1e-15
    )


def test_assigning_a_layer_copies_into_the_live_array():
    net = Network([2, 4, 2, 1], seed=0)
    view = net.weights[1]
    new = np.arange(8.0).reshape(4, 2)
    net.weights[1] = new
    assert net.weights[1] is view  # still the same live view
    np.testing.assert_array_equal(view, new)
    new[0, 0] = 99.0  # the caller's array stays theirs
    assert view[0, 0] == 0.0
    net.biases[0] = [1, 2, 3, 4]  # lists and ints are fine
    np.testing.assert_array_equal(net.biases[0], [1.0, 2.0, 3.0, 4.0])
    X = np.ones((1, 2))
    np.testing.assert_allclose(net.forward(X), reference_forward(X, net.weights, net.biases, "tanh", "tanh"))


@pytest.mark.parametrize(
    ("which", "index", "shape"), [("weights", 0, (4, 2)), ("weights", 2, (2,)), ("biases", 1, (3,))]
)
def test_assigning_a_wrong_shape_raises(which, index, shape):
    net = Network([2, 4, 2, 1])
    before = net.params.copy()
    with pytest.raises(ValueError, match="does not match parameter shape"):
        getattr(net, which)[index] = np.zeros(shape)
    np.testing.assert_array_equal(net.params, before)


# ---------------------------------------------------------------------------------------------- shapes


def test_forward_shapes_for_one_and_many_samples():
    net = Network([3, 5, 2], output="softmax", loss="crossentropy")
    assert net.forward(np.zeros((1, 3))).shape == (1, 2)
    assert net.forward([0.1, 0.2, 0.3]).shape == (1, 2)  # one sample as a flat vector
    assert net.forward(np.zeros((257, 3))).shape == (257, 2)
    assert net.forward(np.zeros((0, 3))).shape == (0, 2)
    assert net(np.zeros((4, 3))).shape == (4, 2)


def test_forward_returns_a_new_array_each_time():
    net = Network([2, 3, 1])
    X = np.random.default_rng(1).normal(size=(6, 2))
    a = net.forward(X)
    a_copy = a.copy()
    b = net.forward(X * 2.0)  # same batch size: same scratch buffers inside
    np.testing.assert_array_equal(a, a_copy)
    assert not np.shares_memory(a, b)
    a[:] = 7.0
    np.testing.assert_array_equal(net.forward(X), a_copy)


@pytest.mark.parametrize("n_hidden", range(11))
def test_zero_to_ten_hidden_layers_build_and_run(n_hidden):
    sizes = [2, *([8] * n_hidden), 1]
    net = Network(sizes, activation="relu", output="sigmoid", loss="binary_crossentropy", seed=n_hidden)
    assert net.n_layers == n_hidden + 1 and net.hidden == (8,) * n_hidden
    X = np.random.default_rng(n_hidden).normal(size=(10, 2))
    O = net.forward(X)
    assert O.shape == (10, 1) and np.all((O > 0) & (O < 1))
    loss, dW, db = net.gradients(X, (X[:, :1] > 0).astype(float))
    assert np.isfinite(loss) and len(dW) == len(db) == n_hidden + 1
    assert all(np.all(np.isfinite(g)) for g in dW + db)


@pytest.mark.parametrize("width", [1, 2, 7, 33, 64])
def test_one_to_64_neurons_build_and_run(width):
    net = Network([2, width, width, 3], activation="tanh", output="softmax", loss="crossentropy")
    X = np.random.default_rng(width).normal(size=(9, 2))
    O = net.forward(X)
    assert O.shape == (9, 3)
    np.testing.assert_allclose(O.sum(axis=1), 1.0)
    loss, dW, _ = net.gradients(X, np.eye(3)[np.arange(9) % 3])
    assert np.isfinite(loss) and dW[1].shape == (width, width)


@pytest.mark.parametrize("hidden", HIDDEN_ACTIVATIONS)
@pytest.mark.parametrize("output", OUTPUT_ACTIVATIONS)
def test_forward_matches_the_formula(hidden, output):
    net = Network([3, 5, 4, 3], activation=hidden, output=output, seed=3, init="uniform")
    X = np.random.default_rng(2).normal(size=(11, 3)) * 2.0
    np.testing.assert_allclose(
        net.forward(X), reference_forward(X, net.weights, net.biases, hidden, output), rtol=1e-12, atol=1e-14
    )


def test_sigmoid_output_saturates_without_warnings():
    """Huge pre-activations give (about) 0 or exactly 1, without overflow warnings (pytest turns those into errors)."""
    net = Network([1, 1], output="sigmoid")
    net.weights[0] = [[1.0]]
    net.biases[0] = [0.0]
    O = net.forward(np.array([[-1e4], [-800.0], [0.0], [800.0], [1e4]]))[:, 0]
    assert np.all((O[[0, 1]] >= 0.0) & (O[[0, 1]] < 1e-200))
    assert O[2] == 0.5
    np.testing.assert_array_equal(O[[3, 4]], [1.0, 1.0])


# ---------------------------------------------------------------------------------------------- losses


def test_loss_conventions():
    """squared = ½·Σ(o − t)² averaged over samples; the penalty is l1·Σ|w| + l2·½·Σw² over weights only."""
    rng = np.random.default_rng(5)
    X = rng.normal(size=(6, 2))
    net = Network([2, 3, 2], output="linear", seed=1)
    Y = rng.normal(size=(6, 2))
    O = reference_forward(X, net.weights, net.biases, "tanh", "linear")
    assert net.loss_value(X, Y) == pytest.approx(0.5 * np.sum((O - Y) ** 2) / 6, rel=1e-12)
    net.l1, net.l2 = 0.3, 0.7
    net.biases[0] = [50.0, 50.0, 50.0]  # biases are not penalized
    O = reference_forward(X, net.weights, net.biases, "tanh", "linear")
    w = np.concatenate([W.ravel() for W in net.weights])
    expected = 0.5 * np.sum((O - Y) ** 2) / 6 + 0.3 * np.abs(w).sum() + 0.7 * 0.5 * np.sum(w**2)
    assert net.loss_value(X, Y) == pytest.approx(expected, rel=1e-12)
    assert net.penalty() == pytest.approx(0.3 * np.abs(w).sum() + 0.35 * np.sum(w**2), rel=1e-12)


def test_crossentropy_losses():
    rng = np.random.default_rng(6)
    X = rng.normal(size=(8, 2))
    soft = Network([2, 4, 3], output="softmax", loss="crossentropy", seed=2)
    Y = np.eye(3)[rng.integers(0, 3, 8)]
    P = reference_forward(X, soft.weights, soft.biases, "tanh", "softmax")
    assert soft.loss_value(X, Y) == pytest.approx(-np.sum(Y * np.log(P)) / 8, rel=1e-12)
    sig = Network([2, 4, 1], output="sigmoid", loss="binary_crossentropy", seed=2)
    t = rng.integers(0, 2, (8, 1)).astype(float)
    p = reference_forward(X, sig.weights, sig.biases, "tanh", "sigmoid")
    expected = -np.sum(t * np.log(p) + (1 - t) * np.log(1 - p)) / 8
    assert sig.loss_value(X, t) == pytest.approx(expected, rel=1e-12)
    assert set(LOSSES) == {"squared", "binary_crossentropy", "crossentropy"}


# ---------------------------------------------------------------------------------------------- initialisation


def test_playground_init():
    net = Network([2, 8, 8, 1], init="playground", seed=4)
    assert net.init == "playground"
    w = np.concatenate([W.ravel() for W in net.weights])
    assert np.all((w >= -0.5) & (w < 0.5)) and w.std() > 0.2  # spread over U(−0.5, 0.5)
    for b in net.biases:
        np.testing.assert_array_equal(b, 0.1)


def test_uniform_init():
    net = Network([3, 16, 16, 1], init="uniform", seed=4)
    params = net.params
    assert np.all((params >= -1.0) & (params < 1.0))
    assert params.min() < -0.9 and params.max() > 0.9  # really spread over U(−1, 1)
    assert all(np.any(b != 0) for b in net.biases)


def test_xavier_and_he_init():
    xav = Network([4, 32, 2], init="xavier", seed=1)
    for W in xav.weights:
        limit = np.sqrt(6.0 / sum(W.shape))
        assert np.all(np.abs(W) <= limit)
    he = Network([50, 40, 2], init="he", seed=1)
    assert he.weights[0].std() == pytest.approx(np.sqrt(2.0 / 50), rel=0.1)
    for net in (xav, he):
        for b in net.biases:
            np.testing.assert_array_equal(b, 0.0)


@pytest.mark.parametrize("init", INITS)
def test_seeds(init):
    a = Network([2, 5, 3, 1], init=init, seed=7)
    b = Network([2, 5, 3, 1], init=init, seed=7)
    c = Network([2, 5, 3, 1], init=init, seed=8)
    np.testing.assert_array_equal(a.params, b.params)
    assert not np.array_equal(
        np.concatenate([W.ravel() for W in a.weights]), np.concatenate([W.ravel() for W in c.weights])
    )
    a.params[:] = 0.0
    a.initialize()
    np.testing.assert_array_equal(a.params, b.params)
    a.initialize(8)
    np.testing.assert_array_equal(a.params, c.params)
    assert a.seed == 8


@pytest.mark.parametrize("init", INITS)
def test_bias_false_keeps_biases_zero(init):
    net = Network([3, 4, 1], init=init, bias=False, seed=3)
    for b in net.biases:
        np.testing.assert_array_equal(b, 0.0)
    X = np.random.default_rng(0).normal(size=(5, 3))
    _, _, db = net.gradients(X, np.ones((5, 1)))
    for g in db:
        np.testing.assert_array_equal(g, 0.0)


# ---------------------------------------------------------------------------------------------- copies, views


def test_copy_is_independent():
    net = Network([2, 4, 3], activation=["relu"], output="softmax", loss="crossentropy", l2=0.01, seed=3)
    net.weights[0][0, 0] = 1.234
    twin = net.copy()
    assert twin.config() == net.config()
    np.testing.assert_array_equal(twin.params, net.params)
    X = np.random.default_rng(0).normal(size=(4, 2))
    np.testing.assert_array_equal(twin.forward(X), net.forward(X))
    twin.weights[0][0, 0] = -5.0
    twin.biases[1][:] = 2.0
    assert net.weights[0][0, 0] == 1.234
    assert not np.shares_memory(twin.params, net.params)
    assert not np.array_equal(twin.forward(X), net.forward(X))


def test_copy_of_a_network_without_hidden_layers_or_biases():
    net = Network([3, 2], output="sigmoid", bias=False, init="uniform", seed=9)
    twin = net.copy()
    assert twin.sizes == (3, 2) and not twin.bias and twin.activations == ()
    np.testing.assert_array_equal(twin.params, net.params)


@pytest.mark.parametrize("how", ["pickle", "deepcopy", "copy"])
def test_pickled_and_copied_networks_keep_live_views(how):
    import copy
    import pickle

    net = Network([2, 4, 2, 1], activation=["relu", "tanh"], l2=0.01, seed=3, bias=False)
    net.weights[0][0, 0] = 0.75
    X = np.random.default_rng(0).normal(size=(6, 2))
    net.forward(X)  # scratch buffers exist: they must not be shared or stale either
    twin = {"pickle": lambda n: pickle.loads(pickle.dumps(n)), "deepcopy": copy.deepcopy, "copy": copy.copy}[how](net)
    assert twin.config() == net.config()
    np.testing.assert_array_equal(twin.params, net.params)
    np.testing.assert_array_equal(twin.forward(X), net.forward(X))
    twin.weights[1][:] = 0.0  # edits reach the copy's forward pass, and only the copy's
    assert np.shares_memory(twin.weights[1], twin.params)
    np.testing.assert_allclose(twin.forward(X), np.tanh(np.zeros((6, 1)) + twin.biases[2]))
    assert not np.array_equal(twin.forward(X), net.forward(X))


def test_forward_all_and_pre_activations_agree_with_forward():
    net = Network([3, 6, 4, 2], activation=["relu", "sigmoid"], output="softmax", loss="crossentropy", seed=2)
    X = np.random.default_rng(3).normal(size=(7, 3))
    acts = net.forward_all(X)
    pres = net.pre_activations(X)
    assert [a.shape for a in acts] == [(7, 3), (7, 6), (7, 4), (7, 2)]
    assert [z.shape for z in pres] == [(7, 6), (7, 4), (7, 2)]
    np.testing.assert_array_equal(acts[0], X)
    np.testing.assert_allclose(acts[-1], net.forward(X), rtol=1e-14)
    for i, z in enumerate(pres):
        np.testing.assert_allclose(acts[i + 1], apply(net.layer_activation(i), z), rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(z, acts[i] @ net.weights[i] + net.biases[i], rtol=1e-12)
    acts[1][:] = 0.0  # copies: editing them changes nothing
    np.testing.assert_allclose(net.forward_all(X)[2], acts[2])


def test_properties_and_config_round_trip():
    net = Network([2, 4, 2, 1], activation="relu", output="tanh", l1=0.001, seed=5, init="xavier")
    assert (net.n_inputs, net.n_outputs, net.n_layers, net.hidden) == (2, 1, 3, (4, 2))
    assert [net.layer_activation(i) for i in range(3)] == ["relu", "relu", "tanh"]
    rebuilt = Network(**net.config())
    np.testing.assert_array_equal(rebuilt.params, net.params)
    assert "sizes=[2, 4, 2, 1]" in repr(net)
