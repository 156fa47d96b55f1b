"""A number and the thing it counts, in words a person reads: "1 dataset", "3 links".

Messages all over the application count things (runs, nodes, links, files, iterations);
"1 datasets" or "2 node(s)" read as careless, so they all say it through ``counted``.
"""

from __future__ import annotations


def counted(n: int, what: str, plural: str = "") -> str:
    """"1 dataset", "2 datasets" (``plural`` when adding an s will not do)."""
    return f"{n} {what if n == 1 else plural or what + 's'}"
