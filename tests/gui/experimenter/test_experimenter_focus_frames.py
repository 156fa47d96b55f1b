"""The Experimenter's panes that take a Tab stop show the focus (walkthrough 13, K5): the
empty Datasets and Classifiers lists, the Run tab's log and the Analyse output."""

from __future__ import annotations

from focus_frames import assert_focus_shows


def test_the_setup_lists_the_run_log_and_the_analyse_output_show_the_focus(qtbot, window):
    window.show()
    setup = window.setup
    window.tabs.setCurrentWidget(setup)
    setup.datasets.clear()
    setup.classifiers.clear()
    assert_focus_shows(qtbot, setup.datasets, window.tabs.tabBar())
    assert_focus_shows(qtbot, setup.classifiers, window.tabs.tabBar())
    window.tabs.setCurrentWidget(window.run)
    assert_focus_shows(qtbot, window.run.log, window.tabs.tabBar())
    window.tabs.setCurrentWidget(window.analyse)
    assert_focus_shows(qtbot, window.analyse.output, window.tabs.tabBar())
