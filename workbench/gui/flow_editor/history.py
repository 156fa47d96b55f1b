"""Undo and Redo as the user meets them: the Edit menu's entries, the toolbar's buttons
and the status line that says what the last step was.

The Edit menu names the step in full ("Undo connect CrossValidationFoldMaker.testSet to
IBk4.testSet"), cut with "…" past ``MENU_CHARS``; the toolbar's buttons stay "Undo" and
"Redo", whatever the step, so the run buttons beside them never move (walk 4, f09), and
their tooltips name it whole. Every step, undone or redone, is said in the status bar,
so nothing said about an earlier step ("Connected ...") outlives the next one.
"""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence, QUndoStack

from workbench.gui.widgets.literal import tooltip_text

MENU_CHARS = 60

# The undo commands' verbs in the past tense, for the status bar ("add IBk" -> "Added IBk").
_PAST = {"add": "Added", "connect": "Connected", "delete": "Deleted", "move": "Moved",
         "edit": "Edited", "rename": "Renamed", "paste": "Pasted", "drop": "Dropped",
         "align": "Aligned", "recover": "Recovered"}


def elided(text: str, limit: int = MENU_CHARS) -> str:
    """``text``, cut with "…" when it is longer than ``limit`` characters."""
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def done_text(step: str) -> str:
    """What the status bar says after a step: "add IBk" -> "Added IBk"."""
    verb, _, rest = step.partition(" ")
    past = _PAST.get(verb)
    if past is not None:
        return f"{past} {rest}".strip()
    return step[:1].upper() + step[1:]


class History(QObject):
    """The Undo and Redo actions of one undo stack, and what each step says.

    ``say`` shows a line in the status bar. The actions are the editor's (menu and
    toolbar share them: a menu shows an action's text, a tool button its icon text).
    """

    def __init__(self, stack: QUndoStack, say: Callable[[str], None],
                 parent: QObject) -> None:
        super().__init__(parent)
        self.stack = stack
        self.say = say
        self._index = stack.index()
        self._redoing = False
        self.undo_action = QAction("&Undo", parent)
        self.undo_action.setIconText("Undo")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.undo_action.triggered.connect(self.undo)
        self.redo_action = QAction("&Redo", parent)
        self.redo_action.setIconText("Redo")
        self.redo_action.triggered.connect(self.redo)
        stack.indexChanged.connect(self._stepped)
        stack.cleanChanged.connect(self._clean_changed)
        self._refresh()

    def _clean_changed(self, _clean: bool) -> None:
        self._refresh()

    def undo(self) -> None:
        self.stack.undo()

    def redo(self) -> None:
        self._redoing = True
        try:
            self.stack.redo()
        finally:
            self._redoing = False

    def _refresh(self) -> None:
        if not shiboken6.isValid(self.stack):   # the window is being taken down
            return
        for action, word, step, can in (
                (self.undo_action, "Undo", self.stack.undoText(), self.stack.canUndo()),
                (self.redo_action, "Redo", self.stack.redoText(), self.stack.canRedo())):
            whole = f"{word} {step}".strip()
            # A node's title is the user's or a flow file's: its "&" is no access key,
            # its tags are no HTML (a tooltip that looks like HTML is rendered).
            action.setText("&" + elided(whole).replace("&", "&&"))
            action.setToolTip(tooltip_text(whole))
            action.setEnabled(can)

    def _stepped(self, index: int) -> None:
        if not shiboken6.isValid(self.stack):
            return
        before, self._index = self._index, index
        self._refresh()
        if self.stack.count() == 0:   # cleared: a new flow is shown, which says so itself
            return
        if index < before:
            self.say(f"Undone: {self.stack.text(index)}")
        elif index > before:
            step = self.stack.text(index - 1)
            self.say(f"Redone: {step}" if self._redoing else done_text(step))
