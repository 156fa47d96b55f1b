"""``workbench run`` and ``workbench plugins`` end to end, in-process."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import pytest

from workbench.cli import main
from workbench.core.registry import reset_default_registry

ROOT = Path(__file__).resolve().parents[1]
FLOWS = ROOT / "workbench" / "resources" / "flows"
IRIS = ROOT / "workbench" / "resources" / "datasets" / "iris.arff"
CV = FLOWS / "cross-validation.kflow.json"


def _without_times(text: str) -> list[str]:
    return [line for line in text.splitlines() if not line.startswith("Time taken")]


# The Explorer's section titles (a flow's TextViewer) and WEKA's command line's (classify).
_TITLES = {"=== Evaluation on test set ===": "=== Error on test data ==="}


def _report_lines(text: str) -> list[str]:
    """A report's lines in either layout, the Explorer's (``run``) or WEKA's command
    line's (``classify -v``): no timings, blank lines, "=== Summary ===" heading or
    "Options: -K 3 " line (WEKA's command line alone prints the options typed)."""
    return [_TITLES.get(line, line) for line in _without_times(text)
            if line.strip() and line != "=== Summary ==="
            and not line.startswith("Options: ")]


def test_cross_validation_template_prints_what_classify_prints(capsys):
    assert main(["run", str(CV)]) == 0
    flow_text = capsys.readouterr().out
    # -o: no model, as a flow's cross-validation (WEKA's Knowledge Flow's) trains none
    # on the full data; its folds' models are the classifier node's text
    assert main(["classify", "-t", str(IRIS), "-x", "10", "-s", "1", "-v", "-o",
                 "knn"]) == 0
    classify_text = capsys.readouterr().out
    assert "Correctly Classified Instances         143" in flow_text
    assert _report_lines(flow_text) == _report_lines(classify_text)


def test_json_has_the_fields_of_classify_json_and_set_changes_parameters(capsys):
    assert main(["run", str(CV), "--json", "--set", "IBk.k=3",
                 "--set", "cv.seed=2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1
    flow_json = json.loads(lines[0])
    assert main(["classify", "-t", str(IRIS), "-x", "10", "-s", "2", "--json", "knn",
                 "-K", "3"]) == 0
    classify_json = json.loads(capsys.readouterr().out)
    assert (flow_json.pop("node"), flow_json.pop("title")) == (
        "evaluator", "ClassifierPerformanceEvaluator")
    flow_json.pop("build_time_seconds")
    classify_json.pop("build_time_seconds")
    assert flow_json == classify_json


def test_every_template_runs_and_writes_its_viewers(template_run):
    templates = sorted(FLOWS.glob("*.kflow.json"))
    assert len(templates) >= 3
    # each exits 0 (the fixture asserts it); the lesson tests read the same runs
    out = {t.name.split(".")[0]: template_run(t.name.split(".")[0]) for t in templates}
    roc = list(csv.DictReader((out["roc-two-classifiers"] / "roc.csv").open()))
    series = {row["series"] for row in roc}
    assert len(series) == 2 and all("AUC" in s for s in series)
    assert (out["learn-and-save-model"] / "iris-ibk.model").is_file()
    report = (out["cross-validation"] / "report.txt").read_text()
    assert "=== Confusion Matrix ===" in report
    mlp = out["mlp-digits-weights"]
    hidden = list(csv.reader((mlp / "weights_0_weight.csv").open()))
    assert len(hidden) == 1 + 16 and len(hidden[0]) == 64  # 16 units x 8x8 inputs
    assert (mlp / "weights_0_weight.png").read_bytes().startswith(b"\x89PNG")
    assert (mlp / "mlp-digits-hidden-units.png").read_bytes().startswith(b"\x89PNG")
    curve = list(csv.DictReader((mlp / "curve.csv").open()))
    assert {row["series"] for row in curve} >= {"loss"}
    assert len(list(csv.reader((mlp / "matrix.csv").open()))) == 1 + 10
    # a viewer that writes its own files (file=...) is not exported a second time
    lesson = sorted(p.name for p in out["vanishing-gradients"].iterdir())
    assert "vanishing-sigmoid.png" in lesson and "vanishing-relu.csv" in lesson
    assert not [name for name in lesson if name.startswith("dyn_")], lesson


def test_bad_flow_file_and_bad_settings_exit_2(tmp_path, capsys):
    bad = tmp_path / "bad.kflow.json"
    bad.write_text("{not json")
    assert main(["run", str(bad)]) == 2
    assert f"{bad}:1:2:" in capsys.readouterr().err
    assert main(["run", str(CV), "--set", "IBk.k=zero"]) == 2
    assert "cannot read 'zero'" in capsys.readouterr().err
    assert main(["run", str(CV), "--set", "nosuchnode.k=1"]) == 2
    assert "no node 'nosuchnode'" in capsys.readouterr().err


def test_a_failing_node_exits_1_and_says_why(tmp_path, capsys):
    # A file that is there but does not read fails while running (a missing one is
    # refused before the run: test_cli_run_paths.py).
    (tmp_path / "broken.arff").write_text("@relation r\n@attribute a numeric\n@data\nx,y\n")
    data = json.loads(CV.read_text())
    data["nodes"][0]["parameters"]["file"] = "broken.arff"
    flow = tmp_path / "f.kflow.json"
    flow.write_text(json.dumps(data))
    assert main(["run", str(flow)]) == 1
    err = capsys.readouterr().err
    assert "node 'ArffLoader' (loader) failed" in err and "broken.arff" in err
    assert "node 'IBk' (classifier) did not run" in err


def test_a_missing_plugin_is_reported_and_the_rest_runs(tmp_path, capsys):
    data = json.loads(CV.read_text())
    data["nodes"][0]["parameters"]["file"] = str(IRIS)
    data["nodes"].append({"id": "extra", "type": "classifier:c45", "title": "J48",
                          "parameters": {"confidence": 0.25}, "plugin": "weka_trees"})
    data["links"].append({"from": {"node": "cv", "port": "trainingSet"},
                          "to": {"node": "extra", "port": "trainingSet"}})
    flow = tmp_path / "f.kflow.json"
    flow.write_text(json.dumps(data))
    assert main(["run", str(flow)]) == 1
    captured = capsys.readouterr()
    assert "needs plugin 'weka_trees'" in captured.err
    assert "Correctly Classified Instances" in captured.out


def test_plugins_lists_shipped_and_broken_plugins(tmp_path, monkeypatch, capsys):
    (tmp_path / "broken_one.py").write_text("raise RuntimeError('half written')\n")
    monkeypatch.setenv("WORKBENCH_PLUGIN_PATH", os.pathsep.join([str(tmp_path),
                                                                 str(ROOT / "plugins")]))
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "home"))
    reset_default_registry()
    try:
        assert main(["plugins"]) == 0
        out = capsys.readouterr().out
        assert "ok      plugin" in out and "extra_sklearn.py" in out
        assert "added 1 classifier, 1 flow node type\n" in out
        assert "failed  plugin" in out and "half written" in out
        assert main(["list", "classifiers"]) == 0
        assert "qda" in capsys.readouterr().out
    finally:
        reset_default_registry()


@pytest.mark.parametrize(("name", "settings", "plugin"), [
    ("gradient-boosting", ["--set", "classifier.trees=20"], None), ("lda", [], None),
    ("qda", [], "extra_sklearn")])
def test_plugin_learners_run_in_a_flow(name, settings, plugin, tmp_path, capsys,
                                       monkeypatch):
    monkeypatch.setenv("WORKBENCH_PLUGIN_PATH", str(ROOT / "plugins"))
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "home"))
    reset_default_registry()
    monkeypatch.setattr("workbench.core.registry._default", None)
    data = json.loads(CV.read_text())
    data["nodes"][0]["parameters"]["file"] = str(IRIS)
    data["nodes"][3]["type"] = f"classifier:{name}"
    flow = tmp_path / "f.kflow.json"
    flow.write_text(json.dumps(data))
    assert main(["run", str(flow), "--json", "--set", "cv.folds=3", *settings]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["accuracy"] > 85
    # a saved flow records the plugin, so opening it without the plugin says what to get
    from workbench.flow import flow_to_dict, load_flow

    saved = flow_to_dict(load_flow(flow))
    assert saved["nodes"][3].get("plugin") == plugin


def test_nodes_lists_what_set_can_change_without_running(capsys):
    assert main(["run", str(CV), "--nodes", "--set", "cv.folds=5"]) == 0
    out = capsys.readouterr().out
    assert "cv  'CrossValidationFoldMaker'  (CrossValidationFoldMaker)" in out
    assert "    cv.folds=5\n" in out and "    classifier.select_k=false\n" in out
    assert "Correctly" not in out


def test_supplied_test_set_flow_prints_what_classify_minus_t_prints(tmp_path, capsys):
    data_dir = ROOT / "workbench" / "resources" / "datasets"
    train, test = data_dir / "segment-challenge.arff", data_dir / "segment-test.arff"
    nodes = [{"id": "tr", "type": "ArffLoader", "parameters": {"file": str(train)}},
             {"id": "te", "type": "ArffLoader", "parameters": {"file": str(test)}},
             {"id": "c1", "type": "ClassAssigner"}, {"id": "c2", "type": "ClassAssigner"},
             {"id": "tsm", "type": "TrainingSetMaker"}, {"id": "esm", "type": "TestSetMaker"},
             {"id": "k", "type": "IBk", "parameters": {"k": 3}},
             {"id": "e", "type": "ClassifierPerformanceEvaluator"},
             {"id": "t", "type": "TextViewer"}]
    wires = [("tr", "dataSet", "c1", "dataSet"), ("te", "dataSet", "c2", "dataSet"),
             ("c1", "dataSet", "tsm", "dataSet"), ("c2", "dataSet", "esm", "dataSet"),
             ("tsm", "trainingSet", "k", "trainingSet"), ("esm", "testSet", "k", "testSet"),
             ("k", "batchClassifier", "e", "batchClassifier"), ("e", "text", "t", "text")]
    links = [{"from": {"node": a, "port": ap}, "to": {"node": b, "port": bp}}
             for a, ap, b, bp in wires]
    flow = tmp_path / "tt.kflow.json"
    flow.write_text(json.dumps({"format": "workbench-flow", "schema_version": 2,
                                "nodes": nodes, "links": links}))
    assert main(["run", str(flow)]) == 0
    flow_text = capsys.readouterr().out
    assert main(["classify", "-t", str(train), "-T", str(test), "-v", "knn", "-K",
                 "3"]) == 0
    classify_text = capsys.readouterr().out
    assert "Test mode:    user supplied test set: 810 instances" in flow_text
    assert _report_lines(flow_text) == _report_lines(classify_text)


def test_verbose_lists_each_nodes_status_and_log(tmp_path, capsys):
    template = FLOWS / "learn-and-save-model.kflow.json"
    assert main(["run", str(template), "-v", "--out", str(tmp_path)]) == 0
    err = capsys.readouterr().err
    assert "loader: done\n    loaded " in err
    assert f"saved IBk (k-nearest neighbours) (training set) to {tmp_path}" in err
    nodes = len(json.loads(template.read_text())["nodes"])
    assert f"workbench: run finished: {nodes} nodes: {nodes} computed\n" in err


@pytest.fixture(autouse=True)
def _private_workbench_home(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("workbench-home")
    monkeypatch.setenv("WORKBENCH_HOME", str(home))
    monkeypatch.setenv("WORKBENCH_OUTPUT", str(home / "output"))
    return home


def _saver_flow(folder: Path, file: str) -> Path:
    text = (FLOWS / "learn-and-save-model.kflow.json").read_text()
    text = text.replace('"iris"', json.dumps(str(IRIS)))
    text = text.replace('"iris-ibk.model"', json.dumps(file))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "save.kflow.json"
    path.write_text(text)
    return path


def test_run_refuses_writes_outside_the_flow_folder_before_running(tmp_path, capsys):
    outside = tmp_path / "elsewhere" / "stolen.model"
    outside.parent.mkdir()
    flow = _saver_flow(tmp_path / "flow", str(outside))
    assert main(["run", str(flow)]) == 2
    err = capsys.readouterr().err
    assert "would write where it may not" in err and str(outside) in err
    assert "--allow-outside-writes" in err and "Traceback" not in err
    assert not outside.exists()
    assert main(["run", str(flow), "--out", str(tmp_path / "out")]) == 2
    assert main(["run", str(flow), "--allow-outside-writes"]) == 0
    assert outside.is_file()
    assert f"wrote {outside}" in capsys.readouterr().err


def test_run_never_writes_a_fifo_even_with_the_flag(tmp_path, capsys):
    flow = _saver_flow(tmp_path / "flow", "pipe.model")
    os.mkfifo(tmp_path / "flow" / "pipe.model")
    assert main(["run", str(flow), "--allow-outside-writes"]) == 2
    assert "not a regular file" in capsys.readouterr().err


def test_relative_names_go_next_to_the_flow_file_and_are_listed(tmp_path, capsys,
                                                               monkeypatch):
    monkeypatch.chdir(tmp_path)
    flow = _saver_flow(tmp_path / "flow", "iris.model")
    assert main(["run", str(flow)]) == 0
    assert f"wrote {tmp_path / 'flow' / 'iris.model'}" in capsys.readouterr().err
    assert not (tmp_path / "iris.model").exists()
    assert main(["run", str(flow)]) == 0  # its own output is replaced without asking


def test_a_bundled_template_runs_by_name_and_writes_into_the_user_folder(
        tmp_path, capsys, monkeypatch, _private_workbench_home):
    monkeypatch.chdir(tmp_path)
    assert main(["run", "learn-and-save-model"]) == 0
    target = _private_workbench_home / "output" / "learn-and-save-model" / "iris-ibk.model"
    assert target.is_file()
    assert f"wrote {target}" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
    assert not (FLOWS / "iris-ibk.model").exists()
    assert main(["run", "no-such-template"]) == 2
    assert "cross-validation" in capsys.readouterr().err


def test_a_nul_in_a_flow_name_or_out_folder_exits_2(capsys):
    assert main(["run", "a\x00b"]) == 2
    assert main(["run", "cross-validation", "--out", "a\x00b"]) == 2
    assert main(["experiment", "run", "x\x00.json"]) == 2
    err = capsys.readouterr().err
    assert err.count("NUL") == 3 and "Traceback" not in err


def test_viewer_exports_do_not_replace_a_strangers_file_in_out(tmp_path, monkeypatch, capsys):
    """--out confines the viewers' NODE.txt files like the savers' files: an existing file
    no run wrote is kept unless the user agrees; the run's own outputs are replaced."""
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "home"))
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.txt").write_text("my notes\n")
    assert main(["run", "cross-validation", "--out", str(out)]) == 2
    assert (out / "report.txt").read_text() == "my notes\n"
    assert "would be overwritten" in capsys.readouterr().err
    (out / "report.txt").unlink()
    assert main(["run", "cross-validation", "--out", str(out)]) == 0
    assert main(["run", "cross-validation", "--out", str(out)]) == 0
    assert (out / "report.txt").read_text().startswith("=== Run information ===")


def test_a_data_file_kept_as_a_link_to_a_hash_named_blob_loads_by_its_own_name(tmp_path,
                                                                                capsys):
    # git-annex, DVC and model hubs keep data as links to blobs named by hash: the
    # loader goes by the name the flow gives (iris.arff), not the blob's.
    store = tmp_path / "store"
    store.mkdir()
    (store / "SHA256-e3b0c442").write_bytes(IRIS.read_bytes())
    (tmp_path / "iris.arff").symlink_to(store / "SHA256-e3b0c442")
    (tmp_path / "loop_a.arff").symlink_to(tmp_path / "loop_b.arff")
    (tmp_path / "loop_b.arff").symlink_to(tmp_path / "loop_a.arff")
    text = (FLOWS / "cross-validation.kflow.json").read_text()
    assert '"file": "iris"' in text
    for name, status in (("iris.arff", 0), ("loop_a.arff", 2)):
        flow = tmp_path / f"{name}.kflow.json"
        flow.write_text(text.replace('"file": "iris"', f'"file": {json.dumps(name)}'))
        assert main(["run", str(flow), "-v"]) == status
        err = capsys.readouterr().err
        assert "Traceback" not in err
        assert (f"loaded {tmp_path / name}: 150 instances" in err if status == 0
                else f"{tmp_path / name}: no such file" in err)


def _mlp_flow(tmp_path: Path, fold_maker: dict) -> Path:
    """The cross-validation template with a 4-epoch MLP and ``fold_maker`` as its "cv"."""
    data = json.loads(CV.read_text())
    for node in data["nodes"]:
        if node["id"] == "classifier":
            node.update(type="classifier:mlp", title="MLP",
                        parameters={"epochs": 4, "solver": "sgd"})
        if node["id"] == "cv":
            node.update(fold_maker)
    flow = tmp_path / "mlp.kflow.json"
    flow.write_text(json.dumps(data))
    return flow


def test_json_after_a_cross_validation_has_each_folds_learning_curve(tmp_path, capsys):
    """No model learned from all the data, so there is no one ``learning_curve``; each
    fold's model has its own, as the LearningCurveViewer shows them ("One model per
    fold"), numbered as the report numbers the folds."""
    flow = _mlp_flow(tmp_path, {"parameters": {"folds": 3, "seed": 1}})
    assert main(["run", str(flow), "--json", "--no-progress"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert "learning_curve" not in report
    curves = report["learning_curves"]
    assert [c["fold"] for c in curves] == [1, 2, 3]
    for curve in curves:
        assert curve["epochs"] == [1, 2, 3, 4]
        assert len(curve["loss"]) == 4 and len(curve["accuracy"]) == 4
    assert len({tuple(c["loss"]) for c in curves}) == 3   # three models, three curves
    # A split's one model made every prediction: its learning_curve, as before, alone.
    split = _mlp_flow(tmp_path, {"type": "TrainTestSplitMaker", "title": "split",
                                 "parameters": {"percent": 66, "seed": 1}})
    assert main(["run", str(split), "--json", "--no-progress"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert "learning_curves" not in report
    assert report["learning_curve"]["epochs"] == [1, 2, 3, 4]


def test_json_with_two_evaluators_is_json_lines_and_says_so(capsys):
    """One object per line for each evaluator, as --help documents: a flow with two
    evaluators prints two lines, each a whole JSON document, and --help tells how to
    read them (a flow with one evaluator prints one object, as before)."""
    assert main(["run", str(FLOWS / "roc-two-classifiers.kflow.json"), "--json",
                 "--no-progress"]) == 0
    lines = capsys.readouterr().out.splitlines()
    reports = [json.loads(line) for line in lines]
    assert len(reports) == 2
    assert len({r["node"] for r in reports}) == 2
    with pytest.raises(SystemExit):
        main(["run", "--help"])
    usage = "".join(capsys.readouterr().out.split())   # as wrapped at any width
    assert "printJSONLinesinsteadofthetext" in usage
    assert "jq-s." in usage and "python-mjson.tool--json-lines" in usage
