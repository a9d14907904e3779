r"""LaTeX of a :class:`~symconv.probability.distribution.Distribution`, as a textbook
writes it: the name of a recognised law, else the pmf or the density with its
regions (``0 \le x < 1``, not SymPy's "for x < 1 … otherwise").

Examples
--------
>>> from symconv.probability import Die, Exponential, Poisson
>>> law_latex(Poisson(3))
'X \\sim \\mathrm{Poisson}\\left(3\\right)'
>>> print(law_latex(Die(2) + Die(2)).replace(r" \\ ", "\n"))
P(X = k) = \begin{cases} \frac{1}{4} & k = 2
\frac{1}{2} & k = 3
\frac{1}{4} & k = 4
0 & \text{otherwise} \end{cases}
"""

from __future__ import annotations

from sympy import Piecewise, S, Symbol, latex

from symconv.convert.output import piecewise_regions, region_latex

__all__ = ["law_latex", "cases_latex"]

#: Longest pmf table written out in full.
_MAX_ROWS = 12


def cases_latex(expr, var):
    r"""A result's ``Piecewise`` in ``var`` as ``\begin{cases}`` with regions written
    ``a \le x < b``; any other expression as SymPy prints it.

    >>> from sympy import symbols
    >>> from symconv.functions import rect
    >>> x = symbols("x", real=True)
    >>> cases_latex(rect(x).rewrite(Piecewise), x).count(r"\le")
    1
    """
    regions = piecewise_regions(expr, var) if isinstance(expr, Piecewise) else None
    if not regions or len(regions) == 1:
        return latex(expr)
    rows = [f"{latex(p)} & {region_latex(lo, hi, var)}" for lo, hi, p in regions]
    return r"\begin{cases} " + r" \\ ".join(rows) + r" \end{cases}"


def law_latex(law):
    """LaTeX of a law (without ``$``)."""
    if law.family:
        name, params = law.family
        args = ", ".join(latex(p) for p in params)
        return rf"X \sim \mathrm{{{name}}}\left({args}\right)"
    if law.is_discrete:
        table = law.table()
        k = Symbol("k", integer=True)
        if table is not None and len(table) <= _MAX_ROWS:
            rows = [f"{latex(p)} & k = {latex(v)}" for v, p in table]
            rows.append(r"0 & \text{otherwise}")
            return r"P(X = k) = \begin{cases} " + r" \\ ".join(rows) + r" \end{cases}"
        if table is not None:
            lo, hi = law.support
            first = ", ".join(f"{latex(v)}: {latex(p)}" for v, p in table[:4])
            return (rf"P(X = k),\ k = {latex(lo)}, \ldots, {latex(hi)}:\ "
                    rf"{first}, \ldots")
        return f"P(X = k) = {latex(law.pmf(k))}"
    x = Symbol("x", real=True)
    pdf = law.pdf(x)
    return f"f_X(x) = {cases_latex(pdf, x) if pdf != S.Zero else '0'}"
