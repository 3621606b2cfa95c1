"""Which columns are features and which is the train/test split column, and the split column's values."""

from __future__ import annotations

import numpy as np

from .common import SPLIT_COLUMN, CSVFormatError
from .sniff import _lines, _rows


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
