"""Reading a CSV file: :func:`read_csv`, its argument checks and the reading pipeline (:func:`_read`)."""

from __future__ import annotations

import csv
import itertools
import os
from collections.abc import Sequence
from typing import IO

from ..dataset import Dataset
from .columns import _feature_index, _split_index, _split_mask
from .common import NORMALIZATIONS, CSVFormatError
from .labels import _finish, _NeedLinesError
from .parse import _read_fast, _read_slow
from .sniff import _HEADER_SAMPLE, _choose_delimiter, _label_index, _read_text, _rows


def read_csv(
    source: str | os.PathLike[str] | IO[str] | IO[bytes],
    *,
    label_column: int | str = -1,
    task: str | None = None,
    train_fraction: float = 1.0,
    seed: int = 0,
    name: str | None = None,
    max_bytes: int = 50_000_000,
    max_rows: int = 1_000_000,
    shuffle: bool = True,
    class_names: Sequence[str] | None = None,
    feature_columns: Sequence[int | str] | None = None,
    normalization: str | None = None,
) -> Dataset:
    """Read a data set from a CSV file.

    Parameters
    ----------
    source : str, path-like or file object
        A path, or an open file in text or binary mode. Bytes must be UTF-8 (a leading byte-order mark is
        allowed).
    label_column : int or str, default -1
        Index of the label column (negative counts from the end), or its name in the header row. Every other
        column is a feature and must be numeric.
    task : {"classification", "regression"} or None, default None
        None infers it: non-numeric labels, or at most :data:`MAX_INFERRED_CLASSES` distinct whole numbers,
        mean classification; anything else regression.
    train_fraction : float, default 1.0
        Fraction in ``(0, 1]`` of the rows (after shuffling) that form the training set:
        ``n_train = floor(n * train_fraction)``; the rest is the test set.
    seed : int, default 0
        Seed of ``numpy.random.default_rng`` used to shuffle the rows.
    name : str or None, default None
        Data-set name; None uses the file name without its extension (``"csv"`` for an unnamed stream).
    max_bytes : int, default 50_000_000
        Refuse a file larger than this (characters, for a text stream).
    max_rows : int, default 1_000_000
        Refuse a file with more data rows than this.
    shuffle : bool, default True
        Shuffle the rows (with ``seed``) before splitting; False keeps the file's order.
    class_names : sequence of str or None, default None
        For classification, the classes in the order of their indices; every label must be one of them.
        None takes the distinct labels in sorted order (see Notes).
    feature_columns : sequence of int or str, or None, default None
        The feature columns, by index (negative counts from the end) or header name, in the order wanted; None
        takes every column but the label (and the split column). Columns not chosen are ignored (they may hold
        text). Naming a column that is not there, the label column, or one twice is a :class:`CSVFormatError`.
    normalization : {None, "minmax", "standard"}, default None
        Scale each feature column, fitted on the training rows and applied to all (see :func:`.dataset.normalize`):
        the data set then holds the scaled values. (``Config.normalization`` is the alternative that keeps the raw
        values in the data set and scales inside the experiment.)

    Returns
    -------
    Dataset
        ``X`` of shape (n, d) float64 with d >= 1, ``y`` of shape (n,) (int64 class indices or float64
        targets), ``feature_names`` from the header (``"x1"``, ``"x2"``, ... without one, or for a blank
        header cell), ``domain`` None.

    Raises
    ------
    CSVFormatError
        For any malformed input — the only exception the file's *content* can cause — with the 1-based line
        number where there is one: a missing or unreadable file, a file over ``max_bytes`` or ``max_rows``,
        bytes that are not UTF-8, an empty file, a header without data rows, fewer than two columns, ragged
        rows, blank or non-numeric feature cells, blank labels, NaN or infinite values, non-numeric regression
        targets, or a single class.
    ValueError
        For a bad argument (``task``, ``train_fraction``, limits, ``class_names``).

    Notes
    -----
    *Header.* The first non-blank row is a header when (1) one of its feature cells is neither blank nor a
    number; or (2) a column's first cell is not a number while the same column is numeric in every row of the
    sample that follows (up to 100 rows) — e.g. ``1,2,label`` above numeric labels; or (3) its cells are the
    column numbers ``0 … n−1`` or ``1 … n`` written as plain integers (what an unnamed table's export writes)
    and either there are at least 4 columns or a feature in the sample is not a whole number; or (4) its label
    cell is ``label``, ``labels``, ``class``, ``target`` or ``y`` (any case; :func:`write_csv` writes
    ``label``) and the sample has no such label. A first row
    whose only non-numeric cell is a text label, above text labels, is data. *Delimiter.* Comma, semicolon or
    tab, chosen from the first lines: the one that splits them into the same number (>= 2) of columns, the
    most columns winning. Blank lines are skipped; cells are stripped of surrounding spaces.

    *Numbers* are what Python's ``float`` reads (so ``1e3``, ``.5``, ``1_000`` and Unicode digits are numbers;
    NaN and infinities are refused). *Speed.* An unquoted file is parsed by numpy's C reader
    (:func:`numpy.loadtxt`): 100,000 rows × 10 columns in well under a second, a 48 MB file in a few seconds
    with memory about three times its size. Anything that reader does not take (quotes, blank cells, Unicode
    digits, errors) is parsed row by row, which names the offending line.

    *Split column.* A header column named ``split`` (any case; what :func:`write_csv` writes) that says ``train``
    or ``test`` in the first rows is no feature: it chooses the split, and ``train_fraction`` is not used.
    Training rows come first, then test rows, each part in file order or shuffled with ``seed``. A cell other
    than train/test there is an error naming the line; no ``train`` row at all is an error.

    *Class order.* Classes are sorted, not taken in order of first appearance, so the same file always gives
    the same class indices: numeric labels by value (``-1`` before ``1``, and their names are the numbers
    written plainly, ``"1"`` for ``1.0``); text labels in natural order, where runs of digits compare as
    numbers (``"class 2"`` before ``"class 10"``), then by plain string order.
    """
    if task not in (None, "classification", "regression"):
        raise ValueError(f"task must be 'classification', 'regression' or None, not {task!r}")
    if isinstance(train_fraction, bool) or not 0.0 < float(train_fraction) <= 1.0:
        raise ValueError(f"train_fraction must be in (0, 1], got {train_fraction!r}")
    for what, limit in (("max_bytes", max_bytes), ("max_rows", max_rows)):
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise ValueError(f"{what} must be a positive integer, not {limit!r}")
    if not isinstance(label_column, (int, str)) or isinstance(label_column, bool):
        raise ValueError(f"label_column must be an int or a str, not {label_column!r}")
    wanted_names = _check_class_names(class_names)
    if normalization not in NORMALIZATIONS:
        raise ValueError(f"normalization must be None, 'minmax' or 'standard', not {normalization!r}")
    if feature_columns is not None:
        if isinstance(feature_columns, (str, bytes)) or not all(
            isinstance(c, (int, str)) and not isinstance(c, bool) for c in feature_columns
        ):
            raise ValueError(f"feature_columns must be a sequence of column indices or names, not {feature_columns!r}")
        feature_columns = list(feature_columns)

    text, body, default_name = _read_text(source, max_bytes)
    try:
        return _read(
            text,
            body,
            label_column,
            task,
            train_fraction,
            seed,
            max_rows,
            shuffle,
            wanted_names,
            default_name if name is None else name,
            feature_columns,
            normalization,
        )
    except CSVFormatError:
        raise
    except (ValueError, TypeError, OverflowError, IndexError, KeyError, csv.Error, MemoryError) as err:
        # A case the checks above missed must still reach the user as this module's error, never a traceback.
        raise CSVFormatError(f"cannot read this file as a data table ({type(err).__name__}: {err})") from None


def _read(
    text,
    body,
    label_column,
    task,
    train_fraction,
    seed,
    max_rows,
    shuffle,
    wanted_names,
    ds_name,
    feature_columns,
    normalization,
):
    """The whole reading after the arguments are checked (see :func:`read_csv`)."""
    delimiter = _choose_delimiter(text)
    rows = _rows(text, delimiter)
    first = next(rows, None)
    if first is None:
        raise CSVFormatError("the file is empty (no rows)", 1)
    first_line, first_cells = first
    n_cols = len(first_cells)
    if n_cols < 2:
        raise CSVFormatError(
            "found only 1 column; need at least one feature column and a label column, "
            "separated by commas, semicolons or tabs",
            first_line,
        )
    sample = list(itertools.islice(rows, _HEADER_SAMPLE))
    label_index, is_header = _label_index(first_cells, label_column, first_line, sample)
    header = first_cells if is_header else None

    split_index = _split_index(header, label_index, sample, feature_columns, n_cols)
    feature_index = _feature_index(feature_columns, header, n_cols, label_index, split_index, first_line)
    if header is None:
        feature_names = tuple(f"x{k + 1}" for k in range(len(feature_index)))
    else:
        feature_names = tuple(header[j] or f"x{k + 1}" for k, j in enumerate(feature_index))

    def finish(X, labels, lines):
        split = None if split_index is None else _split_mask(text, delimiter, n_cols, split_index, X.shape[0])
        return _finish(
            X,
            labels,
            lines,
            label_index,
            task,
            train_fraction,
            seed,
            shuffle,
            wanted_names,
            feature_names,
            ds_name,
            split=split,
            normalization=normalization,
        )

    column_names = [header[j] if header is not None and header[j] else f"column {j + 1}" for j in range(n_cols)]

    table = None
    if '"' not in text and "\x00" not in text:  # numpy's strings would also drop a label's trailing NULs
        skip = first_line if is_header else first_line - 1
        table = _read_fast(body, delimiter, skip, n_cols, feature_index, label_index, max_rows)
    if table is not None:
        try:
            return finish(*table, None)
        except _NeedLinesError:
            pass
    data_rows = itertools.chain(sample, rows) if is_header else itertools.chain([first], sample, rows)
    X, labels, lines = _read_slow(data_rows, n_cols, feature_index, label_index, column_names, max_rows)
    if X.shape[0] == 0:
        if header is not None:
            raise CSVFormatError("the file has a header row but no data rows", first_line)
        raise CSVFormatError("the file is empty (no rows)", 1)
    return finish(X, labels, lines)


def _check_class_names(class_names: Sequence[str] | None) -> tuple[str, ...] | None:
    if class_names is None:
        return None
    names = tuple(str(c).strip() for c in class_names)
    if len(names) < 2 or len(set(names)) != len(names) or not all(names):
        raise ValueError(f"class_names must be at least 2 distinct non-blank names, got {class_names!r}")
    return names
