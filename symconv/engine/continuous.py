"""Exact continuous-time convolution and correlation.

``(f*g)(t) = ∫ f(τ) g(t-τ) dτ`` is computed piece by piece: two pieces on
``[a, b)`` and ``[c, d)`` give a result on ``[a+c, b+d)`` with breakpoints
``{a+c, a+d, b+c, b+d}``; on each region the integral runs from
``max(a, t-d)`` to ``min(b, t-c)`` and has the closed-form antiderivative of
``τʲ e^{γτ}``. Impulses act by the sifting property (``δ⁽ᵐ⁾(t-T) * g =
g⁽ᵐ⁾(t-T)``). Nothing is integrated by search and ``simplify`` is never called:
the canonical collected form *is* the simplification.

Examples
--------
>>> from sympy import Rational, exp, symbols
>>> from symconv.functions import rect, u
>>> t = symbols("t", real=True)
>>> convolve(2*exp(-t/2)*u(t), rect(t - Rational(1, 2)), t)
Piecewise((0, t < 0), (4 - 4*exp(-t/2), t < 1), (4*(-1 + exp(1/2))*exp(-t/2), True))
>>> convolve(rect(t), rect(t), t)
Piecewise((0, t < -1), (t + 1, t < 0), (1 - t, t < 1), (0, True))
"""

from __future__ import annotations

import time
from functools import partial

from sympy import Eq, Ne, Piecewise, Poly, S, Symbol, exp, re, sympify
from sympy.polys.domains import QQ_I
from sympy.polys.polyerrors import PolynomialError

from symconv.canonical.expoly import (
    ExpPoly,
    _accumulate,
    _add_term,
    antiderivative,
    binomial_terms,
    shifted_products,
)
from symconv.canonical.order import (
    Facts,
    current_facts,
    lin_expr,
    lin_of,
    negate,
    relation,
    undecided,
)
from symconv.canonical.rational import RQ, RQI, embed
from symconv.canonical.signal import Impulse, Inf, Piece, Signal, is_finite, to_sympy_point
from symconv.convert.output import expoly_to_sympy, to_sympy
from symconv.convert.signals import (
    as_expression,
    domain_for,
    has_transcendental_constants,
    normalize_signal,
    sweep,
    to_signal,
)
from symconv.engine.gaussian import convolve_gaussian, has_gaussian
from symconv.engine.jumps import convolve_by_jumps
from symconv.engine.pairwise import accumulate_pairs
from symconv.engine.regions import pair_regions as _pair_regions
from symconv.errors import (
    DivergenceError,
    UndecidableError,
    UndecidableOrderError,
    UnsupportedInputError,
)
from symconv.limits import check_deadline, time_limit

__all__ = ["convolve", "correlate", "convolve_signals", "correlate_signals"]

_FORMS = ("piecewise", "heaviside")
_CONDITIONS = ("piecewise", "raise")


class _UndecidedError(Exception):
    """Internal: a zero test on a parameter expression needs a case split."""

    def __init__(self, expr):
        super().__init__(str(expr))
        self.expr = expr


class _Oracle:
    """Exact decisions about domain elements: zero-ness and the sign of the real part.

    Rational data is decided directly; parameter expressions use SymPy's
    assumptions plus the facts of the current case (``nonzero``), and raise
    :class:`_UndecidedError` when those do not decide.
    """

    def __init__(self, K, facts=None):
        self.K = K
        if not isinstance(facts, Facts):
            facts = Facts(nonzero=facts or ())
        self.facts = facts
        self._zero_cache = {}
        self._embed_cache = {}

    def embed(self, x):
        """A rational endpoint ``x`` (QQ) as an element of ``K``."""
        K = self.K
        if K is RQ:
            return x
        v = self._embed_cache.get(x)
        if v is None:
            v = embed(K, x)
            self._embed_cache[x] = v
        return v

    def is_zero(self, x):
        if not x:
            return True
        K = self.K
        if K is RQ or K is RQI or K == QQ_I:
            return False
        hit = self._zero_cache.get(x)
        if hit is not None:
            return hit
        e = K.to_sympy(x)
        if e.is_number:
            ans = bool(e.is_zero)
        else:
            ans = self._decide_zero(e)
        self._zero_cache[x] = ans
        return ans

    def _decide_zero(self, e):
        """Zero test of a parameter expression; a complex one is zero iff both parts are."""
        parts = [e]
        if not e.is_extended_real and all(x.is_extended_real for x in e.free_symbols):
            parts = [p for p in e.as_real_imag() if p != 0] or [e]
        if any(self._nonzero(p) for p in parts):
            return False
        if all(p.is_zero for p in parts):
            return True
        raise _UndecidedError(next(p for p in reversed(parts) if p.is_zero is not True))

    def _nonzero(self, e):
        if e.is_zero is False:
            return True
        forms = [e]
        log_form = _log_form(self._without_abs(e), self._positive)
        if log_form is not None:  # c log X + r vanishes with X - e^{-r/c}
            forms.append(log_form[1])
        for x in forms:
            lin = lin_of(x) if x.is_extended_real else None
            if lin is not None and self.facts.sign(lin) in (-1, 1):
                return True
            for fact in self.facts.nonzero:
                ratio = (x / fact).cancel()
                if ratio.is_number and ratio != 0:
                    return True
        return False

    def _positive(self, e):
        lin = lin_of(e)
        return lin is not None and self.facts.sign(lin) == 1

    def _without_abs(self, e):
        """``e`` with each ``|Y|`` replaced by ``Y`` or ``-Y`` where the facts decide the sign
        of ``Y`` (``log|a|`` for a real ``a`` known to exceed 1)."""
        from sympy import Abs

        sub = {}
        for node in e.atoms(Abs):
            lin = lin_of(node.args[0])
            sg = self.facts.sign(lin) if lin is not None else None
            if sg in (-1, 1):
                sub[node] = sg * node.args[0]
        return e.xreplace(sub) if sub else e

    def re_sign(self, x):
        """Sign (-1, 0, 1) of ``Re x``, or ``None`` when the assumptions do not decide."""
        K = self.K
        if K is RQ:
            return (x > 0) - (x < 0)
        if K is RQI or K == QQ_I:
            return (x.x > 0) - (x.x < 0)
        r = re(K.to_sympy(x))
        lin = lin_of(r)
        if lin is not None:
            sg = self.facts.sign(lin)
            if sg is not None:
                return sg
        log_form = _log_form(self._without_abs(r), self._positive)
        if log_form is not None:  # sign(c log X + r) = sign(c) sign(X - e^{-r/c})
            lin = lin_of(log_form[1])
            sg = self.facts.sign(lin) if lin is not None else None
            if sg is not None:
                return log_form[0] * sg
        if r.is_positive:
            return 1
        if r.is_negative:
            return -1
        if r.is_zero:
            return 0
        return None


# ---------------------------------------------------------------------------
# pairwise integration
# ---------------------------------------------------------------------------
def _integrand_groups(F, G, oracle, half=False):
    """``F(τ) G(t-τ)`` as ``{(q, γ): terms of the t-part}``.

    With ``half`` (``F`` and ``G`` real, over the Gaussian rationals) only half of the
    integrand is kept: of each conjugate pair of products the one whose ``(γ, β, r)`` has
    a positive first imaginary part, and the self-conjugate products at half weight. The
    integrand being real, it is that half plus its conjugate; everything after the
    product is linear and commutes with conjugation, so the caller completes the result
    with :func:`_with_conjugate` once, at the end.
    """
    K = oracle.K
    groups = {}
    two = K.convert(2)
    for (j, alpha, r1), c1 in F.terms.items():
        for (m, beta, r2), c2 in G.terms.items():
            gamma = alpha - beta
            r = r1 + r2
            c = c1 * c2
            if half:
                side = gamma.y or beta.y or r.y
                if side < 0:
                    continue  # the conjugate of a product that is kept
                if not side:
                    c = c / two
            for ell, coeff in binomial_terms(K, m, c):
                _add_term(groups.setdefault((j + ell, gamma), {}), (m - ell, beta, r), coeff)
    return {g: ExpPoly(K, tp) for g, tp in groups.items() if tp}


def _is_real(signal):
    """Whether a signal over ``RQI`` is real: in its pieces and impulse weights, each
    term's conjugate term is there with the conjugate coefficient."""
    for terms in [p.expr.terms for p in signal.pieces] + \
            [i.weight.terms for i in signal.impulses]:
        for (k, s, r), c in terms.items():
            if s.y or r.y or c.y:
                other = terms.get((k, s.conjugate(), r.conjugate()))
                if other is None or other != c.conjugate():
                    return False
    return True


_TWO = RQI.convert(2)


def _with_conjugate(terms, memo):
    """``H + H̄`` for a term dict ``H`` (``{(k, s, r): c}`` over ``RQI``), in place;
    ``memo`` keeps the conjugates of the exponents (shared by the pieces of a result)."""
    conj = {}
    get = memo.get
    for (k, s, r), c in terms.items():
        cs = get(s)
        if cs is None:
            cs = memo[s] = s.conjugate()
        cr = get(r)
        if cr is None:
            cr = memo[r] = r.conjugate()
        conj[(k, cs, cr)] = c.conjugate()
    _accumulate(terms, conj, 1)
    return terms


class _PairIntegrator:
    """Evaluates ``W_L(t) = Σ P_{q,γ}(t) A_{q,γ}(L)`` for the limits of one pair."""

    def __init__(self, fpiece, gpiece, oracle, anti_cache, half=False):
        self.fp, self.gp = fpiece, gpiece
        self.oracle = oracle
        self.anti_cache = anti_cache
        self.groups = _integrand_groups(fpiece.expr, gpiece.expr, oracle, half)
        self.cache = {}

    def antiderivative(self, q, gamma):
        key = (q, gamma)
        a = self.anti_cache.get(key)
        if a is None:
            a = antiderivative(self.oracle.K, q, gamma, self.oracle.is_zero(gamma))
            self.anti_cache[key] = a
        return a

    def at_limit(self, kind, x):
        """``W`` at ``τ = x`` (``kind='const'``) or at ``τ = t - x`` (``kind='shift'``)."""
        key = (kind, x)
        w = self.cache.get(key)
        if w is not None:
            return w
        K = self.oracle.K
        if isinstance(x, Inf):
            self.check_convergence(x if kind == "const" else -x)
            w = ExpPoly.zero(K)
        elif kind == "const":
            xk = self.oracle.embed(x)
            out = {}
            for (q, gamma), P in self.groups.items():
                anti = self.antiderivative(q, gamma)
                val = K.zero
                for power, coeff in anti:
                    val += coeff * xk**power if power else coeff
                if not val:
                    continue
                shift = gamma * xk if not self.oracle.is_zero(gamma) else K.zero
                for (p, beta, r), c in P.terms.items():
                    _add_term(out, (p, beta, r + shift), c * val)
            w = ExpPoly(K, out)
        else:
            pairs = []
            for (q, gamma), P in self.groups.items():
                anti = self.antiderivative(q, gamma)
                g_or_0 = K.zero if self.oracle.is_zero(gamma) else gamma
                pairs.append((P, ExpPoly(K, {(power, g_or_0, K.zero): coeff
                                             for power, coeff in anti})))
            w = shifted_products(K, pairs, self.oracle.embed(x))
        self.cache[key] = w
        return w

    def check_convergence(self, end):
        """Raise DivergenceError unless every term decays as ``τ → end``."""
        if (end.sign, id(self)) in self.cache:
            return
        want = 1 if end.sign < 0 else -1
        for (q, gamma), _P in self.groups.items():
            sg = 0 if not gamma else self.oracle.re_sign(gamma)
            if sg == want:
                continue
            g = self.oracle.K.to_sympy(gamma)
            tau = Symbol("tau")
            where = "+oo" if end.sign > 0 else "-oo"
            tails = (f"f on {_iv(self.fp)} times g(t - {tau}) with g on {_iv(self.gp)}")
            if sg is None:
                cond = re(g) < 0 if want < 0 else re(g) > 0
                err = DivergenceError(
                    f"the convolution integral converges only if {cond} (the tail "
                    f"{tau**q * exp(g * tau)} as {tau} -> {where}, {tails}), which the "
                    "assumptions do not decide; declare the parameters' signs, e.g. "
                    "symbols('a', positive=True)",
                    cond,
                )
                lin = lin_of(re(g))
                if lin is None:
                    raise err
                split = undecided(lin)
                split.divergence = err
                raise split
            raise DivergenceError(
                "the convolution integral diverges: the integrand does not decay as "
                f"{tau} -> {where} (it contains {tau**q * exp(g * tau)}; {tails})"
            )
        self.cache[(end.sign, id(self))] = True


def _iv(p):
    lo = "(-oo" if isinstance(p.lo, Inf) else f"[{to_sympy_point(p.lo)}"
    hi = "oo" if isinstance(p.hi, Inf) else str(to_sympy_point(p.hi))
    return f"{lo}, {hi})"


# ---------------------------------------------------------------------------
# signal-level operations
# ---------------------------------------------------------------------------
def _shift_signal(s, T, weight, oracle):
    """``weight · s(t - T)`` for a rational ``T`` and a constant ``weight``."""
    Tk = oracle.embed(T)
    pieces = [Piece(p.lo + T, p.hi + T, p.expr.shift(Tk) * weight) for p in s.pieces]
    imps = [Impulse(i.at + T, i.order, i.weight * weight) for i in s.impulses]
    return pieces, imps


def derivative(s, oracle):
    """The distributional derivative: piecewise derivative plus jump impulses."""
    K = oracle.K
    pieces = [Piece(p.lo, p.hi, p.expr.diff()) for p in s.pieces]
    jumps = {}
    for p in s.pieces:
        if is_finite(p.lo):
            v = p.expr.at(oracle.embed(p.lo))
            jumps[p.lo] = jumps[p.lo] + v if p.lo in jumps else v
        if is_finite(p.hi):
            v = -p.expr.at(oracle.embed(p.hi))
            jumps[p.hi] = jumps[p.hi] + v if p.hi in jumps else v
    imps = [Impulse(i.at, i.order + 1, i.weight) for i in s.impulses]
    imps += [Impulse(x, 0, w) for x, w in jumps.items() if not w.is_zero]
    return Signal.from_pieces(K, pieces, imps)


def reflect(s):
    """``s(-t)``."""
    pieces = [Piece(-p.hi, -p.lo, p.expr.reflect()) for p in s.pieces]
    imps = [
        Impulse(-i.at, i.order, -i.weight if i.order % 2 else i.weight) for i in s.impulses
    ]
    return Signal.from_pieces(s.K, pieces, imps)


def convolve_signals(F, G, oracle=None):
    """Convolution of two canonical signals over the same domain.

    ``oracle`` carries the case facts for symbolic parameters; by default none.
    Raises :class:`DivergenceError` when a needed integral does not converge.
    """
    K = F.K
    if oracle is None:
        oracle = _Oracle(K)
    # compactly supported piecewise polynomials with rational data: by their jumps
    fast = convolve_by_jumps(F, G)
    half = False
    if fast is not None:
        events, base = fast
    else:
        anti_cache = {}
        # real signals over the Gaussian rationals: half the integrand, completed once the
        # pieces are swept (the impulses' real terms go in at half weight)
        half = K is RQI and _is_real(F) and _is_real(G)
        events, base = accumulate_pairs(
            F, G, lambda fp, gp: _PairIntegrator(fp, gp, oracle, anti_cache, half),
            _pair_regions)
    impulses = []

    def add_region(lo, hi, terms):
        if not terms:
            return
        if half:  # real terms at half weight: the completion below doubles them
            terms = {key: c / _TWO for key, c in terms.items()}
        tgt = base if isinstance(lo, Inf) else events.setdefault(lo, {})
        _accumulate(tgt, terms, 1)
        if is_finite(hi):
            _accumulate(events.setdefault(hi, {}), terms, -1)

    # impulses: δ⁽ᵐ⁾(t-T) * G = G⁽ᵐ⁾(t-T), and F_regular * δ⁽ᵐ⁾(t-T)
    for imps, other in ((F.impulses, G), (G.impulses, Signal(K, F.pieces))):
        derivs = {0: other}
        for imp in imps:
            m = imp.order
            for k in range(1, m + 1):
                if k not in derivs:
                    derivs[k] = derivative(derivs[k - 1], oracle)
            pieces, more = _shift_signal(derivs[m], imp.at, imp.weight, oracle)
            for p in pieces:
                add_region(p.lo, p.hi, p.expr.terms)
            impulses.extend(more)
    pieces = sweep(K, events, base)
    if half:
        memo = {}
        pieces = [Piece(p.lo, p.hi, ExpPoly(K, _with_conjugate(dict(p.expr.terms), memo)))
                  for p in pieces]
    out = Signal.from_pieces(K, pieces, impulses)
    if has_transcendental_constants(K):
        out = normalize_signal(out)
    return out


def correlate_signals(F, G, oracle=None):
    """Cross-correlation ``∫ F(τ) G(τ + t) dτ`` = ``F(-t) * G``."""
    return convolve_signals(reflect(F), G, oracle)


# ---------------------------------------------------------------------------
# the public functions
# ---------------------------------------------------------------------------
def _validate(f, g, var, form, conditions):
    if not isinstance(var, Symbol):
        raise UnsupportedInputError(
            f"the variable must be a SymPy Symbol, got {var!r}; e.g. t = symbols('t', real=True)"
        )
    if var.is_integer:
        raise UnsupportedInputError(
            f"the variable {var} is an integer symbol: the convolution integral needs a real "
            f"variable; for the sum over integers use symconv.convolve (it dispatches on "
            f"the variable) or symconv.engine.discrete.convolve_sequence"
        )
    if var.is_extended_positive or var.is_extended_negative or var.is_extended_nonnegative \
            or var.is_extended_nonpositive:
        raise UnsupportedInputError(
            f"the variable {var} carries a sign assumption; declare it real instead, e.g. "
            f"symbols('{var}', real=True): with a sign assumption SymPy rewrites u({var}) to 1 "
            "before symconv sees it, which would change the signal silently"
        )
    if form not in _FORMS:
        raise UnsupportedInputError(f"form={form!r} is not accepted; use one of {_FORMS}")
    if conditions not in _CONDITIONS:
        raise UnsupportedInputError(
            f"conditions={conditions!r} is not accepted; use one of {_CONDITIONS}"
        )
    return [as_expression(f, "f"), as_expression(g, "g")]


def _split_symbol(e, prefer=None):
    """``(symbol, value)`` with ``e = 0 ⇔ symbol = value`` (linear in the numerator), or
    ``None``. ``1/s1 - 1/s2 = 0`` splits as ``s1 = s2``."""
    from sympy import together

    e = together(e).as_numer_denom()[0]
    order = sorted(e.free_symbols, key=lambda s: s.name)
    if prefer is not None:
        order = [prefer] if prefer in order else []
    elif any(s.is_integer for s in order):
        # an integer parameter must stay an integer: solve for one with coefficient ±1
        # (n0 = 2 N - 1, not N = (n0 + 1)/2)
        order.sort(key=lambda s: not (s.is_integer and e.coeff(s) in (1, -1)))
    for sym in order:
        try:
            poly = Poly(e, sym)
        except PolynomialError:
            continue
        if poly.degree() != 1:
            continue
        c1, c0 = poly.all_coeffs()
        if c1.is_zero is False or c1.is_number:
            return sym, (-c0 / c1).cancel()
    return None


#: At most this many case splits, and this many CPU seconds of case analysis, before
#: asking for assumptions (a hostile input must not run for minutes). CPU time of this
#: process, not wall time: the answer must not depend on how busy the machine is.
MAX_CASES = 64
CASE_SECONDS = 10.0


class _CaseBudget:
    def __init__(self):
        self.left = MAX_CASES
        self.deadline = time.process_time() + CASE_SECONDS

    def spend(self, why):
        self.left -= 1
        if self.left < 0 or time.process_time() > self.deadline:
            raise UndecidableError(
                f"too many parameter cases (more than {MAX_CASES - max(self.left, 0)} splits, "
                f"the latest on {why}); add assumptions, e.g. assume=[T1 < T2] or "
                "positive=True on the symbols",
                why,
            )


def _log_form(e, positive=None):
    """``(sign of c, X - e^{-r/c}·Y)`` when ``e = c·(log X - log Y) + r`` (or ``c·log X + r``,
    ``Y = 1``) with numbers ``c ≠ 0`` and ``r`` and positive ``X``, ``Y`` (powers ``a^t``
    bring ``log a``): ``log`` being increasing, ``e`` has the sign
    ``sign(c)·sign(X - e^{-r/c} Y)`` and vanishes with it, so facts on ``X`` and ``Y``
    (``a > 1``, ``a < b``) decide it and a coincidence splits as ``X = e^{-r/c} Y``.
    ``None`` otherwise. ``positive(X)`` decides positivity (default: SymPy's assumptions).

    >>> from sympy import log, symbols
    >>> a, b = symbols("a b", positive=True)
    >>> _log_form(-2*log(a)), _log_form(log(a) - 1), _log_form(log(b) - log(a))
    ((-1, a - 1), (1, a - E), (-1, a - b))
    """
    from sympy import Add, log, sign

    logs = []
    r = S.Zero
    for term in Add.make_args(e):
        if not term.has(log):
            r += term
            continue
        c, rest = term.as_independent(log, as_Add=False)
        if not (isinstance(rest, log) and c.is_number and c.is_extended_real and c != 0):
            return None
        X = rest.args[0]
        if X.has(log) or not (X.is_positive or (positive is not None and positive(X))):
            return None
        logs.append((c, X))
    if not (r.is_number and r.is_extended_real):
        return None
    if len(logs) == 1:
        (c, X), Y = logs[0], S.One
    elif len(logs) == 2 and logs[0][0] == -logs[1][0]:
        (c, X), (_c, Y) = logs
    else:
        return None
    return int(sign(c)), X - exp(-r / c) * Y


def unit_phase(b):
    """``θ`` when the base ``b`` is ``e^{iθ}`` with a real ``θ`` holding parameters, else
    ``None``.

    >>> from sympy import I, exp, symbols
    >>> w = symbols("omega", real=True)
    >>> unit_phase(exp(I*w)), unit_phase(exp(w)), unit_phase(exp(I))
    (omega, None, None)
    """
    from sympy import I, exp

    if not isinstance(b, exp) or not b.free_symbols:
        return None
    theta = (b.args[0] / I).expand()
    return theta if theta.is_extended_real else None


def split_cases(und, f, g, facts, conditions):
    """The cases an undecided question splits into, as ``(condition, otherwise, f, g,
    facts)``: a coincidence ``a = b`` gives ``a = b`` (substituted) and ``a ≠ b``; the
    order of two breakpoints gives ``lhs < rhs``, ``lhs = rhs`` (substituted, unless the
    question excludes it) and ``lhs > rhs``. With ``conditions="raise"``, or when no
    split is possible, the error for the user is raised instead."""
    if isinstance(und, _UndecidedError):
        zero = und.expr
        split = _split_symbol(zero)
        if split is None and _log_form(zero) is not None:  # log a = 0 splits as a = 1
            zero = _log_form(zero)[1]
            split = _split_symbol(zero)
        theta = unit_phase(und.expr + 1)
        if theta is not None:
            raise UndecidableError(
                f"the result depends on whether exp(I*({theta})) = 1, that is whether "
                f"{theta} is a multiple of 2*pi, which the assumptions do not decide; "
                f"declare its range, e.g. assume=[0 < {theta}, {theta} < 2*pi] (at the "
                f"command line --assume \"0 < {theta} < 2*pi\")",
                Eq(und.expr, 0),
            )
        if conditions == "raise" or split is None:
            advice = ("declare it (e.g. distinct symbols with assumptions)"
                      + (" or use conditions='piecewise'" if conditions == "raise" else ""))
            raise UndecidableError(
                f"the result depends on whether {und.expr} = 0, which the assumptions do "
                f"not decide; {advice}",
                Eq(und.expr, 0),
            )
        sym, val = split
        sub = {sym: val}
        return [(Eq(sym, val), False, f.xreplace(sub), g.xreplace(sub), facts.subs(sub)),
                (Ne(sym, val), True, f, g, facts.add_nonzero(zero))]
    if conditions == "raise" or und.lin is None:
        raise getattr(und, "divergence", None) or und
    d = und.lin
    if d[1] and d[1][0][1] < 0:  # one direction for T1 - T2 and T2 - T1
        d = negate(d)
    out = [(relation(d, "<"), False, f, g, facts.add(negate(d)))]
    split = _split_symbol(lin_expr(d))
    if split is not None and not getattr(und, "strict_only", False):
        sub = {split[0]: split[1]}
        out.append((relation(d, "="), False, f.xreplace(sub), g.xreplace(sub), facts.subs(sub)))
    out.append((relation(d, ">"), False, f, g, facts.add(d)))
    return out


def _cases(compute, f, g, var, facts, conditions, budget=None, merge=None):
    """Run ``compute`` under ``facts`` and split on whatever the facts do not decide
    (see :func:`split_cases`). Branches that the facts rule out are dropped; so are
    branches where the integral diverges (their condition is then missing from the
    result, which states where it converges). With ``merge(a, b)`` (are two results
    the same function of ``var``?), a coincidence branch ``N = 1`` whose result is its
    neighbour's with ``N = 1`` substituted is folded into it (``N > 1`` becomes
    ``N >= 1``)."""
    budget = budget or _CaseBudget()
    check_deadline()
    try:
        with facts.using():
            return compute(f, g, var, facts)
    except (_UndecidedError, UndecidableOrderError) as und:
        pending = und  # split outside the handler: a user error raised then has no chain
    cases = split_cases(pending, f, g, facts, conditions)
    budget.spend(cases[0][0])
    return _join([(cond, otherwise, partial(_cases, compute, f2, g2, var, facts2, conditions,
                                            budget, merge))
                  for cond, otherwise, f2, g2, facts2 in cases], merge)


def _join(branches, merge=None):
    """``Piecewise`` of the branches that are possible and converge."""
    out, first_error, dropped = [], None, False
    for cond, otherwise, run in branches:
        try:
            value = run()
        except DivergenceError as err:
            first_error, dropped = first_error or err, True
            continue
        if value is _IMPOSSIBLE:
            dropped = dropped or otherwise
            continue
        if isinstance(value, Piecewise) and len(value.args) == 1:  # "v where c" only
            from sympy import And

            value, cond = value.args[0][0], And(cond, value.args[0][1])
        out.append([value, cond, otherwise])
    if merge is not None:
        out = _fold_coincidences(out, merge)
    if not out:
        if first_error is not None:
            raise first_error
        return _IMPOSSIBLE
    if len(out) == 1 and first_error is None:
        return out[0][0]
    if out[-1][2] and not dropped:
        out[-1][1] = S.true  # the "otherwise" branch of an exhaustive split
    return Piecewise(*[(v, c) for v, c, _o in out], evaluate=False)


def _fold_coincidences(out, merge):
    """Fold each ``lhs = rhs`` branch into a neighbour whose result agrees with it once
    the coincidence is substituted (``merge`` decides that exactly)."""
    from sympy import GreaterThan, LessThan, Or, StrictGreaterThan, StrictLessThan

    i = 0
    while i < len(out):
        value, cond, _otherwise = out[i]
        split = _split_symbol(cond.lhs - cond.rhs) if isinstance(cond, Eq) else None
        folded = False
        for j in (i + 1, i - 1) if split is not None else ():
            if not 0 <= j < len(out):
                continue
            other, ocond, _o = out[j]
            try:
                same = merge(other.xreplace({split[0]: split[1]}), value)
            except Exception:  # noqa: BLE001 - a comparison that fails is "not the same"
                same = False
            if not same:
                continue
            if isinstance(ocond, (StrictLessThan, StrictGreaterThan)) and \
                    {ocond.lhs, ocond.rhs} == {cond.lhs, cond.rhs}:
                weak = "<=" if isinstance(ocond, StrictLessThan) else ">="
                lin = lin_of(ocond.lhs - ocond.rhs)
                out[j][1] = relation(lin, weak) if lin is not None else (
                    (LessThan if weak == "<=" else GreaterThan)(ocond.lhs, ocond.rhs))
            elif isinstance(ocond, Ne) and {ocond.lhs, ocond.rhs} == {cond.lhs, cond.rhs}:
                out[j][1] = S.true
            else:
                out[j][1] = Or(ocond, cond)
            del out[i]
            folded = True
            break
        if not folded:
            i += 1
    return out


#: A case that the facts rule out.
_IMPOSSIBLE = object()


def _engine(op, form):
    def compute(f, g, var, facts):
        if not facts.feasible():
            return _IMPOSSIBLE
        if has_gaussian(f, var) or has_gaussian(g, var):
            if op is correlate_signals:
                f = f.xreplace({var: -var})
            return convolve_gaussian(f, g, var, convolve_signals, form)
        K = domain_for([f, g], var)
        F = to_signal(f, var, K)
        G = to_signal(g, var, K)
        oracle = _Oracle(K, facts)
        return to_sympy(op(F, G, oracle), var, form)

    return compute


def assumptions(assume, f, g, var=None):
    """``(f, g, facts)`` under the user's ``assume=``: equalities are substituted,
    inequalities become :class:`~symconv.canonical.order.Facts`."""
    from sympy import And
    from sympy.core.relational import Relational

    if isinstance(assume, str):
        raise UnsupportedInputError(
            f"assume= takes SymPy relations, not text ({assume!r}); e.g. assume=[T1 < T2]")
    if assume is None:
        rels = []
    elif isinstance(assume, (Relational, And)) or assume in (True, False):
        rels = [assume]
    else:
        try:
            rels = list(assume)
        except TypeError:
            raise UnsupportedInputError(
                f"assume= takes a relation or a list of relations, got {assume!r}") from None
    flat = []
    while rels:
        r = rels.pop()
        if isinstance(r, And):
            rels.extend(r.args)
        elif r is False or r == S.false:
            raise UnsupportedInputError(
                "an assumption in assume= is False: SymPy already evaluated it against the "
                "symbols' own assumptions (e.g. T < 0 for a positive T)")
        elif r is True or r == S.true:
            continue
        elif isinstance(r, str):
            raise UnsupportedInputError(
                f"assume= takes SymPy relations, not text ({r!r}); e.g. assume=[T1 < T2]")
        else:
            flat.append(sympify(r, strict=True))
    mapping = {}
    for r in flat:
        if var is not None and getattr(r, "has", None) and r.has(var):
            raise UnsupportedInputError(
                f"assume= relates parameters, not the variable {var}: {r}", r)
        if isinstance(r, Eq):
            d = (r.lhs - r.rhs).xreplace(mapping)
            split = None
            for side in (r.lhs, r.rhs):  # Eq(T2, 2*T1) replaces T2, as written
                if isinstance(side, Symbol) and side not in mapping and \
                        _split_symbol(d, prefer=side) is not None:
                    split = _split_symbol(d, prefer=side)
                    break
            split = split or _split_symbol(d)
            if split is None:
                raise UnsupportedInputError(f"cannot use the equality {r} in assume=", r)
            mapping = {k: v.xreplace({split[0]: split[1]}) for k, v in mapping.items()}
            mapping[split[0]] = split[1]
    facts = Facts.of([r.xreplace(mapping) for r in flat if not isinstance(r, Eq)])
    outer = current_facts()  # facts a caller has in force (a law's own: a < b in U(a, b))
    if outer.rows or outer.nonzero:
        facts = Facts(facts.rows + outer.rows, facts.nonzero + outer.nonzero)
    if mapping:
        facts = facts.subs(mapping)
        f, g = f.xreplace(mapping), g.xreplace(mapping)
    if not facts.feasible():
        raise UnsupportedInputError(f"the assumptions {flat} contradict each other")
    return f, g, facts, flat


def parameter_cases(result, var):
    """The leaves ``(conditions, expr)`` of a result's case tree on the parameters
    (a ``Piecewise`` whose conditions do not mention ``var``)."""
    if isinstance(result, Piecewise) and not any(
            c.has(var) for _e, c in result.args):
        out, before = [], []
        for e, c in result.args:
            cond = [c] if c is not S.true else [Ne(*x.args) if isinstance(x, Eq) else
                                                x.negated for x in before]
            for sub, leaf in parameter_cases(e, var):
                out.append((cond + sub, leaf))
            before.append(c)
        return out
    return [([], result)]


def check_result(result, f, g, var, kind, rels, verify):
    """Run the independent check ``verify`` on every parameter case of ``result`` (values
    chosen to satisfy the assumptions and the case's conditions); raise
    :class:`~symconv.errors.VerificationError` on a disagreement, or when no case could
    be checked."""
    from symconv.errors import VerificationError

    checked = 0
    for conds, _leaf in parameter_cases(result, var):
        try:
            report = verify(result, f, g, var, kind=kind, assume=rels + conds)
        except UnsupportedInputError:  # no admissible values found for this case
            continue
        checked += 1
        if not report.ok:
            raise VerificationError(f"numeric check failed:\n{report}", report)
    if not checked:
        raise VerificationError("no parameter case could be checked numerically "
                                "(no admissible values found)")


def _beyond(err, f, g, var, kind):
    """Signals outside the exponential-polynomial class: closed forms of
    :mod:`symconv.engine.special` (Gaussians, Cauchy kernels, Gamma-type powers) or its
    guarded, numerically checked fallback; else the engine's error, with both reasons. A
    :class:`~symconv.errors.DivergenceError` from there (a proven non-integrable point) is
    an answer, not a refusal: it reaches the caller unchanged."""
    from symconv.engine.special import convolve_special

    if kind == "correlation":
        f = f.xreplace({var: -var})
    try:
        return convolve_special(f, g, var)
    except UnsupportedInputError as other:
        if str(other) == str(err):
            raise
        raise UnsupportedInputError(f"{err}; nor is it a known special form: {other}",
                                    getattr(err, "expr", None)) from err


def _run(op, f, g, var, form, check, conditions, kind, assume, timeout=None):
    with time_limit(timeout, f"the {kind}"):
        return _run_unbounded(op, f, g, var, form, check, conditions, kind, assume)


def _run_unbounded(op, f, g, var, form, check, conditions, kind, assume):
    f, g = _validate(f, g, var, form, conditions)
    f, g, facts, rels = assumptions(assume, f, g, var)
    try:
        result = _cases(_engine(op, form), f, g, var, facts, conditions)
    except UnsupportedInputError as err:
        if getattr(err, "limit", None):  # too large, not outside the class: no slow fallback
            raise
        result = _beyond(err, f, g, var, kind)
    if result is _IMPOSSIBLE:  # pragma: no cover - the facts were checked feasible
        raise UndecidableError("no parameter values satisfy the assumptions")
    if check:
        from symconv.numeric.quadrature import verify

        check_result(result, f, g, var, kind, rels, verify)
    return result


def convolve(f, g, var, *, form="piecewise", check=False, conditions="piecewise",
             assume=None, timeout=None):
    """Exact convolution ``(f*g)(t) = ∫ f(τ) g(t - τ) dτ`` of two signals.

    Parameters
    ----------
    f, g : sympy.Expr
        Signals in ``var``: sums and products of exponential polynomials
        ``c tᵏ e^{at} cos/sin(bt)``, steps and windows (``u``, ``Heaviside``,
        ``rect``, ``tri``, ``ramp``, ``Piecewise``, ``Abs``, ``Min``, ``Max``),
        and impulses (``DiracDelta`` and its derivatives). Floats are made
        exact (``0.5 → 1/2``); prefer ``Rational``.
    var : sympy.Symbol
        The time variable.
    form : {"piecewise", "heaviside"}
        Output as a ``Piecewise`` in ``var`` (default) or as pieces times ``u``.
    check : bool
        Also run the independent numeric check :func:`symconv.verify` and raise
        :class:`~symconv.errors.VerificationError` on disagreement.
    conditions : {"piecewise", "raise"}
        When the result depends on an undecided coincidence of parameters
        (``a = b``), return a ``Piecewise`` on the parameters (default) or
        raise :class:`~symconv.errors.UndecidableError`.
    timeout : float, optional
        Stop with :class:`~symconv.errors.TimeLimitError` after this many seconds
        (default ``None``: no limit); see :func:`symconv.limits.time_limit`.

    Returns
    -------
    sympy.Expr
        The exact result, in canonical collected form (no ``simplify``).

    Raises
    ------
    UnsupportedInputError
        An input outside the supported class, naming the sub-expression.
    DivergenceError
        The integral does not converge (or convergence is undecided).
    TimeLimitError
        The computation ran past ``timeout``.

    Examples
    --------
    >>> from sympy import exp, symbols
    >>> from symconv.functions import u
    >>> t = symbols("t", real=True)
    >>> convolve(u(t), u(t), t)
    Piecewise((0, t < 0), (t, True))
    >>> a, b = symbols("a b", positive=True)
    >>> y = convolve(exp(-a*t)*u(t), exp(-b*t)*u(t), t)
    >>> y.args[0]
    (Piecewise((0, t < 0), (t*exp(-b*t), True)), Eq(a, b))
    >>> y.args[1]
    (Piecewise((0, t < 0), (exp(-b*t)/(a - b) - exp(-a*t)/(a - b), True)), True)
    """
    return _run(convolve_signals, f, g, var, form, check, conditions, "convolution", assume,
                timeout)


def correlate(f, g, var, *, form="piecewise", check=False, conditions="piecewise",
              assume=None, timeout=None):
    """Exact cross-correlation ``∫ f(τ) g(τ + t) dτ`` (no flip, no conjugate).

    Parameters and results are as for :func:`convolve`.

    Examples
    --------
    >>> from sympy import symbols
    >>> from symconv.functions import rect
    >>> t = symbols("t", real=True)
    >>> correlate(rect(t), rect(t - 2), t)
    Piecewise((0, t < 1), (t - 1, t < 2), (3 - t, t < 3), (0, True))
    """
    return _run(correlate_signals, f, g, var, form, check, conditions, "correlation", assume,
                timeout)


# re-exported for the docs
__all__ += ["derivative", "reflect", "expoly_to_sympy"]
