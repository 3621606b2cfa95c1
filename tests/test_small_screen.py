"""A laptop screen (1280×720, 1366×768): the loss curve stays readable. The loss plot gets a sane height (the
drawing strip is one row until drawing is on, the display options two rows, the summary two lines) and, when
the loss panel is short, the accuracy plot gives way to it (its value stays in the summary) instead of two plots
of a few pixels whose axis titles overlap."""

from __future__ import annotations

import pytest
from PyQt6.QtCore import QRect, Qt

from visualizer.engine.experiment import Config
from visualizer.ui.main_window import MainWindow

MIN_PLOT_HEIGHT = 90


def open_window(qtbot, size):
    win = MainWindow(Config(), use_settings=False)
    qtbot.addWidget(win)
    win.fit_to_screen(QRect(0, 0, *size))
    win.show()
    qtbot.waitExposed(win)
    return win


def plot_height(plot) -> float:
    return plot.getViewBox().sceneBoundingRect().height()


def shown_plots(view):
    return [p for p in (view.loss_plot, view.metric_plot) if p.isVisible()]


def axis_titles(view):
    return [p.getAxis("left").label.sceneBoundingRect() for p in shown_plots(view)]


@pytest.mark.parametrize("size", [(1280, 720), (1366, 768)])
def test_loss_plot_is_readable_on_a_laptop_screen(qtbot, size):
    win = open_window(qtbot, size)
    try:
        view = win.loss_view
        # a trained epoch: the summary has its two lines, and the accuracy (a plot or not) is in it
        qtbot.waitUntil(lambda: win.controller.latest is not None, timeout=20_000)
        qtbot.keyClick(win.network_view, Qt.Key.Key_Right)
        qtbot.waitUntil(lambda: "Test accuracy" in view.summary_text() and "%" in view.summary_text(),
                        timeout=20_000)
        qtbot.waitUntil(lambda: plot_height(view.loss_plot) >= MIN_PLOT_HEIGHT, timeout=3000)
        titles = axis_titles(view)
        for i, a in enumerate(titles):  # no "accuracyloss": the axis titles stay apart
            assert not any(a.intersects(b) for b in titles[i + 1:]), titles
        for plot in shown_plots(view):  # each title fits along its own plot
            title = plot.getAxis("left").label.sceneBoundingRect()
            assert title.height() <= plot.sceneBoundingRect().height() + 1
        assert view.summary.height() <= 3 * view.summary.fontMetrics().height()  # two lines (plus padding)
    finally:
        win.shutdown()


def test_both_plots_on_the_default_size(qtbot):
    win = open_window(qtbot, (1920, 1080))
    try:
        view = win.loss_view
        qtbot.waitUntil(lambda: view.metric_plot.isVisible() and plot_height(view.metric_plot) > 40, timeout=3000)
        assert plot_height(view.loss_plot) >= MIN_PLOT_HEIGHT
        a, b = axis_titles(view)
        assert not a.intersects(b)
    finally:
        win.shutdown()


def test_drawing_strip_is_one_row_until_drawing_is_on(qtbot):
    win = open_window(qtbot, (1280, 720))
    try:
        editor = win.data_editor
        qtbot.waitUntil(editor.act_draw.isEnabled, timeout=20_000)  # (the first snapshot brings the data)
        assert editor.draw_button.isVisible() and editor.undo_button.isVisible()
        assert not editor.erase_button.isVisible() and not editor.tools_row.isVisible()
        qtbot.mouseClick(editor.draw_button, Qt.MouseButton.LeftButton)
        assert editor.act_draw.isChecked()
        assert editor.erase_button.isVisible() and editor.clear_button.isVisible() and editor.klass.isVisible()
        qtbot.mouseClick(editor.draw_button, Qt.MouseButton.LeftButton)
        assert not editor.tools_row.isVisible()
    finally:
        win.shutdown()
