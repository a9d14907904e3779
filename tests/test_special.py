"""Special convolutions: Gaussians, Cauchy kernels, Gamma-type kernels, guarded fallback.

Every result is compared with an independent reference: mpmath quadrature of the
definition ``∫ f(τ) g(t-τ) dτ`` at several ``t`` (and several parameter values
when the inputs are symbolic), known table entries (normal and Cauchy sum rules,
the Beta integral), and the mass identity ``∫(f*g) = ∫f · ∫g`` where it is finite.
"""

import time

import mpmath
import pytest
from sympy import (
    Float,
    Function,
    Heaviside,
    I,
    Piecewise,
    Rational,
    S,
    atan,
    erf,
    erfi,
    exp,
    gamma,
    integrate,
    lambdify,
    log,
    oo,
    pi,
    simplify,
    sin,
    sqrt,
    symbols,
)

from symconv import special
from symconv.errors import SymconvError, UnsupportedInputError
from symconv.functions import u
from symconv.special import convolve_special

t = symbols("t", real=True)
half = Rational(1, 2)
a, b, lam, k = symbols("a b lambda k", positive=True)
m1, m2 = symbols("m1 m2", real=True)
s1, s2, a1, a2 = symbols("s1 s2 a1 a2", positive=True)
x = symbols("x", real=True)


# ---------------------------------------------------------------------------
# independent numeric references
# ---------------------------------------------------------------------------
def _step(v):
    return mpmath.mpf(1) if v >= 0 else mpmath.mpf(0)


_MODULES = [{"u": _step, "Heaviside": _step}, "mpmath"]


def reference(f, g, tt, lo=-mpmath.inf, hi=mpmath.inf, splits=()):
    """``∫_lo^hi f(τ) g(tt-τ) dτ`` by mpmath quadrature of the original functions."""
    h = lambdify([x], f.subs(t, x) * g.subs(t, tt - x), modules=_MODULES)
    points = [lo, *sorted(p for p in splits if lo < p < hi), hi]
    with mpmath.workdps(30):
        return mpmath.quad(h, points)


def value(y, tt, vals=None):
    v = y.xreplace({t: tt, **(vals or {})}).evalf(30)
    assert v.is_number, v
    return mpmath.mpmathify(complex(v))


def close(p, q, tol=1e-10):
    return abs(p - q) <= tol * max(1, abs(q))


def check_two_sided(f, g, y, times, vals=None, splits=()):
    f, g = f.xreplace(vals or {}), g.xreplace(vals or {})
    for tt in times:
        want = reference(f, g, tt, splits=(*splits, 0, tt))
        assert close(value(y, tt, vals), want), (tt, vals)


def check_causal(f, g, y, start_f, start_g, times, vals=None):
    """Causal reference: the integrand vanishes outside ``[start_f, tt - start_g]``."""
    f, g = f.xreplace(vals or {}), g.xreplace(vals or {})
    for tt in times:
        if tt < start_f + start_g:
            want = 0
        else:
            want = reference(f, g, tt, lo=start_f, hi=tt - start_g)
        assert close(value(y, tt, vals), want), (tt, vals)


def mass(f, vals=None, lo=-mpmath.inf):
    h = lambdify([x], f.xreplace(vals or {}).subs(t, x), modules=_MODULES)
    with mpmath.workdps(30):
        return mpmath.quad(h, [lo, 0, mpmath.inf] if lo != 0 else [0, 1, mpmath.inf])


TIMES = [Rational(-3, 2), Rational(0), Rational(1, 3), Rational(2), Rational(7, 2)]
CAUSAL_TIMES = [Rational(-1), Rational(1, 4), Rational(1), Rational(3), Rational(11, 2)]


def normal(m, s):
    return exp(-((t - m) ** 2) / (2 * s**2)) / (s * sqrt(2 * pi))


def cauchy(m, w):
    return w / (pi * (w**2 + (t - m) ** 2))


# ---------------------------------------------------------------------------
# 1. Gaussians
# ---------------------------------------------------------------------------
class TestGaussians:
    def test_standard_pair_is_clean(self):
        y = convolve_special(exp(-t**2), exp(-t**2), t)
        assert y == sqrt(2) * sqrt(pi) * exp(-t**2 / 2) / 2
        check_two_sided(exp(-t**2), exp(-t**2), y, TIMES)

    def test_normal_sum_rule(self):
        y = convolve_special(normal(m1, s1), normal(m2, s2), t)
        assert simplify(y - normal(m1 + m2, sqrt(s1**2 + s2**2))) == 0
        assert y.count(exp) == 1
        for vals in ({m1: 1, m2: -half, s1: 1, s2: 2},
                     {m1: Rational(-3, 2), m2: 0, s1: Rational(1, 3), s2: Rational(3, 4)}):
            check_two_sided(normal(m1, s1), normal(m2, s2), y, TIMES, vals)

    def test_symbolic_widths_table_entry(self):
        y = convolve_special(exp(-a * t**2), exp(-b * t**2), t)
        assert simplify(y - sqrt(pi / (a + b)) * exp(-a * b * t**2 / (a + b))) == 0
        for vals in ({a: 1, b: 3}, {a: Rational(1, 5), b: Rational(7, 2)}):
            check_two_sided(exp(-a * t**2), exp(-b * t**2), y, TIMES, vals)

    @pytest.mark.parametrize(
        ("f", "g"),
        [
            ((1 + t) ** 2 * exp(-(t**2) + t), t * exp(-2 * t**2)),
            (exp(-((t - 1) ** 2)), exp(-((t + 1) ** 2) / 3)),
            (t**3 * exp(-(t**2) / 2), (t**2 - 1) * exp(-(t**2))),
            (exp(-(t**2)) + 2 * exp(-2 * t**2), exp(-((t - half) ** 2))),
            (exp(-(t**2) + I * t), exp(-(t**2))),
        ],
    )
    def test_polynomial_times_gaussian(self, f, g):
        y = convolve_special(f, g, t)
        assert not y.has(Float)
        check_two_sided(f, g, y, TIMES, splits=(-1, 1))
        assert close(mass(y), mass(f) * mass(g))

    def test_symbolic_polynomial_moments(self):
        f, g = (a * t + 1) * exp(-a * t**2), t**2 * exp(-((t - m1) ** 2))
        y = convolve_special(f, g, t)
        for vals in ({a: 2, m1: half}, {a: Rational(1, 3), m1: -2}):
            check_two_sided(f, g, y, TIMES, vals)
            assert close(value(y, S.One, vals), reference(f.xreplace(vals), g.xreplace(vals), 1))

    def test_float_coefficients_become_exact(self):
        y = convolve_special(exp(-0.5 * t**2), exp(-(t**2) / 2), t)
        assert y == sqrt(pi) * exp(-(t**2) / 4)

    def test_undecided_width_names_the_condition(self):
        r = symbols("r", real=True)
        with pytest.raises(UnsupportedInputError, match=r"needs r > 0") as err:
            convolve_special(exp(-r * t**2), exp(-(t**2)), t)
        assert err.value.expr == exp(-r * t**2)

    def test_growing_gaussian_is_refused(self):
        with pytest.raises(UnsupportedInputError, match="not integrable"):
            convolve_special(exp(t**2), exp(-(t**2)), t)


# ---------------------------------------------------------------------------
# 2. Cauchy kernels
# ---------------------------------------------------------------------------
class TestCauchy:
    def test_lorentzian_pair(self):
        y = convolve_special(1 / (1 + t**2), 1 / (1 + t**2), t)
        assert y == 2 * pi / (4 + t**2)
        check_two_sided(1 / (1 + t**2), 1 / (1 + t**2), y, TIMES)

    def test_cauchy_sum_rule(self):
        y = convolve_special(cauchy(m1, a1), cauchy(m2, a2), t)
        assert y == cauchy(m1 + m2, a1 + a2)
        vals = {m1: half, m2: -2, a1: Rational(1, 3), a2: 2}
        check_two_sided(cauchy(m1, a1), cauchy(m2, a2), y, TIMES, vals, splits=(half, -2))

    def test_expanded_denominators_and_mass(self):
        f, g = 1 / (t**2 + 2 * t + 5), 3 / (4 + t**2)
        y = convolve_special(f, g, t)
        assert y == 3 * pi / ((t + 1) ** 2 + 16)
        check_two_sided(f, g, y, TIMES, splits=(-1,))
        integral = lambda e: integrate(e, (t, -oo, oo))  # noqa: E731
        assert simplify(integral(y) - integral(f) * integral(g)) == 0

    def test_symbolic_widths(self):
        f, g = 1 / (a**2 + t**2), 1 / (b**2 + (t - 1) ** 2)
        y = convolve_special(f, g, t)
        for vals in ({a: 1, b: 2}, {a: Rational(1, 4), b: Rational(5, 3)}):
            check_two_sided(f, g, y, TIMES, vals, splits=(1,))

    def test_real_poles_are_refused(self):
        with pytest.raises(UnsupportedInputError, match="real poles"):
            convolve_special(1 / (t**2 - 1), 1 / (1 + t**2), t)

    def test_undecided_width_names_the_condition(self):
        r = symbols("r", real=True)
        with pytest.raises(UnsupportedInputError, match=r"needs r > 0"):
            convolve_special(1 / (r + t**2), 1 / (1 + t**2), t)


# ---------------------------------------------------------------------------
# 3. Gamma-type kernels
# ---------------------------------------------------------------------------
class TestGamma:
    def test_inverse_square_roots(self):
        y = convolve_special(u(t) / sqrt(t), u(t) / sqrt(t), t)
        assert y == Piecewise((0, t < 0), (pi, True))

    def test_beta_integral_symbolic(self):
        f, g = t**a * exp(-lam * t) * u(t), t**b * exp(-lam * t) * u(t)
        y = convolve_special(f, g, t)
        beta = gamma(a + 1) * gamma(b + 1) / gamma(a + b + 2)
        assert y == Piecewise((0, t < 0), (beta * t ** (a + b + 1) * exp(-lam * t), True))
        for vals in ({a: half, b: Rational(1, 3), lam: 1},
                     {a: 2, b: Rational(3, 4), lam: Rational(1, 5)}):
            check_causal(f, g, y, 0, 0, CAUSAL_TIMES, vals)
            # ∫(f*g) = ∫f·∫g = Γ(a+1)Γ(b+1)/λ^{a+b+2}
            assert close(mass(y, vals, lo=0), mass(f, vals, lo=0) * mass(g, vals, lo=0), 1e-8)

    def test_negative_rational_exponents(self):
        c = symbols("c", positive=True)
        f = (c - 1) * t ** Rational(-2, 3) * u(t)  # a = -2/3 > -1
        y = convolve_special(f, t ** Rational(-1, 4) * u(t), t)
        check_causal(f, t ** Rational(-1, 4) * u(t), y, 0, 0, CAUSAL_TIMES, {c: 3})

    def test_shifted_steps(self):
        f, g = sqrt(t - 1) * u(t - 1), u(t - 2)
        y = convolve_special(f, g, t)
        assert y == Piecewise((0, t < 3), (2 * (t - 3) ** Rational(3, 2) / 3, True))
        check_causal(f, g, y, 1, 2, [Rational(5, 2), 4, Rational(13, 2)])

    def test_polynomial_factor_and_sum(self):
        f = (1 + t) ** 2 * exp(-t) * u(t) / sqrt(t)
        g = (t ** Rational(1, 3) + 2) * exp(-t) * u(t)
        y = convolve_special(f, g, t)
        check_causal(f, g, y, 0, 0, CAUSAL_TIMES)

    def test_different_rates_known_closed_form(self):
        # ∫₀ᵗ τ^{-1/2} e^{-(t-τ)} dτ = √π e^{-t} erfi(√t)
        y = convolve_special(u(t) / sqrt(t), exp(-t) * u(t), t, timeout=30)
        assert y == Piecewise((0, t < 0), (sqrt(pi) * exp(-t) * erfi(sqrt(t)), True))
        check_causal(u(t) / sqrt(t), exp(-t) * u(t), y, 0, 0, CAUSAL_TIMES)

    def test_different_rates_hypergeometric(self):
        f, g = t**a * u(t), exp(-2 * t) * u(t)
        y = convolve_special(f, g, t)
        for vals in ({a: half}, {a: Rational(7, 3)}):
            check_causal(f, g, y, 0, 0, CAUSAL_TIMES, vals)

    def test_complex_rate(self):
        f, g = exp(-I * t) * u(t) / sqrt(t), t ** Rational(-1, 3) * u(t)
        y = convolve_special(f, g, t)
        check_causal(f, g, y, 0, 0, CAUSAL_TIMES)

    def test_undecided_exponent_names_the_condition(self):
        r = symbols("r", real=True)
        with pytest.raises(UnsupportedInputError, match=r"needs r > -1"):
            convolve_special(t**r * u(t), u(t), t)

    def test_non_integrable_exponent(self):
        with pytest.raises(UnsupportedInputError, match="diverges"):
            convolve_special(t ** Rational(-3, 2) * u(t), u(t), t)

    def test_heaviside_is_a_step(self):
        y = convolve_special(Heaviside(t) / sqrt(t), u(t), t)
        assert y == Piecewise((0, t < 0), (2 * sqrt(t), True))


# ---------------------------------------------------------------------------
# 4. guarded fallback
# ---------------------------------------------------------------------------
class TestFallback:
    def test_log_against_table(self):
        y = convolve_special(log(1 + t) * u(t), u(t), t, timeout=30)
        assert y.args[0] == (0, t < 0)
        assert simplify(y.args[1][0] - ((t + 1) * log(t + 1) - t)) == 0
        check_causal(log(1 + t) * u(t), u(t), y, 0, 0, CAUSAL_TIMES)

    def test_shifted_erf_with_parameter(self):
        f, g = exp(-k * t**2) * u(t), u(t - 1)
        y = convolve_special(f, g, t, timeout=30)
        assert y.args[0] == (0, t < 1)
        assert y.has(erf)
        for vals in ({k: 1}, {k: Rational(2, 7)}):
            check_causal(f, g, y, 0, 1, CAUSAL_TIMES, vals)

    def test_arctangent(self):
        y = convolve_special(atan(t) * u(t), u(t - half), t, timeout=30)
        check_causal(atan(t) * u(t), u(t - half), y, 0, half, CAUSAL_TIMES)

    def test_mass_identity(self):
        f, g = exp(-t) * u(t) / (1 + t) ** 2, exp(-t) * u(t)
        y = convolve_special(f, g, t, timeout=30)
        assert y == Piecewise((0, t < 0), (t * exp(-t) / (t + 1), True))
        check_causal(f, g, y, 0, 0, CAUSAL_TIMES)
        assert close(mass(y, lo=0), mass(f, lo=0) * mass(g, lo=0))

    def test_unknown_function_is_refused(self):
        h = Function("h")
        with pytest.raises(UnsupportedInputError, match="cannot find a closed form"):
            convolve_special(h(t) * u(t), u(t), t)

    def test_timeout_raises_promptly(self):
        start = time.monotonic()
        with pytest.raises(UnsupportedInputError, match=r"within 0\.3 s") as err:
            convolve_special(sin(t) * u(t), u(t) / (t + 3) ** Rational(5, 2), t, timeout=0.3)
        assert time.monotonic() - start < 3
        assert err.value.expr is not None

    def test_wrong_answers_are_never_returned(self):
        phi, psi = log(1 + t), S.One
        with pytest.raises(UnsupportedInputError, match="disagrees"):
            special._verify(phi, 0, psi, 0, t, t * log(t + 1))  # missing "- t + log(t + 1)"
        special._verify(phi, 0, psi, 0, t, (t + 1) * log(t + 1) - t)  # the right one passes

    def test_guard_reports_errors_and_kills_slow_work(self):
        assert special._guarded(divmod, (7, 2), 5) == ("ok", (3, 1))
        status, msg = special._guarded(divmod, (1, 0), 5)
        assert status == "error" and "ZeroDivisionError" in msg
        start = time.monotonic()
        assert special._guarded(time.sleep, (30,), 0.2) == ("timeout", None)
        assert time.monotonic() - start < 3

    def test_guard_keeps_the_last_answer_before_the_deadline(self):
        start = time.monotonic()
        assert special._guarded(_slow_improvements, (), 0.5) == ("ok", 2)
        assert time.monotonic() - start < 3
        assert special._guarded(_slow_improvements, (0,), 5) == ("ok", 3)


def _slow_improvements(pause=30):
    yield 1
    yield 2
    time.sleep(pause)
    yield 3


# ---------------------------------------------------------------------------
# anything else: refused quickly, with the piece named
# ---------------------------------------------------------------------------
class TestUnsupported:
    @pytest.mark.parametrize(
        ("f", "g"),
        [
            (exp(-(t**4)), sin(t**3)),
            (exp(-(t**2)), 1 / (1 + t**2)),  # Voigt profile: not covered
            (exp(-(t**2)), exp(-t) * u(t)),  # two-sided with causal
            (sin(t) * u(-t), u(t)),  # anti-causal
            (exp(-t) * u(t) * u(t - 1), u(t)),  # two steps: the piecewise engine's job
            (u(t - sqrt(2)) / (1 + t), u(t)),  # irrational shift: not the fallback's
        ],
    )
    def test_refused_quickly(self, f, g):
        start = time.monotonic()
        with pytest.raises(UnsupportedInputError, match="no rule") as err:
            convolve_special(f, g, t)
        assert time.monotonic() - start < 2
        assert err.value.expr is not None
        assert isinstance(err.value, SymconvError) and isinstance(err.value, ValueError)

    @pytest.mark.parametrize(
        "f",
        [exp(-((t - 1) ** 10**6)), (1 + t) ** 10**6 * exp(-(t**2)), 1 / (1 + t**2) ** 10**6],
    )
    def test_huge_powers_are_not_expanded(self, f):
        start = time.monotonic()
        with pytest.raises(UnsupportedInputError):
            convolve_special(f, exp(-(t**2)), t)
        assert time.monotonic() - start < 2

    def test_names_the_piece(self):
        with pytest.raises(UnsupportedInputError, match=r"sin\(t\*\*3\) fits none") as err:
            convolve_special(exp(-(t**2)), sin(t**3), t)
        assert err.value.expr == sin(t**3)

    @pytest.mark.parametrize(
        ("f", "g", "var", "timeout", "match"),
        [
            ("exp(-t**2)", exp(-(t**2)), t, 5, "strings are not parsed"),
            (exp(-(t**2)), exp(-(t**2)), "t", 5, "Symbol"),
            (exp(-(t**2)), exp(-(t**2)), t, 0, "timeout"),
            (exp(-(t**2)), exp(-(t**2)), t, True, "timeout"),
        ],
    )
    def test_bad_arguments(self, f, g, var, timeout, match):
        with pytest.raises(UnsupportedInputError, match=match):
            convolve_special(f, g, var, timeout=timeout)
