"""``workbench experiment run`` and ``analyse`` end to end through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import small_definition

from workbench.cli import main
from workbench.evaluation.experiment import load_spec, read_results

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
    assert capsys.readouterr().out.startswith("dataset,runs,ZeroR mean")


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
                 "--format", "csv"]) == 0      # named as the window names them
    assert capsys.readouterr().out.startswith("dataset,runs,ZeroR mean,")


# A classifier without a label is keyed "knn --k 3" in the results and shown "IBk -K 3";
# ZeroR's F-measure on these datasets is undefined (it never predicts some classes).
UNLABELLED = {"datasets": ["iris", "contact-lenses"],
              "classifiers": ["zeror", {"name": "knn", "params": {"k": 3}}],
              "resampling": {"method": "cross_validation", "folds": 3},
              "repetitions": 2, "metrics": ["accuracy", "f_measure"]}


def _unlabelled_results(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                        quiet: bool = True) -> tuple[Path, str]:
    spec = tmp_path / "exp.experiment.json"
    spec.write_text(json.dumps(UNLABELLED))
    out = tmp_path / "exp.results.csv"
    assert main(["experiment", "run", str(spec), "--out", str(out),
                 *(["--quiet"] if quiet else [])]) == 0
    return out, capsys.readouterr().err


def test_run_refuses_a_results_name_ending_arff_gz_before_any_run(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A table is appended to as runs finish, so never packed (``.arff`` is WEKA's
    ARFF layout: test_experiment_weka_arff.py)."""
    spec = tmp_path / "exp.experiment.json"
    spec.write_text(json.dumps(UNLABELLED))
    for name in ("small.arff.gz", "SMALL.ARFF.GZ"):
        assert main(["experiment", "run", str(spec), "--out",
                     str(tmp_path / name), "--quiet"]) == 2
        captured = capsys.readouterr()
        assert "is never gzip-packed: name it .arff (e.g. " \
               f"{name.split('.')[0]}.arff) for WEKA's ARFF results, or .csv" \
               in captured.err
        assert "Traceback" not in captured.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["exp.experiment.json"]


def test_a_measure_without_a_value_is_written_as_missing_and_read_back(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import csv

    import pandas as pd

    out, _ = _unlabelled_results(tmp_path, capsys)
    rows = list(csv.DictReader(out.open()))
    zeror = [r["f_measure"] for r in rows if r["classifier"] == "zeror"]
    assert "" in zeror and "nan" not in out.read_text() and ",?" not in out.read_text()
    # pandas reads the measures as numbers: a tutorial's groupby().mean() works
    frame = pd.read_csv(out)
    assert frame["f_measure"].dtype.kind == "f"
    assert frame.groupby("classifier")["f_measure"].mean()["knn --k 3"] > 0
    # workbench info reads the column as numbers with missing values, not as labels
    assert main(["info", str(out), "--json"]) == 0
    captured = capsys.readouterr()
    f_measure = next(a for a in json.loads(captured.out)["attributes"]
                     if a["name"] == "f_measure")
    assert f_measure["type"] == "numeric"
    assert f_measure["missing"] == [r["f_measure"] for r in rows].count("") > 0
    assert "read as nominal" not in captured.err
    # and the analysis reads it back as before
    assert main(["experiment", "analyse", str(out), "--metric", "f_measure"]) == 0
    assert "contact-lenses" in capsys.readouterr().out
    # tables written before ("?", and "nan" before that) still read, the same
    expected = read_results(out)
    text = out.read_text()
    for spelling in ("?", "nan"):
        out.write_text(text.replace(",,", f",{spelling},"))
        assert text != out.read_text()
        assert read_results(out).equals(expected)
        assert main(["experiment", "analyse", str(out), "--metric", "f_measure"]) == 0


def test_an_infinite_measure_is_read_as_missing_and_said(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``inf`` in a measure (edited by hand; or a relative error over a fold whose prior
    error is 0) made --json die half written (a traceback, status 1) and the text
    table mark an infinite mean significantly better. It is read as missing, left out
    of the test with its pair, and stderr says where."""
    import csv

    out, _ = _unlabelled_results(tmp_path, capsys)
    rows = list(csv.reader(out.open()))
    column = rows[0].index("accuracy")
    line = next(i for i, row in enumerate(rows) if row[1] == "knn --k 3") + 1
    rows[line - 1][column] = "inf"
    with out.open("w", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    for options in (["--json"], []):
        assert main(["experiment", "analyse", str(out), *options]) == 0
        captured = capsys.readouterr()
        assert f"{out}:{line}: column 'accuracy' holds inf, not a finite number: " \
               f"read as missing" in captured.err
        assert "Traceback" not in captured.err
        if options:
            document = json.loads(captured.out)
            knn = next(r for r in document["datasets"][0]["results"]
                       if r["label"] == "knn --k 3")
            assert knn["runs"] == 5 and 0 < knn["mean"] <= 100
        else:
            assert "inf" not in captured.out


def test_analyse_csv_is_a_table_named_as_the_window_names_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import io

    import pandas as pd

    out, progress = _unlabelled_results(tmp_path, capsys, quiet=False)
    # the progress lines name classifiers as the window's lists do
    assert "IBk -K 3, repetition" in progress and "knn --k 3" not in progress
    assert main(["experiment", "analyse", str(out), "--format", "csv"]) == 0
    captured = capsys.readouterr()
    frame = pd.read_csv(io.StringIO(captured.out))
    assert list(frame.columns) == ["dataset", "runs", "ZeroR mean", "ZeroR std",
                                   "ZeroR marker", "IBk -K 3 mean", "IBk -K 3 std",
                                   "IBk -K 3 marker"]
    assert list(frame["dataset"]) == ["iris", "contact-lenses"]
    assert frame["runs"].tolist() == [6, 6]
    assert frame["IBk -K 3 mean"].dtype.kind == "f"
    assert captured.err == ("marks: v significantly better than (1) ZeroR, * "
                            "significantly worse; higher is better for accuracy\n"
                            "(v/ /*): IBk -K 3 2/0/0\n")


def test_analyse_json_gives_every_number_and_both_names(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from workbench.evaluation.experiment import compare, read_results

    out, _ = _unlabelled_results(tmp_path, capsys)
    assert main(["experiment", "analyse", str(out), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    expected = compare(read_results(out), "accuracy")
    assert report["metric"] == "accuracy" and report["higher_is_better"] is True
    assert report["baseline"] == {"classifier": "ZeroR", "label": "zeror"}
    assert report["significance"] == 0.05
    assert [(c["classifier"], c["label"], c["better"], c["same"], c["worse"])
            for c in report["classifiers"]] == [("ZeroR", "zeror", None, None, None),
                                                ("IBk -K 3", "knn --k 3", 2, 0, 0)]
    iris = report["datasets"][0]
    assert iris["dataset"] == "iris" and iris["runs"] == 6
    knn = iris["results"][1]
    cell = expected.cells[("iris", "knn --k 3")]
    assert (knn["mean"], knn["std"], knn["runs"], knn["mark"]) == (
        cell.mean, cell.std, 6, "v")
    assert knn["p_value"] == expected.tests[("iris", "knn --k 3")].p_value
    assert iris["results"][0]["p_value"] is None
    assert [e["classifier"] for e in report["ranking"]] == ["IBk -K 3", "ZeroR"]
    # an undefined mean is null, never NaN (which is not JSON)
    assert main(["experiment", "analyse", str(out), "--metric", "f_measure",
                 "--json"]) == 0
    json.loads(capsys.readouterr().out, parse_constant=lambda c: pytest.fail(c))
    with pytest.raises(SystemExit) as exit_:   # argparse's usage error, status 2
        main(["experiment", "analyse", str(out), "--json", "--format", "csv"])
    assert exit_.value.code == 2
    assert "argument --format: not allowed with argument --json" in \
        capsys.readouterr().err


def test_a_stopped_run_says_so_on_stderr(tmp_path: Path, monkeypatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    from workbench.commands import experiment as command

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(command, "run_experiment", interrupted)
    spec = tmp_path / "exp.experiment.json"
    spec.write_text(json.dumps(UNLABELLED))
    assert main(["experiment", "run", str(spec), "--quiet"]) == 130
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "stopped; finished runs are kept in" in captured.err


def test_a_results_folder_that_cannot_be_made_is_one_line_naming_the_way_out(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A read-only home (here: mkdir refused, as for a user who may not write there; the
    tests run as root, which chmod does not stop) ends in one sentence that names the
    file and how to choose another, not a bare errno."""
    spec = tmp_path / "exp.json"
    spec.write_text(json.dumps(small_definition(datasets=["weather.numeric"],
                                                repetitions=1)))
    out = tmp_path / "home" / "workbench-output" / "results.csv"
    mkdir = Path.mkdir

    def refused(self: Path, *args: object, **kwargs: object) -> None:
        if self == out.parent:
            raise PermissionError(13, "Permission denied", str(self))
        mkdir(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "mkdir", refused)
    assert main(["experiment", "run", str(spec), "--out", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"workbench: error: cannot write the results file {out} "
                          f"({out.parent}: Permission denied): ")
    assert "--out FILE" in err and "WORKBENCH_OUTPUT" in err
    assert "[Errno" not in err and err.count("\n") == 1
