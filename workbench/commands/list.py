"""``workbench list [KIND]``: what components exist, from the one registry."""

from __future__ import annotations

import argparse
import json
import sys

from workbench.core.errors import WorkbenchError
from workbench.core.registry import KINDS, default_registry


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", nargs="?", metavar="KIND",
                        help=f"one of {', '.join(k + 's' for k in KINDS)} (default: all)")
    parser.add_argument("--json", action="store_true", help="print one JSON list")


def run(args: argparse.Namespace) -> int:
    registry = default_registry()
    kind = None
    if args.kind:
        by_word = {k: k for k in KINDS} | {k + "s": k for k in KINDS}
        kind = by_word.get(args.kind.lower())
        if kind is None:
            raise WorkbenchError(f"unknown kind '{args.kind}' (expected one of "
                                 f"{', '.join(k + 's' for k in KINDS)})")
    infos = registry.list(kind)
    if args.json:
        print(json.dumps([{"kind": i.kind, "name": i.name, "display_name": i.display_name,
                           "category": i.category, "description": i.description,
                           "aliases": list(i.aliases), "origin": i.origin} for i in infos],
                         indent=2))
    else:
        current = None
        for info in infos:
            if info.kind != current:
                current = info.kind
                print(f"{current}s:")
            others = [a for a in info.aliases
                      if a.lower() not in (info.name.lower(), info.display_name.lower())]
            aliases = f" (also {', '.join(others)})" if others else ""
            print(f"  {info.name:<22} {info.category:<12} {info.display_name}{aliases}")
        if not infos:
            print(f"no {args.kind or 'components'} registered")
    for problem in registry.problems:
        print(f"workbench: warning: {problem}", file=sys.stderr)
    return 0
