"""What the Dynamics plots are drawn with: layer colours, per-epoch means, thinned lines,
log axes labelled at powers of ten, and plots whose axes repaint only when they change.

The view (``dynamics``) follows a model in training and redraws several times a second,
on the GUI thread, while the worker thread holds the interpreter most of the time; so
every line is at most ``MAX_POINTS`` points however long the run, and an axis (its tick
text is the costly part of a repaint) is painted from a cached picture unless its range
or label changed.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QGraphicsItem

from workbench.gui.plots.plot_style import style_plot
from workbench.gui.widgets.literal import html_text, tooltip_text

MIN_PLOT_HEIGHT = 150
TICK_OVERHANG = 12  # pixels a bottom tick label may reach past the end of its axis
# Points per line, at most: a few per pixel of a plot's width is all a screen shows, and
# a line of every record of a long run costs its redraw time for nothing.
MAX_POINTS = 400
# Anchors of the input -> output ramp (viridis: dark purple, blue, green, yellow): the
# order of the layers reads from the colours alone, and every step stays distinct.
_RAMP = np.array([[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98],
                  [253, 231, 37]], dtype=np.float64)


def layer_colour(index: int, layers: int) -> tuple[int, int, int]:
    """The colour of layer ``index`` of ``layers``: dark at the input, light at the output."""
    t = index / (layers - 1) if layers > 1 else 0.0
    pos = t * (len(_RAMP) - 1)
    lo = min(math.floor(pos), len(_RAMP) - 2)
    frac = pos - lo
    rgb = _RAMP[lo] * (1 - frac) + _RAMP[lo + 1] * frac
    return round(float(rgb[0])), round(float(rgb[1])), round(float(rgb[2]))


def legend_html(names: tuple[str, ...], kinds: list[str]) -> str:
    """The legend under the plots: each layer's colour and name, and which share of its
    units the fourth plot draws (saturated for sigmoid and tanh, dead for ReLU)."""
    entries = []
    for i, (name, kind) in enumerate(zip(names, kinds, strict=True)):
        share = ("saturated" if kind in ("sigmoid", "tanh") else
                 "dead" if kind == "relu" else "")
        suffix = f" ({share} share)" if share else ""
        hex_colour = "#{:02x}{:02x}{:02x}".format(*layer_colour(i, len(names)))
        # A layer's name is escaped (a model file may name it), then its spaces do
        # not break: a line wraps between layers only.
        words = html_text(f"{name}{suffix}").replace(" ", "&nbsp;")
        entries.append(f"<span style='color:{hex_colour}; font-size:14pt'>&#9632;</span>"
                       f"&nbsp;{words}")
    return "Layers, input to output: " + " &nbsp; ".join(entries)


def decades(values: np.ndarray) -> tuple[int, int] | None:
    """The powers of ten around the positive values (log10 of the range to show)."""
    finite = values[np.isfinite(values) & (values > 0)]
    if not finite.size:
        return None
    low, high = math.floor(math.log10(finite.min())), math.ceil(math.log10(finite.max()))
    return low, max(high, low + 1)


def axis_end(last: float) -> float:
    """The end of an epoch axis showing ``last``: the next of 1, 2, 5, 10, 20, 50, ..."""
    end = 1.0
    while end < last - 1e-9:
        for factor in (2.0, 2.5, 2.0):  # 1 -> 2 -> 5 -> 10
            end *= factor
            if end >= last - 1e-9:
                break
    return end


def per_epoch_mean(positions: np.ndarray, values: np.ndarray, *, recorded_only: bool = False
                   ) -> tuple[np.ndarray, np.ndarray]:
    """The mean of each column over each epoch's records: ``(epochs, means)``.

    ``positions`` are the records' places in training (1.0 = end of epoch 1, 1.5 =
    halfway through epoch 2), ``values`` their rows ``(records, columns)`` (per-layer
    numbers, or a histogram's bins). Epoch ``e`` holds the records in ``(e - 1, e]``;
    NaN values are left out of the mean. An epoch without a record is a row of NaN, so
    a heat map keeps one column per epoch; ``recorded_only`` leaves those rows out
    instead, so a line drawn from the means joins the epochs on either side of a gap
    (L-BFGS records every one of its first 20 iterations, then every N-th and the
    last: with a row per iteration, each later record would sit alone between NaNs and
    draw nothing).
    """
    values = np.asarray(values, dtype=np.float64)
    if len(positions) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros((0, values.shape[-1]))
    epoch = np.maximum(np.ceil(np.asarray(positions) - 1e-9), 1).astype(np.int64)
    order = np.argsort(epoch, kind="stable")  # records come in order: nothing moves
    epoch, values = epoch[order], values[order]
    last = int(epoch[-1])
    finite = np.isfinite(values)
    sums = np.zeros((last, values.shape[-1]))
    counts = np.zeros((last, values.shape[-1]))
    # One sum per run of records of the same epoch (np.add.at is many times slower).
    starts = np.flatnonzero(np.r_[True, epoch[1:] != epoch[:-1]])
    sums[epoch[starts] - 1] = np.add.reduceat(np.where(finite, values, 0.0), starts, axis=0)
    counts[epoch[starts] - 1] = np.add.reduceat(finite.astype(np.float64), starts, axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = sums / counts
    means[counts == 0] = np.nan
    if recorded_only:
        # The epochs that hold a record, even one whose values are all NaN (a diverged
        # network): that stays a gap in the line, as it is a gap in what was measured.
        recorded = epoch[starts]
        return recorded, means[recorded - 1]
    return np.arange(1, last + 1), means


def positive(values: np.ndarray) -> np.ndarray:
    """Values for a log axis: zero, negative and missing become gaps."""
    out = np.asarray(values, dtype=np.float64).copy()
    out[~(out > 0)] = np.nan
    return out


def thin(x: np.ndarray, y: np.ndarray, limit: int = MAX_POINTS) -> tuple[np.ndarray, np.ndarray]:
    """At most ``limit`` points of the line ``(x, y)`` that keep its shape: the lowest
    and the highest point of each of ``limit / 2`` runs of neighbours (a spike of one
    record stays visible, as an average would hide it). A run with no finite value
    keeps one NaN point, so the line keeps its gap there."""
    n = len(x)
    if n <= limit:
        return x, y
    size = math.ceil(n / (limit // 2))
    runs = math.ceil(n / size)
    padded = np.full(runs * size, np.nan)
    padded[:n] = y
    blocks = padded.reshape(runs, size)
    finite = np.isfinite(blocks)
    low = np.where(finite, blocks, np.inf).argmin(axis=1)
    high = np.where(finite, blocks, -np.inf).argmax(axis=1)
    start = np.arange(runs) * size
    chosen = np.unique(np.minimum(np.concatenate([start + low, start + high]), n - 1))
    return x[chosen], y[chosen]


class LogAxis(pg.AxisItem):
    """A log axis labelled at powers of ten (and 2 and 5 times them when fewer than two
    powers of ten are in view): pyqtgraph labels every 2..9 times a power of ten when
    the view spans a decade or two, and those labels print over each other."""

    def __init__(self, orientation: str = "left") -> None:
        super().__init__(orientation)
        self.setStyle(maxTextLevel=0)

    def logTickValues(self, minVal: float, maxVal: float, size: float,
                      stdTicks: Any) -> list[tuple[Any, list[float]]]:
        low, high = math.floor(minVal), math.ceil(maxVal)
        every = [d + math.log10(m) for d in range(low, high) for m in range(1, 10)]
        every = [v for v in every if minVal <= v <= maxVal]
        labelled = [float(d) for d in range(math.ceil(minVal), math.floor(maxVal) + 1)]
        if len(labelled) < 2:
            labelled = [d + math.log10(m) for d in range(low, high) for m in (1, 2, 5)
                        if minVal <= d + math.log10(m) <= maxVal]
        rest = [v for v in every if all(abs(v - w) > 1e-9 for w in labelled)]
        return [(1.0, labelled), (None, rest)]


class EpochAxis(pg.AxisItem):
    """The epoch axis, whose last tick label may reach ``TICK_OVERHANG`` pixels past the
    axis's end (into the plot's right margin) rather than be left out.

    pyqtgraph drops a label that sticks out of the axis, and its own allowance for that
    (``hideOverlappingLabels``) is ignored on an axis that draws a grid: the label of
    the last epoch, the one the lessons quote numbers for, went missing, and in a narrow
    plot no padding of the range that still looks like an epoch axis makes room for it.
    """

    def boundingRect(self) -> Any:
        return super().boundingRect().adjusted(0, 0, TICK_OVERHANG, 0)


class PlotTitle(pg.LabelItem):
    """A plot's title that never makes its plot wider than the window gives it.

    pyqtgraph's title asks for its whole text's width as the plot's minimum, which the
    plot widget does not pass on to the window: in a narrow window the plot is then
    drawn wider than its widget and cut at the right, axis and last epochs with it
    (the heat map's "Activations of 1 Conv2D 1-20 3x3 relu per epoch" cut its axis at
    epoch 28 of 35). This title asks for no width and cuts its text with an ellipsis to
    the width it gets; ``text`` stays the whole title.

    ``short``, when set before the title, is shown instead of a whole title that does not
    fit (the heat map's "Activations of layer 1 per epoch", the layer's full name being
    in the chooser above it), and is the one cut if even it does not fit; the whole title
    is then the title's tooltip.
    """

    def __init__(self, parent: Any = None) -> None:
        self.full = ""
        self.short = ""
        super().__init__("", parent=parent, size="11pt")

    def setText(self, text: str, **args: Any) -> None:
        self.full = text
        self._show(**args)

    def _show(self, **args: Any) -> None:
        width = self.rect().width()
        shown = self.full
        if width > 0:  # not laid out yet: the whole text, cut once it has a width
            font = self.item.font()
            size = str(self.opts.get("size", ""))
            if size.endswith("pt"):
                font.setPointSizeF(float(size[:-2]))
            metrics, room = QFontMetricsF(font), max(width - 8.0, 0.0)
            if self.short and metrics.horizontalAdvance(self.full) > room:
                shown = self.short
            shown = metrics.elidedText(shown, Qt.TextElideMode.ElideRight, room)
        super().setText(html_text(shown), **args)   # a LabelItem's text is HTML
        self.setToolTip(tooltip_text(self.full) if shown != self.full else "")
        self.text = self.full

    def updateMin(self) -> None:
        super().updateMin()
        self.setMinimumWidth(0)
        self._sizeHint[Qt.SizeHint.MinimumSize] = (0, self.minimumHeight())

    def resizeEvent(self, ev: Any) -> None:
        super().resizeEvent(ev)
        if ev is not None and ev.oldSize().width() != ev.newSize().width():
            self._show()


def _own_title(plot: pg.PlotItem) -> None:
    """Put a ``PlotTitle`` where the plot's own title sits (row 0, column 1)."""
    old = plot.titleLabel
    plot.layout.removeItem(old)
    old.setParentItem(None)
    if old.scene() is not None:
        old.scene().removeItem(old)
    plot.titleLabel = PlotTitle(parent=plot)
    plot.layout.addItem(plot.titleLabel, 0, 1)


def make_plot(title: str, left: str, log: bool) -> pg.PlotWidget:
    """One plot of the view: white, gridded, epochs along the bottom, a title that
    shortens rather than widen the plot (``PlotTitle``).

    Its axes draw the grid across the whole plot, so every new point of a line would
    repaint their tick text too; cached as pixmaps (Qt's device-coordinate cache), they
    are painted again only when their range or label changes.
    """
    axes: dict[str, pg.AxisItem] = {"bottom": EpochAxis("bottom")}
    if log:
        axes["left"] = LogAxis("left")
    widget = pg.PlotWidget(background="w", axisItems=axes)
    widget.setMinimumHeight(MIN_PLOT_HEIGHT)
    plot = widget.getPlotItem()
    _own_title(plot)
    plot.setTitle(title)
    plot.setLabel("bottom", "epoch")
    plot.setLabel("left", left)
    plot.showGrid(x=True, y=True, alpha=0.2)
    for side in ("left", "bottom"):
        axis = plot.getAxis(side)
        axis.enableAutoSIPrefix(False)
        axis.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
    # Room on the right for the last epoch's tick label (``EpochAxis``).
    left, top, _right, bottom = plot.layout.getContentsMargins()
    plot.layout.setContentsMargins(left, top, TICK_OVERHANG, bottom)
    if log:
        plot.setLogMode(y=True)
    style_plot(widget)
    return widget
