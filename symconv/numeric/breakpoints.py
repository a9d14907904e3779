"""Breakpoints: the points where a signal may change its formula.

:func:`breakpoints_of` lists them exactly; the regions between breakpoints are where
a signal is one smooth expression.
"""

from __future__ import annotations

from itertools import combinations

import sympy
from sympy import (
    Abs,
    DiracDelta,
    Expr,
    Heaviside,
    Max,
    Min,
    Mod,
    Poly,
    Pow,
    S,
    Symbol,
    ceiling,
    floor,
    frac,
    log,
    sign,
)
from sympy.core.relational import Relational
from sympy.logic.boolalg import Boolean, BooleanFunction

from symconv.errors import UnsupportedInputError
from symconv.functions import ramp, rect, tri, u
from symconv.numeric.evaluate import _sorted_unique, _to_mp_real
from symconv.numeric.inputs import _as_expr, _check_var

__all__ = ["breakpoints_of"]

#: Functions whose breakpoints are infinitely many (not supported).
_STAIRCASES = (floor, ceiling, frac, Mod)
#: Functions that change form where their (first) argument vanishes.
_KINKS = (Heaviside, u, ramp, sign, Abs, DiracDelta, log)


#: Factors of a sequence that are evaluated as they stand (no breakpoints of their own).
_COMBINATORIAL = (sympy.factorial, sympy.gamma, sympy.binomial, sympy.RisingFactorial,
                  sympy.FallingFactorial)



def _real_zeros(expr: Expr, var: Symbol, where: Expr) -> tuple[Expr, ...]:
    """Real zeros (and poles) of ``expr`` in ``var``; ``where`` names the source."""
    if var not in expr.free_symbols:
        return ()
    num, den = sympy.fraction(sympy.together(expr))
    out: list = []
    for part in (num, den):
        if var.is_integer:  # n!, Γ(n + 1), C(m, n): evaluated where they stand, no breakpoint
            part = sympy.Mul(*[a for a in sympy.Mul.make_args(part)
                               if not isinstance(a.as_base_exp()[0], _COMBINATORIAL)])
        if var in part.free_symbols:
            out.extend(_zeros_of(part, var, where))
    return tuple(out)



def _zeros_of(part: Expr, var: Symbol, where: Expr) -> tuple[Expr, ...]:
    try:
        poly = Poly(part, var)
    except sympy.PolynomialError:
        poly = None
    if poly is not None and poly.degree() == 1:
        c1, c0 = poly.all_coeffs()
        return (-c0 / c1,)
    if poly is not None and poly.degree() > 1:
        try:
            return tuple(dict.fromkeys(sympy.real_roots(poly)))
        except (sympy.PolynomialError, NotImplementedError, sympy.DomainError):
            pass
    sol = sympy.solveset(part, var, S.Reals)
    if sol is S.EmptySet:
        return ()
    if isinstance(sol, sympy.FiniteSet):
        return tuple(sol)
    raise UnsupportedInputError(
        f"cannot list the breakpoints of {where}: the zeros of {part} in {var} "
        f"are {sol}; only finitely many breakpoints are supported",
        where,
    )



def _collect_breaks(expr, var: Symbol, out: list) -> None:
    """Append to ``out`` every point where ``expr`` may change form."""
    if var not in expr.free_symbols:
        return
    if isinstance(expr, _STAIRCASES):
        raise UnsupportedInputError(
            f"{expr} has infinitely many breakpoints; write it as a finite sum of steps",
            expr,
        )
    if isinstance(expr, _KINKS):
        out.extend(_real_zeros(expr.args[0], var, expr))
    elif isinstance(expr, rect):
        for c in (-S.Half, S.Half):
            out.extend(_real_zeros(expr.args[0] - c, var, expr))
    elif isinstance(expr, tri):
        for c in (-S.One, S.Zero, S.One):
            out.extend(_real_zeros(expr.args[0] - c, var, expr))
    elif isinstance(expr, (Min, Max)):
        for a, b in combinations(expr.args, 2):
            out.extend(_real_zeros(a - b, var, expr))
    elif isinstance(expr, Relational):
        out.extend(_real_zeros(expr.lhs - expr.rhs, var, expr))
    elif isinstance(expr, Pow):
        if not (expr.exp.is_Integer and expr.exp >= 0):
            out.extend(_real_zeros(expr.base, var, expr))
    elif isinstance(expr, Boolean) and not isinstance(expr, (BooleanFunction, Expr)):
        out.extend(_boolean_boundary(expr, var))
    for a in expr.args:
        _collect_breaks(a, var, out)



def _boolean_boundary(cond, var: Symbol) -> tuple[Expr, ...]:
    """Boundary points of a non-relational condition such as ``Contains``."""
    try:
        boundary = cond.as_set().boundary
    except (NotImplementedError, TypeError, ValueError) as exc:
        raise UnsupportedInputError(
            f"cannot find where the condition {cond} changes", cond
        ) from exc
    if isinstance(boundary, sympy.FiniteSet):
        return tuple(boundary)
    raise UnsupportedInputError(f"the condition {cond} has no finite set of boundary points", cond)



def _raw_breaks(expr: Expr, var: Symbol) -> tuple[Expr, ...]:
    out: list = []
    _collect_breaks(expr, var, out)
    return tuple(out)



def breakpoints_of(expr, var) -> tuple[Expr, ...]:
    """Points where a signal may change its formula.

    Zeros of the arguments of ``Heaviside``, ``u``, ``ramp``, ``sign``,
    ``Abs``, ``DiracDelta`` and ``log``; ``rect`` at argument ``±1/2``; ``tri``
    at ``-1, 0, 1``; where two arguments of ``Min``/``Max`` cross; the
    boundaries of ``Piecewise`` conditions; zeros of bases raised to negative
    or fractional powers.

    Parameters
    ----------
    expr : sympy.Expr
        Signal in ``var``; its other symbols must already have values.
    var : sympy.Symbol
        The time variable.

    Returns
    -------
    tuple of sympy.Expr
        Exact real numbers, sorted, without repeats.

    Raises
    ------
    UnsupportedInputError
        If a breakpoint depends on a symbol, or there are infinitely many.

    Examples
    --------
    >>> from sympy import symbols, Piecewise, Abs
    >>> from symconv.functions import rect, u
    >>> t = symbols("t", real=True)
    >>> breakpoints_of(rect((t - 2) / 3) + u(-t), t)
    (0, 1/2, 7/2)
    >>> breakpoints_of(Piecewise((t, (t > -1) & (t < 2)), (0, True)) + Abs(t**2 - 2), t)
    (-sqrt(2), -1, sqrt(2), 2)
    """
    var = _check_var(var)
    expr = _as_expr(expr, "expr")
    raw = _raw_breaks(expr, var)
    for b in raw:
        if not b.is_number:
            raise UnsupportedInputError(
                f"the breakpoint {b} of {expr} depends on {sorted(map(str, b.free_symbols))}; "
                "substitute numbers for the parameters first",
                b,
            )
    return _sorted_unique(raw)



def _count_regions(points_mp: list, breaks: tuple[Expr, ...]) -> int:
    """How many regions between ``breaks`` hold at least one of the points."""
    breaks_mp = [_to_mp_real(b) for b in breaks]
    return len({sum(1 for b in breaks_mp if b < x) for x in points_mp})



def _sums(xs: tuple, ys: tuple) -> list:
    return [x + y for x in xs for y in ys]
