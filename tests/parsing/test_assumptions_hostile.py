"""Facts typed at the command line: a fact on an expression (e^a < 0, |a| < 0) is read as
a relation and judged, never taken as a fact on a parameter named "e^a"; values that are
not real numbers are named; a relation the symbols' own facts imply is accepted."""

from __future__ import annotations

import pytest
from sympy import Rational, symbols

from symconv.errors import ParseError
from symconv.parsing.assumptions import parse_assumptions, parse_relations


def _read(text):
    rel = []
    facts = parse_assumptions(text, rel)
    return facts, parse_relations(rel, symbols("t", real=True), facts, text)


@pytest.mark.parametrize(("text", "message"), [
    ("e^a<0", "always False"),
    ("a^2<0", "always False"),
    ("|a|<0", "always False"),
    ("a<sqrt(-1)", "not a real number"),
    ("a>1/0", "denominator|division"),
])
def test_impossible_or_unreadable_facts_are_refused(text, message):
    with pytest.raises(ParseError, match=message):
        _read(text)


def test_names_and_implied_relations():
    facts, rels = _read("ω>0, T1>0, t_0 > 0")
    assert set(facts) == {"ω", "T1", "t_0"} and rels == []
    facts, rels = _read("a integer, a>1/2")  # a > 1/2 makes a positive; then it is implied
    assert facts["a"] == {"integer": True, "positive": True} and rels == []


@pytest.mark.parametrize("shift", ["10^100", "10^10", "200000"])
def test_far_shifts_of_geometric_sequences_are_refused_at_once(shift):
    """(1/2)^(10^100) has no exact form to print: refused in well under a second, not a
    ValueError from gmpy2 (10^100) or a run to the time limit (10^10)."""
    import time

    from symconv import convolve
    from symconv.errors import UnsupportedInputError
    from symconv.functions import u
    from symconv.parsing.parser import parse

    n = symbols("n", integer=True)
    start = time.process_time()
    with pytest.raises(UnsupportedInputError, match="exact power"):
        convolve(parse(f"u[n - {shift}]", n), parse("0.5^n u[n]", n), n)
    assert time.process_time() - start < 5
    far = convolve(u(n - 1000), parse("0.5^n u[n]", n), n)  # 2^1000 is fine
    assert far.subs(n, 1001) == Rational(3, 2)  # Σ_{k=1000}^{1001} (1/2)^(1001-k)
