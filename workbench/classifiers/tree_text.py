"""A fitted scikit-learn tree written as WEKA's J48 writes its tree.

A WEKA user picks a tree to read its rules, and reads them in J48's layout: one line per
branch, ``|   `` per level, numeric tests ``attr <= value`` / ``attr > value``, and each
leaf ``: class (weight/errors)`` (the training weight reaching it and how much of it
is not of that class, ``/errors`` left out when none). The tree itself is
scikit-learn's binary CART, so a nominal attribute, one-hot encoded by our ``Encoder``,
is tested one label at a time and written as J48's binary splits write it:
``attr = label`` then ``attr != label`` (the other label's name when there are only
two). Numeric thresholds are mapped back through the
encoder's scaling, so they are in the data's own units; date thresholds are written as
dates. A numeric class's leaves give the predicted value (the weighted mean) and the
weight.

Huge trees are cut after ``MAX_TREE_LINES`` lines with a line saying how many nodes
were left out: the Explorer's report and ``classify`` would otherwise print megabytes.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from workbench.classifiers.encoding import Encoder
from workbench.core.weka.javaformat import double_to_string, java_double_text
from workbench.data.dataset import Attribute, AttributeType, Dataset, format_value

MAX_TREE_LINES = 1000
_INDENT = "|   "


class _Column:
    """What one encoded input column is: an attribute's number, or one of its labels."""

    def __init__(self, attribute: Attribute, label: int | None, offset: float,
                 scale: float) -> None:
        self.attribute, self.label, self.offset, self.scale = attribute, label, offset, scale

    def tests(self, threshold: float) -> tuple[str, str]:
        """The (left, right) branch conditions of a split ``column <= threshold``."""
        name = self.attribute.name
        if self.label is not None:
            values = self.attribute.values
            if len(values) == 2:   # the other branch is the other label
                return f"{name} = {values[1 - self.label]}", f"{name} = {values[self.label]}"
            return f"{name} != {values[self.label]}", f"{name} = {values[self.label]}"
        original = threshold / self.scale + self.offset if self.scale else self.offset
        if self.attribute.type is AttributeType.DATE:
            shown = format_value(self.attribute, original)
        else:
            shown = double_to_string(original, 6)
        return f"{name} <= {shown}", f"{name} > {shown}"


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


def tree_text(fitted: Any, encoder: Encoder, header: Dataset,
              classes: tuple[str, ...], max_lines: int = MAX_TREE_LINES) -> str:
    """The tree of a fitted ``DecisionTreeClassifier``/``Regressor`` in J48's layout.

    ``classes`` are the class labels (empty for a numeric class); the estimator's own
    ``classes_`` index into them.
    """
    tree = fitted.tree_
    columns = _columns(encoder, header)
    known = np.asarray(getattr(fitted, "classes_", []), dtype=np.intp) if classes else None

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

    left, right = tree.children_left, tree.children_right
    if left[0] == -1:
        return f": {leaf(0)}"
    lines: list[str] = []
    shown = 1
    stack: list[tuple[int, int, str]] = []

    def push_children(node: int, depth: int) -> None:
        low, high = columns[int(tree.feature[node])].tests(float(tree.threshold[node]))
        # J48's binary splits name the label first ("= label", then "!= label").
        if columns[int(tree.feature[node])].label is not None:
            branches = [(int(right[node]), high), (int(left[node]), low)]
        else:
            branches = [(int(left[node]), low), (int(right[node]), high)]
        for child, test in reversed(branches):
            stack.append((child, depth, test))

    push_children(0, 0)
    while stack:
        if len(lines) >= max_lines:
            left_out = int(tree.node_count) - shown
            lines.append(f"... {left_out} more nodes not shown (the tree has "
                         f"{int(tree.node_count)}; a smaller max_depth or a larger "
                         f"min_samples_leaf gives a tree that fits)")
            break
        node, depth, test = stack.pop()
        shown += 1
        prefix = _INDENT * depth + test
        if left[node] == -1:
            lines.append(f"{prefix}: {leaf(node)}")
        else:
            lines.append(prefix)
            push_children(node, depth + 1)
    return "\n".join(lines)
