"""Exact convolution of signals outside the exponential-polynomial class.

``(f*g)(t) = ∫ f(τ) g(t-τ) dτ`` for a few classic families, each recognised
structurally (by walking the SymPy expression, never by parsing text), plus a
guarded, numerically verified fallback for causal pairs. Every rule either
returns an exact SymPy expression or raises
:class:`~symconv.errors.UnsupportedInputError` promptly, naming the piece.

1. Gaussians
------------
``P(t) exp(a₂t² + a₁t + a₀)`` with ``a₂ < 0`` provable from the assumptions and
``P`` a polynomial (sums of such terms too). Completing the square,
``∫ xᵏ e^{Ax² + Bx + C} dx`` has a closed form for ``A < 0``; the result is a
polynomial times one Gaussian, written ``α(t - μ)² + ρ`` in the exponent.

>>> from sympy import exp, pi, sqrt, symbols
>>> from symconv.functions import u
>>> t = symbols("t", real=True)
>>> convolve_special(exp(-t**2), exp(-t**2), t)
sqrt(2)*sqrt(pi)*exp(-t**2/2)/2
>>> convolve_special(t*exp(-t**2), exp(-t**2), t)
sqrt(2)*sqrt(pi)*t*exp(-t**2/2)/4

2. Cauchy (Lorentzian) kernels
------------------------------
``c / (a² + (t - m)²)`` with ``m`` real and ``a > 0`` (any quadratic
denominator without real roots). Lorentzians add their centres and widths:
``Cauchy(m₁, a₁) * Cauchy(m₂, a₂) = Cauchy(m₁ + m₂, a₁ + a₂)``.

>>> convolve_special(1/(1 + t**2), 1/(1 + t**2), t)
2*pi/(t**2 + 4)

3. Gamma-type kernels
---------------------
``c (t - s)ᵃ e^{-λt} u(t - s)`` with ``a > -1`` provable. Equal rates give
the Beta integral ``B(a+1, b+1) (t - s₁ - s₂)^{a+b+1} e^{-λt}``; different
rates give a confluent hypergeometric ``₁F₁`` (expanded when SymPy can do it
quickly).

>>> convolve_special(1/sqrt(t)*u(t), 1/sqrt(t)*u(t), t)
Piecewise((0, t < 0), (pi, True))
>>> a, b = symbols("a b", positive=True)
>>> convolve_special(t**a*exp(-t)*u(t), t**b*exp(-t)*u(t), t)
Piecewise((0, t < 0), (t**(a + b + 1)*exp(-t)*gamma(a + 1)*gamma(b + 1)/gamma(a + b + 2), True))

4. Guarded fallback
-------------------
``φ(t) u(t - c₁)`` and ``ψ(t) u(t - c₂)`` with rational ``cᵢ``, in a forked
child that is killed after ``timeout`` seconds:

* first the points of ``[cᵢ, ∞)`` where ``φ`` or ``ψ`` may be singular are found
  exactly (real zeros of denominators, of logarithms' arguments and of bases of
  negative or fractional powers; ``tan``, ``sec``, ... as quotients), and each is
  proven integrable from both sides by bounding the signal there by
  ``C |t - s|ᵖ |log|t - s||ᵏ``. A non-integrable one raises
  :class:`~symconv.errors.DivergenceError` naming the point and the ``t`` for
  which it lies inside the integration range; one that cannot be decided, a
  singular point that depends on the parameters, or a logarithm or fractional
  power that is not real on the support is refused;
* then SymPy's ``integrate`` runs on the overlap interval ``[c₁, t - c₂]``, and
  its answer is returned only after it agrees with an mpmath quadrature of the
  signals (split at every singular point) in every region between the values of
  ``t`` where a singular point enters the range, beyond the last of them and far
  out on the tail, for several parameter values, and is real wherever the
  integral is. A principal value is never returned.

>>> from sympy import log
>>> convolve_special(log(1 + t)*u(t), u(t), t)
Piecewise((0, t < 0), (t*log(t + 1) - t + log(t + 1), True))
>>> convolve_special(u(t)/(t - 8)**2, u(t), t)
Traceback (most recent call last):
...
symconv.errors.DivergenceError: the convolution diverges for t >= 8: u(t)/(t - 8)**2 has a \
non-integrable pole of order 2 at t = 8
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from numbers import Real

import mpmath
from sympy import (
    Abs,
    Add,
    DiracDelta,
    Dummy,
    Expr,
    Heaviside,
    I,
    Max,
    Min,
    Mul,
    Piecewise,
    Poly,
    Pow,
    Rational,
    S,
    Symbol,
    cancel,
    ceiling,
    count_ops,
    erf,
    erfi,
    exp,
    expand,
    factor,
    factorial2,
    floor,
    frac,
    gamma,
    gammasimp,
    hyper,
    hyperexpand,
    log,
    meijerg,
    pi,
    powsimp,
    sign,
    simplify,
    sqrt,
)

from symconv.convert.exact import exact
from symconv.convert.shapes import MAX_DEGREE, as_poly, degree_bound, distribute
from symconv.engine.fallback import fallback, guarded
from symconv.engine.gaussian import completed_square
from symconv.errors import UnsupportedInputError
from symconv.functions import ramp, rect, tri, u

__all__ = ["convolve_special"]

#: Functions with jumps or impulses: they split the line into several pieces,
#: which is the piecewise engine's job, not this module's.
_JUMPY = (u, Heaviside, DiracDelta, Piecewise, rect, tri, ramp, Min, Max, sign, floor, ceiling,
          frac, Abs)
_STEPS = (u, Heaviside)
#: Points where an expanded ``₁F₁`` is checked against mpmath.
_CHECK_AT = (Rational(1, 3), Rational(1), Rational(5, 2), Rational(6))
_RTOL = mpmath.mpf(10) ** -9
#: A closed form longer than this (in ``count_ops``) is not tidied / not preferred to ``₁F₁``.
_MAX_OPS = 40


# ---------------------------------------------------------------------------
# the public entry point
# ---------------------------------------------------------------------------
def convolve_special(f, g, var, *, timeout=5.0):
    """Exact convolution ``(f*g)(t) = ∫ f(τ) g(t - τ) dτ`` of two special signals.

    Parameters
    ----------
    f, g : sympy.Expr
        Signals in ``var``: Gaussians times polynomials, Cauchy (Lorentzian)
        kernels, Gamma-type kernels ``c tᵃ e^{-λt} u(t)``, or any causal
        ``φ(t) u(t - c)`` with rational ``c`` (the guarded fallback). Floats are
        made exact (``0.5 → 1/2``).
    var : sympy.Symbol
        The time variable.
    timeout : float
        Seconds the guarded fallback (and the optional ``₁F₁`` expansion) may
        run before it is killed.

    Returns
    -------
    sympy.Expr
        The exact result: a plain expression for two-sided results (Gaussians,
        Cauchy), ``Piecewise((0, t < c), (expr, True))`` for causal ones.

    Raises
    ------
    UnsupportedInputError
        No rule applies, a convergence condition is not provable from the
        assumptions (the message names it), the fallback cannot decide where a
        signal is singular or whether it is integrable there, found no closed form
        in time, or its answer failed the numeric check. ``err.expr`` is the piece.
    DivergenceError
        The fallback proved a signal non-integrable at a point of its support: the
        message names the signal, the point and the ``t`` for which the integral
        diverges; ``err.condition`` is the range of ``t`` where it converges, when
        that is decided.

    Examples
    --------
    >>> from sympy import exp, pi, sqrt, symbols
    >>> t = symbols("t", real=True)
    >>> m1, m2 = symbols("m1 m2", real=True)
    >>> s1, s2 = symbols("s1 s2", positive=True)
    >>> def normal(m, s):
    ...     return exp(-(t - m)**2/(2*s**2))/(s*sqrt(2*pi))
    >>> convolve_special(normal(m1, s1), normal(m2, s2), t)
    sqrt(2)*exp(-(-m1 - m2 + t)**2/(2*(s1**2 + s2**2)))/(2*sqrt(pi)*sqrt(s1**2 + s2**2))
    >>> a1, a2 = symbols("a1 a2", positive=True)
    >>> def cauchy(m, a):
    ...     return a/(pi*(a**2 + (t - m)**2))
    >>> convolve_special(cauchy(m1, a1), cauchy(m2, a2), t)
    (a1 + a2)/(pi*((a1 + a2)**2 + (-m1 - m2 + t)**2))
    >>> convolve_special(exp(-t**4), exp(-t**2), t)
    Traceback (most recent call last):
    ...
    symconv.errors.UnsupportedInputError: no rule for exp(-t**4) * exp(-t**2): ...
    """
    t = _check_var(var)
    f = _check_signal(f, "f")
    g = _check_signal(g, "g")
    timeout = _check_timeout(timeout)

    kf, kg = _classify(f, t), _classify(g, t)
    if kf is not None and kg is not None and kf.kind == kg.kind:
        if kf.kind == "gaussian":
            return _convolve_gaussians(kf.data, kg.data, t)
        if kf.kind == "cauchy":
            return _convolve_lorentzians(kf.data, kg.data, t)
        if kf.kind == "gamma":
            return _convolve_gammas(kf.data, kg.data, t, timeout)
    cf = kf.causal if kf is not None else None
    cg = kg.causal if kg is not None else None
    if cf is not None and cg is not None:
        return fallback(f, g, cf, cg, t, timeout)
    culprit = f if kf is None else g if kg is None else None
    raise UnsupportedInputError(
        f"no rule for {f} * {g}: convolve_special covers Gaussian * Gaussian "
        "(polynomial times exp of a quadratic with negative leading coefficient), "
        "Cauchy * Cauchy (c/(a**2 + (t - m)**2)), t**a*exp(-l*t)*u(t) pairs, and "
        "causal pairs phi(t)*u(t - c) with rational c"
        + (f"; {culprit} fits none of these" if culprit is not None else ""),
        culprit if culprit is not None else Mul(f, g, evaluate=False),
    )


# ---------------------------------------------------------------------------
# input checks
# ---------------------------------------------------------------------------
def _check_var(var):
    if not isinstance(var, Symbol):
        raise UnsupportedInputError(f"var must be a SymPy Symbol, got {var!r}; "
                                    "use t = symbols('t', real=True)")
    return var


def _check_signal(x, name):
    if isinstance(x, bool) or not isinstance(x, (Expr, int)):
        raise UnsupportedInputError(
            f"{name} must be a SymPy expression, got {type(x).__name__} {x!r}; "
            "build it from SymPy objects (strings are not parsed here)")
    return exact(S(x) if isinstance(x, int) else x)  # a float becomes its shortest rational


def _check_timeout(timeout):
    if (isinstance(timeout, bool) or not isinstance(timeout, Real) or not timeout > 0
            or not math.isfinite(timeout)):
        raise UnsupportedInputError(f"timeout must be a positive number of seconds, "
                                    f"got {timeout!r}")
    return float(timeout)


# ---------------------------------------------------------------------------
# structural recognition
# ---------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Kind:
    """What a signal was recognised as: ``kind`` with its parsed ``data``, and,
    independently, its causal split ``(φ, c)`` for the fallback (or ``None``)."""

    kind: str | None
    data: object
    causal: tuple | None


def _classify(x, t):
    """The :class:`_Kind` of ``x``, or ``None`` when no rule could ever apply."""
    causal = _as_causal(x, t)
    for kind, parse in (("gaussian", _as_gaussians), ("cauchy", _as_lorentzians),
                        ("gamma", _as_gamma)):
        data = parse(x, t)
        if data is not None:
            return _Kind(kind, data, causal)
    if causal is not None:
        return _Kind(None, None, causal)
    return None


def _as_gaussians(x, t):
    """``{(a₂, a₁, a₀): P}`` with ``x = Σ P(t) exp(a₂t² + a₁t + a₀)``, or ``None``.

    Raises when the shape fits but ``a₂ < 0`` is not provable.
    """
    if x.has(*_JUMPY):
        return None
    groups = {}
    for term in Add.make_args(distribute(x)):
        prefactor, exponent = [], []
        for fac in Mul.make_args(term):
            if isinstance(fac, exp):
                exponent.append(fac.args[0])
            elif not fac.has(t) or fac.is_polynomial(t):
                prefactor.append(fac)
            else:
                return None
        p = as_poly(Add(*exponent), t, 2)
        if p is None or p.degree() != 2:
            return None
        a2, a1, a0 = (cancel(c) for c in p.all_coeffs())
        if a2.is_negative is not True:
            if a2.is_nonnegative:
                raise UnsupportedInputError(
                    f"{term} is not integrable: the coefficient {a2} of t**2 in its exponent "
                    "must be negative", term)
            raise UnsupportedInputError(
                f"the Gaussian {term} needs {-a2} > 0, which the assumptions do not decide; "
                "declare the symbols positive (e.g. symbols('s', positive=True))", term)
        key = (a2, a1, a0)
        groups[key] = groups.get(key, S.Zero) + Mul(*prefactor)
    for prefactor in groups.values():
        if degree_bound(prefactor, t) > MAX_DEGREE:
            raise UnsupportedInputError(
                f"the polynomial factor {prefactor} of a Gaussian has degree above {MAX_DEGREE}; "
                "split the signal into smaller terms", prefactor)
    return {k: v for k, v in groups.items() if v != 0} or None


def _as_lorentzians(x, t):
    """``[(c, m, a)]`` with ``x = Σ c/(a² + (t - m)²)``, ``m`` real and ``a > 0``, or ``None``."""
    if x.has(*_JUMPY):
        return None
    out = []
    for term in Add.make_args(distribute(x)):
        consts, den = [], None
        for fac in Mul.make_args(term):
            if not fac.has(t):
                consts.append(fac)
            elif isinstance(fac, Pow) and fac.exp == -1 and den is None:
                den = fac.base
            else:
                return None
        p = as_poly(den, t, 2) if den is not None else None
        if p is None or p.degree() != 2:
            return None
        al, be, ga = p.all_coeffs()
        m = cancel(-be / (2 * al))
        a_sq = cancel(ga / al - m**2)
        if m.is_extended_real is not True:
            raise UnsupportedInputError(
                f"the Cauchy kernel {term} needs a real centre, and {m} is not provably real; "
                "declare its symbols real", term)
        if a_sq.is_positive is not True:
            what = ("has real poles, so it is not integrable" if a_sq.is_nonpositive else
                    f"needs {a_sq} > 0, which the assumptions do not decide; declare the "
                    "symbols positive")
            raise UnsupportedInputError(f"the Cauchy kernel {term} {what}", term)
        out.append((cancel(Mul(*consts) / al), m, sqrt(a_sq)))
    return out


def _step_shift(fac, t):
    """``s`` when ``fac`` is a step ``u(k(t - s))`` with ``k > 0`` and ``s`` real, else ``None``."""
    if not isinstance(fac, _STEPS):
        return None
    p = as_poly(fac.args[0], t, 1)
    if p is None or p.degree() != 1:
        return None
    k, c0 = p.all_coeffs()
    if k.is_positive is not True:
        return None
    s = cancel(-c0 / k)
    return s if s.is_extended_real else None


def _split_step(x, t):
    """``(φ, s)`` with ``x = φ(t) u(t - s)`` and ``φ`` free of jumps, else ``None``."""
    factors = Mul.make_args(x)
    steps = [fac for fac in factors if fac.has(t) and isinstance(fac, _STEPS)]
    if len(steps) != 1:
        return None
    s = _step_shift(steps[0], t)
    if s is None:
        return None
    phi = Mul(*[fac for fac in factors if fac is not steps[0]])
    if phi.has(*_JUMPY):
        return None
    return phi, s


def _as_causal(x, t):
    """The fallback's shape: ``(φ, c)`` with ``x = φ(t) u(t - c)``, ``c`` rational."""
    split = _split_step(x, t)
    if split is None or not split[1].is_Rational:
        return None
    return split


def _as_gamma(x, t):
    """``(s, {(a, λ): c})`` with ``x = Σ c (t - s)ᵃ e^{-λt} u(t - s)``, or ``None``.

    Raises when the shape fits but ``a > -1`` is not provable.
    """
    split = _split_step(x, t)
    if split is None:
        return None
    phi, s = split
    shifted = t - s
    xs = Dummy("x")
    terms = {}
    for term in Add.make_args(distribute(phi)):
        c, a, lam, poly = S.One, S.Zero, S.Zero, S.One
        for fac in Mul.make_args(term):
            if not fac.has(t):
                c *= fac
                continue
            base, e = fac.as_base_exp()
            if isinstance(fac, exp) or (not base.has(t) and e.has(t)):
                p = as_poly(e * log(base) if not isinstance(fac, exp) else fac.args[0], t, 1)
                if p is None:
                    return None
                lam -= p.coeff_monomial(t)
                c *= exp(p.coeff_monomial(1))
                continue
            ratio = cancel(base / shifted) if not e.has(t) else None
            if ratio is not None and not ratio.has(t) and ratio.is_positive:
                a += e
                c *= ratio**e
            elif fac.is_polynomial(t):
                poly *= fac
            else:
                return None
        if degree_bound(poly, t) > MAX_DEGREE:
            return None
        p = as_poly(expand(poly.subs(t, xs + s)), xs)
        if p is None:
            return None
        for (k,), pk in p.terms():
            key = (a + k, cancel(lam))
            terms[key] = terms.get(key, S.Zero) + c * pk
    terms = {k: v for k, v in terms.items() if v != 0}
    for (a, _), _c in terms.items():
        _require_order(a, x)
    return (s, terms) if terms else None


def _require_order(a, x):
    """``a > -1`` must be provable: ``(t - s)ᵃ`` is then integrable at ``s``."""
    ok = (a + 1).is_positive
    if ok:
        return
    if ok is False:
        raise UnsupportedInputError(
            f"{x} contains (t - s)**({a}) with {a} <= -1: it is not integrable at the step, "
            "so the convolution diverges", x)
    raise UnsupportedInputError(
        f"{x} needs {a} > -1 (so that (t - s)**({a}) is integrable at the step), which the "
        "assumptions do not decide; declare e.g. symbols('a', positive=True)", x)


# ---------------------------------------------------------------------------
# 1. Gaussians
# ---------------------------------------------------------------------------
def _convolve_gaussians(fg, gg, t):
    x, tau = Dummy("x"), Dummy("tau")
    total = S.Zero
    for (a2, a1, a0), p in fg.items():
        for (b2, b1, b0), r in gg.items():
            e = expand(a2 * tau**2 + a1 * tau + a0 + b2 * (t - tau) ** 2 + b1 * (t - tau) + b0)
            qa, qb, qc = (cancel(c) for c in Poly(e, tau).all_coeffs())  # qa = a2 + b2 < 0
            tau0 = cancel(-qb / (2 * qa))
            q = Poly(expand(p.subs(t, x + tau0) * r.subs(t, t - tau0 - x)), x)
            moments = S.Zero
            for (k,), ck in q.terms():
                if k % 2 == 0:  # ∫ x²ⁿ e^{qa x²} dx = sqrt(π/-qa) (2n-1)!! / (-2 qa)ⁿ
                    n = k // 2
                    moments += ck * factorial2(2 * n - 1) / (-2 * qa) ** n
            peak = completed_square(qc - qb**2 / (4 * qa), t)
            total += sqrt(pi / factor(-qa)) * _tidy_poly(moments, t) * exp(peak)
    return total


def _tidy_poly(x, t):
    """A polynomial in ``t`` with factored coefficients, highest power first."""
    p = Poly(expand(x), t)
    return Add(*[factor(c) * t**k for (k,), c in p.terms()])


# ---------------------------------------------------------------------------
# 2. Cauchy (Lorentzian) kernels
# ---------------------------------------------------------------------------
def _convolve_lorentzians(fl, gl, t):
    """``1/(a₁² + (t-m₁)²) * 1/(a₂² + (t-m₂)²) = π(a₁+a₂)/(a₁a₂((a₁+a₂)² + (t-m₁-m₂)²))``."""
    total = S.Zero
    for c1, m1, a1 in fl:
        for c2, m2, a2 in gl:
            width = a1 + a2
            scale = factor(c1 * c2 * pi * width / (a1 * a2))  # kept apart: 4*(x + y) distributes
            total += scale / (width**2 + (t - m1 - m2) ** 2)
    return total


# ---------------------------------------------------------------------------
# 3. Gamma-type kernels
# ---------------------------------------------------------------------------
def _convolve_gammas(fk, gk, t, timeout):
    """``∫₀ᵀ xᵃ (T-x)ᵇ e^{-dx} dx = B(a+1, b+1) T^{a+b+1} ₁F₁(a+1; a+b+2; -dT)``."""
    (s1, fterms), (s2, gterms) = fk, gk
    start = s1 + s2
    span = t - start
    deadline = time.monotonic() + timeout  # one budget for all the ₁F₁ expansions
    expanded = {}
    total = S.Zero
    for (a, lam), c1 in fterms.items():
        for (b, mu), c2 in gterms.items():
            beta = _beta(a + 1, b + 1)
            d = cancel(lam - mu)
            if d == 0:
                total += powsimp(c1 * c2 * beta * span ** (a + b + 1) * exp(-lam * t),
                                 combine="exp")
                continue
            scale = c1 * c2 * exp(-mu * t - d * s1) * beta * span ** (a + b + 1)
            key = (a + 1, a + b + 2, -d)
            if key not in expanded:
                expanded[key] = _expand_1f1(*key, deadline - time.monotonic())
            short = expanded[key]
            if short is None:
                total += powsimp(scale * hyper([a + 1], [a + b + 2], -d * span), combine="exp")
            else:
                pos, h = short
                term = expand(scale * h.subs(pos, span), power_exp=False, log=False)
                total += powsimp(term, combine="exp")
    return Piecewise((0, t < start), (total, True))


def _beta(p, q):
    """``B(p, q) = Γ(p)Γ(q)/Γ(p+q)``, as a rational function when the Γ's cancel."""
    beta = gamma(p) * gamma(q) / gamma(p + q)
    short = gammasimp(beta)
    return beta if short.has(gamma) else short


def _expand_1f1(p, q, z, timeout):
    """``(T, h)`` with ``h = ₁F₁(p; q; zT)`` for a positive dummy ``T``, in closed form
    when SymPy finds a short one within ``timeout``; else ``None``."""
    if timeout <= 0 or not (p.is_Rational and q.is_Rational and z.is_number):
        return None
    status, value = guarded(_hyperexpand, (p, q, z), timeout)
    return value if status == "ok" else None


def _hyperexpand(p, q, z):
    """In the child: the expanded ``₁F₁``, with ``erf(i x)`` written ``i erfi(x)``."""
    pos = Dummy("T", positive=True)
    h = hyperexpand(hyper([p], [q], z * pos))
    if h.has(hyper, meijerg):
        return None
    h = h.replace(lambda e: isinstance(e, erf) and (e.args[0] / I).is_extended_real,
                  lambda e: I * erfi(e.args[0] / I))
    h = simplify(h)
    if h.has(I) or count_ops(h) > _MAX_OPS:
        return None
    with mpmath.workdps(30):  # never trust a rewrite unchecked: compare with mpmath's ₁F₁
        for v in _CHECK_AT:
            want = mpmath.hyp1f1(mpmath.mpf(p), mpmath.mpf(q), mpmath.mpmathify(z * v))
            got = mpmath.mpmathify(complex(h.subs(pos, v).evalf(30)))
            if abs(got - want) > _RTOL * max(1, abs(want)):
                return None
    return pos, h
