"""The DynamicsViewer node: a trained network's training dynamics, shown and written.

Its chart is the gradient norm of every layer over training (the vanishing gradient made
visible: one line per layer, input layers blue, output layers red); it carries the whole
``TrainingDynamics`` for the GUI's Dynamics viewer. With its ``file`` parameter set it
also writes, on every run and without a display, a PNG (gradient norms and update ratios
on log scales, the share of saturated or dead units, activation histograms over time) and
the CSV of every recorded number, so ``workbench run`` leaves the lesson's picture behind.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from workbench.core.params import Param
from workbench.engine.dynamics import TrainingDynamics, histogram_path
from workbench.flow.nodes.base import NodeContext, NodeError, NodeType
from workbench.flow.nodes.chart_png import (
    DARK,
    GREY,
    Canvas,
    Colour,
    layer_colour,
    nice_ticks,
    text_height,
    text_width,
    tick_label,
    write_rgb_png,
)
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

    def process(self, inputs: Mapping[str, Any], context: NodeContext) -> dict[str, Any]:
        batch: BatchClassifier = inputs[BATCH_CLASSIFIER]
        final = batch.final
        recorded = getattr(final.classifier, "dynamics_", None)
        if not isinstance(recorded, TrainingDynamics) or not recorded.records:
            raise NodeError(f"{context.title}: {batch.title} recorded no training dynamics "
                            f"(set its record_dynamics parameter, e.g. to 10; an mlp "
                            f"records only when it trains by sgd)")
        dynamics = recorded.snapshot()
        scheme = f"{getattr(final.classifier, 'name', batch.title)} {batch.options}".strip()
        title = f"{context.title}: {scheme} ({final.label})"
        chart = dynamics_chart(dynamics, title, final.classifier)
        if self.file:
            picture = self.target_path(context.resolve_output(self.file))
            numbers = picture.with_name(picture.name[:-4] + ".csv")
            targets = [picture, numbers, histogram_path(numbers)]
            for target in targets:  # every target first: refuse before writing any
                context.claim_output(target)
            write_rgb_png(context.claim_output(picture), dynamics_picture(dynamics, title))
            dynamics.to_csv(numbers)
            for target in targets:
                context.wrote(target)
                context.log(f"wrote {target}")
        return {CHART: chart}

    def export(self, outputs: Mapping[str, Any], folder: Path, stem: str) -> list[Path]:
        chart: DynamicsChart = outputs[CHART]
        picture = folder / f"{stem}.png"
        write_rgb_png(picture, dynamics_picture(chart.dynamics, chart.title))
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


def dynamics_picture(dynamics: TrainingDynamics, title: str) -> np.ndarray:
    """The lesson's picture as an RGB array: gradient norm and update/weight ratio per
    layer on log scales, the share of saturated (sigmoid, tanh) or dead (ReLU) units, and
    each layer's activation histogram over training as a heat map."""
    names = dynamics.layer_names
    colours = [layer_colour(i, len(names)) for i in range(len(names))]
    shares = _unit_shares(dynamics)
    strips = len(names) * _STRIP + 40
    height = 40 + 2 * _LINE_PANEL + (_SHARE_PANEL if shares is not None else 0) + strips
    canvas = Canvas(_WIDTH, height)
    head, _, rest = title.partition(": ")
    canvas.text(10, 6, head if rest else title, scale=2, max_width=_WIDTH - 20)
    if rest:
        canvas.text(10, 24, rest, max_width=_WIDTH - 20)
    top = 40
    x = dynamics.epochs
    _line_panel(canvas, top, _LINE_PANEL, "gradient norm per layer (log scale)", x,
                dynamics.grad_norm, names, colours, log=True)
    top += _LINE_PANEL
    _line_panel(canvas, top, _LINE_PANEL, "update / weight norm per step (log scale)", x,
                dynamics.update_ratio, names, colours, log=True)
    top += _LINE_PANEL
    if shares is not None:
        label, values = shares
        _line_panel(canvas, top, _SHARE_PANEL, label, x, values, names, colours,
                    log=False, limits=(0.0, 1.0))
        top += _SHARE_PANEL
    _histogram_strips(canvas, top, dynamics, names, colours)
    return canvas.pixels


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


def _line_panel(canvas: Canvas, top: int, height: int, title: str, x: np.ndarray,
                values: np.ndarray, names: Sequence[str], colours: Sequence[Colour], *,
                log: bool, limits: tuple[float, float] | None = None) -> None:
    canvas.text(_LEFT, top + 6, title, scale=2, max_width=_WIDTH - _LEFT - 10)
    left, right = _LEFT, _WIDTH - _RIGHT_MARGIN
    plot_top, plot_bottom = top + 30, top + height - 34
    data = np.asarray(values, dtype=float)
    if log:
        data = np.where(data > 0, data, np.nan)
        data = np.log10(data)
    finite = data[np.isfinite(data)]
    if limits is not None:
        low, high = limits
    elif finite.size:
        low, high = math.floor(float(finite.min())), math.ceil(float(finite.max()))
        if high <= low:
            high = low + 1
    else:
        low, high = 0.0, 1.0
    x_low, x_high = (float(x.min()), float(x.max())) if x.size else (0.0, 1.0)
    if x_high <= x_low:
        x_high = x_low + 1.0

    def px(value: float | np.ndarray) -> np.ndarray:
        return left + (np.asarray(value, float) - x_low) / (x_high - x_low) * (right - left)

    def py(value: float | np.ndarray) -> np.ndarray:
        return plot_bottom - (np.asarray(value, float) - low) / (high - low) * (
            plot_bottom - plot_top)

    if log:
        step = max(1, math.ceil((high - low) / 8))
        y_ticks = [float(v) for v in range(int(low), int(high) + 1, step)]
        y_labels = [tick_label(10.0 ** v) for v in y_ticks]
    else:
        y_ticks = nice_ticks(low, high, 4)
        y_labels = [tick_label(v) for v in y_ticks]
    for value, label in zip(y_ticks, y_labels, strict=True):
        y = round(float(py(value)))
        canvas.rect(left, y, right - left, 1, GREY)
        canvas.text(left - 6 - text_width(label), y - 3, label, DARK)
    for value in nice_ticks(x_low, x_high, 6):
        xx = round(float(px(value)))
        canvas.rect(xx, plot_bottom, 1, 4, DARK)
        label = tick_label(value)
        canvas.text(xx - text_width(label) // 2, plot_bottom + 7, label, DARK)
    canvas.text(right - text_width("epoch"), plot_bottom + 19, "epoch", DARK)
    canvas.frame(left, plot_top, right - left + 1, plot_bottom - plot_top + 1, DARK)
    clip = (left + 1, plot_top + 1, right - 1, plot_bottom - 1)
    for i in range(data.shape[1] if data.ndim == 2 else 0):
        if np.any(np.isfinite(data[:, i])):
            canvas.polyline(px(x), py(data[:, i]), colours[i], clip=clip)
    _legend(canvas, right + 14, plot_top, names, colours,
            [bool(np.any(np.isfinite(data[:, i]))) for i in range(len(names))])


def _legend(canvas: Canvas, left: int, top: int, names: Sequence[str],
            colours: Sequence[Colour], shown: Sequence[bool]) -> None:
    row = text_height() + 5
    for i, (name, colour) in enumerate(zip(names, colours, strict=True)):
        if not shown[i]:
            continue
        y = top + i * row
        canvas.rect(left, y + 2, 14, 3, colour)
        canvas.text(left + 20, y, name, colour if shown[i] else GREY,
                    max_width=_WIDTH - left - 24)


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


NODE_TYPES = (DynamicsViewer,)
