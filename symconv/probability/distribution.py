"""The :class:`Distribution`: an exact law, its evaluation, moments and arithmetic.

A law is a finite lattice law (weights in :mod:`~symconv.probability.representation`), a lattice
law with a closed-form pmf in the index, or a density, possibly with atoms. ``X + Y`` is the law of
the sum of independent variables (the convolution of the laws), ``a X + b`` an affine image.

The rules that name a result (``Poisson + Poisson`` is a Poisson, ``2 Normal(0, 1)`` a Normal, a
closed-form pmf may be a Binomial) build named laws, whose constructors in
:mod:`~symconv.probability.families` build this class. So that imports flow one way, those rules
are installed in ``_RULES`` once, by ``symconv/probability/__init__.py``, when the package is
imported (before any law can be built).

Examples
--------
>>> from sympy import symbols
>>> p = symbols("p", positive=True)
>>> X = Distribution.from_pmf({0: 1 - p, 1: p})
>>> (X + X).pmf(2)
p**2
"""

from __future__ import annotations

from sympy import (
    Abs,
    DiracDelta,
    Eq,
    Piecewise,
    Poly,
    Rational,
    S,
    Symbol,
    atan,
    cancel,
    erf,
    expand,
    floor,
    integrate,
    oo,
    pi,
    simplify,
    sqrt,
    summation,
)

from symconv.errors import DistributionError, UnsupportedInputError
from symconv.functions import u
from symconv.probability.representation import (
    _K,
    _X,
    NotRealError,
    _canonical_pdf,
    _check_nonnegative_density,
    _constant,
    _density_support,
    _gcd_step,
    _rgcd,
    _s,
    _tidy,
    _Weights,
)

__all__ = ["Distribution"]

# The family rules, by name: "family_sum" (a, b), "family_affine" (family, a, b) and
# "recognise_pmf" (expr, lo, hi), each returning a named law or None. Installed once by
# _install_rules, from symconv/probability/__init__.py; read, never changed, afterwards.
_RULES = {}


def _install_rules(*, family_sum, family_affine, recognise_pmf, interop=None):
    """Install the rules that name a result (see the module docstring), and the
    conversions to and from scipy.stats and sympy.stats (``interop``, a module)."""
    _RULES.update(family_sum=family_sum, family_affine=family_affine,
                  recognise_pmf=recognise_pmf, interop=interop)


_KINDS = ("finite", "lattice", "density")


def _is_random_symbol(x):
    return type(x).__name__ == "RandomSymbol" and hasattr(x, "pspace")


# ---------------------------------------------------------------------------
# the Distribution
# ---------------------------------------------------------------------------
class Distribution:
    """An exact probability law; build it with a family constructor, :meth:`from_pmf`
    or :meth:`from_pdf`. ``X + Y`` is the law of the sum of independent variables.

    Examples
    --------
    >>> from sympy import symbols, exp
    >>> from symconv.functions import u
    >>> p = symbols("p", positive=True)
    >>> X = Distribution.from_pmf({0: 1 - p, 1: p})
    >>> (X + X).pmf(1)
    -2*p**2 + 2*p
    >>> t = symbols("t", real=True)
    >>> Y = Distribution.from_pdf(2*exp(-2*t)*u(t), t)
    >>> Y.mean(), Y.variance()
    (1/2, 1/4)
    """

    __slots__ = ("_kind", "_weights", "_base", "_step", "_pmf", "_lo", "_hi", "_pdf_expr",
                 "_pdf_pieces", "_family", "_mean", "_var", "_supp", "_parts", "_facts")

    def __init__(self, kind, *, weights=None, base=S.Zero, step=S.One, pmf=None, lo=S.Zero,
                 hi=oo, pdf=None, family=None, mean=None, variance=None):
        if not isinstance(kind, str) or kind not in _KINDS:
            hint = ("Distribution.from_scipy(law)" if hasattr(kind, "dist")
                    else "Distribution.from_sympy_stats(X)" if _is_random_symbol(kind)
                    else "a family (Normal(0, 1)), Distribution.from_pmf or from_pdf")
            raise UnsupportedInputError(
                f"Distribution() does not take {type(kind).__name__} {kind!r}: use {hint}")
        self._kind = kind
        self._weights = weights
        self._base = base
        self._step = step
        self._pmf = pmf
        self._lo, self._hi = lo, hi
        self._pdf_expr = pdf
        self._pdf_pieces = None  # [(lo, hi, fmpq_poly)]: a lazily expanded density
        self._supp = None  # the support, when a family knows it
        self._family = family
        self._mean = mean
        self._var = variance
        self._parts = None  # (Normal, rest) for a Normal plus another law: sums regroup
        self._facts = ()  # relations the law itself implies (a < b in Uniform(a, b))

    # -- construction ------------------------------------------------------------
    @classmethod
    def from_pmf(cls, pmf, var=None, *, support=None, validate=True):
        """A law on a lattice from ``{value: probability}`` or an expression in ``var``.

        ``support=(lo, hi)`` (integers, ``hi`` may be ``oo``) is needed for an
        expression. Validation checks non-negativity and total mass 1.

        >>> Distribution.from_pmf({1: Rational(1, 2), 3: Rational(1, 2)}).support
        (1, 3)
        """
        if isinstance(pmf, dict):
            if not pmf:
                raise DistributionError("empty pmf: give at least one value")
            try:
                pts = sorted((_s(k, "a value"), _s(v, "a probability"))
                             for k, v in pmf.items())
            except NotRealError as err:
                raise DistributionError(
                    f"the pmf takes undefined or infinite values: {err}") from None
            vals = [p for p, _ in pts]
            if not all(v.is_Rational for v in vals):
                raise UnsupportedInputError("pmf values must be exact rationals (the support)")
            base = vals[0]
            step = _gcd_step([v - base for v in vals[1:]]) if len(vals) > 1 else S.One
            m = int((vals[-1] - base) / step) + 1
            w = [S.Zero] * m
            for v, pr in pts:
                w[int((v - base) / step)] += pr
            X = cls._finite(base, step, _Weights.from_list(w))
            if validate:
                X._validate_mass(sum(w), w)
            return X
        if var is None or support is None:
            raise UnsupportedInputError("a pmf expression needs var= and support=(lo, hi)")
        lo, hi = (_s(support[0]), _s(support[1]))
        expr = _s(pmf).xreplace({var: _K})
        named = _RULES["recognise_pmf"](expr, lo, hi)
        if named is not None:  # a Poisson, Binomial, Negative binomial or Geometric pmf
            return named
        if hi != oo and (hi - lo).is_number and hi - lo <= 10**6:
            w = [expr.subs(_K, i) for i in range(int(lo), int(hi) + 1)]
            X = cls._finite(lo, S.One, _Weights.from_list(w))
            if validate:
                X._validate_mass(sum(w), w)
            return X
        X = cls("lattice", pmf=expr, lo=lo, hi=hi)
        if validate:
            X._validate_mass(summation(expr, (_K, lo, hi)), None)
        return X

    @classmethod
    def from_pdf(cls, pdf, var, *, validate=True):
        """A law with density ``pdf`` in ``var`` (``DiracDelta`` terms are atoms).

        >>> from sympy import symbols
        >>> from symconv.functions import rect
        >>> t = symbols("t", real=True)
        >>> Distribution.from_pdf(rect(t), t).variance()
        1/12
        """
        expr = _canonical_pdf(_s(pdf).xreplace({var: _X}))
        X = cls("density", pdf=expr)
        if validate:
            _check_nonnegative_density(expr)
            X._validate_mass(X._integral(S.One), None)
        return X

    @classmethod
    def _finite(cls, base, step, weights, family=None):
        # trim zero weights at both ends
        vals = weights
        n = len(vals)
        i0 = 0
        while i0 < n - 1 and vals.get(i0) == 0:
            i0 += 1
        i1 = n - 1
        while i1 > i0 and vals.get(i1) == 0:
            i1 -= 1
        if i0 or i1 < n - 1:
            vals = _Weights.from_list(vals.as_list()[i0 : i1 + 1])
            base = base + i0 * step
        return cls("finite", weights=vals, base=base, step=step, family=family)

    def _validate_mass(self, total, weights):
        if weights is not None:
            for w in weights:
                if w.is_negative:
                    raise DistributionError(f"negative probability {w} in the pmf")
        total = simplify(total)
        if total.has(S.NaN, S.ComplexInfinity, S.Infinity, S.NegativeInfinity):
            raise DistributionError(f"the total mass is {total}: the pmf/pdf takes undefined "
                                    "or infinite values, or does not sum to a finite number")
        if total != 1:
            raise DistributionError(
                f"the total mass is {total}, not 1; normalise the pmf/pdf (divide by {total})"
            )

    # -- evaluation ---------------------------------------------------------------
    @property
    def _pdf(self):
        if self._pdf_expr is None and self._pdf_pieces is not None:
            args = [(S.Zero, _X < self._pdf_pieces[0][0])]
            for _lo, hi, poly in self._pdf_pieces:
                coeffs = [Rational(int(c.p), int(c.q)) for c in poly.coeffs()]
                args.append((Poly.from_list(coeffs[::-1], _X).as_expr(), _X < hi))
            args.append((S.Zero, True))
            self._pdf_expr = Piecewise(*args)
        return self._pdf_expr

    @property
    def family(self):
        """``None`` or ``(name, params)`` of a recognised named family."""
        return self._family

    @property
    def is_discrete(self):
        """``True`` for a law on a lattice."""
        return self._kind in ("finite", "lattice")

    @property
    def support(self):
        """``(lo, hi)``: the smallest closed interval holding all the mass."""
        if self._supp is not None:
            return self._supp
        if self._kind == "finite":
            return (self._base, self._base + self._step * (len(self._weights) - 1))
        if self._kind == "lattice":
            return (self._base + self._step * self._lo, self._base + self._step * self._hi)
        with law_facts(self):
            return _density_support(self._pdf)

    def table(self):
        """``[(value, probability)]`` of a finite law (values with zero mass left out),
        ``None`` for any other law.

        >>> from symconv.probability import Die
        >>> (Die(2) + Die(2)).table()
        [(2, 1/4), (3, 1/2), (4, 1/4)]
        """
        if self._kind != "finite":
            return None
        return [(self._base + self._step * i, w)
                for i, w in enumerate(self._weights.as_list()) if w != 0]

    def pmf(self, value):
        """``P(X = value)``, exact; with a Symbol, the pmf as an expression."""
        if not self.is_discrete:
            raise UnsupportedInputError("a continuous law has no pmf: use pdf()")
        v = _s(value)
        if isinstance(v, Symbol):
            return self._pmf_expr(v)
        idx = (v - self._base) / self._step
        if not idx.is_integer:
            return S.Zero
        i = int(idx)
        if self._kind == "finite":
            return self._weights.get(i)
        if (i < self._lo) == S.true or (self._hi != oo and (i > self._hi) == S.true):
            return S.Zero
        return self._pmf.subs(_K, i)

    def _pmf_expr(self, v):
        if self._kind == "finite":
            args = [(w, Eq(v, self._base + self._step * i))
                    for i, w in enumerate(self._weights.as_list()) if w != 0]
            return Piecewise(*args, (0, True))
        idx = (v - self._base) / self._step
        inner = self._pmf.subs(_K, idx)
        if self._hi == oo:
            # one flat Piecewise by regions, as a convolution returns it
            rest = inner.args if isinstance(inner, Piecewise) else ((inner, True),)
            return Piecewise((0, idx < self._lo), *rest)
        if not isinstance(inner, Piecewise):  # by regions: 0, the formula, 0
            return Piecewise((0, idx < self._lo), (inner, idx < self._hi + 1), (0, True))
        return Piecewise((inner, (idx >= self._lo) & (idx <= self._hi)), (0, True))

    def pdf(self, value):
        """The density at ``value`` (exact), or as an expression for a Symbol."""
        if self.is_discrete:
            raise UnsupportedInputError("a discrete law has no density: use pmf()")
        v = _s(value)
        if self._pdf_pieces is not None and v.is_Rational:
            import flint

            for lo, hi, poly in self._pdf_pieces:
                if lo <= v < hi:
                    val = poly(flint.fmpq(int(v.p), int(v.q)))
                    return Rational(int(val.p), int(val.q))
            return S.Zero
        return _at(self, self._pdf, v)

    def cdf(self, value):
        """``P(X ≤ value)``, exact; with a Symbol, as an expression."""
        v = _s(value)
        if self._kind == "finite":
            if isinstance(v, Symbol):
                acc, args = S.Zero, []
                for i, w in enumerate(self._weights.as_list()):
                    args.append((acc, v < self._base + self._step * i))
                    acc += w
                return Piecewise(*args, (acc, True))
            total = S.Zero
            for i, w in enumerate(self._weights.as_list()):
                if (self._base + self._step * i <= v) == S.true:
                    total += w
            return total
        if self._kind == "lattice":
            kk = Symbol("j", integer=True)
            top = floor((v - self._base) / self._step)
            return summation(self._pmf.subs(_K, kk), (kk, self._lo, top)) if v.is_number \
                else summation(self._pmf.subs(_K, kk), (kk, self._lo, top))
        name = self._family[0] if self._family else None
        if name == "Normal":
            mu, sigma = self._family[1]
            return (1 + erf((v - mu) / (sigma * sqrt(2)))) / 2
        if name == "Cauchy":
            x0, g = self._family[1]
            return atan((v - x0) / g) / pi + S.Half
        from symconv.engine.continuous import convolve

        with law_facts(self):
            if self._parts is not None:  # N + R: F = f_N * F_R, a Gaussian against pieces
                gauss, rest = self._parts
                F = convolve(gauss.pdf(_X), rest.cdf(_X), _X)
            else:
                F = convolve(self._pdf, u(_X), _X)
        return _at(self, F, v)

    # -- moments ------------------------------------------------------------------
    def mean(self):
        """``E[X]``, exact."""
        if self._mean is None:
            self._mean = self._moment(1)
        return self._mean

    def variance(self):
        """``Var[X]``, exact."""
        if self._var is None:
            m = self.mean()
            self._var = _tidy(self._moment(2) - m**2)
        return self._var

    def _moment(self, r):
        if self._kind == "finite":
            return _tidy(sum(w * (self._base + self._step * i) ** r
                             for i, w in enumerate(self._weights.as_list())))
        if self._kind == "lattice":
            val = self._base + self._step * _K
            return _tidy(summation(self._pmf * val**r, (_K, self._lo, self._hi)))
        return _tidy(self._integral(_X**r))

    def _integral(self, weight):
        from symconv.convert.output import piecewise_regions

        expr = self._pdf
        atoms = [a for a in expr.atoms(DiracDelta)]
        total = S.Zero
        if atoms:
            from sympy import Add

            regular = []
            for term in Add.make_args(expand(expr)):
                if term.has(DiracDelta):
                    total += integrate(term * weight, (_X, -oo, oo))
                else:
                    regular.append(term)
            expr = Add(*regular)
        regions = piecewise_regions(expr, _X)
        if regions is None:
            return total + integrate(expr * weight, (_X, -oo, oo))
        for lo, hi, piece in regions:
            if piece != 0:
                total += integrate(expand(piece * weight), (_X, lo, hi))
        return total

    # -- algebra ------------------------------------------------------------------
    def __add__(self, other):
        if _is_random_symbol(other):
            other = Distribution.from_sympy_stats(other)
        if not isinstance(other, Distribution):
            c = _constant(other)
            if c is None:
                return NotImplemented
            return _affine(self, S.One, c)
        return _sum(self, other)

    def __radd__(self, other):
        return self.__add__(other)

    def __neg__(self):
        return _affine(self, S.NegativeOne, S.Zero)

    def __sub__(self, other):
        if _is_random_symbol(other):
            other = Distribution.from_sympy_stats(other)
        if not isinstance(other, Distribution):
            c = _constant(other)
            if c is None:
                return NotImplemented
            return _affine(self, S.One, -c)
        return _sum(self, -other)

    def __rsub__(self, other):
        return (-self).__add__(other)

    def __mul__(self, a):
        a = _s(a, "a scale factor")
        if a == 0:
            raise DistributionError("0·X is the constant 0; use a point mass from_pmf({0: 1})")
        return _affine(self, a, S.Zero)

    __rmul__ = __mul__

    def __truediv__(self, a):
        a = _s(a, "a divisor")
        if a == 0:
            raise DistributionError("X/0: a law cannot be divided by zero")
        return self * (1 / a)

    def __repr__(self):
        if self._family:
            name, params = self._family
            return f"{name}({', '.join(str(p) for p in params)})"
        if self._kind == "finite":
            lo, hi = self.support
            return f"Distribution(finite pmf on {lo}..{hi}, step {self._step})"
        if self._kind == "lattice":
            return f"Distribution(pmf {self._pmf} for k >= {self._lo})"
        return f"Distribution(pdf {self._pdf})"

    def _repr_latex_(self):
        r"""Jupyter's display: a named law as ``\mathrm{Normal}(1, \sqrt{2})``, a
        finite law as its pmf, a density in ``cases`` with regions ``0 \le x < 1``.

        >>> from symconv.probability import Normal, Uniform
        >>> print(Normal(1, 2)._repr_latex_())
        $X \sim \mathrm{Normal}\left(1, 2\right)$
        >>> print((Uniform(0, 1) + Uniform(0, 1))._repr_latex_().replace(r" \\ ", "\n"))
        $f_X(x) = \begin{cases} 0 & x < 0
        x & 0 \le x < 1
        2 - x & 1 \le x < 2
        0 & x \ge 2 \end{cases}$
        """
        from symconv.probability.display import law_latex

        return f"${law_latex(self)}$"

    # -- interop --------------------------------------------------------------------
    @classmethod
    def from_scipy(cls, frozen):
        """The exact law of a frozen ``scipy.stats`` law (``scipy.stats.norm(0, 1)``); see
        :func:`symconv.probability.interop.from_scipy`.

        >>> import scipy.stats as st
        >>> Distribution.from_scipy(st.poisson(2.5))
        Poisson(5/2)
        """
        return _RULES["interop"].from_scipy(frozen)

    @classmethod
    def from_sympy_stats(cls, rv):
        """The law of a ``sympy.stats`` random symbol of a named family.

        >>> import sympy.stats as ss
        >>> Distribution.from_sympy_stats(ss.Exponential("T", 3))
        Exponential(3)
        """
        return _RULES["interop"].from_sympy_stats(rv)

    def to_scipy(self):
        """A frozen ``scipy.stats`` law (floats: for numeric use only): the scipy family
        when there is one, else one built from the exact pmf or density.

        >>> from symconv.probability import IrwinHall
        >>> round(float(IrwinHall(2).to_scipy().cdf(1)), 6)
        0.5
        """
        return _RULES["interop"].to_scipy(self)

    def to_sympy_stats(self, name="X"):
        """A ``sympy.stats`` random symbol with this law.

        >>> import sympy.stats as ss
        >>> from symconv.probability import Normal
        >>> ss.E(Normal(1, 2).to_sympy_stats())
        1
        """
        return _RULES["interop"].to_sympy_stats(self, name)


# ---------------------------------------------------------------------------
# the arithmetic: sums and affine images
# ---------------------------------------------------------------------------
def _normal_parts(D):
    """``(Normal part or None, rest or None)`` of a law."""
    if D._parts is not None:
        return D._parts
    if D._family is not None and D._family[0] == "Normal":
        return D, None
    return None, D


def _at(law, expr, v):
    """``expr`` (a result by regions in ``x``) at ``v``; a symbolic ``v`` (``a + b``) finds
    its region under the law's own facts (``a < b``), not SymPy's undecided conditions."""
    regions = None
    if law._facts and not v.is_number and not isinstance(v, Symbol):
        from symconv.convert.output import piecewise_regions

        regions = piecewise_regions(expr, _X)
    if regions is None:
        return expr.subs(_X, v)
    from symconv.canonical.order import point
    from symconv.errors import UndecidableOrderError

    with law_facts(law):
        try:
            for _lo, hi, piece in regions:
                if hi == oo or point(v) < point(hi):
                    return cancel(piece.subs(_X, v))
        except UndecidableOrderError:
            pass
    return expr.subs(_X, v)


def in_force(relations):
    """The ``relations`` (``a < b``) in force for the exact engine's order decisions, as a
    context manager (nothing to do for none)."""
    from contextlib import nullcontext

    from symconv.canonical.order import Facts

    rels = tuple(dict.fromkeys(relations))
    return Facts.of(rels).using() if rels else nullcontext()


def law_facts(*laws):
    """The relations the ``laws`` imply (``a < b`` for ``Uniform(a, b)``) in force."""
    return in_force(r for law in laws for r in law._facts)


def _sum(X, Y):
    with law_facts(X, Y):
        Z = _sum_unbounded(X, Y)
    Z._facts = tuple(dict.fromkeys(X._facts + Y._facts + Z._facts))
    return Z


def _sum_unbounded(X, Y):
    fam = _RULES["family_sum"](X._family, Y._family)
    if fam is not None:
        return fam
    if X._parts is not None or Y._parts is not None:
        # (N₁ + R₁) + (N₂ + R₂) = (N₁ + N₂) + (R₁ + R₂): the Gaussian is convolved once,
        # with an exponential-polynomial law, where the erf closed form exists
        (gx, rx), (gy, ry) = _normal_parts(X), _normal_parts(Y)
        g = gx if gy is None else gy if gx is None else gx + gy
        r = rx if ry is None else ry if rx is None else rx + ry
        return _sum(g, r)
    mean = X._mean + Y._mean if X._mean is not None and Y._mean is not None else None
    var = X._var + Y._var if X._var is not None and Y._var is not None else None
    if X._kind == "finite" and Y._kind == "finite":
        step = _rgcd(X._step, Y._step)
        wx = X._weights if X._step == step else X._weights.spread(int(X._step / step))
        wy = Y._weights if Y._step == step else Y._weights.spread(int(Y._step / step))
        Z = Distribution._finite(X._base + Y._base, step, wx.times(wy))
    elif X.is_discrete and Y.is_discrete:
        Z = _lattice_sum(X, Y)
    elif X.is_discrete or Y.is_discrete:
        D, C = (X, Y) if X.is_discrete else (Y, X)
        if D._kind != "finite":
            raise UnsupportedInputError(
                "the sum of an infinite lattice law and a density is not supported exactly"
            )
        atoms = sum(w * DiracDelta(_X - (D._base + D._step * i))
                    for i, w in enumerate(D._weights.as_list()) if w != 0)
        Z = _density_sum(atoms, C._pdf)
    else:
        Z = _density_sum(X._pdf, Y._pdf)
    Z._mean, Z._var = mean, var
    (gx, rx), (gy, ry) = _normal_parts(X), _normal_parts(Y)
    if (gx is None) != (gy is None):
        Z._parts = (gx, ry) if gx is not None else (gy, rx)
    rates = _exponential_rates(X._family), _exponential_rates(Y._family)
    if rates[0] and rates[1]:
        Z._family = ("Hypoexponential", rates[0] + rates[1])
    return Z


def _exponential_rates(fam):
    if fam is None:
        return ()
    if fam[0] == "Exponential":
        return fam[1]
    if fam[0] == "Hypoexponential":
        return fam[1]
    return ()


def _density_sum(f, g):
    from symconv.engine.continuous import convolve

    return Distribution("density", pdf=convolve(f, g, _X))



def _lattice_sum(X, Y):
    if X._step != Y._step:
        raise UnsupportedInputError("lattice laws with different steps: rescale one of them")
    from symconv.engine.discrete import convolve_sequence

    fx = _lattice_expr(X)
    fy = _lattice_expr(Y)
    try:
        expr = convolve_sequence(fx, fy, _K)
    except UnsupportedInputError:
        # a finite law against any pmf: the finite sum Σ w_i f(k - i)
        if X._kind == "finite" or Y._kind == "finite":
            F, G = (X, Y) if X._kind == "finite" else (Y, X)
            gexpr = _lattice_expr(G)
            expr = sum(w * gexpr.subs(_K, _K - i)
                       for i, w in enumerate(F._weights.as_list()) if w != 0)
            lo = G._lo
            return Distribution("lattice", pmf=expr, lo=lo, hi=oo, base=F._base + G._base,
                                step=G._step)
        raise
    lo = (X._lo if X._kind == "lattice" else 0) + (Y._lo if Y._kind == "lattice" else 0)
    return Distribution("lattice", pmf=expr, lo=lo, hi=oo, base=X._base + Y._base, step=X._step)


def _lattice_expr(X):
    """The pmf as an expression in the index ``k`` (with steps), for the engine."""
    if X._kind == "finite":
        from sympy import KroneckerDelta

        return sum(w * KroneckerDelta(_K, i) for i, w in enumerate(X._weights.as_list())
                   if w != 0)
    expr = X._pmf * u(_K - X._lo)
    if X._hi != oo:
        expr = expr * u(X._hi - _K)
    return expr



def _affine(X, a, b):
    """The law of ``a X + b``."""
    for v, what in ((a, "a scale factor"), (b, "a shift")):
        if v.has(S.NaN, S.ComplexInfinity, S.Infinity, S.NegativeInfinity) \
                or v.is_extended_real is False:
            raise DistributionError(f"{what} of a law must be a finite real number, got {v}")
    fam = _RULES["family_affine"](X._family, a, b)
    if fam is not None:
        return fam
    mean = a * X._mean + b if X._mean is not None else None
    var = a**2 * X._var if X._var is not None else None
    if X._kind == "finite":
        w = X._weights
        if a.is_negative:
            w = _Weights.from_list(w.as_list()[::-1])
            base = a * (X._base + X._step * (len(X._weights) - 1)) + b
        else:
            base = a * X._base + b
        Z = Distribution._finite(base, Abs(a) * X._step, w)
    elif X._kind == "lattice":
        if a.is_negative:
            raise UnsupportedInputError("reflecting an infinite lattice law is not supported")
        Z = Distribution("lattice", pmf=X._pmf, lo=X._lo, hi=X._hi, base=a * X._base + b,
                         step=a * X._step)
    else:
        Z = Distribution("density", pdf=_canonical_pdf(X._pdf.subs(_X, (_X - b) / a) / Abs(a)))
    Z._mean, Z._var = mean, var
    return Z
