"""Instance filters: Randomize, Resample, RemovePercentage, RemoveWithValues,
StratifiedRemoveFolds.

They choose rows, so they change only the data they were fitted on; a second dataset in
batch mode (a test set) passes through unchanged, as WEKA's batch filtering does, so
that resampling never touches the data a model is judged on. A given seed always picks
the same rows.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from workbench.core.errors import ParameterError
from workbench.core.params import Param
from workbench.data.dataset import Dataset
from workbench.filters.base import Filter, FilterError
from workbench.filters.growth import VALUE_BYTES, check_growth, row_bytes
from workbench.filters.ranges import parse_range

# Resample's largest sample: a hundredfold, beyond what any balancing or bootstrap asks
# for (WEKA sets no bound; 200 000 % of digits, 3.6 million rows, took 7.2 GB in a flow).
MAX_SAMPLE_PERCENT = 10_000.0


class _InstanceFilter(Filter):
    category = "instance"

    def __init__(self, **values: Any) -> None:
        super().__init__(**values)


class Randomize(_InstanceFilter):
    """Shuffles the order of the instances with a seeded random generator."""

    name = "randomize"
    display_name = "Randomize"
    aliases = ("Randomize",)
    seed = Param.seed(42, "random seed", letter="S")

    def _select(self, data: Dataset) -> np.ndarray:
        return np.random.default_rng(self.seed).permutation(data.num_instances)


class Resample(_InstanceFilter):
    """Draws a random sample of the instances, with or without replacement.

    ``sample_size_percent`` sets the output size relative to the input. ``stratified``
    keeps the class proportions (nominal class needed); ``bias_to_uniform`` moves them
    towards equal class sizes (0 keeps the data's distribution, 1 makes it uniform), as
    WEKA's supervised Resample does. A sample is at most a hundredfold (10 000 %), and
    one that would not fit in free memory is refused before it is drawn.
    """

    name = "resample"
    display_name = "Resample"
    aliases = ("Resample",)
    sample_size_percent = Param.number(100.0, "size of the sample as a percentage of "
                                       "the input (at most 10 000)", low=0.0,
                                       high=MAX_SAMPLE_PERCENT, letter="Z")
    replacement = Param.boolean(True, "draw with replacement (WEKA's -no-replacement "
                                "turns it off)")
    stratified = Param.boolean(False, "keep the class distribution (nominal class)")
    bias_to_uniform = Param.number(0.0, "0 keeps the class distribution, 1 makes it "
                                   "uniform", low=0.0, high=1.0, letter="B")
    seed = Param.seed(1, "random seed", letter="S")

    def _fit(self, data: Dataset) -> None:
        if not self.replacement and self.sample_size_percent > 100:
            raise ParameterError("a sample without replacement cannot be larger than the "
                                 f"data ({self.sample_size_percent:g}% asked)")
        if self.stratified or self.bias_to_uniform > 0:
            cls = data.class_attribute
            if cls is None or not cls.is_nominal:
                raise FilterError(f"{self.title}: stratified or class-biased sampling needs "
                                  f"a nominal class in '{data.relation}'")
        n = data.num_instances
        size = round(n * self.sample_size_percent / 100.0)
        # The sample's rows, plus the row indices drawn first (measured: 1.03 times
        # the rows on digits, stratified or not).
        result = size * row_bytes(data)
        check_growth(self, self.title, "sample_size_percent",
                     f"{self.sample_size_percent:g} % of {n:,} instances", size,
                     data.num_attributes, result, result + 2 * size * VALUE_BYTES)

    def _select(self, data: Dataset) -> np.ndarray:
        rng = np.random.default_rng(self.seed)
        n = data.num_instances
        size = round(n * self.sample_size_percent / 100.0)
        if n == 0 or size == 0:
            return np.zeros(0, dtype=np.intp)
        if not (self.stratified or self.bias_to_uniform > 0):
            return self._draw(rng, np.arange(n), size)
        y = data.class_values
        cls = data.class_attribute
        assert cls is not None
        known = ~np.isnan(y)
        groups = [np.flatnonzero(known & (y == k)) for k in range(cls.num_values)]
        present = [g for g in groups if g.size]
        actual = np.array([g.size for g in present], dtype=np.float64) / n
        uniform = np.full(len(present), 1.0 / max(len(present), 1))
        share = (1 - self.bias_to_uniform) * actual + self.bias_to_uniform * uniform
        counts = _apportion(share, size)
        rows = [self._draw(rng, g, c) for g, c in zip(present, counts, strict=True)]
        missing = np.flatnonzero(~known)
        if missing.size:  # rows without a class keep their share, drawn as one group
            rows.append(self._draw(rng, missing, round(missing.size * size / n)))
        out = np.concatenate(rows) if rows else np.zeros(0, dtype=np.intp)
        return np.sort(out) if not self.replacement else out

    def _draw(self, rng: np.random.Generator, rows: np.ndarray, size: int) -> np.ndarray:
        if size <= 0 or rows.size == 0:
            return np.zeros(0, dtype=np.intp)
        if self.replacement:
            return rows[rng.integers(0, rows.size, size)]
        size = min(size, rows.size)
        return np.sort(rng.choice(rows, size=size, replace=False))


def _apportion(share: np.ndarray, total: int) -> np.ndarray:
    """Whole counts proportional to ``share`` that add up to ``total`` (largest remainder)."""
    raw = share / share.sum() * total
    counts = np.floor(raw).astype(int)
    for i in np.argsort(-(raw - counts), kind="stable")[: total - counts.sum()]:
        counts[i] += 1
    return counts


class RemovePercentage(_InstanceFilter):
    """Removes the first given percentage of the instances (keeps only it when inverted).

    Use Randomize first for a random split; RemovePercentage itself is deterministic so
    that the two halves of a split made with and without ``invert`` never overlap.
    """

    name = "remove-percentage"
    display_name = "RemovePercentage"
    aliases = ("RemovePercentage",)
    percentage = Param.number(50.0, "percentage of instances to remove", low=0.0,
                              high=100.0, letter="P")
    invert = Param.boolean(False, "keep that percentage instead", letter="V")

    def _select(self, data: Dataset) -> np.ndarray:
        n = data.num_instances
        cut = round(n * self.percentage / 100.0)
        return np.arange(cut) if self.invert else np.arange(cut, n)


class RemoveWithValues(_InstanceFilter):
    """Removes instances by one attribute's value.

    For a numeric attribute, instances whose value is below ``split_point`` go; for a
    nominal one, instances whose value is in ``nominal_indices`` (a range over the
    attribute's labels) go. ``match_missing`` removes instances with a missing value too;
    ``invert`` keeps the matching instances instead.
    """

    name = "remove-with-values"
    display_name = "RemoveWithValues"
    aliases = ("RemoveWithValues",)
    attribute_index = Param.text("last", "the attribute tested (position, first or "
                                 "last)", letter="C")
    split_point = Param.number(0.0, "numeric attribute: remove values below this",
                               letter="S")
    nominal_indices = Param.text("", "nominal attribute: labels to remove (WEKA range "
                                 "over the attribute's values)", letter="L")
    match_missing = Param.boolean(False, "missing values count as a match", letter="M")
    invert = Param.boolean(False, "keep the matching instances instead", letter="V")

    def _select(self, data: Dataset) -> np.ndarray:
        chosen = parse_range(self.attribute_index, data.num_attributes)
        if len(chosen) != 1:
            raise ParameterError(f"attribute_index '{self.attribute_index}' must name one "
                                 f"attribute")
        j = chosen[0]
        attribute = data.attributes[j]
        column = data.column(j)
        missing = np.isnan(column)
        if attribute.is_nominal:
            labels = parse_range(self.nominal_indices, attribute.num_values,
                                 what=f"value of '{attribute.name}'")
            match = np.isin(column, labels) & ~missing
        elif attribute.is_numeric or attribute.type.value == "date":
            with np.errstate(invalid="ignore"):
                match = (column < self.split_point) & ~missing
        else:
            raise FilterError(f"{self.title}: attribute '{attribute.name}' is "
                              f"{attribute.type}; only numeric, date and nominal attributes "
                              f"can be tested")
        if self.match_missing:
            match |= missing
        keep = match if self.invert else ~match
        return np.flatnonzero(keep)


class StratifiedRemoveFolds(_InstanceFilter):
    """Keeps one fold of a stratified split (all the other folds when inverted).

    The instances are shuffled with the seed, grouped so that each fold gets its share of
    every class, and cut into ``num_folds`` folds; ``fold`` (1-based) is the one kept.
    The same seed with and without ``invert`` gives disjoint test and training parts.
    """

    name = "stratified-remove-folds"
    display_name = "StratifiedRemoveFolds"
    aliases = ("StratifiedRemoveFolds",)
    num_folds = Param.integer(10, "number of folds", low=2, letter="N")
    fold = Param.integer(1, "the fold to keep (1-based)", low=1, letter="F")
    seed = Param.seed(0, "random seed for the shuffle", letter="S")
    invert = Param.boolean(False, "keep every fold but this one", letter="V")

    def _fit(self, data: Dataset) -> None:
        if self.fold > self.num_folds:
            raise ParameterError(f"fold {self.fold} does not exist: there are "
                                 f"{self.num_folds} folds")

    def _select(self, data: Dataset) -> np.ndarray:
        n = data.num_instances
        order = np.random.default_rng(self.seed).permutation(n)
        cls = data.class_attribute
        if cls is not None and cls.is_nominal and n:
            y = data.class_values[order]
            key = np.where(np.isnan(y), cls.num_values, y)
            by_class = order[np.argsort(key, kind="stable")]
            # Deal the class-sorted instances round-robin onto the folds, which gives each
            # fold its share of every class.
            folds = np.empty(n, dtype=np.intp)
            folds[by_class] = np.arange(n) % self.num_folds
        else:
            folds = np.empty(n, dtype=np.intp)
            folds[order] = np.arange(n) % self.num_folds
        chosen = folds == (self.fold - 1)
        return np.flatnonzero(~chosen if self.invert else chosen)
