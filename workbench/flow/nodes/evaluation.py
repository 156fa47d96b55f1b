"""Evaluation nodes: WEKA's ClassifierPerformanceEvaluator and PredictionAppender.

The evaluator pools the predictions of every fold into one ``Results`` and hands it to the
evaluation layer's ``Evaluation``, so its report, JSON and curves are the very ones
``workbench classify`` prints for the same classifier, folds and seed, less the model
trained on all the data that a flow does not train (``trained_on_all_data``).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

import numpy as np

from workbench.core.params import Param
from workbench.data.dataset import Attribute, Dataset
from workbench.evaluation.diagnosis import has_learning_rate
from workbench.evaluation.evaluate import (
    Evaluation,
    TestOption,
    scheme_line,
    scheme_text,
    scored_test_set,
)
from workbench.evaluation.learning import learning_curve
from workbench.evaluation.results import Results
from workbench.flow.nodes.base import NodeContext, NodeError, NodeType
from workbench.flow.ports import (
    BATCH_CLASSIFIER,
    DATA_SET,
    TEXT,
    THRESHOLD_DATA,
    VISUALIZABLE_ERROR,
    BatchClassifier,
    PortSpec,
    ThresholdData,
    TrainedFold,
)


def hide_class(data: Dataset) -> Dataset:
    """A copy whose class values are missing, so no classifier can peek at the answer."""
    if data.class_index is None:
        return data
    X = np.array(data.dense_values(), copy=True)
    X[:, data.class_index] = np.nan
    return Dataset(data.relation, data.attributes, X, data.weights, data.class_index)


def _tested(batch: BatchClassifier, who: str) -> list[TrainedFold]:
    folds = [f for f in batch.folds if f.test is not None]
    if not folds:
        raise NodeError(f"{who}: {batch.title} has no test data; connect the fold maker's "
                        f"testSet (or a TestSetMaker) to the classifier")
    return folds


def evaluate_batch(batch: BatchClassifier, who: str = "evaluator") -> Evaluation:
    """Pool the test predictions of every fold into one ``Evaluation``."""
    folds = _tested(batch, who)
    first = folds[0]
    assert first.test is not None
    option = first.test.option
    # As the model scores it (an InputMappedClassifier maps the test set onto its training
    # header, labels in the training order): the results' classes are the model's.
    header = scored_test_set(first.classifier, first.test.dataset).header()
    if header.class_attribute is None:
        raise NodeError(f"{who}: the test data has no class attribute (use a ClassAssigner)")
    if option is None:
        if first.test.dataset is first.train:
            option, data = TestOption.training_set(), first.train
        else:
            option, data = TestOption.supplied_test_set(first.test.dataset), first.train
    else:
        data = first.test.source if first.test.source is not None else first.train
    final = batch.final
    model = final.classifier
    nominal = header.class_attribute.is_nominal
    results = Results(header, model.name, option.test_mode_text())
    test_seconds = 0.0
    for fold in folds:
        test = fold.test
        assert test is not None
        start = time.perf_counter()
        scored = scored_test_set(fold.classifier, test.dataset)
        hidden = hide_class(scored)
        if nominal:
            dist, pred = fold.classifier.predict_proba(hidden), None
        else:
            dist, pred = None, fold.classifier.predict(hidden)
        test_seconds += time.perf_counter() - start
        prior = fold.train if fold.train.num_instances > 0 else None
        results.add_fold(run=0, fold=fold.fold, indices=test.rows,
                         actual=scored.class_values, distribution=dist, predicted=pred,
                         weights=scored.weights, train=prior)
    # One model made every prediction (a split's, or one trained on a training file):
    # the evaluation keeps it for its viewers and learning curve. Folds' models are many.
    with_model = batch.full is not None or len(batch.folds) == 1
    # Without it, each fold's curve (the JSON's ``learning_curves``), numbered as the
    # report and the viewers number the folds (fold 1 of 10, ...).
    fold_curves = () if with_model else tuple(
        (fold.fold + 1, curve) for fold in folds
        if (curve := learning_curve(fold.classifier)) is not None)
    return Evaluation(results, model if with_model else None, scheme_text(model), data,
                      option, final.build_seconds, test_seconds,
                      learning_rate=has_learning_rate(model),
                      # the Scheme line names every option whether or not the
                      # evaluation keeps a model (a cross-validation's are many)
                      scheme_options=scheme_line(model), fold_curves=fold_curves)


def trained_on_all_data(batch: BatchClassifier) -> bool:
    """Whether the batch's model learned from all of the data its report names, the
    model WEKA's report shows as "full training set": a model trained on a training
    file (TrainingSetMaker) or a full-data model a plugin's node supplies. A split's
    model learned from part of it, and a cross-validation's models from folds, so the
    report shows no model for them (the classifier node's text output shows them)."""
    if batch.full is not None:
        return True
    if len(batch.folds) != 1:
        return False
    test = batch.folds[0].test
    return test is None or test.option is None


class ClassifierPerformanceEvaluator(NodeType):
    """Evaluates a classifier on its test folds and reports as WEKA's Explorer does."""

    name = "ClassifierPerformanceEvaluator"
    display_name = "ClassifierPerformanceEvaluator"
    category = "Evaluation"
    inputs = (PortSpec(BATCH_CLASSIFIER, BATCH_CLASSIFIER,
                       "the classifier trained per fold, with its test folds"),)
    outputs = (PortSpec(TEXT, TEXT, "WEKA's evaluation report"),
               PortSpec(THRESHOLD_DATA, THRESHOLD_DATA, "ROC / precision-recall points"),
               PortSpec(VISUALIZABLE_ERROR, VISUALIZABLE_ERROR,
                        "the pooled predictions (for the confusion matrix)"))

    def process(self, inputs: Mapping[str, Any], context: NodeContext) -> dict[str, Any]:
        batch: BatchClassifier = inputs[BATCH_CLASSIFIER]
        context.report(0.0, f"evaluating {batch.title}")
        evaluation = evaluate_batch(batch, context.title)
        text = evaluation.report(with_model=trained_on_all_data(batch))
        # The curves' name is the report's Scheme line ("IBk -K 5"), which the Explorer's
        # result list and `workbench classify` also print; never the registry key "knn".
        label = evaluation.scheme
        curves: tuple[Any, ...] = ()
        if evaluation.results.nominal:
            curves = tuple(evaluation.metrics.curves)
        return {TEXT: text,
                THRESHOLD_DATA: ThresholdData(label, evaluation.dataset.relation, curves,
                                               evaluation),
                VISUALIZABLE_ERROR: evaluation}


class PredictionAppender(NodeType):
    """Appends each test instance's predicted class (and class probabilities) to the test
    data, fold after fold, as WEKA's PredictionAppender does."""

    name = "PredictionAppender"
    display_name = "PredictionAppender"
    category = "Evaluation"
    inputs = (PortSpec(BATCH_CLASSIFIER, BATCH_CLASSIFIER, "the trained classifier"),)
    outputs = (PortSpec(DATA_SET, DATA_SET, "the test instances with predictions"),)

    append_probabilities = Param.boolean(False,
                                         "also append one probability column per class")

    def process(self, inputs: Mapping[str, Any], context: NodeContext) -> dict[str, Any]:
        batch: BatchClassifier = inputs[BATCH_CLASSIFIER]
        parts = []
        for fold in _tested(batch, context.title):
            context.check()
            assert fold.test is not None
            parts.append(self._append(fold.classifier, fold.test.dataset))
        first = parts[0]
        X = np.vstack([p.dense_values() for p in parts])
        weights = np.concatenate([p.weights for p in parts])
        return {DATA_SET: Dataset(first.relation + "_with_predictions", first.attributes, X,
                                  weights, first.class_index)}

    def _append(self, model: Any, data: Dataset) -> Dataset:
        cls = data.class_attribute
        if cls is None:
            raise NodeError("the test data has no class attribute")
        hidden = hide_class(data)
        columns = [data.dense_values()]
        attributes = list(data.attributes)
        if cls.is_nominal:
            proba = model.predict_proba(hidden)
            predicted = model.predict(hidden)
            attributes.append(Attribute.nominal(f"predicted_{cls.name}", cls.values))
            columns.append(predicted[:, None])
            if self.append_probabilities:
                attributes += [Attribute.numeric(f"p({v})") for v in cls.values]
                columns.append(proba)
        else:
            attributes.append(Attribute.numeric(f"predicted_{cls.name}"))
            columns.append(model.predict(hidden)[:, None])
        return Dataset(data.relation, attributes, np.hstack(columns), data.weights,
                       data.class_index)


NODE_TYPES = (ClassifierPerformanceEvaluator, PredictionAppender)
