"""Divergence keeps usable weights, says what to do, and Reset recovers (issue 7).

Before, training stopped only at the first NaN/inf, so the weights kept were 1e30–1e307: drawn as the thinnest
lines, biases that became float32 inf, and a grid output of ±inf.
"""

from __future__ import annotations

import numpy as np
import pytest

from visualizer.engine import GridEvaluator, Network
from visualizer.engine.experiment import Config, build
from visualizer.engine.stopping import StopReason
from visualizer.engine.trainer import MAX_PARAMETER


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
def test_a_too_large_learning_rate_stops_with_sane_weights_and_a_clear_reason(optimizer):
    lr = 3.0 if optimizer != "adam" else 1e7
    ex = build(Config(dataset="reg_plane", learning_rate=lr, optimizer=optimizer))
    trainer = ex.trainer
    reason = trainer.run(200)
    assert reason is not None and reason == trainer.stop_reason and trainer.diverged
    assert reason.startswith(StopReason.DIVERGED)
    assert f"learning rate {lr:g} is too large" in reason and "lower it and press Reset" in reason
    assert f"at epoch {trainer.epoch + 1}" in reason  # the epoch it happened in (not completed)
    params = trainer.net.params
    assert np.all(np.isfinite(params)) and np.max(np.abs(params)) <= MAX_PARAMETER
    # The kept network can be evaluated and drawn: finite outputs, finite float32 grid.
    assert np.all(np.isfinite(trainer.evaluate()[:1]))
    grid = GridEvaluator(ex.features, normalization=ex.normalization).evaluate(trainer.net)
    assert all(np.all(np.isfinite(layer)) for layer in grid.layers)

    # Trying again without a change diverges again at once; Reset recovers.
    assert trainer.run(1).startswith(StopReason.DIVERGED) and trainer.diverged
    trainer.reset()
    assert not trainer.diverged and trainer.stop_reason is None and trainer.epoch == 0
    trainer.learning_rate = 0.01
    assert trainer.run(20) is None and not trainer.diverged
    h = trainer.history.view()["train_loss"]
    assert h[-1] < h[0]


def test_lowering_the_learning_rate_clears_the_diverged_state_when_training_goes_on():
    ex = build(Config(dataset="reg_plane", learning_rate=3.0))
    trainer = ex.trainer
    assert trainer.run(10) and trainer.diverged
    trainer.learning_rate = 0.001
    assert trainer.step_batch() is None
    assert not trainer.diverged


def test_weights_a_user_set_beyond_the_bound_are_not_divergence():
    trainer = build(Config(dataset="reg_plane")).trainer
    trainer.learning_rate = 0.0
    trainer.net.set_weight(0, 0, 0, 1e7)
    assert trainer.run(2) is None and not trainer.diverged
    assert trainer.net.weights[0][0, 0] == 1e7
    # ... but a blow-up from there is still caught, with the weights still within twice the edited size.
    trainer.learning_rate = 3.0
    assert trainer.run(50).startswith(StopReason.DIVERGED)
    assert np.max(np.abs(trainer.net.params)) <= 2e7


def test_divergence_restores_the_dead_links_of_the_undone_step():
    ex = build(Config(dataset="reg_plane", learning_rate=0.03, regularization="l1", reg_rate=0.3))
    trainer = ex.trainer
    trainer.run(3)
    dead_before = [m.copy() for m in trainer.net.dead]
    params_before = trainer.net.params.copy()

    def exploding(params, grad):
        params -= 1e9 * grad

    trainer.optimizer.step = exploding
    assert trainer.step_batch().startswith(StopReason.DIVERGED)
    np.testing.assert_array_equal(trainer.net.params, params_before)
    for now, before in zip(trainer.net.dead, dead_before, strict=True):
        np.testing.assert_array_equal(now, before)


@pytest.mark.parametrize("fast_tanh", [False, True])
@pytest.mark.parametrize("activation", ["linear", "relu", "tanh", "sigmoid"])
@pytest.mark.parametrize("output", ["linear", "tanh", "sigmoid", "softmax"])
def test_grid_output_is_finite_float32_for_huge_finite_weights(activation, output, fast_tanh):
    n_out = 3 if output == "softmax" else 1
    loss = "crossentropy" if output == "softmax" else "squared"
    net = Network([2, 8, 8, 8, n_out], activation=activation, output=output, loss=loss)
    rng = np.random.default_rng(0)
    net.params[:] = rng.choice([1e300, -1e300, 1e30, -1e30, 3e38, 5.0], net.n_params)
    grid = GridEvaluator(["x1", "x2"], resolution=20, fast_tanh=fast_tanh).evaluate(net)
    for layer in grid.layers:
        assert layer.dtype == np.float32
        assert np.all(np.isfinite(layer))
