#!/usr/bin/env python
"""Benchmark ``symconv.probability`` against what a Python user reaches for today.

Three tables; every method runs in its own child process with a CPU-time limit (a SymPy
``density`` that never returns cannot block the run), and every result is checked against an
independent reference computed here, without symconv:

1. **Pairs** ``X + Y``: symconv (``X + Y``, family rules, exact engines) against
   ``sympy.stats.density(X + Y)``, both asked for the pmf/pdf at the same points.
   References: exact direct sums (Fractions) for discrete laws, closed forms evaluated with
   mpmath for continuous ones.
2. **Dice sums** ``n`` d6 (``n = 10, 100, 500, 1000``): ``symconv.sum_iid(Die(6), n)`` (one
   python-flint polynomial power) against icepool (``n @ d6`` with a fresh ``d6`` each run: icepool
   caches on the die; exact integer weights;
   skipped with a note when icepool is not installed) and, for speed context only, a NumPy
   float convolution (``np.convolve`` n times). Exact results are compared with each other and
   with inclusion–exclusion counts; the float result reports its largest error.
3. **Irwin–Hall** ``U₁ + … + Uₙ``, ``Uᵢ ~ Uniform(0, 1)`` (``n = 5, 20, 100``): symconv's
   ``sum_iid(Uniform(0, 1), n)`` (the Irwin–Hall pieces, exact on python-flint), symconv's
   generic continuous engine on the same box density without the family name, SymPy's
   closed-form ``sympy.stats.UniformSum`` and ``sympy.stats.density(U₁ + … + Uₙ)`` for
   ``n = 2..5``. Reference: the alternating sum in exact Fractions.

Times are CPU seconds (``time.thread_time``; every method here is single-threaded), the median of
up to ``--repeats`` runs (stopping once 2 s have been spent), SymPy's
cache cleared before each run; the child's start-up, imports and a warm-up on a different tiny
problem are not timed. Pairs and
Irwin–Hall time the law *and* its values at the check points as numbers (``N`` for SymPy's
results); dice time the construction of the law only. "ratio" is
peer time / symconv time (higher: symconv faster).

Run from the repository root::

    python benchmarks/bench_probability.py           # full run (a few minutes)
    python benchmarks/bench_probability.py --quick   # smoke run: small sizes, 5 s limit

Exit status 1 when a symconv result fails its check.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import time
from fractions import Fraction
from math import comb, factorial
from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent
if (_ROOT / "symconv" / "__init__.py").exists() and str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

import mpmath  # noqa: E402
from mpmath import mp  # noqa: E402

HALF = Fraction(1, 2)
_BUDGET = 2.0  # seconds of repeats per measurement
# CPU time of the one thread doing the work: steadier than wall time on a shared machine
# (all methods here are single-threaded: SymPy, python-flint, icepool, np.convolve)
CLOCK = time.thread_time


# ---------------------------------------------------------------------------
# the cases: each is (points, {method: build-and-evaluate function})
# A function returns {point: value}; values are exact ("p/q") or 40-digit decimal strings.
# ---------------------------------------------------------------------------
def _out(v):
    """A SymPy value as a payload string: exact when rational, else 40 digits."""
    from sympy import Integral, N

    if v.is_Rational:
        return f"exact:{v.p}/{v.q}"
    if v.has(Integral):
        v = v.doit()
    if v.has(Integral):
        return f"unevaluated:{N(v, 40)}"
    return f"num:{N(v, 40)}"


def _sympy_points(pts):
    from sympy import Rational

    return [Rational(p.numerator, p.denominator) for p in pts]


PAIRS = {
    # name: (kind, points)
    "two dice": ("pmf", [Fraction(v) for v in range(1, 14)]),
    "sum of 10 dice": ("pmf", [Fraction(v) for v in range(9, 62)]),
    "Exp(1) + Exp(2)": ("pdf", [Fraction(1, 2), Fraction(2), Fraction(7, 3)]),
    "Uniform(0,1) + Uniform(0,1)": ("pdf", [Fraction(1, 2), Fraction(5, 4), Fraction(3, 2)]),
    "Binomial(10,1/3) + Binomial(15,1/3)": ("pmf", [Fraction(v) for v in range(0, 26)]),
    "Normal(0,1) + Normal(1,2)": ("pdf", [Fraction(-2), Fraction(1, 2), Fraction(3)]),
}


def _pair_laws_symconv(name):
    from sympy import Rational

    from symconv.probability import (
        Binomial,
        Die,
        Exponential,
        Normal,
        Uniform,
        sum_iid,
    )

    if name == "two dice":
        return Die(6) + Die(6)
    if name == "sum of 10 dice":
        return sum_iid(Die(6), 10)
    if name == "Exp(1) + Exp(2)":
        return Exponential(1) + Exponential(2)
    if name == "Uniform(0,1) + Uniform(0,1)":
        return Uniform(0, 1) + Uniform(0, 1)
    if name == "Binomial(10,1/3) + Binomial(15,1/3)":
        return Binomial(10, Rational(1, 3)) + Binomial(15, Rational(1, 3))
    if name == "Normal(0,1) + Normal(1,2)":
        return Normal(0, 1) + Normal(1, 2)
    raise KeyError(name)


def _pair_sum_sympy(name):
    from sympy import Rational
    from sympy.stats import Binomial, Die, Exponential, Normal, Uniform

    if name == "two dice":
        return Die("A", 6) + Die("B", 6)
    if name == "sum of 10 dice":
        return sum(Die(f"D{i}", 6) for i in range(10))
    if name == "Exp(1) + Exp(2)":
        return Exponential("A", 1) + Exponential("B", 2)
    if name == "Uniform(0,1) + Uniform(0,1)":
        return Uniform("A", 0, 1) + Uniform("B", 0, 1)
    if name == "Binomial(10,1/3) + Binomial(15,1/3)":
        return Binomial("A", 10, Rational(1, 3)) + Binomial("B", 15, Rational(1, 3))
    if name == "Normal(0,1) + Normal(1,2)":
        return Normal("A", 0, 1) + Normal("B", 1, 2)
    raise KeyError(name)


def run_pair_symconv(name):
    kind, pts = PAIRS[name]
    law = _pair_laws_symconv(name)
    f = law.pmf if kind == "pmf" else law.pdf
    return {str(p): f(v) for p, v in zip(pts, _sympy_points(pts), strict=True)}


def run_pair_sympy(name):
    from sympy import S, Symbol
    from sympy.stats import density

    kind, pts = PAIRS[name]
    d = density(_pair_sum_sympy(name))
    if kind == "pmf":
        table = dict(d)
        return {str(p): S(table.get(v, 0)) for p, v in zip(pts, _sympy_points(pts), strict=True)}
    z = Symbol("z")
    expr = d(z)
    return {str(p): expr.subs(z, v) for p, v in zip(pts, _sympy_points(pts), strict=True)}


def ref_pair(name):
    """Independent references: exact Fractions or mpmath values (no SymPy, no symconv)."""
    kind, pts = PAIRS[name]
    if name in ("two dice", "sum of 10 dice"):
        nd = 2 if name == "two dice" else 10
        return {str(p): Fraction(_dice_count(int(p), nd), 6**nd) for p in pts}
    if name.startswith("Binomial"):
        t = Fraction(1, 3)

        def b(nn, kk):
            return comb(nn, kk) * t**kk * (1 - t) ** (nn - kk) if 0 <= kk <= nn else 0

        return {str(p): sum(b(10, j) * b(15, int(p) - j) for j in range(11)) for p in pts}
    out = {}
    with mp.workdps(40):
        for p in pts:
            xv = mpmath.mpf(p.numerator) / p.denominator
            if name.startswith("Exp"):
                val = 2 * (mpmath.exp(-xv) - mpmath.exp(-2 * xv)) if xv > 0 else 0
            elif name.startswith("Uniform"):
                val = max(0, 1 - abs(xv - 1))
            else:  # N(1, sqrt(5))
                val = mpmath.exp(-((xv - 1) ** 2) / 10) / mpmath.sqrt(10 * mpmath.pi)
            out[str(p)] = mpmath.mpf(val)
    return out


# -- dice ---------------------------------------------------------------------
def _dice_count(total, nd, faces=6):
    """Ways to roll ``total`` with ``nd`` dice (inclusion–exclusion)."""
    if not nd <= total <= faces * nd:
        return 0
    return sum((-1) ** j * comb(nd, j) * comb(total - faces * j - 1, nd - 1)
               for j in range((total - nd) // faces + 1))


def run_dice_symconv(nd):
    from symconv.probability import Die, sum_iid

    return sum_iid(Die(6), nd)


def _dice_symconv_payload(law, nd):
    total = 6**nd
    out = {}
    for s in range(nd, 6 * nd + 1):
        pr = law.pmf(s)
        out[str(s)] = int(pr.p) * (total // int(pr.q))
    return out


def run_dice_icepool(nd):
    import icepool

    # icepool recurses once per die: 1000 @ d6 needs more than Python's default limit (1000)
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 50 * nd + 1000))
    # a fresh d6 each run: icepool caches results on the die object, so repeating
    # ``nd @ icepool.d6`` would time a cache lookup (2 ms instead of 120 ms at n = 100)
    return nd @ icepool.Die(range(1, 7))


def _dice_icepool_payload(die, nd):
    scale = 6**nd // die.denominator()
    return {str(o): int(q) * scale
            for o, q in zip(die.outcomes(), die.quantities(), strict=True)}


def run_dice_numpy(nd):
    import numpy as np

    face = np.full(6, 1 / 6)
    v = np.ones(1)
    for _ in range(nd):
        v = np.convolve(v, face)
    return v


def _dice_numpy_payload(v, nd):
    return {str(nd + i): float(x) for i, x in enumerate(v)}


# -- Irwin–Hall ---------------------------------------------------------------
def ih_points(nn):
    return [HALF, Fraction(nn, 3), Fraction(nn, 2) + Fraction(1, 7)]


def ref_irwin_hall(nn, xv):
    if xv <= 0 or xv >= nn:
        return Fraction(0)
    s = sum((-1) ** j * comb(nn, j) * (xv - j) ** (nn - 1) for j in range(int(xv) + 1))
    return s / factorial(nn - 1)


def run_ih_symconv(nn):
    from symconv.probability import Uniform, sum_iid

    law = sum_iid(Uniform(0, 1), nn)
    pts = ih_points(nn)
    return {str(p): law.pdf(v) for p, v in zip(pts, _sympy_points(pts), strict=True)}


def run_ih_generic(nn):
    from sympy import Heaviside, Symbol

    from symconv.probability import Distribution, sum_iid

    x = Symbol("x", real=True)
    box = Distribution.from_pdf(Heaviside(x) - Heaviside(x - 1), x)  # no family name
    law = sum_iid(box, nn)
    pts = ih_points(nn)
    return {str(p): law.pdf(v) for p, v in zip(pts, _sympy_points(pts), strict=True)}


def run_ih_uniformsum(nn):
    from sympy import Symbol
    from sympy.stats import UniformSum, density

    z = Symbol("z")
    expr = density(UniformSum("U", nn))(z)
    pts = ih_points(nn)
    return {str(p): expr.subs(z, v).doit() for p, v in zip(pts, _sympy_points(pts), strict=True)}


def run_ih_sympy_density(nn):
    from sympy import Symbol
    from sympy.stats import Uniform, density

    z = Symbol("z")
    expr = density(sum(Uniform(f"U{i}", 0, 1) for i in range(nn)))(z)
    pts = ih_points(nn)
    return {str(p): expr.subs(z, v) for p, v in zip(pts, _sympy_points(pts), strict=True)}


# ---------------------------------------------------------------------------
# child side: run one task, time it, print a JSON line
# ---------------------------------------------------------------------------
def _task(name):
    """``(build, payload)`` for a task name ``section|method|arg``."""
    section, method, arg = name.split("|")
    if section == "pair":
        fn = run_pair_symconv if method == "symconv" else run_pair_sympy
        # timed: the law and its values at the points, as numbers (what a user needs)
        return (lambda: {k: _out(v) for k, v in fn(arg).items()}), (lambda r: r)
    if section == "dice":
        nd = int(arg)
        build = {"symconv": run_dice_symconv, "icepool": run_dice_icepool,
                 "numpy": run_dice_numpy}[method]
        pay = {"symconv": _dice_symconv_payload, "icepool": _dice_icepool_payload,
               "numpy": _dice_numpy_payload}[method]
        return (lambda: build(nd)), (lambda r: {k: str(v) for k, v in pay(r, nd).items()})
    if section == "ih":
        nn = int(arg)
        fn = {"symconv": run_ih_symconv, "generic": run_ih_generic,
              "uniformsum": run_ih_uniformsum, "density": run_ih_sympy_density}[method]
        return (lambda: {k: _out(v) for k, v in fn(nn).items()}), (lambda r: r)
    raise KeyError(name)


def _preload(method):
    """Import and warm up what a method uses before timing it: one-time costs (imports, SymPy's
    first-use initialisation) are not what we measure. The warm-up is a *different*, tiny
    computation, never the timed task itself."""
    import flint  # noqa: F401 - symconv imports python-flint lazily
    from sympy import Rational, Symbol, exp, integrate, oo
    from sympy.stats import Die as SDie
    from sympy.stats import density

    from symconv.probability import Die, Exponential, Uniform

    if method in ("symconv", "generic"):
        (Die(4) + Die(4)).pmf(3)
        (Exponential(1) + Exponential(3)).pdf(Rational(1, 3))
        (Uniform(0, 1) + Uniform(0, 2)).pdf(Rational(1, 3))
    elif method in ("sympy", "uniformsum", "density"):
        dict(density(SDie("W1", 4) + SDie("W2", 4)))
        t = Symbol("t", positive=True)
        integrate(exp(-3 * t), (t, 0, oo))
    elif method == "icepool":
        import icepool

        (2 @ icepool.d4).quantities()
    elif method == "numpy":
        import numpy

        numpy.convolve(numpy.ones(3), numpy.ones(3))


class _OverLimit(BaseException):
    """Raised by the CPU-time alarm (a BaseException: SymPy's ``except Exception`` can't eat it)."""


def _on_limit(signum, frame):
    raise _OverLimit


def child(name, repeats, limit):
    from sympy.core.cache import clear_cache

    _preload(name.split("|")[1])
    build, payload = _task(name)
    times, result, spent = [], None, 0.0
    signal.signal(signal.SIGPROF, _on_limit)
    try:
        for _ in range(max(1, repeats)):
            clear_cache()
            signal.setitimer(signal.ITIMER_PROF, limit)  # CPU seconds of this process
            t0 = CLOCK()
            result = build()
            dt = CLOCK() - t0
            signal.setitimer(signal.ITIMER_PROF, 0)
            times.append(dt)
            spent += dt
            if spent > _BUDGET:
                break
    except _OverLimit:
        if not times:
            print(json.dumps({"timeout": True}))
            return
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
    try:
        out = payload(result)
    except Exception as exc:  # noqa: BLE001 - reported, not hidden
        out = {"__error__": f"{type(exc).__name__}: {exc}"}
    print(json.dumps({"time": statistics.median(times), "runs": len(times), "values": out}))


# ---------------------------------------------------------------------------
# parent side
# ---------------------------------------------------------------------------
def run_child(name, limit, repeats):
    """Run one task in a fresh interpreter; ``limit`` is CPU seconds for one timed run (the
    child's own alarm); a wall-clock backstop covers start-up on a loaded machine."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", name,
           "--repeats", str(repeats), "--limit", str(limit)]
    backstop = 4 * (limit + _BUDGET) + 180
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=backstop, cwd=_ROOT)
    except subprocess.TimeoutExpired:
        return {"status": "timeout", "limit": limit}
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["?"])[-1]
        return {"status": "error", "message": last[:120]}
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    if data.get("timeout"):
        return {"status": "timeout", "limit": limit}
    data["status"] = "ran"
    return data


def _parse(s):
    """A payload string as (exactness, value)."""
    tag, _, body = s.partition(":")
    if tag == "exact":
        return "exact", Fraction(body)
    if tag in ("num", "unevaluated"):
        return tag, mpmath.mpf(body) if "I" not in body else None
    return "exact", Fraction(s)  # dice payloads: integer counts


def check(values, ref, digits=25):
    """``(ok, note)``: every point equal (exact) or within ``digits`` digits of the reference."""
    if "__error__" in values:
        return False, values["__error__"][:60]
    unevaluated = False
    with mp.workdps(45):
        for key, want in ref.items():
            if key not in values:
                return False, f"no value at {key}"
            tag, got = _parse(values[key])
            unevaluated |= tag == "unevaluated"
            if got is None:
                return False, f"complex value at {key}"
            if tag == "exact" and isinstance(want, Fraction):
                if got != want:
                    return False, f"wrong at {key}"
                continue
            w = mpmath.mpf(want.numerator) / want.denominator if isinstance(want, Fraction) \
                else want
            g = mpmath.mpf(got.numerator) / got.denominator if isinstance(got, Fraction) else got
            if abs(g - w) > mpmath.mpf(10) ** (-digits) * max(1, abs(w)):
                return False, f"wrong at {key}: {mpmath.nstr(g, 8)} vs {mpmath.nstr(w, 8)}"
    exact = all(values[k].startswith("exact") for k in ref) or all(
        ":" not in values[k] for k in ref)
    note = "exact" if exact else f"{digits} digits"
    if unevaluated:
        note += ", Integral left (values via N)"
    return True, note


def fmt_time(res):
    if res is None:
        return "—"
    if res["status"] == "timeout":
        return f"> {res['limit']:g} s"
    if res["status"] == "error":
        return "error"
    t = res["time"]
    if t < 1e-3:
        return f"{t * 1e6:.0f} µs"
    if t < 1:
        return f"{t * 1e3:.1f} ms"
    return f"{t:.2f} s"


def fmt_ratio(peer, ours):
    if peer is None or ours is None or ours.get("status") != "ran":
        return "—"
    if peer["status"] == "timeout":
        return f"> {peer['limit'] / ours['time']:.0f}×"
    if peer["status"] != "ran":
        return "—"
    r = peer["time"] / ours["time"]
    return f"{r:.0f}×" if r >= 10 else f"{r:.2g}×"


def fmt_check(res, ref, digits=25):
    if res is None:
        return "—", True
    if res["status"] == "timeout":
        return "timeout", True
    if res["status"] == "error":
        return f"error: {res['message'][:70]}", False
    ok, note = check(res["values"], ref, digits)
    return ("✓ " if ok else "✗ ") + note, ok


def table(header, rows):
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = "| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |"
    sep = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    out = [line, sep]
    for r in rows:
        out.append("| " + " | ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True))
                   + " |")
    return "\n".join(out)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="small sizes, 5 s limit, 1 repeat")
    ap.add_argument("--limit", type=float, default=None,
                    help="CPU-time limit per peer run in seconds (default 20; 5 with --quick)")
    ap.add_argument("--dice-limit", type=float, default=None,
                    help="time limit for the icepool dice runs (default 60; 5 with --quick)")
    ap.add_argument("--repeats", type=int, default=None, help="runs per measurement (default 5)")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        child(args.child, args.repeats or 1, args.limit or 20.0)
        return 0

    quick = args.quick
    limit = args.limit or (5.0 if quick else 20.0)
    dice_limit = args.dice_limit or (5.0 if quick else 60.0)
    repeats = args.repeats or (1 if quick else 5)
    ours_limit = max(limit, 60.0)
    failures = []

    try:
        import icepool

        icepool_version = icepool.__version__
    except ImportError:
        icepool = None
        icepool_version = None
    import numpy
    import sympy

    try:
        import flint

        flint_version = flint.__version__
    except ImportError:  # pragma: no cover
        flint_version = "?"
    print(f"Python {platform.python_version()}, SymPy {sympy.__version__}, python-flint "
          f"{flint_version}, NumPy {numpy.__version__}, icepool "
          f"{icepool_version or 'not installed (skipped)'}; peer limit {limit:g} s "
          f"(icepool {dice_limit:g} s) of CPU time; median of up to {repeats} runs; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")

    # 1. pairs -------------------------------------------------------------------------
    names = list(PAIRS) if not quick else ["two dice", "Exp(1) + Exp(2)",
                                           "Binomial(10,1/3) + Binomial(15,1/3)"]
    rows = []
    for name in names:
        ref = ref_pair(name)
        ours = run_child(f"pair|symconv|{name}", ours_limit, repeats)
        peer = run_child(f"pair|sympy|{name}", limit, repeats)
        c_ours, ok = fmt_check(ours, ref)
        if not ok:
            failures.append(name)
        c_peer, _ = fmt_check(peer, ref)
        rows.append([name, fmt_time(ours), fmt_time(peer), fmt_ratio(peer, ours), c_ours, c_peer])
    print("\n### Pairs: law of X + Y, evaluated at the check points\n")
    print(table(["X + Y", "symconv", "sympy.stats density", "ratio", "symconv check",
                 "sympy.stats check"], rows))

    # 2. dice ----------------------------------------------------------------------------
    sizes = [10, 100] if quick else [10, 100, 500, 1000]
    rows = []
    for nd in sizes:
        ours = run_child(f"dice|symconv|{nd}", ours_limit, repeats)
        ip = run_child(f"dice|icepool|{nd}", dice_limit, repeats) if icepool else None
        npr = run_child(f"dice|numpy|{nd}", ours_limit, repeats)
        # reference: inclusion–exclusion counts for n ≤ 100; for larger n spot values plus
        # total mass, symmetry and agreement with icepool when it finished
        if nd <= 100:
            ref = {str(s): Fraction(_dice_count(s, nd)) for s in range(nd, 6 * nd + 1)}
        else:
            spots = [nd, nd + 1, nd + 7, (7 * nd) // 2, 6 * nd - 3]
            ref = {str(s): Fraction(_dice_count(s, nd)) for s in spots}
        c_ours, ok = fmt_check(ours, ref)
        if ours["status"] == "ran":
            counts = [int(ours["values"][str(s)]) for s in range(nd, 6 * nd + 1)]
            if sum(counts) != 6**nd or counts != counts[::-1]:
                ok, c_ours = False, "✗ mass/symmetry"
            elif nd > 100:
                c_ours += " (spots, mass, symmetry)"
        if not ok:
            failures.append(f"{nd} dice")
        if ip is None:
            c_ip = "not installed"
        else:
            c_ip, _ = fmt_check(ip, ref)
            if ip["status"] == "ran" and ours["status"] == "ran":
                same = all(ip["values"].get(k) == v for k, v in ours["values"].items())
                c_ip += ", = symconv" if same else ", ≠ symconv"
        if npr["status"] == "ran" and ours["status"] == "ran":
            total = 6**nd
            with mp.workdps(30):
                err = max(abs(mpmath.mpf(npr["values"][k]) - mpmath.mpf(int(v)) / total)
                          for k, v in ours["values"].items())
                mid = str((7 * nd) // 2)
                rel = abs(mpmath.mpf(npr["values"][mid]) / (mpmath.mpf(int(
                    ours["values"][mid])) / total) - 1)
                tail = mpmath.mpf(npr["values"][str(nd)])
            c_np = (f"max abs err {mpmath.nstr(err, 2)}, rel err at the mode "
                    f"{mpmath.nstr(rel, 2)}, P(all ones) = {mpmath.nstr(tail, 3)} "
                    f"(exact 6^-{nd})")
        else:
            c_np = fmt_check(npr, {})[0]
        rows.append([f"{nd} d6", fmt_time(ours), fmt_time(ip), fmt_ratio(ip, ours),
                     fmt_time(npr), fmt_ratio(npr, ours), c_ours, c_ip, c_np])
    print("\n### Dice: law of the sum of n d6 (exact, all 5n + 1 values)\n")
    print(table(["n", "symconv", "icepool n @ d6", "ratio", "NumPy float conv", "ratio",
                 "symconv check", "icepool check", "NumPy float accuracy"], rows))

    # 3. Irwin–Hall ------------------------------------------------------------------------
    sizes = [5, 20] if quick else [5, 20, 100]
    dens_sizes = [2, 3] if quick else [2, 3, 4, 5]
    rows = []
    for nn in sorted(set(sizes) | set(dens_sizes)):
        pts = ih_points(nn)
        ref = {str(p): ref_irwin_hall(nn, p) for p in pts}
        ours = run_child(f"ih|symconv|{nn}", ours_limit, repeats)
        gen = run_child(f"ih|generic|{nn}", limit, repeats) if nn <= 20 else None
        us = run_child(f"ih|uniformsum|{nn}", limit, repeats) if nn in sizes else None
        dens = run_child(f"ih|density|{nn}", limit, repeats) if nn in dens_sizes else None
        c_ours, ok = fmt_check(ours, ref, 30)
        if not ok:
            failures.append(f"Irwin-Hall {nn}")
        rows.append([nn, fmt_time(ours), fmt_time(gen), fmt_ratio(gen, ours), fmt_time(us),
                     fmt_ratio(us, ours), fmt_time(dens), fmt_ratio(dens, ours), c_ours,
                     fmt_check(gen, ref, 30)[0], fmt_check(us, ref, 30)[0],
                     fmt_check(dens, ref, 30)[0]])
    print("\n### Irwin–Hall: pdf of U1 + … + Un at 3 rational points\n")
    print(table(["n", "symconv", "symconv generic", "ratio", "sympy UniformSum", "ratio",
                 "sympy density(ΣU)", "ratio", "symconv check", "generic check",
                 "UniformSum check", "density check"], rows))

    print()
    if failures:
        print("symconv FAILED its check on: " + ", ".join(failures))
        return 1
    print("symconv passed every check.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
