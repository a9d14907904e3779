"""Deep-learning convolution, exactly: channels, N-d grids, stride, padding, dilation, groups.

A ``Conv1d``/``Conv2d``/``Conv3d`` layer differs from the textbook ``y[n] = Σ_k h[k] x[n-k]`` in
four ways: it is discrete, it sums over input channels, it does not flip the kernel (it is a
cross-correlation) and it runs over 2-D and 3-D grids, with stride, padding, dilation and groups
on top. This module computes exactly what PyTorch's ``conv1d/2d/3d`` compute,

``y[n, o, i] = bias[o] + Σ_c Σ_k w[o, c, k] · xpad[n, g·C_in/groups + c, i·stride + k·dilation]``

on NumPy arrays (float64, vectorised) or on exact and symbolic SymPy entries, and relates it to
the mathematics: :func:`conv_matrix` is the matrix of the linear map,
:func:`~symconv.nn.bridges.conv_via_convolve` computes a layer with :func:`symconv.convolve`, and
:func:`~symconv.nn.bridges.conv_continuous` is the multi-channel continuous form
``y(t) = Σ_c (h_c * x_c)(t)`` on the symbolic engine.

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

import numpy as np
from sympy import Add, ImmutableMatrix, ImmutableSparseMatrix, S

from symconv.errors import UnsupportedInputError
from symconv.nn.kernels import _NUMPY_PAD, _add_bias, _correlate, _exact_matmul, _flip_spatial, _pad
from symconv.nn.options import (
    ArrayInput,
    IntOrTuple,
    Mode,
    Padding,
    PaddingMode,
    _as_array,
    _check_bool,
    _finish,
    _int_tuple,
    _is_int,
    _layout,
    _operands,
    _to_exact,
)

__all__ = ["conv", "conv_transpose", "conv_matrix"]

# conv_matrix(sparse=None) returns a sparse matrix above this many entries (8 MB of float64).
_DENSE_LIMIT = 1 << 20


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
