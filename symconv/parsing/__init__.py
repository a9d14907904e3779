"""User text in, SymPy out, nothing evaluated: the parser
(:mod:`~symconv.parsing.parser`) and the assumptions of the command line
(:mod:`~symconv.parsing.assumptions`)."""

from symconv.parsing.parser import Limits, make_symbol, parse

__all__ = ["Limits", "make_symbol", "parse"]
