"""Time limits: ``with time_limit(seconds, what):`` bounds any computation.

Inside the block a :class:`~symconv.errors.TimeLimitError` naming ``what`` and the
limit is raised once ``seconds`` have passed. In the main thread of a Unix process
the block is interrupted by ``SIGALRM`` (``signal.setitimer``), so long pure-Python
or SymPy work stops wherever it is; elsewhere (another thread, Windows) the engine's
loops stop at their next :func:`check_deadline`. Limits nest: the earliest deadline
is the one in force, so an inner limit never extends an outer one, and the previous
handler and timer are restored on exit. The deadline lives in a
:class:`contextvars.ContextVar` (no mutable module state); forked helpers and
quadrature budgets ask :func:`remaining` so that they never outlive it.

Examples
--------
>>> from symconv.errors import TimeLimitError
>>> with time_limit(5, "a quick sum"):
...     sum(range(10))
45
>>> try:
...     with time_limit(0.05, "an endless loop"):
...         while True:
...             check_deadline()
... except TimeLimitError as err:
...     print(str(err).split(";")[0])
an endless loop did not finish within 0.05 s
>>> remaining() is None                      # no limit in force
True
"""

from __future__ import annotations

import contextvars
import math
import signal
import threading
import time
from contextlib import contextmanager
from numbers import Real

from symconv.errors import TimeLimitError, UnsupportedInputError

__all__ = ["time_limit", "check_deadline", "remaining", "check_timeout"]

#: After the alarm has raised, it fires again this often until the block is left, so
#: that an exception swallowed by a broad ``except`` somewhere does not let the work
#: run on unbounded.
_REFIRE = 0.1
#: When the alarm lands where raising is futile or harmful (a callback, an import), it
#: fires again this soon.
_SOON = 0.001


class _Deadline:
    """One limit in force: its monotonic end, its length and the operation it bounds."""

    __slots__ = ("at", "seconds", "what", "closed")

    def __init__(self, at, seconds, what):
        self.at = at
        self.seconds = seconds
        self.what = what
        self.closed = False  # set when its block exits: a late alarm is then ignored

    def error(self):
        return TimeLimitError(self.seconds, self.what)


_CURRENT = contextvars.ContextVar("symconv_deadline", default=None)


def check_timeout(timeout, name="timeout"):
    """``None`` (no limit) or the limit as a positive finite ``float``; anything else is
    refused with :class:`~symconv.errors.UnsupportedInputError`.

    >>> check_timeout(2), check_timeout(None), check_timeout(1e300) == MAX_TIMEOUT
    (2.0, None, True)
    >>> check_timeout(-1)
    Traceback (most recent call last):
    ...
    symconv.errors.UnsupportedInputError: timeout=-1 is not accepted: ...
    """
    if timeout is None:
        return None
    if isinstance(timeout, bool) or not isinstance(timeout, Real) or not timeout > 0 \
            or not math.isfinite(timeout):
        raise UnsupportedInputError(
            f"{name}={timeout!r} is not accepted: give None (no limit) or a positive, "
            "finite number of seconds, e.g. 30 or 0.5"
        )
    return min(float(timeout), MAX_TIMEOUT)


#: Longer limits are this one (a year): the timers cannot hold 1e300 s, and no run is
#: that long.
MAX_TIMEOUT = 365 * 24 * 3600.0


def remaining():
    """Seconds left before the deadline in force (at least 0), or ``None`` without one.

    >>> with time_limit(10):
    ...     0 < remaining() <= 10
    True
    """
    d = _CURRENT.get()
    if d is None or d.closed:
        return None
    return max(0.0, d.at - time.monotonic())


def check_deadline():
    """Raise :class:`~symconv.errors.TimeLimitError` if the deadline in force has passed.

    Cheap (a context-variable read and a clock read); the engine calls it in its loops
    so that a limit also holds where no alarm signal can be delivered.
    """
    d = _CURRENT.get()
    if d is not None and not d.closed and time.monotonic() >= d.at:
        raise d.error()


def _on_alarm(signum, frame):
    d = _CURRENT.get()
    if d is None or d.closed:
        return  # a late alarm for a block already left
    left = d.at - time.monotonic()
    if left > 0:  # early (timer granularity): wait for the rest
        signal.setitimer(signal.ITIMER_REAL, left)
        return
    if _in_callback(frame):  # an exception there would be swallowed: fire again at once,
        signal.setitimer(signal.ITIMER_REAL, _SOON)  # to raise it outside the callback
        return
    signal.setitimer(signal.ITIMER_REAL, _REFIRE)
    raise d.error()


#: Where an exception raised by the alarm would be "ignored" (printed as unraisable and
#: lost): weak-reference callbacks and the garbage collector's callbacks.
_CALLBACK_FILES = ("weakref.py", "_weakrefset.py")


def _in_callback(frame, depth=3):
    """Whether the interrupted code is (just) inside such a callback, or anywhere inside
    an ``import``: an exception there leaves a module half-initialised, and the next
    import of it fails with an unrelated error (the limit is raised once it is done)."""
    for level in range(1000):
        if frame is None:
            return False
        code = frame.f_code
        if code.co_filename.startswith("<frozen importlib"):
            return True
        if level < depth and (code.co_filename.endswith(_CALLBACK_FILES)
                              or code.co_name.endswith("callback") or code.co_name == "__del__"):
            return True
        frame = frame.f_back
    return False


def _can_signal():
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


def _take_alarm(d):
    """Point ``SIGALRM`` at :func:`_on_alarm` (the timer is started by the caller);
    returns what to restore, or ``None`` when the block relies on
    :func:`check_deadline` alone (not the main thread, or a foreign timer that fires
    first and keeps its own handler)."""
    if not _can_signal():
        return None
    old_handler = signal.getsignal(signal.SIGALRM)
    delay, interval = signal.getitimer(signal.ITIMER_REAL)
    if old_handler is None or (delay and old_handler is not _on_alarm
                               and delay <= d.at - time.monotonic()):
        return None
    started = time.monotonic()
    signal.signal(signal.SIGALRM, _on_alarm)
    return old_handler, delay, interval, started


def _disarm(saved):
    """Undo :func:`_take_alarm`: the previous handler, and the previous timer with its time
    reduced by what has elapsed (an expired one fires at once)."""
    old_handler, delay, interval, started = saved
    signal.setitimer(signal.ITIMER_REAL, 0)
    signal.signal(signal.SIGALRM, old_handler)
    if delay:
        left = delay - (time.monotonic() - started)
        signal.setitimer(signal.ITIMER_REAL, max(left, 1e-6), interval)


@contextmanager
def time_limit(seconds, what="the computation"):
    """Bound the ``with`` block to ``seconds`` (``None``: no limit of its own).

    Parameters
    ----------
    seconds : float or None
        A positive, finite number of seconds (see :func:`check_timeout`).
    what : str
        The operation, for the message (``"the convolution"``).

    Raises
    ------
    TimeLimitError
        When the time is up (``err.seconds``, ``err.what`` name the limit).

    Examples
    --------
    >>> from symconv.errors import TimeLimitError
    >>> try:
    ...     with time_limit(10, "the outer job"):
    ...         with time_limit(0.05, "the inner step"):
    ...             while True:
    ...                 pass
    ... except TimeLimitError as err:
    ...     err.what
    'the inner step'
    """
    seconds = check_timeout(seconds)
    if seconds is None:
        yield
        return
    d = _Deadline(time.monotonic() + seconds, seconds, what)
    outer = _CURRENT.get()
    if outer is not None and not outer.closed and outer.at <= d.at:
        yield  # the outer limit ends first and stays in force
        return
    token = _CURRENT.set(d)
    saved = _take_alarm(d)
    try:
        if saved is not None:
            signal.setitimer(signal.ITIMER_REAL, max(d.at - time.monotonic(), 1e-6))
        yield
    finally:
        d.closed = True  # from here on an alarm for d is ignored
        try:
            if saved is not None:
                _disarm(saved)
        finally:
            _CURRENT.reset(token)
