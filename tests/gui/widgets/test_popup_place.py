"""A popup about a list entry opens whole on the screen and never over the entry: below
it where the room allows, else above, else beside it."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize

from workbench.gui.widgets.popup_place import popup_position

SCREEN = QRect(0, 0, 1280, 800)
MENU = QSize(440, 360)


def _placed(entry: QRect, x: int, size: QSize = MENU, screen: QRect = SCREEN) -> QRect:
    rect = QRect(popup_position(entry, x, size, screen), size)
    assert screen.contains(rect), rect
    assert not rect.intersects(entry), rect
    return rect


def test_below_the_entry_where_it_fits():
    rect = _placed(QRect(20, 100, 290, 18), 40)
    assert (rect.left(), rect.top()) == (40, 118)


def test_above_the_entry_when_the_room_below_is_too_short():
    entry = QRect(20, 466, 290, 18)          # the Explorer's first result at 1280x800
    rect = _placed(entry, 40)
    assert rect.bottom() == entry.top() - 1 and rect.left() == 40


def test_beside_the_entry_when_neither_above_nor_below_has_room():
    entry = QRect(20, 300, 290, 18)
    rect = _placed(entry, 40, QSize(440, 600))
    assert rect.left() == entry.right() + 1
    left = _placed(QRect(900, 300, 290, 18), 920, QSize(440, 600))
    assert left.right() == 900 - 1


def test_kept_on_screen_at_its_right_edge():
    rect = _placed(QRect(1100, 100, 170, 18), 1200)
    assert rect.right() == SCREEN.right()


def test_a_screen_not_at_the_origin():
    screen = QRect(1280, 0, 1920, 1080)      # a second monitor to the right
    rect = _placed(QRect(1300, 900, 290, 18), 1320, screen=screen)
    assert rect.bottom() == 900 - 1
