"""The decision-boundary view: the network's output over the input plane, with the data points on top.

One ``ImageItem`` with fixed levels (−1 … 1) and the 256-entry Playground lookup table draws the output, so
the colour of a pixel means the same thing in every frame: orange towards −1 (class "orange"), blue towards +1.
With three or more classes each region is drawn in its winning class's colour, lighter the lower the winning
probability (grey where all classes are equally likely). Two ``ScatterPlotItem``s draw the training points
(white rim) and test points (dark rim).

Hovering a neuron in the network view shows that neuron's own map here, full size, until the pointer leaves it.

No NaN or infinity ever reaches the colour mapping: every map is cleaned first (:func:`finite_signed`, NaN → 0,
±inf → ±1, clipped), and points with a non-finite coordinate or label are left out. A diverged run
(``snap.diverged``) is drawn as a distinct state, not as data: the last map that was finite, greyed, under the
message :data:`DIVERGED_TEXT`, until Reset (or a rebuild) brings a run that has not diverged.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PyQt6.QtCore import QSize, pyqtSignal
from PyQt6.QtWidgets import QComboBox, QGraphicsItem, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ..engine.features import LABELS
from ..training.snapshot import Snapshot
from . import colors
from .colorbar import ColorBar

DIVERGED_COLOR = "#c62828"


CLASS_STRENGTH = 0.6
"""How far a sure region's colour goes from neutral grey towards its class colour (the points are full colour)."""

DIVERGED_TEXT = "Diverged — lower the learning rate and press Reset (R)"


def finite_signed(values: np.ndarray) -> np.ndarray:
    """``values`` made safe for the −1 … 1 colour scale: NaN → 0, ±inf → ±1, everything clipped to −1 … 1."""
    out = np.nan_to_num(np.asarray(values, dtype=np.float64), nan=0.0, posinf=1.0, neginf=-1.0)
    return np.clip(out, -1.0, 1.0)


def finite_probs(probs: np.ndarray) -> np.ndarray:
    """Class probabilities ``(k, R, R)`` made safe: non-finite → 0, clipped to 0 … 1; an all-zero pixel is uniform."""
    p = np.clip(np.nan_to_num(np.asarray(probs, dtype=np.float64), nan=0.0, posinf=1.0, neginf=0.0), 0.0, 1.0)
    total = p.sum(axis=0, keepdims=True)
    return np.where(total > 0, p / np.where(total > 0, total, 1.0), 1.0 / p.shape[0])


def greyed(rgb: np.ndarray) -> np.ndarray:
    """An RGB image washed out to light greys (the diverged state's background): it reads as "not data"."""
    rgb = np.asarray(rgb, dtype=np.float64)[..., :3]
    luma = rgb @ np.array([0.299, 0.587, 0.114])
    grey = 150.0 + 0.35 * luma[..., None]
    return np.clip(np.round(np.repeat(grey, 3, axis=-1)), 0, 255).astype(np.uint8)


def output_map(snap: Snapshot) -> np.ndarray | None:
    """The output over the grid as a scalar in −1 … 1 ``(R, R)``, or ``None`` for three or more classes."""
    out = snap.grid.output
    if snap.task == "classification" and out.shape[0] > 2:
        return None
    if out.shape[0] == 2:  # two-class softmax: p(blue) − p(orange)
        return out[1] - out[0]
    if snap.output == "sigmoid":
        return 2.0 * out[0] - 1.0
    return out[0]


def to_signed(values: np.ndarray, activation: str) -> np.ndarray:
    """Map an activation's natural range onto −1 … 1 for the diverging colour scale."""
    if activation in ("sigmoid", "softmax"):
        return 2.0 * values - 1.0
    return values


def class_blend(probs: np.ndarray, discretize: bool) -> np.ndarray:
    """RGB image ``(R, R, 3)`` uint8 for class probabilities ``probs`` (k, R, R)."""
    probs = finite_probs(probs)
    k = probs.shape[0]
    palette = colors.class_rgb(k)
    if discretize:
        rgb = palette[np.argmax(probs, axis=0)]
        return rgb.astype(np.uint8)
    # each region in its winning class's colour, lighter (towards neutral grey) the less sure the network is:
    # CLASS_STRENGTH at probability 1 (lighter than the points drawn on it), plain grey where every class is as
    # likely (1/k)
    rgb = palette[np.argmax(probs, axis=0)]
    confidence = np.clip((probs.max(axis=0) - 1.0 / k) / (1.0 - 1.0 / k), 0.0, 1.0)[..., None]
    grey = np.array(colors.hex_to_rgb(colors.GREY), dtype=np.float64)
    return np.round(grey + (rgb - grey) * (CLASS_STRENGTH * confidence)).astype(np.uint8)


def regression_range(y) -> tuple[float, float]:
    """The range of the regression colour scale for targets ``y``: symmetric about 0 when the targets take both
    signs (so grey still means 0, orange negative and blue positive, as in Playground), else their own min … max;
    non-finite targets are ignored, and a range of one value is widened by 1 on each side."""
    y = np.asarray(y, dtype=np.float64).reshape(-1)
    y = y[np.isfinite(y)]
    if y.size == 0:
        return (-1.0, 1.0)
    lo, hi = float(y.min()), float(y.max())
    if lo < 0.0 < hi:
        m = max(-lo, hi)
        return (-m, m)
    if not hi - lo > 1e-12 * max(1.0, abs(lo), abs(hi)) or not np.isfinite(hi - lo):
        return (lo - 1.0, hi + 1.0) if np.isfinite(hi - lo) else (-1.0, 1.0)
    return (lo, hi)


def scaled_signed(values, low: float, high: float) -> np.ndarray:
    """``values`` in ``low … high`` mapped onto −1 … 1 (the colour scale's levels); NaN stays NaN."""
    values = np.asarray(values, dtype=np.float64)
    with np.errstate(all="ignore"):
        return 2.0 * (values - low) / (high - low) - 1.0


def finite_points(X, y, task: str) -> tuple[np.ndarray, np.ndarray]:
    """The points ``(X, y)`` that can be drawn: finite coordinates, and a finite label ≥ 0 for classification."""
    X = np.asarray(X, dtype=np.float64).reshape(-1, 2) if np.size(X) else np.empty((0, 2))
    y = np.asarray(y)
    keep = np.isfinite(X).all(axis=1)
    if task != "regression":
        labels = y.astype(np.float64)
        keep &= np.isfinite(labels) & (labels >= 0)
    return X[keep], y[keep]


def slice_note(feature_names, axes: tuple[int, int]) -> str:
    """What a slice map shows, said on the view: its two features and that the others are held."""
    names = tuple(feature_names)
    i, j = axes
    others = len(names) - 2
    if others <= 0:
        return f"The whole input space: {names[i]} (→) × {names[j]} (↑)"
    return (f"A slice through {names[i]} × {names[j]}: the other {others} feature{'s' if others != 1 else ''} "
            f"held at {'their' if others != 1 else 'its'} training mean")


class BoundaryView(QWidget):
    """Decision boundary (classification) or fitted surface (regression) with the data points.

    Data that is not a plane (more than two features, or two without a Playground domain) is mapped as a *slice*
    (the snapshot's grid is a :class:`~visualizer.engine.slicing.SliceGridResult`): the two features chosen in
    the combo boxes above the map span it, the others are held at their training mean, and the view says so;
    the points are drawn at their values of those two features. ``sigSliceAxes(i, j)`` asks for another slice.
    """

    sigSliceAxes = pyqtSignal(int, int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.plot = pg.PlotWidget(background="w")
        self.plot.setAspectLocked(True)
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(False, False)
        self.plot.hideButtons()
        for name in ("left", "bottom"):
            axis = self.plot.getAxis(name)
            axis.setPen(pg.mkPen("#555"))
            axis.setTextPen(pg.mkPen("#333"))
            # its ticks reach into the map, so every new map repainted the axis too: blit it from a cache instead
            axis.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setLookupTable(colors.BACKGROUND_LUT)
        self.image.setLevels((-1.0, 1.0))
        self._image_lut, self._image_rect = colors.BACKGROUND_LUT, None
        self.plot.addItem(self.image)
        self.train_points = pg.ScatterPlotItem(size=7, pen=pg.mkPen("w", width=1.0), pxMode=True)
        self.test_points = pg.ScatterPlotItem(size=7, pen=pg.mkPen("#222", width=1.2), pxMode=True)
        # The map under the points changes every frame, the points rarely: each is painted from a cached pixmap
        # (~0.3 ms a frame saved on 500 points), redrawn only when its data or the view's transform change.
        for points in (self.train_points, self.test_points):
            points.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
            self.plot.addItem(points)
        self.caption = pg.TextItem("", color="#222", anchor=(0, 0), fill=pg.mkBrush(255, 255, 255, 200))
        self.caption.setZValue(10)
        self.plot.addItem(self.caption)
        self.caption.hide()
        self.overlay = pg.TextItem(anchor=(0.5, 0.5), fill=pg.mkBrush(255, 255, 255, 225),
                                   border=pg.mkPen(DIVERGED_COLOR, width=1.5))
        self.overlay.setHtml(
            f"<div style='color:{DIVERGED_COLOR}; font-size:11pt; text-align:center'><b>Diverged</b> —<br>"
            "lower the learning rate<br>and press Reset (R)</div>")
        self.overlay.setZValue(20)
        self.plot.addItem(self.overlay)
        self.overlay.hide()
        self.colorbar = ColorBar(colors.BACKGROUND_LUT)
        self.colorbar.hide()
        # the slice bar: which two features span the map (hidden for a Playground plane)
        self.slice_bar = QWidget()
        bar = QHBoxLayout(self.slice_bar)
        bar.setContentsMargins(2, 0, 2, 0)
        bar.setSpacing(4)
        self.slice_x, self.slice_y = QComboBox(), QComboBox()
        for label, box, tip in (("→", self.slice_x, "Feature along the horizontal axis of the slice"),
                                ("↑", self.slice_y, "Feature along the vertical axis of the slice")):
            box.setToolTip(tip)
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(6)
            box.activated.connect(self._on_slice_choice)
            bar.addWidget(QLabel(label))
            bar.addWidget(box, 1)
        self.slice_note = QLabel()
        self.slice_note.setWordWrap(True)
        self.slice_note.setStyleSheet("color: #333; font-size: 9pt;")
        self.slice_bar.hide()
        self.slice_note.hide()
        self._axes: tuple[int, int] | None = None  # the slice drawn (None: a Playground plane)
        self._slice_names: tuple[str, ...] = ()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.slice_bar)
        layout.addWidget(self.slice_note)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(2)
        row.addWidget(self.plot, 1)
        row.addWidget(self.colorbar)
        layout.addLayout(row, 1)
        self.setToolTip(
            "The network's output over the input plane: orange means −1 (class orange), blue +1 (class blue).\n"
            "Points: training data (white rim) and test data (dark rim)."
        )
        self.show_test = False
        self.discretize = False
        self._snap: Snapshot | None = None
        self._dataset = None
        self._domain = None
        self._hover: tuple[int, int] | None = None
        self._last_finite: tuple[int, np.ndarray] | None = None  # (generation, RGB) of the last finite output map
        self.diverged = False
        self._generation: int | None = None
        self._epoch: int | None = None
        self.value_range = (-1.0, 1.0)  # regression: the target values at the two ends of the colour scale
        self.pending_dataset = None  # an edit drawn ahead of the snapshots (see show_points)

    # ------------------------------------------------------------------ settings
    def set_show_test(self, on: bool) -> None:
        self.show_test = bool(on)
        self.test_points.setVisible(self.show_test)

    def set_discretize(self, on: bool) -> None:
        self.discretize = bool(on)
        if self._snap is not None:
            self._draw_image()

    def show_neuron(self, layer: int, index: int) -> None:
        """Show the map of neuron ``index`` of ``layer`` (0 = inputs) instead of the output; (−1, −1) resets."""
        self._hover = None if layer < 0 else (layer, index)
        if self._snap is not None:
            self._draw_image()

    def show_points(self, dataset) -> None:
        """Draw ``dataset``'s points now and keep drawing them instead of the snapshots' data (the data-editing
        tool: an edit shows at once, before the training thread has it); None follows the snapshots again."""
        self.pending_dataset = dataset
        if dataset is not None and dataset is not self._dataset:
            self._dataset = dataset
            self._draw_points()

    # ------------------------------------------------------------------ drawing
    def update_snapshot(self, snap: Snapshot) -> None:
        self._snap = snap
        dataset = snap.dataset if self.pending_dataset is None else self.pending_dataset
        axes = self._slice_axes_of(snap)
        if dataset is not self._dataset or axes != self._axes:
            self._dataset = dataset
            self._set_slice(snap, axes)
            self._draw_points()
        if snap.generation != self._generation or (snap.epoch == 0 and self._epoch != 0):
            self._last_finite = None  # a rebuild or Reset: the old run's map is no fallback for the new one
        self._generation, self._epoch = snap.generation, snap.epoch
        self.diverged = bool(snap.diverged)
        self._draw_image()
        self.overlay.setVisible(self.diverged)
        if self.diverged:
            if self._domain is None and snap.grid is not None:
                x, y, w, h = self._rect(snap)
                self.overlay.setPos(x + 0.5 * w, y + 0.5 * h)
            else:
                lo, hi = self._domain if self._domain is not None else (-1.0, 1.0)
                self.overlay.setPos(0.5 * (lo + hi), 0.5 * (lo + hi))

    def _extent(self, snap: Snapshot) -> tuple[float, float]:
        if snap.grid is None:
            return (-1.0, 1.0)
        x, _y, w, _h = self._rect(snap)
        return (x, x + w)

    # ------------------------------------------------------------------ slices
    @staticmethod
    def _slice_axes_of(snap: Snapshot) -> tuple[int, int] | None:
        grid = snap.grid
        axes = getattr(grid, "axes", None)
        if grid is None or axes is None or getattr(grid, "ys", None) is None:
            return None
        return int(axes[0]), int(axes[1])

    def _set_slice(self, snap: Snapshot, axes: tuple[int, int] | None) -> None:
        """Show (or hide) the slice bar and note for the snapshot's slice; frame the map on its axes."""
        self._axes = axes
        is_slice = axes is not None
        self.slice_bar.setVisible(is_slice)
        self.slice_note.setVisible(is_slice)
        self.plot.setAspectLocked(not is_slice)
        if not is_slice:
            for name in ("bottom", "left"):
                self.plot.getAxis(name).setLabel(None)
            return
        names = tuple(getattr(snap.grid, "feature_names", ()) or snap.feature_names)
        if names != self._slice_names:
            self._slice_names = names
            for box in (self.slice_x, self.slice_y):
                blocked = box.blockSignals(True)
                box.clear()
                box.addItems(list(names))
                box.blockSignals(blocked)
        for box, k in ((self.slice_x, axes[0]), (self.slice_y, axes[1])):
            blocked = box.blockSignals(True)
            box.setCurrentIndex(k)
            box.blockSignals(blocked)
        self.slice_note.setText(slice_note(names, axes))
        self.plot.setLabel("bottom", names[axes[0]])
        self.plot.setLabel("left", names[axes[1]])
        x, y, w, h = self._rect(snap)
        self._domain = None
        self.plot.setRange(xRange=(x, x + w), yRange=(y, y + h), padding=0.02)
        self.caption.setPos(x, y + h)

    def _on_slice_choice(self, _index: int) -> None:
        i, j = self.slice_x.currentIndex(), self.slice_y.currentIndex()
        if i < 0 or j < 0:
            return
        if i == j:  # the same feature twice: swap the other axis to the old one
            old = self._axes or (0, 1)
            if self.sender() is self.slice_x:
                j = old[0] if old[0] != i else old[1]
            else:
                i = old[1] if old[1] != j else old[0]
        if (i, j) != self._axes:
            self.sigSliceAxes.emit(i, j)

    def slice_axes(self) -> tuple[int, int] | None:
        """The feature columns of the slice drawn, or None for a Playground plane."""
        return self._axes

    def _draw_points(self) -> None:
        ds = self._dataset
        if ds is not None and ds.task == "regression":
            self.value_range = regression_range(ds.y_train)
            self.colorbar.set_range(*self.value_range, "target / output")
        self.colorbar.setVisible(ds is not None and ds.task == "regression")
        if ds is not None and self._axes is not None and max(self._axes) < ds.n_features:
            cols = list(self._axes)  # a slice: every point at its values of the two features
            for item, X, y in ((self.train_points, ds.X_train, ds.y_train),
                               (self.test_points, ds.X_test, ds.y_test)):
                X, y = finite_points(np.asarray(X)[:, cols], y, ds.task)
                item.setData(pos=X, brush=self._point_brushes(ds, y))
            self.test_points.setVisible(self.show_test)
            return
        if ds is None or ds.n_features != 2:
            self.train_points.clear()
            self.test_points.clear()
            return
        if ds.domain != self._domain and ds.domain is not None:
            self._domain = ds.domain
            lo, hi = ds.domain
            self.plot.setRange(xRange=(lo, hi), yRange=(lo, hi), padding=0.02)
            self.caption.setPos(lo, hi)
        for item, X, y in ((self.train_points, ds.X_train, ds.y_train), (self.test_points, ds.X_test, ds.y_test)):
            X, y = finite_points(X, y, ds.task)
            item.setData(pos=X, brush=self._point_brushes(ds, y))
        self.test_points.setVisible(self.show_test)

    def _point_brushes(self, ds, y: np.ndarray) -> list:
        if ds.task == "regression":
            rgba = colors.colorize_diverging(finite_signed(scaled_signed(y, *self.value_range)))
            return [pg.mkBrush(*c) for c in rgba]
        palette = [pg.mkBrush(colors.class_color(k)) for k in range(len(colors.CLASS_COLORS))]
        return [palette[int(c) % len(palette)] for c in y]

    def _draw_image(self) -> None:
        snap = self._snap
        if snap.grid is None:
            self.image.clear()
            self._image_rect = None
            return
        if self._hover is not None and not self._hover_valid(snap):
            self._hover = None  # the network was rebuilt under the pointer: that neuron is gone
        if self._hover is not None:
            layer, index = self._hover
            if layer == 0:
                data = np.asarray(snap.grid.inputs[index], dtype=np.float64)
                finite = np.abs(data[np.isfinite(data)])
                vmax = float(finite.max()) if finite.size and finite.max() > 0 else 1.0
                values = data / vmax
                name = snap.feature_names[index]
                text = f"Input {LABELS.get(name, name)}"
            else:
                act = snap.activations[layer - 1] if layer - 1 < len(snap.activations) else snap.output
                values = to_signed(snap.grid.layers[layer - 1][index], act)
                where = "output" if layer == len(snap.sizes) - 1 else f"hidden layer {layer}"
                text = f"Neuron {index + 1} of {where} ({act})"
            self.caption.setText(text)
            self.caption.show()
            self._set_scalar(values)
            return
        self.caption.hide()
        values = output_map(snap)
        finite = bool(np.isfinite(snap.grid.output).all())
        if values is None:
            rgb = class_blend(snap.grid.output, self.discretize)
        else:
            if snap.task == "regression":
                values = scaled_signed(values, *self.value_range)
            values = finite_signed(values)
            if self.discretize:
                values = np.where(values > 0, 1.0, -1.0) if snap.task == "classification" else np.round(values * 4) / 4
            rgb = None
        if not snap.diverged:
            if finite:
                self._last_finite = (snap.generation, values if rgb is None else rgb)
            if rgb is None:
                self._set_scalar(values)
            else:
                self._set_rgb(rgb)
            return
        # Diverged: the last finite map of this network (or this one, cleaned), greyed; the overlay says why.
        if not finite and self._last_finite is not None and self._last_finite[0] == snap.generation:
            last = self._last_finite[1]
            if last.ndim == 2:
                values, rgb = last, None
            else:
                rgb = last
        if rgb is None:
            rgb = colors.colorize_diverging(values, lut=colors.BACKGROUND_LUT)
        self._set_rgb(greyed(rgb))

    def _set_rgb(self, rgb: np.ndarray) -> None:
        self._set_image(rgb, None, (0, 255))

    def _set_image(self, data: np.ndarray, lut, levels) -> None:
        """Show ``data`` through ``lut``; the lookup table and the extent are set only when they change (setting
        either moves or repaints what lies over the image: the points' cached pixmaps)."""
        if self._image_lut is not lut:
            self._image_lut = lut
            self.image.setLookupTable(lut)
        rect = self._rect(self._snap)
        if (rect, data.shape[:2]) != self._image_rect:  # the extent is a transform scaled by the image's shape
            self._image_rect = (rect, data.shape[:2])
            self.image.setImage(data, autoLevels=False, levels=levels, rect=rect)
        else:
            self.image.setImage(data, autoLevels=False, levels=levels)

    def _hover_valid(self, snap: Snapshot) -> bool:
        layer, index = self._hover
        maps = snap.grid.inputs if layer == 0 else (
            snap.grid.layers[layer - 1] if 0 < layer <= len(snap.grid.layers) else None)
        return maps is not None and 0 <= index < len(maps)

    def _rect(self, snap: Snapshot) -> tuple[float, float, float, float]:
        """The image's extent: grid points are pixel centres, so it reaches half a cell past the domain."""
        xs = snap.grid.xs
        half = 0.5 * (xs[1] - xs[0])
        lo, hi = xs[0] - half, xs[-1] + half
        ys = getattr(snap.grid, "ys", None)
        if ys is not None and len(ys) > 1:  # a slice: each axis spans its own feature's range
            half_y = 0.5 * (ys[1] - ys[0])
            return (lo, ys[0] - half_y, hi - lo, ys[-1] - ys[0] + 2 * half_y)
        return (lo, lo, hi - lo, hi - lo)

    def _set_scalar(self, values: np.ndarray) -> None:
        values = finite_signed(values)
        if self.diverged:  # a hovered neuron's map while diverged: greyed like the output
            self._set_rgb(greyed(colors.colorize_diverging(values, lut=colors.BACKGROUND_LUT)))
            return
        self._set_image(values, colors.BACKGROUND_LUT, (-1.0, 1.0))

    def image_data(self) -> np.ndarray | None:
        """The array currently drawn (tests compare frames)."""
        return None if self.image.image is None else np.array(self.image.image)

    def sizeHint(self) -> QSize:
        return QSize(360, 360)
