"""Put the fields of a widget built late (a parameter sheet made when a classifier or a
filter is chosen) into the Tab order where they are seen, not at its end.

Qt appends a widget to its window's focus chain when it joins the window, so a sheet
built after the window exists came after everything else: from the classifier chooser,
Tab went through the test options, the buttons, the result list and the report before
it reached the MLP's parameters under the chooser.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget


def tab_stops(root: QWidget) -> list[QWidget]:
    """The widgets inside ``root`` that Tab can reach, in the order they were added to
    it, which for a generated sheet is its reading order (hidden ones too: a folded
    section's fields take their place once unfolded).

    Read from ``findChildren``, not by walking ``nextInFocusChain``: PySide 6.11 then
    wraps the scroll area's own widgets, and a scroll bar the caller holds is reported
    as deleted once the sheet in that scroll area is replaced.

    A widget in a window of its own is left out: a drop-down list's popup (a child of
    its combo box, in a frame that is a separate window) is no Tab stop, and Qt refuses
    ``setTabOrder`` across windows ("'first' and 'second' must be in the same window"),
    which also broke the chain there, so Tab skipped the field after each drop-down.
    """
    window = root.window()
    return [w for w in root.findChildren(QWidget)
            if w.focusPolicy() & Qt.FocusPolicy.TabFocus and w.focusProxy() is None
            and w.window() is window]


def follow_in_tab_order(anchor: QWidget, root: QWidget) -> None:
    """Make Tab go from ``anchor`` through ``root``'s fields and then on to whatever came
    after ``anchor`` before. Both must already be in one window."""
    previous = anchor
    for widget in tab_stops(root):
        QWidget.setTabOrder(previous, widget)
        previous = widget
