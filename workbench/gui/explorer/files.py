"""Small file chores of the Explorer: atomic text writes, the recent-files list and the
name Save... proposes."""

from __future__ import annotations

import contextlib
from pathlib import Path

from PySide6.QtCore import QSettings

from workbench.core.atomic import write_text_atomic
from workbench.core.errors import WorkbenchError
from workbench.data.catalog import bundled, bundled_name_of
from workbench.gui.settings_values import recent_paths
from workbench.gui.widgets.file_names import free_name

__all__ = ["MAX_RECENT", "bundled_entry", "recent_entry", "recent_files", "remember_file",
           "suggested_save_path", "write_text_atomic"]

MAX_RECENT = 8


def recent_files(settings: QSettings) -> list[str]:
    """The remembered paths, newest first: at most ``MAX_RECENT``, as written; a damaged
    list is cut to them, with a warning (``settings_values.recent_paths``)."""
    return recent_paths(settings, "recent_files", MAX_RECENT, "the Explorer's recent files")


def recent_entry(path: str) -> str:
    """How the recent list keeps ``path``: a bundled dataset by its name (``iris``), as a
    flow stores it, so the entry still opens after a reinstall moves the installation;
    any other file by its absolute path."""
    return bundled_name_of(Path(path)) or str(Path(path).resolve())


def bundled_entry(entry: str) -> str | None:
    """The bundled dataset a recent-list entry names, else None (a file's path). An entry
    kept by an earlier version, the bundled file's path in this installation, counts."""
    if not Path(entry).is_absolute():
        with contextlib.suppress(WorkbenchError):
            return bundled(entry).name
        return None
    return bundled_name_of(Path(entry))


def remember_file(settings: QSettings, path: str) -> list[str]:
    """Put ``path`` first in the recent list (``recent_entry``: a bundled dataset by its
    name, another file by its absolute path; no duplicates, at most 8)."""
    path = recent_entry(path)
    # an earlier version's entry for the same bundled file (its path) goes too
    files = [path] + [f for f in recent_files(settings) if (bundled_entry(f) or f) != path]
    files = files[:MAX_RECENT]
    settings.setValue("recent_files", files)
    return files


def _split_extension(name: str) -> tuple[str, str]:
    """``name`` as (stem, extension), the longest extension a saver writes (``.csv.gz``
    included), else ``.arff``: a file read by a load-only format is offered as ARFF."""
    from workbench.data.io import format_for

    try:
        saver = format_for(name, "saver")
    except WorkbenchError:
        return Path(name).stem or name, ".arff"
    length = max(len(e) for e in saver.extensions if name.lower().endswith(e.lower()))
    return name[:-length], name[-length:]


def suggested_save_path(loaded: str | None, changed: bool, relation: str = "data") -> Path:
    """Where Save... proposes to write: never over the file the data came from.

    A bundled dataset lives inside the installed package, so its copy goes to the user's
    output folder (``user_output_root``, ~/workbench-output, where runs of bundled flows
    and experiments write too); a user's own file gets a new name beside it. The name
    says what it holds, ``diabetes-filtered.arff`` after a change (a filter, a removal,
    an edit), ``-copy`` otherwise, numbered (``-filtered-2``) so that accepting the
    suggestion never replaces an existing file.
    """
    from workbench.core.resources import is_bundled, user_output_root

    if loaded is None:
        folder, stem, extension, bundled = user_output_root(), relation or "data", ".arff", True
    else:
        stem, extension = _split_extension(Path(loaded).name)
        bundled = is_bundled(loaded, "datasets")
        folder = user_output_root() if bundled else Path(loaded).parent
    # An unchanged bundled dataset's first copy out of the package keeps its name.
    base = f"{stem}-filtered" if changed else stem if bundled else f"{stem}-copy"
    return free_name(folder, base, extension)
