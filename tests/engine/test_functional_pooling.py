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


def test_float32_stays_float32(xp) -> None:
    x = Parameter(xp.ones((1, 1, 4, 4), dtype=xp.float32))
    for fn in (F.max_pool2d, F.avg_pool2d):
        y = fn(x, 2)
        assert y.dtype == np.float32
        y.sum().backward()
        assert x.grad.dtype == np.float32
        x.zero_grad()


@pytest.mark.parametrize(("k", "s", "p"), [(2, None, 0), (3, 2, 1), (2, 1, 1)])
def test_matches_torch_including_ties(rng, k, s, p) -> None:
    x = rng.integers(0, 3, size=(2, 3, 8, 7)).astype(np.float32)  # many ties
    ours = {"max": Parameter(x), "avg": Parameter(x)}
    outputs, weights = {}, {}
    for kind, fn in (("max", F.max_pool2d), ("avg", F.avg_pool2d)):
        outputs[kind] = fn(ours[kind], k, s, p)
        weights[kind] = rng.normal(size=outputs[kind].shape).astype(np.float32)

    def torch_results():
        import torch

        tf = torch.nn.functional
        results = {}
        for kind, fn in (("max", tf.max_pool2d), ("avg", tf.avg_pool2d)):
            tx = torch.tensor(x, requires_grad=True)
            ty = fn(tx, k, s, p)
            ty.backward(torch.tensor(weights[kind]))
            results[kind], results[f"{kind}_grad"] = ty, tx.grad
        return results

    theirs = reference(f"pool2d_k{k}_s{s}_p{p}", torch_results)
    for kind in ("max", "avg"):
        np.testing.assert_allclose(outputs[kind].data, theirs[kind], rtol=1e-6, err_msg=kind)
        outputs[kind].backward(weights[kind])
        np.testing.assert_allclose(ours[kind].grad, theirs[f"{kind}_grad"], rtol=1e-5,
                                   atol=1e-6, err_msg=kind)
