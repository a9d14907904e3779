"""The fast exact rational field used for rational data and for breakpoints.

SymPy's ``QQ`` is exact but, with python-flint ground types, hashing its
elements costs microseconds, and the engine hashes exponents constantly (they
are dictionary keys). ``RQ`` offers the small part of SymPy's domain interface
the engine uses, on gmpy2's ``mpq`` (C speed, cheap hashes), falling back to
:class:`fractions.Fraction` when gmpy2 is absent.

Examples
--------
>>> x = RQ.from_sympy(Rational(1, 3))
>>> RQ.to_sympy(x * 3 + RQ.one)
2
>>> RQ.convert(2) / 4 == RQ(1, 2)
True
"""

from __future__ import annotations

from fractions import Fraction
from math import gcd

from sympy import Rational

try:  # pragma: no cover - exercised by whichever backend is installed
    from gmpy2 import mpq as _mpq
except ImportError:  # pragma: no cover
    _mpq = Fraction

__all__ = ["RQ", "RQI", "GaussianRationalField", "RationalField", "content",
           "coprime_rational", "sympy_rational"]

_COPRIME = getattr(Rational, "from_coprime_ints", None)  # SymPy >= 1.13


def coprime_rational(p, q):
    """The SymPy ``Rational`` ``p/q`` of coprime ``int``s with ``q > 0``, without SymPy's
    cached ``gcd`` path (``Rational.from_coprime_ints`` where SymPy has it).

    >>> coprime_rational(-3, 2), coprime_rational(1, 2) is Rational(1, 2)
    (-3/2, True)
    """
    if _COPRIME is None or q <= 0:  # pragma: no cover - older SymPy
        return Rational(p, q)
    return _COPRIME(p, q)


def sympy_rational(x):
    """The SymPy ``Rational`` of a reduced fraction ``x`` (``mpq``, ``Fraction``, QQ).

    >>> sympy_rational(Fraction(-6, 4)), sympy_rational(Fraction(1, 2)) is Rational(1, 2)
    (-3/2, True)
    """
    return coprime_rational(int(x.numerator), int(x.denominator))


def content(values):
    """The positive rational gcd of nonzero rationals (``mpq``, ``Fraction``): every value
    divided by it is an integer, with no common factor left.

    >>> content([RQ(2, 3), RQ(-4, 9)]), content([RQ(6), RQ(10)])
    (mpq(2,9), mpq(2,1))
    """
    num, den = 0, 1
    for q in values:
        num = gcd(num, int(q.numerator))
        den = den * int(q.denominator) // gcd(den, int(q.denominator))
    return _mpq(num, den)


class RationalField:
    """The field of rationals on a fast C type (a singleton: use :data:`RQ`)."""

    dtype = _mpq

    def __init__(self):
        self.zero = _mpq(0)
        self.one = _mpq(1)

    def __call__(self, p, q=1):
        return _mpq(p, q)

    def __repr__(self):
        return "QQ"

    def convert(self, x):
        """An ``int``, ``Fraction`` or rational of this type as an element."""
        return _mpq(x)

    def to_sympy(self, x):
        """The SymPy ``Rational``."""
        return sympy_rational(x)

    def from_sympy(self, e):
        """A SymPy rational as an element; ``ValueError`` for anything else."""
        if not getattr(e, "is_Rational", False):
            raise ValueError(f"{e} is not rational")
        return _mpq(int(e.p), int(e.q))

    def is_zero(self, x):
        return not x


RQ = RationalField()


_ZERO = _mpq(0)


class GQ:
    """A Gaussian rational ``x + i y`` on two gmpy2 ``mpq`` (an element of :data:`RQI`).

    SymPy's ``QQ_I`` elements sit on python-flint ``fmpq``, whose hash goes through
    ``fractions.Fraction`` (microseconds); the engine hashes exponents constantly, so its
    Gaussian rationals are pairs of ``mpq`` with a cached hash. The attributes ``x``, ``y``
    are those of SymPy's elements.

    >>> z = GQ(RQ(1, 2), RQ(-1))
    >>> z * z.conjugate(), z / z, -z
    ((5/4 + 0*I), (1 + 0*I), (-1/2 + 1*I))
    """

    __slots__ = ("x", "y", "_hash")

    def __init__(self, x, y=_ZERO):
        self.x = x
        self.y = y
        self._hash = None

    def __hash__(self):
        h = self._hash
        if h is None:
            h = self._hash = hash((self.x, self.y))
        return h

    def __eq__(self, other):
        if type(other) is GQ:
            return self.x == other.x and self.y == other.y
        return NotImplemented  # as SymPy's elements: never equal to a bare number

    def __bool__(self):
        return bool(self.x) or bool(self.y)

    def __repr__(self):
        return f"({self.x} + {self.y}*I)"

    __str__ = __repr__

    def __neg__(self):
        return GQ(-self.x, -self.y)

    def __pos__(self):
        return self

    def conjugate(self):
        return GQ(self.x, -self.y)

    def __add__(self, other):
        if type(other) is GQ:
            return GQ(self.x + other.x, self.y + other.y)
        if isinstance(other, (int, _mpq)):
            return GQ(self.x + other, self.y)
        return NotImplemented

    __radd__ = __add__

    def __sub__(self, other):
        if type(other) is GQ:
            return GQ(self.x - other.x, self.y - other.y)
        if isinstance(other, (int, _mpq)):
            return GQ(self.x - other, self.y)
        return NotImplemented

    def __rsub__(self, other):
        return (-self).__add__(other)

    def __mul__(self, other):
        if type(other) is GQ:
            a, b, c, d = self.x, self.y, other.x, other.y
            if not b:
                return GQ(a * c, a * d)
            if not d:
                return GQ(a * c, b * c)
            return GQ(a * c - b * d, a * d + b * c)
        if isinstance(other, (int, _mpq)):
            return GQ(self.x * other, self.y * other)
        return NotImplemented

    __rmul__ = __mul__

    def __truediv__(self, other):
        if isinstance(other, (int, _mpq)):
            other = GQ(_mpq(other))
        elif not isinstance(other, GQ):
            return NotImplemented
        c, d = other.x, other.y
        if not d:
            return GQ(self.x / c, self.y / c)
        n = c * c + d * d
        a, b = self.x, self.y
        return GQ((a * c + b * d) / n, (b * c - a * d) / n)

    def __rtruediv__(self, other):
        if isinstance(other, (int, _mpq)):
            return GQ(_mpq(other)) / self
        return NotImplemented

    def __pow__(self, n):
        if not isinstance(n, int):
            return NotImplemented
        if n < 0:
            return (GQ(_mpq(1)) / self) ** -n
        out, base = GQ(_mpq(1)), self
        while n:
            if n & 1:
                out = out * base
            base = base * base
            n >>= 1
        return out


class GaussianRationalField:
    """The Gaussian rationals ``ℚ(i)`` on :class:`GQ` (a singleton: use :data:`RQI`).

    It offers the part of SymPy's domain interface the engine uses and prints as SymPy's
    ``QQ_I``; :func:`symconv.convert.signals.domain_for` takes it where SymPy would take
    ``QQ_I``.

    >>> from sympy import I, Rational
    >>> z = RQI.from_sympy(Rational(1, 2) - 3*I)
    >>> RQI.to_sympy(z * RQI.convert(2))
    1 - 6*I
    """

    dtype = GQ

    def __init__(self):
        self.zero = GQ(_mpq(0))
        self.one = GQ(_mpq(1))

    def __call__(self, x, y=0):
        return GQ(_mpq(x), _mpq(y))

    def __repr__(self):
        return "QQ_I"

    def __reduce__(self):
        return "RQI"

    def convert(self, x):
        """An ``int``, a rational, a :class:`GQ` or a SymPy number as an element."""
        if isinstance(x, GQ):
            return x
        if isinstance(x, (int, _mpq, Fraction)):
            return GQ(_mpq(x))
        if hasattr(x, "x") and hasattr(x, "y"):  # SymPy's QQ_I element
            return GQ(_mpq(int(x.x.numerator), int(x.x.denominator)),
                      _mpq(int(x.y.numerator), int(x.y.denominator)))
        if hasattr(x, "numerator"):  # python-flint fmpq, SymPy's PythonMPQ
            return GQ(_mpq(int(x.numerator), int(x.denominator)))
        return self.from_sympy(x)

    def to_sympy(self, z):
        """The SymPy number ``x + I*y``."""
        from sympy import I

        x = sympy_rational(z.x)
        if not z.y:
            return x
        return x + I * sympy_rational(z.y)

    def from_sympy(self, e):
        """A SymPy Gaussian rational as an element; ``CoercionFailed`` otherwise."""
        from sympy import I
        from sympy.core.sympify import SympifyError, _sympify
        from sympy.polys.polyerrors import CoercionFailed

        if isinstance(e, str):  # text is read only by symconv's parser
            raise CoercionFailed(f"{e!r} is text, not a Gaussian rational")
        try:
            e = _sympify(e)  # strict: numbers and SymPy objects
        except SympifyError:
            raise CoercionFailed(f"{e!r} is not a Gaussian rational") from None
        if getattr(e, "is_Rational", False):
            return GQ(_mpq(int(e.p), int(e.q)))
        r, b = e.as_coeff_Add()
        if b.is_Add:
            raise CoercionFailed(f"{e} is not a Gaussian rational")
        y, rest = b.as_coeff_Mul()
        if rest is not I or not (r.is_Rational and y.is_Rational):
            raise CoercionFailed(f"{e} is not a Gaussian rational")
        return GQ(_mpq(int(r.p), int(r.q)), _mpq(int(y.p), int(y.q)))

    def is_zero(self, z):
        return not z


RQI = GaussianRationalField()


def embed(K, x):
    """The rational ``x`` (an element of :data:`RQ`) as an element of the domain ``K``.

    >>> from sympy import QQ_I
    >>> embed(QQ_I, RQ(1, 2)) == QQ_I.from_sympy(Rational(1, 2))
    True
    """
    if K is RQ:
        return x
    if K is RQI and isinstance(x, _mpq):
        return GQ(x)
    if not isinstance(x, _mpq):  # a symbolic breakpoint (symconv.canonical.order.Point)
        return K.from_sympy(x.to_sympy())
    return K.from_sympy(RQ.to_sympy(x))
