"""SymPy expressions in an integer variable to canonical sequences.

Pieces on half-open integer ranges carrying :class:`~symconv.canonical.geopoly.GeoPoly`
terms ``c nᵏ Bⁿ``; the exact domain is chosen once here (:func:`sequence_domain`): the fast
rationals, the cyclotomic field ``Q(ζ_m)`` for periodic factors (with parameters
``Q(ζ_m)(a, …)``), SymPy's fields otherwise, with the symbolic powers ``Bᴺ`` that sums
ending at integer parameters need (:class:`~symconv.canonical.powers.Powers`).

Examples
--------
>>> from sympy import symbols
>>> from symconv.functions import u
>>> n = symbols("n", integer=True)
>>> to_sequence(u(n) - u(n - 3), n).intervals()
((0, 3),)
"""

from __future__ import annotations

from sympy import (
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
    S,
    Symbol,
    cos,
    cosh,
    exp,
    factorint,
    pi,
    sin,
    sinh,
    sympify,
)
from sympy import I as IMAG
from sympy.polys.polyerrors import CoercionFailed, PolynomialError

from symconv.canonical.cyclotomic import CyclotomicField, cyclotomic_order
from symconv.canonical.domains import field_for
from symconv.canonical.geopoly import GeoPoly, _ipow
from symconv.canonical.powers import Powers
from symconv.canonical.rational import RQ
from symconv.canonical.signal import NEG_INF, POS_INF, Piece, Signal, is_finite
from symconv.canonical.sizes import MAX_DEGREE
from symconv.convert.exact import exact
from symconv.convert.signals import _CLASS_HINT, _Converter
from symconv.errors import UnsupportedInputError
from symconv.functions import rect

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
            out.update({e.base ** _unsigned(p), e.base})
            out.add(e.base ** _fixed_part(q))
    elif isinstance(e, (exp, sinh, cosh)):
        lin = _linear_coeffs(e.args[0], var)
        if lin:
            p, q = lin
            out.update({_exp_generator(p), exp(_fixed_part(q))})
            if q != _fixed_part(q):
                out.add(S.Exp1)
    elif isinstance(e, (sin, cos)):
        lin = _linear_coeffs(e.args[0], var)
        if lin:
            p, q = lin
            out.update({_unit(_unsigned(p)), _unit(q), IMAG})
    for a in e.args:
        if isinstance(a, Basic):
            _sequence_leaves(a, var, out)


def _exp_generator(p):
    """The constant ``e^{|p|}`` a factor ``e^{p n}`` needs, one for ``±p``; for an
    imaginary ``p = iω`` it is ``e^{i|ω|}`` (``abs(i) = 1`` would give ``e`` instead)."""
    if p.is_extended_real is False and (p / IMAG).is_extended_real:
        return exp(IMAG * _unsigned(p / IMAG))
    return exp(_unsigned(p))


def _unsigned(p):
    """``p`` or ``-p``, one for both (``|p|`` for a number; for a parameter ``ω`` of
    unknown sign ``ω`` itself, as :meth:`_SequenceConverter._phase` takes it: ``e^{-iω}``
    is then the inverse of the generator ``e^{iω}``, not a generator ``e^{i|ω|}`` that
    the field cannot relate to it)."""
    return -p if p.could_extract_minus_sign() else p


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

    from symconv.canonical.domains import _generators

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
            return [(NEG_INF, POS_INF, _ipow(K, zeta, int(p * m / 2)),
                     _ipow(K, zeta, int(q * m / 2)))]
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
