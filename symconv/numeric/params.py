"""Parameter values for the numeric check, and the problem it is asked.

Symbols other than the variable get numbers that satisfy their assumptions and the
relations given in ``assume=`` (given values first, then an ordered backtracking
search, then a seeded random one); :func:`_setup` validates a call and substitutes them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import sympy
from sympy import Basic, Dummy, Expr, Rational, S, Symbol

from symconv.errors import UnsupportedInputError
from symconv.numeric.inputs import _as_expr, _as_number, _check_kind, _check_var, _from_python

#: Internal module: no public names.
__all__: list[str] = []

def _candidates() -> Iterable[Expr]:
    """Candidate parameter values, in the order they are tried."""
    positives = [Rational(7, 10), Rational(13, 10), Rational(21, 10), Rational(29, 10)]
    positives += [Rational(10 * k + 7, 10) for k in range(3, 12)]
    integers = [sympy.Integer(n) for n in (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 4, 6, 8, 10, 12)]
    yield from positives
    yield from integers
    yield from (-v for v in positives)
    yield from (-v for v in integers)
    yield S.One
    yield S.Zero



def _satisfies(value: Expr, sym: Symbol) -> bool:
    """Whether the number ``value`` has every assumption made on ``sym``."""
    for fact, truth in sym.assumptions0.items():
        if getattr(value, f"is_{fact}", None) is not truth:
            return False
    return True



def _describe_assumptions(sym: Symbol) -> str:
    """The assumptions of ``sym`` that were stated, e.g. ``positive, integer``."""
    facts = [k for k, v in sym.assumptions0.items() if v is True and not k.startswith("extended_")]
    return (
        ", ".join(sorted(set(facts) - {"commutative", "complex", "finite", "hermitian"})) or "none"
    )



def _pick_value(sym: Symbol, used: set) -> Expr:
    for c in _candidates():
        if c not in used and _satisfies(c, sym):
            return c
    raise UnsupportedInputError(
        f"cannot choose a value for the parameter {sym} with assumptions "
        f"({_describe_assumptions(sym)}); pass it in params={{{sym.name!r}: value}}",
        sym,
    )



def _holds(rel, values: dict) -> bool | None:
    """Does the relation hold at ``values``?  ``None`` while symbols are unassigned."""
    if not rel.free_symbols <= set(values):
        return None
    return bool(rel.xreplace(values) == S.true)



def _choose(todo: list, out: dict, used: set, assume: tuple, steps: list,
            dependent: dict) -> bool:
    """Backtracking choice of values for ``todo`` satisfying ``assume``; the symbols
    in ``dependent`` (solved from equalities) get their values at the end."""
    if not todo:
        for sym, expr in dependent.items():
            value = expr.xreplace(out)
            if not value.is_number or not _satisfies(value, sym):
                return False
            out[sym] = value
        if all(_holds(r, out) for r in assume):
            return True
        for sym in dependent:
            del out[sym]
        return False
    sym, rest = todo[0], todo[1:]
    cands = [c for c in _candidates() if _satisfies(c, sym)]
    for c in [c for c in cands if c not in used] + [c for c in cands if c in used]:
        steps[0] += 1
        if steps[0] > 20000:
            return False
        out[sym] = c
        if all(_holds(r, out) is not False for r in assume) and _choose(
                rest, out, used | {c}, assume, steps, dependent):
            return True
        del out[sym]
    return False



def _sample(todo: list, out: dict, assume: tuple, dependent: dict) -> bool:
    """Random search (seeded: reproducible) when the ordered search runs out of steps:
    narrow windows such as ``a - T/2 < c < a + T/2 - T2`` need mixed values."""
    import random

    rng = random.Random(0)
    pools = {sym: [c for c in _candidates() if _satisfies(c, sym)]
             + [v for v in (Rational(n, 20) for n in range(-100, 101)) if _satisfies(v, sym)]
             for sym in todo}
    for _ in range(20000):
        trial = dict(out)
        trial.update({sym: rng.choice(pool) for sym, pool in pools.items() if pool})
        if len(trial) - len(out) != len(todo):
            return False
        if not all(_holds(r, trial) is not False for r in assume):
            continue
        if _choose([], trial, set(), assume, [0], dependent):
            out.update(trial)
            return True
    return False



def _solve_equalities(assume: tuple, free: list) -> dict:
    """``{symbol: expression}`` from the linear equalities in ``assume``."""
    dependent: dict = {}
    for r in assume:
        if not isinstance(r, sympy.Eq):
            continue
        d = (r.lhs - r.rhs).xreplace(dependent)
        for sym in sorted(d.free_symbols & set(free), key=sympy.default_sort_key,
                          reverse=True):
            if sym in dependent or sympy.Poly(d, sym).degree() != 1:
                continue
            (expr,) = sympy.solve(d, sym, dict=False) or [None]
            if expr is not None:
                dependent = {k: v.xreplace({sym: expr}) for k, v in dependent.items()}
                dependent[sym] = expr
                break
    return dependent



def _check_assume(assume) -> tuple:
    if assume is None:
        return ()
    if isinstance(assume, Basic):
        assume = [assume]
    out = []
    for r in assume:
        r = _from_python(r) if not isinstance(r, Basic) else r
        if not isinstance(r, Basic) or not (r.is_Relational or r.is_Boolean):
            raise UnsupportedInputError(f"assume= takes SymPy relations, got {r!r}", r)
        out.append(r)
    return tuple(out)



def _resolve_params(symbols: set, params, assume=()) -> dict:
    """Map every parameter symbol to a number (given ones first, then chosen so that
    the relations ``assume`` hold)."""
    symbols = set(symbols).union(*(r.free_symbols for r in assume))
    by_name = {}
    for s in symbols:
        by_name.setdefault(s.name, []).append(s)
    given: dict = {}
    for key, value in dict(params or {}).items():
        if isinstance(key, str):
            matches = by_name.get(key, [])
        elif isinstance(key, Symbol):
            matches = [key] if key in symbols else []
        else:
            raise UnsupportedInputError(f"params keys must be Symbols or names, got {key!r}", key)
        if len(matches) != 1:
            raise UnsupportedInputError(
                f"params names {key!r}, which is not one parameter of the signals; "
                f"the parameters are {sorted(s.name for s in symbols) or 'none'}",
                key,
            )
        sym = matches[0]
        v = _as_number(value, f"the value of parameter {sym}")
        if not _satisfies(v, sym):
            raise UnsupportedInputError(
                f"the value {v} given for {sym} contradicts its assumptions "
                f"({_describe_assumptions(sym)}); give a value that satisfies them",
                sym,
            )
        given[sym] = v
    out = dict(given)
    used = set(given.values())
    todo = sorted(symbols - set(given), key=sympy.default_sort_key)
    if not assume:
        for sym in todo:
            out[sym] = _pick_value(sym, used)
            used.add(out[sym])
    elif not _choose(free := [s for s in todo if s not in (dep := _solve_equalities(assume, todo))],
                     out, used, rels := tuple(r.xreplace(dep) for r in assume), [0], dep) \
            and not _sample(free, out, rels, dep):
        raise UnsupportedInputError(
            f"cannot choose parameter values satisfying {list(assume)}; pass them in params=",
            assume[0])
    for r in assume:
        if _holds(r, out) is False:
            raise UnsupportedInputError(f"the parameter values {given} contradict {r}", r)
    return dict(sorted(out.items(), key=lambda kv: sympy.default_sort_key(kv[0])))



# --------------------------------------------------------------------------
# Problem set-up shared by verify, numeric_convolution and verify_sequence
# --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Problem:
    var: Symbol
    f: Expr
    g: Expr
    extra: tuple[Expr, ...]
    params: dict



def _setup(f, g, var, extra: tuple, params, kind, assume=None) -> _Problem:
    """Validate, make ``var`` real, substitute parameters, reflect ``f`` for correlation."""
    var = _check_var(var)
    kind = _check_kind(kind)
    exprs = [_as_expr(f, "f"), _as_expr(g, "g")] + [_as_expr(e, "result") for e in extra]
    if params is not None and not isinstance(params, Mapping):
        raise UnsupportedInputError(f"params must be a mapping symbol -> number, got {params!r}")
    x = var if var.is_extended_real else Dummy(var.name, real=True)
    exprs = [e.xreplace({var: x}) for e in exprs]
    symbols = set().union(*(e.free_symbols for e in exprs)) - {x}
    values = _resolve_params(symbols, params, _check_assume(assume))
    exprs = [e.subs(values) if values else e for e in exprs]
    if kind == "correlation":
        exprs[0] = exprs[0].xreplace({x: -x})
    for e in exprs:
        left = e.free_symbols - {x}
        if left:
            raise UnsupportedInputError(f"{e} still has the symbols {left} after substitution", e)
    return _Problem(x, exprs[0], exprs[1], tuple(exprs[2:]), values)
