"""The warnings every command that reads a CSV file gives about its layout
(``data/csv_notes.py`` finds them): a header row that looks like data, and a first
column that is a row index. The Explorer said the first and nobody said the second, so
``classify`` trained on pandas' index as an attribute without a word.

Each warning ends with what to type in the command at hand: the CSV flag where the
command has CSV options (``info``, ``convert``), else the command that writes a file
read right (``classify`` and ``filter`` take WEKA's options, which have none).
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

from workbench.core.errors import printable
from workbench.data.csv_notes import (
    header_looks_like_data,
    header_note,
    index_note,
    row_index_column,
)
from workbench.data.dataset import Dataset


def warn_csv_layout(dataset: Dataset, file: str, *, header: bool = True,
                    convert_from: str | None = None) -> None:
    """A line on stderr for each layout finding of ``dataset``, read from the CSV file
    ``file`` (as messages name it) with or without a ``header`` row. With
    ``convert_from`` (the file as typed) the advice is a command to run first rather
    than a flag of this one. Only warnings: the file is read as it was asked to be."""
    name = printable(file)
    if header and header_looks_like_data([a.name for a in dataset.attributes]):
        if convert_from is None:
            advice = "if the file has no header row, read it with --no-header"
        else:
            advice = (f"if the file has no header row, convert it first: workbench convert "
                      f"{_quoted(convert_from)} {_quoted(_arff_name(convert_from))} "
                      f"--no-header")
        print(f"workbench: warning: {name}: {header_note([a.name for a in dataset.attributes])}"
              f"; {advice}", file=sys.stderr)
    if row_index_column(dataset, header):
        source = convert_from if convert_from is not None else file
        print(f"workbench: warning: {name}: {index_note()}; to remove it: workbench "
              f"filter Remove -R 1 -i {_quoted(source)} -o "
              f"{_quoted(_arff_name(source, '-noindex'))}", file=sys.stderr)


def _quoted(text: str) -> str:
    return shlex.quote(printable(text))


def _arff_name(typed: str, tail: str = "") -> str:
    """The ARFF file a command could write the CSV file ``typed`` to."""
    if typed == "-":
        return f"data{tail}.arff"
    name = Path(typed).name
    for suffix in (".gz", ".csv", ".tsv", ".txt"):
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
    return f"{name}{tail}.arff"


__all__ = ["warn_csv_layout"]
