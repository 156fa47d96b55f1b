"""Compare runs: several results' learning curves and dynamics on shared axes.

The tutorials' comparisons (sigmoid against ReLU, SGD against Adam, dropout 0 against
0.5) are read from curves side by side, labelled by what differs between the runs and
nothing else: the legend is made of the parameters whose values differ
(``get_params()``), e.g. "activation=sigmoid" against "activation=relu", so two long
configurations that differ in one setting read as that setting (``run_labels``, shared
with the Knowledge Flow's overlay in ``evaluation/run_labels.py``).

Each run has one colour in every plot. Loss and accuracy: training solid, validation
dashed (``history_``). When runs recorded their training dynamics, the gradient norm of
the first layer (solid) and of the last layer (dashed), each epoch's mean, on a log
axis: a sigmoid network's gap between the two is the vanishing gradient.

The x axes count what the runs counted: epochs of mini-batch training, or iterations of
the MLP's full-batch L-BFGS (``step_unit``); runs of both kinds share an axis labelled
"epoch or iteration", and the note says which run counted which.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from workbench.core.errors import WorkbenchError
from workbench.evaluation.learning import learning_curve
from workbench.evaluation.run_labels import run_labels
from workbench.gui.plots.colormaps import series_colour
from workbench.gui.plots.dynamics_numbers import unit as dynamics_unit
from workbench.gui.plots.dynamics_parts import make_plot, per_epoch_mean
from workbench.gui.plots.dynamics_source import RecordsDynamics, dynamics_of
from workbench.gui.plots.export import ExportBar
from workbench.gui.plots.learning import step_unit
from workbench.gui.widgets.colours import hint_colour
from workbench.gui.widgets.literal import plain_label, tooltip_text
from workbench.gui.widgets.palette_follow import follow_palette

MIN_PLOT_HEIGHT = 160
# A series this short is drawn with a dot at each point as well as a line, as the live
# learning curve draws it: a run of one epoch has one point, which a line alone never
# shows, and a few points read better as points.
SHORT_SERIES = 30
# A legend label longer than this (characters) puts each run on a line of its own.
LONG_LABEL = 60
_SOLID, _DASHED = Qt.PenStyle.SolidLine, Qt.PenStyle.DashLine


def model_of(run: Any) -> Any:
    """The fitted model of a run: an ``Evaluation``'s model, or the model itself."""
    if hasattr(run, "results") and hasattr(run, "model"):
        return run.model
    return run


def legend_words(label: str) -> str:
    """A run's label as legend rich text that wraps only between its ``name=value``
    entries: runs of different learners differ in every setting, and a label that could
    not wrap would make the window as wide as the label (over 2000 px for an MLP beside
    a CNN)."""
    escaped = label.replace("&", "&amp;").replace("<", "&lt;")
    return ", ".join(part.replace(" ", "&nbsp;") for part in escaped.split(", "))


def axis_unit(units: Sequence[str]) -> str:
    """The x axis's word for runs that counted ``units`` ("epoch", "iteration"): theirs
    when they agree, "epoch or iteration" when they do not."""
    kinds = list(dict.fromkeys(units))
    return kinds[0] if len(kinds) == 1 else "epoch or iteration" if kinds else "epoch"


def mixed_units_note(labels: Sequence[str], units: Sequence[str], what: str) -> str:
    """Where runs counted different steps, a sentence saying which counted iterations:
    an L-BFGS iteration (all rows at once) is not an epoch's worth of training."""
    if len(set(units)) < 2:
        return ""
    iterating = [label for label, unit in zip(labels, units, strict=True)
                 if unit == "iteration"]
    return (f"{what}: {', '.join(iterating)} counted L-BFGS iterations (one step over all "
            f"rows), the others epochs; the same x is not the same amount of training.")


def _plot(title: str, left: str, log: bool = False) -> pg.PlotWidget:
    widget = make_plot(title, left, log)  # the Dynamics view's plot, a little taller
    widget.setMinimumHeight(MIN_PLOT_HEIGHT)
    return widget


class CompareRunsView(QWidget):
    """Learning curves, and recorded dynamics when there are some, of several runs.

    ``runs`` are ``Evaluation`` objects (the Explorer's result list) or fitted models;
    ``names`` (optional, one per run) label runs whose parameters do not differ.
    """

    def __init__(self, runs: Sequence[Any], names: Sequence[str] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        if len(runs) < 2:
            raise WorkbenchError("select at least two results to compare")
        self.models = [model_of(run) for run in runs]
        missing = [i + 1 for i, m in enumerate(self.models) if m is None]
        if missing:
            raise WorkbenchError(f"result {', '.join(map(str, missing))} kept no model "
                                 f"(nothing to compare)")
        self.labels = run_labels(self.models, names)
        self.setWindowTitle(f"Compare {len(runs)} runs")
        self.curves = [learning_curve(m) for m in self.models]
        self.dynamics = [dynamics_of(m) for m in self.models]
        self.dynamics = [d.snapshot() if d is not None else None for d in self.dynamics]
        # (plot name, run index, series) -> the drawn item, for tests and the export.
        self.items: dict[tuple[str, int, str], pg.PlotDataItem] = {}

        self.loss_widget = _plot("Loss", "loss")
        self.acc_widget = _plot("Accuracy", "accuracy")
        self.grad_widget = _plot("Gradient norm: first layer (solid), last layer (dashed)",
                                 "gradient norm", log=True)
        # Side by side, loss and accuracy share the epoch axis; the gradient plot spans
        # both columns and keeps its own (a link lines up screen positions, not epochs,
        # between plots of different widths).
        self.acc_widget.getPlotItem().setXLink(self.loss_widget.getPlotItem())
        self.note = plain_label("")
        self.note.setWordWrap(True)
        self.legend = QLabel("")
        self.legend.setWordWrap(True)
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        grid = QGridLayout()
        grid.addWidget(self.loss_widget, 0, 0)
        grid.addWidget(self.acc_widget, 0, 1)
        grid.addWidget(self.grad_widget, 1, 0, 1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.legend)
        layout.addLayout(grid, 1)
        layout.addWidget(self.note)
        layout.addWidget(ExportBar(self, self.table))
        self._draw()

    def _line(self, widget: pg.PlotWidget, key: tuple[str, int, str], x: np.ndarray,
              y: np.ndarray, style: Qt.PenStyle) -> None:
        colour = series_colour(key[1])
        pen = pg.mkPen(colour, width=2, style=style)
        y = np.asarray(y, dtype=np.float64)
        dots: dict[str, Any] = {}
        if np.count_nonzero(np.isfinite(y)) <= SHORT_SERIES:
            dots = {"symbol": "o", "symbolSize": 7, "symbolBrush": colour,
                    "symbolPen": colour}
        self.items[key] = widget.plot(np.asarray(x, dtype=np.float64), y, pen=pen,
                                      connect="finite", **dots)

    def _draw(self) -> None:
        notes = []
        curve_runs: list[int] = []  # the runs whose learning curves are drawn
        for i, (curve, label) in enumerate(zip(self.curves, self.labels, strict=True)):
            if curve is None or not curve.series:
                notes.append(f"{label}: no learning curve (the learner keeps no training "
                             f"history)")
                continue
            curve_runs.append(i)
            if curve.loss_name != "loss":
                # The perceptron's "loss" is its training error rate: beside the networks'
                # cross-entropy it would read as a loss; its accuracy is compared.
                notes.append(f"{label}: its curve is the training {curve.loss_name}, not "
                             f"a loss: compared by accuracy only")
            for name, values in curve.series.items():
                if name == "lr" or ("loss" in name and curve.loss_name != "loss"):
                    continue
                widget = self.loss_widget if "loss" in name else self.acc_widget
                style = _DASHED if name.startswith("val_") else _SOLID
                self._line(widget, ("curve", i, name), np.arange(1, len(values) + 1),
                           values, style)
        any_accuracy = any(key[2].endswith("accuracy") for key in self.items)
        self.acc_widget.setVisible(any_accuracy)
        curve_units = [step_unit(self.models[i]) for i in curve_runs]
        for widget in (self.loss_widget, self.acc_widget):
            widget.getPlotItem().setLabel("bottom", axis_unit(curve_units))
        notes.append(mixed_units_note([self.labels[i] for i in curve_runs], curve_units,
                                      "Loss and accuracy"))
        dynamics_runs: list[int] = []
        for i, (data, label) in enumerate(zip(self.dynamics, self.labels, strict=True)):
            if data is None or data.records == 0:
                if any(d is not None and d.records for d in self.dynamics):
                    why = ("record_dynamics was 0" if isinstance(self.models[i],
                                                                 RecordsDynamics)
                           else "the learner records none")
                    notes.append(f"{label}: no training dynamics recorded ({why})")
                continue
            dynamics_runs.append(i)
            # L-BFGS records its first iterations, then every N-th: only the recorded
            # ones, or each later record would sit alone between NaNs and draw nothing.
            epochs, means = per_epoch_mean(data.epochs, data.grad_norm, recorded_only=True)
            positive = np.where(means > 0, means, np.nan)
            self._line(self.grad_widget, ("dynamics", i, "first layer grad_norm"), epochs,
                       positive[:, 0], _SOLID)
            if means.shape[1] > 1:
                self._line(self.grad_widget, ("dynamics", i, "last layer grad_norm"),
                           epochs, positive[:, -1], _DASHED)
        has_dynamics = any(key[0] == "dynamics" for key in self.items)
        self.grad_widget.setVisible(has_dynamics)
        grad_units = [dynamics_unit(self.dynamics[i]) for i in dynamics_runs]
        self.grad_widget.getPlotItem().setLabel("bottom", axis_unit(grad_units))
        notes.append(mixed_units_note([self.labels[i] for i in dynamics_runs], grad_units,
                                      "Gradient norm"))
        if not has_dynamics:
            notes.append("No run recorded its training dynamics: set record_dynamics (or "
                         "keep the Watch window open) to compare gradient norms too.")
        notes = [note for note in notes if note]
        self.note.setText("\n".join(notes))
        self.note.setVisible(bool(notes))
        entries = []
        for i, label in enumerate(self.labels):
            colour = "#{:02x}{:02x}{:02x}".format(*series_colour(i))
            entries.append(f"<span style='color:{colour}; font-size:14pt'>&#9632;</span>"
                           f"&nbsp;{legend_words(label)}")
        self._legend_entries = entries
        # The whole of each label in one place, a run a line: a wrapped legend of runs
        # of different learners (every setting differs) is easier to read there.
        self.legend.setToolTip(tooltip_text("\n".join(self.labels)))
        follow_palette(self.legend, self._show_legend)

    def _show_legend(self) -> None:
        """The runs' colours and, where validation curves are drawn, a hint in the
        palette's grey (written again when the palette changes)."""
        entries = list(self._legend_entries)
        if any(key[2].startswith("val_") for key in self.items):
            entries.append(f"<span style='color:{hint_colour().name()}'>(solid: training, "
                           "dashed: validation)</span>")
        # Long labels (runs of different learners) each start a line of their own, so a
        # run's settings do not run on into the next run's colour.
        long = any(len(label) > LONG_LABEL for label in self.labels)
        self.legend.setText(("<br>" if long else " &nbsp; ").join(entries))

    def points(self, plot: str, run: int, series: str) -> tuple[np.ndarray, np.ndarray]:
        """The (epoch, value) points drawn for one series of one run (as given, not the
        log10 a log axis draws); empty when that run has no such series."""
        item = self.items.get((plot, run, series))
        if item is None:
            return np.zeros(0), np.zeros(0)
        x, y = item.getOriginalDataset()
        return np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)

    def table(self) -> tuple[list[str], list[list[Any]]]:
        """Every point drawn, one row each: run label, series, epoch, value."""
        rows: list[list[Any]] = []
        for (plot, run, series), _item in self.items.items():
            x, y = self.points(plot, run, series)
            rows += [[self.labels[run], series, int(e), float(v)]
                     for e, v in zip(x, y, strict=True) if np.isfinite(v)]
        return ["run", "series", "epoch", "value"], rows
