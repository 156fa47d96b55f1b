"""The warning every command that reads a CSV file gives for a column of numbers that a
few words such as ``NA`` made nominal (``data/missing_tokens.py`` finds them).

``info`` and ``convert`` warned and ``classify`` and ``filter`` did not, so a learner
was silently handed a 57-label nominal ``age``: the trap the finder exists for. One
function says it for all four, ending with what to type in the command at hand: the
``--missing`` flags where the command has them, else the ``convert`` command that
writes the file with those words read as missing (``classify`` and ``filter`` take
WEKA's options, which have no CSV options).
"""

from __future__ import annotations

import shlex
import sys
from collections.abc import Iterable, Sequence

from workbench.core.errors import printable
from workbench.data.dataset import Dataset
from workbench.data.missing_tokens import markers_with, numbers_with_tokens
from workbench.data.number_format import NumberFormat

WARNED_COLUMNS_MOST = 5   # columns named one by one in the warning


def warn_numbers_with_tokens(dataset: Dataset, file: str, *,
                             forced: Iterable[int | str] = (),
                             missing: Sequence[str] = (),
                             convert_from: str | None = None,
                             number_format: NumberFormat | None = None) -> None:
    """A line on stderr for each column of numbers that a few words made nominal.

    ``file`` names the file in the message; ``forced`` are the columns the user asked
    to read as nominal or string, ``missing`` the markers already in use. With
    ``convert_from`` (the file as typed) the advice is a ``workbench convert`` command
    rather than ``--missing`` flags; ``number_format`` how the file's numbers were
    read (``--decimal``). Only a warning: the file is read as it was asked
    to be, which may be what was meant.
    """
    found_all = numbers_with_tokens(dataset, forced, number_format)
    for found in found_all[:WARNED_COLUMNS_MOST]:
        flags = _missing_flags(markers_with(found.tokens, missing))
        if convert_from is None:
            advice = f"to read them as missing values: {flags}"
        else:
            target = shlex.quote(arff_name(convert_from))
            advice = (f"to read them as missing values, convert it first: workbench "
                      f"convert {shlex.quote(convert_from)} {target} {flags}")
        print(f"workbench: warning: {printable(file)}: {found.text()}, so read as "
              f"{dataset.attribute(found.column).type}; {advice}", file=sys.stderr)
    if len(found_all) > WARNED_COLUMNS_MOST:   # a file from R: NA in thousands of columns
        print(f"workbench: warning: {printable(file)}: and "
              f"{len(found_all) - WARNED_COLUMNS_MOST} more columns like these",
              file=sys.stderr)


def _missing_flags(markers: Iterable[str]) -> str:
    # "--missing=-" where the word starts with a dash: "--missing -" is an option.
    return " ".join(f"--missing={shlex.quote(m)}" if m.startswith("-")
                    else f"--missing {shlex.quote(m)}" for m in markers)


def arff_name(typed: str) -> str:
    """The ARFF file ``convert`` could write the CSV file ``typed`` to."""
    from pathlib import Path

    if typed == "-":
        return "data.arff"
    name = Path(typed).name
    for suffix in (".gz", ".csv", ".tsv", ".txt"):
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
    return f"{name}.arff"


__all__ = ["WARNED_COLUMNS_MOST", "arff_name", "warn_numbers_with_tokens"]
