"""The support of a law whose density has cases on its parameters (``a = b`` or not) is
the support in every case, not the whole line. Each case is checked against the same law
built with numbers for the parameters, and against its density just outside the ends."""

from __future__ import annotations

import pytest
from sympy import Rational, oo, symbols

from symconv.probability import Exponential, Normal, Uniform

a, b = symbols("a b", positive=True)
x = symbols("x", real=True)


@pytest.mark.parametrize(("law", "want"), [
    (lambda p, q: Exponential(p) + Exponential(q), (0, oo)),
    (lambda p, q: Exponential(p) + Exponential(q) + Exponential(1), (0, oo)),
    (lambda p, q: Uniform(0, p) + Uniform(0, q), (0, a + b)),
    (lambda p, q: Uniform(0, p) + Uniform(1, q + 1), (1, a + b + 1)),
    (lambda p, q: Normal(0, 1) + Exponential(p), (-oo, oo)),
])
def test_support_over_parameter_cases(law, want):
    d = law(a, b)
    assert d.support == want
    for va, vb in ((2, 3), (3, 2), (Rational(5, 2), Rational(5, 2))):  # each case
        lo, hi = (e.subs({a: va, b: vb}) for e in d.support)
        assert (lo, hi) == law(va, vb).support
        density = law(va, vb).pdf(x)
        if lo != -oo:
            assert density.subs(x, lo - Rational(1, 7)) == 0
            assert density.subs(x, lo + Rational(1, 7)) != 0
        if hi != oo:
            assert density.subs(x, hi + Rational(1, 7)) == 0
            assert density.subs(x, hi - Rational(1, 7)) != 0


@pytest.mark.parametrize("make", [
    lambda: Exponential(1) * symbols("z", nonzero=True) * float("nan"),
    lambda: Normal(0, 1) * oo,
    lambda: Normal(0, 1) + oo,
    lambda: Exponential(1) * 1j,
    lambda: Exponential(1) / 0,
    lambda: Exponential(symbols("I_", imaginary=True)),
    lambda: Normal(0, float("nan")),
])
def test_values_that_are_not_a_laws_are_refused(make):
    from symconv.errors import SymconvError

    with pytest.raises(SymconvError):
        make()


def test_division_and_infinite_arguments():
    half = Exponential(2) / 2  # X/2 with X ~ Exp(2) is Exp(4)
    assert half.mean() == Rational(1, 4)
    assert Normal(0, 1).cdf(oo) == 1 and Normal(0, 1).pdf(float("inf")) == 0


def test_uniform_with_symbolic_ends_carries_a_less_than_b():
    """Uniform(a, b) implies a < b: sums of it are computed under that fact (no case for
    a ≥ b), and evaluated at symbolic points by it; checked against a = 1, b = 4."""
    p, q = symbols("p q", real=True)
    law = Uniform(p, q) + Uniform(p, q)
    assert law.support == (2 * p, 2 * q)
    assert law.cdf(p + q) == Rational(1, 2)
    assert (law.pdf(p + q) - 1 / (q - p)).cancel() == 0  # the triangle's peak
    numeric = Uniform(1, 4) + Uniform(1, 4)
    for v in (Rational(5, 2), 4, Rational(13, 2)):
        assert (law.pdf(x).subs({p: 1, q: 4}).subs(x, v)) == numeric.pdf(v)
    mixed = Uniform(p, q) + Exponential(1)
    assert (mixed.pdf(x).subs({p: 1, q: 4}).subs(x, 3) - (Uniform(1, 4) + Exponential(1))
            .pdf(3)).simplify() == 0
