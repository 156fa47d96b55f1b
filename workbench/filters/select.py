"""Attribute selection by a ranker: score every attribute against the class, keep the best.

Two evaluators, as WEKA's InfoGainAttributeEval and CorrelationAttributeEval compute them:

- ``info-gain``: H(class) - H(class | attribute) in bits. Numeric attributes are first
  discretized by Fayyad & Irani's MDL method (WEKA does the same); an instance with a
  missing attribute value has its class weight spread over the values in proportion to
  their frequency. Needs a nominal class.
- ``correlation``: the absolute Pearson correlation with the class. A nominal attribute
  (or class) counts as one indicator per value, each correlation weighted by the value's
  frequency; missing values take the mean. Works with a numeric class too.

The ranking is learned on the training data only; ``transform`` keeps the same attributes
in every later dataset. Written by hand: scikit-learn's ``mutual_info_classif`` estimates
mutual information by nearest neighbours (not WEKA's discretized information gain) and
has no weights.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from workbench.core.params import Param
from workbench.data.dataset import Attribute, AttributeType, Dataset
from workbench.filters.base import Filter, FilterError, dense
from workbench.filters.discretize import _entropy, mdl_cuts

_SCORED = (AttributeType.NUMERIC, AttributeType.NOMINAL, AttributeType.DATE)


class AttributeSelection(Filter):
    """Keeps the attributes that score best against the class (a ranker search).

    ``num_to_select`` keeps that many of the best (none: all, ranked); ``threshold``
    drops attributes scoring at or below it. Kept attributes come in rank order, then
    the class. String and relational attributes are not scored and are removed.
    """

    name = "attribute-selection"
    display_name = "AttributeSelection"
    supervised = True
    aliases = ("AttributeSelection",)
    evaluator = Param.choice("info-gain", ("info-gain", "correlation"),
                             "how an attribute is scored against the class", letter="E")
    num_to_select = Param.integer(None, "keep this many of the best (none: all, ranked)",
                                  low=0, nullable=True, letter="N")
    threshold = Param.number(None, "drop attributes scoring at or below this",
                             nullable=True, letter="T")
    state_fields = ("ranking_", "merits_", "selected_")

    def __init__(self, **values: Any) -> None:
        super().__init__(**values)
        self.ranking_: list[int] = []
        self.merits_ = np.zeros(0)
        self.selected_: list[int] = []

    def _fit(self, data: Dataset) -> None:
        cls = data.class_attribute
        assert cls is not None
        if self.evaluator == "info-gain" and not cls.is_nominal:
            raise FilterError(f"{self.title}: info-gain needs a nominal class; class "
                              f"'{cls.name}' is {cls.type} (use --evaluator correlation)")
        X, w = dense(data), data.weights
        y = data.class_values
        known = ~np.isnan(y)
        X, w, y = X[known], w[known], y[known]
        candidates = [j for j, a in enumerate(data.attributes)
                      if j != data.class_index and a.type in _SCORED]
        merits = []
        for j in candidates:
            attribute = data.attributes[j]
            if self.evaluator == "info-gain":
                merits.append(info_gain(X[:, j], attribute, y, cls.num_values, w))
            else:
                merits.append(correlation(X[:, j], attribute, y, cls, w))
        merits_arr = np.asarray(merits, dtype=np.float64)
        order = np.argsort(-merits_arr, kind="stable")
        self.ranking_ = [candidates[i] for i in order]
        self.merits_ = merits_arr[order]
        keep = len(self.ranking_)
        if self.threshold is not None:
            keep = int(np.count_nonzero(self.merits_ > self.threshold))
        if self.num_to_select is not None:
            keep = min(keep, self.num_to_select)
        self.selected_ = self.ranking_[:keep]

    def _transform(self, data: Dataset) -> Dataset:
        keys = list(self.selected_)
        if data.class_index is not None:
            keys.append(data.class_index)
        return data.select_attributes(keys)

    def _describe(self) -> str:
        header = self._require_fitted()
        lines = [f"Ranked attributes ({self.evaluator}):"]
        for rank, (j, merit) in enumerate(zip(self.ranking_, self.merits_, strict=True)):
            mark = "" if rank < len(self.selected_) else "  (dropped)"
            lines.append(f" {merit:8.4f} {j + 1:>4} {header.attributes[j].name}{mark}")
        lines.append(f"Selected attributes: {len(self.selected_)}")
        return "\n".join(lines)


def info_gain(column: np.ndarray, attribute: Attribute, y: np.ndarray, num_classes: int,
              w: np.ndarray) -> float:
    """Information gain of one attribute about a nominal class, in bits."""
    if attribute.is_nominal:
        codes, k = column, attribute.num_values
    else:
        cuts = mdl_cuts(column, y, w, num_classes)
        codes = np.where(np.isnan(column), np.nan,
                         np.searchsorted(cuts, column, side="left"))
        k = cuts.size + 1
    missing = np.isnan(codes)
    yi = y.astype(np.intp)
    table = np.zeros((max(k, 1), num_classes))
    np.add.at(table, (codes[~missing].astype(np.intp), yi[~missing]), w[~missing])
    if missing.any():
        lost = np.bincount(yi[missing], weights=w[missing], minlength=num_classes)
        rows = table.sum(axis=1)
        share = rows / rows.sum() if rows.sum() > 0 else np.full(rows.size, 1 / rows.size)
        table += share[:, None] * lost[None, :]
    total = table.sum()
    if total <= 0:
        return 0.0
    prior = float(_entropy(table.sum(axis=0))[0])
    conditional = float((table.sum(axis=1) * _entropy(table)).sum() / total)
    return max(prior - conditional, 0.0)


def _indicators(values: np.ndarray, attribute: Attribute, w: np.ndarray
                ) -> list[tuple[np.ndarray, float]]:
    """The attribute as numeric vectors with their weights (one per nominal value)."""
    missing = np.isnan(values)
    if not attribute.is_nominal:
        mean = np.average(values[~missing], weights=w[~missing]) if (
            (~missing).any() and w[~missing].sum() > 0) else 0.0
        return [(np.where(missing, mean, values), 1.0)]
    parts = []
    total = w[~missing].sum()
    for v in range(attribute.num_values):
        hit = (values == v).astype(np.float64)
        share = float(w[hit > 0].sum() / total) if total > 0 else 0.0
        mean = float(np.average(hit[~missing], weights=w[~missing])) if total > 0 else 0.0
        parts.append((np.where(missing, mean, hit), share))
    return parts


def _pearson(a: np.ndarray, b: np.ndarray, w: np.ndarray) -> float:
    total = w.sum()
    if total <= 0:
        return 0.0
    da = a - np.dot(w, a) / total
    db = b - np.dot(w, b) / total
    denominator = np.sqrt(np.dot(w, da * da) * np.dot(w, db * db))
    return float(np.dot(w, da * db) / denominator) if denominator > 0 else 0.0


def correlation(column: np.ndarray, attribute: Attribute, y: np.ndarray,
                cls: Attribute, w: np.ndarray) -> float:
    """Frequency-weighted absolute correlation between an attribute and the class."""
    merit = 0.0
    for a, wa in _indicators(column, attribute, w):
        for c, wc in _indicators(y, cls, w):
            merit += wa * wc * abs(_pearson(a, c, w))
    return merit
