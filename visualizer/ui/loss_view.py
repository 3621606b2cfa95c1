"""Loss and accuracy per epoch.

Two stacked plots share the epoch axis: the loss (training grey, test dark; log scale on a toggle) and the
accuracy (classification) or RMSE (regression).

Safe for any history
--------------------
A loss can be anything from exactly 0 to ±inf or NaN, and a run can last ten million epochs. So:

* **Decimation.** No curve is ever handed more than ``2 × MAX_BUCKETS + 2`` points. The history is cut into
  buckets of a power-of-two number of epochs and each bucket is drawn as its minimum and maximum (the envelope),
  so every peak, the global minimum and the global maximum stay visible. Buckets of 64 epochs and more come from
  an :class:`Envelope` pyramid that is folded incrementally as the (append-only) history grows, so a frame at
  10M epochs costs about what a frame at 1,000 does (``benchmarks/loss_view.py`` measures it).
* **Log scale done here, not by pyqtgraph.** pyqtgraph's log axis generates ticks for every decade of its range
  (and minor ticks in each); a range left over from the linear scale (0 … 20,000 read as decades) froze the
  window for seconds, used gigabytes and crashed at larger losses. This view takes ``log10`` itself (values ≤ 0
  and non-finite values are gaps), clamps every range to finite limits, sets the range on every reset and every
  switch, and draws axes whose ticks are bounded by :class:`NumberAxis` (a few per axis, labels by
  :func:`~visualizer.ui.numbers.format_number`, so none overlaps and none grows with the value).
* **Resets.** A new generation (rebuild), a shorter history or epoch 0 (Reset) clears everything: curves, cached
  envelopes, ranges, the health line, the divergence marker.
* **Divergence.** A diverged run gets a red marker at the epoch where it stopped and a note in the summary.

Performance notes
-----------------
Profiling the live window on Playground's largest network showed the axes, not the curves, dominating a frame:
when the epoch range grows every frame, each axis regenerates its ticks and grid (about 10 ms per frame for the
four axes). So the axes change in steps (1, 2, 5 × 10ⁿ; decades on a log scale) rather than with every value,
and while training runs the view redraws at most ``MAX_RATE`` times a second — a loss curve needs no 60 frames
per second; the final state is always drawn. Curves use 1-px cosmetic pens: Qt's raster engine strokes a 2-px
antialiased path of ~1000 points about 5× slower (3.7 ms vs 0.7 ms for two curves, measured).
"""

from __future__ import annotations

import math
import time

import numpy as np
import pyqtgraph as pg
from PyQt6.QtCore import QSize
from PyQt6.QtGui import QTextDocumentFragment
from PyQt6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from ..training.snapshot import Snapshot
from .elided_label import ElidedLabel
from .numbers import format_number

MAX_RATE = 10.0
"""Redraws per second while training runs."""

MAX_BUCKETS = 2000
"""At most this many min/max buckets per curve (plus one partial bucket): about a wide screen's pixel width."""

LINEAR_LIMIT = 1e300
"""Values drawn on a linear axis are clipped to ±this, so that ranges and their padding stay finite."""

TWO_PLOTS_HEIGHT = 200
"""The loss and the accuracy/RMSE plot are both drawn from this plot-area height up, else the loss plot only."""

MAX_TICKS = 8
"""Labelled ticks per axis at most (fewer on a short axis: ``TICK_PIXELS`` apart at least)."""

TICK_PIXELS = {"left": 18, "right": 18, "bottom": 70, "top": 70}

TRAIN_COLOR = "#8c8c8c"
TEST_COLOR = "#1f1f1f"
DIVERGED_COLOR = "#c62828"

_KEY = "<span style='color:{}'>━</span>&nbsp;"
"""A stroke in a curve's colour before its name in the summary line (the plot has no legend)."""

FIELDS = ("train_loss", "test_loss", "train_metric", "test_metric")
DEFAULT_LINEAR = (0.0, 1.0)
DEFAULT_LOG = (-2.0, 1.0)
DEFAULT_EPOCHS = (0.0, 10.0)


def nice_ceiling(n: float) -> float:
    """The smallest of … 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50 … that is ≥ ``n`` (1 for n ≤ 0 or NaN).

    Always finite and within ``1 / LINEAR_LIMIT … LINEAR_LIMIT``, so that a range built on it has a usable span.
    """
    if not n > 0:
        return 1.0
    if n >= LINEAR_LIMIT:
        return LINEAR_LIMIT
    if n <= 1.0 / LINEAR_LIMIT:  # subnormal values would give a zero or subnormal span
        return 1.0 / LINEAR_LIMIT
    exponent = 10.0 ** math.floor(math.log10(n))
    for factor in (1.0, 2.0, 5.0, 10.0):
        if factor * exponent >= n:
            return factor * exponent
    return 10.0 * exponent


def health_text(stats: dict) -> str:
    """One line on the network's health from :meth:`Trainer.statistics` (empty without statistics)."""
    if not stats or not stats.get("grad_norm"):
        return ""
    norms = " · ".join(format_number(g, 2) for g in stats["grad_norm"])
    parts = [f"Gradient size by layer: {norms}"]
    saturated = stats.get("saturated") or []
    if any(saturated):
        parts.append(f"saturated: up to {format_number(100 * max(saturated), 2)} % of a layer")
    dead = stats.get("dead") or []
    if any(dead):
        parts.append(f"dead ReLUs: up to {format_number(100 * max(dead), 2)} % of a layer")
    return "   ".join(parts)


def _same(a: float, b: float) -> bool:
    return a == b or (a != a and b != b)


class Envelope:
    """Incremental min/max pyramid of one append-only series.

    Level ``i`` holds the minimum and maximum of each complete block of ``2 ** (BASE + i)`` values; levels are
    folded from the level below as the series grows, so :meth:`update` costs O(new values) and :meth:`points`
    O(buckets + one bucket). Non-finite values are left out of the envelope (NaN where a block has none).
    A series that no longer starts with the values folded so far (a new run) is detected and refolded.
    """

    BASE = 6

    def __init__(self) -> None:
        self.clear()

    def clear(self) -> None:
        self._mins: list[np.ndarray] = []
        self._maxs: list[np.ndarray] = []
        self._counts: list[int] = []
        self._settled = 0  # values folded into level 0
        self._first = math.nan
        self._last = math.nan

    def _matches(self, y: np.ndarray) -> bool:
        if self._settled == 0:
            return True
        return (len(y) >= self._settled and _same(float(y[0]), self._first)
                and _same(float(y[self._settled - 1]), self._last))

    def _append(self, level: int, mins: np.ndarray, maxs: np.ndarray) -> None:
        if level == len(self._counts):
            self._mins.append(np.empty(max(16, 2 * len(mins))))
            self._maxs.append(np.empty(max(16, 2 * len(mins))))
            self._counts.append(0)
        c, k = self._counts[level], len(mins)
        if c + k > len(self._mins[level]):
            size = max(2 * (c + k), 16)
            for store in (self._mins, self._maxs):
                grown = np.empty(size)
                grown[:c] = store[level][:c]
                store[level] = grown
        self._mins[level][c:c + k] = mins
        self._maxs[level][c:c + k] = maxs
        self._counts[level] = c + k

    def update(self, y: np.ndarray) -> None:
        """Fold the complete blocks of ``y`` not folded yet (refold from scratch if ``y`` is another series)."""
        if not self._matches(y):
            self.clear()
        full = (len(y) >> self.BASE) << self.BASE
        if full > self._settled:
            block = _finite(y[self._settled:full]).reshape(-1, 1 << self.BASE)
            self._append(0, np.fmin.reduce(block, axis=1), np.fmax.reduce(block, axis=1))
            self._settled = full
            self._first, self._last = float(y[0]), float(y[full - 1])
            level = 1
            while level < 48:
                below = self._counts[level - 1]
                have = self._counts[level] if level < len(self._counts) else 0
                want = below >> 1
                if want <= have:  # nothing new here, so nothing new above either
                    break
                lo = self._mins[level - 1][2 * have:2 * want].reshape(-1, 2)
                hi = self._maxs[level - 1][2 * have:2 * want].reshape(-1, 2)
                self._append(level, np.fmin.reduce(lo, axis=1), np.fmax.reduce(hi, axis=1))
                level += 1

    def points(self, y: np.ndarray, max_buckets: int = MAX_BUCKETS) -> tuple[np.ndarray, np.ndarray]:
        """``(x, values)`` to draw for ``y`` (epochs from 1): all values when few, else min/max per bucket.

        Call :meth:`update` with the same ``y`` first. Non-finite values come back as NaN (gaps).
        """
        n = len(y)
        if n <= 2 * max_buckets:
            return np.arange(1, n + 1, dtype=np.float64), _finite(y)
        shift = max(0, math.ceil(math.log2(n / max_buckets)))
        while (n + (1 << shift) - 1) >> shift > max_buckets:  # guard against rounding in log2
            shift += 1
        size = 1 << shift
        nb = n >> shift
        level = shift - self.BASE
        if level >= 0 and level < len(self._counts) and self._counts[level] >= nb and self._matches(y):
            mins, maxs = self._mins[level][:nb], self._maxs[level][:nb]
        else:  # small buckets (n < 64 × max_buckets): direct, O(n) on at most ~128k values
            block = _finite(y[:nb * size]).reshape(nb, size)
            mins, maxs = np.fmin.reduce(block, axis=1), np.fmax.reduce(block, axis=1)
        tail = _finite(y[nb * size:])
        if len(tail):
            mins = np.append(mins, np.fmin.reduce(tail))
            maxs = np.append(maxs, np.fmax.reduce(tail))
        starts = np.arange(len(mins), dtype=np.float64) * size + 1.0
        ends = np.minimum(starts + (size - 1), n)
        x = np.repeat(0.5 * (starts + ends), 2)
        values = np.empty(2 * len(mins))
        values[0::2] = mins
        values[1::2] = maxs
        return x, values


def _finite(y: np.ndarray) -> np.ndarray:
    """A float64 copy of ``y`` with non-finite values as NaN."""
    out = np.array(y, dtype=np.float64)
    out[~np.isfinite(out)] = np.nan
    return out


def to_display(values: np.ndarray, log: bool) -> np.ndarray:
    """Values as drawn: log10 on a log axis (≤ 0 → NaN gap), clipped to ±``LINEAR_LIMIT`` on a linear one."""
    if log:
        out = np.full(values.shape, np.nan)
        positive = values > 0  # NaN compares False
        out[positive] = np.log10(values[positive])
        return out
    return np.clip(values, -LINEAR_LIMIT, LINEAR_LIMIT)


def fit_range(displayed: list[np.ndarray], log: bool) -> tuple[float, float]:
    """A stepped, finite range holding every finite displayed value (log: whole decades, at least one)."""
    finite = [v[np.isfinite(v)] for v in displayed]
    finite = [v for v in finite if len(v)]
    if not finite:
        return DEFAULT_LOG if log else DEFAULT_LINEAR
    lo = min(float(v.min()) for v in finite)
    hi = max(float(v.max()) for v in finite)
    if log:
        lo, hi = float(math.floor(lo)), float(math.ceil(hi))
        return (lo, max(hi, lo + 1.0))
    top = nice_ceiling(hi * 1.05) if hi > 0 else 1.0
    bottom = -nice_ceiling(-lo * 1.05) if lo < 0 else 0.0
    return (bottom, top)


class NumberAxis(pg.AxisItem):
    """An axis with a bounded number of ticks and labels from :func:`format_number`.

    With ``log`` set, the values are decades (``log10`` of the data) and labelled as powers of ten.
    """

    def __init__(self, orientation: str, **kwargs):
        super().__init__(orientation, **kwargs)
        self.log = False
        self.integer = orientation in ("bottom", "top")
        self.enableAutoSIPrefix(False)

    def tickValues(self, minVal, maxVal, size):
        return tick_values(minVal, maxVal, size, TICK_PIXELS[self.orientation], self.log)

    def tickStrings(self, values, scale, spacing):
        return [tick_label(v, self.log, self.integer) for v in values]


def tick_values(lo: float, hi: float, size: float, min_pixels: float, log: bool) -> list:
    """pyqtgraph's ``[(spacing, values)]`` for an axis ``size`` pixels long showing ``lo … hi``.

    At most ``MAX_TICKS + 1`` values, at least about ``min_pixels`` apart (so labels cannot overlap), finite.
    """
    if not (math.isfinite(lo) and math.isfinite(hi) and math.isfinite(size)) or hi <= lo or size <= 0:
        return []
    span = hi - lo
    # the smallest 1-2-5 step whose ticks are min_pixels apart, and no more than MAX_TICKS steps
    spacing = max(nice_ceiling(span * min_pixels / size), nice_ceiling(span / MAX_TICKS))
    if log:
        spacing = max(1.0, spacing)
    if not (math.isfinite(spacing) and spacing > 0):
        return []
    first = math.ceil(lo / spacing)
    count = int(math.floor(hi / spacing) - first) + 1
    if count <= 0 or count > MAX_TICKS + 1:
        return []
    values = [(first + i) * spacing for i in range(count)]
    if log and span < 1.5 and size * math.log10(2) / span >= min_pixels:  # within about a decade: 2× and 5× too
        extra = [math.log10(m) + d for d in range(math.floor(lo), math.ceil(hi)) for m in (2, 5)]
        values = sorted(set(values) | {v for v in extra if lo <= v <= hi})
    return [(spacing, values)]


def tick_label(value: float, log: bool, integer: bool = False) -> str:
    """The label of one tick: a bounded-length number (log: ``value`` is a decade)."""
    if log:
        if not abs(value) < 400:  # beyond float64's decades: never shown by this view
            return ""
        k = round(value)
        if abs(value - k) < 1e-9:
            return format_number(10.0 ** k) if -3 <= k <= 4 else f"1e{k}"
        return format_number(10.0 ** value, 2) if value < 308 else ""
    if integer and abs(value) < 1e6 and value == int(value):
        return str(int(value))
    return format_number(value, 3)


def r_squared(snap) -> float:
    """The test set's coefficient of determination R² = 1 − MSE / Var(target) of a regression (NaN otherwise).

    The snapshot's own ``r2`` when it has one (the trainer's figure); else from the last test RMSE and the test
    targets' variance (the training set's when there is no test set)."""
    if getattr(snap, "task", None) != "regression":
        return math.nan
    r2 = getattr(snap, "r2", None)
    if r2 is not None:
        return float(r2)
    ds = getattr(snap, "dataset", None)
    if ds is None:
        return math.nan
    test = ds.n_samples > ds.n_train
    rmse = snap.last("test_metric" if test else "train_metric")
    y = np.asarray(ds.y_test if test else ds.y_train, dtype=np.float64)
    var = float(np.var(y)) if y.size else math.nan
    if not (math.isfinite(rmse) and var > 0):
        return math.nan
    return 1.0 - rmse * rmse / var


class LossView(QWidget):
    """Training and test loss, and accuracy or RMSE, per epoch."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.summary = QLabel("Test loss –   Training loss –")
        self.summary.setToolTip("Loss on the held-out test data and on the training data after the last epoch.")
        self.summary.setStyleSheet("font-size: 9pt; color: #222; padding: 1px 4px;")  # two lines in a laptop's panel
        self.summary.setWordWrap(True)
        self.summary.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        # room for two lines from the start: new figures that wrap differently do not resize the plots under them
        # (a resize lays out and repaints the whole panel, ~3 ms, ten times a second while training)
        self.summary.ensurePolished()
        self.summary.setMinimumHeight(2 * self.summary.fontMetrics().lineSpacing() + 4)
        self.health = ElidedLabel("", tooltip=(  # one line (elided when narrow): the plots need the height
            "Network health after the last step. Gradient size per weight layer (inputs → output): tiny values\n"
            "in the first layers mean vanishing gradients. Saturated: tanh/sigmoid outputs stuck near their\n"
            "limits, where they learn slowly. Dead: ReLU units that output 0 for every training point."))
        self.health.setStyleSheet("font-size: 9pt; color: #555; padding: 0 4px 2px 4px;")
        self.graphics = pg.GraphicsLayoutWidget()
        self.graphics.setBackground("w")
        self.loss_plot = self.graphics.addPlot(
            row=0, col=0, axisItems={"left": NumberAxis("left"), "bottom": NumberAxis("bottom")})
        self.metric_plot = self.graphics.addPlot(
            row=1, col=0, axisItems={"left": NumberAxis("left"), "bottom": NumberAxis("bottom")})
        self.graphics.ci.layout.setRowStretchFactor(0, 2)  # the loss plot gets the most room
        self.graphics.ci.layout.setRowStretchFactor(1, 1)
        for plot in (self.loss_plot, self.metric_plot):
            plot.setPreferredHeight(70)  # (so that the stretch factors, not pyqtgraph's size hints, share the height)
        self.metric_plot.setXLink(self.loss_plot)
        for plot in (self.loss_plot, self.metric_plot):
            plot.disableAutoRange()
            plot.showGrid(x=True, y=True, alpha=0.15)
            plot.setMenuEnabled(False)
            plot.hideButtons()
            for name in ("left", "bottom"):
                plot.getAxis(name).setPen(pg.mkPen("#666"))
                plot.getAxis(name).setTextPen(pg.mkPen("#333"))
        self.loss_plot.setLabel("left", "loss")
        self.metric_plot.setLabel("bottom", "epoch")
        self.metric_shown = True  # False while the plot area is too short for two plots (see _fit_plots)
        # No legend inside the plot (on a laptop screen it covered the curves and was cut off): the summary line
        # above names the curves, each beside a stroke of its colour.
        self.train_curve = self.loss_plot.plot(pen=pg.mkPen(TRAIN_COLOR, width=1), name="training",
                                               connect="finite")
        self.test_curve = self.loss_plot.plot(pen=pg.mkPen(TEST_COLOR, width=1), name="test", connect="finite")
        self.train_metric = self.metric_plot.plot(pen=pg.mkPen(TRAIN_COLOR, width=1), connect="finite")
        self.test_metric = self.metric_plot.plot(pen=pg.mkPen(TEST_COLOR, width=1), connect="finite")
        self._curves = dict(zip(FIELDS, (self.train_curve, self.test_curve, self.train_metric, self.test_metric),
                                strict=True))
        self.diverged_line = pg.InfiniteLine(
            angle=90, movable=False, pen=pg.mkPen(DIVERGED_COLOR, width=1, style=pg.QtCore.Qt.PenStyle.DashLine),
            label="diverged", labelOpts={"position": 0.9, "color": DIVERGED_COLOR, "anchors": [(1, 0), (1, 0)]})
        self.diverged_line.hide()
        self.loss_plot.addItem(self.diverged_line, ignoreBounds=True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.summary)
        layout.addWidget(self.health)
        layout.addWidget(self.graphics)
        self.setToolTip("Loss per epoch: training (grey) and test (dark). Below: accuracy or RMSE (test dark).\n"
                        "On the log scale a loss of exactly 0 is not drawn.")
        self._envelopes = {name: Envelope() for name in FIELDS}
        self._points: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._key = None
        self._generation = None
        self._n = -1
        self._x_max = 0.0
        self._y_range: tuple | None = None
        self._metric_range: tuple | None = None
        self._drawn_at = 0.0
        self._task = None
        self.diverged_at: int | None = None
        self.log_scale = False
        self._reset()

    # ------------------------------------------------------------------ settings
    def set_log_scale(self, on: bool) -> None:
        self.log_scale = bool(on)
        axis = self.loss_plot.getAxis("left")
        axis.log = self.log_scale
        axis.picture = None
        axis.update()
        self._y_range = None
        self._draw_loss()

    # ------------------------------------------------------------------ drawing
    def _reset(self) -> None:
        """Forget the run drawn so far: curves, envelopes, ranges, health line, divergence marker."""
        for env in self._envelopes.values():
            env.clear()
        self._points = {}
        for curve in self._curves.values():
            curve.setData([], [])
        self._n = 0
        self._key = None
        self._x_max = 0.0
        self._y_range = None
        self._metric_range = None
        self.diverged_at = None
        self.diverged_line.hide()
        self.loss_plot.setXRange(*DEFAULT_EPOCHS, padding=0.02)
        self._set_loss_range(DEFAULT_LOG if self.log_scale else DEFAULT_LINEAR)
        self._set_metric_range(DEFAULT_LINEAR)
        self.summary.setText("Test loss –   Training loss –")
        self.health.setText("")

    def _set_loss_range(self, new: tuple[float, float]) -> None:
        if new != self._y_range:
            self._y_range = new
            self.loss_plot.setYRange(*new, padding=0.02)

    def _set_metric_range(self, new: tuple[float, float]) -> None:
        if new != self._metric_range:
            self._metric_range = new
            self.metric_plot.setYRange(*new, padding=0.02)

    def _draw_loss(self) -> None:
        shown = []
        for name in ("train_loss", "test_loss"):
            x, values = self._points.get(name, (None, None))
            curve = self._curves[name]
            if x is None or not np.isfinite(values).any():
                curve.setData([], [])
                continue
            y = to_display(values, self.log_scale)
            curve.setData(x, y)
            shown.append(y)
        self._set_loss_range(fit_range(shown, self.log_scale))

    def update_snapshot(self, snap: Snapshot) -> None:
        h = snap.history
        train = h.get("train_loss")
        n = 0 if train is None else len(train)
        if snap.task != self._task:
            self._task = snap.task
            self.metric_plot.setLabel("left", "RMSE" if snap.task == "regression" else "accuracy")
            self._metric_range = None
        restarted = snap.generation != self._generation or n < self._n or (snap.epoch == 0 and self._n > 0)
        if restarted:
            self._generation = snap.generation
            self._reset()
        storage = getattr(train, "base", None)
        key = (n, id(train if storage is None else storage), snap.diverged, snap.task, snap.steps > 0,
               len(snap.stats or ()))
        if key == self._key:
            return
        now = time.perf_counter()
        if snap.running and not restarted and n > 0 and self._n > 0 and now - self._drawn_at < 1.0 / MAX_RATE:
            return  # skipped frames are caught up by the next one: the history is cumulative
        self._drawn_at = now
        self._key = key
        self._n = n
        # Gradient sizes are the last step's: none since a Reset or rebuild (the trainer may still report the old
        # run's last gradient then), so the line stays empty until a step has been taken.
        self.health.setText(health_text(snap.stats) if snap.steps > 0 else "")
        if n == 0:
            self._show_divergence(snap, 0)  # a first step may diverge before any epoch is recorded
            self._show_summary(snap)
            return
        x_max = nice_ceiling(max(n, 1))
        if x_max != self._x_max:
            self._x_max = x_max
            self.loss_plot.setXRange(0, x_max, padding=0.02)
        for name in FIELDS:
            series = h.get(name)
            if series is None or len(series) != n:
                self._points.pop(name, None)
                continue
            env = self._envelopes[name]
            env.update(series)
            self._points[name] = env.points(series)
        self._draw_loss()
        shown = []
        for name in ("train_metric", "test_metric"):
            x, values = self._points.get(name, (None, None))
            curve = self._curves[name]
            if x is None or not np.isfinite(values).any():
                curve.setData([], [])
                continue
            y = to_display(values, False)
            curve.setData(x, y)
            shown.append(y)
        self._set_metric_range((0.0, 1.0) if snap.task == "classification" else fit_range(shown, False))
        self._show_divergence(snap, n)
        self._show_summary(snap)

    def _show_summary(self, snap: Snapshot) -> None:
        recorded = self._n > 0

        def shown(value: float, percent: bool = False) -> str:
            if math.isnan(value) and not (snap.diverged and recorded):
                return "–"  # nothing recorded yet, or no test data
            if percent and math.isfinite(value):
                return f"{format_number(100 * value, 3)}&nbsp;%"  # one line
            return format_number(value)

        pct = snap.task == "classification"
        label = "accuracy" if pct else "RMSE"
        text = (
            f"{_KEY.format(TEST_COLOR)}Test&nbsp;loss&nbsp;<b>{shown(snap.last('test_loss'))}</b>&nbsp;&nbsp; "
            f"{_KEY.format(TRAIN_COLOR)}Training&nbsp;loss&nbsp;<b>{shown(snap.last('train_loss'))}</b>&nbsp;&nbsp; "
            f"Test&nbsp;{label}&nbsp;<b>{shown(snap.last('test_metric'), pct)}</b>"
        )
        if not pct:
            text += f"&nbsp;&nbsp; Test&nbsp;R²&nbsp;<b>{shown(r_squared(snap) if recorded else math.nan)}</b>"
        if self.diverged_at is not None:
            where = f"Diverged&nbsp;at&nbsp;epoch&nbsp;{self.diverged_at}"
            text = f"<b style='color:{DIVERGED_COLOR}'>{where}</b>&nbsp;&nbsp; " + text
        self.summary.setText(text)

    def _show_divergence(self, snap: Snapshot, n: int) -> None:
        if not snap.diverged:
            self.diverged_at = None
            self.diverged_line.hide()
            return
        last = snap.last("train_loss")
        # the epoch whose loss was non-finite, or the epoch in which a step diverged (not recorded)
        self.diverged_at = n if (n and not math.isfinite(last)) else n + 1
        self.diverged_line.setPos(self.diverged_at)
        self.diverged_line.show()

    # ------------------------------------------------------------------ tests
    def curve_data(self) -> tuple[np.ndarray, np.ndarray]:
        """``(x, y)`` of the training-loss curve as drawn (tests; log10 values on the log scale)."""
        return self.train_curve.getData()

    def summary_text(self) -> str:
        """The summary line as plain text, ordinary spaces (tests)."""
        return " ".join(QTextDocumentFragment.fromHtml(self.summary.text()).toPlainText().split())

    def loss_range(self) -> tuple[float, float]:
        """The loss axis's visible range (decades on the log scale)."""
        return tuple(self.loss_plot.viewRange()[1])

    def sizeHint(self) -> QSize:
        return QSize(360, 260)

    # ------------------------------------------------------------------ fitting a short panel
    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_plots()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._fit_plots()

    def _fit_plots(self) -> None:
        """Below TWO_PLOTS_HEIGHT px of plot area only the loss plot is drawn (with the epoch axis title): two
        plots squeezed into a laptop's short loss panel were a few pixels each, their axis titles overlapping.
        The accuracy or RMSE stays in the summary line."""
        show = self.graphics.height() >= TWO_PLOTS_HEIGHT
        if show == self.metric_shown:
            return
        self.metric_shown = show
        grid = self.graphics.ci.layout  # (a hidden item would keep its share of a QGraphicsGridLayout)
        if show:
            grid.addItem(self.metric_plot, 1, 0)
            grid.setRowStretchFactor(1, 1)
        else:
            grid.removeItem(self.metric_plot)
        self.metric_plot.setVisible(show)
        if show:
            self.loss_plot.getAxis("bottom").showLabel(False)
        else:
            self.loss_plot.setLabel("bottom", "epoch")
