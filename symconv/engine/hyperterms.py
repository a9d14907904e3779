"""Sequence convolution of hypergeometric terms by ordinary generating functions.

A *hypergeometric term* ``s[n]`` has a rational ratio ``s[n+1]/s[n]`` in ``n``:
``λⁿ/n!``, ``C(m, n) pⁿ (1-p)^{m-n}``, ``C(n-1, r-1) pʳ (1-p)^{n-r}``, ``aⁿ``,
products with ``RisingFactorial``, ``FallingFactorial`` and ``gamma`` of integer-linear
arguments, times a polynomial ``P(n)``. On ``[lo, ∞)`` its ordinary generating function
``Σ s[n] zⁿ`` is, for the textbook class, an *atom* ``c · z^s · e^{αz} · (1 - βz)^μ``:

1. **One series.** The ratio is factored into ``C (n + a) / (n + b)`` (or ``C / (n + b)``,
   or ``C``). Starting the series at ``L = 1 - b`` gives ``Σ_j (L+a)_j/j! (Cz)^j =
   (1 - Cz)^{-(L+a)}`` (or ``e^{Cz}``, or ``1/(1 - Cz)``); a concrete offset between ``L``
   and the support's start adds or removes finitely many monomials. A polynomial factor
   ``P(n)`` is the operator ``P(z d/dz)``. A finite concrete range is its exact values.
2. **Product.** ``f * g`` is bilinear: the OGFs of every pair of terms multiply, equal
   factors merge (``e^{αz}e^{βz} = e^{(α+β)z}``, ``(1-βz)^{μ}(1-βz)^{ν} = (1-βz)^{μ+ν}``).
3. **Coefficient.** ``[zⁿ]`` of an atom with one factor is a hypergeometric term
   (``αᴺ/N!``, ``C(μ, N)(-β)ᴺ``, ``C(N-μ-1, -μ-1)βᴺ``, ``N = n - s``). With two factors
   there is no closed hypergeometric form: ``e^{αz}/(1-βz)`` gives the incomplete gamma
   form ``βᴺ e^{α/β} Γ(N+1, α/β)/N!``; any other pair a finite ``Sum`` over ``k = 0..N``
   of the factors' coefficients. A pair of terms outside the class gives the defining sum
   ``Σ_k f[k] g[n-k]`` itself, which is finite because both supports start somewhere.

Every ``Sum`` in a result is finite and exact (``.doit()`` at a concrete ``n``);
:func:`convolve_hyper` says which parts are closed (``HyperResult.closed``,
``HyperResult.notes``).

Examples
--------
>>> from sympy import exp, factorial, symbols
>>> from symconv.functions import u
>>> n = symbols("n", integer=True)
>>> l, m = symbols("lambda mu", positive=True)
>>> convolve_hyper(l**n*exp(-l)/factorial(n)*u(n), m**n*exp(-m)/factorial(n)*u(n), n).value
Piecewise((0, n < 0), ((lambda + mu)**n*exp(-lambda - mu)/factorial(n), True))
>>> r = convolve_hyper(l**n*exp(-l)/factorial(n)*u(n), u(n), n)
>>> r.value
Piecewise((0, n < 0), (uppergamma(n + 1, lambda)/factorial(n), True))
>>> r.closed, r.notes[0]
(False, 'exp(lambda*z)/(1 - z): no closed hypergeometric form; incomplete gamma')
"""

from __future__ import annotations

from dataclasses import dataclass

from sympy import (
    Add,
    Basic,
    DiracDelta,
    Eq,
    FallingFactorial,
    Heaviside,
    KroneckerDelta,
    Max,
    Min,
    Mul,
    Piecewise,
    Poly,
    RisingFactorial,
    S,
    Sum,
    Symbol,
    binomial,
    cancel,
    exp,
    expand,
    expand_power_base,
    factorial,
    gamma,
    hypersimp,
    nan,
    oo,
    powsimp,
    sympify,
    together,
    uppergamma,
    zoo,
)
from sympy import And as SAnd
from sympy.polys.polyerrors import PolynomialError

from symconv.convert.exact import exact
from symconv.errors import UnsupportedInputError
from symconv.functions import u
from symconv.limits import check_deadline

__all__ = ["HyperResult", "convolve_hyper", "generating_functions", "is_hypergeometric_input"]

_HYPER = (factorial, binomial, gamma, RisingFactorial, FallingFactorial)
_EXPAND_LIMIT = 64  # concrete finite ranges up to this length become exact values
_MAX_DEGREE = 8  # polynomial factors P(n): the operator P(z d/dz)


def is_hypergeometric_input(f, g, var):
    """Whether ``f`` or ``g`` has a factorial, binomial, gamma or rising/falling factorial
    of ``var`` (the sequences this module handles).

    >>> from sympy import factorial, symbols
    >>> n = symbols("n", integer=True)
    >>> is_hypergeometric_input(1/factorial(n), 1, n), is_hypergeometric_input(n, n, n)
    (True, False)
    """
    return any(isinstance(e, _HYPER) and e.has(var)
               for x in (f, g) if isinstance(x, Basic) for e in x.atoms(*_HYPER))


@dataclass(frozen=True, slots=True)
class HyperResult:
    """The exact result, whether it is closed, and what is not.

    ``value`` is a SymPy expression in ``n``. ``closed`` is ``True`` when every part is a
    closed hypergeometric term; otherwise ``notes`` say which parts are an incomplete gamma
    form or a finite ``Sum`` (exact: ``.doit()`` at a concrete ``n``).
    """

    value: object
    closed: bool
    notes: tuple = ()


# ---------------------------------------------------------------------------
# terms: coef · P(n) · H(n) on lo <= n <= hi
# ---------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Term:
    coef: object  # free of n
    poly: object  # polynomial in n
    hyper: object  # the hypergeometric part
    lo: object
    hi: object  # oo, or an expression (lo == hi: a single point)

    def at(self, n, x):
        """The value at ``n = x`` (no support test)."""
        return self.coef * (self.poly * self.hyper).subs(n, x)


def _refuse(msg, expr=None):
    raise UnsupportedInputError(msg, expr)


def _linear(x, n):
    try:
        p = Poly(x, n)
    except PolynomialError:
        return None
    if p.degree() > 1 or any(c.has(n) for c in p.all_coeffs()):
        return None
    return p.coeff_monomial(n), p.coeff_monomial(1)


def _step_bound(x, h0, n, term):
    """``(kind, bound, weight_at_zero)`` for a step of argument ``x`` (``x ≥ 0``)."""
    lin = _linear(x, n)
    if lin is None or lin[0] == 0:
        _refuse(f"the step argument {x} must be linear in the index {n}", term)
    a, b = lin
    if a not in (1, -1):
        _refuse(f"the step argument {x} must be ±{n} + c (an integer shift of the index)", term)
    return ("lo", -b * a) if a == 1 else ("hi", b), h0


def _pick(bounds, lower, term):
    best = None
    for b in bounds:
        if best is None:
            best = b
            continue
        d = b - best
        if d.is_nonnegative if lower else d.is_nonpositive:
            best = b
        elif not (d.is_nonpositive if lower else d.is_nonnegative):
            _refuse(f"cannot decide which of the bounds {best} and {b} of n comes first; "
                    "declare the symbols' signs", term)
    return best


def _natural_lower(h, n):
    """Lower bounds where ``h`` vanishes below naturally (``1/k!``, ``C(m, k)``)."""
    out = []
    for f in Mul.make_args(h):
        base, e = f.as_base_exp()
        if isinstance(base, (factorial, gamma)) and e.is_negative:
            lin = _linear(base.args[0], n)
            if lin and lin[0] == 1:
                out.append(-lin[1] + (1 if isinstance(base, gamma) else 0))
        elif isinstance(f, binomial) and not f.args[0].has(n):
            lin = _linear(f.args[1], n)
            if lin and lin[0] == 1:
                out.append(-lin[1])
    return out


def _natural_upper(h, n):
    """Upper bounds where ``h`` vanishes above naturally (``C(m, k)``, ``m ≥ 0`` an
    integer)."""
    out = []
    for f in Mul.make_args(h):
        if isinstance(f, binomial) and not f.args[0].has(n) and f.args[0].is_integer \
                and f.args[0].is_nonnegative:
            lin = _linear(f.args[1], n)
            if lin and lin[0] == 1:
                out.append(f.args[0] - lin[1])
    return out


def _terms(expr, n):
    """The terms of ``expr``, each with its range of ``n``."""
    out = []
    for term in Add.make_args(expand(expr, power_exp=False, log=False, multinomial=False)):
        check_deadline()
        coef, poly, hyper, lows, highs, points = S.One, S.One, S.One, [], [], []
        for fac in Mul.make_args(term):
            if fac.is_Pow and isinstance(fac.base, (Heaviside, u)) and fac.exp.is_Integer \
                    and fac.exp > 0:
                fac = fac.base  # u(x)^k = u(x)
            if not fac.has(n):
                coef *= fac
            elif isinstance(fac, (Heaviside, u)):
                h0 = S.One if isinstance(fac, u) else (fac.args[1] if len(fac.args) > 1
                                                     else S.Half)
                (kind, b), h0 = _step_bound(fac.args[0], h0, n, term)
                (lows if kind == "lo" else highs).append(b)
                if h0 != 1:
                    points.append((kind, b, h0))
            elif isinstance(fac, (KroneckerDelta, DiracDelta)):
                arg = fac.args[0] - fac.args[1] if isinstance(fac, KroneckerDelta) else fac.args[0]
                lin = _linear(arg, n)
                if lin is None or lin[0] not in (1, -1) or (
                        isinstance(fac, DiracDelta) and len(fac.args) > 1):
                    _refuse(f"the impulse {fac} must be at n = c", term)
                lows.append(-lin[1] / lin[0])
                highs.append(-lin[1] / lin[0])
            elif fac.is_polynomial(n) and not fac.atoms(*_HYPER):
                poly *= fac
            else:
                hyper *= fac
        lows += _natural_lower(hyper, n)
        if not lows:
            _refuse(f"the sequence term {term} has no lower end: the convolution of "
                    f"hypergeometric terms needs every term to start somewhere, e.g. times "
                    f"u({n})", term)
        lo = _pick(lows, True, term)
        highs += _natural_upper(hyper, n)
        hi = _pick(highs, False, term) if highs else oo
        if (hi - lo).is_negative:
            continue  # an empty range (a window past the natural end of C(m, n))
        base = _Term(coef, poly, hyper, lo, hi)
        out.append(base)
        for kind, b, h0 in points:  # a step with value h0 at 0: move (h0 - 1)·s[b] over
            if (kind == "lo" and b == lo) or (kind == "hi" and b == hi):
                out.append(_Term(coef * (h0 - 1), poly, hyper, b, b))
            else:
                _refuse(f"a step with value {h0} at 0 inside the support is not supported; "
                        f"use u(...) or Heaviside(x, 1)", term)
    return out


# ---------------------------------------------------------------------------
# generating functions: atoms c · z^s · e^{αz} · Π (1 - βz)^μ
# ---------------------------------------------------------------------------
def _key(s, alpha, betas):
    return (s, alpha, tuple(sorted(((b, m) for b, m in betas.items() if m != 0),
                                   key=lambda bm: str(bm[0]))))


def _add_atom(atoms, coef, s, alpha, betas):
    if coef == 0:
        return
    k = _key(cancel(s), cancel(alpha), {cancel(b): m for b, m in betas.items()})
    atoms[k] = atoms.get(k, S.Zero) + coef


def _theta(atoms):
    """``z d/dz`` of a sum of atoms."""
    out = {}
    for (s, alpha, betas), c in atoms.items():
        bd = dict(betas)
        _add_atom(out, c * s, s, alpha, bd)
        if alpha != 0:
            _add_atom(out, c * alpha, s + 1, alpha, bd)
        for b, m in betas:
            b2 = dict(bd)
            b2[b] = m - 1
            _add_atom(out, -c * m * b, s + 1, alpha, b2)
    return {k: cancel(v) if not v.has(exp) else v for k, v in out.items() if v != 0}


def _finite_value(v):
    return not v.has(zoo, nan, oo, -oo)


def _tidy(v):
    from sympy import gammasimp

    return gammasimp(v) if v.atoms(*_HYPER) else v


def _monomials(term, n, lo, hi, atoms, sign=1):
    """Exact values on the concrete range ``lo..hi`` (inclusive) as monomials."""
    d = hi - lo
    if not d.is_Integer or d > _EXPAND_LIMIT:
        return False
    for i in range(int(d) + 1):
        check_deadline()
        v = _tidy(term.at(n, lo + i))
        if not _finite_value(v):
            _refuse(f"the sequence {term.coef * term.poly * term.hyper} is not defined at "
                    f"n = {lo + i}")
        _add_atom(atoms, sign * v, lo + i, S.Zero, {})
    return True


def _ratio_factors(hyper, n):
    """``(C, [a...], [b...])`` with ``h(n+1)/h(n) = C Π(n + a) / Π(n + b)``, or ``None``."""
    ratio = S.One if hyper == 1 else hypersimp(hyper, n)
    if ratio is None:
        return None
    num, den = together(ratio).as_numer_denom()
    C = S.One
    roots = ([], [])
    for side, e in enumerate((num, den)):
        c, facs = Poly(e, n).factor_list()
        C = C * c if side == 0 else C / c
        for fp, mult in facs:
            if fp.degree() != 1:
                return None
            a1, a0 = fp.all_coeffs()
            C = C * a1**mult if side == 0 else C / a1**mult
            roots[side].extend([cancel(a0 / a1)] * mult)
    nums, dens = list(roots[0]), []
    for b in roots[1]:
        if b in nums:
            nums.remove(b)
        else:
            dens.append(b)
    return cancel(C), nums, dens


def _series_atoms(term, n, values):
    """The OGF of one term (polynomial part not yet applied), or ``None`` outside the
    class. A finite concrete range becomes its exact values when ``values`` is set, or
    when it has no series form."""
    hyper = term.hyper
    one = _Term(term.coef, S.One, hyper, term.lo, term.hi)
    if term.hi != oo and (values or term.lo == term.hi):
        atoms = {}
        if _monomials(one, n, term.lo, term.hi, atoms):
            return atoms
    atoms = _series(term, one, n)
    if atoms is None and term.hi != oo:
        atoms = {}
        if not _monomials(one, n, term.lo, term.hi, atoms):
            return None
    return atoms


def _series(term, one, n):
    atoms = {}
    hyper = term.hyper
    rf = _ratio_factors(hyper, n)
    if rf is None:
        _refuse(f"{hyper} is not a hypergeometric term in {n} (its ratio h({n}+1)/h({n}) "
                "is not rational), nor a step, impulse or polynomial factor")
    C, nums, dens = rf
    if len(dens) > 1 or len(nums) > len(dens):
        return None
    if term.hi != oo:
        top = (C * Mul(*[term.hi + a for a in nums]))
        if not (nums and cancel(top) == 0):
            return None  # a finite symbolic range that does not end naturally: no atom
    L = term.lo if not dens else 1 - dens[0]
    start = _tidy(term.coef * hyper.subs(n, L))
    if not _finite_value(start) or start == 0:
        return None
    if not dens:
        _add_atom(atoms, start, L, S.Zero, {C: S.NegativeOne})
    elif not nums:
        _add_atom(atoms, start, L, C, {})
    else:
        _add_atom(atoms, start, L, S.Zero, {C: -(L + nums[0])})
    d = cancel(term.lo - L)
    if d != 0:  # a concrete offset: finitely many monomials in or out
        if not d.is_Integer or abs(d) > _EXPAND_LIMIT:
            return None
        if d > 0:
            _monomials(one, n, L, term.lo - 1, atoms, sign=-1)
        else:
            _monomials(one, n, term.lo, L - 1, atoms)
    return atoms


def _ogf(term, n, values=False):
    """The atoms of ``coef · P(n) · H(n)``, or ``None``."""
    base = _series_atoms(term, n, values)
    if base is None:
        return None
    poly = Poly(term.poly, n)
    if poly.degree() > _MAX_DEGREE:
        _refuse(f"the polynomial factor {term.poly} has degree above {_MAX_DEGREE}")
    total, power = {}, base
    for k in range(poly.degree() + 1):
        check_deadline()
        c = poly.coeff_monomial(n**k)
        if c != 0:
            for key, v in power.items():
                total[key] = total.get(key, S.Zero) + c * v
        if k < poly.degree():
            power = _theta(power)
    return {k: v for k, v in total.items() if v != 0}


def _product(A, B, out):
    for (s1, a1, b1), c1 in A.items():
        for (s2, a2, b2), c2 in B.items():
            check_deadline()
            betas = dict(b1)
            for b, m in b2:
                betas[b] = betas.get(b, S.Zero) + m
            _add_atom(out, c1 * c2, s1 + s2, a1 + a2, betas)


# ---------------------------------------------------------------------------
# coefficient extraction
# ---------------------------------------------------------------------------
def _negative_looking(e):
    """``1 - p`` is positive-looking, ``p - 1`` and ``-p`` are not."""
    c = e.as_coeff_Add()[0]
    return bool(c.is_negative) or (c == 0 and e.could_extract_minus_sign())


def _power(base, N):
    """``base^N`` for an integer ``N``, split over a quotient so that powers combine."""
    num, den = together(base).as_numer_denom()
    sign = S.One
    if _negative_looking(num):
        num, sign = -num, -sign
    if _negative_looking(den):
        den, sign = -den, -sign
    out = expand_power_base(num**N, force=True) / expand_power_base(den**N, force=True)
    return out if sign == 1 else S.NegativeOne**N * out


def _one_factor(kind, value, mu, N):
    """``[z^N]`` of ``e^{value z}`` (kind ``"e"``) or ``(1 - value z)^mu``."""
    if kind == "e":
        return _power(value, N) / factorial(N)
    if mu.is_integer and mu.is_nonnegative:
        return binomial(mu, N) * _power(-value, N)
    if mu.is_integer and mu.is_negative:
        return binomial(N - mu - 1, -mu - 1) * _power(value, N)
    return binomial(N - mu - 1, N) * _power(value, N)


def _coefficient(alpha, betas, N, notes, label):
    """``[z^N] e^{αz} Π(1 - βz)^μ`` for an integer ``N >= 0``."""
    factors = ([("e", alpha, None)] if alpha != 0 else []) + [("b", b, m) for b, m in betas]
    if not factors:
        return KroneckerDelta(N, 0)
    if len(factors) == 1:
        return _one_factor(*factors[0], N)
    if len(factors) == 2 and alpha != 0 and factors[1][2] == -1:
        beta = factors[1][1]
        x = cancel(alpha / beta)
        notes.append(f"{label}: no closed hypergeometric form; incomplete gamma")
        return _power(beta, N) * exp(x) * uppergamma(N + 1, x) / factorial(N)
    notes.append(f"{label}: no closed hypergeometric form; finite sum")
    k = Symbol(f"k{len(factors)}", integer=True, nonnegative=True)
    first = _one_factor(*factors[0], k)
    rest = _coefficient(S.Zero if factors[0][0] == "e" else alpha,
                        [(b, m) for b, m in betas if factors[0][0] == "e" or b != factors[0][1]],
                        N - k, [], label)
    return Sum(first * rest, (k, 0, N))


def _label(alpha, betas):
    from sympy import Symbol as Sym

    z = Sym("z")
    return str(Mul(exp(alpha * z), *[(1 - b * z) ** m for b, m in betas]))


def _assemble(parts, n):
    """``[(s, expr valid for n >= s)]`` as one expression, zero before each ``s``."""
    groups = {}
    for s, e in parts:
        groups[s] = groups.get(s, S.Zero) + e
    points = {s: e.subs(KroneckerDelta(0, n - s), 1) for s, e in groups.items()
              if s.is_Integer and e.has(KroneckerDelta(0, n - s))}
    if len(points) == len(groups) and not any(e.has(n) for e in points.values()):
        # finitely many values
        return Piecewise(*[(v, Eq(n, s)) for s, v in sorted(points.items())], (S.Zero, True))
    starts = sorted(groups, key=lambda x: (str(x)))
    if all((a - starts[0]).is_Integer for a in starts):
        s0 = starts[0]
        starts.sort(key=lambda x: int(x - s0))
        args, acc = [(S.Zero, n < starts[0])], S.Zero
        for i, s in enumerate(starts):
            acc += groups[s]
            cond = n < starts[i + 1] if i + 1 < len(starts) else S.true
            args.append((acc, cond))
        return Piecewise(*args)
    return Add(*[Piecewise((S.Zero, n < s), (groups[s], True)) for s in starts])


def _pair_sum(tf, tg, n, kind):
    """The defining sum of one pair of terms, finite; ``None`` when it is infinite."""
    k = Symbol("k", integer=True)
    if kind == "convolution":
        lo, hi = Max(tf.lo, n - tg.hi), Min(tf.hi, n - tg.lo)
        summand = tf.at(n, k) * tg.at(n, n - k)
        cond = SAnd(n >= tf.lo + tg.lo, n <= tf.hi + tg.hi)
    else:
        lo, hi = Max(tf.lo, tg.lo - n), Min(tf.hi, tg.hi - n)
        summand = tf.at(n, k) * tg.at(n, n + k)
        cond = SAnd(n >= tg.lo - tf.hi, n <= tg.hi - tf.lo)
    if hi in (oo, -oo) or lo in (oo, -oo):
        return None
    return Piecewise((Sum(summand, (k, lo, hi)), cond), (S.Zero, True))


def _flip(atoms):
    return {(-s, a, b): c for (s, a, b), c in atoms.items()}


def convolve_hyper(f, g, n, *, kind="convolution"):
    """``Σ_k f[k] g[n-k]`` (or ``Σ_k f[k] g[k+n]``) for hypergeometric sequence terms.

    Parameters
    ----------
    f, g : sympy.Expr
        Sums of terms ``c · P(n) · h(n) · steps`` where ``h`` is a hypergeometric term
        (factorials, binomials, gamma, rising/falling factorials, ``aⁿ``) and the steps
        ``u(±n + c)`` (or ``Heaviside``) bound the range; ``C(m, n)`` and ``1/n!`` vanish
        below 0 by themselves. Every term needs a lower end.
    n : sympy.Symbol
        The integer index.
    kind : {"convolution", "correlation"}

    Returns
    -------
    HyperResult

    Raises
    ------
    UnsupportedInputError
        A term without a lower end, a non-hypergeometric factor, or a correlation whose
        defining sum is infinite.

    Examples
    --------
    >>> from sympy import binomial, symbols
    >>> from symconv.functions import u
    >>> n = symbols("n", integer=True)
    >>> p = symbols("p", positive=True)
    >>> def b(m):
    ...     return binomial(m, n)*p**n*(1 - p)**(m - n)
    >>> convolve_hyper(b(3), b(4), n).value
    Piecewise((0, n < 0), (p**n*(1 - p)**(7 - n)*binomial(7, n), True))
    """
    if kind not in ("convolution", "correlation"):
        raise UnsupportedInputError(f"kind={kind!r}: use 'convolution' or 'correlation'")
    if not isinstance(n, Symbol) or not n.is_integer:
        raise UnsupportedInputError(f"the index must be an integer Symbol, got {n!r}")
    f, g = exact(sympify(f, strict=True)), exact(sympify(g, strict=True))
    F, G = _terms(f, n), _terms(g, n)
    atoms, flipped, sums, notes = {}, {}, [], []
    corr = kind == "correlation"  # finite ranges as values: their flips are Laurent
    for tf in F:
        A = _ogf(tf, n, corr)
        for tg in G:
            B = _ogf(tg, n, corr)
            if A is not None and B is not None:
                if kind == "convolution":
                    _product(A, B, atoms)
                    continue
                if _is_finite(A):  # Σ_i a_i g[i + n]: the OGF Σ a_i z^{-i} G(z)
                    _product(_flip(A), B, atoms)
                    continue
                if _is_finite(B):  # Σ_j b_j f[j - n] = d[-n], d's OGF Σ b_j z^{-j} F(z)
                    _product(A, _flip(B), flipped)
                    continue
            s = _pair_sum(tf, tg, n, kind)
            if s is None:
                _refuse(f"the correlation sum Σ_k f[k] g[k + {n}] of {tf.hyper} and "
                        f"{tg.hyper} runs over infinitely many k; symconv correlates "
                        "hypergeometric terms when one of them has a finite range")
            notes.append(f"{tf.hyper} and {tg.hyper}: no generating-function closed form "
                         f"found; the defining finite sum")
            sums.append(s)
    parts = _extract(atoms, n, notes)
    value = _assemble(parts, n) if parts else S.Zero
    if flipped:
        value += _assemble(_extract(flipped, n, notes), n).subs(n, -n)
    value += Add(*sums)
    return HyperResult(value, not notes, tuple(dict.fromkeys(notes)))


def _is_finite(atoms):
    return all(alpha == 0 and not betas for (_s, alpha, betas) in atoms)


def _extract(atoms, n, notes):
    parts = []
    for (s, alpha, betas), c in sorted(atoms.items(), key=lambda kv: str(kv[0])):
        check_deadline()
        coeff = _coefficient(alpha, betas, n - s, notes, _label(alpha, betas))
        e = powsimp(c * coeff, combine="exp")
        e = e.replace(lambda x: isinstance(x, exp), lambda x: exp(cancel(x.args[0])))
        parts.append((s, e))
    return parts


def _atoms_expr(atoms, z):
    return Add(*[c * z**s * exp(alpha * z) * Mul(*[(1 - b * z) ** m for b, m in betas])
                 for (s, alpha, betas), c in sorted(atoms.items(), key=lambda kv: str(kv[0]))])


def generating_functions(f, g, n, z):
    """``(F(z), G(z), F(z)·G(z) merged, identities)`` of a convolution, or ``None`` when a
    term has no generating function in the class (the derivation then shows the sum).

    >>> from sympy import exp, factorial, symbols
    >>> from symconv.functions import u
    >>> n, z = symbols("n", integer=True), symbols("z")
    >>> l, m = symbols("lambda mu", positive=True)
    >>> F, G, FG, ids = generating_functions(l**n*exp(-l)/factorial(n)*u(n),
    ...                                      m**n*exp(-m)/factorial(n)*u(n), n, z)
    >>> F, FG
    (exp(-lambda)*exp(lambda*z), exp(-lambda)*exp(-mu)*exp(z*(lambda + mu)))
    """
    f, g = exact(sympify(f, strict=True)), exact(sympify(g, strict=True))
    sides = []
    for expr in (f, g):
        atoms = {}
        for term in _terms(expr, n):
            A = _ogf(term, n)
            if A is None:
                return None
            for key, c in A.items():
                atoms[key] = atoms.get(key, S.Zero) + c
        sides.append(atoms)
    prod = {}
    _product(*sides, prod)
    ids = []
    a, b, k, N, M = Symbol("a"), Symbol("b"), Symbol("k", integer=True), Symbol("N"), Symbol("M")
    if all(any(x != 0 for (_s, x, _b) in side) for side in sides):
        ids.append(("the binomial theorem: e^{az} e^{bz} = e^{(a+b)z}",
                    Sum(a**k / factorial(k) * b**(n - k) / factorial(n - k), (k, 0, n)),
                    (a + b)**n / factorial(n)))
    betas = [{x for (_s, _a, bs) in side for x, _m in bs} for side in sides]
    if betas[0] & betas[1]:
        ids.append(("Vandermonde's identity: (1 + z)^M (1 + z)^N = (1 + z)^(M + N)",
                    Sum(binomial(M, k) * binomial(N, n - k), (k, 0, n)), binomial(M + N, n)))
    return (_atoms_expr(sides[0], z), _atoms_expr(sides[1], z), _atoms_expr(prod, z),
            tuple(ids))
