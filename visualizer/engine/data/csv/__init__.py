"""Read and write data sets as CSV files, with precise errors for malformed input.

A CSV data set has one row per example: feature columns (numbers) and one label column (class names, class
numbers or regression targets), optionally preceded by a header row. :func:`read_csv` turns any malformed
input into a :class:`CSVFormatError` that names the line and what is wrong, e.g. ``line 7: expected 3
columns, found 2``; :func:`write_csv` writes a file that :func:`read_csv` reads back.

Pure Python and numpy (the standard :mod:`csv` module does the quoting).

Modules: :mod:`.common` (:class:`CSVFormatError` and shared constants), :mod:`.sniff` (text, lines, rows, delimiter,
header rules), :mod:`.columns` (feature and split columns), :mod:`.parse` (numpy's fast path and the row-by-row
path), :mod:`.labels` (task, classes, split, normalization → Dataset), :mod:`.read` (:func:`read_csv`),
:mod:`.preview` (:func:`preview_csv`), :mod:`.write` (:func:`write_csv`).
"""

from .common import MAX_INFERRED_CLASSES, NORMALIZATIONS, SPLIT_COLUMN, CSVFormatError
from .preview import CSVPreview, preview_csv
from .read import read_csv
from .write import write_csv

__all__ = [
    "MAX_INFERRED_CLASSES",
    "NORMALIZATIONS",
    "SPLIT_COLUMN",
    "CSVFormatError",
    "CSVPreview",
    "preview_csv",
    "read_csv",
    "write_csv",
]
