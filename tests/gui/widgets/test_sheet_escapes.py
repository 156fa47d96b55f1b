"""A parameter declared with escapes (StringToWordVector's delimiters) shows its tab and
line breaks as \\t, \\n, \\r in the sheet and reads them typed so (walkthrough F9: the
field showed a blank and then ".,;:'"()?!", the whitespace invisible and untypeable)."""

from __future__ import annotations

from workbench.filters.text import WekaStringToWordVector
from workbench.gui.widgets.param_sheet import ParamSheet


def test_the_sheet_shows_and_reads_escapes(qtbot):
    sheet = ParamSheet(WekaStringToWordVector.params)
    qtbot.addWidget(sheet)
    editor = sheet.editor("delimiters")
    assert editor.text() == " \\r\\n\\t.,;:'\"()?!"
    editor.setText(" \\t,")
    assert sheet.values()["delimiters"] == " \t,"
