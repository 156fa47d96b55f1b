"""Activations and the softmax family: values, stability, gradients, torch agreement."""

from __future__ import annotations

import numpy as np
import pytest
from torch_reference import reference

from workbench.engine import functional as F
from workbench.engine.backend import to_host
from workbench.engine.gradcheck import gradcheck
from workbench.engine.tensor import Tensor


def away_from_kinks(rng, shape):
    """Values with |x| >= 0.1, so central differences never straddle relu's kink."""
    x = rng.uniform(0.1, 2.0, size=shape)
    return x * rng.choice([-1.0, 1.0], size=shape)


@pytest.mark.parametrize("fn", [F.relu, F.sigmoid, F.tanh, F.softplus,
                                lambda x: F.leaky_relu(x, 0.2), lambda x: F.elu(x, 0.7),
                                lambda x: F.elu(x, 2.5), lambda x: F.leaky_relu(x, 1.5)])
def test_activation_gradcheck(rng, fn) -> None:
    gradcheck(fn, [away_from_kinks(rng, (3, 5))])


@pytest.mark.parametrize("dim", [-1, 0, 1])
def test_softmax_family_gradcheck(rng, dim) -> None:
    x = rng.normal(size=(3, 4, 2))
    gradcheck(lambda a: F.softmax(a, dim=dim), [x])
    gradcheck(lambda a: F.log_softmax(a, dim=dim), [x])
    gradcheck(lambda a: F.logsumexp(a, axis=dim), [x])


def test_hand_computed_values() -> None:
    x = np.array([-2.0, 0.0, 3.0])
    np.testing.assert_allclose(F.relu(x).data, [0, 0, 3])
    np.testing.assert_allclose(F.leaky_relu(x, 0.1).data, [-0.2, 0, 3])
    np.testing.assert_allclose(F.elu(x).data, [np.exp(-2) - 1, 0, 3])
    np.testing.assert_allclose(F.sigmoid(x).data, 1 / (1 + np.exp(-x)), rtol=1e-12)
    np.testing.assert_allclose(F.softmax(np.log([1.0, 3.0])).data, [0.25, 0.75])
    np.testing.assert_array_equal(F.step(x).data, [0, 0, 1])


def test_extreme_inputs_stay_finite() -> None:
    x = np.array([[-1000.0, 0.0, 1000.0]], dtype=np.float32)
    for fn in (F.sigmoid, F.softmax, F.log_softmax, F.softplus, F.tanh, F.elu):
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            y = fn(Tensor(x, requires_grad=True))
            y.backward(np.ones_like(x))
        assert np.all(np.isfinite(y.data)), fn
    np.testing.assert_allclose(F.sigmoid(x).data, [[0, 0.5, 1]])


def test_float32_stays_float32(xp) -> None:
    x = Tensor(xp.asarray([[0.5, -1.0]], dtype=xp.float32), requires_grad=True)
    for fn in (F.relu, F.sigmoid, F.tanh, F.softmax, F.log_softmax, F.elu,
               lambda a: F.leaky_relu(a, 0.1)):
        y = fn(x)
        assert y.dtype == np.float32
        y.sum().backward()
        assert x.grad.dtype == np.float32
        x.zero_grad()


def test_matches_torch(rng) -> None:
    x = rng.normal(size=(4, 6)).astype(np.float32)

    def torch_results():
        import torch

        tf = torch.nn.functional
        tx = torch.tensor(x)
        return {"relu": tf.relu(tx), "sigmoid": torch.sigmoid(tx), "tanh": torch.tanh(tx),
                "elu": tf.elu(tx, 0.5), "leaky_relu": tf.leaky_relu(tx, 0.3),
                "softplus": tf.softplus(tx), "softmax": tf.softmax(tx, 0),
                "log_softmax": tf.log_softmax(tx, -1)}

    theirs = reference("activations", torch_results)
    ours = {"relu": F.relu(x), "sigmoid": F.sigmoid(x), "tanh": F.tanh(x),
            "elu": F.elu(x, 0.5), "leaky_relu": F.leaky_relu(x, 0.3),
            "softplus": F.softplus(x), "softmax": F.softmax(x, 0),
            "log_softmax": F.log_softmax(x)}
    for name, result in ours.items():
        np.testing.assert_allclose(to_host(result.data), theirs[name], rtol=1e-5, atol=1e-6,
                                   err_msg=name)
