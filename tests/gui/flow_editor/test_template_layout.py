"""No two nodes of a bundled template overlap, measured on the boxes the canvas draws:
overlapping nodes cut each other's port names ("dataSe", "trainingSe") and hide the
links between them. Nor does a note cover a node."""

from __future__ import annotations

import pytest

from workbench.gui.flow_editor.files import templates

GAP = 20.0  # room between two boxes for the links between them


def _boxes(editor):
    return {node_id: item.mapRectToScene(item.body_rect())
            for node_id, item in editor.scene.nodes.items()}


@pytest.mark.parametrize("path", templates(), ids=lambda p: p.name)
def test_no_two_nodes_of_a_template_overlap(make_editor, path):
    editor = make_editor()
    assert editor.open_template(path)
    boxes = _boxes(editor)
    ids = sorted(boxes)
    crowded = []
    for i, a in enumerate(ids):
        for b in ids[i + 1:]:
            if boxes[a].adjusted(-GAP / 2, -GAP / 2, GAP / 2, GAP / 2).intersects(
                    boxes[b].adjusted(-GAP / 2, -GAP / 2, GAP / 2, GAP / 2)):
                crowded.append((a, b))
    assert not crowded, f"{path.name}: nodes closer than {GAP:g} px: {crowded}"


@pytest.mark.parametrize("path", templates(), ids=lambda p: p.name)
def test_no_note_of_a_template_covers_a_node(make_editor, path):
    editor = make_editor()
    assert editor.open_template(path)
    boxes = _boxes(editor)
    for note_id, note in editor.scene.notes.items():
        area = note.sceneBoundingRect()
        covered = [n for n, box in boxes.items() if area.intersects(box)]
        assert not covered, f"{path.name}: note {note_id} covers {covered}"
