"""Canonical sequences back to SymPy: a ``Piecewise`` in ``n`` with real ``cos``/``sin``.

Conjugate bases pair up into real sinusoids (exact values over the cyclotomic field, or
over ``Q(ζ_m)(a, …)``), short pieces whose values a neighbour already gives are absorbed,
and an even sequence on the whole line is written in ``|n|``.

Examples
--------
>>> from sympy import symbols
>>> from symconv.convert.sequences import to_sequence
>>> from symconv.functions import u
>>> n = symbols("n", integer=True)
>>> sequence_to_sympy(to_sequence(u(n) - u(n - 2), n), n)
Piecewise((0, n < 0), (1, n < 2), (0, True))
"""

from __future__ import annotations

from functools import lru_cache

from sympy import (
    Abs,
    Add,
    Mul,
    Pow,
    Rational,
    S,
    arg,
    collect,
    cos,
    exp,
    expand,
    pi,
    sin,
)
from sympy import I as IMAG

from symconv.canonical.cyclotomic import CyclotomicField, radical_parts
from symconv.canonical.order import Point
from symconv.canonical.rational import RQ
from symconv.canonical.signal import NEG_INF, POS_INF, Inf, Piece, Signal, is_finite
from symconv.convert.output import _formal_re_im, _nice, piecewise_by_ends
from symconv.convert.unit_circle import UnitCircle
from symconv.limits import check_deadline


# ---------------------------------------------------------------------------
# Sequence -> SymPy
# ---------------------------------------------------------------------------
def _power(b, n):
    """``bⁿ``; a complex base ``ρ e^{iθ}`` becomes ``ρⁿ (cos θn + i sin θn)``."""
    if not b.has(IMAG):
        return Pow(b, n)
    rho, theta = _polar(b)
    return Pow(rho, n) * (cos(theta * n) + IMAG * sin(theta * n))


def _polar(b):
    """``(ρ, θ)`` of a complex constant, treating symbols as real (``-π < θ ≤ π``
    for numbers)."""
    if b.is_number and not b.has(exp):
        return Abs(b), _principal(arg(b))
    if isinstance(b, exp):
        re_x, im_x = _formal_re_im(b.args[0])
        return exp(re_x), im_x
    if isinstance(b, Pow) and isinstance(b.base, exp):
        rho, theta = _polar(b.base)
        return rho**b.exp, theta * b.exp
    if isinstance(b, Mul):
        rho, theta = S.One, S.Zero
        for factor in b.args:
            r1, t1 = _polar(factor)
            rho, theta = rho * r1, theta + t1
        return rho, _principal(theta)
    return Abs(b), arg(b)


def _periodic_to_sympy(f, n):
    """``f`` over a cyclotomic field as SymPy: each base is ``a ζʲ`` (``a > 0`` rational)
    and becomes ``aⁿ (cos θn + i sin θn)``, ``θ = 2πj/m``; when the conjugate terms pair
    up (a real sequence) the pair is ``2 aⁿ (Re c · cos θn - Im c · sin θn)``, collected
    by sinusoid. ``None`` when a base is not of that form (the generic path takes it)."""
    K = f.K
    m = K.m
    parts = {}
    for (k, b), c in f.terms.items():
        unit = K.as_unit_multiple(b)
        if unit is None:
            return None
        a, j = unit
        parts[(k, a, j)] = c
    real = True
    for (k, a, j), c in parts.items():
        partner = parts.get((k, a, -j % m))
        if partner is None or partner != K.conjugate(c):
            real = False
            break
    groups = {}

    def add(sinusoid, coeff, k, a):
        if coeff != 0:
            groups.setdefault(sinusoid, []).append(Mul(coeff, n**k, Pow(RQ.to_sympy(a), n)))

    for (k, a, j), c in sorted(parts.items(), key=lambda kv: kv[0]):
        check_deadline()
        re_c, im_c = K.real_imag_sympy(c)
        if j == 0 or 2 * j == m:  # a real base ±a
            sg = 1 if j == 0 else -1
            if real:
                add(S.One, re_c, k, sg * a)
            else:
                add(S.One, re_c + IMAG * im_c, k, sg * a)
            continue
        theta = pi * Rational(2 * j, m) if 2 * j < m else pi * Rational(2 * j - 2 * m, m)
        if real:
            if 2 * j > m:
                continue  # the partner of a term with θ in (0, π)
            add(_sinusoid(cos, 2 * j, m, n), 2 * re_c, k, a)
            add(_sinusoid(sin, 2 * j, m, n), -2 * im_c, k, a)
        else:
            add(S.One, (re_c + IMAG * im_c) * (cos(theta * n) + IMAG * sin(theta * n)), k, a)
    out = []
    for sinusoid, terms in groups.items():
        out.append(Mul(sinusoid, Add(*terms)))
    return Add(*out)


@lru_cache(maxsize=1024)
def _sinusoid(fn, num, den, n):
    """``cos(π num/den · n)`` (or ``sin``), built once: SymPy's evaluation of a trigonometric
    function costs milliseconds, and its own cache may be cleared between calls."""
    return fn(pi * Rational(num, den) * n)


def _principal(theta):
    """A rational multiple of π brought into ``(-π, π]`` (``5π/3`` → ``-π/3``), so that
    conjugate bases give ``±θ`` and their imaginary parts cancel; others unchanged."""
    from sympy import floor, pi

    r = theta / pi
    if not r.is_Rational:
        return theta
    r = r - 2 * floor((r + 1) / 2)  # in [-1, 1)
    return (r + 2 if r == -1 else r) * pi


def _zeta_order(K):
    """``m`` when ``K`` is ``Q(ζ_m)(a, ...)`` (built by :func:`_periodic_with_parameters`)."""
    dom = getattr(K, "dom", None)
    if dom is None or not getattr(dom, "is_Algebraic", False) or not hasattr(K, "field"):
        return None
    ratio = dom.ext.root / (2 * pi * IMAG) if isinstance(dom.ext.root, exp) else None
    if ratio is None:
        return None
    r = dom.ext.root.args[0] / (2 * pi * IMAG)
    return int(1 / r) if r.is_Rational and r.p == 1 else None


class _ZetaOutput:
    """Real output over ``Q(ζ_m)(a, ...)``: conjugation (``ζ ↦ ζ⁻¹``, parameters real),
    bases as ``ρ ζʲ`` and real elements as SymPy with exact cosines."""

    def __init__(self, K, m):
        self.K, self.m = K, m
        K0 = K.dom
        self.K0 = K0
        z = K0([K0.dom.one, K0.dom.zero])
        self.zinv = z ** (m - 1)
        self.zeta = K.convert(z, K0)

    def conj_coeff(self, c):
        out = self.K0.zero
        for coeff in c.to_list():  # highest power first: Horner in ζ⁻¹
            out = out * self.zinv + self.K0.convert(coeff, self.K0.dom)
        return out

    def conj_poly(self, p):
        return p.ring.from_dict({mon: self.conj_coeff(c) for mon, c in p.terms()})

    def conj(self, x):
        return self.K.field.new(self.conj_poly(x.numer), self.conj_poly(x.denom))

    @staticmethod
    def same(x, y):
        """``x = y`` (SymPy keeps constant factors of ``Q(ζ)`` in both numerator and
        denominator, so ``==`` on the pair is not equality of values)."""
        return x.numer * y.denom == y.numer * x.denom

    def is_real(self, x):
        return self.same(x, self.conj(x))

    def unit_multiple(self, b):
        """``(ρ, j)`` with ``b = ρ ζʲ``, ``ρ`` real (positive when that is decided) and
        ``-m/2 < j ≤ m/2``, or ``None``."""
        K = self.K
        x = b
        zi = K.one / self.zeta
        first = None
        for j in range(self.m):
            if self.is_real(x):
                jj = j if 2 * j <= self.m else j - self.m
                if self.real_expr(x).is_positive:
                    return x, jj
                first = first or (x, jj)
            x = x * zi
        return first

    def real_expr(self, x):
        """The SymPy form of a real element ``x``: ``N D̄ / (D D̄)``, both with real
        coefficients, each coefficient ``Σ c_k cos(2πk/m)``."""
        num, den = x.numer, x.denom
        lc = den.LC
        num, den = num.quo_ground(lc), den.quo_ground(lc)  # monic: a real x has real N, D
        if den != self.conj_poly(den):
            dbar = self.conj_poly(den)
            num, den = num * dbar, den * dbar
        gens = self.K.field.ring.symbols
        parts = []
        for p in (num, den):
            terms = []
            for mon, c in p.terms():
                coeffs = c.to_list()  # highest power of ζ first
                coeff = radical_parts(enumerate(reversed(coeffs)), self.m)[0]
                terms.append(Mul(coeff, *[g**e for g, e in zip(gens, mon, strict=True)]))
            parts.append(Add(*terms))
        num, den = parts
        return num / den


def _zeta_to_sympy(f, n):
    """``f`` over ``Q(ζ_m)(a, ...)`` as real SymPy: a term ``c nᵏ (ρζʲ)ⁿ`` and its
    conjugate give ``2 ρⁿ nᵏ (Re c · cos θn - Im c · sin θn)``, ``θ = 2πj/m``; ``None``
    when the terms do not pair up (the generic path takes it)."""
    K = f.K
    m = _zeta_order(K)
    if m is None:
        return None
    z = _ZetaOutput(K, m)
    i_unit = z.zeta ** (m // 4)
    terms = list(f.terms.items())
    used, out = set(), []
    for i, ((k, b), c) in enumerate(terms):
        if i in used:
            continue
        check_deadline()
        unit = z.unit_multiple(b)
        if unit is None:
            return None
        rho, j = unit
        rho_s = z.real_expr(rho)
        if j == 0 or 2 * j == m:  # a real base ±ρ
            if not z.is_real(c):
                return None
            out.append(z.real_expr(c) * n**k * Pow(rho_s if j == 0 else -rho_s, n))
            used.add(i)
            continue
        bbar, cbar = z.conj(b), z.conj(c)
        partner = next((i2 for i2, ((k2, b2), _c2) in enumerate(terms)
                        if i2 not in used and i2 != i and k2 == k and z.same(b2, bbar)), None)
        if partner is None or not z.same(terms[partner][1], cbar):
            return None
        two = K.convert(2)
        re_c, im_c = (c + cbar) / two, (c - cbar) / (two * i_unit)
        out.append(2 * n**k * Pow(rho_s, n) * (
            z.real_expr(re_c) * _sinusoid(cos, 2 * j, m, n)
            - z.real_expr(im_c) * _sinusoid(sin, 2 * j, m, n)))
        used.update({i, partner})
    return Add(*out)


def _unit_circle_to_sympy(f, n):
    """``f`` over ``F(e^{iθ₁}, …, a, …)`` (frequencies that are not rational multiples
    of π) as real SymPy (:func:`unit_circle_sum`), or ``None``."""
    return unit_circle_sum(f.K, [(c, ((n, k, b),)) for (k, b), c in f.terms.items()])


def unit_circle_sum(K, terms):
    """``Σ c Π vᵏ Bᵛ`` over ``K = F(e^{iθ₁}, …, a, …)`` as real SymPy, or ``None``.

    ``terms`` is a list of ``(c, ((v, k, B), ...))``: a coefficient and factors
    ``vᵏ Bᵛ`` in index variables ``v`` (``n``; ``k`` and ``n`` in an antidifference).
    Each base is ``B = ρ e^{iψ}`` with ``ρ`` real; a term and its conjugate (conjugate
    bases and coefficient) give ``2 Π vᵏρᵛ (Re c · cos Ψ - Im c · sin Ψ)``,
    ``Ψ = Σ ψ v``; a term with real bases and a real coefficient is itself. ``Re c``
    and ``Im c`` are exact (:class:`~symconv.convert.unit_circle.UnitCircle`). ``None``
    when ``K`` is not of that kind or a term has no partner (the caller keeps the
    complex form)."""
    uc = UnitCircle.of(K)
    if uc is None:
        return None
    merged = {}
    for c, factors in terms:  # equal factors merged, so that partners are unique
        merged[factors] = merged.get(factors, K.zero) + c
    terms = [(c, factors) for factors, c in merged.items() if c]
    polar = []
    by_shape = {}
    for i, (_c, factors) in enumerate(terms):
        check_deadline()
        forms = []
        for _v, _k, b in factors:
            pb = uc.polar(b)
            if pb is None:
                return None
            forms.append(pb)
        polar.append(forms)
        shape = tuple((v, k) for v, k, _b in factors)
        by_shape.setdefault(shape, []).append(i)
    used, out = set(), []
    for i, (c, factors) in enumerate(terms):
        if i in used:
            continue
        check_deadline()
        forms = polar[i]
        power = Mul(*[v**k * Pow(rho, v) for (v, k, _b), (rho, _j, _phi)
                      in zip(factors, forms, strict=True)])
        if all(not any(j) and phi == 0 for _rho, j, phi in forms):  # real bases
            if not uc.is_real(c):
                return None
            out.append(uc.re_im(c)[0] * power)
            used.add(i)
            continue
        shape = tuple((v, k) for v, k, _b in factors)
        partner = next((i2 for i2 in by_shape[shape] if i2 not in used and i2 != i
                        and all(uc.is_conjugate(b, b2) for (_v, _k, b), (_v2, _k2, b2)
                                in zip(factors, terms[i2][1], strict=True))), None)
        if partner is None or not uc.is_conjugate(c, terms[partner][0]):
            return None
        signs = [e for _rho, j, _phi in forms for e in j if e]
        if signs and signs[0] < 0 or not signs and next(
                phi for _rho, _j, phi in forms if phi != 0).could_extract_minus_sign():
            continue  # the partner (its first angle positive) writes the pair
        parts = uc.re_im_over(c)
        if parts is None:
            return None
        re_c, im_c, den = parts  # c = (re_c + i im_c)/den
        psi = Add(*[uc.sinusoid_angle(j, phi) * v for (v, _k, _b), (_rho, j, phi)
                    in zip(factors, forms, strict=True)])
        out.append(Mul(power, Add(2 * re_c * cos(psi), -2 * im_c * sin(psi)),
                       Pow(den, -1)))
        used.update({i, partner})
    if len(used) != len(terms):
        return None
    return Add(*out)


def _geopoly_to_sympy(f, n):
    K = f.K
    if getattr(K, "dom", None) is not None and _zeta_order(K) is not None:
        out = _zeta_to_sympy(f, n)
        if out is not None:
            return out
    if isinstance(K, CyclotomicField):
        expr = _periodic_to_sympy(f, n)
        if expr is not None:
            return expr
    expr = _unit_circle_to_sympy(f, n)
    if expr is not None:
        return expr
    expr = Add(*[
        Mul(_nice(K.to_sympy(c)), n**k, _power(K.to_sympy(b), n))
        for (k, b), c in sorted(f.terms.items(), key=lambda kv: (kv[0][0], str(kv[0][1])))
    ])
    if not expr.has(IMAG):
        return expr
    # conjugate bases e^{±iω}: the imaginary parts cancel for a real sequence
    expr = expand(expr)
    re_e, im_e = _formal_re_im(expr)
    re_e = collect(re_e, [cos(w) for w in re_e.atoms(cos)] + [sin(w) for w in re_e.atoms(sin)])
    return re_e if im_e == 0 else re_e + IMAG * im_e


def _value_at(expr, x, powers):
    """The value of a GeoPoly at the integer point ``x`` (an int or a symbolic Point)."""
    if not isinstance(x, Point):
        return expr.at(int(x))
    K = expr.K
    xk = powers.element(x)
    total = K.zero
    for (k, b), c in expr.terms.items():
        total += c * (xk**k if k else K.one) * powers.power(b, x)
    return total


def _absorb_short_pieces(seq, powers=None, longest=64):
    """Merge a short piece into a neighbour whose expression gives the same values there.

    Sums produce single-point pieces (at ``n = a + c``, ...) whose values the
    neighbouring closed form already matches; merging them is the discrete
    "equal neighbours" rule, decided exactly (also at symbolic points such as
    ``n = N - 1``).
    """
    pieces = list(seq.pieces)
    changed = True
    while changed:
        check_deadline()
        changed = False
        for i, p in enumerate(pieces):
            if not (is_finite(p.lo) and is_finite(p.hi)):
                continue
            length = p.hi - p.lo
            if isinstance(length, Point) or length > longest:
                continue
            if powers is None and (isinstance(p.lo, Point) or isinstance(p.hi, Point)):
                continue
            pts = [p.lo + j for j in range(int(length))]
            vals = [_value_at(p.expr, x, powers) for x in pts]
            for j in (i + 1, i - 1):  # prefer the piece that starts there
                if 0 <= j < len(pieces):
                    q = pieces[j]
                    if (q.hi == p.lo or q.lo == p.hi) and all(
                        _value_at(q.expr, x, powers) == v
                        for x, v in zip(pts, vals, strict=True)
                    ):
                        lo, hi = min(p.lo, q.lo), max(p.hi, q.hi)
                        pieces[j] = Piece(lo, hi, q.expr)
                        del pieces[i]
                        changed = True
                        break
            if changed:
                break
    return Signal.from_pieces(seq.K, pieces)


def _single_points_as_values(seq):
    """A piece on one integer (``[a, a + 1)``, rational ``a``) holds its value there, not a
    formula valid only at that point (``y[1] = 3``, not ``n + 2 for 1 ≤ n < 2``); equal
    neighbouring values then merge."""
    from symconv.canonical.geopoly import GeoPoly

    pieces, changed = [], False
    for p in seq.pieces:
        if is_finite(p.lo) and is_finite(p.hi) and not isinstance(p.lo, Point) \
                and not isinstance(p.hi, Point) and p.hi - p.lo == 1 \
                and any(k or b != seq.K.one for (k, b) in p.expr.terms):
            p = Piece(p.lo, p.hi, GeoPoly.const(seq.K, p.expr.at(int(p.lo))))
            changed = True
        pieces.append(p)
    return Signal.from_pieces(seq.K, pieces, seq.impulses) if changed else seq


def sequence_to_sympy(seq, n, powers=None):
    """A sequence as a SymPy ``Piecewise`` in ``n`` (``n < hi`` conditions, in order).

    >>> from sympy import symbols
    >>> from symconv.convert.sequences import to_sequence
    >>> from symconv.functions import u
    >>> n = symbols("n", integer=True)
    >>> sequence_to_sympy(to_sequence(u(n) - u(n - 2), n), n)
    Piecewise((0, n < 0), (1, n < 2), (0, True))
    """
    seq = _single_points_as_values(_absorb_short_pieces(seq, powers))
    full = []
    prev = NEG_INF
    for p in seq.pieces:
        if prev < p.lo:
            full.append((p.lo, S.Zero))
        e = _geopoly_to_sympy(p.expr, n)
        full.append((p.hi, powers.restore(e) if powers is not None else e))
        prev = p.hi
    if prev < POS_INF:
        full.append((POS_INF, S.Zero))
    if len(full) == 1:
        return full[0][1]
    even = _even_form(seq, n, powers)
    if even is not None:
        return even
    return piecewise_by_ends(full, n)


def _even_form(seq, n, powers):
    """``E(|n|)`` for a sequence on the whole line that is even (an autocorrelation):
    two pieces meeting at 0 or 1 with ``left(n) = right(-n)``; else ``None``."""
    if len(seq.pieces) != 2:
        return None
    left, right = seq.pieces
    if isinstance(left.lo, Inf) and isinstance(right.hi, Inf) and left.hi == right.lo \
            and not isinstance(left.hi, Point) and left.hi in (0, 1) \
            and left.expr.reflect() == right.expr:
        e = _geopoly_to_sympy(right.expr, n).xreplace({n: Abs(n)})
        return powers.restore(e) if powers is not None else e
    return None
