"""The flip-and-slide figure of ``y = h * x`` at one instant, and the picture of a single signal.

Panels of ``h(τ)``, ``x(t − τ)``, their product with its signed area, and ``y(t)``
(stems for sequences). Jumps are drawn as gaps (no vertical line joins the two
sides unless ``join_jumps=True``), and Dirac impulses as arrows whose height is
their weight. The figure object :class:`_Slide` is updatable; :mod:`symconv.plot.animation`
sweeps it.

Examples
--------
>>> from sympy import Rational, exp, symbols
>>> from symconv import rect, u
>>> t = symbols("t", real=True)
>>> fig = plot_convolution(2*exp(-t/2)*u(t), rect(t - Rational(1, 2)), t, at=3)
>>> [ax.get_label() for ax in fig.axes]
['h', 'x', 'product', 'y']
>>> fig.axes[-1].get_title("left")
'region t ≥ 1:  y(t) = 4·(-1 + √e)·e^(-t/2)'
"""

from __future__ import annotations

import numpy as np
from sympy import Rational, Symbol, oo

from symconv.errors import UnsupportedInputError
from symconv.plot.common import (
    _CURSOR,
    _MARKER_COLOR,
    _NEG_FILL,
    _POS_FILL,
    _RESOLUTION,
    _STYLE,
    _baseline,
    _draw_impulse,
    _dummy,
    _format,
    _impulse_text,
    _label_number,
    _legend,
    _new_figure,
    _paren,
    _region_label,
    _set_stems,
    _short,
    _stems,
    _tidy_axes,
)
from symconv.plot.curves import (
    _check_range,
    _curve,
    _exact_number,
    _is_finite_sequence,
    _join,
    _limits,
    _polyline,
    _window,
)

__all__ = ["plot_convolution", "plot_signal"]

_LAYOUTS = ("panels", "overlay")


# ---------------------------------------------------------------------------
# the flip-and-slide figure
# ---------------------------------------------------------------------------
class _Slide:
    """The figure of ``y = h * x`` at one instant, updatable for animations."""

    def __init__(self, h, x, var, *, t_range, layout, names, join_jumps, figsize, dpi,
                 extra_times=()):
        if layout not in _LAYOUTS:
            raise UnsupportedInputError(f"layout={layout!r} is not accepted; use one of "
                                        f"{_LAYOUTS}")
        hname, xname, yname = _names(names)
        finite = _is_finite_sequence(h) or _is_finite_sequence(x)
        if finite:
            if not (_is_finite_sequence(h) and _is_finite_sequence(x)):
                raise UnsupportedInputError(
                    "one input is a list of values and the other an expression; give both "
                    "as lists (or both as expressions in an integer symbol)")
            var = Symbol("n", integer=True) if var is None else var
        elif not isinstance(var, Symbol):
            raise UnsupportedInputError(
                f"the variable must be a SymPy Symbol, got {var!r}: plot_convolution(h, x, t, "
                "at=...) with t = symbols('t', real=True), or n = symbols('n', integer=True)")
        from symconv.api import convolve

        self.var = var
        self.discrete = finite or bool(var.is_integer)
        self.exact_y = convolve(h, x) if finite else convolve(h, x, var)
        self.h, self.x = _curve(h, var), _curve(x, var)
        self.y = _curve(self.exact_y, var)
        self.names = (hname, xname, yname)
        self.join_jumps = join_jumps
        self.layout = layout
        rng = _check_range(t_range, "t_range", self.discrete)
        if rng is None:
            rng = _window([self.h, self.x, self.y], extra_times, self.discrete)
        self.lo, self.hi = rng
        self.fig = _new_figure(figsize or ((10, 8.6) if layout == "panels" else (10, 7)), dpi)
        self.extra_times = extra_times
        self._dynamic = []  # artists made for one instant (removed at the next)
        self._blit = None  # the static background once animation starts
        self._build()

    # -- static parts -------------------------------------------------------------------
    def _build(self):
        hname, xname, yname = self.names
        v, d = str(self.var), _dummy(self.var)
        self.labels = {
            "h": f"{hname}({d})" if not self.discrete else f"{hname}[{d}]",
            "x": f"{xname}({v} − {d})" if not self.discrete else f"{xname}[{v} − {d}]",
            "y": f"{yname}({v})" if not self.discrete else f"{yname}[{v}]",
        }
        self.labels["product"] = (f"{self.labels['h']}·{self.labels['x']}")
        rows = 4 if self.layout == "panels" else 3
        axes = self.fig.subplots(rows, 1, sharex=True,
                                 gridspec_kw={"height_ratios": [1] * (rows - 1) + [1.25]})
        if self.layout == "panels":
            self.ax_h, self.ax_x, self.ax_p, self.ax_y = axes
        else:
            self.ax_h, self.ax_p, self.ax_y = axes
            self.ax_x = self.ax_h
        for ax, lab in ((self.ax_h, "h"), (self.ax_x, "x"), (self.ax_p, "product"),
                        (self.ax_y, "y")):
            if not ax.get_label():
                ax.set_label(lab)
            _tidy_axes(ax)
            _baseline(ax)
        if self.layout == "overlay":
            self.ax_h.set_label("h, x")
        for ax in axes[:-1]:
            ax.set_xlabel(d)
            ax.xaxis.label.set_visible(True)
            ax.tick_params(labelbottom=True)
        self.ax_y.set_xlabel(v)
        self.ax_y.set_xlim(self.lo, self.hi)
        if self.discrete:
            self._build_discrete()
        else:
            self._build_continuous()
        self.cursors = [ax.axvline(self.lo, **_CURSOR, zorder=1, gid="cursor") for ax in axes]
        self.title_p = self.ax_p.set_title(" ", fontsize=10, loc="left")
        self.title_y = self.ax_y.set_title(" ", fontsize=10, loc="left")
        self.suptitle = self.fig.suptitle(" ", fontsize=12)
        self.cursors[1 if self.layout == "panels" else 0].set_label(f"{d} = {v}")
        self._limits()
        for ax in axes:
            _legend(ax, self.area_handles if ax is self.ax_p else ())
        self.fig.get_layout_engine().set(h_pad=0.06)

    def _build_continuous(self):
        st = _STYLE
        segs = self.h.segments(self.lo, self.hi, self.join_jumps)
        xs, ys = _polyline(segs)
        self.ax_h.plot(xs, ys, color=st["h"]["color"], ls=st["h"]["ls"], lw=2.2,
                       label=self.labels["h"], gid="h")
        for imp in self.h.impulses:
            if self.lo <= float(imp.at) <= self.hi:
                _draw_impulse(self.ax_h, float(imp.at), float(imp.weight),
                              _impulse_text(imp.weight, imp.order), st["h"]["color"],
                              "impulse:h")
        (self.line_x,) = self.ax_x.plot([], [], color=st["x"]["color"], ls=st["x"]["ls"],
                                        lw=2.2, label=self.labels["x"], gid="x")
        (self.line_p,) = self.ax_p.plot([], [], color=st["product"]["color"],
                                        ls=st["product"]["ls"], lw=1.8,
                                        label=self.labels["product"], gid="product")
        from matplotlib.patches import Patch

        self.area_patches = [Patch(**_POS_FILL, lw=0, label="area > 0"),
                             Patch(**_NEG_FILL, lw=0, label="area < 0")]
        self.area_handles = []
        (self.line_y,) = self.ax_y.plot([], [], color=st["y"]["color"], ls=st["y"]["ls"],
                                        lw=2.4, label=f"{self.labels['y']} = "
                                        f"({self.names[0]} ∗ {self.names[1]})({self.var})",
                                        gid="y")
        (self.marker,) = self.ax_y.plot([], [], ls="none", marker="o", ms=8,
                                        color=_MARKER_COLOR, mec="black", zorder=4,
                                        label="current value", gid="marker", clip_on=False)

    def _build_discrete(self):
        st = _STYLE
        ks = np.arange(self.lo, self.hi + 1)
        self.ks = ks
        _stems(self.ax_h, ks, self.h.values(ks), st["h"], self.labels["h"], "h")
        self.stems_x = _stems(self.ax_x, ks, np.zeros(len(ks)),
                              {**st["x"], "face": "white"}, self.labels["x"], "x")
        self.stems_p = _stems(self.ax_p, ks, np.zeros(len(ks)), st["product"],
                              self.labels["product"], "product")
        self.stems_y = _stems(self.ax_y, ks[:0], np.zeros(0), st["y"],
                              f"{self.labels['y']} = ({self.names[0]} ∗ {self.names[1]})"
                              f"[{self.var}]", "y")
        (self.marker,) = self.ax_y.plot([], [], ls="none", marker="o", ms=10,
                                        color=_MARKER_COLOR, mec="black", zorder=4,
                                        label="current value", gid="marker", clip_on=False)
        self.area_handles = []

    def _limits(self):
        lo, hi = self.lo, self.hi
        if self.discrete:
            ks = self.ks
            self.ax_h.set_ylim(*_limits(self.h.values(ks)))
            span = np.arange(lo - hi, hi - lo + 1)
            self.ax_x.set_ylim(*_limits(self.x.values(span)))
            prods = [self.h.values(ks) * self.x.values(n - ks) for n in ks]
            self.ax_p.set_ylim(*_limits(np.concatenate(prods)))
            self.ax_y.set_ylim(*_limits(self.y.values(ks)))
            self.ax_y.set_xlim(lo - 0.5, hi + 0.5)
            from matplotlib.ticker import MaxNLocator

            self.ax_y.xaxis.set_major_locator(MaxNLocator(integer=True))
            return
        # fixed limits for every instant: h over the window, x over every t - τ that shows
        grid = np.linspace(lo, hi, _RESOLUTION)
        hvals = [*self.h.values(grid), *(float(i.weight) for i in self.h.impulses)]
        args = np.linspace(lo - hi, hi - lo, 2 * _RESOLUTION)
        xvals = [*self.x.values(args), *(float(i.weight) for i in self.x.impulses)]
        if self.layout == "overlay":
            self.ax_h.set_ylim(*_limits(hvals + xvals))
        else:
            self.ax_h.set_ylim(*_limits(hvals))
            self.ax_x.set_ylim(*_limits(xvals))
        pvals = []
        for t in sorted({*np.linspace(lo, hi, 121), *(float(e) for e in self.extra_times)}):
            for _, ys in self._product_segments(t):
                pvals.extend(ys)
            pvals.extend(w for _, w, _ in self._product_impulses(t))
        self.ax_p.set_ylim(*_limits(pvals))
        pvals = np.asarray(pvals, dtype=float)
        self.area_handles = [p for p, some in zip(
            self.area_patches, (np.any(pvals > 0), np.any(pvals < 0)), strict=True) if some]
        wy = [float(i.weight) for i in self.y.impulses]
        self.ax_y.set_ylim(*_limits([*self.y.values(grid), *wy]))

    # -- the product h(τ) x(t - τ) ------------------------------------------------------
    def _product_segments(self, t):
        """Polylines of the product over the window, split where either factor changes."""
        lo, hi = self.lo, self.hi
        cuts = {lo, hi}
        cuts.update(float(c) for c in self.h.cuts() if lo < c < hi)
        cuts.update(t - float(c) for c in self.x.cuts() if lo < t - c < hi)
        cuts = sorted(cuts)
        width = max(hi - lo, 1e-12)
        hcuts, xcuts = self.h.cuts(), self.x.cuts()
        pieces = []
        for a, b in zip(cuts, cuts[1:], strict=False):
            if b - a <= 1e-12 * max(1.0, abs(a)):
                continue
            m = 0.5 * (a + b)
            i = int(np.searchsorted(hcuts, m, side="right"))
            j = int(np.searchsorted(xcuts, t - m, side="right"))
            count = max(2, int(_RESOLUTION * (b - a) / width) + 1)
            xs = np.linspace(a, b, count)
            pieces.append((xs, self.h.eval_region(i, xs) * self.x.eval_region(j, t - xs)))
        return _join(pieces, self.join_jumps)

    def _product_impulses(self, t):
        """``(τ, weight, text)`` of the product's impulses (order 0 only)."""
        out = []
        for imp in self.h.impulses:
            if imp.order == 0 and not any(float(i.at) == t - float(imp.at)
                                          for i in self.x.impulses):
                w = float(imp.weight) * float(self.x.values([t - float(imp.at)])[0])
                out.append((float(imp.at), w, "impulse"))
        for imp in self.x.impulses:
            if imp.order == 0 and not any(float(i.at) == t - float(imp.at)
                                          for i in self.h.impulses):
                w = float(imp.weight) * float(self.h.values([t - float(imp.at)])[0])
                out.append((t - float(imp.at), w, "impulse"))
        return out

    # -- one instant ----------------------------------------------------------------------
    def _track(self, artists):
        for a in artists:
            if self._blit is not None:
                a.set_animated(True)
            self._dynamic.append(a)

    def _moving(self):
        """The persistent artists that change from one instant to the next."""
        if self.discrete:
            out = [*self.stems_x, *self.stems_p, *self.stems_y]
        else:
            out = [self.line_x, self.line_p, self.line_y]
        return [*out, self.marker, *self.cursors, self.title_p, self.title_y, self.suptitle]

    def start_animation(self, t, exact_t):
        """Lay out at the first instant, freeze the layout and keep the static background."""
        canvas = self.fig.canvas
        self.update(t, exact_t)
        canvas.draw()
        self.fig.set_layout_engine("none")  # no jitter between frames
        for a in self._moving() + self._dynamic:
            a.set_animated(True)
        self._blit = True
        canvas.draw()
        self._blit = canvas.copy_from_bbox(self.fig.bbox)

    def render(self):
        """The current frame as an RGBA array (static background + moving artists)."""
        canvas = self.fig.canvas
        canvas.restore_region(self._blit)
        for a in sorted(self._moving() + self._dynamic, key=lambda a: a.get_zorder()):
            self.fig.draw_artist(a)
        return np.array(canvas.buffer_rgba())

    def update(self, t, exact_t=None):
        """Draw the instant ``t`` (a float; ``exact_t`` its exact value for the labels)."""
        for artist in self._dynamic:
            artist.remove()
        self._dynamic = []
        for c in self.cursors:
            c.set_xdata([t, t])
        if self.y.table is None:
            point = exact_t if exact_t is not None else Rational(repr(float(t)))
            r = self.y.regions[self.y.region_index(point)]
            a = max(self.lo - 1, float(r.lo)) if r.lo != -oo else self.lo - 1
            b = min(self.hi + 1, float(r.hi)) if r.hi != oo else self.hi + 1
            if self.discrete:
                a, b = a - 0.5, b - 0.5
            self._track([self.ax_y.axvspan(a, b, color="#000000", alpha=0.07, lw=0, zorder=0,
                                           gid="region")])
        if self.discrete:
            self._update_discrete(int(round(t)))
        else:
            self._update_continuous(t)
        self._titles(t, exact_t)

    def _update_continuous(self, t):
        lo, hi = self.lo, self.hi
        # x(t - τ): the segments of x over s = t - τ, mirrored
        segs = self.x.segments(t - hi, t - lo, self.join_jumps)
        flipped = [(t - xs[::-1], ys[::-1]) for xs, ys in reversed(segs)]
        self.line_x.set_data(*_polyline(flipped))
        for imp in self.x.impulses:
            tau = t - float(imp.at)
            if lo <= tau <= hi:
                w = float(imp.weight) * (-1) ** imp.order
                self._track(_draw_impulse(
                    self.ax_x, tau, w, _impulse_text(imp.weight * (-1) ** imp.order, imp.order),
                    _STYLE["x"]["color"], "impulse:x"))
        # the product and its signed area
        psegs = self._product_segments(t)
        self.line_p.set_data(*_polyline(psegs))
        for xs, ys in psegs:
            for where, fill in ((ys >= 0, _POS_FILL), (ys <= 0, _NEG_FILL)):
                if np.any(where & (ys != 0)):
                    self._track([self.ax_p.fill_between(
                        xs, ys, 0.0, where=where, interpolate=True, lw=0, zorder=1, **fill)])
        for tau, w, _ in self._product_impulses(t):
            if lo <= tau <= hi and w != 0:
                self._track(_draw_impulse(self.ax_p, tau, w, f"({_label_number(w)})",
                                               _STYLE["product"]["color"], "impulse:product"))
        # y up to t
        if t >= lo:
            ysegs = self.y.segments(lo, min(t, hi), self.join_jumps)
        else:
            ysegs = []
        self.line_y.set_data(*_polyline(ysegs))
        for imp in self.y.impulses:
            if lo <= float(imp.at) <= t:
                self._track(_draw_impulse(self.ax_y, float(imp.at), float(imp.weight),
                                               _impulse_text(imp.weight, imp.order),
                                               _STYLE["y"]["color"], "impulse:y"))
        self.marker.set_data([t], [float(self.y.values([t])[0])])

    def _update_discrete(self, n):
        ks = self.ks
        _set_stems(self.stems_x, ks, self.x.values(n - ks))
        _set_stems(self.stems_p, ks, self.h.values(ks) * self.x.values(n - ks))
        done = ks[ks <= n]
        _set_stems(self.stems_y, done, self.y.values(done))
        self.marker.set_data([n], [float(self.y.values([n])[0])])

    def _titles(self, t, exact_t):
        v = str(self.var)
        yname = self.names[2]
        shown = _format(exact_t) if exact_t is not None else f"{t:.2f}"
        if len(shown) > 24:  # 10^300 or a long fraction: the title shows its size
            shown = _label_number(t)
        value = None
        if exact_t is not None:
            value = self.y.exact_at(exact_t)
        num = float(self.y.values([t])[0])
        if value is not None and value.is_number and len(_format(value)) <= 40:
            text = _format(value)
            if not value.is_Rational:
                text += f" ≈ {_label_number(num)}"
        else:
            text = _label_number(num)
        kind = "sum" if self.discrete else "signed area"
        br = ("[", "]") if self.discrete else ("(", ")")
        terms = self._sum_terms(exact_t)
        if terms:
            text = f"{terms} = {text}"
        self.title_p.set_text(f"{kind} = {yname}{br[0]}{shown}{br[1]} = {text}")
        self.title_y.set_text(self._region_title(t, exact_t))
        h, x = self.names[0], self.names[1]
        self.suptitle.set_text(f"{yname} = {h} ∗ {x}   at   {v} = {shown}")

    def _sum_terms(self, n):
        """``h[0]·x[2] + ...`` spelled out for short finite sequences, else ``""``."""
        if n is None or self.h.table is None or self.x.table is None:
            return ""
        hv, xv = dict(self.h.table), dict(self.x.table)
        terms = [(hv[k], xv[n - k]) for k in sorted(hv) if (n - k) in xv
                 and hv[k] != 0 and xv[n - k] != 0]
        if not terms or len(terms) > 6:
            return ""
        return " + ".join(f"{_paren(a)}·{_paren(b)}" for a, b in terms)

    def _region_title(self, t, exact_t):
        y = self.y
        v = str(self.var)
        if y.table is not None:
            return f"finite sequence: {self.names[2]}[{v}] for {v} = " \
                   f"{y.table[0][0]}…{y.table[-1][0]}"
        point = exact_t if exact_t is not None else Rational(repr(float(t)))
        r = y.regions[y.region_index(point)]
        label = "region " + _region_label(r.lo, r.hi, v)
        if r.exact:
            br = ("[", "]") if self.discrete else ("(", ")")
            label += f":  {self.names[2]}{br[0]}{v}{br[1]} = {_short(_format(r.expr))}"
        return label


def _names(names):
    try:
        h, x, *rest = names
    except (TypeError, ValueError):
        raise UnsupportedInputError(f"names must be (h, x) or (h, x, y), got {names!r}") from None
    if len(rest) > 1:
        raise UnsupportedInputError(f"names must be (h, x) or (h, x, y), got {names!r}")
    return str(h), str(x), str(rest[0]) if rest else "y"


def plot_convolution(h, x, var=None, *, at, t_range=None, layout="panels", names=("h", "x"),
                     join_jumps=False, figsize=None, dpi=100):
    """The flip-and-slide picture of ``y = h * x`` at one instant ``var = at``.

    Panels (top to bottom): ``h(τ)``; ``x(t − τ)``, flipped and shifted; the product
    ``h(τ)·x(t − τ)`` with its signed area shaded (hatched one way where positive,
    the other way where negative); and ``y(t)`` drawn from the exact result of
    :func:`symconv.convolve` up to ``t``, with a marker at ``(t, y(t))``. The
    title of the last panel names the region of the exact result holding ``t``
    and its formula there. Impulses are arrows; jumps are gaps.

    For sequences (an integer ``var``, or ``h`` and ``x`` given as lists or
    ``{index: value}`` dicts) the panels are stem plots of ``h[k]``, ``x[n − k]``,
    their product and ``y[n]``.

    Parameters
    ----------
    h, x : sympy.Expr, or list / dict of exact values
        The two signals (``h`` stays, ``x`` is flipped and slides).
    var : sympy.Symbol
        ``t = symbols("t", real=True)`` or ``n = symbols("n", integer=True)``;
        not needed for lists.
    at : number
        The instant shown (an integer for sequences); made exact.
    t_range : (lo, hi), optional
        The horizontal window (shared by ``τ`` and ``t``); by default every
        breakpoint is shown and infinite tails until they fall below 2% of the peak.
    layout : {"panels", "overlay"}
        Four panels, or ``h(τ)`` and ``x(t − τ)`` overlaid in the first of three.
    names : (str, str) or (str, str, str)
        Names of ``h``, ``x`` and optionally the result (default ``y``).
    join_jumps : bool
        Draw vertical segments joining the two sides of every jump.
    figsize, dpi
        As for :class:`matplotlib.figure.Figure`.

    Returns
    -------
    matplotlib.figure.Figure
        Axes labelled ``"h"``, ``"x"``, ``"product"``, ``"y"``; the curves carry
        the same ``gid``.

    Raises
    ------
    PlotDependencyError
        When matplotlib is not installed.

    Examples
    --------
    >>> from sympy import symbols
    >>> from symconv import rect
    >>> t = symbols("t", real=True)
    >>> fig = plot_convolution(rect(t), rect(t), t, at=-0.5)
    >>> fig.axes[-1].get_title("left")
    'region -1 ≤ t < 0:  y(t) = t + 1'
    >>> fig.axes[2].get_title("left")
    'signed area = y(-1/2) = 1/2'
    >>> fig = plot_convolution([1, 2, 3], [1, 1], at=2)
    >>> fig.axes[2].get_title("left")
    'sum = y[2] = 2·1 + 3·1 = 5'
    """
    discrete = (_is_finite_sequence(h) or _is_finite_sequence(x)
                or bool(getattr(var, "is_integer", False)))
    at_exact = _exact_number(at, "at")
    if discrete and not at_exact.is_integer:
        raise UnsupportedInputError(f"at must be an integer for sequences, got {at!r}")
    slide = _Slide(h, x, var, t_range=t_range, layout=layout, names=names,
                   join_jumps=join_jumps, figsize=figsize, dpi=dpi, extra_times=(at_exact,))
    slide.update(float(at_exact), at_exact)
    return slide.fig


# ---------------------------------------------------------------------------
# a single signal
# ---------------------------------------------------------------------------
def plot_signal(y, var=None, *, t_range=None, name="y", join_jumps=False, ax=None,
                figsize=(8, 3.2), dpi=100):
    """Any signal or result: a curve with arrows for impulses, or stems for a sequence.

    Parameters
    ----------
    y : sympy.Expr, or list / dict of exact values
        The signal (a result of :func:`symconv.convolve`, an input, ...).
    var : sympy.Symbol
        Real (a curve) or integer (stems); not needed for lists.
    t_range : (lo, hi), optional
        The window; by default every breakpoint and the visible part of the tails.
    name : str
        Shown in the legend as ``name(var)``.
    join_jumps : bool
        Draw vertical segments at jumps.
    ax : matplotlib.axes.Axes, optional
        Draw into these axes instead of a new figure.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from sympy import DiracDelta, symbols
    >>> from symconv import rect
    >>> t = symbols("t", real=True)
    >>> fig = plot_signal(rect(t) + 2*DiracDelta(t - 1), t)
    >>> [a.xy for a in fig.axes[0].texts if a.get_gid() == "impulse:y"]
    [(1.0, 2.0)]
    """
    if _is_finite_sequence(y):
        var = Symbol("n", integer=True) if var is None else var
    elif not isinstance(var, Symbol):
        raise UnsupportedInputError(
            f"the variable must be a SymPy Symbol, got {var!r}: plot_signal(y, t)")
    curve = _curve(y, var)
    rng = _check_range(t_range, "t_range", curve.discrete)
    lo, hi = rng if rng is not None else _window([curve], (), curve.discrete)
    if ax is None:
        fig = _new_figure(figsize, dpi)
        ax = fig.add_subplot()
    else:
        fig = ax.figure
    _tidy_axes(ax)
    _baseline(ax)
    v = str(var)
    style = _STYLE["y"]
    if curve.discrete:
        ks = np.arange(lo, hi + 1)
        vals = curve.values(ks)
        _stems(ax, ks, vals, style, f"{name}[{v}]", "y")
        ax.set_xlim(lo - 0.5, hi + 0.5)
        from matplotlib.ticker import MaxNLocator

        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylim(*_limits(vals))
    else:
        segs = curve.segments(lo, hi, join_jumps)
        ax.plot(*_polyline(segs), color=style["color"], ls=style["ls"], lw=2.2,
                label=f"{name}({v})", gid="y")
        weights = []
        for imp in curve.impulses:
            if lo <= float(imp.at) <= hi:
                weights.append(float(imp.weight))
                _draw_impulse(ax, float(imp.at), float(imp.weight),
                              _impulse_text(imp.weight, imp.order), style["color"], "impulse:y")
        ax.set_xlim(lo, hi)
        ax.set_ylim(*_limits([*(yy for _, ys in segs for yy in ys), *weights]))
    ax.set_xlabel(v)
    ax.legend(loc="best", frameon=False, fontsize=9)
    return fig
