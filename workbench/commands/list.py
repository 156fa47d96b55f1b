"""``workbench list [KIND]``: what components exist, from the one registry.

Loaders, savers, evaluators and viewers are also the Knowledge Flow's palette sections
(DataSources, DataSinks, Evaluation, Visualization), so ``list loaders`` shows the file
formats that can be read and the palette's loader nodes; ``list plugins`` is
``workbench plugins``; ``list datasets`` shows the bundled datasets, whose names work
wherever a file name does (``workbench info iris``).
"""

from __future__ import annotations

import argparse
import json
import sys

from workbench.core.errors import WorkbenchError
from workbench.core.registry import KINDS, default_registry

# Words that also name the flow node types of one palette section.
PALETTE_SECTIONS = {"loader": "DataSources", "saver": "DataSinks",
                    "evaluator": "Evaluation", "viewer": "Visualization"}
WORDS = (*KINDS, *(k for k in PALETTE_SECTIONS if k not in KINDS))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", nargs="?", metavar="KIND",
                        help=f"one of {', '.join(k + 's' for k in WORDS)}, plugins or "
                             f"datasets (default: all components)")
    parser.add_argument("--json", action="store_true", help="print one JSON list")


def run(args: argparse.Namespace) -> int:
    registry = default_registry()
    kind = None
    if args.kind:
        if args.kind.lower() in ("plugin", "plugins"):
            from workbench.commands import plugins

            return plugins.run(argparse.Namespace(json=args.json, all=False))
        if args.kind.lower() in ("dataset", "datasets"):
            return _list_datasets(args.json)
        by_word = {k: k for k in WORDS} | {k + "s": k for k in WORDS}
        kind = by_word.get(args.kind.lower())
        if kind is None:
            raise WorkbenchError(f"unknown kind '{args.kind}' (expected one of "
                                 f"{', '.join(k + 's' for k in WORDS)}, plugins or "
                                 f"datasets)")
    infos = registry.list(kind) if kind is None or kind in KINDS else []
    if kind in PALETTE_SECTIONS:
        infos += [i for i in registry.list("flow") if i.category == PALETTE_SECTIONS[kind]]
    if args.json:
        print(json.dumps([{"kind": i.kind, "name": i.name, "display_name": i.display_name,
                           "category": i.category, "description": i.description,
                           "aliases": list(i.aliases), "origin": i.origin} for i in infos],
                         indent=2))
    else:
        current = None
        name_width = max((len(i.name) for i in infos), default=0) + 1
        category_width = max((len(i.category) for i in infos), default=0) + 1
        for info in infos:
            heading = kind if kind in PALETTE_SECTIONS else info.kind
            if heading != current:
                current = heading
                print(f"{current}s:")
            others = [a for a in info.aliases
                      if a.lower() not in (info.name.lower(), info.display_name.lower())]
            aliases = f" (also {', '.join(others)})" if others else ""
            print(f"  {info.name:<{name_width}} {info.category:<{category_width}} "
                  f"{info.display_name}{aliases}")
        if not infos:
            print(f"no {args.kind or 'components'} registered")
    for problem in registry.problems:
        print(f"workbench: warning: {problem}", file=sys.stderr)
    return 0


def _list_datasets(as_json: bool) -> int:
    """The bundled datasets: a user's first question is what there is to open."""
    from workbench.data.catalog import BUNDLED, datasets_dir

    folder = datasets_dir()
    if as_json:
        print(json.dumps([{"name": d.name, "file": str(folder / d.filename),
                           "description": d.description} for d in BUNDLED], indent=2))
        return 0
    width = max(len(d.name) for d in BUNDLED) + 1
    print("datasets (bundled; use the name wherever a file name goes):")
    for entry in BUNDLED:
        print(f"  {entry.name:<{width}} {entry.description}")
    print(f"(files in {folder})")
    return 0
