"""A tiny greyscale PNG writer and a weight mosaic, so ``workbench run --out`` can save
learned weights as pictures without the GUI libraries.

PNG is zlib-compressed scanlines between three chunks; the standard library has all it
takes (``zlib``, ``struct``). Only what weight images need is here: 8-bit grey, no
filtering. Charts are not drawn here — lines and axes are the GUI's job.
"""

from __future__ import annotations

import math
import struct
import zlib
from pathlib import Path

import numpy as np

from workbench.core.atomic import write_bytes_atomic


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


def weight_mosaic(weights: np.ndarray, scale: int = 4, gap: int = 1) -> np.ndarray | None:
    """Tiles of one unit's input weights each, when those form a square image.

    ``weights`` is ``(units, inputs)`` (one row per hidden unit) or ``(units, channels,
    h, w)`` (convolution filters, channels averaged). Each tile is scaled symmetrically
    around zero (mid-grey = 0, white = its largest positive weight), as weight pictures
    in the tutorials are. Returns None when the inputs are not a square image.
    """
    array = np.asarray(weights, dtype=np.float64)
    if array.ndim == 4:
        tiles = array.mean(axis=1)
    elif array.ndim == 2:
        side = math.isqrt(array.shape[1])
        if side < 2 or side * side != array.shape[1]:
            return None
        tiles = array.reshape(array.shape[0], side, side)
    else:
        return None
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
