"""Checks on the files a command writes, made before its work starts.

Two rules, each from what a user of the command expects:

- An output the command names for its own kind of file (``classify -d MODEL``,
  ``--predictions CSV``) replaces only a file an earlier run wrote: one of our model
  files, a predictions CSV with our header, or an empty file. Anything else (a data
  file typed where the model name should go) is refused, never turned into a zip; the
  same rule ``--dynamics`` and flows follow for the files they write.
- An output that is a data file (``convert OUT``, ``filter -o``) replaces what is
  there, as WEKA and every Unix tool do, but never the file being read: an input
  named again as an output is refused (a typo, most often, that would lose the data).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable
from pathlib import Path

from workbench.core.atomic import check_writable
from workbench.core.errors import ParameterError


def check_own_output(path: str, option: str, kind: str,
                     ours: Callable[[str], bool]) -> None:
    """Refuse ``path`` unless it can be written and is missing, empty or ``ours``.

    ``kind`` names the file the option writes (``"model file"``), ``option`` the flag
    (``"-d"``); the message says to delete the file or pick another name."""
    check_writable(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return   # missing, or a dangling link: the write makes a new file
    except OSError:
        return   # cannot look: the write itself reports what is wrong
    if not stat.S_ISREG(info.st_mode):   # a link to a FIFO would block the reading
        raise ParameterError(f"{path}: is not a regular file; {option} writes a {kind} "
                             f"there: give {option} another name")
    if info.st_size == 0 or ours(path):
        return
    raise ParameterError(f"{path} exists and is not a {kind} written by workbench; "
                         f"{option} would replace it: delete it or give {option} "
                         f"another name")


def check_model_output(path: str) -> None:
    """``-d MODEL``: a new file, an empty one or an earlier run's model."""
    from workbench.classifiers.modelfile import is_model_file

    check_own_output(path, "-d", "model file", is_model_file)


def check_predictions_output(path: str) -> None:
    """``--predictions CSV``: a new file, an empty one or an earlier run's predictions."""
    from workbench.evaluation.report import is_predictions_csv

    check_own_output(path, "--predictions", "predictions CSV", is_predictions_csv)


def same_file(first: str | os.PathLike[str], second: str | os.PathLike[str]) -> bool:
    """Whether two names are one file: the same path, another spelling of it, or a link
    to it."""
    a, b = Path(first), Path(second)
    if a.resolve() == b.resolve():
        return True
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def refuse_output_over_input(output: str, option: str,
                             inputs: Iterable[tuple[str, os.PathLike[str] | str]]) -> None:
    """Refuse an output that is one of the files read (``inputs``: the option that
    names each, and the file it resolved to)."""
    for input_option, path in inputs:
        if same_file(output, path):
            raise ParameterError(f"{option} {output} is the input file {input_option} "
                                 f"reads; writing would replace the data being read: "
                                 f"give {option} another name")
