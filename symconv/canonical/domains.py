"""The exact coefficient field for a set of constants.

Rationals take the fast path; algebraic numbers an algebraic field; parameters and
transcendental constants become generators (``QQ<√2>(π, a)``); SymPy's ``EX`` is the last
resort.
"""

from __future__ import annotations

from sympy.polys.constructor import construct_domain
from sympy.polys.domains import EX, QQ
from sympy.polys.polyerrors import CoercionFailed, OptionError, PolynomialError

from symconv.canonical.rational import RQ

__all__ = ["field_for"]


def field_for(items):
    """The smallest exact field SymPy builds for the constants ``items``: the fast
    rationals when there are none, an algebraic field when it can, generators
    otherwise, ``EX`` as the last resort."""
    items = field_atoms(items)
    if not items:
        return RQ
    for extension in (True, False):
        try:
            K, _ = construct_domain(items, field=True, extension=extension)
        except (CoercionFailed, PolynomialError, OptionError, NotImplementedError, ValueError):
            continue
        if K != EX:
            return K
    return _algebraic_with_generators(items)


def field_atoms(items):
    """The constants and parameters that generate ``items``: sums, products and integer
    powers taken apart (``1/(π - √2)`` is ``π`` and ``√2``), so that SymPy never takes a
    rational function of other generators as a generator of its own (``Q(1/(π-√2), π)``
    does not know that ``1/(π - √2)`` and ``π`` are related).

    >>> from sympy import pi, sqrt, Rational
    >>> field_atoms([1 / (pi - sqrt(2)), Rational(1, 2), sqrt(2) * pi])
    [pi, sqrt(2)]
    """
    out = []

    def walk(x):
        if x.is_Rational:
            return
        if x.is_Pow and x.exp.is_Integer:
            walk(x.base)
        elif x.is_Add or x.is_Mul:
            for a in x.args:
                walk(a)
        elif x not in out:
            out.append(x)

    for x in items:
        walk(x)
    return out


def _algebraic_with_generators(items):
    """``QQ<√2>(π, e)``: the algebraic numbers among ``items`` (and ``I``) as one algebraic
    field, the other constants and parameters as generators over it; ``EX`` when even
    that fails (SymPy builds neither for a mix such as ``√2`` and ``e``)."""
    algebraic = [x for x in items if x.is_number and x.is_algebraic]
    others = [x for x in items if x not in algebraic]
    if not algebraic or not others:
        return EX
    try:
        A = QQ.algebraic_field(*algebraic)
        gens = []
        for x in others:
            gens.extend(g for g in _generators(x) if g not in gens)
        K = A.frac_field(*gens)
        for x in items:
            K.from_sympy(x)
    except (CoercionFailed, PolynomialError, OptionError, NotImplementedError, ValueError,
            TypeError):
        return EX
    return K


def _generators(x):
    """The generators SymPy would take for the constant or parameter expression ``x``."""
    try:
        _K, polys = construct_domain([x], field=True)
    except (CoercionFailed, PolynomialError, OptionError, NotImplementedError, ValueError):
        return [x]
    return list(getattr(_K, "symbols", ())) or [x]
