"""A small, safe evaluator for data sets defined by a formula in ``x1`` and ``x2``.

``parse_expression("x2 > sin(2*x1)")`` turns text into an :class:`Expression` that is evaluated with numpy over
arrays of points; :func:`function_dataset` samples the plane with it. Nothing here calls ``eval``, ``exec``,
``compile`` or :mod:`ast`: a tokenizer and a recursive-descent parser accept only this grammar, and anything else
is an :class:`ExpressionError` that names the problem and the character where it is.

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
import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .dataset import Dataset

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

MAX_LENGTH = 200
"""Longest expression accepted, in characters."""

MAX_DEPTH = 40
"""Deepest nesting accepted (parentheses, unary signs, powers and function calls each count one level)."""

MAX_TARGET = 1e6
"""A regression target beyond this magnitude is refused (no network fits values of 1e300 on this scale)."""

_UNARY: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "abs": np.abs,
    "sin": np.sin,
    "cos": np.cos,
    "tan": np.tan,
    "tanh": np.tanh,
    "exp": np.exp,
    "log": np.log,
    "sqrt": np.sqrt,
    "sign": np.sign,
}
_VARIADIC: dict[str, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {"min": np.minimum, "max": np.maximum}
FUNCTIONS: tuple[str, ...] = (*_UNARY, *_VARIADIC)
"""Every function name the evaluator knows."""

_CONSTANTS = {"pi": math.pi, "e": math.e}
_VARIABLES = {"x1": 0, "x2": 1, "x": 0, "y": 1}
NAMES: tuple[str, ...] = ("x1", "x2", "x", "y", "pi", "e")
"""Every variable and constant name the evaluator knows (``x`` is ``x1``, ``y`` is ``x2``)."""

_KEYWORDS = frozenset({"and", "or", "not"})
_COMPARISONS = ("<=", ">=", "==", "!=", "<", ">")
_ALIASES = {"×": "*", "÷": "/", "−": "-", "≤": "<=", "≥": ">=", "≠": "!="}
_TOKEN = re.compile(
    r"\s*(?:(?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)|(?P<name>[A-Za-z_][A-Za-z_0-9]*)"
    r"|(?P<op>\*\*|<=|>=|==|!=|[-+*/<>(),×÷−≤≥≠]))"
)


class ExpressionError(ValueError):
    """An expression that cannot be used: ``str(err)`` says what is wrong and, when it has one, where.

    Attributes
    ----------
    reason : str
        What is wrong, e.g. ``"unknown name 'foo'"``.
    position : int or None
        0-based index of the offending character in the text, or None (e.g. an empty expression).
    """

    def __init__(self, reason: str, position: int | None = None) -> None:
        self.reason = reason
        self.position = position
        super().__init__(reason if position is None else f"at character {position + 1}: {reason}")


# ----------------------------------------------------------------------------------------------------------
# Tokens
# ----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Token:
    kind: str  # "number", "name", "op", "end"
    text: str
    pos: int


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos, n = 0, len(text)
    while pos < n:
        if text[pos].isspace():
            pos += 1
            continue
        match = _TOKEN.match(text, pos)
        start = pos
        if match is None or match.end() == pos:
            ch = text[pos]
            if ch == "^":
                raise ExpressionError("'^' is not a power here: write x1**2 for x1 squared", pos)
            if ch == "=":
                raise ExpressionError("a single '=' is not a comparison: write '==' (or <, <=, >, >=, !=)", pos)
            if ch in "[]{}":
                raise ExpressionError(f"{ch!r} is not allowed: use round parentheses", pos)
            if ch == ".":
                raise ExpressionError("attribute access ('.') is not allowed", pos)
            if ch in "'\"":
                raise ExpressionError("text in quotes is not allowed: only numbers, x1, x2 and functions", pos)
            shown = ch if ch.isprintable() else f"U+{ord(ch):04X}"
            raise ExpressionError(f"unexpected character {shown!r}", pos)
        kind = match.lastgroup
        value = match.group(kind)
        start = match.start(kind)
        pos = match.end()
        if kind == "number" and pos < n and (text[pos].isalpha() or text[pos] == "_"):
            word = re.match(r"\w+", text[pos:]).group()
            raise ExpressionError(f"a number followed by a name: write {value}*{word} for a product", pos)
        if kind == "name":
            _check_name(value, start)
        if kind == "name" and pos < n and text[pos] == ".":
            raise ExpressionError("attribute access ('.') is not allowed", pos)
        tokens.append(_Token(kind, _ALIASES.get(value, value), start))
    tokens.append(_Token("end", "", n))
    return tokens


def _check_name(word: str, pos: int) -> None:
    """Refuse a name the grammar does not know (checked as soon as it is read, before anything after it)."""
    if word in _KEYWORDS or word in _VARIABLES or word in _CONSTANTS or word in _UNARY or word in _VARIADIC:
        return
    if word.startswith("_") or word in {"import", "eval", "exec", "open", "lambda", "os", "sys", "compile"}:
        raise ExpressionError(f"{word!r} is not allowed: only numbers, x1, x2 and the listed functions", pos)
    known = ", ".join(("x1", "x2", "pi", "e", *FUNCTIONS))
    raise ExpressionError(f"unknown name {word!r} (known names: {known})", pos)


# ----------------------------------------------------------------------------------------------------------
# Syntax tree: tuples (kind, position, ...) evaluated by _eval
# ----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Node:
    op: str  # "num", "var", "neg", "+", "-", "*", "/", "**", "call", "cmp", "and", "or", "not"
    pos: int
    boolean: bool
    args: tuple = ()
    value: float = 0.0
    name: str = ""


class _Parser:
    def __init__(self, text: str, tokens: list[_Token]):
        self.text = text
        self.tokens = tokens
        self.i = 0
        self.depth = 0

    # -- helpers
    @property
    def tok(self) -> _Token:
        return self.tokens[self.i]

    def take(self) -> _Token:
        t = self.tokens[self.i]
        self.i += 1
        return t

    def at(self, *texts: str) -> bool:
        t = self.tok
        return t.kind in ("op", "name") and t.text in texts

    def enter(self, pos: int) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExpressionError(f"nested too deeply (more than {MAX_DEPTH} levels)", pos)

    def leave(self) -> None:
        self.depth -= 1

    def need_number(self, node: _Node, what: str) -> _Node:
        if node.boolean:
            raise ExpressionError(f"{what} needs numbers, not a comparison (true/false)", node.pos)
        return node

    def need_boolean(self, node: _Node, what: str) -> _Node:
        if not node.boolean:
            raise ExpressionError(f"{what} needs a comparison such as x1 > 0, not a number", node.pos)
        return node

    # -- grammar
    def parse(self) -> _Node:
        if self.tok.kind == "end":
            raise ExpressionError("the expression is empty")
        node = self.or_()
        if self.tok.kind != "end":
            t = self.tok
            if t.text == ")":
                raise ExpressionError("')' without a matching '('", t.pos)
            raise ExpressionError(f"unexpected {t.text!r} after a complete expression (an operator missing?)", t.pos)
        return node

    def or_(self) -> _Node:
        node = self.and_()
        while self.at("or"):
            t = self.take()
            right = self.and_()
            node = _Node("or", t.pos, True, (self.need_boolean(node, "'or'"), self.need_boolean(right, "'or'")))
        return node

    def and_(self) -> _Node:
        node = self.not_()
        while self.at("and"):
            t = self.take()
            right = self.not_()
            node = _Node("and", t.pos, True, (self.need_boolean(node, "'and'"), self.need_boolean(right, "'and'")))
        return node

    def not_(self) -> _Node:
        if self.at("not"):
            t = self.take()
            self.enter(t.pos)
            operand = self.not_()
            self.leave()
            return _Node("not", t.pos, True, (self.need_boolean(operand, "'not'"),))
        return self.comparison()

    def comparison(self) -> _Node:
        first = self.sum_()
        if not (self.tok.kind == "op" and self.tok.text in _COMPARISONS):
            return first
        operands, ops = [self.need_number(first, "a comparison")], []
        while self.tok.kind == "op" and self.tok.text in _COMPARISONS:
            t = self.take()
            ops.append(t.text)
            operands.append(self.need_number(self.sum_(), "a comparison"))
        return _Node("cmp", first.pos, True, tuple(operands), name=" ".join(ops))

    def sum_(self) -> _Node:
        node = self.term()
        while self.at("+", "-"):
            t = self.take()
            right = self.term()
            node = _Node(
                t.text, t.pos, False, (self.need_number(node, repr(t.text)), self.need_number(right, repr(t.text)))
            )
        return node

    def term(self) -> _Node:
        node = self.unary()
        while self.at("*", "/"):
            t = self.take()
            right = self.unary()
            node = _Node(
                t.text, t.pos, False, (self.need_number(node, repr(t.text)), self.need_number(right, repr(t.text)))
            )
        return node

    def unary(self) -> _Node:
        if self.at("-", "+"):
            t = self.take()
            self.enter(t.pos)
            operand = self.need_number(self.unary(), f"a sign {t.text!r}")
            self.leave()
            return operand if t.text == "+" else _Node("neg", t.pos, False, (operand,))
        return self.power()

    def power(self) -> _Node:
        base = self.atom()
        if self.at("**"):
            t = self.take()
            self.enter(t.pos)
            exponent = self.unary()
            self.leave()
            return _Node("**", t.pos, False, (self.need_number(base, "'**'"), self.need_number(exponent, "'**'")))
        return base

    def atom(self) -> _Node:
        t = self.tok
        if t.kind == "number":
            self.take()
            value = float(t.text)
            if not math.isfinite(value):
                raise ExpressionError(f"the number {t.text} is too large", t.pos)
            return _Node("num", t.pos, False, value=value)
        if t.kind == "name":
            return self.name()
        if t.kind == "op" and t.text == "(":
            self.take()
            self.enter(t.pos)
            inner = self.or_()
            self.leave()
            self.expect(")", t.pos)
            return inner
        if t.kind == "end":
            raise ExpressionError("the expression ends too early: a number, name or '(' is missing", t.pos)
        raise ExpressionError(f"unexpected {t.text!r}: a number, name or '(' should be here", t.pos)

    def expect(self, text: str, opened_at: int) -> None:
        t = self.tok
        if t.kind == "op" and t.text == text:
            self.take()
            return
        if t.kind == "end":
            raise ExpressionError(f"the '(' here is never closed: a {text!r} is missing", opened_at)
        raise ExpressionError(f"expected {text!r}, found {t.text!r}", t.pos)

    def name(self) -> _Node:
        t = self.take()
        word = t.text
        if word in _KEYWORDS:
            raise ExpressionError(f"{word!r} must stand between two comparisons", t.pos)
        if word in _VARIABLES:
            self.no_call(word, t)
            return _Node("var", t.pos, False, value=float(_VARIABLES[word]), name=word)
        if word in _CONSTANTS:
            self.no_call(word, t)
            return _Node("num", t.pos, False, value=_CONSTANTS[word], name=word)
        if word in _UNARY or word in _VARIADIC:
            if not self.at("("):
                raise ExpressionError(f"the function {word} needs its argument in parentheses: {word}(…)", t.pos)
            paren = self.take()
            self.enter(paren.pos)
            args = [self.need_number(self.or_(), f"{word}()")]
            while self.at(","):
                self.take()
                args.append(self.need_number(self.or_(), f"{word}()"))
            self.leave()
            self.expect(")", paren.pos)
            if word in _UNARY and len(args) != 1:
                raise ExpressionError(f"{word}() takes one argument, got {len(args)}", t.pos)
            if word in _VARIADIC and len(args) < 2:
                raise ExpressionError(f"{word}() takes two or more arguments, got {len(args)}", t.pos)
            return _Node("call", t.pos, False, tuple(args), name=word)
        _check_name(word, t.pos)
        raise AssertionError(word)  # pragma: no cover (the tokenizer checked it)

    def no_call(self, word: str, t: _Token) -> None:
        if self.at("("):
            raise ExpressionError(f"{word} is not a function (a '*' missing before the '('?)", self.tok.pos)


# ----------------------------------------------------------------------------------------------------------
# Evaluation
# ----------------------------------------------------------------------------------------------------------

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


# ----------------------------------------------------------------------------------------------------------
# A data set from an expression
# ----------------------------------------------------------------------------------------------------------


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
