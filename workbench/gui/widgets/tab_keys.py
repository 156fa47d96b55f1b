"""Ctrl+Tab, Ctrl+Shift+Tab, Ctrl+PgDn and Ctrl+PgUp switch a window's tabs from any
widget in it.

``QTabWidget`` reads these keys in its own ``keyPressEvent``, which only sees them when
the focused widget lets them through: a table takes Ctrl+Tab as "next cell" and
Ctrl+PgDn as "page down", so once focus was in the Preprocess attribute table the
keyboard could no longer leave the tab. Window shortcuts are matched before any widget
sees the key, so the tabs switch wherever focus is, as in WEKA, browsers and editors.

A widget that keeps Tab for itself (the editable data table) is left with Ctrl+Tab
instead (``leave_with_ctrl_tab``), so it never traps the keyboard.

On macOS Qt reads "Ctrl" in a key sequence, and ``ControlModifier``, as the Command key,
and Cmd+Tab is the system's application switcher: the keys would never arrive. There
the physical Control key is ``Meta``, as Qt documents, so these keys are spelled with it
(Control+Tab switches tabs in Safari and Xcode too).
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractItemView, QTabWidget, QWidget

NEXT_KEYS = ("Ctrl+Tab", "Ctrl+PgDown")
# Shift+Tab arrives as Backtab (xcb, Windows), so both spellings are listed.
PREVIOUS_KEYS = ("Ctrl+Shift+Tab", "Ctrl+Shift+Backtab", "Ctrl+PgUp")


def _on_mac() -> bool:
    return sys.platform == "darwin"


def control_modifier() -> Qt.KeyboardModifier:
    """The modifier of the physical Control key: ``MetaModifier`` on macOS (where Qt's
    ``ControlModifier`` is Command), ``ControlModifier`` elsewhere."""
    return (Qt.KeyboardModifier.MetaModifier if _on_mac()
            else Qt.KeyboardModifier.ControlModifier)


def physical_keys(keys: tuple[str, ...]) -> tuple[str, ...]:
    """``keys`` as Qt must read them for the physical Control key: "Ctrl+" becomes
    "Meta+" on macOS, and stays elsewhere."""
    return tuple(key.replace("Ctrl+", "Meta+") for key in keys) if _on_mac() else keys


def step_tab(tabs: QTabWidget, step: int) -> None:
    """Show the next (``step`` 1) or previous (-1) enabled tab, wrapping round as
    QTabWidget's own keys do."""
    count = tabs.count()
    index = tabs.currentIndex()
    for _ in range(count):
        index = (index + step) % count
        if tabs.isTabEnabled(index) and tabs.isTabVisible(index):
            tabs.setCurrentIndex(index)
            return


def switch_tabs_with_keys(window: QWidget, tabs: QTabWidget) -> list[QShortcut]:
    """Make the tab-switching keys work for ``tabs`` wherever focus is in ``window``;
    returns the shortcuts (kept by ``window``, their parent)."""
    shortcuts = []
    for keys, step in ((NEXT_KEYS, 1), (PREVIOUS_KEYS, -1)):
        for key in physical_keys(keys):
            shortcut = QShortcut(QKeySequence(key), window)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(lambda s=step: step_tab(tabs, s))
            shortcuts.append(shortcut)
    return shortcuts


class _CtrlTabLeaves(QObject):
    """Moves focus out of an item view on Ctrl+Tab / Ctrl+Shift+Tab, the physical
    Control key's on macOS too (a child of it)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and isinstance(watched, QAbstractItemView)
                and event.modifiers() & control_modifier()
                and event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)):
            forward = not (event.key() == Qt.Key.Key_Backtab
                           or event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            # The view's own focusNextPrevChild moves the current cell while it keeps
            # Tab: for this one step it does not.
            watched.setTabKeyNavigation(False)
            try:
                watched.focusNextPrevChild(forward)
            finally:
                watched.setTabKeyNavigation(True)
            return True
        return False


def leave_with_ctrl_tab(view: QAbstractItemView) -> None:
    """Let Ctrl+Tab and Ctrl+Shift+Tab move focus out of ``view``, which keeps Tab for
    moving between cells (an editable table, as in a spreadsheet): the way out Qt gives
    a text editor and Swing a JTable (WEKA's data viewer)."""
    view.setTabKeyNavigation(True)
    view.installEventFilter(_CtrlTabLeaves(view))
