"""Training: Playground's problems with Playground's defaults, live settings, bit-for-bit reproducibility and
resumption, stopping criteria, divergence, statistics, regression and multi-class problems."""

from __future__ import annotations

import math

import numpy as np
import pytest

from visualizer.engine import (
    FEATURES,
    Network,
    StopCriteria,
    StopReason,
    Trainer,
    encode_targets,
    make_dataset,
    predict_classes,
)
from visualizer.engine.experiment import PRESETS, Config, build


def reach(trainer: Trainer, threshold: float, max_epochs: int) -> int | None:
    """Train until the test metric reaches ``threshold``; the epoch it did, or None."""
    for _ in range(max_epochs):
        assert trainer.run_epoch() is None
        if trainer.history.last("test_metric") >= threshold:
            return trainer.epoch
    return None


def circle_trainer(
    batch_size=10, optimizer="sgd", learning_rate=0.03, hidden=(4, 2), seed=0, activation="tanh", **kw
) -> Trainer:
    ds = make_dataset("circle", seed=0)
    net = Network([2, *hidden, 1], activation=activation, output="tanh", seed=seed, **kw)
    return Trainer(
        net,
        ds.X_train,
        ds.y_train,
        ds.X_test,
        ds.y_test,
        batch_size=batch_size,
        optimizer=optimizer,
        learning_rate=learning_rate,
        shuffle_seed=seed,
    )


def full_batch_targets(trainer: Trainer) -> tuple[np.ndarray, np.ndarray]:
    """The training set as (X, T) in row layout, as ``Network.gradients`` takes it."""
    return trainer.Xa_train[:-1].T.copy(), trainer.T_train.T.copy()


# ---------------------------------------------------------------------------------------------- Playground


def test_config_defaults_are_playgrounds():
    c = Config()
    assert (c.activation, c.hidden, c.learning_rate, c.batch_size, c.noise, c.train_fraction) == (
        "tanh",
        (4, 2),
        0.03,
        10,
        0.0,
        0.5,
    )
    assert (c.features, c.regularization, c.optimizer, c.init) == (("x1", "x2"), "none", "sgd", "playground")


@pytest.mark.parametrize("dataset", ["circle", "xor", "gauss"])
def test_playground_defaults_solve_the_easy_sets(dataset):
    ex = build(Config(dataset=dataset))
    assert ex.network.sizes == (2, 4, 2, 1) and ex.trainer.n_train == 250 and ex.trainer.n_test == 250
    assert reach(ex.trainer, 0.95, 500) is not None


@pytest.mark.parametrize("data_seed", [0, 1, 2])
def test_spiral_preset(data_seed):
    preset = PRESETS["spiral"]
    assert preset.dataset == "spiral" and set(preset.features) == set(FEATURES)
    ex = build(preset.replace(data_seed=data_seed))
    assert reach(ex.trainer, 0.90, 300) is not None
    ex.trainer.run(300 - ex.trainer.epoch)
    assert ex.trainer.history.last("test_metric") >= 0.90  # and it stays there


# ---------------------------------------------------------------------------------------------- batch sizes


@pytest.mark.parametrize(
    ("batch_size", "steps_per_epoch", "max_epochs"),
    [(1, 250, 40), (7, 36, 300), (10, 25, 300), (250, 1, 2000), (1000, 1, 2000)],
)
def test_batch_sizes(batch_size, steps_per_epoch, max_epochs):
    trainer = circle_trainer(batch_size=batch_size)
    trainer.run_epoch()
    assert trainer.steps == steps_per_epoch
    assert reach(trainer, 0.95, max_epochs) is not None


@pytest.mark.parametrize(("optimizer", "learning_rate"), [("sgd", 0.03), ("momentum", 0.01), ("adam", 0.01)])
def test_optimizers_reduce_the_loss(optimizer, learning_rate):
    trainer = circle_trainer(optimizer=optimizer, learning_rate=learning_rate)
    initial = trainer.evaluate()[0]
    trainer.run(60)
    losses = trainer.history.view()["train_loss"]
    assert losses[-1] < 0.5 * initial


def test_unknown_optimizer():
    with pytest.raises(ValueError, match="unknown optimizer 'rmsprop'; choose one of: sgd, momentum, adam"):
        circle_trainer(optimizer="rmsprop")


# ---------------------------------------------------------------------------------------------- live settings


@pytest.mark.parametrize("optimizer", ["sgd", "momentum"])
def test_a_step_is_the_optimizer_update_of_the_exact_gradient(optimizer):
    """Full batch: one step moves the weights by −η·∇(mean loss + penalty), with η, l1, l2 read at that step."""
    trainer = circle_trainer(batch_size=250, optimizer=optimizer)
    net = trainer.net
    X, T = full_batch_targets(trainer)
    for lr, l1, l2 in [(0.03, 0.0, 0.0), (0.3, 0.0, 0.01), (0.1, 0.003, 0.0), (1.0, 0.001, 0.03)]:
        trainer.learning_rate = lr
        net.l1, net.l2 = l1, l2
        if optimizer == "momentum":
            trainer.optimizer.reset()  # first step after a reset: v = −η·g
        before = net.params.copy()
        _, dW, db = net.gradients(X, T)
        trainer.step_batch()
        for W, W0, g in zip(net.weights, net._views(before, [b.shape for b in net._blocks]), dW, strict=True):
            np.testing.assert_allclose(W, W0[:-1] - lr * g, rtol=1e-12, atol=1e-15)
        for b, W0, g in zip(net.biases, net._views(before, [b.shape for b in net._blocks]), db, strict=True):
            np.testing.assert_allclose(b, W0[-1] - lr * g, rtol=1e-12, atol=1e-15)


def test_learning_rate_and_regularization_change_mid_epoch():
    """Between two mini-batch steps of one epoch: each step uses the rates set just before it."""
    trainer = circle_trainer(batch_size=10)
    net = trainer.net
    for lr, l1, l2 in [(0.03, 0.0, 0.0), (0.5, 0.0, 0.1), (0.01, 0.02, 0.0), (0.2, 0.01, 0.05)]:
        trainer.step_batch()
        assert trainer.epoch == 0 and trainer._cursor > 0  # mid-epoch
        trainer.learning_rate = lr
        net.l1, net.l2 = l1, l2
        XbT, TbT = trainer._batches[trainer._batch_index]  # the batch the next step will use
        before = [W.copy() for W in net.weights] + [b.copy() for b in net.biases]
        _, dW, db = net.gradients(XbT[:-1].T, TbT.T)
        trainer.step_batch()
        for p, p0, g in zip([*net.weights, *net.biases], before, dW + db, strict=True):
            np.testing.assert_allclose(p, p0 - lr * g, rtol=1e-12, atol=1e-15)


def test_learning_rate_zero_freezes_and_can_change_mid_epoch():
    trainer = circle_trainer()
    trainer.step_batch()
    trainer.learning_rate = 0.0
    frozen = trainer.net.params.copy()
    for _ in range(5):
        trainer.step_batch()
    np.testing.assert_array_equal(trainer.net.params, frozen)
    trainer.learning_rate = 0.3
    assert trainer.learning_rate == 0.3 and trainer.optimizer.learning_rate == 0.3
    trainer.step_batch()
    assert not np.array_equal(trainer.net.params, frozen)
    assert trainer.epoch == 0 and trainer.steps == 7


def test_batch_size_change_mid_epoch():
    trainer = circle_trainer(batch_size=10)
    for _ in range(3):
        assert trainer.step_batch() is None
    assert trainer._cursor == 30
    trainer.batch_size = 7  # the remaining 220 samples: 31 batches of 7 and one of 3
    steps = 0
    while trainer.epoch == 0:
        trainer.step_batch()
        steps += 1
    assert steps == 32 and trainer.steps == 35
    trainer.batch_size = 50
    assert trainer.run_epoch() is None
    assert trainer.steps == 40 and trainer.epoch == 2
    with pytest.raises(ValueError, match="batch size must be at least 1"):
        trainer.batch_size = 0


def test_an_epoch_with_a_deadline_stops_mid_epoch_and_goes_on_to_the_same_weights():
    whole = circle_trainer(batch_size=10)
    sliced = circle_trainer(batch_size=10)
    for _ in range(2):
        assert whole.run_epoch() is None
    calls = 0
    while sliced.epoch < 2:
        assert sliced.run_epoch(deadline=0.0) is None  # a deadline long past: one mini-batch a call
        calls += 1
        if sliced.epoch < 2:
            assert sliced.mid_epoch or sliced._cursor == 0
    assert calls == whole.steps == sliced.steps == 50
    for a, b in zip(whole.net.weights, sliced.net.weights, strict=True):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(whole.history.view()["train_loss"], sliced.history.view()["train_loss"])
    # a deadline far ahead is a whole epoch
    assert sliced.run_epoch(deadline=float("inf")) is None and sliced.epoch == 3 and not sliced.mid_epoch


def test_every_sample_is_seen_once_per_epoch_even_when_the_batch_size_changes():
    ds = make_dataset("circle", seed=0, n_samples=60, train_fraction=0.5)
    net = Network([2, 1], output="linear")
    trainer = Trainer(net, ds.X_train, ds.y_train, batch_size=4)
    seen = []
    real_step = trainer._step

    def spy(XbT, TbT):
        seen.extend(map(tuple, XbT[:-1].T))
        return real_step(XbT, TbT)

    trainer._step = spy
    for b in (4, 4, 5, 1, 11):
        trainer.batch_size = b
        trainer.step_batch()
    trainer.run_epoch()
    assert sorted(seen) == sorted(map(tuple, ds.X_train))


def test_regularization_can_change_between_steps():
    trainer = circle_trainer(batch_size=250, learning_rate=0.1)
    net = trainer.net
    trainer.run(5)
    net.l2 = 3.0  # strong weight decay: the weights shrink towards 0
    norm_before = sum(float(np.sum(W**2)) for W in net.weights)
    trainer.run(20)
    assert sum(float(np.sum(W**2)) for W in net.weights) < 0.5 * norm_before
    net.l2, net.l1 = 0.0, 0.01
    trainer.run(3)
    assert all(np.all(np.isfinite(W)) for W in net.weights)


# ---------------------------------------------------------------------------------------------- reproducibility


def snapshot(trainer: Trainer):
    h = trainer.history.view()
    return trainer.net.params.copy(), {k: v.copy() for k, v in h.items()}, trainer.epoch, trainer.steps


def assert_same(a, b):
    np.testing.assert_array_equal(a[0], b[0])
    assert a[1].keys() == b[1].keys()
    for k in a[1]:
        np.testing.assert_array_equal(a[1][k], b[1][k])
    assert a[2:] == b[2:]


def test_two_runs_are_bit_identical():
    runs = []
    for _ in range(2):
        trainer = circle_trainer(hidden=(8, 8), seed=3)
        trainer.run(20)
        runs.append(snapshot(trainer))
    assert_same(*runs)
    other = circle_trainer(hidden=(8, 8), seed=4)
    other.run(20)
    assert not np.array_equal(other.net.params, runs[0][0])


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
def test_state_dict_resumes_mid_epoch_bit_for_bit(optimizer):
    a = circle_trainer(optimizer=optimizer, learning_rate=0.01, hidden=(6, 3), seed=1)
    for _ in range(37):
        a.step_batch()
    a.run(3)

    b = circle_trainer(optimizer=optimizer, learning_rate=0.01, hidden=(6, 3), seed=1)
    for _ in range(37):
        b.step_batch()
    assert b.epoch == 1 and b._cursor == 120  # 25 batches per epoch: 12 batches into the second epoch
    state = b.state_dict()
    fresh = circle_trainer(optimizer=optimizer, learning_rate=0.01, hidden=(6, 3), seed=99)  # other weights
    fresh.load_state_dict(state)
    fresh.run(3)
    assert_same(snapshot(a), snapshot(fresh))


def test_state_dict_after_a_batch_size_change_and_between_epochs():
    a = circle_trainer(seed=2)
    a.batch_size = 16
    for _ in range(5):
        a.step_batch()
    a.batch_size = 9
    a.step_batch()
    state = a.state_dict()
    b = circle_trainer(seed=7)
    b.load_state_dict(state)
    assert b.batch_size == 9
    for t in (a, b):
        t.run(2)
    assert_same(snapshot(a), snapshot(b))
    state = a.state_dict()  # at an epoch boundary
    c = circle_trainer(seed=8)
    c.load_state_dict(state)
    for t in (a, c):
        t.run(2)
    assert_same(snapshot(a), snapshot(c))


def test_load_state_dict_rejects_another_shape():
    state = circle_trainer(hidden=(4, 2)).state_dict()
    with pytest.raises(ValueError, match="another shape"):
        circle_trainer(hidden=(5, 2)).load_state_dict(state)


def test_reset():
    trainer = circle_trainer()
    initial = trainer.net.params.copy()
    trainer.run(3)
    trainer.reset(new_weights=False)
    np.testing.assert_array_equal(trainer.net.params, initial)
    assert trainer.epoch == 0 and trainer.steps == 0 and trainer.history.n == 0 and trainer.stop_reason is None
    trainer.run(3)
    first = snapshot(trainer)
    trainer.reset()
    trainer.run(3)
    assert_same(first, snapshot(trainer))  # same weights, same shuffles: the same run again
    trainer.reset(new_weights=True)
    assert not np.array_equal(trainer.net.params, initial)


# ---------------------------------------------------------------------------------------------- stopping


def test_stop_target_loss():
    ex = build(Config(dataset="gauss", stop=StopCriteria(target_loss=0.05)))
    reason = ex.trainer.run(500)
    assert reason == StopReason.TARGET == ex.trainer.stop_reason == "target loss reached"
    losses = ex.trainer.history.view()["train_loss"]
    assert losses[-1] <= 0.05 and np.all(losses[:-1] > 0.05)


def test_stop_max_epochs():
    trainer = circle_trainer()
    trainer.stop = StopCriteria(max_epochs=5)
    assert trainer.run(100) == StopReason.MAX_EPOCHS == trainer.stop_reason
    assert trainer.epoch == 5


def test_stop_plateau():
    trainer = circle_trainer()
    trainer.stop = StopCriteria(patience=3, min_delta=1.0)  # no epoch can improve by 1.0: a plateau
    assert trainer.run(100) == StopReason.PLATEAU == trainer.stop_reason == "no further reduction in loss"
    assert trainer.epoch == 4  # the first epoch sets the best, three more without progress
    converged = build(Config(dataset="gauss", stop=StopCriteria(patience=5, min_delta=1e-4)))
    assert converged.trainer.run(2000) == StopReason.PLATEAU
    losses = converged.trainer.history.view()["train_loss"]
    assert losses[-6] - losses[-1] < 1e-4 * 6


def test_stop_early_when_the_test_loss_rises():
    """A tiny noisy training set and a big network overfit: the test loss turns up while the training loss
    keeps falling."""
    config = Config(
        dataset="circle",
        noise=0.5,
        train_fraction=0.1,
        hidden=(8, 8, 8),
        optimizer="adam",
        learning_rate=0.03,
        batch_size=50,
        stop=StopCriteria(early_stop=10),
    )
    ex = build(config)
    assert ex.trainer.n_train == 50
    reason = ex.trainer.run(2000)
    assert reason == StopReason.EARLY_STOP == ex.trainer.stop_reason == "test loss rising (early stop)"
    h = ex.trainer.history.view()
    assert np.all(np.diff(h["test_loss"][-11:]) > 0)  # risen 10 epochs in a row
    assert np.all(np.diff(h["train_loss"][-11:]) < 0)  # while training still improved
    assert h["test_loss"][-1] > h["test_loss"].min()


def test_training_continues_after_a_stop():
    trainer = circle_trainer()
    trainer.stop = StopCriteria(max_epochs=2)
    assert trainer.run(10) == StopReason.MAX_EPOCHS
    trainer.stop = StopCriteria(max_epochs=4)
    assert trainer.run(10) == StopReason.MAX_EPOCHS
    assert trainer.epoch == 4


# ---------------------------------------------------------------------------------------------- divergence


def diverging_trainer(optimizer="sgd", learning_rate=1e6):
    ds = make_dataset("reg_plane", seed=0, n_samples=200)
    net = Network([2, 4, 1], activation="linear", output="linear", seed=0)
    return Trainer(
        net,
        ds.X_train,
        ds.y_train,
        ds.X_test,
        ds.y_test,
        task="regression",
        n_classes=0,
        batch_size=10,
        optimizer=optimizer,
        learning_rate=learning_rate,
    )


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
def test_divergence_is_caught_at_the_step_and_the_last_finite_weights_are_kept(optimizer):
    trainer = diverging_trainer(optimizer, learning_rate=1e6 if optimizer != "adam" else 1e200)
    for step in range(1, 200):
        before = trainer.net.params.copy()
        steps_before = trainer._batch_index
        reason = trainer.step_batch()
        if reason is not None:
            break
        assert np.all(np.isfinite(trainer.net.params)), f"non-finite weights after step {step} went unnoticed"
    else:
        pytest.fail("a learning rate of 1e6 did not diverge")
    assert reason == trainer.stop_reason and reason.startswith(StopReason.DIVERGED) and trainer.diverged
    np.testing.assert_array_equal(trainer.net.params, before)
    assert trainer.steps == step - 1  # the undone step does not count
    assert trainer._batch_index == steps_before  # the failed batch was not consumed

    for value in trainer.optimizer.state_dict().values():
        if isinstance(value, np.ndarray):
            assert np.all(np.isfinite(value)), "the optimizer kept non-finite state"


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
def test_training_resumes_after_divergence(optimizer):
    """After a diverged step the user lowers the learning rate and continues: that must work, so the optimizer
    must not keep the NaN/inf velocity or moments of the failed step."""
    trainer = circle_trainer(optimizer=optimizer, learning_rate=0.01)
    trainer.run(2)
    trainer.learning_rate = math.inf
    assert trainer.step_batch().startswith(StopReason.DIVERGED)
    trainer.learning_rate = 0.01
    for _ in range(3):
        assert trainer.run_epoch() is None
    assert np.all(np.isfinite(trainer.net.params))
    assert trainer.history.last("train_loss") < trainer.history.view()["train_loss"][0]


def test_run_epoch_reports_divergence():
    trainer = diverging_trainer()
    reason = None
    for _ in range(50):
        reason = trainer.run_epoch()
        if reason:
            break
    assert reason.startswith(StopReason.DIVERGED)
    assert np.all(np.isfinite(trainer.net.params))


@pytest.mark.parametrize("value", [np.inf, -np.inf, np.nan])
@pytest.mark.parametrize("where", [0, 7, -1])
def test_any_non_finite_parameter_is_detected(value, where):
    trainer = circle_trainer()
    trainer.step_batch()
    before = trainer.net.params.copy()

    def poisoned_step(params, grad):
        params -= 0.03 * grad
        params[where] = value

    trainer.optimizer.step = poisoned_step
    assert trainer.step_batch().startswith(StopReason.DIVERGED)
    np.testing.assert_array_equal(trainer.net.params, before)


def test_huge_but_finite_parameters_are_not_divergence():
    trainer = circle_trainer()
    trainer.net.biases[0][:] = 1e308  # finite, however silly: no false alarm (their sum would overflow)
    trainer.net.biases[1][:] = 1e308
    trainer.learning_rate = 0.0
    assert trainer.step_batch() is None
    assert np.all(trainer.net.biases[0] == 1e308)


# ---------------------------------------------------------------------------------------------- statistics


def test_statistics_grad_norm_is_the_last_steps_gradient():
    trainer = circle_trainer(batch_size=250)
    X, T = full_batch_targets(trainer)
    _, dW, db = trainer.net.gradients(X, T)
    trainer.run_epoch()
    stats = trainer.statistics()
    expected = [math.sqrt(float(np.sum(w**2) + np.sum(b**2))) for w, b in zip(dW, db, strict=True)]
    np.testing.assert_allclose(stats["grad_norm"], expected, rtol=1e-12)
    assert stats["train_loss"] == trainer.history.last("train_loss")
    assert stats["test_metric"] == trainer.history.last("test_metric")


def test_statistics_dead_relu_units():
    trainer = circle_trainer(hidden=(6, 5), activation="relu")
    trainer.run_epoch()
    trainer.net.biases[1][:] = -100.0  # every unit of the second hidden layer is off for every sample
    stats = trainer.statistics()
    assert stats["dead"][1] == 1.0
    assert stats["dead"][0] < 1.0
    trainer.net.biases[1][:2] = 100.0
    assert trainer.statistics()["dead"][1] == pytest.approx(3 / 5)
    assert stats["saturated"] == [0.0, 0.0]  # saturation is a sigmoid/tanh notion


def test_statistics_tanh_saturation():
    trainer = circle_trainer(hidden=(6, 5))
    trainer.run_epoch()
    assert max(trainer.statistics()["saturated"]) < 0.5
    for W in trainer.net.weights:
        W *= 1000.0
    stats = trainer.statistics()
    assert stats["saturated"][0] >= 0.95 and stats["saturated"][1] >= 0.95
    assert stats["dead"] == [0.0, 0.0]


def test_statistics_sigmoid_saturation():
    trainer = circle_trainer(hidden=(4,), activation="sigmoid")
    trainer.net.weights[0][...] = 1000.0
    trainer.net.biases[0][...] = 0.0
    assert trainer.statistics()["saturated"][0] >= 0.95


# ---------------------------------------------------------------------------------------------- other problems


def test_regression_reg_plane():
    ex = build(Config(dataset="reg_plane"))
    assert ex.network.output == "linear" and ex.network.loss == "squared"
    ex.trainer.run(100)
    h = ex.trainer.history.view()
    assert h["test_metric"][-1] < 0.05  # RMSE, targets span about ±1.2
    assert h["test_metric"][-1] < 0.2 * h["test_metric"][0]


def test_multiclass_blobs_softmax_crossentropy():
    ex = build(Config(dataset="blobs", n_classes=5, hidden=(8,)))
    assert ex.network.output == "softmax" and ex.network.loss == "crossentropy"
    assert ex.network.n_outputs == 5
    ex.trainer.run(100)
    assert ex.trainer.history.last("test_metric") >= 0.95
    assert ex.trainer.history.last("train_metric") >= 0.95


@pytest.mark.parametrize("data_seed", [0, 1])
def test_iris_standardized(data_seed):
    ex = build(Config(dataset="iris", normalization="standard", data_seed=data_seed))
    assert ex.network.sizes[0] == 4 and ex.network.n_outputs == 3
    ex.trainer.run(200)
    assert ex.trainer.history.last("test_metric") >= 0.90


# ---------------------------------------------------------------------------------------------- plumbing


def test_history_views_stay_valid_while_growing():
    trainer = circle_trainer(batch_size=250)
    trainer.run(10)
    early = trainer.history.view()
    kept = {k: v.copy() for k, v in early.items()}
    trainer.run(1100)  # grows past the initial capacity of 1024
    for k, v in early.items():
        np.testing.assert_array_equal(v, kept[k])
        assert not v.flags.writeable
    late = trainer.history.view()
    assert len(late["train_loss"]) == 1110
    np.testing.assert_array_equal(late["train_loss"][:10], kept["train_loss"])


def test_trainer_validation():
    ds = make_dataset("circle", seed=0)
    with pytest.raises(ValueError, match="needs 1 output unit"):
        Trainer(Network([2, 3, 2]), ds.X_train, ds.y_train)
    with pytest.raises(ValueError, match="task must be"):
        Trainer(Network([2, 1]), ds.X_train, ds.y_train, task="clustering")
    with pytest.raises(ValueError, match="the training set is empty"):
        Trainer(Network([2, 1]), ds.X_train[:0], ds.y_train[:0])
    with pytest.raises(ValueError, match="different numbers of rows"):
        Trainer(Network([2, 1]), ds.X_train, ds.y_train[:-1])
    with pytest.raises(ValueError, match=r"inputs must have shape \(n, 3\)"):
        Trainer(Network([3, 1]), ds.X_train, ds.y_train)


def test_no_test_set_gives_nan_test_values():
    ds = make_dataset("xor_gate")
    trainer = Trainer(Network([2, 2, 1]), ds.X_train, ds.y_train, batch_size=4)
    trainer.stop = StopCriteria(early_stop=1)
    assert trainer.run(5) is None
    tr, te, _, tem = trainer.evaluate()
    assert math.isfinite(tr) and math.isnan(te) and math.isnan(tem)


@pytest.mark.parametrize("output", ["tanh", "sigmoid", "linear"])
def test_two_class_outputs_are_scored_consistently(output):
    """The accuracy must agree with the outputs: a linear output is trained on ±1 targets and thresholded at
    0 (it used to get 0/1 targets with the threshold at 0, scoring a perfect fit at about 76 %)."""
    ex = build(Config(dataset="gauss", output=output))
    ex.trainer.run(100)
    assert ex.trainer.history.last("test_metric") == 1.0
    assert ex.trainer.history.last("train_metric") == 1.0


def test_target_encoding_and_prediction():
    y = np.array([0, 1, 2, 1])
    np.testing.assert_array_equal(encode_targets(y, "classification", 3, "softmax"), np.eye(3)[y])
    np.testing.assert_array_equal(encode_targets(y[:2], "classification", 2, "tanh"), [[-1.0], [1.0]])
    np.testing.assert_array_equal(encode_targets(y[:2], "classification", 2, "sigmoid"), [[0.0], [1.0]])
    np.testing.assert_array_equal(encode_targets(y[:2], "classification", 2, "linear"), [[-1.0], [1.0]])
    np.testing.assert_array_equal(encode_targets(y, "classification", 3, "linear").argmax(axis=1), y)
    np.testing.assert_array_equal(encode_targets(np.array([0.5, -2.0]), "regression", 0, "linear"), [[0.5], [-2.0]])
    np.testing.assert_array_equal(predict_classes(np.array([[-0.2], [0.3]]), "tanh"), [0, 1])
    np.testing.assert_array_equal(predict_classes(np.array([[0.4], [0.6]]), "sigmoid"), [0, 1])
    np.testing.assert_array_equal(predict_classes(np.array([[0.1, 0.7, 0.2]]), "softmax"), [1])
