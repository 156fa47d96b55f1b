"""What the walkthrough of the Knowledge Flow read on screen: a flow saved without its
suffix, a failure that did not say what to do, a run summary whose counts did not add up,
a loader's line logged after the nodes it fed, a bare "Undo delete" and a viewer window
called "TextViewer - viewer"."""

from __future__ import annotations

from flow_editor_helpers import run_to_end
from PySide6.QtGui import QAction

from workbench.flow import load_flow
from workbench.gui.flow_editor.files import templates_dir

IRIS = templates_dir().parent / "datasets" / "iris.arff"


def _without_class(editor) -> dict[str, str]:
    """ArffLoader -> CrossValidationFoldMaker -> IBk -> ClassifierPerformanceEvaluator ->
    TextViewer: no ClassAssigner, so IBk gets data without a class."""
    ids = {"loader": editor.add_node("ArffLoader", (0, 0), file=str(IRIS)),
           "cv": editor.add_node("CrossValidationFoldMaker", (200, 0)),
           "knn": editor.add_node("classifier:knn", (400, 0)),
           "eval": editor.add_node("ClassifierPerformanceEvaluator", (0, 200)),
           "text": editor.add_node("TextViewer", (300, 200))}
    _wire(editor, ids, [("loader", "dataSet", "cv", "dataSet"),
                        ("cv", "trainingSet", "knn", "trainingSet"),
                        ("cv", "testSet", "knn", "testSet"),
                        ("knn", "batchClassifier", "eval", "batchClassifier"),
                        ("eval", "text", "text", "text")])
    return ids


def _wire(editor, ids: dict[str, str], wires: list[tuple[str, str, str, str]]) -> None:
    """Connect (source, output, target, input) by the names in ``ids``."""
    for source, out, target, into in wires:
        assert editor.connect_ports(ids[source], out, ids[target], into), editor.last_refusal


def _lines(editor) -> list[str]:
    # Each log line starts with its time ("04:04:36 ArffLoader: done").
    return [line.split(" ", 1)[1] for line in editor.log.text().splitlines()]


def test_save_as_adds_the_flow_suffix_to_a_name_typed_without_it(make_editor, tmp_path):
    editor = make_editor()
    editor.add_node("ArffLoader", (0, 0), file=str(IRIS))
    editor.ask_save_path = lambda: str(tmp_path / "myflow")
    assert editor.save_as()
    saved = tmp_path / "myflow.kflow.json"
    assert saved.is_file() and not (tmp_path / "myflow").exists()
    assert editor.flow.path == saved
    assert len(load_flow(saved, editor.registry)) == 1
    # A name with the suffix, or half of it, is kept or completed, never doubled.
    editor.ask_save_path = lambda: str(tmp_path / "other.kflow")
    assert editor.save_as() and (tmp_path / "other.kflow.json").is_file()
    editor.ask_save_path = lambda: str(tmp_path / "third.json")
    assert editor.save_as() and (tmp_path / "third.json").is_file()


def test_save_as_asks_before_replacing_the_file_the_suffix_names(make_editor, tmp_path):
    editor = make_editor()
    editor.add_node("ArffLoader", (0, 0))
    existing = tmp_path / "myflow.kflow.json"
    existing.write_text("mine", encoding="utf-8")
    asked = []
    editor.confirm_replace = lambda path: asked.append(path) or False
    editor.ask_save_path = lambda: str(tmp_path / "myflow")
    assert not editor.save_as()
    assert asked == [existing] and existing.read_text(encoding="utf-8") == "mine"
    assert editor.modified
    editor.confirm_replace = lambda path: True
    assert editor.save_as() and existing.read_text(encoding="utf-8") != "mine"


def test_a_missing_class_says_to_insert_a_class_assigner(make_editor, qtbot):
    editor = make_editor()
    ids = _without_class(editor)
    result = run_to_end(qtbot, editor)
    message = result.states[ids["knn"]].message
    assert "needs a class attribute" in message and "ClassAssigner" in message
    assert "-c" not in message.split()   # the command line's flag means nothing here


def test_the_log_follows_the_run_and_the_summary_counts_each_node_once(make_editor, qtbot):
    editor = make_editor()
    _without_class(editor)
    run_to_end(qtbot, editor)
    lines = _lines(editor)
    loaded = next(i for i, ln in enumerate(lines) if ln.startswith("ArffLoader: loaded"))
    done = lines.index("ArffLoader: done")
    failed = next(i for i, ln in enumerate(lines) if ln.startswith("IBk: error"))
    blocked = next(i for i, ln in enumerate(lines) if ln.startswith("TextViewer: blocked"))
    assert loaded < done < failed < blocked < len(lines) - 1
    assert lines[-1] == "run finished: 5 nodes: 2 computed, 1 failed, 2 blocked"
    assert editor.status.activity.text() == lines[-1]
    assert sum(1 for ln in lines if ln.startswith("ArffLoader: loaded")) == 1
    # A second run reuses what did not change; every node is still counted once.
    run_to_end(qtbot, editor)
    assert _lines(editor)[-1] == "run finished: 5 nodes: 2 reused, 1 failed, 2 blocked"


def test_the_log_names_a_loaders_file_resolved(make_editor, qtbot):
    flow = load_flow(templates_dir() / "cross-validation.kflow.json", None)
    editor = make_editor(flow)
    run_to_end(qtbot, editor)
    loaded = [ln for ln in _lines(editor) if ln.startswith("ArffLoader: loaded")]
    assert loaded == [f"ArffLoader: loaded {IRIS.resolve()}: 150 instances, 5 attributes"]


def test_undo_names_what_a_delete_took(make_editor):
    editor = make_editor()
    loader = editor.add_node("ArffLoader", (0, 0))
    assigner = editor.add_node("ClassAssigner", (200, 0))
    cv = editor.add_node("CrossValidationFoldMaker", (400, 0))
    assert editor.connect_ports(loader, "dataSet", assigner, "dataSet")
    assert editor.connect_ports(assigner, "dataSet", cv, "dataSet")
    editor.scene.clearSelection()
    link = next(item for item in editor.scene.links.values()
                if item.link is not None and item.link.source == loader)
    link.setSelected(True)
    editor.delete_selection()
    assert editor.undo_stack.undoText() == \
        "delete link ArffLoader.dataSet → ClassAssigner.dataSet"
    undo = [a.text() for a in editor.findChildren(QAction) if a.text().startswith("&Undo")]
    assert undo == ["&Undo delete link ArffLoader.dataSet → ClassAssigner.dataSet"]
    editor.undo_stack.undo()
    editor.select([assigner])
    editor.delete_selection()
    assert editor.undo_stack.undoText() == "delete ClassAssigner and its 2 links"
    editor.undo_stack.undo()
    editor.select([loader, cv])
    editor.delete_selection()
    assert editor.undo_stack.undoText() == \
        "delete ArffLoader, CrossValidationFoldMaker and their 2 links"


def test_a_viewer_window_says_what_it_shows(make_editor, qtbot):
    editor = make_editor()
    ids = _without_class(editor)
    viewer = editor.open_viewer(ids["text"])
    assert viewer.windowTitle() == "TextViewer: text from ClassifierPerformanceEvaluator"
    editor.rename_node(ids["eval"], "Evaluation")
    run_to_end(qtbot, editor)
    assert viewer.windowTitle() == "TextViewer: text from Evaluation"
    viewer.close()


def test_undo_counts_what_a_paste_took_in_words(make_editor):
    editor = make_editor()
    loader = editor.add_node("ArffLoader", (0, 0))
    editor.select([loader])
    editor.paste(editor.selection_json())
    assert editor.undo_stack.undoText() == "paste 1 node"
    editor.select([loader, *[n for n in editor.flow.nodes if n != loader]])
    editor.flow.notes.add("a note", (0, 300))
    for item in editor.scene.notes.values():
        item.setSelected(True)
    editor.paste(editor.selection_json())
    assert editor.undo_stack.undoText() == "paste 2 nodes, 1 note"


def test_a_learners_warning_is_logged_once_by_the_flow_editor(make_editor, qtbot):
    editor = make_editor()
    ids = {"loader": editor.add_node("ArffLoader", (0, 0), file=str(IRIS)),
           "class": editor.add_node("ClassAssigner", (160, 0)),
           "cv": editor.add_node("CrossValidationFoldMaker", (320, 0), folds=3),
           "mlp": editor.add_node("classifier:sklearn", (480, 0),
                                  estimator="sklearn.neural_network.MLPClassifier",
                                  options='{"max_iter": 5}'),
           "eval": editor.add_node("ClassifierPerformanceEvaluator", (640, 0)),
           "text": editor.add_node("TextViewer", (800, 0))}
    _wire(editor, ids, [("loader", "dataSet", "class", "dataSet"),
                        ("class", "dataSet", "cv", "dataSet"),
                        ("cv", "trainingSet", "mlp", "trainingSet"),
                        ("cv", "testSet", "mlp", "testSet"),
                        ("mlp", "batchClassifier", "eval", "batchClassifier"),
                        ("eval", "text", "text", "text")])
    run_to_end(qtbot, editor)
    warned = [line for line in _lines(editor) if line.startswith("warning: ")]
    assert len(warned) == 1, _lines(editor)    # three folds, said once
    assert "sklearn: Stochastic Optimizer: Maximum iterations (5) reached" in warned[0]
