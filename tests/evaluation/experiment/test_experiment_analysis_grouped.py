"""``compare`` groups the table once instead of merging per classifier pair: it must give
what the per-pair merges gave (``reference_analysis``) on tables with ties, missing runs,
NaN and shuffled rows, and refuse what cannot be paired."""

from __future__ import annotations

import functools
import math
import re

import numpy as np
import pandas as pd
import pytest
from reference_analysis import Merges, reference_compare

from workbench.core.errors import WorkbenchError
from workbench.evaluation.experiment import Comparison, compare


def _random_table(seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    classifiers = [f"c{i}" for i in range(int(rng.integers(2, 9)))]
    datasets = [f"d{i}" for i in range(int(rng.integers(1, 4)))]
    reps, folds = int(rng.integers(1, 4)), int(rng.integers(1, 11))
    # Few distinct values, so ties (equal runs, equal means, constant differences) are
    # common; some classifiers copy or shift another's runs exactly.
    levels = rng.choice([1.0, 5.0, 100.0])
    rows = []
    for dataset in datasets:
        base = rng.integers(0, 4, size=(reps, folds)) * levels
        for k, clf in enumerate(classifiers):
            style = rng.integers(0, 4)
            noise = rng.integers(0, 4, size=(reps, folds)) * levels
            values = {0: base, 1: base + k, 2: noise, 3: base + rng.normal(0, 1e-3,
                                                                       (reps, folds))}[
                int(style)]
            for r in range(reps):
                for f in range(folds):
                    rows.append({"dataset": dataset, "classifier": clf,
                                 "repetition": r + 1, "fold": f + 1,
                                 "num_train": int(rng.integers(50, 100)),
                                 "num_test": int(rng.integers(5, 50)),
                                 "accuracy": float(values[r, f]), "rmse": float(
                                     values[r, f]) / 7, "train_seconds": 0.0,
                                 "test_seconds": 0.0})
    table = pd.DataFrame(rows)
    drop = rng.random(len(table)) < rng.choice([0.0, 0.1, 0.4])
    table = table[~drop | (table.index == 0)]
    nan = rng.random(len(table)) < rng.choice([0.0, 0.05])
    table.loc[nan, "accuracy"] = math.nan
    if rng.random() < 0.5:
        table = table.sample(frac=1.0, random_state=seed)
    return table.reset_index(drop=True)


def _same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == b


def _assert_same(new: Comparison, old: Comparison) -> None:
    assert new.classifiers == old.classifiers and new.datasets == old.datasets
    assert new.ranking == old.ranking
    assert new.cells.keys() == old.cells.keys()
    for key, cell in old.cells.items():
        got = new.cells[key]
        assert (got.count, got.marker) == (cell.count, cell.marker), key
        assert _same(got.mean, cell.mean) and _same(got.std, cell.std), key
    assert new.tests.keys() == old.tests.keys()
    for key, test in old.tests.items():
        got = new.tests[key]
        assert (got.count, got.significance) == (test.count, test.significance), key
        for field in ("mean_difference", "t", "p_value"):
            assert _same(getattr(got, field), getattr(test, field)), (key, field)


@functools.lru_cache(maxsize=1)
def _oracle_case(seed: int) -> tuple[pd.DataFrame, Merges]:
    """The table of ``seed`` and the oracle's pandas merges of it, kept while both
    metrics' tests of that seed run (they are parametrized next to each other): the
    merges were 90 % of this module's time and do not depend on the metric."""
    return _random_table(seed), {}


@pytest.mark.parametrize("metric", ["accuracy", "rmse"])
@pytest.mark.parametrize("seed", range(60))
def test_grouped_analysis_gives_what_per_pair_merges_gave(seed: int, metric: str) -> None:
    table, merges = _oracle_case(seed)
    for significance in (0.05, 0.2):
        _assert_same(compare(table.copy(), metric, None, significance),
                     reference_compare(table, metric, None, significance, merges))
    last = table["classifier"].iloc[-1]
    _assert_same(compare(table.copy(), metric, last),
                 reference_compare(table, metric, last, merges=merges))


def test_a_pair_with_no_common_run_and_one_with_a_single_run() -> None:
    rows = [("d", "a", 1, 1, 1.0), ("d", "a", 1, 2, 2.0), ("d", "b", 2, 1, 3.0),
            ("d", "c", 1, 2, 9.0), ("e", "b", 1, 1, 4.0), ("e", "c", 1, 1, 4.0)]
    table = pd.DataFrame(rows, columns=["dataset", "classifier", "repetition", "fold",
                                        "accuracy"]).assign(num_train=9, num_test=1)
    _assert_same(compare(table), reference_compare(table))
    assert compare(table).tests[("d", "b")].count == 0


def test_a_repeated_run_is_refused_rather_than_paired_with_every_copy() -> None:
    rows = [("d", "a", 1, 1, 1.0), ("d", "b", 1, 1, 2.0), ("d", "b", 1, 1, 3.0)]
    table = pd.DataFrame(rows, columns=["dataset", "classifier", "repetition", "fold",
                                        "accuracy"]).assign(num_train=9, num_test=1)
    with pytest.raises(WorkbenchError, match=r"row 3 .*repeats a run .*classifier b, "
                                             r"repetition 1, fold 1"):
        compare(table)


def test_a_value_that_is_not_a_number_is_named_by_row_and_column() -> None:
    rows = [("d", "a", 1, 1, "1.5"), ("d", "b", 1, 1, "abc")]
    table = pd.DataFrame(rows, columns=["dataset", "classifier", "repetition", "fold",
                                        "accuracy"]).assign(num_train=9, num_test=1)
    with pytest.raises(WorkbenchError, match="row 2 of the results: column 'accuracy' "
                                             "holds 'abc', not a number"):
        compare(table)


def test_three_hundred_classifiers_are_ranked_by_one_grouping() -> None:
    # 300 x 299 / 2 pairs: the per-pair merges took minutes; pairing by index does not
    # merge at all, which the unchanged pandas merge count shows without a clock.
    rng = np.random.default_rng(3)
    rows = [("iris", f"c{i}", 1, f, float(rng.integers(0, 5)), 90, 10)
            for i in range(300) for f in (1, 2, 3)]
    table = pd.DataFrame(rows, columns=["dataset", "classifier", "repetition", "fold",
                                        "accuracy", "num_train", "num_test"])
    merges = 0
    real_merge = pd.DataFrame.merge

    def counting(self, *args, **kwargs):
        nonlocal merges
        merges += 1
        return real_merge(self, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pd.DataFrame, "merge", counting)
        comparison = compare(table)
    assert merges == 0
    assert len(comparison.ranking) == 300
    assert sum(e.wins for e in comparison.ranking) == sum(
        e.losses for e in comparison.ranking)


HEADER = "dataset,classifier,repetition,fold,num_train,num_test,accuracy\n"


@pytest.mark.parametrize(("rows", "message"), [
    # A label spanning two lines (quoted) and a blank line move the bad row to line 6.
    ('iris,"two\nlines",1,1,9,1,50\niris,b,1,1,9,1,50\n\niris,c,1,1,9,1,abc\n',
     ":6: column 'accuracy' holds 'abc', not a number"),
    ("iris,a,1,1,9,1,50\niris,a,1,1.5,9,1,50\n",
     ":3: column 'fold' holds 1.5, not a whole number"),
    # An empty measure is missing (as written for one without a value); a key is not.
    ("iris,a,1,,9,1,50\n", ":2: column 'fold' holds '', not a whole number"),
    ("iris,a,,1,9,1,50\n", ":2: column 'repetition' holds '', not a whole number"),
    ("iris,a,1,1,9,1,50\niris,b,1,1,9,1,50\niris,a,1,1,9,1,60\n",
     r":4: the run \(dataset iris, classifier a, repetition 1, fold 1\) is already on "
     r"line 2"),
])
def test_analyse_names_the_file_line_and_column_of_a_bad_value(tmp_path, capsys, rows,
                                                               message):
    from workbench.cli import main

    results = tmp_path / "r.csv"
    results.write_text(HEADER + rows)
    assert main(["experiment", "analyse", str(results)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.startswith(f"workbench: error: {results}")
    assert re.search(message, err), err
