"""Where the Experimenter writes by default, and its messages in a window's words.

The experiment package speaks to the command line ("choose another --out"); a person in
the window has a Results file field, not a flag, so its messages are translated here
rather than the library learning about windows.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

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
