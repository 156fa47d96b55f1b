"""Run an experiment: skip what the results table already holds, compute the rest.

This is the one place that ties a definition, a backend and a table together, and so the
one place that implements resuming: runs whose key is in the table are never sent to a
backend again. Progress counts runs done out of the experiment's total (resumed runs
count as done from the start), and the cancel token is checked between runs.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from workbench.core.errors import WorkbenchError
from workbench.core.progress import CancelToken, ProgressCallback, check, report
from workbench.evaluation.experiment.backends import Backend, LocalBackend
from workbench.evaluation.experiment.destination import Destination
from workbench.evaluation.experiment.names import shown_names
from workbench.evaluation.experiment.runs import RunFailed, iter_runs, result_columns
from workbench.evaluation.experiment.spec import ExperimentSpec, validate_for_run
from workbench.evaluation.experiment.store import finished_keys


@dataclass(frozen=True)
class RunSummary:
    """What one invocation did: ``skipped`` runs were already in the table."""

    total: int
    skipped: int
    executed: int
    seconds: float
    path: Path

    @property
    def complete(self) -> bool:
        return self.skipped + self.executed == self.total


def run_experiment(spec: ExperimentSpec, out: str | os.PathLike[str] | Destination,
                   backend: Backend | None = None, *,
                   progress: ProgressCallback | None = None,
                   cancel: CancelToken | None = None,
                   source: str = "experiment") -> RunSummary:
    """Compute every run of ``spec`` not yet in the table at ``out``, appending each row
    as it finishes. Raises ``Cancelled`` when cancelled (finished rows are kept), and
    for a run that fails a ``WorkbenchError`` naming ``source`` (the spec file), the
    classifier and dataset entries, the run, and that the finished runs are kept.
    ``out`` may be a ``Destination`` of ``spec`` (the window's, which a save moves while
    the run goes on); the summary's path is where the rows went last."""
    backend = backend or LocalBackend()
    start = time.perf_counter()
    validate_for_run(spec, source=source)
    total = spec.total_runs
    destination = out if isinstance(out, Destination) else Destination(out, spec)
    with destination.open(result_columns(spec)) as store:
        done = store.done
        planned = _SpecKeys(spec)
        skipped = sum(1 for key in done if key in planned)
        todo = (run for run in iter_runs(spec) if run.key not in done)
        finished = skipped
        report(progress, finished / total, f"{finished}/{total} runs done",
               done=finished, total=total)
        executed = 0
        # Progress names a classifier as the window's lists and the analysis show it
        # ("IBk -K 3"), not by its results-table key ("knn --k 3").
        shown = shown_names(c.to_dict() for c in spec.classifiers)
        try:
            for run, row in backend.execute(todo, cancel):
                store.append(row)
                executed += 1
                finished += 1
                report(progress, finished / total,
                       f"{finished}/{total} runs done ({run.dataset}, "
                       f"{shown.get(run.classifier, run.classifier)}, "
                       f"repetition {run.repetition}, fold {run.fold})",
                       done=finished, total=total)
        except RunFailed as failure:
            raise WorkbenchError(_failure_text(spec, source, failure, finished,
                                               destination.path)) from None
        check(cancel)
    return RunSummary(total, skipped, executed, time.perf_counter() - start,
                      destination.path)


def count_finished(spec: ExperimentSpec, out: str | os.PathLike[str]) -> int:
    """How many of ``spec``'s runs the results at ``out`` already hold, without
    touching the file: what a start would skip ("816 of 2000 done"). Raises the
    ``WorkbenchError`` a start would raise when those results are another experiment's
    (or cannot be resumed)."""
    planned = _SpecKeys(spec)
    return sum(1 for key in finished_keys(out, spec) if key in planned)


def _failure_text(spec: ExperimentSpec, source: str, failure: RunFailed, finished: int,
                  out: str | os.PathLike[str]) -> str:
    """A failed run in the words of the spec file: its entries by position and name."""
    dataset, classifier, repetition, fold = failure.key
    d = next((i for i, ref in enumerate(spec.datasets)
              if spec.dataset_label(ref) == dataset), None)
    c = next((i for i, clf in enumerate(spec.classifiers) if clf.label == classifier),
             None)
    where = (f"classifiers[{c}] ('{classifier}')" if c is not None
             else f"classifier '{classifier}'")
    where += (f" on datasets[{d}] ('{spec.datasets[d]}')" if d is not None
              else f" on dataset '{dataset}'")
    kept = (f"; the {finished} finished run(s) are kept in {out}, and running it again "
            f"resumes" if finished else "")
    return (f"{source}: {where}, repetition {repetition}, fold {fold}: "
            f"{failure.reason}{kept}")


class _SpecKeys:
    """Membership in the keys of ``spec``'s runs, without listing them."""

    def __init__(self, spec: ExperimentSpec) -> None:
        self.datasets = {spec.dataset_label(ref) for ref in spec.datasets}
        self.classifiers = {c.label for c in spec.classifiers}
        self.repetitions = spec.repetitions
        self.folds = spec.resampling.folds_per_repetition

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, tuple) or len(key) != 4:
            return False
        dataset, classifier, repetition, fold = key
        return (dataset in self.datasets and classifier in self.classifiers
                and isinstance(repetition, int) and 1 <= repetition <= self.repetitions
                and isinstance(fold, int) and 1 <= fold <= self.folds)
