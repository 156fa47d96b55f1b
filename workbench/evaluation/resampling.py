"""WEKA's resampling, step for step: randomize, stratify, trainCV, testCV, percentage split.

Users check our numbers against WEKA's, and a cross-validation result depends on which
instances share a fold. So these functions follow ``weka.core.Instances`` (3.8/3.9)
exactly, working on arrays of row indices instead of instances:

* ``randomize``: the Fisher-Yates loop ``for j = n-1 .. 1: swap(j, nextInt(j + 1))``;
* ``stratify``: WEKA's in-place gathering of each class (a Lomuto-style pass that
  reorders the other instances as it swaps), then ``stratStep`` dealing every k-th one;
* ``train_cv`` / ``test_cv``: contiguous test blocks, the first ``n % k`` folds one larger;
  the training part is then shuffled with the same generator, as ``trainCV(k, i, random)``;
* ``Evaluation.crossValidateModel``: copy, ``randomize(new Random(seed))``, stratify when the
  class is nominal, then for each fold ``trainCV(k, i, random)`` and ``testCV(k, i)``.

Every function returns new index arrays (positions in the dataset as loaded), so the same
folds can be applied to a dataset, to filters inside a fold, or to a report.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from workbench.core.errors import WorkbenchError
from workbench.core.weka.javarandom import JavaRandom
from workbench.data.dataset import Dataset


@dataclass(frozen=True)
class Fold:
    """One train/test split: row indices into the evaluated dataset, in WEKA's order.

    ``train`` is in the order WEKA hands it to the classifier (order matters to learners
    that see instances one at a time); ``test`` in the order WEKA evaluates it.
    """

    index: int
    train: np.ndarray
    test: np.ndarray
    run: int = 0


def randomize(order: np.ndarray, random: JavaRandom) -> np.ndarray:
    """``Instances.randomize(random)`` applied to an index array (returns a new array)."""
    out = np.array(order, dtype=np.intp, copy=True)
    for j in range(len(out) - 1, 0, -1):
        k = random.next_int(j + 1)
        out[j], out[k] = out[k], out[j]
    return out


def stratify(order: np.ndarray, class_values: np.ndarray, num_folds: int) -> np.ndarray:
    """``Instances.stratify(numFolds)`` for a nominal class, on an index array.

    ``class_values`` is the class column of the whole dataset (indexed by the entries of
    ``order``); NaN (missing class) forms a group of its own, as in WEKA.

    WEKA gathers class by class: taking the class of the instance just before ``index``,
    it scans the rest and swaps each match into ``index``. Each swap moves the first of
    the instances not matching so far to where the match was: a FIFO queue whose front
    goes to its back. The queue's final content is therefore the tail of its enqueue
    events (the others in order, with a copy of the then-front element at each match),
    built below with array operations and one Python step per match: linear in the rows
    per class, with the identical resulting order (WEKA's own pass is quadratic, and a
    loop over every row per class took hours at 100 000 classes).
    """
    _check_folds(num_folds, len(order))
    keys = np.where(np.isnan(class_values), -1.0, class_values)
    items = np.array(order, dtype=np.intp, copy=True)
    key_of = keys[items]   # each position's class, moved with the items
    n = len(items)
    index = 1
    while index < n:
        match = key_of[index:] == key_of[index - 1]
        gathered = items[index:][match]
        if len(gathered):
            items[index:] = np.concatenate([gathered, _queue_after(items[index:], match)])
            key_of[index:] = keys[items[index:]]
        index += len(gathered) + 1
    return strat_step(items, num_folds)


def _queue_after(rest: np.ndarray, match: np.ndarray) -> np.ndarray:
    """The non-matching instances of ``rest`` in the order WEKA's pass leaves them: a
    match seen before any of them rotates nothing; each later one moves the queue's
    front to its back (see ``stratify``)."""
    others = rest[~match]
    seen = np.cumsum(~match)[match]        # others before each match
    rotating = seen[seen > 0]
    rotations = len(rotating)
    if rotations == 0:
        return others
    copies = rotating + np.arange(rotations)   # where each front's copy is enqueued
    events = np.empty(len(others) + rotations, dtype=np.intp)
    is_copy = np.zeros(len(events), dtype=bool)
    is_copy[copies] = True
    events[~is_copy] = others
    for dequeued, at in enumerate(copies.tolist()):   # the n-th dequeue is the n-th
        events[at] = events[dequeued]                  # enqueue (earlier, already set)
    return events[rotations:]


def strat_step(order: np.ndarray, num_folds: int) -> np.ndarray:
    """``Instances.stratStep``: deal every ``num_folds``-th instance, start 0, 1, 2, ..."""
    return np.concatenate([order[start::num_folds] for start in range(num_folds)]
                          ).astype(np.intp)


def _fold_bounds(n: int, num_folds: int, fold: int) -> tuple[int, int]:
    """First row and size of fold ``fold``'s test block, as ``testCV`` computes them."""
    size = n // num_folds
    if fold < n % num_folds:
        size += 1
        offset = fold
    else:
        offset = n % num_folds
    first = fold * (n // num_folds) + offset
    return first, size


def test_cv(order: np.ndarray, num_folds: int, fold: int) -> np.ndarray:
    """``Instances.testCV(numFolds, numFold)``: the fold's contiguous block."""
    _check_folds(num_folds, len(order))
    first, size = _fold_bounds(len(order), num_folds, fold)
    return np.array(order[first:first + size], dtype=np.intp)


def train_cv(order: np.ndarray, num_folds: int, fold: int,
             random: JavaRandom | None = None) -> np.ndarray:
    """``Instances.trainCV(numFolds, numFold[, random])``: everything but the test block.

    With a generator the training part is shuffled by it, as WEKA's cross-validation does
    (which also advances the generator for the following folds).
    """
    _check_folds(num_folds, len(order))
    first, size = _fold_bounds(len(order), num_folds, fold)
    train = np.concatenate([order[:first], order[first + size:]]).astype(np.intp)
    return randomize(train, random) if random is not None else train


def cross_validation_folds(dataset: Dataset, num_folds: int = 10, seed: int = 1,
                           run: int = 0) -> Iterator[Fold]:
    """The folds of WEKA's ``crossValidateModel(..., numFolds, new Random(seed))``.

    Stratified when the class is nominal. Folds are yielded lazily because each training
    part is shuffled by the shared generator in fold order, exactly as WEKA interleaves it.
    """
    n = dataset.num_instances
    _check_folds(num_folds, n)
    random = JavaRandom(seed)
    order = randomize(np.arange(n), random)
    cls = dataset.class_attribute
    if cls is not None and cls.is_nominal:
        order = stratify(order, dataset.class_values, num_folds)
    for fold in range(num_folds):
        train = train_cv(order, num_folds, fold, random)
        test = test_cv(order, num_folds, fold)
        yield Fold(fold, train, test, run)


def percentage_split(dataset: Dataset, percent: float, seed: int = 1,
                     preserve_order: bool = False, run: int = 0) -> Fold:
    """WEKA's percentage split: ``randomize(new Random(seed))`` unless order is preserved,
    then the first ``Math.round(n * percent / 100)`` instances train, the rest test."""
    if not 0 < percent < 100:
        raise WorkbenchError(f"split percentage must be greater than 0 and less than 100, "
                             f"got {percent:g}")
    n = dataset.num_instances
    order = np.arange(n, dtype=np.intp)
    if not preserve_order:
        order = randomize(order, JavaRandom(seed))
    train_size = java_round(n * percent / 100)
    if train_size < 1 or train_size >= n:
        raise WorkbenchError(
            f"a {percent:g}% split of {n} instances leaves "
            f"{'no training' if train_size < 1 else 'no test'} instances")
    return Fold(0, order[:train_size].copy(), order[train_size:].copy(), run)


def java_round(value: float) -> int:
    """Java's ``Math.round(double)``: floor(x + 0.5), so halves round up, never to even."""
    return math.floor(value + 0.5)


def _check_folds(num_folds: int, n: int) -> None:
    if num_folds < 2:
        raise WorkbenchError(f"number of folds must be at least 2, got {num_folds}")
    if num_folds > n:
        raise WorkbenchError(f"cannot have more folds ({num_folds}) than instances ({n})")


def hide_class(data: Dataset) -> Dataset:
    """A copy of test rows whose class values are missing, so no classifier can peek at
    them while predicting (WEKA does the same before it classifies a test set)."""
    if data.is_sparse or data.class_index is None:
        return data
    X = np.array(data.X, copy=True)
    X[:, data.class_index] = np.nan
    return Dataset(data.relation, data.attributes, X, data.weights, data.class_index)
