"""Run one of WEKA's test options for one classifier and collect a ``Results``.

The test options are the Explorer's: use training set, supplied test set, k-fold
cross-validation (stratified for a nominal class) and percentage split, plus repeated
runs (seeds ``seed``, ``seed + 1``, ...) as the Experimenter does. As in WEKA, the model
shown is always trained on all the training data, and each fold trains a fresh clone
(a learner that is a ``FoldTrainer`` trains the folds' clones together, the same models
faster).
Progress is reported per fold (and, through the classifier, per epoch inside a fold), and
the cancel token is checked between folds, so the GUI and the CLI can stop cleanly.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from workbench.core.errors import WorkbenchError
from workbench.core.memory_ceiling import available_memory, describe_bytes
from workbench.core.names import registered_full_name, registered_name
from workbench.core.progress import (
    CancelToken,
    ProgressCallback,
    ProgressEvent,
    check,
    report,
)
from workbench.data.dataset import Dataset
from workbench.evaluation.diagnosis import chance_level_warning, has_learning_rate
from workbench.evaluation.learning import LearningCurve, learning_curve
from workbench.evaluation.metrics import Metrics, compute_metrics
from workbench.evaluation.report import RunInfo, json_report, weka_report
from workbench.evaluation.resampling import (
    Fold,
    cross_validation_folds,
    hide_class,
    percentage_split,
)
from workbench.evaluation.results import Results
from workbench.evaluation.test_options import TestOptions

if TYPE_CHECKING:
    from workbench.classifiers.base import Classifier

Mode = Literal["training", "test_set", "cross_validation", "split"]


@dataclass(frozen=True)
class TestOption:
    """How to test: WEKA's four test options and the number of repeated runs."""

    __test__ = False  # not a pytest test class, despite its name

    mode: Mode = "cross_validation"
    folds: int = 10
    seed: int = 1
    percent: float = 66.0
    preserve_order: bool = False
    test_set: Dataset | None = field(default=None, repr=False)
    runs: int = 1

    @classmethod
    def training_set(cls) -> TestOption:
        return cls("training")

    @classmethod
    def supplied_test_set(cls, test_set: Dataset) -> TestOption:
        return cls("test_set", test_set=test_set)

    @classmethod
    def cross_validation(cls, folds: int = 10, seed: int = 1, runs: int = 1) -> TestOption:
        return cls("cross_validation", folds=folds, seed=seed, runs=runs)

    @classmethod
    def split(cls, percent: float = 66.0, seed: int = 1, preserve_order: bool = False,
              runs: int = 1) -> TestOption:
        return cls("split", percent=percent, seed=seed, preserve_order=preserve_order,
                   runs=runs)

    def validate(self, data: Dataset, name: str | None = None, *,
                 trains: bool = True) -> None:
        """Refuse what cannot run, with the words of every other front (test_options);
        ``name`` names the data (its file) instead of its relation; ``trains``: a model
        is learned from ``data`` (False when a saved model is tested)."""
        TestOptions.of(self).check(data, self.test_set, name, trains=trains)

    def test_mode_text(self) -> str:
        """The Explorer's "Test mode:" line."""
        runs = f", {self.runs} runs" if self.runs > 1 else ""
        if self.mode == "cross_validation":
            return f"{self.folds}-fold cross-validation{runs}"
        if self.mode == "split":
            order = ", order preserved" if self.preserve_order else ""
            return f"split {float(self.percent)!r}% train, remainder test{order}{runs}"
        if self.mode == "test_set":
            n = self.test_set.num_instances if self.test_set is not None else 0
            return f"user supplied test set: {n} instances"
        return "evaluate on training data"

    def evaluation_title(self, nominal: bool) -> str:
        return {"cross_validation": ("Stratified cross-validation" if nominal
                                     else "Cross-validation"),
                "split": "Evaluation on test split",
                "test_set": "Evaluation on test set",
                "training": "Evaluation on training set"}[self.mode]

    def test_time_label(self) -> str | None:
        return {"split": "test split", "test_set": "supplied test set",
                "training": "training data"}.get(self.mode)


@dataclass
class Evaluation:
    """The outcome of evaluating one classifier: predictions, numbers, model and timing."""

    results: Results
    model: Classifier | None
    scheme: str
    dataset: Dataset
    option: TestOption
    build_time: float = 0.0
    test_time: float = 0.0
    cost_matrix: np.ndarray | None = None
    # Whether the learner has a learning rate, for the warnings' advice; None: ask the
    # model (a flow's cross-validation without a full-data model has none to ask).
    learning_rate: bool | None = None
    # The report's Scheme line (``scheme_line``: every option); empty: the model's, or
    # ``scheme`` where there is no model (an Evaluation a flow or test builds itself).
    scheme_options: str = ""
    # Where no one model made every prediction (a flow's cross-validation trains one per
    # fold and none on all the data): each fold's learning curve, by fold number from 1,
    # for ``learning_curves`` in the JSON; empty when the folds' learners keep no history.
    fold_curves: tuple[tuple[int, LearningCurve], ...] = ()
    _metrics: Metrics | None = field(default=None, repr=False)

    @property
    def metrics(self) -> Metrics:
        if self._metrics is None:
            self._metrics = compute_metrics(self.results, self.cost_matrix)
        return self._metrics

    @property
    def warnings(self) -> tuple[str, ...]:
        """What looks wrong with this result (see ``diagnosis``), for every front end."""
        learning_rate = self.learning_rate
        if learning_rate is None:
            learning_rate = has_learning_rate(self.model)
        found = chance_level_warning(self.metrics, self.results.classifier, learning_rate)
        # Then the model's own account of a training that went wrong (an MLP stuck at
        # chance says why: saturated outputs, silent ReLU units, and what to change).
        training = getattr(self.model, "warning_", "")
        return tuple(w for w in (found, training if isinstance(training, str) else "") if w)

    def run_info(self, with_model: bool = True) -> RunInfo:
        model_text = self.model.describe() if (with_model and self.model is not None) else None
        line = self.scheme_options or (scheme_line(self.model) if self.model is not None
                                       else self.scheme)
        return RunInfo(scheme=self.scheme, scheme_line=line, dataset=self.dataset,
                       test_mode=self.results.test_mode,
                       evaluation_title=self.option.evaluation_title(self.results.nominal),
                       model_text=model_text, build_time=self.build_time,
                       test_time=self.option.test_time_label(),
                       test_seconds=self.test_time, cost_matrix=self.cost_matrix,
                       warnings=self.warnings)

    def report(self, with_model: bool = True, complexity: bool = False) -> str:
        """The WEKA Explorer text for this evaluation."""
        return weka_report(self.results, self.metrics, self.run_info(with_model), complexity)

    def to_json(self) -> dict[str, Any]:
        """``json_report``'s fields, and the training history: ``learning_curve`` of the
        model that made every prediction, or without one ``learning_curves``, one per
        fold (``{"fold": 1, "epochs": [...], "loss": [...], ...}``), as the flow's
        LearningCurveViewer offers one curve per fold."""
        report = json_report(self.results, self.metrics, self.run_info(with_model=False))
        curve = learning_curve(self.model) if self.model is not None else None
        if curve is not None:
            report["learning_curve"] = curve.to_dict()
        elif self.model is None and self.fold_curves:
            report["learning_curves"] = [{"fold": fold, **each.to_dict()}
                                         for fold, each in self.fold_curves]
        return report


def scheme_text(classifier: Classifier) -> str:
    """The run's name: the classifier as the menus name it, with its non-default
    options as WEKA users write them ("IBk -K 3"), for result lists, legends and the
    Experimenter's columns; a classifier no registry knows (a test's stand-in) keeps
    its internal name and long flags."""
    shown = registered_name(classifier)
    if shown is not None:
        return shown
    options = classifier.options_text()
    return f"{classifier.name} {options}".strip() if options else classifier.name


def scheme_line(classifier: Classifier) -> str:
    """The report's "Scheme:" line: the same first word as ``scheme_text``, then every
    option, defaults included, as WEKA's Scheme line lists the whole option string
    ("IBk -K 1 --distance-weighting none -W 0 ..."); pasted after ``workbench
    classify -t DATA`` it gives the same classifier."""
    shown = registered_full_name(classifier)
    return scheme_text(classifier) if shown is None else shown


def evaluate(classifier: Classifier, data: Dataset, option: TestOption, *,
             progress: ProgressCallback | None = None, cancel: CancelToken | None = None,
             cost_matrix: np.ndarray | None = None, model: Classifier | None = None,
             build_model: bool = True,
             model_built: Callable[[Classifier], None] | None = None) -> Evaluation:
    """Evaluate ``classifier`` on ``data`` with ``option``; returns an ``Evaluation``.

    ``classifier`` is used as a template (it is cloned, never fitted in place). ``model``
    is an already trained classifier (``-l``): with a supplied test set it is evaluated
    as is, and RAE/RRSE use ``data``'s class prior when ``data`` has rows. With
    ``build_model`` False the full-data model is not trained for cross-validation or a
    split (the Explorer always trains it; scripts may not need it). ``model_built`` is
    called with the full-data model as soon as it is trained, before any fold: the
    command line saves it there (``-d``), as WEKA does, so that a model that cannot be
    saved is known before a long cross-validation, and a stopped one keeps the model.
    """
    if model is not None and option.mode == "test_set":
        data = _data_for_loaded_model(model, data)
    if data.class_attribute is None:
        raise WorkbenchError(f"dataset '{data.relation}' has no class attribute set")
    option.validate(data, trains=model is None)
    nominal = data.class_attribute.is_nominal
    if nominal:
        _check_class_tables(data, option)
    results = Results(data.header(), classifier.name, option.test_mode_text())
    fold_plan = _fold_plan(data, option)
    needs_model = model is None and (build_model or option.mode in ("training", "test_set"))
    units = len(fold_plan) + (1 if needs_model else 0) + (
        1 if option.mode in ("training", "test_set") else 0)
    tracker = _Tracker(progress, units)

    build_time = 0.0
    if needs_model:
        check(cancel)
        start = time.perf_counter()
        model = classifier.clone().fit(data, tracker.sub("full training set"), cancel)
        build_time = time.perf_counter() - start
        tracker.done("model built on the full training set")
        if model_built is not None:
            model_built(model)

    test_time = 0.0
    if option.mode in ("training", "test_set"):
        assert model is not None
        test = data if option.mode == "training" else option.test_set
        assert test is not None
        if option.mode == "test_set":
            test = _test_as_trained(model, data, test)
        check(cancel)
        start = time.perf_counter()
        dist, pred = _predict(model, test, nominal)
        test_time = time.perf_counter() - start
        prior_data = data if data.num_instances > 0 else None
        results.add_fold(run=0, fold=0, indices=np.arange(test.num_instances),
                         actual=test.class_values, distribution=dist, predicted=pred,
                         weights=test.weights, train=prior_data)
        tracker.done("tested")
    else:
        total_folds = len(fold_plan)
        together = _fit_together(classifier, data, option, fold_plan, tracker, cancel)
        for number, fold in enumerate(fold_plan, start=1):
            check(cancel)
            train = data.select_rows(fold.train)
            test = data.select_rows(fold.test)
            label = (f"fold {fold.index + 1}/{option.folds}"
                     if option.mode == "cross_validation" else "split")
            if option.runs > 1:
                label = f"run {fold.run + 1}/{option.runs}, {label}"
            if together is not None:
                fitted = together[number - 1]
            else:
                fitted = classifier.clone().fit(train, tracker.sub(label), cancel)
            start = time.perf_counter()
            dist, pred = _predict(fitted, test, nominal)
            test_time += time.perf_counter() - start
            results.add_fold(run=fold.run, fold=fold.index, indices=fold.test,
                             actual=test.class_values, distribution=dist, predicted=pred,
                             weights=test.weights, train=train)
            if together is None:
                tracker.done(f"{label} done ({number}/{total_folds})")
    check(cancel)
    return Evaluation(results, model, scheme_text(classifier), data, option, build_time,
                      test_time, cost_matrix, has_learning_rate(classifier),
                      scheme_options=scheme_line(classifier))


def _check_class_tables(data: Dataset, option: TestOption) -> None:
    """Refuse, before any training, an evaluation whose tables cannot fit: every
    prediction keeps a probability per class value and the confusion matrix is classes
    x classes, so 100 000 class values over 100 000 rows (a 2 MB file) ask for 80 GB.
    Counted: the folds' distributions, their join and one block in the making, and the
    matrix with one copy (10 000 x 10 000 measured at 2.4 GB, estimated at 4)."""
    assert data.class_attribute is not None
    k = data.class_attribute.num_values
    test = option.test_set if option.mode == "test_set" else None
    predictions = (test.num_instances if test is not None else data.num_instances) * \
        max(option.runs, 1)
    need = 8 * (3 * predictions * k + 2 * k * k)
    free = available_memory()
    if free is not None and need > free:
        raise WorkbenchError(
            f"the class '{data.class_attribute.name}' has {k} values: evaluating "
            f"{predictions} predictions keeps a probability for each value and a {k} x {k} "
            f"confusion matrix, about {describe_bytes(need)}, more than the "
            f"{describe_bytes(free)} of memory free (group rare class values, or use "
            f"fewer rows)")


def _fit_together(classifier: Classifier, data: Dataset, option: TestOption,
                  fold_plan: list[Fold], tracker: _Tracker, cancel: CancelToken | None
                  ) -> list[Classifier] | None:
    """The cross-validation's fold models trained together when the classifier can
    (``FoldTrainer``: the same models, faster), else None (trained fold by fold)."""
    from workbench.classifiers.base import FoldTrainer

    if option.mode != "cross_validation" or not isinstance(classifier, FoldTrainer):
        return None
    check(cancel)
    trains = [data.select_rows(fold.train) for fold in fold_plan]
    label = f"{len(trains)} folds together"
    models = classifier.fit_folds(trains, tracker.sub(label, len(trains)), cancel)
    tracker.done(f"{label} done", len(trains))
    return models


def _fold_plan(data: Dataset, option: TestOption) -> list[Fold]:
    """All train/test splits of all runs, WEKA's seeds ``seed``, ``seed + 1``, ..."""
    plan: list[Fold] = []
    for run in range(option.runs):
        seed = option.seed + run
        if option.mode == "cross_validation":
            plan.extend(cross_validation_folds(data, option.folds, seed, run))
        elif option.mode == "split":
            plan.append(percentage_split(data, option.percent, seed, option.preserve_order,
                                         run))
    return plan


def _check_test_header(train: Dataset, test: Dataset) -> None:
    why = train.header_matches(test)
    if why is not None:
        raise WorkbenchError(f"training set '{train.relation}' and test set "
                             f"'{test.relation}' are not compatible: {why}")


def _data_for_loaded_model(model: Classifier, data: Dataset) -> Dataset:
    """A loaded InputMappedClassifier scores its test set in its own training header,
    so that is the header the results are kept in, whatever header ``data`` (often the
    test set's own) has."""
    from workbench.classifiers.input_mapped import InputMappedClassifier

    header = model.header_
    if (isinstance(model, InputMappedClassifier) and header is not None
            and header.header_matches(data) is not None):
        return header
    return data


def _test_as_trained(model: Classifier, train: Dataset, test: Dataset) -> Dataset:
    """The supplied test set as it is scored. An InputMappedClassifier maps it onto its
    training header by name (as WEKA's Evaluation asks it to), so the actual class
    values are read through the same mapping as the attributes: a class label the model
    never saw is missing, and counted among the ignored instances. Any other model needs
    a header-identical test set."""
    mapped = scored_test_set(model, test)
    if mapped is test:
        _check_test_header(train, test)
    return mapped


def scored_test_set(model: Classifier, test: Dataset) -> Dataset:
    """``test`` as ``model`` scores it: an InputMappedClassifier's mapping onto its
    training header (the class included, so actual values are read in the model's label
    order), any other model's data as it is. Every place that scores a supplied test set
    (``evaluate``, the Knowledge Flow's evaluator) reads the actual classes through this,
    or a test file listing the labels in another order is scored against scrambled
    classes."""
    from workbench.classifiers.input_mapped import InputMappedClassifier

    if isinstance(model, InputMappedClassifier):
        return model.map_input(test)
    return test


def _predict(model: Classifier, test: Dataset, nominal: bool
             ) -> tuple[np.ndarray | None, np.ndarray | None]:
    hidden = hide_class(test)
    if nominal:
        return model.predict_proba(hidden), None
    return None, model.predict(hidden)


class _Tracker:
    """Maps per-fold progress (and the classifier's per-epoch events) onto one 0..1 bar."""

    def __init__(self, progress: ProgressCallback | None, units: int) -> None:
        self.progress = progress
        self.units = max(units, 1)
        self.finished = 0

    def sub(self, label: str, units: int = 1) -> ProgressCallback | None:
        """A callback for work spanning ``units`` of the bar (its fractions 0..1)."""
        if self.progress is None:
            return None
        base = self.finished
        outer: Callable[[ProgressEvent], None] = self.progress

        def forward(event: ProgressEvent) -> None:
            inner = min(max(event.fraction or 0.0, 0.0), 1.0) * units
            message = f"{label}: {event.message}" if event.message else label
            outer(ProgressEvent((base + inner) / self.units, message,
                                {**event.values, "stage": label}))

        report(outer, base / self.units, label, stage=label)
        return forward

    def done(self, message: str, units: int = 1) -> None:
        self.finished += units
        report(self.progress, self.finished / self.units, message)
