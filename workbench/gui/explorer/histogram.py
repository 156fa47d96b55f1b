"""Histograms coloured by class, as WEKA's Preprocess panel draws them.

A nominal attribute gets one bar per label, a numeric or date one equal-width bins (a
date's on a calendar axis); each bar is stacked by class so the picture shows at once
how well the attribute separates classes. A string attribute has no histogram, and the
plot says so instead of keeping the previous attribute's picture. The counting is plain
NumPy (``class_histogram``) so it can be tested without drawing.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics, QTextOption
from PySide6.QtWidgets import QWidget

from workbench.data.dataset import Attribute, AttributeType, Dataset
from workbench.data.shown import one_line
from workbench.data.stats import value_text
from workbench.gui.plots.colormaps import series_colour
from workbench.gui.plots.plot_style import style_plot
from workbench.gui.widgets.literal import html_text, tooltip_text

# Pixels left free between two nominal labels under the bars.
LABEL_GAP = 6


def class_histogram(dataset: Dataset, j: int, class_index: int | None,
                    max_bins: int = 20) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Bar left edges (or label positions), counts per (class, bar), and class names.

    Without a nominal class every bar is one series called "all". The class attribute's
    own histogram is coloured too, each bar in its class's colour, as WEKA draws it.
    Missing values are left out. A constant numeric attribute is one bar at its value;
    other numbers are binned by ``numeric_bins``.
    """
    attribute = dataset.attributes[j]
    x = dataset.column(j)
    x = np.asarray(x.toarray().ravel() if hasattr(x, "toarray") else x, dtype=float)
    if class_index is not None and dataset.attributes[class_index].is_nominal:
        y = np.asarray(dataset.column(class_index), dtype=float)
        if hasattr(y, "toarray"):
            y = y.toarray().ravel()
        names = list(dataset.attributes[class_index].values)
    else:
        y = np.zeros_like(x)
        names = ["all"]
    keep = ~np.isnan(x) & ~np.isnan(y)
    x, y = x[keep], y[keep].astype(np.intp)
    if attribute.is_nominal:
        edges = np.arange(attribute.num_values, dtype=float)
        bins = x.astype(np.intp)
        n_bars = attribute.num_values
    else:
        if x.size == 0:
            return np.zeros(0), np.zeros((len(names), 0)), names
        low, high = float(x.min()), float(x.max())
        if high == low:  # one bar at the value itself, not a bin from low to low + 1
            counts = np.zeros((len(names), 1))
            np.add.at(counts, (y, np.zeros(x.size, np.intp)), 1.0)
            return np.array([low]), counts, names
        edges, bins = numeric_bins(x, max_bins)
        n_bars = edges.size
    counts = np.zeros((len(names), n_bars))
    np.add.at(counts, (y, bins), 1.0)
    return edges, counts, names


# How far (in bars) a value may sit from a bin edge and still count as on it: far above
# the few units in the last place that rescaling leaves, far below any real gap.
_ON_EDGE = 1e-9


def numeric_bins(x: np.ndarray, max_bins: int = 20) -> tuple[np.ndarray, np.ndarray]:
    """Left edges of the bars and each value's bar, for numbers that are not all equal.

    Every bar lies inside [min, max], as WEKA draws them: a pixel that is 0 or 236 is
    two bars over 0..236, not one from -118 to 118 that shows values no pixel takes.
    Values on an evenly spaced grid of at most ``max_bins`` points (counts 0..17, ratings
    1..5, and the same after Normalize or Standardize) get one bar per grid point, the
    range cut into as many equal bars, each holding its own value. Other values get
    ``max_bins`` (or fewer, one per distinct value)
    equal-width bins, a value on an edge going to the bin above it, the last edge
    included in the last bin. Positions are compared with a tolerance, so that only the
    scale changes when a filter rescales a column: in floating point, (3/17) / (1/17) is
    2.9999999999999996, and plain flooring moved every value on an edge one bar down.
    """
    low, high = float(x.min()), float(x.max())
    distinct = np.unique(x)
    if distinct.size <= max_bins:
        step = float(np.diff(distinct).min())
        grid = (distinct - low) / step
        points = int(np.rint((high - low) / step)) + 1
        if points <= max_bins and np.all(np.abs(grid - np.rint(grid)) <= 1e-6):
            # Grid point k (at low + k * step) lies in [k, k + 1) bar widths of
            # (high - low) / points, since k * points / (points - 1) < k + 1 for every
            # k < points - 1, and the last one is the last bar's right edge.
            bins = np.rint((x - low) / step).astype(np.intp)
            return low + (high - low) / points * np.arange(points), bins
    n_bars = max(1, min(max_bins, int(distinct.size)))
    width = (high - low) / n_bars
    position = (x - low) / width
    nearest = np.rint(position)
    position = np.where(np.abs(position - nearest) <= _ON_EDGE * n_bars, nearest, position)
    bins = np.minimum(np.floor(position).astype(np.intp), n_bars - 1)
    return low + width * np.arange(n_bars), bins


def elide(label: str, chars: int) -> str:
    """``label`` cut to ``chars`` characters with an ellipsis where it was cut."""
    chars = max(chars, 2)
    return label if len(label) <= chars else label[:chars - 1] + "\u2026"


# Dates (epoch seconds) the calendar axis can step through: about years 100 to 9900.
# Beyond them its tick arithmetic would leave the years Python's datetime can hold.
_CALENDAR_SECONDS = (-5.9e10, 2.5e11)
_DAY = 86400.0


def bars_in_words(counts: np.ndarray, classes: list[str], labels: list[str] | None,
                  low: float, high: float) -> str:
    """The histogram as a screen reader says it: a nominal attribute's count per value,
    a numeric one's number of bars over its range and its tallest bar; the classes the
    bars are stacked by."""
    totals = counts.sum(axis=0)
    if labels is not None:
        text = ", ".join(f"{label} {total:g}" for label, total in zip(labels, totals,
                                                                      strict=False))
    else:
        text = (f"{totals.size} bars from {low:g} to {high:g}, the tallest "
                f"{totals.max():g} instances")
    return text + (f"; stacked by class: {', '.join(classes)}" if len(classes) > 1 else "")


def has_histogram(attribute: Attribute) -> bool:
    """Numbers, dates and nominal values have one; strings and relations do not."""
    return attribute.is_numeric or attribute.is_nominal or \
        attribute.type is AttributeType.DATE


class ClassHistogram(pg.PlotWidget):
    """One attribute's histogram, bars stacked by class.

    Nominal labels are shortened (with an ellipsis) to the room one bar has, and again
    when the plot is resized, so neighbouring labels never run into each other; the
    full labels are in the tooltip. ``note`` is the text shown instead of bars (empty
    while there are bars).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, background="w")
        self.setMinimumHeight(120)
        self.getPlotItem().hideButtons()
        style_plot(self)
        self.setMouseEnabled(x=False, y=False)
        self.counts = np.zeros((0, 0))
        self.labels: list[str] = []
        self.tick_texts: list[str] = []
        self.note = ""
        self.note_item = pg.TextItem(color=(90, 90, 90), anchor=(0.5, 0.5))
        self.note_item.textItem.document().setDefaultTextOption(
            QTextOption(Qt.AlignmentFlag.AlignCenter))
        # The room per label is the view box's, which the axes' widths and the range
        # change without the widget resizing.
        view = self.getViewBox()
        view.sigResized.connect(lambda _view: self._set_label_ticks())
        view.sigXRangeChanged.connect(lambda _view, _range: self._set_label_ticks())

    def _set_label_ticks(self) -> None:
        """Label the nominal bars so that no two labels touch: each is elided to the
        pixels between two bars (less ``LABEL_GAP``), measured in the axis's font; where
        even a letter and an ellipsis do not fit, only every k-th bar is labelled, with
        k bars' room (WEKA's Preprocess panel draws labels into each other).

        Counting characters (the average width) let proportional text run together
        ("AugustSepte..."), and the plot's own width is not the axis's: the pixels per
        bar come from the view box and its x range, and are measured again whenever
        either changes (``_watch_view``)."""
        # Also called while pyqtgraph builds us and while it closes us (no plot item).
        if not getattr(self, "labels", None) or getattr(self, "plotItem", None) is None:
            return
        axis = self.getAxis("bottom")
        metrics = QFontMetrics(axis.style.get("tickFont") or self.font())
        view = self.getViewBox()
        low, high = view.viewRange()[0]
        per_bar = view.width() / max(high - low, 1e-9)   # pixels from one bar to the next
        if per_bar <= 0:
            per_bar = max(self.width() - 60, 40) / len(self.labels)  # not laid out yet
        shortest = metrics.horizontalAdvance("W\u2026") + LABEL_GAP
        step = max(1, math.ceil(shortest / per_bar))
        room = step * per_bar - LABEL_GAP

        def fits(k: int) -> int:
            # pyqtgraph leaves out a label that would reach past an end of the axis
            # (January under a small plot), so the outer ones are also kept inside.
            inside = 2 * min(k - low, high - k) * per_bar - 2
            return max(0, int(min(room, inside)))

        self.tick_texts = [
            metrics.elidedText(label, Qt.TextElideMode.ElideRight, fits(k))
            if k % step == 0 else "" for k, label in enumerate(self.labels)]
        ticks = [(k, text) for k, text in enumerate(self.tick_texts) if text]
        if ticks != getattr(self, "_ticks", None):   # setTicks repaints the axis
            self._ticks = ticks
            axis.setTicks([ticks])

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self._set_label_ticks()
        if getattr(self, "note", ""):
            self.note_item.setTextWidth(max(self.width() - 30, 80))

    def _use_date_axis(self, dates: bool) -> None:
        """Swap the bottom axis between plain numbers and calendar dates (UTC, as stored)."""
        if isinstance(self.getAxis("bottom"), pg.DateAxisItem) == dates:
            return
        axis = pg.DateAxisItem("bottom", utcOffset=0) if dates else pg.AxisItem("bottom")
        self.getPlotItem().setAxisItems({"bottom": axis})

    def _show_note(self, text: str) -> None:
        """No bars: the axes go (they would describe nothing) and ``text`` says why."""
        self.note = text
        self.counts = np.zeros((0, 0))
        for side in ("left", "bottom"):
            self.getPlotItem().showAxis(side, False)
        self.note_item.setText(text)
        self.setAccessibleDescription(text)
        self.note_item.setTextWidth(max(self.width() - 30, 80))
        self.note_item.setPos(0.5, 0.5)
        self.addItem(self.note_item)
        self.setRange(xRange=(0, 1), yRange=(0, 1), padding=0)

    def show_attribute(self, dataset: Dataset, j: int, class_index: int | None) -> None:
        """Draw attribute ``j``, stacked by the nominal attribute ``class_index``.

        A string or relational attribute, or one with no values, gets a note in place of
        the bars, under its own name, so nothing of the previous attribute stays.
        """
        self.clear()
        attribute = dataset.attributes[j]
        self.labels = []
        self.tick_texts = []
        self.note = ""
        self.setToolTip("")
        self.setTitle(html_text(attribute.name))   # pyqtgraph titles are HTML
        self.setAccessibleName(f"Histogram of {attribute.name}")
        is_date = attribute.type is AttributeType.DATE
        if not has_histogram(attribute):
            x = dataset.column(j)
            distinct = int(np.unique(x[~np.isnan(x)]).size)
            self._show_note(f"{attribute.type.value.capitalize()} attribute: {distinct} "
                            f"distinct values \u2014 no histogram")
            return
        edges, counts, names = class_histogram(dataset, j, class_index)
        if not counts.any():
            present = np.isnan(dataset.column(j)).sum() < dataset.num_instances
            self._show_note("No values with a known class" if present else
                            f"No values: all {dataset.num_instances} are missing")
            return
        self.counts = counts
        for side in ("left", "bottom"):
            self.getPlotItem().showAxis(side, True)
        self._use_date_axis(is_date and _CALENDAR_SECONDS[0] <= edges.min()
                            and edges.max() <= _CALENDAR_SECONDS[1])
        axis = self.getAxis("bottom")
        unit = _DAY if is_date else 1.0  # a lone date's bar is a day wide, not a second
        if attribute.is_nominal:
            width = 0.8
            x = edges
            self.labels = [one_line(label) for label in attribute.values]
            self._set_label_ticks()
            self.setToolTip(tooltip_text("\n".join(self.labels)))
        elif edges.size == 1:
            width = 0.8 * unit  # a constant: one bar centred on its value, labelled with it
            x = edges
            axis.setTicks([[(float(edges[0]), value_text(dataset, j, float(edges[0]))
                             if is_date else f"{edges[0]:g}")]])
        else:
            step = edges[1] - edges[0]
            width = step * 0.95
            x = edges + step / 2
            axis.setTicks(None)
        base = np.zeros(counts.shape[1])
        for c in range(counts.shape[0]):
            if not counts[c].any():
                continue
            colour = series_colour(c) if len(names) > 1 else (120, 120, 200)
            self.addItem(pg.BarGraphItem(x=x, height=counts[c], y0=base, width=width,
                                         brush=pg.mkBrush(*colour), pen=pg.mkPen("w")))
            base = base + counts[c]
        self.setAccessibleDescription(bars_in_words(
            counts, names, self.labels or None, float(edges.min()), float(edges.max())))
        self.autoRange()
        if not attribute.is_nominal and x.size == 1:
            self.setXRange(float(x[0]) - unit, float(x[0]) + unit, padding=0)
