"""The Watch window's life around runs: one window following one learner's training.

The Explorer's *Watch weights* button and a Knowledge Flow classifier node's *Watch
training...* entry open the same window (``WeightsView``) and feed it alike, so both
share this: whether a learner has anything to watch, how the window opens (waiting for
the run about to start, or following the one training now), what each training report
does to it, and how it ends on the model the run kept. The owner (the Classify tab, the
flow editor) only says when its runs start, report and end.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from workbench.core.progress import ProgressEvent
from workbench.data.dataset import Dataset
from workbench.gui.widgets.placement import place_window
from workbench.gui.widgets.window_list import close_with_keys

if TYPE_CHECKING:
    from workbench.gui.plots.weights import WeightsView

WATCH_SIZE = (760, 600)
# What the Watch button or entry says when hovered, offered or not.
NOTHING_TO_WATCH = "The chosen classifier has no learned weights to watch"


def watch_tip(start: str = "Start") -> str:
    """The tooltip of an offered Watch: what it shows, and to open it before ``start``
    (the owner's way of starting a run) so the run records its dynamics."""
    return ("Open the learned weights and follow them while the classifier trains (tiles, "
            f"filters, RBM units); open it before {start} to record the training dynamics "
            "too")


def can_watch(classifier: Any) -> bool:
    """Whether the Watch window has a page for ``classifier`` before it trains: the
    viewer registry offers one for something it implements (its weights, neighbours,
    training dynamics). ZeroR or J48 have none, so their Watch stays off."""
    from workbench.gui.viewers import offered_for

    return classifier is not None and bool(offered_for(classifier))


class TrainingWatch:
    """The Watch window of one owner (made on first ``open``) and the run it follows.

    The owner calls ``run_started`` when a run that may train the watched learner
    starts, ``on_progress`` with each of that learner's reports, ``finished`` with the
    model the run kept (and its data) and ``run_ended`` when the run is over, however it
    ended. ``open`` shows the window: before a run it waits for the next one; during a
    run it follows the model in training from the next report on.
    """

    def __init__(self, parent: QWidget) -> None:
        # Weakly: the owner holds this object, and a cycle through a window would leave
        # it (and its pyqtgraph items) to the cycle collector, which may run mid-layout
        # or after the application is gone (see ``plots/export.py``).
        self._parent = weakref.ref(parent)
        self.view: WeightsView | None = None
        self.running = False
        self.live_model: Any = None  # the model the running job trains now
        # What the window's title says before the model's name: "Weights" in the
        # Explorer ("Weights: MLP"), the node in a flow ("Watch MLP (dropout 0.5): ...").
        self.label = "Weights"

    @property
    def watching(self) -> bool:
        """Whether the window is on screen: a run started now is watched (it records
        its training dynamics)."""
        return self.view is not None and self.view.isVisible()

    def open(self, dataset: Dataset | None = None) -> WeightsView:
        """Open (or raise) the window: waiting for the run about to start, or following
        the model in training now."""
        from workbench.gui.plots.weights import WeightsView

        view = self.view
        if view is None:
            # A child window of the owner: Qt deletes it with the owner, never the
            # garbage collector at some later moment (pyqtgraph items deleted by the
            # collector can abort the process).
            view = WeightsView(None, dataset, parent=self._parent())
            view.setWindowFlag(Qt.WindowType.Window)
            place_window(view, self._parent(), *WATCH_SIZE)   # whole on the owner's screen
            close_with_keys(view)
            self.view = view
        view.title_label = self.label
        if not self.running:
            view.await_run(dataset)  # before the run: the run about to start, not the last
        else:
            if dataset is not None:   # the running job's data (a closed window has none)
                view.dataset = dataset
            view.begin_live()   # before follow(): it builds the page on show
            if self.live_model is not None:
                view.follow(self.live_model, dataset)
        view.show()
        view.raise_()
        return view

    def run_started(self, dataset: Dataset | None = None) -> None:
        """A run starts, on ``dataset`` when the owner knows it (the Explorer), else on
        data the window learns with the kept model: the last run's data must not be
        paired with the new run's model."""
        self.running = True
        self.live_model = None
        if self.watching:   # a closed window holds no data (``WeightsView.forget``)
            assert self.view is not None
            self.view.dataset = dataset

    def on_progress(self, event: ProgressEvent) -> None:
        """One report of the watched learner's training (the model rides on the
        end-of-epoch ones)."""
        if "model" in event.values:
            self.live_model = event.values["model"]
        if self.watching:
            assert self.view is not None
            self.view.on_progress(event)

    def finished(self, model: Any, dataset: Dataset | None = None) -> None:
        """The run ended with ``model`` kept (not the last fold's): show it, drawn as it
        finally is. A closed window is not given it: opened again it waits for the next
        run, and meanwhile it would keep the model alive after its result is deleted."""
        if self.watching and model is not None:
            assert self.view is not None
            self.view.stop_live(model, dataset)

    def run_ended(self) -> None:
        """The run is over (finished, stopped or failed): stop redrawing."""
        self.running = False
        self.live_model = None
        if self.view is not None:
            self.view.stop_live()

    def close(self) -> None:
        if self.view is not None:
            self.view.close()
