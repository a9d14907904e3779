"""The canonical signal container."""

import pytest

from symconv.canonical.expoly import ExpPoly
from symconv.canonical.rational import RQ
from symconv.canonical.signal import NEG_INF, POS_INF, Impulse, Piece, Signal

ONE = ExpPoly.const(RQ, RQ(1))
TWO = ExpPoly.const(RQ, RQ(2))


def test_infinities_order_with_rationals():
    assert NEG_INF < RQ(-10**9) < POS_INF
    assert RQ(3) + POS_INF == POS_INF and NEG_INF + RQ(1) == NEG_INF
    assert -POS_INF == NEG_INF
    with pytest.raises(ArithmeticError):
        POS_INF + NEG_INF


def test_from_pieces_sorts_merges_and_drops_zero():
    zero = ExpPoly.zero(RQ)
    s = Signal.from_pieces(
        RQ,
        [Piece(RQ(1), RQ(2), ONE), Piece(RQ(0), RQ(1), ONE), Piece(RQ(2), RQ(3), zero),
         Piece(RQ(3), POS_INF, TWO)],
    )
    assert s.pieces == (Piece(RQ(0), RQ(2), ONE), Piece(RQ(3), POS_INF, TWO))
    assert s.support() == (RQ(0), POS_INF)


def test_overlapping_pieces_are_rejected():
    with pytest.raises(ValueError, match="overlapping"):
        Signal.from_pieces(RQ, [Piece(RQ(0), RQ(2), ONE), Piece(RQ(1), RQ(3), TWO)])


def test_impulses_are_collected_and_cancel():
    s = Signal.from_pieces(
        RQ, [], [Impulse(RQ(1), 0, ONE), Impulse(RQ(1), 0, ONE), Impulse(RQ(2), 1, ONE),
                 Impulse(RQ(2), 1, -ONE)]
    )
    assert s.impulses == (Impulse(RQ(1), 0, TWO),)
    assert s.breakpoints() == (RQ(1),)


def test_signals_are_immutable():
    s = Signal.from_pieces(RQ, [Piece(RQ(0), RQ(1), ONE)])
    with pytest.raises(AttributeError):
        s.pieces = ()
