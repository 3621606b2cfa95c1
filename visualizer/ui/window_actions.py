"""The main window's actions, toolbars, menus and status bar, and its keyboard handling (shortcuts win over
every control but a text field being edited; Esc leaves a text field).
"""

from __future__ import annotations

from PyQt6.QtCore import QEvent, Qt, QTimer
from PyQt6.QtGui import QAction, QKeySequence
from PyQt6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDockWidget,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QStyle,
    QTextEdit,
    QToolBar,
    QWidget,
)

from .. import __version__

SHORTCUTS = (
    ("Space", "Play / pause training"),
    ("→ (Right)", "Train one epoch"),
    ("Shift+→", "Train one mini-batch"),
    ("R", "Reset: the same initial weights again"),
    ("Shift+R", "Reset with new random weights"),
    ("G", "Regenerate the data"),
    ("T", "Step through one training step: → / ← move the stages, Esc leaves"),
    ("D", "Draw data on the output map (click: add, right-click: the other class, Shift+click: erase)"),
    ("1 … 9, 0", "While drawing: the class to draw"),
    ("Ctrl+Z / Ctrl+Shift+Z", "Undo / redo a data edit"),
    ("Ctrl+O", "Import data from a CSV file (or drop the file on the window)"),
    ("Ctrl+S", "Save a screenshot of the window"),
    ("Esc", "Leave a text field (the shortcuts work again)"),
    ("F1", "Keyboard shortcuts"),
    ("Ctrl+Q", "Quit"),
)


class WindowActions:
    """Actions, toolbars, menus and keys of :class:`~visualizer.ui.main_window.MainWindow` (a mixin)."""

    def _action(self, text, slot, shortcut=None, tip="", icon=None, checkable=False) -> QAction:
        action = QAction(text, self)
        if icon is not None:
            action.setIcon(self.style().standardIcon(icon))
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.setToolTip(f"{tip} ({QKeySequence(shortcut).toString()})" if shortcut else tip)
        action.setStatusTip(tip)
        action.setCheckable(checkable)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        sp = QStyle.StandardPixmap
        self.act_play = self._action("Play", self.controller.toggle, "Space", "Start or pause training",
                                     sp.SP_MediaPlay)
        self.act_step_epoch = self._action("Step epoch", self.controller.step_epoch, "Right",
                                           "Train exactly one epoch (every training point once)",
                                           sp.SP_MediaSeekForward)
        self.act_step_batch = self._action("Step batch", self.controller.step_batch, "Shift+Right",
                                           "Train on one mini-batch", sp.SP_MediaSkipForward)
        self.act_reset = self._action("Reset", lambda: self.controller.reset(False), "R",
                                      "Start over with the same initial weights", sp.SP_BrowserReload)
        self.act_new_weights = self._action("New weights", self._on_new_weights, "Shift+R",
                                            "Start over with new random initial weights", sp.SP_DialogResetButton)
        self.act_regenerate = self._action("Regenerate data", self._on_regenerate, "G",
                                           "Draw a new sample of the data set")
        self.act_screenshot = self._action("Save screenshot…", self._on_save_screenshot, "Ctrl+S",
                                           "Save a PNG of the whole window")
        self.act_quit = self._action("Quit", self.close, "Ctrl+Q", "Quit NN Visualizer")
        self.act_shortcuts = self._action("Keyboard shortcuts", self._on_shortcuts, "F1", "List the shortcuts")
        self.act_about = self._action("About NN Visualizer", self._on_about, None, "Version and credits")
        self.act_import = self._action("Import data…", lambda: self.import_data(), "Ctrl+O",
                                       "Train on a CSV file: choose its columns, task and normalization")
        self.act_export = self._action("Export data…", lambda: self.export_data(), None,
                                       "Save the current data (training and test points, labelled) as a CSV file")
        self.addActions(self.data_editor.window_actions())  # D, Ctrl+Z, Ctrl+Shift+Z, 1…9 0

    def _build_toolbars(self) -> None:
        bar = QToolBar("Training", self)
        bar.setObjectName("training")
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
        for act in (self.act_reset, self.act_new_weights, self.act_play, self.act_step_batch, self.act_step_epoch):
            bar.addAction(act)
        self.epoch_label = QLabel("Epoch 000,000")
        self.epoch_label.setStyleSheet("font-size: 16pt; color: #222; padding: 0 14px;")
        self.epoch_label.setToolTip("Epochs trained: one epoch is one pass over all training points.")
        bar.addWidget(self.epoch_label)
        bar.addSeparator()
        bar.addWidget(self.hyper_toolbar.speed_widget)  # the pace belongs beside Play, always in sight
        self.training_toolbar = bar
        self.addToolBar(bar)
        self.addToolBarBreak()
        self.addToolBar(self.hyper_toolbar)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addAction(self.act_import)
        file_menu.addAction(self.act_export)
        file_menu.addSeparator()
        file_menu.addAction(self.act_screenshot)
        file_menu.addSeparator()
        file_menu.addAction(self.act_quit)
        edit_menu = bar.addMenu("&Edit")
        ed = self.data_editor
        for act in (ed.act_undo, ed.act_redo, None, ed.act_draw, ed.act_erase, ed.act_clear):
            edit_menu.addSeparator() if act is None else edit_menu.addAction(act)
        train_menu = bar.addMenu("&Training")
        for act in (self.act_play, self.act_step_epoch, self.act_step_batch, None, self.act_reset,
                    self.act_new_weights, self.act_regenerate):
            train_menu.addSeparator() if act is None else train_menu.addAction(act)
        view_menu = bar.addMenu("&View")
        for dock in (self.dock_data, self.dock_output, self.dock_loss):
            view_menu.addAction(dock.toggleViewAction())
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.act_shortcuts)
        help_menu.addAction(self.act_about)

    def _build_statusbar(self) -> None:
        self.speed_label = QLabel()
        self.speed_label.setToolTip("Training speed (gradient steps and epochs per second) and drawing speed.")
        self.statusBar().addPermanentWidget(self.speed_label)
        self.statusBar().showMessage("Press Space to start training.")

    @staticmethod
    def is_text_field(widget) -> bool:
        """Whether ``widget`` takes typed text (keys there are typing, not shortcuts)."""
        if isinstance(widget, QComboBox):
            return widget.isEditable()
        return isinstance(widget, (QLineEdit, QAbstractSpinBox, QTextEdit, QPlainTextEdit))

    def eventFilter(self, obj, event) -> bool:
        """Window shortcuts win over sliders, lists, buttons and non-editable combo boxes (→ steps an epoch,
        Space plays …) but not over a text field being edited; Esc leaves a text field (dropping the unfinished
        edit) and Enter, once the field accepted it, gives the keyboard back to the network view."""
        kind = event.type()
        if kind != QEvent.Type.KeyPress and kind != QEvent.Type.ShortcutOverride:
            return False
        if self._closing or not isinstance(obj, QWidget) or obj is not QApplication.focusWidget():
            return False  # handled once, where the key arrives (not again as it propagates to the parents)
        top = obj.window()
        if top is not self and not (isinstance(top, QDockWidget) and top.parentWidget() is self):
            return False  # another window (a dialog, a popup); a floating panel of this window counts as it
        if self.is_text_field(obj):
            # (the network view's own value editor handles Esc and Enter itself)
            if (kind == QEvent.Type.KeyPress and event.modifiers() == Qt.KeyboardModifier.NoModifier
                    and not self.network_view.isAncestorOf(obj)):
                if event.key() == Qt.Key.Key_Escape:
                    self.leave_field()
                    return True
                if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                    QTimer.singleShot(0, lambda w=obj: self._after_enter(w))
            return False
        action = self._key_actions().get(QKeySequence(event.keyCombination()).toString())
        if action is None or not action.isEnabled():
            return False
        if kind == QEvent.Type.ShortcutOverride:
            event.accept()  # the key goes to the focus widget as a key press, caught here below
            return True
        if not event.isAutoRepeat() or action is self.act_step_epoch or action is self.act_step_batch:
            action.trigger()
        return True

    def _key_actions(self) -> dict:
        keys = getattr(self, "_key_action_map", None)
        if keys is None:
            keys = {a.shortcut().toString(): a for a in self.actions() if not a.shortcut().isEmpty()}
            self._key_action_map = keys
        return keys

    def leave_field(self) -> None:
        """Drop the unfinished edit of a text field and give the keyboard back to the network view."""
        self.data_panel.set_config(self._config)
        self.hyper_toolbar.set_config(self._config)
        self.network_view.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _after_enter(self, widget: QWidget) -> None:
        if self._closing or QApplication.focusWidget() is not widget:
            return
        field = widget
        while field is not None and field.property("rejected") is None:
            field = field.parentWidget()
        if field is None or not field.property("rejected"):
            self.network_view.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _on_shortcuts(self) -> None:
        rows = "".join(f"<tr><td><b>{k}</b></td><td>&nbsp;&nbsp;{v}</td></tr>" for k, v in SHORTCUTS)
        box = QMessageBox(self)
        box.setWindowTitle("Keyboard shortcuts")
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(f"<table>{rows}</table>")
        box.open()
        self._shortcuts_box = box

    def _on_about(self) -> None:
        box = QMessageBox(self)
        box.setWindowTitle("About NN Visualizer")
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(
            f"<h3>NN Visualizer {__version__}</h3>"
            "<p>Watch a neural network learn, live: neurons, synapses, loss and decision boundary.</p>"
            "<p>Data sets and defaults follow TensorFlow Playground. Built with PyQt6, pyqtgraph and numpy.</p>"
        )
        box.open()
        self._about_box = box
