"""Colour maps for weights and counts, as plain NumPy lookups.

Weights are signed, and what matters is the sign and the size, so they are drawn with a
diverging map (blue for negative, white for 0, red for positive) centred on 0; counts
run from white to a deep blue. Turning arrays into RGB here, rather than per pyqtgraph
item, lets a whole mosaic become one image and lets tests read the colours back. The
diverging map comes from ``workbench.core.colormaps``, shared with the flow's pictures.
"""

from __future__ import annotations

import numpy as np

from workbench.core.colormaps import MISSING_RGB, diverging_rgb, lookup

__all__ = ["MISSING_RGB", "diverging_rgb", "sequential_rgb", "series_colour",
           "text_colour_for"]

_SEQUENTIAL = np.array([[255, 255, 255], [198, 219, 239], [107, 174, 214],
                        [33, 113, 181], [8, 48, 107]], dtype=np.float64)


def sequential_rgb(values: np.ndarray, high: float | None = None) -> np.ndarray:
    """Non-negative values (counts, proportions) as uint8 RGB, white at 0."""
    values = np.asarray(values, dtype=np.float64)
    if high is None:
        finite = values[np.isfinite(values)]
        high = float(finite.max()) if finite.size else 1.0
    high = high if high > 0 else 1.0
    rgb = lookup(_SEQUENTIAL, values / high)
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
