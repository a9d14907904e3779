#!/usr/bin/env python
"""Benchmark ``symconv.nn.conv.conv`` (the NumPy float64 path) against PyTorch and SciPy.

For a few typical layer sizes, each method computes the same layer in float64 on the CPU:

* ``symconv``: ``symconv.nn.conv.conv(x, w, stride=..., padding=..., groups=...)`` (windows as a
  strided view, one matrix product per group);
* ``torch``:   ``torch.nn.functional.conv1d/conv2d`` (if PyTorch is installed; pin
  ``pip install torch==2.13.0`` for the CPU build);
* ``scipy``:   ``scipy.signal.correlate(xpad[n, group], w[o], mode="valid")`` for every batch
  item ``n`` and output channel ``o`` (the N-d correlation sums the channels), then the stride
  applied by slicing — SciPy has no stride, groups or channel axes, so this is what a SciPy user
  writes.

Times are the best of ``--repeats`` runs (a method slower than 1 s runs once). Every result is
checked against the others (largest absolute difference). By default everything runs on one
thread (``--threads``), set before NumPy and PyTorch load, so that the ratios compare algorithms,
not core counts.

Run from the repository root::

    python benchmarks/bench_nn.py              # the table
    python benchmarks/bench_nn.py --quick      # smoke run: three small cases, one repeat
    python benchmarks/bench_nn.py --markdown   # a Markdown table

The exit status is 1 when results disagree (more than 1e-9) or symconv is more than 10x slower
than SciPy on some case (the project's target).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

# Benchmark this checkout, not a possibly stale installed copy.
_ROOT = Path(__file__).resolve().parent.parent
if (_ROOT / "symconv" / "__init__.py").exists() and str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

TARGET = 10.0  # symconv / scipy must stay below this
AGREE = 1e-9

# name, x shape (N, C_in, *spatial), w shape (C_out, C_in/groups, *kernel), stride, padding, groups
CASES = [
    ("ResNet stem 7x7/2", (1, 3, 224, 224), (64, 3, 7, 7), 2, 3, 1),
    ("ResNet block 3x3", (1, 64, 56, 56), (64, 64, 3, 3), 1, 1, 1),
    ("CIFAR batch 3x3", (16, 16, 32, 32), (32, 16, 3, 3), 1, 1, 1),
    ("deep 3x3, 256 ch", (1, 256, 14, 14), (256, 256, 3, 3), 1, 1, 1),
    ("depthwise 3x3", (1, 32, 112, 112), (32, 1, 3, 3), 1, 1, 32),
    ("image blur 5x5", (1, 1, 512, 512), (1, 1, 5, 5), 1, 2, 1),
    ("1-D audio k=9", (4, 16, 4000), (16, 16, 9), 1, 4, 1),
]
QUICK = [CASES[2], CASES[4], CASES[6]]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1, help="threads for BLAS and PyTorch")
    parser.add_argument("--repeats", type=int, default=5, help="runs per method (best is kept)")
    parser.add_argument("--quick", action="store_true", help="three small cases, one repeat")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    return parser.parse_args(argv)


def best_time(fn, repeats):
    """``(seconds, result)``: the best of ``repeats`` runs, or one run if it takes over 1 s."""
    t0 = time.perf_counter()
    result = fn()
    best = time.perf_counter() - t0
    if best > 1.0:
        return best, result
    for _ in range(repeats - 1):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def main(argv=None):
    args = parse_args(argv)
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(args.threads)

    import numpy as np
    import scipy.signal

    from symconv.nn.conv import conv

    try:
        import torch
    except ImportError:
        torch = None
        print("torch is not installed (pip install torch==2.13.0): its column is empty\n")
    else:
        torch.set_num_threads(args.threads)

    repeats = 1 if args.quick else args.repeats
    rng = np.random.default_rng(0)
    rows, ok = [], True
    for name, xs, ws, stride, padding, groups in QUICK if args.quick else CASES:
        x, w = rng.standard_normal(xs), rng.standard_normal(ws)
        d = len(ws) - 2

        def ours(x=x, w=w, stride=stride, padding=padding, groups=groups):
            return conv(x, w, stride=stride, padding=padding, groups=groups)

        def sp(x=x, w=w, stride=stride, padding=padding, groups=groups, d=d):
            xp = np.pad(x, ((0, 0), (0, 0)) + ((padding, padding),) * d)
            c_out, cg = w.shape[:2]
            og = c_out // groups
            sub = (0,) + (slice(None, None, stride),) * d
            return np.stack([
                np.stack([
                    scipy.signal.correlate(xn[(o // og) * cg:(o // og + 1) * cg], w[o],
                                           mode="valid")[sub]
                    for o in range(c_out)
                ])
                for xn in xp
            ])

        t_ours, y = best_time(ours, repeats)
        t_sp, y_sp = best_time(sp, repeats)
        diffs = [float(np.abs(y - y_sp).max())]
        t_torch = None
        if torch is not None:
            fn = (torch.nn.functional.conv1d, torch.nn.functional.conv2d)[d - 1]
            xt, wt = torch.from_numpy(x), torch.from_numpy(w)

            def th(fn=fn, xt=xt, wt=wt, stride=stride, padding=padding, groups=groups):
                return fn(xt, wt, stride=stride, padding=padding, groups=groups)

            t_torch, y_t = best_time(th, repeats)
            diffs.append(float(np.abs(y - y_t.numpy()).max()))
        diff = max(diffs)
        ratio_sp = t_ours / t_sp
        ok &= diff <= AGREE and ratio_sp <= TARGET
        rows.append((name, xs, ws, t_ours, t_torch, t_sp, diff, ratio_sp))

    header = ["case", "x", "w", "symconv ms", "torch ms", "scipy ms", "symconv/torch",
              "symconv/scipy", "max |diff|"]
    table = []
    for name, xs, ws, t_ours, t_torch, t_sp, diff, ratio_sp in rows:
        table.append([
            name,
            "x".join(map(str, xs)),
            "x".join(map(str, ws)),
            f"{t_ours * 1e3:.1f}",
            "-" if t_torch is None else f"{t_torch * 1e3:.1f}",
            f"{t_sp * 1e3:.1f}",
            "-" if t_torch is None else f"{t_ours / t_torch:.2f}",
            f"{ratio_sp:.3f}" + ("  MISSED" if ratio_sp > TARGET else ""),
            f"{diff:.1e}",
        ])
    print(f"float64, CPU, {args.threads} thread(s), best of {repeats}; numpy {np.__version__}, "
          f"scipy {scipy.__version__}, torch {torch.__version__ if torch else '-'}")
    if args.markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + "|".join("---" for _ in header) + "|")
        for r in table:
            print("| " + " | ".join(r) + " |")
    else:
        widths = [max(len(h), *(len(r[i]) for r in table)) for i, h in enumerate(header)]
        print("  ".join(h.ljust(wd) for h, wd in zip(header, widths, strict=True)))
        for r in table:
            print("  ".join(c.ljust(wd) for c, wd in zip(r, widths, strict=True)))
    print(f"target: symconv/scipy <= {TARGET:g}; results agree to {AGREE:g}: "
          + ("met" if ok else "NOT met"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
