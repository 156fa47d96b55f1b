"""Values read back from the windows' settings files, checked before use.

A settings file is ours, but what it holds when read is not always what we wrote: a
disk that filled up mid-write, a sync tool's merge, a hand edit. A damaged value must
not stop a window from opening (a 20 000-entry recent list took the Explorer 56 s to
show, one 200 MB entry 7.9 GB; walkthrough 13a, D8 and D9): each is read within the
bounds the window uses, and one that is not what we write is dropped from the file
with one warning line, the way a library's warning is said (``cli._warnings_said_once``).
"""

from __future__ import annotations

import warnings
from typing import Any

from workbench.core.errors import WorkbenchWarning

# Longer than any path a file system takes (Linux's PATH_MAX is 4096 bytes).
MAX_PATH_CHARS = 4096


def drop_setting(settings: Any, key: str, what: str, why: str) -> None:
    """Remove ``key`` from ``settings`` and say so once: "ignored the Explorer's recent
    files list: 20000 entries (at most 8 are kept); dropped it"."""
    settings.remove(key)
    warnings.warn(WorkbenchWarning(f"ignored {what} in the settings: {why}; dropped it"),
                  stacklevel=3)


def recent_paths(settings: Any, key: str, most: int, what: str) -> list[str]:
    """The ``most`` newest paths of the list at ``key``, as a recent-files menu shows
    them. QSettings gives back a lone string for a one-item list; anything else, a list
    longer than ``most`` (only ``most`` are ever written) or a path longer than any file
    system takes, is damage: the good part is kept and written back, the rest dropped
    with a warning."""
    value = settings.value(key, [])
    if value is None:
        return []
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list | tuple):
        drop_setting(settings, key, what, f"a {type(value).__name__}, not a list of paths")
        return []
    # A NUL can be in no path (every file call refuses it with ValueError, which
    # stopped the Explorer from opening at all): such an entry is damage too.
    kept = [item for item in items[:most]
            if isinstance(item, str) and 0 < len(item) <= MAX_PATH_CHARS
            and "\0" not in item]
    if len(kept) < len(items):
        problems = []
        if len(items) > most:
            problems.append(f"{len(items)} entries (at most {most} are kept)")
        if len(kept) < min(len(items), most):
            problems.append(f"entries that are not paths (longer than {MAX_PATH_CHARS} "
                            f"characters, empty, or holding a NUL)")
        if kept:
            settings.setValue(key, kept)
        else:
            settings.remove(key)
        warnings.warn(WorkbenchWarning(f"ignored part of {what} in the settings: "
                                       f"{' and '.join(problems)}; dropped them"),
                      stacklevel=2)
    return kept


def folder_setting(settings: Any, key: str) -> str:
    """A remembered folder (where a file dialog opens), or "" for none: a value that is
    not a path of a sane length is dropped, one that is no folder now is not used."""
    from pathlib import Path

    value = settings.value(key, "")
    if value in (None, ""):
        return ""
    if not isinstance(value, str) or len(value) > MAX_PATH_CHARS:
        drop_setting(settings, key, f"the remembered folder '{key}'",
                     f"not a path of at most {MAX_PATH_CHARS} characters")
        return ""
    try:
        return value if Path(value).is_dir() else ""
    except (OSError, ValueError):   # a NUL in it, a name too long for the file system
        return ""
