"""The margin histogram: how sure a classifier was of the right answer, over all instances.

An instance's margin is the probability given to its actual class minus the largest
probability given to any other class (WEKA's margin curve uses the same definition): 1
means certain and right, -1 certain and wrong, near 0 a close call. The histogram shows
at a glance whether the errors are near misses (bars just left of 0) or confident
mistakes (bars near -1), which the accuracy alone hides. Instances with a missing class
or no prediction are left out, as in the confusion matrix; weights count.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from workbench.core.errors import WorkbenchError
from workbench.evaluation.results import Results
from workbench.gui.plots.export import ExportBar
from workbench.gui.plots.sources import as_results

WRONG = (214, 39, 40)
RIGHT = (44, 160, 44)


def margins(results: Results) -> tuple[np.ndarray, np.ndarray]:
    """Each counted instance's margin and weight (missing class and unclassified rows
    left out)."""
    if not results.nominal:
        raise WorkbenchError(f"{results.classifier}: margins need a nominal class")
    actual, distribution, weights = results.actual, results.distribution, results.weights
    keep = ~np.isnan(actual) & (distribution.sum(axis=1) > 0)
    dist, cls = distribution[keep], actual[keep].astype(np.intp)
    rows = np.arange(len(cls))
    right = dist[rows, cls]
    others = dist.copy()
    others[rows, cls] = -np.inf
    best_other = others.max(axis=1) if dist.shape[1] > 1 else np.zeros(len(cls))
    return right - best_other, weights[keep]


class MarginHistogramView(QWidget):
    """Histogram of the margins of one evaluation (``Evaluation`` or ``Results``)."""

    def __init__(self, source: Any, bins: int = 20, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.results = as_results(source)
        self.margins, self.weights = margins(self.results)
        self.setWindowTitle(f"Margin histogram: {self.results.classifier}")
        self.bins = QSpinBox()
        self.bins.setRange(2, 200)
        self.bins.setValue(bins)
        self.bins.setPrefix("bins ")
        self.summary = QLabel("")
        self.plot = pg.PlotWidget(background="w")
        self.plot.setLabel("bottom", "margin: P(actual class) - largest P(other class)")
        self.plot.setLabel("left", "instances (weighted)")
        self.plot.showGrid(x=True, y=True, alpha=0.2)
        self.bars: pg.BarGraphItem | None = None
        self.edges = np.zeros(0)
        self.counts = np.zeros(0)
        controls = QHBoxLayout()
        controls.addWidget(self.bins)
        controls.addWidget(self.summary)
        controls.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.plot, 1)
        layout.addWidget(ExportBar(self, self.table))
        self.bins.valueChanged.connect(self.redraw)
        self.redraw()

    def redraw(self) -> None:
        """Count the margins into the chosen number of equal bins over [-1, 1]."""
        self.counts, self.edges = np.histogram(self.margins, bins=self.bins.value(),
                                               range=(-1.0, 1.0), weights=self.weights)
        centres = (self.edges[:-1] + self.edges[1:]) / 2
        brushes = [pg.mkBrush(*(RIGHT if c > 0 else WRONG)) for c in centres]
        if self.bars is not None:
            self.plot.removeItem(self.bars)
        self.bars = pg.BarGraphItem(x=centres, height=self.counts,
                                    width=np.diff(self.edges) * 0.9, brushes=brushes)
        self.plot.addItem(self.bars)
        total = float(self.weights.sum())
        below = float(self.weights[self.margins <= 0].sum())
        mean = float(np.average(self.margins, weights=self.weights)) if total > 0 else 0.0
        self.summary.setText(f"{total:g} instances; mean margin {mean:.3f}; "
                             f"{below:g} at or below 0 (misclassified or tied)")

    def table(self) -> tuple[list[str], list[list[Any]]]:
        return (["from", "to", "instances"],
                [[float(self.edges[i]), float(self.edges[i + 1]), float(self.counts[i])]
                 for i in range(len(self.counts))])
