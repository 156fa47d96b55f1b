"""Module plumbing: registration order, modes, state dicts, specs; Dense, Dropout, Embedding."""

from __future__ import annotations

import numpy as np
import pytest

from workbench.core.errors import ParameterError
from workbench.engine import layers as L
from workbench.engine.backend import to_host
from workbench.engine.tensor import Tensor


def test_parameters_are_registered_in_assignment_order_with_dotted_names():
    model = L.Sequential(L.Dense(3, 4, rng=0), L.Tanh(), L.Dense(4, 2, bias=False, rng=1))
    names = [name for name, _ in model.named_parameters()]
    assert names == ["0.weight", "0.bias", "2.weight"]
    assert [p.shape for p in model.parameters()] == [(4, 3), (4,), (2, 4)]
    assert len(model) == 3 and isinstance(model[1], L.Tanh)


def test_train_and_eval_reach_every_sub_module():
    model = L.Sequential(L.Dense(2, 2, rng=0), L.Sequential(L.Dropout(0.5)))
    model.eval()
    assert not any(m.training for m in model.modules())
    model.train()
    assert all(m.training for m in model.modules())


def test_state_dict_round_trip_keeps_parameter_objects():
    a = L.Dense(3, 2, rng=0)
    b = L.Dense(3, 2, rng=1)
    weight_object = b.weight
    b.load_state_dict(a.state_dict())
    assert b.weight is weight_object
    np.testing.assert_array_equal(to_host(b.weight.data), to_host(a.weight.data))


def test_state_dict_mismatch_names_the_problem():
    model = L.Dense(3, 2, rng=0)
    with pytest.raises(ParameterError, match="missing \\['bias'\\]"):
        model.load_state_dict({"weight": np.zeros((2, 3))})
    with pytest.raises(ParameterError, match="'weight' has shape \\(3, 3\\)"):
        model.load_state_dict({"weight": np.zeros((3, 3)), "bias": np.zeros(2)})


def test_spec_round_trip_rebuilds_the_same_architecture():
    model = L.Sequential(L.Dense(5, 3, init="he_uniform", rng=0), L.LeakyReLU(0.2),
                         L.Dense(3, 1, init="sigmoid_uniform", rng=0), L.Sigmoid())
    rebuilt = L.build_module(L.module_spec(model))
    assert L.module_spec(rebuilt) == L.module_spec(model)
    assert rebuilt[1].negative_slope == 0.2


def test_build_module_refuses_unknown_types_and_bad_settings():
    with pytest.raises(ParameterError, match="unknown layer type"):
        L.build_module({"type": "Evil", "config": {}})
    with pytest.raises(ParameterError, match="bad settings"):
        L.build_module({"type": "Dense", "config": {"in_features": 2, "colour": "red"}})


def test_dense_computes_x_w_transposed_plus_b_and_its_gradients():
    layer = L.Dense(3, 2, rng=0)
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    out = layer(Tensor(x))
    w, b = to_host(layer.weight.data), to_host(layer.bias.data)
    np.testing.assert_allclose(to_host(out.data), x @ w.T + b, rtol=1e-6)
    out.sum().backward()
    np.testing.assert_allclose(to_host(layer.weight.grad), np.ones((2, 2)) @ x, rtol=1e-6)
    np.testing.assert_allclose(to_host(layer.bias.grad), [2.0, 2.0])


def test_dense_refuses_bad_sizes_and_initialisers():
    with pytest.raises(ParameterError):
        L.Dense(0, 3)
    with pytest.raises(ParameterError, match="unknown initialiser"):
        L.Dense(2, 3, init="magic")


def test_dropout_drops_in_training_only_and_is_seeded():
    x = np.ones((200, 50), dtype=np.float32)
    first = to_host(L.Dropout(0.3, seed=5)(Tensor(x)).data)
    again = to_host(L.Dropout(0.3, seed=5)(Tensor(x)).data)
    np.testing.assert_array_equal(first, again)
    assert 0.25 < (first == 0).mean() < 0.35
    np.testing.assert_allclose(first[first != 0], 1 / 0.7, rtol=1e-6)
    layer = L.Dropout(0.3, seed=5).eval()
    np.testing.assert_array_equal(to_host(layer(Tensor(x)).data), x)
    with pytest.raises(ParameterError):
        L.Dropout(1.0)


def test_embedding_looks_up_rows_and_scatters_gradients():
    layer = L.Embedding(5, 3, rng=0)
    idx = np.array([[1, 1], [4, 0]])
    out = layer(idx)
    assert out.shape == (2, 2, 3)
    np.testing.assert_array_equal(to_host(out.data)[1, 0], to_host(layer.weight.data)[4])
    out.sum().backward()
    np.testing.assert_array_equal(to_host(layer.weight.grad)[:, 0], [1, 2, 0, 0, 1])


def test_activation_layers_match_their_formulas():
    x = np.array([[-2.0, 0.5, 3.0]], dtype=np.float32)
    cases = {
        L.ReLU(): np.maximum(x, 0),
        L.LeakyReLU(0.1): np.where(x > 0, x, 0.1 * x),
        L.ELU(): np.where(x > 0, x, np.expm1(x)),
        L.Sigmoid(): 1 / (1 + np.exp(-x)),
        L.Tanh(): np.tanh(x),
        L.Softmax(): np.exp(x) / np.exp(x).sum(),
        L.LogSoftmax(): x - np.log(np.exp(x).sum()),
    }
    for layer, expected in cases.items():
        np.testing.assert_allclose(to_host(layer(Tensor(x)).data), expected, rtol=1e-5,
                                   atol=1e-6, err_msg=type(layer).__name__)
