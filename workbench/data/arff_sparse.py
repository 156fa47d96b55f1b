"""Plain sparse ARFF rows a block at a time: NumPy finds the tokens, pandas reads the numbers.

WEKA's StringToWordVector writes rows such as ``{0 1,17 3,...,100000 pos}``: tens of
pairs a row, tens of thousands of rows. Read row by row, every pair cost Python steps
(split, ``int``, ``float``, the order check): 20 000 rows of ~60 pairs took 1.6 s of a
2.3 s read, slower than liac-arff in pure Python. Here a block of such lines (about
``BLOCK_CHARS`` of text) is read at once, and only if it is plain:

- its lines are rows ``{...}``, one a line, with no quote, comment, backslash, control
  character (tab included) or instance weight. Its tokens are then exactly the
  tokenizer's: the runs of bytes between spaces, commas and the row's braces, found
  where those bytes are (NumPy over the block's bytes, one pass per question);
- every row holds an even number of tokens; an index token is ASCII digits, at most
  ``_INDEX_DIGITS`` of them, below the attribute count and above the row's index before;
- the indices are read by NumPy, one step per digit place; the values of numeric
  attributes spelled with ``0-9.eE+-`` only by pandas' C parser as one column
  (``one_column``), whose reading matches Python's ``float`` on them (tests pin it);
  every other value (a label, ``?``, ``nan``, ``1_0``) goes through its attribute's
  decoder in file order, as the careful reader sends it.

A block that is not plain, or whose numbers or labels do not read, gives None, and the
careful reader (``arff_rows``) reads those lines again: it alone says what is wrong and
where, so errors keep their words, line and column. Reading a block twice is harmless
because decoding a label has no effect a second reading changes (a string pool meets
its strings in the same order); a relational value adds a bag each time it is read, so
``label_mask`` declines a header with a relational attribute.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from workbench.data.arff_values import MISSING, BadValue, Decoder
from workbench.data.dataset import AttributeType

# About this much text a block: big enough that pandas' start-up per call is nothing,
# small enough that the block's temporaries (a few bytes and an int64 per byte of text
# at most) stay a small part of what the file's parse cost allows.
BLOCK_CHARS = 1 << 20
# More digits than this cannot be an index of any file (as in ``arff_rows``).
_INDEX_DIGITS = 18
_BLANKS = "".join(chr(c) for c in range(33))
# Bytes only the tokenizer reads right: control characters (the line break between rows
# aside), quotes, the backslash and the comment sign.
_NOT_PLAIN = bytes(range(10)) + bytes(range(11, 32)) + b"'\"\\%"
_TO_LINE_BREAKS = bytes.maketrans(b" ,{}", b"\n\n\n\n")


def _table(members: bytes) -> bytes:
    """A ``bytes.translate`` table: 1 for the bytes in ``members``, 0 for the others."""
    table = bytearray(256)
    for byte in members:
        table[byte] = 1
    return bytes(table)


_SEPARATOR = _table(b" ,{}\n")
_NUMBER = _table(b"0123456789.eE+-")
_NOT_DIGIT = _table(b".eE+-")


class SparseBlock(NamedTuple):
    """The rows of a block: pairs in each row, then all their indices and values."""

    counts: np.ndarray    # int64, one per row
    indices: np.ndarray   # int64, ascending within each row
    values: np.ndarray    # float64


def label_mask(types: Sequence[AttributeType]) -> np.ndarray | None:
    """Which attributes (of these ``types``) are read by their decoders (those not
    numeric), or None when a block may not be read here at all (a relational attribute,
    module docstring)."""
    if AttributeType.RELATIONAL in types:
        return None
    return np.array([t is not AttributeType.NUMERIC for t in types], dtype=np.bool_)


def read_block(lines: Sequence[str], decoders: Sequence[Decoder], labelled: np.ndarray
               ) -> SparseBlock | None:
    """The sparse rows of ``lines`` (blank lines make none), or None when the block is
    not plain or does not read (module docstring); ``labelled`` from ``label_mask``."""
    rows = [text for text in (line.strip(_BLANKS) for line in lines) if text]
    n = len(rows)
    if not n:
        return SparseBlock(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0))
    try:
        raw = "\n".join(rows).encode("utf-8")
    except UnicodeEncodeError:
        return None
    # Each line is "{" ... "}" with no other brace: n of each, and n - 1 "}\n{" between.
    if (raw[0] != 0x7B or raw[-1] != 0x7D or raw.count(b"{") != n or raw.count(b"}") != n
            or raw.count(b"}\n{") != n - 1
            or len(raw.translate(None, _NOT_PLAIN)) != len(raw)):
        return None
    separator = np.frombuffer(raw.translate(_SEPARATOR), dtype=np.bool_)
    starts = np.flatnonzero(separator[:-1] > separator[1:]) + 1
    ends = np.flatnonzero(separator[:-1] < separator[1:]) + 1
    row_ends = np.append(np.flatnonzero(np.frombuffer(raw, np.uint8) == 0x0A), len(raw))
    tokens = np.diff(np.searchsorted(starts, row_ends), prepend=0)
    if np.any(tokens % 2):
        return None
    counts = tokens // 2
    if not starts.size:
        return SparseBlock(counts, np.zeros(0, np.int64), np.zeros(0))
    lengths = ends - starts
    special = np.add.reduceat(np.frombuffer(raw.translate(_NUMBER), np.uint8), starts,
                              dtype=np.int64) != lengths
    if special[0::2].any() or lengths[0::2].max() > _INDEX_DIGITS:
        return None
    # An index is digits only: no ".eE+-" may fall inside an index (an even token).
    odd = np.flatnonzero(np.frombuffer(raw.translate(_NOT_DIGIT), np.bool_))
    if odd.size and not np.all((np.searchsorted(starts, odd, side="right") - 1) % 2):
        return None
    indices = _whole_numbers(np.frombuffer(raw, np.uint8), starts[0::2], ends[0::2])
    if indices.max() >= len(decoders) or not _ascending(indices, counts):
        return None
    values = np.empty(len(indices))
    slow = labelled[indices] | special[1::2]   # values for the decoders
    if not slow.all():
        numbers = _numbers(raw, starts, ends, slow)
        if numbers is None:
            return None
        values[~slow] = numbers
    if slow.any() and not _decode(raw, starts[1::2], ends[1::2], slow, indices, values,
                                  decoders):
        return None
    return SparseBlock(counts, indices, values)


def _whole_numbers(raw: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """The tokens ``raw[starts[i]:ends[i]]``, ASCII digits (at most ``_INDEX_DIGITS``),
    as int64: one step per digit place, each over all the tokens."""
    value = np.zeros(len(starts), dtype=np.int64)
    lengths = ends - starts
    for place in range(int(lengths.max())):
        digit = raw[np.maximum(ends - 1 - place, starts)].astype(np.int64) - 0x30
        value += np.where(lengths > place, digit, 0) * 10 ** place
    return value


def _numbers(raw: bytes, starts: np.ndarray, ends: np.ndarray, slow: np.ndarray
             ) -> np.ndarray | None:
    """The values of the value tokens not ``slow``, in order, read by pandas' C parser
    as one column, or None when it reads any of them as text.

    Only those tokens go to pandas, each with the line break after it: blanking the
    others out instead left pandas a blank line per byte, and it took three times as
    long skipping them as parsing the numbers.
    """
    from workbench.data.one_column import read_one_column  # imports pandas

    kept = ~slow
    first, after = starts[1::2][kept], ends[1::2][kept]
    edges = np.zeros(len(raw) + 1, dtype=np.int8)   # +1 where a kept token starts, -1
    edges[first] = 1                                # where it ends (never the same
    edges[after] = -1                               # byte: a token ends at a separator)
    keep = np.cumsum(edges[:-1], dtype=np.int8).view(np.bool_)
    keep[after] = True                              # the separator after it
    text = np.frombuffer(raw.translate(_TO_LINE_BREAKS), dtype=np.uint8)[keep].tobytes()
    column = read_one_column(text, delimiter=b"\n", na_values=())
    if column is None or len(column) != len(first):
        return None
    return column


def _ascending(indices: np.ndarray, counts: np.ndarray) -> bool:
    """Whether the indices rise within every row (``counts`` pairs a row)."""
    if indices.size < 2:
        return True
    rising = indices[1:] > indices[:-1]
    firsts = np.cumsum(counts)[:-1]   # where each row after the first starts
    firsts = firsts[(firsts > 0) & (firsts < indices.size)]
    rising[firsts - 1] = True         # a row's first index follows nothing
    return bool(rising.all())


def _decode(raw: bytes, starts: np.ndarray, ends: np.ndarray, slow: np.ndarray,
            indices: np.ndarray, values: np.ndarray, decoders: Sequence[Decoder]) -> bool:
    """The ``slow`` values (``starts`` and ``ends``: of every value token) through their
    attributes' decoders into ``values``; False when one does not read.

    Each distinct (attribute, text) is decoded once, in the order of its first
    appearance: a string pool then meets its strings in file order, as row by row.
    """
    keys = list(zip(indices[slow].tolist(),
                    [raw[start:end] for start, end in zip(starts[slow].tolist(),
                                                          ends[slow].tolist(),
                                                          strict=True)],
                    strict=True))
    decoded: dict[tuple[int, bytes], float] = {}
    try:
        for key in dict.fromkeys(keys):
            j, text = key
            decoded[key] = MISSING if text == b"?" else decoders[j].convert(text.decode())
    except BadValue:
        return False
    values[slow] = [decoded[key] for key in keys]
    return True
