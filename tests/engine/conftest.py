"""Engine test fixtures: ``xp`` runs a test on NumPy and, where a GPU answers, CuPy."""

from __future__ import annotations

from types import ModuleType

import numpy as np
import pytest


def _cupy_params() -> list:
    try:
        import cupy

        if cupy.is_available():
            return [pytest.param(cupy, id="cupy", marks=pytest.mark.gpu)]
    except Exception:
        pass
    return []


@pytest.fixture(params=[pytest.param(np, id="numpy"), *_cupy_params()])
def xp(request: pytest.FixtureRequest) -> ModuleType:
    """The array module under test."""
    return request.param


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(1234)
