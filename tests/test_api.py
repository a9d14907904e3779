"""The public entry points: the variable is checked before any mathematics; names import."""

import pytest
from sympy import Symbol, exp, symbols

import symconv
from symconv import UnsupportedInputError, convolve, rect, u

t, x = symbols("t x", real=True)


def test_signal_in_another_variable_is_named():
    with pytest.raises(UnsupportedInputError, match=r"did you mean convolve\(f, g, t\)"):
        convolve(exp(-t) * u(t), rect(t), x)
    with pytest.raises(UnsupportedInputError, match=r"did you mean convolve\(f, g, x\)"):
        convolve(exp(-x) * u(x), rect(x), t)


def test_symbol_with_other_assumptions_is_named():
    with pytest.raises(UnsupportedInputError, match="assumptions"):
        convolve(exp(-t) * u(t), rect(t), Symbol("t"))


def test_index_without_assumptions_is_not_read_as_time():
    n = Symbol("n")
    with pytest.raises(UnsupportedInputError, match="integer=True"):
        convolve(u(n), u(n), n)
    m = symbols("n", integer=True)
    y = convolve(u(m), u(m), m)
    assert [y.subs(m, k) for k in range(5)] == [k + 1 for k in range(5)]  # the direct sum


def test_constants_in_parameters_still_pass():
    a = symbols("a", positive=True)
    y = convolve(exp(-a * t) * u(t), 1, t)  # ∫ f: a constant
    assert y == 1 / a


@pytest.mark.parametrize("name", ["derive", "check_answer", "grade", "plot_convolution",
                                  "animate_convolution", "init_printing", "parse_law"])
def test_public_functions_import_from_the_package(name):
    assert callable(getattr(symconv, name))
    assert name in symconv.__all__
