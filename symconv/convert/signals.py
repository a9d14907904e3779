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
>>> to_sympy(s, t)
Piecewise((0, t < 0), (1, t < 1), (0, True))
"""

from __future__ import annotations

from functools import lru_cache
from itertools import pairwise
from math import gcd

from sympy import (
    Abs,
    Add,
    And,
    Basic,
    DiracDelta,
    Eq,
    Expr,
    Float,
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
    Rational,
    S,
    StrictLessThan,
    Symbol,
    cancel,
    cos,
    cosh,
    exp,
    expand,
    factor,
    factor_terms,
    log,
    sign,
    sin,
    sinh,
    together,
)
from sympy import I as IMAG
from sympy.core.add import _addsort
from sympy.core.mul import _mulsort
from sympy.core.relational import Relational
from sympy.logic.boolalg import BooleanFalse, BooleanTrue
from sympy.polys.constructor import construct_domain
from sympy.polys.domains import EX, QQ, QQ_I
from sympy.polys.polyerrors import CoercionFailed, OptionError, PolynomialError

from symconv.canonical.expoly import ExpPoly, python_products
from symconv.canonical.order import point
from symconv.canonical.rational import RQ, embed
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
from symconv.errors import UndecidableOrderError, UnsupportedInputError
from symconv.functions import ramp, rect, tri, u
from symconv.limits import check_deadline

__all__ = ["domain_for", "exact", "piecewise_regions", "to_signal", "to_sympy"]

#: Largest power of t a piece may carry (beyond it exact work explodes; a hostile
#: ``t**10**6`` must be refused, not attempted).
MAX_DEGREE = 1000

#: Most terms a piece may carry when its coefficients are not plain rationals (Gaussian
#: rationals from sin/cos, symbolic parameters): their arithmetic runs in SymPy's
#: Python domains, milliseconds a term once integrated and printed.
#: ``sin(t)**1000`` (1001 terms) is refused at once; ``sin(t)**500`` takes about a second.
MAX_TERMS = 600

#: Most term products one step may cost (a product of pieces, a power, or the pairwise
#: method's integrands): 1 to 10 µs each with rational coefficients (long polynomial
#: factors go to python-flint and do not count), about 100 µs in SymPy's Python domains
#: (Gaussian rationals, parameters), hence the second limit. Beyond them the input is
#: refused at once instead of running for minutes.
MAX_WORK = 100_000
MAX_WORK_SLOW = 20_000
#: The same for the pairwise method as a whole: it is the engine's core loop over
#: pieces(f)·pieces(g) pairs, and a 100×100 staircase of quadratics (≈ 150 000 term
#: products, seconds) is a legal textbook-scale input, not a hostile one; beyond this a
#: time limit (``timeout=``, ``--timeout``) bounds it too.
MAX_PAIR_WORK = 400_000
MAX_PAIR_WORK_SLOW = 60_000

_TRIG = (sin, cos)
_MAPPED = (exp, sin, cos, sinh, cosh)

#: Hint appended to messages about inputs outside the exponential-polynomial class.
_CLASS_HINT = (
    "symconv's exact engine handles pieces of the form c·t^k·e^(a t)·cos/sin(b t) "
    "with breakpoints linear in real parameters"
)


# ---------------------------------------------------------------------------
# input cleaning and domain choice
# ---------------------------------------------------------------------------
def exact(expr):
    """Replace every float by the rational of its shortest decimal form.

    Examples
    --------
    >>> from sympy import Float, symbols
    >>> t = symbols("t")
    >>> exact(t - 0.5), exact(Float(0.1))
    (t - 1/2, 1/10)
    """
    floats = expr.atoms(Float)
    if not floats:
        return expr
    return expr.xreplace({f: Rational(repr(float(f))) for f in floats})


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
    """The exact SymPy domain (a field) that holds all constants of ``exprs``.

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
    return field_for(items)


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


def field_for(items):
    """The smallest exact field SymPy builds for the constants ``items``: the fast
    rationals when there are none, an algebraic field when it can, generators
    otherwise, ``EX`` as the last resort."""
    if not items:
        return RQ
    for extension in (True, False):
        try:
            K, _ = construct_domain(items, field=True, extension=extension)
        except (CoercionFailed, PolynomialError, OptionError, NotImplementedError, ValueError):
            continue
        if K != EX:
            return K
    return _algebraic_with_generators(items)


def _algebraic_with_generators(items):
    """``QQ<√2>(π, e)``: the algebraic numbers among ``items`` (and ``I``) as one algebraic
    field, the other constants and parameters as generators over it; ``EX`` when even
    that fails (SymPy builds neither for a mix such as ``√2`` and ``e``)."""
    algebraic = [x for x in items if x.is_number and x.is_algebraic]
    others = [x for x in items if x not in algebraic]
    if not algebraic or not others:
        return EX
    try:
        A = QQ.algebraic_field(*algebraic)
        gens = []
        for x in others:
            gens.extend(g for g in _generators(x) if g not in gens)
        K = A.frac_field(*gens)
        for x in items:
            K.from_sympy(x)
    except (CoercionFailed, PolynomialError, OptionError, NotImplementedError, ValueError,
            TypeError):
        return EX
    return K


def _generators(x):
    """The generators SymPy would take for the constant or parameter expression ``x``."""
    try:
        _K, polys = construct_domain([x], field=True)
    except (CoercionFailed, PolynomialError, OptionError, NotImplementedError, ValueError):
        return [x]
    return list(getattr(_K, "symbols", ())) or [x]


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
                parts.append(signal_product(self.K, self.convert(expr), self.indicator(region)))
                imps = self.convert(expr).impulses
                if imps:
                    self.unsupported(e, "impulses inside a Piecewise branch; add them outside")
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


def accumulate_pairs(F, G, make_pair, pair_regions):
    """The pairwise method shared by integrals and sums.

    ``make_pair(fp, gp)`` gives an object with ``groups``, ``check_convergence(end)``
    and ``at_limit(kind, x)``; ``pair_regions(fp, gp)`` the regions with their limits.
    Every infinite limit is checked first (a divergent tail is reported before any case
    split), then each region adds ``W(upper) - W(lower)`` to a difference array.
    Returns ``(events, base)`` for :func:`sweep`.
    """
    from symconv.canonical.expoly import _accumulate

    check_work(F.K, pair_work(F, G), "the pairwise integrals (or sums) of these pieces",
               limits=((MAX_PAIR_WORK, "MAX_PAIR_WORK"),
                       (MAX_PAIR_WORK_SLOW, "MAX_PAIR_WORK_SLOW")))
    work = []
    for fp in F.pieces:
        for gp in G.pieces:
            check_deadline()
            pair = make_pair(fp, gp)
            if pair.groups:
                work.append((pair, pair_regions(fp, gp)))
    for pair, regions in work:
        for _lo, _hi, lower, upper in regions:
            for kind, x in (lower, upper):
                if isinstance(x, Inf):
                    pair.check_convergence(x if kind == "const" else -x)
    events, base = {}, {}
    for pair, regions in work:
        for lo, hi, lower, upper in regions:
            check_deadline()
            w = pair.at_limit(*upper) - pair.at_limit(*lower)
            if not w.terms:
                continue
            _accumulate(base if isinstance(lo, Inf) else events.setdefault(lo, {}), w.terms, 1)
            if is_finite(hi):
                _accumulate(events.setdefault(hi, {}), w.terms, -1)
    return events, base


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


def check_work(K, work, what, limits=((MAX_WORK, "MAX_WORK"), (MAX_WORK_SLOW, "MAX_WORK_SLOW"))):
    """Refuse ``what`` (UnsupportedInputError naming the limit) when its ``work`` (term
    products) exceeds :data:`MAX_WORK` (:data:`MAX_WORK_SLOW` outside rationals).

    >>> check_work(RQ, 10**7, "this product")
    Traceback (most recent call last):
    ...
    symconv.errors.UnsupportedInputError: this product needs 10000000 term products; ...
    """
    limit, name = limits[0] if K is RQ else limits[1]
    if work > limit:
        raise UnsupportedInputError(
            f"{what} needs {work} term products; the limit is {limit} for coefficients in "
            f"{K} ({name}): split the input or lower its degree", limit=name)


def pair_work(F, G):
    """Term products of the pairwise method: for each pair of pieces, the terms of one
    times the binomial expansion ``(t - τ)ᵐ`` of each term of the other."""
    wf = sum(len(p.expr.terms) for p in F.pieces)
    wg = sum(key[0] + 1 for p in G.pieces for key in p.expr.terms)
    return wf * wg


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


# ---------------------------------------------------------------------------
# Signal -> SymPy
# ---------------------------------------------------------------------------
def _formal_conjugate(e):
    return e.xreplace({IMAG: -IMAG})


def _formal_re_im(e):
    """Real and imaginary parts, treating every symbol as real (``I`` is the only
    complex atom)."""
    c = _formal_conjugate(e)
    if e.free_symbols:
        return _nice(cancel((e + c) / 2)), _nice(cancel((e - c) / (2 * IMAG)))
    return expand((e + c) / 2), expand((e - c) / (2 * IMAG))


def _nice(e):
    """A readable exact form of a parameter-dependent constant: factored over ``QQ``,
    sums of exponential constants kept apart."""
    if not e.free_symbols:
        return e
    terms = {}
    for term in Add.make_args(expand(e)):
        rest, ex = term.as_independent(exp, as_Add=False)
        terms[ex] = terms.get(ex, S.Zero) + rest
    return Add(*[_factor_unless_linear(c) * ex for ex, c in terms.items()])


def _factor_unless_linear(c):
    """``factor(c)``, except that a linear polynomial stays expanded (``t0 - T/2``
    reads better than ``(2 t0 - T)/2``)."""
    if c.is_Add and all(t.as_coeff_Mul()[1].is_Symbol or t.is_number
                        for t in c.args):
        return c
    return factor(c)


def _exp_const(r):
    """``e^{r}`` with a complex ``r`` written as ``e^{Re r}(cos Im r + i sin Im r)``."""
    if not r.has(IMAG):
        return exp(r)
    re_r, im_r = _formal_re_im(r)
    return exp(re_r) * (cos(im_r) + IMAG * sin(im_r))


def expoly_to_sympy(f, var):
    """The collected SymPy expression of an :class:`ExpPoly`, with real sin/cos.

    Terms are grouped by ``tᵏ e^{a t}`` (and ``cos(b t)``/``sin(b t)``), each
    coefficient a sum of constants ``c e^{r}`` with its rational content taken
    out; no ``simplify`` is called.

    Examples
    --------
    >>> from sympy import QQ_I, symbols
    >>> t = symbols("t")
    >>> f = ExpPoly(QQ_I, {(0, QQ_I(0, 1), QQ_I(0)): QQ_I(1, 0) / 2,
    ...                    (0, QQ_I(0, -1), QQ_I(0)): QQ_I(1, 0) / 2})
    >>> expoly_to_sympy(f, t)
    cos(t)
    """
    K = f.K
    groups = {}
    for (k, s, r), c in f.terms.items():
        groups.setdefault((k, s), []).append((c, r))
    if K is RQ:
        out = []
        for (k, s), cr in groups.items():
            if k == 0 and not s:
                # the constant group: its terms join the sum directly (SymPy would
                # distribute a rational factor over them anyway)
                out.extend(_fast_mul([RQ.to_sympy(c), _exp_of(r)]) for c, r in cr)
                continue
            factors = list(_rational_coeff(cr))
            if k:
                factors.append(var if k == 1 else Pow(var, k))
            if s:
                factors.append(exp(RQ.to_sympy(s) * var))
            out.append(_fast_mul(factors))
        return _fast_add(out)
    if K == QQ_I:
        fast = _gaussian_to_sympy(groups, var)
        if fast is not None:
            return fast
    sym = {}
    for (k, s), cr in groups.items():
        coeff = Add(*[_nice(K.to_sympy(c)) * _exp_const(K.to_sympy(r)) for c, r in cr])
        key = (k, K.to_sympy(s))
        sym[key] = sym.get(key, S.Zero) + coeff
    out = []
    done = set()
    for key in sorted(sym, key=lambda kk: (str(kk[1]), kk[0])):
        if key in done:
            continue
        k, s = key
        coeff = sym[key]
        if not s.has(IMAG):
            if coeff.has(IMAG):
                re_c, im_c = _formal_re_im(coeff)
                coeff = re_c + IMAG * im_c
            out.append(_collect_coeff(coeff) * var**k * exp(s * var))
            continue
        a, b = _formal_re_im(s)
        partner = (k, _formal_conjugate(s))
        other = sym.get(partner, S.Zero)
        done.update({key, partner})
        if b.could_extract_minus_sign():
            b, coeff, other = -b, other, coeff
        cos_c = _formal_re_im(coeff + other)
        sin_c = _formal_re_im(IMAG * (coeff - other))
        ccos = cos_c[0] + IMAG * cos_c[1]
        csin = sin_c[0] + IMAG * sin_c[1]
        base = var**k * exp(a * var)
        out.append(_collect_coeff(ccos) * base * cos(b * var))
        out.append(_collect_coeff(csin) * base * sin(b * var))
    return Add(*out)


def _q(x):
    """A rational of SymPy's QQ (any ground type) as a SymPy Rational."""
    return Rational(int(x.numerator), int(x.denominator))


def _gaussian_to_sympy(groups, var):
    """Real sin/cos form for Gaussian-rational data, built directly (no expand/cancel).

    A conjugate pair ``C e^{(a+ib)t} + C̄ e^{(a-ib)t}`` becomes
    ``2 e^{at}(Re C cos bt - Im C sin bt)`` with
    ``C = Σ c e^{p+iq}``: ``Re C = Σ e^p (cₓ cos q - c_y sin q)``,
    ``Im C = Σ e^p (cₓ sin q + c_y cos q)``. Returns ``None`` when the data are
    not those of a real signal (the general path handles that).
    """
    def conj_terms(cr):
        return sorted(((c.x, -c.y), (r.x, -r.y)) for c, r in cr)

    def plain(cr):
        return sorted(((c.x, c.y), (r.x, r.y)) for c, r in cr)

    def re_im(cr):
        re_part, im_part = [], []
        for c, r in cr:
            e = exp(_q(r.x)) if r.x else S.One
            q = _q(r.y)
            cx, cy = _q(c.x), _q(c.y)
            if not q:
                re_part.append(_fast_mul([cx, e]))
                im_part.append(_fast_mul([cy, e]))
                continue
            cq, sq = _cos_sin(q)
            re_part += [_fast_mul([cx, e, cq]), _fast_mul([-cy, e, sq])]
            im_part += [_fast_mul([cx, e, sq]), _fast_mul([cy, e, cq])]
        return _fast_add(re_part), _fast_add(im_part)

    out = []
    done = set()
    for (k, s), cr in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1].x, kv[0][1].y)):
        if (k, s) in done:
            continue
        a, b = _q(s.x), _q(s.y)
        if b == 0:
            if plain(cr) != conj_terms(cr):
                return None
            re_c, _ = re_im(cr)
            out.append(_fast_mul([re_c, var**k, exp(a * var)]))
            done.add((k, s))
            continue
        partner = (k, type(s)(s.x, -s.y))
        other = groups.get(partner)
        if other is None or plain(other) != conj_terms(cr):
            return None
        done.update({(k, s), partner})
        re_c, im_c = re_im(cr)
        sign = 1 if b > 0 else -1
        bt = abs(b) * var  # positive: cos and sin have nothing to evaluate
        out.append(_fast_mul([2, re_c, var**k, exp(a * var), cos(bt, evaluate=False)]))
        out.append(_fast_mul([-2 * sign, im_c, var**k, exp(a * var), sin(bt, evaluate=False)]))
    return _fast_add([o for o in out if o != 0])


def _cos_sin(q):
    """``(cos q, sin q)`` for a nonzero Rational ``q``, as SymPy would evaluate them
    (the argument made positive, nothing else applies) but without running ``eval``,
    which costs a millisecond each."""
    a = -q if q < 0 else q
    c, s = cos(a, evaluate=False), sin(a, evaluate=False)
    return c, (-s if q < 0 else s)


def _rational_coeff(cr):
    """Factors of ``Σ c e^{r}`` (rational ``c, r``): the rational content, then the rest."""
    if len(cr) == 1:
        c, r = cr[0]
        return (RQ.to_sympy(c), exp(RQ.to_sympy(r))) if r else (RQ.to_sympy(c),)
    cr = sorted(cr, key=lambda x: x[1])
    num = 0
    den = 1
    for c, _r in cr:
        num = gcd(num, int(c.numerator))
        den = den * int(c.denominator) // gcd(den, int(c.denominator))
    g = RQ(num, den)
    if cr[-1][0] < 0:
        g = -g
    inner = _fast_add([_fast_mul([RQ.to_sympy(c / g), _exp_of(r)]) for c, r in cr])
    return (RQ.to_sympy(g), inner)


def _exp_of(r):
    return exp(RQ.to_sympy(r)) if r else S.One


def _fast_mul(factors):
    """``Mul(*factors)`` built in SymPy's canonical form without re-evaluating it.

    The factors are distinct, already canonical and never need combining (one
    rational, exponentials of distinct arguments, a power of the variable, an
    Add), so sorting them as ``Mul.flatten`` does gives the same object ~50x
    faster. A number times one Add is left to SymPy (it distributes).
    """
    coeff = S.One
    rest = []
    flat = []
    for f in factors:
        f = S(f)
        flat.extend(f.args if isinstance(f, Mul) else (f,))
    for f in flat:
        if f.is_Number:
            coeff = coeff * f
        elif f is not S.One:
            rest.append(f)
    if coeff == 0:
        return S.Zero
    if not rest:
        return coeff
    if len(rest) == 1 and (coeff is S.One or isinstance(rest[0], Add)):
        return coeff * rest[0] if coeff is not S.One else rest[0]
    _mulsort(rest)
    if coeff is not S.One:
        rest.insert(0, coeff)
    return Mul._from_args(rest)


def _fast_add(terms):
    """``Add(*terms)`` in canonical form for terms with distinct non-numeric parts."""
    number = S.Zero
    rest = []
    flat = []
    for term in terms:
        flat.extend(term.args if isinstance(term, Add) else (term,))
    for term in flat:
        if term.is_Number:
            number += term
        elif term is not S.Zero:
            rest.append(term)
    if not rest:
        return number
    if len(rest) == 1 and number == 0:
        return rest[0]
    keys = {term.as_coeff_Mul()[1] for term in rest}
    if len(keys) != len(rest):  # like terms: let SymPy combine them
        return Add(number, *rest)
    _addsort(rest)
    if number != 0:
        rest.insert(0, number)
    return Add._from_args(rest)


def _collect_coeff(c):
    if isinstance(c, Add):
        return factor_terms(c)
    return c


def to_sympy(signal, var, form="piecewise"):
    """The SymPy expression of a signal: a ``Piecewise`` in ``var`` (default) or a
    sum of pieces times unit steps (``form="heaviside"``), plus ``DiracDelta`` terms.

    Examples
    --------
    >>> from sympy import symbols
    >>> from symconv.functions import rect
    >>> t = symbols("t", real=True)
    >>> to_sympy(to_signal(rect(t), t), t, form="heaviside")
    -u(t - 1/2) + u(t + 1/2)
    """
    if form not in ("piecewise", "heaviside"):
        raise UnsupportedInputError(
            f"form={form!r} is not accepted; use form='piecewise' or form='heaviside'"
        )
    segs = [(p.lo, p.hi, expoly_to_sympy(p.expr, var)) for p in signal.pieces]
    return segments_to_sympy(segs, var, form) + _impulses_to_sympy(signal, var)


def segments_to_sympy(segs, var, form="piecewise"):
    """Sorted disjoint segments ``(lo, hi, expr)`` (zero elsewhere) as a ``Piecewise`` in
    ``var`` or, with ``form="heaviside"``, as a sum of expressions times windows of ``u``."""
    if form == "heaviside":
        terms = []
        for lo, hi, e in segs:
            window = (u(var - _pt(lo)) if is_finite(lo) else S.One) - (
                u(var - _pt(hi)) if is_finite(hi) else S.Zero
            )
            terms.append(e * window)
        return Add(*terms)
    return _piecewise(segs, var)


_pt = to_sympy_point


def _piecewise(segs, var):
    if not segs:
        return S.Zero
    full = []
    prev = NEG_INF
    for lo, hi, e in segs:
        if not _same(prev, lo):
            full.append((prev, lo, S.Zero))
        full.append((lo, hi, e))
        prev = hi
    if not _same(prev, POS_INF):
        full.append((prev, POS_INF, S.Zero))
    if len(full) == 1:
        return full[0][2]
    args = []
    symbolic = False
    for i, (_lo, hi, e) in enumerate(full):
        if i == len(full) - 1:
            cond = S.true
        else:
            x = _pt(hi)
            symbolic = symbolic or not x.is_Rational
            cond = StrictLessThan(var, x, evaluate=False)
        args.append((e, cond))
    # symbolic breakpoints: keep ``t < -T`` as written (evaluation would reorder it)
    return Piecewise(*args, evaluate=not symbolic)


def _same(a, b):
    """Structural equality of two endpoints (no order decision needed: the pieces
    of a canonical signal are sorted and disjoint)."""
    if isinstance(a, Inf) or isinstance(b, Inf):
        return a is b or (isinstance(a, Inf) and isinstance(b, Inf) and a.sign == b.sign)
    if type(a) is not type(b):
        return False
    return a.lin == b.lin if hasattr(a, "lin") else a == b


def _impulses_to_sympy(signal, var):
    out = []
    for imp in signal.impulses:
        w = expoly_to_sympy(imp.weight, var)
        d = DiracDelta(var - _pt(imp.at), imp.order) if imp.order else DiracDelta(var - _pt(imp.at))
        out.append(w * d)
    return Add(*out)


def piecewise_regions(expr, var):
    """``[(lo, hi, piece)]`` of a symconv result's sequential ``Piecewise`` in ``var``,
    or ``None`` when ``expr`` is not of that shape."""
    if not isinstance(expr, Piecewise):
        return [(S.NegativeInfinity, S.Infinity, expr)]
    out = []
    lo = S.NegativeInfinity
    for piece, cond in expr.args:
        if cond == S.true:
            out.append((lo, S.Infinity, piece))
            return out
        if not (getattr(cond, "rel_op", None) == "<" and cond.lhs == var
                and not cond.rhs.has(var)):
            return None
        out.append((lo, cond.rhs, piece))
        lo = cond.rhs
    return out
