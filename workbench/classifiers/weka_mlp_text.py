"""WEKA's MultilayerPerceptron model text, numbers written as Java writes them.

Separate from the learner because it is pure formatting: every node's threshold and
input weights under WEKA's node numbers (outputs first, then the hidden layers), each
weight in Java's ``Double.toString`` form, so the text reads like WEKA's own output.
"""

from __future__ import annotations

import numpy as np

from workbench.core.weka.javaformat import java_double_text
from workbench.data.dataset import Dataset


def describe_network(weights: list[np.ndarray], header: Dataset, binary: bool,
                     nominal: bool, rate_used: float, rate: float, epochs: int) -> str:
    """WEKA's model text: every node's threshold and input weights, node numbers as WEKA
    gives them (outputs first, then the hidden layers in order)."""
    inputs: list[str] = []
    for index, attribute in enumerate(header.attributes):
        if index == header.class_index:
            continue
        if binary and attribute.is_nominal and attribute.num_values > 2:
            inputs.extend(f"{attribute.name}={v}" for v in attribute.values)
        else:
            inputs.append(attribute.name)
    outputs = weights[-1].shape[0]
    first_id = [0] * len(weights)  # the id of each layer's first node
    next_id = outputs
    for layer in range(len(weights) - 1):
        first_id[layer] = next_id
        next_id += weights[layer].shape[0]
    kind = "Sigmoid" if nominal else "Linear"
    lines = []
    for layer in [len(weights) - 1, *range(len(weights) - 1)]:
        matrix = weights[layer]
        unit = kind if layer == len(weights) - 1 else "Sigmoid"
        for j in range(matrix.shape[0]):
            lines += [f"{unit} Node {first_id[layer] + j}", "    Inputs    Weights",
                      f"    Threshold    {java_double_text(float(matrix[j, 0]))}"]
            for i in range(1, matrix.shape[1]):
                source = (f"Attrib {inputs[i - 1]}" if layer == 0
                          else f"Node {first_id[layer - 1] + i - 1}")
                lines.append(f"    {source}    {java_double_text(float(matrix[j, i]))}")
    cls = header.class_attribute
    assert cls is not None
    for k in range(outputs):
        lines += [f"Class {cls.values[k] if nominal else cls.name}", "    Input",
                  f"    Node {k}"]
    if rate_used != rate:
        lines.append(f"(training diverged: restarted with learning rate {rate_used:g})")
    lines.append(f"trained {epochs} epochs")
    return "\n".join(lines)
