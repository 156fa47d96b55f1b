"""Datasets shared by the filter tests: bundled files and small ones built in code."""

from __future__ import annotations

import numpy as np
import pytest

from workbench.data.catalog import load_bundled
from workbench.data.dataset import Attribute, Dataset


@pytest.fixture(scope="session")
def iris() -> Dataset:
    return load_bundled("iris")


@pytest.fixture(scope="session")
def labor() -> Dataset:
    """Numeric and nominal attributes with many missing values."""
    return load_bundled("labor")


@pytest.fixture(scope="session")
def weather() -> Dataset:
    return load_bundled("weather.nominal")


@pytest.fixture
def small() -> Dataset:
    """Numeric, nominal (three and two values) and a nominal class, with gaps and weights."""
    X = np.array([
        [1.0, 0, 0, 0],
        [2.0, 1, 1, 1],
        [np.nan, 2, 1, 1],
        [4.0, np.nan, 0, 0],
        [5.0, 0, np.nan, 1],
    ])
    attributes = [Attribute.numeric("a"), Attribute.nominal("b", ["x", "y", "z"]),
                  Attribute.nominal("c", ["lo", "hi"]), Attribute.nominal("cls", ["no", "yes"])]
    return Dataset("small", attributes, X, weights=np.array([1, 2, 1, 1, 0.5]), class_index=3)
