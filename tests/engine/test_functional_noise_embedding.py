"""dropout and embedding: masks, scaling, seeds, scatter-add gradients."""

from __future__ import annotations

import numpy as np
import pytest
from torch_reference import reference

from workbench.core.errors import ParameterError
from workbench.engine import functional as F
from workbench.engine.backend import seed_rng, to_host
from workbench.engine.gradcheck import gradcheck
from workbench.engine.tensor import Parameter, Tensor


def test_dropout_scales_survivors_and_is_identity_when_not_training(xp) -> None:
    x = Tensor(xp.ones((200, 50), dtype=xp.float32))
    y = to_host(F.dropout(x, 0.25, True, seed_rng(0, xp)).data)
    assert y.dtype == np.float32
    assert set(np.unique(y)) <= {0.0, np.float32(1 / 0.75)}
    assert abs((y == 0).mean() - 0.25) < 0.02
    assert F.dropout(x, 0.25, training=False) is x
    assert F.dropout(x, 0.0, training=True) is x


def test_dropout_seeded_masks_repeat_and_differ_between_calls() -> None:
    x = np.ones((4, 8))
    a = F.dropout(x, 0.5, True, seed_rng(3)).data
    b = F.dropout(x, 0.5, True, seed_rng(3)).data
    np.testing.assert_array_equal(a, b)
    r = seed_rng(3)
    assert not np.array_equal(F.dropout(x, 0.5, True, r).data, F.dropout(x, 0.5, True, r).data)


def test_dropout_gradient_uses_the_same_mask(rng) -> None:
    gradcheck(lambda a: F.dropout(a, 0.4, True, 11), [rng.normal(size=(3, 5))])


def test_dropout_probability_is_checked() -> None:
    with pytest.raises(ParameterError, match="dropout probability"):
        F.dropout(np.ones(2), 1.0, True, 0)


def test_embedding_picks_rows_and_scatter_adds_repeats(xp) -> None:
    w = Parameter(xp.asarray(np.arange(12.0, dtype=np.float32).reshape(4, 3)))
    idx = xp.asarray([[1, 3], [1, 1]])
    y = F.embedding(idx, w)
    assert y.shape == (2, 2, 3)
    np.testing.assert_array_equal(to_host(y.data)[0, 1], [9, 10, 11])
    y.sum().backward()
    np.testing.assert_array_equal(to_host(w.grad)[:, 0], [0, 3, 0, 1])


def test_embedding_gradcheck(rng) -> None:
    idx = np.array([[0, 2, 2], [4, 0, 1]])
    gradcheck(lambda w: F.embedding(idx, w), [rng.normal(size=(5, 3))])


def test_embedding_needs_integer_indices() -> None:
    with pytest.raises(TypeError, match="integers"):
        F.embedding(np.array([0.0]), Parameter(np.ones((2, 2))))


def test_linear_gradcheck_and_shapes(rng) -> None:
    x, w, b = rng.normal(size=(4, 3)), rng.normal(size=(5, 3)), rng.normal(size=5)
    np.testing.assert_allclose(F.linear(x, w, b).data, x @ w.T + b)
    gradcheck(F.linear, [x, w, b])
    gradcheck(F.linear, [x, w])
    x3 = rng.normal(size=(2, 4, 3))
    assert F.linear(x3, w, b).shape == (2, 4, 5)
    gradcheck(F.linear, [x3, w, b])


def test_linear_matches_torch(rng) -> None:
    x, w, b = (rng.normal(size=s).astype(np.float32) for s in ((6, 4), (3, 4), (3,)))

    def torch_results():
        import torch

        theirs = [torch.tensor(a, requires_grad=True) for a in (x, w, b)]
        ty = torch.nn.functional.linear(*theirs)
        ty.sum().backward()
        return {"out": ty, "x_grad": theirs[0].grad, "w_grad": theirs[1].grad,
                "b_grad": theirs[2].grad}

    theirs = reference("linear", torch_results)
    ours = [Parameter(a) for a in (x, w, b)]
    y = F.linear(*ours)
    np.testing.assert_allclose(y.data, theirs["out"], rtol=1e-5, atol=1e-6)
    y.sum().backward()
    for a, key in zip(ours, ("x_grad", "w_grad", "b_grad"), strict=True):
        np.testing.assert_allclose(a.grad, theirs[key], rtol=1e-5, atol=1e-5, err_msg=key)
