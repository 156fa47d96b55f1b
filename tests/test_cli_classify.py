"""``workbench classify``: WEKA's numbers from WEKA's command line, and the CLI's manners.

The done-when numbers of issue 6 are WEKA 3.9's own results for ZeroR and IBk with the
same folds (seed 1, 10 folds): they hold only if our folds and the k-NN both match WEKA.
"""

from __future__ import annotations

import csv
import importlib
import io
import json
from pathlib import Path

import pytest

from workbench.cli import main

ROOT = Path(__file__).resolve().parents[1]


def _data(name: str) -> str:
    for folder in (ROOT / "workbench" / "resources" / "datasets",
                   ROOT / "tests" / "fixtures" / "datasets"):
        if (folder / name).exists():
            return str(folder / name)
    raise FileNotFoundError(f"{name} is neither bundled nor in tests/fixtures/datasets")


def _json(capsys, *argv: str) -> dict:
    assert main(["classify", *argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_zeror_on_iris_prints_wekas_numbers(capsys):
    assert main(["classify", "-t", _data("iris.arff"), "-x", "10", "-s", "1", "zeror"]) == 0
    out = capsys.readouterr().out
    assert "Correctly Classified Instances          50               33.3333 %" in out
    assert "Mean absolute error                      0.4444" in out
    assert "Root mean squared error                  0.4714" in out
    assert "Relative absolute error                100      %" in out
    assert "Root relative squared error            100      %" in out


def test_ibk_k1_on_iris_matches_weka(capsys):
    report = _json(capsys, "-t", _data("iris.arff"), "-x", "10", "-s", "1", "knn")
    assert report["correct"] == 143
    assert report["confusion_matrix"] == [[50, 0, 0], [0, 47, 3], [0, 4, 46]]
    assert report["mean_absolute_error"] == pytest.approx(0.0399, abs=5e-5)
    assert report["root_relative_squared_error"] == pytest.approx(37.0695, abs=5e-5)


@pytest.mark.parametrize(("k", "correct"), [("1", 539), ("3", 558)])
def test_ibk_on_diabetes_matches_weka(capsys, k, correct):
    report = _json(capsys, "-t", _data("diabetes.arff"), "knn", "-K", k)
    assert report["correct"] == correct
    assert report["num_instances"] == 768


def test_classifier_help_lists_its_declared_parameters(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["classify", "knn", "--help"])
    assert stop.value.code == 0
    out = capsys.readouterr().out
    assert "-K K, --k K" in out and "Number of nearest neighbours" in out


def test_json_fields(capsys):
    report = _json(capsys, "-t", _data("iris.arff"), "zeror")
    for key in ("accuracy", "correct", "incorrect", "kappa", "mean_absolute_error",
                "root_mean_squared_error", "relative_absolute_error",
                "root_relative_squared_error", "num_instances", "classes",
                "confusion_matrix", "per_class", "weighted_avg"):
        assert key in report
    assert report["per_class"][1]["precision"] is None  # WEKA's "?"
    assert report["classes"] == ["Iris-setosa", "Iris-versicolor", "Iris-virginica"]


def test_predictions_csv_and_model_round_trip(capsys, tmp_path):
    iris = _data("iris.arff")
    model, preds = tmp_path / "knn.model", tmp_path / "p.csv"
    assert main(["classify", "-t", iris, "-d", str(model), "--predictions", str(preds),
                 "knn", "-K", "3"]) == 0
    capsys.readouterr()
    rows = list(csv.reader(preds.open()))
    assert rows[0] == ["instance", "actual", "predicted", "error", "p(Iris-setosa)",
                       "p(Iris-versicolor)", "p(Iris-virginica)"]
    assert len(rows) == 151
    loaded = _json(capsys, "-l", str(model), "-T", iris)
    trained = _json(capsys, "-t", iris, "-no-cv", "knn", "-K", "3")
    assert loaded["correct"] == trained["correct"]
    assert loaded["relative_absolute_error"] is None  # no training data, no priors


def test_split_and_class_options(capsys):
    iris = _data("iris.arff")
    split = _json(capsys, "-t", iris, "-split-percentage", "66", "-preserve-order", "zeror")
    assert split["num_instances"] == 51 and split["test_mode"].startswith("split 66.0%")
    assert main(["classify", "-t", iris, "-c", "1", "-x", "5", "knn"]) == 0
    out = capsys.readouterr().out
    assert "=== Cross-validation ===" in out and "Correlation coefficient" in out


@pytest.mark.parametrize(("argv", "message"), [
    (["zeror"], "no training file"),
    (["-t", "IRIS", "nosuchthing"], "no classifier called 'nosuchthing'"),
    (["-t", "IRIS", "-preserve-order", "zeror"], "needs -split-percentage"),
    (["-t", "IRIS", "-x", "5", "-split-percentage", "50", "zeror"], "cannot be combined"),
    (["-t", "IRIS", "-c", "9", "zeror"], "outside 1..5"),
    (["-t", "IRIS", "-x", "1", "zeror"], "-x: 1 is not allowed"),
    (["-t", "IRIS"], "name a classifier"),
])
def test_user_errors_exit_2_with_a_message(capsys, argv, message):
    argv = [_data("iris.arff") if a == "IRIS" else a for a in argv]
    assert main(["classify", *argv]) == 2
    assert message in capsys.readouterr().err


def test_ctrl_c_stops_cleanly_and_writes_nothing(capsys, tmp_path, monkeypatch):
    import workbench.evaluation as evaluation

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(evaluation, "evaluate", interrupted)
    model = tmp_path / "m.model"
    assert main(["classify", "-t", _data("iris.arff"), "-d", str(model), "zeror"]) == 130
    assert "stopped by Ctrl-C" in capsys.readouterr().err
    assert not model.exists()


def test_progress_bar_draws_and_clears():
    from workbench.commands.classify import ProgressBar
    from workbench.core.progress import ProgressEvent

    stream = io.StringIO()
    bar = ProgressBar(stream, enabled=True, width=10)
    bar(ProgressEvent(0.5, "fold 5/10"))
    bar(ProgressEvent(0.5, "fold 5/10"))  # unchanged: not redrawn
    assert stream.getvalue().count("\r") == 1 and "[#####-----]  50.0%" in stream.getvalue()
    bar.clear()
    assert stream.getvalue().endswith("\r")
    quiet = io.StringIO()
    ProgressBar(quiet)(ProgressEvent(0.5, "x"))  # a StringIO is no terminal
    assert quiet.getvalue() == ""


def test_cost_matrix_and_entropy_statistics(capsys, tmp_path):
    cost = tmp_path / "cost.txt"
    cost.write_text("% rows columns\n3 3\n0 1 1\n1 0 5\n1 1 0\n")
    assert main(["classify", "-t", _data("iris.arff"), "-m", str(cost), "-k", "zeror"]) == 0
    out = capsys.readouterr().out
    # ZeroR says setosa for all: 50 versicolor cost 1 each, 50 virginica cost 1 each.
    assert "Total Cost                             100     " in out
    assert "Average Cost                             0.6667" in out
    assert "K&B Relative Info Score                  0      %" in out
    assert "Class complexity | order 0             237.7444 bits      1.585  bits/instance" in out
    bad = tmp_path / "bad.txt"
    bad.write_text("3 3\n0 1 1\n")
    assert main(["classify", "-t", _data("iris.arff"), "-m", str(bad), "zeror"]) == 2
    assert f"{bad}:2: only 1 of the 3 rows" in capsys.readouterr().err


@pytest.mark.parametrize(("content", "words"), [
    ("0 0\n", ":1: the size line gives no rows"),             # was an IndexError
    ("3 3\nnan 1 1\n1 0 1\n1 1 0\n", ":2:1: 'nan' is not a finite number"),  # was taken
    ("2 2\n0 1\n1 0\n", ":1: a 2 x 2 cost matrix, but the class 'class' has 3 values"),
])
def test_a_bad_cost_file_stops_classify_before_training(capsys, tmp_path, content, words):
    cost = tmp_path / "m.cost"
    cost.write_text(content)
    assert main(["classify", "-t", _data("iris.arff"), "-m", str(cost), "zeror"]) == 2
    captured = capsys.readouterr()
    assert f"workbench: error: {cost}{words}" in captured.err
    assert "Traceback" not in captured.err and captured.out == ""


def test_a_cost_matrix_needs_a_nominal_class(capsys, tmp_path):
    cost = tmp_path / "m.cost"
    cost.write_text("1 1\n0\n")
    assert main(["classify", "-t", _data("cpu.arff"), "-m", str(cost), "zeror"]) == 2
    assert "a cost matrix (-m) needs a nominal class" in capsys.readouterr().err


def test_a_report_prints_regression_numbers_of_1e25(capsys, tmp_path):
    # Rounding ran in Python's 28-digit decimal context: any number from about 1e24 on
    # stopped the report with decimal.InvalidOperation (exit 1, a traceback).
    data = tmp_path / "big.arff"
    data.write_text("@relation big\n@attribute a numeric\n@attribute y numeric\n@data\n"
                    "1,1e25\n2,3e25\n3,-2e25\n4,5e25\n5,1e24\n6,7e25\n")
    assert main(["classify", "-t", str(data), "-x", "2", "zeror"]) == 0
    out = capsys.readouterr().out
    assert "Mean absolute error                53000000000000000000000000\n" in out


@pytest.mark.parametrize(("argv", "words"), [
    (["-x", "10", "-no-cv"], "-x 10 asks for cross-validation and -no-cv turns it off"),
    (["-x", "5", "-T", "iris"], "-x 5 asks for cross-validation, but a test file (-T)"),
])
def test_test_options_that_contradict_each_other_are_refused(capsys, argv, words):
    # WEKA reads -x here and then ignores it without a word; we say so instead.
    assert main(["classify", "-t", _data("iris.arff"), *argv, "zeror"]) == 2
    assert words in capsys.readouterr().err


def test_no_cv_with_a_split_runs_the_split_as_weka_does(capsys):
    assert main(["classify", "-t", _data("iris.arff"), "-no-cv", "-split-percentage", "50",
                 "zeror"]) == 0
    assert "=== Error on test split ===" in capsys.readouterr().out


def test_model_is_saved_before_the_folds_and_kept_by_ctrl_c(capsys, tmp_path, monkeypatch):
    """As WEKA's -d: the full-data model is written as soon as it is trained, so Ctrl-C
    in the cross-validation keeps it (and says so)."""
    evaluate_module = importlib.import_module("workbench.evaluation.evaluate")

    def fold_interrupted(*args, **kwargs):
        raise KeyboardInterrupt   # _predict runs for the folds only under -x

    monkeypatch.setattr(evaluate_module, "_predict", fold_interrupted)
    model = tmp_path / "m.model"
    assert main(["classify", "-t", _data("iris.arff"), "-d", str(model), "knn"]) == 130
    err = capsys.readouterr().err
    assert "the model was saved to" in err and "before the evaluation" in err
    from workbench.classifiers import load_model

    assert load_model(model).name == "knn"


def test_a_model_that_cannot_be_saved_fails_before_any_fold(capsys, tmp_path, monkeypatch):
    evaluate_module = importlib.import_module("workbench.evaluation.evaluate")

    folds: list[int] = []
    real = evaluate_module._predict
    monkeypatch.setattr(evaluate_module, "_predict",
                        lambda *args: folds.append(1) or real(*args))
    target = tmp_path / "missing-folder" / "m.model"
    assert main(["classify", "-t", _data("iris.arff"), "-d", str(target), "zeror"]) == 2
    assert "m.model" in capsys.readouterr().err
    assert folds == [] and not target.exists()


def test_dynamics_run_saves_its_model_before_the_folds(capsys, tmp_path, monkeypatch):
    evaluate_module = importlib.import_module("workbench.evaluation.evaluate")

    def fold_interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(evaluate_module, "_predict", fold_interrupted)
    model = tmp_path / "m.model"
    assert main(["classify", "-t", _data("iris.arff"), "-d", str(model), "--dynamics",
                 str(tmp_path / "d.csv"), "-x", "2", "mlp", "--epochs", "2"]) == 130
    assert model.exists() and "before the evaluation" in capsys.readouterr().err


def test_errors_about_the_data_and_the_model_name_their_files(capsys, tmp_path):
    # Every relation may be called 'iris': the files tell the user which is which.
    empty = tmp_path / "nodata.arff"
    empty.write_text("@relation iris\n@attribute a numeric\n@attribute c {x,y}\n@data\n")
    assert main(["classify", "-t", str(empty), "zeror"]) == 2
    assert f"{empty} has 0 instances" in capsys.readouterr().err
    model = tmp_path / "knn.model"
    assert main(["classify", "-t", _data("iris.arff"), "-d", str(model), "-no-cv",
                 "knn"]) == 0
    capsys.readouterr()
    other = tmp_path / "weather.arff"
    other.write_text(Path(_data("weather.numeric.arff")).read_text())
    assert main(["classify", "-l", str(model), "-T", str(other)]) == 2
    err = capsys.readouterr().err
    assert f"the model {model} cannot test {other}" in err
    assert ("attribute 1 differs: 'sepallength' (numeric) in the training data, "
            "'outlook' (nominal) here") in err


def test_a_failure_after_the_model_was_saved_says_it_was_saved(capsys, tmp_path, monkeypatch):
    from workbench.core.errors import WorkbenchError

    evaluate_module = importlib.import_module("workbench.evaluation.evaluate")

    def fold_fails(*args, **kwargs):
        raise WorkbenchError("a fold went wrong")

    monkeypatch.setattr(evaluate_module, "_predict", fold_fails)
    model = tmp_path / "m.model"
    assert main(["classify", "-t", _data("iris.arff"), "-d", str(model), "knn"]) == 2
    err = capsys.readouterr().err
    assert f"the model was saved to {model} before the evaluation; what came after it " \
        "failed" in err and "a fold went wrong" in err
    assert model.exists()


def test_a_failure_after_the_evaluation_says_the_model_was_saved(capsys, tmp_path,
                                                                 monkeypatch):
    import workbench.evaluation

    def full(results, path):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(workbench.evaluation, "write_predictions_csv", full)
    model = tmp_path / "m.model"
    assert main(["classify", "-t", _data("iris.arff"), "-d", str(model), "--predictions",
                 str(tmp_path / "predictions.csv"), "zeror"]) == 2
    err = capsys.readouterr().err
    assert f"the model was saved to {model} before the evaluation" in err
    assert model.exists()


def test_predictions_into_a_missing_folder_are_refused_before_anything_is_done(
        capsys, tmp_path):
    model = tmp_path / "m.model"
    unwritable = tmp_path / "no-such-folder" / "predictions.csv"
    assert main(["classify", "-t", _data("iris.arff"), "-d", str(model), "--predictions",
                 str(unwritable), "zeror"]) == 2
    err = capsys.readouterr().err
    assert err == (f"workbench: error: {unwritable}: cannot write there: the folder "
                   f"{unwritable.parent} does not exist\n")
    assert not model.exists()
