"""Hover, tooltips, clicks and value editing on the network diagram.

:class:`InteractionMixin` is one part of :class:`~visualizer.ui.network_view.NetworkView`; it works on the view's
state (layout, snapshot) and emits the view's signals.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PyQt6.QtCore import QEvent, QRectF, Qt
from PyQt6.QtGui import QCursor, QGuiApplication
from PyQt6.QtWidgets import QDialog, QDialogButtonBox, QDoubleSpinBox, QLabel, QToolTip, QVBoxLayout, QWidget

from ..engine.activations import FORMULAS
from ..engine.features import LABELS


class _ValueEditor(QDialog):
    """A small popup at the cursor with one spin box; Enter applies, Escape or a click elsewhere cancels."""

    def __init__(self, title: str, current: float, parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Popup)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        label = QLabel(title)
        layout.addWidget(label)
        self.spin = QDoubleSpinBox()
        self.spin.setDecimals(4)
        self.spin.setRange(-1000.0, 1000.0)
        self.spin.setSingleStep(0.1)
        self.spin.setValue(float(current))
        self.spin.selectAll()
        layout.addWidget(self.spin)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.spin.setFocus()


@dataclass
class _Hit:
    """What is under the cursor: ``kind`` is ``"node"``, ``"bias"`` or ``"synapse"``.

    ``node``/``bias``: ``a`` = column (0 = inputs), ``b`` = unit. ``synapse``: ``a`` = weight layer, ``b`` = source
    unit, ``c`` = target unit.
    """

    kind: str
    a: int
    b: int
    c: int = -1


class InteractionMixin:
    """Hover, tooltips, clicks and edits (part of :class:`NetworkView`)."""

    # ------------------------------------------------------------------ hit testing and hover
    def _hit_test(self, x: float, y: float) -> _Hit | None:
        lay, snap = self._layout, self._snap
        if lay is None:
            return None
        px = self._pixel_size()
        pad = 2.0 * px
        # biases first (they sit over the node's corner)
        bs = lay.bias_s
        inside = (x >= lay.bias_x - pad) & (x <= lay.bias_x + bs + pad) & (y >= lay.bias_y - pad)
        inside &= y <= lay.bias_y + bs + pad
        k = np.flatnonzero(inside)
        if k.size:
            node = int(k[0]) + lay.starts[1]
            c = int(lay.col_of[node])
            return _Hit("bias", c, node - int(lay.starts[c]))
        s = lay.s
        inside = (x >= lay.node_x - pad) & (x <= lay.node_x + s + pad) & (y >= lay.node_y - pad)
        inside &= y <= lay.node_y + s + pad
        k = np.flatnonzero(inside)
        if k.size:
            node = int(k[0])
            c = int(lay.col_of[node])
            return _Hit("node", c, node - int(lay.starts[c]))
        # synapses: only the weight layer whose gap contains x
        col = np.searchsorted(lay.col_x + s, x) - 1
        if not 0 <= col < len(snap.sizes) - 1 or x > lay.col_x[col + 1]:
            return None
        a, b = lay.syn_starts[col], lay.syn_starts[col + 1]
        x0, y0, x1, y1 = lay.sx0[a:b], lay.sy0[a:b], lay.sx1[a:b], lay.sy1[a:b]
        dx, dy = x1 - x0, y1 - y0
        tt = np.clip(((x - x0) * dx + (y - y0) * dy) / (dx * dx + dy * dy), 0.0, 1.0)
        d2 = (x0 + tt * dx - x) ** 2 + (y0 + tt * dy - y) ** 2
        m = int(np.argmin(d2))
        if d2[m] > (5.0 * px) ** 2:
            return None
        n_out = snap.sizes[col + 1]
        return _Hit("synapse", int(col), m // n_out, m % n_out)

    def _pixel_size(self) -> float:
        """View units per screen pixel (1 at fit)."""
        try:
            px = self.vb.viewPixelSize()[0]
        except Exception:  # view not laid out yet
            return 1.0
        return float(px) if np.isfinite(px) and px > 0 else 1.0

    def _hover_at(self, view_point) -> _Hit | None:
        """Handle the cursor at ``view_point`` (QPointF or (x, y) in view coordinates): highlight, tooltip, signal."""
        if self._layout is None:
            return None
        x, y = (view_point.x(), view_point.y()) if hasattr(view_point, "x") else view_point
        hit = self._hit_test(float(x), float(y))
        if hit != self._hover:
            self._hover = hit
            self._mark_hover(hit)
        if hit is None:
            self._hide_tip()
        else:
            self._show_tip(self._tooltip_for(hit))
        return hit

    def _mark_hover(self, hit: _Hit | None) -> None:
        """Outline the hovered node or bias, or darken the hovered synapse; emit the hovered node."""
        lay = self._layout
        if hit is None or hit.kind == "synapse":
            self._hover_rect.hide()
            self._set_hover_node(-1, -1)
        else:
            node = lay.starts[hit.a] + hit.b
            if hit.kind == "node":
                rect = QRectF(lay.node_x[node], lay.node_y[node], lay.s, lay.s)
            else:
                k = node - lay.starts[1]
                rect = QRectF(lay.bias_x[k], lay.bias_y[k], lay.bias_s, lay.bias_s)
            self._hover_rect.setRect(rect)
            self._hover_rect.show()
            self._set_hover_node(hit.a, hit.b)
        if hit is not None and hit.kind == "synapse":
            x0, y0, x1, y1 = self.synapse_segment(hit.a, hit.b, hit.c)
            self._syn_highlight.setData([x0, x1], [y0, y1])
        else:
            self._syn_highlight.setData([], [])

    def _set_hover_node(self, layer: int, index: int) -> None:
        if (layer, index) != self._hover_node:
            self._hover_node = (layer, index)
            self.sigNodeHovered.emit(layer, index)

    def _can_show_tips(self) -> bool:
        # headless platforms have no tooltip windows (and warn when asked to raise one)
        return self.isVisible() and QGuiApplication.platformName() not in ("offscreen", "minimal")

    def _show_tip(self, text: str) -> None:
        self._tip_text = text
        if self._can_show_tips():
            QToolTip.showText(QCursor.pos(), text, self.graphics)

    def _hide_tip(self) -> None:
        if self._tip_text:
            self._tip_text = ""
            if self._can_show_tips():
                QToolTip.hideText()

    def _unit_name(self, layer: int, index: int) -> str:
        snap = self._snap
        if layer == 0:
            name = snap.feature_names[index]
            return LABELS.get(name, name)
        if layer == len(snap.sizes) - 1:
            return "output" if snap.sizes[-1] == 1 else f"output {index + 1}"
        return f"h{layer},{index + 1}"

    def _tooltip_for(self, hit: _Hit) -> str:
        snap = self._snap
        last = len(snap.sizes) - 1
        if hit.kind == "synapse":
            w = float(snap.weights[hit.a][hit.b, hit.c])
            src, dst = self._unit_name(hit.a, hit.b), self._unit_name(hit.a + 1, hit.c)
            return (
                f"w = {w:.4f}  (from {src} to {dst})\n"
                f"contributes w·a to z of {dst}, where a is the activation of {src}\n"
                "click to edit"
            )
        name = self._unit_name(hit.a, hit.b)
        if hit.kind == "bias":
            b = float(snap.biases[hit.a - 1][hit.b])
            return f"b = {b:.4f}  (bias of {name})\nadds b to z = Σ wᵢ·aᵢ + b\nclick to edit"
        if hit.a == 0:
            feature = snap.feature_names[hit.b]
            return f"{name}: input {hit.b + 1} (feature {feature})\nfeeds every neuron of the next layer"
        act = snap.activations[hit.a - 1] if hit.a < last else snap.output
        where = "output layer" if hit.a == last else f"hidden layer {hit.a}"
        b = float(snap.biases[hit.a - 1][hit.b])
        return (
            f"{name}: {where}, neuron {hit.b + 1}\n"
            f"activation {act}: {FORMULAS.get(act, act)}\n"
            f"z = Σ wᵢ·aᵢ + b,   a = {act}(z)\n"
            f"b = {b:.4f}"
        )

    # ------------------------------------------------------------------ clicks and editing
    def _click_at(self, view_point) -> bool:
        """Handle a left click at ``view_point``: edit the synapse or bias there. Returns whether one was hit."""
        if self._layout is None:
            return False
        x, y = (view_point.x(), view_point.y()) if hasattr(view_point, "x") else view_point
        hit = self._hit_test(float(x), float(y))
        if hit is None or hit.kind == "node":
            return False
        snap = self._snap
        if hit.kind == "synapse":
            current = float(snap.weights[hit.a][hit.b, hit.c])
            src, dst = self._unit_name(hit.a, hit.b), self._unit_name(hit.a + 1, hit.c)
            value = self._ask_value(f"Weight from {src} to {dst}", current)
            if value is not None:
                self.sigWeightEdited.emit(snap.generation, hit.a, hit.b, hit.c, float(value))
        else:
            current = float(snap.biases[hit.a - 1][hit.b])
            value = self._ask_value(f"Bias of {self._unit_name(hit.a, hit.b)}", current)
            if value is not None:
                self.sigBiasEdited.emit(snap.generation, hit.a - 1, hit.b, float(value))
        return True

    def _ask_value(self, title: str, current: float) -> float | None:
        """Ask for a new value in a small popup at the cursor; ``None`` if cancelled (tests monkeypatch this)."""
        QToolTip.hideText()
        editor = _ValueEditor(title, current, self)
        editor.adjustSize()
        editor.move(QCursor.pos())
        if editor.exec() == QDialog.DialogCode.Accepted:
            return float(editor.spin.value())
        return None

    # ------------------------------------------------------------------ event handlers
    def _on_mouse_moved(self, scene_pos) -> None:
        if self._layout is None:
            return
        if not self.vb.sceneBoundingRect().contains(scene_pos):
            self._on_leave()
            return
        self._hover_at(self.vb.mapSceneToView(scene_pos))

    def _on_mouse_clicked(self, ev) -> None:
        if ev.isAccepted():  # a glyph took it
            return
        if ev.double():
            self.fit()
            ev.accept()
            return
        if ev.button() != Qt.MouseButton.LeftButton:
            return
        if self._click_at(self.vb.mapSceneToView(ev.scenePos())):
            ev.accept()

    def _on_leave(self) -> None:
        if self._hover is not None:
            self._hover = None
            self._mark_hover(None)
        self._hide_tip()

    def leaveEvent(self, ev) -> None:
        self._on_leave()
        super().leaveEvent(ev)

    def eventFilter(self, obj, ev) -> bool:
        if obj is self.graphics.viewport():
            kind = ev.type()
            if kind == QEvent.Type.MouseMove:
                self._on_mouse_moved(self.graphics.mapToScene(ev.position().toPoint()))
            elif kind == QEvent.Type.Leave:
                self._on_leave()
        return super().eventFilter(obj, ev)

    def _on_view_resized(self, *_args) -> None:
        if self._layout is not None and self._fitted:
            self.fit()
        else:
            self._update_label_visibility()

    def _on_range_changed_manually(self, *_args) -> None:
        self._fitted = False

    def _on_transform_changed(self, *_args) -> None:
        self._update_label_visibility()
        if self._layout is not None:
            self._update_pens(1.0 / self._pixel_size())
