"""Generated data sets: TensorFlow Playground's 2-D sets and a few extra ones; :func:`make_dataset` for every name.

Everything here is pure numpy. The tables and Iris live in :mod:`.tables`, the :class:`Dataset` in :mod:`.dataset`.

The two-dimensional sets are generated the way TensorFlow Playground's ``src/dataset.ts`` does, with a seeded
``numpy.random.default_rng(seed)`` in place of ``Math.random``; then, as in ``playground.ts``, all points are
shuffled with the same generator and the first ``floor(n * train_fraction)`` become the training set.

Class convention for Playground's two-class sets: Playground's label ``+1`` (drawn blue) is class 1 and its
label ``-1`` (drawn orange) is class 0, so ``class_names == ("orange", "blue")``. Regression targets are
floats made as Playground makes them: in ``[-1, 1]`` for ``reg_gauss``; ``reg_plane``'s ``(x1 + x2) / 10``
is not clamped (Playground does not clamp it either), so it reaches about +-1.2 in the corners of the plane.

Note on ``gauss``: Playground's ``normalRandom(mean, variance)`` returns ``mean + sqrt(variance) * N(0, 1)``,
so its "variance" (0.5 .. 4, growing with the noise) really is a variance; the standard deviation used here is
its square root, exactly as Playground draws.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from .dataset import Dataset
from .tables import TABLE_DATA, TABLES, make_digits, make_iris, make_table

__all__ = [
    "CLASSIFICATION_2D",
    "DATASETS",
    "DATASET_NAMES",
    "PLAYGROUND_DOMAIN",
    "POINTS_RANGE",
    "REGRESSION_2D",
    "TABLES",
    "cli_name",
    "dataset_names",
    "is_two_d",
    "make_dataset",
    "resolve_dataset_name",
]

PLAYGROUND_DOMAIN: tuple[float, float] = (-6.0, 6.0)
"""Input range of both axes of the square input plane of the 2-D sets (Playground's ``xDomain``)."""

NUM_SAMPLES_CLASSIFY = 500
"""Points in a 2-D classification set (Playground's ``NUM_SAMPLES_CLASSIFY``)."""

NUM_SAMPLES_REGRESS = 1200
"""Points in a 2-D regression set (Playground's ``NUM_SAMPLES_REGRESS``)."""

MAX_SAMPLES = 1_000_000
"""Upper limit for ``n_samples``, to keep a typo from exhausting memory."""

POINTS_RANGE: tuple[int, int] = (10, 5000)
"""Range of the window's "number of points" control for a generated set (Playground fixes 500)."""

MAX_NOISE = 0.5
"""Largest ``noise`` (Playground's noise slider goes to 50 %)."""

BLOBS_MIN_CLASSES = 3
BLOBS_MAX_CLASSES = 10

CLASSIFICATION_2D: tuple[str, ...] = ("circle", "xor", "gauss", "spiral", "moons", "blobs")
REGRESSION_2D: tuple[str, ...] = ("reg_plane", "reg_gauss")
DATASETS: dict[str, str] = {
    "circle": "Circle: a disc of blue points inside a ring of orange points",
    "xor": "Exclusive or: blue where x1 and x2 have the same sign, orange where they differ",
    "gauss": "Two Gaussians: two clouds of points, blue around (2, 2), orange around (-2, -2)",
    "spiral": "Spiral: two interleaved spiral arms",
    "moons": "Moons: two interleaved half-moons",
    "blobs": "Blobs: 3 to 10 Gaussian clouds, one per class, on a circle",
    "reg_plane": "Plane (regression): the target rises linearly along x1 + x2",
    "reg_gauss": "Multi-Gaussian (regression): six bumps, alternately positive and negative",
    "and": "AND gate: output 1 only when both inputs are 1",
    "or": "OR gate: output 1 when either input is 1",
    "not": "NOT gate: one input, output is its opposite",
    "xor_gate": "XOR gate: output 1 when exactly one input is 1",
    "tutorial_000": "Tutorial 000: the 3-layer network's 4-row table (output = x1 XOR x2)",
    "tutorial_003": "Tutorial 003: a single neuron learns output = x1, then meets the new case [1, 0, 0]",
    "tutorial_004": "Tutorial 004: three examples (output = x3), then tested on [1, 0, 1]",
    "iris": "Iris: Fisher's 150 flowers, 4 measurements, 3 species",
    "digits": "Digits: 1,797 handwritten digits, 8×8 pixels, 10 classes",
}
"""Every data-set name with a short human description, in display order."""

_TWO_CLASS_NAMES = ("orange", "blue")


# ----------------------------------------------------------------------------------------------------------
# TensorFlow Playground's generators (src/dataset.ts), plus moons and blobs
#
# Each returns (points (n, 2), labels (n,)) in generation order; labels are Playground's +1 / -1 for the
# two-class sets. Where Playground draws several Math.random() numbers per point, one row of rng.random()
# is drawn per point, its columns used in the same order, so the stream is consumed the way Playground
# consumes it. The noise draws are made even at noise 0, so the same seed gives the same points at any noise.
# ----------------------------------------------------------------------------------------------------------


def _uniform(u: np.ndarray, a: float, b: float) -> np.ndarray:
    """Playground's ``randUniform(a, b)`` from uniform [0, 1) draws ``u``."""
    return u * (b - a) + a


def _halves(n: int) -> tuple[int, int]:
    """Sizes of the two halves of a two-class set; Playground's loops ``i < n / 2`` give ceil(n / 2)."""
    first = math.ceil(n / 2)
    return first, n - first


def _gen_circle(rng: np.random.Generator, n: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    radius = 5.0
    parts_p, parts_l = [], []
    for count, (r_lo, r_hi) in zip(_halves(n), ((0.0, radius * 0.5), (radius * 0.7, radius)), strict=True):
        u = rng.random((count, 4))
        r = _uniform(u[:, 0], r_lo, r_hi)
        angle = _uniform(u[:, 1], 0.0, 2.0 * math.pi)
        x = r * np.sin(angle)
        y = r * np.cos(angle)
        noise_x = _uniform(u[:, 2], -radius, radius) * noise
        noise_y = _uniform(u[:, 3], -radius, radius) * noise
        inside = np.hypot(x + noise_x, y + noise_y) < radius * 0.5
        parts_p.append(np.column_stack([x, y]))
        parts_l.append(np.where(inside, 1.0, -1.0))
    return np.concatenate(parts_p), np.concatenate(parts_l)


def _gen_xor(rng: np.random.Generator, n: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    padding = 0.3
    u = rng.random((n, 4))
    x = _uniform(u[:, 0], -5.0, 5.0)
    x = x + np.where(x > 0, padding, -padding)
    y = _uniform(u[:, 1], -5.0, 5.0)
    y = y + np.where(y > 0, padding, -padding)
    noise_x = _uniform(u[:, 2], -5.0, 5.0) * noise
    noise_y = _uniform(u[:, 3], -5.0, 5.0) * noise
    labels = np.where((x + noise_x) * (y + noise_y) >= 0, 1.0, -1.0)
    return np.column_stack([x, y]), labels


def _gen_gauss(rng: np.random.Generator, n: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    # Playground: variance = linear([0, .5] -> [.5, 4])(noise), then normalRandom(c, variance), which returns
    # c + sqrt(variance) * N(0, 1): the standard deviation is sqrt(variance).
    variance = 0.5 + noise * (4.0 - 0.5) / 0.5
    std = math.sqrt(variance)
    parts_p, parts_l = [], []
    for count, (c, label) in zip(_halves(n), ((2.0, 1.0), (-2.0, -1.0)), strict=True):
        parts_p.append(c + std * rng.standard_normal((count, 2)))
        parts_l.append(np.full(count, label))
    return np.concatenate(parts_p), np.concatenate(parts_l)


def _gen_spiral(rng: np.random.Generator, n: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    m = n / 2
    parts_p, parts_l = [], []
    for count, (delta_t, label) in zip(_halves(n), ((0.0, 1.0), (math.pi, -1.0)), strict=True):
        i = np.arange(count, dtype=np.float64)
        r = i / m * 5.0
        t = 1.75 * i / m * 2.0 * math.pi + delta_t
        u = rng.random((count, 2))
        x = r * np.sin(t) + _uniform(u[:, 0], -1.0, 1.0) * noise
        y = r * np.cos(t) + _uniform(u[:, 1], -1.0, 1.0) * noise
        parts_p.append(np.column_stack([x, y]))
        parts_l.append(np.full(count, label))
    return np.concatenate(parts_p), np.concatenate(parts_l)


def _regression_points(rng: np.random.Generator, n: int, noise: float) -> tuple[np.ndarray, ...]:
    """Playground's regression sampling: points uniform in [−6, 6]², and the noise offsets of the point at
    which the target is read, uniform in [−6, 6]² times ``noise``. Returns ``x, y, noise_x, noise_y``."""
    radius = 6.0
    u = _uniform(rng.random((n, 4)), -radius, radius)
    return u[:, 0], u[:, 1], u[:, 2] * noise, u[:, 3] * noise


def _gen_reg_plane(rng: np.random.Generator, n: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    x, y, noise_x, noise_y = _regression_points(rng, n, noise)
    # labelScale: linear [-10, 10] -> [-1, 1], and like Playground's d3 scale NOT clamped: near the corners
    # x + y reaches +-12, so targets lie in [-1.2, 1.2] at noise 0 (and up to +-1.8 at noise 0.5).
    target = ((x + noise_x) + (y + noise_y)) / 10.0
    return np.column_stack([x, y]), target


_REG_GAUSSIANS = np.array(
    [
        [-4.0, 2.5, 1.0],
        [0.0, 2.5, -1.0],
        [4.0, 2.5, 1.0],
        [-4.0, -2.5, -1.0],
        [0.0, -2.5, 1.0],
        [4.0, -2.5, -1.0],
    ]
)


def _reg_gauss_target(px: np.ndarray, py: np.ndarray) -> np.ndarray:
    """Playground's ``regressGaussian`` ``getLabel``: the signed bump value largest in absolute value."""
    label = np.zeros_like(px)
    for cx, cy, sign in _REG_GAUSSIANS:
        # labelScale: linear [0, 2] -> [1, 0], clamped.
        scaled = np.clip(1.0 - np.hypot(px - cx, py - cy) / 2.0, 0.0, 1.0)
        new_label = sign * scaled
        label = np.where(np.abs(new_label) > np.abs(label), new_label, label)
    return label


def _gen_reg_gauss(rng: np.random.Generator, n: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    x, y, noise_x, noise_y = _regression_points(rng, n, noise)
    return np.column_stack([x, y]), _reg_gauss_target(x + noise_x, y + noise_y)


MOONS_SCALE = 3.0
"""Factor by which the unit half-moons of ``make_moons`` are enlarged (after centring) to fill the plane."""


def _gen_moons(rng: np.random.Generator, n: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    # As sklearn.datasets.make_moons: the outer moon (class 0, orange) is the upper half of the unit
    # circle, the inner moon (class 1, blue) the lower half of a unit circle centred at (1, 0.5); points
    # evenly spaced.
    # Then centred on the origin (the pair spans x in [-1, 2], y in [-0.5, 1]) and scaled by MOONS_SCALE.
    n_out = n // 2
    n_in = n - n_out
    t_out = np.linspace(0.0, math.pi, n_out)
    t_in = np.linspace(0.0, math.pi, n_in)
    x = np.concatenate([np.cos(t_out), 1.0 - np.cos(t_in)])
    y = np.concatenate([np.sin(t_out), 1.0 - np.sin(t_in) - 0.5])
    points = (np.column_stack([x, y]) - np.array([0.5, 0.25])) * MOONS_SCALE
    points += rng.standard_normal((n, 2)) * (noise * 2.0)
    labels = np.concatenate([np.full(n_out, -1.0), np.full(n_in, 1.0)])
    return points, labels


BLOBS_RADIUS = 3.5
"""Radius of the circle on which the blob centres lie."""


def _gen_blobs(rng: np.random.Generator, n: int, noise: float, n_classes: int) -> tuple[np.ndarray, np.ndarray]:
    # Centres evenly on a circle, the first at the top; class k gets n // K points, the first n % K one more.
    std = 0.6 + 2.0 * noise
    angles = math.pi / 2 + 2.0 * math.pi * np.arange(n_classes) / n_classes
    centres = BLOBS_RADIUS * np.column_stack([np.cos(angles), np.sin(angles)])
    counts = [n // n_classes + (1 if k < n % n_classes else 0) for k in range(n_classes)]
    labels = np.repeat(np.arange(n_classes), counts)
    points = centres[labels] + std * rng.standard_normal((n, 2))
    return points, labels.astype(np.float64)


_TWO_CLASS_GENERATORS: dict[str, Callable[[np.random.Generator, int, float], tuple[np.ndarray, np.ndarray]]] = {
    "circle": _gen_circle,
    "xor": _gen_xor,
    "gauss": _gen_gauss,
    "spiral": _gen_spiral,
    "moons": _gen_moons,
}
_REGRESSION_GENERATORS: dict[str, Callable[[np.random.Generator, int, float], tuple[np.ndarray, np.ndarray]]] = {
    "reg_plane": _gen_reg_plane,
    "reg_gauss": _gen_reg_gauss,
}


# ----------------------------------------------------------------------------------------------------------
# Public factory
# ----------------------------------------------------------------------------------------------------------


def _valid_names() -> str:
    return ", ".join(DATASETS)


DATASET_NAMES: tuple[str, ...] = tuple(DATASETS)
"""Every data set of the picker, by engine name (``"xor_gate"``, ``"tutorial_000"``, ``"digits"`` …), in display
order; ``"function"`` (a typed expression) and imported CSV files are not named sets."""

_CLI_ALIASES = {"xor_table": "xor_gate", "xor_gate_table": "xor_gate"}


def cli_name(name: str) -> str:
    """The command-line spelling of an engine name: hyphens for underscores, ``"xor-table"`` for the XOR gate's
    table (so ``--dataset xor`` is the 2-D set and ``--dataset xor-table`` the four-row table)."""
    return "xor-table" if name == "xor_gate" else name.replace("_", "-")


def resolve_dataset_name(text: str) -> str:
    """The engine name for ``text``: an engine name, its CLI spelling (:func:`cli_name`), any case, or
    ``"function"``. Raises ValueError naming the valid names otherwise."""
    key = str(text).strip().lower().replace("-", "_").replace(" ", "_")
    key = _CLI_ALIASES.get(key, key)
    if key in DATASETS or key == "function":
        return key
    valid = ", ".join(cli_name(n) for n in DATASETS)
    raise ValueError(f"unknown data set {text!r}; valid names are: {valid}")


def dataset_names(task: str | None = None) -> tuple[str, ...]:
    """The picker's data sets (engine names), all or those of one task (``"classification"``/``"regression"``)."""
    if task is None:
        return DATASET_NAMES
    if task == "regression":
        return REGRESSION_2D
    if task == "classification":
        return tuple(n for n in DATASET_NAMES if n not in REGRESSION_2D)
    raise ValueError(f"task must be 'classification', 'regression' or None, not {task!r}")


def is_two_d(dataset: Dataset) -> bool:
    """Whether the data has exactly two inputs, so the map shows it whole (otherwise it is a slice or a table)."""
    return dataset.n_features == 2


def make_dataset(
    name: str,
    *,
    noise: float = 0.0,
    train_fraction: float = 0.5,
    seed: int = 0,
    n_samples: int | None = None,
    n_classes: int = 3,
    n_points: int | None = None,
    function: str | None = None,
) -> Dataset:
    """Build one of the named data sets (see :data:`DATASETS`).

    Parameters
    ----------
    name : str
        One of :data:`CLASSIFICATION_2D`, :data:`REGRESSION_2D` or :data:`TABLES`.
    noise : float, default 0.0
        Noise level in ``[0, 0.5]`` (Playground's 0..50 % slider divided by 100). Only the 2-D sets use it.
    train_fraction : float, default 0.5
        Fraction in ``(0, 1]`` of the (shuffled) rows that form the training set, ``n_train =
        floor(n * train_fraction)``. Used by the 2-D sets and ``"iris"``; the truth tables have a fixed split.
    seed : int, default 0
        Non-negative seed of ``numpy.random.default_rng``, used for generation and shuffling.
    n_samples : int or None, default None
        Number of points of a 2-D set; None means Playground's 500 (classification) or 1200 (regression).
        Ignored by the tables and ``"iris"``.
    n_classes : int, default 3
        Number of classes of ``"blobs"`` (3..10); ignored by every other set.
    n_points : int or None, default None
        The same as ``n_samples`` (the name the window and :class:`~visualizer.engine.experiment.Config` use);
        give one of the two. Also the point count of ``"function"`` (default 500).
    function : str or None
        The expression of ``name == "function"`` (see :func:`.expressions.function_dataset`); ignored otherwise.

    Returns
    -------
    Dataset
        ``X`` of shape (n, d): (500, 2) / (1200, 2) for the 2-D sets with ``domain == (-6.0, 6.0)``;
        (4, 2), (2, 1), (4, 3), (5, 3), (4, 3) for the gates and tutorial tables, kept in table order;
        (150, 4) for iris. The rows of 2-D sets and iris are shuffled before the split.

    Raises
    ------
    ValueError
        For an unknown name (the message lists the valid ones) or an argument out of range.
    """
    if n_points is not None:
        if n_samples is not None and n_samples != n_points:
            raise ValueError("give n_points or n_samples, not both")
        n_samples = n_points
    name = resolve_dataset_name(name) if isinstance(name, str) else name
    if name == "function":
        from .expressions import function_dataset  # (a leaf module; kept out of the import of every caller)

        if function is None:
            raise ValueError("the data set 'function' needs an expression (function=...)")
        return function_dataset(
            function,
            n_points=NUM_SAMPLES_CLASSIFY if n_samples is None else n_samples,
            noise=noise,
            seed=seed,
            train_fraction=train_fraction,
            domain=PLAYGROUND_DOMAIN,
        )
    if name not in DATASETS:
        raise ValueError(f"unknown data set {name!r}; valid names are: {_valid_names()}")
    noise = _check_fraction("noise", noise, 0.0, MAX_NOISE, low_inclusive=True)
    train_fraction = _check_fraction("train_fraction", train_fraction, 0.0, 1.0, low_inclusive=False)
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, not {seed!r}")

    if name in TABLE_DATA:
        return make_table(name)
    if name == "iris":
        return make_iris(train_fraction, int(seed))
    if name == "digits":
        return make_digits(train_fraction, int(seed))

    is_regression = name in REGRESSION_2D
    if n_samples is None:
        n = NUM_SAMPLES_REGRESS if is_regression else NUM_SAMPLES_CLASSIFY
    else:
        if isinstance(n_samples, bool) or not isinstance(n_samples, (int, np.integer)):
            raise ValueError(f"n_samples must be an integer or None, not {n_samples!r}")
        n = int(n_samples)
        if not 2 <= n <= MAX_SAMPLES:
            raise ValueError(f"n_samples must be between 2 and {MAX_SAMPLES}, got {n}")

    rng = np.random.default_rng(int(seed))
    if name == "blobs":
        if isinstance(n_classes, bool) or not isinstance(n_classes, (int, np.integer)):
            raise ValueError(f"n_classes must be an integer, not {n_classes!r}")
        k = int(n_classes)
        if not BLOBS_MIN_CLASSES <= k <= BLOBS_MAX_CLASSES:
            raise ValueError(f"blobs needs n_classes between {BLOBS_MIN_CLASSES} and {BLOBS_MAX_CLASSES}, got {k}")
        if n < k:
            raise ValueError(f"blobs needs n_samples >= n_classes ({k}), got {n}")
        points, labels = _gen_blobs(rng, n, noise, k)
        y = labels.astype(np.int64)
        task, class_names = "classification", tuple(f"class {j + 1}" for j in range(k))
    elif is_regression:
        points, y = _REGRESSION_GENERATORS[name](rng, n, noise)
        task, k, class_names = "regression", 0, ()
    else:
        points, labels = _TWO_CLASS_GENERATORS[name](rng, n, noise)
        y = (labels > 0).astype(np.int64)  # Playground +1 (blue) -> 1, -1 (orange) -> 0
        task, k, class_names = "classification", 2, _TWO_CLASS_NAMES

    order = rng.permutation(n)
    return Dataset(
        name=name,
        X=points[order],
        y=y[order],
        task=task,
        n_classes=k,
        n_train=_n_train(n, train_fraction),
        feature_names=("x1", "x2"),
        class_names=class_names,
        domain=PLAYGROUND_DOMAIN,
    )


def _check_fraction(what: str, value: float, low: float, high: float, *, low_inclusive: bool) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{what} must be a number, not {value!r}") from None
    ok = (low <= v if low_inclusive else low < v) and v <= high
    if not ok or isinstance(value, bool):
        bracket = "[" if low_inclusive else "("
        raise ValueError(f"{what} must be in {bracket}{low:g}, {high:g}], got {value!r}")
    return v


def _n_train(n: int, train_fraction: float) -> int:
    n_train = math.floor(n * train_fraction)
    if n_train < 1:
        raise ValueError(f"train_fraction {train_fraction:g} leaves no training rows out of {n}")
    return n_train
