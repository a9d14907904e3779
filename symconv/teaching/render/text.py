"""Plain-text and Unicode rendering of results: one-line expressions and brace layouts.

Examples
--------
>>> from sympy import Rational, exp, symbols
>>> from symconv import convolve, rect, u
>>> t = symbols("t", real=True)
>>> y = convolve(2*exp(-t/2)*u(t), rect(t - Rational(1, 2)), t)
>>> print(format_result(y, t))
       ⎧ 0                    for t < 0
y(t) = ⎨ 4 - 4·e^(-t/2)       for 0 ≤ t < 1
       ⎩ 4·(-1 + √e)·e^(-t/2) for t ≥ 1
>>> print(format_result(y, t, ascii=True))
       { 0                         for t < 0
y(t) = { 4 - 4*e^(-t/2)            for 0 <= t < 1
       { 4*(-1 + sqrt(e))*e^(-t/2) for t >= 1
"""

from __future__ import annotations

from sympy import Add, DiracDelta, E, Piecewise, S, exp, oo
from sympy.printing.str import StrPrinter

from symconv.convert.output import piecewise_regions

__all__ = ["format_expr", "format_result", "piecewise_regions"]


class _LinePrinter(StrPrinter):
    """SymPy's str printer with ``^`` powers, ``e^x``, ``√``, ``δ``, ``·`` products."""

    def __init__(self, ascii=False):
        super().__init__({"order": None})
        self.ascii = ascii

    def _print_Pow(self, expr, rational=False):
        if expr.exp == -S.Half:
            return "1/" + self._print(sqrt_of(expr.base))
        if expr.exp == S.Half:
            inner = self._print(expr.base)
            if expr.base.is_Atom:
                return f"sqrt({inner})" if self.ascii else f"√{inner}"
            return f"sqrt({inner})" if self.ascii else f"√({inner})"
        if expr.base is E:
            return self._print_exp(exp(expr.exp))
        text = super()._print_Pow(expr, rational)
        return text.replace("**", "^")

    def _print_exp(self, expr):
        arg = expr.args[0]
        if arg == S.Half:
            return "sqrt(e)" if self.ascii else "√e"
        body = self._print(arg)
        if arg.is_Symbol or (arg.is_Integer and arg >= 0):
            return f"e^{body}"
        return f"e^({body})"

    def _print_Exp1(self, expr):
        return "e"

    def _print_DiracDelta(self, expr):
        name = "delta" if self.ascii else "δ"
        args = expr.args
        if len(args) > 1 and args[1] != 0:
            primes = "'" * int(args[1])
            return f"{name}{primes}({self._print(args[0])})"
        return f"{name}({self._print(args[0])})"

    def _print_Equality(self, expr):
        return f"{self._print(expr.lhs)} = {self._print(expr.rhs)}"

    def _print_Unequality(self, expr):
        op = "!=" if self.ascii else "≠"
        return f"{self._print(expr.lhs)} {op} {self._print(expr.rhs)}"

    def _print_Symbol(self, expr):
        if self.ascii:
            return _ascii_symbol(expr.name)
        return _unicode_symbol(expr.name)

    def _print_Abs(self, expr):
        return f"|{self._print(expr.args[0])}|"

    def _print_Pi(self, expr):
        return "pi" if self.ascii else "π"


def sqrt_of(x):
    """``√x`` unevaluated (for printing ``1/√x``)."""
    from sympy import Pow

    return Pow(x, S.Half, evaluate=False)


def _unicode_symbol(name):
    """A Greek name as its letter (``omega_0`` → ``ω_0``); the rest as typed, so that
    the parser reads it back as the same symbol."""
    import re

    from symconv.parsing.parser import _GREEK_NAMES

    letters = {v: k for k, v in _GREEK_NAMES.items()}
    m = re.match(r"([A-Za-z]+)(.*)$", name)
    if m and m.group(1) in letters and m.group(1) != "pi":
        return letters[m.group(1)] + m.group(2)
    return name


def _ascii_symbol(name):
    """A symbol's name in ASCII: Greek letters spelled out (``α`` → ``alpha``)."""
    from symconv.parsing.parser import _ascii_name

    out = _ascii_name(name) if name and not name.isascii() else name
    return out if out.isascii() else out.encode("ascii", "replace").decode()


def format_expr(expr, ascii=False):
    """One line, as a person writes it: ``4 - 4·e^(-t/2)``.

    >>> from sympy import symbols, exp, sqrt
    >>> t = symbols("t")
    >>> format_expr(3*t**2*exp(-t) + sqrt(2))
    '3·t^2·e^(-t) + √2'
    """
    text = _LinePrinter(ascii).doprint(expr)
    return text if ascii else text.replace("*", "·")


def _condition(lo, hi, var, ascii):
    le = "<=" if ascii else "≤"
    ge = ">=" if ascii else "≥"
    v = str(var)
    if lo == -oo and hi == oo:
        return "for all " + v
    if lo == -oo:
        return f"for {v} < {format_expr(hi, ascii)}"
    if hi == oo:
        return f"for {v} {ge} {format_expr(lo, ascii)}"
    return f"for {format_expr(lo, ascii)} {le} {v} < {format_expr(hi, ascii)}"


def _split_impulses(expr):
    regular, impulses = [], []
    for term in Add.make_args(expr):
        (impulses if term.has(DiracDelta) else regular).append(term)
    return Add(*regular), Add(*impulses)


def _brace_block(rows, ascii):
    """Rows of (text, condition) with a left brace; returns lines and the middle index."""
    width = max(len(r[0]) for r in rows)
    n = len(rows)
    if ascii:
        braces = ["{"] * n
    elif n == 1:
        braces = ["{"]
    elif n == 2:
        braces = ["⎧", "⎩"]
    else:
        braces = ["⎪"] * n
        braces[0], braces[-1], braces[n // 2] = "⎧", "⎩", "⎨"
    lines = [
        f"{b} {text.ljust(width)} {cond}" for b, (text, cond) in zip(braces, rows, strict=True)
    ]
    return lines, n // 2 if n > 2 else 0


def format_result(expr, var, name="y", ascii=False, head=None):
    """A result laid out as ``y(t) = ⎧ ... for ...`` with explicit regions.

    Parameter cases (``Piecewise`` on parameters) are shown one after another.
    ``head`` replaces the left-hand side ``y(t) = `` (e.g. ``P(X = k) = ``).
    """
    head = head or f"{name}({var}) = "
    if isinstance(expr, Piecewise) and not any(c.has(var) for _, c in expr.args):
        parts = []
        for piece, cond in expr.args:
            label = "otherwise" if cond == S.true else f"if {format_expr(cond, ascii)}"
            parts.append(f"{label}:\n" + _indent(format_result(piece, var, name, ascii, head)))
        return "\n".join(parts)
    regular, impulses = _split_impulses(expr)
    regions = piecewise_regions(regular, var)
    tail = ""
    if impulses != 0:
        text = format_expr(impulses, ascii)
        tail = f" - {text[1:].lstrip()}" if text.startswith("-") else f" + {text}"
    if regions is None or len(regions) == 1:
        body = format_expr(regular, ascii) if regions is None else format_expr(regions[0][2], ascii)
        if impulses != 0 and regular == 0:
            return head + format_expr(impulses, ascii)
        return head + body + tail
    rows = [(format_expr(p, ascii), _condition(lo, hi, var, ascii)) for lo, hi, p in regions]
    lines, mid = _brace_block(rows, ascii)
    pad = " " * len(head)
    out = [(head if i == mid else pad) + line for i, line in enumerate(lines)]
    if tail:
        out.append(pad + tail.strip())
    return "\n".join(out)


def _indent(text):
    return "\n".join("  " + line for line in text.splitlines())


# ---------------------------------------------------------------------------
# derivations
# ---------------------------------------------------------------------------
def _region_words(lo, hi, var, ascii):
    return _condition(lo, hi, var, ascii).removeprefix("for ")


def derivation_text(d, ascii=False, depth=0):
    """A derivation as readable text (Unicode by default)."""
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

    fe = lambda e: format_expr(e, ascii)  # noqa: E731 - a local shorthand
    discrete = any(isinstance(s_, Definition) and s_.discrete for s_ in d.steps)
    tau = "k" if discrete else ("tau" if ascii else "τ")
    integ = ("sum" if ascii else "Σ") if discrete else ("int" if ascii else "∫")
    dtau = "" if discrete else f" d{tau}"
    h, x = d.names
    v = str(d.var)
    pad = "  " * depth
    lines = []
    for step in d.steps:
        if isinstance(step, Definition) and depth == 0:
            shift = f"{tau} + {v}" if step.kind == "correlation" else f"{v} - {tau}"
            lb, rb = ("[", "]") if discrete else ("(", ")")
            if step.kind == "probability":
                lines.append(f"P(X+Y={v}) = {integ}_(a+b={v}) P(X=a) P(Y=b)")
            lines.append(f"y{lb}{v}{rb} = {integ} {h}{lb}{tau}{rb} {x}{lb}{shift}{rb}{dtau}"
                         f"   with {h}{lb}{v}{rb} = {fe(step.f)},  {x}{lb}{v}{rb} = "
                         f"{fe(step.g)}")
        elif isinstance(step, Flip):
            win = ", ".join(f"{fe(lo)} < {tau} <= {fe(hi)}" if ascii else
                            f"{fe(lo)} < {tau} ≤ {fe(hi)}" for lo, hi in step.window)
            lines.append(f"Flip and shift: {step.reason}.")
            lines.append(f"  {step.flipped}({v} - {tau}) = {fe(step.shifted)}, non-zero for {win}")
        elif isinstance(step, CriticalPoints):
            pts = ", ".join(fe(p) for p in step.points) or "none"
            lines.append(f"Critical values of {v}: {pts}")
        elif isinstance(step, Region):
            region = _region_words(step.lo, step.hi, d.var, ascii)
            if not step.terms:
                lines.append(f"Region {region}: no overlap, y({v}) = 0")
                continue
            lines.append(f"Region {region}:")
            for term in step.terms:
                lines.append(f"  {integ}_{{{tau}={fe(term.lower)}}}^{{{fe(term.upper)}}} "
                             f"{fe(term.integrand)}{dtau}")
                top = fe(term.upper + 1) if discrete else fe(term.upper)
                lines.append(f"    = [{fe(term.antiderivative)}] from {tau} = {fe(term.lower)} "
                             f"to {top}")
            lines.append(f"  y({v}) = {fe(step.value)}")
        elif isinstance(step, ImpulseTerm):
            d_name = "delta" if ascii else "δ"
            lines.append(f"Impulse (sifting): {fe(step.weight)}·{d_name}{chr(39) * step.order}"
                         f"({v} - {fe(step.at)}) * {step.other} = {fe(step.contribution)}")
        elif isinstance(step, GeneratingFunctions):
            z = str(step.z)
            lines.append(f"Generating functions: F({z}) = {integ}_{v} {h}[{v}] {z}^{v}, "
                         f"G({z}) = {integ}_{v} {x}[{v}] {z}^{v}; convolution multiplies them.")
            lines.append(f"  F({z}) = {fe(step.f_ogf)}")
            lines.append(f"  G({z}) = {fe(step.g_ogf)}")
            lines.append(f"  F({z}) G({z}) = {fe(step.product)}")
            lines.extend(f"  Identity ({name}): {fe(lhs)} = {fe(rhs)}"
                         for name, lhs, rhs in step.identities)
            lines.extend(f"  Note: {note}" for note in d.notes)
            lines.append(f"  y[{v}] = [{z}^{v}] F({z}) G({z}) = {fe(step.value)}")
        elif isinstance(step, CaseSplit):
            lines.append(f"Case {fe(step.condition)}:")
            lines.append(_Nested(derivation_text(step.equal, ascii, depth + 1)))
            if step.otherwise is None:
                lines.append("Otherwise: the integral diverges.")
            else:
                lines.append("Otherwise:")
                lines.append(_Nested(derivation_text(step.otherwise, ascii, depth + 1)))
        elif isinstance(step, Result) and depth == 0:
            lines.append("Result:")
            lines.append(format_result(step.value, d.var, ascii=ascii))
    out = "\n".join(line if isinstance(line, _Nested) else "\n".join(
        pad + part for part in line.split("\n")) for line in lines)
    return out.replace("·", "*") if ascii else out


class _Nested(str):
    """Text already indented for its depth."""
