"""Laws on the integer lattice ℤ² (:class:`Lattice2D`) and their sums (:func:`sum_iid2d`)."""

from __future__ import annotations

from math import lcm

from sympy import Rational, S, expand, simplify

from symconv.errors import DistributionError, UnsupportedInputError
from symconv.probability.distribution import Distribution
from symconv.probability.representation import _s

__all__ = ["Lattice2D", "sum_iid2d"]


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
