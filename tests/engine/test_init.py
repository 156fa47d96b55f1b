"""Initialisers: the right ranges and spreads, seeded, default float32."""

from __future__ import annotations

import math

import numpy as np
import pytest

from workbench.core.errors import ParameterError
from workbench.engine import init
from workbench.engine.backend import to_host


def test_fans_follow_torch_convention():
    assert init.fans((10, 20)) == (20, 10)
    assert init.fans((6, 3, 5, 5)) == (75, 150)
    assert init.fans((7,)) == (7, 7)


@pytest.mark.parametrize(("name", "bound"), [
    ("sigmoid_uniform", 4 * math.sqrt(6 / 300)),
    ("glorot_uniform", math.sqrt(6 / 300)),
    ("he_uniform", math.sqrt(6 / 200)),
])
def test_uniform_rules_fill_their_range(name, bound):
    w = to_host(init.get_initializer(name)((100, 200), 0))
    assert w.dtype == np.float32
    assert np.abs(w).max() <= bound
    assert np.abs(w).max() > 0.98 * bound  # 20 000 draws reach the edge
    assert abs(w.mean()) < 0.02 * bound


@pytest.mark.parametrize(("name", "std"), [
    ("glorot_normal", math.sqrt(2 / 300)),
    ("he_normal", math.sqrt(2 / 200)),
    ("small_normal", 0.01),
])
def test_normal_rules_have_their_spread(name, std):
    w = to_host(init.get_initializer(name)((100, 200), 1))
    assert w.std() == pytest.approx(std, rel=0.03)


def test_same_seed_same_weights_and_different_seed_differs():
    a = to_host(init.glorot_uniform((5, 7), 42))
    b = to_host(init.glorot_uniform((5, 7), np.random.default_rng(42)))
    c = to_host(init.glorot_uniform((5, 7), 43))
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_zeros_and_dtype_override():
    z = to_host(init.zeros((3, 2), dtype=np.float64))
    assert z.dtype == np.float64 and not z.any()


def test_unknown_initialiser_names_the_choices():
    with pytest.raises(ParameterError, match="glorot_uniform"):
        init.get_initializer("xavier")
