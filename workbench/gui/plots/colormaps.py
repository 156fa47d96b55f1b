"""Colour maps for weights and counts, as plain NumPy lookups.

Weights are signed, and what matters is the sign and the size, so they are drawn with a
diverging map (blue for negative, white for 0, red for positive) centred on 0; counts
run from white to a deep blue. Turning arrays into RGB here, rather than per pyqtgraph
item, lets a whole mosaic become one image and lets tests read the colours back. The
diverging map comes from ``workbench.core.colormaps``, shared with the flow's pictures.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt

from workbench.core.colormaps import MISSING_RGB, diverging_rgb, lookup

__all__ = ["MISSING_RGB", "SERIES_COLOURS", "diverging_rgb", "sequential_rgb",
           "series_colour", "series_dash", "series_glyph", "series_symbol", "text_colour_for"]

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


# Okabe & Ito (2008), "Color Universal Design": eight colours that stay apart for
# protanopes, deuteranopes and tritanopes (WEKA's and Tableau 10's orange/green/red pairs
# collapse into one olive for them; walkthrough a11y M2). Ordered so that two or three
# classes get the strongest pairs, with black and the pale yellow (hard to see on white)
# last. ``tests/gui/plots/test_class_colours.py`` checks every pair under simulation.
SERIES_COLOURS: tuple[tuple[int, int, int], ...] = (
    (0, 114, 178),     # blue
    (230, 159, 0),     # orange
    (0, 158, 115),     # bluish green
    (213, 94, 0),      # vermillion
    (204, 121, 167),   # reddish purple
    (86, 180, 233),    # sky blue
    (0, 0, 0),         # black
    (240, 228, 66),    # yellow
)
# Shapes and dashes that go with the colours, so that no two series are told apart by
# colour alone. Their counts (7 and 5) share no factor with the 8 colours, so series 9
# and beyond, whose colour repeats, still differ from the one with the same colour.
SERIES_SYMBOLS: tuple[str, ...] = ("o", "s", "t", "d", "t1", "p", "h")
# The same shapes as characters, for legends written in rich text.
SERIES_SYMBOL_GLYPHS: tuple[str, ...] = ("\u25cf", "\u25a0", "\u25bc", "\u25c6", "\u25b2",
                                         "\u2b1f", "\u2b22")
SERIES_DASHES: tuple[Qt.PenStyle, ...] = (
    Qt.PenStyle.SolidLine, Qt.PenStyle.DashLine, Qt.PenStyle.DotLine,
    Qt.PenStyle.DashDotLine, Qt.PenStyle.DashDotDotLine)


def series_colour(i: int) -> tuple[int, int, int]:
    """The colour of class or curve ``i``: Okabe-Ito, safe for colour-blind readers,
    cycling after eight."""
    return SERIES_COLOURS[i % len(SERIES_COLOURS)]


def series_symbol(i: int) -> str:
    """The pyqtgraph marker of class ``i`` in a scatter plot."""
    return SERIES_SYMBOLS[i % len(SERIES_SYMBOLS)]


def series_glyph(i: int) -> str:
    """The character of ``series_symbol(i)``'s shape, for a rich-text legend."""
    return SERIES_SYMBOL_GLYPHS[i % len(SERIES_SYMBOL_GLYPHS)]


def series_dash(i: int) -> Qt.PenStyle:
    """The line style of curve ``i``, so that curves differ by more than colour."""
    return SERIES_DASHES[i % len(SERIES_DASHES)]
