"""The engines: convolution and correlation by the pairwise method.

Integrals (:mod:`~symconv.engine.continuous`, Gaussian pieces in
:mod:`~symconv.engine.gaussian`, closed special families and the proven fallback in
:mod:`~symconv.engine.special` and :mod:`~symconv.engine.fallback`), sums
(:mod:`~symconv.engine.discrete`, hypergeometric terms in
:mod:`~symconv.engine.hyperterms`), finite lists (:mod:`~symconv.engine.finite`), and
the regions of a pair of pieces (:mod:`~symconv.engine.regions`).
"""
