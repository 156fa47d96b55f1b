"""l1_loss, smooth_l1_loss, cross_entropy's ignore_index and label_smoothing, and
embedding's padding_idx: gradients, torch agreement, strict mode."""

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
from workbench.engine.tensor import Parameter, Tensor

REDUCTIONS = ["mean", "sum", "none"]


def _apart(rng, shape, beta=1.0):
    """Input and target whose differences stay clear of 0 and of +-beta (the kinks)."""
    t = rng.normal(size=shape)
    d = rng.uniform(0.1, 0.8, size=shape) * rng.choice([-1.0, 1.0], size=shape)
    d[::2] *= 4 * beta  # some beyond beta, some within
    return t + d, t


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_l1_and_smooth_l1_gradcheck(rng, reduction) -> None:
    x, t = _apart(rng, (4, 3), beta=0.5)
    gradcheck(lambda a, b: F.l1_loss(a, b, reduction), [x, t])
    gradcheck(lambda a, b: F.smooth_l1_loss(a, b, reduction, beta=0.5), [x, t])


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("beta", [1.0, 0.3, 0.0])
def test_l1_and_smooth_l1_match_torch(rng, reduction, beta) -> None:
    x, t = _apart(rng, (5, 4), beta=max(beta, 0.1))
    x[0, 0] = t[0, 0]  # equal: gradient 0 in both
    ours_fns = {"l1": lambda a, b: F.l1_loss(a, b, reduction),
                "smooth_l1": lambda a, b: F.smooth_l1_loss(a, b, reduction, beta)}
    inputs, outputs, weights = {}, {}, {}
    for name, fn in ours_fns.items():
        inputs[name] = [Tensor(x, requires_grad=True), Tensor(t, requires_grad=True)]
        outputs[name] = fn(*inputs[name])
        weights[name] = rng.normal(size=outputs[name].shape)

    def torch_results():
        import torch

        tf = torch.nn.functional
        their_fns = {"l1": lambda a, b: tf.l1_loss(a, b, reduction=reduction),
                     "smooth_l1": lambda a, b: tf.smooth_l1_loss(a, b, reduction=reduction,
                                                                 beta=beta)}
        results = {}
        for name, fn in their_fns.items():
            tx, tt = torch.tensor(x, requires_grad=True), torch.tensor(t, requires_grad=True)
            out = fn(tx, tt)
            (out * torch.tensor(weights[name])).sum().backward()
            results[name], results[f"{name}_x_grad"] = out, tx.grad
            results[f"{name}_t_grad"] = tt.grad
        return results

    theirs = reference(f"l1_losses_{reduction}_beta{beta}", torch_results)
    for name, out in outputs.items():
        np.testing.assert_allclose(to_host(out.data), theirs[name], rtol=1e-12, err_msg=name)
        (out * weights[name]).sum().backward()
        np.testing.assert_allclose(to_host(inputs[name][0].grad), theirs[f"{name}_x_grad"],
                                   rtol=1e-12, err_msg=name)
        np.testing.assert_allclose(to_host(inputs[name][1].grad), theirs[f"{name}_t_grad"],
                                   rtol=1e-12, err_msg=name)


def test_smooth_l1_refuses_a_negative_beta() -> None:
    with pytest.raises(ParameterError, match="beta >= 0"):
        F.smooth_l1_loss(np.zeros(2), np.ones(2), beta=-1.0)


def _ce_case(rng, shape=(6, 4)):
    logits = rng.normal(size=shape) * 2
    target = rng.integers(0, shape[1], size=(shape[0], *shape[2:]))
    target.reshape(-1)[[1, 4]] = -100  # ignored rows
    return logits, target


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("smoothing", [0.0, 0.2])
def test_cross_entropy_options_gradcheck(rng, reduction, weighted, smoothing) -> None:
    logits, target = _ce_case(rng)
    weight = rng.uniform(0.5, 2.0, size=4) if weighted else None
    gradcheck(lambda a: F.cross_entropy(a, target, weight, reduction,
                                        label_smoothing=smoothing), [logits])


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("smoothing", [0.0, 0.1, 1.0])
@pytest.mark.parametrize("shape", [(6, 4), (3, 4, 5)])
def test_cross_entropy_options_match_torch(rng, reduction, weighted, smoothing, shape
                                           ) -> None:
    logits, target = _ce_case(rng, shape)
    weight = rng.uniform(0.5, 2.0, size=4) if weighted else None
    ours = Tensor(logits, requires_grad=True)
    out = F.cross_entropy(ours, target, weight, reduction, label_smoothing=smoothing)
    v = rng.normal(size=out.shape)

    def torch_results():
        import torch

        tl = torch.tensor(logits, requires_grad=True)
        result = torch.nn.functional.cross_entropy(
            tl, torch.tensor(target), None if weight is None else torch.tensor(weight),
            reduction=reduction, label_smoothing=smoothing)
        (result * torch.tensor(v)).sum().backward()
        return {"out": result, "grad": tl.grad}

    theirs = reference(f"cross_entropy_{len(shape)}d_{reduction}_"
                       f"{'weighted' if weighted else 'unweighted'}_smoothing{smoothing}",
                       torch_results)
    np.testing.assert_allclose(to_host(out.data), theirs["out"], rtol=1e-12, atol=1e-14)
    (out * v).sum().backward()
    np.testing.assert_allclose(to_host(ours.grad), theirs["grad"], rtol=1e-12, atol=1e-14)


def test_cross_entropy_other_ignore_index_and_range_checks(rng) -> None:
    logits = rng.normal(size=(4, 3))
    full = F.cross_entropy(logits[[0, 2]], np.array([1, 2]))
    part = F.cross_entropy(logits, np.array([1, 7, 2, 7]), ignore_index=7)
    np.testing.assert_allclose(to_host(part.data), to_host(full.data), rtol=1e-15)
    with pytest.raises(ParameterError, match=r"target 3 is outside 0\.\.2"):
        F.cross_entropy(logits, np.array([1, 3, 2, 7]), ignore_index=7)
    with pytest.raises(ParameterError, match=r"target -100 is outside 0\.\.2"):
        F.cross_entropy(logits, np.array([1, -100, 2, 0]), ignore_index=1)
    with pytest.raises(ParameterError, match="label_smoothing"):
        F.cross_entropy(logits, np.array([0, 1, 2, 0]), label_smoothing=1.5)


def test_cross_entropy_options_run_under_strict_transfers(rng) -> None:
    logits, target = _ce_case(rng)
    with strict_transfers():
        x = Tensor(backend.to_device(logits.astype(np.float32)), requires_grad=True)
        loss = F.cross_entropy(x, backend.to_device(target), np.ones(4, np.float32),
                               label_smoothing=0.1)
        assert isinstance(loss.data, StrictArray) and loss.dtype == np.float32
        loss.backward()
        assert isinstance(x.grad, StrictArray) and x.grad.dtype == np.float32


def test_embedding_padding_row_gets_no_gradient(rng) -> None:
    weight = rng.normal(size=(5, 3))
    idx = np.array([[0, 2, 4, 2], [4, 4, 1, 0]])
    ours = Tensor(weight, requires_grad=True)
    out = F.embedding(idx, ours, padding_idx=-1)  # -1 is row 4, as in torch
    v = rng.normal(size=out.shape)

    def torch_results():
        import torch

        tw = torch.tensor(weight, requires_grad=True)
        result = torch.nn.functional.embedding(torch.tensor(idx), tw, padding_idx=4)
        (result * torch.tensor(v)).sum().backward()
        return {"weight_grad": tw.grad}

    theirs = reference("embedding_padding", torch_results)
    (out * v).sum().backward()
    np.testing.assert_array_equal(to_host(ours.grad), theirs["weight_grad"])
    assert not to_host(ours.grad)[4].any() and to_host(ours.grad)[2].any()
    # Rows other than the padding row are exact derivatives (the padding row's is
    # deliberately not: it is frozen).
    gradcheck(lambda w: F.embedding(idx, w, padding_idx=3), [weight])
    with pytest.raises(ParameterError, match="padding_idx 5"):
        F.embedding(idx, weight, padding_idx=5)


def test_embedding_layer_padding_starts_and_stays_zero(rng) -> None:
    layer = L.Embedding(6, 3, padding_idx=0, rng=0)
    assert not to_host(layer.weight.data)[0].any()
    with strict_transfers():
        codes = backend.to_device(np.array([[0, 3, 0], [2, 0, 5]]))
        (layer(codes) * 2.0).sum().backward()
    assert not to_host(layer.weight.grad)[0].any()
    copy = L.build_module(L.module_spec(layer))
    assert copy.padding_idx == 0
    old = L.build_module({"type": "Embedding",
                          "config": {"num_embeddings": 6, "embedding_dim": 3}})
    assert old.padding_idx is None  # a model file from before padding_idx
    with pytest.raises(ParameterError, match="padding_idx 6"):
        L.Embedding(6, 3, padding_idx=6)


def test_parameters_as_loss_inputs_keep_their_dtype(rng) -> None:
    x = Parameter(rng.normal(size=(3, 2)).astype(np.float32))
    for loss in (F.l1_loss(x, np.zeros((3, 2))), F.smooth_l1_loss(x, np.zeros((3, 2)))):
        assert loss.dtype == np.float32
