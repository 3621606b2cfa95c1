"""The training thread never dies: stale or bad commands are dropped with a note, unexpected exceptions are
reported and pause training, step commands do not pile up, and a dead thread is noticed and can be restarted."""

from __future__ import annotations

import time

import numpy as np
import pytest

from visualizer.engine.experiment import Config
from visualizer.training.controller import TrainingController
from visualizer.training.worker import MAX_PENDING_STEPS

TIMEOUT = 10_000


def pulling(c: TrainingController) -> TrainingController:
    """Ask for the next snapshot as soon as one arrives, as the window does after drawing."""
    c.sigSnapshot.connect(lambda _snap: c.request_snapshot())
    return c


@pytest.fixture
def controller(qtbot):
    c = pulling(TrainingController(Config()))
    notes, errors = [], []
    c.sigNote.connect(notes.append)
    c.sigError.connect(errors.append)
    c.notes, c.errors = notes, errors
    yield c
    assert c.shutdown(2000)


def wait_snapshot(qtbot, c, predicate=lambda s: True, timeout=TIMEOUT):
    latest = c.latest
    if latest is not None and predicate(latest):
        return latest
    with qtbot.waitSignal(c.sigSnapshot, timeout=timeout, check_params_cb=predicate) as blocker:
        pass
    return blocker.args[0]


def trainer_of(c):
    return c._worker._exp.trainer


def raise_once(monkeypatch, obj, *names):
    """Make the first call to any of ``obj``'s methods ``names`` raise a RuntimeError; later calls work."""
    calls = []
    for name in names:
        original = getattr(obj, name)

        def patched(*args, _original=original, **kwargs):
            calls.append(1)
            if len(calls) == 1:
                raise RuntimeError("injected failure")
            return _original(*args, **kwargs)

        monkeypatch.setattr(obj, name, patched)
    return calls


def assert_trains_on(qtbot, c):
    """The thread is alive and training still works: a step, then play makes progress."""
    assert c.is_alive() and not c.is_dead()
    epoch = c.latest.epoch
    c.step_epoch()
    snap = wait_snapshot(qtbot, c, lambda s: s.epoch == epoch + 1)
    c.play()
    wait_snapshot(qtbot, c, lambda s: s.epoch >= snap.epoch + 3 and s.running)
    c.pause()
    assert c.is_alive()


# ---------------------------------------------------------------------------------------------- checked commands
def test_stale_weight_edit_after_a_layer_change_is_dropped_with_a_note(qtbot, controller):
    """The audit's death: an edit made on the (4, 2) network arrives after the switch to (2,); its indices are
    out of range there (the old worker raised IndexError and the thread died)."""
    controller.start()
    old = wait_snapshot(qtbot, controller)
    assert old.sizes == (2, 4, 2, 1)
    controller.set_config(controller.config.replace(hidden=(2,)))
    controller.edit_weight(old.generation, 1, 3, 1, 0.5)  # weights[1] is (4, 2) in the old network, (2, 1) now
    controller.edit_bias(old.generation, 1, 1, 0.5)
    qtbot.waitUntil(lambda: len(controller.notes) == 2, timeout=TIMEOUT)
    assert all("network changed" in note for note in controller.notes)
    new = wait_snapshot(qtbot, controller, lambda s: s.generation > old.generation)
    assert new.sizes == (2, 2, 1)
    assert controller.errors == []
    assert_trains_on(qtbot, controller)


def test_stale_edit_with_indices_that_still_fit_is_dropped_too(qtbot, controller):
    """Same shape, new network (a rebuild): an edit meant for the old weights must not land on the new ones."""
    controller.start()
    old = wait_snapshot(qtbot, controller)
    controller.set_config(controller.config.replace(activation="relu"))  # rebuild, same sizes
    controller.edit_weight(old.generation, 0, 0, 0, 3.25)
    new = wait_snapshot(qtbot, controller, lambda s: s.generation > old.generation)
    qtbot.waitUntil(lambda: bool(controller.notes), timeout=TIMEOUT)
    controller.step_batch()  # a later snapshot: the edit did not land
    snap = wait_snapshot(qtbot, controller, lambda s: s.steps == new.steps + 1)
    assert snap.weights[0][0, 0] != 3.25


@pytest.mark.parametrize(
    "edit, what",
    [
        (("edit_weight", 3, 0, 0, 1.0), "weight layer"),  # only weight layers 0, 1, 2
        (("edit_weight", 0, 2, 0, 1.0), "source neuron"),  # 2 inputs
        (("edit_weight", 0, 0, 4, 1.0), "target neuron"),  # 4 neurons
        (("edit_weight", 0, -1, 0, 1.0), "source neuron"),  # no Python-style negative indices
        (("edit_weight", 0, 0, 0, float("nan")), "finite"),
        (("edit_weight", 0, 0, 0, float("inf")), "finite"),
        (("edit_bias", 2, 1, 1.0), "neuron"),  # one output neuron
        (("edit_bias", -1, 0, 1.0), "layer"),
        (("edit_bias", 0, 0, "abc"), "finite"),
    ],
)
def test_out_of_range_or_non_finite_edits_are_dropped_with_a_note(qtbot, controller, edit, what):
    controller.start()
    snap = wait_snapshot(qtbot, controller)
    command, *args = edit
    getattr(controller, command)(snap.generation, *args)
    qtbot.waitUntil(lambda: bool(controller.notes), timeout=TIMEOUT)
    assert what in controller.notes[0]
    assert controller.errors == []
    for a, b in zip(snap.weights + snap.biases, trainer_of(controller).net.weights + trainer_of(controller).net.biases,
                    strict=True):
        np.testing.assert_array_equal(a, b)
    assert_trains_on(qtbot, controller)


def test_a_current_edit_lands(qtbot, controller):
    controller.start()
    snap = wait_snapshot(qtbot, controller)
    controller.edit_weight(snap.generation, 1, 3, 1, 0.625)
    controller.edit_bias(snap.generation, 2, 0, -0.25)
    after = wait_snapshot(qtbot, controller, lambda s: s.weights[1][3, 1] == 0.625 and s.biases[2][0] == -0.25)
    assert after.generation == snap.generation
    assert controller.notes == [] and controller.errors == []


def test_a_bad_speed_is_dropped(qtbot, controller):
    controller.start()
    wait_snapshot(qtbot, controller)
    controller.set_speed(float("nan"))
    qtbot.waitUntil(lambda: bool(controller.notes), timeout=TIMEOUT)
    assert controller._worker.epochs_per_second == 0.0
    assert_trains_on(qtbot, controller)


# ---------------------------------------------------------------------------------------------- the loop never dies
def test_an_exception_in_a_step_command_is_reported_and_training_goes_on(qtbot, controller, monkeypatch):
    controller.start()
    wait_snapshot(qtbot, controller)
    calls = raise_once(monkeypatch, trainer_of(controller), "run_epoch", "step_batch")
    with qtbot.waitSignal(controller.sigError, timeout=TIMEOUT) as blocker:
        controller.step_epoch()
    message = blocker.args[0]
    assert "Traceback" in message and "injected failure" in message
    last = message.strip().splitlines()[-1]
    assert "RuntimeError: injected failure" in last and "paused" in last
    assert calls
    assert_trains_on(qtbot, controller)
    # Reset works afterwards too
    controller.reset()
    wait_snapshot(qtbot, controller, lambda s: s.epoch == 0)


def test_an_exception_while_training_pauses_and_play_resumes(qtbot, controller, monkeypatch):
    controller.start()
    wait_snapshot(qtbot, controller)
    raise_once(monkeypatch, trainer_of(controller), "run_epoch", "step_batch")
    running = []
    controller.sigRunningChanged.connect(running.append)
    with qtbot.waitSignal(controller.sigError, timeout=TIMEOUT):
        controller.play()
    qtbot.waitUntil(lambda: running[-1] is False, timeout=TIMEOUT)
    assert not controller.is_running()
    wait_snapshot(qtbot, controller, lambda s: not s.running)
    assert_trains_on(qtbot, controller)


def test_an_exception_in_a_command_does_not_drop_the_commands_after_it(qtbot, controller, monkeypatch):
    controller.start()
    snap = wait_snapshot(qtbot, controller)
    raise_once(monkeypatch, trainer_of(controller), "run_epoch", "step_batch")
    controller.step_epoch()  # fails
    controller.edit_bias(snap.generation, 0, 0, 1.5)  # still applied
    wait_snapshot(qtbot, controller, lambda s: s.biases[0][0] == 1.5)
    assert len(controller.errors) == 1


def test_a_failing_snapshot_does_not_kill_the_loop(qtbot, controller, monkeypatch):
    controller.start()
    first = wait_snapshot(qtbot, controller)
    worker = controller._worker
    raise_once(monkeypatch, worker, "snapshot")
    with qtbot.waitSignal(controller.sigError, timeout=TIMEOUT) as blocker:
        controller.step_epoch()
    assert "snapshot" in blocker.args[0].strip().splitlines()[-1]
    assert controller.is_alive()
    controller.step_epoch()  # the next change brings a snapshot again
    snap = wait_snapshot(qtbot, controller, lambda s: s.serial > first.serial)
    assert snap.epoch == 2
    assert_trains_on(qtbot, controller)


def test_a_rejected_configuration_is_still_a_plain_message(qtbot, controller, monkeypatch):
    """The engine's ValueError for a setting stays a one-line message (not an internal error)."""
    import visualizer.training.worker as worker_module

    controller.start()
    wait_snapshot(qtbot, controller)

    def reject(*args, **kwargs):
        raise ValueError("that configuration is not possible")

    monkeypatch.setattr(worker_module, "build", reject)
    with qtbot.waitSignal(controller.sigError, timeout=TIMEOUT) as blocker:
        controller.set_config(controller.config.replace(hidden=(3,)))
    assert blocker.args[0] == "that configuration is not possible"
    monkeypatch.undo()
    assert_trains_on(qtbot, controller)


# ---------------------------------------------------------------------------------------------- bounded step queue
def test_step_commands_do_not_pile_up(qtbot, controller):
    """→ held down (key autorepeat) queues at most MAX_PENDING_STEPS steps; the rest are dropped."""
    accepted = [controller.step_epoch() for _ in range(20)]  # before the thread runs: nothing is taken out yet
    assert accepted == [True] * MAX_PENDING_STEPS + [False] * (20 - MAX_PENDING_STEPS)
    controller.start()
    snap = wait_snapshot(qtbot, controller, lambda s: s.epoch == MAX_PENDING_STEPS)
    qtbot.wait(100)
    assert controller.latest.epoch == snap.epoch == MAX_PENDING_STEPS
    # once they are done, steps are accepted again
    assert controller.step_batch()
    wait_snapshot(qtbot, controller, lambda s: s.steps == snap.steps + 1)


# ---------------------------------------------------------------------------------------------- death and restart
def test_a_dead_thread_is_noticed_and_restart_brings_training_back(qtbot, controller):
    controller.start()
    controller.set_speed(30)
    controller.step_epoch()
    old = wait_snapshot(qtbot, controller, lambda s: s.epoch == 1)
    # simulate a death: the loop ends although nobody asked the controller to quit
    with qtbot.waitSignal(controller.sigThreadDied, timeout=TIMEOUT):
        controller._worker.request_quit()
    assert controller.is_dead() and not controller.is_alive() and not controller.is_running()
    # Play on a dead thread says so again instead of pretending to train
    with qtbot.waitSignal(controller.sigThreadDied, timeout=1000):
        controller.play()
    assert not controller.is_running()

    controller.restart()
    assert controller.is_alive() and not controller.is_dead()
    new = wait_snapshot(qtbot, controller, lambda s: s.serial > old.serial)
    assert new.generation > old.generation  # views rebuild
    assert new.epoch == 0 and new.config == old.config
    np.testing.assert_array_equal(new.dataset.X, old.dataset.X)
    assert controller._worker.epochs_per_second == 30  # the speed carries over
    assert_trains_on(qtbot, controller)


def test_a_worker_that_fails_to_build_is_reported_as_dead(qtbot, monkeypatch):
    import visualizer.training.worker as worker_module

    def broken(*args, **kwargs):
        raise RuntimeError("cannot build")

    monkeypatch.setattr(worker_module, "build", broken)
    c = pulling(TrainingController(Config()))
    try:
        with qtbot.waitSignal(c.sigThreadDied, timeout=TIMEOUT) as blocker:
            c.start()
        assert "cannot build" in blocker.args[0]
        monkeypatch.undo()
        c.restart()  # no snapshot yet: the configuration it was started with
        wait_snapshot(qtbot, c)
        assert c.is_alive() and not c.is_dead()
    finally:
        assert c.shutdown(2000)


# ---------------------------------------------------------------------------------------------- in the window
def test_window_edit_right_after_a_layer_change_shows_a_note_and_keeps_training(qtbot):
    """The audit's burst: remove a layer in the view, then (before the new network is drawn) an edit of the
    output layer's synapse of the old network arrives. The window shows the note; the new shape stays; training
    goes on and the window is right to say *Training…*."""
    from visualizer.ui.main_window import MainWindow

    win = MainWindow(Config(), use_settings=False)
    qtbot.addWidget(win)
    try:
        win.show()
        qtbot.waitUntil(lambda: win._drawn_serial > 0, timeout=TIMEOUT)
        view = win.network_view
        old = view._snap
        view.sigLayerCountChangeRequested.emit(-1)  # (4, 2) → (4,)
        view.sigWeightEdited.emit(old.generation, 2, 1, 0, 0.5)  # weight layer 2 does not exist any more
        view.sigBiasEdited.emit(old.generation, 1, 1, 0.5)
        qtbot.waitUntil(lambda: "network changed" in win.statusBar().currentMessage(), timeout=TIMEOUT)
        qtbot.waitUntil(lambda: view._snap.sizes == (2, 4, 1), timeout=TIMEOUT)
        assert win.config.hidden == (4,)
        win.act_play.trigger()
        assert win.statusBar().currentMessage().startswith("Training")
        epoch = win.controller.latest.epoch
        qtbot.waitUntil(lambda: win.controller.latest.epoch >= epoch + 5, timeout=TIMEOUT)
        assert win.controller.is_alive() and win.controller.latest.sizes == (2, 4, 1)
    finally:
        win.shutdown()
        win.close()


def test_window_shows_an_internal_error_and_plays_on(qtbot, monkeypatch):
    from visualizer.ui.main_window import MainWindow

    win = MainWindow(Config(), use_settings=False)
    qtbot.addWidget(win)
    try:
        win.show()
        qtbot.waitUntil(lambda: win._drawn_serial > 0, timeout=TIMEOUT)
        raise_once(monkeypatch, trainer_of(win.controller), "run_epoch", "step_batch")
        win.act_play.trigger()
        qtbot.waitUntil(lambda: "RuntimeError: injected failure" in win.statusBar().currentMessage(), timeout=TIMEOUT)
        qtbot.waitUntil(lambda: win.act_play.text() == "Play", timeout=TIMEOUT)  # paused, and the button says so
        qtbot.wait(50)
        assert "injected failure" in win.statusBar().currentMessage()  # not wiped by the pause
        win.act_play.trigger()
        epoch = win.controller.latest.epoch
        qtbot.waitUntil(lambda: win.controller.latest.epoch >= epoch + 5, timeout=TIMEOUT)
        assert win.controller.is_alive()
    finally:
        win.shutdown()
        win.close()


def test_restart_replaces_a_stuck_thread_and_shutdown_still_ends_both(qtbot, controller, monkeypatch):
    """A loop stuck in a long call (simulated: an epoch that sleeps 1.5 s): restart() does not wait for it
    (a running QThread is kept, never destroyed), the new thread trains, and shutdown ends both."""
    import time as time_module

    controller.start()
    old = wait_snapshot(qtbot, controller)
    old_thread = controller._thread
    trainer = trainer_of(controller)
    monkeypatch.setattr(trainer, "run_epoch", lambda: time_module.sleep(1.5))
    monkeypatch.setattr(trainer, "step_batch", lambda: time_module.sleep(1.5))
    controller.step_epoch()
    qtbot.wait(100)
    controller.restart()
    assert old_thread.isRunning() and controller._thread is not old_thread
    new = wait_snapshot(qtbot, controller, lambda s: s.serial > old.serial)
    assert new.generation > old.generation
    assert_trains_on(qtbot, controller)
    assert controller.shutdown(3000)
    assert not old_thread.isRunning()


def test_health_and_evaluation_are_measured_ten_times_a_second_while_training_and_afresh_when_paused(
        qtbot, controller):
    """Statistics and the test-set evaluation (a pass over the data each) are not recomputed for every snapshot
    while training runs; paused, and after a command, each snapshot measures its own network."""
    from visualizer.training.worker import MEASURE_INTERVAL_S

    c = controller
    c.start()
    c.play()
    snaps = []
    c.sigSnapshot.connect(snaps.append)
    t0 = time.perf_counter()
    wait_snapshot(qtbot, c, lambda s: s.running and len(snaps) >= 20)
    elapsed = time.perf_counter() - t0
    running = [s for s in snaps if s.running]
    measured = {id(s.stats) for s in running}
    assert len(measured) <= 2 + elapsed / MEASURE_INTERVAL_S < len(running)
    c.pause()
    paused = wait_snapshot(qtbot, c, lambda s: not s.running)
    trainer = trainer_of(c)
    assert paused.stats["grad_norm"] == trainer.statistics()["grad_norm"]
    assert paused.stats["saturated"] == trainer.statistics()["saturated"]
    c.step_epoch()
    stepped = wait_snapshot(qtbot, c, lambda s: s.epoch == paused.epoch + 1)
    assert stepped.stats is not paused.stats
    assert stepped.stats["saturated"] == trainer_of(c).statistics()["saturated"]
    np.testing.assert_array_equal(stepped.confusion, trainer_of(c).evaluation().confusion)


def test_an_epoch_longer_than_a_slice_still_hands_out_snapshots_mid_epoch(qtbot):
    """A slow epoch (here 1,000 steps of one sample) is trained in slices of a few milliseconds, and a snapshot the
    GUI asked for goes out after the slice, with the weights of that moment: frames never wait for an epoch."""
    c = pulling(TrainingController(Config(batch_size=1, hidden=(32, 32, 32), n_points=2000)))
    snaps = []
    c.sigSnapshot.connect(snaps.append)
    try:
        c.start()
        c.play()
        qtbot.waitUntil(lambda: sum(s.running for s in snaps) >= 12, timeout=TIMEOUT)
        steps_per_epoch = trainer_of(c).n_train
        running = [s for s in snaps if s.running][3:]  # past the first epochs (their pace is not known yet)
        mid_epoch = [s.steps for s in running if s.steps % steps_per_epoch]
        assert len(mid_epoch) >= 3, [s.steps for s in running]
    finally:
        assert c.shutdown(2000)
