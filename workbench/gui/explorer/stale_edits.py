"""An Edit... window whose data changed under it: what it says, and the question its
OK asks.

The Edit... window is not modal (WEKA's viewer is, so there the data cannot change
under it): a user opens it, goes back to Preprocess and applies Normalize, returns and
presses OK, and the window's copy, read before the filter, replaced the filtered data
without a word (Undo got the filter back, if the user noticed it had gone). Now the
window knows what changed since it read its data (``DataEditor.data_changed``): with
nothing typed in it, it follows the data, as Orange's Data Table follows its input;
with edits, it keeps them (typed against the values it shows, they mean nothing on a
normalized copy), says so under the table, and OK asks, as an editor does before saving
over a file changed on disk: Replace (the change made meanwhile stays one Undo away),
Keep the current data (the edits are dropped) or Cancel (back to editing).
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum

from PySide6.QtWidgets import QMessageBox, QWidget

# More changes than this are counted rather than named: the question stays a line.
NAMED_CHANGES = 3


class StaleAnswer(Enum):
    """What OK does with edits made on data that has changed since."""

    REPLACE = "replace"
    KEEP = "keep"
    CANCEL = "cancel"


def changes_text(changes: Sequence[str]) -> str:
    """The changes made since, as the status bar named them ("applied Normalize"),
    oldest first; past ``NAMED_CHANGES``, the first ones and how many more."""
    if len(changes) <= NAMED_CHANGES:
        return "; ".join(changes)
    shown = NAMED_CHANGES - 1
    return f"{'; '.join(changes[:shown])} and {len(changes) - shown} more changes"


def stale_notice(changes: Sequence[str]) -> str:
    """The line under the table while its data is no longer the Explorer's."""
    return (f"The Explorer's data changed after this table was read "
            f"({changes_text(changes)}): the table still shows the data before that, "
            f"and OK asks before it replaces the Explorer's data.")


def replace_question(changes: Sequence[str]) -> str:
    those = "that change" if len(changes) == 1 else "those changes"
    return (f"The data changed since this window opened ({changes_text(changes)}). "
            f"Replace it with this window's data, losing {those}?")


def ask_replace(parent: QWidget, changes: Sequence[str]) -> StaleAnswer:
    """Replace, Keep the current data or Cancel; Escape and the title bar's close are
    Cancel, and so is Return: neither of the others may be chosen by a reflex."""
    box = QMessageBox(QMessageBox.Icon.Warning, "Data changed", replace_question(changes),
                      QMessageBox.StandardButton.NoButton, parent)
    box.setInformativeText(
        "Replace puts this window's data in place of the Explorer's (Edit > Undo brings "
        "the Explorer's back); Keep the current data closes this window without your "
        "edits; Cancel goes back to editing.")
    box.addButton("&Replace", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("&Keep the current data", QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    clicked = box.clickedButton()
    role = box.buttonRole(clicked) if clicked is not None else None
    return (StaleAnswer.REPLACE if role == QMessageBox.ButtonRole.AcceptRole else
            StaleAnswer.KEEP if role == QMessageBox.ButtonRole.DestructiveRole else
            StaleAnswer.CANCEL)
