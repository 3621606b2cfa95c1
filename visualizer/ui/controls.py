"""The controls: data and features (a side panel), hyperparameters (a toolbar), display options.

Every control edits one or more :class:`~visualizer.engine.experiment.Config` fields and reports the change as
``sigChanged(dict)`` of field → value; the main window merges it into the current config and hands that to the
training controller, which applies live fields (learning rate, regularization, batch size) at once and rebuilds
the network for anything structural. ``set_config`` updates the widgets without emitting.

This module gathers them: :mod:`.data_panel` (DataPanel), :mod:`.hyper_toolbar` (HyperToolbar),
:mod:`.display_panel` (DisplayPanel) and the shared pieces in :mod:`.control_widgets`.
"""

from __future__ import annotations

from .control_widgets import (
    ACTIVATION_TITLES,
    DATASET_TITLES,
    DEFAULT_SPEED,
    REJECTED_STYLE,
    SPEEDS,
    _float_text,
    _labelled_slider,
    _RateCombo,
    _ThumbnailList,
    dataset_icon,
    mark_rejected,
    other_datasets,
)
from .data_panel import DataPanel
from .display_panel import DisplayPanel
from .hyper_toolbar import HyperToolbar

__all__ = [
    "ACTIVATION_TITLES",
    "DATASET_TITLES",
    "DEFAULT_SPEED",
    "REJECTED_STYLE",
    "SPEEDS",
    "DataPanel",
    "DisplayPanel",
    "HyperToolbar",
    "_RateCombo",
    "_ThumbnailList",
    "_float_text",
    "_labelled_slider",
    "dataset_icon",
    "mark_rejected",
    "other_datasets",
]
