"""The Visualize tab names nominal values on its axes and shows missing classes in legends."""

from __future__ import annotations

import numpy as np
from explorer_helpers import dataset_path
from PySide6.QtGui import QFont, QFontMetrics

from workbench.data.dataset import Attribute, Dataset
from workbench.data.io import load_dataset
from workbench.gui.explorer.visualize import ScatterPlot, VisualizeTab


def penguins() -> Dataset:
    """Species, a long-named measure and a sex with one instance of unknown sex."""
    attributes = [Attribute.nominal("species", ["Adelie", "Chinstrap", "Gentoo"]),
                  Attribute.numeric("flipper_length_mm"),
                  Attribute.nominal("sex", ["MALE", "FEMALE"])]
    X = np.array([[0, 181, 0], [1, 195, 1], [2, 217, 0], [0, 186, np.nan], [2, 230, 1]])
    return Dataset("penguins", attributes, X.astype(float), class_index=2)


def texts(axis) -> list[str]:
    return [text for level in axis._tickLevels or [] for _, text in level]


def test_the_enlarged_plot_names_nominal_values_and_lists_missing(qtbot):
    plot = ScatterPlot(penguins(), 0, 1, 2)
    qtbot.addWidget(plot)
    plot.resize(640, 520)
    assert texts(plot.plot.getAxis("bottom")) == ["Adelie", "Chinstrap", "Gentoo"]
    assert plot.plot.getAxis("left")._tickLevels is None  # a number axis stays numeric
    assert plot.legend_names == ["MALE", "FEMALE", "missing"]
    assert len(plot.legend.items) == 3
    plot.x_box.setCurrentIndex(1)
    assert plot.plot.getAxis("bottom")._tickLevels is None


def test_no_missing_entry_when_every_class_is_known(qtbot):
    plot = ScatterPlot(load_dataset(dataset_path("iris.arff")), 0, 1, 4)
    qtbot.addWidget(plot)
    assert "missing" not in plot.legend_names


def test_the_matrix_names_values_beside_nominal_cells_and_full_names(qtbot):
    tab = VisualizeTab()
    qtbot.addWidget(tab)
    tab.resize(1100, 650)
    tab.show()
    tab.set_dataset(penguins())
    qtbot.waitExposed(tab)
    tab.redraw()
    assert tab.columns == [0, 1]
    plot = tab.plot
    assert "Chinstrap" in texts(plot.getAxis("right"))  # each species' row, by name
    assert texts(plot.getAxis("top")) and plot.getAxis("top").isVisible()
    assert "flipper_length_mm" in texts(plot.getAxis("left"))  # not "flipper_lengt..."
    assert "missing" in tab.hint.text()
    # The plot is only as wide as the square matrix and its axes: no band between the
    # names and the cells.
    left = plot.getAxis("left")
    view = plot.getPlotItem().vb.sceneBoundingRect()
    assert view.width() <= view.height() + 40
    assert left.sceneBoundingRect().right() >= view.left() - 2
    # Each nominal value sits in the middle of its own slot, where its name points.
    x, _y = tab.cell_points(np.arange(5))
    assert np.allclose(x[0], 0.05 + 0.9 * (np.array([0, 1, 2, 0, 2]) + 0.5) / 3)


def test_nominal_ticks_never_crowd_or_shrink_to_nothing():
    from workbench.gui.explorer.visualize import nominal_ticks

    metrics = QFontMetrics(QFont())
    labels = [f"value number {k}" for k in range(40)]
    across = nominal_ticks(labels, range(40), 300.0, metrics, horizontal=True)
    assert across and len(across) < 40
    assert all(len(text) >= 4 for _, text in across)
    assert sum(metrics.horizontalAdvance(t) for _, t in across) <= 300
    down = nominal_ticks(labels, range(40), 200.0, metrics, horizontal=False)
    assert len(down) * metrics.height() <= 200 + metrics.height()
    roomy = nominal_ticks(["a", "b"], [0.25, 0.75], 400.0, metrics, horizontal=True)
    assert roomy == [(0.25, "a"), (0.75, "b")]
