"""L1 regularization with Playground's rule: shrink after the data step, clip at zero, dead links (issue 7).

The worked example (one sample, full batch, plain SGD, a [2, 1] linear network with squared loss):

    x = (1, 1), t = 0.5, w = (0.5, 0.01), b = 0, η = 0.1, l1 = 0.5 (so η·l1 = 0.05)

Step 1: o = 0.51, e = o − t = 0.01, so ∂L/∂w = (0.01, 0.01), ∂L/∂b = 0.01.
    data step: w = (0.499, 0.009), b = −0.001
    shrink:    w1' = 0.499 − 0.05 = 0.449 (no crossing: kept, i.e. moved by −η·g − η·l1·sign(w))
               w2' = 0.009 − 0.05 = −0.041 (crosses zero): w2 = 0 exactly, link 2 dead
    (the plain subgradient step would give w2 = 0.01 − 0.1·(0.01 + 0.5) = −0.041: alive and negative)
Step 2: o = 0.449 + 0 − 0.001 = 0.448, e = −0.052
    data step: w1 = 0.449 + 0.0052 = 0.4542, b = −0.001 + 0.0052 = 0.0042; w2 is dead: stays 0 although its
    gradient (−0.052) is not zero
    shrink:    w1 = 0.4542 − 0.05 = 0.4042
"""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from visualizer.engine import Network, Trainer
from visualizer.engine.data import make_dataset


def worked_trainer(optimizer: str = "sgd") -> Trainer:
    net = Network([2, 1], output="linear", loss="squared", l1=0.5)
    net.weights[0][:, 0] = [0.5, 0.01]
    net.biases[0][:] = 0.0
    return Trainer(
        net,
        np.array([[1.0, 1.0]]),
        np.array([0.5]),
        task="regression",
        n_classes=0,
        batch_size=1,
        optimizer=optimizer,
        learning_rate=0.1,
    )


def test_worked_example_a_crossing_weight_dies_and_stays_zero():
    trainer = worked_trainer()
    net = trainer.net
    assert net.n_dead == 0 and not net.dead[0].any()

    assert trainer.step_batch() is None
    np.testing.assert_allclose(net.weights[0][:, 0], [0.449, 0.0], rtol=0, atol=1e-15)
    assert net.weights[0][1, 0] == 0.0  # exactly
    np.testing.assert_allclose(net.biases[0], [-0.001], rtol=0, atol=1e-15)  # biases are not regularized
    assert net.dead[0].tolist() == [[False], [True]] and net.n_dead == 1

    trainer.step_batch()
    np.testing.assert_allclose(net.weights[0][:, 0], [0.4042, 0.0], rtol=0, atol=1e-15)
    np.testing.assert_allclose(net.biases[0], [0.0042], rtol=0, atol=1e-15)
    assert net.weights[0][1, 0] == 0.0

    trainer.run(50)  # however long it trains, a dead link stays at exactly 0
    assert net.weights[0][1, 0] == 0.0 and net.dead[0][1, 0]


def test_a_weight_that_does_not_cross_moves_by_the_subgradient_step():
    """Away from zero the rule is the ordinary step −η·(g + l1·sign(w)), sign taken before the step."""
    trainer = worked_trainer()
    net = trainer.net
    net.weights[0][:, 0] = [0.5, -0.3]
    before = net.weights[0][:, 0].copy()
    e = before.sum() - 0.5  # o − t with b = 0
    trainer.step_batch()
    expected = before - 0.1 * e - 0.1 * 0.5 * np.sign(before)
    np.testing.assert_allclose(net.weights[0][:, 0], expected, rtol=0, atol=1e-15)
    assert net.n_dead == 0


def test_a_weight_of_exactly_zero_is_not_shrunk():
    """Playground's L1 derivative is taken before the step and is 0 at w = 0: only the data step moves such a
    weight, and it stays alive (with the sign after the step it would have been shrunk across zero and died)."""
    trainer = worked_trainer()
    net = trainer.net
    net.weights[0][:, 0] = [0.3, 0.0]  # o = 0.3, e = −0.2: the data step moves w2 to 0.02
    trainer.step_batch()
    np.testing.assert_allclose(net.weights[0][:, 0], [0.3 + 0.02 - 0.05, 0.02], rtol=0, atol=1e-15)
    assert net.n_dead == 0


@pytest.mark.parametrize("optimizer", ["momentum", "adam"])
def test_dead_links_stay_dead_with_momentum_and_adam(optimizer):
    trainer = worked_trainer(optimizer)
    net = trainer.net
    for _ in range(200):
        trainer.step_batch()
        if net.n_dead:
            break
    assert net.n_dead >= 1
    dead = net.dead[0].copy()
    trainer.run(100)
    assert np.all(net.weights[0][dead] == 0.0)
    assert np.all(net.dead[0][dead])


def test_reviving_dead_links():
    trainer = worked_trainer()
    net = trainer.net
    trainer.step_batch()
    assert net.n_dead == 1
    # A user's edit brings the link back with the typed weight, and training moves it again.
    net.set_weight(0, 1, 0, 0.7)
    assert net.n_dead == 0 and not net.dead[0].any() and net.weights[0][1, 0] == 0.7
    net.l1 = 0.0
    trainer.step_batch()
    assert net.weights[0][1, 0] != 0.7
    # Reset draws the weights again and forgets the dead links.
    net.l1 = 0.5
    net.weights[0][:, 0] = [0.5, 0.01]
    trainer.step_batch()
    assert net.n_dead == 1
    trainer.reset()
    assert net.n_dead == 0 and not net.dead[0].any()
    # Switching L1 off frees them too.
    net.weights[0][:, 0] = [0.5, 0.01]
    net.biases[0][:] = 0.0
    trainer.step_batch()
    assert net.n_dead == 1
    net.l1 = 0.0
    assert net.n_dead == 0
    trainer.step_batch()
    assert net.weights[0][1, 0] != 0.0


def test_set_weight_and_set_bias_check_their_arguments():
    net = Network([2, 3, 1])
    net.set_weight(1, 2, 0, -1.5)
    net.set_bias(0, 2, 0.25)
    assert net.weights[1][2, 0] == -1.5 and net.biases[0][2] == 0.25
    for args in [(2, 0, 0), (0, 2, 0), (0, 0, 3), (-1, 0, 0), (1, 3, 0)]:
        with pytest.raises(IndexError):
            net.set_weight(*args, 1.0)
    with pytest.raises(IndexError):
        net.set_bias(1, 1, 1.0)
    with pytest.raises(ValueError):
        net.set_weight(0, 0, 0, float("nan"))
    with pytest.raises(ValueError):
        net.set_bias(0, 0, float("inf"))
    no_bias = Network([2, 1], bias=False)
    no_bias.set_bias(0, 0, 3.0)
    assert no_bias.biases[0][0] == 0.0


def test_dead_views_are_read_only_and_survive_copies_and_sessions():
    trainer = worked_trainer()
    net = trainer.net
    trainer.step_batch()
    with pytest.raises(ValueError):
        net.dead[0][0, 0] = True
    for other in (net.copy(), pickle.loads(pickle.dumps(net))):
        assert other.dead[0].tolist() == [[False], [True]] and other.n_dead == 1
    state = trainer.state_dict()
    fresh = worked_trainer()
    fresh.load_state_dict(state)
    assert fresh.net.n_dead == 1 and fresh.net.dead[0][1, 0]
    fresh.run(3)
    assert fresh.net.weights[0][1, 0] == 0.0


def test_l1_makes_a_sparse_network_on_a_playground_problem():
    """The sparsity a teacher shows with L1: on the circle with a strong rate many links die, and the weights
    of the dead links are exactly 0 (with the plain subgradient they jittered around 0 and none was 0)."""
    ds = make_dataset("circle", noise=0.0, seed=0)
    net = Network([2, 4, 4, 1], l1=0.01, seed=1)
    trainer = Trainer(net, ds.X_train, ds.y_train, ds.X_test, ds.y_test, learning_rate=0.03)
    trainer.run(60)
    assert net.n_dead >= 4
    for W, dead in zip(net.weights, net.dead, strict=True):
        assert np.all(W[dead] == 0.0)
    assert sum(int(np.count_nonzero(W == 0.0)) for W in net.weights) == net.n_dead
