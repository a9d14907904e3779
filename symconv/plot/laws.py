"""Probability pictures: the laws of ``X``, ``Y`` and ``X + Y`` (PMF stems, PDF curves, atoms).

Examples
--------
>>> from symconv import Die
>>> _law_window([Die(6)])
(0.7, 6.3)
"""

from __future__ import annotations

import numpy as np
from sympy import Rational, Symbol, ceiling, oo

from symconv.errors import SymconvError, UnsupportedInputError
from symconv.plot.common import (
    _STYLE,
    _baseline,
    _draw_impulse,
    _format,
    _impulse_text,
    _new_figure,
    _short,
    _stems,
    _tidy_axes,
)
from symconv.plot.curves import _check_range, _curve, _limits, _polyline

__all__ = ["plot_distributions"]


# ---------------------------------------------------------------------------
# probability
# ---------------------------------------------------------------------------
def _law_points(law, lo, hi):
    """``[(value, probability)]`` of a discrete law inside ``[lo, hi]``, exact."""
    from symconv.probability import Distribution

    if not isinstance(law, Distribution):
        raise UnsupportedInputError(f"expected a symconv Distribution, got {law!r}")
    s_lo, _ = law.support
    step = law._step  # the lattice spacing (no public accessor yet)
    base = law._base
    first = max(s_lo, base + step * ceiling((Rational(repr(lo)) - base) / step))
    out = []
    v = first
    while float(v) <= hi:
        p = law.pmf(v)
        if p != 0:
            out.append((v, p))
        v += step
        if len(out) > 2000:
            break
    return out


def _law_window(laws):
    """A common window: the supports, cut to mean ± 4.5 sd where a tail is infinite."""
    lo, hi = [], []
    for law in laws:
        s_lo, s_hi = law.support
        try:
            mean, var = law.mean(), law.variance()
            sd = float(var) ** 0.5
            m = float(mean)
        except (SymconvError, ValueError, TypeError, ZeroDivisionError):
            m = sd = None
        if m is None or not (sd == sd) or sd in (float("inf"),):
            m, sd = 0.0, 5.0
        lo.append(float(s_lo) if s_lo != -oo else m - 4.5 * sd)
        hi.append(float(s_hi) if s_hi != oo else m + 4.5 * sd)
    a, b = min(lo), max(hi)
    margin = 0.06 * (b - a) or 1.0
    return a - margin, b + margin


def plot_distributions(X, Y, *, names=("X", "Y"), x_range=None, figsize=(12, 3.6), dpi=100):  # noqa: N803
    """The laws of ``X``, ``Y`` and ``X + Y`` side by side (independent ``X``, ``Y``).

    Discrete laws are drawn as PMF stems, continuous ones as PDF curves (atoms as
    arrows of height equal to their mass); ``X + Y`` is computed exactly by
    :mod:`symconv.probability` (a convolution).

    Parameters
    ----------
    X, Y : symconv.Distribution
    names : (str, str)
    x_range : (lo, hi), optional
        Common horizontal window; by default the supports (infinite tails cut at
        mean ± 4.5 standard deviations).

    Returns
    -------
    matplotlib.figure.Figure
        Axes labelled ``"X"``, ``"Y"``, ``"X+Y"``; titles give the law, mean and variance.

    Examples
    --------
    >>> from symconv import Die
    >>> fig = plot_distributions(Die(6), Die(6))
    >>> fig.axes[2].get_title("left")
    'X + Y:  mean 7, variance 35/6'
    >>> pmf = [line for line in fig.axes[2].get_lines() if line.get_gid() == "pmf"][0]
    >>> [round(v * 36) for v in pmf.get_ydata()]
    [1, 2, 3, 4, 5, 6, 5, 4, 3, 2, 1]
    """
    from symconv.probability import Distribution

    for law, nm in ((X, "X"), (Y, "Y")):
        if not isinstance(law, Distribution):
            raise UnsupportedInputError(f"{nm} must be a symconv Distribution, got {law!r}")
    a, b = str(names[0]), str(names[1])
    total = X + Y
    laws = (X, Y, total)
    rng = _check_range(x_range, "x_range", False)
    lo, hi = rng if rng is not None else _law_window(laws)
    same_kind = len({law.is_discrete for law in laws}) == 1
    fig = _new_figure(figsize, dpi)
    axes = []
    for k, (law, label, style) in enumerate(zip(
            laws, (a, b, f"{a}+{b}"), (_STYLE["h"], _STYLE["x"], _STYLE["y"]), strict=True)):
        ax = fig.add_subplot(1, 3, k + 1, label=label,
                             sharex=axes[0] if axes else None,
                             sharey=axes[0] if axes and same_kind else None)
        axes.append(ax)
        _tidy_axes(ax)
        _baseline(ax)
        shown = label if k < 2 else f"{a} + {b}"
        if law.is_discrete:
            pts = _law_points(law, lo, hi)
            ks = np.array([float(v) for v, _ in pts])
            ps = np.array([float(p) for _, p in pts])
            _stems(ax, ks, ps, style, f"P({shown} = k)", "pmf")
            ax.set_ylabel("probability")
            if not same_kind or k == 0:
                ax.set_ylim(*_limits(ps))
        else:
            s = Symbol("s", real=True)
            curve = _curve(law.pdf(s), s)
            segs = curve.segments(lo, hi)
            ax.plot(*_polyline(segs), color=style["color"], ls=style["ls"], lw=2.2,
                    label=f"density of {shown}", gid="pdf")
            for xs, ys in segs:
                ax.fill_between(xs, ys, 0.0, color=style["color"], alpha=0.12, lw=0)
            weights = []
            for imp in curve.impulses:
                weights.append(float(imp.weight))
                _draw_impulse(ax, float(imp.at), float(imp.weight),
                              _impulse_text(imp.weight, imp.order), style["color"], "atom")
            ax.set_ylabel("density")
            if not same_kind or k == 0:
                vals = [yy for _, ys in segs for yy in ys] + weights
                if same_kind:
                    for other in laws[1:]:
                        oc = _curve(other.pdf(s), s)
                        vals += [yy for _, ys in oc.segments(lo, hi) for yy in ys]
                        vals += [float(i.weight) for i in oc.impulses]
                ax.set_ylim(*_limits(vals, pad=0.08))
        ax.set_title(_law_title(law, shown), fontsize=10, loc="left")
        ax.set_xlabel("value")
        ax.legend(loc="best", frameon=False, fontsize=9)
        if law.is_discrete and law._step.is_integer and law.support[0].is_integer:
            from matplotlib.ticker import MaxNLocator

            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if same_kind and laws[0].is_discrete:
        top = max(max((float(p) for _, p in _law_points(law, lo, hi)), default=0.0)
                  for law in laws)
        axes[0].set_ylim(0, top * 1.15 or 1.0)
    axes[0].set_xlim(lo, hi)
    return fig


def _law_title(law, name):
    text = f"{name}"
    if law.family is not None:
        text += f" ~ {law!r}"
    try:
        text += f":  mean {_format(law.mean())}, variance {_format(law.variance())}"
    except (SymconvError, ValueError, TypeError, ZeroDivisionError):
        pass
    return _short(text, 70)
