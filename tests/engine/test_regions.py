"""Tests for symconv.engine.regions: the regions of one pair of pieces, against brute force.

For pieces on ``[a, b)`` and ``[c, d)`` the integrand ``f(τ) g(t - τ)`` lives on
``[a, b) ∩ (t - d, t - c]``. At sample points ``t`` inside every reported region the
overlap is computed directly (``max``/``min`` of plain fractions, nothing from symconv)
and compared with the region's reported limits; the regions must tile exactly the set of
``t`` where the overlap is non-empty, ``[a + c, b + d)``.
"""

from __future__ import annotations

import math
from fractions import Fraction
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy import E, Max, Min, Rational, S, pi, sqrt, symbols

from symconv.canonical.order import Facts, Point
from symconv.canonical.rational import RQ
from symconv.canonical.signal import NEG_INF, POS_INF, Inf, Piece, to_sympy_point
from symconv.engine.regions import pair_regions
from symconv.errors import UndecidableOrderError

T = symbols("T", positive=True)


# -- brute force on fractions ---------------------------------------------------------
def _num(x):
    """A rational end (RQ) or ±∞ as a Fraction or ±math.inf."""
    if isinstance(x, Inf):
        return math.inf if x.sign > 0 else -math.inf
    return Fraction(int(x.numerator), int(x.denominator))


def _limit(limit, t):
    """The value at ``t`` of a reported limit ``(kind, x)``: ``x`` or ``t - x``."""
    kind, x = limit
    assert kind in ("const", "shift"), limit
    return _num(x) if kind == "const" else t - _num(x)


def _samples(p, q):
    """Exact sample points strictly inside ``(p, q)`` (either end may be infinite)."""
    if p == -math.inf and q == math.inf:
        return [Fraction(-7), Fraction(-1, 3), Fraction(0), Fraction(5, 2), Fraction(11)]
    if p == -math.inf:
        return [q - Fraction(1, 7), q - 1, q - Fraction(9, 2), q - 20]
    if q == math.inf:
        return [p + Fraction(1, 7), p + 1, p + Fraction(9, 2), p + 20]
    w = q - p
    return [p + w * Fraction(k, 7) for k in range(1, 7)]


def check_against_brute_force(a, b, c, d):
    """Run pair_regions on [a, b) x [c, d) (RQ or ±∞ ends) and compare with brute force."""
    regions = pair_regions(Piece(a, b, None), Piece(c, d, None))
    A, B, C, D = (_num(x) for x in (a, b, c, d))
    assert regions, "a pair of non-empty pieces always overlaps for some t"
    ends = [(_num(lo), _num(hi)) for lo, hi, _l, _u in regions]
    # the regions tile [a + c, b + d): first and last ends, no gaps, no overlaps, non-empty
    assert ends[0][0] == A + C
    assert ends[-1][1] == B + D
    for (_p0, q0), (p1, _q1) in pairwise(ends):
        assert q0 == p1
    assert all(p < q for p, q in ends)
    # interior cuts are where one end of the window meets one end of the other piece
    natural = {A + D, B + C}
    for _p, q in ends[:-1]:
        assert q in natural, (q, natural)
    # at every sample the reported limits are the overlap, and the overlap is not empty
    for (p, q), (_lo, _hi, lower, upper) in zip(ends, regions, strict=True):
        for t in _samples(p, q):
            lo_true, hi_true = max(A, t - D), min(B, t - C)
            assert lo_true < hi_true, (t, p, q)
            assert _limit(lower, t) == lo_true, (t, lower, lo_true)
            assert _limit(upper, t) == hi_true, (t, upper, hi_true)
    # outside [a + c, b + d) the overlap is empty (the regions miss nothing)
    outside = []
    if A + C > -math.inf:
        outside += [A + C - Fraction(1, 5), A + C - 3]
    if B + D < math.inf:
        outside += [B + D, B + D + Fraction(1, 5), B + D + 3]
    for t in outside:
        assert max(A, t - D) >= min(B, t - C), t
    return regions


# -- table -------------------------------------------------------------------------------
def test_documented_unit_boxes():
    box = Piece(RQ(0), RQ(1), None)
    regions = check_against_brute_force(RQ(0), RQ(1), RQ(0), RQ(1))
    assert regions == pair_regions(box, box)
    assert [(lo, hi) for lo, hi, _l, _u in regions] == [(0, 1), (1, 2)]
    assert regions[0][2:] == (("const", 0), ("shift", 0))
    assert regions[1][2:] == (("shift", 1), ("const", 1))


@pytest.mark.parametrize(
    ("a", "b", "c", "d", "count"),
    [
        (RQ(0), RQ(1), RQ(0), RQ(3), 3),  # narrow inside wide: rise, plateau, fall
        (RQ(0), RQ(3), RQ(0), RQ(1), 3),
        (RQ(-1, 2), RQ(1, 2), RQ(-1, 2), RQ(1, 2), 2),  # equal widths: a + d == b + c
        (RQ(0), POS_INF, RQ(0), POS_INF, 1),  # u * u
        (RQ(0), POS_INF, RQ(0), RQ(1), 2),  # u * window
        (NEG_INF, RQ(0), RQ(0), POS_INF, 2),  # anticausal * causal: cut at b + c = 0
        (NEG_INF, RQ(0), RQ(-2), RQ(5), 2),
        (NEG_INF, POS_INF, RQ(1), RQ(2), 1),  # whole line * window
        (NEG_INF, POS_INF, NEG_INF, RQ(3), 1),
        (RQ(2), RQ(7, 2), NEG_INF, RQ(-1), 2),
    ],
)
def test_table_of_pairs(a, b, c, d, count):
    regions = check_against_brute_force(a, b, c, d)
    assert len(regions) == count


# -- property: random boxes with finite or infinite ends ----------------------------------
_end = st.integers(-8, 8).map(lambda n: RQ(n, 2))


@st.composite
def boxes(draw):
    lo, hi = sorted(draw(st.lists(_end, min_size=2, max_size=2, unique=True)))
    if draw(st.booleans()) and draw(st.booleans()):
        lo = NEG_INF
    if draw(st.booleans()) and draw(st.booleans()):
        hi = POS_INF
    return lo, hi


@given(boxes(), boxes())
@settings(max_examples=200, deadline=None)
def test_random_boxes_agree_with_brute_force(f, g):
    (a, b), (c, d) = f, g
    check_against_brute_force(a, b, c, d)


@given(boxes(), boxes())
@settings(max_examples=50, deadline=None)
def test_swapping_the_pieces_gives_the_same_cuts(f, g):
    (a, b), (c, d) = f, g
    one = pair_regions(Piece(a, b, None), Piece(c, d, None))
    two = pair_regions(Piece(c, d, None), Piece(a, b, None))
    assert [(lo, hi) for lo, hi, _l, _u in one] == [(lo, hi) for lo, hi, _l, _u in two]


# -- symbolic and constant ends -------------------------------------------------------
def _sym_limit(limit, t):
    kind, x = limit
    return to_sympy_point(x) if kind == "const" else t - to_sympy_point(x)


def _check_exact(regions, a, b, c, d):
    """Brute force with SymPy numbers (ends may be constants such as pi)."""
    assert to_sympy_point(regions[0][0]) == a + c
    assert to_sympy_point(regions[-1][1]) == b + d
    for (_l0, h0, *_), (l1, _h1, *_) in pairwise(regions):
        assert h0 == l1
    for lo, hi, lower, upper in regions:
        p, q = to_sympy_point(lo), to_sympy_point(hi)
        for w in (Rational(1, 7), Rational(1, 2), Rational(6, 7)):
            t = p + w * (q - p)
            lo_true, hi_true = Max(a, t - d), Min(b, t - c)
            assert (lo_true < hi_true) == S.true
            assert (_sym_limit(lower, t) - lo_true).simplify() == 0
            assert (_sym_limit(upper, t) - hi_true).simplify() == 0


@pytest.mark.parametrize(
    ("ends", "count"),
    [
        ((0, pi, 0, 1), 3),  # a window of width pi against a unit window
        ((0, 1, sqrt(2), E), 3),  # width e - sqrt(2) > 1
        ((-pi / 4, pi / 4, -sqrt(2) / 2, sqrt(2) / 2), 3),  # widths pi/2 > sqrt(2)
        ((sqrt(2), sqrt(3), 0, Rational(1, 3)), 3),  # widths 0.318 < 1/3
    ],
)
def test_constant_ends(ends, count):
    def pt(x):
        return RQ.from_sympy(S(x)) if S(x).is_Rational else Point.from_sympy(S(x))

    a, b, c, d = (S(x) for x in ends)
    regions = pair_regions(Piece(pt(a), pt(b), None), Piece(pt(c), pt(d), None))
    assert len(regions) == count
    _check_exact(regions, a, b, c, d)


def test_symbolic_end_needs_a_fact_and_follows_it():
    f = Piece(RQ(0), Point.from_sympy(T), None)
    g = Piece(RQ(0), RQ(1), None)
    with pytest.raises(UndecidableOrderError):
        pair_regions(f, g)
    for fact, value in ((T > 1, Rational(5, 2)), (T < 1, Rational(1, 3))):
        with Facts.of([fact]).using():
            regions = pair_regions(f, g)
        assert len(regions) == 3
        # the same regions as the numeric pair at one admissible value of T
        numeric = check_against_brute_force(RQ(0), RQ.from_sympy(value), RQ(0), RQ(1))
        got = [(to_sympy_point(lo).subs(T, value), to_sympy_point(hi).subs(T, value))
               for lo, hi, _l, _u in regions]
        assert got == [(to_sympy_point(lo), to_sympy_point(hi)) for lo, hi, _l, _u in numeric]
        for (*_e, lower, upper), (*_n, nlower, nupper) in zip(regions, numeric, strict=True):
            assert lower[0] == nlower[0] and upper[0] == nupper[0]
