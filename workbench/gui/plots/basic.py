"""The plain views of a flow viewer node's output: text, a chart's points, a table of rows.

These show what no richer viewer claims (``workbench.gui.viewers`` lists them last): a
TextViewer's text, a DataVisualizer's scatter, an AttributeSummarizer's statistics.
"""

from __future__ import annotations

from typing import Any

import pyqtgraph as pg
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QPlainTextEdit, QTableWidget, QTableWidgetItem, QWidget

from workbench.flow.nodes.viewers import Chart
from workbench.gui.plots.colormaps import series_colour, series_dash, series_symbol
from workbench.gui.plots.plot_style import style_plot
from workbench.gui.widgets.literal import html_text


def text_view(text: str) -> QWidget:
    """Read-only monospaced text, lines never wrapped (reports are laid out in columns)."""
    view = QPlainTextEdit()
    view.setReadOnly(True)
    view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
    font = QFont("Monospace")
    font.setStyleHint(QFont.StyleHint.TypeWriter)
    view.setFont(font)
    view.setPlainText(text)
    view.setObjectName("viewer_text")
    return view


def chart_view(chart: Chart) -> QWidget:
    """A DataVisualizer's points (or any plain ``Chart``), one colour per series."""
    plot = pg.PlotWidget(background="w")
    # pyqtgraph's titles, axis labels and legend entries are HTML; these may name a
    # relation, an attribute or a class from the data.
    plot.setTitle(html_text(chart.title))
    plot.setLabel("bottom", html_text(chart.x_label))
    plot.setLabel("left", html_text(chart.y_label))
    plot.addLegend(offset=(-10, -10), brush=pg.mkBrush(255, 255, 255, 220))
    style_plot(plot)
    plot.showGrid(x=True, y=True, alpha=0.3)
    for i, series in enumerate(chart.series):
        colour = series_colour(i)
        if chart.kind == "scatter":
            plot.plot(series.x, series.y, pen=None, symbol=series_symbol(i), symbolSize=7,
                      symbolBrush=colour, symbolPen=None, name=html_text(series.label))
        else:
            plot.plot(series.x, series.y, pen=pg.mkPen(colour, width=2, style=series_dash(i)),
                      name=html_text(series.label))
    plot.setObjectName("viewer_chart")
    return plot


def is_row_table(value: Any) -> bool:
    """A non-empty tuple of record objects (attribute summaries): shown as a table."""
    return isinstance(value, tuple) and bool(value) and hasattr(value[0], "__dict__")


def table_view(rows: tuple[Any, ...]) -> QWidget:
    """Per-attribute statistics (or any tuple of dataclass rows) as a table."""
    fields = [k for k in vars(rows[0]) if not k.startswith("_")] if rows else []
    table = QTableWidget(len(rows), len(fields))
    table.setHorizontalHeaderLabels(fields)
    for i, row in enumerate(rows):
        for j, key in enumerate(fields):
            table.setItem(i, j, QTableWidgetItem(str(getattr(row, key))))
    table.setObjectName("viewer_table")
    table.setTabKeyNavigation(False)  # Tab leaves it; the arrows move between cells
    return table
