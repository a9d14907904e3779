"""Exact discrete convolution: closed-form sequences and finite exact lists.

``y[n] = Σ_k f[k] g[n-k]``. Closed-form sequences are canonical
:class:`~symconv.canonical.signal.Signal` objects whose pieces live on half-open integer
ranges ``[lo, hi)`` and carry :class:`~symconv.canonical.geopoly.GeoPoly` expressions
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

from functools import lru_cache, partial

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
    StrictLessThan,
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
from sympy.core.sympify import SympifyError
from sympy.polys.polyerrors import CoercionFailed, PolynomialError

from symconv.canonical.cyclotomic import CyclotomicField, cyclotomic_order
from symconv.canonical.expoly import _add_term, binomial_terms
from symconv.canonical.geopoly import GeoPoly, antidifference
from symconv.canonical.order import Point, current_facts, lin_of, undecided
from symconv.canonical.powers import Powers
from symconv.canonical.rational import RQ
from symconv.canonical.signal import NEG_INF, POS_INF, Inf, Piece, Signal, is_finite
from symconv.convert.signals import (
    _CLASS_HINT,
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
from symconv.engine.finite import convolve_finite, naive_convolution
from symconv.engine.hyperterms import convolve_hyper, is_hypergeometric_input
from symconv.errors import DivergenceError, UndecidableError, UnsupportedInputError
from symconv.functions import rect
from symconv.limits import check_deadline

__all__ = [
    "convolve_finite",
    "convolve_sequence",
    "correlate_sequence",
    "sequence_domain_for",
    "to_sequence",
    "sequence_to_sympy",
    "naive_convolution",  # re-exported from symconv.engine.finite
]

# ---------------------------------------------------------------------------
# SymPy -> Sequence
# ---------------------------------------------------------------------------
#: Hint appended to messages about sequences outside the class.
_SEQUENCE_HINT = (
    "symconv's exact engine handles sequences c·n^k·a^n·cos/sin(w n) on integer ranges "
    "whose ends are integers or integer parameters (u(n - N))"
)


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
            out.update({e.base ** abs(p), e.base})
            out.add(e.base ** _fixed_part(q))
    elif isinstance(e, (exp, sinh, cosh)):
        lin = _linear_coeffs(e.args[0], var)
        if lin:
            p, q = lin
            out.update({exp(abs(p)), exp(_fixed_part(q))})
            if q != _fixed_part(q):
                out.add(S.Exp1)
    elif isinstance(e, (sin, cos)):
        lin = _linear_coeffs(e.args[0], var)
        if lin:
            p, q = lin
            out.update({_unit(abs(p)), _unit(q), IMAG})
    for a in e.args:
        if isinstance(a, Basic):
            _sequence_leaves(a, var, out)


def _fixed_part(q):
    """``q`` without its integer-parameter terms (``N - 1`` → ``-1``): powers at those
    are markers of :class:`~symconv.canonical.powers.Powers`, not generators of their own."""
    ints = [x for x in q.free_symbols if x.is_integer]
    return q.xreplace(dict.fromkeys(ints, 0)) if ints else q


def _bases(e, var, out):
    """The bases ``B`` of the factors ``Bⁿ`` (SymPy) in ``e``."""
    if isinstance(e, Pow) and not e.base.has(var) and e.exp.has(var):
        lin = _linear_coeffs(e.exp, var)
        if lin:
            out.add(e.base)
    elif isinstance(e, (exp, sinh, cosh)) and e.args[0].has(var):
        lin = _linear_coeffs(e.args[0], var)
        if lin:
            out.update({exp(lin[0]), S.Exp1} if lin[0].free_symbols else {S.Exp1})
    for a in e.args:
        if isinstance(a, Basic):
            _bases(a, var, out)


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
    (:mod:`symconv.canonical.cyclotomic`).

    >>> from sympy import symbols, Rational, cos, sin, pi
    >>> n = symbols("n", integer=True)
    >>> sequence_domain_for([Rational(1, 2)**n], n)
    QQ
    >>> sequence_domain_for([cos(pi*n/3), sin(3*pi*n/4)], n)
    QQ<zeta24>
    """
    return sequence_domain(exprs, var)[0]


def sequence_domain(exprs, var):
    """``(K, powers)``: the exact domain and the symbolic powers
    (:class:`~symconv.canonical.powers.Powers`) the sums of ``exprs`` need."""
    cyclotomic = _cyclotomic_domain(exprs, var)
    if cyclotomic is not None:  # roots of unity, no symbols: no symbolic powers either
        powers = Powers()
        powers.K = cyclotomic
        return cyclotomic, powers
    leaves = set()
    for e in exprs:
        _sequence_leaves(e, var, leaves)
    items = [x for x in leaves if x.is_number is False or not x.is_Rational]
    items = [x for x in items if x.free_symbols or x.is_number]
    bases = set()
    for e in exprs:
        _bases(e, var, bases)
    powers = Powers.of(sorted(bases, key=lambda b: b.sort_key()), exprs, var)
    K = _periodic_with_parameters(exprs, var, items, powers)
    if K is not None:
        return K, powers
    if not powers.markers:
        powers.K = field_for(items)
        return powers.K, powers
    return powers.domain(items), powers


def _periodic_with_parameters(exprs, var, items, powers):
    """``Q(ζ_m)(a, ...)`` for periodic factors ``cos/sin(πqn)`` (rational ``q``) beside
    parameters: the phases are powers of ``ζ_m`` (small minimal polynomial, conjugates
    stay conjugates) instead of radicals in an algebraic field of large degree. Sets
    ``powers.zeta``; ``None`` when the data do not fit (the general domains then)."""
    from sympy import QQ
    from sympy.polys.polyerrors import CoercionFailed as Failed

    from symconv.convert.signals import _generators

    angles = set()
    if not any(_symbolic_angles(e, var, angles) for e in exprs):
        return None
    m = cyclotomic_order(angles)
    if m > 120:
        return None
    try:
        K0 = QQ.algebraic_field(exp(2 * pi * IMAG / m))
        gens = []
        for x in list(items) + list(powers.markers.values()):
            if x.free_symbols:
                gens.extend(g for g in _generators(x) if g not in gens)
        if not gens:
            return None
        K = K0.frac_field(*gens)
        phases = {_unit(pi * r) for r in angles} | {pi, IMAG}  # held as powers of ζ
        for x in items:
            if x not in phases and not (x / pi).is_Rational:  # πq: an argument, not a value
                K.from_sympy(x)
    except (Failed, PolynomialError, NotImplementedError, TypeError, ValueError):
        return None
    powers.K = K
    powers.zeta = K.convert(K0([K0.dom.one, K0.dom.zero]), K0)
    powers.m = m
    return K


def _symbolic_angles(e, var, angles):
    """Collect the angles ``r`` (``e^{iπr}``) of the periodic factors of ``e`` into
    ``angles``; ``True`` when there is one, ``False`` when there is none or a factor that
    is not ``cos/sin(πqn + πr)`` with rational ``q``, ``r`` (then ``angles`` is cleared)."""
    found = False
    stack = [e]
    while stack:
        x = stack.pop()
        if isinstance(x, (sin, cos)) and x.args[0].has(var):
            lin = _linear_coeffs(x.args[0], var)
            if lin is None or not all((w / pi).is_Rational for w in lin):
                angles.clear()
                return False
            angles.update(w / pi for w in lin)
            found = True
            continue
        if isinstance(x, exp) and x.args[0].has(IMAG):
            angles.clear()
            return False
        stack.extend(a for a in x.args if isinstance(a, Basic))
    return found


class _SequenceConverter(_Converter):
    """Converts expressions in an integer variable; pieces on integer ranges."""

    poly = GeoPoly

    def __init__(self, var, K, powers=None):
        super().__init__(var, K)
        if powers is None:
            powers = Powers()
            powers.K = K
        self.powers = powers

    def unsupported(self, expr, why):
        raise UnsupportedInputError(
            f"cannot convert the sequence {expr}: "
            + why.replace(_CLASS_HINT, _SEQUENCE_HINT).replace("supported signal",
                                                               "supported sequence"), expr)

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
        one = GeoPoly.const(self.K, self.K.one)
        if not _is_rational(self.K, q):
            x = self.integer_root(p, q, e)
            return Signal(self.K, (Piece(x, x + RQ.one, one),))
        x = -self.rational(q, e) / self.rational(p, e)
        if x.denominator != 1:
            return Signal(self.K)
        x = int(x)
        return Signal(self.K, (Piece(RQ(x), RQ(x + 1), one),))

    def integer_root(self, p, q, e):
        """The integer point ``-q/p`` of an argument ``p n + q`` with a symbolic ``q``
        (``p = ±1``): a :class:`~symconv.canonical.order.Point`."""
        ps = self.K.to_sympy(p)
        if ps not in (1, -1):
            self.unsupported(e, f"with a symbolic shift the coefficient of {self.var} must "
                                f"be 1 or -1 (here {ps}), so that the breakpoint is an integer")
        return self.powers.element_point(-self.K.to_sympy(q) / ps)

    def is_plain(self, key):
        return key[1] == self.K.one

    def _base(self, value):
        """``value`` (SymPy) as an element of K; negative exponents become inverses."""
        try:
            return self.K.from_sympy(value)
        except (CoercionFailed, PolynomialError, NotImplementedError, TypeError) as err:
            raise UnsupportedInputError(f"cannot represent {value} exactly", value) from err

    def _power_of(self, base_expr, p):
        """``base^p`` in K, using the inverse for negative ``p``; a ``p`` with integer
        parameters (``a^(n - N)``) through the symbolic powers."""
        if any(x.is_integer for x in p.free_symbols):
            fixed = _fixed_part(p)
            out = self._power_of(base_expr, fixed) if fixed != 0 else self.K.one
            return out * self.powers.power(self._base(base_expr),
                                           self.powers.element_point(p - fixed))
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
        zeta = getattr(self.powers, "zeta", None)
        if zeta is not None and isinstance(e, (sin, cos)):  # phases as powers of ζ_m
            p, q = (w / pi for w in _linear_coeffs(x, self.var))
            m = self.powers.m
            return [(NEG_INF, POS_INF, _ipow_k(K, zeta, int(p * m / 2)),
                     _ipow_k(K, zeta, int(q * m / 2)))]
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
        if any(not _is_rational(K, c) for c in terms.values()):
            return self.symbolic_signs(pc, arg_expr)
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


    def symbolic_signs(self, pc, arg_expr):
        """Signs of ``±n + q`` with a symbolic integer ``q`` on a piece: negative before
        the root, zero at it, positive after (for ``+n``)."""
        K = self.K
        terms = pc.expr.terms
        if any(b != K.one for (_k, b) in terms) or max(k for (k, _b) in terms) != 1:
            self.unsupported(arg_expr, "a symbolic breakpoint needs an argument linear in "
                                       f"{self.var}, such as {self.var} - N")
        p = terms.get((1, K.one), K.zero)
        q = terms.get((0, K.one), K.zero)
        root = self.integer_root(p, q, arg_expr)
        sp = 1 if K.to_sympy(p) > 0 else -1
        out = []
        for lo, hi, sg in ((pc.lo, root, -sp), (root, root + RQ.one, 0),
                           (root + RQ.one, pc.hi, sp)):
            lo = lo if pc.lo <= lo else pc.lo
            hi = hi if hi <= pc.hi else pc.hi
            if lo < hi:
                out.append((lo, hi, sg))
        return out


def _ipow_k(K, b, e):
    return b**e if e >= 0 else (K.one / b) ** (-e)


def _is_rational(K, c):
    return K is RQ or K.to_sympy(c).is_Rational


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


def to_sequence(expr, var, K=None, powers=None):
    """Convert a SymPy expression in the integer ``var`` into a canonical sequence.

    >>> from sympy import symbols
    >>> from symconv.functions import u
    >>> n = symbols("n", integer=True)
    >>> to_sequence(u(n) - u(n - 3), n).intervals()
    ((0, 3),)
    """
    expr = exact(sympify(expr, strict=True))
    if K is None:
        K, powers = sequence_domain([expr], var)
    try:
        seq = _SequenceConverter(var, K, powers).convert(expr)
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

    def __init__(self, K, nonzero=(), powers=None, facts=None):
        self.K = K
        self.nonzero = tuple(nonzero)
        if powers is None:
            powers = Powers()
            powers.K = K
        self.powers = powers
        self.facts = facts
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
        if self.magnitude_vs_one(r) in (-1, 1):
            self.cache[r] = False
            return False
        zeta = self._zeta()
        if zeta is not None:  # r = ρ ζʲ is 1 only if j = 0 and ρ = 1
            if not (r - K.one).numer:
                self.cache[r] = True
                return True
            rho, j = zeta.unit_multiple(r) or (None, None)
            if j != 0:
                self.cache[r] = False
                return False
            e = together(zeta.real_expr(rho) - 1).as_numer_denom()[0]
        else:
            e = together(K.to_sympy(r) - 1).as_numer_denom()[0]
        if e.is_number:
            ans = bool(e.is_zero) if e.is_zero is not None else _numeric_zero(e)
        else:
            from symconv.engine.continuous import _UndecidedError

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

    def _zeta(self):
        """The helper for ``Q(ζ_m)(a, ...)`` domains (:class:`_ZetaOutput`), else ``None``."""
        if "zeta" not in self.cache:
            m = _zeta_order(self.K)
            self.cache["zeta"] = _ZetaOutput(self.K, m) if m is not None else None
        return self.cache["zeta"]

    def magnitude_vs_one(self, r):
        """-1 if |r| < 1, 1 if |r| > 1, 0 if |r| = 1, None if undecided (SymPy's
        assumptions, then the facts in force: ``assume=[a < 1]``, ``Abs(a) < 1``)."""
        K = self.K
        if K is RQ:
            a = abs(r)
            return (a > 1) - (a < 1)
        if isinstance(K, CyclotomicField):
            a2 = K.abs2(r)  # |r|², rational for a rational times a root of unity
            if a2.is_rational():
                a2 = a2.rational()
                return (a2 > 1) - (a2 < 1)
        zeta = self._zeta()
        if zeta is not None:  # |ρ ζʲ| = |ρ|, ρ real
            unit = zeta.unit_multiple(r)
            if unit is None:
                return None
            rs = zeta.real_expr(unit[0])
            m = Abs(rs) - 1
            if m.is_negative:
                return -1
            if m.is_positive:
                return 1
            return _magnitude_from_facts(rs, self.facts or current_facts())
        rs = K.to_sympy(r)
        m = Abs(rs) - 1
        if m.is_negative:
            return -1
        if m.is_positive:
            return 1
        if m.is_zero:
            return 0
        return _magnitude_from_facts(rs, self.facts or current_facts())

def _abs_below_one(x, facts):
    """1 if the facts prove ``|x| < 1``, -1 if they prove ``|x| > 1``, else ``None``
    (``x`` real and linear in the parameters)."""
    for e in (1 - Abs(x), Abs(x) - 1):
        lin = lin_of(e)
        if lin is not None and facts.sign(lin) == 1:
            return 1 if e == 1 - Abs(x) else -1
    lo, hi = lin_of(x + 1), lin_of(1 - x)
    if lo is None or hi is None:
        return None
    s_lo, s_hi = facts.sign(lo), facts.sign(hi)
    if s_lo == 1 and s_hi == 1:
        return 1
    if s_lo == -1 or s_hi == -1:
        return -1
    return None


def _monomial(rs):
    """``(c, {symbol: exponent})`` with ``rs = c Π symbolᵉ``, or ``None``."""
    c, rest = rs.as_coeff_Mul()
    powers = {}
    for f in Mul.make_args(rest):
        b, e = f.as_base_exp()
        if isinstance(b, Abs) and isinstance(b.args[0], Symbol):
            b = b.args[0]  # |Abs(s)ᵉ| = |s|ᵉ
        if not (isinstance(b, Symbol) and b.is_extended_real and e.is_Integer):
            return None
        powers[b] = powers.get(b, 0) + int(e)
    return c, powers


def _magnitude_from_facts(rs, facts):
    """|rs| against 1 from linear facts: ``rs`` itself linear (``a``, ``a/2``), or
    ``± Π sᵉ`` with every ``|s| < 1`` proven and the exponents of one sign."""
    if rs.is_extended_real:
        lin_hi, lin_lo = lin_of(1 - rs), lin_of(rs + 1)
        if lin_hi is not None and lin_lo is not None:
            s_hi, s_lo = facts.sign(lin_hi), facts.sign(lin_lo)
            if s_hi == 1 and s_lo == 1:
                return -1
            if s_hi == -1 or s_lo == -1:
                return 1
            if (s_hi == 0 and s_lo == 1) or (s_lo == 0 and s_hi == 1):
                return 0
    mono = _monomial(rs)
    if mono is None or abs(mono[0]) != 1 or not mono[1]:
        return None
    inside = {_abs_below_one(x, facts) for x in mono[1]}
    signs = {e > 0 for e in mono[1].values()}
    if inside == {1} and len(signs) == 1:
        return -1 if signs == {True} else 1
    if inside == {-1} and len(signs) == 1:
        return 1 if signs == {True} else -1
    return None


def _convergence_condition(rs, want):
    """The readable condition ``|rs| < 1`` (``want < 0``) or ``> 1``, in terms of the
    parameter itself when ``rs = ± sᵉ``."""
    mono = _monomial(rs)
    if mono is not None and abs(mono[0]) == 1 and len(mono[1]) == 1:
        (x, e), = mono[1].items()
        inside = (e > 0) == (want < 0)
        return Abs(x) < 1 if inside else Abs(x) > 1
    return Abs(rs) < 1 if want < 0 else Abs(rs) > 1


def _convergence_split(rs, want, facts):
    """The order question whose answer decides ``|rs|`` against 1 (``rs - 1`` or
    ``rs + 1`` for a linear real ``rs``), as an error for the case driver, or ``None``."""
    mono = _monomial(rs)
    if mono is not None and abs(mono[0]) == 1 and len(mono[1]) == 1:
        rs = next(iter(mono[1]))  # |±sᵉ| against 1 is |s| against 1
    if not rs.is_extended_real:
        return None
    for e in (rs - 1, rs + 1):
        lin = lin_of(e)
        if lin is None or not all(isinstance(a, Symbol) for a, _q in lin[1]):
            return None
        if facts.sign(lin) is None:
            return undecided(lin)
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
            zeta = self.oracle._zeta()
            unit = zeta.unit_multiple(r) if zeta is not None else None
            rs = zeta.real_expr(unit[0]) if unit is not None else self.oracle.K.to_sympy(r)
            where = "+oo" if end.sign > 0 else "-oo"
            k = Symbol("k")
            if rel is None:
                cond = _convergence_condition(rs, want)
                err = DivergenceError(
                    f"the sum converges only if {cond} (the tail {k**q * rs**k} "
                    f"as {k} -> {where}), which the assumptions do not decide; declare it, "
                    f"e.g. assume=[{cond}]",
                    cond,
                )
                split = _convergence_split(rs, want, self.oracle.facts or current_facts())
                if split is None:
                    raise err
                split.divergence = err
                raise split
            raise DivergenceError(
                f"the sum diverges: its terms {k**q * rs**k} do not decay as "
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
            powers = self.oracle.powers
            symbolic = isinstance(x, Point)
            xk = powers.element(x) if symbolic else K.convert(int(x))
            out = GeoPoly.zero(K)
            for (q, r), P in self.groups.items():
                check_deadline()
                val = K.zero
                for power, coeff in self.antidifference(q, r):
                    val += coeff * (xk**power if power else K.one)
                if not val:
                    continue
                out = out + P.scale(val * powers.power(r, x))
            w = out
        else:
            powers = self.oracle.powers
            out = GeoPoly.zero(K)
            for (q, r), P in self.groups.items():
                check_deadline()
                A = GeoPoly(K, {(p, r): c for p, c in self.antidifference(q, r)})
                if isinstance(x, Point):
                    A = A.shift_by(powers.element(x), partial(powers.power, x=-x))
                else:
                    A = A.shift(int(x))
                out = out + P * A
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
    cuts = []  # a list: the order of (symbolic) comparisons must not depend on hashes
    for x in (a_d, b_c):
        if x is not None and is_finite(x) and x not in cuts and lo_s < x < hi_s:
            cuts.append(x)
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
        return Abs(b), _principal(arg(b))
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
        return rho, _principal(theta)
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
            add(_sinusoid(cos, 2 * j, m, n), 2 * re_c, k, a)
            add(_sinusoid(sin, 2 * j, m, n), -2 * im_c, k, a)
        else:
            add(S.One, (re_c + IMAG * im_c) * (cos(theta * n) + IMAG * sin(theta * n)), k, a)
    out = []
    for sinusoid, terms in groups.items():
        out.append(Mul(sinusoid, Add(*terms)))
    return Add(*out)


@lru_cache(maxsize=1024)
def _sinusoid(fn, num, den, n):
    """``cos(π num/den · n)`` (or ``sin``), built once: SymPy's evaluation of a trigonometric
    function costs milliseconds, and its own cache may be cleared between calls."""
    return fn(pi * Rational(num, den) * n)


def _principal(theta):
    """A rational multiple of π brought into ``(-π, π]`` (``5π/3`` → ``-π/3``), so that
    conjugate bases give ``±θ`` and their imaginary parts cancel; others unchanged."""
    from sympy import floor, pi

    r = theta / pi
    if not r.is_Rational:
        return theta
    r = r - 2 * floor((r + 1) / 2)  # in [-1, 1)
    return (r + 2 if r == -1 else r) * pi


def _zeta_order(K):
    """``m`` when ``K`` is ``Q(ζ_m)(a, ...)`` (built by :func:`_periodic_with_parameters`)."""
    dom = getattr(K, "dom", None)
    if dom is None or not getattr(dom, "is_Algebraic", False) or not hasattr(K, "field"):
        return None
    ratio = dom.ext.root / (2 * pi * IMAG) if isinstance(dom.ext.root, exp) else None
    if ratio is None:
        return None
    r = dom.ext.root.args[0] / (2 * pi * IMAG)
    return int(1 / r) if r.is_Rational and r.p == 1 else None


class _ZetaOutput:
    """Real output over ``Q(ζ_m)(a, ...)``: conjugation (``ζ ↦ ζ⁻¹``, parameters real),
    bases as ``ρ ζʲ`` and real elements as SymPy with exact cosines."""

    def __init__(self, K, m):
        self.K, self.m = K, m
        K0 = K.dom
        self.K0 = K0
        z = K0([K0.dom.one, K0.dom.zero])
        self.zinv = z ** (m - 1)
        self.zeta = K.convert(z, K0)

    def conj_coeff(self, c):
        out = self.K0.zero
        for coeff in c.to_list():  # highest power first: Horner in ζ⁻¹
            out = out * self.zinv + self.K0.convert(coeff, self.K0.dom)
        return out

    def conj_poly(self, p):
        return p.ring.from_dict({mon: self.conj_coeff(c) for mon, c in p.terms()})

    def conj(self, x):
        return self.K.field.new(self.conj_poly(x.numer), self.conj_poly(x.denom))

    @staticmethod
    def same(x, y):
        """``x = y`` (SymPy keeps constant factors of ``Q(ζ)`` in both numerator and
        denominator, so ``==`` on the pair is not equality of values)."""
        return x.numer * y.denom == y.numer * x.denom

    def is_real(self, x):
        return self.same(x, self.conj(x))

    def unit_multiple(self, b):
        """``(ρ, j)`` with ``b = ρ ζʲ``, ``ρ`` real (positive when that is decided) and
        ``-m/2 < j ≤ m/2``, or ``None``."""
        K = self.K
        x = b
        zi = K.one / self.zeta
        first = None
        for j in range(self.m):
            if self.is_real(x):
                jj = j if 2 * j <= self.m else j - self.m
                if self.real_expr(x).is_positive:
                    return x, jj
                first = first or (x, jj)
            x = x * zi
        return first

    def real_expr(self, x):
        """The SymPy form of a real element ``x``: ``N D̄ / (D D̄)``, both with real
        coefficients, each coefficient ``Σ c_k cos(2πk/m)``."""
        from symconv.canonical.cyclotomic import _trig_parts

        num, den = x.numer, x.denom
        lc = den.LC
        num, den = num.quo_ground(lc), den.quo_ground(lc)  # monic: a real x has real N, D
        if den != self.conj_poly(den):
            dbar = self.conj_poly(den)
            num, den = num * dbar, den * dbar
        gens = self.K.field.ring.symbols
        parts = []
        for p in (num, den):
            terms = []
            for mon, c in p.terms():
                coeffs = c.to_list()
                deg = len(coeffs) - 1
                value = {}
                for i, q in enumerate(coeffs):
                    if not q:
                        continue
                    q = RQ.dtype(int(q.numerator), int(q.denominator))
                    for atom, v in _trig_parts((deg - i) % self.m, self.m)[0]:
                        value[atom] = value.get(atom, RQ.zero) + q * v
                coeff = Add(*[RQ.to_sympy(v) * atom for atom, v in value.items() if v])
                terms.append(Mul(coeff, *[g**e for g, e in zip(gens, mon, strict=True)]))
            parts.append(Add(*terms))
        num, den = parts
        return num / den


def _zeta_to_sympy(f, n):
    """``f`` over ``Q(ζ_m)(a, ...)`` as real SymPy: a term ``c nᵏ (ρζʲ)ⁿ`` and its
    conjugate give ``2 ρⁿ nᵏ (Re c · cos θn - Im c · sin θn)``, ``θ = 2πj/m``; ``None``
    when the terms do not pair up (the generic path takes it)."""
    K = f.K
    m = _zeta_order(K)
    if m is None:
        return None
    z = _ZetaOutput(K, m)
    i_unit = z.zeta ** (m // 4)
    terms = list(f.terms.items())
    used, out = set(), []
    for i, ((k, b), c) in enumerate(terms):
        if i in used:
            continue
        check_deadline()
        unit = z.unit_multiple(b)
        if unit is None:
            return None
        rho, j = unit
        rho_s = z.real_expr(rho)
        if j == 0 or 2 * j == m:  # a real base ±ρ
            if not z.is_real(c):
                return None
            out.append(z.real_expr(c) * n**k * Pow(rho_s if j == 0 else -rho_s, n))
            used.add(i)
            continue
        bbar, cbar = z.conj(b), z.conj(c)
        partner = next((i2 for i2, ((k2, b2), _c2) in enumerate(terms)
                        if i2 not in used and i2 != i and k2 == k and z.same(b2, bbar)), None)
        if partner is None or not z.same(terms[partner][1], cbar):
            return None
        two = K.convert(2)
        re_c, im_c = (c + cbar) / two, (c - cbar) / (two * i_unit)
        out.append(2 * n**k * Pow(rho_s, n) * (
            z.real_expr(re_c) * _sinusoid(cos, 2 * j, m, n)
            - z.real_expr(im_c) * _sinusoid(sin, 2 * j, m, n)))
        used.update({i, partner})
    return Add(*out)


def _geopoly_to_sympy(f, n):
    K = f.K
    if getattr(K, "dom", None) is not None and _zeta_order(K) is not None:
        out = _zeta_to_sympy(f, n)
        if out is not None:
            return out
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


def _value_at(expr, x, powers):
    """The value of a GeoPoly at the integer point ``x`` (an int or a symbolic Point)."""
    if not isinstance(x, Point):
        return expr.at(int(x))
    K = expr.K
    xk = powers.element(x)
    total = K.zero
    for (k, b), c in expr.terms.items():
        total += c * (xk**k if k else K.one) * powers.power(b, x)
    return total


def _absorb_short_pieces(seq, powers=None, longest=64):
    """Merge a short piece into a neighbour whose expression gives the same values there.

    Sums produce single-point pieces (at ``n = a + c``, ...) whose values the
    neighbouring closed form already matches; merging them is the discrete
    "equal neighbours" rule, decided exactly (also at symbolic points such as
    ``n = N - 1``).
    """
    pieces = list(seq.pieces)
    changed = True
    while changed:
        check_deadline()
        changed = False
        for i, p in enumerate(pieces):
            if not (is_finite(p.lo) and is_finite(p.hi)):
                continue
            length = p.hi - p.lo
            if isinstance(length, Point) or length > longest:
                continue
            if powers is None and (isinstance(p.lo, Point) or isinstance(p.hi, Point)):
                continue
            pts = [p.lo + j for j in range(int(length))]
            vals = [_value_at(p.expr, x, powers) for x in pts]
            for j in (i + 1, i - 1):  # prefer the piece that starts there
                if 0 <= j < len(pieces):
                    q = pieces[j]
                    if (q.hi == p.lo or q.lo == p.hi) and all(
                        _value_at(q.expr, x, powers) == v
                        for x, v in zip(pts, vals, strict=True)
                    ):
                        lo, hi = min(p.lo, q.lo), max(p.hi, q.hi)
                        pieces[j] = Piece(lo, hi, q.expr)
                        del pieces[i]
                        changed = True
                        break
            if changed:
                break
    return Signal.from_pieces(seq.K, pieces)


def sequence_to_sympy(seq, n, powers=None):
    """A sequence as a SymPy ``Piecewise`` in ``n`` (``n < hi`` conditions, in order).

    >>> from sympy import symbols
    >>> from symconv.functions import u
    >>> n = symbols("n", integer=True)
    >>> sequence_to_sympy(to_sequence(u(n) - u(n - 2), n), n)
    Piecewise((0, n < 0), (1, n < 2), (0, True))
    """
    seq = _absorb_short_pieces(seq, powers)
    full = []
    prev = NEG_INF
    for p in seq.pieces:
        if prev < p.lo:
            full.append((p.lo, S.Zero))
        e = _geopoly_to_sympy(p.expr, n)
        full.append((p.hi, powers.restore(e) if powers is not None else e))
        prev = p.hi
    if prev < POS_INF:
        full.append((POS_INF, S.Zero))
    if len(full) == 1:
        return full[0][1]
    even = _even_form(seq, n, powers)
    if even is not None:
        return even
    args = []
    symbolic = False
    for i, (hi, e) in enumerate(full):
        if i == len(full) - 1:
            cond = S.true
        else:
            x = to_sympy_point(hi)
            symbolic = symbolic or not x.is_Rational
            cond = StrictLessThan(n, x, evaluate=False)
        args.append((e, cond))
    # symbolic breakpoints: keep ``n < N`` as written (evaluation would reorder it)
    return Piecewise(*args, evaluate=not symbolic)


def _even_form(seq, n, powers):
    """``E(|n|)`` for a sequence on the whole line that is even (an autocorrelation):
    two pieces meeting at 0 or 1 with ``left(n) = right(-n)``; else ``None``."""
    if len(seq.pieces) != 2:
        return None
    left, right = seq.pieces
    if isinstance(left.lo, Inf) and isinstance(right.hi, Inf) and left.hi == right.lo \
            and not isinstance(left.hi, Point) and left.hi in (0, 1) \
            and left.expr.reflect() == right.expr:
        e = _geopoly_to_sympy(right.expr, n).xreplace({n: Abs(n)})
        return powers.restore(e) if powers is not None else e
    return None


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


def _compute(op, f, g, var, nonzero, facts=None):
    K, powers = sequence_domain([f, g], var)
    F = to_sequence(f, var, K, powers)
    G = to_sequence(g, var, K, powers)
    out = op(F, G, _SumOracle(K, nonzero, powers, facts))
    return sequence_to_sympy(out, var, powers)


def _convolve_op(F, G, oracle):
    return convolve_sequences(F, G, oracle)


def _correlate_op(F, G, oracle):
    return convolve_sequences(reflect_sequence(F), G, oracle)


def _run(op, kind, f, g, var, conditions, assume, check):
    from symconv.engine.continuous import (
        _CONDITIONS,
        _IMPOSSIBLE,
        _cases,
        assumptions,
        check_result,
    )

    _check_var(var)
    if conditions not in _CONDITIONS:
        raise UnsupportedInputError(
            f"conditions={conditions!r} is not accepted; use one of {_CONDITIONS}")
    f, g = (_as_sequence(x, name) for name, x in (("f", f), ("g", g)))
    f, g, facts, rels = assumptions(assume, f, g, var)
    if is_hypergeometric_input(f, g, var):  # factorials, binomials: generating functions
        result = convolve_hyper(f, g, var, kind=kind).value
        if check:
            from symconv.numeric.sequences import verify_sequence

            check_result(result, f, g, var, kind, rels, verify_sequence)
        return result

    def compute(a, b, v, fa):
        if not fa.feasible():
            return _IMPOSSIBLE
        return _compute(op, a, b, v, fa.nonzero, fa)

    result = _cases(compute, f, g, var, facts, conditions,
                    merge=lambda a, b: _same_sequence(a, b, var))
    if result is _IMPOSSIBLE:  # pragma: no cover - the facts were checked feasible
        raise UndecidableError("no parameter values satisfy the assumptions")
    if check:
        from symconv.numeric.sequences import verify_sequence

        check_result(result, f, g, var, kind, rels, verify_sequence)
    return result


def _same_sequence(a, b, var):
    """Are the results ``a`` and ``b`` (Piecewise in ``var``) the same sequence?  Decided
    exactly on their canonical forms; ``False`` when that cannot be decided."""
    from symconv.errors import SymconvError

    if a == b:
        return True
    if any(isinstance(x, Piecewise) and not x.args[0][1].has(var) for x in (a, b)):
        return False  # a case tree on the parameters: not compared
    try:
        K, powers = sequence_domain([a, b], var)
        A, B = (to_sequence(x, var, K, powers) for x in (a, b))
        cuts = []
        for p in A.pieces + B.pieces:
            for x in (p.lo, p.hi):
                if is_finite(x) and x not in cuts:
                    cuts.append(x)
        bounds = [NEG_INF, *sorted(cuts), POS_INF]
        for lo, hi in zip(bounds, bounds[1:], strict=False):
            ea, eb = _expr_on(A, lo, hi), _expr_on(B, lo, hi)
            if ea == eb:
                continue
            length = hi - lo if is_finite(lo) and is_finite(hi) else None
            if length is None or isinstance(length, Point) or length > 64:
                return False
            zero = GeoPoly.zero(K)
            if any(_value_at(ea or zero, lo + j, powers) != _value_at(eb or zero, lo + j, powers)
                   for j in range(int(length))):
                return False
        return True
    except (SymconvError, TypeError):
        return False


def _expr_on(seq, lo, hi):
    """The expression of ``seq`` on ``[lo, hi)`` (inside one of its pieces or a gap)."""
    for p in seq.pieces:
        if p.lo <= lo and hi <= p.hi:
            return p.expr
    return None


def _as_sequence(x, name):
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
    return exact(x)


def convolve_sequence(f, g, var, *, conditions="piecewise", assume=None, check=False):
    """Closed-form ``y[n] = Σ_k f[k] g[n-k]`` for sequences in the integer symbol ``var``.

    ``u(n)`` is the discrete step (``u[0] = 1``), ``KroneckerDelta(n, k)`` and
    ``delta(n)`` the discrete impulse; pieces ``c nᵏ aⁿ {1, cos ωn, sin ωn}`` on
    integer ranges whose ends may be integer parameters (``u(n) - u(n - N)`` with
    ``N = symbols("N", integer=True, positive=True)``). Coinciding bases (``a = b``)
    and undecided orders of the ends (``N < M``, ``N = M``, ``N > M``) become a
    ``Piecewise`` on the parameters; ``assume=`` states relations between them
    (``[a > 0, a < 1]``, ``Abs(a) < 1``, ``N < M``). Infinite sums need ``|r| < 1``
    (proven, or :class:`~symconv.errors.DivergenceError` naming the condition);
    ``check=True`` also sums directly (:func:`symconv.numeric.sequences.verify_sequence`).

    >>> from sympy import symbols
    >>> from symconv.functions import u
    >>> n = symbols("n", integer=True)
    >>> convolve_sequence(u(n) - u(n - 2), u(n) - u(n - 3), n)
    Piecewise((0, n < 0), (n + 1, n < 2), (4 - n, n < 4), (0, True))
    >>> N = symbols("N", integer=True, positive=True)
    >>> convolve_sequence(u(n) - u(n - N), u(n), n)
    Piecewise((0, n < 0), (n + 1, n < N), (N, True))
    """
    return _run(_convolve_op, "convolution", f, g, var, conditions, assume, check)


def correlate_sequence(f, g, var, *, conditions="piecewise", assume=None, check=False):
    """Closed-form cross-correlation ``Σ_k f[k] g[k + n]``; options as for
    :func:`convolve_sequence`.

    >>> from sympy import Abs, symbols
    >>> from symconv.functions import u
    >>> n = symbols("n", integer=True)
    >>> correlate_sequence(u(n) - u(n - 2), u(n) - u(n - 2), n)
    Piecewise((0, n < -1), (n + 2, n < 0), (2 - n, n < 2), (0, True))
    >>> a = symbols("a", positive=True)
    >>> correlate_sequence(a**n*u(n), a**n*u(n), n, assume=[a < 1])
    -a**Abs(n)/((a - 1)*(a + 1))
    """
    return _run(_correlate_op, "correlation", f, g, var, conditions, assume, check)
