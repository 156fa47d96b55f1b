"""The canvas to a screen reader (accessibility walkthrough H2): Qt exposes no graphics
item to AT-SPI, so the view is named by what the flow holds and describes the selected
node (title, kind, state, what its ports are linked to); Qt sends the screen reader each
change of either, and Orca reads the description of the focused canvas as Tab moves. The
palette's search box and list and the log are named too."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtTest import QTest

from workbench.core.resources import bundled_flow_path
from workbench.flow import NodeState, Status


def _read(widget, what=QAccessible.Text.Name) -> str:
    """What AT-SPI hands a screen reader for ``widget`` (Qt's accessible interface)."""
    return QAccessible.queryAccessibleInterface(widget).text(what)


def _tab_to(editor, qtbot, title):
    """Tab through the canvas until the node titled ``title`` is selected."""
    for _ in range(len(editor.scene.nodes)):
        QTest.keyClick(editor.view, Qt.Key.Key_Tab)
        selected = editor.scene.selected_nodes()
        if selected and selected[0].title == title:
            break
    qtbot.waitUntil(lambda: title in _read(editor.view, QAccessible.Text.Description))


def test_the_canvas_says_what_the_flow_holds_and_reads_the_selected_node(make_editor,
                                                                        qtbot):
    editor = make_editor(bundled_flow_path("cross-validation"))
    editor.resize(1000, 700)
    editor.show()
    qtbot.waitExposed(editor)
    editor.activateWindow()
    editor.view.setFocus()
    qtbot.waitUntil(editor.view.hasFocus)
    assert _read(editor.view) == "Flow canvas: 6 nodes, 6 links"
    assert _read(editor.view, QAccessible.Text.Description) == \
        "No node selected. Tab selects the first node."

    _tab_to(editor, qtbot, "IBk")
    said = _read(editor.view, QAccessible.Text.Description)
    assert said == ("IBk (k-nearest neighbours), classifier, not run. Inputs: trainingSet "
                    "from CrossValidationFoldMaker, testSet from CrossValidationFoldMaker. "
                    "Outputs: batchClassifier to ClassifierPerformanceEvaluator, text not "
                    "connected.")

    # its state follows a run: an error is read with its first line
    editor.flow.set_state("classifier", NodeState(Status.ERROR, message="k is 0\nmore"))
    qtbot.waitUntil(lambda: "error: k is 0." in _read(editor.view,
                                                        QAccessible.Text.Description))
    assert "more" not in _read(editor.view, QAccessible.Text.Description)

    # a node added or deleted is counted; Shift+Tab reads the one before
    QTest.keyClick(editor.view, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: _read(editor.view, QAccessible.Text.Description)
                    .startswith("CrossValidationFoldMaker, evaluation, not run."))
    editor.delete_selection()
    qtbot.waitUntil(lambda: _read(editor.view) == "Flow canvas: 5 nodes, 3 links")
    assert _read(editor.view, QAccessible.Text.Description).startswith("No node selected")
    _tab_to(editor, qtbot, "IBk")
    assert "Inputs: trainingSet not connected, testSet not connected." in \
        _read(editor.view, QAccessible.Text.Description)


def test_a_renamed_node_is_read_by_its_new_title_and_several_are_counted(make_editor,
                                                                         qtbot):
    editor = make_editor(bundled_flow_path("cross-validation"))
    editor.select(["classifier"])
    assert editor.rename_node("classifier", "Five neighbours")
    qtbot.waitUntil(lambda: _read(editor.view, QAccessible.Text.Description).startswith(
        "Five neighbours, IBk (k-nearest neighbours), classifier"))
    editor.select(["loader", "classifier"])
    qtbot.waitUntil(lambda: _read(editor.view, QAccessible.Text.Description) ==
                    "2 nodes selected: ArffLoader, Five neighbours.")


def test_the_palette_and_the_log_are_named(make_editor):
    editor = make_editor()
    assert _read(editor.node_palette.search) == "Search components"
    assert _read(editor.node_palette.tree) == "Components"
    assert _read(editor.log) == "Log"


def test_a_node_much_like_the_last_is_announced_as_well(make_editor, qtbot, monkeypatch):
    # Orca does not speak a description 85 % like the last: Tab between the optimisers
    # template's MLP nodes was silent. Those are announced; others only described, so
    # Orca says each node once.
    from workbench.gui.flow_editor import canvas_reader

    sent = []
    monkeypatch.setattr(canvas_reader, "send", lambda event: sent.append(event.message()))
    editor = make_editor(bundled_flow_path("optimisers-compared"))
    editor.resize(1000, 700)
    editor.show()
    qtbot.waitExposed(editor)
    editor.activateWindow()
    editor.view.setFocus()
    qtbot.waitUntil(editor.view.hasFocus)
    said = []
    for _ in range(len(editor.scene.nodes)):
        QTest.keyClick(editor.view, Qt.Key.Key_Tab)
        words = canvas_reader.selection_words(editor.scene)
        qtbot.waitUntil(lambda words=words: _read(
            editor.view, QAccessible.Text.Description) == words)
        said.append(words)
    mlps = [w for w in said if w.startswith("MLP (")]
    assert len(mlps) >= 2
    # each MLP after the first is announced; the first node, unlike what was there
    # before, is only described, as are most
    assert all(m in sent for m in mlps[1:]), (sent, mlps)
    assert said[0] not in sent and len(sent) < len(said) / 2 + 1, sent
