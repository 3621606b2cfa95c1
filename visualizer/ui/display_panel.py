"""The display options below the output map: test points, discretized output, log-scale loss, thumbnails,
weight scale.
"""

from __future__ import annotations

from PyQt6.QtCore import pyqtSignal
from PyQt6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QGridLayout,
    QWidget,
)


class DisplayPanel(QWidget):
    """Display options: test points, discretized output, log-scale loss, neuron thumbnails, weight scale."""

    sigShowTest = pyqtSignal(bool)
    sigDiscretize = pyqtSignal(bool)
    sigLogScale = pyqtSignal(bool)
    sigThumbnails = pyqtSignal(bool)
    sigWeightScale = pyqtSignal(float)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QGridLayout(self)  # three columns, two rows: fits the narrow output panel of a 1280×720 screen
        layout.setContentsMargins(4, 2, 4, 2)
        layout.setVerticalSpacing(2)
        self.show_test = QCheckBox("Test data")
        self.show_test.setToolTip("Draw the held-out test points (dark rim) on the output map.")
        self.show_test.toggled.connect(self.sigShowTest)
        self.discretize = QCheckBox("Discretize")
        self.discretize.setToolTip("Colour the output map by predicted class instead of by confidence.")
        self.discretize.toggled.connect(self.sigDiscretize)
        self.log_scale = QCheckBox("Log loss")
        self.log_scale.setToolTip("Plot the loss on a logarithmic scale.")
        self.log_scale.toggled.connect(self.sigLogScale)
        self.thumbnails = QCheckBox("Neuron maps")
        self.thumbnails.setChecked(True)
        self.thumbnails.setToolTip("Fill every neuron with a small map of its activation over the input plane.")
        self.thumbnails.toggled.connect(self.sigThumbnails)
        self.weight_scale = QDoubleSpinBox()
        self.weight_scale.setRange(0.1, 100.0)
        self.weight_scale.setDecimals(1)
        self.weight_scale.setSingleStep(0.5)
        self.weight_scale.setValue(2.0)
        self.weight_scale.setPrefix("|w| max ")
        self.weight_scale.setToolTip("Synapse width scale: weights of this size or larger get the thickest line.")
        self.weight_scale.valueChanged.connect(self.sigWeightScale)
        for k, w in enumerate((self.show_test, self.discretize, self.log_scale, self.thumbnails, self.weight_scale)):
            layout.addWidget(w, k // 3, k % 3, 1, 2 if k == 4 else 1)
        layout.setColumnStretch(3, 1)
