"""Our learners under WEKA's own 10-fold cross-validation (seed 1) give WEKA 3.9's numbers.

The folds come from the evaluation package's port of WEKA's ``crossValidateModel``; the
reference accuracies are those WEKA prints with default options (LEARNING.md).
"""

import numpy as np
import pytest
from classifier_helpers import load

from workbench.classifiers.knn import KNearestNeighbours
from workbench.classifiers.perceptron import VotedPerceptron
from workbench.classifiers.zeror import ZeroR
from workbench.evaluation import resampling


def cv_accuracy(make, data) -> float:
    correct = 0
    for fold in resampling.cross_validation_folds(data, 10, 1):
        model = make().fit(data.select_rows(fold.train))
        test = data.select_rows(fold.test)
        correct += int(np.sum(model.predict(test) == test.class_values))
    return 100.0 * correct / data.num_instances


@pytest.mark.parametrize("dataset,make,expected", [
    ("iris.arff", lambda: KNearestNeighbours(k=1), 95.33),
    ("iris.arff", lambda: KNearestNeighbours(k=3), 95.33),
    ("iris.arff", ZeroR, 33.33),
    ("diabetes.arff", lambda: KNearestNeighbours(k=1), 70.18),
    ("diabetes.arff", lambda: KNearestNeighbours(k=3), 72.66),
    ("diabetes.arff", ZeroR, 65.10),
    ("diabetes.arff", VotedPerceptron, 66.80),
], ids=["iris-IBk-1", "iris-IBk-3", "iris-ZeroR", "diabetes-IBk-1", "diabetes-IBk-3",
        "diabetes-ZeroR", "diabetes-VotedPerceptron"])
def test_matches_weka(dataset, make, expected):
    assert cv_accuracy(make, load(dataset)) == pytest.approx(expected, abs=0.005)
