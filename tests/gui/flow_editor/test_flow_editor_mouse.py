"""The canvas under the mouse: dragging a link between port handles, moving a node,
dropping a palette item, double-clicking a viewer."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDropEvent
from PySide6.QtTest import QTest

from workbench.gui.flow_editor.palette import MIME_TYPE


def _at(editor, scene_point: QPointF) -> QPoint:
    return editor.view.mapFromScene(scene_point)


def _shown(editor, qtbot):
    editor.resize(1000, 700)
    editor.show()
    qtbot.waitExposed(editor)
    editor.view.resetTransform()
    editor.view.centerOn(200, 60)


def test_dragging_between_ports_connects_them(make_editor, qtbot):
    editor = make_editor()
    loader = editor.add_node("ArffLoader", (0, 0))
    folds = editor.add_node("CrossValidationFoldMaker", (240, 0))
    viewer = editor.add_node("TextViewer", (240, 160))
    _shown(editor, qtbot)
    viewport = editor.view.viewport()
    out = editor.scene.nodes[loader].port("dataSet", "out").scenePos()
    into = editor.scene.nodes[folds].port("dataSet", "in").scenePos()
    text_in = editor.scene.nodes[viewer].port("text", "in").scenePos()

    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, pos=_at(editor, out))
    QTest.mouseMove(viewport, _at(editor, text_in))
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=_at(editor, text_in))
    assert not editor.flow.links and "takes text" in editor.last_refusal

    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, pos=_at(editor, out))
    QTest.mouseMove(viewport, _at(editor, into))
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=_at(editor, into))
    assert [str(lk) for lk in editor.flow.links] == [f"{loader}.dataSet->{folds}.dataSet"]


def test_moving_a_node_snaps_to_the_grid_and_undoes(make_editor, qtbot):
    editor = make_editor()
    loader = editor.add_node("ArffLoader", (0, 0))
    _shown(editor, qtbot)
    viewport = editor.view.viewport()
    start = _at(editor, QPointF(40, 10))  # on the header, away from the ports
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    QTest.mouseMove(viewport, start + QPoint(30, 20))
    QTest.mouseMove(viewport, start + QPoint(63, 47))
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=start + QPoint(63, 47))
    x, y = editor.flow.node(loader).position
    assert (x, y) != (0.0, 0.0) and x % 20 == 0 and y % 20 == 0
    editor.undo_stack.undo()
    assert editor.flow.node(loader).position == (0.0, 0.0)
    assert editor.scene.nodes[loader].pos() == QPointF(0, 0)


def test_dropping_a_palette_item_adds_the_node_there(make_editor, qtbot):
    editor = make_editor()
    _shown(editor, qtbot)
    mime = QMimeData()
    mime.setData(MIME_TYPE, b"classifier:knn")
    where = _at(editor, QPointF(300, 100))
    event = QDropEvent(QPointF(where), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    editor.view.dropEvent(event)
    (node,) = list(editor.flow)
    assert node.type_name == "classifier:knn"
    # the header lands under the pointer (snapped to the grid: within half a cell)
    header = editor.scene.nodes[node.id].mapRectToScene(
        editor.scene.nodes[node.id].body_rect())
    header.setHeight(editor.scene.nodes[node.id].header)
    assert header.contains(QPointF(300, 100))


def test_double_clicking_a_viewer_opens_it(make_editor, qtbot):
    editor = make_editor()
    viewer = editor.add_node("TextViewer", (0, 0))
    _shown(editor, qtbot)
    QTest.mouseDClick(editor.view.viewport(), Qt.MouseButton.LeftButton,
                      pos=_at(editor, QPointF(60, 10)))
    assert viewer in editor.viewers and editor.viewers[viewer].isVisible()
    assert not editor.viewers[viewer].placeholder.isHidden()  # not run yet


def test_palette_search_and_categories(make_editor):
    editor = make_editor()
    names = editor.node_palette.type_names()
    assert {"ArffLoader", "TextViewer", "classifier:mlp", "ClassifierPerformanceEvaluator"} \
        <= set(names)
    assert list(editor.node_palette.groups)[:2] == ["DataSources", "DataSinks"]
    editor.node_palette.search.setText("confusion")
    assert editor.node_palette.visible_names() == ["ConfusionMatrixViewer"]
    editor.node_palette.search.setText("")
    assert len(editor.node_palette.visible_names()) == len(names)
