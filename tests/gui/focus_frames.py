"""Checks shared by the focus-frame tests (imported by name, as ``settling``): a pane
that takes a Tab stop shows that it has the focus, and looks as before once it has not.

Walkthrough 13 (K5): Fusion draws no focus on a read-only text pane, an empty list or a
plot; tabbing to them showed nothing, and keys typed there were lost."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPalette
from PySide6.QtWidgets import QApplication, QWidget


def _picture(widget: QWidget) -> QImage:
    QApplication.processEvents()
    return widget.grab().toImage()


def assert_focus_shows(qtbot, pane: QWidget, elsewhere: QWidget) -> None:
    """``pane`` looks different with the focus, its edge in the highlight colour, and
    exactly as before when the focus goes to ``elsewhere``."""
    pane.window().activateWindow()
    elsewhere.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is elsewhere)
    before = _picture(pane)
    pane.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is pane)
    focused = _picture(pane)
    assert focused != before, f"{pane!r} shows no focus"
    highlight = pane.palette().color(QPalette.ColorGroup.Active, QPalette.ColorRole.Highlight)
    ratio = focused.devicePixelRatio()
    middle = int(pane.height() * ratio / 2)
    assert focused.pixelColor(0, middle).rgb() == highlight.rgb()
    assert focused.pixelColor(focused.width() - 1, middle).rgb() == highlight.rgb()
    elsewhere.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is elsewhere)
    assert _picture(pane) == before, f"{pane!r} looks different after the focus left"
