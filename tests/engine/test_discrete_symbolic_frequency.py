"""Sinusoid sequences with a symbolic frequency ω: the domain holds ``e^{iω}`` whatever
the sign of ω, and ``e^{iω} = 1`` is decided by a range of ω (``0 < ω < 2π``) or named
as the question to settle. Results are compared with direct sums."""

from __future__ import annotations

import pytest
from sympy import Rational, cos, pi, sin, symbols

from symconv import convolve
from symconv.errors import UndecidableError
from symconv.functions import u

n = symbols("n", integer=True)
w = symbols("omega", real=True)
wp = symbols("omega0", positive=True)

FREQS = (Rational(1, 3), Rational(5, 2), Rational(-7, 3), 3)


def _direct(x, h, wv, nv):
    """``Σ_{k=0}^{n} x[k] h[n-k]`` for causal x, h at ``ω = wv``."""
    return sum(x(k, wv) * h(nv - k, wv) for k in range(nv + 1))


@pytest.mark.parametrize(("x", "h", "xe", "he"), [
    (lambda k, v: sin(v * k), lambda k, v: Rational(1, 2) ** k,
     sin(w * n) * u(n), Rational(1, 2) ** n * u(n)),
    (lambda k, v: cos(v * k), lambda k, v: Rational(-1, 3) ** k,
     cos(w * n) * u(n), Rational(-1, 3) ** n * u(n)),
])
def test_any_sign_of_the_frequency(x, h, xe, he):
    y = convolve(xe, he, n)
    for wv in FREQS:
        for nv in (0, 1, 4, 9):
            got = y.subs({w: wv, n: nv})
            assert abs((got - _direct(x, h, wv, nv)).evalf(40)) < 1e-30


@pytest.mark.parametrize(("fn", "assume", "values"), [
    (cos, [0 < w, w < 2 * pi], (Rational(1, 3), Rational(5, 2), 6)),
    (sin, [0 < w, w < 2 * pi], (Rational(1, 3), 3)),
    (sin, [-2 * pi < w, w < 0], (Rational(-1, 3), -6)),
])
def test_a_range_of_the_frequency_decides(fn, assume, values):
    y = convolve(fn(w * n) * u(n), u(n), n, assume=assume)
    for wv in values:
        for nv in (0, 2, 5):
            want = sum(fn(wv * k) for k in range(nv + 1))
            assert abs((y.subs({w: wv, n: nv}) - want).evalf(40)) < 1e-30


def test_window_with_a_range():
    y = convolve(cos(w * n - 1) * u(n), u(n) - u(n - 3), n, assume=[0 < w, w < 2 * pi])
    for wv in (Rational(1, 3), 5):
        for nv in (0, 1, 2, 6):
            want = sum(cos(wv * k - 1) for k in range(max(0, nv - 2), nv + 1))
            assert abs((y.subs({w: wv, n: nv}) - want).evalf(40)) < 1e-30


def test_positive_frequency_below_pi():
    y = convolve(sin(wp * n) * u(n), u(n), n, assume=[wp < pi])
    want = sum(sin(Rational(2, 3) * k) for k in range(6))
    assert abs((y.subs({wp: Rational(2, 3), n: 5}) - want).evalf(40)) < 1e-30


def test_undecided_period_is_named():
    with pytest.raises(UndecidableError, match=r"multiple of 2\*pi.*0 < omega0"):
        convolve(sin(wp * n) * u(n), u(n), n)


@pytest.mark.parametrize(("scale", "assume", "values"), [
    (1, [symbols("b", positive=True) > 1], (2, Rational(3, 2))),
    (1, [], (Rational(3, 4), 3)),  # the case b > 1/2 is stated in the result
    (3, [], (Rational(1, 4), -1)),  # |3c| > 1/2 either side
])
def test_two_sided_geometric_with_a_scaled_parameter(scale, assume, values):
    """(1/2)ⁿu[n] * (s·b)ⁿu[-n-1] converges for |1/(2 s b)| < 1; the facts decide it (or
    the result states it), against direct sums of the convergent series."""
    b = symbols("b", positive=True) if scale == 1 else symbols("c", real=True)
    y = convolve(Rational(1, 2) ** n * u(n), (scale * b) ** n * u(-n - 1), n, assume=assume)
    for bv in map(Rational, values):
        r = Rational(1, 2) / (scale * bv)  # the ratio of the series' terms
        for nv in (-4, -1, 0, 3):
            k0 = max(0, nv + 1)  # Σ_{k ≥ k0} (1/2)^k (s b)^(n-k), geometric
            direct = Rational(1, 2) ** k0 * (scale * bv) ** (nv - k0) / (1 - r)
            assert y.subs(b, bv).subs(n, nv) == direct, (bv, nv)
