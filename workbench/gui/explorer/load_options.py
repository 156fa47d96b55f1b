"""How the Explorer reads one data file: the CSV loader's options and the text encoding,
the same set ``workbench info``/``convert`` take on the command line.

Qt-free, so that what the options dialog (``csv_options``) shows, what a failed read
suggests and what is remembered per file can be tested without a window. The settings
are remembered per file (absolute path), so File > Open recent and opening the same file
again read it the way that worked, as the command line's flags would each time.

Each remembered entry keeps the file's signature (``FileSignature``): options that
worked for one file are a guess for another that took its place, so they are applied
only while the file is the one they were kept for; otherwise ``outdated_options`` gives
them for the window to offer in the options dialog rather than to apply unseen.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from workbench.core.errors import DataFormatError, WorkbenchError
from workbench.data.csv_notes import header_looks_like_data
from workbench.data.csv_options import (
    ColumnChoiceError,
    csv_reader_options,
    markers_text,
    repeats_a_name,
    title_lines,
    typed_columns,
    typed_markers,
)
from workbench.data.missing_tokens import NumbersWithTokens, markers_with, numbers_with_tokens
from workbench.data.number_format import NumberFormat
from workbench.data.number_separators import SeparatedNumbers, separated_numbers
from workbench.gui.settings_values import drop_setting

_SETTINGS_PREFIX = "load_options/"
_SIGNATURE_KEY = "file"   # beside the options' fields, which ``from_json`` reads alone
# The first bytes a signature digests: the title lines, header and delimiter that the
# options describe are there, and a file replaced within the clock's resolution by one
# of the same size still differs in them.
SIGNATURE_HEAD_BYTES = 4096
# The options dialog's range of title lines above the header (its spin box holds a
# 32-bit int: a kept 10**18 stopped the file from opening with a traceback).
MAX_SKIP_LINES = 100_000
# A kept entry is a few hundred characters; a longer text is not one we wrote.
_MAX_ENTRY_CHARS = 64 * 1024
_MAX_TEXT_FIELD = 10_000   # characters of one typed field (column names, markers)


@dataclass(frozen=True)
class FileSignature:
    """What tells one file at a path from another that replaced it: its size, its
    modification time in nanoseconds and a digest of its first bytes. A file saved again
    with the same content has a new time, so it counts as another; the options are then
    offered once more (one key press), where a file taken for the same one would be read
    with another file's options unseen."""

    size: int
    mtime_ns: int
    head: str   # sha256 of the first SIGNATURE_HEAD_BYTES bytes, in hex

    @classmethod
    def of(cls, path: str | Path) -> FileSignature | None:
        """The signature of the file at ``path`` now; None when it cannot be read or is
        not a regular file. It is taken on the GUI thread, so it must never wait: opened
        without blocking (a FIFO with no writer would hang a plain open) and read only
        when regular (a FIFO's read, or a device's, may never end), as the readers do."""
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
            with open(fd, "rb") as stream:
                status = os.fstat(fd)
                if not stat.S_ISREG(status.st_mode):
                    return None
                head = stream.read(SIGNATURE_HEAD_BYTES)
        except OSError:
            return None
        return cls(status.st_size, status.st_mtime_ns, hashlib.sha256(head).hexdigest())

    @classmethod
    def from_dict(cls, data: object) -> FileSignature | None:
        """A signature from ``asdict``'s form; None for anything damaged or missing."""
        if not isinstance(data, dict):
            return None
        size, mtime_ns, head = data.get("size"), data.get("mtime_ns"), data.get("head")
        if type(size) is not int or type(mtime_ns) is not int or type(head) is not str:
            return None
        return cls(size, mtime_ns, head)


@dataclass(frozen=True)
class LoadOptions:
    """The options a file is read with; the defaults are what Open does without any.

    Strings as typed in the dialog: ``encoding`` "" is UTF-8 (or what a byte-order mark
    says); ``delimiter`` "" is detected; ``nominal``/``string``/``numeric``/``date``
    are comma-separated column names, 1-based numbers or WEKA ranges (``first-3``);
    ``date_format`` the Java pattern of the date columns ("" ISO 8601); ``missing``
    comma-separated markers (``\\,`` a comma in one), in place of ``?`` ("" keeps it);
    an empty field is missing whatever they say; ``decimal`` "" is the point and
    ``thousands`` "" no grouping.
    """

    encoding: str = ""
    delimiter: str = ""
    header: bool = True
    skip_lines: int = 0
    nominal: str = ""
    string: str = ""
    missing: str = ""
    numeric: str = ""
    date: str = ""
    date_format: str = ""
    decimal: str = ""
    thousands: str = ""

    def is_default(self) -> bool:
        return self == LoadOptions()

    def reader_options(self, path: str | Path) -> dict[str, Any]:
        """The keyword options of ``load_dataset`` for ``path``: all of them for a CSV
        file, only the encoding for another format (ARFF takes one too)."""
        from workbench.data.io import file_format

        options: dict[str, Any] = {}
        if self.encoding:
            options["encoding"] = self.encoding
        if file_format(path) != "csv":
            return options
        return {**options, **csv_reader_options(
            delimiter=self.delimiter, header=self.header, skip_lines=self.skip_lines,
            nominal=self.nominal, string=self.string, numeric=self.numeric,
            date=self.date, date_format=self.date_format,
            missing=[self.missing] if self.missing.strip() else [],
            decimal=self.decimal, thousands=self.thousands)}

    def number_format(self) -> NumberFormat:
        """How these options read numbers (unchecked: the dialog checks them)."""
        return NumberFormat(self.decimal or ".", self.thousands)

    def summary(self) -> str:
        """The non-default options in the command line's words, for the log
        (``--skip-lines 1 --encoding latin-1``): what a script would type."""
        words = []
        if self.encoding:
            words.append(f"--encoding {self.encoding}")
        if self.delimiter:
            words.append(f"--delimiter '{self.delimiter}'")
        if not self.header:
            words.append("--no-header")
        if self.skip_lines:
            words.append(f"--skip-lines {self.skip_lines}")
        if self.nominal.strip():
            words.append(f"--nominal {self.nominal.strip()}")
        if self.string.strip():
            words.append(f"--string {self.string.strip()}")
        for flag, value in (("--numeric", self.numeric), ("--date", self.date)):
            if value.strip():
                words.append(f"{flag} {value.strip()}")
        if self.date_format.strip():
            words.append(f"--date-format '{self.date_format.strip()}'")
        words += [f"--missing '{markers_text([m])}'" for m in typed_markers(self.missing)]
        for flag, value in (("--decimal", self.decimal), ("--thousands", self.thousands)):
            if value:
                words.append(f"{flag} '{value}'")
        return " ".join(words)

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: object) -> LoadOptions:
        """Options from ``to_json``'s text; anything damaged reads as the defaults (a
        settings file edited by hand must not stop a file from opening)."""
        data = _parsed(text)
        return cls() if data is None else cls.checked(data)[0]

    @classmethod
    def checked(cls, data: dict[str, Any]) -> tuple[LoadOptions, list[str]]:
        """Options from a kept entry's fields, each of the type and in the range the
        dialog gives it (a field that is not reads as its default), and the names of
        the fields so refused."""
        kept: dict[str, Any] = {}
        refused: list[str] = []
        for field in fields(cls):
            if field.name not in data:
                continue
            value, default = data[field.name], getattr(cls(), field.name)
            if type(value) is not type(default) or not _in_range(field.name, value):
                refused.append(field.name)
            else:
                kept[field.name] = value
        return cls(**kept), refused


def _in_range(name: str, value: object) -> bool:
    if name == "skip_lines":
        return isinstance(value, int) and 0 <= value <= MAX_SKIP_LINES
    return not isinstance(value, str) or len(value) <= _MAX_TEXT_FIELD


def _parsed(text: object) -> dict[str, Any] | None:
    """A kept entry's JSON object, or None for anything else: not text, longer than an
    entry is, nested deeper than JSON files may be (a value of 100 000 "[" made
    ``json.loads`` raise RecursionError), not JSON, not an object."""
    from workbench.core.jsonfile import parse_json

    if not isinstance(text, str) or len(text) > _MAX_ENTRY_CHARS:
        return None
    try:
        data = parse_json(text, None, what="kept reading options")
    except WorkbenchError:
        return None
    return data if isinstance(data, dict) else None


def suggested_options(error: BaseException, current: LoadOptions) -> LoadOptions | None:
    """Options that may read a file which failed with ``error``, or None when no option
    can help (a file that is not there, a binary file...).

    - not text in its encoding: the encoding the bytes look like;
    - one of the first rows with more fields than the header, which had one: the lines
      above it are a title (``title_lines``), as ``scipy-GLB.Ts+dSST.csv``'s first line is;
    - other ragged rows: the delimiter may be wrong (offered as they are);
    - a column named in the options that the file does not have: the options as they
      are, to correct (``ColumnChoiceError``);
    - a column name repeated: no header row, and its line skipped (``repeats_a_name``):
      the columns are named att1, att2, ... and every data row is read as data. No
      header alone read the line of names as an instance, with a bogus class label.
    """
    from workbench.data.text_encoding import TextEncodingError

    if isinstance(error, TextEncodingError):
        return replace(current, encoding=error.suggested or current.encoding)
    if isinstance(error, ColumnChoiceError):   # a typo in a column's name: to correct
        return current
    if not isinstance(error, DataFormatError):
        return None
    if error.ragged is not None:   # the reader's numbers, not its words
        skipped = title_lines(error, current.skip_lines)
        return current if skipped is None else replace(current, skip_lines=skipped)
    if repeats_a_name(error):
        return replace(current, header=False, skip_lines=current.skip_lines + 1)
    return None


def numbers_read_as_words(dataset: Any, path: str | Path, options: LoadOptions
                          ) -> list[NumbersWithTokens]:
    """The CSV file's columns of numbers that a few words such as NA made nominal, as
    read with ``options`` (the columns they name as nominal or string left out, as
    asked); none for another format. Run on the loading thread: a large file's labels
    take a while."""
    from workbench.data.io import file_format

    if file_format(path) != "csv":
        return []
    return numbers_with_tokens(dataset, _forced(options), options.number_format())


def separators_read_as_words(dataset: Any, path: str | Path, options: LoadOptions
                             ) -> SeparatedNumbers | None:
    """The CSV file's columns of numbers written with a decimal comma or thousands
    separators that the decimal point made nominal, as read with ``options``; None
    for another format. Run on the loading thread (it looks at the file's first lines
    for the delimiter when none was given)."""
    from workbench.data.io import file_format

    if file_format(path) != "csv":
        return None
    delimiter = options.reader_options(path).get("delimiter")
    if not delimiter:
        from workbench.data.csv import file_delimiter

        delimiter = file_delimiter(path, options.encoding or "utf-8", options.skip_lines)
    return separated_numbers(dataset, delimiter, _forced(options), options.number_format())


def separator_offer(found: SeparatedNumbers, current: LoadOptions) -> LoadOptions:
    """``current`` with the separators ``found`` reads numbers with: the options the
    Explorer offers, filled in, to read those columns as numbers."""
    return replace(current, decimal="" if found.number_format.decimal == "." else
                   found.number_format.decimal, thousands=found.number_format.thousands)


def _forced(options: LoadOptions) -> list[int | str]:
    """The columns ``options`` ask to read as labels or dates (no finder looks at
    them: they are as asked)."""
    return [*typed_columns(options.nominal), *typed_columns(options.string),
            *typed_columns(options.date)]


def marker_offer(found: list[NumbersWithTokens], current: LoadOptions) -> LoadOptions:
    """``current`` with ``found``'s words added to the missing-value markers (``?``
    kept when no marker was typed, since typed markers take its place): the options
    the Explorer offers, filled in, to read those columns as numbers."""
    markers = typed_markers(current.missing)
    words = [token for f in found for token in f.tokens]
    return replace(current, missing=markers_text(markers_with(words, markers)))


def gui_advice(error: WorkbenchError) -> WorkbenchError:
    """``error`` with advice a user of the Explorer can act on: an encoding refusal
    names File > Open with options, not the Python API's ``encoding=``."""
    from workbench.data.text_encoding import TextEncodingError

    if isinstance(error, TextEncodingError):
        chosen = error.suggested or "its encoding"
        return error.advised(f"File > Open with options..., Encoding {chosen}")
    return error


def remembered_options(settings: Any, path: str | Path) -> LoadOptions:
    """The options ``path`` was last read with, while it is still that file (the
    defaults when none are kept, or when they were kept for a file since replaced:
    ``outdated_options`` gives those)."""
    options, signature = _stored(settings, path)
    if options is None or signature is None or signature != FileSignature.of(path):
        return LoadOptions()
    return options


def outdated_options(settings: Any, path: str | Path) -> LoadOptions | None:
    """The options kept for an earlier file at ``path``, whose signature the file there
    now does not have (or an entry kept before signatures were), to offer rather than
    apply; None when there are none, when they are current, or when the file cannot be
    read (opening it then says why, and no option would help)."""
    options, signature = _stored(settings, path)
    if options is None:   # nothing kept: the file is not even looked at
        return None
    now = FileSignature.of(path)
    if now is None or signature == now:
        return None
    return options


def remember_options(settings: Any, path: str | Path, options: LoadOptions,
                     signature: FileSignature | None = None) -> None:
    """Keep ``options`` for the file at ``path``, whose ``signature`` (taken now when
    not given: the window takes it before reading, so a file replaced during the read
    is not signed for) they are applied for; default options are forgotten, not
    stored."""
    key = _SETTINGS_PREFIX + _key(path)
    if options.is_default():
        settings.remove(key)
        return
    signature = signature if signature is not None else FileSignature.of(path)
    entry: dict[str, Any] = asdict(options)
    if signature is not None:
        entry[_SIGNATURE_KEY] = asdict(signature)
    settings.setValue(key, json.dumps(entry, sort_keys=True))


def _stored(settings: Any, path: str | Path
            ) -> tuple[LoadOptions | None, FileSignature | None]:
    """The options kept for ``path`` and the signature they were kept with (either
    None when there is none)."""
    key = _SETTINGS_PREFIX + _key(path)
    value = settings.value(key)
    if value is None:
        return None, None
    data = _parsed(value)
    options, refused = LoadOptions.checked(data) if data is not None else (None, [])
    signature = FileSignature.from_dict(data.get(_SIGNATURE_KEY)) if data else None
    if options is None or refused or (data and _SIGNATURE_KEY in data and signature is None):
        why = (f"{', '.join(refused)} out of range or of the wrong kind" if refused
               else "not the options Workbench keeps")
        drop_setting(settings, key, f"the reading options kept for {path}", why)
        return None, None
    return options, signature


def _key(path: str | Path) -> str:
    """One settings key per file: a digest of its resolved path. QSettings reads '/'
    and '\\' in a key as groups, and mapping them to another character made two paths
    one key ('a|b.csv' and 'a/b.csv'), so one file's options were read into another."""
    return hashlib.sha256(str(Path(path).resolve()).encode("utf-8", "surrogatepass")
                          ).hexdigest()


__all__ = ["FileSignature", "LoadOptions", "gui_advice", "header_looks_like_data",
           "marker_offer", "numbers_read_as_words", "outdated_options", "remember_options",
           "remembered_options", "separator_offer", "separators_read_as_words",
           "suggested_options"]
