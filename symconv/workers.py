"""Long-lived worker processes with a time and a memory limit on every task.

A hostile input can make any computation slow or huge: a big-integer or flint call
that ``signal.alarm`` cannot interrupt, an expression that eats all memory. Work
that must never stop a batch (grading a class, a web request) runs here: each task
goes to a worker process (forked once, reused for many tasks) that sets its memory
limit (``RLIMIT_AS``) at start and bounds each task with
:func:`~symconv.limits.time_limit`; the parent kills a worker that overruns its
limit by a grace period, or that runs out of memory, and starts a fresh one. Every
task ends with exactly one :class:`Outcome`.

Examples
--------
>>> with WorkerPool(workers=2) as pool:
...     outcomes = dict(pool.map(pow, [(2, 10), (3, 4)], timeout=5))
>>> [outcomes[i].value for i in (0, 1)]
[1024, 81]
>>> with WorkerPool(workers=1) as pool:
...     [(i, o.status) for i, o in pool.map(_sleep_forever, [()], timeout=0.2)]
[(0, 'timeout')]
"""

from __future__ import annotations

import multiprocessing as mp
import os
import pickle
import select
import signal
import time
from dataclasses import dataclass
from multiprocessing.connection import wait

from symconv.errors import TimeLimitError, UnsupportedInputError
from symconv.limits import check_timeout, time_limit

__all__ = ["Outcome", "WorkerPool", "run_isolated", "limit_memory", "check_memory"]

#: A worker that has not answered this long after its task's limit is killed.
GRACE = 1.0


@dataclass(frozen=True, slots=True)
class Outcome:
    """How one task ended.

    ``status`` is ``"ok"`` (``value`` holds the result), ``"error"`` (the task raised;
    ``message`` names the exception), ``"timeout"``, ``"memory"`` (the memory limit
    was reached) or ``"crashed"`` (the worker died; ``message`` gives its exit code).
    """

    status: str
    value: object = None
    message: str = ""


def check_memory(memory_mb):
    """``memory_mb`` if it is ``None`` or an integer of at least 64 (megabytes); else
    :class:`~symconv.errors.UnsupportedInputError`.

    >>> check_memory(2048)
    2048
    """
    if memory_mb is not None and (not isinstance(memory_mb, int) or isinstance(memory_mb, bool)
                                  or memory_mb < 64):
        raise UnsupportedInputError(
            f"memory_mb must be an integer >= 64 (megabytes), got {memory_mb!r}")
    return memory_mb


def limit_memory(memory_mb):
    """Cap this process's address space at ``memory_mb`` megabytes (``None``: no cap)."""
    if memory_mb is None:
        return
    try:
        import resource

        limit = int(memory_mb) * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):  # pragma: no cover - platform dependent
        pass


def _run_task(fn, args, timeout):
    """``(Outcome, leave)``: ``fn(*args)`` under the time limit; ``leave`` when the
    process ran out of memory and should not be reused."""
    try:
        with time_limit(timeout, "the task"):
            return Outcome("ok", fn(*args)), False
    except TimeLimitError:
        return Outcome("timeout"), False
    except MemoryError:
        return Outcome("memory", message="memory limit exceeded"), True
    except RecursionError:
        return Outcome("error", message="internal error: RecursionError"), False
    except Exception as err:  # noqa: BLE001 - reported, never crashes the worker
        return Outcome("error", message=f"{type(err).__name__}: {err}"), False


def _serve(conn, memory_mb):
    """A worker's life: run tasks from ``conn`` until told to stop (``None``)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    limit_memory(memory_mb)
    parent = os.getppid()
    common = ()
    while True:
        try:
            if not conn.poll(1.0):
                if os.getppid() != parent:  # the parent died (a hard kill): leave too
                    return
                continue
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        if task[0] == "common":  # the arguments every task of a map call ends with
            common = task[1]
            continue
        fn, args, timeout = task
        out, leave = _run_task(fn, (*args, *common), timeout)
        try:
            conn.send(out)
        except MemoryError:
            conn.send(Outcome("memory", message="memory limit exceeded"))
            leave = True
        except Exception as err:  # noqa: BLE001 - e.g. a result that cannot be pickled
            conn.send(Outcome("error", message=f"cannot return the result: {err}"))
        if leave:  # a worker that ran out of memory may be left damaged: start afresh
            return


def _sleep_forever():  # for the module's example
    while True:
        time.sleep(1)


class _Worker:
    __slots__ = ("process", "conn", "task", "deadline", "common")

    def __init__(self, ctx, memory_mb):
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_serve, args=(child, memory_mb), daemon=True)
        self.process.start()
        child.close()
        self.task = None  # the index of the task it runs, or None when idle
        self.deadline = None
        self.common = ()  # the common arguments it holds

    def share(self, common):
        """Send the arguments that every following task ends with (once per map call)."""
        self.conn.send(("common", common))

    def give(self, index, fn, args, timeout):
        self.task = index
        self.deadline = None if timeout is None else time.monotonic() + timeout + GRACE
        self.conn.send((fn, args, timeout))

    def kill(self):
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()

    def stop(self):
        try:
            self.conn.send(None)
        except (OSError, ValueError):
            pass
        self.process.join(1)
        self.kill()


class WorkerPool:
    """``workers`` long-lived processes, each with ``memory_mb`` of address space.

    Use it as a context manager; :meth:`map` runs tasks and yields ``(index, Outcome)``
    as they finish. A worker is replaced only after a timeout, a memory kill or a
    crash. On Unix the workers are forked, so they share what the parent has
    imported and start in milliseconds.
    """

    def __init__(self, workers=2, *, memory_mb=2048):
        if not isinstance(workers, int) or isinstance(workers, bool) or workers < 1:
            raise UnsupportedInputError(f"workers must be an integer >= 1, got {workers!r}")
        check_memory(memory_mb)
        self._size = workers
        self._memory_mb = memory_mb
        methods = mp.get_all_start_methods()
        self._ctx = mp.get_context("fork" if "fork" in methods else methods[0])
        self._workers = []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close(kill=exc[0] is not None)

    def close(self, kill=False):
        """Stop every worker (at once with ``kill=True``)."""
        for w in self._workers:
            w.kill() if kill else w.stop()
        self._workers = []

    def map(self, fn, arglists, *, timeout=None, common=()):
        """Run ``fn(*args, *common)`` for each ``args`` in ``arglists``; yield
        ``(index, Outcome)`` in the order the tasks finish. ``timeout`` (seconds or
        ``None``) bounds each task; ``common`` goes to each worker once, not with every
        task (a large shared argument, such as the truth an answer is checked against).
        """
        timeout = check_timeout(timeout)
        pending = list(enumerate(arglists))
        pending.reverse()  # pop() from the end takes them in order
        while len(self._workers) < min(self._size, len(pending)):
            self._workers.append(_Worker(self._ctx, self._memory_mb))
        busy = 0
        while pending or busy:
            for w in self._workers:
                if w.task is None and pending:
                    index, args = pending.pop()
                    if w.common is not common:
                        w.share(common)
                        w.common = common
                    w.give(index, fn, tuple(args), timeout)
                    busy += 1
            for index, out in self._collect():
                busy -= 1
                yield index, out

    def _collect(self):
        """``(task index, Outcome)`` of the tasks that finished or overran their limit;
        their workers are idle again, or replaced when killed, out of memory or dead."""
        running = [w for w in self._workers if w.task is not None]
        deadlines = [w.deadline for w in running if w.deadline is not None]
        wait_for = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
        ready = wait([w.conn for w in running], wait_for)
        done = []
        for i, w in enumerate(self._workers):
            if w.task is None:
                continue
            killed = False
            if w.conn in ready:
                try:
                    out = w.conn.recv()
                    if out.status == "ok" and w.deadline is not None and \
                            time.monotonic() > w.deadline - GRACE:
                        out = Outcome("timeout")  # finished, but after its limit
                except (EOFError, OSError):
                    w.process.join(1)
                    out = Outcome("crashed",
                                  message=f"the worker died (exit code {w.process.exitcode})")
            elif w.deadline is not None and time.monotonic() >= w.deadline:
                out, killed = Outcome("timeout"), True
            else:
                continue
            done.append((w.task, out))
            w.task = w.deadline = None
            if killed or out.status in ("memory", "crashed") or not w.process.is_alive():
                w.kill()
                self._workers[i] = _Worker(self._ctx, self._memory_mb)
        return done


def run_isolated(fn, args, *, timeout=None, memory_mb=2048):
    """Run ``fn(*args)`` once in a forked child under the limits; the :class:`Outcome`.

    For executors whose tasks run in threads or in daemonic processes (Dask's workers,
    thread pools), where a time limit by signal cannot reach and :mod:`multiprocessing`
    may not start children: the child is made with :func:`os.fork` itself (on Unix).

    >>> run_isolated(divmod, (17, 5), timeout=5).value
    (3, 2)
    """
    timeout = check_timeout(timeout)
    if not hasattr(os, "fork"):  # pragma: no cover - Windows: a one-worker pool
        with WorkerPool(1, memory_mb=memory_mb) as pool:
            for _, out in pool.map(fn, [args], timeout=timeout):
                return out
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child (coverage does not follow)
        _isolated_child(read_end, write_end, fn, args, timeout, memory_mb)
    os.close(write_end)
    started = time.monotonic()
    deadline = None if timeout is None else started + timeout + GRACE
    data = _read_until(read_end, deadline)
    os.close(read_end)
    if data is None:
        os.kill(child, signal.SIGKILL)
    _, status = os.waitpid(child, 0)
    if data is None:
        return Outcome("timeout")
    if not data:
        code = os.waitstatus_to_exitcode(status)
        return Outcome("crashed", message=f"the worker died (exit code {code})")
    out = pickle.loads(data)
    if out.status == "ok" and timeout is not None and time.monotonic() > started + timeout:
        return Outcome("timeout")  # finished, but after its limit
    return out


def _isolated_child(read_end, write_end, fn, args, timeout, memory_mb):  # pragma: no cover
    code = 0
    try:
        os.close(read_end)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        limit_memory(memory_mb)
        out, _ = _run_task(fn, args, timeout)
        try:
            data = pickle.dumps(out)
        except Exception as err:  # noqa: BLE001 - a result that cannot be pickled
            data = pickle.dumps(Outcome("error", message=f"cannot return the result: {err}"))
        with os.fdopen(write_end, "wb") as fh:
            fh.write(data)
    except BaseException:  # noqa: BLE001 - the parent sees an empty answer: crashed
        code = 70
    finally:
        os._exit(code)


def _read_until(fd, deadline):
    """Everything the child writes on ``fd`` until it closes it, or ``None`` when the
    deadline passes first."""
    chunks = []
    while True:
        wait_for = None if deadline is None else max(0.0, deadline - time.monotonic())
        ready, _, _ = select.select([fd], [], [], wait_for)
        if not ready:
            return None
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def pid():  # pragma: no cover - a helper for tests that look at worker reuse
    """The current process id (a picklable task for tests)."""
    return os.getpid()
