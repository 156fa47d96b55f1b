"""CSV files (``.csv``, ``.tsv``, ``.csv.gz``) to and from datasets.

Parsing is pandas' C engine: it is fast, and it already gets RFC 4180 quoting, quoted
line breaks, CRLF and CR-only line ends right. What is ours is what WEKA's CSVLoader
decides and pandas does not:

- **Delimiter**: comma, semicolon or tab, whichever splits the first lines into the same
  number (more than one) of fields most consistently (ties go to that order).
- **Missing values**: ``?`` and the empty field, as in WEKA. ``missing=`` replaces
  ``?`` (as WEKA's ``-M`` does); the empty field is missing whatever it says.
- **Types**: a column is numeric when every non-missing value reads as a number (spaces
  around it allowed, as Java's ``Double.parseDouble`` allows them); a column whose
  values are all ISO 8601 dates (``2024-03-01``, ``2024-03-01T12:30:00``, or with a
  space) is a date (WEKA never guesses dates; these cannot be misread); every other
  column is nominal, as in WEKA, unless it looks like free text (many distinct, long
  values: see ``workbench.data.frames.text_kind``), which becomes a string attribute.
  A column with no values at all is numeric (WEKA makes it a string; numeric keeps it
  usable by every learner). ``nominal=``, ``string=``, ``numeric=`` and ``date=``
  force types by column name or 0-based index (or a ``ColumnNumber``: the 1-based
  number a person typed, as WEKA numbers columns, refused outside 1..N in those terms;
  or a ``ColumnSpan``, WEKA's ``first-3``/``last``); a cell that does not read as its
  forced type is refused naming its line, column and value.
- **Numbers** are written with a decimal point unless ``decimal=`` says otherwise
  (``','``, the European spreadsheets' default) and ``thousands=`` names a grouping
  character (``'.'``, ``','``, or ``' '``, which stands for the no-break spaces
  LibreOffice writes too): pandas' semantics (``workbench.data.number_format``). Never
  guessed: ``number_separators`` finds the columns that look so written, for the
  command line and the Explorer to say which option reads them.
- **Nominal labels** are in order of first appearance, as WEKA's CSVLoader keeps them.
- **Backslash escapes** (``"say \\"hi\\""``) are honoured when the file uses them: a
  ``\\"`` followed by anything but a delimiter or line end cannot be RFC 4180 quoting.
- **Ragged rows** (too many or too few fields) are errors naming the line, as in WEKA;
  pandas would silently pad short rows with missing values.

The relation is named after the file, as WEKA names it. Text is UTF-8 unless a
byte-order mark says UTF-16 or UTF-32 or ``encoding=`` names another (rules and the
refusal's advice in ``workbench.data.text_encoding``); ``header=False``, ``skip_lines=`` (title
lines above the header) and ``quotechar=`` cover the remaining WEKA CSVLoader options.

Writing is ours too (``write_csv``, in ``workbench.data.csv_write`` and importable from
here): labels for nominal and string values, ``?`` for missing, dates in their
attribute's pattern, integers without ``.0``, other numbers as the shortest text that
reads back to the same float, quotes only where needed. The missing-value tokens both
sides share, and the marking of quoted look-alikes, are in ``workbench.data.csv_missing``.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import warnings
import zlib
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from workbench.core.errors import (
    DataFormatError,
    ParameterError,
    WorkbenchError,
    WorkbenchWarning,
)
from workbench.data.csv_missing import (
    DEFAULT_MISSING,
    protect_quoted_missing,
    unprotect,
    with_empty_field,
)
from workbench.data.csv_options import (  # noqa: F401  (ColumnNumber, ColumnSpan, typed_columns re-exported)
    ColumnChoiceError,
    ColumnNumber,
    ColumnSpan,
    typed_columns,
)
from workbench.data.csv_progress import PARSE_SHARE, READ_SHARE, ReadProgress
from workbench.data.csv_where import (
    delimiter_words,
    find_ragged_row,
    ragged_error,
    record_line,
    unclosed_quote,
)
from workbench.data.csv_wide import WIDE_COLUMNS, WideRead, read_wide
from workbench.data.csv_write import (  # noqa: F401  (written beside the reader, imported from here)
    atomic_write_bytes,
    dataset_to_csv_text,
    write_csv,
)
from workbench.data.dataset import Attribute, AttributeType, Dataset
from workbench.data.dates import DateError
from workbench.data.frames import BadCell, column_arrays, encode_column
from workbench.data.number_format import NumberFormat
from workbench.data.packed import check_parse_cost, columns_on_line, read_bytes, refuse_nul
from workbench.data.shown import shown
from workbench.data.text_encoding import as_utf8, byte_order_mark, decode_text

DELIMITERS = (",", ";", "\t")
_SAMPLE_LINES = 50
# ... or fewer lines once they hold this many characters (three lines at least): the
# lines of a wide file are long, and 50 of them cost more to split than to parse.
_SAMPLE_CHARS = 1 << 18
_LINE_END = re.compile(r"\r\n|\r|\n")



ColumnKeys = Iterable[int | str]


def relation_name(path: str | os.PathLike[str]) -> str:
    """The file name without its data extensions, as WEKA names a CSV relation."""
    name = Path(path).name
    for suffix in (".gz", ".csv", ".tsv", ".txt"):
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
    return name


def _line_start(raw: bytes | bytearray, line: int) -> int | None:
    """Where line ``line`` (0-based, LF-ended) starts, or None when there are fewer."""
    at = 0
    for _ in range(line):
        at = raw.find(b"\n", at) + 1
        if at == 0:
            return None
    return at


def _read_text(path: Path, encoding: str, numbers_after: int | None,
               skip_lines: int = 0) -> tuple[str, bytes | bytearray]:
    """The file's text and its bytes (unpacked); ``numbers_after``: the lines above the
    values (title lines and the header), when no column is forced to labels, so that
    values that are all whole numbers are charged as numbers (``packed.parse_cost``);
    None charges the text at the rate of any text."""
    if not path.exists():
        raise DataFormatError("no such file", path)
    if path.is_dir():
        raise DataFormatError("is a folder, not a data file", path)
    raw = read_bytes(path, str(path), costed=False)   # gzip by its magic, within a limit
    # Another encoding (named, or by a UTF-16/32 byte-order mark) becomes UTF-8 bytes
    # here, so that the costing below and the wide reader see one encoding.
    raw = as_utf8(raw, encoding, path)
    # (fewer lines than the values start after: no values to charge apart)
    numbers_from = None if numbers_after is None else _line_start(raw, numbers_after)
    # Columns counted on the header, below any title lines.
    check_parse_cost(raw, str(path), numbers_from=numbers_from,
                     columns=columns_on_line(raw, _line_start(raw, skip_lines) or 0))
    text, _ = decode_text(raw, "utf-8", path)   # UTF-8 by now (its mark skipped)
    refuse_nul(text, str(path))   # in the text: a NUL in UTF-8 text is no text
    return text, raw


def _allow_fields_of(text: str) -> None:
    """Let Python's ``csv`` module read any field ``text`` can hold.

    pandas reads a quoted field of any length, but the ``csv`` module (used here for
    the delimiter, the header and the ragged-row check) refuses fields over 131 072
    characters, so a valid file with one long quoted value failed in the second pass.
    The limit is raised, never lowered: it is process-wide, and a larger one only
    stops guarding what pandas already read.
    """
    needed = min(len(text) + 1, 2**31 - 1)
    if csv.field_size_limit() < needed:
        csv.field_size_limit(needed)


def _line_offset(text: str, count: int) -> int:
    """Where line ``count`` (0-based; LF, CRLF or CR ended) of ``text`` starts: its
    length when there are fewer."""
    position = 0
    for _ in range(count):
        m = _LINE_END.search(text, position)
        if m is None:
            return len(text)
        position = m.end()
    return position


def _sample(text: str) -> str:
    """The first lines of ``text``: enough to see the delimiter and the header."""
    for i, m in enumerate(_LINE_END.finditer(text)):
        if i + 1 >= _SAMPLE_LINES or (i >= 2 and m.end() >= _SAMPLE_CHARS):
            return text[: m.end()]
    return text


def detect_delimiter(sample: str) -> str:
    """The delimiter among comma, semicolon and tab that splits ``sample`` most evenly."""
    best, best_score = ",", (0.0, 0)
    for delimiter in DELIMITERS:
        reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
        try:
            counts = [len(row) for row in reader if row]
        except csv.Error:
            continue
        if len(counts) > 1 and not sample.endswith(("\n", "\r")):
            counts = counts[:-1]  # the last line of a sample may be cut short
        if not counts:
            continue
        modal = max(set(counts), key=counts.count)
        if modal < 2:
            continue
        score = (counts.count(modal) / len(counts), modal)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def file_delimiter(path: str | os.PathLike[str], encoding: str = "utf-8",
                   skip_lines: int = 0) -> str:
    """The delimiter ``read_csv`` finds in ``path`` when it is given none (comma,
    semicolon or tab), from the file's first lines: for writing data back in the
    delimiter it came in (``convert data.tsv -`` keeps the tabs)."""
    with open(path, "rb") as handle:
        head = handle.read(_SAMPLE_CHARS)
    if head.startswith(b"\x1f\x8b"):   # gzip: the first unpacked bytes
        try:
            head = zlib.decompressobj(wbits=31).decompress(head, _SAMPLE_CHARS)
        except zlib.error:
            return ","
    mark = byte_order_mark(head)
    try:
        text = head[mark[1] if mark else 0:].decode(mark[0] if mark else encoding,
                                                    errors="ignore")
    except LookupError:
        text = head.decode("utf-8", errors="ignore")
    return detect_delimiter(_sample(text[_line_offset(text, skip_lines):]))


def _uses_backslash_escapes(sample: str, delimiter: str, quotechar: str) -> bool:
    q = re.escape(quotechar)
    pattern = r"\\" + q + r"(?![" + re.escape(delimiter) + r"\r\n" + q + r"]|$)"
    return re.search(pattern, sample) is not None


def _resolve(keys: ColumnKeys, names: Sequence[str], what: str) -> list[int]:
    out = []
    for key in keys:
        if isinstance(key, ColumnSpan) and key not in names:
            out.extend(key.indices(len(names)))
        elif isinstance(key, ColumnNumber):
            if key.text in names:
                out.append(names.index(key.text))
            elif 1 <= key <= len(names):
                out.append(int(key) - 1)
            else:
                raise ParameterError(f"{what} column {key.text} is outside 1..{len(names)}: "
                                     f"columns are numbered from 1 (or give a name: "
                                     f"{', '.join(shown(n, 30) for n in names[:8])}"
                                     f"{', ...' if len(names) > 8 else ''})")
        elif isinstance(key, int | np.integer):
            index = int(key) + (len(names) if key < 0 else 0)
            if not 0 <= index < len(names):
                raise ParameterError(f"{what} column {key} is outside 0..{len(names) - 1}")
            out.append(index)
        elif key in names:
            out.append(names.index(key))
        else:
            raise ParameterError(f"{what} column '{key}' is not in the file (its columns: "
                                 f"{', '.join(names)})")
    return out


def _header(sample: str, delimiter: str, quotechar: str, escapechar: str | None, path: Path,
            line_offset: int) -> tuple[list[str], int]:
    """The first record's fields, and the lines it ends (blank ones above it too)."""
    reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter,
                        quotechar=quotechar, escapechar=escapechar)
    try:
        for row in reader:
            if row:
                return row, reader.line_num
    except csv.Error as error:
        raise DataFormatError(str(error), path, line_offset + reader.line_num) from None
    raise DataFormatError("the file has no header row and no data", path, line_offset + 1,
                          expected="a header line naming the columns")


def read_csv(
    path: str | os.PathLike[str],
    *,
    class_index: int | str | None = None,
    nominal: ColumnKeys = (),
    string: ColumnKeys = (),
    numeric: ColumnKeys = (),
    date: ColumnKeys = (),
    date_format: str | None = None,
    delimiter: str | None = None,
    missing: Sequence[str] = DEFAULT_MISSING,
    max_nominal: int | None = None,
    header: bool = True,
    skip_lines: int = 0,
    quotechar: str = '"',
    encoding: str = "utf-8",
    relation: str | None = None,
    decimal: str = ".",
    thousands: str = "",
) -> Dataset:
    """Read a CSV file into a ``Dataset`` (rules in the module docstring).

    ``class_index`` is a column name or index (negative counts from the end; None leaves
    no class set). ``header=False`` names columns ``att1``, ``att2``... as WEKA does.
    ``skip_lines`` skips title lines above the header. ``date_format`` is the Java
    pattern for the ``date=`` columns (default: ISO 8601, else WEKA's default pattern).
    ``decimal`` and ``thousands`` are how the numbers are written (``decimal=','``,
    ``thousands='.'`` for a German spreadsheet's ``1.234,5``), as pandas takes them.
    Raises ``DataFormatError`` naming the file and line for anything it cannot read.
    """
    path = Path(path)
    missing = with_empty_field(missing)
    number_format = NumberFormat(decimal, thousands or "").checked(quotechar=quotechar)
    if skip_lines < 0:
        raise ParameterError(f"skip_lines is {skip_lines}: the lines to skip above the "
                             f"header number 0 or more")
    if delimiter is not None and len(delimiter) != 1:
        raise ParameterError(f"the delimiter must be one character, got {delimiter!r}")
    steps = ReadProgress(path)
    steps.at(0.0, "reading the file")
    labels_forced = bool(nominal or string or date)   # digits read as labels cost more
    full, raw = _read_text(path, encoding, None if labels_forced else skip_lines + header,
                           skip_lines)
    steps.at(READ_SHARE, "parsing")
    skipped = _line_offset(full, skip_lines)
    text = full[skipped:] if skipped else full
    _allow_fields_of(text)
    sample = _sample(text)
    if not sample.strip():
        raise DataFormatError("the file is empty", path,
                              expected="a header line naming the columns")
    delimiter = delimiter or detect_delimiter(sample)
    escapechar = "\\" if _uses_backslash_escapes(sample, delimiter, quotechar) else None
    first, header_lines = _header(sample, delimiter, quotechar, escapechar, path, skip_lines)
    if header:
        names = [name.strip() or f"att{j + 1}" for j, name in enumerate(first)]
        seen: set[str] = set()
        for j, name in enumerate(names):
            if name in seen:
                raise DataFormatError(f"column {j + 1} repeats the name '{shown(name)}'", path,
                                      skip_lines + 1, expected="distinct column names")
            seen.add(name)
    else:
        names = [f"att{j + 1}" for j in range(len(first))]

    forced = _forced_types(path, names, nominal, string, numeric, date)

    text, protected = protect_quoted_missing(text, delimiter, quotechar, missing)
    as_text = {names[i] for i, k in forced.items() if k is not AttributeType.NUMERIC}

    def parse(part: str, columns: list[str], has_header: bool,
              stream: Callable[[str], Any] = io.StringIO) -> pd.DataFrame:
        """pandas' read of ``columns`` (of ``part`` as ``stream`` gives it to pandas),
        with quoted missing look-alikes and booleans back to the file's own text."""
        frame = _parse(part, path, columns, delimiter, escapechar, quotechar, missing,
                       has_header, skip_lines, as_text & set(columns), number_format,
                       stream=stream)
        if protected:
            unprotect(frame)
        bools = [name for name, dtype in zip(columns, frame.dtypes.tolist(), strict=True)
                 if pd.api.types.is_bool_dtype(dtype)]
        if bools:
            # pandas turned True/false text into booleans; read those columns again as
            # text so the labels are the file's own spelling.
            again = _parse(part, path, columns, delimiter, escapechar, quotechar, missing,
                           has_header, skip_lines, set(bools), number_format, usecols=bools)
            for name in bools:
                frame[name] = again[name]
        return frame

    width = len(names)
    wide = None
    # (the wide reader reads numbers with the decimal point only)
    if width >= WIDE_COLUMNS and escapechar is None and number_format.is_default():
        start = _line_offset(text, header_lines if header else 0)
        # The file's own bytes when they are the text's UTF-8 (a copy saved: 0.1 s for
        # 67 MB), else the text encoded.
        section = _utf8_tail(raw, full, skipped + start) \
            if not protected else bytearray(text[start:], "utf-8")
        del raw
        wide = _read_wide(section, names, delimiter, quotechar, missing,
                          {i for i, k in forced.items() if k is not AttributeType.NUMERIC},
                          parse)
    else:
        del raw
    if wide is not None:
        X, columns, frame = wide.X, wide.labels, wide.frame
    else:
        frame = parse(text, names, header, steps.stream)
        steps.at(READ_SHARE + PARSE_SHARE, "checking the rows")
        if frame.shape[0] and frame.iloc[:, -1].isna().any():
            ragged = find_ragged_row(text, delimiter, quotechar, escapechar, width, header)
            if ragged is not None:
                raise ragged_error(path, ragged, width, delimiter, skip_lines)
        X = np.empty((frame.shape[0], width))
        columns = list(range(width))

    attributes: list[Attribute | None] = [Attribute.numeric(name) for name in names] \
        if wide is not None else [None] * width
    if frame is not None:
        try:
            _encode(path, frame, columns, names, forced, X, attributes, max_nominal,
                    date_format, number_format, steps)
        except BadCell as cell:
            line = record_line(text, delimiter, quotechar, escapechar, header, cell.row)
            j = names.index(cell.cell_column)
            raise DataFormatError(
                f"column {j + 1} ('{shown(names[j])}'): {cell.problem}", path,
                None if line is None else skip_lines + line,
                expected=_forced_expected(forced.get(j), date_format)) from None
    kept = [a for a in attributes if a is not None]
    if width > 1 and not first[-1].strip() and width - 1 not in forced \
            and np.isnan(X[:, -1]).all():
        X, kept = X[:, :-1], kept[:-1]
        warnings.warn(WorkbenchWarning(_trailing_note(path, width, delimiter)), stacklevel=2)
    dataset = Dataset(relation if relation is not None else relation_name(path), kept, X)
    if class_index is not None:
        try:
            dataset = dataset.with_class(class_index)
        except WorkbenchError as error:
            raise ParameterError(f"{path}: class: {error}") from None
    return dataset


def _forced_types(path: Path, names: list[str], nominal: ColumnKeys, string: ColumnKeys,
                  numeric: ColumnKeys, date: ColumnKeys) -> dict[int, AttributeType]:
    """The columns whose type the caller forces, by index; a column the file does not
    have, or one forced to two types, is refused naming the file (the Explorer's red
    bar showed the bare reason, with no word of which file it was about)."""
    forced: dict[int, AttributeType] = {}
    try:
        for keys, kind in ((nominal, AttributeType.NOMINAL), (string, AttributeType.STRING),
                           (numeric, AttributeType.NUMERIC), (date, AttributeType.DATE)):
            for index in _resolve(keys, names, kind.value):
                if index in forced and forced[index] is not kind:
                    raise ParameterError(f"column '{names[index]}' is asked to be both "
                                         f"{forced[index]} and {kind}")
                forced[index] = kind
    except ParameterError as error:
        raise ColumnChoiceError(f"{path}: {error}") from None
    return forced


def _trailing_note(path: Path, width: int, delimiter: str) -> str:
    """The note for a last column with no name and no values, which is left out: what
    a delimiter at the end of every line (Excel's and many databases' exports) leaves.
    WEKA refuses such a file (4 values, 3 names); pandas keeps an all-missing
    "Unnamed: 3". Kept here, it became the default class, numeric and all missing, so a
    learner refused a class nobody wrote and ZeroR "learned" from no instance."""
    return (f"{path}: column {width} has no name and no values (a "
            f"{delimiter_words(delimiter)} at the end of every line?): it is left out")


def _forced_expected(kind: AttributeType | None, date_format: str | None) -> str:
    """What a cell refused under a forced type should have been."""
    if kind is AttributeType.NUMERIC:
        return "a number, since the column is read as numeric"
    if date_format is None:
        return ("a date, since the column is read as a date: in ISO 8601 or WEKA's "
                "default yyyy-MM-dd'T'HH:mm:ss unless a date format says how its dates "
                "are written (dd/MM/yyyy, ...)")
    return "a date in the date format given, since the column is read as a date"


def _utf8_tail(raw: bytes | bytearray, text: str, start: int) -> bytearray:
    """A copy of ``raw``, whose UTF-8 (and byte order mark) ``text`` is, from where
    ``text[start:]`` begins."""
    at = len(text[:start].encode("utf-8")) + (3 if raw.startswith(codecs.BOM_UTF8) else 0)
    return bytearray(memoryview(raw)[at:])


def _read_wide(section: bytearray, names: list[str], delimiter: str, quotechar: str,
               missing: Sequence[str], text_columns: set[int],
               parse: Callable[[str, list[str], bool], pd.DataFrame]) -> WideRead | None:
    """A wide file's data lines, ``section`` in UTF-8, read by ``csv_wide``, or None;
    its label columns are parsed by ``parse``, a failure there declining too."""
    def read_labels(part: str, columns: list[int]) -> pd.DataFrame | None:
        try:
            return parse(part, [names[j] for j in columns], False)
        except DataFormatError:
            return None

    return read_wide(section, len(names), delimiter, quotechar, missing, text_columns,
                     read_labels)


def _encode(path: Path, frame: pd.DataFrame, columns: list[int], names: list[str],
            forced: dict[int, AttributeType], X: np.ndarray,
            attributes: list[Attribute | None], max_nominal: int | None,
            date_format: str | None, number_format: NumberFormat,
            steps: ReadProgress | None = None) -> None:
    """Encode the file's ``columns``, read by pandas as ``frame``, into ``X`` and
    ``attributes`` (WEKA's type decisions: module docstring)."""
    # Columns pandas already parsed as numbers go into the matrix in one block: one
    # Series and one encode_column per column cost ~0.1 ms each, which dominated wide
    # files (20 000 columns). Only the other columns are encoded one by one.
    numbers = [k for k, dtype in enumerate(frame.dtypes.tolist())
               if isinstance(dtype, np.dtype) and dtype.kind in "iuf"
               and forced.get(columns[k], AttributeType.NUMERIC) is AttributeType.NUMERIC]
    done = set(numbers)
    for k, values in _number_columns(frame, numbers):
        j = columns[k]
        X[:, j] = values
        attributes[j] = Attribute.numeric(names[j])
    for k, j in enumerate(columns):
        if k in done:
            continue
        if steps is not None:   # a label column of millions of rows takes a while
            steps.column(k, len(columns))
        try:
            attribute, values = encode_column(
                names[j], frame[names[j]], kind=forced.get(j), max_nominal=max_nominal,
                parse_numbers=True, detect_dates=True,
                date_pattern=date_format if forced.get(j) is AttributeType.DATE else None,
                number_format=number_format)
        except BadCell:
            raise   # (read_csv names its line)
        except DataFormatError as error:
            raise DataFormatError(error.reason, path) from None
        except DateError as error:
            raise DataFormatError(str(error), path) from None
        attributes[j] = attribute
        X[:, j] = values


def _number_columns(frame: pd.DataFrame, columns: list[int]
                    ) -> Iterable[tuple[int, np.ndarray]]:
    """(index, float64 values) of the numeric ``columns`` of ``frame``, cheaply."""
    wanted = set(columns)
    if not wanted:
        return
    for j, array in enumerate(column_arrays(frame)):
        if j in wanted:
            yield j, np.asarray(array, dtype=np.float64)


def _parse(text: str, path: Path, names: list[str], delimiter: str, escapechar: str | None,
           quotechar: str, missing: Sequence[str], header: bool, skip_lines: int,
           as_text: set[str], number_format: NumberFormat,
           usecols: list[str] | None = None,
           stream: Callable[[str], Any] = io.StringIO) -> pd.DataFrame:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", pd.errors.ParserWarning)
            return pd.read_csv(
                stream(text), sep=delimiter, header=0 if header else None, names=names,
                index_col=False, usecols=usecols, dtype={n: str for n in as_text} or None,
                na_values=list(missing), keep_default_na=False, quotechar=quotechar,
                escapechar=escapechar, skip_blank_lines=True, engine="c",
                decimal=number_format.decimal, thousands=number_format.thousands or None)
    except pd.errors.EmptyDataError:
        raise DataFormatError("the file is empty", path) from None
    except (pd.errors.ParserError, pd.errors.ParserWarning, ValueError) as error:
        message = str(error).strip().removeprefix("Error tokenizing data. C error: ")
        # An open quote first: the row it cuts short would read as a ragged row
        # ("this row has 2 fields"), which names the line but not the cause.
        opened = unclosed_quote(text, delimiter, quotechar, escapechar) \
            if "EOF inside string" in message else None   # pandas names the record only
        if opened is not None:
            raise DataFormatError(f"the quote {quotechar} that opens a value here is never "
                                  f"closed, so the rest of the file would be one value",
                                  path, skip_lines + opened[0], opened[1],
                                  expected=f"a closing {quotechar} before the end of the "
                                           f"file") from None
        ragged = find_ragged_row(text, delimiter, quotechar, escapechar, len(names),
                                  header)
        if ragged is not None:
            raise ragged_error(path, ragged, len(names), delimiter, skip_lines) from None
        if "EOF inside string" in message:
            raise DataFormatError("a quoted value is never closed", path,
                                  expected=f"a closing {quotechar} before the end of the "
                                           f"file") from None
        m = re.search(r"(?:line|row) (\d+)", message)
        raise DataFormatError(shown(message, 300), path,
                              skip_lines + int(m.group(1)) if m else None) from None
