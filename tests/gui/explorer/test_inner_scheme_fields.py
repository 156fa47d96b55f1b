"""FilteredClassifier's (and InputMappedClassifier's) inner schemes in the Classify tab:
walkthrough F6 found two bare text boxes, no chooser, no sheet for the inner scheme,
no red field for a name that does not exist (explorer.md section 3 promises one for
every field) and, beside Choose, only the cut tail of the error. WEKA's
GenericObjectEditor gives each a Choose button and the inner scheme's own sheet."""

from __future__ import annotations

import pytest
from explorer_helpers import settle_classify
from PySide6.QtWidgets import QLineEdit

from workbench.gui.widgets.spec_field import SpecField


def _pick_from_menu(field: SpecField, name: str) -> None:
    """Pick ``name`` from the field's Choose menu as a click on its entry does."""
    for category in field.chooser.menu().actions():
        if category.menu() is None:
            continue
        for action in category.menu().actions():
            if action.data() == name:
                action.trigger()
                return
    raise AssertionError(f"{name} is not in the Choose menu")


@pytest.mark.parametrize(("scheme", "field", "kind"), [
    ("filtered", "filters", "filter"), ("filtered", "classifier", "classifier"),
    ("input-mapped", "classifier", "classifier")])
def test_inner_scheme_fields_have_choose_and_edit(qtbot, explorer, scheme, field, kind):
    tab = explorer.classify
    explorer.tabs.setCurrentWidget(tab)
    tab.choose(scheme)
    editor = tab.sheet.editor(field)
    assert isinstance(editor, SpecField)
    assert editor.chooser.kind == kind and editor.chooser.text() == "Choose"
    assert editor.edit_button.text() == "Edit..." and editor.edit_button.isEnabled()
    assert isinstance(editor.edit, QLineEdit) and not editor.edit.isReadOnly()


def test_a_name_no_classifier_has_turns_the_field_red_before_start(qtbot, explorer):
    tab = explorer.classify
    explorer.tabs.setCurrentWidget(tab)
    tab.choose("filtered")
    field = tab.sheet.editor("classifier")
    field.setText("Xyzzy")
    assert not tab.sheet.is_valid()
    reason = tab.sheet.error_line("classifier")
    assert not reason.isHidden()
    # the reason in the command line's words, without its four lines of known names
    assert reason.text() == "no classifier called 'Xyzzy'"
    assert "QLineEdit" in field.styleSheet()   # its line drawn as refused
    assert not field.edit_button.isEnabled()
    # The line beside Choose shows the start of the error, not the list of names.
    line = tab.chooser_box.options_line
    assert line.text().startswith("(invalid: ")
    assert line.cursorPosition() == 0
    assert not tab.start() and tab.job is None   # Start refuses until it is fixed
    field.setText("naive-bayes")
    assert tab.sheet.is_valid() and reason.isHidden()


def test_choose_replaces_the_text_and_edit_opens_the_inner_sheet(qtbot, explorer):
    tab = explorer.classify
    explorer.tabs.setCurrentWidget(tab)
    tab.choose("filtered")
    filters = tab.sheet.editor("filters")
    _pick_from_menu(filters, "weka-string-to-word-vector")
    assert filters.text() == "weka-string-to-word-vector"
    _pick_from_menu(tab.sheet.editor("classifier"), "naive-bayes")
    dialog = filters.open_editor()
    assert dialog is not None
    [(info, sheet)] = dialog.sheets
    assert info.name == "weka-string-to-word-vector"
    sheet.editor("words_to_keep").setText("100")
    sheet.editor("lowercase").setChecked(True)
    dialog.buttons.accepted.emit()
    assert not dialog.isVisible()
    settle_classify(qtbot, tab)
    configured = tab.configured_classifier()
    assert configured.classifier == "naive-bayes"
    assert "--words-to-keep 100" in configured.filters
    assert "--lowercase" in configured.filters
    assert "weka-string-to-word-vector" in tab.chooser_box.options_line.text()


def test_edit_of_a_chain_shows_one_sheet_per_filter(qtbot, explorer):
    tab = explorer.classify
    explorer.tabs.setCurrentWidget(tab)
    tab.choose("filtered", {"filters": "replace-missing-values | normalize -S 2"})
    dialog = tab.sheet.editor("filters").open_editor()
    assert [info.name for info, _sheet in dialog.sheets] == ["replace-missing-values",
                                                             "normalize"]
    assert dialog.sheets[1][1].values()["scale"] == 2.0
    dialog.sheets[1][1].editor("scale").setText("abc")     # refused: OK waits
    assert not dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()
    dialog.reject()
    assert tab.sheet.editor("filters").text() == "replace-missing-values | normalize -S 2"
