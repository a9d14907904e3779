"""Exact discrete convolution: closed-form sequences and finite exact lists.

``y[n] = Σ_k f[k] g[n-k]``. Closed-form sequences are canonical
:class:`~symconv.canonical.signal.Signal` objects whose pieces live on half-open integer
ranges ``[lo, hi)`` and carry :class:`~symconv.canonical.geopoly.GeoPoly` expressions
``Σ c nᵏ Bⁿ``; two pieces on ``[a, b)`` and ``[c, d)`` give a result on
``[a+c, b+d-1)`` with breakpoints ``a+d-1`` and ``b+c``, and each region's sum
has the closed form of ``Σ kᵠ rᵏ`` (the antidifference; ``r = 1`` is its own
case, Faulhaber). Finite exact lists take a fast polynomial-multiplication path
(python-flint) instead.

Examples
--------
>>> from sympy import Rational, symbols
>>> from symconv.functions import u
>>> n = symbols("n", integer=True)
>>> convolve_sequence(Rational(1, 2)**n*u(n), u(n), n)
Piecewise((0, n < 0), (2 - 1/2**n, True))
>>> convolve_finite([1, 2, 3], [1, 1])
[1, 3, 5, 3]
"""

from __future__ import annotations

from functools import partial

from sympy import (
    Abs,
    Mul,
    Piecewise,
    Symbol,
    pi,
    together,
)

from symconv.canonical.cyclotomic import CyclotomicField
from symconv.canonical.expoly import _add_term, binomial_terms
from symconv.canonical.geopoly import GeoPoly, antidifference
from symconv.canonical.order import Point, current_facts, lin_of, undecided
from symconv.canonical.powers import Powers
from symconv.canonical.rational import RQ
from symconv.canonical.signal import NEG_INF, POS_INF, Inf, Piece, Signal, is_finite
from symconv.convert.sequence_output import _value_at, _zeta_order, _ZetaOutput, sequence_to_sympy
from symconv.convert.sequences import sequence_domain, to_sequence
from symconv.convert.signals import as_expression, sweep
from symconv.engine.continuous import unit_phase
from symconv.engine.finite import convolve_finite, naive_convolution
from symconv.engine.hyperterms import convolve_hyper, is_hypergeometric_input
from symconv.engine.pairwise import accumulate_pairs
from symconv.errors import DivergenceError, UndecidableError, UnsupportedInputError
from symconv.limits import check_deadline

__all__ = [
    "convolve_finite",
    "convolve_sequence",
    "convolve_sequences",
    "correlate_sequence",
    "naive_convolution",  # re-exported from symconv.engine.finite
]

# ---------------------------------------------------------------------------
# the engine
# ---------------------------------------------------------------------------
class _SumOracle:
    """Decisions on bases: ``r = 1`` and ``|r| < 1``, exact or from assumptions."""

    def __init__(self, K, nonzero=(), powers=None, facts=None):
        self.K = K
        self.nonzero = tuple(nonzero)
        if powers is None:
            powers = Powers()
            powers.K = K
        self.powers = powers
        self.facts = facts
        self.cache = {}

    def is_one(self, r):
        K = self.K
        if r == K.one:
            return True
        if K is RQ or isinstance(K, CyclotomicField):  # equality is structural there
            return False
        hit = self.cache.get(r)
        if hit is not None:
            return hit
        if self.magnitude_vs_one(r) in (-1, 1):
            self.cache[r] = False
            return False
        zeta = self._zeta()
        if zeta is not None:  # r = ρ ζʲ is 1 only if j = 0 and ρ = 1
            if not (r - K.one).numer:
                self.cache[r] = True
                return True
            rho, j = zeta.unit_multiple(r) or (None, None)
            if j != 0:
                self.cache[r] = False
                return False
            e = together(zeta.real_expr(rho) - 1).as_numer_denom()[0]
        else:
            e = together(K.to_sympy(r) - 1).as_numer_denom()[0]
        if e.is_number:
            ans = bool(e.is_zero) if e.is_zero is not None else _numeric_zero(e)
        else:
            from symconv.engine.continuous import _UndecidedError

            for fact in self.nonzero:
                ratio = (e / fact).cancel()
                if ratio.is_number and ratio != 0:
                    self.cache[r] = False
                    return False
            if _off_the_period(K.to_sympy(r), self.facts or current_facts()):
                self.cache[r] = False
                return False
            ans = e.is_zero
            if ans is None:
                raise _UndecidedError(e)
        self.cache[r] = ans
        return ans

    def _zeta(self):
        """The helper for ``Q(ζ_m)(a, ...)`` domains (:class:`_ZetaOutput`), else ``None``."""
        if "zeta" not in self.cache:
            m = _zeta_order(self.K)
            self.cache["zeta"] = _ZetaOutput(self.K, m) if m is not None else None
        return self.cache["zeta"]

    def magnitude_vs_one(self, r):
        """-1 if |r| < 1, 1 if |r| > 1, 0 if |r| = 1, None if undecided (SymPy's
        assumptions, then the facts in force: ``assume=[a < 1]``, ``Abs(a) < 1``)."""
        K = self.K
        if K is RQ:
            a = abs(r)
            return (a > 1) - (a < 1)
        if isinstance(K, CyclotomicField):
            a2 = K.abs2(r)  # |r|², rational for a rational times a root of unity
            if a2.is_rational():
                a2 = a2.rational()
                return (a2 > 1) - (a2 < 1)
        zeta = self._zeta()
        if zeta is not None:  # |ρ ζʲ| = |ρ|, ρ real
            unit = zeta.unit_multiple(r)
            if unit is None:
                return None
            rs = zeta.real_expr(unit[0])
            m = Abs(rs) - 1
            if m.is_negative:
                return -1
            if m.is_positive:
                return 1
            return _magnitude_from_facts(rs, self.facts or current_facts())
        rs = K.to_sympy(r)
        m = Abs(rs) - 1
        if m.is_negative:
            return -1
        if m.is_positive:
            return 1
        if m.is_zero:
            return 0
        return _magnitude_from_facts(rs, self.facts or current_facts())

def _off_the_period(b, facts):
    """Do the facts put the phase ``θ`` of ``b = e^{iθ}`` strictly between two
    consecutive multiples of ``2π`` (so that ``b ≠ 1``)?  ``0 < ω < π`` does."""
    theta = unit_phase(b)
    if theta is None:
        return False
    for k in (0, -1):  # (0, 2π) and (-2π, 0)
        lo, hi = lin_of(theta - 2 * k * pi), lin_of(2 * (k + 1) * pi - theta)
        if lo is not None and hi is not None and facts.sign(lo) == 1 \
                and facts.sign(hi) == 1:
            return True
    return False


def _abs_below_one(x, facts):
    """1 if the facts prove ``|x| < 1``, -1 if they prove ``|x| > 1``, else ``None``
    (``x`` real and linear in the parameters)."""
    for e in (1 - Abs(x), Abs(x) - 1):
        lin = lin_of(e)
        if lin is not None and facts.sign(lin) == 1:
            return 1 if e == 1 - Abs(x) else -1
    lo, hi = lin_of(x + 1), lin_of(1 - x)
    if lo is None or hi is None:
        return None
    s_lo, s_hi = facts.sign(lo), facts.sign(hi)
    if s_lo == 1 and s_hi == 1:
        return 1
    if s_lo == -1 or s_hi == -1:
        return -1
    return None


def _monomial(rs):
    """``(c, {symbol: exponent})`` with ``rs = c Π symbolᵉ``, or ``None``."""
    c, rest = rs.as_coeff_Mul()
    powers = {}
    for f in Mul.make_args(rest):
        b, e = f.as_base_exp()
        if isinstance(b, Abs) and isinstance(b.args[0], Symbol):
            b = b.args[0]  # |Abs(s)ᵉ| = |s|ᵉ
        if not (isinstance(b, Symbol) and b.is_extended_real and e.is_Integer):
            return None
        powers[b] = powers.get(b, 0) + int(e)
    return c, powers


def _magnitude_from_facts(rs, facts):
    """|rs| against 1 from linear facts: ``rs`` itself linear (``a``, ``a/2``), or
    ``± Π sᵉ`` with every ``|s| < 1`` proven and the exponents of one sign."""
    if rs.is_extended_real:
        lin_hi, lin_lo = lin_of(1 - rs), lin_of(rs + 1)
        if lin_hi is not None and lin_lo is not None:
            s_hi, s_lo = facts.sign(lin_hi), facts.sign(lin_lo)
            if s_hi == 1 and s_lo == 1:
                return -1
            if s_hi == -1 or s_lo == -1:
                return 1
            if (s_hi == 0 and s_lo == 1) or (s_lo == 0 and s_hi == 1):
                return 0
    scaled = _scaled_symbol(rs)
    if scaled is not None:  # |c x^{±1}| against 1 is |x| against a bound
        x, bound, flip = scaled
        vs = _abs_against(x, bound, facts)
        return None if vs is None else -vs if flip else vs
    mono = _monomial(rs)
    if mono is None or abs(mono[0]) != 1 or not mono[1]:
        return None
    inside = {_abs_below_one(x, facts) for x in mono[1]}
    signs = {e > 0 for e in mono[1].values()}
    if inside == {1} and len(signs) == 1:
        return -1 if signs == {True} else 1
    if inside == {-1} and len(signs) == 1:
        return 1 if signs == {True} else -1
    return None


def _scaled_symbol(rs):
    """``(x, bound, flip)`` when ``rs = c x`` or ``c / x`` for one real parameter ``x`` and
    a rational ``|c| ≠ 1``: ``|rs| < 1`` is ``|x| < bound`` (``flip`` false) or
    ``|x| > bound`` (``flip`` true). ``None`` otherwise.

    >>> from sympy import Rational, symbols
    >>> b = symbols("b", positive=True)
    >>> _scaled_symbol(1 / (2 * b)), _scaled_symbol(b / 3)
    ((b, 1/2, True), (b, 3, False))
    """
    mono = _monomial(rs)
    if mono is None or len(mono[1]) != 1 or abs(mono[0]) == 1 or not mono[0].is_Rational:
        return None
    (x, e), = mono[1].items()
    if e not in (1, -1) or not x.is_extended_real:
        return None
    c = abs(mono[0])
    return (x, 1 / c, False) if e == 1 else (x, c, True)


def _abs_against(x, bound, facts):
    """Sign of ``|x| - bound`` (``bound > 0``) from the facts and ``x``'s own assumptions,
    or ``None``."""
    def sign(e):
        lin = lin_of(e)
        s = facts.sign(lin) if lin is not None else None
        return 1 if s is None and e.is_positive else s  # x positive: x + bound > 0

    inside = sign(bound - x), sign(x + bound)  # -bound < x < bound
    outside = sign(x - bound), sign(-x - bound)
    if inside == (1, 1):
        return -1
    if 1 in outside:
        return 1
    if 0 in outside and 1 in inside:
        return 0
    return None


def _convergence_condition(rs, want):
    """The readable condition ``|rs| < 1`` (``want < 0``) or ``> 1``, in terms of the
    parameter itself when ``rs = ± sᵉ`` or ``c x^{±1}``."""
    scaled = _scaled_symbol(rs)
    if scaled is not None:
        x, bound, flip = scaled
        return Abs(x) < bound if (want < 0) != flip else Abs(x) > bound
    mono = _monomial(rs)
    if mono is not None and abs(mono[0]) == 1 and len(mono[1]) == 1:
        (x, e), = mono[1].items()
        inside = (e > 0) == (want < 0)
        return Abs(x) < 1 if inside else Abs(x) > 1
    return Abs(rs) < 1 if want < 0 else Abs(rs) > 1


def _convergence_split(rs, want, facts):
    """The order question whose answer decides ``|rs|`` against 1 (``rs - 1`` or
    ``rs + 1`` for a linear real ``rs``), as an error for the case driver, or ``None``."""
    bound = 1
    mono = _monomial(rs)
    scaled = _scaled_symbol(rs)
    if scaled is not None:
        rs, bound, _flip = scaled  # |c x^{±1}| against 1 is |x| against a bound
    elif mono is not None and abs(mono[0]) == 1 and len(mono[1]) == 1:
        rs = next(iter(mono[1]))  # |±sᵉ| against 1 is |s| against 1
    if not rs.is_extended_real:
        return None
    for e in (rs - bound, rs + bound):
        lin = lin_of(e)
        if lin is None or not all(isinstance(a, Symbol) for a, _q in lin[1]):
            return None
        if facts.sign(lin) is None:
            return undecided(lin)
    return None


def _numeric_zero(e):
    return abs(complex(e.evalf(50))) < 1e-40


def _sum_groups(F, G, K):
    """``F(k) G(n-k)`` as ``{(q, r): P(n)}``, ``r = B_f / B_g``."""
    groups = {}
    for (j, b1), c1 in F.terms.items():
        check_deadline()
        for (m, b2), c2 in G.terms.items():
            r = b1 / b2
            c = c1 * c2
            for ell, coeff in binomial_terms(K, m, c):
                _add_term(groups.setdefault((j + ell, r), {}), (m - ell, b2), coeff)
    return {g: GeoPoly(K, tp) for g, tp in groups.items() if tp}


class _PairSum:
    def __init__(self, fp, gp, oracle, cache):
        self.fp, self.gp = fp, gp
        self.oracle = oracle
        self.anti = cache
        self.groups = _sum_groups(fp.expr, gp.expr, oracle.K)
        self.values = {}

    def antidifference(self, q, r):
        key = (q, r)
        a = self.anti.get(key)
        if a is None:
            a = antidifference(self.oracle.K, q, r, self.oracle.is_one(r))
            self.anti[key] = a
        return a

    def check_convergence(self, end):
        for (q, r), _P in self.groups.items():
            rel = self.oracle.magnitude_vs_one(r)
            want = -1 if end.sign > 0 else 1
            if rel == want:
                continue
            zeta = self.oracle._zeta()
            unit = zeta.unit_multiple(r) if zeta is not None else None
            rs = zeta.real_expr(unit[0]) if unit is not None else self.oracle.K.to_sympy(r)
            where = "+oo" if end.sign > 0 else "-oo"
            k = Symbol("k")
            if rel is None:
                cond = _convergence_condition(rs, want)
                err = DivergenceError(
                    f"the sum converges only if {cond} (the tail {k**q * rs**k} "
                    f"as {k} -> {where}), which the assumptions do not decide; declare it, "
                    f"e.g. assume=[{cond}]",
                    cond,
                )
                split = _convergence_split(rs, want, self.oracle.facts or current_facts())
                if split is None:
                    raise err
                split.divergence = err
                raise split
            raise DivergenceError(
                f"the sum diverges: its terms {k**q * rs**k} do not decay as "
                f"{k} -> {where}"
            )

    def at_limit(self, kind, x):
        key = (kind, x)
        w = self.values.get(key)
        if w is not None:
            return w
        K = self.oracle.K
        if isinstance(x, Inf):
            w = GeoPoly.zero(K)
        elif kind == "const":
            powers = self.oracle.powers
            symbolic = isinstance(x, Point)
            xk = powers.element(x) if symbolic else K.convert(int(x))
            out = GeoPoly.zero(K)
            for (q, r), P in self.groups.items():
                check_deadline()
                val = K.zero
                for power, coeff in self.antidifference(q, r):
                    val += coeff * (xk**power if power else K.one)
                if not val:
                    continue
                out = out + P.scale(val * powers.power(r, x))
            w = out
        else:
            powers = self.oracle.powers
            out = GeoPoly.zero(K)
            for (q, r), P in self.groups.items():
                check_deadline()
                A = GeoPoly(K, {(p, r): c for p, c in self.antidifference(q, r)})
                if isinstance(x, Point):
                    A = A.shift_by(powers.element(x), partial(powers.power, x=-x))
                else:
                    A = A.shift(int(x))
                out = out + P * A
            w = out
        self.values[key] = w
        return w


def _pair_regions(fp, gp):
    """Regions of ``Σ_k f[k] g[n-k]`` for pieces ``[a, b)`` and ``[c, d)``."""
    a, b, c, d = fp.lo, fp.hi, gp.lo, gp.hi
    one = RQ.one
    lo_s = a + c
    hi_s = b + d - one if is_finite(b + d) else b + d
    a_d = None if (isinstance(a, Inf) and isinstance(d, Inf)) else a + d - one
    b_c = None if (isinstance(b, Inf) and isinstance(c, Inf)) else b + c
    cuts = []  # a list: the order of (symbolic) comparisons must not depend on hashes
    for x in (a_d, b_c):
        if x is not None and is_finite(x) and x not in cuts and lo_s < x < hi_s:
            cuts.append(x)
    bounds = [lo_s, *sorted(cuts), hi_s]
    out = []
    for p, q in zip(bounds, bounds[1:], strict=False):
        if not p < q:
            continue
        if a_d is None:
            lower = ("const", NEG_INF)
        elif isinstance(a, Inf):
            lower = ("shift", d - one)
        elif isinstance(d, Inf):
            lower = ("const", a)
        else:
            lower = ("shift", d - one) if p >= a_d else ("const", a)
        if b_c is None:
            upper = ("const", POS_INF)
        elif isinstance(b, Inf):
            upper = ("shift", c - one)
        elif isinstance(c, Inf):
            upper = ("const", b)
        else:
            upper = ("shift", c - one) if q <= b_c else ("const", b)
        out.append((p, q, lower, upper))
    return out


def convolve_sequences(F, G, oracle=None):
    """Convolution of two canonical sequences over the same domain."""
    K = F.K
    oracle = _SumOracle(K) if oracle is None else oracle
    cache = {}
    events, base = accumulate_pairs(
        F, G, lambda fp, gp: _PairSum(fp, gp, oracle, cache), _pair_regions)
    return Signal.from_pieces(K, sweep(K, events, base, GeoPoly))


def reflect_sequence(s):
    """``s[-n]``: ``[lo, hi)`` becomes ``[1 - hi, 1 - lo)``."""
    one = RQ.one
    return Signal.from_pieces(
        s.K, [Piece(one - p.hi, one - p.lo, p.expr.reflect()) for p in s.pieces]
    )


# ---------------------------------------------------------------------------
# public closed-form entry points
# ---------------------------------------------------------------------------
def _check_var(var):
    if not isinstance(var, Symbol):
        raise UnsupportedInputError(f"the variable must be a SymPy Symbol, got {var!r}")
    if var.is_extended_positive or var.is_extended_negative or var.is_extended_nonnegative \
            or var.is_extended_nonpositive:
        raise UnsupportedInputError(
            f"the index {var} carries a sign assumption; declare it as "
            f"symbols('{var}', integer=True): with a sign assumption SymPy rewrites u({var}) "
            "to 1 before symconv sees it"
        )


def _compute(op, f, g, var, nonzero, facts=None):
    K, powers = sequence_domain([f, g], var)
    F = to_sequence(f, var, K, powers)
    G = to_sequence(g, var, K, powers)
    out = op(F, G, _SumOracle(K, nonzero, powers, facts))
    return sequence_to_sympy(out, var, powers)


def _convolve_op(F, G, oracle):
    return convolve_sequences(F, G, oracle)


def _correlate_op(F, G, oracle):
    return convolve_sequences(reflect_sequence(F), G, oracle)


def _run(op, kind, f, g, var, conditions, assume, check):
    from symconv.engine.continuous import (
        _CONDITIONS,
        _IMPOSSIBLE,
        _cases,
        assumptions,
        check_result,
    )

    _check_var(var)
    if conditions not in _CONDITIONS:
        raise UnsupportedInputError(
            f"conditions={conditions!r} is not accepted; use one of {_CONDITIONS}")
    f, g = as_expression(f, "f"), as_expression(g, "g")
    f, g, facts, rels = assumptions(assume, f, g, var)
    if is_hypergeometric_input(f, g, var):  # factorials, binomials: generating functions
        result = convolve_hyper(f, g, var, kind=kind).value
        if check:
            from symconv.numeric.sequences import verify_sequence

            check_result(result, f, g, var, kind, rels, verify_sequence)
        return result

    def compute(a, b, v, fa):
        if not fa.feasible():
            return _IMPOSSIBLE
        return _compute(op, a, b, v, fa.nonzero, fa)

    result = _cases(compute, f, g, var, facts, conditions,
                    merge=lambda a, b: _same_sequence(a, b, var))
    if result is _IMPOSSIBLE:  # pragma: no cover - the facts were checked feasible
        raise UndecidableError("no parameter values satisfy the assumptions")
    if check:
        from symconv.numeric.sequences import verify_sequence

        check_result(result, f, g, var, kind, rels, verify_sequence)
    return result


def _same_sequence(a, b, var):
    """Are the results ``a`` and ``b`` (Piecewise in ``var``) the same sequence?  Decided
    exactly on their canonical forms; ``False`` when that cannot be decided."""
    from symconv.errors import SymconvError

    if a == b:
        return True
    if any(isinstance(x, Piecewise) and not x.args[0][1].has(var) for x in (a, b)):
        return False  # a case tree on the parameters: not compared
    try:
        K, powers = sequence_domain([a, b], var)
        A, B = (to_sequence(x, var, K, powers) for x in (a, b))
        cuts = []
        for p in A.pieces + B.pieces:
            for x in (p.lo, p.hi):
                if is_finite(x) and x not in cuts:
                    cuts.append(x)
        bounds = [NEG_INF, *sorted(cuts), POS_INF]
        for lo, hi in zip(bounds, bounds[1:], strict=False):
            ea, eb = _expr_on(A, lo, hi), _expr_on(B, lo, hi)
            if ea == eb:
                continue
            length = hi - lo if is_finite(lo) and is_finite(hi) else None
            if length is None or isinstance(length, Point) or length > 64:
                return False
            zero = GeoPoly.zero(K)
            if any(_value_at(ea or zero, lo + j, powers) != _value_at(eb or zero, lo + j, powers)
                   for j in range(int(length))):
                return False
        return True
    except (SymconvError, TypeError):
        return False


def _expr_on(seq, lo, hi):
    """The expression of ``seq`` on ``[lo, hi)`` (inside one of its pieces or a gap)."""
    for p in seq.pieces:
        if p.lo <= lo and hi <= p.hi:
            return p.expr
    return None


def convolve_sequence(f, g, var, *, conditions="piecewise", assume=None, check=False):
    """Closed-form ``y[n] = Σ_k f[k] g[n-k]`` for sequences in the integer symbol ``var``.

    ``u(n)`` is the discrete step (``u[0] = 1``), ``KroneckerDelta(n, k)`` and
    ``delta(n)`` the discrete impulse; pieces ``c nᵏ aⁿ {1, cos ωn, sin ωn}`` on
    integer ranges whose ends may be integer parameters (``u(n) - u(n - N)`` with
    ``N = symbols("N", integer=True, positive=True)``). Coinciding bases (``a = b``)
    and undecided orders of the ends (``N < M``, ``N = M``, ``N > M``) become a
    ``Piecewise`` on the parameters; ``assume=`` states relations between them
    (``[a > 0, a < 1]``, ``Abs(a) < 1``, ``N < M``). Infinite sums need ``|r| < 1``
    (proven, or :class:`~symconv.errors.DivergenceError` naming the condition);
    ``check=True`` also sums directly (:func:`symconv.numeric.sequences.verify_sequence`).

    >>> from sympy import symbols
    >>> from symconv.functions import u
    >>> n = symbols("n", integer=True)
    >>> convolve_sequence(u(n) - u(n - 2), u(n) - u(n - 3), n)
    Piecewise((0, n < 0), (n + 1, n < 2), (4 - n, n < 4), (0, True))
    >>> N = symbols("N", integer=True, positive=True)
    >>> convolve_sequence(u(n) - u(n - N), u(n), n)
    Piecewise((0, n < 0), (n + 1, n < N), (N, True))
    """
    return _run(_convolve_op, "convolution", f, g, var, conditions, assume, check)


def correlate_sequence(f, g, var, *, conditions="piecewise", assume=None, check=False):
    """Closed-form cross-correlation ``Σ_k f[k] g[k + n]``; options as for
    :func:`convolve_sequence`.

    >>> from sympy import Abs, symbols
    >>> from symconv.functions import u
    >>> n = symbols("n", integer=True)
    >>> correlate_sequence(u(n) - u(n - 2), u(n) - u(n - 2), n)
    Piecewise((0, n < -1), (1, n < 0), (2 - n, n < 2), (0, True))
    >>> a = symbols("a", positive=True)
    >>> correlate_sequence(a**n*u(n), a**n*u(n), n, assume=[a < 1])
    a**Abs(n)/(1 - a**2)
    """
    return _run(_correlate_op, "correlation", f, g, var, conditions, assume, check)
