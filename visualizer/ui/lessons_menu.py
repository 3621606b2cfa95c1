"""The Lessons menu: the tutorials as lessons, built from the engine's declarative lessons.

:class:`LessonController` adds a *Lessons* menu with every :func:`~visualizer.engine.lessons.lesson_names` entry
(and its variants). Choosing one sets up its data, network, starting weights and training settings in the running
window — the engine's :func:`~visualizer.engine.lessons.build_lesson` makes the experiment, the training worker
loads it (``TrainingController.load``) — and opens the lesson panel (:mod:`.lesson_panel`) beside the network.
Esc (or *Leave lesson*) restores the configuration and data the window had before the first lesson.

McCulloch-Pitts: the weights and threshold typed in the panel are also sent to the live unit (``edit_weight``,
``edit_bias`` with ``b = −θ``), so the network view shows the unit that the truth table describes.
"""

from __future__ import annotations

from PyQt6.QtCore import QEvent, QObject, Qt
from PyQt6.QtGui import QAction
from PyQt6.QtWidgets import QApplication, QDockWidget, QWidget

from ..engine import lessons as engine_lessons
from .lesson_panel import LessonPanel


class LessonController(QObject):
    """Lessons of a :class:`~visualizer.ui.main_window.MainWindow`; see the module docstring.

    Attributes
    ----------
    lesson : Lesson or None
        The resolved lesson shown now.
    name, variant : str or None
    """

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.lesson = None
        self.name: str | None = None
        self.variant: str | None = None
        self._before = None  # (config, dataset) to restore when the lesson is left
        self._epochs: int | None = None
        self.panel = LessonPanel()
        self.dock = QDockWidget("Lesson", window)
        self.dock.setObjectName("lesson")
        self.dock.setWidget(self.panel)
        self.dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                              | QDockWidget.DockWidgetFeature.DockWidgetFloatable)
        window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.dock)
        window.tabifyDockWidget(window.dock_data, self.dock)
        self.dock.hide()
        self.panel.sigVariant.connect(lambda v: self.open_lesson(self.name, v))
        self.panel.sigLeave.connect(self.leave)
        self.panel.unit.sigChanged.connect(self._on_unit_edited)
        window.controller.sigSnapshot.connect(self._on_snapshot)
        window.act_reset.triggered.connect(self._on_reset)
        self.menu = self._build_menu()
        QApplication.instance().installEventFilter(self)
        window.destroyed.connect(self._forget_app)

    # ------------------------------------------------------------------ menu
    def _build_menu(self):
        bar = self.window.menuBar()
        help_action = next((a for a in bar.actions() if a.text().replace("&", "") == "Help"), None)
        from PyQt6.QtWidgets import QMenu

        menu = QMenu("&Lessons", bar)
        if help_action is not None:
            bar.insertMenu(help_action, menu)
        else:
            bar.addMenu(menu)
        self.actions: dict[tuple[str, str | None], QAction] = {}
        for name in engine_lessons.lesson_names():
            lesson = engine_lessons.get_lesson(name)
            if lesson.variants:
                sub = menu.addMenu(lesson.title)
                for v in lesson.variants:
                    act = sub.addAction(v.title)
                    act.triggered.connect(lambda _=False, n=name, vn=v.name: self.open_lesson(n, vn))
                    self.actions[(name, v.name)] = act
            else:
                act = menu.addAction(lesson.title)
                act.triggered.connect(lambda _=False, n=name: self.open_lesson(n))
                self.actions[(name, None)] = act
        menu.addSeparator()
        self.act_leave = menu.addAction("Leave lesson")
        self.act_leave.setToolTip("Back to the settings before the lesson (Esc)")
        self.act_leave.triggered.connect(self.leave)
        self.act_leave.setEnabled(False)
        return menu

    # ------------------------------------------------------------------ lessons
    def open_lesson(self, name: str, variant: str | None = None, epochs: int | None = None) -> None:
        """Set up lesson ``name`` (``variant``: one of its variants; None: the first, if it has any).

        ``epochs`` overrides how long it trains (its ``max_epochs``). Raises KeyError for an unknown name."""
        lesson = engine_lessons.get_lesson(name)
        if variant is None and lesson.variants:
            variant = lesson.variants[0].name
        resolved = engine_lessons.resolve(name, variant)
        exp = engine_lessons.build_lesson(name, variant)
        config = exp.config
        if epochs is not None:
            config = config.replace(stop=type(config.stop)(**{**config.stop.__dict__, "max_epochs": epochs or None}))
        window = self.window
        if self._before is None:
            window_config = window.config
            self._before = (window_config, getattr(window.controller, "_dataset", None))
        mode = getattr(window, "stepthrough", None)
        if mode is not None:
            mode._was_running = False  # the lesson starts paused
            mode.leave()
        window.controller.pause()
        window._config = config
        window.controller.load(config, exp.dataset, exp.network.params)
        window.data_panel.set_config(config)
        window.hyper_toolbar.set_config(config)
        self.lesson, self.name, self.variant = resolved, name, variant
        self._epochs = epochs
        self.panel.show_lesson(resolved, variant)
        self.dock.setWindowTitle(f"Lesson: {resolved.title}")
        self.dock.show()
        self.dock.raise_()
        self.act_leave.setEnabled(True)
        hidden = getattr(window, "hidden_views", None)
        if hidden is not None:
            hidden.show_for_lesson(resolved.views)
        window.statusBar().showMessage(f"Lesson: {resolved.title} — Space trains, T steps through, Esc leaves", 8000)

    def leave(self) -> None:
        """Leave the lesson: the configuration and data from before it come back (new weights from its seed)."""
        if self.lesson is None:
            return
        config, dataset = self._before
        self._before = None
        self.lesson = self.name = self.variant = None
        window = self.window
        window.controller.pause()
        window._config = config
        window.controller.load(config, dataset, None)
        window.data_panel.set_config(config)
        window.hyper_toolbar.set_config(config)
        self.dock.hide()
        self.act_leave.setEnabled(False)
        hidden = getattr(window, "hidden_views", None)
        if hidden is not None:
            hidden.show_for_lesson(())
        window.statusBar().showMessage("Lesson left: back to your settings.", 5000)

    def _on_reset(self, *_args) -> None:
        """Reset (R) in a lesson starts it over from its own weights (the tutorials' numpy seed, the unit's
        weights), not from the engine's seeded ones."""
        if self.lesson is not None:
            self.open_lesson(self.name, self.variant, epochs=self._epochs)

    def active(self) -> bool:
        return self.lesson is not None

    # ------------------------------------------------------------------ McCulloch-Pitts edits
    def _on_unit_edited(self, weights, threshold: float) -> None:
        snap = self.window.controller.latest
        if snap is None or self.lesson is None or self.lesson.mp is None:
            return
        c = self.window.controller
        for i, w in enumerate(weights[: snap.sizes[0]]):
            c.edit_weight(snap.generation, 0, i, 0, float(w))
        c.edit_bias(snap.generation, 0, 0, -float(threshold))

    def _on_snapshot(self, snap) -> None:
        if self.lesson is not None:
            self.panel.update_snapshot(snap)

    # ------------------------------------------------------------------ Esc
    def _forget_app(self, *_args) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def shutdown(self) -> None:
        self._forget_app()

    def eventFilter(self, obj, event) -> bool:
        if self.lesson is None or event.type() not in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride):
            return False
        try:
            window = self.window
            if getattr(window, "_closing", False) or event.key() != Qt.Key.Key_Escape:
                return False
            if event.modifiers() not in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier):
                return False
            if not isinstance(obj, QWidget) or obj is not QApplication.focusWidget() or window.is_text_field(obj):
                return False  # Esc in a text field leaves the field (the window's rule)
            top = obj.window()
            if top is not window and top.parentWidget() is not window:
                return False
            mode = getattr(window, "stepthrough", None)
            if mode is not None and mode.active:
                return False  # Esc leaves the step-through first
            if event.type() == QEvent.Type.ShortcutOverride:
                event.accept()
                return True
            self.leave()
            return True
        except RuntimeError:  # a widget being destroyed
            return False


def install(window) -> LessonController:
    """Add the Lessons menu and the lesson panel to ``window``."""
    controller = LessonController(window)
    window.lessons = controller
    return controller
