"""Finding plugins: modules in plugin folders and packages with an entry point.

A plugin is a Python module with a ``register(registry)`` function, exactly like a
built-in package. It is found in three places: the user's plugins folder
(``~/.workbench/plugins``, or ``$WORKBENCH_HOME/plugins``), each folder on
``WORKBENCH_PLUGIN_PATH`` (``os.pathsep``-separated), and installed packages that declare
a ``workbench.plugins`` entry point. The repository's ``plugins/`` folder holds an
example, loaded only when put on the path: a checkout then offers exactly the learners an
installed wheel does. Data files (flows, models) never name code to run.

Plugins are code the user chose to install, and every command runs them, so a folder is
trusted the way ssh trusts its configuration and git a repository:

- only absolute folders: a relative entry (``plugins``) would load the code of whatever
  folder the user happens to be in (a downloaded dataset's, say); it is ignored with a
  one-line warning that shows the absolute form;
- only folders and files owned by the user (or by root) that nobody else may write:
  the folder, the folders above it (a shared one such as /tmp counts when its sticky bit
  stops others renaming what is in it) and each plugin file. Anything else is refused
  with a warning and listed by ``workbench plugins``.

What was loaded is listed by ``workbench plugins``; each plugin file loaded is also named
once in the log (``workbench --debug``), so normal output stays clean.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import stat
import sys
import time
from importlib.metadata import entry_points
from pathlib import Path

from workbench.core.registry import Registry

ENTRY_POINT_GROUP = "workbench.plugins"
_log = logging.getLogger(__name__)


def user_plugin_folder() -> Path:
    home = os.environ.get("WORKBENCH_HOME")
    return (Path(home).expanduser() if home else Path.home() / ".workbench") / "plugins"


def _candidates() -> tuple[list[Path], list[str]]:
    """The plugin folders asked for, and a warning for each entry ignored as relative."""
    folders: list[Path] = []
    ignored: list[str] = []
    user = user_plugin_folder()
    if user.is_absolute():
        folders.append(user)
    else:
        ignored.append(f"WORKBENCH_HOME '{os.environ.get('WORKBENCH_HOME')}' is a relative "
                       f"path, so its plugins folder was not searched (it would depend on "
                       f"the current folder); give an absolute one, e.g. "
                       f"WORKBENCH_HOME=$HOME/.workbench")
    for entry in os.environ.get("WORKBENCH_PLUGIN_PATH", "").split(os.pathsep):
        if not entry:
            continue
        folder = Path(entry).expanduser()
        if folder.is_absolute():
            folders.append(folder)
        else:
            ignored.append(f"WORKBENCH_PLUGIN_PATH entry '{entry}' is relative and was "
                           f"ignored: it would run the *.py files of '{entry}' in whatever "
                           f"folder you are in; give an absolute path, e.g. "
                           f"WORKBENCH_PLUGIN_PATH=$PWD/{entry}")
    return folders, ignored


def plugin_folders() -> list[Path]:
    """The plugin folders searched: the absolute ones that exist (trusted or not; a
    folder refused by the checks below is reported when plugins load)."""
    return [f for f in _candidates()[0] if f.is_dir()]


def ignored_entries() -> list[str]:
    """Why each relative plugin folder entry was ignored, one line each."""
    return _candidates()[1]


def untrusted(path: Path, *, folder: bool) -> str | None:
    """Why ``path`` (a plugin folder, or a plugin file) may not be run, or None.

    Refused: owned by someone other than the user or root, or writable by the group or
    others; for a folder, also any folder above it that others could write into without
    a sticky bit (``/tmp`` has one: others cannot rename what is in it)."""
    me = getattr(os, "geteuid", None)
    if me is None:  # pragma: no cover - Windows has no owners and modes to compare
        return None
    uid = me()
    try:
        real = path.resolve(strict=True)
        info = real.stat()
    except OSError as error:
        return f"cannot be checked: {error.strerror or error}"
    problem = _bad_owner_or_mode(real, info, uid, sticky_ok=False)
    if problem:
        return problem
    above = real if folder else real.parent
    chain = list(above.parents) if folder else [above, *above.parents]
    for parent in chain:
        try:
            parent_info = parent.stat()
        except OSError as error:
            return f"cannot be checked: {parent}: {error.strerror or error}"
        problem = _bad_owner_or_mode(parent, parent_info, uid, sticky_ok=True)
        if problem:
            return problem
    return None


def _bad_owner_or_mode(path: Path, info: os.stat_result, uid: int, *,
                       sticky_ok: bool) -> str | None:
    if info.st_uid not in (uid, 0):
        return f"{path} is owned by another user (uid {info.st_uid})"
    writable = info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    if writable and not (sticky_ok and info.st_mode & stat.S_ISVTX):
        who = "others" if info.st_mode & stat.S_IWOTH else "its group"
        return f"{path} can be written by {who} (chmod go-w {path})"
    return None


def load_plugins(registry: Registry) -> None:
    """Register every trusted plugin found; each failure or refusal is recorded in
    ``registry.problems`` and each refusal also said once on stderr."""
    for line in ignored_entries():
        _warn(line)
    for folder in plugin_folders():
        problem = untrusted(folder, folder=True)
        if problem:
            _refuse(registry, f"plugin folder {folder}", "(folder)",
                    f"plugin folder {folder} was not loaded: {problem}")
            continue
        for path in sorted(folder.glob("*.py")):
            if path.name.startswith("_"):
                continue
            problem = untrusted(path, folder=False)
            if problem:
                _refuse(registry, f"plugin {path}", f"workbench_plugin_{path.stem}",
                        f"plugin {path} was not loaded: {problem}")
                continue
            _load_file(registry, path)
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        registry.register_module(entry.value.split(":")[0], origin=f"plugin {entry.name}")
        _log.info("plugin entry point %s: %s", entry.name, entry.value)


def _warn(line: str) -> None:
    print(f"workbench: warning: {line}", file=sys.stderr)


def _refuse(registry: Registry, origin: str, module: str, problem: str) -> None:
    _warn(problem)
    registry.record(origin, module, problem, 0.0)


def _load_file(registry: Registry, path: Path) -> None:
    module_name = f"workbench_plugin_{path.stem}"
    started = time.perf_counter()
    try:
        spec = importlib.util.spec_from_file_location(module_name, path)
        if spec is None or spec.loader is None:
            raise ImportError("not a Python module")
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module
        spec.loader.exec_module(module)
    except BaseException as error:  # a broken plugin (even its sys.exit()) is never fatal
        sys.modules.pop(module_name, None)
        registry.record(f"plugin {path}", module_name, f"plugin {path} failed to load: "
                        f"{error!r}", time.perf_counter() - started)
        return
    registry.register_module(module_name, origin=f"plugin {path}",
                             seconds=time.perf_counter() - started)
    _log.info("loaded plugin %s", path)
