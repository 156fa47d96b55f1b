"""Where flows live on disk for the editor: recent flows, templates, autosave, recovery.

Saving and loading go through ``workbench.flow.save_flow`` / ``load_flow`` (versioned
JSON, atomic writes). Autosave writes the open flow every so often to a recovery file
in the user's data folder; a clean close deletes it, so a recovery file found at start
means the last session ended without closing (a crash) and its work can be restored.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths

from workbench.core.errors import DataFormatError
from workbench.core.jsonfile import read_json
from workbench.core.resources import resource_dir
from workbench.flow import Flow, flow_to_dict
from workbench.flow.nodes.base import write_text_atomic
from workbench.gui.settings_file import window_settings
from workbench.gui.settings_values import recent_paths

RECENT_KEY = "recent_flows"
MAX_RECENT = 8


FLOW_SUFFIX = ".kflow.json"


def editor_settings() -> QSettings:
    return window_settings("KnowledgeFlow", "the Knowledge Flow's settings")


def templates_dir() -> Path:
    """The bundled templates (``workbench/resources/flows``)."""
    return resource_dir("flows")


def templates() -> list[Path]:
    folder = templates_dir()
    return sorted(folder.glob("*.kflow.json")) if folder.is_dir() else []


def template_title(path: Path) -> str:
    """A template's title from its file, else its name."""
    try:
        document = read_json(path, what="a flow file")
    except DataFormatError:
        document = None
    title = document.get("title") if isinstance(document, dict) else None
    return title or path.name.removesuffix(".kflow.json")


def recent_flows(settings: QSettings) -> list[str]:
    """The remembered flows that are still files, newest first: at most ``MAX_RECENT``
    are read, as written (a damaged list is cut to them, with a warning)."""
    paths = recent_paths(settings, RECENT_KEY, MAX_RECENT, "the Knowledge Flow's recent flows")
    return [p for p in paths if _is_file(p)]


def _is_file(path: str) -> bool:
    try:
        return Path(path).is_file()
    except (OSError, ValueError):   # a NUL in it, a name too long for the file system
        return False


def remember_flow(settings: QSettings, path: str | os.PathLike[str]) -> list[str]:
    entry = str(Path(path).resolve())
    recent = [entry] + [p for p in recent_flows(settings) if p != entry]
    settings.setValue(RECENT_KEY, recent[:MAX_RECENT])
    return recent[:MAX_RECENT]


def autosave_dir() -> Path:
    """Folder for recovery files: ``$WORKBENCH_HOME/flow-autosave`` when the user keeps
    Workbench's files there (as its plugins and flow-writes record), else the system's
    application-data folder (``WORKBENCH_AUTOSAVE_DIR`` overrides both, for tests)."""
    override = os.environ.get("WORKBENCH_AUTOSAVE_DIR")
    if override:
        return Path(override)
    home = os.environ.get("WORKBENCH_HOME")
    if home and os.path.isabs(home):
        return Path(home) / "flow-autosave"
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(base or Path.home() / ".workbench") / "flow-autosave"


def autosave_path() -> Path:
    """This process's recovery file."""
    return autosave_dir() / f"autosave-{os.getpid()}.kflow.json"


def write_autosave(flow: Flow, original: Path | None) -> Path:
    """Write the flow to the recovery file, remembering where it was saved (if anywhere)
    so that recovery can resolve its relative file names the same way."""
    data = flow_to_dict(flow)
    data.setdefault("ui", {})["autosave_of"] = str(original) if original else None
    path = autosave_path()
    write_text_atomic(path, json.dumps(data, indent=1))
    return path


def clear_autosave() -> None:
    autosave_path().unlink(missing_ok=True)


def orphaned_autosaves() -> list[Path]:
    """Recovery files left by sessions that are no longer running (crashed)."""
    folder = autosave_dir()
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.glob("autosave-*.kflow.json")):
        pid_text = path.name.removeprefix("autosave-").removesuffix(".kflow.json")
        if pid_text.isdecimal() and int(pid_text) != os.getpid() and _alive(int(pid_text)):
            continue
        if path != autosave_path():
            found.append(path)
    return found


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def recovered_origin(path: Path) -> Path | None:
    """The file a recovery file was autosaved from, if it had one."""
    try:
        document = read_json(path, what="a flow file")
    except DataFormatError:
        return None
    ui = document.get("ui") if isinstance(document, dict) else None
    origin = ui.get("autosave_of") if isinstance(ui, dict) else None
    return Path(origin) if isinstance(origin, str) and origin else None
