"""Pictures: flip-and-slide figures and animations (``pip install symconv[plot]``)."""

from symconv.plot.figures import *  # noqa: F403 - the public names of the module
from symconv.plot.figures import __all__  # noqa: F401
