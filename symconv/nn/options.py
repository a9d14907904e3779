"""Operands and options of a convolution layer, validated at the edge.

Which arithmetic (NumPy float64/complex128, or exact SymPy entries) and which shapes
(:class:`_Operands`), and the options ``stride``, ``padding``, ``dilation``, ``padding_mode`` and
``mode``: each checked, with an error that lists the accepted values, and turned into the padding
and output shape of the layer (:func:`_layout`).
"""

from __future__ import annotations

from numbers import Integral
from numbers import Rational as PyRational
from typing import Any, Literal, NamedTuple

import numpy as np
from sympy import Basic, Expr, Float, Integer, Rational, sympify
from sympy.core.sympify import SympifyError
from sympy.matrices import MatrixBase
from sympy.tensor.array import NDimArray

from symconv.convert.exact import exact
from symconv.errors import UnsupportedInputError

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
