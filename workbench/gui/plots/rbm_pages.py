"""The DBN's pages of the weights window: RBM units, reconstructions, Gibbs samples.

They draw what the ``RbmUnits``, ``RbmReconstructions`` and ``RbmSamples`` protocols of
``workbench.classifiers.inspection`` give, as tiles over the input image when there is
one (Hinton diagrams above the first RBM). Each page has a ``table()`` for CSV export.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QSignalBlocker
from PySide6.QtWidgets import QComboBox, QLabel, QPushButton, QSpinBox, QVBoxLayout, QWidget

from workbench.classifiers.geometry import infer_geometry
from workbench.core.errors import WorkbenchError
from workbench.data.dataset import Dataset
from workbench.gui.plots.diagrams import HintonView
from workbench.gui.plots.mosaic import MosaicView
from workbench.gui.plots.page_parts import as_images, controls_row, geometry_shape, instance_box
from workbench.gui.workers import Job


class RbmPage(QWidget):
    """Each RBM's hidden units: tiles over the image for the first, Hinton above it."""

    def __init__(self, model: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.layer_box = QComboBox()
        count = _rbm_count(model)
        self.layer_box.addItems([f"RBM {i + 1}" for i in range(count)])
        self.mosaic = MosaicView()
        self.hinton: HintonView | None = None
        self.body = QVBoxLayout()
        self.body.addWidget(self.mosaic)
        layout = QVBoxLayout(self)
        layout.addLayout(controls_row(QLabel("Layer:"), self.layer_box))
        layout.addLayout(self.body, 1)
        self.layer_box.currentIndexChanged.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        count = _rbm_count(self.model)  # grows while the stack pre-trains
        if count > self.layer_box.count():
            with QSignalBlocker(self.layer_box):
                self.layer_box.addItems([f"RBM {i + 1}"
                                         for i in range(self.layer_box.count(), count)])
        layer = max(self.layer_box.currentIndex(), 0)
        weight = np.asarray(self.model.rbm_weights(layer), dtype=np.float64)
        shape = geometry_shape(self.model) if layer == 0 else None
        images = as_images(weight, shape) if shape is not None and \
            weight.shape[1] == int(np.prod(shape)) else None
        if images is not None:
            self.mosaic.setVisible(True)
            if self.hinton is not None:
                self.hinton.setVisible(False)
            self.mosaic.set_tiles(images, labels=[f"unit {i}" for i in range(len(images))])
            self.mosaic.title.setText(f"RBM {layer + 1}: {len(images)} hidden units "
                                      f"(red +, blue -)")
            return
        self.mosaic.setVisible(False)
        if self.hinton is None:
            self.hinton = HintonView(weight, title=f"RBM {layer + 1}")
            self.body.addWidget(self.hinton)
        else:
            self.hinton.set_weight(weight)
        self.hinton.setVisible(True)

    def table(self) -> tuple[list[str], list[list[Any]]]:
        weight = np.asarray(self.model.rbm_weights(max(self.layer_box.currentIndex(), 0)))
        return (["unit", *[f"w{j}" for j in range(weight.shape[1])]],
                [[i, *weight[i].tolist()] for i in range(weight.shape[0])])


def _rbm_count(model: Any) -> int:
    count = 0
    while count < 32:
        try:
            model.rbm_weights(count)
        except (WorkbenchError, IndexError):
            break
        count += 1
    return count


class ReconstructionPage(QWidget):
    """Inputs (top row) and their reconstructions through the stack (bottom row)."""

    def __init__(self, model: Any, data: Dataset, count: int = 10,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model, self.data = model, data
        self.first = instance_box(data)
        self.mosaic = MosaicView()
        layout = QVBoxLayout(self)
        layout.addLayout(controls_row(QLabel("From"), self.first))
        layout.addWidget(self.mosaic, 1)
        self.count = count
        self.first.valueChanged.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        start = self.first.value() - 1
        rows = list(range(start, min(start + self.count, self.data.num_instances)))
        recon = np.asarray(self.model.reconstruct(self.data, rows), dtype=np.float64)
        geometry = infer_geometry(self.data)
        # Show the inputs as the model saw them (scaled), so both rows share one scale.
        inputs = np.asarray(self.model.encode(self.data, rows), dtype=np.float64)
        shape = geometry_shape(self.model) or geometry.shape
        tiles = np.concatenate([as_images(inputs, shape), as_images(recon, shape)])
        self.mosaic.set_tiles(tiles, columns=len(rows), signed=False,
                              labels=[f"input {r + 1}" for r in rows]
                              + [f"reconstruction {r + 1}" for r in rows])
        self.mosaic.title.setText("top: inputs; bottom: their reconstructions")

    def table(self) -> tuple[list[str], list[list[Any]]]:
        return self.mosaic.table()


class SamplePage(QWidget):
    """Samples drawn by Gibbs sampling from the top RBM, passed down to the pixels.

    Sampling runs on a worker (``Job``): up to 100 000 Gibbs sweeps take long enough to
    freeze the window if run in the click's slot. The samplers take no progress or cancel
    hooks, so the page shows "sampling..." and keeps Sample disabled until the samples
    arrive (queued, on the GUI thread); a page closed meanwhile ignores them.
    """

    def __init__(self, model: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.job: Job | None = None
        self.job_steps = 0
        self.steps = QSpinBox()
        self.steps.setRange(1, 100000)
        self.steps.setValue(1000)
        self.steps.setPrefix("Gibbs steps ")
        self.seed = QSpinBox()
        self.seed.setRange(0, 1_000_000)
        self.seed.setPrefix("seed ")
        self.button = QPushButton("Sample")
        self.mosaic = MosaicView()
        layout = QVBoxLayout(self)
        layout.addLayout(controls_row(self.steps, self.seed, self.button))
        layout.addWidget(self.mosaic, 1)
        self.button.clicked.connect(lambda: self.refresh())
        self.refresh()

    @property
    def sampling(self) -> bool:
        """True from a refresh until its samples (or its error) have been shown."""
        return self.job is not None

    def refresh(self, n: int = 20) -> None:
        """Start drawing ``n`` samples on a worker; returns at once."""
        if self.job is not None:
            return
        model, steps, seed = self.model, self.steps.value(), self.seed.value()

        def work(progress: Any, cancel: Any) -> np.ndarray:
            return np.asarray(model.sample(n, steps, seed), dtype=np.float64)

        job = Job(work, "rbm-sample")
        # Slots of this page (not lambdas), so that a page closed meanwhile is
        # disconnected by Qt and the late samples go nowhere.
        job.finished.connect(self._show)
        job.failed.connect(self._failed)
        job.done.connect(self._done)
        self.job, self.job_steps = job, steps
        self.button.setEnabled(False)
        self.mosaic.title.setText(f"sampling... ({steps} Gibbs steps)")
        job.start()

    def _show(self, samples: np.ndarray) -> None:
        steps = self.job_steps
        shape = geometry_shape(self.model)
        images = as_images(samples, shape)
        tiles = images if images is not None else samples[:, None, :]
        self.mosaic.set_tiles(tiles, signed=False, columns=10,
                              labels=[f"sample {i}" for i in range(len(tiles))])
        self.mosaic.title.setText(f"{len(tiles)} samples after {steps} Gibbs steps")

    def _failed(self, message: str, details: str) -> None:
        self.mosaic.title.setText(f"sampling failed: {message}")

    def _done(self) -> None:
        self.job = None
        self.button.setEnabled(True)

    def table(self) -> tuple[list[str], list[list[Any]]]:
        return self.mosaic.table()
