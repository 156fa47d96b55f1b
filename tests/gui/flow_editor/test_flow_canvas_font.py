"""The canvas's text follows the desktop font (accessibility walkthrough M3): under an
18 pt desktop font node titles and port names were still drawn at 8.5 and 7.5 pt. The
view magnifies the whole canvas by the font's size, so titles are read at about the
font's size and the flow keeps its layout; a flow opened under a large font is shown at
that size rather than shrunk to fit."""

from __future__ import annotations

import pytest
from desktop_font import desktop_font
from PySide6.QtGui import QFontInfo

from workbench.core.resources import bundled_flow_path
from workbench.gui.flow_editor import items


def _on_screen_pt(editor) -> tuple[float, float]:
    """The point sizes node titles and port names are drawn at on the screen."""
    title, port = items._fonts()
    scale = editor.view.transform().m11()
    return (QFontInfo(title).pointSizeF() * scale, QFontInfo(port).pointSizeF() * scale)


@pytest.mark.parametrize("size", [18.0, 24.0])
def test_node_text_is_drawn_at_the_desktop_font_size(make_editor, qtbot, size):
    with desktop_font(size):
        editor = make_editor(bundled_flow_path("cross-validation"))
        editor.resize(1200, 760)
        editor.show()
        qtbot.waitExposed(editor)
        qtbot.wait(50)   # the opening fit runs once the window is shown
        title, port = _on_screen_pt(editor)
        assert title >= 0.9 * size and port >= 0.8 * size, (title, port)
        # Fit to view (Ctrl+0) still shows the whole flow, smaller
        editor.view.fit()
        shown = editor.view.mapToScene(editor.view.viewport().rect()).boundingRect()
        assert all(shown.contains(i.sceneBoundingRect()) for i in editor.scene.nodes.values())


def test_the_canvas_follows_a_font_changed_while_it_is_open(make_editor, qtbot):
    editor = make_editor()
    editor.add_node("ArffLoader", (0, 0))
    editor.show()
    qtbot.waitExposed(editor)
    qtbot.wait(50)   # the opening fit runs once the window is shown
    editor.view.zoom(1.25)   # the user's own zoom is kept
    before = editor.view.transform().m11()
    base = QFontInfo(editor.font()).pointSizeF()
    with desktop_font(2 * base):
        qtbot.waitUntil(lambda: abs(editor.view.transform().m11() - 2 * before) < 1e-6)
    qtbot.waitUntil(lambda: abs(editor.view.transform().m11() - before) < 1e-6)


def test_a_normal_font_opens_the_flow_fitted_as_before(make_editor, qtbot):
    editor = make_editor(bundled_flow_path("cross-validation"))
    editor.resize(1200, 760)
    editor.show()
    qtbot.waitExposed(editor)
    qtbot.wait(50)
    shown = editor.view.mapToScene(editor.view.viewport().rect()).boundingRect()
    assert all(shown.contains(i.sceneBoundingRect()) for i in editor.scene.nodes.values())
    assert editor.view.transform().m11() <= editor.view.text_scale
