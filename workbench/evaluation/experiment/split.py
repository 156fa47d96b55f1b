"""The Experimenter's train/test split: WEKA's ``RandomSplitResultProducer``, step for step.

WEKA has two percentage splits and they differ. The Explorer's (``resampling.
percentage_split``) shuffles and cuts once. The Experimenter's, which a WEKA user
compares an experiment's table with, is stratified and rounds by chance:

* randomized (the default): ``randomize(new Random(run))``; then, class by class in the
  class's label order (instances with a missing class last), the first
  ``Utils.probRound(count * P / 100, rand)`` of that class train and the others test;
  then the training part and the test part are each shuffled again by the same
  generator. So every class keeps its share (ZeroR on iris always scores 33.33 %), and
  the training size varies from run to run by the probabilistic rounding. A numeric
  class is not stratified: the first ``probRound(n * P / 100, rand)`` train.
* order preserved (WEKA's ``-R``): the first ``Utils.round(n * P / 100)`` instances in
  file order train, the rest test, whatever the run.

Every draw is ``java.util.Random``'s (``JavaRandom``), in WEKA's order, so a run gives
WEKA's split of the same run number.
"""

from __future__ import annotations

import math

import numpy as np

from workbench.core.errors import WorkbenchError
from workbench.core.weka.javarandom import JavaRandom
from workbench.data.dataset import Dataset
from workbench.evaluation.resampling import Fold, randomize


def probabilistic_round(value: float, random: JavaRandom) -> int:
    """``Utils.probRound``: ``value`` rounded up with the chance of its fraction (2.3 is
    3 three times in ten). One ``nextDouble`` is drawn whatever the value, a whole
    number included, as WEKA draws it: the draws after it depend on that."""
    magnitude = abs(value)
    lower = math.floor(magnitude)
    rounded = lower + 1 if random.next_double() < magnitude - lower else lower
    return int(rounded) if value >= 0 else -int(rounded)


def weka_round(value: float) -> int:
    """``Utils.round``: halves away from zero (2.5 is 3, -2.5 is -3)."""
    rounded = int(abs(value) + 0.5)
    return rounded if value > 0 else -rounded


def experiment_split(data: Dataset, percent: float, run: int,
                     randomized: bool = True) -> Fold:
    """The train/test split WEKA's Experimenter makes of ``data`` in run ``run`` (the
    generator's seed) with ``percent`` % to train; ``randomized=False`` keeps the file's
    order (WEKA's "order preserved")."""
    if not 0 < percent < 100:
        raise WorkbenchError(f"split percentage must be greater than 0 and less than "
                             f"100, got {percent:g}")
    n = data.num_instances
    order = np.arange(n, dtype=np.intp)
    if not randomized:
        size = weka_round(n * percent / 100)
        return _fold(order[:size], order[size:], percent, n, run)
    random = JavaRandom(run)
    order = randomize(order, random)
    cls = data.class_attribute
    if cls is None or not cls.is_nominal:
        size = probabilistic_round(n * percent / 100, random)
        return _fold(order[:size], order[size:], percent, n, run)
    labels = data.class_values[order]
    groups = [order[labels == value] for value in range(cls.num_values)]
    groups.append(order[np.isnan(labels)])
    train_parts, test_parts = [], []
    for group in groups:  # WEKA draws for every class, an empty one included
        size = probabilistic_round(len(group) * percent / 100, random)
        train_parts.append(group[:size])
        test_parts.append(group[size:])
    train = randomize(np.concatenate(train_parts), random)
    test = randomize(np.concatenate(test_parts), random)
    return _fold(train, test, percent, n, run)


def _fold(train: np.ndarray, test: np.ndarray, percent: float, n: int, run: int) -> Fold:
    """The split as a ``Fold``, refused when one side is empty: a classifier cannot
    learn from nothing, and a test of nothing measures nothing."""
    if len(train) == 0 or len(test) == 0:
        side = "no training" if len(train) == 0 else "no test"
        raise WorkbenchError(f"a {percent:g}% split of {n} instances leaves {side} "
                             f"instances in run {run}")
    return Fold(0, np.array(train, dtype=np.intp), np.array(test, dtype=np.intp))
