"""Data: the :class:`Dataset`, generated sets, tables, CSV reading and writing.

Modules: :mod:`.dataset` (the Dataset class, normalize), :mod:`.generators` (the 2-D sets and
:func:`make_dataset` for every name), :mod:`.tables` (logic gates, the tutorials' tables, Iris), :mod:`.csv`.
"""

from .csv import CSVFormatError, read_csv, write_csv
from .dataset import Dataset, normalize
from .generators import (
    CLASSIFICATION_2D,
    DATASETS,
    MAX_NOISE,
    PLAYGROUND_DOMAIN,
    REGRESSION_2D,
    make_dataset,
)
from .tables import TABLES

__all__ = [
    "CLASSIFICATION_2D",
    "DATASETS",
    "MAX_NOISE",
    "PLAYGROUND_DOMAIN",
    "REGRESSION_2D",
    "TABLES",
    "CSVFormatError",
    "Dataset",
    "make_dataset",
    "normalize",
    "read_csv",
    "write_csv",
]
