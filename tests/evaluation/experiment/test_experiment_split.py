"""The Experimenter's percentage split is WEKA's RandomSplitResultProducer's.

The expected instances below were computed once with WEKA 3.9.7's own classes
(``RandomSplitResultProducer`` with a split evaluator printing the ``id`` of each
instance it was handed, train and test in the order WEKA hands them over) and the iris
accuracies with the Experimenter (runs 1-10, ``-P 66``); no test runs Java.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.core.errors import WorkbenchError
from workbench.core.weka.javarandom import JavaRandom
from workbench.data.io import load_dataset
from workbench.evaluation.experiment import spec_from_dict
from workbench.evaluation.experiment.runs import execute_run, expand_runs
from workbench.evaluation.experiment.split import experiment_split, probabilistic_round

# 23 instances, a class with four labels of which one is never used, and two instances
# whose class is missing (WEKA puts those in a group of their own, drawn for last).
CLASSES = list("bbaa?ababbabbaaa?bcbabb")
XS = [9.48, 6.51, 8.21, 3.66, 9.1, 0.37, 4.18, 0.91, 0.59, 1.24, 6.31, 9.48, 5.86, 9.76,
      5.57, 2.9, 5.41, 3.08, 1.81, 5.71, 3.72, 7.12, 0.6]


def _write(path: Path, numeric_class: bool) -> Path:
    if numeric_class:
        head = "@attribute id numeric\n@attribute y numeric\n"
        rows = [f"{i},{x}" for i, x in enumerate(XS, 1)]
    else:
        head = ("@attribute id numeric\n@attribute x numeric\n"
                "@attribute class {a,b,c,unused}\n")
        rows = [f"{i},{x},{c}" for i, (x, c) in enumerate(zip(XS, CLASSES, strict=True), 1)]
    path.write_text(f"@relation small\n{head}@data\n" + "\n".join(rows) + "\n")
    return path


def _ids(path: Path, percent: float, run: int, randomized: bool = True
         ) -> tuple[list[int], list[int]]:
    data = load_dataset(path, class_index=-1)
    fold = experiment_split(data, percent, run, randomized)
    return ([int(data.X[i, 0]) for i in fold.train],
            [int(data.X[i, 0]) for i in fold.test])


# WEKA 3.9.7, -P 66, runs 1-3: (train, test) in WEKA's order.
NOMINAL_66 = {
    1: ([4, 3, 18, 9, 21, 8, 23, 12, 13, 17, 22, 15, 19, 10, 16],
        [14, 7, 20, 11, 6, 5, 2, 1]),
    2: ([23, 6, 10, 19, 1, 20, 15, 14, 17, 21, 4, 18, 22, 16, 2],
        [7, 12, 13, 11, 3, 9, 5, 8]),
    3: ([16, 15, 20, 19, 21, 22, 10, 8, 13, 17, 12, 23, 6, 5, 4, 9],
        [1, 14, 3, 11, 2, 18, 7]),
}
# WEKA 3.9.7, -P 50, runs 1-3: (training size, test in WEKA's order).
NOMINAL_50 = {
    1: (12, [11, 1, 5, 21, 14, 19, 20, 22, 6, 2, 7]),
    2: (11, [8, 20, 1, 9, 12, 3, 13, 21, 6, 5, 7, 11]),
    3: (10, [14, 19, 2, 3, 10, 7, 13, 5, 15, 21, 11, 18, 1]),
}
# A numeric class: no stratification, the test part not shuffled again.
NUMERIC_66 = {
    1: ([23, 16, 3, 8, 12, 15, 9, 13, 19, 4, 10, 21, 18, 22, 20],
        [17, 11, 5, 1, 14, 2, 7, 6]),
    2: ([15, 19, 10, 14, 16, 4, 2, 18, 6, 17, 21, 23, 22, 11, 20],
        [1, 5, 7, 9, 8, 12, 3, 13]),
}


@pytest.mark.parametrize("run", sorted(NOMINAL_66))
def test_a_nominal_class_is_split_class_by_class_as_weka_does(tmp_path, run):
    assert _ids(_write(tmp_path / "s.arff", False), 66, run) == NOMINAL_66[run]


@pytest.mark.parametrize("run", sorted(NOMINAL_50))
def test_the_training_size_varies_by_probabilistic_rounding_as_in_weka(tmp_path, run):
    train, test = _ids(_write(tmp_path / "s.arff", False), 50, run)
    assert (len(train), test) == NOMINAL_50[run]


@pytest.mark.parametrize("run", sorted(NUMERIC_66))
def test_a_numeric_class_is_cut_once_as_weka_does(tmp_path, run):
    assert _ids(_write(tmp_path / "n.arff", True), 66, run) == NUMERIC_66[run]


def test_order_preserved_cuts_the_file_order_the_same_in_every_run(tmp_path):
    nominal = _write(tmp_path / "s.arff", False)
    for run in (1, 2):   # WEKA -R: Utils.round(23 * 0.66) = 15 train, in file order
        assert _ids(nominal, 66, run, randomized=False) == (list(range(1, 16)),
                                                            list(range(16, 24)))
    numeric = _write(tmp_path / "n.arff", True)   # Utils.round(23 * 0.333) = 8
    assert _ids(numeric, 33.3, 1, randomized=False) == (list(range(1, 9)),
                                                        list(range(9, 24)))


def test_probabilistic_rounding_draws_even_for_a_whole_number():
    random, twin = JavaRandom(5), JavaRandom(5)
    assert probabilistic_round(3.0, random) == 3
    twin.next_double()
    assert random.next_int(1000) == twin.next_int(1000)


# WEKA 3.9.7's Experimenter, iris, RandomSplitResultProducer -P 66, runs 1-10.
IRIS_ACCURACY = {
    "zeror": [33.333333] * 10,
    "naive-bayes": [96.078431] * 5 + [100, 96.078431, 100, 94.117647, 90.196078],
    "IBk -K 3": [96.078431] * 4 + [94.117647, 94.117647, 98.039216, 96.078431,
                                    92.156863, 94.117647],
}


def test_a_split_experiment_on_iris_gives_wekas_experimenter_numbers():
    spec = spec_from_dict({
        "datasets": ["iris"],
        "classifiers": ["zeror", "naive-bayes",
                        {"name": "knn", "params": {"k": 3}, "label": "IBk -K 3"}],
        "resampling": {"method": "split", "percent": 66}, "repetitions": 10,
        "metrics": ["accuracy"]})
    rows = [execute_run(run) for run in expand_runs(spec)]
    for classifier, expected in IRIS_ACCURACY.items():
        mine = [r for r in rows if r["classifier"] == classifier]
        assert [r["num_train"] for r in mine] == [99] * 10
        assert [r["accuracy"] for r in mine] == pytest.approx(expected, abs=1e-6)



def test_an_order_preserved_split_is_written_and_read_back():
    spec = spec_from_dict({"datasets": ["iris"], "classifiers": ["zeror"],
                           "resampling": {"method": "split", "percent": 50,
                                          "randomize": False}})
    assert spec.resampling.randomize is False
    assert spec.to_dict()["resampling"] == {"method": "split", "percent": 50,
                                            "randomize": False}
    assert {run.randomize for run in expand_runs(spec)} == {False}
    assert spec_from_dict(spec.to_dict()) == spec


def test_randomize_must_be_true_or_false():
    with pytest.raises(WorkbenchError, match="'randomize' must be true or false"):
        spec_from_dict({"datasets": ["iris"], "classifiers": ["zeror"],
                        "resampling": {"method": "split", "randomize": "no"}})


def test_results_of_the_earlier_split_are_not_resumed_and_the_message_says_why(
        tmp_path, capsys):
    """A split experiment's results computed before the split was WEKA's (their record
    has no "randomize") would mix two splits if resumed: refused, saying so."""
    import json

    from workbench.cli import main

    spec = tmp_path / "s.experiment.json"
    spec.write_text(json.dumps({"datasets": ["iris"], "classifiers": ["zeror"],
                                "resampling": {"method": "split", "percent": 66},
                                "repetitions": 2}))
    out = tmp_path / "s.results.csv"
    assert main(["experiment", "run", str(spec), "--quiet"]) == 0
    record = tmp_path / "s.results.csv.spec.json"
    old = json.loads(record.read_text())
    del old["resampling"]["randomize"]
    record.write_text(json.dumps(old))
    before = out.read_text()
    capsys.readouterr()
    assert main(["experiment", "run", str(spec), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "computed with the percentage split of earlier versions" in err
    assert out.read_text() == before
