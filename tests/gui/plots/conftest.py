"""Small real models and evaluations shared by the viewer tests (trained once a session)."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.classifiers.knn import KNearestNeighbours
from workbench.classifiers.mlp import MultilayerPerceptron
from workbench.classifiers.perceptron import Perceptron
from workbench.data.io import load_dataset
from workbench.evaluation import TestOption, evaluate

DATASETS = Path(__file__).resolve().parents[3] / "workbench" / "resources" / "datasets"


@pytest.fixture(scope="session")
def iris():
    return load_dataset(DATASETS / "iris.arff", class_index=-1)


@pytest.fixture(scope="session")
def digits():
    return load_dataset(DATASETS / "digits.arff", class_index=-1)


@pytest.fixture(scope="session")
def digits_small(digits):
    return digits.select_rows(list(range(400)))


@pytest.fixture(scope="session")
def mlp_cv(iris):
    """3-fold cross-validation of a short MLP on iris (a few errors to look at)."""
    return evaluate(MultilayerPerceptron(epochs=40, seed=1), iris,
                    TestOption.cross_validation(folds=3, seed=1))


@pytest.fixture(scope="session")
def knn_cv(iris):
    return evaluate(KNearestNeighbours(k=3), iris, TestOption.cross_validation(folds=3),
                    build_model=False)


@pytest.fixture(scope="session")
def perceptron_cv(iris):
    return evaluate(Perceptron(mode="rosenblatt", epochs=5), iris,
                    TestOption.cross_validation(folds=3), build_model=False)


@pytest.fixture(scope="session")
def digits_mlp(digits_small):
    """The tutorials' 64-2-10 network on 8x8 digits."""
    return MultilayerPerceptron(hidden_layers="2", epochs=20, seed=1).fit(digits_small)
