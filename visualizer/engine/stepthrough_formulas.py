"""The step-through's formulas: plain text with a :class:`~.stepthrough.StepRecord`'s numbers substituted.

For a chosen neuron or synapse: :func:`forward_formula`, :func:`loss_formula`, :func:`delta_formula`,
:func:`gradient_formula`, :func:`update_formula`, :func:`tutorial_formula`, or :func:`formula` for any stage;
:data:`fmt` is their number format. Indexing as in :mod:`.stepthrough`.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from .activations import DERIVATIVE_FACTORS, LEAKY_SLOPE
from .losses import CANONICAL_PAIRS

if TYPE_CHECKING:
    from .stepthrough import StepRecord


__all__ = [
    "delta_formula",
    "fmt",
    "formula",
    "forward_formula",
    "gradient_formula",
    "loss_formula",
    "tutorial_formula",
    "update_formula",
]


def _f(x: float, digits: int = 4) -> str:
    """A number for a formula: ``digits`` significant digits, a real minus sign."""
    x = float(x)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "∞" if x > 0 else "−∞"
    if x == 0:
        return "0"
    text = f"{x:.{digits}g}"
    if "e" in text:
        mant, exp = text.split("e")
        text = f"{mant}·10^{int(exp)}"
    return text.replace("-", "−")


fmt = _f
"""Public name of the formulas' number format (4 significant digits, a real minus sign), for labels beside them."""


def _p(x: float) -> str:
    """A number as a factor: parenthesised when negative, ``(−0.3)``."""
    s = _f(x)
    return f"({s})" if s.startswith("−") else s


def _samples(rec: StepRecord, sample: int | None) -> list[int]:
    if sample is None:
        return list(range(rec.n))
    if not -rec.n <= sample < rec.n:
        raise IndexError(f"sample {sample} out of range 0..{rec.n - 1}")
    return [sample % rec.n]


def _tag(rec: StepRecord, s: int) -> str:
    return f"[sample {s + 1}, row {rec.indices[s]}] " if rec.n > 1 else ""


def _reduced_line(rec: StepRecord, name: str, values: list[float], result: float) -> str:
    terms = " + ".join(_p(v) for v in values)
    if rec.reduction == "mean":
        return f"{name} = (1/{rec.n})·Σ over the batch = ({terms}) / {rec.n} = {_f(result)}   (mean)"
    return f"{name} = Σ over the batch = {terms} = {_f(result)}   (sum)"


_ACT_TEXT = {
    "sigmoid": ("σ(net) = 1 / (1 + e^(−net))", lambda z: f"1 / (1 + e^(−{_p(z)}))"),
    "tanh": ("tanh(net)", lambda z: f"tanh({_f(z)})"),
    "relu": ("max(0, net)", lambda z: f"max(0, {_f(z)})"),
    "leaky_relu": (f"max({LEAKY_SLOPE}·net, net)", lambda z: f"max({LEAKY_SLOPE}·{_p(z)}, {_f(z)})"),
    "linear": ("net", lambda z: _f(z)),
}


def forward_formula(rec: StepRecord, layer: int, j: int, sample: int | None = 0) -> str:
    """``net = Σ wᵢ·xᵢ + b = … = z`` and ``out = f(net) = … = o`` for unit ``j`` of weight layer ``layer``'s
    outputs; ``sample=None`` gives every sample and the batch mean."""
    W, b = rec.weights_before[layer], rec.biases_before[layer]
    act = rec.activations[layer]
    lines = []
    for s in _samples(rec, sample):
        x = rec.out_of(layer)[s]
        z, o = rec.net[layer][s, j], rec.out[layer][s, j]
        terms = " + ".join(f"{_p(W[i, j])}·{_p(x[i])}" for i in range(W.shape[0]))
        bias = f" + {_p(b[j])}" if rec.bias else ""
        head = "net = Σ wᵢ·xᵢ + b" if rec.bias else "net = Σ wᵢ·xᵢ"
        lines.append(f"{_tag(rec, s)}{head} = {terms}{bias} = {_f(z)}")
        if act == "softmax":
            zs = rec.net[layer][s]
            den = " + ".join(f"e^{_p(v)}" for v in zs)
            lines.append(
                f"{_tag(rec, s)}out = softmax(net)_{j} = e^(net_{j}) / Σₖ e^(net_k) = e^{_p(z)} / ({den}) = {_f(o)}"
            )
        else:
            text, num = _ACT_TEXT[act]
            lines.append(f"{_tag(rec, s)}out = {text} = {num(z)} = {_f(o)}")
    if sample is None and rec.n > 1:
        lines.append(f"batch mean: net = {_f(rec.net[layer][:, j].mean())}, out = {_f(rec.out[layer][:, j].mean())}")
    return "\n".join(lines)


_LOSS_TEXT = {
    "squared": "L = ½ Σₖ (oₖ − tₖ)²",
    "binary_crossentropy": "L = −Σₖ [tₖ·ln oₖ + (1 − tₖ)·ln(1 − oₖ)]",
    "crossentropy": "L = −Σₖ tₖ·ln oₖ",
}


def loss_formula(rec: StepRecord, sample: int | None = None) -> str:
    """Target, output and loss term per sample, then their mean or sum (the reduction)."""
    lines = []
    for s in _samples(rec, sample):
        o, t = rec.out[-1][s], rec.target[s]
        if rec.loss == "squared":
            parts = " + ".join(f"({_f(ok)} − {_p(tk)})²" for ok, tk in zip(o, t, strict=True))
            num = f"½·({parts})"
        elif rec.loss == "binary_crossentropy":
            parts = " + ".join(
                f"[{_f(tk)}·ln {_f(ok)} + {_f(1 - tk)}·ln {_f(1 - ok)}]" for ok, tk in zip(o, t, strict=True)
            )
            num = f"−({parts})"
        else:
            parts = " + ".join(f"{_f(tk)}·ln {_f(ok)}" for ok, tk in zip(o, t, strict=True))
            num = f"−({parts})"
        tt = ", ".join(_f(v) for v in t)
        oo = ", ".join(_f(v) for v in o)
        lines.append(f"{_tag(rec, s)}target t = [{tt}], output o = [{oo}]")
        lines.append(f"{_tag(rec, s)}{_LOSS_TEXT[rec.loss]} = {num} = {_f(rec.loss_terms[s])}")
    if sample is None and rec.n > 1:
        lines.append(_reduced_line(rec, "L", list(rec.loss_terms), rec.data_loss))
    if rec.penalty:
        lines.append(f"+ penalty {_f(rec.penalty)} (l1·Σ|w| + l2·½·Σw²)")
    return "\n".join(lines)


def _factor(act: str, z: float, o: float) -> tuple[str, str, float]:
    """``f′(net)`` for a hidden or element-wise output activation: (symbol text, numbers, value), the value by
    the engine's own derivative factor."""
    fn = DERIVATIVE_FACTORS.get(act)
    if fn is None:
        val = 1.0
    else:
        a = np.array([[o]])
        out = np.empty_like(a)
        fn(a, out)
        val = float(out[0, 0])
    if act == "sigmoid":
        return "out·(1 − out)", f"{_f(o)}·(1 − {_f(o)})", val
    if act == "tanh":
        return "1 − out²", f"1 − {_p(o)}²", val
    if act == "relu":
        return "(1 if net > 0 else 0)", f"(net = {_f(z)})", val
    if act == "leaky_relu":
        return f"(1 if net > 0 else {LEAKY_SLOPE})", f"(net = {_f(z)})", val
    return "1", "1", val


def delta_formula(rec: StepRecord, layer: int, j: int, sample: int | None = 0) -> str:
    """The delta ``δ = ∂L/∂net`` of unit ``j`` of weight layer ``layer``'s outputs, with numbers: from the loss
    and output unit at the output layer, ``f′(net)·Σₖ wⱼₖ·δₖ`` in a hidden layer."""
    last = layer == rec.n_layers - 1
    act = rec.activations[layer]
    lines = []
    for s in _samples(rec, sample):
        tag = _tag(rec, s)
        z, o, d = rec.net[layer][s, j], rec.out[layer][s, j], rec.delta[layer][s, j]
        if last:
            t = rec.target[s, j]
            g = rec.dloss_dout[s, j]
            if (rec.output, rec.loss) in CANONICAL_PAIRS:
                name = "softmax + cross-entropy" if rec.output == "softmax" else "sigmoid + binary cross-entropy"
                lines.append(
                    f"{tag}δ = out − t   ({name}: the output's derivative cancels) = {_f(o)} − {_p(t)} = {_f(d)}"
                )
            elif rec.output == "softmax":
                gs = rec.dloss_dout[s]
                os_ = rec.out[layer][s]
                dot = " + ".join(f"{_p(gk)}·{_p(ok)}" for gk, ok in zip(gs, os_, strict=True))
                lines.append(f"{tag}∂L/∂out_{j} = {_f(g)}")
                lines.append(
                    f"{tag}δ = out_{j}·(∂L/∂out_{j} − Σₖ ∂L/∂outₖ·outₖ) = {_f(o)}·({_f(g)} − ({dot})) = {_f(d)}"
                )
            else:
                if rec.loss == "squared":
                    gtext, gnum = "(out − t)", f"({_f(o)} − {_p(t)})"
                elif rec.loss == "binary_crossentropy":
                    gtext, gnum = "(out − t) / (out·(1 − out))", f"({_f(o)} − {_p(t)}) / ({_f(o)}·(1 − {_f(o)}))"
                else:
                    gtext, gnum = "(−t / out)", f"(−{_p(t)} / {_f(o)})"
                ftext, fnum, _ = _factor(act, z, o)
                lines.append(f"{tag}δ = ∂L/∂out · f′(net) = {gtext}·{ftext} = {gnum}·{fnum} = {_f(d)}")
        else:
            W = rec.weights_before[layer + 1]
            nxt = rec.delta[layer + 1][s]
            total = " + ".join(f"{_p(W[j, k])}·{_p(nxt[k])}" for k in range(W.shape[1]))
            ftext, fnum, _ = _factor(act, z, o)
            lines.append(f"{tag}δ = f′(net)·Σₖ wⱼₖ·δₖ = {ftext}·({total}) = {fnum}·{_p(float(W[j] @ nxt))} = {_f(d)}")
    if sample is None and rec.n > 1:
        lines.append(
            _reduced_line(rec, "δ over the batch", list(rec.delta[layer][:, j]), rec.reduce(rec.delta[layer][:, j]))
        )
    return "\n".join(lines)


def gradient_formula(rec: StepRecord, layer: int, i: int | None, j: int, sample: int | None = None) -> str:
    """``∂L/∂w = δⱼ·outᵢ`` for the synapse ``i → j`` of weight layer ``layer`` (``i=None``: the bias,
    ``∂L/∂b = δⱼ``), per sample and reduced over the batch (the engine's value)."""
    lines, values = [], []
    for s in _samples(rec, sample):
        d = rec.delta[layer][s, j]
        if i is None:
            v = rec.grad_b_sample[layer][s, j]
            lines.append(f"{_tag(rec, s)}∂L/∂b = δⱼ = {_f(v)}")
        else:
            x = rec.out_of(layer)[s, i]
            v = rec.grad_w_sample[layer][s, i, j]
            lines.append(f"{_tag(rec, s)}∂L/∂w = δⱼ·outᵢ = {_p(d)}·{_p(x)} = {_f(v)}")
        values.append(v)
    engine = rec.grad_b[layer][j] if i is None else rec.grad_w[layer][i, j]
    if sample is None and rec.n > 1:
        lines.append(_reduced_line(rec, "∂L/∂b" if i is None else "∂L/∂w", values, engine))
    if i is not None and rec.l2:
        w = rec.weights_before[layer][i, j]
        lines.append(f"+ L2: l2·w = {_f(rec.l2)}·{_p(w)} → gradient used {_f(rec.applied_grad_w[layer][i, j])}")
    return "\n".join(lines)


def update_formula(rec: StepRecord, layer: int, i: int | None, j: int) -> str:
    """The optimizer's update of ``w[layer][i, j]`` (``i=None``: the bias) with numbers: old → new."""
    name = "b" if i is None else "w"
    old = rec.biases_before[layer][j] if i is None else rec.weights_before[layer][i, j]
    new = rec.biases_after[layer][j] if i is None else rec.weights_after[layer][i, j]
    g = rec.applied_grad_b[layer][j] if i is None else rec.applied_grad_w[layer][i, j]
    eta = rec.learning_rate
    lines = []
    if rec.diverged:
        lines.append("this step diverged: the engine keeps the old values and forgets the optimizer's state")
    if i is not None and rec.dead_before[layer][i, j]:
        lines.append(f"dead link (killed by L1): stays {name} = 0")
        return "\n".join(lines)
    g_text = "∂L/∂w" if i is None or not rec.l2 else "(∂L/∂w + l2·w)"
    if i is None:
        g_text = "∂L/∂b"
    l1 = i is not None and bool(rec.l1)
    if rec.optimizer == "sgd":
        step_end = old - eta * g
        result = _f(step_end if l1 else new)
        lines.append(f"{name} ← {name} − η·{g_text} = {_f(old)} − {_f(eta)}·{_p(g)} = {result}")
    elif rec.optimizer == "momentum":
        v0, v1 = rec.optimizer_state("velocity", layer, i, j)
        beta = rec.optimizer_before.get("beta", 0.9)
        lines.append(f"v ← β·v − η·{g_text} = {_f(beta)}·{_p(v0)} − {_f(eta)}·{_p(g)} = {_f(v1)}")
        step_end = old + v1
        lines.append(f"{name} ← {name} + v = {_f(old)} + {_p(v1)} = {_f(step_end if l1 else new)}")
    else:
        m0, m1 = rec.optimizer_state("m", layer, i, j)
        v0, v1 = rec.optimizer_state("v", layer, i, j)
        b1, b2, eps = rec.optimizer_before["beta1"], rec.optimizer_before["beta2"], rec.optimizer_before["eps"]
        t = rec.optimizer_after["t"]
        lines.append(f"m ← β₁·m + (1 − β₁)·g = {_f(b1)}·{_p(m0)} + {_f(1 - b1)}·{_p(g)} = {_f(m1)}")
        lines.append(f"v ← β₂·v + (1 − β₂)·g² = {_f(b2)}·{_p(v0)} + {_f(1 - b2)}·{_p(g)}² = {_f(v1)}")
        lr_t = eta * math.sqrt(1 - b2**t) / (1 - b1**t)
        step_end = old - lr_t * m1 / (math.sqrt(v1) + eps)
        lines.append(
            f"{name} ← {name} − η·√(1 − β₂ᵗ)/(1 − β₁ᵗ)·m/(√v + ε) = "
            f"{_f(old)} − {_f(lr_t)}·{_p(m1)}/(√{_f(v1)} + {_f(eps)}) = {_f(step_end if l1 else new)}   (t = {t})"
        )
    if l1:
        lines.append(
            f"L1 shrink: {name} ← {name} − η·l1·sign({name}_before) = "
            f"{_f(step_end)} − {_f(eta)}·{_f(rec.l1)}·{_p(np.sign(old))} = {_f(new)}"
            + ("  → crosses 0: the link dies (0)" if rec.dead_after[layer][i, j] else "")
        )
    lines.append(f"{name}: {_f(old, 6)} → {_f(new, 6)}")
    return "\n".join(lines)


def _tutorial_applies(rec: StepRecord, layer: int) -> bool:
    if rec.loss != "squared" or rec.output != "sigmoid":
        return False
    return all(a == "sigmoid" for a in rec.activations[layer:])


TUTORIAL_RELATION = (
    "Relation to the gradient form: Err_j = O_j(1 − O_j)(T_j − O_j) = −δ_j. The tutorial writes the error as "
    "target minus output, so it ADDS l·Err_j·O_i where gradient descent SUBTRACTS η·∂L/∂w = η·δ_j·O_i — the "
    "same step. The ½ in L = ½(T − O)² cancels the 2 from differentiating the square, so no factor 2 appears. "
    "Over a batch the tutorials add up every row's adjustment: that is the sum reduction; with the mean the "
    "step is n times smaller for the same l."
)


def tutorial_formula(rec: StepRecord, layer: int, j: int, i: int | None = None, sample: int | None = 0) -> str:
    """Tutorial 004's form for sigmoid units trained on the squared error: ``Err_j = O_j(1 − O_j)(T_j − O_j)``
    (output) or ``O_j(1 − O_j)·Σₖ Err_k·w_jk`` (hidden), and ``W_ij ← W_ij + l·Err_j·O_i`` — with numbers, and
    how it relates to the gradient form. Empty for other activations or losses."""
    if not _tutorial_applies(rec, layer):
        return ""
    last = layer == rec.n_layers - 1
    lines = []
    errs = []
    for s in _samples(rec, sample):
        tag = _tag(rec, s)
        o = rec.out[layer][s, j]
        err = -rec.delta[layer][s, j]
        errs.append(err)
        if last:
            t = rec.target[s, j]
            lines.append(
                f"{tag}Err_j = O_j(1 − O_j)(T_j − O_j) = {_f(o)}·(1 − {_f(o)})·({_f(t)} − {_f(o)}) = {_f(err)}"
            )
        else:
            W = rec.weights_before[layer + 1]
            nxt = -rec.delta[layer + 1][s]
            total = " + ".join(f"{_p(nxt[k])}·{_p(W[j, k])}" for k in range(W.shape[1]))
            lines.append(f"{tag}Err_j = O_j(1 − O_j)·Σₖ Err_k·w_jk = {_f(o)}·(1 − {_f(o)})·({total}) = {_f(err)}")
    lr = rec.learning_rate
    if i is not None:
        old = rec.weights_before[layer][i, j]
        xs = [rec.out_of(layer)[s, i] for s in _samples(rec, sample)]
        if len(xs) == 1:
            step = lr * errs[0] * xs[0]
            lines.append(
                f"W_ij ← W_ij + l·Err_j·O_i = {_f(old)} + {_f(lr)}·{_p(errs[0])}·{_p(xs[0])} = {_f(old + step)}"
            )
        else:
            terms = " + ".join(f"{_p(e)}·{_p(x)}" for e, x in zip(errs, xs, strict=True))
            total = sum(e * x for e, x in zip(errs, xs, strict=True))
            if rec.reduction == "mean":
                total /= len(xs)
                lines.append(
                    f"W_ij ← W_ij + l·(1/{len(xs)})·Σ Err_j·O_i = "
                    f"{_f(old)} + {_f(lr)}·({terms})/{len(xs)} = {_f(old + lr * total)}"
                )
            else:
                lines.append(f"W_ij ← W_ij + l·Σ Err_j·O_i = {_f(old)} + {_f(lr)}·({terms}) = {_f(old + lr * total)}")
    elif rec.bias:
        old = rec.biases_before[layer][j]
        total = sum(errs) / (len(errs) if rec.reduction == "mean" else 1)
        lines.append(f"b_j ← b_j + l·Err_j = {_f(old)} + {_f(lr)}·{_p(total)} = {_f(old + lr * total)}")
    lines.append(TUTORIAL_RELATION)
    return "\n".join(lines)


def formula(rec: StepRecord, stage: str, layer: int, j: int, i: int | None = None, sample: int | None = 0) -> str:
    """The formula text of a stage for a unit (``forward``, ``backward``: unit ``j`` of weight layer ``layer``'s
    outputs; ``loss``: the output), a synapse ``i → j`` (``gradient``, ``update``; ``i=None`` for the bias),
    or tutorial 004's form (``tutorial``). ``sample=None``: every sample of the batch and the reduction."""
    if stage == "forward":
        return forward_formula(rec, layer, j, sample)
    if stage == "loss":
        return loss_formula(rec, sample)
    if stage == "backward":
        return delta_formula(rec, layer, j, sample)
    if stage == "gradient":
        return gradient_formula(rec, layer, i, j, sample)
    if stage == "update":
        return update_formula(rec, layer, i, j)
    if stage == "tutorial":
        return tutorial_formula(rec, layer, j, i, sample)
    raise ValueError(f"unknown stage {stage!r}; choose forward, loss, backward, gradient, update or tutorial")
