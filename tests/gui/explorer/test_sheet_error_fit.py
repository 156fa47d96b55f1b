"""A parameter's error line under its field makes the sheet taller: the Classify tab
gives it the room, as it does a new sheet, instead of clipping the rows below it (the
walkthrough saw MLP's "Advanced parameters" cut off under Epochs' "-5 is not allowed")."""

from __future__ import annotations

from explorer_helpers import settle_classify
from PySide6.QtWidgets import QLineEdit


def test_an_error_line_grows_the_sheet_instead_of_hiding_its_last_row(qtbot, explorer):
    # The first size on a 1920x1080 screen. (At 1100x760 the panes below are at their
    # minimum already, so there the sheet scrolls by the error line, as designed.)
    explorer.resize(1400, 900)
    tab = explorer.classify
    explorer.tabs.setCurrentWidget(tab)
    tab.choose("mlp")
    settle_classify(qtbot, tab)
    assert tab.sheet_scroll.verticalScrollBar().maximum() == 0
    epochs = tab.sheet.editor("epochs")
    assert isinstance(epochs, QLineEdit)
    epochs.setText("-5")
    assert not tab.sheet.is_valid()
    settle_classify(qtbot, tab)
    assert tab.sheet_scroll.verticalScrollBar().maximum() == 0
    epochs.setText("20")                                       # and back when it goes
    settle_classify(qtbot, tab)
    assert tab.sheet_scroll.verticalScrollBar().maximum() == 0
