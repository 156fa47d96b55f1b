"""Visualize All: every attribute's histogram in one scrolling page, as WEKA draws them.

One widget paints all the small histograms itself, and only those in view: a pyqtgraph
plot per attribute cost a tenth of a second each to build (its menus, axes, view box),
so MNIST's 785 held the window still for minutes, and the first 64 alone 6.5 s. Here
the bars of an attribute are counted (``class_histogram``, a millisecond or two) the
first time its cell scrolls into view, and the page scrolls under the mouse wheel
rather than zooming a little plot.

Each cell is drawn as WEKA's Visualize All draws it: the name on top, the bars stacked
by class, the tallest bar's count in its corner, the minimum and the maximum under a
numeric attribute (a date as a date) and the labels under a nominal one where they fit;
hovering a cell names the attribute and its values in full.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QEvent, QPoint, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetrics, QHelpEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QScrollArea, QToolTip, QVBoxLayout, QWidget

from workbench.data.dataset import Dataset
from workbench.data.shown import one_line
from workbench.data.stats import value_text
from workbench.gui.explorer.histogram import class_histogram, has_histogram
from workbench.gui.plots.colormaps import series_colour
from workbench.gui.widgets.literal import plain_label, tooltip_text

# A cell's size at least (pixels): as the 200 x 150 plots this page had before.
CELL_WIDTH = 220
CELL_HEIGHT = 150
PAD = 8            # around a cell's contents
ONE_CLASS = (120, 120, 200)   # the colour of bars not split by class, as ClassHistogram's
INK = QColor(60, 60, 60)
FAINT = QColor(120, 120, 120)


class HistogramGrid(QWidget):
    """The histograms of ``attributes`` (indices into ``dataset``), stacked by the
    nominal attribute ``class_index``, as many in a row as the width holds."""

    def __init__(self, dataset: Dataset, attributes: list[int], class_index: int | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.dataset = dataset
        self.attributes = attributes
        self.class_index = class_index
        self._bars: dict[int, tuple[np.ndarray, np.ndarray, list[str]]] = {}
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self._fit_height()

    # Layout -----------------------------------------------------------------------------
    def columns(self) -> int:
        return max(1, self.width() // CELL_WIDTH)

    def rows(self) -> int:
        return -(-len(self.attributes) // self.columns())

    def cell_rect(self, k: int) -> QRect:
        """Where the ``k``-th histogram is drawn."""
        columns = self.columns()
        width = self.width() // columns
        return QRect((k % columns) * width, (k // columns) * CELL_HEIGHT, width, CELL_HEIGHT)

    def cell_at(self, point: QPoint) -> int | None:
        """The histogram under ``point`` (its place in ``attributes``), or None."""
        width = self.width() // self.columns()
        column, row = point.x() // max(width, 1), point.y() // CELL_HEIGHT
        k = row * self.columns() + column
        return k if 0 <= column < self.columns() and 0 <= k < len(self.attributes) else None

    def _fit_height(self) -> None:
        self.setMinimumHeight(self.rows() * CELL_HEIGHT)

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self._fit_height()   # more in a row, fewer rows

    # Counting ---------------------------------------------------------------------------
    def bars(self, k: int) -> tuple[np.ndarray, np.ndarray, list[str]]:
        """Left edges, counts per (class, bar) and class names of the ``k``-th
        histogram, counted the first time it is needed."""
        if k not in self._bars:
            self._bars[k] = class_histogram(self.dataset, self.attributes[k],
                                            self.class_index)
        return self._bars[k]

    @property
    def counted(self) -> int:
        """How many histograms have been counted so far (those scrolled into view)."""
        return len(self._bars)

    # Drawing ----------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(event.rect(), Qt.GlobalColor.white)
        area = event.rect()
        columns = self.columns()
        first = max(0, area.top() // CELL_HEIGHT) * columns
        last = min(len(self.attributes), (area.bottom() // CELL_HEIGHT + 1) * columns)
        for k in range(first, last):
            cell = self.cell_rect(k)
            if cell.intersects(area):
                self._draw_cell(painter, k, cell)
        painter.end()

    def _draw_cell(self, painter: QPainter, k: int, cell: QRect) -> None:
        ds, j = self.dataset, self.attributes[k]
        attribute = ds.attributes[j]
        metrics = QFontMetrics(self.font())
        line = metrics.height()
        inner = cell.adjusted(PAD, PAD // 2, -PAD, -PAD // 2)
        painter.setPen(INK)
        painter.drawText(QRect(inner.left(), inner.top(), inner.width(), line),
                         Qt.AlignmentFlag.AlignCenter,
                         metrics.elidedText(attribute.name, Qt.TextElideMode.ElideRight,
                                            inner.width()))
        plot = QRect(inner.left(), inner.top() + 2 * line, inner.width(),
                     inner.height() - 3 * line - 4)
        edges, counts, names = self.bars(k)
        if not counts.any():
            present = np.isnan(ds.column(j)).sum() < ds.num_instances
            painter.setPen(FAINT)
            painter.drawText(plot, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                             "No values with a known class" if present
                             else f"No values: all {ds.num_instances} are missing")
            return
        totals = counts.sum(axis=0)
        tallest = float(totals.max())
        painter.setPen(FAINT)
        painter.drawText(QRect(inner.left(), inner.top() + line, inner.width(), line),
                         Qt.AlignmentFlag.AlignLeft, f"{tallest:g}")
        lefts, width = self._bar_places(attribute.is_nominal, edges, plot)
        base = np.zeros(counts.shape[1])
        painter.setPen(Qt.PenStyle.NoPen)
        for c in range(counts.shape[0]):
            if not counts[c].any():
                continue
            painter.setBrush(QColor(*(series_colour(c) if len(names) > 1 else ONE_CLASS)))
            for b in np.flatnonzero(counts[c]):
                bottom = plot.bottom() - base[b] / tallest * plot.height()
                height = counts[c][b] / tallest * plot.height()
                painter.drawRect(QRectF(lefts[b], bottom - height, width, height))
            base = base + counts[c]
        painter.setPen(QColor(160, 160, 160))
        painter.drawLine(plot.left(), plot.bottom(), plot.right(), plot.bottom())
        self._draw_scale(painter, metrics, k, edges, lefts, width, plot)

    @staticmethod
    def _bar_places(nominal: bool, edges: np.ndarray, plot: QRect
                    ) -> tuple[np.ndarray, float]:
        """Each bar's left pixel and the bars' width: a nominal label's bar in its own
        slot, numeric bins side by side over the plot (a constant: one bar mid-plot)."""
        n = edges.size
        slot = plot.width() / n
        if n == 1:
            return plot.left() + plot.width() / 3 + np.zeros(1), plot.width() / 3
        if nominal:
            return plot.left() + slot * (np.arange(n) + 0.1), slot * 0.8
        return plot.left() + slot * np.arange(n), max(slot - 1, 1)

    def _draw_scale(self, painter: QPainter, metrics: QFontMetrics, k: int,
                    edges: np.ndarray, lefts: np.ndarray, width: float, plot: QRect) -> None:
        """Under the bars: a nominal attribute's labels where they fit, else the
        minimum and maximum (a constant: its value)."""
        ds, j = self.dataset, self.attributes[k]
        attribute = ds.attributes[j]
        painter.setPen(INK)
        top, line = plot.bottom() + 3, metrics.height()
        if attribute.is_nominal:
            slot = plot.width() / max(len(attribute.values), 1)
            if slot < metrics.horizontalAdvance("W\u2026"):
                return   # no room for even a letter: the tooltip names them
            for b, label in enumerate(attribute.values):
                place = QRect(int(plot.left() + slot * b), top, int(slot), line)
                painter.drawText(place, Qt.AlignmentFlag.AlignCenter, metrics.elidedText(
                    one_line(label), Qt.TextElideMode.ElideRight, int(slot) - 2))
            return
        place = QRect(plot.left(), top, plot.width(), line)
        low = value_text(ds, j, float(edges[0]))
        if edges.size == 1:
            painter.drawText(place, Qt.AlignmentFlag.AlignCenter, low)
            return
        column = ds.column(j)
        high = value_text(ds, j, float(np.nanmax(column)))
        painter.drawText(place, Qt.AlignmentFlag.AlignLeft, low)
        painter.drawText(place, Qt.AlignmentFlag.AlignRight, high)

    # Hover ------------------------------------------------------------------------------
    def tooltip_at(self, point: QPoint) -> str:
        """The name of the attribute under ``point``, its type, and a nominal one's
        labels, in full (the cell may have cut them)."""
        k = self.cell_at(point)
        if k is None:
            return ""
        attribute = self.dataset.attributes[self.attributes[k]]
        text = f"{attribute.name} ({attribute.type.value})"
        if attribute.is_nominal:
            text += "\n" + "\n".join(one_line(label) for label in attribute.values)
        return text

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            text = self.tooltip_at(event.pos())
            if text:
                QToolTip.showText(event.globalPos(), tooltip_text(text), self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)


def shown_text(dataset: Dataset, shown: list[int], class_index: int | None) -> str:
    """What the page shows, said plainly: how many attributes, which have no histogram
    (strings), and what colours the bars, so that nothing is left out unsaid."""
    left_out = [a.name for a in dataset.attributes if not has_histogram(a)]
    if not left_out:
        text = f"All {len(shown)} attributes"
    else:
        more = f" and {len(left_out) - 5} more" if len(left_out) > 5 else ""
        text = (f"{len(shown)} of {dataset.num_attributes} attributes "
                f"({', '.join(left_out[:5])}{more}: no histogram)")
    if class_index is not None and dataset.attributes[class_index].is_nominal:
        text += f", coloured by {dataset.attributes[class_index].name}"
    return text + "."


class AllHistograms(QWidget):
    """The Visualize All window: a line saying what is shown, and the scrolling page."""

    def __init__(self, dataset: Dataset, class_index: int | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"All attributes: {dataset.relation}")
        shown = [j for j, a in enumerate(dataset.attributes) if has_histogram(a)]
        self.note = plain_label(shown_text(dataset, shown, class_index))  # names: text
        self.note.setWordWrap(True)
        self.grid = HistogramGrid(dataset, shown, class_index)
        self.page = QScrollArea()
        self.page.setWidget(self.grid)
        self.page.setWidgetResizable(True)
        # A wheel notch (three steps) scrolls one row of histograms.
        self.page.verticalScrollBar().setSingleStep(CELL_HEIGHT // 3)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.page, 1)
