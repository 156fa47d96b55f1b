"""WEKA's Experimenter analysis: the corrected resampled paired t-test and its table.

Runs of repeated cross-validation overlap in their training data, so the plain paired
t-test finds differences that are not there. Nadeau and Bengio's correction (WEKA's
``PairedCorrectedTTester``) inflates the variance by the test/train size ratio:

    t = mean(d) / sqrt((1/n + n_test/n_train) * var(d)),  d = baseline - other,

with ``n - 1`` degrees of freedom, two-tailed. As in WEKA's ``PairedStatsCorrected``:
zero variance gives p = 1 when every difference is zero and p = 0 otherwise, and the
test/train ratio is taken from the first paired run of the dataset. Markers are WEKA's
and are about values, not merit: ``v`` the other scheme's value is significantly higher
than the baseline's, ``*`` significantly lower. The ranking, by contrast, counts
significant wins and losses in the metric's better direction (lower error is better).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
from scipy import stats

from workbench.core.errors import WorkbenchError
from workbench.evaluation.experiment.measures import higher_is_better
from workbench.evaluation.experiment.runs import KEY_COLUMNS, SIZE_COLUMNS, TIME_COLUMNS

WIN, LOSS = "v", "*"


@dataclass(frozen=True)
class PairedTTest:
    """The corrected test of one baseline/other pair on one dataset.

    ``significance`` is WEKA's: 1 when the baseline's mean is significantly greater,
    -1 when the other's is, 0 when the difference is not significant.
    """

    count: int
    mean_difference: float
    t: float
    p_value: float
    significance: int

    @property
    def marker(self) -> str:
        """The other scheme's marker in WEKA's table."""
        return {1: LOSS, -1: WIN}.get(self.significance, "")


def corrected_paired_ttest(baseline: np.ndarray, other: np.ndarray,
                           test_train_ratio: float, alpha: float = 0.05) -> PairedTTest:
    """Nadeau and Bengio's corrected resampled t-test on paired per-run values."""
    x = np.asarray(baseline, dtype=np.float64)
    y = np.asarray(other, dtype=np.float64)
    if x.shape != y.shape or x.ndim != 1:
        raise WorkbenchError(f"paired values must be two equal-length lists, got shapes "
                             f"{x.shape} and {y.shape}")
    if not 0 < alpha < 1:
        raise WorkbenchError(f"significance level must be between 0 and 1, got {alpha}")
    keep = ~(np.isnan(x) | np.isnan(y))
    x, y = x[keep], y[keep]
    n = len(x)
    if n == 0:
        return PairedTTest(0, math.nan, math.nan, math.nan, 0)
    d = x - y
    mean = float(d.mean())
    std = float(d.std(ddof=1)) if n > 1 else math.nan
    t = math.nan
    if std > 0:
        t = mean / math.sqrt((1.0 / n + test_train_ratio) * std * std)
        p = float(stats.f.sf(t * t, 1, n - 1)) if n > 1 else 1.0
    else:
        p = 1.0 if float(np.sum(d * d)) == 0.0 else 0.0
    significance = 0
    if p <= alpha:
        significance = 1 if x.mean() > y.mean() else -1
    return PairedTTest(n, mean, t, p, significance)


@dataclass(frozen=True)
class Cell:
    """One dataset x classifier cell: mean and sample standard deviation over runs."""

    mean: float
    std: float
    count: int
    marker: str = ""


@dataclass(frozen=True)
class RankEntry:
    classifier: str
    wins: int
    losses: int

    @property
    def score(self) -> int:
        return self.wins - self.losses


@dataclass
class Comparison:
    """The Experimenter's result table for one metric against one baseline."""

    metric: str
    baseline: str
    significance: float
    classifiers: list[str]           # baseline first, then the others in table order
    datasets: list[str]
    cells: dict[tuple[str, str], Cell]
    tests: dict[tuple[str, str], PairedTTest] = field(default_factory=dict)
    ranking: list[RankEntry] = field(default_factory=list)

    def renamed(self, names: Mapping[str, str]) -> Comparison:
        """The same comparison with classifiers shown by ``names`` (results-file label ->
        the name the user chose them by, "IBk -K 3" for "knn --k 3"), for a report
        a person reads. Labels without a name, or whose names would coincide, stay."""
        shown = [names.get(c, c) for c in self.classifiers]
        if len(set(shown)) < len(shown):
            return self
        new = dict(zip(self.classifiers, shown, strict=True))
        return replace(
            self, baseline=new[self.baseline], classifiers=shown,
            cells={(d, new[c]): cell for (d, c), cell in self.cells.items()},
            tests={(d, new[c]): test for (d, c), test in self.tests.items()},
            ranking=[replace(e, classifier=new[e.classifier]) for e in self.ranking])

    def counts(self, classifier: str) -> tuple[int, int, int]:
        """WEKA's ``(v/ /*)`` for a compared classifier: higher, same, lower."""
        marks = [self.cells[(d, classifier)].marker for d in self.datasets
                 if self.cells[(d, classifier)].count > 0]
        return marks.count(WIN), marks.count(""), marks.count(LOSS)


def metric_columns(table: pd.DataFrame) -> list[str]:
    """The recorded metrics of a results table (everything but keys, sizes, times)."""
    skip = {*KEY_COLUMNS, *SIZE_COLUMNS, *TIME_COLUMNS}
    return [c for c in table.columns if c not in skip]


def compare(table: pd.DataFrame, metric: str = "accuracy", baseline: str | None = None,
            significance: float = 0.05) -> Comparison:
    """Compare every classifier against ``baseline`` (default: the first) per dataset."""
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
                test = _pair_test(rows, baseline, clf, metric, significance)
                tests[(dataset, clf)] = test
                marker = test.marker
            cells[(dataset, clf)] = Cell(
                float(values.mean()) if len(values) else math.nan,
                float(values.std(ddof=1)) if len(values) > 1 else
                (0.0 if len(values) == 1 else math.nan), len(values), marker)
    ranking = _ranking(table, ordered, datasets, metric, significance)
    return Comparison(metric, baseline, significance, ordered, datasets, cells, tests,
                      ranking)


def _pair_test(rows: pd.DataFrame, a: str, b: str, metric: str,
               significance: float) -> PairedTTest:
    """Pair two classifiers' runs by (repetition, fold) and test them."""
    left = rows[rows["classifier"] == a]
    right = rows[rows["classifier"] == b]
    paired = left.merge(right, on=["repetition", "fold"], suffixes=("_a", "_b"))
    paired = paired.sort_values(["repetition", "fold"], kind="stable")
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


def _ranking(table: pd.DataFrame, classifiers: list[str], datasets: list[str],
             metric: str, significance: float) -> list[RankEntry]:
    """Significant wins and losses of each classifier against every other, per dataset,
    in the metric's better direction; sorted by wins minus losses (ties: table order)."""
    better = 1 if higher_is_better(metric) else -1
    wins = dict.fromkeys(classifiers, 0)
    losses = dict.fromkeys(classifiers, 0)
    for dataset in datasets:
        rows = table[table["dataset"] == dataset]
        for i, a in enumerate(classifiers):
            for b in classifiers[i + 1:]:
                sig = _pair_test(rows, a, b, metric, significance).significance * better
                if sig > 0:
                    wins[a] += 1
                    losses[b] += 1
                elif sig < 0:
                    wins[b] += 1
                    losses[a] += 1
    entries = [RankEntry(c, wins[c], losses[c]) for c in classifiers]
    return sorted(entries, key=lambda e: -e.score)
