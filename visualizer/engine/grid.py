"""One vectorised pass over a grid of the input plane that yields every neuron's activation.

The decision-boundary heatmap and every neuron's thumbnail come from a single :meth:`GridEvaluator.evaluate`
call. It runs in float32 (drawing does not need float64), in column layout ``(units, R·R)`` so that each
neuron's map is one contiguous row that reshapes to ``(R, R)`` without copying.

Performance notes
-----------------
At R = 100 on Playground's largest network (six hidden layers of 8 tanh units) a pass is 7 small matrix products
and 7 vectorised ``tanh`` calls over 80 000 floats each: about 1 ms on one core. The input features of the grid
never change, so they are computed once per evaluator.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .activations import ACTIVATIONS
from .features import feature_matrix
from .network import Network


@dataclass(frozen=True, eq=False)
class GridResult:
    """Activations over the grid; row ``iy`` of every map is ``x2 = ys[iy]``, column ``ix`` is ``x1 = xs[ix]``.

    Attributes
    ----------
    inputs : ndarray, shape (n_in, R, R)
        Each input feature's value.
    layers : list of ndarray, shapes (sizes[i], R, R) for i = 1 … n_layers
        Each hidden layer's activations, then the output layer's.
    xs : ndarray, shape (R,)
        Grid coordinates along both axes.
    """

    inputs: np.ndarray
    layers: list[np.ndarray]
    xs: np.ndarray

    @property
    def output(self) -> np.ndarray:
        """The output layer's activations, shape (n_out, R, R)."""
        return self.layers[-1]


class GridEvaluator:
    """Evaluates networks over an ``R × R`` grid of a square input domain.

    Parameters
    ----------
    features : sequence of str
        Feature names (see :mod:`visualizer.engine.features`) that turn a point into network inputs.
    domain : (float, float)
        The square's lower and upper bound on both axes (Playground: −6 … 6).
    resolution : int
        ``R``, points per axis.
    normalization : (ndarray, ndarray) or None
        ``(offset, scale)`` applied to the features, as fitted on the training set.
    """

    def __init__(
        self,
        features: Sequence[str],
        domain: tuple[float, float] = (-6.0, 6.0),
        resolution: int = 100,
        normalization: tuple[np.ndarray, np.ndarray] | None = None,
    ):
        if resolution < 2:
            raise ValueError("grid resolution must be at least 2")
        self.features = tuple(features)
        self.domain = (float(domain[0]), float(domain[1]))
        self.resolution = int(resolution)
        R = self.resolution
        self.xs = np.linspace(self.domain[0], self.domain[1], R)
        gx, gy = np.meshgrid(self.xs, self.xs)  # gy varies along rows
        points = np.column_stack([gx.ravel(), gy.ravel()])
        F = feature_matrix(points, self.features)
        if normalization is not None:
            offset, scale = normalization
            F = (F - offset) / scale
        self._XaT = np.ones((F.shape[1] + 1, R * R), dtype=np.float32)
        self._XaT[:-1] = F.T
        inputs = self._XaT[:-1].reshape(F.shape[1], R, R)
        inputs.flags.writeable = False
        self.inputs = inputs

    def evaluate(self, net: Network) -> GridResult:
        """Run ``net`` over the grid in float32 and return fresh arrays (safe to hand to another thread)."""
        if net.n_inputs != self._XaT.shape[0] - 1:
            raise ValueError(f"network takes {net.n_inputs} inputs, grid has {self._XaT.shape[0] - 1} features")
        R2 = self._XaT.shape[1]
        R = self.resolution
        prev = self._XaT
        layers = []
        with np.errstate(all="ignore"):
            for i, block in enumerate(net._blocks):
                WT = np.ascontiguousarray(block.T, dtype=np.float32)  # (n_out, n_in + 1)
                n_out = WT.shape[0]
                last = i == net.n_layers - 1
                A = np.empty((n_out + (0 if last else 1), R2), dtype=np.float32)
                H = A if last else A[:-1]
                if not last:
                    A[-1] = 1.0
                np.dot(WT, prev, out=H)
                ACTIVATIONS[net.layer_activation(i)](H, H)
                layers.append(H.reshape(n_out, R, R))
                prev = A
        return GridResult(inputs=self.inputs, layers=layers, xs=self.xs)
