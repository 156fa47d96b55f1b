"""Notes on the canvas follow the flow model, and undo puts removed things back where
they were: the saved file after delete + undo is the file before (offscreen)."""

from __future__ import annotations

import json

from workbench.flow import flow_to_dict


def _note_texts(editor):
    return {note_id: item.toPlainText() for note_id, item in editor.scene.notes.items()}


def test_note_edits_in_the_model_show_on_the_canvas(make_editor):
    editor = make_editor()
    note = editor.flow.notes.add("set the class first", (40, 60))
    assert _note_texts(editor) == {note.id: "set the class first"}
    editor.flow.notes.change(note.id, text="class = last", position=(80, 20))
    item = editor.scene.notes[note.id]
    assert item.toPlainText() == "class = last"
    assert (item.pos().x(), item.pos().y()) == (80.0, 20.0)
    editor.flow.notes.remove(note.id)
    assert not editor.scene.notes and item.scene() is None


def test_adding_editing_moving_and_deleting_a_note_are_each_undoable(make_editor):
    editor = make_editor()
    editor.ask_note_text = lambda title, current="": "first note"
    note = editor.add_note_dialog()
    assert [n.text for n in editor.flow.notes] == ["first note"]
    assert editor.edit_note(note, "edited")
    assert _note_texts(editor) == {note: "edited"}
    editor.scene.notes[note].setPos(300, 120)
    editor.scene.commit_moves()
    assert editor.flow.notes[note].position == (300.0, 120.0)
    editor.scene.clearSelection()
    editor.scene.notes[note].setSelected(True)
    editor.delete_selection()
    assert not editor.flow.notes and not editor.scene.notes

    editor.undo_stack.undo()   # delete
    assert _note_texts(editor) == {note: "edited"}
    assert editor.scene.notes[note].pos().x() == 300.0
    editor.undo_stack.undo()   # move
    assert editor.scene.notes[note].pos().x() != 300.0
    assert editor.flow.notes[note].position != (300.0, 120.0)
    editor.undo_stack.undo()   # edit
    assert _note_texts(editor) == {note: "first note"}
    editor.undo_stack.undo()   # add
    assert not editor.flow.notes and not editor.scene.notes
    for _ in range(4):
        editor.undo_stack.redo()
    assert not editor.flow.notes  # deleted again, with the same id throughout


def test_a_pasted_notes_undo_entry_reads_back_as_text(make_editor):
    # AddNote once kept its text in ``self.text``, hiding QUndoCommand.text(): reading a
    # paste's entries back from Python failed with "'str' object is not callable".
    editor = make_editor()
    note = editor.flow.notes.add("a note", (0, 0))
    editor.scene.notes[note.id].setSelected(True)
    editor.paste(editor.selection_json())
    paste = editor.undo_stack.command(editor.undo_stack.index() - 1)
    assert [paste.child(i).text() for i in range(paste.childCount())] == ["add note"]


def test_emptying_a_note_deletes_it_and_undo_brings_it_back(make_editor):
    editor = make_editor()
    keep = editor.scene.add_note("keep", (0, 0))
    gone = editor.scene.add_note("gone", (0, 100))
    last = editor.scene.add_note("last", (0, 200))
    assert editor.edit_note(gone, "  ")
    assert [n.id for n in editor.flow.notes] == [keep, last]
    editor.undo_stack.undo()
    assert [n.id for n in editor.flow.notes] == [keep, gone, last]
    z = [editor.scene.notes[n].zValue() for n in (keep, gone, last)]
    assert z == sorted(z) and max(z) < 0  # back under the later note, under the nodes


def test_undo_of_a_deletion_restores_the_node_and_link_order(make_editor, tmp_path):
    editor = make_editor()
    ids = [editor.add_node(name, (200.0 * i, 0)) for i, name in enumerate(
        ("ArffLoader", "ClassAssigner", "CrossValidationFoldMaker", "TextViewer"))]
    editor.connect_ports(ids[0], "dataSet", ids[1], "dataSet")
    editor.connect_ports(ids[1], "dataSet", ids[2], "dataSet")
    editor.scene.add_note("a note", (0, 300))
    before = flow_to_dict(editor.flow)
    editor.select([ids[1]])
    editor.delete_selection()
    assert ids[1] not in editor.flow.nodes and not editor.flow.links
    editor.undo_stack.undo()
    assert list(editor.flow.nodes) == ids
    assert flow_to_dict(editor.flow) == before
    editor.save_to(tmp_path / "order.kflow.json")
    saved = json.loads((tmp_path / "order.kflow.json").read_text())
    assert [n["id"] for n in saved["nodes"]] == ids
    assert saved["ui"]["notes"] == [{"text": "a note", "position": [0.0, 300.0]}]


def test_notes_come_back_from_the_file_and_stay_editable(make_editor, tmp_path):
    editor = make_editor()
    editor.scene.add_note("saved note", (20, 40))
    path = tmp_path / "notes.kflow.json"
    editor.save_to(path)
    other = make_editor(path)
    (note,) = other.flow.notes
    assert _note_texts(other) == {note.id: "saved note"}
    assert other.edit_note(note.id, "changed")
    assert other.modified
    other.undo_stack.undo()
    assert _note_texts(other) == {note.id: "saved note"} and not other.modified


def test_selected_notes_travel_with_copy_and_paste(make_editor):
    first = make_editor()
    node = first.add_node("ClassAssigner", (0, 0))
    note = first.scene.add_note("set the class", (0, 120))
    first.scene.add_note("not copied", (300, 120))
    first.select([node])
    first.scene.notes[note].setSelected(True)
    text = first.selection_json()
    second = make_editor()
    [pasted] = second.paste(text)
    assert second.flow.node(pasted).type_name == "ClassAssigner"
    assert [(n.text, n.position) for n in second.flow.notes] == [("set the class",
                                                                  (40.0, 160.0))]
    assert len(second.scene.notes) == 1
    second.undo_stack.undo()
    assert not second.flow.notes and not second.flow.nodes and not second.scene.notes

    first.scene.clearSelection()
    first.scene.notes[note].setSelected(True)
    first.cut()
    assert [n.text for n in first.flow.notes] == ["not copied"]
    first.paste()
    assert sorted(n.text for n in first.flow.notes) == ["not copied", "set the class"]


def test_the_note_dialog_cuts_a_huge_text_with_a_visible_marker(make_editor):
    from workbench.flow.notes import MAX_NOTE_CHARACTERS

    editor = make_editor()
    editor.ask_note_text = lambda title, current="": "z" * (3 * MAX_NOTE_CHARACTERS)
    note = editor.add_note_dialog()
    text = editor.flow.notes[note].text
    assert len(text) <= MAX_NOTE_CHARACTERS and "… (cut: " in text
    assert _note_texts(editor) == {note: text}
    assert not editor.edit_note(note)  # the same huge paste again changes nothing
    assert editor.undo_stack.count() == 1
