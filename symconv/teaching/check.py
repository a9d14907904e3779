"""Checking an answer against the true convolution, region by region.

Both the answer and the truth become canonical signals over one exact
domain; on the common refinement of their breakpoints the difference of the
pieces is decided *exactly* (the canonical form makes zero a dictionary
test), and a witness point with both values is given where they differ. For
continuous signals values exactly at breakpoints are ignored (measure zero);
for sequences every index counts. Hints name the usual slips: a missing
``u(t)``, a wrong breakpoint, a constant factor or sign, a time shift, a
correlation instead of a convolution, an expression carried past the end of
the overlap.

Examples
--------
>>> from sympy import Rational, exp, symbols
>>> from symconv import rect, u
>>> t = symbols("t", real=True)
>>> h, x = 2*exp(-t/2)*u(t), rect(t - Rational(1, 2))
>>> check_answer("0 for t<0; 4(1-e^(-t/2)) for 0<=t<1; 4(e^(1/2)-1)e^(-t/2) for t>=1", h, x, t)
CheckReport(correct=True)
>>> report = check_answer("4(1-e^{-t/2}) u(t)", h, x, t)
>>> report.correct, [r.status for r in report.regions]
(False, ['agrees', 'agrees', 'differs'])
>>> print(str(report).splitlines()[0][43:])
differs on t >= 1 (at t = 2: expected 0.9546..., got 2.5285...)
>>> print(report.hints[0][:58])
the answer keeps the expression of 0 <= t < 1 beyond t = 1
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache

from sympy import Add, Eq, Piecewise, S, Symbol, cancel, oo, sympify

from symconv.canonical.order import Point, current_facts
from symconv.errors import (
    ParseError,
    SymconvError,
    UndecidableOrderError,
    UnsupportedInputError,
)
from symconv.limits import time_limit
from symconv.parsing.parser import parse

__all__ = ["check_answer", "CheckReport", "RegionVerdict"]


@dataclass(frozen=True)
class RegionVerdict:
    """The verdict on one region ``[lo, hi)`` of the true result."""

    lo: object
    hi: object
    status: str  # "agrees" | "differs" | "missing" | "extra"
    point: object = None
    expected: object = None
    got: object = None

    def describe(self, var, ascii=True):
        """``"0 <= t < 1"``-style text of the region."""
        return _region_text(self.lo, self.hi, var, ascii)


@dataclass(frozen=True)
class CheckReport:
    """Outcome of :func:`check_answer`: ``correct``, per-region verdicts, hints."""

    correct: bool
    regions: tuple = ()
    hints: tuple = ()
    impulses_ok: bool = True
    var: object = None
    answer: object = None
    truth: object = None
    notes: tuple = field(default=())

    def __bool__(self):
        return self.correct

    def __repr__(self):
        return f"CheckReport(correct={self.correct})"

    def __str__(self):
        if self.correct:
            return "correct"
        parts = []
        by = {}
        for r in self.regions:
            by.setdefault(r.status, []).append(r)
        for status in ("agrees", "differs", "missing", "extra"):
            rs = by.get(status, [])
            if not rs:
                continue
            texts = []
            for r in rs:
                text = r.describe(self.var)
                if r.point is not None and status != "agrees":
                    expected, got = _num_pair(r.expected, r.got)
                    text += (f" (at {self.var} = {_num(r.point)}: expected "
                             f"{expected}, got {got})")
                texts.append(text)
            label = {"agrees": "agrees on", "differs": "differs on", "missing": "missing on",
                     "extra": "extra on"}[status]
            parts.append(f"{label} {' and '.join(texts)}")
        if not self.impulses_ok:
            parts.append("impulses differ")
        lines = ["incorrect: " + "; ".join(parts)]
        lines += [f"  hint: {h}" for h in self.hints]
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)


def _num_pair(a, b):
    """Texts of two different values, with as many digits as it takes to tell them apart
    (up to 40, then their difference): ``0.5403...`` and ``0.5403...`` are
    ``0.540302305868...`` and ``0.540302305914...``."""
    ta, tb = _num(a), _num(b)
    for digits in (4, 8, 12, 20, 40):
        da, db = _decimal(a, digits), _decimal(b, digits)
        if da != db:
            return (ta, tb) if digits == 4 else (_num(a, digits), _num(b, digits))
    try:
        gap = (sympify(b, strict=True) - sympify(a, strict=True)).evalf(3)
    except (TypeError, ValueError):
        return ta, tb
    return ta, f"{tb} (differs by {gap})"


def _decimal(v, digits):
    """``v`` to ``digits`` significant digits, for comparing two values' texts."""
    v = sympify(v, strict=True)
    return str(v.evalf(digits)) if v.is_number else str(v)


def _num(v, digits=4):
    v = sympify(v, strict=True)
    if v.is_Rational and len(str(v)) <= 12 or v.free_symbols:  # exact: T1/2 + T2
        return str(v)
    try:
        f = complex(v.evalf(20))
    except (TypeError, ValueError, OverflowError):
        return str(v.evalf(6))
    if abs(f) == float("inf") or abs(f) > 1e15:
        return str(v.evalf(6))
    if abs(f) < 10.0**-digits and v != 0:  # 1e-400: not 0.0000
        return str(v.evalf(digits))
    if abs(f.imag) > 1e-12:
        return str(v)
    if digits > 12:
        text = str(v.evalf(digits + 3, chop=True))
        return text[:text.index(".") + digits + 1] + "..." if "." in text else text
    text = f"{f.real:.{digits}f}"
    return text + "..." if float(text) != f.real else text


def _region_text(lo, hi, var, ascii=True):
    le = "<=" if ascii else "≤"
    ge = ">=" if ascii else "≥"
    if lo == -oo and hi == oo:
        return f"all {var}"
    if lo == -oo:
        return f"{var} < {hi}"
    if hi == oo:
        return f"{var} {ge} {lo}"
    return f"{lo} {le} {var} < {hi}"


# ---------------------------------------------------------------------------
def _to_expr(x, var, assumptions, what):
    from symconv.convert.exact import exact

    if isinstance(x, str):
        return parse(x, var, assumptions=assumptions)
    try:
        return exact(sympify(x, strict=True))
    except Exception as err:  # noqa: BLE001 - any bad object becomes a clear error
        raise UnsupportedInputError(f"{what} is neither text nor a SymPy expression") from err


def _generic_branch(expr, var):
    """The last (generic) branch of a Piecewise whose outer conditions are on parameters."""
    while isinstance(expr, Piecewise) and not any(c.has(var) for _, c in expr.args):
        expr = expr.args[-1][0]
    return expr


def check_answer(answer, f=None, g=None, var="t", *, reference=None, assumptions=None,
                 assume=None, kind="convolution", timeout=None):
    """Compare an answer with the true convolution of ``f`` and ``g`` (or a ``reference``).

    Parameters
    ----------
    answer : str or sympy.Expr
        Plain text or LaTeX (``\\begin{cases}``), parsed safely, or an expression.
    f, g : str or sympy.Expr
        The signals (ignored when ``reference`` is given).
    var : str or sympy.Symbol
        The variable; an integer symbol means sequences.
    reference : str or sympy.Expr, optional
        A reference result to compare with instead of computing ``f * g``.
    assumptions : dict, optional
        Parameter assumptions for parsing (``{"a": {"positive": True}}``).
    assume : relation or list of relations, optional
        Relations between the parameters (``[T1 < T2]``), as ``assume=`` of
        :func:`~symconv.api.convolve`: the truth is computed under them, and the
        regions of the truth and of the answer (ends such as ``T1``, ``T2``,
        ``T1 + T2``) are ordered by them.
    kind : {"convolution", "correlation"}
        What the truth is.
    timeout : float, optional
        Seconds before the check (computing the truth included) stops with
        :class:`~symconv.errors.TimeLimitError` (default ``None``: no limit).

    Returns
    -------
    CheckReport
        ``.correct``, ``.regions`` (:class:`RegionVerdict` per region of the
        truth), ``.hints``; ``str()`` is the verdict in words.

    Examples
    --------
    >>> from sympy import symbols
    >>> from symconv import u
    >>> t = symbols("t", real=True)
    >>> T1, T2 = symbols("T1 T2", positive=True)
    >>> f, g = u(t) - u(t - T1), u(t) - u(t - T2)
    >>> answer = "t for 0<=t<T1; T1 for T1<=t<T2; T1+T2-t for T2<=t<T1+T2; 0 otherwise"
    >>> check_answer(answer, f, g, t, assume=[T1 < T2])
    CheckReport(correct=True)
    >>> print(check_answer("t for 0<=t<T1; T1 for T1<=t<T1+T2; 0 otherwise", f, g, t,
    ...                    assume=[T1 < T2]))  # doctest: +ELLIPSIS
    incorrect: agrees on ...; differs on T2 <= t < T1 + T2 (at t = ...
    """
    with time_limit(timeout, "checking the answer"):
        return _check(answer, f, g, var, reference, assumptions, assume, kind)


def _check(answer, f, g, var, reference, assumptions, assume, kind):
    from symconv.engine.continuous import assumptions as under_assumptions
    from symconv.parsing.parser import make_symbol

    if kind not in ("convolution", "correlation"):
        raise UnsupportedInputError(f"kind={kind!r}: use 'convolution' or 'correlation'")
    if isinstance(var, str):
        var = make_symbol(var, assumptions)
    if not isinstance(var, Symbol):
        raise UnsupportedInputError(f"var must be a name or a Symbol, got {var!r}")
    assumptions = _with_symbols_of((f, g, reference, assume), var, assumptions)
    ans = _to_expr(answer, var, assumptions, "the answer")
    if reference is not None:
        truth = _to_expr(reference, var, assumptions, "the reference")
        fe = _to_expr(f, var, assumptions, "f") if f is not None else None
        ge = _to_expr(g, var, assumptions, "g") if g is not None else None
    else:
        if f is None or g is None:
            raise UnsupportedInputError("give f and g, or reference=")
        fe = _to_expr(f, var, assumptions, "f")
        ge = _to_expr(g, var, assumptions, "g")
        from symconv.api import convolve, correlate

        op = convolve if kind == "convolution" else correlate
        truth = op(fe, ge, var, assume=assume)
    # the relations: equalities substituted (as the engine does), the rest as facts that
    # order the breakpoints of both sides
    ans, truth, facts, _rels = under_assumptions(assume, ans, truth, var)
    ans, truth, facts = _implied_equalities(ans, truth, facts)
    truth_generic = _generic_branch(truth, var)
    notes = ()
    if truth_generic is not truth:
        notes = ("the truth has parameter cases; the answer is compared with the generic case",)
    # the truth's generic case holds only in its own case: no splitting on orders then
    budget = [MAX_CASES] if truth_generic is truth else [0]
    return _compare_in_cases(ans, truth_generic, var, (fe, ge, kind, assume), notes, facts,
                             budget)


def _implied_equalities(ans, truth, facts):
    """An equality the facts force (``T2 ≥ 2T1`` and ``T2 ≤ 2T1``) substituted, as
    ``assume=[Eq(T2, 2*T1)]`` is: unsubstituted, ``T1 + T2 - t`` and ``3T1 - t`` would
    be different data although the same function."""
    from symconv.canonical.order import lin_expr, negate
    from symconv.engine.continuous import _split_symbol

    changed = True
    while changed:
        changed = False
        for const, items, strict in facts.rows:
            if strict or not items or not facts.entails(negate((const, items)), False):
                continue
            split = _split_symbol(lin_expr((const, items)))
            if split is not None:
                sub = {split[0]: split[1]}
                ans, truth, facts = ans.xreplace(sub), truth.xreplace(sub), facts.subs(sub)
                changed = True
                break
    return ans, truth, facts


#: At most this many parameter cases are compared (an answer whose regions depend on
#: more undecided orders is refused with the relation to state).
MAX_CASES = 16


def _compare_in_cases(ans, truth, var, problem, notes, facts, budget):
    """:func:`_compare` under ``facts``; where they leave the order of two ends of the
    answer or the truth undecided (``M - 1`` and ``N`` for integers ``N < M``: the region
    ``N ≤ n < M - 1`` may be empty), the comparison is made in each case (``M > N + 1``,
    ``M = N + 1`` substituted), and the answer is correct when it is in every case; an
    incorrect verdict names its case (a strict one preferred: the general situation)."""
    report, case = _in_cases(ans, truth, var, problem, notes, facts, budget)
    case = _essential(case, facts)
    if case:
        report = replace(report, notes=report.notes + (
            "the parameters decide the regions; this verdict is for the case "
            + " and ".join(_relation_text(c) for c in case),))
    return report


def _in_cases(ans, truth, var, problem, notes, facts, budget):
    from symconv.engine.continuous import split_cases

    fe, ge, kind, assume = problem
    try:
        with facts.using():
            return _compare(ans, truth, var, fe, ge, kind, notes, assume), []
    except UndecidableOrderError as err:
        pending = err
    budget[0] -= 1
    if pending.lin is None or budget[0] < 0:
        raise UndecidableOrderError(
            f"the regions of the answer and of the truth cannot be ordered: {pending.condition} "
            "or not is not decided by the assumptions; state it, e.g. "
            f"assume=[{pending.condition}] (on the command line: "
            f"--assume \"{pending.condition}\")", pending.condition, lin=pending.lin) from None
    outcomes = []
    for cond, _otherwise, a2, t2, facts2 in split_cases(pending, ans, truth, facts,
                                                        "piecewise"):
        if not facts2.feasible():
            continue
        # a substituted case: the hints that recompute f*g would miss the substitution
        sub = problem if not isinstance(cond, Eq) else (None, None, kind, assume)
        report, case = _in_cases(a2, t2, var, sub, notes, facts2, budget)
        outcomes.append((report, [cond, *case]))
    wrong = [o for o in outcomes if not o[0].correct]
    if not wrong:
        return outcomes[0][0], []
    return min(wrong, key=lambda o: sum(isinstance(c, Eq) for c in o[1]))


def _essential(case, facts):
    """The conditions of ``case`` that the others (and ``facts``) do not imply
    (``N > 1`` goes when ``N > 3`` stays)."""
    from symconv.canonical.order import Facts

    case = list(case)
    for c in reversed(list(case)):
        if isinstance(c, Eq):
            continue
        others = [x for x in case if x is not c and not isinstance(x, Eq)]
        known = Facts(facts.rows + Facts.of(others).rows, facts.nonzero)
        const, items, strict = Facts.of([c]).rows[0]
        if known.entails((const, items), strict):
            case.remove(c)
    return case


def _relation_text(rel):
    if isinstance(rel, Eq):
        return f"{rel.lhs} = {rel.rhs}"
    return str(rel)


def _with_symbols_of(objects, var, assumptions):
    """``assumptions`` for the parser, with the facts of the parameters of the SymPy
    objects given (``T1 = symbols("T1", positive=True)`` in ``f``): a text answer then
    names the same symbols, which the relations of ``assume=`` order. The caller's own
    entries win."""
    from sympy import Basic

    found = {}
    stack = list(objects)
    while stack:
        x = stack.pop()
        if isinstance(x, (list, tuple)):
            stack.extend(x)
        elif isinstance(x, Basic):
            for s in x.free_symbols:
                if type(s) is Symbol and s != var:
                    found.setdefault(s.name, {k: v for k, v in s.assumptions0.items()
                                              if v is not None})
    if not found:
        return assumptions
    found.update(assumptions or {})
    return found


def _signals(exprs, var):
    """``(K, signals, restore)``: canonical signals over one domain. Gaussian factors and
    ``erf``/``erfi`` of the variable stand as markers (constants of the domain) that
    ``restore`` maps back to their functions: equal canonical data then still means
    equal functions, and the breakpoints come from the steps and windows as usual."""
    if var.is_integer:
        from symconv.convert.sequences import sequence_domain_for, to_sequence

        K = sequence_domain_for(exprs, var)
        return K, [to_sequence(e, var, K) for e in exprs], {}
    from symconv.convert.signals import domain_for
    from symconv.engine.gaussian import mark_special

    markers, restore = {}, {}
    exprs = [mark_special(e, var, markers, restore, erf_too=True) for e in exprs]
    K = domain_for(exprs, var)
    facts = current_facts()
    signals = [_to_signal(e, var, K, (facts.rows, facts.nonzero)) for e in exprs]
    if restore and any(K.to_sympy(c).has(*restore) for s in signals for i in s.impulses
                       for c in i.weight.terms.values()):
        raise UnsupportedInputError("an impulse multiplies a Gaussian or erf factor; write "
                                    "its value at the impulse as the impulse's weight")
    return K, signals, restore


@lru_cache(maxsize=64)
def _to_signal(expr, var, K, facts):
    """:func:`~symconv.convert.signals.to_signal`, remembered: grading compares many
    answers with one truth, whose conversion is then made once per worker (a cache of a
    pure function of immutable arguments; ``facts``, the data of the facts in force
    that order symbolic ends, are part of the key)."""
    from symconv.convert.signals import to_signal

    return to_signal(expr, var, K)


def _compare(ans, truth, var, fe, ge, kind, notes, assume=None):
    try:
        K, (T, A), restore = _signals([truth, ans], var)
    except UnsupportedInputError as err:
        raise UnsupportedInputError(f"cannot compare: {err}", getattr(err, "expr", None)) from err
    discrete = bool(var.is_integer)
    regions = _truth_regions(T)
    verdicts = []
    for lo, hi, texpr in regions:
        verdicts.append(_region_verdict(lo, hi, texpr, A, var, discrete, restore))
    impulses_ok = T.impulses == A.impulses
    correct = impulses_ok and all(v.status == "agrees" for v in verdicts)
    hints = () if correct else tuple(_hints(T, A, verdicts, var, fe, ge, kind, discrete,
                                            restore, assume))
    return CheckReport(correct, tuple(verdicts), hints, impulses_ok, var, ans, truth, notes)


def _truth_regions(T):
    """``(lo, hi, expr-or-None)`` covering the line: the truth's pieces and the gaps."""
    from symconv.canonical.signal import NEG_INF, POS_INF

    out = []
    prev = NEG_INF
    for p in T.pieces:
        if prev < p.lo:
            out.append((prev, p.lo, None))
        out.append((p.lo, p.hi, p.expr))
        prev = p.hi
    if prev < POS_INF:
        out.append((prev, POS_INF, None))
    return out


def _pieces_within(S_, lo, hi):
    """``[(a, b, expr-or-None)]``: the signal's pieces cut to ``[lo, hi)``, gaps as None."""
    out = []
    cur = lo
    for p in S_.pieces:
        if p.hi <= lo or p.lo >= hi:
            continue
        a = p.lo if p.lo > lo else lo
        b = p.hi if p.hi < hi else hi
        if cur < a:
            out.append((cur, a, None))
        out.append((a, b, p.expr))
        cur = b
    if cur < hi:
        out.append((cur, hi, None))
    return out


def _inside_points(a, b, discrete):
    """Candidate witness points inside ``[a, b)`` (never an endpoint for continuous)."""
    from symconv.canonical.rational import RQ
    from symconv.canonical.signal import is_finite

    if discrete:
        if is_finite(a):
            return [x for x in (a + i for i in range(3)) if not is_finite(b) or _below(x, b)] \
                or [a]
        return [b - 1, b - 2, b - 3] if is_finite(b) else [RQ.zero, RQ(1), RQ(-1)]
    if is_finite(a) and is_finite(b):
        w = b - a
        return [a + w / 2, a + w / 3, a + 2 * w / 3, a + w / 7]
    if is_finite(a):
        return [a + 1, a + RQ(5, 2), a + RQ(1, 3), a + RQ(7)]
    if is_finite(b):
        return [b - 1, b - RQ(5, 2), b - RQ(1, 3), b - RQ(7)]
    return [RQ.zero, RQ(1), RQ(-1), RQ(2), RQ(1, 2), RQ(-3, 2)]


def _below(x, b):
    """``x < b`` when the facts decide it (a witness need not split cases)."""
    try:
        return x < b
    except UndecidableOrderError:
        return False


def _value(expr, x, var, discrete, restore=None):
    from symconv.canonical.signal import to_sympy_point

    if expr is None:
        return S.Zero
    if discrete:
        return _sequence_value(expr, x)
    from symconv.convert.output import expoly_to_sympy

    return expoly_to_sympy(expr, var).xreplace(restore or {}).subs(var, to_sympy_point(x))


def _same_on(e, texpr, a, b, discrete):
    """Are two pieces (``None`` = zero) equal on ``[a, b)``?  Exact.

    Canonical forms are equal as functions on an interval iff their data are
    equal — except for sequences on a short integer range: an exponential
    polynomial of order ``m`` (``Σ (kmax+1)`` over its bases) that vanishes at
    ``m`` consecutive integers vanishes everywhere, so shorter ranges are
    compared value by value.
    """
    from symconv.canonical.signal import is_finite

    if e is None and texpr is None:
        return True
    if e is None or texpr is None:
        d = texpr if e is None else e
    else:
        d = e - texpr
    if d.is_zero or _vanishes_as_function(d):
        return True
    if not discrete or not (is_finite(a) and is_finite(b)):
        return False
    order = {}
    for (k, base) in d.terms:
        order[base] = max(order.get(base, 0), k + 1)
    n_order = sum(order.values())
    length = b - a
    if isinstance(length, Point):  # ends such as M - 1, N (their order is in the facts)
        if length >= n_order:  # undecided: the case driver splits on it
            return False
        length = next((j for j in range(1, n_order) if length == j), None)
        if length is None:  # pragma: no cover - a region is never empty
            raise UnsupportedInputError(f"cannot compare on the range [{a}, {b})")
    elif int(length) >= n_order:
        return False
    return all(_vanishes(_sequence_value(d, a + j)) for j in range(int(length)))


def _vanishes(v):
    """Is the exact value ``v`` zero (however its constants are written)?"""
    from symconv.canonical.constants import is_zero

    return v == 0 or (v.is_number and is_zero(v) is True)


def _vanishes_as_function(d):
    """Is the difference ``d`` of two canonical forms zero although its data are not?

    Over a domain with transcendental generators the same number may be written in two
    ways (``e^{-i}`` as a term's exponent, ``cos 1 - i sin 1`` as a coefficient), so the
    coefficient of each ``tᵏ e^{st}`` (``Σ c e^{r}``), or of each ``nᵏ Bⁿ`` over equal
    bases ``B``, is decided exactly by :func:`symconv.canonical.constants.is_zero`."""
    from symconv.canonical.rational import RQ, RQI

    K = d.K
    if K is RQ or K is RQI:  # rational data: canonical forms are unique
        return False
    from sympy import exp

    from symconv.canonical.expoly import ExpPoly

    groups = {}
    if isinstance(d, ExpPoly):  # terms (k, s, r)
        for (k, s, r), c in d.terms.items():
            key = (k, K.to_sympy(s))
            groups[key] = groups.get(key, 0) + K.to_sympy(c) * exp(K.to_sympy(r))
    else:  # a GeoPoly: terms (k, B); equal bases written differently are merged
        bases = []
        for (k, base), c in d.terms.items():
            b = K.to_sympy(base)
            b = next((x for x in bases if x == b or (
                x.is_number and b.is_number and _vanishes(x - b))), b)
            if b not in bases:
                bases.append(b)
            groups[(k, b)] = groups.get((k, b), 0) + K.to_sympy(c)
    return all(_vanishes(c) for c in groups.values())


def _sequence_value(expr, x):
    """``expr[x]`` (SymPy), exactly; at a symbolic point (``N - 1``) for a polynomial
    in ``n`` only (``cancel`` then decides zero), else an error rather than a guess."""
    from symconv.canonical.signal import to_sympy_point

    K = expr.K
    if not isinstance(x, Point):
        return K.to_sympy(expr.at(int(x)))
    if any(base != K.one for (_k, base) in expr.terms):
        raise UnsupportedInputError(
            f"cannot compare the sequences exactly at n = {x}, a symbolic end: give the "
            "parameters values, or check an answer without short symbolic ranges")
    X = to_sympy_point(x)
    return cancel(Add(*[K.to_sympy(c) * X**k for (k, _b), c in expr.terms.items()]))


def _region_verdict(lo, hi, texpr, A, var, discrete, restore=None):
    from symconv.canonical.signal import to_sympy_point

    los, his = to_sympy_point(lo), to_sympy_point(hi)
    parts = _pieces_within(A, lo, hi)
    bad = [(a, b, e) for a, b, e in parts
           if not _same_on(e, texpr, a, b, discrete)]
    if not bad:
        return RegionVerdict(los, his, "agrees")
    if texpr is None:
        status = "extra"
    elif all(e is None for _a, _b, e in parts):
        status = "missing"
    else:
        status = "differs"
    a, b, e = bad[0]
    witness = None
    for x in _inside_points(a, b, discrete):
        exp_v = _value(texpr, x, var, discrete, restore)
        got_v = _value(e, x, var, discrete, restore)
        witness = witness or (x, exp_v, got_v)
        if (exp_v - got_v).evalf(30) != 0:
            witness = (x, exp_v, got_v)
            break
    x, exp_v, got_v = witness
    return RegionVerdict(los, his, status, to_sympy_point(x), exp_v, got_v)


# ---------------------------------------------------------------------------
# hints
# ---------------------------------------------------------------------------
def _hints(T, A, verdicts, var, fe, ge, kind, discrete, restore=None, assume=None):
    hints = []
    factor = _constant_factor(T, A)
    if factor is not None and factor.has(*(restore or {})):
        factor = None  # a "constant" marker is a function of t: no factor hint
    if factor is not None:
        c = factor
        if c == -1:
            hints.append("sign error: the answer is the negative of the result")
        else:
            hints.append(f"off by a constant factor: the answer is {c} times the result")
        return hints
    shift = None if restore else _shift(T, A, discrete)  # markers do not shift
    if shift is not None:
        if shift > 0:
            hints.append(f"time shift: the answer is the result delayed by {shift} "
                         f"(it equals y({var} - {shift})); check the delays of f and g")
        else:
            hints.append(f"time shift: the answer is the result advanced by {-shift} "
                         f"(it equals y({var} + {-shift})); check the delays of f and g")
        return hints
    if fe is not None and _equals_other_kind(A, fe, ge, var, kind, restore, assume):
        other = "cross-correlation" if kind == "convolution" else "convolution"
        hints.append(f"this is the {other} of f and g: "
                     + ("g must be flipped (g(t - τ), not g(t + τ))" if kind == "convolution"
                        else "correlation does not flip g"))
        return hints
    statuses = [v.status for v in verdicts]
    # an expression carried past the end of the overlap
    for i, v in enumerate(verdicts):
        if v.status in ("differs", "extra") and i > 0 and verdicts[i - 1].status == "agrees":
            prev_expr = _truth_regions(T)[i - 1][2]
            if prev_expr is not None and _answer_continues(A, prev_expr, verdicts[i]):
                prev = verdicts[i - 1]
                hints.append(
                    f"the answer keeps the expression of {prev.describe(var)} beyond "
                    f"{var} = {v.lo} - the overlap ends there, so the region "
                    f"{v.describe(var)} needs its own expression"
                )
                break
    if statuses and statuses[0] == "extra" and "agrees" in statuses[1:]:
        first = verdicts[0]
        if first.hi == 0:
            step = f"u({var})"
        elif first.hi < 0:
            step = f"u({var} + {-first.hi})"
        else:
            step = f"u({var} - {first.hi})"
        hints.append(f"the answer is not zero for {first.describe(var)}: the result starts at "
                     f"{var} = {first.hi} (is a {step} factor missing?)")
    if "missing" in statuses:
        miss = [v.describe(var) for v in verdicts if v.status == "missing"]
        hints.append(f"the answer is zero on {' and '.join(miss)}, where the result is not")
    bt, ba = set(_change_points(T)), set(_change_points(A))
    if bt != ba and not hints:
        from symconv.canonical.signal import to_sympy_point

        lost = _sorted_points(bt - ba)
        new = _sorted_points(ba - bt)
        text = []
        if lost:
            text.append("expected a breakpoint at " + ", ".join(
                f"{var} = {to_sympy_point(x)}" for x in lost))
        if new:
            text.append("the answer changes at " + ", ".join(
                f"{var} = {to_sympy_point(x)}" for x in new))
        hints.append("wrong breakpoints: " + "; ".join(text))
    if not hints and "differs" in statuses:
        hints.append("the expression differs on "
                     + " and ".join(v.describe(var) for v in verdicts if v.status == "differs")
                     + ("; recheck the sum (its limits and the geometric-series formula) there"
                        if discrete else
                        "; recheck the integral (limits and antiderivative) there"))
    return hints


def _change_points(S_):
    from symconv.canonical.signal import is_finite

    pts = []
    prev = None
    for p in S_.pieces:
        if prev is None or prev.hi != p.lo or prev.expr != p.expr:
            if is_finite(p.lo):
                pts.append(p.lo)
        if is_finite(p.hi):
            pts.append(p.hi)
        prev = p
    return sorted(set(pts))


def _constant_factor(T, A):
    """``C`` with ``A == C·T`` exactly (``C ≠ 1``; ``C = c e^ρ`` for continuous signals),
    or ``None``."""
    from sympy import exp as sym_exp

    if len(T.pieces) != len(A.pieces) or not T.pieces:
        return None
    found = None
    for p, q in zip(T.pieces, A.pieces, strict=True):
        if (p.lo, p.hi) != (q.lo, q.hi) or len(p.expr.terms) != len(q.expr.terms):
            return None
        (key, cp), = list(p.expr.terms.items())[:1]
        match = _matching_term(key, q.expr)
        if match is None:
            return None
        qkey, cq = match
        ratio = cq / cp
        rho = qkey[2] - key[2] if len(key) == 3 else None
        if found is None:
            found = (ratio, rho)
        elif found != (ratio, rho):
            return None
        scaled = p.expr.scale(ratio)
        if rho is not None and rho:
            from symconv.canonical.expoly import ExpPoly

            scaled = scaled * ExpPoly.const(p.expr.K, p.expr.K.one, rho)
        if q.expr != scaled:
            return None
    if found is None:
        return None
    ratio, rho = found
    K = T.K
    c = K.to_sympy(ratio) * (sym_exp(K.to_sympy(rho)) if rho else 1)
    return None if c == 1 else c


def _matching_term(key, expr):
    """The term of ``expr`` with the same power and exponent as ``key`` (any ``e^r``)."""
    if len(key) != 3:
        return (key, expr.terms[key]) if key in expr.terms else None
    for k2, c2 in expr.terms.items():
        if k2[0] == key[0] and k2[1] == key[1]:
            return k2, c2
    return None


def _sorted_points(points):
    """Breakpoints in order; symbolic ones whose order is undecided by their text."""
    from symconv.errors import UndecidableOrderError

    try:
        return sorted(points)
    except UndecidableOrderError:
        return sorted(points, key=str)


def _shift(T, A, discrete):
    """``d`` with ``A(t) == T(t - d)`` exactly, or ``None``."""
    from symconv.canonical.signal import Piece, Signal
    from symconv.convert.signals import has_transcendental_constants, normalize_signal

    bt, ba = _change_points(T), _change_points(A)
    if not bt or not ba:
        return None
    from symconv.canonical.rational import RQ, embed

    shifts = {a - b for a in ba[:3] for b in bt[:3]}
    for d in sorted(d for d in shifts if isinstance(d, RQ.dtype)):  # symbolic: no hint
        if d == 0:
            continue
        if discrete and d.denominator != 1:
            continue
        dk = int(d) if discrete else embed(T.K, d)
        shifted = Signal.from_pieces(
            T.K, [Piece(p.lo + d, p.hi + d, p.expr.shift(dk)) for p in T.pieces]
        )
        if has_transcendental_constants(T.K):  # e^{r} keys and the generator E agree again
            shifted = normalize_signal(shifted)
        if shifted.pieces == A.pieces:
            return RQ.to_sympy(d)
    return None


def _equals_other_kind(A, fe, ge, var, kind, restore=None, assume=None):
    from symconv.api import convolve, correlate

    op = correlate if kind == "convolution" else convolve
    try:
        other = _generic_branch(op(fe, ge, var, assume=assume), var)
        _k, (other_sig, A2), _r = _signals([other, _answer_expr(A, var, restore)], var)
    except (SymconvError, ParseError, ArithmeticError):
        return False
    return other_sig.pieces == A2.pieces and other_sig.impulses == A2.impulses


def _answer_expr(A, var, restore=None):
    if var.is_integer:
        from symconv.convert.sequence_output import sequence_to_sympy

        return sequence_to_sympy(A, var)
    from symconv.convert.output import to_sympy

    return to_sympy(A, var).xreplace(restore or {})


def _answer_continues(A, prev_expr, verdict):
    """Does the answer use ``prev_expr`` on the region of ``verdict``?"""
    from symconv.canonical.rational import RQ

    if verdict.lo in (-oo, oo) or not verdict.lo.is_Rational:
        return False
    lo = RQ.from_sympy(verdict.lo)
    for p in A.pieces:
        if p.lo <= lo < p.hi:
            return p.expr == prev_expr
    return False
