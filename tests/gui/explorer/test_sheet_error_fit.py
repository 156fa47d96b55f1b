"""A parameter's error line under its field makes the sheet taller: the Classify tab
gives it the room, as it does a new sheet, instead of clipping the rows below it (the
walkthrough saw MLP's "Advanced parameters" cut off under Epochs' "-5 is not allowed")."""

from __future__ import annotations

from explorer_helpers import settle_classify
from PySide6.QtWidgets import QLineEdit


def test_an_error_line_grows_the_sheet_instead_of_hiding_its_last_row(qtbot, explorer):
    # The first size on a 1920x1080 screen. (At 1100x760 the panes below are at their
    # minimum already, so there the sheet scrolls by the error line, as designed.)
    explorer.resize(1400, 900)
    tab = explorer.classify
    explorer.tabs.setCurrentWidget(tab)
    tab.choose("mlp")
    settle_classify(qtbot, tab)
    assert tab.sheet_scroll.verticalScrollBar().maximum() == 0
    epochs = tab.sheet.editor("epochs")
    assert isinstance(epochs, QLineEdit)
    epochs.setText("-5")
    assert not tab.sheet.is_valid()
    settle_classify(qtbot, tab)
    assert tab.sheet_scroll.verticalScrollBar().maximum() == 0
    epochs.setText("20")                                       # and back when it goes
    settle_classify(qtbot, tab)
    assert tab.sheet_scroll.verticalScrollBar().maximum() == 0


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


def test_typing_refits_the_classifier_sheet_only_when_an_error_line_comes_or_goes(
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
    _type(qtbot, epochs, "-")                   # "-250": its error line appears
    assert len(fits) == 1
    _type(qtbot, epochs, "9")                   # "-9250": the same one-line message
    assert len(fits) == 1
    # (where the column is narrow and the longer message wraps onto one more line, the
    # sheet is re-fitted for it: the line's height changed)
    epochs.home(False)
    epochs.del_()                               # "9250": the line goes
    assert len(fits) == 2


def test_typing_refits_the_filter_sheet_only_when_an_error_line_comes_or_goes(
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
    assert len(fits) == 1
    bins.home(False)
    bins.del_()
    assert len(fits) == 2
