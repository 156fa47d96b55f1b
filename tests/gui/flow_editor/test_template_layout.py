"""No two nodes of a bundled template overlap, measured on the boxes the canvas draws:
overlapping nodes cut each other's port names ("dataSe", "trainingSe") and hide the
links between them. Nor does a note cover a node. Both at the default font and under an
18 pt desktop font (accessibility walkthrough M3), where a note drawn at the desktop's
size grew down over the nodes below it."""

from __future__ import annotations

from contextlib import nullcontext

import pytest
from desktop_font import desktop_font

from workbench.gui.flow_editor.files import templates

GAP = 20.0  # room between two boxes for the links between them
FONTS = pytest.mark.parametrize("font", [None, 18.0], ids=["default font", "18 pt"])


def _boxes(editor):
    return {node_id: item.mapRectToScene(item.body_rect())
            for node_id, item in editor.scene.nodes.items()}


def _opened(make_editor, path):
    editor = make_editor()
    assert editor.open_template(path)
    return editor


def _font(size):
    return desktop_font(size) if size is not None else nullcontext()


@FONTS
@pytest.mark.parametrize("path", templates(), ids=lambda p: p.name)
def test_no_two_nodes_of_a_template_overlap(make_editor, path, font):
    with _font(font):
        editor = _opened(make_editor, path)
        boxes = _boxes(editor)
    ids = sorted(boxes)
    crowded = []
    for i, a in enumerate(ids):
        for b in ids[i + 1:]:
            if boxes[a].adjusted(-GAP / 2, -GAP / 2, GAP / 2, GAP / 2).intersects(
                    boxes[b].adjusted(-GAP / 2, -GAP / 2, GAP / 2, GAP / 2)):
                crowded.append((a, b))
    assert not crowded, f"{path.name}: nodes closer than {GAP:g} px: {crowded}"


@FONTS
@pytest.mark.parametrize("path", templates(), ids=lambda p: p.name)
def test_no_note_of_a_template_covers_a_node(make_editor, path, font):
    with _font(font):
        editor = _opened(make_editor, path)
        boxes = _boxes(editor)
        areas = {note_id: note.sceneBoundingRect()
                 for note_id, note in editor.scene.notes.items()}
    for note_id, area in areas.items():
        covered = [n for n, box in boxes.items() if area.intersects(box)]
        assert not covered, f"{path.name}: note {note_id} covers {covered}"
