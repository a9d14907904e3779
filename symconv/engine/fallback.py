"""The guarded general fallback: SymPy's integrator, returned only with a proof.

For causal pairs ``φ(t) u(t - c₁)`` and ``ψ(t) u(t - c₂)`` outside every closed
family, SymPy's ``integrate`` runs on the overlap ``[c₁, t - c₂]`` in a forked
child that is killed after a time limit. Before that, every point where ``φ`` or
``ψ`` may be singular on its support is found (poles, zeros of log arguments,
negative or fractional powers) and its integrability decided: a non-integrable
one raises :class:`~symconv.errors.DivergenceError` naming the point and the
``t`` for which the integral diverges. An answer is returned only after it
agrees with mpmath quadrature (split at every singular point) in every region of
the result, beyond the last singular point and far out on the tail, for several
parameter values, and is real wherever the integral is: a principal value is
never returned. Used by :func:`symconv.engine.special.convolve_special`.

Examples
--------
>>> from sympy import S, log, symbols
>>> from symconv.functions import u
>>> t = symbols("t", real=True)
>>> fallback(log(1 + t)*u(t), u(t), (log(1 + t), S.Zero), (S.One, S.Zero), t, 20.0)
Piecewise((0, t < 0), (t*log(t + 1) - t + log(t + 1), True))
"""

from __future__ import annotations

import multiprocessing
import time
import warnings
from dataclasses import dataclass
from types import GeneratorType

import mpmath
from sympy import (
    Abs,
    Add,
    Dummy,
    Expr,
    FiniteSet,
    Function,
    I,
    Integral,
    Interval,
    Mul,
    Piecewise,
    Rational,
    S,
    Shi,
    Si,
    Symbol,
    asinh,
    atan,
    besseli,
    besselj,
    cancel,
    cos,
    cosh,
    cot,
    coth,
    count_ops,
    csc,
    csch,
    erf,
    erfc,
    erfi,
    exp,
    expand,
    expand_log,
    fraction,
    fresnelc,
    fresnels,
    integrate,
    lambdify,
    limit,
    log,
    nan,
    oo,
    powsimp,
    roots,
    sec,
    sech,
    simplify,
    sin,
    sinc,
    sinh,
    solveset,
    tan,
    tanh,
    together,
    zoo,
)

from symconv.convert.shapes import as_poly, distribute
from symconv.errors import DivergenceError, UnsupportedInputError
from symconv.functions import u
from symconv.limits import check_deadline, remaining

__all__ = ["fallback", "guarded"]

#: Parameter values tried (in turn) for the numeric check, and its relative tolerance.
_CANDIDATES = (Rational(3, 2), Rational(5, 7), Rational(2), Rational(13, 4), Rational(3),
               Rational(-2, 3), Rational(-2), S.Zero)
_RTOL = mpmath.mpf(10) ** -9
_NOTHING = object()  # sentinel: a generator that yielded nothing


# ---------------------------------------------------------------------------
# 4. the guarded, verified fallback
# ---------------------------------------------------------------------------
def fallback(f, g, cf, cg, t, timeout):
    """``φ u(t - c₁) * ψ u(t - c₂)``: analysed, integrated and checked in a guarded child."""
    (phi, c1), (psi, c2) = cf, cg
    status, value = guarded(_integrate_and_verify, (phi, c1, psi, c2, t, (f, g)), timeout)
    if status == "ok":
        return Piecewise((0, t < c1 + c2), (value, True))
    if status == "diverges":
        raise DivergenceError(*value)
    pieces = f"{f} * {g}"
    if status == "timeout":
        raise UnsupportedInputError(
            f"cannot find a closed form for {pieces} within {timeout:g} s",
            Mul(f, g, evaluate=False))
    raise UnsupportedInputError(f"cannot find a closed form for {pieces}: {value}",
                                Mul(f, g, evaluate=False))


def _integrate_and_verify(phi, c1, psi, c2, t, names=None):
    """In the child: ``∫_{c1}^{t-c2} φ(τ) ψ(t-τ) dτ``, each candidate checked against mpmath.

    The singular points of ``φ`` and ``ψ`` are found and proven integrable first
    (:func:`_analyse`; a non-integrable one raises :class:`~symconv.errors.DivergenceError`).
    A generator: it yields every verified answer, shortest last, so that the parent keeps
    the best one found before the deadline. SymPy's antiderivative is tried first (definite
    ``integrate`` spends long on convergence and singularity checks); the numeric check in
    every region of the result is what makes either route safe.
    """
    plan = _analyse(phi, c1, psi, c2, t, names or (phi * u(t - c1), psi * u(t - c2)))
    x = Dummy("x", nonnegative=True)
    span = Dummy("T", positive=True)  # t - c1 - c2 > 0: lets SymPy (and the tidying) use it
    integrand = phi.subs(t, x + c1) * psi.subs(t, span - x + c2)
    references = []  # the quadratures, computed once for all the candidates

    def checked(value):
        value = value.subs(span, t - c1 - c2)
        if not references:
            references.extend(_references(plan))
        _compare(plan, value, references)
        return value

    raw, failures = None, []
    for route in (_by_antiderivative, _by_definite_integral):
        try:
            answer = _finite(route(integrand, x, span))
        except UnsupportedInputError as err:
            failures.append(str(err))
            continue
        except Exception as err:  # noqa: BLE001 - SymPy's own failure: try the other route
            failures.append(f"{type(err).__name__}: {err}")
            continue
        variants = [answer]
        if not integrand.has(I):  # a real integrand: its imaginary parts may be spurious
            variants += [v for v in (_real_variant(answer),) if v != answer]
        for variant in variants:
            try:
                found = checked(variant)
            except UnsupportedInputError as err:
                failures.append(str(err))
                continue
            raw = variant
            break
        if raw is not None:
            yield found
            break
    if raw is None:
        raise UnsupportedInputError("; ".join(dict.fromkeys(failures)))

    # tidy, each candidate checked again: log(-T - 1) - I*pi -> log(T + 1), exp(a)*exp(b) ...
    # A candidate must drop a spurious I or be clearly shorter.
    def better(v, w):
        spurious_v, spurious_w = (e.has(I) and not integrand.has(I) for e in (v, w))
        if spurious_v != spurious_w:
            return spurious_w
        return 3 * count_ops(v) <= 2 * count_ops(w)

    best = raw
    tidy = powsimp(expand(raw, power_exp=False, log=False), combine="exp")
    for candidate in (tidy, expand_log(simplify(tidy))):  # log((T+1)**(T+1)) -> (T+1)*log(T+1)
        if better(candidate, best):
            try:
                found = checked(candidate)
            except UnsupportedInputError:
                continue
            best = candidate
            yield found


def _real_variant(value):
    """``value`` with ``log(a)`` made ``log(|a|)`` where ``a`` is real but not provably positive,
    and imaginary terms dropped: SymPy's antiderivative of a real integrand often
    takes the logarithm of a negative number, which is right only up to such terms (the
    numeric check decides)."""
    value = value.replace(
        lambda e: isinstance(e, log) and e.args[0].is_extended_real
        and not e.args[0].is_positive,
        lambda e: log(Abs(e.args[0])))
    return Add(*[term for term in Add.make_args(distribute(value))
                 if not (term / I).is_extended_real])


def _by_antiderivative(integrand, x, span):
    anti = integrate(integrand, x)
    if anti.has(Integral):
        raise UnsupportedInputError("SymPy left the integral unevaluated")
    try:
        start = anti.subs(x, 0)
    except TypeError:  # e.g. a Piecewise condition comparing zoo
        start = nan
    if start.has(nan, zoo, oo, -oo):  # x**(3/2)*log(x) at 0: the limit from the right
        start = limit(anti, x, 0, "+")
    return anti.subs(x, span) - start


def _by_definite_integral(integrand, x, span):
    return integrate(integrand, (x, 0, span))


def _finite(value):
    if value.has(Integral):
        raise UnsupportedInputError("SymPy left the integral unevaluated")
    if value.has(nan, zoo, oo, -oo):
        raise UnsupportedInputError(f"SymPy returned a non-finite result {value}")
    return value


# ---------------------------------------------------------------------------
# 4a. where the fallback's signals are singular, and whether they are integrable there
# ---------------------------------------------------------------------------
#: Entire functions: singular only where their argument is.
_ENTIRE = (exp, sin, cos, sinh, cosh, erf, erfc, erfi, Si, Shi, fresnels, fresnelc, sinc)
#: Analytic on the real line (not in the plane): their argument must be real.
_REAL_ANALYTIC = (atan, tanh, asinh)
#: Entire in their last argument when the first (the order) is an integer.
_ENTIRE_OF_INTEGER_ORDER = (besselj, besseli)
#: Bounded for every real argument.
_BOUNDED = (sin, cos, erf, erfc, Si, fresnels, fresnelc, sinc, atan, tanh, besselj)
#: Quotients written out, so that their poles are zeros of a denominator.
_QUOTIENTS = {tan: lambda a: sin(a) / cos(a), cot: lambda a: cos(a) / sin(a),
              sec: lambda a: 1 / cos(a), csc: lambda a: 1 / sin(a),
              coth: lambda a: cosh(a) / sinh(a), sech: lambda a: 1 / cosh(a),
              csch: lambda a: 1 / sinh(a)}
#: Zeros of a non-polynomial are looked for in [c, c + _WINDOW] when there are infinitely many.
_WINDOW = 32
#: Derivatives tried when the order of a zero of an analytic expression is sought.
_MAX_TAYLOR = 6


@dataclass(frozen=True, slots=True)
class _Order:
    """``|e(s ± x)| ≤ C xᵖ |log x|ᵏ`` as ``x → 0+``, and also ``≥ c xᵖ |log x|ᵏ`` with
    ``c > 0`` when ``exact``; ``p = oo`` for an expression that vanishes identically."""

    p: Expr
    k: Expr
    exact: bool


_ZERO = _Order(oo, S.Zero, True)


@dataclass(frozen=True, slots=True)
class _Plan:
    """A causal pair ``φ(t) u(t - c₁)``, ``ψ(t) u(t - c₂)`` (removable singularities
    cancelled) and the points of their supports where they may be singular (each one proven
    integrable): the numeric check's regions and the quadrature's split points."""

    phi: Expr
    c1: Expr
    psi: Expr
    c2: Expr
    t: Symbol
    at_phi: tuple
    at_psi: tuple


class _UndecidedError(Exception):
    """The local analysis cannot bound an expression near a point (internal only)."""


def _analyse(phi, c1, psi, c2, t, names):
    """The :class:`_Plan` of the pair once every singular point is proven integrable.

    Raises
    ------
    DivergenceError
        A singular point is not integrable: the convolution diverges for every ``t`` that
        puts it inside the integration range ``[c₁, t - c₂]``; ``condition`` is the range
        of ``t`` where it converges, when that is decided.
    UnsupportedInputError
        A singular point cannot be found or decided, depends on the parameters, or a
        logarithm or fractional power is not real on the support.

    Examples
    --------
    >>> from sympy import Rational, log, symbols
    >>> t = symbols("t", real=True)
    >>> _analyse(log(t), 0, 1/(t - 2)**2, 1, t, ("log(t)*u(t)", "u(t - 1)/(t - 2)**2"))
    Traceback (most recent call last):
    ...
    symconv.errors.DivergenceError: the convolution diverges for t >= 2: u(t - 1)/(t - 2)**2 \
has a non-integrable pole of order 2 at t = 2
    >>> _analyse(log(t), 0, 1 + t, 1, t, ("f", "g")).at_phi
    (0,)
    """
    c1, c2 = S(c1), S(c2)
    diverging, doubts, kept = [], [], []
    for expr, lo, other, name in ((phi, c1, c2, names[0]), (psi, c2, c1, names[1])):
        expr = _analysable(expr)
        points, complete = _suspects(expr, t, lo)
        if not complete:
            doubts.append((lo + _WINDOW + other, f"{name} has singular points beyond "
                                                 f"t = {lo + _WINDOW}, which were not analysed"))
        for s in points:
            inside = (s - lo).is_positive
            if inside is None and (s - lo).is_zero is not True:
                doubts.append((s + other, f"cannot decide whether the singular point {s} of "
                                          f"{name} lies inside its support t >= {lo}"))
            for side in (-1, 1) if inside else (1,):
                try:
                    order = _local_order(expr, t, s, side)
                    ok = _integrable(order)
                except _UndecidedError:
                    ok = None
                if ok is False:
                    diverging.append((s + other, side > 0,
                                      f"{name} has a non-integrable {_describe(order, s, t)} "
                                      f"at t = {s}"))
                elif ok is None:
                    doubts.append((s + other, f"cannot decide whether {name} is integrable "
                                              f"near t = {s}"))
        kept.append(points)
    if diverging:
        raise _divergence(diverging, doubts, t)
    if doubts:
        raise UnsupportedInputError(doubts[0][1])
    for points, name in zip(kept, names, strict=True):
        for s in points:
            if not s.is_number:
                raise UnsupportedInputError(
                    f"the singular point t = {s} of {name} depends on the parameters; give "
                    "them values so that it can be checked", s)
    return _Plan(_cancel(phi), c1, _cancel(psi), c2, t, *kept)  # no 0/0 for the quadrature


def _divergence(diverging, doubts, t):
    """The :class:`DivergenceError` for the first non-integrable point, with the condition
    ``t < T`` (or ``t <= T``) when no undecided point comes before ``T``."""
    first = next((d for d in sorted(diverging, key=lambda d: d[1])  # t >= T before t > T
                  if all(_not_before(other, d[0]) for other, _, _ in diverging)), None)
    where, strict, why = first or diverging[0]
    condition = (t <= where) if strict else (t < where)
    if first is None or not all(_not_before(at, where) for at, _ in doubts):
        condition = None
        why += "; whether it converges for smaller t is not decided"
    return DivergenceError(
        f"the convolution diverges for t {'>' if strict else '>='} {where}: {why}", condition)


def _not_before(a, b):
    """Whether ``a >= b`` is decided true (exactly, or numerically for numbers)."""
    if (a - b).is_nonnegative:
        return True
    return a.is_number and b.is_number and _num(a) >= _num(b)


def _num(x):
    return mpmath.mpf(x.evalf(30)) if not isinstance(x, int) else mpmath.mpf(x)


def _analysable(e):
    """``e`` with ``tan``, ``sec``, ... as quotients and common factors of its numerator and
    denominator cancelled (removable singularities vanish; functions' arguments are kept)."""
    for kind, quotient in _QUOTIENTS.items():
        e = e.replace(lambda n, kind=kind: isinstance(n, kind),
                      lambda n, quotient=quotient: quotient(n.args[0]))
    return _cancel(e)


def _cancel(e):
    """``e`` with common factors of its numerator and denominator cancelled, the arguments of
    functions and of fractional powers left as they are."""
    hidden = {piece: Dummy() for piece in _opaque(e)}
    return cancel(e.xreplace(hidden)).xreplace({v: k for k, v in hidden.items()})


def _opaque(e):
    """The outermost pieces of ``e`` that are not rational in their arguments."""
    if isinstance(e, Function) or (e.is_Pow and not e.exp.is_Integer):
        return {e}
    return set().union(*(_opaque(arg) for arg in e.args))


def _suspects(e, t, lo):
    """``(points, complete)``: the points of ``[lo, ∞)`` where ``e`` may fail to be
    analytic, and whether the list is complete (a periodic denominator has infinitely many,
    then only those up to ``lo + _WINDOW`` are listed).

    Raises :class:`UnsupportedInputError` when they cannot be found, and when a logarithm
    or a fractional power is not real on ``[lo, ∞)``.

    >>> from sympy import log, symbols
    >>> t = symbols("t", real=True)
    >>> _suspects(log(t**2 - 4*t + 4)/(t - 5), t, 0)
    ((5, 2), True)
    """
    if not e.has(t) or e == t:
        return (), True
    if e.is_Add or e.is_Mul:
        return _union(_suspects(arg, t, lo) for arg in e.args)
    if e.is_Pow:
        base, power = e.args
        if power.has(t):
            if not base.has(t):
                if base.is_positive is not True:
                    raise UnsupportedInputError(f"{e} is not real: its base {base} is not "
                                                "provably positive", e)
                return _suspects(power, t, lo)
            return _union((_suspects(power, t, lo), _suspects(log(base), t, lo)))
        if power.is_extended_real is not True:
            raise UnsupportedInputError(f"cannot locate the singular points of {e}: the "
                                        "exponent is not provably real", e)
        inner = _suspects(base, t, lo)
        if power.is_integer and power.is_nonnegative:
            return inner
        zeros = _zeros(base, t, lo)
        if power.is_integer is not True:
            _require_positive(base, t, lo, _union((inner, zeros)), e)
        return _union((inner, zeros))
    if isinstance(e, log):
        (arg,) = e.args
        found = _union((_suspects(arg, t, lo), _zeros(arg, t, lo)))
        _require_positive(arg, t, lo, found, e)
        return found
    arg = _smooth_argument(e, t)
    if arg is not None:
        if isinstance(e, _REAL_ANALYTIC) and arg.is_extended_real is not True:
            raise UnsupportedInputError(f"cannot locate the singular points of {e}: its "
                                        "argument is not provably real", e)
        return _suspects(arg, t, lo)
    raise UnsupportedInputError(
        f"cannot tell where {e} is singular: the fallback analyses rational functions, "
        "powers, exp, log, sin, cos, tan, sinh, cosh, tanh, atan, asinh, erf, erfc, erfi, "
        "Si, Shi, the Fresnel integrals and Bessel J and I of integer order", e)


def _smooth_argument(e, var):
    """The argument ``a`` when ``e`` is a known function of ``a`` that is analytic wherever
    ``a`` is (and ``a`` real, for ``atan``, ``tanh``, ``asinh``), else ``None``."""
    if isinstance(e, _ENTIRE + _REAL_ANALYTIC) and len(e.args) == 1:
        return e.args[0]
    if isinstance(e, _ENTIRE_OF_INTEGER_ORDER) and e.args[0].is_integer \
            and not e.args[0].has(var):
        return e.args[1]
    return None


def _union(results):
    points, complete = {}, True
    for found, whole in results:
        points.update(dict.fromkeys(found))
        complete = complete and whole
    return tuple(points), complete


def _zeros(b, t, lo):
    """``(points, complete)``: the real zeros of ``b`` in ``[lo, ∞)``, exactly."""
    num = fraction(cancel(together(b)))[0]
    if not num.has(t):
        return (), True
    p = as_poly(num, t)
    complete = True
    if p is not None and (p.domain.is_ZZ or p.domain.is_QQ):
        found = p.real_roots()
    elif p is not None:
        found = roots(p)
        if sum(found.values()) != p.degree():
            raise UnsupportedInputError(f"cannot find every root of {num}", num)
    else:
        found = solveset(num, t, Interval(lo, oo))
        if not isinstance(found, FiniteSet) and found is not S.EmptySet:
            found, complete = found.intersect(Interval(lo, lo + _WINDOW)), False
            if not isinstance(found, FiniteSet) and found is not S.EmptySet:
                raise UnsupportedInputError(f"cannot locate the zeros of {num} on t >= {lo}",
                                            num)
    points = []
    for r in dict.fromkeys(found):
        if r.is_extended_real is False or (r - lo).is_negative:
            continue
        if r.is_extended_real is not True or (r - lo).is_nonnegative is not True:
            raise UnsupportedInputError(
                f"cannot decide whether the zero t = {r} of {num} is real and lies in "
                f"t >= {lo}; declare the parameters' signs", num)
        points.append(r)
    return tuple(points), complete


def _require_positive(b, t, lo, found, e):
    """Raise unless ``b > 0`` on ``[lo, ∞)`` apart from the points ``found`` (which include
    its zeros and singular points): ``log(b)`` and ``b**(1/2)`` are then real."""
    points, complete = found
    why = (f"{e} is not real for every t >= {lo}; the fallback takes logarithms and fractional "
           "powers of positive quantities only")
    if b.is_extended_real is not True:
        raise UnsupportedInputError(f"{why} ({b} is not provably real)", e)
    if b.is_nonnegative:  # e.g. a square: its zeros are among the points found
        return
    if not complete or not all(s.is_number for s in points):
        raise UnsupportedInputError(f"{why} (cannot decide the sign of {b})", e)
    ends = sorted({lo, *points}, key=_num)
    samples = [(a + c) / 2 for a, c in zip(ends, ends[1:], strict=False)] + [ends[-1] + 1]
    for at in samples:
        sign = _sign(b.subs(t, at))
        if sign is None:
            raise UnsupportedInputError(f"{why} (cannot decide the sign of {b} at t = {at})", e)
        if sign <= 0:
            raise UnsupportedInputError(f"{why} ({b} is not positive at t = {at})", e)


def _sign(v):
    """``1``, ``0`` or ``-1`` when the sign of ``v`` is decided, else ``None``."""
    if v.is_positive:
        return 1
    if v.is_zero:
        return 0
    if v.is_negative:
        return -1
    if v.is_number and v.is_extended_real:
        n = v.evalf(30)
        if n.is_Number and abs(n) > S(10) ** -20:
            return 1 if n > 0 else -1
    return None


def _local_order(e, t, s, side):
    """The :class:`_Order` of ``e`` just right (``side = 1``) or left (``-1``) of ``t = s``."""
    x = Dummy("x", positive=True)
    return _order(e.subs(t, s + side * x), x)


def _integrable(o):
    """Whether ``xᵖ |log x|ᵏ`` is integrable at ``0+``: ``True``, ``False`` or ``None``."""
    p1, k1 = o.p + 1, o.k + 1
    if p1.is_positive or (p1.is_zero and k1.is_negative):
        return True
    if o.exact and (p1.is_negative or (p1.is_zero and k1.is_nonnegative)):
        return False
    return None


def _describe(o, s, t):
    if o.k == 0 and o.p.is_Integer:
        return f"pole of order {-o.p}"
    shape = Abs(t - s) ** o.p * Abs(log(Abs(t - s))) ** o.k
    return f"singularity (like {shape})"


def _order(e, x):
    """The :class:`_Order` of ``e`` as ``x → 0+``; raises :class:`_UndecidedError`."""
    if not e.has(x):
        zero = _is_zero(e)
        return _ZERO if zero else _Order(S.Zero, S.Zero, zero is False)
    if _regular(e, x):
        return _taylor_order(e, x)
    if e.is_Mul:
        orders = [_order(arg, x) for arg in e.args]
        if _ZERO in orders:
            return _ZERO
        return _Order(Add(*[o.p for o in orders]), Add(*[o.k for o in orders]),
                      all(o.exact for o in orders))
    if e.is_Add:
        return _dominant([_order(arg, x) for arg in e.args])
    if e.is_Pow:
        base, power = e.args
        if power.has(x):
            return _order_exp(power * log(base), x)
        ob = _order(base, x)
        if ob is not _ZERO and power.is_positive:
            return _Order(ob.p * power, ob.k * power, ob.exact)
        if ob is not _ZERO and power.is_negative and ob.exact:
            return _Order(ob.p * power, ob.k * power, True)
        raise _UndecidedError(e)
    if isinstance(e, exp):
        return _order_exp(e.args[0], x)
    if isinstance(e, log):
        oa = _order(e.args[0], x)
        if oa.exact and oa.p.is_zero is False and oa.p.is_finite:
            return _Order(S.Zero, S.One, True)  # log(c xᵖ ...) ~ p log x
        if oa.exact and oa.p.is_zero:
            return _Order(S.Zero, S.Zero if oa.k == 0 else S.One, False)
        raise _UndecidedError(e)
    arg = _smooth_argument(e, x)
    if arg is not None and isinstance(e, _BOUNDED) and arg.is_extended_real:
        return _Order(S.Zero, S.Zero, False)
    if arg is not None and _bounded(_order(arg, x)):
        return _Order(S.Zero, S.Zero, False)
    raise _UndecidedError(e)


def _order_exp(a, x):
    """``|exp(a)|`` is bounded above and below when ``a`` is bounded."""
    if _bounded(_order(a, x)):
        return _Order(S.Zero, S.Zero, True)
    raise _UndecidedError(exp(a))


def _bounded(o):
    return o.p.is_positive or (o.p.is_zero and o.k.is_nonpositive)


def _dominant(orders):
    """The order of a sum: its largest term's, exact when that term is alone and exact."""
    orders = [o for o in orders if o is not _ZERO]
    if not orders:
        return _ZERO
    top = orders[0]
    for o in orders[1:]:
        if _grows_faster(o, top):
            top = o
    ties = [o for o in orders if not _grows_faster(top, o)]
    return _Order(top.p, top.k, top.exact and len(ties) == 1)


def _grows_faster(a, b):
    """Whether ``x^a.p |log x|^a.k`` grows strictly faster than ``b``'s as ``x → 0+``."""
    dp, dk = b.p - a.p, a.k - b.k
    if dp.is_positive or (dp.is_zero and dk.is_positive):
        return True
    if dp.is_negative or (dp.is_zero and dk.is_nonpositive):
        return False
    raise _UndecidedError(dp)


def _regular(e, x):
    """Whether ``e`` is provably analytic at ``x = 0`` (structurally)."""
    if not e.has(x) or e == x:
        return True
    if e.is_Add or e.is_Mul:
        return all(_regular(arg, x) for arg in e.args)
    if e.is_Pow:
        base, power = e.args
        if not _regular(base, x) or not _regular(power, x):
            return False
        return bool(power.is_integer and power.is_nonnegative) or \
            _is_zero(base.subs(x, 0)) is False
    if isinstance(e, log):
        return _regular(e.args[0], x) and _is_zero(e.args[0].subs(x, 0)) is False
    arg = _smooth_argument(e, x)
    return arg is not None and _regular(arg, x)


def _taylor_order(e, x):
    """The order of the zero at ``x = 0`` of an analytic ``e``, from its derivatives."""
    d = e
    for n in range(_MAX_TAYLOR):
        zero = _is_zero(d.subs(x, 0))
        if zero is False:
            return _Order(S(n), S.Zero, True)
        if zero is None:
            return _Order(S(n), S.Zero, False)
        d = d.diff(x)
    return _Order(S(_MAX_TAYLOR), S.Zero, False)


def _is_zero(v):
    """Whether the ``x``-free ``v`` is zero: ``True``, ``False`` or ``None`` (undecided)."""
    zero = v.is_zero
    if zero is not None or not v.is_number:
        return zero
    n = v.evalf(30)
    if n.is_number and abs(n) > S(10) ** -20:
        return False
    return True if simplify(v) == 0 else None


# ---------------------------------------------------------------------------
# 4b. the numeric check, in every region of the result
# ---------------------------------------------------------------------------
def _check_times(plan):
    """Times ``t`` where the answer is checked: one before the start, three inside every
    region between consecutive points where a singular point enters the integration range
    (near both ends and in the middle), six beyond the last one, the furthest well out on
    the tail.

    >>> from sympy import log, symbols
    >>> t = symbols("t", real=True)
    >>> _check_times(_analyse(log((t - 1)**2), 0, S.One, 0, t, ("f", "g")))
    (-1, 1/16, 1/2, 15/16, 17/16, 4/3, 2, 7/2, 7, 11)
    """
    ends = [plan.c1 + plan.c2]
    ends += [s + plan.c2 for s in plan.at_phi] + [s + plan.c1 for s in plan.at_psi]
    ends += [s + r for s in plan.at_phi for r in plan.at_psi]
    ends = sorted({_rational(e) for e in ends})
    scale = max(S.One, ends[-1] - ends[0])
    times = [ends[0] - 1]
    for lo, hi in zip(ends, ends[1:], strict=False):
        times += [lo + (hi - lo) / 16, (lo + hi) / 2, hi - (hi - lo) / 16]
    times += [ends[-1] + d * scale for d in (Rational(1, 16), Rational(1, 3), 1, Rational(5, 2),
                                             6, 10)]
    return tuple(times)


def _rational(v):
    """``v`` when rational, else a rational within ``10⁻¹⁴`` (a region boundary to aim near)."""
    return v if v.is_Rational else Rational(str(v.evalf(17)))


def _references(plan):
    """``(values, t, ∫)`` for every parameter set and check time: mpmath quadrature of the
    original integrand over ``[c₁, t - c₂]``, split at every singular point."""
    t = plan.t
    params = sorted((plan.phi.free_symbols | plan.psi.free_symbols) - {t}, key=lambda s: s.name)
    y, at = Dummy("y", real=True), Dummy("t", real=True)
    times = _check_times(plan)
    out = []
    with mpmath.workdps(30):
        for vals in _parameter_sets(params):
            integrand = (plan.phi.subs(t, y) * plan.psi.subs(t, at - y)).xreplace(vals)
            fn = lambdify([y, at], integrand, modules="mpmath")
            for tt in times:
                out.append((vals, tt, _quad(fn, integrand, plan, tt)))
    return out


def _quad(fn, integrand, plan, tt):
    lo, hi = _num(plan.c1), _num(tt - plan.c2)
    if hi <= lo:
        return mpmath.mpf(0)
    cuts = [_num(s) for s in plan.at_phi] + [_num(tt - s) for s in plan.at_psi]
    pieces = int(mpmath.ceil((hi - lo) / max(2, (hi - lo) / 8)))  # long ranges in <= 8 pieces
    cuts += [lo + (hi - lo) * j / pieces for j in range(1, pieces)]
    points = [lo, *sorted(c for c in cuts if lo < c < hi), hi]
    tv = _num(tt)
    try:
        want, err = mpmath.quad(lambda v: fn(v, tv), points, error=True)
    except Exception as exc:  # noqa: BLE001 - e.g. a function mpmath does not know
        raise UnsupportedInputError(
            f"cannot check the answer numerically: {integrand} does not evaluate "
            f"with mpmath ({type(exc).__name__}: {exc})") from None
    if not mpmath.isfinite(want) or err > _RTOL * max(1, abs(want)):
        raise UnsupportedInputError(
            f"the numeric check did not converge at t = {tt} (error {mpmath.nstr(err, 3)})")
    return want


def _compare(plan, value, references):
    """Raise unless ``Piecewise((0, t < c₁ + c₂), (value, True))`` matches every reference and
    is real wherever the integral is."""
    t = plan.t
    result = Piecewise((0, t < plan.c1 + plan.c2), (value, True))
    for vals, tt, want in references:
        got = result.xreplace({t: tt, **vals}).evalf(30)
        where = f"t = {tt}" + (f" with {vals}" if vals else "")
        if not got.is_number or got.has(nan, zoo, oo, -oo):
            raise UnsupportedInputError(f"the result does not evaluate at {where}")
        got = mpmath.mpmathify(complex(got))
        scale = max(1, abs(want))
        if mpmath.im(want) == 0 and abs(mpmath.im(got)) > _RTOL * scale:
            raise UnsupportedInputError(
                f"SymPy's answer {value} is not real at {where} (imaginary part "
                f"{mpmath.nstr(mpmath.im(got), 5)}), but the integral is")
        if abs(got - want) > _RTOL * scale:
            raise UnsupportedInputError(
                f"SymPy's answer {value} disagrees with numeric quadrature at {where}: "
                f"{mpmath.nstr(got, 15)} vs {mpmath.nstr(want, 15)}")


def _verify(phi, c1, psi, c2, t, value):
    """Raise unless ``value`` is ``∫_{c1}^{t-c2} φ(τ) ψ(t-τ) dτ`` in every region (analysis,
    quadrature and comparison in one call)."""
    plan = _analyse(phi, c1, psi, c2, t, (phi * u(t - c1), psi * u(t - c2)))
    _compare(plan, value, _references(plan))


def _parameter_sets(symbols):
    """Up to two exact assignments of the parameters that respect their assumptions."""
    if not symbols:
        return [{}]
    sets = []
    for shift in (0, 1):
        vals = {}
        for i, sym in enumerate(symbols):
            n = len(_CANDIDATES)
            picks = [_CANDIDATES[(i + shift + j) % n] for j in range(n)]
            fit = next((v for v in picks if _fits(sym, v)), None)
            if fit is None:
                raise UnsupportedInputError(f"no sample value fits the assumptions on {sym}", sym)
            vals[sym] = fit
        sets.append(vals)
    return sets


def _fits(sym, v):
    for key, want in sym.assumptions0.items():
        have = getattr(v, "is_" + key, None)
        if have is not None and have != want:
            return False
    return True


def guarded(func, args, timeout):
    """Run ``func(*args)`` in a forked child killed after ``timeout`` seconds.

    Returns ``("ok", value)``, ``("error", message)``, ``("diverges", (message, condition))``
    (``func`` raised :class:`~symconv.errors.DivergenceError`) or ``("timeout", None)``.
    When ``func`` is a generator, each value it yields is sent back at once and the last one
    received before the deadline is the answer. A thread would not do: SymPy cannot be interrupted.
    """
    try:
        ctx = multiprocessing.get_context("fork")
    except ValueError:
        return "error", "the guarded fallback needs the 'fork' start method"
    receiver, sender = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(sender, func, args), daemon=True)
    with warnings.catch_warnings():
        # Python >= 3.12 warns about fork() in a threaded process (numpy's BLAS threads): the
        # child could deadlock on a lock held by another thread, but then it is killed below
        # after `timeout` like any other slow child, so the warning adds nothing.
        warnings.simplefilter("ignore", DeprecationWarning)
        proc.start()
    sender.close()
    left = remaining()  # never outlive the deadline of an enclosing time limit
    deadline = time.monotonic() + (timeout if left is None else min(timeout, left))
    status, value, best = "timeout", None, None
    try:
        while receiver.poll(max(0.0, deadline - time.monotonic())):
            try:
                kind, payload = receiver.recv()
            except EOFError:
                status, value = "error", "the worker process died"
                break
            if kind == "partial":
                best = (payload,)
                continue
            status, value = kind, payload
            break
    finally:
        receiver.close()
        if status != "timeout":
            proc.join(0.5)  # it has answered and is exiting
        if proc.is_alive():
            proc.kill()
        proc.join()
    if best is not None and status != "ok":
        return "ok", best[0]
    if status != "ok":
        check_deadline()  # the enclosing limit ran out: that error, not "no closed form"
    return status, value


def _child(conn, func, args):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = func(*args)
            if isinstance(out, GeneratorType):
                last = _NOTHING
                for last in out:
                    conn.send(("partial", last))
                if last is _NOTHING:
                    raise UnsupportedInputError("no answer")
            out = ("ok", out if not isinstance(out, GeneratorType) else last)
    except DivergenceError as err:  # a proven answer of its own: passed on whole
        out = ("diverges", (str(err), err.condition))
    except Exception as err:  # noqa: BLE001 - everything becomes a message for the parent
        msg = str(err) if isinstance(err, UnsupportedInputError) else f"{type(err).__name__}: {err}"
        out = ("error", msg)
    try:
        conn.send(out)
    except Exception as err:  # noqa: BLE001 - e.g. an unpicklable result
        conn.send(("error", f"cannot send the result back: {err}"))
    finally:
        conn.close()
