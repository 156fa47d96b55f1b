"""Where each node of a decision tree goes in its picture, with nothing overlapping.

A tidy layout (Reingold and Tilford's): each subtree is laid out on its own, then its
siblings are set beside it, left to right, each as close as their outlines allow level
by level (never closer than ``GAP``), and every parent is centred over its first and
last child. So nodes keep the text's left-to-right order on every level, a parent sits
over its children, and no two nodes, nor two branch labels, overlap, however long an
attribute's name or a leaf's text is. A branch's label (``= sunny``, ``<= 2.45``) is
drawn just above the node it leads to and counts in that node's width, so labels stay
readable without being placed by hand.

Qt-free: the picture (``gui/plots/tree_view.py``) passes the widths its font gives, and
tests pass their own. It works from the last node to the first (children come after
their parents in ``Tree.nodes``), so a tree thousands of levels deep needs no recursion,
and its work grows with the number of nodes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from workbench.classifiers.tree_structure import Tree, TreeNode

GAP = 14.0        # the least room between two neighbours on one level
LABEL_GAP = 3.0   # between a branch's label and the node under it
MARGIN = 10.0     # around the whole picture


@dataclass(frozen=True)
class Box:
    """A rectangle: ``x``, ``y`` its top-left corner."""

    x: float
    y: float
    width: float
    height: float

    @property
    def centre_x(self) -> float:
        return self.x + self.width / 2

    @property
    def bottom(self) -> float:
        return self.y + self.height

    def overlaps(self, other: Box) -> bool:
        return (self.x < other.x + other.width and other.x < self.x + self.width
                and self.y < other.y + other.height and other.y < self.y + self.height)


@dataclass(frozen=True)
class TreeLayout:
    """Each node's box (``nodes[i]`` for ``tree.nodes[i]``), the box of the label of
    the branch leading to it (``labels[i]``; None for the root), and the picture's
    size."""

    nodes: tuple[Box, ...]
    labels: tuple[Box | None, ...]
    width: float
    height: float


def node_text(node: TreeNode) -> str:
    """What a node shows: the attribute a split tests, or a leaf's class and counts."""
    return node.leaf if node.is_leaf else node.attribute


def lay_out(tree: Tree, node_width: Callable[[TreeNode], float],
            label_width: Callable[[str], float], node_height: float,
            label_height: float, level_gap: float) -> TreeLayout:
    """Place ``tree``: nodes ``node_height`` tall, one level under the other with
    ``level_gap`` between a parent's bottom and its children's labels."""
    nodes = tree.nodes
    count = len(nodes)
    labels = [""] * count
    for node in nodes:
        for branch in node.branches:
            labels[branch.child] = branch.test
    widths = [node_width(node) for node in nodes]
    # Each node's half width on its level: its box, or its label's, whichever is wider.
    half = [max(widths[i], label_width(labels[i]) if i else 0.0) / 2 for i in range(count)]
    offset = [0.0] * count   # a node's centre relative to its parent's
    # The outline of each laid-out subtree waiting for its parent: per level, its
    # leftmost and rightmost extent, relative to the subtree root's centre once ``shift``
    # is added. Stored deepest level first, so a parent adds its own level at the end,
    # and setting a sibling beside it rewrites only the levels they share: the work is
    # the number of nodes, not nodes times depth (a 5000-level chain took 4.5 s).
    outline: dict[int, tuple[list[float], list[float], float]] = {}
    for index in range(count - 1, -1, -1):
        node = nodes[index]
        if node.is_leaf:
            outline[index] = ([-half[index]], [half[index]], 0.0)
            continue
        places: list[float] = []
        lefts: list[float] = []
        rights: list[float] = []
        shift = 0.0   # in the frame of the first child's centre
        for branch in node.branches:
            child_left, child_right, child_shift = outline.pop(branch.child)
            if not places:
                lefts, rights, shift = child_left, child_right, child_shift
                places.append(0.0)
                continue
            shared = min(len(rights), len(child_left))
            place = max(rights[-1 - d] + shift - child_left[-1 - d] - child_shift
                        for d in range(shared)) + GAP
            if len(child_left) > len(lefts):
                # Deeper than its elder siblings: its outline is kept, their left
                # side laid over its top levels.
                moved = child_shift + place
                for d in range(len(lefts)):
                    child_left[-1 - d] = lefts[-1 - d] + shift - moved
                lefts, rights, shift = child_left, child_right, moved
            else:
                for d in range(len(child_right)):
                    rights[-1 - d] = child_right[-1 - d] + child_shift + place - shift
            places.append(place)
        middle = (places[0] + places[-1]) / 2
        for branch, place in zip(node.branches, places, strict=True):
            offset[branch.child] = place - middle
        shift -= middle
        lefts.append(-half[index] - shift)
        rights.append(half[index] - shift)
        outline[index] = (lefts, rights, shift)
    root_lefts, root_rights, root_shift = outline.pop(0)
    leftmost = min(root_lefts) + root_shift
    rightmost = max(root_rights) + root_shift
    centre = [0.0] * count
    centre[0] = MARGIN - leftmost
    for index, node in enumerate(nodes):   # parents before children
        for branch in node.branches:
            centre[branch.child] = centre[index] + offset[branch.child]
    pitch = label_height + LABEL_GAP + node_height + level_gap
    node_boxes: list[Box] = []
    label_boxes: list[Box | None] = []
    for index, node in enumerate(nodes):
        top = MARGIN + node.depth * pitch
        width = widths[index]
        node_boxes.append(Box(centre[index] - width / 2, top, width, node_height))
        if index == 0:
            label_boxes.append(None)
        else:
            text = label_width(labels[index])
            label_boxes.append(Box(centre[index] - text / 2,
                                   top - LABEL_GAP - label_height, text, label_height))
    width = MARGIN - leftmost + rightmost + MARGIN
    height = 2 * MARGIN + tree.depth * pitch + node_height
    return TreeLayout(tuple(node_boxes), tuple(label_boxes), width, height)
