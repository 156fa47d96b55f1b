"""The Knowledge Flow's Log pane shows the focus (walkthrough 13, K5): one Tab stop
between the palette and the canvas showed nothing, and "ArffLoader" typed there went
into the log unseen."""

from __future__ import annotations

from focus_frames import assert_focus_shows


def test_the_log_shows_the_focus(qtbot, make_editor):
    editor = make_editor()
    editor.show()
    qtbot.waitExposed(editor)
    assert_focus_shows(qtbot, editor.log, editor.node_palette.search)
