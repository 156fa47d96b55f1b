"""Gaussian naive Bayes that does not trust a zero variance in an indicator column.

scikit-learn's GaussianNB fits a Gaussian to every column, the one-hot columns of nominal
attributes too. When a value never occurs with a class in the training data, that
column's variance for the class is zero (plus ``var_smoothing`` times the largest
variance, 1e-9 by default) and one later instance with the value makes the class all but
impossible: the zero-frequency problem. On breast-cancer, all nominal, that gave 45.45 %
correct, 25 points below ZeroR. Counting learners fix it with Laplace's estimator (WEKA's
NaiveBayes starts every count at 1); here each indicator column's variance per class is
floored at the variance of a Laplace-estimated Bernoulli, p(1 - p) with
p = (count + 1) / (n + 2). Numeric columns keep scikit-learn's estimate, so a numeric
0/1 attribute that really separates the classes (ionosphere's a01) still does.

Imported only when the learner trains, so registering learners does not import
scikit-learn.
"""

from __future__ import annotations

import numpy as np
from sklearn.naive_bayes import GaussianNB


class IndicatorSmoothedGaussianNB(GaussianNB):
    """GaussianNB whose ``indicators`` columns get Laplace-smoothed variances."""

    def __init__(self, *, priors: np.ndarray | None = None, var_smoothing: float = 1e-9,
                 indicators: tuple[int, ...] = ()) -> None:
        super().__init__(priors=priors, var_smoothing=var_smoothing)
        self.indicators = indicators

    def fit(self, X: np.ndarray, y: np.ndarray,
            sample_weight: np.ndarray | None = None) -> IndicatorSmoothedGaussianNB:
        super().fit(X, y, sample_weight=sample_weight)
        columns = np.asarray(self.indicators, dtype=np.intp)
        if columns.size == 0:
            return self
        X = np.asarray(X, dtype=np.float64)
        y = np.asarray(y)
        w = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, float)
        for row, label in enumerate(self.classes_):
            mine = y == label
            total = w[mine].sum()
            p = (w[mine] @ X[mine][:, columns] + 1.0) / (total + 2.0)
            self.var_[row, columns] = np.maximum(self.var_[row, columns], p * (1.0 - p))
        return self
