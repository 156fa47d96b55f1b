"""WEKA's "Visualize classifier errors": two attributes against each other, correctly
classified instances as crosses and misclassified ones as squares, coloured by class.

Each point is one prediction of the ``Results`` (so an instance tested in several runs
appears once per run), placed by the evaluated dataset's values or by its predicted
class. Jitter moves only the drawn points, seeded so the picture is the same each time;
each point keeps its prediction's number, so clicking it still shows that instance: its
attribute values, actual and predicted class and distribution.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QSlider,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from workbench.core.errors import WorkbenchError
from workbench.data.dataset import Dataset, format_value
from workbench.gui.plots.colormaps import series_colour
from workbench.gui.plots.export import ExportBar
from workbench.gui.plots.scatter_axes import (
    JITTER_MAX,
    jittered,
    nominal_axis_ticks,
    padded_range,
    plain_numbers,
    spread,
)
from workbench.gui.plots.sources import as_dataset, as_results
from workbench.gui.widgets.form_names import name_by_label
from workbench.gui.widgets.literal import html_text
from workbench.gui.widgets.screen_reader import describe

PREDICTED = -1  # the axis key of the predicted class, which no attribute index can be
WIDE = 20  # more inputs than this are pixels or word counts: one alone says little
DEFAULT_JITTER = 30  # percent of a slot: predicted against actual class, spread apart


def fold_note(results: Any, position: int) -> str:
    """" (fold k)" for a prediction of a cross-validation, where it tells which of the
    models predicted the instance; "" when the results have one fold only (a percentage
    split, a supplied test set, the training set), where "fold 1" would suggest folds
    that were never made."""
    folds = results.fold_ids
    if len(folds) == 0 or int(folds.min()) == int(folds.max()):
        return ""
    return f" (fold {int(folds[position]) + 1})"


class ClassifierErrorsView(QWidget):
    """Scatter of two attributes with each prediction's correctness.

    ``source`` is an ``Evaluation`` (which carries its dataset) or a ``Results`` with the
    evaluated ``dataset`` given; ``x`` and ``y`` name the first attributes shown. As in
    WEKA, the predicted class is an axis too, listed just before the class.

    By default X and Y are the first two attributes that vary over the evaluated
    instances (WEKA takes the first two, which on MNIST are blank corner pixels). On wide
    data (more than ``WIDE`` inputs), where one pixel tells little, the default is the
    predicted against the actual class with some jitter: a confusion matrix whose every
    point is an instance to click.
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
        self.class_index = (data.class_index if data.class_index is not None
                            else self.results.header.class_index)
        self.axes: list[int] = []
        for i, attribute in enumerate(data.attributes):
            if i == self.class_index:
                self.axes.append(PREDICTED)
            if attribute.is_numeric or attribute.is_nominal:
                self.axes.append(i)
        if PREDICTED not in self.axes:
            self.axes.append(PREDICTED)
        names = [self.axis_name(k) for k in self.axes]
        x_at, y_at, jitter = self.default_axes()
        self.x_box, self.y_box = QComboBox(), QComboBox()
        self.x_box.addItems(names)
        self.y_box.addItems(names)
        self.x_box.setCurrentIndex(names.index(x) if x in names else x_at)
        self.y_box.setCurrentIndex(names.index(y) if y in names else y_at)
        self.jitter = QSlider(Qt.Orientation.Horizontal)
        self.jitter.setRange(0, JITTER_MAX)
        self.jitter.setValue(jitter if x is None and y is None else 0)
        self.jitter.setToolTip("Spreads points that sit on one another; only the drawing "
                               "moves, the values shown and saved stay as they are.")
        controls = QHBoxLayout()
        labels = [QLabel("X:"), QLabel("Y:"), QLabel("Jitter:")]
        for w in (labels[0], self.x_box, labels[1], self.y_box, labels[2], self.jitter):
            controls.addWidget(w)
        for label, field in zip(labels, (self.x_box, self.y_box, self.jitter), strict=True):
            name_by_label(label, field)
        controls.addStretch(1)
        self.plot = pg.PlotWidget(background="w")
        for side in ("bottom", "left"):
            plain_numbers(self.plot.getAxis(side))
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
        self.details.setAccessibleName("Instance")
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
        self.jitter.valueChanged.connect(self.redraw)
        self.redraw()

    def axis_name(self, key: int) -> str:
        if key == PREDICTED:
            cls = self.class_index
            return "predicted " + (self.dataset.attributes[cls].name if cls is not None
                                   else "class")
        return self.dataset.attributes[key].name

    def axis_values(self, key: int) -> np.ndarray:
        """One value per prediction: the attribute's value of its instance, or the
        predicted class (a code for a nominal class)."""
        if key == PREDICTED:
            return np.asarray(self.results.predicted, dtype=float)
        return self.values[self.results.indices, key]

    def axis_labels(self, key: int) -> tuple[str, ...] | None:
        """The names of a nominal axis's codes; None for a numeric axis."""
        if key == PREDICTED:
            return tuple(self.results.class_names) if self.results.nominal else None
        attribute = self.dataset.attributes[key]
        return tuple(attribute.values) if attribute.is_nominal else None

    def default_axes(self) -> tuple[int, int, int]:
        """Positions in ``axes`` of the default X and Y, and the jitter to start with."""
        predicted = self.axes.index(PREDICTED)
        actual = (self.axes.index(self.class_index) if self.class_index in self.axes
                  else predicted)
        inputs = [p for p, k in enumerate(self.axes) if k not in (PREDICTED, self.class_index)]
        if len(inputs) <= WIDE:
            varying = [p for p in inputs if spread(self.axis_values(self.axes[p])) > 0]
            if len(varying) >= 2:
                return varying[0], varying[1], 0
            if varying:
                return varying[0], actual, 0
        return predicted, actual, DEFAULT_JITTER if self.results.nominal else 0

    @property
    def correct(self) -> np.ndarray:
        """Per prediction: True when the predicted class equals the actual (a numeric
        class has no right or wrong, only error sizes: all True)."""
        if not self.results.nominal:
            return np.ones(self.results.num_predictions, dtype=bool)
        return self.results.actual == self.results.predicted

    def coordinates(self) -> tuple[np.ndarray, np.ndarray]:
        """The X and Y values of every prediction, as they are (no jitter)."""
        return (self.axis_values(self.axes[self.x_box.currentIndex()]),
                self.axis_values(self.axes[self.y_box.currentIndex()]))

    def drawn(self) -> tuple[np.ndarray, np.ndarray]:
        """Where the points are drawn: the coordinates moved by the jitter, X and Y with
        their own seeds so the points do not spread along a diagonal."""
        x, y = self.coordinates()
        amount = self.jitter.value()
        x_key, y_key = self.axes[self.x_box.currentIndex()], self.axes[self.y_box.currentIndex()]
        return (jittered(x, amount, self.axis_labels(x_key) is not None, seed=0),
                jittered(y, amount, self.axis_labels(y_key) is not None, seed=1))

    def redraw(self) -> None:
        self.plot.clear()
        self.legend.clear()
        self.scatter = []
        x, y = self.drawn()
        correct = self.correct
        names = self.results.class_names
        actual = self.results.actual
        if not names:
            self._draw_numeric(x, y)
        else:
            for i, name in enumerate(names):
                members = actual == i
                colour = series_colour(i)
                for ok, symbol, tag in ((True, "x", "correct"), (False, "s", "wrong")):
                    chosen = np.flatnonzero(members & (correct == ok))
                    if not len(chosen):
                        continue
                    item = pg.ScatterPlotItem(
                        x[chosen], y[chosen], data=chosen, symbol=symbol,
                        size=9 if ok else 8, pen=pg.mkPen(colour, width=1.5),
                        brush=pg.mkBrush(None) if ok else pg.mkBrush(*colour, 120),
                        name=html_text(f"{name} ({tag})"), hoverable=True)
                    item.sigClicked.connect(self._clicked)
                    self.plot.addItem(item)
                    self.legend.addItem(item, html_text(f"{name} ({tag})"))  # HTML there
                    self.scatter.append(item)
        # Ten classes make 20 entries: in 2 columns they took the plot's height away.
        entries = len(self.legend.items)
        self.legend.setColumnCount(min(4, max(2, -(-entries // 6))))
        self._set_axes(x, y)
        wrong = int(np.count_nonzero(~correct))
        describe(self.plot, f"Classifier errors: {self.x_box.currentText()} against "
                            f"{self.y_box.currentText()}",
                 f"{len(correct)} predictions, {wrong} wrong (squares), "
                 f"{len(correct) - wrong} right (crosses)" if names else
                 f"{len(correct)} predictions of a numeric class; the larger the point, "
                 f"the larger the error")

    def _set_axes(self, x: np.ndarray, y: np.ndarray) -> None:
        """Name the axes, name nominal codes, and show a range that fits the values
        (``x`` and ``y`` are where they were drawn), padded even when all are equal."""
        plot = self.plot.getPlotItem()
        values = self.coordinates()
        for side, box, raw, drawn, set_range in (
                ("bottom", self.x_box, values[0], x, plot.setXRange),
                ("left", self.y_box, values[1], y, plot.setYRange)):
            labels = self.axis_labels(self.axes[box.currentIndex()])
            axis = self.plot.getAxis(side)
            axis.setTicks(nominal_axis_ticks(labels) if labels is not None else None)
            self.plot.setLabel(side, html_text(box.currentText()))
            count = len(labels) if labels is not None else None
            set_range(*padded_range(raw, count, drawn), padding=0)

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

    def _clicked(self, _item: Any, points: Any, *_: Any) -> None:
        if len(points):
            self.show_prediction(int(points[0].data()))

    def show_prediction(self, position: int) -> str:
        """Describe prediction ``position`` (into the pooled Results) in the side panel:
        the verdict first, then the attribute values (on MNIST 784 lines, which put the
        verdict out of sight when it came last)."""
        res, data = self.results, self.dataset
        row = int(res.indices[position])
        lines = [f"Instance {row + 1}{fold_note(res, position)}"]
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
        for a, attribute in enumerate(data.attributes):
            lines.append(f"  {attribute.name}: {format_value(attribute, self.values[row, a])}")
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
