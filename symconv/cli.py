"""The ``symconv`` command: convolution and correlation from the terminal.

Text typed here goes through :func:`symconv.parsing.parser.parse` (a grammar, never
``eval``). Exit codes: 0 success, 2 bad input (the message says where), 1 any
other failure (divergence, an undecidable case, a failed check, ``--timeout``
reached: default 60 s, and for ``grade`` 10 s an answer and for the truth).

Examples
--------
>>> main(["conv", "rect(t)", "rect(t)", "--ascii"])
       { 0     for t < -1
       { t + 1 for -1 <= t < 0
y(t) = { 1 - t for 0 <= t < 1
       { 0     for t >= 1
0
"""

from __future__ import annotations

import argparse
import re
import sys

from symconv.errors import ParseError, SymconvError, TimeLimitError, UnsupportedInputError
from symconv.limits import time_limit

# Building the parser (``symconv --help``) imports neither SymPy nor the grammar: the
# mathematics is imported by the command that needs it.

__all__ = ["main", "console"]


def parse_assumptions(text, items=None):
    """``--assume`` text as ``{name: {fact: True}}`` (see
    :func:`symconv.parsing.assumptions.parse_assumptions`)."""
    from symconv.parsing.assumptions import parse_assumptions as _parse

    return _parse(text, items)


def parse_relations(items, var, assumptions, text):
    from symconv.parsing.assumptions import parse_relations as _parse

    return _parse(items, var, assumptions, text)


def make_symbol(name, assumptions=None):
    from symconv.parsing.parser import make_symbol as _make

    return _make(name, assumptions)


def parse(text, var="t", **kw):
    from symconv.parsing.parser import parse as _parse

    return _parse(text, var, **kw)

EXAMPLES = """\
examples:
  symconv conv "2 e^(-t/2) u(t)" "rect(t - 1/2)"
  symconv conv "2 e^(-t/2) u(t)" "rect(t - 1/2)" --latex
  symconv conv "e^(-a t) u(t)" "e^(-b t) u(t)" --assume "a>0, b>0"
  symconv conv "e^(-|t|)" "e^(-|t|)" --check
  symconv corr "rect(t)" "rect(t - 2)"
  symconv conv "t for 0<=t<1; 0 otherwise" "u(t)" --form heaviside
  symconv steps "2 e^(-t/2) u(t)" "rect(t - 1/2)" --latex
  symconv check "2 e^(-t/2) u(t)" "rect(t - 1/2)" "4(1-e^(-t/2)) u(t)"
  symconv conv "0.5^n u[n]" "u[n] - u[n-4]"
  symconv conv "[1, 2, 3]" "[1, 1]" --mode same
  symconv dist "Die(6) + Die(6)"
  symconv grade problem.toml answers.csv -o report.csv
  symconv serve
"""

VARIABLE_HELP = ("the variable (default: t, or the index in brackets such as u[n]); n, k and m "
                 "are sequence indices (a sum) unless --continuous")

def _first_line(err):
    text = str(err).splitlines()[0] if str(err) else type(err).__name__
    return text if len(text) < 120 else text[:117] + "..."


#: Seconds a command may run before it stops (``--timeout``).
DEFAULT_TIMEOUT = 60.0

#: What each command computes, for the time-limit message.
_WHAT = {"conv": "the convolution", "corr": "the correlation", "steps": "the derivation",
         "check": "checking the answer", "plot": "the picture", "animate": "the animation",
         "dist": "the law"}


def _seconds(text):
    """``--timeout``: a positive, finite number of seconds."""
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a positive number of seconds (e.g. 60 or 0.5)")
    return value


def _add_timeout(parser, default=DEFAULT_TIMEOUT, help_=None):
    parser.add_argument("--timeout", type=_seconds, default=default, metavar="SECONDS",
                        help=help_ or f"stop with an error after SECONDS (default {default:g})")


def _build_parser():
    p = argparse.ArgumentParser(
        prog="symconv",
        description="Exact convolution of signals, with an independent numeric check.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for cmd, help_ in (
        ("conv", "convolution (f*g)(t) = ∫ f(τ) g(t-τ) dτ"),
        ("corr", "cross-correlation ∫ f(τ) g(τ+t) dτ"),
    ):
        c = sub.add_parser(cmd, help=help_, description=help_, epilog=EXAMPLES,
                           formatter_class=argparse.RawDescriptionHelpFormatter)
        c.add_argument("f", help='first signal, e.g. "2 e^(-t/2) u(t)", "0.5^n u[n]" '
                                 'or a list "[1, 2, 3]"')
        c.add_argument("g", help='second signal, e.g. "rect(t - 1/2)" or a list "[1, 1]"')
        _add_variable_options(c)
        _add_assume(c)
        c.add_argument("--form", choices=("piecewise", "heaviside"), default="piecewise",
                       help="result as regions (default) or as pieces times u(t - t0)")
        c.add_argument("--mode", choices=("full", "same", "valid", "cyclic"), default="full",
                       help="lists: the part of the result kept, as numpy.convolve "
                            "(default full); cyclic is circular convolution")
        c.add_argument("--period", type=int, default=None, metavar="N",
                       help="lists with --mode cyclic: the period (default: the longer length)")
        c.add_argument("--latex", action="store_true", help="print the result as LaTeX")
        c.add_argument("--ascii", action="store_true", help="plain ASCII instead of Unicode")
        c.add_argument("--check", action="store_true",
                       help="also verify numerically (mpmath quadrature) and print the report")
        c.add_argument("--name", default="y", help="name of the result (default: y)")
        _add_timeout(c)
    _add_check_commands(sub)
    _add_steps_command(sub)
    _add_picture_commands(sub)
    _add_dist_command(sub)
    _add_serve_command(sub)
    return p


def _add_serve_command(sub):
    """``serve``: the local web page (``pip install "symconv[web]"``)."""
    c = sub.add_parser(
        "serve", help="a local web page: result, derivation, flip-and-slide, answer check",
        description="Serve the symconv page on this machine (needs: pip install "
                    '"symconv[web]"). Every request runs in a worker process with a time '
                    "and a memory limit.",
        epilog="example:\n  symconv serve            # then open http://127.0.0.1:8000/",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    c.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1: this machine only)")
    c.add_argument("--port", type=int, default=8000, help="port (default 8000; 0: a free one)")
    c.add_argument("--workers", type=int, default=2, help="requests computed at once (default 2)")
    c.add_argument("--memory", type=int, default=2048, help="MB per request (default 2048)")
    _add_timeout(c, 10.0, "seconds a request may compute (default 10)")


def _run_serve(args, out):
    from symconv.web import serve

    return serve(args.host, args.port, workers=args.workers, timeout=args.timeout,
                 memory_mb=args.memory, out=out)


def _add_variable_options(c):
    c.add_argument("--var", default=None, help=VARIABLE_HELP)
    kind = c.add_mutually_exclusive_group()
    kind.add_argument("--discrete", action="store_true",
                      help="sequences: the variable is an integer and y[n] = Σ f[k] g[n-k] "
                           '(same as --assume "n integer")')
    kind.add_argument("--continuous", action="store_true",
                      help="the integral even when the variable is named n, k or m")


def _add_assume(c):
    c.add_argument("--assume", default="", metavar="FACTS",
                   help='facts on the parameters, e.g. "a>0, b>0", "0<T1<T2", "N integer"; '
                        "widths (T in rect(t/T)) and parameters of laws are positive unless "
                        "stated")


DIST_EXAMPLES = """\
examples:
  symconv dist "Die(6) + Die(6)"
  symconv dist "Normal(0, 1) + Uniform(0, 1)"
  symconv dist "Exponential(a) + Exponential(b)" --assume "a>0, b>0"
  symconv dist "Poisson(2) + Poisson(3)" --latex
laws: Bernoulli(p) Binomial(n, p) Cauchy(x0, s) ChiSquared(k) Die(n) DiscreteUniform(a, b)
  Erlang(k, rate) Exponential(rate) Gamma(shape, rate) Geometric(p) IrwinHall(n) Laplace(mu, b)
  NegativeBinomial(r, p) Normal(mu, sigma) Poisson(lambda) Triangular(a, b, c) Uniform(a, b)
"""


def _add_dist_command(sub):
    help_ = "the law of a sum of independent random variables, e.g. Die(6) + Die(6)"
    c = sub.add_parser("dist", help=help_, description=help_, epilog=DIST_EXAMPLES,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    c.add_argument("law", help='a sum of named laws, e.g. "Die(6) + Die(6)", '
                               '"2 Uniform(0, 1) - 1"')
    c.add_argument("--assume", default="", metavar="FACTS",
                   help='facts on the parameters, e.g. "mu real"; a parameter not named '
                        "is positive (and an integer where it counts, as n in Binomial(n, p))")
    out = c.add_mutually_exclusive_group()
    out.add_argument("--latex", action="store_true", help="print the law as LaTeX")
    out.add_argument("--ascii", action="store_true", help="plain ASCII instead of Unicode")
    _add_timeout(c)


def _run_dist(args, out):
    from symconv.probability.expressions import parse_law

    law = parse_law(args.law, parse_assumptions(args.assume), default={"positive": True})
    if args.latex:
        print(law._repr_latex_().strip("$"), file=out)
        return 0
    from symconv.teaching.render.text import format_expr, format_result

    def show(e):
        return format_expr(e, args.ascii)

    print(f"X = {args.law.strip()}", file=out)
    name = repr(law)
    if not name.startswith("Distribution("):
        print(f"law: {name}", file=out)
    lo, hi = law.support
    print(f"support: {show(lo)} .. {show(hi)}", file=out)
    if law.is_discrete:
        table = law.table()
        if table is not None:
            for v, p in table:
                print(f"  P(X = {show(v)}) = {show(p)}", file=out)
        else:
            k = _symbol("k", integer=True)
            print(format_result(law.pmf(k), k, ascii=args.ascii, head="P(X = k) = "),
                  file=out)
    else:
        x = _symbol("x", real=True)
        print(format_result(law.pdf(x), x, "f", args.ascii), file=out)
    print(f"mean: {show(law.mean())}", file=out)
    print(f"variance: {show(law.variance())}", file=out)
    return 0


def _symbol(name, **facts):
    from sympy import Symbol

    return Symbol(name, **facts)


PICTURE_EXAMPLES = """\
examples:
  symconv plot "2 e^(-t/2) u(t)" "rect(t - 1/2)" --at 3 -o frame.png
  symconv animate "2 e^(-t/2) u(t)" "rect(t - 1/2)" --from -2 --to 15 -o slide.gif
  symconv plot "(1/2)^n u(n)" "u(n) - u(n-4)" --var n --discrete --at 2 -o stems.png
pictures need matplotlib: pip install symconv[plot]; .mp4 also needs ffmpeg
"""


def _add_picture_commands(sub):
    """The ``plot`` and ``animate`` commands: the flip-and-slide picture of f * g."""
    for cmd, help_ in (
        ("plot", "picture of (f*g)(t) at one instant: f(τ), g(t-τ), their product, y(t)"),
        ("animate", "animation (.gif, or .mp4 with ffmpeg) of the picture as t sweeps"),
    ):
        c = sub.add_parser(cmd, help=help_, description=help_, epilog=PICTURE_EXAMPLES,
                           formatter_class=argparse.RawDescriptionHelpFormatter)
        c.add_argument("f", help='the signal that stays, h, e.g. "2 e^(-t/2) u(t)"')
        c.add_argument("g", help='the signal flipped and slid, x, e.g. "rect(t - 1/2)"')
        c.add_argument("-o", "--output", required=True,
                       help="file to write (.png, .svg, .pdf for plot; .gif, .mp4 for animate)")
        _add_variable_options(c)
        _add_assume(c)
        c.add_argument("--set", dest="values", action="append", default=[], metavar="NAME=VALUE",
                       help="a value for a parameter, e.g. --set T=2 (repeat for several): "
                            "a picture needs numbers")
        c.add_argument("--from", dest="t_from", default=None,
                       help="start of the window, e.g. -2 (default: chosen from the supports)")
        c.add_argument("--to", dest="t_to", default=None,
                       help="end of the window, e.g. 10 (give it with --from)")
        c.add_argument("--layout", choices=("panels", "overlay"), default="panels",
                       help="four panels (default), or f and the flipped g in one panel")
        if cmd == "plot":
            c.add_argument("--at", required=True, help="the instant shown, e.g. 3 or 1/2")
            c.add_argument("--dpi", type=int, default=100, help="dots per inch (default 100)")
        else:
            c.add_argument("--frames", type=int, default=None,
                           help="number of frames (default: about 100, at a round step)")
            c.add_argument("--fps", type=float, default=20, help="frames per second (default 20)")
        _add_timeout(c)


def _run_picture(args, out):
    from symconv.plot.animation import animate_convolution
    from symconv.plot.figures import plot_convolution

    assumptions = parse_assumptions(args.assume)
    var, f, g = _signals(args, assumptions)
    f, g = _set_values(args, f, g, var)
    if (args.t_from is None) != (args.t_to is None):
        raise UnsupportedInputError("give both --from and --to, or neither")
    window = None
    if args.t_from is not None:
        window = (_parse_number(args.t_from, "--from"), _parse_number(args.t_to, "--to"))
    try:
        if args.command == "plot":
            fig = plot_convolution(f, g, var, at=_parse_number(args.at, "--at"),
                                   t_range=window, layout=args.layout, dpi=args.dpi)
            kinds = sorted(fig.canvas.get_supported_filetypes())
            if args.output.rpartition(".")[2].lower() not in kinds:
                raise UnsupportedInputError(
                    f"cannot write {args.output!r}: name the file with one of the extensions "
                    f"{', '.join('.' + k for k in kinds)}")
            fig.savefig(args.output)
        else:
            animate_convolution(f, g, var, t_range=window, path=args.output,
                                frames=args.frames, fps=args.fps, layout=args.layout)
    except TimeLimitError:  # a TimeoutError, hence an OSError: not a file problem
        raise
    except OSError as err:
        raise UnsupportedInputError(f"cannot write {args.output!r}: {err.strerror}") from None
    print(f"wrote {args.output}", file=out)
    return 0


def _set_values(args, f, g, var):
    """``--set T=2``: parameters replaced by numbers; a parameter left is an error that
    names the option (a picture needs numbers)."""
    values = {}
    for item in args.values:
        name, eq, value = item.partition("=")
        if not eq or not re.fullmatch(r"\s*[A-Za-z]\w*\s*", name):
            raise ParseError(f"--set expects NAME=VALUE, got {item!r}", item, 0, "e.g. --set T=2")
        name = name.strip()
        number = values[name] = _parse_number(value, f"--set {name}")
        if not number.is_extended_real or abs(number) > 1e300:
            raise UnsupportedInputError(
                f"--set {name}: a picture takes real values up to 1e300 in size, got "
                f"{value.strip()[:20]}")
    subs = {s: values[s.name] for e in (f, g) for s in e.free_symbols if s.name in values}
    f, g = f.xreplace(subs), g.xreplace(subs)
    free = sorted({s.name for e in (f, g) for s in e.free_symbols} - {var.name})
    if free:
        example = " ".join(f"--set {n}=2" for n in free)
        raise UnsupportedInputError(
            f"cannot draw a signal with free parameters ({', '.join(free)}): give them "
            f"values, e.g. {example}")
    return f, g


def _parse_number(text, which):
    try:
        value = parse(text, "t")
    except ParseError as err:
        err.which = which
        raise
    if value.free_symbols or not value.is_number:
        raise ParseError(f"{which} must be a number, got {text!r}", text, 0, "e.g. 3 or 1/2")
    return value


def _add_steps_command(sub):
    c = sub.add_parser(
        "steps", help="the derivation, step by step (text, LaTeX or Markdown)",
        description="Show how f*g is computed: flip, shift, critical values, one integral "
                    "per region, the result.",
        epilog='examples:\n  symconv steps "2 e^(-t/2) u(t)" "rect(t - 1/2)"\n'
               '  symconv steps "rect(t)" "rect(t)" --latex --document > steps.tex',
        formatter_class=argparse.RawDescriptionHelpFormatter)
    _add_signal_arguments(c)
    out = c.add_mutually_exclusive_group()
    out.add_argument("--latex", action="store_true", help="LaTeX (a fragment)")
    out.add_argument("--markdown", action="store_true", help="Markdown with $...$")
    c.add_argument("--document", action="store_true",
                   help="with --latex: a complete document for pdflatex")
    c.add_argument("--ascii", action="store_true", help="plain ASCII text")
    _add_timeout(c)


def _run_steps(args, out):
    from symconv.teaching.derivation import derive

    rel_items = []
    assumptions = parse_assumptions(args.assume, rel_items)
    var, f, g = _signals(args, assumptions)
    rels = parse_relations(rel_items, var, assumptions, args.assume)
    d = derive(f, g, var, kind=args.kind, assume=rels or None)
    if args.latex:
        print(d.latex(document=args.document), file=out, end="")
    elif args.markdown:
        print(d.markdown(), file=out, end="")
    else:
        print(d.text(ascii=args.ascii), file=out)
    return 0


def _add_check_commands(sub):
    c = sub.add_parser(
        "check", help="check an answer against the true convolution, region by region",
        description="Check an answer (plain text or LaTeX) against f*g.",
        epilog='examples:\n  symconv check "2 e^(-t/2) u(t)" "rect(t - 1/2)" "4(1-e^(-t/2)) u(t)"\n'
               '  symconv check "u(t) - u(t-T1)" "u(t) - u(t-T2)" '
               '"t for 0<=t<T1; T1 for T1<=t<T2; T1+T2-t for T2<=t<T1+T2; 0 otherwise" '
               '--assume "0<T1<T2"',
        formatter_class=argparse.RawDescriptionHelpFormatter)
    _add_signal_arguments(c, answer=True)
    c.add_argument("--ascii", action="store_true", help="(accepted for symmetry; output is ASCII)")
    _add_timeout(c)
    gr = sub.add_parser(
        "grade", help="grade a class: a problem file and a CSV of answers",
        description="Grade answers.csv (columns id, answer) for problem.toml "
                    "(keys f, g, var, assume, kind, reference). Every record of the answers "
                    "file gets a row with its line number. Exit codes: 0 every record graded, "
                    "1 some records unreadable (see their rows), 2 a file that cannot be read "
                    "without merging records, or a bad problem, 130/143 interrupted "
                    "(Ctrl-C/SIGTERM: the report marks the rest pending; --resume finishes).",
        epilog="example:\n  symconv grade problem.toml answers.csv -o report.csv\n"
               "  symconv grade problem.toml answers.csv -o report.csv --resume\n"
               "  symconv grade problem.toml answers.csv -o report.csv "
               "--scheduler tcp://host:8786",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    gr.add_argument("problem", help="the problem, a TOML file (see docs/grading.md)")
    gr.add_argument("answers", help="the answers, a CSV file with a header id,answer")
    gr.add_argument("-o", "--output", default=None,
                    help="the report, .csv or .json (default: JSON on standard output)")
    gr.add_argument("--workers", type=int, default=2,
                    help="worker processes on this machine (default 2)")
    _add_timeout(gr, 10.0, "seconds per answer, and for computing the truth (default 10)")
    gr.add_argument("--memory", type=int, default=2048,
                    help="megabytes of memory per answer (default 2048)")
    gr.add_argument("--resume", action="store_true",
                    help="keep the rows an earlier, interrupted run graded into -o; grade "
                         "the rest")
    gr.add_argument("--scheduler", default=None, metavar="ADDRESS",
                    help="grade on a Dask cluster, e.g. tcp://host:8786 (pip install "
                         "'symconv[dask]')")
    gr.add_argument("--no-progress", action="store_true",
                    help="no progress bar (it shows only on a terminal anyway)")


def _add_signal_arguments(c, answer=False):
    """The arguments ``steps`` and ``check`` share with ``conv``."""
    c.add_argument("f", help='first signal, e.g. "2 e^(-t/2) u(t)"')
    c.add_argument("g", help='second signal, e.g. "rect(t - 1/2)"')
    if answer:
        c.add_argument("answer",
                       help='the answer, e.g. "0 for t<0; 4(1-e^(-t/2)) for 0<=t<1; ..."')
    _add_variable_options(c)
    _add_assume(c)
    c.add_argument("--kind", choices=("convolution", "correlation"), default="convolution",
                   help="the operation (default: convolution)")


def _run_check(args, out):
    from symconv.teaching.check import check_answer

    rel_items = []
    assumptions = parse_assumptions(args.assume, rel_items)
    var, f, g = _signals(args, assumptions)
    rels = parse_relations(rel_items, var, assumptions, args.assume)
    ans = _parse_arg(args.answer, var, assumptions, "the answer")
    report = check_answer(ans, f, g, var, kind=args.kind, assume=rels or None)
    print(str(report), file=out)
    return 0 if report.correct else 1


def _run_grade(args, out):
    import json as _json

    from symconv.teaching.gradebook import grade_files

    with _executor(args.scheduler) as executor:
        summary = grade_files(args.problem, args.answers, args.output, resume=args.resume,
                              workers=args.workers, timeout=args.timeout,
                              memory_mb=args.memory, executor=executor,
                              progress=False if args.no_progress else None)
    if args.output is None:
        print(_json.dumps(list(summary.rows), indent=2, ensure_ascii=False), file=out)
    if summary.interrupted:
        print(f"stopped by {summary.interrupted}: {summary}; the report is complete up to "
              f"there, run again with --resume to finish", file=sys.stderr)
    else:
        print(f"graded {summary}", file=sys.stderr)
    return summary.exit_code


def _executor(address):
    """A Dask client for ``--scheduler``, or nothing (a context manager either way)."""
    import contextlib

    if address is None:
        return contextlib.nullcontext()
    try:
        from distributed import Client
    except ImportError:
        raise UnsupportedInputError(
            "--scheduler needs Dask: pip install 'symconv[dask]'") from None
    try:
        return Client(address, timeout=5)
    except OSError as err:
        raise UnsupportedInputError(
            f"cannot reach the Dask scheduler at {address}: {_first_line(err)}") from None


def _sequence_result(args, f, g, var, kind, rels):
    """``conv``/``corr`` for an integer variable: the sum."""
    from symconv.engine.discrete import convolve_sequence, correlate_sequence

    if args.form != "piecewise":
        raise UnsupportedInputError(
            "--form heaviside applies to continuous signals; a sequence is printed as a "
            "Piecewise in its index")
    op = convolve_sequence if kind == "convolution" else correlate_sequence
    return op(f, g, var, assume=rels or None)


def _print_result(args, result, var, out):
    from symconv.teaching.render.latex import latex_result
    from symconv.teaching.render.text import format_expr, format_result

    if args.form == "heaviside":
        from sympy import latex

        text = latex(result) if args.latex else format_expr(result, args.ascii)
        print(f"{args.name}({args.var}) = {text}", file=out)
    elif args.latex:
        print(latex_result(result, var, args.name), file=out)
    else:
        print(format_result(result, var, args.name, ascii=args.ascii), file=out)


def _print_checks(result, f, g, var, kind, rels, out):
    """The independent check of every parameter case (sums: direct summation); 1 on failure."""
    from symconv.engine.continuous import parameter_cases
    from symconv.numeric.quadrature import verify
    from symconv.numeric.sequences import verify_sequence

    check = verify_sequence if var.is_integer else verify
    ok = True
    for conds, _leaf in parameter_cases(result, var):
        where = f" (case {', '.join(map(str, conds))})" if conds else ""
        try:
            report = check(result, f, g, var, kind=kind, assume=rels + conds)
        except UnsupportedInputError as err:
            if not conds:
                raise
            print(f"not checked{where}: {_first_line(err)}", file=out)
            continue
        print(str(report) + where, file=out)
        ok = ok and report.ok
    return 0 if ok else 1


def _run(args, out):
    if args.command == "grade":  # its --timeout bounds each answer and the truth
        return _run_grade(args, out)
    if args.command == "serve":  # its --timeout bounds each request
        return _run_serve(args, out)
    _load_mathematics()  # imports are not the command's work: load them before the clock
    with time_limit(args.timeout, _WHAT[args.command]):
        return _run_command(args, out)


def _load_mathematics():
    """Import what every computing command needs (the lazy package defers it)."""
    import symconv.api  # noqa: F401
    import symconv.parsing.assumptions  # noqa: F401
    import symconv.parsing.parser  # noqa: F401


def _run_command(args, out):
    if args.command == "dist":
        return _run_dist(args, out)
    if args.command in ("conv", "corr") and _is_list(args.f) and _is_list(args.g):
        return _run_lists(args, out)
    _choose_variable(args)
    if args.command in ("plot", "animate"):
        return _run_picture(args, out)
    if args.command == "check":
        return _run_check(args, out)
    if args.command == "steps":
        return _run_steps(args, out)
    from symconv.engine.continuous import convolve, correlate

    rel_items = []
    assumptions = parse_assumptions(args.assume, rel_items)
    var, f, g = _signals(args, assumptions)
    rels = parse_relations(rel_items, var, assumptions, args.assume)
    kind = "convolution" if args.command == "conv" else "correlation"
    if var.is_integer:
        result = _sequence_result(args, f, g, var, kind, rels)
    else:
        op = convolve if args.command == "conv" else correlate
        result = op(f, g, var, form=args.form, assume=rels or None)
    _print_result(args, result, var, out)
    return _print_checks(result, f, g, var, kind, rels, out) if args.check else 0


# -- finite lists -------------------------------------------------------------------------------
def _is_list(text):
    return text.strip().startswith("[")


def _parse_list(text, which):
    """``"[1, 2, 1/2]"`` as exact values, each read by symconv's parser."""
    body = text.strip()
    if not body.endswith("]"):
        raise ParseError(f"the list {which} is not closed", text, len(text), "end it with ]")
    values = []
    for item in body[1:-1].split(",") if body[1:-1].strip() else []:
        try:
            values.append(parse(item, "_n"))  # numbers, or parameters: the sum stays exact
        except ParseError as err:
            err.which = which
            raise
    if not values:
        raise ParseError(f"the list {which} is empty", text, 1, "e.g. [1, 2, 3]")
    return values


def _run_lists(args, out):
    from symconv.api import convolve, correlate
    from symconv.teaching.render.text import format_expr

    if args.period is not None and args.mode != "cyclic":
        raise UnsupportedInputError("--period applies to --mode cyclic only")
    f, g = _parse_list(args.f, "f"), _parse_list(args.g, "g")
    op = convolve if args.command == "conv" else correlate
    result = op(f, g, mode=args.mode, period=args.period)
    if args.latex:
        from sympy import latex

        print(r"\left[" + ", ".join(latex(v) for v in result) + r"\right]", file=out)
    else:
        where = ""
        if args.command == "corr" and args.mode == "full" and isinstance(result, list):
            # r[l] = Σ f[k] g[k + l]: the full result starts at the lag 1 - len(f)
            where = f"  (lags {1 - len(f)} .. {len(result) - len(f)})"
        print(f"{args.name} = [" + ", ".join(format_expr(v, args.ascii) for v in result) + "]"
              + where, file=out)
    if args.check:
        print(_check_lists(f, g, result, args), file=out)
    return 0


def _check_lists(f, g, result, args):
    """The direct double sum of the full result, cut as the mode says: a check that
    shares nothing with the polynomial product."""
    from symconv.engine.finite import naive_convolution

    direct = naive_convolution(f if args.command == "conv" else f[::-1], g)
    full = len(direct) == len(result) and all(a == b for a, b in zip(direct, result, strict=True))
    if args.mode != "full":
        return f"mode {args.mode}: {len(result)} values (the full result has {len(direct)})"
    return ("ok: equal to the direct sum, value by value" if full
            else "FAILED: differs from the direct sum")


# -- the variable -------------------------------------------------------------------------------
_BRACKETED = re.compile(r"[A-Za-zδ]\w*\s*\[\s*([A-Za-z]\w*)")


def _choose_variable(args):
    """``args.var`` and ``args.discrete`` from the options and the texts: brackets
    (``u[n]``) name the variable and make it an index; ``n``, ``k``, ``m`` are indices
    unless ``--continuous``, which is said on stderr."""
    texts = [args.f, args.g] + ([args.answer] if hasattr(args, "answer") else [])
    bracketed = {m.group(1) for text in texts for m in _BRACKETED.finditer(text)}
    if args.var is None and not bracketed and any(_is_list(text) for text in texts):
        args.var, args.discrete = "n", True  # lists are sequences
    if args.var is None:
        args.var = sorted(bracketed)[0] if len(bracketed) == 1 else "t"
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", args.var):
        raise ParseError(f"invalid variable name {args.var!r}", args.var, 0, "e.g. --var t")
    if args.var in ("e", "pi", "oo", "I", "E"):
        raise ParseError(f"{args.var} is a constant in symconv's language, not a variable",
                         args.var, 0, "e.g. --var t or --var x")
    if args.continuous:
        if args.var in bracketed:
            raise UnsupportedInputError(
                f"{args.var} is an index in brackets ({args.var}[...]) and --continuous asks "
                f"for an integral: write {args.var}(...) for a function of a real variable")
        return
    if args.var in bracketed:
        args.discrete = True
    elif args.var in _INDEX_NAMES and not args.discrete and not _integer_assumed(args):
        args.discrete = True
        print(f"note: {args.var} is read as a sequence index: the sum "
              f"y[{args.var}] = Σ f[k] g[{args.var}-k] (--continuous for the integral)",
              file=sys.stderr)


#: Names a signals & systems text gives to an integer index (symconv.convert.variables).
_INDEX_NAMES = ("n", "k", "m")


def _integer_assumed(args):
    return re.search(rf"(?<!\w){re.escape(args.var)}\s+integer", args.assume) is not None


def _signals(args, assumptions):
    """``(var, f, g)`` from the command line: the variable (an integer with
    ``--discrete``) and both signals read by symconv's parser; for sequences the
    parameters that shift a step or an impulse are integers (see :func:`_integer_shifts`),
    widths (``T`` in ``rect(t/T)``) are positive (see :func:`_positive_widths`). A signal
    in another variable is refused before any mathematics ("did you mean --var x?")."""
    from symconv.convert.variables import check_variable

    facts = assumptions.pop(args.var, {})
    if getattr(args, "discrete", False):
        facts = {**facts, "integer": True}
    var = make_symbol(args.var, {args.var: facts})
    f = _parse_arg(args.f, var, assumptions, "f")
    g = _parse_arg(args.g, var, assumptions, "g")
    widths = _positive_widths(f, g, var, assumptions)
    shifts = var.is_integer and _integer_shifts(f, g, var, assumptions)
    if widths or shifts:
        f = _parse_arg(args.f, var, assumptions, "f")
        g = _parse_arg(args.g, var, assumptions, "g")
    check_variable(f, g, var, fix=_var_fix)
    _note_lookalikes(f, g, var)
    return var, f, g


#: Parameter names that a reader may take for a constant symconv's language spells otherwise.
_LOOKALIKES = {
    "i": "the imaginary unit is not part of the language",
    "j": "the imaginary unit is not part of the language",
    "I": "the imaginary unit is not part of the language",
    "E": "Euler's number is e",
}


def _note_lookalikes(f, g, var):
    """Say on stderr when a parameter is named like a constant (``j``, ``E``)."""
    names = {s.name for e in (f, g) for s in e.free_symbols} - {var.name}
    for name in sorted(names & set(_LOOKALIKES)):
        print(f"note: {name} is read as a real parameter ({_LOOKALIKES[name]})",
              file=sys.stderr)


def _var_fix(name):
    return f"--var {name}" + (" (a sequence: the sum)" if name in _INDEX_NAMES else "")


def _positive_widths(f, g, var, assumptions):
    """A parameter that scales the variable in a pulse (``rect(t/T)``, ``tri((t-1)/T)``)
    is a width: positive unless ``--assume`` says otherwise; ``True`` when something
    was added (parse again)."""
    from symconv.functions import rect, tri

    added = False
    for e in (f, g):
        for call in e.atoms(rect, tri):
            scale = call.args[0].diff(var)
            for s in (1 / scale).free_symbols - {var} if scale != 0 else ():
                facts = assumptions.setdefault(s.name, {})
                if not facts and s.is_positive is None:
                    facts["positive"] = True
                    added = True
    return added


def _integer_shifts(f, g, var, assumptions):
    """For sequences, parameters that shift a step or an impulse (``u(n - N)``,
    ``delta(n - n0)``) are integers unless ``--assume`` says otherwise: add that to
    ``assumptions``; ``True`` when something was added (parse again)."""
    from sympy import DiracDelta, Heaviside, KroneckerDelta

    from symconv.functions import rect, u

    added = False
    for e in (f, g):
        for call in e.atoms(Heaviside, u, DiracDelta, KroneckerDelta, rect):
            for s in set().union(*(a.free_symbols for a in call.args)) - {var}:
                facts = assumptions.setdefault(s.name, {})
                if s.is_integer is None and "real" not in facts and "integer" not in facts:
                    facts["integer"] = True
                    added = True
    return added


def _parse_arg(text, var, assumptions, which):
    if _is_list(text):  # a finite sequence x[0], x[1], ...: Σ x[k] δ[n - k]
        if not var.is_integer:
            raise UnsupportedInputError(
                f"{which} is a list of values, a sequence, and {var} is not an index: use "
                f"--var n (or write the other signal with brackets, u[n])")
        from symconv.api import impulse_train

        return impulse_train(_parse_list(text, which), var, which)
    try:
        return parse(text, var, assumptions=assumptions)
    except ParseError as err:
        err.which = which
        raise


def main(argv=None, out=None):
    """Run the command line; returns the exit code (0 ok, 2 bad input, 1 failure)."""
    import contextlib

    out = sys.stdout if out is None else out
    if hasattr(sys, "set_int_max_str_digits"):
        sys.set_int_max_str_digits(0)  # exact results may print numbers of thousands of digits
    parser = _build_parser()
    try:
        with contextlib.redirect_stdout(out):
            args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help (0) or a usage error (2)
        return int(exc.code or 0)
    try:
        return _run_safely(args, out)
    except ParseError as err:
        which = getattr(err, "which", None)
        prefix = f"error in {which}: " if which else "error: "
        print(prefix + str(err), file=sys.stderr)
        return 2
    except UnsupportedInputError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except SymconvError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader went away (symconv ... | head): stop quietly
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


def _run_safely(args, out):
    """:func:`_run`, SymPy's contradictory-assumption error turned into a usage error
    (SymPy is imported here, not when ``--help`` builds the parser)."""
    from sympy.core.facts import InconsistentAssumptions

    try:
        return _run(args, out)
    except InconsistentAssumptions as err:
        raise UnsupportedInputError(
            f"contradictory assumptions in --assume ({_first_line(err)})") from None


def console():  # pragma: no cover - the installed entry point
    """Entry point of the ``symconv`` script."""
    sys.exit(main())


if __name__ == "__main__":  # pragma: no cover
    console()
