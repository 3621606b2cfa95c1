"""The tutorials the app teaches from (``/work/shared/seeds``), reproduced with the engine, with their numbers.

Summed versus averaged gradients
--------------------------------
The tutorials update with the error *summed* over the training rows — iamtrask's 3-layer network does
``syn0 += X.T.dot(l1_delta)``, tutorial 003 ``w += X.T·(error·o·(1 − o))``, tutorial 004 the same with a
learning rate of 0.98. That is plain gradient descent on the summed squared error ½·Σ(t − o)² with the stated
learning rate. Our loss is the *mean* over the batch, whose gradient is the summed one divided by the batch
size ``n``; so the tutorials' update is ours with ``learning_rate = tutorial rate × n`` on a full batch (4 for
iamtrask's "learning rate 1" on 4 rows, 3 × 0.98 for tutorial 004). Using the tutorial's rate unchanged would
take steps ``n`` times smaller: it still converges, but along another trajectory and not to the tutorials'
numbers. The tests below check the equivalence directly: starting from the same weights, our ``Trainer`` and a
line-by-line transcription of the tutorial's loop produce the same weights.

The engine can also take the tutorials' rule as it is: ``batch_reduction="sum"`` (a Trainer argument and a live
Config field) sums the batch's gradients, and then the tutorials' learning rates reproduce their numbers
unchanged (the tests at the end of this file).
"""

from __future__ import annotations

import numpy as np
import pytest

from visualizer.engine import Network, Trainer, make_dataset
from visualizer.engine.mcculloch_pitts import threshold_unit


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def full_batch_trainer(net: Network, ds, rate: float) -> Trainer:
    """Gradient descent on the whole table at once with the tutorial's (summed-error) learning rate."""
    n = ds.n_train
    return Trainer(
        net, ds.X_train, ds.y_train, ds.X_test, ds.y_test, batch_size=n, optimizer="sgd", learning_rate=rate * n
    )


# ---------------------------------------------------------------------------------------------- 000: iamtrask

X_000 = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]], dtype=np.float64)
Y_000 = np.array([[0, 1, 1, 0]], dtype=np.float64).T


def iamtrask_initial_weights():
    """``np.random.seed(1); syn0 = 2*np.random.random((3,4)) - 1; syn1 = 2*np.random.random((4,1)) - 1``."""
    rs = np.random.RandomState(1)
    syn0 = 2 * rs.random_sample((3, 4)) - 1
    syn1 = 2 * rs.random_sample((4, 1)) - 1
    return syn0, syn1


def iamtrask_loop(syn0, syn1, iterations):
    """iamtrask's 3-layer network, line by line (no biases, sigmoid everywhere, learning rate 1)."""
    syn0, syn1 = syn0.copy(), syn1.copy()
    X, y = X_000, Y_000
    for _ in range(iterations):
        l1 = 1 / (1 + np.exp(-(np.dot(X, syn0))))
        l2 = 1 / (1 + np.exp(-(np.dot(l1, syn1))))
        l2_delta = (y - l2) * (l2 * (1 - l2))
        l1_delta = l2_delta.dot(syn1.T) * (l1 * (1 - l1))
        syn1 += l1.T.dot(l2_delta)
        syn0 += X.T.dot(l1_delta)
    return syn0, syn1


def network_000(seed=0) -> Network:
    return Network(
        [3, 4, 1], activation="sigmoid", output="sigmoid", loss="squared", bias=False, init="uniform", seed=seed
    )


def test_000_dataset_is_the_tutorial_table():
    ds = make_dataset("tutorial_000")
    np.testing.assert_array_equal(ds.X_train, X_000)
    np.testing.assert_array_equal(ds.y_train, Y_000[:, 0])
    assert ds.n_train == 4


def test_000_trainer_takes_the_tutorials_steps():
    """Same start, same update: our full-batch Trainer at rate 1 × 4 on the mean follows iamtrask's loop."""
    syn0, syn1 = iamtrask_initial_weights()
    ref0, ref1 = iamtrask_loop(syn0, syn1, 2000)
    net = network_000()
    net.weights[0] = syn0
    net.weights[1] = syn1
    trainer = full_batch_trainer(net, make_dataset("tutorial_000"), rate=1.0)
    assert trainer.learning_rate == 4.0
    trainer.run(2000)
    assert trainer.steps == 2000
    np.testing.assert_allclose(net.weights[0], ref0, rtol=1e-11, atol=1e-12)
    np.testing.assert_allclose(net.weights[1], ref1, rtol=1e-11, atol=1e-12)
    for b in net.biases:
        np.testing.assert_array_equal(b, 0.0)


def test_000_learns_in_60000_iterations():
    """From the engine's own U(−1, 1) weights: 60,000 full-batch iterations, every output within 0.05."""
    net = network_000(seed=0)
    assert np.all(np.abs(net.params) <= 1.0)
    trainer = full_batch_trainer(net, make_dataset("tutorial_000"), rate=1.0)
    assert trainer.run(60_000) is None
    assert trainer.epoch == trainer.steps == 60_000
    np.testing.assert_allclose(net.forward(X_000), Y_000, atol=0.05)
    assert trainer.history.last("train_metric") == 1.0


# ---------------------------------------------------------------------------------------------- 003: one neuron

X_003 = np.array([[0, 0, 1], [1, 1, 1], [1, 0, 1], [0, 1, 1]], dtype=np.float64)
Y_003 = np.array([[0, 1, 1, 0]], dtype=np.float64).T
NEW_SITUATION = np.array([[1.0, 0.0, 0.0]])


def test_003_dataset_is_the_tutorial_table():
    ds = make_dataset("tutorial_003")
    np.testing.assert_array_equal(ds.X_train, X_003)
    np.testing.assert_array_equal(ds.y_train, Y_003[:, 0])
    np.testing.assert_array_equal(ds.X_test, NEW_SITUATION)
    np.testing.assert_array_equal(ds.y_test, [1])


def test_003_single_neuron_matches_the_tutorial_loop_and_predicts_the_new_situation():
    """15,000 iterations of ``w += X.T·(error·o·(1 − o))``, then the new situation [1, 0, 0] → > 0.99."""
    w0 = 2 * np.random.RandomState(1).random_sample((3, 1)) - 1
    w = w0.copy()
    for _ in range(15_000):
        o = sigmoid(X_003 @ w)
        w += X_003.T @ ((Y_003 - o) * o * (1 - o))
    net = Network([3, 1], output="sigmoid", bias=False, init="uniform")  # the tutorial's neuron has no bias
    net.weights[0] = w0
    trainer = full_batch_trainer(net, make_dataset("tutorial_003"), rate=1.0)
    trainer.run(15_000)
    np.testing.assert_allclose(net.weights[0], w, rtol=1e-9)
    assert net.forward(NEW_SITUATION)[0, 0] > 0.99
    assert trainer.history.last("test_metric") == 1.0  # the new situation, as a held-out test case


@pytest.mark.parametrize(("seed", "bias"), [(0, False), (0, True)], ids=["no-bias", "bias"])
def test_003_new_situation_from_the_engines_init(seed, bias):
    net = Network([3, 1], output="sigmoid", bias=bias, init="uniform", seed=seed)
    trainer = full_batch_trainer(net, make_dataset("tutorial_003"), rate=1.0)
    trainer.run(15_000)
    assert net.forward(NEW_SITUATION)[0, 0] > 0.99
    np.testing.assert_array_equal(np.round(net.forward(X_003)), Y_003)


# ---------------------------------------------------------------------------------------------- 004: M-P units

GATE_INPUTS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)


@pytest.mark.parametrize(
    ("gate", "X", "weights", "threshold", "truth"),
    [
        ("or", GATE_INPUTS, [1, 1], 0.5, [0, 1, 1, 1]),
        ("and", GATE_INPUTS, [1, 1], 1.5, [0, 0, 0, 1]),
        ("not", np.array([[0.0], [1.0]]), [-1], -0.5, [1, 0]),
    ],
)
def test_004_mcculloch_pitts_gates(gate, X, weights, threshold, truth):
    assert threshold_unit(X, weights, threshold).tolist() == truth
    # The same truth table as make_dataset's gate.
    ds = make_dataset(gate)
    np.testing.assert_array_equal(ds.X_train, X)
    np.testing.assert_array_equal(ds.y_train, truth)
    # The same unit in the engine: a linear output with weights w and bias −threshold, then a step at 0.
    net = Network([X.shape[1], 1], output="linear")
    net.weights[0] = np.array(weights, dtype=np.float64)[:, None]
    net.biases[0] = [-threshold]
    assert (net.forward(X)[:, 0] >= 0).astype(int).tolist() == truth


def test_004_tutorial_arithmetic():
    """ "(0*1) + (0*1) = 0 … less than the threshold, 0.5, hence the output will be 0"; "(1*1) + (0*1) = 1 … greater
    than the threshold, 0.5, hence the output will be 1"; and a sum equal to the threshold fires."""
    assert threshold_unit([0, 0], [1, 1], 0.5).tolist() == [0]
    assert threshold_unit([1, 0], [1, 1], 0.5).tolist() == [1]
    assert threshold_unit([[1, 1], [0.5, 0.0]], [1, 1], 0.5).tolist() == [1, 1]  # >= fires at equality


def test_004_threshold_unit_rejects_bad_shapes():
    with pytest.raises(ValueError, match=r"inputs must have shape \(n, 2\)"):
        threshold_unit(np.zeros((3, 3)), [1, 1], 0.5)
    with pytest.raises(ValueError, match="weights must be a flat vector"):
        threshold_unit(np.zeros((3, 2)), [[1, 1]], 0.5)


X_004 = np.array([[0, 1, 1], [1, 0, 0], [1, 0, 1]], dtype=np.float64)
Y_004 = np.array([[1, 0, 1]], dtype=np.float64).T
TEST_004 = np.array([[1.0, 0.0, 1.0]])


def test_004_three_by_three_example():
    """The 3 × 3 example: one sigmoid neuron with a bias (starting at 0.001), learning rate 0.98 on the summed
    error, tested on [1, 0, 1], whose target (= the third input, as in every training row) is 1.

    The tutorial's listing is cut off before the number of iterations; we train 10,000. It adds the per-row bias
    adjustments to the bias as an array (so its "bias" ends up one value per training row); a neuron has one
    bias, so here it moves by the summed adjustment, the gradient of the same summed error.
    """
    ds = make_dataset("tutorial_004")
    np.testing.assert_array_equal(ds.X_train, X_004)
    np.testing.assert_array_equal(ds.y_train, Y_004[:, 0])
    np.testing.assert_array_equal(ds.X_test, TEST_004)

    w0 = np.random.default_rng(4).uniform(-1.0, 1.0, size=(3, 1))
    # Reference: the tutorial's loop with a scalar bias.
    w, b = w0.copy(), 0.001
    for _ in range(10_000):
        o = sigmoid(X_004 @ w + b)
        error = (Y_004 - o) * o * (1 - o)
        w += X_004.T @ error * 0.98
        b += error.sum() * 0.98

    net = Network([3, 1], output="sigmoid", loss="squared", init="uniform")
    net.weights[0] = w0
    net.biases[0] = [0.001]
    trainer = full_batch_trainer(net, ds, rate=0.98)
    trainer.run(10_000)
    np.testing.assert_allclose(net.weights[0], w, rtol=1e-8)
    assert net.biases[0][0] == pytest.approx(b, rel=1e-8)
    prediction = net.forward(TEST_004)[0, 0]
    assert prediction > 0.5  # classified as 1, the test case's target
    assert prediction > 0.95  # "accuracy" in the tutorial's sense: the output times 100 %
    np.testing.assert_array_equal(np.round(net.forward(X_004)), Y_004)
    assert trainer.history.last("test_metric") == 1.0


# ---------------------------------------------------------------------------------------------- perceptrons, XOR


def test_no_single_threshold_line_separates_xor():
    """The reason behind the next test: for any weights and bias at least one of the 4 XOR rows is wrong."""
    rng = np.random.default_rng(0)
    W = rng.normal(size=(200_000, 3)) * rng.choice([0.1, 1.0, 10.0], size=(200_000, 1))
    Xa = np.column_stack([GATE_INPUTS, np.ones(4)])
    correct = ((Xa @ W.T) > 0) == np.array([0, 1, 1, 0], dtype=bool)[:, None]
    assert correct.sum(axis=0).max() <= 3


@pytest.mark.parametrize("seed", range(4))
def test_single_layer_perceptron_cannot_learn_xor(seed):
    ds = make_dataset("xor_gate")
    net = Network([2, 1], activation="tanh", output="tanh", seed=seed)
    trainer = Trainer(net, ds.X_train, ds.y_train, batch_size=4, learning_rate=0.3, shuffle_seed=seed)
    trainer.run(2000)
    assert trainer.history.view()["train_metric"].max() <= 0.75  # always at least 1 of 4 wrong
    assert trainer.history.last("train_metric") <= 0.75


@pytest.mark.parametrize("seed", range(4))
def test_two_two_one_network_learns_xor(seed):
    ds = make_dataset("xor_gate")
    net = Network([2, 2, 1], activation="tanh", output="tanh", seed=seed)
    trainer = Trainer(net, ds.X_train, ds.y_train, batch_size=4, learning_rate=0.3, shuffle_seed=seed)
    trainer.run(2000)
    assert trainer.history.last("train_metric") == 1.0
    out = net.forward(ds.X_train)[:, 0]
    assert np.all((out > 0) == (ds.y_train == 1))


# ---------------------------------------------------------------------------------------------- sum gradients
# With ``batch_reduction="sum"`` the trainer takes the tutorials' own learning rates unchanged.


def sum_trainer(net: Network, ds, rate: float) -> Trainer:
    return Trainer(
        net,
        ds.X_train,
        ds.y_train,
        ds.X_test,
        ds.y_test,
        batch_size=ds.n_train,
        optimizer="sgd",
        learning_rate=rate,
        batch_reduction="sum",
    )


def test_000_sum_reduction_takes_the_tutorials_steps_at_its_own_rate():
    syn0, syn1 = iamtrask_initial_weights()
    ref0, ref1 = iamtrask_loop(syn0, syn1, 2000)
    net = network_000()
    net.weights[0] = syn0
    net.weights[1] = syn1
    trainer = sum_trainer(net, make_dataset("tutorial_000"), rate=1.0)  # iamtrask's implicit rate 1
    trainer.run(2000)
    np.testing.assert_allclose(net.weights[0], ref0, rtol=1e-11, atol=1e-12)
    np.testing.assert_allclose(net.weights[1], ref1, rtol=1e-11, atol=1e-12)


def test_003_sum_reduction_matches_the_tutorial_loop():
    w0 = 2 * np.random.RandomState(1).random_sample((3, 1)) - 1
    w = w0.copy()
    for _ in range(3000):
        o = sigmoid(X_003 @ w)
        w += X_003.T @ ((Y_003 - o) * o * (1 - o))
    net = Network([3, 1], output="sigmoid", bias=False, init="uniform")
    net.weights[0] = w0
    sum_trainer(net, make_dataset("tutorial_003"), rate=1.0).run(3000)
    np.testing.assert_allclose(net.weights[0], w, rtol=1e-10)


def test_004_sum_reduction_at_the_tutorials_rate_098():
    w0 = np.random.default_rng(4).uniform(-1.0, 1.0, size=(3, 1))
    w, b = w0.copy(), 0.001
    for _ in range(2000):
        o = sigmoid(X_004 @ w + b)
        error = (Y_004 - o) * o * (1 - o)
        w += X_004.T @ error * 0.98
        b += error.sum() * 0.98
    net = Network([3, 1], output="sigmoid", loss="squared", init="uniform")
    net.weights[0] = w0
    net.biases[0] = [0.001]
    trainer = sum_trainer(net, make_dataset("tutorial_004"), rate=0.98)
    assert trainer.learning_rate == 0.98
    trainer.run(2000)
    np.testing.assert_allclose(net.weights[0], w, rtol=1e-9)
    assert net.biases[0][0] == pytest.approx(b, rel=1e-9)


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
def test_sum_is_mean_times_batch_size_for_sgd_and_n_times_the_gradient(optimizer):
    """The sum's gradient is n times the mean's, on a Playground net; a batch of 1 is the same either way."""
    ds = make_dataset("circle", seed=0)
    net = Network([2, 4, 2, 1], seed=3)
    X, Y = ds.X_train[:10], np.where(ds.y_train[:10] == 1, 1.0, -1.0)[:, None]
    lm, gm, bm = net.gradients(X, Y, "mean")
    ls, gs, bs = net.gradients(X, Y, "sum")
    assert ls == pytest.approx(10 * lm)
    for a, b in zip(gm + bm, gs + bs, strict=True):
        np.testing.assert_allclose(b, 10 * a, rtol=1e-12, atol=1e-15)
    one = [
        Trainer(net.copy(), ds.X_train, ds.y_train, batch_size=1, optimizer=optimizer, batch_reduction=r)
        for r in ("mean", "sum")
    ]
    for t in one:
        t.run(2)
    np.testing.assert_array_equal(one[0].net.params, one[1].net.params)


def test_batch_reduction_is_validated_and_live():
    from visualizer.engine import Config, build
    from visualizer.engine.experiment import LIVE_FIELDS

    assert "batch_reduction" in LIVE_FIELDS
    with pytest.raises(ValueError, match="batch reduction"):
        Config(batch_reduction="median")
    exp = build(Config(dataset="tutorial_000", hidden=(4,), activation="sigmoid", output="sigmoid", bias=False))
    assert exp.trainer.batch_reduction == "mean" and not exp.network.bias
    exp.apply_live(exp.config.replace(batch_reduction="sum"))
    assert exp.trainer.batch_reduction == "sum" and exp.config.batch_reduction == "sum"
    with pytest.raises(ValueError, match="batch reduction"):
        exp.trainer.batch_reduction = "max"
