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

from sympy import Rational

try:  # pragma: no cover - exercised by whichever backend is installed
    from gmpy2 import mpq as _mpq
except ImportError:  # pragma: no cover
    _mpq = Fraction

__all__ = ["RQ", "RationalField"]


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
        return Rational(int(x.numerator), int(x.denominator))

    def from_sympy(self, e):
        """A SymPy rational as an element; ``ValueError`` for anything else."""
        if not getattr(e, "is_Rational", False):
            raise ValueError(f"{e} is not rational")
        return _mpq(int(e.p), int(e.q))

    def is_zero(self, x):
        return not x


RQ = RationalField()


def embed(K, x):
    """The rational ``x`` (an element of :data:`RQ`) as an element of the domain ``K``.

    >>> from sympy import QQ_I
    >>> embed(QQ_I, RQ(1, 2)) == QQ_I.from_sympy(Rational(1, 2))
    True
    """
    if K is RQ:
        return x
    if not isinstance(x, _mpq):  # a symbolic breakpoint (symconv.canonical.order.Point)
        return K.from_sympy(x.to_sympy())
    return K.from_sympy(RQ.to_sympy(x))
