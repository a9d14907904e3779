"""Derivations: recorded steps re-check themselves, agree with the engine, render to LaTeX
that a real pdflatex compiles, and the final formula parses back to the result."""

import subprocess
from pathlib import Path

import pytest
from sympy import DiracDelta, Piecewise, Rational, cos, exp, pi, sin, symbols

from symconv import convolve, correlate, parse, rect, tri, u
from symconv.cli import main
from symconv.teaching.check import check_answer
from symconv.teaching.derivation import CaseSplit, Region, derive
from symconv.teaching.render.latex import latex_result

t = symbols("t", real=True)
n = symbols("n", integer=True)
a, b = symbols("a b", positive=True)
GOLDEN = Path(__file__).resolve().parents[1] / "golden"

CASES = {
    "canonical": (2 * exp(-t / 2) * u(t), rect(t - Rational(1, 2)), t),
    "rect_rect": (rect(t), rect(t), t),
    "discrete_pulse": (Rational(1, 2) ** n * u(n), u(n) - u(n - 3), n),
    "symbolic_rates": (exp(-a * t) * u(t), exp(-b * t) * u(t), t),
    "half_wave": (sin(t) * (u(t) - u(t - pi)), u(t), t),
    "gaussian_rect": (exp(-t**2 / 2), rect(t), t),
    "gaussian_exp": (exp(-t**2 / 2) * u(t + 1), exp(-t) * u(t), t),
    # frequencies that are not rational multiples of pi: real antidifferences, and steps
    # that re-check although simplify misses identities such as sin(k + 1 - 2n)
    "cos_n": (cos(n) * Rational(1, 2) ** n * u(n), u(n), n),
    "cos_n_sin_2n": (cos(n) * Rational(1, 2) ** n * u(n), sin(2 * n) * Rational(1, 3) ** n * u(n),
                     n),
}


@pytest.mark.parametrize("name", ["cos_n", "cos_n_sin_2n"])
def test_irrational_frequencies_are_derived_with_real_expressions(name):
    f, g, var = CASES[name]
    d = derive(f, g, var)
    text = d.text()
    assert "I" not in text and "exp(I" not in d.latex()


@pytest.mark.parametrize("name", sorted(CASES))
def test_steps_recheck_and_agree_with_engine(name):
    f, g, var = CASES[name]
    d = derive(f, g, var)
    assert all(step.check() for step in d.steps)
    assert d.result == convolve(f, g, var)


@pytest.mark.parametrize(
    ("f", "g"),
    [
        (tri(t), rect(t - 1)),
        (exp(-t) * u(t), exp(-2 * t) * u(t)),
        (rect(t), exp(-t) * u(t) + DiracDelta(t - 2)),
        (exp(-abs(t)), rect(t)),
    ],
)
def test_region_values_match_the_result(f, g):
    d = derive(f, g, t)
    assert all(step.check() for step in d.steps)
    regions = [s for s in d.steps if isinstance(s, Region)]
    if not f.has(DiracDelta) and not g.has(DiracDelta):
        for r in regions:
            point = r.lo + 1 if r.hi.is_infinite else (r.hi - 1 if r.lo.is_infinite
                                                         else (r.lo + r.hi) / 2)
            assert (r.value - d.result).subs(t, point).evalf(30) == 0


def test_symbolic_derivation_has_a_case_tree():
    d = derive(*CASES["symbolic_rates"])
    split = next(s for s in d.steps if isinstance(s, CaseSplit))
    assert all(s.check() for s in split.equal.steps)
    assert all(s.check() for s in split.otherwise.steps)


def test_correlation_derivation():
    d = derive(rect(t), rect(t - 2), t, kind="correlation")
    assert d.result == correlate(rect(t), rect(t - 2), t)
    assert r"\star" in d.latex()


@pytest.mark.parametrize("name", sorted(CASES))
def test_final_formula_parses_back(name):
    f, g, var = CASES[name]
    d = derive(f, g, var)
    result = d.result
    if isinstance(result, Piecewise) and not result.args[0][1].has(var):  # parameter cases
        result = result.args[-1][0]
    text = latex_result(result, var)
    back = parse(text, var)
    back = back.xreplace({s: next(x for x in result.free_symbols if x.name == s.name)
                          for s in back.free_symbols if s.name in {"a", "b"}})
    assert check_answer(back, reference=result, var=var).correct


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden_latex(name):
    f, g, var = CASES[name]
    doc = derive(f, g, var).latex(document=True)
    path = GOLDEN / f"{name}.tex"
    if not path.exists():  # pragma: no cover - first run writes the golden file
        path.write_text(doc)
    assert doc == path.read_text()


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(CASES))
def test_documents_compile_with_pdflatex(name, tmp_path, pdflatex):
    exe = pdflatex
    f, g, var = CASES[name]
    tex = tmp_path / f"{name}.tex"
    tex.write_text(derive(f, g, var).latex(document=True))
    proc = subprocess.run(
        [exe, "-interaction=nonstopmode", "-halt-on-error", tex.name],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stdout[-2000:]
    assert (tmp_path / f"{name}.pdf").stat().st_size > 1000


def test_text_and_markdown_renderings():
    d = derive(*CASES["canonical"])
    text = d.text()
    assert "Critical values of t: 0, 1" in text and "0 ≤ t < 1" in text
    assert d.text(ascii=True).isascii()
    md = d._repr_markdown_()
    assert "$$" in md and "**Result.**" in md


def test_derivation_is_deterministic():
    f, g, var = CASES["rect_rect"]
    assert derive(f, g, var).latex() == derive(f, g, var).latex()


def test_cli_steps(capsys):
    assert main(["steps", "2 e^(-t/2) u(t)", "rect(t - 1/2)"]) == 0
    out = capsys.readouterr().out
    assert "Region 0 ≤ t < 1:" in out
    assert main(["steps", "rect(t)", "rect(t)", "--latex", "--document"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(r"\documentclass") and r"\end{document}" in out


# -- symbolic breakpoints ---------------------------------------------------------
def test_symbolic_widths_derivation_splits_on_the_order():
    T1, T2 = symbols("T1 T2", positive=True)
    d = derive(rect(t / T1), rect(t / T2), t)
    split = next(s for s in d.steps if isinstance(s, CaseSplit))
    assert str(split.condition) == "T1 < T2"
    # the derivation's result is the engine's, case by case
    y = convolve(rect(t / T1), rect(t / T2), t)
    for values in ({T1: 1, T2: 3}, {T1: 2, T2: 2}, {T1: 3, T2: 1}):
        for x in (Rational(-5, 2), Rational(-3, 2), Rational(-1, 4), Rational(1, 3), 2):
            assert d.result.subs(values).subs(t, x) == y.subs(values).subs(t, x)
    tex = d.latex(document=True)
    assert r"Case $T_{1} < T_{2}$" in tex


def test_symbolic_derivation_with_assume_has_no_split():
    T1, T2 = symbols("T1 T2", positive=True)
    d = derive(rect(t / T1), rect(t / T2), t, assume=[T1 < T2])
    assert not any(isinstance(s, CaseSplit) for s in d.steps)
    regions = [s for s in d.steps if isinstance(s, Region) and s.terms]
    assert len(regions) == 3  # rising edge, plateau T1, falling edge
    assert regions[1].value == T1


def test_convergence_condition_derivation_states_the_divergent_case():
    l1, l2 = symbols("lambda1 lambda2", real=True)
    f, g = exp(l1 * t) * u(t), exp(l2 * t) * u(-t)
    d = derive(f, g, t)
    split = next(s for s in d.steps if isinstance(s, CaseSplit))
    assert str(split.condition) == "lambda1 < lambda2" and split.otherwise is None
    assert "Otherwise: the integral diverges." in d.text()
    assert d.result == convolve(f, g, t)


# -- timeout= --------------------------------------------------------------------------------
def test_timeout_stops_a_slow_derivation():
    import time

    from symconv.errors import TimeLimitError

    a, b = symbols("a b", positive=True)
    start = time.monotonic()
    with pytest.raises(TimeLimitError, match="the derivation did not finish within 0.5 s"):
        derive((t + a) ** 20 * rect(t), (t + b) ** 6 * rect(t), t, timeout=0.5)
    assert time.monotonic() - start < 3


def test_derive_refuses_an_invalid_timeout_and_accepts_a_generous_one():
    from symconv.errors import UnsupportedInputError

    with pytest.raises(UnsupportedInputError, match="positive, finite number of seconds"):
        derive(rect(t), rect(t), t, timeout=-1)
    assert derive(rect(t), rect(t), t, timeout=30).result == convolve(rect(t), rect(t), t)


# ---------------------------------------------------------------------------
# hypergeometric terms: the generating-function product
# ---------------------------------------------------------------------------
def _hyper_cases():
    from sympy import Rational, binomial, exp, factorial, symbols

    from symconv.functions import u

    n = symbols("n", integer=True)
    lam, mu, p = symbols("lambda mu p", positive=True)
    return n, {
        "poisson": (lam**n * exp(-lam) / factorial(n) * u(n),
                    mu**n * exp(-mu) / factorial(n) * u(n)),
        "binomial": (binomial(3, n) * p**n * (1 - p) ** (3 - n),
                     binomial(4, n) * p**n * (1 - p) ** (4 - n)),
        "cumulative": (lam**n * exp(-lam) / factorial(n) * u(n), Rational(1, 2) ** n * u(n)),
    }


@pytest.mark.parametrize("name", ["poisson", "binomial", "cumulative"])
def test_hypergeometric_derivation_rechecks_and_matches_the_engine(name):
    from symconv import convolve
    from symconv.teaching.derivation import GeneratingFunctions

    n, cases = _hyper_cases()
    f, g = cases[name]
    d = derive(f, g, n)
    gf = [s for s in d.steps if isinstance(s, GeneratingFunctions)]
    assert len(gf) == 1 and all(s.check() for s in d.steps)
    assert d.result == convolve(f, g, n)
    if name == "poisson":
        assert "binomial theorem" in gf[0].identities[0][0]
        assert "binomial theorem" in d.text()
    for _name, lhs, rhs in gf[0].identities:  # each identity shown is true
        vals = {s: Rational(k + 2, 3) for k, s in enumerate(sorted(
            (lhs.free_symbols | rhs.free_symbols) - {n}, key=str))}
        for m in range(6):
            at = {**vals, n: m}
            if any(s.name in ("M", "N") for s in vals):
                at.update({s: k + 3 for k, s in enumerate(sorted(vals, key=str))
                           if s.name in ("M", "N")})
            assert lhs.subs(at).doit() == rhs.subs(at)
    if name == "cumulative":
        assert "no closed hypergeometric form" in d.text()
    # a wrong value fails the re-check
    bad = GeneratingFunctions(gf[0].f_ogf, gf[0].g_ogf, gf[0].product, gf[0].z, n,
                              gf[0].value * 2, ())
    assert not bad.check()


def test_hypergeometric_correlation_derivation_is_refused():
    from symconv.errors import UnsupportedInputError

    n, cases = _hyper_cases()
    with pytest.raises(UnsupportedInputError, match="correlation of hypergeometric"):
        derive(*cases["binomial"], n, kind="correlation")


@pytest.mark.slow
@pytest.mark.parametrize("name", ["poisson", "binomial", "cumulative"])
def test_hypergeometric_documents_compile_with_pdflatex(name, tmp_path, pdflatex):
    n, cases = _hyper_cases()
    tex = tmp_path / f"{name}.tex"
    tex.write_text(derive(*cases[name], n).latex(document=True))
    proc = subprocess.run(
        [pdflatex, "-interaction=nonstopmode", "-halt-on-error", tex.name],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stdout[-2000:]
    assert (tmp_path / f"{name}.pdf").stat().st_size > 1000


def test_outside_the_class_the_refusal_says_what_conv_still_knows():
    from symconv import UnsupportedInputError

    with pytest.raises(UnsupportedInputError) as err:
        derive(1 / (1 + t**2), rect(t), t)
    assert "no step-by-step derivation" in str(err.value) and "Cauchy" in str(err.value)
