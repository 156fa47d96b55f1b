"""The margin histogram: how sure a classifier was of the right answer, over all instances.

An instance's margin is the probability given to its actual class minus the largest
probability given to any other class (WEKA's margin curve uses the same definition): 1
means certain and right, -1 certain and wrong, near 0 a close call. The histogram shows
at a glance whether the errors are near misses (bars just left of 0) or confident
mistakes (bars near -1), which the accuracy alone hides. Instances with a missing class
or no prediction are left out, as in the confusion matrix; weights count.

Green and red are the confusion matrix's right and wrong (predicted == actual), stacked
in each bar, and the summary counts the same: a margin above 0 is always right and one
below 0 always wrong, but at exactly 0 (a tie between the actual class and another) the
prediction is WEKA's first class of highest probability, so a tie is right only when
the actual class comes first among the tied ones. Colouring by the bin's side of 0
instead painted ties green while the summary counted them as errors.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QHBoxLayout, QSpinBox, QVBoxLayout, QWidget

from workbench.core.errors import WorkbenchError
from workbench.evaluation.results import Results
from workbench.gui.plots.export import ExportBar
from workbench.gui.plots.sources import as_results
from workbench.gui.widgets.literal import plain_label
from workbench.gui.widgets.screen_reader import describe

WRONG = (214, 39, 40)
RIGHT = (44, 160, 44)


def _counted(results: Results) -> np.ndarray:
    """The rows the histogram counts: a known class and some prediction."""
    if not results.nominal:
        raise WorkbenchError(f"{results.classifier}: margins need a nominal class")
    return ~np.isnan(results.actual) & (results.distribution.sum(axis=1) > 0)


def correct(results: Results) -> np.ndarray:
    """Whether each counted instance (``margins``' rows) was predicted right, as the
    confusion matrix counts it (ties broken to the first class, WEKA's rule)."""
    keep = _counted(results)
    return np.asarray(results.predicted[keep] == results.actual[keep])


def margins(results: Results) -> tuple[np.ndarray, np.ndarray]:
    """Each counted instance's margin and weight (missing class and unclassified rows
    left out)."""
    keep = _counted(results)
    actual, distribution, weights = results.actual, results.distribution, results.weights
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
        self.correct = correct(self.results)
        self.setWindowTitle(f"Margin histogram: {self.results.classifier}")
        self.bins = QSpinBox()
        self.bins.setRange(2, 200)
        self.bins.setValue(bins)
        self.bins.setPrefix("bins ")
        self.bins.setAccessibleName("Bins")
        self.summary = plain_label("")
        self.plot = pg.PlotWidget(background="w")
        self.plot.setLabel("bottom", "margin: P(actual class) - largest P(other class)")
        self.plot.setLabel("left", "instances (weighted)")
        self.plot.showGrid(x=True, y=True, alpha=0.2)
        self.bars: list[pg.BarGraphItem] = []
        self.edges = np.zeros(0)
        self.counts = np.zeros(0)
        self.right_counts = np.zeros(0)
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
        bins = self.bins.value()
        self.counts, self.edges = np.histogram(self.margins, bins=bins, range=(-1.0, 1.0),
                                               weights=self.weights)
        self.right_counts = np.histogram(self.margins[self.correct], bins=bins,
                                         range=(-1.0, 1.0),
                                         weights=self.weights[self.correct])[0]
        wrong_counts = self.counts - self.right_counts
        centres = (self.edges[:-1] + self.edges[1:]) / 2
        width = np.diff(self.edges) * 0.9
        for item in self.bars:
            self.plot.removeItem(item)
        # Wrong below, right stacked on it: a bin holding both (ties at 0) shows both.
        self.bars = [pg.BarGraphItem(x=centres, height=wrong_counts, width=width,
                                     brush=pg.mkBrush(*WRONG)),
                     pg.BarGraphItem(x=centres, y0=wrong_counts, height=self.right_counts,
                                     width=width, brush=pg.mkBrush(*RIGHT))]
        for item in self.bars:
            self.plot.addItem(item)
        total = float(self.weights.sum())
        wrong = float(self.weights[~self.correct].sum())
        tied = self.margins == 0
        mean = float(np.average(self.margins, weights=self.weights)) if total > 0 else 0.0
        text = (f"{total:g} instances; mean margin {mean:.3f}; {wrong:g} misclassified "
                f"(red)")
        if tied.any():
            tied_right = float(self.weights[tied & self.correct].sum())
            text += (f"; {float(self.weights[tied].sum()):g} tied at 0, {tied_right:g} of "
                     f"them right (a tie goes to the first class)")
        self.summary.setText(text)
        describe(self.plot, "Margin histogram", text)

    def table(self) -> tuple[list[str], list[list[Any]]]:
        return (["from", "to", "instances", "right", "wrong"],
                [[float(self.edges[i]), float(self.edges[i + 1]), float(self.counts[i]),
                  float(self.right_counts[i]), float(self.counts[i] - self.right_counts[i])]
                 for i in range(len(self.counts))])
