"""The loss view with any history: extreme and non-finite values, log scale, resets, millions of epochs."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from visualizer.training.snapshot import Snapshot
from visualizer.ui import loss_view
from visualizer.ui.loss_view import Envelope, LossView

FIELDS = ("train_loss", "test_loss", "train_metric", "test_metric")
MAX_POINTS = 2 * loss_view.MAX_BUCKETS + 2


def make_snap(train, test=None, metric=None, generation=1, epoch=None, stats=None, running=False, diverged=False,
              task="classification"):
    train = np.asarray(train, dtype=np.float64)
    test = train if test is None else np.asarray(test, dtype=np.float64)
    metric = np.full(len(train), 0.5) if metric is None else np.asarray(metric, dtype=np.float64)
    history = {"train_loss": train, "test_loss": test, "train_metric": metric, "test_metric": metric}
    for value in history.values():
        value.flags.writeable = False
    epoch = len(train) if epoch is None else epoch
    return Snapshot(serial=1, generation=generation, epoch=epoch, steps=25 * epoch,
                    sizes=(2, 1), activations=(), output="tanh", loss_name="square", feature_names=("x1", "x2"),
                    weights=(), biases=(), grid=None, history=history, task=task, running=running,
                    stats=stats or {}, diverged=diverged)


@pytest.fixture
def view(qtbot):
    v = LossView()
    qtbot.addWidget(v)
    v.resize(420, 320)
    v.show()
    return v


def assert_sane(v: LossView) -> None:
    """The axes' ranges are finite and bounded, ticks are few and apart, labels short (after a real paint)."""
    v.grab()  # paints: every axis generates its ticks now
    for plot in (v.loss_plot, v.metric_plot):
        (x0, x1), (y0, y1) = plot.viewRange()
        assert all(math.isfinite(t) for t in (x0, x1, y0, y1))
        assert abs(x0) < 1e9 and abs(x1) < 1e9
        if plot is v.loss_plot and v.log_scale:
            assert -400 < y0 < y1 < 400, (y0, y1)  # decades of a float64
        else:
            assert abs(y0) <= 1.1e300 and abs(y1) <= 1.1e300
        for name, (lo, hi) in (("left", (y0, y1)), ("bottom", (x0, x1))):
            axis = plot.getAxis(name)
            size = axis.geometry().height() if name == "left" else axis.geometry().width()
            levels = axis.tickValues(lo, hi, size)
            values = sorted(t for _spacing, ticks in levels for t in ticks)
            assert len(values) <= 2 * loss_view.MAX_TICKS
            labels = axis.tickStrings(values, 1.0, 1.0)
            assert all(len(s) <= 10 for s in labels), labels
            if len(values) > 1 and size > 0:
                gap = min(np.diff(values)) / (hi - lo) * size
                need = 14 if name == "left" else 60  # a label's height / a label's width
                assert gap >= need, f"labels {labels} overlap: {gap:.1f} px apart"
    for curve in (v.train_curve, v.test_curve, v.train_metric, v.test_metric):
        x, y = curve.getData()
        if x is not None and len(x):
            assert len(x) <= MAX_POINTS
            assert np.all(np.isfinite(x))
            finite = y[np.isfinite(y)]
            assert np.all(np.abs(finite) <= 1.1e300)


EXTREME = [
    [1e-300],
    [0.0],
    [1e300],
    [math.inf],
    [math.nan],
    [0.0, 0.0, 0.0],
    [1.0, 1e4, 1e5, 1e6],
    [1.0, 0.0, 1e-300, 1e300, math.inf, math.nan, -1.0, 0.5],
    [1.7e308, 5e-324, 1.0],
    [-math.inf, -1e300, 2.0],
    [5e-324],
    [1e-310, 0.0],
]


@pytest.mark.parametrize("history", EXTREME, ids=[str(h) for h in EXTREME])
def test_extreme_histories_log_on_off_then_reset(view, history):
    """The audit's freeze: a large loss, Reset, Log loss (or any order) — every redraw ends with sane axes."""
    view.update_snapshot(make_snap(history))
    assert_sane(view)
    view.set_log_scale(True)
    assert_sane(view)
    view.set_log_scale(False)
    assert_sane(view)
    view.update_snapshot(make_snap([]))  # Reset: an empty history
    assert_sane(view)
    view.set_log_scale(True)
    assert_sane(view)
    view.update_snapshot(make_snap([0.5, 0.25]))  # a short new run
    assert_sane(view)
    low, high = view.loss_range()
    assert low < math.log10(0.25) and math.log10(0.5) < high < 1.5  # refitted to the new run, not the old one
    view.update_snapshot(make_snap(history, generation=2))
    assert_sane(view)
    view.set_log_scale(False)
    view.update_snapshot(make_snap([0.5, 0.25], generation=3))
    assert_sane(view)
    assert view.loss_range()[1] < 1.1


def test_large_loss_then_reset_then_log_keeps_decades_bounded(view):
    """The exact audit sequence: loss ~1e6 on the linear scale, Reset, then Log loss."""
    view.update_snapshot(make_snap([1.0, 1e6]))
    view.update_snapshot(make_snap([]))
    view.set_log_scale(True)
    low, high = view.loss_range()
    assert -10 < low < high < 10
    assert_sane(view)


def test_log_scale_skips_nonpositive_values(view):
    view.set_log_scale(True)
    view.update_snapshot(make_snap([1.0, 0.0, 0.1, -2.0, 0.01]))
    _x, y = view.curve_data()
    assert np.isnan(y[1]) and np.isnan(y[3])
    assert y[[0, 2, 4]] == pytest.approx([0.0, -1.0, -2.0])
    assert view.loss_range()[0] <= -2.0


def test_nice_ceiling_is_finite_and_positive():
    for n in (5e-324, 1e-310, 1e-300, 0.3, 1.0, 7e200, 1.7e308, math.inf, math.nan, -1.0, 0.0):
        value = loss_view.nice_ceiling(n)
        assert math.isfinite(value) and value >= 1e-300
        if 1e-300 <= n <= 1e300:
            assert n <= value <= 10 * n


def test_tick_values_are_bounded_for_any_range():
    for lo, hi in [(-330.0, 310.0), (0.0, 1e300), (-1e300, 1e300), (0.0, 2e4), (5.0, 5.0 + 1e-9), (1.0, 1.3)]:
        for log in (False, True):
            for size in (10, 100, 1000, 5000):
                levels = loss_view.tick_values(lo, hi, size, 28, log)
                values = [t for _s, ticks in levels for t in ticks]
                assert len(values) <= 2 * loss_view.MAX_TICKS
                assert all(math.isfinite(t) for t in values)
                assert all(len(loss_view.tick_label(t, log)) <= 10 for t in values)
    assert loss_view.tick_values(0.0, math.inf, 100, 28, False) == []
    assert loss_view.tick_values(math.nan, 1.0, 100, 28, True) == []


def test_huge_loss_label_stays_narrow(view):
    """A loss of 1e256 was printed with .4f: a 257-digit label and a window ~8,000 px wide."""
    view.update_snapshot(make_snap([1.0, 1e256], test=[1.0, 1e256]))
    assert "e+256" in view.summary_text()
    assert view.minimumSizeHint().width() < 600
    assert view.summary.minimumSizeHint().width() < 600
    view.update_snapshot(make_snap([1.0, 1e256], stats={"grad_norm": [1e256, 1e-300], "saturated": [0.5]},
                                   generation=2))
    assert "e+256" in view.health.text() and len(view.health.text()) < 120
    assert view.minimumSizeHint().width() < 600


@pytest.mark.parametrize("n", [10, 5_000, 200_000, 1_000_000])
def test_curve_points_bounded_and_keep_extremes(view, n):
    rng = np.random.default_rng(n)
    train = np.exp(-np.linspace(0, 5, n)) + 0.01 * rng.random(n)
    spike = n // 3
    train[spike] = 50.0  # a single-epoch spike must stay visible
    train[(2 * n) // 3] = 1e-6  # and a single-epoch dip
    view.update_snapshot(make_snap(train))
    x, y = view.curve_data()
    assert len(x) <= MAX_POINTS
    assert np.nanmax(y) == train.max() and np.nanmin(y) == train.min()
    assert x[0] >= 1 and x[-1] <= n
    assert np.all(np.diff(x) >= 0)
    assert_sane(view)


def test_decimation_grows_incrementally_like_a_fresh_fold():
    rng = np.random.default_rng(3)
    full = rng.standard_normal(300_000)
    full[[7, 123_456, 299_999]] = [math.inf, math.nan, -math.inf]
    env = Envelope()
    for n in (100, 5_000, 64_000, 64_001, 150_000, 300_000):
        env.update(full[:n])
        x, y = env.points(full[:n])
        fresh = Envelope()
        fresh.update(full[:n])
        x2, y2 = fresh.points(full[:n])
        np.testing.assert_array_equal(x, x2)
        np.testing.assert_array_equal(y, y2)
        finite = full[:n][np.isfinite(full[:n])]
        assert np.nanmax(y) == finite.max() and np.nanmin(y) == finite.min()
        assert len(x) <= MAX_POINTS


@settings(max_examples=40, deadline=None, derandomize=True)
@given(
    values=st.lists(st.floats(allow_nan=True, allow_infinity=True, width=64), min_size=1, max_size=300),
    repeat=st.integers(1, 3000),
    max_buckets=st.integers(1, 50),
    cut=st.floats(0, 1),
)
def test_envelope_any_series(values, repeat, max_buckets, cut):
    series = np.tile(np.asarray(values, dtype=np.float64), repeat)[: 200_000]
    env = Envelope()
    env.update(series[: int(cut * len(series))])
    env.update(series)
    x, y = env.points(series, max_buckets=max_buckets)
    assert len(x) == len(y) <= 2 * max(max_buckets, len(series) if len(series) <= 2 * max_buckets else 0) + 2
    finite = series[np.isfinite(series)]
    if len(finite):
        assert np.nanmax(y) == finite.max() and np.nanmin(y) == finite.min()
    else:
        assert np.isnan(y).all()
    # another series of the same length is refolded, not mixed with the cached one
    other = -series
    env.update(other)
    _x, y_other = env.points(other, max_buckets=max_buckets)
    if len(finite):
        assert np.nanmax(y_other) == -finite.min()


def test_reset_and_rebuild_clear_everything(view):
    """After Reset the gradient-size line and the axes kept the old run's values."""
    stats = {"grad_norm": [0.1, 0.2], "saturated": [0.0], "dead": [0.0]}
    view.update_snapshot(make_snap(np.linspace(50.0, 40.0, 5000), stats=stats))
    assert view.health.text().startswith("Gradient size by layer")
    assert view.loss_range()[1] > 40
    assert view.loss_plot.viewRange()[0][1] > 4000
    # Reset: same generation, epoch 0, empty history, no step yet (the trainer still reports the old gradient)
    view.update_snapshot(make_snap([], epoch=0, running=True, stats=stats))
    assert view.health.text() == ""
    assert view.loss_range()[1] < 1.1
    assert view.loss_plot.viewRange()[0][1] < 11
    assert "–" in view.summary_text()
    x, _y = view.curve_data()
    assert x is None or len(x) == 0
    # the new run draws at once, even while running (no rate limit right after a reset)
    view.update_snapshot(make_snap([0.3, 0.2], running=True))
    assert view.loss_range()[1] < 1.1
    assert len(view.curve_data()[0]) == 2
    # a rebuild (new generation) whose history is already as long as the old one's
    view.update_snapshot(make_snap(np.linspace(50.0, 40.0, 5000), stats=stats, generation=5))
    view.update_snapshot(make_snap(np.full(6000, 0.1), generation=6))
    assert view.health.text() == ""
    assert view.loss_range()[1] < 1.1
    assert np.nanmax(view.curve_data()[1]) == pytest.approx(0.1)


def test_divergence_is_marked(view):
    train = [1.0, 10.0, 1e10, math.inf]
    view.update_snapshot(make_snap(train, diverged=True))
    assert view.diverged_line.isVisible()
    assert view.diverged_at == 4
    assert "Diverged at epoch 4" in view.summary_text()
    assert_sane(view)
    view.update_snapshot(make_snap([], epoch=0))  # Reset recovers
    assert not view.diverged_line.isVisible()
    assert "Diverged" not in view.summary_text()
    # the very first step diverged: nothing recorded yet, still marked
    view.update_snapshot(make_snap([], epoch=0, diverged=True, generation=2))
    assert view.diverged_line.isVisible() and "Diverged at epoch 1" in view.summary_text()
    assert_sane(view)
    # a step diverged in the middle of epoch 3: the history ends with epoch 2's finite loss
    view.update_snapshot(make_snap([1.0, 2.0], diverged=True))
    assert view.diverged_at == 3 and view.diverged_line.value() == 3


def test_regression_metric_range_is_finite(view):
    view.update_snapshot(make_snap([1.0, 2.0], metric=[1e300, math.inf], task="regression"))
    assert_sane(view)
    assert view.metric_plot.viewRange()[1][1] <= 1.1e300


def test_window_log_toggle_after_a_large_loss_and_reset(qtbot):
    """The audit's freeze, driven through the window: a large loss, Reset, then a click on *Log loss*."""
    from PyQt6.QtCore import Qt

    from visualizer.engine.experiment import Config
    from visualizer.ui.main_window import MainWindow

    win = MainWindow(Config(), use_settings=False)
    qtbot.addWidget(win)
    win.resize(1280, 720)
    win.show()
    try:
        view = win.loss_view
        view.update_snapshot(make_snap([1.0, 1e6, 1e256], generation=99))
        assert win.minimumSizeHint().width() < 1400  # was ~8,000 px with a 257-digit label
        view.update_snapshot(make_snap([], generation=99, epoch=0))
        box = win.display_panel.log_scale
        qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=box.rect().center())
        assert box.isChecked() and view.log_scale
        assert_sane(view)
        qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=box.rect().center())
        assert not view.log_scale
        assert_sane(view)
    finally:
        win.shutdown()


def test_a_frame_reads_only_the_new_values_not_the_whole_history():
    """The pyramid is reused: a redraw at 2M epochs folds only the epochs added since the last one.

    White-box proof (no timing): after the first fold, the settled values are changed behind the envelope's back
    (keeping the first and last, which it checks); the next frame still shows the old envelope, so it did not
    read them again.
    """
    n = 2_000_000
    y = np.linspace(1.0, 0.0, n)
    env = Envelope()
    env.update(y[: n - 1000])
    tampered = y.copy()
    tampered[1 : n - 2000] = 5.0
    env.update(tampered)
    _x, values = env.points(tampered)
    assert len(values) <= MAX_POINTS
    assert np.nanmax(values) == 1.0  # the 5.0s in the settled prefix were never read


def test_window_reset_key_clears_the_loss_view(qtbot):
    """Train, press R: the loss view shows the new run only (health line empty until new statistics)."""
    from PyQt6.QtCore import Qt

    from visualizer.engine.experiment import Config
    from visualizer.ui.main_window import MainWindow

    win = MainWindow(Config(), use_settings=False)
    qtbot.addWidget(win)
    win.resize(1280, 720)
    win.show()
    qtbot.waitExposed(win)
    try:
        view = win.loss_view
        win.controller.play()
        qtbot.waitUntil(lambda: view._n >= 20 and view.health.text() != "", timeout=20_000)
        win.controller.pause()
        qtbot.waitUntil(lambda: win.controller.latest is not None and not win.controller.latest.running,
                        timeout=20_000)
        assert view.loss_plot.viewRange()[0][1] > 19
        win.activateWindow()
        qtbot.keyClick(win, Qt.Key.Key_R)
        qtbot.waitUntil(lambda: win.controller.latest.epoch == 0 and win._drawn_serial >= win.controller.latest.serial,
                        timeout=20_000)
        assert view._n == 0
        assert view.health.text() == ""
        assert view.loss_plot.viewRange()[0][1] < 11
        x, _y = view.curve_data()
        assert x is None or len(x) == 0
        assert_sane(view)
    finally:
        win.shutdown()
