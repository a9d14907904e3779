"""Batch grading: one problem, many answers, each checked under a time and a memory limit.

The truth (f * g, or the problem's reference) is computed once, itself under the
limits; every answer is then checked in a long-lived worker process
(:class:`~symconv.workers.WorkerPool`), so a hostile or pathological answer is
stopped, reported and never stops the batch. With ``executor=`` the answers go to
any :mod:`concurrent.futures`-style executor instead, for instance a
``dask.distributed.Client`` for a course too big for one machine; each task then
checks its answer in a forked child under the same limits.

The files are described in :mod:`symconv.teaching.classfile`; a whole run on files,
crash-safe and resumable, is :func:`symconv.teaching.gradebook.grade_files`.

Every row of the result has ``line`` (where the record starts in the answers file;
the position for a plain list), ``id``, ``verdict`` (``correct``, ``incorrect``,
``error`` for an answer that cannot be checked, ``timeout``, ``unreadable`` for a
record that cannot be read, ``blank`` for a blank line), ``score`` (the fraction of
the truth's regions that agree), ``message`` and ``hints``.

Examples
--------
>>> problem = {"f": "rect(t)", "g": "rect(t)"}
>>> rows = grade(problem, [("ann", "tri(t)"), ("bob", "rect(t)")], workers=1)
>>> [(r["line"], r["id"], r["verdict"]) for r in rows]
[(1, 'ann', 'correct'), (2, 'bob', 'incorrect')]
"""

from __future__ import annotations

import time

from symconv.errors import SymconvError, TimeLimitError, UnsupportedInputError
from symconv.limits import check_timeout, time_limit
from symconv.teaching.classfile import BLANK, Record, validate_problem
from symconv.workers import Outcome, WorkerPool, check_memory, run_isolated

__all__ = ["grade", "iter_grade", "compute_truth", "FIELDS", "VERDICTS"]

#: The columns of a report, in order.
FIELDS = ("line", "id", "verdict", "score", "message", "hints")
#: Every verdict a row can have.
VERDICTS = ("correct", "incorrect", "error", "timeout", "unreadable", "blank")


def _parse_problem(problem):
    """The problem's signals, parsed here (the parser is bounded: caps on length, depth
    and size), so that a typing error is reported as the :class:`ParseError` it is."""
    from symconv.parsing.assumptions import parse_assumptions, parse_relations
    from symconv.parsing.parser import make_symbol, parse

    validate_problem(problem)
    rel_items = []  # relations such as T1 < T2 (chains too), as --assume takes them
    assumptions = parse_assumptions(problem.get("assume", ""), rel_items)
    name = problem.get("var", "t")
    var = make_symbol(name, {name: assumptions.pop(name, {})})
    kind = problem.get("kind", "convolution")
    f = parse(problem["f"], var, assumptions=assumptions) if "f" in problem else None
    g = parse(problem["g"], var, assumptions=assumptions) if "g" in problem else None
    reference = (parse(problem["reference"], var, assumptions=assumptions)
                 if "reference" in problem else None)
    rels = tuple(parse_relations(rel_items, var, assumptions, problem.get("assume", "")))
    return var, assumptions, f, g, kind, reference, rels


def _truth(var, assumptions, f, g, kind, reference, rels=()):
    """In a worker: the truth and what checking an answer needs, or the error."""
    from symconv.api import convolve, correlate
    from symconv.teaching.check import _generic_branch

    try:
        truth = reference
        if truth is None:
            truth = (convolve if kind == "convolution" else correlate)(
                f, g, var, assume=list(rels) or None)
        return "ok", (_generic_branch(truth, var), var, assumptions, (f, g, kind, rels))
    except TimeLimitError:
        raise
    except SymconvError as err:
        return "error", (type(err).__name__, str(err))


def compute_truth(problem, *, timeout=10.0, memory_mb=2048):
    """The truth of ``problem`` with what checking needs, computed in a worker process
    under the same limits as an answer; the engine's own
    :class:`~symconv.errors.SymconvError` when it fails, and
    :class:`~symconv.errors.TimeLimitError` after ``timeout`` seconds."""
    from symconv import errors

    _warm_up()  # imports are not the problem's work: load them before the clock starts
    with time_limit(timeout, "the reference computation"):
        parsed = _parse_problem(problem)
    out = run_isolated(_truth, parsed, timeout=timeout, memory_mb=memory_mb)
    if out.status == "ok" and out.value[0] == "ok":
        return out.value[1]
    if out.status == "ok":  # the engine refused: the same error class, its message
        name, message = out.value[1]
        cls = getattr(errors, name, None)
        if not (isinstance(cls, type) and issubclass(cls, SymconvError)) or cls in (
                errors.ParseError, errors.TimeLimitError):
            cls = SymconvError
        raise cls(message)
    if out.status == "timeout":
        raise TimeLimitError(timeout, "the reference computation")
    raise UnsupportedInputError(
        f"the reference computation failed: {out.message or out.status}")


def _score(report):
    regions = report.regions
    if not regions:
        return 1.0 if report.correct else 0.0
    return round(sum(r.status == "agrees" for r in regions) / len(regions), 4)


def _check_one(answer, truth, var, assumptions, signals=(None, None, "convolution", ())):
    from symconv.teaching.check import check_answer

    f, g, kind, rels = signals
    try:
        report = check_answer(answer, f, g, var=var, reference=truth, assumptions=assumptions,
                              assume=list(rels) or None, kind=kind)
    except TimeLimitError:
        raise
    except SymconvError as err:
        return {"verdict": "error", "score": 0.0, "message": str(err).splitlines()[0],
                "hints": ""}
    return {"verdict": "correct" if report.correct else "incorrect", "score": _score(report),
            "message": str(report).splitlines()[0], "hints": " | ".join(report.hints)}


def _row(record, out, timeout, memory_mb):
    """The report row of ``record`` from its worker :class:`~symconv.workers.Outcome`."""
    if out.status == "ok":
        body = out.value
    elif out.status == "timeout":
        body = {"verdict": "timeout", "score": 0.0, "message": f"no verdict within {timeout} s",
                "hints": ""}
    elif out.status == "memory":
        body = {"verdict": "error", "score": 0.0,
                "message": f"memory limit exceeded ({memory_mb} MB)", "hints": ""}
    elif out.status == "crashed":
        body = {"verdict": "error", "score": 0.0, "message": f"the checker crashed: "
                f"{out.message}", "hints": ""}
    else:
        body = {"verdict": "error", "score": 0.0, "message": f"internal error: {out.message}",
                "hints": ""}
    return {"line": record.line, "id": record.id, **body}


def _unreadable_row(record):
    verdict = "blank" if record.error == BLANK else "unreadable"
    return {"line": record.line, "id": record.id, "verdict": verdict, "score": 0.0,
            "message": record.error, "hints": ""}


def _records(answers):
    out = []
    for i, item in enumerate(answers, start=1):
        if isinstance(item, Record):
            out.append(item)
        elif isinstance(item, (tuple, list)) and len(item) == 2:
            ident, text = item
            out.append(Record(i, str(ident), "" if text is None else text))  # str or Expr
        else:  # kept as a row of its own: nothing is lost, nothing stops the class
            out.append(Record(i, "", "", f"answer {i}: expected an (id, answer) pair, got "
                                         f"{str(item)[:60]!r}"))
    return out


def iter_grade(problem, answers, *, workers=2, timeout=10.0, memory_mb=2048, executor=None,
               truth=None):
    """Yield one row per answer as it is graded (not in input order).

    ``answers`` holds :class:`~symconv.teaching.classfile.Record` objects (from
    :func:`~symconv.teaching.classfile.read_answers`) or ``(id, answer)`` pairs.
    ``truth`` may pass a :func:`compute_truth` result computed earlier.
    See :func:`grade` for the options.
    """
    timeout = check_timeout(timeout)
    if not _positive(workers):
        raise UnsupportedInputError(f"workers must be an integer >= 1, got {workers!r}")
    check_memory(memory_mb)
    validate_problem(problem)
    records = _records(answers)
    groups = {}  # an answer given several times is checked once: the check is a function
    for record in records:  # of the text alone
        if record.error is not None:
            yield _unreadable_row(record)
        else:
            groups.setdefault(_text_key(record), []).append(record)
    todo = [group[0] for group in groups.values()]
    if not todo:  # nothing to check: no truth needed
        return
    if truth is None:
        truth = compute_truth(problem, timeout=timeout, memory_mb=memory_mb)
    if executor is not None:
        rows = _on_executor(executor, todo, truth, timeout, memory_mb)
    else:
        rows = _on_pool(workers, todo, truth, timeout, memory_mb)
    for first, row in rows:
        for record in groups[_text_key(first)]:
            yield {**row, "line": record.line, "id": record.id}


def _text_key(record):
    try:
        hash(record.answer)
    except TypeError:  # pragma: no cover - answers are text or SymPy expressions
        return ("unhashable", record.line)
    return (type(record.answer).__name__, record.answer)


def _on_pool(workers, todo, truth, timeout, memory_mb):
    """Grade on this machine's long-lived workers: ``(record, row)`` as they finish."""
    args = [(r.answer,) for r in todo]
    _warm_up()
    with WorkerPool(min(workers, len(todo)), memory_mb=memory_mb) as pool:
        for index, out in pool.map(_check_one, args, timeout=timeout, common=tuple(truth)):
            yield todo[index], _row(todo[index], out, timeout, memory_mb)


def _positive(n):
    return isinstance(n, int) and not isinstance(n, bool) and n >= 1


#: At most this many tasks wait on an executor at once (memory stays bounded for 10^5 answers).
WINDOW = 512


def _on_executor(executor, todo, truth, timeout, memory_mb):
    """Grade on ``executor``: tasks submitted in a sliding window; ``(record, row)`` as they
    finish."""
    if hasattr(executor, "scatter"):  # Dask: send the truth to the workers once
        truth = executor.scatter(truth, broadcast=True)
    queue = list(enumerate(todo))
    queue.reverse()
    running = {}
    try:
        while queue or running:
            while queue and len(running) < WINDOW:
                i, record = queue.pop()
                fut = executor.submit(_check_isolated, record.answer, truth, timeout, memory_mb)
                running[fut] = record
            for fut in _first_completed(list(running)):
                record = running.pop(fut)
                try:
                    out = fut.result()
                except Exception as err:  # noqa: BLE001 - a lost task is a row, not a crash
                    out = Outcome("crashed", message=f"the executor lost the task: "
                                                     f"{type(err).__name__}: {err}")
                yield record, _row(record, out, timeout, memory_mb)
    finally:
        for fut in running:
            fut.cancel()


def _check_isolated(answer, truth, timeout, memory_mb):
    """An executor's task: check one answer in a fresh child under the limits. The
    imports are made here first (once per executor process), so that no child imports
    symconv again."""
    _warm_up()
    return run_isolated(_check_one, (answer, *truth), timeout=timeout, memory_mb=memory_mb)


def _first_completed(futures):
    """The futures of the list that are done, waiting until at least one is."""
    import concurrent.futures as cf

    if all(isinstance(f, cf.Future) for f in futures):
        return cf.wait(futures, return_when=cf.FIRST_COMPLETED).done
    if type(futures[0]).__module__.startswith("distributed"):
        from distributed import wait

        return wait(futures, return_when="FIRST_COMPLETED").done
    while True:  # any other executor: its futures have done()
        done = [f for f in futures if f.done()]
        if done:
            return done
        time.sleep(0.01)


def _warm_up():
    """Import what checking needs before the workers fork, so that none imports it again."""
    import symconv.api  # noqa: F401
    import symconv.numeric.quadrature  # noqa: F401
    import symconv.parsing.parser
    import symconv.teaching.check  # noqa: F401

    symconv.parsing.parser.parse("t", "t")  # builds the grammar's parser once


def grade(problem, answers, *, workers=2, timeout=10.0, memory_mb=2048, executor=None):
    """Grade ``answers`` for ``problem`` (a dict, see :mod:`symconv.teaching.classfile`).

    Parameters
    ----------
    answers : list of ``(id, text)`` pairs or :class:`~symconv.teaching.classfile.Record`
    workers : int
        Worker processes on this machine (ignored with ``executor``).
    timeout : float or None
        Seconds for each answer's check, and for computing the truth, which stops
        with :class:`~symconv.errors.TimeLimitError`.
    memory_mb : int
        Address space of each worker, in megabytes.
    executor : concurrent.futures.Executor, optional
        Where to run the checks instead, e.g. ``dask.distributed.Client(address)``.

    Returns
    -------
    list of dict
        One row per answer, in input order (see the module doc).
    """
    rows = list(iter_grade(problem, answers, workers=workers, timeout=timeout,
                           memory_mb=memory_mb, executor=executor))
    return sorted(rows, key=lambda r: r["line"])
