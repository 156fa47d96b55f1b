"""Where a viewer window opens (imported by name, as ``settling``): whole on its owner's
screen, title bar included, centred on it. Walkthrough 13 (D1): every viewer window was
sized to the screen but left where the window manager put it, which on a 1280x800 screen
ran its bottom edge off the screen."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from workbench.gui.widgets.placement import TITLE_BAR


def assert_placed_on_screen(window: QWidget, owner: QWidget) -> None:
    area = owner.screen().availableGeometry()
    place = window.pos()     # the frame's corner, as ``move`` set it
    assert area.left() <= place.x() and place.x() + window.width() <= area.right() + 1
    assert area.top() <= place.y()
    assert place.y() + TITLE_BAR + window.height() <= area.bottom() + 1
    assert place.x() == area.x() + (area.width() - window.width()) // 2, (place, area)
