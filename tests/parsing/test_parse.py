"""Tests for symconv.parsing.parser: the safe parser of signals typed by people.

Expected values are SymPy objects built here by hand (``symconv.functions`` for
``u``, ``rect``, ``tri``, ``ramp``; SymPy's ``DiracDelta``; symbols made real by
:func:`symconv.parsing.parser.make_symbol`, as the parser makes them) and compared with
``==``. Hostile input must be refused (``ParseError``) or parsed within a CPU
budget, and must never run code; a fuzz test checks that nothing but
``ParseError`` ever escapes.

Time is measured as CPU time of this process (``time.process_time``), with a
``SIGPROF`` interval timer that aborts a parse once it exceeds the budget: it is
what hostile input costs us, it does not depend on other processes loading the
machine, and a runaway parse cannot stall the test run. SymPy's cache is cleared
before each timed parse so that every measurement is cold.
"""

from __future__ import annotations

import builtins
import signal
import time
from contextlib import contextmanager

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sympy import (
    Abs,
    And,
    Basic,
    DiracDelta,
    E,
    Eq,
    Integer,
    Max,
    Min,
    Ne,
    Or,
    Piecewise,
    Rational,
    Symbol,
    cos,
    cosh,
    exp,
    log,
    pi,
    sign,
    sin,
    sinh,
    sqrt,
)
from sympy.core.cache import clear_cache

from symconv.errors import ParseError, SymconvError
from symconv.functions import ramp, rect, tri, u
from symconv.parsing.parser import Limits, make_symbol, parse

t = make_symbol("t")
x = make_symbol("x")
a = make_symbol("a")
b = make_symbol("b")
T1 = make_symbol("T1")
t_0 = make_symbol("t_0")
alpha = make_symbol("alpha")
omega_0 = make_symbol("omega_0")
lam = make_symbol("lambda")  # Greek letters, typed or spelled, are one symbol
half = Rational(1, 2)

#: CPU seconds a single parse may take: "well under a second" for any input.
BUDGET = 1.0


# -- helpers ------------------------------------------------------------------------------------


class _OverBudget(BaseException):
    """Raised by the SIGPROF handler; a BaseException so no ``except Exception`` swallows it."""


@contextmanager
def _cpu_budget(seconds):
    if not hasattr(signal, "setitimer"):  # pragma: no cover - not POSIX: measure only
        yield
        return

    def _alarm(signum, frame):
        caller = frame
        while caller is not None:
            if caller.f_code.co_name == "__del__":  # never raise out of a finalizer
                signal.setitimer(signal.ITIMER_PROF, 0.01)
                return
            caller = caller.f_back
        raise _OverBudget

    old = signal.signal(signal.SIGPROF, _alarm)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, old)


def timed_parse(text, **kwargs):
    """``parse(text)`` (or the ParseError it raises) and the CPU seconds it took, cold cache.

    Fails the test when the parse exceeds the budget or raises anything but ParseError.
    """
    shown = text if len(text) <= 60 else f"{text[:40]!r}... ({len(text)} chars)"
    clear_cache()
    start = time.process_time()
    try:
        with _cpu_budget(BUDGET):
            try:
                result = parse(text, **kwargs)
            except ParseError as err:
                result = err
    except _OverBudget:
        clear_cache()  # an interrupted SymPy computation must not leak into other tests
        pytest.fail(f"parse({shown}) took more than {BUDGET} s of CPU time")
    elapsed = time.process_time() - start
    assert elapsed < BUDGET, f"parse({shown}) took {elapsed:.2f} s"
    return result, elapsed


def parse_error(text, **kwargs):
    with pytest.raises(ParseError) as info:
        parse(text, **kwargs)
    return info.value


# -- every construct: a table of strings and the SymPy objects they mean --------------------

TABLE = [
    # numbers: integers, decimals (exact rationals), scientific notation
    ("2", Integer(2)),
    ("007", Integer(7)),
    ("0.5", half),
    (".5", half),
    ("3.", Integer(3)),
    ("1.25", Rational(5, 4)),
    ("0.1 + 0.2", Rational(3, 10)),
    ("1.000001", Rational(1000001, 1000000)),
    ("1e-3", Rational(1, 1000)),
    ("2.5e3", Integer(2500)),
    ("6.02E+23", Integer(602) * 10**21),
    ("10e-1", Integer(1)),
    # the variable and parameters
    ("t", t),
    ("a", a),
    ("T1", T1),
    ("t_0", t_0),
    ("t0", make_symbol("t0")),
    ("alpha", alpha),
    ("omega_0", omega_0),
    ("λ", lam),
    ("I", make_symbol("I")),  # a parameter named I, not SymPy's imaginary unit
    ("E", make_symbol("E")),  # a parameter named E, not Euler's number
    # + - * / ^ ** and unary minus
    ("t + 1", t + 1),
    ("t - 1", t - 1),
    ("2*t", 2 * t),
    ("t/2", t / 2),
    ("t^2", t**2),
    ("t**2", t**2),
    ("-t", -t),
    ("-t^2", -(t**2)),
    ("--t", t),
    ("+t", t),
    ("2 - -t", 2 + t),
    ("2^-1", half),
    ("2^3^2", Integer(512)),  # ^ is right-associative
    ("2**2**3", Integer(256)),
    ("1/2/3", Rational(1, 6)),  # / is left-associative
    ("1 - 2 - 3", Integer(-4)),
    ("e^-t/2", exp(-t) / 2),
    # implicit multiplication
    ("2t", 2 * t),
    ("2 t", 2 * t),
    ("2t^2", 2 * t**2),
    ("1/2 t", t / 2),
    ("a t", a * t),
    ("at", a * t),
    ("alpha t", alpha * t),
    ("4(1-e^(-t/2))", 4 * (1 - exp(-t / 2))),
    ("2 e^(-t/2) u(t)", 2 * exp(-t / 2) * u(t)),
    ("(t+1)(t-1)", (t + 1) * (t - 1)),
    ("u(t)u(t-1)", u(t) * u(t - 1)),
    ("exp(-t)u(t)", exp(-t) * u(t)),
    ("2|t|", 2 * Abs(t)),
    # e^x and exp
    ("e", E),
    ("e^t", exp(t)),
    ("e ^ t", exp(t)),
    ("e^(-a t)", exp(-a * t)),
    ("exp(-a t)", exp(-a * t)),
    ("2e^t", 2 * exp(t)),
    # the signal vocabulary
    ("u(t)", u(t)),
    ("step(t - 1)", u(t - 1)),
    ("H(t)", u(t)),
    ("Heaviside(t)", u(t)),
    ("H(t - a)", u(t - a)),
    ("rect(t)", rect(t)),
    ("rect(t - 1/2)", rect(t - half)),
    ("rect(t - 0.5)", rect(t - half)),
    ("rect((t-1)/2)", rect((t - 1) / 2)),
    ("Π(t)", rect(t)),
    ("tri(t/2)", tri(t / 2)),
    ("Λ(t)", tri(t)),
    ("ramp(t - 1)", ramp(t - 1)),
    ("delta(t)", DiracDelta(t)),
    ("δ(t - 2)", DiracDelta(t - 2)),
    ("dirac(t)", DiracDelta(t)),
    ("DiracDelta(t - 1) + Abs(t)", DiracDelta(t - 1) + Abs(t)),
    ("2 delta(t - 1) + 3δ(t + 1)", 2 * DiracDelta(t - 1) + 3 * DiracDelta(t + 1)),
    # functions and constants
    ("sin(t)", sin(t)),
    ("cos(2 pi t)", cos(2 * pi * t)),
    ("sin(πt)", sin(pi * t)),
    ("sinh(t) + cosh(t)", sinh(t) + cosh(t)),
    ("ln(t) + log(2)", log(t) + log(2)),
    ("sgn(t)", sign(t)),
    ("min(t, 1)", Min(t, 1)),
    ("max(t, 0, a)", Max(t, 0, a)),
    ("sqrt(t)", sqrt(t)),
    ("√t", sqrt(t)),
    ("√(t + 1)", sqrt(t + 1)),
    ("√2 t", sqrt(2) * t),
    ("√t + 1", sqrt(t) + 1),
    ("pi", pi),
    ("π", pi),
    ("2π", 2 * pi),
    ("2 pi t", 2 * pi * t),
    # absolute value bars
    ("|t|", Abs(t)),
    ("abs(t - 1)", Abs(t - 1)),
    ("|t - 1| + |t|", Abs(t - 1) + Abs(t)),
    ("|t - |t||", Abs(t - Abs(t))),
    ("|t||t - 1|", Abs(t) * Abs(t - 1)),
    ("|-t|", Abs(t)),
    # Unicode minus, en dash, middle dot, times, division sign; brackets
    ("−t", -t),
    ("1 − t", 1 - t),
    ("t – 1", t - 1),
    ("2·t", 2 * t),
    ("2 · e^(−t)", 2 * exp(-t)),
    ("3×t", 3 * t),
    ("t÷2", t / 2),
    ("2^−1", half),
    ("[t + 1]", t + 1),
    ("{t}", t),
    # whitespace of all kinds
    ("\u00a0t\t+\n1 ", t + 1),
    # piecewise definitions
    (
        "t for 0<=t<1; 0 otherwise",
        Piecewise((t, And(Integer(0) <= t, t < 1)), (0, True)),
    ),
    (
        "4(1-e^(-t/2)) for 0<=t<1; 0 otherwise",
        Piecewise((4 - 4 * exp(-t / 2), And(t >= 0, t < 1)), (0, True)),
    ),
    (
        "t for 0 ≤ t < 1; 2 - t for 1 ≤ t < 2; 0 otherwise",
        Piecewise((t, And(t >= 0, t < 1)), (2 - t, And(t >= 1, t < 2)), (0, True)),
    ),
    ("1 for t >= 0", Piecewise((1, t >= 0), (0, True))),  # "0 otherwise" is implied
    ("1 for t ≥ 0;", Piecewise((1, t >= 0), (0, True))),
    ("t for t ≤ 1; 0 otherwise", Piecewise((t, t <= 1), (0, True))),
    ("1 for t < -1 or t > 1; 0 otherwise", Piecewise((1, Or(t < -1, t > 1)), (0, True))),
    ("e^(-t) for t >= 0 and t < 2", Piecewise((exp(-t), And(t >= 0, t < 2)), (0, True))),
    ("t for t > 0 && t < 1", Piecewise((t, And(t > 0, t < 1)), (0, True))),
    ("t if 0 < t < 1; 0 else", Piecewise((t, And(t > 0, t < 1)), (0, True))),
    # commas between branches, and "else 0" as Python and prose write it
    ("t for 0 ≤ t < 1, 0 otherwise", Piecewise((t, And(t >= 0, t < 1)), (0, True))),
    ("t for 0<=t<1, 2-t for 1<=t<2, 0 otherwise",
     Piecewise((t, And(t >= 0, t < 1)), (2 - t, And(t >= 1, t < 2)), (0, True))),
    ("t if 0 < t < 1 else 0", Piecewise((t, And(t > 0, t < 1)), (0, True))),
    ("t if 0 < t < 1 else 1", Piecewise((t, And(t > 0, t < 1)), (1, True))),
    ("t for 0<=t<1; 2-t for 1<=t<2; else 0",
     Piecewise((t, And(t >= 0, t < 1)), (2 - t, And(t >= 1, t < 2)), (0, True))),
    ("min(t, 1) for t > 0", Piecewise((Min(t, 1), t > 0), (0, True))),
    ("1 when t > 0; 0 otherwise", Piecewise((1, t > 0), (0, True))),
    ("1 for t = 0; 0 otherwise", Piecewise((1, Eq(t, 0)), (0, True))),
    ("t for t ≠ 1", Piecewise((t, Ne(t, 1)), (0, True))),
    ("|t| for |t| < 1; 0 otherwise", Piecewise((Abs(t), Abs(t) < 1), (0, True))),
    ("u(t) for t > a", Piecewise((u(t), t > a), (0, True))),
]


def test_table_is_large():
    assert len(TABLE) >= 40


@pytest.mark.parametrize(("text", "expected"), TABLE, ids=[text for text, _ in TABLE])
def test_table(text, expected):
    result = parse(text)
    assert isinstance(result, Basic)
    assert result == expected


def test_decimals_are_exact_rationals():
    result = parse("0.1")
    assert result == Rational(1, 10)
    assert result.is_Rational
    assert not any(atom.is_Float for atom in parse("0.1 t + 2.5e-3 + 1.5e2").atoms())


def test_symbols_are_real_like_make_symbol():
    assert parse("t").is_real
    assert parse("a").is_real
    assert parse("a") == Symbol("a", real=True)
    assert parse("a") != Symbol("a")


def test_variable_option():
    assert parse("x^2 u(x)", var="x") == x**2 * u(x)
    assert parse("tau u(tau)", var="tau") == make_symbol("tau") * u(make_symbol("tau"))
    # with var="x", "t" is an ordinary parameter
    assert parse("t x", var="x") == t * x
    # a Symbol is used as it is
    s = Symbol("s", positive=True)
    assert parse("2s", var=s) == 2 * s


def test_assumptions_option():
    a_pos = make_symbol("a", {"a": {"positive": True}})
    result = parse("e^(-a t) u(t)", assumptions={"a": {"positive": True}})
    assert result == exp(-a_pos * t) * u(t)
    assert result != exp(-a * t) * u(t)
    assert a_pos.is_positive
    # a longer name becomes a parameter when assumptions declare it
    assert parse("gain t", assumptions={"gain": {}}) == make_symbol("gain") * t


def test_functions_need_parentheses():
    for text in ["sin t", "rect t", "u", "H", "exp t", "δ"]:
        err = parse_error(text)
        assert "is a function" in err.message
        assert err.position == 0


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("u(t, 1)", "u takes 1 argument, got 2"),
        ("sin(t, t)", "sin takes 1 argument, got 2"),
        ("max(t)", "max needs at least two arguments"),
        ("u()", "unexpected ')'"),
        ("ab", "unknown name 'ab'"),
        ("sint", "unknown name 'sint'"),
        ("1/0", "division by zero"),
        ("1/(t - t)", "division by zero"),
        ("t/0.0", "division by zero"),
        ("1/sin(pi)", "division by zero"),
        ("0^-1", "0 to a negative power"),
        ("(t-t)^-1", "0 to a negative power"),
        ("t<1", "unexpected '<'"),
        ("(t for t>0)", "unexpected 'for'"),
        ("t for t", "unexpected end of input"),
        ("1_000", "unexpected character '_'"),
        ("πt²", "unexpected character '²'"),
        ("", "empty input"),
        ("   ", "empty input"),
    ],
)
def test_refused(text, fragment):
    assert fragment in parse_error(text).message


def test_non_text_is_refused():
    for value in [None, 12, b"t", ["t"]]:
        with pytest.raises(ParseError, match="expected text"):
            parse(value)


def test_parse_error_is_a_symconv_error_and_a_value_error():
    err = parse_error("rect(t")
    assert isinstance(err, SymconvError)
    assert isinstance(err, ValueError)


# -- error messages: position, hint and the caret line ----------------------------------------

RENDERINGS = [
    (
        "rect(t",
        6,
        "expected ')' here",
        "unbalanced parenthesis\n  rect(t\n        ^ expected ')' here",
    ),
    (
        "t + * 2",
        4,
        "expected an operand (number, name or '(') here",
        "unexpected '*'\n  t + * 2\n      ^ expected an operand (number, name or '(') here",
    ),
    (
        "rect(t))",
        7,
        "remove it or add the matching opening bracket",
        "unbalanced parenthesis: ')' closes nothing\n  rect(t))\n"
        "         ^ remove it or add the matching opening bracket",
    ),
    (
        "(t]",
        2,
        "expected ')' here",
        "mismatched brackets: '(' closed by ']'\n  (t]\n    ^ expected ')' here",
    ),
    (
        "|t",
        2,
        "expected a closing '|' here",
        "unbalanced '|'\n  |t\n    ^ expected a closing '|' here",
    ),
    (
        "1/0",
        1,
        "check the denominator",
        "division by zero\n  1/0\n   ^ check the denominator",
    ),
    (
        "2 $ t",
        2,
        "not part of the symconv language",
        "unexpected character '$'\n  2 $ t\n    ^ not part of the symconv language",
    ),
    (
        "10^10^10",
        2,
        "powers up to 1000 are accepted",
        "exponent 10000000000 is too large\n  10^10^10\n    ^ powers up to 1000 are accepted",
    ),
    (
        "sin t",
        0,
        "write sin(...) with its argument in parentheses",
        "sin is a function\n  sin t\n  ^ write sin(...) with its argument in parentheses",
    ),
    (
        "t\n+ )",  # multi-line input: the line of the error is shown
        4,
        "remove it or add the matching opening bracket",
        "unbalanced parenthesis: ')' closes nothing\n  + )\n"
        "    ^ remove it or add the matching opening bracket",
    ),
]


@pytest.mark.parametrize(
    ("text", "position", "hint", "rendered"), RENDERINGS, ids=[r[0] for r in RENDERINGS]
)
def test_error_rendering(text, position, hint, rendered):
    err = parse_error(text)
    assert err.position == position
    assert err.hint == hint
    assert err.text == text
    assert str(err) == rendered


def test_error_rendering_of_a_long_line_shows_a_window_around_the_position():
    text = "t + " * 20 + "$"
    err = parse_error(text)
    assert err.position == 80
    _, line, caret = str(err).split("\n")
    assert len(line) <= 72
    # the caret sits under the offending character
    assert line[caret.index("^")] == "$"


def test_error_for_too_long_input_shows_its_beginning():
    err = parse_error("t" * 10_001)
    assert err.message == "input too long (10001 characters)"
    assert err.hint == "at most 10000 characters are accepted"
    assert len(str(err).splitlines()[1]) <= 72


# -- limits --------------------------------------------------------------------------------------


def test_default_limits():
    limits = Limits()
    assert (limits.length, limits.depth, limits.digits, limits.exponent) == (10_000, 100, 100, 1000)


def test_length_limit_is_10000_characters():
    text = "t" + " " * 9_997 + "+1"
    assert len(text) == 10_000
    assert parse(text) == t + 1
    assert "input too long (10001 characters)" in parse_error(text + " ").message


def test_depth_limit():
    assert parse("(" * 100 + "t" + ")" * 100) == t
    err = parse_error("(" * 101 + "t" + ")" * 101)
    assert err.message == "nesting deeper than 100 levels"
    assert err.position == 100
    assert parse("|" * 50 + "t" + "|" * 50) == Abs(t)


def test_digit_limit():
    assert parse("9" * 100) == Integer(int("9" * 100))
    err = parse_error("9" * 101)
    assert err.message == "number too long (101 characters)"
    assert err.hint == "at most 100 digits"


def test_exponent_limit():
    assert parse("t^1000") == t**1000
    assert parse("2^1000") == Integer(2) ** 1000
    assert "exponent 1001 is too large" in parse_error("t^1001").message
    assert "exponent 1001 is too large" in parse_error("t^(-1001)").message.replace("-", "")


def test_custom_limits():
    assert "input too long" in parse_error("t+t+t", limits=Limits(length=4)).message
    assert "nesting deeper" in parse_error("(((t)))", limits=Limits(depth=2)).message
    assert "number too long" in parse_error("1234", limits=Limits(digits=3)).message
    assert "too large" in parse_error("t^11", limits=Limits(exponent=10)).message
    assert parse("t^10", limits=Limits(exponent=10)) == t**10


# -- hostile input: refused or parsed fast, never run -------------------------------------------

PYTHON_CODE = [
    "__import__('os').system('echo pwned')",
    "().__class__.__bases__[0].__subclasses__()",
    "lambda: 0",
    'exec("import os")',
    "eval('1+1')",
    "import os",
    "os.system",
    "t.__class__",
    "globals()",
    "print(1)",
    "__builtins__",
    "[x for x in ()]",
    "open",
    "Symbol('t')",
    "\\x41",
    "t; import os",
]

HOSTILE = [
    *PYTHON_CODE,
    "10^10^10",
    "2^2^2^2^2^2",
    "t^(10^9)",
    "e^(10^10)",
    "(10^100)^1000",
    "9" * 5000,
    "(" * 10_000 + "t" + ")" * 10_000,
    "(" * 5_000 + "t" + ")" * 4_999,
    "|" * 5_000,
    "t" * 10**6,
    "t+" * 500_000 + "t",
    "-" * 9_999 + "t",
    "2^" * 4_000 + "1",
]


@pytest.fixture(scope="module", autouse=True)
def _warm_parser():
    """Build the grammar once, so timings measure parsing, not loading lark."""
    parse("t")


@pytest.mark.parametrize("text", HOSTILE, ids=[repr(h[:30]) for h in HOSTILE])
def test_hostile_input_is_refused_or_parsed_fast(text):
    result, _ = timed_parse(text)
    assert isinstance(result, (ParseError, Basic))


@pytest.mark.parametrize("text", PYTHON_CODE)
def test_python_code_is_refused(text):
    parse_error(text)


def test_long_sum_parses_and_is_fast():
    result, _ = timed_parse("+".join(["t"] * 4000))
    assert result == 4000 * t


def test_power_towers_are_refused():
    for text in ["10^10^10", "2^2^2^2^2^2", "t^(10^9)", "e^(10^10)", "2^(2^(2^(2^(2^2))))"]:
        result, _ = timed_parse(text)
        assert isinstance(result, ParseError), text
        assert "too large" in result.message


def test_deep_nesting_is_refused():
    result, _ = timed_parse("(" * 10_000 + "t" + ")" * 10_000)
    assert isinstance(result, ParseError)
    result, _ = timed_parse("(" * 5_000 + "t" + ")" * 4_999)
    assert isinstance(result, ParseError)
    assert "nesting deeper" in result.message


def test_a_million_characters_are_refused_at_once():
    result, elapsed = timed_parse("t" * 10**6)
    assert isinstance(result, ParseError)
    assert "input too long" in result.message
    assert elapsed < 0.1


def _code_attempts(marker):
    m = str(marker)
    return [
        f"open('{m}', 'w')",
        f'open("{m}", "w").write("pwned")',
        f"__import__('os').system('touch {m}')",
        f"__import__('pathlib').Path('{m}').touch()",
        f"exec(\"open('{m}', 'w')\")",
        f"eval(\"open('{m}', 'w')\")",
        f"(lambda: open('{m}', 'w'))()",
        f"t + open('{m}', 'w')",
        f"rect(t) for t > open('{m}','w'); 0 otherwise",
    ]


def test_no_code_is_run(tmp_path, monkeypatch):
    marker = tmp_path / "marker"
    calls = []

    def _forbidden(name):
        def guard(*args, **kwargs):
            calls.append(name)
            raise AssertionError(f"{name} called while parsing")

        return guard

    # Neither eval nor exec (nor SymPy's string parser, which uses eval) may run.
    monkeypatch.setattr(builtins, "eval", _forbidden("eval"))
    monkeypatch.setattr(builtins, "exec", _forbidden("exec"))
    for text in _code_attempts(marker):
        with pytest.raises(ParseError):
            parse(text)
    # ordinary input goes through the same path without eval either
    assert parse("2 e^(-t/2) u(t) + 0.5 rect(t - 1) for t > 0") is not None
    assert calls == []
    assert not marker.exists()


# -- fuzz: nothing but ParseError ever escapes ------------------------------------------------

_CHARS = list("0123456789.eEtabxT_+-*/^()[]{}|,;<=>!&·−–×÷√πδαλΠΛ≤≥≠ \t\n")
_JUNK = list("@#$%?:'\"\\`~é²³€\x00\u200b\ufeff")
_TOKENS = [
    "t", "a", "b", "T1", "t_0", "e", "pi", "π", "0", "1", "2", "10", "0.5", "1e-3", "2.5e3", "1000",
    "+", "-", "−", "*", "·", "/", "^", "**", "(", ")", "[", "]", "|", ",", ";", " ",
    "u(", "step(", "H(", "rect(", "tri(", "ramp(", "delta(", "δ(", "sin(", "cos(", "exp(", "sqrt(",
    "√", "abs(", "max(", "min(", "log(", "sgn(", "e^", "e^(-", "for", " for ", " otherwise",
    " else", " and ", " or ", "<", "<=", "≤", ">", ">=", "≥", "=", "!=", "&&",
    "lambda", "__import__", "'", '"', ":", ".", "@",
]  # fmt: skip


def _check_parse_outcome(text):
    try:
        result = parse(text)
    except ParseError as err:
        assert isinstance(err.message, str) and err.message
        assert isinstance(err.position, int)
        assert 0 <= err.position <= len(err.text)
        assert isinstance(err.hint, str)
        rendered = str(err)
        assert rendered.startswith(err.message)
        if err.text:
            assert "^" in rendered.splitlines()[-1]
    else:
        assert isinstance(result, Basic)


@settings(max_examples=250, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from(_CHARS + _JUNK), max_size=40))
def test_fuzz_characters(text):
    _check_parse_outcome(text)


@settings(max_examples=250, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_TOKENS), max_size=30).map("".join))
def test_fuzz_tokens(text):
    _check_parse_outcome(text)


# Structured random expressions: each is drawn with its text and the SymPy object it means.

_LEAVES = st.sampled_from(
    [
        ("t", t),
        ("a", a),
        ("b", b),
        ("T1", T1),
        ("2", Integer(2)),
        ("0", Integer(0)),
        ("1", Integer(1)),
        ("0.25", Rational(1, 4)),
        ("1.5", Rational(3, 2)),
        ("1e-2", Rational(1, 100)),
        ("pi", pi),
        ("π", pi),
        ("e", E),
    ]
)
_FUNCS = [
    ("u", u), ("step", u), ("H", u), ("rect", rect), ("tri", tri), ("ramp", ramp),
    ("delta", DiracDelta), ("δ", DiracDelta), ("sin", sin), ("cos", cos), ("exp", exp),
    ("sqrt", sqrt), ("abs", Abs),
]  # fmt: skip

def _extend(children):
    """Compound expressions; the value is None when a zero denominator occurs anywhere."""

    def unary(pair, fn):
        (text, value), (name, f) = pair, fn
        if value is None:
            return f"{name}({text})", None
        if f is DiracDelta and not value.has(t):  # δ(0), δ(a): not a value, refused
            return f"{name}({text})", None
        try:
            return f"{name}({text})", f(value)
        except ValueError:  # SymPy refuses δ of a complex number: so must the parser
            return f"{name}({text})", None

    def binary(left, right, op):
        (lt, lv), (rt, rv) = left, right
        spelled = {"implicit": " ", "+": " + ", "-": " - ", "−": " − "}.get(op, op)
        text = f"({lt}){spelled}({rt})"
        if lv is None or rv is None or (op == "/" and rv == 0):
            return text, None
        if op == "+":
            return text, lv + rv
        if op in "-−":
            return text, lv - rv
        if op == "/":
            return text, lv / rv
        return text, lv * rv

    def power(pair, k):
        text, value = pair
        return f"({text})^{k}", None if value is None else value**k

    def negate(pair):
        text, value = pair
        return f"-({text})", None if value is None else -value

    def bars(pair):
        text, value = pair
        return f"|{text}|", None if value is None else Abs(value)

    ops = st.sampled_from(["+", "-", "−", "*", "·", "implicit", "/"])
    return st.one_of(
        st.builds(unary, children, st.sampled_from(_FUNCS)),
        st.builds(binary, children, children, ops),
        st.builds(power, children, st.integers(0, 3)),
        st.builds(negate, children),
        st.builds(bars, children),
    )


_EXPRS = st.recursive(_LEAVES, _extend, max_leaves=8)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(_EXPRS)
def test_fuzz_structured_expressions(pair):
    text, expected = pair
    if expected is None:  # a zero denominator or δ(complex) inside: nothing but ParseError
        _check_parse_outcome(text)
        return
    assert parse(text) == expected, text


# -- bugs found while writing these tests (each test fails until the parser is fixed) ---------


def test_scientific_exponent_is_capped():
    # "1e100000" is a 100001-digit number from an 8-character literal; the digit cap counts
    # only the 6 digits typed. "1e9999999" takes ~9 s and "1e99999999" over a minute.
    with pytest.raises(ParseError):
        parse("1e100000")


def test_scientific_literal_followed_by_a_name_is_not_split_silently():
    # "2t" is 2·t and "1e-3 t" is t/1000, so "1e-3t" must be t/1000 (or refused);
    # it currently parses as e - 3t.
    for text, meant in [("1e-3t", t / 1000), ("2.5e-3t", Rational(1, 400) * t),
                        ("1e-3(t+1)", (t + 1) / 1000)]:
        try:
            result = parse(text)
        except ParseError:
            continue
        assert result == meant, f"{text!r} parsed as {result}"


@pytest.mark.parametrize("text", ["1.2.3", "1..2", "3.14.15"])
def test_malformed_decimal_is_refused(text):
    # "1.2.3" currently parses silently as 1.2·.3 = 9/25
    with pytest.raises(ParseError):
        parse(text)


@pytest.mark.parametrize(
    "text",
    ["1 otherwise; 2 otherwise", "1 otherwise; 2 for t > 0", "1 for t>0; 2 otherwise; 3 for t<0"],
)
def test_branches_after_otherwise_are_refused(text):
    # the branches after "otherwise" are currently dropped without a word
    with pytest.raises(ParseError):
        parse(text)


@pytest.mark.parametrize("text", ["log(0)", "ln(0) + t", "2^(log(0))"])
def test_infinite_or_undefined_values_are_refused(text):
    # 1/0 is refused, but log(0) gives zoo and 2^log(0) gives nan
    with pytest.raises(ParseError):
        parse(text)


SLOW = [
    # bracket-free nesting escapes the depth cap
    "e^" * 4_999 + "t",  # ~10 s, and the result cannot even be printed (RecursionError)
    "t^" * 500 + "t",  # ~2 s, then 'cannot build the expression: maximum recursion depth'
    "√" * 9_999 + "t",  # ~3 s, builds t^(1/2^9999): the exponent cap is bypassed
    # quadratic or worse work in SymPy on short input
    "max(" + ",".join(f"a{i}" for i in range(50)) + ")",  # 194 chars: ~1.7 s; 200 args: ~30 s
    "sqrt(3*(10^9)^300+7)",  # 20 chars: ~1.5 s; with ^1000 instead of ^300: ~280 s
    "+".join(f"a{i}" for i in range(1000)),  # sum of distinct terms, 4889 chars: ~1.5 s
]


@pytest.mark.parametrize("text", SLOW, ids=[repr(s[:24]) for s in SLOW])
def test_slow_input_within_the_limits(text):
    timed_parse(text)


# --------------------------------------------------------------------------
# factorials and binomial coefficients (hypergeometric sequences)
# --------------------------------------------------------------------------
def test_factorials_and_binomials():
    from sympy import binomial, factorial

    n = Symbol("n", integer=True)
    lam_, p = Symbol("l", real=True), Symbol("p", real=True)
    assert parse("l^n e^(-l)/n! u(n)", n) == lam_**n * exp(-lam_) * u(n) / factorial(n)
    assert parse("(n+1)!", n) == factorial(n + 1)
    assert parse("3! n", n) == 6 * n
    assert parse("n!^2", n) == factorial(n) ** 2
    assert parse("binomial(4, n) p^n (1-p)^(4-n)", n) == \
        binomial(4, n) * p**n * (1 - p) ** (4 - n)
    assert parse(r"\binom{4}{n} p^n", n) == binomial(4, n) * p**n
    assert parse("binom(n - 1, 2)", n) == binomial(n - 1, 2)


@pytest.mark.parametrize("text", ["1000000!", "binomial(10^6, 3)", r"\binom{5000}{n}",
                                  "factorial(10^5)"])
def test_huge_factorials_are_refused_before_they_are_computed(text):
    result, _seconds = timed_parse(text)
    assert isinstance(result, ParseError) and "too large" in str(result)


def test_the_time_limit_is_not_turned_into_a_parse_error(monkeypatch):
    # an alarm landing in one of the transformer's callbacks reaches the caller as the
    # TimeLimitError it is (lark wraps it in a VisitError), not as "cannot build the expression"
    from symconv.errors import TimeLimitError
    from symconv.parsing import parser as parser_module

    def timed_out(self, *args):
        raise TimeLimitError(0.5, "the convolution")

    monkeypatch.setattr(parser_module._Build, "number", timed_out)
    with pytest.raises(TimeLimitError):
        parser_module.parse("t + 1", "t")
