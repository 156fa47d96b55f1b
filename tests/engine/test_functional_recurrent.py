"""Fused whole-sequence ops (rnn_tanh, lstm, gru) and the one-buffer unbind/split.

The fused ops write back-propagation through time by hand, so they are checked against
central differences (every step count that takes a different path: one step, several,
last state only) and against torch.nn with the same weights, outputs and gradients.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from torch_reference import reference

from workbench.core.errors import ParameterError
from workbench.engine import backend
from workbench.engine import functional as F
from workbench.engine.backend import StrictArray, strict_transfers, to_host
from workbench.engine.functional import fused_lstm
from workbench.engine.gradcheck import gradcheck
from workbench.engine.tensor import Parameter, Tensor, no_grad

GATES = {"rnn_tanh": 1, "lstm": 4, "gru": 3}
TORCH = {"rnn_tanh": "RNN", "lstm": "LSTM", "gru": "GRU"}


def _weights(kind: str, features: int, hidden: int, rng: np.random.Generator,
             recurrent_bias: bool = True) -> list[np.ndarray]:
    g = GATES[kind] * hidden
    out = [rng.normal(size=(g, features)) * 0.5, rng.normal(size=(g, hidden)) * 0.5,
           rng.normal(size=g) * 0.3]
    if kind == "gru" and recurrent_bias:
        out.append(rng.normal(size=g) * 0.3)
    return out


@pytest.mark.parametrize("kind", list(GATES))
@pytest.mark.parametrize("steps", [1, 2, 5])
@pytest.mark.parametrize("sequences", [True, False])
def test_fused_recurrent_gradcheck(rng, kind, steps, sequences) -> None:
    fn = getattr(F, kind)
    x = rng.normal(size=(3, steps, 4))
    gradcheck(lambda *a: fn(*a, sequences=sequences), [x, *_weights(kind, 4, 5, rng)])


def test_gru_without_recurrent_bias_gradcheck(rng) -> None:
    x = rng.normal(size=(2, 3, 4))
    gradcheck(lambda *a: F.gru(*a), [x, *_weights("gru", 4, 3, rng, recurrent_bias=False)])


@pytest.mark.parametrize("kind", list(GATES))
def test_fused_recurrent_matches_torch(rng, kind) -> None:
    x = rng.normal(size=(3, 6, 4))
    weights = _weights(kind, 4, 5, rng)
    ours = [Tensor(a, requires_grad=True) for a in (x, *weights)]
    out = getattr(F, kind)(*ours)
    v = rng.normal(size=out.shape)

    def torch_results():
        import torch

        module = getattr(torch.nn, TORCH[kind])(4, 5, batch_first=True).double()
        with torch.no_grad():
            module.weight_ih_l0.copy_(torch.tensor(weights[0]))
            module.weight_hh_l0.copy_(torch.tensor(weights[1]))
            module.bias_ih_l0.copy_(torch.tensor(weights[2]))
            module.bias_hh_l0.copy_(torch.tensor(weights[3] if kind == "gru"
                                                 else np.zeros_like(weights[2])))
        tx = torch.tensor(x, requires_grad=True)
        result, _ = module(tx)
        (result * torch.tensor(v)).sum().backward()
        # Our one bias stands for torch's two where they only ever add (same gradient).
        grads = [tx.grad, module.weight_ih_l0.grad, module.weight_hh_l0.grad,
                 module.bias_ih_l0.grad]
        if kind == "gru":
            grads.append(module.bias_hh_l0.grad)
        return {"out": result, **{f"grad{i}": g for i, g in enumerate(grads)}}

    theirs = reference(f"fused_{kind}", torch_results)
    np.testing.assert_allclose(to_host(out.data), theirs["out"], rtol=1e-12, atol=1e-12)
    (out * v).sum().backward()
    for i, mine in enumerate(ours):
        np.testing.assert_allclose(to_host(mine.grad), theirs[f"grad{i}"], rtol=1e-10,
                                   atol=1e-12)


@pytest.mark.parametrize("kind", list(GATES))
def test_last_state_only_is_the_last_of_the_sequence(rng, kind) -> None:
    fn = getattr(F, kind)
    args = [rng.normal(size=(2, 4, 3)), *_weights(kind, 3, 4, rng)]
    np.testing.assert_array_equal(to_host(fn(*args, sequences=False).data),
                                  to_host(fn(*args).data)[:, -1])


@pytest.mark.parametrize("kind", list(GATES))
def test_single_step_still_gives_the_recurrent_weight_a_gradient(rng, kind) -> None:
    """h_0 = 0, so the gradient is zeros; torch gives zeros too (not None), and weight
    decay and optimizers then treat the weight like every other."""
    args = [Parameter(a) for a in _weights(kind, 3, 4, rng)]
    getattr(F, kind)(rng.normal(size=(2, 1, 3)), *args).sum().backward()
    np.testing.assert_array_equal(to_host(args[1].grad), np.zeros_like(args[1].data))


@pytest.mark.parametrize("sequences", [True, False])
def test_lstm_without_a_bias_is_the_lstm_with_a_zero_bias(rng, sequences) -> None:
    """The op stacks [W_hh, W_ih, b] for its step GEMM; without b the stack is one
    column narrower, and everything else must stay the same."""
    x = rng.normal(size=(3, 4, 2))
    w, u, _ = _weights("lstm", 2, 3, rng)
    gradcheck(lambda *a: F.lstm(*a, sequences=sequences), [x, w, u])
    plain = [Tensor(a, requires_grad=True) for a in (x, w, u)]
    zero = [Tensor(a, requires_grad=True) for a in (x, w, u, np.zeros(12))]
    outs = [F.lstm(*args, sequences=sequences) for args in (plain, zero)]
    np.testing.assert_array_equal(outs[0].data, outs[1].data)
    v = rng.normal(size=outs[0].shape)
    for out in outs:
        (out * v).sum().backward()
    for a, b in zip(plain, zero, strict=False):
        np.testing.assert_allclose(a.grad, b.grad, rtol=1e-12, atol=1e-15)


def _plain_lstm(x, w, u, b):
    """The LSTM as the textbook writes it (torch's gate order), float64, for reference."""
    hidden = u.shape[1]
    h = c = np.zeros((x.shape[0], hidden))
    states = []
    for t in range(x.shape[1]):
        z = x[:, t] @ w.T + h @ u.T + b
        i, f, g, o = (z[:, k * hidden:(k + 1) * hidden] for k in range(4))
        i, f, o = (1 / (1 + np.exp(-np.clip(a, -500, 500))) for a in (i, f, o))
        c = f * c + i * np.tanh(g)
        h = o * np.tanh(c)
        states.append(h)
    return np.stack(states, axis=1)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_lstm_with_saturated_gates_is_exact_and_silent(rng, dtype) -> None:
    """The sigmoid gates are 1 / (1 + e^-z): for z below about -88 (float32) e^-z
    overflows to inf and the gate must come out as exactly 0, with no overflow warning
    reaching the user, and their gradients stay finite."""
    x = rng.normal(size=(4, 5, 3))
    w, u, b = (a * 300 for a in _weights("lstm", 3, 6, rng))
    ours = [Tensor(a.astype(dtype), requires_grad=True) for a in (x, w, u, b)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = F.lstm(*ours)
        out.sum().backward()
    np.testing.assert_allclose(out.data, _plain_lstm(x, w, u, b), rtol=0,
                               atol=1e-6 if dtype == np.float32 else 1e-12)
    assert all(np.isfinite(t.grad).all() for t in ours)


@pytest.mark.parametrize("trained", ["x", "input_weight", "recurrent_weight", "bias"])
def test_lstm_gives_gradients_only_to_what_asks_for_one(rng, trained) -> None:
    """Each weight's gradient comes out of one shared GEMM; a frozen weight gets none
    and the others keep the gradients they get when everything is trained."""
    names = ["x", "input_weight", "recurrent_weight", "bias"]
    values = [rng.normal(size=(2, 5, 3)), *_weights("lstm", 3, 4, rng)]
    every = [Tensor(a, requires_grad=True) for a in values]
    one = [Tensor(a, requires_grad=name == trained) for name, a in zip(names, values,
                                                                       strict=True)]
    for args in (every, one):
        F.lstm(*args).sum().backward()
    for name, a, b in zip(names, every, one, strict=True):
        if name == trained:
            np.testing.assert_array_equal(b.grad, a.grad)
            assert b.grad.base is None  # an array of its own, not a view of the GEMM's
        else:
            assert b.grad is None


def test_lstm_buffers_from_the_shelf_carry_nothing_over(rng, monkeypatch) -> None:
    """The LSTM takes its large buffers from a shelf of spent ones; whatever they held
    (here NaN everywhere) never reaches a result, and a spent graph's buffers go back."""
    monkeypatch.setattr(fused_lstm._shelf, "buffers", [])
    x = rng.normal(size=(3, 4, 2))
    weights = _weights("lstm", 2, 5, rng)

    def run():
        ours = [Tensor(a, requires_grad=True) for a in (x, *weights)]
        out = F.lstm(*ours, sequences=False)
        out.sum().backward()
        return [out.data.copy()] + [t.grad.copy() for t in ours]

    fresh = run()
    # the per-step slots and the [h; x; 1] rows among them
    shelved = {b.shape for b in fused_lstm._shelf.buffers}
    assert {(4, 6, 5, 3), (4, 5 + 2 + 1, 3)} <= shelved
    for spare in fused_lstm._shelf.buffers:
        spare.fill(np.nan)
    again = run()
    for a, b in zip(fresh, again, strict=True):
        np.testing.assert_array_equal(a, b)


def test_the_shelf_keeps_a_bounded_number_of_bytes(monkeypatch) -> None:
    monkeypatch.setattr(fused_lstm._shelf, "buffers", [])
    monkeypatch.setattr(fused_lstm, "_SHELF_BYTES", 1000)
    fused_lstm._shelve(np.empty(100), np.empty(50), np.empty(60))  # 800 + 400 + 480 bytes
    assert [b.size for b in fused_lstm._shelf.buffers] == [50, 60]
    taken = fused_lstm._buffer(np.empty(3), (50,))
    assert taken.shape == (50,) and [b.size for b in fused_lstm._shelf.buffers] == [60]
    assert fused_lstm._buffer(np.empty(3, dtype=np.float32), (60,)).dtype == np.float32
    # the float64 spare is not handed out
    assert [b.size for b in fused_lstm._shelf.buffers] == [60]


@pytest.mark.parametrize("kind", list(GATES))
@pytest.mark.parametrize("sequences", [True, False])
def test_an_input_laid_out_in_any_order_gives_the_same_results(rng, kind, sequences
                                                                ) -> None:
    """A transposed view (a convolution's output, say) is read, not assumed C-ordered:
    buffers shaped after it are C-ordered, whatever its strides."""
    x = rng.normal(size=(3, 4, 2))
    strided = np.ascontiguousarray(x.transpose(2, 1, 0)).transpose(2, 1, 0)
    assert not strided.flags.c_contiguous
    weights = _weights(kind, 2, 5, rng)
    results = []
    for data in (x, strided):
        ours = [Tensor(a, requires_grad=True) for a in (data, *weights)]
        out = getattr(F, kind)(*ours, sequences=sequences)
        out.sum().backward()
        results.append([out.data] + [t.grad for t in ours])
    for a, b in zip(*results, strict=True):
        np.testing.assert_array_equal(a, b)


def test_float32_stays_float32_and_a_float64_batch_is_cast(rng) -> None:
    weights = [Parameter(a.astype(np.float32)) for a in _weights("lstm", 3, 4, rng)]
    out = F.lstm(rng.normal(size=(2, 3, 3)), *weights)
    assert out.dtype == np.float32
    out.sum().backward()
    assert all(w.grad.dtype == np.float32 for w in weights)


def test_fused_ops_check_shapes(rng) -> None:
    weights = _weights("lstm", 3, 4, rng)
    with pytest.raises(ParameterError, match=r"\(batch, time, 3\)"):
        F.lstm(rng.normal(size=(2, 3, 5)), *weights)
    with pytest.raises(ParameterError, match="at least one time step"):
        F.lstm(rng.normal(size=(2, 0, 3)), *weights)
    with pytest.raises(ParameterError, match="4 gates"):
        F.lstm(rng.normal(size=(2, 3, 3)), weights[0][:5], weights[1], None)
    # A recurrent weight or bias of another hidden size is refused, never half-read.
    bigger = _weights("lstm", 3, 5, rng)
    with pytest.raises(ParameterError, match=r"\(16, 4\), got \(20, 5\)"):
        F.lstm(rng.normal(size=(2, 3, 3)), weights[0], bigger[1], weights[2])
    with pytest.raises(ParameterError, match="16 values, got shape \\(20,\\)"):
        F.lstm(rng.normal(size=(2, 3, 3)), weights[0], weights[1], bigger[2])


@pytest.mark.parametrize("kind", list(GATES))
def test_fused_recurrent_runs_under_strict_transfers(rng, kind) -> None:
    with strict_transfers():
        x = Tensor(backend.to_device(rng.normal(size=(2, 3, 3)).astype(np.float32)))
        weights = [Parameter(a.astype(np.float32)) for a in _weights(kind, 3, 4, rng)]
        out = getattr(F, kind)(x, *weights)
        assert isinstance(out.data, StrictArray)
        out.sum().backward()
        assert all(np.isfinite(to_host(w.grad)).all() for w in weights)


# --- unbind and split: every piece's gradient lands in one buffer ----------------------


def test_unbind_gives_views_along_the_axis(rng) -> None:
    x = rng.normal(size=(2, 3, 4))
    pieces = F.unbind(x, dim=1)
    assert len(pieces) == 3
    for i, p in enumerate(pieces):
        np.testing.assert_array_equal(to_host(p.data), x[:, i])
    assert [p.shape for p in F.unbind(x[0, 0])] == [()] * 4  # 0-d arrays, not scalars


def test_unbind_gradcheck(rng) -> None:
    x = rng.normal(size=(3, 4, 2))
    w = rng.normal(size=4)

    def fn(t: Tensor) -> Tensor:
        steps = F.unbind(t, dim=1)
        # Steps used twice, out of order, one not at all, and the input also directly.
        return (steps[2] * w[0] + steps[0] * steps[2] + steps[3] * w[3] + t.sum(axis=1)) \
            * w[1]

    gradcheck(fn, [x])


def test_split_gradcheck_with_unused_and_reused_pieces(rng) -> None:
    x = rng.normal(size=(2, 7))
    gradcheck(lambda t: F.concat([F.split(t, [2, 5], axis=1)[2]] * 2, axis=1)
              + F.split(t, [3], axis=1)[0].sum(), [x])


def test_pieces_of_an_unrecorded_tensor_record_nothing(rng) -> None:
    pieces = F.unbind(Tensor(rng.normal(size=(3, 2))))
    assert not any(p.requires_grad for p in pieces)


def test_unbind_gradient_twice_in_one_graph_is_summed(rng) -> None:
    x = Tensor(rng.normal(size=(3, 2)), requires_grad=True)
    a = F.unbind(x)
    b = F.unbind(x)
    (a[0].sum() + b[0].sum() + a[2].sum()).backward()
    np.testing.assert_array_equal(to_host(x.grad), [[2, 2], [0, 0], [1, 1]])


def test_permute_steps_reads_each_row_in_its_own_order(rng) -> None:
    x = rng.normal(size=(3, 4, 2))
    lengths = np.array([4, 2, 3])
    t = np.arange(4)[None, :]
    order = np.where(t < lengths[:, None], lengths[:, None] - 1 - t, t)  # reversed, padding last
    out = F.permute_steps(x, order)
    np.testing.assert_array_equal(to_host(out.data), x[np.arange(3)[:, None], order])
    np.testing.assert_array_equal(to_host(out.data)[1, :2], x[1, 1::-1])
    w = rng.normal(size=(3, 4, 2))
    gradcheck(lambda a: F.permute_steps(a, order) * w, [x])


@pytest.mark.parametrize("sequences", [True, False])
def test_lstm_predictions_without_a_graph_reuse_buffers_and_keep_their_results(
        rng, sequences, monkeypatch) -> None:
    """Under no_grad nothing will run backward, so the op returns its buffers at once
    (prediction batches reuse them) and skips the backward's factors; each result is its
    own array, untouched by the next call."""
    weights = [Parameter(w) for w in _weights("lstm", 3, 4, rng)]
    first, second = rng.normal(size=(2, 5, 3)), rng.normal(size=(2, 5, 3))
    expected = [F.lstm(v, *weights, sequences=sequences).data for v in (first, second)]
    monkeypatch.setattr(fused_lstm._shelf, "buffers", [])
    with no_grad():
        got = F.lstm(first, *weights, sequences=sequences).data
        shelved = list(fused_lstm._shelf.buffers)
        assert shelved
        again = F.lstm(second, *weights, sequences=sequences).data
        # the same buffers again, no new ones
        assert sorted(map(id, fused_lstm._shelf.buffers)) == sorted(map(id, shelved))
    np.testing.assert_array_equal(got, expected[0])
    np.testing.assert_array_equal(again, expected[1])
