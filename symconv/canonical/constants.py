"""Real closed-form constants (π, √2, e, log 2): certified signs and exact equality.

A breakpoint may sit at a constant such as ``π`` or ``3π/4 + 1``. The order of
two such points is decided here, never by a float:

1. the difference is evaluated as a python-flint ``arb`` ball (a certified
   interval), at rising precision until the ball excludes zero;
2. a ball that keeps containing zero is zero only when that is *proven*
   exactly (the minimal polynomial of an algebraic number is ``x``, or the
   expression vanishes after exact rewriting of logarithms);
3. otherwise :class:`~symconv.errors.UndecidableOrderError` names both
   quantities.

Examples
--------
>>> from sympy import E, log, pi, sqrt, Rational
>>> sign(pi - Rational(355, 113))
-1
>>> sign(sqrt(2) + sqrt(3) - sqrt(5 + 2*sqrt(6)))
0
>>> sign(log(4) - 2*log(2))
0
>>> is_constant(pi / 2), is_constant(sqrt(2)), is_constant(Rational(1, 2))
(True, True, False)
>>> lo, hi = bounds(pi, 10)
>>> lo < Rational(314159, 100000) < Rational(314160, 100000) < hi, float(hi - lo) < 0.02
(True, True)
"""

from __future__ import annotations

from functools import lru_cache

from flint import acb, arb, ctx
from sympy import (
    Add,
    Catalan,
    E,
    EulerGamma,
    GoldenRatio,
    I,
    Mul,
    Pow,
    Symbol,
    acos,
    asin,
    atan,
    cos,
    cosh,
    exp,
    expand,
    factorint,
    log,
    minimal_polynomial,
    pi,
    sin,
    sinh,
    tan,
    tanh,
)
from sympy.polys.polyerrors import NotAlgebraic, PolynomialError

from symconv.canonical.rational import RQ
from symconv.errors import UndecidableOrderError

__all__ = ["is_constant", "is_zero", "log_of_rational", "sign", "bounds", "to_acb", "to_arb"]

#: Precisions (bits) tried in turn before a ball that contains zero is taken as a
#: possible equality and handed to the exact proof.
_PRECISIONS = (64, 256, 1024)


class _NotEvaluableError(Exception):
    """A constant with a part this module cannot enclose in a ball."""


_CONSTANTS = {
    pi: lambda: arb.pi(),
    E: lambda: arb(1).exp(),
    EulerGamma: lambda: arb.const_euler(),
    Catalan: lambda: arb.const_catalan(),
    GoldenRatio: lambda: (1 + arb(5).sqrt()) / 2,
}

_FUNCTIONS = {
    exp: "exp", log: "log", sin: "sin", cos: "cos", tan: "tan", sinh: "sinh",
    cosh: "cosh", tanh: "tanh", atan: "atan", asin: "asin", acos: "acos",
}


def _ball(e, num=arb):
    """``e`` as a ball of type ``num`` (``arb``, real; ``acb``, complex) at the current
    ``ctx.prec``."""
    if e.is_Rational:
        return num(int(e.p)) / int(e.q)
    if e in _CONSTANTS:
        return num(_CONSTANTS[e]())
    if e is I and num is acb:
        return acb(0, 1)
    if isinstance(e, Add):
        out = num(0)
        for a in e.args:
            out += _ball(a, num)
        return out
    if isinstance(e, Mul):
        out = num(1)
        for a in e.args:
            out *= _ball(a, num)
        return out
    if isinstance(e, Pow):
        base, ex = e.args
        if ex.is_Integer:
            return _ball(base, num) ** int(ex)
        if ex == 1 / 2 or ex == -1 / 2:  # sqrt and 1/sqrt
            root = _ball(base, num).sqrt()
            return root if ex > 0 else 1 / root
        return _ball(base, num) ** _ball(ex, num)
    name = _FUNCTIONS.get(type(e))
    if name is not None and len(e.args) == 1:
        return getattr(_ball(e.args[0], num), name)()
    raise _NotEvaluableError(e)


def to_acb(e, prec=64):
    """A certified complex ball containing the constant ``e`` at ``prec`` bits, or
    ``None`` when ``e`` holds something this module cannot enclose.

    >>> from sympy import I, exp, pi
    >>> to_acb(exp(I*pi/2), 53).contains(1j)
    True
    """
    old = ctx.prec
    ctx.prec = prec
    try:
        ball = _ball(e, acb)
    except (_NotEvaluableError, ValueError, ZeroDivisionError, OverflowError):
        return None
    finally:
        ctx.prec = old
    return ball if ball.is_finite() else None


def to_arb(e, prec=64):
    """A certified ball containing the real constant ``e`` at ``prec`` bits, or
    ``None`` when ``e`` holds something this module cannot enclose.

    >>> from sympy import pi
    >>> to_arb(pi, 53).contains(3.141592653589793)
    True
    """
    old = ctx.prec
    ctx.prec = prec
    try:
        ball = _ball(e)
    except (_NotEvaluableError, ValueError, ZeroDivisionError, OverflowError):
        return None
    finally:
        ctx.prec = old
    return ball if ball.is_finite() else None


def is_constant(e):
    """Is ``e`` a real closed-form constant that is not a rational (``π``, ``√2``,
    ``log 2``, ``3π/4 + 1``) and that can be enclosed in a certified ball?"""
    if not getattr(e, "is_number", False) or e.is_Rational:
        return False
    if e.is_extended_real is not True or e.has(Symbol):
        return False
    return _evaluable(e)


@lru_cache(maxsize=4096)
def _evaluable(e):
    return to_arb(e, 32) is not None


def _exact(x):
    """A finite binary ``arb`` (midpoint or radius) as an exact rational of :data:`RQ`."""
    man, exp_ = x.man_exp()
    man, exp_ = int(man), int(exp_)
    return RQ(man * 2**exp_) if exp_ >= 0 else RQ(man, 2**-exp_)


def bounds(e, prec=64):
    """Rationals ``(lo, hi)`` with ``lo < e < hi`` (certified), from a ball at ``prec`` bits.

    Raises :class:`UndecidableOrderError` when ``e`` cannot be enclosed."""
    ball = to_arb(e, prec)
    if ball is None:
        raise UndecidableOrderError(
            f"cannot bound the constant {e} with certified interval arithmetic; "
            "write it with rationals, pi, E, sqrt, exp, log or trigonometric functions")
    mid, rad = _exact(ball.mid()), _exact(ball.rad())
    rad = rad + abs(mid) / 2**prec + RQ(1, 2**prec)  # strict bounds, never a touching end
    return mid - rad, mid + rad


@lru_cache(maxsize=4096)
def sign(e):
    """The sign (-1, 0 or 1) of the real constant ``e``, certified; 0 only with an
    exact proof. Raises :class:`UndecidableOrderError` when neither is possible."""
    if e.is_Rational:
        return (e.p > 0) - (e.p < 0)
    for prec in _PRECISIONS:
        ball = to_arb(e, prec)
        if ball is None:
            raise UndecidableOrderError(
                f"cannot decide the sign of {e}: it holds a function that certified interval "
                "arithmetic cannot enclose (supported: rationals, pi, E, sqrt, powers, exp, "
                "log, trigonometric and hyperbolic functions)", e > 0)
        if ball > 0:
            return 1
        if ball < 0:
            return -1
    if _is_zero(e):
        return 0
    raise UndecidableOrderError(
        f"cannot decide the sign of {e}: certified interval arithmetic does not separate it "
        f"from 0 at {_PRECISIONS[-1]} bits and no exact proof that it is 0 was found",
        e > 0)


def log_of_rational(r):
    """``log r`` of a positive rational as ``Σ e·log p`` over its primes (small ones only)."""
    if not r > 0 or max(abs(r.p), r.q) > 10**30:
        return log(r)
    parts = [k * log(p) for p, k in factorint(r.p).items()]
    parts += [-k * log(p) for p, k in factorint(r.q).items()]
    return Add(*parts)


def _is_zero(e):
    """An exact proof that ``e == 0`` (``False`` when none is found)."""
    e = expand(e)
    if e == 0:
        return True
    logs = {x: log_of_rational(x.args[0]) for x in e.atoms(log) if x.args[0].is_Rational}
    if logs and expand(e.xreplace(logs)) == 0:  # log 6 - log 2 - log 3
        return True
    if e.is_algebraic:
        try:
            x = Symbol("x")
            return minimal_polynomial(e, x) == x
        except (NotAlgebraic, PolynomialError, NotImplementedError, ValueError):
            return False
    return False


def is_zero(e):
    """Is the complex closed-form constant ``e`` zero?  ``True`` when proven exactly,
    ``False`` when certified otherwise (a complex ball that excludes 0), ``None`` when
    neither (or when ``e`` holds a parameter).

    The same number may be written in different ways (``e^{-i}`` and
    ``cos 1 - i sin 1``; ``√2 e^{iπ/4}`` and ``1 + i``): the proof rewrites sines and
    cosines as exponentials, an exponential with a phase ``iπq`` as its cosine and sine
    (which SymPy evaluates at the angles it knows), expands, and then needs the
    coefficient of each remaining exponential to vanish (minimal polynomials for
    algebraic coefficients).

    >>> from sympy import I, cos, exp, pi, sin, sqrt
    >>> is_zero(exp(-I) - cos(1) + I*sin(1)), is_zero(sqrt(2)*exp(I*pi/4) - 1 - I)
    (True, True)
    >>> is_zero(exp(I) - cos(1)), is_zero(cos(2) - 2*cos(1)**2 + 1)
    (False, True)
    """
    if e == 0:
        return True
    if e.free_symbols:
        return None
    z = expand(_with_phases(e.rewrite(exp)))
    if z == 0:
        return True
    for prec in _PRECISIONS:
        ball = to_acb(z, prec)
        if ball is None:
            break
        if not ball.contains(0):
            return False
    return _zero_by_exponentials(z)


def _with_phases(e):
    """Each ``e^{a + iπq}`` as ``e^{a}(cos πq + i sin πq)`` (exact; SymPy evaluates the
    cosine and sine at the angles it knows)."""
    def split(x):
        arg = expand(x.args[0])
        phase = Add(*[a for a in Add.make_args(arg) if a.has(pi) and a.has(I)])
        if phase == 0:
            return x
        angle = expand(-I * phase)
        return exp(arg - phase) * (cos(angle) + I * sin(angle))

    return e.replace(lambda x: isinstance(x, exp), split)


def _zero_by_exponentials(z):
    """``True`` when each exponential of the expanded ``z`` has a coefficient proven 0."""
    groups = {}
    for term in Add.make_args(z):
        exps = [f for f in Mul.make_args(term) if isinstance(f, exp) or (
            isinstance(f, Pow) and f.base is E)]
        key = expand(Add(*[f.args[0] if isinstance(f, exp) else f.exp for f in exps]))
        rest = Mul(*[f for f in Mul.make_args(term) if f not in exps])
        if rest.has(exp):
            return None
        groups[key] = groups.get(key, 0) + rest
    for c in groups.values():
        if not _is_zero(c):  # expansion, logarithms, minimal polynomials
            return None
    return True
