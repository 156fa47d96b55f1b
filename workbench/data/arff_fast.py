"""The fast path: a plain dense data section parsed by pandas' C reader in one call.

Most large ARFF files are dense rows of numbers, unquoted labels and ``?``. When the data
section holds no quote, brace, comment or backslash, its rows mean the same to pandas
(comma-separated, ``?`` missing) as to WEKA, so ``pandas.read_csv`` parses it at C speed
and only the distinct labels of nominal, string and date columns are converted in
Python. Anything the C reader would read differently from WEKA (whitespace between
values, short or long rows, a label pandas cannot tell apart) makes this path give up
and return None; the careful reader then parses the section and reports the error with
its line and column. Correct files therefore pass through exactly one parser.
"""

from __future__ import annotations

import csv
import io
import re
import warnings

import numpy as np
import pandas as pd

from workbench.data.arff_values import MISSING, BadValue, Decoder
from workbench.data.dataset import AttributeType
from workbench.data.frames import column_arrays

# Bytes that only the careful reader understands. Only the first _SAMPLE bytes are
# searched for them, to skip a doomed pandas run on files that quote their values;
# correctness rests on the checks after parsing (a quote, brace or comment anywhere
# makes a number column non-numeric or a label rejected by _labels).
_NOT_PLAIN = (b"'", b'"', b"\\", b"%", b"{", b"}")
_SAMPLE = 1 << 16
_NOT_LABEL = re.compile(r"[\x00-\x20'\"\\%{}?]")
_STRIP = "".join(chr(c) for c in range(33))
_FAST_TYPES = (AttributeType.NUMERIC, AttributeType.NOMINAL, AttributeType.STRING,
               AttributeType.DATE)


def is_plain(data: bytes | bytearray, offset: int, decoders: list[Decoder]) -> bool:
    """Whether the fast path may try the data section ``data[offset:]`` at all."""
    end = offset + _SAMPLE
    return (all(d.attribute.type in _FAST_TYPES for d in decoders)
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


def parse_plain(data: bytes | bytearray, offset: int, decoders: list[Decoder]) -> np.ndarray | None:
    """The matrix of the plain dense data section at ``data[offset:]``, or None.

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
