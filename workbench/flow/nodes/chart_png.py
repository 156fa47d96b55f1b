"""Line charts drawn into a NumPy RGB array and written as PNG, without the GUI libraries.

``workbench run`` must write a lesson's picture on a machine with no display and no
plotting library (matplotlib is not a dependency, and the flow layer may not import Qt).
A chart of a few dozen lines needs little: straight segments, filled rectangles, a
heat map, and labels in a 5x7 bitmap font (upper case, digits and a little punctuation,
enough for axis ticks, titles and layer names). The PNG is 8-bit RGB, written with the
standard library as ``png.py`` writes grey images.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

Colour = tuple[int, int, int]
WHITE: Colour = (255, 255, 255)
BLACK: Colour = (0, 0, 0)
GREY: Colour = (200, 200, 200)
DARK: Colour = (90, 90, 90)
# From the input side (blue) to the output side (red), so layer order reads at a glance.
_RAMP: tuple[Colour, ...] = ((45, 35, 140), (30, 120, 200), (30, 160, 110),
                             (215, 145, 20), (200, 40, 40))

_FONT_ROWS = 7
_FONT_COLUMNS = 5
# One glyph per character: 7 rows of 5 pixels ('#' = ink).
_GLYPHS: dict[str, str] = {
    "0": ".###.#...##..###.#.###..##...#.###.", "1": "..#...##....#....#....#....#...###.",
    "2": ".###.#...#....#...#...#...#...#####", "3": "#####...#...#.....#.....##...#.###.",
    "4": "...#...##..#.#.#..#.#####...#....#.", "5": "######....####.....#....##...#.###.",
    "6": "..##..#...#....####.#...##...#.###.", "7": "#####....#...#...#...#....#....#...",
    "8": ".###.#...##...#.###.#...##...#.###.", "9": ".###.#...##...#.####....#...#..##..",
    "A": ".###.#...##...#######...##...##...#", "B": "####.#...##...#####.#...##...#####.",
    "C": ".###.#...##....#....#....#...#.###.", "D": "###..#..#.#...##...##...##..#.###..",
    "E": "######....#....####.#....#....#####", "F": "######....#....####.#....#....#....",
    "G": ".###.#...##....#.####...##...#.####", "H": "#...##...##...#######...##...##...#",
    "I": ".###...#....#....#....#....#...###.", "J": "..###...#....#....#....#.#..#..##..",
    "K": "#...##..#.#.#..##...#.#..#..#.#...#", "L": "#....#....#....#....#....#....#####",
    "M": "#...###.###.#.##.#.##...##...##...#", "N": "#...##...###..##.#.##..###...##...#",
    "O": ".###.#...##...##...##...##...#.###.", "P": "####.#...##...#####.#....#....#....",
    "Q": ".###.#...##...##...##.#.##..#..##.#", "R": "####.#...##...#####.#.#..#..#.#...#",
    "S": ".#####....#.....###.....#....#####.", "T": "#####..#....#....#....#....#....#..",
    "U": "#...##...##...##...##...##...#.###.", "V": "#...##...##...##...##...#.#.#...#..",
    "W": "#...##...##...##.#.##.#.##.#.#.#.#.", "X": "#...##...#.#.#...#...#.#.#...##...#",
    "Y": "#...##...#.#.#...#....#....#....#..", "Z": "#####....#...#...#...#...#....#####",
    " ": "...................................", ".": "..........................##...##..",
    ",": ".....................##....#...#...", "-": "................###................",
    "+": ".......#....#..#####..#....#.......", ":": "......##...##........##...##.......",
    "(": "...#...#...#....#....#.....#.....#.", ")": ".#.....#.....#....#....#...#...#...",
    "/": ".........#...#...#...#...#.........", "%": "##...##..#...#...#...#...#..##...##",
    "=": "..........#####.....#####..........", "_": "..............................#####",
    ">": ".#.....#.....#.....#...#...#...#...", "<": "...#...#...#...#.....#.....#.....#.",
    "^": "..#...#.#.#...#....................", "?": ".###.#...#....#...#...#.........#..",
    "|": "..#....#....#....#....#....#....#..", "'": "..#....#...........................",
}


def _glyph(char: str) -> np.ndarray:
    pattern = _GLYPHS.get(char.upper(), _GLYPHS["?"])
    return (np.frombuffer(pattern.encode(), dtype=np.uint8) == ord("#")).reshape(
        _FONT_ROWS, _FONT_COLUMNS)


def layer_colour(index: int, count: int) -> Colour:
    """The colour of layer ``index`` of ``count``: blue at the input, red at the output."""
    if count <= 1:
        return _RAMP[1]
    position = index / (count - 1) * (len(_RAMP) - 1)
    low = min(int(position), len(_RAMP) - 2)
    share = position - low
    a, b = np.array(_RAMP[low], float), np.array(_RAMP[low + 1], float)
    r, g, bl = np.rint(a + (b - a) * share).astype(int)
    return int(r), int(g), int(bl)


class Canvas:
    """An RGB picture to draw on, (height, width, 3) uint8, white to begin with."""

    def __init__(self, width: int, height: int) -> None:
        self.pixels = np.full((int(height), int(width), 3), 255, dtype=np.uint8)

    @property
    def width(self) -> int:
        return self.pixels.shape[1]

    @property
    def height(self) -> int:
        return self.pixels.shape[0]

    def rect(self, left: int, top: int, width: int, height: int, colour: Colour) -> None:
        top, left = max(int(top), 0), max(int(left), 0)
        self.pixels[top:max(top + int(height), top), left:max(left + int(width), left)] = colour

    def frame(self, left: int, top: int, width: int, height: int, colour: Colour) -> None:
        self.rect(left, top, width, 1, colour)
        self.rect(left, top + height - 1, width, 1, colour)
        self.rect(left, top, 1, height, colour)
        self.rect(left + width - 1, top, 1, height, colour)

    def polyline(self, xs: Sequence[float] | np.ndarray, ys: Sequence[float] | np.ndarray,
                 colour: Colour, thickness: int = 2,
                 clip: tuple[int, int, int, int] | None = None) -> None:
        """Straight segments through the points, skipping gaps (NaN) and drawing only
        inside ``clip`` = (left, top, right, bottom) when given."""
        x, y = np.asarray(xs, float), np.asarray(ys, float)
        left, top, right, bottom = clip or (0, 0, self.width - 1, self.height - 1)
        for i in range(len(x) - 1):
            if not np.all(np.isfinite([x[i], y[i], x[i + 1], y[i + 1]])):
                continue
            steps = int(max(abs(x[i + 1] - x[i]), abs(y[i + 1] - y[i]))) + 1
            t = np.linspace(0.0, 1.0, steps + 1)
            px = np.rint(x[i] + (x[i + 1] - x[i]) * t).astype(int)
            py = np.rint(y[i] + (y[i + 1] - y[i]) * t).astype(int)
            self._dots(px, py, colour, thickness, (left, top, right, bottom))
        if len(x) == 1 and np.isfinite(x[0]) and np.isfinite(y[0]):
            self._dots(np.rint(x).astype(int), np.rint(y).astype(int), colour,
                       thickness + 2, (left, top, right, bottom))

    def _dots(self, px: np.ndarray, py: np.ndarray, colour: Colour, thickness: int,
              clip: tuple[int, int, int, int]) -> None:
        left, top, right, bottom = clip
        for dx in range(thickness):
            for dy in range(thickness):
                qx, qy = px + dx - thickness // 2, py + dy - thickness // 2
                keep = (qx >= left) & (qx <= right) & (qy >= top) & (qy <= bottom)
                self.pixels[qy[keep], qx[keep]] = colour

    def text(self, left: int, top: int, text: str, colour: Colour = BLACK,
             scale: int = 1, max_width: int | None = None) -> int:
        """Write ``text`` (upper case) with its top-left corner at (left, top), cut to
        ``max_width`` pixels; returns the width used."""
        advance = (_FONT_COLUMNS + 1) * scale
        if max_width is not None and len(text) * advance > max_width:
            keep = max(max_width // advance - 1, 0)
            text = text[:keep] + "." if keep else ""
        x = int(left)
        for char in text:
            ink = np.kron(_glyph(char), np.ones((scale, scale), dtype=np.uint8)).astype(bool)
            h, w = ink.shape
            region = self.pixels[int(top):int(top) + h, x:x + w]
            mask = ink[:region.shape[0], :region.shape[1]]
            region[mask] = colour
            x += advance
        return x - int(left)

    def heat_map(self, left: int, top: int, width: int, height: int, values: np.ndarray,
                 colour: Colour = (30, 60, 160)) -> None:
        """``values`` (rows, columns) in [0, 1] scaled into the rectangle, row 0 at the
        bottom, from white (0) to ``colour`` (1)."""
        data = np.nan_to_num(np.asarray(values, dtype=float), nan=0.0)
        if data.size == 0 or width <= 0 or height <= 0:
            return
        rows = np.minimum((np.arange(height)[::-1] * data.shape[0]) // height,
                          data.shape[0] - 1)
        columns = np.minimum((np.arange(width) * data.shape[1]) // width, data.shape[1] - 1)
        share = np.clip(data[rows][:, columns], 0.0, 1.0)[..., None]
        paint = np.array(WHITE, float) + (np.array(colour, float) - 255.0) * share
        self.pixels[top:top + height, left:left + width] = np.rint(paint).astype(np.uint8)

    def paste(self, left: int, top: int, other: Canvas) -> None:
        self.pixels[top:top + other.height, left:left + other.width] = other.pixels


def text_width(text: str, scale: int = 1) -> int:
    return len(text) * (_FONT_COLUMNS + 1) * scale


def text_height(scale: int = 1) -> int:
    return _FONT_ROWS * scale


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values (1, 2 or 5 times a power of ten apart) covering [low, high]."""
    if not (math.isfinite(low) and math.isfinite(high)) or high <= low:
        return [low] if math.isfinite(low) else []
    raw = (high - low) / max(count, 1)
    power = 10.0 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.ceil(low / step - 1e-9) * step
    ticks = []
    value = first
    while value <= high + step * 1e-9:
        ticks.append(round(value, 12))
        value += step
    return ticks


def tick_label(value: float) -> str:
    """A short label: 0.5, 12, 1E-3."""
    if value == 0:
        return "0"
    if abs(value) >= 1e4 or abs(value) < 1e-2:
        return f"{value:.0E}".replace("E-0", "E-").replace("E+0", "E").replace("E+", "E")
    return f"{value:.4g}"


@dataclass(frozen=True)
class Line:
    """One curve of a panel: points, colour, pen width and its legend entry."""

    x: np.ndarray
    y: np.ndarray
    colour: Colour
    label: str
    thickness: int = 2


def line_panel(canvas: Canvas, box: tuple[int, int, int, int], title: str,
               lines: Sequence[Line], *, log: bool = False,
               limits: tuple[float, float] | None = None, x_label: str = "epoch",
               legend_width: int = 230) -> None:
    """A titled chart in ``box`` = (left, top, width, height): grid, ticks, the lines
    clipped to the plot, and a legend to the right of the plot (``legend_width`` pixels).
    ``log`` draws y on a log scale (decades as ticks; values <= 0 are left out)."""
    left0, top, width, height = box
    canvas.text(left0, top + 6, title, scale=2, max_width=width)
    left, right = left0, left0 + width - legend_width
    plot_top, plot_bottom = top + 30, top + height - 34
    ys = []
    for line in lines:
        data = np.asarray(line.y, dtype=float)
        if log:
            data = np.log10(np.where(data > 0, data, np.nan))
        ys.append(data)
    finite = np.concatenate([d[np.isfinite(d)] for d in ys]) if ys else np.zeros(0)
    if limits is not None:
        low, high = limits
    elif finite.size and log:
        low, high = math.floor(float(finite.min())), math.ceil(float(finite.max()))
    elif finite.size:
        ticks = nice_ticks(float(finite.min()), float(finite.max()), 4)
        low, high = (min(ticks[0], float(finite.min())), max(ticks[-1], float(finite.max()))
                     ) if ticks else (float(finite.min()), float(finite.max()))
    else:
        low, high = 0.0, 1.0
    if high <= low:
        high = low + 1
    xs = np.concatenate([np.asarray(line.x, float) for line in lines]) if lines else \
        np.zeros(0)
    xs = xs[np.isfinite(xs)]
    x_low, x_high = (float(xs.min()), float(xs.max())) if xs.size else (0.0, 1.0)
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
    canvas.text(right - text_width(x_label), plot_bottom + 19, x_label, DARK)
    canvas.frame(left, plot_top, right - left + 1, plot_bottom - plot_top + 1, DARK)
    clip = (left + 1, plot_top + 1, right - 1, plot_bottom - 1)
    row = text_height() + 5
    shown = 0
    for line, data in zip(lines, ys, strict=True):
        if not np.any(np.isfinite(data)):
            continue
        canvas.polyline(px(line.x), py(data), line.colour, thickness=line.thickness,
                        clip=clip)
        y = plot_top + shown * row
        canvas.rect(right + 14, y + 3 - line.thickness // 2, 14, line.thickness, line.colour)
        canvas.text(right + 34, y, line.label, line.colour,
                    max_width=left0 + width - right - 36)
        shown += 1

