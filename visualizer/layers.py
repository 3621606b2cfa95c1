"""The hidden-layers text, read the same way by the command line (``--layers``) and the window's field.

Pure Python (no Qt), so the command line can use it before any Qt library is loaded.
"""

from __future__ import annotations

import re

MAX_HIDDEN_LAYERS = 10
MAX_NEURONS = 64
MAX_TEXT_LENGTH = 200

NO_LAYERS = ("", "0", "none")
"""Texts meaning "no hidden layer" (case-insensitive)."""

HELP = (f"Neurons per hidden layer, comma-separated, e.g. 4, 2 (0 to {MAX_HIDDEN_LAYERS} layers of "
        f"1 to {MAX_NEURONS} neurons; 0, none or empty: no hidden layer).")
PLACEHOLDER = "e.g. 4, 2   (0 = none)"

_COUNT = re.compile(r"[0-9]{1,6}")


def parse_hidden(text: str) -> tuple[int, ...]:
    """Neurons per hidden layer from text like ``4,2`` or ``4, 2``; ``0``, ``none`` or empty mean none.

    Raises ``ValueError`` with a message saying what is wrong and what is accepted.
    """
    if not isinstance(text, str):
        raise ValueError("expected text like 4, 2")
    text = text.strip()
    if len(text) > MAX_TEXT_LENGTH:
        raise ValueError(f"too long ({len(text)} characters): write e.g. 4, 2")
    if text.lower() in NO_LAYERS:
        return ()
    items = [t.strip() for t in text.split(",")]
    shown = text if len(text) <= 24 else text[:24] + "…"
    for t in items:
        if not _COUNT.fullmatch(t):
            what = "an empty item" if not t else f"{t[:12]!r}"
            raise ValueError(f"{shown!r} has {what}: write whole numbers separated by commas, e.g. 4, 2")
    hidden = tuple(int(t) for t in items)
    if len(hidden) > MAX_HIDDEN_LAYERS:
        raise ValueError(f"{len(hidden)} hidden layers: at most {MAX_HIDDEN_LAYERS}")
    bad = [h for h in hidden if not 1 <= h <= MAX_NEURONS]
    if bad:
        raise ValueError(f"{bad[0]} neurons in a layer: every hidden layer has 1 to {MAX_NEURONS} neurons")
    return hidden


def format_hidden(hidden) -> str:
    """The text :func:`parse_hidden` reads back as ``hidden`` (``0`` for no hidden layer)."""
    return ", ".join(str(h) for h in hidden) if hidden else "0"
