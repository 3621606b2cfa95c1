"""What a frame repaints (issue 8): a new snapshot redraws what changed and nothing else.

Each guard here is a cost that was measured in a frame of the live window (``benchmarks/frame_cost.py``) and
removed: data points and axes repainted under every new map, an empty stroke preview painted every frame, a tab bar
and toolbar laid out and repainted by unchanged settings or a counter, a speed line rewritten 60 times a second,
plots resized by a summary that wraps differently, synapse lines re-rasterised on every frame.
"""

from __future__ import annotations

import collections
import time

import numpy as np
import pyqtgraph as pg
import pytest
from PyQt6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PyQt6.QtWidgets import QApplication

from visualizer.engine.experiment import Config, build
from visualizer.engine.features import FEATURES
from visualizer.training.snapshot import Snapshot
from visualizer.ui.network_layout import SYNAPSE_REBIN_INTERVAL_S
from visualizer.ui.network_render import weight_codes
from visualizer.ui.window_status import STATUS_INTERVAL_S


def snapshots(n: int, hidden=(8, 8), serial: int = 100_000, running: bool = True, learning_rate: float = 0.3):
    """``n`` snapshots one epoch apart of the window's default data (new weights, maps and loss in each)."""
    exp = build(Config(features=tuple(FEATURES)[:2], hidden=hidden, learning_rate=learning_rate))
    out = []
    for i in range(n):
        exp.trainer.run_epoch()
        out.append(Snapshot.of(exp, serial=serial + i, running=running, epochs_per_s=100.0, steps_per_s=2500.0))
    return out


def draw(win, snap) -> None:
    """One frame as the window draws it: the views, then Qt's posted events (the repaint)."""
    win.draw(snap)
    QCoreApplication.sendPostedEvents()
    QApplication.processEvents()


class EventCounter(QObject):
    """Counts events of some types per watched object."""

    def __init__(self, types):
        super().__init__()
        self.types = set(types)
        self.counts: collections.Counter = collections.Counter()

    def eventFilter(self, obj, event):
        if event.type() in self.types:
            self.counts[(id(obj), event.type())] += 1
        return False

    def of(self, obj, kind) -> int:
        return self.counts[(id(obj), kind)]


@pytest.fixture
def paints(monkeypatch):
    """Counts ``paint`` calls of scatter, axis and image items, per item."""
    counts: collections.Counter = collections.Counter()
    for cls in (pg.ScatterPlotItem, pg.AxisItem, pg.ImageItem):
        original = cls.paint

        def counted(self, *args, _original=original):
            counts[id(self)] += 1
            return _original(self, *args)

        monkeypatch.setattr(cls, "paint", counted)
    return counts


def test_a_new_map_repaints_neither_the_points_nor_the_axes(qtbot, window, paints):
    snaps = snapshots(6)
    view = window.boundary_view
    draw(window, snaps[0])  # the caches fill here
    qtbot.wait(20)
    paints.clear()
    for snap in snaps[1:]:
        draw(window, snap)
    assert paints[id(view.image)] >= 1, "the map itself is redrawn"
    assert paints[id(view.train_points)] == 0, "the points are blitted from their cache"
    for name in ("left", "bottom"):
        assert paints[id(view.plot.getAxis(name))] == 0, name
    preview = window.data_editor.preview
    assert not preview.isVisible() and paints[id(preview)] == 0, "no stroke: the preview is hidden"


def test_a_stroke_shows_its_preview_and_hides_it_when_done(qtbot, window):
    editor = window.data_editor
    editor.act_draw.setChecked(True)
    vp = window.boundary_view.plot.viewport()
    centre = vp.rect().center()
    from PyQt6.QtTest import QTest

    QTest.mousePress(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, centre)
    QTest.mouseMove(vp, centre + centre / 8)
    assert editor.preview.isVisible()
    QTest.mouseRelease(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, centre + centre / 8)
    assert not editor.preview.isVisible()


def test_counters_and_unchanged_settings_do_not_lay_out_or_repaint_the_bars(qtbot, window):
    snaps = snapshots(8)
    counter = EventCounter({QEvent.Type.LayoutRequest, QEvent.Type.Paint})
    toolbar, tabbar = window.training_toolbar, window.loss_tabs.tabBar()
    for obj in (toolbar, tabbar, window.epoch_label):
        obj.installEventFilter(counter)
    try:
        draw(window, snaps[0])
        counter.counts.clear()
        for snap in snaps[1:]:
            draw(window, snap)
    finally:
        for obj in (toolbar, tabbar, window.epoch_label):
            obj.removeEventFilter(counter)
    assert window.epoch_label.text() == f"Epoch {snaps[-1].epoch:07,d}"
    assert counter.of(window.epoch_label, QEvent.Type.Paint) >= 1, "the counter itself is repainted"
    assert counter.of(toolbar, QEvent.Type.LayoutRequest) == 0, "a new count does not lay out the toolbar"
    assert counter.of(tabbar, QEvent.Type.Paint) == 0, "an unchanged tab state does not repaint the tab bar"
    label = window.epoch_label
    assert label.width() >= label.sizeHint().width(), "the fixed size fits the count"
    assert window._timer.timerType() == Qt.TimerType.PreciseTimer  # a coarse timer fires up to 5 % late


def test_a_longer_count_widens_the_epoch_label(qtbot, window):
    snap = snapshots(1)[0]
    import dataclasses

    draw(window, snap)
    narrow = window.epoch_label.width()
    draw(window, dataclasses.replace(snap, serial=snap.serial + 1, epoch=123_456_789))
    assert window.epoch_label.text() == "Epoch 123,456,789"
    assert window.epoch_label.width() > narrow
    assert window.epoch_label.width() >= window.epoch_label.sizeHint().width()


def test_the_speed_line_changes_at_a_readable_pace_while_training_and_at_once_when_paused(qtbot, window):
    import dataclasses

    base = snapshots(1)[0]
    changes, last, t0 = 0, window.speed_label.text(), time.perf_counter()
    for i in range(40):
        draw(window, dataclasses.replace(base, serial=base.serial + i, epoch=base.epoch + 7 * i,
                                         steps=base.steps + 175 * i))
        if window.speed_label.text() != last:
            changes, last = changes + 1, window.speed_label.text()
        qtbot.wait(10)
    elapsed = time.perf_counter() - t0
    assert 1 <= changes <= 2 + elapsed / STATUS_INTERVAL_S, (changes, elapsed)
    draw(window, dataclasses.replace(base, serial=base.serial + 100, running=False))
    assert window.speed_label.text().startswith("Paused")


def test_synapses_are_redrawn_every_other_frame_while_training_and_at_once_when_paused(qtbot, window):
    import dataclasses

    snaps = snapshots(12)
    net = window.network_view
    draw(window, snaps[0])
    qtbot.wait(int(1000 * SYNAPSE_REBIN_INTERVAL_S) + 10)
    rebins = 0
    t0 = time.perf_counter()
    for snap in snaps[1:]:
        before = net._last_rebin
        draw(window, snap)
        rebins += net._last_rebin != before
    elapsed = time.perf_counter() - t0
    assert rebins <= 1 + elapsed / SYNAPSE_REBIN_INTERVAL_S
    paused = dataclasses.replace(snaps[-1], serial=snaps[-1].serial + 1, running=False)
    draw(window, paused)
    expected = weight_codes(np.concatenate([np.ravel(w) for w in paused.weights]), net._weight_scale)
    np.testing.assert_array_equal(net._codes, expected)  # the paused network's own synapses, drawn now


def test_new_figures_in_the_loss_summary_do_not_resize_the_plots(qtbot, window):
    snaps = snapshots(6)
    counter = EventCounter({QEvent.Type.Resize})
    graphics = window.loss_view.graphics
    draw(window, snaps[0])
    qtbot.wait(50)
    summary = window.loss_view.summary
    line = summary.fontMetrics().lineSpacing()
    assert summary.height() >= 2 * line, "room for two lines from the start"
    graphics.installEventFilter(counter)
    try:
        for snap in snaps[1:]:
            qtbot.wait(120)  # the loss view redraws at most ten times a second
            draw(window, snap)
    finally:
        graphics.removeEventFilter(counter)
    assert summary.text() != ""
    assert counter.of(graphics, QEvent.Type.Resize) == 0
    # a summary that needs one line less or more does not move the plots either
    top = graphics.geometry()
    for text in ("short", "a longer summary, " * 4):
        summary.setText(text)
        qtbot.wait(20)
        assert graphics.geometry() == top, text
