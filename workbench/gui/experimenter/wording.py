"""Where the Experimenter writes by default, what its files are called, and its messages
in a window's words.

The experiment package speaks to the command line ("choose another --out"); a person in
the window has a Results file field, not a flag, so its messages are translated here
rather than the library learning about windows.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QStandardPaths

_FLAGS = (
    (re.compile(r"choose another --out"), "choose another results file (Setup → Results "
                                          "file)"),
    (re.compile(r"--out\b"), "the results file (Setup → Results file)"),
    (re.compile(r"--scheduler\b"), "a scheduler address (Setup → Scheduler)"),
    (re.compile(r"--backend\b"), "the backend (Setup → Backend)"),
)


def gui_words(message: str) -> str:
    """``message`` with command-line flags replaced by the controls that set them."""
    for pattern, words in _FLAGS:
        message = pattern.sub(words, message)
    return message


SPEC_SUFFIX = ".experiment.json"


def data_folder() -> Path:
    """The user's Workbench data folder: ``$WORKBENCH_HOME`` when set, else the
    platform's application-data folder (``~/.local/share/Workbench/Workbench`` on Linux),
    else ``~/.workbench``."""
    home = os.environ.get("WORKBENCH_HOME")
    if home:
        return Path(home)
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(base) if base else Path.home() / ".workbench"


def default_results_file(name: str = "experiment") -> Path:
    """A fresh results file in the data folder, as WEKA's Experimenter offers one: a
    new name each time, so a new experiment never collides with an old one's results."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    folder = data_folder() / "experiments"
    path = folder / f"{name}-{stamp}.results.csv"
    number = 2
    while path.exists():
        path = folder / f"{name}-{stamp}-{number}.results.csv"
        number += 1
    return path


def results_reason(spec_path: str | os.PathLike[str]) -> str:
    """Why an opened experiment's results go where ``core.resources.
    default_results_path`` puts them, in the words shown under the Results file field
    (whose start a long path hides, so the folder is named here)."""
    from workbench.core.resources import is_bundled, user_output_root

    if is_bundled(spec_path, "experiments"):
        return (f"A bundled experiment is part of the installed program: its results go "
                f"to {_home_short(user_output_root())}, as on the command line.")
    return "Beside the experiment file, as on the command line."


def _home_short(path: Path) -> str:
    """``path`` with the home folder written ``~``."""
    try:
        return str(Path("~") / path.relative_to(Path.home()))
    except ValueError:
        return str(path)


def shown_names(results: str | os.PathLike[str], registry: Any = None) -> dict[str, str]:
    """For the classifiers of a results file whose label is the one the experiment made
    up ("knn --k 3"), the name the user chose them by ("IBk -K 3"), read from the file's
    experiment record (``evaluation.experiment.names``, which the command line shares)."""
    from workbench.evaluation.experiment.names import recorded_names

    return recorded_names(results, registry)
