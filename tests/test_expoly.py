"""Exponential-polynomial algebra: checked against SymPy's own calculus."""

import pytest
from sympy import QQ_I, Rational, diff, exp, expand, simplify, symbols

from symconv.expoly import ExpPoly, antiderivative
from symconv.rational import RQ

t, x = symbols("t x")


def poly(*terms):
    """ExpPoly over RQ from (c, k, s, r) tuples of small rationals."""
    out = ExpPoly.zero(RQ)
    q = RQ.from_sympy
    for c, k, s, r in terms:
        out = out + ExpPoly.term(RQ, q(Rational(c)), k, q(Rational(s)), q(Rational(r)))
    return out


F = poly((3, 2, Rational(-1, 2), 0), (-1, 0, 1, Rational(1, 3)), (2, 1, 0, 0))
G = poly((1, 1, -1, 0), (Rational(5, 2), 0, 0, 1))


def test_ring_operations_match_sympy():
    f, g = F.to_sympy(t), G.to_sympy(t)
    assert simplify((F + G).to_sympy(t) - (f + g)) == 0
    assert simplify((F - G).to_sympy(t) - (f - g)) == 0
    assert simplify((F * G).to_sympy(t) - expand(f * g)) == 0
    assert simplify((F**3).to_sympy(t) - expand(f**3)) == 0
    assert (F - F).is_zero and not F.is_zero


def test_shift_reflect_diff_at():
    f = F.to_sympy(t)
    d = RQ(3, 2)
    assert simplify(F.shift(d).to_sympy(t) - f.subs(t, t - Rational(3, 2))) == 0
    assert simplify(F.reflect().to_sympy(t) - f.subs(t, -t)) == 0
    assert simplify(F.diff().to_sympy(t) - diff(f, t)) == 0
    assert simplify(F.at(RQ(2)).to_sympy(t) - f.subs(t, 2)) == 0


def test_canonical_form_cancels_exactly():
    # e^{1/2} e^{-t/2} written two ways is one key: the difference is exactly zero
    a = ExpPoly.term(RQ, RQ(1), 0, RQ(-1, 2)).shift(RQ(1))
    b = ExpPoly.term(RQ, RQ(1), 0, RQ(-1, 2), RQ(1, 2))
    assert (a - b).is_zero
    assert a == b and hash(a) == hash(b)


@pytest.mark.parametrize("q", [0, 1, 2, 5])
@pytest.mark.parametrize("gamma", [Rational(0), Rational(2), Rational(-1, 3)])
def test_antiderivative_differentiates_back(q, gamma):
    anti = antiderivative(RQ, q, RQ.from_sympy(gamma), gamma == 0)
    e = gamma if gamma != 0 else 0
    A = sum(RQ.to_sympy(c) * x**p for p, c in anti) * exp(e * x)
    assert simplify(diff(A, x) - x**q * exp(gamma * x)) == 0


def test_antiderivative_complex_exponent():
    g = QQ_I(1, 2)  # 1 + 2i
    anti = antiderivative(QQ_I, 2, g, False)
    gs = QQ_I.to_sympy(g)
    A = sum(QQ_I.to_sympy(c) * x**p for p, c in anti) * exp(gs * x)
    assert simplify(diff(A, x) - x**2 * exp(gs * x)) == 0
