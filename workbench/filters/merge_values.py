"""MergeTwoValues, MergeManyValues and RenameNominalValues: one meaning, one label.

Data typed by people spells one category several ways (``Yes``/``yes``, ``No``/``no``/
``NO``), and every learner then counts them as different values. WEKA's three filters
for this are reproduced here with WEKA's names, options, defaults, label order and
merged label, because a WEKA user reaches for them by name and compares the files they
write (checked against WEKA 3.9.7):

- MergeTwoValues ``-C col -F first -S second``: the two labels become one named
  ``first_second`` at the first one's place; the labels after the second move up.
- MergeManyValues ``-C col -L label -R range``: the labels in the range (and any
  spelled like the new label, case aside) leave, and the new label is appended last.
- RenameNominalValues ``-R atts -N "old:new,..."``: each renamed label takes its new
  name; a new name that is already a label (or the name of another renamed one) merges
  them, kept where it first appears, as WEKA 3.9.7 does. So
  ``-N "yes:Yes,NO:No,no:No"`` turns {Yes,no,NO,yes,No} into {Yes,No}.

All three only relabel, so each learns a label list and a code map per attribute from
the header alone, and applies them to any data with that header.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np

from workbench.core.errors import ParameterError
from workbench.core.params import Param
from workbench.data.dataset import Attribute, Dataset
from workbench.filters.base import Filter, FilterError, dense, with_values
from workbench.filters.ranges import parse_range


class _Relabel(Filter):
    """Shared by the three: new labels and an old-code -> new-code map per attribute."""

    state_fields = ("columns_", "labels_", "maps_")

    def __init__(self, **values: Any) -> None:
        super().__init__(**values)
        self.columns_: list[int] = []
        self.labels_: list[list[str]] = []
        self.maps_: list[np.ndarray] = []

    def _relabel(self, data: Dataset, j: int, labels: list[str], codes: list[int]) -> None:
        attribute = data.attributes[j]
        if len(set(labels)) != len(labels):
            twice = next(label for label, count in Counter(labels).items() if count > 1)
            # WEKA's words (weka.core.Attribute refuses such a header).
            raise FilterError(f"{self.title}: A nominal attribute ({attribute.name}) "
                              f"cannot have duplicate labels ({twice}).")
        self.columns_.append(j)
        self.labels_.append(labels)
        self.maps_.append(np.asarray(codes, dtype=np.int64))

    def _start(self) -> None:
        self.columns_, self.labels_, self.maps_ = [], [], []

    def _transform(self, data: Dataset) -> Dataset:
        X = dense(data).copy()
        attributes = list(data.attributes)
        for j, labels, codes in zip(self.columns_, self.labels_, self.maps_, strict=True):
            attributes[j] = Attribute.nominal(data.attributes[j].name, labels)
            column = X[:, j]
            known = ~np.isnan(column)
            X[known, j] = np.asarray(codes)[column[known].astype(np.intp)]
        return with_values(data, X, attributes)

    def _describe(self) -> str:
        header = self._require_fitted()
        if not self.columns_:
            return "No nominal attribute relabelled."
        lines = []
        for j, labels in zip(self.columns_, self.labels_, strict=True):
            before = header.attributes[j].values
            lines.append(f"  {header.attributes[j].name}: {{{','.join(before)}}} -> "
                         f"{{{','.join(labels)}}}")
        return "Labels:\n" + "\n".join(lines)


def single_index(text: str, count: int, what: str, parameter: str) -> int:
    """One 1-based position, ``first`` or ``last`` (WEKA's SingleIndex), 0-based."""
    if "," in text or "-" in text.strip()[1:]:
        raise ParameterError(f"{parameter} '{text}' must name one {what} (a position "
                             f"from 1, first or last), not a range")
    try:
        chosen = parse_range(text, count, what=what)
    except ParameterError as error:
        raise ParameterError(f"{parameter}: {error}") from None
    if not chosen:
        raise FilterError(f"{parameter} '{text}': there is no {what} to choose")
    return chosen[0]


class _OneAttribute(_Relabel):
    """MergeTwoValues and MergeManyValues work on one nominal attribute, never the
    class (WEKA refuses it: "Cannot process class attribute.")."""

    attribute_index = Param.text("last", "the nominal attribute (position, first or "
                                 "last)", letter="C")

    def _chosen(self, data: Dataset) -> tuple[int, Attribute]:
        j = single_index(self.attribute_index, data.num_attributes, "attribute",
                         "attribute_index")
        attribute = data.attributes[j]
        if j == data.class_index:
            raise FilterError(
                f"{self.title}: Cannot process class attribute: attribute {j + 1} "
                f"'{attribute.name}' is the class (choose another attribute, or set "
                f"another class or none first)")
        if not attribute.is_nominal:
            raise FilterError(f"{self.title}: Chosen attribute not nominal: attribute "
                              f"{j + 1} '{attribute.name}' is {attribute.type}")
        if attribute.num_values < 2:
            raise FilterError(f"{self.title}: Chosen attribute has less than two values: "
                              f"attribute {j + 1} '{attribute.name}' has "
                              f"{attribute.num_values}")
        return j, attribute


class MergeTwoValues(_OneAttribute):
    """Merges two labels of a nominal attribute into one, named ``first_second``.

    The merged label takes the first one's place and the labels after the second move
    up one, as in WEKA; ``first`` and ``last`` name the ends.
    """

    name = "merge-two-values"
    display_name = "MergeTwoValues"
    aliases = ("MergeTwoValues",)
    first_value_index = Param.text("first", "the first label to merge (position, first "
                                   "or last)", letter="F")
    second_value_index = Param.text("last", "the second label to merge, after the first "
                                    "(position, first or last)", letter="S")

    def _fit(self, data: Dataset) -> None:
        self._start()
        j, attribute = self._chosen(data)
        what = f"value of '{attribute.name}'"
        first = single_index(self.first_value_index, attribute.num_values, what,
                             "first_value_index")
        second = single_index(self.second_value_index, attribute.num_values, what,
                              "second_value_index")
        if second <= first:
            raise FilterError(f"{self.title}: The second index has to be greater than "
                              f"the first (first {first + 1} "
                              f"'{attribute.values[first]}', second {second + 1} "
                              f"'{attribute.values[second]}')")
        merged = merged_label(attribute.values[first], attribute.values[second])
        labels = [merged if i == first else v for i, v in enumerate(attribute.values)
                  if i != second]
        codes = [first if i == second else i - (i > second)
                 for i in range(attribute.num_values)]
        self._relabel(data, j, labels, codes)


def merged_label(first: str, second: str) -> str:
    """WEKA's name for two merged labels: ``first_second``, and a label that carries its
    own quotes (Discretize's ``'(-inf-4.66]'``) inside one pair of them."""
    primed = first.endswith("'") or second.endswith("'")
    inner = "_".join(v[1:-1] if v.endswith("'") else v for v in (first, second))
    return f"'{inner}'" if primed else inner


class MergeManyValues(_OneAttribute):
    """Merges the labels in a range of a nominal attribute into one new label.

    The other labels keep their order and the new one comes last, as in WEKA; an
    existing label spelled like the new one (case aside) is merged into it too.
    """

    name = "merge-many-values"
    display_name = "MergeManyValues"
    aliases = ("MergeManyValues",)
    label = Param.text("merged", "the label of the merged values", letter="L")
    merge_value_range = Param.text("1,2", "the labels to merge (WEKA range over the "
                                   "attribute's values, e.g. first-5,7,9,20-last)",
                                   letter="R")

    def _fit(self, data: Dataset) -> None:
        self._start()
        if not self.label:
            raise ParameterError("label is empty: give the merged values a name")
        j, attribute = self._chosen(data)
        try:
            merged = set(parse_range(self.merge_value_range, attribute.num_values,
                                     what=f"value of '{attribute.name}'"))
        except ParameterError as error:
            raise ParameterError(f"merge_value_range: {error}") from None
        folded = self.label.lower()
        labels = [v for i, v in enumerate(attribute.values)
                  if i not in merged and v.lower() != folded]
        labels.append(self.label)
        position = {v: k for k, v in enumerate(labels)}
        codes = [position.get(v, len(labels) - 1) for v in attribute.values]
        self._relabel(data, j, labels, codes)


class RenameNominalValues(_Relabel):
    """Renames labels of nominal attributes (``old:new`` pairs, comma-separated).

    Renaming a label to one that exists merges the two, which is how inconsistent
    spellings become one value. Attributes are a WEKA range or a comma-separated list
    of names; the ones that are not nominal are left as they are.
    """

    name = "rename-nominal-values"
    display_name = "RenameNominalValues"
    aliases = ("RenameNominalValues",)
    selected_attributes = Param.text("", "attributes to act on: a range (1,2,6-10) or "
                                     "comma-separated names (default none)", letter="R")
    invert = Param.boolean(False, "act on every attribute except those", letter="V")
    value_replacements = Param.text("", "labels and their new names, e.g. "
                                    "yes:Yes,no:No", letter="N")
    ignore_case = Param.boolean(False, "ignore case when matching labels", letter="I")

    def _fit(self, data: Dataset) -> None:
        self._start()
        renames = self._renames()
        for j in self._attributes(data):
            attribute = data.attributes[j]
            if not attribute.is_nominal:
                continue
            # Positions by dict: scanning the list made an ID-like column of 40 000
            # labels take 20 s (review 2, M3).
            position: dict[str, int] = {}
            codes: list[int] = []
            for value in attribute.values:
                new = renames.get(value.lower() if self.ignore_case else value, value)
                codes.append(position.setdefault(new, len(position)))
            self._relabel(data, j, list(position), codes)

    def _renames(self) -> dict[str, str]:
        renames: dict[str, str] = {}
        if not self.value_replacements:
            return renames
        for pair in self.value_replacements.split(","):
            parts = pair.split(":")
            if len(parts) != 2 or not parts[0] or not parts[1]:
                # WEKA's words, and what was expected.
                raise ParameterError(f"Invalid replacement string: '{pair}' (expected "
                                     f"old:new pairs separated by commas, e.g. "
                                     f"yes:Yes,no:No)")
            old = parts[0].strip()
            renames[old.lower() if self.ignore_case else old] = parts[1].strip()
        return renames

    def _attributes(self, data: Dataset) -> list[int]:
        text = self.selected_attributes
        try:
            return parse_range(text, data.num_attributes, invert=self.invert)
        except ParameterError:
            pass
        chosen: list[int] = []
        for name in text.split(","):
            name = name.strip()
            found = [j for j, a in enumerate(data.attributes) if a.name == name]
            if not found:
                raise FilterError(
                    f"{self.title}: Unable to find attribute '{name}' in the incoming "
                    f"instances (selected_attributes '{text}': expected a range such as "
                    f"1,2,6-10 over the {data.num_attributes} attributes, or their names)")
            chosen.append(found[0])
        if self.invert:
            return [j for j in range(data.num_attributes) if j not in chosen]
        return sorted(set(chosen))
