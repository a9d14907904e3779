"""symconv: exact convolution of signals, sequences and distributions.

Examples
--------
>>> from sympy import Rational, exp, symbols
>>> from symconv import convolve, verify, u, rect
>>> t = symbols("t", real=True)
>>> y = convolve(2*exp(-t/2)*u(t), rect(t - Rational(1, 2)), t)
>>> y
Piecewise((0, t < 0), (4 - 4*exp(-t/2), t < 1), (4*(-1 + exp(1/2))*exp(-t/2), True))
"""

from symconv.api import convolve, correlate
from symconv.errors import (
    DivergenceError,
    ParseError,
    SymconvError,
    TimeLimitError,
    UndecidableError,
    UndecidableOrderError,
    UnsupportedInputError,
    VerificationError,
)
from symconv.functions import delta, ramp, rect, tri, u
from symconv.numeric.quadrature import verify
from symconv.numeric.report import VerifyReport
from symconv.parsing.parser import parse
from symconv.probability import (
    Bernoulli,
    Binomial,
    Cauchy,
    ChiSquared,
    Die,
    DiscreteUniform,
    Distribution,
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
    sum_iid,
)

__all__ = [
    "Bernoulli",
    "Binomial",
    "Cauchy",
    "ChiSquared",
    "Die",
    "DiscreteUniform",
    "Distribution",
    "Erlang",
    "Exponential",
    "Gamma",
    "Geometric",
    "IrwinHall",
    "Laplace",
    "NegativeBinomial",
    "Normal",
    "Poisson",
    "Triangular",
    "Uniform",
    "sum_iid",
    "DivergenceError",
    "ParseError",
    "SymconvError",
    "TimeLimitError",
    "UndecidableError",
    "UndecidableOrderError",
    "UnsupportedInputError",
    "VerificationError",
    "VerifyReport",
    "convolve",
    "correlate",
    "delta",
    "parse",
    "ramp",
    "rect",
    "tri",
    "u",
    "verify",
]
