"""``workbench list [KIND]``: what components exist, from the one registry.

Loaders, savers, evaluators and viewers are also the Knowledge Flow's palette sections
(DataSources, DataSinks, Evaluation, Visualization), so ``list loaders`` shows the file
formats that can be read and the palette's loader nodes; ``list plugins`` is
``workbench plugins``; ``list datasets``, ``list templates`` and ``list experiments``
show what the package bundles, whose names work wherever a file name does
(``workbench info iris``, ``workbench run cross-validation``, ``workbench experiment run
three-learners``): a user who installed the wheel has no source tree to look in.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from workbench.core.errors import WorkbenchError
from workbench.core.registry import KINDS, default_registry

# Words that also name the flow node types of one palette section.
PALETTE_SECTIONS = {"loader": "DataSources", "saver": "DataSinks",
                    "evaluator": "Evaluation", "viewer": "Visualization"}
WORDS = (*KINDS, *(k for k in PALETTE_SECTIONS if k not in KINDS))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", nargs="?", metavar="KIND",
                        help=f"one of {', '.join(k + 's' for k in WORDS)}, plugins, "
                             f"datasets, templates (bundled flows) or experiments "
                             f"(default: all components)")
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
        if args.kind.lower() in ("template", "templates"):
            return _list_bundled("templates", args.json)
        if args.kind.lower() in ("experiment", "experiments"):
            return _list_bundled("experiments", args.json)
        by_word = {k: k for k in WORDS} | {k + "s": k for k in WORDS}
        kind = by_word.get(args.kind.lower())
        if kind is None:
            raise WorkbenchError(f"unknown kind '{args.kind}' (expected one of "
                                 f"{', '.join(k + 's' for k in WORDS)}, plugins, "
                                 f"datasets, templates or experiments)")
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


def _list_bundled(kind: str, as_json: bool) -> int:
    """The bundled flow templates or experiments, by the name the commands take."""
    from workbench.core.resources import bundled_experiments, resource_dir

    if kind == "templates":
        paths = sorted(resource_dir("flows").glob("*.kflow.json"))
        suffix, command = ".kflow.json", "workbench run NAME, workbench flow NAME"
    else:
        paths = bundled_experiments()
        suffix = ".experiment.json"
        command = "workbench experiment run NAME, workbench experimenter NAME"
    entries = [(path.name.removesuffix(suffix), _bundled_title(path, kind), path)
               for path in paths]
    if as_json:
        print(json.dumps([{"name": name, "title": title, "file": str(path)}
                          for name, title, path in entries], indent=2))
        return 0
    width = max((len(name) for name, _, _ in entries), default=0) + 1
    print(f"{kind} (bundled; {command}):")
    for name, title, _ in entries:
        print(f"  {name:<{width}} {title}")
    return 0


def _bundled_title(path: Path, kind: str) -> str:
    """A flow template's own title; for an experiment, what it crosses (the package's
    own files, read as plain JSON)."""
    document = json.loads(path.read_text(encoding="utf-8"))
    if kind == "templates":
        return str(document.get("title", ""))
    datasets, classifiers = document.get("datasets", []), document.get("classifiers", [])
    return (f"{len(datasets)} dataset{'s' * (len(datasets) != 1)} x "
            f"{len(classifiers)} classifier{'s' * (len(classifiers) != 1)}, "
            f"{document.get('repetitions', 1)} repetitions")
