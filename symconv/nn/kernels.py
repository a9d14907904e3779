"""The kernels of the computation: padding, exact matrix products and the valid
cross-correlation of padded arrays (im2col or shift-and-add on numbers, one ``Add`` per entry
exactly)."""

from __future__ import annotations

from math import prod

import numpy as np
from numpy.lib.stride_tricks import as_strided
from sympy import Add, S

_NUMPY_PAD = {"reflect": "reflect", "replicate": "edge", "circular": "wrap"}
# The numeric path unfolds windows (im2col) for this many batch items at a time, so that the
# unfolded block stays below about this many elements.
_BLOCK_ELEMENTS = 1 << 22
# Groups with at most this many (input, output) channel pairs use shift-and-add instead.
_SHIFT_ADD_PAIRS = 8


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
