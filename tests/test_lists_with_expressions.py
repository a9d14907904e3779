"""A finite list of values with a sequence given by a formula (x[n] = [1, 2, 3] against
(1/2)ⁿ u[n], as Proakis writes it): the list is Σ x[k] δ[n - k]. Results are compared with
direct sums; the command line reads lists wherever it reads a signal."""

from __future__ import annotations

import pytest
from sympy import Rational, symbols

from symconv import convolve, correlate
from symconv.api import impulse_train
from symconv.cli import main
from symconv.errors import UnsupportedInputError
from symconv.functions import u

n = symbols("n", integer=True)


def _h(k):
    return Rational(1, 2) ** k if k >= 0 else 0


@pytest.mark.parametrize("values", [[1, 2, 3], [Rational(1, 2), 0, -4], (5,), {-2: 1, 3: -1}])
def test_list_times_formula_equals_the_direct_sum(values):
    y = convolve(values, Rational(1, 2) ** n * u(n), n)
    z = convolve(Rational(1, 2) ** n * u(n), values, n)
    items = values.items() if isinstance(values, dict) else enumerate(values)
    items = list(items)
    for m in range(-4, 9):
        direct = sum(v * _h(m - k) for k, v in items)
        assert y.subs(n, m) == direct == z.subs(n, m)


def test_correlation_of_a_list_and_a_formula():
    y = correlate([1, 2, 3], u(n) - u(n - 2), n)  # Σ f[k] g[k + l]
    for lag in range(-5, 5):
        direct = sum(v * (1 if 0 <= k + lag < 2 else 0) for k, v in enumerate([1, 2, 3]))
        assert y.subs(n, lag) == direct


def test_needs_an_integer_index():
    t = symbols("t", real=True)
    with pytest.raises(UnsupportedInputError, match="integer index"):
        convolve([1, 2], u(t), t)
    with pytest.raises(UnsupportedInputError, match="f\\[1\\]"):
        impulse_train([1, float("nan")], n)


def _run(argv, capsys):
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_cli_reads_lists_with_formulas(capsys):
    code, out, _ = _run(["conv", "[1, 2, 3]", "0.5^n u[n]"], capsys)
    assert code == 0 and "17/2^n" in out and "4 - 3/2^n" in out  # y[2] = 1/4 + 1 + 3
    code, out, _ = _run(["check", "[1,2]", "[1,1]", "[1,3,2]"], capsys)
    assert code == 0 and out.startswith("correct")
    code, out, _ = _run(["check", "[1,2]", "[1,1]", "[1,3,3]"], capsys)
    assert code == 1 and "expected 2, got 3" in out
    code, out, _ = _run(["steps", "[1,2]", "[1,1]"], capsys)
    assert code == 0 and "Result" in out
    code, _, err = _run(["conv", "[1, 2, 3]", "e^(-t) u(t)"], capsys)
    assert code == 2 and "Traceback" not in err


def test_cli_correlation_of_lists_names_its_lags(capsys):
    code, out, _ = _run(["corr", "[1, 2, 3]", "[0, 1, 0.5, 4]"], capsys)
    assert code == 0 and "y = [0, 3, 7/2, 14, 17/2, 4]  (lags -2 .. 3)" in out
    f, g = [1, 2, 3], [0, 1, Rational(1, 2), 4]
    direct = [sum(f[k] * g[k + lag] for k in range(3) if 0 <= k + lag < 4)
              for lag in range(-2, 4)]
    assert direct == [0, 3, Rational(7, 2), 14, Rational(17, 2), 4]
