"""The editor's "Write them" covers the files it listed and nothing else (house rule: a
flow from a stranger cannot overwrite files outside where the user agreed).

``confirm_writes`` is replaced by a fake that records what the user would be shown and
agrees; the runner's executor is watched to see the allow-list the run really got.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from flow_editor_helpers import run_to_end

from workbench.core.resources import resource_dir
from workbench.flow import Flow, save_flow
from workbench.gui.flow_editor import write_consent

IRIS = str(resource_dir("datasets") / "iris.arff")


@pytest.fixture
def tmp(tmp_path):
    """The test's folder with its links resolved, as consent compares files (on some
    systems the temporary folder sits behind a link, /tmp -> /private/tmp)."""
    return tmp_path.resolve()


def _flow(registry, folder: Path, savers: dict[str, str]) -> Flow:
    """iris -> one CSVSaver per entry (node id -> file), saved in ``folder``."""
    flow = Flow(registry)
    flow.add_node("ArffLoader", node_id="loader", params={"file": IRIS})
    for node_id, file in savers.items():
        flow.add_node("CSVSaver", node_id=node_id, params={"file": file})
        flow.connect("loader", "dataSet", node_id, "dataSet")
    folder.mkdir(parents=True, exist_ok=True)
    save_flow(flow, folder / "f.kflow.json")
    return flow


def _folds_and_whole(registry, folder: Path, folds: Path, whole: Path) -> Flow:
    """iris -> class -> 2-fold CV -> CSVSaver "folds" (one file per fold beside
    ``folds``), and iris -> class -> CSVSaver "whole"; saved in ``folder``."""
    flow = Flow(registry)
    flow.add_node("ArffLoader", node_id="loader", params={"file": IRIS})
    flow.add_node("ClassAssigner", node_id="class")
    flow.add_node("CrossValidationFoldMaker", node_id="cv", params={"folds": 2})
    flow.add_node("CSVSaver", node_id="folds", params={"file": str(folds)})
    flow.add_node("CSVSaver", node_id="whole", params={"file": str(whole)})
    flow.connect("loader", "dataSet", "class", "dataSet")
    flow.connect("class", "dataSet", "cv", "dataSet")
    flow.connect("cv", "trainingSet", "folds", "trainingSet")
    flow.connect("class", "dataSet", "whole", "dataSet")
    folder.mkdir(parents=True, exist_ok=True)
    save_flow(flow, folder / "f.kflow.json")
    return flow


class Agree:
    """A user who clicks "Write them", remembering every list they were shown."""

    def __init__(self, answer: bool = True) -> None:
        self.shown: list[list[Path]] = []
        self.answer = answer

    def __call__(self, parent, targets) -> bool:
        self.shown.append([t.real for t in targets])
        return self.answer


def _editor(make_editor, flow, monkeypatch):
    editor = make_editor()
    editor.set_flow(flow)
    editor.output_dir = editor.runner.output_dir = None
    given = []
    run = editor.runner.executor.run

    def watched(*args, **options):
        given.append(options.get("consented"))
        assert not options.get("allow_outside_writes")  # never the blanket flag
        return run(*args, **options)

    monkeypatch.setattr(editor.runner.executor, "run", watched)
    return editor, given


def test_the_run_gets_exactly_the_listed_targets(make_editor, registry, qtbot, tmp,
                                                 monkeypatch):
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp / "home"))
    folder, outside = tmp / "flow", tmp / "outside"
    outside.mkdir()
    folder.mkdir()
    (folder / "old.csv").write_text("the user's own file")
    flow = _flow(registry, folder, {"out": str(outside / "a.csv"), "inside": "new.csv",
                                    "over": "old.csv"})
    editor, given = _editor(make_editor, flow, monkeypatch)
    agree = Agree()
    editor.confirm_writes = agree
    assert run_to_end(qtbot, editor).ok
    expected = {outside / "a.csv", folder / "old.csv"}
    assert len(agree.shown) == 1 and set(agree.shown[0]) == expected
    assert given == [expected] and editor.runner.agreed == {
        ("out", outside / "a.csv"), ("over", folder / "old.csv")}
    assert (f"existing files): {folder / 'old.csv'}, {outside / 'a.csv'}"
            in editor.log.toPlainText())
    assert (outside / "a.csv").is_file() and (folder / "new.csv").is_file()
    assert (folder / "old.csv").read_text() != "the user's own file"


def test_a_file_the_list_did_not_show_is_refused_and_logged(make_editor, registry, qtbot,
                                                            tmp, monkeypatch):
    # A saver fed folds writes one numbered file per fold beside the name it lists; the
    # consent covers them as new files, never over a file of the user's of that shape.
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp / "home"))
    outside = tmp / "outside"
    outside.mkdir()
    (outside / "f_trainingSet_2.csv").write_text("the user's own file")
    flow = _folds_and_whole(registry, tmp / "flow", outside / "f.csv", outside / "w.csv")
    editor, given = _editor(make_editor, flow, monkeypatch)
    editor.confirm_writes = Agree()
    result = run_to_end(qtbot, editor)
    assert given == [{outside / "f.csv", outside / "w.csv"}]
    assert result.failed == ["folds"]
    assert result.states["whole"].status.name == "DONE"  # the rest of the flow runs
    assert sorted(p.name for p in outside.iterdir()) == ["f_trainingSet_2.csv", "w.csv"]
    assert (outside / "f_trainingSet_2.csv").read_text() == "the user's own file"
    log = editor.log.toPlainText()
    assert f"will not write {outside / 'f_trainingSet_2.csv'} without your consent" in log


def test_a_rerun_asks_only_about_targets_not_agreed_before(make_editor, registry, qtbot,
                                                           tmp, monkeypatch):
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp / "home"))
    outside = tmp / "outside"
    outside.mkdir()
    flow = _flow(registry, tmp / "flow", {"out": str(outside / "a.csv")})
    editor, given = _editor(make_editor, flow, monkeypatch)
    agree = Agree()
    editor.confirm_writes = agree
    assert run_to_end(qtbot, editor).ok
    assert run_to_end(qtbot, editor).ok  # the same plan: no second question
    assert agree.shown == [[outside / "a.csv"]]
    flow.set_params("out", file=str(outside / "b.csv"))
    assert run_to_end(qtbot, editor).ok
    assert agree.shown == [[outside / "a.csv"], [outside / "b.csv"]]
    # Each run is allowed its own plan's targets only, not all agreed so far.
    assert given == [{outside / "a.csv"}, {outside / "a.csv"}, {outside / "b.csv"}]
    # A file agreed to but changed since by someone else is asked about again.
    (outside / "b.csv").write_text("edited by the user since")
    editor.confirm_writes = Agree(answer=False)
    assert not editor.run_all()
    assert (outside / "b.csv").read_text() == "edited by the user since"
    # Declining a new target runs nothing and agrees to nothing.
    flow.set_params("out", file=str(outside / "c.csv"))
    assert not editor.run_all()
    assert not (outside / "c.csv").exists() and len(given) == 3
    assert all(real != outside / "c.csv" for _, real in editor.runner.agreed)
    # Another flow opened in the window starts with no consent.
    editor.set_flow(_flow(registry, tmp / "other", {"out": str(outside / "a.csv")}))
    editor.output_dir = editor.runner.output_dir = None
    again = Agree(answer=False)
    editor.confirm_writes = again
    assert not editor.run_all() and again.shown == [[outside / "a.csv"]]


def test_running_selected_nodes_asks_about_the_savers_they_need(registry, tmp):
    # A TextViewer fed by a saver: running the viewer runs the saver first, so the
    # saver's target is on the list (and in the run's allow-list) too.
    outside = tmp / "outside.csv"
    flow = _flow(registry, tmp / "flow", {"saver": str(outside)})
    flow.add_node("TextViewer", node_id="text")
    flow.connect("saver", "text", "text", "text")
    agree = Agree()
    consent = write_consent.ask_before_run(None, flow, None, ["text"], agree)
    assert agree.shown == [[outside]]
    assert consent.run and consent.consented == {outside}


def test_agreeing_for_one_node_is_not_agreeing_for_another_at_the_same_file(
        make_editor, registry, qtbot, tmp, monkeypatch):
    # One saver writes x.csv; a fold saver names the same file and would number files
    # beside it. Agreeing to the first (a run of that node alone) must not let the
    # second run unasked, or its numbered files would be covered by a question never
    # shown about them.
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp / "home"))
    outside = tmp / "outside"
    outside.mkdir()
    target = outside / "x.csv"
    flow = _folds_and_whole(registry, tmp / "flow", target, target)
    editor, given = _editor(make_editor, flow, monkeypatch)
    agree = Agree(answer=True)
    editor.confirm_writes = agree
    with qtbot.waitSignal(editor.runner.done, timeout=60_000):
        assert editor._start_run(["whole"])
    assert agree.shown == [[target]]
    decline = Agree(answer=False)
    editor.confirm_writes = decline
    assert not editor.run_all()            # the fold saver's x.csv is asked about
    assert decline.shown == [[target]] and given == [{target}]
    assert sorted(p.name for p in outside.iterdir()) == ["x.csv"]
