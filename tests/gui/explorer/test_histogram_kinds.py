"""The Preprocess histogram for every attribute kind: never the previous attribute's plot."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtGui import QGuiApplication

from workbench.data.dataset import Attribute, Dataset
from workbench.gui.explorer.histogram import ClassHistogram
from workbench.gui.explorer.preprocess import PreprocessTab

DAY = 86400.0
# 1926-08-26 .. 1928-12-27, the years of the aircraft-accident file of the walkthrough.
DATES = np.array([-1368057600.0, -1350000000.0, -1330000000.0, -1310000000.0,
                  -1296000000.0, -1296000000.0 + 20 * DAY])


def mixed() -> Dataset:
    attributes = [Attribute.numeric("sibsp"), Attribute.string("name", ["Ann", "Bob", "Cy"]),
                  Attribute.date("when", "yyyy-MM-dd"), Attribute.nominal("cls", ["a", "b"])]
    X = np.column_stack([[0, 1, 1, 2, 3, 0], [0, 1, 2, 0, 1, 2], DATES, [0, 1, 0, 1, 0, 1]])
    return Dataset("mixed", attributes, X.astype(float), class_index=3)


def bars(plot: ClassHistogram) -> list[pg.BarGraphItem]:
    return [i for i in plot.getPlotItem().items if isinstance(i, pg.BarGraphItem)]


def test_a_string_attribute_shows_a_note_not_the_previous_plot(qtbot):
    plot = ClassHistogram()
    qtbot.addWidget(plot)
    ds = mixed()
    plot.show_attribute(ds, 0, 3)
    assert bars(plot) and plot.note == ""
    plot.show_attribute(ds, 1, 3)
    assert plot.getPlotItem().titleLabel.text == "name"
    assert plot.note == "String attribute: 3 distinct values \u2014 no histogram"
    assert not bars(plot) and plot.counts.size == 0
    assert not plot.getPlotItem().getAxis("bottom").isVisible()
    plot.show_attribute(ds, 0, 3)  # and back: bars and axes again, the note gone
    assert bars(plot) and plot.note == "" and plot.getPlotItem().getAxis("bottom").isVisible()


def test_a_date_attribute_is_a_histogram_over_time(qtbot):
    plot = ClassHistogram()
    qtbot.addWidget(plot)
    ds = mixed()
    plot.show_attribute(ds, 3, 3)  # a nominal one first, with its label ticks
    plot.show_attribute(ds, 2, 3)
    assert plot.getPlotItem().titleLabel.text == "when"
    assert plot.counts.sum() == 6 and bars(plot)
    axis = plot.getAxis("bottom")
    assert isinstance(axis, pg.DateAxisItem)
    assert axis._tickLevels is None  # calendar ticks, not the nominal labels left over
    low, high = plot.getPlotItem().vb.viewRange()[0]
    assert low <= DATES.min() and DATES.max() <= high
    plot.resize(500, 300)
    plot.grab()  # a date axis learns its font, and so its tick density, when painted
    spacing, values = axis.tickValues(low, high, 400)[0]
    assert "1927" in axis.tickStrings(values, 1.0, spacing)
    plot.show_attribute(ds, 0, 3)
    assert not isinstance(plot.getAxis("bottom"), pg.DateAxisItem)


def test_an_attribute_with_no_values_says_so(qtbot):
    plot = ClassHistogram()
    qtbot.addWidget(plot)
    ds = Dataset("empty", [Attribute.numeric("x")], np.full((4, 1), np.nan))
    plot.show_attribute(ds, 0, None)
    assert plot.note == "No values: all 4 are missing" and not bars(plot)


@pytest.fixture
def tab(qtbot):
    from workbench.core.registry import default_registry

    tab = PreprocessTab(default_registry())
    qtbot.addWidget(tab)
    tab.set_dataset(mixed())
    return tab


def test_preprocess_shows_a_dates_stddev_as_a_duration(tab):
    tab.table.setCurrentCell(2, 1)
    rows = {tab.stats.item(r, 0).text(): tab.stats.item(r, 1).text()
            for r in range(tab.stats.rowCount())}
    assert rows["Minimum"] == "1926-08-26" and rows["Maximum"].startswith("1928")
    assert rows["StdDev"].endswith(" days") and not rows["StdDev"].startswith("19")
    tab.table.setCurrentCell(1, 1)
    assert tab.histogram.note.startswith("String attribute: 3 distinct values")


def test_visualize_all_fits_on_the_screen(qtbot, tab):
    window = tab.visualize_all()
    qtbot.addWidget(window)
    area = (tab.screen() or QGuiApplication.primaryScreen()).availableGeometry()
    assert area.contains(window.frameGeometry())
    assert window.grid.attributes == [0, 2, 3]  # numeric, date, nominal: not the string
    assert window.note.text().startswith("3 of 4 attributes (name: no histogram)")
