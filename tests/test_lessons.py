"""Lessons as data (visualizer.engine.lessons): each builds and trains; the tutorials' lessons end at the
tutorials' numbers; the McCulloch-Pitts truth table follows edited weights and threshold."""

from __future__ import annotations

import numpy as np
import pytest

from visualizer.engine import Experiment, make_dataset
from visualizer.engine.lessons import (
    LESSONS,
    VIEWS,
    build_lesson,
    get_lesson,
    initial_params,
    lesson_names,
    resolve,
)
from visualizer.engine.mcculloch_pitts import threshold_line, threshold_unit, truth_table

ALL = [(name, None) for name in LESSONS] + [(name, v.name) for name in LESSONS for v in LESSONS[name].variants]


def test_reduction_survives_a_session():
    exp = build_lesson("tutorial_003")
    state = exp.trainer.state_dict()
    assert state["batch_reduction"] == "sum"
    other = build_lesson("tutorial_003")
    other.trainer.batch_reduction = "mean"
    other.trainer.load_state_dict(state)
    assert other.trainer.batch_reduction == "sum"


def test_names_and_lookup():
    names = lesson_names()
    for required in (
        "mcculloch_pitts",
        "perceptron",
        "xor",
        "tutorial_000",
        "tutorial_003",
        "stopping_criteria",
        "vanishing_gradients",
    ):
        assert required in names
    with pytest.raises(KeyError, match="unknown lesson 'nope'"):
        get_lesson("nope")
    with pytest.raises(KeyError, match="no variant"):
        resolve("xor", "triple")


@pytest.mark.parametrize(("name", "variant"), ALL)
def test_every_lesson_builds_and_trains(name, variant):
    lesson = resolve(name, variant)
    assert lesson.title and len(lesson.text) > 80
    assert set(lesson.views) <= set(VIEWS)
    exp = build_lesson(name, variant)
    assert isinstance(exp, Experiment)
    t = exp.trainer
    assert t.learning_rate == lesson.training.learning_rate
    assert t.batch_reduction == lesson.training.batch_reduction
    assert exp.network.sizes[1:-1] == lesson.network.hidden
    before = exp.network.params.copy()
    for _ in range(3):
        t.run_epoch()
    assert t.epoch == 3
    assert np.all(np.isfinite(exp.network.params))
    if lesson.mp is None:  # (the AND and OR units already sit at their least-squares optimum)
        assert not np.array_equal(before, exp.network.params)


def test_tutorial_000_lesson_is_the_tutorials_network_and_ends_at_its_outputs():
    lesson = get_lesson("tutorial_000")
    exp = build_lesson("tutorial_000")
    net, t = exp.network, exp.trainer
    ds = make_dataset("tutorial_000")
    np.testing.assert_array_equal(exp.dataset.X_train, ds.X_train)
    assert net.sizes == (3, 4, 1) and not net.bias and net.activations == ("sigmoid",) and net.output == "sigmoid"
    assert (t.learning_rate, t.batch_size, t.batch_reduction) == (1.0, 4, "sum")
    rs = np.random.RandomState(1)  # np.random.seed(1); syn0 = 2*random((3,4)) - 1; syn1 = 2*random((4,1)) - 1
    np.testing.assert_array_equal(net.weights[0], 2 * rs.random_sample((3, 4)) - 1)
    np.testing.assert_array_equal(net.weights[1], 2 * rs.random_sample((4, 1)) - 1)
    assert t.run(lesson.training.epochs + 10) == "maximum epochs reached"
    assert t.epoch == 60_000
    out = net.forward(np.array(lesson.expected.inputs, dtype=float))[:, 0]
    np.testing.assert_allclose(out, lesson.expected.outputs, atol=0.01)
    np.testing.assert_allclose(out, [0, 1, 1, 0], atol=0.01)


def test_tutorial_003_lesson_predicts_the_new_situation():
    lesson = get_lesson("tutorial_003")
    exp = build_lesson("tutorial_003")
    assert exp.network.sizes == (3, 1) and not exp.network.bias
    assert exp.trainer.run(lesson.training.epochs) == "maximum epochs reached"
    out = exp.network.forward(np.array(lesson.expected.inputs, dtype=float))[:, 0]
    np.testing.assert_allclose(out, lesson.expected.outputs, atol=0.01)
    assert out[0] > 0.99  # [1, 0, 0] → 1


def test_xor_single_perceptron_plateaus_and_the_network_learns():
    single = build_lesson("xor", "single")
    single.trainer.run(500)
    metric = single.trainer.history.view()["train_metric"]
    assert metric.max() <= 0.75
    loss = single.trainer.history.view()["train_loss"]
    assert abs(loss[-1] - loss[-100]) < 1e-3  # plateau
    net = build_lesson("xor")
    net.trainer.run(2000)
    assert net.trainer.history.last("train_metric") == 1.0


def test_stopping_criteria_variants_stop_for_their_reason():
    reasons = {
        "max_epochs": "maximum epochs reached",
        "target_loss": "target loss reached",
        "plateau": "no further reduction in loss",
        "early_stop": "test loss rising (early stop)",
    }
    for variant, reason in reasons.items():
        exp = build_lesson("stopping_criteria", variant)
        assert exp.trainer.run(10_000) == reason, variant
    exp = build_lesson("stopping_criteria")
    assert exp.network.biases[0][0] == 0.001


def test_vanishing_gradients_first_layers_starve():
    exp = build_lesson("vanishing_gradients")
    exp.trainer.run(20)
    epochs, norms = exp.trainer.grad_history.view()
    assert epochs.tolist() == list(range(1, 21))
    ratio = norms[:, 0] / norms[:, -1]
    assert np.all(ratio < 1e-2)
    assert np.all(np.diff(norms[-1]) > 0)  # sizes grow from the first layer to the last
    relu = build_lesson("vanishing_gradients", "relu")
    relu.trainer.run(20)
    _, rn = relu.trainer.grad_history.view()
    assert np.median(rn[:, 0] / rn[:, -1]) > 1e-2


def test_perceptron_lesson_learns_one_sample_at_a_time():
    exp = build_lesson("perceptron")
    assert exp.trainer.batch_size == 1 and exp.network.sizes == (2, 1)
    exp.trainer.run(2)
    assert exp.trainer.history.last("train_metric") == 1.0


# ---------------------------------------------------------------------------------------------- McCulloch-Pitts


@pytest.mark.parametrize(
    ("weights", "threshold", "outputs"),
    [
        ((1, 1), 1.5, [0, 0, 0, 1]),
        ((1, 1), 0.5, [0, 1, 1, 1]),
        ((-1,), -0.5, [1, 0]),
        ((1, 1), 2.5, [0, 0, 0, 0]),
        ((1, -1), 0.5, [0, 0, 1, 0]),
        ((2, 1), 1.0, [0, 1, 1, 1]),
        ((1, 1, 1), 2.0, [0, 0, 0, 1, 0, 1, 1, 1]),
    ],
)
def test_truth_table_follows_weights_and_threshold(weights, threshold, outputs):
    table = truth_table(weights, threshold)
    assert table.outputs.tolist() == outputs
    np.testing.assert_array_equal(table.sums, table.inputs @ np.asarray(weights, float))
    assert table.inputs.shape == (2 ** len(weights), len(weights))
    np.testing.assert_array_equal(table.outputs, threshold_unit(table.inputs, weights, threshold))


def test_truth_table_edits_move_the_output():
    base = truth_table([1, 1], 1.5).outputs.tolist()
    assert base == [0, 0, 0, 1]
    assert truth_table([1, 1], 1.0).outputs.tolist() == [0, 1, 1, 1]  # threshold lowered to the sum of one input
    assert truth_table([1, 0.4], 1.0).outputs.tolist() == [0, 0, 1, 1]  # x2's weight edited down
    with pytest.raises(ValueError):
        truth_table([[1, 1]], 0.5)


def test_no_threshold_unit_computes_xor():
    rng = np.random.default_rng(0)
    for _ in range(2000):
        w, th = rng.normal(size=2) * 3, rng.normal() * 3
        assert truth_table(w, th).outputs.tolist() != [0, 1, 1, 0]


@pytest.mark.parametrize("gate", ["and", "or", "not"])
def test_mcculloch_pitts_lesson_network_is_the_gate(gate):
    lesson = resolve("mcculloch_pitts", gate)
    exp = build_lesson("mcculloch_pitts", gate)
    X = exp.dataset.X_train
    expected = truth_table(lesson.mp.weights, lesson.mp.threshold, X).outputs
    np.testing.assert_array_equal(expected, exp.dataset.y_train)
    # The network is the unit: weights w, bias −θ, a step at 0.
    out = exp.network.forward(X)[:, 0]
    np.testing.assert_array_equal((out >= 0).astype(int), expected)
    params = initial_params(exp, lesson)
    np.testing.assert_array_equal(params, exp.network.params)


def test_threshold_line_follows_weights_and_threshold():
    assert threshold_line([1, 1], 1.5, (0, 2)) == ((0.0, 1.5), (1.5, 0.0))
    seg = threshold_line([1, 1], 0.5)  # OR: x1 + x2 = 0.5
    for x, y in seg:
        assert x + y == pytest.approx(0.5)
    assert sorted(threshold_line([1, 0], 0.5)) == [(0.5, -0.25), (0.5, 1.25)]  # x1 = 0.5, vertical
    assert threshold_line([1, 1], 10.0) is None  # beyond the square: nothing drawn
    assert threshold_line([0, 0], 0.5) is None
    with pytest.raises(ValueError):
        threshold_line([1], 0.5)
