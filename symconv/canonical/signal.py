"""The canonical form of a continuous-time signal: pieces and impulses.

A :class:`Signal` is a sorted tuple of :class:`Piece` objects on disjoint
half-open intervals ``[lo, hi)`` with exact rational endpoints or ``±∞``
(:data:`NEG_INF`, :data:`POS_INF`), each carrying a non-zero
:class:`~symconv.canonical.expoly.ExpPoly`, plus :class:`Impulse` terms
``w · δ⁽ᵐ⁾(t - at)``. Outside its pieces a signal is zero. Neighbouring pieces
with equal expressions are merged, so equal signals have equal data.

Examples
--------
>>> from sympy import QQ, symbols
>>> from sympy import S

from symconv.canonical.expoly import ExpPoly
from symconv.canonical.rational import RQ
>>> one = ExpPoly.const(QQ, QQ(1))
>>> box = Signal.from_pieces(QQ, [Piece(QQ(0), QQ(1), one), Piece(QQ(1), QQ(2), one)])
>>> box.pieces == (Piece(QQ(0), QQ(2), one),)
True
>>> box.breakpoints()
(0, 2)
"""

from __future__ import annotations

from dataclasses import dataclass

from sympy import S

from symconv.canonical.expoly import ExpPoly
from symconv.canonical.rational import RQ

__all__ = ["Inf", "NEG_INF", "POS_INF", "Piece", "Impulse", "Signal", "to_sympy_point"]


class Inf:
    """``+∞`` or ``-∞``: compares with exact rationals and absorbs additions."""

    __slots__ = ("sign",)

    def __init__(self, sign):
        self.sign = sign

    def __lt__(self, other):
        return self.sign < 0 and not (isinstance(other, Inf) and other.sign < 0)

    def __gt__(self, other):
        return self.sign > 0 and not (isinstance(other, Inf) and other.sign > 0)

    def __le__(self, other):
        return self.sign < 0 or (isinstance(other, Inf) and other.sign > 0)

    def __ge__(self, other):
        return self.sign > 0 or (isinstance(other, Inf) and other.sign < 0)

    def __eq__(self, other):
        return isinstance(other, Inf) and other.sign == self.sign

    def __hash__(self):
        return hash(("Inf", self.sign))

    def __add__(self, other):
        if isinstance(other, Inf) and other.sign != self.sign:
            raise ArithmeticError("∞ - ∞ is undefined")
        return self

    __radd__ = __add__

    def __neg__(self):
        return POS_INF if self.sign < 0 else NEG_INF

    def __sub__(self, other):
        return self + (-other)

    def __rsub__(self, other):
        return -self

    def __repr__(self):
        return "POS_INF" if self.sign > 0 else "NEG_INF"


NEG_INF = Inf(-1)
POS_INF = Inf(1)


def to_sympy_point(x):
    """An endpoint as a SymPy number: ``Rational``, ``oo`` or ``-oo``."""
    if isinstance(x, Inf):
        return S.Infinity if x.sign > 0 else S.NegativeInfinity
    if not isinstance(x, RQ.dtype):  # a symbolic breakpoint (symconv.canonical.order.Point)
        return x.to_sympy()
    return RQ.to_sympy(x)


def is_finite(x):
    """``True`` for a finite endpoint."""
    return not isinstance(x, Inf)


@dataclass(frozen=True, slots=True)
class Piece:
    """``expr(t)`` on the half-open interval ``[lo, hi)``."""

    lo: object
    hi: object
    expr: ExpPoly


@dataclass(frozen=True, slots=True)
class Impulse:
    """``weight · δ⁽ᵒʳᵈᵉʳ⁾(t - at)``; ``weight`` is a constant :class:`ExpPoly`."""

    at: object
    order: int
    weight: ExpPoly


@dataclass(frozen=True, slots=True)
class Signal:
    """A canonical piecewise exponential-polynomial signal with impulses.

    Build it with :meth:`from_pieces` (which sorts, checks and merges) or with
    :func:`symconv.convert.signals.to_signal` from a SymPy expression.
    """

    K: object
    pieces: tuple = ()
    impulses: tuple = ()

    @classmethod
    def from_pieces(cls, K, pieces, impulses=()):
        """Sort, drop zero pieces, merge equal neighbours and collect impulses.

        Raises ``ValueError`` if pieces overlap (internal misuse).
        """
        ps = sorted((p for p in pieces if not p.expr.is_zero and p.lo < p.hi),
                    key=lambda p: p.lo)
        merged = []
        for p in ps:
            if merged:
                last = merged[-1]
                if p.lo < last.hi:
                    raise ValueError(f"overlapping pieces {last} and {p}")
                if p.lo == last.hi and p.expr == last.expr:
                    merged[-1] = Piece(last.lo, p.hi, last.expr)
                    continue
            merged.append(p)
        return cls(K, tuple(merged), _collect_impulses(K, impulses))

    @property
    def is_zero(self):
        """``True`` for the zero signal."""
        return not self.pieces and not self.impulses

    def breakpoints(self):
        """Sorted finite endpoints of the pieces and impulse locations."""
        pts = {}  # insertion-ordered: comparisons must not depend on hashes
        for p in self.pieces:
            for x in (p.lo, p.hi):
                if is_finite(x):
                    pts[x] = None
        pts.update((i.at, None) for i in self.impulses)
        return tuple(sorted(pts))

    def intervals(self):
        """The pieces' intervals ``[lo, hi)`` as SymPy numbers (``±oo`` for infinite ends).

        >>> from sympy import symbols, exp, Abs
        >>> from symconv.convert.signals import to_signal
        >>> t = symbols("t", real=True)
        >>> to_signal(exp(-Abs(t)), t).intervals()
        ((-oo, 0), (0, oo))
        """
        return tuple((to_sympy_point(p.lo), to_sympy_point(p.hi)) for p in self.pieces)

    def support(self):
        """``(lo, hi)``: the smallest interval outside which the signal vanishes."""
        los = [p.lo for p in self.pieces] + [i.at for i in self.impulses]
        his = [p.hi for p in self.pieces] + [i.at for i in self.impulses]
        if not los:
            return None
        return min(los), max(his)


def _collect_impulses(K, impulses):
    acc = {}
    for imp in impulses:
        key = (imp.at, imp.order)
        acc[key] = acc[key] + imp.weight if key in acc else imp.weight
    out = [Impulse(at, order, w) for (at, order), w in acc.items() if not w.is_zero]
    out.sort(key=lambda i: (i.at, i.order))
    return tuple(out)
