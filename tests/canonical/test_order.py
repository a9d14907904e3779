"""Tests for symconv.canonical.order: symbolic breakpoints and the facts that order them."""

from __future__ import annotations

from fractions import Fraction
from itertools import product

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy import Eq, Ne, Rational, S, StrictGreaterThan, StrictLessThan, log, sqrt, symbols

from symconv.canonical.order import Facts, Point, lin_of, point, relation
from symconv.canonical.rational import RQ
from symconv.canonical.signal import NEG_INF, POS_INF
from symconv.errors import UndecidableOrderError, UnsupportedInputError

T1, T2, T3 = symbols("T1 T2 T3", positive=True)
a, b = symbols("a b", real=True)
z = symbols("z")  # complex: no order


def test_point_arithmetic_and_rationals():
    p = Point.from_sympy(T1 / 2 + 1)
    assert (p - Point.from_sympy(T1 / 2)) == RQ(1)  # the parameters cancel -> a rational
    assert isinstance(p + RQ(1, 2), Point)
    assert (p + RQ(1, 2)).to_sympy() == T1 / 2 + Rational(3, 2)
    assert (-p).to_sympy() == -T1 / 2 - 1
    assert (2 * p).to_sympy() == T1 + 2
    assert p + POS_INF is POS_INF
    assert point(Rational(3, 4)) == RQ(3, 4)
    assert hash(Point.from_sympy(T1 + T2)) == hash(Point.from_sympy(T2 + T1))


def test_comparisons_use_sign_assumptions():
    p, q = Point.from_sympy(T1), Point.from_sympy(T1 + T2)
    assert p < q and q > p and p <= q and not p >= q
    assert Point.from_sympy(-T1) < 0 < p
    assert NEG_INF < p < POS_INF
    assert sorted([q, RQ(0), p, Point.from_sympy(-T2)]) == [Point.from_sympy(-T2), 0, p, q]


def test_undecided_comparison_names_the_relation():
    with pytest.raises(UndecidableOrderError) as err:
        _ = Point.from_sympy(T1) < Point.from_sympy(T2)
    assert err.value.condition in (StrictLessThan(T1, T2), StrictLessThan(T2, T1))
    assert "assume=" in str(err.value)


def test_facts_decide_and_chain():
    facts = Facts.of([T1 < T2, T2 < T3])
    with facts.using():
        assert Point.from_sympy(T1) < Point.from_sympy(T3)  # by transitivity
        assert Point.from_sympy(T1 - T3) < 0
        assert not Point.from_sympy(T3) <= Point.from_sympy(T1)
    assert not facts.add(lin_of(T1 - T3)).feasible()  # T1 > T3 contradicts them


def test_non_strict_facts():
    facts = Facts.of([a >= 0, a <= 0])
    with facts.using():
        assert Point.from_sympy(a) == 0
    with Facts.of([a >= 1]).using():
        assert Point.from_sympy(a) >= 1 and Point.from_sympy(a) > 0
        with pytest.raises(UndecidableOrderError):
            _ = Point.from_sympy(a) > 1


def test_relation_is_readable():
    assert relation(lin_of(T1 - T2), "<") == StrictLessThan(T1, T2)
    assert relation(lin_of(a + 1), ">") == StrictGreaterThan(a, -1)
    assert relation(lin_of(3 - a), ">") == StrictLessThan(a, 3)
    assert relation(lin_of(T1 - T2), "=") == Eq(T1, T2)


def test_bad_breakpoints_and_facts_are_refused():
    with pytest.raises(UnsupportedInputError, match="real"):
        Point.from_sympy(z)
    with pytest.raises(UnsupportedInputError, match="rational coefficients"):
        Point.from_sympy(sqrt(-2) + 1)
    with pytest.raises(UnsupportedInputError, match="rational coefficients"):
        Point.from_sympy(S.Infinity + T1)


def test_constant_breakpoints_are_ordered_by_certified_intervals():
    p = Point.from_sympy(sqrt(2) + T1 * 0 + S.Pi)  # 4.555...
    assert 4 < p < RQ(4556, 1000) and p > RQ(4555, 1000)
    assert Point.from_sympy(S.Pi) < Point.from_sympy(sqrt(10))  # 3.1416 < 3.1623
    assert Point.from_sympy(S.Pi / 2) == Point.from_sympy(S.Pi) / 2
    # exact equality proven although the two sides are written differently
    assert Point.from_sympy(sqrt(2) + sqrt(3)) == Point.from_sympy(sqrt(5 + 2 * sqrt(6)))
    assert Point.from_sympy(log(4)) == Point.from_sympy(2 * log(2))
    # parameters and constants together: T1 > pi decides T1 > 3 but not T1 > 4
    with Facts.of([T1 > S.Pi]).using():
        assert Point.from_sympy(T1) > 3
        assert Point.from_sympy(T1) > Point.from_sympy(S.Pi - 1)
        with pytest.raises(UndecidableOrderError):
            _ = Point.from_sympy(T1) < 4
    with pytest.raises(UnsupportedInputError, match="linear"):
        Facts.of([z < 1])
    with pytest.raises(UnsupportedInputError):
        Facts.of([Eq(a, b)])
    assert Facts.of([Ne(a, b)]).nonzero == (a - b,)


# -- Fourier–Motzkin against brute force --------------------------------------
_coef = st.integers(-2, 2)
_row = st.tuples(_coef, _coef, st.integers(-3, 3), st.booleans())


def _holds(rows, x, y):
    for cx, cy, c0, strict in rows:
        v = cx * x + cy * y + c0
        if v < 0 or (strict and v == 0):
            return False
    return True


@given(st.lists(_row, min_size=1, max_size=4), _row)
@settings(max_examples=100, deadline=None)
def test_entailment_agrees_with_a_grid_search(rows, query):
    """``Facts.entails`` is sound: whenever it claims ``q > 0`` follows from the
    facts, no point of a fine rational grid satisfies the facts and violates ``q``;
    and when the facts are infeasible on the grid-rich box, FM agrees where it can."""
    x_, y_ = symbols("x_ y_", real=True)
    facts = Facts([(RQ(c0), tuple(sorted(((x_, RQ(cx)), (y_, RQ(cy))) if cx and cy else
                                         ((x_, RQ(cx)),) if cx else ((y_, RQ(cy)),) if cy
                                         else (), key=lambda p: str(p[0]))), s)
                   for cx, cy, c0, s in rows])
    qx, qy, q0, qs = query
    q = lin_of(qx * x_ + qy * y_ + q0)
    grid = [Fraction(n, 2) for n in range(-16, 17)]
    if facts.entails(q, qs):
        for x, y in product(grid, grid):
            if _holds(rows, x, y):
                v = qx * x + qy * y + q0
                assert v > 0 if qs else v >= 0
    if any(_holds(rows, x, y) for x, y in product(grid, grid)):
        assert facts.feasible()


def test_relation_divides_out_the_content_and_keeps_the_truth():
    """``relation(lin, op)`` reads simpler (``2a > 0`` is ``a > 0``; ``4N - 2 < 0`` is
    ``N <= 0`` for an integer N) and is true exactly where ``lin op 0`` is, checked on a
    grid of values."""
    import itertools

    from sympy import Rational, symbols

    from symconv.canonical.order import lin_of, relation

    a, b = symbols("a b", real=True)
    m, k = symbols("N M", integer=True)
    assert str(relation(lin_of(2 * a), ">")) == "a > 0"
    assert str(relation(lin_of(4 * m - 2), "<")) == "N <= 0"
    ops = {"<": lambda x: x < 0, ">": lambda x: x > 0, "<=": lambda x: x <= 0,
           ">=": lambda x: x >= 0}
    forms = [2 * a, 2 * a - 1, Rational(2, 3) * a + Rational(4, 3) * b - 2, 6 * a - 4 * b + 3,
             2 * m - 1, 4 * m - 2, 6 * m + 9 * k - 4, 3 * m - 3 * k + 6, 10 * m + 5]
    reals = [Rational(p, 4) for p in range(-9, 10)]
    ints = range(-4, 5)
    for lin_e, (op, truth) in itertools.product(forms, ops.items()):
        rel = relation(lin_of(lin_e), op)
        atoms = sorted(lin_e.free_symbols, key=str)
        grid = itertools.product(*[ints if s.is_integer else reals for s in atoms])
        for values in grid:
            sub = dict(zip(atoms, values, strict=True))
            assert bool(rel.subs(sub)) == truth(lin_e.subs(sub)), (lin_e, op, sub, rel)
