"""Several runs' learning curves in one window: the LearningCurveOverlay node's viewer.

It draws what the node's picture draws (``overlay_panels`` lays out both): a loss panel
on a log scale above an accuracy panel, one colour per run, training lines thin and
validation lines thick. The legend is a column of its own to the right of the plots (Qt
labels with a drawn line sample each, so it keeps its height whatever the window's), so
with six runs it still hides no curve; it is at most ``LEGEND_WIDTH`` wide, a longer name
elided with the whole one in its tooltip, so the plots keep most of the window. The
panels share the epoch axis, so zooming one zooms both.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from workbench.flow.nodes.chart_png import Line
from workbench.flow.nodes.dynamics import overlay_panel_title, overlay_panels, overlay_runs
from workbench.flow.nodes.viewers import Chart
from workbench.gui.plots.export import ExportBar
from workbench.gui.plots.plot_style import style_plot
from workbench.gui.widgets.literal import html_text, plain_label, tooltip_text

LEGEND_WIDTH = 240  # pixels at most: six runs' names took 45 % of a 1100-px window
_ACCURACY_TICKS = [(v, f"{v:g}") for v in (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)]


def log_ticks(values: np.ndarray) -> list[tuple[float, str]]:
    """Ticks of a log axis (positions in log10, as pyqtgraph's log mode wants them): 1, 2
    and 5 times each power of ten the positive ``values`` span, only the powers of ten
    past three decades. pyqtgraph's own labels every minor tick (0.9, 0.8, 0.7, ...) of
    a range under a decade or two, and they print over each other."""
    positive = values[np.isfinite(values) & (values > 0)]
    if not positive.size:
        return []
    low = int(np.floor(np.log10(positive.min())))
    high = int(np.ceil(np.log10(positive.max())))
    steps = (1,) if high - low > 3 else (1, 2, 5)
    ticks = []
    for power in range(low, high + 1):
        for step in steps:
            value = step * 10.0 ** power
            if positive.min() / 1.5 <= value <= positive.max() * 1.5 or step == 1:
                ticks.append((float(np.log10(value)), f"{value:g}"))
    return ticks


class OverlayCurvesView(QWidget):
    """The loss and accuracy of every connected run, with a legend beside the plots."""

    def __init__(self, chart: Chart, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chart = chart
        self.runs = overlay_runs(chart)
        self.panels = overlay_panels(chart, self.runs)
        self.graphics = pg.GraphicsLayoutWidget()
        self.graphics.setBackground("w")
        self.plots: dict[str, pg.PlotItem] = {}
        self.curves: dict[tuple[str, str], pg.PlotDataItem] = {}
        for row, (measure, lines) in enumerate(self.panels):
            self.plots[measure] = self._panel(row, measure, lines)
        plots = list(self.plots.values())
        for plot in plots[1:]:
            plot.setXLink(plots[0])
        # One legend entry per line of the first panel: the others repeat its runs and
        # line widths.
        style_plot(self.graphics)
        self.legend_labels = [line.label for line in self.panels[0][1]] if self.panels \
            else []
        body = QHBoxLayout()
        body.addWidget(self.graphics, 1)
        self.legend = self._legend(self.panels[0][1] if self.panels else [])
        body.addWidget(self.legend)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addLayout(body, 1)
        layout.addWidget(ExportBar(self, self.table))
        self.setObjectName("viewer_overlay")

    def _panel(self, row: int, measure: str, lines: list[Line]) -> pg.PlotItem:
        plot = self.graphics.addPlot(row=row, col=0)
        plot.setTitle(html_text(overlay_panel_title(measure, lines)))
        plot.setLabel("left", html_text(measure))
        plot.setLabel("bottom", html_text(self.chart.x_label))
        plot.showGrid(x=True, y=True, alpha=0.25)
        plot.getAxis("left").enableAutoSIPrefix(False)
        plot.getAxis("left").setWidth(48)  # the panels' plot areas line up
        log = measure == "loss"
        plot.setLogMode(x=False, y=log)
        for line in lines:
            y = np.asarray(line.y, dtype=float)
            if log:  # a log axis cannot show 0 or below: leave those points out
                y = np.where(y > 0, y, np.nan)
            self.curves[(measure, line.label)] = plot.plot(
                np.asarray(line.x, dtype=float), y, name=None, connect="finite",
                pen=pg.mkPen(line.colour, width=line.thickness))
        values = np.concatenate([np.asarray(line.y, dtype=float) for line in lines])
        plot.getAxis("left").setTicks([log_ticks(values) if log else _ACCURACY_TICKS, []])
        positive = values[np.isfinite(values) & (values > 0)]
        if log and positive.size:  # whole decades, as the picture draws them
            plot.setYRange(np.floor(np.log10(positive.min())),
                           np.ceil(np.log10(positive.max())), padding=0.04)
        if not log:
            # Room above 1 and below 0 for their tick labels, which pyqtgraph drops when
            # they would reach past the end of the axis.
            plot.setYRange(0.0, 1.0, padding=0.06)
        return plot

    @staticmethod
    def _legend(lines: list[Line]) -> QWidget:
        """A line sample (colour and width as drawn) and the name of each line."""
        legend = QWidget()
        legend.setMaximumWidth(LEGEND_WIDTH)
        grid = QGridLayout(legend)
        grid.setContentsMargins(6, 24, 6, 6)
        grid.setVerticalSpacing(2)
        room = LEGEND_WIDTH - 12 - 30 - grid.horizontalSpacing() - 4  # margins, sample
        for row, line in enumerate(lines):
            sample = QPixmap(30, 12)
            sample.fill(Qt.GlobalColor.white)
            painter = QPainter(sample)
            painter.setPen(QPen(QColor(*line.colour), line.thickness))
            painter.drawLine(QPointF(2, 6), QPointF(28, 6))
            painter.end()
            swatch = QLabel()
            swatch.setPixmap(sample)
            grid.addWidget(swatch, row, 0)
            name = plain_label()
            name.setText(name.fontMetrics().elidedText(
                line.label, Qt.TextElideMode.ElideMiddle, room))
            name.setToolTip(tooltip_text(line.label))
            grid.addWidget(name, row, 1)
        grid.setRowStretch(len(lines), 1)
        return legend

    @property
    def log_loss(self) -> bool:
        """True when the loss panel's y axis is on a log scale."""
        plot = self.plots.get("loss")
        return plot is not None and bool(plot.getAxis("left").logMode)

    def table(self) -> tuple[list[str], list[list[Any]]]:
        """Every point drawn: series, x and y (the columns of the node's CSV)."""
        rows = [[s.label, float(x), float(y)] for s in self.chart.series
                for x, y in zip(s.x, s.y, strict=True)]
        return ["series", self.chart.x_label, self.chart.y_label], rows
