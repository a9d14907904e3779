"""Real signals over the Gaussian rationals integrate half of their integrand (one of each
conjugate pair of products) and complete the result with its conjugate
(:func:`symconv.engine.continuous._integrand_groups`, ``half=True``). The result must be
exactly the one of the full integrand, term for term."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from sympy import I, Rational, cos, exp, sin, symbols

from symconv import convolve, u, verify
from symconv.canonical.rational import RQI
from symconv.convert.signals import domain_for, to_signal
from symconv.engine import continuous
from symconv.engine.continuous import _is_real, convolve_signals, correlate_signals
from tests.strategies import signals

t = symbols("t", real=True)
trig = signals(max_pieces=3, trig="always", impulse_orders=(0, 1))


def _canonical(*specs):
    exprs = [s.expr(t) for s in specs]
    K = domain_for(exprs, t)
    return K, [to_signal(e, t, K) for e in exprs]


def _full(op, F, G, monkeypatch):
    with monkeypatch.context() as m:
        m.setattr(continuous, "_is_real", lambda _s: False)
        return op(F, G)


@settings(max_examples=40, deadline=None, suppress_health_check=[
    HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(fs=trig, gs=trig)
def test_half_integrand_gives_the_full_result(fs, gs, monkeypatch):
    K, (F, G) = _canonical(fs, gs)
    if K is not RQI:
        return
    assert _is_real(F) and _is_real(G)
    for op in (convolve_signals, correlate_signals):
        assert op(F, G) == _full(op, F, G, monkeypatch)


def test_a_complex_signal_takes_the_full_integrand():
    f = exp(I * t) * u(t) * u(2 - t)
    g = cos(3 * t) * exp(-t) * u(t)
    F, G = (to_signal(e, t, RQI) for e in (f, g))
    assert not _is_real(F) and _is_real(G)
    result = convolve(f, g, t)
    assert result.has(I)
    assert verify(result, f, g, t)


def test_real_trigonometric_pair_against_quadrature():
    f = (t * exp(-t / 2) * sin(2 * t) + cos(t)) * (u(t) - u(t - 3))
    g = Rational(3, 2) * exp(t) * cos(3 * t) * (u(t + 1) - u(t - 1)) + sin(t) * u(t - 2) * exp(-t)
    result = convolve(f, g, t)
    assert not result.has(I)
    assert verify(result, f, g, t)
