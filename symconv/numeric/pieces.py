"""Smooth pieces: a split signal on each region between its breakpoints.

Steps, boxes, ``Abs``, ``Min``/``Max`` and ``Piecewise`` branches are fixed at a point
inside the region (:func:`_freeze`), and the smooth expression left is compiled.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import mpmath
import sympy
from sympy import Abs, DiracDelta, Expr, Heaviside, Max, Min, Piecewise, S, Symbol, sign

from symconv.errors import UnsupportedInputError
from symconv.functions import ramp, rect, tri, u
from symconv.numeric.evaluate import _compile, _to_mp
from symconv.numeric.impulses import _NumImpulse, _Split

#: Internal module: no public names.
__all__: list[str] = []

@dataclass(frozen=True, slots=True)
class _Numeric:
    """A split signal made ready for quadrature at the current precision.

    ``pieces[k]`` is the signal on the k-th region between ``breaks_mp``
    (``None`` where it vanishes); ``derivs[j]`` is its j-th classical
    derivative everywhere (for impulses).
    """

    derivs: tuple[Callable, ...]
    breaks_mp: tuple[object, ...]
    pieces: tuple[Callable | None, ...]
    impulses: tuple[_NumImpulse, ...]



def _region_points(breaks: tuple[Expr, ...]) -> list[Expr]:
    """One exact point inside each region between consecutive breakpoints."""
    if not breaks:
        return [S.Zero]
    inner = [(a + b) / 2 for a, b in zip(breaks[:-1], breaks[1:], strict=True)]
    return [breaks[0] - 1, *inner, breaks[-1] + 1]



def _regions(breaks_mp: tuple) -> list:
    ends = [-mpmath.inf, *breaks_mp, mpmath.inf]
    return list(zip(ends[:-1], ends[1:], strict=True))



def _sign_at(x: Expr, var: Symbol, m: Expr) -> int | None:
    """Sign of the real number ``x(m)``; ``None`` if it is zero, complex or unknown."""
    v = x.xreplace({var: m})
    if not v.is_number:
        return None
    with mpmath.workdps(50):
        try:
            z = _to_mp(v)
        except UnsupportedInputError:
            return None
    if isinstance(z, mpmath.mpc) or z == 0 or mpmath.isnan(z):
        return None
    return 1 if z > 0 else -1



def _value_at(x: Expr, var: Symbol, m: Expr):
    """``x(m)`` as a real mpf at 50 digits, or ``None``."""
    v = x.xreplace({var: m})
    if not v.is_number:
        return None
    with mpmath.workdps(50):
        try:
            z = _to_mp(v)
        except UnsupportedInputError:
            return None
    return None if isinstance(z, mpmath.mpc) or mpmath.isnan(z) else z



def _freeze(e: Expr, var: Symbol, m: Expr) -> Expr:
    """The smooth expression that ``e`` equals on the region around ``m``.

    Steps, boxes, triangles, ramps, signs, absolute values, Min/Max and
    Piecewise are replaced by the branch they take at ``m``; as ``m`` lies
    strictly between breakpoints, that branch holds on its whole region.
    Nodes whose branch cannot be decided are kept as they are.
    """
    if var not in e.free_symbols:
        return e
    if isinstance(e, Piecewise):
        return _freeze_piecewise(e, var, m)
    if isinstance(e, DiracDelta):
        return S.Zero
    args = [_freeze(a, var, m) if isinstance(a, Expr) else a for a in e.args]
    frozen = _freeze_node(e, args, var, m)
    if frozen is not None:
        return frozen
    return e.func(*args) if args != list(e.args) else e



def _freeze_node(e: Expr, args: list, var: Symbol, m: Expr) -> Expr | None:
    """Branch of one kink-type node at ``m`` (arguments already frozen), or ``None``."""
    if isinstance(e, (Heaviside, u, ramp, sign, Abs)):
        s = _sign_at(args[0], var, m)
        if s is None:
            return None
        on = {Heaviside: S.One, u: S.One, ramp: args[0], sign: S.One, Abs: args[0]}
        off = {Heaviside: S.Zero, u: S.Zero, ramp: S.Zero, sign: -S.One, Abs: -args[0]}
        return (on if s > 0 else off)[e.func]
    if isinstance(e, (rect, tri)):
        x = _value_at(args[0], var, m)
        if x is None:
            return None
        if isinstance(e, rect):
            return S.One if abs(x) < 0.5 else S.Zero
        if abs(x) >= 1:
            return S.Zero
        return 1 + args[0] if x < 0 else 1 - args[0]
    if isinstance(e, (Min, Max)):
        values = [_value_at(a, var, m) for a in args]
        if any(v is None for v in values):
            return None
        best = min(values) if isinstance(e, Min) else max(values)
        return args[values.index(best)]
    return None



def _freeze_piecewise(pw: Piecewise, var: Symbol, m: Expr) -> Expr:
    for expr_i, cond in pw.args:
        c = cond.xreplace({var: m})
        if c == S.true:
            return _freeze(expr_i, var, m)
        if c != S.false:
            raise UnsupportedInputError(
                f"cannot decide the condition {cond} at {var} = {m} in {pw}", pw
            )
    raise UnsupportedInputError(
        f"{pw} is undefined at {var} = {m} (a Piecewise without an otherwise branch?); "
        "add (0, True)",
        pw,
    )



def _pieces(sp: _Split, var: Symbol, role: str) -> tuple:
    """Per region of ``sp.breaks``: a compiled smooth piece, or ``None`` where it vanishes."""
    compiled: dict = {}
    out = []
    for m in _region_points(sp.breaks):
        frozen = _freeze(sp.regular, var, m)
        if frozen == 0:
            out.append(None)
            continue
        if frozen not in compiled:
            compiled[frozen] = _compile(frozen, var, role)
        out.append(compiled[frozen])
    return tuple(out)



def _numeric(sp: _Split, var: Symbol, orders: int, role: str) -> _Numeric:
    """Compile a split signal: its smooth pieces and its classical derivatives up to ``orders``."""
    fns = [_compile(sp.regular, var, role)]
    expr = sp.regular
    for k in range(1, orders + 1):
        expr = sympy.diff(expr, var)
        fns.append(_compile(expr, var, f"derivative {k} of {role}"))
    breaks_mp = tuple(_to_mp(b) for b in sp.breaks)
    imps = tuple(_NumImpulse(i.at, _to_mp(i.at), i.order, _to_mp(i.weight)) for i in sp.impulses)
    return _Numeric(tuple(fns), breaks_mp, _pieces(sp, var, role), imps)



def _max_order(sp: _Split) -> int:
    return max((i.order for i in sp.impulses), default=0)
