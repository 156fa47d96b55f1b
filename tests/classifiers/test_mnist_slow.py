"""Accuracy on the bundled MNIST test set, split 8 000 / 2 000 (slow: run with -m slow)."""

import numpy as np
import pytest
from classifier_helpers import load

from workbench.classifiers.knn import KNearestNeighbours
from workbench.classifiers.mlp import MultilayerPerceptron

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def mnist():
    data = load("mnist-test.arff")
    return data.select_rows(slice(0, 8000)), data.select_rows(slice(8000, None))


def test_knn_reaches_95_percent(mnist):
    train, test = mnist
    model = KNearestNeighbours(k=1).fit(train)
    assert np.mean(model.predict(test) == test.class_values) >= 0.95


def test_mlp_reaches_97_percent(mnist):
    train, test = mnist
    model = MultilayerPerceptron(
        hidden_layers="800", activation="relu", loss="cross_entropy", optimizer="adam",
        learning_rate=0.001, batch_size=128, epochs=50, dropout=0.5, seed=1, scaling="range",
    ).fit(train)
    assert np.mean(model.predict(test) == test.class_values) >= 0.97
