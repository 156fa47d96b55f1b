"""The way back to the GUI Chooser from a tool window it opened.

Closing the chooser leaves the Explorers, Knowledge Flows and Experimenters it opened
open, as WEKA's GUI Chooser does: a person who closes the small chooser to tidy the
screen must not lose an Explorer full of results, and the process ends with the last
window (Qt's quit-on-last-window-closed). WEKA then leaves those windows with no way
back to the chooser, short of starting another process; here each has a Window menu
whose item shows the chooser again, in front.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QWidget

WINDOW_MENU = "&Window"
CHOOSER_ITEM = "Workbench GUI &Chooser"


def show_in_front(window: QWidget) -> None:
    """Show ``window`` again (closed, minimised or behind others) and give it the focus."""
    if window.isMinimized():
        window.showNormal()
    window.show()
    window.raise_()
    window.activateWindow()


def add_way_back(tool: QWidget, bring_back: Callable[[], None]) -> QAction | None:
    """Give ``tool`` a Window menu whose item calls ``bring_back`` (the chooser's own
    method: PySide lets go of the connection once the chooser is deleted, so the item
    never reaches a deleted window); the item, or None for a tool without a menu bar
    (not a main window)."""
    if not isinstance(tool, QMainWindow):
        return None
    menu = tool.menuBar().addMenu(WINDOW_MENU)
    action = menu.addAction(CHOOSER_ITEM)
    action.setStatusTip("Show the chooser that opens the Explorer, Knowledge Flow and "
                        "Experimenter")
    action.triggered.connect(bring_back)
    return action
