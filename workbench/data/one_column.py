"""A delimited block of numbers read by pandas as one column: every delimiter a line break.

pandas' C reader builds one array and a few Python objects per column (~40 us each, again
for every chunk of rows it reads), so a wide file (bag-of-words text, gene expression:
10 000 to 250 000 columns) cost seconds for a handful of rows. Read with each delimiter
taken for a line break, the same bytes are one column of ``rows x columns`` values that
pandas converts at C speed whatever the width; the caller checks the count and reshapes.
The ARFF reader (``arff_fast``) and the CSV reader (``csv_wide``) share this.
"""

from __future__ import annotations

import csv
import io
import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from workbench.data.frames import column_arrays


class _OneValuePerLine(io.BufferedIOBase):
    """Bytes read with every delimiter turned into a line break, a chunk at a time as
    pandas asks for them (the bytes themselves are never copied whole), ended by a line
    break so that an empty last value is a line of its own."""

    def __init__(self, data: bytes | bytearray, offset: int, end: int, delimiter: bytes
                 ) -> None:
        super().__init__()
        self._data = memoryview(data)[:end]
        self._at = offset
        self._table = bytes.maketrans(delimiter, b"\n")
        self._ended = end > offset and data[end - 1] == 0x0A

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        stop = len(self._data) if size is None or size < 0 else self._at + size
        chunk = bytes(self._data[self._at:stop]).translate(self._table)
        self._at += len(chunk)
        if not chunk and not self._ended:
            self._ended = True
            return b"\n"
        return chunk


def read_one_column(data: bytes | bytearray, offset: int = 0, end: int | None = None, *,
                    delimiter: bytes = b",", na_values: Sequence[str] = ("?",),
                    empty_is_value: bool = False) -> np.ndarray | None:
    """Every value of ``data[offset:end]`` in order, as float64, or None when pandas reads
    any of them as text (or warns, or fails).

    ``empty_is_value``: an empty value (two delimiters in a row, one at a line's end) is a
    value of its own, missing when ``na_values`` holds ``""``, as a CSV file means it; by
    default it is a blank line pandas skips, which the caller's count then misses (an
    ARFF value is never empty). Quotes are not special: the caller sends only bytes
    without them.
    """
    stream = _OneValuePerLine(data, offset, len(data) if end is None else end, delimiter)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")   # e.g. mixed types across pandas' chunks
            frame = pd.read_csv(
                stream, sep=",", header=None, names=[0], index_col=False, engine="c",
                quoting=csv.QUOTE_NONE, encoding="utf-8", na_values=list(na_values),
                keep_default_na=False, skip_blank_lines=not empty_is_value)
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError, OverflowError, Warning):
        return None
    column = next(column_arrays(frame))
    if not isinstance(column, np.ndarray) or column.dtype.kind not in "fiu":
        return None
    return column.astype(np.float64, copy=False)
