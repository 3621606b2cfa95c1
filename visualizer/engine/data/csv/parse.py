"""The two ways to read the data rows: numpy's C reader (fast path) and row by row with precise errors (slow path)."""

from __future__ import annotations

import array
import io
import math
import operator
import warnings

import numpy as np

from .common import CSVFormatError
from .sniff import _to_float


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
