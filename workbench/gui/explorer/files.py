"""Small file chores of the Explorer: atomic text writes and the recent-files list."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from workbench.core.atomic import write_text_atomic

__all__ = ["MAX_RECENT", "recent_files", "remember_file", "write_text_atomic"]

MAX_RECENT = 8


def recent_files(settings: QSettings) -> list[str]:
    """The remembered paths, newest first. QSettings gives back a lone string for a
    one-item list (and, from a damaged file, perhaps anything else: read as none)."""
    value = settings.value("recent_files", [])
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return []


def remember_file(settings: QSettings, path: str) -> list[str]:
    """Put ``path`` first in the recent list (absolute, no duplicates, at most 8)."""
    path = str(Path(path).resolve())
    files = [path] + [f for f in recent_files(settings) if f != path]
    files = files[:MAX_RECENT]
    settings.setValue("recent_files", files)
    return files
