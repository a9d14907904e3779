"""Recognising a closed-form pmf as a named law (Poisson, Binomial, Negative binomial,
Geometric)."""

from __future__ import annotations

from sympy import Piecewise, Poly, S, exp, oo, simplify

from symconv.probability.families import Binomial, Geometric, NegativeBinomial, Poisson
from symconv.probability.representation import _K


def _recognise_pmf(expr, lo, hi):
    """The named law whose pmf on ``lo..hi`` is ``expr`` (in ``k``), or ``None``.

    A hypergeometric term is fixed by its ratio ``p(k+1)/p(k)`` and its first value, so
    matching both (exactly, with SymPy) proves the law: Poisson ``λ/(k+1)`` from
    ``e^{-λ}``; Binomial ``(M-k)/(k+1) · p/(1-p)`` from ``(1-p)^M``; Negative binomial
    ``k/(k-r+1) · (1-p)`` from ``pʳ`` at ``k = r`` (Geometric when ``r = 1``).

    >>> from sympy import exp, factorial, symbols
    >>> l1, l2 = symbols("l1 l2", positive=True)
    >>> _recognise_pmf((l1 + l2)**_K*exp(-l1 - l2)/factorial(_K), 0, oo)
    Poisson(l1 + l2)
    """
    from sympy import cancel, hypersimp

    lo, hi = S(lo), S(hi)
    if isinstance(expr, Piecewise) and len(expr.args) == 2 and expr.args[0][0] == 0 \
            and expr.args[1][1] == S.true:
        cond = expr.args[0][1]
        if not (cond.lhs == _K and (cond.rhs - lo).is_nonpositive is True):
            return None
        expr = expr.args[1][0]
    if not expr.has(_K) or expr.has(Piecewise):
        return None
    try:
        ratio = hypersimp(expr, _K)
        if ratio is None and expr.is_Add:  # a pmf the engine wrote as a sum of terms
            from sympy import factor

            ratio = hypersimp(factor(expr), _K)
    except (ValueError, TypeError, NotImplementedError):
        return None
    if ratio is None:
        return None

    def same(a, b):
        return simplify(a - b) == 0

    first = expr.subs(_K, lo)
    if lo == 0 and hi == oo:
        lam = cancel(ratio * (_K + 1))
        if not lam.has(_K) and lam.is_nonpositive is not True and same(first, exp(-lam)):
            return Poisson(lam)
    if lo == 0:
        lin = Poly(cancel(ratio * (_K + 1)), _K) if cancel(ratio * (_K + 1)).is_polynomial(
            _K) else None
        if lin is not None and lin.degree() == 1:
            a, b = lin.all_coeffs()
            c, size = -a, cancel(-b / a)
            prob = cancel(c / (1 + c))
            if (size.is_integer and size.is_nonnegative and prob.is_negative is not True
                    and (1 - prob).is_negative is not True and (hi == size or hi == oo)
                    and same(first, (1 - prob) ** size)):
                return Binomial(size, prob)
    if hi == oo and lo.is_integer and lo.is_positive:
        c = cancel(ratio * (_K - lo + 1) / _K)
        if not c.has(_K) and (1 - c).is_nonpositive is not True and c.is_negative is not True \
                and same(first, (1 - c) ** lo):
            return Geometric(1 - c) if lo == 1 else NegativeBinomial(lo, 1 - c)
    return None
