#!/usr/bin/env python
"""Benchmark ``symconv grade``: a class of ordinary answers, on one machine and on Dask.

The class is the canonical problem (h = 2 e^(-t/2) u(t), x = rect(t - 1/2)) answered by the
answers of ``tests/data/corpus.csv`` (right ones in many forms, and wrong ones), repeated to
``--size`` records (500 by default) and each made distinct text (trailing spaces: grading
checks an answer given several times only once, and the benchmark must not profit from
that), written as a real answers file. Each configuration grades the
same file with :func:`symconv.teaching.gradebook.grade_files` — reading, the truth, every check,
the journal and the atomic report — and the wall time of the whole run is measured (the
interpreter and symconv are imported before the clock starts):

- ``pool, n workers``: symconv's long-lived worker processes (the default, 1 and 2 workers);
- ``fork per answer``: the design before (one forked process per answer, the same limits), as
  the peer the pool is measured against;
- ``Dask, n workers``: a ``dask.distributed.LocalCluster`` of n worker processes on this machine
  (``grade --scheduler``); 8 workers on 2 cores simulates a cluster larger than the machine
  (skipped with a note when Dask is not installed).

Every configuration must give the same verdicts as the first; the script exits 1 otherwise.
The goal of issue 18: 500 ordinary answers in at most 3 s of wall time on 2 cores.

Run from the repository root::

    python benchmarks/bench_grade.py              # 500 answers
    python benchmarks/bench_grade.py --quick      # 100 answers, no Dask
    python benchmarks/bench_grade.py --markdown   # the tables as Markdown
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import print_table  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PROBLEM = 'f = "2 e^(-t/2) u(t)"\ng = "rect(t - 1/2)"\n'


def write_class(folder, size):
    with open(ROOT / "tests" / "data" / "corpus.csv", newline="", encoding="utf-8") as fh:
        answers = [r["answer"] for r in csv.DictReader(fh) if r["problem"] == "main"]
    problem = folder / "problem.toml"
    problem.write_text(PROBLEM, encoding="utf-8")
    path = folder / "answers.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "answer"])
        for i in range(size):
            # each answer distinct text (symconv checks a repeated answer once): the same
            # answer with k trailing spaces, which the parser ignores
            writer.writerow([f"s{i:04d}", answers[i % len(answers)] + " " * (i // len(answers))])
    return problem, path, len(set(answers))


class _ForkPerAnswer:
    """The design before: every answer in a fresh forked process (an executor whose tasks
    run at once, in this process, each in its own child)."""

    def __init__(self, workers):
        from concurrent.futures import ThreadPoolExecutor

        self._pool = ThreadPoolExecutor(workers)

    def submit(self, fn, *args):
        return self._pool.submit(fn, *args)

    def shutdown(self):
        self._pool.shutdown()


def run(problem, answers, folder, name, **options):
    from symconv.teaching.gradebook import grade_files

    report = folder / f"report-{name.replace(' ', '-').replace(',', '')}.csv"
    start = time.perf_counter()
    summary = grade_files(problem, answers, report, progress=False, **options)
    return time.perf_counter() - start, summary


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--size", type=int, default=500, help="answers in the class (default 500)")
    p.add_argument("--quick", action="store_true", help="100 answers, no Dask")
    p.add_argument("--markdown", action="store_true", help="print Markdown tables")
    args = p.parse_args(argv)
    size = 100 if args.quick else args.size

    import symconv.teaching.gradebook  # noqa: F401 - imports are not the run's work
    from symconv.teaching.grade import _warm_up

    _warm_up()
    rows, reference, failed = [], None, False
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        problem, answers, distinct = write_class(folder, size)
        configs = [("pool, 1 worker", {"workers": 1}), ("pool, 2 workers", {"workers": 2})]
        fork = _ForkPerAnswer(2)
        configs.append(("fork per answer, 2 at a time", {"executor": fork}))
        clusters = []
        if not args.quick:
            try:
                from distributed import Client, LocalCluster
            except ImportError:
                print("Dask is not installed: pip install 'symconv[dask]'", file=sys.stderr)
            else:
                for n in (1, 2, 8):
                    cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                                           dashboard_address=None)
                    client = Client(cluster)
                    clusters.append((client, cluster))
                    configs.append((f"Dask, {n} worker processes", {"executor": client}))
        try:
            for name, options in configs:
                seconds, summary = run(problem, answers, folder, name, **options)
                verdicts = [(r["line"], r["verdict"], r["score"]) for r in summary.rows]
                if reference is None:
                    reference = verdicts
                same = verdicts == reference
                failed = failed or not same
                counts = summary.counts
                rows.append([name, f"{seconds:.2f} s", f"{size / seconds:.0f}",
                             f"{counts['correct']}/{counts['incorrect']}/{counts['error']}",
                             "yes" if same else "NO"])
        finally:
            fork.shutdown()
            for client, cluster in clusters:
                client.close()
                cluster.close()
    print(f"\n{size} distinct answers ({distinct} forms) to the canonical problem; "
          f"{os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{time.strftime('%Y-%m-%d')}\n")
    print_table(["configuration", "wall time", "answers/s", "correct/incorrect/error",
                 "same verdicts"], rows, args.markdown)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
