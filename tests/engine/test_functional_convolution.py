"""conv2d: hand-computed values, gradients with stride and padding, torch agreement."""

from __future__ import annotations

import numpy as np
import pytest
from torch_reference import reference

from workbench.core.errors import ParameterError
from workbench.engine import functional as F
from workbench.engine.backend import to_host
from workbench.engine.functional.convolution import col2im, im2col
from workbench.engine.gradcheck import gradcheck
from workbench.engine.tensor import Tensor


def naive_conv2d(x, w, b, stride, pad):
    """The definition, loop by loop, to check the im2col version against."""
    n, _, h, wd = x.shape
    o, _, kh, kw = w.shape
    xp_ = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    ho, wo = (h + 2 * pad - kh) // stride + 1, (wd + 2 * pad - kw) // stride + 1
    y = np.zeros((n, o, ho, wo))
    for i in range(ho):
        for j in range(wo):
            patch = xp_[:, :, i * stride:i * stride + kh, j * stride:j * stride + kw]
            y[:, :, i, j] = np.tensordot(patch, w, axes=([1, 2, 3], [1, 2, 3]))
    return y + (0 if b is None else b[None, :, None, None])


def test_hand_computed_example() -> None:
    x = np.arange(9.0).reshape(1, 1, 3, 3)
    w = np.array([[[[1.0, 0.0], [0.0, -1.0]]]])
    np.testing.assert_array_equal(F.conv2d(x, w).data, [[[[-4, -4], [-4, -4]]]])
    y = F.conv2d(x, w, np.array([10.0]), padding=1).data
    np.testing.assert_array_equal(y[0, 0, 0], [10, 9, 8, 10])  # 0*1 - x*1 + 10


@pytest.mark.parametrize(("stride", "pad"), [(1, 0), (2, 1), (3, 2), (1, 1)])
def test_matches_the_definition(rng, stride, pad) -> None:
    x, w, b = rng.normal(size=(2, 3, 7, 8)), rng.normal(size=(4, 3, 3, 2)), rng.normal(size=4)
    np.testing.assert_allclose(F.conv2d(x, w, b, stride=stride, padding=pad).data,
                               naive_conv2d(x, w, b, stride, pad), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize(("stride", "pad"), [(1, 0), (2, 1), ((2, 1), (0, 1))])
def test_gradcheck_with_stride_and_padding(rng, stride, pad) -> None:
    x, w, b = rng.normal(size=(2, 2, 6, 5)), rng.normal(size=(3, 2, 3, 3)), rng.normal(size=3)
    gradcheck(lambda a, k, c: F.conv2d(a, k, c, stride=stride, padding=pad), [x, w, b])
    gradcheck(lambda a, k: F.conv2d(a, k, stride=stride, padding=pad), [x, w])


def test_col2im_is_the_adjoint_of_im2col(rng) -> None:
    # <im2col(x), c> == <x, col2im(c)> for every x, c: the defining property of backward.
    x = rng.normal(size=(2, 3, 6, 7))
    col = im2col(x, 3, 2, 2, 1, 1, 0, 3, 6)
    c = rng.normal(size=col.shape)
    lhs = (col * c).sum()
    rhs = (x * col2im(c, x.shape, 3, 2, 2, 1, 1, 0)).sum()
    np.testing.assert_allclose(lhs, rhs, rtol=1e-12)


def test_float32_in_float32_out(xp) -> None:
    x = Tensor(xp.ones((1, 2, 5, 5), dtype=xp.float32), requires_grad=True)
    w = Tensor(xp.ones((3, 2, 3, 3), dtype=xp.float32), requires_grad=True)
    y = F.conv2d(x, w, padding=1)
    assert y.dtype == np.float32 and y.shape == (1, 3, 5, 5)
    y.sum().backward()
    assert x.grad.dtype == np.float32 and w.grad.dtype == np.float32
    assert float(to_host(y.data)[0, 0, 2, 2]) == 18.0


def test_bad_shapes_are_named() -> None:
    with pytest.raises(ParameterError, match="3 channels but the weight expects 2"):
        F.conv2d(np.zeros((1, 3, 5, 5)), np.zeros((4, 2, 3, 3)))
    with pytest.raises(ParameterError, match="does not fit"):
        F.conv2d(np.zeros((1, 1, 2, 2)), np.zeros((1, 1, 3, 3)))
    with pytest.raises(ParameterError, match="4-d"):
        F.conv2d(np.zeros((3, 5, 5)), np.zeros((1, 3, 3, 3)))


def torch_conv(name, function, inputs, kwargs, g):
    """Torch's ``function`` (conv1d or conv2d) of ``inputs``, and the gradients of
    ``(y * g).sum()`` for each input, stored as ``name``."""

    def torch_results():
        import torch

        theirs = [torch.tensor(a, requires_grad=True) for a in inputs]
        ty = getattr(torch.nn.functional, function)(*theirs, **kwargs)
        ty.backward(torch.tensor(g))
        return {"out": ty, **{f"grad{i}": t.grad for i, t in enumerate(theirs)}}

    theirs = reference(name, torch_results)
    return theirs["out"], [theirs[f"grad{i}"] for i in range(len(inputs))]


def test_matches_torch(rng) -> None:
    x = rng.normal(size=(3, 4, 9, 8)).astype(np.float32)
    w = rng.normal(size=(5, 4, 3, 3)).astype(np.float32)
    b = rng.normal(size=5).astype(np.float32)
    ours = [Tensor(a, requires_grad=True) for a in (x, w, b)]
    y = F.conv2d(*ours, stride=2, padding=1)
    g = rng.normal(size=y.shape).astype(np.float32)
    out, grads = torch_conv("conv2d", "conv2d", (x, w, b), {"stride": 2, "padding": 1}, g)
    np.testing.assert_allclose(y.data, out, rtol=1e-4, atol=1e-5)
    y.backward(g)
    for a, grad in zip(ours, grads, strict=True):
        np.testing.assert_allclose(a.grad, grad, rtol=1e-4, atol=1e-4)


def naive_general_conv2d(x, w, b, stride, pad, dilation, groups):
    """The definition with dilation and groups, loop by loop."""
    n, _, h, wd = x.shape
    o, cg, kh, kw = w.shape
    og = o // groups
    xp_ = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    ext_h, ext_w = dilation * (kh - 1) + 1, dilation * (kw - 1) + 1
    ho, wo = (h + 2 * pad - ext_h) // stride + 1, (wd + 2 * pad - ext_w) // stride + 1
    y = np.zeros((n, o, ho, wo))
    for oc in range(o):
        g = oc // og
        for i in range(ho):
            for j in range(wo):
                patch = xp_[:, g * cg:(g + 1) * cg,
                            i * stride:i * stride + ext_h:dilation,
                            j * stride:j * stride + ext_w:dilation]
                y[:, oc, i, j] = (patch * w[oc]).sum(axis=(1, 2, 3))
    return y + (0 if b is None else b[None, :, None, None])


@pytest.mark.parametrize(("stride", "pad", "dilation", "groups"),
                         [(1, 0, 2, 1), (1, 2, 2, 2), (2, 1, 1, 4), (1, 1, 3, 4)])
def test_dilation_and_groups_match_the_definition(rng, stride, pad, dilation, groups) -> None:
    x, w, b = rng.normal(size=(2, 4, 9, 8)), rng.normal(size=(8, 4 // groups, 3, 2)), \
        rng.normal(size=8)
    y = F.conv2d(x, w, b, stride=stride, padding=pad, dilation=dilation, groups=groups)
    np.testing.assert_allclose(y.data, naive_general_conv2d(x, w, b, stride, pad, dilation,
                                                            groups), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize(("stride", "pad", "dilation", "groups"),
                         [(1, 0, 2, 1), (2, 1, (2, 1), 2), (1, 1, 1, 4)])
def test_gradcheck_with_dilation_and_groups(rng, stride, pad, dilation, groups) -> None:
    x, w, b = rng.normal(size=(2, 4, 7, 6)), rng.normal(size=(4, 4 // groups, 3, 2)), \
        rng.normal(size=4)
    gradcheck(lambda a, k, c: F.conv2d(a, k, c, stride=stride, padding=pad,
                                       dilation=dilation, groups=groups), [x, w, b])


def test_col2im_is_the_adjoint_of_im2col_with_dilation(rng) -> None:
    x = rng.normal(size=(2, 3, 9, 8))
    col = im2col(x, 3, 2, 2, 1, 1, 0, 4, 5, 2, 3)
    c = rng.normal(size=col.shape)
    np.testing.assert_allclose((col * c).sum(),
                               (x * col2im(c, x.shape, 3, 2, 2, 1, 1, 0, 2, 3)).sum(),
                               rtol=1e-12)


def test_long_thin_gemms_in_slices_give_the_same_values(rng) -> None:
    # LeNet's first layer takes the sliced GEMM path (6 x 25 over 128 * 28 * 28 columns)
    x = rng.normal(size=(128, 1, 28, 28)).astype(np.float32)
    w = rng.normal(size=(6, 1, 5, 5)).astype(np.float32)
    xt, wt = Tensor(x, requires_grad=True), Tensor(w, requires_grad=True)
    y = F.conv2d(xt, wt, padding=2)
    g = rng.normal(size=y.shape).astype(np.float32)
    y.backward(g)
    x64, w64 = x.astype(np.float64), w.astype(np.float64)
    reference = F.conv2d(Tensor(x64, requires_grad=True), Tensor(w64, requires_grad=True),
                         padding=2)
    np.testing.assert_allclose(y.data, reference.data, rtol=1e-4, atol=1e-4)
    gw = np.einsum("nohw,nchw->oc", g.astype(np.float64),
                   np.pad(x64, ((0, 0), (0, 0), (2, 2), (2, 2)))[:, :, :28, :28])
    np.testing.assert_allclose(wt.grad[:, :, 0, 0], gw, rtol=1e-3, atol=1e-2)


@pytest.mark.parametrize(("stride", "pad", "dilation", "groups"),
                         [(1, 0, 1, 1), (2, 1, 2, 1), (1, 2, 1, 3)])
def test_conv1d_matches_torch_and_gradchecks(rng, stride, pad, dilation, groups) -> None:
    x = rng.normal(size=(2, 6, 11))
    w, b = rng.normal(size=(3, 6 // groups, 3)), rng.normal(size=3)
    kwargs = {"stride": stride, "padding": pad, "dilation": dilation, "groups": groups}
    gradcheck(lambda a, k, c: F.conv1d(a, k, c, **kwargs), [x, w, b])
    x32, w32, b32 = (a.astype(np.float32) for a in (x, w, b))
    ours = [Tensor(a, requires_grad=True) for a in (x32, w32, b32)]
    y = F.conv1d(*ours, **kwargs)
    g = rng.normal(size=y.shape).astype(np.float32)
    out, grads = torch_conv(f"conv1d_s{stride}_p{pad}_d{dilation}_g{groups}", "conv1d",
                            (x32, w32, b32), kwargs, g)
    np.testing.assert_allclose(y.data, out, rtol=1e-4, atol=1e-5)
    y.backward(g)
    for a, grad in zip(ours, grads, strict=True):
        np.testing.assert_allclose(a.grad, grad, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize(("dilation", "groups"), [(2, 1), ((1, 3), 2), (1, 4)])
def test_dilation_and_groups_match_torch(rng, dilation, groups) -> None:
    x = rng.normal(size=(3, 4, 12, 11)).astype(np.float32)
    w = rng.normal(size=(8, 4 // groups, 3, 3)).astype(np.float32)
    b = rng.normal(size=8).astype(np.float32)
    kwargs = {"stride": 2, "padding": 2, "dilation": dilation, "groups": groups}
    ours = [Tensor(a, requires_grad=True) for a in (x, w, b)]
    y = F.conv2d(*ours, **kwargs)
    g = rng.normal(size=y.shape).astype(np.float32)
    dilation_name = "x".join(map(str, np.atleast_1d(dilation)))
    out, grads = torch_conv(f"conv2d_d{dilation_name}_g{groups}", "conv2d", (x, w, b),
                            kwargs, g)
    np.testing.assert_allclose(y.data, out, rtol=1e-4, atol=1e-5)
    y.backward(g)
    for a, grad in zip(ours, grads, strict=True):
        np.testing.assert_allclose(a.grad, grad, rtol=1e-4, atol=1e-4)


def test_new_settings_are_refused_with_reasons() -> None:
    with pytest.raises(ParameterError, match="groups must be a positive int dividing"):
        F.conv2d(np.zeros((1, 4, 5, 5)), np.zeros((3, 2, 3, 3)), groups=2)
    with pytest.raises(ParameterError, match="2 per group x 2 groups"):
        F.conv2d(np.zeros((1, 6, 5, 5)), np.zeros((4, 2, 3, 3)), groups=2)
    with pytest.raises(ParameterError, match="dilation must be at least 1"):
        F.conv2d(np.zeros((1, 1, 5, 5)), np.zeros((1, 1, 3, 3)), dilation=0)
    with pytest.raises(ParameterError, match="does not fit"):
        F.conv2d(np.zeros((1, 1, 5, 5)), np.zeros((1, 1, 3, 3)), dilation=3)
    with pytest.raises(ParameterError, match="3-d input"):
        F.conv1d(np.zeros((1, 4, 5, 5)), np.zeros((3, 4, 3)))


def test_conv1d_and_dilated_conv2d_under_strict_transfers(rng) -> None:
    from workbench.engine.backend import strict_transfers

    with strict_transfers():
        x = Tensor(rng.normal(size=(2, 4, 9)).astype(np.float32), requires_grad=True)
        w = Tensor(rng.normal(size=(4, 2, 3)).astype(np.float32), requires_grad=True)
        y = F.conv1d(x, w, padding=1, dilation=2, groups=2)
        img = Tensor(rng.normal(size=(2, 4, 7, 7)).astype(np.float32), requires_grad=True)
        z = F.conv2d(img, Tensor(rng.normal(size=(4, 1, 3, 3)).astype(np.float32)),
                     dilation=2, groups=4)
        (y.sum() + z.sum()).backward()
        assert x.grad.shape == x.shape and img.grad.shape == img.shape


def test_new_settings_run_on_the_device_in_float32(xp) -> None:
    x = Tensor(xp.ones((2, 4, 7, 7), dtype=xp.float32), requires_grad=True)
    w = Tensor(xp.ones((4, 2, 3, 3), dtype=xp.float32), requires_grad=True)
    y = F.conv2d(x, w, padding=2, dilation=2, groups=2)
    s = Tensor(xp.ones((2, 4, 9), dtype=xp.float32), requires_grad=True)
    z = F.conv1d(s, Tensor(xp.ones((2, 4, 3), dtype=xp.float32)), padding=1)
    (y.sum() + z.sum()).backward()
    assert y.shape == (2, 4, 7, 7) and z.shape == (2, 2, 9)
    assert y.dtype == np.float32 and x.grad.dtype == np.float32 and w.grad.dtype == np.float32
    assert float(to_host(y.data)[0, 0, 3, 3]) == 18.0  # 2 channels x 9 taps, all inside
    assert float(to_host(z.data)[0, 0, 0]) == 8.0  # 4 channels x 2 taps past the padding


def test_spare_column_buffers_are_reused_and_bounded(rng) -> None:
    from workbench.engine.functional import convolution as conv

    x = Tensor(rng.normal(size=(4, 2, 9, 9)).astype(np.float32), requires_grad=True)
    w = Tensor(rng.normal(size=(3, 2, 3, 3)).astype(np.float32), requires_grad=True)
    first = F.conv2d(x, w)
    first.sum().backward()  # hands its columns (and the input gradient's) back
    shapes = [a.shape for a in conv._spares.arrays.values()]
    assert (18, 7 * 7 * 4) in shapes  # one block: the whole (K, Ho*Wo*N) matrix
    second = F.conv2d(x, w)  # borrows the same buffer: same values as the first time
    np.testing.assert_array_equal(second.data, first.data)
    for size in range(20):  # many shapes: the store keeps a few, within its byte bound
        conv._give_back(np.empty((size + 1, 1000), dtype=np.float32))
    assert len(conv._spares.arrays) <= conv._SPARE_KINDS
    assert sum(a.nbytes for a in conv._spares.arrays.values()) <= conv._SPARE_BYTES


@pytest.mark.parametrize("bias", [True, False])
def test_columns_in_blocks_of_output_rows_give_the_one_matrix_results(rng, monkeypatch,
                                                                      bias) -> None:
    """NumPy builds the column matrix in blocks of output rows, or of runs of one row's
    columns (``_Columns``), and the input gradient one output row (or run) at a time
    (``_input_gradient``): the same sums as with one stored matrix (the weight and bias
    gradients' in another order); gradchecked in blocks too."""
    from workbench.engine.functional import convolution as conv

    x = rng.normal(size=(3, 2, 9, 8)).astype(np.float32)
    w = rng.normal(size=(4, 2, 3, 2)).astype(np.float32)
    b = rng.normal(size=4).astype(np.float32) if bias else None
    settings = {"stride": (2, 1), "padding": (1, 0), "dilation": (1, 2)}
    results = []
    for block_bytes, least_columns in ((2**40, 1), (1, 1), (1, 20)):
        monkeypatch.setattr(conv, "_BLOCK_BYTES", block_bytes)
        monkeypatch.setattr(conv, "_BLOCK_COLUMNS", least_columns)
        ours = [Tensor(a, requires_grad=True) for a in (x, w) + ((b,) if bias else ())]
        y = F.conv2d(*ours[:2], ours[2] if bias else None, **settings)
        y.backward(np.linspace(-1, 1, y.size, dtype=np.float32).reshape(y.shape))
        results.append([y.data] + [t.grad for t in ours])
        if block_bytes == 1:  # the buffer the blocks were built in
            shapes = [a.shape for a in conv._spares.arrays.values()]
            # at least 1 column: each row cut into runs of one output column (N = 3);
            # at least 20: two whole rows of Wo x N = 6 x 3 columns
            assert (12 + bias, 3 if least_columns == 1 else 2 * 6 * 3) in shapes
    whole, *blocked = results
    for other in blocked:  # runs of one column, then blocks of two rows
        # (equal bit for bit where the BLAS computes a column the same whatever the
        # GEMM's width, as OpenBLAS did here; only rounding is allowed to differ)
        for mine, theirs in zip(other, whole, strict=True):
            np.testing.assert_allclose(mine, theirs, rtol=1e-5, atol=1e-5)
    monkeypatch.setattr(conv, "_BLOCK_BYTES", 1)  # runs of one output column, both ways
    monkeypatch.setattr(conv, "_BLOCK_COLUMNS", 1)
    x64, w64 = x.astype(np.float64), w.astype(np.float64)
    if bias:
        gradcheck(lambda a, k, c: F.conv2d(a, k, c, **settings), [x64, w64, b.astype(float)])
    else:
        gradcheck(lambda a, k: F.conv2d(a, k, **settings), [x64, w64])


@pytest.mark.parametrize("bias", [True, False])
def test_pointwise_convolution_uses_the_input_as_its_columns(rng, bias) -> None:
    """A 1x1 kernel at stride 1 without padding: no im2col copy, no col2im (the input
    is the column matrix, W^T @ g the input gradient), the bias added after the GEMM;
    gradchecked, against the definition and torch, in float32 and under strict
    transfers."""
    from workbench.engine.backend import strict_transfers, to_device

    x, w, b = rng.normal(size=(3, 4, 5, 6)), rng.normal(size=(2, 4, 1, 1)), rng.normal(size=2)
    np.testing.assert_allclose(F.conv2d(x, w, b if bias else None).data,
                               naive_conv2d(x, w, b if bias else None, 1, 0),
                               rtol=1e-10, atol=1e-12)
    if bias:
        gradcheck(lambda a, k, c: F.conv2d(a, k, c), [x, w, b])
    else:
        gradcheck(lambda a, k: F.conv2d(a, k), [x, w])
    x32, w32, b32 = (a.astype(np.float32) for a in (x, w, b))
    inputs = (x32, w32, b32) if bias else (x32, w32)
    ours = [Tensor(a, requires_grad=True) for a in inputs]
    y = F.conv2d(*ours)
    g = rng.normal(size=y.shape).astype(np.float32)
    out, grads = torch_conv(f"conv2d_pointwise_bias{int(bias)}", "conv2d", inputs, {}, g)
    assert y.dtype == np.float32
    np.testing.assert_allclose(y.data, out, rtol=1e-5, atol=1e-6)
    y.backward(g)
    for t, theirs in zip(ours, grads, strict=True):
        assert t.grad.dtype == np.float32
        np.testing.assert_allclose(t.grad, theirs, rtol=1e-4, atol=1e-5)
    with strict_transfers():
        xs = Tensor(to_device(x32), requires_grad=True)
        ys = F.conv2d(xs, Tensor(to_device(w32), requires_grad=True),
                      Tensor(to_device(b32), requires_grad=True) if bias else None)
        ys.backward(to_device(g))
        assert xs.grad.shape == x.shape


@pytest.mark.parametrize("kernel", [3, 1])
def test_results_from_strict_inputs_stay_strict(rng, kernel) -> None:
    """The convolution's output and gradients are built in plain buffers; from a
    StrictArray input they come back as StrictArrays, so a hidden float() further on
    is still caught."""
    from workbench.engine.backend import (
        ImplicitTransferError,
        StrictArray,
        strict_transfers,
        to_device,
    )

    with strict_transfers():
        x = Tensor(to_device(rng.normal(size=(2, 3, 6, 6)).astype(np.float32)),
                   requires_grad=True)
        w = Tensor(to_device(rng.normal(size=(4, 3, kernel, kernel)).astype(np.float32)),
                   requires_grad=True)
        b = Tensor(to_device(np.zeros(4, dtype=np.float32)), requires_grad=True)
        y = F.conv2d(x, w, b, padding=kernel // 2)
        assert isinstance(y.data, StrictArray)
        y.backward(to_device(np.ones(y.shape, dtype=np.float32)))
        for t in (x, w, b):
            assert isinstance(t.grad, StrictArray)
        with pytest.raises(ImplicitTransferError):
            float(y.data.sum())
