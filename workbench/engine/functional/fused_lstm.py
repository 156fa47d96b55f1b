"""The LSTM as one fused whole-sequence op, laid out hidden-major: every per-step array
is (hidden, batch), so that each step's two GEMMs are one plain GEMM each.

Forward, step t: the gates of all four kinds are ONE GEMM, ``W (4 hidden, K) @
[h_{t-1}; x_t; 1] (K, batch)``, with the state, the input and a row of ones stacked in
one (time, K, batch) buffer (the state is written straight into next step's block). For
the LSTM's small inputs that beats projecting all inputs first: a GEMM with a short
inner dimension runs below speed, and adding its result to each step's recurrent product
is one more pass over memory long out of cache. Backward, step t: ``dh_{t-1} = U^T (hidden,
4 hidden) @ dz_t (4 hidden, batch)``, again one GEMM (batch-major, it would be four and a
sum), and the weight gradient ``dW += dz_t [h_{t-1}; x_t; 1]^T`` is added by the same
BLAS call that multiplies (NumPy's matmul cannot add into its output; SciPy's BLAS can).

Everything else a step computes lives in one (time, slot, hidden, batch) buffer, in
slots chosen so that each array call covers several blocks through strided views such as
``a[2:4]`` or ``a[1::-1]``::

    0 c_{t-1} | 1 g | 2 i | 3 f | 4 o | 5 tanh(c_t)

Slots 1-4 are the gates as the GEMMs see them (torch's order is i, f, g, o). The step
GEMM writes them straight into their slots, the three sigmoid gates' weights copied
negated so that ``sigmoid(z) = 1 / (1 + e^-z)`` is one ``exp`` over their three blocks
and two cheap passes: a float32 ``exp`` costs half a ``tanh`` (NumPy 2.4 on an AVX2
EPYC, 1.3 against 2.7 ns an element), and unlike ``(1 + tanh(z / 2)) / 2`` it keeps its
relative precision where a gate is near 0. g and ``tanh(c_t)`` stay ``np.tanh``:
``2 sigmoid(2z) - 1`` would save nothing measurable over an RNN classifier epoch and
loses precision near 0: it raised the float32 gradients' error against float64 by about
a quarter, and moved MNIST accuracy over 16 seeds by -0.27 +- 0.24 points, against -0.07 +-
0.20 for this form.

The forward computes the two factors back-propagation needs, ``h (1 - o)`` (= tanh(c)
o') and ``o (1 - tanh(c)^2)``, while they are in cache, over o and tanh(c) (needed no
more); the backward writes the gates' gradients over the gates (the graph runs backward
once).

The large buffers come from and return to a bounded shelf of the thread's own (see
``_Shelf``): a fresh 13 MB buffer per batch costs page faults and starts out of cache.
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np

from workbench.core.errors import ParameterError
from workbench.engine.backend import array_module
from workbench.engine.blas import add_product
from workbench.engine.tensor import Tensor, as_tensor, is_grad_enabled, make_result

_LSTM_ORDER = [2, 0, 1, 3]   # slot 1 + k holds torch's gate _LSTM_ORDER[k]


class _Shelf(threading.local):
    """Spent buffers waiting for the next call of the same shape, one shelf per thread.

    A buffer is shelved only when its graph is spent, never while a result could still
    need it, and a shelf keeps at most _SHELF_BYTES (the oldest fall off). Per thread,
    so that the shelf goes with the thread that trained: the Explorer trains each run
    on a worker thread of its own, and one shelf for the process kept a finished RNN
    run's buffers (36 MB on MNIST) for as long as the window was open. The buffers are
    a training loop's, which never crosses threads.
    """

    def __init__(self) -> None:
        self.buffers: list[Any] = []


_shelf = _Shelf()
_SHELF_BYTES = 64 * 2**20


def _buffer(like: Any, shape: tuple[int, ...]) -> Any:
    """An uninitialised array shaped ``shape`` of ``like``'s type, dtype and device,
    from this thread's shelf when one fits."""
    shelf = _shelf.buffers
    for i, spare in enumerate(shelf):
        if spare.shape == shape and spare.dtype == like.dtype \
                and type(spare) is type(like) \
                and getattr(spare, "device", None) == getattr(like, "device", None):
            return shelf.pop(i)
    # C order whatever ``like``'s layout: the op writes through reshaped views
    return array_module(like).empty_like(like, shape=shape, order="C")


def _shelve(*buffers: Any) -> None:
    """Put spent buffers on this thread's shelf, dropping the oldest beyond
    _SHELF_BYTES."""
    shelf = _shelf.buffers
    shelf.extend(buffers)
    total = 0
    for i in range(len(shelf) - 1, -1, -1):
        total += shelf[i].nbytes
        if total > _SHELF_BYTES:
            del shelf[:i + 1]
            break


def _constant(value: float, like: Any, xp: Any) -> Any:
    """``value`` in ``like``'s dtype for the step loops' ufuncs: a 0-d NumPy array on the
    CPU (a Python float costs NumPy ~0.4 us more per call), a NumPy scalar elsewhere (a
    0-d CuPy array would be a host-to-device copy per call of the op)."""
    return np.asarray(value, dtype=like.dtype) if xp is np else like.dtype.type(value)


def sequence_operands(x: Any, input_weight: Any, gates: int) -> tuple[Tensor, Tensor]:
    """The input and input weight of a recurrent op (this one, SimpleRNN's, GRU's) as
    Tensors in the weights' dtype, their shapes checked once, with messages that name
    the shape the op expects."""
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
    return x, w


def _checked(x: Any, input_weight: Any, recurrent_weight: Any, bias: Any
             ) -> tuple[Tensor, Tensor, Tensor, Tensor | None]:
    """The four operands as Tensors in the weights' dtype, shapes checked once."""
    x, w = sequence_operands(x, input_weight, 4)
    u = as_tensor(recurrent_weight)
    b = as_tensor(bias) if bias is not None else None
    hidden = w.data.shape[0] // 4
    if tuple(u.data.shape) != (4 * hidden, hidden):
        raise ParameterError(f"the recurrent weight of an LSTM with {hidden} units is "
                             f"({4 * hidden}, {hidden}), got {tuple(u.data.shape)}")
    if b is not None and tuple(b.data.shape) != (4 * hidden,):
        raise ParameterError(f"the bias of an LSTM with {hidden} units has {4 * hidden} "
                             f"values, got shape {tuple(b.data.shape)}")
    return x, w, u, b


def _step_weights(u: Any, w: Any, b: Any, out: Any, xp: Any) -> None:
    """``[W_hh, W_ih, b]`` per gate in slot order, (4 hidden, K), into ``out``, the
    sigmoid gates' rows negated as they are copied, so that the step GEMM gives the
    exponents they need (see the module docstring)."""
    hidden = u.shape[1]
    parts = [u.reshape(4, hidden, hidden), w.reshape(4, hidden, -1)]
    if b is not None:
        parts.append(b.reshape(4, hidden, 1))
    blocks = out.reshape(4, hidden, -1)
    start = 0
    for part in parts:
        stop = start + part.shape[2]
        for slot, gate in enumerate(_LSTM_ORDER):
            if slot:
                xp.negative(part[gate], out=blocks[slot, :, start:stop])
            else:
                blocks[slot, :, start:stop] = part[gate]
        start = stop


def _torch_rows(grad: Any, start: int, stop: int | None, xp: Any) -> Any:
    """Columns ``start:stop`` of the (4 hidden in slot order, K) weight gradient as a
    fresh (4 hidden, width) array in torch's gate order, or (4 hidden,) for the bias
    column (``stop`` None): one copy, an array of its own (the autodiff would copy a
    view again to give a parameter its gradient)."""
    hidden = grad.shape[0] // 4
    blocks = grad.reshape(4, hidden, -1)
    blocks = blocks[:, :, start] if stop is None else blocks[:, :, start:stop]
    out = xp.empty_like(grad, shape=(4 * hidden, *blocks.shape[2:]))
    for slot, gate in enumerate(_LSTM_ORDER):
        out[gate * hidden:(gate + 1) * hidden] = blocks[slot]
    return out


def lstm(x: Any, input_weight: Any, recurrent_weight: Any, bias: Any = None,
         sequences: bool = True) -> Tensor:
    """Long short-term memory, torch's formulation with one bias: gates ``i, f, g, o``
    from ``W_ih x_t + W_hh h_{t-1} + b``, ``c_t = f c_{t-1} + i g``, ``h_t = o tanh(c_t)``,
    ``h_0 = c_0 = 0``. Input (batch, time, features); returns every state (batch, time,
    hidden), or only the last one (batch, hidden) with ``sequences=False``. Weights are
    shaped and ordered as torch's (see the module docstring for how it runs)."""
    x, w, u, b = _checked(x, input_weight, recurrent_weight, bias)
    xp = array_module(x.data)
    n, steps, features = x.data.shape
    hidden = u.data.shape[1]
    width = hidden + features + (b is not None)          # K: [h; x; 1]
    rows = _buffer(x.data, (steps, width, n))            # [h_{t-1}; x_t; 1] per step
    rows[:, hidden:hidden + features] = x.data.transpose(1, 2, 0)
    if b is not None:
        rows[:, hidden + features] = 1
    acts = _buffer(rows, (steps, 6, hidden, n))
    # Small buffers, shelved with the large ones: the step weights, the weight
    # gradient, the recurrent weight's transpose in slot order, and (hidden, batch)
    # blocks for the products, the last cell and the backward's factors.
    matrices = _buffer(rows, (2, 4 * hidden, width))
    step_weights, grad = matrices
    recurrent_t = _buffer(rows, (hidden, 4 * hidden))
    blocks = _buffer(rows, (11, hidden, n))
    _step_weights(u.data, w.data, None if b is None else b.data, step_weights, xp)
    pair, last_cell = blocks[0:2], blocks[2]
    first, second = pair
    last_state = xp.empty_like(blocks[0])               # (not shelved: the output's source)
    acts[0, 0] = 0                                       # c_{-1}
    parents = (x, w, u) if b is None else (x, w, u, b)
    recording = is_grad_enabled() and any(p.requires_grad for p in parents)
    one = _constant(1.0, acts, xp)
    matmul, exp, tanh, multiply, add, subtract, divide = xp.matmul, xp.exp, xp.tanh, \
        xp.multiply, xp.add, xp.subtract, xp.divide   # (called a dozen times a step)
    with np.errstate(over="ignore"):    # e^-z is inf for z < -88 (float32): the gate is 0
        for t in range(steps):
            a = acts[t]
            gates = a[1:5]
            # the GEMM writes z for g and -z for the sigmoid gates straight into their
            # slots; the exponential turns -z into e^-z in place
            if t:
                matmul(step_weights, rows[t], out=gates.reshape(4 * hidden, n))
            else:                                         # h_{-1} = 0: the input part only
                matmul(step_weights[:, hidden:], rows[0, hidden:],
                       out=gates.reshape(4 * hidden, n))
            sig = a[2:5]
            exp(sig, sig)
            add(sig, one, sig)
            divide(one, sig, sig)                         # sigmoid(z) = 1 / (1 + e^-z)
            tanh(a[1], a[1])
            multiply(a[2:4], a[1::-1], pair)              # i g, f c_{t-1}
            c = acts[t + 1, 0] if t + 1 < steps else last_cell
            add(first, second, c)
            tc, o = a[5], a[4]
            tanh(c, tc)
            h = rows[t + 1, :hidden] if t + 1 < steps else last_state
            multiply(o, tc, h)                            # h = o tanh(c)
            if recording:   # the backward's factors, while they are in cache
                multiply(h, a[5:3:-1], pair)              # h tanh(c), h o
                subtract(o, first, tc)                    # o (1 - tanh(c)^2)
                subtract(h, second, o)                    # h (1 - o)
    if sequences:   # a copy: the rows go back to the shelf after the backward pass
        out = xp.empty_like(last_state, shape=(n, steps, hidden))
        out[:, :-1] = rows[1:, :hidden].transpose(2, 0, 1)
        out[:, -1] = last_state.T
    else:
        out = xp.ascontiguousarray(last_state.T)

    def backward(gy: Any) -> tuple[Any, ...]:
        # the output's gradient per step as (hidden, batch) blocks
        incoming = (xp.ascontiguousarray(gy.transpose(1, 2, 0)) if sequences
                    else xp.ascontiguousarray(gy.T)[None])
        direct = steps if sequences else 1
        units = u.data.reshape(4, hidden, hidden)
        for slot, gate in enumerate(_LSTM_ORDER):        # U^T: (in, slot-ordered out)
            recurrent_t[:, slot * hidden:(slot + 1) * hidden] = units[gate].T
        inner = blocks[3:7]         # dc times f, i, g, c_{t-1}
        slopes = blocks[7:10]       # 1 - g^2, i (1 - i), f (1 - f)
        summed = blocks[10]         # dh_{t-1}
        want_weights = u.requires_grad or w.requires_grad or (
            b is not None and b.requires_grad)
        if want_weights:
            grad[...] = 0
        dh = None
        for t in range(steps - 1, -1, -1):
            if t >= steps - direct:
                g = incoming[t - steps + direct]
                if dh is None:
                    dh = summed
                    dh[...] = g
                else:
                    dh += g
            a = acts[t]
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
            dz = a[1:5].reshape(4 * hidden, n)
            if want_weights:
                if t:
                    add_product(grad, dz, rows[t].T)
                else:                                     # h_{-1} = 0: input part only
                    add_product(grad[:, hidden:], dz, rows[0, hidden:].T)
            if t:
                dh = matmul(recurrent_t, dz, out=summed)
        grads: list[Any] = [None, None, None]
        if x.requires_grad:
            inputs_t = xp.empty_like(blocks[0], shape=(features, 4 * hidden))
            parts = w.data.reshape(4, hidden, features)
            for slot, gate in enumerate(_LSTM_ORDER):
                inputs_t[:, slot * hidden:(slot + 1) * hidden] = parts[gate].T
            gx = matmul(inputs_t, acts[:, 1:5].reshape(steps, 4 * hidden, n))
            grads[0] = gx.transpose(2, 0, 1)              # (batch, time, features)
        if u.requires_grad:
            grads[2] = _torch_rows(grad, 0, hidden, xp)
        if w.requires_grad:
            grads[1] = _torch_rows(grad, hidden, hidden + features, xp)
        if b is not None:
            grads.append(_torch_rows(grad, -1, None, xp) if b.requires_grad else None)
        _shelve(acts, rows, matrices, recurrent_t, blocks)  # no result is a view of them
        return tuple(grads)

    result = make_result(out, parents, backward)
    if result._node is None:   # no graph (prediction): nothing will read the buffers
        _shelve(acts, rows, matrices, recurrent_t, blocks)
    return result
