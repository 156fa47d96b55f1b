"""A data file named on the command line by ``classify -t/-T`` and ``filter -i/-r``: a
file, a bundled dataset's name, or ``-`` for standard input (``_stdio``), read with
``--encoding`` and warned about as ``info`` warns (``_missing_words``).

Both commands read their files the same way, so one function does it for both: the
``NA`` warning and ``-`` reached one of them and not the other before.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from workbench.commands._csv_layout import warn_csv_layout
from workbench.commands._encoding import load_data_file
from workbench.commands._missing_words import warn_numbers_with_tokens
from workbench.commands._separated_numbers import warn_separated_numbers
from workbench.commands._stdio import is_stdio, shown_name, stdin_data_file
from workbench.data.dataset import Dataset


@dataclass(frozen=True)
class DataArgument:
    """What a data file argument gave: the dataset, the name of the format it was read
    in (``"arff"``, ``"csv"``, a plugin's), and the name messages call it by."""

    dataset: Dataset
    format: str
    shown: str


def read_data_argument(typed: str, encoding: str | None = None) -> DataArgument:
    """The dataset ``typed`` names, with a warning for CSV columns of numbers written
    with a decimal comma, one per column of numbers that a few words such as NA made
    nominal, and one for a header row that looks like data or a row index
    (``_csv_layout``), each advising the command that reads it right (``convert``,
    ``filter Remove``): these commands have no CSV options."""
    if is_stdio(typed):
        with stdin_data_file(encoding=encoding) as path:
            return _read(path, typed, encoding)
    from workbench.data.catalog import resolve_data_path

    return _read(resolve_data_path(typed), typed, encoding)


def _read(path: Path, typed: str, encoding: str | None) -> DataArgument:
    from workbench.data.io import file_format

    kind = file_format(path)
    dataset = load_data_file(path, encoding)
    if kind == "csv":
        from workbench.data.csv import file_delimiter

        warn_separated_numbers(dataset, shown_name(typed),
                               file_delimiter(path, encoding or "utf-8"),
                               convert_from=typed, encoding=encoding)
        warn_numbers_with_tokens(dataset, shown_name(typed), convert_from=typed)
        warn_csv_layout(dataset, shown_name(typed), convert_from=typed)
    return DataArgument(dataset, kind, shown_name(typed))


__all__ = ["DataArgument", "read_data_argument"]
