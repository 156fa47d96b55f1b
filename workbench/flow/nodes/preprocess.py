"""Nodes that prepare data for learning: WEKA's ClassAssigner, ClassValuePicker,
CrossValidationFoldMaker, TrainTestSplitMaker, TrainingSetMaker and TestSetMaker.

Fold makers cut folds with the evaluation layer's WEKA-compatible resampling, so a flow
and ``workbench classify`` with the same folds and seed test the same instances.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import numpy as np

from workbench.core.errors import WorkbenchError
from workbench.core.params import Param
from workbench.data.dataset import Dataset
from workbench.evaluation.resampling import cross_validation_folds, percentage_split
from workbench.evaluation.test_options import TestOptions
from workbench.flow.nodes.base import NodeContext, NodeError, NodeType
from workbench.flow.ports import DATA_SET, TEST_SET, TRAINING_SET, FoldData, PortSpec, whole

_DATA_PORTS = (
    PortSpec(DATA_SET, DATA_SET, "a whole dataset", optional=True),
    PortSpec(TRAINING_SET, TRAINING_SET, "training folds", optional=True),
    PortSpec(TEST_SET, TEST_SET, "test folds", optional=True),
)


def map_datasets(inputs: Mapping[str, Any], change: Callable[[Dataset], Dataset],
                 who: str) -> dict[str, Any]:
    """Apply ``change`` to every dataset arriving (whole, training and test folds, and the
    dataset the folds were cut from), keeping folds and their shared source together."""
    done: dict[int, Dataset] = {}

    def once(dataset: Dataset) -> Dataset:
        if id(dataset) not in done:
            done[id(dataset)] = change(dataset)
        return done[id(dataset)]

    out: dict[str, Any] = {}
    if DATA_SET in inputs:
        out[DATA_SET] = once(inputs[DATA_SET])
    for port in (TRAINING_SET, TEST_SET):
        if port in inputs:
            out[port] = tuple(FoldData(f.fold, f.num_folds, once(f.dataset), f.rows,
                                       None if f.source is None else once(f.source),
                                       f.option) for f in inputs[port])
    if not out:
        raise NodeError(f"{who}: no data arrived; connect a dataSet")
    return out


class ClassAssigner(NodeType):
    """Chooses the class attribute, as WEKA's ClassAssigner does (default: the last)."""

    name = "ClassAssigner"
    display_name = "ClassAssigner"
    category = "Evaluation"
    inputs = _DATA_PORTS
    outputs = tuple(PortSpec(p.name, p.type, p.help.replace("a whole", "the")) for p in
                    _DATA_PORTS)
    class_column = Param.text("last",
                              "the class attribute: 'first', 'last', a 1-based index, a name, "
                              "or 'none'", letter="C")

    def process(self, inputs: Mapping[str, Any], context: NodeContext) -> dict[str, Any]:
        return map_datasets(inputs, self._assign, context.title)

    def _assign(self, dataset: Dataset) -> Dataset:
        spec = self.class_column.strip()
        lowered = spec.lower()
        if lowered == "none":
            return dataset.with_class(None)
        if dataset.num_attributes == 0:
            raise NodeError(f"'{dataset.relation}' has no attributes to choose a class from")
        if lowered == "last":
            return dataset.with_class(dataset.num_attributes - 1)
        if lowered == "first":
            return dataset.with_class(0)
        if spec.isdecimal():
            index = int(spec)
            if not 1 <= index <= dataset.num_attributes:
                raise NodeError(f"class column {index} is outside 1.."
                                f"{dataset.num_attributes} of '{dataset.relation}'")
            return dataset.with_class(index - 1)
        try:
            return dataset.with_class(spec)
        except WorkbenchError as error:
            raise NodeError(f"class column: {error}") from None


class ClassValuePicker(NodeType):
    """Chooses the class value of interest (the "positive" class of ROC curves) by
    making it the first value, as WEKA's ClassValuePicker swaps it to the front."""

    name = "ClassValuePicker"
    display_name = "ClassValuePicker"
    category = "Evaluation"
    inputs = _DATA_PORTS
    outputs = ClassAssigner.outputs
    class_value = Param.text("first",
                             "the class value of interest: a label, 'first', 'last' or a "
                             "1-based index")

    def process(self, inputs: Mapping[str, Any], context: NodeContext) -> dict[str, Any]:
        return map_datasets(inputs, self._pick, context.title)

    def _pick(self, dataset: Dataset) -> Dataset:
        cls, index = dataset.class_attribute, dataset.class_index
        if cls is None or index is None or not cls.is_nominal:
            raise NodeError(f"'{dataset.relation}' needs a nominal class to pick a class "
                            f"value (use a ClassAssigner first)")
        labels = cls.values
        spec = self.class_value.strip()
        if spec.lower() == "first":
            chosen = 0
        elif spec.lower() == "last":
            chosen = len(labels) - 1
        elif spec in labels:
            chosen = labels.index(spec)
        elif spec.isdecimal() and 1 <= int(spec) <= len(labels):
            chosen = int(spec) - 1
        else:
            raise NodeError(f"class '{cls.name}' has no value '{spec}' (its values: "
                            f"{', '.join(labels)})")
        if chosen == 0:
            return dataset
        order = list(range(len(labels)))
        order[0], order[chosen] = chosen, 0
        recode = np.array(order, dtype=np.float64)  # new code of each old code is symmetric
        X = np.array(dataset.dense_values(), copy=True)
        column = X[:, index]
        known = ~np.isnan(column)
        column[known] = recode[column[known].astype(np.intp)]
        attributes = list(dataset.attributes)
        attributes[index] = cls.with_values(labels[i] for i in order)
        return Dataset(dataset.relation, attributes, X, dataset.weights, index)


T = TypeVar("T")


def _test_option(option: Param[T], letter: str | None = None) -> Param[T]:
    """One of the declared test options (same bounds and help as the command line and
    the Explorer), under WEKA's Knowledge Flow letter and the flow's plain label."""
    return dataclasses.replace(option, letter=letter, label=None)


class CrossValidationFoldMaker(NodeType):
    """Cuts a dataset into k training/test folds exactly as WEKA's cross-validation does
    (randomised with the seed, stratified for a nominal class)."""

    name = "CrossValidationFoldMaker"
    display_name = "CrossValidationFoldMaker"
    category = "Evaluation"
    inputs = (PortSpec(DATA_SET, DATA_SET, "the dataset to cross-validate on"),)
    outputs = (PortSpec(TRAINING_SET, TRAINING_SET, "k training folds"),
               PortSpec(TEST_SET, TEST_SET, "k test folds"))
    makes_folds = True
    folds = _test_option(TestOptions.folds, "X")
    seed = _test_option(TestOptions.seed, "S")

    def process(self, inputs: Mapping[str, Any], context: NodeContext) -> dict[str, Any]:
        data: Dataset = inputs[DATA_SET]
        option = TestOptions(mode="cross_validation", folds=self.folds,
                             seed=self.seed).option()
        try:
            option.validate(data)
            folds = list(cross_validation_folds(data, self.folds, self.seed))
        except WorkbenchError as error:
            raise NodeError(f"{context.title}: {error}") from None
        train = tuple(FoldData(f.index, self.folds, data.select_rows(f.train), f.train, data,
                               option) for f in folds)
        test = tuple(FoldData(f.index, self.folds, data.select_rows(f.test), f.test, data,
                              option) for f in folds)
        return {TRAINING_SET: train, TEST_SET: test}


class TrainTestSplitMaker(NodeType):
    """Splits a dataset into one training and one test set by percentage, as WEKA's
    percentage split does (shuffled with the seed unless the order is preserved)."""

    name = "TrainTestSplitMaker"
    display_name = "TrainTestSplitMaker"
    category = "Evaluation"
    inputs = (PortSpec(DATA_SET, DATA_SET, "the dataset to split"),)
    outputs = (PortSpec(TRAINING_SET, TRAINING_SET, "the training part (fold 1 of 1)"),
               PortSpec(TEST_SET, TEST_SET, "the test part (fold 1 of 1)"))
    percent = _test_option(TestOptions.percent, "P")
    seed = _test_option(TestOptions.seed, "S")
    preserve_order = _test_option(TestOptions.preserve_order)

    def process(self, inputs: Mapping[str, Any], context: NodeContext) -> dict[str, Any]:
        data: Dataset = inputs[DATA_SET]
        option = TestOptions(mode="split", percent=self.percent, seed=self.seed,
                             preserve_order=self.preserve_order).option()
        try:
            option.validate(data)
            fold = percentage_split(data, self.percent, self.seed, self.preserve_order)
        except WorkbenchError as error:
            raise NodeError(f"{context.title}: {error}") from None
        train = FoldData(0, 1, data.select_rows(fold.train), fold.train, data, option)
        test = FoldData(0, 1, data.select_rows(fold.test), fold.test, data, option)
        return {TRAINING_SET: (train,), TEST_SET: (test,)}


class TrainingSetMaker(NodeType):
    """Makes a whole dataset the training set (fold 1 of 1)."""

    name = "TrainingSetMaker"
    display_name = "TrainingSetMaker"
    category = "Evaluation"
    inputs = (PortSpec(DATA_SET, DATA_SET, "the dataset to train on"),)
    outputs = (PortSpec(TRAINING_SET, TRAINING_SET, "the whole dataset as training set"),)

    def process(self, inputs: Mapping[str, Any], context: NodeContext) -> dict[str, Any]:
        return {TRAINING_SET: (whole(inputs[DATA_SET]),)}


class TestSetMaker(NodeType):
    """Makes a whole dataset the test set (fold 1 of 1)."""

    name = "TestSetMaker"
    display_name = "TestSetMaker"
    category = "Evaluation"
    inputs = (PortSpec(DATA_SET, DATA_SET, "the dataset to test on"),)
    outputs = (PortSpec(TEST_SET, TEST_SET, "the whole dataset as test set"),)

    def process(self, inputs: Mapping[str, Any], context: NodeContext) -> dict[str, Any]:
        return {TEST_SET: (whole(inputs[DATA_SET]),)}


NODE_TYPES = (ClassAssigner, ClassValuePicker, CrossValidationFoldMaker, TrainTestSplitMaker,
              TrainingSetMaker, TestSetMaker)
