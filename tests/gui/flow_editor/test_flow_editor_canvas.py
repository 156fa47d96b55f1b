"""Building, running and undoing flows through the canvas, as a person would."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest
from flow_editor_helpers import run_to_end

from workbench import cli
from workbench.flow import Status
from workbench.gui.flow_editor.files import templates_dir

IRIS = templates_dir().parent / "datasets" / "iris.arff"


def _without_timing(text: str) -> list[str]:
    return [ln.rstrip() for ln in text.strip().splitlines() if "Time taken" not in ln]


def _statistics(report: str) -> list[str]:
    """The cross-validation's statistics, as the Explorer's layout (the flow's) and WEKA's
    command line's (classify's) both print them: "=== Summary ===" and blank lines
    aside, the same lines."""
    body = report[report.index("=== Stratified cross-validation ==="):]
    return [ln for ln in _without_timing(body)[1:] if ln and ln != "=== Summary ==="]


def _build_classic(editor) -> dict[str, str]:
    """ArffLoader -> ClassAssigner -> CrossValidationFoldMaker -> IBk ->
    ClassifierPerformanceEvaluator -> TextViewer, each added and wired on the canvas."""
    ids = {}
    ids["loader"] = editor.add_node("ArffLoader", (0, 0))
    dialog = editor.parameter_dialog(ids["loader"])
    dialog.sheet.set_values({"file": str(IRIS)})
    dialog.accept()
    assert editor.edit_parameters(ids["loader"], dialog)
    ids["class"] = editor.add_node("ClassAssigner", (160, 0))
    ids["cv"] = editor.add_node("CrossValidationFoldMaker", (320, 0))
    # The classifier comes from the palette, found with its search box.
    editor.node_palette.search.setText("IBk")
    assert "classifier:knn" in editor.node_palette.visible_names()
    ids["knn"] = editor.add_from_palette("classifier:knn")
    editor.scene.nodes[ids["knn"]].setPos(480, 0)
    ids["eval"] = editor.add_node("ClassifierPerformanceEvaluator", (640, 0))
    ids["text"] = editor.add_node("TextViewer", (800, 0))
    wires = [("loader", "dataSet", "class", "dataSet"), ("class", "dataSet", "cv", "dataSet"),
             ("cv", "trainingSet", "knn", "trainingSet"), ("cv", "testSet", "knn", "testSet"),
             ("knn", "batchClassifier", "eval", "batchClassifier"),
             ("eval", "text", "text", "text")]
    for source, out, target, into in wires:
        assert editor.connect_ports(ids[source], out, ids[target], into), editor.last_refusal
    return ids


def test_classic_flow_reports_what_classify_reports_and_undoes_to_empty(make_editor, qtbot):
    editor = make_editor()
    ids = _build_classic(editor)
    assert len(editor.flow) == 6 and len(editor.flow.links) == 6
    assert len(editor.scene.nodes) == 6 and len(editor.scene.links) == 6
    assert editor.modified and editor.windowTitle().startswith("*")

    result = run_to_end(qtbot, editor)
    assert result.ok, {n: str(s) for n, s in result.states.items()}
    qtbot.waitUntil(lambda: editor.scene.nodes[ids["text"]].state.status is Status.DONE)
    viewer = editor.open_viewer(ids["text"])
    shown = viewer.content.toPlainText()

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        # -o: no model, as a flow's cross-validation trains none on the full data
        assert cli.main(["classify", "-t", str(IRIS), "-x", "10", "-s", "1", "-o",
                         "knn"]) == 0
    printed = out.getvalue()
    assert _statistics(shown) == _statistics(printed)
    # ... and the same run information above them (blank lines aside).
    above = [_without_timing(text[:text.index(title)]) for text, title in
             ((shown, "=== Stratified"), (printed, "=== Error on training data"))]
    assert [ln for ln in above[0] if ln] == [ln for ln in above[1] if ln]
    assert "Correctly Classified Instances" in shown
    assert "run finished" in editor.log.text()

    steps = editor.undo_stack.count()
    while editor.undo_stack.canUndo():
        editor.undo_stack.undo()
    assert len(editor.flow) == 0 and not editor.flow.links
    assert not editor.scene.nodes and not editor.scene.links
    while editor.undo_stack.canRedo():
        editor.undo_stack.redo()
    assert editor.undo_stack.index() == steps
    assert sorted(editor.flow.nodes) == sorted(ids.values())
    assert len(editor.flow.links) == 6 and len(editor.scene.links) == 6
    assert editor.flow.node(ids["loader"]).params["file"] == str(IRIS)


def test_only_changed_nodes_re_run(make_editor, qtbot):
    editor = make_editor()
    ids = _build_classic(editor)
    assert run_to_end(qtbot, editor).ok
    again = run_to_end(qtbot, editor)
    assert again.computed == []
    dialog = editor.parameter_dialog(ids["knn"])
    dialog.sheet.set_values({"k": 3})
    dialog.accept()
    assert editor.edit_parameters(ids["knn"], dialog)
    third = run_to_end(qtbot, editor)
    assert third.computed == [ids["knn"], ids["eval"], ids["text"]]
    editor.undo_stack.undo()  # k back to 1: a fresh key, so it computes again
    assert editor.flow.node(ids["knn"]).params["k"] == 1


def test_incompatible_connection_is_refused_with_its_reason(make_editor, qtbot):
    editor = make_editor()
    loader = editor.add_node("ArffLoader", (0, 0))
    viewer = editor.add_node("TextViewer", (200, 0))
    folds = editor.add_node("CrossValidationFoldMaker", (200, 120))
    port = editor.scene.nodes[loader].port("dataSet", "out")
    allowed = editor.scene.begin_link(port)
    assert [(p.node_id, p.name) for p in allowed] == [(folds, "dataSet")]
    text_in = editor.scene.nodes[viewer].port("text", "in")
    assert text_in.highlight == "no"
    reason = editor.scene.drag_link_to(text_in.scenePos())
    assert "takes text" in reason
    with qtbot.waitSignal(editor.scene.refused) as refused:
        assert editor.scene.end_link(text_in) is None
    assert "dataSet" in refused.args[0] and "takes text" in refused.args[0]
    assert "takes text" in editor.status.activity.text()
    assert not editor.flow.links
    assert text_in.highlight == ""
    # An input takes one link.
    assert editor.connect_ports(loader, "dataSet", folds, "dataSet")
    second = editor.add_node("ArffLoader", (0, 120))
    assert not editor.connect_ports(second, "dataSet", folds, "dataSet")
    assert "already has one" in editor.last_refusal


def test_failing_node_shows_its_message_while_others_finish(make_editor, qtbot, tmp_path):
    editor = make_editor()
    bad = editor.add_node("ArffLoader", (0, 0), file=str(tmp_path / "missing.arff"))
    summary = editor.add_node("AttributeSummarizer", (200, 0))
    editor.connect_ports(bad, "dataSet", summary, "dataSet")
    good = editor.add_node("ArffLoader", (0, 160), file=str(IRIS))
    other = editor.add_node("AttributeSummarizer", (200, 160))
    editor.connect_ports(good, "dataSet", other, "dataSet")
    result = run_to_end(qtbot, editor)
    assert result.failed == [bad] and result.blocked == [summary]
    qtbot.waitUntil(lambda: editor.scene.nodes[other].state.status is Status.DONE)
    item = editor.scene.nodes[bad]
    assert item.state.status is Status.ERROR
    assert "missing.arff" in item.state.message
    assert "missing.arff" in item.toolTip()
    assert editor.scene.nodes[summary].state.status is Status.BLOCKED
    assert "missing.arff" in editor.log.text()
    table = editor.open_viewer(other).content
    assert table.rowCount() == 5


def test_delete_move_align_and_notes_are_undoable(make_editor):
    editor = make_editor()
    a = editor.add_node("ArffLoader", (0, 0))
    b = editor.add_node("ClassAssigner", (200, 60))
    editor.connect_ports(a, "dataSet", b, "dataSet")
    editor.select([a, b])
    editor.align("top")
    assert editor.flow.node(b).position == (200.0, 0.0)
    assert editor.scene.nodes[b].pos().y() == 0.0
    editor.undo_stack.undo()
    assert editor.flow.node(b).position == (200.0, 60.0)
    editor.select([a])
    editor.delete_selection()
    assert a not in editor.flow.nodes and not editor.flow.links
    editor.undo_stack.undo()
    assert a in editor.flow.nodes and len(editor.flow.links) == 1
    assert len(editor.scene.links) == 1
    note = editor.scene.add_note("remember the class", (10, 200))
    assert editor.flow.notes[note].text == "remember the class"
    assert list(editor.scene.notes) == [note]
    editor.undo_stack.undo()
    assert not editor.flow.notes and not editor.scene.notes


def test_copy_paste_between_windows_keeps_links(make_editor):
    first = make_editor()
    a = first.add_node("ArffLoader", (0, 0), file=str(IRIS))
    b = first.add_node("ClassAssigner", (200, 0))
    first.connect_ports(a, "dataSet", b, "dataSet")
    first.select([a, b])
    first.copy()
    second = make_editor()
    pasted = second.paste()
    assert len(pasted) == 2 and len(second.flow.links) == 1
    assert second.flow.node(pasted[0]).params["file"] == str(IRIS)
    again = first.paste()  # into the same window: fresh ids beside the originals
    assert set(again).isdisjoint({a, b}) and len(first.flow.links) == 2
    second.undo_stack.undo()
    assert len(second.flow) == 0
    assert second.paste("not a flow") == []


def test_a_second_node_of_a_type_is_numbered_as_weka_numbers_it(make_editor):
    """Two evaluators titled alike cannot be told apart in the log, the undo history or
    the viewers' titles: a new node of a type already there gets the next number."""
    editor = make_editor()
    first = editor.add_node("ClassifierPerformanceEvaluator", (0, 0))
    second = editor.add_node("ClassifierPerformanceEvaluator", (0, 200))
    assert editor.flow.node(first).title == "ClassifierPerformanceEvaluator"
    assert editor.flow.node(second).title == "ClassifierPerformanceEvaluator2"
    assert editor.undo_stack.text(1) == "add ClassifierPerformanceEvaluator2"
    knn = [editor.add_from_palette("classifier:knn") for _ in range(2)]
    assert [editor.flow.node(n).title for n in knn] == ["IBk", "IBk2"]
    # Undo and redo keep the number; a pasted copy takes the next free one.
    editor.undo_stack.undo()
    editor.undo_stack.redo()
    assert editor.flow.node(knn[1]).title == "IBk2"
    editor.select([second])
    editor.copy()
    (pasted,) = editor.paste()
    assert editor.flow.node(pasted).title == "ClassifierPerformanceEvaluator3"


def test_view_zooms_and_fits(make_editor):
    editor = make_editor()
    editor.add_node("ArffLoader", (0, 0))
    editor.add_node("TextViewer", (3000, 2000))
    editor.resize(900, 600)
    editor.show()
    editor.view.fit()
    visible = editor.view.mapToScene(editor.view.viewport().rect()).boundingRect()
    for item in editor.scene.nodes.values():
        assert visible.contains(item.sceneBoundingRect().center())
    scale = editor.view.transform().m11()
    editor.view.zoom(1.25)
    assert abs(editor.view.transform().m11() - scale * 1.25) < 1e-9


def test_save_open_and_unsaved_prompt(make_editor, tmp_path):
    editor = make_editor()
    editor.add_node("ArffLoader", (0, 0), file=str(IRIS))
    path = tmp_path / "mine.kflow.json"
    assert editor.save_to(path)
    assert not editor.modified and "mine.kflow.json" in editor.windowTitle()
    editor.add_node("TextViewer", (200, 0))
    asked = []
    from PySide6.QtWidgets import QMessageBox

    editor.ask_save_changes = lambda: asked.append(1) or QMessageBox.StandardButton.Cancel
    assert not editor.new_flow() and len(editor.flow) == 2
    editor.ask_save_changes = lambda: QMessageBox.StandardButton.Discard
    assert editor.open_file(path, ask=True)
    assert asked == [1] and len(editor.flow) == 1
    from workbench.gui.flow_editor.files import recent_flows

    assert str(path.resolve()) in recent_flows(editor.settings)
    assert not editor.open_file(tmp_path / "nothing.kflow.json")
    assert "nothing.kflow.json" in editor.log.text()


def test_autosave_recovers_unsaved_work(make_editor, tmp_path):
    from workbench.gui.flow_editor import files

    editor = make_editor()
    assert editor.autosave() is None  # nothing unsaved, nothing written
    editor.add_node("ArffLoader", (40, 20), file=str(IRIS))
    written = editor.autosave()
    assert written is not None and written.is_file()
    crashed = written.with_name("autosave-999999999.kflow.json")  # no such process
    written.rename(crashed)
    assert files.orphaned_autosaves() == [crashed]
    fresh = make_editor()
    assert fresh.recover(crashed)
    assert [n.type_name for n in fresh.flow] == ["ArffLoader"]
    assert fresh.flow.node("arffloader1").position == (40.0, 20.0)
    assert fresh.modified and not Path(crashed).exists()


def test_recovered_work_is_unsaved_with_no_empty_undo_step(make_editor):
    # Walkthrough 11c, item 7: after Recover, Edit > Undo read "Undo recover 0 nodes"
    # and did nothing (a no-op step kept the window modified).
    crashed = _crashed_autosave(make_editor)
    editor = make_editor()
    assert editor.recover(crashed)
    assert editor.undo_stack.count() == 0 and not editor.history.undo_action.isEnabled()
    assert editor.modified and editor.windowTitle().startswith("*")
    editor.add_node("ClassAssigner", (240, 20))
    editor.undo_stack.undo()   # back to the recovered flow: still not saved
    assert editor.modified and editor.windowTitle().startswith("*")
    assert [n.type_name for n in editor.flow] == ["ArffLoader"]
    assert editor.save_to(crashed.with_name("recovered.kflow.json"))
    assert not editor.modified and not editor.windowTitle().startswith("*")


def _crashed_autosave(make_editor):
    """A recovery file left by a session that is no longer running."""
    editor = make_editor()
    editor.add_node("ArffLoader", (40, 20), file=str(IRIS))
    written = editor.autosave()
    crashed = written.with_name("autosave-999999999.kflow.json")  # no such process
    written.rename(crashed)
    return crashed


@pytest.fixture
def no_modal_question(monkeypatch):
    """A modal question fails the test rather than wait for an answer nobody gives."""
    from PySide6.QtWidgets import QMessageBox

    def modal(*_args, **_kwargs):
        raise AssertionError("recovery asked in a modal question")

    monkeypatch.setattr(QMessageBox, "question", modal)


def test_recovery_is_offered_in_a_bar_that_leaves_the_keys_alone(make_editor, qtbot,
                                                                  no_modal_question):
    # A modal "Recover it?" came seconds after a template opened from the command line,
    # over it, and took the user's F5 (walk 6).
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    crashed = _crashed_autosave(make_editor)
    editor = make_editor()
    editor.add_node("ArffLoader", (0, 0), file=str(IRIS))
    editor.show()
    editor.offer_recovery()  # as ``workbench flow`` does, before its first paint
    qtbot.waitExposed(editor)
    bar = editor.recovery_bar
    assert bar.isVisible() and bar.current == crashed
    assert bar.text.text().startswith("An unsaved new flow was left when Workbench last")
    assert crashed.name in bar.text.text()
    assert QApplication.activeModalWidget() is None
    # The window starts with the canvas in focus: a Space or Return is not a Recover.
    editor.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    assert QApplication.focusWidget() is editor.view
    # The window's keys still work: F5 runs the flow.
    editor.view.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is editor.view)
    with qtbot.waitSignal(editor.run_action.triggered, timeout=5_000):
        qtbot.keyClick(editor.view, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: not editor.runner.running, timeout=60_000)
    assert crashed.is_file() and bar.isVisible()  # still offered, nothing decided
    # Recover replaces the flow shown (whose unsaved changes the fixture discards).
    qtbot.mouseClick(bar.recover_button, Qt.MouseButton.LeftButton)
    assert [n.position for n in editor.flow] == [(40.0, 20.0)] and editor.modified
    assert not crashed.exists() and not bar.isVisible()


def _two_leftovers(make_editor):
    """An editor offering two recovery files left by crashed sessions (newest first)."""
    first = _crashed_autosave(make_editor)
    second = first.with_name("autosave-999999998.kflow.json")
    second.write_bytes(first.read_bytes())
    editor = make_editor()
    editor.show()
    editor.offer_recovery()
    return editor, first, second


def test_discard_deletes_the_recovery_file_and_offers_the_next(make_editor, qtbot,
                                                               no_modal_question):
    from PySide6.QtCore import Qt

    editor, first, second = _two_leftovers(make_editor)
    bar = editor.recovery_bar
    assert bar.pending == [second, first]
    qtbot.mouseClick(bar.discard_button, Qt.MouseButton.LeftButton)
    assert not second.exists() and bar.current == first and bar.isVisible()
    qtbot.mouseClick(bar.discard_button, Qt.MouseButton.LeftButton)
    assert not first.exists() and not bar.isVisible()
    assert len(editor.flow) == 0
    log = editor.log.text()
    assert f"discarded the recovery file {second}" in log
    assert f"discarded the recovery file {first}" in log


def test_recover_skips_a_file_another_window_recovered_meanwhile(make_editor, qtbot,
                                                                 no_modal_question):
    # Two Workbench windows offer the same leftover; one recovers it. The other's
    # Recover must offer what is left, not fail with "Cannot recover ...: see the log".
    from PySide6.QtCore import Qt

    editor, first, second = _two_leftovers(make_editor)
    bar = editor.recovery_bar
    assert bar.current == second
    second.unlink()   # recovered by another process
    with qtbot.waitSignal(bar.recover_requested, timeout=5_000) as asked:
        qtbot.mouseClick(bar.recover_button, Qt.MouseButton.LeftButton)
    assert asked.args == [first]
    assert "Cannot recover" not in editor.status.activity.text()
    assert [n.position for n in editor.flow] == [(40.0, 20.0)]
    assert not first.exists() and not bar.isVisible()


def test_a_recovery_file_that_cannot_be_deleted_is_said_so(make_editor, qtbot,
                                                           no_modal_question,
                                                           monkeypatch):
    from pathlib import Path

    from PySide6.QtCore import Qt

    crashed = _crashed_autosave(make_editor)
    editor = make_editor()
    editor.show()
    editor.offer_recovery()

    def refuse(self, missing_ok=False):
        raise PermissionError(13, "Permission denied")

    with monkeypatch.context() as patched:
        patched.setattr(Path, "unlink", refuse)
        qtbot.mouseClick(editor.recovery_bar.discard_button, Qt.MouseButton.LeftButton)
    assert crashed.exists() and not editor.recovery_bar.isVisible()
    assert "could not delete the recovery file" in editor.log.text()
    assert "Permission denied" in editor.status.activity.text()


def test_run_from_selected_runs_it_and_what_follows_only(make_editor, qtbot):
    editor = make_editor()
    loader = editor.add_node("ArffLoader", (0, 0), file=str(IRIS))
    left = editor.add_node("AttributeSummarizer", (200, 0))
    right = editor.add_node("AttributeSummarizer", (200, 160))
    editor.connect_ports(loader, "dataSet", left, "dataSet")
    editor.connect_ports(loader, "dataSet", right, "dataSet")
    editor.select([loader])
    menu = editor.node_menu(loader)
    assert [a.text() for a in menu.actions() if a.text()] == [
        "Parameters...", "Rename...", "Connect to", "Connect from", "Disconnect",
        "Run from here", "Delete"]
    assert run_to_end(qtbot, editor, nodes=None).ok
    editor.select([left])
    with qtbot.waitSignal(editor.runner.done, timeout=60_000):
        assert editor.run_selected()
    result = editor.runner.result
    assert sorted(result.states) == sorted([loader, left])
    assert result.computed == []  # nothing changed: both come from the cache
    editor.select([loader])  # everything downstream of the loader runs with it
    with qtbot.waitSignal(editor.runner.done, timeout=60_000):
        assert editor.run_selected()
    assert sorted(editor.runner.result.states) == sorted([loader, left, right])
    editor.select([])
    assert not editor.run_selected()
