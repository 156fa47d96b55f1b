"""The dataset model every component shares: a header of attributes and a value matrix.

We follow WEKA's proven layout: one float64 matrix, NaN for a missing value, nominal and
string values stored as indices into the attribute's list of values, dates as seconds
since the epoch in UTC, relational values as indices into the attribute's list of bags.
A matrix of floats is what every learner wants in the end, so the representation costs
nothing on the way to the engine, and a sparse file stays a SciPy CSR matrix.

Datasets are immutable by convention: every operation returns a new ``Dataset`` and never
writes into the arrays of the old one (row and column selections may share memory).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

import numpy as np
import scipy.sparse as sp

from workbench.core.errors import WorkbenchError


def dense_budget() -> int:
    """Bytes a dense copy of sparse data may take: half the memory this process may use,
    the machine's or its container's limit, whichever is less (8 GiB where neither
    can be read)."""
    try:
        limit = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):
        limit = 16 * 2**30
    for path in ("/sys/fs/cgroup/memory.max",                      # cgroup v2
                 "/sys/fs/cgroup/memory/memory.limit_in_bytes"):   # cgroup v1
        try:
            with open(path) as limit_file:
                text = limit_file.read().strip()
        except OSError:
            continue
        if text.isdecimal():
            limit = min(limit, int(text))
    return int(limit) // 2


def dense_copy(X: np.ndarray | sp.spmatrix, owner: str) -> np.ndarray:
    """``X`` as a dense array, refused with its size before anything is allocated when
    larger than ``dense_budget``. A sparse file a few MB long can describe billions of
    cells (50 000 rows x 50 000 attributes is 20 GB dense). ``owner`` names the data in
    the message ("dataset 'news'")."""
    if isinstance(X, np.ndarray):
        return X
    rows, columns = X.shape
    needed = rows * columns * np.dtype(np.float64).itemsize
    if needed > dense_budget():
        raise WorkbenchError(
            f"{owner}: this needs its sparse data as a dense table of {rows} rows x "
            f"{columns} attributes ({needed / 2**30:.1f} GiB), more than half of the "
            f"memory this process may use; remove attributes first (e.g. the Remove "
            f"filter) or use a learner and filters that keep data sparse")
    return np.asarray(X.toarray())


class AttributeType(StrEnum):
    NUMERIC = "numeric"
    NOMINAL = "nominal"
    STRING = "string"
    DATE = "date"
    RELATIONAL = "relational"


@dataclass(frozen=True, eq=False)
class Attribute:
    """One column: its name, type and what its stored numbers mean.

    ``values`` are the labels of a nominal attribute, in declared order (WEKA's order,
    which is also the class order in reports), or the pool of distinct strings of a
    string attribute. ``date_format`` is the Java SimpleDateFormat pattern a date
    attribute was declared with. A relational attribute has its own header
    (``relation``) and its bags: each bag is a 2-D float matrix encoded by that header.
    """

    name: str
    type: AttributeType = AttributeType.NUMERIC
    values: tuple[str, ...] = ()
    date_format: str | None = None
    relation: tuple[Attribute, ...] = ()
    bags: tuple[np.ndarray, ...] = field(default=(), repr=False)

    # Constructors in the user's words -------------------------------------------------
    @classmethod
    def numeric(cls, name: str) -> Attribute:
        return cls(name, AttributeType.NUMERIC)

    @classmethod
    def nominal(cls, name: str, values: Iterable[str]) -> Attribute:
        return cls(name, AttributeType.NOMINAL, tuple(values))

    @classmethod
    def string(cls, name: str, values: Iterable[str] = ()) -> Attribute:
        return cls(name, AttributeType.STRING, tuple(values))

    @classmethod
    def date(cls, name: str, date_format: str = "yyyy-MM-dd'T'HH:mm:ss") -> Attribute:
        return cls(name, AttributeType.DATE, date_format=date_format)

    @classmethod
    def relational(cls, name: str, relation: Sequence[Attribute],
                   bags: Sequence[np.ndarray] = ()) -> Attribute:
        return cls(name, AttributeType.RELATIONAL, relation=tuple(relation), bags=tuple(bags))

    # Questions --------------------------------------------------------------------------
    @property
    def is_numeric(self) -> bool:
        return self.type is AttributeType.NUMERIC

    @property
    def is_nominal(self) -> bool:
        return self.type is AttributeType.NOMINAL

    @property
    def num_values(self) -> int:
        return len(self.values)

    def index_of_value(self, label: str) -> int:
        """Index of a nominal label (case-sensitive, as in WEKA)."""
        try:
            return self.values.index(label)
        except ValueError:
            raise WorkbenchError(
                f"attribute '{self.name}' has no value '{label}' "
                f"(its values are {{{', '.join(self.values)}}})") from None

    def same_header(self, other: Attribute) -> bool:
        """True when data encoded by one means the same under the other.

        String pools and relational bags are data, not header, so they are ignored, as
        WEKA's ``equalHeaders`` does for string attributes.
        """
        if self.name != other.name or self.type != other.type:
            return False
        if self.type is AttributeType.NOMINAL and self.values != other.values:
            return False
        if self.type is AttributeType.RELATIONAL:
            return len(self.relation) == len(other.relation) and all(
                a.same_header(b) for a, b in zip(self.relation, other.relation, strict=True))
        return True

    def with_values(self, values: Iterable[str]) -> Attribute:
        return replace(self, values=tuple(values))

    def renamed(self, name: str) -> Attribute:
        return replace(self, name=name)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Attribute):
            return NotImplemented
        if not self.same_header(other):
            return False
        if self.type in (AttributeType.STRING, AttributeType.NOMINAL):
            return self.values == other.values
        if self.type is AttributeType.DATE:
            return self.date_format == other.date_format
        if self.type is AttributeType.RELATIONAL:
            return len(self.bags) == len(other.bags) and all(
                a.shape == b.shape and np.array_equal(a, b, equal_nan=True)
                for a, b in zip(self.bags, other.bags, strict=True))
        return True

    def __hash__(self) -> int:
        return hash((self.name, self.type, self.values if self.is_nominal else ()))


class Dataset:
    """A relation: named attributes, a value matrix, instance weights and a class.

    ``X`` is an ``(n_instances, n_attributes)`` float64 array (or SciPy CSR matrix for a
    sparse file) in the encoding described in the module docstring. ``weights`` defaults
    to ones. ``class_index`` is None when no class is set (a CSV file, or an ARFF file
    before the user picks one); loaders that follow WEKA's habit set it to the last
    attribute only when asked.
    """

    __slots__ = ("X", "attributes", "class_index", "relation", "weights")

    def __init__(
        self,
        relation: str,
        attributes: Sequence[Attribute],
        X: np.ndarray | sp.spmatrix | sp.sparray,
        weights: np.ndarray | None = None,
        class_index: int | None = None,
    ) -> None:
        attributes = tuple(attributes)
        if sp.issparse(X):
            X = sp.csr_matrix(X, dtype=np.float64)
        else:
            X = np.asarray(X, dtype=np.float64)
            if X.ndim == 1 and len(attributes) == 0 and X.size == 0:
                X = X.reshape(0, 0)
            if X.ndim != 2:
                raise WorkbenchError(f"dataset values must be a 2-D matrix, got shape {X.shape}")
        if X.shape[1] != len(attributes):
            raise WorkbenchError(
                f"dataset '{relation}' has {len(attributes)} attributes but its value matrix "
                f"has {X.shape[1]} columns")
        n = X.shape[0]
        if weights is None:
            weights = np.ones(n)
        else:
            weights = np.asarray(weights, dtype=np.float64)
            if weights.shape != (n,):
                raise WorkbenchError(f"expected {n} instance weights, got shape {weights.shape}")
        if class_index is not None:
            class_index = int(class_index)
            if class_index < 0:
                class_index += len(attributes)
            if not 0 <= class_index < len(attributes):
                raise WorkbenchError(
                    f"class index {class_index} is outside 0..{len(attributes) - 1}")
        names = [a.name for a in attributes]
        if len(set(names)) != len(names):
            seen: set[str] = set()   # (a search of the names before each: n^2 steps)
            dup = ""
            for dup in names:
                if dup in seen:
                    break
                seen.add(dup)
            raise WorkbenchError(f"dataset '{relation}' declares attribute '{dup}' twice")
        self.relation = relation
        self.attributes = attributes
        self.X = X
        self.weights = weights
        self.class_index = class_index

    # Shape ---------------------------------------------------------------------------
    @property
    def num_instances(self) -> int:
        return self.X.shape[0]

    @property
    def num_attributes(self) -> int:
        return len(self.attributes)

    def __len__(self) -> int:
        return self.num_instances

    @property
    def is_sparse(self) -> bool:
        return sp.issparse(self.X)

    def __repr__(self) -> str:
        cls = "none" if self.class_attribute is None else repr(self.class_attribute.name)
        return (f"Dataset({self.relation!r}, {self.num_instances} instances, "
                f"{self.num_attributes} attributes, class={cls})")

    # Attributes ------------------------------------------------------------------------
    @property
    def class_attribute(self) -> Attribute | None:
        return None if self.class_index is None else self.attributes[self.class_index]

    def attribute(self, key: int | str) -> Attribute:
        return self.attributes[self.index_of(key)]

    def index_of(self, key: int | str) -> int:
        """Index of an attribute given by name or by (possibly negative) position."""
        if isinstance(key, (int, np.integer)):
            index = int(key) + (self.num_attributes if key < 0 else 0)
            if not 0 <= index < self.num_attributes:
                raise WorkbenchError(
                    f"attribute index {key} is outside 1..{self.num_attributes} "
                    f"(dataset '{self.relation}')")
            return index
        for i, attribute in enumerate(self.attributes):
            if attribute.name == key:
                return i
        raise WorkbenchError(f"dataset '{self.relation}' has no attribute named '{key}'")

    def column(self, key: int | str) -> np.ndarray:
        """One attribute's stored values as a dense 1-D float64 array."""
        j = self.index_of(key)
        X = self.X
        if isinstance(X, np.ndarray):
            return X[:, j]
        return np.asarray(X[:, j].toarray()).ravel()

    def dense_values(self) -> np.ndarray:
        """The value matrix as a dense array (a view when already dense; a copy of
        sparse data within ``dense_budget``)."""
        return dense_copy(self.X, f"dataset '{self.relation}'")

    @property
    def class_values(self) -> np.ndarray:
        """The class column (float codes); raises when no class is set."""
        if self.class_index is None:
            raise WorkbenchError(f"dataset '{self.relation}' has no class attribute set")
        return self.column(self.class_index)

    # New datasets from this one --------------------------------------------------------
    def _new(self, **changes: object) -> Dataset:
        fields = {"relation": self.relation, "attributes": self.attributes, "X": self.X,
                  "weights": self.weights, "class_index": self.class_index}
        fields.update(changes)
        # ``changes`` name Dataset's own fields, which its constructor checks
        return Dataset(**fields)  # type: ignore[arg-type]

    def with_class(self, key: int | str | None) -> Dataset:
        """The same data with another class attribute (or none)."""
        return self._new(class_index=None if key is None else self.index_of(key))

    def with_weights(self, weights: np.ndarray) -> Dataset:
        return self._new(weights=weights)

    def with_relation(self, relation: str) -> Dataset:
        return self._new(relation=relation)

    def select_rows(self, rows: np.ndarray | Sequence[int] | slice) -> Dataset:
        """Instances by index array, boolean mask or slice; slices share memory."""
        if not isinstance(rows, slice):
            rows = np.asarray(rows)
            if rows.dtype != bool:
                rows = rows.astype(np.intp, copy=False)
        return self._new(X=self.X[rows], weights=self.weights[rows])

    def select_attributes(self, keys: Sequence[int | str]) -> Dataset:
        """Columns by name or index, in the order given; keeps the class if selected."""
        indices = [self.index_of(k) for k in keys]
        class_index = None
        if self.class_index is not None and self.class_index in indices:
            class_index = indices.index(self.class_index)
        return self._new(attributes=[self.attributes[i] for i in indices],
                         X=self.X[:, indices], class_index=class_index)

    def remove_attributes(self, keys: Sequence[int | str]) -> Dataset:
        drop = {self.index_of(k) for k in keys}
        return self.select_attributes([i for i in range(self.num_attributes) if i not in drop])

    def train_test_split(self, train_rows: np.ndarray, test_rows: np.ndarray
                         ) -> tuple[Dataset, Dataset]:
        return self.select_rows(train_rows), self.select_rows(test_rows)

    def header(self) -> Dataset:
        """The same attributes with no instances, as WEKA's ``new Instances(data, 0)``.

        Its arrays are its own: an empty slice would be a view that keeps the whole
        matrix alive, and a header lives as long as what keeps it (a model, a result
        list entry), long after the data it came from is closed."""
        shape = (0, self.num_attributes)
        empty = sp.csr_matrix(shape) if sp.issparse(self.X) else np.empty(shape)
        return self._new(X=empty, weights=np.empty(0))

    def header_matches(self, other: Dataset) -> str | None:
        """None when ``other`` can be used with a model trained on this header, else why."""
        if other.num_attributes != self.num_attributes:   # (both may be called 'iris')
            return (f"this data has {other.num_attributes} attributes, the training data "
                    f"{self.num_attributes}")
        for i, (a, b) in enumerate(zip(self.attributes, other.attributes, strict=True)):
            if not a.same_header(b):
                return (f"attribute {i + 1} differs: '{a.name}' ({a.type}) in the "
                        f"training data, '{b.name}' ({b.type}) here"
                        if a.name != b.name or a.type != b.type
                        else f"attribute {i + 1} '{a.name}' has different values: "
                        f"{_first_label_difference(a.values, b.values)}")
        if self.class_index != other.class_index:
            return "the class attribute differs"
        return None

    # Display ---------------------------------------------------------------------------
    def value_text(self, row: int, key: int | str) -> str:
        """A value as a person reads it: the label, the string, the date, or ``?``."""
        j = self.index_of(key)
        value = self.X[row, j]
        return format_value(self.attributes[j], float(value))

    def equals(self, other: Dataset) -> bool:
        """Same header, class, weights and values (NaN equal to NaN)."""
        if (self.relation != other.relation or self.attributes != other.attributes
                or self.class_index != other.class_index
                or self.X.shape != other.X.shape):
            return False
        a, b = self.dense_values(), other.dense_values()
        return (np.array_equal(a, b, equal_nan=True)
                and np.array_equal(self.weights, other.weights))


def _first_label_difference(training: Sequence[str], here: Sequence[str]) -> str:
    """The first way two lists of nominal labels differ, naming the label: a test file
    with one label more than its training file ('Central') is told which one."""
    known = set(training)
    for label in here:
        if label not in known:
            return f"'{label}' is a label here, not in the training data"
    present = set(here)
    for label in training:
        if label not in present:
            return f"the training data's label '{label}' is not a label here"
    for position, (a, b) in enumerate(zip(training, here, strict=True), start=1):
        if a != b:
            return (f"the labels are in another order (label {position} is '{b}' here, "
                    f"'{a}' in the training data)")
    return "the labels differ"


def format_value(attribute: Attribute, value: float) -> str:
    """A stored number rendered in the attribute's own terms."""
    if np.isnan(value):
        return "?"
    kind = attribute.type
    if kind in (AttributeType.NOMINAL, AttributeType.STRING):
        return attribute.values[int(value)]
    if kind is AttributeType.DATE:
        return np.datetime64(int(value), "s").astype(str).replace("T", " ")
    if kind is AttributeType.RELATIONAL:
        return f"<bag of {attribute.bags[int(value)].shape[0]}>"
    return f"{value:.15g}"
