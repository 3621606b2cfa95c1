"""The float32 grid pass: same numbers as ``Network.forward``, documented shapes and orientation, fresh arrays."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from visualizer.engine import FEATURES, GridEvaluator, Network, feature_matrix
from visualizer.engine.grid import exp_tanh_is_faster

ALL_FEATURES = tuple(FEATURES)


def grid_points(grid: GridEvaluator) -> np.ndarray:
    """Raw (x1, x2) of every grid cell in row-major (iy, ix) order: x1 = xs[ix], x2 = xs[iy]."""
    x1, x2 = np.meshgrid(grid.xs, grid.xs)
    return np.column_stack([x1.ravel(), x2.ravel()])


@pytest.mark.parametrize(
    ("features", "hidden", "activation", "output"),
    [
        (("x1", "x2"), (4, 2), "tanh", "tanh"),
        (("x1", "x2"), (8,) * 6, "tanh", "tanh"),
        (ALL_FEATURES, (8, 8), "relu", "sigmoid"),
        (("x1", "x2", "x1*x2"), (5,), "leaky_relu", "softmax"),
        (("x1^2", "x2^2"), (), "sigmoid", "linear"),
    ],
)
@pytest.mark.parametrize("fast_tanh", [False, True], ids=["np_tanh", "exp_form"])
def test_grid_matches_forward(features, hidden, activation, output, fast_tanh):
    R = 37
    n_out = 3 if output == "softmax" else 1
    net = Network([len(features), *hidden, n_out], activation=activation, output=output, seed=1)
    grid = GridEvaluator(features, (-6.0, 6.0), resolution=R, fast_tanh=fast_tanh)
    result = grid.evaluate(net)
    F = feature_matrix(grid_points(grid), features)
    expected = net.forward_all(F)
    assert len(result.layers) == net.n_layers
    for got, want in zip(result.layers, expected[1:], strict=True):
        assert got.dtype == np.float32
        assert got.shape == (want.shape[1], R, R)
        scale = max(1.0, float(np.abs(want).max()))
        np.testing.assert_allclose(got.reshape(want.shape[1], -1).T, want, rtol=0, atol=1e-5 * scale)
    np.testing.assert_allclose(result.inputs.reshape(len(features), -1).T, F, rtol=1e-6, atol=1e-5)
    assert result.output is result.layers[-1]


def test_grid_with_normalization_matches_forward_on_normalized_features():
    rng = np.random.default_rng(0)
    offset, scale = rng.normal(size=7), rng.uniform(0.5, 3.0, size=7)
    net = Network([7, 6, 1], seed=2)
    grid = GridEvaluator(ALL_FEATURES, (-6.0, 6.0), resolution=20, normalization=(offset, scale))
    F = (feature_matrix(grid_points(grid), ALL_FEATURES) - offset) / scale
    np.testing.assert_allclose(grid.evaluate(net).output.reshape(1, -1).T, net.forward(F), atol=1e-5)


def test_shapes():
    net = Network([2, 8, 8, 8, 8, 8, 8, 1])
    grid = GridEvaluator(("x1", "x2"), resolution=100)
    result = grid.evaluate(net)
    assert result.inputs.shape == (2, 100, 100)
    assert [layer.shape for layer in result.layers] == [(8, 100, 100)] * 6 + [(1, 100, 100)]
    assert result.xs.shape == (100,)
    assert result.xs[0] == -6.0 and result.xs[-1] == 6.0
    assert grid.evaluate(Network([2, 3])).output.shape == (3, 100, 100)


def test_orientation_rows_are_x2_columns_are_x1():
    grid = GridEvaluator(("x1", "x2"), (-2.0, 4.0), resolution=7)
    xs = grid.xs
    only_x1 = Network([2, 1], output="linear")
    only_x1.weights[0] = [[1.0], [0.0]]
    only_x1.biases[0] = [0.0]
    out = grid.evaluate(only_x1).output[0]
    for iy in range(7):
        for ix in range(7):
            assert out[iy, ix] == pytest.approx(xs[ix])
    only_x2 = Network([2, 1], output="linear")
    only_x2.weights[0] = [[0.0], [1.0]]
    only_x2.biases[0] = [0.0]
    out = grid.evaluate(only_x2).output[0]
    np.testing.assert_allclose(out, np.repeat(xs[:, None], 7, axis=1).astype(np.float32))
    inputs = grid.evaluate(only_x2).inputs
    np.testing.assert_allclose(inputs[0], np.tile(xs, (7, 1)), rtol=1e-6)  # x1 varies along a row
    np.testing.assert_allclose(inputs[1], np.repeat(xs[:, None], 7, axis=1), rtol=1e-6)  # x2 down a column


def test_results_are_fresh_arrays():
    net = Network([2, 4, 2, 1], seed=0)
    grid = GridEvaluator(("x1", "x2"), resolution=16)
    first = grid.evaluate(net)
    kept = [layer.copy() for layer in first.layers]
    net.weights[0] *= -2.0
    net.biases[1] += 1.0
    second = grid.evaluate(net)
    for a, k, b in zip(first.layers, kept, second.layers, strict=True):
        np.testing.assert_array_equal(a, k)  # the earlier result did not change
        assert not np.shares_memory(a, b)
    assert not np.allclose(first.output, second.output)
    # The inputs never change, so they may be shared, but nobody can write to them.
    assert not first.inputs.flags.writeable


def test_float32_grid_keeps_large_activations_finite_and_quiet():
    """Huge weights saturate sigmoid and softmax without overflow warnings (pytest turns those into errors)."""
    net = Network([2, 4, 3], activation="sigmoid", output="softmax", seed=0)
    net.weights[0] *= 1e4
    net.weights[1] *= 1e4
    result = GridEvaluator(("x1", "x2"), resolution=30).evaluate(net)
    for layer in result.layers:
        assert np.all(np.isfinite(layer))
    np.testing.assert_allclose(result.output.sum(axis=0), 1.0, rtol=1e-5)
    assert result.layers[0].min() >= 0.0 and result.layers[0].max() <= 1.0


@pytest.mark.parametrize("activation", ["tanh", "sigmoid"])
def test_exp_form_saturates_exactly_and_quietly_for_huge_weights(activation):
    """The exp form overflows e^(±2z) to inf for huge sums: the maps must still be finite and exactly saturated."""
    net = Network([2, 4, 1], activation=activation, output=activation, seed=0)
    net.weights[0] *= 1e30
    net.biases[0][:] = 1e30
    result = GridEvaluator(("x1", "x2"), resolution=30, fast_tanh=True).evaluate(net)
    low, high = (-1.0, 1.0) if activation == "tanh" else (0.0, 1.0)
    for layer in result.layers:
        assert np.all(np.isfinite(layer))
        assert layer.min() >= low and layer.max() <= high
    assert set(np.unique(result.layers[0])) <= {np.float32(low), np.float32(high)}


def test_exp_form_matches_numpy_tanh_to_float32_rounding():
    """Ten layers of 64 (the largest network the window shows): exp form and np.tanh agree far below a colour step."""
    net = Network([7, *[64] * 10, 1], activation="tanh", output="tanh", seed=3)
    exact = GridEvaluator(ALL_FEATURES, resolution=24, fast_tanh=False).evaluate(net)
    fast = GridEvaluator(ALL_FEATURES, resolution=24, fast_tanh=True).evaluate(net)
    for a, b in zip(exact.layers, fast.layers, strict=True):
        np.testing.assert_allclose(b, a, rtol=0, atol=1e-4)
    assert isinstance(exp_tanh_is_faster(), bool)


def test_sliced_pass_is_the_network_as_it_was_when_started():
    """start() copies the weights; training may go on between slices; advance(0) computes one layer per call."""
    net = Network([2, 5, 4, 3, 1], activation="tanh", seed=4)
    grid = GridEvaluator(("x1", "x2"), resolution=20)
    want = grid.evaluate(net)
    grid_pass = grid.start(net)
    calls = 0
    while True:
        net.weights[calls % 4] *= -3.0  # the live network moves on between slices
        net.biases[calls % 4] += 0.5
        calls += 1
        if grid_pass.advance():
            break
    assert calls == net.n_layers
    got = grid_pass.result()
    for a, b in zip(got.layers, want.layers, strict=True):
        np.testing.assert_array_equal(a, b)
    assert grid_pass.done and grid_pass.advance()  # finished passes stay finished
    unfinished = grid.start(net)
    with pytest.raises(RuntimeError, match="not finished"):
        unfinished.result()
    assert unfinished.advance(budget_s=10.0)  # a generous budget finishes the pass in one call


def test_errors():
    with pytest.raises(ValueError, match="resolution must be at least 2"):
        GridEvaluator(("x1", "x2"), resolution=1)
    grid = GridEvaluator(("x1", "x2", "x1*x2"), resolution=5)
    with pytest.raises(ValueError, match="network takes 2 inputs, grid has 3 features"):
        grid.evaluate(Network([2, 1]))


def test_nan_and_inf_parameters_give_finite_maps_fast_path_otherwise():
    """The whole-network range check sends NaN/±inf parameters through the clipping conversion (NaN counts as 0)."""
    net = Network([2, 3, 1], activation="tanh", output="linear", seed=5)
    grid = GridEvaluator(("x1", "x2"), resolution=9)
    clean = grid.evaluate(net)
    net.weights[1][0, 0] = np.nan
    net.weights[0][1, 2] = np.inf
    result = grid.evaluate(net)
    for layer in result.layers:
        assert np.all(np.isfinite(layer))
    cleaned = Network([2, 3, 1], activation="tanh", output="linear", seed=5)
    cleaned.weights[1][0, 0] = 0.0
    cleaned.weights[0][1, 2] = 1e15
    np.testing.assert_array_equal(result.output, grid.evaluate(cleaned).output)
    assert not np.array_equal(result.output, clean.output)


def test_a_sliced_pass_gives_the_maps_of_a_whole_one_for_wide_layers():
    """Wide layers are computed ROWS_PER_SLICE units at a time (so a sliced pass yields every millisecond or so);
    however it is sliced, the maps are bit for bit those of one call."""
    from visualizer.engine.grid import ROWS_PER_SLICE

    net = Network([2, 40, 40, 3], activation="tanh", output="softmax", loss="crossentropy", seed=3)
    grid = GridEvaluator(("x1", "x2"), resolution=30)
    whole = grid.evaluate(net)
    sliced = grid.start(net)
    calls = 1
    while not sliced.advance(0.0):
        calls += 1
    assert calls == 2 * math.ceil(40 / ROWS_PER_SLICE) + 1  # the softmax output in one piece
    for a, b in zip(whole.layers, sliced.result().layers, strict=True):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(sliced.result().output.sum(axis=0), 1.0, rtol=1e-5)


def test_big_networks_get_a_coarser_grid_and_playground_sized_ones_the_full_one():
    from visualizer.engine.experiment import Config, build
    from visualizer.engine.grid import FULL_RESOLUTION, LEAST_RESOLUTION, resolution_for

    assert resolution_for([7, 8, 8, 8, 8, 8, 8, 1]) == FULL_RESOLUTION  # Playground's largest network
    assert resolution_for([7, 64, 64, 64, 64, 1]) == FULL_RESOLUTION
    big = resolution_for([7, *[64] * 10, 1])
    assert 60 <= big < FULL_RESOLUTION
    assert resolution_for([2, *[1000] * 10, 1]) == LEAST_RESOLUTION
    # the pass costs about what four layers of 64 cost at the full resolution, not more
    work = sum((a + 1) * b for a, b in itertools.pairwise([7, *[64] * 10, 1]))
    assert big**2 * work <= 1.05 * FULL_RESOLUTION**2 * 16_384
    exp = build(Config(hidden=(64,) * 10, features=tuple(FEATURES)))
    assert exp.grid.resolution == big and exp.grid.evaluate(exp.network).output.shape[-1] == big
    assert build(Config()).grid.resolution == FULL_RESOLUTION
    assert build(Config(hidden=(64,) * 10), grid_resolution=30).grid.resolution == 30
