"""NaiveBayesMultinomial, the text tutorials' learner, gives WEKA 3.9.7's model text,
probabilities and evaluations (reference output in tests/fixtures/weka-text, README.md
there). Before, ``NaiveBayesMultinomial`` was "no classifier called ...; did you mean
'NaiveBayes'?", a different model 10 points worse on yelp."""

import re
from pathlib import Path

import numpy as np
import pytest

from workbench.classifiers.capabilities import CapabilityError
from workbench.classifiers.modelfile import load_model
from workbench.cli import main
from workbench.core.errors import InvalidDataError
from workbench.core.registry import default_registry
from workbench.data.catalog import load_bundled
from workbench.data.dataset import Attribute, Dataset
from workbench.data.io import load_dataset

TEXT = Path(__file__).parents[1] / "fixtures" / "weka-text"


def _timeless(text: str) -> str:
    return re.sub(r"Time taken to .*\n", "", text)


def _section(text: str, start: str) -> str:
    return _timeless(text[text.index(start):]).strip()


@pytest.mark.parametrize("name", ["naive-bayes-multinomial", "NaiveBayesMultinomial",
                                  "weka.classifiers.bayes.NaiveBayesMultinomial"])
def test_found_under_wekas_names(name):
    assert default_registry().get("classifier", name).name == "naive-bayes-multinomial"


def test_model_text_and_test_evaluation_are_wekas(capsys):
    weka = (TEXT / "weka-nbm-f2-train-test.txt").read_text()
    train, test = (str(TEXT / f"weka-f2-{part}.arff.gz") for part in ("train", "test"))
    assert main(["classify", "-t", train, "-T", test, "-c", "first",
                 "NaiveBayesMultinomial"]) == 0
    ours = capsys.readouterr().out
    # the model (each word's line ends in a tab, as WEKA's), then both evaluations
    assert _section(ours, "=== Classifier model") == _section(weka, "=== Classifier model")


@pytest.mark.parametrize(("filter_options", "reference"), [
    ("", "weka-fc-stwv-nbm-yelp-x10-s1.txt"),
    ("-C", "weka-fc-stwv-C-nbm-yelp-x10-s1.txt"),
])
def test_cross_validated_inside_a_filtered_classifier_as_weka(capsys, filter_options,
                                                              reference):
    assert main(["classify", "-t", str(TEXT / "yelp.arff.gz"), "-x", "10", "-s", "1",
                 "-o", "filtered", "-F", f"StringToWordVector {filter_options}".strip(),
                 "-W", "naive-bayes-multinomial"]) == 0
    ours = capsys.readouterr().out
    weka = (TEXT / reference).read_text()
    assert _section(ours, "=== Stratified") == _section(weka, "=== Stratified")


def _counts(rows, classes, names=("a", "b", "c")):
    X = np.column_stack([np.asarray(rows, dtype=float), np.asarray(classes, float)])
    return Dataset("counts", [*(Attribute.numeric(n) for n in names),
                              Attribute.nominal("class", ["x", "y"])], X, class_index=3)


def test_laplace_on_words_and_on_the_class_prior():
    data = _counts([[2, 0, 1], [0, 3, 0], [1, 0, 0]], [0, 1, 0])
    model = default_registry().create("classifier", "naive-bayes-multinomial").fit(data)
    # words: x (3+1, 0+1, 1+1)/(4+3), y (0+1, 3+1, 0+1)/(3+3); prior x 3/5, y 2/5
    px = np.array([4, 1, 2]) / 7
    py = np.array([1, 4, 1]) / 6
    doc = np.array([1.0, 2.0, 0.5])
    x, y = 3 / 5 * np.prod(px ** doc), 2 / 5 * np.prod(py ** doc)
    proba = model.predict_proba(_counts([doc], [0]))
    assert np.allclose(proba, [[x / (x + y), y / (x + y)]], rtol=1e-12)


def test_a_negative_value_is_refused_saying_where_and_why():
    data = _counts([[1, -0.5, 0], [0, 1, 2]], [0, 1])
    with pytest.raises(CapabilityError, match=r"attribute 2 'b' is -0.5 in instance 1"
                                              r".*not standardised"):
        default_registry().create("classifier", "naive-bayes-multinomial").fit(data)


def test_nominal_attributes_are_refused_as_weka_does():
    with pytest.raises(CapabilityError, match="nominal attributes"):
        default_registry().create("classifier", "naive-bayes-multinomial").fit(
            load_bundled("weather.nominal"))


def test_saved_model_predicts_the_same(tmp_path):
    train = load_dataset(TEXT / "weka-f2-train.arff.gz", class_index=0)
    test = load_dataset(TEXT / "weka-f2-test.arff.gz", class_index=0)
    model = default_registry().create("classifier", "naive-bayes-multinomial").fit(train)
    model.save(tmp_path / "nbm.model")
    again = load_model(tmp_path / "nbm.model")
    assert np.array_equal(again.predict_proba(test), model.predict_proba(test))
    assert again.describe() == model.describe()


def test_the_sklearn_wrappers_negative_values_error_names_its_scaling():
    data = _counts([[2, 0, 1], [0, 3, 0], [1, 0, 0], [0, 1, 1]], [0, 1, 0, 1])
    learner = default_registry().create(
        "classifier", "sklearn", estimator="sklearn.naive_bayes.MultinomialNB")
    with pytest.raises(InvalidDataError, match=r"--scaling standard \(the default\) "
                                               r".*--scaling none"):
        learner.fit(data)
    default_registry().create("classifier", "sklearn", scaling="none",
                              estimator="sklearn.naive_bayes.MultinomialNB").fit(data)
