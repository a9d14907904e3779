"""The cyclotomic field ``Q(ζ_m)`` and sequences with periodic factors over it.

The random pairs are checked against exact direct sums computed in an independent
arithmetic: ``Q(√2, √3)`` as 4-tuples of ``Fraction`` (every ``cos(πqk)``, ``sin(πqk)``
with ``q`` in {1/2, 1/3, 1/4, 2/3, 3/4} lies there), with a table of ``cos(jπ/12)``
written out by hand; symconv's answer is evaluated by SymPy at each ``n`` and read into
the same arithmetic. Nothing of :mod:`symconv.canonical.cyclotomic` is used by the reference.
"""

from __future__ import annotations

import random
import time
from fractions import Fraction

import pytest
from sympy import (
    Add,
    I,
    Integer,
    Mul,
    Piecewise,
    Pow,
    Rational,
    Symbol,
    cos,
    exp,
    nsimplify,
    pi,
    sin,
    sqrt,
    symbols,
)
from sympy.polys.polyerrors import CoercionFailed

from symconv.api import convolve, correlate
from symconv.canonical.cyclotomic import CyclotomicField, cyclotomic_order
from symconv.convert.sequences import sequence_domain_for
from symconv.engine.discrete import convolve_sequence, correlate_sequence
from symconv.functions import u
from symconv.numeric.sequences import verify_sequence

n = symbols("n", integer=True)


# ---------------------------------------------------------------------------
# the field
# ---------------------------------------------------------------------------
def _random_element(K, rng):
    return sum((K.convert(Fraction(rng.randint(-5, 5), rng.randint(1, 4))) * K.root(j)
                for j in range(K.degree)), K.zero)


@pytest.mark.parametrize("m", [4, 8, 12, 20, 24, 28, 48, 60])
def test_field_arithmetic_against_complex_numbers(m):
    K = CyclotomicField(m)
    rng = random.Random(m)
    for _ in range(20):
        x, y = _random_element(K, rng), _random_element(K, rng)
        if not y:
            continue
        for got, want in ((x * y, complex(K.to_sympy(x)) * complex(K.to_sympy(y))),
                          (x / y, complex(K.to_sympy(x)) / complex(K.to_sympy(y))),
                          (x - y, complex(K.to_sympy(x)) - complex(K.to_sympy(y))),
                          (K.conjugate(x), complex(K.to_sympy(x)).conjugate())):
            assert abs(complex(K.to_sympy(got).evalf(30)) - want) < 1e-9 * (1 + abs(want))
        assert (x / y) * y == x
        assert y ** -3 * y**3 == K.one
        assert hash(x * y) == hash(y * x)
    assert K.root(m // 2) == K.convert(-1) and K.root(m) == K.one


@pytest.mark.parametrize("m, value", [
    (12, sqrt(3)), (8, sqrt(2)), (20, sqrt(5)), (28, sqrt(7)), (60, sqrt(Rational(3, 5))),
    (24, cos(pi / 12)), (20, cos(pi / 5)), (20, sin(pi / 10)), (12, exp(I * pi / 6)),
    (24, sqrt(6) / 4 - I / 3),
])
def test_from_sympy_is_exact(m, value):
    K = CyclotomicField(m)
    x = K.from_sympy(value)
    back = K.to_sympy(x)
    assert abs(complex((back - value).evalf(50))) < 1e-45
    assert x * x == K.from_sympy((value**2).expand())


def test_what_the_field_does_not_hold():
    K = CyclotomicField(12)
    for value in (sqrt(2), sqrt(7), pi, exp(I * pi / 5), Symbol("a")):
        with pytest.raises(CoercionFailed):
            K.from_sympy(value)
    with pytest.raises(ValueError, match="multiple of 4"):
        CyclotomicField(6)
    with pytest.raises(ZeroDivisionError):
        K.one / K.zero


def test_unit_multiples():
    K = CyclotomicField(24)
    assert K.as_unit_multiple(K.from_sympy(-Rational(3, 2))) == (Fraction(3, 2), 12)
    assert K.as_unit_multiple(K.root(17) * K.convert(Fraction(-1, 3))) == (Fraction(1, 3), 5)
    assert K.as_unit_multiple(K.one + K.root(1)) is None
    assert K.abs2(K.root(7) * K.convert(Fraction(2, 3))) == K.convert(Fraction(4, 9))


def test_order_and_domain_choice():
    assert cyclotomic_order([Rational(1, 5), Rational(1, 7)]) == 140
    assert repr(sequence_domain_for([cos(pi * n / 3) * u(n)], n)) == "QQ<zeta12>"
    assert repr(sequence_domain_for([cos(pi * n / 24), sqrt(3) * sin(2 * pi * n / 5)], n)) \
        == "QQ<zeta240>"
    a = Symbol("a", positive=True)
    # symbols, or frequencies that are not rational multiples of π, keep SymPy's domains
    assert not isinstance(sequence_domain_for([a**n * cos(pi * n / 3)], n), CyclotomicField)
    assert not isinstance(sequence_domain_for([cos(n) * cos(pi * n / 3)], n), CyclotomicField)


# ---------------------------------------------------------------------------
# an independent exact arithmetic: Q(√2, √3) as (1, √2, √3, √6) coordinates
# ---------------------------------------------------------------------------
_F = Fraction
_PRODUCT = {  # (i, j) -> (factor, index) for basis_i * basis_j
    (0, 0): (1, 0), (0, 1): (1, 1), (0, 2): (1, 2), (0, 3): (1, 3),
    (1, 1): (2, 0), (1, 2): (1, 3), (1, 3): (2, 2),
    (2, 2): (3, 0), (2, 3): (3, 1), (3, 3): (6, 0),
}


class Q23:
    __slots__ = ("v",)

    def __init__(self, *v):
        self.v = tuple(_F(x) for x in v) + (_F(0),) * (4 - len(v))

    def __add__(self, o):
        return Q23(*(a + b for a, b in zip(self.v, o.v, strict=True)))

    def __mul__(self, o):
        out = [_F(0)] * 4
        for i, a in enumerate(self.v):
            for j, b in enumerate(o.v):
                if a and b:
                    f, k = _PRODUCT[(min(i, j), max(i, j))]
                    out[k] += f * a * b
        return Q23(*out)

    def __eq__(self, o):
        return self.v == o.v

    def __repr__(self):
        return f"Q23{self.v}"


_S2, _S6 = _F(1, 4), _F(1, 4)  # cos 15° = (√6 + √2)/4
_COS12 = {0: Q23(1), 1: Q23(0, _S2, 0, _S6), 2: Q23(0, 0, _F(1, 2)), 3: Q23(0, _F(1, 2)),
          4: Q23(_F(1, 2)), 5: Q23(0, -_S2, 0, _S6), 6: Q23(0)}


def cos12(j):
    """``cos(jπ/12)`` in ``Q(√2, √3)``."""
    j %= 24
    if j > 12:
        j = 24 - j
    if j > 6:
        return Q23(-1) * _COS12[12 - j]
    return _COS12[j]


def sin12(j):
    return cos12(6 - j)


def from_sympy23(e):
    """A SymPy number built from rationals, √2, √3, √6 as :class:`Q23`."""
    if e.is_Rational:
        return Q23(_F(int(e.p), int(e.q)))
    if isinstance(e, Pow) and e.exp == Rational(1, 2) and e.base in (2, 3, 6):
        return Q23(*(1 if i == {2: 1, 3: 2, 6: 3}[int(e.base)] else 0 for i in range(4)))
    if isinstance(e, Pow) and e.exp.is_Integer and e.base.is_Rational:
        return Q23(_F(int(e.base.p), int(e.base.q)) ** int(e.exp))
    if isinstance(e, Add):
        out = Q23(0)
        for a in e.args:
            out = out + from_sympy23(a)
        return out
    if isinstance(e, Mul):
        out = Q23(1)
        for a in e.args:
            out = out * from_sympy23(a)
        return out
    raise ValueError(f"not in Q(√2, √3): {e}")


# ---------------------------------------------------------------------------
# random periodic sequences, as SymPy and as exact Python functions
# ---------------------------------------------------------------------------
FREQS = (Rational(1, 2), Rational(1, 3), Rational(1, 4), Rational(2, 3), Rational(3, 4))
PIECES = {"u(n)": (0, None), "u(n)-u(n-5)": (0, 4), "u(n-2)": (2, None)}


def random_periodic(rng, terms=4):
    """``(expr, values, support)``: a random sum of ``c nᵏ aⁿ cos/sin(πqn)`` on a piece."""
    piece = rng.choice(sorted(PIECES))
    lo, hi = PIECES[piece]
    expr, spec = Integer(0), []
    for _ in range(terms):
        c = Rational(rng.choice([-3, -2, -1, 1, 2, 3]), rng.randint(1, 4))
        k = rng.randint(0, 2)
        a = Rational(rng.choice([-3, -2, -1, 1, 2, 3]), rng.randint(4, 5))  # |a| < 1
        trig = rng.choice(["cos", "sin", None])
        q = rng.choice(FREQS)
        term = c * n**k * a**n
        if trig:
            term *= (cos if trig == "cos" else sin)(pi * q * n)
        expr += term
        spec.append((_F(int(c.p), int(c.q)), k, _F(int(a.p), int(a.q)), trig, int(q * 12)))
    window = {"u(n)": u(n), "u(n)-u(n-5)": u(n) - u(n - 5), "u(n-2)": u(n - 2)}[piece]

    def value(x):
        if x < lo or (hi is not None and x > hi):
            return Q23(0)
        total = Q23(0)
        for c, k, a, trig, j in spec:
            t = Q23(c * _F(x) ** k * a**x)
            if trig:
                t = t * (cos12 if trig == "cos" else sin12)(j * x)
            total = total + t
        return total

    return expr * window, value, (lo, hi)


def direct_convolution(fv, gv, fsupp, gsupp, x):
    """``Σ_k f[k] g[x - k]`` exactly: both supports start at a finite point."""
    total = Q23(0)
    for k in range(fsupp[0], x - gsupp[0] + 1):
        total = total + fv(k) * gv(x - k)
    return total


def max_digits(expr):
    return max((len(str(abs(int(v)))) for r in expr.atoms(Rational) for v in (r.p, r.q)),
               default=0)


SEEDS = range(24)


@pytest.fixture(scope="module")
def periodic_results():
    out = {}
    for seed in SEEDS:
        rng = random.Random(seed)
        f, fv, fs = random_periodic(rng)
        g, gv, gs = random_periodic(rng)
        t = time.perf_counter()
        y = convolve_sequence(f, g, n)
        out[seed] = (f, g, fv, gv, fs, gs, y, time.perf_counter() - t)
    return out


@pytest.mark.parametrize("seed", SEEDS)
def test_random_periodic_pairs_equal_exact_direct_sums(periodic_results, seed):
    f, g, fv, gv, fs, gs, y, _t = periodic_results[seed]
    assert not y.has(I)  # real input, real output
    for x in list(range(-2, 14)) + [20, 31]:
        got = from_sympy23(y.subs(n, x))
        assert got == direct_convolution(fv, gv, fs, gs, x), (seed, x)


def test_random_periodic_pairs_are_canonical_and_fast(periodic_results):
    # The coefficient of each nᵏ aⁿ cos/sin(θn) is unique (those functions are linearly
    # independent) and is written in SymPy's radicals for cos/sin(2πk/m), so the output
    # carries exactly the numbers the answer needs: g * f gives the same expression, not
    # just an equal one, piece by piece. (Their size is intrinsic: 1/(r - 1)^3 for
    # r = a ζʲ / b ζˡ and its products across groups reach 50-90 digits for |a|, |b| in
    # 1/5 .. 3/4.)
    for seed in SEEDS[:12]:
        f, g, *_rest, y, _t = periodic_results[seed]
        # (a point where two neighbouring closed forms agree may join either of them)
        assert [e for e, _c in convolve_sequence(g, f, n).args] == [e for e, _c in y.args], seed


def test_small_answer_has_small_numbers():
    # Σ_{k=0}^{n} 2⁻ᵏ cos(πk/3) = 1 + sin(πn/3)/(√3·2ⁿ): exactly this expression
    y = convolve_sequence(cos(pi * n / 3) * Rational(1, 2) ** n * u(n), u(n), n)
    assert y.args[1][0] == 1 + sqrt(3) * sin(pi * n / 3) / (3 * 2**n)
    assert max_digits(y) == 1


@pytest.mark.parametrize("seed", range(10))
def test_random_periodic_correlations_infinite_sums(seed):
    # Σ_k f[k] g[k + n] runs to +∞ for causal pieces: checked by direct summation
    rng = random.Random(1000 + seed)
    f, _fv, _fs = random_periodic(rng, terms=2)
    g, _gv, _gs = random_periodic(rng, terms=2)
    y = correlate_sequence(f, g, n)
    assert not y.has(I)
    report = verify_sequence(y, f, g, n, kind="correlation", dps=40)
    assert report.ok, report


@pytest.mark.parametrize("q", [Rational(1, 5), Rational(1, 7), Rational(1, 24),
                               Rational(2, 9), Rational(5, 12)])
def test_other_rational_frequencies(q):
    # denominators beyond 12 (and mixed with the common ones) in the same arithmetic
    f = (cos(pi * q * n) + Rational(1, 2) * sin(pi * n / 3)) * Rational(2, 3) ** n * u(n)
    g = (n * sin(pi * q * n) - 1) * u(n) - u(n - 4)
    assert isinstance(sequence_domain_for([f, g], n), CyclotomicField)
    y = convolve_sequence(f, g, n)
    assert not y.has(I)
    report = verify_sequence(y, f, g, n, points=range(-2, 30), dps=40)
    assert report.ok, report


def test_finite_periodic_values_are_exact():
    # Σ_{k=0}^{n} cos(πk/3)(1/2)^k at n = 0..5, by hand: 1, 5/4, 9/8, 1, 1 + 1/32 - 1/32...
    y = convolve_sequence(cos(pi * n / 3) * Rational(1, 2) ** n * u(n), u(n), n)
    partial, want = Rational(0), []
    for k in range(8):
        partial += nsimplify(cos(pi * k / 3)) * Rational(1, 2) ** k
        want.append(partial)
    assert [y.subs(n, k) for k in range(8)] == want


def test_symbolic_base_with_periodic_factor_keeps_working():
    a = Symbol("a", positive=True)
    f = a**n * cos(pi * n / 3) * u(n)
    y = convolve_sequence(f, u(n) - u(n - 3), n)
    report = verify_sequence(y, f, u(n) - u(n - 3), n, params={a: Rational(3, 7)})
    assert report.ok, report


# --------------------------------------------------------------------------
# periodic factors beside parameters: Q(ζ_m)(a, ...), real output
# --------------------------------------------------------------------------
_a = symbols("a", positive=True)
_PARAM_CASES = [
    (_a**n * cos(pi * n / 3) * u(n), u(n)),
    (_a**n * cos(pi * n / 5) * u(n), u(n)),
    (_a**n * sin(pi * n / 24) * u(n), Rational(1, 2)**n * u(n)),
    (_a**n * sin(pi * n / 5 + pi / 4) * u(n), Rational(1, 2)**n * cos(pi * n / 2) * u(n)),
    (n * _a**n * cos(2 * pi * n / 3) * u(n), _a**n * (u(n) - u(n - 4))),
    (_a**n * cos(pi * n / 3) * u(n), _a**n * sin(pi * n / 3) * u(n)),
]


def _direct(f, g, at, x):
    """``Σ_{k=0}^{x} f[k] g[x-k]`` for causal f, g at the parameter values ``at``."""
    fk, gk = f.subs(at), g.subs(at)
    return sum(fk.subs(n, k) * gk.subs(n, x - k) for k in range(x + 1))


@pytest.mark.parametrize("case", range(len(_PARAM_CASES)))
def test_periodic_factors_with_a_parameter_are_real_and_exact(case):
    f, g = _PARAM_CASES[case]
    y = convolve(f, g, n, timeout=60)
    assert not y.has(I), y
    for a_value in (Rational(2, 7), Rational(3, 2)):
        at = {_a: a_value}
        yv = y.subs(at)
        for x in (0, 1, 2, 5, 11, 24):
            err = (yv.subs(n, x) - _direct(f, g, at, x)).evalf(50)
            assert abs(err) < Rational(1, 10**40), (x, a_value, err)


def test_periodic_autocorrelation_with_a_parameter_converges_by_assumption():
    f = _a**n * cos(pi * n / 3) * u(n)
    y = correlate(f, f, n, assume=[_a < 1], check=True)
    assert not y.has(I)
    y2 = correlate(f, f, n)  # without the assumption: stated where it converges
    assert isinstance(y2, Piecewise) and y2.args[-1][1] == (_a < 1)
