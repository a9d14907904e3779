"""Symbolic breakpoints and the facts that order them.

A breakpoint that depends on parameters (``T/2``, ``t0``, ``a + T1/2``) or sits at
a real constant (``π``, ``√2``, ``3π/4 + 1``) is a :class:`Point`: a linear form
``c0 + Σ cᵢ·atomᵢ`` with rational coefficients over real *atoms* (symbols, products
such as ``a*b``, or constants). A constant atom is bounded by certified rationals
from interval arithmetic (:mod:`symconv.canonical.constants`), and a comparison of constants
alone is decided there, exactly. Points compare with
each other, with rationals and with ``±∞`` through the :class:`Facts` in force:
the atoms' SymPy sign assumptions, the user's ``assume=[T1 < T2]`` and the facts
of the current case. A comparison the facts do not decide raises
:class:`~symconv.errors.UndecidableOrderError` naming it; the engine's case
driver catches it and splits.

Implication is decided exactly by Fourier–Motzkin elimination over the
rationals (strictness tracked), which is complete for linear facts.

Examples
--------
>>> from sympy import symbols
>>> T1, T2 = symbols("T1 T2", positive=True)
>>> a, b = Point.from_sympy(T1 / 2), Point.from_sympy(T1 + T2)
>>> a < b
True
>>> with Facts.of([T1 < T2]).using():
...     Point.from_sympy(T1) < Point.from_sympy(T2)
True
>>> Point.from_sympy(T1) < Point.from_sympy(T2)  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
symconv.errors.UndecidableOrderError: the order of T1 and T2 is not decided ...
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from math import gcd

from sympy import (
    Add,
    Eq,
    Expr,
    GreaterThan,
    LessThan,
    Ne,
    S,
    StrictGreaterThan,
    StrictLessThan,
    expand,
)
from sympy.core.relational import Relational

from symconv.canonical.constants import bounds, is_constant
from symconv.canonical.constants import sign as constant_sign
from symconv.canonical.rational import RQ, content
from symconv.errors import UndecidableOrderError, UnsupportedInputError

__all__ = [
    "Point", "Facts", "lin_of", "lin_expr", "negate", "current_facts", "point", "relation",
    "undecided",
]

#: Fourier–Motzkin gives up (the comparison counts as undecided) beyond this many rows.
_FM_LIMIT = 2000


# ---------------------------------------------------------------------------
# linear forms: (const, ((atom, coeff), ...)) with atoms sorted by their string
# ---------------------------------------------------------------------------
@lru_cache(maxsize=8192)
def _atom_key(a):
    return (str(a), a.sort_key())


def lin_of(e):
    """``e`` as a linear form ``(const, ((atom, coeff), ...))`` with rational
    coefficients, or ``None`` when ``e`` is not one (an irrational coefficient
    or a non-real atom)."""
    e = expand(e)
    const = RQ.zero
    terms = {}
    for term, c in e.as_coefficients_dict().items():
        if not c.is_Rational:
            return None
        if term is S.One:
            const += RQ.from_sympy(c)
            continue
        coeff, atom = term.as_coeff_Mul()
        if not coeff.is_Rational:
            return None
        if atom.is_number and not is_constant(atom):
            return None
        if atom.is_extended_real is not True:
            return None
        q = RQ.from_sympy(c * coeff)
        terms[atom] = terms.get(atom, RQ.zero) + q
    items = tuple(sorted(((a, q) for a, q in terms.items() if q), key=lambda p: _atom_key(p[0])))
    return const, items


def lin_expr(lin):
    const, items = lin
    return Add(RQ.to_sympy(const), *[RQ.to_sympy(q) * a for a, q in items])


def _lin_add(x, y, sy=1):
    const = x[0] + sy * y[0]
    terms = dict(x[1])
    for a, q in y[1]:
        terms[a] = terms.get(a, RQ.zero) + sy * q
    items = tuple(sorted(((a, q) for a, q in terms.items() if q), key=lambda p: _atom_key(p[0])))
    return const, items


def negate(lin):
    """``-lin``."""
    return _lin_scale(lin, -RQ.one)


def _lin_scale(x, c):
    if not c:
        return RQ.zero, ()
    return x[0] * c, tuple((a, q * c) for a, q in x[1])


def _is_integral(lin):
    const, items = lin
    return bool(items) and const.denominator == 1 and all(
        a.is_integer and q.denominator == 1 for a, q in items)


def relation(lin, op):
    """``lin op 0`` as a readable relation: parameters with positive coefficients
    on the left, the rest and the constant on the right (``T1 - T2 < 0`` reads
    ``T1 < T2``, ``c + 1 > 0`` reads ``c > -1``, ``3 - a > 0`` reads ``a < 3``).
    For integer parameters the weak form is used where it reads simpler
    (``M - N - 1 < 0`` reads ``M <= N``). A common positive factor of the
    parameters' coefficients is divided out (``2a > 0`` reads ``a > 0``)."""
    lin, op = _without_content(lin, op)
    if op in ("<", ">", "<=", ">=") and _is_integral(lin):
        strict = op in ("<", ">")
        # lin < 0 <=> lin + 1 <= 0 and lin > 0 <=> lin - 1 >= 0 (and back)
        shift = (1 if op[0] == "<" else -1) * (1 if strict else -1)
        other = (lin[0] + shift, lin[1])
        if abs(other[0]) < abs(lin[0]):
            lin, op = other, (op[0] + "=" if strict else op[0])
    const, items = lin
    pos = Add(*[RQ.to_sympy(q) * a for a, q in items if q > 0])
    neg = Add(*[RQ.to_sympy(-q) * a for a, q in items if q < 0])
    c = RQ.to_sympy(const)
    if pos != 0:
        left, right = pos, neg - c  # P - N + c op 0  <=>  P op N - c
    else:
        left, right = neg, c  # -N + c op 0  <=>  N op' c
        op = {"<": ">", ">": "<", "<=": ">=", ">=": "<=", "=": "="}[op]
    if op == "=":
        return Eq(left, right, evaluate=False)
    cls = {"<": StrictLessThan, ">": StrictGreaterThan, "<=": LessThan,
           ">=": GreaterThan}[op]
    return cls(left, right, evaluate=False)


def _without_content(lin, op):
    """``(lin / g, op')`` for the positive content ``g`` of the parameters' coefficients
    (the same relation to 0). For integer parameters the constant is then rounded the
    way the relation allows (``4N - 2 < 0`` is ``N < 1/2``, that is ``N <= 0``); an
    equation whose constant would not stay an integer is left as it is."""
    const, items = lin
    g = content(q for _a, q in items) if items else RQ.one
    if g == 1:
        return lin, op
    scaled = _lin_scale(lin, 1 / g)
    if not _is_integral(lin) or scaled[0].denominator == 1:
        return scaled, op
    if op not in ("<", ">", "<=", ">="):
        return lin, op
    r = -scaled[0]  # X op r for the integer-valued X = scaled - its constant
    floor_r = r.numerator // r.denominator
    bound, op = (floor_r, "<=") if op in ("<", "<=") else (floor_r + 1, ">=")
    return (RQ(-bound), scaled[1]), op


# ---------------------------------------------------------------------------
# Fourier–Motzkin
# ---------------------------------------------------------------------------
def _cheapest_atom(rows):
    """The atom whose elimination adds the fewest rows (Fourier–Motzkin's heuristic)."""
    pos, neg = {}, {}
    for coeffs, _c, _s in rows:
        for a, q in coeffs.items():
            side = pos if q > 0 else neg
            side[a] = side.get(a, 0) + 1
    atoms = set(pos) | set(neg)
    return min(atoms, key=lambda a: (pos.get(a, 0) * neg.get(a, 0) - pos.get(a, 0)
                                     - neg.get(a, 0), _atom_key(a)))


def _dedupe(rows):
    """Rows scaled to a unit leading coefficient, duplicates and weaker copies dropped."""
    best = {}
    for coeffs, const, strict in rows:
        if coeffs:
            lead = abs(coeffs[min(coeffs, key=_atom_key)])
            coeffs = {a: q / lead for a, q in coeffs.items()}
            const = const / lead
        key = tuple(sorted(coeffs.items(), key=lambda p: _atom_key(p[0])))
        old = best.get(key)
        # c + Σ > 0 is weaker when c is larger; at equal c, strict is stronger
        if old is None or const < old[1] or (const == old[1] and strict and not old[2]):
            best[key] = (coeffs, const, strict)
    return list(best.values())


def _integral(row):
    """A fact on integer atoms with integer coefficients, tightened: ``S + c > 0`` with
    ``S`` integer-valued is ``S ≥ ⌊-c⌋ + 1`` (``N < M`` is ``N ≤ M - 1`` for integers)."""
    const, items, strict = row
    if not items or not all(a.is_integer for a, _q in items):
        return row
    lcm = 1
    for _a, q in items:
        lcm = lcm * q.denominator // gcd(lcm, q.denominator)
    c = const * lcm
    floor_c = c.numerator // c.denominator
    floor_neg_c = (-c.numerator) // c.denominator
    bound = floor_neg_c + 1 if strict else -floor_c  # S ≥ ⌊-c⌋ + 1, or S ≥ ⌈-c⌉ = -⌊c⌋
    return (RQ(-bound), tuple((a, q * lcm) for a, q in items), False)


def _feasible(rows):
    """Is ``{Σ c·atom + c0 (>|>=) 0}`` satisfiable over the reals?  ``None`` = gave up.
    Facts on integer parameters alone are first tightened to their integer form."""
    rows = [(dict(items), const, strict)
            for const, items, strict in (_integral(r) for r in rows)]
    while any(coeffs for coeffs, _c, _s in rows):
        atom = _cheapest_atom(rows)
        pos, neg, rest = [], [], []
        for row in rows:
            c = row[0].get(atom, 0)
            (pos if c > 0 else neg if c < 0 else rest).append(row)
        for p in pos:
            for n in neg:
                cp, cn = p[0][atom], -n[0][atom]
                coeffs = {}
                for a, q in p[0].items():
                    coeffs[a] = coeffs.get(a, 0) + q * cn
                for a, q in n[0].items():
                    coeffs[a] = coeffs.get(a, 0) + q * cp
                coeffs = {a: q for a, q in coeffs.items() if q and a != atom}
                rest.append((coeffs, p[1] * cn + n[1] * cp, p[2] or n[2]))
        rows = _dedupe(rest)
        if len(rows) > _FM_LIMIT:
            return None
    for _coeffs, const, strict in rows:
        if const < 0 or (strict and not const):
            return False
    return True


def _sign_rows(lin, prec=64):
    """Facts from SymPy's assumptions on the atoms of ``lin``; a constant atom
    (``π``, ``√2``) is bounded by certified rationals ``lo < π < hi``."""
    out = []
    for a, _q in lin[1]:
        one = ((a, RQ.one),)
        minus = ((a, -RQ.one),)
        if a.is_number:
            lo, hi = bounds(a, prec)
            out.append((-lo, one, True))
            out.append((hi, minus, True))
        elif a.is_positive:
            out.append((RQ.zero, one, True))
        elif a.is_negative:
            out.append((RQ.zero, minus, True))
        elif a.is_nonnegative:
            out.append((RQ.zero, one, False))
        elif a.is_nonpositive:
            out.append((RQ.zero, minus, False))
    return out


#: Entailment answers shared by all fact sets: (question, relevant facts) -> bool.
_ENTAILS = {}


def _connected(rows, atoms):
    """The facts that share atoms, directly or through other facts, with ``atoms``
    (the others cannot matter for a feasible set of facts)."""
    atoms = set(atoms)
    left = list(rows)
    out = []
    grew = True
    while grew:
        grew = False
        rest = []
        for row in left:
            if any(a in atoms for a, _q in row[1]):
                out.append(row)
                atoms.update(a for a, _q in row[1])
                grew = True
            else:
                rest.append(row)
        left = rest
    return tuple(out)


class Facts:
    """An immutable set of linear facts ``lin > 0`` / ``lin >= 0`` and non-zero facts.

    Use :meth:`of` to build it from SymPy relations and :meth:`using` to put it
    in force for the comparisons of :class:`Point`.
    """

    def __init__(self, rows=(), nonzero=()):
        self.rows = tuple(rows)
        self.nonzero = tuple(nonzero)
        self._cache = {}

    @classmethod
    def of(cls, relations=()):
        """Facts from SymPy relations (``T1 < T2``, ``T > 0``, ``Ne(a, b)``).

        Raises :class:`UnsupportedInputError` for a relation that is not linear
        in real parameters (``Eq`` is handled by substitution, not here)."""
        rows, nonzero = [], []
        for rel in relations:
            if rel is True or rel == S.true:
                continue
            if not isinstance(rel, Relational) or isinstance(rel, Eq):
                raise UnsupportedInputError(
                    f"assume= takes inequalities such as T1 < T2 or a > 0, got {rel!r}")
            d = rel.lhs - rel.rhs
            if isinstance(rel, Ne):
                nonzero.append(d)
                continue
            lin = lin_of(d)
            if lin is None:
                raise UnsupportedInputError(
                    f"assume= needs relations linear in real parameters, got {rel}", rel)
            if rel.rel_op in ("<", "<="):
                lin = _lin_scale(lin, -RQ.one)
            rows.append((lin[0], lin[1], rel.rel_op in ("<", ">")))
        return cls(rows, nonzero)

    def add(self, lin, strict=True):
        """These facts and ``lin > 0`` (``>= 0`` if not strict)."""
        return Facts(self.rows + ((lin[0], lin[1], strict),), self.nonzero)

    def add_nonzero(self, e):
        return Facts(self.rows, self.nonzero + (e,))

    def subs(self, mapping):
        """The facts after substituting ``mapping`` (symbol -> expression); the sign
        assumptions of the substituted symbols become facts on their values."""
        rows = []
        for sym in mapping:
            lin = lin_of(sym)
            if lin is not None:
                for const, items, strict in _sign_rows(lin):
                    rows.append((const, items, strict))
        out = []
        for const, items, strict in self.rows + tuple(rows):
            lin = lin_of(lin_expr((const, items)).xreplace(mapping))
            if lin is not None:
                out.append((lin[0], lin[1], strict))
        rows = out
        return Facts(rows, tuple(e.xreplace(mapping) for e in self.nonzero))

    def feasible(self):
        """Can all facts hold at once (with the atoms' sign assumptions)?"""
        rows = list(self.rows)
        for const, items, _s in self.rows:
            rows += _sign_rows((const, items))
        return _feasible(rows) is not False

    def entails(self, lin, strict):
        """Do the facts imply ``lin > 0`` (``>= 0`` if not ``strict``)?"""
        key = (lin, strict)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        const, items = lin
        if not items:
            ans = const > 0 if strict else const >= 0
        else:
            relevant = _connected(self.rows, {a for a, _q in items})
            gkey = (lin, strict, relevant)
            ans = _ENTAILS.get(gkey)
            if ans is None:
                neg = _lin_scale(lin, -RQ.one)
                rows = [(neg[0], neg[1], not strict)]
                rows += _sign_rows(lin)
                ans = _feasible(rows) is False  # the signs alone may decide it
                if not ans and relevant:
                    for c, it, s in relevant:
                        rows.append((c, it, s))
                        rows += _sign_rows((c, it))
                    ans = _feasible(rows) is False
                if len(_ENTAILS) > 100_000:
                    _ENTAILS.clear()
                _ENTAILS[gkey] = ans
        self._cache[key] = ans
        return ans

    def sign(self, lin):
        """``1``, ``-1`` or ``0`` when the facts decide ``lin``'s sign, else ``None``."""
        if not lin[1]:
            return (lin[0] > 0) - (lin[0] < 0)
        if self.entails(lin, True):
            return 1
        if self.entails(_lin_scale(lin, -RQ.one), True):
            return -1
        if self.entails(lin, False) and self.entails(_lin_scale(lin, -RQ.one), False):
            return 0
        return None

    @contextmanager
    def using(self):
        """Put these facts in force for Point comparisons inside the block."""
        token = _IN_FORCE.set(self)
        try:
            yield self
        finally:
            _IN_FORCE.reset(token)


_NONE = Facts()
#: The facts in force, per thread (and per task): a grading thread's case facts must not
#: reach another thread's convolution.
_IN_FORCE = ContextVar("symconv_facts_in_force", default=None)


def current_facts():
    """The facts in force (none outside :meth:`Facts.using`)."""
    facts = _IN_FORCE.get()
    return _NONE if facts is None else facts


# ---------------------------------------------------------------------------
# symbolic breakpoints
# ---------------------------------------------------------------------------
class Point:
    """A breakpoint linear in real parameters; build with :meth:`from_sympy` or
    :func:`point`, which returns a plain rational when there are no parameters."""

    __slots__ = ("lin", "_hash")

    def __init__(self, lin):
        self.lin = lin
        self._hash = hash(("Point",) + lin)

    @staticmethod
    def from_sympy(e, what=None):
        """The breakpoint ``e``: an :data:`RQ` rational or a :class:`Point`."""
        lin = lin_of(e)
        if lin is None:
            raise UnsupportedInputError(
                f"the breakpoint {e}{' of ' + str(what) if what is not None else ''} must be "
                "linear with rational coefficients in real parameters and real constants "
                "(pi, sqrt(2), E, log(2)); declare the parameters real (or positive), "
                "e.g. symbols('T', positive=True)",
                what if isinstance(what, Expr) else e,
            )
        return _make(lin)

    def to_sympy(self):
        return lin_expr(self.lin)

    # arithmetic ------------------------------------------------------------
    def __add__(self, other):
        if isinstance(other, Point):
            return _make(_lin_add(self.lin, other.lin))
        if _is_inf(other):
            return other
        return _make((self.lin[0] + other, self.lin[1]))

    __radd__ = __add__

    def __neg__(self):
        return Point(_lin_scale(self.lin, -RQ.one))

    def __sub__(self, other):
        return self + (-other)

    def __rsub__(self, other):
        return (-self) + other

    def __mul__(self, c):
        if isinstance(c, Point):
            return NotImplemented
        return _make(_lin_scale(self.lin, RQ.convert(c)))

    __rmul__ = __mul__

    def __truediv__(self, c):
        return self * (RQ.one / RQ.convert(c))

    # order -----------------------------------------------------------------
    def _diff(self, other):
        if isinstance(other, Point):
            return _lin_add(self.lin, other.lin, -1)
        return (self.lin[0] - other, self.lin[1])

    def __lt__(self, other):
        if _is_inf(other):
            return other.sign > 0
        return _compare(self._diff(other), "<")

    def __le__(self, other):
        if _is_inf(other):
            return other.sign > 0
        return _compare(self._diff(other), "<=")

    def __gt__(self, other):
        if _is_inf(other):
            return other.sign < 0
        return _compare(self._diff(other), ">")

    def __ge__(self, other):
        if _is_inf(other):
            return other.sign < 0
        return _compare(self._diff(other), ">=")

    def __eq__(self, other):
        if isinstance(other, Point) and other.lin == self.lin:
            return True
        if _is_inf(other):
            return False
        if not isinstance(other, (Point, int, RQ.dtype)):
            return NotImplemented
        return _compare(self._diff(other), "==")

    def __ne__(self, other):
        r = self.__eq__(other)
        return r if r is NotImplemented else not r

    def __hash__(self):
        return self._hash

    def __repr__(self):
        return f"Point({self.to_sympy()})"

    def __str__(self):
        return str(self.to_sympy())


def _is_inf(x):
    return type(x).__name__ == "Inf"


def _make(lin):
    return lin[0] if not lin[1] else Point(lin)


def undecided(d):
    """The error for an undecided sign of ``d`` (a linear form)."""
    if d[1] and d[1][0][1] < 0:  # one wording for T1 - T2 and T2 - T1
        d = _lin_scale(d, -RQ.one)
    left, right = _split(d)
    return UndecidableOrderError(
        f"the order of {left} and {right} is not decided by the assumptions; declare it, "
        f"e.g. assume=[{relation(d, '<')}], or use conditions='piecewise'",
        relation(d, "<"),
        lin=d,
    )


def _split(d):
    const, items = d
    left = Add(*[RQ.to_sympy(q) * a for a, q in items if q > 0])
    right = Add(*[RQ.to_sympy(-q) * a for a, q in items if q < 0])
    if const > 0:
        left += RQ.to_sympy(const)
    elif const < 0:
        right += RQ.to_sympy(-const)
    return left, right


def _compare(d, op):
    """Decide ``d op 0`` from the facts in force, or raise UndecidableOrderError."""
    facts = current_facts()
    if not d[1]:
        c = d[0]
        return {"<": c < 0, "<=": c <= 0, ">": c > 0, ">=": c >= 0, "==": c == 0}[op]
    if all(a.is_number for a, _q in d[1]):  # constants only (π - 3): certified, no facts
        c = _constant_sign(d)
        return {"<": c < 0, "<=": c <= 0, ">": c > 0, ">=": c >= 0, "==": c == 0}[op]
    neg = _lin_scale(d, -RQ.one)
    if op in ("<", ">="):
        if facts.entails(neg, True):
            return op == "<"
        if facts.entails(d, False):
            return op == ">="
    elif op in (">", "<="):
        if facts.entails(d, True):
            return op == ">"
        if facts.entails(neg, False):
            return op == "<="
    else:
        if facts.entails(d, True) or facts.entails(neg, True):
            return False
        if facts.entails(d, False) and facts.entails(neg, False):
            return True
    raise undecided(d)


def _constant_sign(d):
    """The sign of a linear form in constants only; its error names both sides and
    cannot be split into cases (``lin=None``): constants have one true order."""
    try:
        return constant_sign(lin_expr(d))
    except UndecidableOrderError:
        left, right = _split(d)
        raise UndecidableOrderError(
            f"the order of {left} and {right} cannot be decided: certified interval "
            "arithmetic does not separate them and no exact proof of equality was found",
            relation(d, "<")) from None


def point(e, what=None):
    """A breakpoint from a SymPy expression: rational -> :data:`RQ`, else :class:`Point`."""
    if getattr(e, "is_Rational", False):
        return RQ.from_sympy(e)
    return Point.from_sympy(e, what)
