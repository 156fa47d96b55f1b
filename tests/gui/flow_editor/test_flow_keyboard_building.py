"""Building a flow from the keyboard alone (walkthrough 13c): linking two nodes through
menus (K2), nodes added from the palette on free canvas, and the arrow keys moving the
selection (K3)."""

from __future__ import annotations

import itertools

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu

from workbench.flow import Link
from workbench.gui.flow_editor.items import GRID


def _shown(editor, qtbot):
    editor.resize(1200, 760)
    editor.show()
    qtbot.waitExposed(editor)
    editor.activateWindow()
    editor.view.setFocus()
    qtbot.waitUntil(editor.view.hasFocus)


def _chain(editor):
    """Loader, class assigner, cross-validation, IBk, evaluator and text viewer, in a
    row, nothing linked."""
    types = ["ArffLoader", "ClassAssigner", "CrossValidationFoldMaker", "classifier:knn",
             "ClassifierPerformanceEvaluator", "TextViewer"]
    return [editor.add_node(t, (i * 220.0, 0.0)) for i, t in enumerate(types)]


def _popup(qtbot) -> QMenu:
    qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu))
    menu = QApplication.activePopupWidget()
    assert isinstance(menu, QMenu)
    return menu


def _entries(menu):
    return [a.text() for a in menu.actions() if not a.isSeparator()]


def _choose(qtbot, menu, text):
    """Pick ``text`` in an open menu with the arrow keys and Return, as a person would."""
    wanted = [a for a in menu.actions() if not a.isSeparator() and a.isEnabled()]
    for _ in range(len(menu.actions()) + 1):
        if menu.activeAction() is not None and menu.activeAction().text() == text:
            break
        QTest.keyClick(menu, Qt.Key.Key_Down)
    assert menu.activeAction().text() == text, [a.text() for a in wanted]
    QTest.keyClick(menu, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is None)


# K2: linking from the keyboard --------------------------------------------------------
def test_only_the_links_a_drag_may_make_are_offered(make_editor):
    from workbench.gui.flow_editor import connect_menu

    editor = make_editor()
    loader, assign, cv, _knn, _evaluator, text = _chain(editor)
    flow = editor.flow
    said = [connect_menu.link_text(flow, lk, loader) for lk in connect_menu.links_out(
        flow, loader)]
    # nearest first; no viewer or evaluator: they take text and classifiers, not data
    assert said == ["dataSet → ClassAssigner.dataSet",
                    "dataSet → CrossValidationFoldMaker.dataSet"]
    into_text = [connect_menu.link_text(flow, lk, text)
                 for lk in connect_menu.links_in(flow, text)]
    assert into_text == ["ClassifierPerformanceEvaluator.text → text", "IBk.text → text"]
    assert connect_menu.links_in(flow, loader) == []   # a loader has no inputs
    # a one-link input that has its link is no longer offered, nor is a cycle
    assert editor.connect_ports(loader, "dataSet", assign, "dataSet")
    assert connect_menu.links_out(flow, loader) == [Link(loader, "dataSet", cv, "dataSet")]
    assert editor.connect_ports(assign, "dataSet", cv, "dataSet")
    assert Link(cv, "trainingSet", assign, "trainingSet") not in \
        connect_menu.links_out(flow, cv)


def test_ctrl_l_links_the_selected_node_and_undo_takes_it_back(make_editor, qtbot):
    editor = make_editor()
    loader, assign, cv, *_ = _chain(editor)
    _shown(editor, qtbot)
    editor.select([assign])
    QTest.keyClick(editor.view, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    menu = _popup(qtbot)
    assert "ArffLoader.dataSet → dataSet" in _entries(menu)   # into it, too
    assert "dataSet → CrossValidationFoldMaker.dataSet" in _entries(menu)
    # the menu opens at the node (Qt may shift it to keep it on the screen)
    item = editor.scene.nodes[assign]
    asked = editor.view.mapToScene(editor.view.viewport().mapFromGlobal(
        editor.view.menu_point(item)))
    assert item.sceneBoundingRect().contains(asked)
    on_screen = editor.view.mapFromScene(item.sceneBoundingRect()).boundingRect()
    on_screen.moveTopLeft(editor.view.viewport().mapToGlobal(on_screen.topLeft()))
    assert menu.geometry().intersects(on_screen)
    _choose(qtbot, menu, "ArffLoader.dataSet → dataSet")
    link = Link(loader, "dataSet", assign, "dataSet")
    assert editor.flow.links == [link]
    assert link in editor.scene.links   # drawn, as a dragged link is
    assert editor.status.activity.text() == \
        "Connected ArffLoader.dataSet to ClassAssigner.dataSet"
    assert editor.undo_stack.undoText() == "connect ArffLoader.dataSet to ClassAssigner.dataSet"
    editor.undo_stack.undo()
    assert editor.flow.links == [] and link not in editor.scene.links
    editor.undo_stack.redo()
    assert editor.flow.links == [link]
    # the next node along: the link from the node left of it is lit, Enter makes it
    editor.select([cv])
    QTest.keyClick(editor.view, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    menu = _popup(qtbot)
    assert menu.activeAction().text() == "ClassAssigner.dataSet → dataSet"
    # links that would run back, right to left, come after those that run forward
    assert _entries(menu).index("ArffLoader.dataSet → dataSet") < \
        _entries(menu).index("trainingSet → ClassAssigner.trainingSet")
    QTest.keyClick(menu, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is None)
    assert editor.flow.links[-1] == Link(assign, "dataSet", cv, "dataSet")


def test_ctrl_shift_l_deletes_a_link_of_the_selected_node(make_editor, qtbot):
    editor = make_editor()
    loader, assign, cv, *_ = _chain(editor)
    assert editor.connect_ports(loader, "dataSet", assign, "dataSet")
    assert editor.connect_ports(assign, "dataSet", cv, "dataSet")
    _shown(editor, qtbot)
    editor.select([assign])
    QTest.keyClick(editor.view, Qt.Key.Key_L,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    menu = _popup(qtbot)
    assert _entries(menu) == ["dataSet → CrossValidationFoldMaker.dataSet",
                              "ArffLoader.dataSet → dataSet"]
    _choose(qtbot, menu, "ArffLoader.dataSet → dataSet")
    assert editor.flow.links == [Link(assign, "dataSet", cv, "dataSet")]
    assert editor.status.activity.text() == \
        "Deleted link ArffLoader.dataSet → ClassAssigner.dataSet"
    editor.undo_stack.undo()
    assert Link(loader, "dataSet", assign, "dataSet") in editor.flow.links


def test_connect_without_one_selected_node_or_a_fitting_port_says_why(make_editor, qtbot):
    editor = make_editor()
    loader, assign, *_ = _chain(editor)
    assert not editor.connect_selected()
    assert "Select a node to connect it" in editor.status.activity.text()
    editor.select([loader, assign])
    assert not editor.disconnect_selected()
    assert "select one to disconnect it" in editor.status.activity.text()
    lonely = make_editor()
    alone = lonely.add_node("ArffLoader", (0, 0))
    lonely.select([alone])
    assert not lonely.connect_selected()
    assert "No port in this flow can be linked to ArffLoader" in \
        lonely.status.activity.text()
    assert not lonely.disconnect_selected()
    assert lonely.status.activity.text() == "ArffLoader has no links"
    assert QApplication.activePopupWidget() is None


def test_the_node_menu_connects_and_disconnects(make_editor):
    editor = make_editor()
    loader, assign, cv, *_ = _chain(editor)
    menu = editor.node_menu(assign)
    subs = {a.text(): a.menu() for a in menu.actions() if a.menu() is not None}
    assert list(subs) == ["Connect to", "Connect from", "Disconnect"]
    assert not subs["Disconnect"].isEnabled()   # no links yet
    subs["Connect from"].aboutToShow.emit()     # filled as it opens
    (entry,) = [a for a in subs["Connect from"].actions()
                if a.text() == "ArffLoader.dataSet → dataSet"]
    entry.trigger()
    assert editor.flow.links == [Link(loader, "dataSet", assign, "dataSet")]
    subs["Connect to"].aboutToShow.emit()
    (entry,) = [a for a in subs["Connect to"].actions()
                if a.text() == "dataSet → CrossValidationFoldMaker.dataSet"]
    entry.trigger()
    assert len(editor.flow.links) == 2
    menu.deleteLater()
    # a loader takes nothing in; a viewer sends nothing out
    loader_subs = {a.text(): a for a in editor.node_menu(loader).actions() if a.menu()}
    assert not loader_subs["Connect from"].isEnabled()
    unlink = loader_subs["Disconnect"].menu()
    assert unlink.isEnabled()
    (entry,) = unlink.actions()
    assert entry.text() == "dataSet → ClassAssigner.dataSet"
    entry.trigger()
    assert editor.flow.links == [Link(assign, "dataSet", cv, "dataSet")]


def test_connect_and_disconnect_are_in_the_edit_menu_with_their_keys(make_editor):
    editor = make_editor()
    (edit,) = [a.menu() for a in editor.menuBar().actions() if a.text() == "&Edit"]
    keys = {a.text(): a.shortcut() for a in edit.actions()}
    assert keys["Conn&ect node..."] == QKeySequence("Ctrl+L")
    assert keys["D&isconnect node..."] == QKeySequence("Ctrl+Shift+L")


# K3: placing and moving nodes from the keyboard -----------------------------------------
def _body(editor, node_id):
    item = editor.scene.nodes[node_id]
    return item.mapRectToScene(item.body_rect())


def _ports_box(editor, node_id):
    """The node with its port handles, which stick out of its sides."""
    return editor.scene.nodes[node_id].sceneBoundingRect()


def test_nodes_added_from_the_palette_never_cover_each_other(make_editor, qtbot):
    editor = make_editor()
    _shown(editor, qtbot)
    tree = editor.node_palette.tree
    tree.setFocus()
    added = []
    for name in ["ArffLoader", "TextViewer", "ClassAssigner", "classifier:knn",
                 "TextViewer", "ArffLoader"]:
        editor.scene.clearSelection()   # no node to follow: near the middle of the view
        (item,) = [i for g in editor.node_palette.groups.values()
                   for i in (g.child(n) for n in range(g.childCount()))
                   if i.data(0, Qt.ItemDataRole.UserRole) == name]
        tree.setCurrentItem(item)
        QTest.keyClick(tree, Qt.Key.Key_Return)
        added.append(list(editor.flow.nodes)[-1])
    assert len(editor.flow) == 6
    for one, other in itertools.combinations(added, 2):
        assert not _ports_box(editor, one).intersects(_ports_box(editor, other)), (one, other)
    seen = editor.view.mapToScene(editor.view.viewport().rect()).boundingRect()
    for node_id in added:
        assert seen.contains(_body(editor, node_id))
    # each one is selected as it comes: the next one follows it, Ctrl+L links it
    assert [i.node_id for i in editor.scene.selected_nodes()] == [added[-1]]


def test_a_node_added_with_one_selected_goes_right_of_it(make_editor, qtbot):
    editor = make_editor()
    _shown(editor, qtbot)
    loader = editor.add_node("ArffLoader", (0, 0))
    editor.select([loader])
    assign = editor.add_from_palette("ClassAssigner")
    cv = editor.add_from_palette("CrossValidationFoldMaker")
    first, second, third = (_body(editor, n) for n in (loader, assign, cv))
    assert second.top() == first.top() == third.top()     # one row, reading order
    assert first.right() < second.left() < second.right() < third.left()
    assert second.left() - first.right() <= 3 * GRID       # beside it, not far off
    # a node standing there already is stepped round, not covered
    editor.undo_stack.undo()
    blocker = editor.add_node("TextViewer", (third.left(), third.top()))
    editor.select([assign])
    cv = editor.add_from_palette("CrossValidationFoldMaker")
    assert not _ports_box(editor, cv).intersects(_ports_box(editor, blocker))
    assert not _ports_box(editor, cv).intersects(_ports_box(editor, assign))


def test_arrow_keys_move_the_selection_and_undo_takes_the_burst_back(make_editor, qtbot):
    editor = make_editor()
    loader, assign, *_ = _chain(editor)
    note = editor.scene.add_note("a note", (0.0, 200.0))
    _shown(editor, qtbot)
    start = editor.flow.node(loader).position
    editor.select([loader])
    for _ in range(3):
        QTest.keyClick(editor.view, Qt.Key.Key_Right)
    QTest.keyClick(editor.view, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    x, y = start
    assert editor.flow.node(loader).position == (x + 3 * GRID, y + 5 * GRID)
    assert editor.scene.nodes[loader].pos().x() == x + 3 * GRID   # drawn there
    assert editor.flow.node(assign).position == (220.0, 0.0)     # not selected
    assert editor.undo_stack.undoText() == "move 1 node"
    assert editor.status.activity.text() == "Moved 1 node"
    depth = editor.undo_stack.index()
    editor.undo_stack.undo()                 # one step for the whole burst
    assert editor.flow.node(loader).position == start
    editor.undo_stack.redo()
    assert editor.flow.node(loader).position == (x + 3 * GRID, y + 5 * GRID)
    # another selection starts a new step; notes move with the nodes
    editor.select([assign])
    editor.scene.notes[note].setSelected(True)
    QTest.keyClick(editor.view, Qt.Key.Key_Left)
    assert editor.undo_stack.index() == depth + 1
    assert editor.flow.notes[note].position == (-GRID, 200.0)
    assert editor.undo_stack.undoText() == "move 1 node, 1 note"


def test_arrow_keys_scroll_the_view_with_nothing_selected(make_editor, qtbot):
    editor = make_editor()
    _chain(editor)
    _shown(editor, qtbot)
    editor.view.resetTransform()
    editor.view.centerOn(0, 0)
    editor.scene.clearSelection()
    bar = editor.view.horizontalScrollBar()
    before, positions = bar.value(), [n.position for n in editor.flow]
    QTest.keyClick(editor.view, Qt.Key.Key_Right)
    assert bar.value() > before
    assert [n.position for n in editor.flow] == positions
    assert editor.undo_stack.count() == 6   # the six adds: no move
