"""Numbers and expressions as mpmath values and functions.

Exact SymPy numbers become mpf/mpc at the working precision; expressions become
mpmath functions through ``lambdify`` with mpmath versions of the signal vocabulary.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import mpmath
import sympy
from sympy import Expr, S, Symbol

from symconv.errors import UnsupportedInputError
from symconv.numeric.inputs import _as_number

#: Internal module: no public names.
__all__: list[str] = []

# --------------------------------------------------------------------------
# Numbers
# --------------------------------------------------------------------------


def _to_mp(x):
    """An exact SymPy number as mpf/mpc at the current mpmath precision."""
    if x is S.Infinity:
        return mpmath.inf
    if x is S.NegativeInfinity:
        return -mpmath.inf
    v = sympy.N(x, mpmath.mp.dps + 5)
    re, im = v.as_real_imag()
    if not (re.is_Number and im.is_Number) or v.has(S.NaN, S.ComplexInfinity):
        raise UnsupportedInputError(f"cannot evaluate {x} to a number", x)
    r = _number_to_mp(re)
    return r if im == 0 else mpmath.mpc(r, _number_to_mp(im))



def _number_to_mp(n):
    if n.is_Float:
        return mpmath.mpf(n._mpf_)
    if n.is_Rational:
        return mpmath.mpf(n.p) / n.q
    if n is S.Infinity:
        return mpmath.inf
    if n is S.NegativeInfinity:
        return -mpmath.inf
    return mpmath.nan



def _to_mp_real(x: Expr):
    return mpmath.re(_to_mp(x))



def _rel_error(got, expected):
    """``|got − expected| / max(1, |expected|)``; ``inf`` when either is nan."""
    if mpmath.isnan(got) or mpmath.isnan(expected):
        return mpmath.inf
    if mpmath.isinf(got) or mpmath.isinf(expected):
        return mpmath.mpf(0) if got == expected else mpmath.inf
    return abs(got - expected) / max(mpmath.mpf(1), abs(expected))



def _converged(qerr, expected, tol) -> bool:
    """Whether the quadrature's error estimate is well inside the tolerance."""
    return bool(qerr <= tol * max(1, abs(expected)) / 10)



def _check_tol(tol, dps: int):
    """The tolerance as an mpf (default ``10**-(dps-8)``)."""
    if tol is None:
        return mpmath.mpf(10) ** -(dps - 8)
    value = _to_mp(_as_number(tol, "tol"))
    if isinstance(value, mpmath.mpc) or not value > 0:
        raise UnsupportedInputError(f"tol must be a positive number, got {tol}", tol)
    return value



def _sorted_unique(values: Iterable[Expr]) -> tuple[Expr, ...]:
    """Exact real numbers sorted by value, numerically equal ones merged."""
    with mpmath.workdps(50):
        keyed = []
        for v in dict.fromkeys(values):
            x = _to_mp(v)
            if isinstance(x, mpmath.mpc):
                raise UnsupportedInputError(f"breakpoint {v} is not real", v)
            keyed.append((x, v))
        keyed.sort(key=lambda p: p[0])
        out: list = []
        for x, v in keyed:
            if out and abs(x - out[-1][0]) <= mpmath.mpf(10) ** -40 * max(1, abs(x)):
                continue
            out.append((x, v))
    return tuple(v for _, v in out)



# --------------------------------------------------------------------------
# mpmath versions of the signal vocabulary
# --------------------------------------------------------------------------


def _mp_u(x):
    return 0 if x < 0 else 1



def _mp_heaviside(x, h0=0.5):
    if x < 0:
        return 0
    if x > 0:
        return 1
    return h0



def _mp_rect(x):
    a = abs(x)
    if a < 0.5:
        return 1
    if a > 0.5:
        return 0
    return mpmath.mpf(0.5)



def _mp_tri(x):
    a = abs(x)
    return 1 - a if a < 1 else 0



def _mp_ramp(x):
    return x if x >= 0 else 0



def _mp_zero(*args):
    """``DiracDelta`` in a regular part: zero away from its location."""
    return 0



def _namespace() -> dict:
    """A fresh lambdify namespace (no shared mutable state)."""
    return {
        "u": _mp_u,
        "Heaviside": _mp_heaviside,
        "rect": _mp_rect,
        "tri": _mp_tri,
        "ramp": _mp_ramp,
        "DiracDelta": _mp_zero,
    }



# --------------------------------------------------------------------------
# Compilation to mpmath
# --------------------------------------------------------------------------


_PROBE = "0.31830988618379067153776752674502872"


def _compile(expr: Expr, var: Symbol, role: str) -> Callable:
    """``expr`` as an mpmath function of ``var`` (``None`` → ``nan``)."""
    try:
        raw = sympy.lambdify([var], expr, modules=[_namespace(), "mpmath"])
    except Exception as exc:  # the printer rejects some node
        raise _unsupported(expr, var, role) from exc

    def call(x):
        v = raw(x)
        return mpmath.nan if v is None else mpmath.mpmathify(v)

    try:
        call(mpmath.mpf(_PROBE))
    except (ZeroDivisionError, ValueError, ArithmeticError):
        pass
    except Exception as exc:
        raise _unsupported(expr, var, role) from exc
    return call



def _unsupported(expr: Expr, var: Symbol, role: str) -> UnsupportedInputError:
    culprit = _culprit(expr, var)
    return UnsupportedInputError(
        f"cannot evaluate {role} numerically: the sub-expression {culprit} "
        "is not something mpmath can evaluate (supported: numbers, +, -, *, /, **, "
        "exp, sin, cos, sinh, cosh, Abs, Min, Max, Heaviside, Piecewise, DiracDelta, "
        "u, rect, tri, ramp and other functions mpmath implements); rewrite it",
        culprit,
    )



def _culprit(expr: Expr, var: Symbol) -> Expr:
    """The smallest sub-expression of ``expr`` that cannot be evaluated."""
    probe = mpmath.mpf(_PROBE)
    for node in sympy.postorder_traversal(expr):
        if isinstance(node, Symbol) and node != var:
            return node
        if node.is_Atom or not isinstance(node, Expr):
            continue
        try:
            sympy.lambdify([var], node, modules=[_namespace(), "mpmath"])(probe)
        except (ZeroDivisionError, ValueError, ArithmeticError):
            continue
        except Exception:
            return node
    return expr
