"""The independent numeric check: quadrature and direct sums, never the engine.

The package shares no code with the symbolic engine it checks: it depends only on
:mod:`symconv.functions`, :mod:`symconv.errors` and :mod:`symconv.limits`.

1. Public API
-------------
* :func:`verify` – compare a claimed result with the numeric convolution.
* :func:`numeric_convolution` – the regular part of ``f*g`` at one point.
* :func:`breakpoints_of` – the points where a signal changes form.
* :func:`verify_sequence` – the same check for sequences (discrete
  convolution ``Σ_k f[k] g[n − k]``) by direct summation.
* :class:`VerifyReport`, :class:`PointCheck` (and
  :class:`~symconv.numeric.report.ImpulseCheck`) – results.

2. Modules
----------
Imports flow one way, from the records up to the two checks:

* ``report`` – the result records and their text;
* ``inputs`` – validation of arguments; ``params`` – parameter values, problem set-up;
* ``evaluate`` – numbers and expressions in mpmath; ``breakpoints``; ``impulses``;
  ``pieces`` – smooth pieces between breakpoints;
* ``quadrature`` – :func:`verify`, :func:`numeric_convolution`;
  ``sequences`` – :func:`verify_sequence`.

>>> from symconv.numeric import verify, verify_sequence
"""

from symconv.numeric.breakpoints import breakpoints_of
from symconv.numeric.quadrature import numeric_convolution, verify
from symconv.numeric.report import PointCheck, VerifyReport
from symconv.numeric.sequences import verify_sequence

__all__ = ["PointCheck", "VerifyReport", "breakpoints_of", "numeric_convolution", "verify",
           "verify_sequence"]
