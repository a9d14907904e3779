"""The canonical sort key (:mod:`symconv.convert.ordering`) orders exactly as SymPy's
``Basic.compare``: checked against ``_addsort``/``_mulsort`` and against ``Add``/``Mul``
built by SymPy itself, on random trees of the shapes the output builder writes and others."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from sympy import (
    Add,
    Dummy,
    E,
    Float,
    Integer,
    Mul,
    Pow,
    Rational,
    S,
    Symbol,
    cos,
    exp,
    pi,
    sin,
    sqrt,
)
from sympy.core.add import _addsort
from sympy.core.mul import _mulsort

from symconv.convert.ordering import canonical_sort, compare_key

t = Symbol("t", real=True)
x = Symbol("x")
n = Symbol("n", integer=True)

rationals = st.builds(Rational, st.integers(-7, 7), st.integers(1, 5))
numbers = st.one_of(rationals, st.sampled_from([S.Zero, S.One, S.NegativeOne, S.Half,
                                                Integer(2), Rational(-1, 2)]))
leaves = st.one_of(numbers, st.sampled_from([t, x, n, E, pi, sqrt(2)]))


def _trees(children):
    return st.one_of(
        st.builds(lambda a: exp(a, evaluate=False), children),
        st.builds(lambda a: cos(a, evaluate=False), children),
        st.builds(lambda a: sin(a, evaluate=False), children),
        st.builds(lambda a, b: Pow(a, b, evaluate=False), children, children),
        st.builds(lambda a: Mul(*a), st.lists(children, min_size=1, max_size=4)),
        st.builds(lambda a: Add(*a), st.lists(children, min_size=1, max_size=4)),
    )


trees = st.recursive(leaves, _trees, max_leaves=12)


def _sympy_order(args, sort):
    out = list(args)
    sort(out)
    return out


@settings(max_examples=300, deadline=None)
@given(st.lists(trees, min_size=0, max_size=12))
def test_order_is_sympys(args):
    assert canonical_sort(list(args)) == _sympy_order(args, _addsort)
    assert canonical_sort(list(args)) == _sympy_order(args, _mulsort)


@settings(max_examples=200, deadline=None)
@given(st.lists(trees, min_size=2, max_size=8))
def test_keys_agree_with_compare(args):
    memo = {}
    for a in args:
        for b in args:
            ka, kb = compare_key(a, memo), compare_key(b, memo)
            assert ((ka > kb) - (ka < kb)) == a.compare(b)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(rationals, st.integers(-4, 4), st.integers(1, 4),
                          st.sampled_from([None, cos, sin]), st.integers(0, 2)),
                min_size=1, max_size=20))
def test_sums_built_from_sorted_terms_equal_sympys(spec):
    """The output builder's shape: ``c e^p cos(a) t^k`` terms, distinct, sorted by the
    key and assembled unevaluated, give the very object ``Add`` builds."""
    terms, seen = [], set()
    for c, p, a, fn, k in spec:
        factors = [exp(Rational(p, 2))] + ([fn(a)] if fn else []) + ([t**k] if k else [])
        term = Mul(*factors)
        if term in seen or c == 0:
            continue
        seen.add(term)
        terms.append(c * term)
    want = Add(*terms)
    got = Add._from_args(canonical_sort(list(terms))) if len(terms) > 1 else want
    assert got == want
    assert hash(got) == hash(want)


def test_unkeyable_content_falls_back_to_sympy():
    """A tree whose content the key cannot hold is sorted by SymPy itself."""
    weird = [Float(2.5) * x, Dummy("d") * t, x, t]
    assert canonical_sort(list(weird)) == _sympy_order(weird, _addsort)
