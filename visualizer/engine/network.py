"""A fully connected feed-forward network in plain numpy, built for many tiny steps per second.

Layout
------
All parameters live in one flat float64 vector, ``Network.params``. Layer ``i`` (mapping ``sizes[i]`` units to
``sizes[i + 1]``) owns an *augmented* block of shape ``(n_in + 1, n_out)`` inside it: the first ``n_in`` rows are
the weights — exactly the drawn synapses, ``weights[i][j, k]`` joins unit ``j`` of layer ``i`` to unit ``k`` of
layer ``i + 1`` — and the last row is the biases. ``Network.weights`` and ``Network.biases`` are views into that
block, so editing them in place edits the network, and an optimizer can update every parameter with one ufunc call.

Performance notes
-----------------
A training step on Playground-sized networks (a few dozen units, batch 10) is dominated by per-call overhead, not
arithmetic. The forward and backward passes therefore run on buffers allocated once per batch size
(:mod:`.network_buffers`), every numpy call writes through ``out=``, inputs carry a constant row of ones so that
one ``np.dot`` computes ``x·W + b`` and one ``np.dot`` computes both weight and bias gradients, and transposed
views are built once. Activations are kept in *column layout*, ``(units, samples)``: a hidden layer's block above
its row of ones is then contiguous, which halves the cost of the element-wise activation and derivative calls
compared with strided row-layout views.

What is left is the fixed cost of each call, so the hot path avoids what makes a call dearer: scalar operands
are 0-d arrays of the right dtype (a Python float roughly doubles the cost of a small ufunc call), products go
through ``np.dot``'s implementation without its ``__array_function__`` dispatcher, and each layer's operands are
pre-zipped per batch size so the loops only unpack tuples. ``benchmarks/engine.py`` measures the result.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from .activations import ACTIVATIONS, DERIVATIVE_FACTORS, DERIVATIVES, HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS
from .losses import CANONICAL_PAIRS, LOSSES, NEEDS_PROBABILITIES, OUTPUT_GRADIENTS
from .network_buffers import _Buffers

_dot = getattr(np.dot, "_implementation", np.dot)
"""``np.dot`` without the ``__array_function__`` dispatch layer (NEP 18's ``_implementation``): the hot path only
passes plain float64 ndarrays, and the dispatcher costs about a third of a small product. Arguments are
positional: ``_dot(a, b, out)``."""

REDUCTIONS = ("mean", "sum")
"""How a mini-batch's gradient combines its samples: the mean (Playground, PyTorch's default) or the sum (the
tutorials: ``syn0 += X.T.dot(l1_delta)`` adds every row's adjustment)."""

INITS = ("playground", "uniform", "xavier", "he")
"""Weight initialisations: Playground's U(−0.5, 0.5) with biases 0.1; the tutorials' U(−1, 1); Glorot-uniform
(Xavier) and He-normal with zero biases."""


def _check_name(kind: str, value: str, valid: Sequence[str]) -> str:
    if not isinstance(value, str) or value not in valid:
        raise ValueError(f"unknown {kind} {value!r}; choose one of: {', '.join(valid)}")
    return value


def _rate(value) -> float:
    """A regularization rate as a float; anything else, or a negative rate, raises ValueError."""
    try:
        rate = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"regularization rates must be numbers >= 0, got {value!r}") from None
    if rate < 0:
        raise ValueError("regularization rates must be >= 0")
    return rate


class _LiveList(list):
    """A list of live parameter views: ``lst[i] = array`` copies into the view instead of rebinding it."""

    def __setitem__(self, index, value):  # type: ignore[override]
        if isinstance(index, slice):
            raise TypeError("assign parameter arrays one at a time")
        target = list.__getitem__(self, index)
        value = np.asarray(value, dtype=np.float64)
        if value.shape != target.shape:
            raise ValueError(f"shape {value.shape} does not match parameter shape {target.shape}")
        target[...] = value


class Network:
    """Fully connected network with per-layer activations, trained by :mod:`visualizer.engine.trainer`.

    Parameters
    ----------
    sizes : sequence of int
        Units per layer, inputs first, outputs last: ``[2, 4, 2, 1]`` is 2 inputs, hidden layers of 4 and 2, and
        one output. Zero hidden layers (``[2, 1]``) is a single-layer perceptron.
    activation : str or sequence of str
        Hidden activation, one of ``sigmoid, tanh, relu, leaky_relu, linear``; one name for all hidden layers or
        one per hidden layer.
    output : str
        Output activation: ``sigmoid`` or ``tanh`` (two classes), ``softmax`` (many classes), ``linear``
        (regression).
    loss : str
        ``squared`` (½·Σ(o − t)², averaged over samples), ``binary_crossentropy`` or ``crossentropy``.
    l1, l2 : float
        Regularization rates; the penalty ``l1·Σ|w| + l2·½·Σw²`` covers weights only, never biases. Training
        applies L1 with Playground's rule (a shrink that would cross zero kills the link, see :attr:`dead`).
    seed : int
        Seed of the initial weights; :meth:`initialize` with the same seed restores the same weights.
    init : str
        One of :data:`INITS`.
    bias : bool
        ``False`` builds a network without biases (iamtrask's 3-layer network): biases stay 0 and never train.

    Attributes
    ----------
    weights : list of ndarray, shapes ``(sizes[i], sizes[i + 1])``
        Live float64 views into :attr:`params`.
    biases : list of ndarray, shapes ``(sizes[i + 1],)``
        Live float64 views into :attr:`params`.
    params : ndarray, shape ``(n_params,)``
        Every parameter, flat.
    dead : tuple of bool ndarray, shapes ``(sizes[i], sizes[i + 1])``
        Links killed by L1 (Playground's rule, see :meth:`~visualizer.engine.trainer.Trainer`): their weight is
        exactly 0 and training never changes it again. Read-only live views; :meth:`initialize` (Reset), turning
        L1 off (``l1 = 0``) and :meth:`set_weight` revive links.
    n_dead : int
        How many links are dead.
    """

    def __init__(
        self,
        sizes: Sequence[int],
        activation: str | Sequence[str] = "tanh",
        output: str = "tanh",
        loss: str = "squared",
        l1: float = 0.0,
        l2: float = 0.0,
        seed: int = 0,
        init: str = "playground",
        bias: bool = True,
    ):
        try:
            sizes = tuple(sizes)
        except TypeError:
            raise ValueError(f"sizes must be a sequence of layer sizes such as [2, 4, 1], got {sizes!r}") from None
        if len(sizes) < 2:
            raise ValueError(f"a network needs at least an input and an output layer, got sizes {sizes}")
        for s in sizes:
            if isinstance(s, bool) or not isinstance(s, (int, np.integer)) or s < 1:
                raise ValueError(f"layer sizes must be positive integers, got {sizes}")
        self.sizes: tuple[int, ...] = tuple(int(s) for s in sizes)
        n_hidden = len(self.sizes) - 2
        if isinstance(activation, str):
            _check_name("activation", activation, HIDDEN_ACTIVATIONS)
            acts = (activation,) * n_hidden
        else:
            try:
                acts = tuple(activation)
            except TypeError:
                _check_name("activation", activation, HIDDEN_ACTIVATIONS)  # raises the usual ValueError
            if len(acts) != n_hidden:
                raise ValueError(f"got {len(acts)} activations for {n_hidden} hidden layers")
            for a in acts:
                _check_name("activation", a, HIDDEN_ACTIVATIONS)
        self.activations: tuple[str, ...] = acts
        self.output = _check_name("output activation", output, OUTPUT_ACTIVATIONS)
        self.loss = _check_name("loss", loss, tuple(LOSSES))
        if self.loss in NEEDS_PROBABILITIES and self.output not in ("sigmoid", "softmax"):
            raise ValueError(
                f"loss {loss!r} takes logarithms of the outputs, which needs a sigmoid or softmax output, "
                f"not {output!r}"
            )
        self._l1_mask: np.ndarray | None = None
        self._l2_mask: np.ndarray | None = None
        self.l1 = l1
        self.l2 = l2
        self.init = _check_name("initialization", init, INITS)
        self.seed = int(seed)
        self.bias = bool(bias)

        shapes = [(n_in + 1, n_out) for n_in, n_out in zip(self.sizes[:-1], self.sizes[1:], strict=True)]
        self.n_params = sum(a * b for a, b in shapes)
        self.params = np.zeros(self.n_params)
        self.grad = np.zeros(self.n_params)
        self._blocks = self._views(self.params, shapes)
        # Dead links (L1, Playground's rule): a flat mask over the parameters, True only ever at weights.
        self._dead = np.zeros(self.n_params, dtype=bool)
        self._dead_views = tuple(b[:-1] for b in self._views(self._dead, shapes))
        for view in self._dead_views:
            view.flags.writeable = False
        self.n_dead = 0
        self._grad_blocks = self._views(self.grad, shapes)
        self.weights: list[np.ndarray] = _LiveList(b[:-1] for b in self._blocks)
        self.biases: list[np.ndarray] = _LiveList(b[-1] for b in self._blocks)
        self._blocksT = [blk.T for blk in self._blocks]
        # 1 where a parameter is a weight, 0 where it is a bias (regularization and no-bias masks).
        self.weight_mask = np.zeros(self.n_params)
        for block in self._views(self.weight_mask, shapes):
            block[:-1] = 1.0
        self._act_fns = [ACTIVATIONS[a] for a in self.activations]
        self._deriv_fns = [DERIVATIVES[a] for a in self.activations]
        self._out_fn = ACTIVATIONS[self.output]
        self._out_deriv = DERIVATIVES[self.output]
        self._canonical = (self.output, self.loss) in CANONICAL_PAIRS
        # How backpropagation applies the hidden layers' derivatives: "block" — one activation for all hidden
        # layers, factors computed in one call; "linear" — all linear, factor 1; "mixed" — one call per layer.
        shared = self.activations[0] if len(set(self.activations)) == 1 else None
        self._factor_fn = DERIVATIVE_FACTORS[shared] if shared else None
        self._mode = "mixed" if shared is None else ("linear" if self._factor_fn is None else "block")
        # The output's factor comes from the same call when the output has the hidden layers' activation.
        self._out_factor = self._mode == "block" and not self._canonical and self.output == shared
        self._loss_grad = OUTPUT_GRADIENTS[self.loss]
        self._buffers: dict[int, _Buffers] = {}
        self.initialize(self.seed)

    # ------------------------------------------------------------------ regularization (may change between steps)
    @property
    def l1(self) -> float:
        """L1 regularization rate: the penalty adds ``l1·Σ|w|`` over the weights."""
        return self._l1

    @l1.setter
    def l1(self, value: float) -> None:
        self._l1 = _rate(value)
        self._l1_mask = None  # weight mask × rate, rebuilt on the next step that needs it
        if not self._l1 and getattr(self, "n_dead", 0):
            self.revive()  # links die of L1: without it they are free to train again (from 0)

    @property
    def l2(self) -> float:
        """L2 regularization rate: the penalty adds ``l2·½·Σw²`` over the weights."""
        return self._l2

    @l2.setter
    def l2(self, value: float) -> None:
        self._l2 = _rate(value)
        self._l2_mask = None

    # ------------------------------------------------------------------ structure
    @staticmethod
    def _views(flat: np.ndarray, shapes: list[tuple[int, int]]) -> list[np.ndarray]:
        views, offset = [], 0
        for a, b in shapes:
            views.append(flat[offset : offset + a * b].reshape(a, b))
            offset += a * b
        return views

    @property
    def n_layers(self) -> int:
        """Number of weight layers (hidden layers + 1)."""
        return len(self.sizes) - 1

    @property
    def n_inputs(self) -> int:
        return self.sizes[0]

    @property
    def n_outputs(self) -> int:
        return self.sizes[-1]

    @property
    def hidden(self) -> tuple[int, ...]:
        """Hidden layer sizes."""
        return self.sizes[1:-1]

    def layer_activation(self, i: int) -> str:
        """Activation of weight layer ``i``'s outputs (a hidden activation, or the output activation)."""
        return self.activations[i] if i < len(self.activations) else self.output

    def config(self) -> dict:
        """Constructor arguments, enough to rebuild this network (without its current weights)."""
        return {
            "sizes": list(self.sizes),
            "activation": list(self.activations),
            "output": self.output,
            "loss": self.loss,
            "l1": self.l1,
            "l2": self.l2,
            "seed": self.seed,
            "init": self.init,
            "bias": self.bias,
        }

    def copy(self) -> Network:
        """An independent network with the same configuration, parameters and dead links."""
        net = Network(**self.config())
        net.params[:] = self.params
        net._set_dead(self._dead)
        return net

    # Pickling and copy.copy/deepcopy: numpy does not keep views as views when it copies or pickles them, so
    # the default protocol would give a network whose weights, biases and hot-path blocks are separate arrays
    # — edits and training would silently stop reaching the forward pass. Rebuild from config + parameters.
    def __getstate__(self) -> dict:
        return {"config": self.config(), "params": self.params.copy(), "dead": self._dead.copy()}

    def __setstate__(self, state: dict) -> None:
        self.__init__(**state["config"])
        self.params[:] = state["params"]
        if state.get("dead") is not None:
            self._set_dead(state["dead"])

    # ------------------------------------------------------------------ dead links (L1)
    @property
    def dead(self) -> tuple[np.ndarray, ...]:
        """Per weight layer, which links L1 has killed: read-only live bool views, shapes ``(n_in, n_out)``."""
        return self._dead_views

    def _set_dead(self, flat) -> None:
        """Replace the flat dead mask (biases are never dead); dead weights are set to exactly 0."""
        mask = np.asarray(flat, dtype=bool)
        if mask.shape != self._dead.shape:
            raise ValueError(f"dead mask of shape {mask.shape} does not fit {self.n_params} parameters")
        np.logical_and(mask, self.weight_mask.astype(bool), out=self._dead)
        self.params[self._dead] = 0.0
        self.n_dead = int(np.count_nonzero(self._dead))

    def revive(self) -> None:
        """Bring every dead link back to life (their weights stay 0 until training or an edit moves them)."""
        self._dead[:] = False
        self.n_dead = 0

    def _index(self, layer: int, i: int | None, j: int) -> tuple[int, int | None, int]:
        if isinstance(layer, bool) or not 0 <= int(layer) < self.n_layers:
            raise IndexError(f"weight layer {layer} out of range 0..{self.n_layers - 1}")
        n_in, n_out = self.sizes[layer], self.sizes[layer + 1]
        if i is not None and not 0 <= int(i) < n_in:
            raise IndexError(f"unit {i} out of range 0..{n_in - 1} for weight layer {layer}")
        if not 0 <= int(j) < n_out:
            raise IndexError(f"unit {j} out of range 0..{n_out - 1} for weight layer {layer}")
        return int(layer), None if i is None else int(i), int(j)

    def set_weight(self, layer: int, i: int, j: int, value: float) -> None:
        """Set ``weights[layer][i, j]`` (a user's edit): a dead link comes back to life with that weight.

        Raises IndexError for indices outside the network, ValueError for a non-finite value.
        """
        layer, i, j = self._index(layer, i, j)
        value = float(value)
        if not math.isfinite(value):
            raise ValueError(f"a weight must be a finite number, got {value!r}")
        if self._dead_views[layer][i, j]:
            self._dead[self._flat_index(layer, i, j)] = False
            self.n_dead -= 1
        self.weights[layer][i, j] = value

    def set_bias(self, layer: int, j: int, value: float) -> None:
        """Set ``biases[layer][j]`` (a user's edit); a network built with ``bias=False`` keeps its biases at 0.

        Raises IndexError for indices outside the network, ValueError for a non-finite value.
        """
        layer, _, j = self._index(layer, None, j)
        value = float(value)
        if not math.isfinite(value):
            raise ValueError(f"a bias must be a finite number, got {value!r}")
        if self.bias:
            self.biases[layer][j] = value

    def _flat_index(self, layer: int, i: int, j: int) -> int:
        offset = sum((a + 1) * b for a, b in zip(self.sizes[:layer], self.sizes[1 : layer + 1], strict=True))
        return offset + i * self.sizes[layer + 1] + j

    # ------------------------------------------------------------------ initialisation
    def initialize(self, seed: int | None = None) -> None:
        """(Re)draw all parameters from ``seed`` (default: this network's seed), in place."""
        if seed is not None:
            self.seed = int(seed)
        rng = np.random.default_rng(self.seed)
        for W, b in zip(self.weights, self.biases, strict=True):
            n_in, n_out = W.shape
            if self.init == "playground":
                W[...] = rng.uniform(-0.5, 0.5, size=W.shape)
                b[...] = 0.1
            elif self.init == "uniform":
                W[...] = rng.uniform(-1.0, 1.0, size=W.shape)
                b[...] = rng.uniform(-1.0, 1.0, size=b.shape)
            elif self.init == "xavier":
                limit = np.sqrt(6.0 / (n_in + n_out))
                W[...] = rng.uniform(-limit, limit, size=W.shape)
                b[...] = 0.0
            else:  # he
                W[...] = rng.normal(0.0, np.sqrt(2.0 / n_in), size=W.shape)
                b[...] = 0.0
            if not self.bias:
                b[...] = 0.0
        self.revive()

    # ------------------------------------------------------------------ checks
    def _check_X(self, X) -> np.ndarray:
        X = np.asarray(X, dtype=np.float64)
        if X.ndim == 1 and self.n_inputs == X.shape[0]:
            X = X[None, :]
        if X.ndim != 2 or X.shape[1] != self.n_inputs:
            raise ValueError(f"inputs must have shape (n, {self.n_inputs}), got {X.shape}")
        return X

    def _check_Y(self, Y, n: int) -> np.ndarray:
        Y = np.asarray(Y, dtype=np.float64)
        if Y.ndim == 1 and self.n_outputs == 1 and Y.shape[0] == n:
            Y = Y[:, None]
        if Y.shape != (n, self.n_outputs):
            raise ValueError(f"targets must have shape ({n}, {self.n_outputs}), got {Y.shape}")
        return Y

    def buffers(self, n: int) -> _Buffers:
        """Scratch buffers for batches of ``n`` samples (created once, then reused)."""
        buf = self._buffers.get(n)
        if buf is None:
            if len(self._buffers) > 8:  # keep memory bounded when callers use many sizes
                self._buffers.clear()
            buf = self._buffers[n] = _Buffers(self, n)
        return buf

    def augment(self, X) -> np.ndarray:
        """Inputs in the layout training uses: shape ``(n_in + 1, n)``, one sample per column, last row ones."""
        X = self._check_X(X)
        Xa = np.ones((X.shape[1] + 1, X.shape[0]))
        Xa[:-1] = X.T
        return Xa

    # ------------------------------------------------------------------ hot path
    def _forward(self, XaT: np.ndarray, buf: _Buffers, record: list | None = None) -> np.ndarray:
        """Forward pass of augmented column-layout inputs ``XaT`` (n_in + 1, n); returns the output (n_out, n).

        ``record``: a list that receives a copy of every layer's weighted sums ``net`` (units, n) before the
        activation overwrites them (the step-through view, :mod:`visualizer.engine.stepthrough`).
        """
        dot = _dot
        prev = XaT
        for WT, h, a, act in buf.fwd:
            dot(WT, prev, h)
            if record is not None:
                record.append(h.copy())
            act(h, h)
            prev = a
        O = buf.O
        dot(self._blocksT[-1], prev, O)
        if record is not None:
            record.append(O.copy())
        self._out_fn(O, O)
        return O

    def _backward(self, XaT: np.ndarray, TT: np.ndarray, buf: _Buffers, mean: bool = True) -> None:
        """Backpropagate after :meth:`_forward`; writes the data-loss gradient into :attr:`grad`.

        ``TT`` holds the targets in column layout, shape (n_out, n). ``mean``: the gradient of the loss averaged
        over the batch (the output deltas are divided by ``n``); ``False``: of the loss summed over the batch
        (the tutorials' rule). Afterwards ``buf.D[i]`` holds the deltas ``∂L/∂net`` of weight layer ``i``'s
        outputs, per sample (columns), scaled by ``1/n`` when ``mean``.
        """
        dot = _dot
        mul = np.multiply
        mode = self._mode
        if mode == "block":
            self._factor_fn(buf.F_src, buf.factors)
        delta = buf.D[-1]
        O = buf.O
        if self._canonical:
            np.subtract(O, TT, delta)
        else:
            self._loss_grad(O, TT, delta)
            if buf.F_out is not None:
                mul(delta, buf.F_out, delta)
            else:
                self._out_deriv(O, delta, buf.T[-1])
        if mean:
            mul(delta, buf.inv_n, delta)
        if mode == "block":
            for gblock, a, dT, W, d, d_prev, f in buf.bwd:
                dot(a, dT, gblock)
                dot(W, d, d_prev)
                mul(d_prev, f, d_prev)
        elif mode == "linear":
            for gblock, a, dT, W, d, d_prev in buf.bwd:
                dot(a, dT, gblock)
                dot(W, d, d_prev)
        else:
            for gblock, a, dT, W, d, d_prev, deriv, h, tmp in buf.bwd:
                dot(a, dT, gblock)
                dot(W, d, d_prev)
                deriv(h, d_prev, tmp)
        dot(XaT, buf.DT[0], self._grad_blocks[0])
        if not self.bias:
            self.grad *= self.weight_mask

    def add_penalty_gradient(self, grad: np.ndarray, tmp: np.ndarray, l1: bool = True) -> None:
        """Add the L1/L2 penalty's (sub)gradient to a flat gradient (biases excluded); ``tmp`` is scratch.

        ``l1=False`` adds the L2 term only: training applies L1 with Playground's shrink-and-clip rule instead
        (see :class:`~visualizer.engine.trainer.Trainer`); the full subgradient is what :meth:`gradients` reports.
        """
        # The rates are folded into copies of the weight mask (0 for biases), so each term is one product.
        if self._l2:
            mask = self._l2_mask
            if mask is None:
                mask = self._l2_mask = self.weight_mask * self._l2
            np.multiply(self.params, mask, tmp)
            np.add(grad, tmp, grad)
        if self._l1 and l1:
            np.sign(self.params, tmp)
            np.multiply(tmp, self.l1_mask(), tmp)
            np.add(grad, tmp, grad)

    def l1_mask(self) -> np.ndarray:
        """The weight mask times the L1 rate (0 at biases), cached until the rate changes."""
        mask = self._l1_mask
        if mask is None:
            mask = self._l1_mask = self.weight_mask * self._l1
        return mask

    # ------------------------------------------------------------------ public API
    def forward(self, X) -> np.ndarray:
        """Outputs for inputs ``X``.

        Parameters
        ----------
        X : array_like, shape (n, n_in)

        Returns
        -------
        ndarray, shape (n, n_out)
            A new array.
        """
        X = self._check_X(X)
        buf = self.buffers(X.shape[0])
        buf.X[:-1] = X.T
        return self._forward(buf.X, buf).T.copy()

    __call__ = forward

    def forward_all(self, X) -> list[np.ndarray]:
        """Every layer's activation for inputs ``X``: ``[X, h_1, …, output]``, shapes ``(n, sizes[i])``, copies."""
        X = self._check_X(X)
        buf = self.buffers(X.shape[0])
        buf.X[:-1] = X.T
        out = self._forward(buf.X, buf)
        return [X.copy(), *(h.T.copy() for h in buf.H), out.T.copy()]

    def pre_activations(self, X) -> list[np.ndarray]:
        """Every non-input layer's weighted input ``z = a·W + b``, shapes ``(n, sizes[i + 1])``, copies."""
        acts = self.forward_all(X)
        return [a @ W + b for a, W, b in zip(acts[:-1], self.weights, self.biases, strict=True)]

    def data_loss(self, O: np.ndarray, Y: np.ndarray) -> float:
        """Mean loss of outputs ``O`` against targets ``Y`` (both (n, n_out)), without the penalty."""
        return LOSSES[self.loss](O, Y)

    def penalty(self) -> float:
        """``l1·Σ|w| + l2·½·Σw²`` over all weights (biases excluded)."""
        p = 0.0
        if self.l1:
            p += self.l1 * sum(float(np.abs(W).sum()) for W in self.weights)
        if self.l2:
            p += 0.5 * self.l2 * sum(float(np.einsum("ij,ij->", W, W)) for W in self.weights)
        return p

    def loss_value(self, X, Y) -> float:
        """Mean loss over the batch plus the regularization penalty."""
        X = self._check_X(X)
        Y = self._check_Y(Y, X.shape[0])
        return self.data_loss(self.forward(X), Y) + self.penalty()

    def gradients(self, X, Y, reduction: str = "mean") -> tuple[float, list[np.ndarray], list[np.ndarray]]:
        """Loss (+ penalty) over a batch and its exact gradients; the parameters are not changed.

        Parameters
        ----------
        X : array_like, shape (n, n_in)
        Y : array_like, shape (n, n_out)
            One-hot for softmax, ±1 for a tanh output, 0/1 for sigmoid, values for linear.
        reduction : {"mean", "sum"}
            The data loss averaged over the batch (Playground, PyTorch) or summed (the tutorials).

        Returns
        -------
        loss : float
        dW : list of ndarray, shapes (sizes[i], sizes[i + 1])
        db : list of ndarray, shapes (sizes[i + 1],)
            Zero for a network built with ``bias=False``.
        """
        X = self._check_X(X)
        Y = self._check_Y(Y, X.shape[0])
        mean = _check_name("batch reduction", reduction, REDUCTIONS) == "mean"
        if X.shape[0] == 0:
            raise ValueError("gradients need at least one sample")
        buf = self.buffers(X.shape[0])
        buf.X[:-1] = X.T
        out = self._forward(buf.X, buf)
        data = self.data_loss(out.T, Y)
        loss = (data if mean else data * X.shape[0]) + self.penalty()
        self._backward(buf.X, np.ascontiguousarray(Y.T), buf, mean)
        grad = self.grad.copy()
        self.add_penalty_gradient(grad, np.empty_like(grad))
        blocks = self._views(grad, [b.shape for b in self._blocks])
        return loss, [b[:-1].copy() for b in blocks], [b[-1].copy() for b in blocks]

    def __repr__(self) -> str:
        acts = ",".join(self.activations) or "-"
        return (
            f"Network(sizes={list(self.sizes)}, activation={acts}, output={self.output}, loss={self.loss}, "
            f"l1={self.l1}, l2={self.l2}, init={self.init}, seed={self.seed}, bias={self.bias})"
        )
