"""Per-attribute summaries, as WEKA's Preprocess panel shows them.

The numbers follow WEKA 3.8's ``Instances.attributeStats``, so a user comparing the two
programs sees the same figures:

- ``missing``, ``distinct`` (different non-missing values) and ``unique`` (values that
  occur exactly once) count instances, unweighted; the percentages are of all instances.
- min, max, mean and standard deviation (numeric and date attributes) are *weighted* by
  instance weight, as WEKA 3.8 adds each distinct value with its summed weight to its
  ``Stats``; the standard deviation divides by (total weight - 1), WEKA's ``Stats``
  formula, which is the ordinary sample standard deviation when all weights are one.
- nominal attributes get a count (unweighted) and a weight (summed) per label, in
  declared order, as the panel's Count and Weight columns.

``summarize`` computes a whole matrix at a time: one column sort gives distinct and
unique counts for every dense attribute at once; a sparse matrix is summarised column
by column from its CSC form, with the implicit zeros counted without being made dense.
``AttributeSummaries`` gives the same figures one attribute at a time, when asked.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, overload

import numpy as np
import scipy.sparse as sp

from workbench.core.errors import WorkbenchError
from workbench.core.weka.javaformat import double_to_string
from workbench.data.dataset import AttributeType, Dataset, format_value
from workbench.data.dates import DEFAULT_DATE_FORMAT, DateError, format_date


@dataclass(frozen=True)
class AttributeSummary:
    """What the Preprocess panel says about one attribute.

    ``minimum`` .. ``std`` are None unless the attribute is numeric or a date (and has a
    value); ``labels``, ``counts`` and ``weights`` are empty unless it is nominal.
    """

    index: int
    name: str
    type: AttributeType
    total: int
    missing: int
    distinct: int
    unique: int
    minimum: float | None = None
    maximum: float | None = None
    mean: float | None = None
    std: float | None = None
    labels: tuple[str, ...] = ()
    counts: tuple[int, ...] = ()
    weights: tuple[float, ...] = field(default=())

    @property
    def missing_percent(self) -> float:
        return 100.0 * self.missing / self.total if self.total else 0.0

    @property
    def unique_percent(self) -> float:
        return 100.0 * self.unique / self.total if self.total else 0.0

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (dates as text in their own pattern, labels with counts)."""
        out: dict[str, Any] = {
            "index": self.index, "name": self.name, "type": self.type.value,
            "missing": self.missing, "missing_percent": round(self.missing_percent, 4),
            "distinct": self.distinct, "unique": self.unique,
            "unique_percent": round(self.unique_percent, 4),
        }
        if self.minimum is not None:
            out.update(minimum=self.minimum, maximum=self.maximum, mean=self.mean, std=self.std)
        if self.type is AttributeType.NOMINAL:
            out["values"] = list(self.labels)
            out["counts"] = list(self.counts)
            out["weights"] = list(self.weights)
        return out


_HUGE = 1e150   # beyond this, squares of values overflow float64


def _finite_or_none(value: float) -> float | None:
    return None if not np.isfinite(value) else float(value)


def _weighted(values: np.ndarray, weights: np.ndarray
              ) -> tuple[float | None, float | None, float | None, float | None]:
    """min, max, mean, std of one column's present values (WEKA's weighted Stats)."""
    if values.size == 0:
        return None, None, None, None
    total = float(weights.sum())
    if total <= 0:
        return float(values.min()), float(values.max()), None, None
    # An infinity in the data (or values near the float limit, whose squares overflow)
    # makes the mean infinite and the spread undefined: that is the answer, shown as
    # such, not a RuntimeWarning printed into the middle of ``info``'s report.
    # Values near the float limit are scaled down first, so that 1e308 and 1e308 have
    # the mean 1e308 rather than an overflow.
    scale = float(np.max(np.abs(values))) if np.all(np.isfinite(values)) else 1.0
    scale = scale if scale > _HUGE else 1.0
    with np.errstate(invalid="ignore", over="ignore"):
        scaled = values / scale if scale != 1.0 else values
        mean = float(np.dot(weights, scaled) / total)
        std: float | None = None
        if total > 1:
            spread = float(np.dot(weights, (scaled - mean) ** 2) / (total - 1))
            std = float(np.sqrt(max(spread, 0.0))) * scale if np.isfinite(spread) else None
        mean *= scale
    return float(values.min()), float(values.max()), mean, std


def _dense_counts(X: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """missing, distinct and unique counts of every column, from one sort."""
    n = X.shape[0]
    missing = np.isnan(X).sum(axis=0)
    if n == 0:
        zeros = np.zeros(X.shape[1], dtype=np.int64)
        return missing, zeros, zeros
    S = np.sort(X, axis=0)  # NaN sorts last
    present = ~np.isnan(S)
    starts = np.empty_like(present)
    starts[0] = present[0]
    starts[1:] = (S[1:] != S[:-1]) & present[1:]
    # A run ends where the next sorted value differs (NaN differs from everything).
    ends = np.empty_like(present)
    ends[-1] = present[-1]
    ends[:-1] = (S[:-1] != S[1:]) & present[:-1]
    distinct = starts.sum(axis=0)
    unique = (starts & ends).sum(axis=0)
    return missing, distinct, unique


def _summarize_column(dataset: Dataset, j: int, values: np.ndarray, weights: np.ndarray,
                      missing: int, distinct: int, unique: int) -> AttributeSummary:
    """The summary of column ``j`` given its present values and their weights."""
    attribute = dataset.attributes[j]
    kind = attribute.type
    extra: dict[str, Any] = {}
    if kind in (AttributeType.NUMERIC, AttributeType.DATE):
        lo, hi, mean, std = _weighted(values, weights)
        extra.update(minimum=lo, maximum=hi, mean=mean, std=std)
    elif kind is AttributeType.NOMINAL:
        k = attribute.num_values
        codes = values.astype(np.intp)
        if codes.size and (codes.min() < 0 or codes.max() >= k):
            raise WorkbenchError(f"attribute '{attribute.name}' holds a code outside its "
                                 f"{k} values")
        extra.update(labels=attribute.values,
                     counts=tuple(int(c) for c in np.bincount(codes, minlength=k)),
                     weights=tuple(float(w) for w in np.bincount(codes, weights, minlength=k)))
    return AttributeSummary(index=j, name=attribute.name, type=kind,
                            total=dataset.num_instances, missing=int(missing),
                            distinct=int(distinct), unique=int(unique), **extra)


def summarize(dataset: Dataset) -> list[AttributeSummary]:
    """One ``AttributeSummary`` per attribute, in attribute order."""
    m = dataset.X.shape[1]
    w = dataset.weights
    out: list[AttributeSummary] = []
    if not dataset.is_sparse:
        X = np.asarray(dataset.X)
        missing, distinct, unique = _dense_counts(X)
        for j in range(m):
            col = X[:, j]
            present = ~np.isnan(col)
            out.append(_summarize_column(dataset, j, col[present], w[present],
                                         missing[j], distinct[j], unique[j]))
        return out
    C = sp.csc_matrix(dataset.X)
    return [_sparse_summary(dataset, C, j) for j in range(m)]


def summarize_attribute(dataset: Dataset, j: int,
                        csc: sp.csc_matrix | None = None) -> AttributeSummary:
    """The summary of attribute ``j`` alone, equal to ``summarize(dataset)[j]``; a sparse
    dataset's columns are read from ``csc`` when given (made once for many calls)."""
    if dataset.is_sparse:
        return _sparse_summary(dataset, csc if csc is not None
                               else sp.csc_matrix(dataset.X), j)
    col = np.asarray(dataset.X[:, j], dtype=float)
    missing, distinct, unique = _dense_counts(col[:, None])
    present = ~np.isnan(col)
    return _summarize_column(dataset, j, col[present], dataset.weights[present],
                             missing[0], distinct[0], unique[0])


def _sparse_summary(dataset: Dataset, C: sp.csc_matrix, j: int) -> AttributeSummary:
    """Column ``j`` of a sparse dataset, from its CSC form, the implicit zeros counted
    without being made dense."""
    n, w = dataset.num_instances, dataset.weights
    lo, hi = C.indptr[j], C.indptr[j + 1]
    stored, rows = C.data[lo:hi], C.indices[lo:hi]
    nan = np.isnan(stored)
    implicit = n - stored.size  # rows not stored hold zeros
    if dataset.attributes[j].type is AttributeType.NOMINAL:
        # Per-label weights need each row's weight: one dense column is cheap.
        col = np.zeros(n)
        col[rows] = stored
        present = ~np.isnan(col)
        values, weights = col[present], w[present]
    else:
        # Each distinct value with its summed weight gives the same weighted
        # moments as the rows themselves, without making the zeros dense.
        values = np.concatenate([stored[~nan], np.zeros(1 if implicit else 0)])
        weights = np.concatenate(
            [w[rows[~nan]], [w.sum() - w[rows].sum()] if implicit else []])
    uniq, inverse = np.unique(values, return_inverse=True)
    counts = np.bincount(inverse, minlength=uniq.size)
    if implicit and dataset.attributes[j].type is not AttributeType.NOMINAL:
        counts[inverse[-1]] += implicit - 1  # the zeros entry stands for ``implicit`` rows
    return _summarize_column(dataset, j, values, weights, int(nan.sum()),
                             uniq.size, int((counts == 1).sum()))


class AttributeSummaries(Sequence[AttributeSummary]):
    """Every attribute's summary, each computed the first time it is asked for.

    The Explorer shows one attribute at a time: summarising all 785 of MNIST at once
    (a sort of the whole matrix, about a second) held the window still after every
    load, filter and undo, to show the first attribute. One column's summary takes a
    millisecond, so it is made when its attribute is selected, and kept.
    """

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset
        self._done: dict[int, AttributeSummary] = {}
        self._csc: sp.csc_matrix | None = None

    def __len__(self) -> int:
        return self.dataset.num_attributes

    @overload
    def __getitem__(self, index: int) -> AttributeSummary: ...

    @overload
    def __getitem__(self, index: slice) -> list[AttributeSummary]: ...

    def __getitem__(self, index: int | slice) -> AttributeSummary | list[AttributeSummary]:
        if isinstance(index, slice):
            return [self[j] for j in range(len(self))[index]]
        j = range(len(self))[index]   # negative indices as a list's; IndexError past the end
        if j not in self._done:
            if self.dataset.is_sparse and self._csc is None:
                self._csc = sp.csc_matrix(self.dataset.X)
            self._done[j] = summarize_attribute(self.dataset, j, self._csc)
        return self._done[j]


def class_distribution(dataset: Dataset, *, weighted: bool = True) -> dict[str, float]:
    """Label -> summed instance weight (or count) of a nominal class, in declared order.

    Missing class values are left out, as WEKA's reports leave them out.
    """
    attribute = dataset.class_attribute
    if attribute is None:
        raise WorkbenchError(f"dataset '{dataset.relation}' has no class attribute set")
    if attribute.type is not AttributeType.NOMINAL:
        raise WorkbenchError(f"the class '{attribute.name}' is {attribute.type}, not nominal: "
                             f"it has no class distribution")
    y = dataset.class_values
    present = ~np.isnan(y)
    codes = y[present].astype(np.intp)
    sums = np.bincount(codes, dataset.weights[present] if weighted else None,
                       minlength=attribute.num_values)
    return {label: float(s) for label, s in zip(attribute.values, sums, strict=True)}


def decimal_text(value: float, decimals: int = 3) -> str:
    """``value`` with at most ``decimals`` decimals, as WEKA's ``Utils.doubleToString``
    writes its Preprocess statistics: 15232.79 and 50290.721, not 15232.8 and 50290.7,
    and 0 for a mean that is 0 at that precision (5.6e-17 after Standardize reads as
    "not centred"; WEKA's own "-0" reads no better, so it is 0 here)."""
    if not math.isfinite(value):
        return f"{value:g}"
    text = double_to_string(value, decimals)   # WEKA's rounding (half up), WEKA's digits
    return "0" if text == "-0" else text


def value_text(dataset: Dataset, j: int, value: float | None,
               decimals: int | None = None) -> str:
    """A statistic of attribute ``j`` as a person reads it (a date stays a date):
    six significant digits, or at most ``decimals`` decimals (``decimal_text``)."""
    if value is None:
        return ""
    attribute = dataset.attributes[j]
    if attribute.type is AttributeType.DATE:
        try:
            return format_date(float(value), attribute.date_format or DEFAULT_DATE_FORMAT)
        except DateError:
            return format_value(attribute, float(value))
    return f"{value:.6g}" if decimals is None else decimal_text(float(value), decimals)


_DURATION_UNITS = (("years", 365.2425 * 86400.0), ("days", 86400.0), ("hours", 3600.0),
                   ("minutes", 60.0), ("seconds", 1.0))


def duration_text(seconds: float) -> str:
    """A length of time in the largest unit that keeps it at least 1, as "263.4 days".

    Years only from two years up, because "1.3 years" reads worse than "475 days".
    """
    size = abs(seconds)
    for unit, length in _DURATION_UNITS:
        if size >= (2 * length if unit == "years" else length):
            return f"{seconds / length:.4g} {unit}"
    return f"{seconds:.4g} seconds"


def spread_text(dataset: Dataset, j: int, value: float | None,
                decimals: int | None = None) -> str:
    """A spread (standard deviation) of attribute ``j`` as a person reads it, in
    ``value_text``'s digits.

    A date's spread is a length of time, not a point in time: 263 days, not 1970-09-21.
    """
    if value is None:
        return ""
    if dataset.attributes[j].type is AttributeType.DATE:
        return duration_text(float(value))
    return f"{value:.6g}" if decimals is None else decimal_text(float(value), decimals)
