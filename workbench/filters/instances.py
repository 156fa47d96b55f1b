"""Instance filters: Randomize, Resample, RemovePercentage, RemoveWithValues,
StratifiedRemoveFolds.

They choose rows, so they change only the data they were fitted on; a second dataset in
batch mode (a test set) passes through unchanged, as WEKA's batch filtering does, so
that resampling never touches the data a model is judged on. A given seed always picks
the same rows; for Randomize and Resample they are the rows WEKA picks for that seed.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from workbench.core.errors import ParameterError
from workbench.core.params import Param
from workbench.core.weka.javarandom import JavaRandom
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
    """Shuffles the order of the instances with a seeded random generator.

    The shuffle is WEKA's ``Instances.randomize`` driven by ``java.util.Random(seed)``
    (``core.weka.javarandom``), so a seed gives the row order WEKA's Randomize gives:
    a WEKA user comparing files, or following a tutorial's seed, sees the same rows.
    """

    name = "randomize"
    display_name = "Randomize"
    aliases = ("Randomize",)
    seed = Param.seed(42, "random seed", letter="S")

    def _select(self, data: Dataset) -> np.ndarray:
        return JavaRandom(self.seed).shuffle_order(data.num_instances)


class Resample(_InstanceFilter):
    """Draws a random sample of the instances, with or without replacement.

    ``sample_size_percent`` sets the output size relative to the input. ``stratified``
    keeps the class proportions (nominal class needed); ``bias_to_uniform`` moves them
    towards equal class sizes (0 keeps the data's distribution, 1 makes it uniform), as
    WEKA's supervised Resample does. A sample is at most a hundredfold (10 000 %), and
    one that would not fit in free memory is refused before it is drawn.

    The draws are WEKA's, number for number (``java.util.Random(seed)``, the same sizes
    truncated as Java's ``(int)`` does, the same order of output): unstratified is
    ``weka.filters.unsupervised.instance.Resample``, stratified or biased is
    ``weka.filters.supervised.instance.Resample``, each per class in class order.
    Rows without a class (which WEKA's supervised Resample refuses) are drawn last, as
    one more group of their own size.
    """

    name = "resample"
    display_name = "Resample"
    aliases = ("Resample",)
    sample_size_percent = Param.number(100.0, "size of the sample as a percentage of "
                                       "the input (at most 10 000)", low=0.0,
                                       high=MAX_SAMPLE_PERCENT, letter="Z")
    replacement = Param.boolean(True, "draw with replacement (WEKA's -no-replacement "
                                "turns it off, and is accepted here too)",
                                flags={"no-replacement": False})
    stratified = Param.boolean(False, "keep the class distribution (nominal class)")
    bias_to_uniform = Param.number(0.0, "0 keeps the class distribution, 1 makes it "
                                   "uniform", low=0.0, high=1.0, letter="B")
    seed = Param.seed(1, "random seed", letter="S")
    invert = Param.boolean(False, "without replacement: give the rows not drawn instead "
                           "(WEKA's -V), the rest of the data for a disjoint second part",
                           letter="V")

    @property
    def supervised_draw(self) -> bool:
        """Whether this is WEKA's supervised Resample (drawn class by class)."""
        return self.stratified or self.bias_to_uniform > 0

    def needs_class(self) -> bool:
        return self.supervised_draw

    def _fit(self, data: Dataset) -> None:
        if not self.replacement and self.sample_size_percent > 100:
            raise ParameterError("a sample without replacement cannot be larger than the "
                                 f"data ({self.sample_size_percent:g}% asked)")
        if self.invert and self.replacement:
            # WEKA refuses it too ("Illegal options: -V"): with replacement every row
            # may be drawn, so "the rows not drawn" is no second sample.
            raise ParameterError("invert (-V) gives the rows a sample without replacement "
                                 "leaves out: add -no-replacement")
        if self.supervised_draw:
            cls = data.class_attribute
            if cls is None or not cls.is_nominal:
                raise FilterError(f"{self.title}: stratified or class-biased sampling needs "
                                  f"a nominal class in '{data.relation}'")
        n = data.num_instances
        size = sum(self._sizes(data)[1]) if n else 0
        # The sample's rows, plus the row indices drawn first (measured: 1.03 times
        # the rows on digits, stratified or not).
        result = size * row_bytes(data)
        check_growth(self, self.title, "sample_size_percent",
                     f"{self.sample_size_percent:g} % of {n:,} instances", size,
                     data.num_attributes, result, result + 2 * size * VALUE_BYTES)

    def _sizes(self, data: Dataset) -> tuple[list[np.ndarray], list[int]]:
        """The groups drawn from, in WEKA's order, and how many rows each gives.

        Sizes are computed in WEKA's arithmetic, in the same order of operations, then
        cut to an int as Java's cast does (not rounded): 75 of iris at 50 %, and
        26 + 26 + 26 for a 50/20/10 split at bias 1."""
        n = data.num_instances
        fraction = self.sample_size_percent
        if not self.supervised_draw:
            return [np.arange(n)], [int(n * fraction / 100)]
        y = data.class_values
        cls = data.class_attribute
        assert cls is not None
        known = ~np.isnan(y)
        groups = [np.flatnonzero(known & (y == k)) for k in range(cls.num_values)]
        actual = sum(1 for g in groups if g.size)
        bias = self.bias_to_uniform
        sizes = []
        for group in groups:
            if not group.size:
                sizes.append(0)
                continue
            size = int((fraction / 100.0) * ((1 - bias) * group.size
                                             + bias * n / actual))
            sizes.append(min(size, group.size) if not self.replacement else size)
        missing = np.flatnonzero(~known)
        if missing.size:
            groups.append(missing)
            sizes.append(int((fraction / 100.0) * missing.size))
        return groups, sizes

    def _select(self, data: Dataset) -> np.ndarray:
        if data.num_instances == 0:
            return np.zeros(0, dtype=np.intp)
        random = JavaRandom(self.seed)   # one generator for every group, as WEKA's
        groups, sizes = self._sizes(data)
        rows = [self._draw(random, group, size)
                for group, size in zip(groups, sizes, strict=True)]
        return np.concatenate(rows) if rows else np.zeros(0, dtype=np.intp)

    def _draw(self, random: JavaRandom, rows: np.ndarray, size: int) -> np.ndarray:
        """``size`` of ``rows`` in WEKA's order: with replacement in the order drawn;
        without, WEKA's partial Fisher-Yates, whose chosen rows sit at the end of the
        array and are given from there (the last chosen first); inverted, the rows
        left at its start, in the order the swaps left them, as WEKA gives them."""
        if rows.size == 0:
            return np.zeros(0, dtype=np.intp)
        if size <= 0:
            return rows if self.invert else np.zeros(0, dtype=np.intp)
        count = int(rows.size)
        if self.replacement:
            return rows[[random.next_int(count) for _ in range(size)]]
        selected = list(range(count))
        eligible = count
        for _ in range(min(size, count)):
            location = random.next_int(eligible)
            eligible -= 1
            selected[location], selected[eligible] = selected[eligible], selected[location]
        return rows[selected[:eligible]] if self.invert else rows[selected[eligible:]]


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
