"""Rebuilding a scikit-learn model from its file without letting the file take the
machine down.

A fitted scikit-learn object can only be saved by pickling, which our model files
refuse, so ``sklearn_adapter`` stores the training rows and refits on load. Every
parameter is bounded, but bounds multiply (a few MB of rows and 10 000 unlimited trees;
two hidden layers of 20 000 units), so the refit runs under the memory ceiling of
``core/memory_ceiling.py``: by default it may take what the machine has free, and a model
that needs more is refused with what it asked for, instead of the kernel's OOM killer
ending the application. For the ceiling to hold:

- joblib's work stays in threads: a process started inside the ceiling would escape it
  (``LogisticRegressionCV`` with ``n_jobs`` starts loky processes);
- both BLAS libraries take their per-thread buffers before it goes up;
- libsvm's kernel cache is bounded, and a refit whose libsvm or liblinear copies of the
  rows would not fit is refused up front: those C libraries do not check their
  allocations and would crash at the ceiling rather than raise.

Neither the threads nor the cache change what is fitted. Only loading is capped: training
is the user's own (a run going on while a model loads shares the ceiling for that long).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import numpy as np

from workbench.core.memory_ceiling import describe_bytes, limited_memory


@contextlib.contextmanager
def refit_ceiling() -> Iterator[int | None]:
    """The ceiling a refit on load runs under, with joblib kept in threads; yields the
    budget (None where no ceiling could be set)."""
    import joblib

    _warm_up_blas()
    with limited_memory() as budget, joblib.parallel_config(backend="threading"):
        yield budget


def keep_c_libraries_clear(estimator: Any, rows: np.ndarray, budget: int | None) -> None:
    """Keep scikit-learn's C libraries that do not check what ``malloc`` returns away
    from the ceiling: they would crash at it rather than raise.

    libsvm's kernel cache (``cache_size``, MB, a float no bound reaches) is capped at a
    quarter of the budget: the cache only saves recomputing kernel columns, what is
    fitted does not change. libsvm and liblinear also copy the training rows (measured:
    libsvm 1.0x, liblinear 2.4x, a cross-validation fold 0.8x more), so a refit that
    would need more than the budget for those copies is refused before they start, as a
    ``MemoryError`` reported like any other.
    """
    from sklearn.base import BaseEstimator

    if not budget or not isinstance(estimator, BaseEstimator):
        return
    most = max(1.0, budget / 4 / 2**20)
    caps = {key: most for key, value in estimator.get_params(deep=True).items()
            if (key == "cache_size" or key.endswith("__cache_size"))
            and isinstance(value, int | float) and value > most}
    if caps:
        estimator.set_params(**caps)
    parts = [estimator, *(value for value in estimator.get_params(deep=True).values()
                          if isinstance(value, BaseEstimator))]
    for part in parts:
        own = part.get_params(deep=False)
        if "cache_size" in own:   # every libsvm estimator, and only those, has one
            library = "libsvm"
            need = 2 * rows.nbytes + min(int(own["cache_size"] * 2**20),
                                         4 * rows.shape[0] ** 2)
        elif type(part).__name__ in ("LinearSVC", "LinearSVR") or \
                own.get("solver") == "liblinear":
            library, need = "liblinear", 3 * rows.nbytes
        else:
            continue
        if need > budget:
            raise MemoryError(f"{library}, which cannot report running out of memory, "
                              f"would need about {describe_bytes(need)} for these rows")


def too_big_to_rebuild(asked: str, rows: np.ndarray, budget: int | None,
                       failed: str) -> str:
    """The refusal of a refit that ran out of the memory it was allowed: what the file
    asked for, on how many rows, and what ran out."""
    free = f" (it was allowed the {describe_bytes(budget)} free)" if budget else ""
    return (f"rebuilding this scikit-learn model needs more memory than is free{free}: "
            f"the file asks for {asked} trained on {rows.shape[0]} stored instances "
            f"x {rows.shape[1]} columns" + (f" ({failed})" if failed else "") +
            "; expected a model that can be rebuilt in the memory this machine has free")


def _warm_up_blas() -> None:
    """Have both BLAS libraries (NumPy's, and SciPy's, which scikit-learn's Cython
    calls) set up this thread's buffers before the ceiling goes up: OpenBLAS takes a
    32 MB buffer on a thread's first product, and meeting the ceiling there it retries
    for ever instead of failing. (Big enough not to take a small-matrix path.)"""
    from scipy.linalg import blas

    a = np.ones((64, 64))
    np.dot(a, a)
    blas.dgemm(1.0, a, a)
