"""Laws typed as text: ``Die(6) + Die(6)``, ``Normal(0, 1) + Uniform(0, 1)``, safely.

:func:`parse_law` reads a sum of independent random variables written with the named
families. The text is never evaluated: Python's own parser (``ast``, after caps on length
and nesting) gives the tree, and a whitelisted walk builds the law. It accepts ``+`` and
``-`` between laws and numbers (a shift), ``*`` and ``/`` by a number (a scale),
``sum_iid(X, n)`` (``n`` independent copies), and the family names of
:mod:`symconv.probability` called with positional arguments; every argument and every
number is read by symconv's own parser (:func:`symconv.parsing.parser.parse`), so
``1/2``, ``0.25``, ``2^3``, ``sqrt(2)`` and ``pi`` are exact.

Examples
--------
>>> X = parse_law("Die(6) + Die(6)")
>>> X.pmf(7), X.mean()
(1/6, 7)
>>> parse_law("Normal(0, 1) + Normal(1, 2)")
Normal(1, sqrt(5))
>>> parse_law("sum_iid(Bernoulli(1/2), 4)").pmf(2)
3/8
>>> parse_law("Die(6).__class__")
Traceback (most recent call last):
...
symconv.errors.ParseError: this operation is not accepted between laws
  Die(6).__class__
  ^ use +, - and scaling by a number
>>> parse_law("Dice(6)")
Traceback (most recent call last):
...
symconv.errors.ParseError: unknown law 'Dice'; accepted: Bernoulli, Binomial, ...
"""

from __future__ import annotations

import ast
import re

from symconv.errors import ParseError
from symconv.parsing.parser import parse
from symconv.probability.distribution import Distribution

__all__ = ["parse_law", "LAWS"]

#: Longest text accepted, deepest nesting of brackets, most law calls in one text,
#: most independent copies in ``sum_iid``.
MAX_LENGTH = 400
MAX_DEPTH = 12
MAX_CALLS = 24
MAX_COPIES = 1000

#: The family names a text may call, with their number of arguments (min, max).
LAWS = {
    "Bernoulli": (1, 1), "Binomial": (2, 2), "Cauchy": (2, 2), "ChiSquared": (1, 1),
    "Die": (0, 1), "DiscreteUniform": (2, 2), "Erlang": (2, 2), "Exponential": (1, 1),
    "Gamma": (2, 2), "Geometric": (1, 1), "IrwinHall": (1, 1), "Laplace": (2, 2),
    "NegativeBinomial": (2, 2), "Normal": (2, 2), "Poisson": (1, 1), "Triangular": (3, 3),
    "Uniform": (2, 2),
}

_CALLABLE = {*LAWS, "sum_iid"}

#: The parameters that count things (by position): with ``default=`` facts, a name
#: written there is also an integer.
_COUNTS = {"Binomial": (0,), "Die": (0,), "DiscreteUniform": (0, 1), "Erlang": (0,),
           "IrwinHall": (0,), "NegativeBinomial": (0,), "sum_iid": (1,)}
_EXAMPLE = "e.g. Die(6) + Die(6), Normal(0, 1) + Uniform(0, 1), sum_iid(Die(6), 3)"


def _implicit_products(text):
    """``2 Uniform(0, 1)`` as a textbook writes it: a number (or a closing bracket)
    followed by a name is a product, as in symconv's signal syntax. The parameter name
    ``lambda`` (a Python keyword) is read as ``λ``, which the signal syntax spells so."""
    return _IMPLICIT.sub(r"\1*\2", _LAMBDA.sub("λ", text))


_IMPLICIT = re.compile(r"([0-9.)])\s+([A-Za-z_(])")
_LAMBDA = re.compile(r"(?<![A-Za-z0-9_])lambda(?![A-Za-z0-9_])")


def parse_law(text, assumptions=None, *, default=None):
    """The law (a :class:`~symconv.probability.Distribution`) that ``text`` describes.

    Parameters
    ----------
    text : str
        A sum of independent laws, e.g. ``"Die(6) + Die(6)"``, ``"2*Exponential(1) + 1"``.
    assumptions : dict, optional
        Assumptions on parameter names, as :func:`symconv.parsing.assumptions.parse_assumptions`
        gives them (``{"p": {"positive": True}}``).
    default : dict, optional
        Facts for the parameters the assumptions do not name (the command line gives
        ``{"positive": True}``); a name in a counting place (``Binomial(n, p)``'s ``n``)
        is then an integer as well.

    Returns
    -------
    Distribution

    Raises
    ------
    ParseError
        Text outside the grammar (with the position and a hint).

    Examples
    --------
    >>> parse_law("2*Uniform(0, 1) - 1").support
    (-1, 1)
    >>> parse_law("2 Uniform(0, 1) - 1").support  # a product, as in the signal syntax
    (-1, 1)
    >>> parse_law("Poisson(lambda) + Poisson(mu)").mean()
    lambda + mu
    >>> parse_law("Binomial(n, p) + Binomial(m, p)", default={"positive": True})
    Binomial(m + n, p)
    """
    if not isinstance(text, str):
        raise ParseError(f"a law must be text, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ParseError(f"the law is {len(text)} characters long; at most {MAX_LENGTH} are "
                         "accepted", text[:60], 0, "shorten it")
    if not text.strip():
        raise ParseError("no law given", "", 0, _EXAMPLE)
    depth = 0
    for i, ch in enumerate(text):
        depth += ch in "([{"
        depth -= ch in ")]}"
        if depth > MAX_DEPTH:
            raise ParseError(f"brackets nested deeper than {MAX_DEPTH}", text, i, "simplify")
    source = _implicit_products(text.strip())  # node offsets are into this text
    try:
        tree = ast.parse(source, mode="eval")
    except (SyntaxError, ValueError, MemoryError, RecursionError) as err:
        pos = max(0, (getattr(err, "offset", None) or 1) - 1)
        raise ParseError("cannot read this law", text.strip(), pos,
                         "write products with *, " + _EXAMPLE) from None
    calls = sum(isinstance(n, ast.Call) for n in ast.walk(tree))
    if calls > MAX_CALLS:
        raise ParseError(f"{calls} laws in one text; at most {MAX_CALLS} (use sum_iid(X, n))",
                         text, 0)
    walk = _Walk(source, assumptions or {})
    if default is not None:
        walk.default = default
        walk.counts = {n.id for call in ast.walk(tree) if isinstance(call, ast.Call)
                       and isinstance(call.func, ast.Name)
                       for i in _COUNTS.get(call.func.id, ()) if i < len(call.args)
                       for n in ast.walk(call.args[i]) if isinstance(n, ast.Name)}
    law = walk.law(tree.body)
    if not isinstance(law, Distribution):
        raise ParseError("no law in this text", text.strip(), 0, _EXAMPLE)
    return law


class _Walk:
    """The whitelisted walk: laws from calls, numbers from symconv's parser."""

    def __init__(self, text, assumptions):
        self.text = text
        self.assumptions = assumptions
        self.default = None  # facts of the parameters the assumptions leave out
        self.counts = set()  # names in counting places (integers as well)

    def fail(self, node, message, hint=""):
        return ParseError(message, self.text, getattr(node, "col_offset", 0), hint)

    def law(self, node):
        """A law, or a number (a constant) when ``node`` holds no law at all."""
        if not self.has_law(node):
            return self.number(node)
        if isinstance(node, ast.Call):
            return self.call(node)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            inner = self.law(node.operand)
            return -inner if isinstance(node.op, ast.USub) else inner
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub)):
            a, b = self.law(node.left), self.law(node.right)
            for side, v in ((node.left, a), (node.right, b)):
                if not isinstance(v, Distribution) and not v.is_number:
                    raise self.fail(side, f"a shift of a law must be a number, got {v}",
                                    "e.g. Die(6) + 1; the variable of a law is not written")
            return a + b if isinstance(node.op, ast.Add) else a - b
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mult, ast.Div)):
            left, right = self.has_law(node.left), self.has_law(node.right)
            if left and right:
                raise self.fail(node, "a product of two random variables is not a sum",
                                "scale a law by a number, e.g. 2*Uniform(0, 1)")
            if isinstance(node.op, ast.Div):
                if right:
                    raise self.fail(node.right, "cannot divide by a random variable")
                return self.law(node.left) * (1 / self.number(node.right))
            law = self.law(node.left if left else node.right)
            return law * self.number(node.right if left else node.left)
        raise self.fail(node, "this operation is not accepted between laws",
                        "use +, - and scaling by a number")

    def has_law(self, node):
        """Whether ``node`` calls a law: a capitalised name (laws are; an unknown one is then
        named in the error), ``sum_iid``, or anything but a name (to be refused). Other calls
        (``sqrt(2)``) are numbers, for symconv's parser."""
        def is_law(n):
            if not isinstance(n, ast.Call):
                return False
            f = n.func
            return not isinstance(f, ast.Name) or f.id in _CALLABLE or f.id[:1].isupper()

        return any(is_law(n) for n in ast.walk(node))

    def call(self, node):
        func = node.func
        if not isinstance(func, ast.Name):
            raise self.fail(node, "only a law's name may be called", _EXAMPLE)
        name = func.id
        if node.keywords:
            raise self.fail(node.keywords[0], f"{name}: give the parameters by position",
                            f"e.g. {name}(...) with numbers separated by commas")
        if any(isinstance(a, ast.Starred) for a in node.args):
            raise self.fail(node, "* in a call is not accepted")
        if name == "sum_iid":
            return self.sum_iid(node)
        if name not in LAWS:
            raise self.fail(node, f"unknown law {name!r}; accepted: {', '.join(sorted(LAWS))}"
                            ", sum_iid")
        lo, hi = LAWS[name]
        if not lo <= len(node.args) <= hi:
            want = str(lo) if lo == hi else f"{lo} to {hi}"
            raise self.fail(node, f"{name} takes {want} parameter(s), got {len(node.args)}")
        args = [self.number(a) for a in node.args]
        from symconv import probability

        return getattr(probability, name)(*args)

    def sum_iid(self, node):
        from symconv.probability import sum_iid

        if len(node.args) != 2:
            raise self.fail(node, "sum_iid takes a law and a count, e.g. sum_iid(Die(6), 3)")
        law = self.law(node.args[0])
        n = self.number(node.args[1])
        if n.free_symbols and n.is_integer and n.is_positive:  # a family's closed form
            return sum_iid(law, n)
        if not (n.is_Integer and 1 <= n <= MAX_COPIES):
            raise self.fail(node.args[1], f"the count must be a whole number from 1 to "
                            f"{MAX_COPIES}, got {n}")
        return sum_iid(law, int(n))

    def number(self, node):
        """An exact number (or parameter expression), read by symconv's parser."""
        segment = ast.get_source_segment(self.text, node)
        if segment is None or self.has_law(node):
            raise self.fail(node, "expected a number here")
        value = parse(segment, "x", assumptions=self.assumptions)
        if any(s.name == "x" for s in value.free_symbols):
            raise self.fail(node, "a parameter here must be a number or a named constant",
                            "e.g. 1/2, 0.25, sqrt(2)")
        if self.default is not None:
            from sympy import Symbol

            value = value.xreplace({
                s: Symbol(s.name, **self.default, **(
                    {"integer": True} if s.name in self.counts else {}))
                for s in value.free_symbols if s.name not in self.assumptions})
        return value
