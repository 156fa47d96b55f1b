"""The layers and options added for issue 20, run where the engine runs: on the ``xp``
device (CuPy where a GPU answers, marked ``gpu``) in float32, and under strict transfers.

Each case builds its inputs from the same host values on both sides and runs a forward
and a backward pass; float32 on the device must agree with float64 on NumPy, every
gradient must stay on the device in float32, and no step may pull an array to the host
behind the engine's back. The float64 gradient checks and torch comparisons of each op
live in its own test module; this one is about where and in what precision they run.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Any

import numpy as np
import pytest

from workbench.engine import functional as F
from workbench.engine import layers as L
from workbench.engine.backend import strict_transfers, to_device, to_host
from workbench.engine.tensor import Tensor

Case = Callable[[str, Any], tuple[Tensor, list[Tensor]]]


def _values(shape: tuple[int, ...], seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).normal(size=shape)


def _input(shape: tuple[int, ...], device: str, dtype: Any, seed: int = 0) -> Tensor:
    return Tensor(to_device(_values(shape, seed).astype(dtype), device), requires_grad=True)


def _layer(make: Callable[..., L.Module], device: str, dtype: Any) -> L.Module:
    """The layer built on ``device`` with the weights of a seeded host float64 twin, so
    both sides start from the same numbers whatever the device's generator draws."""
    reference = make(device="cpu", dtype=np.float64)
    layer = make(device=device, dtype=dtype)
    layer.load_state_dict(reference.state_dict())
    return layer


def _through(make: Callable[..., L.Module], shape: tuple[int, ...], train: bool = True
             ) -> Case:
    def case(device: str, dtype: Any) -> tuple[Tensor, list[Tensor]]:
        layer = _layer(make, device, dtype).train(train)
        x = _input(shape, device, dtype)
        out = layer(x)
        weights = Tensor(to_device(_values(out.shape, 1).astype(dtype), device))
        return (out * weights).sum(), [x, *layer.parameters()]
    return case


def _activation(fn: Callable[[Any], Tensor]) -> Case:
    def case(device: str, dtype: Any) -> tuple[Tensor, list[Tensor]]:
        x = _input((5, 7), device, dtype)
        return (fn(x) * x).sum(), [x]
    return case


def _loss(fn: Callable[[Tensor, Any], Tensor]) -> Case:
    def case(device: str, dtype: Any) -> tuple[Tensor, list[Tensor]]:
        x = _input((6, 4), device, dtype)
        target = to_device(_values((6, 4), 2).astype(dtype), device)
        return fn(x, target), [x]
    return case


def _cross_entropy(**options: Any) -> Case:
    def case(device: str, dtype: Any) -> tuple[Tensor, list[Tensor]]:
        logits = _input((6, 5), device, dtype)
        target = to_device(np.array([0, 4, 2, -100, 1, 3]), device)
        return F.cross_entropy(logits, target, **options), [logits]
    return case


def _embedding(device: str, dtype: Any) -> tuple[Tensor, list[Tensor]]:
    layer = _layer(lambda **kw: L.Embedding(6, 3, padding_idx=0, rng=0, **kw), device, dtype)
    tokens = to_device(np.array([[0, 1, 5], [2, 0, 0]]), device)
    out = layer(tokens)
    weights = Tensor(to_device(_values(out.shape, 1).astype(dtype), device))
    return (out * weights).sum(), layer.parameters()


CASES: dict[str, Case] = {
    "batch_norm dense, training": _through(lambda **kw: L.BatchNorm(4, **kw), (8, 4)),
    "batch_norm conv, training": _through(lambda **kw: L.BatchNorm(3, **kw), (4, 3, 5, 5)),
    "batch_norm, evaluation": _through(lambda **kw: L.BatchNorm(3, **kw), (4, 3, 5, 5),
                                       train=False),
    "layer_norm": _through(lambda **kw: L.LayerNorm(6, **kw), (3, 4, 6)),
    "conv1d": _through(lambda **kw: L.Conv1D(4, 6, 3, padding=1, rng=0, **kw), (2, 4, 9)),
    "conv1d dilated, grouped": _through(
        lambda **kw: L.Conv1D(4, 6, 3, padding=2, dilation=2, groups=2, rng=0, **kw),
        (2, 4, 9)),
    "conv2d dilated, grouped": _through(
        lambda **kw: L.Conv2D(4, 4, 3, padding=2, dilation=2, groups=4, rng=0, **kw),
        (2, 4, 7, 7)),
    "max_pool1d": _through(lambda **kw: L.MaxPool1D(3, stride=2, padding=1), (2, 4, 9)),
    "avg_pool1d": _through(lambda **kw: L.AvgPool1D(2), (2, 4, 9)),
    "SimpleRNN": _through(lambda **kw: L.SimpleRNN(5, 4, return_sequences=True, rng=0, **kw),
                          (3, 6, 5)),
    "LSTM": _through(lambda **kw: L.LSTM(5, 4, return_sequences=True, rng=0, **kw), (3, 6, 5)),
    "GRU": _through(lambda **kw: L.GRU(5, 4, rng=0, **kw), (3, 6, 5)),
    "gelu": _activation(F.gelu),
    "gelu tanh": _activation(lambda x: F.gelu(x, approximate="tanh")),
    "silu": _activation(F.silu),
    "selu": _activation(F.selu),
    "l1_loss": _loss(F.l1_loss),
    "smooth_l1_loss": _loss(lambda x, t: F.smooth_l1_loss(x, t, beta=0.5)),
    "cross_entropy label smoothing": _cross_entropy(label_smoothing=0.1),
    "cross_entropy ignore_index": _cross_entropy(ignore_index=-100),
    "embedding padding_idx": _embedding,
}


def _device(xp: ModuleType) -> str:
    return "cpu" if xp is np else "gpu"


def _run(case: Case, device: str, dtype: Any) -> tuple[Any, list[Any]]:
    loss, tensors = case(device, dtype)
    loss.backward()
    return loss.data, [t.grad for t in tensors]


@pytest.mark.parametrize("name", CASES)
def test_float32_on_the_device_agrees_with_float64(xp, name: str) -> None:
    value, grads = _run(CASES[name], _device(xp), np.float32)
    expected, expected_grads = _run(CASES[name], "cpu", np.float64)
    assert isinstance(value, xp.ndarray) and value.dtype == np.float32
    np.testing.assert_allclose(to_host(value), to_host(expected), rtol=2e-4, atol=2e-5)
    for grad, reference in zip(grads, expected_grads, strict=True):
        assert isinstance(grad, xp.ndarray), f"{name}: a gradient left the device"
        assert grad.dtype == np.float32, f"{name}: a gradient became {grad.dtype}"
        np.testing.assert_allclose(to_host(grad), to_host(reference), rtol=2e-3, atol=2e-4)


@pytest.mark.parametrize("name", CASES)
def test_runs_under_strict_transfers(name: str) -> None:
    with strict_transfers():
        value, grads = _run(CASES[name], "cpu", np.float32)
    plain, plain_grads = _run(CASES[name], "cpu", np.float32)
    np.testing.assert_array_equal(to_host(value), to_host(plain))
    for grad, reference in zip(grads, plain_grads, strict=True):
        np.testing.assert_array_equal(to_host(grad), to_host(reference))
