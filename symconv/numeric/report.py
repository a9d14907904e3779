"""What the numeric check reports: :class:`VerifyReport`, :class:`PointCheck` and
:class:`ImpulseCheck`.

Plain records with their text form; :func:`~symconv.numeric.quadrature.verify` and
:func:`~symconv.numeric.sequences.verify_sequence` fill them in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import mpmath
from sympy import Expr, Symbol

__all__ = ["ImpulseCheck", "PointCheck", "VerifyReport"]

@dataclass(frozen=True, slots=True)
class PointCheck:
    """The comparison at one sample point.

    Attributes
    ----------
    t : sympy.Expr
        The sample point (exact when it was chosen automatically).
    expected : mpmath.mpf or mpmath.mpc
        Regular part of the convolution, from quadrature and sifting.
    got : mpmath.mpf or mpmath.mpc
        Regular part of the claimed result (``nan`` if it is undefined there).
    error : mpmath.mpf
        ``|got − expected| / max(1, |expected|)``.
    quad_error : mpmath.mpf
        The quadrature's own error estimate.
    ok : bool
        ``error <= tol`` and the quadrature converged.

    Examples
    --------
    >>> from sympy import Rational
    >>> from mpmath import mpf
    >>> PointCheck(Rational(1, 2), mpf(1), mpf(1), mpf(0), mpf(0), True).ok
    True
    """

    t: Expr
    expected: object
    got: object
    error: object
    quad_error: object
    ok: bool



@dataclass(frozen=True, slots=True)
class ImpulseCheck:
    """The comparison of one impulse ``weight·δ⁽ᵒʳᵈᵉʳ⁾(t − at)``.

    Attributes
    ----------
    at : sympy.Expr
        Location of the impulse (exact).
    order : int
        Derivative order (0 for ``δ`` itself).
    expected : mpmath.mpf or mpmath.mpc
        Weight the convolution has there (0 if none).
    got : mpmath.mpf or mpmath.mpc
        Weight the claimed result has there (0 if none).
    error : mpmath.mpf
        ``|got − expected| / max(1, |expected|)``.
    ok : bool
        ``error <= tol``.

    Examples
    --------
    >>> from sympy import Integer
    >>> from mpmath import mpf
    >>> ImpulseCheck(Integer(2), 0, mpf(1), mpf(1), mpf(0), True).order
    0
    """

    at: Expr
    order: int
    expected: object
    got: object
    error: object
    ok: bool



@dataclass(frozen=True, slots=True)
class VerifyReport:
    """What :func:`verify` found.  ``bool(report)`` is ``report.ok``.

    Attributes
    ----------
    ok : bool
        Every point and every impulse agrees within ``tol``, and nothing
        went wrong (no divergence, no time-out).
    max_error : mpmath.mpf
        Largest error ``|got − expected| / max(1, |expected|)`` over points
        and impulses.
    points : tuple of PointCheck
        One record per sample point.
    params : Mapping
        The values used for the parameters (symbol → SymPy number).
    impulses_ok : bool
        The impulses of the result are the expected ones.
    impulses : tuple of ImpulseCheck
        One record per impulse location and order.
    regions : int
        Number of regions (between breakpoints) that hold a sample point.
    tol : mpmath.mpf
        Tolerance used.
    notes : tuple of str
        Problems met (non-convergence, time limit, evaluation failures).

    Examples
    --------
    >>> from sympy import symbols
    >>> from symconv.functions import rect, tri
    >>> from symconv.numeric import verify
    >>> t = symbols("t", real=True)
    >>> report = verify(tri(t), rect(t), rect(t), t)
    >>> print(report)  # doctest: +ELLIPSIS
    ok: 12 points in 4 regions, max error ...
    >>> print(verify(tri(t) / 2, rect(t), rect(t), t).ok)
    False
    """

    ok: bool
    max_error: object
    points: tuple[PointCheck, ...]
    params: Mapping[Symbol, Expr]
    impulses_ok: bool
    impulses: tuple[ImpulseCheck, ...] = ()
    regions: int = 0
    tol: object = None
    notes: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return self.ok

    def __str__(self) -> str:
        head = "ok" if self.ok else "FAILED"
        what = f"{len(self.points)} points in {self.regions} regions"
        if self.impulses:
            what += f" and {len(self.impulses)} impulses"
        line = f"{head}: {what}, max error {mpmath.nstr(self.max_error, 2)}"
        if not self.ok:
            line += f" (tolerance {mpmath.nstr(self.tol, 2)})"
        if self.params:
            line += " with " + ", ".join(f"{k} = {v}" for k, v in self.params.items())
        lines = [line]
        lines += [_describe_point(p) for p in self.points if not p.ok]
        lines += [_describe_impulse(i) for i in self.impulses if not i.ok]
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)



def _describe_point(p: PointCheck) -> str:
    """One line for a failing point."""
    return (
        f"  t = {p.t}: expected {mpmath.nstr(p.expected, 12)}, "
        f"got {mpmath.nstr(p.got, 12)}, error {mpmath.nstr(p.error, 3)}"
    )



def _describe_impulse(i: ImpulseCheck) -> str:
    """One line for a failing impulse."""
    name = "DiracDelta" if i.order == 0 else f"DiracDelta^({i.order})"
    return (
        f"  impulse {name}(t - ({i.at})): expected weight "
        f"{mpmath.nstr(i.expected, 12)}, got {mpmath.nstr(i.got, 12)}"
    )



def _list_points(checks: list) -> str:
    shown = ", ".join(str(c.t) for c in checks[:4])
    more = f" and {len(checks) - 4} more" if len(checks) > 4 else ""
    return f"t = {shown}{more}"
