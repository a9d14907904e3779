"""Exponential-polynomial algebra: checked against SymPy's own calculus."""

import pytest
from sympy import QQ_I, I, Rational, S, diff, exp, expand, simplify, symbols

from symconv.canonical.expoly import ExpPoly, antiderivative
from symconv.canonical.rational import RQ

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


# -- the fast paths: python-flint for long rational polynomials, the binomial power ---------
def _naive_product(a, b):
    out = {}
    for (k1, s1, r1), c1 in a.terms.items():
        for (k2, s2, r2), c2 in b.terms.items():
            key = (k1 + k2, s1 + s2, r1 + r2)
            out[key] = out.get(key, a.K.zero) + c1 * c2
    return {k: v for k, v in out.items() if v}


def _long(seed, degree, exponents=(0, -0.5)):
    """A rational ExpPoly with long polynomial factors (and a few short ones)."""
    out = ExpPoly.zero(RQ)
    for j, s in enumerate(exponents):
        for k in range(degree + 1):
            c = Rational((seed * 7 + k * 13 + j * 5) % 11 - 5, 1 + (k + seed) % 4)
            out = out + ExpPoly.term(RQ, RQ.from_sympy(c), k, RQ.from_sympy(Rational(s)), RQ(j, 3))
    return out + poly((2, 0, 3, 0), (-1, 1, 3, 1))


def test_long_rational_products_match_the_definition():
    a, b = _long(1, 40), _long(2, 25, (0, 1, Rational(-1, 2)))
    assert (a * b).terms == _naive_product(a, b)


def test_long_rational_shifts_match_sympy():
    a = _long(3, 40)
    d = Rational(-5, 3)
    got = a.shift(RQ.from_sympy(d)).to_sympy(t)
    assert expand(got - a.to_sympy(t).subs(t, t - d)) == 0


def test_short_shifts_match_sympy():
    f = F.to_sympy(t)
    assert simplify(F.shift(RQ(-7, 4)).to_sympy(t) - f.subs(t, t + Rational(7, 4))) == 0


@pytest.mark.parametrize(("K", "c", "s"), [(RQ, Rational(1, 3), -1),
                                           (QQ_I, Rational(1, 3) + 2 * I, -1 + I)])
def test_binomial_power_matches_repeated_products(K, c, s):
    two = ExpPoly(K, {(1, K.zero, K.zero): K.one,  # t + c e^{s t}
                      (0, K.from_sympy(S(s)), K.zero): K.from_sympy(c)})
    expected = ExpPoly.const(K, K.one)
    for n in range(12):
        assert two**n == expected
        expected = expected * two


def test_power_of_a_sine_has_n_plus_one_terms():
    half_i = QQ_I.from_sympy(-I / 2)
    sine = ExpPoly(QQ_I, {(0, QQ_I.from_sympy(I), QQ_I.zero): half_i,
                          (0, QQ_I.from_sympy(-I), QQ_I.zero): -half_i})
    p = sine**7
    assert len(p.terms) == 8
    want = (sine * sine * sine) * (sine * sine) * (sine * sine)
    assert p == want


def test_python_products_counts_what_flint_does_not_do():
    from symconv.canonical.expoly import FLINT_TERMS, python_products

    long = {(k, RQ.zero, RQ.zero): RQ.one for k in range(FLINT_TERMS * 2)}
    short = {(0, RQ(-k), RQ.zero): RQ.one for k in range(FLINT_TERMS * 2)}
    assert python_products(long, long) == 0
    assert python_products(short, short) == (FLINT_TERMS * 2) ** 2
    assert python_products(long, short) == (FLINT_TERMS * 2) ** 2  # 1-term groups
    assert python_products({(0, RQ.zero, RQ.zero): RQ.one}, short) == FLINT_TERMS * 2
