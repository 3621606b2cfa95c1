"""Quit works from every state in under 0.5 s and leaves no thread behind (issue 7).

Each test brings the window into one state (steps queued by → held down, training a big network, paused,
diverged, a long epoch in progress by play or by a step command, a dead thread), then measures ``close()``: the
window's close waits for the training thread, so the time it takes is the time until the thread has finished.
"""

from __future__ import annotations

import time

import pytest
from PyQt6.QtCore import Qt
from window_helpers import wait_snapshot

import visualizer.training.worker as worker_module
from visualizer.engine.data import make_dataset
from visualizer.engine.experiment import Config
from visualizer.ui.main_window import MainWindow

QUIT_S = 0.5  # the bound the issue states
TIMEOUT = 20_000
BIG = Config(hidden=(64,) * 10, activation="relu")  # the largest network the view offers: 10 layers × 64


@pytest.fixture(autouse=True)
def one_blas_thread():
    """One BLAS thread, as the app means to run (visualizer/app.py): with OpenBLAS's default two threads on a
    loaded 2-core machine a single 10×64 epoch of batch 250 took up to 0.47 s (median 24 ms, vs 4.6 ms and at
    most 19 ms with one thread), and quit waits for the mini-batch in progress."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - threadpoolctl is not a dependency
        yield
        return
    with threadpool_limits(1, user_api="blas"):
        yield


def open_window(qtbot, config: Config) -> MainWindow:
    win = MainWindow(config, use_settings=False)
    qtbot.addWidget(win)  # closed even if the test fails early
    win.resize(1280, 720)
    win.show()
    qtbot.waitExposed(win)
    qtbot.waitUntil(lambda: win._drawn_serial > 0, timeout=TIMEOUT)
    return win


def trainer_of(win):
    return win.controller._worker._exp.trainer


def close_timed(win) -> float:
    thread = win.controller._thread
    t0 = time.perf_counter()
    win.close()
    elapsed = time.perf_counter() - t0
    assert thread.isFinished() and not win.controller.is_alive(), "the training thread is still running"
    print(f"quit took {elapsed:.3f} s")
    assert elapsed < QUIT_S, f"quit took {elapsed:.3f} s"
    return elapsed


def big_data_window(qtbot, batch_size: int, n_samples: int = 10_000) -> MainWindow:
    """BIG network on a large data set: an epoch of batch size 1 is tens of thousands of steps (seconds)."""
    win = open_window(qtbot, BIG.replace(batch_size=batch_size))
    data = make_dataset("circle", seed=0, n_samples=n_samples)
    win.controller.set_data(win.config, data)
    wait_snapshot(qtbot, win, lambda s: s.dataset is data)
    return win


@pytest.mark.parametrize("max_pending", [worker_module.MAX_PENDING_STEPS, 100])
def test_quit_with_twenty_queued_step_epochs(qtbot, monkeypatch, max_pending):
    """→ held down: twenty step-epoch key presses on the big network, then quit at once (the audit: 1.15 s, and
    the thread was left behind). With 100 allowed, all twenty really wait in the queue: quit abandons them."""
    monkeypatch.setattr(worker_module, "MAX_PENDING_STEPS", max_pending)
    win = open_window(qtbot, BIG.replace(batch_size=1))
    presses = []
    win.act_step_epoch.triggered.connect(lambda *_: presses.append(1))
    win.activateWindow()
    win.network_view.setFocus()
    for _ in range(20):
        qtbot.keyClick(win.network_view, Qt.Key.Key_Right)
    assert len(presses) == 20
    assert win.controller._worker._pending_steps > 0  # steps still wait
    close_timed(win)


def test_quit_while_training_a_big_network_on_large_batches(qtbot):
    win = open_window(qtbot, BIG.replace(batch_size=250))  # one 250-point batch per epoch
    win.controller.play()
    wait_snapshot(qtbot, win, lambda s: s.epoch >= 3 and s.running)
    close_timed(win)


def test_quit_while_paused(qtbot):
    win = open_window(qtbot, BIG)
    win.controller.play()
    wait_snapshot(qtbot, win, lambda s: s.epoch >= 1)
    win.controller.pause()
    wait_snapshot(qtbot, win, lambda s: not s.running)
    close_timed(win)


def test_quit_when_diverged(qtbot):
    win = open_window(qtbot, BIG.replace(dataset="reg_plane", learning_rate=10.0, batch_size=250))
    with qtbot.waitSignal(win.controller.sigStopped, timeout=TIMEOUT) as blocker:
        win.controller.play()
    assert "diverged" in blocker.args[0].lower()
    wait_snapshot(qtbot, win, lambda s: not s.running)
    close_timed(win)


def test_quit_while_a_long_epoch_trains(qtbot):
    win = big_data_window(qtbot, batch_size=1)
    win.controller.play()
    qtbot.waitUntil(lambda: trainer_of(win).steps >= 50, timeout=TIMEOUT)
    assert trainer_of(win).epoch == 0  # in the middle of the long epoch
    close_timed(win)


def test_quit_while_a_long_step_epoch_command_runs(qtbot):
    """A single → on an epoch of 20,000 steps: the old worker ran it to the end (seconds) before seeing quit."""
    win = big_data_window(qtbot, batch_size=1)
    win.act_step_epoch.trigger()
    qtbot.waitUntil(lambda: trainer_of(win).steps >= 50, timeout=TIMEOUT)
    assert trainer_of(win).mid_epoch
    close_timed(win)


def test_quit_after_the_thread_died_and_after_a_restart(qtbot):
    win = open_window(qtbot, Config())
    with qtbot.waitSignal(win.controller.sigThreadDied, timeout=TIMEOUT):
        win.controller._worker.request_quit()  # simulated death: nobody asked the window to quit
    assert "stopped" in win.statusBar().currentMessage()
    button = win.restart_button
    assert button.isVisible()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert not button.isVisible() and win.controller.is_alive()
    win.controller.play()
    wait_snapshot(qtbot, win, lambda s: s.epoch >= 3)
    close_timed(win)
