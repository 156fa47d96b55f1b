"""*Watch training...*: the Explorer's Watch window for a flow's classifier nodes.

A classifier node's right-click menu offers the window the Explorer's *Watch weights*
opens (``workbench.gui.watch``), for a learner it has pages for (an MLP, a CNN, k-NN),
and shows the entry disabled, saying why, for one it has none for (ZeroR, J48). The flow
editor tells the windows about its runs: a run started while a node's window is open
records that node's training dynamics (``Executor.run(watched=...)``), the node's
training reports (the model rides on the end-of-epoch ones) reach its window, and the
run's end shows the model the node kept (``BatchClassifier.final``: the one trained on
its training set, the last fold's after a cross-validation).
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QWidget

from workbench.core.errors import WorkbenchError
from workbench.core.progress import ProgressEvent
from workbench.flow import Flow
from workbench.flow.nodes.components import ClassifierNode
from workbench.flow.ports import BATCH_CLASSIFIER, BatchClassifier
from workbench.gui.watch import NOTHING_TO_WATCH, TrainingWatch, can_watch, watch_tip

if TYPE_CHECKING:
    from workbench.gui.plots.weights import WeightsView

WATCH_ENTRY = "Watch training..."


def node_learner(flow: Flow, node_id: str) -> Any:
    """The classifier node's learner as configured (not trained), or None for another
    node, or one whose parameters are refused."""
    node = flow.nodes.get(node_id)
    node_type = node.node_type if node is not None else None
    if node is None or not (isinstance(node_type, type)
                            and issubclass(node_type, ClassifierNode)):
        return None
    try:
        return node_type(**node.params).make()
    except WorkbenchError:
        return None


def is_classifier_node(flow: Flow, node_id: str) -> bool:
    node = flow.nodes.get(node_id)
    node_type = node.node_type if node is not None else None
    return isinstance(node_type, type) and issubclass(node_type, ClassifierNode)


def _kept(outputs: Mapping[str, Mapping[str, Any]], node_id: str) -> tuple[Any, Any] | None:
    """The model ``node_id`` kept in a run and the data it learned from, or None."""
    batch = outputs.get(node_id, {}).get(BATCH_CLASSIFIER)
    if not isinstance(batch, BatchClassifier):
        return None
    return batch.final.classifier, batch.final.train


class FlowWatches:
    """The Watch windows of one editor's classifier nodes, by node id."""

    def __init__(self, parent: QWidget, flow: Flow) -> None:
        self._parent = weakref.ref(parent)  # weakly, as TrainingWatch holds it
        self.flow = flow
        self.watches: dict[str, TrainingWatch] = {}

    def offer(self, node_id: str) -> tuple[bool, str] | None:
        """The menu entry for ``node_id``: (enabled, tooltip), or None when the node
        trains no classifier (a loader, an evaluator)."""
        if not is_classifier_node(self.flow, node_id):
            return None
        if can_watch(node_learner(self.flow, node_id)):
            return True, watch_tip("Run all (F5)")
        return False, NOTHING_TO_WATCH

    def open(self, node_id: str,
             outputs: Mapping[str, Mapping[str, Any]] | None = None) -> WeightsView:
        """Open (or raise) the node's Watch window. Between runs it shows the model
        the node kept in the last run, when ``outputs`` (the runner's) hold one; with
        none it waits for the next run."""
        watch = self.watches.get(node_id)
        if watch is None:
            parent = self._parent()
            assert parent is not None, "the editor is gone"
            watch = self.watches[node_id] = TrainingWatch(parent)
        watch.label = f"Watch {self.flow.node(node_id).title}"
        view = watch.open()
        view.setObjectName(f"watch_{node_id}")
        if not watch.running and outputs is not None:
            kept = _kept(outputs, node_id)
            if kept is not None:
                watch.finished(*kept)
        return view

    def retitle(self) -> None:
        """Titles follow the nodes' (a rename, its undo): "Watch MLP" stayed after the
        node became "MLP (dropout 0.5)"."""
        for node_id, watch in self.watches.items():
            if node_id in self.flow.nodes:
                watch.label = f"Watch {self.flow.node(node_id).title}"
                if watch.view is not None:
                    watch.view.title_label = watch.label

    def watched(self) -> frozenset[str]:
        """The nodes whose window is on screen: a run started now records their
        training dynamics."""
        return frozenset(n for n, w in self.watches.items()
                         if w.watching and n in self.flow.nodes)

    def run_started(self) -> None:
        for watch in self.watches.values():
            watch.run_started()

    def on_progress(self, event: ProgressEvent) -> None:
        """A run's report goes to the window of the node that sent it."""
        watch = self.watches.get(event.values.get("node", ""))
        if watch is not None:
            watch.on_progress(event)

    def finished(self, outputs: Mapping[str, Mapping[str, Any]]) -> None:
        """The run finished: each window shows the model its node kept, with the data
        it learned from (for the pages that run it on instances)."""
        for node_id, watch in self.watches.items():
            kept = _kept(outputs, node_id)
            if kept is not None:
                watch.finished(*kept)

    def run_ended(self) -> None:
        for watch in self.watches.values():
            watch.run_ended()

    def close_all(self) -> None:
        """Close every window and let Qt delete it (another flow is shown, or the
        editor closes): a closed child window would otherwise live as long as the
        editor, with its model."""
        for watch in self.watches.values():
            watch.close()
            if watch.view is not None:
                watch.view.deleteLater()
        self.watches = {}
