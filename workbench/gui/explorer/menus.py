"""The Explorer's menu bar: File, Edit, Run and Result, each entry also a window
shortcut (a shortcut works from any tab, as WEKA's do not)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence

from workbench.data.catalog import BUNDLED

if TYPE_CHECKING:
    from workbench.gui.explorer.window import ExplorerWindow


def _action(window: ExplorerWindow, menu: Any, text: str, slot: Any,
            shortcut: Any = None) -> QAction:
    action = QAction(text, window)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    action.triggered.connect(lambda _=False: slot())
    menu.addAction(action)
    window.addAction(action)
    return action


def build_menus(window: ExplorerWindow) -> None:
    """The window's menus; the actions whose state follows the window's (Undo, Start,
    Stop) and the menus filled later (Open recent, Result) are kept on it."""
    bar = window.menuBar()
    file_menu = bar.addMenu("&File")
    _action(window, file_menu, "&Open...", window.choose_file,
            QKeySequence.StandardKey.Open)
    _action(window, file_menu, "Open with o&ptions...", window.choose_file_with_options,
            "Ctrl+Shift+O")
    window.recent_menu = file_menu.addMenu("Open &recent")
    window.bundled_menu = file_menu.addMenu("Open &bundled dataset")
    for entry in BUNDLED:  # shipped inside the package: there wherever it is installed
        action = window.bundled_menu.addAction(f"{entry.name}  ({entry.description})")
        action.triggered.connect(lambda _=False, n=entry.name: window.open_bundled(n))
    _action(window, file_menu, "Set &test set...", window.choose_test_set)
    _action(window, file_menu, "&Save...", window.choose_save,
            QKeySequence.StandardKey.Save)
    file_menu.addSeparator()
    _action(window, file_menu, "&Quit", window.close, QKeySequence.StandardKey.Quit)
    edit_menu = bar.addMenu("&Edit")
    window.undo_action = _action(window, edit_menu, "&Undo", window.undo,
                                 QKeySequence.StandardKey.Undo)
    _action(window, edit_menu, "&Copy report", window.copy_report, "Ctrl+Shift+C")
    run_menu = bar.addMenu("&Run")
    window.start_action = _action(window, run_menu, "&Start", window.start, "Ctrl+Return")
    window.stop_action = _action(window, run_menu, "S&top", window.stop, "Esc")
    # The result list's popup as a menu, for the selected result: filled as it opens.
    window.result_menu = bar.addMenu("Re&sult")
    window.result_menu.aboutToShow.connect(lambda: window.results.fill_menu(
        window.result_menu, window.classify.results_list.currentRow()))
    # Its entries' slots hold the result they act on: emptied once a result is deleted
    # (after the slot that deleted it has returned), so that the menu does not keep it,
    # and its model, alive until the menu is next opened.
    menu = window.result_menu

    def empty_unless_open() -> None:
        if not menu.isVisible():
            menu.clear()

    window.classify.results.removed.connect(
        lambda: QTimer.singleShot(0, menu, empty_unless_open))
    window.update_recent_menu()
    window.classify.running_changed.connect(lambda _running: window.update_actions())
    window.update_actions()
