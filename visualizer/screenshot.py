"""``--screenshot FILE.png``: train with the real window offscreen, draw the final state, save a PNG."""

from __future__ import annotations

import os
import sys

from .app import _application, _dispose

SCREENSHOT_TIMEOUT_S = 600.0
"""--screenshot gives up after this long (the environment variable NN_VISUALIZER_TIMEOUT overrides it)."""


def _timeout_s() -> float:
    try:
        value = float(os.environ.get("NN_VISUALIZER_TIMEOUT", SCREENSHOT_TIMEOUT_S))
    except ValueError:
        return SCREENSHOT_TIMEOUT_S
    return value if value > 0 and value == value else SCREENSHOT_TIMEOUT_S


def summary_line(snap) -> str:
    """The one line a --screenshot run ends with: epochs, training and test loss, and test accuracy
    (classification) or R² (regression)."""
    from .ui.loss_view import r_squared
    from .ui.numbers import format_number

    if snap is None:
        return "epochs 0 · training loss – · test loss –"

    def num(value: float) -> str:
        return "–" if value != value else format_number(value, 4)

    text = (f"epochs {snap.epoch:,} · training loss {num(snap.last('train_loss'))} · "
            f"test loss {num(snap.last('test_loss'))} · ")
    if snap.task == "regression":
        return text + f"test R² {num(r_squared(snap))}"
    accuracy = snap.last("test_metric")
    return text + ("test accuracy –" if accuracy != accuracy else f"test accuracy {100.0 * accuracy:.1f} %")


def _screenshot(path: str, epochs: int, config, size, dataset=None, lesson=None, stage=None) -> int:
    """Train ``epochs`` epochs with the real window offscreen, draw the final state, save a PNG.

    Training that stops earlier (divergence, a stopping criterion) or a training thread that dies still writes the
    state reached and says why in one line; so does the safety timeout (then the exit status is 1).
    """
    app = _application()
    from PyQt6.QtCore import QTimer

    from .engine.experiment import Config
    from .engine.stopping import StopCriteria
    from .ui.main_window import MainWindow

    config = (config or Config()).replace(stop=StopCriteria(max_epochs=epochs) if epochs else StopCriteria())
    window = MainWindow(config, use_settings=False, dataset=dataset)
    window.hyper_toolbar.set_speed(0)  # a screenshot trains as fast as possible, not at the window's demo pace
    window.resize(*(size or (1500, 900)))
    window.show()
    controller = window.controller
    if lesson is not None:  # its data, network and weights replace the window's (its own epochs, unless given)
        window.lessons.open_lesson(*lesson, epochs=epochs)

    def ready(snap) -> bool:
        """The snapshot is of the network asked for (a lesson's, once its load is done)."""
        return snap is not None and (lesson is None or snap.config == window.config)
    state = {"code": 1, "done": False, "stopped": None, "serial": 0, "error": None}
    timeout = _timeout_s()

    def finish(code: int, why: str | None = None) -> None:
        if state["done"]:
            return
        state["done"] = True
        state["code"] = code
        try:
            snap = controller.latest
            if snap is not None:
                window.draw(snap)
                hidden = getattr(window, "hidden_views", None)
                if hidden is not None:
                    hidden.refresh(force=True)  # the hidden-layer tabs and marks follow at most 5×/s: now
            app.processEvents()
        except Exception as err:  # draw what can be drawn: the PNG and the exit must still happen
            print(f"nn-visualizer: error: drawing the final state failed: {type(err).__name__}: {err}",
                  file=sys.stderr)
            state["code"] = 1
        if why:
            print(f"nn-visualizer: {why}", file=sys.stderr)
        if not window.save_screenshot(path):
            print(f"nn-visualizer: error: could not write {path}", file=sys.stderr)
            state["code"] = 1
        print(summary_line(controller.latest), flush=True)
        window.close()
        app.quit()

    def on_stopped(reason: str) -> None:
        latest = controller.latest
        state["stopped"] = reason
        state["serial"] = latest.serial if latest is not None else 0

    def on_error(message: str) -> None:
        lines = str(message).strip().splitlines()
        state["error"] = lines[-1] if lines else "unknown error"

    controller.sigStopped.connect(on_stopped)
    controller.sigError.connect(on_error)

    def check() -> None:
        try:
            poll()
        except Exception as err:
            finish(1, f"error: {type(err).__name__}: {err}")

    def on_timeout() -> None:
        snap = controller.latest
        epoch = snap.epoch if snap is not None else 0
        finish(1, f"error: --screenshot timed out after {timeout:g} s at epoch {epoch:,} of {epochs:,}; "
                  f"wrote the state reached to {path}")

    def poll() -> None:
        snap = controller.latest
        epoch = snap.epoch if snap is not None else 0
        if state["stopped"] is not None and snap is not None and snap.serial > state["serial"] and not snap.running:
            if epoch >= epochs:
                step_through_then(finish)
            else:
                finish(0, f"training stopped at epoch {epoch:,} of {epochs:,}: {state['stopped']}; "
                          f"wrote the state it stopped in to {path}")
        elif not controller.is_alive():
            finish(1, f"error: the training thread ended at epoch {epoch:,} of {epochs:,}"
                      f"{': ' + state['error'] if state['error'] else ''}; wrote the state reached to {path}")
        else:
            QTimer.singleShot(20, check)

    def start() -> None:
        if epochs:
            controller.set_speed(0.0)  # as fast as possible, whatever the window's default pace is
            controller.play()
            QTimer.singleShot(20, check)
        else:
            QTimer.singleShot(20, wait_first)

    def wait_first() -> None:
        if ready(controller.latest):
            step_through_then(finish)
        elif not controller.is_alive():
            finish(1, "error: the network was not drawn")
        else:
            QTimer.singleShot(20, wait_first)

    def step_through_then(done) -> None:
        """With --step-through: open the mode on the first training sample at ``stage``, then ``done(0)``."""
        if stage is None:
            done(0)
            return
        from .ui.stepthrough_mode import STAGES

        mode = window.stepthrough
        if not mode.active:
            mode.enter()
        if mode.record is None:
            if controller.is_alive():
                QTimer.singleShot(20, lambda: step_through_then(done))
            else:
                done(1, "error: the training thread ended before the step-through was computed")
            return
        mode.set_stage([s.lower() for s in STAGES].index(stage))
        record = mode.record
        if stage in ("forward", "backward") and len(record.sizes) > 2:
            mode.set_selected(("node", 1, 0))  # a hidden neuron: f′(net)·Σ w·δ has numbers to show
        window.stepthrough_overlay.finish_animation()
        done(0)

    QTimer.singleShot(0, start)
    safety = QTimer()
    safety.setSingleShot(True)
    safety.timeout.connect(on_timeout)
    safety.start(int(min(timeout, 86_400) * 1000))
    app.exec()
    safety.stop()
    _dispose(window)
    return state["code"]
