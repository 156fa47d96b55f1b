"""Strict-transfer mode: hidden device-to-host conversions fail even on the CPU."""

from __future__ import annotations

import numpy as np
import pytest

from workbench.engine import backend
from workbench.engine import functional as F
from workbench.engine.backend import ImplicitTransferError, StrictArray, strict_transfers, to_host
from workbench.engine.tensor import Parameter, Tensor


@pytest.fixture
def strict():
    with strict_transfers():
        yield


def _model_step(rng: np.random.Generator):
    """A small CNN + MLP step touching most op families; returns (loss, params)."""
    x = Tensor(backend.to_device(rng.normal(size=(4, 1, 8, 8)).astype(np.float32)))
    t = backend.to_device(np.array([0, 1, 2, 1]))
    conv_w = Parameter(rng.normal(size=(3, 1, 3, 3)).astype(np.float32))
    conv_b = Parameter(np.zeros(3, dtype=np.float32))
    w = Parameter(rng.normal(size=(3, 36)).astype(np.float32) * 0.1)
    emb = Parameter(rng.normal(size=(5, 2)).astype(np.float32))
    h = F.relu(F.conv2d(x, conv_w, conv_b, padding=1))
    h = F.max_pool2d(h, 2) + F.avg_pool2d(h, 2)
    h = F.dropout(F.flatten(h[:, :, 1:]), 0.2, True, backend.seed_rng(0))
    logits = F.linear(F.tanh(h), w) + F.embedding(t, emb).sum(axis=1, keepdims=True)
    loss = F.cross_entropy(logits, t) + F.mse_loss(F.sigmoid(logits), np.zeros((4, 3)))
    loss = loss + (logits.max(axis=1) * 0.0).mean() + F.softmax(logits)[0, 0] * 0.0
    return loss, (conv_w, conv_b, w, emb)


def test_a_training_step_runs_under_strict_transfers(strict) -> None:
    loss, params = _model_step(np.random.default_rng(0))
    assert isinstance(loss.data, StrictArray)
    loss.backward()
    for p in params:
        assert p.grad is not None
        assert np.all(np.isfinite(to_host(p.grad)))
    assert np.isfinite(loss.item())  # .item() on a Tensor is a sanctioned transfer


def test_same_values_with_and_without_strict_mode() -> None:
    plain, _ = _model_step(np.random.default_rng(1))
    with strict_transfers():
        checked, _ = _model_step(np.random.default_rng(1))
    np.testing.assert_array_equal(to_host(plain.data), to_host(checked.data))


@pytest.mark.parametrize("convert", [
    float, int, bool,
    lambda y: y.data.item(),
    lambda y: y.data.tolist(),
    lambda y: float(y.data.sum()),
    lambda y: float(y.data[0]),
    lambda y: [float(v) for v in y.data],
], ids=["float", "int", "bool", "item", "tolist", "float-of-sum", "float-of-element",
        "iteration"])
def test_implicit_conversions_raise(strict, convert) -> None:
    y = Tensor(np.array([2.0], dtype=np.float32), requires_grad=True) * 3.0
    with pytest.raises(ImplicitTransferError, match="to_host"):
        convert(y)
    assert y.item() == 6.0  # the explicit ways still work
    assert to_host(y.data).tolist() == [6.0]


def test_loss_value_needs_to_host(strict) -> None:
    loss, _ = _model_step(np.random.default_rng(2))
    with pytest.raises(ImplicitTransferError):
        float(loss)
    assert float(to_host(loss.data)) == pytest.approx(loss.item())


def test_environment_variable_switches_it_on() -> None:
    import subprocess
    import sys
    from pathlib import Path

    code = ("from workbench.engine.tensor import Tensor\n"
            "t = Tensor(1.0)\n"
            "try:\n    float(t)\n"
            "except RuntimeError as e:\n    print('refused', type(e).__name__)\n")
    root = str(Path(__file__).resolve().parents[2])
    env = {"WORKBENCH_STRICT_TRANSFERS": "1", "PATH": "", "PYTHONPATH": root}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=env, check=True)
    assert out.stdout.strip() == "refused ImplicitTransferError"


def test_off_by_default_and_restored() -> None:
    assert not backend.strict_enabled()
    with strict_transfers():
        assert backend.strict_enabled()
    assert not backend.strict_enabled()
    assert float(Tensor(1.5)) == 1.5
