"""Pictures of convolution (``pip install symconv[plot]``), drawn from the exact results.

Every picture is drawn from the *exact* objects symconv computes: the result of
:func:`symconv.convolve` (a ``Piecewise`` with exact breakpoints) is split at its
breakpoints and each region's SymPy expression is evaluated with ``lambdify`` on a
NumPy array. Floats appear only at this numeric edge; nothing numeric flows back
into the symbolic layer. Jumps are drawn as gaps and Dirac impulses as arrows
whose height is their weight.

The modules, each importing only those above it:

- :mod:`symconv.plot.common` — the optional matplotlib import, colours, drawing helpers;
- :mod:`symconv.plot.curves` — exact objects as numeric curves, windows, axis limits;
- :mod:`symconv.plot.figures` — the flip-and-slide figure and single signals;
- :mod:`symconv.plot.animation` — the figure animated (GIF, MP4);
- :mod:`symconv.plot.channels` — channels through kernels, a kernel over an image;
- :mod:`symconv.plot.laws` — the laws of ``X``, ``Y`` and ``X + Y``.
"""

from symconv.plot.animation import animate_convolution
from symconv.plot.channels import plot_channels, plot_image_convolution
from symconv.plot.common import PlotDependencyError
from symconv.plot.figures import plot_convolution, plot_signal
from symconv.plot.laws import plot_distributions

__all__ = [
    "PlotDependencyError",
    "plot_convolution",
    "animate_convolution",
    "plot_signal",
    "plot_channels",
    "plot_image_convolution",
    "plot_distributions",
]
