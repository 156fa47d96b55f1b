"""What data a classifier accepts, declared once and checked before any training starts.

WEKA refuses unsuitable data up front ("IBk: Cannot handle string attributes!") instead of
failing half-way through a ten-fold cross-validation. We do the same: every classifier
declares a ``Capabilities`` value, ``Classifier.fit`` calls ``check`` first, and the GUI
can grey out a learner whose capabilities the open dataset does not meet.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from workbench.core.errors import InvalidDataError
from workbench.data.csv_notes import header_looks_like_data
from workbench.data.dataset import AttributeType, Dataset


class CapabilityError(InvalidDataError):
    """The data has something the classifier cannot handle; the message says what."""


@dataclass(frozen=True)
class Capabilities:
    """The kinds of attributes, class and values a classifier can learn from.

    Dates count as numeric attributes (seconds since the epoch) when ``date_attributes``
    is true. ``image_geometry`` means the attributes must form a square image (or carry
    explicit geometry), as convolutional networks need. ``min_instances`` is the fewest
    training instances with a known class that make a model. ``string_hint`` follows
    the refusal of a string attribute: where this learner's kind of model for text
    lives (a learner told "cnn cannot handle string attributes" by a tutorial's text
    CNN does not otherwise learn that ours is ``rnn --conv-filters``).
    """

    numeric_attributes: bool = True
    nominal_attributes: bool = True
    string_attributes: bool = False
    date_attributes: bool = True
    relational_attributes: bool = False
    missing_values: bool = True
    nominal_class: bool = True
    numeric_class: bool = False
    binary_class_only: bool = False
    image_geometry: bool = False
    min_instances: int = 1
    # Few learners can use an infinite value, or one so large that its square overflows:
    # distances, means and gradients all turn into inf or NaN, and the result is silently
    # wrong (IBk fell from 95 % to 36 % on iris with one inf). Refusing with the
    # attribute and instance is kinder.
    infinite_values: bool = False
    # Counts and weights only (NaiveBayesMultinomial's words): the learner refuses a
    # negative value where it meets one, naming it; this says so to scikit-learn
    # (its ``positive_only`` input tag), as MultinomialNB's own tags do.
    negative_values: bool = True
    string_hint: str = ""

    def problems(self, dataset: Dataset, who: str = "this classifier") -> list[str]:
        """Every reason the dataset is refused, in words, or an empty list."""
        found: list[str] = []
        cls = dataset.class_attribute
        if cls is None:
            found.append(f"{who} needs a class attribute, and dataset "
                         f"'{dataset.relation}' has none set")
        else:
            if cls.type is AttributeType.NOMINAL:
                if not self.nominal_class:
                    found.append(f"{who} cannot handle a nominal class: "
                                 f"class attribute '{cls.name}' is nominal")
                elif self.binary_class_only and cls.num_values > 2:
                    found.append(f"{who} handles only a binary class: class attribute "
                                 f"'{cls.name}' has {cls.num_values} values")
            elif cls.type in (AttributeType.NUMERIC, AttributeType.DATE):
                if not self.numeric_class:
                    found.append(f"{who} cannot handle a numeric class: "
                                 f"class attribute '{cls.name}' is {cls.type}"
                                 + whole_number_class_hint(dataset))
            else:
                found.append(f"{who} cannot handle a {cls.type} class: "
                             f"class attribute '{cls.name}'")
        allowed = {
            AttributeType.NUMERIC: self.numeric_attributes,
            AttributeType.NOMINAL: self.nominal_attributes,
            AttributeType.STRING: self.string_attributes,
            AttributeType.DATE: self.date_attributes,
            AttributeType.RELATIONAL: self.relational_attributes,
        }
        for i, attribute in enumerate(dataset.attributes):
            if i == dataset.class_index or allowed[attribute.type]:
                continue
            hint = (f"; {self.string_hint}" if self.string_hint
                    and attribute.type is AttributeType.STRING else "")
            found.append(f"{who} cannot handle {attribute.type} attributes: "
                         f"attribute {i + 1} '{attribute.name}' is {attribute.type}{hint}")
        if not self.missing_values:
            for i in range(dataset.num_attributes):
                if i == dataset.class_index:
                    continue
                column = dataset.column(i)
                missing = np.flatnonzero(np.isnan(column))
                if missing.size:
                    found.append(
                        f"{who} cannot handle missing values: attribute {i + 1} "
                        f"'{dataset.attributes[i].name}' is missing in instance "
                        f"{missing[0] + 1} ({missing.size} in all)")
                    break
        if cls is not None:
            infinite = infinite_value_problem(dataset, who, attributes=not self.infinite_values)
            if infinite is not None:
                found.append(infinite)
        if self.image_geometry:
            count = dataset.num_attributes - (cls is not None)
            side = math.isqrt(count)
            if count == 0 or side * side != count:
                found.append(f"{who} needs image data: the {count} non-class attributes "
                             f"of '{dataset.relation}' do not form a square image")
        return found

    def check(self, dataset: Dataset, who: str = "this classifier") -> None:
        """Raise ``CapabilityError`` naming the first thing the classifier cannot handle."""
        found = self.problems(dataset, who)
        if found:
            raise CapabilityError(found[0])
        if cls_known(dataset) < self.min_instances:
            raise CapabilityError(
                f"{who} needs at least {self.min_instances} training instance(s) with a "
                f"known class; dataset '{dataset.relation}' has {cls_known(dataset)}")

    def handles(self, dataset: Dataset) -> bool:
        """True when ``check`` would accept the dataset (for greying out choices)."""
        return not self.problems(dataset)


# At most this many distinct whole numbers read as class labels (digits 0-9, letters
# numbered 1-26), so the hint to make them nominal is likely the right one.
FEW_CLASS_VALUES = 30


def whole_number_class_hint(dataset: Dataset) -> str:
    """The way out when a numeric class holds a few whole numbers, as a class round-
    tripped through CSV does (MNIST's digits come back as ``(Num) class``): "; its 10
    values are whole numbers (0 to 9): NumericToNominal ... turns a numeric class into
    classes". Empty for a date class, a truly numeric one, or one with many values."""
    cls = dataset.class_attribute
    if cls is None or cls.type is not AttributeType.NUMERIC:
        return ""
    values = dataset.class_values
    known = values[~np.isnan(values)]
    if known.size == 0 or not np.all(np.isfinite(known)) or np.any(known != np.round(known)):
        return ""
    distinct = np.unique(known)
    if not 2 <= distinct.size <= FEW_CLASS_VALUES:
        return ""
    # The class alone, 1-based as WEKA's ranges: the default "first-last" would turn
    # every pixel of an image into a nominal attribute too. The position is the one in
    # the user's file: a FilteredClassifier asks with the data it was given, not with
    # what its filters made (StringToWordVector moves the class to the front).
    column = (dataset.class_index or 0) + 1
    hint = (f"; its {distinct.size} values are whole numbers ({distinct[0]:g} to "
            f"{distinct[-1]:g}): NumericToNominal in Preprocess, with Attribute indices "
            f"{column} (the class), turns a numeric class into classes (on the command "
            f"line: workbench filter NumericToNominal -R {column})")
    return hint + first_row_hint(dataset)


def first_row_hint(dataset: Dataset) -> str:
    """Why the class may have come out numeric: attribute names that look like a row of
    data ('Wow... Loved this place.', '1') are a file's first row read as its header,
    and the class column then holds numbers rather than the labels a header names."""
    names = [a.name for a in dataset.attributes]
    if not header_looks_like_data(names):
        return ""
    shown = ", ".join(f"'{n}'" if len(n) <= 40 else f"'{n[:39]}\u2026'" for n in names[:3])
    more = ", ..." if len(names) > 3 else ""
    return (f". The attribute names ({shown}{more}) look like a row of data: if the "
            f"file has no header row, read it with --no-header (workbench convert; in "
            f"the Explorer, File > Open with options..., Header row unticked), and name "
            f"the class column with --nominal")


# Beyond this magnitude a square, a variance or a difference of two values overflows.
LARGEST_USABLE = 1e150


def infinite_value_problem(dataset: Dataset, who: str = "this classifier", *,
                           attributes: bool = True, class_values: bool = True) -> str | None:
    """Where the first infinite (or unusably large) value is, attribute and instance
    1-based, in words.

    ``attributes`` looks at the non-class attributes, ``class_values`` at the class: a
    learner that ignores the attributes (ZeroR) still cannot average an infinite class.
    """
    columns = np.ones(dataset.num_attributes, dtype=bool)
    if dataset.class_index is not None:
        columns[dataset.class_index] = class_values
    if not attributes:
        columns &= np.arange(dataset.num_attributes) == dataset.class_index
    if not columns.any() or dataset.num_instances == 0:
        return None
    X = dataset.X
    if not isinstance(X, np.ndarray):  # sparse: Dataset keeps it as CSR
        where = np.flatnonzero((np.abs(X.data) > LARGEST_USABLE) & columns[X.indices])
        if where.size == 0:
            return None
        first = int(where[0])
        row = int(np.searchsorted(X.indptr, first, side="right")) - 1
        col = int(X.indices[first])
        value, count = float(X.data[first]), int(where.size)
    else:
        block = X[:, columns] if not columns.all() else X
        low, high = float(block.min()), float(block.max())  # no copy; NaN fails both
        if low >= -LARGEST_USABLE and high <= LARGEST_USABLE:
            return None  # the common case: 2.5 ms, not 0.2 s, for 6 400 MNIST rows
        with np.errstate(invalid="ignore"):
            huge = np.abs(block) > LARGEST_USABLE
        count = int(np.count_nonzero(huge))
        if count == 0:
            return None
        row, picked = (int(i) for i in np.argwhere(huge)[0])
        col = int(np.flatnonzero(columns)[picked])
        value = float(X[row, col])
    what = "class" if col == dataset.class_index else "attribute"
    where_text = (f"{what} {col + 1} '{dataset.attributes[col].name}' is "
                  f"{'-' if value < 0 else ''}infinity" if np.isinf(value) else
                  f"{what} {col + 1} '{dataset.attributes[col].name}' is {value:g}")
    kind = ("infinite values" if np.isinf(value)
            else f"values beyond ±{LARGEST_USABLE:g} (their squares overflow)")
    plural = "s" if count != 1 else ""
    return (f"{who} cannot use {kind}: {where_text} in instance {row + 1} ({count} such "
            f"value{plural} in all); remove those instances or rescale the values first")


def cls_known(dataset: Dataset) -> int:
    """Instances whose class value is known (WEKA drops the rest before training)."""
    if dataset.class_index is None:
        return 0
    return int(np.count_nonzero(~np.isnan(dataset.class_values)))
