"""Size limits of exact work, and the check that enforces them.

A hostile input (``t**10**6``, ``sin(t)**1000``, a 10⁴-piece staircase) is refused at once
with an error naming the limit, instead of running for minutes.
"""

from __future__ import annotations

from symconv.canonical.rational import RQ
from symconv.errors import UnsupportedInputError

__all__ = [
    "MAX_POWER_EXPONENT", "check_power", "MAX_DEGREE", "MAX_TERMS", "MAX_WORK",
    "MAX_WORK_SLOW", "MAX_PAIR_WORK", "MAX_PAIR_WORK_SLOW", "check_work", "pair_work",
]

#: Largest exponent of an exact constant power ``bᵉ`` (a base of a sequence at a far
#: shift, ``(1/2)^(10^10)``): beyond it the number alone has billions of digits.
MAX_POWER_EXPONENT = 100_000


def check_power(b, e):
    """Refuse (``UnsupportedInputError``) the exact power ``bᵉ`` of a base ``b ≠ 1`` when
    ``|e|`` exceeds :data:`MAX_POWER_EXPONENT`."""
    if abs(e) > MAX_POWER_EXPONENT:
        shown = str(e) if abs(e) < 10**12 else f"{float(e):.3g}"
        raise UnsupportedInputError(
            f"the result needs the exact power ({b})^{shown}, a number too long to write "
            f"out; exponents up to {MAX_POWER_EXPONENT} are computed (a shift that far is "
            "better written as a symbolic delay, e.g. u[n - N])")


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
