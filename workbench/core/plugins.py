"""Finding plugins: modules in plugin folders and packages with an entry point.

A plugin is a Python module with a ``register(registry)`` function, exactly like a
built-in package. It is found in three places: the user's plugins folder
(``~/.workbench/plugins``, or ``$WORKBENCH_HOME/plugins``), each folder on
``WORKBENCH_PLUGIN_PATH`` (``os.pathsep``-separated), and installed packages that declare
a ``workbench.plugins`` entry point. The repository's ``plugins/`` folder holds an
example, loaded only when put on the path: a checkout then offers exactly the learners an
installed wheel does. Plugins are code the user chose
to install; data files (flows, models) never name code to run.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import time
from importlib.metadata import entry_points
from pathlib import Path

from workbench.core.registry import Registry

ENTRY_POINT_GROUP = "workbench.plugins"


def user_plugin_folder() -> Path:
    home = os.environ.get("WORKBENCH_HOME")
    return (Path(home) if home else Path.home() / ".workbench") / "plugins"


def plugin_folders() -> list[Path]:
    folders = [user_plugin_folder()]
    for entry in os.environ.get("WORKBENCH_PLUGIN_PATH", "").split(os.pathsep):
        if entry:
            folders.append(Path(entry))
    return [f for f in folders if f.is_dir()]


def load_plugins(registry: Registry) -> None:
    """Register every plugin found; each failure is recorded in ``registry.problems``."""
    for folder in plugin_folders():
        for path in sorted(folder.glob("*.py")):
            if path.name.startswith("_"):
                continue
            _load_file(registry, path)
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        registry.register_module(entry.value.split(":")[0], origin=f"plugin {entry.name}")


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
