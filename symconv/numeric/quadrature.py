"""Independent numeric check of convolution results.

:func:`verify` evaluates the defining integral
``(f*g)(t) = ∫ f(τ) g(t − τ) dτ`` (or the correlation ``∫ f(τ) g(τ + t) dτ``)
with mpmath quadrature at high precision, split at every breakpoint of the
integrand, at sample points in every region of the claimed result, and
compares.  Impulses (``DiracDelta`` and its derivatives) are handled exactly
by the sifting property instead of by quadrature.

This module deliberately shares no code with the symbolic engine it checks:
it depends only on :mod:`symconv.functions` and :mod:`symconv.errors`.

1. Public API
-------------
* :func:`verify` – compare a claimed result with the numeric convolution.
* :func:`numeric_convolution` – the regular part of ``f*g`` at one point.
* :func:`breakpoints_of` – the points where a signal changes form.
* :func:`verify_sequence` – the same check for sequences (discrete
  convolution ``Σ_k f[k] g[n − k]``) by direct summation.
* :class:`VerifyReport`, :class:`PointCheck`, :class:`ImpulseCheck` – results.

2. Method
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
import numbers
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations
from types import MappingProxyType
from typing import Literal

import gmpy2
import mpmath
import sympy
from mpmath.calculus.quadrature import GaussLegendre, TanhSinh
from sympy import (
    Abs,
    Add,
    Basic,
    DiracDelta,
    Dummy,
    Expr,
    Heaviside,
    KroneckerDelta,
    Max,
    Min,
    Mod,
    Mul,
    Piecewise,
    Poly,
    Pow,
    Rational,
    S,
    Symbol,
    binomial,
    ceiling,
    floor,
    frac,
    log,
    sign,
)
from sympy.core.relational import Relational
from sympy.logic.boolalg import Boolean, BooleanFunction

from symconv.errors import DivergenceError, UnsupportedInputError
from symconv.functions import ramp, rect, tri, u
from symconv.limits import check_deadline, remaining

__all__ = [
    "ImpulseCheck",
    "PointCheck",
    "VerifyReport",
    "breakpoints_of",
    "numeric_convolution",
    "verify",
    "verify_sequence",
]

Kind = Literal["convolution", "correlation"]

#: The accepted values of ``kind``.
_KINDS = ("convolution", "correlation")
#: Extra working digits on top of the requested ``dps``.
_GUARD_DPS = 10
#: Smallest accepted ``dps``.
_MIN_DPS = 10
#: Functions whose breakpoints are infinitely many (not supported).
_STAIRCASES = (floor, ceiling, frac, Mod)
#: Functions that change form where their (first) argument vanishes.
_KINKS = (Heaviside, u, ramp, sign, Abs, DiracDelta, log)


# --------------------------------------------------------------------------
# Result records
# --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PointCheck:
    """The comparison at one sample point.

    Attributes
    ----------
    t : sympy.Expr
        The sample point (exact when it was chosen automatically).
    expected : mpmath.mpf or mpmath.mpc
        Regular part of the convolution, from quadrature and sifting.
    got : mpmath.mpf or mpmath.mpc
        Regular part of the claimed result (``nan`` if it is undefined there).
    error : mpmath.mpf
        ``|got − expected| / max(1, |expected|)``.
    quad_error : mpmath.mpf
        The quadrature's own error estimate.
    ok : bool
        ``error <= tol`` and the quadrature converged.

    Examples
    --------
    >>> from sympy import Rational
    >>> from mpmath import mpf
    >>> PointCheck(Rational(1, 2), mpf(1), mpf(1), mpf(0), mpf(0), True).ok
    True
    """

    t: Expr
    expected: object
    got: object
    error: object
    quad_error: object
    ok: bool


@dataclass(frozen=True, slots=True)
class ImpulseCheck:
    """The comparison of one impulse ``weight·δ⁽ᵒʳᵈᵉʳ⁾(t − at)``.

    Attributes
    ----------
    at : sympy.Expr
        Location of the impulse (exact).
    order : int
        Derivative order (0 for ``δ`` itself).
    expected : mpmath.mpf or mpmath.mpc
        Weight the convolution has there (0 if none).
    got : mpmath.mpf or mpmath.mpc
        Weight the claimed result has there (0 if none).
    error : mpmath.mpf
        ``|got − expected| / max(1, |expected|)``.
    ok : bool
        ``error <= tol``.

    Examples
    --------
    >>> from sympy import Integer
    >>> from mpmath import mpf
    >>> ImpulseCheck(Integer(2), 0, mpf(1), mpf(1), mpf(0), True).order
    0
    """

    at: Expr
    order: int
    expected: object
    got: object
    error: object
    ok: bool


@dataclass(frozen=True, slots=True)
class VerifyReport:
    """What :func:`verify` found.  ``bool(report)`` is ``report.ok``.

    Attributes
    ----------
    ok : bool
        Every point and every impulse agrees within ``tol``, and nothing
        went wrong (no divergence, no time-out).
    max_error : mpmath.mpf
        Largest error ``|got − expected| / max(1, |expected|)`` over points
        and impulses.
    points : tuple of PointCheck
        One record per sample point.
    params : Mapping
        The values used for the parameters (symbol → SymPy number).
    impulses_ok : bool
        The impulses of the result are the expected ones.
    impulses : tuple of ImpulseCheck
        One record per impulse location and order.
    regions : int
        Number of regions (between breakpoints) that hold a sample point.
    tol : mpmath.mpf
        Tolerance used.
    notes : tuple of str
        Problems met (non-convergence, time limit, evaluation failures).

    Examples
    --------
    >>> from sympy import symbols
    >>> from symconv.functions import rect, tri
    >>> t = symbols("t", real=True)
    >>> report = verify(tri(t), rect(t), rect(t), t)
    >>> print(report)  # doctest: +ELLIPSIS
    ok: 12 points in 4 regions, max error ...
    >>> print(verify(tri(t) / 2, rect(t), rect(t), t).ok)
    False
    """

    ok: bool
    max_error: object
    points: tuple[PointCheck, ...]
    params: Mapping[Symbol, Expr]
    impulses_ok: bool
    impulses: tuple[ImpulseCheck, ...] = ()
    regions: int = 0
    tol: object = None
    notes: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return self.ok

    def __str__(self) -> str:
        head = "ok" if self.ok else "FAILED"
        what = f"{len(self.points)} points in {self.regions} regions"
        if self.impulses:
            what += f" and {len(self.impulses)} impulses"
        line = f"{head}: {what}, max error {mpmath.nstr(self.max_error, 2)}"
        if not self.ok:
            line += f" (tolerance {mpmath.nstr(self.tol, 2)})"
        if self.params:
            line += " with " + ", ".join(f"{k} = {v}" for k, v in self.params.items())
        lines = [line]
        lines += [_describe_point(p) for p in self.points if not p.ok]
        lines += [_describe_impulse(i) for i in self.impulses if not i.ok]
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)


def _describe_point(p: PointCheck) -> str:
    """One line for a failing point."""
    return (
        f"  t = {p.t}: expected {mpmath.nstr(p.expected, 12)}, "
        f"got {mpmath.nstr(p.got, 12)}, error {mpmath.nstr(p.error, 3)}"
    )


def _describe_impulse(i: ImpulseCheck) -> str:
    """One line for a failing impulse."""
    name = "DiracDelta" if i.order == 0 else f"DiracDelta^({i.order})"
    return (
        f"  impulse {name}(t - ({i.at})): expected weight "
        f"{mpmath.nstr(i.expected, 12)}, got {mpmath.nstr(i.got, 12)}"
    )


# --------------------------------------------------------------------------
# Internal data
# --------------------------------------------------------------------------


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
# mpmath versions of the signal vocabulary
# --------------------------------------------------------------------------


def _mp_u(x):
    return 0 if x < 0 else 1


def _mp_heaviside(x, h0=0.5):
    if x < 0:
        return 0
    if x > 0:
        return 1
    return h0


def _mp_rect(x):
    a = abs(x)
    if a < 0.5:
        return 1
    if a > 0.5:
        return 0
    return mpmath.mpf(0.5)


def _mp_tri(x):
    a = abs(x)
    return 1 - a if a < 1 else 0


def _mp_ramp(x):
    return x if x >= 0 else 0


def _mp_zero(*args):
    """``DiracDelta`` in a regular part: zero away from its location."""
    return 0


def _namespace() -> dict:
    """A fresh lambdify namespace (no shared mutable state)."""
    return {
        "u": _mp_u,
        "Heaviside": _mp_heaviside,
        "rect": _mp_rect,
        "tri": _mp_tri,
        "ramp": _mp_ramp,
        "DiracDelta": _mp_zero,
    }


# --------------------------------------------------------------------------
# Input validation
# --------------------------------------------------------------------------


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


# --------------------------------------------------------------------------
# Parameters
# --------------------------------------------------------------------------


def _candidates() -> Iterable[Expr]:
    """Candidate parameter values, in the order they are tried."""
    positives = [Rational(7, 10), Rational(13, 10), Rational(21, 10), Rational(29, 10)]
    positives += [Rational(10 * k + 7, 10) for k in range(3, 12)]
    integers = [sympy.Integer(n) for n in (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 4, 6, 8, 10, 12)]
    yield from positives
    yield from integers
    yield from (-v for v in positives)
    yield from (-v for v in integers)
    yield S.One
    yield S.Zero


def _satisfies(value: Expr, sym: Symbol) -> bool:
    """Whether the number ``value`` has every assumption made on ``sym``."""
    for fact, truth in sym.assumptions0.items():
        if getattr(value, f"is_{fact}", None) is not truth:
            return False
    return True


def _describe_assumptions(sym: Symbol) -> str:
    """The assumptions of ``sym`` that were stated, e.g. ``positive, integer``."""
    facts = [k for k, v in sym.assumptions0.items() if v is True and not k.startswith("extended_")]
    return (
        ", ".join(sorted(set(facts) - {"commutative", "complex", "finite", "hermitian"})) or "none"
    )


def _pick_value(sym: Symbol, used: set) -> Expr:
    for c in _candidates():
        if c not in used and _satisfies(c, sym):
            return c
    raise UnsupportedInputError(
        f"cannot choose a value for the parameter {sym} with assumptions "
        f"({_describe_assumptions(sym)}); pass it in params={{{sym.name!r}: value}}",
        sym,
    )


def _holds(rel, values: dict) -> bool | None:
    """Does the relation hold at ``values``?  ``None`` while symbols are unassigned."""
    if not rel.free_symbols <= set(values):
        return None
    return bool(rel.xreplace(values) == S.true)


def _choose(todo: list, out: dict, used: set, assume: tuple, steps: list,
            dependent: dict) -> bool:
    """Backtracking choice of values for ``todo`` satisfying ``assume``; the symbols
    in ``dependent`` (solved from equalities) get their values at the end."""
    if not todo:
        for sym, expr in dependent.items():
            value = expr.xreplace(out)
            if not value.is_number or not _satisfies(value, sym):
                return False
            out[sym] = value
        if all(_holds(r, out) for r in assume):
            return True
        for sym in dependent:
            del out[sym]
        return False
    sym, rest = todo[0], todo[1:]
    cands = [c for c in _candidates() if _satisfies(c, sym)]
    for c in [c for c in cands if c not in used] + [c for c in cands if c in used]:
        steps[0] += 1
        if steps[0] > 20000:
            return False
        out[sym] = c
        if all(_holds(r, out) is not False for r in assume) and _choose(
                rest, out, used | {c}, assume, steps, dependent):
            return True
        del out[sym]
    return False


def _sample(todo: list, out: dict, assume: tuple, dependent: dict) -> bool:
    """Random search (seeded: reproducible) when the ordered search runs out of steps:
    narrow windows such as ``a - T/2 < c < a + T/2 - T2`` need mixed values."""
    import random

    rng = random.Random(0)
    pools = {sym: [c for c in _candidates() if _satisfies(c, sym)]
             + [v for v in (Rational(n, 20) for n in range(-100, 101)) if _satisfies(v, sym)]
             for sym in todo}
    for _ in range(20000):
        trial = dict(out)
        trial.update({sym: rng.choice(pool) for sym, pool in pools.items() if pool})
        if len(trial) - len(out) != len(todo):
            return False
        if not all(_holds(r, trial) is not False for r in assume):
            continue
        if _choose([], trial, set(), assume, [0], dependent):
            out.update(trial)
            return True
    return False


def _solve_equalities(assume: tuple, free: list) -> dict:
    """``{symbol: expression}`` from the linear equalities in ``assume``."""
    dependent: dict = {}
    for r in assume:
        if not isinstance(r, sympy.Eq):
            continue
        d = (r.lhs - r.rhs).xreplace(dependent)
        for sym in sorted(d.free_symbols & set(free), key=sympy.default_sort_key,
                          reverse=True):
            if sym in dependent or sympy.Poly(d, sym).degree() != 1:
                continue
            (expr,) = sympy.solve(d, sym, dict=False) or [None]
            if expr is not None:
                dependent = {k: v.xreplace({sym: expr}) for k, v in dependent.items()}
                dependent[sym] = expr
                break
    return dependent


def _check_assume(assume) -> tuple:
    if assume is None:
        return ()
    if isinstance(assume, Basic):
        assume = [assume]
    out = []
    for r in assume:
        r = _from_python(r) if not isinstance(r, Basic) else r
        if not isinstance(r, Basic) or not (r.is_Relational or r.is_Boolean):
            raise UnsupportedInputError(f"assume= takes SymPy relations, got {r!r}", r)
        out.append(r)
    return tuple(out)


def _resolve_params(symbols: set, params, assume=()) -> dict:
    """Map every parameter symbol to a number (given ones first, then chosen so that
    the relations ``assume`` hold)."""
    symbols = set(symbols).union(*(r.free_symbols for r in assume))
    by_name = {}
    for s in symbols:
        by_name.setdefault(s.name, []).append(s)
    given: dict = {}
    for key, value in dict(params or {}).items():
        if isinstance(key, str):
            matches = by_name.get(key, [])
        elif isinstance(key, Symbol):
            matches = [key] if key in symbols else []
        else:
            raise UnsupportedInputError(f"params keys must be Symbols or names, got {key!r}", key)
        if len(matches) != 1:
            raise UnsupportedInputError(
                f"params names {key!r}, which is not one parameter of the signals; "
                f"the parameters are {sorted(s.name for s in symbols) or 'none'}",
                key,
            )
        sym = matches[0]
        v = _as_number(value, f"the value of parameter {sym}")
        if not _satisfies(v, sym):
            raise UnsupportedInputError(
                f"the value {v} given for {sym} contradicts its assumptions "
                f"({_describe_assumptions(sym)}); give a value that satisfies them",
                sym,
            )
        given[sym] = v
    out = dict(given)
    used = set(given.values())
    todo = sorted(symbols - set(given), key=sympy.default_sort_key)
    if not assume:
        for sym in todo:
            out[sym] = _pick_value(sym, used)
            used.add(out[sym])
    elif not _choose(free := [s for s in todo if s not in (dep := _solve_equalities(assume, todo))],
                     out, used, rels := tuple(r.xreplace(dep) for r in assume), [0], dep) \
            and not _sample(free, out, rels, dep):
        raise UnsupportedInputError(
            f"cannot choose parameter values satisfying {list(assume)}; pass them in params=",
            assume[0])
    for r in assume:
        if _holds(r, out) is False:
            raise UnsupportedInputError(f"the parameter values {given} contradict {r}", r)
    return dict(sorted(out.items(), key=lambda kv: sympy.default_sort_key(kv[0])))


# --------------------------------------------------------------------------
# Numbers
# --------------------------------------------------------------------------


def _to_mp(x):
    """An exact SymPy number as mpf/mpc at the current mpmath precision."""
    if x is S.Infinity:
        return mpmath.inf
    if x is S.NegativeInfinity:
        return -mpmath.inf
    v = sympy.N(x, mpmath.mp.dps + 5)
    re, im = v.as_real_imag()
    if not (re.is_Number and im.is_Number) or v.has(S.NaN, S.ComplexInfinity):
        raise UnsupportedInputError(f"cannot evaluate {x} to a number", x)
    r = _number_to_mp(re)
    return r if im == 0 else mpmath.mpc(r, _number_to_mp(im))


def _number_to_mp(n):
    if n.is_Float:
        return mpmath.mpf(n._mpf_)
    if n.is_Rational:
        return mpmath.mpf(n.p) / n.q
    if n is S.Infinity:
        return mpmath.inf
    if n is S.NegativeInfinity:
        return -mpmath.inf
    return mpmath.nan


def _rel_error(got, expected):
    """``|got − expected| / max(1, |expected|)``; ``inf`` when either is nan."""
    if mpmath.isnan(got) or mpmath.isnan(expected):
        return mpmath.inf
    if mpmath.isinf(got) or mpmath.isinf(expected):
        return mpmath.mpf(0) if got == expected else mpmath.inf
    return abs(got - expected) / max(mpmath.mpf(1), abs(expected))


def _sorted_unique(values: Iterable[Expr]) -> tuple[Expr, ...]:
    """Exact real numbers sorted by value, numerically equal ones merged."""
    with mpmath.workdps(50):
        keyed = []
        for v in dict.fromkeys(values):
            x = _to_mp(v)
            if isinstance(x, mpmath.mpc):
                raise UnsupportedInputError(f"breakpoint {v} is not real", v)
            keyed.append((x, v))
        keyed.sort(key=lambda p: p[0])
        out: list = []
        for x, v in keyed:
            if out and abs(x - out[-1][0]) <= mpmath.mpf(10) ** -40 * max(1, abs(x)):
                continue
            out.append((x, v))
    return tuple(v for _, v in out)


# --------------------------------------------------------------------------
# Breakpoints
# --------------------------------------------------------------------------


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


# --------------------------------------------------------------------------
# Impulses
# --------------------------------------------------------------------------


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


# --------------------------------------------------------------------------
# Compilation to mpmath
# --------------------------------------------------------------------------


_PROBE = "0.31830988618379067153776752674502872"


def _compile(expr: Expr, var: Symbol, role: str) -> Callable:
    """``expr`` as an mpmath function of ``var`` (``None`` → ``nan``)."""
    try:
        raw = sympy.lambdify([var], expr, modules=[_namespace(), "mpmath"])
    except Exception as exc:  # the printer rejects some node
        raise _unsupported(expr, var, role) from exc

    def call(x):
        v = raw(x)
        return mpmath.nan if v is None else mpmath.mpmathify(v)

    try:
        call(mpmath.mpf(_PROBE))
    except (ZeroDivisionError, ValueError, ArithmeticError):
        pass
    except Exception as exc:
        raise _unsupported(expr, var, role) from exc
    return call


def _unsupported(expr: Expr, var: Symbol, role: str) -> UnsupportedInputError:
    culprit = _culprit(expr, var)
    return UnsupportedInputError(
        f"cannot evaluate {role} numerically: the sub-expression {culprit} "
        "is not something mpmath can evaluate (supported: numbers, +, -, *, /, **, "
        "exp, sin, cos, sinh, cosh, Abs, Min, Max, Heaviside, Piecewise, DiracDelta, "
        "u, rect, tri, ramp and other functions mpmath implements); rewrite it",
        culprit,
    )


def _culprit(expr: Expr, var: Symbol) -> Expr:
    """The smallest sub-expression of ``expr`` that cannot be evaluated."""
    probe = mpmath.mpf(_PROBE)
    for node in sympy.postorder_traversal(expr):
        if isinstance(node, Symbol) and node != var:
            return node
        if node.is_Atom or not isinstance(node, Expr):
            continue
        try:
            sympy.lambdify([var], node, modules=[_namespace(), "mpmath"])(probe)
        except (ZeroDivisionError, ValueError, ArithmeticError):
            continue
        except Exception:
            return node
    return expr


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


def _to_mp_real(x: Expr):
    return mpmath.re(_to_mp(x))


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


def _count_regions(points_mp: list, breaks: tuple[Expr, ...]) -> int:
    """How many regions between ``breaks`` hold at least one of the points."""
    breaks_mp = [_to_mp_real(b) for b in breaks]
    return len({sum(1 for b in breaks_mp if b < x) for x in points_mp})


def _sums(xs: tuple, ys: tuple) -> list:
    return [x + y for x in xs for y in ys]


# --------------------------------------------------------------------------
# Problem set-up shared by verify and numeric_convolution
# --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Problem:
    var: Symbol
    f: Expr
    g: Expr
    extra: tuple[Expr, ...]
    params: dict


def _setup(f, g, var, extra: tuple, params, kind, assume=None) -> _Problem:
    """Validate, make ``var`` real, substitute parameters, reflect ``f`` for correlation."""
    var = _check_var(var)
    kind = _check_kind(kind)
    exprs = [_as_expr(f, "f"), _as_expr(g, "g")] + [_as_expr(e, "result") for e in extra]
    if params is not None and not isinstance(params, Mapping):
        raise UnsupportedInputError(f"params must be a mapping symbol -> number, got {params!r}")
    x = var if var.is_extended_real else Dummy(var.name, real=True)
    exprs = [e.xreplace({var: x}) for e in exprs]
    symbols = set().union(*(e.free_symbols for e in exprs)) - {x}
    values = _resolve_params(symbols, params, _check_assume(assume))
    exprs = [e.subs(values) if values else e for e in exprs]
    if kind == "correlation":
        exprs[0] = exprs[0].xreplace({x: -x})
    for e in exprs:
        left = e.free_symbols - {x}
        if left:
            raise UnsupportedInputError(f"{e} still has the symbols {left} after substitution", e)
    return _Problem(x, exprs[0], exprs[1], tuple(exprs[2:]), values)


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
    FAILED: 10 points in 3 regions, max error 4.0 (tolerance 1.0e-22)
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
        regions = _count_regions([_to_mp_real(c.t) for c in checks], breaks)
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


def _check_tol(tol, dps: int):
    """The tolerance as an mpf (default ``10**-(dps-8)``)."""
    if tol is None:
        return mpmath.mpf(10) ** -(dps - 8)
    value = _to_mp(_as_number(tol, "tol"))
    if isinstance(value, mpmath.mpc) or not value > 0:
        raise UnsupportedInputError(f"tol must be a positive number, got {tol}", tol)
    return value


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


def _list_points(checks: list) -> str:
    shown = ", ".join(str(c.t) for c in checks[:4])
    more = f" and {len(checks) - 4} more" if len(checks) > 4 else ""
    return f"t = {shown}{more}"


def _converged(qerr, expected, tol) -> bool:
    """Whether the quadrature's error estimate is well inside the tolerance."""
    return bool(qerr <= tol * max(1, abs(expected)) / 10)


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


# --------------------------------------------------------------------------
# Sequences: verify_sequence, by direct summation
# --------------------------------------------------------------------------

#: Terms summed exactly next to the finite end of an infinite range of ``k``.
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
    FAILED: 9 points in 3 regions, max error 1.0 (tolerance 1.0e-22)
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
        breaks = _sorted_unique(_seq_breaks(rx, x, "the result") + tuple(_sums(fb, gb)))
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
        regions = _count_regions([_to_mp_real(c.t) for c in checks], breaks)
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
