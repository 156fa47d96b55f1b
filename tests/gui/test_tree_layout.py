"""The tree picture's layout: every node placed once, parents centred over their
children, nothing overlapping, whatever the tree's shape and its texts' widths. The
layout is plain Python (widths come in as functions), so no window is needed."""

from __future__ import annotations

import json
import subprocess
import sys
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.classifiers.sklearn_adapter import DecisionTree
from workbench.classifiers.tree_structure import Branch, Tree, TreeNode
from workbench.data.catalog import load_bundled
from workbench.gui.tree_layout import GAP, TreeLayout, lay_out, node_text

NODE_HEIGHT, LABEL_HEIGHT, LEVEL_GAP = 22.0, 16.0, 20.0


def _place(tree: Tree, widths: dict[str, float] | None = None) -> TreeLayout:
    def width(text: str) -> float:
        return (widths or {}).get(text, 7.0 * len(text) + 12.0)

    return lay_out(tree, lambda node: width(node_text(node)), width, NODE_HEIGHT,
                   LABEL_HEIGHT, LEVEL_GAP)


def _check(tree: Tree, layout: TreeLayout) -> None:
    nodes = tree.nodes
    assert len(layout.nodes) == len(layout.labels) == len(nodes)
    assert layout.labels[0] is None and all(box is not None for box in layout.labels[1:])
    boxes = [*layout.nodes, *(box for box in layout.labels if box is not None)]
    for i, one in enumerate(boxes):   # nothing overlaps, and all of it is in the picture
        assert one.x >= 0 and one.y >= 0
        assert one.x + one.width <= layout.width + 1e-6
        assert one.bottom <= layout.height + 1e-6
        for other in boxes[i + 1:]:
            assert not one.overlaps(other), (one, other)
    for index, node in enumerate(nodes):
        box = layout.nodes[index]
        if node.branches:   # a parent sits over the middle of its first and last child
            first = layout.nodes[node.branches[0].child]
            last = layout.nodes[node.branches[-1].child]
            assert abs(box.centre_x - (first.centre_x + last.centre_x) / 2) < 1e-6
        for branch in node.branches:
            child, label = layout.nodes[branch.child], layout.labels[branch.child]
            assert label is not None
            # the branch's label just above its node, both under the parent
            assert box.bottom < label.y < label.bottom <= child.y
            assert abs(label.centre_x - child.centre_x) < 1e-6
    # On every level, nodes keep the text's left-to-right order, GAP apart at least.
    levels: dict[int, list[int]] = {}
    for index, node in enumerate(nodes):
        levels.setdefault(node.depth, []).append(index)
    for row in levels.values():
        for left, right in pairwise(row):
            one, other = layout.nodes[left], layout.nodes[right]
            assert other.x - (one.x + one.width) >= GAP - 1e-6


def test_the_weather_tree_is_laid_out_tidily():
    tree = DecisionTree(pruning="none").fit(load_bundled("weather.nominal")).decision_tree()
    layout = _place(tree)
    _check(tree, layout)
    # The rows: one per level, the root's at the top.
    assert {box.y for box in layout.nodes} == {10.0 + d * (LABEL_HEIGHT + 3 + NODE_HEIGHT
                                                           + LEVEL_GAP) for d in range(5)}


def test_a_long_attribute_name_pushes_its_neighbours_apart():
    # Narrow leaves under a split whose name is far wider than they are: the splits
    # beside it on its level must not be drawn over it.
    def split(name: str, children: tuple[int, int], depth: int) -> TreeNode:
        return TreeNode(name, "", (Branch("= a", children[0]), Branch("= b", children[1])),
                        depth)

    def leaf(depth: int) -> TreeNode:
        return TreeNode("", "x", (), depth)

    tree = Tree((split("root", (1, 4), 0),
                 split("a-very-long-attribute-name-indeed", (2, 3), 1), leaf(2), leaf(2),
                 split("another-long-attribute-name", (5, 6), 1), leaf(2), leaf(2)))
    layout = _place(tree)
    _check(tree, layout)
    left, right = layout.nodes[1], layout.nodes[4]
    assert right.x - (left.x + left.width) >= GAP - 1e-6


@st.composite
def trees(draw: st.DrawFn) -> Tree:
    """A random binary tree of up to 40 splits, in preorder, with random texts."""
    splits = draw(st.integers(0, 40))
    shape: list[bool] = []   # preorder: True for a split
    open_slots, made = 1, 0
    while open_slots:
        is_split = made < splits and draw(st.booleans())
        shape.append(is_split)
        made += is_split
        open_slots += 1 if is_split else -1
    text = st.text("abcdefghijklmnopqrstuvwxyz =!<>.0123456789", min_size=1, max_size=30)
    nodes: list[TreeNode | None] = [None] * len(shape)

    def build(start: int, depth: int) -> int:
        """Fill ``nodes`` from ``start``; returns the index after its subtree."""
        if not shape[start]:
            nodes[start] = TreeNode("", draw(text), (), depth)
            return start + 1
        first = start + 1
        second = build(first, depth + 1)
        end = build(second, depth + 1)
        nodes[start] = TreeNode(draw(text), "", (Branch(draw(text), first),
                                                 Branch(draw(text), second)), depth)
        return end

    build(0, 0)
    return Tree(tuple(node for node in nodes if node is not None))


@settings(max_examples=60, deadline=None)
@given(trees())
def test_random_trees_never_overlap_and_keep_parents_centred(tree):
    _check(tree, _place(tree))


def test_a_chain_thousands_of_levels_deep_needs_no_recursion():
    depth = 3000   # past Python's recursion limit
    nodes: list[TreeNode] = []
    for level in range(depth):
        nodes.append(TreeNode("a", "", (Branch("<= 1", len(nodes) + 1),
                                        Branch("> 1", len(nodes) + 2)), level))
        nodes.append(TreeNode("", "leaf", (), level + 1))
    nodes.append(TreeNode("", "end", (), depth))
    layout = _place(Tree(tuple(nodes)))
    assert len(layout.nodes) == 2 * depth + 1
    assert layout.nodes[-1].y > layout.nodes[0].y


def test_the_layout_needs_no_qt():
    code = ("import json, sys\n"
            "import workbench.gui.tree_layout\n"
            "print(json.dumps(sorted(sys.modules)))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    modules = json.loads(done.stdout.strip().splitlines()[-1])
    assert not [m for m in modules if m.split(".")[0] in ("PySide6", "pyqtgraph")]
