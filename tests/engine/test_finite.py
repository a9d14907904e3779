"""Exact rational lists (:mod:`symconv.engine.finite`): the fast path that reads numerators and
denominators directly, against the exact direct sum over SymPy rationals."""

from __future__ import annotations

from fractions import Fraction
from numbers import Integral
from unittest.mock import patch

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy import Integer, Matrix, Rational, Symbol, nan, oo, zoo

from symconv import UnsupportedInputError, convolve
from symconv.engine.finite import _rational_items, convolve_finite, naive_convolution

values = st.one_of(
    st.integers(-10**6, 10**6),
    st.fractions(min_value=-1000, max_value=1000, max_denominator=1000),
    st.builds(Rational, st.integers(-99, 99), st.integers(1, 50)),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(values, min_size=1, max_size=12), st.lists(values, min_size=1, max_size=12))
def test_rational_lists_equal_the_direct_sum(a, b):
    want = naive_convolution([Rational(x) for x in a], [Rational(x) for x in b])
    got = convolve_finite(a, b)
    assert got == want
    if not all(isinstance(x, Integral) for x in a + b):  # (integer lists give Python ints)
        assert all(type(x) is type(y) for x, y in zip(got, want, strict=True))
        assert all(isinstance(x, Rational) for x in got)


@settings(max_examples=20, deadline=None)
@given(st.dictionaries(st.integers(-5, 5), values, min_size=1, max_size=6),
       st.lists(values, min_size=1, max_size=6),
       st.sampled_from(["full", "same", "valid", "cyclic"]))
def test_dicts_and_modes_agree_with_sympy_values(f, g, mode):
    with patch("symconv.engine.finite._rational_items", lambda x: None):  # the general route
        want = convolve_finite(f, g, mode=mode)
    assert convolve_finite(f, g, mode=mode) == want


def test_examples():
    assert convolve([Fraction(1, 2), 3], [Fraction(2, 3), Rational(1, 6)]) == [
        Rational(1, 3), Rational(25, 12), Rational(1, 2)]
    assert convolve([Fraction(1, 2), Fraction(1, 2)], [2, 2]) == [1, 2, 1]
    assert all(isinstance(x, Integer) for x in convolve([Fraction(4, 2)], [3, 1]))
    assert _rational_items([1.5, 2]) is None
    assert _rational_items([True]) is None


@pytest.mark.parametrize("values, where, what", [
    ([1, nan], "f[1]", "undefined value (nan)"),
    ({3: oo, 4: 1}, "f[3]", "infinite value (oo)"),
    ([zoo], "f[0]", "undefined value (zoo)"),
    ([float("nan"), 1], "f[0]", "undefined value (nan)"),
    ([1e400], "f[0]", "infinite value (oo)"),
    ([Matrix([1])], "f[0]", "ImmutableDenseMatrix"),
    ([Symbol("A", commutative=False)], "f[0]", "non-commutative"),
])
def test_values_that_are_not_numbers_are_refused_by_position(values, where, what):
    with pytest.raises(UnsupportedInputError) as err:
        convolve(values, [1, 1])
    assert str(err.value).startswith(where) and what in str(err.value)


def test_symbolic_values_are_still_values():
    a = Symbol("a")
    assert convolve([a, 1], [1, 1]) == [a, a + 1, 1]
