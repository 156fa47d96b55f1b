"""Many small images in one: the tiles of hidden units, filters, feature maps, samples.

A mosaic is built as one RGB array (tiles on a grid, separated by a grey gap) and shown
by a single pyqtgraph ``ImageItem``: drawing 500 tiles costs one texture upload, fast
enough to refresh while a network trains. Each signed tile is scaled by its own largest
magnitude (what the tutorials do, so that weak units stay readable) unless a shared
scale is asked for; unsigned tiles (inputs, reconstructions) use grey levels, each
tile's own range unless fixed ``levels`` are given (an RBM's samples that are still the
grey average must look grey, not stretched into a black-and-white digit).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QVBoxLayout, QWidget

from workbench.gui.plots.colormaps import diverging_rgb
from workbench.gui.widgets.literal import plain_label

GAP_RGB = (128, 128, 128)


def grid_shape(n: int, columns: int | None = None) -> tuple[int, int]:
    """Rows and columns of a near-square grid holding ``n`` tiles."""
    if n <= 0:
        return 0, 0
    cols = columns or math.ceil(math.sqrt(n))
    return math.ceil(n / cols), cols


def mosaic_rgb(tiles: np.ndarray, columns: int | None = None, gap: int = 1,
               signed: bool = True, shared_scale: bool = False,
               levels: tuple[float, float] | None = None) -> np.ndarray:
    """``(n, h, w)`` tiles as one ``(H, W, 3)`` uint8 image, row-major on a grid.

    Each tile gets its own colour scale (or one shared scale), computed for all tiles
    in a few array operations rather than a loop: live views redraw hundreds of tiles
    while a training thread competes for the interpreter, and every Python-level step
    may wait for it.
    """
    tiles = np.asarray(tiles, dtype=np.float64)
    if tiles.ndim != 3:
        raise ValueError(f"tiles must be (n, height, width), got shape {tiles.shape}")
    n, h, w = tiles.shape
    rows, cols = grid_shape(n, columns)
    finite = np.isfinite(tiles)
    if signed:
        size = np.where(finite, np.abs(tiles), 0.0)
        limits = size.max(axis=(1, 2)) if n else np.ones(0)
        if shared_scale:
            limits = np.full(n, limits.max() if n else 1.0)
        limits = np.where(limits > 0, limits, 1.0)
        rgb = diverging_rgb(tiles / limits[:, None, None], 1.0)
    else:
        if levels is not None:
            lo, hi = np.full(n, float(levels[0])), np.full(n, float(levels[1]))
        else:
            lo = np.where(finite, tiles, np.inf).min(axis=(1, 2))
            hi = np.where(finite, tiles, -np.inf).max(axis=(1, 2))
            empty = ~np.isfinite(lo)
            lo, hi = np.where(empty, 0.0, lo), np.where(empty, 1.0, hi)
        span = np.where(hi > lo, hi - lo, 1.0)
        grey = (tiles - lo[:, None, None]) / span[:, None, None]
        grey = np.clip(np.nan_to_num(grey, nan=0.0), 0, 1) * 255
        rgb = np.repeat(grey.round().astype(np.uint8)[..., None], 3, axis=-1)
    # Each tile with its gap below and to the right, laid out on the grid in one go.
    cells = np.empty((rows * cols, h + gap, w + gap, 3), np.uint8)
    cells[:] = GAP_RGB
    cells[:n, :h, :w] = rgb
    body = cells.reshape(rows, cols, h + gap, w + gap, 3).transpose(0, 2, 1, 3, 4)
    out = np.empty((rows * (h + gap) + gap, cols * (w + gap) + gap, 3), np.uint8)
    out[:] = GAP_RGB
    out[gap:, gap:] = body.reshape(rows * (h + gap), cols * (w + gap), 3)
    return out


def block_mean(rgb: np.ndarray, factor: int) -> np.ndarray:
    """``rgb`` with each ``factor`` x ``factor`` block averaged into one pixel (edge
    blocks from the pixels there are), as uint8; ``factor`` 1 gives ``rgb`` itself."""
    if factor <= 1:
        return rgb
    height, width = rgb.shape[:2]
    rows, cols = -(-height // factor), -(-width // factor)
    padded = np.pad(rgb.astype(np.float32), ((0, rows * factor - height),
                                             (0, cols * factor - width), (0, 0)),
                    mode="edge")
    blocks = padded.reshape(rows, factor, cols, factor, rgb.shape[2])
    return blocks.mean(axis=(1, 3)).round().astype(np.uint8)


class MosaicView(QWidget):
    """A titled mosaic of tiles in a zoomable view; ``tiles`` keeps what is drawn."""

    def __init__(self, tiles: np.ndarray | None = None, title: str = "",
                 columns: int | None = None, signed: bool = True,
                 labels: Sequence[str] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = plain_label(title)   # a layer's name may come from a model file
        layout.addWidget(self.title)
        self.view = pg.GraphicsLayoutWidget()
        self.view.setBackground("w")
        self.box = self.view.addViewBox(lockAspect=True, invertY=True)
        self.box.setMenuEnabled(False)
        self.image = pg.ImageItem(axisOrder="row-major")
        # A big mosaic (784-input MLP: 397 tiles) shown smaller than its pixels draws with
        # nearest-neighbour sampling, which drops every n-th grid line: moire. Shrunk, it
        # is averaged down to the screen (``shown_factor``) and drawn smoothly; shown at
        # or above its size it stays crisp, pixel for pixel. The averaging is done here,
        # once per update or zoom step, not by pyqtgraph's autoDownsample, which
        # averaged the whole mosaic again in paint events (a DBN's 500 units stalled
        # the window 0.5-1 s at every repaint while it trained).
        self.image.setAutoDownsample(False)
        self.shown_factor = 1  # mosaic pixels averaged into one shown pixel, per side
        self.box.addItem(self.image)
        self.box.sigTransformChanged.connect(lambda *_: self._follow_zoom())
        layout.addWidget(self.view, 1)
        self.tiles = np.zeros((0, 0, 0))
        self.labels: list[str] = []
        self.rgb = np.zeros((0, 0, 3), np.uint8)
        if tiles is not None:
            self.set_tiles(tiles, columns=columns, signed=signed, labels=labels)

    @property
    def tile_count(self) -> int:
        return int(self.tiles.shape[0])

    @property
    def tile_shape(self) -> tuple[int, int]:
        return (int(self.tiles.shape[1]), int(self.tiles.shape[2])) if self.tile_count else (0, 0)

    def set_tiles(self, tiles: np.ndarray, columns: int | None = None, signed: bool = True,
                  labels: Sequence[str] | None = None,
                  levels: tuple[float, float] | None = None) -> None:
        """Replace the tiles (cheap enough to call on every training epoch); ``levels``
        fixes the grey scale of unsigned tiles (else each tile uses its own range)."""
        self.tiles = np.asarray(tiles, dtype=np.float64)
        self.labels = list(labels or [])
        self.rgb = mosaic_rgb(self.tiles, columns, signed=signed, levels=levels) \
            if len(self.tiles) else np.zeros((1, 1, 3), np.uint8)
        self._show(self._factor())
        self.box.autoRange(padding=0.02)
        self._follow_zoom()

    def _factor(self) -> int:
        """How many mosaic pixels (per side) one screen pixel covers at the current
        zoom: the averaging that leaves no moire and nothing for the paint to do."""
        scale = self.screen_scale()
        return max(1, int(1.0 / scale)) if 0 < scale < 1.0 else 1

    def _show(self, factor: int) -> None:
        """Give the item the mosaic averaged ``factor`` x ``factor``, placed over the
        mosaic's own pixel coordinates (what zoom, ranges and clicks are in)."""
        self.shown_factor = factor
        height, width = self.rgb.shape[:2]
        self.image.setImage(block_mean(self.rgb, factor), levels=(0, 255))
        self.image.setRect(QRectF(0, 0, width, height))

    def _follow_zoom(self) -> None:
        factor = self._factor()
        if factor != self.shown_factor:
            self._show(factor)
        self._update_smoothing()

    def screen_scale(self) -> float:
        """Screen pixels per mosaic pixel as drawn now (below 1: shrunk)."""
        (x0, x1), (y0, y1) = self.box.viewRange()
        width, height = self.box.width(), self.box.height()
        if x1 <= x0 or y1 <= y0 or width <= 0 or height <= 0:
            return 1.0
        return min(width / (x1 - x0), height / (y1 - y0))

    @property
    def smoothed(self) -> bool:
        return bool(self.view.renderHints() & QPainter.RenderHint.SmoothPixmapTransform)

    def _update_smoothing(self) -> None:
        shrunk = self.screen_scale() < 1.0
        if shrunk != self.smoothed:
            self.view.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, shrunk)
            self.view.viewport().update()

    def table(self) -> tuple[list[str], list[list[float | int]]]:
        """One CSV row per tile: its index, label and pixel values row-major."""
        n, h, w = self.tiles.shape if self.tiles.ndim == 3 else (0, 0, 0)
        header = ["tile", "label", *[f"p{r}_{c}" for r in range(h) for c in range(w)]]
        rows = [[i, self.labels[i] if i < len(self.labels) else "",
                 *self.tiles[i].ravel().tolist()] for i in range(n)]
        return header, rows
