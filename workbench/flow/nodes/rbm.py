"""The RbmViewer node: what a DBN's first RBM learned, side by side for several DBNs.

The tutorials show an RBM's lesson in three pictures: its hidden units drawn as images
(strokes and blobs where it started from noise), test digits beside their
reconstructions (what the units can say about an input), and Gibbs samples (what the
model believes digits look like). Put DBNs pre-trained for different numbers of epochs
side by side and the three pictures show learning as it goes. The node passes every DBN
on to the GUI (an ``RbmComparison``: the same three pictures per DBN, and the weights
viewer's RBM pages of any one of them) and, with ``file`` set, writes one PNG of every
connected DBN, drawn without the GUI libraries. Units are drawn in the GUI's colours for
weights (red positive, white 0, blue negative: ``workbench.core.colormaps``), digits as
dark ink on white.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from workbench.core.colormaps import diverging_rgb
from workbench.core.params import Param
from workbench.data.dataset import Dataset
from workbench.evaluation.run_labels import run_labels
from workbench.flow.nodes.base import NodeContext, NodeError, NodeType
from workbench.flow.nodes.chart_png import DARK, Canvas, text_width
from workbench.flow.nodes.png import write_png
from workbench.flow.nodes.viewers import WeightImages
from workbench.flow.ports import BATCH_CLASSIFIER, IMAGE, BatchClassifier, PortSpec

_WIDTH, _LABEL, _GAP = 1000, 150, 2


@dataclass(frozen=True)
class RbmComparison(WeightImages):
    """What the RbmViewer shows of every connected DBN: ``arrays`` holds, per label,
    ``"LABEL: units"``, ``": inputs"``, ``": reconstructions"`` and ``": samples"``;
    ``models``, ``labels`` and ``datasets`` (each DBN's training data) are in the order
    linked; ``shape`` is one input as an image, (height, width), or None when the inputs
    form none. ``model`` and ``dataset`` are the last DBN's, as a ``WeightImages``."""

    models: tuple[Any, ...] = field(default=(), repr=False, compare=False)
    labels: tuple[str, ...] = ()
    datasets: tuple[Dataset, ...] = field(default=(), repr=False, compare=False)
    shape: tuple[int, int] | None = None


class RbmViewer(NodeType):
    """Units, reconstructions and Gibbs samples of the first RBM of each connected DBN
    (one row per DBN, in the order linked; labelled by their nodes' titles where the
    user named them, else by the parameters that differ)."""

    name = "RbmViewer"
    display_name = "RbmViewer"
    category = "Visualization"
    viewer = True
    side_effects = True  # with a file set it writes on every run
    inputs = (PortSpec(BATCH_CLASSIFIER, BATCH_CLASSIFIER, "trained DBNs", multiple=True),)
    outputs = (PortSpec(IMAGE, IMAGE, "the units, inputs, reconstructions and samples"),)
    file = Param.text("", "when set, write the picture (NAME.png) on each run: relative "
                      "to the run's output folder (workbench run --out), else to the flow "
                      "file's folder; empty: show only")
    units = Param.integer(24, "hidden units drawn per DBN", low=1, high=500)
    examples = Param.integer(8, "training instances drawn with their reconstructions",
                             low=1, high=50)
    samples = Param.integer(8, "Gibbs samples drawn per DBN", low=0, high=50)
    gibbs_steps = Param.integer(200, "Gibbs sweeps before each sample is taken", low=1,
                                high=10000)

    @staticmethod
    def target_path(path: Path) -> Path:
        return path if path.suffix.lower() == ".png" else path.with_name(path.name + ".png")

    def process(self, inputs: Mapping[str, Any], context: NodeContext) -> dict[str, Any]:
        batches: Sequence[BatchClassifier] = inputs.get(BATCH_CLASSIFIER, ())
        if not batches:
            raise NodeError(f"{context.title}: connect one or more DBNs")
        models = [batch.final.classifier for batch in batches]
        for batch, model in zip(batches, models, strict=True):
            if not callable(getattr(model, "rbm_weights", None)):
                raise NodeError(f"{context.title}: {batch.title} has no RBMs to show "
                                f"(connect a DBN)")
        labels = run_labels(models, [b.title for b in batches],
                            [b.node_title for b in batches])
        arrays: dict[str, np.ndarray] = {}
        unit_counts: dict[str, int] = {}
        for label, batch, model in zip(labels, batches, models, strict=True):
            context.check()
            data = batch.final.train
            rows = list(range(min(self.examples, data.num_instances)))
            weights = model.rbm_weights(0)
            unit_counts[label] = len(weights)
            arrays[f"{label}: units"] = weights[:self.units]
            arrays[f"{label}: inputs"] = model.encode(data, rows)
            arrays[f"{label}: reconstructions"] = model.reconstruct(data, rows)
            if self.samples:
                arrays[f"{label}: samples"] = model.sample(self.samples, self.gibbs_steps)
        header = batches[-1].final.train
        n_inputs = header.num_attributes - (header.class_index is not None)
        try:
            shape: tuple[int, int] | None = _shape(models[-1], n_inputs)
        except NodeError:
            shape = None
        images = RbmComparison(arrays, n_inputs, models[-1], header, models=tuple(models),
                               labels=tuple(labels),
                               datasets=tuple(b.final.train for b in batches), shape=shape)
        if self.file:
            path = self.target_path(context.resolve_output(self.file))
            context.claim_output(path)
            write_png(context.claim_output(path), rbm_picture(
                arrays, labels, context.title, _shape(models[-1], n_inputs), unit_counts))
            context.wrote(path)
            context.log(f"wrote {path}")
        return {IMAGE: images}


def _shape(model: Any, inputs: int) -> tuple[int, int]:
    """(height, width) of one input as an image: the DBN's geometry, else a square."""
    geometry = getattr(model, "input_geometry", None)
    if geometry and len(geometry) == 3 and geometry[0] == 1:
        return int(geometry[1]), int(geometry[2])
    side = math.isqrt(inputs)
    if side * side != inputs:
        raise NodeError(f"the {inputs} inputs do not form an image to draw")
    return side, side


def _tile(values: np.ndarray, shape: tuple[int, int], scale: int, signed: bool) -> np.ndarray:
    """One input-sized vector as an RGB tile: weights white at 0, red positive and blue
    negative (each tile scaled by its largest weight, as the GUI's mosaics are), inputs
    and reconstructions as dark ink on white (0 white, 1 black)."""
    image = np.asarray(values, float).reshape(shape)
    if signed:
        return np.kron(diverging_rgb(image), np.ones((scale, scale, 1), dtype=np.uint8))
    low, high = float(image.min()), float(image.max())
    span = high - low if high > low else 1.0
    grey = 255.0 * (1.0 - (image - low) / span) if high > 1.0 or low < 0.0 else \
        255.0 * (1.0 - np.clip(image, 0.0, 1.0))
    pixels = np.clip(np.rint(grey), 0, 255).astype(np.uint8)
    pixels = np.kron(pixels, np.ones((scale, scale), dtype=np.uint8))
    return np.repeat(pixels[:, :, None], 3, axis=2)


def _wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of whole words no wider than ``width`` pixels (a word wider than
    that gets a line of its own, cut when drawn)."""
    lines: list[str] = []
    for word in text.split():
        if lines and text_width(f"{lines[-1]} {word}") <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines


def units_label(shown: int, total: int | None) -> str:
    """The units strip's name: "24 of 64 hidden units" when fewer are drawn than the RBM
    has (a bare "hidden units" read as all of them), "64 hidden units" when all are."""
    if total is None:
        return "hidden units"
    return f"{shown} of {total} hidden units" if total > shown else f"{total} hidden units"


def rbm_picture(arrays: Mapping[str, np.ndarray], labels: Sequence[str], title: str,
                shape: tuple[int, int],
                unit_counts: Mapping[str, int] | None = None) -> np.ndarray:
    """One block per DBN: its units, then each input above its reconstruction, then
    its samples; every tile an input-sized image. ``unit_counts`` (per label, how many
    hidden units the RBM has) lets the units' name say how many of them are drawn."""
    scale = max(1, 56 // max(shape))
    tile_h, tile_w = shape[0] * scale, shape[1] * scale
    per_row = max(1, (_WIDTH - _LABEL - 10) // (tile_w + _GAP))
    strips: list[tuple[str, list[np.ndarray]]] = []
    unit_strips: set[int] = set()  # the strips drawn with the key to the units' colours
    for label in labels:
        strips.append((label, []))  # a heading
        units = arrays.get(f"{label}: units")
        if units is not None:
            unit_strips.add(len(strips))
            name = units_label(len(units), (unit_counts or {}).get(label))
            strips.append((name, [_tile(u, shape, scale, True) for u in units]))
        inputs, rebuilt = arrays.get(f"{label}: inputs"), arrays.get(
            f"{label}: reconstructions")
        if inputs is not None and rebuilt is not None:
            strips.append(("inputs", [_tile(v, shape, scale, False) for v in inputs]))
            strips.append(("reconstructions",
                           [_tile(v, shape, scale, False) for v in rebuilt]))
        samples = arrays.get(f"{label}: samples")
        if samples is not None:
            strips.append(("gibbs samples", [_tile(v, shape, scale, False) for v in samples]))
    heights = [math.ceil(len(tiles) / per_row) * (tile_h + _GAP) + 8 if tiles else 24
               for _, tiles in strips]
    canvas = Canvas(_WIDTH, 36 + sum(heights) + 10)
    canvas.text(10, 8, title, scale=2, max_width=_WIDTH - 20)
    top = 36
    for index, ((name, tiles), height) in enumerate(zip(strips, heights, strict=True)):
        if not tiles:
            canvas.text(10, top + 6, name, scale=2, max_width=_WIDTH - 20)
        lines = _wrap(name, _LABEL - 14) if tiles else []
        if index in unit_strips:  # the key to the units' colours, under their name
            lines.append("red +, blue -")
        for row, line in enumerate(lines):
            canvas.text(10, top + 4 + 12 * row, line, DARK, max_width=_LABEL - 14)
        for k, tile in enumerate(tiles):
            r, c = divmod(k, per_row)
            y, x = top + r * (tile_h + _GAP), _LABEL + c * (tile_w + _GAP)
            canvas.pixels[y:y + tile_h, x:x + tile_w] = tile
        top += height
    return canvas.pixels


NODE_TYPES = (RbmViewer,)
