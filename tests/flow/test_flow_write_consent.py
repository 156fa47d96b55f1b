"""Consent to write beyond the flow's folder covers exactly the files the user was shown.

The editor lists the targets of ``planned_writes`` that need consent and hands the run
the resolved paths the user agreed to (``Executor.run(consented=...)``). Any other file
outside the folder, or over an existing file no run wrote, is refused as without
consent: a node the plan does not know (a plugin that writes), or the consented name
reached through a folder swapped for a link after the question. A saver that numbers
its files (one per fold) is listed as such, and consent covers those names as new
files. ``workbench run --allow-outside-writes`` stays the blanket consent it always was.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from flow_helpers import iris_path, make_registry

from workbench.core.atomic import write_text_atomic
from workbench.core.params import Param
from workbench.flow import Executor, Flow, Status, save_flow
from workbench.flow.nodes.base import NodeContext, NodeType
from workbench.flow.writes import (
    NumberedFiles,
    WriteGuard,
    WriteRecord,
    WriteRefused,
    planned_writes,
)


class Scribbler(NodeType):
    """A plugin node that writes a file its plan entry does not show: it has no
    ``file`` parameter and claims to have no side effects, as a careless plugin might."""

    name = "Scribbler"
    target = Param.text("", "the file it writes")

    def process(self, inputs: Mapping[str, Any], context: NodeContext) -> dict[str, Any]:
        path = context.resolve_output(self.target)
        write_text_atomic(context.claim_output(path), "scribbled\n")
        context.wrote(path)
        return {}


@pytest.fixture
def reg():
    registry = make_registry()
    registry.add(Scribbler)
    return registry


@pytest.fixture
def tmp(tmp_path):
    """The test's folder with its links resolved, as consent compares files (on some
    systems the temporary folder sits behind a link, /tmp -> /private/tmp)."""
    return tmp_path.resolve()


def csv_flow(reg, folder: Path, file: str) -> Flow:
    """iris -> CSVSaver writing ``file``, saved in ``folder``."""
    flow = Flow(reg)
    flow.add_node("ArffLoader", node_id="loader", params={"file": str(iris_path())})
    flow.add_node("CSVSaver", node_id="saver", params={"file": file})
    flow.connect("loader", "dataSet", "saver", "dataSet")
    folder.mkdir(parents=True, exist_ok=True)
    save_flow(flow, folder / "f.kflow.json")
    return flow


def consent_to_plan(flow: Flow) -> frozenset[Path]:
    """What the editor hands the run when the user clicks "Write them"."""
    return frozenset(p.real for p in planned_writes(flow) if p.needs_consent)


def test_a_consented_target_is_written_and_an_unlisted_one_is_refused(reg, tmp):
    outside = tmp / "outside"
    outside.mkdir()
    a, b = outside / "a.csv", outside / "b.csv"
    flow = csv_flow(reg, tmp / "flow", str(a))
    flow.add_node("Scribbler", node_id="scribbler", params={"target": str(b)})
    consented = consent_to_plan(flow)
    assert consented == {a}  # the plan shows A only: the plugin is not a saver
    result = Executor(cache=False).run(flow, consented=consented)
    assert result.states["saver"].status is Status.DONE
    assert a.is_file() and result.written == [a]
    state = result.states["scribbler"]
    assert state.status is Status.ERROR
    assert f"will not write {b} without your consent: outside" in state.message
    assert not b.exists()
    assert sorted(p.name for p in outside.iterdir()) == ["a.csv"]  # no temporary left
    # The same run with the command line's blanket flag writes both, as before.
    result = Executor(cache=False).run(flow, allow_outside_writes=True)
    assert result.ok and b.read_text() == "scribbled\n"


def _fold_saver_flow(reg, target: Path) -> Flow:
    flow = Flow(reg)
    flow.add_node("ArffLoader", node_id="loader", params={"file": str(iris_path())})
    flow.add_node("CSVSaver", node_id="saver", params={"file": str(target)})
    flow.add_node("ClassAssigner", node_id="class")
    flow.add_node("CrossValidationFoldMaker", node_id="cv", params={"folds": 2})
    flow.connect("loader", "dataSet", "class", "dataSet")
    flow.connect("class", "dataSet", "cv", "dataSet")
    flow.connect("cv", "trainingSet", "saver", "trainingSet")
    return flow


def test_consent_to_a_fold_saver_covers_its_new_numbered_files(reg, tmp):
    outside = tmp / "outside"
    outside.mkdir()
    flow = _fold_saver_flow(reg, outside / "fold.csv")
    plan = [p for p in planned_writes(flow) if p.needs_consent]
    assert [p.real for p in plan] == [outside / "fold.csv"] and plan[0].numbered
    assert "new numbered files beside it (fold_*.csv)" in plan[0].describe()
    result = Executor(cache=False).run(flow, consented=consent_to_plan(flow))
    assert result.ok, result.states["saver"].message
    assert sorted(f.name for f in outside.iterdir()) == [
        "fold_trainingSet_1.csv", "fold_trainingSet_2.csv"]
    # A second run replaces what the first wrote, under the same consent.
    assert Executor(cache=False).run(flow, consented=consent_to_plan(flow)).ok


def test_numbered_consent_never_overwrites_an_existing_file(reg, tmp):
    outside = tmp / "outside"
    outside.mkdir()
    (outside / "fold_trainingSet_2.csv").write_text("the user's own file")
    flow = _fold_saver_flow(reg, outside / "fold.csv")
    result = Executor(cache=False).run(flow, consented=consent_to_plan(flow))
    state = result.states["saver"]
    assert state.status is Status.ERROR and "fold_trainingSet_2.csv" in state.message
    assert (outside / "fold_trainingSet_2.csv").read_text() == "the user's own file"
    assert not (outside / "fold_trainingSet_1.csv").exists()  # refused before writing any


def test_numbered_consent_covers_only_that_saver_and_its_name_shape(reg, tmp):
    outside = tmp / "outside"
    family = NumberedFiles("saver", outside, "a", ".csv")
    guard = WriteGuard((tmp / "flow",), consented=frozenset({outside / "a.csv"}),
                       numbered=frozenset({family}))
    assert guard.agreed(outside / "a_trainingSet_1.csv", "saver")
    assert guard.agreed(outside / "a_weights-0.csv", "saver")
    assert not guard.agreed(outside / "a_trainingSet_1.csv", "another node")
    assert not guard.agreed(outside / "a_trainingSet_1.csv")
    for other in ("a_1.tsv", "a_.csv", "a_1/x.csv", "b_1.csv", "a_ 1.csv", "a_1.csv.sh",
                  "a.csv_x", "a.csv_1.gz"):
        assert not guard.agreed(outside / other, "saver"), other
    plain = WriteGuard((tmp / "flow",), consented=frozenset({outside / "a.csv"}))
    assert not plain.agreed(outside / "a_trainingSet_1.csv", "saver")


def test_another_node_cannot_write_beside_a_consented_fold_saver(reg, tmp):
    outside = tmp / "outside"
    outside.mkdir()
    flow = _fold_saver_flow(reg, outside / "fold.csv")
    flow.add_node("Scribbler", node_id="plugin", params={"target": str(outside / "fold_x.csv")})
    result = Executor(cache=False).run(flow, consented=consent_to_plan(flow))
    assert result.states["saver"].status is Status.DONE
    assert result.states["plugin"].status is Status.ERROR
    assert not (outside / "fold_x.csv").exists()


def test_the_question_shows_the_numbered_names_the_saver_writes(reg, tmp):
    outside = tmp / "outside"
    outside.mkdir()
    flow = _fold_saver_flow(reg, outside / "my.data.csv.gz")
    (plan,) = [p for p in planned_writes(flow) if p.needs_consent]
    assert plan.numbered == ("my.data", ".csv.gz")
    assert "(my.data_*.csv.gz)" in plan.describe()
    assert Executor(cache=False).run(flow, consented=consent_to_plan(flow)).ok
    assert sorted(f.name for f in outside.iterdir()) == [
        "my.data_trainingSet_1.csv.gz", "my.data_trainingSet_2.csv.gz"]


def _split_flow(reg, saver: str, target: Path) -> Flow:
    """iris -> ClassAssigner -> a saver ``saver`` writing ``target``, nothing linked to
    it yet, beside a split, a cross-validation and a classifier on each."""
    flow = Flow(reg)
    flow.add_node("ArffLoader", node_id="loader", params={"file": str(iris_path())})
    flow.add_node("ClassAssigner", node_id="class")
    flow.add_node("TrainTestSplitMaker", node_id="split")
    flow.add_node("CrossValidationFoldMaker", node_id="cv", params={"folds": 2})
    flow.add_node("classifier:zeror", node_id="on_split")
    flow.add_node("classifier:zeror", node_id="on_cv")
    flow.add_node(saver, node_id="saver", params={"file": str(target)})
    flow.connect("loader", "dataSet", "class", "dataSet")
    for maker, classifier in (("split", "on_split"), ("cv", "on_cv")):
        flow.connect("class", "dataSet", maker, "dataSet")
        flow.connect(maker, "trainingSet", classifier, "trainingSet")
    return flow


def test_a_saver_fed_one_dataset_is_listed_with_its_one_file(reg, tmp):
    """Walkthrough 11c, item 9: an ArffSaver fed one dataset was listed "and new
    numbered files beside it (elsewhere_*.arff)", a family of files it never writes,
    and *Write them* consented to them all. Only folds bring numbered files."""
    outside = tmp / "outside"
    outside.mkdir()
    flow = _split_flow(reg, "ArffSaver", outside / "elsewhere.arff")
    flow.connect("class", "dataSet", "saver", "dataSet")
    (plan,) = [p for p in planned_writes(flow) if p.needs_consent]
    assert plan.numbered is None and "numbered" not in plan.describe()
    guard = WriteGuard.for_run(flow, tmp / "flow", consented=consent_to_plan(flow))
    assert guard.agreed(outside / "elsewhere.arff", "saver")
    assert not guard.agreed(outside / "elsewhere_trainingSet_1.arff", "saver")
    result = Executor(cache=False).run(flow, consented=consent_to_plan(flow))
    assert result.ok and sorted(f.name for f in outside.iterdir()) == ["elsewhere.arff"]


def _planned_and_written(flow: Flow, folder: Path) -> tuple[bool, list[str]]:
    """Whether the plan lists the saver with numbered files, and what the run with the
    consent to that plan wrote in ``folder``."""
    (plan,) = [p for p in planned_writes(flow) if p.needs_consent]
    result = Executor(cache=False).run(flow, consented=consent_to_plan(flow))
    assert result.ok, result.states["saver"].message
    return plan.numbered is not None, sorted(f.name for f in folder.iterdir())


def test_a_data_saver_is_listed_with_numbered_files_only_when_it_writes_them(reg, tmp):
    """What the plan lists is what the run writes: numbered files come from the folds
    of a cross-validation, or from a second set linked beside the first; a split's
    training or test set alone ("fold 1 of 1") is written as the file named."""
    cases = [
        ([("split", "trainingSet", "trainingSet")], False),
        ([("split", "testSet", "testSet")], False),
        ([("cv", "trainingSet", "trainingSet")], True),
        ([("split", "trainingSet", "trainingSet"), ("split", "testSet", "testSet")], True),
        ([("class", "dataSet", "dataSet"), ("split", "testSet", "testSet")], True),
    ]
    for number, (links, numbered) in enumerate(cases):
        outside = tmp / f"outside{number}"
        outside.mkdir()
        flow = _split_flow(reg, "CSVSaver", outside / "d.csv")
        for source, port, target_port in links:
            flow.connect(source, port, "saver", target_port)
        listed, written = _planned_and_written(flow, outside)
        assert listed == numbered and (written != ["d.csv"]) == numbered, (links, written)


def test_a_model_saver_is_listed_with_numbered_files_only_after_a_cross_validation(
        reg, tmp):
    for classifier, written in (("on_split", ["m.model"]),
                                ("on_cv", ["m_fold_1.model", "m_fold_2.model"])):
        outside = tmp / classifier
        outside.mkdir()
        flow = _split_flow(reg, "ModelSaver", outside / "m.model")
        flow.connect(classifier, "batchClassifier", "saver", "batchClassifier")
        assert _planned_and_written(flow, outside) == (len(written) > 1, written)


def test_a_file_name_that_names_the_root_folder_is_refused_not_a_traceback(reg, tmp):
    flow = Flow(reg)
    flow.add_node("ImageSaver", node_id="image", params={"file": "/"})
    (plan,) = planned_writes(flow)
    assert plan.refused and "names a folder, not a file" in plan.reason


def test_declining_writes_nothing(reg, tmp):
    outside = tmp / "outside.csv"
    flow = csv_flow(reg, tmp / "flow", str(outside))
    result = Executor(cache=False).run(flow, consented=frozenset())
    assert result.states["saver"].status is Status.ERROR
    assert "consent" in result.states["saver"].message
    assert not outside.exists() and result.written == []


def test_consent_to_overwrite_covers_that_file_only(reg, tmp):
    folder = tmp / "flow"
    flow = csv_flow(reg, folder, "results.csv")
    (folder / "results.csv").write_text("mine")
    (folder / "notes.csv").write_text("also mine")
    flow.add_node("Scribbler", node_id="scribbler", params={"target": "notes.csv"})
    plan = planned_writes(flow)
    assert [(p.path.name, p.reason) for p in plan] == [
        ("results.csv", "it exists and would be overwritten")]
    result = Executor(cache=False).run(flow, consented=consent_to_plan(flow))
    assert result.states["saver"].status is Status.DONE
    assert (folder / "results.csv").read_text().startswith("sepallength")
    state = result.states["scribbler"]
    assert state.status is Status.ERROR and "would be overwritten" in state.message
    assert (folder / "notes.csv").read_text() == "also mine"


def test_a_folder_swapped_for_a_link_after_consent_is_refused(reg, tmp):
    outside, elsewhere = tmp / "outside", tmp / "elsewhere"
    (outside / "sub").mkdir(parents=True)
    elsewhere.mkdir()
    flow = csv_flow(reg, tmp / "flow", str(outside / "sub" / "a.csv"))
    consented = consent_to_plan(flow)
    assert consented == {outside / "sub" / "a.csv"}
    (outside / "sub").rmdir()
    (outside / "sub").symlink_to(elsewhere, target_is_directory=True)
    result = Executor(cache=False).run(flow, consented=consented)
    assert result.states["saver"].status is Status.ERROR
    assert list(elsewhere.iterdir()) == []


def test_consent_is_to_the_resolved_file_whatever_the_name_looks_like(reg, tmp,
                                                                     monkeypatch):
    outside = tmp / "outside"
    outside.mkdir()
    monkeypatch.setenv("HOME", str(outside))
    flow_dir = tmp / "flow"
    flow_dir.mkdir()
    (flow_dir / "link").symlink_to(outside, target_is_directory=True)
    # The same file as "~/a.csv", "../outside/a.csv" and "link/a.csv": one consent.
    for name in ("~/a.csv", "../outside/a.csv", "link/a.csv"):
        flow = csv_flow(reg, flow_dir, name)
        (plan,) = planned_writes(flow)
        assert plan.needs_consent and plan.real == outside / "a.csv"
        assert str(outside / "a.csv") in plan.describe()  # the user sees the real file
    guard = WriteGuard((flow_dir,), consented=frozenset({outside / "a.csv"}))
    assert guard.check(flow_dir / "link" / "a.csv", "saver") == outside / "a.csv"
    assert guard.check(Path("~/a.csv").expanduser(), "saver") == outside / "a.csv"
    # Another case is another file: refused, never allowed by accident.
    with pytest.raises(WriteRefused, match="consent"):
        guard.check(outside / "A.csv", "saver")
    # Consent never reaches a device, nor makes a folder outside.
    guard = WriteGuard((flow_dir,), consented=frozenset({Path("/dev/null"),
                                                          outside / "new" / "a.csv"}))
    with pytest.raises(WriteRefused, match="not a regular file"):
        guard.check(Path("/dev/null"), "saver")
    with pytest.raises(WriteRefused, match="does not exist"):
        guard.check(outside / "new" / "a.csv", "saver")
    assert not (outside / "new").exists()


def _two_target_flow(folder: Path, first: Path, second: Path) -> Path:
    from workbench.core.registry import default_registry

    flow = Flow(default_registry())
    flow.add_node("ArffLoader", node_id="loader", params={"file": str(iris_path())})
    for node_id, target in (("one", first), ("two", second)):
        flow.add_node("CSVSaver", node_id=node_id, params={"file": str(target)})
        flow.connect("loader", "dataSet", node_id, "dataSet")
    folder.mkdir(parents=True, exist_ok=True)
    save_flow(flow, folder / "two.kflow.json")
    return folder / "two.kflow.json"


def test_the_command_line_names_every_target_and_its_flag_allows_all(tmp, capsys):
    from workbench.cli import main

    outside = tmp / "outside"
    outside.mkdir()
    first, second = outside / "first.csv", outside / "second.csv"
    path = _two_target_flow(tmp / "flow", first, second)
    assert main(["run", str(path)]) == 2
    err = capsys.readouterr().err
    assert str(first) in err and str(second) in err and "Traceback" not in err
    assert "--allow-outside-writes" in err
    assert list(outside.iterdir()) == []
    assert main(["run", str(path), "--allow-outside-writes"]) == 0
    assert first.is_file() and second.is_file()


def test_a_fold_saver_numbers_only_the_names_it_writes(reg, tmp, monkeypatch):
    # Consent to a fold saver's x.csv covers x_trainingSet_N.csv and x_testSet_N.csv,
    # not x_final.csv, even a file an earlier flow run of the user wrote there.
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp / "home"))
    outside = tmp / "outside"
    outside.mkdir()
    final = outside / "fold_final.csv"
    final.write_text("the result of another flow")
    WriteRecord().add([final])
    flow = _fold_saver_flow(reg, outside / "fold.csv")
    guard = WriteGuard.for_run(flow, tmp / "flow", consented=consent_to_plan(flow))
    assert guard.agreed(outside / "fold_trainingSet_3.csv", "saver")
    assert guard.agreed(outside / "fold_testSet_10.csv", "saver")
    for other in ("fold_final.csv", "fold_weights-0.csv", "fold_trainingSet_.csv",
                  "fold_trainingSet_1_x.csv"):
        assert not guard.agreed(outside / other, "saver"), other
