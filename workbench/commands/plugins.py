"""``workbench plugins``: where components come from, and which plugins failed.

Lists every built-in package and plugin that registered (or tried to), with what each
added and the error of each broken one, so a user can see why a component is missing
from the palette. A broken plugin never stops the application; this is where it shows.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from typing import TypedDict

from workbench.core.plugins import (
    ENTRY_POINT_GROUP,
    ignored_entries,
    plugin_folders,
    user_plugin_folder,
)
from workbench.core.registry import default_registry

_WORDS = {"flow": "flow node type"}


class _Row(TypedDict):
    """One line of the listing, and one object of ``--json``: its keys are the output."""

    origin: str
    module: str
    status: str
    added: dict[str, int]
    problem: str
    seconds: float


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print one JSON list")
    parser.add_argument("--all", action="store_true",
                        help="also list the built-in packages")


def run(args: argparse.Namespace) -> int:
    registry = default_registry()
    # Components record the module that defines them; plugins rarely pass ``origin``.
    added = Counter((info.factory.__module__ if info.origin == "built-in" else info.origin,
                     info.kind) for info in registry.list())
    rows: list[_Row] = []
    for source in registry.sources:
        if source.origin == "built-in" and not args.all and source.ok:
            continue
        # Built-ins share one origin, so only a plugin's additions can be told apart.
        kinds = {} if source.origin == "built-in" else {
            kind: count for (where, kind), count in added.items()
            if where in (source.origin, source.module)}
        rows.append({"origin": source.origin, "module": source.module,
                     "status": "ok" if source.ok else "failed", "added": kinds,
                     "problem": source.problem, "seconds": round(source.seconds, 4)})
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    print("plugin folders searched: " + (", ".join(str(f) for f in plugin_folders())
                                         or "none"))
    for line in ignored_entries():
        print(f"not searched: {line}")
    print(f"user plugin folder: {user_plugin_folder()}")
    print(f"entry point group: {ENTRY_POINT_GROUP}")
    if not rows:
        print("no plugins found")
    for row in rows:
        what = ", ".join(f"{n} {_WORDS.get(k, k)}{'s' if n != 1 else ''}" for k, n in
                         sorted(row["added"].items())) or "nothing"
        builtin = row["origin"] == "built-in"
        # Every command loads every plugin, so a slow one is worth seeing.
        print(f"{row['status']:<7} {row['module'] if builtin else row['origin']} "
              f"({row['seconds']:.2f} s to load)")
        if row["status"] == "ok" and not builtin:
            print(f"        added {what}")
        elif row["status"] != "ok":
            print(f"        {row['problem']}")
    return 0
