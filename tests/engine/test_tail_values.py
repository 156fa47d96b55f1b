"""Exact values in the tails and at ties, torch-free (so CI checks them too).

The numbers are torch's in float64 (see ``test_torch_tails.py`` for the sweep against
torch itself); each was a defect here before: sigmoid's tails, logsumexp of infinities,
NaN gradients of pow(x, 0) and elu, ties, torch's dim/keepdim names, and the recurrent
weight of a single time step.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from workbench.core.errors import ParameterError
from workbench.engine import functional as F
from workbench.engine.layers.recurrent import GRU, LSTM, SimpleRNN
from workbench.engine.optim import SGD
from workbench.engine.tensor import Parameter, Tensor

TAIL = np.array([-745.0, -709.0, -40.0, -38.0, -35.0, -30.0, 0.0, 30.0, 745.0])


def _exact_sigmoid(x: float) -> float:
    return math.exp(x) / (1.0 + math.exp(x)) if x < 0 else 1.0 / (1.0 + math.exp(-x))


def test_sigmoid_keeps_full_precision_in_both_tails() -> None:
    y = F.sigmoid(TAIL).data
    expected = [_exact_sigmoid(v) for v in TAIL]
    np.testing.assert_allclose(y, expected, rtol=1e-15, atol=0)
    assert y[0] == 5e-324  # e^-745: the smallest subnormal, not 0
    assert y[3] > 0 and y[2] > 0  # (1 + tanh(x/2)) / 2 was exactly 0 from -38 on
    np.testing.assert_allclose(y[5], math.exp(-30), rtol=1e-13)  # it was 1.7e-4 off
    assert F.sigmoid(np.array([-np.inf, np.inf])).data.tolist() == [0.0, 1.0]


def test_sigmoid_stays_float32_and_exact_there() -> None:
    y = F.sigmoid(np.array([-80.0, -30.0, 0.0, 100.0], dtype=np.float32)).data
    assert y.dtype == np.float32
    np.testing.assert_allclose(y, [math.exp(-80), math.exp(-30), 0.5, 1.0], rtol=1e-6)


def test_softplus_and_bce_with_logits_gradients_are_exact_sigmoids() -> None:
    x = Parameter(TAIL.copy())
    F.softplus(x).sum().backward()
    expected = np.array([_exact_sigmoid(v) for v in TAIL])
    expected[TAIL > 20] = 1.0  # torch's linear tail past the threshold
    np.testing.assert_allclose(x.grad, expected, rtol=1e-15, atol=0)
    x.zero_grad()
    F.binary_cross_entropy_with_logits(x, np.zeros_like(TAIL), reduction="sum").backward()
    np.testing.assert_allclose(x.grad, [_exact_sigmoid(v) for v in TAIL], rtol=1e-15)


def test_softplus_follows_torch_threshold_and_beta() -> None:
    y = F.softplus(np.array([-745.0, 0.0, 20.0, 20.5, np.inf, -np.inf])).data
    assert y[0] == 5e-324 and y[1] == math.log(2.0)
    assert y[2] == math.log1p(math.exp(20.0)) and y[3] == 20.5  # linear past 20
    assert y[4] == np.inf and y[5] == 0.0
    np.testing.assert_allclose(F.softplus(np.array([1.0, 6.0]), beta=2.0, threshold=10.0).data,
                               [math.log1p(math.exp(2.0)) / 2, 6.0], rtol=1e-15)


def test_bce_of_a_confidently_wrong_sigmoid_still_has_a_gradient() -> None:
    # Before, sigmoid(-40) was exactly 0, the log hit its -100 clamp and training
    # stalled on the example: the gradient was 0.
    x = Parameter(np.array([-40.0]))
    loss = F.binary_cross_entropy(F.sigmoid(x), np.array([1.0]))
    np.testing.assert_allclose(loss.data, 40.0, rtol=1e-15)
    loss.backward()
    assert x.grad[0] < 0


def test_bce_with_logits_is_exact_where_targets_are_fractional() -> None:
    t = 1 - 1e-10
    loss = F.binary_cross_entropy_with_logits(np.array([700.0]), np.array([t]),
                                              reduction="none").data
    np.testing.assert_allclose(loss, (1 - t) * 700.0, rtol=1e-12)
    loss = F.binary_cross_entropy_with_logits(np.array([-30.0]), np.array([0.0])).data
    np.testing.assert_allclose(loss, math.log1p(math.exp(-30.0)), rtol=1e-15)


def test_bce_gradients_at_the_clamp_are_torch_values() -> None:
    p = Parameter(np.array([0.0, 1e-300, 0.3]))
    t = Parameter(np.array([1.0, 1.0, 0.2]))
    F.binary_cross_entropy(p, t, reduction="sum").backward()
    np.testing.assert_allclose(p.grad, [-1000000003995.8029, -1000000003995.8029,
                                        0.4761904761904761], rtol=1e-15)
    np.testing.assert_allclose(t.grad, [np.inf, 690.7755278982137, 0.8472978603872036],
                               rtol=1e-15)


def test_logsumexp_of_infinities() -> None:
    x = Parameter(np.array([[-np.inf, -np.inf], [np.inf, 0.0], [-np.inf, 1.0]]))
    y = F.logsumexp(x, dim=1)
    assert y.data.tolist() == [-np.inf, np.inf, 1.0]
    with np.errstate(invalid="ignore"):
        y.sum().backward()
    assert x.grad[2].tolist() == [0.0, 1.0]
    np.testing.assert_allclose(F.logsumexp(np.array([-745.0, -745.0])).data,
                               -745.0 + math.log(2.0), rtol=1e-15)


def test_pow_zero_exponent_gradient_at_zero_is_zero() -> None:
    x = Parameter(np.array([0.0, -0.0, 2.0, -3.0]))
    y = F.pow(x, 0)
    assert y.data.tolist() == [1.0, 1.0, 1.0, 1.0]
    y.sum().backward()
    assert x.grad.tolist() == [0.0, 0.0, 0.0, 0.0]
    a, b = Parameter(np.array([0.0, 0.0, 2.0])), Parameter(np.array([0.0, 2.0, 0.0]))
    F.pow(a, b).sum().backward()
    assert a.grad.tolist() == [0.0, 0.0, 0.0]
    np.testing.assert_allclose(b.grad, [0.0, 0.0, math.log(2.0)])


def test_elu_gradient_in_both_tails() -> None:
    x = Parameter(np.array([np.inf, -np.inf, -40.0, -745.0, 0.0, 1.0]))
    y = F.elu(x, 0.5)
    assert y.data.tolist() == [np.inf, -0.5, 0.5 * math.expm1(-40.0), -0.5, 0.0, 1.0]
    y.sum().backward()
    assert x.grad.tolist() == [1.0, 0.0, 0.5 * math.exp(-40.0), 0.5 * 5e-324, 0.5, 1.0]


@pytest.mark.parametrize("fn", [F.maximum, F.minimum])
def test_maximum_and_minimum_split_ties_evenly(fn) -> None:
    a, b = Parameter(np.array([1.0, 2.0, -3.0])), Parameter(np.array([1.0, 3.0, -4.0]))
    fn(a, b).sum().backward()
    first = [0.5, 0.0, 1.0] if fn is F.maximum else [0.5, 1.0, 0.0]
    assert a.grad.tolist() == first
    assert b.grad.tolist() == [1.0 - v for v in first]


def test_max_and_min_reductions_split_ties_evenly() -> None:
    x = Parameter(np.array([[1.0, 3.0, 3.0], [2.0, 2.0, 2.0], [np.inf, np.inf, 0.0]]))
    F.max(x, dim=1).sum().backward()
    np.testing.assert_array_equal(x.grad, [[0, 0.5, 0.5], [1 / 3, 1 / 3, 1 / 3],
                                           [0.5, 0.5, 0]])
    x.zero_grad()
    F.min(x).backward()  # the full reduction: 0 appears once
    np.testing.assert_array_equal(x.grad, [[0, 0, 0], [0, 0, 0], [0, 0, 1]])
    x.zero_grad()
    x.max().backward()
    np.testing.assert_array_equal(x.grad, [[0, 0, 0], [0, 0, 0], [0.5, 0.5, 0]])


def test_dim_and_keepdim_are_accepted_everywhere_with_numpy_aliases() -> None:
    x = np.arange(6.0).reshape(2, 3)
    t = Tensor(x)
    for name in ("sum", "mean", "max", "min", "logsumexp"):
        fn = getattr(F, name)
        torch_style = fn(x, dim=0, keepdim=True).data
        assert torch_style.shape == (1, 3)
        np.testing.assert_array_equal(fn(x, axis=0, keepdims=True).data, torch_style)
        np.testing.assert_array_equal(fn(x, 0, True).data, torch_style)
        np.testing.assert_array_equal(fn(x, dim=0, keepdims=True).data, torch_style)
        with pytest.raises(ParameterError, match="disagree"):
            fn(x, dim=0, axis=1)
        with pytest.raises(ParameterError, match="disagree"):
            fn(x, dim=0, keepdim=True, keepdims=False)
        if name != "logsumexp":
            np.testing.assert_array_equal(getattr(t, name)(dim=1).data,
                                          getattr(t, name)(axis=1).data)
    assert F.cat([x, x], dim=1).shape == F.concat([x, x], axis=1).shape == (2, 6)
    assert F.stack([x, x], dim=2).shape == F.stack([x, x], axis=2).shape == (2, 3, 2)
    assert F.unsqueeze(x, dim=0).shape == F.expand_dims(x, axis=0).shape == (1, 2, 3)
    assert F.squeeze(x[None], dim=0).shape == F.squeeze(x[None], axis=0).shape == (2, 3)
    with pytest.raises(ParameterError, match="disagree"):
        F.cat([x, x], dim=0, axis=1)
    for fn in (F.softmax, F.log_softmax):
        np.testing.assert_array_equal(fn(x, dim=0).data, fn(x, axis=0).data)
        np.testing.assert_array_equal(fn(x).data, fn(x, dim=-1).data)
        with pytest.raises(ParameterError, match="disagree"):
            fn(x, dim=0, axis=1)


@pytest.mark.parametrize("layer_class", [SimpleRNN, LSTM, GRU])
def test_one_time_step_gives_the_recurrent_weight_a_zero_gradient(layer_class) -> None:
    layer = layer_class(2, 3, rng=0, dtype=np.float64)
    x = np.random.default_rng(0).normal(size=(4, 1, 2))
    before = layer.recurrent_weight.data.copy()
    out = layer(x)
    out.sum().backward()
    grad = layer.recurrent_weight.grad
    assert grad is not None and grad.shape == before.shape and not grad.any()
    SGD(layer.parameters(), lr=0.1, weight_decay=0.5).step()
    np.testing.assert_allclose(layer.recurrent_weight.data, before * (1 - 0.1 * 0.5))
    # The zero initial state changes nothing in the output.
    two = layer_class(2, 3, rng=0, dtype=np.float64)
    np.testing.assert_allclose(out.data, two(np.concatenate([x], axis=1)).data)


def test_float32_stays_float32_in_the_changed_functions(xp) -> None:
    x = Parameter(xp.asarray([[0.5, -1.0, 0.5], [-np.inf, 3.0, 2.0]], dtype=xp.float32))
    ops = [F.softplus, F.sigmoid, lambda a: F.elu(a, 0.5), lambda a: F.max(a, dim=1),
           lambda a: F.min(a, dim=0), lambda a: F.logsumexp(a, dim=1),
           lambda a: F.maximum(a, 0.5), lambda a: F.minimum(a, 0.5),
           lambda a: F.pow(a, 0), lambda a: F.pow(a, 0.5)]
    for op in ops:
        with np.errstate(invalid="ignore", divide="ignore"):  # sqrt(-1), 0 * inf
            y = op(x)
            y.sum().backward()
        assert y.dtype == np.float32
        assert x.grad.dtype == np.float32
        x.zero_grad()
