"""Exact discrete convolution: closed-form sequences and finite exact lists.

``y[n] = Σ_k f[k] g[n-k]``. Closed-form sequences are canonical
:class:`~symconv.signal.Signal` objects whose pieces live on half-open integer
ranges ``[lo, hi)`` and carry :class:`~symconv.geopoly.GeoPoly` expressions
``Σ c nᵏ Bⁿ``; two pieces on ``[a, b)`` and ``[c, d)`` give a result on
``[a+c, b+d-1)`` with breakpoints ``a+d-1`` and ``b+c``, and each region's sum
has the closed form of ``Σ kᵠ rᵏ`` (the antidifference; ``r = 1`` is its own
case, Faulhaber). Finite exact lists take a fast polynomial-multiplication path
(python-flint) instead.

Examples
--------
>>> from sympy import Rational, symbols
>>> from symconv.functions import u
>>> n = symbols("n", integer=True)
>>> convolve_sequence(Rational(1, 2)**n*u(n), u(n), n)
Piecewise((0, n < 0), (2 - 1/2**n, True))
>>> convolve_finite([1, 2, 3], [1, 1])
[1, 3, 5, 3]
"""

from __future__ import annotations

from sympy import (
    Abs,
    Add,
    Basic,
    DiracDelta,
    Expr,
    Heaviside,
    KroneckerDelta,
    Mul,
    Piecewise,
    Poly,
    Pow,
    Rational,
    S,
    Symbol,
    arg,
    collect,
    cos,
    cosh,
    exp,
    expand,
    factorint,
    pi,
    sin,
    sinh,
    sympify,
    together,
)
from sympy import I as IMAG
from sympy.polys.polyerrors import CoercionFailed, PolynomialError

from symconv.convert import (
    MAX_DEGREE,
    _Converter,
    _formal_re_im,
    _nice,
    accumulate_pairs,
    exact,
    field_for,
    sweep,
    to_sympy_point,
)
from symconv.cyclotomic import CyclotomicField, cyclotomic_order
from symconv.errors import DivergenceError, UnsupportedInputError
from symconv.expoly import _add_term, binomial_terms
from symconv.finite import convolve_finite, naive_convolution
from symconv.functions import rect
from symconv.geopoly import GeoPoly, antidifference
from symconv.limits import check_deadline
from symconv.rational import RQ
from symconv.signal import NEG_INF, POS_INF, Inf, Piece, Signal, is_finite

__all__ = [
    "convolve_finite",
    "convolve_sequence",
    "correlate_sequence",
    "sequence_domain_for",
    "to_sequence",
    "sequence_to_sympy",
    "naive_convolution",  # re-exported from symconv.finite
]

# ---------------------------------------------------------------------------
# SymPy -> Sequence
# ---------------------------------------------------------------------------
def _linear_coeffs(arg, var):
    """``(p, q)`` with ``arg = p·var + q`` (SymPy), or ``None``."""
    q, rest = arg.as_independent(var, as_Add=True)
    p, x = rest.as_independent(var, as_Add=False)
    if x == var:  # the common spelling, without building a Poly
        return p, q
    try:
        poly = Poly(arg, var)
    except PolynomialError:
        return None
    if poly.degree() > 1:
        return None
    p = poly.coeff_monomial(var)
    q = poly.coeff_monomial(1)
    if p.has(var) or q.has(var):
        return None
    return p, q


def _sequence_leaves(e, var, out):
    if isinstance(e, Basic) and not e.has(var):
        if e.is_Atom or getattr(e, "is_Number", False) or hasattr(e, "is_commutative"):
            if not isinstance(e, (Piecewise,)) and e.is_number is not None:
                out.add(e)
                return
    if isinstance(e, Pow) and not e.base.has(var) and e.exp.has(var):
        lin = _linear_coeffs(e.exp, var)
        if lin:
            p, q = lin
            out.update({e.base ** abs(p), e.base**q, e.base})
    elif isinstance(e, (exp, sinh, cosh)):
        lin = _linear_coeffs(e.args[0], var)
        if lin:
            p, q = lin
            out.update({exp(abs(p)), exp(q)})
    elif isinstance(e, (sin, cos)):
        lin = _linear_coeffs(e.args[0], var)
        if lin:
            p, q = lin
            out.update({_unit(abs(p)), _unit(q), IMAG})
    for a in e.args:
        if isinstance(a, Basic):
            _sequence_leaves(a, var, out)


def _unit(w):
    """``e^{iw}``; algebraic (``cos + i sin`` with radicals) when ``w`` is a rational
    multiple of π, so the domain holds it exactly and conjugates stay conjugates."""
    from sympy import expand_complex, pi

    value = exp(IMAG * w)
    ratio = w / pi
    if ratio.is_Rational and ratio.q <= 12:
        value = expand_complex(value)
    return value


def _periodic_angles(e, var, angles):
    """Collect into ``angles`` the rationals ``r`` of the roots of unity ``e^{iπr}`` that
    ``e`` needs (its periodic factors and constants); ``False`` when ``e`` holds anything
    a cyclotomic field cannot (symbols, ``π`` or ``e`` as a number, ``cos(n)``, ...), and
    ``True`` when it has a periodic factor ``cos/sin(πqn)`` or ``e^{iπqn}``."""
    if isinstance(e, Expr) and not e.has(var):
        return None if _constant_angles(e, angles) else False
    periodic = None
    if isinstance(e, (sin, cos, exp)):
        lin = _linear_coeffs(e.args[0], var)
        unit = IMAG * pi if isinstance(e, exp) else pi
        if lin is None or not all((w / unit).is_Rational for w in lin):
            return False
        angles.update(w / unit for w in lin)
        return True
    if isinstance(e, (sinh, cosh)):
        return False
    if isinstance(e, Pow) and not e.base.has(var):
        lin = _linear_coeffs(e.exp, var)
        if lin is None or not all(w.is_Integer for w in lin) or e.base.is_zero:
            return False
        return None if _constant_angles(e.base, angles) else False
    for a in e.args:
        if isinstance(a, Basic):
            got = _periodic_angles(a, var, angles)
            if got is False:
                return False
            periodic = periodic or got
    return periodic


def _constant_angles(c, angles):
    """Can a cyclotomic field hold the constant ``c``? Adds the angles it needs."""
    if c.is_Rational:
        return True
    if c is IMAG:
        angles.add(S.Half)
        return True
    if isinstance(c, (Add, Mul)):
        return all(_constant_angles(a, angles) for a in c.args)
    if isinstance(c, Pow):
        if c.exp.is_Integer:
            return _constant_angles(c.base, angles)
        if c.exp == S.Half and c.base.is_Rational and c.base > 0:
            for p, mult in factorint(int(c.base.p) * int(c.base.q)).items():
                if mult % 2:  # √2 needs ζ₈, √p (odd p) needs ζ_p (Gauss sums)
                    angles.add(S(1) / 4 if p == 2 else S(1) / p)
            return True
        return False
    if isinstance(c, (sin, cos, exp)):
        r = c.args[0] / (IMAG * pi if isinstance(c, exp) else pi)
        if r.is_Rational:
            angles.add(r)
            return True
    return False


def _cyclotomic_domain(exprs, var):
    """``Q(ζ_m)`` for sequences whose only non-rational data are periodic factors
    ``cos/sin(πqn)`` (rational ``q``) and constants of that field; ``None`` otherwise."""
    angles = set()
    periodic = False
    for e in exprs:
        got = _periodic_angles(e, var, angles)
        if got is False:
            return None
        periodic = periodic or bool(got)
    if not periodic:
        return None
    try:
        return CyclotomicField(cyclotomic_order(angles))
    except ValueError:  # φ(m) too large: SymPy's algebraic fields (or EX) instead
        return None


def sequence_domain_for(exprs, var):
    """The exact domain for the constants and bases of sequences in ``var``.

    Periodic factors ``cos(πqn)``, ``sin(πqn)`` with rational ``q`` (and no symbols)
    take the cyclotomic field ``Q(ζ_m)`` that holds all their bases
    (:mod:`symconv.cyclotomic`).

    >>> from sympy import symbols, Rational, cos, sin, pi
    >>> n = symbols("n", integer=True)
    >>> sequence_domain_for([Rational(1, 2)**n], n)
    QQ
    >>> sequence_domain_for([cos(pi*n/3), sin(3*pi*n/4)], n)
    QQ<zeta24>
    """
    cyclotomic = _cyclotomic_domain(exprs, var)
    if cyclotomic is not None:
        return cyclotomic
    leaves = set()
    for e in exprs:
        _sequence_leaves(e, var, leaves)
    items = [x for x in leaves if x.is_number is False or not x.is_Rational]
    items = [x for x in items if x.free_symbols or x.is_number]
    return field_for(items)


class _SequenceConverter(_Converter):
    """Converts expressions in an integer variable; pieces on integer ranges."""

    poly = GeoPoly

    def is_leaf(self, e):
        return not e.has(self.var)

    def convert(self, e):
        if self.is_leaf(e):
            return self.leaf(e)
        if isinstance(e, KroneckerDelta):
            return self.kronecker(e.args[0] - e.args[1], e)
        if isinstance(e, DiracDelta):
            if len(e.args) > 1 and e.args[1] != 0:
                self.unsupported(e, "derivatives of the discrete impulse are undefined")
            return self.kronecker(e.args[0], e)
        if isinstance(e, rect):
            x = e.args[0]
            half = S.Half
            return self.convert(Heaviside(x + half, half) - Heaviside(x - half, half))
        if isinstance(e, Pow) and not e.base.has(self.var):
            return self.geometric(e.base, e.exp, e)
        if isinstance(e, (exp, sin, cos, sinh, cosh)):
            return self.mapped(e)
        return super().convert(e)

    def kronecker(self, arg_expr, e):
        arg = self.convert(arg_expr)
        lin = self.linear_pieces(arg_expr, arg, e)
        if len(lin) != 1 or not lin[0][2]:
            self.unsupported(e, "the impulse's argument must be p*n + q with p != 0")
        _lo, _hi, p, q = lin[0]
        x = -self.rational(q, e) / self.rational(p, e)
        if x.denominator != 1:
            return Signal(self.K)
        x = int(x)
        return Signal(self.K, (Piece(RQ(x), RQ(x + 1), GeoPoly.const(self.K, self.K.one)),))

    def is_plain(self, key):
        return key[1] == self.K.one

    def _base(self, value):
        """``value`` (SymPy) as an element of K; negative exponents become inverses."""
        try:
            return self.K.from_sympy(value)
        except (CoercionFailed, PolynomialError, NotImplementedError, TypeError) as err:
            raise UnsupportedInputError(f"cannot represent {value} exactly", value) from err

    def _power_of(self, base_expr, p):
        """``base^p`` in K, using the inverse for negative ``p``."""
        if p.is_negative:
            return self.K.one / self._base(base_expr ** (-p))
        return self._base(base_expr**p)

    def geometric(self, base, exponent, e):
        K = self.K
        if base.is_zero:
            self.unsupported(e, "0^n is not a supported sequence")
        arg = self.convert(exponent)
        pieces = []
        for lo, hi, p, q in self.linear_pieces(exponent, arg, e):
            ps, qs = K.to_sympy(p), K.to_sympy(q)
            b = self._power_of(base, ps) if ps != 0 else K.one
            c = self._power_of(base, qs) if qs != 0 else K.one
            pieces.append(Piece(lo, hi, GeoPoly.term(K, c, 0, b)))
        return Signal.from_pieces(K, pieces)

    def _bases(self, e):
        """``(lo, hi, b, c)`` pieces with ``e``'s argument giving ``e^{...} = c·bⁿ``:
        ``b``, ``c`` are ``e^p``, ``e^q`` (exp, sinh, cosh) or ``e^{ip}``, ``e^{iq}``
        (cos, sin) for the argument ``p n + q``."""
        K = self.K
        x = e.args[0]
        if isinstance(K, CyclotomicField):  # roots of unity: no π in the domain
            lin = _linear_coeffs(x, self.var)
            unit = IMAG * pi if isinstance(e, exp) else pi
            if lin is None or isinstance(e, (sinh, cosh)) \
                    or not all((w / unit).is_Rational for w in lin):
                self.unsupported(e, f"its argument is not a rational multiple of {unit} "
                                    f"times {self.var} plus one")
            p, q = (w / unit for w in lin)
            return [(NEG_INF, POS_INF, K.unit(p), K.unit(q))]
        arg = self.convert(x)
        out = []
        for lo, hi, p, q in self.linear_pieces(x, arg, e):
            ps, qs = K.to_sympy(p), K.to_sympy(q)
            if isinstance(e, (exp, sinh, cosh)):
                b, c = self._power_of(S.Exp1, ps), self._power_of(S.Exp1, qs)
            else:
                b = self._phase(ps)
                c = self._phase(qs)
            out.append((lo, hi, b, c))
        return out

    def mapped(self, e):
        K = self.K
        half = K.one / K.convert(2)
        pieces = []
        for lo, hi, b, c in self._bases(e):
            bi, ci = K.one / b, K.one / c
            if isinstance(e, exp):
                terms = [(c, b)]
            elif isinstance(e, cosh):
                terms = [(half * c, b), (half * ci, bi)]
            elif isinstance(e, sinh):
                terms = [(half * c, b), (-half * ci, bi)]
            elif isinstance(e, cos):
                terms = [(half * c, b), (half * ci, bi)]
            else:
                i = self.imag_unit()
                terms = [(half / i * c, b), (-half / i * ci, bi)]
            expr = GeoPoly.zero(K)
            for coeff, base in terms:
                expr = expr + GeoPoly.term(K, coeff, 0, base)
            pieces.append(Piece(lo, hi, expr))
        return Signal.from_pieces(K, pieces)

    def _phase(self, w):
        """``e^{i w}`` in K (``w`` SymPy), the inverse for negative ``w``."""
        if w == 0:
            return self.K.one
        if w.could_extract_minus_sign():
            return self.K.one / self._base(_unit(-w))
        return self._base(_unit(w))

    def piece_signs(self, pc, arg_expr):
        K = self.K
        terms = pc.expr.terms
        if len(terms) == 1:
            ((k, b), c), = terms.items()
            if k == 0:
                cs, bs = self.rational(c, arg_expr), self.rational(b, arg_expr)
                if bs > 0:
                    return [(pc.lo, pc.hi, 1 if cs > 0 else -1)]
        if any(b != K.one for (_k, b) in terms):
            self.unsupported(arg_expr, "cannot find where this argument changes sign "
                                       "(only polynomial arguments are supported)")
        coeffs = {k: self.rational(c, arg_expr) for (k, _b), c in terms.items()}
        roots = _rational_roots(coeffs, self, arg_expr)
        cuts = set()
        for r in roots:
            if r.denominator == 1:
                cuts.update({r, r + 1})
            else:
                cuts.add(RQ(-((-r.numerator) // r.denominator)))  # ceil
        cuts = sorted(x for x in cuts if pc.lo < x < pc.hi)
        bounds = [pc.lo, *cuts, pc.hi]
        out = []
        for lo, hi in zip(bounds, bounds[1:], strict=False):
            x0 = lo if is_finite(lo) else (hi - 1 if is_finite(hi) else RQ.zero)
            val = sum(c * x0**k for k, c in coeffs.items())
            out.append((lo, hi, (val > 0) - (val < 0)))
        return out


def _rational_roots(coeffs, conv, arg_expr):
    deg = max(coeffs)
    if deg <= 0:
        return []
    if deg == 1:
        return [-coeffs.get(0, RQ.zero) / coeffs[1]]
    x = Symbol("x")
    poly = Poly(sum(RQ.to_sympy(c) * x**k for k, c in coeffs.items()), x)
    out = []
    for rt in set(poly.real_roots()):
        if not rt.is_Rational:
            # an irrational root splits the integers at its ceiling: find it exactly
            lo = rt.floor() if hasattr(rt, "floor") else None
            if lo is None:
                conv.unsupported(arg_expr, f"cannot place the root {rt}")
            out.append(RQ.from_sympy(S(int(lo))) + RQ(1, 2))
            continue
        out.append(RQ.from_sympy(rt))
    return out


def to_sequence(expr, var, K=None):
    """Convert a SymPy expression in the integer ``var`` into a canonical sequence.

    >>> from sympy import symbols
    >>> from symconv.functions import u
    >>> n = symbols("n", integer=True)
    >>> to_sequence(u(n) - u(n - 3), n).intervals()
    ((0, 3),)
    """
    expr = exact(sympify(expr, strict=True))
    if K is None:
        K = sequence_domain_for([expr], var)
    try:
        seq = _SequenceConverter(var, K).convert(expr)
    except RecursionError:
        raise UnsupportedInputError("the expression is nested too deeply", expr) from None
    degree = max((p.expr.degree() for p in seq.pieces), default=0)
    if degree > MAX_DEGREE:
        raise UnsupportedInputError(f"degree {degree} exceeds the limit {MAX_DEGREE}", expr)
    return seq


# ---------------------------------------------------------------------------
# the engine
# ---------------------------------------------------------------------------
class _SumOracle:
    """Decisions on bases: ``r = 1`` and ``|r| < 1``, exact or from assumptions."""

    def __init__(self, K, nonzero=()):
        self.K = K
        self.nonzero = tuple(nonzero)
        self.cache = {}

    def is_one(self, r):
        K = self.K
        if r == K.one:
            return True
        if K is RQ or isinstance(K, CyclotomicField):  # equality is structural there
            return False
        hit = self.cache.get(r)
        if hit is not None:
            return hit
        e = together(K.to_sympy(r) - 1).as_numer_denom()[0]
        if e.is_number:
            ans = bool(e.is_zero) if e.is_zero is not None else _numeric_zero(e)
        else:
            from symconv.continuous import _UndecidedError

            for fact in self.nonzero:
                ratio = (e / fact).cancel()
                if ratio.is_number and ratio != 0:
                    self.cache[r] = False
                    return False
            ans = e.is_zero
            if ans is None:
                raise _UndecidedError(e)
        self.cache[r] = ans
        return ans

    def magnitude_vs_one(self, r):
        """-1 if |r| < 1, 1 if |r| > 1, 0 if |r| = 1, None if undecided."""
        K = self.K
        if K is RQ:
            a = abs(r)
            return (a > 1) - (a < 1)
        if isinstance(K, CyclotomicField):
            a2 = K.abs2(r)  # |r|², rational for a rational times a root of unity
            if a2.is_rational():
                a2 = a2.rational()
                return (a2 > 1) - (a2 < 1)
        m = Abs(K.to_sympy(r)) - 1
        if m.is_negative:
            return -1
        if m.is_positive:
            return 1
        if m.is_zero:
            return 0
        return None


def _numeric_zero(e):
    return abs(complex(e.evalf(50))) < 1e-40


def _sum_groups(F, G, K):
    """``F(k) G(n-k)`` as ``{(q, r): P(n)}``, ``r = B_f / B_g``."""
    groups = {}
    for (j, b1), c1 in F.terms.items():
        check_deadline()
        for (m, b2), c2 in G.terms.items():
            r = b1 / b2
            c = c1 * c2
            for ell, coeff in binomial_terms(K, m, c):
                _add_term(groups.setdefault((j + ell, r), {}), (m - ell, b2), coeff)
    return {g: GeoPoly(K, tp) for g, tp in groups.items() if tp}


class _PairSum:
    def __init__(self, fp, gp, oracle, cache):
        self.fp, self.gp = fp, gp
        self.oracle = oracle
        self.anti = cache
        self.groups = _sum_groups(fp.expr, gp.expr, oracle.K)
        self.values = {}

    def antidifference(self, q, r):
        key = (q, r)
        a = self.anti.get(key)
        if a is None:
            a = antidifference(self.oracle.K, q, r, self.oracle.is_one(r))
            self.anti[key] = a
        return a

    def check_convergence(self, end):
        for (q, r), _P in self.groups.items():
            rel = self.oracle.magnitude_vs_one(r)
            want = -1 if end.sign > 0 else 1
            if rel == want:
                continue
            rs = self.oracle.K.to_sympy(r)
            where = "+oo" if end.sign > 0 else "-oo"
            k = Symbol("k")
            if rel is None:
                cond = Abs(rs) < 1 if want < 0 else Abs(rs) > 1
                raise DivergenceError(
                    f"the convolution sum converges only if {cond} (the tail {k**q * rs**k} "
                    f"as {k} -> {where}), which the assumptions do not decide",
                    cond,
                )
            raise DivergenceError(
                f"the convolution sum diverges: its terms {k**q * rs**k} do not decay as "
                f"{k} -> {where}"
            )

    def at_limit(self, kind, x):
        key = (kind, x)
        w = self.values.get(key)
        if w is not None:
            return w
        K = self.oracle.K
        if isinstance(x, Inf):
            w = GeoPoly.zero(K)
        elif kind == "const":
            xi = int(x)
            out = GeoPoly.zero(K)
            for (q, r), P in self.groups.items():
                check_deadline()
                val = K.zero
                xk = K.convert(xi)
                for power, coeff in self.antidifference(q, r):
                    val += coeff * (xk**power if power else K.one)
                if not val:
                    continue
                rx = r**xi if xi >= 0 else (K.one / r) ** (-xi)
                out = out + P.scale(val * rx)
            w = out
        else:
            e = int(x)
            out = GeoPoly.zero(K)
            for (q, r), P in self.groups.items():
                check_deadline()
                A = GeoPoly(K, {(p, r): c for p, c in self.antidifference(q, r)})
                out = out + P * A.shift(e)
            w = out
        self.values[key] = w
        return w


def _pair_regions(fp, gp):
    """Regions of ``Σ_k f[k] g[n-k]`` for pieces ``[a, b)`` and ``[c, d)``."""
    a, b, c, d = fp.lo, fp.hi, gp.lo, gp.hi
    one = RQ.one
    lo_s = a + c
    hi_s = b + d - one if is_finite(b + d) else b + d
    a_d = None if (isinstance(a, Inf) and isinstance(d, Inf)) else a + d - one
    b_c = None if (isinstance(b, Inf) and isinstance(c, Inf)) else b + c
    cuts = {x for x in (a_d, b_c) if x is not None and is_finite(x) and lo_s < x < hi_s}
    bounds = [lo_s, *sorted(cuts), hi_s]
    out = []
    for p, q in zip(bounds, bounds[1:], strict=False):
        if not p < q:
            continue
        if a_d is None:
            lower = ("const", NEG_INF)
        elif isinstance(a, Inf):
            lower = ("shift", d - one)
        elif isinstance(d, Inf):
            lower = ("const", a)
        else:
            lower = ("shift", d - one) if p >= a_d else ("const", a)
        if b_c is None:
            upper = ("const", POS_INF)
        elif isinstance(b, Inf):
            upper = ("shift", c - one)
        elif isinstance(c, Inf):
            upper = ("const", b)
        else:
            upper = ("shift", c - one) if q <= b_c else ("const", b)
        out.append((p, q, lower, upper))
    return out


def convolve_sequences(F, G, oracle=None):
    """Convolution of two canonical sequences over the same domain."""
    K = F.K
    oracle = _SumOracle(K) if oracle is None else oracle
    cache = {}
    events, base = accumulate_pairs(
        F, G, lambda fp, gp: _PairSum(fp, gp, oracle, cache), _pair_regions)
    return Signal.from_pieces(K, sweep(K, events, base, GeoPoly))


def reflect_sequence(s):
    """``s[-n]``: ``[lo, hi)`` becomes ``[1 - hi, 1 - lo)``."""
    one = RQ.one
    return Signal.from_pieces(
        s.K, [Piece(one - p.hi, one - p.lo, p.expr.reflect()) for p in s.pieces]
    )


# ---------------------------------------------------------------------------
# Sequence -> SymPy
# ---------------------------------------------------------------------------
def _power(b, n):
    """``bⁿ``; a complex base ``ρ e^{iθ}`` becomes ``ρⁿ (cos θn + i sin θn)``."""
    if not b.has(IMAG):
        return Pow(b, n)
    rho, theta = _polar(b)
    return Pow(rho, n) * (cos(theta * n) + IMAG * sin(theta * n))


def _polar(b):
    """``(ρ, θ)`` of a complex constant, treating symbols as real (``-π < θ ≤ π``
    for numbers)."""
    if b.is_number and not b.has(exp):
        return Abs(b), arg(b)
    if isinstance(b, exp):
        re_x, im_x = _formal_re_im(b.args[0])
        return exp(re_x), im_x
    if isinstance(b, Pow) and isinstance(b.base, exp):
        rho, theta = _polar(b.base)
        return rho**b.exp, theta * b.exp
    if isinstance(b, Mul):
        rho, theta = S.One, S.Zero
        for factor in b.args:
            r1, t1 = _polar(factor)
            rho, theta = rho * r1, theta + t1
        return rho, theta
    return Abs(b), arg(b)


def _periodic_to_sympy(f, n):
    """``f`` over a cyclotomic field as SymPy: each base is ``a ζʲ`` (``a > 0`` rational)
    and becomes ``aⁿ (cos θn + i sin θn)``, ``θ = 2πj/m``; when the conjugate terms pair
    up (a real sequence) the pair is ``2 aⁿ (Re c · cos θn - Im c · sin θn)``, collected
    by sinusoid. ``None`` when a base is not of that form (the generic path takes it)."""
    K = f.K
    m = K.m
    parts = {}
    for (k, b), c in f.terms.items():
        unit = K.as_unit_multiple(b)
        if unit is None:
            return None
        a, j = unit
        parts[(k, a, j)] = c
    real = True
    for (k, a, j), c in parts.items():
        partner = parts.get((k, a, -j % m))
        if partner is None or partner != K.conjugate(c):
            real = False
            break
    groups = {}

    def add(sinusoid, coeff, k, a):
        if coeff != 0:
            groups.setdefault(sinusoid, []).append(Mul(coeff, n**k, Pow(RQ.to_sympy(a), n)))

    for (k, a, j), c in sorted(parts.items(), key=lambda kv: kv[0]):
        check_deadline()
        re_c, im_c = K.real_imag_sympy(c)
        if j == 0 or 2 * j == m:  # a real base ±a
            sg = 1 if j == 0 else -1
            if real:
                add(S.One, re_c, k, sg * a)
            else:
                add(S.One, re_c + IMAG * im_c, k, sg * a)
            continue
        theta = pi * Rational(2 * j, m) if 2 * j < m else pi * Rational(2 * j - 2 * m, m)
        if real:
            if 2 * j > m:
                continue  # the partner of a term with θ in (0, π)
            add(cos(theta * n), 2 * re_c, k, a)
            add(sin(theta * n), -2 * im_c, k, a)
        else:
            add(S.One, (re_c + IMAG * im_c) * (cos(theta * n) + IMAG * sin(theta * n)), k, a)
    out = []
    for sinusoid, terms in groups.items():
        out.append(Mul(sinusoid, Add(*terms)))
    return Add(*out)


def _geopoly_to_sympy(f, n):
    K = f.K
    if isinstance(K, CyclotomicField):
        expr = _periodic_to_sympy(f, n)
        if expr is not None:
            return expr
    expr = Add(*[
        Mul(_nice(K.to_sympy(c)), n**k, _power(K.to_sympy(b), n))
        for (k, b), c in sorted(f.terms.items(), key=lambda kv: (kv[0][0], str(kv[0][1])))
    ])
    if not expr.has(IMAG):
        return expr
    # conjugate bases e^{±iω}: the imaginary parts cancel for a real sequence
    expr = expand(expr)
    re_e, im_e = _formal_re_im(expr)
    re_e = collect(re_e, [cos(w) for w in re_e.atoms(cos)] + [sin(w) for w in re_e.atoms(sin)])
    return re_e if im_e == 0 else re_e + IMAG * im_e


def _absorb_short_pieces(seq, longest=64):
    """Merge a short piece into a neighbour whose expression gives the same values there.

    Sums produce single-point pieces (at ``n = a + c``, ...) whose values the
    neighbouring closed form already matches; merging them is the discrete
    "equal neighbours" rule, decided exactly.
    """
    pieces = list(seq.pieces)
    changed = True
    while changed:
        check_deadline()
        changed = False
        for i, p in enumerate(pieces):
            if not (is_finite(p.lo) and is_finite(p.hi)) or p.hi - p.lo > longest:
                continue
            pts = range(int(p.lo), int(p.hi))
            vals = [p.expr.at(x) for x in pts]
            for j in (i + 1, i - 1):  # prefer the piece that starts there
                if 0 <= j < len(pieces):
                    q = pieces[j]
                    if (q.hi == p.lo or q.lo == p.hi) and all(
                        q.expr.at(x) == v for x, v in zip(pts, vals, strict=True)
                    ):
                        lo, hi = min(p.lo, q.lo), max(p.hi, q.hi)
                        pieces[j] = Piece(lo, hi, q.expr)
                        del pieces[i]
                        changed = True
                        break
            if changed:
                break
    return Signal.from_pieces(seq.K, pieces)


def sequence_to_sympy(seq, n):
    """A sequence as a SymPy ``Piecewise`` in ``n`` (``n < hi`` conditions, in order).

    >>> from sympy import symbols
    >>> from symconv.functions import u
    >>> n = symbols("n", integer=True)
    >>> sequence_to_sympy(to_sequence(u(n) - u(n - 2), n), n)
    Piecewise((0, n < 0), (1, n < 2), (0, True))
    """
    seq = _absorb_short_pieces(seq)
    full = []
    prev = NEG_INF
    for p in seq.pieces:
        if prev < p.lo:
            full.append((p.lo, S.Zero))
        full.append((p.hi, _geopoly_to_sympy(p.expr, n)))
        prev = p.hi
    if prev < POS_INF:
        full.append((POS_INF, S.Zero))
    if len(full) == 1:
        return full[0][1]
    args = []
    for i, (hi, e) in enumerate(full):
        cond = S.true if i == len(full) - 1 else n < to_sympy_point(hi)
        args.append((e, cond))
    return Piecewise(*args)


# ---------------------------------------------------------------------------
# public closed-form entry points
# ---------------------------------------------------------------------------
def _check_var(var):
    if not isinstance(var, Symbol):
        raise UnsupportedInputError(f"the variable must be a SymPy Symbol, got {var!r}")
    if var.is_extended_positive or var.is_extended_negative or var.is_extended_nonnegative \
            or var.is_extended_nonpositive:
        raise UnsupportedInputError(
            f"the index {var} carries a sign assumption; declare it as "
            f"symbols('{var}', integer=True): with a sign assumption SymPy rewrites u({var}) "
            "to 1 before symconv sees it"
        )


def _compute(op, f, g, var, nonzero):
    K = sequence_domain_for([f, g], var)
    F = to_sequence(f, var, K)
    G = to_sequence(g, var, K)
    return sequence_to_sympy(op(F, G, _SumOracle(K, nonzero)), var)


def convolve_sequence(f, g, var, *, conditions="piecewise"):
    """Closed-form ``y[n] = Σ_k f[k] g[n-k]`` for sequences in the integer symbol ``var``.

    ``u(n)`` is the discrete step (``u[0] = 1``), ``KroneckerDelta(n, k)`` and
    ``delta(n)`` the discrete impulse; pieces ``c nᵏ aⁿ {1, cos ωn, sin ωn}`` on
    integer ranges. Coinciding bases (``a = b``) become a ``Piecewise`` on the
    parameters; infinite sums need ``|r| < 1`` (proven, or
    :class:`~symconv.errors.DivergenceError` naming the condition).

    >>> from sympy import symbols
    >>> from symconv.functions import u
    >>> n = symbols("n", integer=True)
    >>> convolve_sequence(u(n) - u(n - 2), u(n) - u(n - 3), n)
    Piecewise((0, n < 0), (n + 1, n < 2), (4 - n, n < 4), (0, True))
    """
    from symconv.continuous import _cases
    from symconv.order import Facts

    _check_var(var)
    f, g = exact(sympify(f, strict=True)), exact(sympify(g, strict=True))
    return _cases(lambda a, b, v, facts: _compute(convolve_sequences, a, b, v, facts.nonzero),
                  f, g, var, Facts(), conditions)


def correlate_sequence(f, g, var, *, conditions="piecewise"):
    """Closed-form cross-correlation ``Σ_k f[k] g[k + n]``.

    >>> from sympy import symbols
    >>> from symconv.functions import u
    >>> n = symbols("n", integer=True)
    >>> correlate_sequence(u(n) - u(n - 2), u(n) - u(n - 2), n)
    Piecewise((0, n < -1), (n + 2, n < 0), (2 - n, n < 2), (0, True))
    """
    from symconv.continuous import _cases
    from symconv.order import Facts

    _check_var(var)
    f, g = exact(sympify(f, strict=True)), exact(sympify(g, strict=True))

    def op(F, G, oracle):
        return convolve_sequences(reflect_sequence(F), G, oracle)

    return _cases(lambda a, b, v, facts: _compute(op, a, b, v, facts.nonzero),
                  f, g, var, Facts(), conditions)


