"""InputMappedClassifier: a separate test file with another header, scored as WEKA does.

The tiny pair of files below is worked by hand with NaiveBayes (Laplace counts, WEKA's):
training has 2 ``yes`` and 2 ``no``, so both priors are 3/6; P(red|yes) = 3/4,
P(blue|yes) = 1/4, P(red|no) = P(blue|no) = 2/4. The test file lists its columns and
labels in another order, has an extra column, and a colour (green) never seen:

* blue  -> yes 1/2 * 1/4 = 1/8, no 1/2 * 1/2 = 1/4  -> P = (1/3, 2/3), says no  (right)
* red   -> yes 3/8, no 1/4                           -> P = (0.6, 0.4), says yes (right)
* green -> missing, priors only                      -> P = (0.5, 0.5), says yes (wrong)
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np
import pytest

from workbench.classifiers import load_model
from workbench.classifiers.base import HeaderMismatchError
from workbench.classifiers.input_mapped import InputMappedClassifier
from workbench.cli import main
from workbench.core.errors import WorkbenchError
from workbench.core.registry import default_registry
from workbench.data.io import load_dataset
from workbench.evaluation.evaluate import TestOption, evaluate

TRAIN = "colour,class\nred,yes\nred,yes\nblue,no\nred,no\n"
TEST = "class,colour,extra\nno,blue,1\nyes,red,2\nno,green,3\n"


def _files(tmp_path: Path) -> tuple[str, str]:
    train, test = tmp_path / "train.csv", tmp_path / "test.csv"
    train.write_text(TRAIN)
    test.write_text(TEST)
    return str(train), str(test)


def _pair(tmp_path: Path):
    train, test = _files(tmp_path)
    return load_dataset(train, class_index=-1), load_dataset(test, class_index=-1)


def test_registered_under_wekas_name_and_a_command_line_name():
    registry = default_registry()
    assert registry.find("classifier", "InputMappedClassifier").name == "input-mapped"
    assert registry.find("classifier", "input-mapped").factory is InputMappedClassifier


def test_predictions_on_a_differently_made_test_file_are_the_hand_computed_ones(tmp_path):
    train, test = _pair(tmp_path)
    model = InputMappedClassifier(classifier="NaiveBayes").fit(train)
    np.testing.assert_allclose(model.predict_proba(test),
                               [[1 / 3, 2 / 3], [0.6, 0.4], [0.5, 0.5]])
    # the plain classifier refuses the same file
    with pytest.raises(HeaderMismatchError):
        model.classifier_.predict_proba(test)


def test_an_evaluation_scores_the_mapped_class_and_reports_the_mapping(tmp_path):
    train, test = _pair(tmp_path)
    evaluation = evaluate(InputMappedClassifier(classifier="NaiveBayes"), train,
                          TestOption.supplied_test_set(test))
    metrics = evaluation.metrics
    assert (metrics.correct, metrics.incorrect) == (2, 1)
    report = evaluation.report()
    assert "Scheme:       InputMappedClassifier -W NaiveBayes" in report
    model_text = evaluation.model.describe()
    assert model_text.startswith("InputMappedClassifier:\n\nNaive Bayes Classifier")
    assert "--> 2 (nominal) colour" in model_text
    assert "--> 1 (nominal) class" in model_text
    assert "'colour' has labels the training data does not have, made missing: " \
           "'green' (1 row)." in model_text
    assert "Ignored (not in the training data): 'extra'." in model_text


def test_a_class_label_the_model_never_saw_is_an_ignored_instance(tmp_path):
    train, _ = _pair(tmp_path)
    path = tmp_path / "odd.csv"
    path.write_text("colour,class\nred,maybe\nred,yes\n")
    evaluation = evaluate(InputMappedClassifier(classifier="NaiveBayes"), train,
                          TestOption.supplied_test_set(load_dataset(str(path),
                                                                    class_index=-1)))
    assert evaluation.metrics.missing_class == 1
    assert evaluation.metrics.correct == 1


def test_without_the_wrapper_the_evaluation_refuses_naming_the_difference(tmp_path):
    train, test = _pair(tmp_path)
    with pytest.raises(WorkbenchError, match="not compatible"):
        evaluate(default_registry().create("classifier", "NaiveBayes"), train,
                 TestOption.supplied_test_set(test))


def test_a_trained_model_can_be_wrapped_without_training_again(tmp_path):
    train, test = _pair(tmp_path)
    inner = default_registry().create("classifier", "NaiveBayes").fit(train)
    wrapper = InputMappedClassifier.wrapping(inner, ignore_case=True, trim=True)
    assert wrapper.classifier_ is inner
    evaluation = evaluate(wrapper, train, TestOption.supplied_test_set(test), model=wrapper)
    assert evaluation.metrics.correct == 2
    assert evaluation.run_info().scheme_line == \
        "InputMappedClassifier -I -trim -W NaiveBayes"


def test_the_model_file_round_trips(tmp_path):
    train, test = _pair(tmp_path)
    model = InputMappedClassifier(classifier="knn -K 3", ignore_case=True).fit(train)
    model.save(tmp_path / "m.model")
    again = load_model(tmp_path / "m.model")
    assert isinstance(again, InputMappedClassifier)
    assert again.ignore_case and again.classifier == "knn -K 3"
    np.testing.assert_array_equal(again.predict_proba(test), model.predict_proba(test))
    assert again.describe() == model.describe()


def test_a_tampered_model_file_ends_in_our_error(tmp_path):
    train, _ = _pair(tmp_path)
    InputMappedClassifier(classifier="NaiveBayes").fit(train).save(tmp_path / "m.model")
    with zipfile.ZipFile(tmp_path / "m.model") as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    document = json.loads(members["model.json"])
    document["state"]["classifier_header"] = "not a header"
    members["model.json"] = json.dumps(document).encode()
    with zipfile.ZipFile(tmp_path / "bad.model", "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    with pytest.raises(WorkbenchError, match="no header for the classifier inside it"):
        load_model(tmp_path / "bad.model")


def test_a_bad_inner_classifier_is_refused_when_configured():
    with pytest.raises(WorkbenchError, match="no classifier called 'no-such-learner'"):
        InputMappedClassifier(classifier="no-such-learner")


def test_the_command_line_gives_the_hand_computed_numbers(tmp_path, capsys):
    train, test = _files(tmp_path)
    assert main(["classify", "-t", train, "-T", test, "InputMappedClassifier",
                 "-W", "NaiveBayes"]) == 0
    out = capsys.readouterr().out
    tested = out[out.index("=== Error on test data ==="):]
    assert "Correctly Classified Instances           2               66.6667 %" in tested
    assert "Scheme:       InputMappedClassifier -W NaiveBayes" in out
    assert "'green' (1 row)" in out


def test_the_command_line_without_the_wrapper_names_the_difference_and_the_way_out(
        tmp_path, capsys):
    train, test = _files(tmp_path)
    assert main(["classify", "-t", train, "-T", test, "NaiveBayes"]) == 2
    err = capsys.readouterr().err
    assert "not compatible" in err and "InputMappedClassifier -W NaiveBayes" in err
    assert "Traceback" not in err
