"""conv2d: hand-computed values, gradients with stride and padding, torch agreement."""

from __future__ import annotations

import numpy as np
import pytest

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


def test_matches_torch(rng) -> None:
    torch = pytest.importorskip("torch")
    x = rng.normal(size=(3, 4, 9, 8)).astype(np.float32)
    w = rng.normal(size=(5, 4, 3, 3)).astype(np.float32)
    b = rng.normal(size=5).astype(np.float32)
    tx, tw, tb = (torch.tensor(a, requires_grad=True) for a in (x, w, b))
    ty = torch.nn.functional.conv2d(tx, tw, tb, stride=2, padding=1)
    ours = [Tensor(a, requires_grad=True) for a in (x, w, b)]
    y = F.conv2d(*ours, stride=2, padding=1)
    np.testing.assert_allclose(y.data, ty.detach().numpy(), rtol=1e-4, atol=1e-5)
    g = rng.normal(size=y.shape).astype(np.float32)
    y.backward(g)
    ty.backward(torch.tensor(g))
    for a, ta in zip(ours, (tx, tw, tb), strict=True):
        np.testing.assert_allclose(a.grad, ta.grad.numpy(), rtol=1e-4, atol=1e-4)
