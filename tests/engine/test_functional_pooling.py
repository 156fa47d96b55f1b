"""Max and average pooling: values, the documented tie rule, gradients, torch."""

from __future__ import annotations

import numpy as np
import pytest
from torch_reference import reference

from workbench.core.errors import ParameterError
from workbench.engine import functional as F
from workbench.engine.gradcheck import gradcheck
from workbench.engine.tensor import Parameter


def distinct(rng, shape):
    """A random permutation of well-separated values: no ties for central differences."""
    return rng.permutation(np.prod(shape)).reshape(shape) * 0.1


def test_hand_computed_values() -> None:
    x = np.arange(16.0).reshape(1, 1, 4, 4)
    np.testing.assert_array_equal(F.max_pool2d(x, 2).data, [[[[5, 7], [13, 15]]]])
    np.testing.assert_array_equal(F.avg_pool2d(x, 2).data, [[[[2.5, 4.5], [10.5, 12.5]]]])
    np.testing.assert_array_equal(F.max_pool2d(x, 3, stride=1).data, [[[[10, 11], [14, 15]]]])
    # padding: max ignores it, average counts it as zeros in a kh*kw divisor
    np.testing.assert_array_equal(F.max_pool2d(x, 2, padding=1).data[0, 0, 0], [0, 2, 3])
    np.testing.assert_allclose(F.avg_pool2d(x, 2, padding=1).data[0, 0, 0],
                               [0 / 4, (1 + 2) / 4, 3 / 4])


@pytest.mark.parametrize(("k", "s", "p"), [(2, None, 0), (3, 2, 1), (2, 1, 0),
                                           ((3, 2), (1, 2), (1, 0)), (2, 3, 0)])
def test_gradcheck(rng, k, s, p) -> None:
    x = distinct(rng, (2, 2, 7, 6))
    gradcheck(lambda a: F.max_pool2d(a, k, s, p), [x])
    gradcheck(lambda a: F.avg_pool2d(a, k, s, p), [x])


def test_max_pool_tie_goes_to_the_first_maximum_only() -> None:
    x = Parameter(np.array([[[[1.0, 1.0], [1.0, 0.0]]]]))
    F.max_pool2d(x, 2).sum().backward()
    np.testing.assert_array_equal(x.grad, [[[[1.0, 0.0], [0.0, 0.0]]]])
    y = Parameter(np.array([[[[0.0, 2.0], [2.0, 2.0]]]]))
    F.max_pool2d(y, 2).sum().backward()
    np.testing.assert_array_equal(y.grad, [[[[0.0, 1.0], [0.0, 0.0]]]])


def test_overlapping_windows_add_up_at_a_shared_maximum() -> None:
    x = Parameter(np.array([[[[0.0, 0.0, 0.0], [0.0, 9.0, 0.0], [0.0, 0.0, 0.0]]]]))
    F.max_pool2d(x, 2, stride=1).sum().backward()
    assert x.grad[0, 0, 1, 1] == 4.0 and x.grad.sum() == 4.0


def test_bad_geometry_is_named() -> None:
    with pytest.raises(ParameterError, match="padding"):
        F.max_pool2d(np.zeros((1, 1, 4, 4)), 2, padding=2)
    with pytest.raises(ParameterError, match="does not fit"):
        F.avg_pool2d(np.zeros((1, 1, 2, 2)), 3)
    for pool in (F.max_pool2d, F.avg_pool2d):   # an empty window (was: a division by 0)
        with pytest.raises(ParameterError, match="window must be at least 1 wide"):
            pool(np.zeros((1, 1, 4, 4)), (0, 2), stride=1)


def test_float32_stays_float32(xp) -> None:
    x = Parameter(xp.ones((1, 1, 4, 4), dtype=xp.float32))
    for fn in (F.max_pool2d, F.avg_pool2d):
        y = fn(x, 2)
        assert y.dtype == np.float32
        y.sum().backward()
        assert x.grad.dtype == np.float32
        x.zero_grad()


def _max_and_avg_match_torch(rng, x: np.ndarray, dims: int, name: str, k, s, p) -> None:
    """Our max and average pooling (``dims``-D) against torch's, values and gradients
    under random output weights; torch's results come from the stored ``name``."""
    ours = {kind: Parameter(x) for kind in ("max", "avg")}
    outputs = {kind: getattr(F, f"{kind}_pool{dims}d")(ours[kind], k, s, p) for kind in ours}
    weights = {kind: rng.normal(size=outputs[kind].shape).astype(np.float32)
               for kind in outputs}

    def torch_results():
        import torch

        results = {}
        for kind in ("max", "avg"):
            tx = torch.tensor(x, requires_grad=True)
            ty = getattr(torch.nn.functional, f"{kind}_pool{dims}d")(tx, k, s, p)
            ty.backward(torch.tensor(weights[kind]))
            results[kind], results[f"{kind}_grad"] = ty, tx.grad
        return results

    theirs = reference(name, torch_results)
    for kind in ("max", "avg"):
        assert outputs[kind].shape == theirs[kind].shape
        np.testing.assert_allclose(outputs[kind].data, theirs[kind], rtol=1e-6, err_msg=kind)
        outputs[kind].backward(weights[kind])
        np.testing.assert_allclose(ours[kind].grad, theirs[f"{kind}_grad"], rtol=1e-5,
                                   atol=1e-6, err_msg=kind)


@pytest.mark.parametrize(("k", "s", "p"), [(2, None, 0), (3, 2, 1), (2, 1, 1)])
def test_matches_torch_including_ties(rng, k, s, p) -> None:
    x = rng.integers(0, 3, size=(2, 3, 8, 7)).astype(np.float32)  # many ties
    _max_and_avg_match_torch(rng, x, 2, f"pool2d_k{k}_s{s}_p{p}", k, s, p)


def test_tiled_windows_on_an_image_minor_input_match_torch_including_ties(rng) -> None:
    """stride == window, no padding (the fast path): non-square windows that leave a
    remainder row and column (their cells get 0), on the (C, H, W, N) memory layout a
    convolution hands over, with many ties."""
    from workbench.engine.functional.convolution import image_minor_empty

    x = image_minor_empty(np, (3, 2, 9, 8), np.float32)
    x[...] = rng.integers(0, 3, size=x.shape)
    ours = Parameter(x)
    y = F.max_pool2d(ours, (2, 3))
    g = rng.normal(size=y.shape).astype(np.float32)

    def torch_results():
        import torch

        tx = torch.tensor(np.ascontiguousarray(x), requires_grad=True)
        ty = torch.nn.functional.max_pool2d(tx, (2, 3))
        ty.backward(torch.tensor(g))
        return {"max": ty, "max_grad": tx.grad}

    theirs = reference("pool2d_tiled_image_minor", torch_results)
    np.testing.assert_array_equal(y.data, theirs["max"])
    y.backward(g)
    np.testing.assert_array_equal(ours.grad, theirs["max_grad"])
    assert not ours.grad[:, :, 8:].any() and not ours.grad[:, :, :, 6:].any()
    gradcheck(lambda a: F.max_pool2d(a, (2, 3)), [distinct(rng, (2, 2, 7, 8))])


@pytest.mark.parametrize(("k", "s", "p"), [(2, None, 0), (3, 2, 1), (4, 1, 2), (5, None, 0)])
def test_1d_pooling_gradchecks_and_matches_torch(rng, k, s, p) -> None:
    gradcheck(lambda a: F.max_pool1d(a, k, s, p), [distinct(rng, (2, 3, 11))])
    gradcheck(lambda a: F.avg_pool1d(a, k, s, p), [rng.normal(size=(2, 3, 11))])
    x = rng.integers(0, 3, size=(2, 4, 11)).astype(np.float32)  # many ties
    _max_and_avg_match_torch(rng, x, 1, f"pool1d_k{k}_s{s}_p{p}", k, s, p)


def test_max_pool1d_over_time_keeps_each_channels_strongest_response() -> None:
    x = Parameter(np.array([[[1.0, 4.0, 4.0, 2.0], [-3.0, -1.0, -2.0, -5.0]]]))
    y = F.max_pool1d(x, 4)
    np.testing.assert_array_equal(y.data, [[[4.0], [-1.0]]])
    y.sum().backward()
    np.testing.assert_array_equal(x.grad, [[[0, 1, 0, 0], [0, 1, 0, 0]]])  # first tie


def test_1d_pooling_errors_name_the_1d_op() -> None:
    with pytest.raises(ParameterError, match="max_pool1d needs a 3-d input"):
        F.max_pool1d(np.zeros((1, 1, 4, 4)), 2)
    with pytest.raises(ParameterError, match="avg_pool1d: padding 2 exceeds half"):
        F.avg_pool1d(np.zeros((1, 1, 6)), 2, padding=2)
    with pytest.raises(ParameterError, match="max_pool1d: a 5-wide window does not fit"):
        F.max_pool1d(np.zeros((1, 1, 4)), 5)
    with pytest.raises(ParameterError, match="kernel_size must be an int"):
        F.max_pool1d(np.zeros((1, 1, 4)), 2.0)
    with pytest.raises(ParameterError, match="at least 1"):
        F.avg_pool1d(np.zeros((1, 1, 4)), 0)


def test_1d_pooling_float32_and_strict_transfers(xp) -> None:
    from workbench.engine.backend import StrictArray, strict_transfers, to_device

    x = Parameter(xp.arange(24, dtype=xp.float32).reshape(2, 3, 4))
    for fn in (F.max_pool1d, F.avg_pool1d):
        y = fn(x, 2)
        assert y.dtype == np.float32 and y.shape == (2, 3, 2)
        y.sum().backward()
        assert x.grad.dtype == np.float32
        x.zero_grad()
    with strict_transfers():
        s = Parameter(to_device(np.arange(24, dtype=np.float32).reshape(2, 3, 4)))
        y = F.max_pool1d(s, 3, 1) + F.avg_pool1d(s, 3, 1)  # overlapping windows
        assert isinstance(y.data, StrictArray)
        z = F.max_pool1d(s, 2)  # tiled windows (the fast path)
        assert isinstance(z.data, StrictArray)
        padded = F.max_pool1d(s, 3, 1, 1) + F.avg_pool1d(s, 3, 1, 1)
        assert isinstance(padded.data, StrictArray)
        (y.sum() + z.sum() + padded.sum()).backward()
        assert isinstance(s.grad, StrictArray)


def test_tiled_max_pool_window_holding_nan_passes_no_gradient() -> None:
    """NaN is the max of its window (it propagates); no cell of that window gets the
    gradient, as in the general path; the other windows are untouched by it."""
    x = Parameter(np.array([[[[1.0, np.nan, 5.0, 2.0], [3.0, 0.0, 5.0, 1.0]]]]))
    y = F.max_pool2d(x, 2)
    assert np.isnan(y.data[0, 0, 0, 0]) and y.data[0, 0, 0, 1] == 5.0
    y.backward(np.array([[[[7.0, 3.0]]]]))
    np.testing.assert_array_equal(x.grad, [[[[0, 0, 3, 0], [0, 0, 0, 0]]]])


def test_tiled_avg_pool_gradient_fills_windows_and_zeroes_the_remainder() -> None:
    """stride == window, no padding: each window's cells get gy / (kh * kw), the cells
    past the last whole window 0, and a -0.0 gradient arrives as 0.0 (0 + share, as
    where windows overlap)."""
    x = Parameter(np.arange(15.0).reshape(1, 1, 3, 5))
    y = F.avg_pool2d(x, 2)
    np.testing.assert_array_equal(y.data, [[[[3.0, 5.0]]]])
    y.backward(np.array([[[[-0.0, 8.0]]]]))
    np.testing.assert_array_equal(x.grad, [[[[0, 0, 2, 2, 0], [0, 0, 2, 2, 0],
                                              [0, 0, 0, 0, 0]]]])
    assert not np.signbit(x.grad).any()


def _max_pool_gradient_by_definition(x: np.ndarray, k: int, s: int) -> np.ndarray:
    """Each window's upstream gradient (all ones) at its first largest cell."""
    n, c, h, w = x.shape
    grad = np.zeros_like(x)
    for i in range((h - k) // s + 1):
        for j in range((w - k) // s + 1):
            window = x[:, :, i * s:i * s + k, j * s:j * s + k].reshape(n, c, -1)
            first = window.argmax(axis=2)
            for a in range(n):
                for b in range(c):
                    grad[a, b, i * s + first[a, b] // k, j * s + first[a, b] % k] += 1
    return grad


@pytest.mark.parametrize(("k", "s", "size"), [(2, 3, 6), (1, 2, 8), (2, 4, 8)])
def test_a_stride_beyond_the_window_leaves_the_cells_between_windows_at_zero(
        rng, k, s, size) -> None:
    # The windows end exactly at the edge, yet do not cover it: the cells between them
    # must get 0, not whatever the gradient's memory held (found by a review: a
    # gradient array left unfilled there held NaN and 1e37).
    for _ in range(3):
        junk = np.full((3, 4, size, size), np.nan)  # freed memory the gradient may reuse
        del junk
        x = Parameter(rng.normal(size=(3, 4, size, size)))
        F.max_pool2d(x, k, s).sum().backward()
        np.testing.assert_array_equal(x.grad, _max_pool_gradient_by_definition(x.data, k, s))
    line = Parameter(rng.normal(size=(2, 3, size)))
    F.max_pool1d(line, k, s).sum().backward()
    between = [i for i in range(size) if i % s >= k]
    assert between and not line.grad[:, :, between].any()
    assert line.grad.sum() == 2 * 3 * ((size - k) // s + 1)
