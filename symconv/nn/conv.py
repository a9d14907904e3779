"""Deep-learning convolution, exactly: channels, N-d grids, stride, padding, dilation, groups.

A ``Conv1d``/``Conv2d``/``Conv3d`` layer differs from the textbook ``y[n] = Σ_k h[k] x[n-k]`` in
four ways: it is discrete, it sums over input channels, it does not flip the kernel (it is a
cross-correlation) and it runs over 2-D and 3-D grids, with stride, padding, dilation and groups
on top. This module computes exactly what PyTorch's ``conv1d/2d/3d`` compute,

``y[n, o, i] = bias[o] + Σ_c Σ_k w[o, c, k] · xpad[n, g·C_in/groups + c, i·stride + k·dilation]``

on NumPy arrays (float64, vectorised) or on exact and symbolic SymPy entries, and relates it to
the mathematics: :func:`conv_matrix` is the matrix of the linear map, :func:`conv_via_convolve`
computes a layer with :func:`symconv.convolve`, and :func:`conv_continuous` is the multi-channel
continuous form ``y(t) = Σ_c (h_c * x_c)(t)`` on the symbolic engine.

Arrays are channels-first: ``x`` is ``(C_in, L)``, ``(C_in, H, W)`` or ``(C_in, D, H, W)``, with
an optional leading batch axis; ``w`` is ``(C_out, C_in/groups, *kernel)``. A plain 1-D kernel
and sequence (no channel axes) are one channel in, one out, and give a flat result.

Which arithmetic
    NumPy arrays of a numeric dtype (and array-likes such as CPU tensors) take the numeric path
    (float64, or complex128); as soon as ``x`` or ``w`` is a list, tuple, SymPy matrix or object
    array, the exact path is taken: entries become SymPy numbers (floats by their shortest
    decimal, ``0.1 → 1/10``) or stay symbolic, and the result is a list when ``x`` was a list,
    an object array otherwise.

Examples
--------
>>> from sympy import symbols
>>> x, w = symbols("x0:6"), symbols("w0:3")
>>> conv(x, w)
[w0*x0 + w1*x1 + w2*x2, w0*x1 + w1*x2 + w2*x3, w0*x2 + w1*x3 + w2*x4, w0*x3 + w1*x4 + w2*x5]
>>> conv(x, w, padding=1, stride=2)
[w1*x0 + w2*x1, w0*x1 + w1*x2 + w2*x3, w0*x3 + w1*x4 + w2*x5]
>>> conv(x, w, flip=True, mode="full")[:2]       # true convolution, as scipy.signal.convolve
[w0*x0, w0*x1 + w1*x0]
"""

from __future__ import annotations

from math import prod
from numbers import Integral
from numbers import Rational as PyRational
from typing import Any, Literal, NamedTuple

import numpy as np
from numpy.lib.stride_tricks import as_strided
from sympy import (
    Add,
    Basic,
    Expr,
    Float,
    ImmutableMatrix,
    ImmutableSparseMatrix,
    Integer,
    Piecewise,
    Rational,
    S,
    Symbol,
    floor,
    sympify,
)
from sympy.core.sympify import SympifyError
from sympy.matrices import MatrixBase
from sympy.tensor.array import NDimArray

from symconv.convert.output import to_sympy
from symconv.convert.signals import exact, to_signal
from symconv.errors import UnsupportedInputError

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

PaddingMode = Literal["zeros", "reflect", "replicate", "circular"]
Mode = Literal["full", "same", "valid"]
# NumPy arrays, (nested) lists or tuples, SymPy matrices, object arrays of SymPy expressions
ArrayInput = Any
IntOrTuple = int | tuple[int, ...]
Padding = int | tuple[int | tuple[int, int], ...] | Literal["same", "valid"]
Size = int | Expr | tuple[int | Expr, ...]

_PADDING_MODES = ("zeros", "reflect", "replicate", "circular")
_PADDING_STRINGS = ("same", "valid")
_MODES = ("full", "same", "valid")
_NUMPY_PAD = {"reflect": "reflect", "replicate": "edge", "circular": "wrap"}
# conv_matrix(sparse=None) returns a sparse matrix above this many entries (8 MB of float64).
_DENSE_LIMIT = 1 << 20
# The numeric path unfolds windows (im2col) for this many batch items at a time, so that the
# unfolded block stays below about this many elements.
_BLOCK_ELEMENTS = 1 << 22
# Groups with at most this many (input, output) channel pairs use shift-and-add instead.
_SHIFT_ADD_PAIRS = 8


# ---------------------------------------------------------------------------
# operands: which arithmetic, which shapes
# ---------------------------------------------------------------------------
class _Operands(NamedTuple):
    x: np.ndarray  # (N, C, *spatial)
    w: np.ndarray  # (C_out, C_in/groups, *kernel); transposed: (C_in, C_out/groups, *kernel)
    bias: np.ndarray | None  # (C_out,)
    d: int  # number of spatial dimensions
    batched: bool
    plain: bool  # 1-D sequence and kernel without channel axes
    exact: bool
    as_list: bool


def _is_int(v):
    return isinstance(v, (Integral, np.integer)) and not isinstance(v, (bool, np.bool_))


def _exact_entry(v, name):
    """One entry as an exact SymPy expression (floats by their shortest decimal)."""
    if isinstance(v, (bool, np.bool_)):
        return Integer(int(v))
    if isinstance(v, (Integral, np.integer)):
        return Integer(int(v))
    if isinstance(v, PyRational):
        return Rational(int(v.numerator), int(v.denominator))
    if isinstance(v, (float, np.floating)):
        if not np.isfinite(v):
            raise UnsupportedInputError(f"{name} contains {v!r}; only finite values are accepted")
        return exact(Float(float(v)))
    if isinstance(v, str):
        raise UnsupportedInputError(
            f"{name} contains the string {v!r}; pass numbers or SymPy expressions "
            "(text is never evaluated)"
        )
    if isinstance(v, Basic):
        e = v
    else:
        try:
            e = sympify(complex(v) if isinstance(v, np.complexfloating) else v, strict=True)
        except (SympifyError, TypeError, ValueError):
            raise UnsupportedInputError(
                f"{name} contains {v!r} ({type(v).__name__}), which is not a number or a "
                "SymPy expression"
            ) from None
    if not isinstance(e, Expr):
        raise UnsupportedInputError(
            f"{name} contains {e!r}, which is not a SymPy expression (Expr)", e
        )
    return exact(e)


def _to_exact(arr, name):
    out = np.empty(arr.shape, dtype=object)
    flat = out.reshape(-1)
    for i, v in enumerate(arr.reshape(-1)):
        flat[i] = _exact_entry(v, name)
    return out


def _as_array(v, name):
    """``(array, is_exact, was_list)`` for an operand."""
    if isinstance(v, np.ndarray):
        arr, was_list = v, False
    elif isinstance(v, (list, tuple)):
        try:
            arr = np.array(v, dtype=object)
        except ValueError:
            raise UnsupportedInputError(
                f"{name} is a ragged nested list; every row must have the same length"
            ) from None
        if any(isinstance(e, (list, tuple, np.ndarray)) for e in arr.flat):
            raise UnsupportedInputError(
                f"{name} is a ragged nested list; every row must have the same length"
            )
        was_list = True
    elif isinstance(v, (MatrixBase, NDimArray)):
        arr, was_list = np.array(v.tolist(), dtype=object), False
    elif hasattr(v, "__array__") and not isinstance(v, (str, bytes)):
        arr, was_list = np.asarray(v), False
    else:
        raise UnsupportedInputError(
            f"{name} must be an array: a NumPy array, a (nested) list or tuple, or a SymPy "
            f"matrix; got {type(v).__name__}"
        )
    if arr.ndim == 0:
        raise UnsupportedInputError(f"{name} is a scalar; give a sequence or an array")
    if 0 in arr.shape:
        raise UnsupportedInputError(f"{name} has an empty axis (shape {arr.shape})")
    kind = arr.dtype.kind
    if kind == "O":
        return arr, True, was_list
    if kind in "biufc":
        return arr, False, was_list
    raise UnsupportedInputError(
        f"{name} has dtype {arr.dtype}; accepted are numeric dtypes (bool, int, float, complex) "
        "and object arrays of SymPy expressions"
    )


def _operands(x, w, bias, groups, transposed):
    xa, x_exact, x_list = _as_array(x, "x")
    wa, w_exact, _ = _as_array(w, "w")
    is_exact = x_exact or w_exact
    if not _is_int(groups) or groups < 1:
        raise UnsupportedInputError(f"groups={groups!r} is not accepted; give a positive integer")
    groups = int(groups)
    plain = wa.ndim == 1
    if plain:
        if xa.ndim != 1:
            raise UnsupportedInputError(
                f"w is a plain 1-D kernel, so x must be a 1-D sequence, but x has shape "
                f"{xa.shape}; for channels give w as (C_out, C_in/groups, K)"
            )
        if groups != 1:
            raise UnsupportedInputError(
                f"groups={groups} needs channels; a plain 1-D kernel is one channel in, one out"
            )
        xa, wa, d, batched = xa[None, None], wa[None, None], 1, False
    else:
        d = wa.ndim - 2
        if d not in (1, 2, 3):
            layout = "(C_in, C_out/groups, *kernel)" if transposed else \
                "(C_out, C_in/groups, *kernel)"
            raise UnsupportedInputError(
                f"w has shape {wa.shape}; accepted are a plain 1-D kernel or {layout} with a "
                "kernel of 1, 2 or 3 dimensions"
            )
        if xa.ndim == d + 1:
            xa, batched = xa[None], False
        elif xa.ndim == d + 2:
            batched = True
        else:
            raise UnsupportedInputError(
                f"x has shape {xa.shape}, but a {d}-D kernel needs x as (C_in, *spatial) or "
                f"(N, C_in, *spatial) with {d} spatial axes"
            )
    C_in = xa.shape[1]
    if transposed:
        if wa.shape[0] != C_in:
            raise UnsupportedInputError(
                f"x has {C_in} channels but w (C_in, C_out/groups, *kernel) has shape "
                f"{wa.shape}: its first axis must equal the channels of x"
            )
        if C_in % groups:
            raise UnsupportedInputError(
                f"groups={groups} must divide the {C_in} input channels"
            )
        C_out = wa.shape[1] * groups
    else:
        C_out = wa.shape[0]
        if C_out % groups:
            raise UnsupportedInputError(
                f"groups={groups} must divide the {C_out} output channels (w.shape[0])"
            )
        if wa.shape[1] * groups != C_in:
            raise UnsupportedInputError(
                f"x has {C_in} input channels but w has shape {wa.shape}: with "
                f"groups={groups} it needs w.shape[1] == {C_in} / {groups}"
                if C_in % groups == 0 else
                f"groups={groups} must divide the {C_in} input channels of x"
            )
    if is_exact:
        # object arrays may hold ints, floats or Fractions: always canonicalise
        xa, wa = _to_exact(xa, "x"), _to_exact(wa, "w")
    else:
        dtype = np.result_type(xa.dtype, wa.dtype, np.float64)
        xa, wa = xa.astype(dtype, copy=False), wa.astype(dtype, copy=False)
    ba = None
    if bias is not None:
        ba = _bias(bias, C_out, plain, is_exact, xa.dtype)
    return _Operands(xa, wa, ba, d, batched, plain, is_exact, x_list)


def _bias(bias, C_out, plain, is_exact, dtype):
    if plain and (np.ndim(bias) == 0 and not isinstance(bias, (list, tuple))):
        bias = [bias]
    if isinstance(bias, (list, tuple)):
        arr = np.array(bias, dtype=object)
    elif isinstance(bias, np.ndarray):
        arr = bias
    elif hasattr(bias, "tolist"):
        arr = np.array(bias.tolist(), dtype=object)
    else:
        raise UnsupportedInputError(
            f"bias must be a sequence of {C_out} values (one per output channel), got "
            f"{type(bias).__name__}"
        )
    if arr.shape != (C_out,):
        raise UnsupportedInputError(
            f"bias has shape {arr.shape}; it needs one value per output channel: ({C_out},)"
        )
    if is_exact:
        return _to_exact(arr, "bias")
    try:
        return arr.astype(dtype)
    except (TypeError, ValueError):
        raise UnsupportedInputError(
            "bias has symbolic entries but x and w are numeric arrays; give x or w as a list "
            "or an object array to take the exact path"
        ) from None


def _finish(y, op):
    if not op.batched:
        y = y[0]
    if op.plain:
        y = y[0]
    if op.exact and op.as_list:
        return y.tolist()
    return y


# ---------------------------------------------------------------------------
# options
# ---------------------------------------------------------------------------
def _int_tuple(value, d, name, minimum):
    if _is_int(value):
        vals = (value,) * d
    elif isinstance(value, (tuple, list)) and len(value) == d:
        vals = tuple(value)
    else:
        vals = None
    if vals is None or not all(_is_int(v) and v >= minimum for v in vals):
        raise UnsupportedInputError(
            f"{name}={value!r} is not accepted; give an integer >= {minimum} or a tuple of {d} "
            "of them (one per spatial axis)"
        )
    return tuple(int(v) for v in vals)


def _padding_error(padding, d):
    return UnsupportedInputError(
        f"padding={padding!r} is not accepted; accepted are an integer >= 0, a tuple of {d} "
        f"of them, a tuple of {d} (before, after) pairs, or one of {_PADDING_STRINGS}"
    )


def _pads(padding, mode, d, extent, stride):
    """``((before, after), ...)`` per spatial axis; ``extent[i] = dilation·(k-1)``."""
    if mode is not None:
        if not isinstance(mode, str) or mode not in _MODES:
            raise UnsupportedInputError(
                f"mode={mode!r} is not accepted; use one of {_MODES} (SciPy's modes) or "
                "mode=None with padding= (PyTorch's)"
            )
        if not (_is_int(padding) and padding == 0):
            raise UnsupportedInputError(
                f"padding={padding!r} and mode={mode!r} were both given; give either padding= "
                "(PyTorch's semantics) or mode= (SciPy's), not both"
            )
        if mode == "full":
            return tuple((e, e) for e in extent)
        if mode == "same":  # SciPy centres the window: the extra pad goes before
            return tuple((e - e // 2, e // 2) for e in extent)
        return ((0, 0),) * d
    if isinstance(padding, str):
        if padding not in _PADDING_STRINGS:
            raise _padding_error(padding, d)
        if padding == "valid":
            return ((0, 0),) * d
        if any(s != 1 for s in stride):
            raise UnsupportedInputError(
                f"padding='same' needs stride 1 (as in PyTorch), got stride={stride}; give "
                "the padding as numbers instead"
            )
        return tuple((e // 2, e - e // 2) for e in extent)  # PyTorch: the extra pad goes after
    if _is_int(padding):
        if padding < 0:
            raise _padding_error(padding, d)
        return ((int(padding), int(padding)),) * d
    if isinstance(padding, (tuple, list)) and len(padding) == d:
        out = []
        for p in padding:
            if _is_int(p) and p >= 0:
                out.append((int(p), int(p)))
            elif isinstance(p, (tuple, list)) and len(p) == 2 and all(
                _is_int(q) and q >= 0 for q in p
            ):
                out.append((int(p[0]), int(p[1])))
            else:
                raise _padding_error(padding, d)
        return tuple(out)
    raise _padding_error(padding, d)


def _layout(spatial, kernel, stride, padding, dilation, padding_mode, mode):
    """Validated ``(stride, dilation, pads, out_shape)`` of a convolution."""
    d = len(kernel)
    if not isinstance(padding_mode, str) or padding_mode not in _PADDING_MODES:
        raise UnsupportedInputError(
            f"padding_mode={padding_mode!r} is not accepted; use one of {_PADDING_MODES}"
        )
    stride = _int_tuple(stride, d, "stride", 1)
    dilation = _int_tuple(dilation, d, "dilation", 1)
    extent = tuple(dl * (k - 1) for dl, k in zip(dilation, kernel, strict=True))
    pads = _pads(padding, mode, d, extent, stride)
    out = []
    for i in range(d):
        (lo, hi), n = pads[i], spatial[i]
        if padding_mode == "reflect" and max(lo, hi) >= n:
            raise UnsupportedInputError(
                f"padding_mode='reflect' needs each pad smaller than the input size: axis {i} "
                f"has size {n} and pads {(lo, hi)}"
            )
        if padding_mode == "circular" and max(lo, hi) > n:
            raise UnsupportedInputError(
                f"padding_mode='circular' wraps at most once: axis {i} has size {n} and pads "
                f"{(lo, hi)}"
            )
        size = n + lo + hi
        if size < extent[i] + 1:
            raise UnsupportedInputError(
                f"the kernel along axis {i} spans {extent[i] + 1} positions (size {kernel[i]}, "
                f"dilation {dilation[i]}) but the padded input has only {size}; pad more or "
                "use a smaller kernel"
            )
        out.append((size - extent[i] - 1) // stride[i] + 1)
    return stride, dilation, pads, tuple(out)


def _check_bool(value, name):
    if not isinstance(value, (bool, np.bool_)):
        raise UnsupportedInputError(f"{name}={value!r} is not accepted; give True or False")
    return bool(value)


# ---------------------------------------------------------------------------
# kernels of the computation
# ---------------------------------------------------------------------------
def _flip_spatial(w, d):
    return np.flip(w, axis=tuple(range(w.ndim - d, w.ndim)))


def _pad(x, pads, padding_mode, is_exact):
    """Pad the spatial axes of ``(N, C, *spatial)``."""
    if all(p == (0, 0) for p in pads):
        return x
    width = ((0, 0), (0, 0), *pads)
    if padding_mode == "zeros":
        return np.pad(x, width, constant_values=S.Zero if is_exact else 0)
    return np.pad(x, width, mode=_NUMPY_PAD[padding_mode])


def _exact_matmul(a, b):
    """``a @ b`` on object arrays ``(G, R, M) @ (G, M, n)``, one ``Add`` per entry."""
    G, R, M = a.shape
    n_out = b.shape[2]
    out = np.empty((G, R, n_out), dtype=object)
    zero = S.Zero
    for g in range(G):
        cols = [[(m, v) for m, v in enumerate(b[g, :, o]) if v is not zero] for o in range(n_out)]
        for r in range(R):
            row = a[g, r]
            for o in range(n_out):
                out[g, r, o] = Add(*[row[m] * v for m, v in cols[o] if row[m] is not zero])
    return out


def _correlate(xp, w, stride, dilation, groups, is_exact):
    """Valid cross-correlation of padded ``(N, C, *S)`` with ``(C_out, C/groups, *K)``.

    Numbers: unfold the windows (im2col) and multiply by the kernel matrix, one BLAS product
    per group; or, with few channel pairs per group, add the shifted input times each tap.
    Exact entries: one ``Add`` of the products per output value.
    """
    N, C = xp.shape[:2]
    C_out, Cg, *K = w.shape
    d = len(K)
    G, Og = groups, C_out // groups
    out = tuple((xp.shape[2 + i] - dilation[i] * (K[i] - 1) - 1) // stride[i] + 1
                for i in range(d))
    P, Kp = prod(out), prod(K)
    st = xp.strides
    # a read-only view of every window: (N, G, Cg, *out, *K), nothing copied yet
    windows = as_strided(
        xp,
        (N, G, Cg, *out, *K),
        (st[0], st[1] * Cg, st[1], *(st[2 + i] * stride[i] for i in range(d)),
         *(st[2 + i] * dilation[i] for i in range(d))),
        writeable=False,
    )
    if not is_exact and Cg * Og <= _SHIFT_ADD_PAIRS:
        # few channel pairs per group (depthwise, single channel): one broadcast multiply-add
        # per kernel position and pair beats unfolding the windows
        wg = w.reshape(G, Og, Cg, Kp)
        y = np.zeros((N, G, Og, *out), dtype=np.result_type(xp, w))
        for j, k in enumerate(np.ndindex(*K)):
            shifted = windows[(Ellipsis, *k)]  # (N, G, Cg, *out), a view
            for c in range(Cg):
                for o in range(Og):
                    y[:, :, o] += shifted[:, :, c] * wg[:, o, c, j].reshape(1, G, *(1,) * d)
        return y.reshape(N, C_out, *out)
    order = (1, 0, *range(3, 3 + d), 2, *range(3 + d, 3 + 2 * d))  # (G, N, *out, Cg, *K)
    wm = w.reshape(G, Og, Cg * Kp).transpose(0, 2, 1)  # (G, Cg·Kp, Og)
    y = np.empty((N, C_out, *out), dtype=object if is_exact else np.result_type(xp, w))
    step = N if is_exact else max(1, _BLOCK_ELEMENTS // max(1, G * P * Cg * Kp))
    for n0 in range(0, N, step):
        block = windows[n0:n0 + step]
        nb = block.shape[0]
        cols = block.transpose(order).reshape(G, nb * P, Cg * Kp)  # im2col (a copy)
        prodm = _exact_matmul(cols, wm) if is_exact else cols @ wm  # (G, nb·P, Og)
        y[n0:n0 + nb] = prodm.reshape(G, nb, P, Og).transpose(1, 0, 3, 2).reshape(
            nb, C_out, *out)
    return y


def _add_bias(y, bias, d):
    if bias is not None:
        y = y + bias.reshape((1, -1) + (1,) * d)
    return y


# ---------------------------------------------------------------------------
# public: conv, conv_transpose
# ---------------------------------------------------------------------------
def conv(x: ArrayInput, w: ArrayInput, *, stride: IntOrTuple = 1, padding: Padding = 0,
         dilation: IntOrTuple = 1, groups: int = 1, bias: ArrayInput | None = None,
         padding_mode: PaddingMode = "zeros", flip: bool = False,
         mode: Mode | None = None) -> np.ndarray | list:
    """A convolution layer's output: PyTorch's ``conv1d/2d/3d``, on numbers or symbols.

    ``y[n, o, i] = bias[o] + Σ_{c, k} w[o, c, k] · xpad[n, g·C_in/groups + c, i·stride +
    k·dilation]``, summed over the ``C_in/groups`` channels of the group ``g`` of output
    channel ``o`` and over every kernel position ``k``: a cross-correlation (no flip), as in
    deep learning.

    Parameters
    ----------
    x : array_like
        ``(C_in, *spatial)`` or ``(N, C_in, *spatial)`` with 1, 2 or 3 spatial axes; or a plain
        1-D sequence when ``w`` is a plain 1-D kernel.
    w : array_like
        ``(C_out, C_in/groups, *kernel)``, or a plain 1-D kernel.
    stride, dilation : int or tuple of int
        One value for every spatial axis, or one per axis.
    padding : int, tuple or {"same", "valid"}
        Zeros (or ``padding_mode`` values) added on both sides of each spatial axis: one number,
        one per axis, or ``(before, after)`` pairs per axis. ``"same"`` keeps the size (stride
        1; an odd total goes after, as in PyTorch); ``"valid"`` is no padding.
    groups : int
        Channels split into this many independent groups (``groups = C_in`` is depthwise).
    bias : array_like, optional
        ``(C_out,)``, added to every output position (a scalar for a plain kernel).
    padding_mode : {"zeros", "reflect", "replicate", "circular"}
        What the padding holds, as in ``torch.nn.Conv*d``.
    flip : bool
        Flip the kernel along its spatial axes first: ``True`` makes the layer a true
        convolution ``Σ_k w[k] x[i - k]``.
    mode : {"full", "same", "valid"}, optional
        SciPy's padding instead of ``padding``: with ``flip=True`` each channel pair is
        ``scipy.signal.convolve(x_c, w_oc, mode)``, without it ``scipy.signal.correlate``
        (``"same"`` centres as SciPy does: an odd total pad goes before).

    Returns
    -------
    numpy.ndarray or list
        ``(C_out, *out)`` (or ``(N, C_out, *out)``), sizes given by :func:`output_shape`; a flat
        sequence for a plain kernel. Exact entries come as a list when ``x`` is a list, as an
        object array otherwise.

    Raises
    ------
    UnsupportedInputError
        Shapes that do not fit, or an option outside the accepted values (the message lists
        them).

    Examples
    --------
    >>> from sympy import symbols
    >>> conv(symbols("x0:4"), symbols("a b"))
    [a*x0 + b*x1, a*x1 + b*x2, a*x2 + b*x3]
    >>> conv([1, 2, 3, 4], [1, 1], dilation=2, padding=1, padding_mode="circular")
    [6, 4, 6, 4]

    Two input channels and one output channel: the channel sum.

    >>> x = [symbols("p0:3"), symbols("q0:3")]
    >>> conv(x, [[symbols("a0:2"), symbols("b0:2")]])
    [[a0*p0 + a1*p1 + b0*q0 + b1*q1, a0*p1 + a1*p2 + b0*q1 + b1*q2]]

    NumPy arrays take the float64 path; here an image and a 2x2 kernel with stride 2:

    >>> import numpy as np
    >>> img = np.arange(16.0).reshape(1, 4, 4)
    >>> conv(img, np.ones((1, 1, 2, 2)), stride=2)
    array([[[10., 18.],
            [42., 50.]]])
    """
    op = _operands(x, w, bias, groups, transposed=False)
    flip = _check_bool(flip, "flip")
    kernel = op.w.shape[2:]
    stride, dilation, pads, _ = _layout(op.x.shape[2:], kernel, stride, padding, dilation,
                                        padding_mode, mode)
    wa = _flip_spatial(op.w, op.d) if flip else op.w
    xp = _pad(op.x, pads, padding_mode, op.exact)
    y = _correlate(xp, wa, stride, dilation, int(groups), op.exact)
    return _finish(_add_bias(y, op.bias, op.d), op)


def _transpose_layout(spatial, kernel, stride, padding, output_padding, dilation):
    d = len(kernel)
    stride = _int_tuple(stride, d, "stride", 1)
    dilation = _int_tuple(dilation, d, "dilation", 1)
    if isinstance(padding, str):
        raise UnsupportedInputError(
            f"padding={padding!r} is not accepted by conv_transpose; give an integer >= 0 or a "
            f"tuple of {d} of them (as in PyTorch)"
        )
    padding = _int_tuple(padding, d, "padding", 0)
    output_padding = _int_tuple(output_padding, d, "output_padding", 0)
    out = []
    for i in range(d):
        if output_padding[i] >= max(stride[i], dilation[i]):
            raise UnsupportedInputError(
                f"output_padding={output_padding[i]} on axis {i} must be smaller than the "
                f"stride ({stride[i]}) or the dilation ({dilation[i]})"
            )
        n = ((spatial[i] - 1) * stride[i] - 2 * padding[i] + dilation[i] * (kernel[i] - 1)
             + output_padding[i] + 1)
        if n < 1:
            raise UnsupportedInputError(
                f"the output along axis {i} would have size {n}; the padding {padding[i]} is "
                "too large for this input and kernel"
            )
        out.append(n)
    return stride, padding, output_padding, dilation, tuple(out)


def conv_transpose(x: ArrayInput, w: ArrayInput, *, stride: IntOrTuple = 1,
                   padding: IntOrTuple = 0, output_padding: IntOrTuple = 0,
                   dilation: IntOrTuple = 1, groups: int = 1,
                   bias: ArrayInput | None = None) -> np.ndarray | list:
    """Transposed convolution: PyTorch's ``conv_transpose1d/2d/3d``, on numbers or symbols.

    Each input value scatters a copy of the kernel into the output:
    ``y[n, o, i·stride + k·dilation - padding] += x[n, c, i] · w[c, o, k]``. It is the adjoint
    of :func:`conv` with the same ``w`` and options: ``conv_transpose(y, w) = Wᵀ y`` where
    ``W = conv_matrix(w, ...)``; ``output_padding`` picks the input size among those that
    ``stride`` maps to the same output size.

    Parameters
    ----------
    x : array_like
        ``(C_in, *spatial)`` or ``(N, C_in, *spatial)``; or a plain 1-D sequence.
    w : array_like
        ``(C_in, C_out/groups, *kernel)`` (PyTorch's layout), or a plain 1-D kernel.
    stride, padding, output_padding, dilation : int or tuple of int
        As in PyTorch; output size
        ``(L - 1)·stride - 2·padding + dilation·(k - 1) + output_padding + 1``, and
        ``output_padding`` must be smaller than the stride or the dilation.
    groups : int
    bias : array_like, optional
        ``(C_out,)``.

    Returns
    -------
    numpy.ndarray or list
        As for :func:`conv`.

    Examples
    --------
    >>> from sympy import symbols
    >>> conv_transpose(symbols("x0:3"), symbols("a b"), stride=2)
    [a*x0, b*x0, a*x1, b*x1, a*x2, b*x2]
    >>> conv_transpose([1, 2], [1, 1, 1], stride=2, padding=1, output_padding=1)
    [1, 3, 2, 2]
    """
    op = _operands(x, w, bias, groups, transposed=True)
    groups = int(groups)
    kernel = op.w.shape[2:]
    spatial = op.x.shape[2:]
    stride, padding, output_padding, dilation, out = _transpose_layout(
        spatial, kernel, stride, padding, output_padding, dilation)
    d = op.d
    N, C_in = op.x.shape[:2]
    G, Cg, Og = groups, C_in // groups, op.w.shape[1]
    full = tuple(o + 2 * p for o, p in zip(out, padding, strict=True))
    y = np.zeros((N, G, Og, *full), dtype=object if op.exact else op.x.dtype)
    if op.exact:
        y[...] = S.Zero
    P = prod(spatial)
    xg = op.x.reshape(N, G, Cg, P).transpose(1, 0, 3, 2).reshape(G, N * P, Cg)
    wg = op.w.reshape(G, Cg, Og, prod(kernel))
    for j, k in enumerate(np.ndindex(*kernel)):
        part = _exact_matmul(xg, wg[..., j]) if op.exact else xg @ wg[..., j]  # (G, N·P, Og)
        part = part.reshape(G, N, P, Og).transpose(1, 0, 3, 2).reshape(N, G, Og, *spatial)
        where = tuple(slice(k[i] * dilation[i], k[i] * dilation[i] + (spatial[i] - 1) * stride[i]
                            + 1, stride[i]) for i in range(d))
        y[(slice(None),) * 3 + where] += part
    crop = tuple(slice(p, p + o) for p, o in zip(padding, out, strict=True))
    y = y[(slice(None),) * 3 + crop].reshape(N, G * Og, *out)
    return _finish(_add_bias(y, op.bias, d), op)


# ---------------------------------------------------------------------------
# public: the matrix of the map
# ---------------------------------------------------------------------------
def _source_index(n, pads, padding_mode):
    """For each padded position along an axis of size ``n``: the input index, or -1 (a zero)."""
    idx = np.arange(n)
    if padding_mode == "zeros":
        return np.pad(idx, pads, constant_values=-1)
    return np.pad(idx, pads, mode=_NUMPY_PAD[padding_mode])


def conv_matrix(w: ArrayInput, input_shape: int | tuple[int, ...], *, stride: IntOrTuple = 1,
                padding: Padding = 0, dilation: IntOrTuple = 1, groups: int = 1,
                padding_mode: PaddingMode = "zeros", flip: bool = False,
                mode: Mode | None = None, sparse: bool | None = None):
    """The exact matrix ``W`` of the linear map ``x ↦ conv(x, w, ...)`` (without bias).

    ``W @ x.ravel()`` equals ``conv(x, w, ...).ravel()`` for ``x`` of shape ``input_shape``.
    For a 1-D kernel ``W`` is a banded Toeplitz matrix (each row the kernel, shifted by the
    stride); for a 2-D kernel it is doubly block Toeplitz (a Toeplitz matrix of Toeplitz
    blocks), and one block row of channel blocks per output channel. Reflect, replicate and
    circular padding are linear too: they fold the kernel back onto the edges.

    Parameters
    ----------
    w : array_like
        ``(C_out, C_in/groups, *kernel)`` or a plain 1-D kernel.
    input_shape : int or tuple of int
        ``(C_in, *spatial)`` without the batch axis; ``L`` (or ``(L,)``) for a plain kernel.
    stride, padding, dilation, groups, padding_mode, flip, mode
        As in :func:`conv`.
    sparse : bool, optional
        ``True`` for a sparse result (``scipy.sparse.csr_array``, or SymPy's
        ``ImmutableSparseMatrix`` for exact entries), ``False`` for a dense one (NumPy array or
        ``ImmutableMatrix``); by default sparse when the matrix has more than ``2**20``
        entries.

    Returns
    -------
    numpy.ndarray, scipy.sparse.csr_array, sympy.ImmutableMatrix or sympy.ImmutableSparseMatrix
        Shape ``(C_out·prod(out), C_in·prod(spatial))``.

    Examples
    --------
    >>> from sympy import Matrix, symbols
    >>> conv_matrix(symbols("w0:3"), 5)
    Matrix([
    [w0, w1, w2,  0,  0],
    [ 0, w0, w1, w2,  0],
    [ 0,  0, w0, w1, w2]])
    >>> conv_matrix([1, 2], 3, padding=1, padding_mode="reflect")
    Matrix([
    [2, 1, 0],
    [1, 2, 0],
    [0, 1, 2],
    [0, 2, 1]])
    >>> x = symbols("x0:5")
    >>> list(conv_matrix(symbols("w0:3"), 5) @ Matrix(x)) == conv(x, symbols("w0:3"))
    True
    """
    wa, is_exact, _ = _as_array(w, "w")
    flip = _check_bool(flip, "flip")
    if sparse is not None:
        sparse = _check_bool(sparse, "sparse")
    if not _is_int(groups) or groups < 1:
        raise UnsupportedInputError(f"groups={groups!r} is not accepted; give a positive integer")
    G = int(groups)
    plain = wa.ndim == 1
    if plain:
        wa = wa[None, None]
        if G != 1:
            raise UnsupportedInputError(
                f"groups={G} needs channels; a plain 1-D kernel is one channel in, one out"
            )
    d = wa.ndim - 2
    if d not in (1, 2, 3):
        raise UnsupportedInputError(
            f"w has shape {wa.shape}; accepted are a plain 1-D kernel or (C_out, C_in/groups, "
            "*kernel) with a kernel of 1, 2 or 3 dimensions"
        )
    shape = (input_shape,) if _is_int(input_shape) else input_shape
    if plain and isinstance(shape, (tuple, list)) and len(shape) == 1:
        shape = (1, *shape)
    if not (isinstance(shape, (tuple, list)) and len(shape) == d + 1
            and all(_is_int(s) and s >= 1 for s in shape)):
        expected = "an integer L or (L,)" if plain else f"(C_in, *spatial) with {d} spatial sizes"
        raise UnsupportedInputError(
            f"input_shape={input_shape!r} is not accepted; give {expected} (positive integers, "
            "no batch axis)"
        )
    C_in, *spatial = (int(s) for s in shape)
    C_out, Cg, *kernel = wa.shape
    if C_out % G or Cg * G != C_in:
        raise UnsupportedInputError(
            f"w of shape {wa.shape} with groups={G} needs C_in = {Cg * G} input channels and "
            f"C_out divisible by {G}; input_shape has C_in = {C_in}"
        )
    stride, dilation, pads, out = _layout(spatial, kernel, stride, padding, dilation,
                                          padding_mode, mode)
    if flip:
        wa = _flip_spatial(wa, d)
    if is_exact:
        wa = _to_exact(wa, "w")
    elif wa.dtype.kind in "biu":
        wa = wa.astype(np.float64)
    # every (output channel, output position, input channel in group, kernel position)
    nd = 2 + 2 * d
    Og, Sp, P = C_out // G, prod(spatial), prod(out)

    def along(a, *axes):
        shp = [1] * nd
        for ax, n in zip(axes, a.shape, strict=True):
            shp[ax] = n
        return a.reshape(shp)

    o = np.arange(C_out)
    rows = along(o * P, 0)
    cols = along((o // Og) * Cg * Sp, 0) + along(np.arange(Cg) * Sp, 1 + d)
    valid = np.ones((1,) * nd, dtype=bool)
    out_stride, in_stride = P, Sp
    for i in range(d):
        out_stride //= out[i]
        in_stride //= spatial[i]
        src = _source_index(spatial[i], pads[i], padding_mode)
        pos = (np.arange(out[i])[:, None] * stride[i]
               + np.arange(kernel[i])[None, :] * dilation[i])
        s = along(src[pos], 1 + i, 2 + d + i)
        rows = rows + along(np.arange(out[i]) * out_stride, 1 + i)
        cols = cols + s * in_stride
        valid = valid & (s >= 0)
    full = (C_out, *out, Cg, *kernel)
    vals = np.broadcast_to(wa.reshape(C_out, *(1,) * d, Cg, *kernel), full)
    valid = np.broadcast_to(valid, full)
    rows = np.broadcast_to(rows, full)[valid]
    cols = np.broadcast_to(cols, full)[valid]
    vals = vals[valid]
    n_rows, n_cols = C_out * P, C_in * Sp
    if sparse is None:
        sparse = n_rows * n_cols > _DENSE_LIMIT
    if is_exact:
        acc = {}
        for r, c, v in zip(rows.tolist(), cols.tolist(), vals, strict=True):
            if v is not S.Zero:
                acc.setdefault((r, c), []).append(v)
        entries = {rc: Add(*terms) for rc, terms in acc.items()}
        entries = {rc: v for rc, v in entries.items() if v is not S.Zero}
        if sparse:
            return ImmutableSparseMatrix(n_rows, n_cols, entries)
        dense = [[S.Zero] * n_cols for _ in range(n_rows)]
        for (r, c), v in entries.items():
            dense[r][c] = v
        return ImmutableMatrix(dense)
    if sparse:
        try:
            from scipy.sparse import coo_array
        except ImportError:
            raise UnsupportedInputError(
                f"a sparse {n_rows}x{n_cols} matrix needs SciPy: pip install scipy, or pass "
                "sparse=False for a dense NumPy array"
            ) from None
        W = coo_array((vals, (rows, cols)), shape=(n_rows, n_cols)).tocsr()
        W.sum_duplicates()
        W.eliminate_zeros()
        return W
    W = np.zeros((n_rows, n_cols), dtype=wa.dtype)
    np.add.at(W, (rows, cols), vals)
    return W


# ---------------------------------------------------------------------------
# public: shapes
# ---------------------------------------------------------------------------
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
