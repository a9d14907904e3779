"""Derivatives of impulses as a person types them: ``δ'(t)``, ``delta''(t - 1)`` and
SymPy's own ``DiracDelta(t, 1)``; the convolution with them is the derivative of the
other signal (``δ⁽ᵏ⁾ * g = g⁽ᵏ⁾``), checked against SymPy's ``diff`` of g away from its
jump and the jump's impulses."""

from __future__ import annotations

import pytest
from sympy import DiracDelta, E, Heaviside, Rational, diff, exp, symbols

from symconv import convolve
from symconv.errors import ParseError
from symconv.parsing.parser import parse

t = symbols("t", real=True)


@pytest.mark.parametrize(("text", "want"), [
    ("delta'(t)", DiracDelta(t, 1)),
    ("δ''(t)", DiracDelta(t, 2)),
    ("δ′(t - 1)", DiracDelta(t - 1, 1)),
    ("dirac'''(2t)", DiracDelta(2 * t, 3)),
    ("DiracDelta(t, 1)", DiracDelta(t, 1)),
    ("DiracDelta(t - 1, 2)", DiracDelta(t - 1, 2)),
    ("delta(t, 0)", DiracDelta(t)),
    ("3 delta'(t) + delta(t)", 3 * DiracDelta(t, 1) + DiracDelta(t)),
])
def test_read(text, want):
    assert parse(text) == want


@pytest.mark.parametrize(("text", "message"), [
    ("delta(t, 1/2)", "whole number"),
    ("delta(t, -1)", "whole number"),
    ("delta(t, 99)", "whole number from 0 to 20"),
    ("delta'(t, 1)", "takes 1 argument"),
    ("delta" + "'" * 21 + "(t)", "up to order 20"),
    ("delta(t, 1, 2)", "takes 1 argument"),
])
def test_refused(text, message):
    with pytest.raises(ParseError, match=message):
        parse(text)


@pytest.mark.parametrize("k", [1, 2, 3])
def test_derivative_of_the_other_signal(k):
    g = exp(-2 * t) * Heaviside(t - 1)
    y = convolve(parse("delta" + "'" * k + "(t)"), g, t)
    regular = y.replace(lambda e: isinstance(e, DiracDelta), lambda e: 0)
    for at in (Rational(3, 2), 2, 5):  # away from the jump: g's k-th derivative
        assert regular.subs(t, at) == diff(exp(-2 * t), t, k).subs(t, at)
    assert regular.subs(t, Rational(1, 2)) == 0
    # the jump of g at 1 (height e^{-2}) gives e^{-2} δ^{(k-1)}(t - 1) and lower orders
    assert y.coeff(DiracDelta(t - 1, k - 1) if k > 1 else DiracDelta(t - 1)) == E**-2


@pytest.mark.parametrize("text", ["delta(0)", "δ(a)", "delta'(2)", "DiracDelta(1, 1)"])
def test_an_impulse_of_a_constant_is_not_a_value(text):
    with pytest.raises(ParseError, match="not a value"):
        parse(text)


@pytest.mark.parametrize("text", [r"\sqrt[3]{t}", r"\sqrt[0]{t}", r"\sqrt[-1]{t}", r"\sqrt[n]{2}"])
def test_a_root_of_another_index_is_refused_not_misread(text):
    """``\\sqrt[3]{t}`` was read as √3·t."""
    with pytest.raises(ParseError, match="root of index"):
        parse(text)


def test_square_root_with_its_index():
    from sympy import sqrt

    assert parse(r"\sqrt[2]{t + 1}") == sqrt(t + 1) == parse(r"\sqrt{t + 1}")


def test_braced_subscripts_as_latex_writes_them():
    from sympy import Symbol

    from symconv.functions import u

    t0 = Symbol("t_0", real=True)
    assert parse("u(t - t_{0})") == u(t - t0) == parse("u(t - t_0)")
