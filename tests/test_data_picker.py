"""Every data set is in the window: the picker's second section (tables and images) trains Iris and shows the
table, digits shows the digit panel, a thumbnail goes back to the map; the confusion tab counts the test set."""

from __future__ import annotations

import numpy as np
import pytest
from PyQt6.QtCore import Qt

from visualizer.engine.experiment import Config
from visualizer.ui.controls import other_datasets
from visualizer.ui.main_window import MainWindow

TIMEOUT = 20_000


@pytest.fixture
def window(qtbot):
    win = MainWindow(Config(), use_settings=False)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.shutdown()


def wait_drawn(qtbot, win, predicate):
    qtbot.waitUntil(lambda: win.controller.latest is not None and predicate(win.controller.latest), timeout=TIMEOUT)
    snap = win.controller.latest
    qtbot.waitUntil(lambda: win._drawn_serial >= snap.serial, timeout=TIMEOUT)
    return snap


def choose_table(qtbot, win, name: str) -> None:
    """Pick ``name`` in the "Tables and images" box with the keyboard, as a user would (type-ahead)."""
    box = win.data_panel.tables
    win.data_panel.setFocus()
    box.setFocus()
    qtbot.waitUntil(box.hasFocus, timeout=2000)
    target = box.findData(name)
    while box.currentIndex() != target:
        key = Qt.Key.Key_Down if box.currentIndex() < target else Qt.Key.Key_Up
        qtbot.keyClick(box, key)


def test_picker_lists_every_data_set():
    names = set(other_datasets())
    assert {"iris", "xor_gate", "and", "or", "tutorial_000", "tutorial_003"} <= names
    assert other_datasets()[0] == "xor_gate"
    assert not names & {"circle", "spiral", "reg_plane"}


def test_iris_from_the_picker_trains_and_shows_the_table(qtbot, window):
    wait_drawn(qtbot, window, lambda s: s.dataset.name == "circle")
    assert window.output_stack.currentWidget() is window.boundary_view
    choose_table(qtbot, window, "iris")
    snap = wait_drawn(qtbot, window, lambda s: s.dataset.name == "iris")
    assert window.config.dataset == "iris"
    assert snap.sizes[0] == 4 and snap.sizes[-1] == 3
    assert window.output_stack.currentWidget() is window.table_view
    table = window.table_view.table
    assert table.rowCount() == 150
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert headers[:4] == ["set", "target", "output", "correct?"] and len(headers) == 8
    assert not window.data_panel.features["x1"].isEnabled()  # a table's inputs are its columns
    window.act_step_epoch.trigger()
    snap = wait_drawn(qtbot, window, lambda s: s.dataset.name == "iris" and s.epoch >= 1)
    if getattr(snap, "predictions", None) is not None:
        assert all(v is not None for v in window.table_view.verdicts)
    # the confusion tab: counts of the test set, once chosen
    window.loss_tabs.setCurrentWidget(window.confusion_view)
    assert window.loss_tabs.isTabEnabled(1)
    if getattr(snap, "confusion", None) is not None or "confusion" in snap.stats:
        assert window.confusion_view.matrix is not None
        assert window.confusion_view.matrix.sum() == snap.dataset.n_samples - snap.dataset.n_train
    # back to a plane: a click on a thumbnail
    item = window.data_panel.datasets.item(0)
    rect = window.data_panel.datasets.visualItemRect(item)
    window.dock_data.raise_()
    qtbot.mouseClick(window.data_panel.datasets.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    wait_drawn(qtbot, window, lambda s: s.dataset.name == "circle")
    assert window.output_stack.currentWidget() is window.boundary_view
    assert window.data_panel.tables.currentIndex() == 0 and window.data_panel.features["x1"].isEnabled()


def test_xor_table_shows_four_rows(qtbot, window):
    choose_table(qtbot, window, "xor_gate")
    wait_drawn(qtbot, window, lambda s: s.dataset.name == "xor_gate")
    assert window.output_stack.currentWidget() is window.table_view
    assert window.table_view.table.rowCount() == 4
    assert [window.table_view.cell_text(r, 1) for r in range(4)] == ["0", "1", "1", "0"]


def test_digits_shows_the_digit_panel(qtbot):
    win = MainWindow(Config(dataset="digits", hidden=(32,)), use_settings=False)
    qtbot.addWidget(win)
    try:
        win.resize(1366, 768)
        win.show()
        qtbot.waitExposed(win)
        snap = wait_drawn(qtbot, win, lambda s: s.dataset.name == "digits")
        assert win.output_stack.currentWidget() is win.digits_view
        assert win.digits_view._images is not None and win.digits_view._images.shape[1:] == (8, 8)
        if getattr(snap, "test_probabilities", None) is not None or getattr(snap, "test_probs", None) is not None:
            view = win.digits_view
            assert view.visible_cells() > 0
            probs = np.asarray(getattr(snap, "test_probabilities", None) if getattr(
                snap, "test_probabilities", None) is not None else snap.test_probs)
            y = np.asarray(snap.dataset.y_test)
            wrong = np.argmax(probs, axis=1) != y
            # mistakes first
            shown = view.order[: view.visible_cells()]
            assert list(wrong[shown]) == sorted(wrong[shown], reverse=True)
    finally:
        win.shutdown()


def test_larger_data_with_more_features_is_a_slice_said_on_the_view(qtbot, tmp_path):
    from visualizer.engine.data import read_csv

    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 4))
    y = (X[:, 0] + X[:, 2] > 0).astype(int)
    path = tmp_path / "four.csv"
    rows = "".join(",".join(f"{v:.3f}" for v in r) + f",{k}\n" for r, k in zip(X, y, strict=True))
    path.write_text("a,b,c,d,label\n" + rows)
    ds = read_csv(path, label_column="label", train_fraction=0.5)
    win = MainWindow(Config(dataset=ds.name), use_settings=False, dataset=ds)
    qtbot.addWidget(win)
    try:
        win.resize(1366, 768)
        win.show()
        qtbot.waitExposed(win)
        snap = wait_drawn(qtbot, win, lambda s: s.dataset is ds and s.grid is not None)
        bv = win.boundary_view
        assert win.output_stack.currentWidget() is bv
        assert bv.slice_axes() == (0, 1) and bv.slice_bar.isVisible()
        note = bv.slice_note.text()
        assert "a × b" in note and "other 2 features held at their training mean" in note
        # the points are drawn at their values of the two features
        px, py = bv.train_points.getData()
        np.testing.assert_allclose(px, ds.X_train[:, 0])
        np.testing.assert_allclose(py, ds.X_train[:, 1])
        # choose feature c for the horizontal axis with the keyboard: a new slice, said on the view
        bv.slice_x.setFocus()
        qtbot.waitUntil(bv.slice_x.hasFocus, timeout=2000)
        qtbot.keyClick(bv.slice_x, Qt.Key.Key_Down)
        qtbot.keyClick(bv.slice_x, Qt.Key.Key_Down)
        snap = wait_drawn(qtbot, win, lambda s: s.grid is not None and tuple(s.grid.axes) == (2, 1))
        assert bv.slice_axes() == (2, 1) and "c × b" in bv.slice_note.text()
        px, _ = bv.train_points.getData()
        np.testing.assert_allclose(px, ds.X_train[:, 2])
        x, _y, w, _h = bv._rect(snap)
        assert x <= ds.X[:, 2].min() and x + w >= ds.X[:, 2].max()
    finally:
        win.shutdown()
