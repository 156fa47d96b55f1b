"""The fast path: a plain dense data section parsed by pandas' C reader in one call.

Most large ARFF files are dense rows of numbers, unquoted labels and ``?``. When the data
section holds no quote, brace, comment or backslash, its rows mean the same to pandas
(comma-separated, ``?`` missing) as to WEKA, so ``pandas.read_csv`` parses it at C speed
and only the distinct labels of nominal, string and date columns are converted in
Python. Anything the C reader would read differently from WEKA (whitespace between
values, short or long rows, a label pandas cannot tell apart) makes this path give up
and return None; the careful reader then parses the section and reports the error with
its line and column. Correct files therefore pass through exactly one parser.

pandas builds one array, and a few Python objects, per column (~40 us each, again for
every chunk of rows it reads), which made a wide file (250 000 attributes, bag-of-words
text or gene expression) take 10 s for 10 rows. So in a section of ``WIDE_COLUMNS``
attributes or more whose numeric attributes are one block, with any label attributes
before or after it (a class first or last, as WEKA writes them), every comma of the
numbers is read as a line break (``one_column``, shared with wide CSV files): pandas
then parses one column of ``rows x numbers`` values, at C speed whatever the width, and
the matrix is that column reshaped. Only the line structure is checked in Python, one step per line:
each non-blank line must hold exactly ``attributes - 1`` commas, and the column must come
out with ``rows x numbers`` values (an empty or whitespace-only value is a blank line to
pandas and would be missing from the count).
"""

from __future__ import annotations

import csv
import io
import re
import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from workbench.data.arff_values import MISSING, BadValue, Decoder
from workbench.data.dataset import AttributeType
from workbench.data.frames import column_arrays
from workbench.data.one_column import read_one_column

# Bytes that only the careful reader understands. Only the first _SAMPLE bytes are
# searched for them, to skip a doomed pandas run on files that quote their values;
# correctness rests on the checks after parsing (a quote, brace or comment anywhere
# makes a number column non-numeric or a label rejected by _labels).
_NOT_PLAIN = (b"'", b'"', b"\\", b"%", b"{", b"}")
_SAMPLE = 1 << 16
_NOT_LABEL = re.compile(r"[\x00-\x20'\"\\%{}?]")
_STRIP = "".join(chr(c) for c in range(33))
_FAST_TYPES = {AttributeType.NUMERIC, AttributeType.NOMINAL, AttributeType.STRING,
               AttributeType.DATE}
# From this many attributes on, a section is read as one column. Below it pandas'
# per-column read is as fast or faster (MNIST, 785 attributes x 10 000 rows: 0.26 s
# column by column, 0.31 s as one column with its class split off; 1 000 x 1 000 alike),
# and from it on pandas' per-column work costs more than even the careful reader's
# per-value work, so a wide section the one-column read declines goes straight there.
WIDE_COLUMNS = 2000


def is_plain(data: bytes | bytearray, offset: int, kinds: set[AttributeType]) -> bool:
    """Whether the fast path may try the data section ``data[offset:]`` at all, under
    attributes of these ``kinds``."""
    end = offset + _SAMPLE
    return (kinds <= _FAST_TYPES
            and all(data.find(c, offset, end) < 0 for c in _NOT_PLAIN)
            and data.find(b"\x00", offset) < 0)


def _at(data: bytes | bytearray, offset: int) -> io.BytesIO:
    stream = io.BytesIO(data)  # shares the bytes object's buffer until written to
    stream.seek(offset)
    return stream


def _labels(decoder: Decoder, codes: np.ndarray, uniques: np.ndarray) -> np.ndarray | None:
    """Stored floats for a column of labels via its distinct values, or None to give up."""
    mapped = np.empty(len(uniques) + 1)
    mapped[-1] = MISSING  # code -1: pandas read a ? (na_values)
    for k, raw in enumerate(uniques):
        if not isinstance(raw, str):
            return None
        text = raw.strip(_STRIP)
        if not text or _NOT_LABEL.search(text):
            return None
        try:
            mapped[k] = decoder.convert(text)
        except BadValue:
            return None
    return mapped[codes]


def parse_plain(data: bytes | bytearray, offset: int, decoders: list[Decoder]
                ) -> np.ndarray | None:
    """The matrix of the plain dense data section at ``data[offset:]``, or None.

    From ``WIDE_COLUMNS`` attributes on, with the numeric ones in one block, the section
    is read as one column (module docstring) and nothing else is tried when that
    declines; a narrower file is read column by column, as pandas does.
    """
    if len(decoders) >= WIDE_COLUMNS:
        block = _numeric_block([d.attribute.type is AttributeType.NUMERIC for d in decoders])
        if block is not None:
            return parse_one_column(data, offset, len(decoders), decoders, *block)
    return _parse_columns(data, offset, decoders)


def _numeric_block(numeric: list[bool]) -> tuple[int, int] | None:
    """(first, end) of the numeric attributes when they are one run, else None."""
    if True not in numeric:
        return None
    first = numeric.index(True)
    end = len(numeric) - numeric[::-1].index(True)
    return (first, end) if all(numeric[first:end]) else None


def _line_count(data: bytes | bytearray, offset: int, commas: int) -> int | None:
    """Non-blank lines from ``offset`` when each holds exactly ``commas`` commas, else None.

    Lines end with LF or CRLF; a lone CR (old Mac files) declines, as pandas would read it
    as a line end that this count does not see.
    """
    if data.count(b"\r", offset) != data.count(b"\r\n", offset):
        return None
    rows = 0
    pos, end = offset, len(data)
    while pos < end:
        stop = data.find(b"\n", pos)
        if stop < 0:
            stop = end
        if stop > pos and not (stop == pos + 1 and data[pos] == 0x0D):
            if data.count(b",", pos, stop) != commas:
                return None
            rows += 1
        pos = stop + 1
    return rows


def _split_labels(data: bytes | bytearray, offset: int, first: int, last: int,
                  ) -> tuple[bytes, list[list[bytes]]]:
    """The numbers of every non-blank line (all but its ``first`` and ``last`` fields)
    and those label fields, column by column; lines already hold enough commas."""
    numbers: list[bytes] = []
    labels: list[list[bytes]] = [[] for _ in range(first + last)]
    for raw in _at(data, offset):   # line by line, without a copy of the whole section
        line = raw.rstrip(b"\r\n")
        if not line.strip():
            continue
        head = line.split(b",", first) if first else [line]
        tail = head[-1].rsplit(b",", last) if last else [head[-1]]
        numbers.append(tail[0])
        for column, field in zip(labels, head[:-1] + tail[1:], strict=True):
            column.append(field)
    return b"\n".join(numbers), labels


def _label_column(decoder: Decoder, fields: list[bytes]) -> np.ndarray | None:
    """Stored floats of one label column read as raw fields (``?`` is missing)."""
    try:
        texts = np.array([None if f == b"?" else f.decode("utf-8") for f in fields],
                         dtype=object)
    except UnicodeDecodeError:
        return None
    codes, uniques = pd.factorize(texts, use_na_sentinel=True)
    return _labels(decoder, codes, np.asarray(uniques, dtype=object))


def parse_one_column(data: bytes | bytearray, offset: int, m: int,
                     decoders: Sequence[Decoder] = (), first: int = 0,
                     end: int | None = None) -> np.ndarray | None:
    """The matrix of ``m`` attributes read as one column of numbers (module docstring),
    or None. The numbers are attributes ``first`` to ``end`` (default: all of them, and
    no ``decoders`` are needed); the others are labels read with their ``decoders``."""
    end = m if end is None else end
    rows = _line_count(data, offset, m - 1)
    if rows is None:
        return None
    source, start = data, offset
    labels: list[list[bytes]] = []
    if end - first != m:
        source, labels = _split_labels(data, offset, first, m - end)
        start = 0
    column = read_one_column(source, start)
    if column is None or len(column) != rows * (end - first):
        return None
    X = np.empty((rows, m))
    X[:, first:end] = column.reshape(rows, end - first)
    label_columns = list(range(first)) + list(range(end, m))
    for j, fields in zip(label_columns, labels, strict=True):
        values = _label_column(decoders[j], fields)
        if values is None:
            return None
        X[:, j] = values
    return X


def _parse_columns(data: bytes | bytearray, offset: int, decoders: list[Decoder]
                   ) -> np.ndarray | None:
    """pandas' ordinary read, one column per attribute.

    Numeric columns are left to pandas' own type inference (asking for float64 up front
    takes pandas' slow conversion path) and must come out numeric; label columns are
    read as text. pandas pads a short row with empty fields, which make a number column
    text and which ``_labels`` refuses, so a wrong value count never slips through.
    """
    m = len(decoders)
    numeric = [d.attribute.type is AttributeType.NUMERIC for d in decoders]
    labels = {j: object for j in range(m) if not numeric[j]}
    try:
        with warnings.catch_warnings():
            # pandas only warns when a first row is too long and it drops the excess
            warnings.simplefilter("error")
            frame = pd.read_csv(
                _at(data, offset), sep=",", header=None, names=list(range(m)),
                index_col=False, engine="c", quoting=csv.QUOTE_NONE, encoding="utf-8",
                dtype=labels or None, na_values=["?"], keep_default_na=False,
                skip_blank_lines=True)
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError, OverflowError, Warning):
        return None
    if frame.shape[1] != m:
        return None
    # Column by column into the matrix: several times faster than DataFrame.to_numpy,
    # whose block interleave dominated the whole read in profiles.
    X = np.empty((len(frame), m))
    for j, (decoder, column) in enumerate(zip(decoders, column_arrays(frame), strict=True)):
        if numeric[j]:
            if not isinstance(column.dtype, np.dtype) or column.dtype.kind not in "fiu":
                return None
            X[:, j] = column
            continue
        codes, uniques = pd.factorize(column, use_na_sentinel=True)
        values = _labels(decoder, codes, np.asarray(uniques, dtype=object))
        if values is None:
            return None
        X[:, j] = values
    return X
