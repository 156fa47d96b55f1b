"""The editor window as the third walkthrough met it: no File > Exit, Esc that left viewer
windows open, "Ready" after `workbench flow FILE`, and a window sized for a laptop on a
large screen."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox, QToolBar

from workbench.flow import load_flow
from workbench.gui.flow_editor.document import NEW_FLOW_TEXT
from workbench.gui.flow_editor.files import templates, templates_dir
from workbench.gui.widgets import placement

IRIS = templates_dir().parent / "datasets" / "iris.arff"


def _shown(editor, qtbot):
    editor.show()
    qtbot.waitExposed(editor)
    editor.view.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is editor.view)


def test_file_exit_and_ctrl_q_close_the_editor_asking_as_close_does(make_editor, qtbot):
    editor = make_editor()
    _shown(editor, qtbot)
    file_menu = editor.menuBar().actions()[0].menu()
    texts = [a.text() for a in file_menu.actions() if a.text()]
    assert texts[-2:] == ["&Close", "E&xit"]
    assert QKeySequence("Ctrl+Q") in editor.exit_action.shortcuts()
    editor.add_node("ArffLoader", (0, 0), file=str(IRIS))
    asked = []
    editor.ask_save_changes = lambda: asked.append(1) or QMessageBox.StandardButton.Cancel
    QTest.keyClick(editor.view, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert asked == [1] and editor.isVisible()  # Cancel keeps the unsaved flow open
    editor.ask_save_changes = lambda: asked.append(2) or QMessageBox.StandardButton.Discard
    editor.exit_action.trigger()
    assert asked == [1, 2] and not editor.isVisible()


def test_esc_closes_a_viewer_window(make_editor, qtbot):
    editor = make_editor()
    viewer = editor.open_viewer(editor.add_node("TextViewer", (0, 0)))
    qtbot.waitExposed(viewer)
    QTest.keyClick(viewer, Qt.Key.Key_Escape)
    assert not viewer.isVisible()
    assert editor.open_viewer(next(iter(editor.viewers))).isVisible()  # opens again
    QTest.keyClick(viewer, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    assert not viewer.isVisible()  # Ctrl+W too, as in the Explorer


def test_a_flow_shown_from_the_command_line_says_opened(make_editor, tmp_path):
    """`workbench flow FILE` loads the file, then shows it with ``set_flow``: the status bar
    names it as File > Open does, never "Ready"."""
    editor = make_editor()
    path = tmp_path / "mine.kflow.json"
    editor.add_node("ArffLoader", (0, 0), file=str(IRIS))
    assert editor.save_to(path)
    fresh = make_editor()
    fresh.set_flow(load_flow(path))
    assert fresh.status.activity.text() == f"Opened {path}"
    assert f"opened {path}" in fresh.log.text()
    template = next(p for p in templates() if p.name.startswith("cross-validation"))
    fresh.set_flow(load_flow(template))
    assert fresh.status.activity.text() == ("Opened the template 'cross-validation' as a "
                                            "new flow: Save asks for a name")
    assert fresh.new_flow() and fresh.status.activity.text() == NEW_FLOW_TEXT


# Walk 4, N9 (f15, f18, hd01) and item 17 (f09) -------------------------------------------
def test_an_empty_flow_says_what_to_do_first(make_editor):
    editor = make_editor()
    assert editor.status.activity.text() == \
        "New flow: drag components from the palette onto the canvas"


def test_a_flow_shown_from_the_command_line_is_in_open_recent(make_editor, tmp_path):
    """`workbench flow FILE` shows the loaded flow with ``set_flow``: File > Open recent
    lists it as if File > Open had opened it; a template is not listed."""
    editor = make_editor()
    path = tmp_path / "mine.kflow.json"
    editor.add_node("ArffLoader", (0, 0), file=str(IRIS))
    assert editor.save_to(path)
    fresh = make_editor()
    assert not fresh.recent_menu.isEnabled()
    fresh.set_flow(load_flow(path))
    assert [a.text() for a in fresh.recent_menu.actions()] == [str(path.resolve())]
    assert fresh.recent_menu.isEnabled()
    template = next(p for p in templates() if p.name.startswith("cross-validation"))
    fresh.set_flow(load_flow(template))
    assert [a.text() for a in fresh.recent_menu.actions()] == [str(path.resolve())]


def test_the_status_bar_says_what_the_last_step_was(make_editor):
    editor = make_editor()
    loader = editor.add_node("ArffLoader", (0, 0))
    assigner = editor.add_node("ClassAssigner", (200, 0))
    assert editor.status.activity.text() == "Added ClassAssigner"
    assert editor.connect_ports(loader, "dataSet", assigner, "dataSet")
    assert editor.status.activity.text() == \
        "Connected ArffLoader.dataSet to ClassAssigner.dataSet"
    editor.add_node("ArffLoader", (0, 200))   # f15: "Connected ..." stayed
    assert editor.status.activity.text() == "Added ArffLoader2"
    editor.history.undo()
    assert editor.status.activity.text() == "Undone: add ArffLoader2"
    editor.history.redo()
    assert editor.status.activity.text() == "Redone: add ArffLoader2"


def test_the_toolbar_says_undo_and_the_menu_names_the_step(make_editor):
    editor = make_editor()
    toolbar = editor.findChild(QToolBar, "toolbar_run")
    editor.add_from_palette("classifier:mlp")
    long = "MLP (multilayer perceptron: L-BFGS or mini-batch back-propagation)"
    assert editor.rename_node(next(iter(editor.flow.nodes)), long)
    undo, redo = editor.history.undo_action, editor.history.redo_action
    button = toolbar.widgetForAction(undo)
    assert button.text() == "Undo"
    assert undo.toolTip() == f"Undo rename MLP to {long}"
    assert undo.text().startswith("&Undo rename MLP to MLP (multilayer")
    assert undo.text().endswith("…") and len(undo.text()) == len("&") + 60
    assert undo.isEnabled() and not redo.isEnabled()
    editor.history.undo()
    assert toolbar.widgetForAction(redo).text() == "Redo" and redo.isEnabled()
    assert redo.toolTip() == f"Redo rename MLP to {long}"
    assert undo.text() == "&Undo add MLP" and undo.toolTip() == "Undo add MLP"
    editor.history.undo()
    assert not undo.isEnabled() and undo.text() == "&Undo"


class _Screen:
    def __init__(self, width: int, height: int) -> None:
        self.area = QRect(0, 0, width, height)

    def availableGeometry(self) -> QRect:
        return self.area


def test_the_first_window_uses_a_large_screen(make_editor, monkeypatch):
    for (width, height), low, high in [((1280, 800), (1200, 760), (1280, 800)),
                                       ((1920, 1080), (1600, 900), (1920, 1080))]:
        screen = _Screen(width, height)
        monkeypatch.setattr(placement, "launch_screen", lambda s=screen: s)
        editor = make_editor()
        size = editor.size()
        assert low[0] <= size.width() <= high[0] and low[1] <= size.height() <= high[1], \
            (width, height, size)


def test_palette_names_are_whole_and_a_narrow_dock_scrolls_sideways(make_editor, qtbot):
    editor = make_editor()
    editor.resize(1200, 760)
    _shown(editor, qtbot)
    tree = editor.node_palette.tree
    items = [tree.topLevelItem(i).child(j) for i in range(tree.topLevelItemCount())
             for j in range(tree.topLevelItem(i).childCount())]
    longest = max(items, key=lambda item: tree.fontMetrics().horizontalAdvance(item.text(0)))
    assert tree.visualItemRect(longest).width() >= \
        tree.fontMetrics().horizontalAdvance(longest.text(0))
    assert tree.columnWidth(0) > tree.viewport().width()  # so the list scrolls sideways
    assert tree.horizontalScrollBar().maximum() > 0
    assert longest.toolTip(0).startswith(longest.text(0))
