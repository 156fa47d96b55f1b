"""The diverging colour map of signed weights, as a plain NumPy lookup.

Weights are signed, and what matters is the sign and the size, so every place that draws
them (the GUI's mosaics, Hinton diagrams and filter pages, and the RbmViewer's picture
written without the GUI) uses one map: blue for negative, white for 0, red for positive,
centred on 0. It lives here, below both the GUI and the flow, so that the window and the
picture a headless run writes cannot drift apart.
"""

from __future__ import annotations

import numpy as np

# Anchor colours of the diverging map (ColorBrewer RdBu, reversed): value -1 .. +1.
DIVERGING_ANCHORS = np.array([
    [5, 48, 97], [33, 102, 172], [67, 147, 195], [146, 197, 222], [209, 229, 240],
    [247, 247, 247],
    [253, 219, 199], [244, 165, 130], [214, 96, 77], [178, 24, 43], [103, 0, 31],
], dtype=np.float64)
MISSING_RGB = (200, 200, 200)


def lookup(anchors: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Piecewise-linear interpolation of anchor colours at ``t`` in [0, 1]."""
    t = np.clip(np.nan_to_num(t, nan=0.5), 0.0, 1.0)
    pos = t * (len(anchors) - 1)
    lo = np.floor(pos).astype(np.intp)
    hi = np.minimum(lo + 1, len(anchors) - 1)
    frac = (pos - lo)[..., None]
    return anchors[lo] * (1 - frac) + anchors[hi] * frac


# The map sampled finely enough that its uint8 colours are the interpolation's: a step of
# 1/4000 moves no channel by more than 0.2, and every anchor (a multiple of 1/10) is a
# sample. Indexing it replaces the per-pixel interpolation, a fifth of a second for a
# DBN's 500 units on every refresh of a live view.
_STEPS = 4000
_DIVERGING_TABLE = lookup(DIVERGING_ANCHORS, np.linspace(0.0, 1.0, _STEPS + 1)
                          ).round().astype(np.uint8)


def diverging_rgb(values: np.ndarray, limit: float | None = None) -> np.ndarray:
    """Signed values as uint8 RGB, white at 0 and full colour at +-``limit`` (default:
    the largest magnitude); NaN becomes grey."""
    values = np.asarray(values, dtype=np.float64)
    if limit is None:
        finite = np.abs(values[np.isfinite(values)])
        limit = float(finite.max()) if finite.size else 1.0
    limit = limit if limit > 0 else 1.0
    with np.errstate(invalid="ignore"):
        t = (values / limit + 1.0) * (_STEPS / 2.0)
        index = np.clip(np.nan_to_num(t, nan=_STEPS / 2.0), 0, _STEPS).round()
    rgb = _DIVERGING_TABLE[index.astype(np.intp)]
    rgb[np.isnan(values)] = MISSING_RGB
    return rgb
