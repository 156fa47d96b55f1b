"""Edits typed in an Edit... window and not yet applied, asked about when the Explorer
closes.

The Edit... window is not modal: a user types a few cells, goes back to the Explorer
and quits, and the Explorer took the window, and the typing, with it without a word. A
desktop app asks before it drops work: so does this, only when some Edit... window has
a change (closing without one stays silent, as before). The Explorer's data goes with
the Explorer, so Apply puts the edits into the data and then asks where to save it, as
an editor's "Save" asks for a file name on closing an untitled document; cancelling
that keeps the Explorer open with the edits applied (and undoable).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtWidgets import QMessageBox, QWidget

from workbench.gui.explorer.table_view import DataEditor

QUESTION = "Apply the changes you made in Edit... before closing?"
Answer = QMessageBox.StandardButton


def unapplied_editors(windows: Iterable[QWidget]) -> list[DataEditor]:
    """The open Edit... windows among ``windows`` with changes OK has not applied (one
    closed is not open, though Qt deletes it, and the list loses it, only later)."""
    return [window for window in windows if isinstance(window, DataEditor)
            and window.isVisible() and window.has_changes()]


def ask_apply_edits(parent: QWidget) -> Answer:
    """Apply, Discard or Cancel (Escape and the title bar's close are Cancel: nothing
    is lost by a question dismissed)."""
    box = QMessageBox(QMessageBox.Icon.Question, "Unapplied edits", QUESTION,
                      Answer.Apply | Answer.Discard | Answer.Cancel, parent)
    box.setInformativeText(
        "The Explorer's data goes when it closes: Apply puts your edits into it and "
        "then asks where to save it; Discard closes without them; Cancel keeps "
        "everything open.")
    box.setDefaultButton(Answer.Apply)
    box.setEscapeButton(Answer.Cancel)
    return Answer(box.exec())


def apply_all(editors: Iterable[DataEditor]) -> bool:
    """Press OK in each editor, in the order they were opened; False (and that editor
    brought forward, its error under the table) where a cell cannot be read."""
    for editor in editors:
        if not editor.apply():
            editor.raise_()
            editor.activateWindow()
            return False
    return True


def edits_settled(windows: Iterable[QWidget], ask: Callable[[], Answer],
                  save: Callable[[], bool], note: Callable[[str], None]) -> bool:
    """Whether the Explorer may close: no Edit... window among ``windows`` has changes,
    or ``ask`` says Discard, or says Apply and the edits went in and ``save`` saved the
    data. Cancel, a cell that cannot be read, or a save not made keeps it open.

    Discard closes the editors at once: the Explorer's close may wait (for a model
    being saved), and the same question asked again when it closes had the user
    answer twice."""
    editors = unapplied_editors(windows)
    if not editors:
        return True
    answer = ask()
    if answer == Answer.Discard:
        for editor in editors:
            editor.reject()
        return True
    if answer != Answer.Apply or not apply_all(editors):
        return False
    if save():
        return True
    note("Edits applied, not saved: the Explorer stays open (File > Save... or Edit > Undo)")
    return False
