"""The undoable point store behind the data-editing tool (issue 9)."""

from __future__ import annotations

import numpy as np
import pytest

from visualizer.engine.data import Dataset, PointStore, make_dataset


def test_add_remove_clear_undo_redo_classification():
    base = make_dataset("circle", n_points=40, seed=1)
    store = PointStore(base)
    assert store.dataset is base and not store.can_undo and not store.can_redo
    assert store.add([[1.0, 2.0], [3.0, 4.0]], [0, 1]) == 2
    ds = store.dataset
    assert ds.n_samples == 42 and ds.n_train == 22
    np.testing.assert_array_equal(ds.X_train[-2:], [[1.0, 2.0], [3.0, 4.0]])
    assert ds.y_train[-2:].tolist() == [0, 1]
    assert store.add([5.0, 5.0], 1, to_test=True) == 1
    assert store.dataset.n_train == 22 and store.dataset.X[-1].tolist() == [5.0, 5.0]
    assert store.remove_near(1.0, 2.0, 0.01) == 1
    assert store.dataset.n_samples == 42 and store.dataset.n_train == 21
    assert store.remove_near(100.0, 100.0, 1.0) == 0 and store.undo_steps == 3  # nothing removed: no step
    assert store.clear() and store.dataset.n_samples == 0 and not store.has_training_data
    assert not store.clear() and store.undo_steps == 4
    assert store.undo() and store.dataset.n_samples == 42
    assert store.undo() and store.dataset.n_samples == 43
    assert store.can_redo and store.redo() and store.dataset.n_samples == 42
    while store.undo():
        pass
    assert store.dataset is base and not store.can_undo and store.can_redo
    store.add([0.0, 0.0], 0)  # a new edit forgets the redo steps
    assert not store.can_redo
    assert base.n_samples == 40  # the original is never changed


def test_regression_targets_and_bad_input_change_nothing():
    store = PointStore(make_dataset("reg_plane", n_points=20))
    store.add([[0.5, 0.5]], [0.25])
    assert store.dataset.y_train[-1] == 0.25
    before = store.dataset
    for points, values in (([[1.0, np.nan]], [0.0]), ([[1.0, 2.0]], [np.inf]), ([[1.0, 2.0, 3.0]], [0.0])):
        with pytest.raises(ValueError):
            store.add(points, values)
    clf = PointStore(make_dataset("xor", n_points=20))
    with pytest.raises(ValueError):
        clf.add([[0.0, 0.0]], [2])  # class out of range
    assert store.dataset is before and store.undo_steps == 1 and clf.undo_steps == 0
    with pytest.raises(ValueError):
        store.remove_near(0.0, np.nan, 1.0)
    assert store.add(np.empty((0, 2)), []) == 0 and store.undo_steps == 1


def test_history_is_bounded_and_reset_forgets_it():
    store = PointStore(make_dataset("gauss", n_points=10), max_history=5)
    for k in range(12):
        store.add([float(k), 0.0], k % 2)
    assert store.undo_steps == 5
    for _ in range(5):
        assert store.undo()
    assert not store.undo() and store.dataset.n_samples == 10 + 7
    store.reset(make_dataset("xor", n_points=10))
    assert not store.can_undo and not store.can_redo and store.dataset.name == "xor"
    with pytest.raises(TypeError):
        PointStore("circle")  # type: ignore[arg-type]


def test_works_on_an_empty_start_and_keeps_the_image_shape():
    empty = Dataset("drawn", np.empty((0, 2)), np.empty(0, np.int64), "classification", 3, 0, ("x1", "x2"))
    store = PointStore(empty)
    store.add([[1.0, 1.0], [2.0, 2.0]], [2, 0])
    assert store.dataset.n_train == 2 and store.has_training_data
    digits = make_dataset("digits")
    store = PointStore(digits)
    store.remove_near(0.0, 0.0, 0.0)  # images whose first two pixels are blank
    assert store.dataset.image_shape == (8, 8) and store.dataset.n_samples < digits.n_samples
