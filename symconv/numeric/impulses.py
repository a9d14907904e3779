"""Impulses: a signal split into a regular part and ``c·δ⁽ᵏ⁾(t − T)`` terms.

A weight ``w(t)`` on an impulse is sifted:
``w(t)δ⁽ᵏ⁾(t−T) = Σⱼ (−1)ʲ C(k,j) w⁽ʲ⁾(T) δ⁽ᵏ⁻ʲ⁾(t−T)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy
from sympy import Abs, Add, DiracDelta, Expr, Mul, Piecewise, Poly, Pow, S, Symbol, binomial

from symconv.errors import UnsupportedInputError
from symconv.numeric.breakpoints import _raw_breaks, _real_zeros
from symconv.numeric.evaluate import _sorted_unique

#: Internal module: no public names.
__all__: list[str] = []

@dataclass(frozen=True, slots=True)
class _Impulse:
    """``weight·δ⁽ᵒʳᵈᵉʳ⁾(t − at)`` with exact SymPy data."""

    at: Expr
    order: int
    weight: Expr



@dataclass(frozen=True, slots=True)
class _NumImpulse:
    """An impulse with numeric location and weight (for comparisons)."""

    at: Expr
    at_mp: object
    order: int
    weight: object



@dataclass(frozen=True, slots=True)
class _Split:
    """A signal as regular part + impulses, with the regular part's breakpoints."""

    regular: Expr
    impulses: tuple[_Impulse, ...]
    breaks: tuple[Expr, ...]



def _delta_terms(d: DiracDelta, var: Symbol) -> tuple[_Impulse, ...]:
    """``DiracDelta(arg, k)`` as impulses ``c δ⁽ᵏ⁾(var − T)``."""
    arg = d.args[0]
    k = int(d.args[1]) if len(d.args) > 1 else 0
    if var not in arg.free_symbols:
        raise UnsupportedInputError(
            f"{d} does not depend on {var} (an infinite constant?); check the parameter values",
            d,
        )
    try:
        poly = Poly(arg, var)
    except sympy.PolynomialError:
        poly = None
    if poly is not None and poly.degree() == 1:
        p, q = poly.all_coeffs()
        return (_Impulse(-q / p, k, 1 / (Abs(p) * p**k)),)
    if k != 0:
        raise UnsupportedInputError(
            f"{d}: derivatives of an impulse need an argument linear in {var}", d
        )
    out = []
    slope = sympy.diff(arg, var)
    for r in _real_zeros(arg, var, d):
        s = slope.subs(var, r)
        if s == 0:
            raise UnsupportedInputError(f"{d} has a multiple zero at {var} = {r}", d)
        out.append(_Impulse(r, 0, 1 / Abs(s)))
    return tuple(out)



def _sift(imp: _Impulse, w: Expr, var: Symbol, source: Expr) -> tuple[_Impulse, ...]:
    """``w(t)·c δ⁽ᵏ⁾(t − T)`` by the sifting property and the product rule."""
    if var not in w.free_symbols:
        return (_Impulse(imp.at, imp.order, imp.weight * w),)
    out = []
    dw = w
    for j in range(imp.order + 1):
        if j:
            dw = sympy.diff(dw, var)
        val = dw.subs(var, imp.at)
        if val.has(DiracDelta) or not val.is_number or val.has(S.NaN, S.ComplexInfinity):
            raise UnsupportedInputError(
                f"in {source}, the factor {w} has no value (or derivative) at "
                f"{var} = {imp.at}, where the impulse sits",
                source,
            )
        c = (-1) ** j * binomial(imp.order, j) * val
        out.append(_Impulse(imp.at, imp.order - j, imp.weight * c))
    return tuple(out)



def _branch_at(pw: Piecewise, var: Symbol, x: Expr) -> int | None:
    """Index of the branch of ``pw`` selected at ``var = x``."""
    for i, (_, cond) in enumerate(pw.args):
        v = cond.subs(var, x)
        if v == S.true:
            return i
        if v != S.false:
            raise UnsupportedInputError(
                f"cannot decide the condition {cond} at {var} = {x} in {pw}", pw
            )
    return None



def _split(expr: Expr, var: Symbol) -> tuple[Expr, tuple[_Impulse, ...]]:
    """``expr`` as (regular part, impulses)."""
    if not expr.has(DiracDelta):
        return expr, ()
    if isinstance(expr, DiracDelta):
        return S.Zero, _delta_terms(expr, var)
    if isinstance(expr, Add):
        parts = [_split(a, var) for a in expr.args]
        return Add(*[r for r, _ in parts]), sum((i for _, i in parts), ())
    if isinstance(expr, Mul):
        return _split_mul(expr, var)
    if isinstance(expr, Pow) and expr.exp == 1:
        return _split(expr.base, var)
    if isinstance(expr, Piecewise):
        return _split_piecewise(expr, var)
    raise UnsupportedInputError(
        f"{expr}: an impulse (DiracDelta) may only be added or multiplied by a "
        "function, not used inside another function or power",
        expr,
    )



def _split_mul(expr: Mul, var: Symbol) -> tuple[Expr, tuple[_Impulse, ...]]:
    parts = [_split(a, var) for a in expr.args]
    carriers = [i for i, (_, imps) in enumerate(parts) if imps]
    regular = Mul(*[r for r, _ in parts])
    if not carriers:
        return regular, ()
    if len(carriers) > 1:
        raise UnsupportedInputError(f"{expr}: a product of impulses is not defined", expr)
    i = carriers[0]
    w = Mul(*[a for j, a in enumerate(expr.args) if j != i])
    imps = tuple(x for imp in parts[i][1] for x in _sift(imp, w, var, expr))
    return regular, imps



def _split_piecewise(pw: Piecewise, var: Symbol) -> tuple[Expr, tuple[_Impulse, ...]]:
    branches = []
    imps: list = []
    for i, (e, c) in enumerate(pw.args):
        r, bi = _split(e, var)
        branches.append((r, c))
        imps.extend(imp for imp in bi if _branch_at(pw, var, imp.at) == i)
    return Piecewise(*branches), tuple(imps)



def _split_signal(expr: Expr, var: Symbol) -> _Split:
    regular, imps = _split(expr, var)
    for imp in imps:
        if not (imp.at.is_number and imp.weight.is_number):
            raise UnsupportedInputError(
                f"impulse at {imp.at} with weight {imp.weight} is not numeric", expr
            )
    return _Split(regular, imps, _sorted_unique(_raw_breaks(regular, var)))
