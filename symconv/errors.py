"""Every error symconv raises.

Each error is a :class:`SymconvError` *and* the matching built-in exception, so
callers can catch either. Messages say what was received, what is accepted and
how to fix the call.

Examples
--------
>>> from symconv.errors import DivergenceError, SymconvError
>>> issubclass(DivergenceError, SymconvError), issubclass(DivergenceError, ArithmeticError)
(True, True)
"""

from __future__ import annotations

__all__ = [
    "SymconvError",
    "UnsupportedInputError",
    "DivergenceError",
    "UndecidableError",
    "VerificationError",
]


class SymconvError(Exception):
    """Base class of every error raised by symconv."""


class UnsupportedInputError(SymconvError, ValueError):
    """The input lies outside what symconv can represent.

    ``expr`` is the offending sub-expression (a SymPy object) when there is one.
    """

    def __init__(self, message: str, expr: object = None) -> None:
        super().__init__(message)
        self.expr = expr


class DivergenceError(SymconvError, ArithmeticError):
    """The convolution integral (or sum) does not converge, or convergence
    depends on a condition that the assumptions do not decide.

    ``condition`` is the condition under which it would converge, or ``None``
    when it never does.
    """

    def __init__(self, message: str, condition: object = None) -> None:
        super().__init__(message)
        self.condition = condition


class UndecidableError(SymconvError, ValueError):
    """A case split on symbolic parameters was needed but ``conditions='raise'``
    was requested. ``condition`` names the comparison that needs an assumption."""

    def __init__(self, message: str, condition: object = None) -> None:
        super().__init__(message)
        self.condition = condition


class VerificationError(SymconvError, AssertionError):
    """A symbolic result disagrees with its independent numeric check.

    ``report`` is the :class:`symconv.numeric.VerifyReport` that failed.
    """

    def __init__(self, message: str, report: object = None) -> None:
        super().__init__(message)
        self.report = report
