"""Tests for symconv.teaching.check: the answer checker.

* The corpus (``tests/data/corpus.csv``, ``tests/data/corpus_problems.toml``):
  answers to ten classic problems, correct in many forms (regions, ``u(t)``
  windows, ramps, other algebra, plain text, Unicode, LaTeX) and wrong in each
  of the usual ways (a missing ``u(t)``, a wrong or missing breakpoint, a
  constant factor, a sign, a time shift, a correlation instead of a
  convolution, an expression carried past the end of the overlap), each with
  its expected verdict and a keyword its hints must contain. The corpus runner
  lives in ``tests/data/corpus_accuracy.py`` (also a script that prints the
  accuracy).
* The report itself: regions, witness points, hints, notes, errors.
* Hostile answers: code, huge exponents, deep nesting, very long text,
  unbalanced LaTeX - each a quick ``ParseError``, and no code runs.
* Fuzz (hypothesis): LaTeX-alphabet junk gives nothing but ``ParseError``
  (and the checker nothing but ``SymconvError``); LaTeX, plain text and
  Heaviside forms of one random piecewise signal are judged equal.
* ``symconv check`` on the command line: exit 0 correct, 1 incorrect, 2 bad input.
* Regression tests for the bugs found while writing these tests, and one
  failing test per bug still open (at the end).
"""

from __future__ import annotations

import builtins
import importlib.util
import os
import re
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sympy import Basic, Eq, Float, Rational, exp, oo, symbols
from sympy.core.cache import clear_cache

from symconv.cli import main
from symconv.errors import ParseError, SymconvError, UnsupportedInputError
from symconv.functions import rect, tri, u
from symconv.parsing.parser import make_symbol, parse
from symconv.teaching.check import CheckReport, RegionVerdict, check_answer

DATA = Path(__file__).resolve().parents[1] / "data"

t = make_symbol("t")
n = symbols("n", integer=True)
H = 2 * exp(-t / 2) * u(t)  # the classic example: h = 2 e^(-t/2) u(t), x = rect(t - 1/2)
X = rect(t - Rational(1, 2))
MAIN_RIGHT = "0 for t<0; 4(1-e^(-t/2)) for 0<=t<1; 4(e^(1/2)-1)e^(-t/2) for t>=1"


def _load_corpus_module():
    path = DATA / "corpus_accuracy.py"
    spec = importlib.util.spec_from_file_location("symconv_test_corpus", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


corpus = _load_corpus_module()
ROWS = corpus.load_corpus()
PROBLEMS = corpus.load_problems()


class _OverBudgetError(Exception):
    pass


@contextmanager
def cpu_budget(seconds):
    """Abort the block (``_OverBudgetError``) once this process has used ``seconds`` of CPU."""

    def _alarm(signum, frame):
        raise _OverBudgetError(f"over the CPU budget of {seconds} s")

    old = signal.signal(signal.SIGPROF, _alarm)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, old)


# =============================================================================================
# The corpus
# =============================================================================================
SLIPS = ["missing-step", "breakpoint", "missing-breakpoint", "factor", "sign", "shift", "flipped",
         "overlap-end", "missing-region", "expression"]  # fmt: skip


def test_corpus_is_large_and_covers_every_slip():
    assert len(ROWS) >= 60
    assert {r.problem for r in ROWS} == set(PROBLEMS)
    for name in PROBLEMS:
        verdicts = {r.verdict for r in ROWS if r.problem == name}
        assert verdicts == {"correct", "incorrect"}, name
    labels = {r.label for r in ROWS}
    for slip in SLIPS:
        assert any(lab == f"slip:{slip}" or lab.startswith(f"slip:{slip}-") for lab in labels), slip
    correct = [r for r in ROWS if r.verdict == "correct"]
    assert sum("\\" in r.answer for r in correct) >= 10  # LaTeX
    assert sum("\\" not in r.answer for r in correct) >= 20  # plain text
    assert sum("u(" in r.answer or "u[" in r.answer for r in correct) >= 10  # Heaviside forms
    assert sum(" for " in r.answer or "&" in r.answer for r in correct) >= 10  # regions / cases
    assert all(r.verdict in ("correct", "incorrect") for r in ROWS)
    assert all(bool(r.hint) == (r.verdict == "incorrect") for r in ROWS)
    assert len({(r.problem, r.answer) for r in ROWS}) == len(ROWS)  # no duplicates
    assert any(PROBLEMS[r.problem][2].is_integer for r in ROWS)  # sequences
    assert any(PROBLEMS[r.problem][3] for r in ROWS)  # a symbolic parameter


@pytest.fixture(scope="module")
def outcomes():
    """Every corpus row checked once, shared by the per-row tests and the summary."""
    return corpus.run(ROWS, PROBLEMS)


@pytest.mark.parametrize(
    "index", range(len(ROWS)), ids=[f"{r.problem}-{r.label}-{i}" for i, r in enumerate(ROWS)]
)
def test_corpus_row(outcomes, index):
    o = outcomes[index]
    detail = f"{o.row.answer!r}\n{o.text}"
    assert o.verdict == o.row.verdict, detail
    if o.row.hint:
        assert any(o.row.hint in h for h in o.hints), f"hint {o.row.hint!r} missing for {detail}"


def test_corpus_accuracy(outcomes, capsys):
    lines = corpus.summary(outcomes)
    with capsys.disabled():
        print("\n" + "\n".join(lines))
    verdict_accuracy = sum(o.verdict_ok for o in outcomes) / len(outcomes)
    assert verdict_accuracy >= 0.95  # a floor against regressions; each row is also a test
    assert all(not o.verdict.startswith("crash") for o in outcomes)
    assert max(o.seconds for o in outcomes) < 5


# =============================================================================================
# The report
# =============================================================================================
def test_report_of_a_correct_answer():
    report = check_answer(MAIN_RIGHT, H, X, t)
    assert isinstance(report, CheckReport)
    assert report.correct is True and bool(report)
    assert str(report) == "correct"
    assert report.hints == ()
    assert [(r.lo, r.hi, r.status) for r in report.regions] == [
        (-oo, 0, "agrees"), (0, 1, "agrees"), (1, oo, "agrees"),
    ]  # fmt: skip


def test_report_regions_and_witness_of_a_wrong_answer():
    report = check_answer("4(1-e^(-t/2)) u(t)", H, X, t)
    assert not report
    assert [r.status for r in report.regions] == ["agrees", "agrees", "differs"]
    bad = report.regions[2]
    assert isinstance(bad, RegionVerdict)
    assert (bad.lo, bad.point) == (1, 2)
    assert (bad.expected - 4 * (exp(Rational(1, 2)) - 1) * exp(-1)).equals(0)
    assert (bad.got - 4 * (1 - exp(-1))).equals(0)
    assert bad.describe(t) == "t >= 1"
    text = str(report)
    assert text.startswith("incorrect: agrees on t < 0 and 0 <= t < 1; differs on t >= 1")
    assert "at t = 2: expected 0.9546..., got 2.5285..." in text
    assert "  hint: the answer keeps the expression of 0 <= t < 1 beyond t = 1" in text


def test_missing_and_extra_regions():
    report = check_answer("4(1-e^(-t/2)) for 0<=t<1", H, X, t)
    assert [r.status for r in report.regions] == ["agrees", "agrees", "missing"]
    assert report.regions[2].got == 0
    report = check_answer("1-|t|", rect(t), rect(t), t)
    assert [r.status for r in report.regions] == ["extra", "agrees", "agrees", "extra"]


def test_expressions_strings_and_symbols_are_all_accepted():
    assert check_answer(tri(t), "rect(t)", "rect(t)", "t").correct
    assert check_answer("tri(t)", rect(t), rect(t), t).correct
    assert check_answer(tri(t), reference=tri(t), var=t).correct


def test_reference_replaces_f_and_g():
    assert check_answer("t u(t)", reference="ramp(t)").correct
    assert not check_answer("t", reference="ramp(t)").correct


def test_values_at_breakpoints_do_not_matter_for_signals_but_do_for_sequences():
    assert check_answer("1 for 0 < t < 1", reference="rect(t - 1/2)").correct
    assert check_answer("1 for 0 <= t <= 1", reference="rect(t - 1/2)").correct
    assert check_answer("1 for 0 <= n <= 2", reference="1 for 0 <= n < 3", var=n).correct
    assert not check_answer("1 for 0 < n <= 2", reference="1 for 0 <= n < 3", var=n).correct


def test_integer_variable_by_assumption():
    report = check_answer("(2-(1/2)^n) u(n)", "(1/2)^n u(n)", "u(n)", "n",
                          assumptions={"n": {"integer": True}})
    assert report.correct and report.var.is_integer


def test_correlation_kind():
    corr = "4(1-e^(-1/2))e^(t/2) for t<0; 4 - 4e^(-1/2)e^(t/2) for 0<=t<1"
    assert check_answer(corr, H, X, t, kind="correlation").correct
    report = check_answer(MAIN_RIGHT, H, X, t, kind="correlation")
    assert not report.correct
    assert report.hints[0].startswith("this is the convolution of f and g")


def test_parameter_cases_are_noted():
    ab = {"a": {"positive": True}, "b": {"positive": True}}
    report = check_answer("(e^(-b t) - e^(-a t))/(a - b) u(t)", "e^(-a t) u(t)", "e^(-b t) u(t)",
                          "t", assumptions=ab)
    assert report.correct
    assert report.notes == ("the truth has parameter cases; the answer is compared with the "
                            "generic case",)


def test_impulses_are_compared():
    f, g = "delta(t-1)", "rect(t)"
    assert check_answer("rect(t-1)", f, g, "t").correct
    report = check_answer("rect(t-1) + delta(t)", f, g, "t")
    assert not report.correct and not report.impulses_ok
    assert "impulses differ" in str(report)
    assert all(r.status == "agrees" for r in report.regions)


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"kind": "convolve"}, "use 'convolution' or 'correlation'"),
        ({"var": 3}, "var must be a name or a Symbol"),
        ({"f": None}, "give f and g, or reference="),
        ({"reference": [1, 2]}, "the reference is neither text nor a SymPy expression"),
    ],
)
def test_bad_calls_are_refused_with_a_hint(kwargs, fragment):
    call = {"answer": "tri(t)", "f": "rect(t)", "g": "rect(t)", "var": "t", **kwargs}
    with pytest.raises(UnsupportedInputError, match=re.escape(fragment)):
        check_answer(**call)


def test_an_answer_outside_the_exact_class_is_an_error_not_a_verdict():
    with pytest.raises(UnsupportedInputError, match="must be linear in t"):
        check_answer("e^(t^3) u(t)", H, X, t)
    # a Gaussian factor is in the comparable class: a verdict, not an error
    assert not check_answer("e^(t^2) u(t)", H, X, t).correct
    with pytest.raises(UnsupportedInputError, match="exceeds the limit 1000"):
        check_answer("t^1000 * t^999 * u(t)", H, X, t)


def test_non_text_answers_are_refused_without_evaluation(tmp_path):
    marker = tmp_path / "marker"
    for bad in [f"__import__('os').system('touch {marker}')".encode(), None, [1, 2], object()]:
        with pytest.raises(UnsupportedInputError, match="neither text nor a SymPy expression"):
            check_answer(bad, H, X, t)
    assert not marker.exists()


# =============================================================================================
# Hostile answers
# =============================================================================================
def _code(marker):
    m = str(marker)
    return [
        f"__import__('os').system('touch {m}')",
        f"open('{m}', 'w').write('x')",
        f"exec(\"open('{m}','w')\")",
        f"eval(\"__import__('os').system('touch {m}')\")",
        f"(lambda: open('{m}', 'w'))()",
        f"rect(t) + __import__('pathlib').Path('{m}').touch()",
        f"\\operatorname{{__import__}}('os').system('touch {m}')",
        f"\\text{{open}}('{m}', 'w')",
        f"\\mathrm{{exec}}(\"open('{m}','w')\")",
        "().__class__.__bases__[0].__subclasses__()",
        "t.__class__",
        f"\\input{{{m}}}",
        f"\\immediate\\write18{{touch {m}}}",
    ]


HOSTILE = [
    # huge numbers and exponents
    "10^10^10",
    "10^{10^{10}}",
    "2^2^2^2^2^2",
    "e^(10^10) u(t)",
    "t^(10^9)",
    r"\frac{1}{2}^{10^{10}}",
    "9" * 200,
    # deep nesting
    "(" * 5_000 + "t" + ")" * 5_000,
    r"\left(" * 500 + "t" + r"\right)" * 500,
    "\\frac{" * 300 + "1" + "}{2}" * 300,
    "|" * 3_000 + "t" + "|" * 3_000,
    r"\begin{cases}" * 300,
    # very long
    "t+" * 6_000 + "t",
    "t" * 10**6,
    r"\left(1-e^{-t/2}\right)" * 1_000,
    # unbalanced and broken LaTeX
    r"\begin{cases} 1 & t<0",
    r"\begin{cases} 1 & t<0 \\ 2 & t \ge 0",
    r"\begin{cases} 1 & t<0 \\ 2 & t \ge 0 \end{cases} \end{cases}",
    r"\end{cases}",
    r"\begin{cases}\end{cases}",
    r"\begin{cases",
    r"\begin{matrix} 1 \end{matrix}",
    r"\frac{1}{",
    r"\frac{1}",
    r"\frac",
    r"\frac{}{}",
    r"\frac{1}{0}",
    r"\left( t",
    r"\left( t \right",
    r"\right)",
    r"\left. t \right|",
    r"\sqrt{",
    r"e^{-t/2",
    r"\mathrm{rect",
    r"\text{otherwise",
    r"\text{for}",
    r"\begin",
    "\\",
    "\\" * 5_000,
    r"\sum_{k=0}^{n} k",
    r"\def\x{1}",
    "t\x00",
    "",
    "   ",
]


@pytest.fixture(scope="module", autouse=True)
def _warm():
    """Build the grammar and the truth's caches once, so timings measure the answer."""
    check_answer(MAIN_RIGHT, H, X, t)


@pytest.mark.parametrize("text", HOSTILE, ids=[repr(h[:25]) for h in HOSTILE])
def test_hostile_answer_is_a_quick_parse_error(text):
    clear_cache()
    start = time.process_time()
    with cpu_budget(5), pytest.raises(ParseError) as info:
        check_answer(text, H, X, t)
    assert time.process_time() - start < 1.0
    err = info.value
    assert isinstance(err, SymconvError) and isinstance(err, ValueError)
    assert err.message and 0 <= err.position <= len(err.text)


def test_long_but_valid_answers_are_checked_quickly():
    for text, expected in [("-" * 9_000 + "t", "t"), ("+".join(["t"] * 3_000), "3000 t")]:
        start = time.process_time()
        with cpu_budget(10):
            report = check_answer(text, reference=expected)
        assert report.correct
        assert time.process_time() - start < 2.0


def test_code_in_an_answer_never_runs(tmp_path, monkeypatch):
    marker = tmp_path / "pwned"
    calls = []

    def forbidden(name):
        def guard(*args, **kwargs):
            calls.append(name)
            raise AssertionError(f"{name} called while checking")

        return guard

    monkeypatch.setattr(builtins, "eval", forbidden("eval"))
    monkeypatch.setattr(builtins, "exec", forbidden("exec"))
    monkeypatch.setattr(os, "system", forbidden("os.system"))
    monkeypatch.setattr(subprocess, "Popen", forbidden("subprocess.Popen"))
    for text in _code(marker):
        with pytest.raises(ParseError):
            check_answer(text, H, X, t)
    monkeypatch.undo()
    assert calls == []
    assert not marker.exists()


def test_code_in_the_signals_never_runs(tmp_path):
    marker = tmp_path / "pwned"
    for text in _code(marker)[:6]:
        with pytest.raises(ParseError):
            check_answer("tri(t)", text, "rect(t)", "t")
        with pytest.raises(ParseError):
            check_answer("tri(t)", reference=text)
    assert not marker.exists()


def test_unbalanced_latex_errors_point_at_the_end():
    for text in [r"\begin{cases} 1 & t<0", r"\frac{1}{", r"\left( t"]:
        with pytest.raises(ParseError) as info:
            check_answer(text, H, X, t)
        assert info.value.position == len(text)
        assert "^" in str(info.value).splitlines()[-1]


# =============================================================================================
# Fuzz
# =============================================================================================
_LATEX_TOKENS = [
    r"\begin{cases}", r"\end{cases}", "&", r"\\", r"\frac", r"\dfrac", r"\tfrac", r"\cdot",
    r"\times", r"\left(", r"\right)", r"\left[", r"\right]", r"\left.", r"\right.", r"\left|",
    r"\right|", r"\le", r"\leq", r"\ge", r"\geq", r"\lt", r"\gt", r"\ne", r"\text{otherwise}",
    r"\text{for }", r"\text{if }", r"\text{ and }", r"\mathrm{rect}", r"\operatorname{u}",
    r"\mathrm{u}", r"\operatorname{tri}", r"\sqrt", r"\pi", r"\alpha", r"\tau", r"\Pi",
    r"\Lambda", r"\infty", r"\delta", r"\exp", r"\sin", r"\cos", r"\ln", r"\max", r"\min",
    r"\,", r"\;", r"\!", r"\quad", r"\{", r"\}", r"\|", r"\displaystyle", r"\big(", r"\Big)",
    r"\bigl(", r"\bigr)", r"\wedge", r"\vee", r"\div", r"\ast",
    "e^{", "^{", "^", "_{", "_", "{", "}", "t", "a", "n", "1", "2", "0", "0.5", "1/2", "-", "+",
    "(", ")", "[", "]", "|", "<", ">", "=", ",", ";", " ", "y(t) =", "u(t)", "rect(t)",
]  # fmt: skip
_LATEX_JUNK = [
    r"\foo", "\\", "%", "$", "#", "~", r"\begin{matrix}", r"\end", r"\begin", r"\text{",
    r"\text{}", r"\mathrm{}", r"\mathrm{__import__}", "\x00", "é", "²", "\n", "\t", r"\frac12",
    r"\sqrt[3]{t}", "'", '"', "@", "__import__", "os", ".system(", "lambda", r"\input{x}",
]  # fmt: skip


def _outcome(text):
    """Parse and check ``text``; only ParseError (parse) and SymconvError (check) may escape."""
    try:
        expr = parse(text)
    except ParseError as err:
        assert err.message and isinstance(err.hint, str)
        assert 0 <= err.position <= len(err.text)
        return
    assert isinstance(expr, Basic)
    try:
        report = check_answer(expr, reference="tri(t)", var=t)
    except SymconvError:
        return
    assert isinstance(report, CheckReport)
    assert all(r.status in ("agrees", "differs", "missing", "extra") for r in report.regions)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_LATEX_TOKENS + _LATEX_JUNK), max_size=24).map("".join))
def test_fuzz_latex_tokens(text):
    _outcome(text)


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_LATEX_TOKENS), min_size=1, max_size=12).map(" ".join))
def test_fuzz_latex_tokens_without_junk(text):
    _outcome(text)


# One random piecewise signal written three ways: LaTeX cases, plain-text regions and a sum of
# windows u(t - a) - u(t - b). The checker must find all three equal, and a copy with one piece
# doubled wrong only where that piece lies (the truth's regions are merged where neighbouring
# pieces share an expression, so a wrong region may be wider than the piece).
_EXPRS = [
    ("t", "t"),
    (r"\frac{1}{2}", "1/2"),
    ("e^{-t}", "e^(-t)"),
    (r"2\left(1-e^{-t/2}\right)", "2(1-e^(-t/2))"),
    ("t^{2}", "t^2"),
    (r"\frac{t}{3}", "t/3"),
    (r"-\frac{3}{2} \cdot t", "-3/2 t"),
    (r"\left(t-1\right) e^{2t}", "(t-1) e^(2t)"),
    (r"\sin\left(t\right)", "sin(t)"),
    (r"3 - \left| t \right|", "3 - |t|"),
]


def _latex_number(q):
    q = Fraction(q)
    if q.denominator == 1:
        return str(q.numerator)
    sign = "-" if q < 0 else ""
    return rf"{sign}\frac{{{abs(q.numerator)}}}{{{q.denominator}}}"


@st.composite
def _piecewise_signals(draw):
    k = draw(st.integers(1, 4))
    cuts = sorted(draw(st.sets(st.fractions(-3, 3, max_denominator=4), min_size=k + 1,
                               max_size=k + 1)))
    exprs = [draw(st.sampled_from(_EXPRS)) for _ in range(k)]
    return list(zip(cuts, cuts[1:], exprs, strict=False))


def _forms(pieces):
    rows = [rf"{lx} & {_latex_number(a)} \le t < {_latex_number(b)}" for a, b, (lx, _p) in pieces]
    latex = r"\begin{cases} " + r" \\ ".join(rows) + r" \\ 0 & \text{otherwise} \end{cases}"
    plain = "; ".join(f"{p} for {a} <= t < {b}" for a, b, (_lx, p) in pieces)
    windows = " + ".join(f"({p})(u(t - ({a})) - u(t - ({b})))" for a, b, (_lx, p) in pieces)
    return latex, plain, windows


@settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow])
@given(_piecewise_signals(), st.data())
def test_latex_plain_and_heaviside_forms_agree(pieces, data):
    latex, plain, windows = _forms(pieces)
    assert check_answer(latex, reference=plain, var=t).correct, (latex, plain)
    assert check_answer(windows, reference=latex, var=t).correct, (windows, latex)
    i = data.draw(st.integers(0, len(pieces) - 1))
    wrong_plain = "; ".join(f"{'2*' if j == i else ''}({p}) for {a} <= t < {b}"
                            for j, (a, b, (_lx, p)) in enumerate(pieces))
    report = check_answer(wrong_plain, reference=latex, var=t)
    assert not report.correct
    a, b, _e = pieces[i]
    lo, hi = Rational(a.numerator, a.denominator), Rational(b.numerator, b.denominator)
    bad = [r for r in report.regions if r.status != "agrees"]
    assert bad and all(r.lo < hi and lo < r.hi for r in bad), (wrong_plain, str(report))


# =============================================================================================
# symconv check on the command line
# =============================================================================================
@pytest.mark.parametrize(
    ("answer", "code", "fragment"),
    [
        ("4(1-e^(-t/2))(u(t)-u(t-1)) + 4(e^(1/2)-1)e^(-t/2) u(t-1)", 0, "correct"),
        (r"\begin{cases} 4\left(1-e^{-t/2}\right) & 0 \le t < 1 \\ "
         r"4\left(e^{1/2}-1\right)e^{-t/2} & t \ge 1 \end{cases}", 0, "correct"),
        ("4(1-e^(-t/2)) u(t)", 1, "hint: the answer keeps the expression"),
        ("-4(1-e^(-t/2)) for 0<=t<1; -4(e^(1/2)-1)e^(-t/2) for t>=1", 1, "sign error"),
        (r"\frac{1}{", 2, "error in the answer: unbalanced parenthesis"),
        ("__import__('os').system('true')", 2, "error in the answer: unexpected character '_'"),
        ("10^10^10", 2, "exponent 10000000000 is too large"),
    ],
)
def test_cli_check_exit_codes(capsys, answer, code, fragment):
    assert main(["check", "2 e^(-t/2) u(t)", "rect(t - 1/2)", answer]) == code
    out, err = capsys.readouterr()
    assert fragment in (out if code < 2 else err)


def test_cli_check_with_parameters_and_kind(capsys):
    assert main(["check", "e^(-a t) u(t)", "u(t)", "(1-e^(-a t))/a u(t)", "--assume", "a>0"]) == 0
    assert main(["check", "e^(-t) u(t)", "u(t)", "e^t for t<0; 1 for t>=0",
                 "--kind", "correlation"]) == 0
    assert main(["check", "e^(-t) u(t)", "u(t)", "e^t for t<0; 1 for t>=0"]) == 1
    assert "cross-correlation" in capsys.readouterr().out


def test_cli_check_in_a_subprocess():
    cmd = [sys.executable, "-m", "symconv", "check", "rect(t)", "rect(t)"]
    done = subprocess.run([*cmd, "1-|t| for |t|<1"], capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stdout.strip()) == (0, "correct")
    done = subprocess.run([*cmd, r"\left( t"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "unbalanced parenthesis" in done.stderr


# =============================================================================================
# Regression tests: bugs found while writing these tests, fixed in a859966
# (the corpus rows boxbox/form:abs, boxbox/form:other-split, boxbox/form:zero-value-at-the-end,
# rectexp/form:sinh, rectrect/slip:overlap-end and boxbox/slip:overlap-end failed for these)
# =============================================================================================
def test_sequences_equal_on_every_integer_of_a_region_are_equal():
    # 3 and n + 1 are different expressions but the same sequence on the single index n = 2.
    assert check_answer("3 for n=2", reference="n+1 for n=2", var=n).correct
    right = "n+1 for 0<=n<=2; 5-n for 3<=n<=4"  # [1, 2, 3, 2, 1] split at another index
    assert check_answer(right, "u(n) - u(n-3)", "u(n) - u(n-3)", n).correct
    right = "n+1 for 0<=n<=1; 5-n for 2<=n<=5"  # 5 - n is 0 at n = 5
    assert check_answer(right, "u(n) - u(n-3)", "u(n) - u(n-3)", n).correct


def test_hyperbolic_functions_of_constants_are_exact():
    assert check_answer("2 sinh(1/2) u(t)", reference="(e^(1/2)-e^(-1/2)) u(t)").correct
    assert check_answer("cosh(1) u(t)", reference="(e+e^(-1))/2 u(t)").correct


def test_overlap_hint_also_when_the_result_is_zero_after_the_overlap():
    # forgetting that the overlap of rect * rect ends at t = 1: the same slip as 4(1-e^(-t/2)) u(t)
    # in the classic example, but the hint was "wrong breakpoints" instead of the overlap hint
    report = check_answer("t+1 for -1<=t<0; 1-t for t>=0", "rect(t)", "rect(t)", "t")
    assert "overlap" in " ".join(report.hints), report.hints


# =============================================================================================
# Open bugs found while writing these tests: each test fails until the checker is fixed.
# =============================================================================================
def test_a_constant_with_e_in_a_denominator_is_a_constant():
    # raises UnsupportedInputError: "the expression is nested too deeply to convert"
    assert check_answer("u(t)/(e+1)", reference="u(t)/(1+e)").correct
    assert check_answer("(e-1)/(e+1) e^(-t) u(t)", reference="(e-1)/(e+1) e^(-t) u(t)").correct


def test_a_power_of_e_is_a_constant_factor():
    for factor in ["e", "e^2", "e^(1/2)"]:
        report = check_answer(f"{factor} (1-e^(-t)) u(t)", "e^(-t) u(t)", "u(t)", "t")
        assert "constant factor" in report.hints[0], (factor, report.hints)


def test_missing_step_hint_writes_a_negative_start_as_a_plus():
    report = check_answer("1-|t|", "rect(t)", "rect(t)", "t")
    assert any("u(t + 1)" in h for h in report.hints), report.hints  # said "u(t - -1)"
    assert not any("- -" in h for h in report.hints)


def test_the_witness_of_a_differing_region_shows_different_values():
    report = check_answer("t", reference="t^3")
    (region,) = report.regions
    assert region.status == "differs"
    assert region.expected != region.got, str(report)  # "at t = 0: expected 0, got 0"


def test_huge_witness_values_are_not_printed_as_inf():
    text = str(check_answer("3^1000 u(t)", reference="u(t)"))
    assert "inf" not in text, text  # "at t = 1: expected 1, got inf"


def test_a_float_in_an_expression_is_converted_exactly_or_named_in_the_error():
    # STYLE.md, convention 3. Now: "cannot convert t + 1: the breakpoint or sign depends on
    # 1.00000000000000" - about the truth's breakpoint, not the float in the answer.
    try:
        report = check_answer(Float(1.0) * tri(t), rect(t), rect(t), t)
    except UnsupportedInputError as err:
        assert "float" in str(err).lower(), str(err)
    else:
        assert report.correct


# -- symbolic breakpoints ---------------------------------------------------------
def test_symbolic_width_answers_are_checked_region_by_region():
    T = symbols("T", positive=True)
    f = g = rect(t / T)
    assert check_answer(T * tri(t / T), f, g, t).correct
    report = check_answer(tri(t / T), f, g, t)
    assert not report.correct
    assert any("factor" in h and "1/T" in h for h in report.hints)
    wide = check_answer(T * tri(t / (2 * T)), f, g, t)
    assert not wide.correct
    assert any("breakpoint" in h and "2*T" in h for h in wide.hints)


def test_constant_breakpoints_are_checked_and_hinted():
    f, g = "sin(t)(u(t) - u(t - pi))", "u(t)"
    assert check_answer("(1 - cos(t)) (u(t) - u(t - pi)) + 2 u(t - pi)", f, g, t).correct
    wrong = check_answer("(1 - cos(t)) u(t)", f, g, t)
    assert not wrong.correct
    assert any("breakpoint at t = pi" in h for h in wrong.hints)


# -- timeout= --------------------------------------------------------------------------------
def test_timeout_stops_computing_a_slow_truth():
    from symconv.errors import TimeLimitError

    a, b = symbols("a b", positive=True)
    start = time.monotonic()
    with pytest.raises(TimeLimitError, match="checking the answer did not finish within 0.5 s"):
        check_answer("0", (t + a) ** 20 * rect(t), (t + b) ** 6 * rect(t), t, timeout=0.5)
    assert time.monotonic() - start < 3


def test_check_answer_refuses_an_invalid_timeout_and_accepts_a_generous_one():
    with pytest.raises(UnsupportedInputError, match="positive, finite number of seconds"):
        check_answer(MAIN_RIGHT, H, X, t, timeout=float("nan"))
    assert check_answer(MAIN_RIGHT, H, X, t, timeout=30).correct


# -- relations between parameters: assume=[T1 < T2], --assume "0<T1<T2" -----------------------
T1, T2 = symbols("T1 T2", positive=True)
BOX1, BOX2 = u(t) - u(t - T1), u(t) - u(t - T2)
BOXES_RIGHT = "t for 0<=t<T1; T1 for T1<=t<T2; T1+T2-t for T2<=t<T1+T2; 0 otherwise"
BOXES_WRONG = {  # answer, the region named, a word of the hint
    "wrong piece": ("t for 0<=t<T1; T2 for T1<=t<T2; T1+T2-t for T2<=t<T1+T2; 0 otherwise",
                    "differs on T1 <= t < T2", "differs on T1 <= t < T2"),
    "wrong breakpoint": ("t for 0<=t<T1; T1 for T1<=t<T2; T1+T2-t for T2<=t<2T2; 0 otherwise",
                         "extra on t >= T1 + T2", "expected a breakpoint at t = T1 + T2"),
    "T1 and T2 swapped": ("t for 0<=t<T2; T2 for T2<=t<T1; T1+T2-t for T1<=t<T1+T2; 0 otherwise",
                          "differs on T1 <= t < T2", "expected a breakpoint at t = T1"),
    "overlap end missed": ("t for 0<=t<T1; T1 for T1<=t<T1+T2; 0 otherwise",
                           "differs on T2 <= t < T1 + T2", "expected a breakpoint at t = T2"),
}


def _box_overlap(tv, t1, t2):
    """∫ f(τ) g(t - τ) dτ for the boxes [0, t1) and [0, t2), by mpmath quadrature."""
    import mpmath

    lo, hi = max(0, tv - t2), min(t1, tv)
    if hi <= lo:
        return mpmath.mpf(0)
    return mpmath.quad(lambda _tau: 1, [lo, hi])


def test_the_reference_answer_of_the_boxes_is_the_convolution():
    """The answer the tests below call right is right: at T1 = 1/2, T2 = 3/2, against
    quadrature of the defining integral (not the engine), at points in every region."""
    import mpmath

    expr = parse(BOXES_RIGHT, t, assumptions={"T1": {"positive": True},
                                              "T2": {"positive": True}})
    values = {T1: Rational(1, 2), T2: Rational(3, 2)}
    for tv in [Rational(k, 8) for k in range(-4, 20)]:
        got = expr.xreplace(values).subs(t, tv)
        assert abs(mpmath.mpf(float(got)) - _box_overlap(tv, 0.5, 1.5)) < 1e-12, tv


def test_relations_order_the_regions_and_accept_the_right_answer():
    assert check_answer(BOXES_RIGHT, BOX1, BOX2, t, assume=[T1 < T2]).correct
    ramp_form = "t u(t) - (t-T1) u(t-T1) - (t-T2) u(t-T2) + (t-T1-T2) u(t-T1-T2)"
    assert check_answer(ramp_form, BOX1, BOX2, t, assume=[T1 < T2]).correct
    # text signals and a chained relation spelled as SymPy relations
    report = check_answer(BOXES_RIGHT, "u(t) - u(t-T1)", "u(t) - u(t-T2)", t,
                          assumptions={"T1": {"positive": True}, "T2": {"positive": True}},
                          assume=[T1 < T2])
    assert report.correct
    # an equality is substituted as convolve does: T2 = 2 T1, also when two inequalities
    # force it (else 3T1 - t and T1 + T2 - t would differ as data)
    doubled = "t for 0<=t<T1; T1 for T1<=t<2T1; 3T1-t for 2T1<=t<3T1; 0 otherwise"
    assert check_answer(doubled, BOX1, BOX2, t, assume=[Eq(T2, 2 * T1)]).correct
    assert check_answer(doubled, BOX1, BOX2, t, assume=[T2 >= 2 * T1, T2 <= 2 * T1]).correct
    assert not check_answer(doubled, BOX1, BOX2, t, assume=[T2 >= 2 * T1]).correct


@pytest.mark.parametrize("slip", sorted(BOXES_WRONG))
def test_relations_reject_wrong_answers_naming_the_region(slip):
    answer, region, hint = BOXES_WRONG[slip]
    report = check_answer(answer, BOX1, BOX2, t, assume=[T1 < T2])
    assert not report.correct
    assert region in str(report)
    assert any(hint in h for h in report.hints), report.hints


def test_the_answer_for_the_other_order_is_wrong_under_this_one():
    flipped = check_answer(BOXES_RIGHT, BOX1, BOX2, t, assume=[T2 < T1])
    assert not flipped.correct
    assert "T2 <= t < T1" in str(flipped)


def test_an_undecided_order_asks_for_the_relation():
    with pytest.raises(SymconvError, match=r'--assume "T1 < T2"'):
        check_answer(BOXES_RIGHT, BOX1, BOX2, t)


def test_integer_ends_are_compared_in_each_case():
    """For integers N < M the region N ≤ n < M - 1 is empty when M = N + 1: the answer is
    compared in both cases, and a verdict names the case it fails in."""
    N, M = symbols("N M", integer=True, positive=True)
    f, g = u(n) - u(n - N), u(n) - u(n - M)
    right = ["n+1 for 0<=n<N; N for N<=n<M-1; N+M-1-n for M-1<=n<N+M-1; 0 otherwise",
             "n+1 for 0<=n<N; N for N<=n<M; N+M-1-n for M<=n<N+M-1; 0 otherwise"]
    for answer in right:
        assert check_answer(answer, f, g, n, assume=[N < M]).correct, answer
    wrong = check_answer("n+1 for 0<=n<N; N for N<=n<M; N+M-n for M<=n<N+M-1; 0 otherwise",
                         f, g, n, assume=[N < M])
    assert not wrong.correct
    assert "M - 1 <= n < M + N - 1" in str(wrong)
    assert any("case M > N + 1 and N > 1" in note for note in wrong.notes)
    # the truth itself, by direct sums at N = 3, M = 5
    values = {N: 3, M: 5}
    expr = parse(right[0], n, assumptions={"N": {"integer": True, "positive": True},
                                           "M": {"integer": True, "positive": True}})
    box = [1, 1, 1]
    other = [1, 1, 1, 1, 1]
    direct = [sum(box[k] * other[m - k] for k in range(3) if 0 <= m - k < 5)
              for m in range(-2, 10)]
    assert [expr.xreplace(values).subs(n, m) for m in range(-2, 10)] == direct


def test_cli_check_takes_relations(capsys):
    args = ["check", "u(t) - u(t-T1)", "u(t) - u(t-T2)"]
    assert main([*args, BOXES_RIGHT, "--assume", "0<T1<T2"]) == 0
    assert capsys.readouterr().out.strip() == "correct"
    assert main([*args, BOXES_WRONG["overlap end missed"][0], "--assume", "0<T1<T2"]) == 1
    assert "differs on T2 <= t < T1 + T2" in capsys.readouterr().out
    assert main([*args, BOXES_RIGHT, "--assume", "T1>0, T2>0"]) == 1
    assert '--assume "T1 < T2"' in capsys.readouterr().err


def test_cli_check_with_relations_in_a_subprocess():
    cmd = [sys.executable, "-m", "symconv", "check", "u(t) - u(t-T1)", "u(t) - u(t-T2)"]
    done = subprocess.run([*cmd, BOXES_RIGHT, "--assume", "0<T1<T2"], capture_output=True,
                          text=True, timeout=120)
    assert (done.returncode, done.stdout.strip(), done.stderr) == (0, "correct", "")
    swapped = BOXES_WRONG["T1 and T2 swapped"][0]
    done = subprocess.run([*cmd, swapped, "--assume", "0<T1<T2"], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 1
    assert "differs on T1 <= t < T2" in done.stdout and "hint:" in done.stdout
