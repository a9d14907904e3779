"""Conversions between SymPy expressions and the canonical
:class:`~symconv.canonical.signal.Signal`.

This is the only place that knows SymPy's spellings of signals: ``Heaviside``,
``Piecewise``, ``DiracDelta``, ``Abs``, ``Min``/``Max``, ``sign``, ``exp``,
``sin``/``cos``/``sinh``/``cosh``, powers, and symconv's ``u``, ``rect``,
``tri``, ``ramp``. Every engine sees only canonical data.

Examples
--------
>>> from sympy import Rational, exp, symbols
>>> from symconv.functions import rect, u
>>> t = symbols("t", real=True)
>>> K = domain_for([2*exp(-t/2)*u(t), rect(t - Rational(1, 2))], t)
>>> s = to_signal(rect(t - Rational(1, 2)), t, K)
>>> s.intervals()
((0, 1),)
>>> from symconv.convert.output import to_sympy
>>> to_sympy(s, t)
Piecewise((0, t < 0), (1, t < 1), (0, True))
"""

from __future__ import annotations

from functools import lru_cache
from itertools import pairwise

from sympy import (
    Abs,
    Add,
    And,
    Basic,
    DiracDelta,
    Eq,
    Expr,
    Heaviside,
    Max,
    Min,
    Mul,
    Ne,
    Not,
    Or,
    Piecewise,
    Poly,
    Pow,
    S,
    Symbol,
    Tuple,
    cos,
    cosh,
    exp,
    expand,
    log,
    sign,
    sin,
    sinh,
    sympify,
    together,
)
from sympy import I as IMAG
from sympy.core.relational import Relational
from sympy.core.sympify import SympifyError
from sympy.logic.boolalg import Boolean, BooleanFalse, BooleanTrue
from sympy.polys.domains import EX, QQ_I
from sympy.polys.polyerrors import CoercionFailed, PolynomialError

from symconv.canonical.domains import field_for
from symconv.canonical.expoly import ExpPoly, python_products
from symconv.canonical.order import point
from symconv.canonical.rational import RQ, RQI, embed
from symconv.canonical.signal import (
    NEG_INF,
    POS_INF,
    Impulse,
    Inf,
    Piece,
    Signal,
    is_finite,
    to_sympy_point,
)
from symconv.canonical.sizes import MAX_DEGREE, MAX_TERMS, check_work
from symconv.convert.exact import exact
from symconv.errors import UndecidableOrderError, UnsupportedInputError
from symconv.functions import ramp, rect, tri, u
from symconv.limits import check_deadline

__all__ = ["as_expression", "check_value", "domain_for", "exact", "to_signal"]

_TRIG = (sin, cos)
_MAPPED = (exp, sin, cos, sinh, cosh)

#: Hint appended to messages about inputs outside the exponential-polynomial class.
_CLASS_HINT = (
    "symconv's exact engine handles pieces of the form c·t^k·e^(a t)·cos/sin(b t) "
    "with breakpoints linear in real parameters"
)


# ---------------------------------------------------------------------------
# input cleaning and domain choice (exact numbers: symconv.convert.exact)
# ---------------------------------------------------------------------------
def as_expression(x, name):
    """``x`` as an exact SymPy expression, or an error naming the argument ``name``; text is
    refused (it is read only by symconv's own parser, never evaluated).

    >>> as_expression(0.5, "f")
    1/2
    """
    if isinstance(x, str):
        raise UnsupportedInputError(
            f"{name} is a string ({x!r}); pass a SymPy expression "
            "(text is parsed only by symconv's own parser, never evaluated)")
    try:
        x = sympify(x, strict=True)
    except SympifyError as err:
        raise UnsupportedInputError(f"{name} is not a SymPy expression: {x!r}") from err
    if not isinstance(x, Basic):
        raise UnsupportedInputError(f"{name} is not a SymPy expression: {x!r}")
    check_value(x, name)
    return exact(x)


def check_value(x, name):
    """Refuse (:class:`UnsupportedInputError`, naming ``name``) a SymPy object that is not
    a signal's value: a truth value, a matrix or set, non-commutative factors, or an
    undefined or infinite value (``nan``, ``zoo``, ``oo``) outside a condition.

    >>> from sympy import nan, symbols
    >>> check_value(symbols("t") + 1, "f")
    >>> try:
    ...     check_value(nan, "f[2]")
    ... except Exception as err:
    ...     print(str(err)[:40])
    f[2] takes an undefined value (nan): a s
    """
    if isinstance(x, Boolean) and not isinstance(x, Expr):  # a Symbol is both
        raise UnsupportedInputError(f"{name} is a truth value ({x}), not a signal")
    if not isinstance(x, Expr) or getattr(x, "is_Matrix", False):
        raise UnsupportedInputError(
            f"{name} is a SymPy {type(x).__name__} ({str(x)[:80]}), not a signal expression; "
            "a matrix or set of signals is convolved entry by entry")
    if x.is_commutative is False:
        odd = sorted(str(s) for s in x.free_symbols if s.is_commutative is False)
        raise UnsupportedInputError(
            f"{name} has non-commutative factors ({', '.join(odd) or x}): a signal takes "
            "numeric values")
    bad = _undefined_value(x)
    if bad is not None:
        what = "an undefined value" if bad in (S.NaN, S.ComplexInfinity) else "an infinite value"
        hint = "" if name.endswith("]") else " (write an impulse as delta(t))"
        raise UnsupportedInputError(f"{name} takes {what} ({bad}): a signal has finite "
                                    f"values{hint}", x)


def _undefined_value(e):
    """``nan``, ``zoo``, ``oo`` or ``-oo`` found among the values of ``e`` (conditions such
    as ``t < oo`` do not count), or ``None``."""
    if e in (S.NaN, S.ComplexInfinity, S.Infinity, S.NegativeInfinity):
        return e
    if isinstance(e, (Boolean, Tuple)) or not e.args:  # conditions, integration limits
        return None
    for a in e.args:
        found = _undefined_value(a)
        if found is not None:
            return found
    return None


def _is_leaf(e, var):
    return not e.has(var) and not e.has(exp, sinh, cosh) and not e.has(S.Exp1)


def _leaves(e, var, out):
    """Collect the constants the conversion will put into the domain."""
    if isinstance(e, Expr) and (_is_leaf(e, var) or (isinstance(e, Pow) and not e.has(var))):
        out.add(e)
        return False
    needs_i = isinstance(e, _TRIG)
    if isinstance(e, Pow) and not e.base.has(var) and e.exp.has(var):
        out.add(log(e.base))
    for a in e.args:
        if isinstance(a, Basic) and not isinstance(a, (BooleanTrue, BooleanFalse)):
            needs_i = _leaves(a, var, out) or needs_i
    return needs_i


def domain_for(exprs, var):
    """The exact SymPy domain (a field) that holds all constants of ``exprs``: the fast
    rationals ``RQ`` and Gaussian rationals ``RQI`` (:mod:`symconv.canonical.rational`)
    where SymPy would take ``QQ`` and ``QQ_I``.

    Examples
    --------
    >>> from sympy import cos, exp, symbols
    >>> t = symbols("t", real=True)
    >>> a = symbols("a", positive=True)
    >>> domain_for([exp(-t)], t), domain_for([cos(t)], t), domain_for([exp(-a*t)], t)
    (QQ, QQ_I, ZZ(a))
    """
    leaves = set()
    needs_i = False
    for e in exprs:
        needs_i = _leaves(e, var, leaves) or needs_i
    leaves.discard(var)
    items = [x for x in leaves if not x.is_Rational]
    items.extend(_breakpoint_exponentials(exprs, var))
    if needs_i or any(x.has(IMAG) for x in items):
        items.append(IMAG)
    K = field_for(items)
    return RQI if K == QQ_I else K  # the Gaussian rationals with cheap hashes


#: Functions whose argument places a breakpoint or an impulse.
_LOCATING = (Heaviside, u, rect, tri, ramp, DiracDelta, Abs, sign, Min, Max, Piecewise)


def _breakpoint_exponentials(exprs, var):
    """The constants ``e``, ``e²``, ... that locate a breakpoint or an impulse
    (``u(t - E)``, ``δ(t - e²)``) or stand in the argument of an exponential or a sine
    (``e^{E - t}``): they must be numbers of the domain, while elsewhere ``e^{r}`` stays a
    term's key (and rational data keep the fast path)."""
    return [x for e in exprs for x in _locating_exponentials(e, var)]


@lru_cache(maxsize=1024)
def _locating_exponentials(e, var):
    out = []
    if e.has(S.Exp1, exp):
        functions = [f for f in e.atoms(*_MAPPED) if f.has(var)]  # e^{E - t}: E as a number
        for f in list(e.atoms(*_LOCATING)) + functions:
            where = [c for _v, c in f.args] if isinstance(f, Piecewise) else f.args
            for a in where:
                if not isinstance(a, Basic):
                    continue
                if a.has(S.Exp1):
                    out.append(S.Exp1)
                out.extend(x for x in a.atoms(exp) if not x.has(var) and x.args[0].is_Rational)
    return tuple(out)


# ---------------------------------------------------------------------------
# interval sets (lists of disjoint sorted (lo, hi) pairs)
# ---------------------------------------------------------------------------
_LINE = ((NEG_INF, POS_INF),)


def _set_union(a, b):
    out = []
    for lo, hi in sorted(list(a) + list(b), key=lambda p: p[0]):
        if out and lo <= out[-1][1]:
            if hi > out[-1][1]:
                out[-1] = (out[-1][0], hi)
        else:
            out.append((lo, hi))
    return tuple(out)


def _set_complement(a):
    out = []
    prev = NEG_INF
    for lo, hi in a:
        if prev < lo:
            out.append((prev, lo))
        prev = hi
    if prev < POS_INF:
        out.append((prev, POS_INF))
    return tuple(out)


def _set_intersection(a, b):
    return _set_complement(_set_union(_set_complement(a), _set_complement(b)))


# ---------------------------------------------------------------------------
# SymPy -> Signal
# ---------------------------------------------------------------------------
class _Converter:
    """Recursive conversion of one expression into a Signal over ``K``."""

    #: The piece algebra: ExpPoly here, GeoPoly for sequences.
    poly = ExpPoly

    def __init__(self, var, K):
        self.var = var
        self.K = K
        self._i = None

    def is_leaf(self, e):
        return _is_leaf(e, self.var)

    def is_plain(self, key):
        """Is the term a plain power of the variable (no exponential factor)?"""
        _k, s, r = key
        return not s and not r

    # -- helpers -------------------------------------------------------------
    def unsupported(self, expr, why):
        raise UnsupportedInputError(f"cannot convert {expr}: {why}", expr)

    def const_signal(self, c):
        return Signal(self.K, (Piece(NEG_INF, POS_INF, c),) if not c.is_zero else ())

    def leaf(self, e):
        try:
            c = self.K.from_sympy(e)
        except (CoercionFailed, PolynomialError, NotImplementedError, TypeError) as err:
            raise UnsupportedInputError(
                f"cannot represent the constant {e} exactly (in the domain {self.K})", e
            ) from err
        return self.const_signal(self.poly.const(self.K, c))

    def _holds(self, e):
        """Is the constant ``e`` an element of the domain (``E`` or ``e²`` as a generator)?"""
        if self.K is RQ or self.K == EX:
            return False
        try:
            self.K.from_sympy(e)
        except (CoercionFailed, PolynomialError, NotImplementedError, TypeError, ValueError):
            return False
        return True

    def imag_unit(self):
        if self._i is None:
            try:
                self._i = self.K.from_sympy(IMAG)
            except CoercionFailed as err:  # pragma: no cover - domain_for adds I
                raise UnsupportedInputError("complex exponent needs I in the domain") from err
        return self._i

    def breakpoint(self, x, expr):
        """The constant ``x`` (in K) as a breakpoint: a rational or a symbolic
        :class:`~symconv.canonical.order.Point`, or an error naming ``expr``."""
        if self.K is RQ:
            return x
        return point(self.K.to_sympy(x), expr)

    def sign_of(self, x, expr, nonzero=False):
        """The sign (-1, 0, 1) of the constant ``x``, decided by the facts in force
        (an undecided sign raises :class:`~symconv.errors.UndecidableOrderError`;
        with ``nonzero`` the case ``x = 0`` is excluded from its split, as for the
        scale ``p`` of an argument ``p t + q``)."""
        if self.K is RQ:
            return (x > 0) - (x < 0)
        num, den = together(self.K.to_sympy(x)).as_numer_denom()
        sign = 1
        for part in (num, den):
            b = point(part, expr)
            try:
                sign *= (b > 0) - (b < 0)
            except UndecidableOrderError as err:
                err.strict_only = nonzero or part is den
                raise
        return sign

    def rational(self, x, expr):
        """The K element ``x`` as an exact rational (QQ), or an error naming ``expr``."""
        K = self.K
        if K is RQ:
            return x
        v = K.to_sympy(x)
        if v.is_Rational:
            return RQ.from_sympy(v)
        self.unsupported(
            expr,
            f"the breakpoint or sign depends on {v}; symbolic breakpoints are supported only "
            f"where an argument is linear in the variable ({_CLASS_HINT})",
        )
        return None  # pragma: no cover

    # -- dispatch ------------------------------------------------------------
    def convert(self, e):
        var = self.var
        if self.is_leaf(e):
            return self.leaf(e)
        if e == var:
            return self.const_signal(self.poly.monomial(self.K, 1))
        if e is S.Exp1 or (isinstance(e, exp) and not e.has(var)):
            if self._holds(e):  # a generator of the domain: a plain constant
                return self.leaf(e)
            if e is S.Exp1:
                return self.const_signal(ExpPoly.const(self.K, self.K.one, self.K.one))
        if isinstance(e, Add):
            return signal_sum(self.K, [self.convert(a) for a in e.args], self.poly)
        if isinstance(e, Mul):
            out = None
            for a in e.args:
                s = self.convert(a)
                out = s if out is None else self.product(out, s, e)
            return out
        if isinstance(e, Pow):
            return self.power(e)
        if isinstance(e, _MAPPED):
            return self.mapped(e)
        if isinstance(e, (Heaviside, u)):
            return self.step(e)
        if isinstance(e, (rect, tri, ramp)):
            return self.convert(e.rewrite(Heaviside).replace(
                lambda x: isinstance(x, Heaviside), lambda x: u(x.args[0])))
        if isinstance(e, Abs):
            arg = self.convert(e.args[0])
            return self.product(arg, self.sign_signal(arg, e.args[0]), e)
        if isinstance(e, sign):
            arg = self.convert(e.args[0])
            return self.sign_signal(arg, e.args[0])
        if isinstance(e, (Min, Max)):
            return self.extremum(e)
        if isinstance(e, Piecewise):
            return self.piecewise(e)
        if isinstance(e, DiracDelta):
            return self.dirac(e)
        self.unsupported(e, f"{type(e).__name__} is not a supported signal ({_CLASS_HINT})")
        return None  # pragma: no cover

    # -- pointwise algebra ---------------------------------------------------
    def product(self, a, b, expr):
        if a.impulses and b.impulses:
            self.unsupported(expr, "a product of two impulses is undefined")
        out = signal_product(self.K, a, b)
        imps = []
        for x, y in ((a, b), (b, a)):
            for imp in x.impulses:
                imps.extend(self.sift(imp, y, expr))
        if not imps:
            return out
        return Signal.from_pieces(self.K, out.pieces, out.impulses + tuple(imps))

    def sift(self, imp, smooth, expr):
        """``h(t) δ⁽ᵐ⁾(t - T)`` as impulses, by the sifting property."""
        T, m = imp.at, imp.order
        # derivatives of h at T from both sides; they must agree
        K = self.K
        left = right = None
        for p in smooth.pieces:
            if p.lo < T < p.hi:
                left = right = p.expr
            elif p.hi == T:
                left = p.expr
            elif p.lo == T:
                right = p.expr
        zero = ExpPoly.zero(K)
        left = zero if left is None else left
        right = zero if right is None else right
        Tk = embed(K, T)
        out = []
        from math import comb

        for j in range(m + 1):
            lv, rv = left.at(Tk), right.at(Tk)
            if lv != rv:
                self.unsupported(
                    expr,
                    "an impulse multiplies a function that is not smooth enough at "
                    f"t = {to_sympy_point(T)} (value or derivative jumps there)",
                )
            w = lv.scale(K.convert((-1) ** j * comb(m, j)))
            if not w.is_zero:
                out.append(Impulse(T, m - j, imp.weight * w))
            left, right = left.diff(), right.diff()
        return out

    def power(self, e):
        base, ex = e.base, e.exp
        if not e.has(self.var):
            return self.leaf(e)  # a constant such as 1/(1 + e)
        if not base.has(self.var):
            # c^{f(t)} = exp(f(t) log c)
            return self.convert(exp(ex * log(base)))
        if ex.is_Integer and ex >= 0:
            if ex > MAX_DEGREE:
                self.unsupported(e, f"the exponent {ex} exceeds the limit {MAX_DEGREE}")
            s = self.convert(base)
            if s.impulses:
                self.unsupported(e, "a power of an impulse is undefined")
            if self.K is not RQ and any(len(p.expr.terms) == 2 for p in s.pieces) \
                    and ex + 1 > MAX_TERMS:
                raise UnsupportedInputError(
                    f"cannot convert {e}: its expansion has {ex + 1} terms; the limit is "
                    f"{MAX_TERMS} terms a piece for coefficients in {self.K} (MAX_TERMS)",
                    e, limit="MAX_TERMS")
            if not ex:
                return self.const_signal(self.poly.const(self.K, self.K.one))
            # pieces are disjoint: the power is taken piece by piece
            n = int(ex)
            return Signal.from_pieces(
                self.K, [Piece(p.lo, p.hi, _power(self.K, p.expr, n)) for p in s.pieces])
        self.unsupported(e, f"only non-negative integer powers of the variable ({_CLASS_HINT})")
        return None  # pragma: no cover

    # -- functions of a linear argument -------------------------------------
    def linear_pieces(self, arg_expr, arg, whole=None):
        """Pieces covering the line as ``(lo, hi, p, q)`` with ``arg = p t + q``."""
        whole = arg_expr if whole is None else whole
        if arg.impulses:
            self.unsupported(whole, "an impulse inside a function argument")
        K = self.K
        out = []
        prev = NEG_INF
        z = K.zero
        for pc in arg.pieces:
            if prev < pc.lo:
                out.append((prev, pc.lo, z, z))
            p = q = z
            for key, c in pc.expr.terms.items():
                k = key[0]
                if not self.is_plain(key) or k > 1:
                    self.unsupported(
                        whole,
                        f"the argument {arg_expr} must be linear in {self.var} ({_CLASS_HINT})",
                    )
                if k == 1:
                    p = c
                else:
                    q = c
            out.append((pc.lo, pc.hi, p, q))
            prev = pc.hi
        if prev < POS_INF:
            out.append((prev, POS_INF, z, z))
        return out

    def mapped(self, e):
        K = self.K
        arg = self.convert(e.args[0])
        half = K.one / K.convert(2)
        pieces = []
        for lo, hi, p, q in self.linear_pieces(e.args[0], arg, e):
            if isinstance(e, exp):
                terms = [(K.one, p, q)]
            elif isinstance(e, (sinh, cosh)):
                sg = K.one if isinstance(e, cosh) else -K.one
                terms = [(half, p, q), (sg * half, -p, -q)]
            else:
                i = self.imag_unit()
                if isinstance(e, cos):
                    terms = [(half, i * p, i * q), (half, -i * p, -i * q)]
                else:  # sin x = (e^{ix} - e^{-ix}) / (2i)
                    c = half / i
                    terms = [(c, i * p, i * q), (-c, -i * p, -i * q)]
            expr = ExpPoly.zero(K)
            for c, s, r in terms:
                expr = expr + ExpPoly.term(K, c, 0, s, r)
            pieces.append(Piece(lo, hi, expr))
        return Signal.from_pieces(K, pieces)

    def sign_regions(self, arg, arg_expr):
        """``(lo, hi, sign)`` covering the line, for a signal with sign-decidable pieces."""
        out = []
        prev = NEG_INF
        for pc in arg.pieces:
            if prev < pc.lo:
                out.append((prev, pc.lo, 0))
            out.extend(self.piece_signs(pc, arg_expr))
            prev = pc.hi
        if prev < POS_INF:
            out.append((prev, POS_INF, 0))
        if arg.impulses:
            self.unsupported(arg_expr, "an impulse inside a function argument")
        return out

    def piece_signs(self, pc, arg_expr):
        K = self.K
        terms = pc.expr.terms
        if len(terms) == 1:
            ((k, s, r), c), = terms.items()
            if k == 0:
                for x in (s, r):
                    if x and K.to_sympy(x).is_extended_real is not True:
                        self.unsupported(arg_expr, "cannot decide the sign of a complex "
                                                   "expression")
                return [(pc.lo, pc.hi, self.sign_of(c, arg_expr))]
        if any(s for (_k, s, _r) in terms) or (
                any(r for (_k, _s, r) in terms) and max(k for k, _s, _r in terms) > 1):
            self.unsupported(arg_expr, "cannot find where this argument changes sign "
                                       "(only polynomial arguments are supported)")
        if any(r for (_k, _s, r) in terms):  # a constant exponential: t - E
            return self.linear_signs(pc, arg_expr)
        if K is not RQ and max(k for k, _s, _r in terms) == 1:
            return self.linear_signs(pc, arg_expr)
        coeffs = {k: self.rational(c, arg_expr) for (k, _s, _r), c in terms.items()}
        deg = max(coeffs)
        roots = []
        if deg == 1:
            roots = [-coeffs.get(0, RQ.zero) / coeffs[1]]
        elif deg > 1:
            x = Symbol("x")
            poly = Poly(sum(RQ.to_sympy(c) * x**k for k, c in coeffs.items()), x)
            for rt in set(poly.real_roots()):
                if not rt.is_Rational:
                    self.unsupported(arg_expr, f"the argument changes sign at the irrational "
                                               f"point {rt}; only rational breakpoints are "
                                               "supported")
                roots.append(RQ.from_sympy(rt))
        cuts = [pc.lo] + sorted(r for r in set(roots) if pc.lo < r < pc.hi) + [pc.hi]
        out = []
        for lo, hi in pairwise(cuts):
            x0 = _inside(lo, hi)
            val = sum(c * x0**k for k, c in coeffs.items())
            out.append((lo, hi, (val > 0) - (val < 0)))
        del K
        return out

    def linear_signs(self, pc, arg_expr):
        """Signs of ``p t + q`` on a piece: the root may be a symbolic breakpoint or a
        constant (``t - E`` holds the constant exponential ``e¹``)."""
        terms = pc.expr.terms
        if any(r for (_k, _s, r) in terms):
            K = self.K
            p, q = (Add(*[K.to_sympy(c) * exp(K.to_sympy(r))
                          for (k, _s, r), c in terms.items() if k == j]) for j in (1, 0))
            root = point(-q / p, arg_expr)
            sp = (point(p, arg_expr) > 0) * 2 - 1
        else:
            p = q = self.K.zero
            for (k, _s, _r), c in terms.items():
                if k == 1:
                    p = c
                else:
                    q = c
            root = self.breakpoint(-q / p, arg_expr)
            sp = self.sign_of(p, arg_expr, nonzero=True)
        out = []
        if pc.lo < root:
            out.append((pc.lo, root if root < pc.hi else pc.hi, -sp))
        if root < pc.hi:
            out.append((root if pc.lo < root else pc.lo, pc.hi, sp))
        return out

    def sign_signal(self, arg, arg_expr, zero_value=None):
        K = self.K
        pieces = []
        for lo, hi, sg in self.sign_regions(arg, arg_expr):
            val = zero_value if sg == 0 else K.convert(sg)
            if val:
                pieces.append(Piece(lo, hi, self.poly.const(K, val)))
        return Signal.from_pieces(K, pieces)

    def indicator(self, intervals):
        one = self.poly.const(self.K, self.K.one)
        return Signal.from_pieces(self.K, [Piece(lo, hi, one) for lo, hi in intervals])

    def step(self, e):
        arg_expr = e.args[0]
        arg = self.convert(arg_expr)
        K = self.K
        if isinstance(e, u):
            at_zero = K.one
        elif len(e.args) > 1 and e.args[1] is not None:
            at_zero = K.from_sympy(e.args[1])
        else:
            at_zero = K.one / K.convert(2)
        pieces = []
        for lo, hi, sg in self.sign_regions(arg, arg_expr):
            val = K.one if sg > 0 else (at_zero if sg == 0 else K.zero)
            if val:
                pieces.append(Piece(lo, hi, self.poly.const(K, val)))
        return Signal.from_pieces(K, pieces)

    def extremum(self, e):
        args = [self.convert(a) for a in e.args]
        out, out_expr = args[0], e.args[0]
        for a, a_expr in zip(args[1:], e.args[1:], strict=True):
            diff = signal_sum(self.K, [out, signal_scale(self.K, a, -self.K.one)], self.poly)
            pos = [(lo, hi) for lo, hi, sg in self.sign_regions(diff, out_expr - a_expr)
                   if sg > 0]
            neg = _set_complement(tuple(pos))
            if isinstance(e, Min):
                pos, neg = neg, pos
            out = signal_sum(self.K, [signal_product(self.K, out, self.indicator(pos)),
                                      signal_product(self.K, a, self.indicator(neg))], self.poly)
            out_expr = e.func(out_expr, a_expr)
        return out

    # -- Piecewise -----------------------------------------------------------
    def condition_set(self, cond):
        if isinstance(cond, BooleanTrue) or cond is True:
            return _LINE
        if isinstance(cond, BooleanFalse) or cond is False:
            return ()
        if isinstance(cond, And):
            out = _LINE
            for a in cond.args:
                out = _set_intersection(out, self.condition_set(a))
            return out
        if isinstance(cond, Or):
            out = ()
            for a in cond.args:
                out = _set_union(out, self.condition_set(a))
            return out
        if isinstance(cond, Not):
            return _set_complement(self.condition_set(cond.args[0]))
        if isinstance(cond, Relational):
            lhs_minus_rhs = cond.lhs - cond.rhs
            diff = self.convert(lhs_minus_rhs)
            regions = self.sign_regions(diff, lhs_minus_rhs)
            if isinstance(cond, Eq):
                keep = {0}
            elif isinstance(cond, Ne):
                keep = {-1, 1}
            elif cond.rel_op in (">", ">="):
                keep = {1, 0} if cond.rel_op == ">=" else {1}
            else:
                keep = {-1, 0} if cond.rel_op == "<=" else {-1}
            return _set_union((), [(lo, hi) for lo, hi, sg in regions if sg in keep])
        self.unsupported(cond, "unsupported condition in a Piecewise")
        return ()  # pragma: no cover

    def piecewise(self, e):
        taken = ()
        parts = []
        for expr, cond in e.args:
            region = _set_intersection(self.condition_set(cond), _set_complement(taken))
            taken = _set_union(taken, region)
            if region and expr != 0:
                branch = self.convert(expr)
                if branch.impulses:
                    self.unsupported(e, "impulses inside a Piecewise branch; add them outside")
                parts.append(signal_product(self.K, branch, self.indicator(region)))
        return signal_sum(self.K, parts, self.poly)

    # -- impulses ------------------------------------------------------------
    def dirac(self, e):
        arg_expr = e.args[0]
        order = int(e.args[1]) if len(e.args) > 1 else 0
        arg = self.convert(arg_expr)
        lin = self.linear_pieces(arg_expr, arg, e)
        if len(lin) != 1 or not lin[0][2]:
            self.unsupported(e, "the argument of DiracDelta must be a p*t + q with p != 0")
        _lo, _hi, p, q = lin[0]
        K = self.K
        at = self.breakpoint(-q / p, e)
        # δ^(k)(p t + q) = δ^(k)(t - T) / (|p| p^k),  T = -q/p
        absp = p if self.sign_of(p, e, nonzero=True) > 0 else -p
        weight = ExpPoly.const(K, K.one / (absp * p**order))
        return Signal(K, (), (Impulse(at, order, weight),))


def _power(K, x, n):
    """``xⁿ`` (``n >= 1``) of an ExpPoly or a GeoPoly piece: a binomial expansion for two
    ExpPoly terms, else repeated squaring, all its products within :func:`check_work`."""
    if isinstance(x, ExpPoly) and len(x.terms) == 2:
        return x**n
    what = f"the power {n} of a piece with {len(x.terms)} terms"
    out, spent = None, 0
    while n:
        if n & 1:
            if out is None:
                out = x
            else:
                spent += _product_work(K, out, x)
                check_work(K, spent, what)
                out = out * x
        n >>= 1
        if n:
            spent += _product_work(K, x, x)
            check_work(K, spent, what)
            x = x * x
    return out


def _product_work(K, x, y):
    """Term products of ``x * y`` done in Python (long rational polynomial factors are
    multiplied by python-flint and are not counted)."""
    if K is not RQ or not isinstance(x, ExpPoly):
        return len(x.terms) * len(y.terms)
    return python_products(x.terms, y.terms)


def _product(K, x, y):
    check_work(K, _product_work(K, x, y),
               f"a product of pieces with {len(x.terms)} and {len(y.terms)} terms")
    return x * y


def _inside(lo, hi):
    """A rational point strictly inside ``(lo, hi)``."""
    if is_finite(lo) and is_finite(hi):
        return (lo + hi) / 2
    if is_finite(lo):
        return lo + 1
    if is_finite(hi):
        return hi - 1
    return RQ.zero


# ---------------------------------------------------------------------------
# pointwise operations on signals
# ---------------------------------------------------------------------------
def signal_sum(K, signals, poly=ExpPoly):
    """Pointwise sum of signals, in one sweep over all breakpoints."""
    signals = [s for s in signals if not s.is_zero]
    if len(signals) == 1:
        return signals[0]
    if not signals:
        return Signal(K)
    events = {}
    base = {}
    impulses = []
    for s in signals:
        impulses.extend(s.impulses)
        for p in s.pieces:
            _event(events, base, p.lo, p.expr.terms, 1)
            if isinstance(p.hi, Inf):
                continue
            _event(events, base, p.hi, p.expr.terms, -1)
    return Signal.from_pieces(K, sweep(K, events, base, poly), impulses)


def _event(events, base, at, terms, sgn):
    from symconv.canonical.expoly import _accumulate

    target = base if isinstance(at, Inf) else events.setdefault(at, {})
    _accumulate(target, terms, sgn)


def sweep(K, events, base, poly=ExpPoly):
    """Pieces from a difference array ``{point: terms}`` and the value at ``-∞``."""
    pieces = []
    running = dict(base)
    prev = NEG_INF
    from symconv.canonical.expoly import _accumulate

    for x in sorted(events):
        check_deadline()
        if running and prev < x:
            pieces.append(Piece(prev, x, poly(K, dict(running))))
        _accumulate(running, events[x], 1)
        prev = x
    if running:
        pieces.append(Piece(prev, POS_INF, poly(K, dict(running))))
    return pieces


def signal_product(K, a, b):
    """Pointwise product of the regular parts (impulses are handled by the caller)."""
    out = []
    i = j = 0
    pa, pb = a.pieces, b.pieces
    while i < len(pa) and j < len(pb):
        x, y = pa[i], pb[j]
        lo = x.lo if x.lo > y.lo else y.lo
        hi = x.hi if x.hi < y.hi else y.hi
        if lo < hi:
            out.append(Piece(lo, hi, _product(K, x.expr, y.expr)))
        if x.hi < y.hi:
            i += 1
        else:
            j += 1
    return Signal.from_pieces(K, out)


def signal_scale(K, s, c):
    """``c · s`` for a constant ``c`` in ``K``."""
    return Signal.from_pieces(
        K,
        [Piece(p.lo, p.hi, p.expr.scale(c)) for p in s.pieces],
        [Impulse(i.at, i.order, i.weight.scale(c)) for i in s.impulses],
    )


def to_signal(expr, var, K=None):
    """Convert a SymPy expression in ``var`` into a canonical :class:`Signal`.

    Parameters
    ----------
    expr : sympy.Expr
        The signal; floats are made exact first (see :func:`exact`).
    var : sympy.Symbol
        The time variable.
    K : Domain, optional
        The exact domain; by default the smallest one holding ``expr``'s constants.

    Raises
    ------
    UnsupportedInputError
        For a sub-expression outside the class, naming it.

    Examples
    --------
    >>> from sympy import exp, symbols, Abs
    >>> t = symbols("t", real=True)
    >>> to_signal(exp(-Abs(t)), t).intervals()
    ((-oo, 0), (0, oo))
    """
    expr = exact(expr)
    if K is None:
        K = domain_for([expr], var)
    try:
        signal = _Converter(var, K).convert(expr)
    except RecursionError:
        raise UnsupportedInputError(
            f"the expression is nested too deeply to convert ({_short(expr)})", expr
        ) from None
    if has_transcendental_constants(K):
        signal = normalize_signal(signal)
    degree = max((p.expr.degree() for p in signal.pieces), default=0)
    if degree > MAX_DEGREE:
        raise UnsupportedInputError(
            f"a piece has degree {degree} in {var}; the limit is {MAX_DEGREE} "
            "(larger degrees make exact work explode)",
            expr,
        )
    terms = max((len(p.expr.terms) for p in signal.pieces), default=0)
    if K is not RQ and terms > MAX_TERMS:
        raise UnsupportedInputError(
            f"a piece of {_short(expr)} has {terms} terms; the limit is {MAX_TERMS} terms a "
            f"piece for coefficients in {K} (MAX_TERMS)",
            expr, limit="MAX_TERMS",
        )
    return signal


def has_transcendental_constants(K):
    """Does ``K`` carry generators such as ``pi`` or ``log(2)``?  Then ``e^{r}`` keys are
    not independent (``e^{iπ} = -1``, ``e^{log 2} = 2``) and need normalising."""
    gens = getattr(K, "symbols", None) or ()
    return any(g.has(S.Pi) or g.has(log) or g.has(S.Exp1) or g.has(exp) for g in gens)


def normalize_expoly(f):
    """Rewrite each ``Σ_r c e^{r}`` group so that exponentials SymPy can evaluate
    (``e^{log 2}``, ``e^{iπ/2}``) are folded into the coefficients: the canonical form
    again, for domains with transcendental generators."""
    K = f.K
    groups = {}
    for (k, s_, r), c in f.terms.items():
        groups.setdefault((k, s_), []).append((c, r))
    out = {}
    for (k, s_), cr in groups.items():
        if len(cr) == 1 and not cr[0][1] and not K.to_sympy(cr[0][0]).has(exp):
            out[(k, s_, cr[0][1])] = cr[0][0]  # no e^{r} to fold either way
            continue
        total = expand(Add(*[K.to_sympy(c) * exp(K.to_sympy(r)) for c, r in cr]))
        try:
            rebuilt = {}
            for term in Add.make_args(total):
                if term == 0:
                    continue
                exps = [x for x in Mul.make_args(term) if isinstance(x, exp)]
                rest = term / Mul(*exps) if exps else term
                r_new = K.from_sympy(Add(*[x.args[0] for x in exps]))
                c_new = K.from_sympy(rest)
                key = (k, s_, r_new)
                rebuilt[key] = rebuilt[key] + c_new if key in rebuilt else c_new
        except (CoercionFailed, PolynomialError, NotImplementedError, TypeError, ValueError):
            rebuilt = {(k, s_, r): c for c, r in cr}
        out.update({key: c for key, c in rebuilt.items() if c})
    return ExpPoly(K, out)


def normalize_signal(signal):
    """:func:`normalize_expoly` on every piece and impulse weight, then re-merge."""
    K = signal.K
    pieces = [Piece(p.lo, p.hi, normalize_expoly(p.expr)) for p in signal.pieces]
    imps = [Impulse(i.at, i.order, normalize_expoly(i.weight)) for i in signal.impulses]
    return Signal.from_pieces(K, pieces, imps)


def _short(expr, n=80):
    text = str(expr)
    return text if len(text) <= n else text[: n - 3] + "..."


