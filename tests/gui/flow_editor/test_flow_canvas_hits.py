"""What a click on the canvas reaches (walkthrough 11c, item 1): a link is its line, not
the region its route encloses, so empty canvas and a note lying inside a link's loop can
be clicked and dragged; a selected link is drawn as a blue line, with no dashed box."""

from __future__ import annotations

import numpy as np
from flow_editor_helpers import cross_validation_flow
from PySide6.QtCore import QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QImage, QPainter, QPainterPath, QPainterPathStroker, QTransform
from PySide6.QtWidgets import QStyle, QStyleOptionGraphicsItem

from workbench.gui.flow_editor.items import LinkItem, NodeItem
from workbench.gui.flow_editor.note_item import NoteItem


def _link_item(editor, source, source_port, target, target_port) -> LinkItem:
    for link, item in editor.scene.links.items():
        if (link.source, link.source_port, link.target, link.target_port) == (
                source, source_port, target, target_port):
            return item
    raise AssertionError("no such link")


def _empty_point_inside(editor, item: LinkItem) -> QPointF:
    """A point the link's route encloses, at least 20 px from any line or node: the
    kind of spot the walkthrough clicked (left of the TextViewer). Found from the
    geometry alone, not from what the scene says lies there."""
    stroker = QPainterPathStroker()
    stroker.setWidth(40)
    near_lines = [stroker.createStroke(link.path()) for link in editor.scene.links.values()]
    boxes = [node.sceneBoundingRect().adjusted(-20, -20, 20, 20)
             for node in editor.scene.nodes.values()]
    box = item.path().boundingRect()
    for step_y in range(1, 20):
        for step_x in range(1, 20):
            point = QPointF(box.left() + box.width() * step_x / 20,
                            box.top() + box.height() * step_y / 20)
            if (item.path().contains(point)
                    and not any(line.contains(point) for line in near_lines)
                    and not any(b.contains(point) for b in boxes)):
                return point
    raise AssertionError("the route encloses no empty canvas")


def test_a_click_inside_a_links_loop_reaches_nothing(make_editor):
    editor = make_editor()
    ids = cross_validation_flow(editor)
    link = _link_item(editor, ids["cv"], "testSet", ids["ibk2"], "testSet")
    empty = _empty_point_inside(editor, link)
    assert editor.scene.items(empty) == []
    # a press there starts a rubber band: it selects nothing
    editor.scene.setSelectionArea(_square(empty, 2))
    assert editor.scene.selectedItems() == []
    # on the line (and within a few pixels of it) the link is what is hit, all along
    # every link, also after the routes changed as nodes were added and linked
    for item in editor.scene.links.values():
        for step in range(101):
            on_line = item.path().pointAtPercent(step / 100)
            assert item in editor.scene.items(on_line), (str(item.link), step)
            near = on_line + QPointF(2, 2)   # 2.8 px off the line (past its ends: a port)
            assert step in (0, 100) or item in editor.scene.items(near), (str(item.link), step)


def test_a_note_inside_a_links_loop_can_be_grabbed_and_dragged(make_editor, qtbot):
    editor = make_editor()
    editor.resize(1200, 760)
    editor.show()
    qtbot.waitExposed(editor)
    ids = cross_validation_flow(editor)
    link = _link_item(editor, ids["cv"], "testSet", ids["ibk2"], "testSet")
    empty = _empty_point_inside(editor, link)
    note_id = editor.scene.add_note("set the class first", (empty.x() - 10, empty.y() - 10))
    note = editor.scene.notes[note_id]
    assert isinstance(editor.scene.itemAt(empty, QTransform()), NoteItem)
    view = editor.view
    view.centerOn(empty)
    start = view.mapFromScene(empty)
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=start)
    assert note.isSelected() and not link.isSelected()
    for step in range(1, 5):
        qtbot.mouseMove(view.viewport(), start + _offset(0, 15 * step))
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=start + _offset(0, 60))
    moved = editor.flow.notes[note_id].position
    assert moved[1] > empty.y() - 10 + 30   # the note went down with the mouse
    assert editor.undo_stack.undoText() == "move 1 note"


def test_a_selected_link_is_a_blue_line_without_a_dashed_box(make_editor):
    editor = make_editor()
    ids = cross_validation_flow(editor)
    link = _link_item(editor, ids["cv"], "testSet", ids["ibk2"], "testSet")
    link.setSelected(True)
    box = link.boundingRect()
    image = QImage(int(box.width()) + 1, int(box.height()) + 1,
                   QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.translate(-box.left(), -box.top())
    option = QStyleOptionGraphicsItem()
    option.state |= QStyle.StateFlag.State_Selected   # as the scene paints a selected item
    option.exposedRect = box
    link.paint(painter, option, None)
    painter.end()
    pixels = np.frombuffer(image.constBits(), np.uint8).reshape(
        image.height(), image.bytesPerLine() // 4, 4)[:, :image.width()]  # B, G, R, A
    shape = link.shape()
    painted = np.argwhere(pixels[..., 3] > 0)
    outside = [(x, y) for y, x in painted
               if not shape.intersects(QRectF(x + box.left(), y + box.top(), 1, 1))]
    assert outside == []   # Qt's dashed selection box lay round the whole bounding rect
    blue = (pixels[..., 0] > 150) & (pixels[..., 2] < 80) & (pixels[..., 3] == 255)
    assert blue.sum() > 100   # the line itself is drawn in the selection's blue


def _square(centre: QPointF, half: float) -> QPainterPath:
    path = QPainterPath()
    path.addRect(QRectF(centre.x() - half, centre.y() - half, 2 * half, 2 * half))
    return path


def _offset(dx: int, dy: int) -> QPoint:
    return QPoint(dx, dy)


def test_nodes_still_take_clicks_over_links(make_editor):
    editor = make_editor()
    ids = cross_validation_flow(editor)
    node = editor.scene.nodes[ids["eval"]]
    centre = node.mapToScene(node.body_rect().center())
    assert isinstance(editor.scene.itemAt(centre, QTransform()).topLevelItem(), NodeItem)
