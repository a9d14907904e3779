"""Tests for symconv.plot: the pictures show the exact objects, not just "no error".

Every figure is checked for its content: the data of the plotted lines equal the exact values
(SymPy, evaluated independently of the plotting code) at sample points; jumps are gaps, not
vertical joins; impulses are arrows of the right height; the region label names the region of
the exact result; stem heights equal the exact sequence values; the GIF has the requested
number of frames and size; the command line writes the files. Figures use matplotlib's Agg
canvas (no display).
"""

from __future__ import annotations

import io
import math
import shutil
import subprocess
import sys

import numpy as np
import pytest
from sympy import (
    DiracDelta,
    Integer,
    Piecewise,
    Rational,
    exp,
    pi,
    sin,
    symbols,
)

from symconv import (
    Die,
    Distribution,
    Normal,
    Poisson,
    SymconvError,
    Uniform,
    UnsupportedInputError,
    convolve,
    rect,
    tri,
    u,
)

matplotlib = pytest.importorskip("matplotlib", reason="pip install symconv[plot]")
matplotlib.use("Agg")
PIL_Image = pytest.importorskip("PIL.Image")

from symconv.cli import main  # noqa: E402
from symconv.plot import (  # noqa: E402 - after the optional-dependency skip
    PlotDependencyError,
    animate_convolution,
    animation,
    figures,
    plot_channels,
    plot_convolution,
    plot_distributions,
    plot_image_convolution,
    plot_signal,
)

t = symbols("t", real=True)
n = symbols("n", integer=True)
H = 2 * exp(-t / 2) * u(t)
X = rect(t - Rational(1, 2))
Y = convolve(H, X, t)  # Piecewise((0, t < 0), (4 - 4e^{-t/2}, t < 1), (4(√e - 1)e^{-t/2}, True))


# -- helpers ----------------------------------------------------------------------------------
def axis(fig, label):
    found = [ax for ax in fig.axes if ax.get_label() == label]
    assert found, f"no axes labelled {label!r} in {[a.get_label() for a in fig.axes]}"
    return found[0]


def line(ax, gid):
    found = [ln for ln in ax.get_lines() if ln.get_gid() == gid]
    assert len(found) == 1, f"expected one line {gid!r}, found {len(found)}"
    return found[0]


def xy(ln):
    return np.asarray(ln.get_xdata(), dtype=float), np.asarray(ln.get_ydata(), dtype=float)


def exact(expr, var, v):
    """The exact expression at the float ``v``, evaluated by SymPy (not by the plot code)."""
    return float(expr.subs(var, Rational(repr(float(v)))))


def check_samples(ln, expr, var, breakpoints=(), count=25, rel=1e-9):
    """Data of ``ln`` equal ``expr`` at up to ``count`` finite points away from breakpoints."""
    xs, ys = xy(ln)
    ok = np.isfinite(xs) & np.isfinite(ys)
    for b in breakpoints:
        ok &= np.abs(xs - float(b)) > 1e-6
    idx = np.nonzero(ok)[0]
    assert len(idx) >= 2, "nothing plotted"
    for i in idx[np.linspace(0, len(idx) - 1, min(count, len(idx))).astype(int)]:
        assert ys[i] == pytest.approx(exact(expr, var, xs[i]), rel=rel, abs=1e-12), xs[i]
    return xs, ys


def vertical_joins(ln):
    """Consecutive finite points with the same x and different y: vertical segments."""
    xs, ys = xy(ln)
    out = []
    for i in range(len(xs) - 1):
        if all(np.isfinite([xs[i], xs[i + 1], ys[i], ys[i + 1]])) and xs[i] == xs[i + 1] \
                and abs(ys[i] - ys[i + 1]) > 1e-12:
            out.append(xs[i])
    return out


def arrows(ax, gid):
    """``[(x, height)]`` of the impulse arrows with this gid."""
    return sorted((float(a.xy[0]), float(a.xy[1])) for a in ax.texts if a.get_gid() == gid)


def stems(ax, gid):
    ks, vals = xy(line(ax, gid))
    return [int(k) for k in ks], list(vals)


# -- the flip-and-slide still: continuous -----------------------------------------------------
@pytest.fixture(scope="module")
def classic():
    return plot_convolution(H, X, t, at=3)


def test_panels_and_labels(classic):
    assert [ax.get_label() for ax in classic.axes] == ["h", "x", "product", "y"]
    assert classic.get_suptitle() == "y = h ∗ x   at   t = 3"
    assert axis(classic, "y").get_xlabel() == "t"
    assert axis(classic, "product").get_xlabel() == "τ"
    legend = [tx.get_text() for tx in axis(classic, "product").get_legend().get_texts()]
    assert legend == ["h(τ)·x(t − τ)", "area > 0"]  # no negative area anywhere in the sweep


def test_y_is_the_exact_result_up_to_t(classic):
    ax = axis(classic, "y")
    xs, ys = check_samples(line(ax, "y"), Y, t, breakpoints=(0, 1))
    lo = ax.get_xlim()[0]
    assert np.nanmin(xs) == pytest.approx(lo)
    assert np.nanmax(xs) == pytest.approx(3.0)  # traced only up to the current t
    assert not np.isnan(ys).any()  # y is continuous: one unbroken line
    mx, my = xy(line(ax, "marker"))
    assert mx[0] == 3.0 and my[0] == pytest.approx(exact(Y, t, 3))


def test_region_label_and_exact_value(classic):
    assert axis(classic, "y").get_title("left") == "region t ≥ 1:  y(t) = 4·(-1 + √e)·e^(-t/2)"
    assert axis(classic, "product").get_title("left") == \
        "signed area = y(3) = 4·(-1 + √e)·e^(-3/2) ≈ 0.579"


def test_a_far_instant_is_titled_by_its_size():
    """``--at 1e300``: the titles show ``1e+300``, not a 301-digit integer."""
    fig = plot_convolution(rect(t), rect(t), t, at=10**300)
    assert "1e+300" in fig._suptitle.get_text()
    assert all(len(a.get_title("left")) < 80 for a in fig.axes)


@pytest.mark.parametrize("at, label", [
    (-1, "region t < 0:  y(t) = 0"),
    (0, "region 0 ≤ t < 1:  y(t) = 4 - 4·e^(-t/2)"),  # half-open regions: 0 opens [0, 1)
    (Rational(1, 2), "region 0 ≤ t < 1:  y(t) = 4 - 4·e^(-t/2)"),
    (1, "region t ≥ 1:  y(t) = 4·(-1 + √e)·e^(-t/2)"),
])
def test_region_label_follows_t(at, label):
    fig = plot_convolution(H, X, t, at=at, t_range=(-2, 15))
    assert axis(fig, "y").get_title("left") == label


def test_flipped_x_and_product_are_exact(classic):
    tau = symbols("tau", real=True)
    x_flipped = X.subs(t, 3 - tau)
    # rect(3 - τ - 1/2) is 1 on (2, 3): jumps at τ = 2 and τ = 3
    check_samples(line(axis(classic, "x"), "x"), x_flipped, tau, breakpoints=(2, 3))
    product = H.subs(t, tau) * x_flipped
    xs, ys = check_samples(line(axis(classic, "product"), "product"), product, tau,
                           breakpoints=(0, 2, 3))
    # the shaded area is y(3): integrate the plotted product (trapezoids, gaps are jumps)
    ok = np.isfinite(ys)
    area = sum(np.trapezoid(ys[s], xs[s]) for s in np.ma.clump_unmasked(np.ma.masked_invalid(ys)))
    assert ok.any() and area == pytest.approx(exact(Y, t, 3), rel=1e-4)


def test_signed_area_is_shaded_on_the_right_side(classic):
    fills = [c for c in axis(classic, "product").collections
             if c.get_hatch() in ("///", "\\\\\\")]
    assert fills and all(c.get_hatch() == "///" for c in fills)  # only positive area
    verts = np.concatenate([p.vertices for c in fills for p in c.get_paths()])
    assert verts[:, 0].min() == pytest.approx(2.0) and verts[:, 0].max() == pytest.approx(3.0)
    assert verts[:, 1].min() >= -1e-12


def test_negative_area_is_hatched_the_other_way():
    fig = plot_convolution(rect(t), -tri(t), t, at=Rational(1, 4))
    ax = axis(fig, "product")
    hatches = {c.get_hatch() for c in ax.collections if c.get_hatch()}
    assert hatches == {"\\\\\\"}
    assert [tx.get_text() for tx in ax.get_legend().get_texts()][-1] == "area < 0"


def test_jumps_are_gaps_not_vertical_lines(classic):
    h_line = line(axis(classic, "h"), "h")
    assert vertical_joins(h_line) == []
    xs, ys = xy(h_line)
    gap = np.nonzero(np.isnan(xs))[0]
    assert len(gap) == 1  # h jumps once, at τ = 0: 0 on the left, 2 on the right
    assert (xs[gap[0] - 1], ys[gap[0] - 1]) == (0.0, 0.0)
    assert xs[gap[0] + 1] == 0.0 and ys[gap[0] + 1] == pytest.approx(2.0)
    joined = plot_convolution(H, X, t, at=3, join_jumps=True)
    assert vertical_joins(line(axis(joined, "h"), "h")) == [0.0]
    assert sorted(vertical_joins(line(axis(joined, "x"), "x"))) == [2.0, 3.0]


def test_overlay_layout():
    fig = plot_convolution(H, X, t, at=3, layout="overlay")
    assert [ax.get_label() for ax in fig.axes] == ["h, x", "product", "y"]
    top = fig.axes[0]
    assert {ln.get_gid() for ln in top.get_lines()} >= {"h", "x"}
    with pytest.raises(UnsupportedInputError, match="panels"):
        plot_convolution(H, X, t, at=3, layout="side")


def test_impulses_are_arrows_with_their_weights():
    h = tri(t) + 2 * DiracDelta(t - 2)
    x = sin(pi * t) * (u(t) - u(t - 2))
    at = Rational(5, 2)
    fig = plot_convolution(h, x, t, at=at)
    assert arrows(axis(fig, "h"), "impulse:h") == [(2.0, 2.0)]
    labels = [a.get_text() for a in axis(fig, "h").texts if a.get_gid() == "impulse:h:label"]
    assert labels == ["(2)"]
    # in the product the impulse keeps its place and is weighted by x(t - 2) = sin(π/2) = 1
    assert arrows(axis(fig, "product"), "impulse:product") == [(2.0, pytest.approx(2.0))]
    y = convolve(h, x, t)
    check_samples(line(axis(fig, "y"), "y"), y, t, breakpoints=(-1, 0, 1, 2, 3))


def test_impulses_in_the_flipped_signal_and_in_the_result():
    # x = δ(t - 1) + δ'(t - 2): flipped, δ' changes sign; y = h(t-1) + h'(t-2)
    x = DiracDelta(t - 1) + DiracDelta(t - 2, 1)
    fig = plot_convolution(rect(t), x, t, at=3)
    assert arrows(axis(fig, "x"), "impulse:x") == [(1.0, -1.0), (2.0, 1.0)]
    texts = sorted(a.get_text() for a in axis(fig, "x").texts if a.get_gid() == "impulse:x:label")
    assert texts == ["(-1)·δ′", "(1)"]
    # y = rect(t - 1) + δ(t - 3/2) - δ(t - 5/2): arrows drawn only up to the current t
    early = plot_convolution(rect(t), x, t, at=2, t_range=(-1, 4))
    assert arrows(axis(early, "y"), "impulse:y") == [(1.5, 1.0)]
    late = plot_convolution(rect(t), x, t, at=3, t_range=(-1, 4))
    assert arrows(axis(late, "y"), "impulse:y") == [(1.5, 1.0), (2.5, -1.0)]


def test_auto_window_shows_breakpoints_and_the_visible_tail(classic):
    lo, hi = axis(classic, "y").get_xlim()
    assert lo < 0 and hi > 3
    # the tail ends where the result has fallen below 2% of its peak (about t = 8.8)
    assert 8.5 < hi < 11.5
    assert exact(Y, t, hi) < 0.02 * exact(Y, t, 1)


# -- sequences ---------------------------------------------------------------------------------
def test_discrete_stems_are_the_exact_sequences():
    h = Rational(1, 2) ** n * u(n)
    x = u(n) - u(n - 4)
    fig = plot_convolution(h, x, n, at=2, t_range=(-3, 8))
    y = convolve(h, x, n)
    ks, vals = stems(axis(fig, "h"), "h")
    assert ks == list(range(-3, 9))
    assert vals == [float(h.subs(n, kk)) for kk in ks]
    ks, vals = stems(axis(fig, "x"), "x")
    assert vals == [float(x.subs(n, 2 - kk)) for kk in ks]
    ks, vals = stems(axis(fig, "product"), "product")
    assert vals == [float(h.subs(n, kk) * x.subs(n, 2 - kk)) for kk in ks]
    ks, vals = stems(axis(fig, "y"), "y")
    assert ks == list(range(-3, 3))  # traced up to n = 2
    assert vals == [float(y.subs(n, kk)) for kk in ks]
    assert axis(fig, "y").get_title("left") == "region 0 ≤ n < 3:  y[n] = 2 - 1/2^n"
    assert axis(fig, "product").get_title("left") == "sum = y[2] = 7/4"
    assert axis(fig, "product").get_xlabel() == "k"


def test_lists_show_the_sum_of_products():
    fig = plot_convolution([1, 2, 3], [1, -1, 2], at=2)
    assert axis(fig, "product").get_title("left") == "sum = y[2] = 1·2 + 2·(-1) + 3·1 = 3"
    ks, vals = stems(axis(fig, "y"), "y")
    full = dict(enumerate(convolve([1, 2, 3], [1, -1, 2])))
    assert vals == [float(full.get(kk, 0)) for kk in ks]
    with pytest.raises(UnsupportedInputError, match="integer"):
        plot_convolution([1, 2], [1, 1], at=Rational(1, 2))
    with pytest.raises(UnsupportedInputError, match="both"):
        plot_convolution([1, 2], rect(t), t, at=0)


# -- the animation ----------------------------------------------------------------------------
def test_gif_has_the_requested_frames_and_size(tmp_path):
    out = animate_convolution(H, X, t, t_range=(-2, 15), path=tmp_path / "slide.gif",
                              frames=7, fps=10, figsize=(6, 5), dpi=40, hold=0.5)
    assert out == tmp_path / "slide.gif"
    with PIL_Image.open(out) as im:
        assert im.format == "GIF"
        assert im.n_frames == 7
        assert im.size == (240, 200)
        assert im.info.get("loop") == 0
        durations, first, last = [], None, None
        for i in range(im.n_frames):
            im.seek(i)
            durations.append(im.info["duration"])
            frame = np.asarray(im.convert("RGB"))
            first = frame if i == 0 else first
            last = frame
    assert durations == [100] * 6 + [500]
    assert (first != last).any()


def test_gif_frames_follow_t(tmp_path):
    """The animation's frame k is the still at t_k: compare the drawn y line, not pixels."""
    slide = figures._Slide(H, X, t, t_range=(-2, 15), layout="panels", names=("h", "x"),
                        join_jumps=False, figsize=(6, 5), dpi=40)
    slide.start_animation(-2.0, None)
    for tk in (Rational(-1), Rational(1, 2), Rational(7)):
        slide.update(float(tk), None)
        frame = slide.render()
        assert frame.shape == (200, 240, 4)
        xs, _ = check_samples(slide.line_y, Y, t, breakpoints=(0, 1))
        assert np.nanmax(xs) == pytest.approx(float(tk))
        assert slide.suptitle.get_text() == f"y = h ∗ x   at   t = {float(tk):.2f}"


def test_default_frame_count_uses_a_round_step():
    assert animation._nice_count(Integer(17)) == 86  # t = -2, -1.8, ..., 15
    assert animation._nice_count(Integer(4)) == 81  # steps of 0.05
    assert animation._nice_count(Rational(1, 3)) == 100  # no round step fits: 100 frames


def test_discrete_animation_has_one_frame_per_integer(tmp_path):
    out = animate_convolution([1, 2, 3], [1, 1], path=tmp_path / "s.gif", t_range=(-1, 5),
                              figsize=(5, 4), dpi=30)
    with PIL_Image.open(out) as im:
        assert im.n_frames == 7 and im.size == (150, 120)


def test_animation_arguments_are_checked(tmp_path, monkeypatch):
    with pytest.raises(UnsupportedInputError, match=r"\.gif"):
        animate_convolution(H, X, t, path=tmp_path / "slide.avi")
    with pytest.raises(UnsupportedInputError, match="frames"):
        animate_convolution(H, X, t, path=tmp_path / "slide.gif", frames=1)
    with pytest.raises(UnsupportedInputError, match="fps"):
        animate_convolution(H, X, t, path=tmp_path / "slide.gif", fps=0)
    monkeypatch.setattr(animation, "_ffmpeg_available", lambda: False)
    with pytest.raises(PlotDependencyError, match="ffmpeg"):
        animate_convolution(H, X, t, path=tmp_path / "slide.mp4")


@pytest.mark.skipif(not animation._ffmpeg_available(), reason="ffmpeg is not installed")
def test_mp4_is_written_with_ffmpeg(tmp_path):
    out = animate_convolution(H, X, t, t_range=(-2, 15), path=tmp_path / "s.mp4", frames=5,
                              figsize=(6, 5), dpi=41)
    data = out.read_bytes()
    assert data[4:8] == b"ftyp" and len(data) > 1000
    ffprobe = shutil.which("ffprobe")
    if ffprobe:  # 5 frames of 246 x 205 pixels, padded to even sizes for H.264
        info = subprocess.run([ffprobe, "-v", "error", "-count_frames", "-show_entries",
                               "stream=width,height,nb_read_frames", "-of", "csv=p=0", str(out)],
                              capture_output=True, text=True, check=True).stdout.split(",")
        assert [int(v) for v in info] == [246, 206, 5]


# -- one signal ---------------------------------------------------------------------------------
def test_plot_signal_curve_impulses_and_gaps():
    sig = rect(t) + 2 * DiracDelta(t - 1) - DiracDelta(t + 1)
    fig = plot_signal(sig, t, t_range=(-2, 2))
    ax = fig.axes[0]
    check_samples(line(ax, "y"), rect(t), t, breakpoints=(-0.5, 0.5))
    assert vertical_joins(line(ax, "y")) == []
    assert arrows(ax, "impulse:y") == [(-1.0, -1.0), (1.0, 2.0)]
    assert ax.get_xlim() == (-2.0, 2.0)


def test_plot_signal_outside_the_exact_class():
    gauss = exp(-t**2)
    fig = plot_signal(gauss, t, t_range=(-3, 3))
    check_samples(line(fig.axes[0], "y"), gauss, t)
    pw = Piecewise((t**2, (t >= 0) & (t < 1)), (1, t >= 2), (0, True))
    fig = plot_signal(pw * exp(-t**2 / 9) + 0 * t, t, t_range=(-1, 4))
    ln = line(fig.axes[0], "y")
    check_samples(ln, pw * exp(-t**2 / 9), t, breakpoints=(0, 1, 2))
    assert vertical_joins(ln) == []


def test_plot_signal_stems_and_existing_axes():
    fig = plot_signal(Rational(1, 2) ** n * u(n), n, t_range=(-2, 6))
    ks, vals = stems(fig.axes[0], "y")
    assert ks == list(range(-2, 7))
    assert vals == [float(Rational(1, 2) ** kk) if kk >= 0 else 0.0 for kk in ks]
    fig2 = plot_signal([3, Rational(1, 2), -1])
    ks, vals = stems(fig2.axes[0], "y")
    assert dict(zip(ks, vals, strict=True))[0] == 3.0 and dict(zip(ks, vals, strict=True))[2] == -1
    ax = fig.axes[0]
    assert plot_signal(rect(t), t, ax=ax) is fig


def test_parameters_must_be_given_values():
    a = symbols("a", positive=True)
    with pytest.raises(UnsupportedInputError, match=r"parameters \(a\).*subs"):
        plot_signal(exp(-a * t) * u(t), t)
    with pytest.raises(UnsupportedInputError, match="Symbol"):
        plot_signal(rect(t), "t")


# -- channels and images -------------------------------------------------------------------------
CHANNELS = [[1, 2, 3, 0, 1], [0, 1, -1, 2, 0], [2, 0, Rational(1, 2), 1, 1]]


def test_channels_rows_and_sum_are_exact():
    kernel = [1, 0, -1]
    fig = plot_channels(CHANNELS, kernel)
    total = {}
    for c, xc in enumerate(CHANNELS, start=1):
        ks, vals = stems(axis(fig, f"input {c}"), f"input {c}")
        assert vals == [float(v) for v in xc]
        out = convolve(xc, kernel)
        ks, vals = stems(axis(fig, f"output {c}"), f"output {c}")
        assert vals == [float(v) for v in out] and ks == list(range(len(out)))
        for i, v in enumerate(out):
            total[i] = total.get(i, 0) + v
    ks, vals = stems(axis(fig, "sum"), "sum")
    assert vals == [float(total[i]) for i in ks] and vals[0] == 3.0
    assert axis(fig, "sum").get_title("left") == "y[n] = Σ_c (x_c ∗ k)[n]   (mode 'full')"


def test_channels_as_a_deep_learning_layer():
    """op='correlation', mode='valid' is a Conv1d: y[i] = Σ_c Σ_k w_c[k] x_c[i + k]."""
    kernels = [[1, 2], [0, -1], [3, 1]]
    fig = plot_channels(CHANNELS, kernels, mode="valid", op="correlation")
    ks, vals = stems(axis(fig, "sum"), "sum")
    want = [sum(w[k] * x[i + k] for x, w in zip(CHANNELS, kernels, strict=True)
                for k in range(2)) for i in range(4)]
    assert ks == [0, 1, 2, 3]
    assert vals == [float(v) for v in want]
    assert stems(axis(fig, "kernel 2"), "kernel 2")[1] == [0.0, -1.0]
    with pytest.raises(UnsupportedInputError, match="one per channel"):
        plot_channels(CHANNELS, [[1], [2]])
    with pytest.raises(UnsupportedInputError, match="mode"):
        plot_channels(CHANNELS, [1, 1], mode="cyclic")


IMAGE = [[1, 2, 0, 1], [0, 1, 3, 1], [4, 0, 1, 2], [1, 1, 0, 0]]
SOBEL = [[1, 0, -1], [2, 0, -2], [1, 0, -1]]


def grid_values(ax):
    """The numbers printed in the cells (not padding), as a {(row, col): value} dict."""
    return {(round(tx.get_position()[1]), round(tx.get_position()[0])): Rational(tx.get_text())
            for tx in ax.texts if tx.get_gid() == "value"}


@pytest.mark.parametrize("mode", ["valid", "same", "full"])
@pytest.mark.parametrize("op", ["convolution", "correlation"])
def test_image_output_equals_scipy(mode, op):
    signal = pytest.importorskip("scipy.signal")
    ref = (signal.convolve2d if op == "convolution" else signal.correlate2d)(
        np.array(IMAGE, float), np.array(SOBEL, float), mode=mode)
    fig = plot_image_convolution(IMAGE, SOBEL, at=(1, 1), mode=mode, op=op)
    out = grid_values(axis(fig, "output"))
    assert len(out) == ref.size
    assert all(float(v) == ref[i, j] for (i, j), v in out.items())
    head = fig.get_supxlabel().splitlines()[0]
    assert head.startswith("y[1, 1] = ") and head.endswith(f"= {int(ref[1, 1])}")


def test_image_window_and_products():
    fig = plot_image_convolution(IMAGE, [[1, Rational(1, 2)], [0, -1]], at=(2, 1))
    ax = axis(fig, "image")
    (window,) = [p for p in ax.patches if p.get_gid() == "window"]
    assert window.get_xy() == (0.5, 1.5) and (window.get_width(), window.get_height()) == (2, 2)
    # convolution flips the kernel: the pixel at the window's top-left is weighted by k[1][1]
    weights = sorted((round(tx.get_position()[1] - 0.44), round(tx.get_position()[0] - 0.44),
                      tx.get_text()) for tx in ax.texts if tx.get_gid() == "weight")
    assert weights == [(2, 1, "×-1"), (2, 2, "×0"), (3, 1, "×1/2"), (3, 2, "×1")]
    # y[2,1] = Σ k[a][b] x[3-a][2-b] = 1·x[3][2] + 1/2·x[3][1] + 0·x[2][2] - 1·x[2][1]
    want = 1 * 0 + Rational(1, 2) * 1 + 0 * 1 - 1 * 0
    assert grid_values(axis(fig, "output"))[(2, 1)] == want
    assert fig.get_supxlabel().splitlines()[0] == "y[2, 1] = (-1)·0 + 0·1 + 1/2·1 + 1·0 = 1/2"
    with pytest.raises(UnsupportedInputError, match="outside"):
        plot_image_convolution(IMAGE, SOBEL, at=(2, 0))


# -- probability ------------------------------------------------------------------------------
def test_dice_pmfs():
    fig = plot_distributions(Die(6), Die(6))
    assert [ax.get_label() for ax in fig.axes] == ["X", "Y", "X+Y"]
    ks, vals = stems(axis(fig, "X"), "pmf")
    assert ks == [1, 2, 3, 4, 5, 6] and vals == [1 / 6] * 6
    ks, vals = stems(axis(fig, "X+Y"), "pmf")
    two = Die(6) + Die(6)
    assert ks == list(range(2, 13)) and vals == [float(two.pmf(k)) for k in ks]
    assert axis(fig, "X+Y").get_title("left") == "X + Y:  mean 7, variance 35/6"


def test_densities_and_mixed_laws():
    s = symbols("s", real=True)
    fig = plot_distributions(Uniform(0, 1), Uniform(0, 1))
    check_samples(line(axis(fig, "X+Y"), "pdf"), tri(s - 1), s, breakpoints=(0, 1, 2))
    fig = plot_distributions(Die(6), Uniform(0, 1), names=("D", "U"))
    assert axis(fig, "D+U").get_title("left") == "D + U:  mean 4, variance 3"
    check_samples(line(axis(fig, "D+U"), "pdf"), (u(s - 1) - u(s - 7)) / 6, s,
                  breakpoints=(1, 7))
    fig = plot_distributions(Normal(0, 1), Normal(2, 1))
    total = Normal(0, 1) + Normal(2, 1)
    check_samples(line(axis(fig, "X+Y"), "pdf"), total.pdf(s), s)
    assert "Normal(2, sqrt(2))" in axis(fig, "X+Y").get_title("left")


def test_atoms_and_infinite_lattices():
    s = symbols("s", real=True)
    atom = Distribution.from_pdf(DiracDelta(s) / 2 + rect(s - Rational(1, 2)) / 2, s)
    fig = plot_distributions(atom, atom)
    assert arrows(axis(fig, "X"), "atom") == [(0.0, 0.5)]
    assert arrows(axis(fig, "X+Y"), "atom") == [(0.0, 0.25)]
    fig = plot_distributions(Poisson(2), Poisson(3))
    ks, vals = stems(axis(fig, "X+Y"), "pmf")
    assert ks[0] == 0 and ks[-1] >= 14
    assert vals == pytest.approx([math.exp(-5) * 5**k / math.factorial(k) for k in ks], rel=1e-12)


# -- without matplotlib -------------------------------------------------------------------------
def test_missing_matplotlib_says_what_to_install(monkeypatch):
    for name in ("matplotlib", "matplotlib.figure", "matplotlib.backends.backend_agg"):
        monkeypatch.setitem(sys.modules, name, None)
    with pytest.raises(PlotDependencyError, match=r"pip install symconv\[plot\]") as info:
        plot_signal(rect(t), t)
    assert isinstance(info.value, ImportError) and isinstance(info.value, SymconvError)


# -- the command line ---------------------------------------------------------------------------
def run(argv):
    buf = io.StringIO()
    return main(argv, out=buf), buf.getvalue()


def test_cli_plot_writes_the_png(tmp_path):
    out = tmp_path / "frame.png"
    code, text = run(["plot", "2 e^(-t/2) u(t)", "rect(t - 1/2)", "--at", "3", "-o", str(out),
                      "--dpi", "50"])
    assert (code, text) == (0, f"wrote {out}\n")
    with PIL_Image.open(out) as im:
        assert im.format == "PNG" and im.size == (500, 430)


def test_cli_animate_writes_the_gif(tmp_path):
    out = tmp_path / "slide.gif"
    code, text = run(["animate", "2 e^(-t/2) u(t)", "rect(t - 1/2)", "--from", "-2", "--to", "15",
                      "-o", str(out), "--frames", "4"])
    assert (code, text) == (0, f"wrote {out}\n")
    with PIL_Image.open(out) as im:
        assert im.n_frames == 4 and im.size == (720, 608)


def test_cli_discrete_and_errors(tmp_path, capsys):
    out = tmp_path / "stems.png"
    assert run(["plot", "(1/2)^n u(n)", "u(n) - u(n-4)", "--var", "n", "--discrete", "--at", "2",
                "-o", str(out), "--dpi", "30"])[0] == 0
    assert out.stat().st_size > 1000
    assert run(["plot", "rect(t", "u(t)", "--at", "1", "-o", str(out)])[0] == 2
    assert "error in f" in capsys.readouterr().err
    assert run(["plot", "rect(t)", "u(t)", "--at", "a", "-o", str(out)])[0] == 2
    assert "--at must be a number" in capsys.readouterr().err
    assert run(["plot", "rect(t)", "u(t)", "--at", "1", "-o", str(tmp_path / "x.mp3")])[0] == 2
    assert ".png" in capsys.readouterr().err
    assert run(["plot", "rect(t)", "u(t)", "--at", "1", "--from", "0", "-o", str(out)])[0] == 2
    assert "--to" in capsys.readouterr().err
    assert run(["plot", "rect(t)", "u(t)", "--at", "1", "-o", str(tmp_path / "no" / "x.png")])[0] \
        == 2
    assert "cannot write" in capsys.readouterr().err
