"""NominalToBinary and NumericToNominal: changing how an attribute is typed.

NominalToBinary turns a nominal attribute with k values into k numeric 0/1 indicators
named ``attribute=value`` (a two-valued one into a single indicator, as WEKA does unless
asked for all values), which is what distance- and gradient-based learners need.
NumericToNominal turns each distinct training value into a label, for learners and
filters that want categories. Both leave the class attribute alone.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from workbench.core.params import Param
from workbench.data.dataset import Attribute, AttributeType, Dataset
from workbench.filters.base import Filter, FilterError, dense, unique_name, with_values
from workbench.filters.growth import VALUE_BYTES, check_growth
from workbench.filters.ranges import parse_range


def _range_columns(data: Dataset, text: str, invert: bool,
                   types: tuple[AttributeType, ...], with_class: bool = False) -> list[int]:
    """The attributes of the (1-based WEKA) range that have one of ``types``; the class
    only when ``with_class``."""
    chosen = parse_range(text, data.num_attributes, invert=invert)
    return [j for j in chosen if (with_class or j != data.class_index)
            and data.attributes[j].type in types]


class NominalToBinary(Filter):
    """Replaces nominal attributes by numeric 0/1 indicators, one per value.

    A two-valued attribute becomes one indicator of its second value unless
    ``all_values`` is set. A missing value becomes missing in every indicator.
    """

    name = "nominal-to-binary"
    display_name = "NominalToBinary"
    aliases = ("NominalToBinary",)
    attribute_indices = Param.text("first-last", "attributes to convert (WEKA range)",
                                   letter="R")
    invert = Param.boolean(False, "convert the attributes not in the range", letter="V")
    all_values = Param.boolean(False, "one indicator per value even for two-valued "
                               "attributes", letter="A")
    state_fields = ("columns_",)

    def __init__(self, **values: Any) -> None:
        super().__init__(**values)
        self.columns_: list[int] = []

    def _fit(self, data: Dataset) -> None:
        self.columns_ = _range_columns(data, self.attribute_indices, self.invert,
                                       (AttributeType.NOMINAL,))

    def _transform(self, data: Dataset) -> Dataset:
        self._check_size(data)
        X = dense(data)
        converted = set(self.columns_)
        taken = {a.name for j, a in enumerate(data.attributes) if j not in converted}
        attributes: list[Attribute] = []
        blocks: list[np.ndarray] = []
        class_index = None
        for j, attribute in enumerate(data.attributes):
            column = X[:, j]
            if j not in converted:
                if j == data.class_index:
                    class_index = len(attributes)
                attributes.append(attribute)
                blocks.append(column[:, None])
                continue
            values = list(range(attribute.num_values))
            if attribute.num_values == 2 and not self.all_values:
                values = [1]
            for v in values:
                label = f"{attribute.name}={attribute.values[v]}"
                label = unique_name(label, taken)
                taken.add(label)
                attributes.append(Attribute.numeric(label))
                indicator = (column == v).astype(np.float64)
                indicator[np.isnan(column)] = np.nan
                blocks.append(indicator[:, None])
        X_out = np.hstack(blocks) if blocks else np.zeros((data.num_instances, 0))
        return with_values(data, X_out, attributes, class_index)

    def _check_size(self, data: Dataset) -> None:
        """Refuse an output that would not fit in free memory before building it: the
        header decides its width (a nominal attribute may declare a million values)."""
        indicators = sum(1 if data.attributes[j].num_values == 2 and not self.all_values
                         else data.attributes[j].num_values for j in self.columns_)
        columns = data.num_attributes - len(self.columns_) + indicators
        result = data.num_instances * (columns + 1) * VALUE_BYTES
        # The indicator columns are built one by one, then stacked (measured: twice
        # the output on credit-g).
        check_growth(self, self.title, "attribute_indices",
                     f"'{self.attribute_indices}' (one column for each of the "
                     f"{indicators:,} values of {len(self.columns_)} nominal attributes)",
                     data.num_instances, columns, result, 2 * result)

    def _describe(self) -> str:
        header = self._require_fitted()
        names = ", ".join(header.attributes[j].name for j in self.columns_)
        return f"Converted: {names}" if names else "No nominal attributes to convert."


class NumericToNominal(Filter):
    """Turns numeric attributes into nominal ones whose labels are the training values.

    A value not seen in training becomes missing, because it has no label; missing stays
    missing. Labels are the values written as short decimals (``5.1``, ``3``).

    The class is converted too when the range takes it in, as in WEKA: "NumericToNominal
    -R last" is how a numeric class of digits read back from a CSV becomes classes, and
    the Explorer's Preprocess tab always has a class set (its colour attribute).
    """

    name = "numeric-to-nominal"
    display_name = "NumericToNominal"
    aliases = ("NumericToNominal",)
    attribute_indices = Param.text("first-last", "attributes to convert (WEKA range)",
                                   letter="R")
    invert = Param.boolean(False, "convert the attributes not in the range", letter="V")
    max_values = Param.integer(1000, "refuse an attribute with more distinct values than "
                               "this (a continuous attribute would explode into labels)", low=1)
    state_fields = ("columns_", "levels_")

    def __init__(self, **values: Any) -> None:
        super().__init__(**values)
        self.columns_: list[int] = []
        self.levels_: list[np.ndarray] = []

    def _fit(self, data: Dataset) -> None:
        self.columns_ = _range_columns(data, self.attribute_indices, self.invert,
                                       (AttributeType.NUMERIC,), with_class=True)
        X = dense(data)
        self.levels_ = []
        for j in self.columns_:
            column = X[:, j]
            levels = np.unique(column[~np.isnan(column)])
            if levels.size > self.max_values:
                raise FilterError(
                    f"{self.title}: attribute '{data.attributes[j].name}' has {levels.size} "
                    f"distinct values, more than max_values={self.max_values}; discretize "
                    f"it instead, or raise --max-values")
            self.levels_.append(levels)

    def _transform(self, data: Dataset) -> Dataset:
        X = dense(data).copy()
        attributes = list(data.attributes)
        for j, levels in zip(self.columns_, self.levels_, strict=True):
            levels = np.asarray(levels, dtype=np.float64)
            labels = _labels(levels)
            attributes[j] = Attribute.nominal(data.attributes[j].name, labels)
            column = X[:, j]
            codes = np.searchsorted(levels, column) if levels.size else np.zeros(
                column.shape, dtype=np.intp)
            codes = np.minimum(codes, max(levels.size - 1, 0))
            found = levels.size > 0
            matched = (levels[codes] == column) if found else np.zeros(column.shape, bool)
            X[:, j] = np.where(matched, codes, np.nan)
        return with_values(data, X, attributes)

    def _describe(self) -> str:
        header = self._require_fitted()
        lines = [f"  {header.attributes[j].name}: {len(levels)} values"
                 for j, levels in zip(self.columns_, self.levels_, strict=True)]
        return "Converted:\n" + "\n".join(lines) if lines else "No numeric attributes."


def _labels(levels: np.ndarray) -> list[str]:
    labels = [f"{v:.15g}" for v in levels]
    if len(set(labels)) != len(labels):  # values closer than 15 digits: keep them apart
        labels = [repr(float(v)) for v in levels]
    return labels
