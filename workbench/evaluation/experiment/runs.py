"""Expand an experiment into independent runs, and compute one run.

A run is one train/test split of one dataset for one classifier: dataset x classifier x
repetition x fold. It carries everything it needs (where the data is, the seed, the
resampling, the classifier's name and parameters), so any worker on any machine computes
exactly the same row, whichever backend sent it and in whatever order runs finish. The
splits are WEKA's Experimenter's own: cross-validation as ``CrossValidationResultProducer``
(``workbench.evaluation.resampling``), a percentage split as ``RandomSplitResultProducer``
(``split``, stratified, not the Explorer's); repetition ``r`` randomizes with
``new Random(seed + r - 1)`` as the Experimenter's run number does.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from workbench.core.errors import WorkbenchError
from workbench.data.catalog import bundled_names, load_bundled
from workbench.data.dataset import Dataset
from workbench.evaluation.experiment.measures import TIMES, read_measures
from workbench.evaluation.experiment.spec import ExperimentSpec
from workbench.evaluation.experiment.split import experiment_split
from workbench.evaluation.metrics import compute_metrics
from workbench.evaluation.resampling import (
    Fold,
    cross_validation_folds,
    hide_class,
)
from workbench.evaluation.results import Results

KEY_COLUMNS: tuple[str, ...] = ("dataset", "classifier", "repetition", "fold")
SIZE_COLUMNS: tuple[str, ...] = ("num_train", "num_test")
TIME_COLUMNS: tuple[str, ...] = TIMES

RunKey = tuple[str, str, int, int]


class RunFailed(WorkbenchError):
    """A run was refused or failed: which one (its results-table key) and why. Its
    arguments are plain values, so it travels back from a worker process or a Dask
    cluster intact; ``run_experiment`` adds the experiment file and its entries."""

    def __init__(self, dataset: str, classifier: str, repetition: int, fold: int,
                 reason: str) -> None:
        super().__init__(dataset, classifier, repetition, fold, reason)
        self.key: RunKey = (dataset, classifier, repetition, fold)
        self.reason = reason

    def __str__(self) -> str:
        dataset, classifier, repetition, fold = self.key
        return (f"classifier '{classifier}' on dataset '{dataset}' (repetition "
                f"{repetition}, fold {fold}): {self.reason}")


@dataclass(frozen=True)
class Run:
    """One independent train/test task; ``repetition`` and ``fold`` count from 1."""

    dataset: str                 # label in the results table
    location: str                # bundled name or absolute path, loaded by the worker
    classifier: str              # label in the results table
    classifier_name: str         # registry short name
    params: dict[str, Any] = field(hash=False)
    repetition: int = 1
    fold: int = 1
    method: str = "cross_validation"
    folds: int = 10
    percent: float = 66.0
    seed: int = 1                # the seed of this repetition
    metrics: tuple[str, ...] = ("accuracy",)
    randomize: bool = True       # a split in the file's order when false

    @property
    def key(self) -> RunKey:
        return (self.dataset, self.classifier, self.repetition, self.fold)


def result_columns(spec: ExperimentSpec) -> list[str]:
    """The results table's columns for ``spec``, in order."""
    return [*KEY_COLUMNS, *SIZE_COLUMNS, *spec.metrics, *TIME_COLUMNS]


def iter_runs(spec: ExperimentSpec) -> Iterator[Run]:
    """Every run of ``spec``, dataset by dataset, in a fixed order, made one at a time:
    an experiment of a million runs never holds them all in memory."""
    sampling = spec.resampling
    for ref in spec.datasets:
        label, location = spec.dataset_label(ref), spec.dataset_location(ref)
        for clf in spec.classifiers:
            for rep in range(1, spec.repetitions + 1):
                for fold in range(1, sampling.folds_per_repetition + 1):
                    yield Run(label, location, clf.label, clf.name, dict(clf.params),
                              rep, fold, sampling.method, sampling.folds,
                              sampling.percent, spec.seed + rep - 1, spec.metrics,
                              sampling.randomize)


def expand_runs(spec: ExperimentSpec) -> list[Run]:
    """Every run of ``spec`` as a list (for small experiments and tests)."""
    return list(iter_runs(spec))


@lru_cache(maxsize=8)
def load_run_dataset(location: str) -> Dataset:
    """The dataset of a run, class last (as WEKA's Experimenter assumes), cached per
    process because a worker computes many runs of the same dataset."""
    if location in bundled_names():
        data = load_bundled(location)
    else:
        from workbench.data.io import load_dataset

        data = load_dataset(location, class_index=-1)
    return data


@lru_cache(maxsize=64)
def _split_plan(location: str, method: str, folds: int, percent: float,
                seed: int, randomized: bool = True) -> tuple[Fold, ...]:
    """All splits of one repetition: cross-validation folds share one generator in fold
    order, so fold ``f`` can only be had by drawing the ones before it."""
    data = load_run_dataset(location)
    if method == "cross_validation":
        return tuple(cross_validation_folds(data, folds, seed))
    return (experiment_split(data, percent, seed, randomized),)


def execute_run(run: Run) -> dict[str, Any]:
    """Train on the run's training part, test on its test part, return its table row."""
    from workbench.core.registry import default_registry

    data = load_run_dataset(run.location)
    if data.class_attribute is None:
        raise WorkbenchError(f"dataset '{run.dataset}' has no class attribute")
    fold = _split_plan(run.location, run.method, run.folds, run.percent,
                       run.seed, run.randomize)[run.fold - 1]
    train, test = data.select_rows(fold.train), data.select_rows(fold.test)
    classifier = default_registry().create("classifier", run.classifier_name, **run.params)
    start = time.perf_counter()
    classifier.fit(train)
    trained = time.perf_counter()
    hidden = hide_class(test)
    results = Results(data.header(), run.classifier, run.method)
    if data.class_attribute.is_nominal:
        results.add_fold(run=run.repetition, fold=run.fold, indices=fold.test,
                         actual=test.class_values,
                         distribution=classifier.predict_proba(hidden),
                         weights=test.weights, train=train)
    else:
        results.add_fold(run=run.repetition, fold=run.fold, indices=fold.test,
                         actual=test.class_values, predicted=classifier.predict(hidden),
                         weights=test.weights, train=train)
    tested = time.perf_counter()
    row: dict[str, Any] = dict(zip(KEY_COLUMNS, run.key, strict=True))
    row["num_train"] = int(train.num_instances)
    row["num_test"] = int(test.num_instances)
    row.update(read_measures(compute_metrics(results), run.metrics))
    row["train_seconds"] = trained - start
    row["test_seconds"] = tested - trained
    return row
