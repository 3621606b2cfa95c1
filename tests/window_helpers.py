"""Helpers the window tests share (the ``window`` fixture itself is in conftest.py)."""

from __future__ import annotations

TIMEOUT = 20_000


def wait_snapshot(qtbot, win, predicate):
    """The newest snapshot if it satisfies ``predicate``, else the next one that does."""
    latest = win.controller.latest
    if latest is not None and predicate(latest):
        return latest
    with qtbot.waitSignal(win.controller.sigSnapshot, timeout=TIMEOUT, check_params_cb=predicate) as blocker:
        pass
    return blocker.args[0]
