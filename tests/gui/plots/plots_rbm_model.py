"""A one-RBM model with the DBN viewer hooks, built on the engine's RBM.

The DBN classifier is being written elsewhere; this model lets the DBN pages of the
weights viewer be tested against a really trained RBM, through the same hooks the DBN
exposes (the ``RbmUnits``, ``RbmReconstructions``, ``RbmSamples`` and ``InputGeometry``
protocols of ``workbench.classifiers.inspection``).
"""

from __future__ import annotations

import numpy as np

from workbench.classifiers.geometry import infer_geometry
from workbench.core.errors import WorkbenchError
from workbench.data.dataset import Dataset
from workbench.engine.backend import to_host
from workbench.engine.rbm import RBM


class TrainedRbm:
    def __init__(self, data: Dataset, hidden: int, epochs: int, seed: int = 1) -> None:
        self.geometry = infer_geometry(data)
        pixels = self.geometry.flat(data)
        self.scale = float(np.nanmax(pixels)) or 1.0
        self.rbm = RBM(self.geometry.size, hidden, rng=seed)
        rng = np.random.default_rng(seed)
        for _ in range(epochs):
            self.rbm.fit_epoch(pixels / self.scale, batch_size=20, lr=0.1, rng=rng)
        self.header_ = data.header()
        self.classes_ = tuple(data.class_attribute.values)

    @property
    def input_geometry(self) -> tuple[int, int, int]:
        return self.geometry.shape

    def rbm_weights(self, layer: int) -> np.ndarray:
        if layer != 0:
            raise WorkbenchError(f"there is no RBM {layer + 1}")
        return np.array(to_host(self.rbm.weight), dtype=np.float64)

    def encode(self, dataset: Dataset, rows: list[int]) -> np.ndarray:
        return self.geometry.flat(dataset.select_rows(rows)) / self.scale

    def reconstruct(self, dataset: Dataset, rows: list[int]) -> np.ndarray:
        v = self.encode(dataset, rows)
        means = self.rbm.visible_means(self.rbm.transform(v))
        return np.array(to_host(means), dtype=np.float64)

    def sample(self, n: int, steps: int, seed: int) -> np.ndarray:
        return np.array(to_host(self.rbm.sample(n, steps, np.random.default_rng(seed))),
                        dtype=np.float64)
