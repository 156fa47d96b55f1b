"""How a person says to read a CSV file, turned into ``read_csv``'s keywords: the
command line's ``--delimiter/--no-header/--skip-lines/--nominal/--string/--numeric/
--date/--date-format/--missing/--decimal/--thousands``, the Explorer's *Open with
options...* and a flow's CSVLoader say the same things, and one function reads them, so
a file that opens one way opens every way.

Columns are typed as WEKA's CSVLoader takes its ``-N/-S/-D/-R`` ranges
(``first-3,5,last``, numbers from 1) or by name; missing-value markers are
comma-separated, ``\\,`` standing for a comma inside one.

Kept apart from ``csv.py`` because it needs no pandas: the command line and a flow's
nodes build their options at start, long before (and often without) reading a CSV.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from workbench.core.errors import ParameterError
from workbench.data import dates
from workbench.data.dates import DateError
from workbench.data.number_format import NumberFormat, separator_typed

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


# An end of a WEKA range: a number from 1, first or last.
_END = r"(?:\d+|first|last)"
_SPAN = re.compile(rf"({_END})(?:\s*-\s*({_END}))?", re.IGNORECASE)


class ColumnSpan(str):
    """``first``, ``last`` or a span ``a-b`` of WEKA's range syntax (``first-3``,
    ``5-last``; a span may run backwards), as typed. A ``str``, so that a column whose
    name is exactly the text (``first``, ``2-3``) is taken by that name first, as a
    ``ColumnNumber`` is."""

    def indices(self, count: int) -> list[int]:
        """The 0-based columns this names among ``count``; a ``ParameterError`` in the
        terms it was typed in when an end is outside 1..count."""
        m = _SPAN.fullmatch(self.strip())
        if m is None:   # (typed_columns makes a span only of what matches)
            raise ParameterError(f"'{self}' is not a column range (expected e.g. first-3)")
        ends = [self._end(e, count) for e in m.groups() if e is not None]
        low, high = ends[0], ends[-1]
        step = 1 if high >= low else -1
        return list(range(low, high + step, step))

    def _end(self, text: str, count: int) -> int:
        lowered = text.lower()
        index = 0 if lowered == "first" else count - 1 if lowered == "last" else int(text) - 1
        if not 0 <= index < count:
            raise ParameterError(f"column range {self}: {text} is outside 1..{count} "
                                 f"(columns are numbered from 1)")
        return index


def typed_columns(text: str | None) -> list[int | str]:
    """Columns as a person types them (``--nominal 1,grade``, ``--date first-2,last``,
    the Explorer's options): comma-separated names, numbers counted from 1 as in WEKA
    (``ColumnNumber``), or WEKA's ``first``, ``last`` and spans ``a-b``
    (``ColumnSpan``), each checked against the file's columns once its header is
    read."""
    out: list[int | str] = []
    for part in (text or "").split(","):
        part = part.strip()
        if not part:
            continue
        if part.lstrip("+-").isdecimal():
            out.append(ColumnNumber(part))
        elif _SPAN.fullmatch(part):
            out.append(ColumnSpan(part))
        else:
            out.append(part)
    return out


_MARKER_SEPARATOR = re.compile(r"(?<!\\),")


def typed_markers(text: str) -> list[str]:
    """Missing-value markers as a person types them, in the Explorer's field and in
    ``--missing``: comma-separated (``NA,NaN``), each stripped of spaces around it;
    ``\\,`` is a comma inside a marker (``n\\,a`` is ``n,a``), and a backslash before
    anything else is itself (MySQL's ``\\N`` stays ``\\N``). A blank text is none."""
    return [part.strip().replace("\\,", ",")
            for part in _MARKER_SEPARATOR.split(text) if part.strip()]


def markers_text(markers: Iterable[str]) -> str:
    """``typed_markers``'s text for ``markers``: what the Explorer's field shows."""
    return ",".join(m.replace(",", "\\,") for m in markers)


def csv_reader_options(*, delimiter: str = "", header: bool = True, skip_lines: int = 0,
                       nominal: str = "", string: str = "", numeric: str = "",
                       date: str = "", date_format: str = "",
                       missing: Sequence[str] = (), decimal: str = "",
                       thousands: str = "") -> dict[str, Any]:
    """``read_csv``'s keywords for the options as typed, only those that differ from
    its defaults: ``delimiter`` ``\\t`` or ``tab`` is a tab; ``nominal``/``string``/
    ``numeric``/``date`` are columns as ``typed_columns`` reads them, ``date_format``
    the Java pattern of the ``date`` columns; ``missing`` the texts typed for markers,
    each read by ``typed_markers`` (a text typed empty is the one marker "", so that
    only an empty field is missing); ``decimal``/``thousands`` the number separators
    (``space`` is a space). A ``ParameterError`` says what cannot be used."""
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
    if numeric.strip():
        options["numeric"] = typed_columns(numeric)
    if date.strip():
        options["date"] = typed_columns(date)
    if date_format.strip():
        if not date.strip():
            raise ParameterError(f"a date format ('{date_format.strip()}') is for the "
                                 f"columns read as dates: name them too (--date COLUMNS, "
                                 f"as WEKA's -format goes with -D)")
        try:
            dates.date_format(date_format.strip())
        except DateError as error:
            raise ParameterError(str(error)) from None
        options["date_format"] = date_format.strip()
    markers = tuple(m for text in missing for m in (typed_markers(text) or [""]))
    if markers:
        options["missing"] = markers
    number_format = NumberFormat(separator_typed(decimal) or ".",
                                 separator_typed(thousands)).checked()
    if number_format.decimal != ".":
        options["decimal"] = number_format.decimal
    if number_format.thousands:
        options["thousands"] = number_format.thousands
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
