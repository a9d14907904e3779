"""The fast path for piecewise polynomials (:mod:`symconv.engine.jumps`) against the general
pairwise method, against mpmath quadrature, and against exact discrete sums.

The general path is run directly (``accumulate_pairs`` with the closed-form integrator), so
every comparison is fast path vs. the code it replaces, on the canonical ``Signal`` (equal
functions give equal data) and on the SymPy answer.
"""

from __future__ import annotations

import random
from itertools import pairwise

import mpmath
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sympy import Piecewise, Poly, Rational, Symbol, cos, exp, factorial, symbols

from symconv import convolve, correlate, rect, u
from symconv.canonical.rational import RQ
from symconv.canonical.signal import Signal
from symconv.convert.output import to_sympy
from symconv.convert.signals import sweep, to_signal
from symconv.engine import jumps
from symconv.engine.continuous import _Oracle, _PairIntegrator, convolve_signals
from symconv.engine.pairwise import accumulate_pairs
from symconv.engine.regions import pair_regions

t = Symbol("t", real=True)


def general(F, G):
    """``F * G`` (regular parts) by the general pairwise method."""
    oracle, cache = _Oracle(F.K), {}
    events, base = accumulate_pairs(
        F, G, lambda fp, gp: _PairIntegrator(fp, gp, oracle, cache), pair_regions)
    return Signal.from_pieces(F.K, sweep(F.K, events, base))


def fast(F, G):
    events, base = jumps.convolve_by_jumps(F, G)
    return Signal.from_pieces(F.K, sweep(F.K, events, base))


@st.composite
def piecewise_polynomials(draw, max_pieces=5, max_degree=3, grid=True):
    """A random compactly supported piecewise polynomial as a SymPy ``Piecewise``."""
    n = draw(st.integers(1, max_pieces))
    if grid:
        den = draw(st.sampled_from([1, 2, 3]))
        cuts = draw(st.sets(st.integers(-12, 12), min_size=n + 1, max_size=n + 1))
        pts = sorted(Rational(c, den) for c in cuts)
    else:
        fracs = st.tuples(st.integers(-40, 40), st.sampled_from([1, 3, 7, 11, 13]))
        pts = sorted({Rational(p, q) for p, q in draw(st.lists(fracs, min_size=n + 1,
                                                               max_size=n + 1))})
    args = [(0, t < pts[0])]
    for hi in pts[1:]:
        if draw(st.integers(0, 4)) == 0:
            body = 0  # a gap
        else:
            deg = draw(st.integers(0, max_degree))
            body = sum(Rational(draw(st.integers(-5, 5)), draw(st.integers(1, 4))) * t**k
                       for k in range(deg + 1))
        args.append((body, t < hi))
    args.append((0, True))
    return Piecewise(*args)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(piecewise_polynomials(), piecewise_polynomials(grid=False))
def test_fast_path_equals_the_general_path(f, g):
    F, G = to_signal(f, t), to_signal(g, t)
    assert F.K is RQ and G.K is RQ
    want = general(F, G)
    assert fast(F, G) == want
    assert fast(G, F) == want
    assert convolve_signals(F, G) == want
    assert convolve(f, g, t) == to_sympy(want, t, "piecewise")


@settings(max_examples=25, deadline=None)
@given(piecewise_polynomials(), piecewise_polynomials())
def test_grid_and_pairs_agree(f, g):
    pf, pg = jumps.polynomial_pieces(to_signal(f, t)), jumps.polynomial_pieces(to_signal(g, t))
    JF, JG = jumps.jumps(pf), jumps.jumps(pg)
    if not JF or not JG:
        return
    on_grid = jumps._on_grid(JF, JG)
    assert on_grid is not None  # small grids: always taken
    pairs = {z: {m: c for m, c in row.items() if c} for z, row in jumps._pairs(JF, JG).items()}
    assert on_grid == {z: row for z, row in pairs.items() if row}


def test_jumps_rebuild_the_signal():
    """``Σ a_{x,k} (t - x)ᵏ/k! u(t - x)`` is the signal again."""
    f = Piecewise((0, t < -1), (t**2 - 3, t < Rational(1, 2)), (5, t < 2), (t, t < 3), (0, True))
    rebuilt = 0
    for x, row in jumps.jumps(jumps.polynomial_pieces(to_signal(f, t))).items():
        for k, a in row.items():
            x_ = RQ.to_sympy(x)
            rebuilt += RQ.to_sympy(a) * (t - x_) ** k / factorial(k) * u(t - x_)
    for x in (Rational(-3, 2), Rational(-1, 3), 1, Rational(5, 2), 4):
        assert rebuilt.subs(t, x) == f.subs(t, x)


def test_against_quadrature():
    rng = random.Random(20)

    def random_pw(n, deg):
        cuts = sorted({Rational(rng.randint(-9, 9), rng.choice([1, 2, 5])) for _ in range(n + 1)})
        pieces = [(hi, [Rational(rng.randint(-4, 4), rng.randint(1, 3)) for _ in range(deg + 1)])
                  for hi in cuts[1:]]
        args = [(0, t < cuts[0])] + [(Poly(cs, t).as_expr(), t < hi) for hi, cs in pieces]
        return Piecewise(*args, (0, True)), cuts, pieces

    def value(cuts, pieces, x):  # mpmath, at the working precision
        if x < mpmath.mpf(cuts[0].p) / cuts[0].q:
            return mpmath.mpf(0)
        for hi, coeffs in pieces:
            if x < mpmath.mpf(hi.p) / hi.q:
                return mpmath.polyval([mpmath.mpf(c.p) / c.q for c in coeffs], x)
        return mpmath.mpf(0)

    for deg in (0, 1, 3):
        (f, cf, pf), (g, cg, pg) = random_pw(6, deg), random_pw(5, deg)
        res = convolve(f, g, t)
        lo, hi = cf[0] + cg[0] - 1, cf[-1] + cg[-1] + 1
        with mpmath.workdps(30):
            for t0 in (lo + (hi - lo) * Rational(k, 23) for k in range(24)):
                x = mpmath.mpf(t0.p) / t0.q
                nodes = sorted({mpmath.mpf(c.p) / c.q for c in cf}
                               | {x - mpmath.mpf(c.p) / c.q for c in cg})
                want = mpmath.quad(
                    lambda tau, x=x, cf=cf, pf=pf, cg=cg, pg=pg:
                    value(cf, pf, tau) * value(cg, pg, x - tau), nodes)
                got = res.subs(t, t0)
                assert got.is_Rational
                assert abs(mpmath.mpf(got.p) / got.q - want) < mpmath.mpf(10) ** -20


def test_staircase_exact_at_the_integers():
    """Unit-width constant staircases: at integer ``k`` the convolution is the discrete sum
    ``Σ hf[i] hg[k - 1 - i]``, linear in between."""
    rng = random.Random(7)
    n = 30
    hf = [rng.randint(-9, 9) for _ in range(n)]
    hg = [rng.randint(-9, 9) for _ in range(n + 3)]

    def stair(h):
        return Piecewise((0, t < 0), *[(v, t < i + 1) for i, v in enumerate(h)], (0, True))

    res = convolve(stair(hf), stair(hg), t)
    disc = [sum(hf[i] * hg[k - 1 - i] for i in range(n) if 0 <= k - 1 - i < len(hg))
            for k in range(2 * n + 5)]
    for k in range(-2, 2 * n + 5):
        assert res.subs(t, k) == (disc[k] if k >= 0 else 0)


@pytest.mark.parametrize("f, g", [
    (rect(t), rect(t)),
    (t * rect(t - Rational(1, 2)), (1 - t**2) * rect(t / 2)),
    ((t + 1) ** 12 * rect(t), (t - 2) ** 20 * rect(t / 3)),  # flint Taylor shifts
])
def test_examples_against_the_general_path(f, g):
    F, G = to_signal(f, t), to_signal(g, t)
    assert fast(F, G) == general(F, G)


def test_correlation_and_impulses_take_the_fast_path_correctly():
    f = t * rect(t - Rational(1, 2))
    g = rect(t / 2) + 3 * rect(t - 5)
    F, G = to_signal(f, t), to_signal(g, t)
    from symconv.engine.continuous import reflect

    assert fast(reflect(F), G) == general(reflect(F), G)
    # impulses are added by convolve_signals after the regular part
    from sympy import DiracDelta

    res = convolve(f + 2 * DiracDelta(t - 1), g, t)
    assert res.subs(t, Rational(7, 3)) == (convolve(f, g, t) + 2 * g.subs(t, t - 1)).subs(
        t, Rational(7, 3))
    assert correlate(f, g, t).subs(t, Rational(1, 3)) == convolve(f.subs(t, -t), g, t).subs(
        t, Rational(1, 3))


def test_not_applicable():
    a = symbols("a", positive=True)
    for f in (u(t), exp(-t) * rect(t), cos(t) * rect(t), a * rect(t), rect(t - a)):
        F = to_signal(f, t)
        assert jumps.convolve_by_jumps(F, to_signal(rect(t), t)) is None


def test_grid_is_skipped_when_too_fine():
    F = to_signal(rect(t) + rect(t - Rational(1, 10007)), t)
    JF = jumps.jumps(jumps.polynomial_pieces(F))
    assert jumps._on_grid(JF, JF) is None
    assert fast(F, F) == general(F, F)


def test_pieces_are_adjacent_and_exact():
    f = Piecewise((0, t < 0), (1, t < 1), (0, True))
    res = to_signal(convolve(f, f, t), t)
    assert [(p.lo, p.hi) for p in res.pieces] == [(RQ(0), RQ(1)), (RQ(1), RQ(2))]
    assert all(lo.hi == hi.lo for lo, hi in pairwise(res.pieces))
