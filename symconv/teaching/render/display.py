r"""Jupyter display in textbook form: ``0 \le t < 1``, not SymPy's "for t < 1 … otherwise".

A result stays a plain SymPy ``Piecewise`` (so everything SymPy does with it still
works); :func:`init_printing` asks IPython to *show* such results with symconv's
LaTeX (:func:`textbook_latex`), and :func:`textbook` wraps one expression for
display when you would rather not change the session's printing.
A :class:`~symconv.probability.distribution.Distribution` and a derivation
display themselves (``_repr_latex_``, ``_repr_markdown_``).

Examples
--------
>>> from sympy import symbols
>>> from symconv import convolve, rect
>>> t = symbols("t", real=True)
>>> y = convolve(rect(t), rect(t), t)
>>> print(textbook_latex(y))
\begin{cases} 0 & t < -1 \\ t + 1 & -1 \le t < 0 \\ 1 - t & 0 \le t < 1 \\ 0 & t \ge 1 \end{cases}
>>> textbook(y, name="y")._repr_latex_().startswith("$y(t) = ")
True
>>> init_printing()  # outside IPython there is nothing to register
False
"""

from __future__ import annotations

from sympy import Piecewise, latex
from sympy.core.relational import Relational

from symconv.teaching.render.latex import _body, latex_result

__all__ = ["init_printing", "textbook", "textbook_latex"]


def _variable(expr):
    """The variable of a result's ``Piecewise``: the left side of its first condition."""
    if isinstance(expr, Piecewise):
        for _e, cond in expr.args:
            if isinstance(cond, Relational) and cond.lhs.is_Symbol:
                return cond.lhs
    return None


def textbook_latex(expr, var=None):
    r"""LaTeX of a result with its regions as ``a \le t < b`` (without ``$``); any
    other expression as SymPy prints it.

    >>> from sympy import symbols, exp
    >>> t = symbols("t", real=True)
    >>> textbook_latex(exp(-t))
    'e^{- t}'
    """
    var = var if var is not None else _variable(expr)
    return latex(expr) if var is None else _body(expr, var)


class textbook:  # noqa: N801 - reads as a function at the call site
    """One expression shown in textbook form (Jupyter's ``_repr_latex_``).

    >>> from sympy import symbols
    >>> from symconv import convolve, u
    >>> t = symbols("t", real=True)
    >>> print(textbook(convolve(u(t), u(t), t)))
    Piecewise((0, t < 0), (t, True))
    """

    __slots__ = ("expr", "var", "name")

    def __init__(self, expr, var=None, name=None):
        self.expr, self.var, self.name = expr, var, name

    def _repr_latex_(self):
        var = self.var if self.var is not None else _variable(self.expr)
        if self.name and var is not None:
            return f"${latex_result(self.expr, var, self.name)}$"
        return f"${textbook_latex(self.expr, var)}$"

    def __str__(self):
        return str(self.expr)

    __repr__ = __str__


def init_printing(ip=None):
    """Show every ``Piecewise`` result of the running IPython/Jupyter session in textbook
    form (other expressions keep SymPy's printing). Returns ``True`` when installed,
    ``False`` outside IPython.

    Parameters
    ----------
    ip : IPython shell, optional
        The shell to configure (default: the running one).
    """
    if ip is None:
        try:
            from IPython import get_ipython
        except ImportError:
            return False
        ip = get_ipython()
    if ip is None:
        return False
    formatter = ip.display_formatter.formatters["text/latex"]
    formatter.for_type(Piecewise, lambda e: f"${textbook_latex(e)}$")
    return True
