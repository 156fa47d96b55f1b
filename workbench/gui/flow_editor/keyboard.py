"""The canvas from the keyboard: which node Tab selects next, and which one node a key
acts on.

Nodes are visited in the flow's reading order: left to right (the way data flows in a
flow), then top to bottom among nodes in one column. The order depends only on where the
nodes stand, so the same flow is always walked the same way.
"""

from __future__ import annotations

from workbench.gui.flow_editor.items import NodeItem
from workbench.gui.flow_editor.scene import FlowScene


def reading_order(scene: FlowScene) -> list[NodeItem]:
    """The scene's nodes left to right, then top to bottom (ties by id, for stability)."""
    return sorted(scene.nodes.values(),
                  key=lambda item: (item.pos().x(), item.pos().y(), item.node_id))


def step(scene: FlowScene, forward: bool) -> NodeItem | None:
    """Select the node after (before) the selected one, alone; None past the last (first)
    node, with nothing selected, so that Tab then leaves the canvas instead of trapping
    the keyboard in it. With nothing selected, the first (last) node is next; with
    several (after Ctrl+A), the first (last) of them, alone."""
    order = reading_order(scene)
    if not order:
        return None
    selected = [i for i, item in enumerate(order) if item.isSelected()]
    if not selected:
        index = 0 if forward else len(order) - 1
    elif len(selected) > 1:
        index = selected[0] if forward else selected[-1]
    else:
        index = selected[0] + 1 if forward else selected[0] - 1
    scene.clearSelection()
    if not 0 <= index < len(order):
        return None
    order[index].setSelected(True)
    return order[index]


def one_selected(scene: FlowScene) -> NodeItem | None:
    """The node a one-node action (parameters, rename, its menu) is for: the only selected
    node; None when none or several are selected, as no guess is safe then."""
    selected = scene.selected_nodes()
    return selected[0] if len(selected) == 1 else None


def why_not_one(scene: FlowScene, action: str) -> str:
    """The status line's words when ``one_selected`` found no node for ``action``."""
    count = len(scene.selected_nodes())
    if count == 0:
        return f"Select a node to {action} (Tab selects the next node)"
    return f"{count} nodes are selected: select one to {action} (Tab selects one)"
