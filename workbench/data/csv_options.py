"""How a person says to read a CSV file, turned into ``read_csv``'s keywords: the
command line's ``--delimiter/--no-header/--skip-lines/--nominal/--string/--missing``,
the Explorer's *Open with options...* and a flow's CSVLoader say the same things, and
one function reads them, so a file that opens one way opens every way.

Kept apart from ``csv.py`` because it needs no pandas: the command line and a flow's
nodes build their options at start, long before (and often without) reading a CSV.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from workbench.core.errors import ParameterError

# The reader's refusal of a header that names a column twice (``read_csv``).
_REPEATED_NAME = re.compile(r"column \d+ repeats the name")


class ColumnChoiceError(ParameterError):
    """A column named in the options (``nominal=``, ``string=``...) that the file does
    not have, or one asked to be two types: the file is fine and the options are not,
    so the Explorer offers its options dialog to correct them rather than a re-pick of
    the file and every option typed again."""


class ColumnNumber(int):
    """A column number as a person types it on the command line: 1-based, as in WEKA.

    Python callers index columns from 0 (and -1 for the last); a typed 0 must not
    silently mean the last column, and a refusal must speak of 1..N, so typed numbers
    travel as this type and are checked in those terms. ``text`` is what was typed: a
    column whose name is exactly that is taken by name first.
    """

    text: str

    def __new__(cls, text: str) -> ColumnNumber:
        number = super().__new__(cls, int(text))
        number.text = text
        return number


def typed_columns(text: str | None) -> list[int | str]:
    """Columns as a person types them (``--nominal 1,grade``, the Explorer's options):
    comma-separated names, or numbers counted from 1 as in WEKA (``ColumnNumber``,
    checked against the file's columns once its header is read)."""
    out: list[int | str] = []
    for part in (text or "").split(","):
        part = part.strip()
        if part:
            out.append(ColumnNumber(part) if part.lstrip("+-").isdecimal() else part)
    return out


def csv_reader_options(*, delimiter: str = "", header: bool = True, skip_lines: int = 0,
                       nominal: str = "", string: str = "",
                       missing: Iterable[str] = ()) -> dict[str, Any]:
    """``read_csv``'s keywords for the options as typed, only those that differ from
    its defaults: ``delimiter`` ``\\t`` or ``tab`` is a tab; ``nominal``/``string`` are
    comma-separated names or numbers from 1; ``missing`` the markers."""
    options: dict[str, Any] = {}
    if delimiter:
        options["delimiter"] = "\t" if delimiter in ("\\t", "tab") else delimiter
    if not header:
        options["header"] = False
    if skip_lines:
        options["skip_lines"] = skip_lines
    if nominal.strip():
        options["nominal"] = typed_columns(nominal)
    if string.strip():
        options["string"] = typed_columns(string)
    markers = tuple(m for m in missing)
    if markers:
        options["missing"] = markers
    return options


# A title, a subtitle, a source line: more lines above a header are not a title.
TITLE_LINES_MOST = 3


def title_lines(error: BaseException, skip_lines: int = 0) -> int | None:
    """The lines to skip (counting the ``skip_lines`` already skipped) when a CSV read
    failed because a title sat above the header: one of the first rows read has more
    fields than the one-field row above it (a chart's caption, "My measurements 2024").
    None for any other failure, a ragged row further down included: in a one-column file
    with one bad row, skipping down to it would drop the header and the rows above it.
    The command line's advice and the Explorer's options offer both ask this."""
    ragged = getattr(error, "ragged", None)
    line = getattr(error, "line", None)
    if (ragged is None or line is None or ragged.header_fields != 1 or ragged.fields <= 1
            or not skip_lines + 2 <= line <= skip_lines + TITLE_LINES_MOST + 1):
        return None
    return int(line) - 1


def repeats_a_name(error: BaseException) -> bool:
    """Whether a CSV read failed because its header names a column twice. WEKA refuses
    such a file too; what reads it right is no header row *and* its line skipped
    (``--no-header --skip-lines 1``): the names become att1, att2, ... and no line of
    names is read as data (no header alone made the names an instance, and a numeric
    column nominal). The command line's advice and the Explorer's offer both ask this."""
    reason = getattr(error, "reason", None)
    return isinstance(reason, str) and _REPEATED_NAME.search(reason) is not None
