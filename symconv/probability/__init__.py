"""Laws of sums of independent random variables, exactly (:class:`Distribution`)."""

from symconv.probability.distribution import Distribution, sum_iid

__all__ = ["Distribution", "sum_iid"]
