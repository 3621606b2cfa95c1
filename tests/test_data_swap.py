"""Swapping the data of a running experiment (points drawn or erased): the network, optimizer, epoch and history
carry on, the new points count from the next epoch, and data that do not fit change nothing."""

from __future__ import annotations

import numpy as np
import pytest

from visualizer.engine.data import make_dataset
from visualizer.engine.experiment import Config, build


def _experiment(**changes):
    config = Config(**changes)
    return build(config)


def test_trainer_set_data_between_epochs_keeps_network_and_progress():
    exp = _experiment()
    trainer = exp.trainer
    trainer.run(3)
    params = exp.network.params.copy()
    history = trainer.history.n
    ds = exp.dataset.with_points(np.array([[1.0, 2.0], [-3.0, 0.5]]), np.array([0, 1]), train=True)
    exp.replace_data(ds)
    assert exp.dataset is ds
    assert trainer.n_train == exp.dataset.n_train == 252
    np.testing.assert_array_equal(exp.network.params, params)  # not reset
    assert trainer.epoch == 3 and trainer.history.n == history
    trainer.run_epoch()
    assert trainer.epoch == 4
    assert not np.array_equal(exp.network.params, params)


def test_trainer_set_data_mid_epoch_waits_for_the_next_epoch():
    exp = _experiment(batch_size=10)
    trainer = exp.trainer
    trainer.step_batch()
    assert trainer.mid_epoch
    old_n = trainer.n_train
    X = np.random.default_rng(0).uniform(-5, 5, (300, 2))
    ds = exp.dataset.with_points(X, np.zeros(300, dtype=np.int64), train=True)
    exp.replace_data(ds)
    assert trainer.n_train == old_n  # this epoch ends on the old data (its batches were cut from them)
    while trainer.mid_epoch:
        trainer.step_batch()
    assert trainer.epoch == 1
    trainer.step_batch()  # the next epoch starts on the new data: no index out of range for the extra points
    assert trainer.n_train == old_n + 300
    trainer.run_epoch()
    assert trainer.epoch == 2


def test_set_data_then_batch_size_change_mid_epoch():
    exp = _experiment(batch_size=10)
    trainer = exp.trainer
    trainer.step_batch()
    ds = exp.dataset.with_points(np.zeros((1, 2)), np.array([1]), train=True)
    small = type(ds)(name="few", X=ds.X[:20], y=ds.y[:20], task=ds.task, n_classes=2, n_train=12,
                     feature_names=ds.feature_names, class_names=ds.class_names, domain=ds.domain)
    exp.replace_data(small)
    trainer.batch_size = 7  # re-cuts the rest of the epoch: must use the old data's rows
    assert trainer.run_epoch() is None
    trainer.run_epoch()
    assert trainer.n_train == 12 and trainer.epoch == 2


@pytest.mark.parametrize("other", ["regression", "blobs", "empty", "iris"])
def test_replace_data_refuses_data_that_do_not_fit(other):
    exp = _experiment()
    exp.trainer.run(2)
    params = exp.network.params.copy()
    ds = exp.dataset
    if other == "regression":
        new = make_dataset("reg_plane")
    elif other == "blobs":
        new = make_dataset("blobs", n_classes=4)
    elif other == "iris":
        new = make_dataset("iris")
    else:
        new = type(ds)(name="none", X=ds.X, y=ds.y, task=ds.task, n_classes=2, n_train=0,
                       feature_names=ds.feature_names, class_names=ds.class_names, domain=ds.domain)
    with pytest.raises(ValueError):
        exp.replace_data(new)
    assert exp.dataset is ds
    np.testing.assert_array_equal(exp.network.params, params)
    assert exp.trainer.n_train == ds.n_train and exp.trainer.epoch == 2


def test_replace_data_uses_the_experiments_normalization_and_features():
    exp = _experiment(normalization="standard")
    offset, scale = exp.normalization
    ds = exp.dataset.with_points(np.array([[4.0, -4.0]]), np.array([1]), train=True)
    exp.replace_data(ds)
    np.testing.assert_array_equal(exp.normalization[0], offset)  # not refitted: the weights were fitted to it
    column = exp.trainer.Xa_train[:-1, ds.n_train - 1]
    np.testing.assert_allclose(column, (np.array([4.0, -4.0]) - offset) / scale)


def test_worker_replace_data_keeps_training_and_generation(qtbot):
    from visualizer.training.controller import TrainingController

    controller = TrainingController(Config())
    notes = []
    controller.sigNote.connect(notes.append)
    controller.sigSnapshot.connect(lambda _snap: controller.request_snapshot())  # as the window does, drawn
    try:
        controller.set_speed(0)
        controller.start()
        controller.play()
        with qtbot.waitSignal(controller.sigSnapshot, timeout=10_000,
                              check_params_cb=lambda s: s.epoch >= 5):
            pass
        before = controller.latest
        ds = before.dataset.with_points(np.array([[5.0, 5.0]]), np.array([1]), train=True)
        controller.replace_data(ds)
        with qtbot.waitSignal(controller.sigSnapshot, timeout=10_000,
                              check_params_cb=lambda s: s.dataset is ds and s.epoch > before.epoch + 3):
            pass
        after = controller.latest
        assert after.generation == before.generation  # the same network: weight edits made before stay valid
        assert after.running
        # a bad swap (other task) is dropped with a note; training goes on with the edited data
        controller.replace_data(make_dataset("reg_plane"))
        qtbot.waitUntil(lambda: any("Data not applied" in n for n in notes), timeout=10_000)
        with qtbot.waitSignal(controller.sigSnapshot, timeout=10_000,
                              check_params_cb=lambda s: s.epoch > after.epoch + 3):
            pass
        assert controller.latest.dataset is ds and controller.latest.generation == before.generation
        # a later rebuild (another hidden layer) keeps the edited points
        controller.set_config(Config(hidden=(3,)))
        with qtbot.waitSignal(controller.sigSnapshot, timeout=10_000,
                              check_params_cb=lambda s: s.sizes == (2, 3, 1)):
            pass
        assert controller.latest.dataset is ds
    finally:
        controller.shutdown()
