"""Opening another file keeps the Classify tab's selected result and its report, as
WEKA's Explorer does (ClassifierPanel.setInstances touches neither). The walkthrough
found the output pane showing the list's first report, with no entry selected, after a
new file was opened and the list took the keyboard: report and selection disagreed."""

from __future__ import annotations

from explorer_helpers import dataset_path, open_and_wait, run_classifier
from PySide6.QtCore import Qt


def _selected_rows(explorer) -> list[int]:
    return sorted(i.row() for i in explorer.classify.results_list.selectedIndexes())


def test_the_selected_result_stays_selected_and_shown(qtbot, explorer):
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    run_classifier(qtbot, explorer, "zeror")
    run_classifier(qtbot, explorer, "knn")
    classify = explorer.classify
    shown = classify.report.toPlainText()
    assert "IBk" in shown and _selected_rows(explorer) == [1]

    open_and_wait(qtbot, explorer, dataset_path("weather.numeric.arff"))
    assert classify.report.toPlainText() == shown
    assert _selected_rows(explorer) == [1] and classify.results_list.currentRow() == 1

    # The list taking the keyboard (Tab, or the tab switch) changes nothing.
    explorer.tabs.setCurrentWidget(classify)
    classify.results_list.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.wait(50)
    assert classify.report.toPlainText() == shown
    assert _selected_rows(explorer) == [1]


def test_with_nothing_selected_the_list_taking_focus_shows_no_report(qtbot, explorer):
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    run_classifier(qtbot, explorer, "zeror")
    classify = explorer.classify
    classify.results.deselect()
    classify.report.clear()
    open_and_wait(qtbot, explorer, dataset_path("weather.numeric.arff"))
    explorer.tabs.setCurrentWidget(classify)
    classify.results_list.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.wait(50)
    # Either the report shown is the selected entry's, or nothing is shown.
    text = classify.report.toPlainText()
    assert _selected_rows(explorer) == ([0] if text else [])
    if text:
        assert "ZeroR" in text
    # The arrow keys still start at the first entry, and show it.
    qtbot.keyClick(classify.results_list, Qt.Key.Key_Down)
    assert _selected_rows(explorer) == [0] and "ZeroR" in classify.report.toPlainText()
