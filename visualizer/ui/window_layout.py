"""The main window's docks and their sizes, and fitting the window to the screen."""

from __future__ import annotations

from PyQt6.QtCore import QRect, Qt, QTimer
from PyQt6.QtGui import QGuiApplication
from PyQt6.QtWidgets import (
    QDockWidget,
    QFrame,
    QScrollArea,
    QStackedWidget,
    QStyle,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

DEFAULT_SIZE = (1500, 900)
FRAME_ALLOWANCE = (16, 40)
"""Room left for the window manager's borders and title bar (not known before the window is shown)."""
LOSS_DOCK_HEIGHT = 240
"""The loss panel's height on a short screen (tabs, a two-line summary, the health line and the loss plot)."""


class WindowLayout:
    """Docks and screen fitting of :class:`~visualizer.ui.main_window.MainWindow` (a mixin)."""

    def _dock(self, title: str, name: str, widget: QWidget, area) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
        )
        self.addDockWidget(area, dock)
        return dock

    def _build_docks(self) -> None:
        left, right = Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea
        # The data panel scrolls when the screen is short, instead of pushing the window off it.
        self.data_scroll = QScrollArea()
        self.data_scroll.setWidget(self.data_panel)
        self.data_scroll.setWidgetResizable(True)
        self.data_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.data_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        panel_width = max(self.data_panel.minimumWidth(), self.data_panel.minimumSizeHint().width())
        self.data_scroll.setMinimumWidth(panel_width + self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
                                         + 2)
        self.data_scroll.setMinimumHeight(120)
        self.dock_data = self._dock("Data", "data", self.data_scroll, left)
        output = QWidget()
        out_lay = QVBoxLayout(output)
        out_lay.setContentsMargins(0, 0, 0, 0)
        self.output_stack = QStackedWidget()
        for view in (self.boundary_view, self.table_view, self.digits_view):
            self.output_stack.addWidget(view)
        out_lay.addWidget(self.output_stack, 1)
        out_lay.addWidget(self.data_editor)
        out_lay.addWidget(self.display_panel)
        self.dock_output = self._dock("Output", "output", output, right)
        self.loss_tabs = QTabWidget()
        self.loss_tabs.setDocumentMode(True)
        self.loss_tabs.addTab(self.loss_view, "Loss")
        self.loss_tabs.addTab(self.confusion_view, "Confusion")
        self.loss_tabs.setTabToolTip(1, "Confusion matrix of the test set: counts by true and predicted class, "
                                        "and each class's recall (classification)")
        self.loss_tabs.currentChanged.connect(self._on_loss_tab)
        self.dock_loss = self._dock("Loss", "loss", self.loss_tabs, right)
        self.fit_docks(*DEFAULT_SIZE)

    def available_geometry(self) -> QRect:
        """The part of the window's screen not taken by panels and task bars."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        return screen.availableGeometry() if screen is not None else QRect(0, 0, *DEFAULT_SIZE)

    def fit_to_screen(self, available: QRect | None = None) -> None:
        """Open at the default size, or smaller to fit ``available`` (default: the screen's available area),
        centred on it."""
        avail = available if available is not None else self.available_geometry()
        w = min(DEFAULT_SIZE[0], avail.width() - FRAME_ALLOWANCE[0])
        h = min(DEFAULT_SIZE[1], avail.height() - FRAME_ALLOWANCE[1])
        hint = self.minimumSizeHint()
        w, h = max(w, hint.width()), max(h, hint.height())
        self.resize(w, h)
        self.move(avail.x() + max(0, (avail.width() - w - FRAME_ALLOWANCE[0]) // 2),
                  avail.y() + max(0, (avail.height() - h - FRAME_ALLOWANCE[1]) // 2))
        self.fit_docks(w, h)

    def clamp_to_screen(self, available: QRect | None = None) -> None:
        """Bring a restored geometry back onto ``available``: no larger than it, and inside it."""
        avail = available if available is not None else self.available_geometry()
        if self.isMaximized() or self.isFullScreen():
            return
        hint = self.minimumSizeHint()
        w = max(hint.width(), min(self.width(), avail.width() - FRAME_ALLOWANCE[0]))
        h = max(hint.height(), min(self.height(), avail.height() - FRAME_ALLOWANCE[1]))
        if (w, h) != (self.width(), self.height()):
            self.resize(w, h)
        x = min(max(self.x(), avail.left()), avail.left() + max(0, avail.width() - w - FRAME_ALLOWANCE[0]))
        y = min(max(self.y(), avail.top()), avail.top() + max(0, avail.height() - h - FRAME_ALLOWANCE[1]))
        if (x, y) != (self.x(), self.y()):
            self.move(x, y)

    def fit_docks(self, width: int | None = None, height: int | None = None) -> None:
        """Share the width: about a fifth for the data panel, the network at least half, the rest for output
        and loss; output above loss at about 3 : 2 (the output panel holds the map, the drawing strip and the
        display options; the loss panel its tabs), the loss panel at least LOSS_DOCK_HEIGHT px (up to 47 %) so
        that its plot stays readable on a 1280×720 screen."""
        width = width or self.width()
        height = height or self.height()
        data = int(min(320, max(self.data_scroll.minimumWidth(), 0.2 * width)))
        right = int(min(620, max(300, 0.46 * width - data)))
        self.resizeDocks([self.dock_data, self.dock_output], [data, right], Qt.Orientation.Horizontal)
        rest = max(300, height - 170)
        loss = int(max(rest * 0.42, min(LOSS_DOCK_HEIGHT, rest * 0.47)))
        self.resizeDocks([self.dock_output, self.dock_loss], [rest - loss, loss], Qt.Orientation.Vertical)

    def network_share(self) -> float:
        """The network view's share of the window's width."""
        return self.network_view.width() / max(1, self.width())

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._docks_fitted:
            # sized for the width the window is shown at (after --size or a restored geometry), unless a
            # remembered layout already leaves the network at least half the width
            self._docks_fitted = True
            if not self._restored_docks:
                self.fit_docks()
            QTimer.singleShot(0, self._check_network_share)

    def _check_network_share(self) -> None:
        if self.network_share() < 0.5 and not self._closing:
            self.fit_docks()
