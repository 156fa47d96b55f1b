"""Shared helpers: datasets for the classifier tests.

Datasets are the bundled ones or the few in ``tests/fixtures/datasets`` (``cpu.arff``
for regression), read through ``workbench.data.io``: a dataset that is missing, or a
reader that is broken, fails the test instead of skipping it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from workbench.data.dataset import Attribute, Dataset

ROOT = Path(__file__).resolve().parents[2]
# The bundled datasets, then the few more the tests need (tests/fixtures/datasets).
SEARCH = [ROOT / "workbench" / "resources" / "datasets", ROOT / "tests" / "fixtures" / "datasets"]


def find_dataset(name: str) -> Path:
    for folder in SEARCH:
        for candidate in (folder / name, folder / (name + ".gz")):
            if candidate.exists():
                return candidate
    raise FileNotFoundError(f"dataset {name} is neither bundled nor in tests/fixtures/datasets")


def load(name: str) -> Dataset:
    """A bundled (or fixture) dataset with its last attribute as the class."""
    from workbench.data.io import load_dataset

    return load_dataset(find_dataset(name), class_index=-1)


def make_dataset(X: np.ndarray, y: np.ndarray, labels: tuple[str, ...] | None = None,
                 relation: str = "toy") -> Dataset:
    """Numeric attributes x1..xd and a class (nominal when labels are given)."""
    X = np.asarray(X, dtype=np.float64)
    attributes = [Attribute.numeric(f"x{i + 1}") for i in range(X.shape[1])]
    if labels is None:
        attributes.append(Attribute.numeric("class"))
    else:
        attributes.append(Attribute.nominal("class", labels))
    values = np.column_stack([X, np.asarray(y, dtype=np.float64)])
    return Dataset(relation, attributes, values, class_index=X.shape[1])
