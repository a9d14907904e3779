"""Property tests of the continuous engine on random piecewise signals.

The signals come from :mod:`tests.strategies`: 1–4 pieces ``c·tᵏ·e^{at}·cos/sin(bt)``
on half-integer breakpoints in [-4, 4], optional decaying infinite tails, optional
impulses, written with ``u``/``Heaviside``/``rect`` windows or one ``Piecewise``.

Two kinds of exact comparison are used:

* **structural**: the engine's canonical :class:`~symconv.canonical.signal.Signal` values are
  compared with ``==`` (canonical data, so equal functions give equal data);
* **pointwise**: SymPy results are evaluated at rational points that are never
  breakpoints, and the values brought to the canonical form ``Σ c e^{ρ}``
  (:func:`tests.strategies.exp_canon`), which decides equality exactly.

Numeric checks use a reference built from the random *spec* only (mpmath quadrature
split at breakpoints, :func:`tests.strategies.reference_convolution`), and, as a
second opinion, :func:`symconv.numeric.quadrature.verify`.

The SymPy-level tests use mostly signals without ``sin``/``cos``: turning a result
over ``QQ_I`` into SymPy costs about a second for a 4×4 pair (the engine itself about
0.1 s), so trigonometric signals are tested mainly at the ``Signal`` level. The whole
file runs in about 30 s.
"""

from __future__ import annotations

import mpmath
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sympy import DiracDelta, Rational, S, StrictLessThan, cos, exp, oo, pi, sin, symbols

from symconv import DivergenceError, convolve, correlate, rect, u
from symconv.canonical.rational import RQ, embed
from symconv.canonical.signal import Impulse, Inf, Piece, Signal
from symconv.convert.signals import domain_for, signal_scale, signal_sum, to_signal
from symconv.engine.continuous import convolve_signals, correlate_signals
from tests.strategies import (
    COEFFS,
    PieceSpec,
    SignalSpec,
    exp_canon,
    integrate_signal,
    reference_convolution,
    sample_points,
    shifts,
    signals,
)

t = symbols("t", real=True)

#: Shared settings: no deadline (symbolic work varies), health checks for slow data off.
FAST = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: Signal-level tests (cheap): sin/cos allowed, impulses may be δ' as well as δ, and a
#: signal may be impulses only.
anything = signals(min_pieces=0, impulse_orders=(0, 0, 1))
plain = signals(trig=False)  # cheap to turn into SymPy
small_trig = signals(max_pieces=2, trig="always")


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------
def engine(*specs, extra=()):
    """The common domain and the canonical signals of the specs (and extra expressions)."""
    exprs = [s.expr(t) for s in specs] + list(extra)
    K = domain_for(exprs, t)
    return K, [to_signal(e, t, K) for e in exprs]


def shift_signal(F, T):
    """``F(t - T)`` from the canonical data (``T`` a SymPy rational)."""
    Tq = RQ.from_sympy(T)
    Tk = embed(F.K, Tq)
    pieces = [Piece(p.lo + Tq, p.hi + Tq, p.expr.shift(Tk)) for p in F.pieces]
    imps = [Impulse(i.at + Tq, i.order, i.weight) for i in F.impulses]
    return Signal.from_pieces(F.K, pieces, imps)


def span(*specs):
    """A range covering the supports of ``f*g`` for the given specs (sum of supports)."""
    lo = hi = Rational(0)
    for s in specs:
        sup = s.support()
        if sup is not None:
            lo, hi = lo + sup[0], hi + sup[1]
    return lo, hi


def value(expr, x):
    """The exact value of a SymPy expression in ``t`` at ``t = x``, canonical."""
    return exp_canon(expr, t, x)


def assert_same_function(a, b, points, shift_b=0):
    """``a(x) == b(x - shift_b)`` exactly at every point."""
    for x in points:
        va, vb = value(a, x), value(b, x - shift_b)
        assert va == vb, f"differ at t = {x}: {va - vb} != 0\n a = {a}\n b = {b}"


def support_of(F):
    """``(lo, hi)`` of a Signal as SymPy numbers (``±oo``)."""
    sup = F.support()
    if sup is None:
        return None
    return tuple(_sym(x) for x in sup)


def _sym(x):
    if isinstance(x, Inf):
        return oo if x.sign > 0 else -oo
    return RQ.to_sympy(x)


# ---------------------------------------------------------------------------
# sanity of the test tools themselves
# ---------------------------------------------------------------------------
def test_exp_canon_decides_trig_identities():
    s = Rational(1, 3)
    assert exp_canon(sin(2 * s) - 2 * sin(s) * cos(s)).is_zero
    assert exp_canon(exp(s) * exp(-s) - 1).is_zero
    assert not exp_canon(exp(s) - 1 - s).is_zero
    with pytest.raises(ValueError):
        exp_canon(symbols("x") + 1)


def test_reference_convolution_known_value():
    # (e^{-t}u(t)) * u(t) = 1 - e^{-t}
    f = SignalSpec((PieceSpec(Rational(0), oo, Rational(1), 0, Rational(-1)),))
    g = SignalSpec((PieceSpec(Rational(0), oo, Rational(1), 0, Rational(0)),))
    with pytest.raises(ValueError):
        g.integral()
    got = reference_convolution(f, g, Rational(1), dps=30)
    with mpmath.workdps(30):
        assert abs(got - (1 - mpmath.exp(-1))) < mpmath.mpf(10) ** -28


@given(anything)
@SLOW
def test_spec_round_trip_through_converter(fs):
    """The converter and the spec agree exactly on ``∫ f`` (converter sanity)."""
    _K, (F,) = engine(fs)
    assert integrate_signal(F) == fs.integral()


# ---------------------------------------------------------------------------
# 1. commutativity
# ---------------------------------------------------------------------------
@given(anything, anything)
@FAST
def test_commutative_signals(fs, gs):
    _K, (F, G) = engine(fs, gs)
    assert convolve_signals(F, G) == convolve_signals(G, F)


@given(plain, plain)
@SLOW
def test_commutative_sympy(fs, gs):
    f, g = fs.expr(t), gs.expr(t)
    a, b = convolve(f, g, t), convolve(g, f, t)
    assert a == b
    assert_same_function(a, b, sample_points(*span(fs, gs)))


# ---------------------------------------------------------------------------
# 2. ∫(f*g) = ∫f · ∫g
# ---------------------------------------------------------------------------
@given(anything, anything)
@FAST
def test_integral_of_convolution(fs, gs):
    _K, (F, G) = engine(fs, gs)
    H = convolve_signals(F, G)
    assert integrate_signal(H) == fs.integral() * gs.integral()


# ---------------------------------------------------------------------------
# 3. shift equivariance
# ---------------------------------------------------------------------------
@given(anything, anything, shifts)
@FAST
def test_shift_equivariance_signals(fs, gs, T):
    f, g = fs.expr(t), gs.expr(t)
    _K, (F, G, Fs, Gs) = engine(fs, gs, extra=(f.subs(t, t - T), g.subs(t, t - T)))
    H = convolve_signals(F, G)
    assert convolve_signals(Fs, G) == shift_signal(H, T)
    assert convolve_signals(F, Gs) == shift_signal(H, T)


@given(plain, plain, shifts)
@SLOW
def test_shift_equivariance_sympy(fs, gs, T):
    f, g = fs.expr(t), gs.expr(t)
    shifted = convolve(f.subs(t, t - T), g, t)
    h = convolve(f, g, t)
    lo, hi = span(fs, gs)
    assert_same_function(shifted, h, sample_points(lo + T, hi + T), shift_b=T)
    # and the SymPy result converts back to the same canonical signal
    _K, (Fs, G, back) = engine(extra=(f.subs(t, t - T), g, h.subs(t, t - T)))
    assert convolve_signals(Fs, G) == back


# ---------------------------------------------------------------------------
# 4. δ is the identity; δ(t - T) shifts
# ---------------------------------------------------------------------------
@given(anything, st.sampled_from(tuple(range(-3, 4))), st.sampled_from(COEFFS))
@FAST
def test_delta_identity_signals(fs, T, w):
    T = Rational(T)
    K, (F, D) = engine(fs, extra=(w * DiracDelta(t - T),))
    assert convolve_signals(F, D) == signal_scale(K, shift_signal(F, T), K.from_sympy(w))
    assert convolve_signals(D, F) == convolve_signals(F, D)


@given(plain, shifts)
@SLOW
def test_delta_identity_sympy(fs, T):
    f = fs.expr(t)
    lo, hi = span(fs)
    assert_same_function(convolve(f, DiracDelta(t), t), f, sample_points(lo, hi))
    assert_same_function(
        convolve(DiracDelta(t - T), f, t), f, sample_points(lo + T, hi + T), shift_b=T
    )


@given(plain)
@SLOW
def test_delta_prime_differentiates(fs):
    """``f * δ' = f'`` (away from the breakpoints, where ``f'`` has its jump impulses)."""
    f = fs.expr(t)
    lo, hi = span(fs)
    assert_same_function(convolve(f, DiracDelta(t, 1), t), f.diff(t), sample_points(lo, hi))


# ---------------------------------------------------------------------------
# 5. linearity
# ---------------------------------------------------------------------------
@given(signals(max_pieces=3, impulse_orders=(0, 1)), signals(max_pieces=3), anything,
       st.sampled_from(COEFFS))
@FAST
def test_linearity_signals(f1, f2, gs, c):
    K, (F1, F2, G, F12, cF) = engine(
        f1, f2, gs, extra=(f1.expr(t) + f2.expr(t), c * f1.expr(t))
    )
    assert F12 == signal_sum(K, [F1, F2])  # the converter adds exactly
    lhs = convolve_signals(F12, G)
    assert lhs == signal_sum(K, [convolve_signals(F1, G), convolve_signals(F2, G)])
    assert convolve_signals(cF, G) == signal_scale(K, convolve_signals(F1, G), K.from_sympy(c))


@given(signals(max_pieces=3, trig=False), signals(max_pieces=3, trig=False), plain,
       st.sampled_from(COEFFS))
@SLOW
def test_linearity_sympy(f1, f2, gs, c):
    g = gs.expr(t)
    a = convolve(f1.expr(t) + c * f2.expr(t), g, t)
    b = convolve(f1.expr(t), g, t) + c * convolve(f2.expr(t), g, t)
    lo1, hi1 = span(f1, gs)
    lo2, hi2 = span(f2, gs)
    assert_same_function(a, b, sample_points(min(lo1, lo2), max(hi1, hi2)))


# ---------------------------------------------------------------------------
# 6. support
# ---------------------------------------------------------------------------
@given(anything, anything)
@FAST
def test_support_within_sum_of_supports(fs, gs):
    _K, (F, G) = engine(fs, gs)
    H = convolve_signals(F, G)
    sup = support_of(H)
    if sup is None:
        return
    sf, sg = support_of(F), support_of(G)
    assert sf is not None and sg is not None
    assert sf[0] + sg[0] <= sup[0] and sup[1] <= sf[1] + sg[1]
    # and the spec's own supports contain the converter's
    lo, hi = span(fs, gs)
    assert lo <= sup[0] and sup[1] <= hi


# ---------------------------------------------------------------------------
# 7. symbolic = numeric
# ---------------------------------------------------------------------------
def _check_numeric(fs, gs, npts):
    f, g = fs.expr(t), gs.expr(t)
    h = convolve(f, g, t)
    tol = mpmath.mpf(10) ** -22
    for x in sample_points(*span(fs, gs), count=npts):
        ref = reference_convolution(fs, gs, x, dps=30)
        with mpmath.workdps(40):
            got = mpmath.mpmathify(h.subs(t, x).evalf(40))
            err = abs(got - ref) / max(1, abs(ref))
        assert err < tol, f"t = {x}: engine {got}, quadrature {ref}\n f = {f}\n g = {g}"


@given(plain, plain)
@SLOW
def test_symbolic_equals_numeric(fs, gs):
    _check_numeric(fs, gs, 3)


@given(small_trig, small_trig)
@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_symbolic_equals_numeric_trig(fs, gs):
    _check_numeric(fs, gs, 3)


@given(signals(max_pieces=2, trig=False), signals(max_pieces=2, trig=False))
@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_verify_agrees(fs, gs):
    numeric = pytest.importorskip("symconv.numeric.quadrature")
    f, g = fs.expr(t), gs.expr(t)
    report = numeric.verify(convolve(f, g, t), f, g, t, dps=25)
    assert report.ok, str(report)


# ---------------------------------------------------------------------------
# 8. correlation is convolution with the reflected f
# ---------------------------------------------------------------------------
@given(anything, anything)
@FAST
def test_correlate_is_convolve_reflected_signals(fs, gs):
    f = fs.expr(t)
    _K, (F, G, Fr) = engine(fs, gs, extra=(f.subs(t, -t),))
    assert correlate_signals(F, G) == convolve_signals(Fr, G)


@given(plain, plain)
@SLOW
def test_correlate_is_convolve_reflected_sympy(fs, gs):
    f, g = fs.expr(t), gs.expr(t)
    a = correlate(f, g, t)
    b = convolve(f.subs(t, -t), g, t)
    sf, sg = fs.support(), gs.support()
    assert_same_function(a, b, sample_points(sg[0] - sf[1], sg[1] - sf[0]))


# ---------------------------------------------------------------------------
# output forms and round trips
# ---------------------------------------------------------------------------
@given(plain, plain)
@SLOW
def test_heaviside_form_is_the_same_function(fs, gs):
    f, g = fs.expr(t), gs.expr(t)
    a = convolve(f, g, t)
    b = convolve(f, g, t, form="heaviside")
    assert_same_function(a, b, sample_points(*span(fs, gs)))
    # the canonical data survive a trip through SymPy
    _K, (F, G, A, B) = engine(extra=(f, g, a, b))
    assert convolve_signals(F, G) == A == B


# ---------------------------------------------------------------------------
# symbolic parameters: substituting a value commutes with convolving
# ---------------------------------------------------------------------------
P = symbols("p", positive=True)


@given(signals(max_pieces=2, trig=False, impulses=False), signals(max_pieces=2, trig=False),
       st.sampled_from((Rational(1, 2), Rational(1), Rational(3, 2), Rational(2))))
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_parameter_substitution(fs, gs, p0):
    """``(e^{-pt} f) * g`` at ``p = p0`` equals ``(e^{-p0 t} f) * g``.

    ``p0`` often makes an exponent of ``f`` meet one of ``g``, so the case split on
    ``Eq(p, ·)`` is exercised. ``f`` may have a left tail ``e^{at}``: then the result
    converges only for ``p < a``, a condition the result states.
    """
    f, g = fs.expr(t), gs.expr(t)
    try:
        sym = convolve(exp(-P * t) * f, g, t)
    except DivergenceError:
        with pytest.raises(DivergenceError):  # diverges for every P, so also at p0
            convolve(exp(-p0 * t) * f, g, t)
        return
    try:
        direct = convolve(exp(-p0 * t) * f, g, t)
    except DivergenceError:
        # the symbolic result states where it converges; p0 is outside
        assert sym.subs(P, p0) is S.NaN
        return
    assert_same_function(sym.subs(P, p0), direct, sample_points(*span(fs, gs)))


# ---------------------------------------------------------------------------
# deterministic regressions and classic examples
# ---------------------------------------------------------------------------
def test_design_example_exactly():
    # DESIGN.md: 2 e^{-t/2} u(t) * rect(t - 1/2)
    h = convolve(2 * exp(-t / 2) * u(t), rect(t - S.Half), t)
    expected = (4 - 4 * exp(-t / 2)) * (u(t) - u(t - 1)) + 4 * (exp(S.Half) - 1) * exp(
        -t / 2
    ) * u(t - 1)
    assert_same_function(h, expected, sample_points(Rational(-1), Rational(3), count=9))


def test_two_sided_tails_meet():
    # e^{t}u(-t) * e^{-2t}u(t-1): both tails decay, result is two-sided
    h = convolve(exp(t) * u(-t), exp(-2 * t) * u(t - 1), t)
    assert_same_function(
        h,
        exp(-3) * exp(t) / 3 * u(1 - t) + exp(-2 * t) / 3 * u(t - 1),
        [Rational(-5, 3), Rational(2, 7), Rational(4, 3), Rational(17, 5)],
    )


def test_impulse_times_impulse():
    _K, (F, G) = engine(extra=(2 * DiracDelta(t - 1), Rational(1, 3) * DiracDelta(t + 2)))
    H = convolve_signals(F, G)
    assert integrate_signal(H) == integrate_signal(F) * integrate_signal(G)
    assert convolve(2 * DiracDelta(t - 1), DiracDelta(t + 2) / 3, t) == 2 * DiracDelta(t + 1) / 3


# ---------------------------------------------------------------------------
# BUG (open): with transcendental constants in the exponents (π, log 2) the
# "canonical" form is not canonical. ExpPoly keys terms by (k, s, r) and relies on
# the e^{r} being linearly independent (Lindemann–Weierstrass), which holds only
# for algebraic r: e^{iπ} = -1 and e^{log 2} = 2. Equal functions then get unequal
# data, zero is not recognised, equal neighbouring pieces are not merged.
# ---------------------------------------------------------------------------
def test_canonical_form_with_log2_exponent():
    """``2^(t-1)`` and ``2^t / 2`` are the same signal, so their data must be equal."""
    a, b = 2 ** (t - 1) * rect(t), 2**t * rect(t) / 2
    K = domain_for([a, b], t)
    assert to_signal(a, t, K) == to_signal(b, t, K)
    assert to_signal(a - b, t, K).is_zero


def test_canonical_form_with_pi_frequency():
    """``cos(π(t-1)) = -cos(πt)``: the same signal, so the data must be equal."""
    a, b = cos(pi * (t - 1)) * rect(t), -cos(pi * t) * rect(t)
    K = domain_for([a, b], t)
    assert to_signal(a, t, K) == to_signal(b, t, K)


def test_equal_neighbouring_pieces_merge_with_pi_frequency():
    """``cos(πt)rect(t) * rect(t) = (1 + cos(πt))/π`` on all of ``[-1, 1)``: one piece."""
    K, (F, G) = engine(extra=(cos(pi * t) * rect(t), rect(t)))
    H = convolve_signals(F, G)
    assert len(H.pieces) == 1, H.pieces
    h = convolve(cos(pi * t) * rect(t), rect(t), t)
    # today: Piecewise((0, t < -1), (cos(pi*t)/pi + 1/pi, (t < 0) | (t < 1)), (0, True))
    assert all(c is S.true or c.func is StrictLessThan for _e, c in h.args), h


def test_zero_in_disguise_does_not_diverge():
    """``f = 2^(t-1) u(t) - 2^t u(t)/2`` is zero, so ``f * u(-t) = 0``; today: DivergenceError."""
    assert convolve(2 ** (t - 1) * u(t) - 2**t * u(t) / 2, u(-t), t) == 0
