"""Data that isn't 2-D in the engine (issue 9): every data set builds; a slice through two features with the
others at their training mean; Config's n_points, function and slice_axes."""

from __future__ import annotations

import numpy as np
import pytest

from visualizer.engine.data import DATASET_NAMES, ExpressionError, make_dataset, read_csv
from visualizer.engine.experiment import DATA_FIELDS, LIVE_FIELDS, Config, build
from visualizer.engine.slicing import SliceGridEvaluator, SliceGridResult, slice_grid, slice_points


def test_every_data_set_of_the_picker_builds_and_trains():
    for name in DATASET_NAMES:
        exp = build(Config(dataset=name, hidden=(3,)))
        assert exp.trainer.run_epoch() is None, name
        ds = exp.dataset
        if ds.domain is not None:
            assert exp.grid is not None and not isinstance(exp.grid, SliceGridEvaluator), name
        elif ds.n_features >= 2 and ds.image_shape is None and ds.n_samples > 200:
            assert exp.slice_axes == (0, 1), name
        else:
            assert exp.grid is None, name  # small tables (the table view) and the digits (the digits panel)


def test_slice_holds_the_other_features_at_their_training_mean():
    ds = make_dataset("iris", train_fraction=0.6, seed=1)
    points, xs, ys, fixed = slice_points(ds, 2, 3, resolution=7)
    np.testing.assert_allclose(fixed, ds.X_train.mean(axis=0))
    assert points.shape == (49, 4)
    np.testing.assert_array_equal(points[:, 0], fixed[0])
    np.testing.assert_array_equal(points[:, 1], fixed[1])
    assert points[8, 2] == xs[1] and points[8, 3] == ys[1]  # row iy * R + ix
    lo, hi = ds.X[:, 2].min(), ds.X[:, 2].max()
    assert xs[0] < lo and xs[-1] > hi and xs[0] == pytest.approx(lo - 0.1 * (hi - lo))
    for axes in ((0, 0), (0, 4), (-1, 1)):
        with pytest.raises(ValueError):
            slice_points(ds, *axes)
    with pytest.raises(ValueError):
        slice_grid(make_dataset("not"), 0, 1)


def test_the_slice_map_is_the_network_on_the_slice_rows():
    exp = build(Config(dataset="iris", hidden=(5,), normalization="standard", slice_axes=(2, 3)), grid_resolution=12)
    exp.trainer.run(3)
    assert exp.slice_axes == (2, 3)
    result = exp.grid.evaluate(exp.network)
    assert isinstance(result, SliceGridResult) and result.axes == (2, 3) and result.held == (0, 1)
    assert result.feature_names[2] == "petal_length" and result.output.shape == (3, 12, 12)
    points, xs, ys, _ = slice_points(exp.dataset, 2, 3, 12)
    F = (points - exp.normalization[0]) / exp.normalization[1]
    expected = exp.network.forward(F).T.reshape(3, 12, 12)
    np.testing.assert_allclose(result.output, expected, atol=1e-5)
    np.testing.assert_array_equal(result.xs, xs)
    np.testing.assert_array_equal(result.ys, ys)
    # another slice without rebuilding: a live field
    assert "slice_axes" in LIVE_FIELDS
    exp.apply_live(exp.config.replace(slice_axes=(0, 1)))
    assert exp.slice_axes == (0, 1) and exp.config.slice_axes == (0, 1)
    with pytest.raises(ValueError):
        exp.set_slice_axes((0, 9))
    assert exp.slice_axes == (0, 1)


def test_an_imported_csv_with_more_columns_builds_with_a_slice(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(400, 5))
    y = (X[:, 0] + X[:, 3] > 0).astype(int)
    path = tmp_path / "five.csv"
    np.savetxt(path, np.column_stack([X, y]), delimiter=",", fmt="%.5f")
    ds = read_csv(path, train_fraction=0.5)
    exp = build(Config(hidden=(4,), slice_axes=(0, 3)), dataset=ds)
    exp.trainer.run(2)
    assert exp.slice_axes == (0, 3) and exp.grid.evaluate(exp.network).output.shape == (1, 100, 100)
    assert build(Config(hidden=(4,), slice_axes=(0, 7)), dataset=ds).slice_axes == (0, 1)  # not there: default


def test_config_data_fields():
    assert {"n_points", "function"} <= DATA_FIELDS
    assert build(Config(dataset="spiral", n_points=123)).dataset.n_samples == 123
    assert build(Config(dataset="reg_gauss")).dataset.n_samples == 1200
    exp = build(Config(dataset="function", function="x1**2 + x2**2 < 9", n_points=300))
    assert exp.dataset.task == "classification" and exp.dataset.n_samples == 300
    exp = build(Config(dataset="function", function="0.5*x1 - x2", features=("x1", "x2")))
    assert exp.dataset.task == "regression" and exp.network.output == "linear"
    with pytest.raises(ExpressionError, match="not allowed"):
        Config(dataset="function", function="__import__('os').system('true')")
    with pytest.raises(ValueError):
        Config(dataset="function")
    for bad in ({"n_points": 1}, {"n_points": 2.5}, {"slice_axes": (1, 1)}, {"slice_axes": (0,)}, {"function": 3}):
        with pytest.raises(ValueError):
            Config(**bad)
    config = Config(dataset="function", function="x2 > x1", n_points=50, slice_axes=[2, 1])
    assert config.slice_axes == (2, 1)
    assert Config.from_dict(config.to_dict()) == config
