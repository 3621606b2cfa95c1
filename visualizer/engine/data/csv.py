"""Read and write data sets as CSV files, with precise errors for malformed input.

A CSV data set has one row per example: feature columns (numbers) and one label column (class names, class
numbers or regression targets), optionally preceded by a header row. :func:`read_csv` turns any malformed
input into a :class:`CSVFormatError` that names the line and what is wrong, e.g. ``line 7: expected 3
columns, found 2``; :func:`write_csv` writes a file that :func:`read_csv` reads back.

Pure Python and numpy (the standard :mod:`csv` module does the quoting).
"""

from __future__ import annotations

import array
import csv
import io
import itertools
import math
import operator
import os
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import numpy as np

from .dataset import Dataset, normalize

__all__ = [
    "MAX_INFERRED_CLASSES",
    "NORMALIZATIONS",
    "CSVFormatError",
    "CSVPreview",
    "preview_csv",
    "read_csv",
    "write_csv",
]

NORMALIZATIONS = (None, "minmax", "standard")
"""What ``read_csv(normalization=...)`` accepts: none, min-max to [0, 1] fitted on the training rows, standardize."""

SPLIT_COLUMN = "split"
"""Header of the column :func:`write_csv` writes (``train``/``test`` per row) and :func:`read_csv` reads back."""

MAX_INFERRED_CLASSES = 10
"""A numeric label column with at most this many distinct whole numbers is taken as class labels."""

_SNIFF_LINES = 20
_HEADER_SAMPLE = 100
"""Rows after the first that the header rules look at."""
_PLAIN_INT = re.compile(r"[0-9]+")
_LABEL_NAMES = frozenset({"label", "labels", "class", "target", "y"})
"""Label-column names that make a first row a header although every feature name in it is a number."""
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
_UTF8_BOM = b"\xef\xbb\xbf"


class CSVFormatError(ValueError):
    """Raised for a malformed CSV file.

    Parameters
    ----------
    reason : str
        What is wrong, e.g. ``"expected 3 columns, found 2"``.
    line : int or None, optional
        1-based line number in the file, or None when the problem is not on one line (a missing file, a file
        over the size limit, a label column with a single class).

    Attributes
    ----------
    line : int or None
        As given.
    reason : str
        As given.

    Notes
    -----
    ``str(err)`` is ``"line 7: expected 3 columns, found 2"``, or just the reason when ``line`` is None.
    """

    def __init__(self, reason: str, line: int | None = None) -> None:
        self.reason = reason
        self.line = line
        super().__init__(reason if line is None else f"line {line}: {reason}")


# ----------------------------------------------------------------------------------------------------------
# Reading
# ----------------------------------------------------------------------------------------------------------


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


@dataclass(frozen=True)
class CSVPreview:
    """What the import dialog shows before reading a file: see :func:`preview_csv`.

    Attributes
    ----------
    header : tuple of str
        The column names (``"column 1"``, ``"column 2"`` … when the file has no header row).
    has_header : bool
        Whether the first row is a header.
    rows : tuple of tuple of str
        The first data rows as text cells (at most ``n_rows``).
    label_column : int
        The guessed label column: one named label/labels/class/target/y/species, else the last (not ``split``).
    task : str
        The guessed task for that label column (``"classification"`` or ``"regression"``).
    delimiter : str
        ``","``, ``";"`` or ``"\t"``.
    problems : tuple of str
        What reading the whole file with these guesses found wrong (one :class:`CSVFormatError` message, naming
        its line), or ``()`` when it reads.
    """

    header: tuple[str, ...]
    has_header: bool
    rows: tuple[tuple[str, ...], ...]
    label_column: int
    task: str
    delimiter: str
    problems: tuple[str, ...] = ()


_GUESS_LABEL_NAMES = ("label", "labels", "class", "target", "y", "species", "output")


def preview_csv(source, n_rows: int = 10, *, max_bytes: int = 50_000_000) -> CSVPreview:
    """Look at a CSV file for the import dialog: the first rows, the guessed label column and task, and problems.

    A malformed file still gives a preview when its first row can be read, with the reader's message in
    ``problems``; only a file that cannot be opened or split at all raises.

    Raises
    ------
    CSVFormatError
        The only exception: a missing or unreadable file, not UTF-8, over ``max_bytes``, empty, or a first row
        that cannot be split into cells.
    """
    try:
        return _preview(source, int(n_rows), max_bytes)
    except CSVFormatError:
        raise
    except Exception as err:  # the preview must never crash the dialog
        raise CSVFormatError(f"cannot read this file as a data table ({type(err).__name__}: {err})") from None


def _preview(source, n_rows: int, max_bytes: int) -> CSVPreview:
    text, body, _ = _read_text(source, max_bytes)
    delimiter = _choose_delimiter(text)
    rows = _rows(text, delimiter)
    first = next(rows, None)
    if first is None:
        raise CSVFormatError("the file is empty (no rows)", 1)
    _, cells = first
    sample: list[tuple[int, list[str]]] = []
    problems: list[str] = []
    try:
        sample = list(itertools.islice(rows, max(_HEADER_SAMPLE, n_rows)))
    except CSVFormatError as err:
        problems.append(str(err))
    n_cols = len(cells)
    folded = [c.casefold() for c in cells]
    label = n_cols - 1
    for name in _GUESS_LABEL_NAMES:
        if name in folded:
            label = folded.index(name)
            break
    else:
        if n_cols >= 2 and folded[-1] == SPLIT_COLUMN:
            label = n_cols - 2
    has_header = n_cols >= 2 and _is_header(cells, label, [row for _, row in sample if len(row) == n_cols])
    header = tuple(cells) if has_header else tuple(f"column {j + 1}" for j in range(n_cols))
    data = [row for _, row in sample] if has_header else [cells, *(row for _, row in sample)]
    labels = [row[label] for row in data if len(row) == n_cols and row[label]]
    values = [_to_float(v) for v in labels]
    task = "classification"
    if labels and all(v is not None and math.isfinite(v) for v in values):
        whole = all(float(v).is_integer() for v in values)
        if not whole or len(set(values)) > MAX_INFERRED_CLASSES:
            task = "regression"
    if not problems:
        try:
            _read(text, body, label, None, 1.0, 0, 1_000_000, False, None, "preview", None, None)
        except CSVFormatError as err:
            problems.append(str(err))
        except (ValueError, TypeError, OverflowError, IndexError, KeyError, csv.Error) as err:
            problems.append(f"cannot read this file as a data table ({type(err).__name__}: {err})")
    return CSVPreview(
        header=header,
        has_header=has_header,
        rows=tuple(tuple(row) for row in data[: max(0, n_rows)]),
        label_column=label,
        task=task,
        delimiter=delimiter,
        problems=tuple(problems),
    )


class _NeedLinesError(Exception):
    """The fast reader found a problem that needs a line number: read again row by row to find it."""


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


def _lines(text: str):
    """The lines of ``text`` with their endings (``\\n``, ``\\r\\n`` or ``\\r``), as ``io.StringIO(text, newline="")``
    gives them, without its copy of the whole text (four bytes a character)."""
    return (match.group() for match in _LINE.finditer(text))


def _rows(text: str, delimiter: str):
    """Yield ``(line number, stripped cells)`` for every non-blank row."""
    reader = csv.reader(_lines(text), delimiter=delimiter)
    while True:
        try:
            raw = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            raise CSVFormatError(f"cannot split the line into cells ({err})", reader.line_num) from None
        cells = list(map(str.strip, raw))
        if not any(cells) and len(cells) <= 1:
            continue  # a blank line
        yield reader.line_num, cells


def _read_fast(body: bytes, delimiter: str, skip: int, n_cols: int, feature_index, label_index: int, max_rows: int):
    """numpy's C reader over an unquoted file: ``(X, labels as a str array)``, or None when it does not take
    the file (the row-by-row reader then finds what is wrong, or reads what numpy does not)."""
    kwargs = {
        "delimiter": delimiter,
        "comments": None,
        "skiprows": skip,
        "max_rows": max_rows + 1,
        "encoding": "utf-8",
        "ndmin": 2,
    }
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "input contained no data" and the like: the slow path says it better
            everything = None
            try:  # numeric labels: one pass over the file
                everything = np.loadtxt(io.BytesIO(body), dtype=np.float64, **kwargs)
            except ValueError:
                if not _same_column_counts(body, delimiter, skip, n_cols):
                    return None  # numpy's usecols would let a ragged row pass
                X = np.loadtxt(io.BytesIO(body), dtype=np.float64, usecols=feature_index, **kwargs)
                labels = np.loadtxt(io.BytesIO(body), dtype=str, usecols=[label_index], **kwargs)[:, 0]
            if everything is not None:
                if everything.shape[1] != n_cols:
                    return None
                X = np.ascontiguousarray(everything[:, feature_index])
                labels = everything[:, label_index]
    except Exception:  # any refusal of the C reader: read row by row instead
        return None
    if X.shape[0] == 0 or X.shape[0] > max_rows or X.shape[1] != len(feature_index) or labels.shape[0] != X.shape[0]:
        return None
    if not np.all(np.isfinite(X)):
        return None  # the row-by-row reader names the line
    return X, labels


def _same_column_counts(body: bytes, delimiter: str, skip: int, n_cols: int) -> bool:
    """Whether every line after the first ``skip`` has ``n_cols − 1`` delimiters (or none: a blank line)."""
    buf = np.frombuffer(body, dtype=np.uint8)
    newlines = np.flatnonzero(buf == 10)
    line = np.searchsorted(newlines, np.flatnonzero(buf == ord(delimiter)))  # 0-based line of each delimiter
    counts = np.bincount(line, minlength=newlines.size + 1)[skip:]
    return bool(np.all((counts == n_cols - 1) | (counts == 0)))


def _read_slow(rows, n_cols: int, feature_index, label_index: int, column_names, max_rows: int):
    """Row by row, with a precise error for the first bad line; ``(X, labels list, line numbers)``.

    Values go into compact arrays as they are read, so memory stays near the size of the result.
    """
    values = array.array("d")
    lines = array.array("q")
    labels: list[str] = []
    checked: dict[str, str] = {}  # labels that passed the checks, each kept once
    if len(feature_index) > 1:
        pick = operator.itemgetter(*feature_index)
    else:
        only = feature_index[0]

        def pick(cells):
            return (cells[only],)

    to_float, extend, isfinite = float, values.extend, math.isfinite
    n = 0
    for line, cells in rows:
        if len(cells) != n_cols:
            raise CSVFormatError(f"expected {n_cols} columns, found {len(cells)}", line)
        if n >= max_rows:
            raise CSVFormatError(f"more than {max_rows:,} data rows (the limit is {max_rows:,})", line)
        start = len(values)
        try:
            extend(map(to_float, pick(cells)))
        except ValueError:
            for j in feature_index:
                _number(cells[j], line, j, column_names[j])  # raises the precise error
        if not isfinite(sum(values[start:])):  # NaN or ±inf somewhere (or a sum that overflows: look closer)
            for j in feature_index:
                _number(cells[j], line, j, column_names[j])
        label = cells[label_index]
        known = checked.get(label)
        if known is None:
            if not label:
                raise CSVFormatError(f"the label (column {label_index + 1}) is blank", line)
            number = _to_float(label)
            if number is not None and not isfinite(number):
                raise CSVFormatError(
                    f"the label (column {label_index + 1}) is {label!r}; NaN and infinite values are not allowed",
                    line,
                )
            known = checked[label] = label
        labels.append(known)
        lines.append(line)
        n += 1
    X = np.frombuffer(values, dtype=np.float64).reshape(n, len(feature_index)).copy() if n else np.empty((0, 1))
    return X, labels, np.frombuffer(lines, dtype=np.int64).copy() if n else np.empty(0, np.int64)


def _finish(
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
    *,
    split=None,
    normalization=None,
) -> Dataset:
    """Labels → task, targets or classes; then split and build the data set. ``lines`` is None after the fast
    reader: a problem that needs a line number raises :class:`_NeedLinesError`."""
    n = X.shape[0]
    if isinstance(labels, np.ndarray) and labels.dtype.kind == "f":  # the fast reader's numeric labels
        if not np.all(np.isfinite(labels)):
            raise _NeedLinesError
        uniq_values, inverse = np.unique(labels, return_inverse=True)
        values = uniq_values.tolist()
        raw: list[str] = []  # only text labels need their raw form
        numeric = True
        if task is None:  # as below, vectorized: there may be a value per row
            whole = bool(np.all(np.mod(uniq_values, 1.0) == 0.0))
            task = "classification" if whole and len(values) <= MAX_INFERRED_CLASSES else "regression"
    else:
        if isinstance(labels, np.ndarray):  # the fast reader's text labels: strip, then merge equal ones
            uniq, inverse = np.unique(labels, return_inverse=True)
            raw, remap = [], np.empty(len(uniq), dtype=np.int64)
            index: dict[str, int] = {}
            for k, label in enumerate(uniq.tolist()):
                label = label.strip()
                remap[k] = index.setdefault(label, len(index))
                if remap[k] == len(raw):
                    raw.append(label)
            inverse = remap[inverse]
            if "" in index:
                raise _NeedLinesError  # a blank label
        else:
            index = {}
            inverse = np.fromiter((index.setdefault(label, len(index)) for label in labels), np.int64, n)
            raw = list(index)
        values = [_to_float(label) for label in raw]
        if any(v is not None and not math.isfinite(v) for v in values):
            raise _NeedLinesError  # (the row-by-row reader has already refused these)
        numeric = all(v is not None for v in values)
    inverse = np.asarray(inverse, dtype=np.int64).reshape(-1)

    def line_at(row: int) -> int:
        if lines is None:
            raise _NeedLinesError
        return int(lines[row])

    if task is None:
        if numeric:
            distinct = set(values)
            whole = all(float(v).is_integer() for v in distinct)
            task = "classification" if whole and len(distinct) <= MAX_INFERRED_CLASSES else "regression"
        else:
            task = "classification"

    if task == "regression":
        if not numeric:
            first = _first_row(inverse, [k for k, v in enumerate(values) if v is None])
            line = line_at(first)
            raise CSVFormatError(
                f"the label (column {label_index + 1}) is not a number: {raw[inverse[first]]!r} "
                "(the task is regression)",
                line,
            )
        y = np.asarray(values, dtype=np.float64)[inverse]
        n_classes, names = 0, ()
    else:
        keys = [_number_name(v) for v in values] if numeric else raw
        if wanted_names is not None:
            names = wanted_names
        elif numeric:  # numeric labels: sort by value
            by_name = {key: value for key, value in zip(keys, values, strict=True)}
            names = tuple(sorted(by_name, key=lambda key: by_name[key]))
        else:
            names = tuple(sorted(set(keys), key=_natural_key))
        class_of = {c: k for k, c in enumerate(names)}
        missing = [k for k, key in enumerate(keys) if key not in class_of]
        if missing:
            first = _first_row(inverse, missing)
            line = line_at(first)
            key = keys[int(inverse[first])]
            raise CSVFormatError(f"label {key!r} is not one of the class names {', '.join(names)}", line)
        y = np.asarray([class_of[key] for key in keys], dtype=np.int64)[inverse]
        present = np.unique(y)
        if present.size < 2:
            raise CSVFormatError(
                f"the label column has only one class ({names[int(present[0])]!r}); classification needs at least 2"
            )
        n_classes = len(names)

    if split is not None:
        train_rows, test_rows = np.flatnonzero(split), np.flatnonzero(~split)
        if train_rows.size == 0:
            raise CSVFormatError("the split column marks no row 'train'; at least one training row is needed")
        if shuffle:
            rng = np.random.default_rng(seed)
            train_rows, test_rows = rng.permutation(train_rows), rng.permutation(test_rows)
        order = np.concatenate([train_rows, test_rows])
        X, y, n_train = X[order], y[order], int(train_rows.size)
    else:
        n_train = math.floor(n * float(train_fraction))
        if n_train < 1:
            raise CSVFormatError(f"train_fraction {train_fraction:g} leaves no training rows out of {n}")
        if shuffle:
            order = np.random.default_rng(seed).permutation(n)
            X, y = X[order], y[order]
    if normalization is not None:
        with np.errstate(all="ignore"):
            _, stats = normalize(X[:n_train], normalization)
            ok = all(np.all(np.isfinite(a)) for a in stats) and np.all(stats[1] != 0)
            X = (X - stats[0]) / stats[1] if ok else X
        if not (ok and np.all(np.isfinite(X))):
            raise CSVFormatError(f"the values are too large to {normalization}-normalize (their range overflows)")
    return Dataset(
        name=ds_name,
        X=X,
        y=y,
        task=task,
        n_classes=n_classes,
        n_train=n_train,
        feature_names=feature_names,
        class_names=names,
        domain=None,
    )


def _split_index(header, label_index: int, sample, feature_columns, n_cols: int) -> int | None:
    """The column of a header named ``split`` that says train or test in the sampled rows (not a chosen feature)."""
    if header is None:
        return None
    for j, cell in enumerate(header):
        if j == label_index or cell.casefold() != SPLIT_COLUMN:
            continue
        if feature_columns is not None and any(c in (j, j - n_cols, cell) for c in feature_columns):
            continue
        if any(row[j].casefold() in ("train", "test") for _, row in sample if len(row) == n_cols):
            return j  # (then every cell must be train or test: the others are errors that name their line)
    return None


def _feature_index(feature_columns, header, n_cols: int, label_index: int, split_index, line: int) -> list[int]:
    """Resolve ``feature_columns`` (None: every column but the label and split ones) to column indices."""
    if feature_columns is None:
        return [j for j in range(n_cols) if j != label_index and j != split_index]
    if not feature_columns:
        raise CSVFormatError("no feature column chosen; choose at least one", line)
    index: list[int] = []
    for c in feature_columns:
        if isinstance(c, str):
            wanted = c.strip()
            if header is None:
                raise CSVFormatError(
                    f"feature column {wanted!r} was given by name, but the file has no header row", line
                )
            if wanted not in header:
                raise CSVFormatError(f"no column named {wanted!r}; the header has: {', '.join(header)}", line)
            j = header.index(wanted)
        else:
            if not -n_cols <= c < n_cols:
                raise CSVFormatError(f"feature column {c} is out of range for {n_cols} columns", line)
            j = c % n_cols
        if j == label_index:
            raise CSVFormatError(f"column {j + 1} is the label column; it cannot also be a feature", line)
        if j in index:
            raise CSVFormatError(f"column {j + 1} is chosen twice as a feature", line)
        index.append(j)
    return index


def _split_mask(text: str, delimiter: str, n_cols: int, split_index: int, n_rows: int) -> np.ndarray:
    """True for the data rows whose split cell is ``train`` (the header row skipped), in file order."""
    if '"' not in text:  # unquoted: plain splitting, ~10× faster than the csv module; any problem: the loop below
        values = _split_cells(text, delimiter, n_cols, split_index)
        if values is not None and len(values) == n_rows:
            cells = np.array(values)
            train = cells == "train"
            if np.all(train | (cells == "test")):
                return train
    rows = _rows(text, delimiter)
    next(rows, None)
    mask = np.empty(n_rows, dtype=bool)
    k = 0
    for line, cells in rows:
        if len(cells) != n_cols:
            raise CSVFormatError(f"expected {n_cols} columns, found {len(cells)}", line)
        cell = cells[split_index].casefold()
        if cell not in ("train", "test"):
            raise CSVFormatError(
                f"the split column (column {split_index + 1}) must say 'train' or 'test', not {cells[split_index]!r}",
                line,
            )
        if k >= n_rows:
            break
        mask[k] = cell == "train"
        k += 1
    if k != n_rows:
        raise CSVFormatError(f"the split column has {k} values for {n_rows} data rows")
    return mask


def _split_cells(text: str, delimiter: str, n_cols: int, split_index: int) -> list[str] | None:
    """The split column's cells (stripped, case-folded) of an unquoted text, header skipped; None for a ragged row."""
    out: list[str] = []
    header = True
    for raw in _lines(text):
        if delimiter not in raw and not raw.strip():
            continue  # a blank line, as _rows skips it
        if header:
            header = False
            continue
        cells = raw.split(delimiter)
        if len(cells) != n_cols:
            return None
        out.append(cells[split_index].strip().casefold())
    return out


def _first_row(inverse: np.ndarray, unique_indices) -> int:
    return int(np.flatnonzero(np.isin(inverse, np.asarray(list(unique_indices), dtype=np.int64)))[0])


def _check_class_names(class_names: Sequence[str] | None) -> tuple[str, ...] | None:
    if class_names is None:
        return None
    names = tuple(str(c).strip() for c in class_names)
    if len(names) < 2 or len(set(names)) != len(names) or not all(names):
        raise ValueError(f"class_names must be at least 2 distinct non-blank names, got {class_names!r}")
    return names


def _read_text(source: str | os.PathLike[str] | IO[str] | IO[bytes], max_bytes: int) -> tuple[str, bytes, str]:
    """Return the decoded text of ``source`` (BOM removed), the same as UTF-8 bytes, and a default name."""
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        try:
            with path.open("rb") as f:
                data: bytes | str = f.read(max_bytes + 1)
        except FileNotFoundError:
            raise CSVFormatError(f"file not found: {path}") from None
        except IsADirectoryError:
            raise CSVFormatError(f"{path} is a folder, not a CSV file") from None
        except OSError as err:
            raise CSVFormatError(f"cannot read {path}: {err.strerror or err}") from None
        default_name = path.stem or "csv"
    elif hasattr(source, "read"):
        try:
            data = source.read(max_bytes + 1)
        except UnicodeDecodeError as err:  # a text-mode file opened with the wrong encoding
            raise CSVFormatError(f"the file is not valid UTF-8 text ({err.reason})") from None
        except OSError as err:
            raise CSVFormatError(f"cannot read the file: {err}") from None
        stream_name = getattr(source, "name", None)
        default_name = Path(stream_name).stem if isinstance(stream_name, str) and stream_name else "csv"
    else:
        raise CSVFormatError(f"cannot read CSV from a {type(source).__name__}; pass a path or a file object")

    if len(data) > max_bytes:
        unit = "bytes" if isinstance(data, bytes) else "characters"
        raise CSVFormatError(f"the file is larger than the limit of {max_bytes:,} {unit}")
    if isinstance(data, str):
        text = data.removeprefix("\ufeff")
        try:
            return text, text.encode("utf-8"), default_name
        except UnicodeEncodeError:  # lone surrogates from a text stream
            raise CSVFormatError("the text is not valid Unicode (it holds lone surrogate characters)") from None
    if not isinstance(data, bytes):
        raise CSVFormatError(f"the file object returned {type(data).__name__}, not text or bytes")
    body = data.removeprefix(_UTF8_BOM)
    try:
        return body.decode("utf-8"), body, default_name
    except UnicodeDecodeError as err:
        line = body[: err.start].count(b"\n") + 1
        bad = body[err.start]
        raise CSVFormatError(f"not valid UTF-8 text (byte 0x{bad:02x}); save the file as UTF-8", line) from None


def _choose_delimiter(text: str) -> str:
    """Pick comma, semicolon or tab from the first non-blank lines (see :func:`read_csv`)."""
    sample: list[str] = []
    for raw in _lines(text):
        if raw.strip():
            sample.append(raw)
            if len(sample) >= _SNIFF_LINES:
                break
    best, best_score = ",", (False, 0, 0)
    # On a tie (every sampled line splits evenly both ways) prefer semicolon, then tab, then comma: a file
    # separated by semicolons often has decimal commas, never the other way round.
    for rank, delimiter in enumerate((",", "\t", ";")):
        try:
            counts = [len(row) for row in csv.reader(sample, delimiter=delimiter)]
        except csv.Error:
            continue
        if not counts or counts[0] < 2:
            continue
        score = (all(c == counts[0] for c in counts), counts[0], rank)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _label_index(
    cells: list[str], label_column: int | str, line: int, sample: list[tuple[int, list[str]]]
) -> tuple[int, bool]:
    """Resolve the label column against the first row; return (index, first row is a header).

    ``sample`` holds the rows that follow (see the header rules in :func:`read_csv`).
    """
    n_cols = len(cells)
    if isinstance(label_column, str):
        wanted = label_column.strip()
        if wanted in cells:
            return cells.index(wanted), True
        if sum(1 for cell in cells if cell and _to_float(cell) is None) >= 2:  # a header, not a data row
            raise CSVFormatError(f"no column named {wanted!r}; the header has: {', '.join(cells)}", line)
        raise CSVFormatError(f"label column {wanted!r} was given by name, but the file has no header row", line)
    if not -n_cols <= label_column < n_cols:
        raise CSVFormatError(f"label column {label_column} is out of range for {n_cols} columns", line)
    index = label_column % n_cols
    return index, _is_header(cells, index, [row for _, row in sample if len(row) == n_cols])


def _is_header(cells: list[str], label_index: int, sample: list[list[str]]) -> bool:
    """The header rules of :func:`read_csv` for a first row ``cells`` above the rows ``sample``."""
    numbers = [_to_float(cell) if cell else None for cell in cells]
    # (1) a feature cell that is text
    if any(cell and numbers[j] is None for j, cell in enumerate(cells) if j != label_index):
        return True
    # (2) a column that is text in the first row and numeric below it
    if sample:
        for j, cell in enumerate(cells):
            if cell and numbers[j] is None and all(row[j] and _to_float(row[j]) is not None for row in sample):
                return True
    # (4) the label cell names the column ("label", as write_csv writes) and is no label of the rows below
    name = cells[label_index].casefold()
    if name in _LABEL_NAMES and all(row[label_index].casefold() != name for row in sample):
        return True
    # (3) the column numbers 0 … n−1 or 1 … n, above data with fractions (or of at least 4 columns)
    if all(_PLAIN_INT.fullmatch(cell) for cell in cells):
        ints = [int(cell) for cell in cells]
        if ints[0] in (0, 1) and ints == list(range(ints[0], ints[0] + len(ints))):
            if len(cells) >= 4:
                return True
            for row in sample:
                for j, cell in enumerate(row):
                    if j != label_index and cell and not _PLAIN_INT.fullmatch(cell) and _to_float(cell) is not None:
                        return True
    return False


def _to_float(cell: str) -> float | None:
    """The cell as a float (NaN and infinities included), or None when it is not a number."""
    try:
        return float(cell)
    except ValueError:
        return None


def _number(cell: str, line: int, j: int, column: str) -> float:
    """Parse a feature cell, raising a :class:`CSVFormatError` that names the line and column."""
    where = f"column {j + 1}" if column == f"column {j + 1}" else f"column {j + 1} ({column!r})"
    if not cell:
        raise CSVFormatError(f"{where} is blank", line)
    value = _to_float(cell)
    if value is None:
        hint = ""
        if "," in cell and _to_float(cell.replace(",", ".", 1)) is not None:
            hint = " (write decimals with a point, not a comma)"
        raise CSVFormatError(f"{where} is not a number: {cell!r}{hint}", line)
    if not math.isfinite(value):
        raise CSVFormatError(f"{where} is {cell!r}; NaN and infinite values are not allowed", line)
    return value


def _number_name(value: float | None) -> str:
    """The class name of a numeric label: ``"1"`` for 1.0, ``"0.5"`` for 0.5."""
    assert value is not None
    return str(int(value)) if value.is_integer() else repr(value)


def _natural_key(text: str) -> tuple[tuple[tuple[int, int | str], ...], str]:
    # isdecimal, not isdigit: "²" is a digit to isdigit but neither matched by \d nor read by int().
    parts = tuple((0, int(p)) if p.isdecimal() else (1, p) for p in re.split(r"(\d+)", text) if p)
    return parts, text


def _encode_classes(
    keys: list[str], values: list[float | None] | None, wanted: tuple[str, ...] | None, lines: list[int]
) -> tuple[np.ndarray, tuple[str, ...]]:
    """Map label keys to class indices; return (y (n,) int64, class names)."""
    if wanted is not None:
        names = wanted
    elif values is not None:  # numeric labels: sort by value
        by_name = {key: value for key, value in zip(keys, values, strict=True)}
        names = tuple(sorted(by_name, key=lambda key: by_name[key]))
    else:
        names = tuple(sorted(set(keys), key=_natural_key))
    index = {name: k for k, name in enumerate(names)}
    y = np.empty(len(keys), dtype=np.int64)
    for i, key in enumerate(keys):
        k = index.get(key)
        if k is None:
            raise CSVFormatError(f"label {key!r} is not one of the class names {', '.join(names)}", lines[i])
        y[i] = k
    present = np.unique(y)
    if present.size < 2:
        raise CSVFormatError(
            f"the label column has only one class ({names[int(present[0])]!r}); classification needs at least 2"
        )
    return y, names


# ----------------------------------------------------------------------------------------------------------
# Writing
# ----------------------------------------------------------------------------------------------------------


def write_csv(dataset: Dataset, path: str | os.PathLike[str] | IO[str]) -> None:
    """Write a data set as a UTF-8, comma-separated CSV file that :func:`read_csv` reads back.

    Parameters
    ----------
    dataset : Dataset
        The data to write, all ``n`` rows in order (training rows first), each marked ``train`` or ``test`` in a
        ``split`` column before the label.
    path : str, path-like or text file object
        Where to write; an existing file is replaced.

    Notes
    -----
    The header row is the feature names followed by ``split`` and ``label``. Features are written with Python's shortest
    round-trip float repr, so they read back exactly. Class labels are written as their class names;
    regression targets as numbers. Reading the file back with ``read_csv(path, task=dataset.task,
    class_names=dataset.class_names or None, shuffle=False)`` gives the same ``X``, ``y``, split, feature names and
    class names; without ``class_names`` the classes come back in sorted order (e.g. ``("blue", "orange")``
    for ``("orange", "blue")``), each point keeping its class name.
    """
    header = [*dataset.feature_names, SPLIT_COLUMN, "label"]
    if dataset.is_classification:
        labels = [dataset.class_names[k] for k in dataset.y.tolist()]
    else:
        labels = [repr(v) for v in dataset.y.tolist()]
    n_train = dataset.n_train
    rows = (
        [*map(repr, x), "train" if i < n_train else "test", label]
        for i, (x, label) in enumerate(zip(dataset.X.tolist(), labels, strict=True))
    )

    def _write(f: IO[str]) -> None:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)

    if isinstance(path, (str, os.PathLike)):
        with open(path, "w", encoding="utf-8", newline="") as f:
            _write(f)
    else:
        _write(path)
