"""The Explorer on a scaled laptop screen (1920x1080 at 200 %: 960x540 logical pixels,
920x500 for the window): it opened at 1100x760 and its minimum height was 634, so not
even maximising put Apply, the histogram and the status bar on the screen; forced
smaller, the statistics ran under the Class combo."""

from __future__ import annotations

import pytest
from explorer_helpers import dataset_path, open_and_wait
from PySide6.QtCore import QPoint, QSize

from workbench.gui.widgets import placement

ROOM = QSize(920, 500)


@pytest.fixture
def small(qtbot, settings, monkeypatch):
    from workbench.gui.explorer import window as window_module

    monkeypatch.setattr(placement, "main_room", lambda: ROOM, raising=False)
    window = window_module.ExplorerWindow(settings=settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.classify.stop()
    if window.classify.job is not None:
        window.classify.job.wait(10)


def _below(upper, lower, tab) -> bool:
    return upper.mapTo(tab, QPoint(0, upper.height())).y() <= lower.mapTo(tab, QPoint()).y()


@pytest.mark.parametrize("name", ["iris.arff", "diabetes.arff"])
def test_the_explorer_opens_within_a_small_screen_and_fits_it_on_every_tab(
        qtbot, small, name):
    assert small.width() <= ROOM.width() and small.height() <= ROOM.height()
    open_and_wait(qtbot, small, dataset_path(name))
    small.classify.chooser.set_current("mlp")
    for index in range(small.tabs.count()):
        small.tabs.setCurrentIndex(index)
        qtbot.wait(10)
        assert small.minimumSizeHint().height() <= ROOM.height(), small.tabs.tabText(index)
        assert small.minimumSizeHint().width() <= ROOM.width(), small.tabs.tabText(index)
    assert small.height() <= ROOM.height()


def test_at_the_small_size_the_preprocess_panels_keep_their_room_and_never_overlap(
        qtbot, small):
    open_and_wait(qtbot, small, dataset_path("diabetes.arff"))
    tab = small.preprocess
    small.tabs.setCurrentWidget(tab)
    qtbot.wait(10)
    assert tab.stats.height() >= tab.stats.minimumHeight()
    assert tab.histogram.height() >= tab.histogram.minimumHeight()
    assert _below(tab.stats, tab.colour_box, tab)          # StdDev no longer under Class
    assert _below(tab.colour_box, tab.histogram, tab)


def test_an_empty_explorer_heads_its_statistics_table_with_real_names(explorer):
    stats = explorer.preprocess.stats
    heads = [stats.horizontalHeaderItem(c).text() for c in range(stats.columnCount())
             if not stats.isColumnHidden(c) and stats.horizontalHeaderItem(c) is not None]
    assert heads == ["Statistic", "Value"]
