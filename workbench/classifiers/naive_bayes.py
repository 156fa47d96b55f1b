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

- with ``-K`` (``kernel``), a numeric attribute by WEKA's ``KernelEstimator``: one normal
  kernel per distinct rounded training value of the class, weighted by its count, with
  standard deviation range / sqrt(weight sum) (at least precision / 6); a probability
  sums the kernels outwards from the nearest value and stops where the rest can add
  less than 1 % (``MAX_ERROR``), exactly as WEKA does, so WEKA's numbers come out;
- with ``-D`` (``discretize``), numeric attributes are first discretised by WEKA's
  supervised Discretize (Fayyad & Irani's MDL, learned on the training data) and then
  counted like nominal ones.

The class prior is Laplace-corrected the same way. Missing attribute values are skipped
both in training and in prediction; instance weights count everywhere. Prediction
multiplies the prior by each attribute's probability (each at least 1e-75), rescaling by
1e75 when every class falls below 1e-75, exactly as ``distributionForInstance`` does.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from itertools import pairwise
from typing import Any

import numpy as np
from scipy.special import ndtr

from workbench.classifiers.base import Classifier
from workbench.classifiers.capabilities import Capabilities
from workbench.classifiers.modelfile import stored_array
from workbench.core.errors import WorkbenchError
from workbench.core.params import Param
from workbench.core.progress import CancelToken, ProgressCallback, check, report
from workbench.core.weka.javaformat import double_to_string
from workbench.data.dataset import Attribute, Dataset
from workbench.filters.discretize import Discretize

DEFAULT_PRECISION = 0.01
KERNEL_MAX_ERROR = 0.01       # KernelEstimator.MAX_ERROR
SMALLEST_PRECISION = 1e-6     # Utils.SMALL, the least precision a KernelEstimator takes


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
    a normal distribution per class for numeric ones, with WEKA's precision handling
    (or WEKA's kernel density estimator with -K, or supervised discretisation with -D)."""

    name = "naive-bayes"
    display_name = "NaiveBayes"
    category = "bayes"
    aliases = ("NaiveBayes",)
    capabilities = Capabilities(date_attributes=False, min_instances=0)
    kernel = Param.boolean(False, "Model numeric attributes with a kernel density "
                           "estimator (one normal kernel per distinct training value) instead of "
                           "one normal distribution per class", letter="K")
    discretize = Param.boolean(False, "Turn numeric attributes into intervals first, by "
                               "supervised (MDL) discretisation learned on the training data",
                               letter="D")

    def __init__(self, **values: Any) -> None:
        super().__init__(**values)
        self.prior_counts_ = np.zeros(0)
        # Per non-class attribute, in header order: ("nominal", counts[class, value]),
        # ("numeric", stats[4, class]) with rows mean, std. dev., weight sum, precision,
        # or ("kernel", kernels[1 + m, 3]): row 0 holds the precision, then one row
        # (class, rounded value, weight) per kernel, sorted by class and value.
        self.estimators_: list[tuple[str, np.ndarray]] = []
        self.discretizer_: Discretize | None = None

    # Learning ---------------------------------------------------------------------------
    def _fit(self, data: Dataset, progress: ProgressCallback | None,
             cancel: CancelToken | None) -> None:
        if self.kernel and self.discretize:
            raise WorkbenchError(f"{self.title} cannot use kernel density estimation and "
                                 f"discretisation together (-K or -D, not both)")
        self.discretizer_ = None
        if self.discretize:
            self.discretizer_ = Discretize(method="mdl").fit(data)
            data = self.discretizer_.transform(data)
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
            elif attribute.is_numeric and self.kernel:
                estimators.append(("kernel", _kernel_stats(column, y, w)))
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
        if self.discretizer_ is not None:
            data = self.discretizer_.transform(data)
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
            elif kind == "kernel":
                p = _kernel_probability(stats, x, len(self.classes_))
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
    def describe(self) -> str:
        """The model text with WEKA's trailing blank line: NaiveBayes.toString() ends
        every attribute's block with one, the last included, and WEKA's command line and
        Explorer print it (``Classifier.describe`` trims trailing space)."""
        text = super().describe()
        return text + "\n" if self.is_fitted else text

    def _describe(self) -> str:
        header = self._require_fitted()
        cls = header.class_attribute
        assert cls is not None
        labels = list(self.classes_)
        n_classes = len(labels)
        prior = self.prior_counts_ / self.prior_counts_.sum()
        if self.discretizer_ is not None:
            header = self.discretizer_.transform(header)
        attributes = [a for i, a in enumerate(header.attributes) if i != header.class_index]
        kernels = {k: _kernel_summary(stats, n_classes)
                   for k, (kind, stats) in enumerate(self.estimators_) if kind == "kernel"}

        max_width = max((len(c) for c in labels), default=0)
        max_att = 0
        for attribute in attributes:
            max_att = max(max_att, len(attribute.name))
            if attribute.is_nominal:
                max_att = max([max_att, *(len(v) + 2 for v in attribute.values)])
        for kind, stats in self.estimators_:
            if kind == "kernel":
                for mine in _class_kernels(stats, n_classes):
                    max_att = max(max_att, len(f"K{mine.shape[0]}: mean (weight)"))
                    max_width = max([max_width, *(len(_kernel_cell(m, w)) for m, w in mine)])
                continue
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
        priors = ["(" + double_to_string(p, 2) + ")" for p in prior]
        max_width = max([max_width, *(len(p) for p in priors)])
        max_att = max(max_att, len("Attribute"), len("  weight sum")) + 2

        def cells(texts: list[str]) -> str:
            return "".join(t.rjust(max_width + 1) for t in texts)

        def number(value: float) -> str:
            return double_to_string(value, 4)

        lines = ["Naive Bayes Classifier", "",
                 "Class".rjust(max_att + max_width + 1),
                 "Attribute".ljust(max_att) + cells(labels),
                 " " * max_att + cells(priors),
                 "=" * (max_att + max_width * n_classes + n_classes + 1)]
        for k, (attribute, (kind, stats)) in enumerate(
                zip(attributes, self.estimators_, strict=True)):
            lines.append(attribute.name)
            if kind == "kernel":
                count, std, precision = kernels[k]
                lines.append("  [# kernels]".ljust(max_att + 1)
                             + cells([str(int(c)) for c in count]))
                lines.append("  [std. dev]".ljust(max_att + 1)
                             + cells([number(v) for v in std]))
                lines.append("  [precision]".ljust(max_att + 1)
                             + cells([number(precision)] * n_classes))
                per_class = _class_kernels(stats, n_classes)
                for r in range(max(int(c) for c in count)):
                    lines.append(f"  K{r + 1}: mean (weight)".ljust(max_att + 1) + cells(
                        [_kernel_cell(*mine[r]) if r < mine.shape[0]
                         else ("0" if mine.shape[0] == 0 else "--") for mine in per_class]))
            elif kind == "numeric":
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
        # Packed: a handful of arrays whatever the width, since a model file holds at
        # most MAX_MEMBERS arrays and a bag of words has thousands of attributes.
        arrays = {"prior": self.prior_counts_,
                  **_packed_estimators(self.estimators_, len(self.classes_))}
        meta: dict[str, Any] = {"kinds": [kind for kind, _ in self.estimators_],
                                "packed": True}
        if self.discretizer_ is not None:
            disc_meta, disc_arrays = self.discretizer_.get_state()
            meta["discretizer"] = disc_meta
            arrays.update({f"discretizer.{name}": a for name, a in disc_arrays.items()})
        return meta, arrays

    def _set_state(self, meta: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> None:
        header = self._require_fitted()
        n_classes = len(self.classes_)
        prior = stored_array(arrays, "prior", 1, nonnegative=True).astype(np.float64)
        if prior.shape != (n_classes,):
            raise WorkbenchError("the stored class counts do not match the class labels")
        self.discretizer_ = None
        if self.discretize:
            disc_meta = meta.get("discretizer")
            if not isinstance(disc_meta, Mapping):
                raise WorkbenchError("the stored model lacks its discretisation")
            self.discretizer_ = Discretize(method="mdl")
            self.discretizer_.set_state(
                disc_meta, {name.removeprefix("discretizer."): a for name, a in arrays.items()
                            if name.startswith("discretizer.")}, header)
            header = self.discretizer_.transform(header)
        attributes = [a for i, a in enumerate(header.attributes) if i != header.class_index]
        kinds = list(meta.get("kinds", []))
        if len(kinds) != len(attributes):
            raise WorkbenchError("the stored estimators do not match the attributes")
        for k, (kind, attribute) in enumerate(zip(kinds, attributes, strict=True)):
            if not ((kind == "nominal" and attribute.is_nominal)
                    or (kind in ("numeric", "kernel") and attribute.is_numeric)):
                raise WorkbenchError(f"stored estimator {k} does not fit attribute "
                                     f"'{attribute.name}'")
        # Files saved before the estimators were packed hold one array per attribute.
        stored = (_unpacked_estimators(arrays, kinds, attributes, n_classes)
                  if meta.get("packed") is True
                  else [stored_array(arrays, f"{kind}.{k}", 2).astype(np.float64)
                        for k, kind in enumerate(kinds)])
        estimators: list[tuple[str, np.ndarray]] = []
        for k, (kind, attribute, stats) in enumerate(
                zip(kinds, attributes, stored, strict=True)):
            if kind == "kernel":
                if (stats.ndim != 2 or stats.shape[0] < 1 or stats.shape[1] != 3
                        or not np.all(np.isfinite(stats))
                        or ((stats[1:, 0] < 0) | (stats[1:, 0] >= n_classes)).any()
                        or not stats[0, 0] > 0):
                    raise WorkbenchError(f"stored kernel estimator {k} is malformed")
            else:
                shape = ((n_classes, attribute.num_values) if kind == "nominal"
                         else (4, n_classes))
                if stats.shape != shape:
                    raise WorkbenchError(f"stored estimator {k} has shape {stats.shape}, "
                                         f"expected {shape}")
            estimators.append((kind, stats))
        self.prior_counts_ = prior
        self.estimators_ = estimators


def _packed_estimators(estimators: list[tuple[str, np.ndarray]], n_classes: int
                       ) -> dict[str, np.ndarray]:
    """The estimators as four arrays, in attribute order within each kind: ``numeric``
    (attribute, 4, class); ``nominal`` (class, value), every nominal attribute's counts
    side by side (each as wide as the header says it has values); ``kernel`` (row, 3),
    every kernel attribute's rows one after another, attribute k's from
    ``kernel_offsets[k]`` to ``kernel_offsets[k + 1]``."""
    def of(kind: str) -> list[np.ndarray]:
        return [stats for name, stats in estimators if name == kind]

    numeric, nominal, kernel = of("numeric"), of("nominal"), of("kernel")
    offsets = np.zeros(len(kernel) + 1, dtype=np.int64)
    offsets[1:] = np.cumsum([stats.shape[0] for stats in kernel], dtype=np.int64)
    return {"numeric": np.stack(numeric) if numeric else np.zeros((0, 4, n_classes)),
            "nominal": (np.concatenate(nominal, axis=1) if nominal
                        else np.zeros((n_classes, 0))),
            "kernel": np.concatenate(kernel) if kernel else np.zeros((0, 3)),
            "kernel_offsets": offsets}


def _unpacked_estimators(arrays: Mapping[str, np.ndarray], kinds: list[str],
                         attributes: list[Attribute], n_classes: int) -> list[np.ndarray]:
    """Each attribute's estimator out of ``_packed_estimators``' arrays, checked to hold
    exactly what the kinds and the header ask for (shapes per attribute are checked by
    the caller)."""
    numeric = stored_array(arrays, "numeric", 3).astype(np.float64)
    nominal = stored_array(arrays, "nominal", 2).astype(np.float64)
    kernel = stored_array(arrays, "kernel", 2).astype(np.float64)
    offsets = stored_array(arrays, "kernel_offsets", 1)
    widths = [a.num_values for kind, a in zip(kinds, attributes, strict=True)
              if kind == "nominal"]
    if numeric.shape != (kinds.count("numeric"), 4, n_classes):
        raise WorkbenchError(f"the stored normal estimators have shape {numeric.shape}, "
                             f"expected {(kinds.count('numeric'), 4, n_classes)}")
    if nominal.shape != (n_classes, sum(widths)):
        raise WorkbenchError(f"the stored value counts have shape {nominal.shape}, "
                             f"expected {(n_classes, sum(widths))}")
    if kernel.shape[1:] != (3,) or offsets.dtype.kind not in "iu" \
            or offsets.shape != (kinds.count("kernel") + 1,) or offsets[0] != 0 \
            or offsets[-1] != kernel.shape[0] or np.any(np.diff(offsets) < 1):
        raise WorkbenchError("the stored kernels do not match their offsets (expected "
                             "one rising offset per kernel attribute, from 0 to the "
                             "number of kernel rows)")
    starts = np.cumsum([0, *widths])
    pieces = {"numeric": iter(numeric),
              "nominal": iter(nominal[:, a:b] for a, b in pairwise(starts)),
              "kernel": iter(kernel[a:b] for a, b in pairwise(offsets))}
    return [next(pieces[kind]) for kind in kinds]


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


def _kernel_stats(column: np.ndarray, y: np.ndarray, w: np.ndarray) -> np.ndarray:
    """KernelEstimator per class after every ``addValue``: distinct rounded values and
    their summed weights, as rows (class, value, weight) under a row with the precision."""
    precision = max(numeric_precision(column), SMALLEST_PRECISION)
    use = ~np.isnan(column) & (w != 0)
    rounded = np.rint(column[use] / precision) * precision
    keys = np.column_stack([y[use].astype(np.float64), rounded])
    distinct, where = np.unique(keys, axis=0, return_inverse=True)
    weights = np.zeros(distinct.shape[0])
    np.add.at(weights, where.ravel(), w[use])
    head = np.array([[precision, 0.0, 0.0]])
    return np.vstack([head, np.column_stack([distinct, weights])])


def _class_kernels(stats: np.ndarray, n_classes: int) -> list[np.ndarray]:
    """Each class's kernels as rows (mean, weight), in increasing order."""
    rows = stats[1:]
    return [rows[rows[:, 0] == c][:, 1:] for c in range(n_classes)]


def _kernel_cell(mean: float, weight: float) -> str:
    """WEKA's "mean (weight)" cell: 4 decimals for the mean, 1 for the weight."""
    return f"{double_to_string(mean, 4)} ({double_to_string(weight, 1)})"


def _kernel_summary(stats: np.ndarray, n_classes: int
                    ) -> tuple[np.ndarray, np.ndarray, float]:
    """Per class: number of kernels and their standard deviation; and the precision."""
    precision = float(stats[0, 0])
    rows = stats[1:]
    counts, stds = np.zeros(n_classes), np.full(n_classes, precision / 6)
    for c in range(n_classes):
        mine = rows[rows[:, 0] == c]
        counts[c] = mine.shape[0]
        spread = mine[-1, 1] - mine[0, 1] if mine.shape[0] else 0.0
        if spread > 0:
            stds[c] = max(spread / math.sqrt(mine[:, 2].sum()), precision / 6)
    return counts, stds, precision


def _kernel_probability(stats: np.ndarray, x: np.ndarray, n_classes: int) -> np.ndarray:
    """``KernelEstimator.getProbability`` of values ``x`` under every class, (n, classes).

    WEKA adds kernels outwards from the nearest stored value, first upwards then
    downwards, and stops a direction once the kernel just added, times the weight not yet
    visited, is below 1 % of the sum so far. The cut changes the last digits, so it is
    reproduced: each direction is one cumulative sum, and the stop is the first index
    where the condition holds.
    """
    precision = float(stats[0, 0])
    rows = stats[1:]
    half = precision / 2
    out = np.zeros((x.shape[0], n_classes))
    rounded = np.rint(x / precision) * precision
    for c in range(n_classes):
        mine = rows[rows[:, 0] == c]
        values, weights = mine[:, 1], mine[:, 2]
        total = float(weights.sum())
        if values.size == 0:
            std = precision / 6
            out[:, c] = ndtr((rounded + half) / std) - ndtr((rounded - half) / std)
            continue
        spread = values[-1] - values[0]
        std = max(spread / math.sqrt(total), precision / 6) if spread > 0 else precision / 6
        starts = np.searchsorted(values, rounded, side="left")
        for i, (point, start) in enumerate(zip(rounded, starts, strict=True)):
            delta = values - point
            kernel = ndtr((delta + half) / std) - ndtr((delta - half) / std)
            mass = kernel * weights
            up_sum = np.cumsum(mass[start:])
            up_weight = np.cumsum(weights[start:])
            stop = np.flatnonzero(kernel[start:] * (total - up_weight)
                                  < up_sum * KERNEL_MAX_ERROR)
            used = stop[0] + 1 if stop.size else up_sum.size
            acc = float(up_sum[used - 1]) if used else 0.0
            seen = float(up_weight[used - 1]) if used else 0.0
            if start > 0:
                # Continue WEKA's running sums (not acc + a separate sum: the rounding
                # differs in the last bit).
                down_sum = np.cumsum(np.concatenate([[acc], mass[start - 1::-1]]))[1:]
                down_weight = np.cumsum(np.concatenate([[seen], weights[start - 1::-1]]))[1:]
                down_kernel = kernel[start - 1::-1]
                stop = np.flatnonzero(down_kernel * (total - down_weight)
                                      < down_sum * KERNEL_MAX_ERROR)
                acc = float(down_sum[stop[0] if stop.size else down_sum.size - 1])
            out[i, c] = acc / (total * precision)
    return out


def _normal_probability(stats: np.ndarray, x: np.ndarray) -> np.ndarray:
    """``NormalEstimator.getProbability`` of values ``x`` under every class, (n, classes)."""
    mean, std, precision = stats[0], stats[1], stats[3]
    rounded = np.rint(x[:, None] / precision) * precision
    lower = ndtr((rounded - mean - precision / 2) / std)
    upper = ndtr((rounded - mean + precision / 2) / std)
    return (upper - lower) / precision


def register(registry: Any) -> None:
    registry.add(NaiveBayes)
