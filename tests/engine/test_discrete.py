"""Tests for symconv.engine.discrete: closed-form sequences and exact finite lists.

Every closed-form example is checked three ways:

* against an exact form derived by hand (the derivation is in the test), compared
  value by value at integers, exactly;
* with :func:`symconv.numeric.sequences.verify_sequence` (direct summation, independent of
  the engine);
* for causal results, by the Z-transform: ``Z{y}(z) = Σ_{n≥0} y[n] z⁻ⁿ`` computed
  from the result with the geometric-series formula
  ``Σ_{m≥0} mʲ wᵐ = (w d/dw)ʲ 1/(1−w)`` must equal ``X(z)·H(z)`` from the table
  (``Z{aⁿu[n]} = z/(z−a)``, ``Z{u[n]} = z/(z−1)``, ``Z{x[n−N]} = z⁻ᴺ X(z)``), at
  rational ``z`` outside every pole, exactly.

Finite lists are compared with ``numpy.convolve``/``numpy.correlate`` on object
arrays (exact Python integers and fractions) and with direct sums.
"""

from __future__ import annotations

import random
import time
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy import (
    Abs,
    Add,
    DiracDelta,
    Dummy,
    Eq,
    Heaviside,
    I,
    Integer,
    KroneckerDelta,
    Mul,
    Piecewise,
    Pow,
    Rational,
    S,
    StrictLessThan,
    cancel,
    cos,
    diff,
    exp,
    expand,
    expand_complex,
    oo,
    pi,
    radsimp,
    simplify,
    sin,
    sqrt,
    symbols,
    together,
)

import symconv
from symconv import DivergenceError, UnsupportedInputError, convolve, correlate, rect, u
from symconv.engine.discrete import convolve_finite, convolve_sequence, correlate_sequence
from symconv.numeric.sequences import verify_sequence

n = symbols("n", integer=True)
HALF = Rational(1, 2)


# --------------------------------------------------------------------------
# helpers: exact comparison, structure, Z-transform
# --------------------------------------------------------------------------


def is_zero(d) -> bool:
    """Exact zero test for a constant built from rationals, symbols, I, sqrt, sin/cos of π/k."""
    if d == 0:
        return True
    d = cancel(together(d))
    if d == 0:
        return True
    if d.has(I):  # e^{iθ} constants: to real and imaginary parts, then radicals
        d = radsimp(cancel(together(expand_complex(d.rewrite(cos)))))
        if d == 0:
            return True
    d = simplify(d)
    return d == 0 or bool(d.equals(0))


def same_values(got, expected, ns=range(-12, 16)):
    """``got[m] == expected[m]`` exactly for every integer ``m`` in ``ns``."""
    for m in ns:
        d = (got - expected).xreplace({n: Integer(m)})
        assert is_zero(d), f"n = {m}: got {got.xreplace({n: Integer(m)})}, expected " \
                           f"{expected.xreplace({n: Integer(m)})}"


def assert_sequential(y):
    """A Piecewise in ``n`` with conditions ``n < c₁``, ``n < c₂``, … (increasing), then True;
    or an even sequence written in ``|n|``."""
    if not isinstance(y, Piecewise):
        assert y.has(Abs(n)) and not (y - y.xreplace({n: -n})).has(n), y
        return
    assert isinstance(y, Piecewise), y
    bounds = []
    for _expr, cond in y.args[:-1]:
        assert isinstance(cond, StrictLessThan) and cond.lhs == n, cond
        assert cond.rhs.is_Integer, cond
        bounds.append(int(cond.rhs))
    assert y.args[-1][1] == S.true
    assert bounds == sorted(set(bounds)), bounds


def checked(y, f, g, **kw):
    """``y`` after asserting that verify_sequence accepts it."""
    report = verify_sequence(y, f, g, n, **kw)
    assert report.ok, str(report)
    return y


def _moment_series(j, W):
    """``Σ_{m≥0} mʲ Wᵐ = (w d/dw)ʲ 1/(1−w)`` at ``w = W``."""
    w = Dummy("w")
    s = 1 / (1 - w)
    for _ in range(j):
        s = together(w * diff(s, w))
    return s.subs(w, W)


def _exp_poly_terms(expr):
    """``expr`` as ``[(c, j, B)]`` with ``expr = Σ c nʲ Bⁿ``."""
    out = []
    for term in Add.make_args(expand(expr.rewrite(exp))):
        c, j, B = S.One, 0, S.One
        for fac in Mul.make_args(term):
            if not fac.has(n):
                c *= fac
            elif fac == n:
                j += 1
            elif isinstance(fac, Pow) and fac.base == n:
                j += int(fac.exp)
            elif isinstance(fac, Pow):
                p = cancel(fac.exp / n)
                assert not p.has(n), fac
                B *= fac.base**p
            elif isinstance(fac, exp):
                p = cancel(fac.args[0] / n)
                assert not p.has(n), fac
                B *= exp(p)
            else:
                raise AssertionError(f"not of the form c n^j B^n: {fac}")
        out.append((c, j, B))
    return out


def z_transform(y, z):
    """``Σ_{n≥0} y[n] z⁻ⁿ`` for a causal sequential Piecewise ``y`` (exact)."""
    if not isinstance(y, Piecewise):
        y = Piecewise((y, True))
    total = S.Zero
    lo = None  # -oo
    for expr, cond in y.args:
        hi = oo if cond == S.true else cond.rhs
        if (-oo if lo is None else lo) < min(hi, 0):  # the piece reaches negative n
            assert expr == 0, f"not causal: {expr} for n < {min(hi, 0)}"
        start = max(lo if lo is not None else 0, 0)
        if hi is oo:
            for c, j, B in _exp_poly_terms(expr):
                W = B / z
                head = sum((Integer(m) ** j * W**m for m in range(start)), S.Zero)
                total += c * (_moment_series(j, W) - head)
        else:
            total += sum((expr.xreplace({n: Integer(m)}) * z ** (-m) for m in range(start, hi)),
                         S.Zero)
        lo = hi
    return total


#: Rational points beyond every pole of the examples' transforms.
Z_POINTS = (Integer(5), Rational(17, 2), Integer(12))


def assert_z_transform(y, expected_z, zs=Z_POINTS):
    """``Z{y}(z) == expected_z(z)`` exactly at each ``z`` in ``zs``."""
    for z in zs:
        d = z_transform(y, z) - expected_z(z)
        assert is_zero(d), f"z = {z}: Z{{y}} - X·H = {simplify(d)}"


def Zgeo(a):
    """Z{aⁿ u[n]} = z/(z − a)."""
    return lambda z: z / (z - a)


def Zstep(z):
    return z / (z - 1)


# --------------------------------------------------------------------------
# aⁿ u[n] * u[n]
# --------------------------------------------------------------------------


@pytest.mark.parametrize("a", [HALF, Rational(-1, 3), S(2), Rational(9, 10)])
def test_geometric_times_step_numeric(a):
    # Σ_{k=0}^{n} aᵏ = (1 − aⁿ⁺¹)/(1 − a) for n ≥ 0
    f, g = a**n * u(n), u(n)
    y = convolve(f, g, n)
    assert_sequential(y)
    same_values(y, Piecewise((0, n < 0), ((1 - a ** (n + 1)) / (1 - a), True)))
    checked(y, f, g)
    assert_z_transform(y, lambda z: Zgeo(a)(z) * Zstep(z))


def test_geometric_times_step_symbolic():
    # a = 1: Σ_{k=0}^{n} 1 = n + 1; otherwise (1 − aⁿ⁺¹)/(1 − a); a Piecewise on Eq(a, 1)
    a = symbols("a", nonzero=True)
    f, g = a**n * u(n), u(n)
    y = convolve(f, g, n)
    assert isinstance(y, Piecewise) and y.args[0][1] in (Eq(a, 1), Eq(1, a))
    one, generic = y.args[0][0], y.args[1][0]
    assert_sequential(one)
    assert_sequential(generic)
    same_values(one, Piecewise((0, n < 0), (n + 1, True)))
    same_values(generic, Piecewise((0, n < 0), ((1 - a ** (n + 1)) / (1 - a), True)))
    checked(y, f, g)
    checked(y, f, g, params={a: 1})
    checked(y, f, g, params={a: -2})
    assert_z_transform(generic, lambda z: Zgeo(a)(z) * Zstep(z))
    assert_z_transform(one, lambda z: Zstep(z) ** 2)


# --------------------------------------------------------------------------
# aⁿ u[n] * bⁿ u[n]
# --------------------------------------------------------------------------


def test_two_geometric_sequences_symbolic():
    # Σ_{k=0}^{n} aᵏ bⁿ⁻ᵏ = (aⁿ⁺¹ − bⁿ⁺¹)/(a − b) for a ≠ b, (n + 1) aⁿ for a = b
    a, b = symbols("a b", nonzero=True)
    f, g = a**n * u(n), b**n * u(n)
    y = convolve(f, g, n)
    assert isinstance(y, Piecewise) and y.args[0][1] in (Eq(a, b), Eq(b, a))
    assert y.args[1][1] == S.true
    equal, generic = y.args[0][0], y.args[1][0]
    assert_sequential(generic)
    same_values(generic, Piecewise((0, n < 0), ((a ** (n + 1) - b ** (n + 1)) / (a - b), True)))
    same_values(equal.subs(b, a), Piecewise((0, n < 0), ((n + 1) * a**n, True)))
    same_values(y.subs(b, a), Piecewise((0, n < 0), ((n + 1) * a**n, True)))
    checked(y, f, g)
    checked(y, f, g, params={a: Rational(2, 3), b: Rational(2, 3)})
    checked(y, f, g, params={a: -3, b: Rational(1, 5)})
    assert_z_transform(generic, lambda z: Zgeo(a)(z) * Zgeo(b)(z))
    assert_z_transform(equal.subs(b, a), lambda z: Zgeo(a)(z) ** 2)
    # commutes
    same_values(convolve(g, f, n).subs(b, a), y.subs(b, a))


def test_two_geometric_sequences_numeric_equal_bases():
    # (1/2)ⁿu * (1/2)ⁿu = (n + 1)(1/2)ⁿ u[n];  Z: z²/(z − 1/2)²
    f = HALF**n * u(n)
    y = convolve(f, f, n)
    assert_sequential(y)
    same_values(y, Piecewise((0, n < 0), ((n + 1) * HALF**n, True)))
    checked(y, f, f)
    assert_z_transform(y, lambda z: Zgeo(HALF)(z) ** 2)


# --------------------------------------------------------------------------
# pulses
# --------------------------------------------------------------------------


def test_pulses_of_lengths_3_and_5_make_a_trapezoid():
    # Σ_k p₃[k] p₅[n−k]: n+1 for 0 ≤ n ≤ 2, 3 for 3 ≤ n ≤ 4, 7−n for 5 ≤ n ≤ 6
    f, g = u(n) - u(n - 3), u(n) - u(n - 5)
    y = convolve(f, g, n)
    assert_sequential(y)
    expected = Piecewise((0, n < 0), (n + 1, n < 3), (3, n < 5), (7 - n, n < 7), (0, True))
    same_values(y, expected)
    assert [y.subs(n, m) for m in range(-1, 8)] == [0, 1, 2, 3, 3, 3, 2, 1, 0]
    checked(y, f, g)
    assert_z_transform(y, lambda z: (1 - z**-3) * (1 - z**-5) * Zstep(z) ** 2)


@pytest.mark.parametrize("N, M", [(1, 1), (1, 4), (2, 2), (4, 2), (3, 6)])
def test_pulse_pairs(N, M):
    # y[n] = max(0, min(n + 1, N, M, N + M − 1 − n))
    f, g = u(n) - u(n - N), u(n) - u(n - M)
    y = convolve(f, g, n)
    assert [y.subs(n, m) for m in range(-2, N + M + 2)] == [
        max(0, min(m + 1, N, M, N + M - 1 - m)) for m in range(-2, N + M + 2)
    ]
    checked(y, f, g)


def test_rect_pulses():
    # rect(n/3) = 1 on -1..1 (its edges ±3/2 are not integers): rect(n/3)*rect(n/3) = 3 − |n|
    y = convolve(rect(n / 3), rect(n / 3), n)
    same_values(y, Piecewise((3 - Abs(n), Abs(n) < 3), (0, True)))
    checked(y, rect(n / 3), rect(n / 3))
    # rect(n/4) is 1/2 at n = ±2: values [1/2, 1, 1, 1, 1/2] on -2..2; * [1, 1] on 0..1
    y = convolve(rect(n / 4), u(n) - u(n - 2), n)
    assert [y.subs(n, m) for m in range(-3, 5)] == [0, HALF, Rational(3, 2), 2, 2,
                                                     Rational(3, 2), HALF, 0]
    checked(y, rect(n / 4), u(n) - u(n - 2))


def test_heaviside_is_one_half_at_zero():
    # Heaviside[n] (1/2 at 0) * [1, 1]: 1/2 at 0, 3/2 at 1, 2 after
    y = convolve(Heaviside(n), u(n) - u(n - 2), n)
    assert [y.subs(n, m) for m in range(-1, 4)] == [0, HALF, Rational(3, 2), 2, 2]
    checked(y, Heaviside(n), u(n) - u(n - 2))


def test_piecewise_with_integer_conditions():
    # [0, 1, 2] on 0..2 * [1, 1] = [0, 1, 3, 2]
    x = Piecewise((n, (n >= 0) & (n < 3)), (0, True))
    y = convolve(x, u(n) - u(n - 2), n)
    assert_sequential(y)
    assert [y.subs(n, m) for m in range(-1, 5)] == [0, 0, 1, 3, 2, 0]
    checked(y, x, u(n) - u(n - 2))
    # a single value: 5 at n = 2 (an Eq condition) * p₃ = 5 on 2..4
    x = Piecewise((5, Eq(n, 2)), (0, True))
    y = convolve(x, u(n) - u(n - 3), n)
    same_values(y, Piecewise((0, n < 2), (5, n < 5), (0, True)))


# --------------------------------------------------------------------------
# aⁿ u[n] * u[n − N]
# --------------------------------------------------------------------------


@pytest.mark.parametrize("N", [0, 1, 3, -2])
def test_geometric_times_delayed_step(N):
    # Σ_{k=0}^{n−N} aᵏ = (1 − aⁿ⁻ᴺ⁺¹)/(1 − a) for n ≥ N;  Z: z⁻ᴺ · z/(z−1) · z/(z−a)
    a = Rational(1, 3)
    f, g = a**n * u(n), u(n - N)
    y = convolve(f, g, n)
    assert_sequential(y)
    same_values(y, Piecewise((0, n < N), ((1 - a ** (n - N + 1)) / (1 - a), True)))
    checked(y, f, g)
    if N >= 0:
        assert_z_transform(y, lambda z: z**-N * Zstep(z) * Zgeo(a)(z))


# --------------------------------------------------------------------------
# two-sided sequences
# --------------------------------------------------------------------------


def _abs_autoconvolution(a):
    # Σ_k a^{|k|+|n−k|}, n ≥ 0: (n+1)aⁿ from 0..n, aⁿ·a²/(1−a²) from k < 0,
    # aⁿ·a²/(1−a²) from k > n: aⁿ (n + (1 + a²)/(1 − a²)); even in n.
    return a ** Abs(n) * (Abs(n) + (1 + a**2) / (1 - a**2))


def test_two_sided_abs_exponent_numeric():
    f = HALF ** Abs(n)
    y = convolve(f, f, n)
    assert_sequential(y)
    same_values(y, _abs_autoconvolution(HALF))  # (1/2)^{|n|} (|n| + 5/3)
    checked(y, f, f)


def test_two_sided_abs_exponent_decidable_symbolic():
    # a = 1/(1 + p), p > 0, so 0 < a < 1 follows from the assumptions
    p = symbols("p", positive=True)
    a = 1 / (1 + p)
    f = a ** Abs(n)
    y = convolve(f, f, n)
    same_values(y, _abs_autoconvolution(a), ns=range(-4, 5))
    checked(y, f, f)


def test_two_sided_abs_exponent_undecided_names_the_condition():
    # a > 0 only: the sum converges iff a < 1, which the assumptions do not decide
    a = symbols("a", positive=True)
    with pytest.raises(DivergenceError) as info:
        convolve(a ** Abs(n), a ** Abs(n), n, conditions="raise")
    cond = info.value.condition
    assert cond is not None and cond.free_symbols == {a}
    assert str(cond) in str(info.value)
    for value, converges in [(HALF, True), (Rational(99, 100), True), (2, False), (1, False)]:
        assert bool(cond.subs(a, value)) is converges


def test_two_sided_product_of_causal_and_anticausal():
    # 2ⁿu[−n] * (1/2)ⁿu[n] = (1/2)ⁿ Σ_{k ≤ min(0, n)} 4ᵏ = (4/3)(1/2)^{|n|}
    f, g = 2**n * u(-n), HALF**n * u(n)
    y = convolve(f, g, n)
    assert_sequential(y)
    same_values(y, Rational(4, 3) * HALF ** Abs(n))
    checked(y, f, g)


def test_anticausal_times_causal_with_negative_ratio():
    # (−1/3)ⁿu[n] * 2ⁿu[−n−1] = Σ_{k ≥ max(0, n+1)} (−1/3)ᵏ 2ⁿ⁻ᵏ
    f, g = Rational(-1, 3) ** n * u(n), 2**n * u(-n - 1)
    y = convolve(f, g, n)
    assert_sequential(y)
    # n ≤ −1: Σ_{k≥0} (−1/3)ᵏ 2ⁿ⁻ᵏ = 2ⁿ/(1 + 1/6) = (6/7)2ⁿ;
    # n ≥ 0: Σ_{k≥n+1} (−1/3)ᵏ 2ⁿ⁻ᵏ = 2ⁿ (−1/6)ⁿ⁺¹/(1 + 1/6) = −(1/7)(−1/3)ⁿ
    expected = Piecewise(
        (Rational(6, 7) * 2**n, n < 0), (-Rational(1, 7) * Rational(-1, 3) ** n, True)
    )
    same_values(y, expected)
    checked(y, f, g)


# --------------------------------------------------------------------------
# trigonometric sequences
# --------------------------------------------------------------------------


def test_cosine_times_step():
    # Σ_{k=0}^{n} cos(πk/2) = 1, 1, 0, 0, … = (1 + cos(πn/2) + sin(πn/2))/2
    # Z{cos(ωn)u[n]} = z(z − cos ω)/(z² − 2z cos ω + 1) = z²/(z² + 1) for ω = π/2
    f, g = cos(pi * n / 2) * u(n), u(n)
    y = convolve(f, g, n)
    assert_sequential(y)
    assert not y.has(I)
    same_values(y, Piecewise((0, n < 0), ((1 + cos(pi * n / 2) + sin(pi * n / 2)) / 2, True)))
    checked(y, f, g)
    assert_z_transform(y, lambda z: z**2 / (z**2 + 1) * Zstep(z))


@pytest.fixture(scope="module")
def damped_cosine():
    f, g = cos(pi * n / 3) * HALF**n * u(n), u(n)
    return f, g, convolve(f, g, n)


def test_damped_cosine_times_step_values(damped_cosine):
    # Σ_{k=0}^{n} 2⁻ᵏ cos(πk/3) = Re (1 − rⁿ⁺¹)/(1 − r), r = e^{iπ/3}/2, 1/(1−r) = 1 + i/√3:
    # = 1 + sin(πn/3)/(√3·2ⁿ)
    f, g, y = damped_cosine
    same_values(y, Piecewise((0, n < 0), (1 + sqrt(3) * sin(pi * n / 3) / (3 * 2**n), True)),
                ns=range(-2, 9))
    checked(y, f, g)


def test_real_trigonometric_input_gives_real_output(damped_cosine):
    # DESIGN: sin/cos "enter as conjugate exponentials and leave as real sin/cos".
    # Expected: 1 + sqrt(3)*sin(pi*n/3)/(3*2**n) for n ≥ 0, with no I and no exp(I*pi/3).
    y = damped_cosine[2]
    assert not y.has(I), y
    assert y.count_ops() < 40, y


# --------------------------------------------------------------------------
# impulses
# --------------------------------------------------------------------------


def test_kronecker_delta_shifts():
    x = HALF**n * u(n)
    # δ[n − 2] * x = x[n − 2] = 4·(1/2)ⁿ for n ≥ 2
    y = convolve(KroneckerDelta(n, 2), x, n)
    same_values(y, Piecewise((0, n < 2), (4 * HALF**n, True)))
    checked(y, KroneckerDelta(n, 2), x)
    # δ[n + 3] * (1/3)ⁿu[n] = (1/3)ⁿ⁺³ u[n + 3]
    y = convolve(KroneckerDelta(n, -3), Rational(1, 3) ** n * u(n), n)
    same_values(y, Piecewise((0, n < -3), (Rational(1, 3) ** (n + 3), True)))
    # δ[n − 1] * δ[n − 2] = δ[n − 3]
    y = convolve(KroneckerDelta(n, 1), KroneckerDelta(n, 2), n)
    assert_sequential(y)
    same_values(y, KroneckerDelta(n, 3))
    # δ is the identity, also with an impulse inside x
    x2 = x + 5 * KroneckerDelta(n, 3)
    same_values(convolve(KroneckerDelta(n, 0), x2, n), x2)
    # KroneckerDelta(2n, 4) is δ[n − 2]
    same_values(convolve(KroneckerDelta(2 * n, 4), u(n), n), u(n - 2))


def test_dirac_delta_is_the_discrete_impulse():
    y = convolve(DiracDelta(n - 1), u(n), n)
    same_values(y, u(n - 1))
    checked(y, DiracDelta(n - 1), u(n))
    same_values(convolve(DiracDelta(n), DiracDelta(n), n), KroneckerDelta(n, 0))
    same_values(convolve(symconv.delta(n + 2), HALF**n * u(n), n),
                Piecewise((0, n < -2), (HALF ** (n + 2), True)))


# --------------------------------------------------------------------------
# divergence
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "f, g",
    [
        (u(n), S.One),  # Σ_{k≥0} 1
        (2**n * u(n), 2**n * u(-n)),  # terms 2ⁿ, independent of k
        (HALF**n, u(n)),  # (1/2)ᵏ grows as k → −∞
        (cos(pi * n / 2) * u(n), S.One),  # bounded, not summable
    ],
)
def test_divergent_sums_raise(f, g):
    with pytest.raises(DivergenceError) as info:
        convolve(f, g, n)
    assert info.value.condition is None
    assert "diverge" in str(info.value)
    assert isinstance(info.value, ArithmeticError)


# --------------------------------------------------------------------------
# correlation (closed form)
# --------------------------------------------------------------------------


def test_correlation_closed_forms():
    # Σ_k (1/2)ᵏu[k] (1/2)ᵏ⁺ⁿu[k+n] = (1/2)ⁿ Σ_{k ≥ max(0, −n)} 4⁻ᵏ = (4/3)(1/2)^{|n|}
    x = HALF**n * u(n)
    y = correlate(x, x, n)
    assert_sequential(y)
    same_values(y, Rational(4, 3) * HALF ** Abs(n))
    checked(y, x, x, kind="correlation")
    # [1, 1] against [1, 1, 1]: lags −1..2 give 1, 2, 2, 1
    f, g = u(n) - u(n - 2), u(n) - u(n - 3)
    y = correlate_sequence(f, g, n)
    assert [y.subs(n, m) for m in range(-2, 4)] == [0, 1, 2, 2, 1, 0]
    checked(y, f, g, kind="correlation")
    # correlate(f, g)[n] = convolve(f[−n], g)[n]
    same_values(y, convolve_sequence(f.subs(n, -n), g, n))
    # (1/2)ⁿu ⋆ 2ⁿu[−n]: Σ_{0 ≤ k ≤ −n} (1/2)ᵏ 2ᵏ⁺ⁿ = 2ⁿ (1 − n) for n ≤ 0
    y = correlate(x, 2**n * u(-n), n)
    same_values(y, Piecewise((2**n * (1 - n), n < 1), (0, True)))
    checked(y, x, 2**n * u(-n), kind="correlation")


# --------------------------------------------------------------------------
# the dispatcher
# --------------------------------------------------------------------------


def test_dispatcher_routes_by_input():
    assert convolve([1, 2, 3], [1, 1]) == [1, 3, 5, 3]
    assert convolve(np.array([1, 2]), (1, 1)) == [1, 3, 2]
    assert convolve(HALF**n * u(n), u(n), n) == convolve_sequence(HALF**n * u(n), u(n), n)
    # a list with a formula is the impulse train Σ x[k] δ[n - k] (direct sum below)
    y = convolve([1, 2], u(n), n)
    assert [y.subs(n, m) for m in range(-2, 4)] == [0, 0, 1, 3, 3, 3]
    t = symbols("t", real=True)
    with pytest.raises(UnsupportedInputError, match="finite list"):
        convolve([1, 2], u(t), t)
    assert convolve(u(n), u(n), n, check=True) == convolve(u(n), u(n), n)
    with pytest.raises(UnsupportedInputError, match="form="):
        convolve(u(n), u(n), n, form="heaviside")


# --------------------------------------------------------------------------
# finite exact lists
# --------------------------------------------------------------------------

exact_numbers = st.one_of(
    st.integers(-20, 20),
    st.builds(Fraction, st.integers(-20, 20), st.integers(1, 6)),
)
short_lists = st.lists(exact_numbers, min_size=1, max_size=9)


def as_fractions(values):
    return [_frac(v) if hasattr(v, "p") else Fraction(v) for v in values]


def np_obj(x):
    return np.array(list(x), dtype=object)


@settings(max_examples=150, deadline=None)
@given(short_lists, short_lists, st.sampled_from(["full", "same", "valid"]))
def test_lists_match_numpy_convolve(a, b, mode):
    got = convolve_finite(a, b, mode=mode)
    ref = list(np.convolve(np_obj(a), np_obj(b), mode=mode))
    assert as_fractions(got) == [Fraction(x) for x in ref]
    # the second input may be the longer one
    got = convolve_finite(b, a, mode=mode)
    ref = list(np.convolve(np_obj(b), np_obj(a), mode=mode))
    assert as_fractions(got) == [Fraction(x) for x in ref]


@pytest.mark.parametrize("mode", ["full", "same", "valid"])
@pytest.mark.parametrize("la, lb", [(1, 1), (1, 6), (6, 1), (2, 7), (7, 2), (4, 4), (3, 8), (8, 3)])
def test_lists_match_numpy_convolve_all_length_pairs(mode, la, lb):
    rng = random.Random(la * 100 + lb)
    a = [rng.randint(-9, 9) for _ in range(la)]
    b = [Fraction(rng.randint(-9, 9), rng.randint(1, 5)) for _ in range(lb)]
    ref = [Fraction(x) for x in np.convolve(np_obj(a), np_obj(b), mode=mode)]
    assert as_fractions(convolve_finite(a, b, mode=mode)) == ref
    assert as_fractions(convolve(a, b, mode=mode)) == ref


def _cyclic_reference(a, b, N, start=0):
    out = [Fraction(0)] * N
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            out[(i + j + start) % N] += Fraction(x) * Fraction(y)
    return out


@settings(max_examples=80, deadline=None)
@given(short_lists, short_lists, st.one_of(st.none(), st.integers(1, 12)))
def test_cyclic_matches_a_direct_modular_sum(a, b, period):
    N = period if period is not None else max(len(a), len(b))
    got = convolve_finite(a, b, mode="cyclic", period=period)
    assert as_fractions(got) == _cyclic_reference(a, b, N)


def test_cyclic_examples_and_validation():
    # circular convolution with period 4 of [1,2,3,4] and [1,1]: y[0] = 1 + 4
    assert convolve_finite([1, 2, 3, 4], [1, 1], mode="cyclic") == [5, 3, 5, 7]
    # period 3 < full length 6: everything wraps
    assert convolve_finite([1, 2, 3, 4], [1, 1, 1], mode="cyclic", period=3) == [10, 10, 10]
    # dict start indices move the result around the circle
    assert convolve_finite({1: 1, 2: 2}, [1, 1], mode="cyclic", period=4) == [0, 1, 3, 2]
    with pytest.raises(UnsupportedInputError, match="period"):
        convolve_finite([1, 2], [1], mode="cyclic", period=0)
    with pytest.raises(UnsupportedInputError, match="mode"):
        convolve_finite([1, 2], [1], mode="circular")


@st.composite
def index_dicts(draw):
    start = draw(st.integers(-6, 6))
    values = draw(short_lists)
    return {start + i: v for i, v in enumerate(values)}



def _frac(v):
    """An exact value (Python int for integer inputs, SymPy Rational otherwise) as Fraction."""
    return Fraction(v) if isinstance(v, int) else Fraction(int(v.p), int(v.q))

@settings(max_examples=80, deadline=None)
@given(index_dicts(), index_dicts())
def test_dicts_with_start_indices(f, g):
    got = convolve_finite(f, g)
    ref: dict = {}
    for i, x in f.items():
        for j, y in g.items():
            ref[i + j] = ref.get(i + j, Fraction(0)) + Fraction(x) * Fraction(y)
    assert set(got) == set(ref)
    assert {k: _frac(v) for k, v in got.items()} == ref
    # "same" and "valid" keep the indices of the kept part of the full result
    for mode in ("same", "valid"):
        part = convolve_finite(f, g, mode=mode)
        lst = convolve_finite(list(f.values()), list(g.values()), mode=mode)
        assert list(part.values()) == lst
        assert all(part[k] == got[k] for k in part)


def test_symbolic_entries():
    x, y, c = symbols("x y c")
    a, b = [1, x, 2], [c, HALF, y]
    got = convolve_finite(a, b)
    ref = [sum((a[i] * b[m - i] for i in range(len(a)) if 0 <= m - i < len(b)), S.Zero)
           for m in range(len(a) + len(b) - 1)]
    assert [expand(g - r) for g, r in zip(got, ref, strict=True)] == [0] * len(ref)
    assert convolve_finite({-1: x, 0: 1}, {2: y}) == {1: x * y, 2: y}
    assert [expand(v) for v in convolve_finite([sqrt(2), 1], [sqrt(2), -1])] == [2, 0, -1]


def test_empty_and_single_values():
    assert convolve_finite([], [1, 2]) == []
    assert convolve_finite([3], [Fraction(1, 3)]) == [1]
    assert convolve_finite({5: 2}, {-5: 3}) == {0: 6}


def test_long_integer_lists_are_exact_and_fast():
    rng = random.Random(20240101)
    N = 10**5
    a = [rng.randint(-(10**6), 10**6) for _ in range(N)]
    b = [rng.randint(-(10**6), 10**6) for _ in range(N)]
    t0 = time.perf_counter()
    y = convolve_finite(a, b)
    elapsed = time.perf_counter() - t0
    assert len(y) == 2 * N - 1
    # spot checks by direct sums
    for m in (0, 1, N - 1, N, 2 * N - 2, rng.randrange(2 * N - 1)):
        lo, hi = max(0, m - N + 1), min(m, N - 1)
        assert y[m] == sum(a[i] * b[m - i] for i in range(lo, hi + 1))
    # the whole product modulo a prime, evaluated at a random point: A(x)B(x) = Y(x)
    P, x = 2**61 - 1, rng.randrange(2**61 - 1)

    def ev(coeffs):
        acc = 0
        for c in reversed(coeffs):
            acc = (acc * x + int(c)) % P
        return acc

    assert ev(y) == ev(a) * ev(b) % P
    assert elapsed < 1.0, f"convolve_finite took {elapsed:.2f} s for two 10^5-long integer lists"


# --------------------------------------------------------------------------
# correlation of lists
# --------------------------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(short_lists, short_lists)
def test_list_correlation_matches_numpy(a, b):
    # symconv: c[n] = Σ_k a[k] b[k + n], lags n = −(len(a)−1) … len(b)−1, in that order.
    # numpy.correlate(x, v)[j] = Σ_k x[k + j'] v[k] with the lag reversed, so
    # c == numpy.correlate(b, a, "full") == numpy.correlate(a, b, "full")[::-1].
    got = as_fractions(correlate(a, b))
    assert got == [Fraction(x) for x in np.correlate(np_obj(b), np_obj(a), mode="full")]
    assert got == [Fraction(x) for x in np.correlate(np_obj(a), np_obj(b), mode="full")[::-1]]
    lagged = correlate(dict(enumerate(a)), dict(enumerate(b)))
    assert sorted(lagged) == list(range(-(len(a) - 1), len(b)))
    assert as_fractions([lagged[k] for k in sorted(lagged)]) == got
    for k, v in lagged.items():
        direct = sum((Fraction(a[i]) * Fraction(b[i + k]) for i in range(len(a))
                      if 0 <= i + k < len(b)), Fraction(0))
        assert _frac(v) == direct


# --------------------------------------------------------------------------
# properties on random finite exponential-type sequences
# --------------------------------------------------------------------------

BASES = [HALF, S.One, S(2), Rational(-1, 3)]


@st.composite
def exp_sequences(draw, max_pieces=2):
    """Σ c·nᵏ·aⁿ on small integer ranges [lo, lo + length): (SymPy expression, {n: value})."""
    expr, values = S.Zero, {}
    for _ in range(draw(st.integers(1, max_pieces))):
        lo = draw(st.integers(-4, 4))
        length = draw(st.integers(1, 4))
        k = draw(st.integers(0, 2))
        c = Rational(draw(st.integers(-4, 4).filter(bool)), draw(st.integers(1, 3)))
        a = draw(st.sampled_from(BASES))
        window = draw(st.sampled_from(["u", "piecewise"]))
        if window == "u":
            expr += c * n**k * a**n * (u(n - lo) - u(n - lo - length))
        else:
            expr += Piecewise((c * n**k * a**n, (n >= lo) & (n < lo + length)), (0, True))
        for i in range(lo, lo + length):
            values[i] = values.get(i, S.Zero) + c * Integer(i) ** k * a**i
    return expr, {i: v for i, v in values.items() if v != 0}


def direct(fv, gv):
    out: dict = {}
    for i, x in fv.items():
        for j, y in gv.items():
            out[i + j] = out.get(i + j, S.Zero) + x * y
    return out


def at(y, m):
    return y.xreplace({n: Integer(m)})


SPAN = range(-10, 17)  # covers supp f + supp g + shifts: indices -8..14, shifted by ±3


@settings(max_examples=30, deadline=None)
@given(exp_sequences(), exp_sequences())
def test_property_closed_form_equals_direct_sum(fx, gx):
    (f, fv), (g, gv) = fx, gx
    y = convolve(f, g, n)
    ref = direct(fv, gv)
    assert all(at(y, m) == ref.get(m, 0) for m in SPAN)
    if isinstance(y, Piecewise):
        assert_sequential(y)


@settings(max_examples=25, deadline=None)
@given(exp_sequences(), exp_sequences())
def test_property_commutative_and_sum_of_products(fx, gx):
    (f, fv), (g, gv) = fx, gx
    y, y2 = convolve(f, g, n), convolve(g, f, n)
    assert all(at(y, m) == at(y2, m) for m in SPAN)
    total = sum((at(y, m) for m in SPAN), S.Zero)
    assert total == sum(fv.values(), S.Zero) * sum(gv.values(), S.Zero)


@settings(max_examples=20, deadline=None)
@given(exp_sequences(), exp_sequences(), st.integers(-3, 3))
def test_property_shift_equivariance(fx, gx, s):
    (f, _), (g, _) = fx, gx
    y = convolve(f, g, n)
    ys = convolve(f.subs(n, n - s), g, n)
    assert all(at(ys, m) == at(y, m - s) for m in SPAN)


@settings(max_examples=20, deadline=None)
@given(exp_sequences(), st.sampled_from([KroneckerDelta(n, 0), DiracDelta(n)]))
def test_property_delta_is_the_identity(fx, delta):
    f, fv = fx
    y = convolve(f, delta, n)
    assert all(at(y, m) == fv.get(m, 0) for m in SPAN)
    y = convolve(delta, f, n)
    assert all(at(y, m) == fv.get(m, 0) for m in SPAN)


@settings(max_examples=10, deadline=None)
@given(exp_sequences(max_pieces=1), st.sampled_from(BASES[:1] + BASES[3:]))
def test_property_finite_times_infinite_verifies(fx, a):
    # a finite sequence against a decaying causal one: checked by verify_sequence
    f, _ = fx
    g = a**n * u(n)
    y = convolve(f, g, n)
    checked(y, f, g)


# --------------------------------------------------------------------------
# timeout=
# --------------------------------------------------------------------------
def _slow_sequences():
    """Legal sums that take tens of seconds of symbolic work."""
    a, b = symbols("a b", positive=True)
    return (n + a) ** 25 * (u(n) - u(n - 5)), (n + b) ** 3 * (u(n) - u(n - 4))


def test_timeout_stops_a_slow_sum():
    f, g = _slow_sequences()
    start = time.monotonic()
    with pytest.raises(symconv.TimeLimitError, match="the correlation did not finish"):
        correlate(f, g, n, timeout=0.5)
    assert time.monotonic() - start < 3


def test_timeout_stops_a_slow_sum_off_the_main_thread():
    import threading

    f, g = _slow_sequences()
    out = {}

    def work():
        start = time.monotonic()
        try:
            convolve(f, g, n, timeout=0.5)
        except symconv.TimeLimitError as err:
            out["err"] = err
        out["elapsed"] = time.monotonic() - start

    th = threading.Thread(target=work)
    th.start()
    th.join(60)
    assert "err" in out and out["elapsed"] < 3


def test_timeout_applies_to_lists_too():
    assert convolve([1, 2, 3], [1, 1], timeout=5) == [1, 3, 5, 3]
    with pytest.raises(UnsupportedInputError, match="timeout=0"):
        convolve([1, 2, 3], [1, 1], timeout=0)


def test_a_single_point_region_holds_its_value():
    """Impulse trains give regions of one integer: each holds its value (``y[1] = 3``), not a
    formula valid there only (``n + 2``), and the values are the direct sums'."""
    from sympy import DiracDelta, Piecewise

    f = DiracDelta(n) + 2 * DiracDelta(n - 1) + 3 * DiracDelta(n - 2)
    g = DiracDelta(n) + DiracDelta(n - 1)
    result = convolve(f, g, n)
    assert isinstance(result, Piecewise)
    assert all(not e.has(n) for e, _c in result.args)
    assert [result.subs(n, k) for k in range(-1, 5)] == [0] + convolve([1, 2, 3], [1, 1]) + [0]
