"""A grading run on files: every record accounted for, crash-safe, resumable, with progress.

:func:`grade_files` reads the problem and the answers
(:mod:`symconv.teaching.classfile`), grades (:mod:`symconv.teaching.grade`) and
writes the report:

- each row is appended to a journal (``report.csv.partial``, JSON lines) and flushed
  as soon as it is graded, so a crash loses nothing that was graded;
- the report is written at the end in one step (a temporary file, then a rename),
  so it is never half-written, and an earlier report is removed at the start, so
  a stale one never looks current;
- Ctrl-C or SIGTERM stops the run cleanly: the report is written with the rows not
  yet graded marked ``pending``, and ``resume=True`` (``--resume``) later grades
  only those, from the journal (or, without one, from the report's rows);
- a progress bar (tqdm) shows the rate and the time left on a terminal.

Examples
--------
>>> import pathlib, tempfile
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "p.toml").write_text('f = "rect(t)"\\ng = "rect(t)"\\n')
>>> _ = (d / "a.csv").write_text("id,answer\\nann,tri(t)\\n\\nbob,rect(t)\\n")
>>> s = grade_files(d / "p.toml", d / "a.csv", d / "report.csv", workers=1)
>>> print(s)
3 records: 2 graded (1 correct, 1 incorrect, 0 errors, 0 timeouts), 0 unreadable, 1 blank
>>> print((d / "report.csv").read_text().splitlines()[1])
2,ann,correct,1.0,correct,
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import json
import os
import signal
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from symconv.errors import UnsupportedInputError
from symconv.limits import check_timeout
from symconv.teaching.classfile import load_problem, read_answers
from symconv.teaching.grade import FIELDS, compute_truth, iter_grade
from symconv.workers import check_memory

__all__ = ["Summary", "grade_files", "write_report", "read_report"]

_JOURNAL = "symconv grade journal 1"


@dataclass(frozen=True, slots=True)
class Summary:
    """What a run did: counts by verdict, where the report is, and whether it stopped
    early (``interrupted`` names the signal)."""

    rows: tuple
    resumed: int = 0
    interrupted: str | None = None
    duplicates: tuple = field(default=())

    @property
    def counts(self):
        return Counter(r["verdict"] for r in self.rows)

    @property
    def exit_code(self):
        """0: every record graded; 1: some records unreadable; 130/143: interrupted."""
        if self.interrupted:
            return 143 if self.interrupted == "SIGTERM" else 130
        return 1 if self.counts["unreadable"] else 0

    def __str__(self):
        c = self.counts
        graded = c["correct"] + c["incorrect"] + c["error"] + c["timeout"]
        text = (f"{len(self.rows)} records: {graded} graded ({c['correct']} correct, "
                f"{c['incorrect']} incorrect, {c['error']} errors, {c['timeout']} timeouts), "
                f"{c['unreadable']} unreadable, {c['blank']} blank")
        if self.resumed:
            text += f"; {self.resumed} taken from the earlier run"
        if self.duplicates:
            text += f"; duplicate ids: {', '.join(self.duplicates[:5])}"
            text += " …" if len(self.duplicates) > 5 else ""
        if c["pending"]:
            text += f"; {c['pending']} pending"
        return text


class _Stopped(KeyboardInterrupt):
    """SIGTERM, turned into an exception so that the run can stop cleanly."""


@contextlib.contextmanager
def _sigterm_stops():
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, frame):
        raise _Stopped()

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _key(record):
    text = f"{record.line}\0{record.id}\0{record.answer}"
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:20]


def _problem_hash(problem):
    return hashlib.sha256(json.dumps(problem, sort_keys=True).encode()).hexdigest()[:20]


def grade_files(problem_path, answers_path, output=None, *, resume=False, workers=2,
                timeout=10.0, memory_mb=2048, executor=None, progress=None):
    """Grade the answers file for the problem file; write the report to ``output``
    (``.csv``, or ``.json``; ``None`` keeps the rows in the result only).

    Returns a :class:`Summary`. Faults of the files (see
    :mod:`symconv.teaching.classfile`) and of the problem raise
    :class:`~symconv.errors.SymconvError` before any answer is graded. ``progress``:
    ``None`` shows a bar when standard error is a terminal.
    """
    timeout = check_timeout(timeout)
    check_memory(memory_mb)
    if not (isinstance(workers, int) and not isinstance(workers, bool) and workers >= 1):
        raise UnsupportedInputError(f"workers must be an integer >= 1, got {workers!r}")
    if output is not None:
        check_output(output, problem_path, answers_path)
    problem = load_problem(problem_path)
    records = read_answers(answers_path)
    journal = None if output is None else Path(str(output) + ".partial")
    if resume and output is None:
        raise UnsupportedInputError("--resume needs the report file (-o report.csv)")
    done = _earlier_rows(output, journal, problem) if resume else {}
    if not resume and output is not None:
        for path in (Path(output), journal):
            path.unlink(missing_ok=True)
    rows, todo, resumed = {}, [], 0
    for record in records:
        key = _key(record)
        earlier = done.get(key) or done.get((record.line, record.id))
        if earlier is not None:
            rows[key] = earlier
            resumed += 1
        else:
            todo.append(record)
    interrupted = None
    with _sigterm_stops():
        try:
            truth = compute_truth(problem, timeout=timeout, memory_mb=memory_mb) if todo else None
            _grade_into(rows, todo, problem, truth, journal, problem_hash=_problem_hash(problem),
                        workers=workers, timeout=timeout, memory_mb=memory_mb,
                        executor=executor, progress=progress)
        except _Stopped:
            interrupted = "SIGTERM"
        except KeyboardInterrupt:
            interrupted = "SIGINT"
    final = []
    for record in records:
        row = rows.get(_key(record))
        if row is None:
            row = {"line": record.line, "id": record.id, "verdict": "pending", "score": 0.0,
                   "message": "not graded (the run was interrupted); run again with --resume",
                   "hints": ""}
        final.append(row)
    if output is not None:
        write_report(final, output)
        if not interrupted and journal is not None:
            journal.unlink(missing_ok=True)
    ids = Counter(r.id for r in records if r.id)
    return Summary(tuple(final), resumed, interrupted,
                   tuple(sorted(i for i, n in ids.items() if n > 1)))


def _grade_into(rows, todo, problem, truth, journal, *, problem_hash, progress, **options):
    """Grade ``todo`` into ``rows`` (by record key), appending each row to the journal."""
    keys = {r.line: _key(r) for r in todo}
    bar = _progress_bar(len(todo), progress)
    sink = _open_journal(journal, problem_hash)
    synced = time.monotonic()
    try:
        for row in iter_grade(problem, todo, truth=truth, **options):
            key = keys[row["line"]]
            rows[key] = row
            if sink is not None:
                sink.write(json.dumps({"key": key, "row": row}, ensure_ascii=False) + "\n")
                sink.flush()
                if time.monotonic() - synced > 1.0:
                    os.fsync(sink.fileno())
                    synced = time.monotonic()
            if bar is not None:
                bar.update(1)
    finally:
        if sink is not None:
            sink.flush()
            os.fsync(sink.fileno())
            sink.close()
        if bar is not None:
            bar.close()


def _progress_bar(total, progress):
    if progress is None:
        progress = sys.stderr.isatty()
    if not progress or not total:
        return None
    try:
        from tqdm import tqdm
    except ImportError:  # pragma: no cover - tqdm is a dependency
        return None
    return tqdm(total=total, unit="answer", file=sys.stderr, dynamic_ncols=True,
                desc="grading")


def _open_journal(journal, problem_hash):
    if journal is None:
        return None
    fresh = not journal.exists()
    sink = open(journal, "a", encoding="utf-8")
    if fresh:
        sink.write(json.dumps({"journal": _JOURNAL, "problem": problem_hash}) + "\n")
        sink.flush()
    return sink


def _earlier_rows(output, journal, problem):
    """Rows of an earlier run, by record key (journal) or by (line, id) (report)."""
    done = {}
    if journal is not None and journal.exists():
        with open(journal, encoding="utf-8") as fh:
            lines = fh.read().splitlines()
        head = _json_or_none(lines[0]) if lines else None
        if not head or head.get("journal") != _JOURNAL:
            raise UnsupportedInputError(f"{journal} is not a symconv grading journal")
        if head.get("problem") != _problem_hash(problem):
            raise UnsupportedInputError(
                f"{journal} was made for a different problem; grade without --resume")
        for line in lines[1:]:
            entry = _json_or_none(line)  # the last line may be cut short by a crash
            if entry and isinstance(entry.get("row"), dict):
                done[entry["key"]] = entry["row"]
        return done
    if output is not None and Path(output).exists():
        for row in read_report(output):
            if row.get("verdict") not in (None, "pending"):
                done[(row["line"], row["id"])] = row
    return done


def _json_or_none(text):
    try:
        return json.loads(text)
    except ValueError:
        return None


def check_output(output, *inputs):
    """Refuse (``UnsupportedInputError``) a report path that would destroy something: one
    of the ``inputs`` (the answers, the problem), a directory, a device, a file that is not
    an earlier report, or a place whose directory does not exist."""
    path = Path(output)
    if not str(output).strip():
        raise UnsupportedInputError("the report path is empty; e.g. -o report.csv")
    if path.suffix.lower() not in (".csv", ".json"):
        raise UnsupportedInputError(
            f"the report {output} must end in .csv or .json (the format is chosen by it)")
    for given in inputs:
        if given is not None and (path.resolve() == Path(given).resolve() or (
                path.exists() and Path(given).exists() and os.path.samefile(path, given))):
            raise UnsupportedInputError(
                f"the report {output} would overwrite the input {given}; choose another name")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise UnsupportedInputError(f"cannot write the report {output}: the directory "
                                    f"{parent} does not exist")
    if path.is_dir():
        raise UnsupportedInputError(f"the report {output} is a directory; give a file name")
    if path.exists() or path.is_symlink():
        if not path.is_file():
            raise UnsupportedInputError(f"the report {output} exists and is not a regular "
                                        "file; choose another name")
        if not _is_report(path):
            raise UnsupportedInputError(
                f"{output} exists and is not a symconv report; it is not replaced: choose "
                "another name or remove it")


def _is_report(path):
    """Does the file at ``path`` hold an earlier report (or nothing)?"""
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            head = fh.read(4096)
    except (OSError, UnicodeDecodeError):
        return False
    if not head.strip():
        return True
    if path.suffix.lower() == ".json":
        return head.lstrip().startswith("[")
    return head.splitlines()[0].strip() == ",".join(FIELDS)


def write_report(rows, path):
    """Write the rows as CSV, or JSON when ``path`` ends in ``.json``, atomically: the
    file appears complete or not at all."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent or ".", prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", newline="", encoding="utf-8") as fh:
            if path.suffix.lower() == ".json":
                json.dump(list(rows), fh, indent=2, ensure_ascii=False)
            else:
                writer = csv.DictWriter(fh, fieldnames=FIELDS, extrasaction="ignore")
                writer.writeheader()
                writer.writerows(rows)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def read_report(path):
    """The rows of a report written by :func:`write_report` (line and score as numbers)."""
    path = Path(path)
    try:
        if path.suffix.lower() == ".json":
            rows = json.loads(path.read_text(encoding="utf-8"))
        else:
            with open(path, newline="", encoding="utf-8") as fh:
                rows = list(csv.DictReader(fh))
        for row in rows:
            row["line"] = int(row["line"])
            row["score"] = float(row["score"])
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise UnsupportedInputError(f"cannot read the earlier report {path}: {err}") from None
    return rows
