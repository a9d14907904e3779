"""Exact numbers from what users type: floats as the rationals they stand for, and
logarithms of rationals over primes (as SymPy's domains take them).

Examples
--------
>>> from sympy import Float, log, symbols
>>> t = symbols("t")
>>> exact(t - 0.5), exact(Float("1e-400")) == Rational(1, 10**400), exact(log(8))
(t - 1/2, True, 3*log(2))
"""

from __future__ import annotations

import math

from sympy import Rational, S, log
from sympy.core.numbers import Float

__all__ = ["exact"]


def exact(expr):
    """Every float as the rational it stands for (a double by its shortest decimal form),
    every logarithm of a rational over primes.

    Examples
    --------
    >>> from sympy import Float, symbols
    >>> t = symbols("t")
    >>> exact(t - 0.5), exact(Float(0.1))
    (t - 1/2, 1/10)
    """
    floats = expr.atoms(Float)
    if floats:
        expr = expr.xreplace({f: _float_rational(f) for f in floats})
    return _prime_logs(expr)


def _prime_logs(expr):
    """``log 8`` as ``3 log 2``, ``log(3/4)`` as ``log 3 - 2 log 2``: logarithms of
    rationals over primes, as SymPy's domains take them (``log 8`` and ``log 2`` are one
    generator there, and a field in ``log 2`` cannot hold ``log 8`` written otherwise)."""
    logs = [x for x in expr.atoms(log) if x.args[0].is_Rational and x.args[0] > 0]
    if not logs:
        return expr
    from symconv.canonical.constants import log_of_rational

    return expr.xreplace({x: log_of_rational(x.args[0]) for x in logs})


def _float_rational(f):
    """The rational a float stands for: the shortest decimal of a double (``0.1`` is
    ``1/10``); a Float of more precision, or beyond a double's range (``1e-400``), by its
    own decimal digits, never through a double that would round or overflow it.

    >>> from sympy import Float
    >>> _float_rational(Float("1e-400")) == Rational(1, 10**400)
    True
    >>> _float_rational(Float("1.0000000000000000000001", 30)) - 1
    1/10000000000000000000000
    """
    if not f:
        return S.Zero
    x = float(f)
    if f._prec <= 53 and x and math.isfinite(x):
        return Rational(repr(x))
    return Rational(str(f))
