"""Whole-sequence recurrent ops: SimpleRNN (tanh), LSTM and GRU, each one fused op.

Unrolling a cell with ordinary ops costs a graph node per gate per step, a full-size
gradient per sliced step and one small GEMM per step for the input side. These ops do
what cuDNN and Chainer's ``n_step_lstm`` do instead:

- the input side costs no small GEMM per step: SimpleRNN and GRU project every step's
  input in one GEMM before the loop (``x W_ih^T + b`` over batch x time rows); the LSTM
  reads ``[h_{t-1}, x_t, 1]`` side by side so that its one gate GEMM per step covers
  input, state and bias together (see ``lstm``);
- the gates of a step come from one GEMM with the stacked gate weights, and the loop's
  Python work per step is a handful of in-place array calls on preallocated time-major
  buffers (no graph nodes, no per-step allocations of full-size gradients);
- back-propagation through time is written out by hand, beside the forward, and the
  weight gradients are one GEMM each (per gate for the LSTM) over all steps after the
  loop, never one per step.

Inputs are (batch, time, features), weights are shaped and ordered as in PyTorch (LSTM
gates i, f, g, o; GRU gates r, z, n), the initial state is zero, and each op returns the
states (batch, time, hidden), or only the last one (batch, hidden) with
``sequences=False``.
"""

from __future__ import annotations

import threading
from typing import Any

from workbench.core.errors import ParameterError
from workbench.engine.backend import array_module
from workbench.engine.tensor import Tensor, as_tensor, make_result

# The LSTM's two large buffers (its [h, x, 1] rows and its per-step slots, 13 MB for a
# batch of 128 sequences of 28 steps) go back to this shelf when its backward pass is
# done, and the next call of the same shape takes them again: a fresh buffer of that size
# per batch costs page faults (the C allocator hands such blocks back to the system) and
# starts out of cache. A buffer is shelved only when its graph is spent, never while a
# result could still need it, and the shelf keeps at most _SHELF_BYTES (the oldest
# buffers fall off), so a finished training holds on to little.
_SHELF: list[Any] = []
_SHELF_BYTES = 64 * 2**20
_SHELF_LOCK = threading.Lock()


def _buffer(like: Any, shape: tuple[int, ...]) -> Any:
    """An uninitialised array shaped ``shape`` of ``like``'s type, dtype and device,
    from the shelf when one fits."""
    with _SHELF_LOCK:
        for i, spare in enumerate(_SHELF):
            if spare.shape == shape and spare.dtype == like.dtype \
                    and type(spare) is type(like) \
                    and getattr(spare, "device", None) == getattr(like, "device", None):
                return _SHELF.pop(i)
    return array_module(like).empty_like(like, shape=shape)


def _shelve(*buffers: Any) -> None:
    """Put spent buffers on the shelf, dropping the oldest beyond _SHELF_BYTES."""
    with _SHELF_LOCK:
        _SHELF.extend(buffers)
        total = 0
        for i in range(len(_SHELF) - 1, -1, -1):
            total += _SHELF[i].nbytes
            if total > _SHELF_BYTES:
                del _SHELF[:i + 1]
                break


def _inputs(x: Any, input_weight: Any, gates: int, bias: bool, lead: int = 0
            ) -> tuple[Tensor, Tensor, Any, Any]:
    """The input as a Tensor in the weights' dtype, its time-major copy (T, B, F), with
    a column of ones appended when there is a ``bias`` (so the bias rides in the
    projection GEMM and its gradient in the weight-gradient GEMM, instead of a pass
    over every step's gates each way), and the array module; checks the shapes once.
    ``lead`` columns before the features are left for the caller (the LSTM puts the
    previous state there, so that one GEMM per step reads state and input together)."""
    w = as_tensor(input_weight)
    x = as_tensor(x, like=w)
    shape = x.data.shape
    if len(shape) != 3 or shape[2] != w.data.shape[1]:
        raise ParameterError(f"a recurrent op expects input shaped (batch, time, "
                             f"{w.data.shape[1]}), got {tuple(shape)}")
    if shape[1] < 1:
        raise ParameterError("a sequence needs at least one time step")
    if w.data.shape[0] % gates:
        raise ParameterError(f"input weight rows ({w.data.shape[0]}) are not {gates} gates")
    xp = array_module(x.data)
    n, steps, features = shape
    shape = (steps, n, lead + features + bool(bias))
    time_major = _buffer(x.data, shape) if lead else xp.empty_like(x.data, shape=shape)
    time_major[:, :, lead:lead + features] = x.data.swapaxes(0, 1)
    if bias:
        time_major[:, :, lead + features] = 1
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


# Inside the LSTM op each step's values sit in one (slot, time, batch, hidden) buffer, in
# slots chosen so that the step's array calls can each cover several of them (strided
# views such as ``a[2:4]`` or ``a[1::-1]`` pair the right blocks up):
#   0 c_{t-1} | 1 g | 2 i | 3 f | 4 o | 5 tanh(c_t)
# Once a step is done, slots 4 and 5 hold the factors back-propagation needs in their
# place: h (1 - o) (= tanh(c) o') and o (1 - tanh(c)^2).
# Slots 1-4 are the gates as the weights' GEMMs see them; torch's order is i, f, g, o.
_LSTM_ORDER = [2, 0, 1, 3]   # slot 1 + k holds torch's gate _LSTM_ORDER[k]
_LSTM_TORCH = [1, 2, 0, 3]   # torch's gate j sits in slot 1 + _LSTM_TORCH[j]


def _lstm_step_weights(recurrent: Any, inputs: Any, bias: Any, out: Any, xp: Any) -> Any:
    """``[W_hh, W_ih, b]`` stacked per gate and laid out for the step GEMM, (gate in slot
    order, [h, x, 1], out), with the sigmoid gates' rows halved: one copy of each weight
    block, the halving done as it is copied."""
    hidden = recurrent.shape[1]
    parts = [recurrent.reshape(4, hidden, hidden), inputs.reshape(4, hidden, -1)]
    if bias is not None:
        parts.append(bias.reshape(4, hidden, 1))
    start = 0
    for part in parts:
        stop = start + part.shape[2]
        for slot, gate in enumerate(_LSTM_ORDER):
            block = part[gate].T
            if slot:
                xp.multiply(block, 0.5, out=out[slot, start:stop])
            else:
                out[slot, start:stop] = block
        start = stop
    return out


def _lstm_torch_rows(both: Any, start: int, stop: int | None, xp: Any) -> Any:
    """Columns ``start:stop`` of the (slot, [h, x, 1], out) weight gradient as a fresh
    (4 hidden, width) array in torch's gate order, or (4 hidden,) for the bias column
    (``stop`` None): one copy, and an array of its own (the autodiff would copy a view
    again to give a parameter its gradient)."""
    hidden = both.shape[2]
    blocks = both[:, start] if stop is None else both[:, start:stop].transpose(0, 2, 1)
    out = xp.empty_like(both, shape=(4 * hidden, *blocks.shape[2:]))
    for gate, slot in enumerate(_LSTM_TORCH):
        out[gate * hidden:(gate + 1) * hidden] = blocks[slot]
    return out


def lstm(x: Any, input_weight: Any, recurrent_weight: Any, bias: Any = None,
         sequences: bool = True) -> Tensor:
    """Long short-term memory, torch's formulation with one bias: gates
    ``i, f, g, o`` from ``W_ih x_t + W_hh h_{t-1} + b``, ``c_t = f c_{t-1} + i g``,
    ``h_t = o tanh(c_t)``, ``h_0 = c_0 = 0``.

    Each step's gates are ONE GEMM: the rows ``[h_{t-1}, x_t, 1]`` (kept side by side
    in one time-major buffer) times the stacked ``[W_hh, W_ih, b]``. For LSTM's small
    inputs that is cheaper than projecting all steps' inputs first: the projection's
    short inner dimension runs the GEMM below speed, and adding it to each step's
    recurrent product is one more pass over memory long out of cache. The weight
    gradients are again one GEMM over all steps, with the same buffer.

    Everything else a step computes lives in one slot-major buffer (see the slot map
    above ``_LSTM_ORDER``): each slot of a step is one contiguous block, on which NumPy
    runs two to three times faster than on a column slice of a (batch, 4 hidden) row,
    and neighbouring slots let one array call do the work of two or three. The three
    sigmoids and the tanh of a step are one ``tanh`` over the four gate blocks:
    sigmoid(z) = (1 + tanh(z / 2)) / 2, so the sigmoid gates' weights are pre-scaled by
    1/2 (once per call). The forward also computes the two factors back-propagation
    needs at each step, ``h (1 - o) = tanh(c) o'`` and ``o (1 - tanh(c)^2)``, while
    they are in cache, over ``o`` and ``tanh(c)`` (needed no more); the backward then
    writes the gates' gradients over the gates themselves (the graph runs backward
    once), so no second buffer of that size is touched.
    """
    b = as_tensor(bias) if bias is not None else None
    u = as_tensor(recurrent_weight)
    hidden = u.data.shape[1]
    x, w, xh, xp = _inputs(x, input_weight, 4, b is not None, lead=hidden)
    steps, n = xh.shape[0], xh.shape[1]
    features = w.data.shape[1]
    width = xh.shape[2]
    # Small per-call buffers, shelved with the large ones: step weights and the weight
    # gradient; the recurrent weight in slot order; (batch, hidden) blocks for the step
    # GEMM's output, products, the last cell and the backward's factors and sums.
    matrices = _buffer(xh, (2, 4, width, hidden))
    u4 = _buffer(xh, (4, hidden, hidden))
    blocks = _buffer(xh, (19, n, hidden))
    step_weights = _lstm_step_weights(u.data, w.data, None if b is None else b.data,
                                      matrices[0], xp)
    acts = _buffer(xh, (6, steps, n, hidden))
    # Every state is kept apart only when every state is returned; the GEMMs read them
    # from ``xh``.
    states = xp.empty_like(acts[0]) if sequences else None
    last_state = xp.empty_like(acts[0, 0])
    acts[0, 0] = 0                                   # c_{-1}
    scratch, pair, last_cell = blocks[0:4], blocks[4:6], blocks[6]
    first, second = pair
    half = xp.asarray(0.5, dtype=acts.dtype)   # (a Python float costs more per call)
    matmul, tanh, multiply, add, subtract = xp.matmul, xp.tanh, xp.multiply, xp.add, \
        xp.subtract   # (the loop calls them 12 times a step; outputs go by position)
    for t in range(steps):
        a = acts[:, t]
        # The GEMM writes into a block that stays in cache; the tanh then writes the
        # step's gates to their slots.
        if t:
            matmul(xh[t], step_weights, scratch)
        else:                                             # h_{-1} = 0: the input part only
            matmul(xh[0, :, hidden:], step_weights[:, hidden:], scratch)
        tanh(scratch, a[1:5])
        sig = a[2:5]
        multiply(sig, half, sig)
        add(sig, half, sig)
        multiply(a[2:4], a[1::-1], pair)                  # i g, f c_{t-1}
        c = acts[0, t + 1] if t + 1 < steps else last_cell
        add(first, second, c)
        tc = a[5]
        tanh(c, tc)
        o = a[4]
        h = states[t] if states is not None else last_state
        multiply(o, tc, h)                                # h = o tanh(c)
        if t + 1 < steps:
            xh[t + 1, :, :hidden] = h
        multiply(h, a[5:3:-1], pair)                      # h tanh(c), h o
        subtract(o, first, tc)                            # o (1 - tanh(c)^2)
        subtract(h, second, o)                            # h (1 - o)

    def backward(gy: Any) -> tuple[Any, ...]:
        incoming, direct = _incoming(gy, sequences, steps)
        xp.take(u.data.reshape(4, hidden, hidden), _LSTM_ORDER, axis=0, out=u4)
        inner = blocks[7:11]        # dc times f, i, g, c_{t-1}
        slopes = blocks[11:14]      # 1 - g^2, i (1 - i), f (1 - f)
        back = blocks[14:18]        # the four gates' parts of dh_{t-1}
        back0, back1, back2, back3 = back
        summed = blocks[18]         # dh_{t-1}
        one = xp.asarray(1.0, dtype=acts.dtype)
        dh = None
        for t in range(steps - 1, -1, -1):
            if t >= steps - direct:
                dh = _add_incoming(dh, incoming, t, steps, direct, summed, xp)
            a = acts[:, t]
            # o's gradient dh h (1 - o) over slot 4; over slot 5 the cell's gradient
            # dc = dh o (1 - tanh(c)^2) + dc_{t+1} f_{t+1}
            multiply(dh, a[4:6], a[4:6])
            dc = a[5]
            if t < steps - 1:
                dc += inner[0]
            gates = a[1:4]
            multiply(gates, gates, slopes)
            subtract(a[2:4], slopes[1:], slopes[1:])
            subtract(one, slopes[0], slopes[0])
            # dc times f, i, g, c_{t-1} (slots 3 to 0): the carry to step t - 1, then
            # g's, i's and f's gradients before their slopes
            multiply(dc, a[3::-1], inner)
            multiply(inner[1:], slopes, gates)               # gates' gradients over them
            if t:
                matmul(a[1:5], u4, back)
                dh = add(back0, back1, summed)   # three adds beat one sum
                dh += back2
                dh += back3
        grads: list[Any] = [None, None, None]
        by_gate = acts[1:5].reshape(4, steps * n, hidden)
        if x.requires_grad:
            w4 = w.data.reshape(4, hidden, features)[_LSTM_ORDER]
            gx = xp.matmul(by_gate, w4).sum(axis=0)
            grads[0] = gx.reshape(steps, n, features).swapaxes(0, 1)
        if u.requires_grad or w.requires_grad or (b is not None and b.requires_grad):
            # (gate, [h, x, 1], out): every weight's gradient in one GEMM per gate over
            # steps 1..T-1, plus step 0's input part (h_{-1} = 0 adds nothing). The
            # transposed product runs fastest, and one plain 2-D GEMM per gate ~9 %
            # faster than NumPy's stacked matmul with a transposed 2-D operand.
            later = xh[1:].reshape((steps - 1) * n, xh.shape[2])
            both = matrices[1]
            for gate in range(4):
                xp.matmul(later.T, by_gate[gate, n:], out=both[gate])
            both[:, hidden:] += xp.matmul(xh[0, :, hidden:].T, by_gate[:, :n])
            if u.requires_grad:
                grads[2] = _lstm_torch_rows(both, 0, hidden, xp)
            if w.requires_grad:
                grads[1] = _lstm_torch_rows(both, hidden, hidden + features, xp)
            if b is not None:
                grads.append(_lstm_torch_rows(both, -1, None, xp) if b.requires_grad
                             else None)
        elif b is not None:
            grads.append(None)
        _shelve(acts, xh, matrices, u4, blocks)   # spent: no result is a view of them
        return tuple(grads)

    parents = (x, w, u) if b is None else (x, w, u, b)
    out = states.swapaxes(0, 1) if states is not None else last_state
    return make_result(out, parents, backward)


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

