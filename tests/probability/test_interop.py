"""Distribution to and from scipy.stats and sympy.stats, checked against the other library."""

import pytest
import sympy.stats as ss
from sympy import Eq, Rational

from symconv import (
    Binomial,
    Die,
    Distribution,
    Exponential,
    IrwinHall,
    Normal,
    Poisson,
    SymconvError,
    Uniform,
)
from symconv.probability.expressions import parse_law

st = pytest.importorskip("scipy.stats")


@pytest.mark.parametrize(("frozen", "expected"), [
    (lambda: st.norm(1, 0.5), Normal(1, Rational(1, 2))),
    (lambda: st.expon(scale=0.25), Exponential(4)),
    (lambda: st.uniform(2, 3), Uniform(2, 5)),
    (lambda: st.poisson(2.5), Poisson(Rational(5, 2))),
    (lambda: st.binom(10, 0.5), Binomial(10, Rational(1, 2))),
    (lambda: st.randint(1, 7), Die(6)),
])
def test_from_scipy_gives_the_same_law(frozen, expected):
    law = Distribution.from_scipy(frozen())
    assert float(law.mean()) == pytest.approx(frozen().mean())
    assert float(law.variance()) == pytest.approx(frozen().var())
    assert float(law.mean()) == pytest.approx(float(expected.mean()))


@pytest.mark.parametrize("law", [
    IrwinHall(3), Exponential(2) + Exponential(3), Uniform(0, 1) + Uniform(0, 2),
    Die(6) + Die(6), Normal(0, 1) + Normal(1, 2),
])
def test_to_scipy_matches_the_exact_moments_and_cdf(law):
    frozen = law.to_scipy()
    assert frozen.mean() == pytest.approx(float(law.mean()), rel=1e-7)
    assert frozen.var() == pytest.approx(float(law.variance()), rel=1e-6)
    x = float(law.mean())
    assert frozen.cdf(x) == pytest.approx(float(law.cdf(law.mean()).evalf(20)), abs=1e-7)


def test_scipy_frozen_law_is_not_silently_taken():
    with pytest.raises(SymconvError, match="from_scipy"):
        Distribution(st.norm(0, 1))
    with pytest.raises(SymconvError, match="no exact counterpart"):
        Distribution.from_scipy(st.lognorm(1))


def test_sympy_stats_both_ways():
    assert repr(Normal(0, 1) + ss.Normal("Y", 0, 1)) == repr(Normal(0, 1) + Normal(0, 1))
    X = (Die(6) + Die(6)).to_sympy_stats()
    assert ss.P(Eq(X, 7)) == Rational(1, 6)
    assert ss.E(Normal(3, 2).to_sympy_stats("Z")) == 3
    assert Distribution.from_sympy_stats(ss.Poisson("N", 2)).mean() == 2


def test_parse_law_matches_the_api():
    assert parse_law("Die(6) + Die(6)").table() == (Die(6) + Die(6)).table()
    assert repr(parse_law("Normal(0, 1) + Normal(0, 1)")) == repr(Normal(0, 1) + Normal(0, 1))
    with pytest.raises(SymconvError, match="unexpected character|unknown law"):
        parse_law("__import__('os')")
