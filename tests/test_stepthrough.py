"""The step-through record (visualizer.engine.stepthrough): the engine's numbers, and an Update equal to one
engine step bit for bit."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from visualizer.engine import Network, Trainer, make_dataset
from visualizer.engine.stepthrough import (
    apply_step,
    delta_formula,
    formula,
    forward_formula,
    gradient_formula,
    loss_formula,
    record_step,
    tutorial_formula,
    update_formula,
)

NETS = {
    "sigmoid": dict(activation="sigmoid", output="sigmoid", loss="squared"),
    "tanh": dict(activation="tanh", output="tanh", loss="squared"),
    "relu": dict(activation="relu", output="sigmoid", loss="binary_crossentropy"),
    "softmax": dict(activation="tanh", output="softmax", loss="crossentropy"),
    "leaky_linear": dict(activation=["leaky_relu", "linear"], output="linear", loss="squared"),
    "mixed_softmax_squared": dict(activation=["relu", "sigmoid"], output="softmax", loss="squared"),
    "sigmoid_crossentropy": dict(activation="leaky_relu", output="sigmoid", loss="crossentropy"),
    "softmax_binary_crossentropy": dict(activation="sigmoid", output="softmax", loss="binary_crossentropy"),
}


def make_trainer(kind: str, optimizer="sgd", reduction="mean", batch_size=5, l1=0.0, l2=0.0, seed=0):
    spec = NETS[kind]
    softmax = spec["output"] == "softmax"
    ds = make_dataset("blobs" if softmax else "circle", n_classes=3, seed=1)
    X, y = ds.X_train[:40], ds.y_train[:40]
    n_out = ds.n_classes if softmax else 1
    net = Network([2, 4, 3, n_out], seed=seed, l1=l1, l2=l2, **spec)
    lr = 0.01 if optimizer == "adam" else 0.1
    return Trainer(
        net,
        X,
        y,
        task="classification",
        n_classes=ds.n_classes if softmax else 2,
        batch_size=batch_size,
        optimizer=optimizer,
        learning_rate=lr,
        batch_reduction=reduction,
        shuffle_seed=seed,
    )


def same_state(a: dict, b: dict) -> bool:
    assert a.keys() == b.keys()
    return all(np.array_equal(a[k], b[k]) if isinstance(a[k], np.ndarray) else a[k] == b[k] for k in a)


@pytest.mark.parametrize("kind", list(NETS))
@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
@pytest.mark.parametrize("reduction", ["mean", "sum"])
@pytest.mark.parametrize("batch_size", [1, 5])
def test_update_is_one_engine_step_bit_for_bit(kind, optimizer, reduction, batch_size):
    live = make_trainer(kind, optimizer, reduction, batch_size)
    twin = make_trainer(kind, optimizer, reduction, batch_size)
    for t in (live, twin):  # a few steps first, so momentum and Adam have state to carry
        for _ in range(3):
            t.step_batch()
    np.testing.assert_array_equal(live.net.params, twin.net.params)
    rows = twin.next_batch_indices()
    assert len(rows) == batch_size
    before = live.net.params.copy()
    rec = record_step(live, rows)
    np.testing.assert_array_equal(live.net.params, before)  # recording changes nothing
    assert apply_step(live, rec)
    twin.step_batch()
    np.testing.assert_array_equal(live.net.params, twin.net.params)
    np.testing.assert_array_equal(rec.params_after, twin.net.params)
    assert same_state(live.optimizer.state_dict(), twin.optimizer.state_dict())
    assert same_state(rec.optimizer_after, twin.optimizer.state_dict())
    for layer in range(rec.n_layers):
        np.testing.assert_array_equal(rec.weights_after[layer], twin.net.weights[layer])
        np.testing.assert_array_equal(rec.biases_after[layer], twin.net.biases[layer])
    # From equal weights and optimizer state, the next step on the same rows is equal again.
    rows2 = twin.next_batch_indices()
    live.step_on(rows2)
    twin.step_batch()
    np.testing.assert_array_equal(live.net.params, twin.net.params)


@pytest.mark.parametrize("kind", list(NETS))
@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_recorded_values_are_the_networks(kind, reduction):
    t = make_trainer(kind, "sgd", reduction)
    rows = [3, 7, 11, 0]
    rec = record_step(t, rows)
    net = t.net
    X = t.Xa_train[:-1, rows].T
    T = t.T_train[:, rows].T
    acts = net.forward_all(X)
    zs = net.pre_activations(X)
    np.testing.assert_array_equal(rec.inputs, X)
    np.testing.assert_array_equal(rec.target, T)
    for layer in range(rec.n_layers):
        np.testing.assert_array_equal(rec.net_mean(layer), rec.net[layer].mean(axis=0))
        np.testing.assert_array_equal(rec.out_mean(layer), rec.out[layer].mean(axis=0))
    for layer in range(rec.n_layers):
        np.testing.assert_allclose(rec.out[layer], acts[layer + 1], rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(rec.net[layer], zs[layer], rtol=1e-12, atol=1e-12)
    loss, gw, gb = net.gradients(X, T, reduction)
    assert rec.data_loss == pytest.approx(loss, rel=1e-12)
    assert rec.loss_terms.shape == (4,)
    assert rec.reduce(rec.loss_terms) == pytest.approx(rec.data_loss, rel=1e-12)
    for layer in range(rec.n_layers):
        np.testing.assert_allclose(rec.grad_w[layer], gw[layer], rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(rec.grad_b[layer], gb[layer], rtol=1e-12, atol=1e-15)
        # the reduced gradient is the mean / sum of the per-sample terms δⱼ·outᵢ
        np.testing.assert_allclose(rec.reduce(rec.grad_w_sample[layer]), rec.grad_w[layer], rtol=1e-10, atol=1e-14)
        np.testing.assert_allclose(rec.reduce(rec.grad_b_sample[layer]), rec.grad_b[layer], rtol=1e-10, atol=1e-14)
    # per-sample deltas are the gradients of each sample's own loss
    for s in range(len(rows)):
        _, gws, gbs = net.gradients(X[s : s + 1], T[s : s + 1])
        np.testing.assert_allclose(rec.delta[-1][s], gbs[-1], rtol=1e-10, atol=1e-14)
        np.testing.assert_allclose(rec.grad_w_sample[0][s], gws[0], rtol=1e-10, atol=1e-14)


def test_hidden_delta_is_f_prime_times_weighted_deltas():
    t = make_trainer("tanh")
    rec = record_step(t, [1, 2])
    for layer in range(rec.n_layers - 1):
        W = rec.weights_before[layer + 1]
        expected = (1 - rec.out[layer] ** 2) * (rec.delta[layer + 1] @ W.T)
        np.testing.assert_allclose(rec.delta[layer], expected, rtol=1e-12, atol=1e-15)
    # squared error, tanh output: δ = (o − t)·(1 − o²)
    o, tt = rec.out[-1], rec.target
    np.testing.assert_allclose(rec.delta[-1], (o - tt) * (1 - o**2), rtol=1e-12)


def test_regularization_and_dead_links_are_recorded():
    t = make_trainer("tanh", l1=0.03, l2=0.01)
    for _ in range(20):
        t.step_batch()
    twin = make_trainer("tanh", l1=0.03, l2=0.01)
    for _ in range(20):
        twin.step_batch()
    rows = twin.next_batch_indices()
    rec = record_step(t, rows)
    assert rec.l1 == 0.03 and rec.l2 == 0.01 and rec.penalty > 0
    apply_step(t, rec)
    twin.step_batch()
    np.testing.assert_array_equal(t.net.params, twin.net.params)
    np.testing.assert_array_equal(t.net._dead, twin.net._dead)
    for layer in range(rec.n_layers):
        np.testing.assert_array_equal(rec.dead_after[layer], twin.net.dead[layer])
        live = ~rec.dead_before[layer]
        np.testing.assert_allclose(
            rec.applied_grad_w[layer][live],
            (rec.grad_w[layer] + 0.01 * rec.weights_before[layer])[live],
            rtol=1e-12,
            atol=1e-15,
        )
    text = update_formula(rec, 0, 0, 0)
    assert "L1 shrink" in text


def test_record_is_immutable_and_apply_refuses_a_changed_network():
    t = make_trainer("sigmoid")
    rec = record_step(t, [0])
    with pytest.raises(dataclasses.FrozenInstanceError):
        rec.reduction = "sum"
    with pytest.raises(ValueError):
        rec.net[0][0, 0] = 1.0
    t.net.weights[0][0, 0] += 0.5
    with pytest.raises(ValueError, match="changed"):
        apply_step(t, rec)
    with pytest.raises(IndexError):
        record_step(t, [10_000])
    with pytest.raises(ValueError):
        record_step(t, [])


def test_recording_does_not_touch_the_trainer():
    t = make_trainer("relu", "adam")
    t.step_batch()
    state = t.state_dict()
    grad = t.net.grad.copy()
    record_step(t, [0, 1, 2])
    after = t.state_dict()
    np.testing.assert_array_equal(t.net.grad, grad)
    for k in ("params", "dead", "epoch", "steps", "cursor"):
        np.testing.assert_array_equal(state[k], after[k])
    assert same_state(state["optimizer"], after["optimizer"])


# ---------------------------------------------------------------------------------------------- formulas


def hand_net():
    """One tanh unit with weights (0.5, −0.3) and bias 0.1 on the input (1.0, 0.2): net = 0.54."""
    net = Network([2, 1], output="tanh", loss="squared")
    net.weights[0] = [[0.5], [-0.3]]
    net.biases[0] = [0.1]
    X = np.array([[1.0, 0.2], [0.0, 1.0]])
    return Trainer(net, X, np.array([1, 0]), batch_size=2, learning_rate=0.1)


def test_forward_formula_with_numbers():
    rec = record_step(hand_net(), [0])
    text = forward_formula(rec, 0, 0)
    assert "net = Σ wᵢ·xᵢ + b = 0.5·1 + (−0.3)·0.2 + 0.1 = 0.54" in text
    assert f"out = tanh(net) = tanh(0.54) = {np.tanh(0.54):.4g}" in text


def test_loss_delta_gradient_update_formulas():
    rec = record_step(hand_net(), [0])
    o = np.tanh(0.54)
    assert f"L = ½ Σₖ (oₖ − tₖ)² = ½·(({o:.4g} − 1)²) = {0.5 * (o - 1) ** 2:.4g}" in loss_formula(rec)
    d = (o - 1) * (1 - o**2)
    assert f"= {d:.4g}".replace("-", "−") in delta_formula(rec, 0, 0)
    assert "δ = ∂L/∂out · f′(net) = (out − t)·1 − out²" in delta_formula(rec, 0, 0)
    g = gradient_formula(rec, 0, 1, 0)
    assert f"∂L/∂w = δⱼ·outᵢ = ({d:.4g})·0.2 = {d * 0.2:.4g}".replace("-", "−") in g
    u = update_formula(rec, 0, 1, 0)
    assert "w ← w − η·∂L/∂w = −0.3 − 0.1·" in u
    assert "→" in u
    assert formula(rec, "update", 0, 0, i=None).startswith("b ← b − η·∂L/∂b")


def test_batch_formulas_show_each_sample_and_the_reduction():
    for reduction, word in (("mean", "(mean)"), ("sum", "(sum)")):
        t = hand_net()
        t.batch_reduction = reduction
        rec = record_step(t, [0, 1])
        text = gradient_formula(rec, 0, 0, 0, sample=None)
        assert "[sample 1, row 0]" in text and "[sample 2, row 1]" in text and word in text
        assert word in loss_formula(rec)


@pytest.mark.parametrize("kind", list(NETS))
def test_every_stage_has_a_formula_for_every_unit(kind):
    for optimizer in ("sgd", "momentum", "adam"):
        rec = record_step(make_trainer(kind, optimizer), [0, 5])
        for layer in range(rec.n_layers):
            for j in range(rec.sizes[layer + 1]):
                for stage in ("forward", "backward"):
                    assert formula(rec, stage, layer, j, sample=None)
                for i in [None, *range(rec.sizes[layer])]:
                    assert formula(rec, "gradient", layer, j, i=i, sample=None)
                    assert "→" in formula(rec, "update", layer, j, i=i)
        assert "L =" in formula(rec, "loss", 0, 0)
    with pytest.raises(ValueError):
        formula(rec, "nonsense", 0, 0)


def test_tutorial_004_form_for_sigmoid_and_squared_error():
    net = Network([3, 1], output="sigmoid", loss="squared", init="uniform", seed=4)
    ds = make_dataset("tutorial_004")
    t = Trainer(net, ds.X_train, ds.y_train, batch_size=3, learning_rate=0.98, batch_reduction="sum")
    rec = record_step(t, [0])
    text = tutorial_formula(rec, 0, 0, i=1)
    o = rec.out[0][0, 0]
    err = o * (1 - o) * (1 - o)  # target 1
    assert "Err_j = O_j(1 − O_j)(T_j − O_j)" in text
    assert f"= {err:.4g}" in text
    assert "W_ij ← W_ij + l·Err_j·O_i" in text
    assert "½" in text and "SUBTRACTS" in text
    np.testing.assert_allclose(-rec.delta[0][0, 0], err, rtol=1e-12)
    # The tutorial's step equals the engine's
    w_new = rec.weights_before[0][1, 0] + 0.98 * err * rec.inputs[0, 1]
    assert rec.weights_after[0][1, 0] == pytest.approx(w_new, rel=1e-12)
    # batch, sum: the tutorial's summed adjustment
    rec3 = record_step(t, [0, 1, 2])
    assert "l·Σ Err_j·O_i" in tutorial_formula(rec3, 0, 0, i=0, sample=None)
    # not sigmoid + squared: no tutorial form
    assert tutorial_formula(record_step(make_trainer("tanh"), [0]), 0, 0) == ""
    # hidden sigmoid units: Err_j = O_j(1 − O_j)·Σ Err_k·w_jk
    assert "Σₖ Err_k·w_jk" in tutorial_formula(record_step(make_trainer("sigmoid"), [0]), 0, 1)


def test_next_batch_indices_predicts_every_step_across_epochs_and_batch_size_changes():
    live = make_trainer("tanh", "momentum", batch_size=7)  # 40 rows: batches 7·5 + 5
    twin = make_trainer("tanh", "momentum", batch_size=7)
    seen = []
    for step in range(40):
        if step == 9:
            live.batch_size = twin.batch_size = 3  # mid-epoch change: the rest is laid out again
        if step == 25:
            live.batch_size = twin.batch_size = 40  # full batch
        rows = twin.next_batch_indices()
        seen.append(len(rows))
        live.step_on(rows)
        twin.step_batch()
        np.testing.assert_array_equal(live.net.params, twin.net.params)
    assert 5 in seen and 3 in seen and 40 in seen


def test_fmt_is_the_formulas_number_format():
    from visualizer.engine.stepthrough import fmt

    assert fmt(-0.3) == "−0.3" and fmt(0.54) == "0.54" and fmt(1.23456e-7) == "1.235·10^−7" and fmt(0.0) == "0"
