"""Running experiments: rows per run, resuming without redoing, cancelling, refusals."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import small_definition

from workbench.core.errors import Cancelled, WorkbenchError
from workbench.core.progress import CancelToken, ProgressEvent
from workbench.core.registry import default_registry
from workbench.data.catalog import load_bundled
from workbench.evaluation import TestOption, evaluate
from workbench.evaluation.experiment import (
    ExperimentSpec,
    LocalBackend,
    ProcessBackend,
    read_results,
    run_experiment,
    spec_from_dict,
)
from workbench.evaluation.experiment import runs as runs_module
from workbench.evaluation.experiment.runs import TIME_COLUMNS

REAL_EXECUTE_RUN = runs_module.execute_run


class CountingRuns:
    """Wraps ``execute_run`` to count the runs computed, optionally failing at call n."""

    def __init__(self, fail_at: int | None = None) -> None:
        self.keys: list[tuple] = []
        self.fail_at = fail_at

    def __call__(self, run: runs_module.Run) -> dict[str, Any]:
        if self.fail_at is not None and len(self.keys) + 1 == self.fail_at:
            raise RuntimeError("worker lost")
        self.keys.append(run.key)
        return REAL_EXECUTE_RUN(run)


def _deterministic(path: Path):
    return read_results(path).drop(columns=list(TIME_COLUMNS))


def test_one_row_per_run_matching_the_explorer_evaluation(small_spec: ExperimentSpec,
                                                          tmp_path: Path) -> None:
    out = tmp_path / "results.csv"
    events: list[ProgressEvent] = []
    summary = run_experiment(small_spec, out, progress=events.append)
    assert (summary.total, summary.skipped, summary.executed) == (54, 0, 54)
    table = read_results(out)
    assert len(table) == 54
    assert list(table.columns[:6]) == ["dataset", "classifier", "repetition", "fold",
                                       "num_train", "num_test"]
    assert events[-1].values == {"done": 54, "total": 54}
    assert events[-1].fraction == 1.0
    # Repetition 2 of naive Bayes on iris is WEKA's 3-fold CV with seed 2, fold by fold.
    data = load_bundled("iris")
    evaluation = evaluate(default_registry().create("classifier", "naive-bayes"), data,
                          TestOption.cross_validation(3, seed=2), build_model=False)
    rows = table.query("dataset == 'iris' and classifier == 'naive-bayes' "
                       "and repetition == 2")
    for fold, row in zip(evaluation.results.folds, rows.itertuples(), strict=True):
        correct = float((fold.predicted == fold.actual).sum())
        assert row.accuracy == pytest.approx(100 * correct / len(fold.actual))
        assert row.num_test == len(fold.actual)
        assert row.num_train == 150 - len(fold.actual)


def test_cancel_after_some_runs_then_resume_redoes_nothing(
        small_spec: ExperimentSpec, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    reference = tmp_path / "reference.csv"
    run_experiment(small_spec, reference)
    out = tmp_path / "results.csv"
    cancel = CancelToken()

    def stop_after_ten(event: ProgressEvent) -> None:
        if event.values["done"] >= 10:
            cancel.cancel()

    with pytest.raises(Cancelled):
        run_experiment(small_spec, out, progress=stop_after_ten, cancel=cancel)
    assert len(read_results(out)) == 10
    counter = CountingRuns()
    monkeypatch.setattr(runs_module, "execute_run", counter)
    summary = run_experiment(small_spec, out)
    assert (summary.skipped, summary.executed) == (10, 44)
    assert len(counter.keys) == 44
    table = _deterministic(out)
    assert not table.duplicated(["dataset", "classifier", "repetition", "fold"]).any()
    assert table.equals(_deterministic(reference))
    # A third invocation finds everything done and computes nothing.
    again = run_experiment(small_spec, out)
    assert (again.skipped, again.executed) == (54, 0) and len(counter.keys) == 44


def test_a_failing_run_stops_the_experiment_and_a_restart_finishes_it(
        small_spec: ExperimentSpec, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "results.csv"
    failing = CountingRuns(fail_at=20)
    monkeypatch.setattr(runs_module, "execute_run", failing)
    with pytest.raises(RuntimeError, match="worker lost"):
        run_experiment(small_spec, out)
    assert len(read_results(out)) == 19
    counter = CountingRuns()
    monkeypatch.setattr(runs_module, "execute_run", counter)
    summary = run_experiment(small_spec, out)
    assert summary.executed == 54 - 19 and len(counter.keys) == 35
    assert not set(counter.keys) & set(failing.keys)
    assert len(read_results(out)) == 54


def test_a_torn_last_line_is_dropped_and_its_run_redone(small_spec: ExperimentSpec,
                                                       tmp_path: Path) -> None:
    out = tmp_path / "results.csv"
    cancel = CancelToken()
    with pytest.raises(Cancelled):
        run_experiment(small_spec, out, cancel=cancel,
                       progress=lambda e: e.values["done"] >= 5 and cancel.cancel())
    with out.open("a", encoding="utf-8") as fh:
        fh.write("iris,zeror,2,1,100,5")  # killed while writing
    summary = run_experiment(small_spec, out)
    assert (summary.skipped, summary.executed) == (5, 49)
    assert len(read_results(out)) == 54


def test_results_of_another_experiment_are_not_resumed(small_spec: ExperimentSpec,
                                                       tmp_path: Path) -> None:
    out = tmp_path / "results.csv"
    cancel = CancelToken()
    cancel.cancel()
    with pytest.raises(Cancelled):
        run_experiment(small_spec, out, cancel=cancel)
    other = spec_from_dict(small_definition(repetitions=3))
    with pytest.raises(WorkbenchError, match="belong to a different experiment"):
        run_experiment(other, out)


def test_processes_backend_gives_the_same_table(tmp_path: Path) -> None:
    spec = spec_from_dict(small_definition(datasets=["iris", "weather.numeric"],
                                           classifiers=["zeror", "naive-bayes"]))
    run_experiment(spec, tmp_path / "local.csv", LocalBackend())
    summary = run_experiment(spec, tmp_path / "processes.csv", ProcessBackend(2))
    assert summary.executed == spec.total_runs == 24
    assert _deterministic(tmp_path / "processes.csv").equals(
        _deterministic(tmp_path / "local.csv"))


def test_processes_backend_stops_when_cancelled(tmp_path: Path) -> None:
    spec = spec_from_dict(small_definition(datasets=["iris"], classifiers=["zeror"],
                                           repetitions=4))
    out = tmp_path / "results.csv"
    cancel = CancelToken()
    with pytest.raises(Cancelled):
        run_experiment(spec, out, ProcessBackend(2), cancel=cancel,
                       progress=lambda e: e.values["done"] >= 2 and cancel.cancel())
    kept = len(read_results(out))
    assert 2 <= kept < spec.total_runs
    summary = run_experiment(spec, out, ProcessBackend(2))
    assert summary.skipped == kept and summary.executed == spec.total_runs - kept


def test_a_stop_inside_a_run_stays_a_stop(monkeypatch):
    # Cancelled is a WorkbenchError, but it is no failed run: it must reach the runner as
    # itself ("stopped; finished runs are kept"), not as RunFailed.
    import pytest

    from workbench.core.errors import Cancelled
    from workbench.evaluation.experiment import backends

    def stopped(run):
        raise Cancelled("stopped")

    monkeypatch.setattr(runs_module, "execute_run", stopped)
    with pytest.raises(Cancelled):
        backends._execute(object())
