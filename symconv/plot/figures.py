"""Pictures of convolution: the flip-and-slide figure, its animation, stems, channels, images, laws.

Every picture is drawn from the *exact* objects symconv computes: the result of
:func:`symconv.convolve` (a ``Piecewise`` with exact breakpoints) is split at its
breakpoints and each region's SymPy expression is evaluated with ``lambdify`` on a
NumPy array. Floats appear only here, at the numeric edge; nothing numeric flows
back into the symbolic layer. Jumps are drawn as gaps (no vertical line joins the
two sides unless ``join_jumps=True``), and Dirac impulses as arrows whose height
is their weight.

matplotlib is an optional extra (``pip install symconv[plot]``); it is imported
only when a picture is drawn, and every figure is a plain
:class:`matplotlib.figure.Figure` on the non-interactive Agg canvas (no pyplot,
no global state). GIF animations are written with Pillow, MP4 with ffmpeg when
it is installed.

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

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sympy import (
    Add,
    DiracDelta,
    Heaviside,
    Integer,
    Piecewise,
    Poly,
    Rational,
    S,
    Symbol,
    ceiling,
    lambdify,
    oo,
    sign,
    sympify,
)
from sympy.core.relational import Relational
from sympy.core.sympify import SympifyError
from sympy.polys.polyerrors import PolynomialError

from symconv.errors import SymconvError, UnsupportedInputError

__all__ = [
    "PlotDependencyError",
    "plot_convolution",
    "animate_convolution",
    "plot_signal",
    "plot_channels",
    "plot_image_convolution",
    "plot_distributions",
]

_LAYOUTS = ("panels", "overlay")
_OPS = ("convolution", "correlation")
_MODES = ("full", "same", "valid")
_SUFFIXES = (".gif", ".mp4")

# Okabe–Ito colours (safe for colour-blind readers), paired with distinct line styles and
# markers so that every curve can still be told apart in greyscale.
_STYLE = {
    "h": {"color": "#0072B2", "ls": "-", "marker": "o"},
    "x": {"color": "#D55E00", "ls": "--", "marker": "s"},
    "product": {"color": "#009E73", "ls": "-.", "marker": "D"},
    "y": {"color": "#000000", "ls": "-", "marker": "o"},
}
_POS_FILL = {"facecolor": "#F5C26B", "edgecolor": "#9C6A00", "hatch": "///"}
_NEG_FILL = {"facecolor": "#A7D3F0", "edgecolor": "#1F5F8B", "hatch": "\\\\\\"}
_MARKER_COLOR = "#CC0000"
_CURSOR = {"color": "#777777", "lw": 1.0, "ls": ":"}
_RESOLUTION = 600  # points across the window for continuous curves


class PlotDependencyError(SymconvError, ImportError):
    """A picture needs a package or program that is not installed (matplotlib, Pillow, ffmpeg).

    >>> issubclass(PlotDependencyError, ImportError)
    True
    """


def _matplotlib():
    """``(Figure, FigureCanvasAgg)``, imported on demand."""
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError as err:
        raise PlotDependencyError(
            f"pictures need matplotlib, which is not installed ({err}); "
            "install it with: pip install symconv[plot]"
        ) from err
    return Figure, FigureCanvasAgg


def _new_figure(figsize, dpi=100):
    figure_cls, canvas_cls = _matplotlib()
    fig = figure_cls(figsize=figsize, dpi=dpi, layout="constrained")
    canvas_cls(fig)
    return fig


# ---------------------------------------------------------------------------
# exact objects -> numeric curves
# ---------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Region:
    """``expr`` on ``[lo, hi)`` (exact ends, ``±oo`` allowed); ``fn`` its NumPy function.

    ``exact`` is ``False`` for regions of a signal outside symconv's class: there
    ``expr`` is the whole signal and the ends are only where it may jump.
    """

    lo: object
    hi: object
    expr: object
    fn: object
    exact: bool = True


@dataclass(frozen=True, slots=True)
class _Impulse:
    """``weight · δ⁽ᵒʳᵈᵉʳ⁾(var - at)`` with exact ``at`` and ``weight``."""

    at: object
    weight: object
    order: int


@dataclass(frozen=True, slots=True)
class _Curve:
    """A signal ready to draw: exact regions, impulses, or a finite table of values."""

    var: object
    discrete: bool
    regions: tuple = ()
    impulses: tuple = ()
    table: tuple | None = None  # ((index, exact value), ...) for finite sequences

    # -- structure ----------------------------------------------------------------------
    def cuts(self):
        """Interior region boundaries as floats."""
        return np.array([float(r.lo) for r in self.regions[1:]], dtype=float)

    def finite_points(self):
        """Exact finite breakpoints, impulse positions and table indices."""
        if self.table is not None:
            return [Integer(k) for k, _ in self.table]
        pts = [r.lo for r in self.regions[1:]]
        pts += [i.at for i in self.impulses]
        return pts

    def region_index(self, x):
        """Index of the region holding the exact point ``x`` (half-open ``[lo, hi)``)."""
        for i, r in enumerate(self.regions):
            if bool(r.lo <= x) and bool(x < r.hi):
                return i
        return len(self.regions) - 1

    def tail_is_zero(self, direction):
        """``True`` when the signal vanishes beyond its last (first) breakpoint."""
        if self.table is not None:
            return True
        r = self.regions[-1] if direction > 0 else self.regions[0]
        return r.exact and r.expr == 0

    # -- numbers ------------------------------------------------------------------------
    def eval_region(self, i, xs):
        """Values of region ``i``'s expression at ``xs`` (one-sided limits at its ends)."""
        r = self.regions[i]
        xs = np.asarray(xs, dtype=float)
        if not r.exact:  # the whole signal: nudge the ends inside the region
            lo = float(r.lo) if r.lo != -oo else -np.inf
            hi = float(r.hi) if r.hi != oo else np.inf
            eps = 1e-9 * max([1.0, *(abs(v) for v in (lo, hi) if np.isfinite(v))])
            xs = np.clip(xs, lo + eps, hi - eps)
        return _call(r.fn, xs)

    def values(self, xs):
        """The regular part at ``xs`` (the value of the region holding each point)."""
        xs = np.asarray(xs, dtype=float)
        if self.table is not None:
            lookup = {k: float(v) for k, v in self.table}
            return np.array([lookup.get(int(round(x)), 0.0) for x in xs.ravel()]).reshape(
                xs.shape)
        idx = np.searchsorted(self.cuts(), xs, side="right")
        out = np.zeros(xs.shape, dtype=float)
        for i in np.unique(idx):
            mask = idx == i
            out[mask] = self.eval_region(int(i), xs[mask])
        return out

    def segments(self, a, b, join_jumps=False, n=_RESOLUTION):
        """Polylines ``[(xs, ys), ...]`` over ``[a, b]``, one per run without jumps."""
        pieces = []
        width = max(b - a, 1e-12)
        for i, r in enumerate(self.regions):
            lo = max(a, float(r.lo) if r.lo != -oo else -np.inf)
            hi = min(b, float(r.hi) if r.hi != oo else np.inf)
            if hi < lo:
                continue
            count = max(2, int(n * (hi - lo) / width) + 1)
            if r.exact and r.expr.is_number:
                count = 2
            xs = np.linspace(lo, hi, count)
            pieces.append((xs, self.eval_region(i, xs)))
        return _join(pieces, join_jumps)

    def exact_at(self, x):
        """The exact value of the regular part at ``x``, or ``None`` outside the class."""
        if self.table is not None:
            return dict(self.table).get(int(x), S.Zero)
        r = self.regions[self.region_index(x)]
        if not r.exact:
            return None
        return r.expr.subs(self.var, x)


def _call(fn, xs):
    with np.errstate(all="ignore"):
        v = np.asarray(fn(xs))
    v = np.broadcast_to(v, xs.shape)
    if np.iscomplexobj(v):
        scale = 1.0 + float(np.nanmax(np.abs(v.real), initial=0.0))
        if float(np.nanmax(np.abs(v.imag), initial=0.0)) > 1e-9 * scale:
            raise UnsupportedInputError(
                "the signal has complex values; plot its real and imaginary parts "
                "separately (sympy.re(expr), sympy.im(expr))"
            )
        v = v.real
    return np.array(v, dtype=float)


def _join(pieces, join_jumps):
    """Merge neighbouring polylines that meet (same end point) or when jumps are joined."""
    out = []
    for xs, ys in pieces:
        if out:
            pxs, pys = out[-1]
            same_x = abs(pxs[-1] - xs[0]) <= 1e-12 * max(1.0, abs(xs[0]))
            scale = max(1.0, abs(pys[-1]), abs(ys[0]))
            meets = same_x and abs(pys[-1] - ys[0]) <= 1e-9 * scale
            if meets or (same_x and join_jumps):
                out[-1] = (np.concatenate([pxs, xs]), np.concatenate([pys, ys]))
                continue
        out.append((xs, ys))
    return out


def _polyline(segments):
    """One ``(xs, ys)`` with NaN between segments (a gap at every jump)."""
    xs, ys = [], []
    for i, (sx, sy) in enumerate(segments):
        if i:
            xs.append(np.array([np.nan]))
            ys.append(np.array([np.nan]))
        xs.append(sx)
        ys.append(sy)
    if not xs:
        return np.array([]), np.array([])
    return np.concatenate(xs), np.concatenate(ys)


def _exact_number(v, what):
    """A real number given by the user, made exact (floats by their shortest decimal)."""
    from symconv.convert.signals import exact

    if isinstance(v, bool):
        raise UnsupportedInputError(f"{what} must be a number, got {v!r}")
    try:
        e = exact(sympify(v, strict=True))
    except (SympifyError, TypeError):
        raise UnsupportedInputError(f"{what} must be a real number, got {v!r}") from None
    if not (e.is_number and e.is_extended_real and e.is_finite):
        raise UnsupportedInputError(f"{what} must be a finite real number, got {v!r}")
    return e


def _is_finite_sequence(x):
    if isinstance(x, (list, tuple, dict)):
        return True
    return type(x).__module__ == "numpy" and hasattr(x, "shape")


def _table_curve(values, var):
    from symconv.engine.finite import _as_items

    start, vals = _as_items(values, "the sequence")
    table = tuple((start + i, v) for i, v in enumerate(vals))
    for _, v in table:
        if v.free_symbols:
            raise _parameters_error(v, v.free_symbols)
    return _Curve(var, True, table=table)


def _parameters_error(expr, free):
    names = ", ".join(sorted(str(s) for s in free))
    first = sorted(free, key=str)[0]
    return UnsupportedInputError(
        f"cannot draw a signal with free parameters ({names}); substitute numbers first, "
        f"e.g. expr.subs({first}, 2)",
        expr,
    )


def _curve(expr, var):
    """The drawable form of ``expr`` in ``var`` (or of a finite list of values)."""
    if _is_finite_sequence(expr):
        return _table_curve(expr, var)
    from symconv.convert.signals import exact

    try:
        expr = exact(sympify(expr, strict=True))
    except SympifyError:
        raise UnsupportedInputError(f"cannot draw {expr!r}: not a SymPy expression") from None
    free = expr.free_symbols - {var}
    if free:
        raise _parameters_error(expr, free)
    discrete = bool(var.is_integer)
    try:
        return _discrete_curve(expr, var) if discrete else _continuous_curve(expr, var)
    except UnsupportedInputError:
        return _generic_curve(expr, var, discrete)


def _region(lo, hi, expr, var, exact=True):
    return _Region(lo, hi, expr, lambdify(var, expr, modules="numpy"), exact)


def _continuous_curve(expr, var):
    from symconv.canonical.signal import to_sympy_point
    from symconv.convert.signals import expoly_to_sympy, to_signal

    sig = to_signal(expr, var)
    regions = []
    prev = -oo
    for p in sig.pieces:
        lo, hi = to_sympy_point(p.lo), to_sympy_point(p.hi)
        if prev < lo:
            regions.append(_region(prev, lo, S.Zero, var))
        regions.append(_region(lo, hi, expoly_to_sympy(p.expr, var), var))
        prev = hi
    if prev < oo:
        regions.append(_region(prev, oo, S.Zero, var))
    impulses = tuple(
        _Impulse(to_sympy_point(i.at), expoly_to_sympy(i.weight, var), i.order)
        for i in sig.impulses
    )
    return _Curve(var, False, tuple(regions), impulses)


def _discrete_curve(expr, var):
    from symconv.convert.signals import piecewise_regions
    from symconv.engine.discrete import sequence_to_sympy, to_sequence

    pw = sequence_to_sympy(to_sequence(expr, var), var)
    regions = tuple(_region(lo, hi, e, var) for lo, hi, e in piecewise_regions(pw, var))
    return _Curve(var, True, regions)


def _generic_curve(expr, var, discrete):
    """A signal outside the exact class (a Gaussian, ...): evaluated as a whole, split
    at the points where its conditions, steps and signs change."""
    regular, impulses = [], []
    for term in Add.make_args(expr):
        if term.has(DiracDelta):
            impulses.append(_generic_impulse(term, var))
        else:
            regular.append(term)
    body = Add(*regular)
    body = body.rewrite(Piecewise) if body.has(var) else body
    pts = sorted(_generic_breakpoints(body, var), key=float)
    ends = [-oo, *pts, oo]
    regions = tuple(
        _region(lo, hi, body, var, exact=not body.has(var)) for lo, hi in zip(ends, ends[1:],
                                                                              strict=False)
    )
    return _Curve(var, discrete, regions, tuple(impulses))


def _generic_impulse(term, var):
    deltas = [d for d in term.atoms(DiracDelta) if d.has(var)]
    if len(deltas) != 1:
        raise UnsupportedInputError(f"cannot draw the impulse term {term}", term)
    d = deltas[0]
    order = int(d.args[1]) if len(d.args) > 1 else 0
    try:
        p = Poly(d.args[0], var)
    except PolynomialError:
        p = None
    if p is None or p.degree() != 1:
        raise UnsupportedInputError(f"cannot draw {d}: its argument is not linear in {var}", d)
    slope, c0 = p.all_coeffs()
    at = -c0 / slope
    coeff = (term / d).subs(var, at) if order == 0 else term / d
    if coeff.has(var):
        raise UnsupportedInputError(f"cannot draw the impulse term {term}", term)
    # δ⁽ᵐ⁾(k(t - a)) = δ⁽ᵐ⁾(t - a) / (kᵐ |k|)
    return _Impulse(at, coeff / (slope**order * abs(slope)), order)


def _generic_breakpoints(expr, var):
    pts = set()
    args = [r.lhs - r.rhs for r in expr.atoms(Relational)]
    args += [a.args[0] for a in expr.atoms(Heaviside, sign)]
    for arg in args:
        if not arg.has(var):
            continue
        try:
            roots = Poly(arg, var).real_roots()
        except PolynomialError:
            continue
        pts.update(r for r in roots if r.is_real)
    return pts


# ---------------------------------------------------------------------------
# windows and limits
# ---------------------------------------------------------------------------
def _window(curves, points, discrete):
    """A window showing every breakpoint and the tails until they fade below 2% of the peak."""
    pts = [float(p) for c in curves for p in c.finite_points()]
    pts += [float(p) for p in points]
    if not pts:
        pts = [0.0]
    lo, hi = min(pts), max(pts)
    span = max(hi - lo, 2.0 if discrete else 1.0)
    left, right = lo, hi
    for c in curves:
        if c.table is not None:
            continue
        inner = np.linspace(lo, hi, 200) if hi > lo else np.array([lo])
        peak = float(np.max(np.abs(c.values(inner)), initial=0.0))
        peak = max(peak, *(abs(float(i.weight)) for i in c.impulses), 0.0)
        for direction in (1, -1):
            if c.tail_is_zero(direction):
                continue
            start = hi if direction > 0 else lo
            far = start + direction * np.linspace(0.0, 50.0 * span, 4001)
            vals = np.abs(c.values(far))
            top = max(peak, float(np.max(vals, initial=0.0)))
            big = np.nonzero(vals > 0.02 * top)[0]
            if top == 0 or not len(big):
                continue
            reach = float(abs(far[big[-1]] - start))
            if big[-1] == len(far) - 1:  # no decay: show one more span
                reach = span
            if direction > 0:
                right = max(right, start + reach)
            else:
                left = min(left, start - reach)
    margin = 0.1 * (right - left) or 1.0
    if discrete:
        return int(np.floor(left - margin)), int(np.ceil(right + margin))
    return left - margin, right + margin


def _check_range(rng, what, discrete):
    if rng is None:
        return None
    try:
        lo, hi = rng
    except (TypeError, ValueError):
        raise UnsupportedInputError(f"{what} must be a pair (lo, hi), got {rng!r}") from None
    lo, hi = _exact_number(lo, f"{what}[0]"), _exact_number(hi, f"{what}[1]")
    if not bool(lo < hi):
        raise UnsupportedInputError(f"{what} must have lo < hi, got {rng!r}")
    if discrete:
        if not (lo.is_integer and hi.is_integer):
            raise UnsupportedInputError(f"{what} must be integers for sequences, got {rng!r}")
        return int(lo), int(hi)
    return float(lo), float(hi)


def _limits(values, pad=0.12):
    vals = np.asarray(values, dtype=float).ravel()
    vals = np.append(vals[np.isfinite(vals)], 0.0)
    lo, hi = float(vals.min()), float(vals.max())
    if hi - lo == 0:
        return (-1.0, 1.0)
    d = pad * (hi - lo)
    return (lo - d if lo < 0 else lo - d / 3, hi + d if hi > 0 else hi + d / 3)


# ---------------------------------------------------------------------------
# drawing helpers
# ---------------------------------------------------------------------------
def _label_number(v):
    return f"{v:.4g}" if v != 0 else "0"


def _short(text, n=64):
    return text if len(text) <= n else text[: n - 1] + "…"


def _format(expr):
    from symconv.teaching.render.text import format_expr

    return format_expr(expr)


def _region_label(lo, hi, name):
    """``0 ≤ t < 1``, ``t < 0``, ``t ≥ 1`` or ``all t``."""
    if lo == -oo and hi == oo:
        return f"all {name}"
    if lo == -oo:
        return f"{name} < {_format(hi)}"
    if hi == oo:
        return f"{name} ≥ {_format(lo)}"
    return f"{_format(lo)} ≤ {name} < {_format(hi)}"


def _paren(v):
    """A factor in a written-out product: negative numbers in parentheses."""
    text = _format(v)
    return f"({text})" if text.startswith("-") or " " in text else text


def _impulse_text(weight, order):
    w = _format(weight)
    if order == 0:
        return f"({w})"
    return f"({w})·δ{chr(0x2032) * order}"


def _draw_impulse(ax, x, height, text, color, gid):
    """An arrow from the axis to ``height`` at ``x``, labelled with its weight."""
    arrow = ax.annotate(
        "", xy=(x, height), xytext=(x, 0.0), gid=gid,
        arrowprops={"arrowstyle": "-|>", "color": color, "lw": 2.2, "mutation_scale": 16,
                    "shrinkA": 0, "shrinkB": 0},
    )
    label = ax.annotate(
        text, xy=(x, height), xytext=(4, 2 if height >= 0 else -12), textcoords="offset points",
        color=color, fontsize=9, gid=gid + ":label",
    )
    return [arrow, label]


def _stems(ax, ks, vals, style, label, gid, markersize=6):
    """A stem plot drawn as one LineCollection and one marker line (easy to update)."""
    stems = ax.vlines(ks, 0, vals, colors=style["color"], linestyles="solid", lw=1.6)
    stems.set_gid(gid + ":stems")
    (marks,) = ax.plot(ks, vals, ls="none", marker=style["marker"], color=style["color"],
                       markersize=markersize, label=label, gid=gid, zorder=3,
                       markerfacecolor=style.get("face", style["color"]))
    return stems, marks


def _set_stems(artists, ks, vals):
    stems, marks = artists
    stems.set_segments([[(k, 0.0), (k, v)] for k, v in zip(ks, vals, strict=True)])
    marks.set_data(ks, vals)


def _baseline(ax):
    ax.axhline(0.0, color="#444444", lw=0.8, zorder=0)


def _tidy_axes(ax):
    ax.grid(True, color="#E3E3E3", lw=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _legend(ax, extra=()):
    handles, labels = ax.get_legend_handles_labels()
    handles += list(extra)
    labels += [h.get_label() for h in extra]
    ax.legend(handles, labels, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False,
              fontsize=9, handlelength=2.6)


def _dummy(var):
    """The integration (summation) variable's printed name."""
    if var.is_integer:
        return "m" if str(var) == "k" else "k"
    return "τ"


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


def _nice_count(width):
    """About 100 frames, at a round step (0.1, 0.2, 0.25, 0.5, ...) when one fits exactly."""
    best = None
    for e in range(-3, 4):
        for k in (1, 2, Rational(5, 2), 5):
            step = k * Rational(10) ** e
            n = width / step
            if n.is_integer and 50 <= n <= 150 and (best is None or abs(n - 100) < abs(best - 100)):
                best = n
    return int(best) + 1 if best is not None else 100


def _ffmpeg_available():
    from matplotlib import animation

    return animation.writers.is_available("ffmpeg")


def animate_convolution(h, x, var=None, *, t_range=None, path="convolution.gif", frames=None,
                        fps=20, layout="panels", names=("h", "x"), join_jumps=False,
                        figsize=(9, 7.6), dpi=80, hold=1.0):
    """An animation of the flip-and-slide picture as ``t`` sweeps ``t_range``.

    Each frame is :func:`plot_convolution` at one instant; the frames are equally
    spaced exact instants from ``t_range[0]`` to ``t_range[1]`` (every integer for
    sequences, by default). A ``.gif`` path is written with Pillow (a shared
    palette, looping); an ``.mp4`` path with ffmpeg, when it is installed.

    Parameters
    ----------
    h, x, var, layout, names, join_jumps
        As in :func:`plot_convolution`.
    t_range : (lo, hi), optional
        The sweep and the window; the default is chosen as in :func:`plot_convolution`.
    path : str or pathlib.Path
        ``*.gif`` or ``*.mp4``.
    frames : int, optional
        Number of frames (at least 2); by default about 100 at a round step of ``t``
        (86 for ``t_range=(-2, 15)``: steps of 0.2), or one per integer for sequences.
    fps : number
        Frames per second.
    figsize, dpi
        Size of each frame in inches and dots per inch.
    hold : float
        Seconds the last frame stays before a GIF loops.

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    PlotDependencyError
        Without matplotlib (or Pillow), or ffmpeg for an ``.mp4``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from sympy import symbols
    >>> from symconv import rect
    >>> from PIL import Image
    >>> t = symbols("t", real=True)
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "rr.gif"
    >>> animate_convolution(rect(t), rect(t), t, t_range=(-2, 2), path=out, frames=5,
    ...                     dpi=30) == out
    True
    >>> with Image.open(out) as im:
    ...     im.n_frames
    5
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in _SUFFIXES:
        raise UnsupportedInputError(
            f"cannot write {path.name!r}: the file name must end in one of {_SUFFIXES}")
    discrete = (_is_finite_sequence(h) or _is_finite_sequence(x)
                or bool(getattr(var, "is_integer", False)))
    if frames is not None and (isinstance(frames, bool) or not isinstance(frames, int)
                               or frames < 2):
        raise UnsupportedInputError(f"frames must be an integer >= 2, got {frames!r}")
    if isinstance(fps, bool) or not isinstance(fps, (int, float)) or not fps > 0:
        raise UnsupportedInputError(f"fps must be a positive number, got {fps!r}")
    if suffix == ".mp4" and not _ffmpeg_available():
        raise PlotDependencyError(
            "writing an .mp4 needs ffmpeg, which was not found; install ffmpeg "
            "(e.g. apt install ffmpeg, conda install ffmpeg) or write a .gif instead")
    slide = _Slide(h, x, var, t_range=t_range, layout=layout, names=names,
                   join_jumps=join_jumps, figsize=figsize, dpi=dpi)
    if discrete:
        lo, hi = Integer(slide.lo), Integer(slide.hi)
        count = frames if frames is not None else int(hi - lo) + 1
    else:
        if t_range is not None:
            lo, hi = _exact_number(t_range[0], "t_range[0]"), _exact_number(t_range[1], "")
        else:
            lo, hi = Rational(repr(slide.lo)), Rational(repr(slide.hi))
        count = frames if frames is not None else _nice_count(hi - lo)
    times = [lo + (hi - lo) * k / (count - 1) for k in range(count)]
    if discrete:
        times = [Integer(round(float(tk))) for tk in times]
    # sequences: exact labels; continuous time: decimals (exact forms of 482/99 help nobody)
    label = (lambda tk: tk) if discrete else (lambda tk: None)
    slide.start_animation(float(times[0]), label(times[0]))

    def frames_rgba():
        for tk in times:
            slide.update(float(tk), label(tk))
            yield slide.render()

    if suffix == ".gif":
        _write_gif(frames_rgba(), path, fps, hold)
    else:
        _write_mp4(frames_rgba(), path, fps)
    return path


def _write_gif(frames_rgba, path, fps, hold):
    try:
        from PIL import Image
    except ImportError as err:
        raise PlotDependencyError(
            "writing a GIF needs Pillow: pip install symconv[plot]") from err
    images = [Image.fromarray(rgba).convert("RGB") for rgba in frames_rgba]
    # one palette for all frames (no flicker), taken from a few frames spread over the sweep
    picks = [images[k] for k in sorted({round(i * (len(images) - 1) / 4) for i in range(5)})]
    sheet = Image.new("RGB", (picks[0].width, picks[0].height * len(picks)))
    for i, im in enumerate(picks):
        sheet.paste(im, (0, i * im.height))
    palette = sheet.quantize(colors=96, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    frames = [im.quantize(palette=palette, dither=Image.Dither.NONE) for im in images]
    step = int(round(1000 / fps))
    durations = [step] * (len(frames) - 1) + [max(step, int(round(1000 * hold)))]
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=durations, loop=0,
                   optimize=False, disposal=1)


def _write_mp4(frames_rgba, path, fps):
    """Pipe raw RGBA frames to ffmpeg (H.264, yuv420p: plays everywhere)."""
    import subprocess

    from matplotlib import rcParams

    proc = None
    try:
        for rgba in frames_rgba:
            if proc is None:
                height, width = rgba.shape[:2]
                cmd = [rcParams["animation.ffmpeg_path"], "-y", "-loglevel", "error",
                       "-f", "rawvideo", "-pix_fmt", "rgba", "-s", f"{width}x{height}",
                       "-r", str(fps), "-i", "-",
                       "-vf", "pad=ceil(iw/2)*2:ceil(ih/2)*2:color=white",
                       "-vcodec", "libx264", "-pix_fmt", "yuv420p", str(path)]
                proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stderr=subprocess.PIPE)
            proc.stdin.write(rgba.tobytes())
    finally:
        if proc is not None:
            _, err = proc.communicate()
            if proc.returncode:
                raise PlotDependencyError(
                    f"ffmpeg failed (exit {proc.returncode}): {err.decode(errors='replace')}")


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


# ---------------------------------------------------------------------------
# channels (the deep-learning picture) and images
# ---------------------------------------------------------------------------
def _check_choice(value, name, allowed):
    if value not in allowed:
        raise UnsupportedInputError(f"{name}={value!r} is not accepted; use one of {allowed}")


def _as_dict(seq, what):
    from symconv.engine.finite import _as_items

    start, vals = _as_items(seq, what)
    return {start + i: v for i, v in enumerate(vals)}


def _channel_output(xc, kc, mode, op):
    from symconv.api import convolve, correlate

    if op == "convolution":
        out = convolve(xc, kc, mode=mode)
    else:  # the deep-learning layer: Σ_k w[k] x[n + k]
        out = correlate(kc, xc, mode=mode)
    return out


def plot_channels(channels, kernel, *, mode="full", op="convolution", names=None,
                  figsize=None, dpi=100):
    """The deep-learning picture: one kernel per input channel, the outputs summed.

    Row ``c`` shows input channel ``x_c[n]``, its kernel ``k_c[n]`` and the exact
    channel output ``(x_c ∗ k_c)[n]``; the last row the sum over channels
    ``y[n] = Σ_c (x_c ∗ k_c)[n]`` — what one output channel of a convolution layer
    computes.

    Parameters
    ----------
    channels : list of lists (or ``{index: value}`` dicts)
        The input channels, exact values.
    kernel : list, or list of lists
        One kernel used for every channel, or one kernel per channel.
    mode : {"full", "same", "valid"}
        As :func:`symconv.convolve` for lists (``"valid"``: no padding).
    op : {"convolution", "correlation"}
        ``"correlation"`` computes ``Σ_k k[k] x[n + k]``, which is what deep-learning
        libraries call convolution.
    names : list of str, optional
        Channel names (default ``x1, x2, ...``).

    Returns
    -------
    matplotlib.figure.Figure
        Axes labelled ``"input c"``, ``"kernel c"``, ``"output c"`` and ``"sum"``.

    Examples
    --------
    >>> fig = plot_channels([[1, 2, 3], [0, 1, 0]], [1, -1])
    >>> ax = [a for a in fig.axes if a.get_label() == "sum"][0]
    >>> [float(v) for line in ax.get_lines() if line.get_gid() == "sum" for v in line.get_ydata()]
    [1.0, 2.0, 0.0, -3.0]
    """
    _check_choice(mode, "mode", _MODES)
    _check_choice(op, "op", _OPS)
    if not isinstance(channels, (list, tuple)) or not channels:
        raise UnsupportedInputError("channels must be a non-empty list of sequences")
    chans = [_as_dict(c, f"channel {i + 1}") for i, c in enumerate(channels)]
    per_channel = isinstance(kernel, (list, tuple)) and kernel and all(
        _is_finite_sequence(k) for k in kernel)
    kernels = [_as_dict(k, f"kernel {i + 1}") for i, k in enumerate(kernel)] if per_channel \
        else [_as_dict(kernel, "kernel")] * len(chans)
    if len(kernels) != len(chans):
        raise UnsupportedInputError(
            f"{len(chans)} channels but {len(kernels)} kernels; give one kernel, or one per "
            "channel")
    names = list(names) if names is not None else [f"x{i + 1}" for i in range(len(chans))]
    outs = [_channel_output(xc, kc, mode, op) for xc, kc in zip(chans, kernels, strict=True)]
    total = {}
    for o in outs:
        for k, v in o.items():
            total[k] = total.get(k, S.Zero) + v
    nrows = len(chans) + 1
    fig = _new_figure(figsize or (11, 1.9 * nrows + 0.4), dpi)
    grid = fig.add_gridspec(nrows, 3)
    allk = [k for d in (*chans, *kernels, *outs, total) for k in d]
    lo, hi = min(allk) - 1, max(allk) + 1
    sym = "∗" if op == "convolution" else "⋆"
    share = None
    for c, (xc, kc, oc) in enumerate(zip(chans, kernels, outs, strict=True)):
        for col, (data, style, label, title) in enumerate((
            (xc, _STYLE["x"], f"input {c + 1}", f"{names[c]}[n]"),
            (kc, _STYLE["h"], f"kernel {c + 1}", f"k{c + 1}[n]" if per_channel else "k[n]"),
            (oc, _STYLE["product"], f"output {c + 1}",
             f"({names[c]} {sym} {'k' + str(c + 1) if per_channel else 'k'})[n]"),
        )):
            ax = fig.add_subplot(grid[c, col], sharex=share, label=label)
            share = share or ax
            ks = np.array(sorted(data))
            _tidy_axes(ax)
            _baseline(ax)
            _stems(ax, ks, np.array([float(data[k]) for k in ks]), style, title, label)
            ax.set_title(title, fontsize=10, loc="left")
            ax.set_ylim(*_limits([float(v) for v in data.values()]))
    ax = fig.add_subplot(grid[nrows - 1, 2], sharex=share, label="sum")
    ks = np.array(sorted(total))
    _tidy_axes(ax)
    _baseline(ax)
    _stems(ax, ks, np.array([float(total[k]) for k in ks]), _STYLE["y"], "y[n]", "sum")
    kc = "k_c" if per_channel else "k"
    ax.set_title(f"y[n] = Σ_c (x_c {sym} {kc})[n]   (mode {mode!r})", fontsize=10, loc="left")
    ax.set_ylim(*_limits([float(v) for v in total.values()]))
    ax.set_xlabel("n")
    note = fig.add_subplot(grid[nrows - 1, :2], label="note")
    note.axis("off")
    kind = ("convolution  (x ∗ k)[n] = Σ_m x[m] k[n − m]" if op == "convolution" else
            "correlation  (k ⋆ x)[n] = Σ_m k[m] x[n + m]  — a deep-learning 'convolution'")
    note.text(0.0, 0.55, f"one output channel of a {len(chans)}-channel layer:\n"
              f"each input channel goes through its kernel by {kind},\nand the channel "
              "outputs are added.", fontsize=10, va="center")
    share.set_xlim(lo - 0.5, hi + 0.5)
    from matplotlib.ticker import MaxNLocator

    share.xaxis.set_major_locator(MaxNLocator(integer=True))
    return fig


def _grid(values, what):
    from symconv.engine.finite import _exact_value

    rows = [list(r) for r in values]
    if not rows or not rows[0] or any(len(r) != len(rows[0]) for r in rows):
        raise UnsupportedInputError(f"{what} must be a non-empty rectangular 2-D grid of values")
    return [[_exact_value(v, what) for v in r] for r in rows]


def _conv2d_full(img, ker, op):
    """Exact full 2-D convolution (or correlation) by direct sums."""
    n, m = len(img), len(img[0])
    p, q = len(ker), len(ker[0])
    if op == "correlation":
        ker = [row[::-1] for row in ker[::-1]]
    out = [[S.Zero] * (m + q - 1) for _ in range(n + p - 1)]
    for i in range(n):
        for j in range(m):
            if img[i][j] == 0:
                continue
            for a in range(p):
                for b in range(q):
                    out[i + a][j + b] += img[i][j] * ker[a][b]
    return out


def plot_image_convolution(image, kernel, *, at=(0, 0), mode="valid", op="convolution",
                           figsize=None, dpi=100):
    """A 2-D kernel over an image grid: the window at one output cell, the kernel, the output.

    Left: the image (zero-padded for ``mode="full"``/``"same"``) with the window
    that produces output cell ``at`` outlined and the kernel weights that multiply
    each pixel printed in it (flipped for a convolution). Middle: the kernel.
    Right: the exact output grid with cell ``at`` outlined; its value is spelled out
    as the sum of products in the title.

    Parameters
    ----------
    image, kernel : 2-D lists (or arrays) of exact values
    at : (row, column)
        The output cell shown.
    mode : {"full", "same", "valid"}
        As ``scipy.signal.convolve2d``.
    op : {"convolution", "correlation"}

    Returns
    -------
    matplotlib.figure.Figure
        Axes labelled ``"image"``, ``"kernel"``, ``"output"``.

    Examples
    --------
    >>> fig = plot_image_convolution([[1, 2, 0], [0, 1, 3], [4, 0, 1]], [[1, 0], [0, -1]])
    >>> fig.get_supxlabel().splitlines()[0]
    'y[0, 0] = (-1)·1 + 0·2 + 0·0 + 1·1 = 0'
    """
    _check_choice(mode, "mode", _MODES)
    _check_choice(op, "op", _OPS)
    img, ker = _grid(image, "image"), _grid(kernel, "kernel")
    n, m, p, q = len(img), len(img[0]), len(ker), len(ker[0])
    full = _conv2d_full(img, ker, op)
    if mode == "full":
        r0, c0, rows, cols = 0, 0, n + p - 1, m + q - 1
    elif mode == "same":
        r0, c0, rows, cols = (p - 1) // 2, (q - 1) // 2, n, m
    else:
        if n < p or m < q:
            raise UnsupportedInputError("mode='valid' needs the kernel to fit inside the image")
        r0, c0, rows, cols = p - 1, q - 1, n - p + 1, m - q + 1
    out = [row[c0 : c0 + cols] for row in full[r0 : r0 + rows]]
    try:
        i, j = (int(at[0]), int(at[1]))
    except (TypeError, ValueError, IndexError):
        raise UnsupportedInputError(f"at must be (row, column), got {at!r}") from None
    if not (0 <= i < rows and 0 <= j < cols):
        raise UnsupportedInputError(
            f"at={at!r} is outside the {rows}×{cols} output; rows 0..{rows - 1}, "
            f"columns 0..{cols - 1}")
    # padded image in full-coordinates: pixel (a, b) of the image sits at (a + p-1, b + q-1)
    pad_r, pad_c = p - 1, q - 1
    big = [[S.Zero] * (m + 2 * pad_c) for _ in range(n + 2 * pad_r)]
    for a in range(n):
        for b in range(m):
            big[a + pad_r][b + pad_c] = img[a][b]
    fi, fj = i + r0, j + c0  # the output cell in full coordinates; window top-left = (fi, fj)
    shown_ker = ker if op == "correlation" else [row[::-1] for row in ker[::-1]]
    terms = []
    for a in range(p):
        for b in range(q):
            terms.append((shown_ker[a][b], big[fi + a][fj + b]))
    total = out[i][j]  # = Σ w·v over the window (tests check it)
    # what to draw: crop the padded image to the part the windows of this mode touch
    top, left = r0, c0
    bottom, right = r0 + rows - 1 + p, c0 + cols - 1 + q
    view = [row[left:right] for row in big[top:bottom]]
    inside = [[pad_r <= a < pad_r + n and pad_c <= b < pad_c + m
               for b in range(left, right)] for a in range(top, bottom)]
    widths = [len(view[0]), q, cols]
    if figsize is None:
        cell = min(0.55, 10.5 / sum(widths), 6.0 / len(view))
        figsize = (cell * sum(widths) + 1.8, cell * max(len(view), p, rows) + 1.5)
    fig = _new_figure(figsize, dpi)
    grid = fig.add_gridspec(1, 3, width_ratios=widths)
    axes = [fig.add_subplot(grid[0, k], label=lab)
            for k, lab in enumerate(("image", "kernel", "output"))]
    _draw_grid(axes[0], view, inside, (top - pad_r, left - pad_c))
    _draw_grid(axes[1], ker, None)
    _draw_grid(axes[2], out, None)
    wi, wj = fi - top, fj - left
    from matplotlib.patches import Rectangle

    axes[0].add_patch(Rectangle((wj - 0.5, wi - 0.5), q, p, fill=False, lw=3,
                                edgecolor=_MARKER_COLOR, gid="window", zorder=4))
    for a in range(p):
        for b in range(q):
            axes[0].text(wj + b + 0.44, wi + a + 0.44, f"×{_format(shown_ker[a][b])}",
                         ha="right", va="bottom", fontsize=8, color=_MARKER_COLOR,
                         fontweight="bold", gid="weight")
    axes[2].add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, lw=3,
                                edgecolor=_MARKER_COLOR, gid="cell", zorder=4))
    pad_note = {"valid": "no padding", "same": "zero-padded", "full": "zero-padded"}[mode]
    axes[0].set_title(f"image x ({pad_note})", fontsize=10, loc="left")
    axes[1].set_title("kernel k", fontsize=10, loc="left")
    axes[2].set_title(f"output y (mode {mode!r})", fontsize=10, loc="left")
    flip = "flipped kernel" if op == "convolution" else "kernel"
    sum_text = " + ".join(f"{_paren(w)}·{_paren(v)}" for w, v in terms)
    if len(sum_text) > 110:
        sum_text = _short(sum_text, 110)
    fig.supxlabel(f"y[{i}, {j}] = {sum_text} = {_format(total)}\n"
                  f"(each pixel in the red window times the {flip} weight printed in it)",
                  fontsize=10)
    return fig


def _grid_colormap():
    from matplotlib.colors import LinearSegmentedColormap

    return LinearSegmentedColormap.from_list(
        "symconv_values", ["#6FA8DC", "#FFFFFF", "#F6B26B"])


def _draw_grid(ax, values, inside, origin=(0, 0)):
    """A grid of exact values as lightly shaded cells with the values printed in them;
    ``origin`` is the index of the top-left cell (negative in a padding)."""
    arr = np.array([[float(v) for v in row] for row in values])
    vmax = float(np.max(np.abs(arr))) or 1.0
    ax.imshow(arr, cmap=_grid_colormap(), vmin=-vmax, vmax=vmax, interpolation="nearest")
    for a, row in enumerate(values):
        for b, v in enumerate(row):
            pad = inside is not None and not inside[a][b]
            if pad:
                ax.add_patch(_hatch_cell(a, b))
            ax.text(b, a, _format(v), ha="center", va="center", fontsize=11,
                    color="#9A9A9A" if pad else "black", style="italic" if pad else "normal",
                    gid="padding" if pad else "value")
    ax.set_xticks(range(arr.shape[1]), [str(origin[1] + b) for b in range(arr.shape[1])])
    ax.set_yticks(range(arr.shape[0]), [str(origin[0] + a) for a in range(arr.shape[0])])
    ax.set_anchor("N")
    ax.tick_params(length=0, labelsize=8)
    ax.set_xticks(np.arange(-0.5, arr.shape[1]), minor=True)
    ax.set_yticks(np.arange(-0.5, arr.shape[0]), minor=True)
    ax.grid(which="minor", color="#666666", lw=0.8)
    ax.tick_params(which="minor", length=0)


def _hatch_cell(a, b):
    from matplotlib.patches import Rectangle

    return Rectangle((b - 0.5, a - 0.5), 1, 1, facecolor="#F2F2F2", hatch="...",
                     edgecolor="#C8C8C8", lw=0, zorder=1)


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
