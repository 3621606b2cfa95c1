"""Getting at the text and its shape: the file's text and bytes, lines and rows, the delimiter, the header rules."""

from __future__ import annotations

import csv
import os
import re
from pathlib import Path
from typing import IO

from .common import CSVFormatError

_SNIFF_LINES = 20
_HEADER_SAMPLE = 100
"""Rows after the first that the header rules look at."""
_PLAIN_INT = re.compile(r"[0-9]+")
_LABEL_NAMES = frozenset({"label", "labels", "class", "target", "y"})
"""Label-column names that make a first row a header although every feature name in it is a number."""
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
_UTF8_BOM = b"\xef\xbb\xbf"


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
