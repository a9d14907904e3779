r"""What the page asks for, computed in a worker process: plain, JSON-ready dicts.

Each public function takes the request's fields (a dict of short strings, already
checked by :func:`validate`) and returns a dict that :func:`json.dumps` accepts. The
text of the signals, the answer and the law goes only through symconv's parsers
(:func:`~symconv.parsing.parser.parse`, :func:`~symconv.parsing.assumptions.parse_assumptions`,
:func:`~symconv.probability.expressions.parse_law`); nothing is ``eval``-ed.

Examples
--------
>>> out = convolution({"h": "rect(t)", "x": "rect(t)"})
>>> print(out["result"][:22])
y(t) = \begin{cases} 0
>>> [r["value"] for r in out["regions"]]
['0', 't + 1', '1 - t', '0']
>>> check({"h": "rect(t)", "x": "rect(t)", "answer": "tri(t)"})["correct"]
True
>>> law({"law": "Die(6) + Die(6)"})["mean"]
'7'
"""

from __future__ import annotations

import math

from sympy import Symbol, latex, oo

from symconv.errors import ParseError, UnsupportedInputError

__all__ = ["convolution", "check", "law", "validate", "FIELDS", "MAX_FIELD"]

#: The fields each request may carry (all text), and the required ones.
FIELDS = {
    "convolution": ({"h", "x", "mode", "assume", "kind"}, {"h", "x"}),
    "check": ({"h", "x", "mode", "assume", "kind", "answer"}, {"h", "x", "answer"}),
    "law": ({"law", "assume"}, {"law"}),
}
#: Longest accepted field, in characters.
MAX_FIELD = 2000
#: Samples across the window of a continuous picture; most integers of a discrete one.
_SAMPLES = 801
_MAX_STEMS = 401


def validate(what, data):
    """The request's fields, checked (known names, text, short) and with defaults.

    >>> validate("convolution", {"h": "u(t)", "x": "u(t)"})["mode"]
    'continuous'
    >>> validate("law", {"law": 3})
    Traceback (most recent call last):
    ...
    symconv.errors.UnsupportedInputError: the field 'law' must be text, got int
    """
    if what not in FIELDS:
        raise UnsupportedInputError(f"unknown request {what!r}; accepted: {sorted(FIELDS)}")
    allowed, required = FIELDS[what]
    if not isinstance(data, dict):
        raise UnsupportedInputError("the request must be a JSON object of text fields")
    unknown = set(data) - allowed
    if unknown:
        raise UnsupportedInputError(f"unknown field(s) {sorted(unknown)}; accepted: "
                                    f"{sorted(allowed)}")
    for key, value in data.items():
        if not isinstance(value, str):
            raise UnsupportedInputError(f"the field {key!r} must be text, got "
                                        f"{type(value).__name__}")
        if len(value) > MAX_FIELD:
            raise UnsupportedInputError(f"the field {key!r} has {len(value)} characters; at "
                                        f"most {MAX_FIELD} are accepted", limit="input size")
    missing = [k for k in sorted(required) if not data.get(k, "").strip()]
    if missing:
        raise UnsupportedInputError(f"please fill in {' and '.join(missing)}")
    out = dict(data)
    if what != "law":
        out.setdefault("mode", "continuous")
        out.setdefault("kind", "convolution")
        if out["mode"] not in ("continuous", "discrete"):
            raise UnsupportedInputError(f"mode {out['mode']!r}: use continuous or discrete")
        if out["kind"] not in ("convolution", "correlation"):
            raise UnsupportedInputError(f"kind {out['kind']!r}: use convolution or correlation")
    out.setdefault("assume", "")
    return out


# ---------------------------------------------------------------------------
# convolution
# ---------------------------------------------------------------------------
def _signals(data):
    """``(var, h, x, assumptions, relations)`` from the fields, as the command line reads them."""
    from symconv.parsing.assumptions import parse_assumptions, parse_relations
    from symconv.parsing.parser import make_symbol, parse

    discrete = data["mode"] == "discrete"
    name = "n" if discrete else "t"
    items = []
    assumptions = parse_assumptions(data["assume"], items)
    facts = assumptions.pop(name, {})
    if discrete:
        facts = {**facts, "integer": True}
    var = make_symbol(name, {name: facts})
    signals = []
    for key in ("h", "x"):
        try:
            signals.append(parse(data[key], var, assumptions=assumptions))
        except ParseError as err:
            err.which = key
            raise
    rels = parse_relations(items, var, assumptions, data["assume"])
    return var, signals[0], signals[1], assumptions, rels


def convolution(data):
    """The result (LaTeX), the derivation (Markdown with ``$…$``), the regions and the
    sampled picture of ``h * x`` (or the correlation)."""
    from symconv.teaching.derivation import derive
    from symconv.teaching.render.latex import latex_result

    data = validate("convolution", data)
    var, h, x, _assumptions, rels = _signals(data)
    d = derive(h, x, var, kind=data["kind"], assume=rels or None)
    result = d.result
    tex = latex_result(result, var)
    if var.is_integer:
        tex = tex.replace(f"y({var}) =", f"y[{var}] =", 1)
    out = {
        "var": str(var),
        "discrete": bool(var.is_integer),
        "kind": data["kind"],
        "h": latex(h),
        "x": latex(x),
        "result": tex,
        "derivation": d.markdown(),
        "regions": _regions(d, var),
        "picture": None,
        "picture_note": "",
    }
    if data["kind"] == "convolution":
        try:
            out["picture"] = _picture(h, x, result, var)
        except UnsupportedInputError as err:
            out["picture_note"] = f"no picture: {str(err).splitlines()[0]}"
    else:
        out["picture_note"] = "the flip-and-slide picture is drawn for convolutions"
    return out


def _number(v):
    """A float for JSON (``None`` for ±∞ or a symbolic end)."""
    if v in (oo, -oo) or getattr(v, "free_symbols", None):
        return None
    f = float(v)
    return f if math.isfinite(f) else None


def _regions(d, var):
    """The regions of the result, with the integral that gives each (from the derivation)."""
    from symconv.convert.output import piecewise_regions
    from symconv.convert.output import region_latex as _cond
    from symconv.teaching.render.text import _split_impulses
    from symconv.teaching.steps import Region

    steps = [s for s in d.steps if isinstance(s, Region)]
    if steps:
        rows = [(s.lo, s.hi, s.value, s) for s in steps]
    else:
        regular, _ = _split_impulses(d.result)
        rows = [(lo, hi, p, None) for lo, hi, p in (piecewise_regions(regular, var) or [])]
    tau = r"k" if var.is_integer else r"\tau"
    out = []
    for lo, hi, value, step in rows:
        work = ""
        if step is not None and step.terms:
            if var.is_integer:
                work = " + ".join(rf"\sum_{{k={latex(t.lower)}}}^{{{latex(t.upper)}}} "
                                  rf"{latex(t.integrand)}" for t in step.terms)
            else:
                work = " + ".join(rf"\int_{{{latex(t.lower)}}}^{{{latex(t.upper)}}} "
                                  rf"{latex(t.integrand)}\, d{tau}" for t in step.terms)
        out.append({"lo": _number(lo), "hi": _number(hi), "where": _cond(lo, hi, var),
                    "value": latex(value), "work": work})
    return out


def _finite(values):
    return [round(float(v), 6) if math.isfinite(v) else None for v in values]


def _impulses(curve):
    return [{"at": float(i.at), "weight": float(i.weight), "order": int(i.order)}
            for i in curve.impulses]


def _picture(h, x, y, var):
    """Samples of ``h(τ)`` and ``y(t)`` over the window, of ``x(s)`` over the window's
    differences (the page draws ``x(t - τ)`` by reading ``x`` at ``t - τ``), and the impulses."""
    import numpy as np

    from symconv.plot.curves import _curve, _window

    if y.free_symbols - {var}:
        names = ", ".join(sorted(str(s) for s in y.free_symbols - {var}))
        raise UnsupportedInputError(f"the picture needs numbers for the parameters {names}")
    ch, cx, cy = _curve(h, var), _curve(x, var), _curve(y, var)
    lo, hi = _window([ch, cx, cy], (), bool(var.is_integer))
    if var.is_integer:
        if hi - lo + 1 > _MAX_STEMS:
            mid = (lo + hi) // 2
            lo, hi = mid - _MAX_STEMS // 2, mid + _MAX_STEMS // 2
        grid = np.arange(lo, hi + 1)
        sgrid = np.arange(lo - hi, hi - lo + 1)
    else:
        grid = np.linspace(lo, hi, _SAMPLES)
        sgrid = np.linspace(lo - hi, hi - lo, 2 * _SAMPLES - 1)
    return {
        "lo": float(lo), "hi": float(hi),
        "h": _finite(ch.values(grid)),
        "y": _finite(cy.values(grid)),
        "x": _finite(cx.values(sgrid)),
        "s_lo": float(sgrid[0]), "s_hi": float(sgrid[-1]),
        "impulses": {"h": _impulses(ch), "x": _impulses(cx), "y": _impulses(cy)},
    }


# ---------------------------------------------------------------------------
# checking an answer
# ---------------------------------------------------------------------------
def check(data):
    """The verdict on the student's answer, region by region, with the hints."""
    from symconv.convert.output import region_latex as _cond
    from symconv.parsing.parser import parse
    from symconv.teaching.check import _num, check_answer

    data = validate("check", data)
    var, h, x, assumptions, rels = _signals(data)
    try:
        answer = parse(data["answer"], var, assumptions=assumptions)
    except ParseError as err:
        err.which = "the answer"
        raise
    report = check_answer(answer, h, x, var, kind=data["kind"], assume=rels or None)
    regions = []
    for r in report.regions:
        row = {"where": _cond(r.lo, r.hi, var), "status": r.status}
        if r.point is not None and r.status != "agrees":
            row.update(at=_num(r.point), expected=_num(r.expected), got=_num(r.got))
        regions.append(row)
    return {"correct": bool(report.correct), "summary": str(report).splitlines()[0],
            "regions": regions, "hints": list(report.hints), "notes": list(report.notes),
            "answer": latex(answer)}


# ---------------------------------------------------------------------------
# probability
# ---------------------------------------------------------------------------
def law(data):
    """The law of a sum of independent variables: name, mean, variance, the pmf or pdf
    (LaTeX) and samples to draw it."""
    from symconv.parsing.assumptions import parse_assumptions
    from symconv.plot.laws import _law_points, _law_window
    from symconv.probability.expressions import parse_law

    data = validate("law", data)
    dist = parse_law(data["law"], assumptions=parse_assumptions(data["assume"]))
    out = {"name": repr(dist), "discrete": dist.is_discrete, "mean": latex(dist.mean()),
           "variance": latex(dist.variance()), "support": [latex(v) for v in dist.support],
           "law": "", "picture": None, "picture_note": ""}
    if dist.family is not None:
        name, params = dist.family
        out["law"] = rf"\mathrm{{{name}}}({', '.join(latex(p) for p in params)})"
    params = set().union(*(getattr(v, "free_symbols", set()) for v in dist.support))
    if dist.is_discrete:
        k = Symbol("k", integer=True)
        out["formula"] = rf"P(X = k) = {latex(dist.pmf(k))}" if dist._kind != "finite" else ""
        if params:
            out["picture_note"] = "no picture: the law has parameters"
            return out
        lo, hi = _law_window([dist])
        pts = _law_points(dist, lo, hi)
        out["table"] = [[latex(v), latex(p)] for v, p in pts[:60]]
        out["picture"] = {"lo": lo, "hi": hi, "stems": [[float(v), float(p)] for v, p in pts]}
        return out
    s = Symbol("x", real=True)
    pdf = dist.pdf(s)
    from symconv.teaching.render.latex import latex_result

    out["formula"] = latex_result(pdf, s, "f_X")
    if pdf.free_symbols - {s}:
        out["picture_note"] = "no picture: the law has parameters"
        return out
    import numpy as np

    from symconv.plot.curves import _curve

    curve = _curve(pdf, s)
    lo, hi = _law_window([dist])
    grid = np.linspace(lo, hi, _SAMPLES)
    try:
        values = curve.values(grid)
    except TypeError:  # a special function NumPy has not (erf without SciPy): point by point
        from sympy import lambdify

        fn = lambdify(s, pdf, modules=["math", "mpmath"])
        values = [float(fn(float(v))) for v in grid]
    out["picture"] = {"lo": lo, "hi": hi, "pdf": _finite(values), "atoms": _impulses(curve)}
    return out
