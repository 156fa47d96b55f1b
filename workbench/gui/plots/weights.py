"""The learned-weights window: what a fitted model learned, one tab per thing it can show.

Its tabs are the viewer registry's entries (``workbench.gui.viewers``) whose subject is a
protocol of ``workbench.classifiers.inspection`` that the model implements:

* hidden units (``DenseNetwork``: the MLP): the input weights of each unit as tiles when
  the inputs are an image (diverging colours centred on 0), as a Hinton diagram otherwise;
* network (``DenseNetwork``): the whole net as a diagram, when it is small enough to read;
* filters and feature maps (``ConvFilters``: the CNN);
* RBM units, reconstructions beside their inputs, Gibbs samples (the DBN's ``Rbm*``);
* hidden state over time of a chosen instance (``HiddenStates``: the RNN);
* nearest neighbours of a chosen instance (``NearestNeighbours``: k-NN);
* the weight vector and the decision boundary of 2-D data (``LinearScores``: perceptron).

This module holds the window and the two dense-network pages; the others live in
``model_pages`` and ``rbm_pages``. ``on_progress`` makes the view follow a model while it
trains (the Explorer's "Watch weights" and a flow's WeightViewer both feed it their
job's reports): the model arrives in the end-of-epoch reports (``Classifier.fit`` adds
it), and the pages registered ``live`` are re-read by a timer so drawing never slows the
training thread.
"""
from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping
from functools import partial
from typing import TYPE_CHECKING, Any

import numpy as np
from PySide6.QtCore import QSignalBlocker, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from workbench.classifiers.inspection import dense_layers
from workbench.core.errors import WorkbenchError
from workbench.core.progress import ProgressEvent
from workbench.data.dataset import Dataset
from workbench.gui.plots.diagrams import HintonView, NetworkDiagram
from workbench.gui.plots.export import ExportBar
from workbench.gui.plots.model_arrays import (
    image_layout,
    input_names,
    output_names,
    unit_images,
)
from workbench.gui.plots.mosaic import MosaicView
from workbench.gui.widgets.literal import plain_label

if TYPE_CHECKING:
    from workbench.gui.viewers import ViewerRegistry

REFRESH_MS = 500
HELD = ("Drawn when training ends: this page runs the network on data, and the network "
        "is being trained now.")
WAITING = ("Waiting for the classifier to start training: its weights appear after the "
           "first epoch.")
FINISHED_KEPT = "Finished: showing the model the run kept"
FINISHED_NONE = ("Ended without a kept model (stopped, failed or folds only): showing the "
                 "last state trained")


def as_model_reads(model: Any, dataset: Dataset | None) -> Dataset | None:
    """``dataset`` with its class attribute set as it was in ``model``'s training data.

    The Explorer hands the Watch window its data before a run starts, with whatever
    class the data had then; the run trains on the same attributes with the class the
    user chose (``with_class``). A page that reads instances (an RNN's hidden state, a
    CNN's feature maps) checks the data's header against the model's, class included,
    and refused such data while the model trained. The class is the model's business,
    so it is set here once for every page; data with other attributes is left as it is,
    for the page to refuse with its reason.
    """
    header = getattr(model, "header_", None)
    if dataset is None or not isinstance(header, Dataset) \
            or dataset.class_index == header.class_index \
            or dataset.num_attributes != header.num_attributes:
        return dataset
    return dataset.with_class(header.class_index)


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
        # The input layout comes from the header, which training never changes: found
        # once, not on every live redraw (it reads every attribute name).
        self.input_layout = image_layout(model)
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
        layout = self.input_layout if index == 0 else None
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


class _PageSlot(QWidget):
    """One tab of the weights window: its page is built the first time it is shown.

    Building every page up front costs a tenth of a second or more (a network diagram
    with thousands of connections), which the window cannot spend on each new model of
    a cross-validation while it follows training. A page the model cannot fill yet (a
    DBN's reconstructions while its RBMs pre-train) says why and is tried again later.
    """

    def __init__(self, build: Callable[[], QWidget], live: bool = False) -> None:
        super().__init__()
        self.build = build
        self.live = live  # drawn from the weights alone: redrawn while a run trains
        self.page: QWidget | None = None
        self.stale = False
        self.note = plain_label("")
        self.note.setWordWrap(True)
        self.note.setVisible(False)
        self.page_layout = QVBoxLayout(self)
        self.page_layout.setContentsMargins(0, 0, 0, 0)
        self.page_layout.addWidget(self.note)

    def hold(self, text: str) -> None:
        """Say why the page is not built now (it is built when next shown after)."""
        self.note.setText(text)
        self.note.setVisible(True)

    def drop(self) -> None:
        """Forget the built page, so the next showing builds it afresh."""
        if self.page is not None:
            self.page_layout.removeWidget(self.page)
            self.page.deleteLater()
            self.page = None

    def ensure(self) -> QWidget | None:
        """The page, built now if need be; None (and a note saying why) if it cannot be."""
        if self.page is None:
            try:
                self.page = self.build()
            except WorkbenchError as error:
                self.note.setText(f"Not available yet: {error}")
                self.note.setVisible(True)
                return None
            self.note.setVisible(False)
            self.page_layout.addWidget(self.page)
            self.stale = False
        return self.page


class _Pages(Mapping[str, QWidget]):
    """The weights window's pages by title; looking one up builds it."""

    def __init__(self) -> None:
        self.slots: dict[str, _PageSlot] = {}

    def __getitem__(self, title: str) -> QWidget:
        page = self.slots[title].ensure()
        if page is None:
            raise KeyError(f"{title}: {self.slots[title].note.text()}")
        return page

    def __iter__(self) -> Iterator[str]:
        return iter(self.slots)

    def __len__(self) -> int:
        return len(self.slots)


class WeightsView(QWidget):
    """Everything a fitted classifier lets us show of what it learned, also while it learns.

    ``model`` is a fitted classifier, or None to wait for one in training (``on_progress``
    picks up the model that end-of-epoch reports carry); ``dataset`` (same header)
    supplies instances for the pages that need one (feature maps, hidden states,
    neighbours, reconstructions, the decision boundary); ``training`` is the k-NN's
    training data when it differs from ``dataset``.

    Only the page on show is drawn, and redrawn while training; the others are brought
    up to date when they are shown. When reports name another model (the next fold of
    a cross-validation), the pages are rebuilt for it.
    """

    def __init__(self, model: Any = None, dataset: Dataset | None = None,
                 training: Dataset | None = None, parent: QWidget | None = None,
                 registry: ViewerRegistry | None = None) -> None:
        super().__init__(parent)
        self.registry = registry  # a ViewerRegistry; None: the default one
        self.live_pages: set[str] = set()
        self._progress_text = "Training"
        # The title's first words ("Weights: MLP"); a flow's Watch window names its node.
        self._title_label = "Weights"
        self._live = False  # a run is training the model shown (see begin_live)
        if model is not None and getattr(model, "header_", None) is None:
            raise WorkbenchError(f"{type(model).__name__} has not been trained: there are "
                                 f"no weights to show yet")
        self.model = model
        self.dataset = dataset
        self.training = training
        self.tabs = QTabWidget()
        self.pages = _Pages()
        self.live_label = plain_label("")
        self.live_label.setVisible(False)
        self.empty_label = plain_label(WAITING)
        self.empty_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.live_label)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(ExportBar(self, self.table))
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self._refresh_if_dirty)
        self._dirty = False
        self._following: Any = None  # the model the latest training report named
        # Tabs of the run that just ended which its final model would not be offered (a
        # Dynamics tab saying "this run does not record"): kept, with their explanation,
        # until the window waits for or follows another run.
        self._kept: set[str] = set()
        self._title_model = ""
        self.refreshes = 0
        self.tabs.currentChanged.connect(self._tab_shown)
        self._make_pages()

    def _candidates(self) -> list[tuple[str, Callable[[], QWidget]]]:
        """The pages this model can have, in tab order, each with how to build it: the
        registry's entries for the protocols the model implements."""
        from workbench.gui.viewers import ViewContext, default_registry

        if self.model is None:
            return []
        registry = default_registry() if self.registry is None else self.registry
        context = ViewContext(as_model_reads(self.model, self.dataset),
                              as_model_reads(self.model, self.training))
        entries = [e for e in registry if e.can_show(self.model, context)
                   or (e.title in self._kept and e.is_subject(self.model))]
        self.live_pages = {e.title for e in entries if e.live}
        return [(e.title, partial(e.open, self.model, context)) for e in entries]

    def _make_pages(self, current: str = "") -> None:
        """One tab per page the model can have; only the one shown is built now."""
        with QSignalBlocker(self.tabs):
            self.tabs.clear()
            for slot in self.pages.slots.values():
                slot.deleteLater()
            self.pages.slots = {}
            for title, build in self._candidates():
                slot = _PageSlot(build, live=title in self.live_pages)
                self.pages.slots[title] = slot
                self.tabs.addTab(slot, title)
            if current in self.pages.slots:
                self.tabs.setCurrentWidget(self.pages.slots[current])
        name = (getattr(self.model, "title", "") or type(self.model).__name__
                if self.model is not None else "waiting for training")
        self._title_model = name
        self.setWindowTitle(f"{self._title_label}: {name}")
        self.empty_label.setVisible(not self.pages.slots)
        if self.model is not None and not self.pages.slots:
            self.empty_label.setText(f"{type(self.model).__name__} has no weights to show.")
        self._tab_shown()

    @property
    def title_label(self) -> str:
        """The title's words before the model's name: "Weights" unless set."""
        return self._title_label

    @title_label.setter
    def title_label(self, label: str) -> None:
        self._title_label = label
        self.setWindowTitle(f"{label}: {self._title_model}")

    def _tab_shown(self, *_: Any) -> None:
        """Build the page now on show, or bring it up to date if training moved on."""
        slot = self.tabs.currentWidget()
        if not isinstance(slot, _PageSlot):
            return
        if self._holds(slot):
            slot.hold(HELD)
            return
        fresh = slot.page is None
        page = slot.ensure()
        if page is not None and slot.stale and not fresh:
            slot.stale = False
            with contextlib.suppress(WorkbenchError):
                # every page a slot builds is a view with refresh(); ensure() types it QWidget
                page.refresh()  # type: ignore[attr-defined]

    def follow(self, model: Any, dataset: Dataset | None = None) -> None:
        """Show ``model`` from now on (the next model in training, or the final one).

        Data arriving for the first time rebuilds the pages of the same model too: a
        flow's Watch window follows a run without its data, and gets the data with the
        finished model, which then has the pages that need instances (an RNN's hidden
        state)."""
        gained = dataset is not None and self.dataset is None
        if dataset is not None:
            self.dataset = dataset
        if model is self.model and not gained:
            return
        self.model = model
        self._make_pages(self.tabs.tabText(self.tabs.currentIndex()))

    def await_run(self, dataset: Dataset | None = None) -> None:
        """Wait for the run about to start: show no model (and say so) until its first
        training report names one. The window opened before Start would otherwise show
        the previous run's model (an MLP's weights while a CNN is about to train) as if
        it were the one to watch. A run already followed is left alone."""
        if self.timer.isActive():
            return
        if dataset is not None:
            self.dataset = dataset
        self._following = None
        self._kept = set()
        self.live_label.setVisible(False)
        if self.model is not None:
            self.model = None
            self._make_pages()
        self.empty_label.setText(WAITING)
        self.empty_label.setVisible(True)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closed, the window lets go of the model and the data it showed. The Watch
        window is hidden, not deleted, to be opened again; holding on, it kept a
        finished run's network (with its data) alive after the result list's entry
        was deleted. Opened again it waits for a run, or is given its model anew."""
        super().closeEvent(event)
        if event.isAccepted():
            self.forget()

    def forget(self) -> None:
        """Show nothing and hold nothing: no model, no data, no run followed."""
        self.timer.stop()
        self._live = False
        self._dirty = False
        self.dataset = self.training = None
        self._following = None
        self._kept = set()
        self.live_label.setVisible(False)
        if self.model is not None:
            self.model = None
            self._make_pages()   # the pages hold the model; Qt deletes them
        self.empty_label.setText(WAITING)
        self.empty_label.setVisible(True)

    # Live refresh -------------------------------------------------------------------------
    def on_progress(self, event: ProgressEvent) -> None:
        """Slot for ``Job.progress``: follow the model in training and redraw it soon.

        Only the timer draws (at most every ``REFRESH_MS``), so a training loop that
        reports often is never held up by drawing; a new model's pages are built there
        too, not in the same slot as the Explorer's first loss-curve drawing.
        """
        values = event.values
        if "epoch" not in values:
            return  # not a training report (a fold starting, a filter being applied)
        model = values.get("model")
        if model is not None:
            self._following = model  # built by the next redraw, not in this report's slot
        if not self._live:
            self._kept = set()  # a new run: the last one's kept tabs are about that one
        self._live = True
        self._progress_text = f"Training: {event.message}" if event.message else "Training"
        self._say_live()
        self.live_label.setVisible(True)
        self._dirty = True
        if not self.timer.isActive():
            self.timer.start()

    def begin_live(self) -> None:
        """A run is training the model this window shows (or is about to): hold back the
        pages that run the network on data until ``stop_live``."""
        if not self._live:
            self._kept = set()
        self._live = True

    def _holds(self, slot: _PageSlot) -> bool:
        """True for an unbuilt page that runs the network on data while a run trains it:
        run here, on the GUI thread, dropout would draw from the seeded generator and
        batch norm would update its statistics, so a seeded run would not repeat."""
        return self._live and slot.page is None and not slot.live

    def _say_live(self) -> None:
        """The training line above the pages."""
        self.live_label.setText(self._progress_text)

    def _refresh_if_dirty(self) -> None:
        if self._dirty:
            self.refresh()

    def refresh(self, final: bool = False) -> None:
        """Redraw the page on show from the model's current weights; the other live
        pages are redrawn when they are next shown. ``final``: training has ended, so
        the pages that run the model on data, held back while it trained, are built
        from the finished model."""
        self._dirty = False
        self.refreshes += 1
        if self._following is not None and self._following is not self.model:
            self.follow(self._following)
        for slot in self.pages.slots.values():
            if slot.live or slot.page is None:
                slot.stale = True
            elif final:   # built from the model before it finished: build it again
                slot.drop()
        self._tab_shown()

    def stop_live(self, model: Any = None, dataset: Dataset | None = None) -> None:
        """Training ended: stop the timer and draw the final state, of ``model`` when
        given (the model the run kept, rather than the last one trained).

        The tabs the run showed stay, even one the finished model alone would not get:
        the Dynamics tab of a run that did not record keeps saying so (and how to record)
        instead of vanishing the moment the run ends."""
        final, self._live = self._live, False   # a second call has nothing to finish
        self.timer.stop()
        if final and self.live_label.isVisibleTo(self):
            # The line stays, saying so: hidden, it moved the tabs up under the pointer.
            # Without a model the run kept none (stopped, failed, or folds only): the
            # pictures are the last state trained, and the line must not claim more.
            self.live_label.setText(FINISHED_KEPT if model is not None else FINISHED_NONE)
        if final:
            self._kept = set(self.pages.slots)
        if model is not None and getattr(model, "header_", None) is not None:
            self._following = model
            self.follow(model, dataset)
        self.refresh(final=final)

    def table(self) -> tuple[list[str], list[list[Any]]]:
        slot = self.tabs.currentWidget()
        if not isinstance(slot, _PageSlot) or self._holds(slot):
            return ["value"], []
        page = slot.ensure()
        if page is not None and hasattr(page, "table"):
            return page.table()
        return ["value"], []

