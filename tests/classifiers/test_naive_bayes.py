"""WEKA's NaiveBayes: hand-computed probabilities, WEKA's cross-validation numbers, files."""

import math

import numpy as np
import pytest
from classifier_helpers import load

from workbench.classifiers import load_model
from workbench.classifiers.naive_bayes import NaiveBayes, numeric_precision
from workbench.classifiers.sklearn_adapter import GaussianNaiveBayes
from workbench.core.registry import default_registry
from workbench.data.dataset import Attribute, Dataset
from workbench.evaluation import TestOption, evaluate


def phi(z: float) -> float:
    return 0.5 * (1.0 + math.erf(z / math.sqrt(2.0)))


def normal_interval(x: float, mean: float, std: float, precision: float) -> float:
    """NormalEstimator.getProbability by hand (x already on the precision grid)."""
    return (phi((x - mean + precision / 2) / std)
            - phi((x - mean - precision / 2) / std)) / precision


def numeric_data(values, labels, weights=None) -> Dataset:
    rows = np.column_stack([np.asarray(values, dtype=float),
                            np.asarray(labels, dtype=float)])
    data = Dataset("toy", [Attribute.numeric("x"), Attribute.nominal("class", ["a", "b"])],
                   rows, class_index=1)
    return data if weights is None else data.with_weights(np.asarray(weights, dtype=float))


def test_registered_under_weka_names_and_gaussian_nb_keeps_its_own():
    registry = default_registry()
    for name in ("naive-bayes", "NaiveBayes"):
        info = registry.get("classifier", name)
        assert info.factory is NaiveBayes
    assert NaiveBayes.display_name == "NaiveBayes" and NaiveBayes.category == "bayes"
    for name in ("gaussian-nb", "GaussianNB"):
        assert registry.get("classifier", name).factory is GaussianNaiveBayes


def test_weather_nominal_probabilities_are_laplace_corrected_counts():
    data = load("weather.nominal.arff")
    model = NaiveBayes().fit(data)
    # outlook=sunny, temperature=cool, humidity=high, windy=TRUE (the textbook query).
    query = data.select_rows([0])
    values = query.dense_values()
    values[0, :4] = [data.attributes[0].index_of_value("sunny"),
                     data.attributes[1].index_of_value("cool"),
                     data.attributes[2].index_of_value("high"),
                     data.attributes[3].index_of_value("TRUE")]
    query = Dataset(data.relation, data.attributes, values, class_index=data.class_index)
    # 9 yes, 5 no; each count starts at 1.
    yes = 10 / 16 * (3 / 12) * (4 / 12) * (4 / 11) * (4 / 11)
    no = 6 / 16 * (4 / 8) * (2 / 8) * (5 / 7) * (4 / 7)
    expected = np.array([yes, no]) / (yes + no)
    np.testing.assert_allclose(model.predict_proba(query)[0], expected, rtol=1e-12)
    # A missing attribute value is skipped: only the other three attributes count.
    values[0, 0] = np.nan
    query = Dataset(data.relation, data.attributes, values, class_index=data.class_index)
    yes = 10 / 16 * (4 / 12) * (4 / 11) * (4 / 11)
    no = 6 / 16 * (2 / 8) * (5 / 7) * (4 / 7)
    np.testing.assert_allclose(model.predict_proba(query)[0],
                               np.array([yes, no]) / (yes + no), rtol=1e-12)


def test_weather_nominal_model_text_is_wekas_table():
    text = NaiveBayes().fit(load("weather.nominal.arff")).describe()
    lines = text.splitlines()
    assert lines[:5] == ["Naive Bayes Classifier", "",
                         "                Class",
                         "Attribute         yes     no",
                         "               (0.63) (0.38)"]
    assert "  sunny            3.0    4.0" in lines
    assert "  [total]         12.0    8.0" in lines


def test_numeric_attribute_is_a_normal_over_the_precision_grid():
    # The instance with a missing class (x = 9) is dropped before anything is counted, so
    # the distinct values are 1..5: precision (5 - 1) / 4 = 1 and rounding changes nothing.
    # The instance of class b with x missing counts for the prior only.
    data = numeric_data([1, 2, 3, 4, 5, np.nan, 9], [0, 0, 0, 1, 1, 1, np.nan])
    assert numeric_precision(data.column(0)) == pytest.approx(8 / 5)  # with x = 9
    model = NaiveBayes().fit(data)
    np.testing.assert_allclose(model.estimators_[0][1][3], [1.0, 1.0])
    proba = model.predict_proba(numeric_data([3.2, np.nan], [0, 0]))
    pa = 4 / 8 * normal_interval(3.0, 2.0, math.sqrt(2 / 3), 1.0)  # 3.2 rounds to 3
    pb = 4 / 8 * normal_interval(3.0, 4.5, 0.5, 1.0)
    np.testing.assert_allclose(proba[0], [pa / (pa + pb), pb / (pa + pb)], rtol=1e-12)
    np.testing.assert_allclose(proba[1], [0.5, 0.5], rtol=1e-12)  # x missing: prior only
    assert "  precision" in model.describe() and "  weight sum" in model.describe()


def test_precision_rounding_and_the_standard_deviation_floor():
    # One distinct value per class but two overall: precision = 10, std floor 10/6.
    model = NaiveBayes().fit(numeric_data([0, 0, 10], [0, 0, 1]))
    stats = model.estimators_[0][1]
    np.testing.assert_allclose(stats[3], [10, 10])
    np.testing.assert_allclose(stats[1], [10 / 6, 10 / 6])
    # A single distinct value: WEKA's default precision 0.01; 1.004 rounds to 1.00.
    model = NaiveBayes().fit(numeric_data([1.004, 1.004], [0, 1]))
    stats = model.estimators_[0][1]
    np.testing.assert_allclose(stats[3], [0.01, 0.01])
    np.testing.assert_allclose(stats[0], [1.0, 1.0])
    np.testing.assert_allclose(stats[1], [0.01 / 6, 0.01 / 6])


def test_instance_weights_count_like_copies():
    weighted = NaiveBayes().fit(numeric_data([1, 2, 3, 4, 5], [0, 0, 0, 1, 1],
                                             weights=[1, 3, 1, 1, 2]))
    copies = NaiveBayes().fit(numeric_data([1, 2, 2, 2, 3, 4, 5, 5],
                                           [0, 0, 0, 0, 0, 1, 1, 1]))
    query = numeric_data(np.linspace(0, 6, 13), np.zeros(13))
    np.testing.assert_allclose(weighted.predict_proba(query), copies.predict_proba(query),
                               rtol=1e-12)
    np.testing.assert_allclose(weighted.prior_counts_, [6, 4])


@pytest.mark.parametrize("dataset,expected_correct,total", [
    ("iris.arff", 144, 150),            # WEKA 3.8: 96.0 %
    ("diabetes.arff", 586, 768),        # WEKA 3.8: 76.3021 %
    ("breast-cancer.arff", 205, 286),   # WEKA 3.8: 71.6783 %
])
def test_ten_fold_cross_validation_matches_weka(dataset, expected_correct, total):
    data = load(dataset)
    evaluation = evaluate(NaiveBayes(), data, TestOption.cross_validation(10, 1),
                          build_model=False)
    correct = sum(int((fold.predicted == fold.actual).sum())
                  for fold in evaluation.results.folds)
    assert (correct, data.num_instances) == (expected_correct, total)


@pytest.mark.parametrize("dataset", ["diabetes.arff", "breast-cancer.arff"])
def test_save_and_load_round_trip(tmp_path, dataset):
    data = load(dataset)
    model = NaiveBayes().fit(data.select_rows(slice(0, 200)))
    model.save(tmp_path / "nb.model")
    again = load_model(tmp_path / "nb.model")
    assert type(again) is NaiveBayes
    test = data.select_rows(slice(200, None))
    np.testing.assert_array_equal(again.predict_proba(test), model.predict_proba(test))
    assert again.describe() == model.describe()
