"""What a screen reader hears of the canvas.

Qt gives the items of a graphics scene no accessibility of their own: to AT-SPI (and so
to Orca) the canvas was an unnamed pane whose only children were its scroll bars, and
Tab moved the selection from node to node without a word (accessibility walkthrough H2).
So the view speaks for its nodes. Its accessible name counts the flow ("Flow canvas: 6
nodes, 5 links") and its accessible description tells the selected node: its title, what
it is, how its last run went, and what its ports are linked to. Qt tells the screen
reader each time either text changes (``setAccessibleName`` and
``setAccessibleDescription`` send NameChanged and DescriptionChanged), and Orca speaks a
change to the description of the widget that has the focus: Tab through the nodes and
each is read as it is selected; Orca's "where am I" reads it again.

Recent Orca (its AXUtilitiesEvent) does not speak a description 85 % like the last
one it took (difflib's ratio), and twin nodes are that alike: Tab from "MLP (sgd), MLP
(multilayer ...)" to "MLP (momentum), MLP (multilayer ...)" in the optimisers template
was silent. When the selection moves to such a node, the reader announces it as well
(an AT-SPI announcement, which Orca always speaks), and only then, so Orca does not say
a node twice.
"""

from __future__ import annotations

from difflib import SequenceMatcher

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent, QAccessibleEvent
from PySide6.QtWidgets import QGraphicsView

from workbench.core.counts import counted
from workbench.flow import Flow, Link, Status
from workbench.gui.flow_editor.items import NodeItem
from workbench.gui.flow_editor.keyboard import reading_order
from workbench.gui.flow_editor.scene import FlowScene

CANVAS = "Flow canvas"
# A category as a person says it of one node ("IBk, classifier").
_KIND = {"DataSources": "data source", "DataSinks": "data sink", "Filters": "filter",
         "Classifiers": "classifier", "Evaluation": "evaluation", "Visualization": "viewer"}
NOTHING_SELECTED = "No node selected. Tab selects the first node."
ALIKE = 0.85   # as alike as this to the last description, Orca does not speak it


def alike(one: str, other: str) -> bool:
    """Whether Orca takes ``other`` for a repeat of ``one`` (its own test)."""
    return bool(one and other) and round(
        SequenceMatcher(None, one.lower(), other.lower()).ratio(), 2) >= ALIKE


def send(event: QAccessibleEvent) -> None:
    """Hand ``event`` to the accessibility bridge (its own name, so a test can see what
    was sent: the bridge drops events nobody listens for)."""
    QAccessible.updateAccessibility(event)


def canvas_name(scene: FlowScene) -> str:
    """The canvas's accessible name: what the flow holds."""
    return (f"{CANVAS}: {counted(len(scene.nodes), 'node')}, "
            f"{counted(len(scene.links), 'link')}")


def status_words(item: NodeItem) -> str:
    """How the node's last run went, in words; the first line of an error or a block."""
    state = item.state
    if item.missing:
        return item.missing
    if state.status is Status.IDLE:
        return "not run"
    if state.status is Status.RUNNING:
        return "running"   # not its percentage: that would be read out at every step
    words = state.status.value + (" (cached)" if state.cached else "")
    message = state.message.strip().splitlines()[0] if state.message.strip() else ""
    if message and state.status in (Status.ERROR, Status.BLOCKED):
        words += f": {message}"
    return words


def _titles(flow: Flow, node_ids: list[str]) -> str:
    titles = [flow.nodes[n].title if n in flow.nodes else n for n in node_ids]
    return titles[0] if len(titles) == 1 else ", ".join(titles[:-1]) + " and " + titles[-1]


def _ports(flow: Flow, names: list[str], links: list[Link], incoming: bool) -> str:
    parts = []
    for name in names:
        if incoming:
            ends = [link.source for link in links if link.target_port == name]
        else:
            ends = [link.target for link in links if link.source_port == name]
        way = "from" if incoming else "to"
        parts.append(f"{name} {way} {_titles(flow, ends)}" if ends
                     else f"{name} not connected")
    return ", ".join(parts)


def node_words(scene: FlowScene, item: NodeItem) -> str:
    """One node as a screen reader says it: "IBk (k-nearest neighbours), classifier,
    done. Inputs: trainingSet from CrossValidationFoldMaker, testSet from
    CrossValidationFoldMaker. Outputs: batchClassifier to ClassifierPerformanceEvaluator,
    text not connected." """
    flow = scene.flow
    # "IBk (k-nearest neighbours)" for a node titled IBk; "Five neighbours, IBk
    # (k-nearest neighbours)" for one renamed, and "IBk2, ..." for a second one
    name = item.display_name if item.display_name.startswith(item.title + " ") or \
        item.display_name == item.title else f"{item.title}, {item.display_name}"
    kind = _KIND.get(item.category, "plugin component")
    words = f"{name}, {kind}, {status_words(item)}."
    if item.input_names:
        words += " Inputs: " + _ports(flow, item.input_names,
                                      flow.links_into(item.node_id), True) + "."
    if item.output_names:
        words += " Outputs: " + _ports(flow, item.output_names,
                                       flow.links_from(item.node_id), False) + "."
    return words


def selection_words(scene: FlowScene) -> str:
    """The canvas's accessible description: the selected node, or how many are."""
    selected = scene.selected_nodes()
    if len(selected) == 1:
        return node_words(scene, selected[0])
    if not selected:
        return NOTHING_SELECTED
    # named in the order Tab visits them, not the order Qt keeps them in
    titles = [item.title for item in reading_order(scene) if item.isSelected()]
    shown = ", ".join(titles[:5]) + (f" and {len(titles) - 5} more" if len(titles) > 5
                                     else "")
    return f"{counted(len(selected), 'node')} selected: {shown}."


class CanvasReader(QObject):
    """Keeps ``view``'s accessible name and description in step with the scene it shows
    (``attach`` each new scene). The texts are worked out once the event loop is free:
    Tab clears the selection and then selects the next node, a rubber band selects node
    after node, and a run changes many states at once, and a screen reader should hear
    where that ends, not every step."""

    def __init__(self, view: QGraphicsView) -> None:
        super().__init__(view)
        self.view = view
        self.scene: FlowScene | None = None
        self._heard = ""   # the last description Orca took as new (``alike``)
        self._selected: list[str] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.refresh)

    def attach(self, scene: FlowScene) -> None:
        """Read ``scene`` from now on (the window shows a new flow)."""
        self.scene = scene
        scene.selectionChanged.connect(self._timer.start)
        scene.state_changed.connect(self._timer.start)
        scene.contents_changed.connect(self._timer.start)
        self.refresh()

    def refresh(self) -> None:
        """Set the name and the description now; Qt sends the screen reader the events
        for those that changed, and none for those that did not."""
        scene = self.scene
        if scene is None or self.view.scene() is not scene:
            return   # a scene the window replaced, whose signals may still come
        self.view.setAccessibleName(canvas_name(scene))
        words = selection_words(scene)
        selected = [item.node_id for item in scene.selected_nodes()]
        moved, self._selected = selected != self._selected, selected
        if words != self.view.accessibleDescription():
            if not alike(self._heard, words):
                self._heard = words
            elif moved and self.view.hasFocus():
                event = QAccessibleAnnouncementEvent(self.view, words)
                event.setPoliteness(QAccessible.AnnouncementPoliteness.Polite)
                send(event)
        self.view.setAccessibleDescription(words)
