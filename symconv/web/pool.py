"""Bounded work for the page: each request runs in its own worker process.

A worker is forked, for each request, from a *fork server* that has imported symconv
once (so a fork costs milliseconds and starts with no threads of the web server). In the
worker the address space is capped (``RLIMIT_AS``) and the computation runs under
:func:`symconv.limits.time_limit`; should it not return in time (a long big-integer or
flint call that the alarm cannot interrupt), the server kills the process a moment
later. At most ``workers`` processes run at once and at most ``queue`` requests wait for
one, so a burst of slow requests costs a bounded amount and never stops the server
answering; a request beyond the queue is told the server is busy.

Examples
--------
>>> import asyncio
>>> pool = WorkerPool(workers=1, timeout=20)
>>> status, body = asyncio.run(pool.run("law", {"law": "Die(6) + Die(6)"}))
>>> status, body["mean"]
(200, '7')
>>> status, body = asyncio.run(pool.run("law", {"law": "Die(6) +"}))
>>> status, body["error"].splitlines()[0]
(400, 'error in the law: cannot read this law')
"""

from __future__ import annotations

import asyncio
import multiprocessing as mp
import sys
import traceback

from symconv.errors import (
    ParseError,
    SymconvError,
    TimeLimitError,
    UnsupportedInputError,
)
from symconv.limits import check_timeout

__all__ = ["WorkerPool"]

#: What each request computes, for the time-limit message.
_WHAT = {"convolution": "the convolution", "check": "checking the answer",
         "law": "the law of the sum"}
#: Seconds the server waits past the time limit before it kills a worker.
_GRACE = 2.0


def _message(err, which=None):
    which = getattr(err, "which", None) or which
    prefix = f"error in {which}: " if which else "error: "
    return prefix + str(err)


def _compute(what, data, seconds):
    """``(status, body)`` of one request, computed here (in the worker)."""
    from sympy.core.facts import InconsistentAssumptions

    from symconv.limits import time_limit
    from symconv.web import work

    try:
        with time_limit(seconds, _WHAT[what]):
            return 200, getattr(work, what)(data)
    except InconsistentAssumptions as err:
        return 400, {"error": f"error: contradictory assumptions ({str(err).splitlines()[0]})"}
    except ParseError as err:
        return 400, {"error": _message(err, "the law" if what == "law" else None)}
    except UnsupportedInputError as err:
        return 400, {"error": _message(err)}
    except TimeLimitError as err:
        return 504, {"error": f"error: {err}"}
    except SymconvError as err:
        return 422, {"error": _message(err)}
    except RecursionError:
        return 400, {"error": "error: the input is nested too deeply"}
    except MemoryError:
        return 507, {"error": "error: the computation needs more memory than a request may use"}


def _child(conn, what, data, seconds, memory_mb):
    """The worker: limits, the computation, the answer sent back (never a traceback)."""
    from symconv.workers import limit_memory

    limit_memory(memory_mb)
    if hasattr(sys, "set_int_max_str_digits"):
        sys.set_int_max_str_digits(0)  # exact results may have long integers
    try:
        out = _compute(what, data, seconds)
    except Exception as err:  # noqa: BLE001 - the page gets a message, the log the details
        traceback.print_exc(file=sys.stderr)
        out = (500, {"error": f"internal error ({type(err).__name__}); the input may be "
                              "outside what symconv handles"})
    try:
        conn.send(out)
    except Exception:  # noqa: BLE001 - an answer that cannot be sent
        conn.send((500, {"error": "internal error: the answer could not be sent"}))
    conn.close()


class WorkerPool:
    """Run :mod:`symconv.web.work` requests in limited worker processes.

    Parameters
    ----------
    workers : int
        Requests computed at once.
    timeout : float
        Seconds a request may compute (its worker is killed ``2`` s later).
    memory_mb : int
        Address space of a worker, in MB.
    queue : int
        Requests that may wait for a worker; beyond, the answer is "busy" (503).
    """

    def __init__(self, workers=2, timeout=10.0, memory_mb=2048, queue=64):
        if not isinstance(workers, int) or workers < 1:
            raise UnsupportedInputError(f"workers must be a whole number >= 1, got {workers!r}")
        self.workers = workers
        self.timeout = check_timeout(timeout)
        if self.timeout is None:
            raise UnsupportedInputError("the web server needs a time limit (timeout=None)")
        self.memory_mb = memory_mb
        self.queue = queue
        self._ctx = mp.get_context("forkserver")
        self._ctx.set_forkserver_preload(["symconv.web.work", "symconv.web.pool"])
        self._slots = None
        self._waiting = 0

    async def run(self, what, data):
        """``(status, body)``: 200 and the result, or an error status and ``{"error": ...}``."""
        if what not in _WHAT:
            return 404, {"error": f"error: unknown request {what!r}"}
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.workers)
        if self._waiting >= self.queue + self.workers:
            return 503, {"error": "error: the server is busy; try again in a moment"}
        self._waiting += 1
        try:
            async with self._slots:
                return await self._run_one(what, data)
        finally:
            self._waiting -= 1

    async def _run_one(self, what, data):
        loop = asyncio.get_running_loop()
        parent, child = self._ctx.Pipe(duplex=False)
        proc = self._ctx.Process(target=_child, daemon=True,
                                 args=(child, what, data, self.timeout, self.memory_mb))
        ready = loop.create_future()
        try:
            await asyncio.to_thread(proc.start)  # the first start launches the fork server
            child.close()
            loop.add_reader(parent.fileno(), lambda: ready.done() or ready.set_result(None))
            try:
                await asyncio.wait_for(ready, self.timeout + _GRACE)
            except asyncio.TimeoutError:
                proc.kill()
                return 504, {"error": f"error: {_WHAT[what]} did not finish within "
                                      f"{self.timeout:g} s and was stopped"}
            finally:
                loop.remove_reader(parent.fileno())
            try:
                return parent.recv()
            except (EOFError, OSError):
                await asyncio.to_thread(proc.join, 1)
                code = proc.exitcode
                return 507 if code == -9 else 500, {
                    "error": "error: the computation stopped (it may have needed more memory "
                             f"than a request may use; exit code {code})"}
        finally:
            parent.close()
            if proc.is_alive():
                proc.kill()
            if proc.pid is not None:
                await asyncio.to_thread(proc.join, 2)
