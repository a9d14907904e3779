"""The checker judges functions, not spellings: an answer whose constants are written
differently from the truth's (``cos(t - 1)`` against ``cos 1 cos t + sin 1 sin t``,
``√2 cos(t - π/4)`` against ``cos t + sin t``) is correct, and a perturbed one is not.

The truths here are checked independently of the engine: by the sifting property
(``δ(t - a) * f = f(t - a)``) and by mpmath quadrature of the convolution integral.
"""

from __future__ import annotations

import mpmath
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy import (
    DiracDelta,
    I,
    KroneckerDelta,
    Rational,
    cos,
    exp,
    lambdify,
    pi,
    sin,
    sqrt,
    symbols,
)

from symconv import check_answer
from symconv.canonical.constants import is_zero
from symconv.functions import u

t = symbols("t", real=True)
n = symbols("n", integer=True)


def _quad_conv(f, g, at):
    """``∫ f(τ) g(at - τ) dτ`` over ``[0, at]`` (causal f, g) by mpmath quadrature."""
    ff, gg = lambdify(t, f, "mpmath"), lambdify(t, g, "mpmath")
    return mpmath.quad(lambda x: ff(x) * gg(at - x), [0, at])


@pytest.mark.parametrize(("answer", "f", "g", "var"), [
    (cos(t - 1) * u(t - 1), DiracDelta(t - 1), cos(t) * u(t), t),
    (cos(t + pi / 3) * u(t), DiracDelta(t), cos(t + pi / 3) * u(t), t),
    (cos(2 * t - Rational(1, 2)) * u(t), DiracDelta(t), cos(2 * t - Rational(1, 2)) * u(t), t),
    (cos(t + sqrt(2)) * u(t), DiracDelta(t), cos(t + sqrt(2)) * u(t), t),
    (exp(-(t - 1)) * cos(t - 1) * u(t - 1), DiracDelta(t - 1), exp(-t) * cos(t) * u(t), t),
    (3 * sin(2 * (t - Rational(5, 2))) * u(t - Rational(5, 2)), 3 * DiracDelta(t - Rational(5, 2)),
     sin(2 * t) * u(t), t),
    (cos(n - 1) * u(n - 1), KroneckerDelta(n, 1), cos(n) * u(n), n),
    (sin(2 * n - 6) * u(n - 3), KroneckerDelta(n, 3), sin(2 * n) * u(n), n),
])
def test_shifted_sinusoids_by_sifting_are_correct(answer, f, g, var):
    report = check_answer(answer, f, g, var)
    assert report, str(report)


@pytest.mark.parametrize(("answer", "f", "g"), [
    (cos(t - 1) * u(t - 1) * Rational(101, 100), DiracDelta(t - 1), cos(t) * u(t)),
    (sin(t - 1) * u(t - 1), DiracDelta(t - 1), cos(t) * u(t)),
    (cos(t - 1) * u(t - 1) + exp(-5 * t) * u(t - 1) / 10**6, DiracDelta(t - 1), cos(t) * u(t)),
    (cos(t + pi / 3 + Rational(1, 10**8)) * u(t), DiracDelta(t), cos(t + pi / 3) * u(t)),
])
def test_perturbed_shifted_sinusoids_are_incorrect(answer, f, g):
    report = check_answer(answer, f, g, t)
    assert not report
    assert "differs" in str(report)
    expected, got = str(report).split("expected ")[1].split(", got ")
    assert expected != got.split(")")[0]  # the witness tells the two values apart


def test_discrete_shift_with_wrong_phase_is_incorrect():
    assert not check_answer(cos(n - 2) * u(n - 1), KroneckerDelta(n, 1), cos(n) * u(n), n)


def test_phase_form_of_a_convolution_checked_by_quadrature():
    """cos t u * e^{-t} u = (cos t + sin t - e^{-t})/2 = (√2 cos(t - π/4) - e^{-t})/2."""
    answer = (sqrt(2) * cos(t - pi / 4) - exp(-t)) / 2
    for at in (Rational(1, 3), 1, Rational(7, 2)):
        want = _quad_conv(cos(t), exp(-t), at)
        assert abs(answer.subs(t, at).evalf(30) - want) < 1e-12
    assert check_answer(answer * u(t), cos(t) * u(t), exp(-t) * u(t), t)
    wrong = (sqrt(2) * cos(t + pi / 4) - exp(-t)) / 2 * u(t)
    assert not check_answer(wrong, cos(t) * u(t), exp(-t) * u(t), t)


@settings(max_examples=15, deadline=None)
@given(p=st.integers(-6, 6), q=st.integers(1, 4), w=st.integers(1, 3),
       d=st.integers(1, 3), bump=st.sampled_from([0, 1]))
def test_random_delayed_sinusoids(p, q, w, d, bump):
    """δ(t - d) * cos(wt + φ)u(t) = cos(w(t - d) + φ)u(t - d), φ = p/q; a phase bumped by
    1/1000 is wrong."""
    phi = Rational(p, q)
    answer = cos(w * (t - d) + phi + Rational(bump, 1000)) * u(t - d)
    report = check_answer(answer, DiracDelta(t - d), cos(w * t + phi) * u(t), t)
    assert bool(report) == (bump == 0), str(report)


def test_is_zero_decides_written_forms():
    assert is_zero(exp(-I) - cos(1) + I * sin(1)) is True
    assert is_zero(sqrt(2) * exp(I * pi / 4) - 1 - I) is True
    assert is_zero(cos(2) - 2 * cos(1) ** 2 + 1) is True
    assert is_zero(exp(Rational(9, 2) + 6 * I) + exp(Rational(9, 2) - 6 * I)
                   - 2 * exp(Rational(9, 2)) * cos(6)) is True
    assert is_zero(exp(I) - cos(1)) is False
    assert is_zero(cos(1) - cos(1 + Rational(1, 10**40))) is False
    assert is_zero(cos(symbols("a")) - 1) is None  # a parameter: not a constant
