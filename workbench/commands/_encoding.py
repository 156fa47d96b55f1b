"""``--encoding NAME``: the text encoding of the data files a command reads.

Only of what is read: ``convert latin1.csv out.csv --encoding latin-1`` writes UTF-8,
as every file Workbench writes is, and the help says so (it read as if OUT took it too).

Every command that reads data files takes it (``info``, ``convert``, ``classify``,
``filter``), beside the CSV options where a command has them. The name is checked
against Python's codec registry by the argument parser, so a typo is refused before
any file is read (exit status 2). A file that is not text in its encoding is refused by
the reader (``workbench.data.text_encoding``) with advice worded for this place:
``--encoding latin-1``, not the Python API's ``encoding='latin-1'``.
"""

from __future__ import annotations

import argparse
import shlex
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.core.errors import ParameterError, printable

if TYPE_CHECKING:
    from workbench.data.dataset import Dataset

ENCODING_HELP = ("text encoding of the data files read, the input (default: UTF-8, or "
                 "UTF-16/UTF-32 when the file starts with their byte-order mark); any "
                 "name Python knows, such as latin-1, cp1252 (Excel on Windows) or "
                 "utf-16. Files written are always UTF-8")


def encoding_name(text: str) -> str:
    """The ``--encoding`` value as typed, once Python's codec registry knows it."""
    from workbench.data.text_encoding import codec_name

    try:
        codec_name(text)
    except ParameterError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return text


def add_encoding_argument(group: Any, *flags: str) -> None:
    """Declare ``--encoding NAME`` (or ``flags``) on a parser or argument group."""
    group.add_argument(*(flags or ("--encoding",)), dest="encoding", metavar="NAME",
                       type=encoding_name, default=None, help=ENCODING_HELP)


def load_data_file(path: str | Path, encoding: str | None = None, *,
                   skip_lines_flag: bool = False, **options: Any) -> Dataset:
    """``load_dataset(path, **options)`` with ``encoding`` when one was given; a file
    that is not text in it is refused advising ``--encoding``, and a CSV file with a
    title line above its header advising ``--skip-lines`` (``skip_lines_flag``: the
    command has it) or ``workbench convert`` (it has not: ``classify`` and ``filter``
    take WEKA's options, which have no CSV options)."""
    from workbench.core.errors import DataFormatError
    from workbench.data.io import load_dataset
    from workbench.data.text_encoding import TextEncodingError

    if encoding is not None:
        options["encoding"] = encoding
    try:
        return load_dataset(path, **options)
    except TextEncodingError as error:
        advice = f"--encoding {error.suggested}" if error.suggested else "--encoding NAME"
        raise error.advised(advice) from None
    except DataFormatError as error:
        skip_lines = int(options.get("skip_lines", 0))
        hint = title_line_hint(error, path, skip_lines_flag, skip_lines) or \
            repeated_name_hint(error, path, skip_lines_flag, skip_lines)
        if hint is None:
            raise
        expected = f"{error.expected}; {hint}" if error.expected else hint
        raise DataFormatError(error.reason, error.path, error.line, error.column,
                              expected, ragged=error.ragged) from None


def title_line_hint(error: Exception, path: str | Path, skip_lines_flag: bool,
                    skip_lines: int = 0) -> str | None:
    """What to type when a title sat above a CSV file's header (``title_lines``, the rule
    the Explorer's Open with options dialog fills its Skip lines by); None otherwise."""
    from workbench.data.csv_options import title_lines

    skipped = title_lines(error, skip_lines)
    if skipped is None:
        return None
    skip = f"--skip-lines {skipped}"
    if skip_lines_flag:
        return f"a title line above the header? read it with {skip}"
    name = Path(path)
    return (f"a title line above the header? convert it first: workbench convert "
            f"{shlex.quote(printable(str(name)))} "
            f"{shlex.quote(printable(name.with_suffix('.arff').name))} {skip}")


def repeated_name_hint(error: Exception, path: str | Path, skip_lines_flag: bool,
                       skip_lines: int = 0) -> str | None:
    """What to type when a CSV file's header names a column twice (``repeats_a_name``,
    the rule the Explorer's offer follows): the header's line skipped and the columns
    named att1, att2, ...; None for any other refusal."""
    from workbench.data.csv_options import repeats_a_name

    if not repeats_a_name(error):
        return None
    flags = f"--no-header --skip-lines {skip_lines + 1}"
    what = "to read it with the columns named att1, att2, ..."
    if skip_lines_flag:
        return f"{what}: {flags}"
    name = Path(path)
    return (f"{what}, convert it first: workbench convert "
            f"{shlex.quote(printable(str(name)))} "
            f"{shlex.quote(printable(name.with_suffix('.arff').name))} {flags}")


__all__ = ["ENCODING_HELP", "add_encoding_argument", "encoding_name", "load_data_file",
           "repeated_name_hint", "title_line_hint"]
