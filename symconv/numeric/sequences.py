"""The numeric check of sequences: :func:`verify_sequence`, by direct summation.

The defining sum ``Σ_k f[k] g[n − k]`` is evaluated from ``f`` and ``g`` themselves:
exactly (gmpy2 rationals, or SymPy) on finite ranges of ``k``, numerically with mpmath
on infinite tails, which must decay.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

import gmpy2
import mpmath
import sympy
from sympy import Add, DiracDelta, Expr, KroneckerDelta, Mul, Pow, Rational, S, Symbol

from symconv.errors import UnsupportedInputError
from symconv.numeric.breakpoints import _count_regions, _raw_breaks, _real_zeros, _sums
from symconv.numeric.evaluate import (
    _check_tol,
    _compile,
    _converged,
    _rel_error,
    _sorted_unique,
    _to_mp,
    _to_mp_real,
)
from symconv.numeric.inputs import _GUARD_DPS, Kind, _check_dps, _check_points
from symconv.numeric.params import _setup
from symconv.numeric.pieces import _freeze
from symconv.numeric.report import PointCheck, VerifyReport, _list_points

__all__ = ["verify_sequence"]

_SEQ_WINDOW = 32
#: Longest finite range of ``k`` summed exactly; longer ones are summed in mpmath.
_SEQ_EXACT_MAX = 4096
#: Longest finite range of ``k`` summed at all.
_SEQ_NUMERIC_MAX = 200_000
#: Terms per block when a tail is summed numerically.
_SEQ_BLOCK = 16
#: Terms of a slowly decaying tail summed one by one before the rest is
#: extrapolated by ``mpmath.nsum``.
_SEQ_TAIL_DIRECT = 2048
#: Terms of a tail summed before it is taken as divergent (unless it decays).
_SEQ_TAIL_MAX = 16_384
#: The type of ``gmpy2.mpq`` values.
_MPQ = type(gmpy2.mpq(0))


class _NotRationalError(Exception):
    """A value leaves the rationals: evaluate it with SymPy instead."""



class _SeqDivergenceError(Exception):
    """A tail of the defining sum does not decay."""



def _rational_program(expr: Expr, var: Symbol) -> Callable:
    """``expr`` as a fast exact function ``int → gmpy2.mpq``.

    Only numbers, ``var``, ``+``, ``*`` and integer powers are compiled; other
    nodes raise :class:`_NotRationalError` at once, non-integer exponents when
    they are met.
    """
    if var not in expr.free_symbols:
        if expr.is_Rational:
            c = gmpy2.mpq(int(expr.p), int(expr.q))
            return lambda k: c
        raise _NotRationalError
    if expr == var:
        return gmpy2.mpq
    if isinstance(expr, (Add, Mul)):
        parts = [_rational_program(a, var) for a in expr.args]
        if isinstance(expr, Add):
            return lambda k: sum((p(k) for p in parts), gmpy2.mpq(0))

        def product(k):
            v = gmpy2.mpq(1)
            for p in parts:
                v *= p(k)
            return v

        return product
    if isinstance(expr, Pow):
        base, ex = _rational_program(expr.base, var), _rational_program(expr.exp, var)

        def power(k):
            e = ex(k)
            if e.denominator != 1:
                raise _NotRationalError
            return base(k) ** int(e)

        return power
    raise _NotRationalError



def _as_sympy_value(v) -> Expr:
    if isinstance(v, _MPQ):
        return Rational(int(v.numerator), int(v.denominator))
    return v



def _mul_values(a, b):
    """Exact product of two values (``mpq`` or SymPy numbers)."""
    if isinstance(a, _MPQ) and isinstance(b, _MPQ):
        return a * b
    return _as_sympy_value(a) * _as_sympy_value(b)



def _exact_at(expr: Expr, var: Symbol, k: int, role: str) -> Expr:
    """``expr`` at the integer ``var = k``, exactly (SymPy)."""
    v = expr.xreplace({var: sympy.Integer(k)})
    if (
        not isinstance(v, Expr)
        or not v.is_number
        or v.has(S.NaN, S.ComplexInfinity, S.Infinity, S.NegativeInfinity)
    ):
        raise UnsupportedInputError(
            f"{role} has no finite value at {var} = {k} (it evaluates to {v})", expr
        )
    return v



def _exact_function(expr: Expr, var: Symbol, role: str) -> Callable:
    """``expr`` as an exact function of an integer, via gmpy2 where it can, else SymPy."""
    try:
        program = _rational_program(expr, var)
    except _NotRationalError:
        program = None

    def value(k: int):
        if program is not None:
            try:
                return program(k)
            except (_NotRationalError, ZeroDivisionError):
                pass
        return _exact_at(expr, var, k, role)

    return value



def _discrete_impulses(expr: Expr, var: Symbol) -> Expr:
    """``DiracDelta(x)`` read as the discrete impulse ``KroneckerDelta(x, 0)``."""

    def kronecker(*args):
        if len(args) > 1 and args[1] != 0:
            raise UnsupportedInputError(
                f"DiracDelta{args}: derivatives of the discrete impulse are not defined; "
                "write a difference of shifted impulses instead",
                DiracDelta(*args),
            )
        return KroneckerDelta(args[0], 0)

    return expr.replace(DiracDelta, kronecker) if expr.has(DiracDelta) else expr



def _seq_breaks(expr: Expr, var: Symbol, role: str) -> tuple[Expr, ...]:
    """Where a sequence may change form: :func:`breakpoints_of`'s points and the
    zeros of ``KroneckerDelta`` arguments."""
    raw = list(_raw_breaks(expr, var))
    for kd in expr.atoms(KroneckerDelta):
        if var in kd.free_symbols:
            raw.extend(_real_zeros(kd.args[0] - kd.args[1], var, kd))
    for b in raw:
        if not b.is_number:
            raise UnsupportedInputError(
                f"the breakpoint {b} of {role} depends on {sorted(map(str, b.free_symbols))}",
                b,
            )
    return _sorted_unique(raw)



def _floor_int(b: Expr) -> tuple[int, bool]:
    """``(⌊b⌋, b is an integer)`` for an exact real number ``b``."""
    with mpmath.workdps(60):
        x = mpmath.re(_to_mp(b))
        fl = int(mpmath.floor(x))
        if abs(x - (fl + 1)) <= mpmath.mpf(10) ** -45 * max(1, abs(x)):
            fl += 1
        return fl, abs(x - fl) <= mpmath.mpf(10) ** -45 * max(1, abs(x))



def _integer_ranges(breaks: tuple[Expr, ...]) -> list[tuple[int | None, int | None]]:
    """The integers split by ``breaks``: an integer breakpoint is a range of its own.

    Ranges are ``(lo, hi)`` inclusive, ``None`` for an infinite end.
    """
    cuts: set[int] = set()  # a cut c separates c from c + 1
    for b in breaks:
        fl, is_int = _floor_int(b)
        cuts.update((fl - 1, fl) if is_int else (fl,))
    ends = sorted(cuts)
    if not ends:
        return [(None, None)]
    out: list[tuple[int | None, int | None]] = [(None, ends[0])]
    out += [(a + 1, b) for a, b in zip(ends[:-1], ends[1:], strict=True)]
    out.append((ends[-1] + 1, None))
    return out



@dataclass(frozen=True, slots=True)
class _SeqRange:
    """A sequence on the integers ``lo..hi`` (``None``: infinite end): one smooth
    expression there, with an exact evaluator (cached) and an mpmath one."""

    lo: int | None
    hi: int | None
    expr: Expr
    exact: Callable
    cache: dict
    numeric: Callable | None

    def value(self, k: int):
        v = self.cache.get(k)
        if v is None:
            v = self.cache[k] = self.exact(k)
        return v



def _seq_ranges(expr: Expr, var: Symbol, role: str) -> tuple[_SeqRange, ...]:
    """The nonzero ranges of a sequence, each with one expression valid on all of it."""
    out = []
    for lo, hi in _integer_ranges(_seq_breaks(expr, var, role)):
        if lo is not None and lo == hi:
            v = _exact_at(expr, var, lo, role)
            if v != 0:
                out.append(_SeqRange(lo, hi, v, lambda k, v=v: v, {}, None))
            continue
        m = sympy.Integer(lo if lo is not None else hi if hi is not None else 0)
        frozen = _freeze(expr, var, m)
        # no integer of a range longer than one is a zero of an impulse's argument
        frozen = frozen.replace(
            lambda e: isinstance(e, KroneckerDelta) and var in e.free_symbols,
            lambda e: S.Zero,
        )
        if frozen == 0:
            continue
        long = lo is None or hi is None or hi - lo + 1 > _SEQ_EXACT_MAX
        numeric = _compile(frozen, var, role) if long else None
        out.append(_SeqRange(lo, hi, frozen, _exact_function(frozen, var, role), {}, numeric))
    return tuple(out)



def _tail_sum(term: Callable, start: int, step: int) -> tuple:
    """``Σ_{j≥0} term(start + step·j)`` at the working precision, and an error estimate.

    Blocks of terms are added until the block maxima decay geometrically below the
    precision (the remainder is then bounded by the geometric series of the block
    maxima).  A tail still decaying slowly after :data:`_SEQ_TAIL_DIRECT` terms is
    finished with ``mpmath.nsum``, its error estimated from two precisions; one
    that has not decayed by :data:`_SEQ_TAIL_MAX` terms is taken as divergent.

    Raises
    ------
    _SeqDivergenceError
        If the terms grow, or do not decay.
    """
    eps = mpmath.mpf(10) ** -mpmath.mp.dps
    blk = _SEQ_BLOCK
    total = mpmath.mpf(0)
    maxima: list = []
    k = start
    while len(maxima) * blk < _SEQ_TAIL_MAX:
        block = [term(k + step * i) for i in range(blk)]
        k += step * blk
        total += mpmath.fsum(block)
        m = max(abs(x) for x in block)
        prev = maxima[-1] if maxima else None
        maxima.append(m)
        if m == 0 and prev == 0:
            return total, mpmath.mpf(0)
        if prev and m < prev:
            q = m / prev
            remainder = blk * m * q / (1 - q)
            if remainder <= eps * max(1, abs(total)):
                return total, remainder
        first = next((x for x in maxima if x), None)
        if first and m > first * mpmath.mpf(10) ** mpmath.mp.dps:
            raise _SeqDivergenceError
        if len(maxima) * blk == _SEQ_TAIL_DIRECT and _decaying(maxima):
            return _finish_tail(term, k, step, total)
    if not _decaying(maxima):
        raise _SeqDivergenceError
    return _finish_tail(term, k, step, total)



def _decaying(maxima: list) -> bool:
    """Whether the block maxima halved over the last three quarters of the blocks."""
    return bool(maxima[-1] < maxima[len(maxima) // 4] / 2)



def _finish_tail(term: Callable, k: int, step: int, total) -> tuple:
    """``total + Σ_{j≥0} term(k + step·j)`` by ``mpmath.nsum``; error from two precisions."""

    def rest(j):
        return term(k + step * int(j))

    low = mpmath.nsum(rest, [0, mpmath.inf])
    with mpmath.workdps(mpmath.mp.dps + 10):
        high = mpmath.nsum(rest, [0, mpmath.inf])
    return total + high, abs(high - low)



@dataclass(frozen=True, slots=True)
class _SeqSum:
    """One evaluation of ``Σ_k f[k] g[n − k]``: exact part, numeric part, error estimate."""

    exact_q: object
    exact_sym: tuple[Expr, ...]
    numeric: object
    error: object

    def to_mp(self):
        v = mpmath.mpf(int(self.exact_q.numerator)) / int(self.exact_q.denominator)
        if self.exact_sym:
            v += _to_mp(Add(*self.exact_sym))
        return v + self.numeric



def _overlap(fr: _SeqRange, gr: _SeqRange, n: int) -> tuple[int | None, int | None]:
    """The ``k`` with ``k`` in ``fr`` and ``n − k`` in ``gr`` (``None``: infinite end)."""
    los = [x for x in (fr.lo, None if gr.hi is None else n - gr.hi) if x is not None]
    his = [x for x in (fr.hi, None if gr.lo is None else n - gr.lo) if x is not None]
    return (max(los) if los else None), (min(his) if his else None)



def _direct_sum(fs: tuple, gs: tuple, n: int, var: Symbol, diverging: set) -> _SeqSum:
    """``Σ_k f[k] g[n − k]``: exact on finite ranges and next to the finite end of an
    infinite one, numeric on the tails.

    ``diverging`` holds ``(i, j, step)`` for the pairs of ranges ``fs[i]``, ``gs[j]``
    whose tail in the direction ``step`` was found divergent at another ``n`` (the
    growth of a product of smooth pieces does not depend on the shift ``n``); it
    is updated.

    Raises
    ------
    _SeqDivergenceError
        If a tail does not decay.
    """
    q = gmpy2.mpq(0)
    sym: list = []
    numeric, err = mpmath.mpf(0), mpmath.mpf(0)

    def exact(fr, gr, a, b):
        nonlocal q
        for k in range(a, b + 1):
            v = _mul_values(fr.value(k), gr.value(n - k))
            if isinstance(v, _MPQ):
                q += v
            elif v.is_Rational:
                q += gmpy2.mpq(int(v.p), int(v.q))
            elif v != 0:
                sym.append(v)

    def term(fr, gr):
        return lambda k: fr.numeric(mpmath.mpf(k)) * gr.numeric(mpmath.mpf(n - k))

    for i, fr in enumerate(fs):
        for j, gr in enumerate(gs):
            lo, hi = _overlap(fr, gr, n)
            if lo is not None and hi is not None:
                if lo > hi:
                    continue
                length = hi - lo + 1
                if length <= _SEQ_EXACT_MAX:
                    exact(fr, gr, lo, hi)
                elif length <= _SEQ_NUMERIC_MAX:
                    t = term(fr, gr)
                    numeric += mpmath.fsum(t(k) for k in range(lo, hi + 1))
                else:
                    raise UnsupportedInputError(
                        f"the sum at {var} = {n} runs over {length} terms; choose sample "
                        "points nearer the breakpoints"
                    )
                continue
            sides = []
            if lo is None and hi is None:
                sides = [(0, 1), (-1, -1)]
            elif hi is None:
                sides = [(lo, 1)]
            else:
                sides = [(hi, -1)]
            for start, step in sides:
                if (i, j, step) in diverging:
                    raise _SeqDivergenceError
                near = start + step * (_SEQ_WINDOW - 1)
                exact(fr, gr, min(start, near), max(start, near))
                try:
                    v, e = _tail_sum(term(fr, gr), start + step * _SEQ_WINDOW, step)
                except _SeqDivergenceError:
                    diverging.add((i, j, step))
                    raise
                numeric += v
                err += e
    return _SeqSum(q, tuple(sym), numeric, err)



def _seq_sample_points(breaks: tuple[Expr, ...]) -> tuple[Expr, ...]:
    """Integers around every breakpoint (on it, and on each side), one inside each
    region, and far out on both sides."""
    if not breaks:
        ints = {-25, -10, -3, -2, -1, 0, 1, 2, 3, 10, 25}
    else:
        floors = [_floor_int(b)[0] for b in breaks]
        ints = set()
        for fl in floors:
            ints.update((fl - 1, fl, fl + 1, fl + 2))
        ints.update((a + b) // 2 for a, b in zip(floors[:-1], floors[1:], strict=True))
        ints.update((floors[0] - 10, floors[0] - 25, floors[-1] + 10, floors[-1] + 25))
    return tuple(sympy.Integer(i) for i in sorted(ints))



def _check_integer_points(points) -> tuple[Expr, ...]:
    pts = _check_points(points)
    for p in pts:
        if p.is_integer is not True:
            raise UnsupportedInputError(
                f"sample points of a sequence must be integers, got {p}", p
            )
    return pts



def verify_sequence(
    result,
    f,
    g,
    var,
    *,
    points: Iterable | None = None,
    params: Mapping | None = None,
    kind: Kind = "convolution",
    dps: int = 30,
    tol=None,
    assume=None,
) -> VerifyReport:
    """Check a claimed discrete convolution (or correlation) by direct summation.

    The defining sum ``y[n] = Σ_k f[k] g[n − k]`` (or ``Σ_k f[k] g[k + n]``) is
    evaluated from ``f`` and ``g`` themselves, independently of the engine, at
    integer sample points in every region of the claimed result, and compared.

    Parameters
    ----------
    result : sympy.Expr
        Claimed ``y[n]``: typically a ``Piecewise`` in ``var``, possibly with a
        ``Piecewise`` on the parameters around it.
    f, g : sympy.Expr
        Sequences in the integer ``var`` built from numbers, parameters,
        ``+ - * / **``, elementary functions, ``u`` (``u[0] = 1``),
        ``Heaviside`` (``1/2`` at 0), ``rect``, ``Abs``, ``Min``, ``Max``,
        ``Piecewise``, ``KroneckerDelta``, and ``DiracDelta(arg)`` read as the
        discrete impulse ``KroneckerDelta(arg, 0)``.
    var : sympy.Symbol
        The index (integer) variable.
    points : iterable of integers, optional
        Sample indices to use; by default the indices around every breakpoint
        of the result and of ``supp f + supp g`` (on it and on each side), one
        inside each region, and far out on both sides.
    params : Mapping, optional
        Values for parameters (symbol or name → number), as in :func:`verify`.
    kind : {"convolution", "correlation"}, optional
        ``Σ_k f[k] g[n − k]`` (default) or ``Σ_k f[k] g[k + n]``.
    dps : int, optional
        Decimal digits of working precision (default 30).
    tol : number, optional
        Allowed ``|got − expected| / max(1, |expected|)``; default ``10**-(dps-8)``.
    assume : relation or list of relations, optional
        Relations the chosen parameter values must satisfy (``N < M``, ``a < 1``),
        as in :func:`verify`; integer parameters get integer values.

    Returns
    -------
    VerifyReport
        ``bool(report)`` is whether the result is right; ``points[i].t`` is the
        index ``n`` and ``points[i].quad_error`` the estimated error of the
        numerically summed tails (0 where the sum is exact).

    Raises
    ------
    UnsupportedInputError
        For malformed input, sequences that cannot be evaluated, or sample points
        that are not integers.

    Notes
    -----
    * ``f`` and ``g`` are split at their breakpoints (steps, boxes, ``Abs``,
      ``Piecewise`` conditions, impulses) into integer ranges on which each is one
      expression; an integer breakpoint is a range of its own, evaluated as it is.
    * Finite ranges of ``k`` are summed exactly (gmpy2 rationals, or SymPy);
      an infinite range exactly over its first :data:`_SEQ_WINDOW` terms, then
      numerically with mpmath until the terms fall below the precision.  A tail
      that does not decay makes its points fail, with a note.
    * Parameters get one set of values (see :func:`verify`), so one branch of a
      ``Piecewise`` on the parameters is checked per call; pass ``params`` to
      check another.

    Examples
    --------
    >>> from sympy import Piecewise, Rational, symbols
    >>> from symconv.functions import u
    >>> n = symbols("n", integer=True)
    >>> f, g = Rational(1, 2)**n * u(n), u(n)
    >>> right = Piecewise((0, n < 0), (2 - Rational(1, 2)**n, True))
    >>> verify_sequence(right, f, g, n).ok
    True
    >>> off_by_one = Piecewise((0, n < 1), (2 - Rational(1, 2)**n, True))
    >>> print(verify_sequence(off_by_one, f, g, n))
    FAILED: 9 points in 2 regions, max error 1.0 (tolerance 1.0e-22)
      t = 0: expected 1.0, got 0.0, error 1.0
    """
    dps = _check_dps(dps)
    prob = _setup(f, g, var, (result,), params, kind, assume)
    x = prob.var
    fx, gx, rx = (_discrete_impulses(e, x) for e in (prob.f, prob.g, prob.extra[0]))
    chosen = None if points is None else _check_integer_points(points)
    with mpmath.workdps(dps + _GUARD_DPS):
        tol_mp = _check_tol(tol, dps)
        fb, gb = _seq_breaks(fx, x, "f"), _seq_breaks(gx, x, "g")
        own = _seq_breaks(rx, x, "the result")
        breaks = _sorted_unique(own + tuple(_sums(fb, gb)))
        pts = _seq_sample_points(breaks) if chosen is None else chosen
        fs, gs = _seq_ranges(fx, x, "f"), _seq_ranges(gx, x, "g")
        checks: list = []
        diverged: list = []
        diverging: set = set()
        for p in pts:
            try:
                s = _direct_sum(fs, gs, int(p), x, diverging)
                expected, qerr = s.to_mp(), s.error
            except _SeqDivergenceError:
                expected, qerr = mpmath.nan, mpmath.inf
                diverged.append(p)
            try:
                got = _to_mp(_exact_at(rx, x, int(p), "the result"))
            except UnsupportedInputError:
                got = mpmath.nan
            err = _rel_error(got, expected)
            ok = bool(err <= tol_mp) and _converged(qerr, expected, tol_mp)
            checks.append(PointCheck(p, expected, got, err, qerr, ok))
        notes = []
        if diverged:
            shown = ", ".join(map(str, diverged[:4]))
            more = f" and {len(diverged) - 4} more" if len(diverged) > 4 else ""
            notes.append(
                f"the defining sum diverges at {var} = {shown}{more}: a tail of "
                f"f[k] g[{var} - k] does not decay"
            )
        unsure = [
            c for c in checks
            if mpmath.isfinite(c.quad_error) and not _converged(c.quad_error, c.expected, tol_mp)
        ]
        if unsure:
            notes.append(
                f"the numerically summed tails did not reach the tolerance at "
                f"{_list_points(unsure)} (estimated error up to "
                f"{mpmath.nstr(max(c.quad_error for c in unsure), 3)})"
            )
        undefined = [c for c in checks if mpmath.isnan(c.got)]
        if undefined:
            notes.append(f"the result cannot be evaluated at {_list_points(undefined)}")
        regions = _count_regions([_to_mp_real(c.t) for c in checks], _sorted_unique(own))
        max_error = max([c.error for c in checks], default=mpmath.mpf(0))
        with mpmath.workdps(dps):
            max_error, tol_mp = +max_error, +tol_mp
    return VerifyReport(
        ok=all(c.ok for c in checks),
        max_error=max_error,
        points=tuple(checks),
        params=MappingProxyType(dict(prob.params)),
        impulses_ok=True,
        regions=regions,
        tol=tol_mp,
        notes=tuple(notes),
    )
