"""SymPy's canonical order of the arguments of ``Add`` and ``Mul``, as a sort key.

SymPy sorts the arguments of a sum or product with ``Basic.compare``, a Python
comparison function that walks both trees on every comparison: for sums of
hundreds of terms that sort is a third of the cost of writing a result. The key
here orders exactly as ``Basic.compare`` does (class rank, then the length of the
hashable content, then the content item by item), but is built once per node
(``memo``) and compared as plain tuples. Any tree it cannot key (a ``frozenset`` in
the content, mixed item types) falls back to SymPy's own sort, so the result is
always SymPy's canonical order.

>>> from sympy import Rational, cos, exp, symbols
>>> t = symbols("t")
>>> terms = [3*cos(2)*exp(Rational(1, 2)), -exp(1)*cos(1), t**2, 5*t]
>>> from sympy.core.add import _addsort
>>> expected = list(terms); _addsort(expected)
>>> canonical_sort(terms) == expected
True
"""

from __future__ import annotations

from sympy.core.add import _addsort
from sympy.core.basic import Basic, ordering_of_classes

__all__ = ["canonical_sort", "compare_key"]

_UNKNOWN = len(ordering_of_classes) + 1
_RANK = {}
for _i, _name in enumerate(ordering_of_classes):
    _RANK.setdefault(_name, _i)  # list.index: the first occurrence


_PLAIN = (int, str, bool)


class _UnkeyableError(Exception):
    pass


def compare_key(expr, memo=None):
    """A tuple that orders SymPy objects as ``Basic.compare`` does.

    ``memo`` (a dict) keeps the keys of the nodes already seen; pass the same dict to
    key many expressions sharing subtrees. Raises ``TypeError`` for a tree whose
    content cannot be keyed (the caller then uses SymPy's comparison).

    >>> from sympy import symbols
    >>> x, y = symbols("x y")
    >>> compare_key(x) < compare_key(y), x.compare(y)
    (True, -1)
    """
    try:
        return _key(expr, {} if memo is None else memo)
    except _UnkeyableError:
        raise TypeError(f"no canonical key for {expr!r}") from None


def _key(expr, memo):
    hit = memo.get(id(expr))
    if hit is not None:
        return hit[1]
    cls = type(expr)
    name = cls.__name__
    rank = _RANK.get(name, _UNKNOWN)
    content = expr._hashable_content()
    items = []
    for item in content:
        if isinstance(item, Basic):
            items.append(_key(item, memo))
        elif type(item) in _PLAIN or (type(item) is tuple and
                                      all(type(x) in _PLAIN for x in item)):
            items.append(item)  # compared as Basic.compare does: (l > r) - (l < r)
        else:
            raise _UnkeyableError
    key = (rank, name if rank == _UNKNOWN else "", len(content), *items)
    memo[id(expr)] = (expr, key)  # the object is kept alive with its id
    return key


def canonical_sort(args, memo=None):
    """``args`` sorted in place (and returned) in SymPy's canonical order of the
    arguments of an ``Add`` or ``Mul``: the order ``sympy.core.add._addsort`` gives.
    """
    if len(args) < 2:
        return args
    memo = {} if memo is None else memo
    try:
        keys = [_key(a, memo) for a in args]
        order = sorted(range(len(args)), key=keys.__getitem__)
    except (_UnkeyableError, TypeError):
        _addsort(args)
        return args
    args[:] = [args[i] for i in order]
    return args
