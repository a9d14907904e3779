"""Laws typed as text (symconv.probability.expressions.parse_law): the grammar's results equal
the constructors', and everything outside it is a ParseError with a position."""

import pytest
from sympy import Rational, sqrt

from symconv.errors import DistributionError, ParseError
from symconv.probability import Bernoulli, Die, Exponential, Normal, Uniform, sum_iid
from symconv.probability.expressions import MAX_LENGTH, parse_law


@pytest.mark.parametrize(("text", "law"), [
    ("Die(6) + Die(6)", Die(6) + Die(6)),
    ("Die()", Die(6)),
    ("Normal(0, 1) + Normal(1, 2)", Normal(0, 1) + Normal(1, 2)),
    ("2*Exponential(1) + 1", 2 * Exponential(1) + 1),
    ("Uniform(0, 1)/2 - 3", Uniform(0, 1) * Rational(1, 2) - 3),
    ("sum_iid(Bernoulli(0.5), 4)", sum_iid(Bernoulli(Rational(1, 2)), 4)),
    ("Normal(0, sqrt(2)) + Normal(0, 2^(1/2))", Normal(0, 2)),
])
def test_laws_equal_the_constructors(text, law):
    got = parse_law(text)
    assert got.mean() == law.mean() and got.variance() == law.variance()
    assert got.support == law.support
    assert repr(got) == repr(law)


def test_exact_numbers():
    assert parse_law("Normal(0.25, sqrt(2))").family == ("Normal", (Rational(1, 4), sqrt(2)))


@pytest.mark.parametrize(("text", "words"), [
    ("__import__('os').system('true')", "only a law's name may be called"),
    ("__import__('os')", "not part of the symconv language"),
    ("Die(6) + __import__('os')", "not part of the symconv language"),
    ("Die(6).__class__", "not accepted"),
    ("Die(6) * Die(6)", "product of two random variables"),
    ("1 / Die(6)", "cannot divide by a random variable"),
    ("Die(n=6)", "by position"),
    ("Die(*[6])", "* in a call"),
    ("Normal(0)", "takes 2 parameter(s), got 1"),
    ("sum_iid(Die(6), 1/2)", "whole number"),
    ("sum_iid(Die(6), 10^6)", "whole number from 1 to 1000"),
    ("lambda: 1", "cannot read this law"),
    ("3", "no law"),
    ("Dice(6)", "unknown law 'Dice'"),
    ("", "no law given"),
    ("Die(" * 20 + ")" * 20, "nested deeper"),
    ("Die(6) + " * 100 + "Die(6)", f"at most {MAX_LENGTH}"),
    ("+".join(["Die(2)"] * 30), "at most 24"),
    ("Normal(x, 1)", "a number or a named constant"),
])
def test_outside_the_grammar(text, words):
    with pytest.raises(ParseError) as err:
        parse_law(text)
    assert words in str(err.value)


def test_a_number_before_a_law_is_a_product_as_in_the_signal_syntax():
    assert parse_law("2 Uniform(0, 1) - 1").support == parse_law("2*Uniform(0, 1) - 1").support
    assert parse_law("3 Die(6)").table() == (3 * Die(6)).table()


def test_huge_tables_are_refused_at_once():
    import time

    from symconv.errors import DistributionError

    start = time.monotonic()
    for text in ("Die(10^9)", "DiscreteUniform(0, 10^8)", "Binomial(10^7, 1/2)"):
        with pytest.raises(DistributionError, match="at most 1000000 are tabulated"):
            parse_law(text)
    assert time.monotonic() - start < 5


def test_lambda_is_a_parameter_name():
    """``lambda`` (a Python keyword) is the textbook's rate: Poisson(λ) + Poisson(μ) is
    Poisson(λ + μ), checked against the pmf summed by hand at k = 0..4."""
    from sympy import exp, factorial

    law = parse_law("Poisson(lambda) + Poisson(mu)")
    lam, mu = sorted(law.mean().free_symbols, key=str)
    for k in range(5):
        by_hand = sum(exp(-lam) * lam**j / factorial(j) * exp(-mu) * mu**(k - j)
                      / factorial(k - j) for j in range(k + 1))
        assert (law.pmf(k) - by_hand).subs({lam: 2, mu: 3}).evalf(30) == 0


def test_default_facts_for_unnamed_parameters():
    """The command line's default: parameters are positive, and integers where they
    count; one symbol per name in every place it appears."""
    from sympy import Rational, symbols

    law = parse_law("Uniform(0, T) + Uniform(0, T)", default={"positive": True})
    (T,) = law.mean().free_symbols
    assert T.is_positive
    assert law.support == (0, 2 * T)
    assert law.pdf(Rational(1, 2)).subs(T, 1) == Rational(1, 2)  # the triangle at 1/2
    both = parse_law("Binomial(n, p) + Binomial(m, p)", default={"positive": True})
    n = symbols("n", positive=True, integer=True)
    assert n in both.mean().free_symbols
    assert both.pmf(2).subs({symbols("m", positive=True, integer=True): 1, n: 2,
                             symbols("p", positive=True): Rational(1, 2)}) == Rational(3, 8)
    with pytest.raises(DistributionError):
        parse_law("Uniform(0, T) + Uniform(0, T)", {"T": {"negative": True}},
                  default={"positive": True})
