"""GELU (exact and tanh), SiLU and SELU: gradients, torch agreement, dtype, strict mode,
layers and their saved form."""

from __future__ import annotations

import numpy as np
import pytest
from torch_reference import reference

from workbench.core.errors import ParameterError
from workbench.engine import backend
from workbench.engine import functional as F
from workbench.engine import layers as L
from workbench.engine.backend import StrictArray, strict_transfers, to_host
from workbench.engine.gradcheck import gradcheck
from workbench.engine.tensor import Tensor

FUNCTIONS = {"gelu": F.gelu, "gelu_tanh": lambda x: F.gelu(x, approximate="tanh"),
             "silu": F.silu, "selu": F.selu}


def _inputs(rng, shape=(3, 5)):
    """Both signs, the tails and values near 0 (SELU's kink is kept out of reach of the
    central differences)."""
    x = rng.uniform(0.05, 4.0, size=shape) * rng.choice([-1.0, 1.0], size=shape)
    x[0, :3] = [-9.0, 7.5, 0.3]
    return x


@pytest.mark.parametrize("name", list(FUNCTIONS))
def test_smooth_activation_gradcheck(rng, name) -> None:
    gradcheck(FUNCTIONS[name], [_inputs(rng)])


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_smooth_activations_match_torch(rng, dtype) -> None:
    """Against torch in float64; float32 results against the same float64 reference
    (torch's own float32 GELU loses digits in the negative tail, ours does not)."""
    x = _inputs(rng, (6, 7)).astype(dtype)
    x[1, :4] = [-30.0, 30.0, 0.0, -1e-3]
    weights = {name: rng.normal(size=x.shape).astype(dtype) for name in FUNCTIONS}

    def torch_results():
        import torch

        tf = torch.nn.functional
        functions = {"gelu": tf.gelu, "gelu_tanh": lambda t: tf.gelu(t, approximate="tanh"),
                     "silu": tf.silu, "selu": tf.selu}
        results = {}
        for name, fn in functions.items():
            tx = torch.tensor(x.astype(np.float64), requires_grad=True)
            out = fn(tx)
            (out * torch.tensor(weights[name].astype(np.float64))).sum().backward()
            results[name] = out
            results[f"{name}_grad"] = tx.grad
        return results

    theirs = reference(f"smooth_activations_{np.dtype(dtype).name}", torch_results)
    tol = {"rtol": 1e-12, "atol": 1e-14} if dtype == np.float64 else {"rtol": 1e-5,
                                                                     "atol": 1e-6}
    for name, fn in FUNCTIONS.items():
        ours = Tensor(x, requires_grad=True)
        out = fn(ours)
        assert out.dtype == dtype
        np.testing.assert_allclose(to_host(out.data), theirs[name], **tol, err_msg=name)
        (out * weights[name]).sum().backward()
        assert ours.grad.dtype == dtype
        np.testing.assert_allclose(to_host(ours.grad), theirs[f"{name}_grad"], **tol,
                                   err_msg=name)


def test_hand_computed_values() -> None:
    x = np.array([-1.0, 0.0, 1.0])
    np.testing.assert_allclose(to_host(F.gelu(x).data),
                               [-0.15865525393145707, 0.0, 0.8413447460685429])
    np.testing.assert_allclose(to_host(F.silu(x).data), [-0.2689414213699951, 0.0,
                                                          0.7310585786300049])
    np.testing.assert_allclose(to_host(F.selu(x).data), [-1.1113307378125628, 0.0,
                                                          1.0507009873554805])


def test_gelu_refuses_an_unknown_approximation() -> None:
    with pytest.raises(ParameterError, match="'none' or 'tanh'"):
        F.gelu(np.zeros(2), approximate="fast")
    with pytest.raises(ParameterError, match="'none' or 'tanh'"):
        L.GELU("erf")


@pytest.mark.parametrize("name", list(FUNCTIONS))
def test_smooth_activations_run_under_strict_transfers(rng, name) -> None:
    with strict_transfers():
        x = Tensor(backend.to_device(_inputs(rng).astype(np.float32)), requires_grad=True)
        y = FUNCTIONS[name](x)
        assert isinstance(y.data, StrictArray)
        y.sum().backward()
        assert isinstance(x.grad, StrictArray)


@pytest.mark.parametrize("layer", [L.GELU(), L.GELU("tanh"), L.SiLU(), L.SELU()])
def test_activation_layers_rebuild_from_their_description(rng, layer) -> None:
    x = _inputs(rng)
    copy = L.build_module(L.module_spec(layer))
    assert type(copy) is type(layer)
    np.testing.assert_array_equal(to_host(copy(x).data), to_host(layer(x).data))
