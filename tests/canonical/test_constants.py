"""Tests for symconv.canonical.constants (certified signs and bounds of real constants) and for
breakpoints at real constants (π, √2, e, 3π/4 + 1) in the continuous engine.

Signs and bounds are compared with mpmath at 50 digits (a different library from the
module's python-flint balls). Convolutions with constant breakpoints are compared with
hand-derived table entries, with ``verify`` and with mpmath quadrature of the definition
(the inputs evaluated by plain python closures written here).
"""

from __future__ import annotations

from fractions import Fraction

import mpmath
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy import (
    Catalan,
    DiracDelta,
    E,
    EulerGamma,
    Float,
    GoldenRatio,
    I,
    Piecewise,
    Rational,
    S,
    acos,
    atan,
    cos,
    cosh,
    exp,
    lambdify,
    log,
    oo,
    pi,
    simplify,
    sin,
    sinh,
    sqrt,
    symbols,
    tanh,
    zeta,
)

from symconv import convolve, rect, tri, u, verify
from symconv.canonical.constants import bounds, is_constant, sign, to_arb
from symconv.canonical.order import point
from symconv.errors import UndecidableOrderError

t = symbols("t", real=True)
T = symbols("T", positive=True)
half = Rational(1, 2)


def mp_value(e, dps=50):
    """``e`` evaluated by mpmath at ``dps`` digits (independent of python-flint)."""
    with mpmath.workdps(dps):
        return +lambdify((), e, "mpmath")()


def mp_sign(e):
    v = mp_value(e)
    assert abs(v) > mpmath.mpf(10) ** -40, f"{e} is too close to 0 for a 50-digit oracle"
    return 1 if v > 0 else -1


def frac_to_mp(x):
    return mpmath.mpf(int(x.numerator)) / int(x.denominator)


# -- sign: a table against mpmath ----------------------------------------------------------
NONZERO = [
    pi - Rational(355, 113),  # -2.7e-7
    E - Rational(2718281828, 10**9),  # +4.6e-10
    sqrt(2) - Rational(99, 70),
    log(2) - Rational(693147, 10**6),
    EulerGamma - Rational(5772156649, 10**10),
    Catalan - Rational(915965594, 10**9),
    GoldenRatio - Rational(987, 610),
    exp(pi * sqrt(163)) - 640320**3 - 744,  # Ramanujan's constant: -7.5e-13 at 2.6e17
    pi**4 + pi**5 - E**6,  # -1.8e-5
    exp(pi) - pi - 20,  # -9.0e-4
    2 ** sqrt(2) - Rational(2665144142690225, 10**15),
    sin(1) - Rational(8414709848, 10**10),
    cos(pi / 7) - Rational(9009688679, 10**10),
    atan(half) + atan(Rational(1, 3)) - Rational(7853981634, 10**10),  # pi/4 - 3.7e-11
    acos(Rational(1, 3)) - Rational(123095941734, 10**11),
    sinh(1) + cosh(1) - E + Rational(1, 10**30),  # sinh 1 + cosh 1 = e exactly
    tanh(1) - Rational(7615941559557649, 10**16),
    log(3) / log(2) - Rational(1584962500721156, 10**15),
    sqrt(pi) - Rational(17724538509055160273, 10**19),
    sqrt(5) - 2 * GoldenRatio + 1 + Rational(1, 10**40) * 7,  # 7e-40: needs > 64 bits
]


@pytest.mark.parametrize("e", NONZERO, ids=[str(i) for i in range(len(NONZERO))])
def test_sign_agrees_with_mpmath(e):
    s = mp_sign(e)
    assert sign(e) == s
    assert sign(-e) == -s


def test_sign_beyond_the_first_precision_and_past_the_last():
    """A difference of 10^-250 (830 bits) is decided at a higher precision; one of
    10^-400 (1329 bits) is beyond every precision tried and is not guessed."""
    with mpmath.workdps(500):
        p250 = Rational(int(mpmath.floor(mpmath.pi * 10**250)), 10**250)
        p400 = Rational(int(mpmath.floor(mpmath.pi * 10**400)), 10**400)
    assert sign(pi - p250) == 1 and sign(p250 - pi) == -1
    assert sign(pi - p250 - Rational(1, 10**249)) == -1
    with pytest.raises(UndecidableOrderError):
        sign(pi - p400)


@pytest.mark.parametrize(
    "e",
    [
        sqrt(2) + sqrt(3) - sqrt(5 + 2 * sqrt(6)),
        log(6) - log(2) - log(3),
        log(4) - 2 * log(2),
        log(Rational(9, 8)) + 3 * log(2) - 2 * log(3),
        GoldenRatio**2 - GoldenRatio - 1,
        sqrt(3 + 2 * sqrt(2)) - 1 - sqrt(2),
        sin(pi / 7) ** 2 + cos(pi / 7) ** 2 - 1,
    ],
)
def test_exact_zeros_are_proven(e):
    assert abs(mp_value(e)) < mpmath.mpf(10) ** -45  # really zero
    assert e != 0  # not already zero as written
    assert sign(e) == 0


def test_sign_of_a_constant_that_cancels_to_a_rational():
    assert pi - pi == 0
    assert sign(pi - pi) == 0
    assert sign(S.Zero) == 0 and sign(half) == 1 and sign(-half) == -1


def test_an_undecidable_zero_raises():
    # atan 2 + atan 3 = 3π/4 exactly, but no exact proof of that is available here
    e = atan(2) + atan(3) - 3 * pi / 4
    assert abs(mp_value(e)) < mpmath.mpf(10) ** -45
    with pytest.raises(UndecidableOrderError, match="cannot decide"):
        sign(e)


def test_a_constant_that_cannot_be_enclosed():
    assert to_arb(zeta(3)) is None
    assert not is_constant(zeta(3))
    with pytest.raises(UndecidableOrderError, match="cannot bound"):
        bounds(zeta(3))
    with pytest.raises(UndecidableOrderError):
        sign(zeta(3) - 1)


def test_is_constant():
    for e in (pi / 2, sqrt(2), E, log(2), 3 * pi / 4 + 1, GoldenRatio, cos(1)):
        assert is_constant(e), e
    for e in (half, S(3), T, pi + T, I * pi, sqrt(-2), zeta(3), oo):
        assert not is_constant(e), e


# -- bounds --------------------------------------------------------------------------------
BOUNDED = [pi, E, sqrt(2), log(2), 3 * pi / 4 + 1, -E * sqrt(3), exp(10), EulerGamma,
           Rational(1, 3), Rational(-22, 7)]


@pytest.mark.parametrize("e", BOUNDED, ids=[str(e) for e in BOUNDED])
def test_bounds_contain_the_value_and_tighten(e):
    v = mp_value(e, 80)
    widths = []
    for prec in (16, 64, 128, 256):
        lo, hi = bounds(e, prec)
        with mpmath.workdps(80):
            assert frac_to_mp(lo) < v < frac_to_mp(hi)
        assert lo < hi
        widths.append(Fraction(int((hi - lo).numerator), int((hi - lo).denominator)))
        # width about 2^-prec relative to the value
        assert widths[-1] < Fraction(2) ** (12 - prec) * max(1, abs(float(v)))
    assert widths == sorted(widths, reverse=True) and widths[0] > widths[-1]


def test_to_arb_encloses_the_value():
    for e in (pi, sqrt(2) + E, log(3) - 1):
        ball = to_arb(e, 100)
        assert ball is not None
        lo, hi = bounds(e, 100)
        mid = mp_value(e, 60)
        assert ball.contains(ball.mid())
        with mpmath.workdps(60):
            assert frac_to_mp(lo) < mid < frac_to_mp(hi)
            assert abs(mpmath.mpf(ball.mid().str(40, radius=False)) - mid) < mpmath.mpf(2) ** -90


# -- signs of random combinations ----------------------------------------------------------
_rat = st.builds(Rational, st.integers(-60, 60), st.integers(1, 12))
_nonzero_rat = _rat.filter(lambda r: r != 0)
TRANSCENDENTAL = [pi, E, log(2), exp(Rational(1, 3)), cos(1), atan(2), pi**2]
ALGEBRAIC = [sqrt(2), sqrt(3), GoldenRatio, 2 ** Rational(1, 3), sqrt(2) + sqrt(3)]


@given(st.sampled_from(TRANSCENDENTAL + ALGEBRAIC), _nonzero_rat, _rat)
@settings(max_examples=40, deadline=None)
def test_sign_of_random_affine_constants(c, p, r):
    e = c * p + r  # irrational, so never 0
    assert sign(e) == mp_sign(e)


@given(st.sampled_from(ALGEBRAIC), st.sampled_from(TRANSCENDENTAL), _rat, _nonzero_rat, _rat)
@settings(max_examples=25, deadline=None)
def test_sign_of_random_mixed_constants(a, c, p, q, r):
    e = a * p + c * q + r  # transcendental part with a non-zero coefficient: never 0
    assert sign(e) == mp_sign(e)


_constant_point = st.one_of(
    st.builds(lambda q: pi * q, _rat),
    st.builds(lambda q: sqrt(2) * q, _rat),
    st.builds(lambda q: E + q, _rat),
    _rat,
)


@given(st.lists(_constant_point, min_size=2, max_size=6, unique=True))
@settings(max_examples=20, deadline=None)
def test_points_sort_like_their_values(values):
    points = [point(v) for v in values]
    by_point = [values[i] for i in sorted(range(len(values)), key=lambda i: points[i])]
    by_value = sorted(values, key=lambda v: mp_value(v))
    assert by_point == by_value


# -- convolutions with constant breakpoints: table entries by hand ---------------------------
def assert_verified(y, f, g, **kw):
    report = verify(y, f, g, t, **kw)
    assert report.ok, str(report)


def assert_same_function(y, expected, points):
    for x in points:
        d = (y - expected).subs(t, x)
        assert abs(complex(d.evalf(30))) < 1e-25, (x, y.subs(t, x), expected.subs(t, x))


def test_half_wave_pulse():
    f = sin(t) * (u(t) - u(t - pi))
    y = convolve(f, u(t), t)
    # ∫_0^t sin = 1 - cos t on [0, π), then the full area 2
    assert y == Piecewise((0, t < 0), (1 - cos(t), t < pi), (2, True))
    assert_verified(y, f, u(t))


def test_impulse_at_pi_shifts():
    y = convolve(DiracDelta(t - pi), rect(t), t)
    assert_same_function(y, rect(t - pi), [0, 3, Rational(31, 10), Rational(36, 10), 5, -2])
    assert {c.rhs for _e, c in y.args[:-1]} == {pi - half, pi + half}


@pytest.mark.parametrize("c", [sqrt(2), pi, E, 3 * pi / 4 + 1, log(2)])
def test_shifted_rects_give_a_shifted_triangle(c):
    y = convolve(rect(t - c), rect(t), t)
    points = [c + k * Rational(1, 4) for k in range(-6, 7)] + [c + Rational(7, 5)]
    assert_same_function(y, tri(t - c), [x for x in points if (x - c) not in (-1, 0, 1)])
    assert {cond.rhs for _e, cond in y.args[:-1]} == {c - 1, c, c + 1}
    assert not y.atoms(Float)


def test_step_at_e_through_an_exponential():
    f, g = u(t - E), exp(-t) * u(t)
    y = convolve(f, g, t)
    expected = Piecewise((0, t < E), (1 - exp(E - t), True))
    assert simplify(y.args[1][0] - expected.args[1][0]) == 0
    assert y.args[0] == (0, t < E)
    assert_verified(y, f, g)


def test_window_of_width_pi():
    y = convolve(rect(t / pi), rect(t), t)
    # trapezoid: rises on [-(π+1)/2, -(π-1)/2), plateau 1, falls symmetrically
    a, b = (pi + 1) / 2, (pi - 1) / 2
    expected = Piecewise((0, t < -a), (t + a, t < -b), (1, t < b), (a - t, t < a), (0, True))
    assert_same_function(y, expected, [Rational(k, 4) for k in range(-10, 11)])
    assert_verified(y, rect(t / pi), rect(t))


def test_parameter_and_constant_breakpoints_together():
    y = convolve(rect(t - T), rect(t - pi), t)
    for value in (half, Rational(5, 2), sqrt(3)):
        yv = y.subs(T, value)
        assert_same_function(yv, tri(t - value - pi),
                             [value + pi + k * Rational(1, 3) for k in range(-4, 5)
                              if k % 3])
    assert_verified(y, rect(t - T), rect(t - pi), params={T: Rational(7, 3)})


def test_parameter_result_at_pi_is_the_result_with_pi():
    assert convolve(u(t - T), rect(t), t).subs(T, pi) == convolve(u(t - pi), rect(t), t)


@pytest.mark.parametrize(
    ("template", "value"),
    [
        (lambda s: (rect(t - s), tri(t)), pi),
        (lambda s: (exp(-t) * u(t), rect(t - s)), sqrt(2)),
        (lambda s: (DiracDelta(t - s), tri(t)), log(3)),
        (lambda s: (exp(-2 * t) * u(t - s), u(t)), 3 * pi / 4 + 1),
    ],
)
def test_parameter_result_at_a_constant_equals_the_constant_result(template, value):
    """Same breakpoints and, region by region, equal expressions."""
    with_param = convolve(*template(T), t).subs(T, value)
    with_const = convolve(*template(value), t)
    assert isinstance(with_const, Piecewise)
    assert len(with_param.args) == len(with_const.args)
    for (e1, c1), (e2, c2) in zip(with_param.args, with_const.args, strict=True):
        assert c1 == c2
        assert simplify(e1 - e2) == 0


@pytest.mark.parametrize("arg", [t - E, 2 * t - E, t - E - 1])
def test_impulse_at_a_constant_with_e(arg):
    at = -arg.subs(t, 0) / arg.coeff(t)
    y = convolve(DiracDelta(arg), tri(t), t)
    # δ(p t + q) = δ(t - at)/|p|, so the result is tri(t - at)/|p|
    expected = tri(t - at) / abs(arg.coeff(t))
    assert_same_function(y, expected, [at + Rational(k, 3) for k in range(-5, 6)])


@pytest.mark.parametrize(
    ("f", "g"),
    [
        *[(exp(E - t) * u(t - E), g) for g in (u(t), exp(-t) * u(t), rect(t), tri(t))],
        (exp(E - t) * u(t), u(t)),
        (exp(E - t) * u(t), exp(-t) * u(t)),
        (exp(E - t) * u(t), rect(t)),
        (exp(E - t) * u(t), rect(t - half)),
        (exp(E - t) * u(t), tri(t)),
    ],
)
def test_exponential_with_e_in_its_exponent(f, g):
    y = convolve(f, g, t)
    assert_verified(y, f, g)
    assert not y.atoms(Float)


@pytest.mark.parametrize(
    ("f", "g"),
    [
        (DiracDelta(t - E), rect(t - sqrt(2))),
        (exp(E - t) * u(t - E), rect(t - sqrt(2))),
        (exp(2 * E - 2 * t) * u(t - E), rect(t - sqrt(2))),
    ],
)
def test_e_next_to_an_algebraic_breakpoint(f, g):
    y = convolve(f, g, t)
    assert_verified(y, f, g)


@pytest.mark.parametrize(
    ("f", "g", "expected"),
    [
        (u(t - exp(2)), u(t), (t - exp(2)) * u(t - exp(2))),
        (u(t - exp(2)), exp(-t) * u(t), (1 - exp(exp(2) - t)) * u(t - exp(2))),
        (rect(t - exp(2)), rect(t), tri(t - exp(2))),
    ],
)
def test_breakpoint_at_e_squared(f, g, expected):
    y = convolve(f, g, t)
    assert not y.atoms(Float)
    assert_verified(y, f, g)
    c = exp(2)
    assert_same_function(y, expected, [c + Rational(k, 3) for k in range(-5, 6) if k % 3])


# -- property: random constant breakpoints against quadrature ---------------------------------
def _mp(e):
    return mp_value(e, 30)


def _rect_num(c, w):
    def f(x):
        return 1 if abs(x - c) < w / 2 else 0
    return f


SIGNALS = {
    # name: (sympy builder, python builder for mpmath, breakpoints)
    "rect": (lambda c, w: rect((t - c) / w), _rect_num, lambda c, w: [c - w / 2, c + w / 2]),
    "tri": (lambda c, w: tri((t - c) / w),
            lambda c, w: (lambda x: max(0, 1 - abs(x - c) / w)),
            lambda c, w: [c - w, c, c + w]),
    # spelled e^{-t/w} u(t - c): e^{-(t - c)/w} with c = e + q hits the bug tested by
    # test_e_next_to_an_algebraic_breakpoint
    "step_exp": (lambda c, w: exp(-t / w) * u(t - c),
                 lambda c, w: (lambda x: mpmath.exp(-x / w) if x >= c else 0),
                 lambda c, w: [c]),
    "ramp_window": (lambda c, w: (t - c) * (u(t - c) - u(t - c - w)),
                    lambda c, w: (lambda x: (x - c) if c <= x < c + w else 0),
                    lambda c, w: [c, c + w]),
}
_small = st.builds(Rational, st.integers(-6, 6), st.integers(1, 3))
_shift = st.one_of(
    st.builds(lambda q: pi * q, _small.filter(lambda q: q != 0)),
    st.builds(lambda q: sqrt(2) * q, _small.filter(lambda q: q != 0)),
    st.builds(lambda q: E + q, _small),
)
_width = st.sampled_from([Rational(1, 2), S.One, Rational(3, 2)])
# irrational widths only for rect: tri * tri with three different constants is slow (seconds)
_signal = st.one_of(
    st.tuples(st.just("rect"), _shift, st.one_of(_width, st.sampled_from([pi / 2, sqrt(3)]))),
    st.tuples(st.sampled_from(["tri", "step_exp", "ramp_window"]), _shift, _width),
)


def _quad_conv(fnum, fbreaks, gnum, gbreaks, x):
    cuts = sorted(set(fbreaks) | {x - b for b in gbreaks})
    return mpmath.quad(lambda s: fnum(s) * gnum(x - s), [-mpmath.inf, *cuts, mpmath.inf])


@given(_signal, _signal)
@settings(max_examples=8, deadline=None)
def test_random_constant_breakpoints_against_quadrature(fspec, gspec):
    (fn, fc, fw), (gn, gc, gw) = fspec, gspec
    f, g = SIGNALS[fn][0](fc, fw), SIGNALS[gn][0](gc, gw)
    y = convolve(f, g, t)
    assert not y.atoms(Float), "constants must stay exact (values and breakpoints)"
    assert_verified(y, f, g)
    with mpmath.workdps(30):
        fnum = SIGNALS[fn][1](_mp(fc), _mp(fw))
        gnum = SIGNALS[gn][1](_mp(gc), _mp(gw))
        fb = [_mp(b) for b in SIGNALS[fn][2](fc, fw)]
        gb = [_mp(b) for b in SIGNALS[gn][2](gc, gw)]
        centre = fc + gc
        for k in (-7, -3, -1, 0, 2, 5, 9):
            x = centre + Rational(k, 4)
            ref = _quad_conv(fnum, fb, gnum, gb, _mp(x))
            got = mpmath.mpf(str(y.subs(t, x).evalf(30)))
            assert abs(got - ref) <= mpmath.mpf(10) ** -15 * max(1, abs(ref)), (x, got, ref)


@given(_signal, _shift)
@settings(max_examples=8, deadline=None)
def test_constant_result_equals_parameter_result_at_the_constant(fspec, shift):
    """``f * g(t - c)`` with ``c`` a constant agrees with ``f * g(t - T)`` at ``T = c``."""
    fn, fc, fw = fspec
    f = SIGNALS[fn][0](fc, fw)
    c = symbols("c", real=True)
    y_const = convolve(f, rect(t - shift), t)
    y_param = convolve(f, rect(t - c), t).subs(c, shift)
    for k in range(-8, 9, 3):
        x = fc + shift + Rational(k, 3) + Rational(1, 17)
        assert abs(complex((y_const - y_param).subs(t, x).evalf(30))) < 1e-25, x
