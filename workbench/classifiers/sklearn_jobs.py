"""The ``n_jobs`` of a scikit-learn estimator: whether its fit keeps to one thread.

Stop raises inside a fit only when the fit starts no Python threads
(``core/stoppable.py``: a thread being started shares its parent's id for a moment), and
scikit-learn starts threads only through joblib, as its estimators' ``n_jobs`` ask. A
refit on load is given one job, so Stop can reach it too; scikit-learn's results do not
depend on ``n_jobs``, and the refit's fingerprint check would tell if one did.

A user's ``n_jobs`` is also bounded by the CPUs this process may use: joblib starts one
worker process per job asked for (``{"n_jobs": 40}`` started 42 on two cores and took
1.2 GB more memory; 10^6 would exhaust the machine), and jobs beyond the CPUs only wait.
``n_jobs`` is the only parallelism option scikit-learn's classifiers and regressors
take (``pre_dispatch`` belongs to the model-selection helpers, which cannot be named
here). Negative values keep scikit-learn's meaning (-1: all CPUs), which is bounded.
"""

from __future__ import annotations

import os
from typing import Any


def _asking_for_jobs(estimator: Any) -> list[str] | None:
    """The deep parameter names of ``estimator`` whose ``n_jobs`` asks for more than one
    job (its own and its parts'), or None when its parameters cannot be read."""
    try:
        params = estimator.get_params(deep=True)
    except Exception:   # the boundary of a third-party estimator
        return None
    return [key for key, value in params.items()
            if (key == "n_jobs" or key.endswith("__n_jobs")) and value not in (None, 1)]


def starts_no_threads(estimator: Any) -> bool:
    """Whether a fit keeps to the calling thread: every ``n_jobs`` is 1 or unset (an
    estimator whose parameters cannot be read is assumed to start threads)."""
    return _asking_for_jobs(estimator) == []


def one_job(estimator: Any) -> None:
    """Unset every ``n_jobs`` of ``estimator`` that asks for more than one job. Unset,
    not 1: some estimators warn about any value given (LogisticRegression since 1.8)."""
    jobs = _asking_for_jobs(estimator)
    if jobs:
        try:
            estimator.set_params(**dict.fromkeys(jobs))
        except Exception:   # the boundary of a third-party estimator: leave it as it is
            return


def cpu_count() -> int:
    """The CPUs this process may run on (its affinity, not the whole machine's)."""
    counter = getattr(os, "process_cpu_count", None)   # Python 3.13 and later
    if counter is not None:
        return max(1, counter() or 1)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):   # macOS, Windows
        return max(1, os.cpu_count() or 1)


def at_most_cpus(estimator: Any) -> list[str]:
    """Lower every ``n_jobs`` of ``estimator`` (its parts' too) that asks for more jobs
    than there are CPUs to the CPU count; a note for each one lowered."""
    try:
        params = estimator.get_params(deep=True)
    except Exception:   # the boundary of a third-party estimator
        return []
    cpus = cpu_count()
    lowered = {key: value for key, value in params.items()
               if (key == "n_jobs" or key.endswith("__n_jobs"))
               and isinstance(value, int) and not isinstance(value, bool) and value > cpus}
    if not lowered:
        return []
    try:
        estimator.set_params(**dict.fromkeys(lowered, cpus))
    except Exception:   # the boundary of a third-party estimator
        return []
    plural = "s" if cpus != 1 else ""
    return [f"estimator option '{key}': {value} parallel jobs asked for, but this "
            f"process can use {cpus} CPU{plural}; using {cpus} (each job is a worker "
            f"process or thread)" for key, value in lowered.items()]
