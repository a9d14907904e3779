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
    Abs,
    Float,
    Function,
    Heaviside,
    I,
    Piecewise,
    Rational,
    S,
    atan,
    besselj,
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
    tan,
)

from symconv.engine import fallback
from symconv.engine.special import convolve_special
from symconv.errors import DivergenceError, SymconvError, UnsupportedInputError
from symconv.functions import u

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


def check_causal(f, g, y, start_f, start_g, times, vals=None, sing_f=(), sing_g=()):
    """Causal reference: the integrand vanishes outside ``[start_f, tt - start_g]``; the
    quadrature is split where ``f`` (at ``sing_f``) or ``g`` (at ``sing_g``) is singular."""
    f, g = f.xreplace(vals or {}), g.xreplace(vals or {})
    for tt in times:
        if tt < start_f + start_g:
            want = 0
        else:
            splits = (*sing_f, *(tt - s for s in sing_g))
            want = reference(f, g, tt, lo=start_f, hi=tt - start_g, splits=splits)
        got = value(y, tt, vals)
        assert close(got, want), (tt, vals, got, want)
        assert abs(got.imag) <= 1e-12 * max(1, abs(want)) or want.imag != 0, (tt, got)


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

    def test_bessel_function_of_integer_order(self):
        f = besselj(0, t) * u(t)
        y = convolve_special(f, u(t), t, timeout=30)
        check_causal(f, u(t), y, 0, 0, CAUSAL_TIMES + [Rational(25, 2)])

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
            fallback._verify(phi, 0, psi, 0, t, t * log(t + 1))  # missing "- t + log(t + 1)"
        fallback._verify(phi, 0, psi, 0, t, (t + 1) * log(t + 1) - t)  # the right one passes

    def test_guard_reports_errors_and_kills_slow_work(self):
        assert fallback.guarded(divmod, (7, 2), 5) == ("ok", (3, 1))
        status, msg = fallback.guarded(divmod, (1, 0), 5)
        assert status == "error" and "ZeroDivisionError" in msg
        start = time.monotonic()
        assert fallback.guarded(time.sleep, (30,), 0.2) == ("timeout", None)
        assert time.monotonic() - start < 3

    def test_guard_keeps_the_last_answer_before_the_deadline(self):
        start = time.monotonic()
        assert fallback.guarded(_slow_improvements, (), 0.5) == ("ok", 2)
        assert time.monotonic() - start < 3
        assert fallback.guarded(_slow_improvements, (0,), 5) == ("ok", 3)


# ---------------------------------------------------------------------------
# 4a. the fallback never returns an unproven answer: singular points
# ---------------------------------------------------------------------------
def _regions(start, points, tail=12):
    """Times inside every region between ``start`` and consecutive ``points``, close to both
    ends and in the middle, then beyond the last point and far out on the tail."""
    ends = [start, *sorted(set(points) - {start})]
    times = []
    for lo, hi in zip(ends, ends[1:], strict=False):
        w = hi - lo
        times += [lo + w / 50, lo + w / 3, (lo + hi) / 2, hi - w / 7, hi - w / 50]
    last = ends[-1]
    return [start - 1, *times, *(last + d for d in (Rational(1, 50), Rational(1, 5), 1, 3, tail))]


class TestSingularPoints:
    @pytest.mark.parametrize(
        ("f", "g", "at"),
        [  # the issue's three wrong answers: -1/8 - 1/(t - 8), a complex log, a principal value
            (u(t) / (t - 8) ** 2, u(t), "8"),
            (u(t) / (t - 8), u(t), "8"),
            (u(t) / (t - Rational(13, 2)), exp(-t) * u(t), "13/2"),
        ],
    )
    def test_issue_examples_diverge(self, f, g, at):
        with pytest.raises(DivergenceError) as err:
            convolve_special(f, g, t)
        msg = str(err.value)
        assert msg.startswith(f"the convolution diverges for t >= {at}: ")
        assert f"non-integrable pole of order {2 if '**2' in str(f) else 1} at t = {at}" in msg
        assert str(f) in msg
        assert err.value.condition == (t < Rational(at))
        assert not isinstance(err.value, UnsupportedInputError)

    def test_the_other_factor_and_shifts(self):
        # ψ(t - τ) meets the pole t = 3 at τ = t - 3, inside [2, t - 1] once t >= 5
        with pytest.raises(DivergenceError, match=r"for t >= 5: u\(t - 1\)/\(t - 3\)\*\*2 "
                                                  r"has a non-integrable pole of order 2 at t = 3"):
            convolve_special(u(t - 2), u(t - 1) / (t - 3) ** 2, t)

    def test_pole_at_the_step_diverges_for_every_later_t(self):
        with pytest.raises(DivergenceError, match=r"for t > 0: .* pole of order 1 at t = 0") as err:
            convolve_special(u(t) / sin(t), u(t), t)
        assert err.value.condition == (t <= 0)

    def test_first_of_infinitely_many_poles(self):
        with pytest.raises(DivergenceError, match=r"for t >= pi/2: tan\(t\)\*u\(t\) has") as err:
            convolve_special(tan(t) * u(t), u(t), t)
        assert err.value.condition == (t < pi / 2)

    @pytest.mark.parametrize(
        ("f", "match"),
        [
            (u(t) / (exp(t) - 2), r"t >= log\(2\): .* pole of order 1 at t = log\(2\)"),
            (u(t) / log(t), r"t >= 1: .* pole of order 1 at t = 1"),
            (u(t) / (t**2 - 2 * t + 1) ** Rational(3, 4),
             r"t >= 1: .* singularity \(like Abs\(t - 1\)\*\*\(-3/2\)\) at t = 1"),
            (u(t) / (t**2 - 9), r"t >= 3: .* pole of order 1 at t = 3"),
            (exp(-t) * log(1 + t) * u(t) / ((t - 2) * (t - 5)), r"t >= 2: .* at t = 2"),
        ],
    )
    def test_non_integrable_points_are_found(self, f, match):
        with pytest.raises(DivergenceError, match=match):
            convolve_special(f, u(t), t)

    def test_symbolic_point_decided(self):
        with pytest.raises(DivergenceError, match="for t >= a: .* at t = a") as err:
            convolve_special(u(t) / (t - a) ** 2, u(t), t)
        assert err.value.condition == (t < a)

    @pytest.mark.parametrize(
        ("f", "match"),
        [
            (u(t) / (t - m1), r"cannot decide whether the zero t = m1"),  # m1 may be negative
            (exp(1 / t) * u(t), r"cannot decide whether exp\(1/t\)\*u\(t\) is integrable"),
            (log(t - 2) * u(t), r"log\(t - 2\) is not real .* not positive at t = 1"),
            (sqrt(t - 3) * u(t), r"not real"),
            (Function("h")(t) * u(t), r"cannot tell where h\(t\) is singular"),
        ],
    )
    def test_undecidable_or_complex_is_refused(self, f, match):
        with pytest.raises(UnsupportedInputError, match=match):
            convolve_special(f, u(t), t)

    def test_symbolic_integrable_point_is_refused(self):
        with pytest.raises(UnsupportedInputError, match="depends on the parameters"):
            convolve_special(log((t - a) ** 2) * u(t), u(t), t)

    @pytest.mark.parametrize(
        ("f", "g", "sing_f", "sing_g"),
        [
            (log((t - 2) ** 2) * u(t), u(t), (2,), ()),  # SymPy says ... + 4*I*pi
            (u(t), log((t - 2) ** 2) * u(t), (), (2,)),
            (log(t) * u(t), u(t), (0,), ()),  # at the step
            (sin(t - 2) / (t - 2) * u(t), u(t), (2,), ()),  # removable
            (log((t - Rational(7, 2)) ** 2) * u(t), u(t - 1), (Rational(7, 2),), ()),
            ((t**2 - 4) / (t - 2) * u(t), log((t - 1) ** 2) * u(t), (), (1,)),
            (exp(-t) * log((t - 1) ** 2) * u(t), exp(-t) * u(t), (1,), ()),
            (u(t) / (t**2 - 2 * t + 1) ** Rational(1, 3), u(t), (1,), ()),
        ],
    )
    def test_integrable_points_answer_right_or_refuse(self, f, g, sing_f, sing_g):
        start_f = 1 if f.has(u(t - 1)) else 0
        start_g = 1 if g.has(u(t - 1)) else 0
        try:
            y = convolve_special(f, g, t, timeout=30)
        except UnsupportedInputError as err:
            assert "cannot find a closed form" in str(err)
            return
        points = [s + start_g for s in sing_f] + [s + start_f for s in sing_g]
        times = _regions(start_f + start_g, points)
        check_causal(f, g, y, start_f, start_g, times, sing_f=sing_f, sing_g=sing_g)

    def test_log_singularity_answer(self):
        # ∫₀ᵗ log((τ - 2)²) dτ = 2(t - 2) log|t - 2| - 2t + 4 log 2: real on both sides of 2
        y = convolve_special(log((t - 2) ** 2) * u(t), u(t), t, timeout=30)
        want = 2 * (t - 2) * log(Abs(t - 2)) - 2 * t + 4 * log(2)
        for tt in (Rational(1, 2), Rational(19, 10), Rational(21, 10), 5, 40):
            assert close(value(y, tt), value(want, tt))

    @pytest.mark.parametrize("s", [Rational(1, 3), Rational(5, 2), 4, Rational(23, 4)])
    def test_property_over_rational_points(self, s):
        # a pole of φ diverges from t = s + c₂ on; a pole of ψ from t = s + c₁ on
        for k in (1, 2, 3):
            with pytest.raises(DivergenceError, match=rf"for t >= {s + 1}: .*order {k} at t = {s}"):
                convolve_special(u(t) / (t - s) ** k, u(t - 1), t)
            with pytest.raises(DivergenceError, match=rf"for t >= {s + 1}: .*order {k} at t = {s}"):
                convolve_special(u(t - 1), exp(-t) * u(t) / (t - s) ** k, t)
        # a log singularity is integrable: a verified answer in every region, or a refusal
        f = log((t - s) ** 2) * u(t)
        try:
            y = convolve_special(f, u(t - 1), t, timeout=30)
        except UnsupportedInputError:
            return
        check_causal(f, u(t - 1), y, 0, 1, _regions(1, [s + 1]), sing_f=(s,))

    def test_complex_log_is_never_the_answer(self):
        # SymPy's antiderivative of log((τ - 2)²), right for t < 2 only (+4iπ beyond 2)
        wrong = t * log((t - 2) ** 2) - 2 * t - 4 * log(t - 2) + 4 * log(2) + 4 * I * pi
        with pytest.raises(UnsupportedInputError, match=r"not real at t = 17/8 \(imaginary"):
            fallback._verify(log((t - 2) ** 2), 0, S.One, 0, t, wrong)
        right = 2 * (t - 2) * log(Abs(t - 2)) - 2 * t + 4 * log(2)
        fallback._verify(log((t - 2) ** 2), 0, S.One, 0, t, right)

    def test_principal_value_is_never_the_answer(self):
        pv = -Rational(1, 8) - 1 / (t - 8)  # the old answer for u(t)/(t - 8)**2 * u(t)
        with pytest.raises(DivergenceError):
            fallback._verify(1 / (t - 8) ** 2, 0, S.One, 0, t, pv)

    def test_check_times_cover_every_region_and_the_tail(self):
        plan = fallback._analyse(log((t - 2) ** 2), 0, log((t - 3) ** 2), 1, t, ("f", "g"))
        assert (plan.at_phi, plan.at_psi) == ((2,), (3,))
        times = fallback._check_times(plan)
        ends = [1, 3, 3, 5]  # c₁ + c₂, 2 + c₂, 3 + c₁, 2 + 3
        for lo, hi in ((1, 3), (3, 5)):
            inside = [tt for tt in times if lo < tt < hi]
            assert len(inside) == 3 and min(inside) - lo < (hi - lo) / 10
            assert hi - max(inside) < (hi - lo) / 10
        assert not set(times) & set(ends)
        assert min(times) < 1 and len([tt for tt in times if tt > 5]) == 6
        assert max(times) >= 5 + 10 * 4

    def test_guard_passes_divergence_on(self):
        status, (msg, cond) = fallback.guarded(_diverge, (), 5)
        assert (status, msg, cond) == ("diverges", "no", t < 1)


def _diverge():
    raise DivergenceError("no", t < 1)


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
