"""Exact convolution of Gaussian pieces with exponential polynomials and each other.

A *Gaussian piece* is ``c·tᵏ·e^{q t² + s t + r}`` on an interval ``[lo, hi)``
(``q < 0``, or ``q > 0`` on a finite interval). Convolved with an exponential
polynomial piece or another Gaussian piece, the integrand on each region is
``τʲ (t-τ)ᵐ e^{Aτ² + Bτ + C}`` with ``A = q₁ + q₂`` and ``B``, ``C`` polynomial in
``t``. Completing the square, ``τ = x + τ₀(t)`` with ``τ₀ = -B/(2A)``, leaves
``∫ xⁿ e^{A x²} dx``, whose antiderivative is closed:

``Jₙ(X) = e^{A X²} Rₙ(X) + κₙ erf(√(-A) X)``, with ``R₀ = 0``, ``κ₀ = √π / (2√(-A))``,
``R₁ = 1/(2A)``, ``κ₁ = 0`` and ``Jₙ = X^{n-1} e^{A X²}/(2A) - (n-1)/(2A) J_{n-2}``

(``erfi(√A X)`` and ``κ₀ = √π/(2√A)`` when ``A > 0``). The regions, limits and
breakpoints are those of the piecewise engine (:func:`symconv.engine.continuous._pair_regions`),
so symbolic and constant breakpoints, case splits and assumptions work alike; the
purely exponential-polynomial part of the product goes to that engine unchanged.

Recognition: every factor ``e^{P(t)}`` with ``P`` a quadratic polynomial is
split as ``e^{q t²}·e^{s t + r}`` and ``e^{q t²}`` is replaced by a marker (a
positive symbol standing for it) before the ordinary conversion; the marker's
powers in each coefficient tell which Gaussian a term carries.

Examples
--------
>>> from sympy import exp, pi, sqrt, symbols
>>> from symconv.functions import rect, u
>>> t = symbols("t", real=True)
>>> from symconv.engine.continuous import convolve_signals as engine
>>> convolve_gaussian(exp(-t**2), rect(t), t, engine)
sqrt(pi)*(-erf(t - 1/2) + erf(t + 1/2))/2
>>> convolve_gaussian(exp(-t**2/2)/sqrt(2*pi), exp(-t)*u(t), t, engine)
(erf(sqrt(2)*(t - 1)/2) + 1)*exp(1/2 - t)/2
"""

from __future__ import annotations

from functools import lru_cache

from sympy import (
    Add,
    DiracDelta,
    Dummy,
    Mul,
    Piecewise,
    Poly,
    Pow,
    S,
    cancel,
    erf,
    erfc,
    erfi,
    exp,
    expand,
    factor,
    factor_terms,
    log,
    pi,
    powsimp,
    sqrt,
    together,
)
from sympy.polys.polyerrors import PolynomialError

from symconv.canonical.expoly import ExpPoly
from symconv.canonical.order import point
from symconv.canonical.signal import Inf, Piece, Signal, is_finite, to_sympy_point
from symconv.convert.output import _impulses_to_sympy, expoly_to_sympy, segments_to_sympy
from symconv.convert.shapes import degree_bound
from symconv.convert.signals import domain_for, to_signal
from symconv.engine.regions import pair_regions
from symconv.errors import DivergenceError, UnsupportedInputError

__all__ = ["has_gaussian", "convolve_gaussian", "gaussian_signals", "completed_square",
           "mark_special", "gaussian_regions", "region_value", "terms_expr", "expoly_terms"]


# ---------------------------------------------------------------------------
# recognition: e^{q t² + s t + r} -> marker · e^{s t + r}
# ---------------------------------------------------------------------------
def _quadratic(arg, t):
    """``(q, rest)`` with ``arg = q t² + rest`` and ``rest`` linear in ``t``, or ``None``."""
    if not arg.has(t) or degree_bound(arg, t) < 2:  # structural, cheap: most are linear
        return None
    try:
        p = Poly(expand(arg), t)
    except PolynomialError:
        return None
    if p.degree() != 2 or any(c.has(t) for c in p.all_coeffs()):
        return None
    q, s, r = p.all_coeffs()
    return q, s * t + r


def _gaussian_factor(e, t):
    """``(q, rest)`` when ``e`` is ``exp(quadratic)`` or ``c**(quadratic)`` with ``c > 0``."""
    if isinstance(e, exp):
        return _quadratic(e.args[0], t)
    if isinstance(e, Pow) and not e.base.has(t) and e.base.is_positive and e.exp.has(t):
        return _quadratic(e.exp * log(e.base), t)
    return None


@lru_cache(maxsize=1024)
def has_gaussian(expr, t):
    """Does ``expr`` hold a factor ``e^{quadratic in t}``?

    >>> from sympy import exp, symbols
    >>> t = symbols("t", real=True)
    >>> has_gaussian(exp(-(t - 1)**2) + 1, t), has_gaussian(exp(-t), t)
    (True, False)
    """
    return any(_gaussian_factor(x, t) is not None for x in expr.atoms(exp, Pow))


def mark_special(expr, t, markers, restore, erf_too=False):
    """``expr`` with each Gaussian factor in product position replaced by
    ``marker_q · e^{s t + r}`` (``marker_q`` standing for ``e^{q t²}``) and, with
    ``erf_too``, each ``erf``/``erfi`` of an argument by a marker of its own
    (``erfc x`` is read ``1 - erf x``). ``markers`` maps ``key -> marker`` and
    ``restore`` maps ``marker -> function of t``; both are filled in.

    Factors inside other functions (``sin(e^{-t²})``) are left alone, so the
    ordinary conversion refuses them with its own message.

    >>> from sympy import erf, exp, symbols
    >>> t = symbols("t", real=True)
    >>> markers, restore = {}, {}
    >>> e = mark_special(exp(-(t - 1)**2) * erf(t), t, markers, restore, erf_too=True)
    >>> e.xreplace(restore) == exp(-t**2) * exp(2*t - 1) * erf(t)
    True
    """
    def marker(key, function):
        m = markers.get(key)
        if m is None:
            m = markers[key] = Dummy(f"G{len(markers)}", positive=True)
            restore[m] = function
        return m

    found = _gaussian_factor(expr, t)
    if found is not None:
        q, rest = found
        return marker(("gauss", q), exp(q * t**2)) * exp(rest)
    if erf_too and isinstance(expr, erfc) and expr.args[0].has(t):
        return 1 - mark_special(erf(expr.args[0]), t, markers, restore, erf_too)
    if erf_too and isinstance(expr, (erf, erfi)) and expr.args[0].has(t):
        arg = expand(expr.args[0])
        return marker((type(expr).__name__, arg), expr.func(arg))
    if isinstance(expr, (Add, Mul)):
        return expr.func(*[mark_special(a, t, markers, restore, erf_too) for a in expr.args])
    if isinstance(expr, Pow) and expr.exp.is_Integer and expr.exp > 0:
        return Pow(mark_special(expr.base, t, markers, restore, erf_too), expr.exp)
    if isinstance(expr, Piecewise):
        return Piecewise(*[(mark_special(e, t, markers, restore, erf_too), c)
                           for e, c in expr.args])
    return expr


def completed_square(q, t):
    """The quadratic exponent ``q(t)`` as ``α(t - μ)² + ρ``.

    >>> from sympy import S, symbols
    >>> t = symbols("t", real=True)
    >>> completed_square(-t**2/2 + t - S(1)/2, t)
    -(t - 1)**2/2
    """
    al, be, ga = (cancel(c) for c in Poly(expand(q), t).all_coeffs())
    mu = cancel(-be / (2 * al))
    if mu.is_extended_real is not True:  # a complex centre reads better expanded
        return _tidy_constant(al) * t**2 + _tidy_constant(be) * t + _tidy_constant(ga)
    rho = cancel(ga - be**2 / (4 * al))
    return _tidy_constant(al) * (t - mu) ** 2 + _tidy_constant(rho)


def _squared(expr, t):
    """Every ``e^{quadratic}`` in ``expr`` written ``e^{α(t - μ)² + ρ}``."""
    def quad(e):
        return isinstance(e, exp) and _quadratic(e.args[0], t) is not None
    return expr.replace(quad, lambda e: exp(completed_square(e.args[0], t)))


# ---------------------------------------------------------------------------
# the canonical data: an exponential-polynomial Signal plus Gaussian pieces
# ---------------------------------------------------------------------------
def _split_coefficient(c, K, markers_q):
    """``{q: coefficient}`` of a domain element polynomial in the markers
    (``q = 0`` for the marker-free part)."""
    num, den = together(K.to_sympy(c)).as_numer_denom()
    marks = list(markers_q)
    if den.has(*marks):
        raise UnsupportedInputError(
            f"a Gaussian factor appears in a denominator ({K.to_sympy(c)}); only "
            "products of Gaussians with exponential polynomials are supported")
    out = {}
    for powers, coeff in Poly(num, *marks).terms():
        q = Add(*[k * markers_q[m] for k, m in zip(powers, marks, strict=True)])
        out[q] = out.get(q, S.Zero) + coeff / den
    return out


def gaussian_signals(exprs, t):
    """``[(E, G), ...]``, one per expression over one domain: the exponential-polynomial
    part as a :class:`Signal` (with all impulses) and the Gaussian part as pieces
    ``(lo, hi, terms)`` with terms ``(c, k, q, s, r)`` meaning ``c tᵏ e^{q t² + s t + r}``.

    >>> from sympy import exp, symbols
    >>> from symconv.functions import rect
    >>> t = symbols("t", real=True)
    >>> [(E, G)] = gaussian_signals([exp(-t**2)*rect(t) + rect(t)], t)
    >>> E.intervals(), [terms for _lo, _hi, terms in G]
    (((-1/2, 1/2),), [[(1, 0, -1, 0, 0)]])
    """
    markers, restore = {}, {}
    marked = [mark_special(e, t, markers, restore) for e in exprs]
    markers_q = {m: key[1] for key, m in markers.items()}
    K = domain_for(marked, t)
    return [_split_signal(to_signal(m, t, K), markers_q, e) for m, e in zip(marked, exprs,
                                                                              strict=True)]


def _split_signal(sig, markers_q, expr):
    K = sig.K
    pieces, gauss = [], []
    for p in sig.pieces:
        plain, terms = {}, []
        for (k, s, r), c in p.expr.terms.items():
            for q, coeff in _split_coefficient(c, K, markers_q).items():
                if q == 0:
                    plain[(k, s, r)] = K.from_sympy(coeff)
                else:
                    terms.append((coeff, k, q, K.to_sympy(s), K.to_sympy(r)))
        if plain:
            pieces.append(Piece(p.lo, p.hi, ExpPoly(K, plain)))
        if terms:
            gauss.append((p.lo, p.hi, terms))
    for imp in sig.impulses:
        for c in imp.weight.terms.values():
            if set(_split_coefficient(c, K, markers_q)) - {S.Zero}:
                raise UnsupportedInputError(
                    f"an impulse multiplies a Gaussian in {expr}; write the Gaussian's value "
                    f"at t = {to_sympy_point(imp.at)} as the impulse's weight", expr)
    return Signal.from_pieces(K, pieces, sig.impulses), gauss


# ---------------------------------------------------------------------------
# the integral of one term pair between two limits
# ---------------------------------------------------------------------------
def _sign(x, what):
    """The sign of a real parameter expression under the facts in force."""
    b = point(x, what)
    return (b > 0) - (b < 0)


class _Pair:
    """``∫ c τʲ e^{q₁τ²+s₁τ+r₁} · (t-τ)ᵐ e^{q₂(t-τ)²+s₂(t-τ)+r₂} dτ`` for one term pair."""

    def __init__(self, f_term, g_term, t):
        c1, j, q1, s1, r1 = f_term
        c2, m, q2, s2, r2 = g_term
        self.t = t
        A = q1 + q2
        sa = _sign(A, A)
        if sa == 0:
            raise UnsupportedInputError(
                f"the Gaussians e^({q1} t**2) and e^({q2} t**2) cancel in the product; "
                "that integral is not in the supported class")
        self.A, self.growing = A, sa > 0
        B = s1 - s2 - 2 * q2 * t
        C = q2 * t**2 + s2 * t + r1 + r2
        self.c = c1 * c2
        self.B, self.C = B, C
        self.tau0 = expand(-B / (2 * A))
        x = Dummy("x")
        poly = Poly(expand((x + self.tau0) ** j * (t - self.tau0 - x) ** m), x)
        self.p = {k: coeff for (k,), coeff in poly.terms()}
        self.n = max(self.p)
        # Rₙ(X) and κₙ by the recursion
        R = {0: S.Zero, 1: 1 / (2 * A)}
        kappa = {0: sqrt(pi) / (2 * sqrt(A if sa > 0 else -A)), 1: S.Zero}
        X = Dummy("X")
        for k in range(2, self.n + 1):
            R[k] = expand(X ** (k - 1) / (2 * A) - (k - 1) * R[k - 2] / (2 * A))
            kappa[k] = -(k - 1) * kappa[k - 2] / (2 * A)
        self.X = X
        self.R = expand(Add(*[self.p[k] * R[k] for k in self.p]))
        self.kappa = expand(Add(*[self.p[k] * kappa[k] for k in self.p]))
        self.root = sqrt(A) if self.growing else sqrt(-A)

    def antiderivative(self, tau):
        """``F(τ)`` with ``dF/dτ`` the pair's integrand (for derivations)."""
        X = tau - self.tau0
        special = (erfi if self.growing else erf)(expand(self.root * X))
        return (self.c * exp(self.A * tau**2 + self.B * tau + self.C) * self.R.xreplace({self.X: X})
                + self.c * exp(self.C - self.B**2 / (4 * self.A)) * self.kappa * special)

    def at(self, kind, x, out, sign):
        """Add ``sign · J(L)`` to ``out`` for the limit ``τ = L`` (``const`` x or ``t - x``)."""
        t = self.t
        if isinstance(x, Inf):
            if self.growing:
                raise DivergenceError(
                    f"the convolution integral diverges: e^({self.A} tau**2) grows as "
                    f"tau -> {'+' if x.sign > 0 else '-'}oo")
            end = x.sign if kind == "const" else -x.sign
            if self.kappa != 0:
                _add(out, expand(self.C - self.B**2 / (4 * self.A)), None,
                     sign * end * self.c * self.kappa, t)
            return
        L = to_sympy_point(x) if kind == "const" else t - to_sympy_point(x)
        arg = expand(L - self.tau0)
        if self.R != 0:
            _add(out, expand(self.A * L**2 + self.B * L + self.C), None,
                 sign * self.c * self.R.xreplace({self.X: arg}), t)
        if self.kappa != 0:
            special = (erfi if self.growing else erf)(expand(self.root * arg))
            _add(out, expand(self.C - self.B**2 / (4 * self.A)), special,
                 sign * self.c * self.kappa, t)


def _add(out, exponent, special, coeff, t):
    """``out[(t-part of exponent, special)] += coeff · e^{constant part}``."""
    tpart, const = S.Zero, S.Zero
    for term in Add.make_args(exponent):
        if term.has(t):
            tpart += term
        else:
            const += term
    if special is not None and special.is_number:  # erf(0) = 0
        coeff, special = coeff * special, None
    elif isinstance(special, Mul):  # SymPy's canonical sign: erf(t - 1) = -erf(1 - t)
        c0, special = special.as_coeff_Mul()
        coeff = coeff * c0
    key = (tpart, special)
    out[key] = out.get(key, S.Zero) + coeff * exp(const)


# ---------------------------------------------------------------------------
# assembling the result
# ---------------------------------------------------------------------------
def _box(lo, hi):
    return Piece(lo, hi, None)  # _pair_regions reads only the ends


def terms_expr(terms, x):
    """``Σ c xᵏ e^{q x² + s x + r}`` of Gaussian-piece terms."""
    return Add(*[c * x**k * exp(q * x**2 + s * x + r) for c, k, q, s, r in terms])


def gaussian_regions(f_pieces, g_pieces, t):
    """Every region of every pair of pieces (``(lo, hi, terms)``) as
    ``(lo, hi, lower, upper, pairs, value)``: the term pairs (with their
    antiderivatives) and the value ``{(e^{...} key, erf factor): coefficient}``."""
    out = []
    for flo, fhi, fterms in f_pieces:
        for glo, ghi, gterms in g_pieces:
            pairs = [_Pair(a, b, t) for a in fterms for b in gterms]
            for lo, hi, lower, upper in pair_regions(_box(flo, fhi), _box(glo, ghi)):
                val = {}
                for pr in pairs:
                    pr.at(*upper, val, 1)
                    pr.at(*lower, val, -1)
                out.append((lo, hi, lower, upper, (fterms, gterms, pairs), val))
    return out


def region_value(val, t):
    """A region's value ``{(key, erf factor): coefficient}`` as a tidy SymPy expression."""
    return _value(val, t)


def _pair_events(f_pieces, g_pieces, t, events, base):
    """Add every region of every pair of pieces (``(lo, hi, terms)``) to the events."""
    for lo, hi, _lower, _upper, _pairs, val in gaussian_regions(f_pieces, g_pieces, t):
        _event(events, base, lo, hi, val)


def _event(events, base, lo, hi, val):
    target = base if isinstance(lo, Inf) else events.setdefault(lo, {})
    for key, c in val.items():
        target[key] = target.get(key, S.Zero) + c
    if is_finite(hi):
        target = events.setdefault(hi, {})
        for key, c in val.items():
            target[key] = target.get(key, S.Zero) - c


def expoly_terms(E):
    """The pieces of an exponential-polynomial signal as Gaussian-piece terms (q = 0)."""
    K = E.K
    return [(p.lo, p.hi, [(K.to_sympy(c), k, S.Zero, K.to_sympy(s), K.to_sympy(r))
                          for (k, s, r), c in p.expr.terms.items()]) for p in E.pieces]


def _impulse_events(imps, pieces, t, events, base):
    """``w δ⁽ᵐ⁾(t - T) * Σ pieces``: the pieces shifted by ``T`` and differentiated ``m``
    times (with the jumps at their ends as impulses of the result)."""
    out_imps = []
    for imp in imps:
        w = expoly_to_sympy(imp.weight, t)
        T = to_sympy_point(imp.at)
        for lo, hi, terms in pieces:
            expr = terms_expr(terms, t)
            for j in range(imp.order, 0, -1):  # jumps of the lower derivatives at the ends
                d = expr.diff(t, imp.order - j)
                for end, sg in ((lo, 1), (hi, -1)):
                    if is_finite(end):
                        v = expand(d.subs(t, to_sympy_point(end)))
                        if v != 0:
                            out_imps.append((end + imp.at, j - 1, sg * w * v))
            d = expr.diff(t, imp.order).subs(t, t - T) if imp.order else expr.subs(t, t - T)
            val = {}
            for term in Add.make_args(expand(w * d)):
                exps = [x for x in Mul.make_args(term) if isinstance(x, exp)]
                rest = term / Mul(*exps) if exps else term
                _add(val, expand(Add(*[x.args[0] for x in exps])), None, rest, t)
            _event(events, base, lo + imp.at, hi + imp.at, val)
    return out_imps


def _tidy_constant(c):
    """A coefficient made readable without risk: ``factor`` only for rational functions of
    the parameters (SymPy factors sums of erf/exp constants by random evaluation, which can
    take minutes), common factors taken out otherwise."""
    if c.has(erf, erfi, exp, pi) or not c.is_rational_function():
        return factor_terms(c)
    return factor(c)


def _tidy(val, t):
    """A region's value: terms grouped by ``e^{q t² + s t}``, then by erf/erfi factor,
    common factors taken out (``√(2π)/4 · e^{9/8 - t} (1 + erf(…))``)."""
    groups = {}
    for (tpart, special), c in sorted(val.items(), key=lambda kv: str(kv[0])):
        c = expand(c)
        if c == 0:
            continue
        if c.is_Add and c.has(t):
            c = Add(*[_tidy_constant(x) * t**k for (k,), x in Poly(c, t).terms()])
        groups.setdefault(tpart, []).append(c * (special if special is not None else S.One))
    out = []
    for tpart, terms in groups.items():
        inner = factor_terms(Add(*terms))
        out.append(_squared(powsimp(inner * exp(tpart), combine="exp"), t))
    return Add(*out)


def convolve_gaussian(f, g, t, convolve_signals, form="piecewise"):
    """Exact ``(f * g)(t)`` where ``f`` or ``g`` has Gaussian factors ``e^{q t² + s t + r}``.

    ``convolve_signals`` is the exponential-polynomial engine, used for the part of
    the product without Gaussians. The facts in force
    (:meth:`symconv.canonical.order.Facts.using`) order symbolic breakpoints; an undecided order
    raises :class:`~symconv.errors.UndecidableOrderError` for the case driver. Returns a
    SymPy expression: ``Piecewise`` in ``t`` (or pieces times
    ``u`` with ``form="heaviside"``) plus impulses.

    >>> from sympy import exp, symbols
    >>> from symconv.functions import u
    >>> t = symbols("t", real=True)
    >>> from symconv.engine.continuous import convolve_signals as engine
    >>> convolve_gaussian(exp(-t**2)*u(t), u(t), t, engine).args[1][0]
    sqrt(pi)*erf(t)/2
    """
    (EF, GF), (EG, GG) = gaussian_signals([f, g], t)
    plain = convolve_signals(EF, EG)
    events, base = {}, {}
    for p in plain.pieces:
        _event(events, base, p.lo, p.hi, {(None, None): expoly_to_sympy(p.expr, t)})
    fe, ge = expoly_terms(EF), expoly_terms(EG)
    _pair_events(GF, ge + GG, t, events, base)
    _pair_events(fe, GG, t, events, base)
    imps = _impulse_events(EF.impulses, GG, t, events, base)
    imps += _impulse_events(EG.impulses, GF, t, events, base)
    out = segments_to_sympy(_sweep(events, base, t), t, form)
    imp_terms = [w * (DiracDelta(t - to_sympy_point(at), order) if order else
                      DiracDelta(t - to_sympy_point(at))) for at, order, w in imps]
    return out + Add(*imp_terms) + _impulses_to_sympy(plain, t)


def _sweep(events, base, t):
    """``[(lo, hi, expr)]`` from the difference array, equal neighbours merged."""
    from symconv.canonical.signal import NEG_INF, POS_INF

    segs = []
    running = dict(base)
    prev = NEG_INF
    for x in sorted(events):
        if prev < x:
            segs.append([prev, x, _value(running, t)])
        for key, c in events[x].items():
            running[key] = running.get(key, S.Zero) + c
        prev = x
    segs.append([prev, POS_INF, _value(running, t)])
    merged = []
    for lo, hi, e in segs:
        if merged and expand(merged[-1][2] - e) == 0:
            merged[-1][1] = hi
        else:
            merged.append([lo, hi, e])
    return [(lo, hi, e) for lo, hi, e in merged]


def _value(running, t):
    plain = running.get((None, None), S.Zero)
    rest = {k: v for k, v in running.items() if k != (None, None)}
    return plain + _tidy(rest, t)
