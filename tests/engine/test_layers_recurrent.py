"""SimpleRNN against the taught formula; LSTM and GRU against torch.nn with copied weights."""

from __future__ import annotations

import numpy as np
import pytest
from torch_reference import reference

from workbench.core.errors import ParameterError
from workbench.engine import layers as L
from workbench.engine.backend import to_host
from workbench.engine.tensor import Tensor


def _sequence(batch=3, time=4, features=2, seed=0):
    return np.random.default_rng(seed).normal(size=(batch, time, features)).astype(np.float32)


def test_simple_rnn_is_the_taught_recurrence():
    rnn = L.SimpleRNN(2, 3, return_sequences=True, rng=0)
    x = _sequence()
    u, w = to_host(rnn.input_weight.data), to_host(rnn.recurrent_weight.data)
    b = to_host(rnn.bias.data) + 0.1
    rnn.bias.data[...] = b
    s = np.zeros((3, 3), dtype=np.float32)
    expected = []
    for t in range(4):
        s = np.tanh(x[:, t] @ u.T + s @ w.T + b)
        expected.append(s)
    out = rnn(Tensor(x))
    np.testing.assert_allclose(to_host(out.data), np.stack(expected, axis=1), rtol=1e-5,
                               atol=1e-6)
    last = L.SimpleRNN(2, 3, rng=0)
    last.load_state_dict(rnn.state_dict())
    np.testing.assert_allclose(to_host(last(x).data), expected[-1], rtol=1e-5, atol=1e-6)


def test_simple_rnn_backpropagates_through_time():
    """The gradient of the last state with respect to the first input is not zero."""
    rnn = L.SimpleRNN(2, 3, rng=0)
    x = Tensor(_sequence(), requires_grad=True)
    rnn(x).sum().backward()
    grad = to_host(x.grad)
    assert np.abs(grad[:, 0]).sum() > 0 and np.abs(grad[:, -1]).sum() > 0
    assert rnn.recurrent_weight.grad is not None


def test_recurrent_layers_check_their_input_shape():
    with pytest.raises(ParameterError, match="\\(batch, time, 2\\)"):
        L.LSTM(2, 3)(np.zeros((3, 4, 5), dtype=np.float32))


@pytest.mark.parametrize("kind", ["LSTM", "GRU", "RNN"])
def test_cells_match_torch_outputs_and_gradients(kind):
    x = _sequence(batch=3, time=5, features=4, seed=1)
    cls = {"LSTM": L.LSTM, "GRU": L.GRU, "RNN": L.SimpleRNN}[kind]
    ours = cls(4, 6, return_sequences=True, rng=0)
    # fixed numbers instead of the layer's own start: the stored torch results must not
    # depend on how the layer initialises
    fixed = np.random.default_rng(20)
    for p in (ours.input_weight, ours.recurrent_weight, ours.bias):
        p.data[...] = fixed.normal(size=p.shape) * 0.4
    bias = to_host(ours.bias.data)
    if kind == "GRU":
        ours.recurrent_bias.data[...] = np.linspace(-0.5, 0.5, 18, dtype=np.float32)
        recurrent_bias = to_host(ours.recurrent_bias.data)
    else:
        recurrent_bias = np.zeros_like(bias)
    input_weight = to_host(ours.input_weight.data)
    recurrent_weight = to_host(ours.recurrent_weight.data)
    inputs = Tensor(x, requires_grad=True)
    out = ours(inputs)
    weights = np.random.default_rng(2).normal(size=out.shape).astype(np.float32)

    def torch_results():
        import torch

        theirs = getattr(torch.nn, kind)(4, 6, batch_first=True)
        with torch.no_grad():
            theirs.weight_ih_l0.copy_(torch.from_numpy(input_weight))
            theirs.weight_hh_l0.copy_(torch.from_numpy(recurrent_weight))
            theirs.bias_ih_l0.copy_(torch.from_numpy(bias))
            theirs.bias_hh_l0.copy_(torch.from_numpy(recurrent_bias))
        tx = torch.from_numpy(x).requires_grad_(True)
        result, _ = theirs(tx)
        (result * torch.from_numpy(weights)).sum().backward()
        return {"out": result, "weight_hh_grad": theirs.weight_hh_l0.grad,
                "weight_ih_grad": theirs.weight_ih_l0.grad, "x_grad": tx.grad}

    theirs = reference(f"{kind.lower()}_layer", torch_results)
    np.testing.assert_allclose(to_host(out.data), theirs["out"], rtol=1e-4, atol=1e-5)
    (out * weights).sum().backward()
    np.testing.assert_allclose(to_host(ours.recurrent_weight.grad), theirs["weight_hh_grad"],
                               rtol=1e-3, atol=1e-5)
    np.testing.assert_allclose(to_host(ours.input_weight.grad), theirs["weight_ih_grad"],
                               rtol=1e-3, atol=1e-5)
    np.testing.assert_allclose(to_host(inputs.grad), theirs["x_grad"], rtol=1e-3, atol=1e-5)


def test_lstm_forget_bias_starts_at_one():
    lstm = L.LSTM(2, 3, rng=0)
    np.testing.assert_array_equal(to_host(lstm.bias.data), [0, 0, 0, 1, 1, 1] + [0] * 6)
