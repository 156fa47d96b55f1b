"""Naive Bayes, as WEKA's ``weka.classifiers.bayes.NaiveBayes`` computes it.

Each attribute is modelled per class, independently given the class:

- a nominal attribute by WEKA's ``DiscreteEstimator`` with the Laplace correction: every
  value's count starts at 1 and each training instance adds its weight;
- a numeric attribute by WEKA's ``NormalEstimator``: one normal distribution per class
  over values rounded to a *precision*. The precision is the mean gap between adjacent
  distinct training values of the attribute (all classes together; ``deltaSum /
  distinct`` in ``buildClassifier``, i.e. (max - min) / (distinct values - 1)), or 0.01
  with fewer than two distinct values. Values are rounded to multiples of it, the
  standard deviation is the weighted population one, never below precision / 6 (and left
  at precision / 6 when it is ~0), and the density of a value is the probability of its
  precision interval divided by the precision.

The class prior is Laplace-corrected the same way. Missing attribute values are skipped
both in training and in prediction; instance weights count everywhere. Prediction
multiplies the prior by each attribute's probability (each at least 1e-75), rescaling by
1e75 when every class falls below 1e-75, exactly as ``distributionForInstance`` does.

WEKA's kernel estimator (-K) and supervised discretisation (-D) are not provided.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np
from scipy.special import ndtr

from workbench.classifiers.base import Classifier
from workbench.classifiers.capabilities import Capabilities
from workbench.classifiers.modelfile import stored_array
from workbench.core.errors import WorkbenchError
from workbench.core.progress import CancelToken, ProgressCallback, check, report
from workbench.data.dataset import Dataset

DEFAULT_PRECISION = 0.01


def numeric_precision(values: np.ndarray) -> float:
    """WEKA's precision of a numeric attribute: the mean gap between adjacent distinct
    known values, summed left to right as Java does; 0.01 with fewer than two."""
    distinct = np.unique(values[~np.isnan(values)])
    if distinct.size < 2:
        return DEFAULT_PRECISION
    return float(np.cumsum(np.diff(distinct))[-1] / (distinct.size - 1))


def _round(values: np.ndarray, precision: float) -> np.ndarray:
    """``NormalEstimator.round``: ``Math.rint(x / p) * p`` (rint rounds halves to even)."""
    return np.rint(values / precision) * precision


def _weka_number(value: float, digits: int) -> str:
    """``Utils.doubleToString(value, width, digits).trim()``: HALF_UP rounding of the exact
    binary value, no trailing zeros (the report's formatter, restated here because the
    classifiers sit below the evaluation layer)."""
    value = float(value)
    if not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    rounded = Decimal(value).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    text = format(abs(rounded), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    negative = rounded.is_signed() or (rounded == 0 and math.copysign(1.0, value) < 0)
    return ("-" if negative else "") + text


def _java_double(value: float) -> str:
    """Java's ``"" + double`` for the counts WEKA prints (3.0, 2.5, 1.0E7)."""
    value = float(value)
    if math.isfinite(value) and value == int(value) and abs(value) < 1e7:
        return f"{value:.1f}"
    text = repr(value)
    if "e" in text:
        mantissa, exponent = text.split("e")
        if "." not in mantissa:
            mantissa += ".0"
        text = f"{mantissa}E{int(exponent)}"
    return text


class NaiveBayes(Classifier):
    """Naive Bayes (WEKA's NaiveBayes): Laplace-corrected counts for nominal attributes and
    a normal distribution per class for numeric ones, with WEKA's precision handling."""

    name = "naive-bayes"
    display_name = "NaiveBayes"
    category = "bayes"
    aliases = ("NaiveBayes",)
    capabilities = Capabilities(date_attributes=False, min_instances=0)
    params = ()

    def __init__(self, **values: Any) -> None:
        super().__init__(**values)
        self.prior_counts_ = np.zeros(0)
        # Per non-class attribute, in header order: ("nominal", counts[class, value]) or
        # ("numeric", stats[4, class]) with rows mean, std. dev., weight sum, precision.
        self.estimators_: list[tuple[str, np.ndarray]] = []

    # Learning ---------------------------------------------------------------------------
    def _fit(self, data: Dataset, progress: ProgressCallback | None,
             cancel: CancelToken | None) -> None:
        n_classes = len(self.classes_)
        y = data.class_values.astype(np.intp)
        w = data.weights
        prior = np.ones(n_classes)
        np.add.at(prior, y, w)
        estimators: list[tuple[str, np.ndarray]] = []
        values = data.dense_values()
        for i, attribute in enumerate(data.attributes):
            if i == data.class_index:
                continue
            check(cancel)
            column = values[:, i]
            known = ~np.isnan(column)
            if attribute.is_nominal:
                counts = np.ones((n_classes, attribute.num_values))
                np.add.at(counts, (y[known], column[known].astype(np.intp)), w[known])
                estimators.append(("nominal", counts))
            elif attribute.is_numeric:
                estimators.append(("numeric", _normal_stats(column, y, w, n_classes)))
            else:
                raise WorkbenchError(f"{self.title} cannot model attribute "
                                     f"'{attribute.name}' of type {attribute.type}")
        self.prior_counts_ = prior
        self.estimators_ = estimators
        report(progress, 1.0, f"counted {data.num_instances} instances")

    # Prediction -------------------------------------------------------------------------
    def _predict_proba(self, data: Dataset) -> np.ndarray:
        n = data.num_instances
        prior = self.prior_counts_
        total = prior.sum()
        probs = np.tile(prior / total if total != 0 else np.zeros_like(prior), (n, 1))
        values = data.dense_values()
        columns = [i for i in range(len(data.attributes)) if i != data.class_index]
        for i, (kind, stats) in zip(columns, self.estimators_, strict=True):
            column = values[:, i]
            known = ~np.isnan(column)
            if not known.any():
                continue
            x = column[known]
            if kind == "nominal":
                sums = stats.sum(axis=1)
                p = stats[:, x.astype(np.intp)].T / sums
            else:
                p = _normal_probability(stats, x)
            part = probs[known] * np.maximum(1e-75, p)
            top = part.max(axis=1)
            underflow = (top > 0) & (top < 1e-75)
            part[underflow] *= 1e75
            probs[known] = part
        sums = probs.sum(axis=1, keepdims=True)
        if np.any(sums == 0) or np.isnan(sums).any():
            raise WorkbenchError(f"{self.title}: the class probabilities of an instance "
                                 f"could not be normalised")
        return probs / sums

    # Description and model files --------------------------------------------------------
    def _describe(self) -> str:
        header = self._require_fitted()
        cls = header.class_attribute
        assert cls is not None
        labels = list(self.classes_)
        n_classes = len(labels)
        prior = self.prior_counts_ / self.prior_counts_.sum()
        attributes = [a for i, a in enumerate(header.attributes) if i != header.class_index]

        max_width = max((len(c) for c in labels), default=0)
        max_att = 0
        for attribute in attributes:
            max_att = max(max_att, len(attribute.name))
            if attribute.is_nominal:
                max_att = max([max_att, *(len(v) + 2 for v in attribute.values)])
        for kind, stats in self.estimators_:
            for j in range(n_classes):
                if kind == "numeric":
                    with np.errstate(divide="ignore"):
                        mean = float(np.log10(abs(stats[0, j])))
                        prec = float(np.log10(abs(stats[3, j])))
                    width = mean if mean > prec else prec
                    if width < 0:
                        width = 1
                    max_width = max(max_width, int(width + 6.0))
                else:
                    sizes = [len(_java_double(c)) for c in stats[j]]
                    max_width = max([max_width, len(_java_double(stats[j].sum())), *sizes])
        priors = ["(" + _weka_number(p, 2) + ")" for p in prior]
        max_width = max([max_width, *(len(p) for p in priors)])
        max_att = max(max_att, len("Attribute"), len("  weight sum")) + 2

        def cells(texts: list[str]) -> str:
            return "".join(t.rjust(max_width + 1) for t in texts)

        def number(value: float) -> str:
            return _weka_number(value, 4)

        lines = ["Naive Bayes Classifier", "",
                 "Class".rjust(max_att + max_width + 1),
                 "Attribute".ljust(max_att) + cells(labels),
                 " " * max_att + cells(priors),
                 "=" * (max_att + max_width * n_classes + n_classes + 1)]
        for attribute, (kind, stats) in zip(attributes, self.estimators_, strict=True):
            lines.append(attribute.name)
            if kind == "numeric":
                for label, row in (("  mean", 0), ("  std. dev.", 1), ("  weight sum", 2),
                                   ("  precision", 3)):
                    lines.append(label.ljust(max_att + 1)
                                 + cells([number(v) for v in stats[row]]))
            else:
                for k, value in enumerate(attribute.values):
                    lines.append(("  " + value).ljust(max_att + 1)
                                 + cells([_java_double(c) for c in stats[:, k]]))
                lines.append("  [total]".ljust(max_att + 1)
                             + cells([_java_double(s) for s in stats.sum(axis=1)]))
            lines.append("")
        return "\n".join(lines) + "\n"

    def _state(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        arrays = {"prior": self.prior_counts_}
        for k, (kind, stats) in enumerate(self.estimators_):
            arrays[f"{kind}.{k}"] = stats
        return {"kinds": [kind for kind, _ in self.estimators_]}, arrays

    def _set_state(self, meta: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> None:
        header = self._require_fitted()
        n_classes = len(self.classes_)
        prior = stored_array(arrays, "prior", 1).astype(np.float64)
        if prior.shape != (n_classes,):
            raise WorkbenchError("the stored class counts do not match the class labels")
        attributes = [a for i, a in enumerate(header.attributes) if i != header.class_index]
        kinds = list(meta.get("kinds", []))
        if len(kinds) != len(attributes):
            raise WorkbenchError("the stored estimators do not match the attributes")
        estimators: list[tuple[str, np.ndarray]] = []
        for k, (kind, attribute) in enumerate(zip(kinds, attributes, strict=True)):
            if kind == "nominal" and attribute.is_nominal:
                shape: tuple[int, ...] = (n_classes, attribute.num_values)
            elif kind == "numeric" and attribute.is_numeric:
                shape = (4, n_classes)
            else:
                raise WorkbenchError(f"stored estimator {k} does not fit attribute "
                                     f"'{attribute.name}'")
            stats = stored_array(arrays, f"{kind}.{k}", 2).astype(np.float64)
            if stats.shape != shape:
                raise WorkbenchError(f"stored estimator {k} has shape {stats.shape}, "
                                     f"expected {shape}")
            estimators.append((kind, stats))
        self.prior_counts_ = prior
        self.estimators_ = estimators


def _normal_stats(column: np.ndarray, y: np.ndarray, w: np.ndarray, n_classes: int
                  ) -> np.ndarray:
    """NormalEstimator per class: rows mean, std. dev., weight sum, precision."""
    precision = numeric_precision(column)
    use = ~np.isnan(column) & (w != 0)
    x = _round(column[use], precision)
    cy, cw = y[use], w[use]
    sum_w, sum_v, sum_sq = np.zeros(n_classes), np.zeros(n_classes), np.zeros(n_classes)
    np.add.at(sum_w, cy, cw)
    np.add.at(sum_v, cy, x * cw)
    np.add.at(sum_sq, cy, x * x * cw)
    mean = np.zeros(n_classes)
    std = np.full(n_classes, precision / (2 * 3))
    seen = sum_w > 0
    mean[seen] = sum_v[seen] / sum_w[seen]
    with np.errstate(invalid="ignore", divide="ignore"):
        spread = np.sqrt(np.abs(sum_sq - mean * sum_v) / sum_w)
    wide = seen & (spread > 1e-10)
    std[wide] = np.maximum(precision / (2 * 3), spread[wide])
    return np.vstack([mean, std, sum_w, np.full(n_classes, precision)])


def _normal_probability(stats: np.ndarray, x: np.ndarray) -> np.ndarray:
    """``NormalEstimator.getProbability`` of values ``x`` under every class, (n, classes)."""
    mean, std, precision = stats[0], stats[1], stats[3]
    rounded = np.rint(x[:, None] / precision) * precision
    lower = ndtr((rounded - mean - precision / 2) / std)
    upper = ndtr((rounded - mean + precision / 2) / std)
    return (upper - lower) / precision


def register(registry: Any) -> None:
    registry.add(NaiveBayes)
