"""The numeric check of continuous signals: :func:`verify` and :func:`numeric_convolution`.

:func:`verify` evaluates the defining integral
``(f*g)(t) = ∫ f(τ) g(t − τ) dτ`` (or the correlation ``∫ f(τ) g(τ + t) dτ``)
with mpmath quadrature at high precision, split at every breakpoint of the
integrand, at sample points in every region of the claimed result, and
compares.  Impulses (``DiracDelta`` and its derivatives) are handled exactly
by the sifting property instead of by quadrature.

1. Method
---------
``f`` and ``g`` are split into a regular part and impulses
``c·δ⁽ᵏ⁾(t − T)`` (a weight ``w(t)`` on an impulse is sifted:
``w(t)δ⁽ᵏ⁾(t−T) = Σⱼ (−1)ʲ C(k,j) w⁽ʲ⁾(T) δ⁽ᵏ⁻ʲ⁾(t−T)``).  Then

* regular ∗ regular: ``mpmath.quad`` split at every breakpoint of ``f``
  and at ``t − b`` for each breakpoint ``b`` of ``g``.  On each region
  between breakpoints a signal is one smooth expression (its steps, boxes,
  ``Abs``, ``Min``/``Max`` and ``Piecewise`` branches fixed); regions where
  it is zero are skipped, so only the overlap of the supports is integrated.
  Each smooth piece gets Gauss-Legendre, or tanh-sinh when that does not
  converge (endpoint singularities, infinite ends);
* ``c δ⁽ᵏ⁾(t−T)`` ∗ regular ``h``: ``c h⁽ᵏ⁾(t − T)`` with the classical
  derivative, plus the impulses coming from the jumps of ``h, …, h⁽ᵏ⁻¹⁾``;
* impulse ∗ impulse: an impulse of the result.

Examples
--------
>>> from sympy import symbols
>>> from symconv.functions import rect, tri
>>> t = symbols("t", real=True)
>>> bool(verify(tri(t), rect(t), rect(t), t))
True
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

import mpmath
import sympy
from mpmath.calculus.quadrature import GaussLegendre, TanhSinh
from sympy import Expr, Rational, S

from symconv.errors import DivergenceError
from symconv.limits import check_deadline, remaining
from symconv.numeric.breakpoints import _count_regions, _sums
from symconv.numeric.evaluate import (
    _check_tol,
    _compile,
    _converged,
    _rel_error,
    _sorted_unique,
    _to_mp,
    _to_mp_real,
)
from symconv.numeric.impulses import _NumImpulse, _Split, _split_signal
from symconv.numeric.inputs import (
    _GUARD_DPS,
    Kind,
    _as_number,
    _check_dps,
    _check_points,
    _check_timeout,
)
from symconv.numeric.params import _Problem, _setup
from symconv.numeric.pieces import _max_order, _Numeric, _numeric, _regions
from symconv.numeric.report import ImpulseCheck, PointCheck, VerifyReport, _list_points

__all__ = ["numeric_convolution", "verify"]

# --------------------------------------------------------------------------
# Quadrature resources
# --------------------------------------------------------------------------


class _TimeLimitError(Exception):
    """Raised inside an integrand when the time budget is spent."""



class _UncappedEstimate:
    """Mixin: an error estimate that is not capped at 1.

    mpmath caps its estimate at 1, which hides divergence when the partial
    results are huge; here the difference of the last two levels is kept.
    """

    def estimate_error(self, results, prec, epsilon):
        err = super().estimate_error(results, prec, epsilon)
        if len(results) >= 2:
            diff = abs(results[-1] - results[-2])
            if diff > 1:
                return max(err, diff)
        return err



class _TanhSinh(_UncappedEstimate, TanhSinh):
    """Tanh-sinh: endpoint singularities and infinite intervals."""



class _GaussLegendre(_UncappedEstimate, GaussLegendre):
    """Gauss-Legendre: fast on the smooth finite pieces, which are the usual case."""



@dataclass(frozen=True, slots=True)
class _Budget:
    """Quadrature resources of one call: rules (with their node caches) and a deadline."""

    tanh_sinh: TanhSinh
    gauss_legendre: GaussLegendre
    deadline: float

    @classmethod
    def start(cls, seconds: float) -> _Budget:
        """A budget of ``seconds``, never past the deadline of an enclosing time limit."""
        left = remaining()
        if left is not None:
            seconds = min(seconds, left)
        return cls(_TanhSinh(mpmath.mp), _GaussLegendre(mpmath.mp), time.monotonic() + seconds)



# --------------------------------------------------------------------------
# Quadrature
# --------------------------------------------------------------------------


def _max_degree() -> int:
    """Cap on the tanh-sinh degree at the current precision (≈ mpmath's own + 1)."""
    return int(6 + max(0.0, math.log2(mpmath.mp.prec / 30)))



#: Cap on the Gauss-Legendre degree before falling back to tanh-sinh.
_GL_MAX_DEGREE = 6



def _overlaps(fn: _Numeric, gn: _Numeric, t) -> list:
    """``(lo, hi, f_piece, g_piece)``: τ-intervals on which ``f(τ) g(t − τ)`` is one
    smooth nonzero product."""
    fs = [(a, b, p) for (a, b), p in zip(_regions(fn.breaks_mp), fn.pieces, strict=True) if p]
    gs = [(c, d, q) for (c, d), q in zip(_regions(gn.breaks_mp), gn.pieces, strict=True) if q]
    out = []
    for a, b, p in fs:
        for c, d, q in gs:
            lo, hi = max(a, t - d), min(b, t - c)
            if lo < hi:
                out.append((lo, hi, p, q))
    return out



def _quad_regular(fn: _Numeric, gn: _Numeric, t, budget: _Budget) -> tuple:
    """``∫ f_reg(τ) g_reg(t − τ) dτ`` and its error estimate."""
    total, err = mpmath.mpf(0), mpmath.mpf(0)
    for lo, hi, p, q in _overlaps(fn, gn, t):
        v, e = _quad_piece(_product(p, q, t, budget.deadline), lo, hi, budget)
        total += v
        err += e
    return total, err



def _product(p: Callable, q: Callable, t, deadline: float) -> Callable:
    """The integrand ``τ ↦ p(τ) q(t − τ)``, which stops the quadrature at the deadline."""

    def integrand(tau):
        if time.monotonic() > deadline:
            raise _TimeLimitError
        return p(tau) * q(t - tau)

    return integrand



def _quad_piece(integrand: Callable, a, b, budget: _Budget) -> tuple:
    """One smooth piece: Gauss-Legendre if it converges, else tanh-sinh.

    An integrable endpoint singularity such as ``τ^(-1/2)`` limits tanh-sinh
    to about half the working digits (nodes cannot get closer to the end than
    the precision allows), so a nearly converged tanh-sinh is redone once at
    double precision.
    """
    target = mpmath.mpf(10) ** -(mpmath.mp.dps - 5)
    if mpmath.isfinite(a) and mpmath.isfinite(b):
        v, e = mpmath.quad(
            integrand,
            [a, b],
            method=lambda ctx: budget.gauss_legendre,
            error=True,
            maxdegree=_GL_MAX_DEGREE,
        )
        if e <= target * max(1, abs(v)):
            return v, e
    v, e = _tanh_sinh(integrand, a, b, budget)
    if target * max(1, abs(v)) < e < mpmath.mpf(10) ** -3 * max(1, abs(v)):
        with mpmath.workdps(2 * mpmath.mp.dps):
            v, e = _tanh_sinh(integrand, a, b, budget)
    return +v, e



def _tanh_sinh(integrand: Callable, a, b, budget: _Budget) -> tuple:
    return mpmath.quad(
        integrand,
        [a, b],
        method=lambda ctx: budget.tanh_sinh,
        error=True,
        maxdegree=_max_degree(),
    )



def _regular_value(fn: _Numeric, gn: _Numeric, t, budget: _Budget) -> tuple:
    """Regular part of ``f*g`` at ``t`` (quadrature + sifted impulses), error estimate."""
    value, err = _quad_regular(fn, gn, t, budget)
    for imp in fn.impulses:
        value += imp.weight * gn.derivs[imp.order](t - imp.at_mp)
    for imp in gn.impulses:
        value += imp.weight * fn.derivs[imp.order](t - imp.at_mp)
    return value, err



# --------------------------------------------------------------------------
# Impulses of the result
# --------------------------------------------------------------------------


def _jump(fn: Callable, at: Expr, dps: int):
    """``fn(at+) − fn(at−)`` by evaluation just beside ``at`` at higher precision."""
    with mpmath.workdps(2 * dps + 20):
        x = _to_mp(at)
        eps = mpmath.mpf(10) ** -(dps + 10) * max(1, abs(x))
        return fn(x + eps) - fn(x - eps)



def _impulse_times_regular(
    imps: tuple[_NumImpulse, ...], other: _Numeric, other_breaks: tuple, dps: int
) -> list[_NumImpulse]:
    """Impulses of ``c δ⁽ᵏ⁾(t−T) * h`` from the jumps of ``h, …, h⁽ᵏ⁻¹⁾``."""
    out = []
    for imp in imps:
        for b, b_mp in zip(other_breaks, other.breaks_mp, strict=True):
            for j in range(imp.order):
                w = imp.weight * _jump(other.derivs[j], b, dps)
                out.append(_NumImpulse(imp.at + b, imp.at_mp + b_mp, imp.order - 1 - j, w))
    return out



def _expected_impulses(fs: _Split, gs: _Split, fn: _Numeric, gn: _Numeric, dps: int) -> list:
    out = [
        _NumImpulse(a.at + b.at, a.at_mp + b.at_mp, a.order + b.order, a.weight * b.weight)
        for a in fn.impulses
        for b in gn.impulses
    ]
    out += _impulse_times_regular(fn.impulses, gn, gs.breaks, dps)
    out += _impulse_times_regular(gn.impulses, fn, fs.breaks, dps)
    return out



def _same_place(a, b, tol) -> bool:
    return abs(a - b) <= tol * max(1, abs(a))



def _group(imps: list, tol) -> list:
    """Sum the weights of impulses with the same order and (numeric) location."""
    groups: list = []
    for imp in sorted(imps, key=lambda i: (i.order, mpmath.re(i.at_mp))):
        last = groups[-1] if groups else None
        if last and last.order == imp.order and _same_place(last.at_mp, imp.at_mp, tol):
            groups[-1] = _NumImpulse(last.at, last.at_mp, last.order, last.weight + imp.weight)
        else:
            groups.append(imp)
    return groups



def _compare_impulses(expected: list, got: list, tol, dps: int) -> tuple[ImpulseCheck, ...]:
    exp_g, got_g = _group(expected, tol), _group(got, tol)
    tiny = mpmath.mpf(10) ** -dps
    checks = []
    unmatched = list(got_g)
    for e in exp_g:
        match = next(
            (g for g in unmatched if g.order == e.order and _same_place(e.at_mp, g.at_mp, tol)),
            None,
        )
        if match is not None:
            unmatched.remove(match)
        gw = match.weight if match is not None else mpmath.mpf(0)
        if max(abs(e.weight), abs(gw)) <= tiny:
            continue
        err = _rel_error(gw, e.weight)
        checks.append(ImpulseCheck(e.at, e.order, e.weight, gw, err, err <= tol))
    for g in unmatched:
        if abs(g.weight) <= tiny:
            continue
        err = _rel_error(g.weight, mpmath.mpf(0))
        checks.append(ImpulseCheck(g.at, g.order, mpmath.mpf(0), g.weight, err, err <= tol))
    return tuple(sorted(checks, key=lambda c: (_to_mp_real(c.at), c.order)))



# --------------------------------------------------------------------------
# Sample points
# --------------------------------------------------------------------------


def _candidate_points(breaks: tuple[Expr, ...]) -> list[Expr]:
    """Points in every region of ``breaks`` (see :func:`verify`)."""
    if not breaks:
        first = last = S.Zero
    else:
        first, last = breaks[0], breaks[-1]
    pts = [first - 10, first - Rational(37, 10), first - 1]
    for a, b in zip(breaks[:-1], breaks[1:], strict=True):
        w = b - a
        pts += [a + w / 3, a + 2 * w / 3]
    pts += [last + S.Half, last + 2, last + 10]
    span = last - first
    if breaks and len(breaks) > 1:
        pts += [first + span * (sympy.sqrt(2) - 1), last + sympy.sqrt(3)]
    else:
        pts += [first - sympy.sqrt(2) / 2, last + sympy.sqrt(3)]
    return pts



def _sample_points(breaks: tuple[Expr, ...], dps: int) -> tuple[Expr, ...]:
    """Candidate points, minus any that fall on or very near a breakpoint."""
    with mpmath.workdps(dps):
        bmp = [_to_mp(b) for b in breaks]
        near = mpmath.mpf(10) ** -(dps // 2)
        out, seen = [], []
        for p in _candidate_points(breaks):
            x = _to_mp(p)
            if any(_same_place(x, b, near) for b in bmp + seen):
                continue
            seen.append(x)
            out.append(p)
    return tuple(out)



def _prepare(prob: _Problem) -> tuple:
    fs, gs = _split_signal(prob.f, prob.var), _split_signal(prob.g, prob.var)
    fn = _numeric(fs, prob.var, _max_order(gs), "f")
    gn = _numeric(gs, prob.var, _max_order(fs), "g")
    return fs, gs, fn, gn



# --------------------------------------------------------------------------
# Public functions
# --------------------------------------------------------------------------


def numeric_convolution(
    f,
    g,
    var,
    at,
    *,
    dps: int = 30,
    params: Mapping | None = None,
    kind: Kind = "convolution",
    timeout: float = 60.0,
):
    """The regular part of ``f*g`` (or of the correlation) at one point.

    Impulses of ``f`` and ``g`` contribute by sifting; impulses that the
    *result* would have at ``at`` are not included.

    Parameters
    ----------
    f, g : sympy.Expr
        Signals in ``var`` (see :func:`verify` for what is accepted).
    var : sympy.Symbol
        The time variable.
    at : number
        The point ``t``.
    dps : int, optional
        Decimal digits of working precision (default 30).
    params : Mapping, optional
        Values for parameters (symbol or name → number); missing ones are chosen
        as in :func:`verify`.
    kind : {"convolution", "correlation"}, optional
        ``∫ f(τ) g(t−τ) dτ`` or ``∫ f(τ) g(τ+t) dτ``.
    timeout : float, optional
        Seconds allowed for the quadrature.

    Returns
    -------
    mpmath.mpf or mpmath.mpc

    Raises
    ------
    UnsupportedInputError
        For input that cannot be evaluated.
    DivergenceError
        If the quadrature does not converge (the integral may diverge) or
        runs out of time.

    Examples
    --------
    >>> from sympy import symbols, exp, Rational
    >>> from symconv.functions import rect, u
    >>> t = symbols("t", real=True)
    >>> numeric_convolution(rect(t), rect(t), t, Rational(1, 2))
    mpf('0.5')
    >>> import mpmath
    >>> mpmath.nstr(numeric_convolution(exp(-t) * u(t), u(t), t, 1, dps=20), 15)
    '0.632120558828558'
    """
    dps = _check_dps(dps)
    timeout = _check_timeout(timeout)
    at = _as_number(at, "at")
    prob = _setup(f, g, var, (), params, kind)
    with mpmath.workdps(dps + _GUARD_DPS):
        budget = _Budget.start(timeout)
        _, _, fn, gn = _prepare(prob)
        try:
            value, err = _regular_value(fn, gn, _to_mp(at), budget)
        except _TimeLimitError:
            check_deadline()  # the enclosing limit ran out: that error, not this one
            raise DivergenceError(
                f"quadrature at t = {at} ran out of the {timeout} s time limit"
            ) from None
        if not err <= mpmath.mpf(10) ** -(dps - 8) * max(1, abs(value)):
            raise DivergenceError(
                f"quadrature at t = {at} did not converge (estimated error "
                f"{mpmath.nstr(err, 3)}); the integral may diverge"
            )
    with mpmath.workdps(dps):
        return +value



def verify(
    result,
    f,
    g,
    var,
    *,
    points: Iterable | None = None,
    dps: int = 30,
    params: Mapping | None = None,
    kind: Kind = "convolution",
    tol=None,
    timeout: float = 60.0,
    subs: Mapping | None = None,
    assume=None,
) -> VerifyReport:
    """Check a claimed convolution (or correlation) numerically.

    Parameters
    ----------
    result : sympy.Expr
        Claimed value of ``(f*g)(t)``: typically a ``Piecewise`` in ``var``,
        possibly with ``DiracDelta`` terms, possibly a ``Piecewise`` on the
        parameters around it.
    f, g : sympy.Expr
        Signals in ``var`` built from numbers, parameters, ``+ - * / **``,
        elementary functions, ``Abs``, ``Min``, ``Max``, ``Heaviside``,
        ``Piecewise``, ``DiracDelta(arg[, k])`` and ``u``, ``rect``, ``tri``,
        ``ramp``, or anything mpmath can evaluate, with finitely many breakpoints.
    var : sympy.Symbol
        The time variable (treated as real).
    points : iterable of numbers, optional
        Sample points to use, exactly; by default points are chosen in every
        region of the result, never on a breakpoint.
    dps : int, optional
        Decimal digits of working precision (default 30).
    params : Mapping, optional
        Values for parameters (symbol or name → number).  Missing ones are chosen
        to satisfy each symbol's assumptions, distinct for distinct symbols.
    kind : {"convolution", "correlation"}, optional
        ``∫ f(τ) g(t−τ) dτ`` (default) or ``∫ f(τ) g(τ+t) dτ``.
    tol : number, optional
        Allowed ``|got − expected| / max(1, |expected|)``; default ``10**-(dps-8)``.
    timeout : float, optional
        Seconds allowed for all the quadratures (default 60); points left when
        it runs out are reported as not checked.
    subs : Mapping, optional
        Same as ``params`` (both may be given; they are merged).
    assume : relation or list of relations, optional
        Relations the chosen parameter values must satisfy (``T1 < T2``,
        ``Eq(a, b)``), e.g. the condition of one branch of a result's
        ``Piecewise`` on the parameters.

    Returns
    -------
    VerifyReport
        ``bool(report)`` is whether the result is right.

    Raises
    ------
    UnsupportedInputError
        For malformed input or sub-expressions that cannot be evaluated.

    Notes
    -----
    * Errors are relative-and-absolute: ``|got − expected| / max(1, |expected|)``.
    * Impulses of the result are compared by location, order and weight; the
      regular part at the sample points.
    * Parameters get one set of values, so only one branch of a ``Piecewise``
      on the parameters (such as ``Eq(a, b)``) is checked per call; pass
      ``params`` to check another.
    * The correlation is ``∫ f(τ) g(τ+t) dτ`` without complex conjugation.

    Examples
    --------
    >>> from sympy import symbols, exp, Piecewise, S
    >>> from symconv.functions import rect, u
    >>> t = symbols("t", real=True)
    >>> f, g = 2 * exp(-t / 2) * u(t), rect(t - S.Half)
    >>> good = Piecewise((0, t < 0), (4 - 4 * exp(-t / 2), t < 1),
    ...                  (4 * (exp(S.Half) - 1) * exp(-t / 2), True))
    >>> verify(good, f, g, t).ok
    True
    >>> wrong = Piecewise((0, t < 0), (4 - 4 * exp(-t / 2), True))
    >>> report = verify(wrong, f, g, t)
    >>> print(report)
    FAILED: 10 points in 2 regions, max error 4.0 (tolerance 1.0e-22)
      t = 3/2: expected 1.22573692132, got 2.11053378904, error 0.722
      t = 3: expected 0.578997124092, got 3.10747935941, error 2.53
      t = 11: expected 0.0106047022425, got 3.98365291425, error 3.97
      t = 1 + sqrt(3): expected 0.662004336653, got 2.97952423244, error 2.32
    >>> all(p.t > 1 for p in report.points if not p.ok)
    True
    """
    dps = _check_dps(dps)
    timeout = _check_timeout(timeout)
    if subs is not None:
        params = {**dict(params or {}), **dict(subs)}
    prob = _setup(f, g, var, (result,), params, kind, assume)
    chosen = None if points is None else _check_points(points)
    with mpmath.workdps(dps + _GUARD_DPS):
        tol_mp = _check_tol(tol, dps)
        budget = _Budget.start(timeout)
        fs, gs, fn, gn = _prepare(prob)
        rs = _split_signal(prob.extra[0], prob.var)
        res_fn = _compile(rs.regular, prob.var, "result")
        got = [_NumImpulse(i.at, _to_mp(i.at), i.order, _to_mp(i.weight)) for i in rs.impulses]
        impulses = _compare_impulses(_expected_impulses(fs, gs, fn, gn, dps), got, tol_mp, dps)
        breaks = _all_breaks(fs, gs, rs)
        pts = _sample_points(breaks, dps + _GUARD_DPS) if chosen is None else chosen
        checks, notes = _check_points_all(pts, fn, gn, res_fn, tol_mp, budget, timeout)
        # regions of the result itself (the sums of the inputs' breakpoints only add
        # sample points): "3 regions" is what the answer shows
        own = _sorted_unique(rs.breaks + tuple(i.at for i in rs.impulses))
        regions = _count_regions([_to_mp_real(c.t) for c in checks], own)
        max_error = max([c.error for c in checks + impulses], default=mpmath.mpf(0))
        with mpmath.workdps(dps):
            max_error, tol_mp = +max_error, +tol_mp
    return VerifyReport(
        ok=all(c.ok for c in checks + impulses) and len(checks) == len(pts),
        max_error=max_error,
        points=checks,
        params=MappingProxyType(dict(prob.params)),
        impulses_ok=all(c.ok for c in impulses),
        impulses=impulses,
        regions=regions,
        tol=tol_mp,
        notes=notes,
    )



def _all_breaks(fs: _Split, gs: _Split, rs: _Split) -> tuple[Expr, ...]:
    """Breakpoints of the result and every sum of breakpoints of ``f`` and ``g``."""
    bf = fs.breaks + tuple(i.at for i in fs.impulses)
    bg = gs.breaks + tuple(i.at for i in gs.impulses)
    rb = rs.breaks + tuple(i.at for i in rs.impulses)
    return _sorted_unique(rb + tuple(_sums(_sorted_unique(bf), _sorted_unique(bg))))



def _check_points_all(pts, fn, gn, res_fn, tol, budget: _Budget, timeout: float) -> tuple:
    """Compare at each point; stop (with a note) when time runs out."""
    checks: list = []
    notes: list = []
    for p in pts:
        try:
            checks.append(_check_point(p, fn, gn, res_fn, tol, budget))
        except _TimeLimitError:
            check_deadline()  # the enclosing limit ran out: that error, not a partial report
            notes.append(
                f"time limit of {timeout:g} s reached after {len(checks)} of "
                f"{len(pts)} points; the rest were not checked"
            )
            break
    bad_quad = [c for c in checks if not _converged(c.quad_error, c.expected, tol)]
    if bad_quad:
        notes.insert(
            0,
            (
                f"quadrature did not converge at {_list_points(bad_quad)} (estimated error up to "
                f"{mpmath.nstr(max(c.quad_error for c in bad_quad), 3)}); "
                "the integral may diverge, or oscillate too much for the quadrature"
            ),
        )
    undefined = [c for c in checks if mpmath.isnan(c.got)]
    if undefined:
        notes.insert(
            0, f"the result is undefined or cannot be evaluated at {_list_points(undefined)}"
        )
    return tuple(checks), tuple(notes)



def _check_point(p: Expr, fn: _Numeric, gn: _Numeric, res_fn: Callable, tol, budget) -> PointCheck:
    x = _to_mp(p)
    expected, qerr = _regular_value(fn, gn, x, budget)
    try:
        got = res_fn(x)
    except (ZeroDivisionError, ValueError, ArithmeticError, TypeError):
        got = mpmath.nan
    err = _rel_error(got, expected)
    return PointCheck(
        p, expected, got, err, qerr, bool(err <= tol) and _converged(qerr, expected, tol)
    )
