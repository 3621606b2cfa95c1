"""The CSV reader's error and the constants its parts share."""

from __future__ import annotations

NORMALIZATIONS = (None, "minmax", "standard")
"""What ``read_csv(normalization=...)`` accepts: none, min-max to [0, 1] fitted on the training rows, standardize."""

SPLIT_COLUMN = "split"
"""Header of the column :func:`write_csv` writes (``train``/``test`` per row) and :func:`read_csv` reads back."""

MAX_INFERRED_CLASSES = 10
"""A numeric label column with at most this many distinct whole numbers is taken as class labels."""


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
