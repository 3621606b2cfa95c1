"""The safe expression evaluator (issue 9): grammar, clear errors for malicious or malformed input, fuzzing, and
the data sets it makes."""

from __future__ import annotations

import math
import time

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from visualizer.engine.data import ExpressionError, function_dataset, make_dataset, parse_expression
from visualizer.engine.data.expressions import FUNCTIONS, MAX_DEPTH, MAX_LENGTH

FUZZ = settings(derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
A = np.array([1.5, -2.0, 0.0, 5.0, -6.0])
B = np.array([0.5, 3.0, 0.0, -1.0, 6.0])


def test_values_precedence_and_booleans():
    cases = {
        "0.5*x1 - x2": 0.5 * A - B,
        "-x1**2": -(A**2),
        "2**-1 + 0*x1": np.full(5, 0.5),
        "2**3**2 + 0*x1": np.full(5, 512.0),  # right-associative
        "x1 - x2 - 1": A - B - 1,  # left-associative
        "x1 / 2 / 4": A / 8,
        "abs(x1) + sqrt(abs(x2)) + exp(0) + log(e) + sin(pi/2) + cos(0) + tan(0)": np.abs(A) + np.sqrt(np.abs(B)) + 4,
        "min(x1, x2, 1) + max(x1, 0)": np.minimum(np.minimum(A, B), 1) + np.maximum(A, 0),
        "x × 2 − y ÷ 2": A * 2 - B / 2,  # typographic operators; x and y are x1 and x2
    }
    for text, expected in cases.items():
        expr = parse_expression(text)
        assert not expr.is_boolean and expr.task == "regression", text
        np.testing.assert_allclose(expr.evaluate(A, B), expected, err_msg=text)
    booleans = {
        "x2 > sin(2*x1)": np.sin(2 * A) < B,
        "x1**2 + x2**2 < 9": A**2 + B**2 < 9,
        "-1 < x1 <= 1.5": (A > -1) & (A <= 1.5),
        "x1 > 0 and not x2 > 0 or x1 == x2": ((A > 0) & ~(B > 0)) | (A == B),
        "x1 ≥ 0": A >= 0,
    }
    for text, expected in booleans.items():
        expr = parse_expression(text)
        assert expr.is_boolean and expr.task == "classification", text
        np.testing.assert_array_equal(expr.evaluate(A, B), expected.astype(float), err_msg=text)
    assert parse_expression("x1").text == "x1"


def test_huge_powers_are_float_infinity_at_once():
    t0 = time.process_time()
    values = parse_expression("9**9**9**9 + x1").evaluate(A, B)
    assert np.all(np.isinf(values))
    assert time.process_time() - t0 < 0.5


@pytest.mark.parametrize(
    ("text", "position", "words"),
    [
        ("__import__('os')", 1, "'__import__' is not allowed"),
        ("x1.__class__", 3, "attribute access"),
        ("(1).real", 4, "attribute access"),
        ("os.system('ls')", 1, "'os' is not allowed"),
        ("foo(x1)", 1, "unknown name 'foo'"),
        ("x3 > 0", 1, "unknown name 'x3'"),
        ("lambda: 1", 1, "'lambda' is not allowed"),
        ("", None, "empty"),
        ("   ", None, "empty"),
        ("x1 +" * 60, None, "too long"),
        ("(x1", 1, "never closed"),
        ("x1)", 3, "without a matching"),
        ("x1 ^ 2", 4, "write x1**2"),
        ("x1 = 2", 4, "'=='"),
        ("(x1 > 0) + 1", 2, "needs numbers"),
        ("x1 and x2", 1, "needs a comparison"),
        ("sin x1", 1, "parentheses"),
        ("sin(1, 2)", 1, "one argument"),
        ("max(1)", 1, "two or more"),
        ("1e999 + x1", 1, "too large"),
        ("2x1", 2, "2*x1"),
        ("x1 x2", 4, "operator missing"),
        ("[x1]", 1, "round parentheses"),
        ("x1 >", 5, "ends too early"),
        ("'x1'", 1, "quotes"),
        ("x1 if x2 else 0", 4, "unknown name 'if'"),
        ("\x00", 1, "U+0000"),
    ],
)
def test_malicious_and_malformed_input_get_a_clear_message(text, position, words):
    with pytest.raises(ExpressionError) as info:
        parse_expression(text)
    err = info.value
    assert words in str(err)
    assert err.position == (None if position is None else position - 1)
    if position is not None:
        assert str(err).startswith(f"at character {position}: ")


def test_nesting_is_bounded():
    ok = "(" * (MAX_DEPTH - 1) + "x1" + ")" * (MAX_DEPTH - 1)
    parse_expression(ok)
    for deep in (
        "(" * (MAX_DEPTH + 1) + "x1" + ")" * (MAX_DEPTH + 1),
        "-" * 150 + "x1",
        "exp(-" * 21 + "x1" + ")" * 21,
    ):
        with pytest.raises(ExpressionError, match="nested too deeply"):
            parse_expression(deep)
    with pytest.raises(ExpressionError, match="too long"):
        parse_expression("x1" + "+x1" * MAX_LENGTH)
    with pytest.raises(ExpressionError, match="must be text"):
        parse_expression(None)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------------------
# Fuzzing: only ExpressionError, bounded work, and valid expressions mean what they say
# ---------------------------------------------------------------------------------------------------------


def _only_our_error(text: str) -> None:
    t0 = time.process_time()
    try:
        expr = parse_expression(text)
    except ExpressionError:
        pass
    else:
        values = expr.evaluate(A, B)
        assert values.shape == A.shape and values.dtype == np.float64
    assert time.process_time() - t0 < 1.0


@settings(FUZZ, max_examples=1000)
@given(st.text(max_size=MAX_LENGTH + 20))
def test_fuzzed_text_raises_only_expression_errors(text):
    _only_our_error(text)


_WORDS = "x1 x2 x y pi e and or not ( ) , + - * / ** < <= > >= == != ^ = . ' [ ] 0 1 2.5 1e3 1e999 __import__"
TOKENS = [*_WORDS.split(" "), *FUNCTIONS, "", "  "]


@settings(FUZZ, max_examples=800)
@given(st.lists(st.sampled_from(TOKENS), max_size=60), st.sampled_from([" ", ""]))
def test_token_soups_raise_only_expression_errors(tokens, sep):
    _only_our_error(sep.join(tokens))


# Reference: a random syntax tree, printed with as few parentheses as the grammar allows, evaluated directly.
_PREC = {"or": 1, "and": 2, "not": 3, "cmp": 4, "+": 5, "-": 5, "*": 6, "/": 6, "neg": 7, "**": 8, "atom": 9}
_BIN = {"+": np.add, "-": np.subtract, "*": np.multiply, "/": np.divide, "**": np.power}
_CMPS = {"<": np.less, "<=": np.less_equal, ">": np.greater, ">=": np.greater_equal, "==": np.equal, "!=": np.not_equal}
_FUN1 = {"abs": np.abs, "sin": np.sin, "cos": np.cos, "tanh": np.tanh, "exp": np.exp, "sqrt": np.sqrt, "log": np.log}


def _wrap(text: str, prec: int, need: bool, extra: bool) -> str:
    return f"({text})" if need or extra else text


@st.composite
def numeric(draw, depth=0):
    """(text, precedence, reference function of (a, b))."""
    choice = draw(st.integers(0, 3 if depth < 4 else 0))
    extra = draw(st.booleans()) and draw(st.booleans())
    if choice == 0:
        leaf = draw(st.sampled_from(["x1", "x2", "pi", "e", "0", "1", "2", "0.5", "3.25", "10"]))
        value = {"x1": None, "x2": None, "pi": math.pi, "e": math.e}.get(leaf)
        if leaf == "x1":
            return leaf, 9, lambda a, b: a
        if leaf == "x2":
            return leaf, 9, lambda a, b: b
        const = value if value is not None else float(leaf)
        return leaf, 9, lambda a, b, c=const: np.full(a.shape, c)
    if choice == 1:
        op = draw(st.sampled_from(list(_BIN)))
        lt, lp, lf = draw(numeric(depth + 1))
        rt, rp, rf = draw(numeric(depth + 1))
        p = _PREC[op]
        if op == "**":  # right-assoc: the left side wraps powers and signs, the right side may be either
            lt = _wrap(lt, lp, lp <= p, extra)
            rt = _wrap(rt, rp, rp < _PREC["neg"], False)
        else:
            lt = _wrap(lt, lp, lp < p, extra)
            rt = _wrap(rt, rp, rp <= p, False)
        return f"{lt} {op} {rt}", p, lambda a, b, f=_BIN[op], lf=lf, rf=rf: f(lf(a, b), rf(a, b))
    if choice == 2:
        t, p, f = draw(numeric(depth + 1))
        return "-" + _wrap(t, p, p < _PREC["neg"], extra), 7, lambda a, b, f=f: np.negative(f(a, b))
    name = draw(st.sampled_from([*_FUN1, "min", "max"]))
    if name in _FUN1:
        t, _, f = draw(numeric(depth + 1))
        return f"{name}({t})", 9, lambda a, b, g=_FUN1[name], f=f: g(f(a, b))
    t1, _, f1 = draw(numeric(depth + 1))
    t2, _, f2 = draw(numeric(depth + 1))
    g = np.minimum if name == "min" else np.maximum
    return f"{name}({t1}, {t2})", 9, lambda a, b, g=g, f1=f1, f2=f2: g(f1(a, b), f2(a, b))


@st.composite
def boolean(draw, depth=0):
    choice = draw(st.integers(0, 2 if depth < 2 else 0))
    if choice == 0:
        op = draw(st.sampled_from(list(_CMPS)))
        lt, lp, lf = draw(numeric(2))
        rt, rp, rf = draw(numeric(2))
        lt, rt = _wrap(lt, lp, lp < 5, False), _wrap(rt, rp, rp < 5, False)
        return f"{lt} {op} {rt}", 4, lambda a, b, c=_CMPS[op], lf=lf, rf=rf: c(lf(a, b), rf(a, b))
    if choice == 1:
        t, p, f = draw(boolean(depth + 1))
        return "not " + _wrap(t, p, p < 3, False), 3, lambda a, b, f=f: ~f(a, b)
    op = draw(st.sampled_from(["and", "or"]))
    lt, lp, lf = draw(boolean(depth + 1))
    rt, rp, rf = draw(boolean(depth + 1))
    p = _PREC[op]
    lt, rt = _wrap(lt, lp, lp < p, False), _wrap(rt, rp, rp <= p, False)
    g = np.logical_and if op == "and" else np.logical_or
    return f"{lt} {op} {rt}", p, lambda a, b, g=g, lf=lf, rf=rf: g(lf(a, b), rf(a, b))


@settings(FUZZ, max_examples=300)
@given(numeric() | boolean())
def test_generated_expressions_evaluate_like_the_reference(case):
    text, precedence, reference = case
    assume(len(text) <= MAX_LENGTH)
    expr = parse_expression(text)
    with np.errstate(all="ignore"):
        expected = np.asarray(reference(A, B), dtype=np.float64)
    assert expr.is_boolean == (precedence <= 4), text  # comparisons, not, and, or
    np.testing.assert_array_equal(expr.evaluate(A, B), expected, err_msg=text)


# ---------------------------------------------------------------------------------------------------------
# Data sets from an expression
# ---------------------------------------------------------------------------------------------------------


def test_boolean_expression_makes_the_two_class_set_it_describes():
    ds = function_dataset("x2 > sin(2*x1)", n_points=400, seed=3)
    assert ds.task == "classification" and ds.n_classes == 2 and ds.class_names == ("false", "true")
    assert ds.X.shape == (400, 2) and ds.n_train == 200 and ds.domain == (-6.0, 6.0)
    assert np.all(np.abs(ds.X) <= 6.0)
    np.testing.assert_array_equal(ds.y, (ds.X[:, 1] > np.sin(2 * ds.X[:, 0])).astype(int))
    same = make_dataset("function", function="x2 > sin(2*x1)", n_points=400, seed=3)
    np.testing.assert_array_equal(same.X, ds.X)
    # Noise reads the label at a displaced point: some labels disagree with the clean rule, most agree.
    noisy = function_dataset("x2 > sin(2*x1)", n_points=2000, noise=0.1, seed=3)
    wrong = np.mean(noisy.y != (noisy.X[:, 1] > np.sin(2 * noisy.X[:, 0])))
    assert 0.01 < wrong < 0.3


def test_numeric_expression_makes_a_regression_set_and_drops_undefined_points():
    ds = function_dataset("0.5*x1 - x2", n_points=300, seed=1, train_fraction=0.8)
    assert ds.task == "regression" and ds.n_train == 240
    np.testing.assert_allclose(ds.y, 0.5 * ds.X[:, 0] - ds.X[:, 1])
    logs = function_dataset("log(x1)", n_points=300, seed=1)
    assert logs.n_samples == 300 and np.all(logs.X[:, 0] > 0) and np.all(np.isfinite(logs.y))


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("x1 > 100", "false everywhere"),
        ("x1 < 100", "true everywhere"),
        ("sqrt(-1 - x1**2)", "undefined"),
        ("exp(x1 * 100)", "values reach"),
        ("__import__('os')", "not allowed"),
    ],
)
def test_useless_expressions_are_refused(text, words):
    with pytest.raises(ExpressionError, match=words):
        function_dataset(text, n_points=200)


def test_function_dataset_checks_its_arguments():
    for kwargs in ({"n_points": 1}, {"noise": 0.9}, {"train_fraction": 0.0}, {"seed": -1}, {"domain": (1, 1)}):
        with pytest.raises(ValueError):
            function_dataset("x1 > 0", **kwargs)
    with pytest.raises(ValueError, match="needs an expression"):
        make_dataset("function")
