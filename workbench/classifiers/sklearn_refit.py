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
import itertools
import math
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from workbench.core.errors import WorkbenchError
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


# The work a refit on load may take, and what asks for it --------------------------------
# A model file sets its own refit's work: 10 000 trees (each in range) on 20 000 stored
# rows of noise is a 627 KB file and more than 40 minutes of fitting. The work is
# estimated from the estimator's parameters and the stored rows before the refit
# starts, in operations of about a nanosecond each (the cheapest step of each family,
# measured): a refit estimated above ``MAX_REFIT_WORK`` (about two minutes of fitting at
# worst) is refused unless the user says they trust the file (``REFIT_LIMIT_VARIABLE``).
MAX_REFIT_WORK = 1e11
REFIT_LIMIT_VARIABLE = "WORKBENCH_REFIT_LIMIT"
# One tree's node split costs about 100 such operations per row and feature tried
# (sorting, impurity updates; 140-430 ns measured on a loaded machine); one step of an
# iterative solver about one per row and weight.
_TREE_STEP = 100.0


@dataclass(frozen=True)
class RefitWork:
    """The estimated work of refitting an estimator, and what makes it, in words."""

    operations: float
    words: str


def refit_work(estimator: Any, rows: int, columns: int) -> RefitWork:
    """The work of fitting ``estimator`` on ``rows`` x ``columns``, an upper bound from
    its parameters (iterations as many as ``max_iter`` allows, trees as deep as the
    rows let them grow): the file's author chooses the data, so convergence cannot be
    counted on."""
    rows, columns = max(rows, 1), max(columns, 1)
    params = estimator.get_params(deep=False) if hasattr(estimator, "get_params") else {}
    name = type(estimator).__name__
    inner = next((value for key, value in params.items()
                  if key in ("estimator", "base_estimator") and hasattr(value, "fit")), None)
    depth = math.log2(rows + 1)
    folds = params.get("cv") if isinstance(params.get("cv"), int) else None
    if folds is None and isinstance(params.get("folds"), int):
        folds = params["folds"]
    refits = (folds + 1) if folds else 1   # each fold's fit and the final one
    count = params.get("n_estimators")
    members = [value[-1] if isinstance(value, tuple) else value
               for value in params.get("estimators") or ()
               if hasattr(value[-1] if isinstance(value, tuple) else value, "fit")]
    if members:   # voting, stacking: each member, once per fold and once in all
        parts = [refit_work(member, rows, columns) for member in members]
        return RefitWork(refits * sum(p.operations for p in parts),
                         f"{name} of {len(parts)} estimators, the costliest "
                         f"{max(parts, key=lambda p: p.operations).words}")
    if inner is not None:
        part = refit_work(inner, rows, columns)
        times = refits * (count if isinstance(count, int) and count > 0 else 1)
        return RefitWork(part.operations * times,
                         f"{part.words}, {times:,} times ({name})" if times > 1
                         else part.words)
    if "cache_size" in params:   # libsvm: its kernel compares every pair of rows
        return RefitWork(refits * float(rows) ** 2 * columns,
                         f"a kernel {name} comparing every pair of {rows:,} rows "
                         f"x {columns:,} columns" + (f", {refits} times" if refits > 1 else ""))
    if "hidden_layer_sizes" in params:
        sizes = [columns, *_whole_numbers(params["hidden_layer_sizes"]), 1]
        weights = sum(a * b for a, b in itertools.pairwise(sizes))
        iterations = _positive(params.get("max_iter"), 200)
        return RefitWork(3.0 * iterations * rows * weights,
                         f"{iterations:,} passes of a network of {weights:,} weights "
                         f"over {rows:,} rows")
    if _grows_trees(estimator):
        trees = _positive(count if count is not None else params.get("max_iter"), 1)
        tried = _features_tried(params.get("max_features"), columns)
        what = f"{trees:,} trees" if trees > 1 else "a tree"
        return RefitWork(refits * _TREE_STEP * trees * rows * tried * depth,
                         f"fitting {what} on {rows:,} rows x {columns:,} columns"
                         + (f", {refits} times" if refits > 1 else ""))
    iterations = _positive(params.get("max_iter"), 1)
    if iterations > 1:
        return RefitWork(refits * float(iterations) * rows * columns,
                         f"up to {iterations:,} iterations of {name} over {rows:,} rows "
                         f"x {columns:,} columns")
    return RefitWork(refits * float(rows) * columns * depth,
                     f"fitting {name} on {rows:,} rows x {columns:,} columns")


def refit_limit() -> float | None:
    """The most work a refit on load may take: ``MAX_REFIT_WORK``, or what the user set
    in ``REFIT_LIMIT_VARIABLE`` (a number, or ``none`` for no limit)."""
    value = os.environ.get(REFIT_LIMIT_VARIABLE, "").strip()
    if not value:
        return MAX_REFIT_WORK
    if value.lower() in ("none", "off", "unlimited"):
        return None
    try:
        limit = float(value)
    except ValueError:
        limit = float("nan")
    if not (math.isfinite(limit) and limit > 0):
        raise WorkbenchError(f"{REFIT_LIMIT_VARIABLE}={value[:40]!r}: expected a positive "
                             f"number of operations (the default is {MAX_REFIT_WORK:.0e}) "
                             f"or 'none'")
    return limit


def check_refit_work(work: RefitWork, limit: float | None) -> None:
    """Refuse a refit whose estimated work is beyond ``limit`` (None: no limit), in one
    line that names the work and how to allow it."""
    if limit is None or work.operations <= limit:
        return
    raise WorkbenchError(
        f"rebuilding this scikit-learn model means {work.words}, about "
        f"{work.operations:.1e} operations, beyond the {limit:.0e}-operation limit for "
        f"loading a model file (its file sets the work, and loading it would take many "
        f"minutes); expected a model that is rebuilt within the limit. If you trust "
        f"this file, set {REFIT_LIMIT_VARIABLE}=none (or a larger number) and load it "
        f"again")


def _grows_trees(estimator: Any) -> bool:
    module = type(estimator).__module__
    return module.startswith(("sklearn.tree", "sklearn.ensemble",
                              "workbench.classifiers.tree_pruning"))


def _features_tried(value: Any, columns: int) -> int:
    """The features a tree tries at each split (scikit-learn's ``max_features``)."""
    if value in ("sqrt", "auto"):
        return max(1, int(math.sqrt(columns)))
    if value == "log2":
        return max(1, int(math.log2(columns)))
    if isinstance(value, float) and 0 < value <= 1:
        return max(1, int(value * columns))
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return min(value, columns)
    return columns


def _positive(value: Any, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 \
        else default


def _whole_numbers(value: Any) -> list[int]:
    items = value if isinstance(value, list | tuple) else [value]
    return [item for item in items
            if isinstance(item, int) and not isinstance(item, bool) and item > 0]
