"""Type a function, and the number of points, in the data panel — with real key events.

A typed expression makes the data set it describes; a malicious or malformed one is refused right at the field
(red frame and the parser's message under it) and the running session stays exactly as it was.
"""

from __future__ import annotations

import numpy as np
from PyQt6.QtCore import Qt
from window_helpers import wait_snapshot


def type_function(qtbot, win, text: str) -> None:
    field = win.data_panel.function
    field.setFocus()
    field.selectAll()
    qtbot.keyClick(field, Qt.Key.Key_Delete)
    if len(text) <= 200:
        qtbot.keyClicks(field, text)
    else:  # typing 10,000 keys one by one would take minutes: paste it, as a user would
        field.insert(text)
    qtbot.keyClick(field, Qt.Key.Key_Return)


def test_a_typed_function_makes_the_set_it_describes(qtbot, window):
    type_function(qtbot, window, "x2 > sin(2*x1)")
    snap = wait_snapshot(qtbot, window, lambda s: s.config.dataset == "function")
    ds = snap.dataset
    assert snap.config.function == "x2 > sin(2*x1)" and ds.task == "classification"
    np.testing.assert_array_equal(ds.y, (ds.X[:, 1] > np.sin(2 * ds.X[:, 0])).astype(int))
    assert not window.data_panel.function.property("rejected")
    assert window.data_panel.problem.currentData() == "classification"
    assert all(box.isEnabled() for box in window.data_panel.features.values())  # a plane: features apply

    type_function(qtbot, window, "0.5*x1 - x2")
    snap = wait_snapshot(qtbot, window, lambda s: s.config.function == "0.5*x1 - x2")
    ds = snap.dataset
    assert ds.task == "regression" and snap.task == "regression"
    np.testing.assert_allclose(ds.y, 0.5 * ds.X[:, 0] - ds.X[:, 1])
    assert window.data_panel.problem.currentData() == "regression"


def test_an_example_is_one_click_away(qtbot, window):
    menu = window.data_panel.function_examples.menu()
    action = next(a for a in menu.actions() if a.text() == "x1**2 + x2**2 < 9")
    action.trigger()
    snap = wait_snapshot(qtbot, window, lambda s: s.config.function == "x1**2 + x2**2 < 9")
    X = snap.dataset.X
    np.testing.assert_array_equal(snap.dataset.y, (X[:, 0] ** 2 + X[:, 1] ** 2 < 9).astype(int))


BAD = {
    "import": "__import__('os')",
    "attribute": "x1.__class__",
    "unknown name": "foo(x1)",
    "too long": "x1 + " * 2000 + "x2",
    "tower": "9**9**9**9",
    "empty plane": "x1 > 100",
    "syntax": "x1 > (x2",
}


def test_a_bad_expression_leaves_the_session_untouched(qtbot, window):
    window.controller.play()
    wait_snapshot(qtbot, window, lambda s: s.epoch >= 3)
    window.controller.pause()
    before = wait_snapshot(qtbot, window, lambda s: not s.running)
    panel = window.data_panel
    for kind, text in BAD.items():
        type_function(qtbot, window, text)
        assert panel.function.property("rejected"), kind
        assert panel.function_error.isVisible() and panel.function_error.text().startswith("Function not used: ")
        assert QApplication_focus() is panel.function  # stays in the field to be corrected
        qtbot.wait(100)
        after = window.controller.latest
        assert window.config == before.config and after.config == before.config, kind
        assert after.dataset is before.dataset and after.generation == before.generation, kind
        assert after.epoch == before.epoch, kind
        for w0, w1 in zip(before.weights, after.weights, strict=True):
            np.testing.assert_array_equal(w0, w1)
    # a good one afterwards clears the message
    type_function(qtbot, window, "x1 * x2 > 0")
    assert not panel.function.property("rejected") and not panel.function_error.isVisible()
    wait_snapshot(qtbot, window, lambda s: s.config.function == "x1 * x2 > 0")


def QApplication_focus():
    from PyQt6.QtWidgets import QApplication

    return QApplication.focusWidget()


def test_number_of_points(qtbot, window):
    spin = window.data_panel.points
    assert spin.value() == 500
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, "800")
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    snap = wait_snapshot(qtbot, window, lambda s: s.dataset.n_samples == 800)
    assert snap.config.n_points == 800 and snap.dataset.n_train == 400
    type_function(qtbot, window, "x2 > x1")
    snap = wait_snapshot(qtbot, window, lambda s: s.config.function == "x2 > x1")
    assert snap.dataset.n_samples == 800  # the function is sampled with the chosen count too
