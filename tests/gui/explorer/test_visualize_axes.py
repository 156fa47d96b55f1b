"""The Visualize tab names nominal values on its axes and shows missing classes in legends."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from explorer_helpers import dataset_path
from PySide6.QtGui import QFont, QFontMetrics
from settling import settle

from workbench.data.dataset import Attribute, Dataset
from workbench.data.io import load_dataset
from workbench.gui.explorer.matrix_labels import column_labels, shared_prefix
from workbench.gui.explorer.scatter_plot import ScatterPlot
from workbench.gui.explorer.visualize import VisualizeTab


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
    from workbench.gui.explorer.scatter_plot import nominal_ticks

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


def pixels(names: list[str]) -> Dataset:
    attributes = [Attribute.numeric(name) for name in names]
    attributes.append(Attribute.nominal("class", ["a", "b"]))
    rng = np.random.default_rng(1)
    X = np.column_stack([rng.random((40, len(names))), rng.integers(0, 2, 40)])
    return Dataset("pixels", attributes, X.astype(float), class_index=len(names))


def test_sixteen_columns_are_told_apart_by_their_labels(qtbot):
    """MNIST's pixel_14_0..15 in a 1100 x 650 tab: the columns were all "pi…". The
    shared "pixel_14_" is said once beside the axis and each column reads its own
    number; hovering a column's label shows its whole name."""
    names = [f"pixel_14_{k}" for k in range(16)]
    tab = VisualizeTab()
    qtbot.addWidget(tab)
    tab.resize(1100, 650)
    tab.show()
    tab.set_dataset(pixels(names))
    qtbot.waitExposed(tab)
    tab.show_attributes(names)
    bottom = tab.plot.getAxis("bottom")
    vb = tab.plot.getPlotItem().vb
    settle(qtbot, lambda: (texts(bottom), bottom.labelText, vb.viewRange(), vb.sceneBoundingRect(),
                           bottom.sceneBoundingRect()))
    shown = [text.strip() for text in texts(bottom)]
    assert shown == [str(k) for k in range(16)]
    assert bottom.label.isVisible() and "pixel_14_" in bottom.labelText
    # Every label fits under its column, as drawn.
    cell = tab.plot.getPlotItem().vb.sceneBoundingRect().width() / 16
    assert max(tab.metrics.horizontalAdvance(t) for t in shown) <= cell
    # The whole name under the mouse, over the axis and over a cell.
    under = vb.mapViewToScene(pg.QtCore.QPointF(3.5, 0))
    axis_y = bottom.sceneBoundingRect().center().y()
    assert tab.hover_text(under.x(), axis_y) == "pixel_14_3"
    inside = vb.mapViewToScene(pg.QtCore.QPointF(3.5, 15.5))
    assert tab.hover_text(inside.x(), inside.y()) == "x: pixel_14_3, y: pixel_14_0"


def test_column_labels_keep_whole_names_strip_a_prefix_or_alternate_lines():
    metrics = QFontMetrics(QFont())
    wide = column_labels(["sepallength", "petalwidth"], 400, metrics)
    assert wide.texts == ["sepallength", "petalwidth"] and not wide.prefix
    numbered = column_labels([f"pixel_14_{k}" for k in range(16)], 30, metrics)
    assert numbered.prefix == "pixel_14_" and numbered.texts[10] == "10"
    assert not numbered.staggered and numbered.lines == 2
    # No shared prefix and too narrow: two alternating lines, each twice as wide.
    names = ["sepallength", "sepalwidth", "petallength", "petalwidth"]
    room = metrics.horizontalAdvance("sepallength") * 0.6
    staggered = column_labels(names, room, metrics)
    assert staggered.staggered and staggered.texts == names
    assert [t for _, t in staggered.ticks()][1] == "\nsepalwidth"
    assert shared_prefix(["pixel_14_1", "pixel_14_10"]) == "pixel_14_"
    assert shared_prefix(["a_1", "a_"]) == ""  # a column would be left nameless


def test_the_legend_shows_class_names_as_written_and_keeps_dots_with_them(qtbot):
    """A class such as '<=50K' is text, not a tag; a dot never ends a wrapped line
    apart from its name (the break between entries is the only place to break)."""
    attributes = [Attribute.numeric("age"), Attribute.numeric("hours"),
                  Attribute.nominal("income", ["<=50K", ">50K & more"])]
    X = np.array([[30, 40, 0], [50, 60, 1], [40, 45, 0]], dtype=float)
    tab = VisualizeTab()
    qtbot.addWidget(tab)
    tab.set_dataset(Dataset("adult", attributes, X, class_index=2))
    tab.redraw()
    from PySide6.QtGui import QTextDocument

    shown = QTextDocument()
    shown.setHtml(tab.hint.text())
    plain = shown.toPlainText().replace("\u00a0", " ")
    assert "● <=50K" in plain and "● >50K & more" in plain
    import re

    legend = re.sub(r"<[^>]*>", "", tab.hint.text().split("&nbsp;&nbsp;&nbsp;")[0])
    breakable = [i for i, ch in enumerate(legend) if ch == " "]
    # the one ordinary space in the text of the legend stands between the two entries
    assert len(breakable) == 1 and legend[breakable[0] + 1:].startswith("&nbsp;&#9679;")


def test_a_clicked_point_lists_its_instance_and_the_point_size_follows(qtbot):
    """WEKA's plot shows the values of the instance clicked, and has a point size; the
    walkthrough found neither (walkthrough 12, item 10)."""
    plot = ScatterPlot(load_dataset(dataset_path("iris.arff")), 0, 1, 4)
    qtbot.addWidget(plot)
    points = plot.scatter.points()
    first = next(p for p in points if int(p.data()) == 0)
    assert (first.pos().x(), first.pos().y()) == (5.1, 3.5)   # iris' first instance
    plot.scatter.sigClicked.emit(plot.scatter, [first], None)
    text = plot.details.toPlainText()
    assert text.startswith("Instance 1: sepallength: 5.1, sepalwidth: 3.5")
    assert text.endswith("class: Iris-setosa")
    many = plot.describe(list(range(25)))
    assert many.count("Instance ") == 20 and "and 5 more on this spot" in many
    plot.point_size.setValue(11)
    assert {p.size() for p in plot.scatter.points()} == {11}
    plot.jitter.setValue(5)   # a redraw keeps the chosen size
    assert {p.size() for p in plot.scatter.points()} == {11}


def test_the_instance_panel_takes_room_only_once_a_point_is_clicked(qtbot):
    """The panel under the larger plot took 110 px of a 640x480 window whether or not a
    point had been clicked, and the plot kept 65 % of the window. It is shut until a
    click, opens to the lines it has to show, and stays as the user drags it."""
    plot = ScatterPlot(load_dataset(dataset_path("iris.arff")), 0, 2, 4)
    qtbot.addWidget(plot)
    plot.resize(640, 480)
    plot.show()

    def state():
        return plot.plot.height(), plot.details.visibleRegion().isEmpty()

    settle(qtbot, state)
    assert plot.details.visibleRegion().isEmpty()       # shut: nothing of it shows
    assert plot.plot.height() >= 0.85 * plot.height()
    lone = next(p for p in plot.scatter.points() if int(p.data()) == 106)  # (4.9, 4.5)
    plot.scatter.sigClicked.emit(plot.scatter, [lone], None)
    settle(qtbot, state)
    assert plot.details.toPlainText().startswith("Instance 107: sepallength: 4.9")
    assert not plot.details.visibleRegion().isEmpty()
    assert plot.details.verticalScrollBar().maximum() == 0   # all of it shows
    assert plot.plot.height() >= 0.75 * plot.height()
    opened = plot.details.height()
    plot.describe(list(range(25)))          # more lines: it opens no further by itself
    settle(qtbot, state)
    assert plot.details.height() == opened
    plot.split.setSizes([200, 200])         # as the user drags it
    dragged = plot.split.sizes()
    plot.describe([0])
    assert plot.split.sizes() == dragged
    plot.split.setSizes([400, 0])           # dragged shut: the next click opens it again
    plot.describe([0])
    assert plot.details_open()
