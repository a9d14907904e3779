"""A :class:`~symconv.probability.distribution.Distribution` to and from the libraries
users already hold: ``scipy.stats`` (frozen laws, floats: numeric use) and
``sympy.stats`` (random symbols, exact).

* :func:`from_scipy` reads the common frozen laws (``norm``, ``expon``, ``uniform``,
  ``gamma``, ``erlang``, ``cauchy``, ``laplace``, ``chi2``, ``poisson``, ``binom``,
  ``bernoulli``, ``geom``, ``randint``, ``nbinom``), their floats read exactly as the
  decimals they print (``0.1`` is ``1/10``), ``loc`` and ``scale`` applied exactly.
* :func:`to_scipy` gives the scipy family when there is one, else a law built from the
  closed form: an ``rv_discrete`` of a finite pmf, ``rv_discrete``/``rv_continuous``
  subclasses whose ``pmf``/``pdf`` is the exact expression evaluated in floats
  (Irwin–Hall, hypoexponential, any sum of densities).
* :func:`to_sympy_stats` gives the ``sympy.stats`` random symbol of a named law, or a
  ``FiniteRV``/``ContinuousRV`` of its pmf or density.

Examples
--------
>>> import scipy.stats as st
>>> from symconv.probability import Normal, Die
>>> from_scipy(st.norm(1, 0.5))
Normal(1, 1/2)
>>> from_scipy(st.expon(scale=0.25))
Exponential(4)
>>> round(float(to_scipy(Die(6) + Die(6)).pmf(7)), 6)
0.166667
>>> to_sympy_stats(Normal(0, 1), "Z")
Z
"""

from __future__ import annotations

from sympy import Rational, S, Symbol, lambdify, oo

from symconv.errors import UnsupportedInputError
from symconv.probability import families

__all__ = ["from_scipy", "from_sympy_stats", "to_scipy", "to_sympy_stats"]


def _exact(v):
    """A float as the decimal it prints (``0.1`` → ``1/10``); integers stay integers."""
    if isinstance(v, int):
        return S(v)
    return Rational(repr(float(v)))


# scipy name -> (symconv law from the shape arguments, shape names, discrete?)
_SCIPY = {
    "norm": (lambda: families.Normal(0, 1), 0),
    "expon": (lambda: families.Exponential(1), 0),
    "uniform": (lambda: families.Uniform(0, 1), 0),
    "cauchy": (lambda: families.Cauchy(0, 1), 0),
    "laplace": (lambda: families.Laplace(0, 1), 0),
    "gamma": (lambda a: families.Gamma(a, 1), 1),
    "erlang": (lambda a: families.Erlang(a, 1), 1),
    "chi2": (lambda k: families.ChiSquared(k), 1),
    "poisson": (lambda mu: families.Poisson(mu), 1),
    "binom": (lambda n, p: families.Binomial(n, p), 2),
    "bernoulli": (lambda p: families.Bernoulli(p), 1),
    "geom": (lambda p: families.Geometric(p), 1),
    "randint": (lambda lo, hi: families.DiscreteUniform(lo, hi - 1), 2),
    "nbinom": (lambda r, p: families.NegativeBinomial(r, p) - r, 2),
}


def from_scipy(frozen):
    """The exact law of a frozen ``scipy.stats`` distribution.

    >>> import scipy.stats as st
    >>> from_scipy(st.binom(10, 0.5))
    Binomial(10, 1/2)
    >>> from_scipy(st.uniform(loc=2, scale=3))
    Uniform(2, 5)
    """
    dist = getattr(frozen, "dist", None)
    name = getattr(dist, "name", None)
    if name is None or not hasattr(frozen, "args"):
        raise UnsupportedInputError(
            f"from_scipy needs a frozen scipy.stats law such as scipy.stats.norm(0, 1), got "
            f"{type(frozen).__name__}")
    if name not in _SCIPY:
        raise UnsupportedInputError(
            f"scipy.stats.{name} has no exact counterpart here; accepted: "
            f"{', '.join(sorted(_SCIPY))} (or build the law with Distribution.from_pdf)")
    make, n_shapes = _SCIPY[name]
    args = list(frozen.args)
    kwds = dict(frozen.kwds)
    shapes = args[:n_shapes]
    rest = args[n_shapes:]
    shape_names = (dist.shapes or "").replace(" ", "").split(",") if dist.shapes else []
    for i, key in enumerate(shape_names):
        if key in kwds and i >= len(shapes):
            shapes.append(kwds.pop(key))
    loc = kwds.pop("loc", rest[0] if rest else 0)
    scale = kwds.pop("scale", rest[1] if len(rest) > 1 else 1)
    if kwds:
        raise UnsupportedInputError(f"scipy.stats.{name}: unexpected arguments {sorted(kwds)}")
    law = make(*[_exact(v) for v in shapes])
    loc, scale = _exact(loc), _exact(scale)
    if law.is_discrete and scale != 1:
        raise UnsupportedInputError(f"a discrete scipy law has no scale (got {scale})")
    if scale != 1:
        law = scale * law
    return law + loc if loc != 0 else law


def _floats(params, law):
    try:
        return [float(p) for p in params]
    except TypeError:
        raise UnsupportedInputError(
            f"{law!r} has symbolic parameters: substitute numbers before to_scipy") from None


def to_scipy(law):
    """A frozen ``scipy.stats`` law (floats: for numeric use only).

    >>> from symconv.probability import Exponential, IrwinHall
    >>> round(float(to_scipy(IrwinHall(3)).pdf(1.5)), 6)
    0.75
    >>> round(float(to_scipy(Exponential(2) + Exponential(3)).mean()), 6)
    0.833333
    """
    import scipy.stats as st

    if law.family:
        name, params = law.family
        table = {
            "Normal": lambda p: st.norm(p[0], p[1]),
            "Exponential": lambda p: st.expon(scale=1 / p[0]),
            "Gamma": lambda p: st.gamma(p[0], scale=1 / p[1]),
            "Erlang": lambda p: st.gamma(p[0], scale=1 / p[1]),
            "Uniform": lambda p: st.uniform(p[0], p[1] - p[0]),
            "Poisson": lambda p: st.poisson(p[0]),
            "Binomial": lambda p: st.binom(int(p[0]), p[1]),
            "Bernoulli": lambda p: st.bernoulli(p[0]),
            "Geometric": lambda p: st.geom(p[0]),
            "NegativeBinomial": lambda p: st.nbinom(p[0], p[1], loc=p[0]),
            "Cauchy": lambda p: st.cauchy(p[0], p[1]),
            "ChiSquared": lambda p: st.chi2(p[0]),
            "Laplace": lambda p: st.laplace(p[0], p[1]),
            "Triangular": lambda p: st.triang((p[2] - p[0]) / (p[1] - p[0]), p[0], p[1] - p[0]),
        }
        if hasattr(st, "irwinhall"):
            table["IrwinHall"] = lambda p: st.irwinhall(int(p[0]))
        params = params if isinstance(params, tuple) else (params,)
        if name in table:
            return table[name](_floats(params, law))
    table = law.table()
    if table is not None:
        vals = _floats([v for v, _ in table], law)
        probs = _floats([p for _, p in table], law)
        return st.rv_discrete(values=(vals, probs))
    return _closed_form(law, st)


def _closed_form(law, st):
    """An ``rv_discrete``/``rv_continuous`` evaluating the exact pmf or density."""
    lo, hi = law.support
    bounds = [-float("inf") if b == -oo else float("inf") if b == oo else _floats([b], law)[0]
              for b in (lo, hi)]
    if law.is_discrete:
        k = Symbol("k", integer=True)
        expr = law.pmf(k)
        if expr.free_symbols - {k}:
            raise UnsupportedInputError(
                f"{law!r} has symbolic parameters: substitute numbers before to_scipy")
        f = lambdify(k, expr, "math")

        stats = _floats([law.mean(), law.variance()], law)

        class _Law(st.rv_discrete):
            def _pmf(self, x):
                import numpy as np

                return np.vectorize(lambda v: float(f(int(v))))(x)

            def _stats(self):
                return stats[0], stats[1], None, None

        return _Law(a=bounds[0], b=bounds[1], name=repr(law))()
    x = Symbol("x", real=True)
    expr = law.pdf(x)
    extra = expr.free_symbols - {x}
    if extra:
        raise UnsupportedInputError(
            f"{law!r} has symbolic parameters ({', '.join(sorted(map(str, extra)))}): "
            f"substitute numbers before to_scipy")
    f = lambdify(x, expr, "numpy")
    F = lambdify(x, law.cdf(x), "numpy")  # exact: no nested quadrature in scipy
    stats = _floats([law.mean(), law.variance()], law)

    class _Density(st.rv_continuous):
        def _pdf(self, v):
            import numpy as np

            return np.asarray(f(v), dtype=float)

        def _cdf(self, v):
            import numpy as np

            return np.asarray(F(v), dtype=float)

        def _stats(self):
            return stats[0], stats[1], None, None

    return _Density(a=bounds[0], b=bounds[1], name=repr(law))()


def from_sympy_stats(rv):
    """The law of a ``sympy.stats`` random symbol of a named family.

    >>> import sympy.stats as ss
    >>> from_sympy_stats(ss.Normal("Y", 0, 1))
    Normal(0, 1)
    """
    return families._from_sympy_stats(rv)


def to_sympy_stats(law, name="X"):
    """A ``sympy.stats`` random symbol with this law.

    >>> import sympy.stats as ss
    >>> from symconv.probability import Die, Exponential
    >>> ss.E(to_sympy_stats(Die(6) + Die(6)))
    7
    >>> ss.P(to_sympy_stats(Exponential(2)) > 1)
    exp(-2)
    """
    import sympy.stats as ss

    if law.family:
        fam, params = law.family
        params = params if isinstance(params, tuple) else (params,)
        named = {
            "Normal": ss.Normal, "Exponential": ss.Exponential, "Uniform": ss.Uniform,
            "Poisson": ss.Poisson, "Binomial": ss.Binomial, "Bernoulli": ss.Bernoulli,
            "Geometric": ss.Geometric, "Cauchy": ss.Cauchy, "ChiSquared": ss.ChiSquared,
            "Laplace": ss.Laplace, "Erlang": ss.Erlang,
            "Gamma": lambda n, k, r: ss.Gamma(n, k, 1 / r),
        }
        if fam in named:
            return named[fam](name, *params)
    table = law.table()
    if table is not None:
        return ss.FiniteRV(name, dict(table))
    if law.is_discrete:
        k = Symbol(name, integer=True)
        lo, hi = law.support
        from sympy import Range

        return ss.DiscreteRV(k, law.pmf(k), set=Range(lo, hi + 1 if hi != oo else oo))
    x = Symbol(name, real=True)
    from sympy import Interval

    lo, hi = law.support
    return ss.ContinuousRV(x, law.pdf(x), set=Interval(lo, hi))
