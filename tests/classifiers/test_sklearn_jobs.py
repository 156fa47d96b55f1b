"""A scikit-learn estimator's n_jobs is bounded by the CPUs, with a note."""

import os
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from workbench.classifiers import sklearn_jobs
from workbench.classifiers.sklearn_adapter import SklearnClassifier
from workbench.core.errors import ParameterError, WorkbenchWarning


@pytest.fixture
def two_cpus(monkeypatch):
    monkeypatch.setattr(sklearn_jobs, "cpu_count", lambda: 2)


def _made(options):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        estimator = SklearnClassifier(
            estimator="sklearn.ensemble.RandomForestClassifier",
            options=options).make_estimator()
    return estimator, [str(w.message) for w in caught if w.category is WorkbenchWarning]


def test_n_jobs_above_the_cpus_is_lowered_with_a_note(two_cpus):
    """{"n_jobs": 40} started 42 joblib workers on two cores; 10^6 would start ~10^6."""
    for asked in (3, 40, 1_000_000):
        estimator, notes = _made(f'{{"n_jobs": {asked}}}')
        assert estimator.n_jobs == 2
        assert len(notes) == 1 and f"'n_jobs': {asked} parallel jobs" in notes[0]
        assert "using 2" in notes[0]


@pytest.mark.parametrize("asked", [None, 1, 2, -1, -2, -1_000_000])
def test_n_jobs_within_the_cpus_and_negative_ones_keep_scikit_learns_meaning(two_cpus,
                                                                             asked):
    text = "null" if asked is None else str(asked)
    estimator, notes = _made(f'{{"n_jobs": {text}}}')
    assert estimator.n_jobs == asked and notes == []


def _counted_when_pinned_to(cpus: set[int]) -> int:
    """``cpu_count()`` in a child process whose affinity is ``cpus``."""
    child = ("import os; os.sched_setaffinity(0, %r); "
             "from workbench.classifiers import sklearn_jobs; print(sklearn_jobs.cpu_count())")
    out = subprocess.run([sys.executable, "-c", child % cpus], capture_output=True,
                         text=True, check=True, cwd=Path(__file__).resolve().parents[2])
    return int(out.stdout)


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="CPU affinity is Linux's")
def test_the_cpu_count_is_the_cpus_this_process_may_run_on_not_the_machines():
    """A process pinned to some CPUs (taskset, a container's cpuset, a batch scheduler)
    counts those, however many the machine has: n_jobs above that only queues work."""
    ours = sorted(os.sched_getaffinity(0))
    assert _counted_when_pinned_to({ours[0]}) == 1
    if len(ours) >= 2:
        assert _counted_when_pinned_to(set(ours[:2])) == 2


def test_the_cpu_count_reads_the_affinity_where_python_has_no_process_cpu_count(monkeypatch):
    """Before Python 3.13 the affinity is asked for directly: three CPUs of a 64-CPU
    machine count three."""
    monkeypatch.delattr(os, "process_cpu_count", raising=False)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 5, 7}, raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 64)
    assert sklearn_jobs.cpu_count() == 3


def test_a_negative_random_state_in_the_options_is_refused_before_training():
    with pytest.raises(ParameterError, match="'random_state': -3 is not allowed"):
        _made('{"random_state": -3}')
