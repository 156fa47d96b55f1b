"""The PNG writer and weight mosaic behind ``workbench run --out`` weight pictures."""

from __future__ import annotations

import numpy as np
import pytest
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


def test_the_mosaic_size_is_known_before_drawing_and_a_huge_one_is_refused():
    from workbench.core.memory_ceiling import limited_memory
    from workbench.flow.nodes.png import (
        MAX_PIXELS,
        PictureTooLarge,
        largest_scale,
        mosaic_size,
    )

    for shape, scale in [((5, 9), 1), ((16, 64), 4), ((7, 3, 5, 5), 3), ((1, 4), 2)]:
        drawn = weight_mosaic(np.ones(shape), scale=scale)
        assert drawn is not None and drawn.shape == mosaic_size(shape, scale)
    assert mosaic_size((4, 10), 4) is None
    # 10 000 units over 8x8 inputs: 901 x 901 at scale 1, 57 664 x 57 664 at scale 64
    many = np.zeros((10_000, 64))
    assert largest_scale(many.shape) == 8 and (901 * 8) ** 2 <= MAX_PIXELS < (901 * 9) ** 2
    with limited_memory(300 * 2**20), pytest.raises(
            PictureTooLarge, match=r"a picture of 10,000 units at scale 64 would be 57,664 x "
            r"57,664 pixels \(3,325 megapixels\), more than the 64-megapixel limit"):
        weight_mosaic(many, scale=64)
    assert largest_scale((100_000_000, 4)) == 0   # too many tiles even at scale 1
