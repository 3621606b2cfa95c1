"""Test configuration: headless Qt, and no test may leave a QThread running."""

from __future__ import annotations

import os

# Must happen before any QApplication exists (pytest-qt creates it lazily in the qapp fixture).
os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("QT_SCALE_FACTOR", "1")

import gc

import pytest


@pytest.fixture(autouse=True)
def _no_dangling_qthreads(request):
    """Fail any test that leaves a QThread running (napari's ``dangling_qthreads`` idea).

    Only tests that use Qt (the ``qtbot`` or ``qapp`` fixtures) are checked: the scan walks every object.
    """
    yield
    if not {"qtbot", "qapp"} & set(request.fixturenames):
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
