"""The Classify tab's progress line when no run is shown: "Ready" and no bar.

After a refused Start the bar still read the previous run's "100%" beside the reason,
and before any run it was an empty frame that read like a text field (walkthrough 11a).
"""

from __future__ import annotations

from explorer_helpers import dataset_path, open_and_wait, run_classifier


def test_before_any_run_the_line_says_ready_and_shows_no_bar(qtbot, explorer):
    tab = explorer.classify
    explorer.tabs.setCurrentWidget(tab)
    assert tab.progress_label.text() == "Ready"
    assert not tab.progress_bar.isVisibleTo(tab)


def test_a_refused_start_shows_its_reason_not_the_last_runs_100_percent(qtbot, explorer):
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    tab = explorer.classify
    explorer.tabs.setCurrentWidget(tab)
    tab.use_training.setChecked(True)
    run_classifier(qtbot, explorer, "zeror")
    assert tab.progress_bar.isVisibleTo(tab) and tab.progress_bar.value() == 100
    tab.cost_matrix.setText("[0 1; 1 0]")   # iris has 3 classes
    assert not tab.start()
    assert tab.progress_label.text().startswith("Error: ")
    assert not tab.progress_bar.isVisibleTo(tab)
    tab.cost_matrix.setText("")
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))   # new data: stale reason
    assert tab.progress_label.text() == "Ready"
    # The bar's room is kept while it is hidden: a run starting moves nothing.
    assert tab.progress_bar.sizePolicy().retainSizeWhenHidden()
    assert tab.start() and tab.progress_bar.isVisibleTo(tab)
    qtbot.waitUntil(lambda: not tab.running, timeout=30_000)
