"""ARFF results as WEKA's Experimenter writes them: read for analysis (giving WEKA's own
tester's numbers), and written by ``experiment run --out NAME.arff`` in WEKA's layout.

The oracle files under ``tests/fixtures/weka-experimenter`` are WEKA 3.9.7's own (its
README says how they were made); no test runs Java.
"""

from __future__ import annotations

import io
import json
import re
import sys
from pathlib import Path

import pandas as pd
import pytest

from workbench.cli import main
from workbench.core.errors import WorkbenchError
from workbench.data.arff import read_arff
from workbench.evaluation.experiment import compare, read_results
from workbench.evaluation.experiment.names import resolve_classifier

WEKA = Path(__file__).parents[2] / "fixtures" / "weka-experimenter"
ORACLES = sorted(p.name for p in WEKA.glob("*.txt"))

SPEC = {
    "datasets": ["iris", "contact-lenses"],
    "classifiers": ["zeror", {"name": "naive-bayes"}, {"name": "knn", "params": {"k": 3}},
                    {"name": "decision-tree", "label": "tree"}],
    "resampling": {"method": "cross_validation", "folds": 3},
    "repetitions": 2,
    "seed": 1,
    "metrics": ["accuracy", "kappa", "rmse", "f_measure"],
}
TIMES = ["train_seconds", "test_seconds"]
_CELL = re.compile(r"(-?\d+\.\d+)\(\s*(-?\d+\.\d+)\)\s*([v*]?)")


def _tester_output(name: str) -> tuple[str, int, list[list[tuple[float, float, str]]]]:
    """WEKA's tester output ``name``: the measure, the base result set (1 first), and
    per dataset each column's mean, standard deviation and mark, as printed."""
    text = (WEKA / name).read_text()
    metric = _found(r"^Analysing:\s+(\S+)", text)
    base = int(_found(r"^Dataset\s+\((\d+)\)", text))
    rows = [[(float(m), float(s), mark) for m, s, mark in _CELL.findall(line)]
            for line in text.splitlines() if re.match(r"^\(\d+\)\s+\(\d+\)", line)]
    return metric, base, rows


def _found(pattern: str, text: str, group: int = 1) -> str:
    match = re.search(pattern, text, re.M)
    assert match is not None, pattern
    return match.group(group)


def _decimals(number: str) -> int:
    return len(number.split(".")[1])


@pytest.mark.parametrize("oracle", ORACLES)
def test_wekas_results_file_gives_wekas_tester_numbers(oracle: str) -> None:
    metric, base, rows = _tester_output(oracle)
    results = WEKA / (oracle.split(".")[0] + ".arff")
    table = read_results(results)
    classifiers = list(dict.fromkeys(table["classifier"]))   # WEKA's (1), (2), (3)
    comparison = compare(table, metric, classifiers[base - 1])
    order = comparison.classifiers                            # base first, as WEKA's
    assert classifiers.index(order[0]) + 1 == base
    text = (WEKA / oracle).read_text()
    mean_digits = _decimals(_found(_CELL.pattern, text, 1))
    std_digits = _decimals(_found(_CELL.pattern, text, 2))
    assert len(rows) == len(comparison.datasets) == 2
    for dataset, weka_row in zip(comparison.datasets, rows, strict=True):
        for column, (clf, (mean, std, mark)) in enumerate(zip(order, weka_row,
                                                              strict=True)):
            cell = comparison.cells[(dataset, clf)]
            assert round(cell.mean, mean_digits) == pytest.approx(mean, abs=1e-12)
            assert round(cell.std, std_digits) == pytest.approx(std, abs=1e-12)
            if column:   # WEKA marks by value: v higher than the base, * lower
                assert comparison.tests[(dataset, clf)].marker == mark, (dataset, clf)


def test_analyse_prints_wekas_marks_and_names_schemes_as_weka_users_do(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["experiment", "analyse", str(WEKA / "cv-iris-labor.arff")]) == 0
    out = capsys.readouterr().out
    assert "Analysing:  accuracy" in out
    iris = next(line for line in out.splitlines() if line.startswith("iris"))
    assert re.search(r"33\.33\(0\.00\) \|\s+94\.67\(3\.58\) v\s+94\.67\(3\.58\) v$", iris)
    assert "(2) J48 -C 0.25 -M 2" in out
    # WEKA's name of a measure, and a learner named without its options
    assert main(["experiment", "analyse", str(WEKA / "split-iris-diabetes.arff"),
                 "--metric", "Percent_correct", "--baseline", "Logistic", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["metric"] == "accuracy"
    assert document["baseline"]["classifier"].startswith("Logistic -R 1.0E-8")


def test_analyse_reads_wekas_arff_from_standard_input(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    class Piped:
        buffer = io.BytesIO((WEKA / "split-iris-diabetes.arff").read_bytes())

        def isatty(self) -> bool:
            return False

    monkeypatch.setattr(sys, "stdin", Piped())
    assert main(["experiment", "analyse", "-", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    iris = document["datasets"][0]["results"]
    assert [round(r["mean"], 4) for r in iris] == [33.3333, 96.0784, 94.902]


def test_a_weka_split_file_has_no_fold_column_and_reads_as_fold_1() -> None:
    table = read_results(WEKA / "split-iris-diabetes.arff")
    assert set(table["fold"]) == {1}
    assert sorted(set(table["repetition"])) == [1, 2, 3, 4, 5]
    # WEKA's numbers under our names, the others under WEKA's
    assert {"accuracy", "kappa", "rmse", "num_train", "train_seconds",
            "Weighted_avg_area_under_PRC", "Number_correct"} <= set(table.columns)
    assert "Date_time" not in table.columns and "Key_Scheme" not in table.columns
    columns = list(table.columns)   # ours first, as a choice of measure starts there
    assert columns.index("test_seconds") < columns.index("Number_correct")


def _bad(tmp_path: Path, edit: object) -> str:
    lines = (WEKA / "cv-iris-labor.arff").read_text().splitlines(keepends=True)
    path = tmp_path / "results.arff"
    path.write_text("".join(edit(lines)))  # type: ignore[operator]
    return str(path)


@pytest.mark.parametrize(("edit", "words"), [
    (lambda lines: [line.replace("Key_Dataset", "Dataset") for line in lines],
     r"results.arff:74: not a results table \(expected the CSV file that 'workbench "
     r"experiment run' writes, or ARFF results as WEKA's Experimenter "
     r"\(InstancesResultListener\) .* write them, with attributes Key_Dataset, Key_Run, "
     r"Key_Scheme, .*; it has no Key_Dataset\)"),
    (lambda lines: [line.replace("Number_of_training_instances", "Training_size")
                    for line in lines],
     r"results.arff:74: not a results table \(.*; it has no "
     r"Number_of_training_instances\)"),
    (lambda lines: [*lines[:79], lines[79].replace("iris,1,", "iris,?,", 1), *lines[80:]],
     r"results.arff:80: Key_Run has no value \('\?'\): every run needs one"),
    (lambda lines: [*lines[:80], lines[79], *lines[80:]],
     r"results.arff:81: the run \(dataset iris, classifier ZeroR, repetition 1, fold "
     r"5\) is already on line 80"),
    (lambda lines: [*lines[:79], lines[79].replace(",120,", ",x,", 1), *lines[80:]],
     r"results.arff:80:\d+: .*'x'"),
])
def test_a_malformed_arff_results_file_is_refused_at_its_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], edit: object,
        words: str) -> None:
    path = _bad(tmp_path, edit)
    assert main(["experiment", "analyse", path]) == 2
    err = capsys.readouterr().err
    assert re.search(words, err), err
    assert "Traceback" not in err


def _run(tmp_path: Path, out: str, spec: dict | None = None) -> Path:
    spec_path = tmp_path / "small.experiment.json"
    spec_path.write_text(json.dumps(spec or SPEC))
    assert main(["experiment", "run", str(spec_path), "--out", str(tmp_path / out),
                 "--quiet"]) == 0
    return tmp_path / out


def test_run_writes_arff_results_in_wekas_layout_that_read_back_as_the_csv(
        tmp_path: Path) -> None:
    arff, csv = _run(tmp_path, "ours.arff"), _run(tmp_path, "ours.csv")
    written = read_arff(arff)
    weka = read_arff(WEKA / "cv-iris-labor.arff")
    assert written.relation == weka.relation == "InstanceResultListener"
    theirs = {a.name: a.type for a in weka.attributes}
    names = [a.name for a in written.attributes]
    assert names[:6] == ["Key_Dataset", "Key_Run", "Key_Fold", "Key_Scheme",
                         "Key_Scheme_options", "Key_Scheme_version_ID"]
    assert {"Percent_correct", "Kappa_statistic", "Root_mean_squared_error",
            "Weighted_avg_F_measure", "Number_of_training_instances",
            "Elapsed_Time_training"} <= set(names)
    assert all(theirs[a.name] == a.type for a in written.attributes)   # WEKA's types
    schemes = written.attributes[names.index("Key_Scheme")].values
    assert schemes == ("weka.classifiers.rules.ZeroR", "weka.classifiers.bayes.NaiveBayes",
                       "weka.classifiers.lazy.IBk", "DecisionTree")
    assert "-K 3" in written.attributes[names.index("Key_Scheme_options")].values
    # Read back: the same table as the CSV run's, labels included (times differ)
    ours, theirs_csv = read_results(arff), read_results(csv)
    keep = [c for c in theirs_csv.columns if c not in TIMES]
    assert list(ours.columns) == list(theirs_csv.columns)
    pd.testing.assert_frame_equal(ours[keep], theirs_csv[keep], check_dtype=False)
    assert list(dict.fromkeys(ours["classifier"])) == ["zeror", "naive-bayes",
                                                       "knn --k 3", "tree"]


def test_a_split_run_writes_no_fold_column_as_weka_does(tmp_path: Path) -> None:
    spec = {**SPEC, "resampling": {"method": "split", "percent": 66}, "repetitions": 3}
    written = read_arff(_run(tmp_path, "split.arff", spec))
    names = [a.name for a in written.attributes]
    assert "Key_Fold" not in names and names[:2] == ["Key_Dataset", "Key_Run"]
    assert len(read_results(tmp_path / "split.arff")) == 2 * 4 * 3


def test_a_stopped_arff_run_resumes_from_its_finished_runs(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    full = _run(tmp_path, "full.arff")
    capsys.readouterr()
    lines = full.read_text().splitlines(keepends=True)
    data = next(i for i, line in enumerate(lines) if line.startswith("@data")) + 1
    stopped = tmp_path / "stopped.arff"
    stopped.write_text("".join(lines[:data + 10]) + lines[data + 10][:15])  # a torn run
    (tmp_path / "stopped.arff.spec.json").write_bytes(
        (tmp_path / "full.arff.spec.json").read_bytes())
    _run(tmp_path, "stopped.arff")
    assert "38 runs computed, 10 already done, 48 in all" in capsys.readouterr().out
    resumed, whole = read_results(stopped), read_results(full)
    keep = [c for c in whole.columns if c not in TIMES]
    pd.testing.assert_frame_equal(resumed[keep], whole[keep])
    assert stopped.read_text().count("\n") == full.read_text().count("\n")


def test_arff_results_are_no_longer_refused_but_a_packed_name_is(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "small.experiment.json"
    spec.write_text(json.dumps(SPEC))
    assert main(["experiment", "run", str(spec), "--out", str(tmp_path / "r.ARFF"),
                 "--quiet"]) == 0
    assert "written as CSV, not ARFF" not in capsys.readouterr().err
    assert main(["experiment", "run", str(spec), "--out", str(tmp_path / "r.arff.gz"),
                 "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "never gzip-packed: name it .arff (e.g. r.arff)" in err
    assert not (tmp_path / "r.arff.gz").exists()


def test_two_classifiers_weka_would_take_for_one_scheme_are_refused_for_arff(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "twice.experiment.json"
    spec.write_text(json.dumps({**SPEC, "classifiers": [
        {"name": "zeror", "label": "a"}, {"name": "zeror", "label": "b"}]}))
    assert main(["experiment", "run", str(spec), "--out", str(tmp_path / "r.arff"),
                 "--quiet"]) == 2
    assert ("classifiers 'a' and 'b' are the same scheme to WEKA "
            "(weka.classifiers.rules.ZeroR '')") in capsys.readouterr().err
    assert not (tmp_path / "r.arff").exists()


def test_wekas_measure_names_work_on_our_csv_table(tmp_path: Path) -> None:
    table = read_results(_run(tmp_path, "ours.csv"))
    assert compare(table, "Root_mean_squared_error").metric == "rmse"
    with pytest.raises(WorkbenchError, match="no metric 'Number_correct'"):
        compare(table, "Number_correct")


def test_a_learner_named_without_its_options_must_name_one() -> None:
    labels = ["ZeroR", "IBk -K 1", "IBk -K 3", "J48 -C 0.25 -M 2"]
    assert resolve_classifier("j48", labels, {}) == "J48 -C 0.25 -M 2"
    with pytest.raises(WorkbenchError, match="'IBk' names 2 classifiers"):
        resolve_classifier("IBk", labels, {})
