"""Real ``sin``/``cos`` output from conjugate pairs, and the Gaussian rationals ``RQI`` the
continuous engine uses where SymPy would take ``QQ_I``.

The output builder collects ``Re C`` and ``Im C`` exactly before building SymPy objects; it
is compared here with SymPy's own arithmetic on the same data (``K.to_sympy`` of every
coefficient, ``expand(..., complex=True)``), and the results with quadrature.
"""

from __future__ import annotations

import random

import mpmath
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy import QQ_I, I, Piecewise, Rational, Symbol, cos, exp, expand, pi, sin, sqrt

from symconv import convolve, u, verify
from symconv.canonical.expoly import ExpPoly
from symconv.canonical.rational import GQ, RQ, RQI
from symconv.convert.output import expoly_to_sympy
from symconv.convert.signals import domain_for

t = Symbol("t", real=True)

rationals = st.builds(Rational, st.integers(-6, 6), st.integers(1, 4))
gaussians = st.builds(lambda x, y: RQI.from_sympy(x + I * y), rationals, rationals)


def test_domain_is_the_fast_gaussian_field():
    assert domain_for([cos(t)], t) is RQI
    assert str(RQI) == "QQ_I"


@settings(max_examples=200, deadline=None)
@given(gaussians, gaussians, gaussians, st.integers(-3, 3))
def test_gaussian_arithmetic_agrees_with_sympy(a, b, c, n):
    S = RQI.to_sympy
    assert S(a + b) == expand(S(a) + S(b))
    assert S(a - b * c) == expand(S(a) - S(b) * S(c))
    if b:
        assert S(a / b) == expand(S(a) / S(b), complex=True)
        assert S(b**n) == expand(S(b) ** n, complex=True)
    assert RQI.from_sympy(S(a)) == a
    assert hash(RQI.from_sympy(S(a))) == hash(a)
    assert RQI.convert(QQ_I.from_sympy(S(a))) == a
    assert (a == b) == (S(a) == S(b))


@st.composite
def real_expolys(draw):
    """A real exponential polynomial over RQI: conjugate pairs with conjugate constants."""
    terms = {}
    for _ in range(draw(st.integers(1, 6))):
        k = draw(st.integers(0, 2))
        s = draw(gaussians)
        r = draw(gaussians)
        c = draw(gaussians)
        for key, val in (((k, s, r), c), ((k, s.conjugate(), r.conjugate()), c.conjugate())):
            terms[key] = terms.get(key, RQI.zero) + val
    terms = {k: v for k, v in terms.items() if v}
    return ExpPoly(RQI, terms)


@settings(max_examples=60, deadline=None)
@given(real_expolys())
def test_real_output_equals_sympy_arithmetic(f):
    got = expoly_to_sympy(f, t)
    assert not got.has(I)
    want = sum(RQI.to_sympy(c) * t**k * exp(RQI.to_sympy(s) * t + RQI.to_sympy(r))
               for (k, s, r), c in f.terms.items())
    for x in (Rational(-3, 2), Rational(1, 3), 2):
        diff = (got - want).subs(t, x)
        assert abs(complex(diff.evalf(30))) < 1e-20


def test_trig_pieces_against_quadrature():
    rng = random.Random(20)
    cuts = [Rational(k, 2) for k in range(-2, 3)]

    def signal():
        args = [(0, t < cuts[0])]
        for hi in cuts[1:]:
            body = Rational(rng.randint(1, 5), rng.randint(1, 3)) * t ** rng.randint(0, 2) \
                * exp(rng.choice([-1, 0, Rational(1, 2)]) * t) \
                * rng.choice([cos, sin])(rng.randint(1, 3) * t)
            args.append((body, t < hi))
        return Piecewise(*args, (0, True))

    for _ in range(3):
        f, g = signal(), signal()
        res = convolve(f, g, t)
        assert not res.has(I)
        assert bool(verify(res, f, g, t))


def test_real_output_for_a_real_input_with_pi():
    """The example of issue 19: the value is real and agrees with quadrature."""
    f, g = cos(2 * pi * t) * u(t), exp(-t) * u(t)
    res = convolve(f, g, t)
    assert bool(verify(res, f, g, t))
    for x in (Rational(1, 3), Rational(2), Rational(7, 2)):
        v = complex(res.subs(t, x).evalf(30))
        assert abs(v.imag) < 1e-25
        with mpmath.workdps(30):
            xm = mpmath.mpf(x.p) / x.q
            want = mpmath.quad(
                lambda s, xm=xm: mpmath.cos(2 * mpmath.pi * s) * mpmath.exp(s - xm), [0, xm])
        assert abs(v.real - float(want)) < 1e-12


def test_real_output_for_a_real_input_with_pi_has_no_i():
    assert not convolve(cos(2 * pi * t) * u(t), exp(-t) * u(t), t).has(I)


def test_rq_embeds_in_rqi():
    from symconv.canonical.rational import embed

    assert embed(RQI, RQ(1, 3)) == GQ(RQ(1, 3))


@pytest.mark.parametrize("f, g", [
    (cos(t) * exp(-t) * u(t), u(t)),
    (cos(sqrt(2) * t) * exp(-t) * u(t), sin(t) * exp(-2 * t) * u(t)),
    (sin(t / 3) * u(t), exp(-t) * u(t)),
    (cos(t) * exp(-t) * u(t), cos(2 * t) * exp(-t) * u(t)),
])
def test_continuous_sinusoids_with_irrational_frequencies_stay_real(f, g):
    """The continuous twin of the sequences' real output (tests/convert/test_unit_circle.py):
    no I, and the values agree with quadrature."""
    result = convolve(f, g, t)
    assert not result.has(I)
    assert verify(result, f, g, t).ok


def test_text_is_never_a_gaussian_rational():
    import pytest
    from sympy.polys.polyerrors import CoercionFailed

    with pytest.raises(CoercionFailed, match="is text"):
        RQI.from_sympy("__import__('os')")
