#!/usr/bin/env python
"""Benchmark ``symconv.convolve`` against what a SymPy user does today, and time the speed targets.

1. Textbook pairs. Each pair ``f * g`` runs through three methods, each in its own process
   with a time limit (a hung ``integrate`` cannot block the run):

   * ``symconv``:  ``convolve(f, g, t)`` (median of ``--repeats`` runs, SymPy cache cleared
     before each run);
   * ``sympy``:    ``integrate(f(tau) g(t - tau), (tau, -oo, oo))`` with symconv's ``u``, ``rect``,
     ``tri``, ``ramp`` rewritten to ``Heaviside(x)`` (one run);
   * ``sympy+PW``: the same after ``.rewrite(Piecewise)`` (one run).

   Times are CPU time of the computing thread by default (``--clock cpu``: not inflated by
   other load on a shared machine; equal to wall time on an idle one) and the limit is then a
   CPU-time limit (``RLIMIT_CPU``); ``--clock wall`` uses wall time for both. SymPy's lazily
   built integration tables are warmed in each SymPy process before timing.

   Every returned result is checked against an independent reference: mpmath quadrature of
   ``f(tau) g(t - tau)`` split at the breakpoints, at points around and between the breakpoints
   of the result, with numbers put in for symbolic parameters (including ``a = b``). The
   reference uses its own definitions of the step family and its own expression evaluator; it
   does not use symconv (nor ``symconv.numeric``).

2. Speed. Random 4-piece by 4-piece exponential-polynomial pairs end to end (result as a SymPy
   ``Piecewise``), the canonical example, and n-by-n staircases (constant and degree-2 pieces)
   with time / n**2 to show the pieces(f)*pieces(g) scaling. Targets missed are flagged.

Run from the repository root::

    python benchmarks/bench_continuous.py            # table, then speed section
    python benchmarks/bench_continuous.py --quick    # smoke run: 4 pairs, 5 s limit, small sizes
    python benchmarks/bench_continuous.py --markdown # Markdown tables (for notes and the README)

The exit status is 1 when symconv is not correct on some pair or a speed-section result fails
its check; speed targets missed are reported but do not change the exit status.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import signal
import statistics
import sys
import time
from dataclasses import dataclass, field
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
    And,
    DiracDelta,
    E,
    Float,
    Heaviside,
    Integral,
    Mul,
    Or,
    Piecewise,
    Poly,
    Pow,
    Rational,
    S,
    Symbol,
    cos,
    cosh,
    exp,
    expand,
    integrate,
    nan,
    oo,
    pi,
    sin,
    sinh,
    sqrt,
    srepr,
    symbols,
    zoo,
)
from sympy.core.cache import clear_cache  # noqa: E402
from sympy.core.relational import Relational  # noqa: E402
from sympy.logic.boolalg import BooleanFalse, BooleanTrue  # noqa: E402

from symconv import convolve, delta, ramp, rect, tri, u  # noqa: E402

METHODS = ("symconv", "sympy", "sympy+PW")
# wall: time.perf_counter. cpu: time.thread_time (SymPy runs in one thread); not process_time,
# which an RLIMIT_CPU limit makes tick-grained on Linux.
HALF = Rational(1, 2)


# ---------------------------------------------------------------------------
# the textbook pairs


@dataclass(frozen=True)
class Pair:
    """One benchmark case: ``f * g`` in ``t``, checked at each parameter assignment."""

    name: str
    f: object
    g: object
    params: tuple = ({},)
    quick: bool = False


def textbook_pairs(t):
    """The table of textbook pairs (exact input: Rational, never floats)."""
    a, b = symbols("a b", positive=True)
    r = Rational
    ab_cases = ({a: r(1, 2), b: r(3, 2)}, {a: r(3, 2), b: r(1, 3)}, {a: 1, b: 1})
    return [
        Pair("2e^(-t/2)u(t) * rect(t-1/2)", 2 * exp(-t / 2) * u(t), rect(t - HALF), quick=True),
        Pair("rect(t) * rect(t)", rect(t), rect(t), quick=True),
        Pair("rect(t) * rect(t/2)", rect(t), rect(t / 2)),
        Pair("u(t) * u(t)", u(t), u(t)),
        Pair("e^(-t)u(t) * e^(-2t)u(t)", exp(-t) * u(t), exp(-2 * t) * u(t)),
        Pair("e^(-t)u(t) * e^(-t)u(t)", exp(-t) * u(t), exp(-t) * u(t), quick=True),
        Pair("t u(t) * t^2 u(t)", t * u(t), t**2 * u(t)),
        Pair("e^(-t)cos(2t)u(t) * e^(-t)u(t)", exp(-t) * cos(2 * t) * u(t), exp(-t) * u(t)),
        Pair("e^(-|t|) * e^(-|t|)", exp(-Abs(t)), exp(-Abs(t))),
        Pair("tri(t) * rect(t)", tri(t), rect(t)),
        Pair("ramp(t) * rect(t)", ramp(t), rect(t)),
        Pair("delta(t-2) * e^(-t)u(t)", delta(t - 2), exp(-t) * u(t)),
        Pair("(u(t)-u(t-2)) * e^(-3t)u(t)", u(t) - u(t - 2), exp(-3 * t) * u(t)),
        Pair("e^(-at)u(t) * e^(-bt)u(t), a,b>0", exp(-a * t) * u(t), exp(-b * t) * u(t),
             params=ab_cases, quick=True),
        Pair("e^(2t)u(-t) * e^(-t)u(t)", exp(2 * t) * u(-t), exp(-t) * u(t)),
        Pair("sin(t)(u(t)-u(t-pi)) * u(t) (half-wave)", sin(t) * (u(t) - u(t - pi)), u(t),
             quick=True),
        Pair("N(0,1) pdf * rect(t-1/2) (Normal+Uniform)", exp(-t**2 / 2) / sqrt(2 * pi),
             rect(t - HALF), quick=True),
        Pair("N(0,1) pdf * e^(-t)u(t) (Normal+Exponential)", exp(-t**2 / 2) / sqrt(2 * pi),
             exp(-t) * u(t)),
    ]


def sympy_form(expr, piecewise):
    """``expr`` as a SymPy user writes it: ``Heaviside(x)`` for the steps, optionally Piecewise."""
    e = expr.rewrite([u, rect, tri, ramp], Heaviside)
    e = e.replace(Heaviside, lambda x, *h0: Heaviside(x))  # SymPy's default value at 0
    return e.rewrite(Piecewise) if piecewise else e


# ---------------------------------------------------------------------------
# the independent reference: own step definitions, own evaluator, mpmath quadrature


def _step(x, *h0):
    return Piecewise((0, x < 0), (1, True))


_OWN_DEFINITIONS = (
    (u, _step),
    (Heaviside, _step),
    (rect, lambda x: Piecewise((0, x < -HALF), (1, x < HALF), (0, True))),
    (tri, lambda x: Piecewise((0, x < -1), (1 + x, x < 0), (1 - x, x < 1), (0, True))),
    (ramp, lambda x: Piecewise((0, x < 0), (x, True))),
    (Abs, lambda x: Piecewise((-x, x < 0), (x, True))),
)


def to_reference_form(expr):
    """Rewrite the step family with the benchmark's own definitions (not symconv's)."""
    for cls, definition in _OWN_DEFINITIONS:
        expr = expr.replace(cls, definition)
    return expr


def _linear_root(expr, t):
    p = Poly(expr, t)
    if p.degree() != 1:
        raise NotImplementedError(f"reference: breakpoint of {expr} is not linear in {t}")
    root = -p.coeff_monomial(1) / p.coeff_monomial(t)
    if not (root.is_number and root.is_extended_real):
        raise NotImplementedError(f"reference: breakpoint {root} is not a real number")
    return root, p.coeff_monomial(t)


def _mp(x):
    """A real SymPy number (a rational or a constant such as pi) as an mpmath number at the
    working precision: exact for rationals, evaluated for constants."""
    if x.is_Rational:
        return mpmath.mpf(int(x.p)) / int(x.q)
    return mpmath.mpf(x.evalf(mpmath.mp.dps + 10)._mpf_)


def breakpoints(expr, t):
    """Rational breakpoints of a reference-form expression (its Piecewise conditions)."""
    out = set()
    for rel in expr.atoms(Relational):
        if rel.has(t):
            out.add(_linear_root(rel.lhs - rel.rhs, t)[0])
    return out


def split_impulses(expr, t):
    """``(regular part, [(at, weight)])`` for ``expr = regular + sum weight * delta(t - at)``."""
    if not expr.has(DiracDelta):
        return expr, []
    regular, impulses = S.Zero, []
    for term in Add.make_args(expand(expr)):
        deltas = [d for d in Mul.make_args(term) if isinstance(d, DiracDelta)]
        if not deltas:
            regular += term
            continue
        if len(deltas) != 1 or len(deltas[0].args) != 1:
            raise NotImplementedError(f"reference: impulse term {term}")
        d = deltas[0]
        at, slope = _linear_root(d.args[0], t)
        impulses.append((at, (term / d).subs(t, at) / abs(slope)))
    return regular, impulses


class Evaluator:
    """A small mpmath evaluator of expression trees (closures built once; no eval of text)."""

    def __init__(self, expr, t):
        self.t = t
        self.fn = self._compile(expr)

    def __call__(self, x):
        return self.fn(x)

    def _compile(self, e):  # noqa: C901 - one branch per node type
        c = self._compile
        if e == self.t:
            return lambda x: x
        if e.is_Rational:
            p, q = int(e.p), int(e.q)
            return lambda x: mpmath.mpf(p) / q
        if isinstance(e, Float):
            v = e._mpf_
            return lambda x: mpmath.mpf(v)
        if e is E:
            return lambda x: mpmath.e
        if e is pi:
            return lambda x: mpmath.pi
        if isinstance(e, Add):
            parts = [c(a) for a in e.args]
            return lambda x: mpmath.fsum(p(x) for p in parts)
        if isinstance(e, Mul):
            parts = [c(a) for a in e.args]
            return lambda x: mpmath.fprod(p(x) for p in parts)
        if isinstance(e, Pow):
            base = c(e.base)
            if e.exp.is_Integer:
                n = int(e.exp)
                return lambda x: base(x) ** n
            ex = c(e.exp)
            return lambda x: mpmath.power(base(x), ex(x))
        for cls, fn in ((exp, mpmath.exp), (cos, mpmath.cos), (sin, mpmath.sin),
                        (cosh, mpmath.cosh), (sinh, mpmath.sinh)):
            if isinstance(e, cls):
                arg = c(e.args[0])
                return lambda x, fn=fn, arg=arg: fn(arg(x))
        if isinstance(e, Piecewise):
            branches = [(c(ex), c(cond)) for ex, cond in e.args]

            def piecewise(x):
                for ex, cond in branches:
                    if cond(x):
                        return ex(x)
                raise ValueError("reference: no Piecewise branch applies")

            return piecewise
        if isinstance(e, BooleanTrue):
            return lambda x: True
        if isinstance(e, BooleanFalse):
            return lambda x: False
        if isinstance(e, Relational):
            lhs, rhs, op = c(e.lhs), c(e.rhs), e.rel_op
            ops = {"<": lambda p, q: p < q, "<=": lambda p, q: p <= q,
                   ">": lambda p, q: p > q, ">=": lambda p, q: p >= q,
                   "==": lambda p, q: p == q, "!=": lambda p, q: p != q}[op]
            return lambda x: ops(lhs(x), rhs(x))
        if isinstance(e, And):
            parts = [c(a) for a in e.args]
            return lambda x: all(p(x) for p in parts)
        if isinstance(e, Or):
            parts = [c(a) for a in e.args]
            return lambda x: any(p(x) for p in parts)
        raise NotImplementedError(f"reference evaluator: {type(e).__name__} in {e}")


class Reference:
    """``(f * g)(t0)`` by mpmath quadrature split at breakpoints, plus impulses by sifting."""

    def __init__(self, f, g, t, dps):
        self.t, self.dps = t, dps
        f, g = to_reference_form(f), to_reference_form(g)
        (self.f, self.fimp), (self.g, self.gimp) = split_impulses(f, t), split_impulses(g, t)
        if self.fimp and self.gimp:
            raise NotImplementedError("reference: impulse * impulse has no point values")
        self.fbreaks = sorted(breakpoints(self.f, t) | {at for at, _ in self.fimp})
        self.gbreaks = sorted(breakpoints(self.g, t) | {at for at, _ in self.gimp})
        with mpmath.workdps(dps):
            self.fnum, self.gnum = Evaluator(self.f, t), Evaluator(self.g, t)
            self.fimp_num = [(at, Evaluator(w, t)(0)) for at, w in self.fimp]
            self.gimp_num = [(at, Evaluator(w, t)(0)) for at, w in self.gimp]

    def result_breakpoints(self):
        return sorted({p + q for p in self.fbreaks for q in self.gbreaks})

    def __call__(self, t0):
        """Reference value at the rational point ``t0`` and the quadrature's error estimate."""
        with mpmath.workdps(self.dps + 10):
            x = _mp(t0)
            fn, gn = self.fnum, self.gnum
            cuts = sorted({_mp(b) for b in self.fbreaks} | {x - _mp(b) for b in self.gbreaks})
            value, err = mpmath.quad(lambda s: fn(s) * gn(x - s), [-mpmath.inf, *cuts, mpmath.inf],
                                     error=True, maxdegree=10)
            for at, w in self.fimp_num:
                value += w * gn(x - _mp(at))
            for at, w in self.gimp_num:
                value += w * fn(x - _mp(at))
            return value, err


def sample_points(breaks, limit):
    """Rational points in every region: beside each breakpoint, between them, and beyond."""
    if not breaks:
        breaks = [Rational(0)]
    gaps = [q - p for p, q in zip(breaks, breaks[1:], strict=False)]
    eps = min([Rational(1, 7), *(gap / 7 for gap in gaps)])
    pts = {breaks[0] - 2, breaks[-1] + 2, breaks[-1] + Rational(13, 3)}
    for b in breaks:
        pts |= {b - eps, b + eps}
    for p, q in zip(breaks, breaks[1:], strict=False):
        pts.add((p + q) / 2)
    pts = sorted(pts)
    if len(pts) > limit:  # an even, deterministic subset that keeps both ends
        step = (len(pts) - 1) / (limit - 1)
        pts = [pts[round(i * step)] for i in range(limit)]
    return pts


def build_checks(pair, t, dps, limit=24):
    """``[(params, [(t0, reference value as text, quadrature error)])]`` for one pair."""
    checks = []
    for params in pair.params:
        ref = Reference(pair.f.subs(params), pair.g.subs(params), t, dps)
        points = []
        for t0 in sample_points(ref.result_breakpoints(), limit):
            value, err = ref(t0)
            points.append((t0, mpmath.nstr(value, dps + 5), float(err)))
        checks.append((params, points))
    return checks


def _number(e, dps):
    """``e`` (a SymPy number) as an mpmath ``mpc``, or ``None`` when it is not a finite number."""
    if e.has(nan, zoo, oo, -oo) or e.free_symbols:
        return None
    v = e.evalf(dps + 10)
    re_, im_ = v.as_real_imag()
    if not (re_.is_Float or re_.is_zero) or not (im_.is_Float or im_.is_zero):
        return None
    return mpmath.mpc(mpmath.mpf(re_._mpf_) if re_.is_Float else 0,
                      mpmath.mpf(im_._mpf_) if im_.is_Float else 0)


def check_result(result, t, checks, dps):
    """``(status, detail, max error)`` of a result against the reference values."""
    if isinstance(result, Integral) or result.has(Integral):
        return "unevaluated", "result contains an Integral", None
    worst, detail = 0.0, ""
    with mpmath.workdps(dps + 10):
        tol = mpmath.mpf(10) ** (-(dps * 2 // 3))
        for params, points in checks:
            r = result.subs(params)
            where = "".join(f", {k}={v}" for k, v in params.items())
            for t0, ref_text, _ in points:
                ref = mpmath.mpf(ref_text)
                got = _number(r.subs(t, t0), dps)
                if got is None:
                    return "wrong", f"not a finite number at t={t0}{where}", None
                err = abs(got - ref) / max(1, abs(ref))
                if err > worst:
                    worst = float(err)
                if err > tol:
                    shown = got.real if got.imag == 0 else got
                    return ("wrong", f"t={t0}{where}: got {mpmath.nstr(shown, 12)}, "
                            f"expected {mpmath.nstr(ref, 12)}", worst)
    return "correct", detail, worst


# ---------------------------------------------------------------------------
# one method in its own process







def _child(method, f, g, t, repeats, checks, dps, conn, cpu_limits, assume=(), warm_up=False):
    """Run ``method`` on ``f * g``; send each run's wall and CPU time, then the verdict with
    the result's parameter cases and text. ``assume`` goes to symconv (SymPy cannot take it);
    ``warm_up`` first runs symconv once on a different problem (untimed)."""
    run_limit, check_limit = cpu_limits
    if run_limit is not None:
        signal.signal(signal.SIGXCPU, _on_cpu_limit)
    try:
        tau = Symbol("tau", real=True)
        if method == "symconv":
            if warm_up:
                x = Symbol("x", real=True)
                convolve(exp(-x) * u(x), rect(x), x)

            def run():
                return convolve(f, g, t, assume=list(assume) or None)
        else:
            x = Symbol("x", real=True)  # warm SymPy's lazily built integration tables
            integrate(Heaviside(x) * exp(-x), (x, -oo, oo))
            integrate(Piecewise((0, x < 0), (exp(-x), True)), (x, -oo, oo))

            def run():
                return integrate(f.subs(t, tau) * g.subs(t, t - tau), (tau, -oo, oo))
        conn.send(("ready",))
        result = None
        for _ in range(repeats):
            clear_cache()
            _limit_cpu(run_limit)
            wall, cpu = time.perf_counter(), time.thread_time()
            result = run()
            conn.send(("ran", time.perf_counter() - wall, time.thread_time() - cpu))
    except Exception as exc:  # noqa: BLE001 - any failure of the method is a result
        conn.send(("error", f"{type(exc).__name__}: {exc}"[:200]))
        return
    _limit_cpu(check_limit)
    try:
        status, detail, err = check_result(result, t, checks, dps)
    except Exception as exc:  # noqa: BLE001
        status, detail, err = "error", f"check failed: {type(exc).__name__}: {exc}"[:200], None
    conn.send(("checked", status, detail, err, parameter_cases(result, t), str(result)[:2000]))


def parameter_cases(result, t):
    """The conditions of a ``Piecewise`` on the parameters around the result (else ``[]``)."""
    if not isinstance(result, Piecewise):
        return []
    conds = [cond for _, cond in result.args]
    if any(c.has(t) for c in conds):
        return []
    return [str(c) for c in conds]


@dataclass
class Outcome:
    status: str
    time: float | None = None  # seconds (median of the runs on the chosen clock), None if none
    detail: str = ""
    max_error: float | None = None
    runs: list = field(default_factory=list)  # (wall, cpu) seconds per run
    cases: list = field(default_factory=list)  # conditions of a Piecewise on the parameters
    text: str = ""  # the checked result, as text


def run_method(ctx, method, f, g, t, *, repeats, checks, dps, timeout, check_timeout, clock,
               assume=(), warm_up=False):
    """One method in a fresh process, stopped when a run exceeds ``timeout`` seconds.

    With ``clock="cpu"`` (on Unix) the limit is on the child's CPU time, so that other load on
    the machine does not turn slow runs into timeouts; five times the limit in wall time is
    the backstop. With ``clock="wall"`` the limit is wall time.
    """
    cpu = clock == "cpu" and resource is not None
    cpu_limits = (timeout, check_timeout) if cpu else (None, None)
    run_wait, check_wait = (5 * timeout, 5 * check_timeout) if cpu else (timeout, check_timeout)
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child,
                       args=(method, f, g, t, repeats, checks, dps, send, cpu_limits,
                             tuple(assume), warm_up),
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
        msg = wait(120)  # process start-up and imports, not timed
        if msg[0] == "ready":
            for _ in range(repeats):
                msg = wait(run_wait)
                if msg[0] != "ran":
                    break
                out.runs.append(msg[1:])
            if msg[0] == "ran":
                out.time = statistics.median(r[CLOCKS.index(clock)] for r in out.runs)
                msg = wait(check_wait)
        if msg[0] == "died":
            proc.join(10)
            if proc.exitcode in (_CPU_LIMIT_EXIT, -signal.SIGXCPU):
                msg = ("timeout",)
        if msg[0] == "checked":
            out.status, out.detail, out.max_error = msg[1], msg[2], msg[3]
            out.cases, out.text = msg[4], msg[5]
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
# the table




def fmt_ratio(out, base, timeout):
    if base is None or not base:
        return "-"
    if out.status == "timeout":
        return f">{timeout / base:,.0f}x"
    if out.time is None:
        return "-"
    return f"{out.time / base:,.0f}x" if out.time / base >= 10 else f"{out.time / base:.1f}x"






def run_table(args, t):
    ctx = multiprocessing.get_context("spawn")
    pairs = textbook_pairs(t)
    if args.quick and not args.only:
        pairs = [p for p in pairs if p.quick]
    if args.only:
        pairs = [p for p in pairs if any(s.lower() in p.name.lower() for s in args.only)]
    results = []
    for pair in pairs:
        print(f"  {pair.name} ...", end="", flush=True, file=sys.stderr)
        checks = build_checks(pair, t, args.dps)
        bad_ref = max((e for _, pts in checks for *_, e in pts), default=0)
        row = {}
        for method in METHODS:
            if method == "symconv":
                f, g, repeats = pair.f, pair.g, args.repeats
            else:
                pw = method == "sympy+PW"
                f, g, repeats = sympy_form(pair.f, pw), sympy_form(pair.g, pw), 1
            row[method] = run_method(ctx, method, f, g, t, repeats=repeats, checks=checks,
                                     dps=args.dps, timeout=args.timeout,
                                     check_timeout=args.check_timeout, clock=args.clock)
            print(f" {method}: {row[method].status}", end="", flush=True, file=sys.stderr)
        print(file=sys.stderr)
        results.append((pair, row, checks, bad_ref))

    headers = ["pair", "symconv time", "symconv", "sympy integrate", "sympy + Piecewise",
               "ratio sympy", "ratio sympy+PW"]
    rows = []
    for pair, row, _, _ in results:
        sc = row["symconv"]
        rows.append([pair.name, fmt_time(sc.time), sc.status,
                     fmt_outcome(row["sympy"], args.timeout),
                     fmt_outcome(row["sympy+PW"], args.timeout),
                     fmt_ratio(row["sympy"], sc.time, args.timeout),
                     fmt_ratio(row["sympy+PW"], sc.time, args.timeout)])
    print()
    print(f"Textbook pairs: symconv (median of {args.repeats} runs, cache cleared) vs SymPy "
          f"integrate (one run, limit {args.timeout:g} s); {args.clock} time; "
          f"ratio = SymPy time / symconv time.")
    print()
    print_table(headers, rows, args.markdown)
    print()

    n = len(results)
    parts = []
    for method in METHODS:
        counts = {}
        for _, row, _, _ in results:
            counts[row[method].status] = counts.get(row[method].status, 0) + 1
        others = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()) if k != "correct")
        parts.append(f"{method}: {counts.get('correct', 0)}/{n} correct"
                     + (f" ({others})" if others else ""))
    sc_times = [row["symconv"].time for _, row, _, _ in results if row["symconv"].time]
    ratios = [row[m].time / row["symconv"].time for _, row, _, _ in results for m in METHODS[1:]
              if row[m].status == "correct" and row["symconv"].time]
    summary = "Summary: " + "; ".join(parts)
    if sc_times:
        summary += f". symconv median {fmt_time(statistics.median(sc_times))}"
    if ratios:
        summary += (f"; where SymPy is correct it is {statistics.median(ratios):,.0f}x slower "
                    f"(median)")
    print(summary + ".")
    failures, verbose = [], []  # symconv's problems first, then the peers'
    for pair, row, checks, bad_ref in results:
        if bad_ref > 1e-20:
            failures.append(f"{pair.name}: reference quadrature error estimate {bad_ref:.1e}")
        for method in METHODS:
            out = row[method]
            if out.status != "correct":
                failures.append(f"{pair.name} [{method}] {out.status}: {out.detail}")
            elif method == "symconv":
                npts = sum(len(pts) for _, pts in checks)
                verbose.append(f"{pair.name} [symconv] correct at {npts} points, "
                               f"max relative error {out.max_error or 0:.0e}")
    notes = failures + (verbose if args.verbose else [])
    if notes:
        print()
        for note in sorted(notes, key=lambda x: "[symconv]" not in x):  # stable: symconv first
            print(("- " if args.markdown else "  ") + note)
    return all(row["symconv"].status == "correct" for _, row, _, _ in results)


# ---------------------------------------------------------------------------
# the speed section


def _rational(rng, lo, hi, dens=(1, 2, 3)):
    q = rng.choice(dens)
    return Rational(rng.randint(lo * q, hi * q), q)


def random_expoly(rng, t, pieces, trig):
    """A random signal: ``pieces`` exponential-polynomial pieces on small rational intervals."""
    cuts = set()
    while len(cuts) < pieces + 1:
        cuts.add(_rational(rng, -3, 3, (1, 2)))
    cuts = sorted(cuts)
    args = [(0, t < cuts[0])]
    for hi in cuts[1:]:
        expr = 0
        for _ in range(rng.randint(1, 2)):
            c = Rational(rng.choice([-5, -4, -3, -2, -1, 1, 2, 3, 4, 5]), rng.randint(1, 3))
            term = c * t ** rng.randint(0, 2) * exp(rng.choice([-2, -1, -HALF, 0, HALF, 1]) * t)
            if trig and rng.random() < 0.5:
                term *= rng.choice([cos, sin])(rng.randint(1, 3) * t)
            expr += term
        args.append((expr, t < hi))
    args.append((0, True))
    return Piecewise(*args)


def staircase(rng, t, n, degree):
    """``n`` unit-width pieces on [0, n): random positive integer heights, or degree-2 pieces."""
    args = [(0, t < 0)]
    heights = []
    for i in range(n):
        if degree == 0:
            h = rng.randint(1, 9)
            heights.append(h)
            args.append((h, t < i + 1))
        else:
            args.append((sum(rng.randint(-4, 4) * t**k for k in range(degree + 1)) + 5, t < i + 1))
    args.append((0, True))
    return Piecewise(*args), heights


def timed(fn, repeats, cold=True):
    """``([(wall, cpu)] seconds, last result)`` of ``repeats`` calls.

    The SymPy cache is cleared before each call unless ``cold`` is false.
    """
    runs, out = [], None
    for _ in range(repeats):
        if cold:
            clear_cache()
        wall, cpu = time.perf_counter(), time.thread_time()
        out = fn()
        runs.append((time.perf_counter() - wall, time.thread_time() - cpu))
    return runs, out


def piecewise_at(pw, t, t0):
    """The value of a ``Piecewise`` in ``t`` at a number (first branch whose condition holds)."""
    for expr, cond in pw.args:
        if cond is True or isinstance(cond, BooleanTrue) or bool(cond.subs(t, t0)):
            return expr.subs(t, t0)
    raise ValueError(f"no branch of the result applies at t={t0}")


def check_staircase(result, t, hf, hg):
    """Exact check: at integer k the result is sum_i hf[i] hg[k-1-i]; it is linear in between."""
    n = len(hf)
    disc = [sum(hf[i] * hg[k - 1 - i] for i in range(n) if 0 <= k - 1 - i < len(hg))
            for k in range(2 * n + 2)]
    for k in range(-1, 2 * n + 2):
        want = disc[k] if k >= 0 else 0
        if piecewise_at(result, t, Rational(k)) != want:
            return f"t={k}: got {piecewise_at(result, t, Rational(k))}, expected {want}"
        if k + 1 < len(disc):
            mid = Rational(want + disc[k + 1], 2)
            if piecewise_at(result, t, k + HALF) != mid:
                return f"t={k + HALF}: got {piecewise_at(result, t, k + HALF)}, expected {mid}"
    return ""


def check_against_reference(result, f, g, t, dps, limit):
    """Status of a speed-section result against the quadrature reference."""
    ref = Reference(f, g, t, dps)
    points = []
    for t0 in sample_points(ref.result_breakpoints(), limit):
        value, err = ref(t0)
        points.append((t0, mpmath.nstr(value, dps + 5), float(err)))
    status, detail, _ = check_result(result, t, [({}, points)], dps)
    return "" if status == "correct" else f"{status}: {detail}"


def run_speed(args, t):
    rng = random.Random(args.seed)
    quick = args.quick
    rows, misses, failures = [], [], []
    markdown = args.markdown
    main, other = CLOCKS.index(args.clock), 1 - CLOCKS.index(args.clock)

    def row(what, runs, note=""):
        """Add a table row; return the median on the chosen clock."""
        med = statistics.median(r[main] for r in runs)
        rows.append([what, fmt_time(med), fmt_time(max(r[main] for r in runs)),
                     fmt_time(statistics.median(r[other] for r in runs)), note])
        return med

    # random 4-piece x 4-piece exponential polynomials, end to end
    n_pairs = 3 if quick else args.random_pairs
    for trig in (False, True):
        pairs = [(random_expoly(rng, t, 4, trig), random_expoly(rng, t, 4, trig))
                 for _ in range(n_pairs)]
        runs, results = [], []
        for f, g in pairs:
            (run,), res = timed(lambda f=f, g=g: convolve(f, g, t), 1)
            runs.append(run)
            results.append(res)
        label = "4x4 exp-poly" + (" with cos/sin" if trig else "") + f" ({n_pairs} pairs)"
        pieces = statistics.median(len(r.args) if isinstance(r, Piecewise) else 1 for r in results)
        bad = 0
        for (f, g), r in zip(pairs, results, strict=True):
            err = check_against_reference(r, f, g, t, args.dps, limit=12)
            if err:
                bad += 1
                failures.append(f"{label}: f={srepr(f)[:80]}... {err}")
        note = f"~{pieces:g} output pieces; {n_pairs - bad}/{n_pairs} checked correct"
        med = row(label, runs, note)
        if trig and med > 0.040:
            misses.append(f"{label}: median {fmt_time(med)} > 40 ms")
            rows[-1][-1] += "; TARGET MISSED (<= 40 ms)"

    # the canonical example
    f, g = 2 * exp(-t / 2) * u(t), rect(t - HALF)
    runs = 20 if quick else 200
    row(f"canonical 2e^(-t/2)u(t) * rect(t-1/2), warm cache ({runs} runs)",
        timed(lambda: convolve(f, g, t), runs, cold=False)[0])
    med = row(f"canonical, cache cleared each run ({runs // 4} runs)",
              timed(lambda: convolve(f, g, t), runs // 4)[0])
    if med > 0.005:
        misses.append(f"canonical example: median {fmt_time(med)} > 5 ms")
        rows[-1][-1] = "TARGET MISSED (a few ms: <= 5 ms)"

    # staircases
    sizes = (10, 25) if quick else (10, 25, 50, 100)
    for degree in (0, 2):
        for n in sizes if degree == 0 else sizes[-2:]:
            f, hf = staircase(rng, t, n, degree)
            g, hg = staircase(rng, t, n, degree)
            runs, res = timed(lambda f=f, g=g: convolve(f, g, t), 3 if n <= 50 else 2)
            kind = "constant" if degree == 0 else "degree-2"
            label = f"staircase {n}x{n}, {kind} pieces"
            if degree == 0:
                err = check_staircase(res, t, hf, hg)
            else:
                err = check_against_reference(res, f, g, t, args.dps, limit=5)
            if err:
                failures.append(f"{label}: {err}")
            med = row(label, runs, "check FAILED" if err else "")
            rows[-1][-1] = f"{med / n**2 * 1e6:.0f} µs per piece pair" + (
                f"; {rows[-1][-1]}" if err else "")
            target = 0.4 if degree else 0.1
            if n == 100 and med > target:
                misses.append(f"{label}: {fmt_time(med)} > {fmt_time(target)}")
                rows[-1][-1] += f"; TARGET MISSED (<= {fmt_time(target)})"

    print()
    print("Speed (end to end: SymPy input to SymPy Piecewise; SymPy cache cleared before each "
          f"run unless noted; targets judged on {args.clock} time):")
    print()
    print_table(["case", f"median ({CLOCKS[main]})", f"max ({CLOCKS[main]})",
                 f"median ({CLOCKS[other]})", "notes"], rows, markdown)
    print()
    if misses:
        print("Targets missed: " + "; ".join(misses))
    else:
        print("All speed targets met (4x4 cos/sin median <= 40 ms, canonical a few ms, "
              "100x100 staircase <= 0.4 s with degree-2 pieces, <= 0.1 s constant).")
    for fail in failures:
        print(f"CHECK FAILED: {fail}")
    return not failures


# ---------------------------------------------------------------------------


def parse_args(argv=None):
    p = argparse.ArgumentParser(
        description="Benchmark symconv.convolve against SymPy's integrate on textbook pairs "
                    "(correctness and time), then time the speed targets.")
    p.add_argument("--timeout", type=float, default=None,
                   help="time limit in seconds for one run of a method, on the --clock "
                        "(default 20; 5 with --quick)")
    p.add_argument("--check-timeout", type=float, default=60.0,
                   help="time limit in seconds for checking one result numerically, on the "
                        "--clock (default 60)")
    p.add_argument("--repeats", type=int, default=None,
                   help="symconv runs per pair; the median is reported (default 5; 3 with --quick)")
    p.add_argument("--dps", type=int, default=30,
                   help="decimal digits for the reference quadrature (default 30)")
    p.add_argument("--seed", type=int, default=2024, help="seed of the random signals")
    p.add_argument("--clock", choices=CLOCKS, default="cpu",
                   help="which time to report, limit and judge targets by: CPU time of the "
                        "computing thread (default; not inflated by other load on the "
                        "machine) or wall time")
    p.add_argument("--random-pairs", type=int, default=20,
                   help="random 4x4 pairs in the speed section (default 20)")
    p.add_argument("--only", nargs="+", metavar="TEXT",
                   help="run only the pairs whose name contains one of these texts")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--speed", action="store_true", help="run only the speed section")
    mode.add_argument("--no-speed", action="store_true", help="run only the table of pairs")
    p.add_argument("--quick", action="store_true",
                   help="smoke run: 4 pairs (unless --only), 5 s limit, small speed cases")
    p.add_argument("--markdown", action="store_true", help="print the tables as Markdown")
    p.add_argument("--verbose", action="store_true",
                   help="also list, per pair, the points checked and symconv's largest error")
    args = p.parse_args(argv)
    if args.timeout is None:
        args.timeout = 5.0 if args.quick else 20.0
    if args.repeats is None:
        args.repeats = 3 if args.quick else 5
    if args.timeout <= 0 or args.repeats < 1 or args.dps < 15:
        p.error("--timeout must be > 0, --repeats >= 1 and --dps >= 15")
    return args


def main(argv=None):
    args = parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)  # keep the tables and the progress in order
    t = Symbol("t", real=True)
    ok = True
    if not args.speed:
        ok = run_table(args, t) and ok
    if not args.no_speed:
        ok = run_speed(args, t) and ok
    if not ok:
        print("\nsymconv FAILED at least one correctness check (see above).")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
