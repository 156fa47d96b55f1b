"""batch_norm and BatchNorm: gradients, torch agreement in train and eval mode, running
statistics (update rule, saving and loading), strict transfers."""

from __future__ import annotations

import json

import numpy as np
import pytest
from torch_reference import reference

from workbench.core.errors import ParameterError
from workbench.engine import functional as F
from workbench.engine import layers as L
from workbench.engine.backend import strict_transfers, to_host
from workbench.engine.gradcheck import gradcheck
from workbench.engine.tensor import Tensor

SHAPES = [(6, 3), (4, 3, 5), (3, 3, 4, 5)]


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("training", [True, False])
def test_gradcheck(rng, shape, training) -> None:
    x = rng.normal(size=shape) * 2 + 1
    w, b = rng.normal(size=3), rng.normal(size=3)
    mean, var = rng.normal(size=3), rng.uniform(0.5, 2, size=3)

    def f(a, g, h):  # fresh running statistics each call: the update must not leak in
        return F.batch_norm(a, mean.copy(), var.copy(), g, h, training=training)

    gradcheck(f, [x, w, b])
    gradcheck(lambda a: F.batch_norm(a, mean.copy(), var.copy(), training=training), [x])


@pytest.mark.parametrize("shape", SHAPES)
def test_matches_torch_in_train_then_eval_mode(rng, shape) -> None:
    c = shape[1]
    w, b = rng.normal(size=c).astype(np.float32), rng.normal(size=c).astype(np.float32)
    # three training batches move the running statistics, then one batch in eval mode
    xs, gs = [], []
    for step in range(4):
        scale, shift = (step + 1, step) if step < 3 else (1, 0)
        xs.append((rng.normal(size=shape) * scale + shift).astype(np.float32))
        gs.append(rng.normal(size=shape).astype(np.float32))

    def torch_results():
        import torch

        theirs = {2: torch.nn.BatchNorm1d, 3: torch.nn.BatchNorm1d, 4: torch.nn.BatchNorm2d}[
            len(shape)](c)
        with torch.no_grad():
            theirs.weight.copy_(torch.from_numpy(w))
            theirs.bias.copy_(torch.from_numpy(b))
        results = {}
        for step, (x, g) in enumerate(zip(xs, gs, strict=True)):
            if step == 3:
                results["running_mean"] = theirs.running_mean.clone()
                results["running_var"] = theirs.running_var.clone()
                theirs.eval()
            tx = torch.tensor(x, requires_grad=True)
            ty = theirs(tx)
            ty.backward(torch.tensor(g))
            results[f"out{step}"], results[f"x_grad{step}"] = ty, tx.grad
            if step < 3:
                results[f"weight_grad{step}"] = theirs.weight.grad.clone()
                results[f"bias_grad{step}"] = theirs.bias.grad.clone()
            theirs.zero_grad()
        return results

    theirs = reference(f"batch_norm_{len(shape)}d", torch_results)
    ours = L.BatchNorm(c)
    ours.weight.data[...] = w
    ours.bias.data[...] = b
    for step in range(3):
        xt = Tensor(xs[step], requires_grad=True)
        y = ours(xt)
        np.testing.assert_allclose(y.data, theirs[f"out{step}"], rtol=1e-4, atol=1e-5)
        y.backward(gs[step])
        np.testing.assert_allclose(xt.grad, theirs[f"x_grad{step}"], rtol=1e-4, atol=1e-4)
        np.testing.assert_allclose(ours.weight.grad, theirs[f"weight_grad{step}"], rtol=1e-4,
                                   atol=1e-4)
        np.testing.assert_allclose(ours.bias.grad, theirs[f"bias_grad{step}"], rtol=1e-4,
                                   atol=1e-4)
        ours.zero_grad()
    np.testing.assert_allclose(ours.running_mean, theirs["running_mean"], rtol=1e-5,
                               atol=1e-6)
    np.testing.assert_allclose(ours.running_var, theirs["running_var"], rtol=1e-5,
                               atol=1e-6)
    ours.eval()
    x = xs[3]
    xt = Tensor(x, requires_grad=True)
    y = ours(xt)
    np.testing.assert_allclose(y.data, theirs["out3"], rtol=1e-4, atol=1e-5)
    y.backward(gs[3])
    np.testing.assert_allclose(xt.grad, theirs["x_grad3"], rtol=1e-4, atol=1e-4)
    before = ours.running_mean.copy()
    ours(Tensor(x * 5))
    np.testing.assert_array_equal(ours.running_mean, before)  # eval never updates


def test_running_statistics_follow_torchs_rule(rng) -> None:
    x = rng.normal(size=(5, 2)) * 3 + 2
    mean, var = np.zeros(2), np.ones(2)
    y = F.batch_norm(x, mean, var, training=True, momentum=0.25)
    np.testing.assert_allclose(mean, 0.25 * x.mean(axis=0))
    np.testing.assert_allclose(var, 0.75 + 0.25 * x.var(axis=0, ddof=1))  # unbiased
    # ... while the batch itself is normalised with the biased variance
    np.testing.assert_allclose(y.data, (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0) + 1e-5))


def test_bad_inputs_are_refused_with_reasons() -> None:
    with pytest.raises(ParameterError, match="more than one value per channel"):
        F.batch_norm(np.zeros((1, 3)), np.zeros(3), np.ones(3), training=True)
    with pytest.raises(ParameterError, match="input has 4 channels"):
        F.batch_norm(np.zeros((2, 4)), np.zeros(3), np.ones(3))
    with pytest.raises(ParameterError, match="needs running statistics"):
        F.batch_norm(np.zeros((2, 3)), None, None)
    with pytest.raises(ParameterError, match="channel axis"):
        F.batch_norm(np.zeros(3), np.zeros(3), np.ones(3))
    with pytest.raises(ParameterError, match="momentum"):
        L.BatchNorm(3, momentum=2)


def test_running_statistics_are_saved_and_loaded_not_trained(tmp_path, rng) -> None:
    model = L.Sequential(L.Conv2D(2, 3, 3, rng=0), L.BatchNorm(3), L.ReLU(), L.Flatten(),
                         L.Dense(3 * 4 * 4, 2, rng=1), L.BatchNorm(2, affine=False))
    for _ in range(3):
        model(Tensor(rng.normal(size=(8, 2, 6, 6)).astype(np.float32)))
    names = [name for name, _ in model.named_parameters()]
    assert not any("running" in name for name in names)  # never handed to an optimizer
    state = model.state_dict()
    assert {"1.running_mean", "1.running_var", "5.running_mean", "5.running_var"} <= set(state)
    model.eval()
    x = Tensor(rng.normal(size=(4, 2, 6, 6)).astype(np.float32))
    before = to_host(model(x).data)
    # As a model file stores a network: the layer description as JSON, the arrays as .npz.
    (tmp_path / "net.json").write_text(json.dumps(L.module_spec(model)))
    np.savez(tmp_path / "net.npz", **model.state_dict())
    loaded = L.build_module(json.loads((tmp_path / "net.json").read_text()))
    with np.load(tmp_path / "net.npz", allow_pickle=False) as arrays:
        loaded.load_state_dict(dict(arrays))
    loaded.eval()
    np.testing.assert_array_equal(loaded[1].running_var, model[1].running_var)
    np.testing.assert_array_equal(to_host(loaded(x).data), before)


def test_a_training_step_runs_under_strict_transfers(rng) -> None:
    with strict_transfers():
        layer = L.BatchNorm(3)
        x = Tensor(rng.normal(size=(4, 3, 2, 2)).astype(np.float32), requires_grad=True)
        layer(x).sum().backward()
        layer.eval()
        layer(x).sum().backward()
    assert x.grad.shape == x.shape and layer.weight.grad.shape == (3,)


def test_float32_stays_float32(xp) -> None:
    layer = L.BatchNorm(2, device="cpu" if xp is np else "gpu")
    x = Tensor(xp.ones((3, 2), dtype=xp.float32), requires_grad=True)
    y = layer(x)
    y.sum().backward()
    assert y.dtype == np.float32 and x.grad.dtype == np.float32
    assert layer.running_var.dtype == np.float32


def test_a_one_row_training_batch_uses_the_running_statistics(rng) -> None:
    layer = L.BatchNorm(3)
    layer(Tensor(rng.normal(size=(8, 3)).astype(np.float32)))  # moves the statistics
    mean, var = layer.running_mean.copy(), layer.running_var.copy()
    x = Tensor(rng.normal(size=(1, 3)).astype(np.float32), requires_grad=True)
    y = layer(x)  # the last batch of an epoch with one row: no error
    np.testing.assert_allclose(y.data, (x.data - mean) / np.sqrt(var + 1e-5), rtol=1e-5)
    np.testing.assert_array_equal(layer.running_mean, mean)
    y.sum().backward()
    assert x.grad.shape == (1, 3)
    # a one-row image batch still has H*W values per channel: batch statistics as usual
    images = Tensor(rng.normal(size=(1, 3, 2, 2)).astype(np.float32))
    out = layer.__class__(3)(images)
    np.testing.assert_allclose(out.data.mean(axis=(0, 2, 3)), 0, atol=1e-5)
