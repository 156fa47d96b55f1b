"""The learned-weights viewer: what each kind of network learned, as pictures.

One widget for every fitted classifier; it offers the pages the model can fill, found by
``hasattr`` on the viewer hooks (DESIGN.md: classifiers expose arrays, the GUI draws):

* hidden units (MLP, DBN): the input weights of each unit as tiles when the inputs are
  an image (diverging colours centred on 0), as a Hinton diagram otherwise;
* network: the whole net as a diagram, when it is small enough to read;
* CNN: convolution filters as tiles, and feature maps of a chosen instance;
* DBN: each RBM's units, reconstructions beside their inputs, Gibbs samples;
* RNN: the hidden state over time of a chosen instance, as a heat map;
* k-NN: the nearest neighbours of a chosen instance, with distances;
* perceptron: the weight vector (as an image or bars) and the decision boundary of 2-D data.

``on_progress`` makes the unit tiles and the diagram follow a model while it trains,
redrawn by a timer so drawing never slows the training thread.
"""

from __future__ import annotations

import contextlib
from typing import Any

import numpy as np
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from workbench.core.errors import WorkbenchError
from workbench.core.progress import ProgressEvent
from workbench.data.dataset import Dataset
from workbench.gui.plots.diagrams import HintonView, NetworkDiagram, diagram_fits
from workbench.gui.plots.export import ExportBar
from workbench.gui.plots.model_arrays import (
    dense_layers,
    image_layout,
    input_names,
    output_names,
    unit_images,
)
from workbench.gui.plots.model_pages import (
    FeatureMapPage,
    FilterPage,
    HiddenStatePage,
    NeighboursPage,
    PerceptronPage,
    RbmPage,
    ReconstructionPage,
    SamplePage,
)
from workbench.gui.plots.mosaic import MosaicView

REFRESH_MS = 500


class UnitsPage(QWidget):
    """Input weights of the hidden units of one dense layer: tiles or a Hinton diagram."""

    def __init__(self, model: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.layer_box = QComboBox()
        top = QHBoxLayout()
        top.addWidget(QLabel("Layer:"))
        top.addWidget(self.layer_box)
        top.addStretch(1)
        self.stack = QVBoxLayout()
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(self.stack, 1)
        self.mosaic = MosaicView()
        self.hinton: HintonView | None = None
        self.stack.addWidget(self.mosaic)
        layers = dense_layers(model)
        self.layer_box.addItems([f"{la.name} ({la.weight.shape[0]} units, "
                                 f"{la.weight.shape[1]} inputs)" for la in layers])
        self.layer_box.currentIndexChanged.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        """Re-read the weights (also while training) and redraw."""
        layers = dense_layers(self.model)
        index = max(self.layer_box.currentIndex(), 0)
        if not layers:
            return
        layer = layers[min(index, len(layers) - 1)]
        layout = image_layout(self.model) if index == 0 else None
        if layout is not None:
            self.mosaic.setVisible(True)
            if self.hinton is not None:
                self.hinton.setVisible(False)
            self.mosaic.set_tiles(unit_images(layer.weight, layout),
                                  labels=[f"unit {i}" for i in range(layer.weight.shape[0])])
            self.mosaic.title.setText(f"{layer.name}: input weights of "
                                      f"{layer.weight.shape[0]} units (red +, blue -)")
            return
        self.mosaic.setVisible(False)
        rows = [f"unit {i}" for i in range(layer.weight.shape[0])]
        if index == len(layers) - 1:
            rows = output_names(self.model)[: layer.weight.shape[0]]
        cols = input_names(self.model) if index == 0 else \
            [f"unit {i}" for i in range(layer.weight.shape[1])]
        if self.hinton is None:
            self.hinton = HintonView(layer.weight, rows, cols, title=layer.name)
            self.stack.addWidget(self.hinton)
        else:
            self.hinton.row_names, self.hinton.column_names = rows, cols
            self.hinton.set_weight(layer.weight)
        self.hinton.setVisible(True)

    def table(self) -> tuple[list[str], list[list[Any]]]:
        layers = dense_layers(self.model)
        if not layers:
            return ["unit"], []
        layer = layers[min(max(self.layer_box.currentIndex(), 0), len(layers) - 1)]
        header = ["unit", *[f"w{j}" for j in range(layer.weight.shape[1])], "bias"]
        bias = layer.bias if layer.bias is not None else np.full(layer.weight.shape[0], np.nan)
        return header, [[i, *layer.weight[i].tolist(), float(bias[i])]
                        for i in range(layer.weight.shape[0])]


class DiagramPage(QWidget):
    def __init__(self, model: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("Connections: red positive, blue negative; width and "
                                "opacity grow with the weight's size"))
        self.diagram = NetworkDiagram(dense_layers(model), input_names(model),
                                      output_names(model))
        layout.addWidget(self.diagram, 1)

    def refresh(self) -> None:
        self.diagram.set_layers(dense_layers(self.model))

    def table(self) -> tuple[list[str], list[list[Any]]]:
        rows = [[la.name, o, j, float(la.weight[o, j])] for la in self.diagram.layers
                for o in range(la.weight.shape[0]) for j in range(la.weight.shape[1])]
        return ["layer", "to unit", "from unit", "weight"], rows


class WeightsView(QWidget):
    """Everything a fitted classifier lets us show of what it learned.

    ``model`` is a fitted classifier; ``dataset`` (same header) supplies instances for
    the pages that need one (feature maps, hidden states, neighbours, reconstructions,
    the decision boundary); ``training`` is the k-NN's training data when it differs
    from ``dataset``.
    """

    def __init__(self, model: Any, dataset: Dataset | None = None,
                 training: Dataset | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        if getattr(model, "header_", None) is None:
            raise WorkbenchError(f"{type(model).__name__} has not been trained: there are "
                                 f"no weights to show yet")
        self.model = model
        self.dataset = dataset
        self.setWindowTitle(f"Weights: {getattr(model, 'title', type(model).__name__)}")
        self.tabs = QTabWidget()
        self.pages: dict[str, QWidget] = {}
        self._build_pages(training)
        layout = QVBoxLayout(self)
        if not self.pages:
            layout.addWidget(QLabel(f"{type(model).__name__} has no weights to show."))
        layout.addWidget(self.tabs, 1)
        layout.addWidget(ExportBar(self, self.table))
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self._refresh_if_dirty)
        self._dirty = False
        self.refreshes = 0

    def _add(self, title: str, page: QWidget) -> None:
        self.pages[title] = page
        self.tabs.addTab(page, title)

    def _build_pages(self, training: Dataset | None) -> None:
        model, data = self.model, self.dataset
        is_cnn = hasattr(model, "conv_filters")
        if hasattr(model, "rbm_weights"):
            self._add("RBM units", RbmPage(model))
            if data is not None and hasattr(model, "reconstruct"):
                self._add("Reconstructions", ReconstructionPage(model, data))
            if hasattr(model, "sample"):
                self._add("Samples", SamplePage(model))
        if is_cnn:
            self._add("Filters", FilterPage(model))
            if data is not None:
                self._add("Feature maps", FeatureMapPage(model, data))
        plain_net = not (is_cnn or hasattr(model, "hidden_states")
                         or hasattr(model, "neighbours") or hasattr(model, "scores")
                         or hasattr(model, "rbm_weights"))
        layers = dense_layers(model) if plain_net else []
        if layers:
            self._add("Hidden units", UnitsPage(model))
        if layers and diagram_fits(layers):
            self._add("Network", DiagramPage(model))
        if hasattr(model, "hidden_states") and data is not None:
            self._add("Hidden state", HiddenStatePage(model, data))
        if hasattr(model, "neighbours") and data is not None:
            self._add("Neighbours", NeighboursPage(model, data, training or data))
        if hasattr(model, "scores"):
            self._add("Perceptron", PerceptronPage(model, data))

    # Live refresh -------------------------------------------------------------------------
    def on_progress(self, event: ProgressEvent) -> None:
        """Slot for ``Job.progress``: after each epoch, redraw the weights soon."""
        if "loss" in event.values:
            self._dirty = True
            if not self.timer.isActive():
                self.timer.start()

    def _refresh_if_dirty(self) -> None:
        if self._dirty:
            self.refresh()

    def refresh(self) -> None:
        self._dirty = False
        self.refreshes += 1
        for title in ("Hidden units", "Network", "RBM units", "Filters"):
            page = self.pages.get(title)
            if page is not None:
                # The model may be between states (not yet built); the next tick redraws.
                with contextlib.suppress(WorkbenchError):
                    page.refresh()  # type: ignore[attr-defined]

    def stop_live(self) -> None:
        self.timer.stop()
        self.refresh()

    def table(self) -> tuple[list[str], list[list[Any]]]:
        page = self.tabs.currentWidget()
        if page is not None and hasattr(page, "table"):
            return page.table()
        return ["value"], []
