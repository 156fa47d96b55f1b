"""The Knowledge Flow on a scaled laptop screen (960x540 logical at 200 %): it opened at
1200x760 with the right of the flow and the Log off the screen."""

from __future__ import annotations

from PySide6.QtCore import QSize

from workbench.core.resources import bundled_flow_path
from workbench.gui.widgets import placement


def test_the_flow_editor_opens_within_a_small_screen(make_editor, monkeypatch):
    room = QSize(920, 500)
    monkeypatch.setattr(placement, "main_room", lambda: room, raising=False)
    editor = make_editor(bundled_flow_path("cross-validation"))
    assert editor.width() <= room.width() and editor.height() <= room.height()
    assert editor.minimumSizeHint().height() <= room.height()
