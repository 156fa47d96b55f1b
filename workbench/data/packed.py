"""Reading a data file's bytes, unpacking gzip as it streams, within limits on the text
and on what parsing it will cost.

A gzip file of a megabyte can unpack to gigabytes (a "zip bomb"), and
``gzip.decompress`` would build the whole result before anyone could look at its size.
Here the file is unpacked a block at a time and refused as soon as it passes
``MAX_UNPACKED_BYTES``, so neither the packed nor the unpacked bytes are ever held
twice. A plain file is its own measure: its size on disk is the bytes actually there.

The text is the small part. Parsed, a byte of text costs up to ~25 bytes of memory and a
line up to several hundred (a row of its own, its weight, a sparse row's index arrays, a
relational value's bag): a 1 MB gzip of ``0,0,...`` once took 6.9 GB to read, and 40 MB
of empty sparse rows ``{}`` 3.8 GB. So before a reader sees the text, its cost is
estimated from what a few C-speed counts tell (bytes, lines, ``{`` for sparse rows and
weights), with costs measured on the worst shapes we know (``PARSE_COST_*``, peak memory
of ``workbench info`` above the 47 MB it starts with):

====================================  ===========  ======  ============  ==========
file (40 MB unless said)              lines        peak    per byte      per line
====================================  ===========  ======  ============  ==========
MNIST as ARFF or CSV (110 MB)         60 000       1.2 GB  11
``0,0,0,...`` CSV, 10 columns         2 000 000    0.54 GB 13.5
short distinct strings, CSV           4 500 000    1.2 GB  30 (est. 39)
ID-like strings ``123-45,6789-`` CSV  1 900 000    0.89 GB 36 (est. 39)
  (24.6 MB): digits, but strings
``0`` per line (ARFF or CSV)          20 000 000   0.85 GB                42
``{}`` (empty sparse rows)            13 300 000   3.8 GB                 283
``{1 1}`` sparse rows (10 MB)         1 670 000    0.70 GB                420
``'0',a`` relational value (10 MB)    1 670 000    0.94 GB                560
====================================  ===========  ======  ============  ==========

Every column is charged too, whatever the rows (``PARSE_COST_PER_COLUMN``: a CSV of
200 000 columns and 2 rows is 1.9 MB of text and took 361 MiB to read).

Text its reader will read as numbers, and that holds only digits, commas and line
breaks, is charged per value and per byte instead (``NUMBERS_COST_*``): every value is
then a whole number, stored as one float64 at most. Only the reader knows when digits
will be read as numbers (a CSV with no column forced to labels; an ARFF data section
under numeric and nominal attributes, read by pandas' C reader; ARFF's line-by-line
reader costs more, so a file it must read is charged as text again first), so it
passes ``numbers_from``. Digits read as labels or strings cost what any text costs
(6-digit IDs forced to strings: 16 bytes a byte). Measured peaks against the estimate:

====================================  ===========  =======  ==============
whole numbers (40 MB unless said)     values       peak     estimate
====================================  ===========  =======  ==============
MNIST as CSV (110 MB)                 47 100 000   1.20 GiB 1.63 GiB (text: 3.5)
``,,,`` empty values, CSV             40 000 000   857 MiB  1.17 GiB
``0,0,0,...`` CSV                     20 000 000   527 MiB  770 MiB
21-digit numbers (past uint64), CSV   1 800 000    339 MiB  382 MiB
``0`` per line, CSV                   20 000 000   834 MiB  1.83 GiB
``12,...`` under nominal attributes   13 300 000   386 MiB  628 MiB
====================================  ===========  =======  ==============

A file whose estimate passes what is free (``core.memory_ceiling.available_memory``: the
kernel's ``MemAvailable``, a cgroup's or a ``ulimit``'s room) or ``PARSE_BUDGET`` is
refused before parsing, so a hostile file cannot make a reader exhaust memory, and
reading it costs at most the text limit while we find out. Every estimate above is at or
over the measured peak. A byte is charged the same whether it reads as a digit or a letter:
a string of digits (an ID, a phone number) costs what any string costs, so no cheaper rate
for "numbers" can be told from the bytes alone. A genuine MNIST-sized file (110-200 MB of
numbers) is thus estimated at 3.8-7 GB when it holds decimals or its reader cannot vouch
for numbers; of whole numbers (MNIST's pixels), 1.6-3 GiB, against the 1.2 GB it takes.
"""

from __future__ import annotations

import gzip
import os
import stat
import zlib
from typing import BinaryIO

from workbench.core.errors import DataFormatError
from workbench.core.memory_ceiling import available_memory, describe_bytes
from workbench.data.text_encoding import byte_order_mark, utf16_without_mark

GZIP_MAGIC = b"\x1f\x8b"
# Large enough for every real dataset we bundle or know of (MNIST as ARFF unpacks to
# about 110 MB), small enough that the values parsed from it fit in memory.
MAX_UNPACKED_BYTES = 256 << 20
_BLOCK = 1 << 20
# What parsing costs, in bytes of memory: per byte of text, per line, per "{" (a sparse
# row or an instance weight) and per relational value (a bag of its own); measured as in
# the module docstring, rounded up.
PARSE_COST_PER_BYTE = 34
PARSE_COST_PER_LINE = 64
PARSE_COST_PER_BRACE = 400
PARSE_COST_PER_BAG = 600
# Per column, whatever the rows: pandas' parser and our per-attribute objects (a CSV
# of 200 000 columns and 2 rows, 1.9 MB, took 361 MiB: 1.85 KB a column; 50 000 columns
# of 200 whole numbers, 19 MB, 415 MiB, 431 estimated at 2 KB a column).
PARSE_COST_PER_COLUMN = 3072
# Text its reader will read as numbers (``numbers_from``: a CSV with no column forced to
# labels, an ARFF data section under numeric and nominal attributes) that holds only
# digits, commas and line breaks: whole numbers, each a float64 at most, charged per value
# and per byte instead (table in the module docstring).
NUMBERS_COST_PER_VALUE = 16
NUMBERS_COST_PER_BYTE = 9
_NUMBER_BYTES = b"0123456789,\r\n"
# The most a data file may cost once parsed, however much memory is free: MAX_UNPACKED_BYTES
# of plain numbers fits (7 GiB), a file of millions of tiny rows does not.
PARSE_BUDGET = 8 << 30
# Any process can take this much; smaller files are not measured against free memory.
_ALWAYS_AFFORDABLE = 16 << 20


def parse_cost(content: bytes | bytearray, bags_per_line: int = 0,
               numbers_from: int | None = None, end: int | None = None,
               columns: int | None = None) -> int:
    """The estimated peak memory of parsing ``content[:end]`` into a dataset (module
    docstring); ``bags_per_line``: relational values on each line, which only the ARFF
    header tells; ``numbers_from``: where the text its reader will read as numbers
    begins, if it will (after a CSV's header line, an ARFF's ``@data``), which is charged
    at the rate of whole numbers when that is all it holds; ``columns``: the columns
    the reader will make (an ARFF header's attributes), else those of the first line."""
    end = len(content) if end is None else end
    lines = max(content.count(b"\n", 0, end), content.count(b"\r", 0, end)) + 1
    text_bytes = end
    if columns is None:
        columns = columns_on_line(content, 0, end)
    cost = lines * PARSE_COST_PER_LINE + lines * bags_per_line * PARSE_COST_PER_BAG + \
        columns * PARSE_COST_PER_COLUMN
    if numbers_from is not None and numbers_from < end \
            and _whole_numbers_only(content, numbers_from, end):
        values = content.count(b",", numbers_from, end) + \
            content.count(b"\n", numbers_from, end) + 1
        cost += values * NUMBERS_COST_PER_VALUE + (end - numbers_from) * NUMBERS_COST_PER_BYTE
        text_bytes = numbers_from
    return cost + text_bytes * PARSE_COST_PER_BYTE + \
        content.count(b"{", 0, text_bytes) * PARSE_COST_PER_BRACE


def columns_on_line(content: bytes | bytearray, start: int, end: int | None = None) -> int:
    """The fields of the line at ``start`` (ended by LF or a lone CR, as old Mac files
    end theirs) by the commonest delimiter we read, at least 1."""
    end = len(content) if end is None else end
    stop = min(end, start + (_BLOCK << 6))
    line_end = min((at for at in (content.find(b"\n", start, stop),
                                  content.find(b"\r", start, stop)) if at >= 0),
                   default=stop)
    return 1 + max(content.count(sep, start, line_end) for sep in (b",", b";", b"\t", b"|"))


def _whole_numbers_only(content: bytes | bytearray, start: int, end: int) -> bool:
    """Whether ``content[start:end]`` holds only digits, commas and line breaks, read a
    block at a time (a copy of the whole would double a large file for a moment)."""
    view = memoryview(content)
    for at in range(start, end, _BLOCK):
        if bytes(view[at:min(at + _BLOCK, end)]).translate(None, _NUMBER_BYTES):
            return False
    return True


def check_parse_cost(content: bytes | bytearray, display: str, bags_per_line: int = 0,
                     numbers_from: int | None = None, end: int | None = None,
                     columns: int | None = None) -> None:
    """Refuse text whose parsed form would not fit in free memory or ``PARSE_BUDGET``,
    before a reader builds it, saying what it would cost and why (arguments as
    ``parse_cost``'s)."""
    cost = parse_cost(content, bags_per_line, numbers_from, end, columns)
    if cost <= _ALWAYS_AFFORDABLE:
        return   # not worth asking the kernel about
    free = available_memory()
    budget, why = PARSE_BUDGET, f"the most a data file may take ({describe_bytes(PARSE_BUDGET)})"
    if free is not None and free < budget:
        budget, why = free, f"the {describe_bytes(free)} of memory free"
    if cost > budget:
        # Lines as an editor counts them: a last line break ends a line, starts none
        # (two lines with a final newline were said as "3 lines").
        lines = max(content.count(b"\n"), content.count(b"\r")) + \
            (0 if content.endswith((b"\n", b"\r")) else 1)
        raise DataFormatError(
            f"reading this file would take about {describe_bytes(cost)} of memory "
            f"({describe_bytes(len(content))} of text in {lines} lines), more than "
            f"{why}", display, expected="a smaller file, or fewer rows")


def unpack_gzip(handle: BinaryIO, display: str, limit: int | None = None,
                costed: bool = True) -> bytearray:
    """The unpacked content of the gzip stream ``handle``, refused past ``limit`` bytes
    (default ``MAX_UNPACKED_BYTES``); with ``costed`` False the caller checks its parse
    cost itself (it knows more: an ARFF header's types)."""
    limit = MAX_UNPACKED_BYTES if limit is None else limit
    out = bytearray()
    try:
        with gzip.GzipFile(fileobj=handle, mode="rb") as unpacked:
            while True:
                block = unpacked.read(_BLOCK)
                if not block:
                    break
                out += block
                if len(out) > limit:
                    raise DataFormatError(
                        f"the file unpacks to more than {limit >> 20} MiB, the most text "
                        f"read into memory", display, expected="a smaller file")
    except (OSError, EOFError, zlib.error) as exc:
        raise DataFormatError(f"the file starts like gzip but cannot be unpacked: {exc}",
                              display, 1, 1, "a complete gzip file") from None
    if costed:
        check_parse_cost(out, display)
    return out  # a bytearray: bytes(out) would hold a second copy of a big file


def read_bytes(path: str | os.PathLike[str], display: str, limit: int | None = None,
               costed: bool = True) -> bytes | bytearray:
    """The bytes of the file at ``path``, unpacked when they start with gzip's magic,
    their parse cost checked unless ``costed`` is False (the caller checks it, knowing
    more about the text).

    Only a regular file is read: a FIFO would block the reader forever and a device such
    as /dev/zero never ends. It is opened without blocking (so a FIFO with no writer
    cannot hang the open itself) and checked before a byte is read; a plain file past the
    limit is refused like a gzip that unpacks past it.
    """
    limit = MAX_UNPACKED_BYTES if limit is None else limit
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with open(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise DataFormatError("is not a regular file (a device, FIFO or socket "
                                      "is never read)", display, expected="a data file")
            if handle.read(2) == GZIP_MAGIC:
                handle.seek(0)
                return unpack_gzip(handle, display, limit, costed)
            handle.seek(0)
            data = handle.read(limit + 1)
            if len(data) > limit:
                raise DataFormatError(f"the file is larger than {limit >> 20} MiB, the most "
                                      f"read into memory", display,
                                      expected="a smaller file")
            if costed:
                check_parse_cost(data, display)
            return data
    except OSError as exc:
        raise DataFormatError(f"cannot read the file: {exc.strerror or exc}",
                              display) from None


def refuse_nul(content: bytes | bytearray | str, display: str) -> None:
    """Refuse a NUL character, naming its line and column (in characters, lines ended by
    LF, CRLF or a lone CR). No text format we read has one, so it means UTF-16 text, a
    binary file or a damaged one; a parser in C would stop at it silently (``2\\0`` would
    read as 2)."""
    if isinstance(content, str):
        at = content.find("\0")
        before = content[:max(at, 0)]
    else:
        at = content.find(b"\0")
        if at >= 0 and _looks_utf16(content):
            raise DataFormatError("this is UTF-16 text", display, 1, 1,
                                  "UTF-8 text; re-save the file as UTF-8")
        before = bytes(content[:max(at, 0)]).decode("utf-8", errors="replace")
    if at < 0:
        return
    lines = before.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    raise DataFormatError("a NUL byte: this is not a text file, or it is damaged", display,
                          len(lines), len(lines[-1]) + 1, "text with no NUL bytes")


def _looks_utf16(content: bytes | bytearray) -> bool:
    """A UTF-16 or UTF-32 byte-order mark, or text that is UTF-16 without one, by the
    rule the readers' decoding uses (``text_encoding``), as Windows tools write it."""
    mark = byte_order_mark(content)
    return (mark is not None and mark[0] != "utf-8") or \
        utf16_without_mark(content) is not None
