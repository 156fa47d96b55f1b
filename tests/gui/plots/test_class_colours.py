"""Class and curve colours stay apart for colour-blind readers (walkthrough a11y M2).

Each pair of the first eight series colours is simulated for protanopia, deuteranopia
and tritanopia (Machado, Oliveira & Fernandes 2009, severity 1, applied in linear RGB,
as the walkthrough did) and compared by CIE76 delta E in CIELAB. ``MIN_DELTA_E`` = 10 is
about where two small marks next to each other stop being told apart at a glance; the
Tableau 10 colours this replaced fell to 4.8 (orange and green, protanopia).
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from PySide6.QtCore import Qt

from workbench.gui.plots.colormaps import (
    series_colour,
    series_dash,
    series_glyph,
    series_symbol,
)

MIN_DELTA_E = 10.0
FIRST = 8

MACHADO = {
    "protanopia": np.array([[0.152286, 1.052583, -0.204868],
                            [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968],
                              [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "tritanopia": np.array([[1.255528, -0.076749, -0.178779],
                            [-0.078411, 0.930809, 0.147602],
                            [0.004733, 0.691367, 0.303900]]),
}
_XYZ = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722],
                 [0.0193, 0.1192, 0.9505]])
_WHITE = np.array([0.95047, 1.0, 1.08883])


def _linear(rgb: tuple[int, int, int]) -> np.ndarray:
    c = np.asarray(rgb, dtype=float) / 255.0
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def _lab(linear: np.ndarray) -> np.ndarray:
    xyz = _XYZ @ np.clip(linear, 0, 1) / _WHITE
    f = np.where(xyz > 216 / 24389, np.cbrt(xyz), (24389 / 27 * xyz + 16) / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def _seen(rgb: tuple[int, int, int], vision: str | None) -> np.ndarray:
    linear = _linear(rgb)
    return _lab(linear if vision is None else MACHADO[vision] @ linear)


@pytest.mark.parametrize("vision", [None, *MACHADO])
def test_first_eight_colours_stay_apart(vision):
    closest = min(
        (float(np.linalg.norm(_seen(series_colour(a), vision) - _seen(series_colour(b),
                                                                     vision))), a, b)
        for a, b in itertools.combinations(range(FIRST), 2))
    assert closest[0] >= MIN_DELTA_E, f"classes {closest[1]} and {closest[2]} under {vision}"


def test_iris_versicolor_and_virginica_differ_for_protanopes():
    # The walkthrough's case: classes 2 and 3 of iris rendered as one olive.
    seen = [_seen(series_colour(i), "protanopia") for i in (1, 2)]
    assert float(np.linalg.norm(seen[0] - seen[1])) >= MIN_DELTA_E


def test_series_differ_by_more_than_colour():
    # Beyond the eighth class the colour repeats; the shape and the dash do not repeat
    # with it, so no two of the first 40 series share colour, shape and dash.
    looks = {(series_colour(i), series_symbol(i), series_dash(i)) for i in range(40)}
    assert len(looks) == 40
    assert len({series_symbol(i) for i in range(FIRST)}) >= 7
    assert series_dash(0) == Qt.PenStyle.SolidLine != series_dash(1)
    assert len({series_glyph(i) for i in range(7)}) == 7
