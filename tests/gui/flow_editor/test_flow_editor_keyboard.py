"""The Knowledge Flow from the keyboard: Enter adds a palette component, Tab selects one
node at a time, one-node actions refuse several nodes, Escape drops a link being drawn,
Shift+F10 opens the node's menu at the node, and the canvas shows its focus."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QPalette
from PySide6.QtTest import QTest

from workbench.gui.flow_editor.items import LinkItem


def _focused(editor, qtbot, widget):
    editor.resize(1000, 700)
    editor.show()
    qtbot.waitExposed(editor)
    editor.activateWindow()
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)


def _three_nodes(editor):
    """Three nodes placed out of their reading order: the walk must sort them."""
    knn = editor.add_node("classifier:knn", (400, 0))
    loader = editor.add_node("ArffLoader", (0, 0))
    viewer = editor.add_node("TextViewer", (400, 200))
    return loader, knn, viewer


def _dashed_links(editor):
    """The loose links on the canvas: one follows the pointer while a link is drawn."""
    return [i for i in editor.scene.items() if isinstance(i, LinkItem) and i.link is None]


def _selected(editor):
    return [i.node_id for i in editor.scene.selected_nodes()]


def test_enter_on_a_palette_item_adds_it(make_editor, qtbot):
    editor = make_editor()
    tree = editor.node_palette.tree
    _focused(editor, qtbot, tree)
    (item,) = [i for g in editor.node_palette.groups.values()
               for i in (g.child(n) for n in range(g.childCount()))
               if i.data(0, Qt.ItemDataRole.UserRole) == "TextViewer"]
    tree.setCurrentItem(item)
    QTest.keyClick(tree, Qt.Key.Key_Return)
    assert [n.type_name for n in editor.flow] == ["TextViewer"]
    # Enter on a category's header adds nothing
    tree.setCurrentItem(editor.node_palette.groups["DataSources"])
    QTest.keyClick(tree, Qt.Key.Key_Return)
    assert len(editor.flow) == 1


def test_enter_in_the_palette_search_adds_the_first_found(make_editor, qtbot):
    editor = make_editor()
    search = editor.node_palette.search
    _focused(editor, qtbot, search)
    QTest.keyClick(search, Qt.Key.Key_Return)   # nothing typed: nothing added
    assert len(editor.flow) == 0
    QTest.keyClicks(search, "confusion")
    QTest.keyClick(search, Qt.Key.Key_Return)
    assert [n.type_name for n in editor.flow] == ["ConfusionMatrixViewer"]


def test_tab_on_the_canvas_selects_the_nodes_in_reading_order(make_editor, qtbot):
    editor = make_editor()
    loader, knn, viewer = _three_nodes(editor)
    _focused(editor, qtbot, editor.view)
    QTest.keyClick(editor.view, Qt.Key.Key_Tab)
    assert _selected(editor) == [loader]
    assert editor.view.hasFocus()
    QTest.keyClick(editor.view, Qt.Key.Key_Tab)
    assert _selected(editor) == [knn]
    QTest.keyClick(editor.view, Qt.Key.Key_Tab)
    assert _selected(editor) == [viewer]
    QTest.keyClick(editor.view, Qt.Key.Key_Backtab)
    assert _selected(editor) == [knn]
    # the selected node is scrolled into view
    editor.view.centerOn(5000, 5000)
    QTest.keyClick(editor.view, Qt.Key.Key_Tab)
    assert _selected(editor) == [viewer]
    shown = editor.view.mapToScene(editor.view.viewport().rect()).boundingRect()
    assert shown.contains(editor.scene.nodes[viewer].sceneBoundingRect())
    # after Ctrl+A, Tab picks one: the first of them (Shift+Tab the last)
    editor.select_all()
    QTest.keyClick(editor.view, Qt.Key.Key_Tab)
    assert _selected(editor) == [loader]
    editor.select_all()
    QTest.keyClick(editor.view, Qt.Key.Key_Backtab)
    assert _selected(editor) == [viewer]
    # past the last node Tab leaves the canvas: no keyboard trap
    QTest.keyClick(editor.view, Qt.Key.Key_Tab)
    assert _selected(editor) == []
    assert not editor.view.hasFocus()


def test_ctrl_e_and_f2_with_several_selected_open_no_node(make_editor, qtbot):
    editor = make_editor()
    loader, knn, _viewer = _three_nodes(editor)
    opened = []
    editor.edit_parameters = lambda node_id, dialog=None: opened.append(node_id)
    editor.rename_node = lambda node_id, title=None: opened.append(node_id)
    editor.select([loader, knn])
    assert not editor.edit_selected()
    assert not editor.rename_selected()
    assert opened == []
    assert "select one" in editor.status.activity.text()
    editor.select([knn])
    editor.edit_selected()
    editor.rename_selected()
    assert opened == [knn, knn]


def test_escape_drops_a_link_being_drawn(make_editor, qtbot):
    editor = make_editor()
    loader, _knn, _viewer = _three_nodes(editor)
    _focused(editor, qtbot, editor.view)
    before = set(editor.scene.items())
    port = editor.scene.nodes[loader].port("dataSet", "out")
    QTest.mousePress(editor.view.viewport(), Qt.MouseButton.LeftButton,
                     pos=editor.view.mapFromScene(port.scenePos()))
    assert len(_dashed_links(editor)) == 1
    assert "can take 'dataSet'" in editor.status.activity.text()
    QTest.keyClick(editor.view, Qt.Key.Key_Escape)
    assert _dashed_links(editor) == []
    assert set(editor.scene.items()) == before   # the dashed link is gone
    assert "can take" not in editor.status.activity.text()
    QTest.mouseRelease(editor.view.viewport(), Qt.MouseButton.LeftButton,
                       pos=editor.view.mapFromScene(port.scenePos()) + QPoint(200, 80))
    assert not editor.flow.links and _dashed_links(editor) == []


def test_shift_f10_opens_the_selected_nodes_menu_at_it(make_editor, qtbot):
    editor = make_editor()
    _loader, _knn, viewer = _three_nodes(editor)
    _focused(editor, qtbot, editor.view)
    asked = []
    editor.scene.node_menu.disconnect()
    editor.scene.node_menu.connect(lambda node_id, where: asked.append((node_id, where)))
    QTest.keyClick(editor.view, Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier)
    assert asked == [] and "Select a node" in editor.status.activity.text()
    editor.select([viewer])
    QTest.keyClick(editor.view, Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier)
    (node_id, where), = asked
    assert node_id == viewer
    node_rect = editor.scene.nodes[viewer].sceneBoundingRect()
    local = editor.view.mapToScene(editor.view.viewport().mapFromGlobal(where))
    assert node_rect.contains(local)
    assert "Show viewer" in [a.text() for a in editor.node_menu(viewer).actions()]


def test_the_canvas_frame_shows_keyboard_focus(make_editor, qtbot):
    editor = make_editor()
    _focused(editor, qtbot, editor.view)
    highlight = editor.view.palette().color(QPalette.ColorRole.Highlight)
    image = editor.view.grab().toImage()
    assert image.pixelColor(editor.view.width() // 2, 0) == highlight
    editor.node_palette.search.setFocus()
    qtbot.waitUntil(lambda: not editor.view.hasFocus())
    image = editor.view.grab().toImage()
    assert image.pixelColor(editor.view.width() // 2, 0) != highlight


def test_tab_from_the_palette_goes_to_the_canvas_before_the_log(make_editor, qtbot):
    """Keyboard walkthrough 13c: Tab went search, list, Log, canvas (the docks joined the
    window after the canvas); the canvas the palette adds to comes next."""
    editor = make_editor()
    _focused(editor, qtbot, editor.node_palette.search)
    editor.focusNextChild()
    qtbot.waitUntil(editor.node_palette.tree.hasFocus)
    editor.focusNextChild()
    qtbot.waitUntil(editor.view.hasFocus)
