"""Structural shapes of SymPy expressions in the time variable, without expanding them.

Shared by the special families (:mod:`symconv.engine.special`) and the guarded fallback
(:mod:`symconv.engine.fallback`): products distributed over sums at the top level only,
and polynomials whose degree is bounded *before* they are expanded, so that a
hostile ``(1 + t)**10**6`` is refused without being built.

Examples
--------
>>> from sympy import symbols
>>> t = symbols("t")
>>> degree_bound((1 + t)**10**6 * t, t)
1000001
>>> as_poly((1 + t)**10**6, t) is None
True
>>> as_poly((1 + t)**2, t).all_coeffs()
[1, 2, 1]
"""

from __future__ import annotations

from sympy import Poly, expand
from sympy.polys.polyerrors import PolynomialError

__all__ = ["distribute", "as_poly", "degree_bound", "MAX_DEGREE"]

#: Polynomial prefactors above this degree are refused (the moment sums grow quadratically).
MAX_DEGREE = 40


def distribute(x):
    """Products distributed over sums at the top level only (no change inside functions)."""
    return expand(x, deep=False, mul=True, multinomial=False, power_exp=False,
                  power_base=False, log=False)

def as_poly(x, t, max_degree=MAX_DEGREE):
    """``Poly(x, t)`` when ``x`` is a polynomial in ``t`` (``t``-free coefficients) of degree
    at most ``max_degree``; the degree is bounded structurally first, so ``(1 + t)**10**6`` is
    refused without being expanded."""
    if not x.is_polynomial(t) or degree_bound(x, t) > max_degree:
        return None
    try:
        return Poly(x, t)
    except PolynomialError:
        return None

def degree_bound(x, t):
    """An upper bound on the degree in ``t`` of a polynomial expression, without expanding."""
    if not x.has(t):
        return 0
    if x == t:
        return 1
    if x.is_Add:
        return max(degree_bound(arg, t) for arg in x.args)
    if x.is_Mul:
        return sum(degree_bound(arg, t) for arg in x.args)
    if x.is_Pow and x.exp.is_Integer and x.exp >= 0:
        return int(x.exp) * degree_bound(x.base, t)
    return float("inf")
