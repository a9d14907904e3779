"""Deep-learning convolution (``Conv1d``/``Conv2d``/``Conv3d``, transposed, padding
modes), related exactly to the mathematics."""

from symconv.nn.conv import *  # noqa: F403 - the public names of the module
from symconv.nn.conv import __all__  # noqa: F401
