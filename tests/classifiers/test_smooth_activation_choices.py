"""GELU, SiLU and SELU wherever a network learner picks its activation by name: the MLP's
``activation``/``layer_activations`` and the CNN's default activation and spec."""

from __future__ import annotations

import numpy as np
from classifier_helpers import load

from workbench.classifiers.cnn import ConvolutionalNetwork
from workbench.classifiers.cnn_spec import build_network, parse_spec
from workbench.classifiers.mlp import MultilayerPerceptron
from workbench.engine.layers import GELU, SELU, Dense, SiLU


def _choices(cls, name):
    return next(p for p in cls.params if p.name == name).choices


def test_parameter_sheets_offer_the_smooth_activations():
    for cls in (MultilayerPerceptron, ConvolutionalNetwork):
        assert {"gelu", "silu", "selu"} <= set(_choices(cls, "activation"))


def test_mlp_trains_with_smooth_activations_and_selu_gets_lecun_weights():
    data = load("iris.arff")
    model = MultilayerPerceptron(hidden_layers="8,6,5", layer_activations="gelu,silu,selu",
                                 seed=1).fit(data)
    layers = list(model.network_)
    kinds = [type(layer) for layer in layers if isinstance(layer, GELU | SiLU | SELU)]
    assert kinds == [GELU, SiLU, SELU]
    dense = [layer for layer in layers if isinstance(layer, Dense)]
    assert [d.init for d in dense[:3]] == ["he_uniform", "he_uniform", "lecun_normal"]
    accuracy = np.mean(model.predict(data) == data.class_values)
    assert accuracy > 0.9
    assert "gelu, silu, selu hidden units" in model.describe()


def test_cnn_spec_reads_smooth_activations():
    built = build_network(parse_spec("conv(4,3)-gelu-pool(2)-dense(6)-selu"), (1, 8, 8), 3,
                          activation="silu", seed=0)
    layers = list(built.network)
    assert isinstance(layers[1], GELU) and isinstance(layers[-2], SELU)
    built = build_network(parse_spec("conv(4,3)-pool(2)"), (1, 8, 8), 3,
                          activation="silu", seed=0)
    assert isinstance(list(built.network)[1], SiLU)
