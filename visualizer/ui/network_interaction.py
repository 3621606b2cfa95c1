"""Hover, tooltips, clicks and value editing on the network diagram.

:class:`InteractionMixin` is one part of :class:`~visualizer.ui.network_view.NetworkView`; it works on the view's
state (layout, snapshot) and emits the view's signals.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PyQt6.QtCore import QEvent, QRectF, Qt
from PyQt6.QtGui import QCursor, QGuiApplication
from PyQt6.QtWidgets import QToolTip

from ..engine.activations import FORMULAS
from ..engine.features import LABELS
from .network_editor import ValueEditor
from .numbers import format_number

_ValueEditor = ValueEditor  # the old name


@dataclass
class _Hit:
    """What is under the cursor: ``kind`` is ``"node"``, ``"bias"``, ``"synapse"`` or ``"ghost"``.

    ``node``/``bias``: ``a`` = column (0 = inputs), ``b`` = unit. ``synapse``: ``a`` = weight layer, ``b`` = source
    unit, ``c`` = target unit. ``ghost`` (an unused candidate feature): ``b`` = its row in the input column.
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
        if len(lay.ghost_rows):
            inside = (x >= lay.ghost_x - pad) & (x <= lay.ghost_x + s + pad) & (y >= lay.ghost_y - pad)
            inside &= y <= lay.ghost_y + s + pad
            k = np.flatnonzero(inside)
            if k.size:
                return _Hit("ghost", 0, int(lay.ghost_rows[k[0]]))
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
        elif hit.kind == "ghost":
            g = int(np.flatnonzero(lay.ghost_rows == hit.b)[0])
            self._hover_rect.setRect(QRectF(lay.ghost_x[g], lay.ghost_y[g], lay.s, lay.s))
            self._hover_rect.show()
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
            if self._is_dead(hit.a, hit.b, hit.c):
                return (
                    f"w = {format_number(w)}  (from {src} to {dst}): dead (L1 carried it to 0)\n"
                    "it is never updated again; Reset or new weights bring it back\n"
                    "click to edit"
                )
            return (
                f"w = {format_number(w)}  (from {src} to {dst})\n"
                f"contributes w·a to z of {dst}, where a is the activation of {src}\n"
                "click to edit"
            )
        if hit.kind == "ghost":
            feature = self._candidates[hit.b]
            return f"{LABELS.get(feature, feature)}: not an input now (feature {feature})\nclick to add it as an input"
        name = self._unit_name(hit.a, hit.b)
        if hit.kind == "bias":
            b = float(snap.biases[hit.a - 1][hit.b])
            return f"b = {format_number(b)}  (bias of {name})\nadds b to z = Σ wᵢ·aᵢ + b\nclick to edit"
        if hit.a == 0:
            feature = snap.feature_names[hit.b]
            text = f"{name}: input {hit.b + 1} (feature {feature})\nfeeds every neuron of the next layer"
            if self._features_choosable(snap):
                text += "\nclick to remove this input" if snap.sizes[0] > 1 else "\n(the last input: cannot be removed)"
            return text
        act = snap.activations[hit.a - 1] if hit.a < last else snap.output
        where = "output layer" if hit.a == last else f"hidden layer {hit.a}"
        b = float(snap.biases[hit.a - 1][hit.b])
        return (
            f"{name}: {where}, neuron {hit.b + 1}\n"
            f"activation {act}: {FORMULAS.get(act, act)}\n"
            f"z = Σ wᵢ·aᵢ + b,   a = {act}(z)\n"
            f"b = {format_number(b)}"
        )

    def _is_dead(self, layer: int, i: int, j: int) -> bool:
        dead = self._snap.dead
        try:
            return bool(dead is not None and dead[layer][i, j])
        except (IndexError, TypeError):
            return False

    # ------------------------------------------------------------------ clicks and editing
    def _click_at(self, view_point) -> bool:
        """Handle a left click at ``view_point``: edit the synapse or bias there, or toggle the input feature
        clicked (2-D data). Returns whether something was hit."""
        if self._layout is None:
            return False
        x, y = (view_point.x(), view_point.y()) if hasattr(view_point, "x") else view_point
        hit = self._hit_test(float(x), float(y))
        if hit is None:
            return False
        snap = self._snap
        if hit.kind == "ghost":
            self.sigFeatureToggled.emit(self._candidates[hit.b])
            return True
        if hit.kind == "node":
            if hit.a == 0 and self._features_choosable(snap):
                self.sigFeatureToggled.emit(snap.feature_names[hit.b])
                return True
            return False
        # the edit is for the network drawn now: its generation goes with it (the worker drops a stale one)
        generation = snap.generation
        if hit.kind == "synapse":
            layer, i, j = hit.a, hit.b, hit.c
            src, dst = self._unit_name(layer, i), self._unit_name(layer + 1, j)

            def apply(value: float) -> None:
                self.sigWeightEdited.emit(generation, layer, i, j, float(value))

            title, current = f"Weight from {src} to {dst}", float(snap.weights[layer][i, j])
        else:
            layer, j = hit.a - 1, hit.b

            def apply(value: float) -> None:
                self.sigBiasEdited.emit(generation, layer, j, float(value))

            title, current = f"Bias of {self._unit_name(hit.a, hit.b)}", float(snap.biases[layer][j])
        value = self._ask_value(title, current, apply)
        if value is not None:  # an answer at once (tests replace _ask_value)
            apply(value)
        return True

    def _ask_value(self, title: str, current: float, apply) -> float | None:
        """Open the value editor at the cursor; ``apply(value)`` is called when a valid value is entered. Returns
        None: the answer comes later, without a nested event loop (tests may replace this to answer at once)."""
        QToolTip.hideText()
        self._close_editor()
        editor = self._editor = ValueEditor(title, current, self)
        editor.sigValue.connect(apply)
        editor.sigClosed.connect(lambda e=editor: self._on_editor_closed(e))
        pos = self.mapFromGlobal(QCursor.pos())
        if not self.rect().contains(pos):
            pos = self.rect().center()
        editor.open_at(pos)
        return None

    def editor(self) -> ValueEditor | None:
        """The open value editor, if any."""
        return self._editor

    def _close_editor(self) -> None:
        if self._editor is not None:
            self._editor.close()

    def _on_editor_closed(self, editor: ValueEditor) -> None:
        if self._editor is editor:
            had_focus = editor.isAncestorOf(QGuiApplication.focusObject()) if QGuiApplication.focusObject() else False
            self._editor = None
            if had_focus or QGuiApplication.focusObject() is None:
                self.setFocus()  # keys go back to the window's shortcuts

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
            elif kind == QEvent.Type.Resize:
                self._place_overlays()
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
