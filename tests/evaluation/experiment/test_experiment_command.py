"""``workbench experiment run`` and ``analyse`` end to end through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import small_definition

from workbench.cli import main
from workbench.evaluation.experiment import load_spec

EXAMPLES = Path(__file__).resolve().parents[3] / "workbench" / "resources" / "experiments"


def test_run_then_analyse(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "exp.json"
    spec.write_text(json.dumps(small_definition()))
    out = tmp_path / "results.csv"
    assert main(["experiment", "run", str(spec), "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert "54 runs computed, 0 already done, 54 in all" in captured.out
    assert "100% 54/54 runs done" in captured.err
    assert main(["experiment", "run", str(spec), "--out", str(out), "--quiet"]) == 0
    assert "0 runs computed, 54 already done" in capsys.readouterr().out
    assert main(["experiment", "analyse", str(out), "--baseline", "zeror"]) == 0
    text = capsys.readouterr().out
    assert "Analysing:  accuracy" in text and "(v/ /*)" in text
    iris = next(line for line in text.splitlines() if line.startswith("iris"))
    assert iris.count(" v") == 2  # naive Bayes and IBk beat ZeroR on iris
    assert main(["experiment", "analyse", str(out), "--metric", "kappa",
                 "--format", "latex"]) == 0
    assert r"\begin{tabular}" in capsys.readouterr().out
    assert main(["experiment", "analyse", str(out), "--format", "csv"]) == 0
    assert capsys.readouterr().out.startswith("dataset,runs,zeror mean")


def test_default_results_path_sits_beside_the_spec(tmp_path: Path) -> None:
    spec = tmp_path / "tiny.experiment.json"
    spec.write_text(json.dumps(small_definition(datasets=["weather.numeric"],
                                                repetitions=1)))
    assert main(["experiment", "run", str(spec), "--quiet"]) == 0
    assert (tmp_path / "tiny.results.csv").is_file()
    assert (tmp_path / "tiny.results.csv.spec.json").is_file()


def test_user_mistakes_exit_with_status_2(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "bad.json"
    spec.write_text(json.dumps(small_definition(classifiers=["nope"])))
    assert main(["experiment", "run", str(spec)]) == 2
    assert "bad.json: classifiers[0]" in capsys.readouterr().err
    assert main(["experiment", "analyse", str(tmp_path / "missing.csv")]) == 2
    assert "no such results file" in capsys.readouterr().err
    good = tmp_path / "good.json"
    good.write_text(json.dumps(small_definition()))
    assert main(["experiment", "run", str(good), "--backend", "local",
                 "--scheduler", "tcp://127.0.0.1:8786"]) == 2
    assert "--scheduler only applies to the dask backend" in capsys.readouterr().err


def test_bundled_example_is_the_issue_experiment() -> None:
    spec = load_spec(EXAMPLES / "three-learners.experiment.json")
    assert len(spec.datasets) == 3 and len(spec.classifiers) == 3
    assert spec.repetitions == 10 and spec.resampling.folds == 10


def test_a_bundled_experiment_runs_by_name_into_the_users_output_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    # The lessons page tells users to `workbench experiment run` the optimisers lesson.
    monkeypatch.setenv("WORKBENCH_OUTPUT", str(tmp_path / "out"))
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "mine.csv"
    assert main(["experiment", "run", "optimisers", "--quiet", "--out", str(out)]) == 0
    assert "18 runs computed" in capsys.readouterr().out and out.is_file()
    assert main(["experiment", "run", "no-such-lesson", "--quiet"]) == 2
    assert "no-such-lesson: no such file" in capsys.readouterr().err


def test_analyse_takes_a_classifier_by_the_name_the_window_shows(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    definition = small_definition(classifiers=["zeror", "naive-bayes",
                                               {"name": "knn", "params": {"k": 3}}])
    spec = tmp_path / "exp.json"
    spec.write_text(json.dumps(definition))
    out = tmp_path / "results.csv"
    assert main(["experiment", "run", str(spec), "--out", str(out), "--quiet"]) == 0
    capsys.readouterr()
    for name in ("NaiveBayes", "naive-bayes", "naivebayes"):
        assert main(["experiment", "analyse", str(out), "--baseline", name]) == 0
        assert "(1) NaiveBayes" in capsys.readouterr().out, name   # as the window says
    for name in ("IBk -K 3", "knn --k 3"):
        assert main(["experiment", "analyse", str(out), "--baseline", name]) == 0
        assert "(1) IBk -K 3" in capsys.readouterr().out, name
    assert main(["experiment", "analyse", str(out), "--baseline", "J48"]) == 2
    err = capsys.readouterr().err
    assert "no classifier 'J48'" in err and "NaiveBayes (naive-bayes)" in err


def test_analyse_takes_the_command_line_name_of_a_labelled_classifier(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The bundled three-learners labels its classifiers ("NaiveBayes", "IBk -K 3"); the
    # names they were run by (naive-bayes, knn --k 3, as --help's example) still work
    # (walkthrough 7, item 5). Its classifiers, on less data to stay quick.
    bundled = json.loads((EXAMPLES / "three-learners.experiment.json").read_text())
    assert all(entry.get("label") for entry in bundled["classifiers"])
    definition = small_definition(classifiers=bundled["classifiers"],
                                  datasets=["iris", "weather.numeric"])
    spec = tmp_path / "three.json"
    spec.write_text(json.dumps(definition))
    out = tmp_path / "results.csv"
    assert main(["experiment", "run", str(spec), "--out", str(out), "--quiet"]) == 0
    capsys.readouterr()
    for name, shown in (("naive-bayes", "NaiveBayes"), ("NaiveBayes", "NaiveBayes"),
                        ("knn --k 3", "IBk -K 3"), ("KNN --K 3", "IBk -K 3"),
                        ("IBk -K 3", "IBk -K 3"), ("zeror", "ZeroR")):
        assert main(["experiment", "analyse", str(out), "--baseline", name]) == 0, name
        assert f"(1) {shown}" in capsys.readouterr().out, name
    assert main(["experiment", "analyse", str(out), "--baseline", "J48"]) == 2
    err = capsys.readouterr().err
    assert "NaiveBayes (naive-bayes)" in err and "IBk -K 3 (knn --k 3)" in err


def test_analyse_refuses_a_name_two_labelled_classifiers_share(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    definition = small_definition(
        classifiers=[{"name": "knn", "label": "near"},
                     {"name": "knn", "params": {"distance_weighting": "inverse"},
                      "label": "weighted"},
                     {"name": "knn", "label": "again"}],
        datasets=["weather.numeric"], repetitions=1)
    spec = tmp_path / "same.json"
    spec.write_text(json.dumps(definition))
    out = tmp_path / "results.csv"
    assert main(["experiment", "run", str(spec), "--out", str(out), "--quiet"]) == 0
    capsys.readouterr()
    assert main(["experiment", "analyse", str(out), "--baseline", "knn"]) == 2
    assert "'knn' names 2 classifiers in the results (near, again)" in \
        capsys.readouterr().err


def test_analyse_marks_better_and_worse_on_an_error_measure(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "exp.json"
    spec.write_text(json.dumps(small_definition()))
    out = tmp_path / "results.csv"
    assert main(["experiment", "run", str(spec), "--out", str(out), "--quiet"]) == 0
    capsys.readouterr()
    assert main(["experiment", "analyse", str(out), "--metric", "rmse",
                 "--baseline", "zeror"]) == 0
    text = capsys.readouterr().out
    assert "v significantly better than (1) ZeroR, * significantly worse; lower is " \
           "better for rmse" in text
    iris = next(line for line in text.splitlines() if line.startswith("iris"))
    assert iris.count(" v") == 2 and " *" not in iris  # lower rmse than ZeroR: better
    assert main(["experiment", "analyse", str(out), "--metric", "rmse",
                 "--format", "latex"]) == 0
    assert "significantly better, worse than (1) ZeroR (lower is better for rmse)" in \
        capsys.readouterr().out
    assert main(["experiment", "analyse", str(out), "--metric", "rmse",
                 "--format", "csv"]) == 0      # the CSV keeps the labels scripts select by
    assert capsys.readouterr().out.startswith("dataset,runs,zeror mean,")
