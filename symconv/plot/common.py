"""What every picture shares: the optional matplotlib import, the colours and the drawing helpers.

matplotlib is an optional extra (``pip install symconv[plot]``); it is imported
only when a picture is drawn (:func:`_new_figure`), and every figure is a plain
:class:`matplotlib.figure.Figure` on the non-interactive Agg canvas (no pyplot,
no global state). This module imports nothing else of :mod:`symconv.plot`.

Examples
--------
>>> issubclass(PlotDependencyError, SymconvError)
True
>>> _impulse_text(2, 1)
'(2)·δ′'
"""

from __future__ import annotations

from sympy import oo

from symconv.errors import SymconvError, UnsupportedInputError

__all__ = ["PlotDependencyError"]

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
    if isinstance(dpi, bool) or not isinstance(dpi, (int, float)) or not 10 <= dpi <= 1000:
        raise UnsupportedInputError(f"dpi must be a number from 10 to 1000, got {dpi!r}")
    try:
        width, height = (float(v) for v in figsize)
    except (TypeError, ValueError):
        raise UnsupportedInputError(f"figsize must be (width, height) in inches, got "
                                    f"{figsize!r}") from None
    if not (0.5 <= width <= 100 and 0.5 <= height <= 100):
        raise UnsupportedInputError(f"figsize must be from 0.5 to 100 inches a side, got "
                                    f"{figsize!r}")
    figure_cls, canvas_cls = _matplotlib()
    fig = figure_cls(figsize=figsize, dpi=dpi, layout="constrained")
    canvas_cls(fig)
    return fig


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
