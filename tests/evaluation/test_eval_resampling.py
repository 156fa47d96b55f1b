"""java.util.Random and WEKA's fold dealing, checked against values printed by Java.

The expected numbers below were produced by OpenJDK 17 running ``java.util.Random`` and
a transcription of ``Instances.randomize/stratify/trainCV/testCV`` (WEKA 3.8); a change
in any of our steps changes the folds and fails these tests.
"""

from __future__ import annotations

import numpy as np
import pytest
from eval_standins import nominal_dataset

from workbench.core.errors import WorkbenchError
from workbench.core.weka.javarandom import JavaRandom
from workbench.data.dataset import Attribute, Dataset
from workbench.evaluation.resampling import (
    cross_validation_folds,
    java_round,
    percentage_split,
    randomize,
    stratify,
)

BOUNDS = [1, 2, 3, 7, 10, 16, 100, 1000, 1 << 30, 2147483647, 1500000000]


@pytest.mark.parametrize(("seed", "ints", "next_int", "next_long", "boolean", "double"), [
    (42, [0, 0, 0, 3, 0, 15, 5, 918, 714627759, 196118093, 969067502], 1583910553,
     7040072382879853816, True, 0.46365357580915334),
    (7, [0, 1, 0, 2, 0, 7, 68, 649, 760399425, 1222239534, 755731200], -203339871,
     2227187148198412255, True, 0.6965778929474906),
    (0, [0, 1, 1, 2, 5, 4, 91, 761, 641609359, 1678332854, 715581077], 1085665355,
     7105486291024734541, True, 0.9828195255872982),
    (-12345, [0, 0, 1, 0, 3, 9, 36, 282, 599575297, 1571831090, 994368860], 2037759383,
     -7887521925227135271, False, 0.12857813405782847),
])
def test_java_random_matches_openjdk(seed, ints, next_int, next_long, boolean, double):
    random = JavaRandom(seed)
    assert [random.next_int(b) for b in BOUNDS] == ints
    assert random.next_int() == next_int
    assert random.next_long() == next_long
    assert random.next_boolean() is boolean
    assert random.next_double() == double


def test_well_known_first_values():
    assert JavaRandom(0).next_int() == -1155484576
    assert JavaRandom(42).next_int() == -1170105035


def _classes(values: str) -> Dataset:
    y = np.array([np.nan if v == "?" else float(v) for v in values.split()])
    attrs = [Attribute.numeric("row"), Attribute.nominal("class", ["a", "b", "c"])]
    return Dataset("t", attrs, np.c_[np.arange(len(y)), y], class_index=1)


def test_stratified_folds_match_weka_with_a_missing_class():
    data = _classes("0 1 2 0 1 2 0 0 1 2 2 ? 1 0 2 1 0 0 2 1 1 0 2")
    folds = list(cross_validation_folds(data, 5, seed=42))
    assert [f.test.tolist() for f in folds] == [
        [1, 4, 2, 0, 17], [12, 15, 14, 7, 6], [8, 5, 18, 13, 11], [19, 9, 22, 16],
        [20, 10, 21, 3]]
    # Training parts are shuffled by the same generator, fold after fold, as WEKA does.
    assert folds[0].train.tolist() == [22, 6, 19, 11, 14, 8, 3, 15, 7, 16, 10, 18, 20, 12,
                                       5, 9, 21, 13]
    assert folds[4].train.tolist() == [6, 13, 19, 17, 15, 14, 5, 12, 9, 16, 18, 7, 4, 11,
                                       22, 2, 8, 0, 1]


def test_numeric_class_folds_are_not_stratified_and_match_weka():
    data = Dataset("n", [Attribute.numeric("x"), Attribute.numeric("y")],
                   np.c_[np.arange(10.0), np.arange(10.0)], class_index=1)
    folds = list(cross_validation_folds(data, 3, seed=7))
    assert [f.test.tolist() for f in folds] == [[0, 1, 9, 3], [7, 4, 8], [5, 2, 6]]
    assert [f.train.tolist() for f in folds] == [[4, 8, 2, 5, 6, 7], [2, 3, 0, 9, 1, 6, 5],
                                                 [0, 1, 8, 4, 3, 9, 7]]


@pytest.mark.parametrize("seed", [1, 2, 99])
@pytest.mark.parametrize("folds", [2, 3, 10])
def test_folds_partition_the_data_and_balance_classes(seed, folds):
    data = nominal_dataset(n=97, k=3, seed=seed, missing=4)
    all_test = []
    y = data.class_values
    overall = np.bincount(np.nan_to_num(y, nan=3).astype(int), minlength=4) / len(y)
    for fold in cross_validation_folds(data, folds, seed):
        assert sorted(np.r_[fold.train, fold.test].tolist()) == list(range(97))
        all_test.extend(fold.test.tolist())
        share = np.bincount(np.nan_to_num(y[fold.test], nan=3).astype(int),
                            minlength=4) / len(fold.test)
        assert np.all(np.abs(share - overall) <= 1.0 / len(fold.test) + 1e-9 + 0.05)
    assert sorted(all_test) == list(range(97))


def test_stratify_groups_classes_in_wekas_order():
    # WEKA's gathering (printed by Java): each class together, but the swaps rotate the
    # rest, so class 1 comes before class 0 and the 0s end up reversed.
    y = np.array([2.0, 0.0, 2.0, 1.0, 0.0, 1.0, 2.0])
    order = stratify(np.arange(7), y, 2)
    assert sorted(order.tolist()) == list(range(7))
    gathered = stratify(np.arange(7), y, 7)  # dealing by 7 keeps the gathered order
    assert gathered.tolist() == [0, 2, 6, 3, 5, 4, 1]


def test_randomize_is_a_permutation_and_repeatable():
    a = randomize(np.arange(50), JavaRandom(3))
    b = randomize(np.arange(50), JavaRandom(3))
    assert a.tolist() == b.tolist() and sorted(a.tolist()) == list(range(50))


def test_percentage_split_sizes_and_order():
    data = nominal_dataset(n=150)
    split = percentage_split(data, 66, seed=1)
    assert len(split.train) == 99 and len(split.test) == 51
    kept = percentage_split(data, 66, preserve_order=True)
    assert kept.train.tolist() == list(range(99))
    assert kept.test.tolist() == list(range(99, 150))
    assert split.train.tolist() == randomize(np.arange(150), JavaRandom(1))[:99].tolist()


def test_java_round_rounds_halves_up():
    assert java_round(2.5) == 3 and java_round(3.5) == 4 and java_round(-2.5) == -2


@pytest.mark.parametrize(("folds", "message"), [(1, "at least 2"), (500, "more folds")])
def test_bad_fold_counts_are_refused(folds, message):
    with pytest.raises(WorkbenchError, match=message):
        list(cross_validation_folds(nominal_dataset(n=20), folds, 1))


@pytest.mark.parametrize("percent", [0, 100, -5])
def test_bad_split_percentages_are_refused(percent):
    with pytest.raises(WorkbenchError, match="percentage"):
        percentage_split(nominal_dataset(n=20), percent)


def _wekas_pass(order: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """``Instances.stratify``'s gathering as WEKA writes it: swap each match into place
    (quadratic; the oracle for the array form)."""
    items = [int(i) for i in order]
    index = 1
    while index < len(items):
        wanted = keys[items[index - 1]]
        for j in range(index, len(items)):
            if keys[items[j]] == wanted:
                items[index], items[j] = items[j], items[index]
                index += 1
        index += 1
    return np.asarray(items, dtype=np.intp)


@pytest.mark.parametrize("seed", range(40))
def test_stratify_gathers_exactly_as_wekas_swaps(seed):
    from workbench.evaluation.resampling import strat_step

    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 300))
    classes = rng.integers(0, int(rng.integers(1, 40)), n).astype(float)
    classes[rng.random(n) < 0.1] = np.nan                 # a missing class groups too
    order = rng.permutation(n)
    folds = int(rng.integers(2, min(n, 10) + 1))
    keys = np.where(np.isnan(classes), -1.0, classes)
    expected = strat_step(_wekas_pass(order, keys), folds)
    assert np.array_equal(stratify(order, classes, folds), expected)


def test_stratify_with_a_class_value_per_row():
    # 20 000 classes of one row each: WEKA's pass per class over the rest (hours in a
    # Python loop) is one array comparison per class here; the order is WEKA's.
    n = 20_000
    order = np.random.default_rng(0).permutation(n)
    classes = np.arange(n, dtype=float)
    out = stratify(order, classes, 10)
    small = np.arange(300, dtype=float)
    assert np.array_equal(stratify(order[:300] % 300, small, 10),
                          _strat_oracle(order[:300] % 300, small, 10))
    assert sorted(out.tolist()) == list(range(n))


def _strat_oracle(order: np.ndarray, classes: np.ndarray, folds: int) -> np.ndarray:
    from workbench.evaluation.resampling import strat_step

    return strat_step(_wekas_pass(order, np.where(np.isnan(classes), -1.0, classes)), folds)
