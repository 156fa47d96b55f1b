"""A fitted scikit-learn tree written as WEKA's J48 writes its tree.

A WEKA user picks a tree to read its rules, and reads them in J48's layout: one line per
branch, ``|   `` per level, numeric tests ``attr <= value`` / ``attr > value``, and each
leaf ``: class (weight/errors)`` (the training weight reaching it and how much of it
is not of that class, ``/errors`` left out when none). The branches, their words and
their order come from ``tree_structure`` (shared with the Explorer's "Visualize tree"):
a nominal attribute is tested one label at a time and written as J48's binary splits
write it, ``attr = label`` then ``attr != label``, a two-valued one with both labels
named in their declared order, as WEKA's J48 lists them. A numeric class's leaves give
the predicted value (the weighted mean) and the weight.

Huge trees are cut after ``MAX_TREE_LINES`` lines with a line saying how many nodes
were left out: the Explorer's report and ``classify`` would otherwise print megabytes.
"""

from __future__ import annotations

from typing import Any

from workbench.classifiers.encoding import Encoder
from workbench.classifiers.tree_structure import Tree, tree_of
from workbench.data.dataset import Dataset

MAX_TREE_LINES = 1000
_INDENT = "|   "


def tree_lines(tree: Tree, max_lines: int = MAX_TREE_LINES) -> str:
    """``tree`` in J48's layout, cut after ``max_lines`` lines."""
    nodes = tree.nodes
    root = nodes[0]
    if root.is_leaf:
        return f": {root.leaf}"
    lines: list[str] = []
    shown = 1
    # (node, its depth in the text, the test leading to it), next to write on top.
    stack = [(branch.child, 0, f"{root.attribute} {branch.test}")
             for branch in reversed(root.branches)]
    while stack:
        if len(lines) >= max_lines:
            left_out = len(nodes) - shown
            lines.append(f"... {left_out} more nodes not shown (the tree has "
                         f"{len(nodes)}; a smaller max_depth or a larger "
                         f"min_samples_leaf gives a tree that fits)")
            break
        index, depth, test = stack.pop()
        shown += 1
        node = nodes[index]
        prefix = _INDENT * depth + test
        if node.is_leaf:
            lines.append(f"{prefix}: {node.leaf}")
        else:
            lines.append(prefix)
            stack.extend((branch.child, depth + 1, f"{node.attribute} {branch.test}")
                         for branch in reversed(node.branches))
    return "\n".join(lines)


def tree_text(fitted: Any, encoder: Encoder, header: Dataset,
              classes: tuple[str, ...], max_lines: int = MAX_TREE_LINES) -> str:
    """The tree of a fitted ``DecisionTreeClassifier``/``Regressor`` in J48's layout.

    ``classes`` are the class labels (empty for a numeric class); the estimator's own
    ``classes_`` index into them.
    """
    return tree_lines(tree_of(fitted, encoder, header, classes), max_lines)
