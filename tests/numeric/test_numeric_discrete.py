"""Tests for symconv.numeric.sequences.verify_sequence: the independent check of discrete results.

``verify_sequence`` sums ``y[n] = Σ_k f[k] g[n−k]`` directly.  The claimed results used
here are derived by hand (each test says how); the checker must accept them, reject
deliberately wrong ones (off-by-one, wrong value at a single breakpoint, wrong tail),
and agree with a brute-force double loop on random finite sequences.
"""

from __future__ import annotations

from fractions import Fraction

import mpmath
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy import (
    Abs,
    DiracDelta,
    Eq,
    Heaviside,
    KroneckerDelta,
    Piecewise,
    Rational,
    S,
    cos,
    pi,
    sin,
    symbols,
)

from symconv.errors import UnsupportedInputError
from symconv.functions import rect, u
from symconv.numeric.report import PointCheck, VerifyReport
from symconv.numeric.sequences import verify_sequence

n = symbols("n", integer=True)
HALF = Rational(1, 2)

# (1/2)^n u[n] * u[n] = Σ_{k=0}^{n} 2^{-k} = 2 - 2^{-n} for n >= 0.
GEO = Piecewise((0, n < 0), (2 - HALF**n, True))


def test_accepts_a_right_result_and_returns_a_report():
    report = verify_sequence(GEO, HALF**n * u(n), u(n), n)
    assert isinstance(report, VerifyReport)
    assert report.ok and bool(report)
    assert all(isinstance(p, PointCheck) and p.ok for p in report.points)
    assert report.impulses == () and report.impulses_ok
    ts = sorted(int(p.t) for p in report.points)
    assert {-1, 0, 1} <= set(ts)  # around the breakpoint, on it
    assert ts[0] <= -10 and ts[-1] >= 10  # and far out
    assert report.regions == 2


@pytest.mark.parametrize(
    "wrong, where",
    [
        (Piecewise((0, n < 1), (2 - HALF**n, True)), {0}),  # off by one: misses y[0] = 1
        (Piecewise((0, n < 0), (2 - HALF ** (n + 1), True)), None),  # wrong tail everywhere
        (Piecewise((0, n < 0), (2 - HALF**n, n < 5), (2, True)), None),  # wrong far out
        (Piecewise((0, n < -1), (1, n < 0), (2 - HALF**n, True)), {-1}),  # extra y[-1] = 1
        (2 - HALF**n, None),  # forgotten u[n]
    ],
)
def test_catches_wrong_results(wrong, where):
    report = verify_sequence(wrong, HALF**n * u(n), u(n), n)
    assert not report.ok
    bad = {int(p.t) for p in report.points if not p.ok}
    assert bad
    if where is not None:
        assert bad == where
    assert "FAILED" in str(report)


def test_wrong_value_at_a_single_index_is_caught():
    # Heaviside(n) (1/2 at 0) * δ[n] = Heaviside(n); claiming u(n) is wrong only at n = 0.
    report = verify_sequence(u(n), Heaviside(n), KroneckerDelta(n, 0), n)
    assert not report.ok
    assert [int(p.t) for p in report.points if not p.ok] == [0]
    assert verify_sequence(Heaviside(n), Heaviside(n), KroneckerDelta(n, 0), n).ok


def test_finite_supports_are_summed_exactly():
    # pulses of lengths 3 and 5: trapezoid n+1 (0..2), 3 (3..4), 7-n (5..6)
    f, g = u(n) - u(n - 3), u(n) - u(n - 5)
    y = Piecewise((0, n < 0), (n + 1, n < 3), (3, n < 5), (7 - n, n < 7), (0, True))
    report = verify_sequence(y, f, g, n)
    assert report.ok
    assert report.max_error == 0
    assert all(p.quad_error == 0 for p in report.points)
    values = {int(p.t): p.expected for p in report.points}
    assert values[3] == 3 and values[6] == 1 and values[7] == 0


def test_infinite_supports_use_tails():
    # a^{|n|} * a^{|n|} = a^{|n|} (|n| + (1+a²)/(1−a²)); a = 1/2: (1/2)^{|n|}(|n| + 5/3)
    f = HALF ** Abs(n)
    c = Rational(5, 3)
    y = Piecewise((HALF ** (-n) * (-n + c), n < 0), (HALF**n * (n + c), True))
    report = verify_sequence(y, f, f, n)
    assert report.ok, str(report)
    assert any(p.quad_error > 0 for p in report.points)
    wrong = Piecewise((HALF ** (-n) * (-n + c - Rational(1, 3)), n < 0), (HALF**n * (n + c), True))
    report = verify_sequence(wrong, f, f, n)
    assert not report.ok
    assert all(int(p.t) < 0 for p in report.points if not p.ok)


def test_slowly_decaying_tails():
    # a = 999/1000: the tails need thousands of terms, then mpmath.nsum
    a = Rational(999, 1000)
    c = (1 + a**2) / (1 - a**2)
    y = Piecewise((a ** (-n) * (-n + c), n < 0), (a**n * (n + c), True))
    report = verify_sequence(y, a ** Abs(n), a ** Abs(n), n, points=[-3, 0, 7])
    assert report.ok, str(report)
    y0 = mpmath.mpf(999500250125062531) / 10**15  # c = 1998001/1999 = 999.500250125062531…
    assert mpmath.almosteq(report.points[1].expected, y0, 1e-15)


def test_divergent_sums_are_reported_not_summed():
    # u[n] * 1 diverges: any claimed result fails, with a note
    report = verify_sequence(Piecewise((0, n < 0), (n + 1, True)), u(n), S.One, n)
    assert not report.ok
    assert any("diverges" in note for note in report.notes)
    assert all(mpmath.isnan(p.expected) for p in report.points)
    # 2ⁿu[n] * 2ⁿu[−n]: the terms 2ⁿ do not depend on k
    report = verify_sequence(S.Zero, 2**n * u(n), 2**n * u(-n), n, points=[0, 3])
    assert not report.ok and any("diverges" in note for note in report.notes)
    # cos(n) u[n] * 1: bounded but oscillating terms
    report = verify_sequence(S.Zero, cos(n) * u(n), S.One, n, points=[0])
    assert not report.ok


def test_dirac_delta_is_the_discrete_impulse():
    # δ[n − 2] * x[n] = x[n − 2]; DiracDelta(n - 2) read as KroneckerDelta(n - 2, 0)
    x = HALF**n * u(n)
    y = Piecewise((0, n < 2), (4 * HALF**n, True))
    assert verify_sequence(y, DiracDelta(n - 2), x, n).ok
    assert verify_sequence(y, KroneckerDelta(n, 2), x, n).ok
    assert not verify_sequence(x, DiracDelta(n - 2), x, n).ok
    with pytest.raises(UnsupportedInputError, match="derivatives of the discrete impulse"):
        verify_sequence(y, DiracDelta(n - 2, 1), x, n)


def test_rect_heaviside_and_piecewise_conventions():
    # rect(n/4) = 1 for |n| < 2, 1/2 at n = ±2; * δ[n] is itself
    assert verify_sequence(rect(n / 4), rect(n / 4), KroneckerDelta(n, 0), n).ok
    values = Piecewise((HALF, Eq(Abs(n), 2)), (1, Abs(n) < 2), (0, True))
    assert verify_sequence(values, rect(n / 4), KroneckerDelta(n, 0), n).ok
    # x = [0, 1, 2] on 0..2 (a Piecewise with integer conditions) * [1, 1] = [0, 1, 3, 2]
    x = Piecewise((n, (n >= 0) & (n < 3)), (0, True))
    y = Piecewise((0, n < 1), (1, n < 2), (3, n < 3), (2, n < 4), (0, True))
    assert verify_sequence(y, x, u(n) - u(n - 2), n).ok


def test_trigonometric_sequences():
    # Σ_{k=0}^{n} cos(πk/2) = 1, 1, 0, 0, 1, 1, ... = (1 + cos(πn/2) + sin(πn/2))/2
    y = Piecewise((0, n < 0), ((1 + cos(pi * n / 2) + sin(pi * n / 2)) / 2, True))
    assert verify_sequence(y, cos(pi * n / 2) * u(n), u(n), n).ok
    assert not verify_sequence(
        Piecewise((0, n < 0), ((1 + cos(pi * n / 2)) / 2, True)), cos(pi * n / 2) * u(n), u(n), n
    ).ok


def test_params_are_chosen_from_assumptions_or_given():
    a, b = symbols("a b", nonzero=True)
    generic = (a ** (n + 1) - b ** (n + 1)) / (a - b)
    y = Piecewise((Piecewise((0, n < 0), ((n + 1) * a**n, True)), Eq(a, b)),
                  (Piecewise((0, n < 0), (generic, True)), True))
    report = verify_sequence(y, a**n * u(n), b**n * u(n), n)
    assert report.ok
    assert set(report.params) == {a, b} and report.params[a] != report.params[b]
    # the Eq(a, b) branch, by name and by symbol
    assert verify_sequence(y, a**n * u(n), b**n * u(n), n, params={"a": HALF, b: HALF}).ok
    wrong = Piecewise((Piecewise((0, n < 0), (n * a**n, True)), Eq(a, b)),
                      (Piecewise((0, n < 0), (generic, True)), True))
    assert verify_sequence(wrong, a**n * u(n), b**n * u(n), n).ok  # generic branch only
    assert not verify_sequence(wrong, a**n * u(n), b**n * u(n), n, params={a: 3, b: 3}).ok
    with pytest.raises(UnsupportedInputError, match="contradicts its assumptions"):
        verify_sequence(y, a**n * u(n), b**n * u(n), n, params={a: 0})
    with pytest.raises(UnsupportedInputError, match="not one parameter"):
        verify_sequence(y, a**n * u(n), b**n * u(n), n, params={"c": 1})


def test_correlation():
    # Σ_k (1/2)^k u[k] (1/2)^{k+n} u[k+n] = (4/3) (1/2)^{|n|}
    x = HALF**n * u(n)
    y = Rational(4, 3) * HALF ** Abs(n)
    assert verify_sequence(y, x, x, n, kind="correlation").ok
    assert not verify_sequence(y, x, x, n).ok  # it is not the convolution
    # pulse [1, 1] on 0..1 against [1, 1, 1] on 0..2: lags -1..2 give 1, 2, 2, 1
    y = Piecewise((0, n < -1), (1, n < 0), (2, n < 2), (1, n < 3), (0, True))
    assert verify_sequence(y, u(n) - u(n - 2), u(n) - u(n - 3), n, kind="correlation").ok


def test_given_points_are_used_exactly_and_must_be_integers():
    report = verify_sequence(GEO, HALF**n * u(n), u(n), n, points=[0, 3, 100])
    assert [int(p.t) for p in report.points] == [0, 3, 100]
    with mpmath.workdps(60):  # exact: 2 - 2^-100 needs 31 digits
        assert report.points[2].expected == 2 - mpmath.mpf(2) ** -100
    with pytest.raises(UnsupportedInputError, match="integers"):
        verify_sequence(GEO, HALF**n * u(n), u(n), n, points=[HALF])
    with pytest.raises(UnsupportedInputError):
        verify_sequence(GEO, HALF**n * u(n), u(n), n, points=[])


def test_input_validation():
    with pytest.raises(UnsupportedInputError, match="kind"):
        verify_sequence(GEO, HALF**n * u(n), u(n), n, kind="xcorr")
    with pytest.raises(UnsupportedInputError, match="dps"):
        verify_sequence(GEO, HALF**n * u(n), u(n), n, dps=5)
    with pytest.raises(UnsupportedInputError, match="Symbol"):
        verify_sequence(GEO, HALF**n * u(n), u(n), "n")
    with pytest.raises(UnsupportedInputError, match="string"):
        verify_sequence("2 - 2^-n", HALF**n * u(n), u(n), n)
    with pytest.raises(UnsupportedInputError, match="no finite value"):
        verify_sequence(S.Zero, u(n) / n, KroneckerDelta(n, 0), n)


def test_unevaluable_result_fails_with_a_note():
    report = verify_sequence(Piecewise((1, n < 0)), u(n), KroneckerDelta(n, 0), n)
    assert not report.ok
    assert any("cannot be evaluated" in note for note in report.notes)


# --------------------------------------------------------------------------
# against a brute-force double loop
# --------------------------------------------------------------------------

_BASES = [HALF, S.One, S(2), Rational(-1, 3)]


@st.composite
def finite_sequences(draw):
    """A finite sequence as (SymPy expression, {index: Fraction})."""
    lo = draw(st.integers(-4, 3))
    length = draw(st.integers(1, 5))
    k = draw(st.integers(0, 2))
    c = Rational(draw(st.integers(-5, 5).filter(bool)), draw(st.integers(1, 3)))
    a = draw(st.sampled_from(_BASES))
    expr = c * n**k * a**n * (u(n - lo) - u(n - lo - length))
    values = {}
    for i in range(lo, lo + length):
        v = c * S(i) ** k * a**i
        values[i] = Fraction(int(v.p), int(v.q))
    return expr, values


@settings(max_examples=25, deadline=None)
@given(finite_sequences(), finite_sequences(), st.integers(-10, 10))
def test_expected_values_equal_a_brute_force_sum(fx, gx, m):
    (f, fv), (g, gv) = fx, gx
    brute = sum((fv[i] * gv.get(m - i, 0) for i in fv), Fraction(0))
    report = verify_sequence(S.Zero, f, g, n, points=[m])
    (p,) = report.points
    with mpmath.workdps(40):  # the working precision of dps=30 plus guard digits
        assert p.expected == mpmath.mpf(brute.numerator) / brute.denominator
    assert p.quad_error == 0
    assert report.ok == (brute == 0)
