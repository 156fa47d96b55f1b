"""The Explorer's panes that take a Tab stop show the focus (walkthrough 13, K5): the
Classifier output, the empty Result list, the Visualize matrix and the Log."""

from __future__ import annotations

from explorer_helpers import dataset_path, open_and_wait
from focus_frames import assert_focus_shows


def test_the_classify_panes_show_the_focus(qtbot, explorer):
    tab = explorer.classify
    explorer.tabs.setCurrentWidget(tab)
    assert tab.results_list.count() == 0
    assert_focus_shows(qtbot, tab.report, tab.chooser)
    assert_focus_shows(qtbot, tab.results_list, tab.chooser)


def test_the_visualize_matrix_and_the_log_show_the_focus(qtbot, explorer):
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    explorer.tabs.setCurrentWidget(explorer.visualize)
    assert_focus_shows(qtbot, explorer.visualize.plot, explorer.visualize.update_button)
    explorer.tabs.setCurrentWidget(explorer.log)
    assert_focus_shows(qtbot, explorer.log, explorer.tabs.tabBar())
