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
    "DistributionError",
    "ParseError",
    "UnsupportedInputError",
    "DivergenceError",
    "UndecidableError",
    "UndecidableOrderError",
    "VerificationError",
    "TimeLimitError",
]


class SymconvError(Exception):
    """Base class of every error raised by symconv."""


class UnsupportedInputError(SymconvError, ValueError):
    """The input lies outside what symconv can represent.

    ``expr`` is the offending sub-expression (a SymPy object) when there is one;
    ``limit`` names the size limit it exceeds (e.g. ``"MAX_WORK"``) when that is why
    it was refused.
    """

    def __init__(self, message: str, expr: object = None, limit: str | None = None) -> None:
        super().__init__(message)
        self.expr = expr
        self.limit = limit


class ParseError(SymconvError, ValueError):
    """Text that is not a valid symconv expression.

    ``text``, ``position`` (0-based character offset) and ``hint`` say where and
    why; ``str()`` shows the message, the text and a caret under the position.

    >>> print(ParseError("unbalanced parenthesis", "rect(t", 6, "expected ')' here"))
    unbalanced parenthesis
      rect(t
            ^ expected ')' here
    """

    def __init__(self, message: str, text: str = "", position: int = 0, hint: str = "") -> None:
        self.message = message
        self.text = text
        self.position = position
        self.hint = hint
        super().__init__(self._render())

    def _render(self) -> str:
        if not self.text:
            return self.message + (f" ({self.hint})" if self.hint else "")
        line_start = self.text.rfind("\n", 0, self.position) + 1
        line_end = self.text.find("\n", self.position)
        line = self.text[line_start : line_end if line_end >= 0 else len(self.text)]
        col = self.position - line_start
        if len(line) > 70:  # show a window around the position
            lo = max(0, col - 35)
            line = line[lo : lo + 70]
            col -= lo
        caret = " " * col + "^" + (f" {self.hint}" if self.hint else "")
        return f"{self.message}\n  {line}\n  {caret}"

    def __str__(self) -> str:
        return self._render()


class DistributionError(SymconvError, ValueError):
    """An invalid probability law: a negative mass, a total mass that is not 1, or a
    parameter outside its range (a negative rate, p > 1, ...)."""


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


class UndecidableOrderError(UndecidableError):
    """The order of two symbolic breakpoints (or the sign of a parameter
    expression) is not decided by the assumptions. ``condition`` is the relation
    that would decide it (e.g. ``T1 < T2``); ``lin`` is the internal linear form
    of ``lhs - rhs``. ``convolve(..., conditions="piecewise")`` splits on it;
    ``conditions="raise"`` lets it through."""

    def __init__(self, message: str, condition: object = None, lin: object = None) -> None:
        super().__init__(message, condition)
        self.lin = lin


class VerificationError(SymconvError, AssertionError):
    """A symbolic result disagrees with its independent numeric check.

    ``report`` is the :class:`symconv.numeric.report.VerifyReport` that failed.
    """

    def __init__(self, message: str, report: object = None) -> None:
        super().__init__(message)
        self.report = report


class TimeLimitError(SymconvError, TimeoutError):
    """A computation ran past its time limit (``timeout=`` / ``--timeout``) and was stopped.

    ``seconds`` is the limit and ``what`` the operation it bounded.

    >>> err = TimeLimitError(5, "the convolution")
    >>> str(err).split(";")[0], isinstance(err, TimeoutError)
    ('the convolution did not finish within 5 s', True)
    """

    def __init__(self, seconds: float, what: str = "the computation") -> None:
        super().__init__(
            f"{what} did not finish within {seconds:g} s; give it more time "
            "(timeout=, --timeout) or a smaller input"
        )
        self.seconds = seconds
        self.what = what

    def __reduce__(self):
        return type(self), (self.seconds, self.what)
