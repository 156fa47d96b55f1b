"""How the Explorer reads one data file: the CSV loader's options and the text encoding,
the same set ``workbench info``/``convert`` take on the command line.

Qt-free, so that what the options dialog (``csv_options``) shows, what a failed read
suggests and what is remembered per file can be tested without a window. The settings
are remembered per file (absolute path), so File > Open recent and opening the same file
again read it the way that worked, as the command line's flags would each time.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from workbench.core.errors import DataFormatError, WorkbenchError
from workbench.data.csv_options import csv_reader_options

_REPEATED_NAME = re.compile(r"column \d+ repeats the name")
_SETTINGS_PREFIX = "load_options/"


@dataclass(frozen=True)
class LoadOptions:
    """The options a file is read with; the defaults are what Open does without any.

    Strings as typed in the dialog: ``encoding`` "" is UTF-8 (or what a byte-order mark
    says); ``delimiter`` "" is detected; ``nominal``/``string`` are comma-separated
    column names or 1-based numbers; ``missing`` comma-separated markers ("" keeps
    ``?`` and the empty field).
    """

    encoding: str = ""
    delimiter: str = ""
    header: bool = True
    skip_lines: int = 0
    nominal: str = ""
    string: str = ""
    missing: str = ""

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
            nominal=self.nominal, string=self.string,
            missing=[m.strip() for m in self.missing.split(",") if self.missing.strip()])}

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
        words += [f"--missing '{m.strip()}'" for m in self.missing.split(",")
                  if self.missing.strip()]
        return " ".join(words)

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: object) -> LoadOptions:
        """Options from ``to_json``'s text; anything damaged reads as the defaults (a
        settings file edited by hand must not stop a file from opening)."""
        try:
            data = json.loads(str(text))
            if not isinstance(data, dict):
                return cls()
            kept: dict[str, Any] = {}
            for field in fields(cls):
                value = data.get(field.name)
                default = getattr(cls(), field.name)
                if type(value) is type(default):
                    kept[field.name] = value
            options = cls(**kept)
            return options if options.skip_lines >= 0 else replace(options, skip_lines=0)
        except (ValueError, TypeError):
            return cls()


def suggested_options(error: BaseException, current: LoadOptions) -> LoadOptions | None:
    """Options that may read a file which failed with ``error``, or None when no option
    can help (a file that is not there, a binary file...).

    - not text in its encoding: the encoding the bytes look like;
    - a row with more fields than the header, which had one: the lines above that row
      are a title (skip them), as ``scipy-GLB.Ts+dSST.csv``'s first line is;
    - other ragged rows: the delimiter may be wrong (offered as they are);
    - a column name repeated: the first row may be data (no header row).
    """
    from workbench.data.text_encoding import TextEncodingError

    if isinstance(error, TextEncodingError):
        return replace(current, encoding=error.suggested or current.encoding)
    if not isinstance(error, DataFormatError):
        return None
    ragged = error.ragged   # the reader's numbers, not its words (they may be reworded)
    if ragged is not None:
        if ragged.header_fields == 1 and ragged.fields > 1 and error.line is not None:
            return replace(current, skip_lines=error.line - 1)
        return current
    if _REPEATED_NAME.search(error.reason):
        return replace(current, header=False)
    return None


def header_looks_like_data(names: list[str]) -> bool:
    """Whether column names read from a header row look like a row of data: half or
    more of them numbers (``snowball;1;2;3;4``), which a header rarely has. The file
    then read its first row as names and lost it, which no error says."""
    numbers = 0
    for name in names:
        try:
            float(name)
            numbers += 1
        except ValueError:
            pass
    return len(names) > 1 and 2 * numbers >= len(names)


def gui_advice(error: WorkbenchError) -> WorkbenchError:
    """``error`` with advice a user of the Explorer can act on: an encoding refusal
    names File > Open with options, not the Python API's ``encoding=``."""
    from workbench.data.text_encoding import TextEncodingError

    if isinstance(error, TextEncodingError):
        chosen = error.suggested or "its encoding"
        return error.advised(f"File > Open with options..., Encoding {chosen}")
    return error


def remembered_options(settings: Any, path: str | Path) -> LoadOptions:
    """The options ``path`` was last read with (the defaults when none)."""
    value = settings.value(_SETTINGS_PREFIX + _key(path))
    return LoadOptions() if value is None else LoadOptions.from_json(value)


def remember_options(settings: Any, path: str | Path, options: LoadOptions) -> None:
    """Keep ``options`` for ``path``; default options are forgotten, not stored."""
    key = _SETTINGS_PREFIX + _key(path)
    if options.is_default():
        settings.remove(key)
    else:
        settings.setValue(key, options.to_json())


def _key(path: str | Path) -> str:
    """One settings key per file: a digest of its resolved path. QSettings reads '/'
    and '\\' in a key as groups, and mapping them to another character made two paths
    one key ('a|b.csv' and 'a/b.csv'), so one file's options were read into another."""
    return hashlib.sha256(str(Path(path).resolve()).encode("utf-8", "surrogatepass")
                          ).hexdigest()


__all__ = ["LoadOptions", "gui_advice", "header_looks_like_data", "remember_options",
           "remembered_options", "suggested_options"]
