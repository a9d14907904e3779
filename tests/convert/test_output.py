"""Output of real inputs is real: conjugate exponentials with transcendental frequencies
(``2π``, ``√2``, a parameter) become real sines and cosines, checked against quadrature."""

import mpmath
import pytest
from sympy import I, cos, exp, lambdify, pi, sin, sqrt, symbols

from symconv import convolve, rect, u

t = symbols("t", real=True)
a = symbols("a", positive=True)


def _quad_conv(f, g, at):
    """``∫ f(τ) g(at - τ) dτ`` by mpmath, the inputs as plain callables."""
    cuts = sorted({-0.5, 0.0, 0.5, at, at - 0.5, at + 0.5})
    return mpmath.quad(lambda s: f(s) * g(at - s), [-mpmath.inf, *cuts, mpmath.inf])


@pytest.mark.parametrize(
    ("f", "fn", "w"),
    [
        (cos(2 * pi * t) * u(t), lambda s: mpmath.cos(2 * mpmath.pi * s) * (s >= 0), None),
        (sin(pi * t) * rect(t), lambda s: mpmath.sin(mpmath.pi * s) * (abs(s) < 0.5), None),
        (cos(sqrt(2) * t) * u(t), lambda s: mpmath.cos(mpmath.sqrt(2) * s) * (s >= 0), None),
        (cos(a * t) * u(t), lambda s: mpmath.cos(3 * s) * (s >= 0), 3),
    ],
)
def test_real_inputs_give_real_output(f, fn, w):
    y = convolve(f, exp(-t) * u(t), t)
    assert not y.has(I)
    if w is not None:
        y = y.subs(a, w)
    for at in (-1, 0.25, 0.7, 2.5):
        got = complex(y.subs(t, at).evalf(30))
        want = _quad_conv(fn, lambda s: mpmath.exp(-s) * (s >= 0), at)
        assert got.imag == 0
        assert abs(got.real - float(want)) < 1e-9


def test_issue_example_prints_sines_and_cosines():
    y = convolve(cos(2 * pi * t) * u(t), exp(-t) * u(t), t)
    branch = y.args[1].expr
    assert branch.has(sin(2 * pi * t)) and branch.has(cos(2 * pi * t))
    f = lambdify(t, branch, "mpmath")
    assert abs(f(1.3) - _quad_conv(lambda s: mpmath.cos(2 * mpmath.pi * s) * (s >= 0),
                                   lambda s: mpmath.exp(-s) * (s >= 0), 1.3)) < 1e-12
