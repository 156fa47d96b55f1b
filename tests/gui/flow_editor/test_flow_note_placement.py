"""A new note is readable where it lands (walkthrough 11c, item 2): Edit > Add note...
put it in the middle of the view, under the ClassifierPerformanceEvaluator of the guide's
flow, where only one word of it showed. It now goes to free canvas near the middle, and a
selected note is drawn above the nodes so one left under a node can be seen and moved."""

from __future__ import annotations

from flow_editor_helpers import cross_validation_flow
from PySide6.QtCore import Qt

from workbench.gui.flow_editor.items import LinkItem, NodeItem
from workbench.gui.flow_editor.note_item import NoteItem


def _shown_editor(make_editor, qtbot, width=1200, height=760):
    editor = make_editor()
    editor.resize(width, height)
    editor.show()
    qtbot.waitExposed(editor)
    return editor


def _covering(editor, note: NoteItem) -> list:
    """The nodes and links the note's box overlaps (each by its own shape)."""
    box = note.sceneBoundingRect()
    return [item for item in editor.scene.items(box, Qt.ItemSelectionMode.IntersectsItemShape)
            if isinstance(item, NodeItem | LinkItem)]


def _seen(editor):
    return editor.view.mapToScene(editor.view.viewport().rect()).boundingRect()


def test_a_new_note_lands_on_free_canvas_in_view(make_editor, qtbot):
    editor = _shown_editor(make_editor, qtbot)
    cross_validation_flow(editor)
    editor.view.centerOn(editor.scene.itemsBoundingRect().center())
    seen = _seen(editor)
    editor.ask_note_text = lambda title, current="": "set the class first"
    note = editor.scene.notes[editor.add_note_dialog()]
    assert note.toPlainText() == "set the class first"
    assert _covering(editor, note) == []
    assert seen.contains(note.sceneBoundingRect())   # where the user looks: no scrolling
    assert _seen(editor) == seen
    # near the middle: within a third of the view's width of it
    offset = note.sceneBoundingRect().center() - seen.center()
    assert abs(offset.x()) < seen.width() / 3 and abs(offset.y()) < seen.height() / 2
    assert editor.undo_stack.undoText() == "add note"


def test_a_note_with_no_room_in_view_goes_beside_the_flow_and_is_scrolled_to(
        make_editor, qtbot):
    editor = _shown_editor(make_editor, qtbot)
    ids = cross_validation_flow(editor)
    node = editor.scene.nodes[ids["eval"]]
    editor.view.fitInView(node.mapRectToScene(node.body_rect().adjusted(30, 20, -30, -20)))
    editor.ask_note_text = lambda title, current="": "a long note " * 10
    note = editor.scene.notes[editor.add_note_dialog()]
    assert _covering(editor, note) == []
    assert _seen(editor).intersects(note.sceneBoundingRect())


def test_a_selected_note_is_drawn_above_nodes_and_goes_back_under(make_editor):
    editor = make_editor()
    ids = cross_validation_flow(editor)
    node = editor.scene.nodes[ids["eval"]]
    first = editor.scene.add_note("first", (0, 0))
    hidden = editor.scene.add_note("left under a node", (node.x() + 10, node.y() + 10))
    item = editor.scene.notes[hidden]
    under = item.zValue()
    assert under < node.zValue() and under > editor.scene.notes[first].zValue()
    item.setSelected(True)
    assert item.zValue() > node.zValue()
    assert editor.scene.itemAt(item.sceneBoundingRect().center(),
                               editor.view.transform()) is item
    editor.scene.clearSelection()
    assert item.zValue() == under
    # a note put back by undo while another is selected keeps the order of the notes
    editor.scene.notes[first].setSelected(True)
    editor.scene.notes[hidden].setSelected(False)
    editor.undo_stack.undo()   # the second note's add
    editor.undo_stack.redo()
    assert editor.scene.notes[first].zValue() > node.zValue()
    assert editor.scene.notes[hidden].zValue() == under
