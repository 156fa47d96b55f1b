"""Recording training dynamics: finding a network's layers and measuring them cheaply.

What is measured, and why it is done this way, is described in
``workbench.engine.dynamics``; this module does the measuring. ``fit_model`` asks the
recorder on every step whether the step is recorded (one integer test) and, on those
that are, calls ``forward`` (the model with each layer's output captured by a hook that
lives for that one call), ``before_update`` (gradient and weight norms, a copy of a
sample of the weights) and ``record`` (everything else, one transfer to the host).
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
        self._outputs: list[Any] = [None] * len(self.layers)
        self._held: list[Any] = self._outputs  # the outputs the next record measures
        self._grads: list[Any] = []
        self._before: list[list[Any]] = []
        self._weights: list[Any] = []
        self._weight_bins: list[tuple[int, Any]] = []
        self._edges: tuple[list[tuple[float, float]], list[tuple[float, float]]] | None = None
        self._xp = backend.array_module(self.layers[0].weights[0].data)
        self._zero = self._xp.zeros((), dtype=np.float64)
        self._nan = self._xp.full((), np.nan, dtype=np.float64)
        # Values and units in each layer's last output: what the host divides by.
        self._values = np.ones(len(self.layers))
        self._units = np.ones(len(self.layers))

    def due(self, step: int) -> bool:
        """Whether optimizer step ``step`` (counted from 1) is recorded: 1, 1 + N, ...,
        and every step up to ``record_first``."""
        return step <= self.record_first or (step - 1) % self.every == 0

    def forward(self, model: Module, x: Any) -> Tensor:
        """``model(Tensor(x))`` with each layer's output captured on the way."""
        self._outputs = [None] * len(self.layers)
        hooked: list[Module] = []
        try:
            for index, layer in enumerate(self.layers):
                module = layer.capture
                if "forward" in module.__dict__:  # two layers share one capture
                    continue
                object.__setattr__(module, "forward", self._hook(module, index))
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
        """Before clipping and the step: the squared gradient and weight norms (device
        scalars), and a copy of the evenly spaced sample of weights that the histogram
        counts and the update ratio is measured on (copying a large layer's every weight
        would cost more than the steps between two records)."""
        if self._edges is None:
            self._edges = self._choose_edges()
        self._held = self._outputs  # a later ``forward`` captures into a new list
        xp, bins = self._xp, self.dynamics.bins
        self._grads, self._before, self._weights, self._weight_bins = [], [], [], []
        for index, layer in enumerate(self.layers):
            squares = [_square(p.grad, xp) for p in layer.weights if p.grad is not None]
            self._grads.append(sum(squares) if squares else self._zero)
            self._weights.append(sum(_square(p.data, xp) for p in layer.weights))
            sample = _sample([p.data for p in layer.weights], xp, copy=True)
            self._before.append(sample)
            self._weight_bins.append((sample.size, _positions(
                sample, self._edges[1][index], bins, (2 * index + 1) * bins, xp)))

    def record(self, step: int, epoch: int, batch: int) -> None:
        """Everything about this step, computed on the device and pulled to the host in
        one transfer (twice on the first record, which also chooses the histograms'
        bins). The device work is kept to a few operations per layer (every histogram of
        the record is one ``bincount``); square roots, ratios and shares are taken on
        the host, where they cost nothing."""
        xp, bins, count = self._xp, self.dynamics.bins, len(self.layers)
        assert self._edges is not None  # chosen by before_update
        act_edges = self._edges[0]
        scalars: list[Any] = []
        positions: list[Any] = []
        sizes = np.zeros(2 * count)
        for index, layer in enumerate(self.layers):
            before = self._before[index]
            after = _sample([p.data for p in layer.weights], xp)
            scalars += [self._grads[index], _square(xp.subtract(after, before), xp),
                        _square(before, xp), self._weights[index]]
            out = self._held[index]
            if out is None or not hasattr(out, "dtype") or out.size == 0:
                scalars += [self._nan] * 4
            else:
                self._values[index] = out.size
                self._units[index] = out.shape[_unit_axis(out)] if out.ndim >= 2 else 1
                scalars += _activation_stats(out, layer.kind, xp, self._zero)
                sample = _sample([out], xp)
                sizes[2 * index] = sample.size
                positions.append(_positions(sample, act_edges[index], bins,
                                            2 * index * bins, xp))
            sizes[2 * index + 1], where = self._weight_bins[index]
            positions.append(where)
        where = xp.concatenate(positions).astype(np.int64)
        xp.maximum(where, 0, out=where)  # a NaN value (a diverging net) lands in bin 0
        counts = xp.bincount(where, minlength=2 * count * bins)
        host = backend.to_host(xp.concatenate([xp.stack(scalars).astype(np.float64),
                                               counts.astype(np.float64)]))
        # What was sent, as it came, with the sizes it is divided by: the norms, ratios
        # and shares are made when the records are read (``_finish``), not here.
        rows = np.concatenate([host[:_SENT * count].reshape(count, _SENT),
                               host[_SENT * count:].reshape(count, 2 * bins),
                               sizes.reshape(count, 2), self._values[:, None],
                               self._units[:, None]], axis=1)
        self.dynamics._append(step, epoch - 1 + (batch + 1) / self.batches, rows)
        if self._outputs is self._held:  # not captured since: let the arrays go
            self._outputs = [None] * count
        self._held = [None] * count
        self._grads, self._before, self._weights, self._weight_bins = [], [], [], []

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


def _sample(arrays: Sequence[Any], xp: Any, copy: bool = False) -> Any:
    """At most about ``HISTOGRAM_SAMPLE`` values of the arrays, every k-th of each (a
    strided view of a single array unless ``copy``)."""
    total = sum(int(a.size) for a in arrays)
    step = max(1, -(-total // HISTOGRAM_SAMPLE))
    parts = [a.reshape(-1)[::step] for a in arrays]
    if len(parts) == 1:
        return xp.array(parts[0]) if copy else parts[0]
    return xp.concatenate(parts)


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


def _activation_stats(out: Any, kind: str, xp: Any, zero: Any) -> list[Any]:
    """The sum and the sum of squares of one output (the host makes mean and std of
    them), how many values are saturated and how many units are ALIVE (the host divides
    and makes the dead share), as device scalars; ``zero`` where one does not apply."""
    flat = out.reshape(-1)
    total = flat.sum(dtype=np.float64)
    squares = xp.square(flat).sum(dtype=np.float64)
    if kind == "sigmoid":
        saturated = xp.count_nonzero(xp.abs(flat - 0.5) > SIGMOID_HIGH - 0.5)
    elif kind == "tanh":
        saturated = xp.count_nonzero(xp.abs(flat) > TANH_LIMIT)
    else:
        saturated = zero
    if kind == "relu" and out.ndim >= 2:
        others = tuple(a for a in range(out.ndim) if a != _unit_axis(out))
        alive = xp.count_nonzero((out > 0).any(axis=others))
    else:
        alive = zero
    return [total, squares, saturated, alive]


def _unit_axis(out: Any) -> int:
    """Where a layer's units are: the channels of an image, else the last axis."""
    return 1 if out.ndim == 4 else out.ndim - 1


def _positions(values: Any, edges: tuple[float, float], bins: int, offset: int,
               xp: Any) -> Any:
    """Each value's bin over ``edges`` (outside values in the outermost bins) plus
    ``offset``, as floats whose integer part is the position in one long ``bincount``."""
    low, high = edges
    scale = bins / (high - low)
    where = values.reshape(-1) * scale
    where -= low * scale - offset
    xp.maximum(where, offset, out=where)
    xp.minimum(where, offset + bins - 0.5, out=where)
    return where
