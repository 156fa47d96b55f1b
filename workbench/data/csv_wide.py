"""Wide CSV files (``WIDE_COLUMNS`` columns or more: gene expression, exported
bag-of-words, pixels) read without pandas' per-column work.

pandas builds an array and a few Python objects per column, again for every chunk of
rows it reads, and our type decisions added their own per-column step: 100 000 columns x
10 rows took 4 s, 1.5 times pandas alone. Here the data lines are read in three steps,
each at C or NumPy speed whatever the width:

1. **Structure**, checked on the bytes: every line holds exactly ``columns - 1``
   delimiters (no blank lines, line ends LF or CRLF). A file that fails goes to the
   careful reader, which names the line.
2. **Label columns**: a column is read as text when any of its cells holds a byte that
   cannot be part of a number (a letter, a space, a quote, ``:``, a ``-`` after a
   digit as in ``2024-03-01``...) or the caller forces it to labels. Those cells, cut
   out of every line, make a small CSV of their own that pandas reads with the same
   options as the whole file, so each such column gets exactly the type, missing values
   and labels it would have had (``inf``, ``NA`` as a missing token, ``True``...).
   Quoted cells are allowed when each is one whole quoted value: a quoted value holding
   a delimiter or a line break is cut into pieces of which the first holds an odd
   number of quotes, so it can never pass as whole, and the careful reader takes over.
3. **Numbers**: every other cell, with the label cells emptied, is one column of
   ``rows x columns`` values (``one_column``: delimiters read as line breaks, an empty
   value missing), reshaped into the matrix. pandas converts each value as it would in
   its own column; if any is not a number after all (``1-2``, ``1.2.3``), the whole
   file goes to the careful reader.

So a file is read by this path only when the result is the careful reader's; every
doubt declines (returns None), never errs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbench.data.one_column import read_one_column

# From this many columns on, as for ARFF (arff_fast.WIDE_COLUMNS): below it the one-column
# read gains little (MNIST as CSV, 785 columns x 10 000 rows: 0.33 s against 0.36-0.40).
WIDE_COLUMNS = 2000
# Bytes scanned for label cells at a time: the masks of a block are temporary.
_BLOCK = 1 << 24
# More label cells than this share of all cells: pandas' own per-column read of text
# costs no more than cutting the cells out one by one, so the careful reader takes it.
_MOST_LABELS = 0.5
# The label columns are guessed from this many first lines (then confirmed).
_GUESS_LINES = 10

_NUMBER_BYTES = b"0123456789.+-eE"
_DIGIT_OR_POINT = np.zeros(256, dtype=bool)
_DIGIT_OR_POINT[list(b"0123456789.")] = True

LabelReader = Callable[[str, list[int]], pd.DataFrame | None]


@dataclass
class WideRead:
    """A wide file's values: ``X`` holds every column read as numbers, and ``frame``
    the ``labels`` columns (0-based, in order) as pandas read them, for the caller to
    encode into ``X`` as it encodes any column."""

    X: np.ndarray
    labels: list[int]
    frame: pd.DataFrame | None


def read_wide(section: bytearray, columns: int, delimiter: str, quotechar: str,
              missing: Sequence[str], text_columns: set[int], read_labels: LabelReader
              ) -> WideRead | None:
    """The data lines ``section`` (UTF-8, below any header) of a file of ``columns``
    columns, or None when only the careful reader may read them (module docstring).
    The label cells of ``section`` are overwritten: it is a buffer for this read only.

    ``text_columns`` are forced to labels; ``read_labels(text, columns)`` parses a CSV
    of those columns (no header) as the careful reader would, or returns None.

    The label columns are first guessed from the first lines (a class or an ID column
    is text in every row), which pandas confirms: with those cells blanked it must read
    every other value as a number. Only when that fails is every line searched.
    """
    sep, quote = delimiter.encode(), quotechar.encode()
    if ("" not in missing or len(sep) != 1 or len(quote) != 1 or sep == quote
            or sep in _NUMBER_BYTES + b"?\r\n"):
        return None
    lines = _Lines.of(section, sep[0], columns)
    if lines is None:
        return None
    allowed = _NUMBER_BYTES + b"?" * ("?" in missing) + sep + b"\r\n"
    guess = _odd_columns(lines, allowed, min(len(lines.starts), _GUESS_LINES))
    if guess is None or len(guess | text_columns) > _MOST_LABELS * columns:
        return None
    parts = [sorted(guess | text_columns)]
    cells = lines.cells(parts[0])   # checks every line's delimiters, in the same pass
    if cells is None:
        return None
    texts = [_label_text(lines, *cells)]   # before _numbers blanks those cells
    values = _numbers(lines, cells, missing)
    if values is None:
        more = _odd_columns(lines, allowed, len(lines.starts))   # the others' cells
        if not more or len(more) + len(parts[0]) > _MOST_LABELS * columns:
            return None
        parts.append(sorted(more))
        cells = lines.cells(parts[1])
        if cells is None:
            return None
        texts.append(_label_text(lines, *cells))
        values = _numbers(lines, cells, missing)
        if values is None:
            return None
    X = values.reshape(len(lines.starts), columns)
    X = X if X.flags.writeable else X.copy()
    frames = []
    for part, text in zip(parts, texts, strict=True):
        if not part:
            continue
        if quote in text and not _whole_quoted_cells(text, sep, quote):
            return None
        try:
            frame = read_labels(text.decode("utf-8"), part)
        except UnicodeDecodeError:
            return None
        if frame is None or frame.shape != (len(lines.starts), len(part)):
            return None
        frames.append(frame)
    if not frames:
        return WideRead(X, [], None)
    labels = [j for part in parts for j in part]
    order = np.argsort(labels, kind="stable")
    both = frames[0] if len(frames) == 1 else pd.concat(frames, axis=1)
    return WideRead(X, sorted(labels), both.iloc[:, order] if len(frames) > 1 else both)


@dataclass
class _Lines:
    """The data lines of a section whose every line holds ``columns - 1`` delimiters:
    ``starts`` and ``ends`` (before any CR) of each, as byte offsets."""

    section: bytearray
    data: np.ndarray   # the section's bytes up to the last line's end
    sep: int
    columns: int
    starts: np.ndarray
    ends: np.ndarray

    @classmethod
    def of(cls, section: bytearray, sep: int, columns: int) -> _Lines | None:
        """The lines, or None when there are none or a lone CR would end one for pandas
        (and not here); ``cells`` checks each line's delimiters."""
        carriage_returns = section.count(b"\r")
        if carriage_returns and carriage_returns != section.count(b"\r\n"):
            return None   # a lone CR ends a line for pandas, not for these counts
        end = len(section)
        while end and section[end - 1] in b"\r\n":
            end -= 1
        if end == 0:
            return None
        data = np.frombuffer(section, dtype=np.uint8, count=end)
        breaks = np.flatnonzero(data == 0x0A)
        starts = np.concatenate(([0], breaks + 1))
        ends = np.concatenate((breaks, [end]))
        ends -= (ends > starts) & (data[np.maximum(ends - 1, 0)] == 0x0D)
        return cls(section, data, sep, columns, starts, ends)

    def blocks(self, rows: int) -> Iterator[tuple[int, int]]:
        """(first, end) lines of the first ``rows`` in runs of about ``_BLOCK`` bytes."""
        i = 0
        while i < rows:
            j = int(np.searchsorted(self.starts, self.starts[i] + _BLOCK))
            j = min(max(j, i + 1), rows)
            yield i, j
            i = j

    def delimiters(self, i: int, j: int) -> np.ndarray:
        """The delimiters' offsets in lines ``i`` to ``j``, in order."""
        s, e = int(self.starts[i]), int(self.ends[j - 1])
        return np.flatnonzero(self.data[s:e] == self.sep) + s

    def one_row_each(self, i: int, j: int, at: np.ndarray) -> bool:
        """Whether lines ``i`` to ``j``, whose delimiters are ``at``, hold ``columns - 1``
        each: the count in all is right and each line's share lies within it."""
        if len(at) != (j - i) * (self.columns - 1):
            return False
        rows = at.reshape(j - i, self.columns - 1)
        return bool(np.all(rows[:, 0] >= self.starts[i:j])
                    and np.all(rows[:, -1] < self.ends[i:j]))

    def cells(self, columns: list[int]) -> tuple[np.ndarray, np.ndarray] | None:
        """(first byte, end byte) of each cell of ``columns`` in every line, or None when
        a line (a blank one too) holds more or fewer than ``columns - 1`` delimiters."""
        wanted = np.asarray(columns, dtype=np.intp)
        rows = len(self.starts)
        first = np.empty((rows, len(wanted)), dtype=np.intp)
        last = np.empty_like(first)
        inner_start, inner_end = wanted > 0, wanted < self.columns - 1
        for i, j in self.blocks(rows):
            at = self.delimiters(i, j)
            if not self.one_row_each(i, j, at):
                return None
            at = at.reshape(j - i, self.columns - 1)
            first[i:j] = self.starts[i:j, None]
            first[i:j, inner_start] = at[:, wanted[inner_start] - 1] + 1
            last[i:j] = self.ends[i:j, None]
            last[i:j, inner_end] = at[:, wanted[inner_end]]
        return first, last


def _odd_columns(lines: _Lines, allowed: bytes, rows: int) -> set[int] | None:
    """The columns with a cell that cannot be a number (module docstring) in the first
    ``rows`` lines; None when most bytes cannot be numbers."""
    number = np.zeros(256, dtype=bool)
    number[list(allowed)] = True
    found: set[int] = set()
    for i, j in lines.blocks(rows):
        s, e = int(lines.starts[i]), int(lines.ends[j - 1])
        block = lines.data[s:e]
        after_number = _DIGIT_OR_POINT[np.concatenate(([0x0A], block[:-1]))]
        odd = ~number[block]
        # A sign is a number's only at its start or after its exponent's e, and an e
        # only after a digit or point: 2024-03-01 and e5 are labels.
        odd |= ((block == 0x2B) | (block == 0x2D)) & after_number
        odd |= ((block == 0x65) | (block == 0x45)) & ~after_number
        positions = np.flatnonzero(odd) + s
        if len(positions) > _MOST_LABELS * len(block):
            return None
        if len(positions):
            line = np.searchsorted(lines.starts[i:j], positions, side="right") - 1
            before = np.searchsorted(lines.delimiters(i, j), positions)
            found.update(np.unique(before - line * (lines.columns - 1)).tolist())
    return found


def _ranges(first: np.ndarray, last: np.ndarray) -> np.ndarray:
    """The offsets of every byte in the ranges ``[first, last)``, in order."""
    lengths = (last - first).ravel()
    starts = first.ravel() - (np.cumsum(lengths) - lengths)
    return np.repeat(starts, lengths) + np.arange(int(lengths.sum()))


def _numbers(lines: _Lines, cells: tuple[np.ndarray, np.ndarray], missing: Sequence[str]
             ) -> np.ndarray | None:
    """Every value of the section as one column, the label ``cells`` (first and end
    bytes) overwritten with zeros (the caller fills those columns), or None when pandas
    reads a value as text. A value pandas reads as a number here it reads as one in a
    column of its own too: each value goes through the same converter."""
    if cells[0].size:
        lines.data[_ranges(*cells)] = 0x30
    end = len(lines.data)
    if lines.section[end:] in (b"\n", b"\r\n"):
        end = len(lines.section)   # the last line's own end; blank lines after it not
    values = read_one_column(lines.section, 0, end, delimiter=bytes((lines.sep,)),
                             na_values=list(dict.fromkeys(missing)), empty_is_value=True)
    if values is None or len(values) != len(lines.starts) * lines.columns:
        return None
    return values


def _label_text(lines: _Lines, first: np.ndarray, last: np.ndarray) -> bytes:
    """The cells ``[first, last)`` as CSV lines: each cell with the byte after it (its
    delimiter), the last cell of each line ended by a line break instead."""
    if not first.size:
        return b""
    source = np.frombuffer(lines.section if len(lines.section) > len(lines.data)
                           else lines.section + b"\n", dtype=np.uint8)
    text = source[_ranges(first, last + 1)]
    text[np.cumsum(last - first + 1).reshape(first.shape)[:, -1] - 1] = 0x0A
    return text.tobytes()


def _whole_quoted_cells(text: bytes, sep: bytes, quote: bytes) -> bool:
    """Whether every cell of ``text`` that holds a quote is one whole quoted value."""
    q, d = re.escape(quote), re.escape(sep)
    cell = rb"(?:" + q + rb"(?:[^" + q + d + rb"\n]|" + q + q + rb")*" + q + \
        rb"|[^" + q + d + rb"\n]*)"
    line = re.compile(cell + rb"(?:" + d + cell + rb")*")
    return all(line.fullmatch(row) for row in text.split(b"\n")[:-1])
