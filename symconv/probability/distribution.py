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

Named families are recognised in sums (``Poisson + Poisson``,
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

from __future__ import annotations

from fractions import Fraction
from math import comb, lcm
from math import factorial as ifactorial

from sympy import (
    Abs,
    DiracDelta,
    Eq,
    Integer,
    Piecewise,
    Poly,
    Rational,
    S,
    Symbol,
    atan,
    binomial,
    erf,
    exp,
    expand,
    expand_func,
    factorial,
    floor,
    gamma,
    integrate,
    oo,
    pi,
    simplify,
    sqrt,
    summation,
    sympify,
)
from sympy.core.sympify import SympifyError

from symconv.errors import DistributionError, UnsupportedInputError
from symconv.functions import u

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

_X = Symbol("x", real=True)
_K = Symbol("k", integer=True)


def _s(v, name="value"):
    if isinstance(v, str):
        raise UnsupportedInputError(f"{name} is a string ({v!r}); pass a number or SymPy object")
    if isinstance(v, Fraction):
        return Rational(v.numerator, v.denominator)
    if isinstance(v, float):
        return Rational(repr(v))
    try:
        return sympify(v, strict=True)
    except SympifyError:
        raise UnsupportedInputError(f"{name} is not a number or SymPy expression: {v!r}") from None


# ---------------------------------------------------------------------------
# finite lattice weights: flint fast path or SymPy list
# ---------------------------------------------------------------------------
class _Weights:
    """Weights w_0..w_{m-1}: ``numer[i]/denom`` (rational, flint) or a SymPy tuple."""

    __slots__ = ("numer", "denom", "values")

    def __init__(self, numer=None, denom=None, values=None):
        self.numer, self.denom, self.values = numer, denom, values

    @classmethod
    def from_list(cls, vals):
        vals = [_s(v, "a probability") for v in vals]
        if all(v.is_Rational for v in vals):
            import flint

            d = lcm(*[int(v.q) for v in vals]) if vals else 1
            return cls(flint.fmpz_poly([int(v * d) for v in vals]), d)
        return cls(values=tuple(vals))

    def __len__(self):
        if self.values is not None:
            return len(self.values)
        return self.numer.degree() + 1

    def get(self, i):
        if i < 0 or i >= len(self):
            return S.Zero
        if self.values is not None:
            return self.values[i]
        return Rational(int(self.numer[i]), self.denom)

    def as_list(self):
        return [self.get(i) for i in range(len(self))]

    def times(self, other):
        if self.values is None and other.values is None:
            return _Weights(self.numer * other.numer, self.denom * other.denom)
        from symconv.engine.finite import naive_convolution

        return _Weights(values=tuple(naive_convolution(self.as_list(), other.as_list())))

    def power(self, n):
        if self.values is None:
            return _Weights(self.numer**n, self.denom**n)
        out, base = None, self
        while n:
            if n & 1:
                out = base if out is None else out.times(base)
            n >>= 1
            if n:
                base = base.times(base)
        return out

    def spread(self, factor):
        """Insert ``factor - 1`` zeros between weights (a finer lattice)."""
        vals = []
        for v in self.as_list():
            vals.append(v)
            vals.extend([S.Zero] * (factor - 1))
        return _Weights.from_list(vals[: (len(self) - 1) * factor + 1])


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
                 "_pdf_pieces", "_family", "_mean", "_var", "_supp", "_parts")

    def __init__(self, kind, *, weights=None, base=S.Zero, step=S.One, pmf=None, lo=S.Zero,
                 hi=oo, pdf=None, family=None, mean=None, variance=None):
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
            pts = sorted((_s(k, "a value"), _s(v, "a probability")) for k, v in pmf.items())
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
        named = _recognise_pmf(expr, lo, hi)
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
        return _density_support(self._pdf)

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
        cond = (idx >= self._lo) if self._hi == oo else (idx >= self._lo) & (idx <= self._hi)
        return Piecewise((self._pmf.subs(_K, idx), cond), (0, True))

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
        return self._pdf.subs(_X, v)

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

        F = convolve(self._pdf, u(_X), _X)
        return F.subs(_X, v)

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
        from symconv.convert.signals import piecewise_regions

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

    # -- interop --------------------------------------------------------------------
    def to_scipy(self):
        """A frozen ``scipy.stats`` distribution (floats: for numeric use only)."""
        import scipy.stats as st

        if self._family:
            name, params = self._family
            p = [float(v) for v in params]
            table = {
                "Normal": lambda: st.norm(p[0], p[1]),
                "Exponential": lambda: st.expon(scale=1 / p[0]),
                "Gamma": lambda: st.gamma(p[0], scale=1 / p[1]),
                "Uniform": lambda: st.uniform(p[0], p[1] - p[0]),
                "Poisson": lambda: st.poisson(p[0]),
                "Binomial": lambda: st.binom(int(p[0]), p[1]),
                "Geometric": lambda: st.geom(p[0]),
                "Cauchy": lambda: st.cauchy(p[0], p[1]),
                "ChiSquared": lambda: st.chi2(p[0]),
                "Laplace": lambda: st.laplace(p[0], p[1]),
            }
            if name in table:
                return table[name]()
        if self._kind == "finite":
            vals = [float(self._base + self._step * i) for i in range(len(self._weights))]
            probs = [float(w) for w in self._weights.as_list()]
            return st.rv_discrete(values=(vals, probs))
        raise UnsupportedInputError(f"no scipy.stats counterpart for {self!r}")


def _check_nonnegative_density(expr):
    """Refuse a density that is negative somewhere (exact values at sample points of
    every region)."""
    from sympy import Add

    from symconv.convert.signals import piecewise_regions

    regular = Add(*[a for a in Add.make_args(expand(expr)) if not a.has(DiracDelta)])
    regions = piecewise_regions(regular, _X)
    if regions is None:
        return
    for lo, hi, piece in regions:
        if piece == 0 or piece.free_symbols - {_X}:
            continue
        if lo.is_finite and hi.is_finite:
            pts = [lo + (hi - lo) * S(k) / 7 for k in range(1, 7)]
        elif lo.is_finite:
            pts = [lo + S(k) / 3 for k in (1, 2, 3, 9, 30)]
        elif hi.is_finite:
            pts = [hi - S(k) / 3 for k in (1, 2, 3, 9, 30)]
        else:
            pts = [S(k) / 3 for k in (-9, -3, -1, 0, 1, 3, 9)]
        for x0 in pts:
            v = piece.subs(_X, x0)
            if v.is_negative:
                raise DistributionError(
                    f"the density is negative at {x0} (value {v}); a density must be >= 0")


def _canonical_pdf(expr):
    """The canonical ``Piecewise`` of a density when it is in the engine's class."""
    from symconv.convert.signals import to_signal, to_sympy

    try:
        return to_sympy(to_signal(expr, _X), _X)
    except (UnsupportedInputError, ArithmeticError):
        return expr


def _tidy(e):
    e = sympify(e, strict=True)
    return e if e.is_Rational else simplify(e)


def _gcd_step(diffs):
    """The largest rational step dividing all differences."""
    g = S.Zero
    for d in diffs:
        g = _rgcd(g, d)
    return g if g != 0 else S.One


def _rgcd(a, b):
    from math import gcd

    a, b = Rational(a), Rational(b)
    if a == 0:
        return abs(b)
    den = lcm(int(a.q), int(b.q))
    return Rational(gcd(int(a * den), int(b * den)), den)


def _density_support(expr):
    from sympy import Add

    from symconv.convert.signals import piecewise_regions

    terms = Add.make_args(expand(expr))
    atoms = [a for a in terms if a.has(DiracDelta)]
    if atoms:
        regular = _canonical_pdf(Add(*[a for a in terms if not a.has(DiracDelta)]))
        pts = [-d.args[0].subs(_X, 0) for a in atoms for d in a.atoms(DiracDelta)]
        if regular != 0:
            lo, hi = _density_support(regular)
            pts += [lo, hi]
        return (min(pts), max(pts))
    regions = piecewise_regions(expr, _X)
    if regions is None:
        return (-oo, oo)
    nz = [(lo, hi) for lo, hi, p in regions if p != 0]
    atoms = [-a.args[0].subs(_X, 0) for a in expr.atoms(DiracDelta)]
    los = [lo for lo, _ in nz] + atoms
    his = [hi for _, hi in nz] + atoms
    return (min(los), max(his)) if los else (S.Zero, S.Zero)


def _constant(c):
    """A number (or number-like SymPy constant) as a SymPy number, or ``None``."""
    try:
        v = _s(c)
    except UnsupportedInputError:
        return None
    return v if v.is_number else None


def _normal_parts(D):
    """``(Normal part or None, rest or None)`` of a law."""
    if D._parts is not None:
        return D._parts
    if D._family is not None and D._family[0] == "Normal":
        return D, None
    return None, D


def _sum(X, Y):
    fam = _family_sum(X._family, Y._family)
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


def _recognise_pmf(expr, lo, hi):
    """The named law whose pmf on ``lo..hi`` is ``expr`` (in ``k``), or ``None``.

    A hypergeometric term is fixed by its ratio ``p(k+1)/p(k)`` and its first value, so
    matching both (exactly, with SymPy) proves the law: Poisson ``λ/(k+1)`` from
    ``e^{-λ}``; Binomial ``(M-k)/(k+1) · p/(1-p)`` from ``(1-p)^M``; Negative binomial
    ``k/(k-r+1) · (1-p)`` from ``pʳ`` at ``k = r`` (Geometric when ``r = 1``).

    >>> from sympy import exp, factorial, symbols
    >>> l1, l2 = symbols("l1 l2", positive=True)
    >>> _recognise_pmf((l1 + l2)**_K*exp(-l1 - l2)/factorial(_K), 0, oo)
    Poisson(l1 + l2)
    """
    from sympy import cancel, hypersimp

    lo, hi = S(lo), S(hi)
    if isinstance(expr, Piecewise) and len(expr.args) == 2 and expr.args[0][0] == 0 \
            and expr.args[1][1] == S.true:
        cond = expr.args[0][1]
        if not (cond.lhs == _K and (cond.rhs - lo).is_nonpositive is True):
            return None
        expr = expr.args[1][0]
    if not expr.has(_K) or expr.has(Piecewise):
        return None
    try:
        ratio = hypersimp(expr, _K)
        if ratio is None and expr.is_Add:  # a pmf the engine wrote as a sum of terms
            from sympy import factor

            ratio = hypersimp(factor(expr), _K)
    except (ValueError, TypeError, NotImplementedError):
        return None
    if ratio is None:
        return None

    def same(a, b):
        return simplify(a - b) == 0

    first = expr.subs(_K, lo)
    if lo == 0 and hi == oo:
        lam = cancel(ratio * (_K + 1))
        if not lam.has(_K) and lam.is_nonpositive is not True and same(first, exp(-lam)):
            return Poisson(lam)
    if lo == 0:
        lin = Poly(cancel(ratio * (_K + 1)), _K) if cancel(ratio * (_K + 1)).is_polynomial(
            _K) else None
        if lin is not None and lin.degree() == 1:
            a, b = lin.all_coeffs()
            c, size = -a, cancel(-b / a)
            prob = cancel(c / (1 + c))
            if (size.is_integer and size.is_nonnegative and prob.is_negative is not True
                    and (1 - prob).is_negative is not True and (hi == size or hi == oo)
                    and same(first, (1 - prob) ** size)):
                return Binomial(size, prob)
    if hi == oo and lo.is_integer and lo.is_positive:
        c = cancel(ratio * (_K - lo + 1) / _K)
        if not c.has(_K) and (1 - c).is_nonpositive is not True and c.is_negative is not True \
                and same(first, (1 - c) ** lo):
            return Geometric(1 - c) if lo == 1 else NegativeBinomial(lo, 1 - c)
    return None


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


def _affine(X, a, b):
    """The law of ``a X + b``."""
    fam = _family_affine(X._family, a, b)
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
    if not (isinstance(n, int) or (hasattr(n, "is_Integer") and n.is_Integer)) or n < 1:
        raise UnsupportedInputError(f"n must be a positive integer, got {n!r}")
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
        if name == "Uniform":
            a, b = p
            Z = IrwinHall(n)
            return Z if (a, b) == (0, 1) else _affine(Z, b - a, n * a)
    if X._kind == "finite":
        Z = Distribution._finite(n * X._base, X._step, X._weights.power(n))
        Z._mean = n * X.mean()
        Z._var = n * X.variance()
        return Z
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


# ---------------------------------------------------------------------------
# named families
# ---------------------------------------------------------------------------
def _require(condition, message):
    """Refuse a parameter that is certainly outside its range (symbols pass when unsure)."""
    if condition == S.false or condition is False:
        raise DistributionError(message)


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


def _finite_family(vals, base, name, params, mean, var):
    X = Distribution._finite(base, S.One, _Weights.from_list(vals))
    return _named(X, name, params, mean, var)


def Bernoulli(p):  # noqa: N802 - distribution names are capitalised, as in sympy.stats
    """``P(X = 1) = p``, ``P(X = 0) = 1 - p``.

    >>> Bernoulli(Rational(1, 3)).pmf(1)
    1/3
    """
    p = _s(p, "p")
    _probability(p, "Bernoulli")
    return _finite_family([1 - p, p], S.Zero, "Bernoulli", (p,), p, p * (1 - p))


def Binomial(n, p):  # noqa: N802
    """Successes in ``n`` trials with probability ``p`` (``n`` a non-negative integer).

    >>> Binomial(4, Rational(1, 2)).pmf(2)
    3/8
    """
    n, p = _s(n, "n"), _s(p, "p")
    _probability(p, "Binomial")
    if not n.is_Integer and n.is_integer and n.is_nonnegative:
        X = Distribution("lattice", pmf=binomial(n, _K) * p**_K * (1 - p) ** (n - _K),
                         lo=S.Zero, hi=n)
        return _named(_with_support(X, 0, n), "Binomial", (n, p), n * p, n * p * (1 - p))
    if not (n.is_Integer and n >= 0):
        raise DistributionError(
            f"Binomial needs a non-negative integer n (a number, or a symbol declared "
            f"integer and nonnegative), got {n}")
    vals = [binomial(n, k) * p**k * (1 - p) ** (n - k) for k in range(int(n) + 1)]
    return _finite_family(vals, S.Zero, "Binomial", (n, p), n * p, n * p * (1 - p))


def DiscreteUniform(a, b):  # noqa: N802
    """Uniform on the integers ``a, a+1, ..., b``.

    >>> DiscreteUniform(1, 4).mean()
    5/2
    """
    a, b = _s(a, "a"), _s(b, "b")
    if not (a.is_Integer and b.is_Integer) or b < a:
        raise DistributionError(f"DiscreteUniform needs integers a <= b, got {a}, {b}")
    m = int(b - a) + 1
    return _finite_family([Rational(1, m)] * m, a, "DiscreteUniform", (a, b), (a + b) / 2,
                          Rational(m * m - 1, 12))


def Die(n=6):  # noqa: N802
    """A fair die with faces ``1..n``.

    >>> Die(6).variance()
    35/12
    """
    n = _s(n, "n")
    if not (n.is_Integer and n >= 1):
        raise DistributionError(f"Die needs a positive integer number of faces, got {n}")
    X = DiscreteUniform(1, n)
    X._family = ("Die", (n,))
    return X


def Poisson(lam):  # noqa: N802
    """``P(X = k) = λᵏ e^{-λ} / k!``, ``k ≥ 0``.

    >>> Poisson(2).pmf(0)
    exp(-2)
    """
    lam = _s(lam, "lambda")
    _positive(lam, "lambda", "Poisson")
    X = Distribution("lattice", pmf=lam**_K * exp(-lam) / factorial(_K), lo=S.Zero, hi=oo)
    return _named(X, "Poisson", (lam,), lam, lam)


def Geometric(p):  # noqa: N802
    """Trials until the first success: ``P(X = k) = p (1-p)^{k-1}``, ``k ≥ 1``.

    >>> Geometric(Rational(1, 2)).pmf(3)
    1/8
    """
    p = _s(p, "p")
    _probability(p, "Geometric", open_low=True)
    X = Distribution("lattice", pmf=p * (1 - p) ** (_K - 1), lo=S.One, hi=oo)
    return _named(X, "Geometric", (p,), 1 / p, (1 - p) / p**2)


def NegativeBinomial(r, p):  # noqa: N802
    """Trials until the ``r``-th success: ``C(k-1, r-1) pʳ (1-p)^{k-r}``, ``k ≥ r``.

    >>> NegativeBinomial(2, Rational(1, 2)).pmf(3)
    1/4
    """
    r, p = _s(r, "r"), _s(p, "p")
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
    a, b = _s(a, "a"), _s(b, "b")
    _require(b > a, f"Uniform needs a < b, got {a}, {b}")
    X = Distribution("density", pdf=(u(_X - a) - u(_X - b)) / (b - a))
    return _named(_with_support(X, a, b), "Uniform", (a, b), (a + b) / 2, (b - a) ** 2 / 12)


def Exponential(rate):  # noqa: N802
    """Density ``λ e^{-λx}`` for ``x ≥ 0`` (``λ`` is the rate).

    >>> Exponential(3).mean()
    1/3
    """
    lam = _s(rate, "rate")
    _positive(lam, "rate", "Exponential")
    X = Distribution("density", pdf=lam * exp(-lam * _X) * u(_X))
    return _named(_with_support(X, 0, oo), "Exponential", (lam,), 1 / lam, 1 / lam**2)


def Gamma(shape, rate):  # noqa: N802
    """Density ``λᵏ x^{k-1} e^{-λx} / Γ(k)`` for ``x > 0`` (shape ``k``, *rate* ``λ``).

    ``Exponential(λ) + Exponential(λ)`` is ``Gamma(2, λ)``.

    >>> Gamma(2, 3).variance()
    2/9
    """
    k, lam = _s(shape, "shape"), _s(rate, "rate")
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
    mu, sigma = _s(mu, "mu"), _s(sigma, "sigma")
    _positive(sigma, "sigma", "Normal")
    X = Distribution("density",
                     pdf=exp(-((_X - mu) ** 2) / (2 * sigma**2)) / (sigma * sqrt(2 * pi)))
    return _named(X, "Normal", (mu, sigma), mu, sigma**2)


def Cauchy(x0, scale):  # noqa: N802
    """Cauchy with location ``x0`` and scale ``γ`` (no mean, no variance).

    >>> Cauchy(0, 1) + Cauchy(0, 2)
    Cauchy(0, 3)
    """
    x0, g = _s(x0, "x0"), _s(scale, "scale")
    _positive(g, "scale", "Cauchy")
    X = Distribution("density", pdf=1 / (pi * g * (1 + ((_X - x0) / g) ** 2)))
    return _named(X, "Cauchy", (x0, g), S.NaN, S.NaN)


def ChiSquared(k):  # noqa: N802
    """Chi-squared with ``k`` degrees of freedom (Gamma(k/2, 1/2)).

    >>> ChiSquared(4).mean()
    4
    """
    k = _s(k, "k")
    X = Gamma(k / 2, S.Half)
    X._family = ("ChiSquared", (k,))
    return X


def Triangular(a, b, c):  # noqa: N802
    """Triangular on ``[a, b]`` with mode ``c`` (as ``sympy.stats.Triangular``).

    >>> Triangular(0, 2, 1).pdf(1)
    1
    """
    a, b, c = _s(a, "a"), _s(b, "b"), _s(c, "c")
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
    mu, b = _s(mu, "mu"), _s(b, "b")
    _positive(b, "b", "Laplace")
    X = Distribution("density", pdf=exp(-Abs(_X - mu) / b) / (2 * b))
    return _named(X, "Laplace", (mu, b), mu, 2 * b**2)


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


class Lattice2D:
    """A law on the integer lattice ℤ²: the ball dropped on a plane.

    ``X + Y`` is the law of the sum of independent vectors: a 2-D convolution,
    done exactly (rational weights go through one python-flint polynomial
    product by Kronecker substitution).

    >>> step = Lattice2D({(1, 0): Rational(1, 4), (-1, 0): Rational(1, 4),
    ...                   (0, 1): Rational(1, 4), (0, -1): Rational(1, 4)})
    >>> two = step + step
    >>> two.pmf((0, 0)), two.pmf((1, 1)), two.pmf((2, 0))
    (1/4, 1/8, 1/16)
    >>> sum_iid2d(step, 10).pmf((0, 0))
    3969/65536
    """

    __slots__ = ("_w",)

    def __init__(self, pmf, *, validate=True):
        w = {}
        for key, v in dict(pmf).items():
            if not (isinstance(key, tuple) and len(key) == 2
                    and all(isinstance(c, int) for c in key)):
                raise UnsupportedInputError(f"keys must be (i, j) integer pairs, got {key!r}")
            v = _s(v, "a probability")
            if v != 0:
                w[key] = w.get(key, S.Zero) + v
        if validate:
            if any(v.is_negative for v in w.values()):
                raise DistributionError("negative probability in the 2-D pmf")
            total = simplify(sum(w.values()))
            if total != 1:
                raise DistributionError(f"the total mass is {total}, not 1")
        self._w = w

    def pmf(self, point):
        """``P(X = (i, j))``."""
        return self._w.get(tuple(point), S.Zero)

    @property
    def support(self):
        """``((i_min, i_max), (j_min, j_max))``."""
        i = [k[0] for k in self._w]
        j = [k[1] for k in self._w]
        return (min(i), max(i)), (min(j), max(j))

    def mean(self):
        """``(E[X₁], E[X₂])``."""
        return (sum(p * k[0] for k, p in self._w.items()),
                sum(p * k[1] for k, p in self._w.items()))

    def marginal(self, axis):
        """The law of one coordinate (``axis`` 0 or 1) as a :class:`Distribution`."""
        out = {}
        for k, p in self._w.items():
            out[k[axis]] = out.get(k[axis], S.Zero) + p
        return Distribution.from_pmf(out, validate=False)

    def __add__(self, other):
        if not isinstance(other, Lattice2D):
            return NotImplemented
        a, b = self._w, other._w
        if all(v.is_Rational for v in a.values()) and all(v.is_Rational for v in b.values()):
            return Lattice2D(_kronecker_product(a, b), validate=False)
        out = {}
        for (i1, j1), p in a.items():
            for (i2, j2), q in b.items():
                key = (i1 + i2, j1 + j2)
                out[key] = out.get(key, S.Zero) + p * q
        return Lattice2D({k: expand(v) for k, v in out.items()}, validate=False)

    def __repr__(self):
        (i0, i1), (j0, j1) = self.support
        return f"Lattice2D({len(self._w)} points in [{i0}, {i1}] x [{j0}, {j1}])"


def _kronecker_product(a, b):
    """2-D convolution of rational dicts through one flint polynomial product."""
    import flint

    ia = [k[0] for k in a] + [k[0] for k in b]
    ja = [k[1] for k in a] + [k[1] for k in b]
    i0a, j0a = min(k[0] for k in a), min(k[1] for k in a)
    i0b, j0b = min(k[0] for k in b), min(k[1] for k in b)
    width = (max(ja) - min(ja)) * 2 + 1
    del ia

    def poly(w, i0, j0):
        den = lcm(*[int(v.q) for v in w.values()])
        coeffs = {}
        for (i, j), v in w.items():
            coeffs[(i - i0) * width + (j - j0)] = int(v * den)
        arr = [0] * (max(coeffs) + 1)
        for e, c in coeffs.items():
            arr[e] = c
        return flint.fmpz_poly(arr), den

    pa, da = poly(a, i0a, j0a)
    pb, db = poly(b, i0b, j0b)
    prod = pa * pb
    out = {}
    den = da * db
    for e, c in enumerate(prod.coeffs()):
        c = int(c)
        if c:
            i, j = divmod(e, width)
            out[(i + i0a + i0b, j + j0a + j0b)] = Rational(c, den)
    return out


def sum_iid2d(X, n):
    """The law of the sum of ``n`` independent copies of a :class:`Lattice2D` law."""
    if not isinstance(n, int) or n < 1:
        raise UnsupportedInputError(f"n must be a positive integer, got {n!r}")
    out, base = None, X
    while n:
        if n & 1:
            out = base if out is None else out + base
        n >>= 1
        if n:
            base = base + base
    return out
