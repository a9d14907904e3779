"""Probability: exact laws of sums of independent random variables.

The law of ``X + Y`` is the convolution of the laws. A :class:`Distribution`
is one of

* a **finite lattice law** — ``P(X = base + step·i) = wᵢ`` — held, when the
  weights are rational, as one python-flint integer polynomial over a common
  denominator, so sums are polynomial products and ``sum_iid`` a polynomial
  power (1000 dice in milliseconds);
* a **lattice law** with infinite support, a closed-form pmf in the index
  (Geometric, Negative binomial, Poisson), summed by the discrete engine or by
  family rules;
* a **density**, possibly with atoms (``DiracDelta`` terms), summed by the
  continuous engine.

Named families (:mod:`~symconv.probability.families`) are recognised in sums (``Poisson + Poisson``,
``Binomial(n, p) + Binomial(m, p)``, ``Normal + Normal``, ...). Means and
variances are carried exactly and add.

Examples
--------
>>> from sympy import Rational, symbols
>>> two = Die(6) + Die(6)
>>> two.pmf(7), two.pmf(2), two.mean(), two.variance()
(1/6, 1/36, 7, 35/6)
>>> l1, l2 = symbols("lambda1 lambda2", positive=True)
>>> Poisson(l1) + Poisson(l2)
Poisson(lambda1 + lambda2)
>>> (Exponential(2) + Exponential(2)).family
('Gamma', (2, 2))
"""

# The rules that name a result need the families, which need the class: the class reads them
# from this table (see symconv.probability.distribution), so imports flow one way.
from symconv.probability import interop  # noqa: E402 - needs the families above
from symconv.probability.distribution import Distribution, _install_rules
from symconv.probability.families import (
    Bernoulli,
    Binomial,
    Cauchy,
    ChiSquared,
    Die,
    DiscreteUniform,
    Erlang,
    Exponential,
    Gamma,
    Geometric,
    IrwinHall,
    Laplace,
    NegativeBinomial,
    Normal,
    Poisson,
    Triangular,
    Uniform,
    _family_affine,
    _family_sum,
    sum_iid,
)
from symconv.probability.lattice2d import Lattice2D, sum_iid2d
from symconv.probability.recognise import _recognise_pmf

_install_rules(family_sum=_family_sum, family_affine=_family_affine,
               recognise_pmf=_recognise_pmf, interop=interop)

__all__ = [
    "Distribution",
    "sum_iid",
    "Bernoulli",
    "Binomial",
    "Poisson",
    "Geometric",
    "NegativeBinomial",
    "DiscreteUniform",
    "Die",
    "Uniform",
    "Exponential",
    "Gamma",
    "Erlang",
    "Normal",
    "Cauchy",
    "ChiSquared",
    "Triangular",
    "Laplace",
    "IrwinHall",
    "Lattice2D",
    "sum_iid2d",
]
