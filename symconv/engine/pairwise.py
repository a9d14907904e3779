"""The pairwise method shared by integrals and sums.

For every pair of pieces the engine supplies an object that evaluates the antiderivative
(or antidifference) at the limits of each region; :func:`accumulate_pairs` checks every
infinite limit first, then adds each region's ``W(upper) - W(lower)`` to a difference array
that :func:`~symconv.canonical.signal.sweep` turns into pieces.
"""

from __future__ import annotations

from symconv.canonical.signal import (
    Inf,
    is_finite,
)
from symconv.canonical.sizes import MAX_PAIR_WORK, MAX_PAIR_WORK_SLOW, check_work, pair_work
from symconv.limits import check_deadline

__all__ = ["accumulate_pairs", "check_pair_work"]


def check_pair_work(F, G):
    """Refuse (``UnsupportedInputError``) a pair of signals whose pieces need too many
    term products (:data:`~symconv.canonical.sizes.MAX_PAIR_WORK`)."""
    check_work(F.K, pair_work(F, G), "the pairwise integrals (or sums) of these pieces",
               limits=((MAX_PAIR_WORK, "MAX_PAIR_WORK"),
                       (MAX_PAIR_WORK_SLOW, "MAX_PAIR_WORK_SLOW")))


def accumulate_pairs(F, G, make_pair, pair_regions):
    """The pairwise method shared by integrals and sums.

    ``make_pair(fp, gp)`` gives an object with ``groups``, ``check_convergence(end)``
    and ``at_limit(kind, x)``; ``pair_regions(fp, gp)`` the regions with their limits.
    Every infinite limit is checked first (a divergent tail is reported before any case
    split), then each region adds ``W(upper) - W(lower)`` to a difference array.
    Returns ``(events, base)`` for :func:`sweep`.
    """
    from symconv.canonical.expoly import _accumulate

    check_pair_work(F, G)
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
