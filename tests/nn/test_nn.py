"""symconv.nn against ONNX, PyTorch and SciPy: deep-learning convolution, float64 and exact.

The references are independent implementations: the ONNX reference evaluator's ``Conv`` and
``ConvTranspose`` nodes (NumPy, float64; see :class:`OnnxReference`), PyTorch's
``torch.nn.Conv*d`` modules, ``torch.nn.functional.conv*d`` and ``conv_transpose*d`` (CPU,
float64) and ``scipy.signal``'s ``convolve``/``correlate``. Each runs over a randomized grid (fixed
seeds) of shapes, strides, paddings, padding modes, dilations, groups, batch and bias; float64
results must agree to 1e-12, and symbolic results must equal the numbers exactly once numbers are
substituted.

The layer tests take the ``reference`` fixture and run once against ONNX and once against PyTorch.
ONNX installs small (``pip install onnx``, in the ``test`` extra), so it is the reference CI
relies on: locally a missing ONNX or SciPy skips its tests, with ``CI=true`` it fails them (see
:func:`require`). PyTorch is a second reference where it is installed; without it its cases skip,
in CI too (CI does not install its GBs of wheels).
"""

import itertools
import zlib
from fractions import Fraction

import numpy as np
import pytest
from sympy import (
    Add,
    ImmutableMatrix,
    ImmutableSparseMatrix,
    Integer,
    Matrix,
    Piecewise,
    Rational,
    S,
    Symbol,
    exp,
    expand,
    symbols,
)

from symconv import UnsupportedInputError, convolve, correlate, rect, u
from symconv.nn import (
    conv,
    conv_continuous,
    conv_matrix,
    conv_transpose,
    conv_via_convolve,
    flip,
    kernels,
    output_shape,
    receptive_field,
)
from tests.needs import require

TOL = {"rtol": 1e-12, "atol": 1e-12}
PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


# optional references: skip locally, fail in CI (tests.needs.require)
@pytest.fixture(scope="module", params=["onnx", "torch"])
def reference(request):
    """A float64 reference for ``conv`` and ``conv_transpose``: ONNX (required in CI), then
    PyTorch (where it is installed)."""
    if request.param == "onnx":
        return OnnxReference(require("onnx", "onnx"))
    return TorchReference(require("torch", "torch==2.13.0", ci_required=False))


@pytest.fixture(scope="module")
def signal():
    return require("scipy.signal", "scipy")


def test_require_fails_in_ci_and_skips_locally(monkeypatch):
    missing = "symconv_no_such_module"
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        require(missing, missing)
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="not installed"):
        require(missing, missing)
    monkeypatch.setenv("CI", "false")
    with pytest.raises(pytest.skip.Exception):
        require(missing, missing)
    assert require("math", "math").sqrt(4) == 2
    # an optional reference (PyTorch) skips in CI too
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.skip.Exception, match="not installed"):
        require(missing, missing, ci_required=False)


# ---------------------------------------------------------------------------
# random layers
# ---------------------------------------------------------------------------
def seed_of(*parameters):
    """A seed from test parameters, the same in every run (``hash`` of a str is not)."""
    return zlib.crc32(repr(parameters).encode())


def _ri(rng, lo, hi):
    """A random int in [lo, hi]."""
    return int(rng.integers(lo, hi + 1))


def random_conv_case(rng, d):
    """A random, valid conv layer with ``d`` spatial axes and its input."""
    G, Cg, Og = _ri(rng, 1, 3), _ri(rng, 1, 2), _ri(rng, 1, 2)
    kmax = 3 if d < 3 else 2
    K = tuple(_ri(rng, 1, kmax) for _ in range(d))
    dilation = tuple(_ri(rng, 1, 2) for _ in range(d))
    stride = tuple(_ri(rng, 1, 3) for _ in range(d))
    padding_mode = PADDING_MODES[_ri(rng, 0, 3)]
    ext = [dl * (k - 1) for dl, k in zip(dilation, K, strict=True)]
    kind = ("int", "tuple", "same", "valid", "pairs")[_ri(rng, 0, 4)]
    if kind == "int":
        p = _ri(rng, 0, 2)
        padding, pads = p, [(p, p)] * d
    elif kind == "tuple":
        padding = tuple(_ri(rng, 0, 2) for _ in range(d))
        pads = [(p, p) for p in padding]
    elif kind == "same":
        stride = (1,) * d
        padding, pads = "same", [(e // 2, e - e // 2) for e in ext]
    elif kind == "valid":
        padding, pads = "valid", [(0, 0)] * d
    else:
        padding = tuple((_ri(rng, 0, 2), _ri(rng, 0, 2)) for _ in range(d))
        pads = list(padding)
    smax = 5 if d < 3 else 3
    spatial = tuple(
        max(ext[i] + 1 - lo - hi, max(lo, hi) + 1, 1) + _ri(rng, 0, smax)
        for i, (lo, hi) in enumerate(pads)
    )
    batch = (_ri(rng, 1, 2),) if rng.random() < 0.5 else ()
    x = rng.standard_normal(batch + (G * Cg,) + spatial)
    w = rng.standard_normal((G * Og, Cg) + K)
    bias = rng.standard_normal(G * Og) if rng.random() < 0.5 else None
    options = {"stride": stride, "padding": padding, "dilation": dilation, "groups": G,
               "padding_mode": padding_mode}
    return x, w, bias, options


def torch_conv(torch, x, w, bias, options):
    """PyTorch's result: the ``Conv*d`` module, or ``F.pad`` + ``F.conv*d`` for pad pairs."""
    F = torch.nn.functional
    d = w.ndim - 2
    xt = torch.from_numpy(x if x.ndim == d + 2 else x[None])
    wt, bt = torch.from_numpy(w), None if bias is None else torch.from_numpy(bias)
    padding = options["padding"]
    if isinstance(padding, tuple) and isinstance(padding[0], tuple):
        flat = [q for pair in reversed(padding) for q in pair]
        mode = {"zeros": "constant"}.get(options["padding_mode"], options["padding_mode"])
        xt = F.pad(xt, flat, mode=mode)
        fn = (F.conv1d, F.conv2d, F.conv3d)[d - 1]
        y = fn(xt, wt, bt, stride=options["stride"], dilation=options["dilation"],
               groups=options["groups"])
    else:
        cls = (torch.nn.Conv1d, torch.nn.Conv2d, torch.nn.Conv3d)[d - 1]
        layer = cls(w.shape[1] * options["groups"], w.shape[0], w.shape[2:], bias=bias is not None,
                    dtype=torch.float64, **options)
        with torch.no_grad():
            layer.weight.copy_(wt)
            if bias is not None:
                layer.bias.copy_(bt)
            y = layer(xt)
    y = y.detach().numpy()
    return y if x.ndim == d + 2 else y[0]


def random_transpose_case(rng, d):
    G, Cg, Og = _ri(rng, 1, 3), _ri(rng, 1, 2), _ri(rng, 1, 2)
    kmax = 3 if d < 3 else 2
    K = tuple(_ri(rng, 1, kmax) for _ in range(d))
    dilation = tuple(_ri(rng, 1, 2) for _ in range(d))
    stride = tuple(_ri(rng, 1, 3) for _ in range(d))
    output_padding = tuple(_ri(rng, 0, max(s, dl) - 1) for s, dl in zip(stride, dilation,
                                                                           strict=True))
    spatial = tuple(_ri(rng, 1, 4 if d < 3 else 3) for _ in range(d))
    padding = tuple(
        _ri(rng, 0, min(2, ((n - 1) * s + dl * (k - 1) + op) // 2))
        for n, s, dl, k, op in zip(spatial, stride, dilation, K, output_padding, strict=True)
    )
    batch = (_ri(rng, 1, 2),) if rng.random() < 0.5 else ()
    x = rng.standard_normal(batch + (G * Cg,) + spatial)
    w = rng.standard_normal((G * Cg, Og) + K)
    bias = rng.standard_normal(G * Og) if rng.random() < 0.5 else None
    options = {"stride": stride, "padding": padding, "output_padding": output_padding,
               "dilation": dilation, "groups": G}
    return x, w, bias, options


def torch_conv_transpose(torch, x, w, bias, options):
    F = torch.nn.functional
    d = w.ndim - 2
    fn = (F.conv_transpose1d, F.conv_transpose2d, F.conv_transpose3d)[d - 1]
    xt = torch.from_numpy(x if x.ndim == d + 2 else x[None])
    y = fn(xt, torch.from_numpy(w), None if bias is None else torch.from_numpy(bias), **options)
    y = y.numpy()
    return y if x.ndim == d + 2 else y[0]


# ---------------------------------------------------------------------------
# the float64 references: ONNX (always) and PyTorch (where installed)
# ---------------------------------------------------------------------------
CONV_DEFAULTS = {"stride": 1, "padding": 0, "dilation": 1, "groups": 1, "padding_mode": "zeros"}


def per_axis(value, d):
    """An int or a tuple of ``d`` ints, as a tuple of ``d`` ints."""
    return tuple(value) if isinstance(value, tuple) else (value,) * d


def explicit_pads(padding, kernel, dilation):
    """PyTorch's ``padding`` of a ``Conv*d`` as (before, after) per axis; pairs are symconv's
    extension (what ``F.pad`` then ``F.conv*d`` does). 'same' puts the odd pad after."""
    d = len(kernel)
    if padding == "valid":
        return [(0, 0)] * d
    if padding == "same":
        total = [dl * (k - 1) for k, dl in zip(kernel, dilation, strict=True)]
        return [(t // 2, t - t // 2) for t in total]
    return [p if isinstance(p, tuple) else (p, p) for p in per_axis(padding, d)]


class OnnxReference:
    """``Conv`` and ``ConvTranspose`` nodes run by ``onnx.reference.ReferenceEvaluator``, the ONNX
    operators' NumPy implementation, in float64.

    ONNX pads with zeros only. The other padding modes pad the input with ``numpy.pad`` first, as
    PyTorch defines them ('reflect' mirrors without repeating the edge: ``reflect``; 'replicate':
    ``edge``; 'circular': ``wrap``), then run a ``Conv`` without pads.
    """

    NUMPY_PAD_MODE = {"reflect": "reflect", "replicate": "edge", "circular": "wrap"}

    def __init__(self, onnx):
        from onnx.reference import ReferenceEvaluator

        self._helper, self._double = onnx.helper, onnx.TensorProto.DOUBLE
        self._evaluator = ReferenceEvaluator

    def _run(self, op, x, w, bias, **attributes):
        """One node ``y = op(x, w[, b])`` as a model, evaluated on batched float64 arrays."""
        helper = self._helper
        names = ["x", "w"] + ([] if bias is None else ["b"])
        graph = helper.make_graph(
            [helper.make_node(op, names, ["y"], **attributes)], op,
            [helper.make_tensor_value_info(name, self._double, None) for name in names],
            [helper.make_tensor_value_info("y", self._double, None)],
        )
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 21)])
        feeds = dict(zip(names, [x, w] + ([] if bias is None else [bias]), strict=True))
        return self._evaluator(model).run(None, feeds)[0]

    def conv(self, x, w, bias, options):
        """PyTorch's ``Conv*d`` (``options`` as for symconv's ``conv``)."""
        o = CONV_DEFAULTS | options
        d = w.ndim - 2
        xb = x if x.ndim == d + 2 else x[None]
        dilation = per_axis(o["dilation"], d)
        attributes = {"strides": list(per_axis(o["stride"], d)), "dilations": list(dilation),
                      "group": o["groups"]}
        if o["padding_mode"] == "zeros" and isinstance(o["padding"], str):
            # ONNX's own 'same' (odd pad after, as PyTorch) and 'valid'
            attributes["auto_pad"] = {"same": "SAME_UPPER", "valid": "VALID"}[o["padding"]]
        else:
            pads = explicit_pads(o["padding"], w.shape[2:], dilation)
            if o["padding_mode"] == "zeros":
                attributes["pads"] = [lo for lo, _ in pads] + [hi for _, hi in pads]
            else:
                xb = np.pad(xb, [(0, 0), (0, 0), *pads],
                            mode=self.NUMPY_PAD_MODE[o["padding_mode"]])
        y = self._run("Conv", xb, w, bias, **attributes)
        return y if x.ndim == d + 2 else y[0]

    def conv_transpose(self, x, w, bias, options):
        """PyTorch's ``ConvTranspose*d``: ONNX's full transposed convolution of each group (no
        pads), the groups' channels one after another; then ``padding`` cropped from both ends of
        every axis, ``output_padding`` more positions at the end (zeros past the full result) and
        the bias.

        ONNX's ``pads``, ``output_padding`` and ``group`` are not used: the reference evaluator
        (onnx 1.23) computes ``group > 1`` wrongly or fails on it, and rejects an output padding
        of at least the stride, which PyTorch accepts below the dilation.
        """
        d = w.ndim - 2
        xb = x if x.ndim == d + 2 else x[None]
        G = options["groups"]
        Cg = xb.shape[1] // G
        attributes = {"strides": list(options["stride"]), "dilations": list(options["dilation"]),
                      "group": 1}
        full = np.concatenate([
            self._run("ConvTranspose", xb[:, g * Cg:(g + 1) * Cg], w[g * Cg:(g + 1) * Cg], None,
                      **attributes)
            for g in range(G)
        ], axis=1)
        full = np.pad(full, [(0, 0), (0, 0), *[(0, op) for op in options["output_padding"]]])
        y = full[(..., *[slice(p, n - p)
                         for p, n in zip(options["padding"], full.shape[2:], strict=True)])]
        if bias is not None:
            y = y + bias.reshape((-1,) + (1,) * d)
        return y if x.ndim == d + 2 else y[0]


class TorchReference:
    """PyTorch's ``torch.nn.Conv*d`` modules and ``F.conv_transpose*d`` (CPU, float64)."""

    def __init__(self, torch):
        self._torch = torch

    def conv(self, x, w, bias, options):
        return torch_conv(self._torch, x, w, bias, CONV_DEFAULTS | options)

    def conv_transpose(self, x, w, bias, options):
        return torch_conv_transpose(self._torch, x, w, bias, options)


def symbolic_like(shape, name):
    """An object array of distinct symbols ``name0, name1, ...``."""
    syms = symbols(f"{name}0:{int(np.prod(shape))}")
    return np.array(syms, dtype=object).reshape(shape)


def substitute(arr, values):
    """``arr`` (object array) with numbers put in; the result as an int array (exact)."""
    out = np.empty(arr.shape, dtype=object)
    for i, e in np.ndenumerate(arr):
        out[i] = expand(e.xreplace(values))
    assert all(v.is_Integer for v in out.ravel()), "substitution left symbols"
    return out.astype(np.int64)


# ---------------------------------------------------------------------------
# the examples, exactly
# ---------------------------------------------------------------------------
def test_plain_sequence_is_cross_correlation():
    x, w = symbols("x0:6"), symbols("w0:3")
    x0, x1, x2, x3, x4, x5 = x
    w0, w1, w2 = w
    assert conv(x, w) == [
        w0 * x0 + w1 * x1 + w2 * x2,
        w0 * x1 + w1 * x2 + w2 * x3,
        w0 * x2 + w1 * x3 + w2 * x4,
        w0 * x3 + w1 * x4 + w2 * x5,
    ]
    assert conv(x, w, padding=1, stride=2) == [
        w1 * x0 + w2 * x1, w0 * x1 + w1 * x2 + w2 * x3, w0 * x3 + w1 * x4 + w2 * x5,
    ]
    # the textbook convolution flips the kernel
    assert conv(x, w, flip=True) == [w2 * x0 + w1 * x1 + w0 * x2, w2 * x1 + w1 * x2 + w0 * x3,
                                     w2 * x2 + w1 * x3 + w0 * x4, w2 * x3 + w1 * x4 + w0 * x5]


def test_conv_matrix_is_banded_toeplitz():
    w0, w1, w2 = w = symbols("w0:3")
    W = conv_matrix(w, 6)
    assert isinstance(W, ImmutableMatrix)
    assert W == Matrix([
        [w0, w1, w2, 0, 0, 0],
        [0, w0, w1, w2, 0, 0],
        [0, 0, w0, w1, w2, 0],
        [0, 0, 0, w0, w1, w2],
    ])
    assert conv_matrix(w, 5, stride=2) == Matrix([[w0, w1, w2, 0, 0], [0, 0, w0, w1, w2]])


def test_grouped_dilated_symbolic_layer():
    X = symbolic_like((4, 7), "x")
    W = symbolic_like((2, 2, 2), "w")
    y = conv(X, W, groups=2, dilation=2)
    assert y.shape == (2, 5) and y.dtype == object
    # output channel 1 sees only input channels 2 and 3 (its group), taps two apart
    assert y[1, 0] == W[1, 0, 0] * X[2, 0] + W[1, 0, 1] * X[2, 2] \
        + W[1, 1, 0] * X[3, 0] + W[1, 1, 1] * X[3, 2]


# ---------------------------------------------------------------------------
# ONNX and PyTorch, float64
# ---------------------------------------------------------------------------
@pytest.fixture(params=["unfold", "shift-add"])
def numeric_path(request, monkeypatch):
    """Force one of the two numeric strategies (im2col + matrix product, or shift-and-add)."""
    monkeypatch.setattr(kernels, "_SHIFT_ADD_PAIRS", 0 if request.param == "unfold" else 10**9)
    return request.param


@pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel lengths:UserWarning")
@pytest.mark.parametrize("d", [1, 2, 3])
@pytest.mark.parametrize("seed", range(20))
def test_conv_matches_reference(reference, numeric_path, d, seed):
    rng = np.random.default_rng(1000 * d + seed)
    x, w, bias, options = random_conv_case(rng, d)
    got = conv(x, w, bias=bias, **options)
    want = reference.conv(x, w, bias, options)
    assert got.shape == want.shape, options
    np.testing.assert_allclose(got, want, **TOL, err_msg=str(options))


@pytest.mark.parametrize("d", [1, 2, 3])
@pytest.mark.parametrize("seed", range(20))
def test_conv_transpose_matches_reference(reference, d, seed):
    rng = np.random.default_rng(5000 + 1000 * d + seed)
    x, w, bias, options = random_transpose_case(rng, d)
    got = conv_transpose(x, w, bias=bias, **options)
    want = reference.conv_transpose(x, w, bias, options)
    assert got.shape == want.shape, options
    np.testing.assert_allclose(got, want, **TOL, err_msg=str(options))


@pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel lengths:UserWarning")
@pytest.mark.parametrize("padding", ["same", "valid", 0, 2, (1, 0)])
@pytest.mark.parametrize("kernel", [(2, 4), (3, 3), (1, 2)])
def test_conv2d_functional_padding(reference, padding, kernel):
    """Padding strings (PyTorch's ``F.conv2d``, ONNX's ``auto_pad``): 'same' with even kernels
    pads one more after."""
    rng = np.random.default_rng(seed_of(padding, kernel))
    x, w = rng.standard_normal((2, 3, 6, 7)), rng.standard_normal((4, 3, *kernel))
    want = reference.conv(x, w, None, {"padding": padding, "dilation": (2, 1)})
    np.testing.assert_allclose(conv(x, w, padding=padding, dilation=(2, 1)), want, **TOL)


def test_depthwise_and_pointwise(reference, numeric_path):
    rng = np.random.default_rng(7)
    x = rng.standard_normal((2, 6, 9, 9))
    dw, pw = rng.standard_normal((6, 1, 3, 3)), rng.standard_normal((5, 6, 1, 1))
    want = reference.conv(reference.conv(x, dw, None, {"padding": 1, "groups": 6}), pw, None, {})
    np.testing.assert_allclose(conv(conv(x, dw, padding=1, groups=6), pw), want, **TOL)


def test_large_batch_is_processed_in_blocks(reference, monkeypatch):
    """More windows than one im2col block holds: the blocks must tile the batch exactly."""
    monkeypatch.setattr(kernels, "_BLOCK_ELEMENTS", 3 * 8 * 9 * 100)  # 3 items of 10x10 per block
    rng = np.random.default_rng(8)
    x, w = rng.standard_normal((37, 8, 12, 12)), rng.standard_normal((4, 8, 3, 3))
    want = reference.conv(x, w, None, {"padding": 1})
    np.testing.assert_allclose(conv(x, w, padding=1), want, **TOL)


@pytest.mark.parametrize("seed", range(6))
def test_exact_path_equals_reference_after_substitution(reference, seed):
    """Symbolic entries, then integers put in: exactly the numeric path, and the reference to
    1e-12."""
    rng = np.random.default_rng(300 + seed)
    d = 1 + seed % 3
    x, w, bias, options = random_conv_case(rng, d)
    while x.size * w[0].size > 1500:  # keep the symbolic work small
        x, w, bias, options = random_conv_case(rng, d)
    X, W = symbolic_like(x.shape, "x"), symbolic_like(w.shape, "w")
    B = None if bias is None else symbolic_like(bias.shape, "b")
    got = conv(X, W, bias=B, **options)
    assert got.dtype == object
    xi = rng.integers(-9, 10, size=x.shape)
    wi = rng.integers(-9, 10, size=w.shape)
    bi = None if bias is None else rng.integers(-9, 10, size=bias.shape)
    values = dict(zip(X.ravel(), map(Integer, xi.ravel()), strict=True))
    values.update(zip(W.ravel(), map(Integer, wi.ravel()), strict=True))
    if B is not None:
        values.update(zip(B.ravel(), map(Integer, bi.ravel()), strict=True))
    exact = substitute(got, values)
    numeric = conv(xi, wi, bias=bi, **options)
    assert np.array_equal(exact, numeric), options  # integers in float64 are exact
    want = reference.conv(xi.astype(float), wi.astype(float),
                          None if bi is None else bi.astype(float), options)
    np.testing.assert_allclose(exact.astype(float), want, **TOL)
    # integer entries stay exact too (SymPy integers, not floats)
    ints = conv(xi.astype(object), wi, bias=None if bi is None else list(bi), **options)
    assert np.array_equal(ints.astype(np.int64), numeric)


@pytest.mark.parametrize("seed", range(4))
def test_exact_transpose_equals_reference_after_substitution(reference, seed):
    rng = np.random.default_rng(400 + seed)
    x, w, bias, options = random_transpose_case(rng, 1 + seed % 2)
    X, W = symbolic_like(x.shape, "x"), symbolic_like(w.shape, "w")
    got = conv_transpose(X, W, **options)
    xi, wi = rng.integers(-9, 10, size=x.shape), rng.integers(-9, 10, size=w.shape)
    values = dict(zip(X.ravel(), map(Integer, xi.ravel()), strict=True))
    values.update(zip(W.ravel(), map(Integer, wi.ravel()), strict=True))
    exact = substitute(got, values)
    assert np.array_equal(exact, conv_transpose(xi, wi, **options))
    want = reference.conv_transpose(xi.astype(float), wi.astype(float), None, options)
    np.testing.assert_allclose(exact.astype(float), want, **TOL)


# ---------------------------------------------------------------------------
# SciPy: true convolution and correlation with its modes
# ---------------------------------------------------------------------------
def dilate(k, dilation):
    """The kernel with ``dilation - 1`` zeros between taps, along every axis."""
    out = np.zeros(tuple(dl * (n - 1) + 1 for n, dl in zip(k.shape, dilation, strict=True)))
    out[tuple(slice(None, None, dl) for dl in dilation)] = k
    return out


@pytest.mark.parametrize("mode", ["full", "same", "valid"])
@pytest.mark.parametrize("flipped", [True, False])
@pytest.mark.parametrize("seed", range(8))
def test_mode_matches_scipy_plain(signal, mode, flipped, seed):
    rng = np.random.default_rng(600 + seed)
    k = _ri(rng, 1, 6)
    x, w = rng.standard_normal(k + _ri(rng, 0, 9)), rng.standard_normal(k)
    ref = signal.convolve if flipped else signal.correlate
    np.testing.assert_allclose(conv(x, w, flip=flipped, mode=mode), ref(x, w, mode=mode), **TOL)


@pytest.mark.parametrize("mode", ["full", "same", "valid"])
@pytest.mark.parametrize("flipped", [True, False])
@pytest.mark.parametrize("d", [1, 2, 3])
def test_mode_matches_scipy_channels(signal, mode, flipped, d):
    """Each output channel is the sum over input channels of SciPy's N-d result; stride
    subsamples it and dilation is SciPy on the dilated kernel."""
    rng = np.random.default_rng(seed_of(mode, flipped, d))
    K = tuple(_ri(rng, 1, 4) for _ in range(d))
    dilation = tuple(_ri(rng, 1, 2) for _ in range(d))
    stride = tuple(_ri(rng, 1, 2) for _ in range(d))
    spatial = tuple(dl * (k - 1) + 1 + _ri(rng, 0, 4) for k, dl in zip(K, dilation, strict=True))
    x, w = rng.standard_normal((3, *spatial)), rng.standard_normal((2, 3, *K))
    ref = signal.convolve if flipped else signal.correlate
    sub = tuple(slice(None, None, s) for s in stride)
    want = np.stack([sum(ref(x[c], dilate(w[o, c], dilation), mode=mode) for c in range(3))[sub]
                     for o in range(2)])
    got = conv(x, w, flip=flipped, mode=mode, stride=stride, dilation=dilation)
    np.testing.assert_allclose(got, want, **TOL)


def test_valid_conv_is_scipy_correlate_valid(signal):
    rng = np.random.default_rng(11)
    x, w = rng.standard_normal((3, 8, 9, 7)), rng.standard_normal((1, 3, 2, 3, 2))
    np.testing.assert_allclose(conv(x, w)[0], signal.correlate(x, w[0], mode="valid")[0], **TOL)


def test_same_padding_torch_and_scipy_differ_for_even_kernels(signal):
    """PyTorch's 'same' puts the odd pad after, SciPy's before: one shift apart."""
    x, w = np.arange(6.0), np.array([1.0, 10.0])
    torch_same = conv(x, w, padding="same")  # pads (0, 1)
    scipy_same = conv(x, w, mode="same")  # pads (1, 0)
    np.testing.assert_array_equal(torch_same, [10, 21, 32, 43, 54, 5])
    np.testing.assert_array_equal(scipy_same, signal.correlate(x, w, mode="same"))
    np.testing.assert_array_equal(scipy_same[1:], torch_same[:-1])


def test_exact_mode_matches_scipy(signal):
    x, w = symbols("x0:5"), symbols("w0:4")
    values = dict(zip(x + w, map(Integer, [3, -1, 4, 1, -5, 9, 2, -6, 5]), strict=True))
    xs, ws = np.array([3, -1, 4, 1, -5]), np.array([9, 2, -6, 5])
    for mode in ("full", "same", "valid"):
        got = [int(e.xreplace(values)) for e in conv(x, w, flip=True, mode=mode)]
        assert got == signal.convolve(xs, ws, mode=mode).tolist()


# ---------------------------------------------------------------------------
# conv_matrix
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("d", [1, 2, 3])
@pytest.mark.parametrize("seed", range(10))
def test_conv_matrix_reproduces_conv(d, seed):
    rng = np.random.default_rng(700 + 100 * d + seed)
    x, w, _, options = random_conv_case(rng, d)
    x = x if x.ndim == d + 1 else x[0]
    flipped = bool(rng.random() < 0.3)
    W = conv_matrix(w, x.shape, flip=flipped, sparse=False, **options)
    y = conv(x, w, flip=flipped, **options)
    assert W.shape == (y.size, x.size)
    np.testing.assert_allclose(W @ x.ravel(), y.ravel(), **TOL)


def test_conv_matrix_sparse_equals_dense():
    pytest.importorskip("scipy.sparse")  # conv_matrix itself needs SciPy for sparse output
    rng = np.random.default_rng(12)
    w = rng.standard_normal((4, 2, 3, 3))
    for padding_mode in PADDING_MODES:
        opts = {"stride": 2, "padding": 1, "groups": 2, "padding_mode": padding_mode}
        dense = conv_matrix(w, (4, 7, 6), sparse=False, **opts)
        sp = conv_matrix(w, (4, 7, 6), sparse=True, **opts)
        assert type(sp).__name__ == "csr_array"
        np.testing.assert_allclose(sp.toarray(), dense, **TOL)  # duplicates summed apart


def test_conv_matrix_large_sparse_reproduces_conv():
    pytest.importorskip("scipy.sparse")
    rng = np.random.default_rng(13)
    w, x = rng.standard_normal((8, 8, 3, 3)), rng.standard_normal((8, 32, 32))
    W = conv_matrix(w, x.shape, padding=1)
    assert type(W).__name__ == "csr_array"  # 8192 x 8192 entries: sparse by default
    assert W.nnz <= 8 * 8 * 9 * 32 * 32
    np.testing.assert_allclose(W @ x.ravel(), conv(x, w, padding=1).ravel(), **TOL)


def test_conv_matrix_2d_is_doubly_block_toeplitz():
    """One channel, 2-D: a block Toeplitz matrix (blocks indexed by row offset) of Toeplitz
    blocks (indexed by column offset)."""
    k = symbolic_like((1, 1, 2, 3), "k")
    H, Wd = 4, 5
    M = conv_matrix(k, (1, H, Wd))
    oh, ow = H - 1, Wd - 2
    blocks = {}
    for i, j in itertools.product(range(oh), range(H)):
        block = M[i * ow:(i + 1) * ow, j * Wd:(j + 1) * Wd]
        blocks.setdefault(j - i, set()).add(block)
        for r, c in itertools.product(range(ow), range(Wd)):
            want = k[0, 0, j - i, c - r] if 0 <= j - i < 2 and 0 <= c - r < 3 else 0
            assert block[r, c] == want
    assert all(len(v) == 1 for v in blocks.values())  # equal blocks along each diagonal


def test_conv_matrix_symbolic_reproduces_conv():
    X = symbolic_like((2, 4, 3), "x")
    Wk = symbolic_like((2, 1, 2, 2), "w")
    for padding_mode in PADDING_MODES:
        opts = {"padding": 1, "groups": 2, "padding_mode": padding_mode, "stride": (1, 2)}
        M = conv_matrix(Wk, X.shape, **opts)
        y = conv(X, Wk, **opts)
        prod = M @ Matrix(X.ravel())
        assert [expand(a - b) for a, b in zip(prod, y.ravel(), strict=True)] == [0] * y.size
    sp = conv_matrix(Wk, X.shape, padding=1, groups=2, sparse=True)
    assert isinstance(sp, ImmutableSparseMatrix)
    assert sp == conv_matrix(Wk, X.shape, padding=1, groups=2)


def test_conv_matrix_reflect_folds_the_kernel():
    a, b, c = symbols("a b c")
    M = conv_matrix([a, b, c], 3, padding=1, padding_mode="reflect")
    # padded input (x1, x0, x1, x2, x1): the first row meets x1 twice
    assert M == Matrix([[b, a + c, 0], [a, b, c], [0, a + c, b]])


# ---------------------------------------------------------------------------
# transposed convolution is the adjoint
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("d", [1, 2, 3])
@pytest.mark.parametrize("seed", range(6))
def test_conv_transpose_is_the_transpose_of_conv_matrix(d, seed):
    rng = np.random.default_rng(800 + 100 * d + seed)
    y, w, _, options = random_transpose_case(rng, d)
    y = y if y.ndim == d + 1 else y[0]
    xt = conv_transpose(y, w, **options)
    conv_options = {k: v for k, v in options.items() if k != "output_padding"}
    W = conv_matrix(w, xt.shape, sparse=False, **conv_options)
    assert W.shape == (y.size, xt.size)
    np.testing.assert_allclose(W.T @ y.ravel(), xt.ravel(), **TOL)
    # and the adjoint identity <conv(x), y> = <x, conv_transpose(y)>
    x = rng.standard_normal(xt.shape)
    np.testing.assert_allclose(np.vdot(conv(x, w, **conv_options), y), np.vdot(x, xt), **TOL)


def test_conv_transpose_symbolic_is_the_transpose():
    w = symbols("w0:3")
    y = symbols("y0:3")
    xt = conv_transpose(y, w, stride=2, padding=1, output_padding=1)
    M = conv_matrix(w, len(xt), stride=2, padding=1)
    assert [expand(v) for v in M.T @ Matrix(y)] == [expand(v) for v in xt]


# ---------------------------------------------------------------------------
# shapes
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("d", [1, 2, 3])
@pytest.mark.parametrize("seed", range(20))
def test_output_shape_matches_conv(d, seed):
    rng = np.random.default_rng(900 + 100 * d + seed)
    x, w, _, options = random_conv_case(rng, d)
    spatial, kernel = x.shape[-d:], w.shape[2:]
    got = output_shape(spatial, kernel, stride=options["stride"], padding=options["padding"],
                       dilation=options["dilation"])
    assert got == conv(x, w, **options).shape[-d:]


@pytest.mark.parametrize("seed", range(10))
def test_output_shape_transposed_matches_conv_transpose(seed):
    rng = np.random.default_rng(950 + seed)
    d = 1 + seed % 3
    x, w, _, options = random_transpose_case(rng, d)
    opts = {k: v for k, v in options.items() if k != "groups"}
    got = output_shape(x.shape[-d:], w.shape[2:], transposed=True, **opts)
    assert got == conv_transpose(x, w, **options).shape[-d:]


def test_output_shape_symbolic_formula():
    L, k, p, s, dl = symbols("L k p s d", positive=True, integer=True)
    f = output_shape(L, k, stride=s, padding=p, dilation=dl)
    for Lv, kv, pv, sv, dv in itertools.product([7, 10], [1, 3], [0, 2], [1, 2, 3], [1, 2]):
        if dv * (kv - 1) + 1 > Lv + 2 * pv:
            continue
        value = f.subs({L: Lv, k: kv, p: pv, s: sv, dl: dv})
        assert value == output_shape(Lv, kv, stride=sv, padding=pv, dilation=dv)
        assert value == len(conv(np.zeros(Lv), np.ones(kv), stride=sv, padding=pv, dilation=dv))
    assert output_shape((L, 2 * L), 3, padding="same") == (L, 2 * L)
    assert output_shape(L, k, mode="full") == L + k - 1
    assert output_shape(L, k, mode="valid") == L - k + 1
    assert output_shape(L, 5, padding=((1, 3),)) == L
    assert output_shape(10, 4, mode="same", stride=3) == 4


@pytest.mark.parametrize("seed", range(8))
def test_receptive_field_is_the_span_of_a_row(seed):
    """Stacked 1-D layers: the input positions one output sees, found from the matrices."""
    rng = np.random.default_rng(1200 + seed)
    n = _ri(rng, 1, 4)
    ks = [_ri(rng, 1, 4) for _ in range(n)]
    ss = [_ri(rng, 1, 3) for _ in range(n)]
    ds = [_ri(rng, 1, 3) for _ in range(n)]
    L = 200
    M, size = np.eye(L), L
    for kk, sv, dv in zip(ks, ss, ds, strict=True):
        step = conv_matrix(np.ones(kk), size, stride=sv, dilation=dv, sparse=False)
        M, size = step @ M, step.shape[0]
    seen = np.flatnonzero(M[0])
    assert seen[-1] - seen[0] + 1 == receptive_field(ks, stride=ss, dilation=ds)


def test_receptive_field_symbolic():
    k, s = symbols("k s", positive=True, integer=True)
    assert receptive_field(k) == k
    assert receptive_field([k, k], stride=[s, 1]) == k * s - s + k
    assert receptive_field(3, dilation=[1, 2, 4]) == 15


# ---------------------------------------------------------------------------
# the bridges to the mathematics
# ---------------------------------------------------------------------------
def test_flip_makes_a_true_convolution():
    x, w = symbols("x0:5"), symbols("w0:3")
    assert flip(w) == list(reversed(w))
    assert conv(x, flip(w)) == conv(x, w, flip=True)
    # full true convolution is symconv.convolve on lists
    assert [expand(v) for v in conv(x, w, flip=True, mode="full")] == convolve(list(x), list(w))
    arr = np.arange(24).reshape(2, 3, 2, 2)
    assert np.array_equal(flip(arr), arr[:, :, ::-1, ::-1])
    rng = np.random.default_rng(14)
    X, Wk = rng.standard_normal((3, 6, 5)), rng.standard_normal((2, 3, 3, 2))
    np.testing.assert_allclose(conv(X, flip(Wk), padding=1), conv(X, Wk, padding=1, flip=True))


def test_layer_is_symconv_correlate_at_nonnegative_lags():
    """conv(x, w)[n] = Σ_k w[k] x[n + k] = symconv.correlate(w, x) at lags n ≥ 0."""
    x, w = symbols("x0:6"), symbols("w0:3")
    lags = correlate(dict(enumerate(w)), dict(enumerate(x)))
    assert [lags[n] for n in range(4)] == [expand(v) for v in conv(x, w)]


@pytest.mark.parametrize("seed", range(12))
def test_conv_via_convolve_equals_conv(seed):
    rng = np.random.default_rng(1300 + seed)
    x, w, bias, options = random_conv_case(rng, 1)
    if seed % 3 == 0:  # symbols
        X, W = symbolic_like(x.shape, "x"), symbolic_like(w.shape, "w")
    else:  # exact integers
        X = rng.integers(-5, 6, size=x.shape).astype(object)
        W = rng.integers(-5, 6, size=w.shape).tolist()
    B = None if bias is None else rng.integers(-5, 6, size=bias.shape).tolist()
    flipped = bool(seed % 2)
    got = conv_via_convolve(X, W, bias=B, flip=flipped, **options)
    want = conv(X, W, bias=B, flip=flipped, **options)
    assert got.shape == want.shape
    assert all(expand(a - b) == 0 for a, b in zip(got.ravel(), want.ravel(), strict=True))


def test_conv_via_convolve_plain_lists():
    x, w = symbols("x0:7"), symbols("w0:3")
    for opts in ({}, {"padding": 2, "stride": 3}, {"dilation": 2, "padding": 1},
                 {"padding": 4}, {"padding": 1, "padding_mode": "reflect"}):
        got = conv_via_convolve(x, w, **opts)
        assert isinstance(got, list)
        assert [expand(v) for v in got] == [expand(v) for v in conv(x, w, **opts)]


def test_conv_continuous_sums_channels():
    t = Symbol("t", real=True)
    a = Rational(1, 2)
    xs = [rect(t), exp(-t) * u(t)]
    hs = [[u(t) - u(t - 1), exp(-a * t) * u(t)], [rect(t), 2 * rect(t)]]
    ys = conv_continuous(xs, hs, t, flip=True, bias=[0, 3])
    assert isinstance(ys, list) and len(ys) == 2
    assert all(isinstance(y, Piecewise) for y in ys)
    for y, row, b in zip(ys, hs, [0, 3], strict=True):
        ref = Add(*[convolve(h, xc, t) for h, xc in zip(row, xs, strict=True)], b)
        for tv in [Rational(-3, 2), Rational(-1, 3), Rational(1, 4), 1, Rational(7, 3), 5]:
            assert (y.subs(t, tv) - ref.subs(t, tv)).simplify() == 0
    # deep learning's convention: cross-correlation, each term symconv.correlate(w, x)
    y = conv_continuous(xs, hs[1], t)
    ref = correlate(rect(t), rect(t), t) + correlate(2 * rect(t), exp(-t) * u(t), t)
    for tv in [Rational(-3, 2), Rational(-1, 3), Rational(1, 4), 2]:
        assert (y.subs(t, tv) - ref.subs(t, tv)).simplify() == 0


def test_conv_continuous_single_channel_and_parameters():
    t = Symbol("t", real=True)
    assert conv_continuous(rect(t), rect(t), t, flip=True) == convolve(rect(t), rect(t), t)
    b, c = symbols("b c", positive=True)
    y = conv_continuous([exp(-b * t) * u(t)], [exp(-c * t) * u(t)], t, flip=True)
    assert y == convolve(exp(-c * t) * u(t), exp(-b * t) * u(t), t)  # splits on b = c


# ---------------------------------------------------------------------------
# types and exactness at the edge
# ---------------------------------------------------------------------------
def test_output_types_follow_the_input():
    x, w = [1, 2, 3, 4], [1, Fraction(1, 2)]
    y = conv(x, w)
    assert y == [2, Rational(7, 2), 5] and all(isinstance(v, Integer | Rational) for v in y)
    assert conv([0.1, 0.2], [1]) == [Rational(1, 10), Rational(1, 5)]  # floats by shortest decimal
    obj = conv(np.array(x, dtype=object), np.array(w, dtype=object))
    assert isinstance(obj, np.ndarray) and obj.dtype == object
    num = conv(np.array(x), np.array([1.0, 0.5]))
    assert num.dtype == np.float64 and num.tolist() == [2.0, 3.5, 5.0]
    assert conv(np.array([1, 2, 3]), np.array([1, 1])).dtype == np.float64
    nested = conv([[1, 2, 3]], [[[1, 1]]])
    assert nested == [[3, 5]]
    assert conv(Matrix([[1, 2, 3]]), [[[S.One, S.One]]]).tolist() == [[3, 5]]
    cplx = conv(np.array([1j, 2]), np.array([1.0, 1.0]))
    assert cplx.dtype == np.complex128 and cplx[0] == 2 + 1j


def test_bias_scalar_for_plain_kernel():
    assert conv([1, 2, 3], [1, 1], bias=10) == [13, 15]
    np.testing.assert_array_equal(conv(np.ones(3), np.ones(2), bias=np.array([1.0])), [3, 3])


# ---------------------------------------------------------------------------
# errors name what is accepted
# ---------------------------------------------------------------------------
X2 = np.zeros((2, 5, 5))
W2 = np.zeros((4, 2, 3, 3))


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: conv(X2, W2, padding_mode="mirror"), r"'zeros', 'reflect', 'replicate'"),
        (lambda: conv(X2, W2, padding="half"), r"\('same', 'valid'\)"),
        (lambda: conv(X2, W2, padding=-1), "integer >= 0"),
        (lambda: conv(X2, W2, padding=(1, 2, 3)), "tuple of 2"),
        (lambda: conv(X2, W2, mode="circular"), r"\('full', 'same', 'valid'\)"),
        (lambda: conv(X2, W2, mode="full", padding=1), "not both"),
        (lambda: conv(X2, W2, stride=0), "stride=0"),
        (lambda: conv(X2, W2, dilation=(1,)), "tuple of 2"),
        (lambda: conv(X2, W2, stride=2, padding="same"), "stride 1"),
        (lambda: conv(X2, W2, groups=3), "groups=3"),
        (lambda: conv(X2, W2, groups=0), "positive integer"),
        (lambda: conv(X2, W2, flip="yes"), "True or False"),
        (lambda: conv(X2, np.zeros((4, 3, 3, 3))), "input channels"),
        (lambda: conv(X2, np.zeros((4, 2, 7, 3))), "padded input has only 5"),
        (lambda: conv(X2, W2, padding=5, padding_mode="reflect"), "smaller than the input"),
        (lambda: conv(X2, W2, padding=6, padding_mode="circular"), "wraps at most once"),
        (lambda: conv(X2, W2, bias=[1, 2]), r"\(4,\)"),
        (lambda: conv(np.zeros(5), W2), "needs x as"),
        (lambda: conv(X2, np.zeros((3, 3))), "accepted are a plain 1-D kernel"),
        (lambda: conv(X2, np.zeros(3)), "plain 1-D kernel, so x must be"),
        (lambda: conv([1, 2], [[1], [1, 2]]), "ragged"),
        (lambda: conv(["a", "b"], [1]), "string"),
        (lambda: conv(5, [1]), "got int"),
        (lambda: conv(np.float64(5), [1]), "scalar"),
        (lambda: conv("abc", [1]), "must be an array"),
        (lambda: conv([float("nan")], [1]), "finite"),
        (lambda: conv(np.zeros((2, 3)), np.zeros((1, 2, 2)), bias=[Symbol("b")]), "exact path"),
        (lambda: conv_transpose(X2, np.zeros((2, 1, 3, 3)), padding="same"), "conv_transpose"),
        (lambda: conv_transpose(X2, np.zeros((2, 1, 3, 3)), output_padding=1),
         "smaller than the stride"),
        (lambda: conv_transpose(np.zeros((2, 1)), np.zeros((2, 1, 1)), padding=1), "too large"),
        (lambda: conv_transpose(X2, W2), "first axis"),
        (lambda: conv_matrix(W2, (2, 5)), r"\(C_in, \*spatial\)"),
        (lambda: conv_matrix(W2, (3, 5, 5)), "input channels"),
        (lambda: conv_matrix(W2, (2, 5, 5), sparse="auto"), "True or False"),
        (lambda: output_shape(5, 7), "size -1"),
        (lambda: output_shape(5, 3, padding="full"), "same"),
        (lambda: output_shape(5, 3, stride=0.5), "integer >= 1 or a SymPy expression"),
        (lambda: output_shape(5, 3, stride=0), "stride=0"),
        (lambda: output_shape(5, 3, padding=-1), "integer >= 0"),
        (lambda: output_shape(5, 3, output_padding=1), "transposed=True"),
        (lambda: receptive_field([3, 3], stride=[1, 2, 1]), "numbers of layers"),
        (lambda: conv_via_convolve(X2, W2), "1-D layers"),
        (lambda: conv_continuous([rect(Symbol("t", real=True))], [[1, 2]], Symbol("t")),
         "kernels but x has 1"),
        (lambda: flip(np.zeros((2, 3))), "accepted are a plain 1-D kernel"),
    ],
)
def test_errors_say_what_is_accepted(call, match):
    with pytest.raises(UnsupportedInputError, match=match) as info:
        call()
    assert isinstance(info.value, ValueError)
