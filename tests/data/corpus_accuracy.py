"""The answer corpus: load it, check every answer, and print the checker's accuracy.

``corpus.csv`` has one answer a row: the problem (a table of
``corpus_problems.toml``), the answer as a student would type it (plain text or
LaTeX), the expected verdict (``correct`` / ``incorrect``), a keyword that the
hints must contain (empty for correct answers) and a label (``form:...`` for a
correct form, ``slip:...`` for the kind of mistake).

Run it from the repository root::

    python tests/data/corpus_accuracy.py          # summary
    python tests/data/corpus_accuracy.py -v       # every row
"""

from __future__ import annotations

import csv
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from symconv.cli import parse_assumptions
from symconv.errors import SymconvError
from symconv.parsing.parser import make_symbol
from symconv.teaching.check import check_answer

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus.csv"
PROBLEMS = HERE / "corpus_problems.toml"


@dataclass(frozen=True)
class Row:
    """One answer of the corpus with its expected verdict and hint keyword."""

    problem: str
    answer: str
    verdict: str
    hint: str
    label: str


@dataclass(frozen=True)
class Outcome:
    """What the checker said about a row, and whether that is what the row expects."""

    row: Row
    verdict: str  # "correct" | "incorrect" | "error: <message>" | "crash: <exception>"
    hints: tuple
    text: str
    seconds: float

    @property
    def verdict_ok(self):
        return self.verdict == self.row.verdict

    @property
    def hint_ok(self):
        if not self.row.hint:
            return True
        return any(self.row.hint in h for h in self.hints)

    @property
    def ok(self):
        return self.verdict_ok and self.hint_ok


def load_problems(path=PROBLEMS):
    """``{name: (f, g, var, assumptions)}`` with the variable as a SymPy symbol."""
    import tomllib  # Python 3.11+, as in symconv.teaching.grade.load_problem
    with open(path, "rb") as fh:
        data = tomllib.load(fh)
    out = {}
    for name, p in data.items():
        assumptions = parse_assumptions(p.get("assume", ""))
        vname = p.get("var", "t")
        facts = {"integer": True} if p.get("integer") else {}
        var = make_symbol(vname, {vname: facts})
        out[name] = (p["f"], p["g"], var, assumptions)
    return out


def load_corpus(path=CORPUS):
    with open(path, newline="", encoding="utf-8") as fh:
        return [Row(**r) for r in csv.DictReader(fh)]


def check_row(row, problems):
    f, g, var, assumptions = problems[row.problem]
    start = time.perf_counter()
    try:
        report = check_answer(row.answer, f, g, var, assumptions=assumptions)
    except SymconvError as err:
        verdict, hints, text = f"error: {str(err).splitlines()[0]}", (), str(err)
    except Exception as err:  # noqa: BLE001 - a crash is an outcome of the row, not of the run
        verdict, hints, text = f"crash: {type(err).__name__}: {err}", (), repr(err)
    else:
        verdict = "correct" if report.correct else "incorrect"
        hints, text = report.hints, str(report)
    return Outcome(row, verdict, tuple(hints), text, time.perf_counter() - start)


def run(rows=None, problems=None):
    problems = load_problems() if problems is None else problems
    rows = load_corpus() if rows is None else rows
    return [check_row(r, problems) for r in rows]


def summary(outcomes):
    """Lines of text: counts, verdict accuracy, verdict-and-hint accuracy, the misses."""
    n = len(outcomes)
    n_correct = sum(o.row.verdict == "correct" for o in outcomes)
    v_ok = sum(o.verdict_ok for o in outcomes)
    all_ok = sum(o.ok for o in outcomes)
    wrong = [o for o in outcomes if o.row.verdict == "incorrect"]
    slips = sorted({o.row.label for o in wrong})
    lines = [
        f"corpus: {n} answers over {len({o.row.problem for o in outcomes})} problems "
        f"({n_correct} correct, {n - n_correct} incorrect; {len(slips)} kinds of slip)",
        f"verdict accuracy: {v_ok}/{n} = {v_ok / n:.1%}",
        f"verdict and hint accuracy: {all_ok}/{n} = {all_ok / n:.1%}",
        f"hint accuracy on incorrect answers: {sum(o.hint_ok for o in wrong)}/{len(wrong)}",
        f"check time: total {sum(o.seconds for o in outcomes):.2f} s, "
        f"slowest {max(o.seconds for o in outcomes):.2f} s",
    ]
    for o in outcomes:
        if not o.ok:
            lines.append(f"  MISS [{o.row.problem}/{o.row.label}] {o.row.answer!r}")
            lines.append(f"       expected {o.row.verdict} / {o.row.hint!r}; got {o.verdict}")
            lines += [f"       | {line}" for line in o.text.splitlines()]
    return lines


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    outcomes = run()
    if "-v" in argv:
        for o in outcomes:
            mark = "ok  " if o.ok else "MISS"
            print(f"{mark} {o.row.problem:10} {o.row.label:34} {o.verdict:10} {o.row.answer}")
    print("\n".join(summary(outcomes)))
    return 0 if all(o.ok for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
