"""Real and imaginary parts, exactly, over fields with points of the unit circle.

A sequence with a frequency that is not a rational multiple of π (``cos(n)``,
``sin(√2 n)``) is held over SymPy's field ``F(w₁, …, a, …)``: ``F`` a field of
complex numbers (``QQ_I``, ``QQ<√2 + i>``), each ``wⱼ = e^{iθⱼ}`` a generator on the
unit circle and the others (``a``, ``π``, ``e``, the markers of
:mod:`symconv.canonical.powers`) real. Complex conjugation is then a field map:
``wⱼ ↦ 1/wⱼ`` and ``F``'s own conjugation on the coefficients. This module computes
with it exactly, on Laurent polynomials held as ``{exponents: coefficient of F}``:

* the real and imaginary parts of an element ``N/D``: the denominator is made real
  (``D`` times ``D̄``, or times a monomial when ``D̄`` is already a multiple of ``D``),
  and a Laurent polynomial is real-and-imaginary split term by term,
  ``a wᵏ = (Re a + i Im a)(cos kθ + i sin kθ)``;
* the polar form of a base ``B = ρ e^{iψ}`` with ``ρ`` real, when ``B̄/B`` is a
  monomial.

No ``simplify``: every step is polynomial arithmetic over ``F``, and every claim of
reality is checked exactly (``x̄ = x``) before a real form is returned. The caller
keeps its complex form when a step answers ``None``.

Examples
--------
>>> from sympy import I, Rational, exp, symbols, cos
>>> from symconv.canonical.domains import field_for
>>> K = field_for([exp(I), I])
>>> uc = UnitCircle.of(K)
>>> x = K.from_sympy(2 / (2 - exp(I)))
>>> uc.re_im(x)
((4 - 2*cos(1))/(5 - 4*cos(1)), 2*sin(1)/(5 - 4*cos(1)))
"""

from __future__ import annotations

from sympy import Abs, Add, Dummy, Mul, Pow, S, arg, cos, exp, expand, sin
from sympy import I as IMAG
from sympy.polys.domains import QQ, QQ_I, ZZ, ZZ_I

from symconv.limits import check_deadline

__all__ = ["UnitCircle"]

#: Laurent polynomials larger than this many terms are not rationalised (the product
#: ``N D̄`` would be large; the complex form is kept).
MAX_TERMS = 400


class _Ground:
    """Conjugation and real/imaginary parts on the coefficient field ``F``."""

    def __init__(self, F, conj, parts, i_unit):
        self.F, self._conj, self._parts, self.i = F, conj, parts, i_unit
        self._cache = {}

    @classmethod
    def of(cls, G):
        """The ground of a polynomial ring (``ZZ_I`` is taken in ``QQ_I``); ``None``
        when its conjugation is not known."""
        if G in (ZZ_I, QQ_I):
            return cls(QQ_I, lambda c: QQ_I(c.x, -c.y),
                       lambda c: (QQ.to_sympy(c.x), QQ.to_sympy(c.y)), QQ_I(0, 1))
        if G in (ZZ, QQ):
            return cls(QQ, lambda c: c, lambda c: (QQ.to_sympy(c), S.Zero), None)
        if getattr(G, "is_Algebraic", False):
            return cls._algebraic(G)
        return None

    @classmethod
    def _algebraic(cls, A):
        from sympy import conjugate
        from sympy.polys.polyerrors import CoercionFailed

        try:
            alpha_bar = A.from_sympy(conjugate(A.ext.as_expr()))
        except (CoercionFailed, NotImplementedError, ValueError, TypeError):
            return None  # the field is not closed under conjugation
        try:
            i_unit = A.from_sympy(IMAG)
        except (CoercionFailed, NotImplementedError, ValueError, TypeError):
            i_unit = None

        def conj(c):
            out = A.zero
            for q in c.to_list():  # highest power of the primitive element first
                out = out * alpha_bar + A.convert(q, A.dom)
            return out

        def parts(c):
            re_c, im_c = expand(A.to_sympy(c)).as_real_imag()
            re_c, im_c = expand(re_c), expand(im_c)
            if re_c.has(IMAG) or im_c.has(IMAG):
                raise _NotRealError
            return re_c, im_c

        return cls(A, conj, parts, i_unit)

    def convert(self, c, G):
        return self.F.convert(c, G)

    def conj(self, c):
        return self._conj(c)

    def parts(self, c):
        """``(Re c, Im c)`` as real SymPy numbers."""
        try:
            hit = self._cache.get(c)
        except TypeError:  # not hashable
            return self._parts(c)
        if hit is None:
            hit = self._cache[c] = self._parts(c)
        return hit


class _NotRealError(Exception):
    """A step could not show its result real (the caller keeps the complex form)."""


class UnitCircle:
    """Conjugation, real parts and polar forms over ``F(e^{iθ₁}, …, a, …)``.

    Build it with :meth:`of` (``None`` when the field is not of that kind); the
    methods take elements of ``K`` and answer ``None`` when a real form cannot be
    shown exactly.
    """

    def __init__(self, K, ground, unit, gens):
        self.K, self.ground = K, ground
        self.unit = unit  # per generator: its angle θ (SymPy) or None for a real one
        self.gens = gens
        self.G = K.field.ring.domain
        self._factor_cache = {}

    @classmethod
    def of(cls, K):
        """The helper for ``K``, or ``None`` when ``K`` has no unit-circle generator,
        a generator that is neither real nor on the unit circle, or a ground field
        whose conjugation is not known."""
        field = getattr(K, "field", None)
        if field is None or not getattr(K, "is_FractionField", False):
            return None
        gens = tuple(field.ring.symbols)
        unit = []
        for g in gens:
            theta = _angle(g)
            if theta is None and not _is_real(g):
                return None
            unit.append(theta)
        if not any(theta is not None for theta in unit):
            return None
        ground = _Ground.of(field.ring.domain)
        if ground is None:
            return None
        return cls(K, ground, tuple(unit), gens)

    # -- Laurent polynomials ------------------------------------------------------
    def _dict(self, p):
        if self.ground.F == self.G:  # no conversion (SymPy's would search isomorphisms)
            return dict(p.terms())
        conv = self.ground.convert
        return {m: conv(c, self.G) for m, c in p.terms()}

    def _conj(self, p):
        conj = self.ground.conj
        return {self._flip(m): conj(c) for m, c in p.items()}

    def _flip(self, m):
        return tuple(-e if th is not None else e for e, th in zip(m, self.unit, strict=True))

    def _mul(self, p, q):
        if len(p) * len(q) > MAX_TERMS * MAX_TERMS:
            raise _NotRealError
        F = self.ground.F
        out = {}
        for m1, c1 in p.items():
            check_deadline()
            for m2, c2 in q.items():
                m = tuple(a + b for a, b in zip(m1, m2, strict=True))
                out[m] = out.get(m, F.zero) + c1 * c2
        out = {m: c for m, c in out.items() if c}
        if len(out) > MAX_TERMS:
            raise _NotRealError
        return out

    @staticmethod
    def _scale(p, c, shift):
        return {tuple(a + b for a, b in zip(m, shift, strict=True)): c * x for m, x in p.items()}

    def _ratio(self, p, q):
        """``(λ, s)`` with ``p = λ wˢ q`` (``λ`` in ``F``), or ``None``."""
        if len(p) != len(q) or not p:
            return None
        mp, mq = max(p), max(q)
        s = tuple(a - b for a, b in zip(mp, mq, strict=True))
        lam = p[mp] / q[mq]
        return (lam, s) if self._scale(q, lam, s) == p else None

    def _fraction(self, x):
        return self._dict(x.numer), self._dict(x.denom)

    def _same(self, x_nd, y_nd):
        (n1, d1), (n2, d2) = x_nd, y_nd
        return self._mul(n1, d2) == self._mul(n2, d1)

    def _conj_fraction(self, nd):
        return self._conj(nd[0]), self._conj(nd[1])

    # -- public ---------------------------------------------------------------------
    def is_conjugate(self, x, y):
        """``y = x̄`` exactly."""
        try:
            return self._same(self._conj_fraction(self._fraction(x)), self._fraction(y))
        except _NotRealError:
            return False

    def re_im(self, x):
        """``(Re x, Im x)`` as real SymPy expressions, or ``None``."""
        parts = self.re_im_over(x)
        if parts is None:
            return None
        re_x, im_x, den = parts
        return (re_x, im_x) if den == 1 else (re_x / den, im_x / den)

    def re_im_over(self, x):
        """``(A, B, D)``, real SymPy expressions with ``x = (A + iB)/D``, or ``None``."""
        try:
            return self._re_im(self._dict(x.numer), self._factors(x.denom))
        except _NotRealError:
            return None

    def _factors(self, den):
        """``[(pᵢ, eᵢ)]`` with ``den = Π pᵢ^eᵢ`` (Laurent dicts; the constant first):
        irreducible factors over ``QQ_I`` (square-free ones over a larger field, whose
        factorisation costs more), so that ``(5 - 4 cos 1)²`` stays a square."""
        hit = self._factor_cache.get(den)
        if hit is not None:
            return hit
        split = den.factor_list if self.ground.F in (QQ, QQ_I) else den.sqf_list
        try:
            content, factors = split()
        except (NotImplementedError, ValueError, TypeError, ArithmeticError):
            content, factors = self.G.one, [(den, 1)]
        zero = (0,) * len(self.gens)
        out = [({zero: self.ground.convert(content, self.G)
                 if self.ground.F != self.G else content}, 1)]
        out.extend((self._dict(p), e) for p, e in factors)
        self._factor_cache[den] = out
        return out

    def _real_factor(self, p):
        """``(M, R)`` with ``R = M p`` real: ``M`` a monomial ``μ wʲ`` when ``p̄`` is a
        multiple ``λ w²ʲ p`` (then ``μ̄ λ = μ``: ``μ = 1 + λ``, or ``i`` for ``λ = -1``),
        else ``M = p̄``."""
        ratio = self._ratio(self._conj(p), p)
        if ratio is not None and all(e % 2 == 0 for e in ratio[1]):
            lam, s = ratio
            F = self.ground.F
            mu = F.one + lam
            if not mu:
                if self.ground.i is None:
                    raise _NotRealError
                mu = self.ground.i
            zero = (0,) * len(self.gens)
            m = self._scale({zero: F.one}, mu, tuple(e // 2 for e in s))
        else:
            m = self._conj(p)
        r = self._mul(m, p)
        if self._conj(r) != r:
            raise _NotRealError
        return m, r

    def _paired(self, factors):
        """The factors with partners multiplied together: ``p`` and a multiple of
        ``wˢ p̄``, or two factors each a multiple of ``wˢ`` times itself with ``s`` odd
        (``w - i`` and ``w + i``): each product is a monomial times a real polynomial."""
        factors = [[p, e, self._ratio(self._conj(p), p)] for p, e in factors]
        out = []
        for i, fe in enumerate(factors):
            p, e, own = fe
            if not e:
                continue
            odd = own is not None and any(x % 2 for x in own[1])
            pbar = self._conj(p)
            for fe2 in factors[i + 1:]:
                if not fe2[1]:
                    continue
                own2 = fe2[2]
                if odd and own2 is not None and any(x % 2 for x in own2[1]) \
                        or own is None and self._ratio(pbar, fe2[0]) is not None:
                    m = min(e, fe2[1])
                    out.append((self._mul(p, fe2[0]), m))
                    e -= m
                    fe2[1] -= m
                    if not e:
                        break
            if e:
                out.append((p, e))
        return out

    def _re_im(self, num, factors):
        dens = []
        for p, e in self._paired(factors):
            check_deadline()
            m, r = self._real_factor(p)
            for _ in range(e):
                num = self._mul(num, m)
            r_re, _ = self._to_sympy(r)
            dens.append((r_re, e))
        num_re, num_im = self._to_sympy(num)
        content = S.One
        den = []
        for r_re, e in dens:
            c, r_re = r_re.as_content_primitive()
            if r_re.could_extract_minus_sign():
                c, r_re = -c, -r_re
            content *= c**e
            if r_re != 1:
                den.append(Pow(r_re, e))
        return num_re / content, num_im / content, Mul(*den)

    def _to_sympy(self, p):
        """``(Re p, Im p)`` of a Laurent polynomial, collected by sinusoid."""
        acc = {}

        def add(key, value):
            if value:
                acc[key] = acc.get(key, S.Zero) + value

        for m, c in sorted(p.items()):
            check_deadline()
            re_c, im_c = self.ground.parts(c)
            u = tuple(e if th is not None else 0 for e, th in zip(m, self.unit, strict=True))
            real = tuple(e if th is None else 0 for e, th in zip(m, self.unit, strict=True))
            sign = 1
            first = next((e for e in u if e), 0)
            if first < 0:
                u, sign = tuple(-e for e in u), -1
            if not any(u):
                add(("re", 1, real), re_c)
                add(("im", 1, real), im_c)
                continue
            # (re + i im)(cos + i sign sin)
            add(("re", ("cos", u), real), re_c)
            add(("re", ("sin", u), real), -sign * im_c)
            add(("im", ("sin", u), real), sign * re_c)
            add(("im", ("cos", u), real), im_c)
        out = {"re": [], "im": []}
        for (part, trig, real), c in acc.items():
            c = expand(c)
            if c == 0:
                continue
            factors = [c, self._monomial(real)]
            if trig != 1:
                fn, u = trig
                factors.append((cos if fn == "cos" else sin)(self._angle_of(u)))
            out[part].append(Mul(*factors))
        return Add(*out["re"]), Add(*out["im"])

    def _monomial(self, real):
        return Mul(*[Pow(g, e) for g, e in zip(self.gens, real, strict=True) if e])

    def _angle_of(self, u):
        return Add(*[e * th for e, th in zip(u, self.unit, strict=True) if e])

    def is_real(self, x):
        """``x̄ = x`` exactly."""
        return self.is_conjugate(x, x)

    def polar(self, b):
        """``(ρ, j, φ)`` with ``b = ρ e^{iφ} wʲ``, ``ρ`` real (SymPy), ``j`` the
        exponents of the unit generators, ``φ`` the argument of a constant of ``F``
        (SymPy, ``0`` when there is none); ``None`` when ``b̄/b`` is not a monomial."""
        try:
            return self._polar(*self._fraction(b))
        except _NotRealError:
            return None

    def _polar(self, num, den):
        nbar, dbar = self._conj(num), self._conj(den)
        ratio = self._ratio(self._mul(nbar, den), self._mul(dbar, num))
        if ratio is None:
            return None
        lam, s = ratio  # b̄/b = λ wˢ
        if any(e % 2 for e in s):
            return None
        j = tuple(-e // 2 for e in s)
        F = self.ground.F
        # s = b w^{-j} has s̄ = λ s; μ with μ̄ = λ μ makes s/μ real
        mu = F.one if lam == F.one else F.one + self.ground.conj(lam)
        if not mu:
            if self.ground.i is None:
                return None
            mu = self.ground.i
        minus_j = tuple(-e for e in j)
        inv = F.one / mu
        num_r = self._scale(num, inv, minus_j)
        re_r, _im_r, den_r = self._re_im(num_r, [(den, 1)])
        rho = re_r / den_r
        phi = S.Zero
        if mu != F.one:
            re_mu, im_mu = self.ground.parts(mu)
            if im_mu == 0:
                rho = rho * re_mu
            else:
                z = re_mu + IMAG * im_mu
                rho, phi = rho * Abs(z), arg(z)
        return rho, j, phi

    def sinusoid_angle(self, j, phi):
        """``φ + Σ jₖ θₖ`` (SymPy)."""
        return phi + self._angle_of(j)


def _angle(g):
    """``θ`` when the generator ``g`` is ``e^{iθ}`` with ``θ`` real and non-zero, else
    ``None``."""
    if not isinstance(g, exp):
        return None
    theta = expand(g.args[0] / IMAG)
    if theta.has(IMAG) or theta == 0:
        return None
    if theta.is_number:
        return theta if theta.is_extended_real else None
    if theta.is_extended_real is False:
        return None
    # symbols are taken as real, as everywhere in symconv's output
    return theta if all(s.is_extended_real is not False for s in theta.free_symbols) else None


def _is_real(g):
    """A generator taken as real: a real constant, or a parameter (a symbol without a
    contrary assumption, as in the rest of symconv's output)."""
    if g.is_number:
        return g.is_extended_real is True
    if isinstance(g, (Dummy,)) or g.is_Symbol:
        return g.is_extended_real is not False
    return g.is_extended_real is True or (
        not g.has(IMAG) and all(s.is_extended_real is not False for s in g.free_symbols)
        and not any(isinstance(a, exp) and a.args[0].has(IMAG) for a in g.atoms(exp)))
