"""Seeded random user actions with real mouse and key events on every control while training.

After every action: no exception (GUI thread, slots, the worker's catch-all), no Qt warning, the training thread
alive and — whenever the window says it trains — progressing, the action handled within 1 s and the event loop
never blocked for more than 1 s (stretched by the machine's oversubscription, load average / cores, when other jobs
share it; RANDOM_ACTIONS_STRICT=1 keeps 1 s). After every burst (a structure change followed at once by a weight
or bias edit, the race that used to kill the training thread) and every 50 actions: once the worker has caught up,
the drawn network has the engine's shape and the configuration's layers.

Widgets are looked up when an action runs (by type, in the window's current layout), never cached, so the test
follows the window as it changes. Every action draws the same number of random numbers whatever the window looks
like, so a seed replays the same sequence of actions.

Runs
----
* ``pytest`` (CI): seeds 1 and 2, 100 actions each (about 25 s).
* Long run, 20,000 actions in chunks of 1,000 (a fresh window per chunk, seeds 1000-1019)::

      RANDOM_ACTIONS=20000 python -m pytest -q tests/test_random_actions.py -k long     # or: pytest --long
      # RANDOM_ACTIONS_SEED_START=5000 to choose another seed range

* Replay a failure (its message prints this line)::

      RANDOM_ACTIONS_SEED=1007 RANDOM_ACTIONS_COUNT=431 python -m pytest -q tests/test_random_actions.py -k replay
"""

from __future__ import annotations

import faulthandler
import os
import random
import time
import traceback

import pytest
from PyQt6.QtCore import QPoint, QPointF, Qt, QTimer
from PyQt6.QtTest import QTest
from PyQt6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QComboBox,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSlider,
    QToolButton,
    QWidget,
)

from visualizer.engine.experiment import Config
from visualizer.ui.main_window import MainWindow

SHORT_SEEDS = (1, 2)
SHORT_COUNT = 100
CHUNK = 1000
LONG_TOTAL = int(os.environ.get("RANDOM_ACTIONS") or 20_000)
LONG_SEED_START = int(os.environ.get("RANDOM_ACTIONS_SEED_START") or 1000)
MAX_ACTION_S = float(os.environ.get("RANDOM_ACTIONS_MAX_S") or 1.0)  # per action, and event-loop stalls
# On an oversubscribed machine (other jobs: load average above the core count) wall time stretches by the
# oversubscription; the budget does too, unless RANDOM_ACTIONS_STRICT=1. An idle machine keeps the 1 s.
STRICT = bool(os.environ.get("RANDOM_ACTIONS_STRICT"))
WATCHDOG = bool(os.environ.get("RANDOM_ACTIONS_WATCHDOG"))  # 1: dump all stacks when the GUI stalls
PROGRESS_S = 2.5  # the window says "training": some step must arrive within this
SETTLE_S = 5.0  # time the worker and the view get to catch up after a burst

Key = Qt.Key
Mod = Qt.KeyboardModifier
LEFT = Qt.MouseButton.LeftButton
NO_MOD = Mod.NoModifier

# Things a person types: good values, the locale's comma, scientific notation, garbage, huge and empty.
FIELD_VALUES = (
    "0.03", "0.3", "3", "0,5", "1e3", "1e-3", "abc", "-1", "0", "", "nan", "inf", "1e308", "1e400",
    "99999999999999999999", "2147483648", "4, 2", "4,,2", "8,8,8", "1", "64", "0.00001", " 7 ", "²", "2;3",
    "3,3,3,3,3,3", "64,64,64,64,64,64,64,64,64,64", "1,1", "5",
)
POPUP_VALUES = ("0.5", "-2", "1e3", "0,5", "abc", "1e308", "-1000", "0", "", "3.25", "-0.001", "7")
SHORTCUT_KEYS = (
    ("Space", Key.Key_Space, NO_MOD), ("Right", Key.Key_Right, NO_MOD),
    ("Shift+Right", Key.Key_Right, Mod.ShiftModifier), ("R", Key.Key_R, NO_MOD),
    ("Shift+R", Key.Key_R, Mod.ShiftModifier), ("G", Key.Key_G, NO_MOD), ("Escape", Key.Key_Escape, NO_MOD),
    ("Tab", Key.Key_Tab, NO_MOD), ("Left", Key.Key_Left, NO_MOD), ("Up", Key.Key_Up, NO_MOD),
    # the teaching and data-editing modes: step-through, draw data, its class keys, undo and redo
    ("T", Key.Key_T, NO_MOD), ("D", Key.Key_D, NO_MOD), ("1", Key.Key_1, NO_MOD), ("3", Key.Key_3, NO_MOD),
    ("B", Key.Key_B, NO_MOD), ("Ctrl+Z", Key.Key_Z, Mod.ControlModifier),
    ("Ctrl+Shift+Z", Key.Key_Z, Mod.ControlModifier | Mod.ShiftModifier),
)
# Buttons whose dialogs (file choosers, message boxes) or effect (quitting) are out of this test's scope.
EXCLUDED_TEXT = ("quit", "screenshot", "shortcut", "about", "…", "...", "load", "open", "save", "csv")
WAITS_MS = (0, 0, 0, 5, 20, 50, 150, 400)
N_UNIFORMS = 9  # every action draws exactly this many numbers: replays do not depend on the window's state


class RandomActionFailure(AssertionError):
    pass


def budget_s() -> float:
    """Seconds an action may take (and the event loop may stall) now: MAX_ACTION_S × machine oversubscription."""
    if STRICT:
        return MAX_ACTION_S
    try:
        load = os.getloadavg()[0] / (os.cpu_count() or 1)
    except OSError:
        load = 1.0
    return MAX_ACTION_S * max(1.0, load)


def _pick(items, u: float):
    return items[min(int(u * len(items)), len(items) - 1)] if items else None


def _really_visible(w: QWidget, win: QWidget) -> bool:
    try:
        return (w.isVisible() and w.isEnabled() and w.window() is win and not w.visibleRegion().isEmpty()
                and w.width() > 2 and w.height() > 2)
    except RuntimeError:  # deleted meanwhile
        return False


def _text_of(w: QWidget) -> str:
    text = ""
    if isinstance(w, QToolButton) and w.defaultAction() is not None:
        text = w.defaultAction().text() + " " + w.defaultAction().toolTip()
    elif hasattr(w, "text"):
        text = w.text()
    return f"{text} {w.toolTip()} {w.objectName()}".lower()


def _excluded(w: QWidget) -> bool:
    text = _text_of(w)
    return any(word in text for word in EXCLUDED_TEXT)


class Monkey:
    """One seeded run of random actions on a fresh window; :meth:`run` raises :class:`RandomActionFailure`."""

    def __init__(self, qtbot, qtlog, seed: int, count: int):
        self.qtbot, self.qtlog = qtbot, qtlog
        self.seed, self.count = seed, count
        self.rng = random.Random(seed)
        self.actions: list[str] = []
        self.index = -1
        self.waited_s = 0.0  # how long the current action waited on purpose (idle)
        self.failure: str | None = None
        self.worker_errors: list[str] = []
        self.popup_plan: tuple | None = None
        self.popup_since: float | None = None
        self.popup_log: list[str] = []
        self.in_action_popup = False
        self.last_tick = time.perf_counter()
        self.max_gap = 0.0
        self.last_progress = time.perf_counter()
        self.progress_key = None
        self.claim_since: float | None = None
        self.log_seen = 0
        self.burst_parts = 1
        self._answers_seen = 0
        self.delay_override: float | None = None  # seconds before typing into the editor (bursts: sometimes 0)
        self.kinds = (
            (self.toolbar_button, 10), (self.shortcut, 10), (self.combo, 7), (self.type_in_field, 10),
            (self.slider, 5), (self.checkbox, 6), (self.dataset_item, 4), (self.push_button, 5), (self.wheel, 3),
            (self.click_synapse, 8), (self.click_bias, 5), (self.click_neuron, 4), (self.click_glyph, 8),
            (self.hover_view, 4), (self.zoom_view, 2), (self.double_click_view, 1), (self.drag_view, 1),
            (self.burst, 8), (self.key_burst, 2), (self.idle, 2),
        )
        self.weights = [w for _, w in self.kinds]

    # ------------------------------------------------------------------ the run
    def run(self) -> None:
        qtbot = self.qtbot
        self.win = win = MainWindow(Config(), use_settings=False)
        qtbot.addWidget(win)
        win.resize(1300, 800)
        win.show()
        qtbot.waitExposed(win)
        win.controller.sigError.connect(self.worker_errors.append)
        win.controller.sigSnapshot.connect(self._on_snapshot)
        self.exceptions: list = []
        deadline = time.perf_counter() + 20
        while win.controller.latest is None:
            self.check()
            if time.perf_counter() > deadline:
                self.fail("no snapshot within 20 s of opening the window; worker: " + " | ".join(self.worker_errors))
            qtbot.wait(20)
        self.heartbeat = QTimer()
        self.heartbeat.timeout.connect(self._tick)
        self.heartbeat.start(20)
        self.guard = QTimer()
        self.guard.timeout.connect(self._guard_popups)
        self.guard.start(15)
        try:
            with qtbot.capture_exceptions() as self.exceptions:
                self._click_action_button(("play", "pause"))
                self.settle()  # the first frames (layout, data points) are the start-up's, not an action's
                self.max_gap = 0.0
                for k in range(self.count):
                    self.index = k
                    kind = self.rng.choices(self.kinds, self.weights)[0][0]
                    u = [self.rng.random() for _ in range(N_UNIFORMS)]
                    wait_ms = self.rng.choice(WAITS_MS)
                    t0 = time.perf_counter()
                    self.waited_s = 0.0
                    description = kind(u)
                    elapsed = time.perf_counter() - t0
                    self.actions.append(f"{k}: {description} ({elapsed * 1000:.0f} ms)")
                    # an idle action's own wait is not work: the budget is for what runs on top of it
                    budget = budget_s() * (self.burst_parts if kind == self.burst else 1) + self.waited_s
                    self.check(f"{description} took {elapsed:.2f} s (budget {budget:.2f} s)"
                               if elapsed > budget else None)
                    self.max_gap = 0.0
                    self.last_tick = time.perf_counter()
                    qtbot.wait(wait_ms)
                    self.check()
                    if kind == self.burst or k % 50 == 49:
                        self.settle()
                self.index = self.count
                self.settle()
        finally:
            if WATCHDOG:
                faulthandler.cancel_dump_traceback_later()
            self.heartbeat.stop()
            self.guard.stop()
            self._close_popups()
        self._write_log()
        t0 = time.perf_counter()
        win.close()
        closed_in = time.perf_counter() - t0
        if win.controller.is_alive():
            self.fail(f"training thread still running {closed_in:.2f} s after closing the window")

    # ------------------------------------------------------------------ checks
    def fail(self, what: str) -> None:
        listing = self.actions if len(self.actions) <= 200 else ["…", *self.actions[-200:]]
        path = self._write_log()
        raise RandomActionFailure(
            f"random actions: seed {self.seed}, action #{self.index} of {self.count}: {what}\n"
            f"replay: RANDOM_ACTIONS_SEED={self.seed} RANDOM_ACTIONS_COUNT={self.index + 1} "
            f"python -m pytest -q tests/test_random_actions.py -k replay\n"
            f"actions so far ({len(self.actions)}, all in {path}):\n" + "\n".join(listing)
            + ("\npopups: " + "; ".join(self.popup_log[-10:]) if self.popup_log else "")
        )

    def _write_log(self) -> str:
        path = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"random_actions_seed{self.seed}.log")
        try:
            with open(path, "w") as f:
                f.write("\n".join(self.actions) + "\n")
        except OSError:
            return "(not written)"
        return path

    def check(self, problem: str | None = None) -> None:
        win = self.win
        if self.exceptions:
            text = "".join("".join(traceback.format_exception(*e)) for e in self.exceptions)
            self.fail(f"exception in the GUI:\n{text}")
        records = self.qtlog.records
        bad = [r for r in records[self.log_seen:]
               if r.log_type_name in ("WARNING", "CRITICAL", "FATAL") and not r.ignored]
        self.log_seen = len(records)
        if bad:
            self.fail("Qt warning: " + " | ".join(f"{r.log_type_name}: {r.message}" for r in bad))
        crashes = [e for e in self.worker_errors if "Traceback" in e]
        if crashes:
            self.fail(f"the training loop raised:\n{crashes[0]}")
        if not win.controller.is_alive():
            self.fail("the training thread died; worker errors: " + " | ".join(self.worker_errors[-3:]))
        if problem:
            self.fail(problem)
        if self.failure:
            self.fail(self.failure)
        if self.max_gap > budget_s():
            self.fail(f"the event loop was blocked for {self.max_gap:.2f} s (budget {budget_s():.2f} s)")

    def says_training(self) -> bool:
        act = getattr(self.win, "act_play", None)
        return act is not None and "pause" in act.text().lower()

    def _on_snapshot(self, snap) -> None:
        key = (snap.generation, snap.steps)
        if key != self.progress_key:
            self.progress_key = key
            self.last_progress = time.perf_counter()

    def _tick(self) -> None:
        if WATCHDOG:  # a stalled event loop dumps every thread's stack (faulthandler needs no GIL to do it)
            faulthandler.dump_traceback_later(0.8 * MAX_ACTION_S, exit=False)
        now = time.perf_counter()
        self.max_gap = max(self.max_gap, now - self.last_tick)
        self.last_tick = now
        if self.failure or QApplication.activePopupWidget() is not None:
            self.claim_since = None  # a popup's nested event loop: progress is judged once it is closed
            return
        if self.says_training():
            if self.claim_since is None:
                self.claim_since = now
            since = max(self.claim_since, self.last_progress)
            if now - since > PROGRESS_S * budget_s() / MAX_ACTION_S:
                snap = self.win.controller.latest
                self.failure = (f"the window says it trains but nothing moved for {now - since:.1f} s "
                                f"(epoch {getattr(snap, 'epoch', None)}, steps {getattr(snap, 'steps', None)})")
        else:
            self.claim_since = None

    def drawn_sizes(self) -> tuple[int, ...]:
        # the view's own count: image inputs (the 8×8 digits) are drawn as a block, not one column
        return self.win.network_view.drawn_sizes()

    def settle(self) -> None:
        """Wait until the worker runs the window's configuration and the view drew it; compare the shapes."""
        win = self.win
        self._close_popups()

        def state():
            snap = win.controller.latest
            config = win.controller.config
            ds = snap.dataset if snap is not None else None
            plane = ds is None or (ds.domain is not None and ds.n_features == 2)
            # a table, Iris or digits: the inputs are the data's columns, not the chosen features
            expected = (len(config.features) if plane else ds.n_features, *config.hidden)
            return snap, config, expected, self.drawn_sizes()

        def caught_up() -> bool:
            snap, config, expected, drawn = state()
            same_config = snap.config is None or snap.config == config
            return same_config and drawn == tuple(snap.sizes) and tuple(snap.sizes[:-1]) == expected

        settle_s = SETTLE_S * budget_s() / MAX_ACTION_S
        deadline = time.perf_counter() + settle_s
        while not caught_up():
            self.check()
            if time.perf_counter() > deadline:
                snap, config, expected, drawn = state()
                self.fail(f"after {settle_s:.1f} s the drawn network {drawn} != the engine's {tuple(snap.sizes)} "
                          f"or the configuration's inputs+layers {expected} (config sent: {config}, "
                          f"worker runs: {snap.config})")
            self.qtbot.wait(20)
        self.check()

    # ------------------------------------------------------------------ widgets, found when needed
    def widgets(self, cls) -> list:
        return [w for w in self.win.findChildren(cls) if _really_visible(w, self.win)]

    def _click(self, w: QWidget, pos: QPoint | None = None, button=LEFT, modifier=NO_MOD) -> None:
        pos = w.rect().center() if pos is None else pos
        QTest.mouseMove(w, pos)
        QTest.mouseClick(w, button, modifier, pos)

    def _click_action_button(self, names) -> str:
        for w in self.widgets(QToolButton):
            act = w.defaultAction()
            if act is not None and act.text().lower() in names:
                self._click(w)
                return act.text()
        return "no such button"

    # ------------------------------------------------------------------ actions: controls
    def toolbar_button(self, u) -> str:
        buttons = [w for w in self.widgets(QToolButton)
                   if w.objectName() != "qt_toolbar_ext_button" and w.menu() is None and not _excluded(w)
                   and (w.defaultAction() is None or w.defaultAction().menu() is None)]
        w = _pick(buttons, u[0])
        if w is None:
            return "toolbar: no button"
        text = w.defaultAction().text() if w.defaultAction() is not None else w.text()
        self._click(w)
        return f"click tool button {text!r}"

    def shortcut(self, u) -> str:
        name, key, mod = _pick(SHORTCUT_KEYS, u[0])
        target = QApplication.focusWidget() or self.win
        QTest.keyClick(target, key, mod)
        return f"key {name} on {type(target).__name__}"

    def key_burst(self, u) -> str:
        name, key, mod = _pick(SHORTCUT_KEYS[:3], u[0])
        n = 5 + int(u[1] * 16)
        target = self.win.network_view if u[2] < 0.5 else (QApplication.focusWidget() or self.win)
        if target is self.win.network_view:
            target.setFocus()
        for _ in range(n):
            QTest.keyClick(target, key, mod)
        return f"{n}× key {name} on {type(target).__name__}"

    def combo(self, u) -> str:
        combos = [w for w in self.widgets(QComboBox) if not _excluded(w)]
        w = _pick(combos, u[0])
        if w is None:
            return "combo: none"
        name = w.objectName() or w.toolTip()[:30]
        moves = 1 + int(u[2] * 4)
        key = Key.Key_Down if u[3] < 0.6 else Key.Key_Up
        if u[1] < 0.5:  # open the list with a click on the arrow, choose with the keys
            self.in_action_popup = True
            try:
                self._click(w, QPoint(w.width() - 8, w.height() // 2))
                popup = QApplication.activePopupWidget()
                if popup is not None:
                    target = w.view() if w.view().isVisible() else popup
                    for _ in range(moves):
                        QTest.keyClick(target, key)
                    QTest.keyClick(target, Key.Key_Return if u[4] < 0.85 else Key.Key_Escape)
                if QApplication.activePopupWidget() is not None:
                    QTest.keyClick(QApplication.activePopupWidget(), Key.Key_Escape)
            finally:
                self.in_action_popup = False
            return f"combo {name!r}: open, {moves}× {key.name}, choose"
        w.setFocus()
        for _ in range(moves):
            QTest.keyClick(w, key)
        return f"combo {name!r}: focus, {moves}× {key.name}"

    def type_in_field(self, u) -> str:
        fields = [w for w in self.widgets(QLineEdit) if not w.isReadOnly() and not _excluded(w)]
        w = _pick(fields, u[0])
        if w is None:
            return "field: none"
        value = _pick(FIELD_VALUES, u[1])
        end = _pick(("Return", "Return", "Return", "Tab", "Escape", "none"), u[2])
        owner = w.parentWidget()
        name = w.objectName() or (owner.objectName() if owner else "") or (owner.toolTip()[:30] if owner else "")
        self._click(w)
        QTest.keyClick(w, Key.Key_A, Mod.ControlModifier)
        QTest.keyClicks(w, value)
        if end != "none":
            QTest.keyClick(w, getattr(Key, f"Key_{end}"))
        return f"type {value!r} + {end} into {type(owner).__name__}/{name!r}"

    def slider(self, u) -> str:
        w = _pick([s for s in self.widgets(QSlider) if not _excluded(s)], u[0])
        if w is None:
            return "slider: none"
        if u[1] < 0.5:
            x = int(u[2] * (w.width() - 1))
            self._click(w, QPoint(x, w.height() // 2))
            return f"click slider {w.toolTip()[:30]!r} at x={x}"
        key = _pick((Key.Key_Left, Key.Key_Right, Key.Key_Home, Key.Key_End, Key.Key_PageUp), u[2])
        w.setFocus()
        QTest.keyClick(w, key)
        return f"slider {w.toolTip()[:30]!r}: key {key.name}"

    def checkbox(self, u) -> str:
        w = _pick([c for c in self.widgets(QCheckBox) if not _excluded(c)], u[0])
        if w is None:
            return "checkbox: none"
        self._click(w, QPoint(min(8, w.width() // 2), w.height() // 2))
        return f"click checkbox {w.text()!r}"

    def dataset_item(self, u) -> str:
        lists = self.widgets(QListWidget)
        w = _pick(lists, u[0])
        if w is None or w.count() == 0:
            return "data set list: none"
        item = w.item(min(int(u[1] * w.count()), w.count() - 1))
        rect = w.visualItemRect(item)
        if not w.viewport().rect().contains(rect.center()):
            return f"data set {item.text()!r} scrolled out of sight"
        self._click(w.viewport(), rect.center())
        return f"click data set {item.text()!r}"

    def push_button(self, u) -> str:
        w = _pick([b for b in self.widgets(QPushButton) if not _excluded(b)], u[0])
        if w is None:
            return "push button: none"
        self._click(w)
        return f"click button {w.text()!r}"

    def wheel(self, u) -> str:
        targets = [w for w in self.widgets(QAbstractSpinBox) + self.widgets(QComboBox) + self.widgets(QSlider)
                   if not _excluded(w)]
        w = _pick(targets, u[0])
        if w is None:
            return "wheel: nothing"
        delta = 120 if u[1] < 0.5 else -120
        self._wheel(w, w.rect().center(), delta)
        return f"wheel {delta:+d} on {type(w).__name__} {w.toolTip()[:30]!r}"

    @staticmethod
    def _wheel(w: QWidget, pos: QPoint, delta: int) -> None:
        from PyQt6.QtGui import QWheelEvent

        global_pos = QPointF(w.mapToGlobal(pos))
        event = QWheelEvent(QPointF(pos), global_pos, QPoint(0, 0), QPoint(0, delta), Qt.MouseButton.NoButton,
                            NO_MOD, Qt.ScrollPhase.NoScrollPhase, False)
        QApplication.sendEvent(w, event)

    # ------------------------------------------------------------------ actions: the network view
    def _view_point(self, x: float, y: float) -> QPoint | None:
        view = self.win.network_view
        scene = view.vb.mapViewToScene(QPointF(float(x), float(y)))
        pos = view.graphics.mapFromScene(scene)
        return pos if view.graphics.viewport().rect().adjusted(1, 1, -1, -1).contains(pos) else None

    def _inline_editor(self) -> QLineEdit | None:
        """The value editor's field if one is open inside the network view (a child widget, no event loop)."""
        fields = [f for f in self.win.network_view.findChildren(QLineEdit) if f.isVisible()]
        return fields[0] if fields else None

    def _click_view(self, pos: QPoint, u_value: float, u_end: float, u_delay: float) -> None:
        """Click the view at ``pos``; an editor that opens gets a value typed and Enter (or Escape) 50-150 ms later,
        while the window goes on (training, drawing, snapshots of a new structure arriving)."""
        value = _pick(POPUP_VALUES, u_value)
        end = "Escape" if u_end < 0.2 else "Return"
        delay = 0.05 + 0.1 * u_delay if self.delay_override is None else self.delay_override
        self.popup_plan = (value, end, delay)  # for an editor that is a popup with its own event loop
        vp = self.win.network_view.graphics.viewport()
        QTest.mouseMove(vp, pos)
        QTest.mouseClick(vp, LEFT, NO_MOD, pos)
        if self.popup_plan is not None and self._inline_editor() is not None:
            self.popup_plan = None
            QTest.qWait(int(delay * 1000))
            field = self._inline_editor()
            if field is None:
                self.popup_log.append("the editor closed by itself")
            else:
                QTest.keyClick(field, Key.Key_A, Mod.ControlModifier)
                QTest.keyClicks(field, value)
                QTest.keyClick(field, getattr(Key, f"Key_{end}"))
                refused = self._inline_editor() is field
                if refused:  # a refused value keeps the editor open with its reason: the user gives up
                    QTest.keyClick(field, Key.Key_Escape)
                self.popup_log.append(f"typed {value!r}+{end} into the editor" + (", refused" if refused else ""))
        # a popup that does not run its own event loop is still open here: answer it the same way
        deadline = time.perf_counter() + 1.0
        while self._current_popup() is not None and time.perf_counter() < deadline:
            QTest.qWait(10)
        self.popup_plan = None

    def click_synapse(self, u) -> str:
        sizes = self.drawn_sizes()
        if len(sizes) < 2:
            return "synapse: no network drawn"
        layer = min(int(u[0] * (len(sizes) - 1)), len(sizes) - 2)
        i, j = min(int(u[1] * sizes[layer]), sizes[layer] - 1), min(int(u[2] * sizes[layer + 1]), sizes[layer + 1] - 1)
        try:
            x0, y0, x1, y1 = self.win.network_view.synapse_segment(layer, i, j)
        except (IndexError, AssertionError, TypeError) as err:
            return f"synapse ({layer}, {i}, {j}): no geometry ({err!r})"
        t = 0.3 + 0.4 * u[3]
        pos = self._view_point(x0 + t * (x1 - x0), y0 + t * (y1 - y0))
        if pos is None:
            return f"synapse ({layer}, {i}, {j}) out of sight"
        self._click_view(pos, u[4], u[5], u[6])
        return f"click synapse ({layer}, {i}, {j}) at {pos.x()},{pos.y()} → popup {self._last_answer()}"

    def click_bias(self, u) -> str:
        rects = self.win.network_view.bias_rects()
        if len(rects) == 0:
            return "bias: none"
        k = min(int(u[0] * len(rects)), len(rects) - 1)
        x, y, w, h = rects[k]
        pos = self._view_point(x + w / 2, y + h / 2)
        if pos is None:
            return f"bias #{k} out of sight"
        self._click_view(pos, u[4], u[5], u[6])
        return f"click bias #{k} → popup {self._last_answer()}"

    def click_neuron(self, u) -> str:
        rects = self.win.network_view.node_rects()
        if len(rects) == 0:
            return "neuron: none"
        k = min(int(u[0] * len(rects)), len(rects) - 1)
        x, y, w, h = rects[k]
        pos = self._view_point(x + w * (0.3 + 0.4 * u[1]), y + h * (0.3 + 0.4 * u[2]))
        if pos is None:
            return f"neuron #{k} out of sight"
        self._click_view(pos, u[4], u[5], u[6])
        return f"click neuron #{k}"

    def _glyphs(self) -> list:
        view = self.win.network_view
        return sorted((item for item in view.graphics.scene().items()
                       if "glyph" in type(item).__name__.lower() and item.isVisible()),
                      key=lambda item: (item.sceneBoundingRect().x(), item.sceneBoundingRect().y()))

    def click_glyph(self, u) -> str:
        glyph = _pick(self._glyphs(), u[0])
        if glyph is None:
            return "glyph: none"
        view = self.win.network_view
        pos = view.graphics.mapFromScene(glyph.sceneBoundingRect().center())
        if not view.graphics.viewport().rect().contains(pos):
            return "glyph out of sight"
        text = glyph.toPlainText() if hasattr(glyph, "toPlainText") else "?"
        vp = view.graphics.viewport()
        QTest.mouseMove(vp, pos)
        QTest.mouseClick(vp, LEFT, NO_MOD, pos)
        return f"click glyph {text!r} ({glyph.toolTip()[:40]!r})"

    def hover_view(self, u) -> str:
        vp = self.win.network_view.graphics.viewport()
        pos = QPoint(int(u[0] * (vp.width() - 1)), int(u[1] * (vp.height() - 1)))
        QTest.mouseMove(vp, pos)
        return f"hover view at {pos.x()},{pos.y()}"

    def zoom_view(self, u) -> str:
        vp = self.win.network_view.graphics.viewport()
        pos = QPoint(int(u[0] * (vp.width() - 1)), int(u[1] * (vp.height() - 1)))
        delta = 120 if u[2] < 0.5 else -120
        self._wheel(vp, pos, delta)
        return f"wheel {delta:+d} on the network at {pos.x()},{pos.y()}"

    def double_click_view(self, u) -> str:
        vp = self.win.network_view.graphics.viewport()
        pos = QPoint(int(u[0] * (vp.width() - 1)), int(u[1] * (vp.height() - 1)))
        self.popup_plan = ("", "Escape", 0.05)
        QTest.mouseDClick(vp, LEFT, NO_MOD, pos)
        self.popup_plan = None
        return f"double-click the network at {pos.x()},{pos.y()}"

    def drag_view(self, u) -> str:
        vp = self.win.network_view.graphics.viewport()
        a = QPoint(int(u[0] * (vp.width() - 1)), int(u[1] * (vp.height() - 1)))
        b = QPoint(int(u[2] * (vp.width() - 1)), int(u[3] * (vp.height() - 1)))
        QTest.mousePress(vp, LEFT, NO_MOD, a)
        for s in (0.25, 0.5, 0.75, 1.0):
            QTest.mouseMove(vp, QPoint(int(a.x() + s * (b.x() - a.x())), int(a.y() + s * (b.y() - a.y()))))
        QTest.mouseRelease(vp, LEFT, NO_MOD, b)
        return f"drag the network {a.x()},{a.y()} → {b.x()},{b.y()}"

    def idle(self, u) -> str:
        ms = 300 + int(u[0] * 700)
        self.waited_s = ms / 1000.0
        self.qtbot.wait(ms)
        return f"idle {ms} ms"

    def burst(self, u) -> str:
        """A structure change and, with no pause, a weight or bias edit made on the old drawing."""
        parts = []
        slow = []

        def timed(text: str, t0: float) -> None:
            took = time.perf_counter() - t0
            parts.append(f"{text} ({took * 1000:.0f} ms)")
            if took > budget_s():
                slow.append(parts[-1])

        for n in range(1 + int(u[0] * 3)):
            v = random.Random(int(u[1] * 1e9) + n)  # derived from this action's numbers: replay-stable
            w = [v.random() for _ in range(N_UNIFORMS)]
            how = w[7]
            t0 = time.perf_counter()
            if how < 0.5:
                timed(self.click_glyph(w), t0)
            elif how < 0.7:
                small = [b for b in self.widgets(QPushButton) if b.text() in ("+", "−", "-")]
                b = _pick(small, w[0])
                if b is not None:
                    self._click(b)
                timed(f"click data-panel {b.text() if b else None!r}", t0)
            else:
                field = next((f for f in self.widgets(QLineEdit) if "layer" in (f.toolTip() + f.objectName()).lower()),
                             None)
                value = _pick(("4, 2", "3", "", "6,6,6", "2,2,2,2", "8", "1, 1", "5,4,3,2,1"), w[0])
                if field is not None:
                    self._click(field)
                    QTest.keyClick(field, Key.Key_A, Mod.ControlModifier)
                    QTest.keyClicks(field, value)
                    QTest.keyClick(field, Key.Key_Return)
                timed(f"type layers {value!r}+Return" if field is not None else "no layers field", t0)
            edit = self.click_synapse if w[6] < 0.7 else self.click_bias
            t0 = time.perf_counter()
            self.delay_override = 0.0 if w[8] < 0.3 else None  # typed before the new structure is drawn, or not
            try:
                timed(edit(w) + (" at once" if self.delay_override == 0.0 else ""), t0)
            finally:
                self.delay_override = None
        text = "BURST[" + " ; ".join(parts) + "]"
        if slow:
            self.actions.append(f"{self.index}: {text}")
            self.fail(f"in a burst, {slow[0]} took more than {budget_s():.2f} s")
        self.burst_parts = len(parts)
        return text

    # ------------------------------------------------------------------ popups
    @staticmethod
    def _current_popup() -> QWidget | None:
        return QApplication.activePopupWidget() or QApplication.activeModalWidget()

    def _last_answer(self) -> str:
        if len(self.popup_log) > self._answers_seen:
            self._answers_seen = len(self.popup_log)
            return self.popup_log[-1]
        return "none"

    def _guard_popups(self) -> None:
        """Answer the value popup as planned; close anything else that pops up (and any popup left > 1 s)."""
        if self.in_action_popup:
            return
        popup = self._current_popup()
        if popup is None:
            self.popup_since = None
            return
        now = time.perf_counter()
        if self.popup_since is None:
            self.popup_since = now
        age = now - self.popup_since
        plan = self.popup_plan
        if plan is not None and age >= plan[2]:
            self.popup_plan = None
            value, end, _ = plan
            editor = popup.findChild(QAbstractSpinBox) or popup.findChild(QLineEdit)
            if editor is not None:
                target = editor.lineEdit() if isinstance(editor, QAbstractSpinBox) else editor
                QTest.keyClick(target, Key.Key_A, Mod.ControlModifier)
                QTest.keyClicks(target, value)
                QTest.keyClick(target, getattr(Key, f"Key_{end}"))
                self.popup_log.append(f"typed {value!r}+{end} into {type(popup).__name__}")
            else:
                QTest.keyClick(popup, Key.Key_Escape)
                self.popup_log.append(f"Escape on {type(popup).__name__} (no field)")
        elif plan is None and age > 0.5:
            QTest.keyClick(popup, Key.Key_Escape)
            if self._current_popup() is popup and age > 1.0:
                popup.close()
            self.popup_log.append(f"closed unexpected {type(popup).__name__} {popup.windowTitle()!r}")

    def _close_popups(self) -> None:
        for _ in range(5):
            popup = self._current_popup()
            if popup is None:
                return
            QTest.keyClick(popup, Key.Key_Escape)
            if self._current_popup() is popup:
                popup.close()
            QTest.qWait(10)


def _run(qtbot, qtlog, seed: int, count: int) -> None:
    Monkey(qtbot, qtlog, seed, count).run()


IGNORE_POPUP_WARNINGS = pytest.mark.qt_log_ignore("This plugin does not support")  # popups on the offscreen platform


@IGNORE_POPUP_WARNINGS
@pytest.mark.parametrize("seed", SHORT_SEEDS)
def test_random_actions(qtbot, qtlog, seed):
    _run(qtbot, qtlog, seed, SHORT_COUNT)


@IGNORE_POPUP_WARNINGS
@pytest.mark.skipif(not os.environ.get("RANDOM_ACTIONS_SEED"), reason="set RANDOM_ACTIONS_SEED (and _COUNT) to replay")
def test_random_actions_replay(qtbot, qtlog):
    _run(qtbot, qtlog, int(os.environ["RANDOM_ACTIONS_SEED"]), int(os.environ.get("RANDOM_ACTIONS_COUNT") or CHUNK))


@IGNORE_POPUP_WARNINGS
@pytest.mark.long
@pytest.mark.parametrize("chunk", range(max(1, -(-LONG_TOTAL // CHUNK))))
def test_random_actions_long(qtbot, qtlog, chunk):
    count = min(CHUNK, LONG_TOTAL - chunk * CHUNK)
    _run(qtbot, qtlog, LONG_SEED_START + chunk, count)
