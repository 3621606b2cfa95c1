"""Tests for visualizer.engine.data: the generated 2-D sets, the tables, iris, the Dataset and normalize."""

from __future__ import annotations

import dataclasses
import math
import subprocess
import sys

import numpy as np
import pytest

from visualizer.engine.data import (
    CLASSIFICATION_2D,
    DATASETS,
    REGRESSION_2D,
    TABLES,
    Dataset,
    make_dataset,
    normalize,
)

ALL_NAMES = CLASSIFICATION_2D + REGRESSION_2D + TABLES


# ---------------------------------------------------------------------------------------------------------
# Catalogue and common properties
# ---------------------------------------------------------------------------------------------------------


def test_catalogue_lists_every_name_once_in_display_order():
    assert list(DATASETS) == list(ALL_NAMES)
    assert all(isinstance(text, str) and text for text in DATASETS.values())


def _check_consistent(name: str) -> None:
    ds = make_dataset(name)
    n, d = ds.X.shape
    assert ds.name == name
    assert ds.X.dtype == np.float64
    assert ds.y.shape == (n,)
    assert ds.n_features == d == len(ds.feature_names)
    assert 0 < ds.n_train <= n
    assert ds.X_train.shape == (ds.n_train, d) and ds.X_test.shape == (n - ds.n_train, d)
    assert ds.y_train.shape == (ds.n_train,) and ds.y_test.shape == (n - ds.n_train,)
    assert np.all(np.isfinite(ds.X))
    if ds.is_classification:
        assert ds.task == "classification"
        assert ds.y.dtype == np.int64
        assert ds.n_classes >= 2 and len(ds.class_names) == ds.n_classes
        assert ds.y.min() >= 0 and ds.y.max() < ds.n_classes
    else:
        assert ds.task == "regression"
        assert ds.y.dtype == np.float64
        assert ds.n_classes == 0 and ds.class_names == ()
    if name in TABLES:
        assert ds.domain is None


# (Loops rather than parametrize: the shared conftest's per-test teardown costs ~40 ms, so few, fuller tests.)


def test_every_name_builds_a_consistent_dataset():
    for name in ALL_NAMES:
        _check_consistent(name)


def test_2d_sets_have_playground_sizes_and_domain():
    cases = [(name, 500, "classification") for name in CLASSIFICATION_2D]
    cases += [(name, 1200, "regression") for name in REGRESSION_2D]
    for name, n, task in cases:
        ds = make_dataset(name)
        assert ds.X.shape == (n, 2), name
        assert ds.task == task, name
        assert ds.domain == (-6.0, 6.0), name
        assert ds.feature_names == ("x1", "x2"), name
        assert ds.n_train == n // 2, name


def test_two_class_sets_use_playground_colours():
    for name in ("circle", "xor", "gauss", "spiral", "moons"):
        ds = make_dataset(name)
        assert ds.n_classes == 2, name
        assert ds.class_names == ("orange", "blue"), name


def test_same_seed_reproduces_and_other_seed_differs():
    for name in CLASSIFICATION_2D + REGRESSION_2D + ("iris",):
        a = make_dataset(name, seed=3, noise=0.2)
        b = make_dataset(name, seed=3, noise=0.2)
        c = make_dataset(name, seed=4, noise=0.2)
        np.testing.assert_array_equal(a.X, b.X, err_msg=name)
        np.testing.assert_array_equal(a.y, b.y, err_msg=name)
        assert not np.array_equal(a.X, c.X), name


def test_train_fraction_splits_with_floor():
    for fraction in (0.1, 0.3, 0.5, 0.77, 0.9, 1.0):
        ds = make_dataset("spiral", train_fraction=fraction)
        assert ds.n_train == math.floor(500 * fraction)
        np.testing.assert_array_equal(np.concatenate([ds.X_train, ds.X_test]), ds.X)
        reg = make_dataset("reg_plane", train_fraction=fraction)
        assert reg.n_train == math.floor(1200 * fraction)


def test_rows_are_shuffled():
    # Generated first-half positive / second-half negative; after the shuffle the training half holds both.
    for name in ("circle", "gauss", "spiral", "moons"):
        ds = make_dataset(name)
        assert 0.3 < ds.y_train.mean() < 0.7


def test_n_samples_overrides_the_playground_size():
    ds = make_dataset("circle", n_samples=101)
    assert ds.X.shape == (101, 2)
    assert np.bincount(ds.y).tolist() == [50, 51]
    assert make_dataset("reg_gauss", n_samples=40).X.shape == (40, 2)


def test_arrays_are_read_only():
    ds = make_dataset("xor")
    with pytest.raises(ValueError):
        ds.X_train[0, 0] = 1.0
    with pytest.raises(dataclasses.FrozenInstanceError):
        ds.n_train = 3


def test_engine_modules_do_not_import_qt():
    code = (
        "import sys, visualizer.engine.data; "
        "bad = [m for m in sys.modules if m.startswith(('PyQt', 'pyqtgraph'))]; "
        "sys.exit(f'imported {bad}' if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


# ---------------------------------------------------------------------------------------------------------
# Geometry of the Playground sets
# ---------------------------------------------------------------------------------------------------------


def test_circle_labels_match_geometry_at_noise_0():
    ds = make_dataset("circle", noise=0.0)
    r = np.hypot(ds.X[:, 0], ds.X[:, 1])
    np.testing.assert_array_equal(ds.y == 1, r < 2.5)
    assert np.all((r < 2.5) | ((r >= 3.5) & (r <= 5.0)))
    assert np.bincount(ds.y).tolist() == [250, 250]


def test_circle_noise_keeps_points_and_flips_some_labels():
    clean = make_dataset("circle", noise=0.0, seed=7)
    noisy = make_dataset("circle", noise=0.5, seed=7)
    np.testing.assert_array_equal(clean.X, noisy.X)  # noise only moves the point used for the label
    assert 0 < np.sum(clean.y != noisy.y) < 250


def test_xor_labels_match_sign_of_product_at_noise_0():
    ds = make_dataset("xor", noise=0.0)
    x, y = ds.X[:, 0], ds.X[:, 1]
    np.testing.assert_array_equal(ds.y == 1, x * y >= 0)
    assert np.all(np.abs(ds.X) >= 0.3) and np.all(np.abs(ds.X) <= 5.3)


def test_gauss_clusters_around_plus_and_minus_two():
    ds = make_dataset("gauss", noise=0.0)
    np.testing.assert_allclose(ds.X[ds.y == 1].mean(axis=0), [2.0, 2.0], atol=0.15)
    np.testing.assert_allclose(ds.X[ds.y == 0].mean(axis=0), [-2.0, -2.0], atol=0.15)
    # Playground's normalRandom(mean, variance) draws with std sqrt(variance): variance 0.5 at noise 0,
    # 4 at noise 0.5.
    assert ds.X[ds.y == 1].std(axis=0) == pytest.approx([math.sqrt(0.5)] * 2, rel=0.15)
    wide = make_dataset("gauss", noise=0.5)
    assert wide.X[wide.y == 1].std(axis=0) == pytest.approx([2.0, 2.0], rel=0.15)


def test_spiral_arms_follow_playground_formula_at_noise_0():
    ds = make_dataset("spiral", noise=0.0)
    m = 250
    i = np.arange(m)
    r = i / m * 5
    t = 1.75 * i / m * 2 * np.pi
    for label, delta in ((1, 0.0), (0, np.pi)):
        expected = np.column_stack([r * np.sin(t + delta), r * np.cos(t + delta)])
        arm = ds.X[ds.y == label]
        order = np.lexsort((arm[:, 1], arm[:, 0]))
        exp_order = np.lexsort((expected[:, 1], expected[:, 0]))
        np.testing.assert_allclose(arm[order], expected[exp_order], atol=1e-12)
    assert np.hypot(*ds.X.T).max() < 5.0  # r = i / m * 5 stops short of 5


def test_moons_fit_the_plane_and_have_two_classes():
    ds = make_dataset("moons", noise=0.0)
    assert np.all(np.abs(ds.X) <= 6.0)
    assert np.bincount(ds.y).tolist() == [250, 250]
    # The outer moon (class 0) lies above the inner moon (class 1) on average.
    assert ds.X[ds.y == 0, 1].mean() > ds.X[ds.y == 1, 1].mean()


def test_blobs_class_counts_and_names():
    ds = make_dataset("blobs", n_classes=4)
    assert ds.n_classes == 4
    assert ds.class_names == ("class 1", "class 2", "class 3", "class 4")
    assert np.bincount(ds.y).tolist() == [125, 125, 125, 125]
    ds3 = make_dataset("blobs")
    assert sorted(np.bincount(ds3.y).tolist()) == [166, 167, 167]
    ds7 = make_dataset("blobs", n_classes=7, noise=0.0)
    centres = np.array([ds7.X[ds7.y == k].mean(axis=0) for k in range(7)])
    np.testing.assert_allclose(np.hypot(*centres.T), 3.5, atol=0.25)


def test_blobs_bad_n_classes_raises():
    for k in (0, 1, 2, 11, 2.5, True):
        with pytest.raises(ValueError, match="n_classes"):
            make_dataset("blobs", n_classes=k)
    with pytest.raises(ValueError, match="n_samples"):
        make_dataset("blobs", n_classes=5, n_samples=4)


def test_n_classes_is_ignored_by_other_sets():
    assert make_dataset("circle", n_classes=99).n_classes == 2


def test_reg_plane_is_x_plus_y_over_ten_at_noise_0():
    ds = make_dataset("reg_plane", noise=0.0)
    np.testing.assert_allclose(ds.y, (ds.X[:, 0] + ds.X[:, 1]) / 10, rtol=0, atol=1e-15)
    assert np.all(np.abs(ds.X) <= 6.0)
    # Not clamped, like Playground: |x1 + x2| <= 12.
    assert np.all(np.abs(ds.y) <= 1.2)
    assert np.mean(np.abs(ds.y) <= 1.0) > 0.95


def test_reg_gauss_targets_in_unit_range_and_peaks_match():
    ds = make_dataset("reg_gauss", noise=0.0)
    assert np.all((ds.y >= -1.0) & (ds.y <= 1.0))
    # Exact label of one point, computed by hand with Playground's rule.
    from visualizer.engine.data.generators import _reg_gauss_target

    px, py = np.array([-4.0, 0.0, 0.5, 5.9]), np.array([2.5, -2.0, 0.0, 5.9])
    np.testing.assert_allclose(_reg_gauss_target(px, py), [1.0, 0.75, 0.0, 0.0])
    noisy = make_dataset("reg_gauss", noise=0.5)
    assert np.all(np.abs(noisy.y) <= 1.0)


def test_noise_range_builds():
    for name in CLASSIFICATION_2D + REGRESSION_2D:
        for noise in (0.0, 0.25, 0.5):
            ds = make_dataset(name, noise=noise)
            assert np.all(np.isfinite(ds.X)) and np.all(np.isfinite(ds.y)), (name, noise)


# ---------------------------------------------------------------------------------------------------------
# Tables and iris
# ---------------------------------------------------------------------------------------------------------

GATE_X = [[0, 0], [0, 1], [1, 0], [1, 1]]


def test_truth_tables_are_all_training_in_table_order():
    tables = [
        ("and", GATE_X, [0, 0, 0, 1]),
        ("or", GATE_X, [0, 1, 1, 1]),
        ("xor_gate", GATE_X, [0, 1, 1, 0]),
        ("not", [[0], [1]], [1, 0]),
        ("tutorial_000", [[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]], [0, 1, 1, 0]),
    ]
    for name, X, y in tables:
        ds = make_dataset(name, seed=5, train_fraction=0.5)  # neither seed nor fraction applies to tables
        np.testing.assert_array_equal(ds.X, np.array(X, dtype=float), err_msg=name)
        np.testing.assert_array_equal(ds.y, y, err_msg=name)
        assert ds.n_train == len(y) and ds.X_test.shape == (0, len(X[0])), name
        assert ds.class_names == ("0", "1"), name


def test_tutorial_003_has_the_new_situation_as_test():
    ds = make_dataset("tutorial_003")
    np.testing.assert_array_equal(ds.X_train, [[0, 0, 1], [1, 1, 1], [1, 0, 1], [0, 1, 1]])
    np.testing.assert_array_equal(ds.y_train, [0, 1, 1, 0])
    np.testing.assert_array_equal(ds.X_test, [[1, 0, 0]])
    np.testing.assert_array_equal(ds.y_test, [1])


def test_tutorial_004_train_and_test():
    ds = make_dataset("tutorial_004")
    np.testing.assert_array_equal(ds.X_train, [[0, 1, 1], [1, 0, 0], [1, 0, 1]])
    np.testing.assert_array_equal(ds.y_train, [1, 0, 1])
    np.testing.assert_array_equal(ds.X_test, [[1, 0, 1]])
    np.testing.assert_array_equal(ds.y_test, [1])


def test_iris_has_150_rows_in_3_classes_of_50():
    ds = make_dataset("iris", train_fraction=0.8, seed=1)
    assert ds.X.shape == (150, 4)
    assert ds.feature_names == ("sepal_length", "sepal_width", "petal_length", "petal_width")
    assert ds.class_names == ("setosa", "versicolor", "virginica")
    assert np.bincount(ds.y).tolist() == [50, 50, 50]
    assert ds.n_train == 120
    assert len(set(ds.y_train.tolist())) == 3  # shuffled before the split
    # Fisher's first flower (setosa) is in there.
    assert np.any(np.all(ds.X == [5.1, 3.5, 1.4, 0.2], axis=1) & (ds.y == 0))
    assert ds.X.min() >= 0.1 and ds.X.max() <= 7.9


# ---------------------------------------------------------------------------------------------------------
# Bad arguments
# ---------------------------------------------------------------------------------------------------------


def test_unknown_name_lists_valid_names():
    with pytest.raises(ValueError, match=r"unknown data set 'moon'.*circle.*iris"):
        make_dataset("moon")


def test_bad_arguments_raise_value_error():
    bad = [
        {"noise": -0.1},
        {"noise": 0.51},
        {"noise": 30},
        {"noise": "x"},
        {"train_fraction": 0.0},
        {"train_fraction": 1.5},
        {"train_fraction": 0.001},
        {"seed": -1},
        {"seed": 1.5},
        {"seed": None},
        {"n_samples": 1},
        {"n_samples": 10.0},
        {"n_samples": 10**9},
    ]
    for kwargs in bad:
        with pytest.raises(ValueError):
            make_dataset("circle", **kwargs)


# ---------------------------------------------------------------------------------------------------------
# Dataset and with_points
# ---------------------------------------------------------------------------------------------------------


def test_with_points_appends_to_train_part():
    ds = make_dataset("circle", train_fraction=0.6)
    new = ds.with_points(np.array([[0.5, 0.5], [4.0, 0.0]]), np.array([1, 0]))
    assert new.n_samples == 502 and new.n_train == ds.n_train + 2
    np.testing.assert_array_equal(new.X_train[-2:], [[0.5, 0.5], [4.0, 0.0]])
    np.testing.assert_array_equal(new.y_train[-2:], [1, 0])
    np.testing.assert_array_equal(new.X_test, ds.X_test)
    np.testing.assert_array_equal(new.X_train[:-2], ds.X_train)
    assert ds.n_samples == 500  # the original is untouched
    assert new.class_names == ds.class_names and new.domain == ds.domain


def test_with_points_appends_to_test_part_and_accepts_one_point():
    ds = make_dataset("reg_plane")
    new = ds.with_points([1.0, 2.0], 0.3, train=False)
    assert new.n_train == ds.n_train and new.n_samples == ds.n_samples + 1
    np.testing.assert_array_equal(new.X[-1], [1.0, 2.0])
    assert new.y[-1] == 0.3 and new.y.dtype == np.float64


def test_with_points_validates():
    ds = make_dataset("xor")
    with pytest.raises(ValueError):
        ds.with_points([[1.0, 2.0, 3.0]], [0])
    with pytest.raises(ValueError):
        ds.with_points([[1.0, 2.0]], [2])  # class out of range
    with pytest.raises(ValueError):
        ds.with_points([[1.0, 2.0]], [0, 1])
    with pytest.raises(ValueError):
        ds.with_points([[np.nan, 2.0]], [0])


def test_dataset_validation_and_defaults():
    X = np.zeros((3, 2))
    ds = Dataset("t", X, np.array([0, 1, 1]), "classification", 2, 2, ("a", "b"))
    assert ds.class_names == ("class 1", "class 2")
    X[0, 0] = 9.0  # the dataset keeps its own copy
    assert ds.X[0, 0] == 0.0
    with pytest.raises(ValueError):
        Dataset("t", X, np.array([0, 1, 2]), "classification", 2, 2, ("a", "b"))
    with pytest.raises(ValueError):
        Dataset("t", X, np.array([0.5, 1, 1]), "regression", 2, 2, ("a", "b"))
    with pytest.raises(ValueError):
        Dataset("t", X, np.array([0, 1, 1]), "clustering", 2, 2, ("a", "b"))
    with pytest.raises(ValueError):
        Dataset("t", X, np.array([0, 1, 1]), "classification", 2, 4, ("a", "b"))
    with pytest.raises(ValueError):
        Dataset("t", X, np.array([0, 1, 1]), "classification", 2, 2, ("a",))


# ---------------------------------------------------------------------------------------------------------
# normalize
# ---------------------------------------------------------------------------------------------------------


def test_normalize_minmax_maps_columns_to_unit_interval():
    X = np.array([[1.0, -5.0], [3.0, 5.0], [2.0, 0.0]])
    Z, (offset, scale) = normalize(X)
    np.testing.assert_allclose(Z.min(axis=0), [0.0, 0.0])
    np.testing.assert_allclose(Z.max(axis=0), [1.0, 1.0])
    np.testing.assert_allclose(offset, [1.0, -5.0])
    np.testing.assert_allclose(scale, [2.0, 10.0])
    np.testing.assert_allclose(Z, (X - offset) / scale)


def test_normalize_standard_gives_mean_0_std_1():
    X = make_dataset("iris").X
    Z, _ = normalize(X, "standard")
    np.testing.assert_allclose(Z.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(Z.std(axis=0), 1.0, atol=1e-12)


def test_normalize_constant_column_is_safe():
    X = np.array([[0.1, 1.0], [0.1, 2.0], [0.1, 4.0]])
    for method in ("minmax", "standard"):
        Z, (_, scale) = normalize(X, method)
        assert scale[0] == 1.0
        np.testing.assert_allclose(Z[:, 0], 0.0, atol=1e-15)
        assert np.all(np.isfinite(Z))


def test_normalize_test_data_uses_training_stats():
    ds = make_dataset("gauss", noise=0.3)
    Z_train, stats = normalize(ds.X_train)
    Z_test, stats_again = normalize(ds.X_test, stats=stats)
    np.testing.assert_allclose(Z_test, (ds.X_test - stats[0]) / stats[1])
    np.testing.assert_array_equal(stats_again[0], stats[0])
    np.testing.assert_array_equal(stats_again[1], stats[1])
    assert Z_test.min() != 0.0 or Z_test.max() != 1.0  # not refitted on the test data
    assert Z_train.min() == 0.0 and Z_train.max() == 1.0
    # An empty test set is fine with given stats.
    empty, _ = normalize(np.empty((0, 2)), stats=stats)
    assert empty.shape == (0, 2)


def test_normalize_bad_input():
    with pytest.raises(ValueError, match="method"):
        normalize(np.ones((2, 2)), "zscore")
    with pytest.raises(ValueError):
        normalize(np.ones(3))
    with pytest.raises(ValueError):
        normalize(np.empty((0, 2)))
    with pytest.raises(ValueError):
        normalize(np.ones((2, 2)), stats=(np.zeros(3), np.ones(3)))
