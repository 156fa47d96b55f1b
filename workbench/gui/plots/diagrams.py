"""Weight matrices drawn as shapes: Hinton diagrams and the network diagram.

A Hinton diagram shows a weight matrix as squares whose area is the weight's magnitude
and whose colour its sign; it is how weights of inputs that are not an image (iris,
diabetes) are read, so it carries its own key (``HintonKey``): a learner meeting one for
the first time cannot guess which colour is which, nor that size means magnitude. The
network diagram draws every unit as a circle, layer by layer, and every connection as a
line coloured by sign and as thick as its weight, so that a small network such as the
tutorials' 64-2-3 can be read at a glance.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from workbench.classifiers.inspection import DenseLayer
from workbench.gui.plots.plot_style import style_plot

POSITIVE = (214, 39, 40)
NEGATIVE = (31, 119, 180)
MAX_DIAGRAM_CONNECTIONS = 6000
MAX_DIAGRAM_UNITS = 80
STRENGTH_LEVELS = 8


def hinton_squares(weight: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray,
                                                np.ndarray]:
    """Centres x, y, side lengths and signs of the squares for a ``(rows, cols)``
    matrix; the largest magnitude gets a side of 0.9 cells."""
    weight = np.nan_to_num(np.asarray(weight, dtype=np.float64))
    rows, cols = weight.shape
    limit = float(np.abs(weight).max()) or 1.0
    r, c = np.meshgrid(np.arange(rows), np.arange(cols), indexing="ij")
    sides = 0.9 * np.sqrt(np.abs(weight) / limit)
    return c.ravel().astype(float), r.ravel().astype(float), sides.ravel(), \
        np.sign(weight).ravel()


class HintonKey(QWidget):
    """The key under a Hinton diagram: a small and a large square of each colour, saying
    red is a positive weight, blue a negative one, and a square's area the weight's size,
    with the largest size in the picture (the one drawn 0.9 of a cell wide)."""

    SMALL, LARGE, GAP = 6, 13, 14

    def __init__(self, limit: float = 0.0, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.limit = limit

    def set_limit(self, limit: float) -> None:
        self.limit = limit
        self.update()

    def parts(self) -> list[tuple[tuple[int, int, int] | None, str]]:
        """What the key shows, left to right: a colour's squares and its words, then the
        words on size (no squares)."""
        return [(POSITIVE, "positive weight"), (NEGATIVE, "negative weight"),
                (None, f"area = size of the weight (largest {self.limit:.3g})")]

    def text(self) -> str:
        """The key in words (its tooltip, and what tests read)."""
        return "red: positive weight, blue: negative weight; " + self.parts()[2][1]

    def _width(self) -> int:
        metrics = self.fontMetrics()
        squares = self.SMALL + self.LARGE + 8
        return sum((squares if colour else 0) + metrics.horizontalAdvance(words)
                   + self.GAP for colour, words in self.parts())

    def sizeHint(self) -> QSize:
        return QSize(self._width(), max(self.LARGE, self.fontMetrics().height()) + 8)

    def minimumSizeHint(self) -> QSize:
        return QSize(0, self.sizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:
        self.setToolTip(self.text())
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = self.fontMetrics()
        middle = self.height() / 2
        x = max((self.width() - self._width()) / 2, 2.0)
        for colour, words in self.parts():
            if colour is not None:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(QColor(*colour))
                for side in (self.SMALL, self.LARGE):
                    painter.drawRect(QRectF(x, middle - side / 2, side, side))
                    x += side + 4
            painter.setPen(QColor(40, 40, 40))
            width = metrics.horizontalAdvance(words)
            painter.drawText(QRectF(x, 0, width + 2, self.height()),
                             int(Qt.AlignmentFlag.AlignVCenter), words)
            x += width + self.GAP
        painter.end()


class HintonView(QWidget):
    """Hinton diagram of one weight matrix: rows are units, columns inputs; its key
    underneath."""

    def __init__(self, weight: np.ndarray, row_names: Sequence[str] = (),
                 column_names: Sequence[str] = (), title: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot = pg.PlotWidget(background="w", title=title)
        self.plot.invertY(True)
        self.plot.setAspectLocked(True)
        style_plot(self.plot)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot, 1)
        self.key = HintonKey()
        layout.addWidget(self.key)
        self.scatter = pg.ScatterPlotItem(pxMode=False, symbol="s")
        self.plot.addItem(self.scatter)
        self.row_names, self.column_names = list(row_names), list(column_names)
        self.set_weight(weight)

    def set_weight(self, weight: np.ndarray) -> None:
        self.weight = np.asarray(weight, dtype=np.float64)
        x, y, sides, signs = hinton_squares(self.weight)
        finite = np.abs(self.weight[np.isfinite(self.weight)])
        self.key.set_limit(float(finite.max()) if finite.size else 0.0)
        keep = sides > 0
        brushes = [pg.mkBrush(*(POSITIVE if s > 0 else NEGATIVE)) for s in signs[keep]]
        self.scatter.setData(x[keep], y[keep], size=sides[keep], brush=brushes,
                             pen=pg.mkPen(None))
        rows, cols = self.weight.shape
        bottom, left = self.plot.getAxis("bottom"), self.plot.getAxis("left")
        if self.column_names and cols <= 40:
            bottom.setTicks([[(i, n) for i, n in enumerate(self.column_names[:cols])]])
        if self.row_names and rows <= 60:
            left.setTicks([[(i, n) for i, n in enumerate(self.row_names[:rows])]])
        self.plot.setXRange(-0.6, cols - 0.4, padding=0.02)
        self.plot.setYRange(-0.6, rows - 0.4, padding=0.02)

    @property
    def square_count(self) -> int:
        return int(np.count_nonzero(self.weight))


def diagram_fits(layers: Sequence[DenseLayer]) -> bool:
    """Whether a network is small enough for a readable diagram."""
    if not layers:
        return False
    connections = sum(layer.weight.size for layer in layers)
    widest = max(max(layer.weight.shape) for layer in layers)
    return connections <= MAX_DIAGRAM_CONNECTIONS and widest <= MAX_DIAGRAM_UNITS


class NetworkDiagram(QWidget):
    """Units as circles in columns (inputs left, outputs right), connections as lines
    coloured by sign (red positive, blue negative) with width and opacity by size."""

    def __init__(self, layers: Sequence[DenseLayer], input_names: Sequence[str] = (),
                 output_names: Sequence[str] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = pg.PlotWidget(background="w")
        style_plot(self.view)
        self.view.hideAxis("bottom")
        self.view.hideAxis("left")
        self.view.setMenuEnabled(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.input_names, self.output_names = list(input_names), list(output_names)
        self.lines: list[pg.PlotDataItem] = []
        self.connection_count = 0
        self.set_layers(layers)

    @staticmethod
    def positions(count: int, column: int) -> np.ndarray:
        """Unit centres of one column, spread over a height of 10 and centred."""
        ys = np.linspace(0, 10, count) if count > 1 else np.array([5.0])
        return np.column_stack([np.full(count, column * 4.0), ys])

    def set_layers(self, layers: Sequence[DenseLayer]) -> None:
        self.view.clear()
        self.lines = []
        self.layers = list(layers)
        if not self.layers:
            return
        sizes = [self.layers[0].weight.shape[1], *[la.weight.shape[0] for la in self.layers]]
        columns = [self.positions(n, i) for i, n in enumerate(sizes)]
        limit = max(float(np.abs(la.weight).max()) for la in self.layers) or 1.0
        # Connections are grouped by sign and strength into a few line items drawn with
        # connect="pairs": thousands of separate QGraphicsItems are slow to draw and
        # crash PySide when the interpreter shuts down.
        segments: dict[tuple[bool, int], list[np.ndarray]] = {}
        for i, layer in enumerate(self.layers):
            src, dst = columns[i], columns[i + 1]
            w = layer.weight
            grid_o, grid_j = np.meshgrid(np.arange(w.shape[0]), np.arange(w.shape[1]),
                                         indexing="ij")
            o, j = grid_o.ravel(), grid_j.ravel()
            values = w[o, j]
            levels = np.minimum((np.abs(values) / limit * STRENGTH_LEVELS).astype(int),
                                STRENGTH_LEVELS - 1)
            for positive in (True, False):
                for level in np.unique(levels):
                    pick = (levels == level) & ((values > 0) == positive)
                    if not pick.any():
                        continue
                    pairs = np.empty((2 * int(pick.sum()), 2))
                    pairs[0::2] = src[j[pick]]
                    pairs[1::2] = dst[o[pick]]
                    segments.setdefault((positive, int(level)), []).append(pairs)
        for (positive, level), parts in sorted(segments.items(), key=lambda kv: kv[0][1]):
            strength = (level + 1) / STRENGTH_LEVELS
            colour = POSITIVE if positive else NEGATIVE
            pts = np.concatenate(parts)
            item = pg.PlotDataItem(pts[:, 0], pts[:, 1], connect="pairs",
                                   pen=pg.mkPen((*colour, int(40 + 215 * strength)),
                                                width=0.5 + 4.5 * strength))
            self.view.addItem(item)
            self.lines.append(item)
        self.connection_count = sum(la.weight.size for la in self.layers)
        for i, pts in enumerate(columns):
            size = 14 if len(pts) <= 20 else 7
            self.view.addItem(pg.ScatterPlotItem(pts[:, 0], pts[:, 1], size=size,
                                                 brush=pg.mkBrush(240, 240, 240),
                                                 pen=pg.mkPen(60, 60, 60)))
            names = self.input_names if i == 0 else (
                self.output_names if i == len(columns) - 1 else [])
            if names and len(pts) <= 20:
                for (x, y), name in zip(pts, names, strict=False):
                    label = pg.TextItem(name, color=(0, 0, 0),
                                        anchor=(1.1, 0.5) if i == 0 else (-0.1, 0.5))
                    label.setPos(QPointF(x, y))
                    self.view.addItem(label)
        self.view.setXRange(-2.5, (len(columns) - 1) * 4.0 + 2.5)
        self.view.setYRange(-0.5, 10.5)
        self.view.invertY(True)

    @property
    def unit_counts(self) -> list[int]:
        if not self.layers:
            return []
        return [self.layers[0].weight.shape[1], *[la.weight.shape[0] for la in self.layers]]
