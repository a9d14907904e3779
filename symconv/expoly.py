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

from math import comb

from sympy import Add, Mul, exp

__all__ = ["ExpPoly", "antiderivative"]


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
        out = {}
        for (k1, s1, r1), c1 in self.terms.items():
            for (k2, s2, r2), c2 in other.terms.items():
                key = (k1 + k2, s1 + s2, r1 + r2)
                v = out.get(key)
                v = c1 * c2 if v is None else v + c1 * c2
                if v:
                    out[key] = v
                else:
                    out.pop(key, None)
        return ExpPoly(self.K, out)

    def __pow__(self, n):
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
        out = {}
        md = -d
        for (k, s, r), c in self.terms.items():
            r2 = r + s * md if s else r
            p = K.one
            # (t - d)^k = Σ_j C(k, j) t^j (-d)^(k-j); iterate j from k down.
            for j in range(k, -1, -1):
                coeff = c * K.convert(comb(k, j)) * p
                _add_term(out, (j, s, r2), coeff)
                p = p * md
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

        See :func:`symconv.convert.to_sympy` for the real (sin/cos) form.
        """
        K = self.K
        terms = []
        for (k, s, r), c in sorted(self.terms.items(), key=lambda kv: _sort_key(K, kv[0])):
            terms.append(
                Mul(K.to_sympy(c), t**k, exp(K.to_sympy(s) * t), exp(K.to_sympy(r)))
            )
        return Add(*terms)


def _sort_key(K, key):
    k, s, r = key
    return (str(K.to_sympy(s)), k, str(K.to_sympy(r)))


def binomial_terms(K, m, c):
    """``(ℓ, c·C(m, ℓ)·(-1)^ℓ)``: the expansion ``c (t - τ)^m = Σ_ℓ coeff · t^{m-ℓ} τ^ℓ``.

    >>> from symconv.rational import RQ
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
