"""Test configuration: headless Qt; no test may leave a QThread running, a QTimer active or a window visible.

``--long`` (or the environment variable ``RANDOM_ACTIONS=N``) runs the tests marked ``long`` (skipped otherwise).
"""

from __future__ import annotations

import os

# Must happen before any QApplication exists (pytest-qt creates it lazily in the qapp fixture).
os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("QT_SCALE_FACTOR", "1")
# Train in the training thread, not a child process: a child per window (a Python interpreter, ~0.3-1 s) would add
# minutes to a suite that opens hundreds of windows. tests/test_process.py covers the child process.
os.environ.setdefault("NN_VISUALIZER_INPROCESS", "1")

import gc
import threading
import time
import weakref

import pytest

# Qt-internal top-level widgets that may legitimately stay visible for a moment after a test.
_HARMLESS_TOP_LEVEL = {"QTipLabel"}


def pytest_addoption(parser):
    parser.addoption("--long", action="store_true", default=False,
                     help="run the long tests (marked 'long'), e.g. the 20,000 random-action run")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--long") or os.environ.get("RANDOM_ACTIONS"):
        return
    skip = pytest.mark.skip(reason="long run: pass --long (or set RANDOM_ACTIONS=N) to run it")
    for item in items:
        if "long" in item.keywords:
            item.add_marker(skip)


def _uses_qt(request) -> bool:
    return bool({"qtbot", "qapp"} & set(request.fixturenames))


@pytest.fixture(autouse=True)
def _no_dangling_qtimers(request, monkeypatch):
    """Fail any test that leaves a QTimer running (napari's ``dangling_qtimers`` idea).

    ``QTimer.start`` and ``QTimer.singleShot`` are wrapped for the test to remember every timer started from Python.
    Afterwards (once qtbot has closed its widgets) pending single-shot timers get a short grace period to fire;
    any timer still active then fails the test and is stopped, so it cannot fire into the next test.
    """
    if not _uses_qt(request):
        yield
        return
    from PyQt6.QtCore import QObject, QTimer

    started: list = []
    original_start = QTimer.start
    original_single_shot = QTimer.singleShot
    main_thread = threading.main_thread()

    def start(self, *args):
        started.append(weakref.ref(self))
        return original_start(self, *args)

    def single_shot(*args):
        if threading.current_thread() is not main_thread or len(args) not in (2, 3):
            return original_single_shot(*args)
        slot = args[-1]
        owner = getattr(slot, "__self__", None)
        # a timer owned by the slot's QObject dies with it, as Qt's own singleShot with a receiver does
        timer = QTimer(owner if isinstance(owner, QObject) else None)
        timer.setSingleShot(True)
        if len(args) == 3:
            timer.setTimerType(args[1])
        timer.timeout.connect(slot)
        started.append(timer)  # a strong reference: an unowned timer must live until it fires
        original_start(timer, int(args[0]))

    monkeypatch.setattr(QTimer, "start", start)
    monkeypatch.setattr(QTimer, "singleShot", staticmethod(single_shot))
    yield
    monkeypatch.undo()

    def active() -> list:
        out = []
        for ref in started:
            timer = ref() if isinstance(ref, weakref.ref) else ref
            try:
                if timer is not None and timer.isActive():
                    out.append(timer)
            except RuntimeError:  # C++ object already deleted
                continue
        return out

    from PyQt6.QtWidgets import QApplication

    deadline = time.perf_counter() + 0.5
    while any(t.isSingleShot() for t in active()) and time.perf_counter() < deadline:
        QApplication.processEvents()
        time.sleep(0.005)
    left = active()
    started.clear()
    if left:
        described = []
        for timer in left:
            parent = timer.parent()
            described.append(f"QTimer(interval={timer.interval()} ms, single_shot={timer.isSingleShot()}, "
                             f"name={timer.objectName()!r}, parent={type(parent).__name__ if parent else None})")
            timer.stop()
        pytest.fail(f"test left {len(left)} QTimer(s) running: {described}", pytrace=False)


@pytest.fixture(autouse=True)
def _no_visible_windows(request):
    """Fail any test that leaves a visible top-level window (close it, or hand it to ``qtbot.addWidget``)."""
    yield
    if not _uses_qt(request):
        return
    from PyQt6.QtWidgets import QApplication

    left = [w for w in QApplication.topLevelWidgets()
            if w.isVisible() and type(w).__name__ not in _HARMLESS_TOP_LEVEL]
    if left:
        described = [f"{type(w).__name__}({w.windowTitle()!r})" for w in left]
        for w in left:
            w.close()
        pytest.fail(f"test left {len(left)} visible top-level window(s): {described}", pytrace=False)


@pytest.fixture(autouse=True)
def _no_dangling_qthreads(request):
    """Fail any test that leaves a QThread running (napari's ``dangling_qthreads`` idea).

    Only tests that use Qt (the ``qtbot`` or ``qapp`` fixtures) are checked: the scan walks every object.
    """
    yield
    if not _uses_qt(request):
        return
    from PyQt6.QtCore import QThread

    gc.collect()
    running = []
    for obj in gc.get_objects():
        try:
            if isinstance(obj, QThread) and obj.isRunning():
                running.append(obj)
        except RuntimeError:  # wrapped C++ object already deleted
            continue
    if running:
        for thread in running:
            thread.quit()
            thread.wait(2000)
        pytest.fail(f"test left {len(running)} QThread(s) running: {running}", pytrace=False)


@pytest.fixture
def window(qtbot):
    """A main window at full training speed that has drawn its first snapshot (a test module may define its own)."""
    from window_helpers import open_window

    win = open_window(qtbot)
    yield win
    win.shutdown()
