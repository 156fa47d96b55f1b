"""Where in a CSV file a read went wrong: the line of a refused cell, the first ragged
row, the quote left open.

pandas names a record, not a line (blank lines skipped, quoted line breaks inside a
record), and pads short rows without a word; these plain passes run only once a read has
failed or looks suspect, to give the error the file's own line and column, as an editor
counts them.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from workbench.core.errors import DataFormatError, RaggedRow


def record_line(text: str, delimiter: str, quotechar: str, escapechar: str | None,
                has_header: bool, row: int) -> int | None:
    """The line (1-based in ``text``) on which data row ``row`` (0-based, as pandas
    counts them: blank lines skipped, quoted line breaks inside a record) starts; None
    when there are fewer rows. Run only to name the line of a refused cell."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter,
                        quotechar=quotechar, escapechar=escapechar, strict=False)
    start, seen = 1, -1 if has_header else 0
    for record in reader:
        if record:
            if seen == row:
                return start
            seen += 1
        start = reader.line_num + 1
    return None


def find_ragged_row(text: str, delimiter: str, quotechar: str, escapechar: str | None,
                    width: int, has_header: bool) -> tuple[int, int] | None:
    """(line, fields) of the first record whose field count is not ``width``.

    pandas pads short rows with missing values without a word, so this second, plain
    pass runs whenever the last column has missing values (the only way a short row
    shows), and after any parser error, to name the physical line."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter,
                        quotechar=quotechar, escapechar=escapechar, strict=False)
    start = 1
    skipped_header = not has_header
    for row in reader:
        if row:
            if not skipped_header:
                skipped_header = True
            elif len(row) != width:
                return start, len(row)
        start = reader.line_num + 1
    return None


def ragged_error(path: Path, ragged: tuple[int, int], width: int, delimiter: str,
                 skip_lines: int) -> DataFormatError:
    line, fields = ragged
    shown = delimiter_words(delimiter)
    plural = "s" if width != 1 else ""
    return DataFormatError(f"this row has {fields} field{'s' if fields != 1 else ''}, the "
                           f"header has {width}", path, skip_lines + line,
                           expected=f"{width} field{plural} separated by {shown}",
                           ragged=RaggedRow(fields, width))


def unclosed_quote(text: str, delimiter: str, quotechar: str,
                   escapechar: str | None) -> tuple[int, int] | None:
    """(line, column), both from 1, of the quote that opens the value left open at the
    end of ``text``, or None: a quote opens a value only at a field's start, a doubled
    quote inside one is a quote, and line breaks inside quoted values count. Plain
    Python, run only on the error: the csv module cannot say it, since the open quote
    swallows the rest of the file into one field and it stops at its 128 KB field
    limit (and a row cut short by it reads as a ragged row, which is not the cause)."""
    line, line_start, opened, inside, at_start = 1, 0, None, False, True
    i, end = 0, len(text)
    while i < end:
        ch = text[i]
        if escapechar is not None and ch == escapechar and i + 1 < end:
            i += 1                                    # the escaped character is data
            ch = "" if text[i] not in "\r\n" else text[i]
        if ch == quotechar and (inside or at_start):
            if inside and text.startswith(quotechar, i + 1):
                i += 2
                continue
            inside = not inside
            opened = (line, i - line_start + 1) if inside else opened
        if ch == "\n" or (ch == "\r" and not text.startswith("\n", i + 1)):
            line, line_start = line + 1, i + 1
        at_start = not inside and ch in (delimiter, "\n", "\r")
        i += 1
    return opened if inside else None


def delimiter_words(delimiter: str) -> str:
    return {"\t": "tab", ",": "','", ";": "';'"}.get(delimiter, repr(delimiter))
