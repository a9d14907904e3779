"""Named laws (``Normal``, ``Poisson``, ``Die``, ...), their rules for sums and affine images,
and :func:`sum_iid`.

Examples
--------
>>> from sympy import symbols
>>> l1, l2 = symbols("lambda1 lambda2", positive=True)
>>> Poisson(l1) + Poisson(l2)
Poisson(lambda1 + lambda2)
>>> sum_iid(Bernoulli(Rational(1, 3)), 4)
Binomial(4, 1/3)
"""

from __future__ import annotations

from math import comb
from math import factorial as ifactorial

from sympy import (
    Abs,
    Integer,
    Piecewise,
    Rational,
    S,
    binomial,
    exp,
    expand_func,
    factorial,
    gamma,
    oo,
    pi,
    sqrt,
    sympify,
)

from symconv.errors import DistributionError, UnsupportedInputError
from symconv.functions import u
from symconv.probability.distribution import Distribution, _affine, in_force
from symconv.probability.representation import (
    _K,
    _X,
    NotRealError,
    _canonical_pdf,
    _s,
    _Weights,
)

__all__ = [
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
]


# ---------------------------------------------------------------------------
# named families
# ---------------------------------------------------------------------------
def _require(condition, message):
    """Refuse a parameter that is certainly outside its range (symbols pass when unsure)."""
    if condition == S.false or condition is False:
        raise DistributionError(message)


def _param(v, name):
    """A family's parameter: exact, and finite (``nan``, ``oo`` are refused by name)."""
    try:
        v = _s(v, name)
    except NotRealError as err:  # nan, zoo, a complex number
        raise DistributionError(f"the parameter {name} must be finite and real ({err})") \
            from None
    if v.has(S.NaN, S.ComplexInfinity, S.Infinity, S.NegativeInfinity):
        raise DistributionError(f"the parameter {name} must be finite, got {v}")
    if v.is_extended_real is False or any(x.is_extended_real is False for x in v.free_symbols):
        raise DistributionError(f"the parameter {name} must be real, got {v}")
    return v


def _positive(v, name, family):
    _require(sympify(v, strict=True) > 0, f"{family}: {name} must be positive, got {v}")


def _probability(p, family, open_low=False):
    p = sympify(p, strict=True)
    _require(p > 0 if open_low else p >= 0, f"{family}: p must be in [0, 1], got {p}")
    _require(p <= 1, f"{family}: p must be in [0, 1], got {p}")


def _with_support(X, lo, hi):
    X._supp = (sympify(lo, strict=True), sympify(hi, strict=True))
    return X


def _named(X, name, params, mean, var):
    if X._kind == "density" and X._pdf_expr is not None:
        X._pdf_expr = _canonical_pdf(X._pdf_expr)
    X._family = (name, tuple(params))
    X._mean, X._var = mean, var
    return X


#: A law given by its table has at most this many values (Die(10**9) is refused at once,
#: not built value by value).
MAX_VALUES = 1_000_000


def _check_values(count, name):
    if count > MAX_VALUES:
        raise DistributionError(
            f"{name} would have {count} values; at most {MAX_VALUES} are tabulated (use a "
            f"symbolic parameter, e.g. Binomial(n, p) with n integer, for a general formula)")


def _finite_family(vals, base, name, params, mean, var):
    X = Distribution._finite(base, S.One, _Weights.from_list(vals))
    return _named(X, name, params, mean, var)


def Bernoulli(p):  # noqa: N802 - distribution names are capitalised, as in sympy.stats
    """``P(X = 1) = p``, ``P(X = 0) = 1 - p``.

    >>> Bernoulli(Rational(1, 3)).pmf(1)
    1/3
    """
    p = _param(p, "p")
    _probability(p, "Bernoulli")
    return _finite_family([1 - p, p], S.Zero, "Bernoulli", (p,), p, p * (1 - p))


def Binomial(n, p):  # noqa: N802
    """Successes in ``n`` trials with probability ``p`` (``n`` a non-negative integer).

    >>> Binomial(4, Rational(1, 2)).pmf(2)
    3/8
    """
    n, p = _param(n, "n"), _param(p, "p")
    _probability(p, "Binomial")
    if not n.is_Integer and n.is_integer and n.is_nonnegative:
        X = Distribution("lattice", pmf=binomial(n, _K) * p**_K * (1 - p) ** (n - _K),
                         lo=S.Zero, hi=n)
        return _named(_with_support(X, 0, n), "Binomial", (n, p), n * p, n * p * (1 - p))
    if not (n.is_Integer and n >= 0):
        raise DistributionError(
            f"Binomial needs a non-negative integer n (a number, or a symbol declared "
            f"integer and nonnegative), got {n}")
    _check_values(int(n) + 1, f"Binomial({n}, p)")
    vals = [binomial(n, k) * p**k * (1 - p) ** (n - k) for k in range(int(n) + 1)]
    return _finite_family(vals, S.Zero, "Binomial", (n, p), n * p, n * p * (1 - p))


def DiscreteUniform(a, b):  # noqa: N802
    """Uniform on the integers ``a, a+1, ..., b``.

    >>> DiscreteUniform(1, 4).mean()
    5/2
    """
    a, b = _param(a, "a"), _param(b, "b")
    if not (a.is_Integer and b.is_Integer) or b < a:
        raise DistributionError(f"DiscreteUniform needs integers a <= b, got {a}, {b}")
    m = int(b - a) + 1
    _check_values(m, f"DiscreteUniform({a}, {b})")
    return _finite_family([Rational(1, m)] * m, a, "DiscreteUniform", (a, b), (a + b) / 2,
                          Rational(m * m - 1, 12))


def Die(n=6):  # noqa: N802
    """A fair die with faces ``1..n``.

    >>> Die(6).variance()
    35/12
    """
    n = _param(n, "n")
    if not (n.is_Integer and n >= 1):
        raise DistributionError(f"Die needs a positive integer number of faces, got {n}")
    _check_values(int(n), f"Die({n})")
    X = DiscreteUniform(1, n)
    X._family = ("Die", (n,))
    return X


def Poisson(lam):  # noqa: N802
    """``P(X = k) = λᵏ e^{-λ} / k!``, ``k ≥ 0``.

    >>> Poisson(2).pmf(0)
    exp(-2)
    """
    lam = _param(lam, "lambda")
    _positive(lam, "lambda", "Poisson")
    X = Distribution("lattice", pmf=lam**_K * exp(-lam) / factorial(_K), lo=S.Zero, hi=oo)
    return _named(X, "Poisson", (lam,), lam, lam)


def Geometric(p):  # noqa: N802
    """Trials until the first success: ``P(X = k) = p (1-p)^{k-1}``, ``k ≥ 1``.

    >>> Geometric(Rational(1, 2)).pmf(3)
    1/8
    """
    p = _param(p, "p")
    _probability(p, "Geometric", open_low=True)
    X = Distribution("lattice", pmf=p * (1 - p) ** (_K - 1), lo=S.One, hi=oo)
    return _named(X, "Geometric", (p,), 1 / p, (1 - p) / p**2)


def NegativeBinomial(r, p):  # noqa: N802
    """Trials until the ``r``-th success: ``C(k-1, r-1) pʳ (1-p)^{k-r}``, ``k ≥ r``.

    >>> NegativeBinomial(2, Rational(1, 2)).pmf(3)
    1/4
    """
    r, p = _param(r, "r"), _param(p, "p")
    _probability(p, "NegativeBinomial", open_low=True)
    _positive(r, "r", "NegativeBinomial")
    pmf = expand_func(binomial(_K - 1, r - 1)) * p**r * (1 - p) ** (_K - r)
    X = Distribution("lattice", pmf=pmf, lo=r, hi=oo)
    return _named(X, "NegativeBinomial", (r, p), r / p, r * (1 - p) / p**2)


def Uniform(a, b):  # noqa: N802
    """Uniform density on ``[a, b]``.

    >>> Uniform(0, 2).pdf(1)
    1/2
    """
    a, b = _param(a, "a"), _param(b, "b")
    _require(b > a, f"Uniform needs a < b, got {a}, {b}")
    facts = () if (b > a) == S.true else (a < b,)  # the law itself says a < b
    with in_force(facts):
        X = Distribution("density", pdf=(u(_X - a) - u(_X - b)) / (b - a))
        X._facts = facts
        return _named(_with_support(X, a, b), "Uniform", (a, b), (a + b) / 2,
                      (b - a) ** 2 / 12)


def Exponential(rate):  # noqa: N802
    """Density ``λ e^{-λx}`` for ``x ≥ 0`` (``λ`` is the rate).

    >>> Exponential(3).mean()
    1/3
    """
    lam = _param(rate, "rate")
    _positive(lam, "rate", "Exponential")
    X = Distribution("density", pdf=lam * exp(-lam * _X) * u(_X))
    return _named(_with_support(X, 0, oo), "Exponential", (lam,), 1 / lam, 1 / lam**2)


def Gamma(shape, rate):  # noqa: N802
    """Density ``λᵏ x^{k-1} e^{-λx} / Γ(k)`` for ``x > 0`` (shape ``k``, *rate* ``λ``).

    ``Exponential(λ) + Exponential(λ)`` is ``Gamma(2, λ)``.

    >>> Gamma(2, 3).variance()
    2/9
    """
    k, lam = _param(shape, "shape"), _param(rate, "rate")
    _positive(k, "shape", "Gamma")
    _positive(lam, "rate", "Gamma")
    X = Distribution("density", pdf=lam**k * _X ** (k - 1) * exp(-lam * _X) / gamma(k) * u(_X))
    return _named(_with_support(X, 0, oo), "Gamma", (k, lam), k / lam, k / lam**2)


def Erlang(k, rate):  # noqa: N802
    """Gamma with an integer shape ``k``.

    >>> Erlang(2, 1).family
    ('Gamma', (2, 1))
    """
    return Gamma(k, rate)


def Normal(mu, sigma):  # noqa: N802
    """Normal with mean ``mu`` and standard deviation ``sigma``.

    >>> Normal(0, 1) + Normal(1, 1)
    Normal(1, sqrt(2))
    """
    mu, sigma = _param(mu, "mu"), _param(sigma, "sigma")
    _positive(sigma, "sigma", "Normal")
    X = Distribution("density",
                     pdf=exp(-((_X - mu) ** 2) / (2 * sigma**2)) / (sigma * sqrt(2 * pi)))
    return _named(X, "Normal", (mu, sigma), mu, sigma**2)


def Cauchy(x0, scale):  # noqa: N802
    """Cauchy with location ``x0`` and scale ``γ`` (no mean, no variance).

    >>> Cauchy(0, 1) + Cauchy(0, 2)
    Cauchy(0, 3)
    """
    x0, g = _param(x0, "x0"), _param(scale, "scale")
    _positive(g, "scale", "Cauchy")
    X = Distribution("density", pdf=1 / (pi * g * (1 + ((_X - x0) / g) ** 2)))
    return _named(X, "Cauchy", (x0, g), S.NaN, S.NaN)


def ChiSquared(k):  # noqa: N802
    """Chi-squared with ``k`` degrees of freedom (Gamma(k/2, 1/2)).

    >>> ChiSquared(4).mean()
    4
    """
    k = _param(k, "k")
    X = Gamma(k / 2, S.Half)
    X._family = ("ChiSquared", (k,))
    return X


def Triangular(a, b, c):  # noqa: N802
    """Triangular on ``[a, b]`` with mode ``c`` (as ``sympy.stats.Triangular``).

    >>> Triangular(0, 2, 1).pdf(1)
    1
    """
    a, b, c = _param(a, "a"), _param(b, "b"), _param(c, "c")
    _require(a < b, f"Triangular needs a < b, got {a}, {b}")
    _require(a <= c, f"Triangular needs a <= c <= b, got c = {c}")
    _require(c <= b, f"Triangular needs a <= c <= b, got c = {c}")
    pdf = Piecewise((0, _X < a), (2 * (_X - a) / ((b - a) * (c - a)), _X < c),
                    (2 * (b - _X) / ((b - a) * (b - c)), _X < b), (0, True))
    X = Distribution("density", pdf=pdf)
    return _named(X, "Triangular", (a, b, c), (a + b + c) / 3,
                  (a**2 + b**2 + c**2 - a * b - a * c - b * c) / 18)


def Laplace(mu, b):  # noqa: N802
    """Density ``e^{-|x-μ|/b} / (2b)``.

    >>> Laplace(0, 1).variance()
    2
    """
    mu, b = _param(mu, "mu"), _param(b, "b")
    _positive(b, "b", "Laplace")
    X = Distribution("density", pdf=exp(-Abs(_X - mu) / b) / (2 * b))
    return _named(X, "Laplace", (mu, b), mu, 2 * b**2)


#: The largest IrwinHall(n) built exactly (n = 500: about two seconds).
MAX_IRWIN_HALL = 500

#: The most copies of a density without a closed family that ``sum_iid`` convolves.
MAX_DENSITY_COPIES = 1000


def IrwinHall(n):  # noqa: N802
    """The sum of ``n`` independent Uniform(0, 1): an exact piecewise polynomial density,
    built with python-flint (``n = 100`` in well under a second).

    >>> IrwinHall(2).pdf(Rational(1, 2))
    1/2
    """
    import flint

    if not (isinstance(n, int) or getattr(n, "is_Integer", False)) or int(n) < 1:
        raise DistributionError(f"IrwinHall needs a positive integer n, got {n!r}")
    n = int(n)
    if n > MAX_IRWIN_HALL:  # n pieces of degree n - 1: n² coefficients of ~n log n bits
        raise DistributionError(
            f"IrwinHall({n}) would be {n} polynomial pieces of degree {n - 1}; at most "
            f"n = {MAX_IRWIN_HALL} is built exactly (its law is then close to "
            f"Normal({Rational(n, 2)}, sqrt({Rational(n, 12)})), which symconv does not "
            "substitute for it)")
    pieces = []
    acc = flint.fmpq_poly([0])
    scale = flint.fmpq(1, ifactorial(n - 1))
    for j in range(n):
        term = flint.fmpq_poly([-j, 1]) ** (n - 1) * (comb(n, j) * (-1) ** j)
        acc = acc + term
        pieces.append(acc * scale)
    X = _with_support(Distribution("density"), 0, n)
    X._pdf_pieces = [(j, j + 1, p) for j, p in enumerate(pieces)]
    return _named(X, "IrwinHall", (Integer(n),), Rational(n, 2), Rational(n, 12))


# ---------------------------------------------------------------------------
# family rules: sums, affine images, sums of copies
# ---------------------------------------------------------------------------
_SAME_LAST = {"Binomial": 1, "NegativeBinomial": 1, "Gamma": 1}


def _family_sum(a, b):
    if a is None or b is None:
        return None
    (na, pa), (nb, pb) = a, b
    canon = {"Bernoulli": ("Binomial", lambda p: (1, p[0])),
             "Exponential": ("Gamma", lambda p: (1, p[0])),
             "Erlang": ("Gamma", lambda p: p),
             "Geometric": ("NegativeBinomial", lambda p: (1, p[0])),
             "ChiSquared": ("Gamma", lambda p: (p[0] / 2, S.Half))}
    if na in canon:
        na, pa = canon[na][0], canon[na][1](pa)
    if nb in canon:
        nb, pb = canon[nb][0], canon[nb][1](pb)
    if na != nb:
        return None
    if na == "Poisson":
        return Poisson(pa[0] + pb[0])
    if na == "Normal":
        return Normal(pa[0] + pb[0], sqrt(pa[1] ** 2 + pb[1] ** 2))
    if na == "Cauchy":
        return Cauchy(pa[0] + pb[0], pa[1] + pb[1])
    if na in _SAME_LAST and pa[1] == pb[1]:
        if na == "Binomial":
            return Binomial(pa[0] + pb[0], pa[1])
        if na == "NegativeBinomial":
            return NegativeBinomial(pa[0] + pb[0], pa[1])
        return Gamma(pa[0] + pb[0], pa[1])
    return None


def _family_affine(fam, a, b):
    if fam is None:
        return None
    name, p = fam
    if name == "Normal":
        return Normal(a * p[0] + b, Abs(a) * p[1])
    if name == "Cauchy":
        return Cauchy(a * p[0] + b, Abs(a) * p[1])
    if name == "Laplace":
        return Laplace(a * p[0] + b, Abs(a) * p[1])
    if name == "Uniform" and a.is_positive:
        return Uniform(a * p[0] + b, a * p[1] + b)
    if name in ("Exponential", "Gamma", "Erlang") and b == 0 and a.is_positive:
        if name == "Exponential":
            return Exponential(p[0] / a)
        return Gamma(p[0], p[1] / a)
    return None


def sum_iid(X, n):
    """The law of ``X₁ + … + Xₙ`` for independent copies of ``X``, exactly.

    Closed families stay closed (``n`` Bernoulli → Binomial, Uniform(0, 1) →
    Irwin–Hall, ...); finite laws use one exact polynomial power.

    >>> sum_iid(Die(6), 100).pmf(350) == sum_iid(Die(6), 100).pmf(350)
    True
    >>> sum_iid(Uniform(0, 1), 3).pdf(Rational(3, 2))
    3/4
    """
    X = _from_sympy_stats(X) if not isinstance(X, Distribution) else X
    symbolic = getattr(n, "free_symbols", None) and n.is_integer and n.is_positive
    if not symbolic and (not (isinstance(n, int) or (hasattr(n, "is_Integer") and n.is_Integer))
                         or n < 1):
        raise UnsupportedInputError(
            f"n must be a positive integer, or a symbol declared positive and integer "
            f"(symbols('n', positive=True, integer=True)), got {n!r}")
    if not symbolic:
        n = int(n)
        if n == 1:
            return X
    fam = X._family
    if fam is not None:
        name, p = fam
        rules = {
            "Bernoulli": lambda: Binomial(n, p[0]),
            "Binomial": lambda: Binomial(n * p[0], p[1]),
            "Poisson": lambda: Poisson(n * p[0]),
            "Geometric": lambda: NegativeBinomial(n, p[0]),
            "NegativeBinomial": lambda: NegativeBinomial(n * p[0], p[1]),
            "Exponential": lambda: Gamma(n, p[0]),
            "Gamma": lambda: Gamma(n * p[0], p[1]),
            "Erlang": lambda: Gamma(n * p[0], p[1]),
            "Normal": lambda: Normal(n * p[0], sqrt(n) * p[1]),
            "Cauchy": lambda: Cauchy(n * p[0], n * p[1]),
            "ChiSquared": lambda: ChiSquared(n * p[0]),
        }
        if name in rules:
            return rules[name]()
        if name == "Uniform" and not symbolic:
            a, b = p
            Z = IrwinHall(n)
            return Z if (a, b) == (0, 1) else _affine(Z, b - a, n * a)
    if symbolic:
        raise UnsupportedInputError(
            f"the sum of {n} copies has no closed form here: a symbolic count is summed for "
            "families closed under sums (Bernoulli, Binomial, Poisson, Geometric, "
            "NegativeBinomial, Exponential, Gamma, Erlang, Normal, Cauchy, ChiSquared); "
            f"give {n} a value")
    if X._kind == "finite":
        Z = Distribution._finite(n * X._base, X._step, X._weights.power(n))
        Z._mean = n * X.mean()
        Z._var = n * X.variance()
        return Z
    if n > MAX_DENSITY_COPIES:
        raise DistributionError(
            f"the sum of {n} copies of a density with no closed family is not built (at "
            f"most {MAX_DENSITY_COPIES} copies: each doubling multiplies its pieces)")
    out, base, k = None, X, n
    while k:
        if k & 1:
            out = base if out is None else out + base
        k >>= 1
        if k:
            base = base + base
    return out


def _items(args):
    """The items of a sympy.stats DiscreteUniform (one list argument, or the items)."""
    if len(args) == 1 and hasattr(args[0], "__iter__"):
        return list(args[0])
    return list(args)


def _from_sympy_stats(rv):
    """A ``sympy.stats`` random variable as a Distribution (named families)."""
    try:
        dist = rv.pspace.distribution
    except AttributeError:
        raise UnsupportedInputError(f"not a Distribution or sympy.stats variable: {rv!r}") from None
    name = type(dist).__name__.replace("Distribution", "")
    args = dist.args
    table = {
        "Die": lambda: Die(args[0]),
        "Bernoulli": lambda: Bernoulli(args[0]),
        "Binomial": lambda: Binomial(args[0], args[1]),
        "Poisson": lambda: Poisson(args[0]),
        "Geometric": lambda: Geometric(args[0]),
        "Exponential": lambda: Exponential(args[0]),
        "Uniform": lambda: Uniform(args[0], args[1]),
        "Normal": lambda: Normal(args[0], args[1]),
        "Gamma": lambda: Gamma(args[0], 1 / args[1]),
        "Erlang": lambda: Erlang(args[0], args[1]),
        "Cauchy": lambda: Cauchy(args[0], args[1]),
        "ChiSquared": lambda: ChiSquared(args[0]),
        "Laplace": lambda: Laplace(args[0], args[1]),
        "DiscreteUniform": lambda: Distribution.from_pmf(
            {v: S.One / len(_items(args)) for v in _items(args)}),
    }
    if name not in table:
        raise UnsupportedInputError(f"the sympy.stats distribution {name} is not supported")
    return table[name]()
