import numpy as np
import pytest
from classifier_helpers import load, make_dataset

from workbench.classifiers.zeror import ZeroR


def test_laplace_smoothed_class_frequencies():
    data = make_dataset(np.zeros((5, 1)), [0, 0, 0, 1, 0], ("a", "b", "c"))
    model = ZeroR().fit(data)
    # Counts 4, 1, 0 plus one each: 5/8, 2/8, 1/8.
    np.testing.assert_allclose(model.predict_proba(data), [[5 / 8, 2 / 8, 1 / 8]] * 5)
    np.testing.assert_array_equal(model.predict(data), np.zeros(5))
    assert "ZeroR predicts class value: a" in model.describe()


def test_weights_count_as_frequencies():
    data = make_dataset(np.zeros((2, 1)), [0, 1], ("a", "b")).with_weights(np.array([1.0, 3.0]))
    np.testing.assert_allclose(ZeroR().fit(data).predict_proba(data)[0], [2 / 6, 4 / 6])


def test_numeric_class_predicts_the_weighted_mean():
    data = make_dataset(np.zeros((3, 1)), [1.0, 2.0, 6.0]).with_weights(np.array([1, 1, 2.0]))
    model = ZeroR().fit(data)
    np.testing.assert_allclose(model.predict(data), [3.75] * 3)


def test_iris_baseline_is_a_third():
    iris = load("iris.arff")
    model = ZeroR().fit(iris)
    assert np.mean(model.predict(iris) == iris.class_values) == pytest.approx(1 / 3)
    np.testing.assert_allclose(model.predict_proba(iris).sum(axis=1), 1.0)
