"""The Preprocess filter panel: a sheet tall enough for its rows, error lines that go
when they no longer hold and never hide the statistics, and filters named as the
chooser names them."""

from __future__ import annotations

import pytest
from explorer_helpers import dataset_path, open_and_wait
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLineEdit

# What a 1280x800 screen and a 1920x1080 one give the window (window.FIRST_SIZE and
# ROOMIEST_SIZE).
SIZES = [(1100, 760), (1400, 900)]


def apply(qtbot, explorer, name: str, **values) -> None:
    """Choose filter ``name``, set its fields as a user types them, click Apply, wait."""
    tab = explorer.preprocess
    tab.filter_chooser.set_current(name)
    for field, text in values.items():
        editor = tab.filter_sheet.editor(field)
        assert isinstance(editor, QLineEdit)
        editor.setText(str(text))
    original = explorer.dataset
    qtbot.mouseClick(tab.apply_button, Qt.MouseButton.LeftButton)
    if tab.filter_sheet.is_valid():
        qtbot.waitUntil(lambda: explorer.dataset is not original
                        and explorer.filter_job is None, timeout=20_000)


def refuse_percentage_150(qtbot, explorer) -> None:
    apply(qtbot, explorer, "remove-percentage", percentage=150)
    message = explorer.preprocess.message
    assert message.isVisible() and "fix the filter's parameters first" in message.text()


def shows_whole(widget, viewport) -> bool:
    """``widget`` is visible and lies inside ``viewport`` from top to bottom."""
    top = widget.mapTo(viewport, QPoint(0, 0)).y()
    return widget.isVisible() and top >= 0 and top + widget.height() <= viewport.height()


@pytest.fixture
def diabetes(qtbot, explorer):
    open_and_wait(qtbot, explorer, dataset_path("diabetes.arff"))
    return explorer


def test_an_old_parameter_error_goes_with_a_new_filter_and_an_apply(qtbot, diabetes):
    explorer, message = diabetes, diabetes.preprocess.message
    refuse_percentage_150(qtbot, explorer)
    apply(qtbot, explorer, "standardize")
    assert not message.isVisible() and message.text() == ""
    assert "Standardize" in explorer.status.activity.text()


def test_an_error_goes_when_the_value_is_corrected(qtbot, diabetes):
    tab = diabetes.preprocess
    refuse_percentage_150(qtbot, diabetes)
    tab.filter_sheet.editor("percentage").setText("15")  # still typing: nothing yet
    assert not tab.message.isVisible()
    original = diabetes.dataset
    qtbot.mouseClick(tab.apply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: diabetes.dataset is not original, timeout=20_000)
    assert diabetes.dataset.num_instances == 653
    assert not tab.message.isVisible()


@pytest.mark.parametrize("size", SIZES)
def test_an_error_line_never_cuts_the_statistics(qtbot, diabetes, size):
    diabetes.resize(*size)
    tab = diabetes.preprocess
    apply(qtbot, diabetes, "discretize", bins=5)  # preg: five labels, five rows
    refuse_percentage_150(qtbot, diabetes)
    tab.table.setCurrentCell(0, 1)
    assert tab.stats.rowCount() == 5
    qtbot.waitUntil(lambda: tab.stats.verticalScrollBar().maximum() == 0, timeout=20_000)


def test_status_and_undo_name_filters_as_the_chooser_does(qtbot, diabetes):
    apply(qtbot, diabetes, "remove-percentage", percentage=30)
    apply(qtbot, diabetes, "nominal-to-binary")
    assert diabetes.status.activity.text().startswith("applied NominalToBinary: now")
    assert diabetes.undo_action.text() == "&Undo applied NominalToBinary"
    diabetes.undo()
    assert diabetes.status.activity.text() == "Undone: applied NominalToBinary"
    assert diabetes.undo_action.text() == "&Undo applied RemovePercentage -P 30.0"
    assert "remove-percentage" not in diabetes.log.text()
    assert "nominal-to-binary" not in diabetes.log.text()
    assert diabetes.preprocess.filter_title(
        diabetes.registry.get("filter", "supervised-discretize").create()) \
        == "Discretize (supervised)"


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", ["discretize", "remove-with-values",
                                  "weka-string-to-word-vector"])
def test_every_row_of_the_filter_sheet_shows(qtbot, explorer, size, name):
    explorer.resize(*size)
    tab = explorer.preprocess
    tab.filter_chooser.set_current(name)
    viewport = tab.filter_scroll.viewport()
    editors = [tab.filter_sheet.editor(p.name) for p in tab.filter_sheet.params]
    qtbot.waitUntil(lambda: all(shows_whole(e, viewport) for e in editors), timeout=20_000)
    assert tab.filter_scroll.verticalScrollBar().maximum() == 0


def test_a_refused_value_keeps_the_rows_below_it_in_view(qtbot, explorer):
    explorer.resize(*SIZES[0])
    tab = explorer.preprocess
    tab.filter_chooser.set_current("discretize")
    tab.filter_sheet.editor("bins").setText("0")  # refused, a line under the field
    viewport = tab.filter_scroll.viewport()
    editors = [tab.filter_sheet.editor(p.name) for p in tab.filter_sheet.params]
    qtbot.waitUntil(lambda: all(shows_whole(e, viewport) for e in editors), timeout=20_000)
