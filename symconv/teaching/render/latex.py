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

from sympy import Piecewise, S, latex

from symconv.convert.output import region_latex
from symconv.teaching.render.text import _split_impulses, piecewise_regions

__all__ = ["latex_expr", "latex_result"]


def latex_expr(expr):
    """LaTeX of one expression (SymPy's printer, ``u`` and ``δ`` as in textbooks)."""
    return latex(expr)


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
    rows = [f"{latex(p)} & {region_latex(lo, hi, var)}" for lo, hi, p in regions]
    return r"\begin{cases} " + r" \\ ".join(rows) + r" \end{cases}" + tail


# ---------------------------------------------------------------------------
# derivations
# ---------------------------------------------------------------------------
_PREAMBLE = r"""\documentclass[11pt]{article}
\usepackage[margin=2.2cm]{geometry}
\usepackage{amsmath,amssymb,mathtools}
\allowdisplaybreaks
\begin{document}
"""


def _region_tex(lo, hi, var):
    return region_latex(lo, hi, var)


def _names(d):
    from symconv.teaching.steps import Definition

    for s in d.steps:
        if isinstance(s, Definition):
            return s
    return None


def _derivation_blocks(d, depth=0):
    """Yield ("para", title, text) / ("math", body) / ("align", rows) blocks; titles and
    texts are LaTeX text mode with ``$…$`` inline mathematics."""
    from symconv.teaching.steps import (
        CaseSplit,
        CriticalPoints,
        Definition,
        Flip,
        GeneratingFunctions,
        ImpulseTerm,
        Region,
        Result,
    )

    h, x = d.names
    v = latex(d.var)
    discrete = any(isinstance(s_, Definition) and s_.discrete for s_ in d.steps)
    var_k = "k" if discrete else r"\tau"
    for step in d.steps:
        if isinstance(step, Definition) and discrete:
            shift = f"k + {v}" if step.kind == "correlation" else f"{v} - k"
            if depth == 0:
                yield ("para", "Definition.", "")
                if step.kind == "probability":
                    yield ("math", rf"P(X+Y={v}) = \sum_{{a+b={v}}} P(X=a)\,P(Y=b) = "
                                   rf"\sum_{{k=-\infty}}^{{\infty}} p_X[k]\, p_Y[{v} - k]")
                else:
                    yield ("math", rf"y[{v}] = ({h} * {x})[{v}] = "
                                   rf"\sum_{{k=-\infty}}^{{\infty}} {h}[k]\, {x}[{shift}]")
                yield ("para", "", rf"with ${h}[{v}] = {latex(step.f)}$ and "
                                   rf"${x}[{v}] = {latex(step.g)}$.")
        elif isinstance(step, Region) and discrete:
            region = _region_tex(step.lo, step.hi, d.var)
            if not step.terms:
                yield ("para", rf"Region ${region}$.", rf"No overlap: $y[{v}] = 0$.")
                continue
            yield ("para", rf"Region ${region}$.", "")
            sums = " + ".join(
                rf"\sum_{{k={latex(term.lower)}}}^{{{latex(term.upper)}}} {latex(term.integrand)}"
                for term in step.terms)
            brackets = " + ".join(
                rf"\Big[{latex(term.antiderivative)}\Big]_{{k={latex(term.lower)}}}"
                rf"^{{k={latex(term.upper + 1)}}}" for term in step.terms)
            yield ("align", [rf"y[{v}] &= {sums}", rf"&= {brackets}", rf"&= {latex(step.value)}"])
        elif isinstance(step, Definition):
            if step.kind == "correlation":
                integral = rf"\int_{{-\infty}}^{{\infty}} {h}(\tau)\, {x}(\tau + {v})\, d\tau"
                head = rf"y({v}) = ({h} \star {x})({v}) = {integral}"
            else:
                integral = rf"\int_{{-\infty}}^{{\infty}} {h}(\tau)\, {x}({v} - \tau)\, d\tau"
                head = rf"y({v}) = ({h} * {x})({v}) = {integral}"
            if depth == 0:
                yield ("para", "Definition.", "")
                yield ("math", head)
                yield ("para", "", rf"with ${h}({v}) = {latex(step.f)}$ and "
                                   rf"${x}({v}) = {latex(step.g)}$.")
        elif isinstance(step, Flip):
            win = ", ".join(rf"{latex(lo)} < {var_k} \le {latex(hi)}" for lo, hi in step.window)
            yield ("para", "Flip and shift.", _escape(step.reason, d.names) + ".")
            arg = rf"[{v} - k]" if discrete else rf"({v} - \tau)"
            yield ("math", rf"{step.flipped}{arg} = {latex(step.shifted)}"
                           + (rf" \quad\text{{non-zero for }} {win}" if win else ""))
        elif isinstance(step, CriticalPoints):
            pts = ", ".join(latex(p) for p in step.points)
            yield ("para", rf"Critical values of ${v}$.",
                   rf"The overlap changes at ${v} = {pts}$." if pts else
                   rf"None: the overlap has the same form for every ${v}$.")
        elif isinstance(step, Region):
            region = _region_tex(step.lo, step.hi, d.var)
            if not step.terms:
                yield ("para", rf"Region ${region}$.", rf"No overlap: $y({v}) = 0$.")
                continue
            yield ("para", rf"Region ${region}$.", "")
            integrals = " + ".join(
                rf"\int_{{{latex(term.lower)}}}^{{{latex(term.upper)}}} "
                rf"{latex(term.integrand)}\, d\tau" for term in step.terms)
            brackets = " + ".join(
                rf"\Big[{latex(term.antiderivative)}\Big]_{{\tau={latex(term.lower)}}}"
                rf"^{{\tau={latex(term.upper)}}}" for term in step.terms)
            yield ("align", [rf"y({v}) &= {integrals}", rf"&= {brackets}",
                             rf"&= {latex(step.value)}"])
        elif isinstance(step, ImpulseTerm):
            prime = "'" * step.order
            yield ("para", "Impulse.",
                   r"By the sifting property, "
                   rf"${latex(step.weight)}\,\delta{prime}({v} - {latex(step.at)}) * "
                   rf"{step.other}({v}) = {latex(step.contribution)}$.")
        elif isinstance(step, GeneratingFunctions):
            z = latex(step.z)
            yield ("para", "Generating functions.",
                   rf"With $F({z}) = \sum_{v} {h}[{v}]\,{z}^{v}$ and $G({z}) = "
                   rf"\sum_{v} {x}[{v}]\,{z}^{v}$, convolution multiplies them.")
            yield ("align", [rf"F({z}) &= {latex(step.f_ogf)}", rf"G({z}) &= {latex(step.g_ogf)}",
                             rf"F({z})\,G({z}) &= {latex(step.product)}"])
            for name, lhs, rhs in step.identities:
                yield ("para", "Identity.", _escape(name.split(":")[0]) + ":")
                yield ("math", rf"{latex(lhs)} = {latex(rhs)}")
            for note in d.notes:
                yield ("para", "Note.", _escape(note).replace("^", r"\^{}"))
            yield ("math", rf"y[{v}] = [{z}^{{{v}}}]\,F({z})\,G({z}) = {latex(step.value)}")
        elif isinstance(step, CaseSplit):
            yield ("para", rf"Case ${latex(step.condition)}$.", "")
            yield from _derivation_blocks(step.equal, depth + 1)
            if step.otherwise is None:
                yield ("para", "Otherwise.", "The integral diverges.")
            else:
                yield ("para", "Otherwise.", "")
                yield from _derivation_blocks(step.otherwise, depth + 1)
        elif isinstance(step, Result):
            if depth == 0:
                yield ("para", "Result.", "")
                body = latex_result(step.value, d.var)
                if discrete:
                    body = body.replace(f"y({v}) =", f"y[{v}] =", 1)
                yield ("math", body)


def _escape(text, names=()):
    import re

    out = text.replace("\\", r"\textbackslash{}")
    for ch in "&%$#_{}":
        out = out.replace(ch, "\\" + ch)
    out = out.replace("τ", r"$\tau$").replace("*", r"$*$")
    for name in names:
        out = re.sub(rf"(?<![\\$\w]){re.escape(name)}(?![\w$])", f"${name}$", out)
    return out


def derivation_latex(d, document=False):
    """LaTeX of a :class:`~symconv.teaching.derivation.Derivation` (``align*`` and ``cases``)."""
    parts = []
    for block in _derivation_blocks(d):
        if block[0] == "para":
            _k, title, text = block
            parts.append((rf"\textbf{{{title}}} " if title else "") + text + "\n")
        elif block[0] == "math":
            parts.append("\\[\n" + block[1] + "\n\\]\n")
        else:
            parts.append("\\begin{align*}\n" + " \\\\\n".join(block[1]) + "\n\\end{align*}\n")
    body = "\n".join(parts)
    if document:
        return (_PREAMBLE + "\\section*{Convolution, step by step}\n\n" + body
                + "\n\\end{document}\n")
    return body


def derivation_markdown(d):
    """Markdown with ``$…$`` and ``$$…$$`` of a derivation."""
    parts = []
    for block in _derivation_blocks(d):
        if block[0] == "para":
            _k, title, text = block
            parts.append((f"**{title}** " if title else "") + _unescape(text))
        elif block[0] == "math":
            parts.append("$$\n" + block[1] + "\n$$")
        else:
            parts.append("$$\n\\begin{aligned}\n" + " \\\\\n".join(block[1])
                         + "\n\\end{aligned}\n$$")
    return "\n\n".join(parts) + "\n"


def _unescape(text):
    return text.replace(r"\textbackslash{}", "\\").replace(r"$\tau$", r"$\tau$")
