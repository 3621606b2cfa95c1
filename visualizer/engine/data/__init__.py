"""Data: the :class:`Dataset`, generated sets, tables, digits, CSV, expressions and the undoable point store.

Modules: :mod:`.dataset` (the Dataset class, normalize), :mod:`.generators` (the 2-D sets, the catalogue of names and
:func:`make_dataset` for every name), :mod:`.tables` (logic gates, the tutorials' tables, Iris, digits), :mod:`.csv`
(reading, previewing, writing), :mod:`.expressions` (the safe formula evaluator and :func:`function_dataset`),
:mod:`.store` (:class:`PointStore`, edits with undo and redo).
"""

from .csv import CSVFormatError, CSVPreview, preview_csv, read_csv, write_csv
from .dataset import Dataset, normalize
from .expressions import Expression, ExpressionError, function_dataset, parse_expression
from .generators import (
    CLASSIFICATION_2D,
    DATASET_NAMES,
    DATASETS,
    MAX_NOISE,
    PLAYGROUND_DOMAIN,
    POINTS_RANGE,
    REGRESSION_2D,
    cli_name,
    dataset_names,
    is_two_d,
    make_dataset,
    resolve_dataset_name,
)
from .store import PointStore
from .tables import TABLES

__all__ = [
    "CLASSIFICATION_2D",
    "DATASETS",
    "DATASET_NAMES",
    "MAX_NOISE",
    "PLAYGROUND_DOMAIN",
    "POINTS_RANGE",
    "REGRESSION_2D",
    "TABLES",
    "CSVFormatError",
    "CSVPreview",
    "Dataset",
    "Expression",
    "ExpressionError",
    "PointStore",
    "cli_name",
    "dataset_names",
    "function_dataset",
    "is_two_d",
    "make_dataset",
    "normalize",
    "parse_expression",
    "preview_csv",
    "read_csv",
    "resolve_dataset_name",
    "write_csv",
]
