"""Inside the hidden layers: the numbers behind the views of what each layer does (pure numpy).

* :func:`transformed_space` — the data points and the input plane's grid lines mapped through a layer, seen
  through two chosen neurons or the first two principal components of a wider layer (ConvNetJS's view, for any
  layer). The principal axes have a stable sign (and can be aligned with the previous frame's), so the picture
  does not flip while the network trains.
* :func:`first_layer_lines` — each first-layer neuron's line ``w·x + b = 0`` on a square 2-D input domain, as a
  segment clipped to the domain.
* :func:`layer_histograms`, :func:`weight_histograms`, :func:`gradient_histograms` — per-layer histograms with
  bins shared by all layers (so layers compare at a glance; gradients on a log scale by default).
* :func:`neuron_health` — per hidden neuron: dead ReLU (inactive on every sample) and the fraction of samples on
  which a tanh / sigmoid unit is saturated.

The per-layer gradient size over time is :attr:`Trainer.grad_history
<visualizer.engine.trainer.Trainer.grad_history>`.

Layers are numbered as in ``Network.sizes``: 0 is the input, ``1 … len(sizes) − 2`` the hidden layers, the last
the output.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .network import Network

__all__ = [
    "Histograms",
    "TransformedSpace",
    "first_layer_lines",
    "gradient_histograms",
    "grid_lines",
    "last_gradients",
    "layer_histograms",
    "neuron_health",
    "transformed_space",
    "weight_histograms",
]


# ---------------------------------------------------------------------------------------------- transformed space


def grid_lines(domain: tuple[float, float], n_lines: int = 11, n_points: int = 41) -> np.ndarray:
    """Grid lines of the square input plane ``domain × domain``: ``n_lines`` vertical then ``n_lines``
    horizontal polylines of ``n_points`` points each, shape ``(2·n_lines, n_points, 2)``."""
    lo, hi = float(domain[0]), float(domain[1])
    ticks = np.linspace(lo, hi, n_lines)
    along = np.linspace(lo, hi, n_points)
    lines = np.empty((2 * n_lines, n_points, 2))
    lines[:n_lines, :, 0] = ticks[:, None]
    lines[:n_lines, :, 1] = along[None, :]
    lines[n_lines:, :, 0] = along[None, :]
    lines[n_lines:, :, 1] = ticks[:, None]
    return lines


@dataclass(frozen=True, eq=False)
class TransformedSpace:
    """Data and grid lines as seen by one layer, in two coordinates.

    Attributes
    ----------
    layer : int
    points : (n, 2)
        The data points' coordinates.
    lines : (k, m, 2) or None
        The grid lines' coordinates (``None`` if none were given).
    axes : tuple of str
        Axis labels: ``("unit 3", "unit 5")`` or ``("PC 1 (71 %)", "PC 2 (20 %)")``.
    units : tuple of int or None
        The two neurons shown, or None for principal components.
    basis : (2, width) or None
        The principal axes (rows), unit length, sign-stable; pass as ``reference`` next frame.
    center : (width,) or None
        The mean activation the principal axes are centred on.
    explained : (2,) or None
        Fraction of the activations' variance along each principal axis.
    """

    layer: int
    points: np.ndarray
    lines: np.ndarray | None
    axes: tuple[str, str]
    units: tuple[int, int] | None
    basis: np.ndarray | None
    center: np.ndarray | None
    explained: np.ndarray | None


def _activations(network: Network, layer: int, X: np.ndarray) -> np.ndarray:
    if not 0 <= layer < len(network.sizes):
        raise IndexError(f"layer {layer} out of range 0..{len(network.sizes) - 1}")
    X = np.asarray(X, dtype=np.float64)
    if layer == 0:
        return network._check_X(X).copy()
    if X.shape[0] == 0:
        return np.zeros((0, network.sizes[layer]))
    return network.forward_all(X)[layer]


def _principal_axes(A: np.ndarray, reference: np.ndarray | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """First two principal axes of the rows of ``A`` (SVD of the centred activations), sign-stable."""
    center = A.mean(axis=0)
    C = A - center
    width = A.shape[1]
    _, s, vt = np.linalg.svd(C, full_matrices=False)
    basis = np.zeros((2, width))
    k = min(2, vt.shape[0])
    basis[:k] = vt[:k]
    var = s**2
    total = var.sum()
    explained = np.zeros(2)
    if total > 0:
        explained[:k] = var[:k] / total
    for r in range(2):
        row = basis[r]
        if reference is not None and reference.shape == basis.shape and float(row @ reference[r]) != 0.0:
            flip = float(row @ reference[r]) < 0  # align with the previous frame's axis
        else:
            big = int(np.argmax(np.abs(row)))  # otherwise: the largest entry positive
            flip = row[big] < 0
        if flip:
            basis[r] = -row
    return basis, center, explained


def transformed_space(
    network: Network,
    layer: int,
    X,
    grid_lines: np.ndarray | None = None,
    units: tuple[int, int] | None = None,
    transform: Callable[[np.ndarray], np.ndarray] | None = None,
    reference: np.ndarray | None = None,
) -> TransformedSpace:
    """Map the data ``X`` and the ``grid_lines`` through layer ``layer`` of ``network``.

    Parameters
    ----------
    network : Network
    layer : int
        0 (the inputs) … ``len(sizes) − 1`` (the output).
    X : array_like, (n, d)
        Data points in the input plane (the network's inputs after ``transform``).
    grid_lines : (k, m, d) array, optional
        Polylines in the same plane (see :func:`grid_lines`).
    units : (a, b), optional
        Two neurons of the layer to use as coordinates. Default: the layer's two neurons if it has two (one:
        that neuron and 0), else its first two principal components over the data.
    transform : callable, optional
        Turns plane points ``(n, d)`` into network inputs (feature columns, normalization). Default: none.
    reference : (2, width), optional
        The previous frame's principal axes: each new axis keeps the sign that agrees with it.
    """
    X = np.asarray(X, dtype=np.float64)
    tf = transform or (lambda P: P)
    A = _activations(network, layer, tf(X))
    width = A.shape[1]
    L = None
    if grid_lines is not None:
        G = np.asarray(grid_lines, dtype=np.float64)
        flat = G.reshape(-1, G.shape[-1])
        L = _activations(network, layer, tf(flat)).reshape(G.shape[0], G.shape[1], width)
    one_d = units is None and width == 1  # a single neuron: its value against 0
    if units is None and width <= 2:
        units = (0, 1) if width == 2 else (0, 0)
    if units is not None:
        a, b = (int(u) for u in units)
        if not (0 <= a < width and 0 <= b < width):
            raise IndexError(f"units {units} out of range 0..{width - 1} for layer {layer}")

        def pick(M: np.ndarray) -> np.ndarray:
            return np.stack([M[..., a], np.zeros(M.shape[:-1]) if one_d else M[..., b]], axis=-1)

        axes = (f"unit {a + 1}", "0" if one_d else f"unit {b + 1}")
        return TransformedSpace(layer, pick(A), None if L is None else pick(L), axes, (a, b), None, None, None)
    basis, center, explained = _principal_axes(A, reference)
    points = (A - center) @ basis.T
    lines = None if L is None else (L - center) @ basis.T
    axes = (f"PC 1 ({100 * explained[0]:.0f} %)", f"PC 2 ({100 * explained[1]:.0f} %)")
    return TransformedSpace(layer, points, lines, axes, None, basis, center, explained)


# ---------------------------------------------------------------------------------------------- first-layer lines


def _clip_line(a: float, c: float, b: float, lo: float, hi: float) -> tuple[tuple[float, float], ...] | None:
    """The segment of ``a·x + c·y + b = 0`` inside ``[lo, hi]²``, or None."""
    pts = []
    span = hi - lo
    tol = 1e-12 * max(1.0, abs(lo), abs(hi))
    if c != 0:
        for x in (lo, hi):
            y = -(a * x + b) / c
            if lo - tol <= y <= hi + tol:
                pts.append((x, min(max(y, lo), hi)))
    if a != 0:
        for y in (lo, hi):
            x = -(c * y + b) / a
            if lo - tol <= x <= hi + tol:
                pts.append((min(max(x, lo), hi), y))
    if len(pts) < 2:
        return None
    # The two points farthest apart (corners may appear twice).
    best, pair = -1.0, None
    for i in range(len(pts)):
        for j in range(i + 1, len(pts)):
            d = (pts[i][0] - pts[j][0]) ** 2 + (pts[i][1] - pts[j][1]) ** 2
            if d > best:
                best, pair = d, (pts[i], pts[j])
    if best <= (1e-12 * span) ** 2:
        return None  # touches a corner only
    return pair


def first_layer_lines(
    network: Network,
    domain: tuple[float, float],
    normalization: tuple[np.ndarray, np.ndarray] | None = None,
) -> list[tuple[tuple[float, float], tuple[float, float]] | None]:
    """For a network with two raw inputs (x1, x2): each first-layer neuron's line ``w·x + b = 0`` as a segment
    ``((x0, y0), (x1, y1))`` clipped to ``domain × domain``, or None where the line misses the domain (or the
    neuron's weights are both 0). ``normalization=(mean, scale)``: the network sees ``(x − mean) / scale``; the
    lines are drawn in the raw plane."""
    if network.n_inputs != 2:
        raise ValueError(f"first-layer lines need 2 inputs, the network has {network.n_inputs}")
    W, b = network.weights[0], network.biases[0]
    lo, hi = float(domain[0]), float(domain[1])
    out = []
    for j in range(W.shape[1]):
        w = W[:, j].astype(np.float64)
        bias = float(b[j])
        if normalization is not None:
            mean, scale = (np.asarray(v, dtype=np.float64).reshape(-1) for v in normalization)
            w = w / scale
            bias = bias - float(w @ mean)
        if w[0] == 0 and w[1] == 0:
            out.append(None)
            continue
        out.append(_clip_line(float(w[0]), float(w[1]), bias, lo, hi))
    return out


# ---------------------------------------------------------------------------------------------- histograms


@dataclass(frozen=True, eq=False)
class Histograms:
    """Per-layer histograms on shared bins: ``counts[l]`` over ``edges`` (all layers alike).

    ``log``: the values binned are ``log10 |v|`` (zeros counted in ``zeros[l]``, not in the bins).
    """

    edges: np.ndarray
    counts: tuple[np.ndarray, ...]
    log: bool
    zeros: tuple[int, ...]


def layer_histograms(values: list[np.ndarray], bins: int = 20, log: bool = False) -> Histograms:
    """Histograms of each layer's values with one set of ``bins`` bins shared by all layers."""
    vals = []
    zeros = []
    for v in values:
        v = np.asarray(v, dtype=np.float64).ravel()
        v = v[np.isfinite(v)]
        if log:
            nz = v != 0
            zeros.append(int(v.shape[0] - np.count_nonzero(nz)))
            v = np.log10(np.abs(v[nz]))
        else:
            zeros.append(0)
        vals.append(v)
    allv = np.concatenate(vals) if vals else np.zeros(0)
    if allv.size == 0:
        lo, hi = 0.0, 1.0
    else:
        lo, hi = float(allv.min()), float(allv.max())
        if hi <= lo:
            lo, hi = lo - 0.5, hi + 0.5
    edges = np.linspace(lo, hi, int(bins) + 1)
    counts = tuple(np.histogram(v, bins=edges)[0] for v in vals)
    return Histograms(edges, counts, log, tuple(zeros))


def weight_histograms(network: Network, bins: int = 20) -> Histograms:
    """Each weight layer's weights (biases excluded), on shared bins."""
    return layer_histograms([W for W in network.weights], bins)


def last_gradients(network: Network) -> list[np.ndarray]:
    """Each weight layer's gradient of the last step (weights and bias, flat copies)."""
    return [g.ravel().copy() for g in network._grad_blocks]


def gradient_histograms(network: Network, bins: int = 20, log: bool = True) -> Histograms:
    """Each weight layer's last gradient, on shared bins; by default of ``log10 |g|`` (orders of magnitude,
    where vanishing gradients show)."""
    return layer_histograms(last_gradients(network), bins, log)


# ---------------------------------------------------------------------------------------------- neuron health


def neuron_health(network: Network, X, saturation: float = 0.01) -> list[dict[str, np.ndarray]]:
    """Per hidden layer: ``dead`` (bool per unit: a ReLU / leaky ReLU unit with ``net <= 0`` on every sample)
    and ``saturated`` (fraction of samples on which a sigmoid / tanh unit is within ``saturation`` of a limit,
    as :meth:`Trainer.statistics` counts per layer); zeros for other activations."""
    X = np.asarray(X, dtype=np.float64)
    acts = network.forward_all(X)[1:-1] if X.shape[0] else [np.zeros((0, h)) for h in network.hidden]
    out = []
    for a, name in zip(acts, network.activations, strict=True):
        h = a.shape[1]
        dead = np.zeros(h, dtype=bool)
        sat = np.zeros(h)
        if a.shape[0]:
            if name in ("relu", "leaky_relu"):
                dead = np.all(a <= 0.0, axis=0)
            elif name == "tanh":
                sat = np.mean(np.abs(a) > 1.0 - saturation, axis=0)
            elif name == "sigmoid":
                sat = np.mean((a < saturation) | (a > 1.0 - saturation), axis=0)
        out.append({"dead": dead, "saturated": sat})
    return out
