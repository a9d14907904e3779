"""u, rect, tri and ramp through SymPy's code printers: lambdify agrees with exact evaluation."""

import numpy as np
import pytest
from sympy import Rational, exp, lambdify, symbols

from symconv.functions import ramp, rect, tri, u

t = symbols("t", real=True)
SIGNAL = 2 * exp(-t / 2) * u(t) + rect(t - Rational(1, 2)) - 3 * tri(t / 2) + ramp(t - 1)
POINTS = [Rational(k, 4) for k in range(-12, 13)]  # every edge of every pulse among them


@pytest.mark.parametrize("modules", ["numpy", "mpmath", "math", "scipy"])
def test_lambdify_agrees_with_exact_values(modules):
    if modules == "scipy":
        pytest.importorskip("scipy")
    f = lambdify(t, SIGNAL, modules)
    for p in POINTS:
        assert abs(float(f(float(p))) - float(SIGNAL.subs(t, p))) < 1e-12, p


def test_numpy_lambdify_is_elementwise():
    f = lambdify(t, SIGNAL, "numpy")
    xs = np.array([float(p) for p in POINTS])
    want = np.array([float(SIGNAL.subs(t, p)) for p in POINTS])
    assert np.allclose(f(xs), want, atol=1e-12)
