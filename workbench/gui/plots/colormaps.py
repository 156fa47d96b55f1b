"""Colour maps for weights and counts, as plain NumPy lookups.

Weights are signed, and what matters is the sign and the size, so they are drawn with a
diverging map (blue for negative, white for 0, red for positive) centred on 0; counts
run from white to a deep blue. Turning arrays into RGB here, rather than per pyqtgraph
item, lets a whole mosaic become one image and lets tests read the colours back.
"""

from __future__ import annotations

import numpy as np

# Anchor colours of the diverging map (ColorBrewer RdBu, reversed): value -1 .. +1.
_DIVERGING = np.array([
    [5, 48, 97], [33, 102, 172], [67, 147, 195], [146, 197, 222], [209, 229, 240],
    [247, 247, 247],
    [253, 219, 199], [244, 165, 130], [214, 96, 77], [178, 24, 43], [103, 0, 31],
], dtype=np.float64)
_SEQUENTIAL = np.array([[255, 255, 255], [198, 219, 239], [107, 174, 214],
                        [33, 113, 181], [8, 48, 107]], dtype=np.float64)
MISSING_RGB = (200, 200, 200)


def _lookup(anchors: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Piecewise-linear interpolation of anchor colours at ``t`` in [0, 1]."""
    t = np.clip(np.nan_to_num(t, nan=0.5), 0.0, 1.0)
    pos = t * (len(anchors) - 1)
    lo = np.floor(pos).astype(np.intp)
    hi = np.minimum(lo + 1, len(anchors) - 1)
    frac = (pos - lo)[..., None]
    return anchors[lo] * (1 - frac) + anchors[hi] * frac


def diverging_rgb(values: np.ndarray, limit: float | None = None) -> np.ndarray:
    """Signed values as uint8 RGB, white at 0 and full colour at +-``limit`` (default:
    the largest magnitude); NaN becomes grey."""
    values = np.asarray(values, dtype=np.float64)
    if limit is None:
        finite = np.abs(values[np.isfinite(values)])
        limit = float(finite.max()) if finite.size else 1.0
    limit = limit if limit > 0 else 1.0
    rgb = _lookup(_DIVERGING, (values / limit + 1.0) / 2.0)
    rgb[np.isnan(values)] = MISSING_RGB
    return rgb.round().astype(np.uint8)


def sequential_rgb(values: np.ndarray, high: float | None = None) -> np.ndarray:
    """Non-negative values (counts, proportions) as uint8 RGB, white at 0."""
    values = np.asarray(values, dtype=np.float64)
    if high is None:
        finite = values[np.isfinite(values)]
        high = float(finite.max()) if finite.size else 1.0
    high = high if high > 0 else 1.0
    rgb = _lookup(_SEQUENTIAL, values / high)
    rgb[np.isnan(values)] = MISSING_RGB
    return rgb.round().astype(np.uint8)


def text_colour_for(rgb: tuple[int, int, int] | np.ndarray) -> str:
    """Black or white, whichever reads better on ``rgb``."""
    r, g, b = (float(c) for c in rgb)
    return "#000000" if 0.299 * r + 0.587 * g + 0.114 * b > 140 else "#ffffff"


def series_colour(i: int) -> tuple[int, int, int]:
    """A distinct colour per curve (Tableau 10), cycling."""
    palette = [(31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40),
               (148, 103, 189), (140, 86, 75), (227, 119, 194), (127, 127, 127),
               (188, 189, 34), (23, 190, 207)]
    return palette[i % len(palette)]
