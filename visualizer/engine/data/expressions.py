"""A small, safe evaluator for data sets defined by a formula in ``x1`` and ``x2``.

``parse_expression("x2 > sin(2*x1)")`` turns text into an :class:`Expression` that is evaluated with numpy over
arrays of points; :func:`function_dataset` samples the plane with it. Nothing here calls ``eval``, ``exec``,
``compile`` or :mod:`ast`: a tokenizer and a recursive-descent parser accept only this grammar, and anything else
is an :class:`ExpressionError` that names the problem and the character where it is.
The tokenizer and parser are in :mod:`.expression_parser`; this module evaluates the tree and builds data sets.

Grammar (lowest precedence first)::

    expression := or ;  or := and ("or" and)* ;  and := not ("and" not)* ;  not := "not" not | comparison
    comparison := sum (("<" | "<=" | ">" | ">=" | "==" | "!=") sum)*        (chained: a < b < c)
    sum := term (("+" | "-") term)* ;  term := unary (("*" | "/") unary)*
    unary := ("-" | "+") unary | power ;  power := atom ("**" unary)?        (right-associative; -x**2 = -(x**2))
    atom := number | name | function "(" expression ("," expression)* ")" | "(" expression ")"

Names: ``x1``, ``x2`` (also ``x`` and ``y``), ``pi``, ``e``. Functions: ``abs sin cos tan tanh exp log sqrt sign``
(one argument) and ``min max`` (two or more). ``×``, ``÷`` and ``−`` are read as ``*``, ``/`` and ``-``; ``^`` is
refused with a hint to write ``**``. Comparisons and ``and``/``or``/``not`` give a *boolean* expression (a
classification: class 1 where it is true); everything else is *numeric* (a regression target). Mixing them
(``(x1 > 0) + 1``) is an error.

Bounded work: at most :data:`MAX_LENGTH` characters and :data:`MAX_DEPTH` levels of nesting; evaluation is float64
numpy under ``errstate(all="ignore")``, so ``9**9**9`` is ``inf`` at once, never a huge Python integer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .dataset import Dataset
from .expression_parser import (  # FUNCTIONS, MAX_DEPTH, NAMES, ExpressionError: re-exported (see __all__)
    _UNARY,
    _VARIADIC,
    FUNCTIONS,
    MAX_DEPTH,
    MAX_LENGTH,
    NAMES,
    ExpressionError,
    _Node,
    _Parser,
    _tokenize,
)

__all__ = [
    "FUNCTIONS",
    "MAX_DEPTH",
    "MAX_LENGTH",
    "MAX_TARGET",
    "NAMES",
    "Expression",
    "ExpressionError",
    "function_dataset",
    "parse_expression",
]

MAX_TARGET = 1e6
"""A regression target beyond this magnitude is refused (no network fits values of 1e300 on this scale)."""


_CMP = {
    "<": np.less,
    "<=": np.less_equal,
    ">": np.greater,
    ">=": np.greater_equal,
    "==": np.equal,
    "!=": np.not_equal,
}
_ARITH = {"+": np.add, "-": np.subtract, "*": np.multiply, "/": np.divide, "**": np.power}


def _eval(node: _Node, xs: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    op = node.op
    if op == "num":
        return np.full(xs[0].shape, node.value)
    if op == "var":
        return xs[int(node.value)]
    if op in _ARITH:
        return _ARITH[op](_eval(node.args[0], xs), _eval(node.args[1], xs))
    if op == "neg":
        return np.negative(_eval(node.args[0], xs))
    if op == "call":
        values = [_eval(a, xs) for a in node.args]
        if node.name in _UNARY:
            return _UNARY[node.name](values[0])
        result = values[0]
        for v in values[1:]:
            result = _VARIADIC[node.name](result, v)
        return result
    if op == "cmp":
        values = [_eval(a, xs) for a in node.args]
        result = np.ones(xs[0].shape, dtype=bool)
        for k, sym in enumerate(node.name.split(" ")):
            result &= _CMP[sym](values[k], values[k + 1])
        return result
    if op == "and":
        return _eval(node.args[0], xs) & _eval(node.args[1], xs)
    if op == "or":
        return _eval(node.args[0], xs) | _eval(node.args[1], xs)
    if op == "not":
        return ~_eval(node.args[0], xs)
    raise AssertionError(op)  # pragma: no cover


@dataclass(frozen=True, eq=False)
class Expression:
    """A parsed expression (see :func:`parse_expression`).

    Attributes
    ----------
    text : str
        The text as given.
    is_boolean : bool
        True when the top level is a comparison or ``and``/``or``/``not``: a classification (class 1 where true).
    """

    text: str
    is_boolean: bool
    _root: _Node

    @property
    def task(self) -> str:
        """``"classification"`` for a boolean expression, ``"regression"`` for a numeric one."""
        return "classification" if self.is_boolean else "regression"

    def evaluate(self, x1, x2) -> np.ndarray:
        """The expression at points ``(x1, x2)`` (arrays broadcast together), as float64.

        A boolean expression gives 1.0 where true and 0.0 where false. A numeric one may give NaN or ±inf where it
        is undefined or overflows (``log(-1)``, ``1/0``, ``exp(1000)``): no warning, no exception — the caller
        decides (:func:`function_dataset` drops such points).
        """
        a, b = np.broadcast_arrays(np.asarray(x1, dtype=np.float64), np.asarray(x2, dtype=np.float64))
        with np.errstate(all="ignore"):
            out = _eval(self._root, (a, b))
        return np.asarray(out, dtype=np.float64)

    def __repr__(self) -> str:
        return f"Expression({self.text!r}, is_boolean={self.is_boolean})"


def parse_expression(text: str) -> Expression:
    """Parse ``text`` (see the module's grammar) into an :class:`Expression`.

    Raises
    ------
    ExpressionError
        For anything that is not an expression of the grammar — the only exception this raises for any string:
        empty or over :data:`MAX_LENGTH` characters, unknown names (``__import__``, ``os``), attribute access, quotes,
        brackets, a missing or extra parenthesis or operator, nesting over :data:`MAX_DEPTH`, numbers too large
        for a float, a comparison where a number is needed or the other way round. The message says where.
    """
    if not isinstance(text, str):
        raise ExpressionError(f"the expression must be text, not {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"the expression is too long ({len(text)} characters; at most {MAX_LENGTH})")
    if not text.strip():
        raise ExpressionError("the expression is empty")
    root = _Parser(text, _tokenize(text)).parse()
    return Expression(text=text, is_boolean=root.boolean, _root=root)


def function_dataset(
    text: str | Expression,
    n_points: int = 500,
    noise: float = 0.0,
    seed: int = 0,
    train_fraction: float = 0.5,
    domain: tuple[float, float] = (-6.0, 6.0),
) -> Dataset:
    """Sample the square ``domain²`` uniformly and label each point with the expression.

    A boolean expression makes a two-class set (class 1, "true", where it holds; class 0 "false" elsewhere); a
    numeric one a regression set whose target is its value. Noise is added as TensorFlow Playground adds it to its
    regression sets: the label of point ``p`` is read at ``p + noise · u`` with ``u`` uniform in ``domain²``
    (so at noise 0.5 a label may come from up to half the plane's width away). Points where a numeric expression is
    undefined (NaN or ±inf, e.g. ``log(x1)`` for ``x1 <= 0``) are dropped and others sampled instead.

    Returns
    -------
    Dataset
        Named ``"function"``, ``n_points`` rows shuffled and split at ``floor(n * train_fraction)``, features
        ``("x1", "x2")``, ``domain`` as given.

    Raises
    ------
    ExpressionError
        A malformed expression; a boolean one that is true (or false) at every sampled point; a numeric one
        undefined on most of the plane, or with values beyond ±:data:`MAX_TARGET`.
    ValueError
        A bad ``n_points``, ``noise``, ``seed``, ``train_fraction`` or ``domain``.
    """
    expr = text if isinstance(text, Expression) else parse_expression(text)
    if isinstance(n_points, bool) or not isinstance(n_points, (int, np.integer)) or not 2 <= n_points <= 1_000_000:
        raise ValueError(f"n_points must be an integer from 2 to 1,000,000, got {n_points!r}")
    if not (isinstance(noise, (int, float)) and 0.0 <= float(noise) <= 0.5):
        raise ValueError(f"noise must be in [0, 0.5], got {noise!r}")
    if not (isinstance(train_fraction, (int, float)) and 0.0 < float(train_fraction) <= 1.0):
        raise ValueError(f"train_fraction must be in (0, 1], got {train_fraction!r}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, not {seed!r}")
    lo, hi = (float(v) for v in domain)
    if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
        raise ValueError(f"domain must be a finite (low, high) pair with low < high, got {domain!r}")
    n = int(n_points)
    n_train = math.floor(n * float(train_fraction))
    if n_train < 1:
        raise ValueError(f"train_fraction {train_fraction:g} leaves no training rows out of {n}")

    rng = np.random.default_rng(int(seed))
    points_parts, label_parts, have, drawn = [], [], 0, 0
    for _ in range(8):  # bounded: each round draws what is missing, at least n
        m = max(n - have, n)
        drawn += m
        P = lo + (hi - lo) * rng.random((m, 2))
        offset = (hi - lo) / 2.0 * (2.0 * rng.random((m, 2)) - 1.0) * float(noise)
        Q = P + offset
        values = expr.evaluate(Q[:, 0], Q[:, 1])
        keep = np.isfinite(values)
        points_parts.append(P[keep])
        label_parts.append(values[keep])
        have += int(keep.sum())
        if have >= n:
            break
    if have < n:
        raise ExpressionError(
            f"the expression is undefined (NaN or infinite) at {drawn - have:,} of {drawn:,} sampled points: "
            "most of the plane (log or sqrt of negative numbers, division by zero, overflow?)"
        )
    X = np.concatenate(points_parts)[:n]
    values = np.concatenate(label_parts)[:n]
    if expr.is_boolean:
        y = (values > 0.5).astype(np.int64)
        share = float(y.mean())
        if share in (0.0, 1.0):
            where = "true" if share == 1.0 else "false"
            raise ExpressionError(f"the expression is {where} everywhere on the plane: a classification needs both")
        task, n_classes, class_names = "classification", 2, ("false", "true")
    else:
        big = float(np.max(np.abs(values)))
        if big > MAX_TARGET:
            raise ExpressionError(f"the values reach {big:.3g}; keep the target within ±{MAX_TARGET:g}")
        y, task, n_classes, class_names = values, "regression", 0, ()
    order = rng.permutation(n)
    return Dataset(
        name="function",
        X=X[order],
        y=y[order],
        task=task,
        n_classes=n_classes,
        n_train=n_train,
        feature_names=("x1", "x2"),
        class_names=class_names,
        domain=(lo, hi),
    )
