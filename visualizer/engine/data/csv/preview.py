"""What the import dialog shows before reading a file: :func:`preview_csv`."""

from __future__ import annotations

import csv
import itertools
import math
from dataclasses import dataclass

from .common import MAX_INFERRED_CLASSES, SPLIT_COLUMN, CSVFormatError
from .read import _read
from .sniff import _HEADER_SAMPLE, _choose_delimiter, _is_header, _read_text, _rows, _to_float


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
