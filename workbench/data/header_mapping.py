"""Test data re-expressed in the training data's header, matched by attribute name.

A model stores numbers that only mean something under the header it was trained on:
label 2 of ``region`` is "North" there, and may be "East" in a CSV file read on its own,
which lists labels in the order it meets them. So a separate test file is rarely
header-identical to its training file, even when it was exported the same way, and a
Preprocess removal is never applied to the raw test file. WEKA's answer is
InputMappedClassifier; this is its mapping, kept apart from any classifier so the
command line, the Explorer and a test can all use (and check) the same rules:

* attributes are matched by name (optionally ignoring case and surrounding blanks,
  WEKA's ``-I`` and ``-trim``), never by position; an exact match wins over a match
  that ignores case;
* a training attribute the test data lacks becomes missing in every row;
* a test attribute the training data lacks is ignored;
* a nominal value is matched by its label, exactly as written (``NO`` and ``no`` may
  both be labels), so the order labels are declared in does not matter; a label the
  training data never had becomes missing;
* an attribute whose type differs (numeric here, nominal there) becomes missing, as in
  WEKA, rather than having its numbers misread;
* the class is mapped like any attribute, so a test file without it has every class
  value missing (nothing can then be scored, and the report says so).

The report says all of this, attribute by attribute, so nothing happens silently.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from workbench.core.errors import WorkbenchError
from workbench.data.dataset import Attribute, AttributeType, Dataset, dense_copy


@dataclass(frozen=True)
class UnseenLabels:
    """Labels of one test attribute that the training data never had, with how many
    test rows held each (those rows get a missing value there)."""

    attribute: str
    counts: tuple[tuple[str, int], ...]

    @property
    def rows(self) -> int:
        return sum(count for _, count in self.counts)


@dataclass(frozen=True)
class TypeClash:
    """A training attribute found in the test data with another type."""

    attribute: str
    training_type: str
    test_type: str
    test_position: int      # 1-based, as the report numbers attributes


@dataclass(frozen=True)
class MappingReport:
    """What ``map_to_header`` did, in the training header's terms.

    ``sources`` holds, for each training attribute, the 1-based position of the test
    attribute it was read from, or None where nothing was read (absent, type clash).
    """

    training: tuple[tuple[str, str], ...]          # (name, type) per training attribute
    test: tuple[tuple[str, str], ...]              # (name, type) per test attribute
    sources: tuple[int | None, ...]
    absent: tuple[str, ...] = ()
    type_clashes: tuple[TypeClash, ...] = ()
    unseen: tuple[UnseenLabels, ...] = ()
    ignored: tuple[str, ...] = ()
    reordered: tuple[str, ...] = ()                # nominal labels declared in another order
    class_name: str | None = None
    class_absent: bool = False
    rows: int = 0

    @property
    def changed_values(self) -> bool:
        """True when some value was lost on the way (absent, clash or unseen label)."""
        return bool(self.absent or self.type_clashes or self.unseen)

    @property
    def identical(self) -> bool:
        """True when the test data already had exactly the training header's layout."""
        return (not self.changed_values and not self.ignored and not self.reordered
                and self.sources == tuple(range(1, len(self.training) + 1)))

    def first_difference(self) -> str | None:
        """The first thing that made the test data incompatible, in words; None when
        nothing did. Used by refusals, so they name the attribute and the label."""
        first = None
        if self.unseen:
            label, count = self.unseen[0].counts[0]
            first = (self.unseen[0].attribute, label, count)
        return _difference_words(self.absent, self.type_clashes, first, self.ignored,
                                 self.reordered, self.identical)

    def summary_lines(self) -> list[str]:
        """One line per thing done to the values, for the report and the log."""
        lines: list[str] = []
        if self.class_absent and self.class_name is not None:
            lines.append(f"The class '{self.class_name}' is not in the test set: every "
                         f"class value is missing, so no prediction can be scored.")
        for name in self.absent:
            if name != self.class_name or not self.class_absent:
                lines.append(f"'{name}' is not in the test set: missing in every row.")
        for clash in self.type_clashes:
            lines.append(f"'{clash.attribute}' is {clash.test_type} in the test set, "
                         f"{clash.training_type} in the training data: missing in "
                         f"every row.")
        for item in self.unseen:
            labels = ", ".join(f"'{label}' ({_rows(count)})"
                               for label, count in item.counts[:10])
            more = len(item.counts) - 10
            if more > 0:
                labels += f" and {more} more"
            lines.append(f"'{item.attribute}' has labels the training data does not have, "
                         f"made missing: {labels}.")
        if self.ignored:
            lines.append("Ignored (not in the training data): "
                         + ", ".join(f"'{name}'" for name in self.ignored) + ".")
        if self.reordered:
            lines.append("Labels matched by name, not by position: "
                         + ", ".join(f"'{name}'" for name in self.reordered) + ".")
        return lines

    def weka_text(self) -> str:
        """WEKA's "Attribute mappings:" table (InputMappedClassifier's report), then our
        summary lines, so a WEKA user finds the table they know and everyone the counts."""
        width = max([len(name) for name, _ in self.training] + [0]) + 12
        width = max(width, 16)
        out = ["Attribute mappings:", "",
               "Model attributes".ljust(width) + "\t    Incoming attributes",
               "-" * width + "\t    ----------------"]
        clashes = {clash.attribute: clash for clash in self.type_clashes}
        for (name, kind), source in zip(self.training, self.sources, strict=True):
            left = f"({_weka_type(kind)}) {name}".ljust(width)[:max(width, 1)] + "\t--> "
            if name in clashes:
                out.append(left + f"{clashes[name].test_position} missing (type mis-match)")
            elif source is None:
                out.append(left + "- missing (no match)")
            else:
                test_name, test_kind = self.test[source - 1]
                out.append(left + f"{source} ({_weka_type(test_kind)}) {test_name}")
        lines = self.summary_lines()
        if lines:
            out.append("")
            out.extend(lines)
        return "\n".join(out) + "\n"


def map_to_header(test: Dataset, header: Dataset, *, ignore_case: bool = False,
                  trim: bool = False) -> tuple[Dataset, MappingReport]:
    """``test`` rewritten with exactly ``header``'s attributes and class, and what was done.

    ``header`` is the training data (rows, if any, are not read). The result keeps the
    test data's relation name, rows and weights. ``ignore_case`` and ``trim`` loosen how
    attribute *names* match (WEKA's ``-I`` and ``-trim``); labels always match exactly,
    as in WEKA, because files such as a survey export use ``no`` and ``NO`` as two labels.
    """
    matching = compare_headers(test, header, ignore_case=ignore_case, trim=trim)
    rows = test.num_instances
    source = dense_copy(test.X, f"test set '{test.relation}'")
    columns: list[np.ndarray] = []
    attributes: list[Attribute] = []
    unseen: list[UnseenLabels] = []
    for wanted, position in zip(header.attributes, matching.sources, strict=True):
        if position is None:        # absent, or another type: missing in every row
            columns.append(np.full(rows, np.nan))
            attributes.append(wanted)
            continue
        found = test.attributes[position - 1]
        values = source[:, position - 1]
        if wanted.is_nominal:
            column, lost = _relabel(values, found.values, wanted.values)
            if lost:
                unseen.append(UnseenLabels(wanted.name, tuple(lost)))
            columns.append(column)
            attributes.append(wanted)
        elif wanted.type is AttributeType.STRING:
            # A string attribute's pool is data, not header: the test's own strings are
            # kept, under the training attribute's name.
            columns.append(values.astype(np.float64, copy=True))
            attributes.append(wanted.with_values(found.values))
        else:   # numeric and date: the same numbers mean the same thing
            columns.append(values.astype(np.float64, copy=True))
            attributes.append(wanted)
    X = np.column_stack(columns) if columns else np.empty((rows, 0))
    mapped = Dataset(test.relation, attributes, X, weights=test.weights.copy(),
                     class_index=header.class_index)
    class_attribute = header.class_attribute
    class_name = class_attribute.name if class_attribute is not None else None
    report = MappingReport(
        training=tuple((a.name, a.type.value) for a in header.attributes),
        test=tuple((a.name, a.type.value) for a in test.attributes),
        sources=matching.sources, absent=matching.absent,
        type_clashes=matching.type_clashes, unseen=tuple(unseen),
        ignored=matching.ignored, reordered=matching.reordered, class_name=class_name,
        class_absent=class_name is not None and (class_name in matching.absent or any(
            clash.attribute == class_name for clash in matching.type_clashes)),
        rows=rows)
    return mapped, report


@dataclass(frozen=True)
class HeaderMatch:
    """How the test header lines up with the training header, read from the two headers
    alone: what ``map_to_header`` will do, known before a single value is copied, so a
    question about a million-row test set costs no more than one about ten rows.

    ``unseen`` holds, per nominal attribute with labels the training data never had, its
    name, the test column it is read from (0-based) and those labels with their codes
    there; ``sources`` is 1-based, as in ``MappingReport``.
    """

    sources: tuple[int | None, ...]
    absent: tuple[str, ...]
    type_clashes: tuple[TypeClash, ...]
    unseen: tuple[tuple[str, int, tuple[tuple[str, int], ...]], ...]
    ignored: tuple[str, ...]
    reordered: tuple[str, ...]

    @property
    def identical(self) -> bool:
        return (not (self.absent or self.type_clashes or self.unseen or self.ignored
                     or self.reordered)
                and self.sources == tuple(range(1, len(self.sources) + 1)))


def compare_headers(test: Dataset, header: Dataset, *, ignore_case: bool = False,
                    trim: bool = False) -> HeaderMatch:
    """``map_to_header``'s matching, without the values (same arguments, same rules)."""
    for attribute in header.attributes:
        if attribute.type is AttributeType.RELATIONAL:
            raise WorkbenchError(f"attribute '{attribute.name}' is relational: test data "
                                 f"cannot be mapped onto a relational attribute (WEKA's "
                                 f"InputMappedClassifier refuses them too)")
    sources: list[int | None] = []
    absent: list[str] = []
    clashes: list[TypeClash] = []
    unseen: list[tuple[str, int, tuple[tuple[str, int], ...]]] = []
    reordered: list[str] = []
    used: set[int] = set()
    for wanted in header.attributes:
        j = _find(wanted.name, test.attributes, ignore_case, trim)
        if j is None:
            absent.append(wanted.name)
            sources.append(None)
            continue
        used.add(j)
        found = test.attributes[j]
        if found.type is not wanted.type:
            clashes.append(TypeClash(wanted.name, wanted.type.value, found.type.value, j + 1))
            sources.append(None)
            continue
        sources.append(j + 1)
        if wanted.is_nominal:
            known = set(wanted.values)
            lost = tuple((label, code) for code, label in enumerate(found.values)
                         if label not in known)
            if lost:
                unseen.append((wanted.name, j, lost))
            elif found.values != wanted.values:
                reordered.append(wanted.name)
    ignored = tuple(a.name for i, a in enumerate(test.attributes) if i not in used)
    return HeaderMatch(tuple(sources), tuple(absent), tuple(clashes), tuple(unseen),
                       ignored, tuple(reordered))


def _find(name: str, attributes: Sequence[Attribute], ignore_case: bool,
          trim: bool) -> int | None:
    """Index of the test attribute called ``name``: an exact match first, then (when
    asked) one that differs only in surrounding blanks or case."""
    for i, attribute in enumerate(attributes):
        if attribute.name == name:
            return i
    wanted = _normal(name, ignore_case, trim)
    for i, attribute in enumerate(attributes):
        if _normal(attribute.name, ignore_case, trim) == wanted:
            return i
    return None


def _normal(name: str, ignore_case: bool, trim: bool) -> str:
    if trim:
        name = name.strip()
    return name.casefold() if ignore_case else name


def _relabel(values: np.ndarray, test_labels: Sequence[str], training_labels: Sequence[str]
             ) -> tuple[np.ndarray, list[tuple[str, int]]]:
    """Nominal codes under the test labels turned into codes under the training labels,
    and the unseen labels with how many rows held each (in the test file's label order)."""
    position = {label: i for i, label in enumerate(training_labels)}
    table = np.array([position.get(label, np.nan) for label in test_labels] + [np.nan],
                     dtype=np.float64)
    known = ~np.isnan(values)
    codes = np.full(values.shape, len(test_labels), dtype=np.int64)
    codes[known] = values[known].astype(np.int64)
    out = table[np.clip(codes, 0, len(test_labels))]
    counts = np.bincount(codes, minlength=len(test_labels) + 1)
    lost = [(label, int(counts[i])) for i, label in enumerate(test_labels)
            if label not in position]
    return out, lost


def _difference_words(absent: Sequence[str], clashes: Sequence[TypeClash],
                      unseen: tuple[str, str, int] | None, ignored: Sequence[str],
                      reordered: Sequence[str], identical: bool) -> str | None:
    """The first difference in words, in one place for the report and for the question
    asked before any mapping (``unseen``: attribute, label, rows holding it)."""
    if absent:
        return f"the training data's attribute '{absent[0]}' is not in the test set"
    if clashes:
        clash = clashes[0]
        return (f"attribute '{clash.attribute}' is {clash.test_type} in the test set, "
                f"{clash.training_type} in the training data")
    if unseen is not None:
        attribute, label, count = unseen
        return (f"attribute '{attribute}' has the label '{label}' "
                f"({_rows(count)}), which the training data does not have")
    if ignored:
        return (f"the test set has the attribute '{ignored[0]}', which the "
                f"training data does not have")
    if reordered:
        return (f"attribute '{reordered[0]}' lists its labels in another order "
                f"than the training data")
    if not identical:
        return "the test set has the training data's attributes in another order"
    return None


def _rows(count: int) -> str:
    return f"{count} row" if count == 1 else f"{count} rows"


def _weka_type(kind: str) -> str:
    """WEKA's report says only numeric or nominal (a date is numeric to it)."""
    return "numeric" if kind in ("numeric", "date") else "nominal"


def class_as_in(test: Dataset, training: Dataset) -> Dataset:
    """``test`` with the training data's class set: by name where the test set has an
    attribute of that name (a file with other columns, in another order), else by
    position as before, else none (a test set without the class can still be mapped)."""
    wanted = training.class_attribute
    if wanted is None:
        return test.with_class(None)
    names = [attribute.name for attribute in test.attributes]
    if wanted.name in names:
        return test.with_class(names.index(wanted.name))
    index = training.class_index
    return test.with_class(index if index is not None and index < len(names) else None)


def incompatibility(training: Dataset, test: Dataset) -> str | None:
    """None when a model trained on ``training`` can score ``test`` as it is, else the
    first difference in words, naming the attribute and the label ("attribute 'region'
    has the label 'Central' (33 rows), which the training data does not have").

    Asked on the GUI thread before every Start with a supplied test set, so it reads the
    two headers and, only where the words need a row count, the one column holding the
    unseen label: never a copy of the test set (a million rows took seconds and a GB)."""
    why = training.header_matches(test)
    if why is None:
        return None
    try:
        matching = compare_headers(test, training)
    except WorkbenchError:   # relational: the plain reason
        return why
    first = None
    if matching.unseen and not (matching.absent or matching.type_clashes):
        attribute, column, lost = matching.unseen[0]
        label, code = lost[0]
        first = (attribute, label, _rows_holding(test, column, code))
    return _difference_words(matching.absent, matching.type_clashes, first,
                             matching.ignored, matching.reordered,
                             matching.identical) or why


def _rows_holding(data: Dataset, column: int, code: int) -> int:
    """How many rows hold nominal ``code`` in ``column``, reading that column only."""
    return int(np.count_nonzero(data.column(column) == code))
