"""Step-through of one training step with the engine's own numbers: forward, loss, backward, update.

:func:`record_step` runs one step of a :class:`~visualizer.engine.trainer.Trainer` on chosen training rows (one
sample or a mini-batch) on a *shadow* of the trainer — copies of the network and the optimizer's state, the same
data — and returns an immutable :class:`StepRecord` of every stage. Nothing is re-implemented: the forward pass is
``Network._forward`` (with its recording hook, which keeps each layer's weighted sums before the activation
overwrites them), the deltas are what ``Network._backward`` leaves in its buffers, the reduced gradient is the one
training computes, and the new weights and optimizer state are the result of ``Trainer._step`` itself. So
:func:`apply_step` — which takes that same step on the live trainer — leaves the network exactly (bit for bit)
where the record says, optimizer state included.

Deltas are reported *per sample*: ``δ = ∂L_s/∂net`` of each sample's own loss term ``L_s`` (the backward pass run
with the sum reduction, where nothing is scaled). The reduced gradient is the engine's: with the mean reduction it
is ``(1/n)·Σ_s δ_s·out_s``, with the sum ``Σ_s δ_s·out_s``.

The formula functions (:func:`forward_formula`, :func:`loss_formula`, :func:`delta_formula`,
:func:`gradient_formula`, :func:`update_formula`, :func:`tutorial_formula`, or :func:`formula` for any stage)
return plain text with the record's numbers substituted, for a chosen neuron or synapse; they live in
:mod:`.stepthrough_formulas` and are re-exported here.

Indexing: *weight layer* ``l`` joins units of layer ``l`` (``sizes[l]`` units; layer 0 is the input) to units
of layer ``l + 1``; ``rec.net[l]``, ``rec.out[l]`` and ``rec.delta[l]`` belong to the units of layer ``l + 1``,
``rec.out_of(l)`` to those of layer ``l`` (the inputs for ``l = 0``). Rows are samples.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from .losses import LOSSES, OUTPUT_GRADIENTS
from .stepthrough_formulas import (  # re-exported: the formulas are part of the step-through's API
    _f,  # noqa: F401  (visualizer/ui/formula_panel.py uses stepthrough._f)
    delta_formula,
    fmt,
    formula,
    forward_formula,
    gradient_formula,
    loss_formula,
    tutorial_formula,
    update_formula,
)
from .trainer import Trainer

__all__ = [
    "STAGES",
    "StepRecord",
    "apply_step",
    "delta_formula",
    "fmt",
    "formula",
    "forward_formula",
    "gradient_formula",
    "loss_formula",
    "record_step",
    "tutorial_formula",
    "update_formula",
]

STAGES = ("forward", "loss", "backward", "update")
"""The stages in the order the step-through walks them."""


def _frozen(a) -> np.ndarray:
    a = np.array(a, dtype=np.float64 if np.asarray(a).dtype != bool else bool, copy=True)
    a.flags.writeable = False
    return a


def _frozen_state(state: dict) -> dict:
    return {k: (_frozen(v) if isinstance(v, np.ndarray) else v) for k, v in state.items()}


@dataclass(frozen=True, eq=False)
class StepRecord:
    """Every number of one training step; arrays are read-only copies, rows are samples.

    Attributes
    ----------
    indices : tuple of int
        The training rows, in the order the step used them.
    reduction : {"mean", "sum"}
    sizes, activations, output, loss, bias
        The network's shape; ``activations[l]`` is weight layer ``l``'s activation (the output's for the last).
    inputs : (n, n_in)
    net, out : tuple of (n, sizes[l + 1])
        Weighted sums ``net = Σ wᵢ·xᵢ + b`` and activations per weight layer (the last is the network's output).
    target : (n, n_out)
        Encoded targets (0/1 for sigmoid, ±1 for tanh/linear two-class, one-hot for softmax).
    loss_terms : (n,)
        Each sample's own data loss ``L_s``.
    data_loss : float
        The reduced data loss: mean or sum of ``loss_terms``.
    penalty : float
        ``l1·Σ|w| + l2·½·Σw²`` before the step.
    dloss_dout : (n, n_out)
        ``∂L_s/∂out`` of the output units, per sample.
    delta : tuple of (n, sizes[l + 1])
        ``δ = ∂L_s/∂net`` per unit and sample (see the module docstring).
    grad_w_sample, grad_b_sample : tuples of (n, n_in, n_out) and (n, n_out)
        ``∂L_s/∂w = δ_j·out_i`` and ``∂L_s/∂b = δ_j`` per sample.
    grad_w, grad_b : tuples of (n_in, n_out) and (n_out,)
        The engine's reduced data gradient (mean or sum over the samples), bit for bit as training has it.
    applied_grad_w, applied_grad_b
        What the optimizer received: the data gradient plus L2's ``l2·w``; 0 for dead links.
    weights_before, biases_before, weights_after, biases_after, dead_before, dead_after
    optimizer, learning_rate, l1, l2
    optimizer_before, optimizer_after : dict
        The optimizer's ``state_dict()`` before and after (flat arrays: ``velocity``; ``m``, ``v``, ``t``).
    diverged : bool
        The step diverged: the engine kept the old weights and reset the optimizer's state.
    """

    indices: tuple[int, ...]
    reduction: str
    sizes: tuple[int, ...]
    activations: tuple[str, ...]
    output: str
    loss: str
    bias: bool
    inputs: np.ndarray
    net: tuple[np.ndarray, ...]
    out: tuple[np.ndarray, ...]
    target: np.ndarray
    loss_terms: np.ndarray
    data_loss: float
    penalty: float
    dloss_dout: np.ndarray
    delta: tuple[np.ndarray, ...]
    grad_w_sample: tuple[np.ndarray, ...]
    grad_b_sample: tuple[np.ndarray, ...]
    grad_w: tuple[np.ndarray, ...]
    grad_b: tuple[np.ndarray, ...]
    applied_grad_w: tuple[np.ndarray, ...]
    applied_grad_b: tuple[np.ndarray, ...]
    weights_before: tuple[np.ndarray, ...]
    biases_before: tuple[np.ndarray, ...]
    weights_after: tuple[np.ndarray, ...]
    biases_after: tuple[np.ndarray, ...]
    dead_before: tuple[np.ndarray, ...]
    dead_after: tuple[np.ndarray, ...]
    optimizer: str
    learning_rate: float
    l1: float
    l2: float
    optimizer_before: dict
    optimizer_after: dict
    diverged: bool
    params_before: np.ndarray
    params_after: np.ndarray

    # ------------------------------------------------------------------ conveniences
    @property
    def n(self) -> int:
        """Samples in the batch."""
        return len(self.indices)

    @property
    def n_layers(self) -> int:
        return len(self.sizes) - 1

    @property
    def output_values(self) -> np.ndarray:
        """The network's outputs, (n, n_out)."""
        return self.out[-1]

    def out_of(self, layer: int) -> np.ndarray:
        """Activations of the units of layer ``layer`` (0 = inputs), (n, sizes[layer])."""
        return self.inputs if layer == 0 else self.out[layer - 1]

    def net_mean(self, layer: int) -> np.ndarray:
        """Weighted sums of weight layer ``layer``'s outputs averaged over the batch, (units,)."""
        return self.net[layer].mean(axis=0)

    def out_mean(self, layer: int) -> np.ndarray:
        """Activations of weight layer ``layer``'s outputs averaged over the batch, (units,)."""
        return self.out[layer].mean(axis=0)

    def reduce(self, per_sample: np.ndarray) -> np.ndarray:
        """Mean or sum over the samples (axis 0), per the record's reduction (display values)."""
        return per_sample.mean(axis=0) if self.reduction == "mean" else per_sample.sum(axis=0)

    def flat_index(self, layer: int, i: int | None, j: int) -> int:
        """Index into the flat parameter vector (and the optimizer's state) of ``w[layer][i, j]`` or, with
        ``i=None``, of ``b[layer][j]``."""
        offset = sum((a + 1) * b for a, b in zip(self.sizes[:layer], self.sizes[1 : layer + 1], strict=True))
        row = self.sizes[layer] if i is None else i
        return offset + row * self.sizes[layer + 1] + j

    def optimizer_state(self, key: str, layer: int, i: int | None, j: int) -> tuple[float, float]:
        """``(before, after)`` of an optimizer state entry (``velocity``, ``m`` or ``v``) for one parameter."""
        k = self.flat_index(layer, i, j)
        return float(self.optimizer_before[key][k]), float(self.optimizer_after[key][k])


def _split(flat: np.ndarray, sizes: tuple[int, ...]) -> tuple[tuple[np.ndarray, ...], tuple[np.ndarray, ...]]:
    ws, bs, off = [], [], 0
    for a, b in itertools.pairwise(sizes):
        block = flat[off : off + (a + 1) * b].reshape(a + 1, b)
        ws.append(_frozen(block[:-1]))
        bs.append(_frozen(block[-1]))
        off += (a + 1) * b
    return tuple(ws), tuple(bs)


def record_step(trainer: Trainer, indices) -> StepRecord:
    """Run one training step on training rows ``indices`` on a shadow of ``trainer`` and record every stage.

    The trainer, its network and its optimizer are not changed. Raises IndexError / ValueError for rows outside
    the training set or an empty selection.
    """
    shadow = trainer._shadow()
    net = shadow.net
    XbT, TbT = shadow.rows(indices)
    idx = tuple(int(i) % trainer.n_train for i in np.asarray(indices, dtype=np.int64).reshape(-1))
    n = XbT.shape[1]
    sizes = net.sizes
    params_before = net.params.copy()
    dead_before = net._dead.copy()
    opt_before = _frozen_state(shadow.optimizer.state_dict())
    penalty = net.penalty()
    buf = net.buffers(n)
    with np.errstate(all="ignore"):
        # Forward: the engine's pass, recording the weighted sums before each activation.
        zs: list[np.ndarray] = []
        net._forward(XbT, buf, zs)
        outs = [h.T.copy() for h in buf.H] + [buf.O.T.copy()]
        nets = [z.T.copy() for z in zs]
        O, T = outs[-1], TbT.T.copy()
        # Loss: each sample's own term, with the engine's loss function.
        loss_fn = LOSSES[net.loss]
        terms = np.array([loss_fn(O[s : s + 1], T[s : s + 1]) for s in range(n)])
        data_loss = float(loss_fn(O, T)) if shadow._mean else float(terms.sum())
        g = np.empty_like(O)
        OUTPUT_GRADIENTS[net.loss](O, T, g)
        # Backward with nothing scaled: the per-sample deltas δ = ∂L_s/∂net the engine propagates.
        net._backward(XbT, TbT, buf, False)
        deltas = [d.T.copy() for d in buf.D]
        # The step itself, by the trainer's own code: its data gradient, then the update.
        net._backward(XbT, TbT, buf, shadow._mean)
        data_grad = net.grad.copy()
        ok = shadow._step(XbT, TbT)
    applied = net.grad.copy()
    gw_s, gb_s = [], []
    for layer in range(len(sizes) - 1):
        prev = XbT[:-1].T if layer == 0 else outs[layer - 1]
        d = deltas[layer]
        gw_s.append(_frozen(prev[:, :, None] * d[:, None, :]))
        gb_s.append(_frozen(d if net.bias else np.zeros_like(d)))
    grad_w, grad_b = _split(data_grad, sizes)
    app_w, app_b = _split(applied, sizes)
    w0, b0 = _split(params_before, sizes)
    w1, b1 = _split(net.params, sizes)
    dead0, _ = _split(dead_before.astype(np.float64), sizes)
    dead1, _ = _split(net._dead.astype(np.float64), sizes)
    return StepRecord(
        indices=idx,
        reduction=shadow.batch_reduction,
        sizes=tuple(sizes),
        activations=tuple(net.layer_activation(layer) for layer in range(len(sizes) - 1)),
        output=net.output,
        loss=net.loss,
        bias=net.bias,
        inputs=_frozen(XbT[:-1].T),
        net=tuple(_frozen(z) for z in nets),
        out=tuple(_frozen(o) for o in outs),
        target=_frozen(T),
        loss_terms=_frozen(terms),
        data_loss=data_loss,
        penalty=float(penalty),
        dloss_dout=_frozen(g),
        delta=tuple(_frozen(d) for d in deltas),
        grad_w_sample=tuple(gw_s),
        grad_b_sample=tuple(gb_s),
        grad_w=grad_w,
        grad_b=grad_b,
        applied_grad_w=app_w,
        applied_grad_b=app_b,
        weights_before=w0,
        biases_before=b0,
        weights_after=w1,
        biases_after=b1,
        dead_before=tuple(_frozen(d.astype(bool)) for d in dead0),
        dead_after=tuple(_frozen(d.astype(bool)) for d in dead1),
        optimizer=shadow.optimizer.name,
        learning_rate=shadow.learning_rate,
        l1=net.l1,
        l2=net.l2,
        optimizer_before=opt_before,
        optimizer_after=_frozen_state(shadow.optimizer.state_dict()),
        diverged=not ok,
        params_before=_frozen(params_before),
        params_after=_frozen(net.params),
    )


def apply_step(trainer: Trainer, record: StepRecord) -> bool:
    """Take the recorded step on the live trainer: :meth:`Trainer.step_on` on the record's rows.

    The result equals ``record.params_after`` and ``record.optimizer_after`` bit for bit. Raises ValueError if
    the trainer's parameters or reduction are no longer those the record was made from (record again).
    Returns False if the step diverged.
    """
    if not np.array_equal(trainer.net.params, record.params_before) or trainer.batch_reduction != record.reduction:
        raise ValueError("the network changed since this step was recorded; record it again")
    return trainer.step_on(record.indices)
