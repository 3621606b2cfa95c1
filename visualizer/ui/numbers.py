"""Numbers as people read and type them.

:func:`format_number` turns any float (tiny, huge, NaN, ±inf) into a short label that never grows with the
value's magnitude, so no label can push a layout off the screen. :func:`parse_number` reads what a person types:
the point or the locale's decimal comma, scientific notation, surrounding spaces; anything else raises
``ValueError`` with a message that says what is accepted.
"""

from __future__ import annotations

import math
import re

from PyQt6.QtCore import QLocale

MAX_TYPED_LENGTH = 64
"""Longer typed numbers are refused outright (nobody types 64 characters for one number)."""

_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")


def format_number(value: float, digits: int = 4) -> str:
    """A label for ``value`` at most about 10 characters long.

    Plain notation between 1e-3 and 1e5 (``digits`` significant digits, trailing zeros dropped), scientific
    outside it (``1.23e+07``), ``0`` for zero, ``NaN``, ``∞`` and ``−∞`` for the non-finite values.
    """
    try:
        value = float(value)
    except (TypeError, ValueError, OverflowError):
        return "–"
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "∞" if value > 0 else "−∞"
    if value == 0:
        return "0"
    magnitude = abs(value)
    if 1e-3 <= magnitude < 1e5:
        decimals = max(0, digits - 1 - math.floor(math.log10(magnitude)))
        text = f"{value:.{decimals}f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return text
    return f"{value:.{max(digits - 2, 1)}e}"


def parse_number(text: str, locale: QLocale | None = None) -> float:
    """Read a finite number as a person types it.

    Accepts ``0.5``, ``0,5`` (decimal comma), ``.5``, ``5.``, ``1e3``, ``-2.5E-4``, with surrounding spaces; also
    whatever ``locale`` (default: the system locale) reads as a number. Raises ``ValueError`` naming the text
    and what is accepted for anything else, including NaN, infinities and over-long input.
    """
    if not isinstance(text, str):
        raise ValueError("expected text")
    stripped = text.strip().replace("\u2212", "-")  # a typographic minus counts as one
    if len(stripped) > MAX_TYPED_LENGTH:
        raise ValueError(f"too long for a number ({len(stripped)} characters)")
    shown = stripped if len(stripped) <= 20 else stripped[:20] + "…"
    if _NUMBER.match(stripped):
        value = float(stripped.replace(",", "."))
    else:
        value, ok = (locale or QLocale()).toDouble(stripped)
        if not ok or not stripped:
            raise ValueError(f"{shown!r} is not a number: type e.g. 0.03, 0,03 or 3e-2")
    if not math.isfinite(value):
        raise ValueError(f"{shown!r} is not a finite number: type e.g. 0.03 or 3e-2")
    return value
