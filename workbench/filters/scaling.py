"""Normalize (to a range) and Standardize (zero mean, unit variance), as WEKA does them.

Both learn one pair of numbers per numeric attribute from the training data and apply the
same affine map to any later data, so a test value outside the training range maps
outside [0, 1]: that is the honest result, and clipping would hide it. Instance weights
count (WEKA's statistics are weighted too), missing values stay missing, nominal, string
and date attributes and the class pass through untouched.

Written by hand rather than with scikit-learn's scalers because those ignore missing
values only partly and cannot weight instances per statistic the way WEKA does; the
arithmetic is two lines.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from workbench.core.params import Param
from workbench.data.dataset import AttributeType, Dataset
from workbench.filters.base import Filter, dates_left, dense, with_values, working_columns

_NUMERIC = (AttributeType.NUMERIC,)
_DATES = (AttributeType.DATE,)


class Normalize(Filter):
    """Scales every numeric attribute to [translation, translation + scale] (default [0, 1]).

    The minimum and maximum come from the data the filter is fitted on. A constant
    attribute maps to 0, as WEKA's Normalize does.
    """

    name = "normalize"
    display_name = "Normalize"
    aliases = ("Normalize",)
    scale = Param.number(1.0, "width of the output range", letter="S")
    translation = Param.number(0.0, "lower end of the output range", letter="T")
    state_fields = ("columns_", "minimum_", "maximum_")

    def __init__(self, **values: Any) -> None:
        super().__init__(**values)
        self.columns_: list[int] = []
        self.minimum_ = np.zeros(0)
        self.maximum_ = np.zeros(0)

    def _fit(self, data: Dataset) -> None:
        self.columns_ = working_columns(data, _NUMERIC)
        X = dense(data)[:, self.columns_]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # an all-missing column is fine
            self.minimum_ = np.nanmin(X, axis=0) if X.shape[0] else np.full(X.shape[1], np.nan)
            self.maximum_ = np.nanmax(X, axis=0) if X.shape[0] else np.full(X.shape[1], np.nan)

    def _transform(self, data: Dataset) -> Dataset:
        X = dense(data)
        cols = list(self.columns_)
        if not cols:
            return with_values(data, X.copy())
        low, high = np.asarray(self.minimum_), np.asarray(self.maximum_)
        span = high - low
        usable = np.isfinite(span) & (span > 0)
        # WEKA's exact order of operations, (x - min) / (max - min) * scale + translation:
        # folding it into one slope and offset changes the last bits of half the values,
        # and NaiveBayes's precision rounding and IBk's distance ties then change the
        # counts (iris NaiveBayes 143 correct instead of WEKA's 142). A constant or
        # all-missing column becomes 0, as in WEKA (not the translation).
        out = X.copy()
        block = X[:, cols]
        scaled = (block - np.where(usable, low, 0.0)) / np.where(usable, span, 1.0) \
            * self.scale + self.translation
        out[:, cols] = np.where(usable, scaled, np.where(np.isnan(block), np.nan, 0.0))
        return with_values(data, out)

    def _describe(self) -> str:
        header = self._require_fitted()
        lines = [f"  {header.attributes[j].name}: [{lo:.6g}, {hi:.6g}]"
                 for j, lo, hi in zip(self.columns_, self.minimum_, self.maximum_, strict=True)]
        text = "Learned ranges:\n" + "\n".join(lines) if lines else "No numeric attributes."
        return "\n".join([text, *self.weka_differences()])

    def weka_differences(self) -> list[str]:
        """WEKA rescales a date's milliseconds (to dates in January 1970); a date is
        left as it is here, and said."""
        header = self._require_fitted()
        return dates_left(self.title, header, working_columns(header, _DATES))


class Standardize(Filter):
    """Shifts and scales every numeric attribute to mean 0 and standard deviation 1.

    Mean and (weighted, n - 1) standard deviation come from the data the filter is fitted
    on. An attribute with no spread is only centred, as WEKA's Standardize does.
    """

    name = "standardize"
    display_name = "Standardize"
    aliases = ("Standardize",)
    params = ()
    state_fields = ("columns_", "mean_", "std_")

    def __init__(self, **values: Any) -> None:
        super().__init__(**values)
        self.columns_: list[int] = []
        self.mean_ = np.zeros(0)
        self.std_ = np.zeros(0)

    def _fit(self, data: Dataset) -> None:
        self.columns_ = working_columns(data, _NUMERIC)
        mean, variance = weighted_mean_variance(dense(data)[:, self.columns_], data.weights)
        self.mean_ = np.nan_to_num(mean)
        self.std_ = np.sqrt(np.maximum(variance, 0.0))

    def _transform(self, data: Dataset) -> Dataset:
        X = dense(data)
        cols = list(self.columns_)
        if not cols:
            return with_values(data, X.copy())
        # One pass over the whole matrix, identity on the untouched columns.
        shift, scale = np.zeros(X.shape[1]), np.ones(X.shape[1])
        std = np.asarray(self.std_)
        shift[cols] = self.mean_
        scale[cols] = np.where(std > 0, std, 1.0)
        return with_values(data, (X - shift) / scale)

    def _describe(self) -> str:
        header = self._require_fitted()
        lines = [f"  {header.attributes[j].name}: mean {m:.6g}, std. dev. {s:.6g}"
                 for j, m, s in zip(self.columns_, self.mean_, self.std_, strict=True)]
        text = ("Learned statistics:\n" + "\n".join(lines) if lines
                else "No numeric attributes.")
        return "\n".join([text, *self.weka_differences()])

    def weka_differences(self) -> list[str]:
        """As Normalize: WEKA standardises a date's milliseconds; it is left here."""
        header = self._require_fitted()
        return dates_left(self.title, header, working_columns(header, _DATES))


def weighted_mean_variance(X: np.ndarray, weights: np.ndarray
                           ) -> tuple[np.ndarray, np.ndarray]:
    """Per column: weighted mean and (weight - 1)-normalised variance of the known values,
    as WEKA computes them; NaN mean and zero variance for a column with no known value."""
    if not np.isnan(X).any():  # the common case: no masks needed
        total = float(weights.sum())
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = (weights @ X) / total
            centred = X - mean
            variance = ((weights @ (centred * centred)) / (total - 1) if total > 1
                        else np.zeros(X.shape[1]))
        return mean, np.nan_to_num(variance)
    known = ~np.isnan(X)
    W = known * weights[:, None]
    total = W.sum(axis=0)
    filled = np.where(known, X, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = (weights @ filled) / total
        centred = np.where(known, X - mean, 0.0)
        variance = np.where(total > 1, (weights @ (centred * centred)) / (total - 1), 0.0)
    return mean, np.nan_to_num(variance)
