"""The step-through overlay on the network diagram: the numbers of one training step, stage by stage.

Drawn over the :class:`~visualizer.ui.network_view.NetworkView` (its own graphics items in the view's ViewBox and
a stage bar on its viewport), from what the :class:`~visualizer.ui.stepthrough_mode.StepThroughMode` holds:

* **Forward** lights the network up column by column (inputs first); each lit neuron shows ``net`` and ``out``;
* **Loss** shows at each output neuron the target ``t``, the output ``o`` and the sample's loss term;
* **Backward** walks back from the output: each neuron shows its delta ``δ = ∂L/∂net``, and the synapses are drawn
  by their gradient instead of their weight (blue positive, orange negative; width = |∂L/∂w| on the gradient's own
  scale, the largest gradient of the step drawing thickest);
* **Update** shows ``old → new`` on every weight and bias.

For a mini-batch the per-neuron numbers are those of one sample of it (↑ / ↓ choose which; the formula panel lists
all of them); gradients and updates are the batch's. On networks with many neurons or synapses the labels would
overlap, so only the hovered or selected item (and its neuron) is labelled there; the colours still show all.
The numbers drawn are kept in :meth:`StepThroughOverlay.shown` (tests compare them with the engine's).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PyQt6.QtCore import QRectF, Qt, QTimer, pyqtSignal
from PyQt6.QtGui import QBrush, QColor, QPainterPath, QPen
from PyQt6.QtWidgets import QFrame, QGraphicsPathItem, QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from . import colors
from .numbers import format_number
from .stepthrough_mode import STAGES, fits

MAX_LABELLED_NODES = 40
"""Networks with more neurons label only the hovered or selected one."""
MAX_LABELLED_SYNAPSES = 12
"""Update: networks with more synapses show ``old → new`` on the hovered or selected synapse only."""
MAX_LABELLED_BIASES = 12
"""Update: networks with more neurons show the bias's ``old → new`` of the hovered or selected neuron only."""
REVEAL_MS = 260
"""Forward and Backward light one column up every this many milliseconds."""
GRAD_WIDTHS = (0.8, 1.4, 2.2, 3.2, 4.4, 6.0)
"""Line width per gradient bin (for neurons of 44 px and more; thinner for smaller ones)."""
GRAD_ALPHAS = (0.3, 0.45, 0.6, 0.75, 0.88, 1.0)
LIT_COLOR = "#fbc02d"
DIM_OPACITY = 0.35


def _f(x) -> str:
    return format_number(float(x))


class _StageLabel(QLabel):
    """A stage's name in the stage bar; a click goes to that stage."""

    clicked = pyqtSignal()

    def mousePressEvent(self, ev) -> None:
        if ev.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
            ev.accept()
            return
        super().mousePressEvent(ev)


class StageBar(QFrame):
    """Top of the network view while the mode is on: the four stages (the current one highlighted), what is being
    stepped through, and the keys."""

    sigStage = pyqtSignal(int)

    def __init__(self, parent: QWidget, batch_action):
        super().__init__(parent)
        self.setObjectName("stageBar")
        self.setStyleSheet("#stageBar { background: rgba(255, 255, 255, 235); border: 1px solid #c9ced6;"
                           " border-radius: 4px; } QLabel { font-size: 9pt; }")
        rows = QVBoxLayout(self)
        rows.setContentsMargins(8, 3, 8, 3)
        rows.setSpacing(1)
        row = QHBoxLayout()
        row.setSpacing(4)
        rows.addLayout(row)
        self.stage_labels = []
        for k, name in enumerate(STAGES):
            label = _StageLabel(f"{k + 1} {name}")
            label.setObjectName(f"stage{name}")
            label.setCursor(Qt.CursorShape.PointingHandCursor)
            label.setToolTip(f"Go to {name}")
            label.clicked.connect(lambda k=k: self.sigStage.emit(k))
            self.stage_labels.append(label)
            row.addWidget(label)
            if k < len(STAGES) - 1:
                row.addWidget(QLabel("→"))
        row.addStretch(1)
        self.info = QLabel()
        self.info.setObjectName("stageInfo")
        rows.addWidget(self.info)
        third = QHBoxLayout()
        third.setSpacing(6)
        rows.addLayout(third)
        self.hint = QLabel("→ next · ← back · Esc leaves")
        self.hint.setStyleSheet("color: #666;")
        third.addWidget(self.hint)
        third.addStretch(1)
        button = QToolButton()
        button.setDefaultAction(batch_action)
        button.setAutoRaise(True)
        third.addWidget(button)
        self.hide()

    def set_stage(self, stage: int, info: str, final: bool) -> None:
        for k, label in enumerate(self.stage_labels):
            if k == stage:
                label.setStyleSheet("background: #1565c0; color: white; font-weight: bold; padding: 1px 5px;"
                                    " border-radius: 3px;")
            elif k < stage:
                label.setStyleSheet("color: #1565c0; padding: 1px 5px;")
            else:
                label.setStyleSheet("color: #777; padding: 1px 5px;")
        self.info.setText(info)
        self.hint.setText("→ applies the step · ← back · Esc leaves" if final else "→ next · ← back · Esc leaves")
        self.adjustSize()

    def current_text(self) -> str:
        return STAGES[next(k for k, lab in enumerate(self.stage_labels) if "bold" in lab.styleSheet())]


class StepThroughOverlay:
    """Draws the mode's record on a network view; see the module docstring."""

    def __init__(self, view, mode):
        self.view = view
        self.mode = mode
        self._labels: list[pg.TextItem] = []
        self._free_labels: list[pg.TextItem] = []
        self.shown: dict[tuple, dict[str, float]] = {}
        self._reveal = 0  # columns lit (Forward) or walked back (Backward)
        self._timer = QTimer(view)
        self._timer.setInterval(REVEAL_MS)
        self._timer.timeout.connect(self._on_tick)
        self._lit = QGraphicsPathItem()
        self._lit.setPen(QPen(QColor(LIT_COLOR), 3.0))
        self._lit.pen().setCosmetic(True)
        self._lit.setBrush(QBrush(Qt.BrushStyle.NoBrush))
        self._lit.setZValue(6)
        view.vb.addItem(self._lit, ignoreBounds=True)
        self._focus_rect = QGraphicsPathItem()
        pen = QPen(QColor("#d32f2f"), 2.0)
        pen.setCosmetic(True)
        self._focus_rect.setPen(pen)
        self._focus_rect.setZValue(7)
        view.vb.addItem(self._focus_rect, ignoreBounds=True)
        self._grad_bins: list[pg.PlotCurveItem] = []
        for color in (colors.POSITIVE, colors.NEGATIVE):
            for k, width in enumerate(GRAD_WIDTHS):
                pen_color = QColor(color)
                pen_color.setAlphaF(GRAD_ALPHAS[k])
                item = pg.PlotCurveItem(connect="pairs", skipFiniteCheck=True, antialias=True,
                                        pen=pg.mkPen(pen_color, width=width))
                item._width = width  # type: ignore[attr-defined]
                item.setZValue(2.5)
                view.vb.addItem(item, ignoreBounds=True)
                self._grad_bins.append(item)
        self.bar = StageBar(view.graphics.viewport(), mode.act_batch)
        self.bar.sigStage.connect(mode.set_stage)
        self.bar.sigStage.connect(lambda _k: view.setFocus(Qt.FocusReason.OtherFocusReason))  # keys go on
        self._stage_drawn = None
        self.sample = 0  # which sample of a mini-batch the neuron labels show
        mode.sigChanged.connect(self.refresh)
        mode.sigSelectionChanged.connect(self._draw)
        view.vb.sigResized.connect(self._draw)
        view.vb.sigTransformChanged.connect(self._on_transform)
        self._layout_drawn = None

    # ------------------------------------------------------------------ state
    def numbers(self):
        from .stepthrough_mode import numbers_of

        record = self.mode.record
        return None if record is None else numbers_of(record)

    def refresh(self) -> None:
        """The mode changed (record, stage, active): restart the stage's animation and redraw."""
        mode = self.mode
        stage = (mode.active, mode.stage, id(mode.payload))
        if stage != self._stage_drawn:
            self._stage_drawn = stage
            self._reveal = 0
            if mode.active and mode.record is not None and STAGES[mode.stage] in ("Forward", "Backward"):
                self._timer.start()
            else:
                self._timer.stop()
        num = self.numbers()
        if num is not None and self.sample >= num.n:
            self.sample = 0
        self._draw()

    def _n_columns(self) -> int:
        snap = self.view._snap
        return 0 if snap is None else len(snap.sizes)

    def _on_tick(self) -> None:
        self._reveal += 1
        if self._reveal >= self._n_columns() or not self.mode.active:
            self._timer.stop()
        self._draw()

    def stop(self) -> None:
        self._timer.stop()

    def finish_animation(self) -> None:
        """Show the whole stage at once (tests, screenshots)."""
        self._timer.stop()
        self._reveal = self._n_columns()
        self._draw()

    def set_sample(self, k: int) -> None:
        num = self.numbers()
        if num is not None:
            self.sample = int(k) % num.n
            self._draw()

    # ------------------------------------------------------------------ drawing
    def _clear(self) -> None:
        for label in self._labels:
            label.hide()
            self._free_labels.append(label)
        self._labels = []
        self.shown = {}
        for item in self._grad_bins:
            item.setData([], [])
        self._lit.setPath(QPainterPath())
        self._focus_rect.setPath(QPainterPath())

    def _label(self, html: str, x: float, y: float, anchor=(0.5, 0.0)) -> pg.TextItem:
        label = self._free_labels.pop() if self._free_labels else None
        if label is None:
            label = pg.TextItem(anchor=anchor, fill=pg.mkBrush(255, 255, 255, 225), border=pg.mkPen("#b0b7c3"))
            label.setZValue(8)
            self.view.vb.addItem(label, ignoreBounds=True)
        label.setAnchor(anchor)
        label.setZValue(8)
        label.setHtml(f"<div style='font-size:7pt; color:#222'>{html}</div>")
        label.setPos(x, y)
        label.show()
        self._labels.append(label)
        return label

    def _draw(self, *_args) -> None:
        try:
            self._draw_stage()
        except (IndexError, ValueError, TypeError, AttributeError) as err:  # a slot must never raise into Qt
            self._clear()
            window = self.view.window()
            if hasattr(window, "statusBar"):
                window.statusBar().showMessage(f"Step-through overlay: {type(err).__name__}: {err}", 5000)

    def _draw_stage(self) -> None:
        from .formula_panel import default_focus

        view, mode = self.view, self.mode
        self._clear()
        active = mode.active and view._layout is not None and view._snap is not None
        self.bar.setVisible(mode.active)
        view._raster.setVisible(True)
        if not active:
            view._image.setOpacity(0.55 if view._diverged else 1.0)
            return
        num = self.numbers()
        stage = STAGES[mode.stage]
        self.bar.set_stage(mode.stage, self._info(num), mode.stage == len(STAGES) - 1)
        self._place_bar()
        if num is None or tuple(num.sizes) != tuple(view._snap.sizes):
            return
        lay = self._layout_drawn = view._layout
        n_cols = len(num.sizes)
        if stage == "Forward":
            cols = range(min(self._reveal + 1, n_cols))
        elif stage == "Backward":
            cols = range(max(0, n_cols - 1 - self._reveal), n_cols)
        else:
            cols = range(n_cols)
        self._light(lay, cols if stage in ("Forward", "Backward") else ())
        few = lay.n_nodes <= MAX_LABELLED_NODES
        focus = mode.focus
        if not fits(focus, tuple(num.sizes)):
            focus = default_focus(num.record, stage)  # what the formula panel explains when nothing is chosen
        self._focus = focus
        focus_nodes = self._focus_nodes(focus)
        self._mark_focus(lay, focus)
        if stage == "Backward":
            self._draw_gradients(lay, num, cols)
            view._raster.setVisible(False)
        for col in cols:
            for unit in range(num.sizes[col]):
                if few or (col, unit) in focus_nodes:
                    self._node_numbers(lay, num, stage, col, unit)
        if stage == "Update":
            self._update_numbers(lay, num, focus)
        elif stage == "Backward" and focus is not None and focus[0] == "synapse":
            layer, i, j = focus[1:]
            if layer + 1 in cols:
                g = float(num.gW[layer][i, j])
                self.shown[("synapse", layer, i, j)] = {"grad": g}
                x0, y0, x1, y1 = view.synapse_segment(layer, i, j)
                self._label(f"∂L/∂w = {_f(g)}", 0.5 * (x0 + x1), 0.5 * (y0 + y1), (0.5, 1.0))

    def _on_transform(self, *_args) -> None:
        if self.mode.active and self.view._layout is not self._layout_drawn:
            self._draw()  # a new layout (another network, a resize): the labels move with it
        else:
            self._place_bar()

    def _info(self, num) -> str:
        if num is None:
            return "computing…"
        snap = self.view._snap
        idx = self.mode.indices
        if num.n == 1:
            text = f"sample {idx[0] + 1}"
        else:
            text = f"mini-batch of {num.n} ({num.reduction}) · labels: sample {self.sample + 1} (↑/↓)"
        ds = None if snap is None else snap.dataset
        if num.n == 1 and ds is not None and getattr(ds, "n_features", 0) == 2:
            try:
                x, y = ds.X_train[idx[0]]
                text += f" at ({_f(x)}, {_f(y)})"
            except (IndexError, ValueError, TypeError):
                pass
        text += f" · loss {_f(num.loss)}"
        if STAGES[self.mode.stage] == "Backward":
            top = max((float(np.nanmax(np.abs(g))) for g in num.gW if g.size), default=0.0)
            text += f"<br>synapses: gradient (thickest |∂L/∂w| = {_f(top)})"
        return text

    def _place_bar(self, *_args) -> None:
        if self.bar.isVisible():
            viewport = self.view.graphics.viewport()
            self.bar.adjustSize()
            legend = self.view.legend.geometry()
            w, h = viewport.width(), viewport.height()
            if w - legend.right() - 12 >= self.bar.width():  # bottom strip, right of the legend (kept free)
                self.bar.move(w - self.bar.width() - 6, h - self.bar.height() - 6)
            else:
                self.bar.move(max(0, (w - self.bar.width()) // 2), 4)
            self.bar.raise_()

    def _light(self, lay, cols) -> None:
        path = QPainterPath()
        s = lay.s
        for col in cols:
            a, b = lay.starts[col], lay.starts[col + 1]
            if s < 14:  # small neurons: one frame around the column (per-neuron frames would merge)
                x0, y0 = float(lay.node_x[a:b].min()), float(lay.node_y[a:b].min())
                y1 = float(lay.node_y[a:b].max()) + s
                path.addRect(QRectF(x0 - 3, y0 - 3, s + 6, y1 - y0 + 6))
                continue
            for node in range(a, b):
                path.addRect(QRectF(lay.node_x[node] - 2, lay.node_y[node] - 2, s + 4, s + 4))
        self._lit.setPath(path)

    @staticmethod
    def _focus_nodes(focus) -> set:
        if focus is None:
            return set()
        if focus[0] == "synapse":
            return {(focus[1], focus[2]), (focus[1] + 1, focus[3])}
        return {(focus[1], focus[2])}

    def _mark_focus(self, lay, focus) -> None:
        path = QPainterPath()
        if focus is not None and focus[0] in ("node", "bias"):
            node = lay.starts[focus[1]] + focus[2]
            if focus[0] == "node":
                path.addRect(QRectF(lay.node_x[node] - 4, lay.node_y[node] - 4, lay.s + 8, lay.s + 8))
            else:
                k = node - lay.starts[1]
                path.addRect(QRectF(lay.bias_x[k] - 2, lay.bias_y[k] - 2, lay.bias_s + 4, lay.bias_s + 4))
        elif focus is not None and focus[0] == "synapse":
            x0, y0, x1, y1 = self.view.synapse_segment(*focus[1:])
            path.moveTo(x0, y0)
            path.lineTo(x1, y1)
        self._focus_rect.setPath(path)

    def _node_numbers(self, lay, num, stage: str, col: int, unit: int) -> None:
        node = lay.starts[col] + unit
        # right of the neuron, centred on it: the column's next neuron stays visible
        x = float(lay.node_x[node] + lay.s + 2)
        y = float(lay.node_y[node] + lay.s / 2)
        k = self.sample
        last = len(num.sizes) - 1
        values: dict[str, float] = {}
        if stage == "Forward" or (stage == "Loss" and col < last):
            if col == 0:
                values = {"out": float(num.act[0][k, unit])}
                html = f"x = {_f(values['out'])}"
            else:
                values = {"net": float(num.net[col - 1][k, unit]), "out": float(num.act[col][k, unit])}
                html = f"net {_f(values['net'])}<br>out {_f(values['out'])}"
            if stage == "Loss":
                return
        elif stage == "Loss":
            values = {"target": float(num.target[k, unit]), "out": float(num.act[col][k, unit]),
                      "loss": float(num.loss_terms[k])}
            html = (f"t = {_f(values['target'])}<br>o = {_f(values['out'])}<br>"
                    f"{'loss' if unit == 0 else '(loss)'} {_f(values['loss'])}")
        elif stage == "Backward":
            if col == 0:
                return
            values = {"delta": float(num.deltas[col - 1][k, unit])}
            html = f"δ = {_f(values['delta'])}"
        else:  # Update: the neuron's bias
            few = lay.n_nodes <= MAX_LABELLED_BIASES
            if col == 0 or not (few or (col, unit) in self._focus_nodes(self._focus)):
                return
            old, new = float(num.oldb[col - 1][unit]), float(num.newb[col - 1][unit])
            values = {"old": old, "new": new}
            html = f"b {_f(old)} → {_f(new)}"
            self.shown[("bias", col, unit)] = values
            self._label(html, x, y, (0.0, 0.5))
            return
        self.shown[("node", col, unit)] = values
        self._label(html, x, y, (0.0, 0.5))

    def _update_numbers(self, lay, num, focus) -> None:
        n_syn = int(lay.syn_starts[-1])
        items = []
        if n_syn <= MAX_LABELLED_SYNAPSES:
            items = [(layer, i, j) for layer, W in enumerate(num.oldW) for i in range(W.shape[0])
                     for j in range(W.shape[1])]
        elif focus is not None and focus[0] == "synapse":
            items = [tuple(focus[1:])]
        for layer, i, j in items:
            old, new = float(num.oldW[layer][i, j]), float(num.newW[layer][i, j])
            self.shown[("synapse", layer, i, j)] = {"old": old, "new": new}
            x0, y0, x1, y1 = self.view.synapse_segment(layer, i, j)
            if len(items) == 1:  # the focus: above the middle of its line, in front of the neurons' labels
                t, anchor = 0.55, (0.5, 1.1)
            else:
                t, anchor = 0.35 + 0.3 * ((i * 7 + j * 3) % 5) / 4, (0.5, 0.5)  # spread a layer's labels
            label = self._label(f"w {_f(old)} → {_f(new)}", x0 + t * (x1 - x0), y0 + t * (y1 - y0), anchor)
            label.setZValue(9 if len(items) == 1 else 8)
        if focus is not None and focus[0] in ("bias", "node") and lay.n_nodes > MAX_LABELLED_BIASES:
            col, unit = focus[1], focus[2]
            if col > 0:
                self.shown[("bias", col, unit)] = {"old": float(num.oldb[col - 1][unit]),
                                                   "new": float(num.newb[col - 1][unit])}

    def _draw_gradients(self, lay, num, cols) -> None:
        """Synapses of the walked-back layers by their gradient, on the gradient's own scale."""
        grads = [np.asarray(g, dtype=np.float64) for g in num.gW]
        finite = [np.abs(g[np.isfinite(g)]) for g in grads]
        top = max((float(f.max()) for f in finite if f.size), default=0.0)
        if not top > 0:
            top = 1.0
        nb = len(GRAD_WIDTHS)
        xs = [[] for _ in range(2 * nb)]
        ys = [[] for _ in range(2 * nb)]
        for layer, g in enumerate(grads):
            if layer + 1 not in cols:
                continue
            a, b = lay.syn_starts[layer], lay.syn_starts[layer + 1]
            flat = np.nan_to_num(g.reshape(-1), nan=0.0, posinf=top, neginf=-top)
            bins = np.minimum((np.abs(flat) / top * nb).astype(np.int64), nb - 1)
            sign = (flat < 0).astype(np.int64)
            which = sign * nb + bins
            for k in np.unique(which):
                sel = np.flatnonzero(which == k)
                xs[k].append(lay.pair_x[a:b][sel].reshape(-1))
                ys[k].append(lay.pair_y[a:b][sel].reshape(-1))
        scale = float(np.clip(lay.s / 44.0, 0.25, 1.0))  # dense networks: thinner lines, as the weights' are
        for k, item in enumerate(self._grad_bins):
            pen = item.opts["pen"]
            if abs(pen.widthF() - item._width * scale) > 1e-9:
                pen = QPen(pen)
                pen.setWidthF(item._width * scale)
                item.setPen(pen)
            if xs[k]:
                item.setData(np.concatenate(xs[k]), np.concatenate(ys[k]))
        self.grad_scale = top
