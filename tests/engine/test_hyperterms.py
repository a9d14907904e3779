"""Tests for symconv.engine.hyperterms: convolution of hypergeometric sequence terms.

Every result is checked against the defining sum ``Σ_k f[k] g[n-k]`` (or
``Σ_k f[k] g[k+n]``) evaluated term by term from the inputs themselves — exact SymPy
rationals and ``exp`` of rationals, never floats — at many ``n`` including far ones
(30, 57), with random rational parameters (and concrete sizes for symbolic ``m``)
substituted after the engine has run on the symbols.
"""

from __future__ import annotations

import random

import pytest
from sympy import (
    Add,
    FallingFactorial,
    Heaviside,
    Mul,
    Rational,
    RisingFactorial,
    Sum,
    binomial,
    cos,
    exp,
    expand,
    factorial,
    gamma,
    simplify,
    symbols,
    uppergamma,
)

from symconv import convolve, correlate
from symconv.engine.hyperterms import convolve_hyper, is_hypergeometric_input
from symconv.errors import SymconvError, UnsupportedInputError
from symconv.functions import u

n = symbols("n", integer=True)
lam, mu, p, q = symbols("lambda mu p q", positive=True)
m, K = symbols("m K", integer=True, nonnegative=True)
r, s = symbols("r s", integer=True, positive=True)
R = Rational


def poisson(a):
    return a**n * exp(-a) / factorial(n) * u(n)


def binom(size, prob):
    return binomial(size, n) * prob**n * (1 - prob) ** (size - n)


def negbin(rr, prob):
    return binomial(n - 1, rr - 1) * prob**rr * (1 - prob) ** (n - rr) * u(n - rr)


def geometric(prob):
    return prob * (1 - prob) ** (n - 1) * u(n - 1)


# ---------------------------------------------------------------------------
# the independent reference: the defining sum, term by term
# ---------------------------------------------------------------------------
def _at(expr, x):
    """``expr`` at ``n = x``; a term whose step is 0 there is 0 (not ``0·zoo``)."""
    total = 0
    for term in Add.make_args(expand(expr)):
        steps = [a for a in Mul.make_args(term) if isinstance(a, (u, Heaviside))]
        if any(st.subs(n, x) == 0 for st in steps):
            continue
        total += term.subs(n, x)
    return total


def _direct(f, g, n0, kind, span=60):
    if kind == "convolution":  # every input term starts at or after -12 in these tests
        return Add(*[_at(f, k) * _at(g, n0 - k) for k in range(-12, n0 + 13)])
    return Add(*[_at(f, k) * _at(g, k + n0) for k in range(-span, span)])


def _same(a, b):
    d = expand(a - b)
    return d == 0 or simplify(d) == 0


def _check(result, f, g, params, points, kind="convolution"):
    fv, gv, val = f.subs(params), g.subs(params), result.subs(params)
    for n0 in points:
        got = val.subs(n, n0).doit()
        want = _direct(fv, gv, n0, kind)
        assert got.is_number or got.free_symbols == set(), got
        assert _same(got, want), (n0, got, want)


def _rand(rng, lo=1, hi=9):
    return R(rng.randint(lo, hi), rng.randint(lo, hi) + 1)


def _prob(rng):
    d = rng.randint(3, 11)
    return R(rng.randint(1, d - 1), d)


FAR = [0, 1, 2, 5, 30, 57, -1]


# ---------------------------------------------------------------------------
# the issue's examples
# ---------------------------------------------------------------------------
def test_issue_poisson_plus_poisson_is_poisson():
    f = lam**n * exp(-lam) / factorial(n) * Heaviside(n, 1)
    g = mu**n * exp(-mu) / factorial(n) * Heaviside(n, 1)
    y = convolve(f, g, n)
    # the Poisson(λ + μ) pmf, compared as a function of n, parameters kept symbolic
    expected = (lam + mu) ** n * exp(-lam - mu) / factorial(n)
    for n0 in (0, 1, 4, 30):
        assert simplify(y.subs(n, n0) - expected.subs(n, n0)) == 0
    assert y.subs(n, -1) == 0
    rng = random.Random(1)
    for _ in range(3):
        _check(y, f, g, {lam: _rand(rng), mu: _rand(rng)}, FAR)


def test_issue_binomial_pairs_with_concrete_and_symbolic_sizes():
    y = convolve(binom(3, p), binom(4, p), n)
    assert y.has(binomial(7, n))
    rng = random.Random(2)
    _check(y, binom(3, p), binom(4, p), {p: _prob(rng)}, range(-2, 10))
    res = convolve_hyper(binom(m, p), binom(K, p), n)
    assert res.closed and res.value.has(binomial(K + m, n))
    for _ in range(3):
        params = {p: _prob(rng), m: rng.randint(0, 6), K: rng.randint(0, 6)}
        _check(res.value, binom(m, p), binom(K, p), params, [0, 1, 3, 6, 11, 12, 13, 30])


def test_issue_negative_binomial_pairs():
    res = convolve_hyper(negbin(r, p), negbin(s, p), n)
    assert res.closed and res.value.has(binomial(n - 1, r + s - 1))
    res2 = convolve_hyper(negbin(r, p), geometric(p), n)  # NegBin(r) + Geometric = NegBin(r+1)
    assert res2.closed and res2.value.has(binomial(n - 1, r))
    rng = random.Random(3)
    for _ in range(2):
        params = {p: _prob(rng), r: rng.randint(1, 4), s: rng.randint(1, 4)}
        _check(res.value, negbin(r, p), negbin(s, p), params, [0, 2, 5, 8, 30, 57])
        _check(res2.value, negbin(r, p), geometric(p), params, [0, 2, 5, 8, 30])


# ---------------------------------------------------------------------------
# no closed hypergeometric form: exact, and flagged
# ---------------------------------------------------------------------------
def test_poisson_cumulative_is_an_incomplete_gamma_and_flagged():
    res = convolve_hyper(poisson(lam), u(n), n)
    assert not res.closed
    assert res.value.has(uppergamma) and "no closed hypergeometric form" in res.notes[0]
    _check(res.value, poisson(lam), u(n), {lam: R(7, 3)}, FAR)


@pytest.mark.parametrize("seed", range(3))
def test_poisson_geometric_and_mixed_geometric(seed):
    rng = random.Random(seed)
    for f, g in ((poisson(lam), geometric(p)), (poisson(lam), R(1, 2) ** n * u(n))):
        res = convolve_hyper(f, g, n)
        assert not res.closed and res.value.has(uppergamma)
        _check(res.value, f, g, {lam: _rand(rng), p: _prob(rng)}, [0, 1, 2, 7, 30])
    # through the public API
    y = convolve(poisson(lam), R(1, 2) ** n * u(n), n)
    _check(y, poisson(lam), R(1, 2) ** n * u(n), {lam: R(3, 5)}, [0, 3, 57])


def test_binomials_with_different_p_are_a_finite_sum():
    res = convolve_hyper(binom(m, p), binom(K, q), n)
    assert not res.closed and res.value.has(Sum)
    assert any("finite sum" in note for note in res.notes)
    rng = random.Random(4)
    for _ in range(2):
        params = {p: _prob(rng), q: _prob(rng), m: rng.randint(0, 5), K: rng.randint(0, 5)}
        _check(res.value, binom(m, p), binom(K, q), params, [0, 1, 4, 9, 10, 11])


# ---------------------------------------------------------------------------
# the wider class: polynomial factors, gamma, rising/falling factorials, ranges
# ---------------------------------------------------------------------------
CASES = [
    ("n Poisson * Poisson", n * poisson(lam), poisson(mu)),
    ("n^2 Poisson * n NegBin", n**2 * poisson(lam), n * negbin(r, p)),
    ("Poisson on 0..2 * Poisson", poisson(lam) * (u(n) - u(n - 3)), poisson(mu)),
    ("Poisson from 2 * Poisson", poisson(lam) * u(n - 2), poisson(mu)),
    ("Poisson from -2 * Poisson", lam**n * exp(-lam) / factorial(n) * u(n + 2), poisson(mu)),
    ("Bin(m) u(m-n) * Poisson", binom(m, p) * u(m - n), poisson(mu)),
    ("gamma(n+1/2)/n! * 3^-n", gamma(n + R(1, 2)) / factorial(n) * u(n), R(1, 3) ** n * u(n)),
    ("rising * rising", RisingFactorial(r, n) / factorial(n) * q**n * u(n),
     RisingFactorial(s, n) / factorial(n) * q**n * u(n)),
    ("falling * Poisson", FallingFactorial(m, n) / factorial(n) * u(n), poisson(lam)),
    ("Poisson(n-3) * Bin", lam ** (n - 3) * exp(-lam) / factorial(n - 3), binom(3, p)),
    ("Poisson + geometric * Bin", poisson(lam) + R(1, 3) ** n * u(n), binom(2, p)),
]


@pytest.mark.parametrize("name,f,g", CASES, ids=[c[0] for c in CASES])
def test_wider_class_against_direct_sums(name, f, g):
    rng = random.Random(name)
    res = convolve_hyper(f, g, n)
    params = {lam: _rand(rng), mu: _rand(rng), p: _prob(rng), q: _prob(rng),
              m: rng.randint(0, 5), r: rng.randint(1, 3), s: rng.randint(1, 3)}
    _check(res.value, f, g, params, [-1, 0, 1, 2, 3, 5, 12, 30])


@pytest.mark.parametrize("f,g", [(poisson(lam), binom(3, p)), (negbin(r, p), poisson(lam)),
                                 (binom(m, p), geometric(q))])
def test_commutative(f, g):
    a, b = convolve_hyper(f, g, n).value, convolve_hyper(g, f, n).value
    params = {lam: R(5, 4), p: R(2, 7), q: R(3, 5), r: 2, m: 3}
    for n0 in (0, 1, 3, 6, 20):
        assert _same(a.subs(params).subs(n, n0).doit(), b.subs(params).subs(n, n0).doit())


def test_total_mass_multiplies():
    # Σ_n (f*g)[n] = Σ f · Σ g over the finite support of two binomial laws, symbolically
    y = convolve(binom(3, p), binom(4, q) * R(5, 2), n)
    total = Add(*[y.subs(n, i).doit() for i in range(-1, 9)])
    assert simplify(total - R(5, 2)) == 0


# ---------------------------------------------------------------------------
# correlation
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("f,g", [(binom(3, p), binom(4, p)), (poisson(lam), binom(4, p)),
                                 (binom(4, p), poisson(lam)), (binom(m, p), binom(K, p))])
def test_correlation_against_direct_sums(f, g):
    y = correlate(f, g, n)
    _check(y, f, g, {p: R(1, 3), lam: R(1, 2), m: 3, K: 4}, [-6, -5, -1, 0, 2, 3, 7],
           kind="correlation")


def test_correlation_of_two_infinite_terms_is_refused():
    with pytest.raises(UnsupportedInputError, match="infinitely many k"):
        correlate(poisson(lam), poisson(mu), n)


# ---------------------------------------------------------------------------
# refusals: clean symconv errors, never a wrong answer
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("f,match", [
    (binomial(n, 3) * R(1, 2) ** n, "no lower end"),
    (poisson(lam) * cos(n), "not a hypergeometric term"),
    (poisson(lam) * u(2 * n - 1), "integer shift"),
])
def test_refusals(f, match):
    with pytest.raises(UnsupportedInputError, match=match) as err:
        convolve(f, poisson(mu), n)
    assert isinstance(err.value, SymconvError) and isinstance(err.value, ValueError)


def test_detection_is_only_for_the_index():
    assert is_hypergeometric_input(binomial(m, n), 1, n)
    assert not is_hypergeometric_input(factorial(m) * R(1, 2) ** n, u(n), n)
    # a factorial of a parameter alone stays on the geometric engine
    y = convolve(factorial(3) * R(1, 2) ** n * u(n), u(n), n)
    assert y.subs(n, 2) == 6 * R(7, 4)
