"""Batch grading: one problem, many answers, each checked in its own worker process.

The truth is computed once; every answer is parsed and checked in a forked
worker with a time limit and a memory limit, so a hostile or pathological
answer (a big-integer or flint call that ``signal.alarm`` cannot interrupt)
is killed and reported, and never stops the batch.

The problem file is TOML::

    f = "2 e^(-t/2) u(t)"
    g = "rect(t - 1/2)"
    var = "t"              # optional, default t
    assume = "a>0"         # optional
    kind = "convolution"   # optional; or "correlation"
    # reference = "..."    # optional: compare with this instead of f*g

The answers file is CSV with columns ``id`` and ``answer`` (a header row).

Examples
--------
>>> problem = {"f": "rect(t)", "g": "rect(t)"}
>>> rows = grade(problem, [("ann", "tri(t)"), ("bob", "rect(t)")], workers=1)
>>> [(r["id"], r["verdict"]) for r in rows]
[('ann', 'correct'), ('bob', 'incorrect')]
"""

from __future__ import annotations

import csv
import json
import multiprocessing as mp
import time

from symconv.errors import SymconvError, UnsupportedInputError
from symconv.limits import check_timeout, time_limit

__all__ = ["grade", "load_problem", "read_answers", "write_report"]

_KEYS = {"f", "g", "var", "assume", "kind", "reference"}


def load_problem(path):
    """The problem dict from a TOML file (keys f, g, var, assume, kind, reference)."""
    import tomllib

    with open(path, "rb") as fh:
        data = tomllib.load(fh)
    unknown = set(data) - _KEYS
    if unknown:
        raise UnsupportedInputError(
            f"unknown keys in {path}: {sorted(unknown)}; accepted: {sorted(_KEYS)}"
        )
    _validate_problem(data, path)
    return data


def _validate_problem(data, where="the problem"):
    for key, value in data.items():
        if not isinstance(value, str):
            raise UnsupportedInputError(
                f"{key} in {where} must be text (a string), got {type(value).__name__}"
            )
    kind = data.get("kind", "convolution")
    if kind not in ("convolution", "correlation"):
        raise UnsupportedInputError(
            f"kind = {kind!r} in {where} is not accepted; use 'convolution' or 'correlation'"
        )
    if "reference" not in data and not {"f", "g"} <= set(data):
        raise UnsupportedInputError(f"{where} needs f and g (or a reference)")


def read_answers(path):
    """``[(id, answer)]`` from a CSV file with columns ``id`` and ``answer``."""
    with open(path, newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        if reader.fieldnames is None or not {"id", "answer"} <= set(reader.fieldnames):
            raise UnsupportedInputError(f"{path} needs a header with columns id and answer")
        return [(row["id"], row["answer"] or "") for row in reader]


def _truth(problem):
    from symconv.api import convolve, correlate
    from symconv.parsing.assumptions import parse_assumptions
    from symconv.parsing.parser import make_symbol, parse
    from symconv.teaching.check import _generic_branch

    _validate_problem(problem)
    assumptions = parse_assumptions(problem.get("assume", ""))
    name = problem.get("var", "t")
    var = make_symbol(name, {name: assumptions.pop(name, {})})
    kind = problem.get("kind", "convolution")
    f = parse(problem["f"], var, assumptions=assumptions) if "f" in problem else None
    g = parse(problem["g"], var, assumptions=assumptions) if "g" in problem else None
    if "reference" in problem:
        truth = parse(problem["reference"], var, assumptions=assumptions)
    else:
        truth = (convolve if kind == "convolution" else correlate)(f, g, var)
    return _generic_branch(truth, var), var, assumptions, (f, g, kind)


def _score(report):
    regions = report.regions
    if not regions:
        return 1.0 if report.correct else 0.0
    return round(sum(r.status == "agrees" for r in regions) / len(regions), 4)


def _check_one(answer, truth, var, assumptions, signals=(None, None, "convolution")):
    from symconv.teaching.check import check_answer

    f, g, kind = signals
    try:
        report = check_answer(answer, f, g, var=var, reference=truth, assumptions=assumptions,
                              kind=kind)
    except SymconvError as err:
        return {"verdict": "error", "score": 0.0, "message": str(err).splitlines()[0],
                "hints": ""}
    return {"verdict": "correct" if report.correct else "incorrect", "score": _score(report),
            "message": str(report).splitlines()[0], "hints": " | ".join(report.hints)}


def _worker(conn, answer, truth, var, assumptions, memory_mb, signals):
    try:
        import resource

        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):  # pragma: no cover - platform dependent
        pass
    try:
        out = _check_one(answer, truth, var, assumptions, signals)
    except MemoryError:
        out = {"verdict": "error", "score": 0.0, "message": "memory limit exceeded", "hints": ""}
    except Exception as err:  # noqa: BLE001 - report, never crash the batch
        out = {"verdict": "error", "score": 0.0,
               "message": f"internal error: {type(err).__name__}: {err}", "hints": ""}
    conn.send(out)
    conn.close()


def grade(problem, answers, *, workers=2, timeout=10.0, memory_mb=2048):
    """Grade ``answers`` (``[(id, text)]``) for ``problem`` (a dict, see the module doc).

    Returns one dict per answer, in input order: ``id``, ``verdict`` (correct,
    incorrect, error, timeout), ``score`` (the fraction of the truth's regions
    that agree), ``message`` and ``hints``. ``timeout`` (seconds, ``None`` for no
    limit) bounds each answer's check and also the computation of the truth, which
    stops with :class:`~symconv.errors.TimeLimitError`.
    """
    timeout = check_timeout(timeout)
    with time_limit(timeout, "the reference computation"):
        truth, var, assumptions, signals = _truth(problem)
    answers = list(answers)
    results = [None] * len(answers)
    if workers < 1:
        raise UnsupportedInputError(f"workers must be >= 1, got {workers}")
    ctx = mp.get_context("fork")
    pending = list(enumerate(answers))
    running = {}
    while pending or running:
        while pending and len(running) < workers:
            i, (ident, text) = pending.pop(0)
            parent, child = ctx.Pipe(duplex=False)
            proc = ctx.Process(target=_worker,
                               args=(child, text, truth, var, assumptions, memory_mb,
                                     signals))
            proc.start()
            child.close()
            running[i] = (proc, parent, time.monotonic(), ident)
        for i, (proc, conn, started, ident) in list(running.items()):
            out = None
            if conn.poll(0.005):
                try:
                    out = conn.recv()
                except EOFError:
                    out = {"verdict": "error", "score": 0.0,
                           "message": "the checker crashed", "hints": ""}
            elif not proc.is_alive():
                out = {"verdict": "error", "score": 0.0,
                       "message": f"the checker died (exit code {proc.exitcode})", "hints": ""}
            elif timeout is not None and time.monotonic() - started > timeout:
                proc.kill()
                out = {"verdict": "timeout", "score": 0.0,
                       "message": f"no verdict within {timeout} s", "hints": ""}
            if out is not None:
                proc.join(1)
                if proc.is_alive():  # pragma: no cover
                    proc.kill()
                conn.close()
                results[i] = {"id": ident, **out}
                del running[i]
        if running:
            time.sleep(0.002)
    return results


def write_report(rows, path):
    """Write the rows as CSV, or JSON when ``path`` ends in ``.json``."""
    if str(path).endswith(".json"):
        with open(path, "w", encoding="utf-8") as fh:
            json.dump(rows, fh, indent=2, ensure_ascii=False)
        return
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=["id", "verdict", "score", "message", "hints"])
        writer.writeheader()
        writer.writerows(rows)
