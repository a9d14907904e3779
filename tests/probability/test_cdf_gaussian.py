"""The CDF of a Normal plus another law, F = f_N * F_R (the Gaussian against the other
law's CDF, in the exact engine), against mpmath quadrature of the density."""

from __future__ import annotations

import mpmath
import pytest
from sympy import Rational, Symbol, lambdify

from symconv.probability import Die, Exponential, Normal, Uniform

x = Symbol("x", real=True)


@pytest.mark.parametrize("law", [
    lambda: Normal(0, 1) + Uniform(0, 1),
    lambda: Normal(0, 1) + Exponential(1),
    lambda: Normal(1, 2) + Uniform(-1, 3),
    lambda: Normal(0, Rational(1, 2)) + Exponential(2) + Exponential(3),
])
def test_cdf_is_the_integral_of_the_density(law):
    Z = law()
    pdf = lambdify(x, Z.pdf(x), "mpmath")
    cdf = Z.cdf(x)
    for v in (-2, 0, Rational(1, 2), 3):
        with mpmath.workdps(30):
            want = mpmath.quad(pdf, [-mpmath.inf, -10, -3, float(v)])
        assert abs(cdf.subs(x, v).evalf(30) - want) < 1e-12, v
    assert abs(Z.cdf(Rational(10**6)).evalf(30) - 1) < 1e-20


def test_cdf_of_normal_plus_die_steps_by_sixths():
    Z = Normal(0, Rational(1, 100)) + Die(6)  # nearly the die: F(3.5) is 1/2
    assert abs(Z.cdf(Rational(7, 2)).evalf(30) - Rational(1, 2)) < 1e-20
