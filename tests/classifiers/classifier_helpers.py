"""Shared helpers: datasets for the classifier tests.

Datasets come through ``workbench.data.io`` when the ARFF reader is there; until then
(the reader is built in parallel) liac-arff reads the same files, so these tests never
depend on another part's progress to be meaningful.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import pytest

from workbench.data.dataset import Attribute, Dataset

ROOT = Path(__file__).resolve().parents[2]
SEARCH = [ROOT / "workbench" / "resources" / "datasets", Path("/work/shared/datasets/weka")]


def find_dataset(name: str) -> Path:
    for folder in SEARCH:
        for candidate in (folder / name, folder / (name + ".gz")):
            if candidate.exists():
                return candidate
    pytest.skip(f"dataset {name} is not available")


def load(name: str) -> Dataset:
    """A bundled dataset with its last attribute as the class."""
    path = find_dataset(name)
    try:
        from workbench.data.io import load_dataset

        return load_dataset(path, class_index=-1)
    except ModuleNotFoundError:
        return _liac(path)


def _liac(path: Path) -> Dataset:
    import arff

    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt") as handle:
        raw = arff.load(handle)
    attributes = []
    columns = []
    data = raw["data"]
    for j, (name, kind) in enumerate(raw["attributes"]):
        values = [row[j] for row in data]
        if isinstance(kind, list):
            attributes.append(Attribute.nominal(name, kind))
            columns.append([np.nan if v is None else kind.index(v) for v in values])
        else:
            attributes.append(Attribute.numeric(name))
            columns.append([np.nan if v is None else float(v) for v in values])
    X = np.array(columns, dtype=np.float64).T.reshape(len(data), len(attributes))
    return Dataset(raw["relation"], attributes, X, class_index=len(attributes) - 1)


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
