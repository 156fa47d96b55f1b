"""A viewer node's window opens whole on the editor's screen, centred on it
(walkthrough 13, D1: it was sized but never placed, and ran off a 1280x800 screen)."""

from __future__ import annotations

from placed_windows import assert_placed_on_screen

from workbench.gui.flow_editor.files import templates


def test_a_viewer_window_opens_whole_on_the_screen(make_editor, qtbot):
    editor = make_editor()
    template = next(p for p in templates() if p.name.startswith("roc-"))
    assert editor.open_template(template)
    editor.show()
    qtbot.waitExposed(editor)
    window = editor.open_viewer("roc")
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    assert_placed_on_screen(window, editor)
