"""Exact objects as numeric curves: regions, impulses and tables, the window, the axis limits.

The result of :func:`symconv.convolve` (a ``Piecewise`` with exact breakpoints) is
split at its breakpoints and each region's SymPy expression is evaluated with
``lambdify`` on a NumPy array. Floats appear only here, at the numeric edge;
nothing numeric flows back into the symbolic layer.

Examples
--------
>>> from sympy import symbols
>>> from symconv import rect
>>> t = symbols("t", real=True)
>>> curve = _curve(rect(t), t)
>>> [str(p) for p in curve.finite_points()]
['-1/2', '1/2']
>>> curve.values([0.0, 1.0]).tolist()
[1.0, 0.0]
"""

from __future__ import annotations

import importlib.util
import math
from dataclasses import dataclass

import mpmath
import numpy as np
from sympy import (
    Add,
    DiracDelta,
    Heaviside,
    Integer,
    Piecewise,
    Poly,
    S,
    lambdify,
    oo,
    sign,
    sympify,
)
from sympy.core.relational import Relational
from sympy.core.sympify import SympifyError
from sympy.polys.polyerrors import PolynomialError

from symconv.errors import UnsupportedInputError
from symconv.plot.common import _RESOLUTION

__all__: list[str] = []


# ---------------------------------------------------------------------------
# exact objects -> numeric curves
# ---------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Region:
    """``expr`` on ``[lo, hi)`` (exact ends, ``±oo`` allowed); ``fn`` its NumPy function.

    ``exact`` is ``False`` for regions of a signal outside symconv's class: there
    ``expr`` is the whole signal and the ends are only where it may jump.
    """

    lo: object
    hi: object
    expr: object
    fn: object
    exact: bool = True


@dataclass(frozen=True, slots=True)
class _Impulse:
    """``weight · δ⁽ᵒʳᵈᵉʳ⁾(var - at)`` with exact ``at`` and ``weight``."""

    at: object
    weight: object
    order: int


@dataclass(frozen=True, slots=True)
class _Curve:
    """A signal ready to draw: exact regions, impulses, or a finite table of values."""

    var: object
    discrete: bool
    regions: tuple = ()
    impulses: tuple = ()
    table: tuple | None = None  # ((index, exact value), ...) for finite sequences

    # -- structure ----------------------------------------------------------------------
    def cuts(self):
        """Interior region boundaries as floats."""
        return np.array([float(r.lo) for r in self.regions[1:]], dtype=float)

    def finite_points(self):
        """Exact finite breakpoints, impulse positions and table indices."""
        if self.table is not None:
            return [Integer(k) for k, _ in self.table]
        pts = [r.lo for r in self.regions[1:]]
        pts += [i.at for i in self.impulses]
        return pts

    def region_index(self, x):
        """Index of the region holding the exact point ``x`` (half-open ``[lo, hi)``)."""
        for i, r in enumerate(self.regions):
            if bool(r.lo <= x) and bool(x < r.hi):
                return i
        return len(self.regions) - 1

    def tail_is_zero(self, direction):
        """``True`` when the signal vanishes beyond its last (first) breakpoint."""
        if self.table is not None:
            return True
        r = self.regions[-1] if direction > 0 else self.regions[0]
        return r.exact and r.expr == 0

    # -- numbers ------------------------------------------------------------------------
    def eval_region(self, i, xs):
        """Values of region ``i``'s expression at ``xs`` (one-sided limits at its ends)."""
        r = self.regions[i]
        xs = np.asarray(xs, dtype=float)
        if not r.exact:  # the whole signal: nudge the ends inside the region
            lo = float(r.lo) if r.lo != -oo else -np.inf
            hi = float(r.hi) if r.hi != oo else np.inf
            eps = 1e-9 * max([1.0, *(abs(v) for v in (lo, hi) if np.isfinite(v))])
            xs = np.clip(xs, lo + eps, hi - eps)
        return _call(r.fn, xs)

    def values(self, xs):
        """The regular part at ``xs`` (the value of the region holding each point)."""
        xs = np.asarray(xs, dtype=float)
        if self.table is not None:
            lookup = {k: float(v) for k, v in self.table}
            return np.array([lookup.get(int(round(x)), 0.0) for x in xs.ravel()]).reshape(
                xs.shape)
        idx = np.searchsorted(self.cuts(), xs, side="right")
        out = np.zeros(xs.shape, dtype=float)
        for i in np.unique(idx):
            mask = idx == i
            out[mask] = self.eval_region(int(i), xs[mask])
        return out

    def segments(self, a, b, join_jumps=False, n=_RESOLUTION):
        """Polylines ``[(xs, ys), ...]`` over ``[a, b]``, one per run without jumps."""
        pieces = []
        width = max(b - a, 1e-12)
        for i, r in enumerate(self.regions):
            lo = max(a, float(r.lo) if r.lo != -oo else -np.inf)
            hi = min(b, float(r.hi) if r.hi != oo else np.inf)
            if hi < lo:
                continue
            count = max(2, int(n * (hi - lo) / width) + 1)
            if r.exact and r.expr.is_number:
                count = 2
            xs = np.linspace(lo, hi, count)
            pieces.append((xs, self.eval_region(i, xs)))
        return _join(pieces, join_jumps)

    def exact_at(self, x):
        """The exact value of the regular part at ``x``, or ``None`` outside the class."""
        if self.table is not None:
            return dict(self.table).get(int(x), S.Zero)
        r = self.regions[self.region_index(x)]
        if not r.exact:
            return None
        return r.expr.subs(self.var, x)


def _call(fn, xs):
    with np.errstate(all="ignore"):
        v = np.asarray(fn(xs))
    v = np.broadcast_to(v, xs.shape)
    if np.iscomplexobj(v):
        scale = 1.0 + float(np.nanmax(np.abs(v.real), initial=0.0))
        if float(np.nanmax(np.abs(v.imag), initial=0.0)) > 1e-9 * scale:
            raise UnsupportedInputError(
                "the signal has complex values; plot its real and imaginary parts "
                "separately (sympy.re(expr), sympy.im(expr))"
            )
        v = v.real
    with np.errstate(all="ignore"):
        try:
            return np.array(v, dtype=float)
        except (OverflowError, TypeError, ValueError):  # 1e400: not a float
            return np.array([_finite_or_nan(x) for x in np.ravel(v)]).reshape(np.shape(v))


def _finite_or_nan(x):
    try:
        f = float(x)
    except (OverflowError, TypeError, ValueError):
        return np.nan
    return f if math.isfinite(f) else np.nan


def _join(pieces, join_jumps):
    """Merge neighbouring polylines that meet (same end point) or when jumps are joined."""
    out = []
    for xs, ys in pieces:
        if out:
            pxs, pys = out[-1]
            same_x = abs(pxs[-1] - xs[0]) <= 1e-12 * max(1.0, abs(xs[0]))
            scale = max(1.0, abs(pys[-1]), abs(ys[0]))
            meets = same_x and abs(pys[-1] - ys[0]) <= 1e-9 * scale
            if meets or (same_x and join_jumps):
                out[-1] = (np.concatenate([pxs, xs]), np.concatenate([pys, ys]))
                continue
        out.append((xs, ys))
    return out


def _polyline(segments):
    """One ``(xs, ys)`` with NaN between segments (a gap at every jump)."""
    xs, ys = [], []
    for i, (sx, sy) in enumerate(segments):
        if i:
            xs.append(np.array([np.nan]))
            ys.append(np.array([np.nan]))
        xs.append(sx)
        ys.append(sy)
    if not xs:
        return np.array([]), np.array([])
    return np.concatenate(xs), np.concatenate(ys)


def _exact_number(v, what):
    """A real number given by the user, made exact (floats by their shortest decimal)."""
    from symconv.convert.exact import exact

    if isinstance(v, bool):
        raise UnsupportedInputError(f"{what} must be a number, got {v!r}")
    try:
        e = exact(sympify(v, strict=True))
    except (SympifyError, TypeError):
        raise UnsupportedInputError(f"{what} must be a real number, got {v!r}") from None
    if not (e.is_number and e.is_extended_real and e.is_finite):
        raise UnsupportedInputError(f"{what} must be a finite real number, got {v!r}")
    if abs(e) > MAX_COORDINATE:  # 1e400 has no float to draw with
        raise UnsupportedInputError(
            f"{what} = {float(e) if abs(e) < 1e308 else str(e)[:12] + '...'} is beyond what "
            f"a picture can show (at most {MAX_COORDINATE:g} in size)")
    return e


#: The largest instant or window end a picture takes (a float, with room to spare).
MAX_COORDINATE = 1e300


def _is_finite_sequence(x):
    if isinstance(x, (list, tuple, dict)):
        return True
    return type(x).__module__ == "numpy" and hasattr(x, "shape")


def _table_curve(values, var):
    from symconv.engine.finite import _as_items

    start, vals = _as_items(values, "the sequence")
    table = tuple((start + i, v) for i, v in enumerate(vals))
    for _, v in table:
        if v.free_symbols:
            raise _parameters_error(v, v.free_symbols)
    return _Curve(var, True, table=table)


def _parameters_error(expr, free):
    names = ", ".join(sorted(str(s) for s in free))
    first = sorted(free, key=str)[0]
    return UnsupportedInputError(
        f"cannot draw a signal with free parameters ({names}); substitute numbers first, "
        f"e.g. expr.subs({first}, 2)",
        expr,
    )


def _curve(expr, var):
    """The drawable form of ``expr`` in ``var`` (or of a finite list of values)."""
    if _is_finite_sequence(expr):
        return _table_curve(expr, var)
    from symconv.convert.exact import exact

    try:
        expr = exact(sympify(expr, strict=True))
    except SympifyError:
        raise UnsupportedInputError(f"cannot draw {expr!r}: not a SymPy expression") from None
    free = expr.free_symbols - {var}
    if free:
        raise _parameters_error(expr, free)
    discrete = bool(var.is_integer)
    try:
        return _discrete_curve(expr, var) if discrete else _continuous_curve(expr, var)
    except UnsupportedInputError:
        return _generic_curve(expr, var, discrete)


def _region(lo, hi, expr, var, exact=True):
    return _Region(lo, hi, expr, _numeric(var, expr), exact)


def _numeric(var, expr):
    """A function of a NumPy array giving ``expr``'s floats: NumPy's, or, where NumPy has
    no such function (``erfi``, ``factorial(1/2)``) or overflows, mpmath's point by point
    (``nan`` where a value is not a finite float)."""
    tries = [lambdify(var, expr, modules="numpy")]
    if importlib.util.find_spec("scipy") is not None:  # erfi and friends, vectorised
        tries.append(lambdify(var, expr, modules=["scipy", "numpy"]))
    slow = None

    def fn(xs):
        nonlocal slow
        for i, fast in enumerate(tries):
            try:
                with np.errstate(all="ignore"):
                    out = np.asarray(fast(xs))
                out = np.broadcast_to(out, np.shape(xs))
                if out.dtype != object:
                    del tries[:i]  # the evaluator that works is tried first next time
                    return out
            except (NameError, TypeError, ValueError, OverflowError, ZeroDivisionError,
                    AttributeError):
                pass
        if slow is None:
            slow = lambdify(var, expr, modules="mpmath")
        return np.array([_point(slow, x) for x in np.ravel(xs)]).reshape(np.shape(xs))

    return fn


def _point(fn, x):
    try:
        v = complex(fn(mpmath.mpf(float(x))))
    except (TypeError, ValueError, OverflowError, ZeroDivisionError, NameError):
        return np.nan
    if not (math.isfinite(v.real) and math.isfinite(v.imag)):
        return np.nan
    return v.real if abs(v.imag) <= 1e-12 * max(1.0, abs(v.real)) else v


def _continuous_curve(expr, var):
    from symconv.canonical.signal import to_sympy_point
    from symconv.convert.output import expoly_to_sympy
    from symconv.convert.signals import to_signal

    sig = to_signal(expr, var)
    regions = []
    prev = -oo
    for p in sig.pieces:
        lo, hi = to_sympy_point(p.lo), to_sympy_point(p.hi)
        if prev < lo:
            regions.append(_region(prev, lo, S.Zero, var))
        regions.append(_region(lo, hi, expoly_to_sympy(p.expr, var), var))
        prev = hi
    if prev < oo:
        regions.append(_region(prev, oo, S.Zero, var))
    impulses = tuple(
        _Impulse(to_sympy_point(i.at), expoly_to_sympy(i.weight, var), i.order)
        for i in sig.impulses
    )
    return _Curve(var, False, tuple(regions), impulses)


def _discrete_curve(expr, var):
    from symconv.convert.output import piecewise_regions
    from symconv.convert.sequence_output import sequence_to_sympy
    from symconv.convert.sequences import to_sequence

    pw = sequence_to_sympy(to_sequence(expr, var), var)
    regions = tuple(_region(lo, hi, e, var) for lo, hi, e in piecewise_regions(pw, var))
    return _Curve(var, True, regions)


def _generic_curve(expr, var, discrete):
    """A signal outside the exact class (a Gaussian, ...): evaluated as a whole, split
    at the points where its conditions, steps and signs change."""
    regular, impulses = [], []
    for term in Add.make_args(expr):
        if term.has(DiracDelta):
            impulses.append(_generic_impulse(term, var))
        else:
            regular.append(term)
    body = Add(*regular)
    body = body.rewrite(Piecewise) if body.has(var) else body
    pts = sorted(_generic_breakpoints(body, var), key=float)
    ends = [-oo, *pts, oo]
    regions = tuple(
        _region(lo, hi, body, var, exact=not body.has(var)) for lo, hi in zip(ends, ends[1:],
                                                                              strict=False)
    )
    return _Curve(var, discrete, regions, tuple(impulses))


def _generic_impulse(term, var):
    deltas = [d for d in term.atoms(DiracDelta) if d.has(var)]
    if len(deltas) != 1:
        raise UnsupportedInputError(f"cannot draw the impulse term {term}", term)
    d = deltas[0]
    order = int(d.args[1]) if len(d.args) > 1 else 0
    try:
        p = Poly(d.args[0], var)
    except PolynomialError:
        p = None
    if p is None or p.degree() != 1:
        raise UnsupportedInputError(f"cannot draw {d}: its argument is not linear in {var}", d)
    slope, c0 = p.all_coeffs()
    at = -c0 / slope
    coeff = (term / d).subs(var, at) if order == 0 else term / d
    if coeff.has(var):
        raise UnsupportedInputError(f"cannot draw the impulse term {term}", term)
    # δ⁽ᵐ⁾(k(t - a)) = δ⁽ᵐ⁾(t - a) / (kᵐ |k|)
    return _Impulse(at, coeff / (slope**order * abs(slope)), order)


def _generic_breakpoints(expr, var):
    pts = set()
    args = [r.lhs - r.rhs for r in expr.atoms(Relational)]
    args += [a.args[0] for a in expr.atoms(Heaviside, sign)]
    for arg in args:
        if not arg.has(var):
            continue
        try:
            roots = Poly(arg, var).real_roots()
        except PolynomialError:
            continue
        pts.update(r for r in roots if r.is_real)
    return pts


# ---------------------------------------------------------------------------
# windows and limits
# ---------------------------------------------------------------------------
def _window(curves, points, discrete):
    """A window showing every breakpoint and the tails until they fade below 2% of the peak."""
    pts = [float(p) for c in curves for p in c.finite_points()]
    pts += [float(p) for p in points]
    if not pts:
        pts = [0.0]
    lo, hi = min(pts), max(pts)
    span = max(hi - lo, 2.0 if discrete else 1.0)
    left, right = lo, hi
    for c in curves:
        if c.table is not None:
            continue
        inner = np.linspace(lo, hi, 200) if hi > lo else np.array([lo])
        peak = float(np.max(np.abs(c.values(inner)), initial=0.0))
        peak = max(peak, *(abs(float(i.weight)) for i in c.impulses), 0.0)
        for direction in (1, -1):
            if c.tail_is_zero(direction):
                continue
            start = hi if direction > 0 else lo
            far = start + direction * np.linspace(0.0, 50.0 * span, 4001)
            vals = np.abs(c.values(far))
            top = max(peak, float(np.max(vals, initial=0.0)))
            big = np.nonzero(vals > 0.02 * top)[0]
            if top == 0 or not len(big):
                continue
            reach = float(abs(far[big[-1]] - start))
            if big[-1] == len(far) - 1:  # no decay: show one more span
                reach = span
            if direction > 0:
                right = max(right, start + reach)
            else:
                left = min(left, start - reach)
    margin = 0.1 * (right - left) or 1.0
    if discrete:
        return int(np.floor(left - margin)), int(np.ceil(right + margin))
    return left - margin, right + margin


def _check_range(rng, what, discrete):
    if rng is None:
        return None
    try:
        lo, hi = rng
    except (TypeError, ValueError):
        raise UnsupportedInputError(f"{what} must be a pair (lo, hi), got {rng!r}") from None
    lo, hi = _exact_number(lo, f"{what}[0]"), _exact_number(hi, f"{what}[1]")
    if not bool(lo < hi):
        raise UnsupportedInputError(f"{what} must have lo < hi, got {rng!r}")
    if discrete:
        if not (lo.is_integer and hi.is_integer):
            raise UnsupportedInputError(f"{what} must be integers for sequences, got {rng!r}")
        return int(lo), int(hi)
    return float(lo), float(hi)


def _limits(values, pad=0.12):
    vals = np.asarray(values, dtype=float).ravel()
    vals = np.append(vals[np.isfinite(vals)], 0.0)
    lo, hi = float(vals.min()), float(vals.max())
    if hi - lo == 0:
        return (-1.0, 1.0)
    lo, hi = max(lo, -1e300), min(hi, 1e300)  # samples near the float limit: room to pad
    d = pad * (hi - lo)
    return (lo - d if lo < 0 else lo - d / 3, hi + d if hi > 0 else hi + d / 3)
