"""The larger scatter plot a Visualize cell opens, and what it shares with the matrix:
the seeded sample of rows drawn, a colour per class label (grey for a missing class), the
class legend beside the plot, and nominal values named along an axis.

One plot of two chosen attributes with jitter and a point size; a click on a point lists
the instances under it, as WEKA's plot opens their values, in a panel under a splitter
handle that stays shut until then (as Orange's does): kept open, the panel took 110 px
of a 640x480 window, a third of what the plot had.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QSlider,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from workbench.data.dataset import Attribute, Dataset, format_value
from workbench.gui.plots.colormaps import series_colour, series_symbol
from workbench.gui.plots.plot_style import style_plot
from workbench.gui.plots.scatter_axes import JITTER_MAX, jittered, padded_range, plain_numbers
from workbench.gui.widgets.literal import html_text

DESCRIBED_MOST = 20   # instances listed for one click (a nominal spot may hold hundreds)
MISSING_COLOUR = (150, 150, 150)
VALUE_WIDTH = 120  # pixels: longer nominal values are elided beside the matrix
PLOT_POINTS = 5000  # rows the larger plot draws at most
DETAILS_LINES = 6  # lines the instance panel opens to at most (it scrolls, or is dragged)


def nominal_ticks(labels: Sequence[str], positions: Sequence[float] | np.ndarray, room: float,
                  metrics: QFontMetrics, horizontal: bool) -> list[tuple[float, str]]:
    """(position, text) ticks naming a nominal attribute's values along ``room`` pixels.

    The positions are taken to be evenly spread over ``room``, a slot each. Down a
    vertical axis each name needs a line; across a horizontal one it is elided to the
    room it has, and must keep three characters. Where the names do not fit, only every
    k-th value is named, so names never print over each other nor shrink to "1...".
    """
    count = len(labels)
    if not count:
        return []
    slot = room / count
    if not horizontal:
        step = max(1, math.ceil(metrics.height() / max(slot, 1.0)))
        return [(float(positions[k]), metrics.elidedText(
            labels[k], Qt.TextElideMode.ElideRight, VALUE_WIDTH)) for k in range(0, count, step)]
    step = max(1, math.ceil(metrics.horizontalAdvance("Ab\u2026") / max(slot, 1.0)))
    while step <= count:
        texts = [(k, metrics.elidedText(labels[k], Qt.TextElideMode.ElideRight,
                                        int(slot * step) - 6)) for k in range(0, count, step)]
        if all(text == labels[k] or len(text) >= 4 for k, text in texts):
            return [(float(positions[k]), text) for k, text in texts]
        step *= 2
    return []


def point_tip(row: Any) -> str:
    """The tooltip of a point: which instance it is, and what a click shows."""
    return f"Instance {int(row) + 1}: click to list its values"


def sample_rows(n: int, limit: int, seed: int = 1) -> np.ndarray:
    """At most ``limit`` of ``n`` rows, seeded: the same picture each time it is drawn."""
    if n <= limit:
        return np.arange(n)
    return np.sort(np.random.default_rng(seed).choice(n, limit, replace=False))


def point_brushes(dataset: Dataset, rows: np.ndarray, class_index: int | None) -> list:
    if class_index is None or not dataset.attributes[class_index].is_nominal:
        return [pg.mkBrush(60, 60, 200, 160)] * len(rows)
    codes = dataset.column(class_index)[rows]
    palette = [pg.mkBrush(*series_colour(c), 180)
               for c in range(dataset.attributes[class_index].num_values)]
    grey = pg.mkBrush(*MISSING_COLOUR, 160)
    return [grey if np.isnan(c) else palette[int(c)] for c in codes]


def point_symbols(dataset: Dataset, rows: np.ndarray, class_index: int | None) -> list[str]:
    """A marker shape per point, one per class as ``class_colours`` gives: the class is
    told by shape as well as by colour, as in WEKA's plots with a user's own colours."""
    if class_index is None or not dataset.attributes[class_index].is_nominal:
        return ["o"] * len(rows)
    codes = dataset.column(class_index)[rows]
    return ["o" if np.isnan(c) else series_symbol(int(c)) for c in codes]


def class_colours(dataset: Dataset, class_index: int | None) -> list[tuple[tuple, str]]:
    """(colour, label) per class value, the colours ``point_brushes`` paints with.

    A grey "missing" comes last when some instance has no class value, since those
    points are drawn too.
    """
    if class_index is None or not dataset.attributes[class_index].is_nominal:
        return []
    out = [(series_colour(c), label)
           for c, label in enumerate(dataset.attributes[class_index].values)]
    if np.isnan(dataset.column(class_index)).any():
        out.append((MISSING_COLOUR, "missing"))
    return out


def axis_ticks(attribute: Attribute, axis: pg.AxisItem, room: float) -> None:
    """Name a nominal attribute's values on ``axis`` (``room`` pixels long), else numbers."""
    if not attribute.is_nominal:
        axis.setTicks(None)
        return
    metrics = QFontMetrics(axis.style.get("tickFont") or axis.font())
    horizontal = axis.orientation in ("top", "bottom")
    axis.setTicks([nominal_ticks(attribute.values, range(attribute.num_values), room,
                                 metrics, horizontal)])


LEGEND_ROWS = 14  # classes per legend column beside the plot; more start a new column


def class_legend(plot: pg.PlotItem,
                 colours: Sequence[tuple[tuple[int, int, int], str]]) -> pg.LegendItem:
    """The class legend of ``plot``, in its own cell right of the plot area rather than
    floating over it, where it hid the points in its corner (the tester's iris plot had
    points up to the top right); the plot area narrows to make room."""
    legend = pg.LegendItem()  # no offset: placed by the layout
    for colour, label in colours:
        shape = "o" if colour == MISSING_COLOUR else series_symbol(len(legend.items))
        legend.addItem(pg.ScatterPlotItem(size=9, pen=None, brush=pg.mkBrush(*colour),
                                          symbol=shape),
                       html_text(label))   # a legend entry is HTML; a class name is not
    legend.setColumnCount(max(1, math.ceil(len(colours) / LEGEND_ROWS)))
    if colours:
        # Right of the right axis, level with the plot area; LegendItem sizes itself by
        # its geometry, which a layout would otherwise shrink to nothing.
        plot.layout.addItem(legend, 2, 3, alignment=Qt.AlignmentFlag.AlignTop)
        legend.updateSize()
        size = legend.geometry().size()  # (LegendItem.size is an attribute, not Qt's)
        legend.setMinimumSize(size)
        legend.setMaximumSize(size)
    return legend


class ScatterPlot(QWidget):
    """One larger scatter plot with X/Y selectors, jitter and point size; a click on a
    point lists the instances under it (WEKA's plot opens their values the same way:
    the point a user wonders about is the reason to look)."""

    def __init__(self, dataset: Dataset, x: int, y: int, class_index: int | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.dataset = dataset
        self.class_index = class_index
        self.setWindowTitle(f"Plot: {dataset.relation}")
        names = [a.name for a in dataset.attributes]
        self.x_box, self.y_box = QComboBox(), QComboBox()
        self.x_box.addItems(names)
        self.y_box.addItems(names)
        self.x_box.setCurrentIndex(x)
        self.y_box.setCurrentIndex(y)
        self.jitter = QSlider(Qt.Orientation.Horizontal)
        self.jitter.setRange(0, JITTER_MAX)
        self.point_size = QSpinBox()
        self.point_size.setRange(1, 20)
        self.point_size.setValue(6)
        self.point_size.setToolTip("Point size in pixels")
        self.plot = pg.PlotWidget(background="w")
        for side in ("bottom", "left"):
            plain_numbers(self.plot.getAxis(side))
        # The tooltip over a point says what a click does: the panel that says so is shut.
        self.scatter = pg.ScatterPlotItem(size=6, pen=None, hoverable=True,
                                          tip=lambda x, y, data: point_tip(data))
        self.scatter.sigClicked.connect(self._clicked)
        self.plot.addItem(self.scatter)
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setPlaceholderText("Click a point to see its instance's values.")
        self.details.setToolTip("The values of the instances under the point clicked")
        # As low as one line: a text box asks for 70 px at least (room for scroll bars),
        # which is what a one-instance description got.
        self.details.setMinimumHeight(self._details_height(1))
        # The plot above, the instance panel below, shut until a point is clicked; the
        # handle stays to drag it open or shut.
        self.split = QSplitter(Qt.Orientation.Vertical)
        self.split.addWidget(self.plot)
        self.split.addWidget(self.details)
        self.split.setCollapsible(0, False)
        self.split.setCollapsible(1, True)
        self.split.setStretchFactor(0, 1)
        self.split.setStretchFactor(1, 0)
        self.split.setSizes([1, 0])
        self.split.handle(1).setToolTip("Drag to open or shut the instance panel")
        self.legend = class_legend(self.plot.getPlotItem(), class_colours(dataset, class_index))
        self.legend_names: list[str] = [label.text for _sample, label in self.legend.items]
        style_plot(self.plot)
        row = QHBoxLayout()
        row.addWidget(QLabel("X:"))
        row.addWidget(self.x_box, 1)
        row.addWidget(QLabel("Y:"))
        row.addWidget(self.y_box, 1)
        row.addWidget(QLabel("Jitter:"))
        row.addWidget(self.jitter)
        row.addWidget(QLabel("Point size:"))
        row.addWidget(self.point_size)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.split, 1)
        for widget in (self.x_box, self.y_box):
            widget.currentIndexChanged.connect(self.redraw)
        self.jitter.valueChanged.connect(self.redraw)
        self.point_size.valueChanged.connect(self.scatter.setSize)
        self.redraw()

    def redraw(self) -> None:
        ds = self.dataset
        rows = sample_rows(ds.num_instances, PLOT_POINTS)
        x_attribute = ds.attributes[self.x_box.currentIndex()]
        y_attribute = ds.attributes[self.y_box.currentIndex()]
        # X and Y get their own seeds, or jitter would move every point along a diagonal.
        x_raw = ds.column(self.x_box.currentIndex())[rows].astype(float)
        y_raw = ds.column(self.y_box.currentIndex())[rows].astype(float)
        x = jittered(x_raw, self.jitter.value(), x_attribute.is_nominal, seed=0)
        y = jittered(y_raw, self.jitter.value(), y_attribute.is_nominal, seed=1)
        keep = ~(np.isnan(x) | np.isnan(y))
        brushes = point_brushes(ds, rows, self.class_index)
        shapes = point_symbols(ds, rows, self.class_index)
        self.scatter.setData(x=x[keep], y=y[keep], data=rows[keep],
                             size=self.point_size.value(),
                             brush=[b for b, k in zip(brushes, keep, strict=True) if k],
                             symbol=[m for m, k in zip(shapes, keep, strict=True) if k])
        self.plot.setLabel("bottom", html_text(self.x_box.currentText()))
        self.plot.setLabel("left", html_text(self.y_box.currentText()))
        plot = self.plot.getPlotItem()
        for raw, drawn, attribute, set_range in (
                (x_raw[keep], x[keep], x_attribute, plot.setXRange),
                (y_raw[keep], y[keep], y_attribute, plot.setYRange)):
            count = attribute.num_values if attribute.is_nominal else None
            set_range(*padded_range(raw, count, drawn), padding=0)
        self._name_values()

    def _clicked(self, _item: Any, points: Any, *_: Any) -> None:
        self.describe([int(point.data()) for point in points])

    def describe(self, rows: Sequence[int]) -> str:
        """The values of the instances ``rows`` (0-based) in the panel under the plot:
        a click may land on several points drawn on one spot (nominal axes, no jitter)."""
        ds = self.dataset
        shown = list(rows)[:DESCRIBED_MOST]
        lines = []
        for row in shown:
            values = ", ".join(f"{a.name}: {format_value(a, ds.column(i)[row])}"
                               for i, a in enumerate(ds.attributes))
            lines.append(f"Instance {row + 1}: {values}")
        if len(rows) > len(shown):
            lines.append(f"... and {len(rows) - len(shown)} more on this spot "
                         f"(jitter spreads them apart)")
        text = "\n".join(lines)
        self.details.setPlainText(text)
        self._open_details(text)
        return text

    def details_open(self) -> bool:
        """Whether the instance panel has room under the plot (not shut)."""
        return self.split.sizes()[1] > 0

    def _open_details(self, text: str) -> None:
        """Open a shut instance panel to the lines ``text`` takes at its width (at most
        ``DETAILS_LINES``, and a third of the window); a panel already open, perhaps
        dragged to a size the user chose, stays as it is."""
        if self.details_open():
            return
        total = sum(self.split.sizes())
        metrics = self.details.fontMetrics()
        width = max(self.split.width() - self._details_height(0), 1)
        lines = sum(max(1, math.ceil(metrics.horizontalAdvance(line) / width))
                    for line in text.split("\n"))
        height = min(self._details_height(min(lines, DETAILS_LINES)), total // 3)
        self.split.setSizes([total - height, height])

    def _details_height(self, lines: int) -> int:
        """The instance panel's height for ``lines`` lines of text (its frame and the
        text's margins around them; 0 lines: what the frame and margins take)."""
        panel = self.details
        frame = panel.frameWidth() if panel.frameShape() != QFrame.Shape.NoFrame else 0
        around = 2 * (frame + int(panel.document().documentMargin())) + 2
        return lines * panel.fontMetrics().lineSpacing() + around

    def _name_values(self) -> None:
        area = self.plot.getPlotItem().vb.size()
        attributes = self.dataset.attributes
        axis_ticks(attributes[self.x_box.currentIndex()], self.plot.getAxis("bottom"),
                   max(area.width(), 200.0))
        axis_ticks(attributes[self.y_box.currentIndex()], self.plot.getAxis("left"),
                   max(area.height(), 150.0))

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self._name_values()  # nominal names are elided to the room the axes now have
