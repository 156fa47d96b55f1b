"""A tiny greyscale PNG writer and a weight mosaic, so ``workbench run --out`` can save
learned weights as pictures without the GUI libraries.

PNG is zlib-compressed scanlines between three chunks; the standard library has all it
takes (``zlib``, ``struct``). Only what weight images need is here: 8-bit grey, no
filtering. Charts are not drawn here — lines and axes are the GUI's job.

A weight mosaic is at most ``MAX_PIXELS`` pixels, checked from the array's shape before
anything is drawn: a 2 KB flow asking for 10 000 hidden units at scale 64 (both in range)
described a 57 664 x 57 664 picture and took 6.6 GB before failing.
"""

from __future__ import annotations

import math
import struct
import zlib
from pathlib import Path

import numpy as np

from workbench.core.atomic import write_bytes_atomic
from workbench.core.errors import WorkbenchError

# 64 megapixels (8000 x 8000): under the 89.5 megapixels past which Pillow warns of a
# decompression bomb, so tools built on it open our pictures; a picture costs about
# 3 bytes a pixel while it is scaled, framed and compressed (~200 MB at the limit); and
# MNIST's 28 x 28 inputs with 1000 hidden units still fit at scale 8 (55 megapixels).
# The bundled templates' pictures are under 0.1 megapixel.
MAX_PIXELS = 64_000_000


class PictureTooLarge(WorkbenchError):
    """A picture would have more than ``MAX_PIXELS`` pixels; the message says its size."""


def _chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def png_bytes(image: np.ndarray) -> bytes:
    """An 8-bit PNG of a uint8 array: greyscale for (height, width), RGB for
    (height, width, 3)."""
    image = np.ascontiguousarray(image, dtype=np.uint8)
    rgb = image.ndim == 3 and image.shape[2] == 3
    if not (image.ndim == 2 or rgb) or image.size == 0:
        raise ValueError(f"an image must be a non-empty (height, width) or (height, width, "
                         f"3) array, got {image.shape}")
    height, width = image.shape[:2]
    header = struct.pack(">IIBBBBB", width, height, 8, 2 if rgb else 0, 0, 0, 0)
    rows = np.hstack([np.zeros((height, 1), dtype=np.uint8),  # filter type 0
                      image.reshape(height, -1)])
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header)
            + _chunk(b"IDAT", zlib.compress(rows.tobytes(), 9)) + _chunk(b"IEND", b""))


def write_png(path: Path, image: np.ndarray) -> None:
    """Write the PNG atomically (temporary file, then rename)."""
    write_bytes_atomic(path, png_bytes(image))


def mosaic_size(shape: tuple[int, ...], scale: int = 4, gap: int = 1) -> tuple[int, int] | None:
    """(height, width) of ``weight_mosaic``'s picture for weights of ``shape``, computed
    without building it; None when the inputs are not a square image."""
    layout = _layout(shape)
    if layout is None:
        return None
    count, h, w = layout
    columns = math.ceil(math.sqrt(count))
    rows = math.ceil(count / columns) if count else 0
    return ((rows * (h + gap) + gap) * scale, (columns * (w + gap) + gap) * scale)


def largest_scale(shape: tuple[int, ...], gap: int = 1) -> int:
    """The largest scale at which weights of ``shape`` make a picture within
    ``MAX_PIXELS`` (0: none does, not even scale 1)."""
    size = mosaic_size(shape, 1, gap)
    if size is None or size[0] * size[1] == 0:
        return 0
    return math.isqrt(MAX_PIXELS // (size[0] * size[1]))


def _layout(shape: tuple[int, ...]) -> tuple[int, int, int] | None:
    """(tiles, tile height, tile width) for weights of ``shape``."""
    if len(shape) == 4:
        return shape[0], shape[2], shape[3]
    if len(shape) == 2:
        side = math.isqrt(shape[1])
        if side < 2 or side * side != shape[1]:
            return None
        return shape[0], side, side
    return None


def weight_mosaic(weights: np.ndarray, scale: int = 4, gap: int = 1) -> np.ndarray | None:
    """Tiles of one unit's input weights each, when those form a square image.

    ``weights`` is ``(units, inputs)`` (one row per hidden unit) or ``(units, channels,
    h, w)`` (convolution filters, channels averaged). Each tile is scaled symmetrically
    around zero (mid-grey = 0, white = its largest positive weight), as weight pictures
    in the tutorials are. Returns None when the inputs are not a square image; raises
    ``PictureTooLarge`` before drawing a picture of more than ``MAX_PIXELS`` pixels.
    """
    size = mosaic_size(np.shape(weights), scale, gap)
    if size is None:
        return None
    if size[0] * size[1] > MAX_PIXELS:
        raise PictureTooLarge(
            f"a picture of {np.shape(weights)[0]:,} units at scale {scale} would be "
            f"{size[1]:,} x {size[0]:,} pixels ({size[0] * size[1] / 1e6:,.0f} "
            f"megapixels), more than the {MAX_PIXELS // 1_000_000}-megapixel limit")
    array = np.asarray(weights, dtype=np.float64)
    if array.ndim == 4:
        tiles = array.mean(axis=1)
    else:
        side = math.isqrt(array.shape[1])
        tiles = array.reshape(array.shape[0], side, side)
    count, h, w = tiles.shape
    columns = math.ceil(math.sqrt(count))
    rows = math.ceil(count / columns)
    canvas = np.full((rows * (h + gap) + gap, columns * (w + gap) + gap), 255, np.uint8)
    for k, tile in enumerate(tiles):
        peak = np.abs(tile).max()
        grey = 127.5 + 127.5 * (tile / peak if peak > 0 else tile)
        r, c = divmod(k, columns)
        top, left = gap + r * (h + gap), gap + c * (w + gap)
        canvas[top:top + h, left:left + w] = np.clip(np.rint(grey), 0, 255).astype(np.uint8)
    return np.kron(canvas, np.ones((scale, scale), dtype=np.uint8))
