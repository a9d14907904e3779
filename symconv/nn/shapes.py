"""Output sizes of convolution layers and receptive fields, numeric or symbolic."""

from __future__ import annotations

import numpy as np
from sympy import Expr, Integer, S, floor, sympify
from sympy.core.sympify import SympifyError

from symconv.errors import UnsupportedInputError
from symconv.nn.options import (
    _MODES,
    _PADDING_STRINGS,
    Mode,
    Size,
    _check_bool,
    _is_int,
    _padding_error,
)

__all__ = ["output_shape", "receptive_field"]


def _symbolic(v, name, minimum):
    """An integer or a SymPy expression; a number must be an integer >= ``minimum``."""
    message = (f"{name}={v!r} is not accepted; give an integer >= {minimum} or a SymPy "
               "expression")
    if _is_int(v):
        e = Integer(int(v))
    elif isinstance(v, (bool, np.bool_, float, str)) or v is None:
        raise UnsupportedInputError(message)
    else:
        try:
            e = sympify(v, strict=True)
        except SympifyError:
            raise UnsupportedInputError(message) from None
        if not isinstance(e, Expr):
            raise UnsupportedInputError(message)
    if e.is_number and not (e.is_Integer and e >= minimum):
        raise UnsupportedInputError(message)
    return e


def _per_axis(v, d, name):
    if isinstance(v, (tuple, list)):
        if len(v) != d:
            raise UnsupportedInputError(
                f"{name}={v!r} has {len(v)} entries but the input has {d} spatial axes"
            )
        return list(v)
    return [v] * d


def _plain_int(e):
    return int(e) if e.is_Integer else e


def output_shape(input_size: Size, kernel_size: Size, *, stride: Size = 1, padding=0,
                 dilation: Size = 1, mode: Mode | None = None, transposed: bool = False,
                 output_padding: Size = 0):
    """Spatial output size of a convolution layer, numeric or symbolic.

    ``floor((L + 2·padding - dilation·(k - 1) - 1) / stride) + 1`` per axis (``L + before +
    after`` for padding pairs); with ``transposed=True`` the size of :func:`conv_transpose`,
    ``(L - 1)·stride - 2·padding + dilation·(k - 1) + output_padding + 1``.

    Parameters
    ----------
    input_size, kernel_size : int, sympy.Expr or tuple of them
        Spatial sizes only (no batch or channel axis); a tuple gives one value per axis.
    stride, padding, dilation, mode, output_padding
        As in :func:`conv` and :func:`conv_transpose`; any number may be a SymPy symbol.
    transposed : bool

    Returns
    -------
    int, sympy.Expr or tuple of them
        A tuple when ``input_size`` or ``kernel_size`` is a tuple.

    Examples
    --------
    >>> from sympy import symbols
    >>> L, k, p, s, d = symbols("L k p s d", positive=True, integer=True)
    >>> output_shape(L, k, stride=s, padding=p, dilation=d)
    floor((L - d*(k - 1) + 2*p - 1)/s) + 1
    >>> output_shape((224, 224), 7, stride=2, padding=3)
    (112, 112)
    >>> output_shape(L, 3, padding="same")
    L
    >>> output_shape(L, 4, stride=2, padding=1, transposed=True)
    2*L
    """
    transposed = _check_bool(transposed, "transposed")
    as_tuple = isinstance(input_size, (tuple, list)) or isinstance(kernel_size, (tuple, list))
    d = len(input_size) if isinstance(input_size, (tuple, list)) else (
        len(kernel_size) if isinstance(kernel_size, (tuple, list)) else 1)
    L = [_symbolic(v, "input_size", 1) for v in _per_axis(input_size, d, "input_size")]
    K = [_symbolic(v, "kernel_size", 1) for v in _per_axis(kernel_size, d, "kernel_size")]
    s = [_symbolic(v, "stride", 1) for v in _per_axis(stride, d, "stride")]
    dl = [_symbolic(v, "dilation", 1) for v in _per_axis(dilation, d, "dilation")]
    extent = [dl[i] * (K[i] - 1) for i in range(d)]
    if transposed:
        if mode is not None or isinstance(padding, str):
            raise UnsupportedInputError(
                "a transposed convolution takes numeric padding only (no mode, 'same' or "
                "'valid'), as in PyTorch"
            )
        p = [_symbolic(v, "padding", 0) for v in _per_axis(padding, d, "padding")]
        op = [_symbolic(v, "output_padding", 0)
              for v in _per_axis(output_padding, d, "output_padding")]
        sizes = [(L[i] - 1) * s[i] - 2 * p[i] + extent[i] + op[i] + 1 for i in range(d)]
    else:
        if not (_is_int(output_padding) and output_padding == 0):
            raise UnsupportedInputError("output_padding applies only with transposed=True")
        total = _total_padding(padding, mode, d, extent, s)
        sizes = [floor((L[i] + total[i] - extent[i] - 1) / s[i]) + 1 for i in range(d)]
    for i, n in enumerate(sizes):
        if n.is_number and n < 1:
            raise UnsupportedInputError(
                f"the output along axis {i} would have size {n}: the kernel spans more than "
                "the padded input"
            )
    sizes = [_plain_int(n) for n in sizes]
    return tuple(sizes) if as_tuple else sizes[0]


def _total_padding(padding, mode, d, extent, stride):
    if mode is not None:
        if not isinstance(mode, str) or mode not in _MODES:
            raise UnsupportedInputError(f"mode={mode!r} is not accepted; use one of {_MODES}")
        if not (_is_int(padding) and padding == 0):
            raise UnsupportedInputError("give either padding= or mode=, not both")
        return [2 * e if mode == "full" else e if mode == "same" else S.Zero for e in extent]
    if isinstance(padding, str):
        if padding not in _PADDING_STRINGS:
            raise _padding_error(padding, d)
        if padding == "valid":
            return [S.Zero] * d
        if any(si != 1 for si in stride):
            raise UnsupportedInputError("padding='same' needs stride 1 (as in PyTorch)")
        return list(extent)
    out = []
    for p in _per_axis(padding, d, "padding"):
        if isinstance(p, (tuple, list)):
            if len(p) != 2:
                raise _padding_error(padding, d)
            out.append(_symbolic(p[0], "padding", 0) + _symbolic(p[1], "padding", 0))
        else:
            out.append(2 * _symbolic(p, "padding", 0))
    return out


def receptive_field(kernel_size: Size, stride: Size = 1, dilation: Size = 1) -> int | Expr:
    """How many input positions one output value of a stack of layers sees (along one axis).

    ``r = 1 + Σ_l dilation_l·(k_l - 1)·Π_{j<l} stride_j``, the first layer first.

    Parameters
    ----------
    kernel_size, stride, dilation : int, sympy.Expr or sequence of them
        One value per layer (a single value applies to every layer).

    Examples
    --------
    >>> from sympy import symbols
    >>> receptive_field([3, 3, 3])
    7
    >>> receptive_field([7, 3, 3], stride=[2, 2, 1])
    19
    >>> k = symbols("k", positive=True, integer=True)
    >>> receptive_field([k, k, k])
    3*k - 2
    """
    lengths = {len(v) for v in (kernel_size, stride, dilation) if isinstance(v, (tuple, list))}
    if len(lengths) > 1:
        raise UnsupportedInputError(
            f"kernel_size, stride and dilation give different numbers of layers ({lengths})"
        )
    n = lengths.pop() if lengths else 1
    K = [_symbolic(v, "kernel_size", 1) for v in _per_axis(kernel_size, n, "kernel_size")]
    s = [_symbolic(v, "stride", 1) for v in _per_axis(stride, n, "stride")]
    dl = [_symbolic(v, "dilation", 1) for v in _per_axis(dilation, n, "dilation")]
    r, jump = S.One, S.One
    for i in range(n):
        r += dl[i] * (K[i] - 1) * jump
        jump *= s[i]
    return _plain_int(r.expand())
