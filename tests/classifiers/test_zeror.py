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


# WEKA 3.9.7's model text, from `java weka.classifiers.rules.ZeroR -t FILE`: the label or
# the mean in Java's Double.toString form, and no class probabilities after it.
def test_the_model_text_is_wekas_for_a_nominal_class():
    model = ZeroR().fit(load("iris.arff"))
    assert model.describe() == "ZeroR predicts class value: Iris-setosa"


# The last values: the mean summed instance by instance, as WEKA's loop adds (a pairwise
# sum gives 50.1445, one digit off the end from WEKA's).
SEEDED = [51.18, 95.05, 14.42, 94.86, 31.18, 42.33, 82.77, 40.92, 54.96, 2.76, 75.35,
          53.81, 32.97, 78.84, 30.32, 45.35, 13.4, 40.31, 20.35, 26.23, 75.04, 28.04,
          48.52, 98.07, 96.17, 72.48, 54.12, 27.69, 16.07, 96.99, 51.61, 11.59, 62.35,
          77.67, 61.3, 91.73, 3.96, 52.86, 45.93, 6.23]


@pytest.mark.parametrize(("values", "shown"), [
    ([2.0, 4.0, 3.0], "3.0"),
    ([1e8, 1e8, 2e8, 2e8], "1.5E8"),
    ([1e-4, 1e-4, 3e-4, 2e-4], "1.75E-4"),
    (SEEDED, "50.144499999999994"),
], ids=["whole", "large", "small", "summed-in-order"])
def test_a_numeric_mean_is_printed_as_javas_double_to_string(values, shown):
    data = make_dataset(np.zeros((len(values), 1)), values)
    assert ZeroR().fit(data).describe() == f"ZeroR predicts class value: {shown}"


def test_cpu_as_weka_prints_it():
    assert ZeroR().fit(load("cpu.arff")).describe() == \
        "ZeroR predicts class value: 105.622009569378"


def test_the_report_leaves_wekas_one_blank_line_after_the_model(capsys):
    from workbench.cli import main

    assert main(["classify", "--no-progress", "-t", "iris", "-no-cv", "zeror"]) == 0
    out = capsys.readouterr().out
    assert ("=== Classifier model (full training set) ===\n\n"
            "ZeroR predicts class value: Iris-setosa\n\nTime taken to build model: ") in out
