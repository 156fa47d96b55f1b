"""Reading and writing WEKA's ARFF files.

``read_arff`` covers the format as WEKA's ``ArffLoader`` reads it: ``%`` comments,
keywords in any case, quoted names and values with Java escapes, numeric/real/integer,
nominal, string, date (Java ``SimpleDateFormat`` patterns, see ``dates``) and relational
attributes, dense and sparse rows, ``?`` for missing, instance weights ``{w}``, gzip,
CRLF/CR line ends and a UTF-8 byte-order mark. A plain dense data section goes to
pandas' C parser (``arff_fast``); a large sparse one is read a block of plain rows at a
time (``arff_sparse``); every other row, every file the fast path declines and every
block that is not plain goes through the careful reader (``arff_rows``), which reports
bad input as ``path:line:column: what is wrong (expected what)``.

``write_arff`` writes files WEKA reads back: names and labels quoted as ``Utils.quote``
does, numbers with enough digits to read back the identical float64 (integers without
``.0``), dates in their attribute's pattern, weights only when not 1, sparse rows for
sparse data.

Like WEKA, commas and any whitespace separate values (``1 2`` is two values), and a
trailing ``% comment`` ends any line outside quotes.

Differences from WEKA, on purpose:

- Text is UTF-8 unless a byte-order mark says UTF-16 or UTF-32 or ``encoding=`` names
  another (WEKA uses the platform's charset). A byte that is not text in it is an
  error naming its line and column and the encoding the bytes look like, rather than a
  guess, so a file never loads with silently garbled labels.
- An unterminated quote is an error (Java's tokenizer silently ends it at the line end).
- Anything after a complete attribute declaration is an error (WEKA skips the rest of
  the line, so ``date yyyy-MM-dd HH:mm`` unquoted would silently lose ``HH:mm``).
- ``NaN`` (any case Python's ``float`` accepts) in a numeric column is read as missing;
  ``inf``/``Infinity`` read as infinities and are written as ``Infinity``.
- ``\\uXXXX`` inside quotes is read as that character (Java's tokenizer reads ``u``
  followed by the digits); other unknown escapes such as ``\\j`` give the letter, as in
  WEKA. The writer escapes control characters as octal (``\\001``), which both read.
- Dates are read and written in UTC, strictly, in the proleptic Gregorian calendar (see
  ``workbench.data.dates``); WEKA uses the JVM's local time zone.
- A file with any sparse row gives a SciPy CSR matrix for the whole file.
- In a sparse row, an omitted string or relational value is code 0 (the first string or
  bag), as in WEKA; if no row gives such a column a value at all, the pool is ``['']``
  (or one empty bag) so that code 0 still means something. The writer always writes
  string and relational values in sparse rows, so the pool survives a round trip.
- Instance weights inside a relational value are rejected (a bag has no weights).
- Every relational value becomes a bag of its own; equal bags are not shared.
- Number syntax is Python's ``float`` (no Java ``1.0d``/hex floats; ``1_0`` rejected).
- Limits that keep a hostile file from hanging or exhausting memory: a file holds or a
  gzip file unpacks to at most 256 MiB of text (``packed.MAX_UNPACKED_BYTES``), a file
  is refused when parsing it would not fit in free memory (estimated from its bytes,
  lines, sparse rows and relational values: ``packed.parse_cost``), relational
  attributes nest at most 16 deep, a sparse index is ASCII digits, a ``\\u`` escape
  must not leave half a surrogate pair, and date patterns match in time linear in their
  length.
"""

from __future__ import annotations

import gzip
import io
import math
import os
import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from workbench.core.atomic import write_bytes_atomic
from workbench.core.errors import DataFormatError, ParameterError, WorkbenchError
from workbench.data.arff_header import Header, parse_header
from workbench.data.arff_rows import parse_rows, read_bag
from workbench.data.arff_tokens import LINE_BREAK, quote, split_lines
from workbench.data.arff_values import Decoder, make_decoder
from workbench.data.dataset import Attribute, AttributeType, Dataset
from workbench.data.dates import DEFAULT_DATE_FORMAT, date_format
from workbench.data.packed import (
    GZIP_MAGIC,
    check_parse_cost,
    read_bytes,
    refuse_nul,
    unpack_gzip,
)
from workbench.data.text_encoding import TextEncodingError, as_utf8, guess_encoding

__all__ = ["arff_header_text", "read_arff", "write_arff"]

# pandas' C reader wins only on larger files: importing pandas takes longer than our own
# parser needs for a data section this small (``workbench info iris`` spent most of its
# time importing pandas), so smaller sections never load it.
FAST_PATH_MIN_BYTES = 64 * 1024
# The line that ends a header: its first word is @data (WEKA ignores case).
_DATA_LINE = re.compile(rb"^[ \t]*@data\b", re.IGNORECASE | re.MULTILINE)

# Reading ------------------------------------------------------------------------------
def _source_bytes(source: str | os.PathLike[str] | io.IOBase,
                  name: str | None) -> tuple[bytes | bytearray, str]:
    """The file's bytes (gunzipped when they start with gzip's magic) and its display name."""
    if isinstance(source, (str, os.PathLike)):
        display = name or os.fspath(source)
        return read_bytes(source, display, costed=False), display
    if hasattr(source, "read"):
        display = name or str(getattr(source, "name", "<stream>"))
        try:
            content = source.read()
        except (OSError, UnicodeDecodeError) as exc:
            raise DataFormatError(f"cannot read the stream: {exc}", display) from None
        data: bytes | bytearray = (content.encode("utf-8", errors="surrogatepass")
                                   if isinstance(content, str) else bytes(content))
    else:
        raise ParameterError(f"read_arff needs a path or an open file, not "
                             f"{type(source).__name__}")
    if data.startswith(GZIP_MAGIC):
        data = unpack_gzip(io.BytesIO(data), display, costed=False)
    return data, display   # its parse cost is checked by _read_arff, around the header


def _decode_section(data: bytes | bytearray, offset: int, first_line: int, path: str) -> str:
    try:
        return data[offset:].decode("utf-8")
    except UnicodeDecodeError as exc:
        before = LINE_BREAK.split(data[offset:offset + exc.start].decode("utf-8"))
        raise TextEncodingError(f"byte 0x{data[offset + exc.start]:02x} is not valid UTF-8 "
                                "text", path, first_line + len(before) - 1,
                                len(before[-1]) + 1, "utf-8",
                                guess_encoding(data[offset:])) from None


def _decoders(attributes: tuple[Attribute, ...]) -> list[Decoder]:
    return [make_decoder(a, read_bag) for a in attributes]


def read_arff(source: str | os.PathLike[str] | io.TextIOBase, *,
              class_index: int | str | None = None, name: str | None = None,
              encoding: str = "utf-8") -> Dataset:
    """Read an ARFF file (a path, ``.arff.gz``, or an open stream) into a ``Dataset``.

    ``class_index`` picks the class attribute by position (negative counts from the end)
    or by name; None sets no class, since ARFF files do not say which one it is. ``name``
    is the file name used in error messages for a stream. ``encoding`` is the text's
    (Python's codec names; a UTF-16 or UTF-32 byte-order mark is obeyed). Every problem
    with the input raises ``DataFormatError`` naming the line and column.
    """
    return _read_arff(source, class_index=class_index, name=name, fast=True,
                      encoding=encoding)


def _read_arff(source: str | os.PathLike[str] | io.TextIOBase, *,
               class_index: int | str | None = None, name: str | None = None,
               fast: bool = True, encoding: str = "utf-8") -> Dataset:
    """``read_arff``; ``fast=False`` skips the C fast path, so tests can compare both."""
    data, display = _source_bytes(source, name)
    data = as_utf8(data, encoding, display)   # the readers below work on UTF-8 bytes
    refuse_nul(data, display)
    # The header first, charged as any text up to the first line that starts with
    # @data (where the header ends at the latest); then the whole file, knowing its
    # types: each relational value becomes a bag of its own (the costliest rows), and
    # whole numbers under numeric and nominal attributes are charged as numbers.
    data_line = _DATA_LINE.search(data)
    check_parse_cost(data, display, end=None if data_line is None else data_line.end())
    header = parse_header(data, display)
    types = [a.type for a in header.attributes]   # once: a wide file has 250 000
    bags = types.count(AttributeType.RELATIONAL)
    kinds = set(types)
    numbers = kinds <= {AttributeType.NUMERIC, AttributeType.NOMINAL}
    check_parse_cost(data, display, bags_per_line=bags,
                     numbers_from=header.data_offset if numbers else None,
                     columns=len(header.attributes))
    if fast and len(data) - header.data_offset >= FAST_PATH_MIN_BYTES:
        dataset = _read_plain(data, header, kinds)
        if dataset is not None:
            return _finish(dataset, class_index, display)
    decoders = _decoders(header.attributes)
    if numbers:   # charged as numbers for pandas' C reader: this one costs more
        check_parse_cost(data, display, bags_per_line=bags, columns=len(header.attributes))
    text = _decode_section(data, header.data_offset, header.data_line, display)
    # Large sparse sections are read a block of rows at a time (``arff_sparse``, with
    # pandas), as large dense ones go to ``arff_fast``.
    blocks = fast and len(data) - header.data_offset >= FAST_PATH_MIN_BYTES
    X, weights = parse_rows(enumerate(split_lines(text), start=header.data_line),
                            decoders, display, blocks=blocks)
    return _finish(Dataset(header.relation, [d.finish() for d in decoders], X, weights),
                   class_index, display)


def _read_plain(data: bytes | bytearray, header: Header, kinds: set[AttributeType],
                ) -> Dataset | None:
    """The dataset of a plain dense data section read by pandas' C reader, or None when
    the fast path declines it (``arff_fast``); ``kinds``: the header's attribute types."""
    from workbench.data.arff_fast import WIDE_COLUMNS, is_plain, parse_one_column, parse_plain

    attributes, offset = header.attributes, header.data_offset
    if not is_plain(data, offset, kinds):
        return None
    if kinds == {AttributeType.NUMERIC} and len(attributes) >= WIDE_COLUMNS:
        # Numbers only: no decoders to make (a wide file's 250 000 took 0.3 s).
        X = parse_one_column(data, offset, len(attributes))
        return None if X is None else Dataset(header.relation, attributes, X)
    decoders = _decoders(attributes)
    X = parse_plain(data, offset, decoders)
    return None if X is None else Dataset(header.relation, [d.finish() for d in decoders], X)


def _finish(dataset: Dataset, class_index: int | str | None, display: str) -> Dataset:
    """``dataset`` with its class set as asked; a bad choice names the file."""
    if class_index is None:
        return dataset
    try:
        return dataset.with_class(class_index)
    except WorkbenchError as exc:
        raise ParameterError(f"{display}: {exc}") from None


# Writing ------------------------------------------------------------------------------
def _number(value: float) -> str:
    if value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return repr(value)


def _attribute_lines(attribute: Attribute) -> list[str]:
    head = f"@attribute {quote(attribute.name)} "
    kind = attribute.type
    if kind is AttributeType.NOMINAL:
        return [head + "{" + ",".join(quote(v) for v in attribute.values) + "}"]
    if kind is AttributeType.STRING:
        return [head + "string"]
    if kind is AttributeType.DATE:
        return [head + "date " + quote(attribute.date_format or DEFAULT_DATE_FORMAT)]
    if kind is AttributeType.RELATIONAL:
        lines = [head + "relational"]
        for nested in attribute.relation:
            lines.extend("  " + line for line in _attribute_lines(nested))
        lines.append(f"@end {quote(attribute.name)}")
        return lines
    return [head + "numeric"]


def arff_header_text(dataset: Dataset) -> str:
    """The ``@relation`` ... ``@data`` lines of ``dataset``, ending with a newline."""
    lines = [f"@relation {quote(dataset.relation)}", ""]
    for attribute in dataset.attributes:
        lines.extend(_attribute_lines(attribute))
    lines.extend(["", "@data", ""])
    return "\n".join(lines)


def _formatter(attribute: Attribute) -> Callable[[float], str]:
    """A function from a stored float to its ARFF token (``?`` handled by the caller)."""
    kind = attribute.type
    if kind in (AttributeType.NOMINAL, AttributeType.STRING):
        labels = [quote(v) for v in attribute.values]
        return lambda v: labels[int(v)]
    if kind is AttributeType.DATE:
        pattern = date_format(attribute.date_format or DEFAULT_DATE_FORMAT)
        return lambda v: quote(pattern.format(v))
    if kind is AttributeType.RELATIONAL:
        formatters = [_formatter(a) for a in attribute.relation]
        bags = attribute.bags

        def bag(v: float) -> str:
            rows = bags[int(v)]
            return quote("\n".join(",".join("?" if math.isnan(x) else f(x)
                                            for f, x in zip(formatters, row, strict=True))
                                   for row in rows.tolist()))
        return bag
    return _number


def _dense_rows(dataset: Dataset, formatters: list[Callable[[float], str]]) -> list[str]:
    X = dataset.dense_values()
    columns = []
    for j, fmt in enumerate(formatters):
        columns.append(["?" if v != v else fmt(v) for v in X[:, j].tolist()])
    return [",".join(fields) for fields in zip(*columns, strict=True)] if columns else \
        ["" for _ in range(X.shape[0])]


def _sparse_rows(dataset: Dataset, formatters: list[Callable[[float], str]]) -> list[str]:
    X = dataset.X if dataset.is_sparse else sp.csr_matrix(dataset.X)
    X = sp.csr_matrix(X)
    X.sort_indices()
    always = [j for j, a in enumerate(dataset.attributes)
              if a.type in (AttributeType.STRING, AttributeType.RELATIONAL)]
    rows = []
    for i in range(X.shape[0]):
        start, end = X.indptr[i], X.indptr[i + 1]
        entries = dict(zip(X.indices[start:end].tolist(), X.data[start:end].tolist(),
                           strict=True))
        for j in always:
            entries.setdefault(j, 0.0)
        parts = [f"{j} {'?' if v != v else formatters[j](v)}"
                 for j, v in sorted(entries.items()) if v != 0.0 or j in always]
        rows.append("{" + ",".join(parts) + "}")
    return rows


def _check_codes(dataset: Dataset) -> None:
    """Codes that index nothing would write garbage or crash halfway; refuse up front."""
    for j, attribute in enumerate(dataset.attributes):
        size = {AttributeType.NOMINAL: len(attribute.values),
                AttributeType.STRING: len(attribute.values),
                AttributeType.RELATIONAL: len(attribute.bags)}.get(attribute.type)
        if size is None:
            continue
        column = dataset.column(j)
        codes = column[~np.isnan(column)]
        if codes.size and (codes.min() < 0 or codes.max() >= size
                           or not np.all(codes == np.floor(codes))):
            raise WorkbenchError(f"attribute '{attribute.name}' holds codes outside its "
                                 f"{size} values; cannot write it as ARFF")


def arff_text(dataset: Dataset, sparse: bool | None = None) -> str:
    """The whole ARFF file for ``dataset`` as one string."""
    _check_codes(dataset)
    use_sparse = dataset.is_sparse if sparse is None else sparse
    formatters = [_formatter(a) for a in dataset.attributes]
    rows = (_sparse_rows(dataset, formatters) if use_sparse
            else _dense_rows(dataset, formatters))
    weights = dataset.weights
    if np.any(weights != 1.0):
        rows = [row if w == 1.0 else f"{row},{{{_number(w)}}}"
                for row, w in zip(rows, weights.tolist(), strict=True)]
    body = "\n".join(rows)
    return arff_header_text(dataset) + body + ("\n" if rows else "")


def write_arff(dataset: Dataset, destination: str | os.PathLike[str] | io.TextIOBase, *,
               sparse: bool | None = None) -> None:
    """Write ``dataset`` as ARFF to a path or to an open stream (text, or binary as UTF-8).

    A path is written atomically (a temporary file beside it, then a rename), so a crash
    never leaves half a file under the real name; it is gzipped when the name ends in
    ``.gz``. ``sparse=None`` writes sparse rows exactly when the dataset is sparse.
    """
    text = arff_text(dataset, sparse)
    if isinstance(destination, (io.RawIOBase, io.BufferedIOBase)):
        destination.write(text.encode("utf-8"))
        return
    if not isinstance(destination, (str, os.PathLike)):
        destination.write(text)
        return
    path = Path(destination)
    payload = text.encode("utf-8")
    if path.name.endswith(".gz"):
        payload = gzip.compress(payload, mtime=0)
    try:
        write_bytes_atomic(path, payload)
    except OSError as exc:
        raise WorkbenchError(f"cannot write '{path}': {exc.strerror or exc}") from None
