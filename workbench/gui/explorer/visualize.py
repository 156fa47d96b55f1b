"""The Visualize tab: a scatter-plot matrix coloured by class; click a cell to enlarge.

Every cell is a pyqtgraph plot of one attribute against another, all sharing one colour
per class label. Large datasets are thinned to a fixed sample (seeded, so the picture is
the same each time) because thousands of points per cell would make the matrix slow to
draw without showing anything more. The larger plot has attribute selectors and jitter,
which spreads the points of nominal attributes that would otherwise sit on top of
each other.

Which attributes the matrix shows: those the user ticked in "Select attributes...", else
the first ones that vary. On MNIST the first attributes are blank corner pixels, which
would fill every cell with one dot; those that (nearly) never change come last.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from workbench.core.counts import counted
from workbench.data.dataset import Dataset
from workbench.gui.explorer.attribute_select import AttributeSelection
from workbench.gui.explorer.matrix_cursor import MatrixCursor
from workbench.gui.explorer.matrix_labels import ColumnLabels, column_labels
from workbench.gui.explorer.scatter_plot import (
    MISSING_COLOUR,
    VALUE_WIDTH,
    ScatterPlot,
    nominal_ticks,
    sample_rows,
)
from workbench.gui.plots.colormaps import series_colour
from workbench.gui.plots.scatter_axes import spreads
from workbench.gui.widgets.combo_fill import fill_combo
from workbench.gui.widgets.focus_frame import frame_focus
from workbench.gui.widgets.form_names import name_by_label
from workbench.gui.widgets.literal import html_text, tooltip_text
from workbench.gui.widgets.placement import place_window
from workbench.gui.widgets.screen_reader import describe
from workbench.gui.widgets.window_list import close_with_keys, keep_while_open

MAX_POINTS = 1000
MAX_SHOWN = 16  # attributes in the matrix at most
# Points the whole matrix draws at most: MAX_POINTS in each of 5 x 5 cells, fewer in
# each of more (smaller) cells. Every point costs pyqtgraph about 10 microseconds to
# place: 16 x 16 cells of 1000 points held the window still for 1.2 to 1.5 s on MNIST.
MATRIX_POINTS = 25_000
# Points placed in one turn of the event loop at most: the rest of the matrix is drawn
# in the turns after, so the window answers while the cells fill in.
POINTS_PER_TURN = 2000
HINT = ("Click a cell (or pick one with the arrow keys and press Return) to open a larger "
        "plot with attribute selectors and jitter.")
NAME_WIDTH = 180  # pixels: longer attribute names are elided beside the matrix
TIER_BLOCK = 64  # attributes whose variation default_columns tells at a time


def plot_columns(dataset: Dataset, limit: int) -> list[int]:
    """The attributes a scatter matrix can show: numeric, date and nominal, at most limit."""
    return [j for j, a in enumerate(dataset.attributes)
            if a.is_numeric or a.is_nominal or a.type.value == "date"][:limit]


def default_columns(dataset: Dataset, exclude: int | None, limit: int,
                    rows: np.ndarray) -> list[int]:
    """The ``limit`` attributes a matrix shows unless the user picks: the first ones
    that vary over ``rows``, in the dataset's order.

    Attributes that never change come last, and so do those with one value in nearly
    every instance (``spread``): MNIST's first 5 pixels are blank corners, which would
    draw every cell as a single dot. When every attribute fits, all are shown.
    """
    candidates = [j for j in plot_columns(dataset, dataset.num_attributes) if j != exclude]
    if len(candidates) <= limit:
        return candidates
    # Looked at a block of attributes at a time, in order, until ``limit`` of them vary
    # most: those are the answer whatever the rest hold. On MNIST that is the first two
    # blocks; telling how each of the 784 pixels varies held the window still.
    tiers = np.zeros(0, dtype=int)
    for start in range(0, len(candidates), TIER_BLOCK):
        block = sampled_block(dataset, rows, candidates[start:start + TIER_BLOCK])
        tiers = np.concatenate([tiers, spreads(block)])
        if np.count_nonzero(tiers == 2) >= limit:
            break
    # The most varying first, in the dataset's order within a tier (a stable sort).
    order = np.argsort(-tiers, kind="stable")[:limit]
    return sorted(candidates[k] for k in order)


def sampled_block(dataset: Dataset, rows: np.ndarray, columns: list[int]) -> np.ndarray:
    """The values of ``columns`` in ``rows``, dense: one gather, not a column at a time
    (a sparse file's column is a walk over every stored value)."""
    X = dataset.X
    if isinstance(X, np.ndarray):
        return X[np.ix_(rows, np.asarray(columns, dtype=int))]
    return np.asarray(X[rows][:, columns].toarray(), dtype=float)


class VisualizeTab(QWidget):
    """The scatter-plot matrix of the current dataset.

    The whole matrix is one plot: each cell is a unit square at (column, row) and each
    attribute is scaled into it, with one scatter item per class. That draws hundreds of
    cells as fast as one, and keeps the number of graphics items small (PySide6 6.12
    crashes at exit when many pyqtgraph scatter items are alive).

    Attribute names sit left of and below the matrix; a nominal attribute's values are
    named above its column and right of its row. The plot is kept as wide as the square
    matrix and its axes need, centred, so the names stay next to the cells they name.

    The attributes shown are the first "Attributes shown" of those ticked in "Select
    attributes..." (kept by name while a filter leaves them in the data), or by default
    of those that vary (``default_columns``). The colour attribute is never a cell.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.dataset: Dataset | None = None
        self.windows: list[QWidget] = []
        self.columns: list[int] = []
        self.chosen: list[str] | None = None  # names ticked by the user; None: default
        # What the box shows is what the matrix draws (iris: 4, its class being the
        # colour); the number asked for is kept, for data with more to draw.
        self.wanted = 5
        self._fitting_size = False
        # The data changed while the tab was hidden: the matrix is drawn when it shows.
        self.stale = False
        # Points still to place (x, y, colour), a few thousand per event-loop turn.
        self.pending_points: list[tuple[np.ndarray, np.ndarray, tuple[int, ...]]] = []
        self.size_box = QSpinBox()
        self.size_box.setRange(2, MAX_SHOWN)
        self.size_box.setValue(self.wanted)
        self.size_box.valueChanged.connect(self._size_asked)
        self.colour_box = QComboBox()
        self.select_button = QPushButton("Select attributes...")
        self.select_button.clicked.connect(self.select_attributes)
        self.update_button = QPushButton("Update")
        self.update_button.clicked.connect(self.redraw)
        row = QHBoxLayout()
        row.addWidget(self.select_button)
        size_label, colour_label = QLabel("Attributes shown:"), QLabel("Colour:")
        row.addWidget(size_label)
        row.addWidget(self.size_box)
        row.addWidget(colour_label)
        row.addWidget(self.colour_box, 1)
        name_by_label(size_label, self.size_box)
        name_by_label(colour_label, self.colour_box)
        row.addWidget(self.update_button)
        self.plot = pg.PlotWidget(background="w")
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.setAspectLocked(True)
        self.plot.scene().sigMouseClicked.connect(self._clicked)
        self.plot.scene().sigMouseMoved.connect(self._hovered)
        # The keyboard's way in: a current cell the arrows move and Return opens.
        self.cell_cursor = MatrixCursor(self.plot)
        self.cell_cursor.opened.connect(self._cell_opened)
        frame_focus(self.plot)   # a Tab stop that showed nothing
        self.column_labels = ColumnLabels([])  # what the bottom axis names the columns
        self.metrics = QFontMetrics(self.plot.getAxis("bottom").style.get("tickFont")
                                    or self.plot.font())
        for side in ("top", "bottom"):
            self.plot.getAxis(side).setHeight(self.metrics.height() + 14)
        self.hint = QLabel(HINT)
        # Wrapped: the line holds the class legend, and glass's seven long class names
        # on one line asked for 1151 px, which made the whole Explorer 1173 px wide
        # the moment glass was loaded (and kept it so for every later dataset).
        self.hint.setWordWrap(True)
        middle = QHBoxLayout()
        middle.addStretch(1)
        middle.addWidget(self.plot, 1000)
        middle.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addLayout(middle, 1)
        layout.addWidget(self.hint)

    def set_dataset(self, dataset: Dataset | None) -> None:
        self.dataset = dataset
        names = [] if dataset is None else [a.name for a in dataset.attributes]
        if dataset is not None and self.chosen is not None:
            present = set(names)
            self.chosen = [name for name in self.chosen if name in present] or None
        default = -1 if dataset is None else (
            dataset.class_index if dataset.class_index is not None
            else dataset.num_attributes - 1)
        fill_combo(self.colour_box, names, default)   # one model reset (combo_fill.py)
        self.redraw_when_shown()

    def redraw_when_shown(self) -> None:
        """Redraw now if the tab is on screen, else when it is next shown.

        Every load, filter and undo sets the dataset of all the tabs; drawing the matrix
        of a tab nobody looks at held the window still for half a second on MNIST
        after each of them."""
        if self.isVisible():
            self.redraw()
        else:
            self.stale = True

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self.stale:
            self.redraw()

    def class_index(self) -> int | None:
        index = self.colour_box.currentIndex()
        return index if index >= 0 else None

    def select_attributes(self) -> AttributeSelection | None:
        """Open WEKA's "Select Attributes": tick the attributes of the matrix. The
        dialog is returned (open, not run) so a test can tick and accept it."""
        ds = self.dataset
        if ds is None:
            return None
        names = [ds.attributes[j].name for j in plot_columns(ds, ds.num_attributes)]
        shown = [ds.attributes[j].name for j in self.columns]
        dialog = AttributeSelection(names, self.chosen if self.chosen is not None else shown,
                                    MAX_SHOWN, self)
        dialog.accepted.connect(lambda: self.show_attributes(dialog.chosen()))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def show_attributes(self, names: Sequence[str]) -> None:
        """Draw the matrix of ``names`` (at most ``MAX_SHOWN`` of them)."""
        self.chosen = list(names) or None
        if names:
            self.wanted = min(max(len(names), 2), MAX_SHOWN)
        self.redraw()

    def _size_asked(self, value: int) -> None:
        if not self._fitting_size:   # the user's number, not one the data allowed
            self.wanted = value

    def candidates(self) -> list[int]:
        """The attributes the matrix may draw: those it can plot, less the colour
        attribute, and of those only the ticked ones once the user has ticked."""
        ds = self.dataset
        assert ds is not None
        cls = self.class_index()
        wanted = None if self.chosen is None else set(self.chosen)
        return [j for j in plot_columns(ds, ds.num_attributes)
                if j != cls and (wanted is None or ds.attributes[j].name in wanted)]

    def _fit_size_box(self, available: int) -> None:
        """Let "Attributes shown" offer no more than ``available`` and show what is
        drawn: the number asked for, or all there are when that is fewer."""
        self._fitting_size = True
        try:
            self.size_box.setRange(min(2, available), max(min(available, MAX_SHOWN), 0))
            self.size_box.setValue(min(self.wanted, self.size_box.maximum()))
        finally:
            self._fitting_size = False

    def shown_columns(self, rows: np.ndarray) -> list[int]:
        """The attributes of the matrix cells, in order (see the class docstring)."""
        ds = self.dataset
        assert ds is not None
        candidates = self.candidates()
        self._fit_size_box(len(candidates))
        cls, limit = self.class_index(), self.size_box.value()
        if self.chosen is None:
            return default_columns(ds, cls, limit, rows)
        return candidates[:limit]

    def cell_points(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Matrix coordinates of every (row, cell): x and y of shape (cells, len(rows))."""
        ds = self.dataset
        assert ds is not None
        n = len(self.columns)
        scaled = [self._scale(j, ds.column(j)[rows].astype(float)) for j in self.columns]
        xs, ys = [], []
        for r in range(n):
            for c in range(n):
                xs.append(c + scaled[c])
                ys.append((n - 1 - r) + scaled[r])
        return np.array(xs), np.array(ys)

    def _scale(self, j: int, v: np.ndarray) -> np.ndarray:
        """Values of attribute ``j`` placed in [0.05, 0.95] of a cell.

        A nominal attribute's declared values, present or not, each get an equal slot,
        the points at its middle, so its name on the axis has the slot's room and never
        meets the names of the next cell's values. A constant numeric attribute sits in
        the middle, where its points cannot be mistaken for the cell's border.
        """
        assert self.dataset is not None
        attribute = self.dataset.attributes[j]
        if attribute.is_nominal:
            return 0.05 + 0.9 * (v + 0.5) / max(attribute.num_values, 1)
        if v.size and not np.isnan(v).all():
            low, high = float(np.nanmin(v)), float(np.nanmax(v))
        else:
            low, high = 0.0, 1.0
        if high == low:  # a constant (a blank pixel): mid-cell, not along its edge line
            return np.where(np.isnan(v), np.nan, 0.5)
        return 0.05 + 0.9 * (v - low) / (high - low)

    def redraw(self) -> None:
        self.stale = False
        self.pending_points = []
        self.plot.clear()
        self.cell_cursor.set_size(0)
        ds = self.dataset
        self.columns = []
        describe(self.plot, "Scatter plot matrix", "No instances to draw")
        if ds is None or ds.num_instances == 0:
            self._name_axes()
            return
        cls = self.class_index()
        rows = sample_rows(ds.num_instances, MAX_POINTS)
        self.columns = self.shown_columns(rows)
        n = len(self.columns)
        if n == 0:
            self._name_axes()
            return
        per_cell = max(1, min(MAX_POINTS, MATRIX_POINTS // (n * n)))
        rows = rows[sample_rows(len(rows), per_cell)]
        xs, ys = self.cell_points(rows)
        if cls is not None and ds.attributes[cls].is_nominal:
            codes = ds.column(cls)[rows]
            groups = [(codes == k, series_colour(k), label)
                      for k, label in enumerate(ds.attributes[cls].values)]
            if np.isnan(codes).any():
                groups.append((np.isnan(codes), MISSING_COLOUR, "missing"))
        else:
            groups = [(np.ones(len(rows), bool), (60, 60, 200), "all")]
        # Rich text: a label is escaped (a class '<=50K' vanished as a tag), a dot stays
        # with its name (no break space) and a wrapped line breaks between entries only.
        legend = " &nbsp;".join(
            f'<span style="color: rgb{tuple(colour)}">&#9679;</span>&nbsp;'
            f'{html_text(label).replace(" ", "&nbsp;")}' for _, colour, label in groups)
        sample = (f"{len(rows)} of {ds.num_instances} instances drawn in each cell (a "
                  f"fixed sample). " if len(rows) < ds.num_instances else "")
        self.hint.setText(f"{legend}&nbsp;&nbsp;&nbsp; {self._shown_note()}{sample}{HINT}")
        names = [ds.attributes[c].name for c in self.columns]
        describe(self.plot, f"Scatter plot matrix of {counted(n, 'attribute')}",
                 f"{', '.join(names)}; coloured by "
                 f"{', '.join(label for _, _, label in groups)}. {sample}{HINT}")
        for mask, colour, _label in groups:
            x, y = xs[:, mask].ravel(), ys[:, mask].ravel()
            keep = ~(np.isnan(x) | np.isnan(y))
            x, y = x[keep], y[keep]
            self.pending_points += [(x[k:k + POINTS_PER_TURN], y[k:k + POINTS_PER_TURN],
                                     tuple(colour)) for k in range(0, x.size, POINTS_PER_TURN)]
        grid_x, grid_y = [], []
        for k in range(n + 1):
            grid_x += [k, k, 0, n]
            grid_y += [0, n, k, k]
        self.plot.addItem(pg.PlotCurveItem(np.array(grid_x, float), np.array(grid_y, float),
                                           connect="pairs", pen=pg.mkPen(160, 160, 160)))
        self._name_axes()
        self.cell_cursor.set_size(n)
        self.plot.setRange(xRange=(0, n), yRange=(0, n), padding=0.02)
        self._place_points()

    @property
    def drawing(self) -> bool:
        """Whether points of the matrix are still to be placed."""
        return bool(self.pending_points)

    def _place_points(self) -> None:
        """Place up to ``POINTS_PER_TURN`` of the pending points, and the rest in later
        turns of the event loop: pyqtgraph takes about 10 microseconds a point, and a
        matrix placed at once held the window still (iris is placed at once)."""
        placed = 0
        while self.pending_points and placed < POINTS_PER_TURN:
            x, y, colour = self.pending_points.pop(0)
            self.plot.addItem(pg.ScatterPlotItem(x=x, y=y, size=3, pen=None,
                                                 brush=pg.mkBrush(*colour, 170)))
            placed += x.size
        if self.pending_points:
            QTimer.singleShot(0, self, self._place_points)

    def _shown_note(self) -> str:
        """Says when the matrix shows fewer attributes than the user ticked."""
        if self.chosen is None or len(self.chosen) <= len(self.columns):
            return ""
        return f"Showing {len(self.columns)} of the {len(self.chosen)} selected attributes. "

    def _elided(self, text: str, pixels: float) -> str:
        return self.metrics.elidedText(text, Qt.TextElideMode.ElideRight, int(pixels))

    def _name_axes(self) -> None:
        """Attribute names left and below, nominal values above and right, sized to fit.

        The left and right axes are given the width of their longest name, and the plot
        the width of a square matrix plus those axes, so no empty band opens between the
        names and the cells. Names are elided to the room the matrix now has.
        """
        ds, n, plot = self.dataset, len(self.columns), self.plot
        if ds is None or n == 0:
            for side in ("left", "bottom"):
                plot.getAxis(side).setTicks(None)
            plot.getAxis("bottom").showLabel(False)
            self.column_labels = ColumnLabels([])
            for side in ("top", "right"):
                plot.showAxis(side, False)
            plot.setMaximumWidth(16_777_215)
            return
        attributes = [ds.attributes[j] for j in self.columns]
        nominal = [a.is_nominal for a in attributes]
        names = [self._elided(a.name, NAME_WIDTH) for a in attributes]
        left = max(self.metrics.horizontalAdvance(name) for name in names) + 14
        values = [label for a in attributes if a.is_nominal for label in a.values]
        right = min(max((self.metrics.horizontalAdvance(v) for v in values), default=0),
                    VALUE_WIDTH) + 14
        plot.showAxis("top", any(nominal))
        plot.showAxis("right", any(nominal))
        plot.getAxis("left").setWidth(left)
        plot.getAxis("right").setWidth(right)
        axes_wide = left + (right if any(nominal) else 0) + 24
        room = max(self.width() - 24, 100)
        bottom = plot.getAxis("bottom")
        line = self.metrics.height()
        for _pass in (1, 2):  # the labels' lines set the axis height, which sets the cells
            axes_high = bottom.height() + (line + 14 if any(nominal) else 0) + 24
            square = max(min(room - axes_wide, plot.height() - axes_high), 60)
            cell = square / n
            labels = column_labels([a.name for a in attributes], cell - 6, self.metrics)
            bottom.setHeight(line * labels.lines + 14)
        plot.setMaximumWidth(square + axes_wide)
        bottom.setTicks([labels.ticks()])
        if labels.prefix:   # said once beside the axis: "pixel_14_…", then "0".."15"
            bottom.setLabel(html_text(f"{labels.prefix}…"))   # axis labels are HTML
        else:
            bottom.showLabel(False)
        self.column_labels = labels
        plot.getAxis("left").setTicks([[(n - 1 - r + 0.5, names[r]) for r in range(n)]])
        top: list[tuple[float, str]] = []
        right_ticks: list[tuple[float, str]] = []
        for k, a in enumerate(attributes):
            if not a.is_nominal:
                continue
            places = self._scale(self.columns[k], np.arange(a.num_values, dtype=float))
            top += nominal_ticks(a.values, k + places, 0.9 * cell, self.metrics, True)
            right_ticks += nominal_ticks(a.values, n - 1 - k + places, 0.9 * cell,
                                         self.metrics, False)
        plot.getAxis("top").setTicks([top])
        plot.getAxis("right").setTicks([right_ticks])

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self._name_axes()

    def cell_at(self, x: float, y: float) -> tuple[int, int] | None:
        """(x attribute, y attribute) of the cell at matrix coordinates, or None."""
        n = len(self.columns)
        c, r = int(np.floor(x)), n - 1 - int(np.floor(y))
        if 0 <= c < n and 0 <= r < n:
            return self.columns[c], self.columns[r]
        return None

    def hover_text(self, x: float, y: float) -> str:
        """The tooltip at scene point (x, y): the whole name of the column under the
        bottom axis or of the row beside the left one (their labels may be cut or
        short), and "x: name, y: name" over a cell."""
        n, plot = len(self.columns), self.plot.getPlotItem()
        if self.dataset is None or n == 0:
            return ""
        point = plot.vb.mapSceneToView(pg.QtCore.QPointF(x, y))
        c, r = int(np.floor(point.x())), n - 1 - int(np.floor(point.y()))
        names = [self.dataset.attributes[j].name for j in self.columns]
        if plot.getAxis("bottom").sceneBoundingRect().contains(x, y):
            return names[c] if 0 <= c < n else ""
        if plot.getAxis("left").sceneBoundingRect().contains(x, y):
            return names[r] if 0 <= r < n else ""
        if 0 <= c < n and 0 <= r < n and plot.vb.sceneBoundingRect().contains(x, y):
            return f"x: {names[c]}, y: {names[r]}"
        return ""

    def _hovered(self, position: Any) -> None:
        text = self.hover_text(position.x(), position.y())
        text = tooltip_text(text)   # attribute names, never HTML
        if text != self.plot.toolTip():
            self.plot.setToolTip(text)

    def _clicked(self, event) -> None:
        point = self.plot.getPlotItem().vb.mapSceneToView(event.scenePos())
        cell = self.cell_at(point.x(), point.y())
        if cell is not None:
            # The keyboard goes on from the cell clicked.
            self.cell_cursor.move_to(self.columns.index(cell[0]), self.columns.index(cell[1]))
            self.open_plot(*cell)

    def _cell_opened(self, column: int, row: int) -> None:
        if 0 <= column < len(self.columns) and 0 <= row < len(self.columns):
            self.open_plot(self.columns[column], self.columns[row])

    def open_plot(self, x: int, y: int) -> ScatterPlot | None:
        if self.dataset is None:
            return None
        window = ScatterPlot(self.dataset, x, y, self.class_index())
        place_window(window, self, 640, 520)
        close_with_keys(window)
        window.show()
        keep_while_open(self.windows, window)
        return window
