"""Validation of the arguments of the numeric check (variable, kind, precision, numbers).

Text is refused, never evaluated; Python numbers become SymPy numbers by explicit
constructors.
"""

from __future__ import annotations

import numbers
from fractions import Fraction
from typing import Literal

import mpmath
import sympy
from sympy import Basic, Expr, Rational, S, Symbol

from symconv.errors import UnsupportedInputError

#: Internal module: no public names.
__all__: list[str] = []

Kind = Literal["convolution", "correlation"]

#: The accepted values of ``kind``.
_KINDS = ("convolution", "correlation")
#: Extra working digits on top of the requested ``dps``.
_GUARD_DPS = 10
#: Smallest accepted ``dps``.
_MIN_DPS = 10


def _check_var(var) -> Symbol:
    if not isinstance(var, Symbol):
        raise UnsupportedInputError(
            f"var must be a SymPy Symbol, got {var!r} of type {type(var).__name__}; "
            "create it with sympy.symbols('t', real=True)",
            var,
        )
    return var



def _check_kind(kind) -> str:
    if kind not in _KINDS:
        raise UnsupportedInputError(
            f"kind must be one of {', '.join(repr(k) for k in _KINDS)}, got {kind!r}"
        )
    return kind



def _check_dps(dps) -> int:
    if isinstance(dps, bool) or not isinstance(dps, int) or dps < _MIN_DPS:
        raise UnsupportedInputError(f"dps must be an integer >= {_MIN_DPS}, got {dps!r}")
    return dps



def _check_timeout(timeout) -> float:
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not timeout > 0:
        raise UnsupportedInputError(
            f"timeout must be a positive number of seconds, got {timeout!r}"
        )
    return float(timeout)



def _as_expr(x, name: str) -> Expr:
    """``x`` as a SymPy expression; text is refused (never evaluated)."""
    if isinstance(x, str):
        raise UnsupportedInputError(
            f"{name} is the string {x!r}; pass a SymPy expression "
            "(parse text with symconv's parser first)",
            x,
        )
    e = _from_python(x)
    if not isinstance(e, Expr):
        raise UnsupportedInputError(
            f"{name} must be a SymPy expression or a number, got {x!r} of type {type(x).__name__}",
            x,
        )
    return e



def _from_python(x) -> Basic | None:
    """A SymPy object for ``x`` built by explicit constructors, or ``None``."""
    if isinstance(x, Basic):
        return x
    if isinstance(x, bool):
        return None
    if isinstance(x, numbers.Integral):
        return sympy.Integer(int(x))
    if isinstance(x, Fraction):
        return Rational(x.numerator, x.denominator)
    if isinstance(x, (numbers.Real, mpmath.mpf)):
        return sympy.Float(mpmath.mpf(x))
    if isinstance(x, (numbers.Complex, mpmath.mpc)):
        z = mpmath.mpc(x)
        return sympy.Float(z.real) + sympy.I * sympy.Float(z.imag)
    return None



def _as_number(x, name: str) -> Expr:
    """``x`` as a finite SymPy number."""
    e = _as_expr(x, name)
    if not e.is_number or e.has(S.NaN, S.ComplexInfinity, S.Infinity, S.NegativeInfinity):
        raise UnsupportedInputError(f"{name} must be a finite number, got {e}", e)
    return e



def _check_points(points, name: str = "points") -> tuple[Expr, ...]:
    try:
        pts = tuple(points)
    except TypeError as exc:
        raise UnsupportedInputError(
            f"{name} must be an iterable of real numbers, got {points!r}", points
        ) from exc
    if not pts:
        raise UnsupportedInputError(f"{name} is empty; give at least one point or None")
    out = []
    for p in pts:
        e = _as_number(p, "a sample point")
        if e.is_extended_real is False:
            raise UnsupportedInputError(f"sample points must be real, got {e}", e)
        out.append(e)
    return tuple(out)
