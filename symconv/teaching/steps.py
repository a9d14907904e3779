"""The steps of a derivation: immutable records that can re-check themselves.

Each step holds SymPy expressions and ``check()`` re-evaluates it with SymPy and compares
with what was recorded. Built by :mod:`symconv.teaching.derivation`, walked by the
renderers of :mod:`symconv.teaching.render` (which import only this module).
"""

from __future__ import annotations

from dataclasses import dataclass

from sympy import S, diff, oo, simplify

__all__ = [
    "Step",
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


class Step:
    """A recorded step. ``check()`` re-evaluates it and returns ``True`` when it holds."""

    def check(self):
        return True


@dataclass(frozen=True)
class Definition(Step):
    """``y(t) = ∫ f(τ) g(t-τ) dτ`` (or the sum, or the correlation)."""

    f: object
    g: object
    var: object
    tau: object
    kind: str = "convolution"
    names: tuple = ("h", "x")
    discrete: bool = False

    @property
    def integrand(self):
        shift = self.var + self.tau if self.kind == "correlation" else self.var - self.tau
        return self.f.subs(self.var, self.tau) * self.g.subs(self.var, shift)


@dataclass(frozen=True)
class Flip(Step):
    """Which signal slides: ``flipped(t - τ)`` written out, with where it is non-zero."""

    flipped: str  # the name of the signal that is flipped and shifted
    kept: str
    reason: str
    shifted: object  # the expression of the flipped signal at t - τ
    window: tuple = ()  # ((lo(t), hi(t)), ...): where it is non-zero, in τ


@dataclass(frozen=True)
class CriticalPoints(Step):
    """The values of ``t`` where the overlap changes."""

    points: tuple


@dataclass(frozen=True)
class RegionTerm:
    """One integral ``∫_lower^upper integrand dτ = [F]_lower^upper = value``."""

    lower: object
    upper: object
    integrand: object
    antiderivative: object
    value: object


@dataclass(frozen=True)
class Region(Step):
    """A region ``lo ≤ t < hi``: the integrals that make up ``y(t)`` there, and their sum."""

    lo: object
    hi: object
    var: object
    tau: object
    terms: tuple = ()
    value: object = S.Zero
    discrete: bool = False

    def check(self):
        """The antiderivatives differentiate back (or difference back) to the integrands,
        and the evaluated limits add up to the recorded value, at a sample point."""
        tau, t = self.tau, self.var
        point = _sample(self.lo, self.hi, self.discrete)
        values = _parameter_values(self, {tau, t})
        total = S.Zero
        for term in self.terms:
            F = term.antiderivative
            if self.discrete:
                gap = (F.subs(tau, tau + 1) - F - term.integrand).subs(t, point)
                # simplify does not always see trigonometric identities (sin(k + 1 - 2n)):
                # then the difference is evaluated at integers, as integrals are at a point
                ok = simplify(gap) == 0 or all(
                    abs(gap.subs(tau, k).subs(values).evalf(30)) < 1e-25 for k in (-2, 1, 3))
                low, up = term.lower, term.upper + 1
            else:
                ok = simplify(diff(F, tau) - term.integrand).subs(t, point) == 0 or \
                    abs((diff(F, tau) - term.integrand).subs({t: point, tau: point / 3 + S.Half})
                        .subs(values).evalf(30)) < 1e-25
                low, up = term.lower, term.upper
            if not ok:
                return False
            total += (_limit(F, tau, up) - _limit(F, tau, low)).subs(t, point)
        gap = (total - self.value.subs(t, point)).subs(values)
        return abs(gap.evalf(40)) < 1e-30


@dataclass(frozen=True)
class ImpulseTerm(Step):
    """``w·δ⁽ᵐ⁾(t - T) * other = w·other⁽ᵐ⁾(t - T)`` by the sifting property."""

    weight: object
    at: object
    order: int
    other: str
    contribution: object


@dataclass(frozen=True)
class CaseSplit(Step):
    """The result depends on the parameters (a coincidence ``a = b``, the order of two
    breakpoints, a convergence condition): one derivation per case."""

    condition: object
    equal: object  # Derivation when the condition holds
    otherwise: object  # Derivation otherwise; None where the integral diverges


@dataclass(frozen=True)
class GeneratingFunctions(Step):
    """Hypergeometric terms: ``F(z) = Σ f[n] zⁿ``, ``G(z)``, the product with equal
    factors merged, the identities that merging uses, and ``y[n] = [zⁿ] F(z)G(z)``."""

    f_ogf: object
    g_ogf: object
    product: object
    z: object
    var: object
    value: object  # y[n] for n at or after the start of the support
    identities: tuple = ()

    def check(self):
        """The product is ``F·G``, and its Taylor coefficients at ``z = 0`` are the recorded
        values at ``n = 0..5``, for rational values of the parameters."""
        from sympy import Rational, expand, series, simplify

        syms = (self.f_ogf.free_symbols | self.product.free_symbols
                | self.value.free_symbols) - {self.z, self.var}
        vals = {}
        for i, sym in enumerate(sorted(syms, key=lambda x: x.name)):
            vals[sym] = (i % 3 + 1) if sym.is_integer else Rational(3 + 2 * i, 7)
        if simplify((self.f_ogf * self.g_ogf - self.product).subs(vals)) != 0:
            return False
        taylor = expand(series(self.product.subs(vals), self.z, 0, 6).removeO())
        for k in range(6):
            want = self.value.subs(vals).subs(self.var, k).doit()
            if simplify(taylor.coeff(self.z, k) - want) != 0:
                return False
        return True


@dataclass(frozen=True)
class Result(Step):
    """The assembled result (the engine's canonical answer)."""

    value: object
    var: object


def _parameter_values(step, skip):
    """Distinct admissible rational values for the parameters of a step."""
    syms = set()
    for term in step.terms:
        for e in (term.integrand, term.antiderivative):
            syms |= e.free_symbols
    syms |= step.value.free_symbols
    out = {}
    for i, sym in enumerate(sorted(syms - set(skip), key=lambda x: x.name)):
        v = S(7 + 6 * i) / 10
        out[sym] = -v if sym.is_negative or sym.is_nonpositive else v
    return out


def _sample(lo, hi, discrete):
    if discrete:
        if lo != -oo:
            return lo
        return hi - 1 if hi != oo else S.Zero
    if lo != -oo and hi != oo:
        return (lo + hi) / 2
    if lo != -oo:
        return lo + S(7) / 5
    if hi != oo:
        return hi - S(7) / 5
    return S(3) / 10


def _limit(F, tau, x):
    if x in (oo, -oo):
        # convergence was established by the engine: e^{...τ} terms vanish there, and an
        # erf(aτ + b) of a Gaussian antiderivative tends to ±1
        from sympy import erf, exp, sign

        ends = {e: sign(e.args[0].coeff(tau)) * (1 if x == oo else -1)
                for e in F.atoms(erf) if e.args[0].has(tau)}
        F = F.xreplace(ends)
        return F.replace(lambda e: isinstance(e, exp) and e.has(tau), lambda e: S.Zero)
    return F.subs(tau, x)
