"""WEKA's Logistic under its WEKA names, so that ``Logistic -R 1e-08`` gives WEKA's numbers.

A WEKA user who reads "Logistic -R 1.0E-8" expects WEKA 3.9.7's results. scikit-learn's
LogisticRegression (``logistic``) penalises every class's coefficients and the ridge
differently, encodes nominal attributes and missing values its own way, and so lands on
another model. This learner builds WEKA's model:

- missing values are filled with the training mean or mode (ReplaceMissingValues);
- attributes that cannot help are dropped as RemoveUseless drops them: missing or
  constant everywhere, or nominal with more distinct values than 99 % of the rows;
- nominal attributes become numbers as NominalToBinary makes them (two values: the value
  index; more: one 0/1 column per value);
- every column is standardised by its weighted mean and (weight - 1) standard deviation;
- the model is multinomial with the last class as reference, and minimises the weighted
  negative log-likelihood plus ``ridge`` times the squared coefficients (intercepts
  are not penalised), starting from the null model as WEKA does.

The objective is strictly convex, but with WEKA's tiny ridge a class that one attribute
separates pushes its coefficients towards infinity, and WEKA's BFGS stops where its
tests say so, far from the minimum. The results a WEKA user compares are that stopping
point, so WEKA's optimiser is repeated step for step (``weka_optimization.py``).

Its sums are NumPy's, not Java's one-by-one loops, so the search only agrees with WEKA's
while it is short: 10-fold cross-validation equals WEKA's report on iris, diabetes, vote,
breast-cancer, credit-g and labor, but on segment-challenge (7 classes, 120
coefficients, thousands of iterations) the last bits lead it elsewhere, 1439 correct
against WEKA's 1441, and it takes minutes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from workbench.classifiers.base import Classifier
from workbench.classifiers.capabilities import Capabilities
from workbench.classifiers.modelfile import stored_array
from workbench.classifiers.weka_logistic_text import describe_logistic
from workbench.classifiers.weka_optimization import ITERATIONS_PER_CALL, find_argmin
from workbench.core.params import Param
from workbench.core.progress import CancelToken, ProgressCallback, check, report
from workbench.data.dataset import Dataset
from workbench.filters.base import weighted_mode
from workbench.filters.scaling import weighted_mean_variance

# RemoveUseless's default: a nominal attribute with more distinct values than this
# percentage of its known values is as good as an identifier and is dropped.
_MOST_VARIED_PERCENT = 99.0

# Calls of WEKA's optimiser (200 iterations each) before -M -1 gives up.
_MOST_CALLS = 500


def fill_values(data: Dataset) -> np.ndarray:
    """ReplaceMissingValues' fill for each attribute: the weighted mean of a numeric
    attribute's known values, the weighted mode of a nominal one (NaN for the class and
    for an attribute missing everywhere)."""
    X, w = data.dense_values().astype(np.float64), data.weights
    fills = np.full(data.num_attributes, np.nan)
    for j, attribute in enumerate(data.attributes):
        if j == data.class_index:
            continue
        if attribute.is_nominal:
            fills[j] = weighted_mode(X[:, j], w, attribute.num_values)
        else:
            fills[j] = weighted_mean_variance(X[:, j:j + 1], w)[0][0]
    return fills


def useful_attributes(data: Dataset) -> np.ndarray:
    """Which attributes RemoveUseless keeps (the class always): not missing everywhere,
    more than one distinct value, and a nominal one not nearly an identifier."""
    keep = np.ones(data.num_attributes, dtype=bool)
    X = data.dense_values()
    for j, attribute in enumerate(data.attributes):
        if j == data.class_index:
            continue
        known = X[:, j][~np.isnan(X[:, j])]
        distinct = np.unique(known).size
        varied = attribute.is_nominal and known.size > 0 and (
            distinct / known.size * 100.0 > _MOST_VARIED_PERCENT)
        if known.size == 0 or distinct < 2 or varied:
            keep[j] = False
    return keep


class WekaLogistic(Classifier):
    """WEKA's multinomial ridge logistic regression, with WEKA's defaults and results.

    Last class as reference, ridge on the standardised coefficients, WEKA's filters in
    front; cross-validation gives WEKA 3.9.7's numbers. ``logistic`` is scikit-learn's.
    """

    name = "weka-logistic"
    display_name = "Logistic"
    category = "functions"
    # WEKA's full name (weka.classifiers.functions.Logistic) resolves too.
    aliases = ("Logistic",)
    capabilities = Capabilities()
    ridge = Param.number(1e-8, "Ridge (L2 penalty) on the standardised coefficients, "
                         "intercepts excepted (WEKA's -R)", low=0, letter="R")
    max_iterations = Param.integer(
        -1, "Most optimiser iterations (WEKA's -M); -1 runs until converged",
        low=-1, letter="M")

    def __init__(self, **values: Any) -> None:
        super().__init__(**values)
        self.fills_ = np.zeros(0)
        self.kept_ = np.zeros(0, dtype=bool)
        # (columns + 1) x (classes - 1): intercept row first, in the original units
        self.coefficients_ = np.zeros((0, 0))
        self.optimiser_calls_ = 0

    # Encoding ---------------------------------------------------------------------------
    def _columns(self, data: Dataset) -> np.ndarray:
        """The rows as WEKA's filters hand them to the model: filled, useless attributes
        dropped, nominal ones made binary."""
        X = data.dense_values().astype(np.float64)
        X = np.where(np.isnan(X) & ~np.isnan(self.fills_), self.fills_, X)
        columns: list[np.ndarray] = []
        for j, attribute in enumerate(data.attributes):
            if j == data.class_index or not self.kept_[j]:
                continue
            if attribute.is_nominal and attribute.num_values > 2:
                columns.extend((X[:, j] == v) * 1.0 for v in range(attribute.num_values))
            else:
                columns.append(X[:, j])
        return np.column_stack(columns) if columns else np.zeros((len(X), 0))

    # Learning ---------------------------------------------------------------------------
    def _fit(self, data: Dataset, progress: ProgressCallback | None,
             cancel: CancelToken | None) -> None:
        check(cancel)
        self.fills_ = fill_values(data)
        values = data.dense_values().astype(np.float64)
        filled = _with_values(data, np.where(np.isnan(values) & ~np.isnan(self.fills_),
                                             self.fills_, values))
        self.kept_ = useful_attributes(filled)
        X = self._columns(data)
        y = data.class_values.astype(np.intp)
        w = data.weights.astype(np.float64)
        mean, variance = (weighted_mean_variance(X, w) if X.shape[1]
                          else (np.zeros(0), np.zeros(0)))
        sd = np.sqrt(variance)
        scale = np.where(sd != 0, sd, 1.0)
        shift = np.where(sd != 0, mean, 0.0)
        Z = np.column_stack([np.ones(len(y)), (X - shift) / scale])
        n_classes = len(self.classes_)
        counts = np.bincount(y, minlength=n_classes).astype(np.float64)
        start = np.zeros((Z.shape[1], n_classes - 1))
        start[0] = np.log(counts[:-1] + 1.0) - np.log(counts[-1] + 1.0)
        beta, self.optimiser_calls_ = _minimise(Z, y, w, self.ridge, start,
                                                self.max_iterations, progress, cancel)
        # back to the original units, as WEKA keeps them
        slopes = beta[1:] / scale[:, None]
        intercept = beta[0] - shift @ slopes
        self.coefficients_ = np.vstack([intercept, slopes])

    # Prediction -------------------------------------------------------------------------
    def _predict_proba(self, data: Dataset) -> np.ndarray:
        X = self._columns(data)
        eta = self.coefficients_[0] + X @ self.coefficients_[1:]
        return _probabilities(eta)

    # Model text and files ---------------------------------------------------------------
    def _describe(self) -> str:
        header = self._require_fitted()
        return describe_logistic(header, self.kept_, self.coefficients_, self.ridge)

    def _state(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        return ({"optimiser_calls": self.optimiser_calls_},
                {"fills": self.fills_, "kept": self.kept_.astype(np.int8),
                 "coefficients": self.coefficients_})

    def _set_state(self, meta: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> None:
        self.optimiser_calls_ = int(meta["optimiser_calls"])
        self.fills_ = stored_array(arrays, "fills", 1).astype(np.float64)
        self.kept_ = stored_array(arrays, "kept", 1, finite=True).astype(bool)
        self.coefficients_ = stored_array(arrays, "coefficients", 2,
                                          finite=True).astype(np.float64)
        header = self._require_fitted()
        if self.fills_.shape != (header.num_attributes,) or self.kept_.shape != (
                header.num_attributes,):
            raise ValueError("the fill values do not match the attributes")
        if self.coefficients_.shape[1] != len(self.classes_) - 1:
            raise ValueError("the coefficients do not match the class labels")


def _with_values(data: Dataset, X: np.ndarray) -> Dataset:
    return Dataset(data.relation, data.attributes, X, data.weights.copy(), data.class_index)


def _probabilities(eta: np.ndarray) -> np.ndarray:
    """Class probabilities from the K - 1 linear predictors, the last class at 0."""
    full = np.column_stack([eta, np.zeros(eta.shape[0])])
    full -= full.max(axis=1, keepdims=True)
    e = np.exp(full)
    return e / e.sum(axis=1, keepdims=True)


def _objective(Z: np.ndarray, y: np.ndarray, w: np.ndarray, ridge: float,
               beta: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    """WEKA's penalised negative log-likelihood, its gradient and the probabilities."""
    eta = Z @ beta
    full = np.column_stack([eta, np.zeros(eta.shape[0])])
    top = full.max(axis=1, keepdims=True)
    log_norm = top[:, 0] + np.log(np.exp(full - top).sum(axis=1))
    p = np.exp(full - log_norm[:, None])
    nll = float(w @ (log_norm - full[np.arange(len(y)), y]))
    penalty = beta[1:]
    value = nll + ridge * float((penalty * penalty).sum())
    residual = p[:, :-1].copy()
    K1 = beta.shape[1]
    mine = y < K1
    residual[np.flatnonzero(mine), y[mine]] -= 1.0
    gradient = Z.T @ (w[:, None] * residual)
    gradient[1:] += 2 * ridge * penalty
    return value, gradient, p


def _minimise(Z: np.ndarray, y: np.ndarray, w: np.ndarray, ridge: float,
              start: np.ndarray, most: int, progress: ProgressCallback | None,
              cancel: CancelToken | None) -> tuple[np.ndarray, int]:
    """WEKA's search from the null model: ``most`` iterations of its BFGS, or with -1
    calls of 200 iterations each until one converges (WEKA never gives up; we stop
    after ``_MOST_CALLS`` calls, which no data set we know comes near)."""
    shape = (start.shape[1], start.shape[0])   # WEKA's order: class by class

    def weka_order(flat: np.ndarray) -> np.ndarray:
        return flat.reshape(shape).T

    def objective(flat: np.ndarray) -> float:
        return _objective(Z, y, w, ridge, weka_order(flat))[0]

    def gradient(flat: np.ndarray) -> np.ndarray:
        return _objective(Z, y, w, ridge, weka_order(flat))[1].T.ravel()

    x = start.T.ravel()
    if x.size == 0:   # one class: nothing to learn, every row is that class
        return start, 0
    calls = 0
    while True:
        calls += 1
        x, converged, _ = find_argmin(objective, gradient, x,
                                      most if most >= 0 else ITERATIONS_PER_CALL, cancel)
        if converged or most >= 0 or calls >= _MOST_CALLS:
            return weka_order(x), calls
        # no end is known in advance: say how far the search has gone
        report(progress, None, f"{calls * ITERATIONS_PER_CALL} iterations, not yet "
               "converged")


def register(registry: Any) -> None:
    registry.add(WekaLogistic)
