"""SymPy in and out: expressions to canonical signals, canonical signals to SymPy.

:mod:`~symconv.convert.signals` (``to_signal``, the domain choice, ``to_sympy``) and
:mod:`~symconv.convert.shapes` (the shapes of SymPy expressions: distributing,
polynomial degree bounds).
"""

from symconv.convert.output import to_sympy
from symconv.convert.signals import domain_for, to_signal

__all__ = ["domain_for", "to_signal", "to_sympy"]
