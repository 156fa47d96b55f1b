"""A scikit-learn estimator's n_jobs is bounded by the CPUs, with a note."""

import warnings

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


def test_the_cpu_count_is_at_least_one():
    assert sklearn_jobs.cpu_count() >= 1


def test_a_negative_random_state_in_the_options_is_refused_before_training():
    with pytest.raises(ParameterError, match="'random_state': -3 is not allowed"):
        _made('{"random_state": -3}')
