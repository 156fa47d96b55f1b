"""The warning every command that reads a CSV file gives for columns of numbers written
with a decimal comma or thousands separators, read as nominal
(``data/number_separators.py`` finds them).

A German Excel file read without ``--decimal ,`` trained NaiveBayes on ``1,57`` as a
label, with no word about why it did no better than ZeroR. The reader does not guess
the separators; this says what it saw and what to type, as ``_missing_words`` does for
a word like ``NA``: the flags where the command has them, else the ``convert`` command
that writes the file with them (``classify`` and ``filter`` take WEKA's options, which
have no CSV options).
"""

from __future__ import annotations

import shlex
import sys

from workbench.core.errors import printable
from workbench.data.dataset import Dataset
from workbench.data.number_format import NumberFormat
from workbench.data.number_separators import separated_numbers


def warn_separated_numbers(dataset: Dataset, file: str, delimiter: str, *,
                           forced: list[int | str] | None = None,
                           number_format: NumberFormat | None = None,
                           convert_from: str | None = None,
                           encoding: str | None = None) -> bool:
    """One line on stderr when columns of ``dataset`` (read from the CSV file called
    ``file`` in messages, separated by ``delimiter``, with ``number_format``) look like
    numbers written with other separators; whether it said so. ``forced``: the columns
    asked for as nominal or string, left out. With ``convert_from`` (the file as typed)
    the advice is a ``workbench convert`` command, with ``--encoding`` when one was
    given, rather than the flags alone."""
    found = separated_numbers(dataset, delimiter, forced or (), number_format)
    if found is None:
        return False
    flags = " ".join(shlex.quote(word) for word in found.number_format.flags())
    if convert_from is None:
        advice = f"to read them as numbers: {flags}"
    else:
        from workbench.commands._missing_words import arff_name

        target = shlex.quote(arff_name(convert_from))
        also = f" --encoding {shlex.quote(encoding)}" if encoding else ""
        advice = (f"to read them as numbers, convert it first: workbench convert "
                  f"{shlex.quote(convert_from)} {target} {flags}{also}")
    kind = dataset.attribute(found.columns[0]).type
    print(f"workbench: warning: {printable(file)}: {found.text()}, so read as {kind}; "
          f"{advice}", file=sys.stderr)
    return True


__all__ = ["warn_separated_numbers"]
