"""The independent numeric check: quadrature and direct sums, never the engine.

>>> from symconv.numeric import verify, verify_sequence
"""

from symconv.numeric.quadrature import (
    PointCheck,
    VerifyReport,
    breakpoints_of,
    numeric_convolution,
    verify,
    verify_sequence,
)

__all__ = ["PointCheck", "VerifyReport", "breakpoints_of", "numeric_convolution", "verify",
           "verify_sequence"]
