"""A fitted decision tree as nodes and branches, in the order WEKA's J48 lists them.

One structure feeds both faces of a tree: the model text in J48's layout
(``tree_text``) and the Explorer's "Visualize tree" picture (``gui/plots/tree_view.py``),
so the two never disagree on a branch's words or its place. It is plain data (no Qt),
so the picture's layout is tested without a window.

The tree is scikit-learn's binary CART on our ``Encoder``'s columns. A nominal
attribute, one-hot encoded, is tested one label at a time and its branches are named as
J48's binary splits (``-B``) name them: ``= label`` first, then ``!= label``. A
two-valued attribute names both labels instead (``windy = TRUE``, ``windy = FALSE``, as
J48 without ``-B`` writes them), and lists the first declared label's branch first
whichever of its two indicator columns the tree happened to split on: WEKA 3.9.7's J48
does so with and without ``-B`` (weather.nominal: ``windy = TRUE`` before ``windy =
FALSE``; breast-cancer: ``node-caps = yes`` before ``node-caps = no``; vote:
``physician-fee-freeze = n`` before ``= y``). Numeric thresholds are mapped back through
the encoder's scaling into the data's own units, lower branch first; date thresholds
are written as dates.

Nodes are numbered in the order the text lists them (depth first, branches in order),
so a node's children come after it: a layout can work from the last node to the first
without recursion, which a tree thousands of levels deep would overflow.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from workbench.classifiers.encoding import Encoder
from workbench.core.errors import WorkbenchError
from workbench.core.weka.javaformat import double_to_string, java_double_text
from workbench.data.dataset import Attribute, AttributeType, Dataset, format_value


@dataclass(frozen=True)
class Branch:
    """One way down from a split: its test as the picture writes it on the edge
    (``= sunny``, ``<= 2.45``; the text puts the attribute's name before it) and the
    node it leads to (an index into ``Tree.nodes``)."""

    test: str
    child: int


@dataclass(frozen=True)
class TreeNode:
    """A split (``attribute`` tested, ``branches`` in WEKA's order) or a leaf (``leaf``:
    ``class (weight/errors)``, or the predicted value and weight of a numeric class)."""

    attribute: str
    leaf: str
    branches: tuple[Branch, ...]
    depth: int

    @property
    def is_leaf(self) -> bool:
        return not self.branches


@dataclass(frozen=True)
class Tree:
    """A whole tree: ``nodes[0]`` is the root; every child comes after its parent."""

    nodes: tuple[TreeNode, ...]

    @property
    def leaf_count(self) -> int:
        return sum(1 for node in self.nodes if node.is_leaf)

    @property
    def depth(self) -> int:
        return max(node.depth for node in self.nodes)

    def parents(self) -> list[int]:
        """Each node's parent (-1 for the root)."""
        parent = [-1] * len(self.nodes)
        for index, node in enumerate(self.nodes):
            for branch in node.branches:
                parent[branch.child] = index
        return parent


class _Column:
    """What one encoded input column is: an attribute's number, or one of its labels."""

    def __init__(self, attribute: Attribute, label: int | None, offset: float,
                 scale: float) -> None:
        self.attribute, self.label, self.offset, self.scale = attribute, label, offset, scale

    def tests(self, threshold: float) -> tuple[tuple[bool, str], tuple[bool, str]]:
        """The two branches of a split ``column <= threshold`` in the order WEKA lists
        them, each as (goes to the high side, the test's words)."""
        if self.label is not None:
            values = self.attribute.values
            chosen = values[self.label]
            if len(values) == 2:   # the other branch is the other label: declared order
                other = values[1 - self.label]
                high, low = (True, f"= {chosen}"), (False, f"= {other}")
                return (high, low) if self.label == 0 else (low, high)
            return (True, f"= {chosen}"), (False, f"!= {chosen}")
        original = threshold / self.scale + self.offset if self.scale else self.offset
        if self.attribute.type is AttributeType.DATE:
            shown = format_value(self.attribute, original)
        else:
            shown = double_to_string(original, 6)
        return (False, f"<= {shown}"), (True, f"> {shown}")


def _columns(encoder: Encoder, header: Dataset) -> list[_Column]:
    columns: list[_Column] = []
    for j, source in enumerate(encoder.columns_):
        attribute = header.attributes[int(source)]
        size = int(encoder.sizes_[j])
        if encoder.is_nominal_[j]:
            if size == 1:   # one 0/1 column: the attribute's second label (or none)
                columns.append(_Column(attribute, min(1, attribute.num_values - 1), 0, 1))
            else:
                columns.extend(_Column(attribute, v, 0, 1) for v in range(size))
        else:
            columns.append(_Column(attribute, None, float(encoder.offset_[j]),
                                   float(encoder.scale_[j])))
    return columns


def _weight(value: float) -> str:
    """A weight as J48 prints it: rounded to two places, Java's double text."""
    return java_double_text(round(float(value), 2))


def tree_of(fitted: Any, encoder: Encoder, header: Dataset,
            classes: tuple[str, ...]) -> Tree:
    """The tree of a fitted ``DecisionTreeClassifier``/``Regressor``.

    ``classes`` are the class labels (empty for a numeric class); the estimator's own
    ``classes_`` index into them.
    """
    tree = fitted.tree_
    columns = _columns(encoder, header)
    known = np.asarray(getattr(fitted, "classes_", []), dtype=np.intp) if classes else None
    left, right = tree.children_left, tree.children_right

    def leaf(node: int) -> str:
        weight = float(tree.weighted_n_node_samples[node])
        if known is None:
            return f"{double_to_string(float(tree.value[node, 0, 0]), 6)} ({_weight(weight)})"
        distribution = np.asarray(tree.value[node, 0, :], dtype=np.float64)
        total = distribution.sum()
        counts = distribution / total * weight if total > 0 else distribution
        best = int(np.argmax(counts))
        errors = weight - float(counts[best])
        tail = f"/{_weight(errors)}" if round(errors, 2) > 0 else ""
        return f"{classes[int(known[best])]} ({_weight(weight)}{tail})"

    def branches(node: int) -> list[tuple[int, str]]:
        """The node's children (scikit-learn's numbers) and tests, in WEKA's order."""
        column = columns[int(tree.feature[node])]
        first, second = column.tests(float(tree.threshold[node]))
        return [(int(right[node] if high else left[node]), test)
                for high, test in (first, second)]

    # Number the nodes depth first, branches in order: the text's order.
    order: list[tuple[int, int]] = []   # (scikit-learn's node, depth)
    stack = [(0, 0)]
    while stack:
        node, depth = stack.pop()
        order.append((node, depth))
        if left[node] != -1:
            stack.extend((child, depth + 1) for child, _ in reversed(branches(node)))
    number = {node: index for index, (node, _) in enumerate(order)}
    nodes: list[TreeNode] = []
    for node, depth in order:
        if left[node] == -1:
            nodes.append(TreeNode("", leaf(node), (), depth))
        else:
            name = columns[int(tree.feature[node])].attribute.name
            nodes.append(TreeNode(name, "", tuple(Branch(test, number[child])
                                                  for child, test in branches(node)), depth))
    return Tree(tuple(nodes))


def model_tree(model: Any) -> Tree | None:
    """The one decision tree ``model`` is, or wraps (a FilteredClassifier or an
    InputMappedClassifier around one, to any depth); None for any other model, or one
    not trained yet. What "Visualize tree" draws: a WEKA user right-clicks a J48 result
    for its picture, and a tree inside a FilteredClassifier is still one tree."""
    from workbench.classifiers.filtered import FilteredClassifier
    from workbench.classifiers.input_mapped import InputMappedClassifier
    from workbench.classifiers.inspection import SingleTree

    while isinstance(model, (FilteredClassifier, InputMappedClassifier)):
        model = model.classifier_
    if not isinstance(model, SingleTree):
        return None
    try:
        return model.decision_tree()
    except WorkbenchError:   # not trained yet
        return None


def has_tree(model: Any) -> bool:
    """Whether ``model_tree`` finds a tree, without building it (a menu asks each time
    it opens)."""
    from workbench.classifiers.filtered import FilteredClassifier
    from workbench.classifiers.input_mapped import InputMappedClassifier
    from workbench.classifiers.inspection import SingleTree

    while isinstance(model, (FilteredClassifier, InputMappedClassifier)):
        model = model.classifier_
    return isinstance(model, SingleTree) and model.has_decision_tree()
