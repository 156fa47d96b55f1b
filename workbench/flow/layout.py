"""Where a node goes on the canvas when its flow file gives it no usable place.

A flow file keeps node positions under ``ui`` (``fileformat``), and a hand-written or
generated flow often leaves them out. Put all at (0, 0), such nodes pile up on one spot
and hide each other (a 20 000-node flow buried its loader). A position can also be
absurd (``[1e300, 0]``): the canvas cannot show it, and the editor showed an empty
flow. This module is Qt-free, so the reader uses it for ``workbench run`` too, where
layout means nothing but costs nothing either.

Nodes without a usable place are laid out left to right by graph order (a node one
column right of what feeds it, among the nodes being placed), below the nodes that
have a place, each column at most about the square root of their count tall, so any
number of them stays a compact block.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from workbench.flow.notes import finite_number

if TYPE_CHECKING:
    from workbench.flow.graph import Flow

# How far from the origin a stored position may be, in canvas pixels, each way. The
# editor's canvas starts at 20 000 each way and grows to what is dragged past it; a
# million is fifty canvases, far beyond any flow a person drew, and still small enough
# that Fit to view shows a node there as a node (at 1e9 the view showed nothing).
MAX_COORDINATE = 1_000_000.0
# The spacing the bundled templates use between nodes.
COLUMN_STEP = 220.0
ROW_STEP = 120.0


def usable_position(value: Any) -> bool:
    """Whether ``value`` is two finite numbers within ``MAX_COORDINATE`` each way."""
    return (isinstance(value, list | tuple) and len(value) == 2
            and all(finite_number(v) and abs(v) <= MAX_COORDINATE for v in value))


def place_unplaced(flow: Flow, unplaced: Sequence[str]) -> None:
    """Give the nodes ``unplaced`` (ids, in the file's order) places left to right by
    graph order, below the flow's other nodes (at the origin when none has a place)."""
    if not unplaced:
        return
    waiting = set(unplaced)
    placed = [n.position for n in flow.nodes.values() if n.id not in waiting]
    left = min((x for x, _ in placed), default=0.0)
    top = max((y for _, y in placed), default=-2 * ROW_STEP) + 2 * ROW_STEP
    columns = _columns(flow, unplaced)
    tallest = max(4, math.ceil(math.sqrt(len(unplaced))))
    # The block stays within the canvas's bounds, or the next open would warn about the
    # places given now (a node below one at the bottom edge landed past it).
    rows = min(tallest, max(len(c) for c in columns))
    width = sum(math.ceil(len(c) / tallest) for c in columns)
    top = max(-MAX_COORDINATE, min(top, MAX_COORDINATE - (rows - 1) * ROW_STEP))
    left = max(-MAX_COORDINATE, min(left, MAX_COORDINATE - (width - 1) * COLUMN_STEP))
    x_index = 0
    for column in columns:
        for start in range(0, len(column), tallest):
            for row, node_id in enumerate(column[start:start + tallest]):
                flow.nodes[node_id].position = (left + x_index * COLUMN_STEP,
                                                top + row * ROW_STEP)
            x_index += 1


def _columns(flow: Flow, unplaced: Sequence[str]) -> list[list[str]]:
    """The nodes ``unplaced`` grouped by depth: how many links among them lead to each
    from one with nothing before it (a cycle, which a flow refuses anyway, ends in the
    last column). Each group keeps the file's order."""
    waiting = set(unplaced)
    feeds: dict[str, list[str]] = {n: [] for n in unplaced}
    before = dict.fromkeys(unplaced, 0)
    for link in flow.links:
        if link.source in waiting and link.target in waiting:
            feeds[link.source].append(link.target)
            before[link.target] += 1
    depth = dict.fromkeys(unplaced, 0)
    ready = [n for n in unplaced if before[n] == 0]
    while ready:
        node_id = ready.pop()
        for target in feeds[node_id]:
            depth[target] = max(depth[target], depth[node_id] + 1)
            before[target] -= 1
            if before[target] == 0:
                ready.append(target)
    deepest = max(depth.values())
    for node_id in unplaced:
        if before[node_id] > 0:
            depth[node_id] = deepest + 1
    groups: list[list[str]] = [[] for _ in range(max(depth.values()) + 1)]
    for node_id in unplaced:
        groups[depth[node_id]].append(node_id)
    return [g for g in groups if g]
