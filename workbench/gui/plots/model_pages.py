"""The model-specific pages of the weights viewer: CNN, RNN, k-NN, perceptron (the DBN's
are in ``rbm_pages``).

Each page draws what one protocol of ``workbench.classifiers.inspection`` gives
(``ConvFilters``, ``HiddenStates``, ``NearestNeighbours``, ``LinearScores``) with the
shared mosaic, heat-map and plot items; ``workbench.gui.viewers`` says which page goes
with which protocol. Each page has a ``table()`` for CSV export.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QFontMetrics, QImage, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.classifiers.geometry import infer_geometry
from workbench.classifiers.inspection import weight_arrays
from workbench.core.errors import WorkbenchError
from workbench.data.dataset import Dataset, format_value
from workbench.gui.plots.colormaps import diverging_rgb, series_colour
from workbench.gui.plots.model_arrays import image_layout, input_names
from workbench.gui.plots.mosaic import MosaicView
from workbench.gui.plots.page_parts import controls_row, instance_box
from workbench.gui.plots.plot_style import style_plot
from workbench.gui.widgets.literal import html_text, plain_label


# CNN ------------------------------------------------------------------------------------
class FilterPage(QWidget):
    """The kernels of one convolution layer; one tile per (output, input) channel pair."""

    def __init__(self, model: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.layer_box = QComboBox()
        count = sum(1 for name, array in weight_arrays(model).items()
                    if name.endswith("weight") and np.ndim(array) == 4)
        self.layer_box.addItems([f"convolution {i + 1}" for i in range(count)])
        self.mosaic = MosaicView()
        layout = QVBoxLayout(self)
        layout.addLayout(controls_row(QLabel("Layer:"), self.layer_box))
        layout.addWidget(self.mosaic, 1)
        self.layer_box.currentIndexChanged.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        layer = max(self.layer_box.currentIndex(), 0)
        kernels = self.model.conv_filters(layer)
        out, inp, kh, kw = kernels.shape
        self.mosaic.set_tiles(kernels.reshape(out * inp, kh, kw), columns=inp if inp > 1
                              else None,
                              labels=[f"out {o} in {i}" for o in range(out) for i in range(inp)])
        self.mosaic.title.setText(f"convolution {layer + 1}: {out} filters x {inp} input "
                                  f"channel(s), {kh}x{kw} (red +, blue -)")

    def table(self) -> tuple[list[str], list[list[Any]]]:
        return self.mosaic.table()


class FeatureMapPage(QWidget):
    """What each layer of the CNN makes of one instance: one tile per channel."""

    def __init__(self, model: Any, data: Dataset, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model, self.data = model, data
        self.instance = instance_box(data)
        self.layer_box = QComboBox()
        self.mosaic = MosaicView()
        layout = QVBoxLayout(self)
        layout.addLayout(controls_row(self.instance, QLabel("Layer:"), self.layer_box))
        layout.addWidget(self.mosaic, 1)
        self.maps: list[tuple[str, np.ndarray]] = []
        self.instance.valueChanged.connect(self._load)
        self.layer_box.currentIndexChanged.connect(self._show)
        self._load()

    def _load(self) -> None:
        self.maps = self.model.feature_maps(self.data, self.instance.value() - 1)
        current = self.layer_box.currentIndex()
        self.layer_box.blockSignals(True)
        self.layer_box.clear()
        self.layer_box.addItems([f"{name} {tuple(m.shape)}" for name, m in self.maps])
        self.layer_box.setCurrentIndex(max(current, 0))
        self.layer_box.blockSignals(False)
        self._show()

    def _show(self) -> None:
        name, maps = self.maps[max(self.layer_box.currentIndex(), 0)]
        signed = name != "input"
        if maps.shape[:2] == (1, 1):  # a dense layer: one row of units
            maps = maps.reshape(1, 1, -1)
        self.mosaic.set_tiles(maps, signed=signed,
                              labels=[f"{name} channel {i}" for i in range(len(maps))])
        self.mosaic.title.setText(f"instance {self.instance.value()}, {name}: "
                                  f"{maps.shape[0]} map(s) of {maps.shape[1]}x{maps.shape[2]}")

    def table(self) -> tuple[list[str], list[list[Any]]]:
        return self.mosaic.table()


# RNN ------------------------------------------------------------------------------------
class HiddenStatePage(QWidget):
    """The top recurrent layer's state at each step of one instance, as a heat map
    (steps left to right, units top to bottom, diverging colours)."""

    def __init__(self, model: Any, data: Dataset, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model, self.data = model, data
        self.instance = instance_box(data)
        self.plot = pg.PlotWidget(background="w")
        self.plot.invertY(True)
        self.plot.setLabel("left", "hidden unit")
        style_plot(self.plot)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.plot.addItem(self.image)
        # Which instance it is and what the model made of it, and the colour scale.
        self.about = plain_label()
        self.range = plain_label()  # the shown instance's own range of states
        self.scale_bar = QLabel()
        self.scale_bar.setPixmap(scale_pixmap(STATE_LIMIT))
        self.scale_bar.setToolTip("A hidden unit's state: blue negative, white 0, red "
                                  "positive (an LSTM's or GRU's state lies in -1..+1)")
        layout = QVBoxLayout(self)
        layout.addLayout(controls_row(self.instance, self.about))
        layout.addWidget(self.plot, 1)
        layout.addLayout(controls_row(QLabel(f"{-STATE_LIMIT:g}"), self.scale_bar,
                                      QLabel(f"+{STATE_LIMIT:g}"), self.range))
        self.states = np.zeros((0, 0))
        self.steps: list[str] = []
        self.instance.valueChanged.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        states, labels = self.model.hidden_states(self.data, self.instance.value() - 1)
        self.states = np.asarray(states, dtype=np.float64)
        self.steps = list(labels)
        self.image.setImage(diverging_rgb(self.states.T, STATE_LIMIT), levels=(0, 255))
        self.about.setText(self.instance_text())
        if self.states.size:
            self.range.setText(f"this instance: {self.states.min():.2f} to "
                               f"{self.states.max():.2f}")
        self._set_step_ticks()
        self.plot.setLabel("bottom", "step (what was read)")
        self.plot.autoRange()

    def instance_text(self) -> str:
        """"instance 3: class 7, predicted 7", as far as the data and model say it (a
        missing class is "?"; a model that cannot predict these data says nothing)."""
        row = self.instance.value() - 1
        text = f"instance {row + 1}"
        cls = self.data.class_attribute
        if cls is None or self.data.class_index is None:
            return text
        one = self.data.select_rows([row])
        text += f": class {format_value(cls, float(one.class_values[0]))}"
        try:
            predicted = float(self.model.predict(one)[0])
        except (WorkbenchError, ValueError):
            return text
        return text + f", predicted {format_value(cls, predicted)}"

    def tick_every(self) -> int:
        """Label every n-th step, n chosen so the labels fit the plot's width side by side
        (each word is cut to 12 characters at most, with an ellipsis)."""
        if not self.steps:
            return 1
        metrics = QFontMetrics(self.plot.getAxis("bottom").style.get("tickFont")
                               or self.font())
        widest = max(metrics.horizontalAdvance(_short(str(t))) for t in self.steps)
        room = max(self.plot.getPlotItem().vb.width(), self.plot.width() - 60, 100)
        per_step = room / len(self.steps)
        return max(1, int(np.ceil((widest + 8) / max(per_step, 1e-9))))

    def _set_step_ticks(self) -> None:
        every = self.tick_every()
        self.plot.getAxis("bottom").setTicks([[(i + 0.5, _short(str(t)))
                                               for i, t in enumerate(self.steps)
                                               if i % every == 0]])

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        if self.steps:
            self._set_step_ticks()

    def table(self) -> tuple[list[str], list[list[Any]]]:
        return (["step", "read", *[f"h{j}" for j in range(self.states.shape[1])]],
                [[i, self.steps[i] if i < len(self.steps) else "", *self.states[i].tolist()]
                 for i in range(self.states.shape[0])])


# A hidden state (tanh of an LSTM's cell, a GRU's blend) lies in -1..+1: one fixed scale,
# so two instances' pictures compare.
STATE_LIMIT = 1.0


def scale_pixmap(limit: float, width: int = 160, height: int = 12) -> QPixmap:
    """The diverging colour scale from -``limit`` (blue) through 0 (white) to +``limit``
    (red), as a strip to put beside its end values."""
    rgb = diverging_rgb(np.linspace(-limit, limit, width)[None, :].repeat(height, 0), limit)
    rgb = np.ascontiguousarray(rgb)
    image = QImage(rgb.data, width, height, 3 * width, QImage.Format.Format_RGB888)
    return QPixmap.fromImage(image.copy())


def _short(word: str, chars: int = 12) -> str:
    return word if len(word) <= chars else word[:chars - 1] + "\u2026"


# k-NN -----------------------------------------------------------------------------------
class NeighboursPage(QWidget):
    """A chosen instance's nearest training instances, nearest first, with distances;
    drawn as images too when the data are images."""

    def __init__(self, model: Any, data: Dataset, training: Dataset,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model, self.data, self.training = model, data, training
        self.instance = instance_box(data)
        self.table_widget = QTableWidget(0, 0)
        self.table_widget.verticalHeader().hide()
        self.table_widget.setTabKeyNavigation(False)  # Tab leaves; arrows move
        # Headers as wide as their words ("training instance" was cut to "training i...").
        header_view = self.table_widget.horizontalHeader()
        header_view.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header_view.setStretchLastSection(True)
        self.mosaic = MosaicView()
        try:
            geometry = infer_geometry(training)
            self.image_geometry = geometry if geometry.source != "square" or geometry.size >= 49 \
                else None
        except WorkbenchError:
            self.image_geometry = None
        layout = QVBoxLayout(self)
        layout.addLayout(controls_row(self.instance))
        layout.addWidget(self.table_widget, 1)
        layout.addWidget(self.mosaic, 2)
        self.mosaic.setVisible(self.image_geometry is not None)
        self.rows: list[list[Any]] = []
        self.instance.valueChanged.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        row = self.instance.value() - 1
        index, distance = self.model.neighbours(self.data.select_rows([row]))
        index, distance = np.asarray(index[0]), np.asarray(distance[0])
        keep = index >= 0
        index, distance = index[keep].astype(int), distance[keep]
        cls = self.training.class_index
        header = ["rank", "training instance", "distance", "class"]
        self.rows = []
        for rank, (i, d) in enumerate(zip(index, distance, strict=True)):
            label = format_value(self.training.attributes[cls],
                                 self.training.dense_values()[i, cls]) if cls is not None else ""
            self.rows.append([rank + 1, int(i) + 1, float(d), label])
        self.table_widget.setColumnCount(len(header))
        self.table_widget.setHorizontalHeaderLabels(header)
        self.table_widget.setRowCount(len(self.rows))
        for r, values in enumerate(self.rows):
            for c, v in enumerate(values):
                self.table_widget.setItem(r, c, QTableWidgetItem(
                    f"{v:.4f}" if isinstance(v, float) else str(v)))
        if self.image_geometry is not None:
            query = infer_geometry(self.data).images(self.data.select_rows([row]))[:, 0]
            found = self.image_geometry.images(self.training.select_rows(index))[:, 0]
            self.mosaic.set_tiles(np.concatenate([query, found]), signed=False,
                                  columns=len(index) + 1,
                                  labels=["query", *[f"neighbour {k + 1}"
                                                     for k in range(len(index))]])
            self.mosaic.title.setText("the instance (first) and its neighbours, nearest "
                                      "first")

    def table(self) -> tuple[list[str], list[list[Any]]]:
        return ["rank", "training instance", "distance", "class"], self.rows


# Perceptron -----------------------------------------------------------------------------
class PerceptronPage(QWidget):
    """The weight vector of each unit, as bars (or tiles for images), named as the model
    names them ("1 vs 0" for two classes, "A vs rest" one-vs-rest, the class for a
    multi-class perceptron), and for two numeric inputs the decision regions over the
    training scatter, with a legend of the classes' colours under the plot (the points
    a user came to see are often in its corners)."""

    def __init__(self, model: Any, data: Dataset | None, parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.model, self.data = model, data
        self.weights = model.linear_weights()
        layout = QVBoxLayout(self)
        self.names = input_names(model)
        self.mosaic: MosaicView | None = None
        self.bars: pg.PlotWidget | None = None
        self.boundary: pg.PlotWidget | None = None
        self.regions = np.zeros((0, 0))
        self.legend: pg.LegendItem | None = None  # the classes' colours, decision regions
        if self.weights is None:
            layout.addWidget(QLabel("This perceptron uses a polynomial kernel: it has no "
                                    "single weight vector to draw."))
        else:
            self._draw_weights(layout)
        inputs = self._two_numeric_inputs()
        if data is not None and inputs is not None:
            self._draw_boundary(layout, inputs)

    def _draw_weights(self, layout: QVBoxLayout) -> None:
        assert self.weights is not None
        problems = self.model.score_labels()
        image = image_layout(self.model)
        w = self.weights[:, :-1]
        if image is not None:
            (c, h, wd), positions = image
            tiles = w[:, positions].reshape(len(w), c * h, wd)
            self.mosaic = MosaicView(tiles, title="weights per class (red +, blue -)",
                                     labels=list(problems))
            layout.addWidget(self.mosaic, 1)
            return
        self.bars = pg.PlotWidget(background="w", title="weight vector (bias last)")
        self.bars.addLegend(offset=(-10, 10))
        style_plot(self.bars)
        count = len(self.weights)
        width = 0.8 / count
        for p in range(count):
            x = np.arange(self.weights.shape[1]) + (p - (count - 1) / 2) * width
            self.bars.addItem(pg.BarGraphItem(x=x, height=self.weights[p], width=width,
                                              brush=pg.mkBrush(*series_colour(p)),
                                              name=html_text(str(problems[p]))))
        ticks = [*self.names, "bias"]
        self.bars.getAxis("bottom").setTicks([[(i, t) for i, t in enumerate(ticks)]])
        layout.addWidget(self.bars, 1)

    def _two_numeric_inputs(self) -> list[int] | None:
        header = self.model.header_
        inputs = [i for i in range(header.num_attributes) if i != header.class_index]
        if len(inputs) == 2 and all(header.attributes[i].is_numeric for i in inputs):
            return inputs
        return None

    def _draw_boundary(self, layout: QVBoxLayout, inputs: list[int], steps: int = 120
                       ) -> None:
        data = self.data
        assert data is not None
        X = data.dense_values()
        xs, ys = X[:, inputs[0]], X[:, inputs[1]]
        pad_x = (np.nanmax(xs) - np.nanmin(xs)) * 0.05 or 1.0
        pad_y = (np.nanmax(ys) - np.nanmin(ys)) * 0.05 or 1.0
        gx = np.linspace(np.nanmin(xs) - pad_x, np.nanmax(xs) + pad_x, steps)
        gy = np.linspace(np.nanmin(ys) - pad_y, np.nanmax(ys) + pad_y, steps)
        mx, my = np.meshgrid(gx, gy)
        grid = np.zeros((steps * steps, data.num_attributes))
        grid[:, inputs[0]], grid[:, inputs[1]] = mx.ravel(), my.ravel()
        grid_data = Dataset(data.relation, data.attributes, grid,
                            class_index=data.class_index)
        predicted = self.model.predict(grid_data).reshape(steps, steps)
        self.regions = predicted
        palette = np.array([series_colour(i) for i in range(len(self.model.classes_))],
                           dtype=np.float64)
        rgb = (palette[np.nan_to_num(predicted).astype(int)] * 0.35 + 255 * 0.65
               ).astype(np.uint8)
        self.boundary = pg.PlotWidget(
            background="w", title="decision regions: the shade is the class predicted, "
                                  "a point's colour its class")
        self.legend = pg.LegendItem(colCount=min(
            len(self.model.classes_), 6))
        plot_layout = self.boundary.getPlotItem().layout
        plot_layout.addItem(self.legend, 4, 1)  # under the x axis
        style_plot(self.boundary)
        plot_layout.setRowStretchFactor(4, 0)
        image = pg.ImageItem(rgb, axisOrder="row-major", levels=(0, 255))
        image.setRect(gx[0], gy[0], gx[-1] - gx[0], gy[-1] - gy[0])
        self.boundary.addItem(image)
        y = data.class_values
        for c, name in enumerate(self.model.classes_):
            pick = y == c
            points = pg.ScatterPlotItem(xs[pick], ys[pick], size=7,
                                        brush=pg.mkBrush(*series_colour(c)),
                                        pen=pg.mkPen("k"), name=html_text(str(name)))
            self.boundary.addItem(points)
            self.legend.addItem(points, html_text(str(name)))   # HTML there: a class name
        header = self.model.header_                             # is not
        self.boundary.setLabel("bottom", html_text(header.attributes[inputs[0]].name))
        self.boundary.setLabel("left", html_text(header.attributes[inputs[1]].name))
        layout.addWidget(self.boundary, 2)

    def table(self) -> tuple[list[str], list[list[Any]]]:
        if self.weights is None:
            return ["unit"], []
        problems = self.model.score_labels()
        return (["unit", *self.names, "bias"],
                [[problems[i], *self.weights[i].tolist()] for i in range(len(self.weights))])
