"""Opening a window's settings file, once it is one that can be read in a moment.

Qt's ``QSettings`` reads its whole file when it is made, before any value is asked for
and before ``settings_values`` can check one: a 200 MB file (a sync tool's merge gone
wrong, a hostile file) held the Explorer's start for seconds and 0.9 GB, and a file
that is a FIFO or a link to a device would hold it for ever. So the file is looked at
first (its kind and size, never its content), and one that no Workbench wrote is set
aside under another name (kept: it is the user's) with one warning naming both, and the
window starts with the default settings.

Where the settings are a file: Linux and the other Unix systems, whose native format
is an INI file (``$XDG_CONFIG_HOME/Workbench/Explorer.conf``). That file is then opened
by its path, so the file checked is the only one read (``QSettings("Workbench",
"Explorer")`` also reads ``Workbench.conf`` and the system-wide copies in
``/etc/xdg``, which Workbench never writes). On macOS and Windows the settings live in
the system's preferences store and registry, which Qt reads by key, and are opened as
before.
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
import warnings
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths

from workbench.core.errors import WorkbenchWarning
from workbench.core.memory_ceiling import describe_bytes

ORGANIZATION = "Workbench"
# Real settings files are a few KB: the Explorer's is ~2 KB (recent files, geometry,
# folds), plus ~340 bytes for each file opened with reading options other than the
# defaults. 4 MB holds ~12 000 such files and is read in a few tens of milliseconds;
# a file beyond it was not written by Workbench.
MAX_SETTINGS_BYTES = 4 * 1024 * 1024
TOO_LARGE_SUFFIX = ".too-large"
NOT_A_FILE_SUFFIX = ".not-a-file"


def settings_file(application: str) -> Path | None:
    """Where ``QSettings(ORGANIZATION, application)`` keeps its values for this user,
    found without reading it; None where that is not a file (macOS, Windows)."""
    if sys.platform in ("darwin", "win32"):
        return None
    folder = QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.GenericConfigLocation)
    return Path(folder) / ORGANIZATION / f"{application}.conf"


def window_settings(application: str, what: str) -> QSettings:
    """The settings of the window ``application`` ("Explorer"), whose file is set
    aside first, with one ``WorkbenchWarning``, when it is not a regular file or is
    larger than ``MAX_SETTINGS_BYTES``; ``what`` names it in the warning ("the
    Explorer's settings")."""
    path = settings_file(application)
    if path is None:
        return QSettings(ORGANIZATION, application)
    problem = _problem(path)
    if problem is not None:
        why, suffix = problem
        return _set_aside(path, suffix, f"{what} file {path} {why}")
    return QSettings(str(path), QSettings.Format.IniFormat)


def _problem(path: Path) -> tuple[str, str] | None:
    """Why ``path`` is not read (and the suffix it is set aside with), or None for a
    regular file of a sane size, or none at all."""
    try:
        info = path.stat()   # through a link: a link to /dev/zero is no settings file
    except FileNotFoundError:   # none yet, or a dangling link: Qt starts a new one
        return None
    except OSError as error:
        return f"cannot be looked at ({error.strerror or error})", NOT_A_FILE_SUFFIX
    if not stat.S_ISREG(info.st_mode):
        return "is not a regular file", NOT_A_FILE_SUFFIX
    if info.st_size > MAX_SETTINGS_BYTES:
        return (f"is {describe_bytes(info.st_size)}, more than a settings file holds "
                f"(at most {describe_bytes(MAX_SETTINGS_BYTES)}; Workbench writes a few "
                f"KB)"), TOO_LARGE_SUFFIX
    return None


def _set_aside(path: Path, suffix: str, said: str) -> QSettings:
    """Rename ``path`` to a free name ending in ``suffix`` and start from the defaults
    in a new file at ``path``; when it cannot be renamed, the defaults are used from a
    file of their own, and are not kept."""
    try:
        aside = _free_name(path, suffix)
        os.replace(path, aside)   # the link itself, where the file is one
    except OSError as error:
        folder = tempfile.mkdtemp(prefix="workbench-settings-")
        warnings.warn(WorkbenchWarning(
            f"{said}; it could not be set aside ({error.strerror or error}), so this "
            f"window starts with the default settings and does not keep them"),
            stacklevel=3)
        return QSettings(str(Path(folder) / path.name), QSettings.Format.IniFormat)
    warnings.warn(WorkbenchWarning(f"{said}; set it aside as {aside} and started with "
                                   f"the default settings"), stacklevel=3)
    return QSettings(str(path), QSettings.Format.IniFormat)


def _free_name(path: Path, suffix: str) -> Path:
    """``path`` with ``suffix``, numbered past any earlier file set aside, which is
    never replaced."""
    candidate = path.with_name(path.name + suffix)
    number = 1
    while os.path.lexists(candidate):
        number += 1
        candidate = path.with_name(f"{path.name}{suffix}.{number}")
    return candidate


# What the status bar says of such a warning, whose whole text (two paths) would be
# elided there to nothing readable; the log has it whole.
SET_ASIDE_STATUS = "Warning: the settings file could not be used; started with the defaults"


def opened_with_notes(make: Callable[[], QSettings]) -> tuple[QSettings, list[str]]:
    """``make()``'s settings and what opening them warned of, for the window to say in
    its log and status bar (where a user who started it from the desktop sees it)
    rather than on a terminal that may not be there."""
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always", WorkbenchWarning)
        settings = make()
    for w in said:
        if not issubclass(w.category, WorkbenchWarning):
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return settings, [str(w.message) for w in said
                      if issubclass(w.category, WorkbenchWarning)]
