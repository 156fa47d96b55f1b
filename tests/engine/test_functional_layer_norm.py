"""layer_norm and LayerNorm: gradients, torch agreement, checks, strict mode, saved form."""

from __future__ import annotations

import numpy as np
import pytest
from torch_reference import reference

from workbench.core.errors import ParameterError
from workbench.engine import backend
from workbench.engine import functional as F
from workbench.engine import layers as L
from workbench.engine.backend import StrictArray, strict_transfers, to_host
from workbench.engine.gradcheck import gradcheck
from workbench.engine.tensor import Tensor


@pytest.mark.parametrize("shape,normalized", [((4, 5), (5,)), ((2, 3, 4), (4,)),
                                              ((2, 3, 4), (3, 4)), ((6,), 6)])
def test_layer_norm_gradcheck(rng, shape, normalized) -> None:
    x = rng.normal(size=shape) * 3 + 1
    ns = (normalized,) if isinstance(normalized, int) else normalized
    w = rng.normal(size=ns)
    b = rng.normal(size=ns)
    gradcheck(lambda a, c, d: F.layer_norm(a, normalized, c, d), [x, w, b])
    gradcheck(lambda a: F.layer_norm(a, normalized), [x])


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_layer_norm_matches_torch(rng, dtype) -> None:
    x = (rng.normal(size=(3, 4, 6)) * 5 + 2).astype(dtype)
    w = rng.normal(size=(4, 6)).astype(dtype)
    b = rng.normal(size=(4, 6)).astype(dtype)
    v = rng.normal(size=x.shape).astype(dtype)

    def torch_results():
        import torch

        tx, tw, tb = (torch.tensor(a, requires_grad=True) for a in (x, w, b))
        out = torch.nn.functional.layer_norm(tx, (4, 6), tw, tb, eps=1e-3)
        (out * torch.tensor(v)).sum().backward()
        return {"out": out, "x_grad": tx.grad, "w_grad": tw.grad, "b_grad": tb.grad}

    theirs = reference(f"layer_norm_{np.dtype(dtype).name}", torch_results)
    ours = [Tensor(a, requires_grad=True) for a in (x, w, b)]
    out = F.layer_norm(ours[0], (4, 6), ours[1], ours[2], eps=1e-3)
    assert out.dtype == dtype
    tol = {"rtol": 1e-11, "atol": 1e-12} if dtype == np.float64 else {"rtol": 1e-4,
                                                                     "atol": 1e-5}
    np.testing.assert_allclose(to_host(out.data), theirs["out"], **tol)
    (out * v).sum().backward()
    for mine, key in zip(ours, ("x_grad", "w_grad", "b_grad"), strict=True):
        assert mine.grad.dtype == dtype
        np.testing.assert_allclose(to_host(mine.grad), theirs[key], **tol, err_msg=key)


def test_each_sample_has_mean_zero_and_unit_variance(rng) -> None:
    y = to_host(F.layer_norm(rng.normal(size=(5, 8)) * 10 - 3, 8, eps=0.0).data)
    np.testing.assert_allclose(y.mean(axis=1), 0, atol=1e-12)
    np.testing.assert_allclose(y.var(axis=1), 1, atol=1e-12)


def test_layer_norm_checks_its_shapes(rng) -> None:
    with pytest.raises(ParameterError, match="ending in those dimensions"):
        F.layer_norm(rng.normal(size=(3, 4)), 5)
    with pytest.raises(ParameterError, match="weight must have shape"):
        F.layer_norm(rng.normal(size=(3, 4)), 4, rng.normal(size=3))
    with pytest.raises(ParameterError, match="positive sizes"):
        L.LayerNorm(0)


def test_layer_norm_runs_under_strict_transfers(rng) -> None:
    with strict_transfers():
        layer = L.LayerNorm(4)
        x = Tensor(backend.to_device(rng.normal(size=(3, 4)).astype(np.float32)),
                   requires_grad=True)
        y = layer(x)
        assert isinstance(y.data, StrictArray)
        (y * y).sum().backward()
        assert layer.weight.grad is not None and isinstance(x.grad, StrictArray)


def test_layer_norm_layer_learns_and_rebuilds(rng) -> None:
    layer = L.LayerNorm((2, 3), eps=1e-3)
    assert layer.weight is not None and layer.bias is not None
    layer.weight.data[...] = rng.normal(size=(2, 3))
    copy = L.build_module(L.module_spec(layer))
    copy.load_state_dict(layer.state_dict())
    x = rng.normal(size=(4, 2, 3)).astype(np.float32)
    np.testing.assert_array_equal(to_host(copy(x).data), to_host(layer(x).data))
    plain = L.LayerNorm(3, elementwise_affine=False)
    assert plain.parameters() == []
