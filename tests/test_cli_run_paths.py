"""Where ``workbench run`` looks for a loader's data file (walkthrough 7, item 3).

A file given with ``--set`` is a command-line path (relative to the current folder, as in
every other command) or a bundled dataset's name; a file named inside a flow is relative
to the flow's folder, or a bundled name; the bundled templates name their data by name, so
a copy runs anywhere. A file that is not there is refused before anything runs, in one
line naming the node and the file, with exit status 2.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.cli import main

ROOT = Path(__file__).resolve().parents[1]
FLOWS = ROOT / "workbench" / "resources" / "flows"
DATASETS = ROOT / "workbench" / "resources" / "datasets"
CV = FLOWS / "cross-validation.kflow.json"


@pytest.fixture(autouse=True)
def _private_folders(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("WORKBENCH_OUTPUT", str(tmp_path / "home" / "output"))
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return work


def _relation_and_correct(out: str) -> tuple[str, str]:
    relation = next(line.split()[-1] for line in out.splitlines()
                    if line.startswith("Relation:"))
    correct = next(line.split()[3] for line in out.splitlines()
                   if line.startswith("Correctly Classified"))
    return relation, correct


def test_a_set_file_is_relative_to_the_current_folder(_private_folders, capsys):
    (_private_folders / "mine.arff").write_bytes((DATASETS / "diabetes.arff").read_bytes())
    assert main(["run", "cross-validation", "--set", "loader.file=mine.arff",
                 "--no-progress"]) == 0
    assert _relation_and_correct(capsys.readouterr().out) == ("pima_diabetes", "539")


def test_a_set_file_may_be_a_bundled_dataset_name(capsys):
    assert main(["run", "cross-validation", "--set", "loader.file=diabetes",
                 "--no-progress"]) == 0
    assert _relation_and_correct(capsys.readouterr().out) == ("pima_diabetes", "539")


def test_a_copied_template_runs_from_another_folder(_private_folders, capsys):
    copy = _private_folders / "sub" / "cv.kflow.json"
    copy.parent.mkdir()
    copy.write_text(CV.read_text())
    assert main(["run", str(copy), "--no-progress"]) == 0
    assert _relation_and_correct(capsys.readouterr().out) == ("iris", "143")


def test_no_bundled_template_names_its_data_by_a_path_into_the_package():
    for template in FLOWS.glob("*.kflow.json"):
        for node in json.loads(template.read_text())["nodes"]:
            if node["type"].endswith("Loader"):
                assert "/" not in node["parameters"]["file"], template.name


def test_paths_inside_a_flow_stay_relative_to_its_folder(_private_folders, capsys):
    flows = _private_folders / "flows"
    (flows / "data").mkdir(parents=True)
    (flows / "data" / "d.arff").write_bytes((DATASETS / "diabetes.arff").read_bytes())
    data = json.loads(CV.read_text())
    data["nodes"][0]["parameters"]["file"] = "data/d.arff"
    (flows / "f.kflow.json").write_text(json.dumps(data))
    assert main(["run", "flows/f.kflow.json", "--no-progress"]) == 0
    assert _relation_and_correct(capsys.readouterr().out) == ("pima_diabetes", "539")


def test_a_flow_saved_from_an_earlier_template_still_finds_its_data(_private_folders,
                                                                     capsys):
    # Earlier templates said "../datasets/iris.arff"; a flow saved from one elsewhere
    # reads the bundled file when no such file sits beside it.
    data = json.loads(CV.read_text())
    data["nodes"][0]["parameters"]["file"] = "../datasets/iris.arff"
    (_private_folders / "old.kflow.json").write_text(json.dumps(data))
    assert main(["run", "old.kflow.json", "--no-progress"]) == 0
    assert _relation_and_correct(capsys.readouterr().out) == ("iris", "143")


@pytest.mark.parametrize("setting, words", [
    ("loader.file=nope.arff", "nope.arff: no such file in the current folder"),
    ("loader.file=/no/such/x.arff", "/no/such/x.arff: no such file, nor a bundled"),
])
def test_a_missing_set_file_is_one_line_and_exit_2(setting, words, capsys):
    assert main(["run", "cross-validation", "--set", setting]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and words in err and "Traceback" not in err
    assert err.startswith(f"workbench: error: --set {setting}: ")


def test_a_missing_or_wrong_file_in_a_flow_is_one_line_and_exit_2(_private_folders,
                                                                  capsys):
    (_private_folders / "table.csv").write_text("a,b\n1,2\n")
    data = json.loads(CV.read_text())
    for file, words in (("gone.arff", f"{_private_folders / 'gone.arff'}: no such file"),
                        ("table.csv", "'table.csv' is not a .arff or .arff.gz file"),
                        ("", "no file chosen")):
        data["nodes"][0]["parameters"]["file"] = file
        (_private_folders / "f.kflow.json").write_text(json.dumps(data))
        assert main(["run", "f.kflow.json"]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1, err
        assert err.startswith("workbench: error: node 'ArffLoader' (loader): ") and \
            words in err
    assert main(["run", "cross-validation", "--set", "loader.file=table.csv"]) == 2
    assert "is not a .arff or .arff.gz file" in capsys.readouterr().err


def test_a_set_file_beside_the_flow_still_works_with_a_note(_private_folders, tmp_path,
                                                            capsys):
    # Before the current folder came first, --set files were looked for beside the flow:
    # scripts written then keep working, told where the file was found.
    project = tmp_path / "proj" / "my flows"
    project.mkdir(parents=True)
    flow = project / "cv.kflow.json"
    flow.write_text(CV.read_text())
    (project / "other.arff").write_bytes((DATASETS / "diabetes.arff").read_bytes())
    assert main(["run", str(flow), "--set", "loader.file=other.arff"]) == 0
    captured = capsys.readouterr()
    assert "using the one beside the flow" in captured.err
    assert _relation_and_correct(captured.out)[0] == "pima_diabetes"


LEARN_AND_SAVE = FLOWS / "learn-and-save-model.kflow.json"


@pytest.mark.parametrize(("saver", "file"), [
    ("ModelSaver", "model-writes.json"),
    ("ArffSaver", "flow-writes.json"),
    ("CSVSaver", "flow-writes.arff"),
])
def test_a_saver_file_of_the_wrong_kind_is_refused_before_running(
        _private_folders, saver, file, capsys):
    # A saver's file name is known before the run: a wrong extension is bad input,
    # refused with the other checks (exit 2), not a node failing after the others ran.
    data = json.loads(LEARN_AND_SAVE.read_text())
    node = next(n for n in data["nodes"] if n["id"] == "saver")
    node["type"] = saver
    node["parameters"] = {"file": file}
    if saver != "ModelSaver":   # a data saver takes the training set
        data["links"] = [lk for lk in data["links"]
                         if "saver" not in (lk["from"]["node"], lk["to"]["node"])]
        data["links"].append({"from": {"node": "class", "port": "dataSet"},
                              "to": {"node": "saver", "port": "dataSet"}})
    flow = _private_folders / "f.kflow.json"
    flow.write_text(json.dumps(data))
    assert main(["run", str(flow)]) == 2
    err = capsys.readouterr().err
    assert f"'{file}' must end in" in err and "Traceback" not in err
    assert "failed" not in err   # no node ran
    assert list(_private_folders.iterdir()) == [flow]
