"""The PNG writer and weight mosaic behind ``workbench run --out`` weight pictures."""

from __future__ import annotations

import struct
import zlib

import numpy as np

from workbench.flow.nodes.png import png_bytes, weight_mosaic


def _decode(data: bytes) -> np.ndarray:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks = 8, {}
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
        assert crc == zlib.crc32(kind + body)
        chunks[kind] = chunks.get(kind, b"") + body
        pos += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", chunks[b"IHDR"][:10])
    assert (depth, colour) == (8, 0)
    raw = np.frombuffer(zlib.decompress(chunks[b"IDAT"]), dtype=np.uint8)
    rows = raw.reshape(height, width + 1)
    assert not rows[:, 0].any()  # filter type 0 on every scanline
    return rows[:, 1:]


def test_png_round_trips_the_pixels():
    image = np.arange(35, dtype=np.uint8).reshape(5, 7) * 7
    np.testing.assert_array_equal(_decode(png_bytes(image)), image)


def test_mosaic_tiles_each_unit_centred_on_zero():
    weights = np.zeros((5, 9))
    weights[0, 4] = 2.0    # unit 0: one bright centre pixel
    weights[1, 0] = -3.0   # unit 1: one dark corner
    mosaic = weight_mosaic(weights, scale=1, gap=1)
    assert mosaic.shape == (2 * 4 + 1, 3 * 4 + 1)  # 5 tiles of 3x3: 2 rows of 3
    assert mosaic[2, 2] == 255 and mosaic[1, 1] == 128  # unit 0: centre white, rest grey
    assert mosaic[1, 5] == 0                             # unit 1: corner black
    assert weight_mosaic(np.zeros((4, 10))) is None      # 10 inputs are not a square
