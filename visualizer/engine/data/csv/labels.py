"""From the read table to a :class:`~visualizer.engine.data.Dataset`: task, targets or classes, split, normalization."""

from __future__ import annotations

import math
import re

import numpy as np

from ..dataset import Dataset, normalize
from .common import MAX_INFERRED_CLASSES, CSVFormatError
from .sniff import _to_float


class _NeedLinesError(Exception):
    """The fast reader found a problem that needs a line number: read again row by row to find it."""


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


def _first_row(inverse: np.ndarray, unique_indices) -> int:
    return int(np.flatnonzero(np.isin(inverse, np.asarray(list(unique_indices), dtype=np.int64)))[0])


def _number_name(value: float | None) -> str:
    """The class name of a numeric label: ``"1"`` for 1.0, ``"0.5"`` for 0.5."""
    assert value is not None
    return str(int(value)) if value.is_integer() else repr(value)


def _natural_key(text: str) -> tuple[tuple[tuple[int, int | str], ...], str]:
    # isdecimal, not isdigit: "²" is a digit to isdigit but neither matched by \d nor read by int().
    parts = tuple((0, int(p)) if p.isdecimal() else (1, p) for p in re.split(r"(\d+)", text) if p)
    return parts, text
