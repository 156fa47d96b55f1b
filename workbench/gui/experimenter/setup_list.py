"""The Setup tab's datasets and classifiers lists: a modest preferred height.

Qt's list asks 192 px. The Setup tab scrolls on a short screen (``scrolling_body``), and
a scrolling panel with wrapped text is laid out at its preferred height: with both lists
asking 192 px, a 1000x720 window (the Experimenter's at 1280x800) had no room left for
the whole Metrics list, which was cut to 110 px with f_measure in half. The lists' row
stretches, so they still take every pixel the window has beyond what the rest needs.
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QListWidget, QWidget

from workbench.gui.widgets.focus_frame import frame_focus

PREFERRED_HEIGHT = 140   # px: about nine entries before the list scrolls


class SetupList(QListWidget):
    """A list of the Setup tab that asks for ``PREFERRED_HEIGHT`` and grows from it,
    framed while it has the focus (empty, it showed no sign of it)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        frame_focus(self)

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), PREFERRED_HEIGHT)
