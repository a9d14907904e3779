"""Powers ``Bˣ`` of constants by symbolic integer points, exactly, for sums.

A sum ``Σ_{k=0}^{N-1} (1/2)^k`` with a symbolic length ``N`` ends at ``(1/2)^N``: the
sequence engine needs powers of its constants (bases ``B`` of terms ``c nᵏ Bⁿ`` and
their ratios) at symbolic integer points ``x = c₀ + Σ cᵢ Nᵢ``. Such a power is a new
constant, so it must be a generator of the exact domain from the start. Every base is
split once into *atoms* — primes of its rational part, ``-1``, irreducible factors
(symbols, ``a + 1``, ``e``) — and each pair (atom ``A``, integer symbol ``N``) gets a
marker symbol standing for ``A^N``. Any ``Bˣ`` is then a product of markers and plain
powers, and equal powers are equal elements (``6^N = 2^N 3^N`` either way), so
cancellation stays exact. On the way out the markers become ``A**N`` again.

Examples
--------
>>> from sympy import Rational, symbols
>>> n = symbols("n", integer=True)
>>> N = symbols("N", integer=True, positive=True)
>>> P = Powers.of([Rational(1, 6)], [Rational(1, 6)**n, N])
>>> K = P.domain([])
>>> x = P.power(K.from_sympy(Rational(1, 6)), P.element_point(N + 1))
>>> P.restore(K.to_sympy(x))
1/(6*6**N)
"""

from __future__ import annotations

from functools import reduce

from sympy import Add, Dummy, Integer, Mul, Pow, S, Symbol, exp, factor, factorint

from symconv.canonical.geopoly import _ipow
from symconv.canonical.rational import RQ
from symconv.errors import UnsupportedInputError

__all__ = ["Powers", "integer_symbols"]

#: No more than this many marker symbols (atoms × integer symbols): each is a
#: generator of the coefficient field, and fields with many generators are slow.
MAX_MARKERS = 24


def integer_symbols(exprs, var):
    """The integer-valued parameters of ``exprs`` (sorted by name), ``var`` excluded."""
    found = set()
    for e in exprs:
        found |= {s for s in getattr(e, "free_symbols", ()) if s != var and s.is_integer}
    return tuple(sorted(found, key=lambda s: s.name))


def atoms_of(b):
    """``{atom: exponent}`` with ``b = Π atom^exponent`` (a constant ``b ≠ 0``).

    >>> from sympy import symbols
    >>> a = symbols("a", positive=True)
    >>> atoms_of(-a/(12*(a + 1)))
    {-1: 1, 2: -2, 3: -1, a: 1, a + 1: -1}
    """
    out = {}

    def add(atom, k):
        if k:
            out[atom] = out.get(atom, 0) + k

    def rational(q, k):
        if q < 0:
            add(S.NegativeOne, k)
            q = -q
        for p, m in factorint(q.p).items():
            add(Integer(p), m * k)
        for p, m in factorint(q.q).items():
            add(Integer(p), -m * k)

    for f in Mul.make_args(factor(b)):
        base, k = f.as_base_exp() if isinstance(f, Pow) else (f, S.One)
        if not (k.is_Integer):
            base, k = f, S.One
        k = int(k)
        if base.is_Rational:
            rational(base, k)
        elif isinstance(base, exp) or base is S.Exp1:
            add(base, k)
        else:
            coeff, rest = base.as_coeff_Mul() if isinstance(base, Add) else (S.One, base)
            if coeff != 1:
                rational(coeff, k)
            add(rest, k)
    if 1 in out:
        del out[1]
    return {a: k for a, k in sorted(out.items(), key=lambda kv: kv[0].sort_key()) if k}


class Powers:
    """Markers for ``A^N`` (atoms ``A`` of the bases, integer symbols ``N``)."""

    def __init__(self, symbols=(), atoms=()):
        self.symbols = tuple(symbols)
        self.atoms = tuple(atoms)
        self.markers = {}
        for A in self.atoms:
            for N in self.symbols:
                self.markers[(A, N)] = Dummy(
                    f"{A}^{N}", positive=True if A.is_positive else None,
                    real=True if A.is_extended_real else None, nonzero=True)
        if len(self.markers) > MAX_MARKERS:
            raise UnsupportedInputError(
                f"{len(self.markers)} symbolic powers (bases {list(self.atoms)} to the "
                f"integer parameters {list(self.symbols)}) exceed the limit {MAX_MARKERS}",
                limit="MAX_MARKERS")
        self.back = {m: Pow(A, N) for (A, N), m in self.markers.items()}
        self.K = None
        self.zeta = None  # a primitive m-th root of unity of K, when K is built on one
        self.m = None
        self._cache = {}

    @classmethod
    def of(cls, bases, exprs, var=None):
        """Markers for the atoms of ``bases`` and the integer symbols of ``exprs``."""
        symbols = integer_symbols(exprs, var)
        if not symbols:
            return cls()
        atoms = set()
        for b in bases:
            if b.free_symbols & set(symbols):
                continue  # a base that depends on N itself: no marker (refused if needed)
            if b.is_number and not b.is_extended_real:
                continue  # a unit e^{iω}: powers at symbolic points are refused when needed
            atoms.update(atoms_of(b))
        return cls(symbols, sorted(atoms, key=lambda a: a.sort_key()))

    def domain(self, items):
        """The exact field for the constants ``items`` and the markers (``field_for``)."""
        from symconv.canonical.domains import field_for

        self.K = field_for(list(items) + list(self.markers.values()))
        return self.K

    def element_point(self, e):
        """``e`` (SymPy, integer-valued linear form in the integer symbols) checked, as
        a point: an :data:`RQ` integer or an :class:`~symconv.canonical.order.Point`."""
        from symconv.canonical.order import point

        try:
            x = point(e)
        except UnsupportedInputError:
            x = None
        if x is None or any(not a.is_integer for a in e.free_symbols):
            raise UnsupportedInputError(
                f"the breakpoint n = {e} of a sequence must be an integer: declare its "
                f"parameters integer, e.g. symbols('{sorted(map(str, e.free_symbols))[0]}', "
                "integer=True)" if e.free_symbols else f"the index {e} is not an integer", e)
        _integer_point(x, e)
        return x

    def element(self, x):
        """A point as an element of the domain."""
        from symconv.canonical.signal import to_sympy_point

        return self.K.from_sympy(to_sympy_point(x))

    def power(self, b, x):
        """``bˣ`` in the domain for ``b`` in it and a point ``x`` (integer or Point)."""
        K = self.K
        if isinstance(x, RQ.dtype):
            return _ipow(K, b, int(x))
        const, items = x.lin
        out = _ipow(K, b, int(const))
        for sym, c in items:
            out = out * _ipow(K, self._symbolic(b, sym), int(c))
        return out

    def _symbolic(self, b, sym):
        key = (b, sym)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        K = self.K
        value = K.to_sympy(b)
        if value.has(*self.markers.values()) or sym not in self.symbols:
            raise UnsupportedInputError(f"cannot form the power ({value})**{sym} exactly")
        factors = []
        for atom, k in atoms_of(value).items():
            m = self.markers.get((atom, sym))
            if m is None:
                raise UnsupportedInputError(
                    f"the sum needs ({value})**{sym}, a power of {atom} to the symbolic "
                    f"integer {sym}, which this domain does not hold; periodic factors "
                    "cos/sin(w n) with symbolic shifts or lengths are not supported",
                    value)
            factors.append(_ipow(K, K.from_sympy(m), k))
        out = reduce(lambda p, q: p * q, factors, K.one)
        self._cache[key] = out
        return out

    def restore(self, e):
        """``e`` with every marker replaced by the power it stands for."""
        return e.xreplace(self.back) if self.back else e


def _integer_point(x, e):
    """Refuse a breakpoint that need not be an integer (``N/2``, ``T`` real)."""
    if isinstance(x, RQ.dtype):
        if x.denominator != 1:
            raise UnsupportedInputError(f"the index {e} is not an integer", e)
        return
    const, items = x.lin
    bad = [a for a, q in items if not (isinstance(a, Symbol) and a.is_integer)
           or q.denominator != 1]
    if bad or const.denominator != 1:
        raise UnsupportedInputError(
            f"the breakpoint n = {e} of a sequence must be an integer: use integer "
            "coefficients and integer parameters, e.g. symbols('N', integer=True, "
            "positive=True)", e)

