"""The public ``convolve`` and ``correlate``: one entry point, dispatched on the input.

* lists, tuples, arrays or ``{index: value}`` dicts → exact finite sequences
  (:func:`symconv.engine.finite.convolve_finite`);
* an integer variable (``symbols("n", integer=True)``) → closed-form sums
  (:func:`symconv.engine.discrete.convolve_sequence`);
* otherwise a real variable → integrals (:func:`symconv.engine.continuous.convolve`).

Examples
--------
>>> from sympy import Rational, exp, symbols
>>> from symconv import convolve, rect, u
>>> t = symbols("t", real=True)
>>> n = symbols("n", integer=True)
>>> convolve(rect(t), u(t), t)
Piecewise((0, t < -1/2), (t + 1/2, t < 1/2), (1, True))
>>> convolve(Rational(1, 2)**n*u(n), u(n), n)
Piecewise((0, n < 0), (2 - 1/2**n, True))
>>> convolve([1, 2, 3], [1, 1])
[1, 3, 5, 3]
"""

from __future__ import annotations

from symconv.convert.variables import INDEX_NAMES, check_variable
from symconv.engine import continuous, discrete, finite
from symconv.errors import UnsupportedInputError
from symconv.limits import time_limit

__all__ = ["convolve", "correlate"]


def _is_finite_sequence(x):
    if isinstance(x, (list, tuple, dict)):
        return True
    return type(x).__module__ == "numpy" and hasattr(x, "shape")


def impulse_train(values, n, name="f"):
    """A finite sequence as the expression ``Σ x[k] δ[n - k]`` in the integer ``n``: a
    list (or tuple, NumPy array) starts at ``k = 0``, a dict ``{k: x[k]}`` says where.

    >>> from sympy import symbols
    >>> n = symbols("n", integer=True)
    >>> impulse_train([1, 2], n), impulse_train({-1: 3}, n)
    (KroneckerDelta(0, n) + 2*KroneckerDelta(1, n), 3*KroneckerDelta(-1, n))
    """
    from sympy import Add, KroneckerDelta

    from symconv.engine.finite import _exact_value

    items = values.items() if isinstance(values, dict) else enumerate(list(values))
    terms = []
    for k, v in items:
        if not isinstance(k, int) or isinstance(k, bool):
            raise UnsupportedInputError(f"{name} has the index {k!r}; indices are integers")
        terms.append(_exact_value(v, name, k) * KroneckerDelta(n, k))
    return Add(*terms)


def _dispatch(f, g, var, kind, form, check, conditions, mode, period, assume, timeout):
    with time_limit(timeout, f"the {kind}"):
        return _dispatch_unbounded(f, g, var, kind, form, check, conditions, mode, period,
                                   assume)


def _dispatch_unbounded(f, g, var, kind, form, check, conditions, mode, period, assume):
    if _is_finite_sequence(f) != _is_finite_sequence(g):
        if not (getattr(var, "is_Symbol", False) and var.is_integer):
            raise UnsupportedInputError(
                "one input is a finite list of values and the other an expression; give "
                "the integer index, convolve([1, 2, 3], (1/2)**n*u(n), n) with "
                "n = symbols('n', integer=True) (the list is then x[0], x[1], ...), or give "
                "both as lists"
            )
        f, g = (impulse_train(x, var, name) if _is_finite_sequence(x) else x
                for x, name in ((f, "f"), (g, "g")))
    if _is_finite_sequence(f) or _is_finite_sequence(g):
        if kind == "correlation":
            f = _reversed(f)
        out = finite.convolve_finite(f, g, mode=mode, period=period)
        return out
    if var is None:
        raise UnsupportedInputError(
            "the variable is missing: convolve(f, g, t) with t = symbols('t', real=True), "
            "or n = symbols('n', integer=True) for sequences"
        )
    if not getattr(var, "is_Symbol", False):
        return _engine_call(f, g, var, kind, form, check, conditions, assume)
    check_variable(f, g, var)
    if var.name in INDEX_NAMES and var.is_integer is None and var.is_real is None:
        raise UnsupportedInputError(
            f"{var.name} reads as a sequence index but the symbol has no assumptions: "
            f"for the sum y[{var.name}] = Σ f[k] g[{var.name}-k] pass "
            f"{var.name} = symbols({var.name!r}, integer=True); for the integral over a "
            f"real variable, symbols({var.name!r}, real=True)")
    return _engine_call(f, g, var, kind, form, check, conditions, assume)


def _engine_call(f, g, var, kind, form, check, conditions, assume):
    if getattr(var, "is_integer", False):
        if form != "piecewise":
            raise UnsupportedInputError(
                f"form={form!r} applies to continuous signals; a sequence is returned as a "
                "Piecewise in its index"
            )
        op = discrete.convolve_sequence if kind == "convolution" else discrete.correlate_sequence
        return op(f, g, var, conditions=conditions, assume=assume, check=check)
    op = continuous.convolve if kind == "convolution" else continuous.correlate
    return op(f, g, var, form=form, check=check, conditions=conditions, assume=assume)


def _reversed(f):
    if isinstance(f, dict):
        return {-k: v for k, v in f.items()}
    return list(f)[::-1]


def convolve(f, g, var=None, *, form="piecewise", check=False, conditions="piecewise",
             mode="full", period=None, assume=None, timeout=None):
    """The convolution of two signals, sequences or lists of values, exactly.

    Parameters
    ----------
    f, g : sympy.Expr, or list / tuple / dict / numpy array
        Signals in ``var``, or finite sequences of exact values.
    var : sympy.Symbol
        A real symbol for continuous time, an integer symbol for sequences;
        not needed for lists.
    form, check, conditions, assume
        As in :func:`symconv.engine.continuous.convolve`.
    mode, period
        For lists: ``"full"``, ``"same"``, ``"valid"`` or ``"cyclic"`` (see
        :func:`symconv.engine.finite.convolve_finite`).
    timeout : float, optional
        Seconds before the computation stops with
        :class:`~symconv.errors.TimeLimitError` (default ``None``: no limit).

    Examples
    --------
    >>> convolve({-1: 1, 0: 2, 1: 1}, [1, 1])
    {-1: 1, 0: 3, 1: 3, 2: 1}
    """
    return _dispatch(f, g, var, "convolution", form, check, conditions, mode, period, assume,
                     timeout)


def correlate(f, g, var=None, *, form="piecewise", check=False, conditions="piecewise",
              mode="full", period=None, assume=None, timeout=None):
    """Cross-correlation ``Σ f[k] g[k + n]`` or ``∫ f(τ) g(τ + t) dτ``, exactly.

    For lists the result is indexed by the lag ``n``; ``mode`` and ``period``
    act as in :func:`convolve`, and so does ``timeout``.

    Examples
    --------
    >>> correlate({0: 1, 1: 2}, {0: 1, 1: 2})
    {-1: 2, 0: 5, 1: 2}
    """
    return _dispatch(f, g, var, "correlation", form, check, conditions, mode, period, assume,
                     timeout)
