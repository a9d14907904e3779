"""Assumptions typed on the command line or in a grading file, read safely.

``"a>0, b>=0, w nonzero"`` become SymPy symbol assumptions; relations between parameters
(``T1 < T2``, chains such as ``0 < a < 1``) become SymPy relations whose sides are read by
symconv's own parser (never evaluated).
"""

from __future__ import annotations

import re

from sympy import S
from sympy.core.facts import InconsistentAssumptions

from symconv.errors import ParseError
from symconv.parsing.parser import parse

__all__ = ["parse_assumptions", "parse_relations"]

# a parameter's name (T1, t_0, ω₀): a fact on anything else (e^a < 0, |a| < 0) is a
# relation, read by the parser and refused unless linear
_NAME = r"[^\W\d][\w₀-₉]*"
_ASSUME_RE = re.compile(
    rf"^\s*(?:(?P<name>{_NAME})\s*(?P<op><=|>=|!=|<|>|≤|≥|≠)\s*0"
    rf"|0\s*(?P<op2><=|>=|!=|<|>|≤|≥|≠)\s*(?P<name2>{_NAME})"
    rf"|(?P<name3>{_NAME})\s+(?P<word>positive|negative|nonnegative|nonpositive|nonzero|real"
    r"|integer))"
    r"\s*$"
)
_OP_FACT = {
    ">": "positive", "<": "negative", ">=": "nonnegative", "≥": "nonnegative",
    "<=": "nonpositive", "≤": "nonpositive", "!=": "nonzero", "≠": "nonzero",
}
_FLIP = {">": "<", "<": ">", ">=": "<=", "<=": ">=", "≥": "≤", "≤": "≥", "!=": "!=", "≠": "≠"}



def parse_assumptions(text, relations=None):
    """``"a>0, b>=0"`` → ``{"a": {"positive": True}, "b": {"nonnegative": True}}``.

    Relations between parameters (``T1 < T2``) are collected as ``(position, text)``
    into ``relations`` when a list is given (see :func:`parse_relations`).

    >>> parse_assumptions("a>0, 0 < T, w nonzero")
    {'a': {'positive': True}, 'T': {'positive': True}, 'w': {'nonzero': True}}
    >>> rel = []
    >>> parse_assumptions("T1 > 0, T1 < T2", rel), rel
    ({'T1': {'positive': True}}, [(8, ' T1 < T2')])
    >>> rel = []
    >>> parse_assumptions("0 < a < 1", rel), rel
    ({'a': {'positive': True}}, [(0, 'a < 1')])
    """
    out = {}
    if not text:
        return out
    for pos, item in _chains(_items(text)):
        m = _ASSUME_RE.match(item)
        if not m and relations is not None and _REL_RE.search(item):
            relations.append((pos, item))
            bound = _positive_bound(item)
            if bound is not None:  # a > 1: a is positive as well (a^t, log a, √a)
                out.setdefault(bound, {}).setdefault("positive", True)
            continue
        if not m:
            raise ParseError(
                f"cannot read the assumption {item.strip()!r}",
                text,
                pos,
                "accepted: a>0, a>=0, a<0, a<=0, a!=0, 0<a, 'a positive', 'a real'",
            )
        if m.group("name"):
            name, fact = m.group("name"), _OP_FACT[m.group("op")]
        elif m.group("name2"):
            name, fact = m.group("name2"), _OP_FACT[_FLIP[m.group("op2")]]
        else:
            name, fact = m.group("name3"), m.group("word")
        facts = out.setdefault(name, {})
        facts[fact] = True
        try:
            from sympy import Symbol

            Symbol(name, **facts)
        except InconsistentAssumptions:
            raise ParseError(f"contradictory assumptions on {name}", text, pos,
                             f"{name} cannot be {' and '.join(sorted(facts))}") from None
    return out


_BOUND_RE = re.compile(
    r"^\s*(?:(?P<name>[A-Za-z]\w*)\s*(?P<op>>=|>|≥)\s*(?P<num>\d+(?:/\d+)?)"
    r"|(?P<num2>\d+(?:/\d+)?)\s*(?P<op2><=|<|≤)\s*(?P<name2>[A-Za-z]\w*))\s*$")


def _positive_bound(item):
    """The name in ``name > c`` (``c ≥ 0``) or ``name >= c`` (``c > 0``), or ``None``.

    >>> _positive_bound("a > 1"), _positive_bound("1/2 <= b"), _positive_bound("a >= 0")
    ('a', 'b', None)
    """
    from fractions import Fraction

    m = _BOUND_RE.match(item)
    if m is None:
        return None
    name, op, num = (m.group("name"), m.group("op"), m.group("num")) if m.group("name") \
        else (m.group("name2"), m.group("op2"), m.group("num2"))
    strict = op in (">", "<")
    try:
        value = Fraction(num)
    except (ValueError, ZeroDivisionError):  # 1/0: the relation's own reading says so
        return None
    return name if value > 0 or (strict and value == 0) else None


_REL_RE = re.compile(r"<=|>=|<|>|≤|≥|=")
_REL_OPS = {"<": "<", ">": ">", "<=": "<=", ">=": ">=", "≤": "<=", "≥": ">=", "=": "=="}


def parse_relations(items, var, assumptions, text):
    """SymPy relations from ``(position, "lhs op rhs")`` items, each side read by
    symconv's own parser (never evaluated).

    >>> from sympy import symbols
    >>> parse_relations([(0, "T1 < T2 + 1")], symbols("t"), {}, "T1 < T2 + 1")
    [T1 < T2 + 1]
    """
    from sympy import Eq
    from sympy.core.relational import Relational

    out = []
    for pos, item in items:
        parts = _REL_RE.split(item)
        ops = _REL_RE.findall(item)
        if len(parts) != 2 or not parts[0].strip() or not parts[1].strip():
            raise ParseError(f"cannot read the assumption {item.strip()!r}", text, pos,
                             "accepted: a>0, a>=0, a<0, a<=0, a!=0, 'a positive', 'a real', "
                             "or one relation such as T1 < T2")
        sides = [parse(side, var, assumptions=assumptions) for side in parts]
        op = _REL_OPS[ops[0]]
        if any(x.is_extended_real is False or x.has(S.NaN, S.ComplexInfinity) for x in sides):
            raise ParseError(f"the assumption {item.strip()!r} compares a value that is not a "
                             "real number", text, pos, "relate real parameters, e.g. T1 < T2")
        try:
            rel = Eq(*sides) if op == "==" else Relational(sides[0], sides[1], op)
        except TypeError as err:  # SymPy cannot order these values
            raise ParseError(f"the assumption {item.strip()!r} cannot be read as an order of "
                             f"real numbers ({err})", text, pos, "e.g. T1 < T2") from None
        if rel in (True, False) or getattr(rel, "is_Boolean", False) and not rel.is_Relational:
            if rel and (sides[0].free_symbols or sides[1].free_symbols):
                continue  # implied by the symbols' own facts (a integer, a > 1/2)
            raise ParseError(f"the assumption {item.strip()!r} is always {bool(rel)}",
                             text, pos, "relate parameters, e.g. T1 < T2")
        out.append(rel)
    return out


def _chains(items):
    """``0 < a < 1`` → ``0 < a`` and ``a < 1`` (a chain is read as its links)."""
    for pos, item in items:
        parts, ops = _REL_RE.split(item), _REL_RE.findall(item)
        if len(ops) < 2 or not all(p.strip() for p in parts):
            yield pos, item
            continue
        for i, op in enumerate(ops):
            yield pos, f"{parts[i].strip()} {op} {parts[i + 1].strip()}"


def _items(text):
    pos = 0
    for part in text.split(","):
        yield pos + len(part) - len(part.lstrip()), part
        pos += len(part) + 1
