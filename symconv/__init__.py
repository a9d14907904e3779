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

# Everything else is imported on first use (module ``__getattr__``, PEP 562): ``import
# symconv`` costs little more than the errors, ``symconv --help`` imports no SymPy, and
# ``from symconv import convolve`` loads the engine then.
_LAZY = {
    "convolve": "symconv.api", "correlate": "symconv.api",
    "delta": "symconv.functions", "ramp": "symconv.functions", "rect": "symconv.functions",
    "tri": "symconv.functions", "u": "symconv.functions",
    "verify": "symconv.numeric.quadrature", "VerifyReport": "symconv.numeric.report",
    "parse": "symconv.parsing.parser",
    **dict.fromkeys((
        "Bernoulli", "Binomial", "Cauchy", "ChiSquared", "Die", "DiscreteUniform",
        "Distribution", "Erlang", "Exponential", "Gamma", "Geometric", "IrwinHall", "Laplace",
        "NegativeBinomial", "Normal", "Poisson", "Triangular", "Uniform", "sum_iid"),
        "symconv.probability"),
    "parse_law": "symconv.probability.expressions",
    "derive": "symconv.teaching.derivation",
    "check_answer": "symconv.teaching.check",
    "grade": "symconv.teaching.grade",
    "init_printing": "symconv.teaching.render.display",
    "textbook": "symconv.teaching.render.display",
    "textbook_latex": "symconv.teaching.render.display",
    "plot_convolution": "symconv.plot.figures",
    "animate_convolution": "symconv.plot.animation",
}


def __getattr__(name):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'symconv' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # the next access is a plain attribute
    return value


def __dir__():
    return sorted(set(globals()) | set(_LAZY))


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
    "animate_convolution",
    "check_answer",
    "convolve",
    "correlate",
    "derive",
    "grade",
    "init_printing",
    "parse_law",
    "plot_convolution",
    "textbook",
    "textbook_latex",
    "delta",
    "parse",
    "ramp",
    "rect",
    "tri",
    "u",
    "verify",
]
