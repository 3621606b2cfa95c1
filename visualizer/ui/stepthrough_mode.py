"""The step-through mode: one training step on a chosen sample or mini-batch, stage by stage.

:class:`StepThroughMode` is the controller of the mode (issue 10). It is entered from the toolbar, the Training
menu or the key ``T``; entering pauses training. A click on the output map picks the nearest training point
(Shift+click adds points to a mini-batch, *Next mini-batch* takes the batch the trainer would use next; for data
that are not a plane the first training row is chosen). The stages are Forward, Loss, Backward and Update; → and
← move between them while the mode is active (instead of stepping epochs) and Esc leaves the mode. → on Update
applies the step through the training worker (``TrainingController.apply_step``): the engine's own step on those
rows, so the live network ends bit for bit where one engine step would.

Where the numbers come from: the worker computes them (``stepthrough`` command) with the engine's step-through
functions on a *copy* of its trainer, and sends them back. The GUI could compute forward values, deltas and
gradients from a snapshot's weights, but not the Update stage: Adam's moments, momentum's velocity, L1's dead links
and the trainer's prepared (featurized, normalized) rows live only in the worker, and the old → new values must be
the ones the step will really produce. Training is paused meanwhile, so the request costs the worker nothing.

The overlay on the network view (:mod:`.network_stepthrough`) and the formula panel (:mod:`.formula_panel`) draw
what this controller holds: the record, the stage and the hovered or selected item.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PyQt6.QtCore import QEvent, QObject, Qt, QTimer, pyqtSignal
from PyQt6.QtGui import QAction, QKeySequence
from PyQt6.QtWidgets import QApplication, QStyle, QWidget

STAGES = ("Forward", "Loss", "Backward", "Update")
"""The stages of one training step, in order."""


def fits(item, sizes) -> bool:
    """Whether ``item`` (``("node" | "bias", column, unit)`` or ``("synapse", layer, i, j)``) exists in a network
    of layer ``sizes``."""
    if item is None or sizes is None:
        return False
    try:
        if item[0] == "synapse":
            layer, i, j = (int(v) for v in item[1:])
            return 0 <= layer < len(sizes) - 1 and 0 <= i < sizes[layer] and 0 <= j < sizes[layer + 1]
        col, unit = int(item[1]), int(item[2])
        return 0 <= col < len(sizes) and 0 <= unit < sizes[col] and (item[0] != "bias" or col > 0)
    except (TypeError, ValueError, IndexError):
        return False


class StepNumbers:
    """What the overlay draws, read from an engine :class:`~visualizer.engine.stepthrough.StepRecord` (no copy, no
    arithmetic): ``act[c]`` and ``net[c - 1]`` are the activations and weighted sums of column ``c`` (0 = inputs),
    ``deltas[c - 1]`` its deltas, ``gW``/``gb`` the reduced gradients, ``old*``/``new*`` the parameters."""

    def __init__(self, record):
        self.record = record
        self.sizes = tuple(record.sizes)
        self.n = record.n
        self.reduction = record.reduction
        self.act = (record.inputs, *record.out)
        self.net = record.net
        self.target = record.target
        self.loss_terms = record.loss_terms
        self.loss = record.data_loss
        self.deltas = record.delta
        self.gW, self.gb = record.grad_w, record.grad_b
        self.oldW, self.oldb = record.weights_before, record.biases_before
        self.newW, self.newb = record.weights_after, record.biases_after


_numbers_cache: dict[int, StepNumbers] = {}


def numbers_of(record) -> StepNumbers:
    """The :class:`StepNumbers` of an engine record (cached for the newest record)."""
    cached = _numbers_cache.get(id(record))
    if cached is None or cached.record is not record:
        _numbers_cache.clear()
        cached = _numbers_cache[id(record)] = StepNumbers(record)
    return cached


class StepThroughMode(QObject):
    """Controller of the step-through mode of a :class:`~visualizer.ui.main_window.MainWindow`.

    Signals
    -------
    sigChanged()
        The record, the stage, the selection or the active state changed: views redraw.
    sigSelectionChanged()
        The hovered or selected neuron or synapse changed (the formula panel follows it).

    Attributes
    ----------
    active : bool
    stage : int
        Index into :data:`STAGES`.
    indices : tuple of int
        The training rows of the step (one sample, or a mini-batch).
    payload : dict or None
        The newest answer of the worker: ``generation``, ``indices`` and ``record`` (the engine's records).
    focus : tuple or None
        The hovered (else the selected) item: ``("node", layer, unit)``, ``("bias", layer, unit)`` or
        ``("synapse", weight_layer, i, j)``; ``layer`` counts columns (0 = inputs).
    """

    sigChanged = pyqtSignal()
    sigSelectionChanged = pyqtSignal()

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.controller = window.controller
        self.active = False
        self.stage = 0
        self.indices: tuple[int, ...] = (0,)
        self.payload: dict | None = None
        self._requested: tuple | None = None  # (generation, indices, steps, reduction) last asked for
        self._applied = False  # an Update was sent: the next record starts at Forward again
        self._batch_pending = False
        self._was_running = False  # training ran when the mode was entered: leaving resumes it
        self.hovered: tuple | None = None
        self.selected: tuple | None = None

        self.act_mode = QAction("Step through", window)
        self.act_mode.setCheckable(True)
        self.act_mode.setIcon(window.style().standardIcon(QStyle.StandardPixmap.SP_FileDialogContentsView))
        self.act_mode.setShortcut(QKeySequence("T"))
        self.act_mode.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.act_mode.setToolTip("Step through one training step: forward, loss, backward, update (T)")
        self.act_mode.setStatusTip("Step through one training step with the real numbers; → / ← stages, Esc leaves")
        self.act_mode.toggled.connect(self._on_toggled)
        window.addAction(self.act_mode)
        self.act_batch = QAction("Next mini-batch", window)
        self.act_batch.setToolTip("Step through the mini-batch the trainer would take next (B in the mode)")
        self.act_batch.triggered.connect(self.pick_next_batch)
        self.act_batch.setEnabled(False)
        window.__dict__.pop("_key_action_map", None)  # the window's key map is rebuilt with T in it

        self.marker = pg.ScatterPlotItem(size=16, pen=pg.mkPen("#d32f2f", width=2.5), brush=pg.mkBrush(0, 0, 0, 0),
                                         pxMode=True)
        self.marker.setZValue(15)
        window.boundary_view.plot.addItem(self.marker)
        self.marker.hide()
        table = getattr(getattr(window, "table_view", None), "table", None)
        if table is not None:  # data that is not a plane: a click on a training row picks it (rows: training first)
            table.cellClicked.connect(self._on_table_row)
        self.controller.sigStepThrough.connect(self._on_record)
        self.controller.sigSnapshot.connect(self._on_snapshot)
        self.controller.sigRunningChanged.connect(self._on_running_changed)
        self._map_viewport = window.boundary_view.plot.viewport()
        self._net_viewport = window.network_view.graphics.viewport()
        QApplication.instance().installEventFilter(self)  # after the window's filter: this one sees keys first
        self._map_viewport.installEventFilter(self)  # after the data editor's: a click picks a sample first
        self._net_viewport.installEventFilter(self)
        window.destroyed.connect(self._forget_app)

    # ------------------------------------------------------------------ state
    @property
    def record(self):
        return None if self.payload is None else self.payload["record"]

    @property
    def focus(self) -> tuple | None:
        """The hovered, else the selected item — if it still exists in the network drawn now."""
        snap = self.controller.latest
        sizes = None if snap is None else tuple(snap.sizes)
        view_snap = getattr(self.window.network_view, "_snap", None)
        for item in (self.hovered, self.selected):
            if item is not None and fits(item, sizes) and (view_snap is None or fits(item, tuple(view_snap.sizes))):
                return item
        return None

    def stage_name(self) -> str:
        return STAGES[self.stage]

    def enter(self) -> None:
        if not self.active:
            self.act_mode.setChecked(True)

    def leave(self) -> None:
        if self.active:
            self.act_mode.setChecked(False)

    def _on_toggled(self, on: bool) -> None:
        if on == self.active:
            return
        self.active = on
        self.act_batch.setEnabled(on)
        if on:
            app = QApplication.instance()
            app.removeEventFilter(self)
            app.installEventFilter(self)  # (again) the newest filter is asked first: → moves stages, not epochs
            self._was_running = self.controller.is_running()
            self.controller.pause()
            ed = getattr(self.window, "data_editor", None)
            if ed is not None and getattr(ed, "act_draw", None) is not None and ed.act_draw.isChecked():
                ed.act_draw.setChecked(False)  # a click on the map picks a sample now
            self.stage = 0
            self.payload = None
            self._requested = None
            n_train = self._n_train()
            if n_train and not all(0 <= i < n_train for i in self.indices):
                self.indices = (0,)
            self._request()
            self.window.statusBar().showMessage(
                "Step-through: click a training point (Shift+click: a mini-batch) · → / ← stages · Esc leaves", 8000)
        else:
            self.hovered = self.selected = None
            if self._was_running and not self.controller.is_running():
                self.controller.play()  # training resumes as it was before the mode
                self.window.statusBar().showMessage("Step-through left; training resumed.", 4000)
            else:
                self.window.statusBar().showMessage("Step-through left; Space trains on.", 4000)
            self._was_running = False
        self._show_marker()
        self.sigChanged.emit()
        self.sigSelectionChanged.emit()

    def _n_train(self) -> int:
        snap = self.controller.latest
        ds = None if snap is None else snap.dataset
        return int(getattr(ds, "n_train", 0) or 0)

    # ------------------------------------------------------------------ picking samples
    def pick(self, indices, add: bool = False) -> None:
        """Step through training rows ``indices`` (``add``: toggle them in the current batch)."""
        indices = tuple(int(i) for i in np.atleast_1d(indices))
        if add:
            current = list(self.indices)
            for i in indices:
                if i in current:
                    if len(current) > 1:
                        current.remove(i)
                else:
                    current.append(i)
            indices = tuple(current)
        if not indices:
            return
        self.indices = indices
        self.stage = 0
        self._request(force=True)
        self._show_marker()
        self.sigChanged.emit()

    def pick_next_batch(self) -> None:
        """The mini-batch the trainer would take next (its rows come back with the record)."""
        if not self.active:
            return
        snap = self.controller.latest
        if snap is None:
            return
        self.stage = 0
        self._requested = None
        self._batch_pending = True  # its rows come with the answer: no request for the old rows meanwhile
        self.controller.request_stepthrough(snap.generation, None)
        self.sigChanged.emit()

    def _show_marker(self) -> None:
        """Ring the chosen training points on the output map."""
        snap = self.controller.latest
        ds = None if snap is None else snap.dataset
        if not self.active or ds is None or getattr(ds, "n_features", 0) != 2:
            self.marker.hide()
            return
        X = np.asarray(ds.X_train, dtype=np.float64)
        idx = [i for i in self.indices if 0 <= i < len(X)]
        self.marker.setData(pos=X[idx] if idx else np.empty((0, 2)))
        self.marker.show()

    def _on_table_row(self, row: int, _column: int) -> None:
        if self.active and 0 <= row < self._n_train():
            add = bool(QApplication.keyboardModifiers() & Qt.KeyboardModifier.ShiftModifier)
            self.pick(row, add=add)
            QTimer.singleShot(0, self._focus_network)

    def nearest_training_point(self, x: float, y: float) -> int | None:
        """Index of the training point nearest to ``(x, y)`` on the output map (None without 2-D data)."""
        snap = self.controller.latest
        ds = None if snap is None else snap.dataset
        if ds is None or getattr(ds, "n_features", 0) != 2 or not ds.n_train:
            return None
        X = np.asarray(ds.X_train, dtype=np.float64)
        d2 = (X[:, 0] - x) ** 2 + (X[:, 1] - y) ** 2
        d2[~np.isfinite(d2)] = np.inf
        k = int(np.argmin(d2))
        return k if np.isfinite(d2[k]) else None

    # ------------------------------------------------------------------ stages
    def next_stage(self) -> None:
        if self.record is None:
            return
        if self.stage < len(STAGES) - 1:
            self.stage += 1
            self.sigChanged.emit()
        else:
            self.apply()

    def previous_stage(self) -> None:
        if self.stage > 0:
            self.stage -= 1
            self.sigChanged.emit()

    def set_stage(self, stage: int) -> None:
        stage = int(np.clip(stage, 0, len(STAGES) - 1))
        if stage != self.stage:
            self.stage = stage
            self.sigChanged.emit()

    def apply(self) -> None:
        """Finish Update: one engine step on the chosen rows, in the worker; the mode goes on with the new network."""
        payload = self.payload
        if payload is None:
            return
        self._applied = True
        self.controller.apply_step(payload["generation"], payload["indices"])
        self.window.statusBar().showMessage(
            f"Step applied on {self._rows_text(payload['indices'])}: the network moved by one engine step.", 5000)

    @staticmethod
    def _rows_text(indices) -> str:
        if len(indices) == 1:
            return f"training sample {indices[0] + 1}"
        return f"a mini-batch of {len(indices)} samples"

    # ------------------------------------------------------------------ the worker
    def _key(self, snap) -> tuple:
        config = snap.config
        reduction = getattr(config, "batch_reduction", "mean")
        return (snap.generation, tuple(self.indices), snap.steps, reduction,
                tuple(w.tobytes() for w in snap.weights), tuple(b.tobytes() for b in snap.biases))

    def _request(self, force: bool = False) -> None:
        snap = self.controller.latest
        if not self.active or snap is None or self._batch_pending:
            return
        n_train = int(getattr(snap.dataset, "n_train", 0) or 0)
        if n_train and any(not 0 <= i < n_train for i in self.indices):  # other data now (regenerated, a lesson)
            self.indices = tuple(i for i in self.indices if 0 <= i < n_train) or (0,)
            self.stage = 0
            self._show_marker()
        key = self._key(snap)
        if not force and key == self._requested:
            return
        self._requested = key
        self.controller.request_stepthrough(snap.generation, self.indices)

    def _on_snapshot(self, snap) -> None:
        if self.active:
            self._request()  # a new network, an applied step, an edit or another reduction: new numbers

    def _on_record(self, payload) -> None:
        if not self.active or not isinstance(payload, dict):
            return
        snap = self.controller.latest
        if snap is not None and payload.get("generation") != snap.generation:
            return  # for a network that is gone
        if self.payload is not None and self.payload.get("generation") != payload.get("generation"):
            self.hovered = self.selected = None  # another network: its neurons and synapses are others
        self.payload = payload
        self.indices = tuple(payload["indices"])
        self._batch_pending = False
        record = payload["record"]
        if snap is not None and np.array_equal(record.params_before, np.concatenate(
                [np.vstack([w, b[None]]).reshape(-1) for w, b in zip(snap.weights, snap.biases, strict=True)])):
            self._requested = self._key(snap)  # these numbers belong to the network drawn now
        self._show_marker()
        if self._applied:
            self._applied = False
            self.stage = 0
        self.sigChanged.emit()
        self.sigSelectionChanged.emit()

    def _on_running_changed(self, running: bool) -> None:
        if running and self.active:
            self._was_running = False
            self.leave()  # Play leaves the mode: training resumes normally

    # ------------------------------------------------------------------ focus (hover and selection)
    def set_hovered(self, item: tuple | None) -> None:
        if item != self.hovered:
            self.hovered = item
            self.sigSelectionChanged.emit()

    def set_selected(self, item: tuple | None) -> None:
        if item != self.selected:
            self.selected = item
            self.sigSelectionChanged.emit()

    def _network_item_at(self, pos) -> tuple | None:
        nv = self.window.network_view
        if nv._layout is None:
            return None
        p = nv.vb.mapSceneToView(nv.graphics.mapToScene(pos.toPoint()))
        hit = nv._hit_test(float(p.x()), float(p.y()))
        if hit is None or hit.kind == "ghost":
            return None
        if hit.kind == "synapse":
            return ("synapse", hit.a, hit.b, hit.c)
        return (hit.kind, hit.a, hit.b)

    # ------------------------------------------------------------------ events
    def shutdown(self) -> None:
        """The window closes: stop the overlay's animation and the event filters (idempotent)."""
        self.active = False
        self._was_running = False
        self._forget_app()
        overlay = getattr(self.window, "stepthrough_overlay", None)
        if overlay is not None:
            overlay.stop()

    def _focus_network(self) -> None:
        if self.active and not getattr(self.window, "_closing", False):
            self.window.network_view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _forget_app(self, *_args) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def eventFilter(self, obj, event) -> bool:
        if not self.active or getattr(self.window, "_closing", False):
            return False
        try:
            return self._filter(obj, event)
        except RuntimeError:  # a widget being destroyed
            return False
        except Exception as err:  # never raise into Qt
            self.window.statusBar().showMessage(f"Step-through: {type(err).__name__}: {err}", 8000)
            return False

    def _filter(self, obj, event) -> bool:
        if not self.active:
            return False
        kind = event.type()
        if kind in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride):
            return self._key_event(obj, event, kind)
        if obj is self._map_viewport:
            if kind == QEvent.Type.MouseButtonPress and event.button() == Qt.MouseButton.LeftButton:
                ed = self.window.data_editor
                x, y = ed.to_data(event.position())
                k = self.nearest_training_point(x, y)
                if k is not None:
                    add = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
                    self.pick(k, add=add)
                QTimer.singleShot(0, self._focus_network)  # → and ← keep moving the stages
                return True
            return kind in (QEvent.Type.MouseButtonRelease, QEvent.Type.MouseButtonDblClick)
        if obj is self._net_viewport:
            if kind == QEvent.Type.MouseMove:
                self.set_hovered(self._network_item_at(event.position()))
            elif kind == QEvent.Type.Leave:
                self.set_hovered(None)
            elif kind == QEvent.Type.MouseButtonPress and event.button() == Qt.MouseButton.LeftButton:
                item = self._network_item_at(event.position())
                if item is not None:
                    self.set_selected(None if item == self.selected else item)
                    return True  # in the mode a click selects (the value editor stays closed)
            elif kind == QEvent.Type.MouseButtonRelease and event.button() == Qt.MouseButton.LeftButton:
                return self._network_item_at(event.position()) is not None
        return False

    def _key_event(self, obj, event, kind) -> bool:
        if not isinstance(obj, QWidget) or obj is not QApplication.focusWidget():
            return False
        top = obj.window()
        if top is not self.window and top.parentWidget() is not self.window:
            return False
        if self.window.is_text_field(obj) or event.modifiers() not in (Qt.KeyboardModifier.NoModifier,
                                                                       Qt.KeyboardModifier.KeypadModifier):
            return False
        key = event.key()
        if key not in (Qt.Key.Key_Right, Qt.Key.Key_Left, Qt.Key.Key_Escape, Qt.Key.Key_B, Qt.Key.Key_Up,
                       Qt.Key.Key_Down):
            return False
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and (self.record is None or self.record.n < 2):
            return False  # ↑ / ↓ choose the sample of a mini-batch the neurons show
        if kind == QEvent.Type.ShortcutOverride:
            event.accept()
            return True
        if key == Qt.Key.Key_Right:
            if not event.isAutoRepeat() or self.stage < len(STAGES) - 1:
                self.next_stage()
        elif key == Qt.Key.Key_Left:
            self.previous_stage()
        elif key == Qt.Key.Key_B:
            self.pick_next_batch()
        elif key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            overlay = getattr(self.window, "stepthrough_overlay", None)
            if overlay is not None:
                overlay.set_sample(overlay.sample + (1 if key == Qt.Key.Key_Down else -1))
        else:
            self.leave()
        return True


def install(window) -> StepThroughMode:
    """Create the step-through mode of ``window`` with its overlay and formula panel, and add its actions to the
    training toolbar and the Training menu."""
    from .formula_panel import FormulaPanel
    from .network_stepthrough import StepThroughOverlay

    mode = StepThroughMode(window)
    window.stepthrough = mode
    window.stepthrough_overlay = StepThroughOverlay(window.network_view, mode)
    window.formula_panel = FormulaPanel(window, mode)
    bar = getattr(window, "training_toolbar", None)
    if bar is not None:
        actions = bar.actions()
        after = actions.index(window.act_step_epoch) + 1 if window.act_step_epoch in actions else len(actions)
        if after < len(actions):
            bar.insertAction(actions[after], mode.act_mode)
        else:
            bar.addAction(mode.act_mode)
    for menu_action in window.menuBar().actions():
        menu = menu_action.menu()
        if menu is not None and menu_action.text().replace("&", "") == "Training":
            menu.addSeparator()
            menu.addAction(mode.act_mode)
            menu.addAction(mode.act_batch)
    return mode
