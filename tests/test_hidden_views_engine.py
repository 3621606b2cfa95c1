"""Inside the hidden layers, engine side (visualizer.engine.hidden): transformed space, first-layer lines,
histograms, neuron health, and the trainer's per-layer gradient-size history. No Qt."""

from __future__ import annotations

import numpy as np
import pytest

from visualizer.engine import Config, Network, Trainer, build, make_dataset
from visualizer.engine.features import feature_matrix
from visualizer.engine.hidden import (
    first_layer_lines,
    gradient_histograms,
    grid_lines,
    layer_histograms,
    neuron_health,
    transformed_space,
    weight_histograms,
)
from visualizer.engine.history import GradNormHistory


def trained(hidden=(6, 2), activation="tanh", epochs=5):
    ds = make_dataset("circle", seed=0)
    net = Network([2, *hidden, 1], activation=activation, seed=1)
    t = Trainer(net, ds.X_train, ds.y_train, batch_size=10, learning_rate=0.03)
    t.run(epochs)
    return ds, net, t


def test_points_are_the_layer_activations_for_chosen_units():
    ds, net, _ = trained()
    X = ds.X_train
    acts = net.forward_all(X)
    for layer, units in ((1, (0, 4)), (1, (5, 2)), (2, (0, 1)), (2, (1, 1)), (3, (0, 0))):
        ts = transformed_space(net, layer, X, units=units)
        np.testing.assert_array_equal(ts.points, acts[layer][:, list(units)])
        assert ts.units == units and ts.basis is None
    ts = transformed_space(net, 2, X)  # two units: those two
    np.testing.assert_array_equal(ts.points, acts[2])
    ts = transformed_space(net, 3, X)  # one output unit: its value against 0
    np.testing.assert_array_equal(ts.points[:, 0], acts[3][:, 0])
    np.testing.assert_array_equal(ts.points[:, 1], 0.0)
    ts = transformed_space(net, 0, X)  # the input layer: the points themselves
    np.testing.assert_array_equal(ts.points, X)
    with pytest.raises(IndexError):
        transformed_space(net, 1, X, units=(0, 6))
    with pytest.raises(IndexError):
        transformed_space(net, 4, X)


def test_principal_components_of_a_wide_layer():
    ds, net, _ = trained()
    X = ds.X_train
    A = net.forward_all(X)[1]
    ts = transformed_space(net, 1, X)
    assert ts.units is None and ts.basis.shape == (2, 6)
    np.testing.assert_allclose(ts.center, A.mean(axis=0))
    np.testing.assert_allclose(ts.points, (A - A.mean(axis=0)) @ ts.basis.T, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(ts.basis @ ts.basis.T, np.eye(2), atol=1e-12)
    # The first axis is the direction of largest variance: no unit direction beats it.
    C = A - A.mean(axis=0)
    v1 = np.var(C @ ts.basis[0])
    rng = np.random.default_rng(0)
    for _ in range(200):
        u = rng.normal(size=6)
        u /= np.linalg.norm(u)
        assert np.var(C @ u) <= v1 + 1e-12
    assert 0 < ts.explained[1] <= ts.explained[0] <= 1
    assert ts.axes[0].startswith("PC 1")


def test_principal_axes_do_not_flip_between_frames():
    ds, net, t = trained(epochs=1)
    X = ds.X_train
    prev = transformed_space(net, 1, X)
    for _ in range(30):
        t.run_epoch()
        ts = transformed_space(net, 1, X, reference=prev.basis)
        assert float(ts.basis[0] @ prev.basis[0]) > 0
        assert float(ts.basis[1] @ prev.basis[1]) > 0
        prev = ts
    # Without a reference: the largest entry of each axis is positive (deterministic)
    ts = transformed_space(net, 1, X)
    for row in ts.basis:
        assert row[np.argmax(np.abs(row))] > 0
    again = transformed_space(net, 1, X)
    np.testing.assert_array_equal(ts.points, again.points)


def test_grid_lines_map_through_the_layer_with_features():
    ds = make_dataset("circle", seed=0)
    cfg = Config(dataset="circle", features=("x1", "x2", "x1^2", "x2^2"), hidden=(3,), normalization="standard")
    exp = build(cfg)
    mean, scale = exp.normalization

    def tf(P):
        return (feature_matrix(P, exp.features) - mean) / scale

    G = grid_lines(ds.domain, n_lines=5, n_points=7)
    assert G.shape == (10, 7, 2)
    assert np.all(G[0, :, 0] == -6.0) and np.all(G[5, :, 1] == -6.0)
    ts = transformed_space(exp.network, 1, ds.X_train, G, units=(0, 2), transform=tf)
    acts = exp.network.forward_all(tf(G.reshape(-1, 2)))[1]
    np.testing.assert_array_equal(ts.lines, acts[:, [0, 2]].reshape(10, 7, 2))
    np.testing.assert_array_equal(ts.points, exp.network.forward_all(tf(ds.X_train))[1][:, [0, 2]])
    pcs = transformed_space(exp.network, 1, ds.X_train, G, transform=tf)
    assert pcs.lines.shape == (10, 7, 2)


def test_first_layer_lines_lie_on_the_neurons_zero_line_inside_the_domain():
    net = Network([2, 4, 1], seed=0)
    net.weights[0] = np.array([[1.0, 0.0, 1.0, 0.0], [1.0, 1.0, 0.0, 0.0]])
    net.biases[0] = [0.0, -2.0, 10.0, 1.0]
    segs = first_layer_lines(net, (-6, 6))
    # x + y = 0: corner to corner
    assert sorted(segs[0]) == [(-6.0, 6.0), (6.0, -6.0)]
    # y = 2: horizontal across
    assert sorted(segs[1]) == [(-6.0, 2.0), (6.0, 2.0)]
    # x = −10: outside the domain
    assert segs[2] is None
    # both weights 0: no line
    assert segs[3] is None
    rng = np.random.default_rng(1)
    for _ in range(200):
        net.weights[0] = rng.normal(size=(2, 4))
        net.biases[0] = rng.normal(size=4) * 4
        for j, seg in enumerate(first_layer_lines(net, (-6, 6))):
            if seg is None:
                continue
            w, b = net.weights[0][:, j], net.biases[0][j]
            for p in seg:
                assert -6 - 1e-9 <= p[0] <= 6 + 1e-9 and -6 - 1e-9 <= p[1] <= 6 + 1e-9
                assert abs(w @ p + b) <= 1e-9 * max(1, np.abs(w).sum() * 6)
    with pytest.raises(ValueError):
        first_layer_lines(Network([3, 1]), (-6, 6))


def test_first_layer_lines_undo_the_normalization():
    net = Network([2, 1, 1])
    net.weights[0] = [[1.0], [0.0]]
    net.biases[0] = [0.0]
    # The network sees (x - 2) / 4: its zero line x' = 0 is x = 2 in the raw plane.
    (seg,) = first_layer_lines(net, (-6, 6), normalization=(np.array([2.0, 0.0]), np.array([4.0, 1.0])))
    assert sorted(seg) == [(2.0, -6.0), (2.0, 6.0)]


def test_histograms_share_bins_across_layers():
    _, net, _ = trained(hidden=(8, 8, 8), activation="sigmoid", epochs=3)
    h = weight_histograms(net, bins=12)
    assert h.edges.shape == (13,) and len(h.counts) == net.n_layers
    for W, c in zip(net.weights, h.counts, strict=True):
        assert c.sum() == W.size
    all_w = np.concatenate([W.ravel() for W in net.weights])
    assert h.edges[0] == all_w.min() and h.edges[-1] == all_w.max()
    g = gradient_histograms(net)
    assert g.log
    for block, c, z in zip(net._grad_blocks, g.counts, g.zeros, strict=True):
        assert c.sum() + z == block.size
    flat = layer_histograms([np.zeros(3), np.zeros(2)], bins=4)
    assert [c.sum() for c in flat.counts] == [3, 2]
    empty = layer_histograms([np.zeros(0)], bins=4)
    assert empty.counts[0].sum() == 0


def test_neuron_health_marks_dead_relus_and_saturated_units():
    net = Network([2, 3, 2, 1], activation=["relu", "tanh"], seed=0)
    net.biases[0] = [-100.0, 0.0, 0.0]  # unit 0 never activates
    net.weights[1][...] = 0.0
    net.biases[1] = [50.0, 0.0]  # tanh unit 0 always saturated
    X = np.random.default_rng(0).uniform(-1, 1, size=(50, 2))
    health = neuron_health(net, X)
    assert health[0]["dead"].tolist() == [True, False, False]
    np.testing.assert_array_equal(health[1]["saturated"], [1.0, 0.0])
    assert not health[1]["dead"].any()


def test_grad_history_records_each_epoch_and_stays_bounded():
    _, net, t = trained(hidden=(4, 2), epochs=7)
    epochs, norms = t.grad_history.view()
    assert epochs.tolist() == list(range(1, 8)) and norms.shape == (7, 3)
    expected = [np.sqrt(np.sum(g**2)) for g in net._grad_blocks]
    np.testing.assert_allclose(norms[-1], expected, rtol=1e-12)
    np.testing.assert_allclose(t.statistics()["grad_norm"], expected, rtol=1e-12)
    t.reset_progress()
    assert t.grad_history.n == 0
    h = GradNormHistory(2, capacity=8)
    for e in range(1, 101):
        h.append(e, np.array([e, -e], dtype=float))
    ep, nm = h.view()
    assert len(ep) <= 8 and ep[-1] >= 96 - h.stride and np.all(np.diff(ep) == h.stride)
    np.testing.assert_array_equal(nm[:, 0], ep)
