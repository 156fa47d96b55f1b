"""Recording training dynamics: finding a network's layers and measuring them cheaply.

What is measured, and why it is done this way, is described in
``workbench.engine.dynamics``; this module does the measuring. ``fit_model`` asks the
recorder on every step whether the step is recorded (one integer test) and, on those
that are, calls ``forward`` (the model with each layer's output captured by a hook that
lives for that one call), ``before_update`` (activation statistics, gradient and weight
norms, copies of the activation and weight samples) and ``record`` (the step, the
histograms, one transfer to the host).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from workbench.core.errors import ParameterError
from workbench.engine import backend
from workbench.engine.dynamics import (
    _SENT,
    HISTOGRAM_SAMPLE,
    SIGMOID_HIGH,
    TANH_LIMIT,
    TrainingDynamics,
)
from workbench.engine.layers.activation import (
    ELU,
    LeakyReLU,
    LogSoftmax,
    ReLU,
    Sigmoid,
    Softmax,
    Tanh,
)
from workbench.engine.layers.base import Module
from workbench.engine.layers.recurrent import SimpleRNN
from workbench.engine.layers.sequential import Sequential
from workbench.engine.tensor import Tensor

# What an activation module that directly follows a layer makes of its output.
_ACTIVATIONS: dict[type, str] = {Sigmoid: "sigmoid", Tanh: "tanh", ReLU: "relu",
                                 LeakyReLU: "leaky_relu", ELU: "elu", Softmax: "softmax",
                                 LogSoftmax: "log_softmax"}

# Sample layouts kept per recorder: one or two in a plain run (the last batch of an epoch
# is smaller); a network whose output size changes from batch to batch makes a new one
# per size, and past this many all are let go (and made again as sizes come back).
_LAYOUTS_KEPT = 8


# Finding the layers -----------------------------------------------------------------------
@dataclass
class _Layer:
    path: str
    module: Module
    capture: Module  # the module whose output is the layer's output (its activation)
    kind: str
    weights: list[Any]
    name: str = ""


def find_layers(model: Module) -> list[_Layer]:
    """Every module with parameters of its own, in registration (= forward) order, each
    with the module whose output stands for it (the activation right after it in a
    ``Sequential``, else itself) and that activation's kind."""
    found: list[_Layer] = []

    def walk(module: Module, path: str) -> None:
        children = list(module.named_children())
        for index, (name, child) in enumerate(children):
            child_path = f"{path}.{name}" if path else name
            own = _own_parameters(child)
            if own:
                capture, kind = child, _own_kind(child)
                if isinstance(module, Sequential) and index + 1 < len(children):
                    after = children[index + 1][1]
                    if type(after) in _ACTIVATIONS:
                        capture, kind = after, _ACTIVATIONS[type(after)]
                weights = [p for n, p in own if not n.startswith("bias")] or [
                    p for _, p in own]
                found.append(_Layer(child_path, child, capture, kind, weights))
            walk(child, child_path)

    own = _own_parameters(model)
    if own:
        weights = [p for n, p in own if not n.startswith("bias")] or [p for _, p in own]
        found.append(_Layer("", model, model, _own_kind(model), weights))
    walk(model, "")
    for position, layer in enumerate(found, start=1):
        shape = _shape(layer.module)
        layer.name = " ".join(part for part in (str(position), type(layer.module).__name__,
                                                shape, layer.kind) if part)
    return found


def _own_parameters(module: Module) -> list[tuple[str, Any]]:
    """The parameters a module holds itself (not its sub-modules'), by name."""
    return [(name, p) for name, p in module.named_parameters() if "." not in name]


def _own_kind(module: Module) -> str:
    return "tanh" if isinstance(module, SimpleRNN) else ""


def _shape(module: Module) -> str:
    """A short size label: "784-64" for a dense or recurrent layer, "1-6 5x5" for a
    convolution, "5000x32" for an embedding."""
    pairs = (("in_features", "out_features"), ("input_size", "hidden_size"),
             ("in_channels", "out_channels"))
    for a, b in pairs:
        if hasattr(module, a) and hasattr(module, b):
            label = f"{getattr(module, a)}-{getattr(module, b)}"
            kernel = getattr(module, "kernel_size", None)
            if isinstance(kernel, tuple):
                label += " " + "x".join(str(k) for k in kernel)
            return label
    if hasattr(module, "num_embeddings") and hasattr(module, "embedding_dim"):
        return f"{module.num_embeddings}x{module.embedding_dim}"
    return ""


# Recording --------------------------------------------------------------------------------
class DynamicsRecorder:
    """Drives one training run's records: ``due(step)`` says whether a step is recorded;
    on such a step the loop calls ``forward`` instead of the model, ``before_update``
    between ``backward()`` and the optimizer, and ``record`` after the optimizer.

    Full-batch L-BFGS drives it across iterations instead (``step_unit`` "iteration"):
    the activations and gradient of record k come from the evaluation at the point
    iteration k starts from, and its step is known only when the iteration ends, after
    more evaluations; ``before_update`` therefore keeps the outputs captured so far, and
    ``record`` measures those, whatever ``forward`` captured in between.

    A record is a few dozen array operations, whatever the number of layers where it
    can be: a record between two steps of a small network costs about as much as the
    array calls it makes, so the samples of every layer are copied into one buffer made
    once (weights and activations side by side, in the weights' float type, as the
    values themselves would be binned), binned there by one
    vectorised expression with per-value scales and counted by one ``bincount``. What
    needs each layer's own array (norms, activation statistics) is a call or two per
    layer.
    """

    def __init__(self, dynamics: TrainingDynamics, model: Module,
                 batches_per_epoch: int, *, step_unit: str = "batch",
                 record_first: int = 0) -> None:
        self.dynamics = dynamics
        self.every = dynamics.every
        self.record_first = int(record_first)
        self.batches = max(int(batches_per_epoch), 1)
        self.layers = find_layers(model)
        if not self.layers:
            raise ParameterError("the model has no layers with parameters to record")
        dynamics._start(self.layers, step_unit)
        count = len(self.layers)
        self._outputs: list[Any] = [None] * count
        self._held: list[Any] = self._outputs  # the outputs the next record measures
        self._edges: tuple[list[tuple[float, float]], list[tuple[float, float]]] | None = None
        xp = self._xp = backend.array_module(self.layers[0].weights[0].data)
        # The hooks are made once; ``forward`` only puts them in place for its call.
        seen: set[int] = set()
        self._hooks: list[tuple[Module, Any]] = []
        for index, layer in enumerate(self.layers):
            if id(layer.capture) not in seen:  # two layers share one capture: the first
                seen.add(id(layer.capture))
                self._hooks.append((layer.capture, self._hook(layer.capture, index)))
        # Where each layer's weight sample lies in the buffers: every k-th weight of each
        # of its arrays (k for all of them together), one run per array.
        self._weight_runs: list[tuple[int, int, int, int]] = []  # layer, array, start, k
        weight_sizes = np.zeros(count, dtype=np.int64)
        start = 0
        for index, layer in enumerate(self.layers):
            step = _sample_step(sum(int(p.data.size) for p in layer.weights))
            for number, p in enumerate(layer.weights):
                self._weight_runs.append((index, number, start, step))
                start += -(-int(p.data.size) // step)
            weight_sizes[index] = start - int(weight_sizes.sum())
        self._weight_sizes = weight_sizes
        self._w = start  # weights sampled per record, all layers
        # [step taken (w) | weights before it (w) | activation samples]: the weights
        # before and the activations are binned in one go.
        self._dtype = self.layers[0].weights[0].data.dtype
        self._buffer = xp.empty(2 * self._w, dtype=self._dtype)
        ends = np.cumsum(weight_sizes)
        self._weight_spans = [(int(e - n), int(e)) for e, n in zip(ends, weight_sizes,
                                                                   strict=True)]
        # Device scalars sent per record, one column per layer (``_SENT`` rows).
        self._sent = xp.zeros((_SENT, count), dtype=np.float64)
        self._layouts: dict[tuple[int, ...], _Layout] = {}
        self._held_layout: _Layout | None = None  # the held outputs' (before_update)
        # Values and units in each layer's last output: what the host divides by.
        self._values = np.ones(count)
        self._units = np.ones(count)

    def due(self, step: int) -> bool:
        """Whether optimizer step ``step`` (counted from 1) is recorded: 1, 1 + N, ...,
        and every step up to ``record_first``."""
        return step <= self.record_first or (step - 1) % self.every == 0

    def forward(self, model: Module, x: Any) -> Tensor:
        """``model(Tensor(x))`` with each layer's output captured on the way."""
        self._outputs = [None] * len(self.layers)
        hooked: list[Module] = []
        try:
            for module, hook in self._hooks:
                if "forward" in module.__dict__:
                    continue
                object.__setattr__(module, "forward", hook)
                hooked.append(module)
            return model(Tensor(x))
        finally:
            for module in hooked:
                del module.__dict__["forward"]

    def _hook(self, module: Module, index: int) -> Any:
        original = type(module).forward.__get__(module)

        def forward(*inputs: Any, **kwargs: Any) -> Any:
            out = original(*inputs, **kwargs)
            self._outputs[index] = out.data if isinstance(out, Tensor) else out
            return out
        return forward

    def before_update(self) -> None:
        """Before clipping and the step: the activation statistics and sample, the
        squared gradient and weight norms (device values), and a copy of the evenly
        spaced sample of weights that the histogram counts and the update ratio is
        measured on (copying a large layer's every weight would cost more than the steps
        between two records). The activations come first: the backward pass has just
        read them, so they are still in the cache, where the optimizer's step would
        push them out."""
        if self._edges is None:
            self._edges = self._choose_edges()
        self._held = self._outputs  # a later ``forward`` captures into a new list
        xp, sent = self._xp, self._sent  # slices assigned: see ``_activation_stats``
        outputs = [out if out is not None and hasattr(out, "dtype") and out.size else None
                   for out in self._held]
        layout = self._held_layout = self._layout(outputs)
        buffer = self._buffer
        if buffer.size < layout.size:
            buffer = self._buffer = xp.concatenate(
                [buffer, xp.empty(layout.size - buffer.size, dtype=self._dtype)])
        for index, out in enumerate(outputs):
            if out is None:
                sent[4:, index] = np.nan
                continue
            self._values[index] = out.size
            self._units[index] = out.shape[_unit_axis(out)] if out.ndim >= 2 else 1
            _activation_stats(out, self.layers[index].kind, xp, sent[4:, index])
            start, size, every = layout.samples[index]
            xp.copyto(buffer[start:start + size], out.reshape(-1)[::every])
        for index, layer in enumerate(self.layers):
            grads = [_square(p.grad, xp) for p in layer.weights if p.grad is not None]
            sent[0, index:index + 1] = sum(grads[1:], grads[0]) if grads else 0.0
            squares = [_square(p.data, xp) for p in layer.weights]
            sent[3, index:index + 1] = sum(squares[1:], squares[0])
        before = buffer[self._w:2 * self._w]
        for index, number, start, step in self._weight_runs:
            values = self.layers[index].weights[number].data.reshape(-1)[::step]
            xp.copyto(before[start:start + values.size], values)

    def record(self, step: int, epoch: int, batch: int) -> None:
        """Everything about this step, computed on the device and pulled to the host in
        one transfer (twice on the first record, which also chooses the histograms'
        bins). Square roots, ratios and shares are taken on the host when the records
        are read, where they cost nothing during training."""
        xp, sent, count, w = self._xp, self._sent, len(self.layers), self._w
        layout, buffer = self._held_layout, self._buffer
        assert layout is not None  # made by before_update
        moved = buffer[:w]  # after the step, then the step itself
        for index, number, start, step_ in self._weight_runs:
            values = self.layers[index].weights[number].data.reshape(-1)[::step_]
            xp.copyto(moved[start:start + values.size], values)
        xp.subtract(moved, buffer[w:2 * w], out=moved)
        # The squared norms of the step and of the weights before it, per layer.
        for index, (start, stop) in enumerate(self._weight_spans):
            sent[1, index:index + 1] = _square(moved[start:stop], xp)
            sent[2, index:index + 1] = _square(buffer[w + start:w + stop], xp)
        # Each sampled value's bin, as a float whose integer part is its position in
        # one long ``bincount`` (outside values in the outermost bins).
        # (fmax and fmin, not clip, which is several times slower, nor maximum and
        # minimum: fmax puts a NaN value, from a diverging net, in its histogram's bin 0.)
        where = xp.multiply(buffer[w:layout.size], layout.scale)
        where -= layout.shift
        xp.fmax(where, layout.low, out=where)
        xp.fmin(where, layout.high, out=where)
        counts = xp.bincount(where.astype(np.int64),
                             minlength=2 * count * self.dynamics.bins)
        host = backend.to_host(xp.concatenate([sent.reshape(-1), counts]))
        # What was sent, as it came, with the sizes it is divided by: the norms, ratios
        # and shares are made when the records are read (``_finish``), not here.
        rows = np.concatenate([host[:_SENT * count].reshape(_SENT, count).T,
                               host[_SENT * count:].reshape(count, -1), layout.sizes,
                               self._values[:, None], self._units[:, None]], axis=1)
        self.dynamics._append(step, epoch - 1 + (batch + 1) / self.batches, rows)
        if self._outputs is self._held:  # not captured since: let the arrays go
            self._outputs = [None] * count
        self._held = [None] * count
        self._held_layout = None

    def _layout(self, outputs: Sequence[Any]) -> _Layout:
        """Where each layer's activation sample goes for outputs of these sizes, and each
        sampled value's bin scale (made once per set of sizes: the last, smaller batch
        of an epoch has its own)."""
        key = tuple(0 if out is None else int(out.size) for out in outputs)
        layout = self._layouts.get(key)
        if layout is not None:
            return layout
        if len(self._layouts) >= _LAYOUTS_KEPT:  # outputs whose size changes every batch
            self._layouts.clear()
        assert self._edges is not None
        act_edges, weight_edges = self._edges
        bins, count, w = self.dynamics.bins, len(self.layers), self._w
        # Per sampled value, in buffer order from ``w``: weights, then activations.
        parts: list[tuple[int, tuple[float, float], int]] = [
            (int(self._weight_sizes[index]), weight_edges[index], (2 * index + 1) * bins)
            for index in range(count)]
        samples: list[tuple[int, int, int]] = []
        start = 2 * w
        sizes = np.zeros((count, 2))
        sizes[:, 1] = self._weight_sizes
        for index, size in enumerate(key):
            every = _sample_step(size) if size else 1
            taken = -(-size // every)
            samples.append((start, taken, every))
            parts.append((taken, act_edges[index], 2 * index * bins))
            sizes[index, 0] = taken
            start += taken
        lengths = [n for n, _, _ in parts]
        scale, shift, low, high = (np.repeat(column, lengths) for column in zip(
            *(_bin_scale(edges, offset, bins) for _, edges, offset in parts), strict=True))
        xp = self._xp
        scale, shift, low, high = (xp.asarray(v, dtype=self._dtype)
                                   for v in (scale, shift, low, high))
        layout = _Layout(start, samples, sizes, scale, shift, low, high)
        self._layouts[key] = layout
        return layout

    def _choose_edges(self) -> tuple[list[tuple[float, float]], list[tuple[float, float]]]:
        """Fixed bins per layer from the first record (one extra transfer, once)."""
        xp = backend.array_module(self.layers[0].weights[0].data)
        probes: list[Any] = []
        for index, layer in enumerate(self.layers):
            out = self._outputs[index]
            if out is None or not hasattr(out, "dtype") or out.size == 0:
                probes += [xp.zeros((), dtype=np.float64)] * 2
            else:
                probes += [out.min().astype(np.float64), out.max().astype(np.float64)]
            probes.append(xp.max(xp.stack([xp.abs(p.data).max().astype(np.float64)
                                           for p in layer.weights])))
        values = backend.to_host(xp.stack(probes)).reshape(len(self.layers), 3)
        act, weight = [], []
        for layer, (low, high, largest) in zip(self.layers, values, strict=True):
            act.append(_activation_range(layer.kind, float(low), float(high)))
            reach = 2.0 * float(largest) if largest > 0 else 1.0
            weight.append((-reach, reach))
        bins = self.dynamics.bins
        self.dynamics._set_edges(np.array([np.linspace(a, b, bins + 1) for a, b in act]),
                                 np.array([np.linspace(a, b, bins + 1) for a, b in weight]))
        return act, weight



@dataclass
class _Layout:
    """Where a record's samples lie in the recorder's buffer for one set of output sizes,
    and what bins each sampled value (weights first, then activations) falls in."""
    size: int  # the buffer's used length
    samples: list[tuple[int, int, int]]  # per layer: start, values, every k-th of the output
    sizes: np.ndarray  # (layers, 2): values sampled of the output and of the weights
    scale: Any
    shift: Any
    low: Any
    high: Any


def _sample_step(total: int) -> int:
    """Every k-th value is sampled: at most about ``HISTOGRAM_SAMPLE`` of ``total``."""
    return max(1, -(-total // HISTOGRAM_SAMPLE))


def _bin_scale(edges: tuple[float, float], offset: int, bins: int
               ) -> tuple[float, float, float, float]:
    """For values binned over ``edges`` at ``offset`` in one long ``bincount``: the scale
    and shift that make a value's position (``value * scale - shift``, its integer part
    the bin) and the lowest and highest positions (outside values land in the outermost
    bins)."""
    low, high = edges
    scale = bins / (high - low)
    return scale, low * scale - offset, float(offset), offset + bins - 0.5


def _square(a: Any, xp: Any) -> Any:
    flat = a.reshape(-1)
    return xp.vdot(flat, flat)  # stacked with float64 values later: no cast here


def _activation_range(kind: str, low: float, high: float) -> tuple[float, float]:
    if kind == "sigmoid":
        return 0.0, 1.0
    if kind == "tanh":
        return -1.0, 1.0
    if not (math.isfinite(low) and math.isfinite(high)):
        return -1.0, 1.0
    if kind == "relu":
        return 0.0, 2.0 * high if high > 0 else 1.0
    span = high - low
    if span <= 0:
        return low - 1.0, high + 1.0
    return low - span / 2, high + span / 2


def _activation_stats(out: Any, kind: str, xp: Any, target: Any) -> None:
    """Into ``target`` (four device values): the sum and the sum of squares of one
    output (the host makes mean and std of them), how many values are saturated and how
    many units are ALIVE (the host divides and makes the dead share); 0 where one does
    not apply. (Slices are assigned, not elements: a device value goes in as an array,
    never through a host scalar.)"""
    flat = out.reshape(-1)
    target[0:1] = flat.sum(dtype=np.float64)
    target[1:2] = xp.square(flat).sum(dtype=np.float64)
    if kind == "sigmoid":
        target[2:3] = xp.count_nonzero(xp.abs(flat - 0.5) > SIGMOID_HIGH - 0.5)
    elif kind == "tanh":
        target[2:3] = xp.count_nonzero(xp.abs(flat) > TANH_LIMIT)
    else:
        target[2:3] = 0.0
    if kind == "relu" and out.ndim >= 2:
        others = tuple(a for a in range(out.ndim) if a != _unit_axis(out))
        target[3:4] = xp.count_nonzero((out > 0).any(axis=others))
    else:
        target[3:4] = 0.0


def _unit_axis(out: Any) -> int:
    """Where a layer's units are: the channels of an image, else the last axis."""
    return 1 if out.ndim == 4 else out.ndim - 1
