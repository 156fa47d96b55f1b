"""SimpleRNN against the taught formula; LSTM and GRU against torch.nn with copied weights."""

from __future__ import annotations

import numpy as np
import pytest

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


def _copy_to_torch(ours, theirs, torch, bias_ih, bias_hh):
    with torch.no_grad():
        theirs.weight_ih_l0.copy_(torch.from_numpy(to_host(ours.input_weight.data)))
        theirs.weight_hh_l0.copy_(torch.from_numpy(to_host(ours.recurrent_weight.data)))
        theirs.bias_ih_l0.copy_(torch.from_numpy(bias_ih))
        theirs.bias_hh_l0.copy_(torch.from_numpy(bias_hh))


@pytest.mark.parametrize("kind", ["LSTM", "GRU", "RNN"])
def test_cells_match_torch_outputs_and_gradients(kind):
    torch = pytest.importorskip("torch")
    x = _sequence(batch=3, time=5, features=4, seed=1)
    cls = {"LSTM": L.LSTM, "GRU": L.GRU, "RNN": L.SimpleRNN}[kind]
    ours = cls(4, 6, return_sequences=True, rng=0)
    theirs = getattr(torch.nn, kind)(4, 6, batch_first=True)
    bias = to_host(ours.bias.data)
    if kind == "GRU":
        ours.recurrent_bias.data[...] = np.linspace(-0.5, 0.5, 18, dtype=np.float32)
        _copy_to_torch(ours, theirs, torch, bias, to_host(ours.recurrent_bias.data))
    else:
        _copy_to_torch(ours, theirs, torch, bias, np.zeros_like(bias))
    tx = torch.from_numpy(x).requires_grad_(True)
    reference, _ = theirs(tx)
    inputs = Tensor(x, requires_grad=True)
    out = ours(inputs)
    np.testing.assert_allclose(to_host(out.data), reference.detach().numpy(), rtol=1e-4,
                               atol=1e-5)
    weights = np.random.default_rng(2).normal(size=out.shape).astype(np.float32)
    (out * weights).sum().backward()
    (reference * torch.from_numpy(weights)).sum().backward()
    np.testing.assert_allclose(to_host(ours.recurrent_weight.grad),
                               theirs.weight_hh_l0.grad.numpy(), rtol=1e-3, atol=1e-5)
    np.testing.assert_allclose(to_host(ours.input_weight.grad),
                               theirs.weight_ih_l0.grad.numpy(), rtol=1e-3, atol=1e-5)
    np.testing.assert_allclose(to_host(inputs.grad), tx.grad.numpy(), rtol=1e-3, atol=1e-5)


def test_lstm_forget_bias_starts_at_one():
    lstm = L.LSTM(2, 3, rng=0)
    np.testing.assert_array_equal(to_host(lstm.bias.data), [0, 0, 0, 1, 1, 1] + [0] * 6)
