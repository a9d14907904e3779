"""Shared pieces of the benchmark scripts: CPU-time limits for child processes and the
Markdown table printer (kept in one place so the scripts agree on clocks and formats)."""

import math
import os
import time

try:
    import resource  # Unix: CPU-time limits for the child processes
except ImportError:  # pragma: no cover
    resource = None

CLOCKS = ("wall", "cpu")


_CPU_LIMIT_EXIT = 124


def _on_cpu_limit(signum, frame):
    os._exit(_CPU_LIMIT_EXIT)


def _limit_cpu(seconds):
    """Stop this process once it has used ``seconds`` more CPU seconds (via ``RLIMIT_CPU``)."""
    if seconds is None:
        return
    soft = math.ceil(time.process_time() + seconds)
    hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def fmt_time(s):
    if s is None:
        return "-"
    if s < 1e-3:
        return f"{s * 1e6:.0f} µs"
    if s < 1:
        return f"{s * 1e3:.1f} ms"
    return f"{s:.2f} s"


def fmt_outcome(out, timeout):
    if out.status == "timeout":
        return f"timeout (>{timeout:g} s)"
    if out.time is None:
        return out.status
    return f"{fmt_time(out.time)} {out.status}"


def print_table(headers, rows, markdown):
    if markdown:
        print("| " + " | ".join(headers) + " |")
        print("|" + "|".join("---" for _ in headers) + "|")
        for row in rows:
            print("| " + " | ".join(str(c).replace("|", "\\|") for c in row) + " |")
        return
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))
