"""Helpers the window tests share (the ``window`` fixture itself is in conftest.py)."""

from __future__ import annotations

TIMEOUT = 20_000


def open_window(qtbot, config=None, size=(1400, 860), full_speed: bool = True):
    """A shown main window (settings not remembered) that has its first snapshot; ``full_speed`` sets the pace to
    as fast as possible. The caller shuts it down (``win.shutdown()``)."""
    from visualizer.engine.experiment import Config
    from visualizer.ui.main_window import MainWindow

    win = MainWindow(config or Config(), use_settings=False)
    qtbot.addWidget(win)
    if full_speed:
        win.hyper_toolbar.set_speed(0)
    win.resize(*size)
    win.show()
    qtbot.waitExposed(win)
    qtbot.waitUntil(lambda: win.controller.latest is not None, timeout=TIMEOUT)
    return win


def wait_snapshot(qtbot, win, predicate, timeout=TIMEOUT):
    """The newest snapshot if it satisfies ``predicate``, else the next one that does."""
    latest = win.controller.latest
    if latest is not None and predicate(latest):
        return latest
    with qtbot.waitSignal(win.controller.sigSnapshot, timeout=timeout, check_params_cb=predicate) as blocker:
        pass
    return blocker.args[0]
