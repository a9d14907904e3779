"""Exact arithmetic in a cyclotomic field ``Q(ζ_m)``, ``ζ_m = e^{2πi/m}``.

Periodic factors ``cos(πqn)``, ``sin(πqn)`` with rational ``q`` enter a sequence as the
bases ``e^{±iπq}``: roots of unity. With several frequencies SymPy's algebraic fields
build a primitive element such as ``√2 + √3 + i`` whose minimal polynomial has large
coefficients, and every product of field elements pays for it. Here all of them live in
one cyclotomic field ``Q(ζ_m)`` (``m`` a multiple of 4, so that ``i = ζ_m^{m/4}`` is in it),
an element is a python-flint ``fmpq_poly`` of degree ``< φ(m)`` reduced modulo the
cyclotomic polynomial ``Φ_m``, and coefficients stay as small as the numbers they stand for.

:class:`CyclotomicField` offers the part of SymPy's domain protocol the sequence engine uses
(``one``, ``zero``, ``convert``, ``from_sympy``, ``to_sympy``), plus the complex conjugate,
the squared modulus and the split ``x = a·ζ^j`` (rational ``a``) used for real output.

Examples
--------
>>> from sympy import I, Rational, cos, pi, sin, sqrt
>>> K = CyclotomicField(12)
>>> K
QQ<zeta12>
>>> z = K.root(2)                        # e^{iπ/3}
>>> K.to_sympy(z)
1/2 + sqrt(3)*I/2
>>> z**6 == K.one, z**3 == K.convert(-1)
(True, True)
>>> K.from_sympy(sqrt(3)) == K.from_sympy(2*sin(pi/3))
True
>>> K.to_sympy(K.one / (K.one - z))      # 1/(1 - e^{iπ/3}) = e^{iπ/3}
1/2 + sqrt(3)*I/2
>>> K.as_unit_multiple(K.from_sympy(-Rational(1, 2)*I))
(mpq(1,2), 9)
"""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from math import gcd

from flint import fmpq, fmpq_poly, fmpz_poly
from sympy import Add, Integer, Mul, Pow, Rational, cos, exp, factorint, pi, sin
from sympy import I as IMAG
from sympy.polys.polyerrors import CoercionFailed

from symconv.canonical.rational import RQ

__all__ = ["CyclotomicField", "CyclotomicElement", "cyclotomic_order"]

#: Largest ``φ(m)`` the field is built for (beyond it the caller keeps SymPy's domains).
MAX_DEGREE = 256


def _lcm(a, b):
    return a * b // gcd(a, b)


def _euler_phi(m):
    out = m
    for p in factorint(m):
        out = out // p * (p - 1)
    return out


class CyclotomicElement:
    """An element ``Σ c_k ζᵏ`` of :class:`CyclotomicField`: immutable, reduced mod ``Φ_m``."""

    __slots__ = ("K", "p", "_h")

    def __init__(self, K, p):
        self.K = K
        self.p = p
        self._h = None

    # -- coercion of the other operand ----------------------------------------
    def _other(self, x):
        if isinstance(x, CyclotomicElement):
            if x.K is not self.K and x.K != self.K:
                raise TypeError(f"elements of {self.K} and {x.K} do not mix")
            return x.p
        if isinstance(x, int) or isinstance(x, RQ.dtype) or isinstance(x, Fraction):
            return fmpq_poly([fmpq(int(x.numerator), int(x.denominator))])
        return None

    def _new(self, p):
        return CyclotomicElement(self.K, p)

    # -- arithmetic ----------------------------------------------------------
    def __add__(self, other):
        q = self._other(other)
        return NotImplemented if q is None else self._new(self.p + q)

    __radd__ = __add__

    def __sub__(self, other):
        q = self._other(other)
        return NotImplemented if q is None else self._new(self.p - q)

    def __rsub__(self, other):
        q = self._other(other)
        return NotImplemented if q is None else self._new(q - self.p)

    def __neg__(self):
        return self._new(-self.p)

    def __pos__(self):
        return self

    def __mul__(self, other):
        q = self._other(other)
        if q is None:
            return NotImplemented
        return self._new(self.K._mul(self.p, q))

    __rmul__ = __mul__

    def __truediv__(self, other):
        q = self._other(other)
        if q is None:
            return NotImplemented
        return self._new(self.K._mul(self.p, self.K._inverse(q)))

    def __rtruediv__(self, other):
        q = self._other(other)
        if q is None:
            return NotImplemented
        return self._new(self.K._mul(q, self.K._inverse(self.p)))

    def __pow__(self, e):
        if not isinstance(e, int):
            return NotImplemented
        K = self.K
        p = self.p
        if e < 0:
            p, e = K._inverse(p), -e
        out = fmpq_poly([1])
        while e:
            if e & 1:
                out = K._mul(out, p)
            e >>= 1
            if e:
                p = K._mul(p, p)
        return self._new(out)

    # -- comparison ------------------------------------------------------------
    def __eq__(self, other):
        q = self._other(other)
        if q is None:
            return NotImplemented
        return self.p == q

    def __hash__(self):
        h = self._h
        if h is None:
            p = self.p
            if p.degree() <= 0:  # a rational: the hash of the equal int/mpq
                h = hash(RQ.dtype(int(p.numer()[0]), int(p.denom())))
            else:
                h = hash((tuple(int(c) for c in p.numer().coeffs()), int(p.denom())))
            self._h = h
        return h

    def __bool__(self):
        return not self.p.is_zero()

    def __repr__(self):
        return f"{self.K!r}({self.p.str()})"

    # -- parts -------------------------------------------------------------
    def is_rational(self):
        """``True`` when the element is a rational number."""
        return self.p.degree() <= 0

    def rational(self):
        """The rational value (an ``mpq``); ``ValueError`` if the element is not rational."""
        p = self.p
        if p.degree() > 0:
            raise ValueError(f"{self!r} is not rational")
        if p.is_zero():
            return RQ.zero
        return RQ.dtype(int(p.numer()[0]), int(p.denom()))


class CyclotomicField:
    """The field ``Q(ζ_m)`` for ``m`` divisible by 4 (so ``i`` belongs to it).

    Parameters
    ----------
    m : int
        The order of the root of unity ``ζ = e^{2πi/m}``; a multiple of 4 whose
        ``φ(m)`` is at most :data:`MAX_DEGREE`.

    Examples
    --------
    >>> K = CyclotomicField(8)
    >>> K.to_sympy(K.root(1) + K.root(7))     # ζ + ζ⁻¹ = 2 cos(π/4)
    sqrt(2)
    """

    def __init__(self, m):
        if not isinstance(m, int) or m <= 0 or m % 4:
            raise ValueError(f"the order m must be a positive multiple of 4, got {m!r}")
        self.m = m
        self.degree = _euler_phi(m)
        if self.degree > MAX_DEGREE:
            raise ValueError(f"φ({m}) = {self.degree} exceeds the limit {MAX_DEGREE}")
        self.modulus = fmpq_poly(fmpz_poly.cyclotomic(m).coeffs())
        self.zero = CyclotomicElement(self, fmpq_poly([]))
        self.one = CyclotomicElement(self, fmpq_poly([1]))
        self._roots = [None] * m  # ζ^j, built on demand
        self._units = {}  # element -> (a, j) or None

    def __repr__(self):
        return f"QQ<zeta{self.m}>"

    def __eq__(self, other):
        return isinstance(other, CyclotomicField) and other.m == self.m

    def __hash__(self):
        return hash(("CyclotomicField", self.m))

    # -- the reduced polynomial arithmetic ------------------------------------
    def _mul(self, p, q):
        if p.degree() <= 0 or q.degree() <= 0:
            return p * q  # a rational factor: nothing to reduce
        r = p * q
        return r % self.modulus if r.degree() >= self.degree else r

    def _inverse(self, p):
        if p.is_zero():
            raise ZeroDivisionError("division by zero in a cyclotomic field")
        if p.degree() == 0:
            return fmpq_poly([1 / p[0]])
        g, s, _t = p.xgcd(self.modulus)
        return s / g[0] if g != 1 else s

    # -- the domain protocol -----------------------------------------------
    dtype = CyclotomicElement

    def convert(self, x):
        """An ``int``, rational (``mpq``, ``Fraction``, ``fmpq``) or element of this field."""
        if isinstance(x, CyclotomicElement):
            if x.K != self:
                raise CoercionFailed(f"{x!r} is not an element of {self}")
            return x
        if isinstance(x, int):
            return CyclotomicElement(self, fmpq_poly([x]))
        if isinstance(x, (RQ.dtype, Fraction, fmpq)):
            return CyclotomicElement(self, fmpq_poly([fmpq(int(x.numerator),
                                                             int(x.denominator))]))
        raise CoercionFailed(f"cannot convert {x!r} to {self}")

    def root(self, j):
        """``ζ^j`` for any integer ``j``."""
        j %= self.m
        z = self._roots[j]
        if z is None:
            if j < self.degree:
                p = fmpq_poly([0] * j + [1])
            else:
                p = fmpq_poly([0] * j + [1]) % self.modulus
            z = self._roots[j] = CyclotomicElement(self, p)
        return z

    def from_sympy(self, e):
        """The element equal to the SymPy constant ``e``.

        Accepted: rationals, ``I``, ``exp(iπr)``, ``cos(πr)``, ``sin(πr)`` (``r`` rational
        with ``ζ_m`` holding them), square roots of rationals the field holds, and sums,
        products and integer powers of these. Anything else raises ``CoercionFailed``.
        """
        return CyclotomicElement(self, self._sympy_poly(e))

    def _sympy_poly(self, e):
        if e.is_Rational:
            return fmpq_poly([fmpq(int(e.p), int(e.q))])
        if e is IMAG:
            return self.root(self.m // 4).p
        if isinstance(e, Add):
            out = fmpq_poly([])
            for a in e.args:
                out += self._sympy_poly(a)
            return out
        if isinstance(e, Mul):
            out = fmpq_poly([1])
            for a in e.args:
                out = self._mul(out, self._sympy_poly(a))
            return out
        if isinstance(e, Pow) and e.exp.is_Integer:
            x = CyclotomicElement(self, self._sympy_poly(e.base))
            return (x ** int(e.exp)).p
        if isinstance(e, Pow) and e.exp == Rational(1, 2) and e.base.is_Rational \
                and e.base > 0:
            return self._sqrt(e.base)
        if isinstance(e, exp):
            r = (e.args[0] / (IMAG * pi))
            if r.is_Rational:
                return self._angle(r, e).p
        if isinstance(e, (cos, sin)):
            r = e.args[0] / pi
            if r.is_Rational:
                z = self._angle(r, e)
                zi = self.root(-self._index(r, e))
                if isinstance(e, cos):
                    return ((z + zi) / 2).p
                return ((z - zi) / (2 * self.root(self.m // 4))).p
        raise CoercionFailed(f"cannot represent {e} in {self}")

    def _index(self, r, e):
        """The ``j`` with ``e^{iπr} = ζ^j``."""
        j = Rational(r) * self.m / 2
        if not j.is_Integer:
            raise CoercionFailed(f"{e} needs a root of unity of order {2 * Rational(r).q}, "
                                 f"not in {self}")
        return int(j)

    def _angle(self, r, e):
        return self.root(self._index(r, e))

    def unit(self, r):
        """``e^{iπr}`` for a rational ``r`` (SymPy ``Rational``, ``int`` or ``Fraction``);
        ``CoercionFailed`` when ``ζ_m`` does not generate it."""
        return self._angle(r, f"exp(I*pi*{r})")

    def _sqrt(self, x):
        """``√x`` for a positive rational ``x``, by Gauss sums (``CoercionFailed`` when the
        field does not hold it)."""
        num, den = int(x.p), int(x.q)
        out = fmpq_poly([fmpq(1, den)])
        radicand = num * den  # √(p/q) = √(pq)/q
        for prime, mult in factorint(radicand).items():
            if mult // 2:
                out = out * (prime ** (mult // 2))
            if mult % 2:
                out = self._mul(out, self._sqrt_prime(prime))
        return out

    def _sqrt_prime(self, p):
        m = self.m
        if p == 2:
            if m % 8:
                raise CoercionFailed(f"√2 is not in {self}")
            return (self.root(m // 8) + self.root(-m // 8)).p
        if m % p:
            raise CoercionFailed(f"√{p} is not in {self}")
        step = m // p
        g = fmpq_poly([])
        for a in range(1, p):
            legendre = pow(a, (p - 1) // 2, p)
            g += self.root(a * step).p * (1 if legendre == 1 else -1)
        if p % 4 == 1:  # the Gauss sum is +√p
            return g % self.modulus if g.degree() >= self.degree else g
        # the Gauss sum is i√p: √p = -i g
        return self._mul(self.root(3 * m // 4).p, g % self.modulus)

    def to_sympy(self, x):
        """The SymPy number: a ``Rational``, else ``Σ c_k (cos(2πk/m) + i sin(2πk/m))``
        with SymPy's exact values of the cosines and sines."""
        p = x.p
        if p.degree() <= 0:
            return self._coeff(p, 0)
        re, im = self.real_imag_sympy(x)
        return re + IMAG * im

    def _coeff(self, p, k):
        c = p[k]
        return Rational(int(c.p), int(c.q))

    def real_imag_sympy(self, x):
        """``(Re x, Im x)`` as real SymPy numbers: ``Σ c_k cos(2πk/m)`` and
        ``Σ c_k sin(2πk/m)`` with SymPy's exact values, the rational multiples of each
        radical summed before one ``Add`` is built."""
        p = x.p
        return radical_parts(((k, p[k]) for k in range(p.degree() + 1)), self.m)

    def _trig(self, k):
        """``cos(2πk/m)`` and ``sin(2πk/m)`` as ``((radical, rational), ...)``."""
        return _trig_parts(k % self.m, self.m)

    # -- conjugation, modulus, units --------------------------------------
    def conjugate(self, x):
        """The complex conjugate (``ζ ↦ ζ⁻¹``)."""
        p = x.p
        if p.degree() <= 0:
            return x
        out = fmpq_poly([])
        for k in range(p.degree() + 1):
            c = p[k]
            if c:
                out += self.root(-k).p * c
        return CyclotomicElement(self, out)

    def abs2(self, x):
        """``|x|²`` as an element (rational when ``x`` is a rational times a root of unity)."""
        return x * self.conjugate(x)

    def as_unit_multiple(self, x):
        """``(a, j)`` with ``x = a ζ^j``, ``a > 0`` rational (``mpq``) and ``0 ≤ j < m``;
        ``None`` when ``x`` is not of that form (or is zero)."""
        hit = self._units.get(x, False)
        if hit is not False:
            return hit
        out = None
        if x:
            p = x.p
            nonzero = [k for k in range(p.degree() + 1) if p[k]]
            candidates = nonzero if len(nonzero) == 1 else range(self.m)
            for j in candidates:
                y = x * self.root(-j)
                if y.is_rational():
                    a = y.rational()
                    out = (a, j) if a > 0 else (-a, (j + self.m // 2) % self.m)
                    break
        self._units[x] = out
        return out


def cyclotomic_order(angles, need_i=True):
    """The ``m`` of the smallest field ``Q(ζ_m)`` (``4 | m`` when ``need_i``) holding
    ``e^{iπr}`` for the rationals ``r`` in ``angles``.

    >>> from sympy import Rational
    >>> cyclotomic_order([Rational(1, 3), Rational(3, 4)])
    24
    """
    m = 4 if need_i else 2
    for r in angles:
        m = _lcm(m, 2 * int(Integer(Rational(r).q)))
    return m


def radical_parts(coefficients, m):
    """``(Re, Im)`` of ``Σ c_k e^{2πik/m}`` for rational ``(k, c_k)`` pairs (python-flint or
    Python rationals) as SymPy: ``Σ c_k cos(2πk/m)`` and ``Σ c_k sin(2πk/m)`` with SymPy's exact
    values, the rational multiples of each radical summed before one ``Add`` is built.

    >>> radical_parts([(0, 1), (1, 2)], 12)
    (1 + sqrt(3), 1)
    """
    re, im = {}, {}
    for k, c in coefficients:
        if not c:
            continue
        c = RQ.dtype(int(c.numerator), int(c.denominator))
        cos_k, sin_k = _trig_parts(k % m, m)
        for out, parts in ((re, cos_k), (im, sin_k)):
            for atom, v in parts:
                out[atom] = out.get(atom, RQ.zero) + c * v
    return tuple(Add(*[RQ.to_sympy(v) * atom for atom, v in out.items() if v])
                 for out in (re, im))


@lru_cache(maxsize=4096)
def _trig_parts(k, m):
    """``cos(2πk/m)`` and ``sin(2πk/m)`` (SymPy's exact values) as
    ``((radical, rational), ...)``; a pure function of ``(k, m)``, so it is cached across
    calls (SymPy's own cache may be cleared between them)."""
    angle = Rational(2 * k, m) * pi
    return tuple(tuple((atom, RQ.from_sympy(c)) for c, atom in
                       (t.as_coeff_Mul() for t in Add.make_args(f(angle))) if c)
                 for f in (cos, sin))
