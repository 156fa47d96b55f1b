"""The ``n_jobs`` of a scikit-learn estimator: whether its fit keeps to one thread.

Stop raises inside a fit only when the fit starts no Python threads
(``core/stoppable.py``: a thread being started shares its parent's id for a moment), and
scikit-learn starts threads only through joblib, as its estimators' ``n_jobs`` ask. A
refit on load is given one job, so Stop can reach it too; scikit-learn's results do not
depend on ``n_jobs``, and the refit's fingerprint check would tell if one did.
"""

from __future__ import annotations

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
