"""A panel that scrolls instead of overflowing when its window is shorter than it.

A laptop at 150 % or 200 % scaling has 533 or 540 logical pixels of height. A main
window whose panels need more than that can neither open on the screen nor be maximised
onto it, and a window manager that ignores minimum sizes squeezes its widgets on top of
each other. A panel built on ``scrolling_body`` keeps its width as laid out and, only
when the window is shorter than the panel's own minimum, shows a vertical scroll bar;
at any taller size it looks and behaves exactly as without it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QVBoxLayout, QWidget

# The least height a scrolling panel asks of its window: a few rows stay visible.
MIN_SCROLL_HEIGHT = 120


class _VerticalScroll(QScrollArea):
    """A frameless scroll area that scrolls up and down only: its minimum width is its
    body's (plus the scroll bar), its minimum height small, and it tells its window
    whenever the body's minimum changes (a sheet rebuilt, a message shown)."""

    def minimumSizeHint(self) -> QSize:
        body = self.widget()
        width = body.minimumSizeHint().width() if body is not None else 0
        return QSize(width + self.verticalScrollBar().sizeHint().width(), MIN_SCROLL_HEIGHT)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()
        return super().eventFilter(watched, event)


def scrolling_body(owner: QWidget) -> QWidget:
    """Fill ``owner`` with a vertical scroll area and return the widget inside it, for
    the caller to lay its panel out on (``QVBoxLayout(scrolling_body(self))`` where it
    had ``QVBoxLayout(self)``). The scroll area takes no keyboard focus of its own, so
    the Tab order is the panel's; focusing a field scrolls it into view."""
    area = _VerticalScroll(owner)
    area.setObjectName("scrolling_body")
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidgetResizable(True)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    body = QWidget()
    area.setWidget(body)
    # Both would paint the window colour over the tab page's own, lighter one.
    area.viewport().setAutoFillBackground(False)
    body.setAutoFillBackground(False)
    outer = QVBoxLayout(owner)
    outer.setContentsMargins(0, 0, 0, 0)
    outer.addWidget(area)
    return body
