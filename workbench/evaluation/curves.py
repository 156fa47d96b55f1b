"""ROC and precision-recall curves per class, as WEKA's ``ThresholdCurve`` builds them.

WEKA sorts the predicted probability of the class of interest, and emits one point per
distinct probability: the counts of instances at or above that threshold (true and false
positives) and below it (false and true negatives), plus a final all-negative point. The
ROC area is the Wilcoxon-Mann-Whitney statistic summed over those points (ties count a
half) and the PRC area a step sum over recall. Instances with a missing class or a
negative weight take part in the sorting but are not counted, as in WEKA. We compute the
same points with cumulative sums instead of WEKA's instance loop.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from workbench.core.errors import WorkbenchError


@dataclass(frozen=True)
class ThresholdCurve:
    """Points of one class's threshold curve, best-first thresholds last, as in WEKA.

    Each array has one entry per point: weighted counts ``tp``, ``fn``, ``fp``, ``tn``;
    rates ``fpr``, ``tpr`` (= ``recall``), ``precision``, ``f_measure``; ``sample_size``
    (share predicted positive), ``lift`` (NaN where WEKA leaves it missing) and the
    probability ``threshold``. ``label`` names the class, ``classifier`` the learner.
    """

    label: str
    tp: np.ndarray
    fn: np.ndarray
    fp: np.ndarray
    tn: np.ndarray
    threshold: np.ndarray
    classifier: str = ""

    @property
    def num_points(self) -> int:
        return len(self.tp)

    @property
    def tpr(self) -> np.ndarray:
        return _safe_ratio(self.tp, self.tp + self.fn)

    recall = tpr

    @property
    def fpr(self) -> np.ndarray:
        return _safe_ratio(self.fp, self.fp + self.tn)

    @property
    def precision(self) -> np.ndarray:
        return _safe_ratio(self.tp, self.tp + self.fp)

    @property
    def f_measure(self) -> np.ndarray:
        p, r = self.precision, self.recall
        return _safe_ratio(2 * p * r, p + r)

    @property
    def sample_size(self) -> np.ndarray:
        total = self.tp + self.fp + self.tn + self.fn
        with np.errstate(invalid="ignore", divide="ignore"):
            return (self.tp + self.fp) / total

    @property
    def lift(self) -> np.ndarray:
        expected = self.sample_size * (self.tp + self.fn)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(expected < 1, np.nan, self.tp / expected)

    def roc_area(self) -> float:
        """WEKA's ``ThresholdCurve.getROCArea``: area under the ROC, ties counted half."""
        n = self.num_points
        if n == 0:
            return float("nan")
        tp, fp = self.tp, self.fp
        cip = np.append(tp[:-1] - tp[1:], tp[-1])
        cin = np.append(fp[:-1] - fp[1:], fp[-1])
        cum_neg = np.concatenate([[0.0], np.cumsum(cin)[:-1]])
        area = float(np.sum(cip * (cum_neg + 0.5 * cin)))
        with np.errstate(invalid="ignore", divide="ignore"):
            return float(np.float64(area) / (fp[0] * tp[0]))

    def prc_area(self) -> float:
        """WEKA's ``ThresholdCurve.getPRCArea``; NaN (printed ``?``) when the area is 0."""
        n = self.num_points
        if n == 0:
            return float("nan")
        p, r = self.precision, self.recall
        area = float(np.sum(p[:-1] * (r[:-1] - r[1:])))
        return float("nan") if area == 0 else area

    def as_columns(self) -> dict[str, np.ndarray]:
        """The columns of WEKA's threshold-curve relation, in WEKA's order and names."""
        return {"True Positives": self.tp, "False Negatives": self.fn,
                "False Positives": self.fp, "True Negatives": self.tn,
                "False Positive Rate": self.fpr, "True Positive Rate": self.tpr,
                "Precision": self.precision, "Recall": self.recall, "Fallout": self.fpr,
                "FMeasure": self.f_measure, "Sample Size": self.sample_size,
                "Lift": self.lift, "Threshold": self.threshold}


def threshold_curve(actual: np.ndarray, probabilities: np.ndarray, weights: np.ndarray,
                    class_index: int, label: str = "", classifier: str = "") -> ThresholdCurve:
    """One-vs-rest curve for ``class_index`` from actual classes (NaN = missing), the
    predicted probabilities of that class and the instance weights."""
    actual = np.asarray(actual, dtype=np.float64)
    probs = np.asarray(probabilities, dtype=np.float64)
    weights = np.asarray(weights, dtype=np.float64)
    if not (actual.shape == probs.shape == weights.shape) or actual.ndim != 1:
        raise WorkbenchError(f"threshold curve needs equal-length arrays, got {actual.shape}, "
                             f"{probs.shape}, {weights.shape}")
    empty = np.zeros(0)
    if len(probs) == 0:
        return ThresholdCurve(label, empty, empty, empty, empty, empty, classifier)
    counted = ~np.isnan(actual) & (weights >= 0)
    positive = counted & (actual == class_index)
    negative = counted & ~positive
    pos_w = np.where(positive, weights, 0.0)
    neg_w = np.where(negative, weights, 0.0)
    tot_pos, tot_neg = float(pos_w.sum()), float(neg_w.sum())

    # WEKA's Utils.sort puts NaN last (it treats it as the largest value).
    keys = np.where(np.isnan(probs), np.inf, probs)
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    starts = np.flatnonzero(np.r_[True, sorted_keys[1:] > sorted_keys[:-1]])
    # Weight strictly below each distinct threshold: cumulative sums before each group.
    cum_pos = np.concatenate([[0.0], np.cumsum(pos_w[order])])[starts]
    cum_neg = np.concatenate([[0.0], np.cumsum(neg_w[order])])[starts]
    tp = tot_pos - cum_pos
    fp = tot_neg - cum_neg
    fn = cum_pos
    tn = cum_neg
    thresholds = probs[order][starts]
    # The last group is never subtracted; WEKA then adds an all-negative point when any
    # counted weight sits at the top threshold.
    if fn[-1] != tot_pos or tn[-1] != tot_neg:
        tp = np.append(tp, 0.0)
        fp = np.append(fp, 0.0)
        fn = np.append(fn, tot_pos)
        tn = np.append(tn, tot_neg)
        thresholds = np.append(thresholds, probs[order][-1] + 10e-6)
    return ThresholdCurve(label, tp, fn, fp, tn, thresholds, classifier)


def _safe_ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """WEKA's TwoClassStats rates: 0 where the denominator is 0."""
    num = np.asarray(num, dtype=np.float64)
    den = np.asarray(den, dtype=np.float64)
    out = np.zeros(np.broadcast(num, den).shape)
    np.divide(num, den, out=out, where=den != 0)
    return out
