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


def test_applied_functions_are_sympys_own_objects():
    """The direct constructor of ``exp``/``cos``/``sin`` of rationals builds exactly what
    SymPy builds (class, arguments, hash, ``nargs``, printing)."""
    from sympy import Rational, cos, exp, sin, srepr

    from symconv.convert.output import _applied

    for p in range(-12, 13):
        for q in (1, 2, 3, 7):
            r = Rational(p, q)
            if r not in (0, 1):
                mine, theirs = _applied(exp, r), exp(r)
                assert mine == theirs and type(mine) is type(theirs)
                assert hash(mine) == hash(theirs) and srepr(mine) == srepr(theirs)
                assert mine.nargs == theirs.nargs
            if r > 0:
                for fn in (cos, sin):
                    mine, theirs = _applied(fn, r), fn(r)
                    assert mine == theirs and type(mine) is type(theirs)
                    assert str(mine) == str(theirs) and mine.nargs == theirs.nargs
                    assert abs(float(mine) - float(theirs)) == 0
