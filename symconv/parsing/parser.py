"""A safe parser for signals typed by people: text in, SymPy objects out, nothing evaluated.

The text is split into tokens by a small lexer of our own and arranged by an
LALR(1) grammar (``grammar.lark``, run by lark); every node is built from a
fixed table of allowed names. No ``eval``, ``sympify`` or ``parse_expr`` ever
sees the text. Inputs are capped in length, nesting depth, number size and
exponent size, and every refusal is a :class:`~symconv.errors.ParseError` with
the position, a caret line and a hint.

The language: numbers (``2``, ``0.5`` → ``1/2`` exactly, ``1e-3``), the
variable, parameters (single letters with optional digits or ``_`` subscripts,
Greek names), ``+ - * / ^ **``, unary minus, implicit multiplication (``2t``,
``4(1-e^(-t/2))``, ``2 e^(-t/2) u(t)``, ``at`` = ``a·t``), ``e^x`` and
``exp(x)``, ``u``/``step``/``H``, ``rect``, ``tri``, ``ramp``, ``delta``/``δ``,
``sin``, ``cos``, ``sinh``, ``cosh``, ``sqrt``/``√``, ``abs``/``|x|``, ``sgn``,
``min``, ``max``, ``ln``/``log``, ``erf``, ``erfc``, ``erfi``, ``pi``/``π``,
``n!``/``factorial(n)``, ``binomial(m, n)``/``binom``/``\binom{m}{n}``,
Unicode minus ``−`` and ``·``, and piecewise definitions
``A for cond; B for cond; C otherwise`` with conditions such as ``0 <= t < 1``,
``t ≥ 2``, ``and``, ``or``.

Examples
--------
>>> parse("2 e^(-t/2) u(t)")
2*exp(-t/2)*u(t)
>>> parse("rect(t - 0.5)")
rect(t - 1/2)
>>> parse("4(1-e^(-t/2)) for 0<=t<1; 0 otherwise")
Piecewise((4 - 4*exp(-t/2), (t >= 0) & (t < 1)), (0, True))
>>> parse("__import__('os')")
Traceback (most recent call last):
...
symconv.errors.ParseError: unexpected character '_'
  __import__('os')
  ^ not part of the symconv language
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

from lark import Lark, Token
from lark.exceptions import (
    UnexpectedCharacters,
    UnexpectedEOF,
    UnexpectedInput,
    UnexpectedToken,
    VisitError,
)
from lark.lexer import Lexer
from lark.visitors import Transformer_NonRecursive
from sympy import (
    Abs,
    And,
    DiracDelta,
    E,
    Eq,
    Ge,
    Gt,
    Integer,
    Le,
    Lt,
    Max,
    Min,
    Mul,
    Ne,
    Or,
    Piecewise,
    Pow,
    Rational,
    S,
    Symbol,
    binomial,
    cos,
    cosh,
    erf,
    erfc,
    erfi,
    exp,
    factorial,
    log,
    pi,
    sign,
    sin,
    sinh,
    sqrt,
)

from symconv.errors import ParseError, SymconvError
from symconv.functions import ramp, rect, tri, u

__all__ = ["parse", "Limits", "make_symbol"]


@dataclass(frozen=True)
class Limits:
    """Caps that keep hostile input cheap to refuse.

    Attributes
    ----------
    length : int
        Longest accepted text, in characters.
    depth : int
        Deepest nesting of brackets, bars and function calls.
    digits : int
        Longest number literal, in digits.
    exponent : int
        Largest integer power (``t^1000``); also bounds ``base^n`` for numbers
        so that the result has at most ``10 * exponent`` digits.
    """

    length: int = 10_000
    depth: int = 100
    digits: int = 100
    exponent: int = 1000


#: Functions by name: (SymPy callable, number of arguments or None for 2+).
_FUNCS = {
    "exp": (exp, 1),
    "u": (u, 1),
    "step": (u, 1),
    "H": (u, 1),
    "heaviside": (u, 1),
    "Heaviside": (u, 1),
    "rect": (rect, 1),
    "Π": (rect, 1),
    "tri": (tri, 1),
    "Λ": (tri, 1),
    "ramp": (ramp, 1),
    "delta": (DiracDelta, 1),
    "δ": (DiracDelta, 1),
    "dirac": (DiracDelta, 1),
    "DiracDelta": (DiracDelta, 1),  # as SymPy prints it
    "sin": (sin, 1),
    "cos": (cos, 1),
    "sinh": (sinh, 1),
    "cosh": (cosh, 1),
    "sqrt": (sqrt, 1),
    "abs": (Abs, 1),
    "Abs": (Abs, 1),  # as SymPy prints it
    "sgn": (sign, 1),
    "sign": (sign, 1),
    "min": (Min, None),
    "max": (Max, None),
    "ln": (log, 1),
    "log": (log, 1),
    "erf": (erf, 1),
    "erfc": (erfc, 1),
    "erfi": (erfi, 1),
    "factorial": (factorial, 1),
    "binomial": (binomial, 2),
    "binom": (binomial, 2),
}

_CONSTANTS = {"pi": pi, "π": pi, "e": E, "oo": S.Infinity, "∞": S.Infinity}

#: The impulse's names; ``δ'(t)``, ``delta''(t)`` are its derivatives, as is
#: ``DiracDelta(t, 1)`` as SymPy prints them.
_IMPULSES = {"delta", "δ", "dirac", "DiracDelta"}
_PRIMES = re.compile(r"['′]+")
_BRACED_SUBSCRIPT = re.compile(r"\{\s*([A-Za-z0-9]+)\s*\}")
#: The highest derivative of an impulse that is read.
MAX_IMPULSE_ORDER = 20

_GREEK = (
    "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho "
    "sigma tau upsilon phi chi psi omega"
).split()
_GREEK_LETTERS = "αβγδεζηθικλμνξοπρστυφχψωΓΔΘΛΞΠΣΦΨΩ"

_KEYWORDS = {"for": "FOR", "if": "FOR", "when": "FOR", "otherwise": "OTHERWISE",
             "else": "OTHERWISE", "and": "AND", "or": "OR"}

_TOKEN_RE = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<NUMBER>(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<NAME>[A-Za-z][A-Za-z0-9_]*[₀-₉]*|[αβγδεζηθικλμνξοπρστυφχψωΓΔΘΛΞΠΣΦΨΩ][0-9_₀-₉]*)
  | (?P<POW>\*\*|\^)
  | (?P<CMP><=|>=|==|!=|≤|≥|≠|<|>|=)
  | (?P<BANG>!)
  | (?P<STAR>[*·×⋅])
  | (?P<SLASH>[/÷])
  | (?P<PLUS>\+)
  | (?P<MINUS>[-−–])
  | (?P<LPAR>[(\[{])
  | (?P<RPAR>[)\]}])
  | (?P<COMMA>,)
  | (?P<SEMI>;)
  | (?P<BAR>\|)
  | (?P<AMP>&&?|∧)
  | (?P<SQRT>√)
  | (?P<CMD>\\[A-Za-z]+|\\\\|\\[,;:! {}|])
    """,
    re.VERBOSE,
)

_CLOSERS = {"(": ")", "[": "]", "{": "}"}


def make_symbol(name, assumptions=None):
    """The SymPy symbol for a parameter name: real unless assumptions say more.

    >>> make_symbol("a", {"a": {"positive": True}}).is_positive
    True
    >>> make_symbol("b").is_real
    True
    """
    extra = (assumptions or {}).get(name, {})
    kw = {"real": True}
    kw.update(extra)
    return Symbol(name, **kw)


class _SymconvLexer(Lexer):
    """Tokens with positions; decides which ``|`` opens and which closes."""

    def __init__(self, lexer_conf):
        pass

    def lex(self, data):
        text, limits = data
        pos = 0
        depth = 0
        stack = []  # open brackets and bars: (char, pos)
        prev = None  # type of the previous significant token
        prev_end = -1
        powers = 0
        cases_depth = 0
        n = len(text)
        while pos < n:
            m = _TOKEN_RE.match(text, pos)
            if m is None:
                raise ParseError(
                    f"unexpected character {text[pos]!r}",
                    text,
                    pos,
                    "not part of the symconv language",
                )
            kind = m.lastgroup
            value = m.group()
            start = pos
            pos = m.end()
            if kind == "ws":
                continue
            if kind == "CMD":
                latex = _latex_token(text, start, pos, value, cases_depth)
                if latex is None:
                    continue
                kind, value, pos = latex
                if kind == "SKIPDOT":
                    continue
                if kind == "CASES_BEGIN":
                    cases_depth += 1
                elif kind == "CASES_END":
                    cases_depth -= 1
                if kind == "LPAR":
                    stack.append(("{" if value == "{" else "(", start))
                    value = "("
                    prev = kind
                    yield Token(kind, value, start_pos=start, end_pos=pos)
                    continue
                if kind == "RPAR":
                    if not stack or stack[-1][0] == "|":
                        raise ParseError("unbalanced brace", text, start, "remove it")
                    stack.pop()
                    prev = kind
                    yield Token(kind, ")", start_pos=start, end_pos=pos)
                    continue
                if kind == "BAR":
                    pass  # fall through to the bar logic below
                else:
                    prev = kind
                    yield Token(kind, value, start_pos=start, end_pos=pos)
                    continue
            if kind == "NUMBER":
                if sum(ch.isdigit() for ch in value) > limits.digits:
                    raise ParseError(
                        f"number too long ({len(value)} characters)", text, start,
                        f"at most {limits.digits} digits",
                    )
                mant, _, expo = value.lower().partition("e")
                if expo and abs(int(expo)) > limits.exponent:
                    raise ParseError(f"exponent {expo} is too large", text, start,
                                     f"powers of ten up to {limits.exponent} are accepted")
                if prev == "NUMBER" and prev_end == start or (pos < n and text[pos] == "."):
                    raise ParseError("malformed number", text, start,
                                     "a number has at most one decimal point")
            elif kind == "NAME":
                sub = _BRACED_SUBSCRIPT.match(text, pos) if value.endswith("_") else None
                if sub:  # LaTeX t_{0}, T_{12}: the name t_0, T_12
                    value += sub.group(1)
                    pos = sub.end()
                primes = _PRIMES.match(text, pos) if value in _IMPULSES else None
                if primes and _next_is_paren(text, primes.end()):  # δ'(t), delta''(t)
                    pos = primes.end()
                    value += "'" * len(primes.group())
                kind = _KEYWORDS.get(value, "FUNC" if value.rstrip("'") in _FUNCS else "NAME")
                if kind == "FUNC" and not _next_is_paren(text, pos):
                    kind = "NAME"  # e.g. a parameter named H, or 'e' handled as a name
            elif kind == "AMP":
                kind = "COLSEP" if cases_depth else "AND"
            elif kind == "LPAR":
                stack.append((value, start))
            elif kind == "RPAR":
                if not stack or stack[-1][0] == "|":
                    raise ParseError(
                        f"unbalanced parenthesis: {value!r} closes nothing",
                        text,
                        start,
                        "remove it or add the matching opening bracket",
                    )
                opener, _ = stack.pop()
                if _CLOSERS[opener] != value:
                    raise ParseError(
                        f"mismatched brackets: {opener!r} closed by {value!r}",
                        text,
                        start,
                        f"expected {_CLOSERS[opener]!r} here",
                    )
                value = ")"
            elif kind == "BAR":
                closes = stack and stack[-1][0] == "|" and prev in _OPERAND_END
                if closes:
                    stack.pop()
                    kind = "BAR_CLOSE"
                else:
                    stack.append(("|", start))
                    kind = "BAR_OPEN"
            if kind == "LPAR":
                value = "("
            depth = len(stack)
            if depth > limits.depth:
                raise ParseError(
                    f"nesting deeper than {limits.depth} levels", text, start,
                    "simplify the expression",
                )
            prev = kind
            prev_end = pos
            if kind in ("POW", "SQRT"):
                powers += 1
                if powers > limits.depth:
                    raise ParseError(f"more than {limits.depth} powers and roots", text, start,
                                     "simplify the expression")
            yield Token(kind, value, start_pos=start, end_pos=pos)
        if stack:
            opener, where = stack[-1]
            if opener == "|":
                raise ParseError("unbalanced '|'", text, n, "expected a closing '|' here")
            raise ParseError(
                "unbalanced parenthesis", text, n, f"expected {_CLOSERS[opener]!r} here"
            )


class _Branches(list):
    """Several ``(expr, cond)`` branches from one written branch (``t if c else 0``)."""


_OPERAND_END = {"NUMBER", "NAME", "RPAR", "BAR_CLOSE", "BANG"}

_LATEX_SKIP = {"left", "right", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr",
               "middle", "quad", "qquad", "displaystyle", "limits", ",", ";", ":", "!", " "}
_LATEX_SIMPLE = {
    "cdot": ("STAR", "*"), "times": ("STAR", "*"), "ast": ("STAR", "*"), "div": ("SLASH", "/"),
    "le": ("CMP", "≤"), "leq": ("CMP", "≤"), "leqslant": ("CMP", "≤"),
    "ge": ("CMP", "≥"), "geq": ("CMP", "≥"), "geqslant": ("CMP", "≥"),
    "lt": ("CMP", "<"), "gt": ("CMP", ">"), "ne": ("CMP", "≠"), "neq": ("CMP", "≠"),
    "frac": ("FRAC", "frac"), "dfrac": ("FRAC", "frac"), "tfrac": ("FRAC", "frac"),
    "binom": ("BINOM", "binom"), "dbinom": ("BINOM", "binom"), "tbinom": ("BINOM", "binom"),
    "sqrt": ("SQRT", "√"), "infty": ("NAME", "oo"), "wedge": ("AND", "and"),
    "land": ("AND", "and"), "lor": ("OR", "or"), "vee": ("OR", "or"),
}
_LATEX_NAMED = {"Pi": "Π", "Lambda": "Λ"}
_TEXT_COMMANDS = {"mathrm", "operatorname", "text", "textrm", "mathit", "textit", "mbox", "rm"}


def _latex_token(text, start, pos, value, cases_depth):
    """A LaTeX command as ``(kind, value, new_pos)``, or ``None`` to skip it."""
    name = value[1:]
    if value == "\\\\":
        return ("SEMI", ";", pos)
    if value in ("\\{", "\\}"):
        return ("LPAR", "(", pos) if value == "\\{" else ("RPAR", ")", pos)
    if value == "\\|":
        return ("BAR", "|", pos)
    if name in _LATEX_SKIP:
        if name in ("left", "right") and pos < len(text) and text[pos] == ".":
            return ("SKIPDOT", ".", pos + 1)  # \left. : an invisible delimiter
        return None
    if name == "sqrt":
        index = re.match(r"\s*\[([^\]]*)\]", text[pos:])
        if index:  # \sqrt[k]{x}: only the square root is read, never a k-th root as √k·x
            if index.group(1).strip() != "2":
                raise ParseError(
                    f"\\sqrt[{index.group(1)}]{{...}}, a root of index "
                    f"{index.group(1).strip()}, is not read", text, start,
                    "write the power, e.g. (t)^(1/3), or \\sqrt{...} for a square root")
            pos += index.end()
    if name in _LATEX_SIMPLE:
        kind, val = _LATEX_SIMPLE[name]
        return (kind, val, pos)
    if name in ("begin", "end"):
        group, end = _brace_group(text, pos, start)
        if group.strip() != "cases":
            raise ParseError(f"unsupported environment {group!r}", text, start,
                             "only \\begin{cases} ... \\end{cases} is understood")
        if name == "end" and not cases_depth:
            raise ParseError("\\end{cases} without \\begin{cases}", text, start, "")
        return ("CASES_BEGIN" if name == "begin" else "CASES_END", group, end)
    if name in _TEXT_COMMANDS:
        group, end = _brace_group(text, pos, start)
        word = group.strip()
        if not word:
            return ("SKIPDOT", "", end)  # an empty \text{}
        if word in _KEYWORDS:
            return (_KEYWORDS[word], word, end)
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", word):
            raise ParseError(f"cannot read \\{name}{{{group}}}", text, start,
                             "expected a name such as rect or u")
        kind = "FUNC" if word in _FUNCS and _next_is_paren(text, end) else "NAME"
        return (kind, word, end)
    if name in _LATEX_NAMED and _next_is_paren(text, pos):
        return ("FUNC", _LATEX_NAMED[name], pos)
    if name in _FUNCS or name in _GREEK or name in ("pi", "ell"):
        kind = "FUNC" if name in _FUNCS and _next_is_paren(text, pos) else "NAME"
        return (kind, name, pos)
    raise ParseError(f"unknown LaTeX command {value}", text, start,
                     "not part of the symconv language")


def _brace_group(text, pos, start):
    """The text inside ``{...}`` starting at ``pos`` (spaces allowed before it)."""
    while pos < len(text) and text[pos] == " ":
        pos += 1
    if pos >= len(text) or text[pos] != "{":
        raise ParseError("expected '{' after the command", text, start, "e.g. \\mathrm{rect}")
    close = text.find("}", pos)
    if close < 0:
        raise ParseError("unbalanced brace", text, len(text), "expected '}' here")
    return text[pos + 1 : close], close + 1


_PAREN_PREFIX = re.compile(r"(?:\s|\\(?:left|bigl|Bigl|biggl|Biggl|big|Big|bigg|Bigg)\b)*")


def _next_is_paren(text, pos):
    pos = _PAREN_PREFIX.match(text, pos).end()
    return pos < len(text) and text[pos] in "([{"


class _Build(Transformer_NonRecursive):
    """Builds SymPy objects from the parse tree, iteratively (deep trees cannot recurse)."""

    def _call_userfunc(self, tree, new_children=None):
        # sums stay lists of terms (one Add at the end: linear, not quadratic)
        children = new_children if new_children is not None else tree.children
        if tree.data not in ("add", "sub"):
            children = [_val(c) for c in children]
        return super()._call_userfunc(tree, children)

    def __init__(self, text, var, assumptions, limits):
        super().__init__(visit_tokens=False)
        self.text = text
        self.var = var
        self.assumptions = assumptions
        self.limits = limits
        self.symbols = {}

    # -- leaves -----------------------------------------------------------------
    def number(self, items):
        (tok,) = items
        return Rational(tok.value)

    def name(self, items):
        (tok,) = items
        return self.resolve(tok)

    def resolve(self, tok):
        name = _ascii_name(tok.value)
        if name == self.var.name:
            return self.var
        if name in _CONSTANTS:
            return _CONSTANTS[name]
        if name in _FUNCS:
            raise ParseError(
                f"{name} is a function", self.text, tok.start_pos,
                f"write {name}(...) with its argument in parentheses",
            )
        if _is_symbol_name(name) or name in self.assumptions:
            return self.symbol(name)
        parts = _split_name(name, self.var.name)
        if parts is not None:
            return Mul(*[self.var if p == self.var.name else _CONSTANTS.get(p) or self.symbol(p)
                         for p in parts])
        raise ParseError(
            f"unknown name {name!r}", self.text, tok.start_pos,
            "use single-letter parameters (a, b, T1, t_0), Greek names, or a known "
            f"function such as {', '.join(sorted(k for k in _FUNCS if k.isascii())[:8])}, ...",
        )

    def symbol(self, name):
        s = self.symbols.get(name)
        if s is None:
            s = make_symbol(name, self.assumptions)
            self.symbols[name] = s
        return s

    # -- arithmetic ---------------------------------------------------------------
    def add(self, items):
        return _Terms.join(items[0], _val(items[2]))

    def sub(self, items):
        return _Terms.join(items[0], -_val(items[2]))

    def mul(self, items):
        return items[0] * items[2]

    def imul(self, items):
        return items[0] * items[1]

    def div(self, items):
        num, tok, den = items
        if den == 0:
            raise ParseError("division by zero", self.text, tok.start_pos, "check the denominator")
        return num / den

    def neg(self, items):
        return -items[1]

    def pos(self, items):
        return items[1]

    def pow(self, items):
        base, tok, ex = items
        self.check_power(base, ex, tok)
        return Pow(base, ex)

    def check_power(self, base, ex, tok):
        lim = self.limits.exponent
        where = tok.start_pos
        if ex.is_Number and abs(ex) > lim:
            raise ParseError(
                f"exponent {ex} is too large", self.text, where, f"powers up to {lim} are accepted"
            )
        if base.is_Number and ex.is_Number:
            if base == 0 and ex.is_negative:
                raise ParseError("0 to a negative power", self.text, where, "division by zero")
            if not ex.is_Integer and base.is_Rational and max(
                    len(str(abs(base.p))), len(str(base.q))) > self.limits.digits:
                raise ParseError("a root of a very large number", self.text, where,
                                 f"roots of numbers up to {self.limits.digits} digits")
            size = abs(base.p) if base.is_Rational else 0
            size = max(size, abs(base.q) if base.is_Rational else 0)
            if size > 1 and ex.is_Integer and size.bit_length() * abs(int(ex)) > 3 * lim:
                raise ParseError(
                    f"{base}^{ex} would have too many digits", self.text, where,
                    "such a number cannot be an exact coefficient here",
                )
        if not ex.is_Number and ex.has(Pow) and base.is_Number:
            # a tower like 10^10^t: refuse nested numeric exponentials
            for p in ex.atoms(Pow):
                if p.base.is_Number and p.exp.is_Number and abs(p.exp) > lim:
                    raise ParseError("power tower too large", self.text, where, "")

    def paren(self, items):
        return items[1]

    def check_combinatorial(self, args, tok):
        """``1000000!`` would be computed at once: numbers in n! and C(m, k) are capped."""
        lim = self.limits.exponent
        for a in args:
            if a.is_Number and abs(a) > lim:
                raise ParseError(f"{a} is too large for a factorial or binomial coefficient",
                                 self.text, tok.start_pos, f"numbers up to {lim} are accepted")

    def factorial_(self, items):
        self.check_combinatorial([items[0]], items[1])
        return factorial(items[0])

    def binom_(self, items):
        top, bottom = items[2], items[5]
        self.check_combinatorial([top, bottom], items[0])
        return binomial(top, bottom)

    def sqrt_(self, items):
        self.check_power(items[1], S.Half, items[0])
        return sqrt(items[1])

    def abs_(self, items):
        return Abs(items[1])

    def call(self, items):
        tok, _lp, args, _rp = items
        name = tok.value.rstrip("'")
        fn, arity = _FUNCS[name]
        if fn is DiracDelta:
            return self.impulse(tok, name, args, len(tok.value) - len(name))
        if arity is None:
            if len(args) > 16:
                raise ParseError(f"{tok.value} of more than 16 arguments", self.text,
                                 tok.start_pos, "split it into smaller min/max calls")
            if len(args) < 2:
                raise ParseError(
                    f"{tok.value} needs at least two arguments", self.text, tok.start_pos,
                    f"e.g. {tok.value}(t, 1)",
                )
            return fn(*args)
        if len(args) != arity:
            raise ParseError(
                f"{tok.value} takes {arity} argument{'s' if arity > 1 else ''}, "
                f"got {len(args)}",
                self.text, tok.start_pos, f"e.g. {tok.value}(t)",
            )
        if fn in (factorial, binomial):
            self.check_combinatorial(args, tok)
        return fn(*args)

    def impulse(self, tok, name, args, primes):
        """``δ(x)``, its derivative ``δ'(x)`` (primes) or ``DiracDelta(x, k)``."""
        if len(args) not in (1, 2) or (primes and len(args) != 1):
            raise ParseError(f"{tok.value} takes 1 argument, got {len(args)}", self.text,
                             tok.start_pos, f"e.g. {name}(t), {name}'(t) or {name}(t, 1)")
        if not args[0].has(self.var):
            raise ParseError(
                f"{tok.value}({args[0]}) is not a value: an impulse's argument holds the "
                f"variable {self.var}", self.text, tok.start_pos,
                f"e.g. {name}({self.var} - 1) for an impulse at {self.var} = 1")
        order = primes
        if len(args) == 2:
            order = args[1]
            if not (order.is_Integer and 0 <= order <= MAX_IMPULSE_ORDER):
                raise ParseError(
                    f"the order of the impulse's derivative must be a whole number from 0 "
                    f"to {MAX_IMPULSE_ORDER}, got {order}", self.text, tok.start_pos,
                    f"e.g. {name}(t, 1) for δ'(t)")
        if order > MAX_IMPULSE_ORDER:
            raise ParseError(f"{primes} primes: derivatives of an impulse up to order "
                             f"{MAX_IMPULSE_ORDER} are read", self.text, tok.start_pos)
        return DiracDelta(args[0], int(order)) if order else DiracDelta(args[0])

    def args(self, items):
        return [x for x in items if not isinstance(x, Token)]

    # -- piecewise -----------------------------------------------------------------
    def comparison(self, items):
        exprs = items[0::2]
        ops = items[1::2]
        rels = [_relation(op.value)(a, b) for a, op, b in zip(exprs, ops, exprs[1:], strict=False)]
        return And(*rels) if len(rels) > 1 else rels[0]

    def and_(self, items):
        return And(items[0], items[2])

    def or_(self, items):
        return Or(items[0], items[2])

    def branch(self, items):
        return (items[0], items[2])

    def otherwise(self, items):
        return (items[0], S.true)

    def otherwise_first(self, items):  # "else 0"
        return (items[1], S.true)

    def branch_else(self, items):  # "t if 0 < t < 1 else 0": two branches
        return _Branches([(items[0], items[2]), (items[4], S.true)])

    def frac(self, items):
        num, den = items[2], items[5]
        if den == 0:
            raise ParseError("division by zero", self.text, items[0].start_pos, "")
        return num / den

    def branch_c(self, items):
        rest = [x for x in items[1:] if not isinstance(x, Token)]
        return (items[0], rest[0])

    def branch_for_c(self, items):
        return self.branch_c(items)

    def otherwise_c(self, items):
        return (items[0], S.true)

    def cases(self, items):
        return self.piecewise(items[1:-1])

    def piecewise(self, items):
        pairs = []
        for x in items:
            if isinstance(x, _Branches):
                pairs.extend(x)
            elif not isinstance(x, Token):
                pairs.append(x)
        for _e, cond in pairs[:-1]:
            if cond == S.true:
                raise ParseError("'otherwise' must be the last branch", self.text, 0,
                                 "move the 'otherwise' branch to the end")
        if pairs[-1][1] != S.true:
            pairs.append((S.Zero, S.true))
        return Piecewise(*pairs)

    def start(self, items):
        return items[0]


class _Terms(list):
    """The terms of a sum being read; becomes one ``Add`` when used."""

    @classmethod
    def join(cls, left, right):
        out = left if isinstance(left, _Terms) else cls([left])
        out.append(right)
        return out


def _val(x):
    from sympy import Add

    return Add(*x) if isinstance(x, _Terms) else x


def _relation(op):
    return {
        "<": Lt, "<=": Le, "≤": Le, ">": Gt, ">=": Ge, "≥": Ge,
        "=": Eq, "==": Eq, "!=": Ne, "≠": Ne,
    }[op]


_GREEK_NAMES = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ζ": "zeta",
    "η": "eta", "θ": "theta", "ι": "iota", "κ": "kappa", "λ": "lambda", "μ": "mu", "ν": "nu",
    "ξ": "xi", "ο": "omicron", "ρ": "rho", "σ": "sigma", "τ": "tau", "υ": "upsilon",
    "φ": "phi", "χ": "chi", "ψ": "psi", "ω": "omega", "Γ": "Gamma", "Δ": "Delta",
    "Θ": "Theta", "Λ": "Lambda", "Ξ": "Xi", "Σ": "Sigma", "Φ": "Phi", "Ψ": "Psi", "Ω": "Omega",
}
_SUBSCRIPTS = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")


def _ascii_name(name):
    """``α`` → ``alpha``, ``ω₀`` → ``omega_0``, ``t₀`` → ``t_0``: one symbol, however typed."""
    if name in ("π", "δ", "Π", "Λ"):  # constants and functions keep their spelling
        return name
    head = _GREEK_NAMES.get(name[0], name[0]) + name[1:]
    if any(ch in "₀₁₂₃₄₅₆₇₈₉" for ch in head):
        base = head.rstrip("₀₁₂₃₄₅₆₇₈₉")
        head = base + "_" + head[len(base):].translate(_SUBSCRIPTS)
    return head


_SYMBOL_RE = re.compile(
    r"^(?:[A-Za-z]|[αβγδεζηθικλμνξοπρστυφχψωΓΔΘΛΞΠΣΦΨΩ])(?:_?[0-9]+|_[A-Za-z0-9]+)?$"
)


def _is_symbol_name(name):
    if _SYMBOL_RE.match(name):
        return True
    base = name.rstrip("0123456789_")
    return base in _GREEK and base != "pi"


def _split_name(name, var):
    """``'at' -> ['a', 't']``: a short run of single letters, or ``None``."""
    if len(name) > 4 or not name.isalpha():
        return None
    for i in range(1, len(name)):
        head, tail = name[:i], name[i:]
        if tail == var and (len(head) == 1 or head in _GREEK):
            return [head, tail]
        if head == var and (len(tail) == 1 or tail in _GREEK):
            return [head, tail]
    if len(name) <= 3 and all(ch.isalpha() and ch.isascii() for ch in name):
        return list(name) if var in name else None
    return None


@lru_cache(maxsize=1)
def _parser():
    grammar = files("symconv.parsing").joinpath("grammar.lark").read_text(encoding="utf-8")
    return Lark(grammar, parser="lalr", lexer=_SymconvLexer, maybe_placeholders=False)


def parse(text, var="t", *, assumptions=None, limits=Limits()):
    """Parse a signal typed by a person into a SymPy expression, safely.

    Parameters
    ----------
    text : str
        The expression, e.g. ``"2 e^(-t/2) u(t)"`` or ``"t for 0<=t<1; 0 otherwise"``.
    var : str or sympy.Symbol
        The variable's name (default ``"t"``; a Symbol is used as it is). By
        default it is a real symbol.
    assumptions : dict, optional
        Assumptions on parameters, ``{"a": {"positive": True}}``; parameters are
        real by default.
    limits : Limits
        Caps on length, nesting depth, number and exponent size.

    Returns
    -------
    sympy.Expr
        The expression (a ``Piecewise`` for piecewise input).

    Raises
    ------
    ParseError
        With ``.position``, a caret line in ``str()``, and ``.hint``.

    Examples
    --------
    >>> parse("e^(-a t) u(t)", assumptions={"a": {"positive": True}})
    exp(-a*t)*u(t)
    >>> parse("|t| + 2t²") # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    symconv.errors.ParseError: unexpected character '²'
    ...
    >>> parse("10^10^10")
    Traceback (most recent call last):
    ...
    symconv.errors.ParseError: exponent 10000000000 is too large
      10^10^10
        ^ powers up to 1000 are accepted
    """
    if not isinstance(text, str):
        raise ParseError(f"expected text, got {type(text).__name__}", "", 0, "pass a string")
    if len(text) > limits.length:
        raise ParseError(
            f"input too long ({len(text)} characters)", text[:60], 0,
            f"at most {limits.length} characters are accepted",
        )
    if not text.strip():
        raise ParseError("empty input", text, 0, "type an expression such as rect(t)")
    sym_var = var if isinstance(var, Symbol) else make_symbol(str(var), {str(var): {}})
    text = _strip_lhs(text, sym_var.name)
    assumptions = {_ascii_name(k): v for k, v in (assumptions or {}).items()}
    builder = _Build(text, sym_var, assumptions, limits)
    parser = _parser()
    try:
        tree = parser.parse((text, limits))
        result = _val(builder.transform(tree))
        if result.has(S.ComplexInfinity, S.NaN) or (
                not isinstance(result, Piecewise) and result.has(S.Infinity, S.NegativeInfinity)):
            raise ParseError("the expression has an undefined or infinite value", text, 0,
                             "check for log(0), division by zero or 'oo' outside conditions")
        return result
    except ParseError:
        raise
    except VisitError as err:
        # our own errors pass through as they are: a ParseError, or the time limit
        # (TimeLimitError) landing inside a transformer's callback
        if isinstance(err.orig_exc, SymconvError):
            raise err.orig_exc from None
        raise ParseError(
            f"cannot build the expression: {err.orig_exc}", text, 0, ""
        ) from None
    except UnexpectedEOF as err:
        raise ParseError("unexpected end of input", text, len(text), _expected(err)) from None
    except UnexpectedToken as err:
        tok = err.token
        if tok.type == "$END":
            raise ParseError("unexpected end of input", text, len(text), _expected(err)) from None
        raise ParseError(
            f"unexpected {tok.value!r}", text, tok.start_pos or 0, _expected(err)
        ) from None
    except UnexpectedCharacters as err:  # pragma: no cover - our lexer reports these
        raise ParseError("unexpected character", text, err.pos_in_stream, "") from None
    except UnexpectedInput as err:  # pragma: no cover
        raise ParseError("cannot parse", text, getattr(err, "pos_in_stream", 0) or 0, "") from None
    except RecursionError:
        raise ParseError("expression too deeply nested", text, 0, "simplify it") from None


def _strip_lhs(text, var):
    """Drop a leading ``y(t) =``, ``(f*g)(t) =`` or ``y =``: answers are often written so.

    The text keeps its length (the prefix becomes spaces) so error positions stay right.
    """
    pattern = (
        r"^\s*(?:\(\s*[A-Za-z]\w*\s*(?:\*|\\ast|\\star)\s*[A-Za-z]\w*\s*\)|[A-Za-z]\w*)"
        r"\s*(?:\(\s*" + re.escape(var) + r"\s*\)|\[\s*" + re.escape(var) + r"\s*\])?\s*=(?![=<>])"
    )
    m = re.match(pattern, text)
    if m and text[: m.end()].rstrip("= ").strip() == var:
        return text
    if m and text[m.end():].strip():
        return " " * m.end() + text[m.end():]
    return text


_READABLE = {
    "RPAR": "')'", "LPAR": "'('", "NUMBER": "a number", "NAME": "a name", "FUNC": "a function",
    "PLUS": "'+'", "MINUS": "'-'", "STAR": "'*'", "SLASH": "'/'", "POW": "'^'", "COMMA": "','",
    "SEMI": "';'", "BAR_OPEN": "'|'", "BAR_CLOSE": "'|'", "SQRT": "'√'", "CMP": "a comparison",
    "FOR": "'for'", "OTHERWISE": "'otherwise'", "AND": "'and'", "OR": "'or'", "$END": "the end",
    "BANG": "'!'", "BINOM": "'\\binom'",
}


def _expected(err):
    exp_ = sorted(getattr(err, "expected", None) or getattr(err, "accepts", None) or ())
    names = [_READABLE.get(e, e) for e in exp_]
    if "')'" in names and len(names) <= 8:
        return "expected ')' here"
    if not names:
        return ""
    if len(names) > 6:
        return "expected an operand (number, name or '(') here" if "a number" in names else ""
    return "expected " + " or ".join(names) + " here"


# keep Integer importable for callers building limits in doctests
del Integer
