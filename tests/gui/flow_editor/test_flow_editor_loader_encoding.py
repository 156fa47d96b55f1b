"""A loader's text encoding is checked where it is typed, as ``--encoding`` is on the
command line, and never folded away once set (walkthrough 11c, item 5): "klingon" was
accepted by the dialog, failed only at run time, and reopening the dialog hid the field
that caused it under the folded *Advanced parameters*."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialogButtonBox, QLabel


def _shown_refusals(dialog) -> list[str]:
    """The error lines shown under the fields of the dialog's sheet."""
    return [label.text() for label in dialog.sheet.findChildren(QLabel)
            if label.isVisible() and label.text().startswith("unknown text encoding")]


@pytest.mark.parametrize("loader", ["ArffLoader", "CSVLoader"])
def test_a_made_up_encoding_is_refused_under_its_field(make_editor, qtbot, loader):
    """Refused at once, OK disabled, and the refusal shown whole: the dialog grows for
    its two lines rather than scrolling them out of sight."""
    editor = make_editor()
    editor.show()
    dialog = editor.parameter_dialog(editor.add_node(loader, (0, 0)))
    dialog.show()
    dialog.sheet.advanced_toggle.setChecked(True)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    dialog.sheet.editor("encoding").setText("klingon")
    assert _shown_refusals(dialog) == [
        "unknown text encoding 'klingon' (for example utf-8, latin-1, cp1252, utf-16; "
        "Python's codec names are accepted)"]
    assert not ok.isEnabled()
    sheet = dialog.sheet   # shown whole: as tall as it asks to be, nothing to scroll
    qtbot.waitUntil(lambda: sheet.height() >= sheet.sizeHint().height())
    dialog.sheet.editor("encoding").setText("latin-1")
    assert _shown_refusals(dialog) == [] and ok.isEnabled()
    assert dialog.values()["encoding"] == "latin-1"


def test_the_dialog_opens_with_a_set_encoding_unfolded(make_editor):
    editor = make_editor()
    plain = editor.add_node("ArffLoader", (0, 0))
    windows = editor.add_node("ArffLoader", (200, 0), encoding="cp1252")
    dialog = editor.parameter_dialog(windows)
    dialog.show()
    assert dialog.sheet.advanced_toggle.isChecked()
    assert dialog.sheet.editor("encoding").isVisible()
    assert dialog.sheet.editor("encoding").text() == "cp1252"
    dialog = editor.parameter_dialog(plain)
    dialog.show()
    assert not dialog.sheet.advanced_toggle.isChecked()
