"""Geometry of the network diagram: where every node, bias square and synapse sits for one structure at one size.

Everything is in *pixel units* of the widget (at "fit" one view unit is one screen pixel); nodes snap to an integer
texel grid so that the thumbnail atlas can be filled with precomputed flat indices. See
:mod:`visualizer.ui.network_view` for the drawing model.
"""

from __future__ import annotations

import math

import numpy as np
from PyQt6.QtCore import QRectF
from PyQt6.QtGui import QPainterPath

N_WIDTH_BINS = 6
"""Synapse width classes per sign; bin ``b`` holds ``b/6 ≤ |w|/max_abs < (b+1)/6``, the last also ``|w| ≥ max_abs``."""
BIN_WIDTHS = (0.6, 1.0, 1.8, 2.6, 3.6, 5.0)
"""Line width in pixels per bin (for nodes of 44 px and more; thinner for smaller nodes). Qt's raster engine
draws lines of at most 1 px about ten times faster than wider ones, so the two thinnest bins — most synapses
of a fresh network — stay at or below 1 px."""
BIN_ALPHAS = (0.30, 0.45, 0.60, 0.75, 0.88, 1.0)
"""Opacity per bin: thin synapses recede."""

MAX_NODE_PX = 56.0
MAX_THUMB_TEXELS = 28
MIN_ROW_PITCH_PX = 6.0
DENSE_SYNAPSES = 3000
"""Above this many synapses lines are drawn without antialiasing, into one cached image re-binned ≤ 4×/s."""
DENSE_REBIN_INTERVAL_S = 0.25
SYNAPSE_REBIN_INTERVAL_S = 0.03
"""Other networks re-bin and redraw their synapses at most every 30 ms while training (every other frame at 60
frames/s: the lines' image is ~0.9 ms of a 6 ms frame on Playground's largest network); paused, at once."""
DEFAULT_SIZE = (900.0, 600.0)


class _Layout:
    """Geometry of one structure at one widget size: everything per-frame updates need, precomputed.

    ``input_rows`` (optional) places the network's inputs among ``n_input_rows`` candidate rows of the input column
    (Playground shows every feature, the unused ones greyed): input ``k`` sits in row ``input_rows[k]``; the
    other rows are *ghost* nodes (``ghost_x``, ``ghost_y``, ``ghost_dest``, ``ghost_rows``) with no synapse. The
    node arrays (``node_x`` …) hold the network's own nodes only, in the engine's order.

    ``image_side`` (optional) draws inputs that are an image (``sizes[0] == image_side²``, e.g. the 8×8 digits) as
    one block of touching pixel cells instead of a column of 64 tiny nodes: the other columns get the height, and
    the synapses leave from the block's right edge, at the height of their pixel's row.
    """

    def __init__(
        self,
        sizes: tuple[int, ...],
        width: float,
        height: float,
        left: float,
        right: float,
        top: float,
        label_pitch: tuple[float, float] = (0.0, 0.0),
        input_rows: tuple[int, ...] | None = None,
        n_input_rows: int | None = None,
        bottom: float = 12.0,
        image_side: int | None = None,
    ):
        if input_rows is None:
            input_rows, n_input_rows = tuple(range(sizes[0])), sizes[0]
        assert len(input_rows) == sizes[0] and n_input_rows >= sizes[0]
        if image_side is not None and (image_side * image_side != sizes[0] or n_input_rows != sizes[0]):
            image_side = None
        self.image_side = image_side
        net_sizes = tuple(sizes)
        sizes = (n_input_rows, *sizes[1:])  # rows drawn per column
        n_cols = len(sizes)
        # an image block is image_side rows high (pixel cells touch) and image_side - 1 cells wider than a node
        max_n = max(image_side, *sizes[1:]) if image_side else max(sizes)
        extra = image_side - 1 if image_side else 0
        avail_w = max(width - left - right, 10.0)
        avail_h = max(height - top - bottom, 10.0)
        # node size: at most MAX_NODE_PX, ≤ 0.75 of the row pitch, ≤ 0.45 of the column pitch
        s = min(MAX_NODE_PX, 0.75 * avail_h / max_n, 0.45 * avail_w / (n_cols - 1 + 0.45 + 0.5 * extra))
        self.u = u = max(s / MAX_THUMB_TEXELS, 1.0)
        self.t = t = max(2, round(s / u))
        self.s = s = t * u
        # pitches in whole texels, so nodes sit on the atlas grid and never touch
        row_pitch = max(t + 1, math.floor(min(avail_h / max_n, 1.6 * s) / u))
        # the labelled columns (inputs, outputs) get at least a text line per row if there is room
        pitches = [row_pitch] * n_cols
        for c, need in ((0, label_pitch[0]), (n_cols - 1, label_pitch[1])):
            pitches[c] = max(row_pitch, min(math.floor(avail_h / sizes[c] / u), math.ceil(need / u)))
        col_pitch = max(2 * t, math.floor(min((avail_w - s - extra * s) / (n_cols - 1), max(4.5 * s, 150.0)) / u))
        net_w = ((n_cols - 1) * col_pitch + t + extra * t) * u
        net_h = (max_n * row_pitch - (row_pitch - t)) * u
        x_left = left + (avail_w - net_w) / 2
        y_top = top + (avail_h - net_h) / 2
        X0 = round(x_left / u)
        Ymid = round((y_top + net_h / 2) / u)
        self.col_pitch = col_pitch * u
        self.row_pitch = row_pitch * u
        self.col_row_pitch = np.array(pitches) * u
        self.header_y = (Ymid - (max_n * row_pitch - (row_pitch - t)) / 2) * u - 10.0
        self.width, self.height = width, height

        # nodes, in texels: column c, unit k
        self.starts = np.concatenate([[0], np.cumsum(net_sizes)]).astype(int)
        tx, ty, col = [], [], []
        for c, n in enumerate(sizes):
            if c == 0 and image_side:
                y0 = Ymid - image_side * t // 2
                k = np.arange(n)
                tx.append(X0 + (k % image_side) * t)
                ty.append(y0 + (k // image_side) * t)
                col.append(np.full(n, c))
                continue
            col_h = n * pitches[c] - (pitches[c] - t)
            y0 = Ymid - col_h // 2
            tx.append(np.full(n, X0 + c * col_pitch + (extra * t if c else 0)))
            ty.append(y0 + np.arange(n) * pitches[c])
            col.append(np.full(n, c))
        # the input column: the network's inputs in their rows, the other rows are ghosts
        rows = np.asarray(input_rows, dtype=int)
        self.ghost_rows = np.setdiff1d(np.arange(n_input_rows), rows)
        gx, gy = tx[0][self.ghost_rows], ty[0][self.ghost_rows]
        tx[0], ty[0], col[0] = tx[0][rows], ty[0][rows], col[0][rows]
        self.input_rows = rows
        tx = np.concatenate(tx)
        ty = np.concatenate(ty)
        self.col_of = np.concatenate(col)
        self.col_x = (X0 + np.arange(n_cols) * col_pitch + np.where(np.arange(n_cols) > 0, extra * t, 0)) * u
        # bias squares (every non-input node): bt texels, half over the node's lower-left corner
        bt = self.bt = max(2, round(0.26 * t))
        half = bt // 2
        first = net_sizes[0]
        bx = tx[first:] - bt + half
        by = ty[first:] + t - half
        # atlas covers nodes and biases
        ax, ay = np.concatenate([tx, gx]), np.concatenate([ty, gy])
        ox = int(min(ax.min(), bx.min()))
        oy = int(min(ay.min(), by.min()))
        aw = int(max(ax.max() + t, (bx + bt).max()) - ox)
        ah = int(max(ay.max() + t, (by + bt).max()) - oy)
        self.atlas_shape = (ah, aw)
        self.atlas_rect = QRectF(ox * u, oy * u, aw * u, ah * u)
        r = np.arange(t)
        rows = (ty - oy)[:, None, None] + r[None, :, None]
        cols = (tx - ox)[:, None, None] + r[None, None, :]
        self.node_dest = (rows * aw + cols).reshape(len(tx), t * t).astype(np.intp)
        grows = (gy - oy)[:, None, None] + r[None, :, None]
        gcols = (gx - ox)[:, None, None] + r[None, None, :]
        self.ghost_dest = (grows * aw + gcols).reshape(len(gx), t * t).astype(np.intp)
        self.ghost_x, self.ghost_y = gx * u, gy * u
        rb = np.arange(bt)
        brows = (by - oy)[:, None, None] + rb[None, :, None]
        bcols = (bx - ox)[:, None, None] + rb[None, None, :]
        self.bias_dest = (brows * aw + bcols).reshape(len(bx), bt * bt).astype(np.intp)
        # scene coordinates
        self.node_x = tx * u
        self.node_y = ty * u
        self.bias_x = bx * u
        self.bias_y = by * u
        self.bias_s = bt * u

        # synapses: weight layer l, W[j, k] (row-major), from source's right edge to target's left edge
        xs0, ys0, xs1, ys1 = [], [], [], []
        syn_starts = [0]
        for lay in range(n_cols - 1):
            a, b = self.starts[lay], self.starts[lay + 1]
            c2 = self.starts[lay + 2]
            n_in, n_out = b - a, c2 - b
            if lay == 0 and image_side:  # from the image block's right edge
                xs0.append(np.full(n_in * n_out, self.node_x[a] + image_side * s))
            else:
                xs0.append(np.full(n_in * n_out, self.node_x[a] + s))
            ys0.append(np.repeat(self.node_y[a:b] + s / 2, n_out))
            xs1.append(np.full(n_in * n_out, self.node_x[b]))
            ys1.append(np.tile(self.node_y[b:c2] + s / 2, n_in))
            syn_starts.append(syn_starts[-1] + n_in * n_out)
        self.syn_starts = np.array(syn_starts)
        self.sx0 = np.concatenate(xs0)
        self.sy0 = np.concatenate(ys0)
        self.sx1 = np.concatenate(xs1)
        self.sy1 = np.concatenate(ys1)
        self.pair_x = np.column_stack([self.sx0, self.sx1])
        self.pair_y = np.column_stack([self.sy0, self.sy1])

    @property
    def n_nodes(self) -> int:
        return len(self.node_x)

    def outline_path(self) -> QPainterPath:
        """Outlines of nodes and bias squares (none for tiny nodes, where a frame would hide the map)."""
        path = QPainterPath()
        s, bs = self.s, self.bias_s
        if s < 10:
            return path
        first = 0
        if self.image_side:  # one frame around the image block, not one per pixel
            n = self.image_side * self.image_side
            path.addRect(QRectF(float(self.node_x[:n].min()), float(self.node_y[:n].min()), self.image_side * s,
                                self.image_side * s))
            first = n
        xs = [*self.node_x[first:].tolist(), *self.ghost_x.tolist()]
        ys = [*self.node_y[first:].tolist(), *self.ghost_y.tolist()]
        for x, y in zip(xs, ys, strict=True):
            path.addRect(QRectF(x, y, s, s))
        for x, y in zip(self.bias_x.tolist(), self.bias_y.tolist(), strict=True):
            path.addRect(QRectF(x, y, bs, bs))
        return path
