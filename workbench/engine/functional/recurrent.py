"""Whole-sequence recurrent ops: SimpleRNN (tanh), LSTM and GRU, each one fused op.

Unrolling a cell with ordinary ops costs a graph node per gate per step, a full-size
gradient per sliced step and one small GEMM per step for the input side. These ops do
what cuDNN and Chainer's ``n_step_lstm`` do instead:

- the input side costs no small GEMM per step: SimpleRNN and GRU project every step's
  input in one GEMM before the loop (``x W_ih^T + b`` over batch x time rows); the LSTM
  (``fused_lstm.py``, laid out hidden-major) reads ``[h_{t-1}; x_t; 1]`` stacked so that
  its one gate GEMM per step covers input, state and bias together;
- the gates of a step come from one GEMM with the stacked gate weights, and the loop's
  Python work per step is a handful of in-place array calls on preallocated time-major
  buffers (no graph nodes, no per-step allocations of full-size gradients);
- back-propagation through time is written out by hand, beside the forward, and the
  weight gradients are one GEMM each over all steps after the loop (the LSTM adds each
  step's share inside its one BLAS call per step instead), never a separate product per
  step.

Inputs are (batch, time, features), weights are shaped and ordered as in PyTorch (LSTM
gates i, f, g, o; GRU gates r, z, n), the initial state is zero, and each op returns the
states (batch, time, hidden), or only the last one (batch, hidden) with
``sequences=False``.
"""

from __future__ import annotations

from typing import Any

from workbench.engine.backend import array_module
from workbench.engine.functional.fused_lstm import lstm, sequence_operands
from workbench.engine.tensor import Tensor, as_tensor, make_result

__all__ = ["gru", "lstm", "rnn_tanh"]

def _inputs(x: Any, input_weight: Any, gates: int, bias: bool
            ) -> tuple[Tensor, Tensor, Any, Any]:
    """The input as a Tensor in the weights' dtype, its time-major copy (T, B, F), with
    a column of ones appended when there is a ``bias`` (so the bias rides in the
    projection GEMM and its gradient in the weight-gradient GEMM, instead of a pass
    over every step's gates each way), and the array module; checks the shapes once."""
    x, w = sequence_operands(x, input_weight, gates)
    xp = array_module(x.data)
    n, steps, features = x.data.shape
    time_major = xp.empty_like(x.data, shape=(steps, n, features + bool(bias)), order="C")
    time_major[:, :, :features] = x.data.swapaxes(0, 1)
    if bias:
        time_major[:, :, features] = 1
    return x, w, time_major, xp


def _project(time_major: Any, weight: Any, bias: Any) -> Any:
    """x W^T + b for every step at once: (T, B, F) -> (T, B, G), one GEMM (the bias
    times the ones column of ``time_major``)."""
    t, b, f = time_major.shape
    xp = array_module(weight)
    if bias is not None:
        weight = xp.concatenate([weight, bias[:, None]], axis=1)
    return (time_major.reshape(t * b, f) @ weight.T).reshape(t, b, -1)


def _input_grads(dz: Any, time_major: Any, x: Tensor, w: Tensor, bias: Tensor | None,
                 ) -> tuple[Any, Any, Any]:
    """Gradients of x, W_ih and b from the pre-activation gradients of every step
    (T, B, G): one GEMM for x, one for W_ih and b together."""
    t, b, g = dz.shape
    rows = dz.reshape(t * b, g)
    features = w.data.shape[1]
    gx = gw = gb = None
    if x.requires_grad:
        gx = (rows @ w.data).reshape(t, b, -1).swapaxes(0, 1)
    if w.requires_grad or (bias is not None and bias.requires_grad):
        both = rows.T @ time_major.reshape(t * b, -1)
        gw = both[:, :features] if w.requires_grad else None
        if bias is not None and bias.requires_grad:
            gb = both[:, features]
    return gx, gw, gb


def _recurrent_grad(dz: Any, states: Any) -> Any:
    """Sum over steps of dz_t^T h_{t-1} (h_{-1} = 0): one GEMM over steps 1..T-1,
    zeros (not None) for a single step, as in torch."""
    t, b, g = dz.shape
    h = states.shape[2]
    return dz[1:].reshape((t - 1) * b, g).T @ states[:-1].reshape((t - 1) * b, h)


def _output(states: Any, sequences: bool) -> Any:
    """(batch, time, hidden) view of the time-major states, or the last state."""
    return states.swapaxes(0, 1) if sequences else states[-1]


def _incoming(gy: Any, sequences: bool, steps: int) -> tuple[Any, int]:
    """The output gradient as time-major (T, B, H) (a view) and the last step that
    receives one directly."""
    return (gy.swapaxes(0, 1), steps) if sequences else (gy[None], 1)


def _add_incoming(dh: Any, incoming: Any, t: int, steps: int, direct: int, like: Any,
                  xp: Any) -> Any:
    """``dh`` plus the output gradient arriving at step ``t`` (accumulated in place; a
    fresh array at the last step, so the caller's gradient is never written to)."""
    g = incoming[t - steps + direct] if t >= steps - direct else None
    if dh is None:
        return g.copy() if g is not None else xp.zeros_like(like)
    if g is not None:
        dh += g
    return dh


def rnn_tanh(x: Any, input_weight: Any, recurrent_weight: Any, bias: Any = None,
             sequences: bool = True) -> Tensor:
    """Elman recurrence ``s_t = tanh(W_ih x_t + W_hh s_{t-1} + b)``, ``s_0 = 0``."""
    b = as_tensor(bias) if bias is not None else None
    x, w, xt, xp = _inputs(x, input_weight, 1, b is not None)
    u = as_tensor(recurrent_weight)
    steps = xt.shape[0]
    states = _project(xt, w.data, None if b is None else b.data)  # becomes the states
    ud = u.data
    uT = xp.ascontiguousarray(ud.T)  # the step GEMM reads it row by row: ~15% faster
    xp.tanh(states[0], out=states[0])
    scratch = xp.empty_like(states[0])
    for t in range(1, steps):
        xp.matmul(states[t - 1], uT, out=scratch)
        states[t] += scratch
        xp.tanh(states[t], out=states[t])

    def backward(gy: Any) -> tuple[Any, ...]:
        incoming, direct = _incoming(gy, sequences, steps)
        dz = xp.empty_like(states)
        dh = None
        for t in range(steps - 1, -1, -1):
            dh = _add_incoming(dh, incoming, t, steps, direct, states[0], xp)
            s = states[t]
            d = dz[t]
            xp.multiply(s, s, out=d)  # dz = dh (1 - s^2)
            d *= dh
            xp.subtract(dh, d, out=d)
            if t:
                dh = d @ ud
        gx, gw, gb = _input_grads(dz, xt, x, w, b)
        gu = _recurrent_grad(dz, states) if u.requires_grad else None
        return (gx, gw, gu) if b is None else (gx, gw, gu, gb)

    parents = (x, w, u) if b is None else (x, w, u, b)
    return make_result(_output(states, sequences), parents, backward)


def gru(x: Any, input_weight: Any, recurrent_weight: Any, bias: Any = None,
        recurrent_bias: Any = None, sequences: bool = True) -> Tensor:
    """Gated recurrent unit, torch's formulation: ``r, z`` gates from
    ``W_i x_t + b_i + W_h h + b_h``, ``n = tanh(W_in x_t + b_in + r (W_hn h + b_hn))``,
    ``h_t = (1 - z) n + z h_{t-1}``, ``h_0 = 0``."""
    b = as_tensor(bias) if bias is not None else None
    x, w, xt, xp = _inputs(x, input_weight, 3, b is not None)
    u = as_tensor(recurrent_weight)
    rb = as_tensor(recurrent_bias) if recurrent_bias is not None else None
    steps, n = xt.shape[0], xt.shape[1]
    hidden = u.data.shape[1]
    ud = u.data
    uT = xp.ascontiguousarray(ud.T)  # the step GEMM reads it row by row: ~15% faster
    proj = _project(xt, w.data, None if b is None else b.data)
    hh = xp.empty_like(proj)         # W_h h_{t-1} + b_h per step
    acts = xp.empty_like(proj)       # r, z, n per step
    states = xp.empty_like(proj, shape=(steps, n, hidden))
    rz, nn = slice(0, 2 * hidden), slice(2 * hidden, 3 * hidden)
    for t in range(steps):
        r_h = hh[t]
        if t:
            xp.matmul(states[t - 1], uT, out=r_h)
            if rb is not None:
                r_h += rb.data
        elif rb is not None:
            r_h[...] = rb.data
        else:
            r_h[...] = 0
        a = acts[t]
        xp.add(proj[t, :, rz], r_h[:, rz], out=a[:, rz])
        a[:, rz] *= 0.5                       # sigmoid = (1 + tanh(z / 2)) / 2
        xp.tanh(a[:, rz], out=a[:, rz])
        a[:, rz] *= 0.5
        a[:, rz] += 0.5
        new = a[:, nn]
        xp.multiply(a[:, :hidden], r_h[:, nn], out=new)
        new += proj[t, :, nn]
        xp.tanh(new, out=new)
        h = states[t]
        if t:
            xp.subtract(states[t - 1], new, out=h)   # h = n + z (h_prev - n)
            h *= a[:, hidden:2 * hidden]
            h += new
        else:
            xp.multiply(a[:, hidden:2 * hidden], new, out=h)
            xp.subtract(new, h, out=h)

    def backward(gy: Any) -> tuple[Any, ...]:
        incoming, direct = _incoming(gy, sequences, steps)
        dx_side = xp.empty_like(proj)   # gradients of the input-side pre-activations
        dh_side = xp.empty_like(proj)   # gradients of W_h h + b_h
        dh = None
        for t in range(steps - 1, -1, -1):
            dh = _add_incoming(dh, incoming, t, steps, direct, states[0], xp)
            a, dx, dr_h = acts[t], dx_side[t], dh_side[t]
            r, z, new = a[:, :hidden], a[:, hidden:2 * hidden], a[:, nn]
            prev = states[t - 1] if t else None
            # z's gradient: dh (h_prev - n) z (1 - z)
            dz = dx[:, hidden:2 * hidden]
            if prev is not None:
                xp.subtract(prev, new, out=dz)
                dz *= dh
            else:
                xp.multiply(new, dh, out=dz)
                xp.negative(dz, out=dz)
            dz *= z
            dz *= 1.0 - z
            # n's pre-activation gradient: dh (1 - z) (1 - n^2)
            dn = dx[:, nn]
            xp.multiply(dh, z, out=dn)
            xp.subtract(dh, dn, out=dn)
            dn *= 1.0 - new * new
            # r's gradient: dn (W_hn h + b_hn) r (1 - r)
            dr = dx[:, :hidden]
            xp.multiply(dn, hh[t, :, nn], out=dr)
            dr *= r
            dr *= 1.0 - r
            dr_h[:, rz] = dx[:, rz]
            xp.multiply(dn, r, out=dr_h[:, nn])
            if t:
                dh *= z
                dh += dr_h @ ud
        gx, gw, gb = _input_grads(dx_side, xt, x, w, b)
        gu = _recurrent_grad(dh_side, states) if u.requires_grad else None
        grads = [gx, gw, gu]
        if b is not None:
            grads.append(gb)
        if rb is not None:
            grads.append(dh_side.reshape(-1, 3 * hidden).sum(axis=0)
                         if rb.requires_grad else None)
        return tuple(grads)

    parents = [x, w, u]
    if b is not None:
        parents.append(b)
    if rb is not None:
        parents.append(rb)
    return make_result(_output(states, sequences), tuple(parents), backward)

