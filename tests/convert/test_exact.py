"""Floats become the rationals they stand for without passing through a double when that
would round or overflow them: a double's shortest decimal (0.1 is 1/10), otherwise the
Float's own digits (1e-400, 1e400, a 30-digit Float)."""

from __future__ import annotations

from sympy import Float, Rational, symbols

from symconv import check_answer, convolve, rect, tri
from symconv.convert.signals import exact

t = symbols("t", real=True)


def test_doubles_read_as_their_shortest_decimal():
    assert exact(Float(0.1)) == Rational(1, 10)
    assert exact(Float(-2.5e-5)) == Rational(-1, 40000)


def test_beyond_a_double_and_beyond_its_precision():
    assert exact(Float("1e-400")) == Rational(1, 10**400)
    assert exact(Float("1e400")) == 10**400
    assert exact(Float("1.0000000000000000000001", 30)) == 1 + Rational(1, 10**22)


def test_a_tiny_factor_is_not_zero():
    y = convolve(Float("1e-400") * rect(t), rect(t), t)
    assert y.subs(t, 0) == Rational(1, 10**400)  # the triangle's peak, scaled


def test_answers_off_by_a_tiny_amount_are_incorrect():
    assert not check_answer(tri(t) + Float("1e-400") * rect(t), rect(t), rect(t), t)
    assert not check_answer(tri(t) * Float("1.0000000000000000000001", 30), rect(t),
                            rect(t), t)
    assert check_answer(tri(t) * Float("1.0", 30), rect(t), rect(t), t)


def test_logarithms_of_rationals_in_breakpoints():
    """log 8 next to log 2 (one generator for SymPy's domains) raised a SymPy ValueError;
    the results are checked by hand (e^{-log 2} = 1/2)."""
    from sympy import exp, log

    from symconv.functions import u

    y = convolve(u(3 * t + log(8)), u(t - log(2)) * exp(-t), t)
    assert (y.subs(t, 1) - (Rational(1, 2) - exp(-1) / 2)).simplify() == 0
    y = convolve(exp(-t) * u(t - log(4) / 2), u(t) * exp(-2 * t), t)
    assert (y.subs(t, 2) - (exp(-2) - 2 * exp(-4))).simplify() == 0
    assert y.subs(t, Rational(1, 2)) == 0  # before log 2


def test_breakpoints_at_constants_built_from_a_ratio():
    """rect((t - (π + √2)/2)/(π - √2)) spans [√2, π]: its edges are exact (the domain's
    generators are π and √2, not 1/(π - √2) beside π), so with u(t - π) it is u(t - √2);
    u * that is the ramp (t - √2) u(t - √2)."""
    from sympy import pi, sqrt

    from symconv.functions import u

    window = rect((t - (pi + sqrt(2)) / 2) / (pi - sqrt(2)))
    y = convolve(u(t), window + u(t - pi), t)
    assert y.subs(t, 1) == 0
    for v in (2, Rational(7, 2), 10):
        assert (y.subs(t, v) - (v - sqrt(2))).simplify() == 0
