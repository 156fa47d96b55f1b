"""The PNG writer and weight mosaic behind ``workbench run --out`` weight pictures."""

from __future__ import annotations

import numpy as np
from flow_helpers import decode_png

from workbench.flow.nodes.png import png_bytes, weight_mosaic


def test_png_round_trips_the_pixels():
    image = np.arange(35, dtype=np.uint8).reshape(5, 7) * 7
    np.testing.assert_array_equal(decode_png(png_bytes(image)), image)
    colour = np.arange(105, dtype=np.uint8).reshape(5, 7, 3)
    np.testing.assert_array_equal(decode_png(png_bytes(colour)), colour)


def test_mosaic_tiles_each_unit_centred_on_zero():
    weights = np.zeros((5, 9))
    weights[0, 4] = 2.0    # unit 0: one bright centre pixel
    weights[1, 0] = -3.0   # unit 1: one dark corner
    mosaic = weight_mosaic(weights, scale=1, gap=1)
    assert mosaic.shape == (2 * 4 + 1, 3 * 4 + 1)  # 5 tiles of 3x3: 2 rows of 3
    assert mosaic[2, 2] == 255 and mosaic[1, 1] == 128  # unit 0: centre white, rest grey
    assert mosaic[1, 5] == 0                             # unit 1: corner black
    assert weight_mosaic(np.zeros((4, 10))) is None      # 10 inputs are not a square
