"""What a model can show: the inspection protocols learners declare, and weight_arrays.

The learners come from the registry, so a new one that declares a protocol is checked
without being listed here.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from workbench.classifiers import inspection
from workbench.classifiers.knn import KNearestNeighbours
from workbench.classifiers.mlp import MultilayerPerceptron
from workbench.classifiers.perceptron import Perceptron
from workbench.classifiers.weka_mlp import WekaMultilayerPerceptron
from workbench.core.registry import default_registry
from workbench.data.io import load_dataset
from workbench.engine import backend

DATASETS = Path(__file__).resolve().parents[2] / "workbench" / "resources" / "datasets"
PROTOCOLS = [getattr(inspection, name) for name in dir(inspection)
             if isinstance(getattr(inspection, name), type)
             and getattr(getattr(inspection, name), "_is_protocol", False)]


@pytest.fixture(scope="module")
def iris():
    return load_dataset(DATASETS / "iris.arff", class_index=-1)


def _members(protocol: type) -> set[str]:
    found: set[str] = set()
    for base in protocol.__mro__:
        if base in PROTOCOLS:
            found |= {k for k in vars(base) if not k.startswith("_")}
            found |= set(getattr(base, "__annotations__", {}))
    return found


@pytest.mark.parametrize("info", default_registry().list("classifier"),
                         ids=lambda info: info.name)
def test_a_declared_protocol_is_implemented_not_inherited_empty(info):
    """Subclassing a protocol is a promise: every method comes from the learner."""
    cls = info.factory
    for protocol in PROTOCOLS:
        if protocol not in getattr(cls, "__mro__", ()):
            continue
        for member in _members(protocol) - {"history_"}:
            owner = next(base for base in cls.__mro__ if member in vars(base))
            assert owner not in PROTOCOLS, f"{cls.__name__}.{member} is {protocol.__name__}'s stub"


def test_the_protocols_cover_what_the_viewers_show():
    assert {p.__name__ for p in PROTOCOLS} >= {
        "NamedWeights", "DenseNetwork", "ConvFilters", "RbmUnits", "RbmReconstructions",
        "RbmSamples", "HiddenStates", "NearestNeighbours", "LinearScores", "InputGeometry"}


def test_weight_arrays_of_the_built_in_learners(iris):
    mlp = MultilayerPerceptron(epochs=3, seed=1).fit(iris)
    arrays = inspection.weight_arrays(mlp)
    for name, param in mlp.network_.named_parameters():
        np.testing.assert_array_equal(arrays[name], backend.to_host(param.data))
    layers = inspection.dense_layers(mlp)
    weights = [k for k, v in arrays.items() if k.endswith("weight") and v.ndim == 2]
    assert [la.name for la in layers] == [f"dense layer {i + 1}" for i in range(len(weights))]
    for layer, key in zip(layers, weights, strict=True):
        np.testing.assert_array_equal(layer.weight, arrays[key])
        np.testing.assert_array_equal(layer.bias, arrays[key[: -len("weight")] + "bias"])
    assert layers[-1].weight.shape[0] == 3  # one output unit per iris class

    rosenblatt = Perceptron(mode="rosenblatt").fit(iris)
    assert list(inspection.weight_arrays(rosenblatt)) == ["weights"]
    assert inspection.weight_arrays(rosenblatt)["weights"].shape == (3, 5)  # bias last
    np.testing.assert_array_equal(rosenblatt.linear_weights(), rosenblatt.weights_)
    assert rosenblatt.score_labels() == list(iris.class_attribute.values)
    assert inspection.dense_layers(rosenblatt) == []  # not a dense network

    # Nothing to read: a voted perceptron keeps mistakes, k-NN and WEKA's MLP declare none.
    voted = Perceptron(mode="voted").fit(iris)
    assert inspection.weight_arrays(voted) == {}
    assert voted.linear_weights().shape == (3, 5)  # the last perceptron of each problem
    assert Perceptron(mode="voted", exponent=2.0).fit(iris).linear_weights() is None
    assert inspection.weight_arrays(KNearestNeighbours().fit(iris)) == {}
    assert inspection.weight_arrays(WekaMultilayerPerceptron(epochs=2).fit(iris)) == {}


def test_an_untrained_network_has_no_arrays_yet():
    assert inspection.weight_arrays(MultilayerPerceptron()) == {}
    assert inspection.dense_layers(MultilayerPerceptron()) == []


def test_encoded_inputs_name_each_column_and_map_it_to_its_attribute(iris):
    mlp = MultilayerPerceptron(epochs=2, seed=1).fit(iris)
    assert isinstance(mlp, inspection.EncodedInputs)
    assert mlp.input_names() == [a.name for a in iris.attributes[:4]]
    np.testing.assert_array_equal(mlp.input_attributes(), [0, 1, 2, 3])
    # outlook (sunny, overcast, rainy) becomes three columns: no column-per-attribute map.
    weather = load_dataset(DATASETS / "weather.nominal.arff", class_index=-1)
    perceptron = Perceptron().fit(weather)
    assert len(perceptron.input_names()) > weather.num_attributes - 1
    assert perceptron.input_attributes() is None
    assert MultilayerPerceptron().input_names() == []  # nothing before training
