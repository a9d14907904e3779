"""The representations under a :class:`~symconv.probability.distribution.Distribution`.

Exact values (:func:`_s`), the index symbols of a pmf (``_K``) and of a density (``_X``), finite
lattice weights (``_Weights``: one python-flint integer polynomial over a common denominator when
the weights are rational) and the helpers on densities (canonical form, support, sign check).
Nothing here knows a ``Distribution``: the class and the families build on this module.
"""

from __future__ import annotations

from fractions import Fraction
from math import lcm

from sympy import (
    Basic,
    DiracDelta,
    Float,
    Piecewise,
    Rational,
    S,
    Symbol,
    expand,
    oo,
    simplify,
    sympify,
)
from sympy.core.sympify import SympifyError

from symconv.errors import DistributionError, UnsupportedInputError

_X = Symbol("x", real=True)
_K = Symbol("k", integer=True)


class NotRealError(UnsupportedInputError):
    """A value that is not a real number: ``nan``, ``zoo``, a complex number."""


def _s(v, name="value"):
    if isinstance(v, str):
        raise UnsupportedInputError(f"{name} is a string ({v!r}); pass a number or SymPy object")
    if isinstance(v, Fraction):
        return Rational(v.numerator, v.denominator)
    if isinstance(v, float):
        if v != v:
            raise NotRealError(f"{name} is not a number (nan)")
        if v in (float("inf"), float("-inf")):
            return S.Infinity if v > 0 else S.NegativeInfinity
        return Rational(repr(v))
    try:
        out = sympify(v, strict=True)
    except SympifyError:
        raise UnsupportedInputError(f"{name} is not a number or SymPy expression: {v!r}") from None
    if getattr(out, "is_number", False) and (
            out.has(S.NaN, S.ComplexInfinity) or out.is_extended_real is False):
        raise NotRealError(f"{name} must be a real number, got {out}")
    if isinstance(out, Basic) and out.has(Float):
        from symconv.convert.exact import exact

        out = exact(out)
    return out


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
        try:
            vals = [_s(v, "a probability") for v in vals]
        except NotRealError as err:  # nan, zoo, a complex number
            raise DistributionError(f"the pmf takes undefined or infinite values: {err}") \
                from None
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
        _check_power(self, n)
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




#: The exact law of n copies of a finite law is refused beyond this many values, or this
#: many bits of numerators (``sum_iid(Die(6), 10**9)`` would exhaust memory: python-flint
#: aborts the process when an allocation fails, so the size is checked first).
MAX_POWER_VALUES = 1_000_000
MAX_POWER_BITS = 400_000_000


def _check_power(weights, n):
    """Refuse (``DistributionError``) ``weights.power(n)`` beyond the size limits: the
    result has ``(m - 1)·n + 1`` values of at most ``n·log₂(Σ|numerator|)`` bits each."""
    m = len(weights)
    count = (m - 1) * n + 1
    if weights.values is None:
        total = sum(abs(int(c)) for c in weights.numer.coeffs()) or 1
        bits = count * n * max(total.bit_length(), int(weights.denom).bit_length(), 1)
    else:
        bits = 0
    if count > MAX_POWER_VALUES or bits > MAX_POWER_BITS:
        raise DistributionError(
            f"the exact law of {n} copies would have {count} values"
            + (f" of up to {bits // max(count, 1)} bits each" if bits else "")
            + f"; at most {MAX_POWER_VALUES} values and {MAX_POWER_BITS // 8_000_000} MB of "
            "digits are computed (fewer copies, or a named family such as Binomial whose "
            "sum stays closed)")


# ---------------------------------------------------------------------------
# densities and lattice steps
# ---------------------------------------------------------------------------
def _check_nonnegative_density(expr):
    """Refuse a density that is negative somewhere (exact values at sample points of
    every region)."""
    from sympy import Add

    from symconv.convert.output import piecewise_regions

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
    from symconv.convert.output import to_sympy
    from symconv.convert.signals import to_signal

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

    from symconv.convert.output import piecewise_regions

    cases = _parameter_cases(expr)
    if cases is not None:  # the law's cases on its parameters (a = b or not)
        supports = [(_density_support(e), c) for e, c in cases]
        return tuple(_end_over_cases([(s[i], c) for s, c in supports]) for i in (0, 1))
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
    if not los:
        return (S.Zero, S.Zero)
    try:
        return (min(los), max(his))
    except TypeError:  # ends whose order is the parameters' (a + b, 2b)
        pass
    from symconv.canonical.order import point
    from symconv.errors import UndecidableOrderError

    try:  # decided by the facts in force (a law's own: a < b)
        return (min(los, key=point), max(his, key=point))
    except (UndecidableOrderError, TypeError):
        from sympy import Max, Min

        return (Min(*los), Max(*his))


def _end_over_cases(ends):
    """One end of the support over the parameter cases ``[(end, condition)]``: a single
    expression when every case agrees with the last (an equality case such as ``a = b``
    agrees after substitution: ``2b`` is ``a + b`` there), else a ``Piecewise``."""
    from sympy import Eq

    ref = ends[-1][0]

    def agrees(end, cond):
        if end == ref:
            return True
        if isinstance(cond, Eq) and cond.lhs.is_Symbol:
            return expand((end - ref).subs(cond.lhs, cond.rhs)) == 0
        return False

    if all(agrees(e, c) for e, c in ends):
        return ref
    return Piecewise(*ends)


def _parameter_cases(expr):
    """``[(density, condition)]`` of a ``Piecewise`` whose conditions are on the
    parameters only (not the variable), else ``None``."""
    if not isinstance(expr, Piecewise) or any(c.has(_X) for _e, c in expr.args):
        return None
    return list(expr.args)


def _constant(c):
    """A number (or number-like SymPy constant) as a SymPy number, or ``None``."""
    try:
        v = _s(c)
    except UnsupportedInputError:
        return None
    return v if v.is_number else None
