"""Hypothesis strategies and independent reference tools for the property tests.

A random signal is drawn as a :class:`SignalSpec`: a sum of pieces
``c·tᵏ·e^{a t}·(1 | cos(b t) | sin(b t))`` on intervals with small rational
(half-integer) endpoints, optionally with a decaying left tail ``(-∞, c)``
(``a > 0``) and/or right tail ``[c, ∞)`` (``a < 0``), plus impulses
``w·δ(t - T)``. Any two such signals have a convergent convolution: every
infinite stretch of ``f(τ) g(t - τ)`` pairs a decaying tail of one with a
decaying tail of the other.

The spec is the single source of truth; from it this module builds

* the SymPy expression fed to the engine (several spellings: ``u`` windows,
  ``Heaviside`` windows, ``rect``, one ``Piecewise``);
* an mpmath evaluator, and a reference convolution by quadrature split at the
  breakpoints (:func:`reference_convolution`);
* exact integrals ``∫ f`` as finite sums ``Σ c_ρ e^{ρ}`` (:class:`ExpSum`);

none of which uses symconv's engine. :func:`exp_canon` brings SymPy constants
built from rationals, ``I``, ``exp``, ``sin`` and ``cos`` to the same canonical
:class:`ExpSum`, so equality of such constants is decided exactly (distinct
algebraic exponents ``ρ`` give linearly independent ``e^{ρ}`` by
Lindemann–Weierstrass).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from math import factorial

import mpmath
from hypothesis import strategies as st
from sympy import (
    Add,
    DiracDelta,
    Heaviside,
    I,
    Mul,
    Piecewise,
    Pow,
    Rational,
    S,
    cos,
    exp,
    oo,
    sin,
)

try:
    from gmpy2 import mpq as _mpq_type
except ImportError:  # pragma: no cover
    import fractions

    _mpq_type = fractions.Fraction

from symconv.functions import rect, u

__all__ = [
    "ExpSum",
    "GQ",
    "PieceSpec",
    "SignalSpec",
    "exp_canon",
    "reference_convolution",
    "sample_points",
    "signals",
]

#: Breakpoints and impulse locations: integers and halves in [-4, 4].
GRID = tuple(Rational(n, 2) for n in range(-8, 9))
COEFFS = tuple(
    Rational(x) for x in ("1", "-1", "2", "-2", "1/2", "-1/2", "3/2", "-1/3", "1/3", "3")
)
FINITE_EXPS = tuple(Rational(n, 2) for n in range(-2, 3))  # a in {-2..2}/2
RIGHT_EXPS = (Rational(-1, 2), Rational(-1))  # decaying as t -> +oo
LEFT_EXPS = (Rational(1, 2), Rational(1))  # decaying as t -> -oo
TRIGS = (None, ("cos", 1), ("sin", 1), ("cos", 2), ("sin", 2))
FORMS = ("u", "heaviside", "rect", "piecewise")


# ---------------------------------------------------------------------------
# Gaussian rationals (small and fast: SymPy's GQ hashes slowly)
# ---------------------------------------------------------------------------
def _q(v):
    """A rational (int, Fraction, mpq, flint fmpq, SymPy Rational) as an mpq."""
    if hasattr(v, "p") and hasattr(v, "q") and not hasattr(v, "numerator"):
        return _mpq_type(int(v.p), int(v.q))
    return _mpq_type(int(v.numerator), int(v.denominator))


class GQ:
    """An exact Gaussian rational ``x + i y``."""

    __slots__ = ("x", "y")

    def __init__(self, x, y=0):
        self.x = x if type(x) is _mpq_type else _q(x) if not isinstance(x, int) else _mpq_type(x)
        self.y = y if type(y) is _mpq_type else _q(y) if not isinstance(y, int) else _mpq_type(y)

    def __add__(self, o):
        return GQ(self.x + o.x, self.y + o.y)

    def __sub__(self, o):
        return GQ(self.x - o.x, self.y - o.y)

    def __neg__(self):
        return GQ(-self.x, -self.y)

    def __mul__(self, o):
        return GQ(self.x * o.x - self.y * o.y, self.x * o.y + self.y * o.x)

    def __truediv__(self, o):
        d = o.x * o.x + o.y * o.y
        return GQ((self.x * o.x + self.y * o.y) / d, (self.y * o.x - self.x * o.y) / d)

    def __pow__(self, n):
        out = GQ(1)
        for _ in range(n):
            out = out * self
        return out

    def __bool__(self):
        return bool(self.x) or bool(self.y)

    def __eq__(self, o):
        return isinstance(o, GQ) and self.x == o.x and self.y == o.y

    def __hash__(self):
        return hash((self.x, self.y))

    def __repr__(self):
        return f"({self.x}{'+' if self.y >= 0 else '-'}{abs(self.y)}i)" if self.y else str(self.x)

    @staticmethod
    def from_sympy(e):
        if e.is_Rational:
            return GQ(_mpq_type(int(e.p), int(e.q)))
        re_, im_ = e.as_real_imag()
        if not (re_.is_Rational and im_.is_Rational):
            raise ValueError(f"{e} is not a Gaussian rational")
        return GQ(_mpq_type(int(re_.p), int(re_.q)), _mpq_type(int(im_.p), int(im_.q)))

    @staticmethod
    def from_domain(K, v):
        """An element of a symconv domain (RQ or GQ) as a GQ."""
        if hasattr(v, "x") and hasattr(v, "y"):
            return GQ(_q(v.x), _q(v.y))
        try:
            return GQ(_q(v))
        except (AttributeError, TypeError):
            return GQ.from_sympy(K.to_sympy(v))


GQ.zero = GQ(0)
GQ.one = GQ(1)
GQ.i = GQ(0, 1)


# ---------------------------------------------------------------------------
# specs
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class PieceSpec:
    """``c·tᵏ·e^{a t}·trig(b t)`` on ``[lo, hi)`` (``lo``/``hi`` may be ``∓oo``)."""

    lo: object
    hi: object
    c: Rational
    k: int
    a: Rational
    trig: tuple | None = None

    def body(self, t):
        e = self.c * t**self.k * exp(self.a * t)
        if self.trig is not None:
            name, b = self.trig
            e *= (cos if name == "cos" else sin)(b * t)
        return e

    def window(self, t, form):
        lo, hi = self.lo, self.hi
        if form == "rect" and lo != -oo and hi != oo:
            return rect((t - (lo + hi) / 2) / (hi - lo))
        step = Heaviside if form == "heaviside" else u
        left = S.One if lo == -oo else step(t - lo)
        if hi == oo:
            return left
        if lo == -oo:
            return step(hi - t) if form == "u" else 1 - step(t - hi)
        return left - step(t - hi)

    def value(self, x):
        """The mpmath value of the body at ``x`` (no window test)."""
        v = mpmath.mpf(self.c.p) / self.c.q * x**self.k * mpmath.exp(_mp(self.a) * x)
        if self.trig is not None:
            name, b = self.trig
            v *= (mpmath.cos if name == "cos" else mpmath.sin)(b * x)
        return v

    def contains(self, x):
        return (self.lo == -oo or _mp(self.lo) <= x) and (self.hi == oo or x < _mp(self.hi))

    def terms(self):
        """``[(coeff, s)]`` (Gaussian rationals) with body = Σ coeff·tᵏ·e^{s t}."""
        c = GQ.from_sympy(self.c)
        a = GQ.from_sympy(self.a)
        if self.trig is None:
            return [(c, a)]
        name, b = self.trig
        ib = GQ(0, b)
        half = GQ(1, 0) / GQ(2, 0)
        if name == "cos":
            return [(c * half, a + ib), (c * half, a - ib)]
        # sin x = (e^{ix} - e^{-ix}) / (2i)
        h = half / GQ(0, 1)
        return [(c * h, a + ib), (-c * h, a - ib)]


@dataclass(frozen=True)
class SignalSpec:
    """A sum of pieces (they may overlap) plus impulses ``[(T, w, order)]``, in one spelling."""

    pieces: tuple
    impulses: tuple = ()
    form: str = "u"

    # -- SymPy --------------------------------------------------------------
    def expr(self, t):
        if self.form == "piecewise" and _disjoint(self.pieces):
            args = []
            for p in self.pieces:
                cond = S.true
                if p.lo != -oo:
                    cond = cond & (t >= p.lo)
                if p.hi != oo:
                    cond = cond & (t < p.hi)
                args.append((p.body(t), cond))
            regular = Piecewise(*args, (0, True)) if args else S.Zero
        else:
            form = "u" if self.form == "piecewise" else self.form
            regular = Add(*[p.body(t) * p.window(t, form) for p in self.pieces])
        return regular + Add(
            *[w * (DiracDelta(t - T, m) if m else DiracDelta(t - T)) for T, w, m in self.impulses]
        )

    # -- facts ---------------------------------------------------------------
    def support(self):
        """``(lo, hi)`` as SymPy numbers (``±oo``), or ``None`` for zero."""
        los = [p.lo for p in self.pieces] + [T for T, _w, _m in self.impulses]
        his = [p.hi for p in self.pieces] + [T for T, _w, _m in self.impulses]
        if not los:
            return None
        return min(los), max(his)

    def regular_support(self):
        if not self.pieces:
            return None
        return min(p.lo for p in self.pieces), max(p.hi for p in self.pieces)

    def regular_value(self, x):
        return mpmath.fsum(p.value(x) for p in self.pieces if p.contains(x))

    def integral(self):
        """``∫ f`` over the line, exactly, as an :class:`ExpSum`."""
        out = ExpSum()
        for p in self.pieces:
            for c, s in p.terms():
                out = out + _integrate_term(c, p.k, s, p.lo, p.hi)
        for _T, w, m in self.impulses:
            if m == 0:  # ∫ δ⁽ᵐ⁾ = 0 for m > 0
                out = out + ExpSum.const(GQ.from_sympy(w))
        return out


def _disjoint(pieces):
    ps = sorted(pieces, key=lambda p: (p.lo != -oo, p.lo if p.lo != -oo else 0))
    return all(a.hi <= b.lo for a, b in pairwise(ps))


def _mp(x):
    if x == oo:
        return mpmath.inf
    if x == -oo:
        return -mpmath.inf
    return mpmath.mpf(x.p) / x.q


# ---------------------------------------------------------------------------
# strategies
# ---------------------------------------------------------------------------
@st.composite
def piece_bodies(draw, exps, trig=True):
    c = draw(st.sampled_from(COEFFS))
    k = draw(st.integers(0, 2))
    a = draw(st.sampled_from(exps))
    tr = draw(st.sampled_from(TRIGS)) if trig and draw(st.booleans()) else None
    return c, k, a, tr


@st.composite
def signals(draw, max_pieces=4, trig=True, tails=True, impulses=True, forms=FORMS,
            min_pieces=1, impulse_orders=(0,)):
    """Random :class:`SignalSpec` (see the module docstring).

    With ``trig=True`` about a third of the signals have ``cos``/``sin`` factors (on
    about half of their pieces); those move the engine to its slower ``QQ_I`` path.
    ``trig="always"`` allows them in every signal. Impulses are ``w·δ⁽ᵐ⁾(t - T)`` with
    ``m`` drawn from ``impulse_orders`` (the numeric reference handles only ``m = 0``).
    """
    trig = trig == "always" or (trig and draw(st.integers(0, 2)) == 0)
    n = draw(st.integers(min_pieces, max_pieces))
    pts = sorted(draw(st.sets(st.sampled_from(GRID), min_size=n + 1, max_size=n + 1)))
    pieces = []
    for lo, hi in pairwise(pts):
        if pieces and draw(st.integers(0, 4)) == 0:
            continue  # leave a gap
        c, k, a, tr = draw(piece_bodies(FINITE_EXPS, trig))
        pieces.append(PieceSpec(lo, hi, c, k, a, tr))
    form = draw(st.sampled_from(forms))
    if tails and draw(st.integers(0, 3)) == 0:
        c, k, a, tr = draw(piece_bodies(LEFT_EXPS, trig))
        pieces.insert(0, PieceSpec(-oo, pts[0], c, k, a, tr))
    if tails and draw(st.integers(0, 2)) == 0:
        c, k, a, tr = draw(piece_bodies(RIGHT_EXPS, trig))
        pieces.append(PieceSpec(pts[-1], oo, c, k, a, tr))
    if form in ("u", "heaviside") and draw(st.integers(0, 3)) == 0:
        # an overlapping extra window
        lo, hi = sorted(draw(st.sets(st.sampled_from(GRID), min_size=2, max_size=2)))
        c, k, a, tr = draw(piece_bodies(FINITE_EXPS, trig))
        pieces.append(PieceSpec(lo, hi, c, k, a, tr))
    imps = ()
    if impulses:
        m = draw(st.integers(0, 2))
        imps = tuple(
            (
                draw(st.sampled_from(GRID)),
                draw(st.sampled_from(COEFFS)),
                draw(st.sampled_from(impulse_orders)),
            )
            for _ in range(m)
        )
    return SignalSpec(tuple(pieces), imps, form)


shifts = st.sampled_from(tuple(x for x in GRID if x))


# ---------------------------------------------------------------------------
# exact sums of exponentials of Gaussian rationals
# ---------------------------------------------------------------------------
class ExpSum:
    """``Σ c_ρ e^{ρ}`` with ``c_ρ, ρ`` Gaussian rationals (:class:`GQ`); canonical."""

    __slots__ = ("terms",)

    def __init__(self, terms=None):
        self.terms = {r: c for r, c in (terms or {}).items() if c}

    @classmethod
    def _raw(cls, terms):
        """Trusted: no zero coefficients."""
        out = cls.__new__(cls)
        out.terms = terms
        return out

    @classmethod
    def const(cls, c, rho=None):
        return cls({GQ.zero if rho is None else rho: c})

    def __add__(self, other):
        if not other.terms:
            return self
        out = dict(self.terms)
        for r, c in other.terms.items():
            v = out.get(r)
            v = c if v is None else v + c
            if v:
                out[r] = v
            else:
                out.pop(r, None)
        return ExpSum._raw(out)

    def __sub__(self, other):
        return self + other.scale(-GQ.one)

    def scale(self, c):
        return ExpSum({r: c * v for r, v in self.terms.items()})

    def __mul__(self, other):
        out = {}
        for r1, c1 in self.terms.items():
            for r2, c2 in other.terms.items():
                out[r1 + r2] = out.get(r1 + r2, GQ.zero) + c1 * c2
        return ExpSum(out)

    def __eq__(self, other):
        return isinstance(other, ExpSum) and self.terms == other.terms

    def __hash__(self):
        return hash(frozenset(self.terms.items()))

    @property
    def is_zero(self):
        return not self.terms

    def __repr__(self):
        return " + ".join(f"({c})*exp({r})" for r, c in self.terms.items()) or "0"


def _integrate_term(c, k, s, lo, hi):
    """``∫_lo^hi c τᵏ e^{s τ} dτ`` exactly (``s`` in GQ; infinite ends need decay)."""
    if not s:
        if lo == -oo or hi == oo:
            raise ValueError("non-decaying term on an infinite interval")
        a, b = GQ.from_sympy(lo), GQ.from_sympy(hi)
        return ExpSum.const(c * (b ** (k + 1) - a ** (k + 1)) / GQ(k + 1, 0))

    def anti(x):  # e^{s x} Σ_i (-1)^i k!/(k-i)! x^{k-i} / s^{i+1}
        if x in (oo, -oo):
            return ExpSum()
        xq = GQ.from_sympy(x)
        tot = GQ.zero
        for i in range(k + 1):
            coef = GQ((-1) ** i * factorial(k) // factorial(k - i), 0)
            tot += coef * xq ** (k - i) / s ** (i + 1)
        return ExpSum.const(c * tot, s * xq)

    return anti(hi) - anti(lo)


def integrate_signal(F):
    """``∫`` of a canonical :class:`symconv.canonical.signal.Signal` (data only), as an ExpSum."""
    K = F.K

    def g(x):
        return GQ.from_domain(K, x)

    out = ExpSum()
    for p in F.pieces:
        lo = -oo if _is_inf(p.lo) and p.lo.sign < 0 else p.lo
        hi = oo if _is_inf(p.hi) and p.hi.sign > 0 else p.hi
        lo = lo if lo == -oo else Rational(int(lo.numerator), int(lo.denominator))
        hi = hi if hi == oo else Rational(int(hi.numerator), int(hi.denominator))
        for (k, s, r), c in p.expr.terms.items():
            out = out + _integrate_term(g(c), k, g(s), lo, hi) * ExpSum.const(GQ.one, g(r))
    for imp in F.impulses:
        if imp.order == 0:
            for (_k, _s, r), c in imp.weight.terms.items():
                out = out + ExpSum.const(g(c), g(r))
    return out


def _is_inf(x):
    return type(x).__name__ == "Inf"


# ---------------------------------------------------------------------------
# exact canonical values of SymPy expressions
# ---------------------------------------------------------------------------
def exp_canon(e, var=None, at=None):
    """The exact value of ``e`` (with ``var = at``) as a canonical :class:`ExpSum`.

    ``e`` may be built from rationals, ``I``, ``E``, ``+``, ``*``, integer powers,
    ``exp``, ``sin``, ``cos``, and, when ``var`` is given, ``Piecewise`` and the step
    functions and ``DiracDelta`` of the variable (evaluated at the rational ``at``).
    The walk is direct (no ``expand``/``simplify``), and anything else raises
    ``ValueError``, so a surprise is never read as zero.
    """
    return _canon(e, var, at, {})


def _canon(e, var, at, memo):
    hit = memo.get(e)
    if hit is not None:
        return hit
    out = _canon_uncached(e, var, at, memo)
    memo[e] = out
    return out


def _rational_value(e, var, at, memo):
    v = _canon(e, var, at, memo)
    if not v.terms:
        return Rational(0)
    if set(v.terms) != {GQ.zero}:
        raise ValueError(f"exp_canon: {e} is not rational here")
    c = v.terms[GQ.zero]
    if c.y:
        raise ValueError(f"exp_canon: {e} is not real here")
    return Rational(int(c.x.numerator), int(c.x.denominator))


def _canon_uncached(e, var, at, memo):
    if var is not None and e == var:
        return ExpSum.const(GQ.from_sympy(at))
    if e.is_Rational or e is I:
        return ExpSum.const(GQ.from_sympy(e))
    if e is S.Exp1:
        return ExpSum.const(GQ.one, GQ.one)
    if isinstance(e, Add):
        out = ExpSum()
        for a in e.args:
            out = out + _canon(a, var, at, memo)
        return out
    if isinstance(e, Mul):
        out = ExpSum.const(GQ.one)
        for a in e.args:
            out = out * _canon(a, var, at, memo)
        return out
    if isinstance(e, Pow):
        if e.base is S.Exp1:
            return _canon(exp(e.exp), var, at, memo)
        if e.exp.is_Integer and e.exp >= 0:
            base = _canon(e.base, var, at, memo)
            out = ExpSum.const(GQ.one)
            for _ in range(int(e.exp)):
                out = out * base
            return out
        if e.exp.is_Integer and e.base.is_Rational:
            return ExpSum.const(GQ.from_sympy(e))
        raise ValueError(f"exp_canon: unexpected power {e}")
    if isinstance(e, exp):
        arg = _canon(e.args[0], var, at, memo)
        if set(arg.terms) - {GQ.zero}:
            raise ValueError(f"exp_canon: transcendental exponent in {e}")
        return ExpSum.const(GQ.one, arg.terms.get(GQ.zero, GQ.zero))
    if isinstance(e, (sin, cos)):
        arg = _canon(e.args[0], var, at, memo)
        if set(arg.terms) - {GQ.zero}:
            raise ValueError(f"exp_canon: transcendental argument in {e}")
        ix = GQ(0, 1) * arg.terms.get(GQ.zero, GQ.zero)
        half = GQ(1, 0) / GQ(2, 0)
        if isinstance(e, cos):
            return ExpSum({ix: half}) + ExpSum({-ix: half})
        h = half / GQ(0, 1)
        return ExpSum({ix: h}) + ExpSum({-ix: -h})
    if var is not None and isinstance(e, Piecewise):
        for expr, cond in e.args:
            c = cond.subs(var, at)
            if c is S.true:
                return _canon(expr, var, at, memo)
            if c is not S.false:
                raise ValueError(f"exp_canon: cannot decide {cond} at {at}")
        return ExpSum()
    if var is not None and isinstance(e, (u, Heaviside, rect, DiracDelta)):
        x = _rational_value(e.args[0], var, at, memo)
        v = e.func(x, *e.args[1:])
        if v.has(DiracDelta, u, Heaviside, rect):
            raise ValueError(f"exp_canon: {e} is singular at {at}")
        return _canon(v, None, None, memo)
    raise ValueError(f"exp_canon: unexpected {type(e).__name__} {e}")


# ---------------------------------------------------------------------------
# sample points and the numeric reference
# ---------------------------------------------------------------------------
def sample_points(lo, hi, count=6):
    """Rationals in ``[lo - 1, hi + 1]`` (clipped to [-12, 12]) that are not multiples of 1/2.

    Every breakpoint and impulse location in these tests is a multiple of 1/2, so
    these points (denominators 3, 5, 7) are never on one, nor is ``x - T`` for a
    shift ``T`` on the half-grid.
    """
    lo = Rational(-12) if lo == -oo else max(Rational(-12), lo - 1)
    hi = Rational(12) if hi == oo else min(Rational(12), hi + 1)
    out = []
    for i in range(count):
        q = (3, 5, 7)[i % 3]
        frac = Rational(2 * i + 1, 2 * count)
        x = lo + (hi - lo) * frac
        # nearest p/q not a multiple of 1/2
        p = int((x * q).round())
        if (Rational(p, q) * 2).is_integer:
            p += 1
        out.append(Rational(p, q))
    return out


def reference_convolution(fs, gs, t0, dps=30):
    """``(f*g)(t0)`` from the specs alone: quadrature split at breakpoints, plus sifting.

    ``t0`` must not be a breakpoint of the result (impulses there are ignored).
    """
    with mpmath.workdps(dps + 10):
        x = _mp(t0)
        total = mpmath.mpf(0)
        fr, gr = fs.regular_support(), gs.regular_support()
        if fr is not None and gr is not None:
            lo = max(_mp(fr[0]), x - _mp(gr[1]))
            hi = min(_mp(fr[1]), x - _mp(gr[0]))
            if lo < hi:
                cuts = {_mp(b) for p in fs.pieces for b in (p.lo, p.hi) if b not in (oo, -oo)}
                cuts |= {x - _mp(b) for p in gs.pieces for b in (p.lo, p.hi)
                         if b not in (oo, -oo)}
                inner = sorted(c for c in cuts if lo < c < hi)
                first = inner[0] if inner else (lo if lo != -mpmath.inf else hi)
                last = inner[-1] if inner else (hi if hi != mpmath.inf else lo)
                left = [first - 2**j for j in range(8, -1, -1)] if lo == -mpmath.inf else [lo]
                right = [last + 2**j for j in range(0, 9)] if hi == mpmath.inf else [hi]
                nodes = left + [c for c in inner if c not in left and c not in right] + right
                nodes = sorted(set(nodes))

                def integrand(tau):
                    return fs.regular_value(tau) * gs.regular_value(x - tau)

                total += mpmath.quad(integrand, nodes)
        for T, w, m in fs.impulses:
            if m:
                raise ValueError("the reference handles only impulses of order 0")
            total += _mp(w) * gs.regular_value(x - _mp(T))
        for T, w, m in gs.impulses:
            if m:
                raise ValueError("the reference handles only impulses of order 0")
            total += _mp(w) * fs.regular_value(x - _mp(T))
        return +total
