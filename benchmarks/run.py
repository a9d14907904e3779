"""Run the benchmark scripts and rewrite ``benchmarks/README.md`` from their output.

``benchmarks/README.md`` is generated: the prose lives in ``benchmarks/README.template.md`` and
every ``<!-- generated: NAME -->`` marker there is replaced by the verbatim output of one script
run now, under a header naming the date, the commit, the machine and the versions. No figure in
the README is older than the code it was measured on.

    python benchmarks/run.py                 # every script, full runs (about an hour)
    python benchmarks/run.py --quick         # every script with --quick (about 10 minutes)
    python benchmarks/run.py --only goals    # some sections; the others keep their last output
    python benchmarks/run.py --check         # exit 1 if the README is not the template's output

A section that is not run keeps the output it had in the README (the header says which
sections were run now); ``--only`` is for iterating, a release runs everything.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TEMPLATE = HERE / "README.template.md"
README = HERE / "README.md"

#: name -> (script arguments, extra arguments with --quick)
SECTIONS = {
    "goals": (["bench_goals.py"], ["--quick"]),
    "continuous": (["bench_continuous.py", "--markdown"], ["--quick"]),
    "probability": (["bench_probability.py"], ["--quick"]),
    "discrete": (["bench_discrete.py", "--markdown"], ["--quick"]),
    "symbolic": (["bench_symbolic.py", "--markdown"], ["--quick"]),
    "periodic": (["bench_discrete.py", "--periodic", "--markdown"], ["--quick"]),
    "nn": (["bench_nn.py", "--markdown"], ["--quick"]),
    "grade": (["bench_grade.py", "--markdown"], ["--quick"]),
}
MARKER = re.compile(r"<!-- generated: (\w+) -->")
BEGIN, END = "<!-- begin generated: {} -->", "<!-- end generated: {} -->"


def machine():
    """One line about the machine: CPU model, cores, OS."""
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} CPUs; {platform.system()} {platform.release()}"


def versions():
    out = [f"Python {platform.python_version()}"]
    for mod in ("sympy", "mpmath", "flint", "gmpy2", "numpy", "icepool"):
        try:
            m = __import__(mod)
            v = getattr(m, "__version__", None) or (m.version() if mod == "gmpy2" else "?")
        except ImportError:
            v = "not installed"
        out.append(f"{'python-flint' if mod == 'flint' else mod} {v}")
    return ", ".join(out)


def commit():
    def git(*args):
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout
    head = git("rev-parse", "--short", "HEAD").strip() or "unknown"
    dirty = git("status", "--porcelain", "--untracked-files=no", "--", "symconv").strip()
    return head + (" with uncommitted changes to symconv/" if dirty else "")


def run_section(name, quick):
    args, quick_args = SECTIONS[name]
    cmd = [sys.executable, str(HERE / args[0]), *args[1:], *(quick_args if quick else [])]
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    print(f"running {' '.join(cmd[1:])} ...", file=sys.stderr, flush=True)
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=env)
    spent = time.perf_counter() - start
    shown = "python benchmarks/" + " ".join([args[0], *args[1:], *(quick_args if quick else [])])
    when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    body = _blank_before_tables(proc.stdout.rstrip())
    if proc.returncode:
        body += f"\n\n(exit status {proc.returncode}"
        err = proc.stderr.strip().splitlines()[-3:]
        body += (": " + " / ".join(err) if err else "") + ")"
    print(f"  done in {spent:.0f} s (exit status {proc.returncode})", file=sys.stderr, flush=True)
    return (f"Output of `{shown}`, run {when} at commit {commit()} ({spent:.0f} s wall), "
            f"verbatim:\n\n{body}\n")


def _blank_before_tables(text):
    """The script's output with a blank line before each table (Markdown needs one)."""
    out = []
    for line in text.splitlines():
        if line.startswith("|") and out and out[-1].strip() and not out[-1].startswith("|"):
            out.append("")
        out.append(line)
    return "\n".join(out)


def previous_sections():
    """The generated blocks of the current README, by name."""
    if not README.exists():
        return {}
    text = README.read_text(encoding="utf-8")
    out = {}
    for name in SECTIONS:
        b, e = BEGIN.format(name), END.format(name)
        if b in text and e in text:
            out[name] = text.split(b, 1)[1].split(e, 1)[0].strip("\n") + "\n"
    return out


def render(sections, header):
    text = TEMPLATE.read_text(encoding="utf-8")

    def fill(m):
        name = m.group(1)
        if name == "header":
            return header
        body = sections.get(name, "(not run yet: `python benchmarks/run.py --only "
                                  f"{name}`)\n")
        return f"{BEGIN.format(name)}\n{body}{END.format(name)}"

    return MARKER.sub(fill, text)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="run every script with --quick")
    p.add_argument("--only", nargs="+", choices=sorted(SECTIONS), metavar="SECTION",
                   help=f"run only these sections ({', '.join(SECTIONS)})")
    p.add_argument("--check", action="store_true",
                   help="run nothing; exit 1 if README.md differs from the template filled "
                        "with its own generated blocks (the prose was edited in the README)")
    args = p.parse_args(argv)
    old = previous_sections()
    if args.check:
        text = README.read_text(encoding="utf-8")
        header = text.split("<!-- begin generated: header -->", 1)[1].split(
            "<!-- end generated: header -->", 1)[0].strip("\n") + "\n"
        want = render(old, "<!-- begin generated: header -->\n" + header
                      + "<!-- end generated: header -->")
        if want != text:
            print("benchmarks/README.md is not generated from README.template.md: edit the "
                  "template and run python benchmarks/run.py", file=sys.stderr)
            return 1
        return 0
    names = args.only or list(SECTIONS)
    sections = dict(old)
    started = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    for name in names:
        sections[name] = run_section(name, args.quick)
        README.write_text(render(sections, _header(started, load, names, args)), encoding="utf-8")
    README.write_text(render(sections, _header(started, load, names, args)), encoding="utf-8")
    print(f"wrote {README.relative_to(ROOT)}", file=sys.stderr)
    return 0


def _header(started, load, names, args):
    mode = "`--quick` runs" if args.quick else "full runs"
    ran = ("the sections " + ", ".join(names)) if args.only else "every section"
    return "\n".join([
        "<!-- begin generated: header -->",
        "> **Generated file.** Edit `benchmarks/README.template.md` and run "
        "`python benchmarks/run.py` (`--quick` for a smoke run); every table below is the "
        "verbatim output of the script named above it, with the date and commit of its run.",
        ">",
        f"> Last invocation: {started}, {mode} of {ran}, at commit {commit()}; each section "
        "names the command, date and commit of its own run.",
        f"> Machine: {machine()} (load average {load:.1f} at the start; the machine is "
        "shared, so figures are CPU times and ratios are measured side by side).",
        f"> Versions: {versions()}.",
        "<!-- end generated: header -->",
    ])


if __name__ == "__main__":
    sys.exit(main())
