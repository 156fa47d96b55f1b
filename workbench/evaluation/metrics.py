"""Every statistic of WEKA's ``Evaluation``, computed from a ``Results`` in one place.

Definitions follow ``weka.classifiers.evaluation.Evaluation`` (3.8) including its quirks,
because users put our report beside WEKA's:

* an instance is *unclassified* when no class has probability above zero; it counts in
  the total (so it lowers accuracy) but not in the confusion matrix, kappa or the
  per-class rates, and it is left out of MAE/RMSE (whose divisor excludes it) while the
  prior's errors still divide by all instances with a class;
* MAE and RMSE of a nominal class compare the predicted distribution with the 0/1 vector
  of the actual class, averaged over classes;
* RAE and RRSE compare with the class prior of each fold's training data (Laplace counts)
  or, for a numeric class, with the training mean;
* per-class rates divide the weighted confusion matrix as Java does: 0/0 is NaN (shown as
  ``?``), and the weighted average weights each class by its number of actual instances;
* the information scores of Kononenko & Bratko and the "SF" entropies use log base 2 and
  clip probabilities at the smallest double, as WEKA does.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from workbench.core.errors import WorkbenchError
from workbench.evaluation.curves import ThresholdCurve, threshold_curve
from workbench.evaluation.results import Results

MIN_SF_PROB = 5e-324  # Java's Double.MIN_VALUE, WEKA's floor before taking log2
# The most threshold-curve points (classes x predictions) ``Metrics.curves`` keeps, at
# about 40 bytes a point: MNIST's 10 classes of 70 000 predictions fit (28 MB). Larger
# results keep none (10 000 classes of 10 000 rows would keep 10^8 points); their
# areas are in the report, and the viewers draw the curve they show from the results.
CURVE_POINTS_KEPT = 1_000_000
# Cells of the (rows, classes) blocks the error sums are made of (8 MB of float64).
_BLOCK_CELLS = 1 << 20


@dataclass(frozen=True)
class ClassStats:
    """One row of "Detailed Accuracy By Class" (or the weighted average)."""

    label: str
    tp_rate: float
    fp_rate: float
    precision: float
    recall: float
    f_measure: float
    mcc: float
    roc_area: float
    prc_area: float

    def as_dict(self) -> dict[str, float | str]:
        return {"class": self.label, "tp_rate": self.tp_rate, "fp_rate": self.fp_rate,
                "precision": self.precision, "recall": self.recall,
                "f_measure": self.f_measure, "mcc": self.mcc, "roc_area": self.roc_area,
                "prc_area": self.prc_area}


@dataclass(frozen=True)
class Metrics:
    """The numbers of a WEKA summary. Nominal-only fields are NaN for a numeric class and
    vice versa; ``total_cost``/``average_cost`` are None without a cost matrix."""

    nominal: bool
    class_names: tuple[str, ...]
    num_instances: float            # weight of instances with a known class
    missing_class: float            # weight of instances whose class is missing
    unclassified: float
    correct: float
    incorrect: float
    kappa: float
    mean_absolute_error: float
    root_mean_squared_error: float
    relative_absolute_error: float
    root_relative_squared_error: float
    correlation: float
    use_priors: bool
    confusion_matrix: np.ndarray
    per_class: tuple[ClassStats, ...] = ()
    weighted_avg: ClassStats | None = None
    curves: tuple[ThresholdCurve, ...] = field(default=(), repr=False)
    total_cost: float | None = None
    average_cost: float | None = None
    kb_information: float = float("nan")
    kb_mean_information: float = float("nan")
    kb_relative_information: float = float("nan")
    prior_entropy: float = float("nan")
    scheme_entropy: float = float("nan")
    mean_prior_entropy: float = float("nan")
    mean_scheme_entropy: float = float("nan")

    @property
    def pct_correct(self) -> float:
        return _div(100 * self.correct, self.num_instances)

    @property
    def pct_incorrect(self) -> float:
        return _div(100 * self.incorrect, self.num_instances)

    @property
    def pct_unclassified(self) -> float:
        return _div(100 * self.unclassified, self.num_instances)

    @property
    def entropy_gain(self) -> float:
        return self.prior_entropy - self.scheme_entropy

    @property
    def mean_entropy_gain(self) -> float:
        return _div(self.entropy_gain, self.num_instances - self.unclassified)


def compute_metrics(results: Results, cost_matrix: np.ndarray | None = None) -> Metrics:
    """All statistics of ``results``, pooled over its folds and runs as WEKA pools them."""
    if results.nominal:
        return _nominal_metrics(results, cost_matrix)
    if cost_matrix is not None:
        raise WorkbenchError("a cost matrix needs a nominal class")
    return _numeric_metrics(results)


# Nominal class ------------------------------------------------------------------------
def _nominal_metrics(results: Results, cost_matrix: np.ndarray | None) -> Metrics:
    names = results.class_names
    k = len(names)
    y_all = results.actual
    w_all = results.weights
    has = ~np.isnan(y_all)
    missing_class = float(w_all[~has].sum())
    y = y_all[has].astype(np.intp)
    w = w_all[has]
    pred = results.predicted[has]
    with_class = float(w.sum())
    classified = ~np.isnan(pred)
    unclassified = float(w[~classified].sum())

    yc, wc, pc = y[classified], w[classified], pred[classified].astype(np.intp)
    confusion = np.zeros((k, k))
    np.add.at(confusion, (yc, pc), wc)
    correct = float(wc[yc == pc].sum())
    incorrect = float(wc[yc != pc].sum())

    # Rows of the (n, k) distributions scored here; the priors as one row per fold.
    distribution = results.distribution   # joined once (the property joins every call)
    scored_rows = np.flatnonzero(has)[classified]
    fold_priors, prior_of = results.prior_table()
    row_abs, row_sqr, prior_row_abs, prior_row_sqr = _distances(
        distribution, fold_priors, prior_of, scored_rows, yc)
    sum_abs = float(np.sum(wc * row_abs / k))
    sum_sqr = float(np.sum(wc * row_sqr / k))
    prior_abs = float(np.sum(wc * prior_row_abs / k))
    prior_sqr = float(np.sum(wc * prior_row_sqr / k))
    scored = with_class - unclassified
    mae = _div(sum_abs, scored)
    rmse = float(np.sqrt(_div(sum_sqr, scored)))
    use_priors = results.use_priors
    rae = _div(100 * mae, _div(prior_abs, with_class)) if use_priors else float("nan")
    rrse = (_div(100 * rmse, float(np.sqrt(_div(prior_sqr, with_class))))
            if use_priors else float("nan"))

    # Information scores (Kononenko & Bratko) and the SF entropies.
    p_pred = np.maximum(MIN_SF_PROB, distribution[scored_rows, yc])
    p_prior = (np.maximum(MIN_SF_PROB, fold_priors[prior_of[scored_rows], yc]) if len(yc)
               else np.zeros(0))
    with np.errstate(divide="ignore", invalid="ignore"):
        gain = np.where(p_pred >= p_prior, np.log2(p_pred) - np.log2(p_prior),
                        -(np.log2(1.0 - p_pred) - np.log2(1.0 - p_prior)))
    kb = float(np.sum(gain * wc))
    scheme_entropy = float(-np.sum(np.log2(p_pred) * wc))
    prior_entropy = float(-np.sum(np.log2(p_prior) * wc))
    mean_prior_entropy = _div(prior_entropy, with_class)
    kb_mean = _div(kb, scored)

    total_cost = average_cost = None
    if cost_matrix is not None:
        cost = np.asarray(cost_matrix, dtype=np.float64)
        if cost.shape != (k, k):
            size = (f"{cost.shape[0]} x {cost.shape[1]}" if cost.ndim == 2
                    else f"not a table of rows and columns ({cost.ndim} dimensions)")
            raise WorkbenchError(f"the cost matrix is {size} but the class has {k} values "
                                 f"(expected {k} x {k})")
        if not np.isfinite(cost).all():
            raise WorkbenchError("the cost matrix holds a cost that is not a finite number")
        per = np.where(classified, cost[y, np.where(classified, pred, 0).astype(np.intp)],
                       cost[y].max(axis=1)) if len(y) else np.zeros(0)
        total_cost = float(np.sum(per * w))
        average_cost = _div(total_cost, with_class)

    # The curves are kept while they are small (CURVE_POINTS_KEPT); beyond, each curve
    # is measured (its areas) and let go.
    kept = k * len(y_all) <= CURVE_POINTS_KEPT
    curves: list[ThresholdCurve] = []
    areas = []
    for c in range(k):
        curve = threshold_curve(y_all, distribution[:, c], w_all, c, names[c],
                                results.classifier)
        areas.append((curve.roc_area(), curve.prc_area()))
        if kept:
            curves.append(curve)
    per_class = _per_class(confusion, names, areas)
    weighted = _weighted(confusion, per_class)
    return Metrics(
        nominal=True, class_names=names, num_instances=with_class,
        missing_class=missing_class, unclassified=unclassified, correct=correct,
        incorrect=incorrect, kappa=kappa(confusion), mean_absolute_error=mae,
        root_mean_squared_error=rmse, relative_absolute_error=rae,
        root_relative_squared_error=rrse, correlation=float("nan"), use_priors=use_priors,
        confusion_matrix=confusion, per_class=per_class, weighted_avg=weighted,
        curves=tuple(curves), total_cost=total_cost, average_cost=average_cost,
        kb_information=kb if use_priors else float("nan"),
        kb_mean_information=kb_mean if use_priors else float("nan"),
        kb_relative_information=(_div(100 * kb_mean, mean_prior_entropy)
                                 if use_priors else float("nan")),
        prior_entropy=prior_entropy if use_priors else float("nan"),
        scheme_entropy=scheme_entropy,
        mean_prior_entropy=mean_prior_entropy if use_priors else float("nan"),
        mean_scheme_entropy=_div(scheme_entropy, scored))


def kappa(confusion: np.ndarray) -> float:
    """WEKA's kappa from the (weighted) confusion matrix; 1 when chance agreement is 1."""
    total = confusion.sum()
    rows = confusion.sum(axis=1)
    cols = confusion.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        chance = float(np.sum(rows * cols)) / (total * total)
        observed = float(np.trace(confusion)) / total
    if chance < 1:
        return (observed - chance) / (1 - chance)
    return 1.0 if not np.isnan(chance) else float("nan")


def _distances(distribution: np.ndarray, fold_priors: np.ndarray, prior_of: np.ndarray,
               rows: np.ndarray, actual: np.ndarray
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per scored row, the absolute and squared distances of its distribution and of its
    fold's prior from the one-hot actual class (WEKA's MAE/RMSE sums), a block of rows
    at a time: the (rows, classes) differences are made only a block at a time (at
    10 000 classes, each whole one took 800 MB, nine of them at once). Each row's sum is
    the same whatever the block, so the totals are exactly those of the whole."""
    out = np.empty((4, len(rows)))
    step = max(1, _BLOCK_CELLS // max(distribution.shape[1], 1))
    for start in range(0, len(rows), step):
        part = slice(start, start + step)
        picked = rows[part]
        onehot = np.zeros((len(picked), distribution.shape[1]))
        onehot[np.arange(len(picked)), actual[part]] = 1.0
        for first, table in ((0, distribution[picked]),
                             (2, fold_priors[prior_of[picked]])):
            table -= onehot
            out[first + 1, part] = (table ** 2).sum(axis=1)
            out[first, part] = np.abs(table, out=table).sum(axis=1)
    return out[0], out[1], out[2], out[3]


def _per_class(confusion: np.ndarray, names: tuple[str, ...],
               areas: list[tuple[float, float]]) -> tuple[ClassStats, ...]:
    """WEKA's per-class rows; ``areas``: each class's ROC and PRC areas."""
    total = confusion.sum()
    stats = []
    for c, name in enumerate(names):
        tp = confusion[c, c]
        fn = confusion[c].sum() - tp
        fp = confusion[:, c].sum() - tp
        tn = total - tp - fn - fp
        recall = _div(tp, tp + fn)
        precision = _div(tp, tp + fp)
        if precision == 0 and recall == 0:
            f_measure = 0.0
        else:
            f_measure = _div(2 * precision * recall, precision + recall)
        mcc = _div(tp * tn - fp * fn, float(np.sqrt((tp + fp) * (tp + fn) * (tn + fp)
                                                    * (tn + fn))))
        stats.append(ClassStats(name, recall, _div(fp, fp + tn), precision, recall,
                                f_measure, mcc, *areas[c]))
    return tuple(stats)


def _weighted(confusion: np.ndarray, per_class: tuple[ClassStats, ...]) -> ClassStats:
    """WEKA's "Weighted Avg.": classes weighted by their actual count; a NaN statistic of
    a class that occurs makes the average NaN, one of a class that never occurs is skipped."""
    counts = confusion.sum(axis=1)
    total = counts.sum()

    def average(name: str) -> float:
        acc = 0.0
        for c, stat in enumerate(per_class):
            if counts[c] > 0:
                acc += getattr(stat, name) * counts[c]
        return _div(acc, total)

    return ClassStats("Weighted Avg.", *(average(f) for f in (
        "tp_rate", "fp_rate", "precision", "recall", "f_measure", "mcc", "roc_area",
        "prc_area")))


# Numeric class ------------------------------------------------------------------------
def _numeric_metrics(results: Results) -> Metrics:
    y_all = results.actual
    w_all = results.weights
    has = ~np.isnan(y_all)
    y, w = y_all[has], w_all[has]
    pred = results.predicted[has]
    prior_mean = results.priors[has][:, 0] if len(y) else np.zeros(0)
    with_class = float(w.sum())
    ok = ~np.isnan(pred)
    unclassified = float(w[~ok].sum())
    y, w, p, m = y[ok], w[ok], pred[ok], prior_mean[ok]
    scored = with_class - unclassified
    s_class, s_pred = float(np.sum(w * y)), float(np.sum(w * p))
    var_actual = float(np.sum(w * y * y)) - _div(s_class * s_class, scored)
    var_pred = float(np.sum(w * p * p)) - _div(s_pred * s_pred, scored)
    var_prod = float(np.sum(w * y * p)) - _div(s_class * s_pred, scored)
    correlation = (0.0 if not var_actual * var_pred > 0
                   else var_prod / float(np.sqrt(var_actual * var_pred)))
    mae = _div(float(np.sum(w * np.abs(p - y))), scored)
    rmse = float(np.sqrt(_div(float(np.sum(w * (p - y) ** 2)), scored)))
    use_priors = results.use_priors
    prior_abs = _div(float(np.sum(w * np.abs(m - y))), with_class)
    prior_rms = float(np.sqrt(_div(float(np.sum(w * (m - y) ** 2)), with_class)))
    nan = float("nan")
    return Metrics(
        nominal=False, class_names=(), num_instances=with_class,
        missing_class=float(w_all[~has].sum()), unclassified=unclassified, correct=nan,
        incorrect=nan, kappa=nan, mean_absolute_error=mae, root_mean_squared_error=rmse,
        relative_absolute_error=_div(100 * mae, prior_abs) if use_priors else nan,
        root_relative_squared_error=_div(100 * rmse, prior_rms) if use_priors else nan,
        correlation=correlation, use_priors=use_priors, confusion_matrix=np.zeros((0, 0)))


def _div(num: float, den: float) -> float:
    """Java's double division: x/0 is +-inf, 0/0 is NaN, never an exception."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return float(np.float64(num) / np.float64(den))
