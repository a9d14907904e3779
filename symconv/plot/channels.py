"""Deep-learning pictures: channels through their kernels and summed, a 2-D kernel over an image.

Examples
--------
>>> _conv2d_full([[1, 2]], [[1, -1]], "convolution")
[[1, 1, -2]]
"""

from __future__ import annotations

import numpy as np
from sympy import S

from symconv.errors import UnsupportedInputError
from symconv.plot.common import (
    _MARKER_COLOR,
    _STYLE,
    _baseline,
    _format,
    _new_figure,
    _paren,
    _short,
    _stems,
    _tidy_axes,
)
from symconv.plot.curves import _is_finite_sequence, _limits

__all__ = ["plot_channels", "plot_image_convolution"]

_OPS = ("convolution", "correlation")
_MODES = ("full", "same", "valid")


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
    return [[_exact_value(v, what, f"{i}][{j}") for j, v in enumerate(r)]
            for i, r in enumerate(rows)]


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
