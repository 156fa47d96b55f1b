"""Node types made from registered components: one per classifier, one per filter.

The node's parameters are exactly the component's declared parameters (one declaration,
three faces). Values live in a dict rather than as attributes, so a component parameter
can never collide with a node-type attribute such as ``inputs`` or ``category``.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any, ClassVar

from workbench.classifiers.recording import (
    record_while_watched,
    records_only_when_watched,
    stop_recording,
)
from workbench.core.registry import ComponentInfo
from workbench.data.dataset import Dataset
from workbench.evaluation.evaluate import scheme_line
from workbench.filters.relation_name import filtered_relation
from workbench.flow.nodes.base import NodeContext, NodeError, NodeType
from workbench.flow.ports import (
    BATCH_CLASSIFIER,
    DATA_SET,
    TEST_SET,
    TEXT,
    TRAINING_SET,
    BatchClassifier,
    FoldData,
    Folds,
    PortSpec,
    TrainedFold,
)


class ComponentNode(NodeType):
    """A node wrapping one registered component (``component``), with its parameters."""

    component: ClassVar[ComponentInfo]

    def __init__(self, **values: Any) -> None:
        self._values = {p.name: p.default for p in self.params}
        self.set_params(**values)

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        return dict(self._values)

    def set_params(self, **values: Any) -> ComponentNode:
        for name, value in values.items():
            param = self.param(name.replace("-", "_"))
            self._values[param.name] = param.validate(value)
        return self

    def params_to_dict(self) -> dict[str, Any]:
        return {p.name: p.to_json(self._values[p.name]) for p in self.params}

    def options_text(self) -> str:
        return self.make().options_text()

    def make(self) -> Any:
        """A new, unfitted component with this node's parameters."""
        return self.component.factory(**self._values)


# What to do in the flow when data reaches a node without a class: loaders set none
# (they have no class option), WEKA's ClassAssigner does.
CLASS_HINT = ("insert a ClassAssigner right after the loader (it makes the last attribute "
              "the class; its parameters choose another)")


def require_class(dataset: Any, who: str) -> None:
    """Refuse data without a class attribute, saying how the flow gets one."""
    if dataset.class_attribute is None:
        raise NodeError(f"{who} needs a class attribute, and dataset '{dataset.relation}' "
                        f"has none set: {CLASS_HINT}")


def pair_folds(train: Folds, test: Folds | None, who: str) -> list[tuple[FoldData,
                                                                       FoldData | None]]:
    """Each training fold with the test fold of the same number ("fold k of n")."""
    if not test:
        return [(fold, None) for fold in train]
    by_number = {(f.fold, f.num_folds): f for f in test}
    pairs: list[tuple[FoldData, FoldData | None]] = []
    for fold in train:
        match = by_number.get((fold.fold, fold.num_folds))
        if match is None:
            raise NodeError(f"{who}: the test set has no {fold.label} to go with the "
                            f"training {fold.label}; connect both from one fold maker")
        pairs.append((fold, match))
    if len(pairs) != len(test):
        raise NodeError(f"{who}: {len(test)} test folds but {len(train)} training folds")
    return pairs


def shared_source(folds: Folds) -> FoldData | None:
    """The first fold when every fold was cut by one test option from one dataset."""
    first = folds[0]
    if first.option is None or first.source is None:
        return None
    if all(f.source is first.source for f in folds):
        return first
    return None


class ClassifierNode(ComponentNode):
    """Trains the classifier once per training set it receives: one model per fold of a
    cross-validation, one for a split's training set or a TrainingSetMaker's data.

    As WEKA's Knowledge Flow (``weka.knowledgeflow.steps.Classifier``) and unlike the
    Explorer, no extra model is trained on all the data the folds were cut from: the
    model a flow shows and saves is the one trained on the training set it received,
    and the one its test set evaluated. A network on MNIST would otherwise train twice.
    """

    category = "Classifiers"
    inputs = (PortSpec(TRAINING_SET, TRAINING_SET, "data to learn from, fold by fold"),
              PortSpec(TEST_SET, TEST_SET, "the matching test folds, passed on to the "
                       "evaluator", optional=True))
    outputs = (PortSpec(BATCH_CLASSIFIER, BATCH_CLASSIFIER, "one trained model per fold"),
               PortSpec(TEXT, TEXT, "each trained model, as text"))

    def fingerprint(self, context: NodeContext) -> str:
        """A watched run of a learner that records only when watched trains a model
        that records its dynamics: another result than the unwatched one, so it is not
        taken from (or left in) the cache as if it were the same."""
        return "recording while watched" if context.watched and \
            records_only_when_watched(self.make()) else ""

    def process(self, inputs: Mapping[str, Any], context: NodeContext) -> dict[str, Any]:
        train: Folds = inputs[TRAINING_SET]
        if not train:
            raise NodeError(f"{context.title}: the training set arrived empty")
        require_class(train[0].dataset, context.title)
        pairs = pair_folds(train, inputs.get(TEST_SET), context.title)
        total = len(pairs)
        template = self.make()
        options = template.options_text()  # as configured: recording is no option of it
        # The Scheme line the evaluator's report and the Explorer's print (WEKA's
        # Knowledge Flow prints the class name alone; ours pastes back into `classify`),
        # as configured, before a watched run turns recording on.
        scheme = scheme_line(template)
        # As the Explorer's Watch window: a Dynamics tab to draw. Only this run records:
        # each kept model goes back to the configured value once trained (stop_recording),
        # so a ModelSaver downstream saves it as configured.
        recording = context.watched and record_while_watched(
            template, train[0].dataset.num_instances)
        title = template.display_name or template.name
        folds = []
        for i, (fold, test) in enumerate(pairs):
            context.check()
            context.report(i / total, f"training on {fold.label}")
            start = time.perf_counter()
            model = template.clone().fit(fold.dataset, context.sub_progress(
                i / total, (i + 1) / total, fold.label if total > 1 else ""),
                context.cancel)
            if recording:
                stop_recording(model)
            folds.append(TrainedFold(fold.fold, fold.num_folds, model, fold.dataset, test,
                                     title, options,
                                     build_seconds=time.perf_counter() - start))
        batch = BatchClassifier(title, options, tuple(folds), node_title=context.title)
        text = "\n".join(model_text(trained, scheme) for trained in folds)
        return {BATCH_CLASSIFIER: batch, TEXT: text}


def model_text(trained: TrainedFold, scheme: str) -> str:
    """One trained model as WEKA's Knowledge Flow shows it in a TextViewer, titled with
    the training set it learned from ("fold 3 of 10"), as WEKA numbers its sets."""
    return (f"=== Classifier model ({trained.label}) ===\n\nScheme:       {scheme}\n"
            f"Relation:     {trained.train.relation}\n\n"
            f"{trained.classifier.describe().rstrip()}\n")


class FilterNode(ComponentNode):
    """Fits the filter on a dataset, or on each training fold and applies that fit to the
    matching test fold, so no statistic of a test fold leaks into training."""

    category = "Filters"
    inputs = (PortSpec(DATA_SET, DATA_SET, "a whole dataset to filter", optional=True),
              PortSpec(TRAINING_SET, TRAINING_SET, "training folds: the filter learns "
                       "from each", optional=True),
              PortSpec(TEST_SET, TEST_SET, "test folds, filtered as their training fold",
                       optional=True))
    outputs = (PortSpec(DATA_SET, DATA_SET, "the filtered dataset"),
               PortSpec(TRAINING_SET, TRAINING_SET, "the filtered training folds"),
               PortSpec(TEST_SET, TEST_SET, "the filtered test folds"))

    def process(self, inputs: Mapping[str, Any], context: NodeContext) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.make().needs_class():
            folds = inputs.get(TRAINING_SET) or ()
            for data in (inputs.get(DATA_SET), folds[0].dataset if folds else None):
                if data is not None:
                    require_class(data, context.title)
        if DATA_SET in inputs:
            whole = self.make()
            out[DATA_SET] = _renamed(whole.fit_transform(inputs[DATA_SET]), whole)
        train: Folds | None = inputs.get(TRAINING_SET)
        if train:
            pairs = pair_folds(train, inputs.get(TEST_SET), context.title)
            source = shared_source(train)
            # The data the folds were cut from names the report's header. It stays as it
            # came, only renamed, as FilteredClassifier's report shows the unfiltered
            # header: fitting the filter on it would be one more fit (slow for some
            # filters), and its words or statistics would include the test folds', which
            # a learner checking for leakage reads as "the filter saw the test folds".
            new_source = None
            train_out, test_out = [], []
            for i, (fold, test) in enumerate(pairs):
                context.check()
                context.report(i / len(pairs), f"filtering {fold.label}")
                fitted = self.make().fit(fold.dataset)
                if i == 0 and source is not None and source.source is not None:
                    new_source = _renamed(source.source, fitted)
                train_out.append(fold.with_dataset(
                    _renamed(fitted.transform(fold.dataset), fitted)).with_source(new_source))
                if test is not None:
                    test_out.append(test.with_dataset(
                        _renamed(fitted.transform(test.dataset), fitted))
                        .with_source(new_source))
            out[TRAINING_SET] = tuple(train_out)
            if test_out:
                out[TEST_SET] = tuple(test_out)
        elif inputs.get(TEST_SET):
            raise NodeError(f"{context.title}: test folds arrived without training folds; "
                            f"a filter learns from the training folds, so connect them too")
        if not out:
            raise NodeError(f"{context.title}: nothing to filter; connect a dataSet or "
                            f"trainingSet")
        return out


def _renamed(data: Dataset, the_filter: Any) -> Dataset:
    """``data`` with the filter appended to its relation name, as WEKA's Knowledge Flow
    (its filters' output format), the Explorer and ``workbench filter`` name a filtered
    dataset: a report or a saved file then says which filters made it."""
    return data.with_relation(filtered_relation(data.relation, the_filter))


def make_classifier_node(info: ComponentInfo) -> type[NodeType]:
    return _make(ClassifierNode, info, "classifier")


def make_filter_node(info: ComponentInfo) -> type[NodeType]:
    return _make(FilterNode, info, "filter")


def _make(base: type[ComponentNode], info: ComponentInfo, prefix: str) -> type[NodeType]:
    attributes = {
        "name": f"{prefix}:{info.name}",
        "display_name": info.display_name,
        "aliases": (),
        "params": info.params,
        "component": info,
        "__doc__": info.description or f"The {info.display_name} {prefix}.",
        "__module__": __name__,
        "group": info.category,
    }
    class_name = "".join(part.capitalize() for part in info.name.replace("-", "_").split("_"))
    return type(f"{class_name}{prefix.capitalize()}Node", (base,), attributes)
