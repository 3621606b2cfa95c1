"""The data-editing tool on the boundary view: draw points, erase them, clear, undo and redo.

:class:`DataEditor` is a small strip of controls (placed under the boundary view) plus the mouse handling on that
view's plot, and it keeps the session's data in an undoable :class:`~visualizer.engine.data.store.PointStore`.
With *Draw data* on (D):

* a click adds a point at the click's data coordinates — for two classes the left button adds the chosen class and
  the right button the other one; with more classes keys 1–9 (0 for the tenth) choose the class both buttons add;
  for regression the left button adds the chosen target value and the right button its negative;
* dragging paints points, one every few pixels (a stroke is one undo step);
* Shift+click (or the *Erase* tool) removes the points near the pointer, dragging erases along the way;
* *Clear* removes every point; Edit ▸ Undo / Redo (Ctrl+Z / Ctrl+Shift+Z) step through every data edit;
* new points go to the training set or the test set, as chosen.

Every edit makes a new immutable data set, drawn at once and sent by :attr:`DataEditor.sigDataEdited`; the window
hands it to the training thread, which trains the same network on it from its next epoch on (nothing is reset).
The editor follows the session: a data set it did not make (another data set chosen, new noise, an import) starts
a new edit history on it. Only 2-D data on the input plane can be drawn on; the tool is disabled otherwise.
"""

from __future__ import annotations

import weakref

import numpy as np
import pyqtgraph as pg
from PyQt6.QtCore import QEvent, QObject, QPointF, Qt, pyqtSignal
from PyQt6.QtGui import QAction, QColor, QIcon, QKeySequence, QPixmap
from PyQt6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..engine.data.store import PointStore
from . import colors

PAINT_SPACING_PX = 8.0
"""While dragging, a new point once the pointer is this many pixels from the last one."""
ERASE_RADIUS_PX = 10.0
"""Shift+click and the erase tool remove the points within this many pixels of the pointer."""
CLASS_KEYS = "1234567890"
"""Keys choosing the class to draw: 1 is the first class, … 0 the tenth."""


def _swatch(color: str, size: int = 12) -> QIcon:
    pix = QPixmap(size, size)
    pix.fill(QColor(color))
    return QIcon(pix)


def editable(dataset) -> bool:
    """Whether points can be drawn on ``dataset``: 2-D data on the input plane."""
    return dataset is not None and dataset.domain is not None and dataset.n_features == 2


class DataEditor(QWidget):
    """The data-editing strip and the drawing on ``view``'s plot (see the module docstring).

    Parameters
    ----------
    view : BoundaryView
        The view drawn on: its ``plot`` receives the mouse, its :meth:`show_points` shows an edit at once.

    Signals
    -------
    sigDataEdited(Dataset)
        The data after an edit (add, erase, clear, undo, redo). It may have no training row (all erased).
    sigMessage(str)
        A short note for the status bar.
    """

    sigDataEdited = pyqtSignal(object)
    sigMessage = pyqtSignal(str)

    def __init__(self, view, parent: QWidget | None = None):
        super().__init__(parent)
        self.view = view
        self.store: PointStore | None = None
        self._known: weakref.WeakSet = weakref.WeakSet()  # data sets this editor made (or started from)
        self._stroke: list[tuple[float, float]] = []  # points of the stroke being painted
        self._stroke_value: float | int | None = None
        self._stroke_px: QPointF | None = None
        self._erasing = False

        self.act_draw = self._make_action("Draw data", "D", "Draw points on the output map: click or drag to add, "
                                          "Shift+click to erase", checkable=True)
        self.act_draw.toggled.connect(self._on_draw_toggled)
        self.act_erase = self._make_action("Erase", None, "Erase tool: click or drag over points to remove them "
                                           "(Shift+click erases too)", checkable=True)
        self.act_clear = self._make_action("Clear", None, "Remove every point (undo brings them back)")
        self.act_clear.triggered.connect(self.clear)
        self.act_undo = self._make_action("Undo", QKeySequence.StandardKey.Undo, "Undo the last data edit")
        self.act_undo.triggered.connect(self.undo)
        self.act_redo = self._make_action("Redo", "Ctrl+Shift+Z", "Redo the data edit undone last")
        self.act_redo.triggered.connect(self.redo)
        self.class_actions: list[QAction] = []
        for k, key in enumerate(CLASS_KEYS):
            act = self._make_action(f"Draw class {k + 1}", key, f"Draw points of class {k + 1}")
            act.triggered.connect(lambda _=False, k=k: self.pick_class(k))
            self.class_actions.append(act)

        self.draw_button = self._tool_button(self.act_draw)
        self.erase_button = self._tool_button(self.act_erase)
        self.clear_button = self._tool_button(self.act_clear)
        sp = QStyle.StandardPixmap
        self.act_undo.setIcon(self.style().standardIcon(sp.SP_ArrowBack))
        self.act_redo.setIcon(self.style().standardIcon(sp.SP_ArrowForward))
        self.undo_button = self._tool_button(self.act_undo, Qt.ToolButtonStyle.ToolButtonIconOnly)
        self.redo_button = self._tool_button(self.act_redo, Qt.ToolButtonStyle.ToolButtonIconOnly)
        self.klass = QComboBox()
        self.klass.setToolTip("The class the left button draws (two classes: the right button draws the other one; "
                              "more classes: keys 1–9 and 0 choose).")
        self.target = QDoubleSpinBox()
        self.target.setRange(-1000.0, 1000.0)
        self.target.setDecimals(2)
        self.target.setSingleStep(0.1)
        self.target.setValue(0.5)
        self.target.setToolTip("Regression: the target value the left button draws (the right button draws its "
                               "negative).")
        self.destination = QComboBox()
        self.destination.addItem("→ training set", False)
        self.destination.addItem("→ test set", True)
        self.destination.setToolTip("Where new points go: the training set (the network learns them) or the test "
                                    "set (they only measure it).")
        self.value_label = QLabel("Class")
        # Until drawing is on the strip is one short row (Draw data, undo, redo): on a 1280×720 screen the loss
        # plot below needs the height. Erase, Clear and the class/target and destination row come with drawing.
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.setSpacing(2)
        buttons = QHBoxLayout()
        buttons.setSpacing(2)
        for b in (self.draw_button, self.erase_button, self.clear_button, self.undo_button, self.redo_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.tools_row = QWidget()  # what drawing needs: the class (or target) and where new points go
        row = QGridLayout(self.tools_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.value_label, 0, 0)
        row.addWidget(self.klass, 0, 1)
        row.addWidget(self.target, 0, 1)
        row.addWidget(self.destination, 0, 2)
        row.setColumnStretch(1, 1)
        row.setColumnStretch(2, 1)
        layout.addWidget(self.tools_row)
        self._show_tools(False)

        self.preview = pg.ScatterPlotItem(size=7, pen=pg.mkPen("w", width=1.0), pxMode=True)
        self.preview.setZValue(5)
        self.preview.hide()  # shown only while a stroke is drawn: an empty scatter still repaints every frame
        view.plot.addItem(self.preview)
        view.plot.viewport().installEventFilter(self)
        self._set_dataset_controls(None)
        self._update_actions()

    # ------------------------------------------------------------------ construction helpers
    def _make_action(self, text: str, shortcut, tip: str, checkable: bool = False) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            tip = f"{tip} ({action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)})"
        action.setToolTip(tip)
        action.setStatusTip(tip)
        action.setCheckable(checkable)
        return action

    @staticmethod
    def _tool_button(action: QAction, style=Qt.ToolButtonStyle.ToolButtonTextOnly) -> QToolButton:
        button = QToolButton()
        button.setDefaultAction(action)
        button.setToolButtonStyle(style)
        return button

    def window_actions(self) -> list[QAction]:
        """The actions whose shortcuts work anywhere in the window (the window adds them to itself)."""
        return [self.act_draw, self.act_undo, self.act_redo, *self.class_actions]

    # ------------------------------------------------------------------ following the session
    @property
    def dataset(self):
        """The data being edited (None before the first snapshot)."""
        return None if self.store is None else self.store.dataset

    @property
    def active(self) -> bool:
        """Draw mode is on and the data can be drawn on."""
        return self.act_draw.isChecked() and editable(self.dataset)

    def sync(self, dataset) -> None:
        """Follow the session's data (each drawn snapshot's data set). A data set this editor made is its own edit
        on its way (or an older one still in flight): nothing changes. Any other starts a new edit history."""
        if dataset is None or dataset in self._known:
            return
        if self.store is None:
            self.store = PointStore(dataset)
        else:
            self.store.reset(dataset)
        self._known = weakref.WeakSet([dataset])
        self._cancel_stroke()
        self.view.show_points(None)
        self._set_dataset_controls(dataset)
        self._update_actions()

    def _set_dataset_controls(self, dataset) -> None:
        can = editable(dataset)
        regression = can and dataset.task == "regression"
        self.klass.setVisible(not regression)
        self.target.setVisible(regression)
        self.value_label.setText("Target" if regression else "Class")
        if can and not regression:
            names = dataset.class_names or tuple(f"class {k + 1}" for k in range(dataset.n_classes))
            current = [self.klass.itemText(i) for i in range(self.klass.count())]
            if current != [f"{k + 1}: {n}" for k, n in enumerate(names)]:
                keep = self.klass.currentIndex()
                self.klass.clear()
                for k, name in enumerate(names):
                    self.klass.addItem(_swatch(colors.class_color(k)), f"{k + 1}: {name}", k)
                # two classes: the left button draws Playground's blue (+1) unless chosen otherwise
                default = 1 if len(names) == 2 else 0
                self.klass.setCurrentIndex(keep if 0 <= keep < len(names) else default)
        for w in (self.klass, self.target, self.destination):
            w.setEnabled(can)
        self.setToolTip("" if can else "Drawing needs 2-D data on the input plane (this data set has other inputs).")
        self.setVisible(dataset is None or can)  # a table or images: no map to draw on, no strip under it

    def _update_actions(self) -> None:
        store, can = self.store, editable(self.dataset)
        self.act_draw.setEnabled(can)
        if not can and self.act_draw.isChecked():
            self.act_draw.setChecked(False)
        self.act_erase.setEnabled(can)
        self.act_clear.setEnabled(can and store is not None and store.dataset.n_samples > 0)
        self.act_undo.setEnabled(store is not None and store.can_undo)
        self.act_redo.setEnabled(store is not None and store.can_redo)
        classes = self.dataset.n_classes if can and self.dataset.task == "classification" else 0
        for k, act in enumerate(self.class_actions):
            act.setEnabled(self.act_draw.isChecked() and k < classes)

    def _show_tools(self, on: bool) -> None:
        """The drawing tools beside Draw data (Erase, Clear) and the class/destination row: shown while drawing."""
        for w in (self.erase_button, self.clear_button, self.tools_row):
            w.setVisible(on)

    def _on_draw_toggled(self, on: bool) -> None:
        self._show_tools(on)
        viewport = self.view.plot.viewport()
        if on:
            viewport.setCursor(Qt.CursorShape.CrossCursor)
            self.sigMessage.emit("Draw data: click or drag to add points, Shift+click to erase; Ctrl+Z undoes.")
        else:
            viewport.unsetCursor()
            self._cancel_stroke()
            self.act_erase.setChecked(False)
        self._update_actions()

    # ------------------------------------------------------------------ choices
    def pick_class(self, k: int) -> None:
        """Choose class ``k`` (0-based) for drawing (keys 1–9, 0)."""
        if 0 <= k < self.klass.count():
            self.klass.setCurrentIndex(k)
            self.sigMessage.emit(f"Drawing class {self.klass.currentText()}")

    def selected_class(self) -> int:
        return max(0, self.klass.currentIndex())

    def to_test(self) -> bool:
        return bool(self.destination.currentData())

    def value_for(self, button: Qt.MouseButton) -> float | int:
        """What a click with ``button`` adds: a class index, or a regression target."""
        ds = self.dataset
        right = button == Qt.MouseButton.RightButton
        if ds.task == "regression":
            value = float(self.target.value())
            return -value if right else value
        k = self.selected_class()
        if right and ds.n_classes == 2:
            return 1 - k
        return k

    # ------------------------------------------------------------------ edits
    def add_points(self, points, value) -> int:
        """Add ``points`` (n, 2) with one class index or target ``value``; one undo step."""
        if self.store is None:
            return 0
        P = np.asarray(points, dtype=np.float64).reshape(-1, 2)
        try:
            added = self.store.add(P, np.full(P.shape[0], value), to_test=self.to_test())
        except ValueError as err:
            self.sigMessage.emit(f"Points not added: {err}")
            return 0
        if added:
            self._changed(f"Added {added} point{'s' if added != 1 else ''} to the "
                          f"{'test' if self.to_test() else 'training'} set")
        return added

    def erase_at(self, x: float, y: float, radius: float) -> int:
        if self.store is None:
            return 0
        try:
            removed = self.store.remove_near(x, y, radius)
        except ValueError as err:
            self.sigMessage.emit(f"Nothing erased: {err}")
            return 0
        if removed:
            self._changed(f"Erased {removed} point{'s' if removed != 1 else ''}")
        return removed

    def clear(self) -> None:
        if self.store is not None and editable(self.dataset) and self.store.clear():
            self._changed("Cleared every point: draw new ones (Ctrl+Z brings them back)")

    def undo(self) -> None:
        if self.store is not None and self.store.undo():
            self._changed("Undid a data edit")

    def redo(self) -> None:
        if self.store is not None and self.store.redo():
            self._changed("Redid a data edit")

    def _changed(self, message: str) -> None:
        ds = self.store.dataset
        self._known.add(ds)
        self.view.show_points(ds)
        self._set_dataset_controls(ds)
        self._update_actions()
        self.sigMessage.emit(message)
        self.sigDataEdited.emit(ds)

    # ------------------------------------------------------------------ the mouse on the plot
    def to_data(self, pos: QPointF) -> tuple[float, float]:
        """Viewport coordinates of the plot → data coordinates."""
        plot = self.view.plot
        p = plot.plotItem.vb.mapSceneToView(plot.mapToScene(pos.toPoint()))
        return float(p.x()), float(p.y())

    def _erase_radius(self) -> float:
        px = self.view.plot.plotItem.vb.viewPixelSize()
        return ERASE_RADIUS_PX * max(abs(px[0]), abs(px[1]))

    def _inside(self, x: float, y: float) -> bool:
        lo, hi = self.dataset.domain
        return bool(np.isfinite(x) and np.isfinite(y) and lo <= x <= hi and lo <= y <= hi)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.MouseButtonRelease,
                        QEvent.Type.MouseButtonDblClick):
            return False
        if not self.active:
            if self._stroke:
                self._cancel_stroke()
            return False
        try:
            if kind == QEvent.Type.MouseButtonPress:
                self._press(event)
            elif kind == QEvent.Type.MouseMove:
                if event.buttons() == Qt.MouseButton.NoButton:
                    return False  # hovering: the view's own tooltips
                self._move(event)
            elif kind == QEvent.Type.MouseButtonRelease:
                self._release(event)
        except Exception as err:  # a slot must never raise into Qt
            self._cancel_stroke()
            self.sigMessage.emit(f"Drawing failed: {type(err).__name__}: {err}")
        return True  # in draw mode the plot's own mouse handling stays out of it

    def _press(self, event) -> None:
        button = event.button()
        if button not in (Qt.MouseButton.LeftButton, Qt.MouseButton.RightButton):
            return
        x, y = self.to_data(event.position())
        self._erasing = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier) or self.act_erase.isChecked()
        if self._erasing:
            self._stroke_px = event.position()
            self.erase_at(x, y, self._erase_radius())
            return
        self._cancel_stroke()
        if not self._inside(x, y):
            self.sigMessage.emit("Points go inside the input plane")
            return
        self._stroke_value = self.value_for(button)
        self._stroke = [(x, y)]
        self._stroke_px = event.position()
        self._show_stroke()

    def _move(self, event) -> None:
        if self._stroke_px is None:
            return
        pos = event.position()
        if (pos - self._stroke_px).manhattanLength() < PAINT_SPACING_PX:
            return
        x, y = self.to_data(pos)
        self._stroke_px = pos
        if self._erasing:
            self.erase_at(x, y, self._erase_radius())
        elif self._stroke and self._inside(x, y):
            self._stroke.append((x, y))
            self._show_stroke()

    def _release(self, _event) -> None:
        stroke, value = self._stroke, self._stroke_value
        self._cancel_stroke()
        if stroke and value is not None:
            self.add_points(np.array(stroke), value)

    def _show_stroke(self) -> None:
        ds = self.dataset
        if ds.task == "regression":
            lo, hi = getattr(self.view, "value_range", (-1.0, 1.0))
            t = float(np.clip(2.0 * (self._stroke_value - lo) / (hi - lo) - 1.0, -1.0, 1.0)) if hi > lo else 0.0
            brush = pg.mkBrush(*colors.colorize_diverging(np.array([t]))[0])
        else:
            brush = pg.mkBrush(colors.class_color(int(self._stroke_value)))
        self.preview.setData(pos=np.array(self._stroke), brush=brush)
        self.preview.show()

    def _cancel_stroke(self) -> None:
        self._stroke = []
        self._stroke_value = None
        self._stroke_px = None
        self._erasing = False
        self.preview.clear()
        self.preview.hide()
