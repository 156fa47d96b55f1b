"""The enlarged scatter plot's class legend sits beside the plot area, never over it: the
walkthrough's iris plot had its legend floating in the top-right corner on top of the
points there."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF

from workbench.data.catalog import load_bundled
from workbench.gui.explorer.scatter_plot import ScatterPlot


@pytest.mark.parametrize(("name", "size"), [("iris", (640, 520)), ("iris", (1200, 900)),
                                            ("segment-challenge", (640, 520))])
def test_the_legend_is_outside_the_plot_area(qtbot, name, size):
    data = load_bundled(name)
    plot = ScatterPlot(data, 1, 1, data.num_attributes - 1)  # a diagonal up to the corner
    qtbot.addWidget(plot)
    plot.resize(*size)
    plot.show()
    qtbot.waitExposed(plot)
    area = plot.plot.getPlotItem().vb.sceneBoundingRect()
    legend = plot.legend.sceneBoundingRect()
    assert len(plot.legend.items) == len(data.attributes[-1].values)
    assert legend.width() > 40 and legend.height() > 40  # drawn, not squeezed away
    assert legend.left() >= area.right() - 1  # beside the plot area
    assert plot.legend.parentItem() is not plot.plot.getPlotItem().vb
    # Every point is inside the plot area, so none is under the legend.
    scatter = plot.scatter
    view = plot.plot.getPlotItem().vb
    xs, ys = scatter.getData()
    points = [view.mapViewToScene(QPointF(x, y)) for x, y in zip(xs, ys, strict=True)]
    assert points and not any(legend.contains(p) for p in points)
