"""Real output for sequences whose frequencies are not rational multiples of π.

``cos(n)``, ``sin(n/3)``, ``cos(√2 n)`` are held over SymPy's fields ``F(e^{iθ}, …)``;
:mod:`symconv.convert.unit_circle` pairs the conjugate terms into real ``cos``/``sin``
with exact real coefficients. Every result here is compared with the defining sum
``Σ_k h[k] x[n−k]`` computed term by term from the inputs (SymPy values evaluated at 60
digits, independent of the engine), at many ``n``, to 1e-30 relative, and must hold no
``I``; a complex input keeps a (correct) complex form.
"""

from __future__ import annotations

import random
import time

import mpmath
import pytest
from sympy import (
    Abs,
    DiracDelta,
    I,
    Integer,
    KroneckerDelta,
    Rational,
    cos,
    exp,
    expand_complex,
    pi,
    sin,
    sqrt,
    symbols,
)

from symconv import convolve, correlate, u
from symconv.canonical.domains import field_for
from symconv.convert.unit_circle import UnitCircle

n = symbols("n", integer=True)
a = symbols("a", positive=True)
h = Rational(1, 2)
third = Rational(1, 3)

DIGITS = 60
#: Terms of an infinite sum beyond its finite end: the cases decay at least like 2^-k,
#: so 2^-240 < 1e-70 of the sum is left out.
TAIL = 240


def _value(expr, k, env=None):
    """``expr`` at the integer ``k`` as an mpmath number (60 digits); ``δ[0] = 1``."""
    e = expr.replace(DiracDelta, lambda x: KroneckerDelta(x, 0))
    e = e.xreplace(env or {}).xreplace({n: Integer(k)})
    v = e.evalf(DIGITS)
    with mpmath.workdps(DIGITS):
        return mpmath.mpmathify(complex(0)) + v._to_mpmath(mpmath.mp.prec)


class _Direct:
    """The defining sum of two sequences supported on ``[f_lo, ∞)``, ``[g_lo, ∞)`` (or
    ``(-∞, hi]`` when ``f_hi``/``g_hi`` are given), summed directly."""

    def __init__(self, f, g, f_range, g_range, env=None):
        self.f, self.g, self.env = f, g, env
        self.f_range, self.g_range = f_range, g_range
        self.cache = {}

    def _at(self, which, k):
        key = (which, k)
        if key not in self.cache:
            self.cache[key] = _value(self.f if which == "f" else self.g, k, self.env)
        return self.cache[key]

    def convolution(self, m):
        (flo, fhi), (glo, ghi) = self.f_range, self.g_range
        lo = max(x for x in (flo, None if ghi is None else m - ghi) if x is not None) \
            if flo is not None or ghi is not None else None
        hi = min(x for x in (fhi, None if glo is None else m - glo) if x is not None) \
            if fhi is not None or glo is not None else None
        lo = hi - TAIL if lo is None else lo
        hi = lo + TAIL if hi is None else hi
        with mpmath.workdps(DIGITS):
            return mpmath.fsum(self._at("f", k) * self._at("g", m - k)
                               for k in range(lo, hi + 1))

    def correlation(self, m):  # both supports bounded below
        (flo, _), (glo, _) = self.f_range, self.g_range
        lo = max(x for x in (flo, None if glo is None else glo - m) if x is not None)
        hi = lo + TAIL
        with mpmath.workdps(DIGITS):
            return mpmath.fsum(self._at("f", k) * self._at("g", k + m)
                               for k in range(lo, hi + 1))


def assert_matches(result, ref, points, env=None, real=True):
    """``result`` equals ``ref(m)`` at every point to 1e-30 relative; real when asked."""
    if real:
        assert not result.has(I), result
        assert not any(e.args[0].has(I) for e in result.atoms(exp)), result
    for m in points:
        got = _value(result, m, env)
        want = ref(m)
        with mpmath.workdps(DIGITS):
            scale = max(mpmath.mpf(1), abs(want))
            assert abs(got - want) <= mpmath.mpf(10) ** -30 * scale, (m, got, want, result)
            if real:
                assert got.imag == 0, (m, got)


POINTS = list(range(-4, 30)) + [37, 50]

# (h, x, support of h, support of x): supports as (lo, hi), None for infinite
CAUSAL = [(0, None), (0, None)]
CASES = {
    "brief example": (cos(n) * h**n * u(n), u(n), *CAUSAL),
    "cos 2n": (cos(2 * n) * h**n * u(n), u(n), *CAUSAL),
    "sin n/3": (sin(n / 3) * h**n * u(n), u(n), *CAUSAL),
    "cos sqrt2 n": (cos(sqrt(2) * n) * h**n * u(n), u(n), *CAUSAL),
    "n cos n": (n * cos(n) * h**n * u(n), u(n), *CAUSAL),
    "n^2 sin n": (n**2 * sin(n) * h**n * u(n), h**n * u(n), *CAUSAL),
    "two frequencies": (cos(n) * h**n * u(n), cos(2 * n) * third**n * u(n), *CAUSAL),
    "incommensurable": (cos(n) * h**n * u(n), cos(sqrt(2) * n) * third**n * u(n), *CAUSAL),
    "both trigonometric, equal": (cos(n) * h**n * u(n), cos(n) * h**n * u(n), *CAUSAL),
    "sin times sin": (sin(n) * h**n * u(n), sin(n) * third**n * u(n), *CAUSAL),
    "window": (cos(n) * u(n), u(n) - u(n - 3), (0, None), (0, 2)),
    "finite list": (DiracDelta(n) + 2 * DiracDelta(n - 1) - DiracDelta(n - 4), cos(n) * u(n),
                    (0, 4), (0, None)),
    "phase": (cos(n + 1) * h**n * u(n), u(n), *CAUSAL),
    "negative base": (cos(n) * (-h) ** n * u(n), u(n), *CAUSAL),
    "with cos(pi n/3)": (cos(n) * cos(pi * n / 3) * h**n * u(n), u(n), *CAUSAL),
    "exp(-n)": (exp(-n) * cos(n) * u(n), u(n), *CAUSAL),
    "shifted step": (cos(n) * h**n * u(n), u(n - 3), (0, None), (3, None)),
    "anticausal": (cos(n) * 2**n * u(-n), u(-n), (None, 0), (None, 0)),
    "two-sided": (cos(n) * h ** Abs(n), h**n * u(n), (None, None), (0, None)),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_convolution_is_real_and_equals_the_direct_sum(name):
    f, g, f_range, g_range = CASES[name]
    result = convolve(f, g, n)
    assert_matches(result, _Direct(f, g, f_range, g_range).convolution, POINTS)


def test_the_brief_example_reads_A_plus_a_damped_sinusoid():
    """``cos(n) 2⁻ⁿ u[n] * u[n] = A + 2⁻ⁿ (B cos n + C sin n)`` with real constants in
    ``cos 1``, ``sin 1``: y[n] = Re((1 - (e^{i}/2)^{n+1}) / (1 - e^{i}/2))."""
    result = convolve(cos(n) * h**n * u(n), u(n), n)
    tail = result.args[-1][0]
    c1, s1 = cos(1), sin(1)
    A = (4 - 2 * c1) / (5 - 4 * c1)
    B = (1 - 2 * c1) / (5 - 4 * c1)
    C = 2 * s1 / (5 - 4 * c1)
    assert (tail - (A + h**n * (B * cos(n) + C * sin(n)))).expand() == 0
    assert {str(x) for x in tail.atoms(cos, sin)} == {"cos(1)", "sin(1)", "cos(n)", "sin(n)"}


def test_symbolic_base_is_real_and_exact():
    result = convolve(a**n * cos(n) * u(n), u(n), n)
    assert not result.has(I)
    env = {a: third}
    direct = _Direct(a**n * cos(n) * u(n), u(n), (0, None), (0, None), env)
    assert_matches(result, direct.convolution, POINTS, env)


def test_symbolic_frequency_is_real_and_exact():
    w = symbols("w", positive=True)
    f = cos(w * n) * h**n * u(n)
    result = convolve(f, u(n), n)
    assert not result.has(I)
    env = {w: Rational(7, 10)}
    assert_matches(result, _Direct(f, u(n), (0, None), (0, None), env).convolution, POINTS,
                   env)


@pytest.mark.parametrize("f, g", [
    (cos(n) * h**n * u(n), u(n)),
    (sin(n / 3) * h**n * u(n), u(n)),
    (cos(n) * h**n * u(n), cos(2 * n) * third**n * u(n)),
])
def test_correlation_is_real_and_equals_the_direct_sum(f, g):
    result = correlate(f, g, n)
    direct = _Direct(f, g, (0, None), (0, None))
    assert_matches(result, direct.correlation, POINTS)


def test_complex_input_keeps_a_correct_complex_form():
    """``e^{in}`` is not a real sequence: the output keeps ``I`` and stays exact (the
    domain once took ``e`` instead of ``e^{i}``: ``abs(I) = 1``)."""
    f = exp(I * n) * h**n * u(n)
    result = convolve(f, u(n), n)
    assert result.has(I)
    direct = _Direct(f, u(n), (0, None), (0, None))
    assert_matches(result, direct.convolution, POINTS, real=False)


def test_examples_are_fast():
    start = time.perf_counter()
    convolve(cos(n) * h**n * u(n), u(n), n)
    convolve(n * cos(n) * h**n * u(n), cos(2 * n) * third**n * u(n), n)
    assert time.perf_counter() - start < 5  # about 0.1 s; generous for a loaded machine


# -- the field helper itself ----------------------------------------------------------
def _random_element(rng, w):
    def poly():
        return sum(Rational(rng.randint(-4, 4), rng.randint(1, 3))
                   * (1 + rng.choice([0, 1]) * I) * w ** rng.randint(-2, 2)
                   for _ in range(rng.randint(1, 3)))
    den = poly()
    while den == 0:
        den = poly()
    return poly() / den


@pytest.mark.parametrize("theta", [Integer(1), Rational(1, 3), sqrt(2)])
def test_re_im_equal_the_numeric_parts(theta):
    w = exp(I * theta)
    items = [w, I] if theta.is_Rational else [w, I, theta]
    K = field_for(items)
    uc = UnitCircle.of(K)
    assert uc is not None
    rng = random.Random(19)
    for _ in range(25):
        x = _random_element(rng, w)
        if x == 0:
            continue
        re_x, im_x = uc.re_im(K.from_sympy(x))
        assert not re_x.has(I) and not im_x.has(I)
        want = complex(expand_complex(x).evalf(40))
        assert abs(complex(re_x.evalf(40)) - want.real) < 1e-25 * max(1, abs(want))
        assert abs(complex(im_x.evalf(40)) - want.imag) < 1e-25 * max(1, abs(want))


def test_polar_forms():
    K = field_for([exp(I), I])
    uc = UnitCircle.of(K)
    assert uc.polar(K.from_sympy(exp(I) / 2)) == (h, (1,), 0)
    assert uc.polar(K.from_sympy(exp(-2 * I) / 3)) == (third, (-2,), 0)
    assert uc.polar(K.from_sympy(I * exp(I))) == (1, (1,), pi / 2)
    assert uc.polar(K.from_sympy(2 + exp(I))) is None  # |2 + e^{i}| is not in the field


def test_fields_without_unit_generators_are_not_taken():
    assert UnitCircle.of(field_for([a])) is None
    assert UnitCircle.of(field_for([sqrt(2)])) is None
