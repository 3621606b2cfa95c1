"""Evaluation for the views (issue 9): confusion matrix, recall, R², RMSE, per-row outputs, test probabilities,
and the snapshot fields that carry them."""

from __future__ import annotations

import math

import numpy as np
import pytest

from visualizer.engine.evaluation import (
    class_probabilities,
    confusion_matrix,
    r2_score,
    recall_per_class,
    rmse,
)
from visualizer.engine.experiment import Config, build
from visualizer.training.snapshot import Snapshot


def test_confusion_recall_r2_rmse_by_hand():
    c = confusion_matrix([0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 0, -1], 3)
    assert c.tolist() == [[1, 1, 0], [0, 1, 0], [1, 0, 1]] and c.dtype == np.int64
    np.testing.assert_allclose(recall_per_class(c), [0.5, 1.0, 0.5])
    assert np.isnan(recall_per_class(np.array([[1, 0], [0, 0]]))[1])
    with pytest.raises(ValueError):
        confusion_matrix([0, 1], [0], 2)
    assert r2_score([1, 2, 3], [1, 2, 3]) == 1.0
    assert r2_score([1, 2, 3], [2, 2, 2]) == 0.0
    assert r2_score([1, 2, 3], [3, 2, 1]) == -3.0
    assert math.isnan(r2_score([1, 1], [1, 1])) and math.isnan(r2_score([1], [1]))
    assert rmse([0, 0], [3, 4]) == pytest.approx(math.sqrt(12.5)) and math.isnan(rmse([], []))
    p = class_probabilities(np.array([[1.0], [-1.0], [0.0]]), "tanh", 2)
    np.testing.assert_allclose(p, [[0, 1], [1, 0], [0.5, 0.5]])
    p = class_probabilities(np.array([[0.0, 0.0, math.log(2)]]), "linear", 3)
    np.testing.assert_allclose(p, [[0.25, 0.25, 0.5]])


def test_snapshot_carries_the_evaluation_of_each_kind_of_data():
    blobs = build(Config(dataset="blobs", n_classes=4, features=("x1", "x2"), hidden=(8,), n_points=300))
    blobs.trainer.run(5)
    snap = Snapshot.of(blobs)
    assert snap.confusion.shape == (4, 4) and snap.confusion.sum() == 150 and snap.eval_split == "test"
    accuracy = np.trace(snap.confusion) / 150
    assert accuracy == pytest.approx(snap.last("test_metric"))
    assert snap.recall.shape == (4,) and snap.r2 is None
    assert snap.predictions is None and snap.test_probabilities is None  # 300 rows: no table; no images

    reg = build(Config(dataset="reg_plane", features=("x1", "x2"), hidden=(4,), n_points=150, train_fraction=1.0))
    reg.trainer.run(3)
    snap = Snapshot.of(reg)
    assert snap.confusion is None and snap.eval_split == "train" and isinstance(snap.r2, float)
    O = reg.trainer.outputs(reg.trainer.Xa_train)[:, 0]
    assert snap.r2 == pytest.approx(r2_score(reg.dataset.y_train, O))
    assert snap.predictions.shape == (150, 1)  # a small set: outputs of every row, for the table

    gate = build(Config(dataset="xor_gate", hidden=(4,)))
    snap = Snapshot.of(gate)
    assert snap.predictions.shape == (4, 1) and snap.confusion.shape == (2, 2) and snap.grid is None

    digits = build(Config(dataset="digits", hidden=(16,), n_points=None))
    snap = Snapshot.of(digits)
    n_test = digits.dataset.n_samples - digits.dataset.n_train
    assert snap.test_probabilities.shape == (n_test, 10)
    np.testing.assert_allclose(snap.test_probabilities.sum(axis=1), 1.0)
    assert snap.confusion.shape == (10, 10) and snap.confusion.sum() == n_test
