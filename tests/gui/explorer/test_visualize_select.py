"""The Visualize tab on wide data: a default of attributes that vary, WEKA's "Select
attributes" to pick others, and readable axes for a constant attribute."""

from __future__ import annotations

import numpy as np
from explorer_helpers import dataset_path

from workbench.data.io import load_dataset
from workbench.gui.explorer.scatter_plot import ScatterPlot
from workbench.gui.explorer.visualize import VisualizeTab
from workbench.gui.plots.scatter_axes import spread


def shown_tab(qtbot, name: str) -> VisualizeTab:
    tab = VisualizeTab()
    qtbot.addWidget(tab)
    tab.resize(1000, 650)
    tab.show()   # a hidden tab draws when it is shown
    tab.set_dataset(load_dataset(dataset_path(name), class_index=-1))
    return tab


def test_wide_data_shows_attributes_that_vary_not_blank_corner_pixels(qtbot):
    tab = shown_tab(qtbot, "digits.arff")  # 64 pixels, the first ones blank as in MNIST
    ds = tab.dataset
    assert len(tab.columns) == 5
    assert all(spread(ds.column(j)) == 2 for j in tab.columns)
    assert tab.columns == sorted(tab.columns)  # in the dataset's order
    assert 0 not in tab.columns and np.all(ds.column(0) == 0)


def test_narrow_data_keeps_the_first_attributes(qtbot):
    tab = shown_tab(qtbot, "diabetes.arff")
    assert tab.columns == [0, 1, 2, 3, 4]
    assert shown_tab(qtbot, "iris.arff").columns == [0, 1, 2, 3]


def test_select_attributes_filters_ticks_the_shown_and_redraws(qtbot):
    tab = shown_tab(qtbot, "digits.arff")
    dialog = tab.select_attributes()
    assert dialog is not None and dialog.list.count() == 65  # every attribute, class too
    assert dialog.chosen() == [tab.dataset.attributes[j].name for j in tab.columns]
    dialog.filter.setText("pixel_4_")
    shown = [dialog.list.item(k).text() for k in range(dialog.list.count())
             if not dialog.list.item(k).isHidden()]
    assert shown == [f"pixel_4_{c}" for c in range(8)]
    dialog._tick_shown(False)
    assert dialog.chosen() == [tab.dataset.attributes[j].name for j in tab.columns]
    dialog.filter.clear()
    dialog._tick_shown(False)
    assert not dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()
    dialog.filter.setText("pixel_4_")
    dialog._tick_shown(True)
    assert "8 of 65 selected" in dialog.count.text()
    dialog.accept()
    names = [tab.dataset.attributes[j].name for j in tab.columns]
    assert names == [f"pixel_4_{c}" for c in range(8)]
    assert tab.size_box.value() == 8
    assert tab.cell_at(7.5, 0.5) == (tab.columns[7], tab.columns[7])


def test_more_ticked_than_drawn_says_so_and_survives_a_new_version_of_the_data(qtbot):
    tab = shown_tab(qtbot, "digits.arff")
    ds = tab.dataset
    names = [a.name for a in ds.attributes[:20]]
    tab.show_attributes(names)
    assert len(tab.columns) == 16
    assert "Showing 16 of the 20 selected attributes" in tab.hint.text()
    # A filter that keeps those attributes (here: fewer instances) keeps the choice.
    tab.set_dataset(ds.select_rows(list(range(300))))
    assert [tab.dataset.attributes[j].name for j in tab.columns] == names[:16]


def test_the_larger_plot_of_a_constant_attribute_reads_plain_numbers(qtbot):
    ds = load_dataset(dataset_path("digits.arff"), class_index=-1)
    plot = ScatterPlot(ds, 0, 1, ds.class_index)
    qtbot.addWidget(plot)
    low, high = plot.plot.getPlotItem().vb.viewRange()[0]
    assert low <= -0.9 and high >= 0.9
    assert plot.plot.getAxis("bottom").autoSIPrefixScale == 1.0
    plot.jitter.setValue(50)
    x = plot.scatter.data["x"]
    assert 0 < np.abs(x).max() <= 0.5 and len(np.unique(x)) > 1


def test_a_blank_pixel_sits_mid_cell_not_on_the_border(qtbot):
    tab = shown_tab(qtbot, "digits.arff")
    tab.show_attributes(["pixel_0_0", "pixel_3_3"])
    x, y = tab.cell_points(np.arange(10))
    assert np.all(x[0] == 0.5) and np.all(y[0] == 1.5)  # cell (0, 0) of a 2 x 2 matrix


def test_attributes_shown_says_what_the_matrix_draws(qtbot):
    # iris: 5 attributes, the class the colour, 4 x 4 cells; the box said 5.
    tab = shown_tab(qtbot, "iris.arff")
    assert len(tab.columns) == 4 and tab.size_box.value() == 4
    assert tab.size_box.maximum() == 4   # no more to ask for
    tab.colour_box.setCurrentIndex(0)    # coloured by sepallength, the class is a cell
    tab.redraw()
    assert len(tab.columns) == 4 and tab.size_box.value() == 4
    # The number asked for (5 by default) comes back with data that has more to draw.
    tab.set_dataset(load_dataset(dataset_path("diabetes.arff"), class_index=-1))
    assert len(tab.columns) == 5 and tab.size_box.value() == 5
    tab.size_box.setValue(7)
    tab.redraw()
    tab.set_dataset(load_dataset(dataset_path("iris.arff"), class_index=-1))
    assert tab.size_box.value() == 4
    tab.set_dataset(load_dataset(dataset_path("diabetes.arff"), class_index=-1))
    assert len(tab.columns) == 7 and tab.size_box.value() == 7


def test_ticking_the_colour_attribute_counts_only_the_cells_drawn(qtbot):
    tab = shown_tab(qtbot, "iris.arff")
    tab.show_attributes(["sepallength", "petalwidth", "class"])
    assert [tab.dataset.attributes[j].name for j in tab.columns] == ["sepallength",
                                                                     "petalwidth"]
    assert tab.size_box.value() == 2
