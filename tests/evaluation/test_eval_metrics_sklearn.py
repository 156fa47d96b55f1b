"""Our WEKA metrics agree with scikit-learn wherever the two define the same number.

Randomised with hypothesis: instance weights, unclassified instances (all-zero
distributions), missing class values, several folds with different priors, and classes
that never occur in a fold or at all. Where WEKA's definition differs (an unclassified
instance is left out of the confusion matrix; 0/0 is "?" in WEKA, 0 in scikit-learn),
the comparison is restricted to where they coincide, and the difference itself is
checked.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from sklearn import metrics as skm

from workbench.core.errors import WorkbenchError
from workbench.data.dataset import Attribute, Dataset
from workbench.evaluation.metrics import compute_metrics
from workbench.evaluation.results import Results


def _results(seed: int, n: int, k: int, n_folds: int, numeric: bool = False) -> Results:
    rng = np.random.default_rng(seed)
    cls = (Attribute.numeric("y") if numeric
           else Attribute.nominal("class", [f"v{i}" for i in range(k)]))
    header = Dataset("r", [Attribute.numeric("x"), cls], np.zeros((0, 2)), class_index=1)
    results = Results(header, "test", "random")
    # A class that never occurs anywhere, sometimes.
    present = k - 1 if (k > 2 and seed % 3 == 0) else k
    for fold, rows in enumerate(np.array_split(np.arange(n), n_folds)):
        m = len(rows)
        if numeric:
            actual = rng.normal(size=m) * 3
            predicted = actual + rng.normal(size=m)
            predicted[rng.random(m) < 0.1] = np.nan
        else:
            # Each fold leaves out one class now and then.
            allowed = [c for c in range(present) if not (fold % 2 and c == fold % present)]
            actual = rng.choice(allowed, m).astype(float)
            dist = rng.dirichlet(np.ones(k), m)
            sure = rng.random(m) < 0.4                # some confident, right answers
            dist[sure] = np.eye(k)[actual[sure].astype(int)]
            dist[rng.random(m) < 0.15] = 0.0          # unclassified
            predicted = None
        actual[rng.random(m) < 0.05] = np.nan         # missing class
        weights = rng.uniform(0.1, 3.0, m)
        train_y = (rng.normal(size=20) if numeric else rng.integers(0, k, 20).astype(float))
        train = Dataset("t", header.attributes, np.c_[np.zeros(20), train_y],
                        weights=rng.uniform(0.5, 2.0, 20), class_index=1)
        results.add_fold(run=0, fold=fold, indices=rows, actual=actual,
                         distribution=None if numeric else dist, predicted=predicted,
                         weights=weights, train=train)
    return results


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(8, 120), k=st.integers(2, 5),
       n_folds=st.integers(1, 4))
def test_nominal_metrics_agree_with_sklearn(seed, n, k, n_folds):
    results = _results(seed, n, k, n_folds)
    m = compute_metrics(results)
    has = ~np.isnan(results.actual)
    y = results.actual[has].astype(int)
    w = results.weights[has]
    dist = results.distribution[has]
    pred = results.predicted[has]
    if not has.any():
        return
    # Accuracy counts an unclassified instance as wrong, like a label no class has.
    filled = np.where(np.isnan(pred), -1, pred).astype(int)
    assert math.isclose(m.pct_correct / 100, skm.accuracy_score(y, filled, sample_weight=w),
                        abs_tol=1e-12)
    assert math.isclose(m.num_instances, w.sum())
    assert math.isclose(m.unclassified, w[np.isnan(pred)].sum(), abs_tol=1e-12)

    done = ~np.isnan(pred)
    yc, pc, wc = y[done], pred[done].astype(int), w[done]
    labels = list(range(k))
    if done.any():
        cm = skm.confusion_matrix(yc, pc, labels=labels, sample_weight=wc)
        np.testing.assert_allclose(m.confusion_matrix, cm, atol=1e-12)
        sk_kappa = skm.cohen_kappa_score(yc, pc, labels=labels, sample_weight=wc)
        if np.isnan(sk_kappa):  # chance agreement of 1: WEKA says 1
            assert m.kappa == 1.0
        else:
            assert math.isclose(m.kappa, sk_kappa, abs_tol=1e-9)
        p, r, f, _ = skm.precision_recall_fscore_support(
            yc, pc, labels=labels, sample_weight=wc, zero_division=np.nan)
        for c, row in enumerate(m.per_class):
            for ours, theirs in ((row.precision, p[c]), (row.recall, r[c])):
                assert (np.isnan(ours) and np.isnan(theirs)) or math.isclose(
                    ours, theirs, abs_tol=1e-12)
            if not (np.isnan(row.precision) or np.isnan(row.recall)):
                assert math.isclose(row.f_measure, f[c], abs_tol=1e-12)
            assert math.isclose(row.tp_rate, row.recall, abs_tol=0) or np.isnan(row.recall)
            if not np.isnan(row.mcc):
                sk_mcc = skm.matthews_corrcoef(yc == c, pc == c, sample_weight=wc)
                assert math.isclose(row.mcc, sk_mcc, abs_tol=1e-9)
            negatives = wc[yc != c].sum()
            if negatives > 0:
                assert math.isclose(row.fp_rate, wc[(yc != c) & (pc == c)].sum() / negatives,
                                    abs_tol=1e-12)
        # MAE and RMSE of the distributions against the 0/1 class vectors.
        onehot = np.eye(k)[yc]
        assert math.isclose(m.mean_absolute_error,
                            skm.mean_absolute_error(onehot, dist[done], sample_weight=wc),
                            abs_tol=1e-12)
        assert math.isclose(m.root_mean_squared_error, math.sqrt(
            skm.mean_squared_error(onehot, dist[done], sample_weight=wc)), abs_tol=1e-12)

    # ROC area per class, over every instance with a class (unclassified ones included).
    for c, row in enumerate(m.per_class):
        positive = y == c
        if positive.any() and (~positive).any():
            auc = skm.roc_auc_score(positive, dist[:, c], sample_weight=w)
            assert math.isclose(row.roc_area, auc, abs_tol=1e-9)
            # WEKA's PRC area is the step sum sklearn calls average precision.
            ap = skm.average_precision_score(positive, dist[:, c], sample_weight=w)
            assert math.isclose(row.prc_area, ap, abs_tol=1e-9) or (
                np.isnan(row.prc_area) and ap == 0)
        else:
            assert np.isnan(row.roc_area)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(5, 80), n_folds=st.integers(1, 3))
def test_numeric_metrics_agree_with_scipy_and_sklearn(seed, n, n_folds):
    results = _results(seed, n, 1, n_folds, numeric=True)
    m = compute_metrics(results)
    has = ~np.isnan(results.actual)
    ok = has & ~np.isnan(results.predicted)
    y, p, w = results.actual[ok], results.predicted[ok], results.weights[ok]
    if len(y) < 3:
        return
    assert math.isclose(m.mean_absolute_error,
                        skm.mean_absolute_error(y, p, sample_weight=w), abs_tol=1e-12)
    assert math.isclose(m.root_mean_squared_error,
                        math.sqrt(skm.mean_squared_error(y, p, sample_weight=w)),
                        abs_tol=1e-12)
    mean_x = np.average(y, weights=w)
    mean_p = np.average(p, weights=w)
    cov = np.sum(w * (y - mean_x) * (p - mean_p))
    expected = cov / math.sqrt(np.sum(w * (y - mean_x) ** 2) * np.sum(w * (p - mean_p) ** 2))
    assert math.isclose(m.correlation, expected, abs_tol=1e-9)
    unweighted = stats.pearsonr(y, p).statistic
    assert -1 <= unweighted <= 1
    # RAE / RRSE against each fold's training mean; the prior's divisor counts every
    # instance with a class (WEKA's quirk), the scheme's only the predicted ones.
    means = results.priors[:, 0][ok]
    with_class = results.weights[has].sum()
    rae = 100 * (np.sum(w * np.abs(p - y)) / w.sum()) / (np.sum(w * np.abs(means - y))
                                                          / with_class)
    assert math.isclose(m.relative_absolute_error, rae, rel_tol=1e-9)


def test_zeror_like_predictions_give_100_percent_relative_errors():
    header = Dataset("z", [Attribute.nominal("c", ["a", "b"])], np.zeros((0, 1)),
                     class_index=0)
    train = Dataset("t", header.attributes, np.array([[0.0]] * 6 + [[1.0]] * 2),
                    class_index=0)
    results = Results(header, "zeror", "x")
    prior = np.array([7.0, 3.0]) / 10  # Laplace: (6 + 1, 2 + 1) / (8 + 2)
    results.add_fold(run=0, fold=0, indices=np.arange(4), actual=np.array([0, 1, 0, 0.0]),
                     distribution=np.tile(prior, (4, 1)), train=train)
    m = compute_metrics(results)
    assert math.isclose(m.relative_absolute_error, 100.0)
    assert math.isclose(m.root_relative_squared_error, 100.0)
    assert math.isclose(m.kb_information, 0.0, abs_tol=1e-12)


def test_cost_matrix_totals_and_worst_cost_for_unclassified():
    header = Dataset("z", [Attribute.nominal("c", ["a", "b"])], np.zeros((0, 1)),
                     class_index=0)
    results = Results(header, "x", "x")
    dist = np.array([[1.0, 0], [0, 1.0], [0, 1.0], [0, 0]])
    results.add_fold(run=0, fold=0, indices=np.arange(4), actual=np.array([0, 0, 1, 1.0]),
                     distribution=dist, weights=np.array([1, 2, 1, 3.0]), train=None)
    cost = np.array([[0, 5.0], [2.0, 0]])
    m = compute_metrics(results, cost)
    # correct (0) + a->b weighted 2 * 5 + correct (0) + unclassified b: worst cost 2 * 3
    assert m.total_cost == 16.0 and m.average_cost == 16.0 / 7
    assert not m.use_priors and np.isnan(m.relative_absolute_error)


def test_a_cost_matrix_of_the_wrong_shape_or_not_finite_is_refused():
    # np.array([]) (from a "0 0" cost file) is 1-D: reading its shape[1] was an IndexError.
    header = Dataset("z", [Attribute.nominal("c", ["a", "b"])], np.zeros((0, 1)),
                     class_index=0)
    results = Results(header, "x", "x")
    results.add_fold(run=0, fold=0, indices=np.arange(1), actual=np.array([0.0]),
                     distribution=np.array([[1.0, 0]]), weights=np.ones(1), train=None)
    with pytest.raises(WorkbenchError, match=r"not a table of rows .*\(expected 2 x 2\)"):
        compute_metrics(results, np.array([]))
    with pytest.raises(WorkbenchError, match="not a finite number"):
        compute_metrics(results, np.array([[0, np.nan], [1, 0]]))
