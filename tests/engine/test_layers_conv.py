"""Conv2D, pooling and Flatten: shapes always, values and gradients against PyTorch."""

from __future__ import annotations

import numpy as np
import pytest
from torch_reference import reference

from workbench.core.errors import ParameterError
from workbench.engine import layers as L
from workbench.engine.backend import to_host
from workbench.engine.tensor import Tensor


def test_lenet_shapes():
    model = L.Sequential(
        L.Conv2D(1, 6, 5, padding=2, rng=0), L.ReLU(), L.MaxPool2D(2),
        L.Conv2D(6, 16, 5, rng=1), L.ReLU(), L.AvgPool2D(2), L.Flatten(),
        L.Dense(16 * 5 * 5, 10, rng=2))
    x = np.zeros((3, 1, 28, 28), dtype=np.float32)
    assert model(Tensor(x)).shape == (3, 10)


def test_conv_weight_shape_and_settings():
    conv = L.Conv2D(3, 4, (3, 5), stride=(1, 2), padding=1, rng=0)
    assert conv.weight.shape == (4, 3, 3, 5)
    assert conv.config()["stride"] == [1, 2] and conv.config()["padding"] == [1, 1]
    with pytest.raises(ParameterError):
        L.Conv2D(3, 4, 0)
    with pytest.raises(ParameterError):
        L.MaxPool2D(2, stride=0)


def test_conv_and_pooling_match_torch_forward_and_backward():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2, 3, 9, 9)).astype(np.float32)
    ours = L.Sequential(L.Conv2D(3, 4, 3, stride=2, padding=1, rng=0), L.Tanh(),
                        L.MaxPool2D(2, stride=1), L.AvgPool2D(2), L.Flatten())
    # the layer's own start, replaced by fixed numbers: the stored torch results must not
    # depend on how Conv2D initialises
    ours[0].weight.data[...] = np.random.default_rng(10).normal(size=(4, 3, 3, 3)) * 0.3
    ours[0].bias.data[...] = np.random.default_rng(11).normal(size=4) * 0.3
    weight, bias = to_host(ours[0].weight.data), to_host(ours[0].bias.data)
    out = ours(Tensor(x))
    weights = rng.normal(size=out.shape).astype(np.float32)

    def torch_results():
        import torch

        conv = torch.nn.Conv2d(3, 4, 3, stride=2, padding=1)
        with torch.no_grad():
            conv.weight.copy_(torch.from_numpy(weight))
            conv.bias.copy_(torch.from_numpy(bias))
        tx = torch.from_numpy(x).requires_grad_(True)
        result = torch.nn.Sequential(conv, torch.nn.Tanh(), torch.nn.MaxPool2d(2, stride=1),
                                     torch.nn.AvgPool2d(2), torch.nn.Flatten())(tx)
        (result * torch.from_numpy(weights)).sum().backward()
        return {"out": result, "weight_grad": conv.weight.grad, "bias_grad": conv.bias.grad}

    theirs = reference("conv_pool_layers", torch_results)
    np.testing.assert_allclose(to_host(out.data), theirs["out"], rtol=1e-4, atol=1e-5)
    (out * weights).sum().backward()
    np.testing.assert_allclose(to_host(ours[0].weight.grad), theirs["weight_grad"],
                               rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(to_host(ours[0].bias.grad), theirs["bias_grad"],
                               rtol=1e-4, atol=1e-5)


def test_conv1d_layer_matches_torch_and_rebuilds_from_its_config():
    rng = np.random.default_rng(3)
    layer = L.Conv1D(6, 4, 3, padding=1, dilation=2, groups=2, rng=0)
    assert layer.weight.shape == (4, 3, 3)
    # fixed numbers instead of the layer's own start (see above)
    layer.weight.data[...] = np.random.default_rng(12).normal(size=(4, 3, 3)) * 0.3
    layer.bias.data[...] = np.random.default_rng(13).normal(size=4) * 0.3
    weight, bias = to_host(layer.weight.data), to_host(layer.bias.data)
    x = rng.normal(size=(2, 6, 10)).astype(np.float32)  # (batch, embedding, words)

    def torch_results():
        import torch

        conv = torch.nn.Conv1d(6, 4, 3, padding=1, dilation=2, groups=2)
        with torch.no_grad():
            conv.weight.copy_(torch.from_numpy(weight))
            conv.bias.copy_(torch.from_numpy(bias))
        return {"out": conv(torch.from_numpy(x))}

    theirs = reference("conv1d_layer", torch_results)
    np.testing.assert_allclose(to_host(layer(Tensor(x)).data), theirs["out"], rtol=1e-4,
                               atol=1e-5)
    rebuilt = L.build_module(L.module_spec(layer))
    assert rebuilt.config() == layer.config() and rebuilt.weight.shape == (4, 3, 3)
    with pytest.raises(ParameterError, match="groups must divide"):
        L.Conv1D(6, 4, 3, groups=4)


def test_conv2d_layer_dilation_and_groups_in_its_config():
    conv = L.Conv2D(4, 8, 3, dilation=2, groups=4, rng=0)
    assert conv.weight.shape == (8, 1, 3, 3)
    assert conv.config()["dilation"] == [2, 2] and conv.config()["groups"] == 4
    assert L.build_module(L.module_spec(conv)).weight.shape == (8, 1, 3, 3)
    old = {k: v for k, v in conv.config().items() if k not in ("dilation", "groups")}
    assert L.Conv2D(**old).groups == 1  # files saved before these settings still load
    y = conv(Tensor(np.zeros((1, 4, 9, 9), dtype=np.float32)))
    assert y.shape == (1, 8, 5, 5)


def test_text_cnn_conv1d_then_max_pool1d_over_time_matches_torch():
    """Conv1D over word embeddings, then MaxPool1D over all positions (max-over-time),
    as a text CNN does; values and gradients against torch, configs rebuilt."""
    rng = np.random.default_rng(5)
    conv = L.Conv1D(6, 4, 3, rng=0)
    conv.weight.data[...] = np.random.default_rng(14).normal(size=(4, 6, 3)) * 0.3
    conv.bias.data[...] = np.random.default_rng(15).normal(size=4) * 0.3
    weight, bias = to_host(conv.weight.data), to_host(conv.bias.data)
    pool, avg = L.MaxPool1D(8), L.AvgPool1D(3, stride=2, padding=1)
    x = rng.normal(size=(2, 6, 10)).astype(np.float32)  # (batch, embedding, words)
    xt = Tensor(x, requires_grad=True)
    h = L.ReLU()(conv(xt))
    out = pool(h).sum() + avg(h).sum() * 0.5

    def torch_results():
        import torch

        tconv = torch.nn.Conv1d(6, 4, 3)
        with torch.no_grad():
            tconv.weight.copy_(torch.from_numpy(weight))
            tconv.bias.copy_(torch.from_numpy(bias))
        tx = torch.tensor(x, requires_grad=True)
        th = torch.relu(tconv(tx))
        tout = (torch.nn.MaxPool1d(8)(th).sum()
                + torch.nn.AvgPool1d(3, stride=2, padding=1)(th).sum() * 0.5)
        tout.backward()
        return {"out": tout, "x_grad": tx.grad, "weight_grad": tconv.weight.grad}

    theirs = reference("text_cnn_pool1d_layers", torch_results)
    assert pool(h).shape == (2, 4, 1) and avg(h).shape == (2, 4, 4)
    np.testing.assert_allclose(to_host(out.data), theirs["out"], rtol=1e-5)
    out.backward()
    np.testing.assert_allclose(to_host(xt.grad), theirs["x_grad"], rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(to_host(conv.weight.grad), theirs["weight_grad"], rtol=1e-4,
                               atol=1e-5)
    for layer in (pool, avg):
        rebuilt = L.build_module(L.module_spec(layer))
        assert type(rebuilt) is type(layer) and rebuilt.config() == layer.config()
    assert pool.config() == {"kernel_size": 8, "stride": 8, "padding": 0}
    with pytest.raises(ParameterError, match="exceeds half"):
        L.MaxPool1D(2, padding=2)
    with pytest.raises(ParameterError, match="at least 1"):
        L.AvgPool1D(0)
