"""A parameter's error line under its field: the reason shows whole, in the room kept
for it under the sheet's rows (a longer one scrolls within the sheet), and nothing below
the sheet moves: growing the sheet pushed *Start* 53 px down under the pointer (a click
meant for it landed in the cost-matrix field) and the Preprocess histogram out of view.
Once the value is allowed again the sheet is as tall as it was: the filter sheet stayed
39 px taller after a corrected 'abc'."""

from __future__ import annotations

import pytest
from explorer_helpers import dataset_path, open_and_wait, settle_classify
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QLineEdit

# The first sizes on a 1280x800 and a 1920x1080 screen (window.FIRST_SIZE, ROOMIEST_SIZE).
SIZES = [(1100, 760), (1400, 900)]


def _top(widget, window) -> int:
    return widget.mapTo(window, QPoint(0, 0)).y()


def _reads_whole(line, scroll) -> bool:
    """The error line shows, inside the scroll area's view from top to bottom."""
    viewport = scroll.viewport()
    top = line.mapTo(viewport, QPoint(0, 0)).y()
    return line.isVisible() and top >= 0 and top + line.height() <= viewport.height()


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(("name", "field", "bad", "good"), [
    ("ibk", "k", "-5", "1"), ("mlp", "epochs", "-5", "20")])
def test_a_refused_value_moves_nothing_below_the_classifier_sheet(
        qtbot, explorer, size, name, field, bad, good):
    explorer.resize(*size)
    tab = explorer.classify
    explorer.tabs.setCurrentWidget(tab)
    tab.choose(name)
    settle_classify(qtbot, tab)
    sizes, start = tab.config_splitter.sizes(), _top(tab.start_button, explorer)
    assert tab.sheet_scroll.verticalScrollBar().maximum() == 0
    editor = tab.sheet.editor(field)
    assert isinstance(editor, QLineEdit)
    editor.setText(bad)
    assert not tab.sheet.is_valid()
    settle_classify(qtbot, tab)
    assert _top(tab.start_button, explorer) == start
    assert tab.config_splitter.sizes() == sizes
    assert _reads_whole(tab.sheet.error_line(field), tab.sheet_scroll)
    editor.setText(good)                                       # and back when it goes
    settle_classify(qtbot, tab)
    assert tab.config_splitter.sizes() == sizes
    assert tab.sheet_scroll.verticalScrollBar().maximum() == 0


@pytest.mark.parametrize("size", SIZES)
def test_a_refused_filter_value_moves_nothing_and_the_sheet_shrinks_back(
        qtbot, explorer, size):
    from settling import settle

    explorer.resize(*size)
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    tab = explorer.preprocess
    tab.filter_chooser.set_current("normalize")

    def state():
        return (tab.filter_scroll.height(), _top(tab.histogram, explorer),
                _top(tab.table, explorer), tab.filter_scroll.verticalScrollBar().maximum())

    settle(qtbot, state)
    before = state()
    scale = tab.filter_sheet.editor("scale")
    assert isinstance(scale, QLineEdit)
    scale.setText("abc")
    assert not tab.filter_sheet.is_valid()
    settle(qtbot, state)
    # A one-line reason takes the line kept for it: no scroll bar, no row hidden.
    assert state() == before
    assert _reads_whole(tab.filter_sheet.error_line("scale"), tab.filter_scroll)
    scale.setText("1.0")
    settle(qtbot, state)
    assert state() == before


def _count_calls(monkeypatch, owner: type, name: str) -> list[int]:
    """Count the calls of ``owner.name`` (still made), one entry per call."""
    calls: list[int] = []
    original = getattr(owner, name)

    def counted(self, *args, **kwargs):
        calls.append(1)
        return original(self, *args, **kwargs)
    monkeypatch.setattr(owner, name, counted)
    return calls


def _type(qtbot, field: QLineEdit, keys: str) -> None:
    for key in keys:
        qtbot.keyClicks(field, key)


def test_typing_refits_the_classifier_sheet_only_when_the_error_line_goes(
        qtbot, monkeypatch):
    from workbench.core.registry import default_registry
    from workbench.gui.explorer.classifier_box import ClassifierBox

    fits = _count_calls(monkeypatch, ClassifierBox, "fit")
    box = ClassifierBox(default_registry())
    qtbot.addWidget(box)
    box.resize(1800, 400)   # wide enough for a whole message on one line
    box.show()
    box.choose("mlp")
    qtbot.waitUntil(lambda: box.sheet.editor("epochs").width() > 300)
    epochs = box.sheet.editor("epochs")
    assert isinstance(epochs, QLineEdit)
    epochs.setText("2")
    fits.clear()
    epochs.end(False)
    _type(qtbot, epochs, "50")                  # "250": valid at every keystroke
    assert len(fits) == 0
    epochs.home(False)
    _type(qtbot, epochs, "-")                   # "-250": its error line appears, in
    assert len(fits) == 0                       # the room the sheet has
    _type(qtbot, epochs, "9")                   # "-9250": the same one-line message
    assert len(fits) == 0
    epochs.home(False)
    epochs.del_()                               # "9250": the line goes
    assert len(fits) == 1


def test_typing_refits_the_filter_sheet_only_when_the_error_line_goes(
        qtbot, monkeypatch):
    from workbench.core.registry import default_registry
    from workbench.gui.explorer.preprocess import PreprocessTab

    fits = _count_calls(monkeypatch, PreprocessTab, "_fit_sheet")
    tab = PreprocessTab(default_registry())
    qtbot.addWidget(tab)
    tab.show()
    tab.filter_chooser.set_current("discretize")
    sheet = tab.filter_sheet
    assert sheet is not None
    bins = sheet.editor("bins")
    assert isinstance(bins, QLineEdit)
    bins.setText("1")
    fits.clear()
    bins.end(False)
    _type(qtbot, bins, "25")
    assert len(fits) == 0
    bins.home(False)
    _type(qtbot, bins, "-")
    assert len(fits) == 0
    bins.home(False)
    bins.del_()
    assert len(fits) == 1


def _lies_whole_over_the_rows_below(message, panel) -> bool:
    """The floating reason shows, every line of it, inside the panel and over the rows
    under the fields (not over a field)."""
    label, below = message.label, panel.below_fields
    return (message.isVisible() and label.height() >= label.heightForWidth(label.width())
            and message.geometry().top() == below.geometry().top()
            and message.geometry().bottom() <= below.geometry().bottom()
            and message.width() == below.width())


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", ["zeror", "mlp"])
@pytest.mark.parametrize(("mode", "field", "bad", "good"), [
    ("cross_validation", "folds", "1", "10"), ("split", "percent", "0", "66"),
    ("split", "percent", "150", "66"), ("cross_validation", "seed", "abc", "1")])
def test_a_refused_test_option_moves_nothing_and_its_reason_reads_whole(
        qtbot, explorer, size, name, mode, field, bad, good):
    """The reason went under its field, in the column beside the radio buttons: four
    lines there, and the panel grew, pushing Start 53 px down under the pointer (25 at
    1920x1080); the red frame alone made a field, and Start, 3-4 px shorter. Nor may
    the reason take room for good: with an MLP at 1280x800 the panel has none to give."""
    from settling import settle

    explorer.resize(*size)
    tab = explorer.classify
    explorer.tabs.setCurrentWidget(tab)
    tab.choose(name)
    panel = tab.testing
    panel.set_values({"mode": mode})

    def state():
        return (_top(tab.start_button, explorer), panel.height(), tab.config_splitter.sizes(),
                tab.sheet_scroll.verticalScrollBar().maximum())

    settle(qtbot, state)
    before = state()
    assert before[-1] == 0                     # the classifier's sheet shows whole
    editor = panel.sheets[field].editor(field)
    editor.setText(bad)
    settle(qtbot, state)
    assert state() == before
    reason = panel.sheets[field].errors()[field].removeprefix(f"parameter '{field}': ")
    assert panel.reason_message.text().endswith(reason)
    assert _lies_whole_over_the_rows_below(panel.reason_message, panel)
    editor.setText(good)                       # and when it goes
    settle(qtbot, state)
    assert state() == before
    assert not panel.reason_message.isVisible()


def test_one_reason_at_a_time_the_field_entered_last(qtbot, explorer):
    """Folds and seed refused at once: one reason shows (the other field stays red and
    Start names both), the field entered last; another option's field blocks nothing."""
    from settling import settle

    explorer.resize(*SIZES[0])
    tab = explorer.classify
    explorer.tabs.setCurrentWidget(tab)
    panel = tab.testing
    message = panel.reason_message

    def state():
        return _top(tab.start_button, explorer), panel.height()

    settle(qtbot, state)
    before = state()
    folds, seed = panel.sheets["folds"].editor("folds"), panel.sheets["seed"].editor("seed")
    folds.setText("1")
    seed.setText("abc")
    settle(qtbot, state)
    assert state() == before
    assert message.text().startswith("Random seed: cannot read 'abc'")
    assert _lies_whole_over_the_rows_below(message, panel)
    folds.setFocus()                           # entering the other refused field
    qtbot.waitUntil(lambda: message.text().startswith("Folds: 1 is not allowed"))
    message.close_button.click()               # dismissed: the rows below show
    assert not message.isVisible()
    seed.setFocus()
    folds.setFocus()                           # entered again: shown again
    qtbot.waitUntil(message.isVisible)
    panel.use_split.setChecked(True)           # the split does not read the folds
    assert message.text().startswith("Random seed:")
    seed.setText("1")
    assert not message.isVisible()
    panel.use_cv.setChecked(True)
    assert message.text().startswith("Folds:") and message.isVisible()
    folds.setText("10")
    settle(qtbot, state)
    assert state() == before and not message.isVisible()
