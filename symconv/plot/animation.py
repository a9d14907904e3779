"""Animations of the flip-and-slide figure: GIF with Pillow, MP4 with ffmpeg when it is installed.

Each frame is the figure of :mod:`symconv.plot.figures` at one exact instant; the
figure is laid out once and only the moving artists are redrawn (blitting).

Examples
--------
>>> _nice_count(17)  # t = -2, -1.8, ..., 15: steps of 0.2
86
"""

from __future__ import annotations

from pathlib import Path

from sympy import Integer, Rational

from symconv.errors import UnsupportedInputError
from symconv.plot.common import PlotDependencyError
from symconv.plot.curves import _exact_number, _is_finite_sequence
from symconv.plot.figures import _Slide

__all__ = ["animate_convolution"]

_SUFFIXES = (".gif", ".mp4")


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
