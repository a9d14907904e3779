"""Tests for symconv.numeric (verify, breakpoints_of, reports): the independent numeric checker.

The closed forms here were derived by hand from the definition
``(f*g)(t) = ∫ f(τ) g(t−τ) dτ``; each test names the derivation briefly.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import mpmath
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy import (
    Abs,
    DiracDelta,
    Eq,
    Function,
    Heaviside,
    Integer,
    Max,
    Min,
    Piecewise,
    Rational,
    S,
    Symbol,
    exp,
    floor,
    sqrt,
    symbols,
)

from symconv.errors import DivergenceError, SymconvError, UnsupportedInputError
from symconv.functions import ramp, rect, tri, u
from symconv.numeric.breakpoints import breakpoints_of
from symconv.numeric.quadrature import numeric_convolution, verify
from symconv.numeric.report import ImpulseCheck, PointCheck, VerifyReport

t = symbols("t", real=True)
HALF = S.Half

# 2 e^{-t/2} u(t) * rect(t - 1/2): the integral runs over max(0, t-1) < τ < t, so
#   t < 0: 0;  0 <= t < 1: ∫_0^t 2e^{-τ/2} dτ = 4 - 4e^{-t/2};
#   t >= 1: ∫_{t-1}^t 2e^{-τ/2} dτ = 4(e^{1/2} - 1) e^{-t/2}.
CANON_F = 2 * exp(-t / 2) * u(t)
CANON_G = rect(t - HALF)
CANON = Piecewise(
    (0, t < 0),
    (4 - 4 * exp(-t / 2), t < 1),
    (4 * (exp(HALF) - 1) * exp(-t / 2), True),
)


# --------------------------------------------------------------------------
# Known closed forms
# --------------------------------------------------------------------------


def test_rect_rect_is_tri():
    report = verify(tri(t), rect(t), rect(t), t)
    assert report.ok and bool(report)
    assert report.impulses_ok and report.impulses == ()
    assert report.regions == 4  # (-oo,-1), (-1,0), (0,1), (1,oo)


def test_canonical_example():
    report = verify(CANON, CANON_F, CANON_G, t)
    assert report.ok
    assert report.max_error < mpmath.mpf(10) ** -22
    assert report.params == {}


def test_canonical_example_commuted():
    assert verify(CANON, CANON_G, CANON_F, t).ok


def test_canonical_example_forgotten_region_fails_there():
    # The t >= 1 branch is forgotten: the t < 1 formula is used for all t >= 0.
    wrong = Piecewise((0, t < 0), (4 - 4 * exp(-t / 2), True))
    report = verify(wrong, CANON_F, CANON_G, t)
    assert not report.ok and not bool(report)
    failing = [p for p in report.points if not p.ok]
    passing = [p for p in report.points if p.ok]
    assert failing and all(p.t > 1 for p in failing)
    assert passing and all(p.t < 1 for p in passing)
    # every region before the mistake was checked and agreed
    assert any(p.t < 0 for p in passing) and any(0 < p.t < 1 for p in passing)


def test_canonical_example_wrong_constant_fails():
    wrong = Piecewise(
        (0, t < 0), (4 - 4 * exp(-t / 2), t < 1), (4 * (exp(1) - 1) * exp(-t / 2), True)
    )
    assert not verify(wrong, CANON_F, CANON_G, t).ok


def test_step_step_is_ramp():
    # ∫_0^t dτ = t for t > 0
    assert verify(t * u(t), u(t), u(t), t).ok
    assert verify(ramp(t), u(t), u(t), t).ok
    assert not verify(t, u(t), u(t), t).ok  # forgets u(t): wrong for t < 0


def test_two_exponentials():
    # ∫_0^t e^{-τ} e^{-2(t-τ)} dτ = e^{-2t}(e^{t} - 1)
    result = (exp(-t) - exp(-2 * t)) * u(t)
    assert verify(result, exp(-t) * u(t), exp(-2 * t) * u(t), t).ok


def test_two_sided_exponentials():
    # e^{-|t|} * e^{-|t|} = (1 + |t|) e^{-|t|}; supports are infinite on both sides.
    report = verify((1 + Abs(t)) * exp(-Abs(t)), exp(-Abs(t)), exp(-Abs(t)), t)
    assert report.ok
    assert not verify((1 + t) * exp(-Abs(t)), exp(-Abs(t)), exp(-Abs(t)), t).ok


def test_trapezoid_from_two_boxes():
    # (u(t) - u(t-2)) * (u(t) - u(t-3)): ramps at 0, 2, 3, 5
    result = ramp(t) - ramp(t - 2) - ramp(t - 3) + ramp(t - 5)
    report = verify(result, u(t) - u(t - 2), Heaviside(t, 0) - Heaviside(t - 3, 1), t)
    assert report.ok and report.regions == 5


def test_scaled_and_reflected_arguments():
    # rect((t-2)/3) * rect(t/3) = 3 tri((t-2)/3): widths 3, centres 2 and 0
    assert verify(3 * tri((t - 2) / 3), rect((t - 2) / 3), rect(t / 3), t).ok
    # e^{t}u(-t) * e^{-t}u(t) = e^{-t} ∫_{-oo}^{min(0,t)} e^{2τ} dτ
    result = Piecewise((exp(t) / 2, t < 0), (exp(-t) / 2, True))
    assert verify(result, exp(t) * u(-t), exp(-t) * u(t), t).ok


def test_gaps_in_the_support():
    # rect(t) + rect(t-10) has a zero gap, skipped by the quadrature
    f = rect(t) + rect(t - 10)
    assert verify(tri(t) + tri(t - 10), f, rect(t), t).ok
    assert numeric_convolution(f, rect(t), t, 10) == 1
    assert not verify(tri(t), f, rect(t), t).ok


def _tri_integral(x):
    """∫_{-oo}^x tri."""
    return Piecewise(
        (0, x < -1), ((1 + x) ** 2 / 2, x < 0), (1 - (1 - x) ** 2 / 2, x < 1), (1, True)
    )


def test_abs_min_max_inputs():
    # tri * rect = ∫_{t-1/2}^{t+1/2} tri, with tri written three ways
    result = _tri_integral(t + HALF) - _tri_integral(t - HALF)
    for f in (tri(t), Max(0, 1 - Abs(t)), Min(1 + t, 1 - t) * Heaviside(1 - Abs(t))):
        assert verify(result, f, rect(t), t).ok, f
    assert not verify(result, Max(0, 1 - 2 * Abs(t)), rect(t), t).ok


def test_integrable_endpoint_singularity():
    # f = τ^{-1/2} on (0, 1), g = u: ∫_0^{min(t,1)} τ^{-1/2} dτ = 2 sqrt(min(t, 1))
    f = Piecewise((1 / sqrt(t), (t > 0) & (t < 1)), (0, True))
    result = Piecewise((0, t < 0), (2 * sqrt(t), t < 1), (2, True))
    report = verify(result, f, u(t), t)
    assert report.ok, str(report)


# --------------------------------------------------------------------------
# Impulses
# --------------------------------------------------------------------------


def test_shifted_delta_shifts():
    # δ(t-2) * f = f(t-2)
    f = exp(-t) * u(t)
    assert verify(f.subs(t, t - 2), DiracDelta(t - 2), f, t).ok
    assert verify(tri(t - 2), tri(t), DiracDelta(t - 2), t).ok
    assert not verify(f, DiracDelta(t - 2), f, t).ok


def test_delta_prime_times_step_is_delta():
    report = verify(DiracDelta(t), DiracDelta(t, 1), u(t), t)
    assert report.ok and report.impulses_ok
    assert len(report.impulses) == 1
    check = report.impulses[0]
    assert isinstance(check, ImpulseCheck)
    assert (check.at, check.order) == (0, 0)
    assert check.expected == 1 and check.got == 1
    # the regular part of the result is zero everywhere
    assert all(p.expected == 0 and p.got == 0 for p in report.points)


def test_wrong_impulses_are_reported():
    double = verify(2 * DiracDelta(t), DiracDelta(t, 1), u(t), t)
    assert not double.ok and not double.impulses_ok
    assert [(c.expected, c.got) for c in double.impulses] == [(1, 2)]
    assert all(p.ok for p in double.points)  # regular part is fine
    missing = verify(S.Zero, DiracDelta(t, 1), u(t), t)
    assert not missing.impulses_ok and missing.impulses[0].got == 0
    extra = verify(DiracDelta(t) + DiracDelta(t - 5), DiracDelta(t, 1), u(t), t)
    bad = [c for c in extra.impulses if not c.ok]
    assert not extra.ok and [(c.at, c.expected, c.got) for c in bad] == [(5, 0, 1)]
    assert "impulse" in str(extra)


def test_delta_times_delta():
    # δ(t-1) * δ(t-2) = δ(t-3); δ' * δ' = δ''
    assert verify(DiracDelta(t - 3), DiracDelta(t - 1), DiracDelta(t - 2), t).ok
    assert verify(DiracDelta(t, 2), DiracDelta(t, 1), DiracDelta(t, 1), t).ok
    assert not verify(DiracDelta(t - 2), DiracDelta(t - 1), DiracDelta(t - 2), t).ok


def test_second_derivative_of_triangle():
    # δ'' * tri = tri'' = δ(t+1) - 2δ(t) + δ(t-1) (jumps of tri' at -1, 0, 1)
    result = DiracDelta(t + 1) - 2 * DiracDelta(t) + DiracDelta(t - 1)
    report = verify(result, DiracDelta(t, 2), tri(t), t)
    assert report.ok and len(report.impulses) == 3


def test_weighted_and_scaled_impulses():
    # e^{-t} δ(t-2) = e^{-2} δ(t-2) (sifting)
    assert verify(
        exp(-2) * exp(-(t - 2)) * u(t - 2), exp(-t) * DiracDelta(t - 2), exp(-t) * u(t), t
    ).ok
    # δ(2t-2) = δ(t-1)/2
    assert verify(rect(t - 1) / 2, DiracDelta(2 * t - 2), rect(t), t).ok
    # δ'(2t-2) = δ'(t-1)/4, and δ' * rect = δ(t+1/2) - δ(t-1/2)
    result = (DiracDelta(t - HALF) - DiracDelta(t - Rational(3, 2))) / 4
    assert verify(result, DiracDelta(2 * t - 2, 1), rect(t), t).ok
    # t δ'(t) = -δ(t) (product rule), so t δ'(t) * u = -u
    assert verify(-u(t), t * DiracDelta(t, 1), u(t), t).ok


def test_impulse_inside_piecewise_result():
    result = Piecewise((DiracDelta(t - 3), t > 0), (0, True)) + 0 * t
    assert verify(result, DiracDelta(t - 1), DiracDelta(t - 2), t).ok


# --------------------------------------------------------------------------
# Correlation
# --------------------------------------------------------------------------


def test_correlation_of_shifted_rects():
    # ∫ rect(τ-1) rect(τ+t) dτ: boxes centred at 1 and -t overlap as tri(t+1)
    f, g = rect(t - 1), rect(t)
    assert verify(tri(t + 1), f, g, t, kind="correlation").ok
    assert not verify(tri(t - 1), f, g, t, kind="correlation").ok
    assert verify(tri(t - 1), f, g, t).ok  # that one is the convolution


def test_correlation_with_impulse_derivative():
    # ∫ δ'(τ-1) u(τ+t) dτ = -δ(t+1)
    assert verify(-DiracDelta(t + 1), DiracDelta(t - 1, 1), u(t), t, kind="correlation").ok


# --------------------------------------------------------------------------
# Parameters
# --------------------------------------------------------------------------


def test_positive_parameter_is_chosen_and_recorded():
    a = symbols("a", positive=True)
    # ∫_0^t e^{-aτ} dτ = (1 - e^{-at})/a
    report = verify((1 - exp(-a * t)) / a * u(t), exp(-a * t) * u(t), u(t), t)
    assert report.ok
    assert dict(report.params) == {a: Rational(7, 10)}
    assert "a = 7/10" in str(report)
    assert not verify((1 - exp(-a * t)) * u(t), exp(-a * t) * u(t), u(t), t).ok


def test_parameter_values_follow_assumptions_and_are_distinct():
    a, b = symbols("a b", positive=True)
    c = Symbol("c", negative=True)
    n = Symbol("n", integer=True, positive=True)
    z = Symbol("z")
    f = exp(c * t) * u(t) * z
    g = n * z * u(t) * (a + b)
    # ∫_0^t e^{cτ} dτ = (e^{ct} - 1)/c
    result = n * z**2 * (a + b) * (exp(c * t) - 1) / c * u(t)
    report = verify(result, f, g, t)
    assert report.ok, str(report)
    values = report.params
    assert set(values) == {a, b, c, n, z}
    assert values[a] > 0 and values[b] > 0 and values[c] < 0
    assert values[n].is_integer and values[n] > 0
    assert len(set(values.values())) == 5


def test_given_params_are_used_by_symbol_or_name():
    c = Symbol("c", negative=True)
    result = (1 - exp(c * t)) * u(t)  # for c = -1: ∫_0^t e^{-τ} dτ
    assert verify(result, exp(c * t) * u(t), u(t), t, params={c: -1}).ok
    assert verify(result, exp(c * t) * u(t), u(t), t, params={"c": -1}).ok
    assert not verify(result, exp(c * t) * u(t), u(t), t, params={"c": -2}).ok


def test_outer_piecewise_on_parameters():
    a, b = symbols("a b", positive=True)
    f, g = exp(-a * t) * u(t), exp(-b * t) * u(t)
    equal = t * exp(-a * t) * u(t)  # a = b: ∫_0^t e^{-aτ} e^{-a(t-τ)} dτ = t e^{-at}
    different = (exp(-a * t) - exp(-b * t)) / (b - a) * u(t)
    result = Piecewise((equal, Eq(a, b)), (different, True))
    chosen = verify(result, f, g, t)
    assert chosen.ok and chosen.params[a] != chosen.params[b]
    assert verify(result, f, g, t, params={a: 1, b: 1}).ok
    wrong = Piecewise((2 * equal, Eq(a, b)), (different, True))
    assert verify(wrong, f, g, t).ok  # the a = b branch is not reached...
    assert not verify(wrong, f, g, t, params={a: 1, b: 1}).ok  # ...unless asked for


def test_params_errors():
    c = Symbol("c", negative=True)
    with pytest.raises(UnsupportedInputError, match="contradicts its assumptions"):
        verify(S.Zero, exp(c * t) * u(t), u(t), t, params={c: 1})
    with pytest.raises(UnsupportedInputError, match="'q'"):
        verify(ramp(t), u(t), u(t), t, params={"q": 1})


# --------------------------------------------------------------------------
# Sample points, tolerance, report
# --------------------------------------------------------------------------


def test_default_points_cover_every_region_and_avoid_breakpoints():
    report = verify(CANON, CANON_F, CANON_G, t)
    ts = [p.t for p in report.points]
    assert 0 not in ts and 1 not in ts
    assert any(x < 0 for x in ts) and any(0 < x < 1 for x in ts) and any(x > 1 for x in ts)
    assert report.regions == 3
    assert len(ts) == len(set(ts))
    assert any(not x.is_rational for x in ts)  # some irrational-ish points


def test_given_points_are_used_exactly():
    pts = [Rational(-1, 2), Rational(1, 4), 3]
    report = verify(CANON, CANON_F, CANON_G, t, points=pts)
    assert [p.t for p in report.points] == pts
    assert report.ok
    wrong = Piecewise((0, t < 0), (4 - 4 * exp(-t / 2), True))
    assert verify(wrong, CANON_F, CANON_G, t, points=[Rational(1, 2)]).ok  # not looked at t > 1
    with pytest.raises(UnsupportedInputError, match="points is empty"):
        verify(CANON, CANON_F, CANON_G, t, points=[])


def test_tolerance_and_precision():
    slightly_off = tri(t) * (1 + Rational(1, 10**15))
    assert not verify(slightly_off, rect(t), rect(t), t).ok
    assert verify(slightly_off, rect(t), rect(t), t, tol=Rational(1, 10**10)).ok
    report = verify(CANON, CANON_F, CANON_G, t, dps=50)
    assert report.ok and mpmath.almosteq(report.tol, mpmath.mpf(10) ** -42, 1e-12)
    assert report.max_error < mpmath.mpf(10) ** -42


def test_report_shape_and_text():
    report = verify(CANON, CANON_F, CANON_G, t)
    assert isinstance(report, VerifyReport)
    assert all(isinstance(p, PointCheck) for p in report.points)
    assert re.fullmatch(r"ok: 10 points in 3 regions, max error \S+", str(report))
    with pytest.raises(AttributeError):
        report.ok = False  # frozen
    wrong = Piecewise((0, t < 0), (4 - 4 * exp(-t / 2), True))
    # the wrong answer has 2 regions: the report counts the answer's own (issue 19)
    lines = str(verify(wrong, CANON_F, CANON_G, t)).splitlines()
    assert lines[0].startswith("FAILED: 10 points in 2 regions, max error ")
    assert lines[1].startswith("  t = 3/2: expected 1.2257369213")
    assert len(lines) == 1 + 4


def test_precision_is_not_changed_globally():
    before = mpmath.mp.dps
    verify(CANON, CANON_F, CANON_G, t, dps=40)
    numeric_convolution(u(t), u(t), t, 1, dps=40)
    assert mpmath.mp.dps == before


# --------------------------------------------------------------------------
# Divergence and time
# --------------------------------------------------------------------------


def test_divergent_integral_is_reported_not_ok():
    # u * 1 = ∫_{-oo}^{t} ... diverges: ∫ u(τ) dτ over τ > 0 is infinite
    report = verify(t * u(t), u(t), Integer(1), t)
    assert not report.ok
    assert any("did not converge" in n for n in report.notes)
    assert "note: quadrature did not converge" in str(report)


def test_time_limit_stops_with_a_note():
    report = verify(CANON, CANON_F, CANON_G, t, timeout=1e-9)
    assert not report.ok
    assert any("time limit" in n for n in report.notes)
    assert len(report.points) < 10


# --------------------------------------------------------------------------
# numeric_convolution and breakpoints_of
# --------------------------------------------------------------------------


def test_numeric_convolution_values():
    assert numeric_convolution(rect(t), rect(t), t, HALF) == HALF
    assert numeric_convolution(u(t), u(t), t, 2) == 2
    value = numeric_convolution(CANON_F, CANON_G, t, 3)
    expected = 4 * (mpmath.exp(0.5) - 1) * mpmath.exp(-1.5)
    assert abs(value - expected) < 1e-14
    corr = numeric_convolution(rect(t - 1), rect(t), t, Rational(-1, 2), kind="correlation")
    assert corr == HALF
    # impulses of f act by sifting: δ(t-2) * e^{-t}u(t) at t = 3 is e^{-1}
    assert (
        abs(numeric_convolution(DiracDelta(t - 2), exp(-t) * u(t), t, 3) - mpmath.exp(-1)) < 1e-14
    )


def test_numeric_convolution_divergence():
    with pytest.raises(DivergenceError, match="did not converge"):
        numeric_convolution(u(t), Integer(1), t, 0)


def test_breakpoints_of():
    assert breakpoints_of(rect((t - 2) / 3) + u(-t), t) == (0, HALF, Rational(7, 2))
    assert breakpoints_of(tri(t) * Abs(t - 5), t) == (-1, 0, 1, 5)
    pw = Piecewise((t, (t > -1) & (t < 2)), (0, Eq(t, 7)), (exp(t), True))
    assert breakpoints_of(pw, t) == (-1, 2, 7)
    assert breakpoints_of(exp(-(t**2)), t) == ()
    assert breakpoints_of(DiracDelta(t - 3, 1) + Heaviside(t**2 - 2), t) == (-sqrt(2), sqrt(2), 3)
    with pytest.raises(UnsupportedInputError, match="substitute numbers"):
        breakpoints_of(u(t - symbols("a")), t)


# --------------------------------------------------------------------------
# Bad input
# --------------------------------------------------------------------------


def test_var_must_be_a_symbol():
    with pytest.raises(UnsupportedInputError, match="var must be a SymPy Symbol, got 2\\*t"):
        verify(tri(t), rect(t), rect(t), 2 * t)


def test_unevaluable_subexpression_is_named():
    F = Function("F")  # noqa: N806 - a function name
    with pytest.raises(UnsupportedInputError, match=r"sub-expression F\(t\)") as info:
        verify(tri(t), F(t) * rect(t) + exp(-t), rect(t), t)
    assert info.value.expr == F(t)
    assert isinstance(info.value, SymconvError) and isinstance(info.value, ValueError)


def test_other_bad_inputs():
    with pytest.raises(UnsupportedInputError, match="string"):
        verify("tri(t)", rect(t), rect(t), t)
    with pytest.raises(UnsupportedInputError, match="'convolution', 'correlation'"):
        verify(tri(t), rect(t), rect(t), t, kind="conv")
    with pytest.raises(UnsupportedInputError, match="product of impulses"):
        verify(S.Zero, DiracDelta(t) * DiracDelta(t - 1), rect(t), t)
    with pytest.raises(UnsupportedInputError, match="infinitely many breakpoints"):
        verify(S.Zero, floor(t), rect(t), t)
    with pytest.raises(UnsupportedInputError, match="otherwise"):
        verify(tri(t), Piecewise((1, Abs(t) < HALF)), rect(t), t)
    with pytest.raises(UnsupportedInputError, match="dps"):
        verify(tri(t), rect(t), rect(t), t, dps=3)


def test_non_real_var_is_accepted():
    x = Symbol("x")
    assert verify(tri(x), rect(x), rect(x), x).ok


# --------------------------------------------------------------------------
# Independence and properties
# --------------------------------------------------------------------------


def test_does_not_import_the_engine():
    imported = set()
    for source in (Path(__file__).parents[2] / "symconv" / "numeric").glob("*.py"):
        tree = ast.parse(source.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module)
            elif isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
    imported = {m for m in imported if not m.startswith("symconv.numeric")}
    engine = {"symconv.convert.signals", "symconv.engine.continuous", "symconv.canonical.expoly",
              "symconv.canonical.signal"}
    assert not imported & engine
    assert {m for m in imported if m.startswith("symconv")} <= {
        "symconv.errors",
        "symconv.functions",
        "symconv.limits",  # the deadline in force (imports only symconv.errors)
    }


boxes = st.lists(
    st.tuples(st.integers(-3, 3).filter(bool), st.integers(-4, 4)), min_size=1, max_size=3
)


@settings(max_examples=12, deadline=None)
@given(boxes, boxes)
def test_box_trains_property(fs, gs):
    # rect(t-a) * rect(t-b) = tri(t-a-b), extended by linearity
    f = sum(c * rect(t - Rational(a, 2)) for c, a in fs)
    g = sum(d * rect(t - Rational(b, 2)) for d, b in gs)
    result = sum(c * d * tri(t - Rational(a + b, 2)) for c, a in fs for d, b in gs)
    assert verify(result, f, g, t).ok
    if result != 0:
        assert not verify(result + tri(t - Rational(1, 3)), f, g, t).ok
