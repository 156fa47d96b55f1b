"""Where a popup menu about one entry of a list opens: whole on the screen, and never
over the entry it is about.

Qt opens a menu at the point it is given and, when the menu is taller than the room
below that point, pushes it up until it fits, over whatever is there. The Explorer's
result-list popup (Shift+F10, the Menu key) opened under the selected entry; at
1280x800 its 17 entries are taller than the room below the list, so the menu covered the
very entry the user was acting on (walkthrough). Here the menu goes below the entry
where it fits, else above it, else beside it, and only where none of those fits is it
clamped to the screen as Qt would.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize


def _clamp(value: int, low: int, high: int) -> int:
    """``value`` within [low, high]; ``low`` where the range is empty."""
    return max(low, min(value, high))


def popup_position(entry: QRect, x: int, size: QSize, screen: QRect) -> QPoint:
    """The top-left corner, in the same (global) coordinates as its arguments, for a
    popup of ``size`` about ``entry`` on a screen whose free area is ``screen``; ``x`` is
    where its left edge would go below or above the entry (the pointer, or a little in
    from the entry's left edge)."""
    left = _clamp(x, screen.left(), screen.right() + 1 - size.width())
    if entry.bottom() + 1 + size.height() <= screen.bottom() + 1:
        return QPoint(left, entry.bottom() + 1)                  # below
    if entry.top() - size.height() >= screen.top():
        return QPoint(left, entry.top() - size.height())         # above
    top = _clamp(entry.top(), screen.top(), screen.bottom() + 1 - size.height())
    if entry.right() + 1 + size.width() <= screen.right() + 1:
        return QPoint(entry.right() + 1, top)                    # to its right
    if entry.left() - size.width() >= screen.left():
        return QPoint(entry.left() - size.width(), top)          # to its left
    return QPoint(left, top)   # taller and wider than every side: on screen at least
