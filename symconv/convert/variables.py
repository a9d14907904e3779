"""The variable of a convolution, checked before any mathematics.

A signal that does not contain the variable but is a signal in another symbol
(``exp(-x) u(x)`` convolved in ``t``) is a slip, not a constant: convolving it
would only report a divergent integral. :func:`check_variable` names the
symbol instead, with the fix spelled for the caller (the API's
``convolve(f, g, x)`` or the command line's ``--var x``).

Examples
--------
>>> from sympy import exp, symbols
>>> from symconv.functions import rect, u
>>> t, x = symbols("t x", real=True)
>>> check_variable(exp(-t) * u(t), rect(t), t)
>>> check_variable(exp(-x) * u(x), rect(x), t)
Traceback (most recent call last):
...
symconv.errors.UnsupportedInputError: f = exp(-x)*u(x) ... did you mean convolve(f, g, x)?
>>> signal_variables(u(x - 1) * exp(-x))
{x}
"""

from __future__ import annotations

from sympy import Basic, DiracDelta, Heaviside, KroneckerDelta, Piecewise
from sympy.core.relational import Relational

from symconv.errors import UnsupportedInputError
from symconv.functions import delta, ramp, rect, tri, u

__all__ = ["check_variable", "signal_variables", "INDEX_NAMES"]

#: Names a signals & systems text gives to an integer index.
INDEX_NAMES = frozenset({"n", "k", "m"})

_SIGNAL_FUNCTIONS = (u, rect, tri, ramp, delta, Heaviside, DiracDelta, KroneckerDelta)


def signal_variables(expr):
    """The symbols a signal is a function *of*: those inside ``u``, ``rect``, ``tri``,
    ``ramp``, ``δ`` (and SymPy's ``Heaviside``, ``DiracDelta``) and in the conditions of a
    ``Piecewise``.

    >>> from sympy import symbols
    >>> from symconv.functions import rect
    >>> T, t = symbols("T t", positive=True)
    >>> sorted(signal_variables(rect(t / T)), key=str)
    [T, t]
    """
    if not isinstance(expr, Basic):
        return set()
    found = set()
    for call in expr.atoms(*_SIGNAL_FUNCTIONS):
        found |= call.free_symbols
    for pw in expr.atoms(Piecewise):
        for _e, cond in pw.args:
            found |= {s for r in cond.atoms(Relational) for s in r.free_symbols}
    return found


def _api_fix(name):
    return f"convolve(f, g, {name})"


def check_variable(f, g, var, fix=_api_fix, names=("f", "g")):
    """Raise :class:`~symconv.errors.UnsupportedInputError` when ``var`` is not the
    variable of ``f`` and ``g``.

    Refused: a signal without ``var`` that is a signal in another symbol (a step,
    a pulse or a piecewise condition in ``x``); a signal holding a *different*
    symbol spelled like ``var`` (``symbols("t", real=True)`` against
    ``Symbol("t")``). ``fix(name)`` spells the correction for the caller.
    Constants and expressions in parameters only (``convolve(f, 1, t)``) pass.
    """
    for which, e in zip(names, (f, g), strict=True):
        if not isinstance(e, Basic):
            continue
        free = e.free_symbols
        if var in free:
            continue
        twins = [s for s in free if s.name == var.name]
        if twins:
            raise UnsupportedInputError(
                f"{which} contains a symbol {var.name} whose assumptions "
                f"({_assumed(twins[0])}) differ from those of the variable given "
                f"({_assumed(var)}): they are different symbols to SymPy; pass the "
                f"symbol the signal uses, e.g. {var.name} = symbols({var.name!r}, "
                f"{_assumed(twins[0])})")
        others = sorted(signal_variables(e) - {var}, key=str)
        if others:
            names_ = ", ".join(s.name for s in others)
            raise UnsupportedInputError(
                f"{which} = {e} does not contain the variable {var.name}: it is a signal "
                f"in {names_}; did you mean {fix(_likeliest(others, f, g).name)}?")


def _likeliest(candidates, f, g):
    """The candidate found in most step, pulse and impulse calls of ``f`` and ``g``."""
    calls = [c for e in (f, g) if isinstance(e, Basic) for c in e.atoms(*_SIGNAL_FUNCTIONS)]
    return max(candidates, key=lambda s: sum(s in c.free_symbols for c in calls))


def _assumed(s):
    facts = {k: v for k, v in s.assumptions0.items()
             if v and k in ("real", "integer", "positive", "nonnegative", "negative")}
    return ", ".join(f"{k}=True" for k in sorted(facts)) or "no assumptions"
