"""Convolution of compactly supported piecewise polynomials by their jumps.

A piecewise polynomial ``f`` of degree ``≤ d`` with rational breakpoints is a sum of
truncated powers: at each breakpoint ``x`` the polynomial on the right minus the one on the
left, written by its derivatives ``a_{x,k}`` at ``x``, gives

``f(t) = Σ_x Σ_k a_{x,k} (t - x)ᵏ/k! · u(t - x)``

(``f`` differentiated ``d + 1`` times is an impulse train). Since
``(t-x)ᵏ/k! u(t-x) * (t-y)ˡ/l! u(t-y) = (t-x-y)^{k+l+1}/(k+l+1)! u(t-x-y)``,
the convolution of two such sums is one such sum with breakpoints at the sums ``x + y``:

``f * g = Σ_z Σ_m c_{z,m} (t - z)ᵐ/m! · u(t - z)``, with
``c_{z,m} = Σ_{x+y=z, k+l+1=m} a_{x,k} b_{y,l}``.

The work is one product per pair of jumps — ``pieces(f) · pieces(g) · (d_f + 1)(d_g + 1)``
multiplications of rationals, or, when the breakpoints lie on a common grid, a few products
of python-flint polynomials in the grid index — instead of one closed-form integral per
region of each pair of pieces. The result is the difference array ``{z: terms}`` that
:func:`symconv.convert.signals.sweep` turns into pieces, exactly as the pairwise method's, so
:func:`symconv.engine.continuous.convolve_signals` takes this path whenever it applies
(rational data, polynomial pieces, finite rational ends) and the general one otherwise.

Examples
--------
>>> from sympy import symbols
>>> from symconv.convert.signals import sweep, to_signal
>>> from symconv.functions import rect
>>> t = symbols("t", real=True)
>>> box = to_signal(rect(t), t)
>>> events, base = convolve_by_jumps(box, box)
>>> [(str(p.lo), str(p.hi), p.expr.to_sympy(t)) for p in sweep(box.K, events, base)]
[('-1', '0', t + 1), ('0', '1', 1 - t)]
"""

from __future__ import annotations

from math import comb, factorial

from symconv.canonical.expoly import FLINT_TERMS
from symconv.canonical.rational import RQ
from symconv.engine.pairwise import check_pair_work
from symconv.limits import check_deadline

__all__ = ["convolve_by_jumps", "jumps", "polynomial_pieces"]

#: A common grid is used (flint polynomial products in the grid index) when it has at most
#: this many points per jump of the two signals together; otherwise jumps are paired one by one.
GRID_POINTS_PER_JUMP = 8


def polynomial_pieces(S):
    """``[(lo, hi, [c₀, c₁, …])]`` when every piece of ``S`` is a polynomial with rational
    coefficients on a finite interval with rational ends; ``None`` otherwise.

    >>> from sympy import symbols
    >>> from symconv.convert.signals import to_signal
    >>> from symconv.functions import u
    >>> t = symbols("t", real=True)
    >>> [(str(lo), str(hi), [str(c) for c in cs])
    ...  for lo, hi, cs in polynomial_pieces(to_signal(t * (u(t) - u(t - 1)), t))]
    [('0', '1', ['0', '1'])]
    >>> polynomial_pieces(to_signal(u(t), t)) is None
    True
    """
    if S.K is not RQ:
        return None
    mpq = RQ.dtype
    out = []
    for p in S.pieces:
        if not (isinstance(p.lo, mpq) and isinstance(p.hi, mpq)):
            return None
        coeffs = {}
        for (k, s, r), c in p.expr.terms.items():
            if s or r:
                return None
            coeffs[k] = c
        dense = [RQ.zero] * (max(coeffs, default=-1) + 1)
        for k, c in coeffs.items():
            dense[k] = c
        out.append((p.lo, p.hi, dense))
    return out


def _taylor(coeffs, x):
    """The coefficients of ``p(s + x)`` in powers of ``s`` (``p`` by its coefficients)."""
    n = len(coeffs)
    if not x:
        return list(coeffs)
    if n >= FLINT_TERMS:
        import flint

        poly = flint.fmpq_poly([flint.fmpq(int(c.numerator), int(c.denominator))
                                for c in coeffs])
        shifted = poly(flint.fmpq_poly([flint.fmpq(int(x.numerator), int(x.denominator)), 1]))
        den = int(shifted.denom())
        out = [RQ(int(c), den) for c in shifted.numer().coeffs()]
        return out + [RQ.zero] * (n - len(out))
    pw = [RQ.one]
    for _ in range(n - 1):
        pw.append(pw[-1] * x)
    return [sum((coeffs[i] * comb(i, j) * pw[i - j] for i in range(j + 1, n)), coeffs[j])
            for j in range(n)]


def jumps(pieces):
    """``{x: {k: a_{x,k}}}``: the jumps of the piecewise polynomial and of its derivatives,
    ``a_{x,k} = p⁽ᵏ⁾(x⁺) - p⁽ᵏ⁾(x⁻)``, zeros dropped.

    >>> jumps([(RQ(0), RQ(2), [RQ(1), RQ(1)])])          # 1 + t on [0, 2)
    {mpq(0,1): {0: mpq(1,1), 1: mpq(1,1)}, mpq(2,1): {0: mpq(-3,1), 1: mpq(-1,1)}}
    """
    acc = {}
    for lo, hi, coeffs in pieces:
        for x, sign in ((lo, 1), (hi, -1)):
            row = acc.setdefault(x, {})
            for k, c in enumerate(_taylor(coeffs, x)):
                if c:
                    v = row.get(k, RQ.zero) + (c if sign > 0 else -c) * factorial(k)
                    row[k] = v
    out = {}
    for x in sorted(acc):
        row = {k: v for k, v in acc[x].items() if v}
        if row:
            out[x] = row
    return out


def _pairs(JF, JG):
    """``{z: {m: c_{z,m}}}`` by one product per pair of jumps."""
    out = {}
    items_g = list(JG.items())
    for x, a in JF.items():
        check_deadline()
        a_items = list(a.items())
        for y, b in items_g:
            row = out.setdefault(x + y, {})
            for k, ak in a_items:
                for j, bj in b.items():
                    m = k + j + 1
                    v = row.get(m)
                    row[m] = ak * bj if v is None else v + ak * bj
    return out


def _grid(points):
    """``(x₀, h)`` with every point ``x₀ + i·h`` for an integer ``i ≥ 0`` (``h`` the largest)."""
    from math import gcd, lcm

    x0 = points[0]
    den = 1
    for x in points:
        den = lcm(den, int((x - x0).denominator))
    num = 0
    for x in points:
        num = gcd(num, int((x - x0) * den))
    return x0, RQ(num or 1, den)


def _on_grid(JF, JG):
    """``{z: {m: c_{z,m}}}`` by flint polynomial products in the common grid index, or
    ``None`` when the grid is too fine for the number of jumps."""
    import flint

    xs = sorted(set(JF) | set(JG))
    if len(xs) < 2:
        return None
    _x0, h = _grid(xs)
    f0, g0 = min(JF), min(JG)
    span_f, span_g = (max(JF) - f0) / h, (max(JG) - g0) / h
    if int(span_f) + int(span_g) > GRID_POINTS_PER_JUMP * (len(JF) + len(JG)) + 64:
        return None

    def series(J, x0, span):
        orders = {k for row in J.values() for k in row}
        polys = {}
        for k in orders:
            dense = [0] * (int(span) + 1)
            for x, row in J.items():
                c = row.get(k)
                if c:
                    dense[int((x - x0) / h)] = flint.fmpq(int(c.numerator), int(c.denominator))
            polys[k] = flint.fmpq_poly(dense)
        return polys

    A, B = series(JF, f0, span_f), series(JG, g0, span_g)
    total = {}
    for k, pa in A.items():
        check_deadline()
        for j, pb in B.items():
            m = k + j + 1
            total[m] = total[m] + pa * pb if m in total else pa * pb
    z0 = f0 + g0
    out = {}
    for m, poly in total.items():
        den = int(poly.denom())
        for i, c in enumerate(poly.numer().coeffs()):
            if c:
                out.setdefault(z0 + i * h, {})[m] = RQ(int(c), den)
    return out


def convolve_by_jumps(F, G):
    """The difference array ``(events, base)`` of ``F * G`` (regular parts only, as
    :func:`symconv.engine.pairwise.accumulate_pairs` gives it), or ``None`` when one of the
    signals is not a compactly supported piecewise polynomial with rational data.

    >>> from sympy import symbols
    >>> from symconv.convert.signals import to_signal
    >>> from symconv.functions import u
    >>> t = symbols("t", real=True)
    >>> convolve_by_jumps(to_signal(u(t), t), to_signal(u(t), t)) is None
    True
    """
    pf, pg = polynomial_pieces(F), polynomial_pieces(G)
    if pf is None or pg is None:
        return None
    check_pair_work(F, G)  # the same bound on the input as the pairwise method's
    JF, JG = jumps(pf), jumps(pg)
    if not JF or not JG:
        return {}, {}
    C = _on_grid(JF, JG)
    if C is None:
        C = _pairs(JF, JG)
    zero = RQ.zero
    events = {}
    for z, row in C.items():
        check_deadline()
        top = max(row)
        gamma = [zero] * (top + 1)  # Taylor coefficients at z: c_{z,m} / m!
        for m, c in row.items():
            if c:
                gamma[m] = c / factorial(m)
        terms = {(i, zero, zero): c for i, c in enumerate(_taylor(gamma, -z)) if c}
        if terms:
            events[z] = terms
    return events, {}
