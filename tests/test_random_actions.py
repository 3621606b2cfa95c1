"""A seeded burst of random user actions while training: nothing raises, the window keeps drawing, closing is
clean. A small forerunner of the soak tests to come."""

from __future__ import annotations

import random

from visualizer.engine.datasets import CLASSIFICATION_2D, REGRESSION_2D
from visualizer.engine.experiment import PLAYGROUND_LEARNING_RATES, Config
from visualizer.engine.features import FEATURES
from visualizer.ui.main_window import MainWindow


def test_random_actions_never_break_the_window(qtbot):
    rng = random.Random(1234)
    win = MainWindow(Config(), use_settings=False)
    qtbot.addWidget(win)
    win.resize(1300, 800)
    win.show()
    edits = [
        lambda: {"learning_rate": rng.choice(PLAYGROUND_LEARNING_RATES)},
        lambda: {"batch_size": rng.randint(1, 30)},
        lambda: {"hidden": tuple(rng.randint(1, 8) for _ in range(rng.randint(0, 4)))},
        lambda: {"activation": rng.choice(["tanh", "sigmoid", "relu", "leaky_relu", "linear"])},
        lambda: {"regularization": rng.choice(["none", "l1", "l2"]), "reg_rate": rng.choice([0.0, 0.001, 0.03])},
        lambda: {"dataset": rng.choice(CLASSIFICATION_2D + REGRESSION_2D)},
        lambda: {"noise": rng.choice([0.0, 0.1, 0.5])},
        lambda: {"features": tuple(rng.sample(list(FEATURES), rng.randint(1, 7)))},
        lambda: {"optimizer": rng.choice(["sgd", "momentum", "adam"])},
        lambda: {"n_classes": rng.randint(3, 10)},
    ]
    actions = [
        win.act_play.trigger,
        win.act_step_epoch.trigger,
        win.act_step_batch.trigger,
        win.act_reset.trigger,
        win.act_new_weights.trigger,
        win.act_regenerate.trigger,
        lambda: win._on_config_edit(rng.choice(edits)()),
        lambda: win.network_view.sigWeightEdited.emit(win.controller.latest.generation, 0, 0, 0, rng.uniform(-3, 3)),
        lambda: win.network_view.sigNodeHovered.emit(rng.randint(-1, 1), 0),
        lambda: win.display_panel.discretize.toggle(),
        lambda: win.display_panel.log_scale.toggle(),
        lambda: win.display_panel.show_test.toggle(),
        lambda: win.controller.set_speed(rng.choice([0, 10, 60])),
    ]
    errors = []
    win.controller.sigError.connect(errors.append)
    qtbot.waitUntil(lambda: win.controller.latest is not None, timeout=20_000)
    for _ in range(150):
        rng.choice(actions)()
        qtbot.wait(rng.randint(0, 15))
    # still alive and drawing: a fresh snapshot arrives after a last step
    win.controller.pause()
    serial = win.controller.latest.serial
    win.act_step_epoch.trigger()
    qtbot.waitUntil(lambda: win._drawn_serial > serial, timeout=20_000)
    assert not [e for e in errors if "Traceback" in e], errors
    win.close()
    assert not win.controller.is_alive()
