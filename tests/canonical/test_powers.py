"""Tests for symconv.canonical.powers: powers ``Bˣ`` of constants at symbolic integer points.

``atoms_of`` splits a constant into atoms (primes, ``-1``, irreducible factors); the
product of the atoms to their exponents must give the input back. ``Powers`` turns
``Bˣ`` (``x = c₀ + Σ cᵢ Nᵢ``) into an element of an exact domain with a marker per
(atom, integer symbol); after ``restore`` it must equal SymPy's own ``B**x``, which is
checked at many integer values of the symbols, exactly (and symbolically where SymPy can
decide it).
"""

from __future__ import annotations

import itertools

import pytest
from sympy import (
    E,
    Integer,
    Mul,
    Rational,
    S,
    cancel,
    exp,
    factorint,
    isprime,
    sqrt,
    symbols,
    together,
)

from symconv.canonical.powers import MAX_MARKERS, Powers, atoms_of, integer_symbols
from symconv.errors import SymconvError, UnsupportedInputError
from symconv.functions import u

n = symbols("n", integer=True)
N, M = symbols("N M", integer=True, positive=True)
K = symbols("K", integer=True)
a = symbols("a", positive=True)
b = symbols("b", real=True)


def rebuilt(atoms):
    return Mul(*[atom**k for atom, k in atoms.items()])


def same(x, y):
    return x == y or cancel(together(x - y)) == 0


# --------------------------------------------------------------------------
# atoms_of
# --------------------------------------------------------------------------


@pytest.mark.parametrize("q", [Rational(1, 6), Rational(-12, 35), Integer(7), Integer(360),
                               Rational(-1, 2), Rational(1024, 81), Integer(-1),
                               Rational(97, 30), Integer(2**5 * 3**3 * 11)])
def test_atoms_of_a_rational_are_its_prime_factorisation(q):
    atoms = atoms_of(q)
    assert rebuilt(atoms) == q
    expected = {Integer(p): k for p, k in factorint(abs(q.p)).items()}
    for p, k in factorint(q.q).items():
        expected[Integer(p)] = -k
    if q < 0:
        expected[S.NegativeOne] = 1
    assert atoms == expected
    assert all(k != 0 and isinstance(k, int) for k in atoms.values())
    assert all(A == -1 or isprime(A) for A in atoms)


def test_atoms_of_one_is_empty():
    assert atoms_of(S.One) == {}
    assert rebuilt(atoms_of(S.One)) == 1


@pytest.mark.parametrize("x", [
    a, b, a * b, a**2 * b / 3, 1 / (a * b), -a / (12 * (a + 1)), (a + 1) ** 2 / (2 * a),
    6 * a**3 / (5 * b**2), E, exp(2), 2 * E, a + b, -b / 4, sqrt(2), 3 * sqrt(2) / a,
])
def test_atoms_of_symbols_products_and_quotients_give_the_input_back(x):
    atoms = atoms_of(x)
    assert same(rebuilt(atoms), x), (x, atoms)
    assert all(k != 0 and isinstance(k, int) for k in atoms.values())
    assert S.One not in atoms
    # deterministic order (sorted atoms): the same dict order every time
    assert list(atoms) == sorted(atoms, key=lambda A: A.sort_key())


def test_atoms_of_split_the_rational_part_of_symbolic_factors():
    assert atoms_of(-a / (12 * (a + 1))) == {S.NegativeOne: 1, Integer(2): -2, Integer(3): -1,
                                             a: 1, a + 1: -1}
    assert atoms_of(a**2 * b / 3) == {Integer(3): -1, a: 2, b: 1}
    assert atoms_of(2 * E) == {Integer(2): 1, E: 1}


# --------------------------------------------------------------------------
# Powers: B^x at symbolic integer points
# --------------------------------------------------------------------------

BASES = [Rational(1, 6), Rational(-2, 3), Integer(5), Rational(9, 4), a, a / 6, -2 * a / 3]
POINTS = [N + 1, 2 * N - M, -N, M - N - 2, Integer(3), Integer(-2), Integer(0), 3 * M]


@pytest.fixture(scope="module")
def powers():
    P = Powers.of(BASES, [N, M, *BASES], n)
    P.domain([a, N, M])
    return P


def _power(P, base, point):
    x = P.power(P.K.from_sympy(base), P.element_point(point))
    return P.restore(P.K.to_sympy(x))


def test_markers_are_one_per_atom_and_integer_symbol(powers):
    atoms = set()
    for B in BASES:
        atoms |= set(atoms_of(B))
    assert set(powers.atoms) == atoms == {S.NegativeOne, Integer(2), Integer(3), Integer(5), a}
    assert powers.symbols == (M, N)
    assert set(powers.markers) == set(itertools.product(atoms, (M, N)))
    # restore turns every marker into the power it stands for
    for (A, sym), marker in powers.markers.items():
        assert powers.restore(marker) == A**sym


@pytest.mark.parametrize("base", BASES)
@pytest.mark.parametrize("point", POINTS)
def test_power_at_a_symbolic_point_is_the_sympy_power(powers, base, point):
    got = _power(powers, base, point)
    want = base**point
    assert not got.has(*powers.markers.values())
    # exactly, at integer values of N, M (both signs) and rational values of a
    for N_, M_ in [(0, 0), (1, 3), (4, 2), (-3, 5), (7, -2)]:
        for a_ in (Rational(2, 7), Integer(3)):
            env = {N: Integer(N_), M: Integer(M_), a: a_}
            assert got.xreplace(env) == want.xreplace(env), (base, point, env)


@pytest.mark.parametrize("base, point, want", [
    (Rational(1, 6), N + 1, 1 / (6 * 6**N)),
    (Rational(1, 6), -N, 6**N),
    (a, 2 * N - M, a ** (2 * N) / a**M),
    (Integer(5), Integer(3), Integer(125)),
    (Rational(9, 4), -N, 2 ** (2 * N) / 3 ** (2 * N)),
])
def test_power_closed_forms(powers, base, point, want):
    got = _power(powers, base, point)
    assert same(got.expand(power_base=True, force=True), want.expand(power_base=True, force=True))


def test_equal_powers_are_equal_elements():
    # 6^N = 2^N·3^N and (1/6)^N·6^N = 1 in the domain itself, not only after restore
    P = Powers.of([Rational(1, 6)], [N], n)
    K = P.domain([])
    x = P.element_point(N)
    six, two, three = (P.power(K.from_sympy(Integer(v)), x) for v in (6, 2, 3))
    assert six == two * three
    assert P.power(K.from_sympy(Rational(1, 6)), x) * six == K.one
    assert P.power(K.from_sympy(Integer(6)), P.element_point(2 * N + 1)) == 6 * six**2


def test_element_point_accepts_integer_forms_and_refuses_others():
    P = Powers.of([Integer(2)], [N, K], n)
    P.domain([N, K])
    assert P.element_point(Integer(3)) == 3
    assert str(P.element_point(N + 1)) == "N + 1"
    assert P.restore(P.K.to_sympy(P.element(P.element_point(K - 2 * N)))) == K - 2 * N
    T = symbols("T", real=True)
    for bad in (N / 2, N + S.Half, T, sqrt(2) * N):
        with pytest.raises(UnsupportedInputError, match="must be an integer") as info:
            P.element_point(bad)
        assert isinstance(info.value, SymconvError)
    with pytest.raises(UnsupportedInputError, match="not an integer"):
        P.element_point(Rational(3, 2))


def test_a_power_without_its_marker_is_refused():
    P = Powers.of([Integer(2)], [N], n)
    K_ = P.domain([Integer(3)])
    with pytest.raises(UnsupportedInputError, match=r"power of 3 to the symbolic integer N"):
        P.power(K_.from_sympy(Integer(3)), P.element_point(N))


def test_no_integer_symbols_means_no_markers():
    P = Powers.of([Rational(1, 2), a], [a, Rational(1, 2) ** n], n)
    assert P.markers == {} and P.symbols == ()
    assert P.restore(a + 1) == a + 1
    # a base that depends on the integer symbol itself gets no marker
    assert Powers.of([2 * N], [N], n).atoms == ()


# --------------------------------------------------------------------------
# integer_symbols
# --------------------------------------------------------------------------


def test_integer_symbols_are_the_integer_parameters_sorted_by_name():
    k = symbols("k", integer=True)
    x = symbols("x", real=True)
    assert integer_symbols([N * a + M, n, k * x, Integer(3)], n) == (M, N, k)
    assert integer_symbols([u(n - N), Rational(1, 2) ** n], n) == (N,)
    assert integer_symbols([n, x, a], n) == ()
    assert integer_symbols([n + K], None) == (K, n)
    assert integer_symbols([], n) == ()


# --------------------------------------------------------------------------
# the marker limit
# --------------------------------------------------------------------------


def test_the_marker_limit():
    five = symbols("N1:6", integer=True, positive=True)
    base = Rational(1, 2 * 3 * 5 * 7 * 11)  # five prime atoms
    assert 5 * 5 > MAX_MARKERS >= 4 * 6
    with pytest.raises(UnsupportedInputError, match=f"exceed the limit {MAX_MARKERS}") as info:
        Powers.of([base], list(five), n)
    assert info.value.limit == "MAX_MARKERS"
    assert isinstance(info.value, SymconvError) and isinstance(info.value, ValueError)
    # exactly at the limit: 4 atoms × 6 symbols
    six = symbols("N1:7", integer=True, positive=True)
    assert len(Powers.of([Rational(1, 2 * 3 * 5 * 7)], list(six), n).markers) == MAX_MARKERS


def test_the_marker_limit_reaches_the_sequence_engine():
    from symconv.engine.discrete import convolve_sequence

    N1, N2, N3, N4, N5 = symbols("N1:6", integer=True, positive=True)
    f = Rational(1, 2310) ** n * (u(n - N1) - u(n - N2))
    g = u(n - N3) - u(n - N4) + u(n - N5)
    with pytest.raises(UnsupportedInputError) as info:
        convolve_sequence(f, g, n)
    assert info.value.limit == "MAX_MARKERS"
