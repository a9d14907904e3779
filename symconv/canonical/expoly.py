"""Exponential polynomials: exact algebra, shifts, derivatives and antiderivatives.

An :class:`ExpPoly` is a finite sum ``Σ c · tᵏ · e^{s·t} · e^{r}`` held as a
mapping ``(k, s, r) -> c``. The exponent ``s``, the constant exponent ``r`` and
the coefficient ``c`` are elements of one exact SymPy domain ``K`` (``QQ`` for
rational data, ``QQ_I`` when ``sin``/``cos`` bring complex exponents, a
fraction field for symbolic parameters, ``EX`` as a last resort), chosen once at
the edge. Keeping ``e^{r}`` as part of the key makes the form canonical: two
terms with distinct keys are linearly independent functions of ``t``
(Lindemann–Weierstrass), so exact cancellation is a dictionary operation.

Examples
--------
>>> from sympy import QQ, symbols
>>> t = symbols("t")
>>> f = ExpPoly.term(QQ, QQ(2), k=0, s=QQ(-1, 2))          # 2 e^{-t/2}
>>> f.to_sympy(t)
2*exp(-t/2)
>>> f.shift(QQ(1)).to_sympy(t)                           # 2 e^{-(t-1)/2}
2*exp(1/2)*exp(-t/2)
>>> (f * f).to_sympy(t)
4*exp(-t)
"""

from __future__ import annotations

from bisect import bisect_left
from itertools import accumulate
from math import comb

from sympy import Add, Mul, exp

from symconv.canonical.rational import RQ
from symconv.limits import check_deadline

__all__ = ["ExpPoly", "antiderivative", "shifted_products", "python_products"]

#: Rational polynomial factors with at least this many terms are multiplied and shifted
#: by python-flint (C, asymptotically fast) instead of term by term.
FLINT_TERMS = 16


class ExpPoly:
    """An exponential polynomial ``Σ c tᵏ e^{s t} e^{r}`` over an exact domain.

    Instances are immutable: every operation returns a new object. Zero
    coefficients are never stored, so ``f.is_zero`` and ``==`` are exact.

    Parameters
    ----------
    K : sympy.polys.domains.Domain
        The exact coefficient domain (a field).
    terms : dict
        ``(k, s, r) -> c`` with ``k >= 0`` an ``int`` and ``s, r, c`` in ``K``.
        Trusted internal data: zero coefficients must already be removed.

    Examples
    --------
    >>> from sympy import QQ, symbols
    >>> t = symbols("t")
    >>> one = ExpPoly.const(QQ, QQ(1))
    >>> (one + ExpPoly.monomial(QQ, 1)).to_sympy(t)
    t + 1
    """

    __slots__ = ("K", "terms", "_hash")

    def __init__(self, K, terms):
        self.K = K
        self.terms = terms
        self._hash = None

    # -- construction -------------------------------------------------------
    @classmethod
    def zero(cls, K):
        """The zero exponential polynomial."""
        return cls(K, {})

    @classmethod
    def const(cls, K, c, r=None):
        """The constant ``c e^{r}``."""
        if not c:
            return cls(K, {})
        return cls(K, {(0, K.zero, K.zero if r is None else r): c})

    @classmethod
    def monomial(cls, K, k):
        """``tᵏ``."""
        return cls(K, {(k, K.zero, K.zero): K.one})

    @classmethod
    def term(cls, K, c, k=0, s=None, r=None):
        """The single term ``c tᵏ e^{s t} e^{r}``."""
        if not c:
            return cls(K, {})
        z = K.zero
        return cls(K, {(k, z if s is None else s, z if r is None else r): c})

    # -- predicates -----------------------------------------------------------
    @property
    def is_zero(self):
        """``True`` when this is the zero function."""
        return not self.terms

    def is_constant(self):
        """``True`` when no term depends on ``t``."""
        return all(k == 0 and not s for (k, s, _r) in self.terms)

    def degree(self):
        """The largest power of ``t`` among the terms (``-1`` for zero)."""
        return max((k for (k, _s, _r) in self.terms), default=-1)

    def exponents(self):
        """The set of exponents ``s`` occurring."""
        return {s for (_k, s, _r) in self.terms}

    def __eq__(self, other):
        if not isinstance(other, ExpPoly):
            return NotImplemented
        return self.terms == other.terms

    def __hash__(self):
        if self._hash is None:
            self._hash = hash(frozenset(self.terms.items()))
        return self._hash

    def __bool__(self):
        return bool(self.terms)

    def __repr__(self):
        return f"ExpPoly({self.terms!r})"

    # -- ring operations ------------------------------------------------------
    def __add__(self, other):
        if not other.terms:
            return self
        if not self.terms:
            return other
        out = dict(self.terms)
        _accumulate(out, other.terms, 1)
        return ExpPoly(self.K, out)

    def __sub__(self, other):
        if not other.terms:
            return self
        out = dict(self.terms)
        _accumulate(out, other.terms, -1)
        return ExpPoly(self.K, out)

    def __neg__(self):
        return ExpPoly(self.K, {key: -c for key, c in self.terms.items()})

    def scale(self, c):
        """Multiply by the constant ``c`` (an element of ``K``)."""
        if not c:
            return ExpPoly(self.K, {})
        return ExpPoly(self.K, {key: c * v for key, v in self.terms.items()})

    def __mul__(self, other):
        if not self.terms or not other.terms:
            return ExpPoly(self.K, {})
        if self.K is RQ and len(self.terms) * len(other.terms) >= FLINT_TERMS**2:
            return ExpPoly(self.K, _rational_product(self.terms, other.terms))
        out = {}
        _multiply_into(out, self.terms, other.terms)
        return ExpPoly(self.K, out)

    def __pow__(self, n):
        if n and len(self.terms) == 2:
            return ExpPoly(self.K, _binomial_power(self.K, *self.terms.items(), n))
        result = ExpPoly.const(self.K, self.K.one)
        base = self
        while n:
            if n & 1:
                result = result * base
            n >>= 1
            if n:
                base = base * base
        return result

    # -- calculus and substitutions ------------------------------------------
    def shift(self, d):
        """The function ``t ↦ f(t - d)`` for a constant ``d`` in ``K``."""
        if not d:
            return self
        K = self.K
        if K is RQ and self.degree() >= FLINT_TERMS:
            return ExpPoly(K, _rational_shift(self.terms, d))
        out = {}
        _shift_into(out, K, self.terms.items(), d)
        return ExpPoly(K, out)

    def reflect(self):
        """The function ``t ↦ f(-t)``."""
        return ExpPoly(
            self.K,
            {(k, -s, r): (-c if k % 2 else c) for (k, s, r), c in self.terms.items()},
        )

    def diff(self):
        """The derivative ``d/dt``."""
        K = self.K
        out = {}
        for (k, s, r), c in self.terms.items():
            if k:
                _add_term(out, (k - 1, s, r), c * K.convert(k))
            if s:
                _add_term(out, (k, s, r), c * s)
        return ExpPoly(K, out)

    def at(self, x):
        """The value at the constant ``t = x`` (in ``K``), as a constant ExpPoly."""
        K = self.K
        out = {}
        z = K.zero
        for (k, s, r), c in self.terms.items():
            key = (0, z, r + s * x if s else r)
            _add_term(out, key, c * x**k if k else c)
        return ExpPoly(K, out)

    def map_coefficients(self, K2, convert):
        """The same function over the domain ``K2``; ``convert`` maps elements."""
        out = {}
        for (k, s, r), c in self.terms.items():
            _add_term(out, (k, convert(s), convert(r)), convert(c))
        return ExpPoly(K2, out)

    # -- output ---------------------------------------------------------------
    def to_sympy(self, t):
        """A SymPy expression (complex exponentials kept as they are).

        See :func:`symconv.convert.output.to_sympy` for the real (sin/cos) form.
        """
        K = self.K
        terms = []
        for (k, s, r), c in sorted(self.terms.items(), key=lambda kv: _sort_key(K, kv[0])):
            terms.append(
                Mul(K.to_sympy(c), t**k, exp(K.to_sympy(s) * t), exp(K.to_sympy(r)))
            )
        return Add(*terms)


def shifted_products(K, pairs, d):
    """``Σ P(t) · A(t - d)`` over ``(P, A)`` pairs of exponential polynomials.

    Each term ``c tᵖ e^{βt} e^{r}`` of a ``P`` collects its ``A``'s (scaled by ``c``)
    first, so that each collected sum is shifted once: many short shifts of
    overlapping powers become a few long ones.

    >>> from sympy import QQ, symbols
    >>> t = symbols("t")
    >>> P, A = ExpPoly.const(QQ, QQ(2)), ExpPoly.monomial(QQ, 2)
    >>> shifted_products(QQ, [(P, A), (P, ExpPoly.monomial(QQ, 1))], QQ(1)).to_sympy(t)
    2*t**2 - 2*t
    """
    by_term = {}
    for P, A in pairs:
        check_deadline()
        for key, c in P.terms.items():
            acc = by_term.setdefault(key, {})
            for akey, a in A.terms.items():
                _add_term(acc, akey, c * a)
    out = {}
    for (p, beta, r), acc in by_term.items():
        check_deadline()
        for (k, s, r2), c in ExpPoly(K, acc).shift(d).terms.items():
            _add_term(out, (k + p, s + beta, r2 + r), c)
    return ExpPoly(K, out)


def _multiply_into(out, terms1, terms2):
    """Add the product of two term dicts into ``out``, term by term."""
    for (k1, s1, r1), c1 in terms1.items():
        check_deadline()
        for (k2, s2, r2), c2 in terms2.items():
            key = (k1 + k2, s1 + s2, r1 + r2)
            v = out.get(key)
            v = c1 * c2 if v is None else v + c1 * c2
            if v:
                out[key] = v
            else:
                out.pop(key, None)


def _shift_into(out, K, items, d):
    """Add ``Σ c (t - d)ᵏ e^{s(t - d)} e^{r}`` over the ``((k, s, r), c)`` items into ``out``."""
    md = -d
    for (k, s, r), c in items:
        check_deadline()
        r2 = r + s * md if s else r
        p = K.one
        binom = 1  # C(k, j)
        # (t - d)^k = Σ_j C(k, j) t^j (-d)^(k-j); iterate j from k down.
        for j in range(k, -1, -1):
            _add_term(out, (j, s, r2), c * K.convert(binom) * p if binom > 1 else c * p)
            p = p * md
            binom = binom * j // (k - j + 1)


def _binomial_power(K, first, second, n):
    """``(a + b)ⁿ`` for two terms ``a``, ``b`` (``(key, coeff)`` items) as a term dict:
    ``Σ C(n, j) aʲ bⁿ⁻ʲ``, ``n + 1`` terms at the cost of ``O(n)`` products (repeated
    squaring would multiply ever longer sums)."""
    (k1, s1, r1), c1 = first
    (k2, s2, r2), c2 = second
    powers = [K.one]  # c2^0 .. c2^n
    for _ in range(n):
        powers.append(powers[-1] * c2)
    ns = K.convert(n)
    s, r = s2 * ns, r2 * ns  # the exponents of a^j b^(n-j), updated by additions
    ds, dr = s1 - s2, r1 - r2
    out = {}
    ca, binom = K.one, 1  # c1^j and C(n, j)
    for j in range(n + 1):
        if j % 64 == 0:
            check_deadline()
        _add_term(out, (j * k1 + (n - j) * k2, s, r), K.convert(binom) * ca * powers[n - j])
        ca, s, r = ca * c1, s + ds, r + dr
        binom = binom * (n - j) // (j + 1)
    return out


def _polynomials(terms):
    """``{(s, r): {k: c}}``: the polynomial in ``t`` multiplying each ``e^{st} e^{r}``."""
    out = {}
    for (k, s, r), c in terms.items():
        out.setdefault((s, r), {})[k] = c
    return out


def _to_flint(coeffs):
    import flint

    top = max(coeffs)
    dense = [0] * (top + 1)
    for k, c in coeffs.items():
        dense[k] = flint.fmpq(int(c.numerator), int(c.denominator))
    return flint.fmpq_poly(dense)


def _from_flint(poly):
    """``{k: c}`` (RQ coefficients, zeros dropped) of a flint rational polynomial."""
    den = int(poly.denom())
    return {k: RQ(int(c), den) for k, c in enumerate(poly.numer().coeffs()) if c}


def python_products(terms1, terms2):
    """How many term products ``ExpPoly(RQ, terms1) * ExpPoly(RQ, terms2)`` does in
    Python: pairs of long polynomial factors go to python-flint and count nothing.

    >>> from symconv.canonical.rational import RQ
    >>> long = {(k, RQ(0), RQ(0)): RQ(1) for k in range(40)}
    >>> short = {(0, RQ(-k), RQ(0)): RQ(1) for k in range(40)}
    >>> python_products(long, long), python_products(short, short)
    (0, 1600)
    """
    if len(terms1) * len(terms2) < FLINT_TERMS**2:
        return len(terms1) * len(terms2)
    sizes2 = sorted(len(p) for p in _polynomials(terms2).values())
    below = list(accumulate(sizes2, initial=0))  # below[i] = sum of the i smallest
    total = 0
    for n1 in map(len, _polynomials(terms1).values()):
        i = bisect_left(sizes2, -(-FLINT_TERMS**2 // n1))  # partners with n1 * n2 < T²
        total += n1 * below[i]
    return total


def _rational_product(terms1, terms2):
    """The product of two RQ term dicts: polynomial factors with the same exponents are
    multiplied by flint when both are long, term by term otherwise."""
    out = {}
    polys2 = _polynomials(terms2)
    for (s1, r1), p1 in _polynomials(terms1).items():
        for (s2, r2), p2 in polys2.items():
            check_deadline()
            s, r = s1 + s2, r1 + r2
            if len(p1) * len(p2) < FLINT_TERMS**2:
                for k1, c1 in p1.items():
                    for k2, c2 in p2.items():
                        _add_term(out, (k1 + k2, s, r), c1 * c2)
                continue
            for k, c in _from_flint(_to_flint(p1) * _to_flint(p2)).items():
                _add_term(out, (k, s, r), c)
    return out


def _rational_shift(terms, d):
    """The RQ term dict of ``f(t - d)``: a flint composition with ``t - d`` for each long
    polynomial factor (``e^{s(t-d)}`` moves ``-s d`` into the constant exponent)."""
    import flint

    lin = flint.fmpq_poly([flint.fmpq(-int(d.numerator), int(d.denominator)), 1])
    out = {}
    for (s, r), p in _polynomials(terms).items():
        if max(p) < FLINT_TERMS:
            _shift_into(out, RQ, (((k, s, r), c) for k, c in p.items()), d)
            continue
        check_deadline()
        r2 = r - s * d if s else r
        for k, c in _from_flint(_to_flint(p)(lin)).items():
            _add_term(out, (k, s, r2), c)
    return out


def _sort_key(K, key):
    k, s, r = key
    return (str(K.to_sympy(s)), k, str(K.to_sympy(r)))


def binomial_terms(K, m, c):
    """``(ℓ, c·C(m, ℓ)·(-1)^ℓ)``: the expansion ``c (t - τ)^m = Σ_ℓ coeff · t^{m-ℓ} τ^ℓ``.

    >>> from symconv.canonical.rational import RQ
    >>> [(ell, int(v)) for ell, v in binomial_terms(RQ, 2, RQ(1))]
    [(0, 1), (1, -2), (2, 1)]
    """
    for ell in range(m + 1):
        coeff = c * K.convert(comb(m, ell)) if m else c
        yield ell, (-coeff if ell % 2 else coeff)


def _add_term(out, key, c):
    v = out.get(key)
    if v is not None:
        c = v + c
    if c:
        out[key] = c
    else:
        out.pop(key, None)


def _accumulate(out, terms, sign):
    for key, c in terms.items():
        v = out.get(key)
        if v is None:
            if c:
                out[key] = c if sign > 0 else -c
            continue
        v = v + c if sign > 0 else v - c
        if v:
            out[key] = v
        else:
            del out[key]


def antiderivative(K, q, gamma, gamma_is_zero):
    """Antiderivative of ``τ^q e^{γ τ}`` as a list of ``(power, coeff)``.

    The antiderivative is ``e^{γτ} Σ coeff · τ^power`` (with ``γ = 0`` it is the
    polynomial ``τ^{q+1}/(q+1)``).

    ``gamma_is_zero`` is the caller's (assumption-aware) decision whether ``γ``
    vanishes; the closed form used is

    ``∫ τ^q e^{γτ} dτ = e^{γτ} Σ_{i=0}^{q} (-1)^i q!/(q-i)! τ^{q-i} / γ^{i+1}``.

    Examples
    --------
    >>> from sympy import QQ
    >>> antiderivative(QQ, 1, QQ(2), False)      # ∫ τ e^{2τ} = e^{2τ}(τ/2 - 1/4)
    [(1, 1/2), (0, -1/4)]
    >>> antiderivative(QQ, 2, QQ(0), True)
    [(3, 1/3)]
    """
    if gamma_is_zero:
        return [(q + 1, K.one / K.convert(q + 1))]
    out = []
    inv = K.one / gamma
    factor = inv  # (-1)^i q!/(q-i)! / γ^{i+1}
    for i in range(q + 1):
        out.append((q - i, factor))
        factor = -factor * K.convert(q - i) * inv
    return out
