r"""LaTeX rendering of results, with explicit regions in a ``cases`` environment.

Examples
--------
>>> from sympy import Rational, exp, symbols
>>> from symconv import convolve, rect, u
>>> t = symbols("t", real=True)
>>> print(latex_result(convolve(rect(t), rect(t), t), t).replace(r" \\ ", "\n"))
y(t) = \begin{cases} 0 & t < -1
t + 1 & -1 \le t < 0
1 - t & 0 \le t < 1
0 & t \ge 1 \end{cases}
"""

from __future__ import annotations

from sympy import Piecewise, S, latex, oo

from symconv.render.text import _split_impulses, piecewise_regions

__all__ = ["latex_expr", "latex_result"]


def latex_expr(expr):
    """LaTeX of one expression (SymPy's printer, ``u`` and ``δ`` as in textbooks)."""
    return latex(expr)


def _cond(lo, hi, var):
    v = latex(var)
    if lo == -oo and hi == oo:
        return r"\text{all } " + v
    if lo == -oo:
        return f"{v} < {latex(hi)}"
    if hi == oo:
        return rf"{v} \ge {latex(lo)}"
    return rf"{latex(lo)} \le {v} < {latex(hi)}"


def latex_result(expr, var, name="y"):
    """``y(t) = \\begin{cases} ... \\end{cases}`` with regions written ``0 \\le t < 1``."""
    head = f"{name}({latex(var)}) = "
    if isinstance(expr, Piecewise) and not any(c.has(var) for _, c in expr.args):
        rows = []
        for piece, cond in expr.args:
            label = r"\text{otherwise}" if cond == S.true else latex(cond)
            rows.append(f"{_body(piece, var)} & {label}")
        return head + r"\begin{cases} " + r" \\ ".join(rows) + r" \end{cases}"
    return head + _body(expr, var)


def _body(expr, var):
    regular, impulses = _split_impulses(expr)
    regions = piecewise_regions(regular, var)
    tail = f" + {latex(impulses)}" if impulses != 0 else ""
    if regions is None:
        return latex(regular) + tail
    if len(regions) == 1:
        if regular == 0 and impulses != 0:
            return latex(impulses)
        return latex(regions[0][2]) + tail
    rows = [f"{latex(p)} & {_cond(lo, hi, var)}" for lo, hi, p in regions]
    return r"\begin{cases} " + r" \\ ".join(rows) + r" \end{cases}" + tail
