"""WEKA's Experimenter analysis: the corrected resampled paired t-test and its table.

Runs of repeated cross-validation overlap in their training data, so the plain paired
t-test finds differences that are not there. Nadeau and Bengio's correction (WEKA's
``PairedCorrectedTTester``) inflates the variance by the test/train size ratio:

    t = mean(d) / sqrt((1/n + n_test/n_train) * var(d)),  d = baseline - other,

with ``n - 1`` degrees of freedom, two-tailed. As in WEKA's ``PairedStatsCorrected``:
zero variance gives p = 1 when every difference is zero and p = 0 otherwise, and the
test/train ratio is taken from the first paired run of the dataset. Markers are about
merit, in the measure's better direction (``measures.higher_is_better``): ``v`` the other
scheme is significantly better than the baseline, ``*`` significantly worse, so on rmse a
lower error gets ``v``. WEKA marks by value instead (``v`` higher, ``*`` lower, whatever
the measure), which a reader of an error measure takes the wrong way round; the test
itself (``PairedTTest.significance``) stays WEKA's, by value. The ranking counts
significant wins and losses in the same better direction.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
from scipy import stats

from workbench.core.errors import WorkbenchError
from workbench.evaluation.experiment.measures import higher_is_better, our_metric
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
        """The other scheme's marker in WEKA's table, by value: ``v`` higher than the
        baseline, ``*`` lower (``marker_for`` gives the table's, by merit)."""
        return {1: LOSS, -1: WIN}.get(self.significance, "")


def marker_for(significance: int, higher_better: bool = True) -> str:
    """The other scheme's marker by merit: ``v`` significantly better than the baseline,
    ``*`` significantly worse, where ``significance`` is WEKA's (1: the baseline's value
    is higher) and ``higher_better`` the measure's direction."""
    better = -significance if higher_better else significance
    return {1: WIN, -1: LOSS}.get(better, "")


def marks_legend(metric: str, baseline: str = "") -> str:
    """What the marks mean, said with the table: ``v``/``*`` are better/worse, and which
    way is better for ``metric`` (WEKA's own tables mark higher/lower instead)."""
    base = f" than (1) {baseline}" if baseline else ""
    direction = "higher" if higher_is_better(metric) else "lower"
    return (f"v significantly better{base}, * significantly worse; {direction} is better "
            f"for {metric}")


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

    @property
    def legend(self) -> str:
        """What ``v`` and ``*`` mean in this table (``marks_legend``)."""
        return marks_legend(self.metric, self.baseline)

    def counts(self, classifier: str) -> tuple[int, int, int]:
        """WEKA's ``(v/ /*)`` for a compared classifier: significantly better, not
        significantly different, significantly worse."""
        marks = [self.cells[(d, classifier)].marker for d in self.datasets
                 if self.cells[(d, classifier)].count > 0]
        return marks.count(WIN), marks.count(""), marks.count(LOSS)


def metric_columns(table: pd.DataFrame) -> list[str]:
    """The recorded metrics of a results table (everything but keys, sizes, times)."""
    skip = {*KEY_COLUMNS, *SIZE_COLUMNS, *TIME_COLUMNS}
    return [c for c in table.columns if c not in skip]


def compare(table: pd.DataFrame, metric: str = "accuracy", baseline: str | None = None,
            significance: float = 0.05) -> Comparison:
    """Compare every classifier against ``baseline`` (default: the first) per dataset.
    ``metric`` may be WEKA's name of a measure (``Percent_correct``)."""
    numeric_columns = [*metric_columns(table), *TIME_COLUMNS]
    metric = our_metric(metric, (c for c in numeric_columns if c in table))
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
    runs = _Runs(table, ordered, datasets, metric)
    higher_better = higher_is_better(metric)
    cells: dict[tuple[str, str], Cell] = {}
    tests: dict[tuple[str, str], PairedTTest] = {}
    for d, dataset in enumerate(datasets):
        block = runs.block(d)
        for c, clf in enumerate(ordered):
            marker = ""
            if c > 0:
                test = block.test(0, c, significance)
                tests[(dataset, clf)] = test
                marker = marker_for(test.significance, higher_better)
            cells[(dataset, clf)] = _cell(runs.cell_values(d, c), marker)
    ranking = _ranking(runs, ordered, metric, significance)
    return Comparison(metric, baseline, significance, ordered, datasets, cells, tests,
                      ranking)


def _cell(values: np.ndarray, marker: str) -> Cell:
    values = values[~np.isnan(values)]
    return Cell(float(values.mean()) if len(values) else math.nan,
                float(values.std(ddof=1)) if len(values) > 1 else
                (0.0 if len(values) == 1 else math.nan), len(values), marker)


def _numbers(table: pd.DataFrame, column: str) -> np.ndarray:
    """A column as floats; a value that is not a number is refused by row and column
    (``read_results`` names the file's line before it gets here)."""
    values = table[column]
    numbers = pd.to_numeric(values, errors="coerce")
    bad = numbers.isna() & values.notna()
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise WorkbenchError(f"row {row + 1} of the results: column '{column}' holds "
                             f"{values.iloc[row]!r}, not a number")
    return numbers.to_numpy(np.float64)


class _Runs:
    """A results table as arrays, grouped once: each dataset's runs in (repetition,
    fold) order as rows and the classifiers in table order as columns, so a pair of
    classifiers is paired by indexing rather than by a merge (one per pair was
    quadratic in the classifiers: 300 took minutes)."""

    def __init__(self, table: pd.DataFrame, ordered: list[str], datasets: list[str],
                 metric: str) -> None:
        size = len(table)
        d_code = pd.Categorical(table["dataset"], categories=datasets).codes
        c_code = pd.Categorical(table["classifier"], categories=ordered).codes
        rep_code = pd.factorize(table["repetition"], sort=True)[0]
        fold_code = pd.factorize(table["fold"], sort=True)[0]
        if size and (rep_code.min() < 0 or fold_code.min() < 0):
            row = int(np.flatnonzero((rep_code < 0) | (fold_code < 0))[0])
            raise WorkbenchError(f"row {row + 1} of the results has no repetition or "
                                 f"fold")
        order = np.lexsort((fold_code, rep_code, d_code))
        ds, rs, fs = d_code[order], rep_code[order], fold_code[order]
        new_run = np.ones(size, dtype=bool)
        new_run[1:] = (ds[1:] != ds[:-1]) | (rs[1:] != rs[:-1]) | (fs[1:] != fs[:-1])
        run = np.cumsum(new_run) - 1
        classes = c_code[order]
        cell_index = run.astype(np.int64) * len(ordered) + classes
        twice = pd.Series(cell_index).duplicated().to_numpy()
        if twice.any():
            row = int(order[np.flatnonzero(twice)[0]])
            raise WorkbenchError(
                f"row {row + 1} of the results repeats a run (dataset "
                f"{table['dataset'].iloc[row]}, classifier {table['classifier'].iloc[row]}"
                f", repetition {table['repetition'].iloc[row]}, fold "
                f"{table['fold'].iloc[row]}): each run may appear once")
        shape = (int(run[-1]) + 1 if size else 0, len(ordered))
        metric_values = _numbers(table, metric)
        self.values = np.full(shape, np.nan)
        self.values[run, classes] = metric_values[order]
        self.present = np.zeros(shape, dtype=bool)
        self.present[run, classes] = True
        self.sizes: tuple[np.ndarray, np.ndarray] | None = None
        if "num_test" in table and "num_train" in table:
            test, train = np.full(shape, np.nan), np.full(shape, np.nan)
            test[run, classes] = _numbers(table, "num_test")[order]
            train[run, classes] = _numbers(table, "num_train")[order]
            self.sizes = (test, train)
        first_rows = np.searchsorted(ds, np.arange(len(datasets) + 1))
        self.bounds = [int(run[i]) if i < size else shape[0] for i in first_rows]
        # Each (dataset, classifier)'s values in table order, for the cells.
        by_cell = np.lexsort((np.arange(size), c_code, d_code))
        keys = d_code[by_cell].astype(np.int64) * len(ordered) + c_code[by_cell]
        cuts = np.searchsorted(keys, np.arange(len(datasets) * len(ordered) + 1))
        self._cell_values = metric_values[by_cell]
        self._cuts = cuts
        self._classifiers = len(ordered)

    def block(self, dataset: int) -> _Block:
        rows = slice(self.bounds[dataset], self.bounds[dataset + 1])
        sizes = None if self.sizes is None else (self.sizes[0][rows], self.sizes[1][rows])
        return _Block(self.values[rows], self.present[rows], sizes)

    def cell_values(self, dataset: int, classifier: int) -> np.ndarray:
        key = dataset * self._classifiers + classifier
        return self._cell_values[self._cuts[key]:self._cuts[key + 1]]


@dataclass(frozen=True)
class _Block:
    """One dataset's runs: ``values`` and ``present`` (the classifier has the run, its
    value perhaps NaN) are runs x classifiers; ``sizes`` the runs' test and train
    sizes, when the table has them."""

    values: np.ndarray
    present: np.ndarray
    sizes: tuple[np.ndarray, np.ndarray] | None

    def _ratios(self, a: int, first: np.ndarray) -> np.ndarray:
        """The test/train ratio of ``a``'s runs at rows ``first`` (each pair's first
        paired run, as WEKA takes it)."""
        if self.sizes is None:
            raise WorkbenchError("the corrected t-test needs the num_train and num_test "
                                 "columns of the results table")
        test, train = self.sizes[0][first, a], self.sizes[1][first, a]
        if (train <= 0).any():
            raise WorkbenchError("a run with no training instances cannot be tested")
        return test / train

    def test(self, a: int, b: int, significance: float) -> PairedTTest:
        """The corrected test of classifiers ``a`` and ``b`` over the runs both have."""
        both = self.present[:, a] & self.present[:, b]
        if not both.any():
            return PairedTTest(0, math.nan, math.nan, math.nan, 0)
        ratio = float(self._ratios(a, np.flatnonzero(both)[:1])[0])
        return corrected_paired_ttest(self.values[both, a], self.values[both, b], ratio,
                                      significance)

    def significances(self, a: int, significance: float) -> np.ndarray:
        """WEKA's significance of ``a`` against each later classifier, all at once:
        ``corrected_paired_ttest`` over arrays, runs either lacks left out. A pair whose
        outcome the order of the additions could tip (p next to the level, a variance
        or a mean difference next to rounding) is tested one by one, so the answer is
        always the one-pair test's."""
        x, y = self.values[:, a:a + 1], self.values[:, a + 1:]
        both = self.present[:, a:a + 1] & self.present[:, a + 1:]
        paired = both.any(axis=0)
        result = np.zeros(y.shape[1], dtype=np.int64)
        if not paired.any():
            return result
        ratio = np.full(y.shape[1], np.nan)
        ratio[paired] = self._ratios(a, both.argmax(axis=0)[paired])
        valid = both & ~np.isnan(x) & ~np.isnan(y)
        n = valid.sum(axis=0)
        with np.errstate(all="ignore"):
            d = np.where(valid, x - y, 0.0)
            mean = d.sum(axis=0) / n
            deviation = np.where(valid, d - mean, 0.0)
            std = np.where(n > 1, np.sqrt((deviation * deviation).sum(axis=0) / (n - 1)),
                           np.nan)
            t = mean / np.sqrt((1.0 / n + ratio) * std * std)
            spread = std > 0
            p = np.where((d * d).sum(axis=0) == 0.0, 1.0, 0.0)
            p[spread] = stats.f.sf(t[spread] * t[spread], 1, n[spread] - 1)
            x_mean = np.where(valid, x, 0.0).sum(axis=0) / n
            y_mean = np.where(valid, y, 0.0).sum(axis=0) / n
            # Where rounding could tip the outcome: p at the level; a significant pair
            # whose means (the sign) nearly agree; a spread next to none that did not
            # come out significant (zero spread with unequal runs is significant).
            significant = p <= significance
            close = ((np.abs(p - significance) <= 1e-9)
                     | (significant & (np.abs(x_mean - y_mean) <= 1e-9 * np.maximum(
                         np.abs(x_mean), np.abs(y_mean))))
                     | (~significant & spread & (std <= 1e-9 * np.abs(mean))))
        sign = np.where(x_mean > y_mean, 1, -1)
        result[:] = np.where(paired & (n > 0) & significant, sign, 0)
        for b in np.flatnonzero(paired & (n > 0) & close):
            result[b] = self.test(a, a + 1 + int(b), significance).significance
        return result


def _ranking(runs: _Runs, classifiers: list[str], metric: str,
             significance: float) -> list[RankEntry]:
    """Significant wins and losses of each classifier against every other, per dataset,
    in the metric's better direction; sorted by wins minus losses (ties: table order)."""
    better = 1 if higher_is_better(metric) else -1
    wins = np.zeros(len(classifiers), dtype=np.int64)
    losses = np.zeros(len(classifiers), dtype=np.int64)
    for d in range(len(runs.bounds) - 1):
        block = runs.block(d)
        for a in range(len(classifiers) - 1):
            sig = block.significances(a, significance) * better
            wins[a] += int((sig > 0).sum())
            losses[a] += int((sig < 0).sum())
            wins[a + 1:] += sig < 0
            losses[a + 1:] += sig > 0
    entries = [RankEntry(c, int(wins[i]), int(losses[i]))
               for i, c in enumerate(classifiers)]
    return sorted(entries, key=lambda e: -e.score)
