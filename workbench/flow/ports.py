"""Port types in WEKA's Knowledge Flow vocabulary, and the values that travel on links.

A WEKA user wires ``dataSet``, ``trainingSet``, ``testSet``, ``batchClassifier``, ``text``
and ``thresholdData`` connections; we keep those names so the palette and the canvas say
what they expect. Two links may join only ports of the same type (or a placeholder's
port, whose type is unknown until its plugin is installed).

Cross-validation folds travel as "fold k of n": a ``trainingSet`` or ``testSet`` value is a
tuple of ``FoldData``, one per fold, so one classifier node trains once per fold and the
evaluator pools the folds into one ``Results``, exactly as WEKA's batch events do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from workbench.data.dataset import Dataset

if TYPE_CHECKING:
    from workbench.evaluation.evaluate import TestOption

# Type names, as WEKA's connection menu shows them.
DATA_SET = "dataSet"
TRAINING_SET = "trainingSet"
TEST_SET = "testSet"
BATCH_CLASSIFIER = "batchClassifier"
TEXT = "text"
THRESHOLD_DATA = "thresholdData"
VISUALIZABLE_ERROR = "visualizableError"
IMAGE = "image"
CHART = "chart"
CONFUSION_MATRIX = "confusionMatrix"
SUMMARY = "summary"
ANY = "any"  # a placeholder's port: type unknown until its plugin is installed

PORT_TYPES: dict[str, str] = {
    DATA_SET: "a whole dataset",
    TRAINING_SET: "training folds (fold k of n)",
    TEST_SET: "test folds (fold k of n)",
    BATCH_CLASSIFIER: "classifiers trained per fold, with their test folds",
    TEXT: "text for a person to read",
    THRESHOLD_DATA: "ROC / precision-recall curve points of one classifier",
    VISUALIZABLE_ERROR: "an evaluation's predictions (actual, predicted, probabilities)",
    IMAGE: "named arrays to show as images (weights, filters)",
    CHART: "curves to draw in one chart",
    CONFUSION_MATRIX: "a confusion matrix with its class labels",
    SUMMARY: "per-attribute statistics",
    ANY: "unknown (the node's plugin is missing)",
}


def compatible(source_type: str, target_type: str) -> bool:
    """True when an output of ``source_type`` may feed an input of ``target_type``."""
    return source_type == target_type or ANY in (source_type, target_type)


@dataclass(frozen=True)
class PortSpec:
    """One port of a node type, as declared by the type.

    ``multiple`` inputs accept several links (a chart overlaying several classifiers);
    other inputs accept one. An ``optional`` input may stay unconnected.
    """

    name: str
    type: str
    help: str = ""
    multiple: bool = False
    optional: bool = False

    def __post_init__(self) -> None:
        if self.type not in PORT_TYPES:
            raise ValueError(f"port '{self.name}': unknown port type '{self.type}'")


@dataclass(frozen=True)
class FoldData:
    """One fold's dataset: "fold ``fold + 1`` of ``num_folds``".

    ``rows`` are the positions of these instances in ``source``, the dataset the folds were
    cut from, so pooled predictions can be reported per instance as WEKA does (after an
    instance filter resampled a training fold they are just renumbered). ``option``
    is the test option that cut them (cross-validation, split), None for a whole dataset
    made a training or test set; the report names the test mode by it.
    """

    fold: int
    num_folds: int
    dataset: Dataset
    rows: np.ndarray
    source: Dataset | None = field(default=None, repr=False)
    option: TestOption | None = field(default=None, repr=False)

    @property
    def label(self) -> str:
        return f"fold {self.fold + 1} of {self.num_folds}"

    def with_dataset(self, dataset: Dataset) -> FoldData:
        """The same fold carrying another dataset of the same rows (after a filter)."""
        rows = self.rows
        if dataset.num_instances != len(rows):  # an instance filter changed the rows
            rows = np.arange(dataset.num_instances, dtype=np.intp)
        return FoldData(self.fold, self.num_folds, dataset, rows, self.source, self.option)

    def with_source(self, source: Dataset | None) -> FoldData:
        return FoldData(self.fold, self.num_folds, self.dataset, self.rows, source,
                        self.option)


Folds = tuple[FoldData, ...]


def whole(dataset: Dataset) -> FoldData:
    """A dataset as "fold 1 of 1" (WEKA's TrainingSetMaker / TestSetMaker)."""
    return FoldData(0, 1, dataset, np.arange(dataset.num_instances, dtype=np.intp), dataset)


@dataclass(frozen=True)
class TrainedFold:
    """A classifier trained on one training fold, with that fold's test data.

    ``full_data`` marks a model trained on all the data the folds were cut from, the one
    WEKA's Explorer reports; the built-in classifier nodes train none (as WEKA's
    Knowledge Flow, once per training set), a plugin's node may.
    """

    fold: int
    num_folds: int
    classifier: Any
    train: Dataset
    test: FoldData | None
    title: str
    options: str = ""
    full_data: bool = False
    build_seconds: float = 0.0

    @property
    def label(self) -> str:
        if self.full_data:
            return "full training set"
        if self.num_folds == 1:
            return "training set"
        return f"fold {self.fold + 1} of {self.num_folds}"


@dataclass(frozen=True)
class BatchClassifier:
    """What a classifier node emits: one trained model per training set it received.

    ``full`` is a model trained on all the data the folds were cut from; the built-in
    classifier nodes leave it None, as WEKA's Knowledge Flow trains once per training
    set (a split's training set, each fold of a cross-validation), never again on all.
    ``title`` is the classifier's name ("MLP"); ``node_title`` the title of the node that
    trained it, as the canvas shows it ("MLP (dropout 0.5)"), empty outside a flow.
    """

    title: str
    options: str
    folds: tuple[TrainedFold, ...]
    full: TrainedFold | None = None
    node_title: str = ""

    @property
    def final(self) -> TrainedFold:
        """The model a person would keep: trained on all the data if some node did, else
        the one trained on the (last) training set: a split's, the last fold's."""
        return self.full if self.full is not None else self.folds[-1]


@dataclass(frozen=True)
class ThresholdData:
    """ROC / precision-recall curve points of one classifier, one curve per class
    (``curves`` are ``workbench.evaluation.ThresholdCurve``), for a chart to overlay;
    ``evaluation`` is the ``Evaluation`` they come from, for the GUI's curve viewer."""

    classifier: str
    relation: str
    curves: tuple[Any, ...]
    evaluation: Any = field(default=None, repr=False, compare=False)
