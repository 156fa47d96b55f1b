"""The filter contract: learn from one dataset, apply the same change to any other.

A filter is fitted on training data only and then transforms any dataset with the same
header, so that statistics learned on a training fold never see a test row (the point of
WEKA's batch filtering and of the filtered classifier). Filters return new datasets and
never write into the arrays they were given.

Two kinds behave differently, as in WEKA:

- *attribute* filters change columns; ``transform`` applies the learned change to every
  dataset with the training header (train, test, one instance).
- *instance* filters (Randomize, Resample, ...) change which rows there are. They apply
  only to the data they were fitted on: ``fit_transform`` filters it, and ``transform`` of
  any other dataset (a test set in batch mode) passes it through unchanged, exactly as
  WEKA's batch filtering leaves the second file alone.

A filter writes the hooks ``_fit`` and ``_transform`` (attribute filters) or ``_select``
(instance filters that choose rows; ``_apply`` for those that make new ones),
``_describe`` for what it learned, and lists its learned fields in
``state_fields`` so a filtered classifier can save it in a model file.
"""

from __future__ import annotations

import math
import shlex
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Literal, Self

import numpy as np
import scipy.sparse as sp

from workbench.core.errors import WorkbenchError
from workbench.core.params import Configurable
from workbench.data.dataset import Attribute, AttributeType, Dataset


class FilterError(WorkbenchError):
    """A filter cannot do what it was asked with this data; the message says why."""


class NotFittedFilterError(FilterError):
    """A filter was asked to transform before it learned anything."""


class Filter(Configurable):
    """Base of every filter: declared parameters, fit on one dataset, transform others.

    Learned state carries a trailing underscore; ``input_header_`` and ``output_header_``
    are the headers (no rows) before and after filtering.
    """

    kind: ClassVar[str] = "filter"
    name: ClassVar[str] = ""
    display_name: ClassVar[str] = ""
    category: ClassVar[str] = "attribute"  # "attribute" or "instance"
    supervised: ClassVar[bool] = False     # needs a class attribute to learn
    needs_nominal_class: ClassVar[bool] = False
    aliases: ClassVar[tuple[str, ...]] = ()
    # Learned fields saved in model files: arrays, lists of arrays (packed into two
    # arrays, however long the list) or JSON-ready values.
    state_fields: ClassVar[tuple[str, ...]] = ()

    def __init__(self, **values: Any) -> None:
        super().__init__(**values)
        self.input_header_: Dataset | None = None
        self.output_header_: Dataset | None = None
        self._fitted_on: Dataset | None = None

    # Public cycle ------------------------------------------------------------------------
    @property
    def title(self) -> str:
        return self.display_name or self.name or type(self).__name__

    @property
    def is_fitted(self) -> bool:
        return self.input_header_ is not None

    @property
    def is_instance_filter(self) -> bool:
        return self.category == "instance"

    def fit(self, dataset: Dataset) -> Self:
        """Learn what the filter needs from ``dataset`` (and nothing else); return self."""
        self._check_input(dataset)
        self.input_header_ = dataset.header()
        try:
            self._fit(dataset)
            if self.is_instance_filter:
                self._fitted_on = dataset
                self.output_header_ = self.input_header_
            else:
                self.output_header_ = self._transform(dataset.header())
        except BaseException:
            self.input_header_ = None
            raise
        return self

    def transform(self, dataset: Dataset) -> Dataset:
        """Apply what was learned to a dataset with the training header.

        Instance filters change only the dataset they were fitted on; any other dataset
        passes through unchanged (WEKA's batch filtering of a test set).
        """
        header = self._require_fitted()
        why = header.header_matches(dataset)
        if why is not None:
            raise FilterError(f"{self.title} was fitted on '{header.relation}' and cannot "
                              f"filter '{dataset.relation}': {why}")
        if self.is_instance_filter:
            if dataset is not self._fitted_on:
                return dataset
            return self._apply(dataset)
        return self._transform(dataset)

    def fit_transform(self, dataset: Dataset) -> Dataset:
        return self.fit(dataset).transform(dataset)

    def release_data(self) -> None:
        """Forget the dataset an instance filter was fitted on.

        After this, ``transform`` passes every dataset through, the training one included:
        what a filtered classifier wants at prediction time, and it frees the memory.
        """
        self._fitted_on = None

    def describe(self) -> str:
        """What the filter does and, once fitted, what it learned (for the Explorer)."""
        line = self.spec_text()
        if not self.is_fitted:
            return f"{line}\n(not fitted yet)\n"
        body = self._describe().rstrip()
        return f"{line}\n{body}\n" if body else f"{line}\n"

    def spec_text(self) -> str:
        """The filter as one command-line spec: ``pca --variance-covered 0.9``.

        This is what a filtered classifier's scheme line shows and what
        ``workbench.filters.spec.parse_filters`` reads back.
        """
        options = quoted_options(self)
        return f"{self.name} {options}" if options else self.name

    def clone(self) -> Self:
        """An unfitted copy with the same parameters (one per cross-validation fold)."""
        return type(self)(**self.get_params())

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.options_text()})"

    # Model files -------------------------------------------------------------------------
    def get_state(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        """The learned state as JSON-ready values and named arrays."""
        self._require_fitted()
        meta: dict[str, Any] = {}
        arrays: dict[str, np.ndarray] = {}
        for field in self.state_fields:
            value = getattr(self, field)
            if isinstance(value, np.ndarray):
                arrays[field] = value
                meta[field] = {"array": True}
            elif isinstance(value, list | tuple) and value and all(
                    isinstance(v, np.ndarray) for v in value):
                packed = _packed(value)
                if packed is None:   # arrays of several kinds: one member each
                    for i, item in enumerate(value):
                        arrays[f"{field}.{i}"] = item
                    meta[field] = {"arrays": len(value)}
                else:
                    arrays[field], arrays[f"{field}.shapes"] = packed
                    meta[field] = {"packed": len(value)}
            else:
                meta[field] = {"value": _json_ready(value)}
        return meta, arrays

    def set_state(self, meta: Mapping[str, Any], arrays: Mapping[str, np.ndarray],
                  input_header: Dataset) -> None:
        """Restore ``get_state``'s output for data with ``input_header``."""
        for field in self.state_fields:
            entry = meta.get(field)
            if not isinstance(entry, Mapping):
                raise FilterError(f"{self.title}: the saved state lacks '{field}'")
            if entry.get("array"):
                value: Any = _stored(arrays, field)
            elif "packed" in entry:
                value = _unpacked(arrays, field, entry["packed"])
            elif "arrays" in entry:   # also what files saved before packing hold
                value = [_stored(arrays, f"{field}.{i}") for i in range(int(entry["arrays"]))]
            else:
                value = entry.get("value")
            setattr(self, field, value)
        self.input_header_ = input_header.header()
        self.output_header_ = (self.input_header_ if self.is_instance_filter
                               else self._transform(self.input_header_))

    # Hooks -------------------------------------------------------------------------------
    def _fit(self, data: Dataset) -> None:
        """Learn from ``data``; the default learns nothing."""

    def _transform(self, data: Dataset) -> Dataset:
        """Return the filtered dataset (attribute filters)."""
        raise NotImplementedError

    def _select(self, data: Dataset) -> np.ndarray:
        """Row indices of the output, in order (instance filters)."""
        raise NotImplementedError

    def _apply(self, data: Dataset) -> Dataset:
        """The filtered training data (instance filters); the default keeps the rows
        ``_select`` names, a filter that makes new rows overrides this."""
        return data.select_rows(np.asarray(self._select(data), dtype=np.intp))

    def _describe(self) -> str:
        return ""

    def weka_differences(self) -> list[str]:
        """Where this fitted filter's output differs from what WEKA's filter of the same
        name and options writes, one line each for the user (the command line's stderr,
        the Explorer's Log); the relation name then does not claim WEKA's filter."""
        return []

    # Checks ------------------------------------------------------------------------------
    def _require_fitted(self) -> Dataset:
        if self.input_header_ is None:
            raise NotFittedFilterError(f"{self.title} has not been fitted: call fit() first")
        return self.input_header_

    def needs_class(self) -> bool:
        """Whether this filter, as configured, learns from a class attribute (asked before
        data arrives, e.g. by a flow that can say how to give it one); a filter that
        needs one only in some settings (Discretize's mdl method) says so here."""
        return self.supervised or self.needs_nominal_class

    def _check_input(self, dataset: Dataset) -> None:
        # The declared needs (the base rule, not an override): a filter whose need
        # depends on its settings checks its own, with words about those settings.
        if not Filter.needs_class(self):
            return
        cls = dataset.class_attribute
        if cls is None:
            raise FilterError(f"{self.title} needs a class attribute, and dataset "
                              f"'{dataset.relation}' has none set (choose the class "
                              f"attribute first)")
        if self.needs_nominal_class and not cls.is_nominal:
            raise FilterError(f"{self.title} needs a nominal class: class attribute "
                              f"'{cls.name}' is {cls.type}")


# Helpers shared by filters ------------------------------------------------------------------
def quoted_options(component: Configurable) -> str:
    """Non-default parameters as flags, values shell-quoted so the line parses back."""
    parts = []
    for p in component.params:
        value = getattr(component, p.name)
        if value == p.default:
            continue
        if p.kind == "bool":
            parts.append(p.flag if value else f"--no-{p.flag[2:]}")
            continue
        shown = ("none" if value is None else
                 p.text_of(value) if p.escapes or isinstance(value, tuple) else str(value))
        parts.append(f"{p.flag} {quote(shown)}")
    return " ".join(parts)


def quote(text: str) -> str:
    """Shell-style quoting a person can read: double quotes around text holding single
    quotes (a nested spec), ``shlex.quote`` otherwise."""
    if "'" in text and not any(c in text for c in '"\\$`'):
        return f'"{text}"'
    return shlex.quote(text)


def _json_ready(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, tuple | list):
        return [_json_ready(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_ready(v) for k, v in value.items()}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    raise TypeError(f"cannot store a {type(value).__name__} in a model file")


def _packed(items: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray] | None:
    """A list of arrays as two: their numbers one after another, and their shapes (one
    row each). Why: a filter learns one array per column it works on (a Discretize's
    cuts, NumericToNominal's levels), and a model file holds at most ``MAX_MEMBERS``
    arrays, fewer than a bag of words has columns. None when the arrays differ in
    dtype or rank, which packing would have to change."""
    first = items[0]
    if any(item.dtype != first.dtype or item.ndim != first.ndim for item in items):
        return None
    numbers = np.concatenate([item.ravel() for item in items])
    shapes = np.array([item.shape for item in items], dtype=np.int64).reshape(
        len(items), first.ndim)
    return numbers, shapes


def _unpacked(arrays: Mapping[str, np.ndarray], field: str, count: Any) -> list[np.ndarray]:
    """``_packed``'s arrays back as the list, checked to account for every number."""
    numbers = _stored(arrays, field)
    shapes = _stored(arrays, f"{field}.shapes")
    if type(count) is not int or shapes.ndim != 2 or shapes.shape[0] != count \
            or shapes.dtype.kind not in "iu" or numbers.ndim != 1 or np.any(shapes < 0):
        raise FilterError(f"the saved filter state's '{field}' is malformed (expected "
                          f"{count!r} shapes, one row each, and the numbers of all of "
                          f"them in one row)")
    sizes = [math.prod(int(n) for n in shape) for shape in shapes]
    if sum(sizes) != numbers.size:
        raise FilterError(f"the saved filter state's '{field}' holds {numbers.size} "
                          f"numbers, but its shapes need {sum(sizes)}")
    ends = np.cumsum(sizes, dtype=np.int64)
    return [numbers[end - size:end].reshape(tuple(int(n) for n in shape))
            for end, size, shape in zip(ends, sizes, shapes, strict=True)]


def _stored(arrays: Mapping[str, np.ndarray], name: str) -> np.ndarray:
    if name not in arrays:
        raise FilterError(f"the saved filter state lacks the array '{name}'")
    array = arrays[name]
    if array.dtype.kind not in "fiub":
        raise FilterError(f"array '{name}' has dtype {array.dtype}, expected numbers")
    return array


def working_columns(dataset: Dataset, types: Sequence[AttributeType],
                    selected: Sequence[int] | None = None) -> list[int]:
    """Columns of the given types a filter works on: never the class attribute."""
    chosen = range(dataset.num_attributes) if selected is None else selected
    return [j for j in chosen if j != dataset.class_index
            and dataset.attributes[j].type in types]


def dense(dataset: Dataset) -> np.ndarray:
    """The values as a dense matrix (filters that change numbers need one)."""
    return dataset.dense_values()


def with_values(dataset: Dataset, X: np.ndarray | sp.spmatrix,
                attributes: Sequence[Attribute] | None = None,
                class_index: int | Literal["keep"] | None = "keep") -> Dataset:
    """A new dataset with the same weights and relation and new values (and header);
    ``class_index`` "keep" keeps the dataset's, None leaves the result without one."""
    return Dataset(dataset.relation, dataset.attributes if attributes is None else attributes,
                   X, dataset.weights.copy(),
                   dataset.class_index if class_index == "keep" else class_index)


def weighted_mode(codes: np.ndarray, weights: np.ndarray, num_values: int) -> float:
    """Most frequent nominal code by weight (first on ties); NaN when none is known."""
    known = ~np.isnan(codes)
    if not known.any() or num_values == 0:
        return float("nan")
    counts = np.bincount(codes[known].astype(np.intp), weights=weights[known],
                         minlength=num_values)
    return float(np.argmax(counts))


def unique_name(name: str, taken: set[str]) -> str:
    """``name``, or ``name_2``, ``name_3``... when it is already used."""
    if name not in taken:
        return name
    k = 2
    while f"{name}_{k}" in taken:
        k += 1
    return f"{name}_{k}"


def dates_left(title: str, header: Dataset, chosen: list[int]) -> list[str]:
    """One line per date attribute among ``chosen`` that a numeric filter leaves alone
    where WEKA's filter would treat it as a number."""
    return [f"date attribute '{header.attributes[j].name}' left as it is ({title} "
            f"works on numeric attributes; WEKA's treats a date as the number of "
            f"milliseconds since 1970)" for j in chosen
            if header.attributes[j].type is AttributeType.DATE]
