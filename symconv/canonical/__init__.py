"""The canonical vocabulary every engine speaks.

Exact rationals (:mod:`~symconv.canonical.rational`), certified constants
(:mod:`~symconv.canonical.constants`), symbolic breakpoints and the facts that order them
(:mod:`~symconv.canonical.order`), exponential and geometric polynomials
(:mod:`~symconv.canonical.expoly`, :mod:`~symconv.canonical.geopoly`), the cyclotomic
field of periodic factors (:mod:`~symconv.canonical.cyclotomic`), symbolic powers
``Bᴺ`` (:mod:`~symconv.canonical.powers`) and the piecewise :class:`Signal`
(:mod:`~symconv.canonical.signal`). Nothing here knows SymPy spellings or engines.
"""
