"""Losses: hand-computed values, gradients, reductions, weights, torch agreement."""

from __future__ import annotations

import numpy as np
import pytest
from torch_reference import reference

from workbench.core.errors import ParameterError
from workbench.engine import functional as F
from workbench.engine.backend import to_host
from workbench.engine.gradcheck import gradcheck
from workbench.engine.tensor import Parameter, Tensor


def test_cross_entropy_hand_computed() -> None:
    logits = np.log(np.array([[1.0, 3.0], [2.0, 2.0]]))  # softmax rows: (.25,.75), (.5,.5)
    loss = F.cross_entropy(logits, np.array([1, 0]))
    np.testing.assert_allclose(loss.data, -(np.log(0.75) + np.log(0.5)) / 2)
    p = Parameter(logits)
    F.cross_entropy(p, np.array([1, 0]), reduction="sum").backward()
    np.testing.assert_allclose(p.grad, [[0.25, -0.25], [-0.5, 0.5]])  # softmax - onehot


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_cross_entropy_and_nll_gradcheck(rng, reduction) -> None:
    x, t, w = rng.normal(size=(5, 4)), rng.integers(0, 4, 5), rng.uniform(0.5, 2, 4)
    gradcheck(lambda a: F.cross_entropy(a, t, reduction=reduction), [x])
    gradcheck(lambda a: F.cross_entropy(a, t, weight=w, reduction=reduction), [x])
    gradcheck(lambda a: F.nll_loss(F.log_softmax(a), t, reduction=reduction), [x])
    gradcheck(lambda a: F.nll_loss(a, t, weight=w, reduction=reduction), [x])


def test_cross_entropy_with_spatial_class_axis(rng) -> None:
    x, t = rng.normal(size=(2, 3, 4)), rng.integers(0, 3, (2, 4))
    gradcheck(lambda a: F.cross_entropy(a, t), [x])
    gradcheck(lambda a: F.cross_entropy(a, t, reduction="none"), [x])
    assert F.cross_entropy(x, t, reduction="none").shape == (2, 4)


def test_cross_entropy_equals_log_softmax_plus_nll(rng) -> None:
    x, t = rng.normal(size=(6, 5)), rng.integers(0, 5, 6)
    np.testing.assert_allclose(F.cross_entropy(x, t).data,
                               F.nll_loss(F.log_softmax(x), t).data, rtol=1e-12)


def test_cross_entropy_is_stable_for_huge_logits() -> None:
    x = Parameter(np.array([[1e4, -1e4, 0.0]], dtype=np.float32))
    loss = F.cross_entropy(x, np.array([1]))
    loss.backward()
    np.testing.assert_allclose(loss.data, 2e4, rtol=1e-6)
    np.testing.assert_allclose(x.grad, [[1.0, -1.0, 0.0]], atol=1e-6)
    assert loss.dtype == np.float32 and x.grad.dtype == np.float32


def test_bad_targets_and_reductions_are_named() -> None:
    with pytest.raises(ParameterError, match=r"target 3 is outside 0\.\.2"):
        F.cross_entropy(np.zeros((2, 3)), np.array([0, 3]))
    with pytest.raises(ParameterError, match=r"target -1 is outside 0\.\.2"):
        F.cross_entropy(np.zeros((2, 3)), np.array([0, -1]))
    with pytest.raises(ParameterError, match=r"target -2 is outside 0\.\.2"):
        F.nll_loss(np.zeros((2, 3)), np.array([-2, 1], dtype=np.int32))
    with pytest.raises(ParameterError, match="integer"):
        F.cross_entropy(np.zeros((2, 3)), np.array([0.0, 1.0]))
    with pytest.raises(ParameterError, match="reduction"):
        F.mse_loss(np.zeros(2), np.zeros(2), reduction="avg")
    with pytest.raises(ParameterError, match="3 targets for 2 rows"):
        F.nll_loss(np.zeros((2, 3)), np.array([0, 1, 2]))


def test_mse_hand_computed_and_gradcheck(rng) -> None:
    np.testing.assert_allclose(F.mse_loss(np.array([1.0, 3.0]), np.array([0.0, 0.0])).data,
                               5.0)
    x, t = rng.normal(size=(3, 2)), rng.normal(size=(3, 2))
    for reduction in ("mean", "sum", "none"):
        gradcheck(lambda a, b, r=reduction: F.mse_loss(a, b, reduction=r), [x, t])


def test_binary_cross_entropy(rng) -> None:
    p, t = rng.uniform(0.1, 0.9, size=(4, 3)), (rng.random((4, 3)) > 0.5) * 1.0
    np.testing.assert_allclose(F.binary_cross_entropy(np.array([0.8]), np.array([1.0])).data,
                               -np.log(0.8))
    for reduction in ("mean", "sum", "none"):
        gradcheck(lambda a, r=reduction: F.binary_cross_entropy(a, t, reduction=r), [p])
    gradcheck(lambda a, b: F.binary_cross_entropy(a, b), [p, rng.random((4, 3))])
    gradcheck(lambda a: F.binary_cross_entropy(a, t, weight=np.arange(1.0, 4.0)), [p])
    x = rng.normal(size=(4, 3))
    gradcheck(lambda a: F.binary_cross_entropy_with_logits(a, t), [x])
    np.testing.assert_allclose(F.binary_cross_entropy_with_logits(x, t).data,
                               F.binary_cross_entropy(F.sigmoid(x), t).data, rtol=1e-10)
    assert np.isfinite(F.binary_cross_entropy(np.array([0.0, 1.0]),
                                              np.array([1.0, 0.0])).data)


def test_losses_match_torch(rng) -> None:
    x = rng.normal(size=(6, 4)).astype(np.float32)
    t = rng.integers(0, 4, 6)
    w = rng.uniform(0.5, 2, 4).astype(np.float32)
    p = rng.uniform(0.05, 0.95, size=(6, 4)).astype(np.float32)
    y = (rng.random((6, 4)) > 0.5).astype(np.float32)

    def torch_results():
        import torch

        tf = torch.nn.functional
        tx, tt, tw = torch.tensor(x), torch.tensor(t), torch.tensor(w)
        results = {
            "cross_entropy": tf.cross_entropy(tx, tt),
            "cross_entropy_weighted": tf.cross_entropy(tx, tt, weight=tw),
            "cross_entropy_none": tf.cross_entropy(tx, tt, reduction="none"),
            "nll_loss_weighted_sum": tf.nll_loss(tx, tt, weight=tw, reduction="sum"),
            "mse_loss": tf.mse_loss(tx, torch.tensor(p)),
            "binary_cross_entropy": tf.binary_cross_entropy(torch.tensor(p),
                                                            torch.tensor(y)),
            "binary_cross_entropy_with_logits": tf.binary_cross_entropy_with_logits(
                tx, torch.tensor(y)),
        }
        tx.requires_grad_(True)
        tf.cross_entropy(tx, tt, weight=tw).backward()
        return {**results, "cross_entropy_weighted_grad": tx.grad}

    theirs = reference("losses", torch_results)
    cases = {
        "cross_entropy": F.cross_entropy(x, t),
        "cross_entropy_weighted": F.cross_entropy(x, t, weight=w),
        "cross_entropy_none": F.cross_entropy(x, t, reduction="none"),
        "nll_loss_weighted_sum": F.nll_loss(x, t, weight=w, reduction="sum"),
        "mse_loss": F.mse_loss(x, p),
        "binary_cross_entropy": F.binary_cross_entropy(p, y),
        "binary_cross_entropy_with_logits": F.binary_cross_entropy_with_logits(x, y),
    }
    for name, ours in cases.items():
        np.testing.assert_allclose(to_host(ours.data), theirs[name], rtol=1e-5, atol=1e-6,
                                   err_msg=name)
    ours_x = Parameter(x)
    F.cross_entropy(ours_x, t, weight=w).backward()
    np.testing.assert_allclose(ours_x.grad, theirs["cross_entropy_weighted_grad"], rtol=1e-5,
                               atol=1e-7)


def test_loss_on_device(xp) -> None:
    x = Tensor(xp.asarray([[0.0, 1.0]], dtype=xp.float32), requires_grad=True)
    loss = F.cross_entropy(x, xp.asarray([1]))
    loss.backward()
    assert loss.dtype == np.float32
    np.testing.assert_allclose(to_host(loss.data), np.log(1 + np.exp(-1.0)), rtol=1e-6)
