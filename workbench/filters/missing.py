"""ReplaceMissingValues: fill gaps with the training mean (numeric) or mode (nominal).

The fill values are learned from the data the filter is fitted on, weighted by instance
weight as in WEKA, so a test set is filled with training statistics and never with its
own. The class attribute is left alone: guessing a missing class would invent labels.

Written by hand rather than with scikit-learn's ``SimpleImputer`` because that cannot
weight instances, and nominal values here are codes whose mode must be taken per label.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from workbench.core.params import Param
from workbench.data.dataset import AttributeType, Dataset
from workbench.filters.base import Filter, dense, weighted_mode, with_values, working_columns
from workbench.filters.scaling import weighted_mean_variance


class ReplaceMissingValues(Filter):
    """Replaces missing values by the training mean (numeric, date) or mode (nominal).

    With ``numeric_fill`` set to ``median`` numeric gaps take the weighted median, which
    outliers do not drag. An attribute missing everywhere in training stays missing.
    """

    name = "replace-missing-values"
    display_name = "ReplaceMissingValues"
    aliases = ("ReplaceMissingValues",)
    numeric_fill = Param.choice("mean", ("mean", "median"),
                                "statistic used for numeric and date attributes")
    state_fields = ("columns_", "fill_")

    def __init__(self, **values: Any) -> None:
        super().__init__(**values)
        self.columns_: list[int] = []
        self.fill_ = np.zeros(0)

    def _fit(self, data: Dataset) -> None:
        types = (AttributeType.NUMERIC, AttributeType.DATE, AttributeType.NOMINAL)
        self.columns_ = working_columns(data, types)
        X, w = dense(data), data.weights
        fills = np.full(len(self.columns_), np.nan)
        plain = [i for i, j in enumerate(self.columns_) if not data.attributes[j].is_nominal]
        if plain and self.numeric_fill == "mean":
            cols = [self.columns_[i] for i in plain]
            fills[plain] = weighted_mean_variance(X[:, cols], w)[0]
        for i, j in enumerate(self.columns_):
            attribute = data.attributes[j]
            if attribute.is_nominal:
                fills[i] = weighted_mode(X[:, j], w, attribute.num_values)
            elif self.numeric_fill == "median":
                fills[i] = _weighted_median(X[:, j], w)
        self.fill_ = fills

    def _transform(self, data: Dataset) -> Dataset:
        X = dense(data).copy()
        cols = np.asarray(self.columns_, dtype=np.intp)
        if cols.size:
            # only the columns that have gaps are touched
            gaps = np.isnan(X[:, cols]).any(axis=0)
            for j, fill in zip(cols[gaps], np.asarray(self.fill_)[gaps], strict=True):
                column = X[:, j]
                column[np.isnan(column)] = fill
        return with_values(data, X)

    def _describe(self) -> str:
        header = self._require_fitted()
        lines = []
        for j, fill in zip(self.columns_, self.fill_, strict=True):
            attribute = header.attributes[j]
            shown = ("?" if np.isnan(fill) else attribute.values[int(fill)]
                     if attribute.is_nominal else f"{fill:.6g}")
            lines.append(f"  {attribute.name}: {shown}")
        return "Replacement values:\n" + "\n".join(lines) if lines else "Nothing to replace."


def _weighted_median(values: np.ndarray, weights: np.ndarray) -> float:
    known = ~np.isnan(values)
    if not known.any():
        return float("nan")
    order = np.argsort(values[known], kind="stable")
    v, w = values[known][order], weights[known][order]
    cumulative = np.cumsum(w)
    if cumulative[-1] <= 0:
        return float("nan")
    return float(v[np.searchsorted(cumulative, cumulative[-1] / 2.0)])
