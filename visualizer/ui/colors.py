"""Colours with meaning, shared by every view.

TensorFlow Playground's diverging scale: orange ``#f59322`` for negative values (class "orange", label −1),
grey ``#e8eaeb`` for zero, blue ``#0877bd`` for positive values (class "blue", label +1). Synapses and biases
use the same two hues, so a blue synapse pushes its target towards "blue".
"""

from __future__ import annotations

import numpy as np

ORANGE = "#f59322"
GREY = "#e8eaeb"
BLUE = "#0877bd"
NEGATIVE = ORANGE
POSITIVE = BLUE

# Class colours, for every view (data points, the output map, the output neurons, the data preview): blue and
# orange first, matching the two-class case, then Okabe & Ito's colour-blind-safe set (bluish green, reddish
# purple, sky blue, vermillion, yellow, near-black). Under simulated protanopia, deuteranopia and tritanopia
# (Machado et al. 2009) any two of the first 8 stay at least 15 CIELAB units apart (tests/test_boundary_view.py);
# the previous tab10-like set had green/red 7 and blue/purple 1 units apart. Classes 9 and 10 reuse brown and
# grey; more classes cycle.
CLASS_COLORS = (
    "#f59322",  # orange (Playground)
    "#0877bd",  # blue (Playground)
    "#009e73",  # bluish green
    "#cc79a7",  # reddish purple
    "#56b4e9",  # sky blue
    "#d55e00",  # vermillion
    "#f0e442",  # yellow
    "#3d3d3d",  # near-black
    "#8c564b",  # brown
    "#7f7f7f",  # grey
)


def class_color(k: int) -> str:
    """The colour of class ``k`` (cycles after ``len(CLASS_COLORS)``): the one place every view asks."""
    return CLASS_COLORS[int(k) % len(CLASS_COLORS)]


def hex_to_rgb(color: str) -> tuple[int, int, int]:
    color = color.lstrip("#")
    return int(color[0:2], 16), int(color[2:4], 16), int(color[4:6], 16)


def diverging_lut(n: int = 256, low: str = ORANGE, mid: str = GREY, high: str = BLUE) -> np.ndarray:
    """A ``(n, 4)`` uint8 RGBA lookup table from ``low`` through ``mid`` to ``high``.

    Index 0 maps to the most negative value, index ``n − 1`` to the most positive.
    """
    t = np.linspace(-1.0, 1.0, n)[:, None]
    lo, mi, hi = (np.array(hex_to_rgb(c), dtype=np.float64) for c in (low, mid, high))
    rgb = np.where(t < 0, mi + (lo - mi) * (-t), mi + (hi - mi) * t)
    lut = np.empty((n, 4), dtype=np.uint8)
    lut[:, :3] = np.clip(np.round(rgb), 0, 255).astype(np.uint8)
    lut[:, 3] = 255
    return lut


PLAYGROUND_LUT = diverging_lut()
"""The 256-entry lookup table every heatmap uses (levels fixed to −1 … 1 unless a view says otherwise)."""


def lighten(color: str, amount: float) -> str:
    """Mix ``color`` with white: 0 keeps it, 1 gives white."""
    rgb = np.array(hex_to_rgb(color), dtype=np.float64)
    r, g, b = np.round(rgb + (255.0 - rgb) * amount).astype(int)
    return f"#{r:02x}{g:02x}{b:02x}"


BACKGROUND_LUT = diverging_lut(low=lighten(ORANGE, 0.35), mid=GREY, high=lighten(BLUE, 0.35))
"""The output map's table: the same scale, a little lighter, so that data points in full colour stand out."""


def class_rgb(n_classes: int) -> np.ndarray:
    """``(n_classes, 3)`` float RGB in 0–255 for the first ``n_classes`` class colours."""
    return np.array([hex_to_rgb(class_color(i)) for i in range(n_classes)], dtype=np.float64)


def colorize_diverging(values: np.ndarray, vmax: float = 1.0, lut: np.ndarray = PLAYGROUND_LUT) -> np.ndarray:
    """Map values in ``[−vmax, vmax]`` to RGBA uint8 through ``lut`` (vectorised; shape ``values.shape + (4,)``).

    NaN maps to the middle (zero), ±inf to the ends: no value can index outside the table.
    """
    n = lut.shape[0]
    scaled = np.asarray(values, dtype=np.float64) / vmax
    scaled = np.nan_to_num(scaled, nan=0.0, posinf=1.0, neginf=-1.0)
    idx = np.clip((scaled + 1.0) * (0.5 * (n - 1)), 0, n - 1)
    return lut[np.rint(idx).astype(np.intp)]
