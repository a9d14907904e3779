#!/usr/bin/env python
"""Benchmark ``symconv.convolve`` on textbook problems with symbolic parameters against SymPy.

Twelve problems whose signals carry symbols (widths ``T``, ``T1``, ``T2``, rates ``a``, ``b``,
``lam``, shifts ``t0``, real exponents ``l1``, ``l2``). Each runs through three methods, each in
its own process with a CPU-time limit (a hung ``integrate`` cannot block the run):

* ``symconv``:  ``convolve(f, g, t, assume=...)`` (median of ``--repeats`` runs, SymPy cache
  cleared before each run);
* ``sympy``:    ``integrate(f(tau) g(t - tau), (tau, -oo, oo))`` with symconv's ``u``, ``rect``
  rewritten to ``Heaviside(x)`` (one run);
* ``sympy+PW``: the same after ``.rewrite(Piecewise)`` (one run).

SymPy has no way to receive an ``assume=`` relation such as ``T1 < T2``: it gets the symbols
with their declared assumptions (positive or real) only, and is judged at the same numbers.

Every returned result is judged at admissible numbers for the parameters (satisfying the
symbols' assumptions and the problem's ``assume``; for ``rect(t/T1) * rect(t/T2)`` and
``e^{-at}u * e^{-bt}u`` including the coincidences ``T1 = T2`` and ``a = b``): the parameters are
substituted into the result, which selects the branch of a ``Piecewise`` on the parameters
that those numbers satisfy, and the values are compared with the independent mpmath
quadrature reference of ``bench_continuous.py`` (own step definitions, own evaluator, not
symconv) at points in every region. A result containing an ``Integral`` is ``unevaluated``; a
result that is not a finite number there or differs by more than 10^-20 (relative) is
``wrong``.

Times are CPU time of the computing thread by default (``--clock cpu``, ``time.thread_time``)
and the limit is then a CPU-time limit (``RLIMIT_CPU``, five times the limit in wall time as a
backstop); ``--clock wall`` uses wall time for both. Several child processes may run at once
(``--jobs``): on the CPU clock a child's time and limit are its own, whatever else runs.

Run from the repository root::

    python benchmarks/bench_symbolic.py              # the table (5-8 minutes, 2 processes at once)
    python benchmarks/bench_symbolic.py --quick      # smoke run: 4 problems, 5 s limit
    python benchmarks/bench_symbolic.py --markdown   # the table as Markdown

The exit status is 1 when symconv is not correct on some problem.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import statistics
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

# Benchmark this checkout, not a possibly stale installed copy.
_ROOT = Path(__file__).resolve().parent.parent
if (_ROOT / "symconv" / "__init__.py").exists() and str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

import mpmath  # noqa: E402
from _harness import (  # noqa: E402 - shared with the other benchmark scripts
    CLOCKS,
    fmt_outcome,
    fmt_time,
    print_table,
)
from bench_continuous import (  # noqa: E402 - the same independent reference, checks, runner
    build_checks,
    fmt_ratio,
    run_method,
    sympy_form,
)
from sympy import (  # noqa: E402
    Rational,
    Symbol,
    cos,
    exp,
    symbols,
    sympify,
)
from sympy.logic.boolalg import BooleanTrue  # noqa: E402

from symconv import delta, rect, u  # noqa: E402

METHODS = ("symconv", "sympy", "sympy+PW")
r = Rational

# the parameters: widths and rates positive, shifts and exponents real
T, T1, T2, a, b, lam = symbols("T T1 T2 a b lam", positive=True)
t0, l1, l2 = symbols("t0 l1 l2", real=True)


# ---------------------------------------------------------------------------
# the problems


@dataclass(frozen=True)
class Problem:
    """``f * g`` in ``t`` under ``assume``, checked at each parameter assignment in ``params``.

    ``f``, ``g`` and ``params`` are what ``bench_continuous.build_checks`` reads.
    """

    name: str
    f: object
    g: object
    params: tuple
    assume: tuple = ()
    quick: bool = False


def problems(t):
    """The table of problems (exact input; every parameter value is a Rational)."""
    pulse = u(t) - u(t - T)
    return [
        Problem("rect(t/T) * rect(t/T)", rect(t / T), rect(t / T),
                ({T: r(1, 2)}, {T: 3}), quick=True),
        Problem("rect(t/T1) * rect(t/T2)", rect(t / T1), rect(t / T2),
                ({T1: 1, T2: 3}, {T1: 2, T2: 2}, {T1: r(5, 2), T2: r(1, 3)}), quick=True),
        Problem("rect(t/T1) * rect(t/T2), T1<T2", rect(t / T1), rect(t / T2),
                ({T1: 1, T2: 3}, {T1: r(1, 3), T2: r(5, 2)}), assume=(T1 < T2,)),
        Problem("u(t-t0) * e^(-at)u(t), t0 real", u(t - t0), exp(-a * t) * u(t),
                ({t0: r(3, 2), a: r(1, 2)}, {t0: -1, a: 2}, {t0: 0, a: 1})),
        Problem("e^(-at)u(t) * e^(-bt)u(t)", exp(-a * t) * u(t), exp(-b * t) * u(t),
                ({a: r(1, 2), b: r(3, 2)}, {a: r(3, 2), b: r(1, 3)}, {a: 1, b: 1}), quick=True),
        Problem("t e^(-at)u(t) * e^(-at)u(t)", t * exp(-a * t) * u(t), exp(-a * t) * u(t),
                ({a: r(1, 2)}, {a: 2})),
        Problem("e^(-at)cos(bt)u(t) * e^(-lam t)u(t)", exp(-a * t) * cos(b * t) * u(t),
                exp(-lam * t) * u(t),
                ({a: 1, b: 2, lam: r(1, 2)}, {a: r(1, 2), b: 3, lam: r(1, 2)},
                 {a: 2, b: r(1, 3), lam: 1})),
        Problem("e^(l1 t)u(t) * e^(l2 t)u(-t), l1,l2 real", exp(l1 * t) * u(t),
                exp(l2 * t) * u(-t),
                ({l1: -1, l2: r(1, 2)}, {l1: r(1, 2), l2: 2}, {l1: -2, l2: r(-1, 2)})),
        Problem("(u(t)-u(t-T1)) * (u(t)-u(t-T2)), T1<T2", u(t) - u(t - T1), u(t) - u(t - T2),
                ({T1: 1, T2: 3}, {T1: r(1, 2), T2: r(5, 3)}), assume=(T1 < T2,)),
        Problem("t(u(t)-u(t-T)) * (u(t)-u(t-T))", t * pulse, pulse, ({T: r(1, 2)}, {T: 2})),
        Problem("delta(t-t0) * e^(-at)u(t)", delta(t - t0), exp(-a * t) * u(t),
                ({t0: r(3, 2), a: r(1, 2)}, {t0: -1, a: 2}), quick=True),
        Problem("rect((t-a)/T1) * rect((t-b)/T2), T1<T2", rect((t - a) / T1), rect((t - b) / T2),
                ({a: 1, b: r(1, 2), T1: 1, T2: 3}, {a: 2, b: r(1, 3), T1: r(1, 2), T2: r(5, 2)}),
                assume=(T1 < T2,)),
    ]


def check_admissible(problem, t):
    """Every parameter assignment satisfies the symbols' assumptions and ``assume``."""
    for params in problem.params:
        free = (problem.f.free_symbols | problem.g.free_symbols) - {t}
        missing = {s for s in free if s not in params}
        if missing:
            raise ValueError(f"{problem.name}: no value for {missing}")
        for sym, value in params.items():
            value = sympify(value)
            if not value.is_Rational or (sym.is_positive and not value > 0):
                raise ValueError(f"{problem.name}: {sym}={value} breaks {sym}'s assumptions")
        for rel in problem.assume:
            if not isinstance(rel.subs(params), BooleanTrue):
                raise ValueError(f"{problem.name}: {params} does not satisfy {rel}")


# ---------------------------------------------------------------------------
# the table


def _params_text(params):
    return "(" + ", ".join(f"{k}={v}" for k, v in params.items()) + ")"


def run_table(args, t):
    ctx = multiprocessing.get_context("spawn")
    todo = problems(t)
    if args.quick and not args.only:
        todo = [p for p in todo if p.quick]
    if args.only:
        todo = [p for p in todo if any(s.lower() in p.name.lower() for s in args.only)]
    jobs = []
    for prob in todo:
        check_admissible(prob, t)
        checks = build_checks(prob, t, args.dps)
        bad_ref = max((e for _, pts in checks for *_, e in pts), default=0)
        for method in METHODS:
            if method == "symconv":
                f, g, repeats = prob.f, prob.g, args.repeats
            else:
                pw = method == "sympy+PW"
                f, g, repeats = sympy_form(prob.f, pw), sympy_form(prob.g, pw), 1
            jobs.append((prob, method, checks, bad_ref, (f, g, repeats)))
    print(f"  {len(todo)} problems, {len(jobs)} runs, {args.jobs} at a time ...",
          file=sys.stderr, flush=True)

    def work(item):
        prob, method, checks, _bad, (f, g, repeats) = item
        out = run_method(ctx, method, f, g, t, repeats=repeats, checks=checks, dps=args.dps,
                         timeout=args.timeout, check_timeout=args.check_timeout,
                         clock=args.clock, assume=prob.assume, warm_up=True)
        print(f"  {prob.name} [{method}]: {out.status}", file=sys.stderr, flush=True)
        return out, (out.cases, out.text)

    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        outcomes = list(pool.map(work, jobs))

    results = []  # (problem, {method: (outcome, extra)}, checks, bad_ref)
    for i, prob in enumerate(todo):
        row = {}
        for k, method in enumerate(METHODS):
            row[method] = outcomes[3 * i + k]
        results.append((prob, row, jobs[3 * i][2], jobs[3 * i][3]))

    headers = ["problem", "symconv time", "symconv", "sympy integrate", "sympy + Piecewise",
               "ratio sympy", "ratio sympy+PW"]
    rows = []
    for prob, row, _, _ in results:
        sc = row["symconv"][0]
        rows.append([prob.name, fmt_time(sc.time), sc.status,
                     fmt_outcome(row["sympy"][0], args.timeout),
                     fmt_outcome(row["sympy+PW"][0], args.timeout),
                     fmt_ratio(row["sympy"][0], sc.time, args.timeout),
                     fmt_ratio(row["sympy+PW"][0], sc.time, args.timeout)])
    print()
    print(f"Symbolic parameters: symconv convolve(f, g, t, assume=...) (median of {args.repeats} "
          f"runs, cache cleared) vs SymPy integrate (one run, limit {args.timeout:g} s); "
          f"{args.clock} time; ratio = SymPy time / symconv time.")
    print()
    print_table(headers, rows, args.markdown)
    print()

    n = len(results)
    parts = []
    for method in METHODS:
        counts = {}
        for _, row, _, _ in results:
            counts[row[method][0].status] = counts.get(row[method][0].status, 0) + 1
        others = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()) if k != "correct")
        parts.append(f"{method}: {counts.get('correct', 0)}/{n} correct"
                     + (f" ({others})" if others else ""))
    sc_times = [row["symconv"][0].time for _, row, _, _ in results if row["symconv"][0].time]
    ratios = [row[m][0].time / row["symconv"][0].time for _, row, _, _ in results
              for m in METHODS[1:] if row[m][0].status == "correct" and row["symconv"][0].time]
    summary = "Summary: " + "; ".join(parts)
    if sc_times:
        summary += f". symconv median {fmt_time(statistics.median(sc_times))}"
    if ratios:
        summary += (f"; where SymPy is correct it is {statistics.median(ratios):,.0f}x slower "
                    f"(median)")
    print(summary + ".")

    failures, notes = [], []  # symconv's problems first, then the peers'
    for prob, row, checks, bad_ref in results:
        where = "; ".join(_params_text(p) for p, _ in checks)
        if bad_ref > 1e-20:
            failures.append(f"{prob.name}: reference quadrature error estimate {bad_ref:.1e}")
        for method in METHODS:
            out, (cases, text) = row[method]
            if out.status != "correct":
                failures.append(f"{prob.name} [{method}] {out.status}: {out.detail}")
            if method == "symconv":
                if cases:
                    notes.append(f"{prob.name} [symconv] {len(cases)} parameter case(s): "
                                 + " | ".join(cases))
                if args.verbose:
                    npts = sum(len(pts) for _, pts in checks)
                    notes.append(f"{prob.name} [symconv] checked at {npts} points for {where}, "
                                 f"max relative error {out.max_error or 0:.0e}: {text}")
    print()
    for note in sorted(failures, key=lambda x: "[symconv]" not in x) + notes:
        print(("- " if args.markdown else "  ") + note)
    return all(row["symconv"][0].status == "correct" for _, row, _, _ in results)


# ---------------------------------------------------------------------------


def parse_args(argv=None):
    p = argparse.ArgumentParser(
        description="Benchmark symconv.convolve against SymPy's integrate on textbook problems "
                    "with symbolic parameters (correctness and time).")
    p.add_argument("--timeout", type=float, default=None,
                   help="time limit in seconds for one run of a method, on the --clock "
                        "(default 20; 5 with --quick)")
    p.add_argument("--check-timeout", type=float, default=60.0,
                   help="time limit in seconds for checking one result numerically, on the "
                        "--clock (default 60)")
    p.add_argument("--repeats", type=int, default=None,
                   help="symconv runs per problem; the median is reported (default 5; 3 with "
                        "--quick)")
    p.add_argument("--dps", type=int, default=30,
                   help="decimal digits for the reference quadrature (default 30)")
    p.add_argument("--clock", choices=CLOCKS, default="cpu",
                   help="which time to report and limit by: CPU time of the computing thread "
                        "(default; not inflated by other load on the machine) or wall time")
    p.add_argument("--jobs", type=int, default=None,
                   help="child processes run at once (default: 2, or 1 with --clock wall or "
                        "on a single CPU)")
    p.add_argument("--only", nargs="+", metavar="TEXT",
                   help="run only the problems whose name contains one of these texts")
    p.add_argument("--quick", action="store_true",
                   help="smoke run: 4 problems (unless --only), 5 s limit")
    p.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    p.add_argument("--verbose", action="store_true",
                   help="also list, per problem, the parameter values and points checked and "
                        "symconv's result")
    args = p.parse_args(argv)
    if args.timeout is None:
        args.timeout = 5.0 if args.quick else 20.0
    if args.repeats is None:
        args.repeats = 3 if args.quick else 5
    if args.jobs is None:
        args.jobs = 1 if args.clock == "wall" or (os.cpu_count() or 1) < 2 else 2
    if args.timeout <= 0 or args.repeats < 1 or args.dps < 15 or args.jobs < 1:
        p.error("--timeout must be > 0, --repeats and --jobs >= 1 and --dps >= 15")
    return args


def versions():
    import sympy

    parts = [f"Python {platform.python_version()}", f"SymPy {sympy.__version__}",
             f"mpmath {mpmath.__version__}"]
    if hasattr(os, "getloadavg"):
        parts.append(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    return "; ".join(parts)


def main(argv=None):
    args = parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)  # keep the table and the progress in order
    print(versions())
    t = Symbol("t", real=True)
    ok = run_table(args, t)
    if not ok:
        print("\nsymconv FAILED at least one correctness check (see above).")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
