"""File ▸ Import data… and Export data…, driven through the real dialog's widgets: a good file replaces the data,
a malformed one leaves the session exactly as it was with the problem (and its line) named in the dialog."""

from __future__ import annotations

import numpy as np
import pytest
from PyQt6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PyQt6.QtGui import QDragEnterEvent, QDropEvent
from PyQt6.QtWidgets import QApplication
from window_helpers import TIMEOUT, wait_snapshot

from visualizer.engine.data import read_csv

LEFT = Qt.MouseButton.LeftButton


def open_import(qtbot, win, path):
    """File ▸ Import data… with the file chooser answered by ``path``."""
    win.choose_import_path = lambda: str(path)
    win.act_import.trigger()
    dialog = win.import_dialog
    qtbot.waitExposed(dialog)
    return dialog


def toggle_feature(qtbot, dialog, name: str) -> None:
    """Tick or untick a feature column as a user does: select it, press Space."""
    lst = dialog.features
    item = lst.findItems(name, Qt.MatchFlag.MatchExactly)[0]
    lst.setFocus()
    lst.setCurrentItem(item)
    qtbot.keyClick(lst.viewport(), Qt.Key.Key_Space)


def run_some_epochs(qtbot, win, epochs=5):
    win.controller.play()
    wait_snapshot(qtbot, win, lambda s: s.epoch >= epochs)
    win.controller.pause()
    return wait_snapshot(qtbot, win, lambda s: not s.running)


def write_table(path, n=120, seed=0):
    rng = np.random.default_rng(seed)
    rows = ["id,width,height,weight,kind"]
    for i in range(n):
        w, h, m = rng.normal(0, 1, 3)
        kind = "big" if w + h > 0 else "small"
        rows.append(f"item{i},{w * 3 + 10:.4f},{h * 2 - 5:.4f},{m:.4f},{kind}")
    path.write_text("\n".join(rows) + "\n")
    return path


def test_import_through_the_dialog_replaces_the_data(qtbot, window, tmp_path):
    path = write_table(tmp_path / "shapes.csv")
    before = run_some_epochs(qtbot, window)
    dialog = open_import(qtbot, window, path)
    # the preview: the first rows, the guessed label column and task; the text column is no feature
    assert dialog.table.rowCount() == 10 and dialog.table.columnCount() == 5
    assert dialog.table.item(0, 0).text() == "item0"
    assert dialog.label_column.currentText() == "kind"
    assert dialog.task.currentData() == "classification"
    assert dialog.feature_columns() == [1, 2, 3]
    toggle_feature(qtbot, dialog, "weight")  # untick: two inputs, a plane
    assert dialog.feature_columns() == [1, 2]
    dialog.normalization.setCurrentIndex(dialog.normalization.findData("standard"))
    qtbot.mouseClick(dialog.import_button, LEFT)
    assert not dialog.isVisible()
    snap = wait_snapshot(qtbot, window, lambda s: s.dataset is not None and s.dataset.name == "shapes")
    ds = snap.dataset
    assert snap.generation > before.generation and snap.epoch == 0  # a new network for the new problem
    assert ds.n_samples == 120 and ds.n_features == 2 and ds.class_names == ("big", "small")
    assert ds.feature_names == ("width", "height")
    np.testing.assert_allclose(ds.X_train.mean(axis=0), 0.0, atol=1e-9)  # standardized on the training rows
    assert ds.domain is not None  # two inputs: drawn on the map, and the drawing tool works on it
    qtbot.waitUntil(lambda: window.data_editor.dataset is ds, timeout=TIMEOUT)
    assert window.data_editor.act_draw.isEnabled()


def test_import_regression_with_more_inputs(qtbot, window, tmp_path):
    path = write_table(tmp_path / "weights.csv")
    dialog = open_import(qtbot, window, path)
    dialog.label_column.setCurrentIndex(dialog.label_column.findText("weight"))
    assert 3 not in dialog.feature_columns()  # the label column is no feature
    dialog.task.setCurrentIndex(dialog.task.findData("regression"))
    dialog.normalization.setCurrentIndex(dialog.normalization.findData("minmax"))
    qtbot.mouseClick(dialog.import_button, LEFT)
    snap = wait_snapshot(qtbot, window, lambda s: s.dataset is not None and s.dataset.name == "weights")
    assert snap.task == "regression" and snap.sizes[0] == 2
    assert snap.dataset.X_train.min() == pytest.approx(0.0) and snap.dataset.X_train.max() == pytest.approx(1.0)


BAD_FILES = {
    "ragged": ("a,b,label\n1,2,x\n3,4,y\n5,6\n7,8,x\n", "line 4"),
    "text feature": ("a,b,label\n1,2,x\n3,oops,y\n5,6,x\n", "line 3"),
    "nan": ("a,b,label\n1,2,x\n3,nan,y\n5,6,x\n", "line 3"),
    "one class": ("a,b,label\n1,2,x\n3,4,x\n5,6,x\n", "one class"),
}


def test_a_malformed_file_leaves_the_session_untouched(qtbot, window, tmp_path):
    before = run_some_epochs(qtbot, window)
    for kind, (text, where) in BAD_FILES.items():
        path = tmp_path / f"bad {kind}.csv"
        path.write_text(text)
        dialog = open_import(qtbot, window, path)
        if 1 not in dialog.feature_columns():  # the preview saw no numbers there: tick it anyway, as a user might
            toggle_feature(qtbot, dialog, "b")
        assert dialog.feature_columns() == [0, 1]
        qtbot.mouseClick(dialog.import_button, LEFT)
        assert dialog.isVisible() and dialog.has_error(), kind
        assert where in dialog.message.text(), (kind, dialog.message.text())
        qtbot.wait(100)
        after = window.controller.latest
        assert after.dataset is before.dataset and after.generation == before.generation
        assert after.epoch == before.epoch and len(after.history["train_loss"]) == len(before.history["train_loss"])
        for w0, w1 in zip(before.weights, after.weights, strict=True):
            np.testing.assert_array_equal(w0, w1)
        dialog.reject()
        assert not dialog.isVisible()
    assert window.controller.latest.dataset is before.dataset


def test_an_unreadable_file_is_refused_in_the_dialog(qtbot, window, tmp_path):
    path = tmp_path / "binary.csv"
    path.write_bytes(b"\xff\xfe\x00\x01garbage\x00\x9c")
    dialog = open_import(qtbot, window, path)
    assert dialog.has_error() and not dialog.import_button.isEnabled()
    missing = open_import(qtbot, window, tmp_path / "missing.csv")
    assert not dialog.isVisible()  # the new dialog replaced it
    assert missing.has_error()
    missing.reject()


def test_dropping_a_csv_on_the_window_opens_the_dialog(qtbot, window, tmp_path):
    path = write_table(tmp_path / "dropped.csv")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    enter = QDragEnterEvent(QPoint(50, 50), Qt.DropAction.CopyAction, mime, LEFT, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(50, 50), Qt.DropAction.CopyAction, mime, LEFT, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, drop)
    dialog = window.import_dialog
    assert dialog.isVisible() and dialog.path == str(path)
    dialog.reject()
    # dropped on a view inside the window: the window takes it too
    target = window.boundary_view.plot.viewport()
    enter = QDragEnterEvent(QPoint(50, 50), Qt.DropAction.CopyAction, mime, LEFT, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(50, 50), Qt.DropAction.CopyAction, mime, LEFT, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, drop)
    assert window.import_dialog is not dialog and window.import_dialog.isVisible()
    window.import_dialog.reject()
    other = QMimeData()
    other.setUrls([QUrl.fromLocalFile(str(tmp_path / "picture.png"))])
    enter = QDragEnterEvent(QPoint(50, 50), Qt.DropAction.CopyAction, other, LEFT, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, enter)
    assert not enter.isAccepted()


def test_export_writes_training_and_test_points_labelled(qtbot, window, tmp_path):
    path = tmp_path / "out.csv"
    window.choose_export_path = lambda: str(path)
    window.act_export.trigger()
    ds = window.data_editor.dataset
    back = read_csv(path, task=ds.task, class_names=ds.class_names, shuffle=False)
    assert back.n_train == ds.n_train and back.n_samples == ds.n_samples
    np.testing.assert_array_equal(back.X, ds.X)
    np.testing.assert_array_equal(back.y, ds.y)
    window.choose_export_path = lambda: str(tmp_path / "no" / "such" / "dir.csv")
    window.act_export.trigger()
    assert "Could not export" in window.statusBar().currentMessage()
