"""The DynamicsViewer node: a trained network's training dynamics, shown and written.

Its chart is the gradient norm of every layer over training (the vanishing gradient made
visible: one line per layer, input layers blue, output layers red); it carries the whole
``TrainingDynamics`` for the GUI's Dynamics viewer. With its ``file`` parameter set it
also writes, on every run and without a display, a PNG (gradient norms and update ratios
on log scales, the share of saturated or dead units, activation histograms over time) and
the CSV of every recorded number, so ``workbench run`` leaves the lesson's picture behind.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from workbench.core.params import Param
from workbench.engine.dynamics import TrainingDynamics, histogram_path
from workbench.evaluation.run_labels import run_labels
from workbench.flow.nodes.base import NodeContext, NodeError, NodeType, write_text_atomic
from workbench.flow.nodes.chart_png import (
    DARK,
    GREY,
    Canvas,
    Colour,
    Line,
    layer_colour,
    line_panel,
    text_width,
    tick_label,
)
from workbench.flow.nodes.png import write_png
from workbench.flow.nodes.viewers import Chart, Series
from workbench.flow.ports import BATCH_CLASSIFIER, CHART, BatchClassifier, PortSpec

_FILE_HELP = ("when set, write the picture (NAME.png), every recorded number (NAME.csv) "
              "and the histograms (NAME.histograms.csv) on each run: relative to the "
              "run's output folder (workbench run --out), else to the flow file's folder; "
              "empty: show only")


@dataclass(frozen=True)
class DynamicsChart(Chart):
    """Gradient norm per layer over training, with the ``TrainingDynamics`` it comes from
    (a snapshot) and the trained classifier, for the Dynamics viewer."""

    dynamics: Any = field(default=None, repr=False, compare=False)
    classifier: Any = field(default=None, repr=False, compare=False)


class DynamicsViewer(NodeType):
    """Per-layer gradient norms, update ratios, saturated/dead units and activation
    histograms of a network trained with record_dynamics on (MLP, CNN, RNN, DBN)."""

    name = "DynamicsViewer"
    display_name = "DynamicsViewer"
    category = "Visualization"
    viewer = True
    live = "dynamics"  # an open viewer window follows the network while it trains
    side_effects = True  # with a file set it writes on every run
    inputs = (PortSpec(BATCH_CLASSIFIER, BATCH_CLASSIFIER,
                       "a network trained with record_dynamics > 0"),)
    outputs = (PortSpec(CHART, CHART, "gradient norm per layer, with all the dynamics"),)
    file = Param.text("", _FILE_HELP)

    @staticmethod
    def target_path(path: Path) -> Path:
        """The picture written for ``path``: ``.png`` in place of ``.csv``, or appended."""
        name = path.name
        if name.lower().endswith((".png", ".csv")):
            name = name[:-4]
        return path.with_name(name + ".png")

    @staticmethod
    def companion_paths(picture: Path) -> tuple[Path, ...]:
        """The CSVs written beside ``picture``: every number, then the histograms."""
        numbers = picture.with_name(picture.name[:-4] + ".csv")
        return numbers, histogram_path(numbers)

    def process(self, inputs: Mapping[str, Any], context: NodeContext) -> dict[str, Any]:
        batch: BatchClassifier = inputs[BATCH_CLASSIFIER]
        final = batch.final
        recorded = getattr(final.classifier, "dynamics_", None)
        if not isinstance(recorded, TrainingDynamics) or not recorded.records:
            raise NodeError(f"{context.title}: {batch.title} recorded no training dynamics "
                            f"(set its record_dynamics parameter, e.g. to 10)")
        dynamics = recorded.snapshot()
        scheme = f"{getattr(final.classifier, 'name', batch.title)} {batch.options}".strip()
        title = f"{context.title}: {scheme} ({final.label})"
        chart = dynamics_chart(dynamics, title, final.classifier)
        if self.file:
            picture = self.target_path(context.resolve_output(self.file))
            numbers, histograms = self.companion_paths(picture)
            targets = [picture, numbers, histograms]
            for target in targets:  # every target first: refuse before writing any
                context.claim_output(target)
            write_png(context.claim_output(picture), dynamics_picture(dynamics, title))
            dynamics.to_csv(numbers)
            for target in targets:
                context.wrote(target)
                context.log(f"wrote {target}")
        return {CHART: chart}

    def export(self, outputs: Mapping[str, Any], folder: Path, stem: str) -> list[Path]:
        chart: DynamicsChart = outputs[CHART]
        picture = folder / f"{stem}.png"
        write_png(picture, dynamics_picture(chart.dynamics, chart.title))
        return [picture, *chart.dynamics.to_csv(folder / f"{stem}.csv")]


def dynamics_chart(dynamics: TrainingDynamics, title: str,
                   classifier: Any = None) -> DynamicsChart:
    """The node's chart: one gradient-norm series per layer against the epoch."""
    epochs, norms = dynamics.epochs, dynamics.grad_norm
    series = tuple(Series(name, epochs, norms[:, i])
                   for i, name in enumerate(dynamics.layer_names))
    return DynamicsChart(f"Gradient norm per layer of {title}", "epoch", "gradient norm",
                         series, dynamics=dynamics, classifier=classifier)


# The picture ------------------------------------------------------------------------------
_WIDTH = 1000
_LEFT, _RIGHT_MARGIN = 70, 250
_LINE_PANEL, _SHARE_PANEL, _STRIP = 230, 170, 34
_SCHEME_LINE = 11  # pixels from one line of the scheme under the title to the next


def dynamics_picture(dynamics: TrainingDynamics, title: str) -> np.ndarray:
    """The lesson's picture as an RGB array: gradient norm and update/weight ratio per
    layer on log scales, the share of saturated (sigmoid, tanh) or dead (ReLU) units, and
    each layer's activation histogram over training as a heat map."""
    names = dynamics.layer_names
    colours = [layer_colour(i, len(names)) for i in range(len(names))]
    shares = _unit_shares(dynamics)
    strips = len(names) * _STRIP + 40
    head, _, rest = title.partition(": ")
    scheme = wrap_options(rest, _WIDTH - 20) if rest else []
    header = 40 + _SCHEME_LINE * max(len(scheme) - 1, 0)
    height = header + 2 * _LINE_PANEL + (_SHARE_PANEL if shares is not None else 0) + strips
    canvas = Canvas(_WIDTH, height)
    canvas.text(10, 6, head if rest else title, scale=2, max_width=_WIDTH - 20)
    for i, line in enumerate(scheme):
        canvas.text(10, 24 + i * _SCHEME_LINE, line, max_width=_WIDTH - 20)
    top = header
    x = dynamics.epochs
    _layer_panel(canvas, top, _LINE_PANEL, "gradient norm per layer (log scale)", x,
                dynamics.grad_norm, names, colours, log=True)
    top += _LINE_PANEL
    _layer_panel(canvas, top, _LINE_PANEL, "update / weight norm per step (log scale)", x,
                dynamics.update_ratio, names, colours, log=True)
    top += _LINE_PANEL
    if shares is not None:
        label, values = shares
        _layer_panel(canvas, top, _SHARE_PANEL, label, x, values, names, colours,
                    log=False, limits=(0.0, 1.0))
        top += _SHARE_PANEL
    _histogram_strips(canvas, top, dynamics, names, colours)
    return canvas.pixels


def wrap_options(text: str, max_width: int) -> list[str]:
    """A scheme line ("MLP --hidden-layers 32,32 --init glorot_uniform (training set)")
    as lines of at most ``max_width`` pixels, broken between options so an option
    stays with its value: one line cut the lesson's --init option off at the edge."""
    parts = re.split(r" (?=--?[A-Za-z]|\()", text.strip())
    lines: list[str] = []
    for part in parts:
        if lines and text_width(f"{lines[-1]} {part}") <= max_width:
            lines[-1] = f"{lines[-1]} {part}"
        else:
            lines.append(part)
    return lines


def _unit_shares(dynamics: TrainingDynamics) -> tuple[str, np.ndarray] | None:
    """Saturated share for sigmoid/tanh layers and dead share for ReLU layers, side by
    side in one (records, layers) array (NaN elsewhere); None when no layer has either."""
    saturated, dead = dynamics.saturated, dynamics.dead
    values = np.where(np.isnan(saturated), dead, saturated)
    if values.size == 0 or np.all(np.isnan(values)):
        return None
    kinds = set(dynamics.layer_kinds)
    parts = (["saturated units (sigmoid, tanh)"] if kinds & {"sigmoid", "tanh"} else []) + (
        ["dead units (relu)"] if "relu" in kinds else [])
    return "share of " + " and ".join(parts), values


def _layer_panel(canvas: Canvas, top: int, height: int, title: str, x: np.ndarray,
                 values: np.ndarray, names: Sequence[str], colours: Sequence[Colour], *,
                 log: bool, limits: tuple[float, float] | None = None) -> None:
    lines = [Line(x, values[:, i], colours[i], name) for i, name in enumerate(names)
             if values.ndim == 2 and i < values.shape[1]]
    line_panel(canvas, (_LEFT, top, _WIDTH - _LEFT - 6, height), title, lines, log=log,
               limits=limits, legend_width=_RIGHT_MARGIN)


def _histogram_strips(canvas: Canvas, top: int, dynamics: TrainingDynamics,
                      names: Sequence[str], colours: Sequence[Colour]) -> None:
    """One heat-map strip per layer: time left to right, the activation's range bottom
    to top (its bin edges at the sides), darker where more of the values fall."""
    canvas.text(_LEFT, top + 6, "activation histogram per layer over training", scale=2,
                max_width=_WIDTH - _LEFT - 10)
    hist, edges = dynamics.act_hist, dynamics.act_edges
    left, right = _LEFT, _WIDTH - _RIGHT_MARGIN
    y = top + 32
    for i, name in enumerate(names):
        strip = np.nan_to_num(hist[:, i, :].T) if hist.size else np.zeros((2, 1))
        # Each moment in full colour at its second-fullest bin: the one bin that holds
        # most values (ReLU's zeros) does not wash out the shape of the rest.
        peak = np.sort(strip, axis=0)[-2] if strip.shape[0] > 1 else strip.max(axis=0)
        shown = np.minimum(strip / np.where(peak > 0, peak, 1.0), 1.0)
        canvas.heat_map(left, y, right - left, _STRIP - 4, shown, colours[i])
        canvas.frame(left, y, right - left, _STRIP - 4, GREY)
        if edges.shape[0] > i:
            low, high = tick_label(float(edges[i, 0])), tick_label(float(edges[i, -1]))
            canvas.text(left - 6 - text_width(high), y, high, DARK)
            canvas.text(left - 6 - text_width(low), y + _STRIP - 12, low, DARK)
        canvas.text(right + 14, y + (_STRIP - 4) // 2 - 3, name, colours[i],
                    max_width=_WIDTH - right - 18)
        y += _STRIP


# Several runs' learning curves on one picture -----------------------------------------
@dataclass(frozen=True)
class OverlayChart(Chart):
    """Learning curves of several classifiers, each series labelled by the parameters in
    which its classifier differs from the others; ``classifiers`` in the order linked."""

    classifiers: tuple[Any, ...] = field(default=(), repr=False, compare=False)


class LearningCurveOverlay(NodeType):
    """The learning curves (training and validation loss and accuracy per epoch) of
    several classifiers in one chart, labelled by their nodes' titles ("MLP (plain)",
    "MLP (dropout 0.5)") where the user named them, else by the parameters that differ
    between them: sigmoid against ReLU, SGD against Adam, dropout 0 against 0.5."""

    name = "LearningCurveOverlay"
    display_name = "LearningCurveOverlay"
    category = "Visualization"
    viewer = True
    side_effects = True  # with a file set it writes on every run
    inputs = (PortSpec(BATCH_CLASSIFIER, BATCH_CLASSIFIER,
                       "classifiers that keep a training history", multiple=True),)
    outputs = (PortSpec(CHART, CHART, "one curve per classifier and measure"),)
    file = Param.text("", "when set, write the picture (NAME.png) and the curves "
                      "(NAME.csv) on each run: relative to the run's output folder "
                      "(workbench run --out), else to the flow file's folder; empty: "
                      "show only")

    target_path = staticmethod(DynamicsViewer.target_path)

    @staticmethod
    def companion_paths(picture: Path) -> tuple[Path, ...]:
        """The curves' CSV written beside ``picture``."""
        return (picture.with_name(picture.name[:-4] + ".csv"),)

    def process(self, inputs: Mapping[str, Any], context: NodeContext) -> dict[str, Any]:
        batches: Sequence[BatchClassifier] = inputs.get(BATCH_CLASSIFIER, ())
        if not batches:
            raise NodeError(f"{context.title}: connect one or more classifiers")
        models = [batch.final.classifier for batch in batches]
        for batch, model in zip(batches, models, strict=True):
            if not getattr(getattr(model, "history_", None), "loss", None):
                raise NodeError(f"{context.title}: {batch.title} keeps no training history "
                                f"(only learners trained epoch by epoch do)")
        labels = run_labels(models, [b.title for b in batches],
                            [b.node_title for b in batches])
        from workbench.evaluation.learning import loss_name

        series = []
        for label, model in zip(labels, models, strict=True):
            history = model.history_
            # A loss by another name (the perceptron's training error rate) is not drawn
            # on the loss panel's log scale beside the networks' cross-entropy: it
            # keeps its name, and the run is compared by its accuracy.
            name = loss_name(model)
            for measure in ("loss", "val_loss", "accuracy", "val_accuracy"):
                values = np.asarray(getattr(history, measure, []) or [], dtype=float)
                if values.size:
                    series.append(Series(f"{label}: {measure.replace('loss', name)}",
                                         np.arange(1, values.size + 1, dtype=float), values))
        chart = OverlayChart(context.title, "epoch", "value",
                             tuple(series), classifiers=tuple(models))
        if self.file:
            from workbench.flow.nodes.viewers import chart_csv

            picture = self.target_path(context.resolve_output(self.file))
            (numbers,) = self.companion_paths(picture)
            for target in (picture, numbers):
                context.claim_output(target)
            write_png(context.claim_output(picture), overlay_picture(chart, labels))
            write_text_atomic(context.claim_output(numbers), chart_csv(chart))
            for target in (picture, numbers):
                context.wrote(target)
                context.log(f"wrote {target}")
        return {CHART: chart}

    def export(self, outputs: Mapping[str, Any], folder: Path, stem: str) -> list[Path]:
        from workbench.flow.nodes.viewers import chart_csv

        chart: OverlayChart = outputs[CHART]
        labels = overlay_runs(chart)
        picture, numbers = folder / f"{stem}.png", folder / f"{stem}.csv"
        write_png(picture, overlay_picture(chart, labels))
        write_text_atomic(numbers, chart_csv(chart))
        return [picture, numbers]


OVERLAY_MEASURES = ("loss", "accuracy")


def overlay_runs(chart: Chart) -> list[str]:
    """The runs of an overlay chart in the order linked: each series' label without its
    measure ("optimizer=adam: val_loss" -> "optimizer=adam")."""
    return list(dict.fromkeys(s.label.rpartition(": ")[0] for s in chart.series))


def overlay_panels(chart: Chart, labels: Sequence[str] | None = None
                   ) -> list[tuple[str, list[Line]]]:
    """The overlay's layout, shared by the picture and the GUI's window: a loss panel
    and an accuracy panel (those with data), one colour per run (``labels`` order),
    validation lines thick (3) and training lines thin (1 beside validation, else 2)."""
    labels = overlay_runs(chart) if labels is None else labels
    colours = {label: layer_colour(i, len(labels)) for i, label in enumerate(labels)}
    thin = 1 if any(s.label.endswith(": val_loss") for s in chart.series) else 2
    panels = []
    for measure in OVERLAY_MEASURES:
        lines = []
        for s in chart.series:
            label, _, kind = s.label.rpartition(": ")
            if kind in (measure, f"val_{measure}"):
                validation = kind.startswith("val_")
                lines.append(Line(s.x, s.y, colours.get(label, DARK),
                                  f"{label} ({'validation' if validation else 'training'})",
                                  3 if validation else thin))
        if lines:
            panels.append((measure, lines))
    return panels


def overlay_panel_title(measure: str, lines: Sequence[Line]) -> str:
    """A panel's title: the measure, "(log scale)" for the loss, and the key to the line
    widths when validation lines are drawn."""
    title = f"{measure} (log scale)" if measure == "loss" else measure
    if any(line.thickness == 3 for line in lines):
        title += ": thin = training, thick = validation"
    return title


def overlay_picture(chart: Chart, labels: Sequence[str]) -> np.ndarray:
    """Loss (log scale) and accuracy panels, one colour per run; validation curves drawn
    thick, training curves thin."""
    panels = overlay_panels(chart, labels)
    canvas = Canvas(_WIDTH, 40 + _LINE_PANEL * max(len(panels), 1))
    canvas.text(10, 6, chart.title, scale=2, max_width=_WIDTH - 20)
    top = 40
    for measure, lines in panels:
        accuracy = measure == "accuracy"
        line_panel(canvas, (_LEFT, top, _WIDTH - _LEFT - 6, _LINE_PANEL),
                   overlay_panel_title(measure, lines), lines, legend_width=330,
                   log=not accuracy, limits=(0.0, 1.0) if accuracy else None)
        top += _LINE_PANEL
    return canvas.pixels


NODE_TYPES = (DynamicsViewer, LearningCurveOverlay)
