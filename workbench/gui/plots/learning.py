"""Learning curves: loss and accuracy per epoch, for training and validation data.

A finished model is drawn from its ``history_``; a model in training is drawn from the
progress events its training loop sends at the end of each epoch (``epoch``, ``loss``,
``val_loss``, ``val_accuracy``). Events only append numbers; a timer redraws at most a
few times a second, so a fast training loop is never held up by drawing. When the epoch
number starts again at 1 (the next fold of a cross-validation), a new run begins. The
early-stopping point (the epoch whose weights were kept) is marked with a line.

A network trained by L-BFGS reports one point per iteration over all rows, not per
epoch; the axis and the status line then say "iteration", as its report does. The
status line names the fold a cross-validation is on, since the curve restarts with each.
A learner whose loss is something else names it (``loss_name``: the perceptron's is the
training error rate), and the y axis, legend and status line say that instead.
A new run's first redraw resets the x axis to its first steps: pyqtgraph centres a lone
point in the width it showed last (-200 to 200 iterations after a 400-iteration fold).

The view is compact, because the Explorer shows it live in a third of a laptop screen:
no titles (the y axis names the plot), the legend inside the plot in the corner a
falling loss and a rising accuracy leave free, the x-axis label on the lower plot only,
and the status line beside the export buttons.

A flow's cross-validation trains one model per fold and none on all the data, so there
is no one curve to show: ``show_folds`` puts a fold chooser beside the status line
(the last fold first), and the status names the fold drawn.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from workbench.core.counts import counted
from workbench.core.progress import ProgressEvent
from workbench.evaluation.learning import SERIES, LearningCurve, learning_curve, loss_name
from workbench.gui.plots.export import ExportBar
from workbench.gui.widgets.colours import hint_style
from workbench.gui.widgets.literal import plain_label
from workbench.gui.widgets.palette_follow import keep_style
from workbench.gui.widgets.screen_reader import describe
from workbench.gui.widgets.status import ElidedLabel

REDRAW_MS = 250
MIN_PLOT_HEIGHT = 110  # enough for three y ticks and the x axis (there is no title)
_PENS = {"loss": ((31, 119, 180), "training loss"),
         "val_loss": ((214, 39, 40), "validation loss"),
         "accuracy": ((31, 119, 180), "training accuracy"),
         "val_accuracy": ((214, 39, 40), "validation accuracy")}


def step_unit(model: Any) -> str:
    """What one point of ``model``'s learning curve is, as the learner says
    (``MultilayerPerceptron.step_unit``: "iteration" under L-BFGS); "epoch" for the
    others and for bare histories."""
    unit = getattr(model, "step_unit", "epoch")
    return unit if isinstance(unit, str) else "epoch"


def _event_unit(event: ProgressEvent) -> str | None:
    """The step unit of the model a training report carries; None when it carries none."""
    model = event.values.get("model")
    return step_unit(model) if model is not None else None


INSIDE_MARGINS = (2, 2, 2, 2)  # px, inside another pane: the Classify tab, a Flow viewer


class LearningCurveView(QWidget):
    """Loss (top) and accuracy (bottom) per epoch.

    ``source`` is a fitted classifier with ``history_``, an engine ``History``, a
    ``LearningCurve``, or None to start empty and follow ``on_progress`` live.
    """

    def __init__(self, source: Any = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Learning curves")
        self.series: dict[str, list[float]] = {name: [] for name in SERIES}
        self.best_epoch: int | None = None
        self.unit = "epoch"  # what one point is: "epoch", or "iteration" under L-BFGS
        self.loss_name = "loss"  # what the loss curve measures ("error rate": perceptron)
        self.run = 1
        self.stage = ""  # the fold the live curve is of ("fold 6/10"), as reported
        self._new_run = False  # the x axis still shows the last run's width
        self.redraws = 0
        self._dirty = False
        # Elided, never wider than its room: the line grows with the run ("fold 10/10:
        # 500 iterations, training loss ..., validation loss ...; best iteration ..."),
        # and a plain label's width would become the Explorer window's minimum mid-run.
        self.status = ElidedLabel(" ")
        # Two plot widgets, each with a floor on its height, rather than one graphics
        # layout: squeezed to 15 px, a plot's tick labels print over each other, and an
        # accuracy plot with nothing to draw can be hidden (the note below says why).
        self.loss_widget = pg.PlotWidget(background="w")
        self.acc_widget = pg.PlotWidget(background="w")
        for widget in (self.loss_widget, self.acc_widget):
            widget.setMinimumHeight(MIN_PLOT_HEIGHT)
        self.loss_plot = self.loss_widget.getPlotItem()
        self.acc_plot = self.acc_widget.getPlotItem()
        self.acc_plot.setXLink(self.loss_plot)
        self.acc_note = plain_label()
        self.name_validation_parameter(None)
        self.acc_note.setWordWrap(True)
        keep_style(self.acc_note, hint_style)
        # Inside the plot, in the corner the curve leaves free: a loss falls away from
        # the top right, an accuracy rises away from the bottom right. The translucent
        # box keeps a curve that does run there visible.
        corners = {"loss": (-6, 6), "accuracy": (-6, -6)}
        for plot, name in ((self.loss_plot, "loss"), (self.acc_plot, "accuracy")):
            plot.setLabel("left", name)
            plot.showGrid(x=True, y=True, alpha=0.2)
            plot.getAxis("left").enableAutoSIPrefix(False)
            plot.addLegend(offset=corners[name], labelTextColor="k", labelTextSize="8pt",
                           brush=pg.mkBrush(255, 255, 255, 200),
                           pen=pg.mkPen(200, 200, 200), verSpacing=-4)
        self._x_axis: tuple[str, bool] | None = None  # (unit, accuracy shown) as labelled
        self._name_x_axis(False)
        self.items: dict[str, pg.PlotDataItem] = {}
        for name, (colour, _label) in _PENS.items():
            plot = self.loss_plot if "loss" in name else self.acc_plot
            self.items[name] = plot.plot([], [], pen=pg.mkPen(colour, width=2),
                                         symbolBrush=colour, symbolPen=colour,
                                         symbolSize=7)
        pen = pg.mkPen((44, 160, 44), width=1, style=pg.QtCore.Qt.PenStyle.DashLine)
        self.best_lines = [pg.InfiniteLine(angle=90, pen=pen, movable=False)
                           for _ in range(2)]
        for plot, line in zip((self.loss_plot, self.acc_plot), self.best_lines, strict=True):
            plot.addItem(line)
            line.setVisible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(*INSIDE_MARGINS)
        layout.setSpacing(2)
        layout.addWidget(self.loss_widget, 1)
        layout.addWidget(self.acc_widget, 1)
        layout.addWidget(self.acc_note)
        bottom = QHBoxLayout()  # the status and the export buttons share one line
        # After a cross-validation: which fold's model to draw (``show_folds``).
        self.fold_models: list[Any] = []
        self.fold_choice = QComboBox()
        self.fold_choice.setAccessibleName("Fold")
        self.fold_choice.setToolTip("A cross-validation trains one model per fold, and "
                                    "none on all the data: each fold has its own curve.")
        self.fold_choice.setVisible(False)
        self.fold_choice.currentIndexChanged.connect(self._show_fold)
        self.fold_label = QLabel("One model per fold:")
        self.fold_label.setToolTip(self.fold_choice.toolTip())
        self.fold_label.setBuddy(self.fold_choice)
        self.fold_label.setVisible(False)
        bottom.addWidget(self.fold_label)
        bottom.addWidget(self.fold_choice)
        bottom.addWidget(self.status, 1)
        bottom.addWidget(ExportBar(self, self.table))
        layout.addLayout(bottom)
        # A floor that holds whether the accuracy plot is shown or not: a parent laying
        # out around this view (the Explorer's Classify tab) never has to make room in
        # mid-run because accuracy started to arrive.
        self.setMinimumHeight(2 * MIN_PLOT_HEIGHT + bottom.sizeHint().height()
                              + 2 * layout.spacing() + 4)
        self.acc_widget.setVisible(False)  # until an accuracy arrives
        self.acc_note.setVisible(False)
        self.timer = QTimer(self)
        self.timer.setInterval(REDRAW_MS)
        self.timer.timeout.connect(self._redraw_if_dirty)
        if source is not None:
            self.set_history(source)

    def showEvent(self, event: QShowEvent) -> None:
        self._fit_margins()
        super().showEvent(event)

    def _fit_margins(self) -> None:
        """A window of its own gets the margins every viewer window has (the style's):
        with 2 px the plots and the Save buttons sat against the window's edges. Inside
        another pane, whose own margins surround it, 2 px keep the live curves large in
        the Classify tab."""
        layout = self.layout()
        if layout is None:
            return
        if self.isWindow():
            layout.unsetContentsMargins()
        else:
            layout.setContentsMargins(*INSIDE_MARGINS)

    def name_validation_parameter(self, name: str | None, auto: str | None = None) -> None:
        """Say, when only a loss arrives, which of the learner's parameters holds out
        validation data ("Validation percent" for the MLP, "Validation fraction" for
        the CNN and RNN), or nothing where it has none.

        ``auto`` is the rule the parameter follows when it reads "auto" (the DBN's: "0.2
        from 100 to 2000 labelled instances with automatic epochs, else 0"): the note
        then says that auto held nothing out for this run, instead of asking for a
        value above 0 as if the field read 0. (Where auto holds data out, accuracy
        arrives and the note is not shown.)"""
        text = "No accuracy to draw: this training reports only its loss."
        if name and auto:
            text += (f" {name} is auto, which held out no data for this run (auto: {auto});"
                     f" set it above 0 to hold out validation data and follow its "
                     f"accuracy.")
        elif name:
            text += f" Set {name} above 0 to hold out validation data and follow its accuracy."
        self.acc_note.setText(text)

    # Feeding -----------------------------------------------------------------------------
    def set_history(self, source: Any) -> None:
        """Show a finished run (classifier, History or LearningCurve)."""
        curve = source if isinstance(source, LearningCurve) else learning_curve(source)
        self.unit = step_unit(source)
        self._name_loss(curve.loss_name if curve is not None else "loss")
        self.series = {name: [] for name in SERIES}
        self.best_epoch = None
        self.stage = ""
        self._new_run = True
        if curve is not None:
            for name, values in curve.series.items():
                self.series[name] = [float(v) for v in values]
            self.best_epoch = curve.best_epoch
        self.redraw()

    def show_folds(self, models: Sequence[Any], labels: Sequence[str]) -> None:
        """Show a cross-validation's models, one per fold, each with its own curve: the
        chooser picks the fold drawn, the last one first (the one a live view ended
        on)."""
        self.fold_models = list(models)
        self.fold_choice.blockSignals(True)
        self.fold_choice.clear()
        self.fold_choice.addItems(list(labels))
        self.fold_choice.setCurrentIndex(len(self.fold_models) - 1)
        self.fold_choice.blockSignals(False)
        self.fold_choice.setVisible(len(self.fold_models) > 1)
        self.fold_label.setVisible(len(self.fold_models) > 1)
        self._show_fold(len(self.fold_models) - 1)

    def _show_fold(self, index: int) -> None:
        if not 0 <= index < len(self.fold_models):
            return
        self.set_history(self.fold_models[index])
        self.stage = self.fold_choice.itemText(index)
        self.redraw()   # the status line names the fold

    def on_progress(self, event: ProgressEvent) -> None:
        """Slot for ``Job.progress``: take an end-of-epoch report, redraw later."""
        values = event.values
        if "epoch" not in values or "loss" not in values:
            return  # a batch report, or a report from something other than training
        epoch = int(values["epoch"])
        if epoch <= len(self.series["loss"]) and epoch == 1:
            self.run += 1  # the next fold or run starts over
            self.fold_models = []   # a re-run: the last run's folds are gone
            self.fold_choice.setVisible(False)
            self.fold_label.setVisible(False)
            self.series = {name: [] for name in SERIES}
            self.best_epoch = None
            self._new_run = True
        stage = values.get("stage")
        self.stage = stage if isinstance(stage, str) else ""
        self.unit = _event_unit(event) or self.unit
        if "model" in values:
            self._name_loss(loss_name(values["model"]))
        for name in ("loss", "accuracy", "val_loss", "val_accuracy"):
            if name in values:
                self.series[name].append(float(values[name]))
        monitor = "val_loss" if self.series["val_loss"] else "loss"
        series = self.series[monitor]
        self.best_epoch = int(np.argmin(series)) + 1 if series else None
        self._dirty = True
        if not self.timer.isActive():
            self.timer.start()

    def _name_loss(self, name: str) -> None:
        """Call the loss what the learner says it is, on the y axis and in the legend
        (whose entries are made again with the new name at the next redraw)."""
        if name == self.loss_name:
            return
        self.loss_name = name
        self.loss_plot.setLabel("left", name)
        legend = self.loss_plot.legend
        for name_ in ("loss", "val_loss"):
            legend.removeItem(self.items[name_])

    def _label(self, name: str) -> str:
        """The legend's words for a series: "training loss", "training error rate"..."""
        label = _PENS[name][1]
        return label.replace("loss", self.loss_name) if "loss" in name else label

    def stop_live(self) -> None:
        """Draw what arrived and stop the redraw timer (the job is done)."""
        self.timer.stop()
        self._redraw_if_dirty()

    # Drawing -----------------------------------------------------------------------------
    def _redraw_if_dirty(self) -> None:
        if self._dirty:
            self.redraw()

    def redraw(self) -> None:
        self._dirty = False
        self.redraws += 1
        for name, item in self.items.items():
            values = self.series.get(name, [])
            item.setData(np.arange(1, len(values) + 1), np.asarray(values, dtype=float))
            # A lone first point draws no line: a dot shows it until the second epoch
            # (each fold starts over, and a slow fold's first epoch showed an empty plot).
            item.setSymbol("o" if len(values) == 1 else None)
            # The legend names what this run has drawn ("validation loss" once there is
            # validation data): an entry left from an earlier run would name a line
            # that is not there. (A redraw runs from the timer, never inside a paint.)
            legend = (self.loss_plot if "loss" in name else self.acc_plot).legend
            listed = any(sample.item is item for sample, _label in legend.items)
            if values and not listed:
                legend.addItem(item, self._label(name))
            elif listed and not values:
                legend.removeItem(item)
        if self._new_run:
            self._new_run = False
            self._restart_x_axis()
        for line in self.best_lines:
            line.setVisible(self.best_epoch is not None)
            if self.best_epoch is not None:
                line.setValue(self.best_epoch)
        has_accuracy = bool(self.series["accuracy"] or self.series["val_accuracy"])
        self.acc_widget.setVisible(has_accuracy)
        self.acc_note.setVisible(not has_accuracy and bool(self.series["loss"]))
        self._name_x_axis(has_accuracy)
        steps = len(self.series["loss"])
        text = (f"{self.stage}: " if self.stage else "") + counted(steps, self.unit)
        if self.series["loss"]:
            text += f", {self._label('loss')} {self.series['loss'][-1]:.4g}"
        if self.series["val_loss"]:
            text += f", {self._label('val_loss')} {self.series['val_loss'][-1]:.4g}"
        if self.best_epoch is not None:
            text += f"; best {self.unit} {self.best_epoch}"
        self.status.setText(text)
        describe(self.loss_widget, "Loss curve", text)
        accuracy = [f"{self._label(n)} {self.series[n][-1]:.4g}"
                    for n in ("accuracy", "val_accuracy") if self.series[n]]
        describe(self.acc_widget, "Accuracy curve",
                 f"{counted(steps, self.unit)}, " + ", ".join(accuracy) if accuracy else "")

    def _restart_x_axis(self) -> None:
        """Show steps 0 to 2 and follow the data again: a lone first point is centred
        in the last width shown, so this keeps it at 0 to 2 instead of -200 to 200, and
        the axis grows with the run from there (the accuracy plot follows, linked)."""
        box = self.loss_plot.getViewBox()
        box.setXRange(0, 2, padding=0)
        box.enableAutoRange(x=True)

    def _name_x_axis(self, has_accuracy: bool) -> None:
        """Name the shared x axis once, under the lower plot, in the run's own unit."""
        shown = (self.unit, has_accuracy)
        if shown == self._x_axis:
            return  # unchanged: relabelling would lay the plots out again on every redraw
        self._x_axis = shown
        for plot, lower in ((self.loss_plot, not has_accuracy), (self.acc_plot, True)):
            plot.setLabel("bottom", self.unit)
            plot.showLabel("bottom", lower)

    def points(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """The (epoch, value) points drawn for a series, as a test or export reads them."""
        x, y = self.items[name].getData()
        if x is None:
            return np.zeros(0), np.zeros(0)
        return np.asarray(x), np.asarray(y)

    def table(self) -> tuple[list[str], list[list[Any]]]:
        names = [n for n in ("loss", "accuracy", "val_loss", "val_accuracy")
                 if self.series[n]]
        length = max((len(self.series[n]) for n in names), default=0)
        rows = [[e + 1, *[self.series[n][e] if e < len(self.series[n]) else ""
                          for n in names]] for e in range(length)]
        columns = [n.replace("loss", self.loss_name) for n in names]  # "error rate"
        return [self.unit, *columns], rows
