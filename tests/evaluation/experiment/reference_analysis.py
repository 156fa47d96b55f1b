"""The analysis as it was before it was grouped once (a pandas merge per classifier
pair), kept as the oracle that ``compare`` must agree with.

The merge of two classifiers' runs depends only on the table, the dataset and the ordered
pair, not on the metric, baseline or significance level: a caller that compares one
table several ways passes the same ``merges`` dict and each pair is merged once (the
oracle's t-tests and markers are still computed afresh for every call)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from workbench.core.errors import WorkbenchError
from workbench.evaluation.experiment.analysis import (
    Cell,
    Comparison,
    PairedTTest,
    RankEntry,
    corrected_paired_ttest,
    marker_for,
    metric_columns,
)
from workbench.evaluation.experiment.measures import higher_is_better
from workbench.evaluation.experiment.runs import TIME_COLUMNS

Merges = dict[tuple[str, str, str], pd.DataFrame]


def reference_compare(table: pd.DataFrame, metric: str = "accuracy", baseline: str | None = None,
            significance: float = 0.05, merges: Merges | None = None) -> Comparison:
    """Compare every classifier against ``baseline`` (default: the first) per dataset;
    ``merges`` keeps the paired runs of ``table`` between calls on that same table."""
    merges = {} if merges is None else merges
    numeric_columns = [*metric_columns(table), *TIME_COLUMNS]
    if metric not in numeric_columns:
        raise WorkbenchError(f"the results have no metric '{metric}' (they have: "
                             f"{', '.join(c for c in numeric_columns if c in table)})")
    if not 0 < significance < 1:
        raise WorkbenchError(f"significance level must be between 0 and 1, got "
                             f"{significance}")
    classifiers = list(dict.fromkeys(table["classifier"]))
    datasets = list(dict.fromkeys(table["dataset"]))
    if not classifiers:
        raise WorkbenchError("the results table is empty")
    baseline = classifiers[0] if baseline is None else baseline
    if baseline not in classifiers:
        raise WorkbenchError(f"no classifier '{baseline}' in the results (they have: "
                             f"{', '.join(classifiers)})")
    ordered = [baseline, *[c for c in classifiers if c != baseline]]
    cells: dict[tuple[str, str], Cell] = {}
    tests: dict[tuple[str, str], PairedTTest] = {}
    for dataset in datasets:
        rows = table[table["dataset"] == dataset]
        for clf in ordered:
            values = rows.loc[rows["classifier"] == clf, metric].to_numpy(np.float64)
            values = values[~np.isnan(values)]
            marker = ""
            if clf != baseline:
                test = _pair_test(rows, dataset, baseline, clf, metric, significance,
                                  merges)
                tests[(dataset, clf)] = test
                marker = marker_for(test.significance, higher_is_better(metric))
            cells[(dataset, clf)] = Cell(
                float(values.mean()) if len(values) else math.nan,
                float(values.std(ddof=1)) if len(values) > 1 else
                (0.0 if len(values) == 1 else math.nan), len(values), marker)
    ranking = _reference_ranking(table, ordered, datasets, metric, significance, merges)
    return Comparison(metric, baseline, significance, ordered, datasets, cells, tests,
                      ranking)


def _pair_test(rows: pd.DataFrame, dataset: str, a: str, b: str, metric: str,
               significance: float, merges: Merges) -> PairedTTest:
    """Pair two classifiers' runs by (repetition, fold) and test them."""
    paired = merges.get((dataset, a, b))
    if paired is None:
        left = rows[rows["classifier"] == a]
        right = rows[rows["classifier"] == b]
        paired = left.merge(right, on=["repetition", "fold"], suffixes=("_a", "_b"))
        paired = paired.sort_values(["repetition", "fold"], kind="stable")
        merges[(dataset, a, b)] = paired
    if paired.empty:
        return PairedTTest(0, math.nan, math.nan, math.nan, 0)
    ratio = _test_train_ratio(paired)
    return corrected_paired_ttest(paired[f"{metric}_a"].to_numpy(np.float64),
                                  paired[f"{metric}_b"].to_numpy(np.float64), ratio,
                                  significance)


def _test_train_ratio(paired: pd.DataFrame) -> float:
    if "num_test_a" not in paired or "num_train_a" not in paired:
        raise WorkbenchError("the corrected t-test needs the num_train and num_test "
                             "columns of the results table")
    first = paired.iloc[0]
    if first["num_train_a"] <= 0:
        raise WorkbenchError("a run with no training instances cannot be tested")
    return float(first["num_test_a"]) / float(first["num_train_a"])


def _reference_ranking(table: pd.DataFrame, classifiers: list[str], datasets: list[str],
             metric: str, significance: float, merges: Merges) -> list[RankEntry]:
    """Significant wins and losses of each classifier against every other, per dataset,
    in the metric's better direction; sorted by wins minus losses (ties: table order)."""
    better = 1 if higher_is_better(metric) else -1
    wins = dict.fromkeys(classifiers, 0)
    losses = dict.fromkeys(classifiers, 0)
    for dataset in datasets:
        rows = table[table["dataset"] == dataset]
        for i, a in enumerate(classifiers):
            for b in classifiers[i + 1:]:
                sig = _pair_test(rows, dataset, a, b, metric, significance,
                                 merges).significance * better
                if sig > 0:
                    wins[a] += 1
                    losses[b] += 1
                elif sig < 0:
                    wins[b] += 1
                    losses[a] += 1
    entries = [RankEntry(c, wins[c], losses[c]) for c in classifiers]
    return sorted(entries, key=lambda e: -e.score)
