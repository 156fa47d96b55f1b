"""Tab from *Choose* runs through a newly chosen classifier's or filter's fields in
reading order, drop-down lists included, and Qt has nothing to warn about: the
sheet's drop-down popups (separate windows) were taken for Tab stops, so every choice
printed "QWidget::setTabOrder: 'first' and 'second' must be in the same window" and the
chain broke after each drop-down (Tab jumped out of the sheet)."""

from __future__ import annotations

from explorer_helpers import dataset_path, open_and_wait
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QWidget

from workbench.gui.widgets.tab_order import tab_stops

TAB_ORDER_WARNING = "setTabOrder"


def _focus(qtbot, widget: QWidget) -> None:
    widget.window().activateWindow()
    widget.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget)


def _tab_through(qtbot, start: QWidget, sheet: QWidget) -> None:
    """Tab from ``start`` (the chooser, or the Classify tab's line beside it) visits
    every visible field of the sheet in reading order."""
    fields = [w for w in tab_stops(sheet) if w.isVisibleTo(sheet) and w.isEnabled()]
    assert any(isinstance(w, QComboBox) for w in fields)  # the case that broke
    _focus(qtbot, start)
    for expected in fields:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is expected


def _warnings(qtlog) -> list[str]:
    return [r.message for r in qtlog.records if TAB_ORDER_WARNING in r.message]


def test_a_new_classifier_sheet_follows_its_chooser_without_qt_warnings(qtbot, qtlog,
                                                                          explorer):
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    tab = explorer.classify
    explorer.tabs.setCurrentWidget(tab)
    for name in ("cnn", "rnn", "knn", "dbn"):
        tab.choose(name)
    assert _warnings(qtlog) == []
    tab.choose("knn")
    _tab_through(qtbot, tab.options_line, tab.chooser_box.sheet)


def test_a_new_filter_sheet_follows_its_chooser_without_qt_warnings(qtbot, qtlog,
                                                                      explorer):
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    pre = explorer.preprocess
    for name in ("discretize", "replace-missing-values", "remove"):
        pre.filter_chooser.set_current(name)
    assert _warnings(qtlog) == []
    pre.filter_chooser.set_current("discretize")
    _tab_through(qtbot, pre.filter_chooser, pre.filter_sheet)
