"""Step-by-step derivations of convolutions, as immutable, re-checkable data.

:func:`derive` runs the engine's own pairwise method and records what it does:
the definition, which signal is flipped and why, the critical values of ``t``
where the overlap changes, and for every region the integrals with their
limits, the antiderivative the engine uses and the evaluated piece; impulses by
the sifting property; the assembled result. Every step can re-check itself
(``step.check()`` re-evaluates it with SymPy and compares with what was
recorded). Renderers (:mod:`symconv.teaching.render`) only walk the steps.

Examples
--------
>>> from sympy import Rational, exp, symbols
>>> from symconv import rect, u
>>> t = symbols("t", real=True)
>>> d = derive(2*exp(-t/2)*u(t), rect(t - Rational(1, 2)), t)
>>> [type(s).__name__ for s in d.steps]
['Definition', 'Flip', 'CriticalPoints', 'Region', 'Region', 'Region', 'Result']
>>> d.steps[4].value
4 - 4*exp(-t/2)
>>> all(s.check() for s in d.steps)
True
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sympy import Add, Basic, S, Symbol, diff, oo

from symconv.limits import time_limit
from symconv.teaching.render.latex import derivation_latex, derivation_markdown
from symconv.teaching.render.text import derivation_text
from symconv.teaching.steps import (
    CaseSplit,
    CriticalPoints,
    Definition,
    Flip,
    GeneratingFunctions,
    ImpulseTerm,
    Region,
    RegionTerm,
    Result,
    Step,
)

__all__ = [
    "Derivation",
    "derive",
    "derive_sum",
    "Definition",
    "Flip",
    "CriticalPoints",
    "Region",
    "RegionTerm",
    "ImpulseTerm",
    "CaseSplit",
    "GeneratingFunctions",
    "Result",
]


@dataclass(frozen=True)
class Derivation:
    """A sequence of steps ending in the result; render with :meth:`latex`, :meth:`text`
    or :meth:`markdown` (and it renders itself in Jupyter)."""

    steps: tuple
    result: object
    var: object
    names: tuple = ("h", "x")
    notes: tuple = field(default=())

    def latex(self, document=False):
        """The derivation as LaTeX (a fragment, or a complete document)."""
        return derivation_latex(self, document=document)

    def text(self, ascii=False):
        """The derivation as plain (Unicode) text."""
        return derivation_text(self, ascii=ascii)

    def markdown(self):
        """The derivation as Markdown with ``$…$`` mathematics."""
        return derivation_markdown(self)

    def _repr_markdown_(self):
        return self.markdown()

    def __str__(self):
        return self.text()




# ---------------------------------------------------------------------------
# building a derivation from the engine's data
# ---------------------------------------------------------------------------
def _limit_expr(limit, var):
    from symconv.canonical.signal import Inf, to_sympy_point

    kind, x = limit
    if isinstance(x, Inf):
        return oo if (x.sign > 0) == (kind == "const") else -oo
    x = to_sympy_point(x)
    return x if kind == "const" else var - x


def _antiderivative_expr(integ, tau, var):
    """``F(τ, t) = Σ P_{q,γ}(t) e^{γτ} Σ c τᵖ``: the engine's antiderivative, as SymPy."""
    from sympy import exp

    from symconv.convert.output import expoly_to_sympy

    K = integ.oracle.K
    total = S.Zero
    for (q, gamma), P in integ.groups.items():
        anti = integ.antiderivative(q, gamma)
        g = S.Zero if integ.oracle.is_zero(gamma) else K.to_sympy(gamma)
        poly = Add(*[K.to_sympy(c) * tau**p for p, c in anti])
        total += expoly_to_sympy(P, var) * exp(g * tau) * poly
    return total


def _antidifference_expr(integ, k, var):
    """``F(k, n) = Σ P_{q,r}(n) rᵏ Σ α kᵖ`` with ``Σ_{k=L}^{U-1} = F(U) - F(L)``."""
    from symconv.convert.sequence_output import _geopoly_to_sympy, unit_circle_sum

    K = integ.oracle.K
    terms = [(c * alpha, ((var, j, b), (k, p, r)))
             for (q, r), P in integ.groups.items()
             for p, alpha in integ.antidifference(q, r)
             for (j, b), c in P.terms.items()]
    real = unit_circle_sum(K, terms)  # frequencies such as cos(n): real cos/sin
    if real is not None:
        return real
    total = S.Zero
    for (q, r), P in integ.groups.items():
        anti = integ.antidifference(q, r)
        poly = Add(*[K.to_sympy(c) * k**p for p, c in anti])
        total += _geopoly_to_sympy(P, var) * K.to_sympy(r) ** k * poly
    return total


@dataclass(frozen=True)
class _Backend:
    """What differs between integrals and sums; the step recorder is shared."""

    discrete: bool

    def signals(self, f, g, var, nonzero):
        if self.discrete:
            from symconv.convert.sequences import sequence_domain, to_sequence
            from symconv.engine.discrete import _SumOracle

            K, powers = sequence_domain([f, g], var)
            facts = nonzero if hasattr(nonzero, "nonzero") else None
            return (to_sequence(f, var, K, powers), to_sequence(g, var, K, powers),
                    _SumOracle(K, getattr(nonzero, "nonzero", nonzero), powers, facts))
        from symconv.convert.signals import domain_for, to_signal
        from symconv.engine.continuous import _Oracle

        K = domain_for([f, g], var)
        return to_signal(f, var, K), to_signal(g, var, K), _Oracle(K, nonzero)

    def integrator(self, fp, gp, oracle, cache):
        if self.discrete:
            from symconv.engine.discrete import _PairSum

            return _PairSum(fp, gp, oracle, cache)
        from symconv.engine.continuous import _PairIntegrator

        return _PairIntegrator(fp, gp, oracle, cache)

    def regions(self, fp, gp):
        if self.discrete:
            from symconv.engine.discrete import _pair_regions
        else:
            from symconv.engine.continuous import _pair_regions
        return _pair_regions(fp, gp)

    def reflect(self, F):
        if self.discrete:
            from symconv.engine.discrete import reflect_sequence

            return reflect_sequence(F)
        from symconv.engine.continuous import reflect

        return reflect(F)

    def to_sympy(self, expr, var):
        if self.discrete:
            from symconv.convert.sequence_output import _geopoly_to_sympy

            return _geopoly_to_sympy(expr, var)
        from symconv.convert.output import expoly_to_sympy

        return expoly_to_sympy(expr, var)

    def anti(self, integ, tau, var):
        if self.discrete:
            return _antidifference_expr(integ, tau, var)
        return _antiderivative_expr(integ, tau, var)

    def limit(self, limit, var, upper):
        """The limit as shown: sums display their last index (``U - 1``)."""
        e = _limit_expr(limit, var)
        if self.discrete and upper and e not in (oo, -oo):
            return e - 1
        return e


def _choose_flip(F, G, names):
    """Flip the simpler signal (fewer pieces; g on a tie): convolution commutes."""
    if len(F.pieces) + len(F.impulses) < len(G.pieces) + len(G.impulses):
        return True, (f"{names[0]} is simpler than {names[1]} (fewer pieces), and "
                      f"convolution commutes: {names[0]} * {names[1]} = {names[1]} * {names[0]}")
    return False, f"{names[1]} is flipped and shifted; {names[0]} stays in place"


def _steps(f, g, var, tau, names, kind, nonzero, backend):
    from symconv.canonical.signal import NEG_INF, POS_INF, Signal, is_finite, to_sympy_point
    from symconv.engine.gaussian import has_gaussian

    steps = [Definition(f, g, var, tau, kind, names, backend.discrete)]
    gauss = not backend.discrete and (has_gaussian(f, var) or has_gaussian(g, var))
    if gauss:  # Gaussian pieces beside the exponential-polynomial ones
        return steps + _gaussian_steps(f, g, var, tau, names, kind, nonzero, backend)
    F, G, oracle = backend.signals(f, g, var, nonzero)
    K = oracle.K
    fexpr, gexpr = f, g
    a_name, b_name = names
    if kind == "correlation":
        F = backend.reflect(F)
        fexpr = f.subs(var, -var)
        reason = (f"correlation slides {b_name}(τ + t) without flipping; written as a "
                  f"convolution with {a_name}(-τ)")
        swapped = False
    else:
        swapped, reason = _choose_flip(F, G, names)
    if swapped:
        F, G = G, F
        fexpr, gexpr = gexpr, fexpr
        a_name, b_name = b_name, a_name
    shifted = gexpr.subs(var, var - tau)
    window = tuple(_window(p, var, backend.discrete) for p in G.pieces)
    steps.append(Flip(b_name, a_name, reason, shifted, window))

    pair_data, crit = _pair_data(F, G, oracle, backend)
    for imps, other in ((F.impulses, G), (G.impulses, F)):
        for imp in imps:
            for p in other.pieces:
                crit.update(imp.at + x for x in (p.lo, p.hi) if is_finite(x))
    pts = sorted(crit)
    steps.append(CriticalPoints(tuple(to_sympy_point(p) for p in pts)))

    bounds = [NEG_INF, *pts, POS_INF]
    for lo, hi in zip(bounds, bounds[1:], strict=False):
        terms = []
        total = None
        for fp, gp, integ, regions in pair_data:
            for p, q, lower, upper in regions:
                if p <= lo and hi <= q:
                    w = integ.at_limit(*upper) - integ.at_limit(*lower)
                    total = w if total is None else total + w
                    integrand = (backend.to_sympy(fp.expr, tau)
                                 * backend.to_sympy(gp.expr, var).subs(var, var - tau))
                    terms.append(RegionTerm(
                        backend.limit(lower, var, False), backend.limit(upper, var, True),
                        integrand, backend.anti(integ, tau, var), backend.to_sympy(w, var)))
        value = backend.to_sympy(total, var) if total is not None else S.Zero
        steps.append(Region(to_sympy_point(lo), to_sympy_point(hi), var, tau, tuple(terms),
                            value, backend.discrete))
    if not backend.discrete:
        for imps, other, other_name in ((F.impulses, gexpr, b_name),
                                        (G.impulses, fexpr, a_name)):
            for imp in imps:
                w = backend.to_sympy(imp.weight, var)
                T = to_sympy_point(imp.at)
                part = w * diff(_regular(other), var, imp.order).subs(var, var - T)
                steps.append(ImpulseTerm(w, T, imp.order, other_name, part))
    del K, Signal
    powers = getattr(oracle, "powers", None)
    if powers is not None and powers.back:  # symbolic powers 2^N: markers back to powers
        steps = [_restored(step, powers.restore) for step in steps]
    return steps


def _restored(x, restore):
    """``x`` (a step, a tuple, an expression) with ``restore`` applied to its expressions."""
    from dataclasses import fields, is_dataclass, replace

    if isinstance(x, Basic):
        return restore(x)
    if isinstance(x, tuple):
        return tuple(_restored(y, restore) for y in x)
    if is_dataclass(x) and not isinstance(x, type):
        return replace(x, **{f.name: _restored(getattr(x, f.name), restore)
                             for f in fields(x) if f.init})
    return x


def _pair_data(F, G, oracle, backend):
    """``([(fp, gp, integrator, regions)], critical points)`` of the engine's pairwise
    method; every infinite limit's convergence is checked first."""
    from symconv.canonical.signal import Inf, is_finite

    pair_data, crit, cache = [], set(), {}
    for fp in F.pieces:
        for gp in G.pieces:
            integ = backend.integrator(fp, gp, oracle, cache)
            if not integ.groups:
                continue
            regions = backend.regions(fp, gp)
            for lo, hi, lower, upper in regions:
                crit.update(x for x in (lo, hi) if is_finite(x))
                for lim_kind, x in (lower, upper):
                    if isinstance(x, Inf):
                        integ.check_convergence(x if lim_kind == "const" else -x)
            pair_data.append((fp, gp, integ, regions))
    return pair_data, crit


def _gaussian_steps(f, g, var, tau, names, kind, nonzero, backend):
    """The steps after the definition when a signal has Gaussian factors: ``g`` is
    flipped; each region adds the exponential-polynomial integrals of the engine and the
    Gaussian ones, whose antiderivatives come from completing the square (erf terms)."""
    from symconv.canonical.signal import NEG_INF, POS_INF, is_finite, to_sympy_point
    from symconv.engine.continuous import _Oracle
    from symconv.engine.gaussian import (
        expoly_terms,
        gaussian_regions,
        gaussian_signals,
        region_value,
    )
    from symconv.engine.gaussian import terms_expr as gx

    a_name, b_name = names
    fexpr, gexpr = f, g
    reason = f"{b_name} is flipped and shifted; {a_name} stays in place"
    if kind == "correlation":
        fexpr = f.subs(var, -var)
        reason = (f"correlation slides {b_name}(τ + t) without flipping; written as a "
                  f"convolution with {a_name}(-τ)")
    (F, GF), (G, GG) = gaussian_signals([fexpr, gexpr], var)
    oracle = _Oracle(F.K, nonzero)
    steps = [Flip(b_name, a_name, reason, gexpr.subs(var, var - tau),
                  tuple(_window(p, var) for p in G.pieces)
                  + tuple(_window(_Span(lo, hi), var) for lo, hi, _t in GG))]
    pair_data, crit = _pair_data(F, G, oracle, backend)
    gauss = gaussian_regions(GF, expoly_terms(G) + GG, var) + \
        gaussian_regions(expoly_terms(F), GG, var)
    crit.update(x for lo, hi, *_rest in gauss for x in (lo, hi) if is_finite(x))
    for imps, other in ((F.impulses, G.pieces + tuple(GG)), (G.impulses, F.pieces + tuple(GF))):
        for imp in imps:
            for p in other:
                ends = (p.lo, p.hi) if hasattr(p, "lo") else p[:2]
                crit.update(imp.at + x for x in ends if is_finite(x))
    pts = sorted(crit)
    steps.append(CriticalPoints(tuple(to_sympy_point(p) for p in pts)))
    bounds = [NEG_INF, *pts, POS_INF]
    for lo, hi in zip(bounds, bounds[1:], strict=False):
        terms, total = [], S.Zero
        for fp, gp, integ, regions in pair_data:
            for p, q, lower, upper in regions:
                if p <= lo and hi <= q:
                    w = backend.to_sympy(integ.at_limit(*upper) - integ.at_limit(*lower), var)
                    total += w
                    integrand = (backend.to_sympy(fp.expr, tau)
                                 * backend.to_sympy(gp.expr, var).subs(var, var - tau))
                    terms.append(RegionTerm(
                        backend.limit(lower, var, False), backend.limit(upper, var, True),
                        integrand, backend.anti(integ, tau, var), w))
        for p, q, lower, upper, (fterms, gterms, pairs), val in gauss:
            if p <= lo and hi <= q:
                w = region_value(val, var)
                total += w
                terms.append(RegionTerm(
                    backend.limit(lower, var, False), backend.limit(upper, var, True),
                    gx(fterms, tau) * gx(gterms, var - tau),
                    Add(*[pr.antiderivative(tau) for pr in pairs]), w))
        steps.append(Region(to_sympy_point(lo), to_sympy_point(hi), var, tau, tuple(terms),
                            total))
    for imps, other, other_name in ((F.impulses, gexpr, b_name), (G.impulses, fexpr, a_name)):
        for imp in imps:
            w = backend.to_sympy(imp.weight, var)
            T = to_sympy_point(imp.at)
            part = w * diff(_regular(other), var, imp.order).subs(var, var - T)
            steps.append(ImpulseTerm(w, T, imp.order, other_name, part))
    return steps


@dataclass(frozen=True)
class _Span:
    lo: object
    hi: object


def _regular(expr):
    """``expr`` without its DiracDelta terms (impulse × impulse is in the result)."""
    from sympy import DiracDelta

    return Add(*[a for a in Add.make_args(expr) if not a.has(DiracDelta)])


def _window(piece, var, discrete=False):
    """Where ``g(t - τ)`` is non-zero, in τ: ``t - hi < τ ≤ t - lo``."""
    from symconv.canonical.signal import to_sympy_point

    lo, hi = to_sympy_point(piece.lo), to_sympy_point(piece.hi)
    return (var - hi if hi != oo else -oo, var - lo if lo != -oo else oo)


def derive(f, g, var, *, kind="convolution", names=("h", "x"), conditions="piecewise",
           assume=None, timeout=None):
    """The derivation of ``f * g`` (or the correlation), step by step.

    Parameters
    ----------
    f, g : sympy.Expr
        Continuous-time signals in ``var`` (as for :func:`symconv.convolve`).
    var : sympy.Symbol
        The time variable.
    kind : {"convolution", "correlation"}
    names : tuple of str
        The names used in the text (default ``h`` and ``x``: ``y = h * x``).
    assume : relation or list of relations, optional
        As for :func:`symconv.convolve`; symbolic breakpoints (``rect(t/T)``) need
        their order decided by the symbols' assumptions or by ``assume``.
    timeout : float, optional
        Seconds before the derivation stops with
        :class:`~symconv.errors.TimeLimitError` (default ``None``: no limit).

    Returns
    -------
    Derivation
        ``.steps``, ``.result`` (the same exact result as :func:`symconv.convolve`),
        ``.latex()``, ``.text()``, ``.markdown()``.
    """
    from symconv.errors import UnsupportedInputError

    with time_limit(timeout, "the derivation"):
        try:
            return _derive(f, g, var, kind, names, conditions, assume)
        except UnsupportedInputError as err:
            if getattr(err, "limit", None) or "cannot convert" not in str(err):
                raise
            raise UnsupportedInputError(
                f"{err}; there is no step-by-step derivation outside that class, though "
                "symconv.convolve (symconv conv) knows some pairs beyond it (Cauchy * "
                "Cauchy, Gamma-type powers, causal pairs with a proven integral)",
                getattr(err, "expr", None)) from err


def _derive(f, g, var, kind, names, conditions, assume):
    from sympy import Piecewise

    from symconv.canonical.order import Facts
    from symconv.engine.continuous import _UndecidedError, _validate, assumptions, split_cases
    from symconv.errors import DivergenceError, UndecidableOrderError

    facts = Facts()
    from symconv.errors import UndecidableError, UnsupportedInputError

    if kind not in ("convolution", "correlation", "probability"):
        raise UnsupportedInputError(
            f"kind={kind!r}: use 'convolution', 'correlation' or 'probability'")
    discrete = bool(getattr(var, "is_integer", False))
    if discrete:
        from sympy import sympify

        from symconv.convert.exact import exact
        from symconv.engine.discrete import _check_var

        _check_var(var)
        f, g = exact(sympify(f, strict=True)), exact(sympify(g, strict=True))
        tau = Symbol("k", integer=True)
        from symconv.engine.hyperterms import is_hypergeometric_input

        if is_hypergeometric_input(f, g, var):
            return _hyper_derivation(f, g, var, tau, names, kind)
    else:
        f, g = _validate(f, g, var, "piecewise", conditions)
        f, g, facts, _rels = assumptions(assume, f, g, var)
        tau = Symbol("tau", real=True)
    backend = _Backend(discrete)

    def build(f, g, here, depth=0):
        if not here.feasible():
            return None
        try:
            with here.using():
                steps = _steps(f, g, var, tau, names, kind, here, backend)
                result = _case_result(kind, discrete, f, g, var, here)
            steps.append(Result(result, var))
            return Derivation(tuple(steps), result, var, names)
        except (_UndecidedError, UndecidableOrderError) as und:
            pending = und  # split outside the handler: a user error raised then has no chain
        if depth > 6:
            raise UndecidableError("too many parameter cases for a derivation; add "
                                   "assumptions (e.g. assume=[T1 < T2])", None)
        cases, diverged = [], None
        for cond, _otherwise, f2, g2, facts2 in split_cases(pending, f, g, here, conditions):
            try:  # a case where the integral diverges is left out: the rest states it
                cases.append((cond, build(f2, g2, facts2, depth + 1)))
            except DivergenceError as err:
                diverged = diverged or err
        if diverged is not None and not any(d is not None for _c, d in cases):
            raise diverged
        return _split_derivation(cases, f, g, stated=diverged is not None)

    def _split_derivation(cases, f, g, stated=False):
        """One derivation per possible case, as nested "Case c: ... Otherwise: ...";
        with ``stated`` (some cases diverge) even a single case keeps its condition."""
        cases = [(c, d) for c, d in cases if d is not None]
        if not cases:
            return None
        if len(cases) == 1 and not stated:
            return cases[0][1]
        if len(cases) == 1:
            (cond, only), = cases
            result = Piecewise((only.result, cond), evaluate=False)
            return Derivation((Definition(f, g, var, tau, kind, names),
                               CaseSplit(cond, only, None), Result(result, var)),
                              result, var, names)
        (cond, first), rest = cases[0], cases[1:]
        other = rest[0][1] if len(rest) == 1 else _split_derivation(rest, f, g)
        result = Piecewise((first.result, cond), (other.result, True), evaluate=False)
        return Derivation((Definition(f, g, var, tau, kind, names),
                           CaseSplit(cond, first, other), Result(result, var)),
                          result, var, names)

    return build(f, g, facts)


def _hyper_derivation(f, g, var, tau, names, kind):
    """Hypergeometric terms (factorials, binomials): the generating-function product."""
    from sympy import Piecewise

    from symconv.engine.hyperterms import convolve_hyper, generating_functions
    from symconv.errors import UnsupportedInputError

    if kind == "correlation":
        raise UnsupportedInputError(
            "step-by-step correlation of hypergeometric terms (factorials, binomials) is not "
            "available; correlate() gives the exact result")
    res = convolve_hyper(f, g, var)
    steps = [Definition(f, g, var, tau, kind, names, True)]
    z = Symbol("z")
    data = generating_functions(f, g, var, z)
    value = res.value
    if data is not None and isinstance(value, Piecewise) and len(value.args) == 2 \
            and value.args[0][0] == 0 and value.args[1][1] == S.true:
        F, G, FG, ids = data
        steps.append(GeneratingFunctions(F, G, FG, z, var, value, ids))
    return Derivation(tuple(steps) + (Result(value, var),), value, var, names,
                      notes=tuple(res.notes))


def derive_sum(X, Y, var=None):
    """``P(X + Y = c) = Σ_{a+b=c} P(X = a) P(Y = b)``, step by step, for independent
    integer-valued laws (finite or closed-form, unit lattice step).

    >>> from symconv.probability import Die
    >>> d = derive_sum(Die(2), Die(2))
    >>> d.result
    Piecewise((0, c < 2), (1/4, c < 3), (5/4 - c/4, c < 5), (0, True))
    """
    from sympy import KroneckerDelta

    from symconv.errors import UnsupportedInputError
    from symconv.functions import u

    c = var if var is not None else Symbol("c", integer=True)

    def pmf(D):
        if not D.is_discrete or D._step != 1:
            raise UnsupportedInputError(
                "derive_sum takes integer-valued laws (lattice step 1); for densities use "
                "derive(X.pdf(t), Y.pdf(t), t)")
        if D._kind == "finite":
            return Add(*[w * KroneckerDelta(c, D._base + i)
                         for i, w in enumerate(D._weights.as_list()) if w != 0])
        expr = D._pmf.subs(_k_symbol(), c - D._base) * u(c - D._base - D._lo)
        if D._hi != oo:
            expr = expr * u(D._base + D._hi - c)
        return expr

    return derive(pmf(X), pmf(Y), c, kind="probability", names=("p_X", "p_Y"))


def _k_symbol():
    from symconv.probability.representation import _K

    return _K


def _case_result(kind, discrete, f, g, var, nonzero):
    """The engine's result for one case (the :class:`~symconv.canonical.order.Facts` ``nonzero``
    assumed)."""
    if discrete:
        from symconv.engine.discrete import (
            _compute,
            convolve_sequences,
            reflect_sequence,
        )

        nonzero = nonzero.nonzero
        if kind in ("convolution", "probability"):
            return _compute(convolve_sequences, f, g, var, nonzero)
        return _compute(lambda F, G, o: convolve_sequences(reflect_sequence(F), G, o),
                        f, g, var, nonzero)
    from symconv.engine.continuous import _engine, convolve_signals, correlate_signals

    engine_op = correlate_signals if kind == "correlation" else convolve_signals
    return _engine(engine_op, "piecewise")(f, g, var, nonzero)


__all__ += ["Step"]
