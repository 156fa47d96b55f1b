"""The Knowledge Flow's overlay and the Explorer's "Compare selected" name the same runs
alike: they had a function each, and the overlay said "dropout=0.0" where Compare
selected said "dropout=0". Numbers are written as WEKA's options and the Explorer's
classifier line write them, with no trailing ".0"."""

from __future__ import annotations

import pytest

from workbench.classifiers.knn import KNearestNeighbours
from workbench.classifiers.mlp import MultilayerPerceptron
from workbench.flow.nodes.dynamics import run_labels as overlay_labels
from workbench.flow.nodes.rbm import run_labels as rbm_labels
from workbench.gui.plots.compare import run_labels as compare_labels

RUNS = [
    ([MultilayerPerceptron(dropout=0.0), MultilayerPerceptron(dropout=0.5)],
     ["dropout=0", "dropout=0.5"]),
    ([MultilayerPerceptron(weight_decay=0.0, learning_rate=0.1),
      MultilayerPerceptron(weight_decay=1e-4, learning_rate=1.0)],
     ["learning_rate=0.1, weight_decay=0", "learning_rate=1, weight_decay=0.0001"]),
    ([MultilayerPerceptron(hidden_layers="8,8"), MultilayerPerceptron(hidden_layers="16")],
     None),
    ([MultilayerPerceptron(), KNearestNeighbours(k=3)], None),
]


@pytest.mark.parametrize(("models", "expected"), RUNS)
def test_the_overlay_and_compare_selected_name_runs_alike(models, expected):
    names = ["MLP", "MLP"]
    labels = compare_labels(models, names)
    assert overlay_labels(models, names) == labels == rbm_labels(models, names)
    assert not any(part.endswith(".0") for label in labels for part in label.split(", "))
    if expected is not None:
        assert sorted(labels[0].split(", ")) == sorted(expected[0].split(", "))
        assert sorted(labels[1].split(", ")) == sorted(expected[1].split(", "))


def test_alike_runs_keep_their_names_numbered_where_those_are_alike_too():
    same = [MultilayerPerceptron(), MultilayerPerceptron()]
    assert compare_labels(same, ["MLP", "MLP"]) == ["MLP 1", "MLP 2"]
    assert compare_labels(same, ["10:00 - MLP", "10:05 - MLP"]) == ["10:00 - MLP",
                                                                    "10:05 - MLP"]
    assert compare_labels(same) == ["run 1", "run 2"]
    assert compare_labels(same[:1], ["MLP"]) == ["MLP"]
