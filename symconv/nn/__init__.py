"""Deep-learning convolution (``Conv1d``/``Conv2d``/``Conv3d``, transposed, padding
modes), related exactly to the mathematics."""

from symconv.nn.bridges import conv_continuous, conv_via_convolve, flip
from symconv.nn.conv import conv, conv_matrix, conv_transpose
from symconv.nn.shapes import output_shape, receptive_field

__all__ = [
    "conv",
    "conv_transpose",
    "conv_matrix",
    "output_shape",
    "receptive_field",
    "flip",
    "conv_via_convolve",
    "conv_continuous",
]
