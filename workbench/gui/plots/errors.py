"""WEKA's "Visualize classifier errors": two attributes against each other, correctly
classified instances as crosses and misclassified ones as squares, coloured by class.

Each point is one prediction of the ``Results`` (so an instance tested in several runs
appears once per run), placed by the evaluated dataset's values. Clicking a point shows
the instance: its attribute values, actual and predicted class and distribution.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from workbench.core.errors import WorkbenchError
from workbench.data.dataset import Dataset, format_value
from workbench.gui.plots.colormaps import series_colour
from workbench.gui.plots.export import ExportBar
from workbench.gui.plots.sources import as_dataset, as_results


class ClassifierErrorsView(QWidget):
    """Scatter of two attributes with each prediction's correctness.

    ``source`` is an ``Evaluation`` (which carries its dataset) or a ``Results`` with the
    evaluated ``dataset`` given; ``x`` and ``y`` name the first attributes shown.
    """

    def __init__(self, source: Any, dataset: Dataset | None = None, x: str | None = None,
                 y: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.results = as_results(source)
        data = as_dataset(source, dataset)
        if data is None:
            raise WorkbenchError("visualising classifier errors needs the evaluated dataset")
        self.dataset = data
        self.setWindowTitle(f"Classifier errors: {self.results.classifier}")
        self.values = data.dense_values()
        self.attributes = [i for i in range(data.num_attributes)
                           if data.attributes[i].is_numeric or data.attributes[i].is_nominal]
        names = [data.attributes[i].name for i in self.attributes]
        self.x_box, self.y_box = QComboBox(), QComboBox()
        self.x_box.addItems(names)
        self.y_box.addItems(names)
        self.x_box.setCurrentIndex(names.index(x) if x in names else 0)
        self.y_box.setCurrentIndex(names.index(y) if y in names else min(1, len(names) - 1))
        controls = QHBoxLayout()
        for w in (QLabel("X:"), self.x_box, QLabel("Y:"), self.y_box):
            controls.addWidget(w)
        controls.addStretch(1)
        self.plot = pg.PlotWidget(background="w")
        # The legend sits under the plot, in the plot's own layout, not over its
        # points: the points a user came to see are often in the top right corner.
        self.legend = pg.LegendItem(labelTextColor="k", colCount=2)
        plot_layout = self.plot.getPlotItem().layout
        plot_layout.addItem(self.legend, 4, 1)  # under the x axis
        plot_layout.setRowStretchFactor(4, 0)
        self.plot.showGrid(x=True, y=True, alpha=0.2)
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setPlaceholderText("Click a point to see the instance.")
        splitter = QSplitter()
        splitter.addWidget(self.plot)
        splitter.addWidget(self.details)
        splitter.setSizes([600, 250])
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(splitter, 1)
        layout.addWidget(ExportBar(self, self.table))
        self.scatter: list[pg.ScatterPlotItem] = []
        self.x_box.currentIndexChanged.connect(self.redraw)
        self.y_box.currentIndexChanged.connect(self.redraw)
        self.redraw()

    @property
    def correct(self) -> np.ndarray:
        """Per prediction: True when the predicted class equals the actual (a numeric
        class has no right or wrong, only error sizes: all True)."""
        if not self.results.nominal:
            return np.ones(self.results.num_predictions, dtype=bool)
        return self.results.actual == self.results.predicted

    def coordinates(self) -> tuple[np.ndarray, np.ndarray]:
        rows = self.results.indices
        xa = self.attributes[self.x_box.currentIndex()]
        ya = self.attributes[self.y_box.currentIndex()]
        return self.values[rows, xa], self.values[rows, ya]

    def redraw(self) -> None:
        self.plot.clear()
        self.legend.clear()
        self.scatter = []
        x, y = self.coordinates()
        correct = self.correct
        names = self.results.class_names
        actual = self.results.actual
        if not names:
            self._draw_numeric(x, y)
            return
        for i, name in enumerate(names):
            members = actual == i
            colour = series_colour(i)
            for ok, symbol, tag in ((True, "x", "correct"), (False, "s", "wrong")):
                chosen = np.flatnonzero(members & (correct == ok))
                if not len(chosen):
                    continue
                item = pg.ScatterPlotItem(
                    x[chosen], y[chosen], data=chosen, symbol=symbol, size=9 if ok else 8,
                    pen=pg.mkPen(colour, width=1.5),
                    brush=pg.mkBrush(None) if ok else pg.mkBrush(*colour, 120),
                    name=f"{name} ({tag})", hoverable=True)
                item.sigClicked.connect(self._clicked)
                self.plot.addItem(item)
                self.legend.addItem(item, f"{name} ({tag})")
                self.scatter.append(item)
        self.plot.setLabel("bottom", self.x_box.currentText())
        self.plot.setLabel("left", self.y_box.currentText())

    def _draw_numeric(self, x: np.ndarray, y: np.ndarray) -> None:
        """A numeric class: every instance a cross, larger for a larger error (WEKA)."""
        error = np.abs(self.results.actual - self.results.predicted)
        finite = error[np.isfinite(error)]
        top = float(finite.max()) if finite.size and finite.max() > 0 else 1.0
        sizes = 4 + 16 * np.nan_to_num(error, nan=top) / top
        item = pg.ScatterPlotItem(x, y, data=np.arange(len(x)), symbol="x", size=sizes,
                                  pen=pg.mkPen(series_colour(0), width=1.5),
                                  brush=pg.mkBrush(None), name="error size", hoverable=True)
        item.sigClicked.connect(self._clicked)
        self.plot.addItem(item)
        self.legend.addItem(item, "error size")
        self.scatter.append(item)
        self.plot.setLabel("bottom", self.x_box.currentText())
        self.plot.setLabel("left", self.y_box.currentText())

    def _clicked(self, _item: Any, points: Any, *_: Any) -> None:
        if len(points):
            self.show_prediction(int(points[0].data()))

    def show_prediction(self, position: int) -> str:
        """Describe prediction ``position`` (into the pooled Results) in the side panel."""
        res, data = self.results, self.dataset
        row = int(res.indices[position])
        lines = [f"Instance {row + 1} (fold {int(res.fold_ids[position]) + 1})"]
        for a, attribute in enumerate(data.attributes):
            lines.append(f"  {attribute.name}: {format_value(attribute, self.values[row, a])}")
        actual, predicted = res.actual[position], res.predicted[position]
        if res.nominal:
            names = res.class_names
            act = "?" if np.isnan(actual) else names[int(actual)]
            pred = "?" if np.isnan(predicted) else names[int(predicted)]
            lines.append(f"actual: {act}   predicted: {pred}")
            dist = res.distribution[position]
            lines.append("distribution: " + ", ".join(
                f"{n} {p:.3f}" for n, p in zip(names, dist, strict=True)))
        else:
            lines.append(f"actual: {actual:g}   predicted: {predicted:g}")
        text = "\n".join(lines)
        self.details.setPlainText(text)
        return text

    def table(self) -> tuple[list[str], list[list[Any]]]:
        x, y = self.coordinates()
        res = self.results
        return (["instance", self.x_box.currentText(), self.y_box.currentText(), "actual",
                 "predicted", "correct"],
                [[int(res.indices[i]) + 1, float(x[i]), float(y[i]), float(res.actual[i]),
                  float(res.predicted[i]), bool(self.correct[i])] for i in range(len(x))])
