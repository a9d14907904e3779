"""Sizes a picture cannot take are refused by name (a float overflow or a 10⁵-dpi canvas
used to end in a traceback)."""

from __future__ import annotations

import pytest
from sympy import Rational, symbols

from symconv.errors import UnsupportedInputError
from symconv.functions import rect
from symconv.plot import plot_convolution

t = symbols("t", real=True)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"at": Rational(10) ** 400}, "beyond what a picture can show"),
    ({"at": -Rational(10) ** 301}, "beyond what a picture can show"),
    ({"at": 0, "t_range": (0, Rational(10) ** 400)}, "beyond what a picture can show"),
    ({"at": 0, "dpi": 100000}, "dpi must be"),
    ({"at": 0, "figsize": (1e6, 3)}, "figsize"),
])
def test_refused(kwargs, message):
    with pytest.raises(UnsupportedInputError, match=message):
        plot_convolution(rect(t), rect(t), t, **kwargs)


def test_cyclic_period_is_bounded():
    from symconv import convolve
    from symconv.engine.finite import MAX_PERIOD

    with pytest.raises(UnsupportedInputError, match="at most"):
        convolve([1, 2], [1, 1], mode="cyclic", period=MAX_PERIOD + 1)
    assert convolve([1, 2, 3, 4], [1, 1], mode="cyclic", period=4) == [5, 3, 5, 7]
