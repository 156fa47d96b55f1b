"""The Dynamics view's heat map: one layer's activation (or weight) histogram per epoch.

Rows are histogram bins (low values at the bottom), columns are epochs; the colour
follows the square root of the share, so a tail beside a tall peak (ReLU's zeros) shows.
An epoch without a record (L-BFGS records each of its first 20 iterations, then every
N-th and the last; a run recording less than once an epoch) takes the column of the
nearest epoch that has one: the map then reads like the lines above it, which join the recorded
epochs, with each record's colour reaching halfway to its neighbours; grey stripes
would read as "nothing happened here" and hide the later records between them. What
Save data writes stays the recorded epochs only.
While the model trains the map is redrawn several times a second, so its image is
replaced in place, and its title and placement only when they change (a new title
re-lays out the plot, a new placement repaints it whole).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from workbench.engine.dynamics import TrainingDynamics
from workbench.gui.plots.colormaps import sequential_rgb
from workbench.gui.plots.dynamics_parts import per_epoch_mean


def layer_histogram(data: TrainingDynamics | None, layer: int, weights: bool
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(epochs, bin edges, shares)`` of layer ``layer``'s activations (or ``weights``),
    shares ``(epochs, bins)``: each epoch's mean histogram (NaN for an epoch without a
    record)."""
    if data is None or data.records == 0:
        return np.zeros(0), np.zeros(0), np.zeros((0, 0))
    layer = min(max(layer, 0), len(data.layer_names) - 1)
    hist = (data.weight_hist if weights else data.act_hist)[:, layer, :]
    edges = (data.weight_edges if weights else data.act_edges)[layer]
    epochs, shares = per_epoch_mean(data.epochs, hist)
    return epochs, np.asarray(edges, dtype=np.float64), shares


def nearest_recorded(shares: np.ndarray) -> np.ndarray:
    """``shares`` (epochs, bins) with each row of an epoch without a record (all NaN)
    replaced by the row of the nearest epoch that has one (the earlier on a tie)."""
    recorded = np.flatnonzero(~np.all(np.isnan(shares), axis=1)) if shares.size else \
        np.zeros(0, dtype=np.int64)
    if len(recorded) in (0, len(shares)):
        return shares
    rows = np.arange(len(shares))
    after = np.searchsorted(recorded, rows)  # the first recorded epoch at or after
    right = recorded[np.minimum(after, len(recorded) - 1)]
    left = recorded[np.maximum(after - 1, 0)]
    return shares[np.where(rows - left <= right - rows, left, right)]


class HeatMap:
    """The image item of the heat map and what it shows now (``rgb``); ``updates``
    counts the images actually set."""

    def __init__(self) -> None:
        self.image = pg.ImageItem(axisOrder="row-major")
        self.rgb = np.zeros((0, 0, 3), dtype=np.uint8)
        self.title = ""
        self.rect: tuple[float, ...] = ()
        self.updates = 0

    def draw(self, plot: pg.PlotItem, map_: tuple[np.ndarray, np.ndarray, np.ndarray],
             title: str, left: str, short: str = "") -> None:
        """Show ``map_`` (``layer_histogram``'s answer) under ``title``, values named
        ``left`` on the vertical axis; nothing is set that is already shown. ``short``
        is the title shown where the whole one does not fit (``PlotTitle``)."""
        epochs, edges, shares = map_
        if len(epochs) == 0:
            self.image.clear()
            self.rgb = np.zeros((0, 0, 3), dtype=np.uint8)
            return
        if title != self.title:
            self.title = title
            if hasattr(plot.titleLabel, "short"):  # a PlotTitle (make_plot's plots)
                plot.titleLabel.short = short
            plot.setTitle(title)
            plot.setLabel("left", left)
        rgb = sequential_rgb(np.sqrt(nearest_recorded(shares).T))
        rect = (float(epochs[0] - 1), float(edges[0]), float(len(epochs)),
                float(edges[-1] - edges[0]))
        if rgb.shape == self.rgb.shape and np.array_equal(rgb, self.rgb) and rect == self.rect:
            return
        self.rgb = rgb
        self.image.setImage(rgb, autoLevels=False, levels=(0, 255))
        if rect != self.rect:
            self.rect = rect
            self.image.setRect(*rect)
        self.updates += 1
