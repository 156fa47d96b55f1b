"""A frame in the highlight colour around a pane while it has the keyboard focus.

Qt's Fusion style marks the focus of a line edit, a button or a check box, but draws
nothing on a scroll area: a read-only text pane (a report, a log), an empty list and a
plot looked the same with the focus as without, and a keyboard user typed into the
Knowledge Flow's log without knowing the keys went there. The Flow canvas paints its
own frame for the same reason (``flow_editor/view.py``).

The frame is drawn over the pane's own edge by a child that lets the mouse through
and is shown only while the pane has the focus: unfocused, the pane looks exactly as it
always did, and its contents never move when the focus comes or goes.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRectF, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QWidget

FOCUS_FRAME = 2  # px, as the Flow canvas's focus frame


class FocusFrame(QWidget):
    """The frame over ``pane`` (its child), shown while ``pane`` has the focus."""

    def __init__(self, pane: QWidget) -> None:
        super().__init__(pane)
        self.pane = pane
        self.setObjectName("focus_frame")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setVisible(False)
        pane.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.FocusIn, QEvent.Type.FocusOut):
            self.follow()
        elif kind == QEvent.Type.Resize:
            self.setGeometry(self.pane.rect())
        return False

    def follow(self) -> None:
        """Show the frame while the pane has the focus, on top of everything in it (a
        scroll bar or a viewport added later would cover it otherwise)."""
        focused = self.pane.hasFocus()
        if focused:
            self.setGeometry(self.pane.rect())
            self.raise_()
        self.setVisible(focused)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        # The pane's active highlight even while its selection is drawn pale
        # (``focus_highlight``): the frame says "the keys go here", in the theme's colour.
        colour = self.pane.palette().color(QPalette.ColorGroup.Active,
                                           QPalette.ColorRole.Highlight)
        pen = QPen(colour, FOCUS_FRAME)
        pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
        painter.setPen(pen)
        half = FOCUS_FRAME / 2
        painter.drawRect(QRectF(self.rect()).adjusted(half, half, -half, -half))
        painter.end()


def frame_focus(pane: QWidget) -> FocusFrame:
    """Draw a highlight-coloured frame around ``pane`` while it has the keyboard focus."""
    return FocusFrame(pane)
