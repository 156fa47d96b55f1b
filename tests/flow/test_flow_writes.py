"""A flow writes in its own folder (or the one the user chose) and nowhere else without
consent; it never writes over a device, FIFO or folder, even with consent.

Each saver (ArffSaver, CSVSaver, ModelSaver, ImageSaver) is run through the executor
with targets outside the flow's folder (absolute, ``~``, ``..``, a folder linked to
elsewhere), over an existing file, and onto a FIFO.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from flow_helpers import iris_path, make_registry

from workbench.flow import Executor, Flow, Status, save_flow
from workbench.flow.nodes.base import NodeType
from workbench.flow.nodes.viewers import WeightImages
from workbench.flow.ports import IMAGE, PortSpec
from workbench.flow.writes import WriteGuard, planned_writes

SAVERS = ("ArffSaver", "CSVSaver", "ModelSaver", "ImageSaver")
NAMES = {"ArffSaver": "out.arff", "CSVSaver": "out.csv", "ModelSaver": "out.model",
         "ImageSaver": "out.png"}


class WeightSource(NodeType):
    """Emits one 3-unit weight array over 4x4 inputs, as a WeightViewer would."""

    name = "WeightSource"
    outputs = (PortSpec(IMAGE, IMAGE),)

    def process(self, inputs: Any, context: Any) -> dict[str, Any]:
        arrays = {"w": np.arange(48, dtype=float).reshape(3, 16) - 20}
        return {IMAGE: WeightImages(arrays, 16)}


@pytest.fixture
def reg():
    registry = make_registry()
    registry.add(WeightSource)
    return registry


def saver_flow(reg, saver: str, file: str, folder: Path) -> Flow:
    """A saved flow in ``folder`` whose one saver writes ``file``."""
    flow = Flow(reg)
    if saver == "ImageSaver":
        flow.add_node("WeightSource", node_id="source")
        flow.add_node(saver, node_id="saver", params={"file": file})
        flow.connect("source", IMAGE, "saver", IMAGE)
    else:
        flow.add_node("ArffLoader", node_id="loader", params={"file": str(iris_path())})
        flow.add_node("ClassAssigner", node_id="class")
        flow.connect("loader", "dataSet", "class", "dataSet")
        flow.add_node(saver, node_id="saver", params={"file": file})
        if saver == "ModelSaver":
            flow.add_node("TrainingSetMaker", node_id="training")
            flow.add_node("classifier:zeror", node_id="zeror")
            flow.connect("class", "dataSet", "training", "dataSet")
            flow.connect("training", "trainingSet", "zeror", "trainingSet")
            flow.connect("zeror", "batchClassifier", "saver", "batchClassifier")
        else:
            flow.connect("class", "dataSet", "saver", "dataSet")
    folder.mkdir(parents=True, exist_ok=True)
    save_flow(flow, folder / "f.kflow.json")
    return flow


def run(flow: Flow, **options: Any):
    result = Executor(cache=False).run(flow, **options)
    return result.states["saver"]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


@pytest.mark.parametrize("saver", SAVERS)
def test_a_relative_name_is_written_next_to_the_flow_and_listed(reg, saver, tmp_path):
    flow = saver_flow(reg, saver, "results/" + NAMES[saver], tmp_path / "flow")
    assert [p.reason for p in planned_writes(flow)] == [None]
    result = Executor(cache=False).run(flow)
    assert result.states["saver"].status is Status.DONE, result.states["saver"]
    target = tmp_path / "flow" / "results" / NAMES[saver]
    assert target.is_file()
    assert result.written == [target]
    # A re-run replaces its own output without asking ...
    assert run(flow).status is Status.DONE
    # ... but not a file someone changed since.
    target.write_bytes(b"edited by hand")
    state = run(flow)
    assert state.status is Status.ERROR and "consent" in state.message
    assert target.read_bytes() == b"edited by hand"
    assert run(flow, allow_outside_writes=True).status is Status.DONE
    assert target.read_bytes() != b"edited by hand"


@pytest.mark.parametrize("saver", SAVERS)
@pytest.mark.parametrize("where", ["absolute", "parent", "home", "linked folder"])
def test_no_saver_writes_outside_its_folder_without_consent(reg, saver, where, tmp_path,
                                                           monkeypatch):
    outside = tmp_path / "outside"
    outside.mkdir()
    monkeypatch.setenv("HOME", str(outside))
    name = NAMES[saver]
    file = {"absolute": str(outside / name), "parent": f"../outside/{name}",
            "home": f"~/{name}", "linked folder": f"link/{name}"}[where]
    flow_dir = tmp_path / "flow"
    flow = saver_flow(reg, saver, file, flow_dir)
    (flow_dir / "link").symlink_to(outside)
    before = snapshot(outside)
    plan = planned_writes(flow)
    assert len(plan) == 1 and plan[0].needs_consent and "outside" in plan[0].reason
    state = run(flow)
    assert state.status is Status.ERROR and "consent" in state.message
    assert snapshot(outside) == before
    # With the user's consent it is written.
    assert run(flow, allow_outside_writes=True).status is Status.DONE
    assert (outside / name).is_file()


@pytest.mark.parametrize("saver", SAVERS)
def test_no_folder_is_made_outside_and_out_confines(reg, saver, tmp_path):
    flow = saver_flow(reg, saver, "../made/" + NAMES[saver], tmp_path / "flow")
    state = run(flow, allow_outside_writes=True)
    assert state.status is Status.ERROR and "does not exist" in state.message
    assert not (tmp_path / "made").exists()
    out = tmp_path / "out"
    flow.set_params("saver", file=NAMES[saver])
    assert run(flow, output_dir=out).status is Status.DONE
    assert (out / NAMES[saver]).is_file()
    assert not (tmp_path / "flow" / NAMES[saver]).exists()
    flow.set_params("saver", file="../" + NAMES[saver])  # the flow's folder is not --out
    assert planned_writes(flow, out)[0].needs_consent
    assert run(flow, output_dir=out).status is Status.ERROR


@pytest.mark.parametrize("saver", SAVERS)
def test_a_fifo_or_folder_is_never_written_even_with_consent(reg, saver, tmp_path):
    flow_dir = tmp_path / "flow"
    flow = saver_flow(reg, saver, NAMES[saver], flow_dir)
    os.mkfifo(flow_dir / NAMES[saver])
    plan = planned_writes(flow)
    assert plan[0].refused and not plan[0].needs_consent
    state = run(flow, allow_outside_writes=True)
    assert state.status is Status.ERROR and "not a regular file" in state.message
    assert stat.S_ISFIFO(os.lstat(flow_dir / NAMES[saver]).st_mode)
    (flow_dir / NAMES[saver]).unlink()
    (flow_dir / NAMES[saver]).mkdir()
    assert run(flow, allow_outside_writes=True).status is Status.ERROR
    assert (flow_dir / NAMES[saver]).is_dir()


def test_a_device_is_never_written(tmp_path):
    guard = WriteGuard((tmp_path,), allow_outside=True)
    plan_reason, refused = guard.problem(Path("/dev/null"))
    assert refused and "not a regular file" in plan_reason
    with pytest.raises(Exception, match="not a regular file"):
        guard.check(Path("/dev/null"), "ModelSaver")


def test_model_saver_checks_the_extension(reg, tmp_path):
    flow = saver_flow(reg, "ModelSaver", ".bashrc", tmp_path / "flow")
    state = run(flow, allow_outside_writes=True)
    assert state.status is Status.ERROR and ".model" in state.message
    assert not (tmp_path / "flow" / ".bashrc").exists()


def test_several_files_are_all_refused_before_any_is_written(reg, tmp_path):
    flow = saver_flow(reg, "ArffSaver", "fold.arff", tmp_path / "flow")
    flow.add_node("CrossValidationFoldMaker", node_id="cv", params={"folds": 3})
    flow.connect("class", "dataSet", "cv", "dataSet")
    flow.connect("cv", "trainingSet", "saver", "trainingSet")
    (tmp_path / "flow" / "fold_trainingSet_3.arff").write_text("mine")
    state = run(flow)
    assert state.status is Status.ERROR and "fold_trainingSet_3" in state.message
    assert not (tmp_path / "flow" / "fold_trainingSet_1.arff").exists()
    assert not (tmp_path / "flow" / "fold.arff").exists()


def test_a_nul_in_a_file_name_is_refused(reg, tmp_path):
    flow = saver_flow(reg, "CSVSaver", "a\x00b.csv", tmp_path / "flow")
    assert planned_writes(flow)[0].refused
    assert run(flow).status is Status.ERROR


def test_an_output_folder_reached_through_a_link_is_the_flows_own(tmp_path):
    """--out pointing at a link to a folder (or a home behind one) needs no consent."""
    from workbench.flow.writes import WriteGuard

    real = tmp_path / "real-out"
    real.mkdir()
    link = tmp_path / "link-out"
    link.symlink_to(real, target_is_directory=True)
    guard = WriteGuard((link,))
    assert guard.problem(link / "model.model") == (None, False)
    missing_below_link = link / "not-yet" / "deeper"
    guard = WriteGuard((missing_below_link,))
    assert guard.problem(missing_below_link / "x.arff") == (None, False)
    assert guard.check(missing_below_link / "x.arff", "ArffSaver").parent.is_dir()


@pytest.mark.parametrize(("node", "files"), [
    ("DynamicsViewer", ["lesson.png", "lesson.csv", "lesson.histograms.csv"]),
    ("LearningCurveOverlay", ["lesson.png", "lesson.csv"])])
def test_every_file_a_viewer_writes_is_planned_so_consent_covers_it(node, files, tmp_path):
    # The consent a run asks for is given for the listed files; a CSV written beside
    # the PNG but not listed would overwrite an existing file nobody was asked about.
    flow = Flow(make_registry())
    flow.add_node(node, node_id="view", params={"file": "lesson"})
    (tmp_path / "lesson.histograms.csv").write_text("the user's own file")
    plan = planned_writes(flow, tmp_path)
    assert [p.path for p in plan] == [tmp_path / name for name in files]
    overwritten = [p.path.name for p in plan if p.reason and "overwritten" in p.reason]
    assert overwritten == (["lesson.histograms.csv"] if node == "DynamicsViewer" else [])


@pytest.mark.parametrize("points_to", ["missing outside", "existing outside", "inside"])
def test_a_saver_file_that_is_a_link_says_where_the_link_points(reg, points_to, tmp_path):
    # A dangling link was refused "(it exists and would be overwritten)": its target
    # does not exist, and what a write would really do is replace the link.
    outside = tmp_path / "outside"
    outside.mkdir()
    flow_dir = tmp_path / "flow"
    flow = saver_flow(reg, "ModelSaver", "link.model", flow_dir)
    target = {"missing outside": outside / "made_via_link.model",
              "existing outside": outside / "there.model",
              "inside": flow_dir / "inside.model"}[points_to]
    if points_to != "missing outside":
        target.write_text("keep me")
    (flow_dir / "link.model").symlink_to(target)
    plan = planned_writes(flow)
    reason = plan[0].reason or ""
    assert plan[0].needs_consent and f"it is a link to {target}" in reason
    assert "exists and would be overwritten" not in reason
    assert ("which does not exist" in reason) == (points_to == "missing outside")
    assert (f"is outside {flow_dir}" in reason) == (points_to != "inside")
    assert "replace the link" in reason
    state = run(flow)
    assert state.status is Status.ERROR and "it is a link to" in state.message
    assert (flow_dir / "link.model").is_symlink() and not (outside / "made_via_link.model").exists()


def test_a_folder_that_cannot_be_made_names_the_way_out(reg, tmp_path, monkeypatch):
    """A read-only home (mkdir refused; the tests run as root, which chmod does not
    stop): the node's message says how to write elsewhere."""
    out = tmp_path / "home" / "workbench-output"
    flow = saver_flow(reg, "ArffSaver", "sub/" + NAMES["ArffSaver"], tmp_path / "flow")
    mkdir = Path.mkdir

    def refused(self: Path, *args: Any, **kwargs: Any) -> None:
        if self == out / "sub":
            raise PermissionError(13, "Permission denied", str(self))
        mkdir(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", refused)
    state = run(flow, output_dir=out)
    assert state.status is Status.ERROR
    assert state.message.endswith(
        f"cannot make the folder {out / 'sub'}: Permission denied (choose a folder you "
        f"can write: the node's file, 'workbench run --out DIR' or WORKBENCH_OUTPUT)")
