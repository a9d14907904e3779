"""The bridges to the mathematics: a layer as the textbook convolution.

:func:`flip` makes a layer a true convolution, :func:`conv_via_convolve` computes a 1-D layer with
:func:`symconv.convolve`, and :func:`conv_continuous` is the multi-channel continuous form
``y(t) = Σ_c (h_c * x_c)(t)`` on the symbolic engine.
"""

from __future__ import annotations

import numpy as np
from sympy import Add, Expr, Piecewise, S, Symbol

from symconv.convert.output import to_sympy
from symconv.convert.signals import to_signal
from symconv.errors import UnsupportedInputError
from symconv.nn.kernels import _add_bias, _flip_spatial, _pad
from symconv.nn.options import (
    ArrayInput,
    IntOrTuple,
    Padding,
    PaddingMode,
    _as_array,
    _check_bool,
    _exact_entry,
    _finish,
    _layout,
    _operands,
    _to_exact,
)

__all__ = ["flip", "conv_via_convolve", "conv_continuous"]


# ---------------------------------------------------------------------------
# public: the bridges to the mathematics
# ---------------------------------------------------------------------------
def flip(w: ArrayInput) -> np.ndarray | list:
    """The kernel reversed along its spatial axes (all axes after the first two).

    ``conv(x, flip(w)) == conv(x, w, flip=True)``: a deep-learning layer with the flipped
    kernel is a true convolution.

    Examples
    --------
    >>> from sympy import symbols
    >>> flip(symbols("w0:3"))
    [w2, w1, w0]
    >>> import numpy as np
    >>> flip(np.arange(4).reshape(1, 1, 2, 2))
    array([[[[3, 2],
             [1, 0]]]])
    """
    if isinstance(w, (list, tuple)):
        arr = np.array(w, dtype=object)
    elif isinstance(w, np.ndarray):
        arr = w
    else:
        arr = _as_array(w, "w")[0]
    if arr.ndim == 1:
        out = arr[::-1]
    elif arr.ndim in (3, 4, 5):
        out = _flip_spatial(arr, arr.ndim - 2)
    else:
        raise UnsupportedInputError(
            f"w has shape {arr.shape}; accepted are a plain 1-D kernel or (C_out, C_in, "
            "*kernel) with 1, 2 or 3 kernel axes"
        )
    return out.tolist() if isinstance(w, (list, tuple)) else out.copy()


def conv_via_convolve(x: ArrayInput, w: ArrayInput, *, stride: IntOrTuple = 1,
                      padding: Padding = 0, dilation: IntOrTuple = 1, groups: int = 1,
                      bias: ArrayInput | None = None, padding_mode: PaddingMode = "zeros",
                      flip: bool = False) -> np.ndarray | list:
    """A 1-D layer computed with the textbook convolution :func:`symconv.convolve`.

    The identity it implements: with ``w̃`` the kernel dilated (``dilation - 1`` zeros between
    taps, span ``E = dilation·(k - 1) + 1``) and flipped,

    ``conv(x, w)[o][i] = bias[o] + Σ_c (x_c * w̃_oc)[i·stride + E - 1 - padding]``

    where ``*`` is ``Σ_m x[m] w̃[n - m]`` on the unpadded ``x_c`` (indices outside the full
    result give 0). So the layer is a convolution with the flipped kernel, shifted by the
    kernel span less the padding, subsampled by the stride and summed over channels. For
    non-zero padding modes ``x`` is padded first. The result is exact and equals
    :func:`conv` with the same arguments.

    Examples
    --------
    >>> from sympy import symbols
    >>> from symconv.nn import conv
    >>> x, w = symbols("x0:5"), symbols("w0:3")
    >>> conv_via_convolve(x, w, padding=1, stride=2) == conv(x, w, padding=1, stride=2)
    True
    >>> conv_via_convolve(x, w, padding=1, stride=2)
    [w1*x0 + w2*x1, w0*x1 + w1*x2 + w2*x3, w0*x3 + w1*x4]
    """
    from symconv.api import convolve

    op = _operands(x, w, bias, groups, transposed=False)
    if op.d != 1:
        raise UnsupportedInputError(
            f"conv_via_convolve works on 1-D layers (symconv.convolve on finite lists); w has "
            f"{op.d} spatial axes. Use conv, or conv_matrix for the linear map"
        )
    flip = _check_bool(flip, "flip")
    xa = op.x if op.exact else _to_exact(op.x, "x")
    wa = op.w if op.exact else _to_exact(op.w, "w")
    ba = op.bias if op.bias is None or op.exact else _to_exact(op.bias, "bias")
    k = wa.shape[2]
    stride, dilation, pads, out = _layout(xa.shape[2:], (k,), stride, padding, dilation,
                                          padding_mode, None)
    (s,), (dl,), ((before, _),), (n_out,) = stride, dilation, pads, out
    if padding_mode != "zeros":
        xa, before = _pad(xa, pads, padding_mode, True), 0
    if flip:
        wa = _flip_spatial(wa, 1)
    span = dl * (k - 1) + 1
    G = int(groups)
    C_out, Cg = wa.shape[:2]
    Og = C_out // G
    N = xa.shape[0]
    y = np.empty((N, C_out, n_out), dtype=object)
    for n in range(N):
        for o in range(C_out):
            acc = [S.Zero] * n_out
            for c in range(Cg):
                dilated = [S.Zero] * span
                dilated[::dl] = list(wa[o, c])
                full = convolve(list(xa[n, (o // Og) * Cg + c]), dilated[::-1])
                for i in range(n_out):
                    m = i * s + span - 1 - before
                    if 0 <= m < len(full):
                        acc[i] += full[m]
            y[n, o] = acc
    return _finish(_add_bias(y, ba, 1), op._replace(exact=True))


def _is_sequence(v):
    return isinstance(v, (list, tuple))


def _parameter_free(e, var):
    """``True`` when every ``Piecewise`` condition in ``e`` mentions ``var`` only."""
    return all(c.free_symbols <= {var} for pw in e.atoms(Piecewise) for _, c in pw.args)


def conv_continuous(x, w, var: Symbol, *, flip: bool = False, bias=None) -> Expr | list:
    """The continuous-time layer ``y_o(t) = b_o + Σ_c (w_oc ⋆ x_c)(t)``, exactly.

    With ``flip=False`` (deep learning's convention) each term is the cross-correlation
    ``∫ w_oc(τ) x_c(t + τ) dτ`` (:func:`symconv.correlate`); with ``flip=True`` the
    convolution ``(h_oc * x_c)(t) = ∫ h_oc(τ) x_c(t - τ) dτ`` (:func:`symconv.convolve`): the
    multi-channel LTI system ``y(t) = Σ_c (h_c * x_c)(t)``. The sum over channels is returned as
    one ``Piecewise`` in ``var`` (when the terms do not split on parameters).

    Parameters
    ----------
    x : sympy.Expr or sequence of sympy.Expr
        One signal per input channel.
    w : sympy.Expr, sequence, or sequence of sequences
        One kernel per (output, input) channel: ``[[w_00, w_01, ...], ...]``; a flat sequence is
        one output channel, a single expression one channel in and out.
    var : sympy.Symbol
        The real time variable.
    flip : bool
    bias : sympy.Expr or sequence of sympy.Expr, optional
        One constant per output channel.

    Returns
    -------
    sympy.Expr or list of sympy.Expr
        A list (one signal per output channel) when ``w`` is a sequence of sequences.

    Examples
    --------
    >>> from sympy import symbols
    >>> from symconv import rect
    >>> t = symbols("t", real=True)
    >>> y = conv_continuous([rect(t), rect(t - 2)], [rect(t), rect(t)], t, flip=True)
    >>> y.args[:3]
    ((0, t < -1), (t + 1, t < 0), (1 - t, t < 1))
    >>> y.args[3:]
    ((t - 1, t < 2), (3 - t, t < 3), (0, True))
    """
    from symconv.api import convolve, correlate

    flip = _check_bool(flip, "flip")
    xs = list(x) if _is_sequence(x) else [x]
    if _is_sequence(w) and w and all(_is_sequence(row) for row in w):
        rows, single = [list(row) for row in w], False
    elif _is_sequence(w):
        rows, single = [list(w)], True
    else:
        rows, single = [[w]], True
    for o, row in enumerate(rows):
        if len(row) != len(xs):
            raise UnsupportedInputError(
                f"w row {o} has {len(row)} kernels but x has {len(xs)} channels; give one "
                "kernel per input channel"
            )
    if bias is None:
        biases = [S.Zero] * len(rows)
    else:
        biases = list(bias) if _is_sequence(bias) else [bias]
        if len(biases) != len(rows):
            raise UnsupportedInputError(
                f"bias has {len(biases)} values for {len(rows)} output channels"
            )
        biases = [_exact_entry(b, "bias") for b in biases]
    op = convolve if flip else correlate
    out = []
    for row, b in zip(rows, biases, strict=True):
        total = Add(*[op(h, xc, var) for h, xc in zip(row, xs, strict=True)], b)
        if _parameter_free(total, var):
            total = to_sympy(to_signal(total, var), var)
        out.append(total)
    return out[0] if single else out
