"""A file that fails to open says so in red without moving the Preprocess panels.

The red line sat in the layout above the panels: at 1280x800 a failed read pushed them
down, a scroll bar came and the Remove button went off the window. The message now lies
over the top of the panels, whole, with a button that offers the options again and one
that dismisses it."""

from __future__ import annotations

import pytest
from explorer_helpers import dataset_path, open_and_wait
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QScrollArea

from workbench.gui.explorer.load_options import LoadOptions

# The window's first size on a 1280x800 screen and on a 1920x1080 one.
SIZES = [(1100, 760), (1400, 900)]
TITLED = "Land-Ocean: Global Means\nYear,Jan,Feb\n1880,-.19,-.25\n1881,-.20,-.15\n"


def _where(widget, tab) -> tuple[int, int, int, int]:
    top_left = widget.mapTo(tab, QPoint(0, 0))
    return top_left.x(), top_left.y(), widget.width(), widget.height()


@pytest.mark.parametrize("size", SIZES)
def test_a_failed_read_moves_nothing_and_its_message_reads_whole(qtbot, explorer,
                                                                 tmp_path, size):
    explorer.resize(*size)
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    tab = explorer.preprocess
    scroll = tab.findChild(QScrollArea, "scrolling_body")
    qtbot.wait(50)
    panels = [tab.table, tab.stats, tab.histogram, tab.remove_button, tab.relation_label]
    before = [_where(w, tab) for w in panels]
    assert scroll.verticalScrollBar().maximum() == 0
    # a long path, so the message wraps onto a second line
    folder = tmp_path / ("monthly-global-temperature-anomalies-" * 3)
    folder.mkdir()
    path = folder / "land-ocean-temperature-index-1880-to-the-present-day.csv"
    path.write_text(TITLED)
    open_and_wait(qtbot, explorer, str(path))
    dialog = explorer.options_dialog
    assert dialog is not None and dialog.options() == LoadOptions(skip_lines=1)
    dialog.reject()   # Cancel: the message stays, the data already loaded too
    qtbot.waitUntil(lambda: explorer.options_dialog is None, timeout=5_000)
    message = tab.message
    assert message.isVisible()
    assert message.text() == (f"{path}:2: this row has 3 fields, the header has 1 "
                              f"(expected 1 field separated by ',')")
    qtbot.wait(50)
    assert [_where(w, tab) for w in panels] == before   # nothing moved
    assert scroll.verticalScrollBar().maximum() == 0     # and no scroll bar came
    # every wrapped line of it is shown, inside the tab
    assert message.height() >= message.heightForWidth(message.width())
    assert message.heightForWidth(message.width()) > message.fontMetrics().height() * 1.5
    box = tab.message_box
    assert box.geometry().bottom() < box.parentWidget().height()
    # its button offers the options again, after a Cancel
    assert box.action.isVisible() and box.action.text() == "Open with options..."
    qtbot.mouseClick(box.action, Qt.MouseButton.LeftButton)
    again = explorer.options_dialog
    assert again is not None and again.isVisible()
    assert again.options() == LoadOptions(skip_lines=1)
    again.reject()
    qtbot.waitUntil(lambda: explorer.options_dialog is None, timeout=5_000)
    qtbot.mouseClick(box.close_button, Qt.MouseButton.LeftButton)   # dismissed
    assert not message.isVisible() and explorer.dataset.relation == "iris"


def test_a_message_with_nothing_to_offer_has_no_button(qtbot, explorer, tmp_path):
    path = tmp_path / "nul.csv"
    path.write_bytes(b"a,b\n1,x\0y\n")
    open_and_wait(qtbot, explorer, str(path))
    box = explorer.preprocess.message_box
    assert box.isVisible() and "NUL byte" in box.text()
    assert not box.action.isVisible() and explorer.options_dialog is None
    explorer.preprocess.show_message("check the attributes to remove first")
    assert not box.action.isVisible()
