"""An error message that floats over the top of a panel instead of taking a line above it.

The Preprocess tab's red line sat in the layout above its panels: a file that failed to
open (a path, a line number and what was expected, often two lines) pushed the panels
down, and at 1280x800 a scroll bar came and the Remove button went below the window.
This message is laid over the top edge of the widget it follows, as wide as it and as
tall as its wrapped text, so nothing under it moves. It hides nothing for good: its
close button (or whatever shows the next message) takes it away, and an action button
can carry what the message offers (Open with options... after a failed read).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QPushButton,
    QStyle,
    QToolButton,
    QWidget,
)

from workbench.gui.widgets.colours import error_colour, error_style
from workbench.gui.widgets.literal import plain_label
from workbench.gui.widgets.palette_follow import keep_style
from workbench.gui.widgets.screen_reader import announce


def _frame_style() -> str:
    """Opaque, in the window's colour (which the error red is chosen to read on), edged
    in that red so it is seen as lying over the panel."""
    window = QApplication.palette().color(QPalette.ColorRole.Window).name()
    return (f"QFrame#floating_message {{ background: {window}; "
            f"border: 1px solid {error_colour().name()}; border-radius: 3px; }}")


class FloatingMessage(QFrame):
    """A dismissable message over the top of ``follow`` (see the module docstring).

    ``label`` holds the text (selectable, so a path can be copied); ``action`` is the
    optional button beside it, ``close_button`` the one that dismisses it. It is a
    child of ``follow``'s parent outside any layout, so it takes no room from it.
    """

    def __init__(self, parent: QWidget | None = None, *, urgent: bool = True) -> None:
        super().__init__(parent)
        # Whether the screen reader is interrupted to say it (a file that failed to
        # open), or told once it has finished (a reason given while the user types).
        self.urgent = urgent
        self.setObjectName("floating_message")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        keep_style(self, _frame_style)
        self._follow: QWidget | None = None
        self._act: Callable[[], None] | None = None
        self.label = plain_label()
        keep_style(self.label, error_style)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.action = QPushButton()
        self.action.hide()
        self.action.clicked.connect(self._run_action)
        self.close_button = QToolButton()
        self.close_button.setIcon(self.style().standardIcon(
            QStyle.StandardPixmap.SP_TitleBarCloseButton))
        self.close_button.setAutoRaise(True)
        self.close_button.setToolTip("Dismiss this message")
        self.close_button.setAccessibleName("Dismiss message")
        self.close_button.clicked.connect(lambda: self.show_text(""))
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 4, 4)
        row.addWidget(self.label, 1)
        row.addWidget(self.action, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def follow(self, widget: QWidget) -> None:
        """Lie over the top of ``widget`` from now on, following it as it moves and
        resizes (it must have a parent: the message becomes that parent's child)."""
        parent = widget.parentWidget()
        assert parent is not None, "the followed widget must be laid out in a parent"
        self.setParent(parent)   # the last child: drawn over its siblings
        self._follow = widget
        widget.installEventFilter(self)
        self._place()

    def show_text(self, text: str, action: tuple[str, Callable[[], None]] | None = None
                  ) -> None:
        """Show ``text`` (with a button doing ``action``'s callable, named by its
        text); "" takes the message away."""
        self.label.setText(text)
        self._act = action[1] if action is not None and text else None
        self.action.setText(action[0] if action is not None else "")
        self.action.setVisible(self._act is not None)
        self.setVisible(bool(text) and self._follow is not None)
        if self.isVisible():
            self._place()
            self.raise_()
            # Red text over a panel is seen, not heard: the screen reader says it.
            announce(self.label, text, assertive=self.urgent)

    def text(self) -> str:
        return self.label.text()

    def _run_action(self) -> None:
        act = self._act
        if act is not None:
            act()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._follow and event.type() in (QEvent.Type.Move,
                                                        QEvent.Type.Resize):
            self._place()
        return super().eventFilter(watched, event)

    def _place(self) -> None:
        """Over the followed widget's top edge, its width, as tall as the wrapped text
        needs (never taller than the widget). The height is worked out from the label's
        own wrapping at the width it will get: the layout's answer was a line short
        until it had been laid out once, cutting a wrapped message's last line."""
        follow, layout = self._follow, self.layout()
        if follow is None or layout is None:
            return
        width = max(follow.width(), 1)
        margins, spacing = layout.contentsMargins(), max(layout.spacing(), 0)
        buttons = [b for b in (self.action, self.close_button) if not b.isHidden()]
        room = (width - 2 * self.frameWidth() - margins.left() - margins.right()
                - sum(b.sizeHint().width() + spacing for b in buttons))
        inner = max([self.label.heightForWidth(max(room, 1)),
                     *(b.sizeHint().height() for b in buttons)])
        height = inner + margins.top() + margins.bottom() + 2 * self.frameWidth()
        self.setGeometry(follow.x(), follow.y(), width, min(height, follow.height()))
