"""The signal vocabulary as SymPy functions: ``u``, ``rect``, ``tri``, ``ramp``, ``delta``.

They print, differentiate and evaluate at numbers like SymPy's own functions,
and rewrite to ``Heaviside`` or ``Piecewise`` for interoperability.

Conventions (values at jump points are a convention; convolutions do not depend
on them):

* ``u(x)``: 0 for ``x < 0``, 1 for ``x >= 0`` (right-continuous unit step).
* ``rect(x)``: 1 for ``|x| < 1/2``, 1/2 at ``|x| = 1/2``, 0 outside.
* ``tri(x)``: ``1 - |x|`` for ``|x| < 1``, 0 outside.
* ``ramp(x)``: ``x u(x)``.
* ``delta``: SymPy's ``DiracDelta`` (``delta(x, k)`` is the k-th derivative).

Examples
--------
>>> from sympy import Rational, symbols, diff
>>> from symconv.functions import u, rect, tri, ramp
>>> t = symbols("t", real=True)
>>> u(0), rect(Rational(1, 4)), tri(Rational(-1, 2)), ramp(3)
(1, 1, 1/2, 3)
>>> diff(ramp(t), t)
u(t)
>>> rect(t).rewrite("Heaviside")
-Heaviside(t - 1/2, 1) + Heaviside(t + 1/2, 1)
"""

from __future__ import annotations

from sympy import (
    Abs,
    DiracDelta,
    Eq,
    Function,
    Heaviside,
    Piecewise,
    Rational,
    S,
)

__all__ = ["u", "rect", "tri", "ramp", "delta"]

_HALF = Rational(1, 2)

#: The Dirac delta; ``delta(x, k)`` is its k-th derivative.
delta = DiracDelta


def _real_number(x):
    """``x`` if it is a real number SymPy can compare, else ``None``."""
    if x.is_number and x.is_extended_real:
        return x
    return None


class _Printable(Function):
    """Code printers (``lambdify`` with NumPy, mpmath, math, SciPy, ...) print the
    function as its ``Piecewise``: NumPy's ``select``, a conditional expression for
    scalars. ``sympy.plot`` and ``lambdify`` then work without a rewrite first.

    >>> from sympy import lambdify, symbols
    >>> x = symbols("x", real=True)
    >>> lambdify(x, rect(x) + ramp(x), "math")(0.25)
    1.25
    """

    def _code(self, printer, *args, **kwargs):
        return printer._print(self._code_form())

    def _code_form(self):
        return self.rewrite(Piecewise)

    _pythoncode = _numpycode = _mpmathcode = _lambdacode = _numexprcode = _code
    _tensorflowcode = _scipycode = _cupycode = _jaxcode = _code


class u(_Printable):  # noqa: N801 - the field's name for the unit step
    """Unit step ``u(x)``: 0 for ``x < 0`` and 1 for ``x >= 0``.

    Examples
    --------
    >>> from sympy import symbols
    >>> x = symbols("x", real=True)
    >>> u(-1), u(0), u(x).diff(x)
    (0, 1, DiracDelta(x))
    """

    nargs = 1

    @classmethod
    def eval(cls, x):
        x = _real_number(x)
        if x is None:
            return None
        if x.is_extended_negative:
            return S.Zero
        if x.is_extended_nonnegative:
            return S.One
        return None

    def fdiff(self, argindex=1):
        return DiracDelta(self.args[0])

    def _eval_rewrite_as_Heaviside(self, x, **kwargs):
        return Heaviside(x, 1)

    def _eval_rewrite_as_Piecewise(self, x, **kwargs):
        return Piecewise((0, x < 0), (1, True))

    def _eval_is_real(self):
        return self.args[0].is_extended_real

    def _eval_is_nonnegative(self):
        return self.args[0].is_extended_real


class rect(_Printable):  # noqa: N801
    """Rectangle ``rect(x)``: 1 for ``|x| < 1/2``, 0 for ``|x| > 1/2``.

    Examples
    --------
    >>> from sympy import Rational
    >>> rect(0), rect(1), rect(Rational(1, 2))
    (1, 0, 1/2)
    """

    nargs = 1

    @classmethod
    def eval(cls, x):
        x = _real_number(x)
        if x is None:
            return None
        a = Abs(x)
        if (a < _HALF) == S.true:
            return S.One
        if (a > _HALF) == S.true:
            return S.Zero
        if (a - _HALF).is_zero:
            return _HALF
        return None

    def fdiff(self, argindex=1):
        x = self.args[0]
        return DiracDelta(x + _HALF) - DiracDelta(x - _HALF)

    def _eval_rewrite_as_Heaviside(self, x, **kwargs):
        return Heaviside(x + _HALF, 1) - Heaviside(x - _HALF, 1)

    def _eval_rewrite_as_Piecewise(self, x, **kwargs):
        return Piecewise((0, x < -_HALF), (1, x < _HALF), (0, True))

    def _eval_is_real(self):
        return self.args[0].is_extended_real


    def _code_form(self):
        # the values at the edges as eval gives them (1/2), for numbers as for symbols
        x = self.args[0]
        half = S.Half
        return Piecewise((0, x < -half), (half, Eq(x, -half)), (1, x < half),
                         (half, Eq(x, half)), (0, True))


class tri(_Printable):  # noqa: N801
    """Triangle ``tri(x)``: ``1 - |x|`` for ``|x| < 1``, 0 outside.

    Examples
    --------
    >>> tri(0), tri(2)
    (1, 0)
    """

    nargs = 1

    @classmethod
    def eval(cls, x):
        x = _real_number(x)
        if x is None:
            return None
        a = Abs(x)
        if (a < 1) == S.true:
            return 1 - a
        return S.Zero

    def fdiff(self, argindex=1):
        x = self.args[0]
        return rect(x + _HALF) - rect(x - _HALF)

    def _eval_rewrite_as_Heaviside(self, x, **kwargs):
        return (
            (x + 1) * Heaviside(x + 1, 1)
            - 2 * x * Heaviside(x, 1)
            + (x - 1) * Heaviside(x - 1, 1)
        )

    def _eval_rewrite_as_Piecewise(self, x, **kwargs):
        return Piecewise((0, x < -1), (1 + x, x < 0), (1 - x, x < 1), (0, True))

    def _eval_is_real(self):
        return self.args[0].is_extended_real


class ramp(_Printable):  # noqa: N801
    """Ramp ``ramp(x) = x u(x)``.

    Examples
    --------
    >>> ramp(-2), ramp(5)
    (0, 5)
    """

    nargs = 1

    @classmethod
    def eval(cls, x):
        x = _real_number(x)
        if x is None:
            return None
        if x.is_extended_negative:
            return S.Zero
        if x.is_extended_nonnegative:
            return x
        return None

    def fdiff(self, argindex=1):
        return u(self.args[0])

    def _eval_rewrite_as_Heaviside(self, x, **kwargs):
        return x * Heaviside(x, 1)

    def _eval_rewrite_as_Piecewise(self, x, **kwargs):
        return Piecewise((0, x < 0), (x, True))

    def _eval_is_real(self):
        return self.args[0].is_extended_real
