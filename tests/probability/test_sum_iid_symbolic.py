"""``sum_iid(X, n)`` with a symbolic count: the closed family's law, which at n = 2, 3, 4
equals the law computed by convolving the copies (independently, number by number)."""

from __future__ import annotations

import pytest
from sympy import Rational, symbols

from symconv.errors import UnsupportedInputError
from symconv.probability import (
    Bernoulli,
    Binomial,
    Die,
    Exponential,
    Gamma,
    Geometric,
    Normal,
    Poisson,
    Uniform,
    sum_iid,
)

n = symbols("n", positive=True, integer=True)
x = symbols("x", real=True)


@pytest.mark.parametrize(("law", "points"), [
    (lambda: Exponential(2), (Rational(1, 3), 1, 3)),
    (lambda: Gamma(Rational(3, 2), 1), (Rational(1, 2), 2)),
    (lambda: Normal(1, 2), (-1, 0, Rational(5, 2))),
    (lambda: Poisson(Rational(3, 2)), (0, 1, 4, 7)),
    (lambda: Bernoulli(Rational(1, 3)), (0, 1, 2, 3)),
    (lambda: Binomial(2, Rational(1, 4)), (0, 3, 5)),
    (lambda: Geometric(Rational(1, 2)), (2, 4, 6)),
])
def test_symbolic_count_matches_the_convolved_copies(law, points):
    general = sum_iid(law(), n)
    for k in (2, 3, 4):
        direct = law()
        for _ in range(k - 1):
            direct = direct + law()  # the engine's convolution, copy by copy
        for v in points:
            if direct.is_discrete:
                got, want = general.pmf(v), direct.pmf(v)
            else:
                got, want = general.pdf(v), direct.pdf(v)
            assert abs((got.subs(n, k) - want).evalf(40)) < 1e-30, (k, v)
        assert general.mean().subs(n, k) == direct.mean()
        assert general.variance().subs(n, k) == direct.variance()


@pytest.mark.parametrize("law", [lambda: Die(6), lambda: Uniform(0, 1)])
def test_no_closed_form_is_said(law):
    with pytest.raises(UnsupportedInputError, match="closed under sums"):
        sum_iid(law(), n)


def test_a_count_must_be_declared_an_integer():
    with pytest.raises(UnsupportedInputError, match="positive and integer"):
        sum_iid(Exponential(1), symbols("m", positive=True))


def test_sizes_are_refused_before_any_work():
    """IrwinHall(10⁶) used to fill the memory (python-flint cannot be interrupted); now it
    and any sum of too many copies of a density are refused at once."""
    import time

    from symconv.errors import DistributionError
    from symconv.probability import IrwinHall, Triangular
    from symconv.probability.families import MAX_DENSITY_COPIES, MAX_IRWIN_HALL

    start = time.process_time()
    with pytest.raises(DistributionError, match="at most n = 500"):
        IrwinHall(10**6)
    with pytest.raises(DistributionError, match="at most n = 500"):
        sum_iid(Uniform(0, 1), MAX_IRWIN_HALL + 1)
    with pytest.raises(DistributionError, match="copies"):
        sum_iid(Triangular(0, 2, 1), MAX_DENSITY_COPIES + 1)
    assert time.process_time() - start < 5
    assert IrwinHall(3).pdf(Rational(3, 2)) == Rational(3, 4)  # (x² - 3(x - 1)²)/2 at 3/2
