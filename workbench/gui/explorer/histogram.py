"""Histograms coloured by class, as WEKA's Preprocess panel draws them.

A nominal attribute gets one bar per label, a numeric one equal-width bins; each bar is
stacked by class so the picture shows at once how well the attribute separates classes.
The counting is plain NumPy (``class_histogram``) so it can be tested without drawing.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QWidget

from workbench.data.dataset import Dataset
from workbench.gui.plots.colormaps import series_colour


def class_histogram(dataset: Dataset, j: int, class_index: int | None,
                    max_bins: int = 20) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Bar left edges (or label positions), counts per (class, bar), and class names.

    Without a nominal class every bar is one series called "all". Missing values are
    left out.
    """
    attribute = dataset.attributes[j]
    x = dataset.column(j)
    x = np.asarray(x.toarray().ravel() if hasattr(x, "toarray") else x, dtype=float)
    if class_index is not None and dataset.attributes[class_index].is_nominal \
            and class_index != j:
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
        n_bars = max(1, min(max_bins, int(np.unique(x).size)))
        width = (high - low) / n_bars if high > low else 1.0
        edges = low + width * np.arange(n_bars)
        bins = np.minimum(((x - low) / width).astype(np.intp), n_bars - 1)
    counts = np.zeros((len(names), n_bars))
    np.add.at(counts, (y, bins), 1.0)
    return edges, counts, names


class ClassHistogram(pg.PlotWidget):
    """One attribute's histogram, bars stacked by class."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, background="w")
        self.setMinimumHeight(120)
        self.getPlotItem().hideButtons()
        self.setMouseEnabled(x=False, y=False)
        self.counts = np.zeros((0, 0))

    def show_attribute(self, dataset: Dataset, j: int, class_index: int | None) -> None:
        self.clear()
        edges, counts, names = class_histogram(dataset, j, class_index)
        self.counts = counts
        attribute = dataset.attributes[j]
        axis = self.getAxis("bottom")
        if attribute.is_nominal:
            width = 0.8
            x = edges
            axis.setTicks([[(float(i), label[:12]) for i, label in enumerate(attribute.values)]])
        else:
            width = (edges[1] - edges[0]) * 0.95 if edges.size > 1 else 1.0
            x = edges + width / 2
            axis.setTicks(None)
        base = np.zeros(counts.shape[1])
        for c in range(counts.shape[0]):
            if not counts[c].any():
                continue
            colour = series_colour(c) if len(names) > 1 else (120, 120, 200)
            self.addItem(pg.BarGraphItem(x=x, height=counts[c], y0=base, width=width,
                                         brush=pg.mkBrush(*colour), pen=pg.mkPen("w")))
            base = base + counts[c]
        self.setTitle(attribute.name)
        self.autoRange()
