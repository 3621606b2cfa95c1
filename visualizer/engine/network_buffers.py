"""The network's scratch buffers for one batch size: the column-layout arrays and pre-zipped per-layer operands
that :meth:`Network._forward <visualizer.engine.network.Network._forward>` and ``_backward`` run on (see the
performance notes of :mod:`visualizer.engine.network`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .network import Network


class _Buffers:
    """Scratch arrays for one batch size ``n``, in column layout ``(units, n)``; allocated once, then reused.

    ``fwd`` and ``bwd`` are the per-layer operands of the hidden layers, pre-zipped into tuples so the hot loops
    only unpack them.
    """

    __slots__ = ("A", "D", "DT", "F_out", "F_src", "H", "O", "T", "X", "bwd", "factors", "fwd", "inv_n", "n")

    def __init__(self, net: Network, n: int):
        sizes = net.sizes
        hidden = sizes[1:-1]
        self.n = n
        self.inv_n = np.array(1.0 / n if n else 0.0)  # 0-d: cheaper as a ufunc operand than a Python float
        # X: augmented input (n_in + 1, n) whose last row stays 1, used when callers hand plain inputs.
        self.X = np.ones((sizes[0] + 1, n))
        # All activations in one block: every hidden layer's augmented activation A[i], (h_i + 1, n) with a
        # last row of ones, then the output O. H[i] = the first h_i rows of A[i]. Each is a contiguous slice,
        # so activations and derivatives run on contiguous memory — and when the hidden layers share one
        # activation, the derivative factors of all of them (and of the output, if it has the same
        # activation) come from one call over the whole block.
        offsets, off = [], 0
        for h in hidden:
            offsets.append(off)
            off += h + 1
        block = np.ones((off + sizes[-1], n))
        self.A = [block[o : o + h + 1] for o, h in zip(offsets, hidden, strict=True)]
        self.H = [a[:-1] for a in self.A]
        self.O = block[off:]
        self.D = [np.empty((s, n)) for s in sizes[1:]]
        self.DT = [d.T for d in self.D]  # transposed views, built once (a copy to contiguous memory costs more)
        self.T = [np.empty((s, n)) for s in sizes[1:]]
        # Derivative factors f'(z) in the same layout (block mode only, see Network._mode).
        self.F_src = self.factors = self.F_out = None
        F = [None] * len(hidden)
        if net._mode == "block":
            end = block.shape[0] if net._out_factor else off
            self.F_src = block[:end]
            self.factors = np.empty((end, n))
            F = [self.factors[o : o + h] for o, h in zip(offsets, hidden, strict=True)]
            if net._out_factor:
                self.F_out = self.factors[off:]
        # Forward, hidden layer i: (Wᵀ block, output H[i], augmented output A[i], activation).
        self.fwd = [(net._blocksT[i], self.H[i], self.A[i], net._act_fns[i]) for i in range(len(hidden))]
        # Backward, weight layer i = L … 1: (its gradient block, A[i - 1], Dᵀ[i], W[i], D[i], D[i - 1], then
        # what turns W[i]·D[i] into D[i - 1]: the factor F[i - 1] (block mode), nothing (linear), or the
        # derivative function of layer i - 1 with H[i - 1] and scratch T[i - 1] (mixed activations)).
        L = len(hidden)
        bwd = []
        for i in range(L, 0, -1):
            ops = (net._grad_blocks[i], self.A[i - 1], self.DT[i], net._blocks[i][:-1], self.D[i], self.D[i - 1])
            if net._mode == "block":
                ops += (F[i - 1],)
            elif net._mode == "mixed":
                ops += (net._deriv_fns[i - 1], self.H[i - 1], self.T[i - 1])
            bwd.append(ops)
        self.bwd = bwd
