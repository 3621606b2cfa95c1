"""Drawing snapshots in the main window (one frame per new snapshot, at most one per FRAME_INTERVAL_MS), the
status line (training and drawing speed) and the controller's messages.
"""

from __future__ import annotations

import time

from PyQt6.QtCore import QCoreApplication
from PyQt6.QtWidgets import (
    QStyle,
)

from ..training.snapshot import Snapshot
from .digits_view import image_side
from .numbers import format_number
from .table_view import MAX_ROWS

FRAME_INTERVAL_MS = 16

SPEED_WINDOW_S = 2.0
"""Training speed is measured over the last SPEED_WINDOW_S seconds, or further back (up to SPEED_HISTORY_S)
at slow paces, so that the status line never says 0 epochs/s while epochs go by."""
SPEED_HISTORY_S = 10.0
SPEED_MIN_SPAN_S = 0.5
"""Until the samples span this long the status line says it is measuring."""


STATUS_INTERVAL_S = 0.25
"""While training runs, the speed line in the status bar is rewritten at most this often."""


def _set_text(label, text: str) -> bool:
    """Set a label's text if it differs (a label re-lays out its parent on every setText); True if it changed."""
    if label.text() == text:
        return False
    label.setText(text)
    return True


def _set_epoch_text(label, text: str) -> None:
    """The epoch counter changes every frame: its size is fixed for its number of characters (digits are equally
    wide), so a new count repaints the label alone instead of laying out the toolbar and the window."""
    if len(text) != len(label.text()) or label.minimumWidth() != label.maximumWidth():
        label.setText(text)
        label.ensurePolished()  # the style sheet's font and padding are part of the size
        label.setFixedSize(label.sizeHint())
    else:
        _set_text(label, text)


class WindowStatus:
    """Drawing and the status line of :class:`~visualizer.ui.main_window.MainWindow` (a mixin)."""

    def _on_snapshot_arrived(self, _snap: Snapshot) -> None:
        if self._timer.isActive() or self._closing:
            return
        wait_ms = FRAME_INTERVAL_MS - (time.perf_counter() - self._last_frame) * 1000.0
        if wait_ms <= 0:
            self._on_frame()
        else:
            self._timer.start(max(1, round(wait_ms)))  # whole milliseconds: on average FRAME_INTERVAL_MS apart

    def _on_frame(self) -> None:
        snap = self.controller.latest
        if snap is not None and snap.serial > self._drawn_serial and not self._closing:
            self._last_frame = time.perf_counter()
            self.controller.set_gui_busy(True)
            try:
                self.draw(snap)
                # Paint now, while the training loop waits, instead of later while it competes for the GIL.
                QCoreApplication.sendPostedEvents()
            finally:
                self.controller.set_gui_busy(False)
            self.controller.request_snapshot()

    def draw(self, snap: Snapshot) -> None:
        """Draw one snapshot in every view."""
        self._drawn_serial = snap.serial
        self.data_editor.sync(snap.dataset)  # before the output view: an edit on its way stays drawn
        self.network_view.update_snapshot(snap)
        self.draw_output(snap)
        self.loss_view.update_snapshot(snap)
        classification = snap.task == "classification"
        if self.loss_tabs.isTabEnabled(1) != classification:  # setting it repaints the tab bar and its dock
            self.loss_tabs.setTabEnabled(1, classification)
        if self.loss_tabs.currentWidget() is self.confusion_view:
            self.confusion_view.update_snapshot(snap)
        _set_epoch_text(self.epoch_label, f"Epoch {snap.epoch:07,d}")
        now = time.perf_counter()
        self._drawn_at.append(now)
        speed = self._speed_text(snap, now)
        # While training, the speed line changes at most STATUS_INTERVAL_S apart: figures that change 60 times a
        # second cannot be read, and each change lays out and repaints the status bar.
        due = not snap.running or not self._speed_shown[1] or now - self._speed_shown[0] >= STATUS_INTERVAL_S
        if due and _set_text(self.speed_label, speed):
            self._speed_shown = (now, snap.running)
        _set_text(self.headline, self._headline(snap))

    @staticmethod
    def output_kind(snap: Snapshot) -> str:
        """Which view shows the output: ``"map"`` (a plane, or a slice through one), ``"digits"`` (square images
        with 16 or more pixels) or ``"table"`` (other data of at most MAX_ROWS rows)."""
        ds = snap.dataset
        if ds is None or (ds.domain is not None and ds.n_features == 2):
            return "map"
        if ds.n_features >= 16 and image_side(ds.n_features) is not None and ds.is_classification:
            return "digits"
        if ds.n_samples <= MAX_ROWS:
            return "table"
        return "map"  # a slice through two features (the view says so), or nothing for one input

    def draw_output(self, snap: Snapshot) -> None:
        """Draw the output in the view that suits the data (only that one: the others are hidden)."""
        view = {"map": self.boundary_view, "table": self.table_view, "digits": self.digits_view}[
            self.output_kind(snap)]
        if self.output_stack.currentWidget() is not view:
            self.output_stack.setCurrentWidget(view)
        view.update_snapshot(snap)

    def _on_loss_tab(self, _index: int) -> None:
        snap = self.controller.latest
        if snap is not None and self.loss_tabs.currentWidget() is self.confusion_view:
            self.confusion_view.update_snapshot(snap)

    def training_speed(self, snap: Snapshot, now: float) -> tuple[float, float] | None:
        """(epochs/s, steps/s) measured from the snapshots drawn while training, None until measurable.

        Over at least the last SPEED_WINDOW_S seconds (further back at slow paces, when snapshots are seconds
        apart, up to SPEED_HISTORY_S), so a paced run of 1 epoch/s reads 1, not 0. Starts afresh after Reset or
        a rebuild.
        """
        samples = self._speed_samples
        if not snap.running:
            samples.clear()
            return None
        if samples and (samples[-1][1] != snap.generation or snap.epoch < samples[-1][2]
                        or snap.steps < samples[-1][3]):
            samples.clear()  # Reset or a new network: the old pace says nothing about the new one
        samples.append((now, snap.generation, snap.epoch, snap.steps))
        while samples and now - samples[0][0] > SPEED_HISTORY_S:
            samples.popleft()
        if len(samples) < 2:
            return None
        start = samples[0]
        for sample in samples:  # oldest first: the newest sample at least SPEED_WINDOW_S old, if any
            if now - sample[0] < SPEED_WINDOW_S:
                break
            start = sample
        dt = now - start[0]
        if dt < SPEED_MIN_SPAN_S:
            return None
        return (snap.epoch - start[2]) / dt, (snap.steps - start[3]) / dt

    def _speed_text(self, snap: Snapshot, now: float) -> str:
        fps = self.frames_per_second()
        if not snap.running:
            return f"{'Stopped' if snap.stop_reason else 'Paused'} · epoch {snap.epoch:,d}"
        speed = self.training_speed(snap, now)
        if speed is None:
            return f"Training · measuring speed… · {fps:.0f} frames/s"
        epochs, steps = speed
        return (f"{format_number(epochs, 3)} epochs/s · {format_number(steps, 3)} steps/s · "
                f"{fps:.0f} frames/s")

    def frames_per_second(self) -> float:
        now = time.perf_counter()
        recent = [t for t in self._drawn_at if now - t <= 1.0]
        if len(recent) < 2:
            return 0.0
        return (len(recent) - 1) / max(recent[-1] - recent[0], 1e-9)

    @staticmethod
    def _headline(snap: Snapshot) -> str:
        hidden = snap.sizes[1:-1]
        shape = " → ".join(str(s) for s in snap.sizes)
        what = "classes" if snap.task == "classification" else "a value"
        return (
            f"A network of {len(hidden)} hidden layer{'s' if len(hidden) != 1 else ''} ({shape} neurons) learns to "
            f"predict {what} from {snap.sizes[0]} input{'s' if snap.sizes[0] != 1 else ''}. "
            "Blue = positive, orange = negative; line width = weight size. Hover a neuron to see its map."
        )

    def _on_running_changed(self, running: bool) -> None:
        sp = QStyle.StandardPixmap
        self.act_play.setText("Pause" if running else "Play")
        self.act_play.setIcon(self.style().standardIcon(sp.SP_MediaPause if running else sp.SP_MediaPlay))
        if running:
            self.statusBar().showMessage("Training…")
        else:
            self.statusBar().clearMessage()

    def _on_stopped(self, reason: str) -> None:
        self.statusBar().showMessage(f"Stopped: {reason}", 10000)

    def _on_error(self, message: str) -> None:
        self.statusBar().showMessage(message.strip().splitlines()[-1], 10000)
        # the worker kept its running experiment: show its settings again
        self.controller.forget_pending_config()
        self._config = self.controller.config
        self.data_panel.set_config(self._config)
        self.hyper_toolbar.set_config(self._config)

    def _on_note(self, text: str) -> None:
        self.statusBar().showMessage(text, 5000)

    def _on_thread_died(self, why: str) -> None:
        """The training thread ended by itself: say so and offer a restart (a button beside the speed)."""
        from PyQt6.QtWidgets import QPushButton

        self.statusBar().showMessage(f"{why or 'The training thread stopped.'} Click “Restart training” to go on.")
        if getattr(self, "restart_button", None) is None:
            self.restart_button = QPushButton("Restart training")
            self.restart_button.setToolTip("Start a new training thread with the current settings (initial weights)")
            self.restart_button.clicked.connect(self._on_restart_thread)
            self.statusBar().addPermanentWidget(self.restart_button)
        self.restart_button.show()

    def _on_restart_thread(self) -> None:
        self.controller.restart()
        self.restart_button.hide()
        self._config = self.controller.config
        self.data_panel.set_config(self._config)
        self.hyper_toolbar.set_config(self._config)
        self.statusBar().showMessage("Training thread restarted from the initial weights.", 5000)

    def _on_rejected(self, message: str) -> None:
        self.statusBar().showMessage(message, 8000)
