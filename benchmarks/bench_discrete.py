#!/usr/bin/env python
"""Benchmark symconv on sequences against what a SymPy or NumPy user does today.

1. Closed forms. Textbook pairs of sequences in an integer symbol ``n`` (``u`` is the discrete
   step, ``u[0] = 1``). Each pair runs through three methods, each in its own process with a
   time limit (a hung ``summation`` cannot block the run):

   * ``symconv``:  ``convolve(f, g, n)`` (median of ``--repeats`` runs, SymPy cache cleared
     before each run);
   * ``sympy``:    ``summation(f(k) g(n - k), (k, -oo, oo))`` with symconv's ``u`` rewritten to
     ``Heaviside(x, 1)`` (SymPy's discrete step; one run);
   * ``sympy+PW``: the same after ``.rewrite(Piecewise)`` (one run).

   Every result is checked at 14 integers ``n`` against exact direct sums in ``Fraction``,
   computed from the benchmark's own definitions of the sequences (Python functions, not
   symconv). Where the sum over ``k`` is finite the reference is exact and the result must equal
   it; where it is infinite (two pairs) the sum is truncated 400 terms past the decaying end
   (terms fall at least like 2^-k, so the truncation error is below 10^-100) and the result
   must agree to 10^-20 (relative).

2. Finite exact lists. Random integer lists (values in [-10^6, 10^6]) of lengths 10^3, 10^4,
   10^5 and random rational lists (``Fraction(p, q)``, ``|p| <= 10^6``, ``1 <= q <= 1000``) of
   lengths 10^3, 10^4: symconv ``convolve(a, b)`` against ``sympy.discrete.convolution
   .convolution(a, b)``, ``numpy.convolve`` on ``dtype=object`` arrays (exact, O(n^2)) and, for
   speed context only, float ``numpy.convolve`` (its largest error is reported). Every exact
   result is checked independently (length, the product polynomial's value at 3 random points
   modulo the prime 2^127 - 1, and 8 coefficients by direct sums) and compared with symconv's
   entry by entry.

3. Hypergeometric terms (``run_hyper_forms``): Poisson*Poisson, Bin*Bin, NegBin*NegBin and
   Poisson*Geometric with rational parameters (Poisson weights without their ``e^{-λ}``, so
   every value is rational), symconv against ``summation``, checked like table 1 against
   exact direct sums (15 n, up to n = 57).
4. Periodic factors (``--periodic``). Seeded random pairs of 4-term sequences
   ``Σ c nᵏ aⁿ cos/sin(πqn)`` (``q`` in 1/2, 1/3, 1/4, 2/3, 3/4, several frequencies in one
   signal, ``k <= 2``, small rationals ``c`` and ``|a| < 1``) on ``u(n)``, ``u(n) - u(n - 5)`` or
   ``u(n - 2)``: symconv against SymPy ``summation`` (one run, time limit) and, with
   ``--before PATH`` (a checkout of the earlier code, e.g. ``git worktree add /tmp/before main``),
   against that code in its own interpreter. Every result is checked at 12 integers ``n`` against
   exact direct sums computed in the benchmark's own arithmetic of ``Q(√2, √3)`` (every
   ``cos(πqk)``, ``sin(πqk)`` above lies there; a hand-written table of ``cos(jπ/12)``).

Times are CPU time of the computing thread by default (``--clock cpu``, ``time.thread_time``) and
the limit is then a CPU-time limit (``RLIMIT_CPU``); ``--clock wall`` uses wall time for both.
Start-up, imports, building the inputs and a warm-up on a different tiny problem are not timed.

Run from the repository root::

    python benchmarks/bench_discrete.py              # both tables (a few minutes)
    python benchmarks/bench_discrete.py --quick      # smoke run: small sizes, 5 s limits
    python benchmarks/bench_discrete.py --markdown   # tables as Markdown
    python benchmarks/bench_discrete.py --periodic --before /tmp/before   # periodic table only

The exit status is 1 when a symconv result fails its check; a missed speed target (10^5 integer
lists well under a second: flagged above 0.5 s) is reported but does not change it.
"""

from __future__ import annotations

import argparse
import math
import multiprocessing
import os
import pickle
import platform
import random
import signal
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

try:
    import resource  # Unix: CPU-time limits for the child processes
except ImportError:  # pragma: no cover - Windows: wall-clock limits only
    resource = None

# Benchmark this checkout, not a possibly stale installed copy.
_ROOT = Path(__file__).resolve().parent.parent
if (_ROOT / "symconv" / "__init__.py").exists() and str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

import mpmath  # noqa: E402
from _harness import (  # noqa: E402 - shared with the other benchmark scripts
    _CPU_LIMIT_EXIT,
    CLOCKS,
    _limit_cpu,
    _on_cpu_limit,
    fmt_outcome,
    fmt_time,
    print_table,
)
from sympy import (  # noqa: E402
    Abs,
    Add,
    Heaviside,
    KroneckerDelta,
    Mul,
    Piecewise,
    Pow,
    Rational,
    Sum,
    Symbol,
    cos,
    nan,
    oo,
    pi,
    sin,
    summation,
    symbols,
    zoo,
)
from sympy.core.cache import clear_cache  # noqa: E402

from symconv import convolve, u  # noqa: E402

FORM_METHODS = ("symconv", "sympy", "sympy+PW")
LIST_METHODS = ("symconv", "sympy", "numpy object", "numpy float")
HALF, THIRD = Rational(1, 2), Rational(1, 3)
SAMPLE_N = (-9, -3, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 12, 30)
TAIL = 400  # terms kept past the decaying end of an infinite reference sum
NUMERIC_TOL = mpmath.mpf(10) ** -20
SPEED_TARGET = 0.5  # seconds: "length 10^5 integer lists in well under a second"


# ---------------------------------------------------------------------------
# the closed-form pairs and their independent reference


def _step(k):
    return 1 if k >= 0 else 0


@dataclass(frozen=True)
class Pair:
    """``f * g`` in ``n``; ``fref``/``gref`` give the same sequences as Python functions.

    ``fsupp``/``gsupp`` are ``(lo, hi)`` bounds of the support, ``None`` for an infinite end.
    """

    name: str
    f: object
    g: object
    fref: object
    gref: object
    fsupp: tuple
    gsupp: tuple
    quick: bool = False


def _half_pow(k):
    return Fraction(1, 2) ** k


def _third_pow(k):
    return Fraction(1, 3) ** k


def _geo_half(k):
    return _half_pow(k) * _step(k)


def _geo_third(k):
    return _third_pow(k) * _step(k)


def _pulse3(k):
    return _step(k) - _step(k - 3)


def _pulse5(k):
    return _step(k) - _step(k - 5)


def _step_4(k):
    return _step(k - 4)


def _half_abs(k):
    return _half_pow(abs(k))


def _ramp(k):
    return k * _step(k)


def _two_anticausal(k):
    return Fraction(2) ** k * _step(-k)


def _delta2(k):
    return 1 if k == 2 else 0


def textbook_pairs(n):
    """The closed-form pairs (exact ``Rational`` input)."""
    return [
        Pair("(1/2)^n u[n] * u[n]", HALF**n * u(n), u(n), _geo_half, _step,
             (0, None), (0, None), quick=True),
        Pair("(1/2)^n u[n] * (1/3)^n u[n]", HALF**n * u(n), THIRD**n * u(n), _geo_half,
             _geo_third, (0, None), (0, None)),
        Pair("(1/2)^n u[n] * (1/2)^n u[n]", HALF**n * u(n), HALF**n * u(n), _geo_half,
             _geo_half, (0, None), (0, None), quick=True),
        Pair("(u[n]-u[n-3]) * (u[n]-u[n-5])", u(n) - u(n - 3), u(n) - u(n - 5), _pulse3, _pulse5,
             (0, 2), (0, 4), quick=True),
        Pair("(1/2)^n u[n] * u[n-4]", HALF**n * u(n), u(n - 4), _geo_half, _step_4,
             (0, None), (4, None)),
        Pair("(1/2)^|n| * (1/2)^|n|", HALF ** Abs(n), HALF ** Abs(n), _half_abs, _half_abs,
             (None, None), (None, None), quick=True),
        Pair("n u[n] * u[n]", n * u(n), u(n), _ramp, _step, (0, None), (0, None)),
        Pair("2^n u[-n] * (1/2)^n u[n]", 2**n * u(-n), HALF**n * u(n), _two_anticausal,
             _geo_half, (None, 0), (0, None)),
        Pair("delta[n-2] * (1/2)^n u[n]", KroneckerDelta(n, 2), HALF**n * u(n), _delta2,
             _geo_half, (2, 2), (0, None)),
    ]


def own_form(expr):
    """``expr`` with the benchmark's own step (not symconv's) for checking the definitions."""
    return expr.replace(u, lambda x, *rest: Piecewise((1, x >= 0), (0, True)))


def check_definitions(pair, n):
    """The Python functions must give the SymPy expressions' values (a benchmark bug if not)."""
    for expr, ref, (lo, hi) in ((pair.f, pair.fref, pair.fsupp), (pair.g, pair.gref, pair.gsupp)):
        e = own_form(expr)
        for k in range(-12, 13):
            got = e.subs(n, k)
            if Fraction(int(got.p), int(got.q)) != ref(k):
                raise AssertionError(f"{pair.name}: definition differs at n={k}: {expr}")
            outside = (lo is not None and k < lo) or (hi is not None and k > hi)
            if outside and ref(k) != 0:
                raise AssertionError(f"{pair.name}: nonzero outside the declared support, n={k}")


def reference_value(pair, n0):
    """``(value, exact)``: ``sum_k f[k] g[n0 - k]`` in Fractions; exact when the range is finite."""
    (flo, fhi), (glo, ghi) = pair.fsupp, pair.gsupp
    los = [x for x in (flo, None if ghi is None else n0 - ghi) if x is not None]
    his = [x for x in (fhi, None if glo is None else n0 - glo) if x is not None]
    lo, hi = (max(los) if los else None), (min(his) if his else None)
    exact = lo is not None and hi is not None
    if lo is None and hi is None:
        lo, hi = min(0, n0) - TAIL, max(0, n0) + TAIL
    elif lo is None:
        lo = min(hi, 0, n0) - TAIL
    elif hi is None:
        hi = max(lo, 0, n0) + TAIL
    total = Fraction(0)
    for k in range(lo, hi + 1):
        a = pair.fref(k)
        if a:
            total += a * pair.gref(n0 - k)
    return total, exact


def sympy_form(expr, piecewise):
    """``expr`` as a SymPy user writes it: ``Heaviside(x, 1)`` for ``u``, optionally Piecewise."""
    e = expr.replace(u, lambda x, *rest: Heaviside(x, 1))
    return e.rewrite(Piecewise) if piecewise else e


def _as_mp(e):
    """A SymPy number as an mpmath ``mpc``, or ``None`` when it is not a finite number."""
    if e.has(nan, zoo, oo, -oo) or e.free_symbols:
        return None
    v = e.evalf(50)
    re_, im_ = v.as_real_imag()
    if not (re_.is_Float or re_.is_zero) or not (im_.is_Float or im_.is_zero):
        return None
    return mpmath.mpc(mpmath.mpf(re_._mpf_) if re_.is_Float else 0,
                      mpmath.mpf(im_._mpf_) if im_.is_Float else 0)


def check_form(result, n, refs):
    """``(status, detail, exact points)`` of a closed-form result against the reference."""
    if result.has(Sum):
        return "unevaluated", "result contains a Sum", 0
    exact_pts = 0
    with mpmath.workdps(50):
        for n0, (p, q), exact in refs:
            ref = Fraction(p, q)
            got = result.subs(n, n0)
            if got.has(Sum):
                return "unevaluated", f"value at n={n0} contains a Sum", exact_pts
            if got.is_Rational and Fraction(int(got.p), int(got.q)) == ref:
                exact_pts += 1
                continue
            if exact:
                return "wrong", f"n={n0}: got {got}, expected {ref} (exact)", exact_pts
            num = _as_mp(got)
            if num is None:
                return "wrong", f"n={n0}: {str(got)[:60]} is not a finite number", exact_pts
            want = mpmath.mpf(p) / q
            if abs(num - want) > NUMERIC_TOL * max(1, abs(want)):
                return ("wrong", f"n={n0}: got {mpmath.nstr(num, 15)}, expected "
                        f"{mpmath.nstr(want, 15)}", exact_pts)
    return "correct", "", exact_pts


# ---------------------------------------------------------------------------
# the finite lists


@dataclass(frozen=True)
class ListCase:
    kind: str  # "int", "sympy-int" (the same integers as SymPy Integer) or "rational"
    length: int
    seed: int

    @property
    def label(self):
        what = {"int": "integers", "sympy-int": "integers as SymPy Integer",
                "rational": "rationals"}[self.kind]
        return f"{what}, length {fmt_len(self.length)}"


def fmt_len(m):
    e = round(math.log10(m))
    return f"10^{e}" if 10**e == m else str(m)


def make_lists(case):
    """The two input lists of a case (deterministic): Python ints or Fractions, nonzero ends."""
    rng = random.Random(f"{case.seed}-{case.kind}-{case.length}")

    def value():
        p = rng.randint(-(10**6), 10**6)
        return p if case.kind != "rational" else Fraction(p, rng.randint(1, 1000))

    def one():
        vals = [value() for _ in range(case.length)]
        for i in (0, -1):
            while vals[i] == 0:
                vals[i] = value()
        return vals

    return one(), one()


def canonical(values):
    """Exact values as ``int`` or ``(p, q)``; ``None`` if some value is not a rational number."""
    out = []
    for v in values:
        if isinstance(v, int):
            out.append(int(v))
        elif isinstance(v, Fraction):
            out.append(v.numerator if v.denominator == 1 else (v.numerator, v.denominator))
        elif getattr(v, "is_Rational", False):
            out.append(int(v.p) if v.q == 1 else (int(v.p), int(v.q)))
        else:
            return None
    return out


def _frac(v):
    return Fraction(v) if isinstance(v, int) else Fraction(*v)


_P = 2**127 - 1


def _mod(v):
    if isinstance(v, int):
        return v % _P
    p, q = v
    return p % _P * pow(q % _P, -1, _P) % _P


def _eval_mod(values, x):
    acc = 0
    for v in reversed(values):
        acc = (acc * x + v) % _P
    return acc


def check_list(result, a, b, rng):
    """Independent check of an exact full convolution ``result`` of ``a`` and ``b``."""
    if len(result) != len(a) + len(b) - 1:
        return f"length {len(result)}, expected {len(a) + len(b) - 1}"
    am = [_mod(canonical([v])[0]) for v in a]
    bm = [_mod(canonical([v])[0]) for v in b]
    rm = [_mod(v) for v in result]
    for _ in range(3):
        x = rng.randrange(2, _P)
        if _eval_mod(rm, x) != _eval_mod(am, x) * _eval_mod(bm, x) % _P:
            return "product polynomial differs at a random point (mod 2^127-1)"
    last = len(result) - 1
    spots = {0, 1, last // 2, last - 1, last, *(rng.randrange(last + 1) for _ in range(3))}
    for k in sorted(spots):
        lo, hi = max(0, k - len(b) + 1), min(k, len(a) - 1)
        want = sum((a[i] * b[k - i] for i in range(lo, hi + 1)), 0)
        if _frac(result[k]) != want:
            return f"coefficient {k} is {_frac(result[k])}, expected {want}"
    return ""


def float_error(values, exact):
    """``(max abs error, max abs error / max |exact|, wrong when rounded)`` of a float result."""
    if len(values) != len(exact):
        return None
    worst, scale, off = Fraction(0), Fraction(0), 0
    for f, e in zip(values, exact, strict=True):
        e = _frac(e)
        err = abs(Fraction(f) - e)
        worst, scale = max(worst, err), max(scale, abs(e))
        if e.denominator == 1 and round(f) != e:
            off += 1
    return float(worst), float(worst / scale) if scale else 0.0, off


# ---------------------------------------------------------------------------
# one method in its own process







def _prepare_form(job):
    """``(run, finish)`` for a closed-form job ``("form", method, f, g, n, refs)``."""
    _, method, f, g, n, refs = job
    k = Symbol("k", integer=True)
    if method == "symconv":
        convolve(u(n) - u(n - 2), u(n) - u(n - 1), n)  # warm-up on a different problem

        def run():
            return convolve(f, g, n)
    else:
        summation(THIRD**k * Heaviside(k, 1), (k, -oo, oo))  # warm-up

        def run():
            return summation(f.subs(n, k) * g.subs(n, n - k), (k, -oo, oo))

    def finish(result):
        if job[0] == "periodic":
            return check_periodic(result, n, refs)
        return check_form(result, n, refs)

    return run, finish


def _prepare_list(job):
    """``(run, finish)`` for a list job ``("list", method, case)``; finish gives the values."""
    _, method, case = job
    a, b = make_lists(case)
    if case.kind == "sympy-int" or (method == "sympy" and case.kind == "rational"):
        a, b = [Rational(x) for x in a], [Rational(x) for x in b]  # what a SymPy user holds
    if method == "symconv":
        convolve([1, 2], [3, 4])
        convolve([Fraction(1, 2)], [Fraction(1, 3)])

        def run():
            return convolve(a, b)
    elif method == "sympy":
        from sympy.discrete.convolutions import convolution

        convolution([1, 2], [3, 4])

        def run():
            return convolution(a, b)
    else:
        import numpy as np

        dtype = object if method == "numpy object" else float
        np.convolve(np.array([1, 2], dtype=dtype), np.array([3, 4], dtype=dtype))

        def run():
            return np.convolve(np.array(a, dtype=dtype), np.array(b, dtype=dtype))

    def finish(result):
        if method == "numpy float":
            return [float(x) for x in result]
        values = canonical(result)
        if values is None:
            bad = next(x for x in result if not getattr(x, "is_Rational", True))
            return f"not rational numbers (e.g. {type(bad).__name__}: {str(bad)[:50]})"
        return values

    return run, finish


def _child(job, conn, limits, repeats, budget, clock):
    run_limit, check_limit = limits
    if run_limit is not None:
        signal.signal(signal.SIGXCPU, _on_cpu_limit)
    try:
        run, finish = (_prepare_list if job[0] == "list" else _prepare_form)(job)
        conn.send(("ready",))
        result, spent = None, 0.0
        for _ in range(repeats):
            clear_cache()
            _limit_cpu(run_limit)
            wall, cpu = time.perf_counter(), time.thread_time()
            result = run()
            wall, cpu = time.perf_counter() - wall, time.thread_time() - cpu
            conn.send(("ran", wall, cpu))
            spent += cpu if clock == "cpu" else wall
            if spent >= budget:
                break
        conn.send(("done",))
    except Exception as exc:  # noqa: BLE001 - any failure of the method is a result
        conn.send(("error", f"{type(exc).__name__}: {exc}"[:160]))
        return
    _limit_cpu(check_limit)
    try:
        payload = finish(result)
    except Exception as exc:  # noqa: BLE001
        payload = ("error", f"check failed: {type(exc).__name__}: {exc}"[:160], 0)
    conn.send(("checked", payload))


@dataclass
class Outcome:
    status: str  # correct/wrong/unevaluated/timeout/error/unchecked/skipped, or "ran" for lists
    time: float | None = None  # median seconds on the chosen clock
    detail: str = ""
    payload: object = None
    runs: list = field(default_factory=list)  # (wall, cpu) per run


def run_job(ctx, job, *, repeats, budget, timeout, check_timeout, clock):
    """One method in a fresh process, stopped when a run exceeds ``timeout`` seconds.

    With ``clock="cpu"`` (on Unix) the limit is on the child's CPU time; five times the limit
    in wall time is the backstop. With ``clock="wall"`` the limit is wall time.
    """
    cpu = clock == "cpu" and resource is not None
    limits = (timeout, check_timeout) if cpu else (None, None)
    run_wait, check_wait = (5 * timeout, 5 * check_timeout) if cpu else (timeout, check_timeout)
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(job, send, limits, repeats, budget, clock),
                       daemon=True)
    proc.start()
    send.close()
    out = Outcome("error")

    def wait(limit):
        if recv.poll(limit):
            try:
                return recv.recv()
            except EOFError:
                return ("died",)
        return ("timeout",)

    try:
        msg = wait(300)  # start-up, imports, inputs, warm-up: not timed
        if msg[0] == "ready":
            while True:
                msg = wait(run_wait)
                if msg[0] != "ran":
                    break
                out.runs.append(msg[1:])
            if msg[0] == "done":
                out.time = statistics.median(r[CLOCKS.index(clock)] for r in out.runs)
                msg = wait(check_wait)
        if msg[0] == "died":
            proc.join(10)
            if proc.exitcode in (_CPU_LIMIT_EXIT, -signal.SIGXCPU):
                msg = ("timeout",)
        if msg[0] == "checked":
            out.status, out.payload = "ran", msg[1]
        elif msg[0] == "error":
            out.status, out.detail = "error", msg[1]
        elif msg[0] == "timeout" and out.time is None:
            out.status, out.detail = "timeout", f"no result within {timeout:g} s ({clock})"
        elif msg[0] == "timeout":
            out.status, out.detail = "unchecked", f"check took over {check_timeout:g} s ({clock})"
        else:
            out.status, out.detail = "error", f"process ended (exit code {proc.exitcode})"
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join()
        recv.close()
    return out


# ---------------------------------------------------------------------------
# formatting




def fmt_ratio(out, base, timeout):
    if not base:
        return "-"
    if out.status == "timeout":
        return f">{timeout / base:,.0f}x"
    if out.time is None:
        return "-"
    r = out.time / base
    return f"{r:,.0f}x" if r >= 10 else f"{r:.1f}x" if r >= 0.1 else f"{r:.2f}x"






def progress(text, end=""):
    print(text, end=end, flush=True, file=sys.stderr)


# ---------------------------------------------------------------------------
# the closed-form table


def run_forms(args, ctx):
    n = symbols("n", integer=True)
    pairs = textbook_pairs(n)
    if args.quick and not args.only:
        pairs = [p for p in pairs if p.quick]
    if args.only:
        pairs = [p for p in pairs if any(s.lower() in p.name.lower() for s in args.only)]
    results = []
    for pair in pairs:
        progress(f"  {pair.name} ...")
        check_definitions(pair, n)
        refs = []
        for n0 in SAMPLE_N:
            value, exact = reference_value(pair, n0)
            refs.append((n0, (value.numerator, value.denominator), exact))
        row = {}
        for method in FORM_METHODS:
            if method == "symconv":
                f, g, repeats = pair.f, pair.g, args.repeats
            else:
                pw = method == "sympy+PW"
                f, g, repeats = sympy_form(pair.f, pw), sympy_form(pair.g, pw), 1
            out = run_job(ctx, ("form", method, f, g, n, refs), repeats=repeats, budget=math.inf,
                          timeout=args.timeout, check_timeout=args.check_timeout,
                          clock=args.clock)
            if out.status == "ran":
                out.status, out.detail, out.payload = out.payload
            row[method] = out
            progress(f" {method}: {out.status}")
        progress("", end="\n")
        results.append((pair, row, refs))

    headers = ["pair", "symconv", "check", "sympy summation", "sympy + Piecewise",
               "ratio sympy", "ratio sympy+PW"]
    rows = []
    for pair, row, refs in results:
        sc = row["symconv"]
        n_exact = sum(1 for *_, exact in refs if exact)
        how = ("exact" if n_exact == len(refs) else "to 1e-20" if not n_exact
               else f"{n_exact} exact, {len(refs) - n_exact} to 1e-20")
        rows.append([pair.name, fmt_time(sc.time), f"{sc.status} ({len(refs)} n: {how})",
                     fmt_outcome(row["sympy"], args.timeout),
                     fmt_outcome(row["sympy+PW"], args.timeout),
                     fmt_ratio(row["sympy"], sc.time, args.timeout),
                     fmt_ratio(row["sympy+PW"], sc.time, args.timeout)])
    print()
    print(f"Closed forms: symconv convolve(f, g, n) (median of {args.repeats} runs, cache "
          f"cleared) vs SymPy summation(f(k) g(n-k), (k, -oo, oo)) (one run, limit "
          f"{args.timeout:g} s); {args.clock} time; ratio = SymPy time / symconv time.")
    print()
    print_table(headers, rows, args.markdown)
    print()
    parts = []
    for method in FORM_METHODS:
        counts = {}
        for _, row, _ in results:
            counts[row[method].status] = counts.get(row[method].status, 0) + 1
        others = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()) if k != "correct")
        parts.append(f"{method}: {counts.get('correct', 0)}/{len(results)} correct"
                     + (f" ({others})" if others else ""))
    summary = "Summary: " + "; ".join(parts)
    sc_times = [row["symconv"].time for _, row, _ in results if row["symconv"].time]
    if sc_times:
        summary += f". symconv median {fmt_time(statistics.median(sc_times))}"
    print(summary + ".")
    notes = [f"{pair.name} [{m}] {row[m].status}: {row[m].detail}"
             for pair, row, _ in results for m in FORM_METHODS
             if row[m].status != "correct" and (args.verbose or m == "symconv"
                                                or row[m].status != "unevaluated")]
    unevaluated = [f"{m} on {c} of {len(results)} pairs" for m in FORM_METHODS
                   if (c := sum(row[m].status == "unevaluated" for _, row, _ in results))]
    if unevaluated and not args.verbose:
        notes.append(f"unevaluated (the result contains a Sum): {', '.join(unevaluated)} "
                     "(--verbose lists them)")
    if notes:
        print()
        for note in sorted(notes, key=lambda x: "[symconv]" not in x):
            print(("- " if args.markdown else "  ") + note)
    return all(row["symconv"].status == "correct" for _, row, _ in results)


# ---------------------------------------------------------------------------
# the finite-list table


def list_cases(args):
    if args.quick:
        plan = (("int", (100, 1000)), ("sympy-int", (100,)), ("rational", (100, 1000)))
    else:
        plan = (("int", (1000, 10**4, 10**5)), ("sympy-int", (1000,)),
                ("rational", (1000, 10**4)))
    return [ListCase(kind, m, args.seed) for kind, sizes in plan for m in sizes]


def run_lists(args, ctx):
    rng = random.Random(args.seed)
    results, failures, timed_out, last = [], [], {}, {}
    for case in list_cases(args):
        progress(f"  {case.label} ...")
        row = {}
        for method in LIST_METHODS:
            key = (case.kind, method)
            prev = last.get(key)
            if key in timed_out:
                row[method] = Outcome("skipped", detail=f"timed out at {timed_out[key]}")
            elif (method == "numpy object" and prev
                  and prev[1] * (case.length / prev[0]) ** 2 > args.list_timeout):
                est = prev[1] * (case.length / prev[0]) ** 2
                row[method] = Outcome("skipped", detail=f"O(n^2): ~{est:,.0f} s estimated")
            else:
                out = run_job(ctx, ("list", method, case), repeats=args.repeats,
                              budget=args.budget, timeout=args.list_timeout,
                              check_timeout=args.check_timeout, clock=args.clock)
                if out.status == "timeout":
                    timed_out[key] = fmt_len(case.length)
                if out.time:
                    last[key] = (case.length, out.time)
                row[method] = out
            progress(f" {method}: {row[method].status}")
        progress("", end="\n")
        a, b = make_lists(case)
        exact = None
        for method in LIST_METHODS[:3]:
            out = row[method]
            if out.status != "ran":
                continue
            if isinstance(out.payload, str):
                out.status, out.detail = "wrong", out.payload
                continue
            err = check_list(out.payload, a, b, rng)
            if err:
                out.status, out.detail = "wrong", err
            elif method == "symconv":
                out.status, exact = "correct", out.payload
            elif exact is not None:
                out.status = "correct, = symconv" if out.payload == exact else "wrong"
                if out.payload != exact:
                    i = next(i for i, (x, y) in enumerate(zip(out.payload, exact, strict=True))
                             if x != y)
                    out.detail = f"differs from symconv at index {i}"
            else:
                out.status = "correct"
            out.payload = None
        fl = row["numpy float"]
        if fl.status == "ran":
            fl.detail = "no exact result to compare with"
            if exact is not None:
                e = float_error(fl.payload, exact)
                if e:
                    worst, rel, off = e
                    fl.detail = f"max abs err {worst:.2g}, relative {rel:.1g}"
                    if case.kind != "rational":
                        fl.detail += f", {off} entries wrong when rounded"
            fl.payload = None
        for method in LIST_METHODS:
            out = row[method]
            if out.status.startswith("wrong") or (method == "symconv" and out.status != "correct"):
                failures.append(f"{case.label} [{method}] {out.status}: {out.detail}")
        results.append((case, row))

    def cell(out):
        if out.status == "timeout":
            return f"timeout (>{args.list_timeout:g} s)"
        if out.status == "skipped":
            return f"skipped ({out.detail})"
        if out.time is None:
            return out.status
        status = "" if out.status == "ran" else f" {out.status}"
        return f"{fmt_time(out.time)}{status}"

    headers = ["case", "symconv", "sympy convolution", "ratio", "numpy object", "ratio",
               "numpy float", "ratio", "float accuracy"]
    rows = []
    for case, row in results:
        sc = row["symconv"]
        base = sc.time if sc.status == "correct" else None
        cells = [case.label, f"{fmt_time(sc.time)} {sc.status}" if sc.time else sc.status]
        for method in LIST_METHODS[1:]:
            cells += [cell(row[method]), fmt_ratio(row[method], base, args.list_timeout)]
        cells.append(row["numpy float"].detail or "-")
        rows.append(cells)
    print()
    print(f"Finite exact lists: symconv convolve(a, b) vs sympy.discrete.convolution("
          f"a, b), numpy.convolve on dtype=object arrays and, for speed context, on floats; "
          f"median of up to {args.repeats} runs (stopping after {args.budget:g} s), limit "
          f"{args.list_timeout:g} s per run; {args.clock} time; ratio = peer time / symconv "
          "time. Values in [-10^6, 10^6]; rationals p/q with q in 1..1000. SymPy gets SymPy "
          "Rational entries for the rationals.")
    print()
    print_table(headers, rows, args.markdown)
    print()
    missed = []
    for case, row in results:
        sc = row["symconv"]
        if case.kind == "int" and case.length == 10**5:
            ok = sc.status == "correct" and sc.time is not None and sc.time <= SPEED_TARGET
            verdict = "met" if ok else "TARGET MISSED"
            print(f"Target (exact integer lists of length 10^5 well under a second, flagged above "
                  f"{SPEED_TARGET:g} s): symconv {fmt_time(sc.time)} ({args.clock}) -> {verdict}.")
            if not ok:
                missed.append(case.label)
    notes = [f"{case.label} [{m}] {row[m].status}: {row[m].detail}" for case, row in results
             for m in LIST_METHODS[:3] if row[m].status in ("wrong", "error", "unchecked")]
    if notes:
        print()
        for note in notes:
            print(("- " if args.markdown else "  ") + note)
    for fail in failures:
        print(f"CHECK FAILED: {fail}")
    return not any("[symconv]" in f for f in failures)



# ---------------------------------------------------------------------------
# the periodic table (its own section: sequences with cos/sin(πqn) factors)

PERIODIC_FREQS = (Rational(1, 2), Rational(1, 3), Rational(1, 4), Rational(2, 3), Rational(3, 4))
PERIODIC_PIECES = {"u(n)": (0, None), "u(n)-u(n-5)": (0, 4), "u(n-2)": (2, None)}
PERIODIC_N = (-1, 0, 1, 2, 3, 4, 5, 6, 7, 9, 13, 24)
_PROD = {(0, 0): (1, 0), (0, 1): (1, 1), (0, 2): (1, 2), (0, 3): (1, 3), (1, 1): (2, 0),
         (1, 2): (1, 3), (1, 3): (2, 2), (2, 2): (3, 0), (2, 3): (3, 1), (3, 3): (6, 0)}


def q23(*v):
    """An element ``v0 + v1√2 + v2√3 + v3√6`` of ``Q(√2, √3)`` as a 4-tuple of Fractions."""
    return tuple(Fraction(x) for x in v) + (Fraction(0),) * (4 - len(v))


def q23_add(x, y):
    return tuple(a + b for a, b in zip(x, y, strict=True))


def q23_mul(x, y):
    out = [Fraction(0)] * 4
    for i, a in enumerate(x):
        for j, b in enumerate(y):
            if a and b:
                f, k = _PROD[(min(i, j), max(i, j))]
                out[k] += f * a * b
    return tuple(out)


_COS_TABLE = {0: q23(1), 1: q23(0, Fraction(1, 4), 0, Fraction(1, 4)), 2: q23(0, 0, Fraction(1, 2)),
              3: q23(0, Fraction(1, 2)), 4: q23(Fraction(1, 2)),
              5: q23(0, Fraction(-1, 4), 0, Fraction(1, 4)), 6: q23(0)}


def cos12(j):
    """``cos(jπ/12)``, from the table and the symmetries of the cosine."""
    j %= 24
    j = 24 - j if j > 12 else j
    return _COS_TABLE[j] if j <= 6 else q23_mul(q23(-1), _COS_TABLE[12 - j])


def q23_from_sympy(e):
    """A SymPy number made of rationals, √2, √3, √6 as an element of ``Q(√2, √3)``."""
    if e.is_Rational:
        return q23(Fraction(int(e.p), int(e.q)))
    if isinstance(e, Pow) and e.exp == HALF and e.base in (2, 3, 6):
        return tuple(Fraction(int(i == {2: 1, 3: 2, 6: 3}[int(e.base)])) for i in range(4))
    if isinstance(e, Pow) and e.exp.is_Integer and e.base.is_Rational:
        return q23(Fraction(int(e.base.p), int(e.base.q)) ** int(e.exp))
    if isinstance(e, (Add, Mul)):
        out = q23(0 if isinstance(e, Add) else 1)
        for a in e.args:
            out = (q23_add if isinstance(e, Add) else q23_mul)(out, q23_from_sympy(a))
        return out
    raise ValueError(f"not a number of Q(sqrt 2, sqrt 3): {str(e)[:60]}")


def random_periodic(rng, n, terms=4):
    """``(expr, spec, support)``: a random sum of ``c nᵏ aⁿ cos/sin(πqn)`` on a piece."""
    piece = rng.choice(sorted(PERIODIC_PIECES))
    expr, spec = 0, []
    for _ in range(terms):
        c = Rational(rng.choice([-3, -2, -1, 1, 2, 3]), rng.randint(1, 4))
        k = rng.randint(0, 2)
        a = Rational(rng.choice([-3, -2, -1, 1, 2, 3]), rng.randint(4, 5))
        trig = rng.choice(["cos", "sin", None])
        q = rng.choice(PERIODIC_FREQS)
        term = c * n**k * a**n
        if trig:
            term *= (cos if trig == "cos" else sin)(pi * q * n)
        expr += term
        spec.append((Fraction(int(c.p), int(c.q)), k, Fraction(int(a.p), int(a.q)), trig,
                     int(q * 12)))
    window = {"u(n)": u(n), "u(n)-u(n-5)": u(n) - u(n - 5), "u(n-2)": u(n - 2)}[piece]
    return expr * window, spec, PERIODIC_PIECES[piece]


def periodic_value(spec, support, x):
    lo, hi = support
    if x < lo or (hi is not None and x > hi):
        return q23(0)
    total = q23(0)
    for c, k, a, trig, j in spec:
        t = q23(c * Fraction(x) ** k * a**x)
        if trig:
            t = q23_mul(t, cos12(j * x) if trig == "cos" else cos12(6 - j * x))
        total = q23_add(total, t)
    return total


def periodic_reference(fs, gs, x):
    """``Σ_k f[k] g[x - k]`` exactly (both supports start at a finite point)."""
    (fspec, fsupp), (gspec, gsupp) = fs, gs
    total = q23(0)
    for k in range(fsupp[0], x - gsupp[0] + 1):
        total = q23_add(total, q23_mul(periodic_value(fspec, fsupp, k),
                                       periodic_value(gspec, gsupp, x - k)))
    return total


def check_periodic(result, n, refs):
    """``(status, detail, exact points)`` against exact values in ``Q(√2, √3)``."""
    if result.has(Sum):
        return "unevaluated", "result contains a Sum", 0
    for i, (n0, want) in enumerate(refs):
        try:
            got = q23_from_sympy(result.subs(n, n0).expand())
        except ValueError as err:
            return "wrong", f"n={n0}: {err}", i
        if got != want:
            return "wrong", f"n={n0}: the value differs from the exact direct sum", i
    return "correct", "", len(refs)


_BEFORE_SCRIPT = r"""
import pickle, sys, time
sys.path.insert(0, sys.argv[1])
from sympy.core.cache import clear_cache
from symconv import convolve, u
f, g, n = pickle.load(sys.stdin.buffer)
convolve(u(n) - u(n - 2), u(n) - u(n - 1), n)
clear_cache()
wall, cpu = time.perf_counter(), time.thread_time()
r = convolve(f, g, n, timeout=float(sys.argv[2]))
wall, cpu = time.perf_counter() - wall, time.thread_time() - cpu
sys.stdout.buffer.write(pickle.dumps((wall, cpu, r)))
"""


def run_before(path, f, g, n, refs, timeout, clock):
    """symconv of the checkout at ``path`` in its own interpreter, stopped by its own
    ``timeout=`` (wall time) and, as a backstop, after twice the limit."""
    env = dict(os.environ, PYTHONPATH=str(path))
    try:
        proc = subprocess.run([sys.executable, "-c", _BEFORE_SCRIPT, str(path), str(timeout)],
                              input=pickle.dumps((f, g, n)), capture_output=True,
                              timeout=2 * timeout + 30, env=env, check=False)
    except subprocess.TimeoutExpired:
        return Outcome("timeout", detail=f"no result within {2 * timeout:g} s (wall)")
    if proc.returncode:
        err = proc.stderr.decode()
        if "TimeLimitError" in err:
            return Outcome("timeout", detail=f"no result within {timeout:g} s (wall)")
        return Outcome("error", detail=err[-160:])
    wall, cpu, result = pickle.loads(proc.stdout)
    spent = cpu if clock == "cpu" else wall
    if spent > timeout:
        return Outcome("timeout", detail=f"{spent:.1f} s, over the {timeout:g} s limit")
    status, detail, _ = check_periodic(result, n, refs)
    return Outcome(status, spent, detail)


def run_periodic(args, ctx):
    n = symbols("n", integer=True)
    rng = random.Random(args.seed)
    methods = ["symconv", "sympy"] + (["before"] if args.before else [])
    results = []
    for i in range(args.periodic_pairs):
        f, fspec, fsupp = random_periodic(rng, n)
        g, gspec, gsupp = random_periodic(rng, n)
        refs = [(x, periodic_reference((fspec, fsupp), (gspec, gsupp), x)) for x in PERIODIC_N]
        progress(f"  periodic pair {i} ...")
        row = {}
        for method in methods:
            if method == "before":
                out = run_before(args.before, f, g, n, refs, args.timeout, args.clock)
            else:
                ff, gg = (f, g) if method == "symconv" else (sympy_form(f, False),
                                                              sympy_form(g, False))
                out = run_job(ctx, ("periodic", method, ff, gg, n, refs),
                              repeats=args.repeats if method == "symconv" else 1,
                              budget=math.inf, timeout=args.timeout,
                              check_timeout=args.check_timeout, clock=args.clock)
                if out.status == "ran":
                    out.status, out.detail, _ = out.payload
            row[method] = out
            progress(f" {method}: {out.status}")
        progress("", end="\n")
        results.append((f"pair {i}", f, g, row))

    headers = ["pair", "symconv", "sympy summation"] + (["before"] if args.before else [])
    rows = [[name] + [fmt_outcome(row[m], args.timeout) for m in methods]
            for name, _f, _g, row in results]
    print()
    print(f"Periodic factors: {len(results)} random pairs of 4-term sequences "
          f"c n^k a^n cos/sin(pi q n) (seed {args.seed}); symconv median of {args.repeats} runs, "
          f"SymPy summation one run, limit {args.timeout:g} s; {args.clock} time; every result "
          f"checked at {len(PERIODIC_N)} n against exact direct sums in Q(sqrt 2, sqrt 3).")
    print()
    print_table(headers, rows, args.markdown)
    print()
    for m in methods:
        outs = [row[m] for *_x, row in results]
        times = [o.time for o in outs if o.status == "correct" and o.time is not None]
        counts = {}
        for o in outs:
            counts[o.status] = counts.get(o.status, 0) + 1
        summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
        if times:
            summary += (f"; time of correct results: median {fmt_time(statistics.median(times))}"
                        f", max {fmt_time(max(times))}")
        print(f"{m}: {summary}")
    bad = [f"{name} [symconv] {row['symconv'].status}: {row['symconv'].detail}"
           for name, _f, _g, row in results if row["symconv"].status != "correct"]
    for line in bad:
        print(f"CHECK FAILED: {line}")
    if args.verbose:
        for name, f, g, _row in results:
            print(f"  {name}: f = {f}\n  {' ' * len(name)}  g = {g}")
    return not bad

# ---------------------------------------------------------------------------



# ---------------------------------------------------------------------------
# hypergeometric terms (factorials, binomials): symconv.engine.hyperterms against summation
#
# Poisson weights are taken without their constant e^{-λ} (λⁿ/n! u[n]) so that every value,
# and so every reference, is an exact rational; the engine's path is the same.


def _poisson_w(lam):
    def f(k):
        return Fraction(lam) ** k / math.factorial(k) if k >= 0 else Fraction(0)
    return f


def _binom_w(m, p):
    def f(k):
        return math.comb(m, k) * Fraction(p) ** k * (1 - Fraction(p)) ** (m - k) \
            if 0 <= k <= m else Fraction(0)
    return f


def _negbin_w(r, p):
    def f(k):
        return math.comb(k - 1, r - 1) * Fraction(p) ** r * (1 - Fraction(p)) ** (k - r) \
            if k >= r else Fraction(0)
    return f


def hypergeometric_pairs(n):
    """Poisson*Poisson, Bin*Bin, NegBin*NegBin, Poisson*Geometric with rational parameters."""
    from sympy import binomial, factorial

    l1, l2, p = Rational(3, 2), Rational(2, 5), Rational(1, 3)

    def poisson(lam):
        return lam**n / factorial(n) * u(n)

    def binom(m):
        return binomial(m, n) * p**n * (1 - p) ** (m - n)

    def negbin(r):
        return binomial(n - 1, r - 1) * p**r * (1 - p) ** (n - r) * u(n - r)

    geo = p * (1 - p) ** (n - 1) * u(n - 1)
    return [
        Pair("Poisson(3/2) * Poisson(2/5) weights", poisson(l1), poisson(l2), _poisson_w(l1),
             _poisson_w(l2), (0, None), (0, None), True),
        Pair("Bin(5, 1/3) * Bin(7, 1/3)", binom(5), binom(7), _binom_w(5, p), _binom_w(7, p),
             (0, 5), (0, 7), True),
        Pair("NegBin(3, 1/3) * NegBin(4, 1/3)", negbin(3), negbin(4), _negbin_w(3, p),
             _negbin_w(4, p), (3, None), (4, None), True),
        Pair("Poisson(3/2) weights * Geometric(1/3)", poisson(l1), geo, _poisson_w(l1),
             _negbin_w(1, p), (0, None), (1, None), True),
    ]


def run_hyper_forms(args, ctx):
    """The hypergeometric table: like :func:`run_forms`, on :func:`hypergeometric_pairs`."""
    n = symbols("n", integer=True)
    results, ok = [], True
    for pair in hypergeometric_pairs(n):
        if args.only and not any(t.lower() in pair.name.lower() for t in args.only):
            continue
        progress(f"  {pair.name} ...")
        refs = []
        for n0 in SAMPLE_N + (57,):
            value, exact = reference_value(pair, n0)
            refs.append((n0, (value.numerator, value.denominator), exact))
        row = {}
        for method in ("symconv", "sympy"):
            f, g = (pair.f, pair.g) if method == "symconv" else (
                sympy_form(pair.f, False), sympy_form(pair.g, False))
            repeats = args.repeats if method == "symconv" else 1
            out = run_job(ctx, ("form", method, f, g, n, refs), repeats=repeats, budget=math.inf,
                          timeout=args.timeout, check_timeout=args.check_timeout,
                          clock=args.clock)
            if out.status == "ran":
                out.status, out.detail, out.payload = out.payload
            row[method] = out
            progress(f" {method}: {out.status}")
        progress("", end="\n")
        ok = ok and row["symconv"].status == "correct"
        results.append((pair, row))
    headers = ["pair", "symconv", "check", "sympy summation", "ratio sympy"]
    rows = [[pair.name, fmt_time(row["symconv"].time),
             f"{row['symconv'].status} {row['symconv'].detail}".strip(),
             fmt_outcome(row["sympy"], args.timeout),
             fmt_ratio(row["sympy"], row["symconv"].time, args.timeout)]
            for pair, row in results]
    print()
    print(f"Hypergeometric terms: symconv convolve(f, g, n) vs SymPy summation(f(k) g(n-k), "
          f"(k, -oo, oo)); exact direct sums at {len(SAMPLE_N) + 1} n; {args.clock} time.")
    print()
    print_table(headers, rows, args.markdown)
    return ok


def parse_args(argv=None):
    p = argparse.ArgumentParser(
        description="Benchmark symconv on sequences: closed forms against SymPy's summation, "
                    "finite exact lists against sympy.discrete.convolution and numpy.convolve "
                    "(correctness and time).")
    p.add_argument("--timeout", type=float, default=None,
                   help="time limit in seconds for one closed-form run, on the --clock "
                        "(default 20; 5 with --quick)")
    p.add_argument("--list-timeout", type=float, default=None,
                   help="time limit in seconds for one list convolution, on the --clock "
                        "(default 120; 5 with --quick)")
    p.add_argument("--check-timeout", type=float, default=60.0,
                   help="time limit in seconds for checking one closed-form result or "
                        "converting one list result (default 60)")
    p.add_argument("--repeats", type=int, default=None,
                   help="symconv runs per pair, and runs per list method; the median is "
                        "reported (default 5; 3 with --quick)")
    p.add_argument("--budget", type=float, default=2.0,
                   help="list methods stop repeating once they have spent this many seconds "
                        "(default 2)")
    p.add_argument("--seed", type=int, default=2024, help="seed of the random lists")
    p.add_argument("--clock", choices=CLOCKS, default="cpu",
                   help="which time to report and limit by: CPU time of the computing thread "
                        "(default; not inflated by other load on the machine) or wall time")
    p.add_argument("--only", nargs="+", metavar="TEXT",
                   help="run only the closed-form pairs whose name contains one of these texts")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--forms", action="store_true", help="run only the closed-form table")
    mode.add_argument("--lists", action="store_true", help="run only the finite-list table")
    mode.add_argument("--periodic", action="store_true",
                      help="run only the table of random sequences with periodic factors")
    p.add_argument("--periodic-pairs", type=int, default=None,
                   help="random pairs in the periodic table (default 24; 6 with --quick)")
    p.add_argument("--before", metavar="PATH",
                   help="a checkout of the earlier symconv to time in the periodic table")
    p.add_argument("--quick", action="store_true",
                   help="smoke run: 4 pairs (unless --only), lists of length 10^2 and 10^3, "
                        "5 s limits")
    p.add_argument("--markdown", action="store_true", help="print the tables as Markdown")
    p.add_argument("--verbose", action="store_true",
                   help="list every non-correct result separately")
    args = p.parse_args(argv)
    if args.timeout is None:
        args.timeout = 5.0 if args.quick else 20.0
    if args.list_timeout is None:
        args.list_timeout = 5.0 if args.quick else 120.0
    if args.repeats is None:
        args.repeats = 3 if args.quick else 5
    if args.periodic_pairs is None:
        args.periodic_pairs = 6 if args.quick else 24
    if min(args.timeout, args.list_timeout, args.check_timeout) <= 0 or args.repeats < 1:
        p.error("time limits must be > 0 and --repeats >= 1")
    return args


def versions():
    import flint
    import numpy
    import sympy

    parts = [f"Python {platform.python_version()}", f"SymPy {sympy.__version__}",
             f"python-flint {flint.__version__}", f"NumPy {numpy.__version__}",
             f"mpmath {mpmath.__version__}"]
    if hasattr(os, "getloadavg"):
        parts.append(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    return "; ".join(parts)


def main(argv=None):
    args = parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)  # keep the tables and the progress in order
    ctx = multiprocessing.get_context("spawn")
    print(versions())
    ok = True
    if not (args.lists or args.periodic):
        ok = run_forms(args, ctx) and ok
        ok = run_hyper_forms(args, ctx) and ok
    if not (args.forms or args.periodic):
        ok = run_lists(args, ctx) and ok
    if not (args.forms or args.lists):
        ok = run_periodic(args, ctx) and ok
    if not ok:
        print("\nsymconv FAILED at least one correctness check (see above).")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
