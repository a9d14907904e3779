"""Geometric polynomials: the discrete twin of :mod:`symconv.canonical.expoly`.

A :class:`GeoPoly` is a finite sum ``Σ c · nᵏ · Bⁿ`` held as a mapping
``(k, B) -> c`` with the base ``B`` and the coefficient ``c`` in one exact
domain ``K``. Shifts stay inside ``K`` (``B^{n-d} = B^{-d} Bⁿ``), so distinct keys
are distinct functions of ``n`` and cancellation is exact. ``cos(ωn)`` enters
as the conjugate bases ``e^{±iω}`` and leaves as real ``cos``/``sin``.

Examples
--------
>>> from symconv.canonical.rational import RQ
>>> from sympy import symbols
>>> n = symbols("n", integer=True)
>>> f = GeoPoly.term(RQ, RQ(3), k=1, base=RQ(1, 2))     # 3 n (1/2)^n
>>> f.to_sympy(n)
3*n/2**n
>>> f.shift(1).to_sympy(n)                          # 3 (n-1) (1/2)^(n-1)
6*n/2**n - 6/2**n
"""

from __future__ import annotations

from math import comb

from sympy import Add, Mul, Pow, bernoulli, symbols

from symconv.canonical.sizes import MAX_POWER_EXPONENT, check_power

__all__ = ["GeoPoly", "antidifference"]


class GeoPoly:
    """``Σ c nᵏ Bⁿ`` over an exact domain; immutable, zero coefficients never stored."""

    __slots__ = ("K", "terms", "_hash")

    def __init__(self, K, terms):
        self.K = K
        self.terms = terms
        self._hash = None

    @classmethod
    def zero(cls, K):
        """The zero sequence."""
        return cls(K, {})

    @classmethod
    def const(cls, K, c):
        """The constant ``c``."""
        return cls(K, {(0, K.one): c} if c else {})

    @classmethod
    def monomial(cls, K, k):
        """``nᵏ``."""
        return cls(K, {(k, K.one): K.one})

    @classmethod
    def term(cls, K, c, k=0, base=None):
        """``c nᵏ Bⁿ``."""
        if not c:
            return cls(K, {})
        return cls(K, {(k, K.one if base is None else base): c})

    @property
    def is_zero(self):
        """``True`` for the zero sequence."""
        return not self.terms

    def degree(self):
        """Largest power of ``n`` (``-1`` for zero)."""
        return max((k for (k, _b) in self.terms), default=-1)

    def __eq__(self, other):
        if not isinstance(other, GeoPoly):
            return NotImplemented
        return self.terms == other.terms

    def __hash__(self):
        if self._hash is None:
            self._hash = hash(frozenset(self.terms.items()))
        return self._hash

    def __bool__(self):
        return bool(self.terms)

    def __repr__(self):
        return f"GeoPoly({self.terms!r})"

    def __add__(self, other):
        out = dict(self.terms)
        _acc(out, other.terms, False)
        return GeoPoly(self.K, out)

    def __sub__(self, other):
        out = dict(self.terms)
        _acc(out, other.terms, True)
        return GeoPoly(self.K, out)

    def __neg__(self):
        return GeoPoly(self.K, {key: -c for key, c in self.terms.items()})

    def scale(self, c):
        """Multiply by a constant of ``K``."""
        if not c:
            return GeoPoly(self.K, {})
        return GeoPoly(self.K, {key: c * v for key, v in self.terms.items()})

    def __mul__(self, other):
        out = {}
        for (k1, b1), c1 in self.terms.items():
            for (k2, b2), c2 in other.terms.items():
                _add(out, (k1 + k2, b1 * b2), c1 * c2)
        return GeoPoly(self.K, out)

    def shift(self, d):
        """``n ↦ f(n - d)`` for a Python ``int`` ``d``."""
        if not d:
            return self
        K = self.K
        out = {}
        md = K.convert(-d)
        for (k, b), c in self.terms.items():
            c = c * _ipow(K, b, -d)
            p = K.one
            for j in range(k, -1, -1):
                _add(out, (j, b), c * K.convert(comb(k, j)) * p)
                p = p * md
        return GeoPoly(K, out)

    def shift_by(self, dk, inverse_power):
        """``n ↦ f(n - d)`` for a symbolic integer ``d``: ``dk`` is ``d`` in ``K`` and
        ``inverse_power(B)`` gives ``B^{-d}`` in ``K``."""
        K = self.K
        out = {}
        md = -dk
        for (k, b), c in self.terms.items():
            c = c * inverse_power(b)
            p = K.one
            for j in range(k, -1, -1):
                _add(out, (j, b), c * K.convert(comb(k, j)) * p)
                p = p * md
        return GeoPoly(K, out)

    def reflect(self):
        """``n ↦ f(-n)``."""
        K = self.K
        return GeoPoly(
            K,
            {(k, K.one / b): (-c if k % 2 else c) for (k, b), c in self.terms.items()},
        )

    def at(self, x):
        """The value at the integer ``n = x`` (a Python ``int``), an element of ``K``."""
        K = self.K
        xk = K.convert(x)
        total = K.zero
        for (k, b), c in self.terms.items():
            total += c * (xk**k if k else K.one) * _ipow(K, b, x)
        return total

    def to_sympy(self, n):
        """The SymPy expression, complex bases kept as they are."""
        K = self.K
        return Add(*[
            Mul(K.to_sympy(c), n**k, Pow(K.to_sympy(b), n))
            for (k, b), c in sorted(self.terms.items(), key=lambda kv: (kv[0][0], str(kv[0][1])))
        ])


def _ipow(K, b, e):
    """``b**e`` in ``K`` for a Python ``int`` ``e`` (negative powers invert)."""
    if b == K.one or e == 0:
        return K.one
    if abs(e) > MAX_POWER_EXPONENT:
        check_power(K.to_sympy(b), e)
    return b**e if e > 0 else (K.one / b) ** (-e)


from symconv.canonical.expoly import _add_term as _add  # noqa: E402 - one shared helper


def _acc(out, terms, negate):
    for key, c in terms.items():
        _add(out, key, -c if negate else c)


def antidifference(K, q, r, r_is_one):
    """``A`` with ``A(k+1) r^{k+1} - A(k) r^k = k^q r^k``, as ``[(power, coeff)]``.

    Then ``Σ_{k=L}^{U-1} k^q r^k = A(U) r^U - A(L) r^L``. For ``r = 1`` it is the
    Bernoulli polynomial ``B_{q+1}(k)/(q+1)`` (Faulhaber); otherwise the
    polynomial of degree ``q`` solving ``r A(k+1) - A(k) = k^q`` from the top
    coefficient down: ``α_q = 1/(r-1)``,
    ``α_m = (δ_{mq} - r Σ_{j>m} α_j C(j, m)) / (r - 1)``.

    Examples
    --------
    >>> from symconv.canonical.rational import RQ
    >>> antidifference(RQ, 1, RQ(1), True)         # Σ k = k(k-1)/2
    [(2, mpq(1,2)), (1, mpq(-1,2))]
    >>> antidifference(RQ, 0, RQ(2), False)        # Σ 2^k = 2^k
    [(0, mpq(1,1))]
    """
    if r_is_one:
        x = symbols("x")
        poly = (bernoulli(q + 1, x) / (q + 1)).expand()
        coeffs = []
        for j in range(q + 1, 0, -1):  # the constant term cancels in A(U) - A(L)
            c = poly.coeff(x, j)
            if c != 0:
                coeffs.append((j, K.from_sympy(c)))
        return coeffs
    inv = K.one / (r - K.one)
    alpha = [K.zero] * (q + 1)
    for m in range(q, -1, -1):
        acc = K.one if m == q else K.zero
        for j in range(m + 1, q + 1):
            if alpha[j]:
                acc -= r * alpha[j] * K.convert(comb(j, m))
        alpha[m] = acc * inv
    return [(m, alpha[m]) for m in range(q, -1, -1) if alpha[m]]
