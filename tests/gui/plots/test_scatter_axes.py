"""Jitter, axis ranges and the spread tiers shared by the scatter plots."""

import numpy as np
import pytest

from workbench.gui.plots.scatter_axes import JITTER_MAX, jittered, padded_range, spread


def test_a_constant_gets_a_unit_either_side_and_holds_its_jitter():
    zeros = np.zeros(500)
    assert padded_range(zeros) == (-1.0, 1.0)
    assert padded_range(np.full(5, 255.0)) == pytest.approx((229.5, 280.5))
    moved = jittered(zeros, JITTER_MAX, nominal=False)
    assert padded_range(zeros, drawn=moved) == (-1.0, 1.0)
    assert 0.4 < np.abs(moved).max() <= 0.5


def test_numeric_range_holds_every_drawn_point_with_room():
    values = np.array([1.0, 2.0, 7.0])
    low, high = padded_range(values, drawn=values + np.array([-0.5, 0.0, 0.5]))
    assert low < 0.5 and high > 7.5
    assert padded_range(np.array([np.nan, np.nan])) == (0.0, 1.0)


def test_nominal_jitter_stays_in_its_slot_and_is_reproducible():
    codes = np.repeat(np.arange(10.0), 50)
    moved = jittered(codes, JITTER_MAX, nominal=True, seed=3)
    assert np.all(np.abs(moved - codes) <= 0.5)
    np.testing.assert_array_equal(moved, jittered(codes, JITTER_MAX, nominal=True, seed=3))
    assert not np.array_equal(moved, jittered(codes, JITTER_MAX, nominal=True, seed=4))
    low, high = padded_range(codes, 10, moved)
    assert low <= moved.min() and high >= moved.max() and low < -0.5
    np.testing.assert_array_equal(jittered(codes, 0, nominal=True), codes)
    assert np.isnan(jittered(np.array([np.nan, 1.0]), 20, nominal=False)[0])


def test_spread_tiers():
    assert spread(np.zeros(100)) == 0
    assert spread(np.full(4, np.nan)) == 0
    rare = np.zeros(1000)
    rare[:10] = 1.0  # a border pixel: ten strokes in a thousand images
    assert spread(rare) == 1
    assert spread(np.arange(100.0) % 3) == 2
