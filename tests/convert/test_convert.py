"""SymPy spellings -> canonical signals -> SymPy: round trips and refusals."""

import pytest
from sympy import (
    Abs,
    DiracDelta,
    Heaviside,
    Matrix,
    Max,
    Min,
    Piecewise,
    Rational,
    S,
    Symbol,
    cos,
    cosh,
    exp,
    nan,
    oo,
    sign,
    simplify,
    sin,
    sinh,
    symbols,
    zoo,
)

from symconv.convert.output import to_sympy
from symconv.convert.signals import domain_for, exact, to_signal
from symconv.errors import UnsupportedInputError
from symconv.functions import ramp, rect, tri, u

t = symbols("t", real=True)
half = Rational(1, 2)
# rational sample points away from every breakpoint used below
POINTS = [Rational(p, 11) for p in range(-60, 61, 4) if p % 11]


def same_function(a, b):
    """Equal at every sample point (exactly, by SymPy evaluation)."""
    for p in POINTS:
        d = simplify((a - b).subs(t, p).rewrite(exp))
        assert d == 0, f"differ at t = {p}: {a.subs(t, p)} vs {b.subs(t, p)}"


@pytest.mark.parametrize(
    "expr",
    [
        rect(t),
        rect((t - 2) / 3),
        tri(2 * t + 1),
        ramp(1 - t),
        u(-t) * exp(2 * t),
        Heaviside(t - 1) * t**2,
        Heaviside(t, 1) - Heaviside(t - 2, 0),
        exp(-Abs(t)),
        exp(-Abs(t - 1) / 2) * cos(3 * t),
        Abs(t) * rect(t / 4),
        Min(t, 1) * u(t),
        Max(t, -t, 1),
        sign(t - 1) * rect(t),
        Piecewise((t, t < 0), (t**2, t < 2), (0, True)),
        Piecewise((1, (t > 0) & (t <= 1)), (2, (t > 2) | (t < -3)), (0, True)),
        sin(2 * t + 1) * u(t),
        sinh(t) * rect(t) + cosh(t) * rect(t - 3),
        2 ** (-t) * u(t),
        u(t**2 - 4),
        exp(-(t - 1)) * u(t - 1),
    ],
)
def test_round_trip_preserves_the_function(expr):
    s = to_signal(expr, t)
    back = to_sympy(s, t)
    same_function(back, expr)
    heav = to_sympy(s, t, form="heaviside")
    same_function(heav, expr)


def test_pieces_are_canonical():
    # three spellings of one window give identical canonical data
    a = to_signal(rect(t - half), t)
    b = to_signal(u(t) - u(t - 1), t)
    c = to_signal(Piecewise((1, (t >= 0) & (t < 1)), (0, True)), t)
    assert a == b == c
    assert a.intervals() == ((0, 1),)


def test_impulses():
    s = to_signal(3 * DiracDelta(2 * t - 4) + DiracDelta(t, 1), t)
    assert [(i.at, i.order) for i in s.impulses] == [(0, 1), (2, 0)]
    assert to_sympy(s, t) == DiracDelta(t, 1) + Rational(3, 2) * DiracDelta(t - 2)


def test_sifting_in_products():
    s = to_signal(exp(-t) * DiracDelta(t - 1), t)
    assert to_sympy(s, t) == exp(-1) * DiracDelta(t - 1)
    # t δ'(t) = -δ(t)
    assert to_sympy(to_signal(t * DiracDelta(t, 1), t), t) == -DiracDelta(t)


def test_domain_choice():
    a = symbols("a", positive=True)
    assert str(domain_for([exp(-t) * rect(t)], t)) == "QQ"
    assert str(domain_for([cos(t)], t)) == "QQ_I"
    assert "a" in str(domain_for([exp(-a * t)], t))


def test_exact_floats():
    assert exact(rect(t - 0.5)) == rect(t - half)
    assert exact(0.1 * t) == t / 10


@pytest.mark.parametrize(
    ("expr", "match"),
    [
        (exp(-(t**2)), "linear"),
        (1 / (1 + t**2), "power"),
        (t ** Rational(1, 2), "power"),
        (u(t**2 - 2), "irrational"),
        (u(exp(t) - t), "sign"),
        (DiracDelta(t) * DiracDelta(t - 1), "two impulses"),
        (DiracDelta(t**2), "linear"),
        (Piecewise((1, t > symbols("T")), (0, True)), "declare the parameters real"),
        (t**5000 * u(t), "limit"),
    ],
)
def test_refusals_name_the_subexpression(expr, match):
    with pytest.raises(UnsupportedInputError, match=match) as err:
        to_signal(expr, t)
    assert err.value.expr is not None


def test_whole_line_constant_and_zero():
    assert to_sympy(to_signal(t * 0, t), t) == 0
    assert to_sympy(to_signal(t + 3, t), t) == t + 3
    assert to_signal(rect(t) * u(-t - 1), t).is_zero
    assert to_signal(exp(t), t).intervals() == ((-oo, oo),)


@pytest.mark.parametrize("bad, match", [
    (lambda t: nan * rect(t), r"f takes an undefined value \(nan\)"),
    (lambda t: oo * rect(t), r"f takes an infinite value \(oo\).*delta"),
    (lambda t: -oo * u(t), r"infinite value \(-oo\)"),
    (lambda t: zoo, r"undefined value \(zoo\)"),
    (lambda t: Matrix([1, 2]), r"f is a SymPy ImmutableDenseMatrix"),
    (lambda t: S.true, r"f is a truth value"),
    (lambda t: Symbol("A", commutative=False) * rect(t), r"non-commutative factors \(A\)"),
])
def test_values_that_are_not_signals_are_refused(bad, match):
    """Hostile values get a symconv error naming the argument, never a library traceback
    and never an answer such as ``nan`` or ``oo·t``."""
    from symconv import convolve

    t = symbols("t", real=True)
    n = symbols("n", integer=True)
    with pytest.raises(UnsupportedInputError, match=match):
        convolve(bad(t), rect(t), t)
    with pytest.raises(UnsupportedInputError, match=match.replace("delta", "")):
        convolve(bad(n), u(n), n)


def test_infinity_in_a_condition_is_not_a_value():
    from symconv import convolve

    t = symbols("t", real=True)
    assert convolve(Piecewise((1, (t > 0) & (t < oo)), (0, True)) * rect(t - 1), rect(t), t) \
        == convolve(rect(t - 1), rect(t), t)
