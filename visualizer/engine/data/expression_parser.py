"""The tokenizer and recursive-descent parser of :mod:`.expressions`: text to a tree of :class:`_Node`.

The grammar, the names and the functions are described in :mod:`.expressions`; the tables of names and functions
(:data:`FUNCTIONS`, :data:`NAMES`) and the limits (:data:`MAX_LENGTH`, :data:`MAX_DEPTH`) live here because the
parser checks them. Every problem is an :class:`ExpressionError` naming the character where it is.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

MAX_LENGTH = 200
"""Longest expression accepted, in characters."""

MAX_DEPTH = 40
"""Deepest nesting accepted (parentheses, unary signs, powers and function calls each count one level)."""


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
