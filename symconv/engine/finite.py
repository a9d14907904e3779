"""Exact convolution of finite lists of values, with NumPy/SciPy's ``mode`` conventions.

Integer lists are multiplied as python-flint integer polynomials (Python ``int``
end to end); rational ones after clearing denominators; symbolic entries by the
direct ``O(len(a)·len(b))`` sum.

Examples
--------
>>> convolve_finite([1, 2, 3], [1, 1])
[1, 3, 5, 3]
>>> convolve_finite({-1: 1, 0: 2, 1: 1}, [1, 1])
{-1: 1, 0: 3, 1: 3, 2: 1}
"""

from __future__ import annotations

from fractions import Fraction
from math import gcd, lcm
from numbers import Integral
from numbers import Rational as PyRational

from sympy import Integer, Rational, S, expand, sympify
from sympy.core.sympify import SympifyError

from symconv.canonical.rational import coprime_rational
from symconv.convert.exact import exact
from symconv.convert.signals import check_value
from symconv.errors import UnsupportedInputError
from symconv.limits import check_deadline

__all__ = ["convolve_finite", "naive_convolution"]

_MODES = ("full", "same", "valid", "cyclic")


# ---------------------------------------------------------------------------
def _as_items(x, name):
    """``(start, [values])`` from a list/tuple/array (start 0) or a dict ``{index: value}``."""
    if isinstance(x, dict):
        if not x:
            return 0, []
        keys = list(x)
        for k in keys:
            if not isinstance(k, Integral):
                raise UnsupportedInputError(f"{name}: index {k!r} is not an integer")
        lo, hi = min(keys), max(keys)
        if hi - lo > 10**7:
            raise UnsupportedInputError(f"{name}: indices span {hi - lo + 1} positions (too many)")
        vals = [x.get(i, 0) for i in range(lo, hi + 1)]
        return int(lo), [_exact_value(v, name, lo + i) for i, v in enumerate(vals)]
    try:
        vals = list(x)
    except TypeError:
        raise UnsupportedInputError(
            f"{name} must be a list, tuple, array or dict of values, got {type(x).__name__}"
        ) from None
    return 0, [_exact_value(v, name, i) for i, v in enumerate(vals)]


def _exact_value(v, name, index):
    """The exact SymPy value of the entry ``name[index]``, or an error naming it."""
    if isinstance(v, str):
        raise UnsupportedInputError(f"{name} contains the string {v!r}; pass numbers or SymPy")
    if isinstance(v, bool):
        return S(int(v))
    if isinstance(v, Integral):
        return S(int(v))
    if isinstance(v, PyRational):
        return S(v.numerator) / v.denominator
    try:
        e = sympify(v, strict=True)
    except SympifyError:
        try:
            e = sympify(float(v), strict=True)
        except (TypeError, ValueError, SympifyError):
            raise UnsupportedInputError(f"{name} contains {v!r}, not a number") from None
    e = exact(e)
    check_value(e, f"{name}[{index}]")
    return e


def _integer_items(x):
    """``(start, [int, ...])`` when every value is a Python/NumPy integer, else ``None``.

    Integer sequences stay Python ``int`` end to end (flint multiplies them): no
    SymPy object per entry, so 10⁵-long lists convolve in milliseconds."""
    try:
        if isinstance(x, dict):
            if not x or not all(isinstance(k, Integral) and isinstance(v, Integral)
                                and not isinstance(v, bool) for k, v in x.items()):
                return None
            lo, hi = min(x), max(x)
            if hi - lo > 10**7:
                return None
            return int(lo), [int(x.get(i, 0)) for i in range(lo, hi + 1)]
        vals = list(x)
    except TypeError:
        return None
    if all(type(v) is int for v in vals):  # the common case, checked at C speed
        return 0, vals
    if not all(isinstance(v, Integral) and not isinstance(v, bool) for v in vals):
        return None
    return 0, [int(v) for v in vals]


def _rational_items(x):
    """``(start, [(p, q), ...])`` (``q > 0``, in lowest terms) when every value is an
    ``int``, a ``fractions.Fraction`` or a SymPy rational, else ``None``: their numerators
    and denominators are read directly, with no SymPy object per entry."""
    try:
        if isinstance(x, dict):
            if not x or not all(isinstance(k, Integral) for k in x):
                return None
            lo, hi = min(x), max(x)
            if hi - lo > 10**7:
                return None
            start, vals = int(lo), [x.get(i, 0) for i in range(lo, hi + 1)]
        else:
            start, vals = 0, list(x)
    except TypeError:
        return None
    out = []
    for v in vals:
        tp = type(v)
        if tp is int:
            out.append((v, 1))
        elif tp is Fraction:
            out.append((v.numerator, v.denominator))
        elif getattr(v, "is_Rational", False) and isinstance(v, Rational):
            out.append((int(v.p), int(v.q)))
        else:
            return None
    return start, out




def _multiply_pairs(a, b):
    """Exact full convolution of two lists of rationals given as ``(p, q)``: one flint
    integer product after clearing denominators, SymPy rationals built from coprime pairs."""
    if not a or not b:
        return []
    da = lcm(*[q for _p, q in a])
    db = lcm(*[q for _p, q in b])
    full = _multiply_integers([p * (da // q) for p, q in a], [p * (db // q) for p, q in b])
    den = da * db
    if den == 1:
        return [Integer(c) for c in full]
    out = []
    for c in full:
        g = gcd(c, den)
        out.append(coprime_rational(c // g, den // g) if g != 1 else coprime_rational(c, den))
    return out


def _multiply_integers(a, b):
    import flint

    if not a or not b:
        return []
    coeffs = [int(c) for c in (flint.fmpz_poly(a) * flint.fmpz_poly(b)).coeffs()]
    return coeffs + [0] * (len(a) + len(b) - 1 - len(coeffs))


def _multiply(a, b):
    """Exact full convolution of two value lists."""
    if not a or not b:
        return []
    if all(x.is_Rational for x in a) and all(x.is_Rational for x in b):
        return _multiply_rational(a, b)
    return naive_convolution(a, b)


def naive_convolution(a, b):
    """Exact ``O(len(a)·len(b))`` convolution of lists of SymPy values (symbolic entries).

    >>> from sympy import symbols
    >>> p = symbols("p")
    >>> naive_convolution([1 - p, p], [1 - p, p])
    [p**2 - 2*p + 1, -2*p**2 + 2*p, p**2]
    """
    out = [S.Zero] * (len(a) + len(b) - 1)
    for i, x in enumerate(a):
        check_deadline()
        if x == 0:
            continue
        for j, y in enumerate(b):
            out[i + j] += x * y
    return [expand(v) for v in out]


def _multiply_rational(a, b):
    from math import lcm

    import flint

    da = lcm(*[int(x.q) for x in a])
    db = lcm(*[int(x.q) for x in b])
    pa = flint.fmpz_poly([int(x * da) for x in a])
    pb = flint.fmpz_poly([int(x * db) for x in b])
    coeffs = (pa * pb).coeffs()
    n = len(a) + len(b) - 1
    coeffs = [int(c) for c in coeffs] + [0] * (n - len(coeffs))
    den = da * db
    if den == 1:
        return [Integer(c) for c in coeffs]
    return [Rational(c, den) for c in coeffs]


#: The longest cyclic result (``period``) built.
MAX_PERIOD = 10_000_000


def convolve_finite(f, g, *, mode="full", period=None):
    """Exact convolution of finite sequences, with NumPy/SciPy's ``mode`` conventions.

    Parameters
    ----------
    f, g : list, tuple, numpy array or dict
        Values (integers, fractions, SymPy numbers or symbols). A dict
        ``{index: value}`` gives a start index; the result is then a dict too.
    mode : {"full", "same", "valid", "cyclic"}
        As ``numpy.convolve`` (``same`` centred as NumPy does, on the longer
        input's length); ``cyclic`` is circular convolution with ``period``
        (default ``max(len(f), len(g))``).

    Integer inputs give Python ``int`` values (exact, and fast for long lists);
    anything else gives SymPy values.

    Examples
    --------
    >>> from sympy import Rational
    >>> convolve_finite([1, 2, 3], [0, 1, Rational(1, 2)])
    [0, 1, 5/2, 4, 3/2]
    >>> convolve_finite([1, 2, 3], [0, 1, Rational(1, 2)], mode="same")
    [1, 5/2, 4]
    >>> convolve_finite({-1: 1, 0: 2, 1: 1}, [1, Rational(1, 2)])
    {-1: 1, 0: 5/2, 1: 2, 2: 1/2}
    >>> convolve_finite([1, 2, 3, 4], [1, 1], mode="cyclic")
    [5, 3, 5, 7]
    """
    if mode not in _MODES:
        raise UnsupportedInputError(f"mode={mode!r} is not accepted; use one of {_MODES}")
    as_dict = isinstance(f, dict) or isinstance(g, dict)
    fast = _integer_items(f), _integer_items(g)
    rat = (None, None) if None not in fast else (_rational_items(f), _rational_items(g))
    if None not in fast:
        (fs, fv), (gs, gv) = fast
        full = _multiply_integers(fv, gv)
    elif None not in rat:
        (fs, fv), (gs, gv) = rat
        full = _multiply_pairs(fv, gv)
    else:
        fs, fv = _as_items(f, "f")
        gs, gv = _as_items(g, "g")
        full = _multiply(fv, gv)
    if mode == "cyclic":
        N = period if period is not None else max(len(fv), len(gv))
        if not isinstance(N, Integral) or N <= 0:
            raise UnsupportedInputError(f"period must be a positive integer, got {N!r}")
        if N > MAX_PERIOD:
            raise UnsupportedInputError(
                f"period {N} would make a list of {N} values; at most {MAX_PERIOD}")
        out = [0 if isinstance(full[0] if full else 0, int) else S.Zero] * N
        for i, v in enumerate(full):
            out[(i + fs + gs) % N] += v
        return out
    start = fs + gs
    if mode == "same":
        L = max(len(fv), len(gv))
        cut = (len(full) - L) // 2
        full, start = full[cut : cut + L], start + cut
    elif mode == "valid":
        L = max(len(fv), len(gv)) - min(len(fv), len(gv)) + 1
        cut = min(len(fv), len(gv)) - 1
        full, start = full[cut : cut + L], start + cut
    if as_dict:
        return {start + i: v for i, v in enumerate(full)}
    return full
