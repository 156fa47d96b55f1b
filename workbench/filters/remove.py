"""Remove, RemoveUseless and Reorder: choosing which attributes there are and in what order.

Remove combines WEKA's Remove (by range), RemoveType (by attribute type) and
RemoveByName (by a regular expression on names): an attribute goes when any given
criterion names it. Removing by range may remove the class (the result then has no
class, as in WEKA); removing by type or name never touches the class.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from workbench.core.bounded_regex import bounded
from workbench.core.params import Param
from workbench.data.dataset import AttributeType, Dataset
from workbench.filters.base import Filter, dense
from workbench.filters.ranges import format_range, parse_range

_TYPES = ("none", *(t.value for t in AttributeType))


class Remove(Filter):
    """Removes attributes by position range, by type or by a name pattern.

    ``attribute_indices`` takes WEKA's range syntax (``first-3,5,last``); ``invert``
    keeps the range instead. ``attribute_type`` removes every attribute of one type;
    ``name_pattern`` removes every attribute whose whole name matches the regular
    expression.
    """

    name = "remove"
    display_name = "Remove"
    aliases = ("Remove", "RemoveType", "RemoveByName")
    attribute_indices = Param.text("", "attributes to remove (WEKA range, e.g. "
                                   "first-3,5,last)", letter="R")
    invert = Param.boolean(False, "keep the attributes in the range and remove the rest",
                           letter="V")
    attribute_type = Param.choice("none", _TYPES, "remove every attribute of this type",
                                  letter="T")
    name_pattern = Param.regex("", "remove attributes whose name matches this regular "
                               "expression", letter="E")
    state_fields = ("removed_",)

    def __init__(self, **values: Any) -> None:
        super().__init__(**values)
        self.removed_: list[int] = []

    def _fit(self, data: Dataset) -> None:
        n = data.num_attributes
        removed: set[int] = set()
        if self.attribute_indices.strip() or self.invert:
            removed.update(parse_range(self.attribute_indices, n, invert=self.invert))
        if self.attribute_type != "none":
            removed.update(j for j, a in enumerate(data.attributes)
                           if a.type.value == self.attribute_type and j != data.class_index)
        if self.name_pattern:
            # checked by its declaration, and matched under a time limit for what the
            # check cannot see (core/bounded_regex.py)
            names = [a.name for a in data.attributes]
            hits = bounded(self.name_pattern, "name_pattern").matching(
                names, "attribute name", whole=True)
            removed.update(j for j, hit in enumerate(hits) if hit and j != data.class_index)
        self.removed_ = sorted(removed)

    def _transform(self, data: Dataset) -> Dataset:
        return data.remove_attributes(list(self.removed_))

    def _describe(self) -> str:
        header = self._require_fitted()
        if not self.removed_:
            return "Removed nothing."
        names = ", ".join(header.attributes[j].name for j in self.removed_)
        return f"Removed attributes {format_range(list(self.removed_))}: {names}"


class RemoveUseless(Filter):
    """Removes attributes that cannot help a learner: those with no value or a single
    distinct value, and nominal ones with nearly a different value per instance (an
    identifier, not a pattern).

    A nominal attribute goes when its distinct values exceed ``max_variance`` percent of
    its known values, WEKA's rule (-M, default 99). Counts ignore instance weights and
    missing values, as WEKA's do; the class is never removed. Which attributes go is
    decided on the data the filter is fitted on, so every fold's test part loses the same
    ones as its training part.
    """

    name = "remove-useless"
    display_name = "RemoveUseless"
    aliases = ("RemoveUseless",)
    max_variance = Param.number(99.0, "largest share of distinct values, in percent of "
                                "the known values, a nominal attribute may have",
                                letter="M")
    state_fields = ("removed_",)

    def __init__(self, **values: Any) -> None:
        super().__init__(**values)
        self.removed_: list[int] = []

    def _fit(self, data: Dataset) -> None:
        X = dense(data)
        removed: list[int] = []
        for j, attribute in enumerate(data.attributes):
            if j == data.class_index:
                continue
            column = X[:, j]
            known = column[~np.isnan(column)]
            distinct = len(np.unique(known))
            if distinct < 2 or (attribute.type is AttributeType.NOMINAL
                                and distinct / len(known) * 100.0 > self.max_variance):
                removed.append(j)
        self.removed_ = removed

    def _transform(self, data: Dataset) -> Dataset:
        return data.remove_attributes(list(self.removed_))

    def _describe(self) -> str:
        header = self._require_fitted()
        if not self.removed_:
            return "Removed nothing: no attribute is constant or almost all distinct."
        names = ", ".join(header.attributes[j].name for j in self.removed_)
        return f"Removed attributes {format_range(list(self.removed_))}: {names}"


class Reorder(Filter):
    """Puts attributes in a new order, given as a WEKA range (``2-last,1``, ``last-first``).

    Attributes left out of the order are removed, as in WEKA's Reorder; naming one twice
    is refused because attribute names must stay unique. The class follows its attribute.
    """

    name = "reorder"
    display_name = "Reorder"
    aliases = ("Reorder",)
    attribute_order = Param.text("first-last", "the new order (WEKA range; spans may "
                                 "run backwards)", letter="R")
    state_fields = ("order_",)

    def __init__(self, **values: Any) -> None:
        super().__init__(**values)
        self.order_: list[int] = []

    def _fit(self, data: Dataset) -> None:
        self.order_ = parse_range(self.attribute_order, data.num_attributes, keep_order=True)

    def _transform(self, data: Dataset) -> Dataset:
        return data.select_attributes(list(self.order_))

    def _describe(self) -> str:
        header = self._require_fitted()
        return "New order: " + ", ".join(header.attributes[j].name for j in self.order_)
