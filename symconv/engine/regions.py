"""The regions of one pair of pieces in the pairwise method of convolution.

Two pieces on ``[a, b)`` and ``[c, d)`` give a result on ``[a+c, b+d)`` with
breakpoints ``{a+c, a+d, b+c, b+d}``; on each region the integral runs from
``max(a, t-d)`` to ``min(b, t-c)``. Shared by the exponential-polynomial engine
(:mod:`symconv.engine.continuous`) and the Gaussian one (:mod:`symconv.engine.gaussian`).

Examples
--------
>>> from symconv.canonical.rational import RQ
>>> from symconv.canonical.signal import Piece
>>> box = Piece(RQ(0), RQ(1), None)
>>> for lo, hi, lower, upper in pair_regions(box, box):
...     print(lo, hi, lower[0], lower[1], upper[0], upper[1])
0 1 const 0 shift 0
1 2 shift 1 const 1
"""

from __future__ import annotations

from itertools import pairwise

from symconv.canonical.signal import NEG_INF, POS_INF, Inf, is_finite

__all__ = ["pair_regions"]


def pair_regions(fp, gp):
    """Regions ``(lo, hi, lower, upper)`` of one pair; limits are ``(kind, x)``."""
    a, b, c, d = fp.lo, fp.hi, gp.lo, gp.hi
    lo_s, hi_s = a + c, b + d
    cands = []  # a list, not a set: the order of comparisons must not depend on hashes
    a_d = None if (isinstance(a, Inf) and isinstance(d, Inf)) else a + d
    b_c = None if (isinstance(b, Inf) and isinstance(c, Inf)) else b + c
    for x in (a_d, b_c):
        if x is not None and is_finite(x) and x not in cands and lo_s < x < hi_s:
            cands.append(x)
    cuts = [lo_s] + sorted(cands) + [hi_s]
    out = []
    for p, q in pairwise(cuts):
        if not p < q:
            continue
        # lower limit max(a, t - d)
        if a_d is None:
            lower = ("const", NEG_INF)
        elif isinstance(a, Inf):
            lower = ("shift", d)
        elif isinstance(d, Inf):
            lower = ("const", a)
        else:
            lower = ("shift", d) if p >= a_d else ("const", a)
        # upper limit min(b, t - c)
        if b_c is None:
            upper = ("const", POS_INF)
        elif isinstance(b, Inf):
            upper = ("shift", c)
        elif isinstance(c, Inf):
            upper = ("const", b)
        else:
            upper = ("shift", c) if q <= b_c else ("const", b)
        out.append((p, q, lower, upper))
    return out
