"""Textbook display in Jupyter: regions as 0 ≤ t < 1, laws and derivations display themselves."""

from types import SimpleNamespace

from sympy import Piecewise, symbols

from symconv import Normal, Uniform, convolve, derive, rect, u
from symconv.teaching.render.display import init_printing, textbook, textbook_latex
from symconv.teaching.render.latex import latex_result

t = symbols("t", real=True)


def test_textbook_latex_has_regions_not_otherwise():
    y = convolve(rect(t), u(t), t)
    tex = textbook_latex(y)
    assert r"- \frac{1}{2} \le t < \frac{1}{2}" in tex and "otherwise" not in tex
    assert latex_result(y, t, "y").endswith(tex)
    assert textbook(y, name="y")._repr_latex_() == f"${latex_result(y, t, 'y')}$"


def test_init_printing_registers_piecewise_with_ipython():
    registered = {}
    formatter = SimpleNamespace(for_type=lambda typ, fn: registered.setdefault(typ, fn))
    shell = SimpleNamespace(display_formatter=SimpleNamespace(formatters={"text/latex": formatter}))
    assert init_printing(shell) is True
    y = convolve(rect(t), rect(t), t)
    assert registered[Piecewise](y) == f"${textbook_latex(y)}$"


def test_laws_and_derivations_display_themselves():
    assert Normal(1, 2)._repr_latex_() == r"$X \sim \mathrm{Normal}\left(1, 2\right)$"
    tex = (Uniform(0, 1) + Uniform(0, 1))._repr_latex_()
    assert r"0 \le x < 1" in tex and "otherwise" not in tex
    assert "$" in derive(rect(t), rect(t), t)._repr_markdown_()
