"""The editor asks before a run writes outside the flow's folder (issue 23 item 1)."""

from __future__ import annotations

import os
import stat

from flow_editor_helpers import run_to_end

from workbench.core.resources import resource_dir
from workbench.flow import Flow, save_flow


def _saver_flow(registry, folder, file):
    flow = Flow(registry)
    iris = folder.parents[0] / "iris.arff"
    iris.write_bytes((resource_dir("datasets") / "iris.arff").read_bytes())
    flow.add_node("ArffLoader", node_id="loader", params={"file": str(iris)})
    flow.add_node("CSVSaver", node_id="saver", params={"file": file})
    flow.connect("loader", "dataSet", "saver", "dataSet")
    folder.mkdir(parents=True, exist_ok=True)
    save_flow(flow, folder / "f.kflow.json")
    return flow


def test_declining_runs_nothing_and_agreeing_writes(make_editor, qtbot, tmp_path,
                                                    monkeypatch):
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "home"))
    outside = tmp_path / "outside.csv"
    editor = make_editor()
    editor.set_flow(_saver_flow(editor.registry, tmp_path / "flow", str(outside)))
    editor.output_dir = editor.runner.output_dir = None
    asked = []

    def decline(parent, targets):
        asked.append([t.path for t in targets])
        return False

    editor.confirm_writes = decline
    assert not editor.run_all()
    assert asked == [[outside]] and not outside.exists()
    assert "declined" in editor.log.toPlainText()
    editor.confirm_writes = lambda parent, targets: True
    assert run_to_end(qtbot, editor).ok
    assert outside.is_file()
    assert str(outside) in editor.log.toPlainText()


def test_no_question_inside_the_folder_and_a_fifo_is_never_written(make_editor, qtbot,
                                                                   tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "home"))
    editor = make_editor()
    flow = _saver_flow(editor.registry, tmp_path / "flow", "inside.csv")
    editor.set_flow(flow)
    editor.output_dir = editor.runner.output_dir = None

    def never(parent, targets):
        raise AssertionError(f"asked about {targets}")

    editor.confirm_writes = never
    assert run_to_end(qtbot, editor).ok
    assert (tmp_path / "flow" / "inside.csv").is_file()
    assert f"savers write into {tmp_path / 'flow'}" in editor.log.toPlainText()
    flow.set_params("saver", file="pipe.csv")
    os.mkfifo(tmp_path / "flow" / "pipe.csv")
    result = run_to_end(qtbot, editor)
    assert result.failed == ["saver"]
    assert stat.S_ISFIFO(os.lstat(tmp_path / "flow" / "pipe.csv").st_mode)
