"""The flow editor's menus and run toolbar, built from the editor's slots.

Kept apart from ``window.py`` so the window holds behaviour (files, runs, edits) and this
module only the wiring of menu entries and shortcuts to it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from workbench.gui.flow_editor import files
from workbench.gui.flow_editor.history import History

if TYPE_CHECKING:
    from workbench.gui.flow_editor.window import FlowEditor


def _action(editor: FlowEditor, menu: QMenu, text: str, slot: Any, shortcut: Any = None,
            checkable: bool = False) -> QAction:
    action = QAction(text, editor)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    action.setCheckable(checkable)
    action.triggered.connect(slot)
    menu.addAction(action)
    return action


def redo_keys() -> list[QKeySequence]:
    """The platform's Redo keys plus Ctrl+Y, which Windows users and WEKA's users expect
    (on Linux the platform offers only Ctrl+Shift+Z)."""
    keys = list(QKeySequence.keyBindings(QKeySequence.StandardKey.Redo))
    for extra in (QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")):
        if extra not in keys:
            keys.append(extra)
    return keys


def build_menus(editor: FlowEditor) -> None:
    """The editor's File, Edit, View and Run menus and its run toolbar; the actions whose
    state changes (delete, snap, run, stop) are kept on the editor."""
    bar = editor.menuBar()
    file_menu = bar.addMenu("&File")
    _action(editor, file_menu, "&New", editor.new_flow, QKeySequence.StandardKey.New)
    _action(editor, file_menu, "&Open...", editor.open_dialog, QKeySequence.StandardKey.Open)
    editor.recent_menu = file_menu.addMenu("Open &recent")
    editor.templates_menu = file_menu.addMenu("&Templates")
    for path in files.templates():
        action = editor.templates_menu.addAction(files.template_title(path))
        action.triggered.connect(lambda _=False, p=path: editor.open_template(p))
    file_menu.addSeparator()
    _action(editor, file_menu, "&Save", editor.save, QKeySequence.StandardKey.Save)
    _action(editor, file_menu, "Save &as...", editor.save_as, QKeySequence.StandardKey.SaveAs)
    file_menu.addSeparator()
    _action(editor, file_menu, "&Close", editor.close, QKeySequence.StandardKey.Close)
    # WEKA's File > Exit: closes the editor as Close does, asking about unsaved changes
    # first. Ctrl+Q always, beside the platform's Quit key (Windows has none).
    editor.exit_action = _action(editor, file_menu, "E&xit", editor.close)
    editor.exit_action.setShortcuts(list(dict.fromkeys(
        [*QKeySequence.keyBindings(QKeySequence.StandardKey.Quit), QKeySequence("Ctrl+Q")])))
    file_menu.aboutToShow.connect(lambda: fill_recent(editor))

    edit = bar.addMenu("&Edit")
    # The menu names the step; the toolbar's buttons stay "Undo" and "Redo" (history.py).
    editor.history = History(editor.undo_stack, editor.status.set_activity, editor)
    undo, redo = editor.history.undo_action, editor.history.redo_action
    redo.setShortcuts(redo_keys())
    edit.addAction(undo)
    edit.addAction(redo)
    edit.addSeparator()
    _action(editor, edit, "Cu&t", editor.cut, QKeySequence.StandardKey.Cut)
    _action(editor, edit, "&Copy", editor.copy, QKeySequence.StandardKey.Copy)
    _action(editor, edit, "&Paste", editor.paste, QKeySequence.StandardKey.Paste)
    editor.delete_action = _action(editor, edit, "&Delete", editor.delete_selection,
                                      QKeySequence.StandardKey.Delete)
    _action(editor, edit, "Select &all", editor.select_all, QKeySequence.StandardKey.SelectAll)
    edit.addSeparator()
    # Each entry its own access key (tests/gui/test_menu_access_keys.py): with two on
    # one letter, Alt+E and the letter only moved the highlight between them.
    _action(editor, edit, "Add &note...", editor.add_note_dialog)
    _action(editor, edit, "Node parameter&s...", editor.edit_selected, "Ctrl+E")
    _action(editor, edit, "Rena&me node...", editor.rename_selected, "F2")
    _action(editor, edit, "Conn&ect node...", editor.connect_selected, "Ctrl+L")
    _action(editor, edit, "D&isconnect node...", editor.disconnect_selected, "Ctrl+Shift+L")
    _action(editor, edit, "Align &left", lambda: editor.align("left"))
    _action(editor, edit, "Align t&op", lambda: editor.align("top"))

    view = bar.addMenu("&View")
    keys = QKeySequence.StandardKey
    _action(editor, view, "Zoom &in", lambda: editor.view.zoom(1.25), keys.ZoomIn)
    _action(editor, view, "Zoom &out", lambda: editor.view.zoom(0.8), keys.ZoomOut)
    _action(editor, view, "&Fit to view", editor.view.fit, "Ctrl+0")
    editor.snap_action = _action(editor, view, "&Snap to grid", editor._snap, checkable=True)
    editor.snap_action.setChecked(True)

    run = bar.addMenu("&Run")
    editor.run_action = _action(editor, run, "&Run all", editor.run_all, "F5")
    editor.run_selected_action = _action(editor, run, "Run from &selected", editor.run_selected,
                                            "Shift+F5")
    editor.stop_action = _action(editor, run, "S&top", editor.stop, "Esc")
    toolbar = editor.addToolBar("Run")
    toolbar.setObjectName("toolbar_run")
    for action in (editor.run_action, editor.run_selected_action, editor.stop_action):
        toolbar.addAction(action)
    toolbar.addSeparator()
    toolbar.addAction(undo)
    toolbar.addAction(redo)


def fill_recent(editor: FlowEditor) -> None:
    """List the recent flows each time the File menu opens (another window may have
    added one)."""
    editor.recent_menu.clear()
    for path in files.recent_flows(editor.settings):
        action = editor.recent_menu.addAction(path)
        action.triggered.connect(lambda _=False, p=path: editor.open_file(p, ask=True))
    editor.recent_menu.setEnabled(bool(editor.recent_menu.actions()))
