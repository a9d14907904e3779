"""The checker's last-resort hint speaks of the operation at hand: a sum for sequences,
an integral for signals."""

from __future__ import annotations

from sympy import Rational, exp, symbols

from symconv import check_answer
from symconv.functions import u


def test_sequence_hint_speaks_of_the_sum():
    n = symbols("n", integer=True)
    half = Rational(1, 2)
    wrong = (2 - half ** (n + 2)) * u(n)  # the truth is 2 - (1/2)^n
    report = check_answer(wrong, half ** n * u(n), u(n), n)
    assert not report and "recheck the sum" in str(report) and "integral" not in str(report)
    assert check_answer((2 - half ** n) * u(n), half ** n * u(n), u(n), n)


def test_signal_hint_speaks_of_the_integral():
    t = symbols("t", real=True)
    wrong = (1 - exp(-2 * t)) * u(t)  # the truth is 1 - e^{-t}
    report = check_answer(wrong, exp(-t) * u(t), u(t), t)
    assert not report and "recheck the integral" in str(report)
