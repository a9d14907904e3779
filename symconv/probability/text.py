"""Laws typed as text: ``"Die(6) + Die(6)"``, ``"Normal(0, 1) + Uniform(0, 1)"``.

The text is a sum (``+``, ``-``) of terms; a term is a named law with its
parameters, ``Die(6)``, optionally scaled by a number (``2 Exponential(1)``) or
shifted by one (``Die(6) + 1``). Only the names of :data:`LAWS` are accepted;
every parameter and number is read by symconv's own parser
(:func:`symconv.parsing.parser.parse`), never evaluated. Parameters are positive
unless ``assumptions`` says otherwise (rates, widths, means of counts are).

Examples
--------
>>> parse_law("Die(6) + Die(6)").pmf(7)
1/6
>>> parse_law("Normal(0, 1) + Normal(1, 1)")
Normal(1, sqrt(2))
>>> parse_law("Poisson(a) + Poisson(b)")
Poisson(a + b)
>>> parse_law("open('x')")
Traceback (most recent call last):
...
symconv.errors.ParseError: unknown law 'open'
  open('x')
  ^ accepted: Bernoulli, Binomial, Cauchy, ChiSquared, Die, DiscreteUniform, Erlang, ...
"""

from __future__ import annotations

import re

from symconv.errors import ParseError
from symconv.parsing.parser import parse
from symconv.probability import families
from symconv.probability.distribution import Distribution

__all__ = ["LAWS", "parse_law"]

#: The laws accepted in text, by name.
LAWS = {name: getattr(families, name) for name in (
    "Bernoulli", "Binomial", "Cauchy", "ChiSquared", "Die", "DiscreteUniform", "Erlang",
    "Exponential", "Gamma", "Geometric", "IrwinHall", "Laplace", "NegativeBinomial", "Normal",
    "Poisson", "Triangular", "Uniform")}

_MAX_LENGTH = 2000
_CALL = re.compile(r"\s*(?:(?P<coef>[^A-Za-z()]*?)\s*\*?\s*)?(?P<name>[A-Za-z]\w*)\s*\(")


def _split_top(text, seps, start=0):
    """``[(offset, piece)]``: ``text`` split at the characters of ``seps`` that stand
    outside brackets; a ``+``/``-`` right after ``e``/``E`` of a number stays."""
    out, depth, begin = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif depth == 0 and ch in seps and i > 0:
            prev = text[:i].rstrip()
            if ch in "+-" and (not prev or prev[-1] in "+-*/(,"
                               or re.search(r"\d[eE]$", prev)):
                continue
            out.append((start + begin, text[begin:i]))
            begin = i + (ch not in "+-")  # keep a sign with its term
    out.append((start + begin, text[begin:]))
    return out


def _number(text, source, pos, assumptions):
    value = _value(text, source, pos, assumptions)
    if not value.is_number:
        raise ParseError(f"expected a number, got {text.strip()!r}", source, pos,
                         "a law, a number times a law, or a number")
    return value


def _value(text, source, pos, assumptions):
    try:
        value = parse(text, "_x", assumptions=assumptions)
    except ParseError as err:
        raise ParseError(err.args[0] if err.args else str(err), source, pos,
                         "parameters are numbers or names, e.g. Normal(0, 1)") from None
    return value


def parse_law(text, assumptions=None):
    """The :class:`~symconv.probability.distribution.Distribution` that ``text`` names.

    Parameters
    ----------
    text : str
        A sum of named laws, e.g. ``"Die(6) + Die(6)"`` or
        ``"Exponential(2) + Exponential(3)"``.
    assumptions : dict, optional
        ``{name: {"positive": True, ...}}`` for the parameters, as from
        :func:`symconv.parsing.assumptions.parse_assumptions`; a parameter not
        named there is positive.

    Examples
    --------
    >>> parse_law("2 Uniform(0, 1) - 1").support
    (-1, 1)
    """
    if not isinstance(text, str) or not text.strip():
        raise ParseError("empty law: write e.g. Die(6) + Die(6)", str(text), 0,
                         "a sum of laws such as Normal(0, 1) + Uniform(0, 1)")
    if len(text) > _MAX_LENGTH:
        raise ParseError(f"the text is {len(text)} characters long (at most {_MAX_LENGTH})",
                         text[:60], 0, "shorten it")
    assumptions = _positive_parameters(text, assumptions)
    total = None
    constant = 0
    for pos, term in _split_top(text, "+-"):
        sign = -1 if term.lstrip().startswith("-") else 1
        body = term.lstrip().lstrip("+-")
        pos += len(term) - len(body)
        law = _term(body, text, pos, assumptions)
        if isinstance(law, Distribution):
            law = law if sign > 0 else -law
            total = law if total is None else total + law
        else:
            constant = constant + sign * law
    if total is None:
        raise ParseError("no law in the text", text, 0,
                         "e.g. Die(6) + Die(6), Normal(0, 1) + Uniform(0, 1)")
    return total + constant if constant != 0 else total


def _term(body, source, pos, assumptions):
    m = _CALL.match(body)
    if m is None or not body.rstrip().endswith(")"):
        return _number(body, source, pos, assumptions)
    name = m.group("name")
    if name not in LAWS:
        raise ParseError(f"unknown law {name!r}", source, pos + m.start("name"),
                         "accepted: " + ", ".join(sorted(LAWS)))
    inner = body[m.end():body.rstrip().rfind(")")]
    args = [] if not inner.strip() else [
        _value(a, source, pos + m.end() + off, assumptions)
        for off, a in _split_top(inner, ",")]
    law = LAWS[name](*args)
    coef = (m.group("coef") or "").strip().rstrip("*").strip()
    if coef:
        law = _number(coef, source, pos, assumptions) * law
    return law


def _positive_parameters(text, assumptions):
    """Every parameter name of ``text`` positive unless ``assumptions`` names it."""
    out = {k: dict(v) for k, v in (assumptions or {}).items()}
    for name in set(re.findall(r"(?<![A-Za-z_])([A-Za-z](?:\d+|_\w+)?)(?![\w(])", text)):
        out.setdefault(name, {"positive": True})
    return out
