"""The Dynamics viewer: how each layer of a network learns, drawn from its recorded dynamics.

The tutorials' lessons are read from four plots that share the epoch axis:

* gradient norm per layer, log scale, one line per layer coloured from the input side
  (dark) to the output side (light): a deep sigmoid network's input layers sit orders
  of magnitude below its output layer (the vanishing gradient), a ReLU network's do not;
* update-to-weight ratio per layer, log scale (about 1e-3 is healthy; far below, the
  layer barely changes);
* a heat map of one layer's activation (or weight) histogram per epoch, the layer chosen
  above it: sigmoid units piling up at 0 and 1 are saturated;
* the share of saturated sigmoid/tanh units and dead ReLU units per layer.

The numbers come from ``model.dynamics_`` (``workbench.engine.dynamics``), which the
training loop fills while it trains. To follow a model in training the view never waits
on the worker: a timer takes a ``snapshot()`` (a consistent copy, made under the
recorder's lock in microseconds) and redraws only when new records arrived.

Why one module of about 540 lines: ``DynamicsView`` is one widget whose live redraw
(spread over event-loop turns, one plot per turn, each plot following the growing epoch
axis in its own step, a user's zoom copied to the others) shares its state with the four
plots it schedules; cutting it apart would pass that state between classes. What does
not share it lives beside it: colours, means, thinning and axes (``dynamics_parts``), the
heat map (``dynamics_heat``), the numbers and the Save-data table (``dynamics_numbers``)
and which recording to show (``dynamics_source``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from workbench.core.progress import ProgressEvent
from workbench.engine.dynamics import TrainingDynamics
from workbench.gui.plots.dynamics_heat import HeatMap, layer_histogram
from workbench.gui.plots.dynamics_numbers import HEADER, numbers_table, summary_line, unit
from workbench.gui.plots.dynamics_parts import (
    MAX_POINTS,
    MIN_PLOT_HEIGHT,
    LogAxis,
    axis_end,
    decades,
    layer_colour,
    legend_html,
    make_plot,
    per_epoch_mean,
    positive,
    thin,
)
from workbench.gui.plots.dynamics_source import (
    WATCH_EVERY,
    WATCH_RECORDS_PER_EPOCH,
    RecordsDynamics,
    dynamics_of,
    dynamics_page_fits,
    has_dynamics,
    record_while_watched,
    why_no_dynamics,
)
from workbench.gui.plots.export import ExportBar
from workbench.gui.widgets.literal import plain_label

# Re-exported: the registry, the Explorer and the tour know these by this module.
__all__ = ["MAX_POINTS", "MIN_PLOT_HEIGHT", "REFRESH_MS", "WATCH_EVERY",
           "WATCH_RECORDS_PER_EPOCH", "DynamicsView", "LogAxis", "RecordsDynamics",
           "dynamics_of", "dynamics_page_fits", "has_dynamics", "layer_colour",
           "per_epoch_mean", "record_while_watched", "why_no_dynamics"]

REFRESH_MS = 500
# The epoch axis runs from a little before 0 to a little past its end (shares of it).
X_MARGIN = 0.01
X_MARGIN_END = 0.04


# The four plots: attribute, title, left axis label, log scale, place in the grid.
_PLOTS = (
    ("grad_widget", "Gradient norm per layer", "gradient norm", True, (0, 0)),
    ("ratio_widget", "Update / weight ratio per layer", "update ratio", True, (0, 1)),
    ("heat_widget", "Activation histogram per epoch", "activation", False, (1, 0)),
    ("share_widget", "Saturated / dead units per layer", "share of units", False, (1, 1)),
)


class DynamicsView(QWidget):
    """Gradient norms, update ratios, activation histograms and dead/saturated shares of
    one network, per layer; also while it trains.

    ``source`` is a fitted model with ``dynamics_``, an ``Evaluation`` of one, a
    ``TrainingDynamics``, or None to wait for a model in training (``on_progress`` picks
    up the model that end-of-epoch reports carry, ``follow`` names one directly).
    ``staged`` builds the plots over the next few turns of the event loop (``ready``
    says when they are all there) instead of at once; ``export_bar`` False leaves out
    the Save buttons (a page of a window that has its own).
    """

    grad_widget: pg.PlotWidget
    ratio_widget: pg.PlotWidget
    heat_widget: pg.PlotWidget
    share_widget: pg.PlotWidget

    def __init__(self, source: Any = None, parent: QWidget | None = None, *,
                 export_bar: bool = True, staged: bool = False) -> None:
        super().__init__(parent)
        self.setWindowTitle("Training dynamics")
        self.model: Any = None
        self.data: TrainingDynamics | None = None  # the snapshot drawn now
        self._fixed: TrainingDynamics | None = None  # a source given as dynamics itself
        self.redraws = 0
        self._layer_signature: tuple[str, ...] = ()
        self.note = plain_label("")
        self.note.setWordWrap(True)
        self.summary = plain_label("")
        self.summary.setWordWrap(True)
        self.legend = QLabel("")
        self.legend.setWordWrap(True)
        self.layer_box = QComboBox()
        self.layer_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.layer_box.setMinimumContentsLength(12)
        self.layer_box.setToolTip("The layer whose histogram the heat map below shows")
        self.kind_box = QComboBox()
        self.kind_box.addItems(["activations", "weights"])
        self.smooth_box = QCheckBox("Mean per epoch")
        self.smooth_box.setToolTip("Draw each epoch's mean of the recorded steps (on) or "
                                   "every recorded step (off)")
        self.smooth_box.setChecked(True)
        self.smooth_box.toggled.connect(lambda _on: self.redraw())
        self.layer_box.currentIndexChanged.connect(lambda _i: self._draw_heat_map())
        self.kind_box.currentIndexChanged.connect(lambda _i: self._draw_heat_map())

        # The epoch axis follows training until the user zooms or pans one of the plots.
        self.user_zoomed = False
        self.heat = HeatMap()
        self.grad_items: list[pg.PlotDataItem] = []
        self.ratio_items: list[pg.PlotDataItem] = []
        self.share_items: list[pg.PlotDataItem] = []
        self._unit_shown = "epoch"  # what the bottom axes count: epochs or iterations
        # What each line shows now (by the item's id), so a redraw skips unchanged ones;
        # and how many lines were actually set, for the tests.
        self._shown: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self.line_updates = 0
        self._hidden_refresh = False  # a refresh came while a hidden tab held the view

        # "Layer:", not "Histogram of layer:": beside the kind box, in half the Watch
        # window's width, the longer label left the layer's name cut ("1 Dense 64-37 s").
        chooser = QHBoxLayout()
        chooser.addWidget(QLabel("Layer:"))
        chooser.addWidget(self.layer_box, 1)
        chooser.addWidget(self.kind_box)
        heat_box = QWidget()
        heat_layout = QVBoxLayout(heat_box)
        heat_layout.setContentsMargins(0, 0, 0, 0)
        heat_layout.addLayout(chooser)
        self.grid = QGridLayout()
        self.heat_layout = heat_layout
        # Each plot costs tens of milliseconds to build (more while training holds the
        # interpreter): a page of the Watch window, rebuilt for each model in training,
        # builds one plot per turn of the event loop so the window never stalls for long.
        self._slots: dict[str, QWidget] = {}
        for name, _title, _left, _log, (row, column) in _PLOTS:
            holder = QWidget()
            holder.setMinimumHeight(MIN_PLOT_HEIGHT)
            self._slots[name] = holder
            if name == "heat_widget":
                heat_layout.addWidget(holder, 1)
            else:
                self.grid.addWidget(holder, row, column)
        self.grid.addWidget(heat_box, 1, 0)
        for i in (0, 1):  # two rows and two columns of equal size, whatever is built yet
            self.grid.setRowStretch(i, 1)
            self.grid.setColumnStretch(i, 1)
        self._to_build = [spec[0] for spec in _PLOTS]
        self._builder = QTimer(self)
        self._builder.setSingleShot(True)
        self._builder.setInterval(0)
        self._builder.timeout.connect(self._build_next)
        self._steps: list[Callable[[], None]] = []  # what is left of a spread redraw
        self._stepper = QTimer(self)
        self._stepper.setSingleShot(True)
        self._stepper.setInterval(0)
        self._stepper.timeout.connect(self._next_step)
        self._refresh_wanted = False
        self._staged = staged
        # The end of the epoch axis to show, and the end each plot shows: each plot
        # follows it in its own step of a redraw (a new range repaints a plot whole).
        self._x_end: float | None = None
        self._x_ends: dict[Any, float] = {}
        self._y_decades: dict[Any, tuple[int, int]] = {}  # log axes' ranges shown
        self.plots = QWidget()
        self.plots.setLayout(self.grid)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.summary)
        layout.addWidget(self.plots, 1)
        layout.addWidget(self.legend)
        bottom = QHBoxLayout()
        bottom.addWidget(self.smooth_box)
        bottom.addStretch(1)
        if export_bar:  # a page of the weights window saves through the window's own bar
            bottom.addWidget(ExportBar(self, self.table))
        layout.addLayout(bottom)

        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        if staged:
            self._builder.start()
        else:
            while self._to_build:
                self._build_next()
        if isinstance(source, TrainingDynamics):
            self._fixed = source
            self.refresh()
        elif source is not None and not hasattr(source, "dynamics_") \
                and hasattr(source, "model"):
            self.follow(source.model)  # an Evaluation: its model
        else:
            self.follow(source)

    def sizeHint(self) -> QSize:
        """Room for the four plots side by side in pairs, each wide enough for its title
        and every epoch's tick, and for the legend under them (a window opened at its
        size hint shows all of it; pyqtgraph's own hint, 600x480 a plot, is more than a
        laptop screen)."""
        return QSize(1000, 700)

    @property
    def ready(self) -> bool:
        """True once every plot is built (at once, or over a few event-loop turns)."""
        return not self._to_build

    def _build_next(self) -> None:
        """Build the next plot into its place; after the last, draw what is waiting."""
        if not self._to_build:
            if self._refresh_wanted:  # the first drawing, on a turn of its own
                self._refresh_wanted = False
                self.refresh()
            return
        name = self._to_build.pop(0)
        title, left, log = next((t, y, lg) for n, t, y, lg, _at in _PLOTS if n == name)
        widget = make_plot(title, left, log)
        setattr(self, name, widget)
        plot = widget.getPlotItem()
        if name == "heat_widget":
            plot.addItem(self.heat.image)
            widget.setToolTip("One column per epoch (per iteration under L-BFGS), one row "
                              "per histogram bin: the darker the cell, the larger the "
                              "share of values in that bin (colour by square root of the "
                              "share). An epoch without a record shows the nearest one "
                              "that has one.")
        if name == "share_widget":
            plot.setYRange(0, 1, padding=0.02)
        # The plots share the epoch axis: zooming or panning one moves the others.
        plot.getViewBox().sigRangeChangedManually.connect(
            lambda *_, shown=widget: self._zoomed_by_user(shown))
        holder = self._slots.pop(name)
        container = self.heat_layout if name == "heat_widget" else self.grid
        container.replaceWidget(holder, widget)
        holder.deleteLater()
        if self._staged and (self._to_build or self._refresh_wanted):
            self._builder.start()
        elif self._refresh_wanted:
            self._refresh_wanted = False
            self.refresh()

    # Feeding ------------------------------------------------------------------------------
    def follow(self, model: Any) -> None:
        """Show ``model``'s dynamics from now on (a model in training, or a fitted one)."""
        if model is not self.model or self._fixed is not None:
            self.model, self._fixed = model, None
            self.data, self._x_ends, self._y_decades = None, {}, {}
        self.refresh()

    def on_progress(self, event: ProgressEvent) -> None:
        """Slot for ``Job.progress``: follow the model the report names; the timer draws."""
        values = event.values
        if "epoch" not in values:
            return
        model = values.get("model")
        if model is not None and model is not self.model:
            self.model = model
            self.data, self._x_ends, self._y_decades = None, {}, {}
        if not self.timer.isActive():
            self.timer.start()

    def start_live(self) -> None:
        """Poll the followed model's dynamics until ``stop_live``."""
        if not self.timer.isActive():
            self.timer.start()

    def stop_live(self, final: Any = None) -> None:
        """Training ended: stop polling and draw the final state: of ``final`` when given
        (the model the run kept, or its ``TrainingDynamics``)."""
        self.timer.stop()
        if isinstance(final, TrainingDynamics):
            self._fixed, self.data, self._x_ends, self._y_decades = final, None, {}, {}
            self.refresh()
        elif final is not None:
            self.follow(final)
        else:
            self.refresh()

    # Drawing ------------------------------------------------------------------------------
    def current(self) -> TrainingDynamics | None:
        """A consistent copy of what the followed model has recorded so far."""
        if self._fixed is not None:
            return self._fixed
        found = dynamics_of(self.model) if self.model is not None else None
        if found is None:
            return None
        if self.data is not None and found.records == self.data.records:
            return self.data  # nothing new: no copy
        # The copy reuses the finished rows of the one drawn now: only new records are
        # computed, however long training has run.
        return found.snapshot(since=self.data)

    def on_show(self) -> bool:
        """False while a page holding the view is hidden (a tab of a window that is not
        the current one): nobody sees it, so it draws when it is shown again."""
        widget: QWidget | None = self
        while widget is not None and not widget.isWindow():
            if widget.isHidden():
                return False
            widget = widget.parentWidget()
        return True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._hidden_refresh:
            self._hidden_refresh = False
            self.refresh()

    def refresh(self) -> None:
        """Redraw when new records arrived (cheap to call often: the timer does)."""
        if not self.on_show():
            self._hidden_refresh = True  # not even a snapshot while nobody looks
            return
        data = self.current()
        if data is None or data.records == 0:
            self.data = data
            self._show_note(why_no_dynamics(self.model) if self._fixed is None
                            else "No training step was recorded.")
            return
        if not self.ready:
            self._refresh_wanted = True  # drawn once the last plot is built
            return
        if data is self.data and self.redraws:
            return  # nothing new since the last drawing
        self.data = data
        self.redraw(spread=self._training())

    def _show_note(self, text: str) -> None:
        self.note.setText(text)
        self.note.setVisible(True)
        self.plots.setVisible(False)
        self.summary.setVisible(False)
        self.legend.setVisible(False)

    def redraw(self, spread: bool = False) -> None:
        """Draw ``data``: only the lines, heat map, ranges and texts that changed.

        ``spread`` (while the model trains) draws one plot per turn of the event loop,
        so Qt paints each before the next changes: four plots repainted in one turn,
        while the worker holds the interpreter, were the window's longest stall.
        """
        data = self.data
        if data is None or not self.ready:
            return
        self.redraws += 1
        for widget, shown in ((self.note, False), (self.plots, True), (self.summary, True),
                              (self.legend, True)):
            if widget.isHidden() == shown:
                widget.setVisible(shown)
        names = tuple(data.layer_names)
        if names != self._layer_signature:
            self._rebuild_layers(names)
        if unit(data) != self._unit_shown:
            self._unit_shown = unit(data)
            for widget in (self.grad_widget, self.ratio_widget, self.heat_widget,
                           self.share_widget):
                widget.getPlotItem().setLabel("bottom", self._unit_shown)
            self.smooth_box.setText(f"Mean per {self._unit_shown}")
        x, grad, ratio, saturated, dead = self.lines()
        kinds = data.layer_kinds
        grad, ratio = positive(grad), positive(ratio)
        # While the model trains the epoch axis grows in steps (1, 2, 5, 10, 20, ...),
        # not with every record: a new range repaints a plot whole, axes and all.
        last = float(x[-1]) if len(x) else 0.0
        self._x_end = (None if not len(x) else axis_end(last) if self._training()
                       else float(max(math.ceil(last - 1e-9), 1)))

        def shares() -> None:
            self._follow_epochs(self.share_widget)
            for i, item in enumerate(self.share_items):
                share = saturated[:, i] if kinds[i] in ("sigmoid", "tanh") else dead[:, i]
                if self._set_line(item, x, share):
                    item.setVisible(bool(np.isfinite(share).any()))

        steps = [lambda: self._draw_log_plot(self.grad_widget, self.grad_items, x, grad),
                 lambda: self._draw_log_plot(self.ratio_widget, self.ratio_items, x, ratio),
                 shares, self._draw_heat_map, self._finish_redraw]
        self._steps = steps if spread else []
        if spread:
            self._stepper.start()
        else:
            for step in steps:
                step()

    def _next_step(self) -> None:
        """One step of a spread redraw; the rest on the next turns of the event loop."""
        if self._steps:
            self._steps.pop(0)()
        if self._steps:
            self._stepper.start()

    def _draw_log_plot(self, widget: pg.PlotWidget, items: list[pg.PlotDataItem],
                       x: np.ndarray, values: np.ndarray) -> None:
        self._follow_epochs(widget)
        for i, item in enumerate(items):
            self._set_line(item, x, values[:, i])
        if not self.user_zoomed:
            # Whole decades on the log axes: the range (and so the axis, whose text is
            # the costly part of a repaint) changes only when a line leaves its decades.
            shown = decades(values)
            if shown is not None and shown != self._y_decades.get(widget):
                self._y_decades[widget] = shown
                widget.getPlotItem().setYRange(*shown, padding=0.08)  # room for end labels

    def _finish_redraw(self) -> None:
        """The summary line, once every plot is drawn."""
        text = self.summary_text()
        if text != self.summary.text():
            self.summary.setText(text)
            # The line wraps to more or fewer rows as its numbers change; the plots
            # below keep their size (a resized plot repaints whole, axes and all), so
            # the label keeps the most rows it needed.
            rows = self.summary.heightForWidth(max(self.summary.width(), 1))
            if rows > self.summary.minimumHeight():
                self.summary.setMinimumHeight(rows)

    def _set_line(self, item: pg.PlotDataItem, x: np.ndarray, y: np.ndarray) -> bool:
        """Give ``item`` the line ``(x, y)``, thinned to ``MAX_POINTS``; nothing when it
        already shows that line (a redraw repaints only what changed). True if set."""
        x, y = thin(x, y)
        shown = self._shown.get(id(item))
        if shown is not None and np.array_equal(shown[0], x) \
                and np.array_equal(shown[1], y, equal_nan=True):
            return False
        self._shown[id(item)] = (x, y)
        item.setData(x, y, connect="finite")
        self.line_updates += 1
        return True

    def _training(self) -> bool:
        """True while the followed model trains (its ``history_`` is set at the end)."""
        return self._fixed is None and self.model is not None \
            and getattr(self.model, "history_", None) is None

    def lines(self) -> tuple[np.ndarray, ...]:
        """The x positions and the (points, layers) gradient norms, update ratios,
        saturated and dead shares: every record, or the mean of each epoch that has a
        record (an epoch without one is no point, so the line joins its neighbours;
        before the lines are thinned to ``MAX_POINTS``)."""
        data = self.data
        assert data is not None
        series = [data.grad_norm, data.update_ratio, data.saturated, data.dead]
        if not self.smooth_box.isChecked():
            return (data.epochs, *series)
        epochs, means = per_epoch_mean(data.epochs, np.concatenate(series, axis=1),
                                       recorded_only=True)
        return (epochs.astype(np.float64), *np.split(means, len(series), axis=1))

    def _plot_widgets(self) -> tuple[pg.PlotWidget, ...]:
        return self.grad_widget, self.ratio_widget, self.heat_widget, self.share_widget

    def _zoomed_by_user(self, source: pg.PlotWidget) -> None:
        """The user zoomed or panned ``source``: the view stops following training, and
        the other plots show the same epochs."""
        self.user_zoomed = True
        if not self.ready:
            return
        low, high = source.getPlotItem().getViewBox().viewRange()[0]
        for widget in self._plot_widgets():
            if widget is not source:
                widget.getPlotItem().setXRange(low, high, padding=0)

    def _follow_epochs(self, widget: pg.PlotWidget) -> None:
        """Give ``widget`` the epoch axis this redraw chose, unless it shows it already or
        the user zoomed."""
        end = self._x_end
        if end is not None and not self.user_zoomed and self._x_ends.get(widget) != end:
            self._x_ends[widget] = end
            # Room past the last epoch for its tick's label, which pyqtgraph leaves out
            # when it would stick out of the axis: the epoch the lessons quote is named.
            widget.getPlotItem().setXRange(-X_MARGIN * end, (1 + X_MARGIN_END) * end,
                                           padding=0)

    def _rebuild_layers(self, names: tuple[str, ...]) -> None:
        """One line per layer in each plot, and the legend and chooser that name them."""
        for widget, items in ((self.grad_widget, self.grad_items),
                              (self.ratio_widget, self.ratio_items),
                              (self.share_widget, self.share_items)):
            for item in items:
                widget.getPlotItem().removeItem(item)
            items.clear()
        self._shown.clear()
        data = self.data
        assert data is not None
        for i in range(len(names)):
            colour = layer_colour(i, len(names))
            pen = pg.mkPen(colour, width=2)
            self.grad_items.append(self.grad_widget.plot([], [], pen=pen))
            self.ratio_items.append(self.ratio_widget.plot([], [], pen=pen))
            share_pen = pg.mkPen(colour, width=2,
                                 style=pg.QtCore.Qt.PenStyle.DashLine
                                 if data.layer_kinds[i] == "relu" else
                                 pg.QtCore.Qt.PenStyle.SolidLine)
            self.share_items.append(self.share_widget.plot([], [], pen=share_pen))
        self.legend.setText(legend_html(names, data.layer_kinds))
        previous = self.layer_box.currentIndex()
        self.layer_box.blockSignals(True)
        self.layer_box.clear()
        self.layer_box.addItems(list(names))
        self.layer_box.setCurrentIndex(min(max(previous, 0), len(names) - 1))
        for i, name in enumerate(names):  # the whole name, where the box cuts it
            self.layer_box.setItemData(i, name, Qt.ItemDataRole.ToolTipRole)
        # The list opens wide enough for every whole name, however narrow the box.
        popup = self.layer_box.view()
        popup.setMinimumWidth(popup.sizeHintForColumn(0) + 2 * popup.frameWidth()
                              + popup.verticalScrollBar().sizeHint().width())
        self.layer_box.blockSignals(False)
        self._layer_signature = names

    def heat_map(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """What the heat map shows: ``(epochs, bin edges, shares)`` of the chosen layer and
        kind, shares ``(epochs, bins)`` (NaN for an epoch without a record)."""
        return layer_histogram(self.data, self.layer_box.currentIndex(),
                               self.kind_box.currentText() == "weights")

    @property
    def heat_rgb(self) -> np.ndarray:
        """The heat map's pixels now: (bins, epochs, 3)."""
        return self.heat.rgb

    def _draw_heat_map(self) -> None:
        if not self.ready:
            return
        self._follow_epochs(self.heat_widget)
        what = self.kind_box.currentText()
        per = f"per {unit(self.data)}"
        title = f"{what.capitalize()} of {self.layer_box.currentText()} {per}"
        short = f"{what.capitalize()} of layer {self.layer_box.currentIndex() + 1} {per}"
        self.heat.draw(self.heat_widget.getPlotItem(), self.heat_map(), title,
                       "weight" if what == "weights" else "activation", short)

    def summary_text(self) -> str:
        """The vanishing-gradient reading in one line (``dynamics_numbers``)."""
        return summary_line(self.data)

    def table(self) -> tuple[list[str], list[list[Any]]]:
        """Every number drawn: the per-layer lines (each record, or each epoch's mean, as
        shown), then the heat map's shares per epoch and bin."""
        data = self.data
        if data is None or data.records == 0:
            return list(HEADER), []
        return list(HEADER), numbers_table(data, self.lines(), self.smooth_box.isChecked(),
                                           self.heat_map(), self.layer_box.currentText(),
                                           self.kind_box.currentText())
