"""The bridge between a ``Dataset`` and a pandas ``DataFrame``, both ways.

pandas is how most Python users already hold their tables, and it is also the C parser
behind our CSV reader, so one column encoder serves both: ``from_pandas`` and
``read_csv`` turn a column into an ``Attribute`` and a float64 code column through
``encode_column``, and so a CSV file and the same table built in pandas give the same
dataset.

Text columns become nominal or string by one rule (``text_kind``): WEKA's CSVLoader
makes every non-numeric column nominal, and so do we, except a column whose values are
mostly distinct *and* long (free text such as names, reviews, sentences), which becomes
a string attribute, because a nominal attribute with one label per row helps no learner
and bloats every header. ``max_nominal`` caps the number of labels outright.

Nominal labels keep their order of first appearance, as WEKA's CSVLoader does (it keeps
labels in a ``LinkedHashSet``), so the first class seen is class 0 in both programs.

The relation name, the class attribute's name, date formats and which columns are
string attributes travel in ``DataFrame.attrs``, so ``from_pandas(to_pandas(d))`` gives
``d`` back, except that a string attribute's pool comes back holding only the strings
in use, in order of first appearance. Instance weights do not travel (a frame has no
place for them); pass them to ``from_pandas``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

import numpy as np
import pandas as pd

from workbench.core.errors import DataFormatError, ParameterError
from workbench.data.dataset import Attribute, AttributeType, Dataset
from workbench.data.dates import DEFAULT_DATE_FORMAT, DateError, date_format
from workbench.data.number_format import NumberFormat
from workbench.data.shown import shown

# A text column is free text (a string attribute) when it has more than this many
# distinct values ...
STRING_MIN_DISTINCT = 20
# ... that are more than this share of its non-missing values ...
STRING_MIN_DISTINCT_SHARE = 0.5
# ... and that are on average at least this many characters long.
STRING_MIN_MEAN_LENGTH = 20

# ISO 8601 dates and date-times, the only text a loader turns into dates unasked: they
# cannot be mistaken for anything else, and every locale writes them the same way.
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}([T ])\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?")

_EPOCH = pd.Timestamp(0, tz="UTC")
_SECOND = pd.Timedelta(1, "s")


class BadCell(DataFormatError):
    """A cell that does not read as the type its column was forced to: ``row`` (0-based
    among the data rows), ``column`` (the column's name) and ``value`` (the cell's text)
    travel beside the message, so that a file reader can name the line it is on, which
    only it knows."""

    def __init__(self, column: str, row: int, value: str, problem: str) -> None:
        super().__init__(f"column '{shown(column)}', data row {row + 1}: {problem}")
        self.cell_column = column
        self.row = row
        self.value = value
        self.problem = problem   # what is wrong with the value, the value quoted in it


def column_arrays(frame: pd.DataFrame) -> Iterator[np.ndarray | pd.api.extensions.ExtensionArray]:
    """The frame's columns as arrays, in order, without making a Series of each.

    pandas 3 keeps a parsed frame as one block per column, and both ``frame[j]`` and
    ``frame.iloc`` cost ~40 us a column, which dominated wide files (20 000 columns).
    The frame's own column iterator hands out the arrays directly; it is not public
    API, so a pandas without it takes the public (slower) path.
    """
    arrays = getattr(frame, "_iter_column_arrays", None)
    if arrays is not None:
        yield from arrays()
        return
    for j in range(frame.shape[1]):
        yield frame.iloc[:, j].array


def text_kind(labels: np.ndarray | list[str], n_present: int,
              max_nominal: int | None = None) -> AttributeType:
    """NOMINAL or STRING for a text column with these distinct ``labels``.

    ``n_present`` is the number of non-missing values. See the module docstring for why.
    """
    distinct = len(labels)
    if max_nominal is not None and distinct > max_nominal:
        return AttributeType.STRING
    if distinct <= STRING_MIN_DISTINCT or distinct <= STRING_MIN_DISTINCT_SHARE * n_present:
        return AttributeType.NOMINAL
    mean_length = sum(len(s) for s in labels) / distinct
    return AttributeType.STRING if mean_length >= STRING_MIN_MEAN_LENGTH else AttributeType.NOMINAL


def _iso_pattern(labels: list[str]) -> str | None:
    """The Java pattern that reads every label when all are ISO 8601 dates, else None."""
    if not labels:
        return None
    if all(_ISO_DATE.fullmatch(s) for s in labels):
        return "yyyy-MM-dd"
    separators: set[str] = set()
    with_seconds = with_millis = 0
    for s in labels:
        m = _ISO_DATETIME.fullmatch(s)
        if m is None:
            return None
        separators.add(m.group(1))
        with_seconds += m.group(2) is not None
        with_millis += m.group(3) is not None
    # Mixed precision ("12:00" beside "12:00:30") would not read with one pattern.
    if len(separators) != 1 or with_seconds not in (0, len(labels)) \
            or with_millis not in (0, len(labels)):
        return None
    sep = "'T'" if separators == {"T"} else " "
    time = "HH:mm:ss.SSS" if with_millis else "HH:mm:ss" if with_seconds else "HH:mm"
    return f"yyyy-MM-dd{sep}{time}"


def _codes(series: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Float codes (NaN for missing) and text labels in order of first appearance.

    Everything downstream (numbers, dates, labels) works on the distinct labels, so a
    column of a million rows and ten values costs ten parses.
    """
    # pandas' own text columns factorize three times faster as plain object arrays
    # (the same codes and labels); a wide file has thousands of them.
    values = series.to_numpy(dtype=object) if isinstance(series.dtype, pd.StringDtype) \
        else series
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    labels = [u if isinstance(u, str) else str(u) for u in uniques]
    if len(set(labels)) != len(labels):
        # Objects that print alike (1 and "1") are one label in a text file.
        relabel, merged = pd.factorize(pd.Series(labels, dtype=object))
        codes = np.where(codes >= 0, relabel[np.maximum(codes, 0)], -1)
        labels = [str(u) for u in merged]
    out = codes.astype(np.float64)
    out[codes < 0] = np.nan
    return out, labels


def _take(codes: np.ndarray, table: np.ndarray) -> np.ndarray:
    """``table[code]`` per row, NaN where the code is missing."""
    out = np.full(codes.shape, np.nan)
    present = ~np.isnan(codes)
    out[present] = table[codes[present].astype(np.intp)]
    return out


def _datetime_seconds(series: pd.Series) -> np.ndarray:
    if getattr(series.dt, "tz", None) is None:
        series = series.dt.tz_localize("UTC")
    else:
        series = series.dt.tz_convert("UTC")
    return ((series - _EPOCH) / _SECOND).to_numpy(dtype=np.float64, na_value=np.nan)


def _parse_dates(name: str, codes: np.ndarray, labels: list[str], pattern: str
                 ) -> np.ndarray:
    """Epoch seconds of each row under ``pattern``, parsing each distinct label once."""
    fmt = date_format(pattern)
    seconds = np.empty(len(labels))
    for i, label in enumerate(labels):
        try:
            seconds[i] = fmt.parse(label)
        except DateError as error:
            row = int(np.flatnonzero(codes == i)[0])
            raise BadCell(name, row, label, str(error)) from None
    return _take(codes, seconds)


def label_numbers(labels: list[str], number_format: NumberFormat | None = None
                  ) -> np.ndarray:
    """Each label as a number, NaN where it is not one (spaces around it allowed), read
    with ``number_format``'s separators (default: the decimal point, no grouping).

    "nan" reads as a number in Python, but a column of words that happens to include it
    must stay text, so only labels that parse to a non-NaN number count."""
    # On an array, not a Series: a Series and its .str accessor cost ~0.2 ms a column,
    # which a wide file's label columns paid a thousand times (str.strip is the same).
    if number_format is None or number_format.is_default():
        stripped = np.array([label.strip() for label in labels], dtype=object)
    else:
        stripped = np.array([number_format.plain(label) for label in labels], dtype=object)
    return np.asarray(pd.to_numeric(stripped, errors="coerce"), dtype=np.float64)


def encode_column(name: str, series: pd.Series, *, kind: AttributeType | str | None = None,
                  max_nominal: int | None = None, parse_numbers: bool = False,
                  detect_dates: bool = False, date_pattern: str | None = None,
                  number_format: NumberFormat | None = None,
                  ) -> tuple[Attribute, np.ndarray]:
    """One column as an ``Attribute`` and its float64 values in the Dataset encoding.

    ``kind`` forces the attribute type; otherwise the pandas dtype decides, and a text
    column becomes numeric (``parse_numbers``, as CSV files need), a date (only ISO 8601
    text, with ``detect_dates``), or nominal/string by ``text_kind``. ``date_pattern`` is
    the Java pattern for a forced date column (default: ISO 8601 detection, then WEKA's
    default pattern). ``number_format``: how the text writes numbers (decimal comma).
    A cell that does not read as a forced type is a ``BadCell``.
    """
    kind = None if kind is None else AttributeType(kind)
    dtype = series.dtype
    if kind is None:
        if isinstance(dtype, pd.CategoricalDtype):
            codes = series.cat.codes.to_numpy().astype(np.float64)
            codes[codes < 0] = np.nan
            return Attribute.nominal(name, [str(c) for c in dtype.categories]), codes
        if pd.api.types.is_bool_dtype(dtype):
            mask = series.isna().to_numpy()
            values = series.astype(object).to_numpy()
            codes = np.where(mask, np.nan, 0.0)
            codes[~mask] = [1.0 if bool(v) else 0.0 for v in values[~mask]]
            return Attribute.nominal(name, ("false", "true")), codes
        if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_complex_dtype(dtype):
            return Attribute.numeric(name), series.to_numpy(dtype=np.float64, na_value=np.nan)
        if pd.api.types.is_datetime64_any_dtype(dtype):
            return Attribute.date(name, DEFAULT_DATE_FORMAT), _datetime_seconds(series)
        if pd.api.types.is_timedelta64_dtype(dtype):
            return Attribute.numeric(name), (series / _SECOND).to_numpy(
                dtype=np.float64, na_value=np.nan)
        if pd.api.types.is_complex_dtype(dtype) or isinstance(
                dtype, pd.PeriodDtype | pd.IntervalDtype):
            raise ParameterError(f"column '{name}' has dtype {dtype}, which has no attribute "
                                 f"type (expected numbers, text, categories, booleans or "
                                 f"dates)")
    if kind is AttributeType.NUMERIC and pd.api.types.is_numeric_dtype(dtype):
        return Attribute.numeric(name), series.to_numpy(dtype=np.float64, na_value=np.nan)
    if kind is AttributeType.RELATIONAL:
        raise ParameterError(f"column '{name}': relational attributes cannot be made from a "
                             f"table column")

    codes, labels = _codes(series)
    if kind is AttributeType.NUMERIC or (kind is None and parse_numbers):
        numbers = label_numbers(labels, number_format)
        bad = np.flatnonzero(np.isnan(numbers))
        if bad.size == 0:
            return Attribute.numeric(name), _take(codes, numbers)
        if kind is AttributeType.NUMERIC:
            row = int(np.flatnonzero(np.isin(codes, bad))[0])
            value = labels[int(codes[row])]
            raise BadCell(name, row, value, f"'{shown(value)}' is not a number")
    if kind is AttributeType.DATE or (kind is None and detect_dates):
        pattern = date_pattern if date_pattern is not None else _iso_pattern(labels)
        if pattern is None and kind is AttributeType.DATE:
            pattern = DEFAULT_DATE_FORMAT
        if pattern is not None:
            try:
                return Attribute.date(name, pattern), _parse_dates(name, codes, labels,
                                                                   pattern)
            except DataFormatError:
                if kind is AttributeType.DATE:
                    raise
                # Looked like ISO dates but one is not a real date (2024-02-30): text.
    if kind is None:
        kind = text_kind(labels, int(np.count_nonzero(~np.isnan(codes))), max_nominal)
    if kind is AttributeType.STRING:
        return Attribute.string(name, labels), codes
    return Attribute.nominal(name, labels), codes


def from_pandas(df: pd.DataFrame, relation: str | None = None,
                class_index: int | str | None = None, *,
                weights: np.ndarray | None = None,
                max_nominal: int | None = None) -> Dataset:
    """A ``Dataset`` from a DataFrame: categoricals and booleans become nominal, numbers
    numeric, datetimes dates, other columns nominal or string (see ``text_kind``).

    ``relation`` and ``class_index`` default to what ``to_pandas`` left in ``df.attrs``
    (relation "dataframe" and no class otherwise). The index is not data and is ignored.
    """
    attrs: Mapping[str, object] = df.attrs or {}
    if relation is None:
        relation = str(attrs.get("relation", "dataframe"))
    if class_index is None and isinstance(attrs.get("class"), str) and \
            attrs["class"] in [str(c) for c in df.columns]:
        class_index = str(attrs["class"])
    formats = attrs.get("date_formats", {})
    if not isinstance(formats, Mapping):
        formats = {}
    strings = attrs.get("string_columns", ())
    strings = set(strings) if isinstance(strings, list | tuple | set) else set()
    attributes: list[Attribute] = []
    X = np.empty((len(df), df.shape[1]))
    for j in range(df.shape[1]):
        name = str(df.columns[j])
        attribute, values = encode_column(
            name, df.iloc[:, j], max_nominal=max_nominal,
            kind=AttributeType.STRING if name in strings else None)
        if attribute.type is AttributeType.DATE and isinstance(formats.get(name), str):
            attribute = Attribute.date(name, formats[name])
        attributes.append(attribute)
        X[:, j] = values
    dataset = Dataset(relation, attributes, X, weights=weights)
    if class_index is not None:
        dataset = dataset.with_class(class_index)
    return dataset


def to_pandas(dataset: Dataset) -> pd.DataFrame:
    """The dataset as a DataFrame a pandas user expects: nominal columns as Categorical
    with the declared categories in order, strings as object (None for missing), dates
    as ``datetime64[ns, UTC]``, numbers as float64; a relational column holds each
    bag's 2-D array. Relation, class name and date formats go into ``df.attrs``.
    """
    columns: dict[str, object] = {}
    X = dataset.X if isinstance(dataset.X, np.ndarray) else dataset.X.tocsc()
    for j, attribute in enumerate(dataset.attributes):
        col = (np.asarray(X[:, j]) if isinstance(X, np.ndarray)
               else np.asarray(X[:, j].toarray()).ravel())
        missing = np.isnan(col)
        codes = np.where(missing, -1, np.nan_to_num(col, nan=-1)).astype(np.int64)
        kind = attribute.type
        if kind is AttributeType.NUMERIC:
            columns[attribute.name] = col.astype(np.float64, copy=True)
        elif kind is AttributeType.NOMINAL:
            columns[attribute.name] = pd.Categorical.from_codes(
                codes, categories=pd.Index(list(attribute.values), dtype=object))
        elif kind is AttributeType.DATE:
            stamps = pd.to_datetime(np.where(missing, np.nan, col), unit="s", utc=True)
            columns[attribute.name] = pd.Series(stamps).astype("datetime64[ns, UTC]")
        elif kind is AttributeType.STRING:
            pool = np.empty(attribute.num_values + 1, dtype=object)
            pool[:-1] = attribute.values
            columns[attribute.name] = pd.Series(pool[codes], dtype=object)
        else:
            pool = np.empty(len(attribute.bags) + 1, dtype=object)
            for i, bag in enumerate(attribute.bags):
                pool[i] = bag
            pool[-1] = None
            columns[attribute.name] = pd.Series(pool[codes], dtype=object)
    df = pd.DataFrame(columns, index=pd.RangeIndex(dataset.num_instances))
    df.attrs["relation"] = dataset.relation
    df.attrs["class"] = (None if dataset.class_attribute is None
                         else dataset.class_attribute.name)
    df.attrs["date_formats"] = {a.name: a.date_format for a in dataset.attributes
                                if a.type is AttributeType.DATE and a.date_format}
    df.attrs["string_columns"] = [a.name for a in dataset.attributes
                                  if a.type is AttributeType.STRING]
    return df


__all__ = ["encode_column", "from_pandas", "text_kind", "to_pandas"]
