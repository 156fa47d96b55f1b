"""Stand-in classifiers and small datasets for the evaluation tests.

The stand-ins follow the classifier contract (``workbench.classifiers.base``) and record
what they were trained on, so tests can check which rows each fold used, that the full
model saw all data, and that progress and cancellation pass through.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from workbench.classifiers.base import Classifier
from workbench.classifiers.capabilities import Capabilities
from workbench.core.params import Param
from workbench.core.progress import check, report
from workbench.data.dataset import Attribute, Dataset

ROOT = Path(__file__).resolve().parents[2]
# The bundled datasets, then the few more the tests need (tests/fixtures/datasets).
DATASETS = [ROOT / "workbench" / "resources" / "datasets", ROOT / "tests" / "fixtures" / "datasets"]


def dataset_path(name: str) -> Path:
    for folder in DATASETS:
        if (folder / name).exists():
            return folder / name
    raise FileNotFoundError(f"dataset {name} is neither bundled nor in tests/fixtures/datasets")


def load(name: str) -> Dataset:
    from workbench.data.io import load_dataset

    return load_dataset(dataset_path(name), class_index=-1)


class MajorityStandIn(Classifier):
    """Predicts the training class frequencies (nominal) or mean (numeric); records the
    first attribute of every training row so tests can see which rows a fold used."""

    name = "standin"
    display_name = "Stand-in"
    category = "rules"
    capabilities = Capabilities(numeric_class=True, min_instances=0)
    epochs = Param.integer(2, "progress events per fit", low=0)

    def _fit(self, data: Dataset, progress: Any, cancel: Any) -> None:
        self.seen_ = data.column(0).copy()
        for epoch in range(self.epochs):
            check(cancel)
            report(progress, (epoch + 1) / self.epochs, f"epoch {epoch + 1}", epoch=epoch)
        y, w = data.class_values, data.weights
        if self.classes_:
            counts = np.ones(len(self.classes_))
            np.add.at(counts, y.astype(np.intp), w)
            self.dist_ = counts / counts.sum()
        else:
            self.mean_ = float(np.dot(w, y) / w.sum()) if w.sum() > 0 else 0.0

    def _predict_proba(self, data: Dataset) -> np.ndarray:
        return np.tile(self.dist_, (data.num_instances, 1))

    def _predict_values(self, data: Dataset) -> np.ndarray:
        return np.full(data.num_instances, self.mean_)


class NearestStandIn(Classifier):
    """1-nearest neighbour on the first attribute: predictions depend on the fold."""

    name = "nearest-standin"
    capabilities = Capabilities(numeric_class=True, min_instances=1)
    params = ()

    def _fit(self, data: Dataset, progress: Any, cancel: Any) -> None:
        self.x_ = data.column(0).copy()
        self.y_ = data.class_values.copy()

    def _nearest(self, data: Dataset) -> np.ndarray:
        return np.argmin(np.abs(data.column(0)[:, None] - self.x_[None, :]), axis=1)

    def _predict_proba(self, data: Dataset) -> np.ndarray:
        out = np.zeros((data.num_instances, len(self.classes_)))
        out[np.arange(data.num_instances), self.y_[self._nearest(data)].astype(int)] = 1.0
        return out

    def _predict_values(self, data: Dataset) -> np.ndarray:
        return self.y_[self._nearest(data)]


def nominal_dataset(n: int = 40, k: int = 3, seed: int = 0, missing: int = 0) -> Dataset:
    """A dataset whose first attribute is the row number and whose class cycles."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, k, n).astype(float)
    if missing:
        y[rng.choice(n, missing, replace=False)] = np.nan
    X = np.c_[np.arange(n, dtype=float), rng.normal(size=n), y]
    attrs = [Attribute.numeric("row"), Attribute.numeric("noise"),
             Attribute.nominal("class", [f"c{i}" for i in range(k)])]
    return Dataset("toy", attrs, X, class_index=2)


def numeric_dataset(n: int = 30, seed: int = 0) -> Dataset:
    rng = np.random.default_rng(seed)
    x = np.arange(n, dtype=float)
    y = 2 * x + rng.normal(size=n)
    return Dataset("line", [Attribute.numeric("x"), Attribute.numeric("y")], np.c_[x, y],
                   class_index=1)
