"""Discretize: numeric attributes into intervals, by equal width, equal frequency or MDL.

The cut points are learned from the training data; every later value falls into the
interval that contains it, labelled as WEKA labels them (``(-inf-4.95]``,
``(4.95-5.55]``, ``(5.55-inf)``; ``All`` when there is no cut).

- ``equal-width``: ``bins`` intervals of the same width between the training minimum and
  maximum.
- ``equal-frequency``: WEKA's greedy rule, cut points half-way between neighbouring
  distinct values where each interval's weight comes nearest an equal share (ties keep
  identical values together, so there may be fewer intervals).
- ``mdl``: supervised, Fayyad & Irani's recursive entropy split with their MDL stopping
  rule, as WEKA's supervised Discretize does it (weighted counts, every boundary between
  distinct values a candidate, first best cut on ties). Needs a nominal class.

Written by hand: scikit-learn's ``KBinsDiscretizer`` refuses missing values, cannot
weight the equal-width case, and has no MDL method.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from workbench.core.params import Param
from workbench.core.weka.javaformat import double_to_string
from workbench.data.dataset import Attribute, AttributeType, Dataset
from workbench.filters.base import Filter, FilterError, dates_left, dense, with_values
from workbench.filters.ranges import parse_range


class Discretize(Filter):
    """Turns numeric attributes into nominal intervals (equal width, equal frequency or
    supervised MDL).

    ``bins`` applies to the unsupervised methods. Missing values stay missing; the class
    is never discretized.
    """

    name = "discretize"
    display_name = "Discretize"
    aliases = ("Discretize",)
    method = Param.choice("equal-width", ("equal-width", "equal-frequency", "mdl"),
                          "how cut points are chosen (mdl: Fayyad & Irani, needs a nominal "
                          "class)", flags={"F": "equal-frequency"})
    bins = Param.integer(10, "number of intervals (unsupervised methods)", low=1,
                         letter="B")
    attribute_indices = Param.text("first-last", "attributes to discretize (WEKA "
                                   "range)", letter="R")
    invert = Param.boolean(False, "discretize the attributes not in the range",
                           letter="V")
    state_fields = ("columns_", "cuts_")

    def __init__(self, **values: Any) -> None:
        super().__init__(**values)
        self.columns_: list[int] = []
        self.cuts_: list[np.ndarray] = []

    def needs_class(self) -> bool:
        return self.method == "mdl"

    def _fit(self, data: Dataset) -> None:
        chosen = parse_range(self.attribute_indices, data.num_attributes, invert=self.invert)
        self.columns_ = [j for j in chosen if j != data.class_index
                         and data.attributes[j].type is AttributeType.NUMERIC]
        if self.method == "mdl":
            cls = data.class_attribute
            if cls is None or not cls.is_nominal:
                raise FilterError(f"{self.title}: the mdl method needs a nominal class in "
                                  f"'{data.relation}' (choose the class attribute first)")
        X, w = dense(data), data.weights
        self.cuts_ = []
        for j in self.columns_:
            if self.method == "equal-width":
                cuts = equal_width_cuts(X[:, j], self.bins)
            elif self.method == "equal-frequency":
                cuts = equal_frequency_cuts(X[:, j], w, self.bins)
            else:
                assert data.class_attribute is not None
                cuts = mdl_cuts(X[:, j], data.class_values, w,
                                data.class_attribute.num_values)
            self.cuts_.append(np.asarray(cuts, dtype=np.float64))

    def _transform(self, data: Dataset) -> Dataset:
        X = dense(data).copy()
        attributes = list(data.attributes)
        for j, cuts in zip(self.columns_, self.cuts_, strict=True):
            cuts = np.asarray(cuts, dtype=np.float64)
            attributes[j] = Attribute.nominal(data.attributes[j].name, interval_labels(cuts))
            column = X[:, j]
            codes = np.searchsorted(cuts, column, side="left").astype(np.float64)
            X[:, j] = np.where(np.isnan(column), np.nan, codes)
        return with_values(data, X, attributes)

    def _describe(self) -> str:
        header = self._require_fitted()
        lines = []
        for j, cuts in zip(self.columns_, self.cuts_, strict=True):
            shown = ", ".join(f"{c:.6g}" for c in cuts) or "none"
            lines.append(f"  {header.attributes[j].name}: cut points {shown}")
        text = (f"Cut points ({self.method}):\n" + "\n".join(lines) if lines
                else "No numeric attributes.")
        return "\n".join([text, *self.weka_differences()])

    def weka_differences(self) -> list[str]:
        """WEKA bins a date as the number of milliseconds it is (labels such as
        ``'(-inf-1707212160000]'``); intervals of a date are better made on purpose
        (AddExpression, or the date's parts), so a date is left as it is, and said."""
        header = self._require_fitted()
        chosen = parse_range(self.attribute_indices, header.num_attributes,
                             invert=self.invert)
        return dates_left(self.title, header, [j for j in chosen
                                               if j != header.class_index])




class SupervisedDiscretize(Discretize):
    """Discretize by Fayyad & Irani's MDL criterion, as WEKA's supervised Discretize.

    The same filter as ``discretize --method mdl``; it exists so that WEKA's full name
    ``weka.filters.supervised.attribute.Discretize`` (pasted from WEKA's command lines)
    picks WEKA's supervised defaults rather than the unsupervised filter's ten bins.
    """

    name = "supervised-discretize"
    display_name = "Discretize (supervised)"
    aliases = ("weka.filters.supervised.attribute.Discretize",)
    method = Param.choice("mdl", ("equal-width", "equal-frequency", "mdl"),
                          "how cut points are chosen (mdl: Fayyad & Irani, needs a nominal "
                          "class)", flags={"F": "equal-frequency"})


def interval_labels(cuts: np.ndarray) -> list[str]:
    """WEKA's interval names for the given cut points.

    WEKA 3.9 writes the quotes into the name itself (``'(-inf-4.66]'``, ``'All'``), so
    its ARFF output reads ``'\\'(-inf-4.66]\\''``; users compare files and model texts
    with WEKA's, so ours carry them too.
    """
    if cuts.size == 0:
        return ["'All'"]
    edges = ["-inf", *(double_to_string(c, 6) for c in cuts), "inf"]
    labels = [f"({edges[i]}-{edges[i + 1]}]" for i in range(len(edges) - 2)]
    labels.append(f"({edges[-2]}-inf)")
    if len(set(labels)) != len(labels):  # cut points closer than six decimals
        edges = ["-inf", *(repr(float(c)) for c in cuts), "inf"]
        labels = [f"({edges[i]}-{edges[i + 1]}]" for i in range(len(edges) - 2)]
        labels.append(f"({edges[-2]}-inf)")
    return [f"'{label}'" for label in labels]


# Up to this many bins (or as many as there are known values) every one of WEKA's
# ``bins - 1`` cuts is kept, empty bins included, so that test values and the header's
# labels are WEKA's; beyond it only a user's typo or a stranger's file asks for them.
WEKA_BINS_KEPT = 4096


def equal_width_cuts(values: np.ndarray, bins: int) -> np.ndarray:
    """``bins - 1`` evenly spaced cut points between the known minimum and maximum.

    Beyond ``WEKA_BINS_KEPT`` bins and the number of known values, WEKA's ``bins - 1``
    cuts would be an array as long as the bin count (``-B 2147483647``: 16 GiB) of
    which nearly every bin is empty; then only the cuts that end a bin holding a value
    are kept: every training value falls in the interval it falls in WEKA's, and the
    empty ones are merged into the next."""
    known = values[~np.isnan(values)]
    if known.size == 0 or bins < 2:
        return np.zeros(0)
    low, high = float(known.min()), float(known.max())
    if high <= low:
        return np.zeros(0)
    width = (high - low) / bins
    if bins <= max(known.size, WEKA_BINS_KEPT):
        return low + width * np.arange(1, bins)
    # The bin of each value: how many of WEKA's cuts ``low + width * k`` lie below it,
    # found by division and corrected against those cuts as WEKA computes them.
    k = np.clip(np.ceil((known - low) / width) - 1, 0, bins - 1)
    for _ in range(2):
        k = np.where((k > 0) & (low + width * k >= known), k - 1, k)
        k = np.where((k < bins - 1) & (low + width * (k + 1) < known), k + 1, k)
    occupied = np.unique(k)
    return low + width * (occupied[occupied < bins - 1] + 1)


def equal_frequency_cuts(values: np.ndarray, weights: np.ndarray, bins: int) -> np.ndarray:
    """WEKA's equal-frequency cut points: a greedy walk over the sorted distinct values.

    A bin closes at the first boundary where its weight reaches the target
    (``total / bins``), or at the boundary before when that one was nearer the target;
    the target is then recomputed from the weight left over the bins left. Every cut
    is half-way between two neighbouring distinct values. This is WEKA's own rule
    (``Discretize.calculateCutPointsByEqualFrequencyBinning``), not plain quantiles:
    quantiles put iris's petal-length cut at 4.95 where WEKA puts it at 4.85. One pass
    over the distinct values, so ``-B 2147483647`` costs no more than one bin a value.
    """
    known = ~np.isnan(values)
    if not known.any() or bins < 2:
        return np.zeros(0)
    distinct, inverse = np.unique(values[known], return_inverse=True)
    if distinct.size < 2:
        return np.zeros(0)
    mass = np.bincount(inverse, weights=weights[known], minlength=distinct.size).tolist()
    points = distinct.tolist()
    remaining = float(sum(mass))
    if remaining <= 0:
        return np.zeros(0)
    most = bins - 1
    target = remaining / bins
    cuts: list[float] = []
    counter = last = 0.0
    last_index = -1
    for i in range(len(points) - 1):       # each boundary between distinct values
        if len(cuts) == most:
            break
        counter += mass[i]
        remaining -= mass[i]
        if counter >= target:
            if target - last < counter - target and last_index != -1:
                cuts.append((points[last_index] + points[last_index + 1]) / 2.0)
                counter -= last
                last = counter
                last_index = i
            else:
                cuts.append((points[i] + points[i + 1]) / 2.0)
                counter = last = 0.0
                last_index = -1
            target = (remaining + counter) / (bins - len(cuts))
        else:
            last_index = i
            last = counter
    if len(cuts) < most and last_index != -1:   # another possible cut was left over
        cuts.append((points[last_index] + points[last_index + 1]) / 2.0)
    return np.asarray(cuts, dtype=np.float64)


def mdl_cuts(values: np.ndarray, classes: np.ndarray, weights: np.ndarray,
             num_classes: int) -> np.ndarray:
    """Fayyad & Irani's MDL cut points of one attribute, sorted."""
    known = ~np.isnan(values) & ~np.isnan(classes)
    if known.sum() < 2 or num_classes == 0:
        return np.zeros(0)
    order = np.argsort(values[known], kind="stable")
    v = values[known][order]
    y = classes[known][order].astype(np.intp)
    w = weights[known][order]
    onehot = np.zeros((v.size, num_classes))
    onehot[np.arange(v.size), y] = w
    cumulative = np.vstack([np.zeros(num_classes), np.cumsum(onehot, axis=0)])
    cuts: list[float] = []
    _split(v, cumulative, 0, v.size, cuts)
    return np.asarray(sorted(cuts), dtype=np.float64)


def _entropy(counts: np.ndarray) -> np.ndarray:
    """Entropy in bits of each row of class counts (0 for an empty row)."""
    counts = np.atleast_2d(counts)
    totals = counts.sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(totals > 0, counts / np.where(totals > 0, totals, 1), 0.0)
        terms = np.where(p > 0, p * np.log2(np.where(p > 0, p, 1)), 0.0)
    return -terms.sum(axis=1)


def _split(v: np.ndarray, cumulative: np.ndarray, first: int, stop: int,
           cuts: list[float]) -> None:
    """Add the accepted cut points of ``v[first:stop]`` to ``cuts`` (recursively)."""
    # Candidates: boundaries i (cut between v[i-1] and v[i]) where the value changes.
    boundaries = np.flatnonzero(v[first + 1:stop] > v[first:stop - 1]) + first + 1
    if boundaries.size == 0:
        return
    prior = cumulative[stop] - cumulative[first]
    total = prior.sum()
    if total <= 0:
        return
    left = cumulative[boundaries] - cumulative[first]
    right = prior - left
    left_w, right_w = left.sum(axis=1), right.sum(axis=1)
    conditional = (left_w * _entropy(left) + right_w * _entropy(right)) / total
    best = int(np.argmin(conditional))
    prior_entropy = float(_entropy(prior)[0])
    gain = prior_entropy - float(conditional[best])
    if gain <= 0:
        return
    k = int(np.count_nonzero(prior > 0))
    k1 = int(np.count_nonzero(left[best] > 0))
    k2 = int(np.count_nonzero(right[best] > 0))
    delta = (np.log2(3.0 ** k - 2) - (k * prior_entropy - k1 * float(_entropy(left[best])[0])
                                       - k2 * float(_entropy(right[best])[0])))
    if total <= 1 or gain <= (np.log2(total - 1) + delta) / total:
        return
    at = int(boundaries[best])
    cuts.append(float((v[at - 1] + v[at]) / 2.0))
    _split(v, cumulative, first, at, cuts)
    _split(v, cumulative, at, stop, cuts)
